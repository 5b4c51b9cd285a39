/* SPDX-License-Identifier: GPL-2.0 */
/*
 * expether delay-based rate control and pacing for one peer
 * (Documentation/expether/transport.rst): a burst of probes measures the
 * base RTT and sets the initial rate; then the rate decreases
 * multiplicatively while the RTT stands above base + target and increases
 * additively while it does not, within bounds set by the delivery rate
 * the acks show.  The pacer turns the rate into the time at which the
 * next frame may leave; the delivery rate times the base RTT, the
 * bandwidth-delay product, gives the Go-Back-N window.
 *
 * Plain C shared by expether.ko, eebox and the tests.  No I/O, clock,
 * allocation or locking: the caller passes the time (u64 ns, monotonic),
 * runs the timer and serializes the calls made on one struct ee_rate.
 */
#ifndef _EE_RATE_H
#define _EE_RATE_H

#include "ee_types.h"

#define EE_RATE_NEVER		(~(u64)0)
#define EE_RATE_ONE		1024	/* fixed point: 1.0 in beta, max_mdf */
#define EE_RATE_DR_HIST		8	/* delivery intervals remembered */

/* Defaults; Documentation/expether/transport.rst gives their sources. */
#define EE_RATE_DEF_MIN		1250000ULL	/* 10 Mb/s */
#define EE_RATE_DEF_MAX		1250000000ULL	/* 10 Gb/s */
#define EE_RATE_DEF_INIT	12500000ULL	/* 100 Mb/s */
#define EE_RATE_DEF_INIT_BYTES	(64ULL * 1518)	/* one window per RTT */
#define EE_RATE_DEF_TARGET	50000ULL	/* 50 us: TIMELY T_low */
#define EE_RATE_DEF_TARGET_REL	256		/* + base RTT / 4 */
#define EE_RATE_DEF_BETA	819		/* 0.8: TIMELY beta */
#define EE_RATE_DEF_MAX_MDF	512		/* 0.5: Swift max_mdf */
#define EE_RATE_DEF_AI		1250000ULL	/* 10 Mb/s: TIMELY delta */
#define EE_RATE_DEF_HAI_AFTER	5		/* TIMELY N */
#define EE_RATE_DEF_HAI_MULT	5		/* TIMELY N */
#define EE_RATE_DEF_PROBES	8
#define EE_RATE_DEF_PROBE_TMO	20000000ULL	/* 20 ms */
#define EE_RATE_DEF_OVERHEAD	24	/* preamble, SFD, FCS, IFG */
#define EE_RATE_DEF_BURST	(2 * 1518)
#define EE_RATE_DEF_WIN_GAIN	2048		/* 2.0: BBR's cwnd_gain */
#define EE_RATE_DEF_WIN_MIN	8		/* frames: 2 x ack_every */

struct ee_rate_cfg {
	u64 rate_min;		/* bytes/s */
	u64 rate_max;		/* bytes/s, at most 2^40 */
	u64 rate_init;		/* until the probes have answered */
	u64 init_bytes;		/* then init_bytes per base RTT */
	u64 target_ns;		/* queueing delay tolerated above base... */
	u32 target_rel;		/* ... plus base * target_rel / EE_RATE_ONE */
	u32 beta;		/* decrease: beta * (rtt - target) / rtt */
	u32 max_mdf;		/* largest decrease in one step */
	u32 hai_after;		/* increases in a row before hyper increase */
	u32 hai_mult;		/* hyper increase = ai * hai_mult */
	u32 probes;		/* probe burst (0: start at rate_init) */
	u64 ai;			/* additive increase, bytes/s per step */
	u64 probe_timeout_ns;	/* give up waiting for probe answers */
	u32 overhead;		/* wire bytes per frame beyond its length */
	u32 burst;		/* bytes the pacer lets go back to back */
	u32 win_gain;		/* window = BDP x win_gain / EE_RATE_ONE, */
	u32 win_min;		/* ... at least win_min frames (gain 0: none) */
};

enum ee_rate_state {
	EE_RATE_IDLE,		/* before ee_rate_reset() */
	EE_RATE_PROBE,		/* measuring the base RTT */
	EE_RATE_RUN,
};

struct ee_rate_stats {
	u64 frames;		/* paced frames */
	u64 bytes;
	u64 samples;		/* RTT samples */
	u64 increases;
	u64 decreases;
	u64 probes_sent;
	u64 probe_timeouts;	/* probing ended without an answer */
	u64 bdp_samples;	/* delivery intervals measured */
};

struct ee_rate {
	struct ee_rate_cfg cfg;
	u8 state;		/* enum ee_rate_state */
	bool have_base;
	bool have_ival;
	u32 probes_sent;
	u32 probe_samples;
	u32 inc_run;		/* increases in a row */
	u64 rate;		/* bytes/s */
	u64 base_rtt_ns;	/* smallest RTT seen since the reset */
	u64 standing_ns;	/* smallest RTT of the last interval */
	u64 last_rtt_ns;
	u64 probe_start;
	u64 ival_start;		/* the last decision */
	u64 ival_first;		/* first sample of this interval */
	u64 ival_min;		/* smallest sample of this interval */
	u64 next_ns;		/* earliest departure of the next frame */
	u64 frame_avg;		/* mean wire bytes of the frames paced */
	/* delivery rate, measured over intervals of an RTT or more */
	bool have_bdp;		/* fps_hist holds a measurement */
	bool dr_started;	/* an ack started the first interval */
	bool app_limited;	/* ran dry or went back in this interval */
	u32 window;		/* frames in flight the path needs, 0: unknown */
	u32 dr_acked;		/* frames acknowledged in this interval */
	u32 dr_sent;		/* frames paced in this interval */
	u32 dr_idx;		/* intervals recorded in fps_hist */
	u64 dr_sent_bytes;	/* ... their wire bytes */
	u64 dr_frame;		/* mean wire bytes of the last interval's */
	u64 dr_start;		/* start of the interval */
	u64 fps;		/* frames/s acked, last interval (0: not busy) */
	u64 fps_hist[EE_RATE_DR_HIST];	/* ... of the last busy ones */
	/* acks in bursts beyond the delivery rate (ack aggregation) */
	u64 agg_start;		/* this epoch began */
	u64 agg_acked;		/* frames acked in it */
	u64 agg_max;		/* largest excess in this interval */
	u32 agg_idx;		/* intervals recorded in agg_hist */
	u64 agg_hist[EE_RATE_DR_HIST];	/* ... in the last ones */
	struct ee_rate_stats st;
};

void ee_rate_cfg_default(struct ee_rate_cfg *cfg);
/* Zero @r, copy @cfg (values out of range are clamped): IDLE, paced at
 * rate_init.
 */
void ee_rate_init(struct ee_rate *r, const struct ee_rate_cfg *cfg);
/* A new connection: forget the path, start probing. */
void ee_rate_reset(struct ee_rate *r, u64 now);

/* Probes to send now (ee_gbn_tx_probe()), each followed by
 * ee_rate_probe_sent().  They are not paced.
 */
static inline u32 ee_rate_probes_due(const struct ee_rate *r)
{
	if (r->state != EE_RATE_PROBE || r->probes_sent >= r->cfg.probes)
		return 0;
	return r->cfg.probes - r->probes_sent;
}

void ee_rate_probe_sent(struct ee_rate *r, u64 now);
/* Feed every RTT sample (ee_gbn_rx_info.rtt_ns). */
void ee_rate_rtt(struct ee_rate *r, u64 now, u64 rtt_ns);
/* Frames acknowledged (ee_gbn_rx_info.acked): measures the delivery rate
 * and from it the window, ee_rate_window().
 */
void ee_rate_acked(struct ee_rate *r, u64 now, u32 frames);
/* The sender had nothing to send while the window had room, or went
 * back over lost frames: this interval's delivery rate says what was
 * offered, not what the path takes, so it may raise the estimate but not
 * lower it (loss is Go-Back-N's business, not a measure of capacity).
 */
static inline void ee_rate_app_limited(struct ee_rate *r)
{
	r->app_limited = true;
}

/* Frames the sender should keep in flight at most: win_gain times the
 * bandwidth-delay product measured (frames acknowledged per base RTT),
 * at least win_min, which is also the window until it is measured; 0
 * (no limit) with win_gain 0 or before ee_rate_reset().
 */
static inline u32 ee_rate_window(const struct ee_rate *r)
{
	return r->window;
}

/* Probing deadline, for the caller's timer (EE_RATE_NEVER: none). */
u64 ee_rate_deadline(const struct ee_rate *r);
void ee_rate_timer(struct ee_rate *r, u64 now);

/* Pacing: a frame may leave when now >= ee_rate_next(); account for it
 * with ee_rate_sent() (@len: the frame's bytes, without FCS).
 */
static inline u64 ee_rate_next(const struct ee_rate *r)
{
	return r->next_ns;
}

static inline bool ee_rate_may_send(const struct ee_rate *r, u64 now)
{
	return now >= r->next_ns;
}

void ee_rate_sent(struct ee_rate *r, u64 now, u32 len);
/* Time the pacer spaces @len bytes at the current rate. */
u64 ee_rate_gap(const struct ee_rate *r, u32 len);

#endif /* _EE_RATE_H */
