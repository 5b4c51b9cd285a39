// SPDX-License-Identifier: GPL-2.0
/*
 * Receive progress for a spinning waiter.
 *
 * A config or MMIO read may wait for its completion with interrupts off
 * (lspci's config reads hold pci_lock with IRQs off).  If the CPU that
 * spins is the one the NIC interrupts, or another CPU that would receive
 * is itself spinning on pci_lock, the completion is never processed.  So
 * the waiter polls the NIC's NAPI instances itself, in one of three ways:
 *
 *  1. NAPI idle: claim NAPI_STATE_SCHED as napi_schedule would and poll as
 *     net_rx_action would; the driver's napi_complete_done re-arms it.
 *  2. NAPI scheduled on this CPU's poll list (its interrupt came in before
 *     interrupts went off): take it off the list and poll it, again as
 *     net_rx_action would.
 *  3. NAPI owned elsewhere (another CPU's list, a threaded NAPI): poll it
 *     under netpoll's protocol (poll_owner, NAPI_STATE_NPSVC) so that the
 *     owner's napi_complete_done is a no-op and the owner finishes later.
 *
 * In every case napi->poll_owner is taken first, which the core honours
 * once netpoll's npinfo is attached (transport.c): net_rx_action, busy
 * polling and threaded NAPI take it around every poll, so a waiter can
 * never re-enter a poll in progress, its own CPU's included.  Frames that are not
 * ours are requeued to the backlog by the rx_handler while we borrow, so
 * the IP stack never runs in the waiter's context.  Before each poll the
 * per-CPU NAPI skb cache is topped up: refilling it from the slab in bulk
 * would re-enable interrupts under the waiter.
 *
 * A waiter runs where the access that waits was made: at a call site of
 * a driver, in process or softirq context, where the per-CPU NAPI state
 * is consistent.  Not done in NMI or hard interrupt context: that may
 * have interrupted the networking core in the middle of its per-CPU
 * work.  There the waiter relies on other CPUs, bounded by its timeout.
 * (expether's own device interrupts are delivered from a kworker,
 * msi.c, so drivers' interrupt handlers are never such a waiter.)
 */
#include <linux/bottom_half.h>
#include <linux/interrupt.h>
#include <linux/netdevice.h>
#include <linux/netpoll.h>
#include <linux/skbuff.h>
#include <net/gro.h>

#include "transport.h"

#define EE_POLL_BUDGET	16

static DEFINE_PER_CPU(bool, ee_borrowing);

bool ee_rxpoll_borrowing(void)
{
	return this_cpu_read(ee_borrowing);
}

/* Keep napi_skb_cache_get() from refilling in bulk during the poll. */
static void ee_prefill_skb_cache(void)
{
	int i;

	for (i = 0; i < EE_POLL_BUDGET; i++) {
		struct sk_buff *skb = alloc_skb(0, GFP_ATOMIC);

		if (!skb)
			break;
		napi_consume_skb(skb, EE_POLL_BUDGET);
	}
}

/* What napi_complete_done would flush, for polls that cannot complete. */
static void ee_flush_napi(struct napi_struct *n)
{
	if (n->gro_bitmask)
		napi_gro_flush(n, false);
	if (n->rx_count) {
		netif_receive_skb_list(&n->rx_list);
		INIT_LIST_HEAD(&n->rx_list);
		n->rx_count = 0;
	}
}

static bool ee_on_this_cpu_list(struct napi_struct *n)
{
	struct softnet_data *sd = this_cpu_ptr(&softnet_data);
	struct napi_struct *p;

	list_for_each_entry(p, &sd->poll_list, poll_list)
		if (p == n)
			return true;
	return false;
}

/* We own SCHED: poll like net_rx_action, hand back if budget ran out. */
static void ee_poll_owned(struct napi_struct *n)
{
	int work;

	ee_prefill_skb_cache();
	work = n->poll(n, EE_POLL_BUDGET);
	if (work >= EE_POLL_BUDGET) {
		ee_flush_napi(n);
		__napi_schedule(n);
	}
}

static bool ee_poll_one(struct napi_struct *n)
{
	int cpu = smp_processor_id();
	unsigned long state;
	bool polled = false;

	if (cmpxchg(&n->poll_owner, -1, cpu) != -1)
		return false;	/* someone is polling it right now */

	state = READ_ONCE(n->state);
	if (state & (NAPIF_STATE_DISABLE | NAPIF_STATE_NPSVC |
		     NAPIF_STATE_IN_BUSY_POLL))
		goto out;

	if (!(state & NAPIF_STATE_SCHED)) {
		if (cmpxchg(&n->state, state, state | NAPIF_STATE_SCHED) !=
		    state)
			goto out;
		ee_poll_owned(n);
		polled = true;
	} else if (!list_empty(&n->poll_list) && ee_on_this_cpu_list(n)) {
		list_del_init(&n->poll_list);
		ee_poll_owned(n);
		polled = true;
	} else if (!test_and_set_bit(NAPI_STATE_NPSVC, &n->state)) {
		if (test_bit(NAPI_STATE_SCHED, &n->state)) {
			ee_prefill_skb_cache();
			n->poll(n, EE_POLL_BUDGET);
			ee_flush_napi(n);
			polled = true;
		}
		clear_bit(NAPI_STATE_NPSVC, &n->state);
	}
out:
	/* Unlock as netpoll_poll_unlock() does. */
	smp_store_release(&n->poll_owner, -1);
	return polled;
}

bool ee_rxpoll(struct ee_transport *t)
{
	bool polled = false;
	struct napi_struct *n;
	struct net_device *dev;
	unsigned long flags;

	if (!t->np_ready || in_nmi() || in_hardirq())
		return false;

	local_irq_save(flags);
	local_bh_disable();
	this_cpu_write(ee_borrowing, true);
	rcu_read_lock();
	dev = rcu_dereference(t->dev);
	if (dev) {
		list_for_each_entry_rcu(n, &dev->napi_list, dev_list)
			polled |= ee_poll_one(n);
	}
	rcu_read_unlock();
	this_cpu_write(ee_borrowing, false);
	_local_bh_enable();
	local_irq_restore(flags);

	if (polled)
		ee_count(t, EE_C_RX_POLLS);
	return polled;
}
