// SPDX-License-Identifier: GPL-2.0
/*
 * expether delay-based rate control and pacing.  The algorithm and the
 * sources of its constants (the ExpEther papers, TIMELY, Swift, Copa) are
 * in Documentation/expether/transport.rst.
 *
 * Integer arithmetic only; the 64-bit divisions go through ee_div64().
 * Ranges: rates <= 2^40 bytes/s, RTTs <= 2^40 ns, byte counts < 2^33, so
 * no product below exceeds 2^64.
 */
#include "ee_types.h"
#include "ee_rate.h"

#define EE_RATE_NS		1000000000ULL
#define EE_RATE_MAX_RATE	0x10000000000ULL	/* 2^40 */
#define EE_RATE_MAX_RTT		0x10000000000ULL
#define EE_RATE_MAX_BYTES	0x100000000ULL
#define EE_RATE_MAX_WIN		0x10000u	/* frames */
/* A delivery interval counts at most this many frames; a rate of at most
 * EE_RATE_DR_FPS frames per second, x 256, times an RTT of at most
 * EE_RATE_DR_RTT ns stays below 2^63.
 */
#define EE_RATE_DR_FRAMES	0x100000u
#define EE_RATE_DR_RTT		0x40000000ULL
/* Frames per second times bytes per frame: below 2^40. */
#define EE_RATE_DR_FPS		0x1000000ULL
#define EE_RATE_DR_FRAME	0x10000ULL

static u64 ee_rate_clamp(u64 v, u64 lo, u64 hi)
{
	if (v < lo)
		return lo;
	if (v > hi)
		return hi;
	return v;
}

void ee_rate_cfg_default(struct ee_rate_cfg *cfg)
{
	cfg->rate_min = EE_RATE_DEF_MIN;
	cfg->rate_max = EE_RATE_DEF_MAX;
	cfg->rate_init = EE_RATE_DEF_INIT;
	cfg->init_bytes = EE_RATE_DEF_INIT_BYTES;
	cfg->target_ns = EE_RATE_DEF_TARGET;
	cfg->target_rel = EE_RATE_DEF_TARGET_REL;
	cfg->beta = EE_RATE_DEF_BETA;
	cfg->max_mdf = EE_RATE_DEF_MAX_MDF;
	cfg->hai_after = EE_RATE_DEF_HAI_AFTER;
	cfg->hai_mult = EE_RATE_DEF_HAI_MULT;
	cfg->probes = EE_RATE_DEF_PROBES;
	cfg->ai = EE_RATE_DEF_AI;
	cfg->probe_timeout_ns = EE_RATE_DEF_PROBE_TMO;
	cfg->overhead = EE_RATE_DEF_OVERHEAD;
	cfg->burst = EE_RATE_DEF_BURST;
	cfg->win_gain = EE_RATE_DEF_WIN_GAIN;
	cfg->win_min = EE_RATE_DEF_WIN_MIN;
}

void ee_rate_init(struct ee_rate *r, const struct ee_rate_cfg *cfg)
{
	struct ee_rate_cfg *c = &r->cfg;

	memset(r, 0, sizeof(*r));
	*c = *cfg;
	c->rate_max = ee_rate_clamp(c->rate_max, 1, EE_RATE_MAX_RATE);
	c->rate_min = ee_rate_clamp(c->rate_min, 1, c->rate_max);
	c->rate_init = ee_rate_clamp(c->rate_init, c->rate_min, c->rate_max);
	c->init_bytes = ee_rate_clamp(c->init_bytes, 1, EE_RATE_MAX_BYTES);
	c->target_ns = ee_rate_clamp(c->target_ns, 0, EE_RATE_MAX_RTT);
	c->target_rel = (u32)ee_rate_clamp(c->target_rel, 0,
					   16 * EE_RATE_ONE);
	c->beta = (u32)ee_rate_clamp(c->beta, 0, EE_RATE_ONE);
	c->max_mdf = (u32)ee_rate_clamp(c->max_mdf, 0, EE_RATE_ONE - 1);
	c->hai_mult = (u32)ee_rate_clamp(c->hai_mult, 1, 1024);
	c->ai = ee_rate_clamp(c->ai, 0, EE_RATE_MAX_RATE);
	c->win_gain = (u32)ee_rate_clamp(c->win_gain, 0, 64 * EE_RATE_ONE);
	c->win_min = (u32)ee_rate_clamp(c->win_min, 1, EE_RATE_MAX_WIN);
	r->state = EE_RATE_IDLE;
	r->rate = c->rate_init;
}

static void ee_rate_run(struct ee_rate *r, u64 now)
{
	u64 base = r->base_rtt_ns ? r->base_rtt_ns : 1;

	r->state = EE_RATE_RUN;
	r->ival_start = now;
	r->have_ival = false;
	r->inc_run = 0;
	if (r->have_base) {
		/* init_bytes per base RTT: one window in flight */
		r->rate = ee_div64(r->cfg.init_bytes * EE_RATE_NS, base);
	} else {
		r->rate = r->cfg.rate_init;
		r->st.probe_timeouts++;
	}
	r->rate = ee_rate_clamp(r->rate, r->cfg.rate_min, r->cfg.rate_max);
}

void ee_rate_reset(struct ee_rate *r, u64 now)
{
	r->state = EE_RATE_PROBE;
	r->have_base = false;
	r->have_ival = false;
	r->probes_sent = 0;
	r->probe_samples = 0;
	r->inc_run = 0;
	r->base_rtt_ns = 0;
	r->standing_ns = 0;
	r->probe_start = now;
	r->rate = r->cfg.rate_init;
	r->next_ns = 0;
	r->have_bdp = false;
	r->dr_started = false;
	r->app_limited = false;
	/* Until measured: the floor, which each round trip may double. */
	r->window = r->cfg.win_gain ? r->cfg.win_min : 0;
	r->fps = 0;
	r->dr_idx = 0;
	memset(r->fps_hist, 0, sizeof(r->fps_hist));
	memset(r->agg_hist, 0, sizeof(r->agg_hist));
	r->agg_idx = 0;
	r->agg_max = 0;
	r->agg_acked = 0;
	r->agg_start = now;
	r->dr_acked = 0;
	r->dr_sent = 0;
	r->dr_sent_bytes = 0;
	r->dr_frame = 0;
	r->dr_start = now;
	if (!r->cfg.probes)
		ee_rate_run(r, now);
}

void ee_rate_probe_sent(struct ee_rate *r, u64 now)
{
	if (r->state != EE_RATE_PROBE)
		return;
	if (!r->probes_sent)
		r->probe_start = now;
	r->probes_sent++;
	r->st.probes_sent++;
}

u64 ee_rate_deadline(const struct ee_rate *r)
{
	if (r->state != EE_RATE_PROBE)
		return EE_RATE_NEVER;
	return r->probe_start + r->cfg.probe_timeout_ns;
}

void ee_rate_timer(struct ee_rate *r, u64 now)
{
	if (r->state == EE_RATE_PROBE && now >= ee_rate_deadline(r))
		ee_rate_run(r, now);
}

/* The RTT at which the controller holds the queue, its frame term left
 * out.
 */
static u64 ee_rate_target_rtt(const struct ee_rate *r)
{
	u64 base = r->base_rtt_ns;

	return base + r->cfg.target_ns + ((base * r->cfg.target_rel) >> 10);
}

static u64 ee_rate_max64(u64 a, u64 b)
{
	return a > b ? a : b;
}

/* The largest delivery rate of the last EE_RATE_DR_HIST intervals. */
static u64 ee_rate_fps_max(const struct ee_rate *r)
{
	u64 m = 0;
	u32 i;

	for (i = 0; i < EE_RATE_DR_HIST; i++)
		m = ee_rate_max64(m, r->fps_hist[i]);
	return m;
}

/* The largest burst of acks of the last EE_RATE_DR_HIST intervals and
 * of this one.
 */
static u64 ee_rate_agg(const struct ee_rate *r)
{
	u64 m = r->agg_max;
	u32 i;

	for (i = 0; i < EE_RATE_DR_HIST; i++)
		m = ee_rate_max64(m, r->agg_hist[i]);
	return m;
}

/* Frames per base RTT, x 256, at @fps frames per second. */
static u64 ee_rate_bdp(const struct ee_rate *r, u64 fps)
{
	u64 base = ee_rate_clamp(r->base_rtt_ns, 0, EE_RATE_DR_RTT);

	return ee_div64((fps << 8) * base, EE_RATE_NS);
}

/* window = win_gain x BDP, rounded up to whole frames, + the largest
 * recent burst of acks; at least win_min.
 */
static void ee_rate_set_window(struct ee_rate *r)
{
	const struct ee_rate_cfg *c = &r->cfg;
	u64 w;

	if (!c->win_gain || !r->have_bdp)
		return;
	w = ee_rate_bdp(r, ee_rate_fps_max(r)) * c->win_gain;
	w = ((w + (256 * EE_RATE_ONE - 1)) >> 18) + ee_rate_agg(r);
	r->window = (u32)ee_rate_clamp(w, c->win_min, EE_RATE_MAX_WIN);
}

/* Frames acknowledged beyond what the delivery rate explains since an
 * epoch began (BBR's extra_acked): a peer or a vCPU that stalls and then
 * acks a burst.  An epoch starts whenever the acks fall behind the rate,
 * and with every delivery interval.  To keep its frames flowing across
 * such stalls the window holds that many more (the largest burst of the
 * last EE_RATE_DR_HIST intervals).
 */
static void ee_rate_aggregation(struct ee_rate *r, u64 now, u32 frames)
{
	u64 fps = ee_rate_fps_max(r), el, expect, before;

	if (!fps || now < r->agg_start)
		return;
	el = ee_rate_clamp(now - r->agg_start, 0, EE_RATE_DR_RTT);
	expect = ee_div64(fps * el, EE_RATE_NS);
	if (r->agg_acked <= expect) {
		r->agg_start = now;
		r->agg_acked = 0;
		expect = 0;
	}
	r->agg_acked += frames;
	if (r->agg_acked > EE_RATE_DR_FRAMES)
		r->agg_acked = EE_RATE_DR_FRAMES;
	if (r->agg_acked - expect > r->agg_max) {
		before = ee_rate_agg(r);
		r->agg_max = r->agg_acked - expect;
		if (r->agg_max > before)
			ee_rate_set_window(r);	/* at once, for this stall */
	}
}

/* The delivery rate, frames acknowledged per second, measured over
 * intervals of at least an RTT.  The window is win_gain times the
 * bandwidth-delay product it gives with the base RTT, for the largest
 * rate of the last EE_RATE_DR_HIST intervals (BBR: cwnd = 2 x max
 * bandwidth x min RTT, the max over some ten round trips, so that an
 * interval whose acks came late, a vCPU descheduled, does not shrink it).
 * An interval in which the sender ran dry or went back shows what was
 * offered, not what the path takes: it may raise the figures but not
 * lower them, and it is no bound for the rate.
 */
void ee_rate_acked(struct ee_rate *r, u64 now, u32 frames)
{
	bool app = r->app_limited;
	u64 el, len, fps;

	if (r->state == EE_RATE_IDLE)
		return;
	if (!r->dr_started) {
		/* Intervals run from ack to ack: the first round trip,
		 * before any ack, would count as a slow path.
		 */
		r->dr_started = true;
		r->dr_start = now;
		r->dr_sent = 0;
		r->dr_sent_bytes = 0;
		return;
	}
	r->dr_acked += frames;
	if (r->dr_acked > EE_RATE_DR_FRAMES)
		r->dr_acked = EE_RATE_DR_FRAMES;
	ee_rate_aggregation(r, now, frames);
	len = ee_rate_max64(r->last_rtt_ns, r->base_rtt_ns);
	if (!r->have_base || now < r->dr_start)
		return;
	el = now - r->dr_start;
	if (!el || el < len)
		return;
	fps = ee_rate_clamp(ee_div64((u64)r->dr_acked * EE_RATE_NS, el), 0,
			    EE_RATE_DR_FPS);
	if (r->dr_sent)
		r->dr_frame = ee_rate_clamp(ee_div64(r->dr_sent_bytes,
						     r->dr_sent),
					    0, EE_RATE_DR_FRAME);
	r->dr_start = now;
	r->dr_acked = 0;
	r->dr_sent = 0;
	r->dr_sent_bytes = 0;
	r->app_limited = false;
	r->st.bdp_samples++;
	r->fps = app ? 0 : fps;
	/* a burst is remembered for EE_RATE_DR_HIST intervals, no longer */
	r->agg_hist[r->agg_idx++ % EE_RATE_DR_HIST] = r->agg_max;
	r->agg_max = 0;
	r->agg_start = now;
	r->agg_acked = 0;
	if (!app || !r->have_bdp || fps > ee_rate_fps_max(r))
		r->fps_hist[r->dr_idx++ % EE_RATE_DR_HIST] = fps;
	r->have_bdp = true;
	ee_rate_set_window(r);
}

/* Bytes per second delivered at @fps frames per second of the last
 * interval's mean frame.
 */
static u64 ee_rate_bytes(const struct ee_rate *r, u64 fps)
{
	return fps * r->dr_frame;
}

/* One decision per interval, taken on the smallest RTT sample of the
 * interval (Copa's standing RTT): jitter that delays some frames but not
 * all is not mistaken for a queue.  An interval collects samples for
 * half a standing RTT, and only samples of frames sent after the last
 * decision: the older ones cannot show its effect.
 */
static void ee_rate_decide(struct ee_rate *r, u64 now)
{
	const struct ee_rate_cfg *c = &r->cfg;
	u64 standing = r->ival_min;
	u64 target, mdf, step, rate, dr;

	/* A frame waits for its own transmission at the bottleneck: at
	 * the current rate that is no congestion (it dominates at low
	 * rates, where one frame takes longer than target_ns).
	 */
	target = ee_rate_target_rtt(r) +
		 ee_div64(r->frame_avg * EE_RATE_NS, r->rate);

	r->standing_ns = standing;
	r->have_ival = false;
	r->ival_start = now;
	if (standing <= target) {
		/* Additive increase; hyper increase after hai_after in a
		 * row, but by no more than an eighth of the rate: TIMELY's
		 * step suits 10 Gb/s, ours also run at a few MB/s.  And to no
		 * more than win_gain times the most the path delivered
		 * lately while the sender was busy, as the window: the
		 * probes' rate (a window per base RTT) comes down to it at
		 * once, and the rate may double each round trip, as the
		 * window may (BBR's start-up gain).
		 */
		step = c->ai;
		if (r->inc_run >= c->hai_after)
			step *= c->hai_mult;
		if (step > (r->rate >> 3))
			step = r->rate >> 3;
		if (!step)
			step = 1;
		r->rate += step;
		dr = ee_rate_bytes(r, ee_rate_fps_max(r));
		dr = (dr * c->win_gain) >> 10;
		if (dr && r->rate > dr)
			r->rate = dr;
		r->inc_run++;
		r->st.increases++;
	} else {
		/* Swift: 1 - max(beta * (rtt - target) / rtt, max_mdf) */
		mdf = ee_div64((u64)c->beta * (standing - target), standing);
		if (mdf > c->max_mdf)
			mdf = c->max_mdf;
		rate = r->rate - ((r->rate * mdf) >> 10);
		/* Bounded by the most the path delivered lately while the
		 * sender was busy: pacing faster only feeds the queue, and
		 * much slower only idles the bottleneck once the queue has
		 * drained (the samples lag the rate by the queue they
		 * measure).  The max, not the last interval: one in which
		 * the peer or our vCPU stalled would drag the rate down.
		 */
		dr = ee_rate_bytes(r, ee_rate_fps_max(r));
		if (dr)
			rate = ee_rate_clamp(rate, dr - (dr >> 3), dr);
		if (rate < r->rate)
			r->rate = rate;
		r->inc_run = 0;
		r->st.decreases++;
	}
	r->rate = ee_rate_clamp(r->rate, c->rate_min, c->rate_max);
}

void ee_rate_rtt(struct ee_rate *r, u64 now, u64 rtt_ns)
{
	u64 rtt = ee_rate_clamp(rtt_ns, 0, EE_RATE_MAX_RTT);

	if (r->state == EE_RATE_IDLE)
		return;
	r->st.samples++;
	r->last_rtt_ns = rtt;
	if (!r->have_base || rtt < r->base_rtt_ns) {
		r->base_rtt_ns = rtt;
		r->have_base = true;
	}
	if (r->state == EE_RATE_PROBE) {
		if (++r->probe_samples >= r->cfg.probes)
			ee_rate_run(r, now);
		return;
	}
	/* sent before the last decision: no news of it */
	if (now < rtt || now - rtt < r->ival_start)
		return;
	if (!r->have_ival) {
		r->ival_min = rtt;
		r->ival_first = now;
		r->have_ival = true;
	} else if (rtt < r->ival_min) {
		r->ival_min = rtt;
	}
	if (now - r->ival_first >= r->ival_min >> 1)
		ee_rate_decide(r, now);
}

u64 ee_rate_gap(const struct ee_rate *r, u32 len)
{
	return ee_div64(((u64)len + r->cfg.overhead) * EE_RATE_NS, r->rate);
}

void ee_rate_sent(struct ee_rate *r, u64 now, u32 len)
{
	u64 credit = ee_div64((u64)r->cfg.burst * EE_RATE_NS, r->rate);
	u64 floor = now > credit ? now - credit : 0;
	u64 wire;

	if (r->next_ns < floor)
		r->next_ns = floor;
	r->next_ns += ee_rate_gap(r, len);
	/* mean bytes on the wire per frame, 7/8 old + 1/8 new */
	wire = ee_rate_clamp((u64)len + r->cfg.overhead, 1, EE_RATE_MAX_BYTES);
	if (r->dr_sent < EE_RATE_DR_FRAMES) {
		r->dr_sent++;
		r->dr_sent_bytes += wire;
	}
	if (!r->frame_avg)
		r->frame_avg = wire;
	else
		r->frame_avg = r->frame_avg - (r->frame_avg >> 3) + (wire >> 3);
	r->st.frames++;
	r->st.bytes += len;
}
