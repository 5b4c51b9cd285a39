// SPDX-License-Identifier: GPL-2.0
/*
 * Unit tests of the codec's device-side helpers: ee_tlp_init_mem() (DMA
 * reads and writes), ee_tlp_init_msg() (INTx messages), ee_cpl_split()
 * (the completer cutting a read into completions) and ee_cpl_locate()
 * (the requester putting them back together).
 *
 * The oracle is written independently of the codec: byte enables are
 * derived from a per-byte "wanted" map, and split/locate are checked
 * against each other over every address offset and size, with the PCIe
 * rules (RCB, MPS, Byte Count, Lower Address) checked one by one.
 */
#include <stdlib.h>

#include "ee_codec.h"
#include "ee_test.h"

/* Is byte i (from the DW address) enabled by the request's BEs? */
static bool be_enabled(const struct ee_tlp *t, u32 i)
{
	u32 n = (u32)t->length * 4;

	if (i < 4)
		return t->first_be & (1u << i);
	if (i >= n - 4)
		return t->last_be & (1u << (i - (n - 4)));
	return true;
}

static void test_init_mem(void)
{
	static const u64 bases[] = { 0x1000, 0xfffff000ULL, 0x100000000ULL,
				     0x123456789000ULL };
	u8 data[4100], buf[4200];
	struct ee_tlp t, p;
	u32 off, len, i;
	unsigned int b;
	int r, bad = 0;

	ee_test_begin("init_mem: every offset and size in a 4 KiB page");
	ee_test_ctx("%s", "");
	memset(data, 0x5a, sizeof(data));
	for (b = 0; b < sizeof(bases) / sizeof(bases[0]); b++) {
		for (off = 0; off < 4096; off += (off < 64 ? 1 : 61)) {
			for (len = 1; off + len <= 4096;
			     len += (len < 70 ? 1 : 123)) {
				u64 a = bases[b] + off;

				r = ee_tlp_init_mem(&t, b & 1, 0x0100, 7, a,
						    len, data);
				if (r) {
					bad++;
					continue;
				}
				/* exactly the wanted bytes are enabled */
				for (i = 0; i < (u32)t.length * 4u; i++) {
					u64 byte = t.addr + i;
					bool want = byte >= a && byte < a + len;

					if (be_enabled(&t, i) != want ||
					    ee_tlp_byte_enabled(&t, i) != want)
						bad++;
				}
				if (ee_tlp_byte_enabled(&t, t.length * 4u))
					bad++;	/* past the end */
				if (t.addr & 3 || t.addr > a ||
				    t.addr + t.length * 4u < a + len ||
				    t.addr + t.length * 4u >= a + len + 4)
					bad++;
				/* and it is a valid TLP */
				r = ee_tlp_build(buf, sizeof(buf), &t);
				if (r <= 0 || ee_tlp_parse(buf, (size_t)r,
							   &p) != r ||
				    p.kind != t.kind || p.addr != t.addr ||
				    p.length != t.length ||
				    p.first_be != t.first_be ||
				    p.last_be != t.last_be || p.tag != 7 ||
				    p.req_id != 0x0100)
					bad++;
				/* 3 DW below 4 GiB, 4 DW above */
				if (r > 0 && (size_t)r != (a >= 0x100000000ULL ?
							   16u : 12u) +
				    ((b & 1) ? t.length * 4u : 0u))
					bad++;
			}
		}
	}
	EE_CHECK_EQ(bad, 0);
	EE_CHECK_EQ(ee_tlp_init_mem(&t, false, 0, 0, 0x1000, 0, NULL),
		    -EE_ERR_FIELD);
	EE_CHECK_EQ(ee_tlp_init_mem(&t, false, 0, 0, 0x1ffc, 8, NULL),
		    -EE_ERR_FIELD);
	EE_CHECK_EQ(ee_tlp_init_mem(&t, false, 0, 0, 0x1000, 4097, NULL),
		    -EE_ERR_FIELD);
	EE_CHECK_EQ(ee_tlp_init_mem(&t, false, 0, 0, 0x1000, 4096, NULL), 0);
	EE_CHECK_EQ(t.length, 1024);
	EE_CHECK(t.first_be == 0xf && t.last_be == 0xf);
	/* PCIe examples: 1 byte at 0x..2, 2 DW with partial ends */
	EE_CHECK_EQ(ee_tlp_init_mem(&t, true, 0, 0, 0x2002, 1, data), 0);
	EE_CHECK(t.length == 1 && t.first_be == 0x4 && t.last_be == 0 &&
		 t.addr == 0x2000 && t.kind == EE_TLP_MWR && t.data == data);
	EE_CHECK_EQ(ee_tlp_init_mem(&t, false, 0, 0, 0x2003, 3, NULL), 0);
	EE_CHECK(t.length == 2 && t.first_be == 0x8 && t.last_be == 0x3 &&
		 !t.data);
	ee_test_end();
}

static void test_init_msg(void)
{
	struct ee_tlp t, p;
	u8 buf[32];
	int r;

	ee_test_begin("init_msg: Assert_INTx / Deassert_INTx");
	EE_CHECK_EQ(EE_MSG_ASSERT_INTX(0), 0x20);
	EE_CHECK_EQ(EE_MSG_ASSERT_INTX(3), 0x23);
	EE_CHECK_EQ(EE_MSG_DEASSERT_INTX(1), 0x25);
	ee_tlp_init_msg(&t, 0x0300, EE_MSG_ASSERT_INTX(1), EE_MSG_ROUTE_LOCAL);
	r = ee_tlp_build(buf, sizeof(buf), &t);
	EE_CHECK_EQ(r, 16);
	/* Fmt 001 Type 10100, Length 0, requester 03:00.0, code 0x21 */
	EE_CHECK_EQ(buf[0], 0x34);
	EE_CHECK(buf[1] == 0 && buf[2] == 0 && buf[3] == 0);
	EE_CHECK(buf[4] == 0x03 && buf[5] == 0x00 && buf[6] == 0);
	EE_CHECK_EQ(buf[7], 0x21);
	EE_CHECK_EQ(ee_tlp_parse(buf, 16, &p), 16);
	EE_CHECK(p.kind == EE_TLP_MSG && p.msg_code == 0x21 &&
		 p.msg_routing == 4 && p.req_id == 0x0300);
	ee_test_end();
}

/*
 * Cut a read into completions with ee_cpl_split(), check each against
 * the PCIe rules, then feed them to ee_cpl_locate() as a requester would
 * and check the reassembled bytes.
 */
static int split_and_locate(u64 a, u32 len, u32 rcb, u32 mps)
{
	static u8 mem[8192], out[4096];
	static bool filled;
	struct ee_cpl_part part;
	struct ee_tlp req, c;
	u32 pos = 0, nb, got = 0, off, expect_bc = len, prev_end = 0;
	int bad = 0, n, parts = 0;

	if (!filled) {
		for (n = 0; n < (int)sizeof(mem); n++)
			mem[n] = (u8)(n * 7 + (n >> 8));
		filled = true;
	}
	if (ee_tlp_init_mem(&req, false, 0x0100, 1, a, len, NULL))
		return 1;
	nb = (u32)req.length * 4;
	memset(out, 0, sizeof(out));
	while (pos < nb) {
		u32 next = ee_cpl_split(&req, pos, rcb, mps, &part);

		parts++;
		if (next <= pos || next > nb || part.offset != pos ||
		    part.length_dw * 4u != next - pos)
			return bad + 1;
		if ((next - pos) > mps)
			bad++;
		if (next < nb && ((req.addr + next) % rcb))
			bad++;		/* every part but the last ends at RCB */
		if (part.byte_count != expect_bc)
			bad++;
		if (pos && (req.addr + pos) % rcb)
			bad++;		/* ... so later ones start at RCB */
		ee_tlp_init_cpl(&c, &req, 0x0000, EE_CPL_SC,
				mem + (req.addr & 4095) + pos, part.length_dw,
				part.byte_count, part.lower_addr);
		n = ee_cpl_locate(a, len, &c, &off);
		if (n <= 0 || off != prev_end || off + (u32)n > len) {
			bad++;
		} else {
			memcpy(out + off, c.data + (c.lower_addr & 3),
			       (size_t)n);
			got += (u32)n;
			prev_end = off + (u32)n;
			expect_bc -= (u32)n;
			if (((u32)n == c.byte_count) != (next == nb))
				bad++;	/* "complete" only at the last one */
		}
		pos = next;
	}
	if (got != len || memcmp(out, mem + (a & 4095), len))
		bad++;
	/* at most ceil(span / RCB) + 1 parts, at least span / MPS */
	if ((u32)parts > nb / rcb + 2 || (u32)parts < nb / mps)
		bad++;
	return bad;
}

static void test_split_locate(void)
{
	static const u32 rcbs[] = { 64, 128 };
	static const u32 mpss[] = { 128, 256, 512, 1024 };
	u32 off, len, r, m;
	int bad = 0;

	ee_test_begin("cpl split/locate: every offset, size, RCB and MPS");
	for (r = 0; r < 2; r++)
		for (m = 0; m < 4; m++)
			for (off = 0; off < 4096; off += (off < 136 ? 1 : 97))
				for (len = 1; off + len <= 4096;
				     len += (len < 140 ? 1 : 211))
					bad += split_and_locate(0xabc000 + off,
								len, rcbs[r],
								mpss[m]);
	EE_CHECK_EQ(bad, 0);
	ee_test_end();
}

static void test_split_examples(void)
{
	struct ee_cpl_part p;
	struct ee_tlp req;
	u32 pos;

	ee_test_begin("cpl split: worked examples");
	/* 400 bytes at 0x1004 (BE 1110 / 0011), RCB 128, MPS 128: the
	 * example of box-test.sh: 124 + 128 + 128 + 20 bytes.
	 */
	memset(&req, 0, sizeof(req));
	req.kind = EE_TLP_MRD;
	req.addr = 0xfe001004;
	req.length = 100;
	req.first_be = 0xe;
	req.last_be = 0x3;
	pos = ee_cpl_split(&req, 0, 128, 128, &p);
	EE_CHECK(pos == 124 && p.length_dw == 31 && p.byte_count == 397 &&
		 p.lower_addr == 5);
	pos = ee_cpl_split(&req, pos, 128, 128, &p);
	EE_CHECK(pos == 252 && p.length_dw == 32 && p.byte_count == 274 &&
		 p.lower_addr == 0);
	pos = ee_cpl_split(&req, pos, 128, 128, &p);
	EE_CHECK(pos == 380 && p.byte_count == 146);
	pos = ee_cpl_split(&req, pos, 128, 128, &p);
	EE_CHECK(pos == 400 && p.length_dw == 5 && p.byte_count == 18);
	/* RCB 64: 512 bytes at 0x...20, MPS 256: 224 + 256 + 32 */
	ee_tlp_init_mem(&req, false, 0, 0, 0x10020, 512, NULL);
	pos = ee_cpl_split(&req, 0, 64, 256, &p);
	EE_CHECK(pos == 224 && p.byte_count == 512 && p.lower_addr == 0x20);
	pos = ee_cpl_split(&req, pos, 64, 256, &p);
	EE_CHECK(pos == 480 && p.byte_count == 288 && p.lower_addr == 0x00);
	pos = ee_cpl_split(&req, pos, 64, 256, &p);
	EE_CHECK(pos == 512 && p.byte_count == 32 && p.lower_addr == 0x00);
	/* a zero-length read: one DW, no byte enabled: Byte Count 1 */
	memset(&req, 0, sizeof(req));
	req.kind = EE_TLP_MRD;
	req.addr = 0x2008;
	req.length = 1;
	pos = ee_cpl_split(&req, 0, 64, 128, &p);
	EE_CHECK(pos == 4 && p.length_dw == 1 && p.byte_count == 1 &&
		 p.lower_addr == 0x08);
	ee_test_end();
}

static void test_locate_errors(void)
{
	struct ee_tlp req, c;
	u8 d[16] = { 0 };
	u32 off = 99;

	ee_test_begin("cpl locate: inconsistent completions refused");
	ee_tlp_init_mem(&req, false, 0, 0, 0x3010, 16, NULL);
	/* Byte Count larger than the request */
	ee_tlp_init_cpl(&c, &req, 0, EE_CPL_SC, d, 4, 17, 0x10);
	EE_CHECK_EQ(ee_cpl_locate(0x3010, 16, &c, &off), -EE_ERR_FIELD);
	/* Lower Address that is not where the remaining bytes start */
	ee_tlp_init_cpl(&c, &req, 0, EE_CPL_SC, d, 4, 16, 0x14);
	EE_CHECK_EQ(ee_cpl_locate(0x3010, 16, &c, &off), -EE_ERR_FIELD);
	/* a Cpl without data */
	ee_tlp_init_cpl(&c, &req, 0, EE_CPL_SC, NULL, 0, 16, 0x10);
	EE_CHECK_EQ(ee_cpl_locate(0x3010, 16, &c, &off), -EE_ERR_TLP_LEN);
	/* the good one */
	ee_tlp_init_cpl(&c, &req, 0, EE_CPL_SC, d, 4, 16, 0x10);
	EE_CHECK_EQ(ee_cpl_locate(0x3010, 16, &c, &off), 16);
	EE_CHECK_EQ(off, 0);
	/* the second half of a split one */
	ee_tlp_init_cpl(&c, &req, 0, EE_CPL_SC, d, 2, 8, 0x18);
	EE_CHECK_EQ(ee_cpl_locate(0x3010, 16, &c, &off), 8);
	EE_CHECK_EQ(off, 8);
	ee_test_end();
}

int main(void)
{
	setvbuf(stdout, NULL, _IOLBF, 0);
	test_init_mem();
	test_init_msg();
	test_split_examples();
	test_split_locate();
	test_locate_errors();
	return ee_test_summary();
}
