// SPDX-License-Identifier: GPL-2.0
/*
 * eeprobe testdev [rogue]: drive testdev's DMA engine (dev_testdev.c)
 * against eeprobe's host memory and check every byte, the interrupts and
 * the PCIe rules of the device's requests.
 *
 * The completion-timeout check waits for the box's --dma-timeout (run it
 * with a short one, e.g. 1500 ms).  With "rogue" the device is expected to have the rogue
 * option: its ROGUE writes to unmapped addresses must be refused by the
 * host (counted), and memory must not change.  Prints "ok - ..." /
 * "not ok - ..." lines, then "checks N passed, M failed", and a
 * "throughput" line.
 */
#include <stdlib.h>
#include <unistd.h>

#include "probe_host.h"

#define BAR		0x800000000ULL		/* 64-bit BAR0 */
#define REGS		(BAR + 0xc00)
#define R_ID		0x00
#define R_VERSION	0x04
#define R_SRC		0x08
#define R_DST		0x10
#define R_LEN		0x18
#define R_PATTERN	0x1c
#define R_CMD		0x20
#define R_STATUS	0x24
#define R_RESULT	0x28
#define R_COUNT		0x2c
#define R_BYTES		0x30
#define R_RAISE		0x34
#define OP_COPY		1
#define OP_FILL		2
#define OP_CRC		3
#define OP_ROGUE	4
#define CMD_IRQ		0x100
#define CMD_NOBME	0x200
#define ST_BUSY		1
#define ST_DONE		2
#define ST_ERROR	4

#define MSIX_CAP	0x84
#define DEVCTL		0x50
#define VEC_DATA(v)	(0x10 + (v))

static u32 count_expected;

/* The dst/src of the COPY being checked at interrupt time. */
static const u8 *order_src, *order_dst;
static size_t order_len;
static int order_ok = -1;

static void order_hook(u32 data)
{
	if (data == VEC_DATA(0) && order_src && order_ok < 0)
		order_ok = !memcmp(order_src, order_dst, order_len);
}

static void msix_entry(unsigned int v, u32 data, bool masked)
{
	wr64(BAR + v * 16, HOST_MSI);
	wr32(BAR + v * 16 + 8, data);
	wr32(BAR + v * 16 + 12, masked);
}

static void set_msix_ctrl(bool enable, bool maskall)
{
	u32 v;

	cfg_rd(MSIX_CAP, &v);
	v &= 0x3fffffff;
	v |= (enable ? 1u << 31 : 0) | (maskall ? 1u << 30 : 0);
	cfg_wr(MSIX_CAP, v);
}

struct st_wait {
	u32 count;
	u32 status;
};

static bool finished(void *arg)
{
	struct st_wait *w = arg;

	if (rd32(REGS + R_COUNT) < w->count)
		return false;
	w->status = rd32(REGS + R_STATUS);
	return true;
}

/* Start a command, wait for COUNT to move; returns STATUS. */
static u32 run_cmd(u32 cmd, u64 src, u64 dst, u32 len, u32 pattern,
		   unsigned int ms)
{
	struct st_wait w = { .count = ++count_expected, .status = ~0u };

	wr64(REGS + R_SRC, src);
	wr64(REGS + R_DST, dst);
	wr32(REGS + R_LEN, len);
	wr32(REGS + R_PATTERN, pattern);
	wr32(REGS + R_STATUS, ST_DONE | ST_ERROR);
	wr32(REGS + R_CMD, cmd);
	if (!wait_for(finished, &w, ms))
		return ~0u;
	return w.status;
}

static bool guards_ok(u64 addr, u32 len, u8 guard)
{
	u8 *p = host_ptr(addr - 16, (u64)len + 32);
	unsigned int i;

	if (!p)
		return false;
	for (i = 0; i < 16; i++)
		if (p[i] != guard || p[16 + len + i] != guard)
			return false;
	return true;
}

static void prepare(u64 addr, u32 len, u8 guard)
{
	memset(host_ptr(addr - 16, (u64)len + 32), guard, (size_t)len + 32);
}

/* MWr TLPs a write of @len bytes at @addr takes with @mps. */
static u64 mwr_count(u64 addr, u32 len, u32 mps)
{
	u64 n = 0, step;

	while (len) {
		step = mps;
		if (step > 0x1000 - (addr & 0xfff))
			step = 0x1000 - (addr & 0xfff);
		if (step > len)
			step = len;
		addr += step;
		len -= (u32)step;
		n++;
	}
	return n;
}

static void test_copy(u64 src, u64 dst, u32 len, u32 seed, const char *what)
{
	u8 *s = host_ptr(src, len), *d;
	u64 refused = hs.mwr_refused, msi = hs.msi[VEC_DATA(0)];
	char desc[160];
	u32 st;

	fill_random(s, len, seed);
	prepare(dst, len, 0xee);
	d = host_ptr(dst, len);
	host_unmap_all();
	host_map(src, len, MAP_R);
	host_map(dst, len, MAP_W);
	order_src = s;
	order_dst = d;
	order_len = len;
	order_ok = -1;
	st = run_cmd(OP_COPY | CMD_IRQ, src, dst, len, 0, 5000);
	wait_msi(VEC_DATA(0), msi + 1, 2000);
	snprintf(desc, sizeof(desc), "COPY %s: %u bytes %#llx -> %#llx: DONE",
		 what, len, (unsigned long long)src, (unsigned long long)dst);
	CHECK(st == ST_DONE, desc, "STATUS %#x", st);
	snprintf(desc, sizeof(desc), "COPY %s: destination equals source, byte for byte",
		 what);
	CHECK(!memcmp(s, d, len), desc);
	snprintf(desc, sizeof(desc), "COPY %s: nothing written around it", what);
	CHECK(guards_ok(dst, len, 0xee) && hs.mwr_refused == refused, desc,
	      "refused %llu", (unsigned long long)(hs.mwr_refused - refused));
	snprintf(desc, sizeof(desc), "COPY %s: one MSI-X (vector 0), after all the data",
		 what);
	CHECK(hs.msi[VEC_DATA(0)] == msi + 1 && order_ok == 1, desc,
	      "msi %llu, data complete at interrupt: %d",
	      (unsigned long long)(hs.msi[VEC_DATA(0)] - msi), order_ok);
	order_src = NULL;
	snprintf(desc, sizeof(desc), "COPY %s: BYTES = LEN", what);
	CHECK(rd32(REGS + R_BYTES) == len, desc, "%u", rd32(REGS + R_BYTES));
}

static void test_fill(void)
{
	u64 dst = HOST_HIGH + 0x200007;
	u32 len = 5003, pattern = 0xa1b2c3d4, i, bad = 0;
	u8 *d;
	u32 st;

	prepare(dst, len, 0x5a);
	host_unmap_all();
	host_map(dst, len, MAP_W);
	st = run_cmd(OP_FILL, 0, dst, len, pattern, 5000);
	CHECK(st == ST_DONE, "FILL 5003 bytes at an odd address: DONE",
	      "STATUS %#x", st);
	d = host_ptr(dst, len);
	for (i = 0; i < len; i++)
		if (d[i] != (u8)(pattern >> (8 * (i % 4))))
			bad++;
	CHECK(!bad && guards_ok(dst, len, 0x5a),
	      "FILL: byte i is pattern byte i % 4, nothing around it",
	      "%u bytes wrong", bad);
}

static void test_crc(void)
{
	u64 src = HOST_HIGH + 0x300001;
	u32 len = 123457, st, want, got;

	fill_random(host_ptr(src, len), len, 99);
	host_unmap_all();
	host_map(src, len, MAP_R);
	st = run_cmd(OP_CRC, src, 0, len, 0, 5000);
	want = crc32c_bitwise(host_ptr(src, len), len);
	got = rd32(REGS + R_RESULT);
	CHECK(st == ST_DONE && got == want,
	      "CRC32C of 123457 bytes equals the host's own",
	      "STATUS %#x RESULT %#x want %#x", st, got, want);
	/* the standard check value of CRC-32C */
	memcpy(host_ptr(src, 9), "123456789", 9);
	st = run_cmd(OP_CRC, src, 0, 9, 0, 5000);
	CHECK(rd32(REGS + R_RESULT) == 0xe3069283u &&
	      crc32c_bitwise((const u8 *)"123456789", 9) == 0xe3069283u,
	      "CRC32C(\"123456789\") = 0xe3069283", "%#x",
	      rd32(REGS + R_RESULT));
}

static void test_errors(void)
{
	u64 mwr = hs.mwr, mrd_ur = hs.mrd_ur;
	u32 st, cmd;

	host_unmap_all();
	host_map(HOST_LOW, 0x10000, MAP_W);
	st = run_cmd(OP_COPY, HOST_HIGH, HOST_LOW, 8192, 0, 5000);
	CHECK(st == (ST_ERROR | 1 << 8) && hs.mrd_ur > mrd_ur,
	      "COPY from an unmapped source: ERROR, code 1 (UR)",
	      "STATUS %#x", st);
	CHECK(hs.mwr == mwr, "... and nothing was written", "%llu writes",
	      (unsigned long long)(hs.mwr - mwr));
	st = run_cmd(OP_FILL, 0, HOST_LOW, 64, 0x01020304, 5000);
	CHECK(st == ST_DONE, "the next command works", "STATUS %#x", st);

	st = run_cmd(OP_FILL, 0, HOST_LOW, 0, 0, 5000);
	CHECK(st == (ST_ERROR | 17 << 8), "LEN 0: ERROR, code 17",
	      "STATUS %#x", st);
	st = run_cmd(9, 0, HOST_LOW, 4, 0, 5000);
	CHECK(st == (ST_ERROR | 16 << 8), "unknown op: ERROR, code 16",
	      "STATUS %#x", st);

	/* Bus Master Enable off: no DMA, no interrupt. */
	cfg_rd(4, &cmd);
	cfg_wr(4, (cmd & 0xffff) & ~4u);
	mwr = hs.mwr;
	st = run_cmd(OP_FILL | CMD_IRQ, 0, HOST_LOW, 64, 0, 5000);
	flush_writes();
	CHECK(st == (ST_ERROR | 4 << 8) && hs.mwr == mwr,
	      "Bus Master disabled: FILL fails with code 4, nothing written",
	      "STATUS %#x", st);
	cfg_wr(4, cmd & 0xffff);
}

static void test_rogue(bool rogue)
{
	u64 refused = hs.mwr_refused, mwr = hs.mwr, want;
	u64 inside = HOST_HIGH + 0x600010;	/* memory, but not mapped */
	u64 outside = 0x123456789000ULL;	/* not memory at all */
	u32 st, cmd, i, bad = 0;
	u8 *p = host_ptr(inside, 3000);

	host_unmap_all();
	host_map(HOST_LOW, 0x10000, MAP_RW);
	memset(p, 0, 3000);
	st = run_cmd(OP_ROGUE, 0, inside, 3000, 0xdeadbeef, 5000);
	if (!rogue) {
		CHECK(st == (ST_ERROR | 16 << 8),
		      "ROGUE without the rogue option: ERROR, code 16",
		      "STATUS %#x", st);
		return;
	}
	flush_writes();
	idle_ms(20);
	want = mwr_count(inside, 3000, host_mps);
	CHECK(st == ST_DONE, "ROGUE: the device thinks it wrote (posted)",
	      "STATUS %#x", st);
	CHECK(hs.mwr_refused - refused == want && hs.mwr == mwr,
	      "ROGUE to unmapped memory: every MWr refused and counted by the host",
	      "refused %llu, want %llu; written %llu",
	      (unsigned long long)(hs.mwr_refused - refused),
	      (unsigned long long)want, (unsigned long long)(hs.mwr - mwr));
	for (i = 0; i < 3000; i++)
		bad += p[i] != 0;
	CHECK(!bad, "ROGUE: host memory unchanged", "%u bytes changed", bad);

	refused = hs.mwr_refused;
	st = run_cmd(OP_ROGUE, 0, outside, 256, 0xdeadbeef, 5000);
	flush_writes();
	idle_ms(20);
	CHECK(st == ST_DONE && hs.mwr_refused == refused + 1 &&
	      hs.last_refused == outside,
	      "ROGUE to an address outside memory (64-bit): refused, counted",
	      "STATUS %#x refused %llu last %#llx", st,
	      (unsigned long long)(hs.mwr_refused - refused),
	      (unsigned long long)hs.last_refused);

	/* With Bus Master disabled too (NOBME): still refused by the host. */
	cfg_rd(4, &cmd);
	cfg_wr(4, (cmd & 0xffff) & ~4u);
	refused = hs.mwr_refused;
	st = run_cmd(OP_ROGUE | CMD_NOBME, 0, inside, 64, 0x1, 5000);
	flush_writes();
	idle_ms(20);
	CHECK(st == ST_DONE && hs.mwr_refused == refused + 1 && !p[0],
	      "ROGUE with Bus Master disabled: sent anyway, refused by the host",
	      "STATUS %#x refused %llu", st,
	      (unsigned long long)(hs.mwr_refused - refused));
	cfg_wr(4, cmd & 0xffff);
}

static void test_msix(void)
{
	u64 m11 = hs.msi[VEC_DATA(1)], m21 = hs.msi[0x21];
	u64 m12 = hs.msi[VEC_DATA(2)], total;

	/* Per-vector mask: pending, then delivered with the new data. */
	msix_entry(1, VEC_DATA(1), true);
	wr32(REGS + R_RAISE, 1);
	idle_ms(30);
	CHECK(hs.msi[VEC_DATA(1)] == m11,
	      "MSI-X: a masked vector does not fire");
	CHECK(rd32(BAR + 0x800) & 2, "MSI-X: ... its PBA bit is set",
	      "PBA %#x", rd32(BAR + 0x800));
	wr32(BAR + 16 + 8, 0x21);		/* new data while masked */
	wr32(BAR + 16 + 12, 0);			/* unmask */
	CHECK(wait_msi(0x21, m21 + 1, 1000) && hs.msi[VEC_DATA(1)] == m11,
	      "MSI-X: unmasking delivers it, with the entry's current data");
	CHECK(!(rd32(BAR + 0x800) & 2), "MSI-X: ... and clears the PBA bit");

	/* Function mask. */
	msix_entry(2, VEC_DATA(2), false);
	set_msix_ctrl(true, true);
	wr32(REGS + R_RAISE, 2);
	idle_ms(30);
	CHECK(hs.msi[VEC_DATA(2)] == m12 && (rd32(BAR + 0x800) & 4),
	      "MSI-X: Function Mask holds an unmasked vector pending");
	set_msix_ctrl(true, false);
	CHECK(wait_msi(VEC_DATA(2), m12 + 1, 1000),
	      "MSI-X: clearing Function Mask delivers it");

	/* Disabled, out of range: nothing. */
	total = hs.msi_total;
	set_msix_ctrl(false, false);
	wr32(REGS + R_RAISE, 0);
	wr32(REGS + R_RAISE, 99);
	idle_ms(30);
	CHECK(hs.msi_total == total && !(rd32(BAR + 0x800) & 1),
	      "MSI-X disabled or vector out of range: no interrupt, nothing pending");
	set_msix_ctrl(true, false);
	CHECK(!(rd32(BAR + 0xc) & 0xfffffffe),
	      "MSI-X: reserved Vector Control bits read 0");
}

/* MMIO is served while the device does DMA. */
static void test_concurrent(void)
{
	u64 src = HOST_HIGH, dst = HOST_HIGH + 0x400000;
	u32 len = 3u << 20, st, busy = 0, polls = 0, scratch, count;
	u64 t0, t1, msi = hs.msi[VEC_DATA(0)];
	u8 *s = host_ptr(src, len);

	fill_random(s, len, 7);
	host_unmap_all();
	host_map(src, len, MAP_R);
	host_map(dst, len, MAP_W);
	count = ++count_expected;
	wr64(REGS + R_SRC, src);
	wr64(REGS + R_DST, dst);
	wr32(REGS + R_LEN, len);
	wr32(REGS + R_STATUS, ST_DONE | ST_ERROR);
	t0 = conn_now();
	wr32(REGS + R_CMD, OP_COPY | CMD_IRQ);
	while (rd32(REGS + R_COUNT) < count && polls < 100000) {
		polls++;
		st = rd32(REGS + R_STATUS);
		busy += (st & ST_BUSY) != 0;
		cfg_wr(0x94, polls);
		cfg_rd(0x94, &scratch);
		if (scratch != polls)
			break;
	}
	wait_msi(VEC_DATA(0), msi + 1, 5000);
	t1 = conn_now();
	CHECK(busy > 0 && scratch == polls,
	      "config and MMIO are served while the device does DMA",
	      "%u of %u polls saw BUSY, scratch %u", busy, polls, scratch);
	st = rd32(REGS + R_STATUS);
	CHECK(st == ST_DONE && !memcmp(s, host_ptr(dst, len), len),
	      "COPY of 3 MiB while polled: every byte", "STATUS %#x", st);
	printf("throughput: copy %u bytes in %llu us: %.1f MB/s moved (read + write)\n",
	       len, (unsigned long long)((t1 - t0) / 1000),
	       2.0 * len / ((double)(t1 - t0) / 1e9) / 1e6);
}

static void test_timeout(void)
{
	u64 mrd = hs.mrd;
	u32 st;

	host_unmap_all();
	host_map(HOST_LOW, 0x10000, MAP_RW);
	host_blackhole = true;
	st = run_cmd(OP_COPY, HOST_LOW, HOST_LOW + 0x8000, 4096, 0, 5000);
	host_blackhole = false;
	CHECK(st == (ST_ERROR | 3 << 8) && hs.mrd > mrd,
	      "reads the host never answers: ERROR, code 3 (completion timeout)",
	      "STATUS %#x", st);
	fill_random(host_ptr(HOST_LOW, 4096), 4096, 3);
	st = run_cmd(OP_COPY, HOST_LOW, HOST_LOW + 0x8000, 4096, 0, 5000);
	CHECK(st == ST_DONE && !memcmp(host_ptr(HOST_LOW, 4096),
				       host_ptr(HOST_LOW + 0x8000, 4096), 4096),
	      "after a timeout the next COPY works (fresh tags)",
	      "STATUS %#x", st);
}

/*
 * "hang": start a long COPY whose reads are never answered, then die
 * without a word, as a crashed host would.  The box must give up on its
 * own (completion timeout or the connection's death) and go on serving.
 */
static int testdev_hang(void)
{
	host_map(HOST_HIGH, HOST_HIGH_SIZE, MAP_RW);
	host_blackhole = true;
	wr64(REGS + R_SRC, HOST_HIGH);
	wr64(REGS + R_DST, HOST_HIGH);
	wr32(REGS + R_LEN, 8u << 20);
	wr32(REGS + R_STATUS, ST_DONE | ST_ERROR);
	wr32(REGS + R_CMD, OP_COPY);
	flush_writes();
	idle_ms(100);
	printf("hang: COPY started, STATUS %#x; dying now\n",
	       rd32(REGS + R_STATUS));
	fflush(stdout);
	_exit(0);
}

int scn_testdev(int argc, char **argv)
{
	bool rogue = argc > 3 && !strcmp(argv[3], "rogue");
	bool quick = argc > 3 && !strcmp(argv[3], "quick");
	u32 v;

	host_mem_init();
	host_msi_hook = order_hook;
	/* BAR0 at 32 GiB, memory and bus mastering on. */
	cfg_wr(0x10, (u32)BAR);
	cfg_wr(0x14, (u32)(BAR >> 32));
	cfg_wr(4, 0x6);
	cfg_rd(4, &v);
	if (!CHECK((v & 0xffff) == 0x6, "memory space and bus master enabled",
		   "Command %#x", v))
		goto out;
	CHECK(rd32(REGS + R_ID) == 0x4d444545 && rd32(REGS + R_VERSION) == 1,
	      "DMA engine ID \"EEDM\", version 1");
	count_expected = rd32(REGS + R_COUNT);
	if (argc > 3 && !strcmp(argv[3], "hang"))
		return testdev_hang();

	/* MSI-X vectors 0..2 to the host's MSI window, enabled. */
	msix_entry(0, VEC_DATA(0), false);
	msix_entry(1, VEC_DATA(1), false);
	set_msix_ctrl(true, false);

	/* MPS 256, MRRS 512 */
	cfg_wr(DEVCTL, 0x2830);
	host_mps = 256;
	host_mrrs = 512;
	test_copy(HOST_HIGH + 3, HOST_LOW + 0x1005, 100003, 1, "MPS 256 MRRS 512");
	/* MPS 128, MRRS 4096 */
	cfg_wr(DEVCTL, 0x5810);
	host_mps = 128;
	host_mrrs = 4096;
	test_copy(HOST_LOW + 0x40001, HOST_HIGH + 0x100002, 70001, 2,
		  "MPS 128 MRRS 4096");
	/* MPS 128, MRRS 128 */
	cfg_wr(DEVCTL, 0x0810);
	host_mrrs = 128;
	test_copy(HOST_HIGH + 0x7fffc0, HOST_HIGH + 0x500000, 64, 3,
		  "MPS 128 MRRS 128, from the last bytes of the area");
	cfg_wr(DEVCTL, 0x2830);
	host_mps = 256;
	host_mrrs = 512;
	test_fill();
	test_crc();
	test_errors();
	test_rogue(rogue);
	test_msix();
	if (!quick) {
		test_concurrent();
		test_timeout();
	}
	CHECK(!hs.bad_req_id && !hs.too_long && !hs.other,
	      "every device request: its own requester ID, within MRRS/MPS",
	      "bad requester %llu, too long %llu, other %llu",
	      (unsigned long long)hs.bad_req_id,
	      (unsigned long long)hs.too_long, (unsigned long long)hs.other);
	CHECK(!mmio_failures, "no config or MMIO request failed",
	      "%u", mmio_failures);
out:
	host_msi_hook = NULL;
	host_mem_free();
	return scn_status();
}
