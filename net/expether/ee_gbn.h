/* SPDX-License-Identifier: GPL-2.0 */
/*
 * expether reliable transport: Go-Back-N between two bridges, both
 * directions of one peer (Documentation/expether/transport.rst).
 *
 * Plain C shared by expether.ko, eebox, the unit tests and the fuzzers.
 * The protocol logic only: no I/O, no clock, no allocation, no locking.
 * The caller owns the frames (its retransmit buffer), reads the clock
 * (u64 nanoseconds, monotonic) and passes it in, runs the timers and
 * serializes every call made on one struct ee_gbn.
 */
#ifndef _EE_GBN_H
#define _EE_GBN_H

#include "ee_types.h"
#include "ee_codec.h"

/* Serial-number arithmetic on 32-bit sequence numbers and timestamps
 * (RFC 1982): a is before b when b - a, taken modulo 2^32, is in
 * 1..2^31 - 1.
 */
static inline bool ee_seq_lt(u32 a, u32 b)
{
	return a != b && (u32)(b - a) < 0x80000000u;
}

static inline bool ee_seq_le(u32 a, u32 b)
{
	return a == b || ee_seq_lt(a, b);
}

#define EE_GBN_NEVER		(~(u64)0)	/* no deadline */
#define EE_GBN_MAX_WINDOW	512	/* largest window a peer may use */
/* Generations a peer may be ahead: one per death and re-attach, so a
 * one-way outage of hours (the host still hears the box's DIFs, the box
 * hears nothing) before a peer could not follow.
 */
#define EE_GBN_GEN_AHEAD	65536u

/* Defaults; Documentation/expether/transport.rst says why. */
#define EE_GBN_DEF_WINDOW	64
#define EE_GBN_DEF_MAX_TIMEOUTS	8
#define EE_GBN_DEF_ACK_EVERY	4
#define EE_GBN_DEF_DUPTHRESH	3
#define EE_GBN_DEF_RTO_INIT	10000000ULL	/* 10 ms */
#define EE_GBN_DEF_RTO_MIN	1000000ULL	/* 1 ms */
#define EE_GBN_DEF_RTO_MAX	64000000ULL	/* 64 ms */
#define EE_GBN_DEF_ACK_DELAY	25000ULL	/* 25 us */
#define EE_GBN_DEF_ACK_DELAY_MAX 200000ULL	/* 200 us, interactive */
#define EE_GBN_PINGPONG		2	/* answers in a row: interactive */

struct ee_gbn_cfg {
	u32 window;		/* most frames in flight, 1..EE_GBN_MAX_WINDOW */
	u32 max_timeouts;	/* consecutive RTOs before the peer is dead */
	u32 ack_every;		/* ack at once after this many frames */
	u32 dupthresh;		/* duplicate acks that go back, 0: never */
	u64 rto_init_ns;	/* RTO before the first RTT sample */
	u64 rto_min_ns;
	u64 rto_max_ns;
	u64 ack_delay_ns;	/* longest an ack waits for a piggyback */
	u64 ack_delay_max_ns;	/* ... when we answer promptly (interactive) */
};

enum ee_gbn_state {
	EE_GBN_CLOSED,		/* no connection: ee_gbn_reset() opens one */
	EE_GBN_OPEN,
	EE_GBN_DEAD,		/* max_timeouts consecutive RTOs */
};

/* Counters, cumulative over the connections of one struct ee_gbn. */
struct ee_gbn_stats {
	u64 tx_frames;		/* new sequenced frames */
	u64 tx_bytes;		/* their payload bytes */
	u64 rtx_frames;		/* retransmissions */
	u64 rtx_bytes;
	u64 tx_acks;		/* pure ACK frames (probe echoes included) */
	u64 tx_probes;		/* probe requests */
	u64 rx_frames;		/* delivered in order */
	u64 rx_bytes;		/* their payload bytes */
	u64 rx_dup;		/* already delivered: dropped, re-acked */
	u64 rx_ooo;		/* ahead of the expected seq: dropped, re-acked */
	u64 rx_stale;		/* older connection or out of every window */
	u64 rx_unseq;		/* TLP frame without F_SEQ */
	u64 rx_ignored;		/* no open connection */
	u64 rx_acks;		/* pure ACK frames */
	u64 rx_bad_acks;	/* ack outside [una, nxt]: ignored */
	u64 rx_dupacks;		/* duplicate acks showing a gap */
	u64 rx_probes;		/* probe requests answered */
	u64 rx_probe_echoes;
	u64 timeouts;		/* RTO expiries */
	u64 fast_rtx;		/* go-backs on duplicate acks */
	u64 resets;		/* connections opened (any cause) */
	u64 peer_restarts;	/* ... because the peer restarted (SYN) */
	u64 deaths;
	u64 revives;		/* ... resumed by ee_gbn_revive() */
	u64 rtt_samples;
	u64 rtt_min_ns;		/* smallest sample, 0 before the first */
	u64 rtt_last_ns;
};

struct ee_gbn {
	struct ee_gbn_cfg cfg;
	u8 state;		/* enum ee_gbn_state */
	bool rx_synced;		/* the peer's SYN has been accepted */
	bool syn_acked;		/* our SYN has been acknowledged */
	bool have_rtt;		/* srtt/rttvar hold a sample */
	bool timing;		/* Karn: rtt_seq is being timed */
	bool rto_armed;
	bool ack_owed;
	bool probe_owed;	/* a probe echo is owed */
	bool ts_recent_ok;	/* ts_recent holds a peer tsval */
	bool ooo_owed;		/* the next ack echoes ooo_ts */
	bool rto_probe;		/* after an RTO: resend snd_una only */
	u32 local_epoch;
	u32 peer_epoch;
	u32 gen;		/* connection generation for these epochs */
	u32 cwnd;		/* frames allowed in flight now, 0: cfg.window */
	/* sender: [snd_una, snd_nxt) unacked, [snd_rtx, snd_nxt) to resend */
	u32 snd_isn;
	u32 snd_una;
	u32 snd_nxt;
	u32 snd_rtx;
	u32 recover;		/* snd_una at the last go-back */
	u32 dead_una;		/* snd_una when the peer was declared dead */
	u32 dupacks;
	u32 backoffs;		/* consecutive RTO expiries */
	u32 rtt_seq;		/* Karn timing without timestamps */
	u64 rtt_start_ns;
	u64 srtt_ns;
	u64 rttvar_ns;
	u64 rto_ns;		/* current RTO, backoff included */
	u64 rto_deadline;
	/* receiver */
	u32 rcv_isn;
	u32 rcv_nxt;
	u64 rcv_count;		/* frames delivered in this connection */
	u32 unacked;		/* delivered since our last ack */
	u8 piggy;		/* deliveries in a row we answered promptly */
	bool rx_answer;		/* the last delivery is not answered yet */
	u64 rx_last_ns;		/* when it came */
	u64 ack_deadline;
	u32 ts_recent;		/* tsval we echo */
	u32 probe_ts;		/* tsval of the probe we owe an echo */
	u32 ooo_ts;		/* newest tsval of out-of-order frames */
	u32 ts_base;		/* our tsval when this connection opened */
	struct ee_gbn_stats st;
	u32 sent_ts[EE_GBN_MAX_WINDOW];	/* our tsval, by seq % size */
};

/* ee_gbn_rx() verdicts: what to do with the frame's payload. */
enum ee_gbn_verdict {
	EE_GBN_DELIVER,		/* next in order: process the payload */
	EE_GBN_ACKONLY,		/* ACK frame, consumed (no payload) */
	EE_GBN_DUP,		/* already delivered: drop */
	EE_GBN_OOO,		/* out of order: drop */
	EE_GBN_STALE,		/* another connection's: drop */
	EE_GBN_UNSEQ,		/* TLP frame without F_SEQ: drop */
	EE_GBN_IGNORE,		/* no open connection, or not ours */
};

/* Events, from ee_gbn_rx() (ee_gbn_rx_info.events) and ee_gbn_timer().
 * EE_GBN_EV_RESTART: the peer opened a new connection, so every frame of
 * the old one is lost: drop the retransmit buffer and fail its waiters
 * before acting on the payload.
 */
#define EE_GBN_EV_RESTART	0x01	/* the peer opened a new connection */
#define EE_GBN_EV_ACKED		0x02	/* frames were acknowledged: free them */
#define EE_GBN_EV_ACK_NOW	0x04	/* an ack (or probe echo) is due now */
#define EE_GBN_EV_RESEND	0x08	/* go back: retransmissions pending */
#define EE_GBN_EV_RTT		0x10	/* rtt_ns holds a sample */
#define EE_GBN_EV_DEAD		0x20	/* the peer was just declared dead */

struct ee_gbn_rx_info {
	u32 events;		/* EE_GBN_EV_* */
	u32 acked;		/* frames acknowledged: [una - acked, una) */
	u32 una;		/* oldest unacknowledged seq after the frame */
	u64 rtt_ns;		/* RTT sample (EE_GBN_EV_RTT) */
};

/* ee_gbn_tx_new() errors (negative). */
#define EE_GBN_ESTATE		1	/* no open connection */
#define EE_GBN_ERTX		2	/* retransmissions go first */
#define EE_GBN_EWINDOW		3	/* window full */

/* ---- Set-up ---------------------------------------------------------- */

void ee_gbn_cfg_default(struct ee_gbn_cfg *cfg);
/* Zero @g, copy @cfg (values out of range are clamped): state CLOSED. */
void ee_gbn_init(struct ee_gbn *g, const struct ee_gbn_cfg *cfg);
/* Open a new connection between our @local_epoch and the peer's
 * @peer_epoch (generation 0): every sequence number, ack and timestamp
 * of any earlier connection is forgotten, in both directions.  Call it
 * when the peer's DIF shows a new epoch (or for the first time).
 */
void ee_gbn_reset(struct ee_gbn *g, u32 local_epoch, u32 peer_epoch,
		  u64 now);
/* Open the next generation between the same epochs, e.g. to try again
 * after the peer was declared dead or the connection was closed.  The
 * peer follows when it sees our SYN (EE_GBN_EV_RESTART on its side).
 * A no-op before the first ee_gbn_reset().
 */
void ee_gbn_restart(struct ee_gbn *g, u64 now);
/* Close: the peer is gone.  Receive ignores everything, send refuses. */
void ee_gbn_close(struct ee_gbn *g);
/* Resume a connection whose peer was declared dead, in the same
 * generation, when the peer shows it is alive after all (its DIF): the
 * frames that were in flight at the death are due again, oldest first,
 * so the caller must have kept them.  To the peer this looks like a long
 * stall; if it has restarted meanwhile, its SYN moves us on as usual.
 * Returns false (and does nothing) unless the connection is dead.
 */
bool ee_gbn_revive(struct ee_gbn *g, u64 now);

/* The initial sequence number of direction @sender -> @receiver in
 * generation @gen; both ends compute it from the epochs of the DIFs.
 */
u32 ee_gbn_isn(u32 sender_epoch, u32 receiver_epoch, u32 gen);
/* The generation whose ISN (sender -> receiver) is @isn: the inverse. */
u32 ee_gbn_isn_gen(u32 sender_epoch, u32 receiver_epoch, u32 isn);

/* ---- Transmit -------------------------------------------------------- */

/* Fill the transport fields of @h (seq, ack, tsval, tsecr, flags) for a
 * new TLP frame; the caller sets h->type and h->length before, and
 * keeps the frame until it is acknowledged.  Returns 0 or -EE_GBN_E*.
 */
int ee_gbn_tx_new(struct ee_gbn *g, u64 now, struct ee_hdr *h);
/* Whether ee_gbn_tx_new() would succeed. */
bool ee_gbn_can_send(const struct ee_gbn *g);
/* Let at most @frames be in flight from now on (the caller's estimate of
 * the path's bandwidth-delay product, ee_rate_window()); 0 lifts the
 * limit.  cfg.window stays the ceiling.  Frames already in flight stay.
 */
void ee_gbn_set_window(struct ee_gbn *g, u32 frames);
/* If a retransmission is due, store its seq in *seq and return true.
 * After a timeout only the oldest frame is due, until an ack shows what
 * the peer holds (then the rest of the window, if it is missing).
 * The caller then sets h->type and h->length from its copy of frame
 * *seq and calls ee_gbn_tx_rtx(), which fills the other fields anew.
 * Retransmissions go before new frames.
 */
bool ee_gbn_rtx_pending(const struct ee_gbn *g, u32 *seq);
/* Returns false (and leaves @h alone) when no retransmission is due. */
bool ee_gbn_tx_rtx(struct ee_gbn *g, u64 now, struct ee_hdr *h);
/* A pure ACK frame (it is also the probe echo when one is owed). */
void ee_gbn_tx_ack(struct ee_gbn *g, u64 now, struct ee_hdr *h);
/* A rate probe (an ACK frame with F_PROBE), for ee_rate's start-up. */
void ee_gbn_tx_probe(struct ee_gbn *g, u64 now, struct ee_hdr *h);

/* ---- Receive --------------------------------------------------------- */

/* Process a TLP or ACK frame from the peer whose header the codec has
 * parsed.  Returns an enum ee_gbn_verdict and fills @ri.
 */
int ee_gbn_rx(struct ee_gbn *g, u64 now, const struct ee_hdr *h,
	      struct ee_gbn_rx_info *ri);

/* ---- Timers ---------------------------------------------------------- */

/* When ee_gbn_timer() has something to do (EE_GBN_NEVER: nothing). */
u64 ee_gbn_deadline(const struct ee_gbn *g);
/* Run the timers at @now: returns EE_GBN_EV_ACK_NOW, EE_GBN_EV_RESEND,
 * EE_GBN_EV_DEAD or 0.
 */
u32 ee_gbn_timer(struct ee_gbn *g, u64 now);

/* ---- Queries --------------------------------------------------------- */

static inline u32 ee_gbn_in_flight(const struct ee_gbn *g)
{
	return g->snd_nxt - g->snd_una;
}

/* Frames the sender lets be in flight now: cwnd, at most cfg.window. */
static inline u32 ee_gbn_window(const struct ee_gbn *g)
{
	if (g->cwnd && g->cwnd < g->cfg.window)
		return g->cwnd;
	return g->cfg.window;
}

static inline bool ee_gbn_dead(const struct ee_gbn *g)
{
	return g->state == EE_GBN_DEAD;
}

/* Whether an ack would be worth piggybacking now / must be sent now. */
static inline bool ee_gbn_ack_owed(const struct ee_gbn *g)
{
	return g->ack_owed || g->probe_owed;
}

static inline bool ee_gbn_ack_due(const struct ee_gbn *g, u64 now)
{
	return g->probe_owed || (g->ack_owed && now >= g->ack_deadline);
}

/* Worst-case time from the last progress to the peer being declared
 * dead, given the current RTO: the sum of max_timeouts backed-off RTOs.
 */
u64 ee_gbn_dead_bound(const struct ee_gbn *g);

#endif /* _EE_GBN_H */
