// SPDX-License-Identifier: GPL-2.0
/*
 * expether peers: one reliable, paced connection per remote bridge.
 *
 * The protocol is ee_link's (shared with eebox); this file gives it a
 * clock (ktime_get_ns), a timer and a device:
 *
 * - Every change of a link (a payload queued, a frame received, a timer
 *   run) is followed, under the peer's lock, by a pump: ee_link_next()
 *   until nothing may leave, each frame built into an skb on the peer's
 *   txq, in sequence order; then the hrtimer is armed at the link's next
 *   deadline.
 * - The txq is transmitted outside the lock by one CPU at a time, so
 *   frames leave in the order they were numbered.  A context that finds
 *   the transmitter busy leaves its frames to it, unless the transmitter
 *   is a context it interrupted on its own CPU, which cannot go on before
 *   it returns: then it sends them itself (out of order at worst, which
 *   Go-Back-N repairs).
 * - The hrtimer is soft (softirq context), so retransmissions and acks go
 *   through the qdisc like any frame sent with interrupts on.  A waiter
 *   spinning with interrupts off may keep softirqs from running on its
 *   CPU: it runs the timers itself (ee_peer_poll()).
 */
#include <linux/etherdevice.h>
#include <linux/hashtable.h>
#include <linux/ktime.h>
#include <linux/mm.h>
#include <linux/slab.h>

#include "peer.h"
#include "ee_trace.h"

static u32 ee_peer_hash(const u8 *mac)
{
	return (u32)mac[3] << 16 | (u32)mac[4] << 8 | mac[5];
}

/* Arm the timer for the link's next deadline; p->lock held. */
static void ee_peer_arm(struct ee_peer *p)
{
	u64 d = ee_link_deadline(&p->link);

	WRITE_ONCE(p->deadline, d);
	if (d == EE_GBN_NEVER || (p->armed != EE_GBN_NEVER && p->armed <= d))
		return;
	p->armed = d;
	hrtimer_start(&p->timer, ns_to_ktime(d), HRTIMER_MODE_ABS_SOFT);
}

/* Build every frame that may leave now onto the txq; p->lock held. */
static void ee_peer_pump(struct ee_peer *p, u64 now)
{
	struct ee_transport *t = p->t;
	const u8 *payload;
	struct sk_buff *skb;
	struct ee_hdr h;
	int kind;

	while ((kind = ee_link_next(&p->link, now, &h, &payload)) !=
	       EE_LINK_NONE) {
		if (kind == EE_LINK_RTX)
			trace_expether_retransmit(p->mac, h.seq,
						  p->link.g.backoffs);
		skb = ee_frame_skb(t, p->mac, &h, payload, h.length);
		if (!skb) {
			/* A TLP frame is resent on timeout; an ack is owed
			 * again by the next frame the peer sends.
			 */
			atomic_long_inc(&p->tx_nomem);
			continue;
		}
		__skb_queue_tail(&p->txq, skb);
	}
}

/* Transmit the txq, in order; any context. */
static void ee_peer_xmit(struct ee_peer *p)
{
	bool irqoff = irqs_disabled() || in_hardirq();
	struct sk_buff *skb;
	unsigned long flags;
	bool steal = false;
	int cpu;

	/* Neither preempted nor migrated while we own the transmitter. */
	if (!irqoff)
		local_bh_disable();
	cpu = smp_processor_id();
	for (;;) {
		if (test_and_set_bit_lock(0, &p->xmit_busy)) {
			if (READ_ONCE(p->xmit_cpu) != cpu)
				break;		/* the other CPU sends ours */
			steal = true;
		} else {
			WRITE_ONCE(p->xmit_cpu, cpu);
		}
		for (;;) {
			raw_spin_lock_irqsave(&p->lock, flags);
			skb = __skb_dequeue(&p->txq);
			raw_spin_unlock_irqrestore(&p->lock, flags);
			if (!skb)
				break;
			if (ee_xmit_skb(p->t, skb))
				atomic_long_inc(&p->tx_fail);
		}
		if (steal)
			break;
		WRITE_ONCE(p->xmit_cpu, -1);
		clear_bit_unlock(0, &p->xmit_busy);
		/* Pairs with the queueing side's lock: see what came late. */
		smp_mb__after_atomic();
		if (skb_queue_empty_lockless(&p->txq))
			break;
	}
	if (!irqoff)
		local_bh_enable();
}

/* Run the link's timers if due, pump, re-arm; returns the timer events. */
static u32 ee_peer_service(struct ee_peer *p, bool from_timer)
{
	unsigned long flags;
	u32 ev = 0;
	u64 now;

	raw_spin_lock_irqsave(&p->lock, flags);
	if (from_timer)
		p->armed = EE_GBN_NEVER;
	if (!p->open)
		goto unlock;
	now = ktime_get_ns();
	if (now >= ee_link_deadline(&p->link)) {
		u32 backoffs = p->link.g.backoffs;

		ev = ee_link_timer(&p->link, now);
		if (p->link.g.backoffs != backoffs || (ev & EE_GBN_EV_DEAD))
			trace_expether_timeout(p->mac, p->link.g.backoffs,
					       p->link.g.rto_ns);
	}
	ee_peer_pump(p, now);
	ee_peer_arm(p);
unlock:
	raw_spin_unlock_irqrestore(&p->lock, flags);
	ee_peer_xmit(p);
	if (ev & EE_GBN_EV_DEAD) {
		trace_expether_peer_dead(p->mac);
		ee_count(p->t, EE_C_PEER_DEATHS);
		p->t->ops->peer_dead(p->t->ctx, p->owner);
	}
	return ev;
}

static enum hrtimer_restart ee_peer_timer(struct hrtimer *timer)
{
	struct ee_peer *p = container_of(timer, struct ee_peer, timer);

	ee_peer_service(p, true);
	return HRTIMER_NORESTART;
}

void ee_peer_poll(struct ee_peer *p)
{
	if (ktime_get_ns() >= READ_ONCE(p->deadline))
		ee_peer_service(p, false);
	else if (!skb_queue_empty_lockless(&p->txq))
		ee_peer_xmit(p);
}

int ee_peer_setup(struct ee_transport *t, struct ee_peer *p, void *owner)
{
	ee_link_cfg_default(&p->cfg);
	p->cfg.backlog = EE_PEER_BACKLOG;
	p->cfg.gbn.window = t->window;
	p->cfg.gbn.rto_min_ns = t->rto_min_ns;
	p->ring = kvzalloc(ee_link_ring_size(&p->cfg), GFP_KERNEL);
	if (!p->ring)
		return -ENOMEM;
	p->t = t;
	p->owner = owner;
	raw_spin_lock_init(&p->lock);
	ee_link_init(&p->link, &p->cfg, p->ring);
	__skb_queue_head_init(&p->txq);
	hrtimer_init(&p->timer, CLOCK_MONOTONIC, HRTIMER_MODE_ABS_SOFT);
	p->timer.function = ee_peer_timer;
	p->armed = EE_GBN_NEVER;
	p->deadline = EE_GBN_NEVER;
	p->xmit_cpu = -1;
	INIT_HLIST_NODE(&p->node);
	return 0;
}

void ee_peer_teardown(struct ee_peer *p)
{
	if (!p->ring)
		return;
	ee_peer_close(p);
	kvfree(p->ring);
	p->ring = NULL;
}

void ee_peer_open(struct ee_peer *p, const u8 *mac, u32 epoch)
{
	struct ee_transport *t = p->t;
	unsigned long flags;
	u64 now;

	mutex_lock(&t->peers_lock);
	raw_spin_lock_irqsave(&p->lock, flags);
	now = ktime_get_ns();
	/* Another bridge on this slot: its epochs say nothing of ours. */
	if (!ether_addr_equal(p->mac, mac))
		ee_link_init(&p->link, &p->cfg, p->ring);
	ee_link_reset(&p->link, t->epoch, epoch, now);
	ether_addr_copy(p->mac, mac);
	p->epoch = epoch;
	p->open = true;
	ee_peer_pump(p, now);	/* the rate probes */
	ee_peer_arm(p);
	raw_spin_unlock_irqrestore(&p->lock, flags);
	if (hlist_unhashed(&p->node))
		hash_add_rcu(t->peers, &p->node, ee_peer_hash(mac));
	mutex_unlock(&t->peers_lock);
	ee_peer_xmit(p);
}

void ee_peer_close(struct ee_peer *p)
{
	struct ee_transport *t = p->t;
	unsigned long flags;

	mutex_lock(&t->peers_lock);
	if (!hlist_unhashed(&p->node))
		hlist_del_init_rcu(&p->node);
	mutex_unlock(&t->peers_lock);

	raw_spin_lock_irqsave(&p->lock, flags);
	p->open = false;
	/* Keep the state (DEAD, generation) for the next ee_peer_open(),
	 * but nothing queued.
	 */
	if (p->link.g.state == EE_GBN_OPEN)
		ee_link_close(&p->link);
	p->link.unsent = 0;
	__skb_queue_purge(&p->txq);
	WRITE_ONCE(p->deadline, EE_GBN_NEVER);
	raw_spin_unlock_irqrestore(&p->lock, flags);
	/* Not open: the callback will not re-arm it. */
	hrtimer_cancel(&p->timer);
	raw_spin_lock_irqsave(&p->lock, flags);
	p->armed = EE_GBN_NEVER;
	raw_spin_unlock_irqrestore(&p->lock, flags);
	/* Receive paths that found the peer in the table are done. */
	synchronize_net();
}

int ee_peer_send(struct ee_peer *p, const u8 *tlps, unsigned int len)
{
	unsigned long flags;
	int err;

	raw_spin_lock_irqsave(&p->lock, flags);
	if (!p->open) {
		err = -ENOTCONN;
	} else {
		err = ee_link_queue(&p->link, tlps, len);
		if (!err) {
			u64 now = ktime_get_ns();

			ee_peer_pump(p, now);
			ee_peer_arm(p);
		} else {
			err = err == -EE_LINK_EFULL ? -ENOBUFS :
			      err == -EE_LINK_ESTATE ? -ENOTCONN : -EINVAL;
		}
	}
	raw_spin_unlock_irqrestore(&p->lock, flags);
	if (!err)
		ee_peer_xmit(p);
	return err;
}

static struct ee_peer *ee_peer_find(struct ee_transport *t, const u8 *mac)
{
	struct ee_peer *p;

	hash_for_each_possible_rcu(t->peers, p, node, ee_peer_hash(mac))
		if (ether_addr_equal(p->mac, mac))
			return p;
	return NULL;
}

void ee_peer_rx(struct ee_transport *t, const u8 *src, const struct ee_hdr *h,
		const u8 *payload)
{
	struct ee_gbn_rx_info ri = {};
	struct ee_hdr ack;
	unsigned long flags;
	struct ee_peer *p;
	int v = EE_GBN_IGNORE;

	rcu_read_lock();
	p = ee_peer_find(t, src);
	if (!p) {
		ee_count(t, EE_C_RX_NO_PEER);
		goto out;
	}
	raw_spin_lock_irqsave(&p->lock, flags);
	if (p->open) {
		u64 now = ktime_get_ns();

		WRITE_ONCE(p->last_rx, jiffies);
		if (h->type == EXPETHER_FT_TLP &&
		    ee_link_room(&p->link) < EE_PEER_RX_RESERVE) {
			/* No room for what serving it would send: leave the
			 * payload unread, as if lost (Go-Back-N brings it
			 * again), but take its ack, which frees room.
			 */
			ee_count(t, EE_C_RX_DEFERRED);
			ack = *h;
			ack.type = EXPETHER_FT_ACK;
			ack.flags &= EXPETHER_F_ACK | EXPETHER_F_TS |
				     EXPETHER_F_TSECR;
			ack.seq = 0;
			ack.length = 0;
			h = &ack;
		}
		v = ee_link_rx(&p->link, now, h, &ri);
		ee_peer_pump(p, now);
		ee_peer_arm(p);
	}
	raw_spin_unlock_irqrestore(&p->lock, flags);

	/* The old connection's frames are gone: fail their waiters before
	 * acting on the new connection's first payload.
	 */
	if (ri.events & EE_GBN_EV_RESTART) {
		ee_count(t, EE_C_PEER_RESTARTS);
		t->ops->peer_restart(t->ctx, p->owner);
	}
	if (v == EE_GBN_DELIVER)
		ee_deliver_tlps(t, p->owner, src, payload, h->length);
	ee_peer_xmit(p);
out:
	rcu_read_unlock();
}

bool ee_peer_snapshot(struct ee_peer *p, struct ee_link *link, u8 *mac)
{
	unsigned long flags;
	bool open;

	raw_spin_lock_irqsave(&p->lock, flags);
	open = p->open;
	*link = p->link;
	if (mac)
		ether_addr_copy(mac, p->mac);
	raw_spin_unlock_irqrestore(&p->lock, flags);
	return open;
}

void ee_peer_set_params(struct ee_peer *p, u32 window, u64 rto_min_ns)
{
	struct ee_gbn_cfg *c = &p->link.g.cfg;
	unsigned long flags;

	raw_spin_lock_irqsave(&p->lock, flags);
	/* For the connections ee_link_init() sets up from now on... */
	p->cfg.gbn.window = window;
	p->cfg.gbn.rto_min_ns = rto_min_ns;
	/* ...and for this one: the ring holds the largest window. */
	c->window = clamp_t(u32, window, 1, min_t(u32, EE_GBN_MAX_WINDOW,
						  p->link.mask + 1));
	c->rto_min_ns = clamp_t(u64, rto_min_ns, NSEC_PER_USEC, c->rto_max_ns);
	c->rto_init_ns = max(c->rto_init_ns, c->rto_min_ns);
	raw_spin_unlock_irqrestore(&p->lock, flags);
}

u32 ee_peer_outstanding(struct ee_peer *p)
{
	unsigned long flags;
	u32 n;

	raw_spin_lock_irqsave(&p->lock, flags);
	n = p->open ? ee_link_occupancy(&p->link) + skb_queue_len(&p->txq) : 0;
	raw_spin_unlock_irqrestore(&p->lock, flags);
	return n;
}
