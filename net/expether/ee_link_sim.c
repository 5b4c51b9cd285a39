// SPDX-License-Identifier: GPL-2.0
/*
 * The link (ee_link.c: Go-Back-N, pacing and the retransmit ring of one
 * peer) under a simulated clock: the scenarios of the user-space
 * test_link and of the KUnit suite expether_link (ee_sim.h).
 *
 * Part one calls the API directly: ring sizing, the queue's limits, the
 * pacer holding frames back (and not holding acks), frames leaving at
 * once when pacing is off.  Part two drives two links, A and B, the way
 * expether.ko and eebox drive theirs: the application keeps the ring
 * full, ee_link_next() is pumped until EE_LINK_NONE, every frame goes
 * through the codec onto a deterministic channel (seeded loss,
 * duplication, reordering), arrivals go to ee_link_rx(), and
 * ee_link_timer() runs once the clock reaches ee_link_deadline().  Each
 * payload is derived from its connection (the sender's ISN) and its
 * index in the stream, so the receiver checks every delivery against the
 * one payload it must be: order, length and content.
 */
#include "ee_types.h"
#include "ee_codec.h"
#include "ee_gbn.h"
#include "ee_rate.h"
#include "ee_link.h"
#include "ee_sim.h"

#define US		1000ULL
#define MS		1000000ULL
#define SEC		1000000000ULL
#define FOREVER		(3600ULL * SEC)
#define SLOT		200	/* slot_size of the channel scenarios */
#define PAY_MIN		12	/* the codec's smallest TLP payload */
#define QCAP		1024	/* frames the channel holds */
#define PUMP_MAX	4096	/* frames one pump may produce */
/* What ee_rate_sent() counts of a frame besides its payload. */
#define WIRE_HDR	(EXPETHER_L2_HLEN + EXPETHER_HLEN)

#ifndef ARRAY_SIZE
#define ARRAY_SIZE(a)	(sizeof(a) / sizeof((a)[0]))
#endif

static u64 mod_u64(u64 a, u64 b)
{
	return a - ee_div64(a, b) * b;
}

/* ---- payloads --------------------------------------------------------- */

static u32 hash32(u32 x)
{
	/* MurmurHash3's finalizer */
	x ^= x >> 16;
	x *= 0x85ebca6bu;
	x ^= x >> 13;
	x *= 0xc2b2ae35u;
	x ^= x >> 16;
	return x;
}

/* Length of payload @idx of stream @tag: @min..@max, both ends often. */
static u32 pay_len(u32 tag, u64 idx, u32 min, u32 max)
{
	if (((u32)idx & 7) == 3)
		return max;
	if (((u32)idx & 7) == 5)
		return min;
	return min + hash32(tag ^ hash32((u32)idx)) % (max - min + 1);
}

/* The bytes of payload @idx of stream @tag: an xorshift32 sequence. */
static u32 pay_seed(u32 tag, u64 idx)
{
	return hash32(tag + hash32((u32)idx ^ 0x5bd1e995u) +
		      (u32)(idx >> 32)) | 1;
}

static u8 pay_byte(u32 *x)
{
	*x ^= *x << 13;
	*x ^= *x >> 17;
	*x ^= *x << 5;
	return (u8)(*x >> 24);
}

static void pay_fill(u8 *p, u32 tag, u64 idx, u32 len)
{
	u32 x = pay_seed(tag, idx);
	u32 k;

	for (k = 0; k < len; k++)
		p[k] = pay_byte(&x);
}

static bool pay_same(const u8 *p, u32 tag, u64 idx, u32 len)
{
	u32 x = pay_seed(tag, idx);
	u32 k;

	for (k = 0; k < len; k++)
		if (p[k] != pay_byte(&x))
			return false;
	return true;
}

/* ---- part one: the API, one call at a time ---------------------------- */

/* A link over a ring of exactly ee_link_ring_size() bytes (so that ASan
 * or KASAN catch any access past it), or NULL.
 */
struct lnk {
	struct ee_link l;
	void *ring;
};

static struct lnk *lnk_new(struct ee_tc *tc, const struct ee_link_cfg *c)
{
	struct lnk *k = ee_tc_zalloc(tc, sizeof(*k));

	if (!k)
		return NULL;
	k->ring = ee_tc_zalloc(tc, ee_link_ring_size(c));
	if (!k->ring) {
		ee_tc_free(tc, k);
		return NULL;
	}
	ee_link_init(&k->l, c, k->ring);
	return k;
}

static void lnk_free(struct ee_tc *tc, struct lnk *k)
{
	if (!k)
		return;
	ee_tc_free(tc, k->ring);
	ee_tc_free(tc, k);
}

static void test_slots(struct ee_tc *tc)
{
	static const struct {
		u32 window, backlog, slots;
	} v[] = {
		{ 64, 64, 128 }, { 64, 0, 64 }, { 100, 28, 128 },
		{ 100, 29, 256 }, { 0, 0, 1 }, { 1, 0, 1 }, { 1, 1, 2 },
		{ 3, 0, 4 }, { 5, 3, 8 }, { 5, 4, 16 }, { 1000, 0, 512 },
		{ 512, 3584, 4096 }, { 512, 3585, 4096 }, { 64, 100000, 4096 },
		{ 1, 0x7fffffffu, 4096 }, { 64, 0xffffffffu, 4096 },
		{ 512, 0xfffffe01u, 4096 },
	};
	struct ee_link_cfg c;
	char what[48];
	u32 i, n;

	ee_link_cfg_default(&c);
	EE_TC_EQ(tc, c.backlog, EE_LINK_DEF_BACKLOG);
	EE_TC_EQ(tc, c.slot_size, EXPETHER_MAX_PAYLOAD);
	EE_TC_CHECK(tc, c.pace);
	EE_TC_EQ(tc, c.gbn.window, EE_GBN_DEF_WINDOW);
	EE_TC_EQ(tc, c.rate.probes, EE_RATE_DEF_PROBES);
	EE_TC_EQ(tc, ee_link_slots(&c), 128);
	EE_TC_EQ(tc, ee_link_ring_size(&c), 128 * (EXPETHER_MAX_PAYLOAD + 2));
	c.slot_size = 100;
	EE_TC_EQ(tc, ee_link_ring_size(&c), 128 * 102);

	for (i = 0; i < ARRAY_SIZE(v); i++) {
		snprintf(what, sizeof(what), "window %u backlog %u",
			 v[i].window, v[i].backlog);
		ee_tc_ctx(tc, what);
		c.gbn.window = v[i].window;
		c.backlog = v[i].backlog;
		n = ee_link_slots(&c);
		EE_TC_EQ(tc, n, v[i].slots);
		EE_TC_EQ(tc, n & (n - 1), 0);
		EE_TC_CHECK(tc, n <= EE_LINK_MAX_SLOTS);
		EE_TC_EQ(tc, ee_link_ring_size(&c), (u64)n * 102);
	}
}

static void tlp_hdr_check(struct ee_tc *tc, const struct ee_hdr *h,
			  u32 seq, u32 len)
{
	EE_TC_EQ(tc, h->version, EXPETHER_VERSION);
	EE_TC_EQ(tc, h->type, EXPETHER_FT_TLP);
	EE_TC_EQ(tc, h->seq, seq);
	EE_TC_EQ(tc, h->length, len);
	EE_TC_CHECK(tc, h->flags & EXPETHER_F_SEQ);
	EE_TC_CHECK(tc, h->flags & EXPETHER_F_ACK);
}

static void test_queue(struct ee_tc *tc)
{
	struct ee_link_cfg c;
	struct ee_gbn_rx_info ri;
	struct lnk *a = NULL, *b = NULL;
	struct ee_link *l;
	struct ee_hdr h;
	const u8 *pay;
	u8 buf[128];
	u32 isn, k, len;
	u64 rto;

	ee_link_cfg_default(&c);
	c.gbn.window = 4;
	c.backlog = 4;
	c.slot_size = 100;
	c.pace = false;
	c.rate.probes = 0;	/* no probes: data first */
	a = lnk_new(tc, &c);
	b = lnk_new(tc, &c);
	if (!a || !b)
		goto out;
	l = &a->l;
	ee_tc_ctx(tc, "closed");
	EE_TC_EQ(tc, l->mask, 7);
	EE_TC_EQ(tc, l->backlog, 4);
	EE_TC_EQ(tc, l->slot_size, 100);
	EE_TC_CHECK(tc, !l->pace);
	EE_TC_CHECK(tc, !ee_link_open(l));
	EE_TC_EQ(tc, ee_link_occupancy(l), 0);
	EE_TC_EQ(tc, ee_link_queue(l, buf, 10), -EE_LINK_ESTATE);
	EE_TC_EQ(tc, ee_link_next(l, 0, &h, &pay), EE_LINK_NONE);
	EE_TC_CHECK(tc, !pay);
	EE_TC_EQ(tc, ee_link_deadline(l), EE_GBN_NEVER);
	EE_TC_EQ(tc, ee_link_timer(l, 1000 * MS), 0);
	EE_TC_EQ(tc, l->st.queued, 0);

	ee_tc_ctx(tc, "open");
	ee_link_reset(l, 0x11, 0x22, 0);
	ee_link_reset(&b->l, 0x22, 0x11, 0);
	EE_TC_CHECK(tc, ee_link_open(l));
	isn = l->g.snd_isn;
	EE_TC_EQ(tc, isn, ee_gbn_isn(0x11, 0x22, 0));
	EE_TC_EQ(tc, ee_link_deadline(l), EE_GBN_NEVER);	/* nothing */
	EE_TC_EQ(tc, ee_link_next(l, 0, &h, &pay), EE_LINK_NONE);
	EE_TC_EQ(tc, ee_link_queue(l, buf, 0), -EE_LINK_ELEN);
	EE_TC_EQ(tc, ee_link_queue(l, buf, 101), -EE_LINK_ELEN);
	EE_TC_EQ(tc, ee_link_queue(l, buf, 0xffffffffu), -EE_LINK_ELEN);
	EE_TC_EQ(tc, l->st.queued, 0);
	EE_TC_EQ(tc, l->st.queue_full, 0);
	/* window + backlog = 8 slots: 8 payloads, 1 to 100 bytes */
	for (k = 0; k < 8; k++) {
		len = pay_len(isn, k, 1, 100);
		pay_fill(buf, isn, k, len);
		EE_TC_EQ(tc, ee_link_queue(l, buf, len), 0);
	}
	EE_TC_EQ(tc, ee_link_occupancy(l), 8);
	EE_TC_EQ(tc, ee_link_queue(l, buf, 10), -EE_LINK_EFULL);
	EE_TC_EQ(tc, ee_link_queue(l, buf, 10), -EE_LINK_EFULL);
	EE_TC_EQ(tc, l->st.queued, 8);
	EE_TC_EQ(tc, l->st.queue_full, 2);
	/* unpaced: due at once; the window lets 4 go, in order, exact */
	EE_TC_EQ(tc, ee_link_deadline(l), 0);
	for (k = 0; k < 4; k++) {
		len = pay_len(isn, k, 1, 100);
		EE_TC_EQ(tc, ee_link_next(l, 10 * US, &h, &pay), EE_LINK_NEW);
		tlp_hdr_check(tc, &h, isn + k, len);
		EE_TC_EQ(tc, !!(h.flags & EXPETHER_F_SYN), k == 0);
		EE_TC_CHECK(tc, pay && pay_same(pay, isn, k, len));
		EE_TC_EQ(tc, ee_link_rx(&b->l, 20 * US, &h, &ri),
			 EE_GBN_DELIVER);
	}
	EE_TC_EQ(tc, ee_link_next(l, 10 * US, &h, &pay), EE_LINK_NONE);
	EE_TC_EQ(tc, ee_gbn_in_flight(&l->g), 4);
	EE_TC_EQ(tc, l->unsent, 4);
	EE_TC_EQ(tc, ee_link_queue(l, buf, 10), -EE_LINK_EFULL);
	EE_TC_EQ(tc, l->st.queue_full, 3);
	/* window full: only the RTO is due */
	rto = 10 * US + EE_GBN_DEF_RTO_INIT;
	EE_TC_EQ(tc, ee_link_deadline(l), rto);
	EE_TC_EQ(tc, l->r.st.frames, 4);
	EE_TC_EQ(tc, l->st.paced, 0);

	/* b acked the 4th at once (ack_every): the slots are free again */
	ee_tc_ctx(tc, "acked");
	EE_TC_EQ(tc, ee_link_next(&b->l, 20 * US, &h, &pay), EE_LINK_ACK);
	EE_TC_CHECK(tc, !pay);
	EE_TC_EQ(tc, h.ack, isn + 4);
	EE_TC_EQ(tc, ee_link_rx(l, 30 * US, &h, &ri), EE_GBN_ACKONLY);
	EE_TC_EQ(tc, ri.acked, 4);
	EE_TC_EQ(tc, ee_link_occupancy(l), 4);
	for (k = 8; k < 12; k++) {
		len = pay_len(isn, k, 1, 100);
		pay_fill(buf, isn, k, len);
		EE_TC_EQ(tc, ee_link_queue(l, buf, len), 0);
	}
	EE_TC_EQ(tc, ee_link_queue(l, buf, 10), -EE_LINK_EFULL);
	/* slots 4..7 then 0..3 again: seqs 4..7 and 8..11, exact */
	for (k = 4; k < 12; k++) {
		if (k == 8) {
			EE_TC_EQ(tc, ee_link_next(l, 40 * US, &h, &pay),
				 EE_LINK_NONE);
			EE_TC_EQ(tc, ee_link_next(&b->l, 50 * US, &h, &pay),
				 EE_LINK_ACK);
			EE_TC_EQ(tc, ee_link_rx(l, 60 * US, &h, &ri),
				 EE_GBN_ACKONLY);
		}
		len = pay_len(isn, k, 1, 100);
		EE_TC_EQ(tc, ee_link_next(l, 40 * US, &h, &pay), EE_LINK_NEW);
		tlp_hdr_check(tc, &h, isn + k, len);
		EE_TC_CHECK(tc, pay && pay_same(pay, isn, k, len));
		EE_TC_EQ(tc, ee_link_rx(&b->l, 50 * US, &h, &ri),
			 EE_GBN_DELIVER);
	}
	EE_TC_EQ(tc, l->st.queued, 12);
	EE_TC_EQ(tc, l->g.st.tx_frames, 12);
	EE_TC_EQ(tc, b->l.g.st.rx_frames, 12);
	EE_TC_EQ(tc, l->r.st.bytes, l->g.st.tx_bytes + 12 * WIRE_HDR);

	/* close: what is queued is flushed, and the queue refuses */
	ee_tc_ctx(tc, "close");
	EE_TC_EQ(tc, ee_link_occupancy(l), 4);
	EE_TC_EQ(tc, l->st.flushed, 0);
	ee_link_close(l);
	EE_TC_EQ(tc, l->st.flushed, 4);
	EE_TC_EQ(tc, ee_link_occupancy(l), 0);
	EE_TC_EQ(tc, ee_link_queue(l, buf, 10), -EE_LINK_ESTATE);
	EE_TC_EQ(tc, ee_link_next(l, 100 * US, &h, &pay), EE_LINK_NONE);
	EE_TC_EQ(tc, ee_link_deadline(l), EE_GBN_NEVER);
	/* reopening the same epochs: the next generation */
	ee_link_reset(l, 0x11, 0x22, 200 * US);
	EE_TC_EQ(tc, l->g.gen, 1);
	EE_TC_EQ(tc, l->g.snd_isn, ee_gbn_isn(0x11, 0x22, 1));
	EE_TC_EQ(tc, ee_link_queue(l, buf, 10), 0);
	EE_TC_EQ(tc, l->st.flushed, 4);

	/* slot_size is clamped to the largest payload */
	ee_tc_ctx(tc, "slot_size");
	lnk_free(tc, a);
	c.slot_size = 5000;
	a = lnk_new(tc, &c);
	if (!a)
		goto out;
	EE_TC_EQ(tc, a->l.slot_size, EXPETHER_MAX_PAYLOAD);
out:
	lnk_free(tc, a);
	lnk_free(tc, b);
}

/* A link paced at a fixed 1 MB/s without burst, and a peer to make acks. */
static void cfg_slow(struct ee_link_cfg *c)
{
	ee_link_cfg_default(c);
	c->slot_size = 100;
	c->rate.probes = 0;	/* straight to RUN at rate_init */
	c->rate.rate_init = 1000000;
	c->rate.rate_min = 1000000;
	c->rate.rate_max = 1000000;
	c->rate.burst = 0;
}

/* Pacing on: a frame waits until ee_rate_next(), which is what
 * ee_link_deadline() says; an ack that is due does not wait; a
 * retransmission is paced like any frame.
 */
static void test_pacing(struct ee_tc *tc)
{
	/* (18 + 24 + 100 + 24) bytes at 1 MB/s */
	const u64 t0 = 1 * MS, gap = 166 * US;
	struct ee_link_cfg c;
	struct ee_gbn_rx_info ri;
	struct lnk *a = NULL, *b = NULL;
	struct ee_link *l;
	struct ee_hdr h;
	const u8 *pay;
	u8 buf[100];
	u64 now = t0, rto;
	u32 isn, k;

	cfg_slow(&c);
	a = lnk_new(tc, &c);
	c.pace = false;
	b = lnk_new(tc, &c);
	if (!a || !b)
		goto out;
	l = &a->l;
	ee_link_reset(l, 0xa, 0xb, t0);
	ee_link_reset(&b->l, 0xb, 0xa, t0);
	EE_TC_EQ(tc, l->r.state, EE_RATE_RUN);
	EE_TC_EQ(tc, ee_rate_gap(&l->r, WIRE_HDR + 100), gap);
	isn = l->g.snd_isn;
	for (k = 0; k < 5; k++) {
		pay_fill(buf, isn, k, 100);
		EE_TC_EQ(tc, ee_link_queue(l, buf, 100), 0);
	}
	/* the pacer has nothing against the first frame */
	EE_TC_EQ(tc, ee_link_deadline(l), 0);
	EE_TC_EQ(tc, ee_link_next(l, t0, &h, &pay), EE_LINK_NEW);
	tlp_hdr_check(tc, &h, isn, 100);
	EE_TC_EQ(tc, ee_rate_next(&l->r), t0 + gap);
	EE_TC_EQ(tc, ee_link_next(l, t0, &h, &pay), EE_LINK_NONE);
	EE_TC_CHECK(tc, !pay);
	EE_TC_EQ(tc, l->st.paced, 1);
	EE_TC_EQ(tc, ee_link_deadline(l), t0 + gap);
	EE_TC_EQ(tc, ee_link_timer(l, t0 + gap - 1), 0);
	EE_TC_EQ(tc, ee_link_next(l, t0 + gap - 1, &h, &pay), EE_LINK_NONE);
	EE_TC_EQ(tc, l->st.paced, 2);
	for (k = 1; k < 5; k++) {
		now = ee_link_deadline(l);
		EE_TC_EQ(tc, now, t0 + k * gap);
		EE_TC_EQ(tc, ee_link_next(l, now, &h, &pay), EE_LINK_NEW);
		tlp_hdr_check(tc, &h, isn + k, 100);
		EE_TC_CHECK(tc, pay && pay_same(pay, isn, k, 100));
	}
	/* nothing waits: nothing is counted as paced */
	EE_TC_EQ(tc, ee_link_next(l, now, &h, &pay), EE_LINK_NONE);
	EE_TC_EQ(tc, l->st.paced, 2);
	rto = t0 + EE_GBN_DEF_RTO_INIT;
	EE_TC_EQ(tc, ee_link_deadline(l), rto);
	EE_TC_EQ(tc, l->r.st.frames, 5);
	EE_TC_EQ(tc, l->r.st.bytes, 5 * (WIRE_HDR + 100));

	/* A frame waits for the pacer when an ack falls due: the ack goes. */
	ee_tc_ctx(tc, "ack while paced");
	now += 10 * US;
	pay_fill(buf, isn, 5, 100);
	EE_TC_EQ(tc, ee_link_queue(l, buf, 100), 0);
	EE_TC_CHECK(tc, now < ee_rate_next(&l->r));
	for (k = 0; k < EE_GBN_DEF_ACK_EVERY; k++) {
		pay_fill(buf, 0xb0b, k, 50);
		EE_TC_EQ(tc, ee_link_queue(&b->l, buf, 50), 0);
		EE_TC_EQ(tc, ee_link_next(&b->l, now, &h, &pay), EE_LINK_NEW);
		EE_TC_EQ(tc, ee_link_rx(l, now, &h, &ri), EE_GBN_DELIVER);
	}
	EE_TC_CHECK(tc, ri.events & EE_GBN_EV_ACK_NOW);
	EE_TC_EQ(tc, ee_link_deadline(l), now);
	EE_TC_EQ(tc, ee_link_next(l, now, &h, &pay), EE_LINK_ACK);
	EE_TC_EQ(tc, h.type, EXPETHER_FT_ACK);
	EE_TC_EQ(tc, h.length, 0);
	EE_TC_EQ(tc, h.ack, b->l.g.snd_nxt);
	EE_TC_CHECK(tc, !pay);
	EE_TC_EQ(tc, l->st.paced, 3);
	EE_TC_EQ(tc, ee_link_next(l, now, &h, &pay), EE_LINK_NONE);
	EE_TC_EQ(tc, l->st.paced, 4);
	EE_TC_EQ(tc, ee_link_deadline(l), t0 + 5 * gap);
	EE_TC_EQ(tc, ee_link_next(l, t0 + 5 * gap, &h, &pay), EE_LINK_NEW);
	tlp_hdr_check(tc, &h, isn + 5, 100);
	EE_TC_CHECK(tc, pay && pay_same(pay, isn, 5, 100));

	/* The RTO: the oldest frame probes the peer; its ack shows the
	 * rest is missing, and the rest goes again, paced too.
	 */
	ee_tc_ctx(tc, "paced retransmission");
	EE_TC_EQ(tc, ee_link_deadline(l), rto);
	EE_TC_EQ(tc, ee_link_timer(l, rto), EE_GBN_EV_RESEND);
	EE_TC_EQ(tc, ee_link_next(l, rto, &h, &pay), EE_LINK_RTX);
	tlp_hdr_check(tc, &h, isn, 100);
	EE_TC_CHECK(tc, pay && pay_same(pay, isn, 0, 100));
	EE_TC_EQ(tc, ee_link_next(l, rto, &h, &pay), EE_LINK_NONE);
	EE_TC_EQ(tc, l->st.paced, 4);
	memset(&h, 0, sizeof(h));
	h.version = EXPETHER_VERSION;
	h.type = EXPETHER_FT_ACK;
	h.flags = EXPETHER_F_ACK;
	h.ack = isn + 1;
	EE_TC_EQ(tc, ee_link_rx(l, rto, &h, &ri), EE_GBN_ACKONLY);
	EE_TC_EQ(tc, ee_link_next(l, rto, &h, &pay), EE_LINK_NONE);
	EE_TC_EQ(tc, ee_link_deadline(l), rto + gap);
	EE_TC_EQ(tc, ee_link_next(l, rto + gap, &h, &pay), EE_LINK_RTX);
	tlp_hdr_check(tc, &h, isn + 1, 100);
	EE_TC_CHECK(tc, pay && pay_same(pay, isn, 1, 100));
	EE_TC_EQ(tc, l->g.st.rtx_frames, 2);
	EE_TC_EQ(tc, l->st.paced, 5);
	EE_TC_EQ(tc, l->r.st.frames, 8);

	/* Pacing off: the rate is measured, frames leave at once. */
	ee_tc_ctx(tc, "unpaced");
	lnk_free(tc, a);
	a = lnk_new(tc, &c);
	if (!a)
		goto out;
	l = &a->l;
	ee_link_reset(l, 0xa, 0xb, t0);
	isn = l->g.snd_isn;
	for (k = 0; k < 5; k++) {
		pay_fill(buf, isn, k, 100);
		EE_TC_EQ(tc, ee_link_queue(l, buf, 100), 0);
	}
	for (k = 0; k < 5; k++) {
		EE_TC_EQ(tc, ee_link_next(l, t0, &h, &pay), EE_LINK_NEW);
		tlp_hdr_check(tc, &h, isn + k, 100);
		EE_TC_CHECK(tc, pay && pay_same(pay, isn, k, 100));
	}
	EE_TC_EQ(tc, ee_link_next(l, t0, &h, &pay), EE_LINK_NONE);
	EE_TC_EQ(tc, l->st.paced, 0);
	EE_TC_EQ(tc, l->r.st.frames, 5);
	EE_TC_EQ(tc, ee_rate_next(&l->r), t0 + 5 * gap);
	EE_TC_EQ(tc, ee_link_deadline(l), t0 + EE_GBN_DEF_RTO_INIT);
out:
	lnk_free(tc, a);
	lnk_free(tc, b);
}

/* ---- part two: two links over a channel -------------------------------- */

struct frame {
	u64 at;			/* arrival time */
	u16 len;		/* bytes in b */
	u8 to;			/* end 0 (A) or 1 (B) */
	u8 b[EXPETHER_HLEN + SLOT];
};

/* One direction of the channel, from end i to end 1 - i.  Rates in ppm. */
struct chan {
	u32 loss_data;		/* TLP frames lost */
	u32 loss_ack;		/* ACK frames (acks, probes, echoes) lost */
	u32 dup;		/* delivered twice */
	u32 reorder;		/* held back by reorder_extra */
	u64 reorder_extra;
	u64 jitter;		/* up to this much more delay */
	u64 delay;		/* propagation */
	u64 ser;		/* serialization of one frame */
	u32 qmax;		/* frames waiting that fit, 0: no limit */
	u64 stall_period;	/* the server stops for stall_len ... */
	u64 stall_len;		/* ... every stall_period (0: never) */
	u64 free_at;		/* busy serializing until */
	/* what it saw */
	u64 tlp, ack, lost, duped;
	u64 qdrops;		/* found the queue full */
	u64 qpeak;		/* most frames waiting */
};

struct end {
	struct ee_link l;
	void *ring;
	bool frozen;		/* silent: no frame in or out, no timer */
	u64 want;		/* payloads to send in this connection */
	u64 tx_idx;		/* the next one to queue */
	u64 rx_idx;		/* the next one expected from the peer */
	u64 queued;		/* payloads queued, every connection */
	u64 delivered;		/* payloads delivered, every connection */
	u64 delivered_bytes;
	u64 bad;		/* deliveries other than the one expected */
	u64 bad_frames;		/* malformed output of ee_link_next() */
	u64 out[EE_LINK_ACK + 1];	/* ee_link_next() results */
	u64 arrived;		/* frames given to ee_link_rx() */
	u64 restarts;		/* EE_GBN_EV_RESTART */
	u64 rtts;		/* EE_GBN_EV_RTT */
	u64 deaths;		/* EE_GBN_EV_DEAD */
	u64 dead_at;
	u64 flush_bad;		/* st.flushed missed frames that were queued */
	u64 occ_at_event;	/* frames queued right before a restart/death */
	u64 inflight_at_event;	/* ... of which in flight */
	u64 flushed_at_event;	/* ... and how much st.flushed grew by */
	u64 progress_at;	/* the last ack that acknowledged frames */
	u64 dead_bound;		/* ee_gbn_dead_bound() right after it */
};

struct lsim {
	struct ee_tc *tc;
	u64 rng;
	u64 now;
	struct end e[2];
	struct chan c[2];	/* c[i]: from end i */
	struct frame *q;	/* in flight: [head, tail), by arrival */
	u32 head, tail;
	u64 overflow;		/* frames the channel had no room for */
	u64 to_frozen;		/* frames that reached a silent end */
	u64 stuck;		/* time stood still */
	u64 fl_sum;		/* A's frames in flight x ns, since fl_from */
	u64 fl_from;
	u32 fl_max;		/* A's most frames in flight, since fl_from */
	struct frame tx;	/* the frame being sent */
	u8 buf[EXPETHER_MAX_PAYLOAD];
};

/* splitmix64: the channel's randomness, from the scenario's seed */
static u64 rnd64(struct lsim *s)
{
	u64 z;

	s->rng += 0x9e3779b97f4a7c15ULL;
	z = s->rng;
	z = (z ^ (z >> 30)) * 0xbf58476d1ce4e5b9ULL;
	z = (z ^ (z >> 27)) * 0x94d049bb133111ebULL;
	return z ^ (z >> 31);
}

static u32 rnd_below(struct lsim *s, u32 n)
{
	return n ? (u32)(rnd64(s) >> 32) % n : 0;
}

static bool chance(struct lsim *s, u32 ppm)
{
	return ppm && rnd_below(s, 1000000) < ppm;
}

/* Into the queue, kept in order of arrival (first come, first served at
 * equal times): frames mostly arrive in the order they are sent, so the
 * insertion rarely moves more than a few.
 */
static void q_push(struct lsim *s, const struct frame *f, int to, u64 at)
{
	u32 j;

	if (s->tail == QCAP && s->head) {
		memmove(s->q, s->q + s->head,
			(s->tail - s->head) * sizeof(*s->q));
		s->tail -= s->head;
		s->head = 0;
	}
	if (s->tail == QCAP) {
		s->overflow++;
		return;
	}
	for (j = s->tail; j > s->head && s->q[j - 1].at > at; j--)
		s->q[j] = s->q[j - 1];
	s->q[j] = *f;
	s->q[j].to = (u8)to;
	s->q[j].at = at;
	s->tail++;
}

static void chan_send(struct lsim *s, int from, const struct ee_hdr *h,
		      const u8 *pay)
{
	struct chan *c = &s->c[from];
	struct frame *f = &s->tx;
	bool data = h->type == EXPETHER_FT_TLP;
	u64 depart, at;

	if (data)
		c->tlp++;
	else
		c->ack++;
	if (h->length > SLOT) {
		s->e[from].bad_frames++;
		return;
	}
	ee_hdr_put(f->b, h);
	if (h->length)
		memcpy(f->b + EXPETHER_HLEN, pay, h->length);
	f->len = (u16)(EXPETHER_HLEN + h->length);
	if (c->free_at > s->now && c->ser) {
		/* the frames ahead of this one at the bottleneck */
		u64 waiting = ee_div64(c->free_at - s->now + c->ser - 1,
				       c->ser);

		if (waiting > c->qpeak)
			c->qpeak = waiting;
		if (c->qmax && waiting >= c->qmax) {
			c->qdrops++;
			return;
		}
	}
	depart = s->now > c->free_at ? s->now : c->free_at;
	if (c->stall_period &&
	    mod_u64(depart, c->stall_period) < c->stall_len)
		depart += c->stall_len - mod_u64(depart, c->stall_period);
	depart += c->ser;
	c->free_at = depart;
	if (chance(s, data ? c->loss_data : c->loss_ack)) {
		c->lost++;
		return;
	}
	at = depart + c->delay + rnd_below(s, (u32)c->jitter + 1);
	if (chance(s, c->reorder))
		at += c->reorder_extra;
	q_push(s, f, 1 - from, at);
	if (chance(s, c->dup)) {
		c->duped++;
		q_push(s, f, 1 - from, at + 1 + rnd_below(s, 2 * (u32)US));
	}
}

/* What a restart or a death flushed must be all that was queued. */
static void flush_check(struct end *e, u32 occ, u32 inflight, u64 flushed)
{
	e->occ_at_event = occ;
	e->inflight_at_event = inflight;
	e->flushed_at_event = e->l.st.flushed - flushed;
	if (e->flushed_at_event != occ || ee_link_occupancy(&e->l))
		e->flush_bad++;
}

static void end_rx(struct lsim *s, const struct frame *f)
{
	struct end *e = &s->e[f->to];
	struct ee_gbn_rx_info ri;
	struct ee_hdr h;
	const u8 *pay;
	u64 flushed = e->l.st.flushed;
	u32 occ = ee_link_occupancy(&e->l);
	u32 inflight = ee_gbn_in_flight(&e->l.g);
	int v;

	if (e->frozen) {
		s->to_frozen++;
		return;
	}
	e->arrived++;
	if (ee_hdr_parse(f->b, f->len, &h, &pay)) {
		e->bad_frames++;
		return;
	}
	v = ee_link_rx(&e->l, s->now, &h, &ri);
	if (ri.events & EE_GBN_EV_RESTART) {
		/* the peer's new connection: both streams start again */
		e->restarts++;
		flush_check(e, occ, inflight, flushed);
		e->tx_idx = 0;
		e->rx_idx = 0;
	}
	if (ri.events & EE_GBN_EV_ACKED) {
		e->progress_at = s->now;
		e->dead_bound = ee_gbn_dead_bound(&e->l.g);
	}
	if (ri.events & EE_GBN_EV_RTT)
		e->rtts++;
	if (v != EE_GBN_DELIVER)
		return;
	if (h.length != pay_len(e->l.g.rcv_isn, e->rx_idx, PAY_MIN, SLOT) ||
	    !pay_same(pay, e->l.g.rcv_isn, e->rx_idx, h.length)) {
		if (!e->bad) {
			char line[96];

			snprintf(line, sizeof(line),
				 "%c: bad delivery at %llu ns, index %llu",
				 'A' + f->to, (unsigned long long)s->now,
				 (unsigned long long)e->rx_idx);
			ee_tc_note(s->tc, line);
		}
		e->bad++;
	}
	e->rx_idx++;
	e->delivered++;
	e->delivered_bytes += h.length;
}

static void end_timer(struct lsim *s, int i)
{
	struct end *e = &s->e[i];
	u64 flushed = e->l.st.flushed;
	u32 occ, inflight, ev;

	if (e->frozen || s->now < ee_link_deadline(&e->l))
		return;
	occ = ee_link_occupancy(&e->l);
	inflight = ee_gbn_in_flight(&e->l.g);
	ev = ee_link_timer(&e->l, s->now);
	if (ev & EE_GBN_EV_DEAD) {
		e->deaths++;
		e->dead_at = s->now;
		flush_check(e, occ, inflight, flushed);
	}
}

/* Whether ee_link_next() made a frame of the kind it says. */
static bool frame_ok(const struct ee_link *l, int kind,
		     const struct ee_hdr *h, const u8 *pay)
{
	if (h->version != EXPETHER_VERSION)
		return false;
	switch (kind) {
	case EE_LINK_NEW:
	case EE_LINK_RTX:
		return h->type == EXPETHER_FT_TLP && pay &&
		       (h->flags & EXPETHER_F_SEQ) && h->length >= 1 &&
		       h->length <= l->slot_size;
	case EE_LINK_PROBE:
		return h->type == EXPETHER_FT_ACK && !pay && !h->length &&
		       (h->flags & EXPETHER_F_PROBE);
	case EE_LINK_ACK:
		return h->type == EXPETHER_FT_ACK && !pay && !h->length;
	default:
		return false;
	}
}

/* The application keeps the ring full; then every frame that may leave. */
static void end_pump(struct lsim *s, int i)
{
	struct end *e = &s->e[i];
	struct ee_link *l = &e->l;
	struct ee_hdr h;
	const u8 *pay;
	u32 n = 0, tag, len;
	int kind;

	if (e->frozen)
		return;
	while (e->tx_idx < e->want && ee_link_open(l) &&
	       ee_link_occupancy(l) <= l->mask) {
		tag = l->g.snd_isn;
		len = pay_len(tag, e->tx_idx, PAY_MIN, SLOT);
		pay_fill(s->buf, tag, e->tx_idx, len);
		if (ee_link_queue(l, s->buf, len)) {
			e->bad_frames++;
			break;
		}
		e->tx_idx++;
		e->queued++;
	}
	while ((kind = ee_link_next(l, s->now, &h, &pay)) != EE_LINK_NONE) {
		if (++n > PUMP_MAX) {
			s->stuck++;
			return;
		}
		if (!frame_ok(l, kind, &h, pay)) {
			e->bad_frames++;
			continue;
		}
		e->out[kind]++;
		chan_send(s, i, &h, pay);
	}
}

/* One instant: arrivals, timers, then what may leave. */
static void sim_step(struct lsim *s)
{
	int i;

	while (s->head < s->tail && s->q[s->head].at <= s->now)
		end_rx(s, &s->q[s->head++]);
	for (i = 0; i < 2; i++)
		end_timer(s, i);
	for (i = 0; i < 2; i++)
		end_pump(s, i);
}

static u64 sim_next(const struct lsim *s)
{
	u64 t = s->head < s->tail ? s->q[s->head].at : EE_GBN_NEVER;
	u64 d;
	int i;

	for (i = 0; i < 2; i++) {
		if (s->e[i].frozen)
			continue;
		d = ee_link_deadline(&s->e[i].l);
		if (d < t)
			t = d;
	}
	return t;
}

/* Both streams delivered, in full, and acknowledged. */
static bool sim_done(const struct lsim *s)
{
	int i;

	for (i = 0; i < 2; i++) {
		const struct end *e = &s->e[i];

		if (e->tx_idx < e->want || ee_link_occupancy(&e->l) ||
		    s->e[1 - i].rx_idx < e->want)
			return false;
	}
	return true;
}

/* Move the clock to @t, accounting for A's frames in flight meanwhile. */
static void sim_advance(struct lsim *s, u64 t)
{
	u32 fl = ee_gbn_in_flight(&s->e[0].l.g);

	if (t <= s->now)
		return;
	if (s->now >= s->fl_from) {
		s->fl_sum += (u64)fl * (t - s->now);
		if (fl > s->fl_max)
			s->fl_max = fl;
	}
	s->now = t;
}

/* Run until @limit, or until sim_done() when @until_done. */
static void sim_run(struct lsim *s, u64 limit, bool until_done)
{
	u32 same = 0;
	u64 t;

	sim_step(s);		/* act on what the scenario just changed */
	while (!s->stuck) {
		if (until_done && sim_done(s))
			return;
		t = sim_next(s);
		if (t > limit) {
			sim_advance(s, limit);
			return;
		}
		if (t > s->now) {
			sim_advance(s, t);
			same = 0;
		} else if (++same > 10000) {
			s->stuck++;
			return;
		}
		sim_step(s);
	}
}

static void sim_free(struct lsim *s)
{
	struct ee_tc *tc;
	int i;

	if (!s)
		return;
	tc = s->tc;
	for (i = 0; i < 2; i++)
		ee_tc_free(tc, s->e[i].ring);
	ee_tc_free(tc, s->q);
	ee_tc_free(tc, s);
}

/* A and B, closed, 20 us apart, 1 us a frame each way; the channel's
 * randomness from @seed.
 */
static struct lsim *sim_new(struct ee_tc *tc, u64 seed,
			    const struct ee_link_cfg *c)
{
	struct lsim *s = ee_tc_zalloc(tc, sizeof(*s));
	int i;

	if (!s)
		return NULL;
	s->tc = tc;
	s->rng = seed;
	s->q = ee_tc_zalloc(tc, QCAP * sizeof(*s->q));
	for (i = 0; i < 2; i++) {
		s->e[i].ring = ee_tc_zalloc(tc, ee_link_ring_size(c));
		s->e[i].dead_at = EE_GBN_NEVER;
		s->c[i].delay = 20 * US;
		s->c[i].ser = 1 * US;
	}
	if (!s->q || !s->e[0].ring || !s->e[1].ring) {
		sim_free(s);
		return NULL;
	}
	for (i = 0; i < 2; i++)
		ee_link_init(&s->e[i].l, c, s->e[i].ring);
	return s;
}

/* Open end @i between @local and @peer now: its streams start again. */
static void sim_open(struct lsim *s, int i, u32 local, u32 peer)
{
	struct end *e = &s->e[i];

	ee_link_reset(&e->l, local, peer, s->now);
	e->tx_idx = 0;
	e->rx_idx = 0;
}

static void cfg_chan(struct ee_link_cfg *c)
{
	ee_link_cfg_default(c);
	c->slot_size = SLOT;
}

/* ---- checks ------------------------------------------------------------ */

/* Every stream complete: each delivery was the one expected, in order,
 * and everything queued has been acknowledged.
 */
static void check_exact(struct lsim *s)
{
	struct ee_tc *tc = s->tc;
	int i;

	EE_TC_EQ(tc, s->stuck, 0);
	EE_TC_EQ(tc, s->overflow, 0);
	EE_TC_CHECK(tc, sim_done(s));
	for (i = 0; i < 2; i++) {
		const struct end *e = &s->e[i];

		ee_tc_ctx(tc, i ? "B" : "A");
		EE_TC_EQ(tc, e->bad, 0);
		EE_TC_EQ(tc, e->bad_frames, 0);
		EE_TC_EQ(tc, e->flush_bad, 0);
		EE_TC_EQ(tc, e->rx_idx, s->e[1 - i].want);
		EE_TC_EQ(tc, e->tx_idx, e->want);
		EE_TC_EQ(tc, ee_link_occupancy(&e->l), 0);
		EE_TC_CHECK(tc, ee_link_open(&e->l));
	}
	ee_tc_ctx(tc, "");
}

/* Each link's counters agree with what it did and what the channel saw. */
static void check_counters(struct lsim *s)
{
	struct ee_tc *tc = s->tc;
	int i;

	for (i = 0; i < 2; i++) {
		const struct end *e = &s->e[i];
		const struct ee_gbn_stats *g = &e->l.g.st;
		const struct ee_rate_stats *r = &e->l.r.st;
		u64 data = g->tx_frames + g->rtx_frames;

		ee_tc_ctx(tc, i ? "B counters" : "A counters");
		EE_TC_EQ(tc, e->out[EE_LINK_NEW], g->tx_frames);
		EE_TC_EQ(tc, e->out[EE_LINK_RTX], g->rtx_frames);
		EE_TC_EQ(tc, e->out[EE_LINK_ACK], g->tx_acks);
		EE_TC_EQ(tc, e->out[EE_LINK_PROBE], g->tx_probes);
		EE_TC_EQ(tc, s->c[i].tlp, data);
		EE_TC_EQ(tc, s->c[i].ack, g->tx_acks + g->tx_probes);
		EE_TC_EQ(tc, e->arrived,
			 g->rx_frames + g->rx_dup + g->rx_ooo + g->rx_stale +
			 g->rx_ignored + g->rx_unseq + g->rx_acks);
		EE_TC_EQ(tc, g->rx_frames, e->delivered);
		EE_TC_EQ(tc, g->rx_bytes, e->delivered_bytes);
		EE_TC_EQ(tc, g->rx_unseq, 0);
		EE_TC_EQ(tc, e->l.st.queued, e->queued);
		EE_TC_EQ(tc, e->l.st.queue_full, 0);
		/* every data frame, and only they, went through the pacer */
		EE_TC_EQ(tc, r->frames, data);
		EE_TC_EQ(tc, r->bytes,
			 g->tx_bytes + g->rtx_bytes + data * WIRE_HDR);
		EE_TC_EQ(tc, r->probes_sent, g->tx_probes);
		/* every RTT sample reached the rate controller */
		EE_TC_EQ(tc, e->rtts, g->rtt_samples);
		EE_TC_EQ(tc, r->samples, g->rtt_samples);
	}
	ee_tc_ctx(tc, "");
}

/* One connection each way, nothing flushed: what one sent new, the other
 * delivered, once; over a perfect channel, every frame arrived once.
 */
static void check_agree(struct lsim *s, bool perfect)
{
	struct ee_tc *tc = s->tc;
	int i;

	for (i = 0; i < 2; i++) {
		const struct end *e = &s->e[i], *p = &s->e[1 - i];

		ee_tc_ctx(tc, i ? "B to A" : "A to B");
		EE_TC_EQ(tc, e->l.st.flushed, 0);
		EE_TC_EQ(tc, e->l.g.st.resets, 1);
		EE_TC_EQ(tc, e->l.g.st.tx_frames, e->want);
		EE_TC_EQ(tc, e->l.st.queued, e->want);
		EE_TC_EQ(tc, p->l.g.st.rx_frames, e->l.g.st.tx_frames);
		EE_TC_EQ(tc, p->l.g.st.rx_bytes, e->l.g.st.tx_bytes);
		EE_TC_EQ(tc, p->l.g.st.rx_stale, 0);
		/* acked in full: every frame it sent new, the peer delivered */
		EE_TC_EQ(tc, e->l.g.snd_una, e->l.g.snd_isn + (u32)e->want);
		EE_TC_EQ(tc, p->l.g.rcv_nxt, e->l.g.snd_una);
		if (!perfect)
			continue;
		EE_TC_EQ(tc, e->l.g.st.rtx_frames, 0);
		EE_TC_EQ(tc, e->l.g.st.timeouts, 0);
		EE_TC_EQ(tc, p->l.g.st.rx_dup + p->l.g.st.rx_ooo, 0);
		EE_TC_EQ(tc, p->l.g.st.rx_probes, e->l.g.st.tx_probes);
		EE_TC_EQ(tc, p->l.g.st.rx_acks,
			 e->l.g.st.tx_acks + e->l.g.st.tx_probes);
		EE_TC_EQ(tc, p->arrived, s->c[i].tlp + s->c[i].ack);
	}
	ee_tc_ctx(tc, "");
}

static void note_stats(struct lsim *s)
{
	char line[200];
	int i;

	for (i = 0; i < 2; i++) {
		const struct ee_link *l = &s->e[i].l;

		snprintf(line, sizeof(line),
			 "%c: new %llu rtx %llu acks %llu probes %llu paced %llu | rx %llu dup %llu ooo %llu stale %llu | rto %llu fast %llu | rate %llu B/s, %llu ms",
			 'A' + i, (unsigned long long)l->g.st.tx_frames,
			 (unsigned long long)l->g.st.rtx_frames,
			 (unsigned long long)l->g.st.tx_acks,
			 (unsigned long long)l->g.st.tx_probes,
			 (unsigned long long)l->st.paced,
			 (unsigned long long)l->g.st.rx_frames,
			 (unsigned long long)l->g.st.rx_dup,
			 (unsigned long long)l->g.st.rx_ooo,
			 (unsigned long long)l->g.st.rx_stale,
			 (unsigned long long)l->g.st.timeouts,
			 (unsigned long long)l->g.st.fast_rtx,
			 (unsigned long long)l->r.rate,
			 (unsigned long long)ee_div64(s->now, MS));
		ee_tc_note(s->tc, line);
	}
}

/* ---- scenarios ---------------------------------------------------------- */

struct scen {
	u64 seed;
	u64 want[2];		/* payloads A to B, B to A */
	struct chan c[2];	/* impairments; delay and ser 0: defaults */
	u32 window;		/* 0: default */
	u32 backlog;		/* 0: default */
	bool no_window;		/* win_gain 0: the configured window only */
};

static struct lsim *scen_new(struct ee_tc *tc, const struct scen *sc,
			     u32 ea, u32 eb)
{
	struct ee_link_cfg c;
	struct lsim *s;
	u64 delay, ser;
	int i;

	cfg_chan(&c);
	if (sc->no_window)
		c.rate.win_gain = 0;
	if (sc->window)
		c.gbn.window = sc->window;
	if (sc->backlog)
		c.backlog = sc->backlog;
	s = sim_new(tc, sc->seed, &c);
	if (!s)
		return NULL;
	for (i = 0; i < 2; i++) {
		delay = s->c[i].delay;
		ser = s->c[i].ser;
		s->c[i] = sc->c[i];
		if (!s->c[i].delay)
			s->c[i].delay = delay;
		if (!s->c[i].ser)
			s->c[i].ser = ser;
		s->e[i].want = sc->want[i];
	}
	sim_open(s, 0, ea, eb);
	sim_open(s, 1, eb, ea);
	return s;
}

/* Run @sc to the end; check delivery and counters, then @extra. */
static void scenario(struct ee_tc *tc, const struct scen *sc,
		     void (*extra)(struct lsim *s))
{
	struct lsim *s = scen_new(tc, sc, 0x1000 + (u32)sc->seed,
				  0x2000 + (u32)sc->seed);

	if (!s)
		return;
	sim_run(s, FOREVER, true);
	check_exact(s);
	check_counters(s);
	if (extra)
		extra(s);
	note_stats(s);
	sim_free(s);
}

/* Rate probes at connection start: each is answered, each answer is an
 * RTT sample, and the rate controller leaves PROBE without a timeout.
 */
static void test_probes(struct ee_tc *tc)
{
	struct ee_link_cfg c;
	struct lsim *s;
	int i;

	cfg_chan(&c);
	s = sim_new(tc, 21, &c);
	if (!s)
		return;
	sim_open(s, 0, 0x31, 0x32);
	sim_open(s, 1, 0x32, 0x31);
	for (i = 0; i < 2; i++) {
		EE_TC_EQ(tc, s->e[i].l.r.state, EE_RATE_PROBE);
		EE_TC_EQ(tc, ee_link_deadline(&s->e[i].l), 0);
	}
	sim_step(s);
	for (i = 0; i < 2; i++) {
		/* sent, all at once; the deadline is the probe timeout */
		EE_TC_EQ(tc, s->e[i].out[EE_LINK_PROBE], EE_RATE_DEF_PROBES);
		EE_TC_EQ(tc, ee_link_deadline(&s->e[i].l),
			 EE_RATE_DEF_PROBE_TMO);
	}
	sim_run(s, 5 * MS, false);
	for (i = 0; i < 2; i++) {
		const struct end *e = &s->e[i], *p = &s->e[1 - i];
		const struct ee_link *l = &e->l;

		ee_tc_ctx(tc, i ? "B" : "A");
		EE_TC_EQ(tc, e->out[EE_LINK_PROBE], EE_RATE_DEF_PROBES);
		EE_TC_EQ(tc, l->r.st.probes_sent, EE_RATE_DEF_PROBES);
		EE_TC_EQ(tc, p->l.g.st.rx_probes, EE_RATE_DEF_PROBES);
		EE_TC_EQ(tc, p->out[EE_LINK_ACK], EE_RATE_DEF_PROBES);
		EE_TC_EQ(tc, l->g.st.rx_probe_echoes, EE_RATE_DEF_PROBES);
		EE_TC_EQ(tc, e->rtts, EE_RATE_DEF_PROBES);
		EE_TC_EQ(tc, l->r.st.samples, EE_RATE_DEF_PROBES);
		EE_TC_EQ(tc, l->r.state, EE_RATE_RUN);
		EE_TC_EQ(tc, l->r.st.probe_timeouts, 0);
		/* Probe k leaves at k us, arrives 20 us later; the echo
		 * leaves 1 us after that (the peer's own probes left at
		 * 1..8 us): 42..49 us after they all left, at 0.
		 */
		EE_TC_EQ(tc, l->r.base_rtt_ns, 42 * US);
		EE_TC_EQ(tc, l->g.st.rtt_min_ns, 42 * US);
		EE_TC_EQ(tc, l->g.st.rtt_last_ns, 49 * US);
		/* a window per 42 us is more than the ceiling */
		EE_TC_EQ(tc, l->r.rate, EE_RATE_DEF_MAX);
		/* nothing left to do */
		EE_TC_EQ(tc, ee_link_deadline(l), EE_GBN_NEVER);
		EE_TC_EQ(tc, l->g.st.tx_frames, 0);
	}
	ee_tc_ctx(tc, "");
	EE_TC_EQ(tc, s->stuck, 0);
	check_counters(s);
	sim_free(s);
}

/* B opens 30 ms after A: A's probes go unanswered, the probe timeout
 * starts its rate controller anyway, its frames wait for B, then B's
 * probes are answered and every frame arrives.
 */
static void test_late_peer(struct ee_tc *tc)
{
	struct ee_link_cfg c;
	struct lsim *s;
	struct end *a, *b;

	cfg_chan(&c);
	s = sim_new(tc, 22, &c);
	if (!s)
		return;
	a = &s->e[0];
	b = &s->e[1];
	sim_open(s, 0, 0x41, 0x42);
	a->want = 500;
	b->want = 300;
	sim_run(s, 10 * MS - 1, false);
	EE_TC_EQ(tc, a->out[EE_LINK_PROBE], EE_RATE_DEF_PROBES);
	EE_TC_EQ(tc, a->l.r.state, EE_RATE_PROBE);
	EE_TC_EQ(tc, ee_rate_deadline(&a->l.r), EE_RATE_DEF_PROBE_TMO);
	EE_TC_EQ(tc, b->l.g.st.rx_ignored, b->arrived);
	/* the probes and a window of frames: the window's floor, as
	 * nothing could be measured
	 */
	EE_TC_EQ(tc, ee_gbn_window(&a->l.g), EE_RATE_DEF_WIN_MIN);
	EE_TC_CHECK(tc, b->arrived >= EE_RATE_DEF_PROBES + EE_RATE_DEF_WIN_MIN);
	sim_run(s, EE_RATE_DEF_PROBE_TMO, false);
	EE_TC_EQ(tc, a->l.r.state, EE_RATE_RUN);
	EE_TC_EQ(tc, a->l.r.st.probe_timeouts, 1);
	EE_TC_EQ(tc, a->l.r.rate, EE_RATE_DEF_INIT);
	EE_TC_EQ(tc, a->rtts, 0);
	EE_TC_CHECK(tc, a->l.g.st.timeouts > 0);
	sim_run(s, 30 * MS, false);
	EE_TC_EQ(tc, b->rx_idx, 0);
	sim_open(s, 1, 0x42, 0x41);
	sim_run(s, FOREVER, true);
	check_exact(s);
	check_counters(s);
	check_agree(s, false);
	EE_TC_EQ(tc, b->l.r.state, EE_RATE_RUN);
	EE_TC_EQ(tc, b->l.r.st.probe_timeouts, 0);
	EE_TC_CHECK(tc, b->rtts >= EE_RATE_DEF_PROBES);
	note_stats(s);
	sim_free(s);
}

static void x_clean(struct lsim *s)
{
	struct ee_tc *tc = s->tc;
	int i;

	check_agree(s, true);
	for (i = 0; i < 2; i++) {
		const struct ee_link *l = &s->e[i].l;

		ee_tc_ctx(tc, i ? "B" : "A");
		EE_TC_EQ(tc, s->c[i].lost + s->c[i].duped, 0);
		EE_TC_EQ(tc, l->r.state, EE_RATE_RUN);
		EE_TC_EQ(tc, l->r.st.probe_timeouts, 0);
		EE_TC_CHECK(tc, l->st.paced > 0);
		EE_TC_CHECK(tc, s->e[i].rtts > EE_RATE_DEF_PROBES);
	}
	ee_tc_ctx(tc, "");
}

static void x_loss_data(struct lsim *s)
{
	struct ee_tc *tc = s->tc;

	check_agree(s, false);
	EE_TC_CHECK(tc, s->c[0].lost > 0);
	EE_TC_CHECK(tc, s->e[0].l.g.st.rtx_frames >= s->c[0].lost);
	EE_TC_CHECK(tc, s->e[1].l.g.st.rx_ooo > 0);
}

static void x_loss_ack(struct lsim *s)
{
	struct ee_tc *tc = s->tc;

	check_agree(s, false);
	EE_TC_CHECK(tc, s->c[1].lost > 0);
	EE_TC_EQ(tc, s->c[0].lost, 0);
	EE_TC_EQ(tc, s->c[1].tlp, 0);
	EE_TC_EQ(tc, s->e[1].l.g.st.rx_ooo, 0);
}

static void x_reorder(struct lsim *s)
{
	struct ee_tc *tc = s->tc;

	check_agree(s, false);
	EE_TC_EQ(tc, s->c[0].lost + s->c[1].lost, 0);
	EE_TC_CHECK(tc, s->e[1].l.g.st.rx_ooo > 0);
	EE_TC_CHECK(tc, s->e[0].l.g.st.rtx_frames > 0);
}

static void x_dup(struct lsim *s)
{
	struct ee_tc *tc = s->tc;
	int i;

	check_agree(s, false);
	for (i = 0; i < 2; i++) {
		EE_TC_EQ(tc, s->c[i].lost, 0);
		EE_TC_CHECK(tc, s->c[i].duped > 0);
		EE_TC_CHECK(tc, s->e[i].l.g.st.rx_dup > 0);
	}
}

static void x_mixed(struct lsim *s)
{
	struct ee_tc *tc = s->tc;
	int i;

	check_agree(s, false);
	for (i = 0; i < 2; i++) {
		EE_TC_CHECK(tc, s->c[i].lost > 0);
		EE_TC_CHECK(tc, s->c[i].duped > 0);
		EE_TC_CHECK(tc, s->e[i].l.g.st.rtx_frames > 0);
		EE_TC_CHECK(tc, s->e[i].l.g.st.rx_dup > 0);
		EE_TC_CHECK(tc, s->e[i].l.g.st.rx_ooo > 0);
	}
}

static void test_clean(struct ee_tc *tc)
{
	static const struct scen sc = {
		.seed = 1, .want = { 20000, 20000 },
	};

	scenario(tc, &sc, x_clean);
}

static void test_loss_data(struct ee_tc *tc)
{
	static const struct scen sc = {
		.seed = 2, .want = { 10000, 1000 },
		.c = { { .loss_data = 100000 }, { 0 } },
	};

	scenario(tc, &sc, x_loss_data);
}

static void test_loss_ack(struct ee_tc *tc)
{
	static const struct scen sc = {
		.seed = 3, .want = { 10000, 0 },
		.c = { { 0 }, { .loss_ack = 300000 } },
	};

	scenario(tc, &sc, x_loss_ack);
}

static void test_reorder(struct ee_tc *tc)
{
	static const struct scen sc = {
		.seed = 4, .want = { 10000, 1000 },
		.c = { { .reorder = 250000, .reorder_extra = 15 * US,
			 .jitter = 3 * US }, { 0 } },
	};

	scenario(tc, &sc, x_reorder);
}

static void test_dup(struct ee_tc *tc)
{
	static const struct scen sc = {
		.seed = 5, .want = { 10000, 10000 },
		.c = { { .dup = 200000, .jitter = 2 * US },
		       { .dup = 200000, .jitter = 2 * US } },
	};

	scenario(tc, &sc, x_dup);
}

#define MIXED { .loss_data = 50000, .loss_ack = 50000, .reorder = 200000, \
		.reorder_extra = 30 * US, .dup = 50000, .jitter = 5 * US }

static void test_mixed(struct ee_tc *tc)
{
	static const struct scen sc = {
		.seed = 6, .want = { 8000, 8000 },
		.c = { MIXED, MIXED },
	};

	scenario(tc, &sc, x_mixed);
}

/* B restarts the connection (the next generation) mid-transfer: A sees
 * EE_GBN_EV_RESTART and drops every frame it had queued for the old
 * one; the new streams arrive exactly.
 */
static void test_peer_restart(struct ee_tc *tc)
{
	static const struct scen sc = {
		.seed = 31, .want = { 1000000, 1000000 },
		.c = { { .loss_data = 10000, .reorder = 50000,
			 .reorder_extra = 20 * US },
		       { .loss_data = 10000, .reorder = 50000,
			 .reorder_extra = 20 * US } },
	};
	struct lsim *s = scen_new(tc, &sc, 0x51, 0x52);
	struct end *a, *b;
	u64 fl;
	u32 occ;

	if (!s)
		return;
	a = &s->e[0];
	b = &s->e[1];
	sim_run(s, 3 * MS, false);
	EE_TC_CHECK(tc, a->delivered > 100 && b->delivered > 100);
	occ = ee_link_occupancy(&b->l);
	fl = b->l.st.flushed;
	EE_TC_CHECK(tc, occ > 0);
	ee_link_restart(&b->l, s->now);
	EE_TC_EQ(tc, b->l.st.flushed - fl, occ);
	EE_TC_EQ(tc, ee_link_occupancy(&b->l), 0);
	EE_TC_EQ(tc, b->l.g.gen, 1);
	EE_TC_EQ(tc, b->l.g.snd_isn, ee_gbn_isn(0x52, 0x51, 1));
	EE_TC_EQ(tc, b->l.g.rcv_isn, ee_gbn_isn(0x51, 0x52, 1));
	EE_TC_EQ(tc, b->l.r.state, EE_RATE_PROBE);
	b->tx_idx = 0;
	b->rx_idx = 0;
	b->want = 3000;
	a->want = 3000;
	EE_TC_EQ(tc, a->l.st.flushed, 0);
	sim_run(s, FOREVER, true);
	check_exact(s);
	check_counters(s);
	EE_TC_EQ(tc, a->restarts, 1);
	EE_TC_EQ(tc, b->restarts, 0);
	EE_TC_EQ(tc, a->l.g.st.peer_restarts, 1);
	EE_TC_EQ(tc, a->l.g.gen, 1);
	EE_TC_EQ(tc, a->l.g.snd_isn, b->l.g.rcv_isn);
	/* A's queue at the restart, in flight or not, was flushed */
	EE_TC_CHECK(tc, a->inflight_at_event > 0);
	EE_TC_CHECK(tc, a->occ_at_event > a->inflight_at_event);
	EE_TC_EQ(tc, a->flushed_at_event, a->occ_at_event);
	EE_TC_EQ(tc, a->l.st.flushed, a->occ_at_event);
	EE_TC_CHECK(tc, b->l.g.st.rx_stale > 0);
	/* both rate controllers probed the new connection */
	EE_TC_EQ(tc, a->out[EE_LINK_PROBE], 2 * EE_RATE_DEF_PROBES);
	EE_TC_EQ(tc, b->out[EE_LINK_PROBE], 2 * EE_RATE_DEF_PROBES);
	note_stats(s);
	sim_free(s);
}

/* B re-opens with a new epoch mid-transfer.  Until A hears of it (B's
 * DIF, 2 ms later) each drops the other's frames as stale; then A
 * opens a connection to the new epoch, dropping its queue, and the new
 * streams arrive exactly.
 */
static void test_new_epoch(struct ee_tc *tc)
{
	static const struct scen sc = {
		.seed = 32, .want = { 1000000, 1000000 },
		.c = { { .loss_data = 10000, .reorder = 50000,
			 .reorder_extra = 20 * US },
		       { .loss_data = 10000, .reorder = 50000,
			 .reorder_extra = 20 * US } },
	};
	struct lsim *s = scen_new(tc, &sc, 0x61, 0x62);
	struct end *a, *b;
	u64 fl, stale_a, stale_b;
	u32 occ;

	if (!s)
		return;
	a = &s->e[0];
	b = &s->e[1];
	sim_run(s, 3 * MS, false);
	occ = ee_link_occupancy(&b->l);
	fl = b->l.st.flushed;
	EE_TC_CHECK(tc, occ > 0);
	sim_open(s, 1, 0x63, 0x61);
	EE_TC_EQ(tc, b->l.st.flushed - fl, occ);
	EE_TC_EQ(tc, b->l.g.gen, 0);
	EE_TC_EQ(tc, b->l.g.snd_isn, ee_gbn_isn(0x63, 0x61, 0));
	b->want = 3000;
	a->want = 3000;
	stale_a = a->l.g.st.rx_stale;
	stale_b = b->l.g.st.rx_stale;
	sim_run(s, s->now + 2 * MS, false);
	EE_TC_EQ(tc, a->restarts + b->restarts, 0);
	EE_TC_EQ(tc, b->rx_idx, 0);
	EE_TC_CHECK(tc, a->l.g.st.rx_stale > stale_a);
	EE_TC_CHECK(tc, b->l.g.st.rx_stale > stale_b);

	occ = ee_link_occupancy(&a->l);
	fl = a->l.st.flushed;
	EE_TC_CHECK(tc, occ > 0);
	sim_open(s, 0, 0x61, 0x63);
	EE_TC_EQ(tc, a->l.st.flushed - fl, occ);
	EE_TC_EQ(tc, a->l.g.gen, 0);
	EE_TC_EQ(tc, a->l.g.snd_isn, b->l.g.rcv_isn);
	EE_TC_EQ(tc, a->l.g.rcv_isn, b->l.g.snd_isn);
	sim_run(s, FOREVER, true);
	check_exact(s);
	check_counters(s);
	EE_TC_EQ(tc, a->restarts + b->restarts, 0);
	note_stats(s);
	sim_free(s);
}

/* B goes silent mid-transfer.  A declares it dead after max_timeouts
 * RTOs, within ee_gbn_dead_bound(); the link then refuses to queue and
 * has nothing to do.  A re-opens between the same epochs: the next
 * generation, new sequence numbers.  B, back and still open in the old
 * generation, follows A's SYN, and the new streams arrive exactly.
 */
static void test_death(struct ee_tc *tc)
{
	static const struct scen sc = {
		.seed = 41, .want = { 1000000, 1000000 },
	};
	struct lsim *s = scen_new(tc, &sc, 0xd1, 0xd2);
	struct ee_hdr h;
	const u8 *pay;
	struct end *a, *b;
	u64 bound, cut, timeouts, fl;
	u32 old_isn, max_to;
	char line[128];

	if (!s)
		return;
	a = &s->e[0];
	b = &s->e[1];
	max_to = a->l.g.cfg.max_timeouts;
	sim_run(s, 5 * MS, false);
	EE_TC_CHECK(tc, ee_gbn_in_flight(&a->l.g) > 0);
	EE_TC_EQ(tc, a->l.g.backoffs, 0);
	bound = ee_gbn_dead_bound(&a->l.g);
	timeouts = a->l.g.st.timeouts;
	fl = a->l.st.flushed;
	cut = s->now;
	b->frozen = true;
	sim_run(s, cut + bound + 1 * MS, false);

	ee_tc_ctx(tc, "dead");
	EE_TC_EQ(tc, a->deaths, 1);
	EE_TC_EQ(tc, a->l.g.st.deaths, 1);
	EE_TC_EQ(tc, a->l.g.state, EE_GBN_DEAD);
	EE_TC_EQ(tc, a->l.g.st.timeouts - timeouts, max_to);
	/* B's acks sent before it fell silent still came in after the
	 * cut: the bound runs from the last of them.
	 */
	EE_TC_CHECK(tc, a->dead_at > cut);
	EE_TC_CHECK(tc, a->progress_at <= cut + 100 * US);
	EE_TC_EQ(tc, a->dead_bound, bound);
	EE_TC_CHECK(tc, a->dead_at - a->progress_at <= a->dead_bound);
	snprintf(line, sizeof(line),
		 "dead %llu us after the last ack, %llu us after the cut (bound %llu us)",
		 (unsigned long long)ee_div64(a->dead_at - a->progress_at, US),
		 (unsigned long long)ee_div64(a->dead_at - cut, US),
		 (unsigned long long)ee_div64(a->dead_bound, US));
	ee_tc_note(tc, line);
	/* what was queued, in flight or not, is gone, and only that */
	EE_TC_CHECK(tc, a->inflight_at_event > 0);
	EE_TC_CHECK(tc, a->occ_at_event > a->inflight_at_event);
	EE_TC_EQ(tc, a->flushed_at_event, a->occ_at_event);
	EE_TC_EQ(tc, a->l.st.flushed - fl, a->occ_at_event);
	EE_TC_EQ(tc, ee_link_occupancy(&a->l), 0);
	EE_TC_CHECK(tc, !ee_link_open(&a->l));
	EE_TC_EQ(tc, ee_link_queue(&a->l, s->buf, 100), -EE_LINK_ESTATE);
	EE_TC_EQ(tc, ee_link_deadline(&a->l), EE_GBN_NEVER);
	EE_TC_EQ(tc, ee_link_next(&a->l, s->now, &h, &pay), EE_LINK_NONE);
	EE_TC_EQ(tc, ee_link_timer(&a->l, s->now + 1000 * MS), 0);
	EE_TC_EQ(tc, s->stuck, 0);

	/* the same epochs again: the next generation */
	ee_tc_ctx(tc, "next generation");
	old_isn = a->l.g.snd_isn;
	EE_TC_EQ(tc, a->l.g.gen, 0);
	sim_open(s, 0, 0xd1, 0xd2);
	EE_TC_CHECK(tc, ee_link_open(&a->l));
	EE_TC_EQ(tc, a->l.g.gen, 1);
	EE_TC_EQ(tc, a->l.g.snd_isn, ee_gbn_isn(0xd1, 0xd2, 1));
	EE_TC_EQ(tc, a->l.g.rcv_isn, ee_gbn_isn(0xd2, 0xd1, 1));
	EE_TC_CHECK(tc, a->l.g.snd_isn != old_isn);
	EE_TC_EQ(tc, a->l.st.flushed - fl, a->flushed_at_event);
	a->want = 3000;
	b->want = 1000;
	b->frozen = false;
	EE_TC_EQ(tc, b->l.g.gen, 0);
	EE_TC_CHECK(tc, ee_link_open(&b->l));
	sim_run(s, FOREVER, true);
	check_exact(s);
	ee_tc_ctx(tc, "B follows");
	EE_TC_EQ(tc, b->restarts, 1);
	EE_TC_EQ(tc, b->l.g.st.peer_restarts, 1);
	EE_TC_EQ(tc, b->l.g.gen, 1);
	EE_TC_EQ(tc, b->l.g.st.deaths, 0);
	EE_TC_EQ(tc, a->restarts, 0);
	EE_TC_EQ(tc, a->deaths, 1);
	EE_TC_EQ(tc, b->flushed_at_event, b->occ_at_event);
	ee_tc_ctx(tc, "");
	note_stats(s);
	sim_free(s);
}

/* B stalls (a host whose vCPUs were descheduled) long enough for A to
 * declare it dead, then comes back in the same connection: A, told by
 * B's DIF, revives the connection instead of starting a generation B
 * knows nothing of.  Every frame A held at the death (in flight or
 * queued) goes again, both streams arrive exactly, nobody restarts.
 */
static void test_stall_revive(struct ee_tc *tc)
{
	static const struct scen sc = {
		.seed = 43, .want = { 1000000, 1000000 },
	};
	struct lsim *s = scen_new(tc, &sc, 0xe1, 0xe2);
	struct end *a, *b;
	u64 cut, fl;

	if (!s)
		return;
	a = &s->e[0];
	b = &s->e[1];
	sim_run(s, 5 * MS, false);
	fl = a->l.st.flushed;
	cut = s->now;
	b->frozen = true;
	sim_run(s, cut + ee_gbn_dead_bound(&a->l.g) + 1 * MS, false);
	EE_TC_EQ(tc, a->deaths, 1);
	EE_TC_CHECK(tc, a->occ_at_event > a->inflight_at_event);
	EE_TC_CHECK(tc, !ee_link_open(&a->l));
	EE_TC_CHECK(tc, !ee_link_revive(&b->l, s->now));	/* not dead */

	b->frozen = false;
	EE_TC_CHECK(tc, ee_link_revive(&a->l, s->now));
	EE_TC_CHECK(tc, !ee_link_revive(&a->l, s->now));	/* once */
	EE_TC_CHECK(tc, ee_link_open(&a->l));
	EE_TC_EQ(tc, ee_link_occupancy(&a->l), a->occ_at_event);
	EE_TC_EQ(tc, a->l.st.flushed, fl);
	EE_TC_EQ(tc, a->l.g.st.revives, 1);
	a->want = a->tx_idx + 3000;
	b->want = b->tx_idx + 1000;
	sim_run(s, FOREVER, true);
	check_exact(s);
	EE_TC_EQ(tc, a->restarts + b->restarts, 0);
	EE_TC_EQ(tc, a->l.g.gen, 0);
	EE_TC_EQ(tc, b->l.g.gen, 0);
	EE_TC_EQ(tc, b->l.g.st.deaths, 0);
	EE_TC_EQ(tc, a->l.st.flushed, fl);
	note_stats(s);
	sim_free(s);
}

/* ee_gbn_isn() mixes with lowbias32, a bijection: its inverse gives the
 * epoch for a wanted ISN.
 */
static u32 inv_odd(u32 a)
{
	u32 x = a;	/* right in 3 bits; each step doubles them */
	int i;

	for (i = 0; i < 4; i++)
		x *= 2 - a * x;
	return x;
}

static u32 unmix(u32 x)
{
	x ^= x >> 16;
	x *= inv_odd(0x846ca68bu);
	x ^= (x >> 15) ^ (x >> 30);
	x *= inv_odd(0x7feb352du);
	x ^= x >> 16;
	return x;
}

/* The sender epoch for which ee_gbn_isn(epoch, @receiver, 0) is @isn. */
static u32 epoch_for(u32 isn, u32 receiver)
{
	return unmix(unmix(unmix(isn)) ^ receiver);
}

/* A ring of 16 slots reused hundreds of times, A's sequence numbers
 * wrapping through 2^32, with loss and reordering: every payload exact.
 */
static void test_wrap(struct ee_tc *tc)
{
	static const struct scen sc = {
		.seed = 51, .want = { 6000, 2000 },
		.c = { { .loss_data = 50000, .loss_ack = 50000,
			 .reorder = 100000, .reorder_extra = 20 * US },
		       { .loss_data = 50000, .loss_ack = 50000,
			 .reorder = 100000, .reorder_extra = 20 * US } },
		.window = 8, .backlog = 8,
	};
	const u32 eb = 0x7e57b, isn = 0xffffff00u;
	u32 ea = epoch_for(isn, eb);
	struct lsim *s;

	EE_TC_EQ(tc, ee_gbn_isn(ea, eb, 0), isn);
	s = scen_new(tc, &sc, ea, eb);
	if (!s)
		return;
	EE_TC_EQ(tc, s->e[0].l.mask, 15);
	EE_TC_EQ(tc, s->e[0].l.g.snd_isn, isn);
	sim_run(s, FOREVER, true);
	check_exact(s);
	check_counters(s);
	check_agree(s, false);
	/* wrapped, and each slot reused far more than ten times */
	EE_TC_CHECK(tc, s->e[0].l.g.snd_nxt < isn);
	EE_TC_EQ(tc, s->e[0].l.g.snd_nxt, isn + 6000);
	EE_TC_CHECK(tc, s->e[0].l.g.st.tx_frames > 10 * 16);
	EE_TC_CHECK(tc, s->e[1].l.g.st.tx_frames > 10 * 16);
	EE_TC_CHECK(tc, s->e[0].l.g.st.rtx_frames > 0);
	EE_TC_CHECK(tc, s->e[1].l.g.st.rtx_frames > 0);
	note_stats(s);
	sim_free(s);
}

/* ---- the window against the bandwidth-delay product ------------------ */

/* A one-way stream, A to B, of @n payloads through a bottleneck on A's
 * side that takes @ser per frame and holds at most @qmax waiting, @delay
 * each way; B sends acks only.
 */
struct bn {
	u64 ser, delay;
	u32 qmax;
	u32 loss;		/* A's TLP frames lost, ppm */
	bool no_window;
	u64 n;
	u64 seed;
	u64 stall[2][2];	/* per direction: period, length */
};

struct bn_out {
	u64 base;		/* A's base RTT */
	u64 bdp;		/* frames the path holds, x 100 */
	u64 goodput;		/* frames/s delivered, after the first 10% */
	u64 fl_mean;		/* frames in flight, x 100, meanwhile */
	u32 fl_max;
	u32 window;		/* A's window at the end */
	u32 win_max;		/* ... its largest, after the first 10% */
	u64 qpeak;		/* most frames at the bottleneck, meanwhile */
	u64 lost, rtx, qdrops, timeouts;
};

static void bn_note(struct ee_tc *tc, const struct bn *b,
		    const struct bn_out *o)
{
	char line[360];

	snprintf(line, sizeof(line),
		 "%3llu us/frame, %3llu us each way, loss %u ppm%s: base %llu us, BDP %llu.%02llu, %llu frames/s, in flight %llu.%02llu (max %u), window %u, rtx %llu of %llu lost, queue peak %llu",
		 (unsigned long long)ee_div64(b->ser, US),
		 (unsigned long long)ee_div64(b->delay, US), b->loss,
		 b->no_window ? ", no window" : "",
		 (unsigned long long)ee_div64(o->base, US),
		 (unsigned long long)ee_div64(o->bdp, 100),
		 (unsigned long long)(o->bdp % 100),
		 (unsigned long long)o->goodput,
		 (unsigned long long)ee_div64(o->fl_mean, 100),
		 (unsigned long long)(o->fl_mean % 100), o->fl_max, o->window,
		 (unsigned long long)o->rtx, (unsigned long long)o->lost,
		 (unsigned long long)o->qpeak);
	ee_tc_note(tc, line);
}

/* Run @b to the end; every payload must arrive exactly, in order. */
static bool bn_run(struct ee_tc *tc, const struct bn *b, struct bn_out *o)
{
	struct scen sc = {
		.seed = b->seed, .want = { b->n, 0 },
		.no_window = b->no_window,
	};
	struct lsim *s;
	u64 t0, d0;

	memset(o, 0, sizeof(*o));
	sc.c[0].ser = b->ser;
	sc.c[0].qmax = b->qmax;
	sc.c[0].delay = b->delay;
	sc.c[1].delay = b->delay;
	sc.c[0].loss_data = b->loss;
	sc.c[0].stall_period = b->stall[0][0];
	sc.c[0].stall_len = b->stall[0][1];
	sc.c[1].stall_period = b->stall[1][0];
	sc.c[1].stall_len = b->stall[1][1];
	s = scen_new(tc, &sc, 0x71, 0x72);
	if (!s)
		return false;
	s->fl_from = EE_GBN_NEVER;
	while (!s->stuck && !sim_done(s) && s->e[1].delivered < b->n / 10)
		sim_run(s, s->now + 50 * US, true);
	t0 = s->now;
	d0 = s->e[1].delivered;
	s->fl_from = t0;
	s->c[0].qpeak = 0;
	while (!s->stuck && !sim_done(s) && s->now < FOREVER) {
		sim_run(s, s->now + 200 * US, true);
		if (ee_gbn_window(&s->e[0].l.g) > o->win_max)
			o->win_max = ee_gbn_window(&s->e[0].l.g);
	}
	check_exact(s);
	check_counters(s);
	EE_TC_EQ(tc, s->e[1].l.g.st.rx_frames, b->n);
	o->base = s->e[0].l.r.base_rtt_ns;
	o->bdp = ee_div64(o->base * 100, b->ser);
	if (s->now > t0) {
		o->goodput = ee_div64((s->e[1].delivered - d0) * SEC,
				      s->now - t0);
		o->fl_mean = ee_div64(s->fl_sum * 100, s->now - t0);
	}
	o->fl_max = s->fl_max;
	o->window = ee_gbn_window(&s->e[0].l.g);
	o->lost = s->c[0].lost;
	o->rtx = s->e[0].l.g.st.rtx_frames;
	o->qdrops = s->c[0].qdrops;
	o->qpeak = s->c[0].qpeak;
	o->timeouts = s->e[0].l.g.st.timeouts;
	bn_note(tc, b, o);
	sim_free(s);
	return true;
}

/* The sender keeps about twice the path's bandwidth-delay product in
 * flight, plus an ack's worth (at least the floor, at most the
 * configured window), measured from the acks, whatever the bottleneck:
 * the bottleneck stays busy, its queue short.  Without the window
 * (win_gain 0) the delay target alone lets far more wait on a fast
 * path, and the configured window overflows a bounded queue at start.
 */
static void test_window_bdp(struct ee_tc *tc)
{
	static const struct { u64 ser, delay; } p[] = {
		{ 100 * US, 100 * US },	/* 10 000 frames/s: make bench */
		{ 10 * US, 20 * US },
		{ 2 * US, 10 * US },
		{ 1 * US, 10 * US },
		{ 1 * US, 20 * US },	/* 2 x BDP is beyond the window */
	};
	struct bn b = { .qmax = 64, .n = 20000 };
	struct bn_out o;
	char what[48];
	u64 cap, want, lo, hi;
	u32 i;

	for (i = 0; i < ARRAY_SIZE(p); i++) {
		snprintf(what, sizeof(what), "%u us/frame, %u us",
			 (u32)ee_div64(p[i].ser, US),
			 (u32)ee_div64(p[i].delay, US));
		b.ser = p[i].ser;
		b.delay = p[i].delay;
		b.seed = 100 + i;
		if (!bn_run(tc, &b, &o))
			return;
		ee_tc_ctx(tc, what);
		/* the probes: A's frame, the delay, B's echo, the delay */
		EE_TC_EQ(tc, o.base, p[i].ser + 2 * p[i].delay + 1 * US);
		cap = ee_div64(SEC, p[i].ser);
		EE_TC_CHECK(tc, o.goodput * 100 >= cap * 95);
		/* the window: 2 x BDP, rounded up, plus the frames of an ack
		 * (the peer acks every ack_every), 8 at least, 64 at most
		 */
		want = ee_div64(2 * o.bdp + 99, 100);
		lo = want < 8 ? 8 : want > 64 ? 64 : want;
		want += EE_GBN_DEF_ACK_EVERY + 1;
		hi = want < 8 ? 8 : want > 64 ? 64 : want;
		EE_TC_CHECK(tc, o.window >= lo && o.window <= hi);
		EE_TC_CHECK(tc, o.win_max <= hi);
		/* in flight: the pipe full, not much more than the window */
		EE_TC_CHECK(tc, o.fl_mean * 100 >= o.bdp * 90 ||
			    o.fl_mean >= 6300);
		EE_TC_CHECK(tc, o.fl_mean <= hi * 100);
		EE_TC_CHECK(tc, o.fl_max <= hi);
		/* so the bottleneck's queue held them all */
		EE_TC_EQ(tc, o.qdrops, 0);
		EE_TC_CHECK(tc, o.qpeak <= hi);
	}
	/* the same paths without the window */
	ee_tc_ctx(tc, "no window, 2 us/frame");
	b.ser = 2 * US;
	b.delay = 10 * US;
	b.no_window = true;
	if (!bn_run(tc, &b, &o))
		return;
	EE_TC_CHECK(tc, o.fl_mean > 3 * o.bdp);
	EE_TC_EQ(tc, o.fl_max, EE_GBN_DEF_WINDOW);
	ee_tc_ctx(tc, "no window, 100 us/frame");
	b.ser = 100 * US;
	b.delay = 100 * US;
	if (!bn_run(tc, &b, &o))
		return;
	EE_TC_CHECK(tc, o.qdrops > 0);
	EE_TC_CHECK(tc, o.rtx > 0);
	ee_tc_ctx(tc, "");
}

/* Go-Back-N resends what is in flight after a loss: with the window
 * near the path's bandwidth-delay product, 1% loss costs little of the
 * goodput (transport.rst: about 1 / (1 + p x frames in flight)).  The
 * same stream, clean and with 1% and 5% of A's TLP frames lost, through
 * the bottleneck of make bench (10 000 frames/s, 300 us) and a faster one.
 */
static void test_loss_goodput(struct ee_tc *tc)
{
	static const struct { u64 ser, delay; } p[] = {
		{ 100 * US, 100 * US },
		{ 10 * US, 20 * US },
	};
	struct bn b = { .qmax = 64, .n = 20000 };
	struct bn_out clean, lossy;
	char what[48], line[96];
	u64 r;
	u32 i;

	for (i = 0; i < ARRAY_SIZE(p); i++) {
		b.ser = p[i].ser;
		b.delay = p[i].delay;
		b.seed = 200 + i;
		b.loss = 0;
		if (!bn_run(tc, &b, &clean))
			return;
		b.loss = 10000;
		if (!bn_run(tc, &b, &lossy))
			return;
		snprintf(what, sizeof(what), "1%% loss, %u us/frame",
			 (u32)ee_div64(p[i].ser, US));
		ee_tc_ctx(tc, what);
		EE_TC_EQ(tc, clean.rtx, 0);
		EE_TC_CHECK(tc, lossy.lost > 100);
		/* each loss costs at most about a window of resends */
		EE_TC_CHECK(tc, lossy.rtx <= (lossy.lost + lossy.timeouts) *
					     (lossy.win_max + 1));
		r = ee_div64(lossy.goodput * 1000, clean.goodput);
		snprintf(line, sizeof(line),
			 "%llu us/frame: goodput at 1%% loss %llu.%llu%% of clean",
			 (unsigned long long)ee_div64(p[i].ser, US),
			 (unsigned long long)ee_div64(r, 10),
			 (unsigned long long)(r % 10));
		ee_tc_note(tc, line);
		EE_TC_CHECK(tc, r >= 800);
		if (i)
			continue;
		b.loss = 50000;
		if (!bn_run(tc, &b, &lossy))
			return;
		ee_tc_ctx(tc, "5% loss");
		r = ee_div64(lossy.goodput * 1000, clean.goodput);
		snprintf(line, sizeof(line),
			 "%llu us/frame: goodput at 5%% loss %llu.%llu%% of clean",
			 (unsigned long long)ee_div64(p[i].ser, US),
			 (unsigned long long)ee_div64(r, 10),
			 (unsigned long long)(r % 10));
		ee_tc_note(tc, line);
		EE_TC_CHECK(tc, r >= 500);
	}
	ee_tc_ctx(tc, "");
}

/* The peer, or our own vCPU, stops now and then (descheduled on a loaded
 * host): acks stop, then come in a burst.  The window grows by such
 * bursts (ee_rate's ack aggregation) so that frames keep flowing across
 * the stalls, and the throughput stays close to that of the full
 * configured window; loss still costs less with it.  The same path as
 * "window tracks": 25 000 frames/s, 50 us each way; the box stops for
 * 1 ms every 3 ms, the acks' way for 1 ms every 5 ms.
 */
static void test_window_stalls(struct ee_tc *tc)
{
	struct bn b = {
		.ser = 40 * US, .delay = 50 * US, .n = 20000, .seed = 300,
		.stall = { { 3 * MS, 1 * MS }, { 5 * MS, 1 * MS } },
	};
	struct bn_out w, full, wl, fl;
	u64 hi;

	if (!bn_run(tc, &b, &w))
		return;
	b.no_window = true;
	if (!bn_run(tc, &b, &full))
		return;
	b.loss = 10000;
	if (!bn_run(tc, &b, &fl))
		return;
	b.no_window = false;
	if (!bn_run(tc, &b, &wl))
		return;
	/* 2 x BDP and an ack's worth would not cover a 1 ms stall */
	hi = ee_div64(2 * w.bdp + 99, 100) + EE_GBN_DEF_ACK_EVERY + 1;
	EE_TC_CHECK(tc, w.win_max > hi);
	EE_TC_CHECK(tc, w.goodput * 100 >= full.goodput * 90);
	EE_TC_CHECK(tc, w.fl_mean < full.fl_mean);
	EE_TC_CHECK(tc, wl.goodput > fl.goodput);
	EE_TC_CHECK(tc, wl.rtx < fl.rtx);
}

const struct ee_sim_test ee_link_sim_tests[] = {
	{ "ring slots and size", test_slots },
	{ "queue limits, ring order, close", test_queue },
	{ "pacing holds frames, not acks", test_pacing },
	{ "rate probes answered at connection start", test_probes },
	{ "peer opens late: probes time out", test_late_peer },
	{ "clean channel, both ways", test_clean },
	{ "loss of data (10%)", test_loss_data },
	{ "loss of acks (30%)", test_loss_ack },
	{ "reordering (25%)", test_reorder },
	{ "duplication (20%)", test_dup },
	{ "5% loss, 20% reorder, 5% dup, both ways", test_mixed },
	{ "peer restarts the connection", test_peer_restart },
	{ "peer re-opens with a new epoch", test_new_epoch },
	{ "peer death, next generation", test_death },
	{ "peer stall: dead, then revived", test_stall_revive },
	{ "sequence wrap through a 16-slot ring", test_wrap },
	{ "window tracks the bandwidth-delay product", test_window_bdp },
	{ "goodput at 1% loss, 80% of clean", test_loss_goodput },
	{ "the window covers stalls of the peer", test_window_stalls },
	{ NULL, NULL }
};
