// SPDX-License-Identifier: GPL-2.0
/*
 * Delay-based rate control and pacing (ee_rate.c) under a simulated
 * clock: the scenarios of the user-space test_rate and of the KUnit suite
 * expether_rate (ee_sim.h).  The probe burst sets the initial rate from
 * the base RTT; the rate falls when the queueing delay rises and recovers
 * when it falls; the pacer spaces frames exactly as the rate says; and,
 * closed loop over a simulated bottleneck, the rate follows its capacity.
 */
#include "ee_types.h"
#include "ee_rate.h"
#include "ee_sim.h"

#define US		1000ULL
#define MS		1000000ULL
#define SEC		1000000000ULL

static void cfg_default_run(struct ee_rate_cfg *c, u64 rate)
{
	ee_rate_cfg_default(c);
	c->probes = 0;		/* straight to RUN at rate_init */
	c->rate_init = rate;
}

static void test_defaults(struct ee_tc *tc)
{
	struct ee_rate_cfg c;
	struct ee_rate r;

	ee_rate_cfg_default(&c);
	ee_rate_init(&r, &c);
	EE_TC_EQ(tc, r.state, EE_RATE_IDLE);
	EE_TC_EQ(tc, r.rate, EE_RATE_DEF_INIT);
	EE_TC_EQ(tc, ee_rate_probes_due(&r), 0);
	EE_TC_EQ(tc, ee_rate_deadline(&r), EE_RATE_NEVER);
	ee_rate_rtt(&r, 0, 100 * US);	/* ignored while idle */
	EE_TC_EQ(tc, r.st.samples, 0);

	c.rate_max = ~0ULL;
	c.rate_min = 0;
	c.rate_init = 0;
	c.beta = 5000;
	c.max_mdf = 5000;
	c.hai_mult = 0;
	c.init_bytes = 0;
	ee_rate_init(&r, &c);
	EE_TC_EQ(tc, r.cfg.rate_max, 1ULL << 40);
	EE_TC_EQ(tc, r.cfg.rate_min, 1);
	EE_TC_EQ(tc, r.cfg.rate_init, 1);
	EE_TC_EQ(tc, r.cfg.beta, EE_RATE_ONE);
	EE_TC_EQ(tc, r.cfg.max_mdf, EE_RATE_ONE - 1);
	EE_TC_EQ(tc, r.cfg.hai_mult, 1);
	EE_TC_EQ(tc, r.cfg.init_bytes, 1);
}

static void test_probe(struct ee_tc *tc)
{
	static const u64 rtt[8] = { 130, 100, 120, 180, 101, 140, 100, 160 };
	struct ee_rate_cfg c;
	struct ee_rate r;
	u32 i;

	ee_rate_cfg_default(&c);
	ee_rate_init(&r, &c);
	ee_rate_reset(&r, 1 * MS);
	EE_TC_EQ(tc, r.state, EE_RATE_PROBE);
	EE_TC_EQ(tc, ee_rate_probes_due(&r), 8);
	for (i = 0; i < 8; i++)
		ee_rate_probe_sent(&r, 1 * MS);
	EE_TC_EQ(tc, ee_rate_probes_due(&r), 0);
	EE_TC_EQ(tc, r.st.probes_sent, 8);
	EE_TC_EQ(tc, ee_rate_deadline(&r), 1 * MS + EE_RATE_DEF_PROBE_TMO);
	for (i = 0; i < 8; i++) {
		EE_TC_EQ(tc, r.state, EE_RATE_PROBE);
		EE_TC_EQ(tc, r.rate, EE_RATE_DEF_INIT);
		ee_rate_rtt(&r, 1 * MS + rtt[i] * US, rtt[i] * US);
	}
	EE_TC_EQ(tc, r.state, EE_RATE_RUN);
	EE_TC_EQ(tc, r.base_rtt_ns, 100 * US);
	/* one window (64 full frames) per base RTT */
	EE_TC_EQ(tc, r.rate, 64ULL * 1518 * SEC / (100 * US));
	EE_TC_EQ(tc, r.rate, 971520000);
	EE_TC_EQ(tc, ee_rate_deadline(&r), EE_RATE_NEVER);
	EE_TC_EQ(tc, r.st.probe_timeouts, 0);

	/* A long base RTT gives a low rate, clamped to the floor. */
	ee_rate_reset(&r, 10 * MS);
	for (i = 0; i < 8; i++)
		ee_rate_rtt(&r, 20 * MS, 900 * MS);
	EE_TC_EQ(tc, r.rate, EE_RATE_DEF_MIN);
	/* A tiny one is clamped to the ceiling. */
	ee_rate_reset(&r, 30 * MS);
	for (i = 0; i < 8; i++)
		ee_rate_rtt(&r, 30 * MS, 1 * US);
	EE_TC_EQ(tc, r.rate, EE_RATE_DEF_MAX);
	/* So is a zero one (a simulated clock). */
	ee_rate_reset(&r, 30 * MS);
	for (i = 0; i < 8; i++)
		ee_rate_rtt(&r, 30 * MS, 0);
	EE_TC_EQ(tc, r.rate, EE_RATE_DEF_MAX);
}

static void test_probe_timeout(struct ee_tc *tc)
{
	struct ee_rate_cfg c;
	struct ee_rate r;

	ee_rate_cfg_default(&c);
	ee_rate_init(&r, &c);
	ee_rate_reset(&r, 0);
	ee_rate_probe_sent(&r, 5 * MS);
	EE_TC_EQ(tc, ee_rate_deadline(&r), 25 * MS);
	ee_rate_timer(&r, 25 * MS - 1);
	EE_TC_EQ(tc, r.state, EE_RATE_PROBE);
	ee_rate_timer(&r, 25 * MS);
	EE_TC_EQ(tc, r.state, EE_RATE_RUN);
	EE_TC_EQ(tc, r.rate, EE_RATE_DEF_INIT);
	EE_TC_EQ(tc, r.st.probe_timeouts, 1);
	/* some answers: their minimum counts */
	ee_rate_reset(&r, 100 * MS);
	ee_rate_probe_sent(&r, 100 * MS);
	ee_rate_rtt(&r, 101 * MS, 500 * US);
	ee_rate_rtt(&r, 101 * MS, 400 * US);
	ee_rate_timer(&r, 120 * MS);
	EE_TC_EQ(tc, r.state, EE_RATE_RUN);
	EE_TC_EQ(tc, r.base_rtt_ns, 400 * US);
	EE_TC_EQ(tc, r.rate, 64ULL * 1518 * SEC / (400 * US));
}

/* Feed one sample per @step for @dur at RTT @rtt. */
static void feed(struct ee_rate *r, u64 *now, u64 dur, u64 step, u64 rtt)
{
	u64 end = *now + dur;

	for (; *now < end; *now += step)
		ee_rate_rtt(r, *now, rtt);
}

/* One decision interval at RTT @rtt: a sample of a frame sent after the
 * last decision, then another half an RTT later.  Returns the number of
 * decisions taken (1).
 */
static u64 interval(struct ee_rate *r, u64 *now, u64 rtt)
{
	u64 n = r->st.increases + r->st.decreases;

	*now += rtt;
	ee_rate_rtt(r, *now, rtt);
	*now += ee_div64(rtt, 2);
	ee_rate_rtt(r, *now, rtt);
	return r->st.increases + r->st.decreases - n;
}

static u64 target_of(const struct ee_rate *r)
{
	return r->base_rtt_ns + EE_RATE_DEF_TARGET +
	       ee_div64(r->base_rtt_ns, 4) +
	       ee_div64((u64)EE_RATE_DEF_BURST * SEC, r->rate);
}

static void test_md_ai(struct ee_tc *tc)
{
	struct ee_rate_cfg c;
	struct ee_rate r;
	u64 now = 0, rate, want, mdf, target;
	u32 i;

	ee_rate_cfg_default(&c);
	ee_rate_init(&r, &c);
	ee_rate_reset(&r, 0);
	for (i = 0; i < 8; i++)
		ee_rate_rtt(&r, 0, 100 * US);
	EE_TC_EQ(tc, r.rate, 971520000);
	/* target = base + 50 us + base / 4 + drain time of the burst */
	target = target_of(&r);
	EE_TC_EQ(tc, target, 175 * US + 3125);
	/* A standing 400 us: decrease by beta * (400 - target) / 400, once
	 * a frame sent after the last decision is back and half an RTT of
	 * samples is in.
	 */
	rate = r.rate;
	ee_rate_rtt(&r, 300 * US, 400 * US);	/* sent before: no news */
	ee_rate_rtt(&r, 500 * US, 400 * US);
	ee_rate_rtt(&r, 650 * US, 400 * US);
	EE_TC_EQ(tc, r.rate, rate);
	EE_TC_EQ(tc, r.st.decreases, 0);
	ee_rate_rtt(&r, 700 * US, 400 * US);
	mdf = ee_div64(819 * (400 * US - target), 400 * US);
	want = rate - ((rate * mdf) >> 10);
	EE_TC_EQ(tc, r.rate, want);
	EE_TC_EQ(tc, r.standing_ns, 400 * US);
	EE_TC_EQ(tc, r.st.decreases, 1);
	/* the interval's smallest sample decides */
	now = 700 * US;
	rate = r.rate;
	now += 1 * MS;
	ee_rate_rtt(&r, now, 1 * MS);
	now += 100 * US;
	ee_rate_rtt(&r, now, 150 * US);
	now += 500 * US;
	ee_rate_rtt(&r, now, 1 * MS);
	EE_TC_EQ(tc, r.st.increases, 1);
	EE_TC_EQ(tc, r.rate, rate + EE_RATE_DEF_AI);
	/* a huge delay: at most max_mdf (halved) */
	rate = r.rate;
	EE_TC_EQ(tc, interval(&r, &now, 10 * MS), 1);
	EE_TC_EQ(tc, r.rate, rate - ((rate * 512) >> 10));
	/* at base: additive increase, then hyper increase after 5 */
	for (i = 0; i < 8; i++) {
		rate = r.rate;
		EE_TC_EQ(tc, interval(&r, &now, 100 * US), 1);
		EE_TC_EQ(tc, r.rate, rate + EE_RATE_DEF_AI * (i < 5 ? 1 : 5));
	}
	EE_TC_EQ(tc, r.st.increases, 9);
	/* a decrease ends the run of increases */
	EE_TC_EQ(tc, interval(&r, &now, 1 * MS), 1);
	EE_TC_EQ(tc, r.st.decreases, 3);
	rate = r.rate;
	EE_TC_EQ(tc, interval(&r, &now, 100 * US), 1);
	EE_TC_EQ(tc, r.rate, rate + EE_RATE_DEF_AI);
	/* at the target: still an increase */
	rate = r.rate;
	EE_TC_EQ(tc, interval(&r, &now, target_of(&r)), 1);
	EE_TC_EQ(tc, r.rate, rate + EE_RATE_DEF_AI);
}

static void test_delay_steps(struct ee_tc *tc)
{
	struct ee_rate_cfg c;
	struct ee_rate r;
	u64 now = 0, before, low;
	u32 i;

	ee_rate_cfg_default(&c);
	ee_rate_init(&r, &c);
	ee_rate_reset(&r, 0);
	for (i = 0; i < 8; i++)
		ee_rate_rtt(&r, 0, 200 * US);
	before = r.rate;
	/* 1 ms of queue for 20 ms: down until the queue is no more than
	 * the pacer's burst at that rate (here about 2.4 MB/s)
	 */
	feed(&r, &now, 20 * MS, 10 * US, 1200 * US);
	EE_TC_CHECK(tc, r.rate < ee_div64(before, 100));
	EE_TC_CHECK(tc, r.rate >= EE_RATE_DEF_MIN);
	EE_TC_CHECK(tc, r.st.decreases >= 8);
	EE_TC_EQ(tc, r.st.increases, 0);
	/* each decision took one and a half standing RTT */
	EE_TC_CHECK(tc, r.st.decreases <= 20 * MS / (1800 * US));
	/* more queue: down to the floor, never below */
	feed(&r, &now, 50 * MS, 10 * US, 10 * MS);
	EE_TC_EQ(tc, r.rate, EE_RATE_DEF_MIN);
	low = r.rate;
	/* queue gone: back up, and up to the ceiling */
	feed(&r, &now, 20 * MS, 10 * US, 200 * US);
	EE_TC_CHECK(tc, r.rate > low + 50 * EE_RATE_DEF_AI);
	feed(&r, &now, 2000 * MS, 10 * US, 200 * US);
	EE_TC_EQ(tc, r.rate, EE_RATE_DEF_MAX);
	/* Jitter is not a queue: the interval's minimum decides. */
	before = r.rate;
	for (i = 0; i < 1000; i++) {
		ee_rate_rtt(&r, now, (i & 1) ? 3 * MS : 200 * US);
		now += 50 * US;
	}
	EE_TC_EQ(tc, r.rate, before);
	EE_TC_EQ(tc, r.standing_ns, 200 * US);
}

static void test_pacing(struct ee_tc *tc)
{
	struct ee_rate_cfg c;
	struct ee_rate r;
	u64 now, t, sent = 0;
	u32 i;

	cfg_default_run(&c, 100000000);	/* 100 MB/s */
	c.burst = 0;
	ee_rate_init(&r, &c);
	ee_rate_reset(&r, 0);
	EE_TC_EQ(tc, r.state, EE_RATE_RUN);
	EE_TC_EQ(tc, r.rate, 100000000);
	/* (1000 + 24) bytes at 100 MB/s: 10240 ns apart */
	EE_TC_EQ(tc, ee_rate_gap(&r, 1000), 10240);
	now = 5 * MS;
	EE_TC_CHECK(tc, ee_rate_may_send(&r, now));
	for (i = 0; i < 100; i++) {
		EE_TC_CHECK(tc, ee_rate_may_send(&r, now));
		ee_rate_sent(&r, now, 1000);
		EE_TC_EQ(tc, ee_rate_next(&r), now + 10240);
		EE_TC_CHECK(tc, !ee_rate_may_send(&r, now + 10239));
		now = ee_rate_next(&r);
	}
	EE_TC_EQ(tc, r.st.frames, 100);
	EE_TC_EQ(tc, r.st.bytes, 100000);

	/* With a burst allowance: after idling, 3 frames at once (3036
	 * bytes of credit), then the rate again.
	 */
	cfg_default_run(&c, 100000000);
	ee_rate_init(&r, &c);
	ee_rate_reset(&r, 0);
	now = 1 * SEC;
	for (i = 0; i < 3; i++) {
		EE_TC_CHECK(tc, ee_rate_may_send(&r, now));
		ee_rate_sent(&r, now, 1000);
	}
	EE_TC_CHECK(tc, !ee_rate_may_send(&r, now));
	EE_TC_EQ(tc, ee_rate_next(&r), now - 30360 + 3 * 10240);

	/* Greedy for one second: the bytes on the wire match the rate. */
	now = 2 * SEC;
	t = now;
	while (now < t + SEC) {
		if (ee_rate_may_send(&r, now)) {
			ee_rate_sent(&r, now, 1476);
			sent += 1476 + 24;
		} else {
			now = ee_rate_next(&r);
		}
	}
	EE_TC_CHECK(tc, sent >= 100000000 - 1500 && sent <= 100000000 + 3036 + 1500);

	/* Large values do not overflow. */
	cfg_default_run(&c, 1ULL << 40);
	c.rate_max = 1ULL << 40;
	c.rate_min = 1;
	ee_rate_init(&r, &c);
	ee_rate_reset(&r, 0);
	EE_TC_EQ(tc, ee_rate_gap(&r, 0xffffffffu),
		 (0xffffffffULL + 24) * SEC / (1ULL << 40));
	r.rate = 1;
	EE_TC_EQ(tc, ee_rate_gap(&r, 0xffffffffu), (0xffffffffULL + 24) * SEC);
}

/* Closed loop: a paced sender, a FIFO bottleneck of capacity cap bytes/s
 * and a fixed propagation RTT; every frame is acknowledged and gives an
 * RTT sample.
 */
struct loop {
	struct ee_rate r;
	u64 now;
	u64 cap;		/* bytes/s */
	u64 prop;		/* propagation RTT */
	u64 bn_free;		/* bottleneck busy until */
	u64 ack_at[4096];	/* FIFO of acks in flight */
	u64 sent_at[4096];
	u32 head, tail;
	u64 delivered;		/* bytes through the bottleneck */
	u64 qdelay_sum, samples;
};

#define FRAME	1500
#define WINDOW	64	/* the Go-Back-N window bounds the frames in flight */

static void loop_run(struct loop *l, u64 dur)
{
	u64 end = l->now + dur;

	while (l->now < end) {
		u64 next_ack = l->head != l->tail ?
			l->ack_at[l->head % 4096] : ~0ULL;
		u64 next_tx = ee_rate_next(&l->r);

		if (next_tx < l->now)
			next_tx = l->now;
		if (next_ack <= next_tx) {
			u64 rtt = next_ack - l->sent_at[l->head % 4096];

			l->now = next_ack;
			l->head++;
			l->qdelay_sum += rtt - l->prop;
			l->samples++;
			ee_rate_rtt(&l->r, l->now, rtt);
		} else if (l->tail - l->head < WINDOW) {
			u64 start;

			l->now = next_tx;
			ee_rate_sent(&l->r, l->now, FRAME);
			start = l->bn_free > l->now ? l->bn_free : l->now;
			l->bn_free = start + ee_div64((FRAME + 24) * SEC, l->cap);
			l->delivered += FRAME;
			l->sent_at[l->tail % 4096] = l->now;
			l->ack_at[l->tail % 4096] = l->bn_free + l->prop;
			l->tail++;
		} else {
			l->now = next_ack;
		}
	}
}

/* Measure 100 ms after 100 ms of settling: the bytes per second that
 * went through, the mean queueing delay, and a line saying so.
 */
static void settle_measure(struct ee_tc *tc, struct loop *l, const char *what,
			   u64 *through, u64 *qdelay)
{
	char line[128];
	u64 d0;

	loop_run(l, 100 * MS);
	d0 = l->delivered;
	l->qdelay_sum = 0;
	l->samples = 0;
	loop_run(l, 100 * MS);
	*qdelay = l->samples ? ee_div64(l->qdelay_sum, l->samples) : ~0ULL;
	*through = (l->delivered - d0) * 10;	/* bytes per second */
	snprintf(line, sizeof(line),
		 "%s: %llu B/s through, queue %llu us, rate %llu", what,
		 (unsigned long long)*through,
		 (unsigned long long)ee_div64(*qdelay, US),
		 (unsigned long long)l->r.rate);
	ee_tc_note(tc, line);
}

static void test_closed_loop(struct ee_tc *tc)
{
	struct ee_rate_cfg c;
	struct loop *l;
	u64 q, n;
	u32 i;

	ee_tc_ctx(tc, "50 MB/s, 100 us");
	l = ee_tc_zalloc(tc, sizeof(*l));	/* 64 KB of FIFO */
	if (!l)
		return;
	ee_rate_cfg_default(&c);
	ee_rate_init(&l->r, &c);
	l->cap = 50000000;		/* 50 MB/s */
	l->prop = 100 * US;
	ee_rate_reset(&l->r, 0);
	for (i = 0; i < c.probes; i++)
		ee_rate_probe_sent(&l->r, 0);
	for (i = 0; i < c.probes; i++)
		ee_rate_rtt(&l->r, l->prop, l->prop);
	EE_TC_CHECK(tc, l->r.rate > 10 * l->cap); /* a window per RTT: too fast */
	/* settled: the bottleneck is busy, the queue short */
	settle_measure(tc, l, "50 MB/s", &n, &q);
	EE_TC_CHECK(tc, n >= ee_div64(l->cap * 75, 100));
	EE_TC_CHECK(tc, n <= l->cap);
	EE_TC_CHECK(tc, q < 300 * US);

	/* the bottleneck slows to 10 MB/s: the rate follows */
	l->cap = 10000000;
	settle_measure(tc, l, "10 MB/s", &n, &q);
	EE_TC_CHECK(tc, n >= ee_div64(l->cap * 75, 100));
	EE_TC_CHECK(tc, n <= l->cap);
	EE_TC_CHECK(tc, q < 1000 * US);
	EE_TC_CHECK(tc, l->r.rate < 2 * l->cap);

	/* and back to 50 MB/s: it recovers */
	l->cap = 50000000;
	settle_measure(tc, l, "50 MB/s again", &n, &q);
	EE_TC_CHECK(tc, n >= ee_div64(l->cap * 75, 100));
	EE_TC_CHECK(tc, q < 300 * US);
	EE_TC_CHECK(tc, l->r.st.decreases > 0);
	EE_TC_CHECK(tc, l->r.st.increases > 0);
	ee_tc_free(tc, l);
}

const struct ee_sim_test ee_rate_sim_tests[] = {
	{ "defaults and clamps", test_defaults },
	{ "probe burst sets the initial rate", test_probe },
	{ "probes unanswered", test_probe_timeout },
	{ "decrease above target, increase below", test_md_ai },
	{ "queue delay rises, falls", test_delay_steps },
	{ "pacing intervals match the rate", test_pacing },
	{ "closed loop over a bottleneck", test_closed_loop },
	{ NULL, NULL }
};
