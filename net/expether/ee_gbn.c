// SPDX-License-Identifier: GPL-2.0
/*
 * expether reliable transport: Go-Back-N sender and receiver for one peer,
 * both directions.  Documentation/expether/transport.rst describes the
 * rules; this file is their one implementation, shared by expether.ko,
 * eebox, the unit tests and the fuzzers.
 *
 * No I/O, clock, allocation or locking here: every function is O(1)
 * and may run in any context, interrupts off included, under the
 * caller's lock.
 */
#include "ee_types.h"
#include "ee_codec.h"
#include "ee_gbn.h"

/* RFC 6298: clock granularity G; our timestamps count microseconds. */
#define EE_GBN_G_NS		1000ULL
/* A frame echoing one of our timestamps older than the connection is
 * stale.  The check covers the first 2^30 us (about 18 minutes) of a
 * connection, well inside the 2^31 us range serial comparison allows.
 */
#define EE_GBN_TS_GUARD		0x40000000u
/* RTT samples longer than this (us) are ignored as nonsense. */
#define EE_GBN_TS_MAX_RTT	0x40000000u
/* An echo this far (us) ahead of the clock the caller passes is still
 * believed: the caller may have read it a little before our last send.
 */
#define EE_GBN_TS_SLACK		1000u

static u32 ee_gbn_ts(u64 now)
{
	return (u32)ee_div64(now, 1000);
}

/* lowbias32 (C. Wellons, "Prospecting for Hash Functions", 2018): a
 * bijective 32-bit mixer.  Not cryptographic: it only spreads the
 * sequence spaces of different connections over the 2^32 numbers.
 */
static u32 ee_gbn_mix(u32 x)
{
	x ^= x >> 16;
	x *= 0x7feb352du;
	x ^= x >> 15;
	x *= 0x846ca68bu;
	x ^= x >> 16;
	return x;
}

/* The inverse of ee_gbn_mix(): each step undone in reverse order (the
 * multipliers are the inverses of the mixer's modulo 2^32).
 */
static u32 ee_gbn_unmix(u32 x)
{
	x ^= x >> 16;
	x *= 0x43021123u;
	x ^= (x >> 15) ^ (x >> 30);
	x *= 0x1d69e2a5u;
	x ^= x >> 16;
	return x;
}

/* The part of an ISN that does not depend on the generation. */
static u32 ee_gbn_isn_inner(u32 sender_epoch, u32 receiver_epoch)
{
	return ee_gbn_mix(ee_gbn_mix(sender_epoch) ^ receiver_epoch);
}

u32 ee_gbn_isn(u32 sender_epoch, u32 receiver_epoch, u32 gen)
{
	return ee_gbn_mix(ee_gbn_isn_inner(sender_epoch, receiver_epoch) ^
			  gen);
}

u32 ee_gbn_isn_gen(u32 sender_epoch, u32 receiver_epoch, u32 isn)
{
	return ee_gbn_unmix(isn) ^
	       ee_gbn_isn_inner(sender_epoch, receiver_epoch);
}

void ee_gbn_cfg_default(struct ee_gbn_cfg *cfg)
{
	cfg->window = EE_GBN_DEF_WINDOW;
	cfg->max_timeouts = EE_GBN_DEF_MAX_TIMEOUTS;
	cfg->ack_every = EE_GBN_DEF_ACK_EVERY;
	cfg->dupthresh = EE_GBN_DEF_DUPTHRESH;
	cfg->rto_init_ns = EE_GBN_DEF_RTO_INIT;
	cfg->rto_min_ns = EE_GBN_DEF_RTO_MIN;
	cfg->rto_max_ns = EE_GBN_DEF_RTO_MAX;
	cfg->ack_delay_ns = EE_GBN_DEF_ACK_DELAY;
	cfg->ack_delay_max_ns = EE_GBN_DEF_ACK_DELAY_MAX;
}

static u64 ee_gbn_clamp(u64 v, u64 lo, u64 hi)
{
	if (v < lo)
		return lo;
	if (v > hi)
		return hi;
	return v;
}

void ee_gbn_init(struct ee_gbn *g, const struct ee_gbn_cfg *cfg)
{
	struct ee_gbn_cfg *c = &g->cfg;

	memset(g, 0, sizeof(*g));
	*c = *cfg;
	c->window = (u32)ee_gbn_clamp(c->window, 1, EE_GBN_MAX_WINDOW);
	if (!c->max_timeouts)
		c->max_timeouts = 1;
	if (!c->ack_every)
		c->ack_every = 1;
	/* Bounds keep every sum and doubling below far from overflow. */
	c->rto_min_ns = ee_gbn_clamp(c->rto_min_ns, EE_GBN_G_NS,
				     3600000000000ULL);
	c->rto_max_ns = ee_gbn_clamp(c->rto_max_ns, c->rto_min_ns,
				     3600000000000ULL);
	c->rto_init_ns = ee_gbn_clamp(c->rto_init_ns, c->rto_min_ns,
				      c->rto_max_ns);
	if (c->ack_delay_ns > c->rto_max_ns)
		c->ack_delay_ns = c->rto_max_ns;
	/* An interactive ack still comes well before the peer's RTO. */
	c->ack_delay_max_ns = ee_gbn_clamp(c->ack_delay_max_ns,
					   c->ack_delay_ns,
					   c->ack_delay_ns > c->rto_min_ns / 4 ?
					   c->ack_delay_ns : c->rto_min_ns / 4);
	g->state = EE_GBN_CLOSED;
	g->rto_ns = c->rto_init_ns;
}

/* RFC 6298 (2.3): RTO = SRTT + max(G, K * RTTVAR), K = 4, clamped. */
static u64 ee_gbn_rto_calc(const struct ee_gbn *g)
{
	u64 var = g->rttvar_ns << 2;

	if (var < EE_GBN_G_NS)
		var = EE_GBN_G_NS;
	return ee_gbn_clamp(g->srtt_ns + var, g->cfg.rto_min_ns,
			    g->cfg.rto_max_ns);
}

/* The RTO before any backoff: from the path's RTT once there is a
 * sample (a new connection on the same path keeps it), else rto_init.
 */
static u64 ee_gbn_rto_base(const struct ee_gbn *g)
{
	return g->have_rtt ? ee_gbn_rto_calc(g) : g->cfg.rto_init_ns;
}

/* Start connection generation @gen between the current epochs. */
static void ee_gbn_open(struct ee_gbn *g, u32 gen, u64 now)
{
	g->state = EE_GBN_OPEN;
	g->gen = gen;
	g->snd_isn = ee_gbn_isn(g->local_epoch, g->peer_epoch, gen);
	g->snd_una = g->snd_isn;
	g->snd_nxt = g->snd_isn;
	g->snd_rtx = g->snd_isn;
	g->recover = g->snd_isn - 1;	/* no go-back at this una yet */
	g->rcv_isn = ee_gbn_isn(g->peer_epoch, g->local_epoch, gen);
	g->rcv_nxt = g->rcv_isn;
	g->rcv_count = 0;
	g->rx_synced = false;
	g->syn_acked = false;
	g->timing = false;
	g->rto_armed = false;
	g->ack_owed = false;
	g->probe_owed = false;
	g->ts_recent_ok = false;
	g->ooo_owed = false;
	g->rto_probe = false;
	g->piggy = 0;
	g->rx_answer = false;
	g->dupacks = 0;
	g->backoffs = 0;
	g->unacked = 0;
	g->ts_base = ee_gbn_ts(now);
	/* The path is the same: keep what was learnt of its RTT. */
	g->rto_ns = ee_gbn_rto_base(g);
	g->st.resets++;
}

void ee_gbn_reset(struct ee_gbn *g, u32 local_epoch, u32 peer_epoch,
		  u64 now)
{
	g->local_epoch = local_epoch;
	g->peer_epoch = peer_epoch;
	ee_gbn_open(g, 0, now);
}

void ee_gbn_restart(struct ee_gbn *g, u64 now)
{
	/* Closed and never opened: no epochs to restart between. */
	if (g->state == EE_GBN_CLOSED && !g->st.resets)
		return;
	ee_gbn_open(g, g->gen + 1, now);
}

void ee_gbn_close(struct ee_gbn *g)
{
	g->state = EE_GBN_CLOSED;
	g->rto_armed = false;
	g->ack_owed = false;
	g->probe_owed = false;
	g->snd_una = g->snd_nxt;
	g->snd_rtx = g->snd_nxt;
}

u64 ee_gbn_dead_bound(const struct ee_gbn *g)
{
	u64 rto = ee_gbn_rto_base(g);
	u64 sum = 0;
	u32 i;

	if (g->rto_ns > rto)
		rto = g->rto_ns;
	for (i = 0; i < g->cfg.max_timeouts; i++) {
		sum += rto;
		rto = ee_gbn_clamp(rto << 1, 0, g->cfg.rto_max_ns);
	}
	return sum;
}

/* ---- Transmit -------------------------------------------------------- */

static void ee_gbn_arm(struct ee_gbn *g, u64 now)
{
	g->rto_armed = true;
	g->rto_deadline = now + g->rto_ns;
}

/* Every frame we send carries our cumulative ack and timestamps. */
static void ee_gbn_fill(struct ee_gbn *g, u64 now, struct ee_hdr *h,
			u16 flags)
{
	h->version = EXPETHER_VERSION;
	h->flags = flags | EXPETHER_F_ACK | EXPETHER_F_TS;
	h->ack = g->rcv_nxt;
	h->tsval = ee_gbn_ts(now);
	h->tsecr = 0;
	if (g->ooo_owed) {
		/* Gap evidence for the peer: see ee_gbn_rx_ack(). */
		h->flags |= EXPETHER_F_TSECR;
		h->tsecr = g->ooo_ts;
		g->ooo_owed = false;
	} else if (g->ts_recent_ok) {
		h->flags |= EXPETHER_F_TSECR;
		h->tsecr = g->ts_recent;
	}
	/* A probe echo can only go in an ACK frame: it stays owed. */
	g->ack_owed = g->probe_owed;
	g->unacked = 0;
}

/* A data frame leaves within ack_delay_max of the last delivery: this end
 * answers promptly (a completion for a request, the next request after a
 * completion), so that its acks may wait that long for such a frame to
 * carry them (ee_gbn_owe_ack()): Linux's delayed acks in "pingpong" mode,
 * entered when data is sent within the ack timeout of a receive.
 */
static void ee_gbn_answer(struct ee_gbn *g, u64 now)
{
	if (!g->rx_answer)
		return;
	g->rx_answer = false;
	if (now - g->rx_last_ns <= g->cfg.ack_delay_max_ns && g->piggy < 0xff)
		g->piggy++;
}

static u16 ee_gbn_seq_flags(const struct ee_gbn *g, u32 seq)
{
	if (seq == g->snd_isn && !g->syn_acked)
		return EXPETHER_F_SEQ | EXPETHER_F_SYN;
	return EXPETHER_F_SEQ;
}

bool ee_gbn_can_send(const struct ee_gbn *g)
{
	return g->state == EE_GBN_OPEN && g->snd_rtx == g->snd_nxt &&
	       ee_gbn_in_flight(g) < ee_gbn_window(g);
}

void ee_gbn_set_window(struct ee_gbn *g, u32 frames)
{
	g->cwnd = frames;
}

int ee_gbn_tx_new(struct ee_gbn *g, u64 now, struct ee_hdr *h)
{
	u32 seq = g->snd_nxt;

	if (g->state != EE_GBN_OPEN)
		return -EE_GBN_ESTATE;
	if (g->snd_rtx != g->snd_nxt)
		return -EE_GBN_ERTX;
	if (ee_gbn_in_flight(g) >= ee_gbn_window(g))
		return -EE_GBN_EWINDOW;
	ee_gbn_answer(g, now);
	ee_gbn_fill(g, now, h, ee_gbn_seq_flags(g, seq));
	h->seq = seq;
	g->sent_ts[seq % EE_GBN_MAX_WINDOW] = h->tsval;
	g->snd_nxt = seq + 1;
	g->snd_rtx = g->snd_nxt;
	g->st.tx_frames++;
	g->st.tx_bytes += h->length;
	if (!g->timing) {
		g->timing = true;
		g->rtt_seq = seq;
		g->rtt_start_ns = now;
	}
	if (!g->rto_armed)
		ee_gbn_arm(g, now);
	return 0;
}

/* Whether @seq may be resent now: after a timeout only snd_una. */
static bool ee_gbn_rtx_allowed(const struct ee_gbn *g, u32 seq)
{
	return !g->rto_probe || seq == g->snd_una;
}

bool ee_gbn_rtx_pending(const struct ee_gbn *g, u32 *seq)
{
	if (g->state != EE_GBN_OPEN || g->snd_rtx == g->snd_nxt ||
	    !ee_gbn_rtx_allowed(g, g->snd_rtx))
		return false;
	*seq = g->snd_rtx;
	return true;
}

bool ee_gbn_tx_rtx(struct ee_gbn *g, u64 now, struct ee_hdr *h)
{
	u32 seq = g->snd_rtx;

	if (g->state != EE_GBN_OPEN || seq == g->snd_nxt ||
	    !ee_gbn_rtx_allowed(g, seq))
		return false;
	ee_gbn_answer(g, now);
	ee_gbn_fill(g, now, h, ee_gbn_seq_flags(g, seq));
	h->seq = seq;
	g->sent_ts[seq % EE_GBN_MAX_WINDOW] = h->tsval;
	g->snd_rtx = seq + 1;
	/* Karn: an ack of a retransmitted frame is ambiguous */
	if (g->timing && seq == g->rtt_seq)
		g->timing = false;
	g->st.rtx_frames++;
	g->st.rtx_bytes += h->length;
	if (!g->rto_armed)
		ee_gbn_arm(g, now);
	return true;
}

void ee_gbn_tx_ack(struct ee_gbn *g, u64 now, struct ee_hdr *h)
{
	bool probe = g->probe_owed;
	bool ooo = g->ooo_owed;

	h->type = EXPETHER_FT_ACK;
	h->length = 0;
	h->seq = 0;
	g->probe_owed = false;
	/* Interactive, yet a frame of its own pays the ack: no data came
	 * within ack_delay_max (or an ack was due at once: a stream, a
	 * gap).  Back to ack_delay.  Not for a probe's echo.
	 */
	if (!probe && g->piggy >= EE_GBN_PINGPONG)
		g->piggy = 0;
	ee_gbn_fill(g, now, h, 0);
	if (probe) {
		/* The echo takes tsecr: gap evidence waits for the next. */
		h->flags |= EXPETHER_F_PROBE | EXPETHER_F_TSECR;
		h->tsecr = g->probe_ts;
		if (ooo) {
			g->ooo_owed = true;
			g->ack_owed = true;
		}
	}
	g->st.tx_acks++;
}

void ee_gbn_tx_probe(struct ee_gbn *g, u64 now, struct ee_hdr *h)
{
	bool ooo = g->ooo_owed;

	h->type = EXPETHER_FT_ACK;
	h->length = 0;
	h->seq = 0;
	ee_gbn_fill(g, now, h, EXPETHER_F_PROBE);
	/* No echo in a probe: a PROBE frame with F_TSECR is an answer. */
	g->ooo_owed = ooo;
	h->flags &= (u16)~EXPETHER_F_TSECR;
	h->tsecr = 0;
	g->st.tx_probes++;
}

/* ---- Receive --------------------------------------------------------- */

/* Whether @h may belong to the current connection as far as its echoed
 * timestamp tells: it must echo one of our timestamps from this
 * connection, not from before it opened (a stale frame) nor from the
 * future (garbage).  Frames without F_TSECR pass.
 */
static bool ee_gbn_fresh(const struct ee_gbn *g, u32 now_ts,
			 const struct ee_hdr *h)
{
	if (!(h->flags & EXPETHER_F_TSECR))
		return true;
	if ((u32)(now_ts - g->ts_base) >= EE_GBN_TS_GUARD)
		return true;
	return ee_seq_le(g->ts_base, h->tsecr) &&
	       ee_seq_le(h->tsecr, now_ts + EE_GBN_TS_SLACK);
}

static void ee_gbn_rtt_sample(struct ee_gbn *g, u64 r,
			      struct ee_gbn_rx_info *ri)
{
	u64 err;

	if (!g->have_rtt) {
		/* RFC 6298 (2.2) */
		g->srtt_ns = r;
		g->rttvar_ns = r >> 1;
		g->have_rtt = true;
	} else {
		/* RFC 6298 (2.3): beta = 1/4, alpha = 1/8 */
		err = g->srtt_ns > r ? g->srtt_ns - r : r - g->srtt_ns;
		g->rttvar_ns = g->rttvar_ns - (g->rttvar_ns >> 2) + (err >> 2);
		g->srtt_ns = g->srtt_ns - (g->srtt_ns >> 3) + (r >> 3);
	}
	g->rto_ns = ee_gbn_rto_calc(g);
	g->st.rtt_samples++;
	g->st.rtt_last_ns = r;
	if (!g->st.rtt_min_ns || r < g->st.rtt_min_ns)
		g->st.rtt_min_ns = r;
	ri->rtt_ns = r;
	ri->events |= EE_GBN_EV_RTT;
}

/* An RTT sample from an echoed timestamp (already found fresh). */
static void ee_gbn_ts_sample(struct ee_gbn *g, u32 now_ts,
			     const struct ee_hdr *h, struct ee_gbn_rx_info *ri)
{
	u32 d = now_ts - h->tsecr;

	if (d < EE_GBN_TS_MAX_RTT)
		ee_gbn_rtt_sample(g, (u64)d * 1000, ri);
}

/* Go back: resend everything from the oldest unacknowledged frame.  Its
 * copy is as good as sent now: only frames sent later prove it lost.
 */
static void ee_gbn_go_back(struct ee_gbn *g, u64 now)
{
	g->snd_rtx = g->snd_una;
	g->recover = g->snd_una;
	g->dupacks = 0;
	g->sent_ts[g->snd_una % EE_GBN_MAX_WINDOW] = ee_gbn_ts(now);
}

/* Go back and resend the oldest frame alone until an ack shows what the
 * peer holds (RFC 5681 3.1: a window of one after a timeout), under a
 * fresh RTO.
 */
static void ee_gbn_probe_oldest(struct ee_gbn *g, u64 now)
{
	ee_gbn_go_back(g, now);
	g->rto_probe = true;
	ee_gbn_arm(g, now);
}

static u32 ee_gbn_sent_ts(const struct ee_gbn *g, u32 seq)
{
	return g->sent_ts[seq % EE_GBN_MAX_WINDOW];
}

/* Evidence that the oldest unacked frame is lost: an ack that does not
 * cover it, from a peer that received a frame we sent after (or in the
 * same microsecond as) our latest copy of it: the peer echoes the newest
 * frame it received out of order (ee_gbn_fill()), and the oldest its ack
 * covers otherwise.
 * Without timestamps, a pure duplicate ack, counted once per una: the
 * duplicates of the ack that caused the last go-back come from frames
 * sent before it.  dupthresh pieces of evidence go back.
 */
static void ee_gbn_gap(struct ee_gbn *g, u64 now, const struct ee_hdr *h,
		       struct ee_gbn_rx_info *ri)
{
	if (g->snd_una == g->snd_nxt || (h->flags & EXPETHER_F_PROBE))
		return;
	if (h->flags & EXPETHER_F_TSECR) {
		if (!ee_seq_le(ee_gbn_sent_ts(g, g->snd_una), h->tsecr))
			return;
		/* An echo from the microsecond in which the frame before
		 * snd_una left (a burst leaves in one) may be that frame's,
		 * an in-order echo.  The peer's data frames repeat such an
		 * ack, each of them; a pure ACK that does not move snd_una
		 * is sent for an out-of-order frame, or for a duplicate.
		 * (The send time of snd_una - 1 is kept until
		 * snd_una + EE_GBN_MAX_WINDOW - 1 is sent.)
		 */
		if (h->type != EXPETHER_FT_ACK && g->snd_una != g->snd_isn &&
		    ee_gbn_in_flight(g) < EE_GBN_MAX_WINDOW &&
		    !ee_seq_lt(ee_gbn_sent_ts(g, g->snd_una - 1), h->tsecr))
			return;
	} else if (h->type != EXPETHER_FT_ACK || g->snd_una == g->recover) {
		return;
	}
	g->st.rx_dupacks++;
	if (++g->dupacks == g->cfg.dupthresh) {
		ee_gbn_go_back(g, now);
		g->rto_probe = false;
		g->st.fast_rtx++;
		ri->events |= EE_GBN_EV_RESEND;
	}
}

static void ee_gbn_rx_ack(struct ee_gbn *g, u64 now, u32 now_ts,
			  const struct ee_hdr *h, struct ee_gbn_rx_info *ri)
{
	u32 acked = h->ack - g->snd_una;
	u32 last = h->ack - 1;

	if (!(h->flags & EXPETHER_F_ACK))
		return;
	if (acked > ee_gbn_in_flight(g)) {
		g->st.rx_bad_acks++;
		return;
	}
	if (!acked) {
		ee_gbn_gap(g, now, h, ri);
		return;
	}
	g->snd_una = h->ack;
	g->syn_acked = true;
	/* The peer answered: resend what it still lacks, all of it. */
	g->rto_probe = false;
	if (ee_seq_lt(g->snd_rtx, g->snd_una))
		g->snd_rtx = g->snd_una;
	g->backoffs = 0;
	g->dupacks = 0;
	ri->events |= EE_GBN_EV_ACKED;
	ri->acked = acked;
	ri->una = g->snd_una;
	if (h->flags & EXPETHER_F_TSECR) {
		/* An echo newer than the frames acked is no RTT sample of
		 * theirs, but may show a gap at the new una.
		 */
		if (ee_seq_le(h->tsecr, ee_gbn_sent_ts(g, last)))
			ee_gbn_ts_sample(g, now_ts, h, ri);
		else
			ee_gbn_gap(g, now, h, ri);
	} else if (g->timing && ee_seq_lt(g->rtt_seq, g->snd_una)) {
		ee_gbn_rtt_sample(g, now - g->rtt_start_ns, ri);
	}
	if (g->timing && ee_seq_lt(g->rtt_seq, g->snd_una))
		g->timing = false;
	/* RFC 6298 (5.2, 5.3) */
	if (g->snd_una == g->snd_nxt)
		g->rto_armed = false;
	else
		ee_gbn_arm(g, now);
}

/* Classify a sequenced frame.  May open a new generation (the peer's
 * SYN says it restarted the connection).
 */
static int ee_gbn_rx_seq(struct ee_gbn *g, u64 now, const struct ee_hdr *h,
			 struct ee_gbn_rx_info *ri)
{
	bool syn = h->flags & EXPETHER_F_SYN;
	u32 seq = h->seq;
	u32 ahead, behind, k;

	if (syn && g->state == EE_GBN_OPEN && seq == g->rcv_isn &&
	    !g->rx_synced) {
		g->rx_synced = true;
		return EE_GBN_DELIVER;
	}
	if (syn && !(g->state == EE_GBN_OPEN && seq == g->rcv_isn)) {
		/* Which generation's ISN is it?  The peer's restart if it
		 * is one of the next EE_GBN_GEN_AHEAD.
		 */
		k = ee_gbn_isn_gen(g->peer_epoch, g->local_epoch, seq) - g->gen;
		if (k >= 1 && k <= EE_GBN_GEN_AHEAD) {
			ee_gbn_open(g, g->gen + k, now);
			g->rx_synced = true;
			g->st.peer_restarts++;
			ri->events |= EE_GBN_EV_RESTART;
			ri->una = g->snd_una;
			return EE_GBN_DELIVER;
		}
	}
	if (g->state != EE_GBN_OPEN) {
		g->st.rx_ignored++;
		return EE_GBN_IGNORE;
	}
	if (seq == g->rcv_nxt) {
		/* Before the SYN, or a SYN where none can be: stale. */
		if (g->rx_synced && !syn)
			return EE_GBN_DELIVER;
		g->st.rx_stale++;
		return EE_GBN_STALE;
	}
	ahead = seq - g->rcv_nxt;
	if (ahead < EE_GBN_MAX_WINDOW && !syn)
		return EE_GBN_OOO;
	behind = g->rcv_nxt - seq;
	if (behind <= EE_GBN_MAX_WINDOW && behind <= g->rcv_count &&
	    (!syn || seq == g->rcv_isn))
		return EE_GBN_DUP;
	g->st.rx_stale++;
	return EE_GBN_STALE;
}

static void ee_gbn_ts_update(struct ee_gbn *g, const struct ee_hdr *h,
			     bool force)
{
	if (!(h->flags & EXPETHER_F_TS))
		return;
	if (force || !g->ts_recent_ok || ee_seq_lt(g->ts_recent, h->tsval)) {
		g->ts_recent = h->tsval;
		g->ts_recent_ok = true;
	}
}

/* An ack is owed: at once, or after the ack delay, longer when this end
 * has been answering promptly (its next data frame will carry the ack).
 */
static void ee_gbn_owe_ack(struct ee_gbn *g, u64 now, bool at_once)
{
	u64 t = now;

	if (!at_once)
		t += g->piggy >= EE_GBN_PINGPONG ? g->cfg.ack_delay_max_ns :
						   g->cfg.ack_delay_ns;
	if (!g->ack_owed || t < g->ack_deadline)
		g->ack_deadline = t;
	g->ack_owed = true;
}

int ee_gbn_rx(struct ee_gbn *g, u64 now, const struct ee_hdr *h,
	      struct ee_gbn_rx_info *ri)
{
	u32 now_ts = ee_gbn_ts(now);
	int v;

	ri->events = 0;
	ri->acked = 0;
	ri->una = g->snd_una;
	ri->rtt_ns = 0;
	if (h->type != EXPETHER_FT_TLP && h->type != EXPETHER_FT_ACK)
		return EE_GBN_IGNORE;
	if (g->state == EE_GBN_CLOSED) {
		g->st.rx_ignored++;
		return EE_GBN_IGNORE;
	}
	if (h->type == EXPETHER_FT_TLP && !(h->flags & EXPETHER_F_SEQ)) {
		g->st.rx_unseq++;
		return EE_GBN_UNSEQ;
	}
	if (!ee_gbn_fresh(g, now_ts, h)) {
		g->st.rx_stale++;
		return EE_GBN_STALE;
	}
	if (h->type == EXPETHER_FT_TLP) {
		v = ee_gbn_rx_seq(g, now, h, ri);
		if (v == EE_GBN_STALE || v == EE_GBN_IGNORE)
			return v;
	} else {
		if (g->state != EE_GBN_OPEN) {
			g->st.rx_ignored++;
			return EE_GBN_IGNORE;
		}
		g->st.rx_acks++;
		v = EE_GBN_ACKONLY;
	}

	ee_gbn_rx_ack(g, now, now_ts, h, ri);

	switch (v) {
	case EE_GBN_DELIVER:
		g->ooo_owed = false;	/* the gap is closing */
		g->rcv_nxt++;
		g->rcv_count++;
		g->st.rx_frames++;
		g->st.rx_bytes += h->length;
		/* RFC 7323 (4.3): echo the oldest frame our ack covers. */
		if (!g->unacked)
			ee_gbn_ts_update(g, h, true);
		g->rx_answer = true;
		g->rx_last_ns = now;
		ee_gbn_owe_ack(g, now, ++g->unacked >= g->cfg.ack_every);
		break;
	case EE_GBN_DUP:
		/* Re-ack, delayed: the peer already knows unless our ack
		 * was lost.  Unlike RFC 7323 the duplicate's tsval is not
		 * echoed: a retransmission is as new as the frames that
		 * prove a gap, so its echo would pass for evidence.
		 */
		g->st.rx_dup++;
		ee_gbn_owe_ack(g, now, false);
		break;
	case EE_GBN_OOO:
		/* Re-ack at once, echoing the newest frame past the gap. */
		g->st.rx_ooo++;
		if ((h->flags & EXPETHER_F_TS) &&
		    (!g->ooo_owed || ee_seq_lt(g->ooo_ts, h->tsval))) {
			g->ooo_ts = h->tsval;
			g->ooo_owed = true;
		}
		ee_gbn_owe_ack(g, now, true);
		break;
	default:	/* EE_GBN_ACKONLY */
		if (!(h->flags & EXPETHER_F_PROBE)) {
			if ((h->flags & EXPETHER_F_TSECR) && !g->unacked)
				ee_gbn_ts_update(g, h, false);
		} else if (h->flags & EXPETHER_F_TSECR) {
			g->st.rx_probe_echoes++;
			if (!(ri->events & EE_GBN_EV_RTT))
				ee_gbn_ts_sample(g, now_ts, h, ri);
		} else if (h->flags & EXPETHER_F_TS) {
			g->st.rx_probes++;
			g->probe_ts = h->tsval;
			g->probe_owed = true;
			ee_gbn_owe_ack(g, now, true);
		}
		break;
	}
	if (ee_gbn_ack_due(g, now))
		ri->events |= EE_GBN_EV_ACK_NOW;
	return v;
}

/* ---- Timers ---------------------------------------------------------- */

u64 ee_gbn_deadline(const struct ee_gbn *g)
{
	u64 d = EE_GBN_NEVER;

	if (g->state != EE_GBN_OPEN)
		return d;
	if (g->ack_owed)
		d = g->ack_deadline;
	if (g->rto_armed && g->rto_deadline < d)
		d = g->rto_deadline;
	return d;
}

u32 ee_gbn_timer(struct ee_gbn *g, u64 now)
{
	u32 ev = 0;

	if (g->state != EE_GBN_OPEN)
		return 0;
	if (ee_gbn_ack_due(g, now))
		ev |= EE_GBN_EV_ACK_NOW;
	if (!g->rto_armed || now < g->rto_deadline)
		return ev;
	g->st.timeouts++;
	if (++g->backoffs >= g->cfg.max_timeouts) {
		g->dead_una = g->snd_una;
		ee_gbn_close(g);
		g->state = EE_GBN_DEAD;
		g->st.deaths++;
		return EE_GBN_EV_DEAD;
	}
	/* RFC 6298 (5.5, 5.6): back off, restart the timer, go back. */
	g->rto_ns = ee_gbn_clamp(g->rto_ns << 1, 0, g->cfg.rto_max_ns);
	/* Resend the oldest frame only (RFC 5681 3.1: a window of one after
	 * a timeout): if just acks were lost, its ack covers the window and
	 * nothing else is sent again.
	 */
	ee_gbn_probe_oldest(g, now);
	return ev | EE_GBN_EV_RESEND;
}

bool ee_gbn_revive(struct ee_gbn *g, u64 now)
{
	if (g->state != EE_GBN_DEAD)
		return false;
	g->state = EE_GBN_OPEN;
	g->snd_una = g->dead_una;
	g->backoffs = 0;
	g->dupacks = 0;
	g->timing = false;
	g->rto_ns = ee_gbn_rto_base(g);
	g->st.revives++;
	if (g->snd_una == g->snd_nxt)
		return true;
	/* As after a timeout: the oldest frame first, alone. */
	ee_gbn_probe_oldest(g, now);
	return true;
}
