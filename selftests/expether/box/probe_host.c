// SPDX-License-Identifier: GPL-2.0
/*
 * eeprobe: a host with memory for the device to DMA into, an interrupt
 * recorder, and driver-side helpers (see probe_host.h).
 */
#include <stdarg.h>
#include <stdlib.h>

#include "probe_host.h"

#define RCB		64	/* the root complex's Read Completion Boundary */
#define MAX_MAPS	64

struct host_stats hs;
unsigned int host_mps = 128;
unsigned int host_mrrs = 512;
bool host_blackhole;
void (*host_msi_hook)(u32 data);
unsigned int checks_failed, checks_passed, mmio_failures;

static struct {
	u64 base, size;
	u8 *mem;
} areas[2] = {
	{ HOST_LOW, HOST_LOW_SIZE, NULL },
	{ HOST_HIGH, HOST_HIGH_SIZE, NULL },
};

static struct {
	u64 addr, len;
	unsigned int perm;
} maps[MAX_MAPS];
static unsigned int nmaps;

/* Completions made while one frame of the device's is processed. */
static u8 out[EXPETHER_MAX_PAYLOAD];
static size_t out_len;

void host_mem_init(void)
{
	unsigned int i;

	for (i = 0; i < 2; i++) {
		areas[i].mem = calloc(1, areas[i].size);
		if (!areas[i].mem) {
			fprintf(stderr, "eeprobe: out of memory\n");
			exit(1);
		}
	}
	memset(&hs, 0, sizeof(hs));
	nmaps = 0;
}

void host_mem_free(void)
{
	unsigned int i;

	for (i = 0; i < 2; i++) {
		free(areas[i].mem);
		areas[i].mem = NULL;
	}
}

u8 *host_ptr(u64 addr, u64 len)
{
	unsigned int i;

	for (i = 0; i < 2; i++)
		if (areas[i].mem && addr >= areas[i].base &&
		    addr - areas[i].base < areas[i].size &&
		    len <= areas[i].size - (addr - areas[i].base))
			return areas[i].mem + (addr - areas[i].base);
	return NULL;
}

void host_map(u64 addr, u64 len, unsigned int perm)
{
	if (nmaps == MAX_MAPS || !host_ptr(addr, len)) {
		fprintf(stderr, "eeprobe: bad mapping %#llx+%#llx\n",
			(unsigned long long)addr, (unsigned long long)len);
		exit(1);
	}
	maps[nmaps].addr = addr;
	maps[nmaps].len = len;
	maps[nmaps++].perm = perm;
}

void host_unmap_all(void)
{
	nmaps = 0;
}

/* Is every byte of [addr, addr + len) mapped with @perm? */
static bool mapped(u64 addr, u64 len, unsigned int perm)
{
	u64 end = addr + len;
	unsigned int i;
	bool moved;

	while (addr < end) {
		moved = false;
		for (i = 0; i < nmaps; i++) {
			if ((maps[i].perm & perm) != perm ||
			    addr < maps[i].addr ||
			    addr - maps[i].addr >= maps[i].len)
				continue;
			addr = maps[i].addr + maps[i].len;
			moved = true;
			break;
		}
		if (!moved)
			return false;
	}
	return true;
}

/* ---- the device's requests -------------------------------------------- */

static void out_flush(void)
{
	if (out_len)
		queue(out, out_len);
	out_len = 0;
}

static void out_tlp(const struct ee_tlp *t)
{
	if (out_len + ee_tlp_size(t) > sizeof(out))
		out_flush();
	put_tlp(out, sizeof(out), &out_len, t);
	hs.cpls++;
}

/* The enabled bytes of a memory request: [*first, *end) from its DW. */
static void enabled_span(const struct ee_tlp *t, u32 *first, u32 *end)
{
	u32 nbytes = (u32)t->length * 4;

	*first = 0;
	*end = nbytes;
	while (*first < nbytes && !ee_tlp_byte_enabled(t, *first))
		(*first)++;
	while (*end > *first && !ee_tlp_byte_enabled(t, *end - 1))
		(*end)--;
}

static void host_mrd(const struct ee_tlp *t)
{
	u32 nbytes = (u32)t->length * 4, pos, first, end;
	struct ee_cpl_part p;
	struct ee_tlp c;
	u8 *mem;

	hs.mrd++;
	if (nbytes > host_mrrs)
		hs.too_long++;
	if (host_blackhole)
		return;
	enabled_span(t, &first, &end);
	mem = host_ptr(t->addr, nbytes);
	/* Only the enabled bytes need a mapping (a 0-length read: none). */
	if (!mem || (end > first &&
		     !mapped(t->addr + first, end - first, MAP_R))) {
		hs.mrd_ur++;
		ee_cpl_split(t, 0, RCB, RCB, &p);
		ee_tlp_init_cpl(&c, t, 0x0000, EE_CPL_UR, NULL, 0,
				p.byte_count, p.lower_addr);
		out_tlp(&c);
		return;
	}
	hs.mrd_bytes += nbytes;
	for (pos = 0; pos < nbytes; ) {
		pos = ee_cpl_split(t, pos, RCB, host_mps, &p);
		ee_tlp_init_cpl(&c, t, 0x0000, EE_CPL_SC, mem + p.offset,
				p.length_dw, p.byte_count, p.lower_addr);
		out_tlp(&c);
	}
}

static void host_mwr(const struct ee_tlp *t)
{
	u32 nbytes = (u32)t->length * 4, i, first, end;
	u8 *mem;

	if (nbytes > host_mps)
		hs.too_long++;
	enabled_span(t, &first, &end);
	if (t->addr >= HOST_MSI && t->addr < HOST_MSI + 0x1000) {
		if (nbytes != 4 || t->first_be != 0xf) {
			hs.other++;
			return;
		}
		hs.msi_total++;
		hs.msi[t->data[0]]++;
		if (host_msi_hook)
			host_msi_hook(get_le32(t->data));
		return;
	}
	mem = host_ptr(t->addr, nbytes);
	if (!mem || first >= end ||
	    !mapped(t->addr + first, end - first, MAP_W)) {
		hs.mwr_refused++;
		hs.mwr_refused_bytes += end - first;
		hs.last_refused = t->addr + first;
		return;
	}
	hs.mwr++;
	hs.mwr_bytes += end - first;
	for (i = first; i < end; i++)
		if (ee_tlp_byte_enabled(t, i))
			mem[i] = t->data[i];
}

void host_rx_tlp(const struct ee_tlp *t)
{
	if ((t->kind == EE_TLP_MRD || t->kind == EE_TLP_MWR ||
	     t->kind == EE_TLP_MSG || t->kind == EE_TLP_MSGD) &&
	    t->req_id != TARGET_ID)
		hs.bad_req_id++;
	switch (t->kind) {
	case EE_TLP_MRD:
		host_mrd(t);
		break;
	case EE_TLP_MWR:
		host_mwr(t);
		break;
	case EE_TLP_MSG:
		if (t->msg_routing == EE_MSG_ROUTE_LOCAL &&
		    t->msg_code >= EE_MSG_ASSERT_INTA &&
		    t->msg_code <= EE_MSG_DEASSERT_INTA + 3) {
			hs.intx = t->msg_code < EE_MSG_DEASSERT_INTA;
			if (hs.intx)
				hs.intx_assert++;
			else
				hs.intx_deassert++;
			break;
		}
		hs.other++;
		break;
	default:
		hs.other++;
		break;
	}
}

void host_rx_done(void)
{
	out_flush();
}

/* ---- config and MMIO --------------------------------------------------- */

struct rd {
	u64 addr;
	u32 len, got;
	u8 *buf;
	bool bad;
};

static void rd_cpl(const struct ee_tlp *t, void *arg)
{
	struct rd *r = arg;
	u32 off;
	int n;

	if (t->status != EE_CPL_SC) {
		r->bad = true;
		return;
	}
	n = ee_cpl_locate(r->addr, r->len, t, &off);
	if (n <= 0 || off != r->got) {
		r->bad = true;
		return;
	}
	memcpy(r->buf + off, t->data + (t->lower_addr & 3), (size_t)n);
	r->got += (u32)n;
}

int mmio_rd(u64 addr, void *buf, u32 len)
{
	struct rd r = { .addr = addr, .len = len, .buf = buf };
	u8 tag = probe_tag();
	struct ee_tlp t;

	if (ee_tlp_init_mem(&t, false, REQ_ID, tag, addr, len, NULL)) {
		fprintf(stderr, "eeprobe: bad MMIO read %#llx+%u\n",
			(unsigned long long)addr, len);
		exit(1);
	}
	send_tlp(&t);
	if (!wait_cpls(tag, 1, 1, rd_cpl, &r) || r.bad || r.got != len) {
		mmio_failures++;
		memset(buf, 0xff, len);
		return -1;
	}
	return 0;
}

void mmio_wr(u64 addr, const void *buf, u32 len)
{
	u8 tmp[4 + 4096 + 4] = { 0 };
	struct ee_tlp t;

	memcpy(tmp + (addr & 3), buf, len);
	if (ee_tlp_init_mem(&t, true, REQ_ID, 0, addr, len, tmp)) {
		fprintf(stderr, "eeprobe: bad MMIO write %#llx+%u\n",
			(unsigned long long)addr, len);
		exit(1);
	}
	send_tlp(&t);
}

u32 rd32(u64 addr)
{
	u8 b[4];

	mmio_rd(addr, b, 4);
	return get_le32(b);
}

u16 rd16(u64 addr)
{
	u8 b[2];

	mmio_rd(addr, b, 2);
	return get_le16(b);
}

u8 rd8(u64 addr)
{
	u8 b;

	mmio_rd(addr, &b, 1);
	return b;
}

u64 rd64(u64 addr)
{
	u64 lo = rd32(addr);

	return lo | (u64)rd32(addr + 4) << 32;
}

void wr32(u64 addr, u32 v)
{
	u8 b[4];

	put_le32(b, v);
	mmio_wr(addr, b, 4);
}

void wr16(u64 addr, u16 v)
{
	u8 b[2];

	put_le16(b, v);
	mmio_wr(addr, b, 2);
}

void wr8(u64 addr, u8 v)
{
	mmio_wr(addr, &v, 1);
}

void wr64(u64 addr, u64 v)
{
	wr32(addr, (u32)v);
	wr32(addr + 4, (u32)(v >> 32));
}

struct cfg {
	u32 val;
	bool ok;
};

static void cfg_cpl(const struct ee_tlp *t, void *arg)
{
	struct cfg *c = arg;

	c->ok = t->status == EE_CPL_SC;
	if (t->kind == EE_TLP_CPLD && t->length == 1)
		c->val = get_le32(t->data);
}

static int cfg_do(bool write, u16 reg, u32 *val)
{
	struct cfg c = { 0 };
	u8 tag = probe_tag(), b[4];
	struct ee_tlp t;

	put_le32(b, *val);
	ee_tlp_init_cfg(&t, write, false, REQ_ID, tag, TARGET_ID, reg, 0xf,
			b);
	send_tlp(&t);
	if (!wait_cpls(tag, 1, 1, cfg_cpl, &c) || !c.ok) {
		mmio_failures++;
		return -1;
	}
	*val = c.val;
	return 0;
}

int cfg_rd(u16 reg, u32 *val)
{
	*val = 0xffffffff;
	return cfg_do(false, reg, val);
}

int cfg_wr(u16 reg, u32 val)
{
	return cfg_do(true, reg, &val);
}

static bool acked(void *arg)
{
	(void)arg;
	return conn_unacked(conn) == 0;
}

bool flush_writes(void)
{
	return run_until(acked, NULL, conn_now() + timeout_ns);
}

void idle_ms(unsigned int ms)
{
	run_until(NULL, NULL, conn_now() + ms * MS);
}

struct msi_wait {
	u8 data;
	u64 count;
};

static bool msi_arrived(void *arg)
{
	struct msi_wait *w = arg;

	return hs.msi[w->data] >= w->count;
}

bool wait_msi(u8 data, u64 count, unsigned int ms)
{
	struct msi_wait w = { data, count };

	return run_until(msi_arrived, &w, conn_now() + ms * MS);
}

bool wait_for(bool (*cond)(void *arg), void *arg, unsigned int ms)
{
	return run_until(cond, arg, conn_now() + ms * MS);
}

/* ---- results ----------------------------------------------------------- */

bool check(bool ok, const char *desc, const char *fmt, ...)
{
	va_list ap;

	if (ok) {
		checks_passed++;
		printf("ok - %s\n", desc);
		return true;
	}
	checks_failed++;
	printf("not ok - %s", desc);
	if (fmt[0] && fmt[1]) {	/* " " then the caller's format */
		printf(":");
		va_start(ap, fmt);
		vprintf(fmt, ap);
		va_end(ap);
	}
	printf("\n");
	return false;
}

int scn_status(void)
{
	printf("checks %u passed, %u failed, %u config/MMIO failures\n",
	       checks_passed, checks_failed, mmio_failures);
	return checks_failed ? 1 : 0;
}

void fill_random(u8 *p, size_t n, u32 seed)
{
	u32 x = seed * 2654435761u + 1;
	size_t i;

	for (i = 0; i < n; i++) {
		x ^= x << 13;
		x ^= x >> 17;
		x ^= x << 5;
		p[i] = (u8)(x >> 11);
	}
}

u32 crc32c_bitwise(const u8 *p, size_t n)
{
	u32 crc = 0xffffffffu;
	size_t i;
	int k;

	for (i = 0; i < n; i++) {
		crc ^= p[i];
		for (k = 0; k < 8; k++)
			crc = (crc >> 1) ^ (0x82f63b78u & (0u - (crc & 1)));
	}
	return ~crc;
}
