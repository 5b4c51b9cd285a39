// SPDX-License-Identifier: GPL-2.0
/*
 * Unit tests of eebox's configuration space model (tools/eebox/cfgspace.c):
 * read-only / read-write / write-1-to-clear semantics bit by bit, byte
 * enables, BAR sizing (I/O, 32- and 64-bit memory), BAR decoding and the
 * standard and extended capability lists.
 */
#include <stdlib.h>
#include <linux/pci_regs.h>

#include "../../../tools/eebox/cfgspace.h"
#include "ee_test.h"

static struct cfgspace cs;

/* Small deterministic PRNG (xorshift32): the same cases on every run. */
static u32 rnd_state = 0x2545f491;

static u32 rnd(void)
{
	rnd_state ^= rnd_state << 13;
	rnd_state ^= rnd_state >> 17;
	rnd_state ^= rnd_state << 5;
	return rnd_state;
}

/* What one bit must become, spelled out per bit kind. */
static unsigned int ref_bit(unsigned int old, unsigned int wr, bool rw,
			    bool w1c)
{
	if (rw)
		return wr;
	if (w1c)
		return wr ? 0 : old;
	return old;
}

static void test_init(void)
{
	unsigned int i;
	bool zero = true;

	ee_test_begin("init");
	memset(&cs, 0x5a, sizeof(cs));
	cfg_init(&cs);
	for (i = 0; i < CFG_SPACE_SIZE; i++)
		if (cs.data[i] || cs.rw[i] || cs.w1c[i])
			zero = false;
	EE_CHECK(zero, "space not all zero and read-only");
	EE_CHECK_EQ(cfg_read(&cs, 0, 4), 0);
	EE_CHECK_EQ(cfg_read(&cs, 0x100, 4), 0);
	EE_CHECK_EQ(cfg_read(&cs, 0xffc, 4), 0);
	EE_CHECK_EQ(cfg_find_cap(&cs, PCI_CAP_ID_EXP), 0);
	EE_CHECK_EQ(cfg_find_ext_cap(&cs, PCI_EXT_CAP_ID_ERR), 0);
	/* out of range: all-ones, and writes go nowhere */
	EE_CHECK_EQ(cfg_read(&cs, 0xffe, 4), 0xffffffff);
	EE_CHECK_EQ(cfg_read(&cs, 0x1000, 1), 0xffffffff);
	EE_CHECK_EQ(cfg_read(&cs, 0, 0), 0xffffffff);
	EE_CHECK_EQ(cfg_read(&cs, 0, 8), 0xffffffff);
	cfg_set_rw(&cs, 0xffc, 4, 0xffffffff);
	cfg_write(&cs, 0xffe, 4, 0xffffffff);
	EE_CHECK_EQ(cfg_read(&cs, 0xffc, 4), 0);
	ee_test_end();
}

/* Every (mask kind, old, written) combination for each bit of a byte. */
static void test_bit_kinds(void)
{
	unsigned int old, wr, bit, want, got;
	unsigned int bad = 0;
	/* bit i: RO for bits 0-2, RW for bits 3-5, W1C for bits 6-7 */
	const u8 rw = 0x38, w1c = 0xc0;

	ee_test_begin("ro-rw-w1c per bit");
	cfg_init(&cs);
	for (old = 0; old < 256; old++) {
		for (wr = 0; wr < 256; wr++) {
			cfg_set(&cs, 0x40, 1, old);
			cfg_set_rw(&cs, 0x40, 1, rw);
			cfg_set_w1c(&cs, 0x40, 1, w1c);
			cfg_write(&cs, 0x40, 1, wr);
			got = cfg_read(&cs, 0x40, 1);
			want = 0;
			for (bit = 0; bit < 8; bit++)
				want |= ref_bit(old >> bit & 1, wr >> bit & 1,
						rw >> bit & 1,
						w1c >> bit & 1) << bit;
			if (got != want && bad++ < 5)
				EE_CHECK_EQ(got, want);
		}
	}
	EE_CHECK(bad == 0, "%u of 65536 combinations wrong", bad);

	/* The neighbours of a written byte never change. */
	cfg_set(&cs, 0x3f, 1, 0x11);
	cfg_set(&cs, 0x41, 1, 0x22);
	cfg_set_rw(&cs, 0x3f, 1, 0xff);
	cfg_set_rw(&cs, 0x41, 1, 0xff);
	cfg_write(&cs, 0x40, 1, 0xff);
	EE_CHECK_EQ(cfg_read(&cs, 0x3f, 1), 0x11);
	EE_CHECK_EQ(cfg_read(&cs, 0x41, 1), 0x22);
	ee_test_end();
}

/* Random masks over whole dwords, written as 1, 2 and 4-byte accesses. */
static void test_random_masks(void)
{
	unsigned int i, b, size, off, bad = 0;
	u32 old, rwm, w1cm, val, want, got;

	ee_test_begin("random masks, 1/2/4-byte writes");
	for (i = 0; i < 3000; i++) {
		cfg_init(&cs);
		size = 1u << (rnd() % 3);
		off = 0x80 + (rnd() % 16) * 4 + (size == 4 ? 0 :
						  (rnd() % (4 / size)) * size);
		old = rnd();
		rwm = rnd();
		w1cm = rnd() & ~rwm;
		val = rnd();
		cfg_set(&cs, off & ~3u, 4, old);
		cfg_set_rw(&cs, off & ~3u, 4, rwm);
		cfg_set_w1c(&cs, off & ~3u, 4, w1cm);
		cfg_write(&cs, off, size, val);

		want = old;
		for (b = 0; b < size * 8; b++) {
			unsigned int pos = (off & 3) * 8 + b;
			u32 nb = ref_bit(old >> pos & 1, val >> b & 1,
					 rwm >> pos & 1, w1cm >> pos & 1);

			want = (want & ~(1u << pos)) | nb << pos;
		}
		got = cfg_read(&cs, off & ~3u, 4);
		if (got != want && bad++ < 5)
			EE_CHECK_EQ(got, want);
	}
	EE_CHECK(bad == 0, "%u of 3000 random writes wrong", bad);

	/* little-endian multi-byte values */
	cfg_init(&cs);
	cfg_set(&cs, 0x10, 4, 0x11223344);
	EE_CHECK_EQ(cs.data[0x10], 0x44);
	EE_CHECK_EQ(cs.data[0x13], 0x11);
	EE_CHECK_EQ(cfg_read(&cs, 0x11, 2), 0x2233);
	EE_CHECK_EQ(cfg_read(&cs, 0x12, 1), 0x22);
	ee_test_end();
}

static void test_byte_enables(void)
{
	static const u8 data[4] = { 0xa1, 0xb2, 0xc3, 0xd4 };
	u8 out[4];
	unsigned int be, i, bad = 0;

	ee_test_begin("byte enables");
	for (be = 0; be < 16; be++) {
		cfg_init(&cs);
		cfg_set(&cs, 0x94, 4, 0x55555555);
		cfg_set_rw(&cs, 0x94, 4, 0xffffffff);
		cfg_write_dw(&cs, 0x94, (u8)be, data);
		cfg_read_dw(&cs, 0x94, out);
		for (i = 0; i < 4; i++) {
			u8 want = (be >> i & 1) ? data[i] : 0x55;

			if (out[i] != want && bad++ < 5) {
				ee_test_ctx("be=%x byte %u", be, i);
				EE_CHECK_EQ(out[i], want);
			}
		}
	}
	ee_test_ctx("%s", "");
	EE_CHECK(bad == 0, "%u bytes wrong", bad);

	/* the register number is DW aligned: low bits are ignored */
	cfg_init(&cs);
	cfg_set_rw(&cs, 0x44, 4, 0xffffffff);
	cfg_write_dw(&cs, 0x46, 0xf, data);
	EE_CHECK_EQ(cfg_read(&cs, 0x44, 4), 0xd4c3b2a1);
	cfg_read_dw(&cs, 0x47, out);
	EE_CHECK(!memcmp(out, data, 4), "read of an unaligned reg");

	/* TLP data is in address order: byte 0 is the lowest address */
	cfg_set(&cs, 0, 2, 0x1033);
	cfg_set(&cs, 2, 2, 0xee01);
	cfg_read_dw(&cs, 0, out);
	EE_CHECK(out[0] == 0x33 && out[1] == 0x10 && out[2] == 0x01 &&
		 out[3] == 0xee, "vendor/device bytes %02x %02x %02x %02x",
		 out[0], out[1], out[2], out[3]);

	/* byte enables respect the masks too */
	cfg_init(&cs);
	cfg_set(&cs, 0x48, 4, 0xffff0000);
	cfg_set_rw(&cs, 0x48, 4, 0x000000ff);
	cfg_set_w1c(&cs, 0x48, 4, 0xff000000);
	cfg_write_dw(&cs, 0x48, 0x9, (const u8[]){ 0x12, 0x34, 0x56, 0x0f });
	EE_CHECK_EQ(cfg_read(&cs, 0x48, 4), 0xf0ff0012);

	/* out of range DW: reads all-ones, writes nothing */
	cfg_read_dw(&cs, 0x1000, out);
	EE_CHECK(out[0] == 0xff && out[3] == 0xff, "DW 0x1000 not all-ones");
	cfg_write_dw(&cs, 0x1000, 0xf, data);
	ee_test_end();
}

/* Write all-ones to a BAR dword and return what reads back. */
static u32 bar_probe(unsigned int off)
{
	cfg_write(&cs, off, 4, 0xffffffff);
	return cfg_read(&cs, off, 4);
}

static void test_bar32(void)
{
	unsigned int idx;
	u64 off;

	ee_test_begin("BAR sizing, 32-bit memory and I/O");
	cfg_init(&cs);
	EE_CHECK_EQ(cfg_add_bar(&cs, 0, 4096, 0), 0);
	EE_CHECK_EQ(cfg_read(&cs, PCI_BASE_ADDRESS_0, 4), 0);
	EE_CHECK_EQ(bar_probe(PCI_BASE_ADDRESS_0), 0xfffff000);
	/* low type bits are read-only */
	cfg_write(&cs, PCI_BASE_ADDRESS_0, 4, 0x0000000f);
	EE_CHECK_EQ(cfg_read(&cs, PCI_BASE_ADDRESS_0, 4), 0);
	cfg_write(&cs, PCI_BASE_ADDRESS_0, 4, 0xfe001234);
	EE_CHECK_EQ(cfg_read(&cs, PCI_BASE_ADDRESS_0, 4), 0xfe001000);
	EE_CHECK_EQ(cfg_bar_base(&cs, 0), 0xfe001000);

	/* 32-bit prefetchable, 2 GiB: the largest 32-bit BAR */
	EE_CHECK_EQ(cfg_add_bar(&cs, 1, 1ull << 31, CFG_BAR_PREFETCH), 0);
	EE_CHECK_EQ(cfg_read(&cs, PCI_BASE_ADDRESS_1, 4), 0x8);
	EE_CHECK_EQ(bar_probe(PCI_BASE_ADDRESS_1), 0x80000008);

	/* 16 bytes: the smallest memory BAR */
	EE_CHECK_EQ(cfg_add_bar(&cs, 2, 16, 0), 0);
	EE_CHECK_EQ(bar_probe(PCI_BASE_ADDRESS_2), 0xfffffff0);

	/* I/O, 256 bytes: bit 0 set, bit 1 reserved */
	EE_CHECK_EQ(cfg_add_bar(&cs, 3, 256, CFG_BAR_IO), 0);
	EE_CHECK_EQ(cfg_read(&cs, PCI_BASE_ADDRESS_3, 4), 0x1);
	EE_CHECK_EQ(bar_probe(PCI_BASE_ADDRESS_3), 0xffffff01);
	cfg_write(&cs, PCI_BASE_ADDRESS_3, 4, 0xc000);
	EE_CHECK_EQ(cfg_bar_base(&cs, 3), 0xc000);

	/* unimplemented BARs read 0 and stay 0 */
	EE_CHECK_EQ(bar_probe(PCI_BASE_ADDRESS_5), 0);
	EE_CHECK_EQ(cfg_bar_base(&cs, 5), 0);

	/* sub-dword probing (some OSes size a BAR bytewise) */
	cfg_write(&cs, PCI_BASE_ADDRESS_0, 2, 0xffff);
	EE_CHECK_EQ(cfg_read(&cs, PCI_BASE_ADDRESS_0, 2), 0xf000);

	/* decode needs Memory Space Enable, and never claims I/O BARs */
	cfg_init(&cs);
	cfg_add_bar(&cs, 0, 4096, 0);
	cfg_add_bar(&cs, 3, 256, CFG_BAR_IO);
	cfg_write(&cs, PCI_BASE_ADDRESS_0, 4, 0xfe000000);
	cfg_write(&cs, PCI_BASE_ADDRESS_3, 4, 0xc000);
	EE_CHECK(!cfg_bar_decode(&cs, 0xfe000000, 4, &idx, &off),
		 "decoded with MSE clear");
	cfg_set_rw(&cs, PCI_COMMAND, 2, PCI_COMMAND_MEMORY | PCI_COMMAND_IO);
	cfg_write(&cs, PCI_COMMAND, 2, PCI_COMMAND_MEMORY | PCI_COMMAND_IO);
	EE_CHECK(cfg_bar_decode(&cs, 0xfe000ffc, 4, &idx, &off),
		 "not decoded");
	EE_CHECK_EQ(idx, 0);
	EE_CHECK_EQ(off, 0xffc);
	EE_CHECK(!cfg_bar_decode(&cs, 0xfe000ffc, 8, &idx, &off),
		 "decoded past the end");
	EE_CHECK(!cfg_bar_decode(&cs, 0xfdfffffc, 8, &idx, &off),
		 "decoded before the start");
	EE_CHECK(!cfg_bar_decode(&cs, 0xc000, 4, &idx, &off),
		 "decoded an I/O BAR");
	ee_test_end();
}

static void test_bar64(void)
{
	unsigned int idx;
	u64 off;

	ee_test_begin("BAR sizing, 64-bit memory");
	cfg_init(&cs);
	EE_CHECK_EQ(cfg_add_bar(&cs, 0, 1 << 20,
				CFG_BAR_MEM64 | CFG_BAR_PREFETCH), 0);
	EE_CHECK_EQ(cfg_read(&cs, PCI_BASE_ADDRESS_0, 4), 0xc);
	EE_CHECK_EQ(bar_probe(PCI_BASE_ADDRESS_0), 0xfff0000c);
	EE_CHECK_EQ(bar_probe(PCI_BASE_ADDRESS_1), 0xffffffff);
	EE_CHECK_EQ(cfg_bar_base(&cs, 0), 0xfffffffffff00000ull);
	cfg_write(&cs, PCI_BASE_ADDRESS_0, 4, 0x00200000);
	cfg_write(&cs, PCI_BASE_ADDRESS_1, 4, 0x00000010);
	EE_CHECK_EQ(cfg_read(&cs, PCI_BASE_ADDRESS_0, 4), 0x0020000c);
	EE_CHECK_EQ(cfg_bar_base(&cs, 0), 0x1000200000ull);
	EE_CHECK_EQ(cfg_bar_base(&cs, 1), 0);	/* the upper half */

	/* > 4 GiB: the size mask reaches into the upper dword */
	EE_CHECK_EQ(cfg_add_bar(&cs, 2, 8ull << 30, CFG_BAR_MEM64), 0);
	EE_CHECK_EQ(cfg_read(&cs, PCI_BASE_ADDRESS_2, 4), 0x4);
	EE_CHECK_EQ(bar_probe(PCI_BASE_ADDRESS_2), 0x00000004);
	EE_CHECK_EQ(bar_probe(PCI_BASE_ADDRESS_3), 0xfffffffe);

	/* decode of a 64-bit BAR */
	cfg_write(&cs, PCI_BASE_ADDRESS_2, 4, 0);
	cfg_write(&cs, PCI_BASE_ADDRESS_3, 4, 0x4);
	cfg_set_rw(&cs, PCI_COMMAND, 2, PCI_COMMAND_MEMORY);
	cfg_write(&cs, PCI_COMMAND, 2, PCI_COMMAND_MEMORY);
	EE_CHECK(cfg_bar_decode(&cs, 0x1000200010ull, 16, &idx, &off),
		 "BAR0 not decoded");
	EE_CHECK_EQ(idx, 0);
	EE_CHECK_EQ(off, 0x10);
	EE_CHECK(cfg_bar_decode(&cs, 0x4ull << 32 | 0x12345678, 4, &idx,
				&off), "BAR2 not decoded");
	EE_CHECK_EQ(idx, 2);
	EE_CHECK_EQ(off, 0x12345678);
	EE_CHECK(!cfg_bar_decode(&cs, 0x200000, 4, &idx, &off),
		 "upper dword ignored");

	/* definitions that must be refused */
	cfg_init(&cs);
	EE_CHECK_EQ(cfg_add_bar(&cs, 5, 4096, CFG_BAR_MEM64), -1);
	EE_CHECK_EQ(cfg_add_bar(&cs, 0, 3000, 0), -1);
	EE_CHECK_EQ(cfg_add_bar(&cs, 0, 0, 0), -1);
	EE_CHECK_EQ(cfg_add_bar(&cs, 0, 8, 0), -1);
	EE_CHECK_EQ(cfg_add_bar(&cs, 0, 4ull << 30, 0), -1);
	EE_CHECK_EQ(cfg_add_bar(&cs, 0, 512, CFG_BAR_IO), -1);
	EE_CHECK_EQ(cfg_add_bar(&cs, 0, 256, CFG_BAR_IO | CFG_BAR_MEM64), -1);
	EE_CHECK_EQ(cfg_add_bar(&cs, 6, 4096, 0), -1);
	EE_CHECK_EQ(cfg_add_bar(&cs, 1, 4096, CFG_BAR_MEM64), 0);
	EE_CHECK_EQ(cfg_add_bar(&cs, 1, 4096, 0), -1);	/* taken */
	EE_CHECK_EQ(cfg_add_bar(&cs, 2, 4096, 0), -1);	/* upper half */
	EE_CHECK_EQ(cfg_add_bar(&cs, 0, 4096, CFG_BAR_MEM64), -1);
	EE_CHECK_EQ(cfg_add_bar(&cs, 0, 4096, 0), 0);
	ee_test_end();
}

static void test_caps(void)
{
	static const u8 ids[] = {
		PCI_CAP_ID_PM, PCI_CAP_ID_EXP, PCI_CAP_ID_MSIX, PCI_CAP_ID_VNDR,
	};
	static const unsigned int lens[] = { 8, 0x3c, 12, 7 };
	int offs[4];
	unsigned int i, pos, n;

	ee_test_begin("standard capability list");
	cfg_init(&cs);
	EE_CHECK_EQ(cfg_read(&cs, PCI_STATUS, 2) & PCI_STATUS_CAP_LIST, 0);
	for (i = 0; i < 4; i++)
		offs[i] = cfg_add_cap(&cs, ids[i], lens[i]);
	EE_CHECK_EQ(offs[0], 0x40);
	EE_CHECK_EQ(offs[1], 0x48);
	EE_CHECK_EQ(offs[2], 0x84);
	EE_CHECK_EQ(offs[3], 0x90);
	EE_CHECK(cfg_read(&cs, PCI_STATUS, 2) & PCI_STATUS_CAP_LIST,
		 "Status.CAP_LIST clear");
	EE_CHECK_EQ(cfg_read(&cs, PCI_CAPABILITY_LIST, 1), 0x40);

	/* walk it the way the PCI core does */
	pos = cfg_read(&cs, PCI_CAPABILITY_LIST, 1);
	for (n = 0; pos && n < 48; n++) {
		if (n < 4) {
			EE_CHECK_EQ(pos, offs[n]);
			EE_CHECK_EQ(cfg_read(&cs, pos, 1), ids[n]);
			EE_CHECK_EQ(pos & 3, 0);
		}
		pos = cfg_read(&cs, pos + 1, 1) & ~3u;
	}
	EE_CHECK_EQ(n, 4);
	for (i = 0; i < 4; i++)
		EE_CHECK_EQ(cfg_find_cap(&cs, ids[i]), offs[i]);
	EE_CHECK_EQ(cfg_find_cap(&cs, PCI_CAP_ID_MSI), 0);

	/* the odd-length capability leaves the next one DW aligned */
	EE_CHECK_EQ(cfg_add_cap(&cs, PCI_CAP_ID_SSVID, 8), 0x98);

	/* headers are read-only */
	cfg_write(&cs, 0x40, 4, 0xffffffff);
	EE_CHECK_EQ(cfg_read(&cs, 0x40, 2), 0x4801);
	cfg_write(&cs, PCI_CAPABILITY_LIST, 1, 0);
	EE_CHECK_EQ(cfg_find_cap(&cs, PCI_CAP_ID_VNDR), 0x90);

	/* full: the standard space ends at 0xff */
	EE_CHECK_EQ(cfg_add_cap(&cs, PCI_CAP_ID_VNDR, 0x100 - 0xa0 + 1), -1);
	EE_CHECK_EQ(cfg_add_cap(&cs, PCI_CAP_ID_VNDR, 0x100 - 0xa0), 0xa0);
	EE_CHECK_EQ(cfg_add_cap(&cs, PCI_CAP_ID_VNDR, 4), -1);
	EE_CHECK_EQ(cfg_add_cap(&cs, PCI_CAP_ID_VNDR, 1), -1);

	/* a looping list does not hang the walk */
	cfg_init(&cs);
	cfg_add_cap(&cs, PCI_CAP_ID_PM, 8);
	cfg_add_cap(&cs, PCI_CAP_ID_EXP, 8);
	cfg_set(&cs, 0x49, 1, 0x40);
	EE_CHECK_EQ(cfg_find_cap(&cs, PCI_CAP_ID_MSIX), 0);
	ee_test_end();
}

static void test_ext_caps(void)
{
	u32 hdr;

	ee_test_begin("extended capability list");
	cfg_init(&cs);
	EE_CHECK_EQ(cfg_read(&cs, 0x100, 4), 0);
	EE_CHECK_EQ(cfg_add_ext_cap(&cs, PCI_EXT_CAP_ID_ERR, 2, 0x48), 0x100);
	EE_CHECK_EQ(cfg_add_ext_cap(&cs, PCI_EXT_CAP_ID_DSN, 1, 12), 0x148);
	EE_CHECK_EQ(cfg_add_ext_cap(&cs, PCI_EXT_CAP_ID_VNDR, 1, 6), 0x154);
	EE_CHECK_EQ(cfg_add_ext_cap(&cs, PCI_EXT_CAP_ID_LTR, 1, 8), 0x15c);

	hdr = cfg_read(&cs, 0x100, 4);
	EE_CHECK_EQ(PCI_EXT_CAP_ID(hdr), PCI_EXT_CAP_ID_ERR);
	EE_CHECK_EQ(PCI_EXT_CAP_VER(hdr), 2);
	EE_CHECK_EQ(PCI_EXT_CAP_NEXT(hdr), 0x148);
	hdr = cfg_read(&cs, 0x148, 4);
	EE_CHECK_EQ(PCI_EXT_CAP_ID(hdr), PCI_EXT_CAP_ID_DSN);
	EE_CHECK_EQ(PCI_EXT_CAP_NEXT(hdr), 0x154);
	hdr = cfg_read(&cs, 0x15c, 4);
	EE_CHECK_EQ(PCI_EXT_CAP_NEXT(hdr), 0);

	EE_CHECK_EQ(cfg_find_ext_cap(&cs, PCI_EXT_CAP_ID_ERR), 0x100);
	EE_CHECK_EQ(cfg_find_ext_cap(&cs, PCI_EXT_CAP_ID_VNDR), 0x154);
	EE_CHECK_EQ(cfg_find_ext_cap(&cs, PCI_EXT_CAP_ID_LTR), 0x15c);
	EE_CHECK_EQ(cfg_find_ext_cap(&cs, PCI_EXT_CAP_ID_ACS), 0);

	/* headers are read-only */
	cfg_write(&cs, 0x100, 4, 0);
	EE_CHECK_EQ(cfg_find_ext_cap(&cs, PCI_EXT_CAP_ID_LTR), 0x15c);

	/* bad definitions, and the end of the space */
	EE_CHECK_EQ(cfg_add_ext_cap(&cs, 1, 16, 8), -1);
	EE_CHECK_EQ(cfg_add_ext_cap(&cs, 1, 1, 2), -1);
	EE_CHECK_EQ(cfg_add_ext_cap(&cs, PCI_EXT_CAP_ID_VNDR, 1,
				    0x1000 - 0x164 + 1), -1);
	EE_CHECK_EQ(cfg_add_ext_cap(&cs, PCI_EXT_CAP_ID_VNDR, 1,
				    0x1000 - 0x164), 0x164);
	EE_CHECK_EQ(cfg_add_ext_cap(&cs, PCI_EXT_CAP_ID_VNDR, 1, 4), -1);

	/* a self-referencing header does not hang the walk */
	cfg_init(&cs);
	cfg_add_ext_cap(&cs, PCI_EXT_CAP_ID_ERR, 1, 8);
	cfg_set(&cs, 0x100, 4, PCI_EXT_CAP_ID_ERR | 1 << 16 | 0x100 << 20);
	EE_CHECK_EQ(cfg_find_ext_cap(&cs, PCI_EXT_CAP_ID_DSN), 0);
	ee_test_end();
}

int main(void)
{
	test_init();
	test_bit_kinds();
	test_random_masks();
	test_byte_enables();
	test_bar32();
	test_bar64();
	test_caps();
	test_ext_caps();
	return ee_test_summary();
}
