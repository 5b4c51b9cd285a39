/* SPDX-License-Identifier: GPL-2.0 */
/*
 * expether link: one peer's reliable, paced connection, the glue between
 * the Go-Back-N rules (ee_gbn), the rate controller (ee_rate) and a ring
 * that keeps every frame until it is acknowledged.
 *
 * Plain C shared by expether.ko and eebox (and the unit tests), so that
 * the two ends drive the protocol the same way:
 *
 *	ee_link_queue()		a payload to send, copied into the ring
 *	ee_link_next()		the next frame that may leave now, if any:
 *				probe, retransmission, new frame or ack
 *	ee_link_rx()		a TLP or ACK frame from the peer
 *	ee_link_deadline()	when ee_link_timer() has work
 *	ee_link_timer()		run the RTO, delayed-ack and probe timers
 *
 * No I/O, clock, allocation or locking: the caller gives the ring's memory
 * (ee_link_ring_size()), passes the time (u64 ns, monotonic), transmits
 * what ee_link_next() returns and serializes every call on one link.
 */
#ifndef _EE_LINK_H
#define _EE_LINK_H

#include "ee_types.h"
#include "ee_codec.h"
#include "ee_gbn.h"
#include "ee_rate.h"

#define EE_LINK_MAX_SLOTS	4096	/* ring slots, a power of two */
#define EE_LINK_DEF_BACKLOG	64	/* frames queued beyond the window */

struct ee_link_cfg {
	struct ee_gbn_cfg gbn;
	struct ee_rate_cfg rate;
	u32 backlog;		/* frames that may wait for the window */
	u32 slot_size;		/* largest payload, <= EXPETHER_MAX_PAYLOAD */
	bool pace;		/* false: the rate is measured, not enforced */
};

struct ee_link_stats {
	u64 queued;		/* payloads accepted by ee_link_queue() */
	u64 queue_full;		/* ... refused: window and backlog full */
	u64 flushed;		/* dropped unsent or unacked by a new connection */
	u64 paced;		/* times a frame had to wait for the pacer */
};

/* What ee_link_next() produced. */
enum ee_link_out {
	EE_LINK_NONE,		/* nothing may leave now */
	EE_LINK_PROBE,		/* rate probe (ACK frame, F_PROBE) */
	EE_LINK_RTX,		/* retransmission of a TLP frame */
	EE_LINK_NEW,		/* first transmission of a TLP frame */
	EE_LINK_ACK,		/* pure ACK (or probe echo) */
};

struct ee_link {
	struct ee_gbn g;
	struct ee_rate r;
	u32 backlog;
	u32 slot_size;
	u32 mask;		/* slots - 1 */
	bool pace;
	u32 unsent;		/* queued frames after snd_nxt */
	u32 dead_unsent;	/* ... when the peer was declared dead */
	u8 *buf;		/* slots * slot_size bytes */
	u16 *len;		/* slots payload lengths */
	struct ee_link_stats st;
};

void ee_link_cfg_default(struct ee_link_cfg *cfg);
/* Slots the ring needs for @cfg: a power of two >= window + backlog. */
u32 ee_link_slots(const struct ee_link_cfg *cfg);
/* Bytes of ring memory ee_link_init() wants for @cfg. */
static inline size_t ee_link_ring_size(const struct ee_link_cfg *cfg)
{
	return (size_t)ee_link_slots(cfg) * (cfg->slot_size + sizeof(u16));
}

/* Set up @l over @ring (ee_link_ring_size() bytes, u16-aligned), closed. */
void ee_link_init(struct ee_link *l, const struct ee_link_cfg *cfg,
		  void *ring);
/* Open a connection between the epochs: generation 0 when they differ
 * from the last connection's (ee_gbn_reset()), else the next generation
 * (ee_gbn_restart()), so that reopening never reuses sequence numbers.
 * ee_link_restart() opens the next generation; ee_link_close() closes.
 * Each forgets every queued frame; the rate controller probes anew.
 */
void ee_link_reset(struct ee_link *l, u32 local_epoch, u32 peer_epoch,
		   u64 now);
void ee_link_restart(struct ee_link *l, u64 now);
void ee_link_close(struct ee_link *l);
/* Resume a dead connection in its generation (ee_gbn_revive()) with the
 * frames it held at the death, sent or not: the ring keeps them, since
 * nothing can be queued while the connection is dead.  Returns false
 * unless the connection was dead.
 */
bool ee_link_revive(struct ee_link *l, u64 now);

/* Queue a payload of @len bytes: 0, -EE_LINK_ESTATE (no open connection),
 * -EE_LINK_EFULL or -EE_LINK_ELEN.
 */
#define EE_LINK_ESTATE		1
#define EE_LINK_EFULL		2
#define EE_LINK_ELEN		3
int ee_link_queue(struct ee_link *l, const void *payload, u32 len);

/* The next frame that may leave at @now: fills @h (all of it) and points
 * *@payload at its h->length bytes inside the ring, valid until the next
 * call on @l.  Call it until it returns EE_LINK_NONE.
 */
int ee_link_next(struct ee_link *l, u64 now, struct ee_hdr *h,
		 const u8 **payload);

/* A TLP or ACK frame from the peer: returns ee_gbn_rx()'s verdict and
 * fills @ri.  On EE_GBN_EV_RESTART every queued frame has been dropped.
 * RTT samples feed the rate controller, acknowledged frames its delivery
 * rate, which sizes the window (ee_gbn_window()).
 */
int ee_link_rx(struct ee_link *l, u64 now, const struct ee_hdr *h,
	       struct ee_gbn_rx_info *ri);

/* When there is timer work or a paced frame may leave (EE_GBN_NEVER:
 * nothing to do until a frame arrives or is queued).
 */
u64 ee_link_deadline(const struct ee_link *l);
/* Run the timers: returns ee_gbn_timer()'s events. */
u32 ee_link_timer(struct ee_link *l, u64 now);

static inline bool ee_link_open(const struct ee_link *l)
{
	return l->g.state == EE_GBN_OPEN;
}

/* Frames in the ring: in flight plus waiting. */
static inline u32 ee_link_occupancy(const struct ee_link *l)
{
	return ee_gbn_in_flight(&l->g) + l->unsent;
}

/* Payloads ee_link_queue() would still accept. */
static inline u32 ee_link_room(const struct ee_link *l)
{
	return l->mask + 1 - ee_link_occupancy(l);
}

#endif /* _EE_LINK_H */
