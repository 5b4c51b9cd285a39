/* SPDX-License-Identifier: GPL-2.0 */
/*
 * expether peers: the reliable, paced connection to one remote bridge
 * (ee_link: Go-Back-N, rate control, retransmit ring), run by an hrtimer,
 * with the frames it produces transmitted in order by one CPU at a time.
 *
 * A peer's memory belongs to its owner (the host bridge keeps one per
 * slot) and outlives its connections: ee_peer_open() and ee_peer_close()
 * may alternate any number of times between ee_peer_setup() and
 * ee_peer_teardown().
 */
#ifndef _EE_PEER_H
#define _EE_PEER_H

#include <linux/hrtimer.h>
#include <linux/skbuff.h>
#include <linux/spinlock.h>

#include "ee_link.h"
#include "transport.h"

/* Frames a peer's connection may hold: the window plus a backlog deep
 * enough for the completions of a burst of device reads (a frame of MRd
 * requests can ask for ~30 frames of completions).
 */
#define EE_PEER_BACKLOG		448
/* A request frame is left unread (the peer sends it again) unless this
 * much room remains for what serving it produces.
 */
#define EE_PEER_RX_RESERVE	64

struct ee_peer {
	struct ee_transport *t;
	void *owner;			/* handed back in ee_transport_ops */
	struct hlist_node node;		/* in t->peers while open */
	u8 mac[ETH_ALEN];
	u32 epoch;			/* the peer's DIF epoch */
	/* Everything below under @lock; raw: callers may hold pci_lock. */
	raw_spinlock_t lock;
	bool open;
	struct ee_link link;
	struct ee_link_cfg cfg;
	void *ring;
	struct sk_buff_head txq;	/* built frames, in sequence order */
	struct hrtimer timer;		/* soft: expires in softirq context */
	u64 armed;			/* the timer's expiry, EE_GBN_NEVER: none */
	u64 deadline;			/* ee_link_deadline(), read locklessly */
	unsigned long last_rx;		/* jiffies of its last TLP/ACK frame */
	/* Transmission of txq: one CPU at a time, in order. */
	unsigned long xmit_busy;
	int xmit_cpu;
	atomic_long_t tx_nomem;		/* frames not built: retransmitted later */
	atomic_long_t tx_fail;		/* refused by the device */
};

/* Prepare @p (process context): allocates its ring. */
int ee_peer_setup(struct ee_transport *t, struct ee_peer *p, void *owner);
void ee_peer_teardown(struct ee_peer *p);

/* Open a connection to @mac whose DIF shows @epoch: a new connection if
 * the epoch changed (or for the first time), else the next generation.
 * Process context.
 */
void ee_peer_open(struct ee_peer *p, const u8 *mac, u32 epoch);
/* Close the connection: queued and unacknowledged frames are dropped.
 * Process context; returns once the timer is idle.
 */
void ee_peer_close(struct ee_peer *p);

/* Queue @len bytes of TLPs for the peer and send what may leave now.
 * Any context.  0, -ENOTCONN (not open) or -ENOBUFS (ring full).
 */
int ee_peer_send(struct ee_peer *p, const u8 *tlps, unsigned int len);

/* For a waiter that spins, maybe with interrupts off: run the peer's
 * timers if they are due, since the hrtimer may be unable to fire on
 * this CPU, and transmit what is queued.
 */
void ee_peer_poll(struct ee_peer *p);

/* A TLP or ACK frame from @src (transport.c, receive path). */
void ee_peer_rx(struct ee_transport *t, const u8 *src, const struct ee_hdr *h,
		const u8 *payload);

/* Change the Go-Back-N window and the RTO floor, for the connection now
 * open (if any) and the next ones.  Any context.
 */
void ee_peer_set_params(struct ee_peer *p, u32 window, u64 rto_min_ns);

/* Frames queued or unacknowledged (0 when not open). */
u32 ee_peer_outstanding(struct ee_peer *p);

/* A consistent copy of the peer's state, for statistics (@mac may be
 * NULL); returns whether it is open.  @link must not be on the stack.
 */
bool ee_peer_snapshot(struct ee_peer *p, struct ee_link *link, u8 *mac);

#endif /* _EE_PEER_H */
