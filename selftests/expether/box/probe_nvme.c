// SPDX-License-Identifier: GPL-2.0
/*
 * eeprobe nvme: bring eebox's NVMe controller (dev_nvme.c) up the way the
 * Linux driver does (drivers/nvme/host/pci.c, core.c), from eeprobe's host
 * memory: disable, admin queue, enable, Identify, Number of Queues, AER,
 * I/O queues, writes and reads with PRP lists (chained, at odd offsets)
 * checked byte for byte, errors, INTx, queue deletion, shutdown, reset.
 *
 * The box must run "-d nvme,queues=4,size=8M" (the sizes below depend on
 * it).  Prints "ok - ..." / "not ok - ..." lines, then "checks N passed, M
 * failed", and a "throughput" line.
 */
#include <stdlib.h>

#include "probe_host.h"

#define NBAR		0x900000000ULL
#define DB(q, cq)	(NBAR + 0x1000 + 8 * (q) + ((cq) ? 4 : 0))
#define NLBA		16384		/* 8 MiB of 512-byte blocks */
#define QUEUES		4
#define VEC(v)		(0x30 + (v))
#define PAGE		4096

/* Host memory layout. */
#define ASQ		(HOST_HIGH + 0x000000)
#define ACQ		(HOST_HIGH + 0x001000)
#define SQ1		(HOST_HIGH + 0x010000)
#define CQ1		(HOST_HIGH + 0x011000)
#define SQ2		(HOST_LOW + 0x010000)	/* below 4 GiB */
#define CQ2		(HOST_LOW + 0x011000)
#define IDBUF		(HOST_HIGH + 0x020000)
#define IDBUF2		(HOST_HIGH + 0x022000)
#define LIST1		(HOST_HIGH + 0x030fe0)	/* 4 entries, then chain */
#define LIST1B		(HOST_HIGH + 0x040100)
#define LIST2		(HOST_HIGH + 0x050000)
#define WPAGES		(HOST_HIGH + 0x100000)	/* every third page */
#define RPAGES		(HOST_HIGH + 0x200000)
#define BENCH		(HOST_HIGH + 0x300000)	/* 32 x 128 KiB */
#define HOLE		(HOST_HIGH + 0x7f0000)	/* not mapped */

struct q {
	u16 qid;
	u64 sq, cq;
	u16 size, sqt, cqh;
	bool phase;
	u16 cid;
};

static struct q aq = { 0, ASQ, ACQ, 32, 0, 0, true, 0 };
static struct q q1 = { 1, SQ1, CQ1, 64, 0, 0, true, 0x100 };
static struct q q2 = { 2, SQ2, CQ2, 32, 0, 0, true, 0x200 };

struct cqe {
	u32 dw0;
	u16 sqhd, sqid, cid, status;	/* status: bits 15:1 of DW3 >> 16 */
};

static void sqe_init(u8 *e, u8 opc, u32 nsid)
{
	memset(e, 0, 64);
	e[0] = opc;
	put_le32(e + 4, nsid);
}

/* Put @e in @q and ring the doorbell; returns its command ID. */
static u16 submit(struct q *q, u8 *e)
{
	u16 cid = q->cid++;

	put_le16(e + 2, cid);
	memcpy(host_ptr(q->sq + (u64)q->sqt * 64, 64), e, 64);
	q->sqt = (u16)((q->sqt + 1) % q->size);
	wr32(DB(q->qid, false), q->sqt);
	return cid;
}

static bool cqe_ready(void *arg)
{
	struct q *q = arg;
	const u8 *c = host_ptr(q->cq + (u64)q->cqh * 16, 16);

	return (get_le16(c + 14) & 1) == q->phase;
}

/* The next completion of @q: false on timeout. */
static bool reap(struct q *q, struct cqe *out, unsigned int ms)
{
	const u8 *c;

	if (!wait_for(cqe_ready, q, ms))
		return false;
	c = host_ptr(q->cq + (u64)q->cqh * 16, 16);
	out->dw0 = get_le32(c);
	out->sqhd = get_le16(c + 8);
	out->sqid = get_le16(c + 10);
	out->cid = get_le16(c + 12);
	out->status = get_le16(c + 14) >> 1;
	if (++q->cqh == q->size) {
		q->cqh = 0;
		q->phase = !q->phase;
	}
	wr32(DB(q->qid, true), q->cqh);
	return true;
}

/* Submit and wait: the status (0xffff on timeout or a wrong CID). */
static u16 cmd(struct q *q, u8 *e, u32 *dw0)
{
	struct cqe c;
	u16 cid = submit(q, e);

	if (!reap(q, &c, 5000)) {
		printf("# command %#x on queue %u: no completion\n", e[0],
		       q->qid);
		return 0xffff;
	}
	if (c.cid != cid || c.sqid != q->qid || c.sqhd != q->sqt) {
		printf("# completion cid %#x sqid %u sqhd %u, want %#x %u %u\n",
		       c.cid, c.sqid, c.sqhd, cid, q->qid, q->sqt);
		return 0xfffe;
	}
	if (dw0)
		*dw0 = c.dw0;
	return c.status;
}

static u16 identify(u32 cns, u32 nsid, u64 prp1, u64 prp2)
{
	u8 e[64];

	sqe_init(e, 0x06, nsid);
	put_le64(e + 24, prp1);
	put_le64(e + 32, prp2);
	put_le32(e + 40, cns);
	return cmd(&aq, e, NULL);
}

static u16 features(bool set, u32 fid, u32 cdw11, u32 *dw0)
{
	u8 e[64];

	sqe_init(e, set ? 0x09 : 0x0a, 0);
	put_le32(e + 40, fid);
	put_le32(e + 44, cdw11);
	return cmd(&aq, e, dw0);
}

static u16 create_cq(u16 qid, u64 base, u16 size, u16 vec)
{
	u8 e[64];

	sqe_init(e, 0x05, 0);
	put_le64(e + 24, base);
	put_le32(e + 40, qid | (u32)(size - 1) << 16);
	put_le32(e + 44, 3 | (u32)vec << 16);	/* PC, IEN */
	return cmd(&aq, e, NULL);
}

static u16 create_sq(u16 qid, u64 base, u16 size, u16 cqid)
{
	u8 e[64];

	sqe_init(e, 0x01, 0);
	put_le64(e + 24, base);
	put_le32(e + 40, qid | (u32)(size - 1) << 16);
	put_le32(e + 44, 1 | (u32)cqid << 16);	/* PC */
	return cmd(&aq, e, NULL);
}

static u16 delete_q(bool cq, u16 qid)
{
	u8 e[64];

	sqe_init(e, cq ? 0x04 : 0x00, 0);
	put_le32(e + 40, qid);
	return cmd(&aq, e, NULL);
}

static void rw_sqe(u8 *e, bool write, u32 nsid, u64 slba, u32 nlb,
		   u64 prp1, u64 prp2)
{
	sqe_init(e, write ? 0x01 : 0x02, nsid);
	put_le64(e + 24, prp1);
	put_le64(e + 32, prp2);
	put_le64(e + 40, slba);
	put_le32(e + 48, nlb - 1);
}

static u16 rw(struct q *q, bool write, u32 nsid, u64 slba, u32 nlb,
	      u64 prp1, u64 prp2)
{
	u8 e[64];

	rw_sqe(e, write, nsid, slba, nlb, prp1, prp2);
	return cmd(q, e, NULL);
}

static u32 csts(void)
{
	return rd32(NBAR + 0x1c);
}

struct bits {
	u32 mask, want;
};

static bool csts_is(void *arg)
{
	struct bits *b = arg;

	return (csts() & b->mask) == b->want;
}

static bool wait_csts(u32 mask, u32 want, unsigned int ms)
{
	struct bits b = { mask, want };

	return wait_for(csts_is, &b, ms);
}

/* Enable the controller with the admin queues, as nvme_enable_ctrl(). */
static bool enable(void)
{
	u32 cc = 6u << 16 | 4u << 20;	/* IOSQES 6, IOCQES 4, CSS/MPS/AMS 0 */

	memset(host_ptr(ACQ, 32 * 16), 0, 32 * 16);
	aq.sqt = aq.cqh = 0;
	aq.phase = true;
	wr32(NBAR + 0x24, 31 | 31u << 16);	/* AQA */
	wr64(NBAR + 0x28, ASQ);
	wr64(NBAR + 0x30, ACQ);
	wr32(NBAR + 0x14, cc);
	if (rd32(NBAR + 0x14) != cc)
		return false;
	wr32(NBAR + 0x14, cc | 1);
	return wait_csts(3, 1, 3000);
}

static void setup_msix(void)
{
	unsigned int v;
	u32 c;

	for (v = 0; v <= QUEUES; v++) {
		wr64(NBAR + 0x2000 + 16 * v, HOST_MSI);
		wr32(NBAR + 0x2000 + 16 * v + 8, VEC(v));
		wr32(NBAR + 0x2000 + 16 * v + 12, 0);
	}
	cfg_rd(0x84, &c);
	cfg_wr(0x84, (c & 0x3fffffff) | 1u << 31);
}

static void set_msix(bool on)
{
	u32 c;

	cfg_rd(0x84, &c);
	cfg_wr(0x84, (c & 0x3fffffff) | (on ? 1u << 31 : 0));
}

/* ---- the steps --------------------------------------------------------- */

static bool step_registers(void)
{
	u64 cap = rd64(NBAR);
	u32 v, tab, pba;

	cfg_rd(0x08, &v);
	CHECK(v >> 8 == 0x010802, "class code 010802 (NVM Express)",
	      "%#x", v);
	cfg_rd(0x84, &v);
	cfg_rd(0x88, &tab);
	cfg_rd(0x8c, &pba);
	CHECK((v & 0xff) == 0x11 && ((v >> 16) & 0x7ff) == QUEUES &&
	      tab == 0x2000 && pba == 0x3000,
	      "MSI-X: queues + 1 vectors, table BAR0 0x2000, PBA 0x3000 (beyond the doorbells)",
	      "cap %#x table %#x pba %#x", v, tab, pba);
	CHECK((cap & 0xffff) == 1023 && (cap >> 16 & 1) &&
	      (cap >> 24 & 0xff) == 30 && !(cap >> 32 & 0xf) &&
	      (cap >> 37 & 1) && !(cap >> 48 & 0xf),
	      "CAP: MQES 1023, CQR, TO 30, DSTRD 0, CSS NVM, MPSMIN 4K",
	      "%#llx", (unsigned long long)cap);
	CHECK(rd32(NBAR + 8) == 0x10300, "VS 1.3.0");
	CHECK(rd32(NBAR + 0x3c) == 0 && rd32(NBAR + 0x38) == 0,
	      "no CMB (CMBSZ, CMBLOC 0)");
	v = csts();
	return CHECK(v != 0xffffffff && !(v & 2),
		     "CSTS readable, not fatal", "%#x", v);
}

static void step_identify(u64 *nsze)
{
	u8 *d = host_ptr(IDBUF, PAGE), *d2 = host_ptr(IDBUF2, 2 * PAGE);
	u8 *nguid, eui[8], ng[16];
	u16 st;
	int i, ascii = 1;

	st = identify(1, 0, IDBUF, 0);
	CHECK(!st, "Identify controller (CNS 1)", "status %#x", st);
	for (i = 4; i < 64; i++)
		ascii &= d[i] >= 0x20 && d[i] < 0x7f;
	CHECK(get_le16(d) == 0x1033 && ascii && d[4] != ' ' &&
	      !memcmp(d + 24, "eebox NVMe over ExpEther", 24),
	      "... VID 1033, SN and MN printable");
	CHECK(d[77] == 5 && get_le32(d + 80) == 0x10300 && d[512] == 0x66 &&
	      d[513] == 0x44 && get_le32(d + 516) == 1 && !get_le32(d + 536) &&
	      d[525] == 1 && d[768] == 'n' && get_le16(d + 266),
	      "... MDTS 5, VER 1.3, SQES 66, CQES 44, NN 1, no SGL, VWC, SUBNQN, WCTEMP");
	/* the same with PRP1 at a page offset and PRP2 the next page */
	memset(d2, 0xcc, 2 * PAGE);
	st = identify(1, 0, IDBUF2 + 0x800, IDBUF2 + PAGE);
	CHECK(!st && !memcmp(d2 + 0x800, d, PAGE),
	      "Identify into PRP1 + 0x800 and PRP2: the same 4096 bytes",
	      "status %#x", st);

	st = identify(2, 0, IDBUF, 0);
	CHECK(!st && get_le32(d) == 1 && get_le32(d + 4) == 0,
	      "active namespace list (CNS 2): just 1", "status %#x", st);
	st = identify(3, 1, IDBUF, 0);
	memcpy(eui, d + 4, 8);
	memcpy(ng, d + 16, 16);
	CHECK(!st && d[0] == 1 && d[1] == 8 && d[12] == 2 && d[13] == 16 &&
	      d[32] == 3 && d[33] == 16 && d[52] == 4 && d[53] == 1 &&
	      !d[56] && !d[57],
	      "namespace descriptors (CNS 3): EUI-64, NGUID, UUID, CSI NVM",
	      "status %#x", st);
	st = identify(0, 1, IDBUF, 0);
	*nsze = get_le64(d);
	nguid = d + 104;
	CHECK(!st && *nsze == NLBA && get_le64(d + 8) == NLBA && !d[25] &&
	      !d[26] && d[130] == 9 && !get_le16(d + 128),
	      "Identify namespace 1: 16384 blocks of 512 bytes, no metadata",
	      "status %#x nsze %llu", st, (unsigned long long)*nsze);
	CHECK(!memcmp(nguid, ng, 16) && !memcmp(d + 120, eui, 8),
	      "... NGUID and EUI-64 as in the descriptors");
	st = identify(0x1f, 0, IDBUF, 0);
	CHECK(st == (0x4000 | 0x2), "unknown CNS: Invalid Field, DNR",
	      "status %#x", st);
	st = identify(6, 0, IDBUF, 0);
	CHECK(!st, "CNS 6 (NVM controller): zeros, success", "%#x", st);
}

static void step_features(void)
{
	u32 dw0 = 0;
	u16 st;
	u8 e[64];

	st = features(true, 0x07, 7 | 7u << 16, &dw0);
	CHECK(!st && dw0 == (3 | 3u << 16),
	      "Set Features Number of Queues 8/8: 4/4 allocated",
	      "status %#x dw0 %#x", st, dw0);
	st = features(false, 0x07, 0, &dw0);
	CHECK(!st && dw0 == (3 | 3u << 16), "Get Features Number of Queues",
	      "status %#x dw0 %#x", st, dw0);
	st = features(false, 0x04, 0, &dw0);
	CHECK(!st && dw0 == 343, "Get Features Temperature Threshold (343 K)",
	      "status %#x dw0 %u", st, dw0);
	st = features(true, 0x0c, 0, &dw0);
	CHECK(st == 0x4002, "Set Features APST (not offered): Invalid Field",
	      "status %#x", st);
	/* SMART log: 512 bytes */
	sqe_init(e, 0x02, 0xffffffff);
	put_le64(e + 24, IDBUF);
	put_le32(e + 40, 0x02 | 127u << 16);
	st = cmd(&aq, e, NULL);
	CHECK(!st && get_le16(host_ptr(IDBUF + 1, 2)) == 313,
	      "Get Log Page SMART: composite temperature 313 K",
	      "status %#x", st);
	put_le32(e + 40, 0x77 | 127u << 16);
	st = cmd(&aq, e, NULL);
	CHECK(st == 0x4109, "Get Log Page of an unknown log: Invalid Log Page",
	      "status %#x", st);
	sqe_init(e, 0x80, 0);		/* Format NVM: not offered */
	st = cmd(&aq, e, NULL);
	CHECK(st == 0x4001, "unsupported admin opcode: Invalid Opcode",
	      "status %#x", st);
}

/* Write 40 KiB through a chained PRP list, read it back. */
static void step_io(u64 *aer_cid)
{
	u32 len = 80 * 512, first = PAGE - 0x200, i, np, rest;
	u64 msi1 = hs.msi[VEC(1)], msi2 = hs.msi[VEC(2)];
	u8 *w = malloc(len), *g = malloc(len), e[64];
	u64 page[16], rpage[16];
	u16 st;

	(void)aer_cid;
	if (!w || !g) {
		fprintf(stderr, "eeprobe: out of memory\n");
		exit(1);
	}
	fill_random(w, len, 11);
	/* source pages: every third page, PRP1 at offset 0x200 */
	np = 1 + (len - first + PAGE - 1) / PAGE;
	for (i = 0; i < np; i++)
		page[i] = WPAGES + (u64)i * 3 * PAGE;
	memcpy(host_ptr(page[0] + 0x200, first), w, first);
	for (i = 1, rest = len - first; i < np; i++) {
		u32 n = rest < PAGE ? rest : PAGE;

		memcpy(host_ptr(page[i], n), w + first + (i - 1) * PAGE, n);
		rest -= n;
	}
	/* the list: 3 entries at LIST1 (0xfe0 in its page), then a chain
	 * pointer to LIST1B (0x100 in its page) with the rest
	 */
	for (i = 1; i < 4; i++)
		put_le64(host_ptr(LIST1 + (i - 1) * 8, 8), page[i]);
	put_le64(host_ptr(LIST1 + 24, 8), LIST1B);
	for (i = 4; i < np; i++)
		put_le64(host_ptr(LIST1B + (i - 4) * 8, 8), page[i]);
	st = rw(&q1, true, 1, 1000, 80, page[0] + 0x200, LIST1);
	CHECK(!st && wait_msi(VEC(1), msi1 + 1, 1000),
	      "Write 80 blocks, PRP1 + 0x200 and a chained PRP list (queue 1, MSI-X 1)",
	      "status %#x", st);

	/* read back into other pages, in reverse order, no chain */
	for (i = 0; i < np; i++)
		rpage[i] = RPAGES + (u64)(np - i) * 2 * PAGE;
	for (i = 1; i < np; i++)
		put_le64(host_ptr(LIST2 + (i - 1) * 8, 8), rpage[i]);
	st = rw(&q2, false, 1, 1000, 80, rpage[0] + 0x200, LIST2);
	memcpy(g, host_ptr(rpage[0] + 0x200, first), first);
	for (i = 1, rest = len - first; i < np; i++) {
		u32 n = rest < PAGE ? rest : PAGE;

		memcpy(g + first + (i - 1) * PAGE, host_ptr(rpage[i], n), n);
		rest -= n;
	}
	CHECK(!st && wait_msi(VEC(2), msi2 + 1, 1000),
	      "Read 80 blocks into scattered pages (queue 2 below 4 GiB, MSI-X 2)",
	      "status %#x", st);
	CHECK(!memcmp(w, g, len), "read back = written, byte for byte");

	/* PRP1 + PRP2, two pages, no list */
	memset(host_ptr(IDBUF2, 2 * PAGE), 0, 2 * PAGE);
	st = rw(&q1, false, 1, 1000, 16, IDBUF2, IDBUF2 + PAGE);
	CHECK(!st && !memcmp(host_ptr(IDBUF2, 2 * PAGE), w, 2 * PAGE),
	      "Read 8 KiB with PRP1 and PRP2", "status %#x", st);

	/* a block for the file check of box-test.sh */
	memset(g, 0, 512);
	snprintf((char *)g, 512, "eeprobe nvme block 100");
	memcpy(host_ptr(IDBUF, 512), g, 512);
	st = rw(&q1, true, 1, 100, 1, IDBUF, 0);
	sqe_init(e, 0x00, 1);
	st |= cmd(&q1, e, NULL);
	CHECK(!st, "Write block 100, Flush", "status %#x", st);
	free(w);
	free(g);
}

static void step_errors(void)
{
	u64 refused;
	u8 e[64];
	u32 dw0 = 0;
	u16 st;

	st = rw(&q1, false, 1, NLBA - 1, 2, IDBUF2, IDBUF2 + PAGE);
	CHECK(st == 0x4080, "Read past the end: LBA Out of Range",
	      "status %#x", st);
	st = rw(&q1, false, 2, 0, 1, IDBUF2, 0);
	CHECK(st == 0x400b, "Read of namespace 2: Invalid Namespace",
	      "status %#x", st);
	st = rw(&q1, false, 1, 0, 258, IDBUF2, LIST2);
	CHECK(st == 0x4002, "129 KiB (beyond MDTS): Invalid Field",
	      "status %#x", st);
	st = rw(&q1, false, 1, 0, 16, IDBUF2, IDBUF2 + PAGE + 8);
	CHECK(st == 0x4013, "PRP2 not page aligned: Invalid PRP Offset",
	      "status %#x", st);
	refused = hs.mwr_refused;
	st = rw(&q1, false, 1, 0, 8, HOLE, 0);
	CHECK(!st && hs.mwr_refused - refused == 4096 / 128,
	      "Read into an unmapped buffer: posted writes, refused and counted by the host",
	      "status %#x, %llu refused", st,
	      (unsigned long long)(hs.mwr_refused - refused));
	st = rw(&q1, true, 1, 0, 8, HOLE, 0);
	CHECK(st == 0x4004,
	      "Write from an unmapped buffer (UR): Data Transfer Error",
	      "status %#x", st);
	st = rw(&q1, false, 1, 1000, 8, IDBUF2, 0);
	CHECK(!st, "... and the controller goes on", "status %#x", st);
	sqe_init(e, 0x08, 0);
	put_le32(e + 40, 1 | 0x105u << 16);
	st = cmd(&aq, e, &dw0);
	CHECK(!st && (dw0 & 1), "Abort: completed, command not aborted",
	      "status %#x dw0 %#x", st, dw0);
	st = create_sq(3, HOST_HIGH + 0x60000, 16, 3);
	CHECK(st == 0x4100, "Create SQ on a missing CQ: Completion Queue Invalid",
	      "status %#x", st);
	st = create_cq(3, HOST_HIGH + 0x60000, 16, QUEUES + 1);
	CHECK(st == 0x4108, "Create CQ with a vector beyond the table: Invalid Interrupt Vector",
	      "status %#x", st);
	st = create_cq(QUEUES + 1, HOST_HIGH + 0x60000, 16, 1);
	CHECK(st == 0x4101, "Create CQ beyond the queues allocated: Invalid Queue Identifier",
	      "status %#x", st);
}

/* INTx when MSI-X is off: level follows unconsumed completions, INTMS. */
static void step_intx(void)
{
	u64 as = hs.intx_assert, de = hs.intx_deassert, msi = hs.msi_total;
	struct cqe c;
	u8 e[64];
	bool ok;

	set_msix(false);
	rw_sqe(e, false, 1, 1000, 1, IDBUF2, 0);
	submit(&q1, e);
	ok = wait_for(cqe_ready, &q1, 2000);
	idle_ms(20);
	CHECK(ok && hs.intx && hs.intx_assert == as + 1 && hs.msi_total == msi,
	      "MSI-X off: a completion asserts INTA (Assert_INTx message)");
	wr32(NBAR + 0x0c, 1);		/* INTMS */
	idle_ms(20);
	CHECK(!hs.intx && hs.intx_deassert == de + 1,
	      "INTMS masks it: Deassert_INTx");
	wr32(NBAR + 0x10, 1);		/* INTMC */
	idle_ms(20);
	CHECK(hs.intx && hs.intx_assert == as + 2, "INTMC: asserted again");
	reap(&q1, &c, 100);		/* consume: CQ head doorbell */
	idle_ms(20);
	CHECK(!hs.intx && hs.intx_deassert == de + 2 && !c.status,
	      "consuming the completion deasserts it");
	set_msix(true);
}

/* MSI (MSI-X off): vectors by CQ, INTMS/INTMC, the capability's masks. */
static void step_msi(void)
{
	u64 m1 = hs.msi[0x61], m2 = hs.msi[0x62];
	u32 v;
	u16 st;

	set_msix(false);
	cfg_rd(0x90, &v);
	CHECK((v & 0xff) == 0x05 && (v >> 16) == 0x186,
	      "MSI capability at 0x90: 64-bit, per-vector masks, 8 vectors",
	      "%#x", v);
	cfg_wr(0x94, (u32)HOST_MSI);
	cfg_wr(0x98, (u32)(HOST_MSI >> 32));
	cfg_wr(0x9c, 0x60);			/* data: vector in the low bits */
	cfg_wr(0xa0, 0);			/* no vector masked */
	cfg_wr(0x90, (v & 0xffff) | (1u | 3u << 4) << 16);	/* 8, on */
	st = rw(&q1, false, 1, 1000, 8, IDBUF2, 0);
	CHECK(!st && wait_msi(0x61, m1 + 1, 1000),
	      "MSI: queue 1 completes on vector 1 (data 0x61)");
	st = rw(&q2, false, 1, 1000, 8, IDBUF2, 0);
	CHECK(!st && wait_msi(0x62, m2 + 1, 1000),
	      "MSI: queue 2 on vector 2 (data 0x62)");
	wr32(NBAR + 0x0c, 1u << 1);		/* INTMS vector 1 */
	st = rw(&q1, false, 1, 1000, 8, IDBUF2, 0);
	idle_ms(30);
	CHECK(!st && hs.msi[0x61] == m1 + 1, "INTMS holds vector 1 back");
	wr32(NBAR + 0x10, 1u << 1);		/* INTMC */
	CHECK(wait_msi(0x61, m1 + 2, 1000), "INTMC sends it");
	cfg_wr(0xa0, 1u << 2);			/* capability mask bit 2 */
	st = rw(&q2, false, 1, 1000, 8, IDBUF2, 0);
	idle_ms(30);
	cfg_rd(0xa4, &v);
	CHECK(!st && hs.msi[0x62] == m2 + 1 && v == 1u << 2,
	      "MSI mask bit: held back, Pending bit set", "pending %#x", v);
	cfg_wr(0xa0, 0);
	cfg_rd(0xa4, &v);
	CHECK(wait_msi(0x62, m2 + 2, 1000) && !v,
	      "unmasking sends it and clears Pending", "pending %#x", v);
	cfg_rd(0x90, &v);
	cfg_wr(0x90, (v & 0xffff) | (3u << 4) << 16);	/* MSI off */
	set_msix(true);
}

static void step_teardown(void)
{
	u16 st;

	st = delete_q(true, 2);
	CHECK(st == 0x410c, "Delete CQ 2 while SQ 2 uses it: Invalid Queue Deletion",
	      "status %#x", st);
	st = delete_q(false, 1) | delete_q(true, 1) | delete_q(false, 2) |
	     delete_q(true, 2);
	CHECK(!st, "Delete SQ 1, CQ 1, SQ 2, CQ 2", "status %#x", st);
	st = delete_q(false, 1);
	CHECK(st == 0x4101, "Delete a deleted SQ: Invalid Queue Identifier",
	      "status %#x", st);
}

/* Queue depth 8 of 128 KiB reads: the box's NVMe throughput. */
static void step_bench(void)
{
	u32 per = 128 * 1024, n = 24, i, j, done = 0, bad = 0;
	u64 t0, t1;
	struct cqe c;
	u8 e[64];
	u64 list = HOST_HIGH + 0x70000;

	/* one PRP list of 31 pages per slot of the queue */
	for (i = 0; i < 8; i++)
		for (j = 1; j < 32; j++)
			put_le64(host_ptr(list + i * 256 + (j - 1) * 8, 8),
				 BENCH + (u64)i * per + (u64)j * PAGE);
	t0 = conn_now();
	for (i = 0; i < n && i < 8; i++) {
		rw_sqe(e, false, 1, 0, per / 512, BENCH + (u64)i * per,
		       list + i * 256);
		submit(&q1, e);
	}
	while (done < n) {
		if (!reap(&q1, &c, 10000))
			break;
		bad += c.status != 0;
		j = done++ % 8;
		if (i < n) {
			rw_sqe(e, false, 1, (u64)i * (per / 512) % NLBA,
			       per / 512, BENCH + (u64)j * per, list + j * 256);
			submit(&q1, e);
			i++;
		}
	}
	t1 = conn_now();
	CHECK(done == n && !bad, "24 reads of 128 KiB, queue depth 8",
	      "%u done, %u failed", done, bad);
	printf("throughput: nvme read %u bytes in %llu us: %.1f MB/s\n",
	       n * per, (unsigned long long)((t1 - t0) / 1000),
	       (double)n * per / ((double)(t1 - t0) / 1e9) / 1e6);
}

int scn_nvme(int argc, char **argv)
{
	u64 nsze = 0, aer = 0;
	struct cqe c;
	u8 e[64];
	u16 st, aer_cid;

	(void)argc;
	(void)argv;
	host_mem_init();
	host_map(HOST_LOW, 1ULL << 20, MAP_RW);
	host_map(HOST_HIGH, 0x7f0000, MAP_RW);	/* HOLE stays unmapped */
	cfg_wr(0x10, (u32)NBAR | 4);
	cfg_wr(0x14, (u32)(NBAR >> 32));
	cfg_wr(4, 0x6);
	if (!step_registers())
		goto out;
	setup_msix();

	/* nvme_disable_ctrl(), admin queue, nvme_enable_ctrl() */
	wr32(NBAR + 0x14, 0);
	CHECK(wait_csts(1, 0, 2000), "CC.EN 0: CSTS.RDY 0");
	if (!CHECK(enable(), "CC.EN 1 with the admin queue: CSTS.RDY 1",
		   "CSTS %#x", csts()))
		goto out;
	step_identify(&nsze);
	step_features();
	/* an AER stays outstanding */
	sqe_init(e, 0x0c, 0);
	aer_cid = submit(&aq, e);
	st = create_cq(1, CQ1, 64, 1) | create_sq(1, SQ1, 64, 1) |
	     create_cq(2, CQ2, 32, 2) | create_sq(2, SQ2, 32, 2);
	if (!CHECK(!st, "Create I/O CQ 1 (vector 1), SQ 1, CQ 2 (vector 2), SQ 2",
		   "status %#x", st))
		goto out;
	step_io(&aer);
	step_errors();
	step_intx();
	step_msi();
	step_bench();
	step_teardown();
	CHECK(!wait_for(cqe_ready, &aq, 50),
	      "the AER is still outstanding (no completion for it)",
	      "a completion appeared");
	(void)aer_cid;

	/* shutdown, then reset and a fresh start */
	wr32(NBAR + 0x14, rd32(NBAR + 0x14) | 1u << 14);
	CHECK(wait_csts(0xc, 0x8, 2000), "CC.SHN normal: CSTS.SHST complete",
	      "CSTS %#x", csts());
	wr32(NBAR + 0x14, 6u << 16 | 4u << 20);
	CHECK(wait_csts(0xd, 0, 2000), "CC.EN 0: RDY and SHST clear (reset)",
	      "CSTS %#x", csts());
	CHECK(enable(), "enabled again after the reset", "CSTS %#x", csts());
	st = identify(1, 0, IDBUF, 0);
	CHECK(!st && reap(&aq, &c, 10) == false,
	      "Identify works after the reset; the old AER never completes",
	      "status %#x", st);
	wr32(NBAR + 0x14, 6u << 16 | 4u << 20);
	wait_csts(1, 0, 2000);
	CHECK(!hs.bad_req_id && !hs.too_long && !hs.other,
	      "every device request: its own requester ID, within MRRS/MPS",
	      "bad requester %llu, too long %llu, other %llu",
	      (unsigned long long)hs.bad_req_id,
	      (unsigned long long)hs.too_long, (unsigned long long)hs.other);
	CHECK(!mmio_failures, "no config or MMIO request failed", "%u",
	      mmio_failures);
out:
	host_mem_free();
	return scn_status();
}
