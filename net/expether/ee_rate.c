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

/* One decision per interval, taken on the smallest RTT sample of the
 * interval (Copa's standing RTT): jitter that delays some frames but not
 * all is not mistaken for a queue.  An interval collects samples for
 * half a standing RTT, and only samples of frames sent after the last
 * decision: the older ones cannot show its effect.
 */
static void ee_rate_decide(struct ee_rate *r, u64 now)
{
	const struct ee_rate_cfg *c = &r->cfg;
	u64 base = r->base_rtt_ns;
	u64 standing = r->ival_min;
	u64 target, mdf, step;

	/* The burst the pacer allows queues up somewhere: its drain time
	 * at the current rate is no congestion (it dominates at low rates,
	 * where one frame takes longer than target_ns).
	 */
	target = base + c->target_ns + ((base * c->target_rel) >> 10) +
		 ee_div64((u64)c->burst * EE_RATE_NS, r->rate);

	r->standing_ns = standing;
	r->have_ival = false;
	r->ival_start = now;
	if (standing <= target) {
		/* Additive increase; hyper increase after hai_after in a
		 * row, but by no more than an eighth of the rate: TIMELY's
		 * step suits 10 Gb/s, ours also run at a few MB/s.
		 */
		step = c->ai;
		if (r->inc_run >= c->hai_after) {
			step *= c->hai_mult;
			if (step > (r->rate >> 3))
				step = r->rate >> 3;
			if (step < c->ai)
				step = c->ai;
		}
		r->rate += step;
		r->inc_run++;
		r->st.increases++;
	} else {
		/* Swift: 1 - max(beta * (rtt - target) / rtt, max_mdf) */
		mdf = ee_div64((u64)c->beta * (standing - target), standing);
		if (mdf > c->max_mdf)
			mdf = c->max_mdf;
		r->rate -= (r->rate * mdf) >> 10;
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

	if (r->next_ns < floor)
		r->next_ns = floor;
	r->next_ns += ee_rate_gap(r, len);
	r->st.frames++;
	r->st.bytes += len;
}
