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

#ifndef ARRAY_SIZE
#define ARRAY_SIZE(a)	(sizeof(a) / sizeof((a)[0]))
#endif

static void cfg_default_run(struct ee_rate_cfg *c, u64 rate)
{
	ee_rate_cfg_default(c);
	c->probes = 0;		/* straight to RUN at rate_init */
	c->rate_init = rate;
}

/* The probe burst answered, every echo after @rtt_ns. */
static void answer_probes(struct ee_rate *r, u64 rtt_ns)
{
	u32 i;

	for (i = 0; i < r->cfg.probes; i++)
		ee_rate_rtt(r, 0, rtt_ns);
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

/* base + 50 us + base / 4 + the mean frame's time at the rate */
static u64 target_of(const struct ee_rate *r)
{
	return r->base_rtt_ns + EE_RATE_DEF_TARGET +
	       ee_div64(r->base_rtt_ns, 4) +
	       ee_div64(r->frame_avg * SEC, r->rate);
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
	answer_probes(&r, 100 * US);
	EE_TC_EQ(tc, r.rate, 971520000);
	/* one frame of 1500 bytes, 1524 on the wire, sets the mean */
	ee_rate_sent(&r, 0, 1500);
	EE_TC_EQ(tc, r.frame_avg, 1524);
	/* target = base + 50 us + base / 4 + the mean frame at the rate */
	target = target_of(&r);
	EE_TC_EQ(tc, target, 175 * US + 1568);
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
	/* 1 ms of queue for 20 ms: down, decision after decision (no
	 * frame was paced, so the target has no frame term)
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

/* @n acks of one frame each, @step apart, after *now. */
static void acks(struct ee_rate *r, u64 *now, u32 n, u64 step)
{
	u32 k;

	for (k = 0; k < n; k++) {
		*now += step;
		ee_rate_acked(r, *now, 1);
	}
}

/* @n intervals of 100 us (the base RTT) at @fps frames per second,
 * each busy or, with @app, app-limited.
 */
static void ival_acks(struct ee_rate *r, u64 *now, u32 n, u64 fps, bool app)
{
	u64 step = ee_div64(SEC, fps);
	u32 per = (u32)ee_div64(100 * US, step), i;

	for (i = 0; i < n; i++) {
		if (app)
			ee_rate_app_limited(r);
		acks(r, now, per, step);
	}
}

/* The window is win_gain (2) times the frames delivered per base RTT,
 * measured over intervals of at least an RTT from ack to ack, the
 * largest of the last EE_RATE_DR_HIST busy intervals, at least win_min;
 * an app-limited interval may raise it but never lower it.
 */
static void test_window(struct ee_tc *tc)
{
	struct ee_rate_cfg c;
	struct ee_rate r;
	u64 now = 0, n;
	u32 i, w;

	ee_rate_cfg_default(&c);
	EE_TC_EQ(tc, c.win_gain, 2 * EE_RATE_ONE);
	EE_TC_EQ(tc, c.win_min, 8);
	ee_rate_init(&r, &c);
	EE_TC_EQ(tc, ee_rate_window(&r), 0);	/* idle: no limit */
	ee_rate_acked(&r, 0, 5);		/* ignored while idle */
	EE_TC_EQ(tc, r.st.bdp_samples, 0);
	ee_rate_reset(&r, 0);
	/* nothing measured: the floor */
	EE_TC_EQ(tc, ee_rate_window(&r), 8);
	answer_probes(&r, 100 * US);
	EE_TC_EQ(tc, r.state, EE_RATE_RUN);
	/* the first ack starts the first interval, counting nothing */
	now = 1 * MS;
	ee_rate_acked(&r, now, 3);
	EE_TC_EQ(tc, r.dr_acked, 0);
	EE_TC_EQ(tc, r.dr_start, now);
	/* 100 000 frames/s: 10 per base RTT, a window of 2 x 10 once an
	 * interval of a base RTT is complete; then plus the frames of one
	 * ack (every ack is a burst of its own, BBR's extra_acked), once
	 * there is a rate to compare the acks with
	 */
	acks(&r, &now, 9, 10 * US);
	EE_TC_EQ(tc, r.st.bdp_samples, 0);
	EE_TC_EQ(tc, ee_rate_window(&r), 8);
	acks(&r, &now, 1, 10 * US);
	EE_TC_EQ(tc, r.st.bdp_samples, 1);
	EE_TC_EQ(tc, r.fps, 100000);
	EE_TC_EQ(tc, ee_rate_window(&r), 20);
	acks(&r, &now, 1, 10 * US);
	EE_TC_EQ(tc, ee_rate_window(&r), 21);
	ival_acks(&r, &now, 3, 100000, false);
	EE_TC_EQ(tc, r.st.bdp_samples, 4);
	EE_TC_EQ(tc, ee_rate_window(&r), 21);

	/* 400 000 frames/s for two intervals: 40 per RTT, 80, and the
	 * acks of the change came faster than the rate known then: at
	 * most 30 more.  Back to 100 000: the largest of the last 8
	 * intervals holds for a while, then it is 21 again.
	 */
	ee_tc_ctx(tc, "max filter");
	ival_acks(&r, &now, 2, 400000, false);
	w = ee_rate_window(&r);
	EE_TC_CHECK(tc, w > 80 && w <= 80 + 30 + 1);
	ival_acks(&r, &now, EE_RATE_DR_HIST / 2, 100000, false);
	EE_TC_CHECK(tc, ee_rate_window(&r) > 80);
	ival_acks(&r, &now, EE_RATE_DR_HIST + 1, 100000, false);
	EE_TC_EQ(tc, ee_rate_window(&r), 21);

	/* app-limited: slower intervals do not lower it, nor are they a
	 * rate bound; a faster one raises it
	 */
	ee_tc_ctx(tc, "app-limited");
	n = r.st.bdp_samples;
	ival_acks(&r, &now, 20, 50000, true);
	EE_TC_EQ(tc, r.st.bdp_samples, n + 20);
	EE_TC_EQ(tc, ee_rate_window(&r), 21);
	EE_TC_EQ(tc, r.fps, 0);
	ival_acks(&r, &now, 1, 200000, true);
	w = ee_rate_window(&r);
	EE_TC_CHECK(tc, w > 40 && w <= 40 + 10 + 1);
	EE_TC_EQ(tc, r.fps, 0);
	/* busy and slow, for 9 intervals: 1 frame per RTT, the floor */
	ee_tc_ctx(tc, "floor");
	ival_acks(&r, &now, EE_RATE_DR_HIST + 1, 10000, false);
	EE_TC_EQ(tc, r.fps, 10000);
	EE_TC_EQ(tc, ee_rate_window(&r), 8);

	/* intervals last an RTT: with 1 ms samples, 1 ms */
	ee_tc_ctx(tc, "interval");
	ee_rate_rtt(&r, now, 1 * MS);
	n = r.st.bdp_samples;
	ival_acks(&r, &now, 9, 100000, false);
	EE_TC_EQ(tc, r.st.bdp_samples, n);
	ival_acks(&r, &now, 1, 100000, false);
	EE_TC_EQ(tc, r.st.bdp_samples, n + 1);
	EE_TC_EQ(tc, r.fps, 100000);
	EE_TC_CHECK(tc, ee_rate_window(&r) > 20);

	/* a new connection forgets it all */
	ee_tc_ctx(tc, "reset");
	ee_rate_reset(&r, now);
	EE_TC_EQ(tc, ee_rate_window(&r), 8);
	EE_TC_EQ(tc, r.fps, 0);
	EE_TC_CHECK(tc, !r.dr_started);

	/* win_gain 0: no window, whatever is measured */
	ee_tc_ctx(tc, "no window");
	c.win_gain = 0;
	ee_rate_init(&r, &c);
	ee_rate_reset(&r, 0);
	EE_TC_EQ(tc, ee_rate_window(&r), 0);
	answer_probes(&r, 100 * US);
	now = 1 * MS;
	ee_rate_acked(&r, now, 1);
	ival_acks(&r, &now, 3, 100000, false);
	EE_TC_EQ(tc, r.fps, 100000);
	EE_TC_EQ(tc, ee_rate_window(&r), 0);

	/* Large values do not overflow: the clamps hold. */
	ee_tc_ctx(tc, "large");
	ee_rate_cfg_default(&c);
	c.win_gain = ~0u;
	c.win_min = ~0u;
	ee_rate_init(&r, &c);
	EE_TC_EQ(tc, r.cfg.win_gain, 64 * EE_RATE_ONE);
	EE_TC_EQ(tc, r.cfg.win_min, 0x10000);
	/* a 900 s RTT: 2^20 frames counted at most, over 900 s, 1165
	 * frames/s; the RTT counts as 2^30 ns: about 2 x 1251 frames
	 */
	ee_rate_cfg_default(&c);
	ee_rate_init(&r, &c);
	ee_rate_reset(&r, 0);
	for (i = 0; i < 8; i++)
		ee_rate_rtt(&r, 0, 900 * SEC);
	ee_rate_acked(&r, 1, 1);
	ee_rate_acked(&r, 900 * SEC, 0xffffffffu);
	EE_TC_EQ(tc, r.st.bdp_samples, 0);
	ee_rate_acked(&r, 900 * SEC + 1, 0xffffffffu);
	EE_TC_EQ(tc, r.dr_acked, 0);
	EE_TC_EQ(tc, r.st.bdp_samples, 1);
	EE_TC_EQ(tc, r.fps, 1165);
	EE_TC_CHECK(tc, ee_rate_window(&r) >= 2501 &&
		    ee_rate_window(&r) <= 2503);
	/* a 1 ns RTT: at most 2^24 frames/s, the floor */
	ee_rate_reset(&r, 0);
	for (i = 0; i < 8; i++)
		ee_rate_rtt(&r, 0, 1);
	ee_rate_acked(&r, 10, 1);
	ee_rate_acked(&r, 11, 0xffffffffu);
	EE_TC_EQ(tc, r.fps, 0x1000000);
	EE_TC_EQ(tc, ee_rate_window(&r), 8);
}

/* Acks that come in a burst after a stall (the peer, or our vCPU, was
 * descheduled) are frames the path held beyond its bandwidth-delay
 * product: the window grows by the largest such burst of the last
 * EE_RATE_DR_HIST intervals, so that frames keep flowing across the next
 * stall, and forgets it after that many.
 */
static void test_aggregation(struct ee_tc *tc)
{
	struct ee_rate_cfg c;
	struct ee_rate r;
	u64 now;
	u32 i;

	ee_rate_cfg_default(&c);
	ee_rate_init(&r, &c);
	ee_rate_reset(&r, 0);
	answer_probes(&r, 100 * US);
	now = 1 * MS;
	ee_rate_acked(&r, now, 1);
	/* steady: 100 000 frames/s in acks of 4 frames: 2 x 10 + 4 */
	for (i = 0; i < 100; i++) {
		now += 40 * US;
		ee_rate_acked(&r, now, 4);
	}
	EE_TC_EQ(tc, r.fps, 100000);
	EE_TC_EQ(tc, ee_rate_window(&r), 24);
	/* 2 ms without an ack, then 30 frames acked at once: at once,
	 * 2 x 10 + 30; the interval is over, and is no rate bound
	 */
	now += 2 * MS;
	ee_rate_acked(&r, now, 30);
	EE_TC_EQ(tc, ee_rate_window(&r), 50);
	/* steady again (an interval is 3 acks, 120 us): it holds for 7
	 * more intervals, then it is 24 again
	 */
	for (i = 0; i < 3 * (EE_RATE_DR_HIST - 1); i++) {
		now += 40 * US;
		ee_rate_acked(&r, now, 4);
	}
	EE_TC_EQ(tc, ee_rate_window(&r), 50);
	for (i = 0; i < 3 * 2; i++) {
		now += 40 * US;
		ee_rate_acked(&r, now, 4);
	}
	EE_TC_EQ(tc, ee_rate_window(&r), 24);
	/* a burst larger than anything: the window, not the excess, is
	 * bounded (by ee_gbn's cfg.window)
	 */
	now += 100 * MS;
	ee_rate_acked(&r, now, 0xffffffffu);
	EE_TC_EQ(tc, ee_rate_window(&r), 0x10000);
}

/* The delivery rate bounds the rate: a decrease lands between 7/8 of
 * the last busy interval's rate and that rate, and goes no lower; an
 * increase goes to at most win_gain times the most delivered lately.
 */
static void test_rate_bounds(struct ee_tc *tc)
{
	const u64 dr = 100000ULL * 1024;	/* 100 000 frames of 1024 */
	struct ee_rate_cfg c;
	struct ee_rate r;
	u64 now, want;
	u32 i, k;

	ee_rate_cfg_default(&c);
	ee_rate_init(&r, &c);
	ee_rate_reset(&r, 0);
	answer_probes(&r, 100 * US);
	EE_TC_EQ(tc, r.rate, 971520000);
	/* 100 us of 1000-byte frames at 100 000 a second, each acked */
	now = 1 * MS;
	ee_rate_acked(&r, now, 1);
	for (k = 0; k < 10; k++) {
		now += 10 * US;
		ee_rate_sent(&r, now, 1000);
		ee_rate_acked(&r, now, 1);
	}
	EE_TC_EQ(tc, r.fps, 100000);
	EE_TC_EQ(tc, r.dr_frame, 1024);
	/* a standing 1 ms: Swift would halve; not below what the path
	 * delivers: to it at once, then to 7/8 of it, then no lower
	 */
	ee_tc_ctx(tc, "decrease");
	EE_TC_EQ(tc, interval(&r, &now, 1 * MS), 1);
	EE_TC_EQ(tc, r.st.decreases, 1);
	EE_TC_EQ(tc, r.rate, dr);
	EE_TC_EQ(tc, interval(&r, &now, 1 * MS), 1);
	EE_TC_EQ(tc, r.rate, dr - dr / 8);
	EE_TC_EQ(tc, interval(&r, &now, 1 * MS), 1);
	EE_TC_EQ(tc, r.st.decreases, 3);
	EE_TC_EQ(tc, r.rate, dr - dr / 8);
	/* app-limited intervals (here 10 000 frames/s) neither lower the
	 * delivery rate known nor take the bound away
	 */
	ee_tc_ctx(tc, "app-limited");
	for (k = 0; k < 25; k++) {
		ee_rate_app_limited(&r);
		acks(&r, &now, 1, 100 * US);
	}
	EE_TC_EQ(tc, r.fps, 0);
	EE_TC_EQ(tc, interval(&r, &now, 10 * MS), 1);
	EE_TC_EQ(tc, r.rate, dr - dr / 8);
	/* increases: up to twice the most delivered lately, no more */
	ee_tc_ctx(tc, "increase");
	for (i = 0; i < 100; i++) {
		EE_TC_EQ(tc, interval(&r, &now, 100 * US), 1);
		EE_TC_CHECK(tc, r.rate <= 2 * dr);
	}
	EE_TC_EQ(tc, r.rate, 2 * dr);
	EE_TC_EQ(tc, r.st.decreases, 4);
	/* nothing delivered yet on a new connection: Swift's decrease */
	ee_tc_ctx(tc, "unmeasured");
	ee_rate_reset(&r, now);
	for (i = 0; i < 8; i++)
		ee_rate_rtt(&r, now, 100 * US);
	want = r.rate - ((r.rate * c.max_mdf) >> 10);
	EE_TC_EQ(tc, interval(&r, &now, 10 * MS), 1);
	EE_TC_EQ(tc, r.rate, want);
	/* the probes' rate comes down to it at the first decision */
	ee_tc_ctx(tc, "start");
	ee_rate_reset(&r, now);
	for (i = 0; i < 8; i++)
		ee_rate_rtt(&r, now, 100 * US);
	EE_TC_EQ(tc, r.rate, 971520000);
	ee_rate_acked(&r, now, 1);
	for (k = 0; k < 10; k++) {
		now += 10 * US;
		ee_rate_sent(&r, now, 1000);
		ee_rate_acked(&r, now, 1);
	}
	EE_TC_EQ(tc, interval(&r, &now, 100 * US), 1);
	EE_TC_EQ(tc, r.st.increases, 101);
	EE_TC_EQ(tc, r.rate, 2 * dr);
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
	bool win;		/* acks feed ee_rate_acked(), its window holds */
	u64 fl_sum;		/* frames in flight x ns */
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

		u32 w = WINDOW;
		u64 t;

		if (l->win && ee_rate_window(&l->r) &&
		    ee_rate_window(&l->r) < w)
			w = ee_rate_window(&l->r);
		if (next_tx < l->now)
			next_tx = l->now;
		t = next_ack <= next_tx || l->tail - l->head >= w ?
		    next_ack : next_tx;
		l->fl_sum += (u64)(l->tail - l->head) * (t - l->now);
		if (next_ack <= next_tx) {
			u64 rtt = next_ack - l->sent_at[l->head % 4096];

			l->now = next_ack;
			l->head++;
			l->qdelay_sum += rtt - l->prop;
			l->samples++;
			ee_rate_rtt(&l->r, l->now, rtt);
			if (l->win)
				ee_rate_acked(&l->r, l->now, 1);
		} else if (l->tail - l->head < w) {
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
	l->fl_sum = 0;
	loop_run(l, 100 * MS);
	*qdelay = l->samples ? ee_div64(l->qdelay_sum, l->samples) : ~0ULL;
	*through = (l->delivered - d0) * 10;	/* bytes per second */
	snprintf(line, sizeof(line),
		 "%s: %llu B/s through, queue %llu us, rate %llu, in flight %llu.%02llu, window %u",
		 what, (unsigned long long)*through,
		 (unsigned long long)ee_div64(*qdelay, US),
		 (unsigned long long)l->r.rate,
		 (unsigned long long)ee_div64(l->fl_sum, 100 * MS),
		 (unsigned long long)ee_div64(l->fl_sum, MS) % 100,
		 ee_rate_window(&l->r));
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

/* The same loop with the window: every ack feeds ee_rate_acked(), and
 * at most ee_rate_window() frames are in flight.  At 50 MB/s of 1500-byte
 * frames and 100 us the path holds 3.3 frames (the window's floor, 8, is
 * more); at 10 MB/s 0.7.  The bottleneck stays busy, and the queue and
 * the frames in flight stay small, whatever the capacity.
 */
static void test_closed_loop_window(struct ee_tc *tc)
{
	static const u64 caps[] = { 50000000, 10000000, 50000000, 200000000 };
	struct ee_rate_cfg c;
	struct loop *l;
	u64 q, n, bdp, fl, w;
	char what[32];
	u32 i;

	l = ee_tc_zalloc(tc, sizeof(*l));
	if (!l)
		return;
	ee_rate_cfg_default(&c);
	ee_rate_init(&l->r, &c);
	l->win = true;
	l->prop = 100 * US;
	ee_rate_reset(&l->r, 0);
	for (i = 0; i < c.probes; i++)
		ee_rate_probe_sent(&l->r, 0);
	for (i = 0; i < c.probes; i++)
		ee_rate_rtt(&l->r, l->prop, l->prop);
	for (i = 0; i < ARRAY_SIZE(caps); i++) {
		l->cap = caps[i];
		snprintf(what, sizeof(what), "%llu MB/s",
			 (unsigned long long)ee_div64(l->cap, 1000000));
		ee_tc_ctx(tc, what);
		settle_measure(tc, l, what, &n, &q);
		/* frames the path holds, x 100 */
		bdp = ee_div64(l->cap * 100 * 100, (FRAME + 24) * 10000);
		fl = ee_div64(l->fl_sum * 100, 100 * MS);
		w = 2 * bdp > 800 ? 2 * bdp : 800;
		EE_TC_CHECK(tc, n >= ee_div64(l->cap * 90, 100));
		EE_TC_CHECK(tc, n <= l->cap);
		EE_TC_CHECK(tc, fl <= w + 100);
		EE_TC_CHECK(tc, ee_rate_window(&l->r) * 100 <= w + 100);
		/* a frame's own time at the bottleneck counts too */
		EE_TC_CHECK(tc, q < 2 * l->prop +
				2 * ee_div64((FRAME + 24) * SEC, l->cap));
	}
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
	{ "window from the delivery rate", test_window },
	{ "window grows by bursts of acks", test_aggregation },
	{ "delivery rate bounds the rate", test_rate_bounds },
	{ "closed loop over a bottleneck", test_closed_loop },
	{ "closed loop with the window", test_closed_loop_window },
	{ NULL, NULL }
};
