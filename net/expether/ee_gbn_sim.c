// SPDX-License-Identifier: GPL-2.0
/*
 * Go-Back-N (ee_gbn.c) under a simulated clock: the scenarios of the
 * user-space test_gbn and of the KUnit suite expether_gbn (ee_sim.h).
 *
 * Part one calls the API directly and checks each rule of
 * Documentation/expether/transport.rst.  Part two connects two endpoints
 * through a deterministic channel (seeded PRNG: loss, duplication,
 * reordering, jitter, cuts) and checks, for every scenario, that each
 * receiver delivered exactly the payloads its peer sent, in order (every
 * payload names its connection and index and carries a pattern derived
 * from them), and that the counters agree with what the channel saw.
 */
#include "ee_types.h"
#include "ee_codec.h"
#include "ee_gbn.h"
#include "ee_sim.h"

#define US		1000ULL
#define MS		1000000ULL
#define RING		EE_GBN_MAX_WINDOW
#define MAXPAY		80

static u64 mod64(u64 a, u64 b)
{
	return a - ee_div64(a, b) * b;
}

/* ---- lowbias32 inverse, to choose epochs that give a wanted ISN ------ */

static u32 inv32(u32 a)
{
	u32 x = a;
	int i;

	for (i = 0; i < 5; i++)
		x *= 2 - a * x;
	return x;
}

static u32 unmix(u32 y)
{
	y ^= y >> 16;
	y *= inv32(0x846ca68bu);
	y ^= (y >> 15) ^ (y >> 30);
	y *= inv32(0x7feb352du);
	y ^= y >> 16;
	return y;
}

/* The sender epoch for which ee_gbn_isn(s, r, gen) == isn. */
static u32 epoch_for_isn(u32 isn, u32 r, u32 gen)
{
	return unmix(unmix(unmix(isn) ^ gen) ^ r);
}

/* ---- part one: the rules, one call at a time -------------------------- */

static void cfg_test(struct ee_gbn_cfg *c)
{
	ee_gbn_cfg_default(c);
}

static int rx(struct ee_gbn *g, u64 now, const struct ee_hdr *h,
	      struct ee_gbn_rx_info *ri)
{
	return ee_gbn_rx(g, now, h, ri);
}

static void tlp_hdr(struct ee_hdr *h, u16 len)
{
	memset(h, 0, sizeof(*h));
	h->type = EXPETHER_FT_TLP;
	h->length = len;
}

static void test_serial(struct ee_tc *tc)
{
	EE_TC_CHECK(tc, ee_seq_lt(1, 2));
	EE_TC_CHECK(tc, !ee_seq_lt(2, 1));
	EE_TC_CHECK(tc, !ee_seq_lt(5, 5));
	EE_TC_CHECK(tc, ee_seq_le(5, 5));
	EE_TC_CHECK(tc, ee_seq_lt(0xfffffff0u, 0x10));
	EE_TC_CHECK(tc, !ee_seq_lt(0x10, 0xfffffff0u));
	EE_TC_CHECK(tc, ee_seq_lt(0x7fffffffu, 0x80000000u));
	EE_TC_CHECK(tc, ee_seq_lt(0, 0x7fffffffu));
	EE_TC_CHECK(tc, !ee_seq_lt(0, 0x80000000u));
	EE_TC_CHECK(tc, !ee_seq_lt(0x80000000u, 0));
}

static void test_isn(struct ee_tc *tc)
{
	u32 e, x, gen, isn;
	int i;

	EE_TC_EQ(tc, ee_gbn_isn(1, 2, 0), ee_gbn_isn(1, 2, 0));
	EE_TC_CHECK(tc, ee_gbn_isn(1, 2, 0) != ee_gbn_isn(2, 1, 0));
	EE_TC_CHECK(tc, ee_gbn_isn(1, 2, 0) != ee_gbn_isn(1, 2, 1));
	EE_TC_CHECK(tc, ee_gbn_isn(1, 2, 0) != ee_gbn_isn(1, 3, 0));
	e = epoch_for_isn(0xfffffff0u, 0x1234, 0);
	EE_TC_EQ(tc, ee_gbn_isn(e, 0x1234, 0), 0xfffffff0u);
	e = epoch_for_isn(77, 0xabcdef, 5);
	EE_TC_EQ(tc, ee_gbn_isn(e, 0xabcdef, 5), 77);
	/* ISN -> generation, any generation, against this file's own
	 * inverse (multipliers inverted by Newton's iteration).
	 */
	for (i = 0, x = 0x9e3779b9u; i < 1000; i++) {
		x = x * 1664525u + 1013904223u;
		gen = i < 4 ? (u32)-i : x >> (i & 31);
		isn = ee_gbn_isn(x, ~x, gen);
		EE_TC_EQ(tc, ee_gbn_isn_gen(x, ~x, isn), gen);
		EE_TC_EQ(tc, epoch_for_isn(isn, ~x, gen), x);
	}
}

static void test_closed(struct ee_tc *tc)
{
	struct ee_gbn_cfg c;
	struct ee_gbn *g;
	struct ee_gbn_rx_info ri;
	struct ee_hdr h;
	u32 seq;

	g = ee_tc_zalloc(tc, sizeof(*g));
	if (!g)
		return;
	cfg_test(&c);
	ee_gbn_init(g, &c);
	tlp_hdr(&h, 12);
	EE_TC_EQ(tc, ee_gbn_tx_new(g, 0, &h), -EE_GBN_ESTATE);
	EE_TC_CHECK(tc, !ee_gbn_can_send(g));
	EE_TC_CHECK(tc, !ee_gbn_rtx_pending(g, &seq));
	EE_TC_CHECK(tc, !ee_gbn_tx_rtx(g, 0, &h));
	EE_TC_EQ(tc, ee_gbn_deadline(g), EE_GBN_NEVER);
	EE_TC_EQ(tc, ee_gbn_timer(g, 1000 * MS), 0);
	h.flags = EXPETHER_F_SEQ | EXPETHER_F_SYN;
	EE_TC_EQ(tc, rx(g, 0, &h, &ri), EE_GBN_IGNORE);
	EE_TC_EQ(tc, g->st.rx_ignored, 1);
	h.type = EXPETHER_FT_DIF;
	EE_TC_EQ(tc, rx(g, 0, &h, &ri), EE_GBN_IGNORE);
	EE_TC_EQ(tc, g->st.rx_ignored, 1);
	ee_tc_free(tc, g);
}

static void test_cfg_clamp(struct ee_tc *tc)
{
	struct ee_gbn_cfg c;
	struct ee_gbn *g;

	g = ee_tc_zalloc(tc, sizeof(*g));
	if (!g)
		return;
	memset(&c, 0, sizeof(c));
	c.window = 100000;
	c.rto_min_ns = 5;
	c.rto_max_ns = 1;
	c.rto_init_ns = 0;
	ee_gbn_init(g, &c);
	EE_TC_EQ(tc, g->cfg.window, EE_GBN_MAX_WINDOW);
	EE_TC_EQ(tc, g->cfg.max_timeouts, 1);
	EE_TC_EQ(tc, g->cfg.ack_every, 1);
	EE_TC_EQ(tc, g->cfg.rto_min_ns, 1000);
	EE_TC_EQ(tc, g->cfg.rto_max_ns, 1000);
	EE_TC_EQ(tc, g->cfg.rto_init_ns, 1000);
	ee_tc_free(tc, g);
}

/* A pair opened at time 0, a to b and b to a: a[0] and a[1], allocated
 * (two struct ee_gbn are too much for a kernel stack).
 */
static struct ee_gbn *pair(struct ee_tc *tc, const struct ee_gbn_cfg *c)
{
	struct ee_gbn *a = ee_tc_zalloc(tc, 2 * sizeof(*a));

	if (!a)
		return NULL;
	ee_gbn_init(&a[0], c);
	ee_gbn_init(&a[1], c);
	ee_gbn_reset(&a[0], 0xaaaa, 0xbbbb, 0);
	ee_gbn_reset(&a[1], 0xbbbb, 0xaaaa, 0);
	return a;
}

static void test_handshake(struct ee_tc *tc)
{
	struct ee_gbn_cfg c;
	struct ee_gbn *a, *b;
	struct ee_gbn_rx_info ri;
	struct ee_hdr h, h1, h2;

	cfg_test(&c);
	a = pair(tc, &c);
	if (!a)
		return;
	b = a + 1;
	EE_TC_EQ(tc, a->snd_isn, ee_gbn_isn(0xaaaa, 0xbbbb, 0));
	EE_TC_EQ(tc, b->rcv_isn, a->snd_isn);
	EE_TC_EQ(tc, a->rcv_isn, b->snd_isn);

	tlp_hdr(&h, 12);
	EE_TC_EQ(tc, ee_gbn_tx_new(a, 10 * US, &h), 0);
	EE_TC_EQ(tc, h.seq, a->snd_isn);
	EE_TC_EQ(tc, h.flags, EXPETHER_F_SEQ | EXPETHER_F_SYN |
		 EXPETHER_F_ACK | EXPETHER_F_TS);
	EE_TC_EQ(tc, h.ack, b->snd_isn);
	EE_TC_EQ(tc, h.tsval, 10);
	tlp_hdr(&h1, 12);
	EE_TC_EQ(tc, ee_gbn_tx_new(a, 11 * US, &h1), 0);
	EE_TC_EQ(tc, h1.seq, a->snd_isn + 1);
	EE_TC_CHECK(tc, !(h1.flags & EXPETHER_F_SYN));
	EE_TC_EQ(tc, ee_gbn_in_flight(a), 2);

	/* Before the SYN: a frame ahead is out of order; a non-SYN frame at
	 * the ISN is stale.
	 */
	EE_TC_EQ(tc, rx(b, 20 * US, &h1, &ri), EE_GBN_OOO);
	EE_TC_CHECK(tc, ri.events & EE_GBN_EV_ACK_NOW);
	h2 = h;
	h2.flags &= (u16)~EXPETHER_F_SYN;
	EE_TC_EQ(tc, rx(b, 20 * US, &h2, &ri), EE_GBN_STALE);
	EE_TC_EQ(tc, b->st.rx_stale, 1);
	EE_TC_EQ(tc, rx(b, 21 * US, &h, &ri), EE_GBN_DELIVER);
	EE_TC_CHECK(tc, b->rx_synced);
	EE_TC_EQ(tc, rx(b, 22 * US, &h1, &ri), EE_GBN_DELIVER);
	/* The retransmitted SYN is a duplicate now. */
	EE_TC_EQ(tc, rx(b, 23 * US, &h, &ri), EE_GBN_DUP);
	EE_TC_EQ(tc, b->st.rx_frames, 2);
	EE_TC_EQ(tc, b->st.rx_dup, 1);
	EE_TC_EQ(tc, b->st.rx_ooo, 1);
	EE_TC_EQ(tc, b->rcv_nxt, a->snd_isn + 2);

	/* b's ack frees both and echoes a's first unacked timestamp. */
	EE_TC_CHECK(tc, ee_gbn_ack_due(b, 23 * US));
	ee_gbn_tx_ack(b, 30 * US, &h2);
	EE_TC_EQ(tc, h2.type, EXPETHER_FT_ACK);
	EE_TC_EQ(tc, h2.ack, a->snd_isn + 2);
	EE_TC_CHECK(tc, h2.flags & EXPETHER_F_TSECR);
	EE_TC_CHECK(tc, !ee_gbn_ack_owed(b));
	EE_TC_EQ(tc, rx(a, 50 * US, &h2, &ri), EE_GBN_ACKONLY);
	EE_TC_CHECK(tc, ri.events & EE_GBN_EV_ACKED);
	EE_TC_EQ(tc, ri.acked, 2);
	EE_TC_EQ(tc, ri.una, a->snd_isn + 2);
	EE_TC_CHECK(tc, ri.events & EE_GBN_EV_RTT);
	EE_TC_EQ(tc, ee_gbn_in_flight(a), 0);
	EE_TC_CHECK(tc, !a->rto_armed);
	EE_TC_CHECK(tc, a->syn_acked);
	/* b echoes the frame that opened its ack (the SYN, sent at 10 us);
	 * the gap evidence of h1 went with the delivery that closed it.
	 */
	EE_TC_EQ(tc, ri.rtt_ns, 40 * US);
	tlp_hdr(&h, 12);
	EE_TC_EQ(tc, ee_gbn_tx_new(a, 60 * US, &h), 0);
	EE_TC_CHECK(tc, !(h.flags & EXPETHER_F_SYN));
	ee_tc_free(tc, a);
}

static void test_ack_delay(struct ee_tc *tc)
{
	struct ee_gbn_cfg c;
	struct ee_gbn *a, *b;
	struct ee_gbn_rx_info ri;
	struct ee_hdr h;
	u32 i;

	cfg_test(&c);
	c.ack_every = 3;
	c.ack_delay_ns = 40 * US;
	a = pair(tc, &c);
	if (!a)
		return;
	b = a + 1;
	tlp_hdr(&h, 12);
	ee_gbn_tx_new(a, 0, &h);
	EE_TC_EQ(tc, rx(b, 100 * US, &h, &ri), EE_GBN_DELIVER);
	EE_TC_CHECK(tc, !(ri.events & EE_GBN_EV_ACK_NOW));
	EE_TC_CHECK(tc, ee_gbn_ack_owed(b));
	EE_TC_CHECK(tc, !ee_gbn_ack_due(b, 139 * US));
	EE_TC_CHECK(tc, ee_gbn_ack_due(b, 140 * US));
	EE_TC_EQ(tc, ee_gbn_deadline(b), 140 * US);
	EE_TC_EQ(tc, ee_gbn_timer(b, 139 * US), 0);
	EE_TC_EQ(tc, ee_gbn_timer(b, 140 * US), EE_GBN_EV_ACK_NOW);
	/* A data frame from b carries the ack: nothing owed any more. */
	tlp_hdr(&h, 12);
	EE_TC_EQ(tc, ee_gbn_tx_new(b, 141 * US, &h), 0);
	EE_TC_EQ(tc, h.ack, a->snd_isn + 1);
	EE_TC_CHECK(tc, !ee_gbn_ack_owed(b));
	EE_TC_EQ(tc, ee_gbn_deadline(b), b->rto_deadline);
	/* ack_every frames: due at once. */
	for (i = 0; i < 3; i++) {
		tlp_hdr(&h, 12);
		ee_gbn_tx_new(a, 200 * US, &h);
		rx(b, 300 * US, &h, &ri);
		EE_TC_EQ(tc, !!(ri.events & EE_GBN_EV_ACK_NOW), i == 2);
	}
	ee_tc_free(tc, a);
}

/* Request and response: each end answers within ack_delay_max of a
 * delivery.  After EE_GBN_PINGPONG such answers an owed ack waits up to
 * ack_delay_max for the next data frame to carry it; a pure ACK then
 * (the wait ran out, or a stream) goes back to ack_delay.  ack_every is
 * at once in any case.
 */
static void test_ack_interactive(struct ee_tc *tc)
{
	struct ee_gbn_cfg c;
	struct ee_gbn *a, *b;
	struct ee_gbn_rx_info ri;
	struct ee_hdr h;
	u64 t = 0;
	u32 i;

	cfg_test(&c);
	EE_TC_EQ(tc, c.ack_delay_max_ns, 200 * US);
	a = pair(tc, &c);
	if (!a)
		return;
	b = a + 1;
	/* an answer later than ack_delay_max does not count */
	tlp_hdr(&h, 12);
	EE_TC_EQ(tc, ee_gbn_tx_new(a, t, &h), 0);
	rx(b, t + 10 * US, &h, &ri);
	ee_gbn_tx_ack(b, t + 35 * US, &h);
	tlp_hdr(&h, 16);
	EE_TC_EQ(tc, ee_gbn_tx_new(b, t + 10 * US + 201 * US, &h), 0);
	EE_TC_EQ(tc, b->piggy, 0);
	rx(a, t + 220 * US, &h, &ri);
	t += 300 * US;
	for (i = 0; i < EE_GBN_PINGPONG; i++) {
		/* a request; b answers 100 us after it came, after its
		 * short delay ran out (a pure ACK went), and that counts
		 */
		tlp_hdr(&h, 12);
		EE_TC_EQ(tc, ee_gbn_tx_new(a, t, &h), 0);
		EE_TC_EQ(tc, rx(b, t + 10 * US, &h, &ri), EE_GBN_DELIVER);
		EE_TC_EQ(tc, b->ack_deadline, t + 10 * US + c.ack_delay_ns);
		EE_TC_EQ(tc, ee_gbn_timer(b, t + 35 * US), EE_GBN_EV_ACK_NOW);
		ee_gbn_tx_ack(b, t + 35 * US, &h);
		EE_TC_EQ(tc, b->piggy, i);
		tlp_hdr(&h, 16);
		EE_TC_EQ(tc, ee_gbn_tx_new(b, t + 110 * US, &h), 0);
		EE_TC_EQ(tc, b->piggy, i + 1);
		/* one answer per delivery */
		tlp_hdr(&h, 16);
		EE_TC_EQ(tc, ee_gbn_tx_new(b, t + 111 * US, &h), 0);
		EE_TC_EQ(tc, b->piggy, i + 1);
		rx(a, t + 120 * US, &h, &ri);
		t += 300 * US;
	}
	/* interactive: the next ack waits up to 200 us for b's answer */
	tlp_hdr(&h, 12);
	EE_TC_EQ(tc, ee_gbn_tx_new(a, t, &h), 0);
	EE_TC_EQ(tc, rx(b, t + 10 * US, &h, &ri), EE_GBN_DELIVER);
	EE_TC_EQ(tc, ee_gbn_deadline(b), t + 10 * US + 200 * US);
	EE_TC_CHECK(tc, !ee_gbn_ack_due(b, t + 209 * US));
	EE_TC_EQ(tc, ee_gbn_timer(b, t + 209 * US), 0);
	/* no answer came: a pure ACK, and the short delay again */
	EE_TC_EQ(tc, ee_gbn_timer(b, t + 210 * US), EE_GBN_EV_ACK_NOW);
	ee_gbn_tx_ack(b, t + 210 * US, &h);
	EE_TC_EQ(tc, h.ack, a->snd_nxt);
	EE_TC_EQ(tc, b->piggy, 0);
	rx(a, t + 220 * US, &h, &ri);
	t += 300 * US;
	tlp_hdr(&h, 12);
	EE_TC_EQ(tc, ee_gbn_tx_new(a, t, &h), 0);
	EE_TC_EQ(tc, rx(b, t + 10 * US, &h, &ri), EE_GBN_DELIVER);
	EE_TC_EQ(tc, ee_gbn_deadline(b), t + 10 * US + c.ack_delay_ns);
	/* interactive again, then a stream: ack_every is at once */
	b->piggy = EE_GBN_PINGPONG;
	for (i = 1; i < c.ack_every; i++) {
		tlp_hdr(&h, 12);
		EE_TC_EQ(tc, ee_gbn_tx_new(a, t + 20 * US, &h), 0);
		rx(b, t + 30 * US, &h, &ri);
		EE_TC_EQ(tc, !!(ri.events & EE_GBN_EV_ACK_NOW),
			 i == c.ack_every - 1);
	}
	ee_tc_free(tc, a);

	/* ack_delay_max stays between ack_delay and a quarter of rto_min */
	cfg_test(&c);
	c.ack_delay_max_ns = 10 * MS;
	a = pair(tc, &c);
	if (!a)
		return;
	EE_TC_EQ(tc, a->cfg.ack_delay_max_ns, c.rto_min_ns / 4);
	ee_tc_free(tc, a);
	c.ack_delay_max_ns = 1 * US;
	a = pair(tc, &c);
	if (!a)
		return;
	EE_TC_EQ(tc, a->cfg.ack_delay_max_ns, c.ack_delay_ns);
	ee_tc_free(tc, a);
}

static void test_window(struct ee_tc *tc)
{
	struct ee_gbn_cfg c;
	struct ee_gbn *a, *b;
	struct ee_gbn_rx_info ri;
	struct ee_hdr h, hs[8];
	u32 i;

	cfg_test(&c);
	c.window = 8;
	a = pair(tc, &c);
	if (!a)
		return;
	b = a + 1;
	for (i = 0; i < 8; i++) {
		EE_TC_CHECK(tc, ee_gbn_can_send(a));
		tlp_hdr(&hs[i], 16);
		EE_TC_EQ(tc, ee_gbn_tx_new(a, 0, &hs[i]), 0);
	}
	EE_TC_CHECK(tc, !ee_gbn_can_send(a));
	tlp_hdr(&h, 16);
	EE_TC_EQ(tc, ee_gbn_tx_new(a, 0, &h), -EE_GBN_EWINDOW);
	EE_TC_EQ(tc, a->st.tx_frames, 8);
	EE_TC_EQ(tc, a->st.tx_bytes, 8 * 16);
	for (i = 0; i < 3; i++)
		rx(b, 10 * US, &hs[i], &ri);
	ee_gbn_tx_ack(b, 10 * US, &h);
	rx(a, 20 * US, &h, &ri);
	EE_TC_EQ(tc, ri.acked, 3);
	EE_TC_EQ(tc, ee_gbn_in_flight(a), 5);
	EE_TC_CHECK(tc, ee_gbn_can_send(a));
	/* An ack beyond what was sent is ignored. */
	h.ack = a->snd_nxt + 1;
	rx(a, 21 * US, &h, &ri);
	EE_TC_EQ(tc, a->st.rx_bad_acks, 1);
	EE_TC_EQ(tc, ee_gbn_in_flight(a), 5);

	/* A smaller window: what is in flight stays, nothing more goes
	 * until it fits; cfg.window stays the ceiling; 0 lifts it.
	 */
	EE_TC_EQ(tc, ee_gbn_window(a), 8);
	ee_gbn_set_window(a, 4);
	EE_TC_EQ(tc, ee_gbn_window(a), 4);
	EE_TC_CHECK(tc, !ee_gbn_can_send(a));
	EE_TC_EQ(tc, ee_gbn_tx_new(a, 30 * US, &h), -EE_GBN_EWINDOW);
	for (i = 3; i < 5; i++)
		rx(b, 30 * US, &hs[i], &ri);
	ee_gbn_tx_ack(b, 30 * US, &h);
	rx(a, 40 * US, &h, &ri);
	EE_TC_EQ(tc, ee_gbn_in_flight(a), 3);
	EE_TC_CHECK(tc, ee_gbn_can_send(a));
	tlp_hdr(&h, 16);
	EE_TC_EQ(tc, ee_gbn_tx_new(a, 40 * US, &h), 0);
	EE_TC_CHECK(tc, !ee_gbn_can_send(a));
	ee_gbn_set_window(a, 100);
	EE_TC_EQ(tc, ee_gbn_window(a), 8);
	ee_gbn_set_window(a, 0);
	EE_TC_EQ(tc, ee_gbn_window(a), 8);
	EE_TC_CHECK(tc, ee_gbn_can_send(a));
	ee_tc_free(tc, a);
}

static void test_rto(struct ee_tc *tc)
{
	struct ee_gbn_cfg c;
	struct ee_gbn *a, *b;
	struct ee_gbn_rx_info ri;
	struct ee_hdr h, ack;
	u64 t = 0, rtt[4] = { 2 * MS, 2 * MS, 6 * MS, 1 * MS };
	u64 srtt = 0, var = 0, rto;
	u32 i, seq;

	cfg_test(&c);
	c.rto_min_ns = 1 * MS;
	c.rto_max_ns = 40 * MS;
	c.rto_init_ns = 10 * MS;
	c.max_timeouts = 6;
	a = pair(tc, &c);
	if (!a)
		return;
	b = a + 1;
	EE_TC_EQ(tc, a->rto_ns, 10 * MS);
	/* Samples without timestamps (Karn's timing), checked against the
	 * RFC 6298 formulas.
	 */
	for (i = 0; i < 4; i++) {
		tlp_hdr(&h, 12);
		ee_gbn_tx_new(a, t, &h);
		EE_TC_EQ(tc, a->rto_deadline, t + a->rto_ns);
		rx(b, t + ee_div64(rtt[i], 2), &h, &ri);
		ee_gbn_tx_ack(b, t + ee_div64(rtt[i], 2), &ack);
		ack.flags &= (u16)~(EXPETHER_F_TS | EXPETHER_F_TSECR);
		rx(a, t + rtt[i], &ack, &ri);
		EE_TC_CHECK(tc, ri.events & EE_GBN_EV_RTT);
		EE_TC_EQ(tc, ri.rtt_ns, rtt[i]);
		if (!i) {
			srtt = rtt[0];
			var = ee_div64(rtt[0], 2);
		} else {
			u64 err = srtt > rtt[i] ? srtt - rtt[i] : rtt[i] - srtt;

			var = var - ee_div64(var, 4) + ee_div64(err, 4);
			srtt = srtt - ee_div64(srtt, 8) + ee_div64(rtt[i], 8);
		}
		rto = srtt + 4 * var;
		if (rto < c.rto_min_ns)
			rto = c.rto_min_ns;
		EE_TC_EQ(tc, a->srtt_ns, srtt);
		EE_TC_EQ(tc, a->rttvar_ns, var);
		EE_TC_EQ(tc, a->rto_ns, rto);
		EE_TC_CHECK(tc, !a->rto_armed);
		t += 100 * MS;
	}
	EE_TC_EQ(tc, a->st.rtt_min_ns, 1 * MS);
	EE_TC_EQ(tc, a->st.rtt_samples, 4);

	/* Nothing answers: back off, go back each time, die. */
	rto = a->rto_ns;
	EE_TC_EQ(tc, ee_gbn_dead_bound(a),
		 rto + 2 * rto + 4 * rto + 40 * MS * 3);
	tlp_hdr(&h, 12);
	ee_gbn_tx_new(a, t, &h);
	tlp_hdr(&h, 12);
	ee_gbn_tx_new(a, t, &h);
	for (i = 0; i < 5; i++) {
		EE_TC_EQ(tc, ee_gbn_deadline(a), t + rto);
		EE_TC_EQ(tc, ee_gbn_timer(a, t + rto - 1), 0);
		t += rto;
		EE_TC_EQ(tc, ee_gbn_timer(a, t), EE_GBN_EV_RESEND);
		rto = rto * 2 > 40 * MS ? 40 * MS : rto * 2;
		EE_TC_EQ(tc, a->rto_ns, rto);
		EE_TC_CHECK(tc, ee_gbn_rtx_pending(a, &seq));
		EE_TC_EQ(tc, seq, a->snd_una);
		EE_TC_CHECK(tc, !ee_gbn_can_send(a));
		tlp_hdr(&h, 12);
		EE_TC_EQ(tc, ee_gbn_tx_new(a, t, &h), -EE_GBN_ERTX);
		EE_TC_CHECK(tc, ee_gbn_tx_rtx(a, t, &h));
		EE_TC_EQ(tc, h.seq, a->snd_una);
		/* After a timeout only the oldest frame goes again. */
		EE_TC_CHECK(tc, !ee_gbn_rtx_pending(a, &seq));
		EE_TC_CHECK(tc, !ee_gbn_tx_rtx(a, t, &h));
		EE_TC_CHECK(tc, !ee_gbn_can_send(a));
	}
	EE_TC_EQ(tc, a->st.rtx_frames, 5);
	EE_TC_EQ(tc, a->st.timeouts, 5);
	t += rto;
	EE_TC_EQ(tc, ee_gbn_timer(a, t), EE_GBN_EV_DEAD);
	EE_TC_CHECK(tc, ee_gbn_dead(a));
	EE_TC_EQ(tc, a->st.deaths, 1);
	EE_TC_EQ(tc, a->st.timeouts, 6);
	EE_TC_EQ(tc, ee_gbn_deadline(a), EE_GBN_NEVER);
	tlp_hdr(&h, 12);
	EE_TC_EQ(tc, ee_gbn_tx_new(a, t, &h), -EE_GBN_ESTATE);
	/* Karn: the retransmitted frame's ack gives no sample. */
	EE_TC_EQ(tc, a->st.rtt_samples, 4);
	ee_tc_free(tc, a);
}

/* After an RTO the oldest frame probes the peer: if only acks were lost
 * its ack covers the window and nothing more is sent again; if data was
 * lost, the ack shows it and the rest of the window follows.
 */
static void test_rto_probe(struct ee_tc *tc)
{
	struct ee_gbn_cfg c;
	struct ee_gbn *a, *b;
	struct ee_gbn_rx_info ri;
	struct ee_hdr h[4], r, ack;
	u64 t = 0;
	u32 i, seq;

	cfg_test(&c);
	a = pair(tc, &c);
	if (!a)
		return;
	b = a + 1;

	/* Acks lost: b holds all four frames. */
	ee_tc_ctx(tc, "acks lost");
	for (i = 0; i < 4; i++) {
		tlp_hdr(&h[i], 12);
		EE_TC_EQ(tc, ee_gbn_tx_new(a, t, &h[i]), 0);
		EE_TC_EQ(tc, rx(b, t + 10 * US, &h[i], &ri), EE_GBN_DELIVER);
	}
	t = ee_gbn_deadline(a);
	EE_TC_EQ(tc, ee_gbn_timer(a, t), EE_GBN_EV_RESEND);
	EE_TC_CHECK(tc, ee_gbn_rtx_pending(a, &seq));
	EE_TC_EQ(tc, seq, a->snd_isn);
	tlp_hdr(&r, 12);
	EE_TC_CHECK(tc, ee_gbn_tx_rtx(a, t, &r));
	EE_TC_EQ(tc, r.seq, a->snd_isn);
	EE_TC_CHECK(tc, !ee_gbn_rtx_pending(a, &seq));
	EE_TC_EQ(tc, rx(b, t + 10 * US, &r, &ri), EE_GBN_DUP);
	memset(&ack, 0, sizeof(ack));
	ee_gbn_tx_ack(b, t + 10 * US, &ack);
	EE_TC_EQ(tc, ack.ack, a->snd_isn + 4);
	EE_TC_EQ(tc, rx(a, t + 20 * US, &ack, &ri), EE_GBN_ACKONLY);
	EE_TC_EQ(tc, ee_gbn_in_flight(a), 0);
	EE_TC_CHECK(tc, !ee_gbn_rtx_pending(a, &seq));
	EE_TC_CHECK(tc, ee_gbn_can_send(a));
	EE_TC_EQ(tc, a->st.rtx_frames, 1);

	/* Data lost: the first of four; b dropped the other three. */
	ee_tc_ctx(tc, "data lost");
	t += 100 * US;
	for (i = 0; i < 4; i++) {
		tlp_hdr(&h[i], 12);
		EE_TC_EQ(tc, ee_gbn_tx_new(a, t, &h[i]), 0);
		if (i)
			EE_TC_EQ(tc, rx(b, t + 10 * US, &h[i], &ri),
				 EE_GBN_OOO);
	}
	/* b's gap acks are lost too: only the timeout is left. */
	t = ee_gbn_deadline(a);
	EE_TC_EQ(tc, ee_gbn_timer(a, t) & EE_GBN_EV_RESEND, EE_GBN_EV_RESEND);
	tlp_hdr(&r, 12);
	EE_TC_CHECK(tc, ee_gbn_tx_rtx(a, t, &r));
	EE_TC_EQ(tc, r.seq, h[0].seq);
	EE_TC_CHECK(tc, !ee_gbn_rtx_pending(a, &seq));
	EE_TC_EQ(tc, rx(b, t + 10 * US, &r, &ri), EE_GBN_DELIVER);
	memset(&ack, 0, sizeof(ack));
	ee_gbn_tx_ack(b, t + 10 * US, &ack);
	EE_TC_EQ(tc, ack.ack, h[1].seq);
	rx(a, t + 20 * US, &ack, &ri);
	EE_TC_EQ(tc, ee_gbn_in_flight(a), 3);
	/* The peer lacks the rest: all of it goes again, at once. */
	for (i = 1; i < 4; i++) {
		EE_TC_CHECK(tc, ee_gbn_rtx_pending(a, &seq));
		EE_TC_EQ(tc, seq, h[i].seq);
		tlp_hdr(&r, 12);
		EE_TC_CHECK(tc, ee_gbn_tx_rtx(a, t + 20 * US, &r));
		EE_TC_EQ(tc, rx(b, t + 30 * US, &r, &ri), EE_GBN_DELIVER);
	}
	EE_TC_CHECK(tc, !ee_gbn_rtx_pending(a, &seq));
	EE_TC_EQ(tc, a->st.rtx_frames, 5);
	EE_TC_EQ(tc, b->rcv_count, 8);
	ee_tc_free(tc, a);
}

static void test_karn(struct ee_tc *tc)
{
	struct ee_gbn_cfg c;
	struct ee_gbn *a, *b;
	struct ee_gbn_rx_info ri;
	struct ee_hdr h, ack;

	cfg_test(&c);
	a = pair(tc, &c);
	if (!a)
		return;
	b = a + 1;
	tlp_hdr(&h, 12);
	ee_gbn_tx_new(a, 0, &h);
	EE_TC_EQ(tc, ee_gbn_timer(a, c.rto_init_ns), EE_GBN_EV_RESEND);
	EE_TC_CHECK(tc, ee_gbn_tx_rtx(a, c.rto_init_ns, &h));
	h.flags &= (u16)~EXPETHER_F_TS;
	rx(b, c.rto_init_ns + 10 * US, &h, &ri);
	ee_gbn_tx_ack(b, c.rto_init_ns + 10 * US, &ack);
	ack.flags &= (u16)~(EXPETHER_F_TS | EXPETHER_F_TSECR);
	rx(a, c.rto_init_ns + 20 * US, &ack, &ri);
	EE_TC_CHECK(tc, ri.events & EE_GBN_EV_ACKED);
	EE_TC_CHECK(tc, !(ri.events & EE_GBN_EV_RTT));
	/* The backed-off RTO stays until a valid sample (Karn). */
	EE_TC_EQ(tc, a->rto_ns, 2 * c.rto_init_ns);
	/* With timestamps the retransmission is timed unambiguously. */
	tlp_hdr(&h, 12);
	ee_gbn_tx_new(a, 100 * MS, &h);
	ee_gbn_timer(a, 100 * MS + a->rto_ns);
	ee_gbn_tx_rtx(a, 100 * MS + a->rto_ns, &h);
	rx(b, 100 * MS + a->rto_ns + 10 * US, &h, &ri);
	ee_gbn_tx_ack(b, 100 * MS + a->rto_ns + 10 * US, &ack);
	rx(a, 100 * MS + a->rto_ns + 30 * US, &ack, &ri);
	EE_TC_CHECK(tc, ri.events & EE_GBN_EV_RTT);
	EE_TC_EQ(tc, ri.rtt_ns, 30 * US);
	ee_tc_free(tc, a);
}

static void fast_rtx(struct ee_tc *tc, bool ts)
{
	struct ee_gbn_cfg c;
	struct ee_gbn *a, *b;
	struct ee_gbn_rx_info ri;
	struct ee_hdr h[10], ack;
	u32 i, seq;

	cfg_test(&c);
	c.dupthresh = 3;
	a = pair(tc, &c);
	if (!a)
		return;
	b = a + 1;
	for (i = 0; i < 10; i++) {
		tlp_hdr(&h[i], 12);
		ee_gbn_tx_new(a, i * US, &h[i]);
		if (!ts)
			h[i].flags &= (u16)~EXPETHER_F_TS;
	}
	rx(b, 20 * US, &h[0], &ri);
	/* h[1] lost: each later frame is out of order and re-acked at
	 * once; with timestamps the ack echoes it, newer than h[1].
	 */
	for (i = 2; i < 10; i++) {
		EE_TC_EQ(tc, rx(b, 20 * US, &h[i], &ri), EE_GBN_OOO);
		EE_TC_CHECK(tc, ri.events & EE_GBN_EV_ACK_NOW);
		ee_gbn_tx_ack(b, 20 * US, &ack);
		EE_TC_EQ(tc, ack.ack, a->snd_isn + 1);
		if (ts)
			EE_TC_EQ(tc, ack.tsecr, i);
		else
			ack.flags &= (u16)~(EXPETHER_F_TS | EXPETHER_F_TSECR);
		rx(a, 30 * US, &ack, &ri);
		if (i == 2)
			EE_TC_EQ(tc, ri.acked, 1);
		/* with timestamps the first ack is evidence already; the
		 * acks of frames sent before the go-back are not.
		 */
		EE_TC_EQ(tc, !!(ri.events & EE_GBN_EV_RESEND),
			 i == (ts ? 4u : 5u));
	}
	EE_TC_EQ(tc, a->st.fast_rtx, 1);
	EE_TC_EQ(tc, a->st.rx_dupacks, 3);
	EE_TC_EQ(tc, b->st.rx_ooo, 8);
	EE_TC_CHECK(tc, ee_gbn_rtx_pending(a, &seq));
	EE_TC_EQ(tc, seq, a->snd_isn + 1);
	for (i = 1; i < 10; i++) {
		EE_TC_CHECK(tc, ee_gbn_tx_rtx(a, 40 * US, &h[i]));
		EE_TC_EQ(tc, rx(b, 50 * US, &h[i], &ri), EE_GBN_DELIVER);
	}
	EE_TC_EQ(tc, b->st.rx_frames, 10);
	ee_gbn_tx_ack(b, 50 * US, &ack);
	rx(a, 60 * US, &ack, &ri);
	EE_TC_EQ(tc, ri.acked, 9);
	EE_TC_EQ(tc, ee_gbn_in_flight(a), 0);
	ee_tc_free(tc, a);
}

static void test_gap_evidence(struct ee_tc *tc)
{
	fast_rtx(tc, true);
}

/* Frames sent in the same microsecond carry the same tsval.  An echo of
 * that microsecond is evidence of a gap at snd_una only if it cannot be
 * the in-order echo of a frame before snd_una: the peer's data frames
 * repeat their ack and its in-order echo, each of them, and are not; a
 * pure ACK that does not move snd_una is sent for an out-of-order frame
 * (or a duplicate), and is.
 */
static void test_gap_same_us(struct ee_tc *tc)
{
	struct ee_gbn_cfg c;
	struct ee_gbn *a, *b;
	struct ee_gbn_rx_info ri;
	struct ee_hdr h[6], d, ack;
	u32 i, isn;

	cfg_test(&c);
	c.dupthresh = 3;
	a = pair(tc, &c);
	if (!a)
		return;
	b = a + 1;
	isn = a->snd_isn;
	/* six frames in one microsecond */
	for (i = 0; i < 6; i++) {
		tlp_hdr(&h[i], 12);
		EE_TC_EQ(tc, ee_gbn_tx_new(a, 10 * US, &h[i]), 0);
		EE_TC_EQ(tc, h[i].tsval, 10);
	}
	/* b delivers two; its data frames ack them, echoing the first */
	EE_TC_EQ(tc, rx(b, 20 * US, &h[0], &ri), EE_GBN_DELIVER);
	EE_TC_EQ(tc, rx(b, 20 * US, &h[1], &ri), EE_GBN_DELIVER);
	for (i = 0; i < 4; i++) {
		tlp_hdr(&d, 12);
		EE_TC_EQ(tc, ee_gbn_tx_new(b, (21 + i) * US, &d), 0);
		EE_TC_EQ(tc, d.ack, isn + 2);
		EE_TC_CHECK(tc, d.flags & EXPETHER_F_TSECR);
		EE_TC_EQ(tc, d.tsecr, 10);
		EE_TC_EQ(tc, rx(a, 30 * US, &d, &ri), EE_GBN_DELIVER);
		EE_TC_EQ(tc, ri.acked, i ? 0u : 2u);
		/* not evidence, however many */
		EE_TC_CHECK(tc, !(ri.events & EE_GBN_EV_RESEND));
	}
	EE_TC_EQ(tc, a->snd_una, isn + 2);
	EE_TC_EQ(tc, a->st.rx_dupacks, 0);
	EE_TC_EQ(tc, a->st.fast_rtx, 0);
	/* h[2] lost: b acks each later frame at once, echoing it; the
	 * same microsecond, but a pure ACK: evidence, three go back
	 */
	for (i = 3; i < 6; i++) {
		EE_TC_EQ(tc, rx(b, 40 * US, &h[i], &ri), EE_GBN_OOO);
		ee_gbn_tx_ack(b, 40 * US, &ack);
		EE_TC_EQ(tc, ack.ack, isn + 2);
		EE_TC_EQ(tc, ack.tsecr, 10);
		rx(a, 50 * US, &ack, &ri);
		EE_TC_EQ(tc, !!(ri.events & EE_GBN_EV_RESEND), i == 5);
	}
	EE_TC_EQ(tc, a->st.rx_dupacks, 3);
	EE_TC_EQ(tc, a->st.fast_rtx, 1);
	EE_TC_CHECK(tc, ee_gbn_rtx_pending(a, &i));
	EE_TC_EQ(tc, i, isn + 2);
	ee_tc_free(tc, a);
}

static void test_dupacks(struct ee_tc *tc)
{
	fast_rtx(tc, false);
}

static void test_probe(struct ee_tc *tc)
{
	struct ee_gbn_cfg c;
	struct ee_gbn *a, *b;
	struct ee_gbn_rx_info ri;
	struct ee_hdr p, e;

	cfg_test(&c);
	a = pair(tc, &c);
	if (!a)
		return;
	b = a + 1;
	ee_gbn_tx_probe(a, 1000 * US, &p);
	EE_TC_EQ(tc, p.type, EXPETHER_FT_ACK);
	EE_TC_CHECK(tc, p.flags & EXPETHER_F_PROBE);
	EE_TC_CHECK(tc, !(p.flags & EXPETHER_F_TSECR));
	EE_TC_EQ(tc, a->st.tx_probes, 1);
	EE_TC_EQ(tc, rx(b, 1100 * US, &p, &ri), EE_GBN_ACKONLY);
	EE_TC_CHECK(tc, ri.events & EE_GBN_EV_ACK_NOW);
	EE_TC_EQ(tc, b->st.rx_probes, 1);
	EE_TC_EQ(tc, ee_gbn_deadline(b), 1100 * US);
	/* Not a duplicate ack, even with data in flight. */
	ee_gbn_tx_ack(b, 1150 * US, &e);
	EE_TC_CHECK(tc, e.flags & EXPETHER_F_PROBE);
	EE_TC_CHECK(tc, e.flags & EXPETHER_F_TSECR);
	EE_TC_EQ(tc, e.tsecr, 1000);
	EE_TC_CHECK(tc, !ee_gbn_ack_owed(b));
	EE_TC_EQ(tc, rx(a, 1237 * US, &e, &ri), EE_GBN_ACKONLY);
	EE_TC_CHECK(tc, ri.events & EE_GBN_EV_RTT);
	EE_TC_EQ(tc, ri.rtt_ns, 237 * US);
	EE_TC_EQ(tc, a->st.rx_probe_echoes, 1);
	EE_TC_CHECK(tc, !ee_gbn_ack_owed(a));
	/* A probe echo owed survives a data frame (it needs an ACK). */
	ee_gbn_tx_probe(a, 2000 * US, &p);
	rx(b, 2100 * US, &p, &ri);
	tlp_hdr(&e, 12);
	ee_gbn_tx_new(b, 2100 * US, &e);
	EE_TC_CHECK(tc, ee_gbn_ack_due(b, 2100 * US));
	ee_gbn_tx_ack(b, 2100 * US, &e);
	EE_TC_EQ(tc, e.tsecr, 2000);
	EE_TC_CHECK(tc, !ee_gbn_ack_owed(b));
	ee_tc_free(tc, a);
}

static void test_stale(struct ee_tc *tc)
{
	struct ee_gbn_cfg c;
	struct ee_gbn *a, *b;
	struct ee_gbn_rx_info ri;
	struct ee_hdr h, old, ack;

	cfg_test(&c);
	a = pair(tc, &c);
	if (!a)
		return;
	b = a + 1;
	tlp_hdr(&h, 12);
	ee_gbn_tx_new(a, 0, &h);
	rx(b, 1 * MS, &h, &ri);
	tlp_hdr(&old, 12);
	ee_gbn_tx_new(b, 2 * MS, &old);	/* echoes a's 0 us */
	EE_TC_CHECK(tc, old.flags & EXPETHER_F_TSECR);

	/* a opens generation 1 at 5 ms: b's old frame echoes a's clock
	 * from before, so it is stale; without timestamps its seq is
	 * from another space: stale as well.
	 */
	ee_gbn_restart(a, 5 * MS);
	EE_TC_EQ(tc, a->gen, 1);
	EE_TC_EQ(tc, a->snd_isn, ee_gbn_isn(0xaaaa, 0xbbbb, 1));
	EE_TC_EQ(tc, rx(a, 6 * MS, &old, &ri), EE_GBN_STALE);
	old.flags &= (u16)~(EXPETHER_F_TS | EXPETHER_F_TSECR);
	EE_TC_EQ(tc, rx(a, 6 * MS, &old, &ri), EE_GBN_STALE);
	EE_TC_EQ(tc, a->st.rx_stale, 2);
	EE_TC_EQ(tc, a->st.rx_frames, 0);

	/* b follows a's generation-1 SYN, both directions. */
	tlp_hdr(&h, 12);
	ee_gbn_tx_new(a, 7 * MS, &h);
	EE_TC_CHECK(tc, h.flags & EXPETHER_F_SYN);
	EE_TC_EQ(tc, rx(b, 8 * MS, &h, &ri), EE_GBN_DELIVER);
	EE_TC_CHECK(tc, ri.events & EE_GBN_EV_RESTART);
	EE_TC_EQ(tc, b->gen, 1);
	EE_TC_EQ(tc, b->st.peer_restarts, 1);
	EE_TC_EQ(tc, b->snd_isn, a->rcv_isn);
	EE_TC_EQ(tc, ee_gbn_in_flight(b), 0);	/* b's old frame: dropped */
	ee_gbn_tx_ack(b, 8 * MS, &ack);
	EE_TC_EQ(tc, rx(a, 9 * MS, &ack, &ri), EE_GBN_ACKONLY);
	EE_TC_EQ(tc, ri.acked, 1);

	/* A SYN of generation 0 is stale for both now. */
	ee_gbn_init(a, &c);
	ee_gbn_reset(a, 0xaaaa, 0xbbbb, 0);
	tlp_hdr(&h, 12);
	ee_gbn_tx_new(a, 10 * MS, &h);
	h.flags &= (u16)~(EXPETHER_F_TS | EXPETHER_F_TSECR);
	EE_TC_EQ(tc, rx(b, 11 * MS, &h, &ri), EE_GBN_STALE);

	/* A generation too far ahead is not believed. */
	ee_gbn_init(a, &c);
	ee_gbn_reset(a, 0xaaaa, 0xbbbb, 0);
	a->gen = 1 + EE_GBN_GEN_AHEAD;
	ee_gbn_restart(a, 12 * MS);
	tlp_hdr(&h, 12);
	ee_gbn_tx_new(a, 12 * MS, &h);
	EE_TC_EQ(tc, rx(b, 13 * MS, &h, &ri), EE_GBN_STALE);
	/* One within reach is. */
	ee_gbn_init(a, &c);
	ee_gbn_reset(a, 0xaaaa, 0xbbbb, 0);
	a->gen = EE_GBN_GEN_AHEAD - 1;
	ee_gbn_restart(a, 14 * MS);
	tlp_hdr(&h, 12);
	ee_gbn_tx_new(a, 14 * MS, &h);
	EE_TC_EQ(tc, rx(b, 15 * MS, &h, &ri), EE_GBN_DELIVER);
	EE_TC_EQ(tc, b->gen, EE_GBN_GEN_AHEAD);

	/* An echo from the future is garbage (beyond 1 ms of slack). */
	tlp_hdr(&h, 12);
	ee_gbn_tx_new(a, 16 * MS, &h);
	h.flags |= EXPETHER_F_TSECR;
	h.tsecr = 99 * 1000;
	EE_TC_EQ(tc, rx(b, 17 * MS, &h, &ri), EE_GBN_STALE);
	h.tsecr = 18 * 1000;
	EE_TC_EQ(tc, rx(b, 17 * MS, &h, &ri), EE_GBN_DELIVER);
	EE_TC_CHECK(tc, !(ri.events & EE_GBN_EV_RTT));
	ee_tc_free(tc, a);
}

static void test_dead_revive(struct ee_tc *tc)
{
	struct ee_gbn_cfg c;
	struct ee_gbn *a, *b;
	struct ee_gbn_rx_info ri;
	struct ee_hdr h, ack;
	u64 t = 0;

	cfg_test(&c);
	c.max_timeouts = 2;
	a = pair(tc, &c);
	if (!a)
		return;
	b = a + 1;
	tlp_hdr(&h, 12);
	ee_gbn_tx_new(b, 0, &h);
	while (!ee_gbn_dead(b)) {
		t = ee_gbn_deadline(b);
		ee_gbn_timer(b, t);
	}
	EE_TC_EQ(tc, ee_gbn_in_flight(b), 0);
	/* Dead: everything of the old generation is ignored. */
	tlp_hdr(&h, 12);
	ee_gbn_tx_new(a, t, &h);
	EE_TC_EQ(tc, rx(b, t + 1, &h, &ri), EE_GBN_IGNORE);
	ee_gbn_tx_ack(a, t, &ack);
	EE_TC_EQ(tc, rx(b, t + 1, &ack, &ri), EE_GBN_IGNORE);
	/* a starts over; dead b follows. */
	ee_gbn_restart(a, t + 2);
	tlp_hdr(&h, 12);
	ee_gbn_tx_new(a, t + 2, &h);
	EE_TC_EQ(tc, rx(b, t + 3, &h, &ri), EE_GBN_DELIVER);
	EE_TC_CHECK(tc, ri.events & EE_GBN_EV_RESTART);
	EE_TC_EQ(tc, b->state, EE_GBN_OPEN);
	tlp_hdr(&h, 12);
	EE_TC_EQ(tc, ee_gbn_tx_new(b, t + 4, &h), 0);
	EE_TC_CHECK(tc, h.flags & EXPETHER_F_SYN);
	EE_TC_EQ(tc, rx(a, t + 5, &h, &ri), EE_GBN_DELIVER);
	EE_TC_EQ(tc, ri.acked, 1);
	ee_tc_free(tc, a);
}

/* Dead b resumes its connection (ee_gbn_revive()): its SYN, never
 * acknowledged, is due again first and alone; a, which never noticed,
 * takes it; nothing else changes.
 */
static void test_dead_resume(struct ee_tc *tc)
{
	struct ee_gbn_cfg c;
	struct ee_gbn *a, *b;
	struct ee_gbn_rx_info ri;
	struct ee_hdr h, h2;
	u32 isn, seq;
	u64 t = 0;

	cfg_test(&c);
	c.max_timeouts = 2;
	a = pair(tc, &c);
	if (!a)
		return;
	b = a + 1;
	EE_TC_CHECK(tc, !ee_gbn_revive(b, 0));		/* not dead */
	isn = b->snd_isn;
	tlp_hdr(&h, 12);
	ee_gbn_tx_new(b, 0, &h);
	tlp_hdr(&h2, 16);
	ee_gbn_tx_new(b, 0, &h2);
	while (!ee_gbn_dead(b)) {
		t = ee_gbn_deadline(b);
		ee_gbn_timer(b, t);
	}
	EE_TC_EQ(tc, ee_gbn_in_flight(b), 0);
	EE_TC_CHECK(tc, ee_gbn_revive(b, t + 1));
	EE_TC_CHECK(tc, !ee_gbn_revive(b, t + 1));
	EE_TC_EQ(tc, b->state, EE_GBN_OPEN);
	EE_TC_EQ(tc, b->gen, 0);
	EE_TC_EQ(tc, b->backoffs, 0);
	EE_TC_EQ(tc, b->st.revives, 1);
	EE_TC_EQ(tc, ee_gbn_in_flight(b), 2);
	EE_TC_CHECK(tc, ee_gbn_rtx_pending(b, &seq));
	EE_TC_EQ(tc, seq, isn);
	EE_TC_CHECK(tc, ee_gbn_deadline(b) <= t + 1 + b->rto_ns);
	tlp_hdr(&h, 12);
	EE_TC_CHECK(tc, ee_gbn_tx_rtx(b, t + 1, &h));
	EE_TC_EQ(tc, h.seq, isn);
	EE_TC_CHECK(tc, h.flags & EXPETHER_F_SYN);
	EE_TC_CHECK(tc, !ee_gbn_rtx_pending(b, &seq));	/* alone */
	EE_TC_EQ(tc, rx(a, t + 2, &h, &ri), EE_GBN_DELIVER);
	EE_TC_EQ(tc, ri.events & EE_GBN_EV_RESTART, 0);
	ee_gbn_tx_ack(a, t + 2, &h);
	EE_TC_EQ(tc, rx(b, t + 3, &h, &ri), EE_GBN_ACKONLY);
	EE_TC_EQ(tc, ri.acked, 1);
	/* the rest of the window follows */
	EE_TC_CHECK(tc, ee_gbn_rtx_pending(b, &seq));
	EE_TC_EQ(tc, seq, isn + 1);
	ee_tc_free(tc, a);
}

/* ---- part two: two endpoints and a channel ---------------------------- */

struct pkt {
	u64 at;
	u64 id;
	int to;
	u16 len;
	u8 b[EXPETHER_HLEN + MAXPAY];
};

struct slot {
	u32 seq;
	u16 len;
	u64 idx;
	u8 pay[MAXPAY];
};

struct ep {
	struct ee_gbn g;
	u32 epoch;
	u64 want;		/* frames to send in this connection */
	u64 tx_next;		/* next stream index */
	u64 acked;		/* acknowledged in this connection */
	u64 rx_next;		/* delivered in this connection */
	u64 acked_total;
	u64 delivered_total;
	u64 conns;		/* connections seen */
	u64 dead_at;
	u64 rtt_samples;
	struct slot ring[RING];
};

struct link {
	u32 loss_data;		/* ppm */
	u32 loss_ack;
	u32 dup;
	u32 reorder;
	u64 delay;
	u64 jitter;
	u64 reorder_extra;
	u64 ser;		/* per frame serialization */
	bool strip_ts;
};

struct sim {
	struct ee_tc *tc;
	u64 rng;		/* the channel's randomness, seeded */
	struct ep ep[2];
	struct link link[2];	/* link[i]: from ep i to ep 1 - i */
	u64 link_free[2];
	struct pkt *heap;	/* frames in flight, by arrival time */
	size_t n, cap;
	u64 ids;
	u64 now;
	bool cut;
	bool capture;
	bool nomem;		/* an allocation failed: give up */
	struct pkt *cap_v;	/* frames captured for a replay */
	size_t ncap, capcap;
	/* what the channel saw */
	u64 sent_tlp[2], sent_ack[2], arrived[2], lost[2], duped[2];
	u64 oracle_fail;
	u64 stuck;
};

/* ---- deterministic randomness ---------------------------------------- */

static void rnd_seed(struct sim *s, u64 seed)
{
	s->rng = seed * 0x9e3779b97f4a7c15ULL + 1;
}

static u64 rnd64(struct sim *s)
{
	s->rng ^= s->rng >> 12;
	s->rng ^= s->rng << 25;
	s->rng ^= s->rng >> 27;
	return s->rng * 0x2545f4914f6cdd1dULL;
}

static u64 rnd_below(struct sim *s, u64 n)
{
	return n ? mod64(rnd64(s) >> 11, n) : 0;
}

static int chance(struct sim *s, u32 ppm)
{
	return ppm && rnd_below(s, 1000000) < ppm;
}

/* ---- the channel ----------------------------------------------------- */

/* Room for one more frame in @v (@n used of *@cap): the array, moved if
 * it had to grow, or NULL (@v is left as it was).
 */
static struct pkt *pkts_room(struct sim *s, struct pkt *v, size_t n,
			     size_t *cap, size_t first)
{
	struct pkt *nv;
	size_t ncap;

	if (n < *cap)
		return v;
	ncap = *cap ? 2 * *cap : first;
	nv = ee_tc_zalloc(s->tc, ncap * sizeof(*nv));
	if (!nv) {
		s->nomem = true;
		return NULL;
	}
	if (n)
		memcpy(nv, v, n * sizeof(*nv));
	ee_tc_free(s->tc, v);
	*cap = ncap;
	return nv;
}

static bool pkt_before(const struct pkt *x, const struct pkt *y)
{
	return x->at < y->at || (x->at == y->at && x->id < y->id);
}

static void heap_push(struct sim *s, const struct pkt *p)
{
	struct pkt *v = pkts_room(s, s->heap, s->n, &s->cap, 1024);
	size_t i;

	if (!v)
		return;
	s->heap = v;
	i = s->n++;
	s->heap[i] = *p;
	s->heap[i].id = s->ids++;
	while (i && pkt_before(&s->heap[i], &s->heap[(i - 1) / 2])) {
		struct pkt t = s->heap[i];

		s->heap[i] = s->heap[(i - 1) / 2];
		s->heap[(i - 1) / 2] = t;
		i = (i - 1) / 2;
	}
}

static void heap_pop(struct sim *s, struct pkt *out)
{
	size_t i = 0;

	*out = s->heap[0];
	s->heap[0] = s->heap[--s->n];
	for (;;) {
		size_t l = 2 * i + 1, r = l + 1, m = i;
		struct pkt t;

		if (l < s->n && pkt_before(&s->heap[l], &s->heap[m]))
			m = l;
		if (r < s->n && pkt_before(&s->heap[r], &s->heap[m]))
			m = r;
		if (m == i)
			break;
		t = s->heap[i];
		s->heap[i] = s->heap[m];
		s->heap[m] = t;
		i = m;
	}
}

static u16 pay_len(u64 idx)
{
	return (u16)(12 + mod64(idx, MAXPAY - 11));
}

static u8 pay_byte(u32 tag, u64 idx, unsigned int k)
{
	return (u8)(idx * 131 + k * 7 + tag);
}

static void pay_fill(u8 *p, u32 tag, u64 idx, u16 len)
{
	unsigned int k;

	ee_put_be32(p, tag);
	ee_put_be64(p + 4, idx);
	for (k = 12; k < len; k++)
		p[k] = pay_byte(tag, idx, k);
}

/* The payload is what the peer sent next in this connection: the
 * connection's tag (the sender's ISN), the next index, its pattern.
 */
static bool pay_ok(const struct ep *e, const u8 *p, u16 len)
{
	u64 idx = e->rx_next;
	unsigned int k;

	if (len != pay_len(idx) || ee_get_be32(p) != e->g.rcv_isn ||
	    ee_get_be64(p + 4) != idx)
		return false;
	for (k = 12; k < len; k++)
		if (p[k] != pay_byte(e->g.rcv_isn, idx, k))
			return false;
	return true;
}

static void ep_newconn(struct ep *e)
{
	e->tx_next = 0;
	e->acked = 0;
	e->rx_next = 0;
	e->conns++;
}

/* Endpoints a (ep[0], epoch @ea) and b (ep[1], epoch @eb), both open at
 * time 0, each with @want frames to send; the channel's randomness is
 * seeded with @seed.
 */
static void sim_init(struct sim *s, struct ee_tc *tc, u64 seed,
		     const struct ee_gbn_cfg *c, u32 ea, u32 eb, u64 want)
{
	int i;

	memset(s, 0, sizeof(*s));
	s->tc = tc;
	rnd_seed(s, seed);
	s->ep[0].epoch = ea;
	s->ep[1].epoch = eb;
	for (i = 0; i < 2; i++) {
		ee_gbn_init(&s->ep[i].g, c);
		ee_gbn_reset(&s->ep[i].g, s->ep[i].epoch, s->ep[1 - i].epoch,
			     0);
		s->ep[i].want = want;
		s->ep[i].dead_at = EE_GBN_NEVER;
		ep_newconn(&s->ep[i]);
		s->link[i].delay = 20 * US;
		s->link[i].ser = 1 * US;
	}
}

/* A simulation, allocated (about 100 KB), or NULL. */
static struct sim *sim_new(struct ee_tc *tc, u64 seed,
			   const struct ee_gbn_cfg *c, u32 ea, u32 eb,
			   u64 want)
{
	struct sim *s = ee_tc_zalloc(tc, sizeof(*s));

	if (s)
		sim_init(s, tc, seed, c, ea, eb, want);
	return s;
}

static void sim_free(struct sim *s)
{
	struct ee_tc *tc = s->tc;

	ee_tc_free(tc, s->heap);
	ee_tc_free(tc, s->cap_v);
	ee_tc_free(tc, s);
}

static void chan_push(struct sim *s, int to, const struct pkt *p, u64 at)
{
	struct pkt q = *p;

	q.at = at;
	q.to = to;
	heap_push(s, &q);
}

static void chan_send(struct sim *s, int from, struct ee_hdr *h,
		      const u8 *pay)
{
	const struct link *l = &s->link[from];
	struct pkt p;
	u64 depart, delay;
	bool is_ack = h->type == EXPETHER_FT_ACK;

	if (is_ack)
		s->sent_ack[from]++;
	else
		s->sent_tlp[from]++;
	if (l->strip_ts) {
		h->flags &= (u16)~(EXPETHER_F_TS | EXPETHER_F_TSECR);
		h->tsval = 0;
		h->tsecr = 0;
	}
	memset(&p, 0, sizeof(p));
	ee_hdr_put(p.b, h);
	if (h->length)
		memcpy(p.b + EXPETHER_HLEN, pay, h->length);
	p.len = (u16)(EXPETHER_HLEN + h->length);
	p.to = 1 - from;
	if (s->capture) {
		struct pkt *v = pkts_room(s, s->cap_v, s->ncap, &s->capcap,
					  256);

		if (v) {
			s->cap_v = v;
			s->cap_v[s->ncap++] = p;
		}
	}
	depart = s->now > s->link_free[from] ? s->now : s->link_free[from];
	depart += l->ser;
	s->link_free[from] = depart;
	if (s->cut || chance(s, is_ack ? l->loss_ack : l->loss_data)) {
		s->lost[from]++;
		return;
	}
	delay = l->delay + rnd_below(s, l->jitter + 1);
	if (chance(s, l->reorder))
		delay += l->reorder_extra;
	chan_push(s, 1 - from, &p, depart + delay);
	if (chance(s, l->dup)) {
		s->duped[from]++;
		chan_push(s, 1 - from, &p,
			  depart + delay + rnd_below(s, l->jitter + l->ser + 1));
	}
}

static void ep_pump(struct sim *s, int i)
{
	struct ep *e = &s->ep[i];
	struct ee_hdr h;
	struct slot *sl;
	u32 seq;

	while (ee_gbn_rtx_pending(&e->g, &seq)) {
		sl = &e->ring[seq % RING];
		if (sl->seq != seq) {
			s->oracle_fail++;
			return;
		}
		memset(&h, 0, sizeof(h));
		h.type = EXPETHER_FT_TLP;
		h.length = sl->len;
		if (!ee_gbn_tx_rtx(&e->g, s->now, &h) || h.seq != seq) {
			s->oracle_fail++;
			return;
		}
		chan_send(s, i, &h, sl->pay);
	}
	while (e->tx_next < e->want && ee_gbn_can_send(&e->g)) {
		memset(&h, 0, sizeof(h));
		h.type = EXPETHER_FT_TLP;
		h.length = pay_len(e->tx_next);
		if (ee_gbn_tx_new(&e->g, s->now, &h)) {
			s->oracle_fail++;
			return;
		}
		sl = &e->ring[h.seq % RING];
		sl->seq = h.seq;
		sl->len = h.length;
		sl->idx = e->tx_next;
		pay_fill(sl->pay, e->g.snd_isn, e->tx_next, h.length);
		e->tx_next++;
		chan_send(s, i, &h, sl->pay);
	}
	if (ee_gbn_ack_due(&e->g, s->now)) {
		memset(&h, 0, sizeof(h));
		ee_gbn_tx_ack(&e->g, s->now, &h);
		chan_send(s, i, &h, NULL);
	}
}

static void ep_rx(struct sim *s, const struct pkt *p)
{
	struct ep *e = &s->ep[p->to];
	struct ee_gbn_rx_info ri;
	struct ee_hdr h;
	const u8 *pay;
	char line[96];
	u32 k;
	int v;

	s->arrived[p->to]++;
	if (ee_hdr_parse(p->b, p->len, &h, &pay)) {
		s->oracle_fail++;
		return;
	}
	v = ee_gbn_rx(&e->g, s->now, &h, &ri);
	if (ri.events & EE_GBN_EV_RESTART)
		ep_newconn(e);
	if (ri.events & EE_GBN_EV_ACKED) {
		for (k = 0; k < ri.acked; k++) {
			u32 seq = ri.una - ri.acked + k;

			if (e->ring[seq % RING].seq != seq ||
			    e->ring[seq % RING].idx != e->acked)
				s->oracle_fail++;
			e->acked++;
			e->acked_total++;
		}
	}
	if (ri.events & EE_GBN_EV_RTT)
		e->rtt_samples++;
	if (v == EE_GBN_DELIVER) {
		if (!pay_ok(e, pay, h.length)) {
			if (s->oracle_fail < 5) {
				snprintf(line, sizeof(line),
					 "bad delivery at %llu ns: idx %llu",
					 (unsigned long long)s->now,
					 (unsigned long long)e->rx_next);
				ee_tc_note(s->tc, line);
			}
			s->oracle_fail++;
		}
		e->rx_next++;
		e->delivered_total++;
	}
}

static u64 sim_next(const struct sim *s)
{
	u64 t = s->n ? s->heap[0].at : EE_GBN_NEVER;
	int i;

	for (i = 0; i < 2; i++) {
		u64 d = ee_gbn_deadline(&s->ep[i].g);

		if (d < t)
			t = d;
	}
	return t;
}

/* Cut the channel: what is in flight is lost too. */
static void sim_cut(struct sim *s)
{
	struct pkt p;

	s->cut = true;
	while (s->n)
		heap_pop(s, &p);
}

/* One instant: arrivals, timers, transmissions. */
static void sim_step(struct sim *s)
{
	struct pkt p;
	int i;

	while (s->n && s->heap[0].at <= s->now) {
		heap_pop(s, &p);
		ep_rx(s, &p);
	}
	for (i = 0; i < 2; i++) {
		u32 ev;

		if (ee_gbn_deadline(&s->ep[i].g) > s->now)
			continue;
		ev = ee_gbn_timer(&s->ep[i].g, s->now);
		if (ev & EE_GBN_EV_DEAD)
			s->ep[i].dead_at = s->now;
	}
	for (i = 0; i < 2; i++)
		ep_pump(s, i);
}

static bool sim_done(const struct sim *s)
{
	int i;

	for (i = 0; i < 2; i++) {
		const struct ep *e = &s->ep[i];

		if (e->tx_next < e->want || e->acked < e->want ||
		    s->ep[1 - i].rx_next < e->want)
			return false;
	}
	return true;
}

/* Run until @limit, or until every stream is delivered and acked when
 * @until_done.  Returns false if time stood still (a livelock) or memory
 * ran out.
 */
static bool sim_run(struct sim *s, u64 limit, bool until_done)
{
	u64 last = s->now, same = 0;

	sim_step(s);		/* act on what the caller just changed */
	for (;;) {
		u64 t;

		if (s->nomem)
			return false;
		if (until_done && sim_done(s))
			return true;
		t = sim_next(s);
		if (t > limit) {
			if (limit != EE_GBN_NEVER)
				s->now = limit;
			return true;
		}
		if (t > s->now)
			s->now = t;
		if (s->now == last) {
			if (++same > 100000) {
				s->stuck++;
				return false;
			}
		} else {
			last = s->now;
			same = 0;
		}
		sim_step(s);
	}
}

/* The counters agree with the channel and with the oracle. */
static void check_counters(const struct sim *s)
{
	struct ee_tc *tc = s->tc;
	int i;

	for (i = 0; i < 2; i++) {
		const struct ee_gbn_stats *st = &s->ep[i].g.st;

		EE_TC_EQ(tc, s->sent_tlp[i], st->tx_frames + st->rtx_frames);
		EE_TC_EQ(tc, s->sent_ack[i], st->tx_acks + st->tx_probes);
		EE_TC_EQ(tc, s->arrived[i],
			 st->rx_frames + st->rx_dup + st->rx_ooo +
			 st->rx_stale + st->rx_ignored + st->rx_unseq +
			 st->rx_acks);
		EE_TC_EQ(tc, st->rx_frames, s->ep[i].delivered_total);
		EE_TC_EQ(tc, st->tx_frames, st->tx_frames);
		EE_TC_CHECK(tc, ee_gbn_in_flight(&s->ep[i].g) <=
			    s->ep[i].g.cfg.window);
	}
}

static void check_complete(struct sim *s, const char *what)
{
	struct ee_tc *tc = s->tc;
	int i;

	ee_tc_ctx(tc, what);
	EE_TC_EQ(tc, s->stuck, 0);
	EE_TC_EQ(tc, s->oracle_fail, 0);
	EE_TC_CHECK(tc, sim_done(s));
	for (i = 0; i < 2; i++) {
		EE_TC_EQ(tc, s->ep[i].rx_next, s->ep[1 - i].want);
		EE_TC_EQ(tc, s->ep[i].acked, s->ep[i].want);
		EE_TC_EQ(tc, ee_gbn_in_flight(&s->ep[i].g), 0);
		EE_TC_EQ(tc, s->ep[i].g.st.deaths, 0);
	}
	check_counters(s);
}

static void print_stats(const char *name, const struct sim *s, int i)
{
	const struct ee_gbn_stats *st = &s->ep[i].g.st;
	char line[256];

	snprintf(line, sizeof(line),
		 "%s %c: tx %llu rtx %llu acks %llu | rx %llu dup %llu ooo %llu stale %llu | to %llu fast %llu | srtt %llu us, sim %llu ms",
		 name, 'A' + i, (unsigned long long)st->tx_frames,
		 (unsigned long long)st->rtx_frames,
		 (unsigned long long)st->tx_acks,
		 (unsigned long long)st->rx_frames,
		 (unsigned long long)st->rx_dup,
		 (unsigned long long)st->rx_ooo,
		 (unsigned long long)st->rx_stale,
		 (unsigned long long)st->timeouts,
		 (unsigned long long)st->fast_rtx,
		 (unsigned long long)ee_div64(s->ep[i].g.srtt_ns, US),
		 (unsigned long long)ee_div64(s->now, MS));
	ee_tc_note(s->tc, line);
}

struct scen {
	u64 seed;
	u64 want[2];		/* frames each way */
	struct link link[2];	/* zero fields take the defaults */
	u32 window;
};

static void apply_link(struct link *dst, const struct link *src)
{
	u64 delay = dst->delay, ser = dst->ser;

	*dst = *src;
	if (!dst->delay)
		dst->delay = delay;
	if (!dst->ser)
		dst->ser = ser;
}

static struct sim *run_scen(struct ee_tc *tc, const struct scen *sc)
{
	struct ee_gbn_cfg c;
	struct sim *s;
	int i;

	ee_gbn_cfg_default(&c);
	if (sc->window)
		c.window = sc->window;
	s = sim_new(tc, sc->seed, &c, 0x1000 + (u32)sc->seed,
		    0x2000 + (u32)sc->seed, 0);
	if (!s)
		return NULL;
	for (i = 0; i < 2; i++) {
		s->ep[i].want = sc->want[i];
		apply_link(&s->link[i], &sc->link[i]);
	}
	sim_run(s, 3600000 * MS, true);
	return s;
}

/* Run @sc to completion, check the oracle and counters, then @extra. */
static void scenario(struct ee_tc *tc, const struct scen *sc,
		     void (*extra)(struct sim *))
{
	struct sim *s = run_scen(tc, sc);

	if (!s)
		return;
	check_complete(s, tc->name);
	if (extra)
		extra(s);
	print_stats(tc->name, s, 0);
	print_stats(tc->name, s, 1);
	sim_free(s);
}

static void x_clean(struct sim *s)
{
	struct ee_tc *tc = s->tc;
	int i;

	for (i = 0; i < 2; i++) {
		EE_TC_EQ(tc, s->ep[i].g.st.rtx_frames, 0);
		EE_TC_EQ(tc, s->ep[i].g.st.timeouts, 0);
		EE_TC_EQ(tc, s->ep[i].g.st.rx_dup + s->ep[i].g.st.rx_ooo, 0);
		EE_TC_CHECK(tc, s->ep[i].rtt_samples > 0);
		EE_TC_EQ(tc, s->ep[i].g.st.rx_stale, 0);
	}
	/* 20 us each way, 1 us per frame: RTT about 40 us. */
	EE_TC_CHECK(tc, s->ep[0].g.st.rtt_min_ns >= 40 * US);
	EE_TC_CHECK(tc, s->ep[0].g.st.rtt_min_ns <= 80 * US);
}

static void x_loss_data(struct sim *s)
{
	struct ee_tc *tc = s->tc;

	EE_TC_CHECK(tc, s->lost[0] > 0);
	EE_TC_CHECK(tc, s->ep[0].g.st.rtx_frames >= s->lost[0]);
	EE_TC_CHECK(tc, s->ep[0].g.st.fast_rtx + s->ep[0].g.st.timeouts > 0);
	EE_TC_CHECK(tc, s->ep[1].g.st.rx_ooo > 0);
	EE_TC_EQ(tc, s->ep[1].g.st.rx_stale, 0);
}

static void x_loss_ack(struct sim *s)
{
	struct ee_tc *tc = s->tc;

	EE_TC_CHECK(tc, s->lost[1] > 0);
	EE_TC_EQ(tc, s->lost[0], 0);
	EE_TC_EQ(tc, s->sent_tlp[1], 0);
	EE_TC_EQ(tc, s->ep[1].g.st.rx_stale, 0);
}

static void x_reorder(struct sim *s)
{
	struct ee_tc *tc = s->tc;

	EE_TC_CHECK(tc, s->ep[1].g.st.rx_ooo > 0);
	EE_TC_CHECK(tc, s->ep[0].g.st.rtx_frames > 0);
	EE_TC_EQ(tc, s->lost[0] + s->lost[1], 0);
	EE_TC_EQ(tc, s->ep[1].g.st.rx_stale, 0);
}

static void x_dup(struct sim *s)
{
	struct ee_tc *tc = s->tc;

	EE_TC_CHECK(tc, s->duped[0] > 0);
	EE_TC_CHECK(tc, s->ep[1].g.st.rx_dup >= 1);
	EE_TC_EQ(tc, s->ep[0].g.st.rx_stale + s->ep[1].g.st.rx_stale, 0);
}

static void x_mixed(struct sim *s)
{
	struct ee_tc *tc = s->tc;
	int i;

	for (i = 0; i < 2; i++) {
		EE_TC_CHECK(tc, s->lost[i] > 0);
		EE_TC_CHECK(tc, s->duped[i] > 0);
		EE_TC_CHECK(tc, s->ep[i].g.st.rtx_frames > 0);
		EE_TC_CHECK(tc, s->ep[i].g.st.rx_dup > 0);
		EE_TC_CHECK(tc, s->ep[i].g.st.rx_ooo > 0);
		EE_TC_EQ(tc, s->ep[i].g.st.rx_stale, 0);
	}
}

static void x_no_ts(struct sim *s)
{
	int i;

	for (i = 0; i < 2; i++)
		EE_TC_CHECK(s->tc, s->ep[i].rtt_samples > 0);
	x_mixed(s);
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
		.seed = 2, .want = { 20000, 0 },
		.link = { { .loss_data = 100000 }, { 0 } },
	};

	scenario(tc, &sc, x_loss_data);
}

static void test_loss_ack(struct ee_tc *tc)
{
	static const struct scen sc = {
		.seed = 3, .want = { 20000, 0 },
		.link = { { 0 }, { .loss_ack = 300000 } },
	};

	scenario(tc, &sc, x_loss_ack);
}

static void test_reorder(struct ee_tc *tc)
{
	static const struct scen sc = {
		.seed = 4, .want = { 20000, 0 },
		.link = { { .reorder = 250000, .reorder_extra = 15 * US,
			    .jitter = 3 * US }, { 0 } },
	};

	scenario(tc, &sc, x_reorder);
}

static void test_dup(struct ee_tc *tc)
{
	static const struct scen sc = {
		.seed = 5, .want = { 20000, 20000 },
		.link = { { .dup = 200000, .jitter = 2 * US },
			  { .dup = 200000, .jitter = 2 * US } },
	};

	scenario(tc, &sc, x_dup);
}

static void test_mixed1(struct ee_tc *tc)
{
	static const struct scen sc = {
		.seed = 6, .want = { 100000, 100000 },
		.link = {
			{ .loss_data = 10000, .loss_ack = 10000,
			  .reorder = 250000, .reorder_extra = 30 * US,
			  .dup = 50000, .jitter = 5 * US },
			{ .loss_data = 10000, .loss_ack = 10000,
			  .reorder = 250000, .reorder_extra = 30 * US,
			  .dup = 50000, .jitter = 5 * US },
		},
	};

	scenario(tc, &sc, x_mixed);
}

static void test_mixed10(struct ee_tc *tc)
{
	static const struct scen sc = {
		.seed = 7, .want = { 100000, 100000 },
		.link = {
			{ .loss_data = 100000, .loss_ack = 100000,
			  .reorder = 250000, .reorder_extra = 30 * US,
			  .dup = 50000, .jitter = 5 * US },
			{ .loss_data = 100000, .loss_ack = 100000,
			  .reorder = 250000, .reorder_extra = 30 * US,
			  .dup = 50000, .jitter = 5 * US },
		},
	};

	scenario(tc, &sc, x_mixed);
}

static void test_no_ts(struct ee_tc *tc)
{
	static const struct scen sc = {
		.seed = 8, .want = { 20000, 20000 },
		.link = {
			{ .loss_data = 50000, .loss_ack = 50000,
			  .reorder = 100000, .reorder_extra = 30 * US,
			  .dup = 50000, .strip_ts = true },
			{ .loss_data = 50000, .loss_ack = 50000,
			  .reorder = 100000, .reorder_extra = 30 * US,
			  .dup = 50000, .strip_ts = true },
		},
	};

	scenario(tc, &sc, x_no_ts);
}

/* Sequence numbers start just below 2^32 in both directions. */
static void test_wrap(struct ee_tc *tc)
{
	struct ee_gbn_cfg c;
	struct sim *s;
	u32 ea = 0, eb;
	int i;

	/* a's ISN is 2^32 - 16; search b's epoch so that b's is near too */
	for (eb = 1; eb < 50000000; eb++) {
		ea = epoch_for_isn(0xfffffff0u, eb, 0);
		if (ee_gbn_isn(eb, ea, 0) >= 0xffffe000u)
			break;
	}
	EE_TC_EQ(tc, ee_gbn_isn(ea, eb, 0), 0xfffffff0u);
	EE_TC_CHECK(tc, ee_gbn_isn(eb, ea, 0) >= 0xffffe000u);
	ee_gbn_cfg_default(&c);
	s = sim_new(tc, 9, &c, ea, eb, 30000);
	if (!s)
		return;
	for (i = 0; i < 2; i++) {
		s->link[i].loss_data = 20000;
		s->link[i].loss_ack = 20000;
		s->link[i].reorder = 50000;
		s->link[i].reorder_extra = 20 * US;
		s->link[i].dup = 20000;
	}
	sim_run(s, 3600000 * MS, true);
	check_complete(s, "wrap");
	for (i = 0; i < 2; i++) {
		/* wrapped: the next seq is numerically below the ISN */
		EE_TC_CHECK(tc, s->ep[i].g.snd_nxt < s->ep[i].g.snd_isn);
		EE_TC_CHECK(tc, s->ep[i].g.rcv_nxt < s->ep[i].g.rcv_isn);
		EE_TC_CHECK(tc, s->ep[i].g.st.rtx_frames > 0);
	}
	print_stats("wrap", s, 0);
	print_stats("wrap", s, 1);
	sim_free(s);
}

/* Inject every frame captured before the restart, to where it was going,
 * spread over @span; half of them without timestamps, so that only the
 * sequence numbers can tell they are stale.
 */
static void replay(struct sim *s, u64 span)
{
	size_t k;

	for (k = 0; k < s->ncap; k++) {
		struct pkt p = s->cap_v[k];

		if (k & 1) {
			struct ee_hdr h;
			const u8 *pay;

			if (ee_hdr_parse(p.b, p.len, &h, &pay)) {
				s->oracle_fail++;
				continue;
			}
			h.flags &= (u16)~(EXPETHER_F_TS | EXPETHER_F_TSECR);
			h.tsval = 0;
			h.tsecr = 0;
			ee_hdr_put(p.b, &h);
		}
		chan_push(s, p.to, &p, s->now + rnd_below(s, span));
	}
}

static void restart(struct ee_tc *tc, bool strip_ts)
{
	struct ee_gbn_cfg c;
	struct sim *s;
	struct ep *b;
	u64 stale0, stale1, t;
	int i;

	ee_gbn_cfg_default(&c);
	s = sim_new(tc, strip_ts ? 11 : 10, &c, 0xa1, 0xb1, 1000000);
	if (!s)
		return;
	b = &s->ep[1];
	for (i = 0; i < 2; i++) {
		s->link[i].loss_data = 10000;
		s->link[i].reorder = 20000;
		s->link[i].reorder_extra = 30 * US;
		s->link[i].dup = 20000;
		s->link[i].strip_ts = strip_ts;
	}
	/* traffic both ways; capture the last 2 ms before b restarts */
	sim_run(s, 18 * MS, false);
	s->capture = true;
	sim_run(s, 20 * MS, false);
	s->capture = false;
	EE_TC_CHECK(tc, s->ep[0].rx_next > 1000);
	EE_TC_CHECK(tc, b->rx_next > 1000);
	EE_TC_CHECK(tc, s->ncap > 100);

	/* b restarts with a new epoch; frames of both old ends are still
	 * in flight.  a hears of it from b's DIF 5 ms later.
	 */
	b->epoch = 0xb2;
	ee_gbn_init(&b->g, &c);
	ee_gbn_reset(&b->g, b->epoch, s->ep[0].epoch, s->now);
	ep_newconn(b);
	/* a new process: its counters start again */
	s->sent_tlp[1] = 0;
	s->sent_ack[1] = 0;
	s->arrived[1] = 0;
	b->delivered_total = 0;
	b->acked_total = 0;
	b->want = 20000;
	sim_run(s, 25 * MS, false);
	EE_TC_EQ(tc, b->rx_next, 0);	/* nothing of a's old connection */
	EE_TC_CHECK(tc, b->g.st.rx_stale > 0);
	ee_gbn_reset(&s->ep[0].g, s->ep[0].epoch, b->epoch, s->now);
	ep_newconn(&s->ep[0]);
	s->ep[0].want = 20000;
	/* and the old frames come back once more, after the resets */
	stale0 = s->ep[0].g.st.rx_stale;
	stale1 = b->g.st.rx_stale;
	replay(s, 3 * MS);
	sim_run(s, 3600000 * MS, true);
	check_complete(s, "restart");
	EE_TC_CHECK(tc, s->ep[0].g.st.rx_stale - stale0 +
		    b->g.st.rx_stale - stale1 >= s->ncap / 2);
	EE_TC_EQ(tc, s->ep[0].conns, 2);
	EE_TC_EQ(tc, b->conns, 2);
	t = s->now;
	EE_TC_CHECK(tc, t > 25 * MS);
	print_stats("restart", s, 0);
	print_stats("restart", s, 1);
	sim_free(s);
}

static void test_restart(struct ee_tc *tc)
{
	restart(tc, false);
}

static void test_restart_no_ts(struct ee_tc *tc)
{
	restart(tc, true);
}

/* The channel is cut: both ends are declared dead within the bound;
 * then it heals, a restarts the connection and b follows.
 */
static void test_death(struct ee_tc *tc)
{
	struct ee_gbn_cfg c;
	struct sim *s;
	u64 bound[2], timeouts[2], cut_at;
	char line[64];
	int i;

	ee_gbn_cfg_default(&c);
	s = sim_new(tc, 12, &c, 0xd1, 0xd2, 1000000);
	if (!s)
		return;
	s->link[0].loss_data = 10000;
	s->link[1].loss_data = 10000;
	sim_run(s, 10 * MS, false);
	for (i = 0; i < 2; i++) {
		EE_TC_CHECK(tc, ee_gbn_in_flight(&s->ep[i].g) > 0);
		bound[i] = ee_gbn_dead_bound(&s->ep[i].g);
		/* defaults: at most max_timeouts RTOs of at most 64 ms */
		EE_TC_CHECK(tc, bound[i] <= 8 * 64 * MS);
	}
	for (i = 0; i < 2; i++)
		timeouts[i] = s->ep[i].g.st.timeouts;
	cut_at = s->now;
	sim_cut(s);
	sim_run(s, cut_at + 2000 * MS, false);
	for (i = 0; i < 2; i++) {
		ee_tc_ctx(tc, i ? "B" : "A");
		EE_TC_CHECK(tc, ee_gbn_dead(&s->ep[i].g));
		EE_TC_CHECK(tc, s->ep[i].dead_at > cut_at);
		EE_TC_CHECK(tc, s->ep[i].dead_at - cut_at <= bound[i]);
		EE_TC_EQ(tc, s->ep[i].g.st.timeouts - timeouts[i],
			 c.max_timeouts);
		snprintf(line, sizeof(line),
			 "dead after %llu ms (bound %llu ms)",
			 (unsigned long long)ee_div64(s->ep[i].dead_at -
						      cut_at, MS),
			 (unsigned long long)ee_div64(bound[i], MS));
		ee_tc_note(tc, line);
	}
	ee_tc_ctx(tc, "recovery");
	/* Heal; a starts generation 1, dead b follows a's SYN. */
	s->cut = false;
	ee_gbn_restart(&s->ep[0].g, s->now);
	for (i = 0; i < 2; i++)
		s->ep[i].want = 5000;
	ep_newconn(&s->ep[0]);
	sim_run(s, 3600000 * MS, true);
	EE_TC_EQ(tc, s->stuck, 0);
	EE_TC_EQ(tc, s->oracle_fail, 0);
	EE_TC_CHECK(tc, sim_done(s));
	EE_TC_EQ(tc, s->ep[1].g.st.peer_restarts, 1);
	EE_TC_EQ(tc, s->ep[1].conns, 2);
	EE_TC_EQ(tc, s->ep[0].g.gen, 1);
	EE_TC_EQ(tc, s->ep[1].g.gen, 1);
	check_counters(s);
	sim_free(s);
}

/* Only a sends; b stays open.  a dies, then restarts: b must follow
 * although it never noticed anything.
 */
static void test_one_sided_death(struct ee_tc *tc)
{
	struct ee_gbn_cfg c;
	struct sim *s;
	u64 cut_at, bound;

	ee_gbn_cfg_default(&c);
	s = sim_new(tc, 13, &c, 0xe1, 0xe2, 0);
	if (!s)
		return;
	s->ep[0].want = 1000000;
	sim_run(s, 5 * MS, false);
	bound = ee_gbn_dead_bound(&s->ep[0].g);
	cut_at = s->now;
	sim_cut(s);
	sim_run(s, cut_at + bound, false);
	EE_TC_CHECK(tc, ee_gbn_dead(&s->ep[0].g));
	EE_TC_CHECK(tc, !ee_gbn_dead(&s->ep[1].g));
	s->cut = false;
	sim_run(s, s->now + 1 * MS, false);
	ee_gbn_restart(&s->ep[0].g, s->now);
	ep_newconn(&s->ep[0]);
	s->ep[0].want = 3000;
	sim_run(s, 3600000 * MS, true);
	EE_TC_EQ(tc, s->oracle_fail, 0);
	EE_TC_CHECK(tc, sim_done(s));
	EE_TC_EQ(tc, s->ep[1].rx_next, 3000);
	EE_TC_EQ(tc, s->ep[1].g.st.peer_restarts, 1);
	check_counters(s);
	sim_free(s);
}

/* A one-way outage: a's frames are lost, b's get through (a host that
 * still hears the box's DIFs and re-attaches after every death).  a
 * dies and restarts again and again, b dies once; when the path heals b
 * resumes its generation (the box, on the host's next DIF) and follows
 * a's SYN, however many generations ahead it is.
 */
static void test_one_way_outage(struct ee_tc *tc)
{
	struct ee_gbn_cfg c;
	struct sim *s;
	int k, i;

	ee_gbn_cfg_default(&c);
	s = sim_new(tc, 15, &c, 0x1a, 0x1b, 1000000);
	if (!s)
		return;
	sim_run(s, 5 * MS, false);
	s->link[0].loss_data = 1000000;
	s->link[0].loss_ack = 1000000;
	for (k = 0; k < 48; k++) {
		sim_run(s, s->now + ee_gbn_dead_bound(&s->ep[0].g) + MS,
			false);
		EE_TC_CHECK(tc, ee_gbn_dead(&s->ep[0].g));
		ee_gbn_restart(&s->ep[0].g, s->now);
		ep_newconn(&s->ep[0]);
	}
	EE_TC_EQ(tc, s->ep[0].g.gen, 48);
	EE_TC_CHECK(tc, ee_gbn_dead(&s->ep[1].g));
	EE_TC_EQ(tc, s->ep[1].g.gen, 0);
	/* Healed: b hears a's DIF and resumes generation 0. */
	s->link[0].loss_data = 0;
	s->link[0].loss_ack = 0;
	EE_TC_CHECK(tc, ee_gbn_revive(&s->ep[1].g, s->now));
	for (i = 0; i < 2; i++)
		s->ep[i].want = 3000;
	sim_run(s, 3600000 * MS, true);
	EE_TC_EQ(tc, s->oracle_fail, 0);
	EE_TC_CHECK(tc, sim_done(s));
	EE_TC_EQ(tc, s->ep[1].g.gen, s->ep[0].g.gen);
	EE_TC_EQ(tc, s->ep[1].rx_next, 3000);
	EE_TC_EQ(tc, s->ep[0].rx_next, 3000);
	sim_free(s);
}

/* b comes up 30 ms after a: a's SYN goes unanswered, then gets through. */
static void test_late_peer(struct ee_tc *tc)
{
	struct ee_gbn_cfg c;
	struct sim *s;

	ee_gbn_cfg_default(&c);
	s = sim_new(tc, 14, &c, 0xf1, 0xf2, 2000);
	if (!s)
		return;
	ee_gbn_init(&s->ep[1].g, &c);	/* b not open yet */
	sim_run(s, 30 * MS, false);
	EE_TC_EQ(tc, s->ep[1].rx_next, 0);
	EE_TC_CHECK(tc, s->ep[1].g.st.rx_ignored > 0);
	EE_TC_CHECK(tc, s->ep[0].g.st.timeouts > 0);
	ee_gbn_reset(&s->ep[1].g, 0xf2, 0xf1, s->now);
	sim_run(s, 3600000 * MS, true);
	check_complete(s, "late");
	sim_free(s);
}

const struct ee_sim_test ee_gbn_sim_tests[] = {
	{ "serial arithmetic", test_serial },
	{ "ISN from the epochs", test_isn },
	{ "closed connection", test_closed },
	{ "configuration clamped", test_cfg_clamp },
	{ "SYN and first frames", test_handshake },
	{ "delayed and piggybacked acks", test_ack_delay },
	{ "interactive acks wait for the answer", test_ack_interactive },
	{ "window", test_window },
	{ "RTO (RFC 6298), backoff, death", test_rto },
	{ "after an RTO the oldest frame probes", test_rto_probe },
	{ "Karn's rule without timestamps", test_karn },
	{ "gap evidence goes back once", test_gap_evidence },
	{ "gap evidence within one microsecond", test_gap_same_us },
	{ "duplicate acks go back once (no timestamps)", test_dupacks },
	{ "probe and echo", test_probe },
	{ "stale frames and generations", test_stale },
	{ "dead, then revived by a restart", test_dead_revive },
	{ "dead, then resumed in its generation", test_dead_resume },
	{ "clean channel, both ways", test_clean },
	{ "loss of data (10%)", test_loss_data },
	{ "loss of acks (30%)", test_loss_ack },
	{ "reordering (25%)", test_reorder },
	{ "duplication (20%)", test_dup },
	{ "1% loss, 25% reorder, 5% dup, 100k frames each way", test_mixed1 },
	{ "10% loss, 25% reorder, 5% dup, 100k frames each way", test_mixed10 },
	{ "no timestamps (Karn), 5% loss, reorder, dup", test_no_ts },
	{ "sequence wrap, both directions", test_wrap },
	{ "peer restart (new epoch mid-stream)", test_restart },
	{ "peer restart, no timestamps", test_restart_no_ts },
	{ "peer death and recovery", test_death },
	{ "one-sided death, restart", test_one_sided_death },
	{ "one-way outage, many generations apart", test_one_way_outage },
	{ "peer opens late", test_late_peer },
	{ NULL, NULL }
};
