// SPDX-License-Identifier: GPL-2.0
/*
 * Non-posted requests to I/O bridges and their completions.
 *
 * A request takes one of 256 tags, is sent, and waits for the completion
 * with that tag from that bridge, bounded by the completion timeout; on
 * timeout the reader gets all-ones, as from a PCIe completion timeout.
 *
 * Config accessors run in any context (FIELD-NOTES: lspci holds pci_lock
 * with interrupts off; pciehp reads from its hard IRQ handler).  A waiter
 * that may sleep sleeps on a completion; any other waiter spins, polling
 * the NIC itself (rxpoll.c) so that its reply is received even when its
 * own CPU is the one the NIC interrupts.
 */
#include <linux/delay.h>
#include <linux/etherdevice.h>
#include <linux/ktime.h>
#include <linux/preempt.h>
#include <linux/sched.h>

#include "expether.h"

void ee_requests_init(struct ee_requests *r)
{
	unsigned int i;

	raw_spin_lock_init(&r->lock);
	for (i = 0; i < EE_NR_TAGS; i++)
		init_completion(&r->req[i].completion);
}

static bool ee_can_sleep(void)
{
	return preemptible() && !rcu_preempt_depth() &&
	       system_state == SYSTEM_RUNNING;
}

/* Take a free tag, rotating so a late completion rarely meets a reuse. */
static struct ee_req *ee_req_get(struct ee_requests *r, const u8 *mac,
				 u16 target_id, bool sleeper, u8 *tag)
{
	struct ee_req *req = NULL;
	unsigned long flags;
	unsigned int i, t;

	raw_spin_lock_irqsave(&r->lock, flags);
	for (i = 0; i < EE_NR_TAGS; i++) {
		t = (r->next_tag + i) % EE_NR_TAGS;
		if (r->req[t].busy)
			continue;
		req = &r->req[t];
		req->busy = true;
		req->done = false;
		req->sleeper = sleeper;
		req->mem = false;
		req->buf = NULL;
		req->got = 0;
		req->status = EE_CPL_UR;
		req->data = ~0U;
		ether_addr_copy(req->peer_mac, mac);
		req->target_id = target_id;
		reinit_completion(&req->completion);
		r->next_tag = t + 1;
		*tag = t;
		break;
	}
	raw_spin_unlock_irqrestore(&r->lock, flags);
	return req;
}

/*
 * Release the tag; returns whether the completion arrived and, if so, its
 * status and data (read before the tag can be taken again).
 */
static bool ee_req_put(struct ee_requests *r, struct ee_req *req, u8 *status,
		       u32 *data)
{
	unsigned long flags;
	bool done;

	raw_spin_lock_irqsave(&r->lock, flags);
	done = req->done;
	*status = req->status;
	*data = req->data;
	req->busy = false;
	raw_spin_unlock_irqrestore(&r->lock, flags);
	return done;
}

static bool ee_req_done(struct ee_req *req)
{
	/* Pairs with the release in ee_complete(). */
	return smp_load_acquire(&req->done);
}

/* Wait, bounded, for the completion; ee_req_put() tells if it came.
 * A spinning waiter also runs the peer's timers (retransmission, acks):
 * with interrupts off its CPU may be the only one that could.
 */
static void ee_req_wait(struct ee_host *h, struct ee_peer *peer,
			struct ee_req *req)
{
	ktime_t deadline;

	if (req->sleeper) {
		wait_for_completion_timeout(&req->completion,
					    usecs_to_jiffies(h->cpl_timeout_us) + 1);
		return;
	}

	deadline = ktime_add_us(ktime_get(), h->cpl_timeout_us);
	while (!ee_req_done(req)) {
		/* Time is up: one last look at what has arrived (a vCPU
		 * descheduled by a loaded host sees the deadline pass at once).
		 */
		bool last = ktime_after(ktime_get(), deadline);
		bool polled = ee_rxpoll(&h->xport);

		ee_peer_poll(peer);
		if (last)
			break;
		if (!polled)
			udelay(1);
	}
}

int ee_port_send(struct ee_host *h, struct ee_port *port, const u8 *tlps,
		 unsigned int len)
{
	bool sleep = ee_can_sleep();
	ktime_t deadline = 0;
	int err;

	for (;;) {
		err = ee_peer_send(&port->peer, tlps, len);
		if (err != -ENOBUFS)
			return err;
		/* The connection is full: wait for acks, as a PCIe link
		 * waits for flow-control credits.
		 */
		if (!deadline)
			deadline = ktime_add_us(ktime_get(), h->cpl_timeout_us);
		else if (ktime_after(ktime_get(), deadline))
			return err;
		if (sleep) {
			usleep_range(20, 50);
		} else {
			ee_rxpoll(&h->xport);
			ee_peer_poll(&port->peer);
			udelay(1);
		}
	}
}

/* The bridge attached to @port, if the link is up. */
static bool ee_port_peer(struct ee_host *h, struct ee_port *port, u8 *mac)
{
	unsigned long flags;
	bool attached;

	raw_spin_lock_irqsave(&h->slot_lock, flags);
	attached = port->attached;
	ether_addr_copy(mac, port->peer_mac);
	raw_spin_unlock_irqrestore(&h->slot_lock, flags);
	return attached && ee_rp_link_active(&port->rp);
}

int ee_mem_read(struct ee_host *h, struct ee_port *port, u64 addr,
		void *buf, u32 len)
{
	u8 hdr[EE_TLP_MAX_HDR], mac[ETH_ALEN], tag, status;
	struct ee_tlp tlp;
	struct ee_req *req;
	bool done;
	u32 data;
	int n, err = -ENODEV;

	if (!ee_port_peer(h, port, mac))
		goto fail;
	req = ee_req_get(&h->reqs, mac, 0, ee_can_sleep(), &tag);
	err = -EBUSY;
	if (!req)
		goto fail;
	req->want_data = true;
	req->req_id = port->devfn;
	req->mem = true;
	req->addr = addr;
	req->len = len;
	req->buf = buf;

	err = ee_tlp_init_mem(&tlp, false, port->devfn, tag, addr, len, NULL);
	n = err ? err : ee_tlp_build(hdr, sizeof(hdr), &tlp);
	ee_count(&h->xport, EE_C_MEM_READS);
	err = n < 0 ? -EINVAL : ee_port_send(h, port, hdr, n);
	if (!err)
		ee_req_wait(h, &port->peer, req);
	done = ee_req_put(&h->reqs, req, &status, &data);
	if (!done && !err)
		ee_count(&h->xport, EE_C_MEM_TIMEOUTS);
	if (done && status == EE_CPL_SC)
		return 0;
	err = err ?: -EIO;
fail:
	ee_count(&h->xport, EE_C_MEM_ERRORS);
	memset(buf, 0xff, len);
	return err;
}

int ee_cfg_request(struct ee_host *h, struct ee_port *port, bool write,
		   bool type1, u16 target_id, int where, int size, u32 *val)
{
	unsigned int shift = (where & 3) * 8;
	u8 hdr[EE_TLP_MAX_HDR + 4], data[4], mac[ETH_ALEN], tag, status;
	struct ee_tlp tlp;
	struct ee_req *req;
	unsigned long flags;
	bool attached, done;
	u32 cpl_data;
	int n, err;

	raw_spin_lock_irqsave(&h->slot_lock, flags);
	attached = port->attached;
	ether_addr_copy(mac, port->peer_mac);
	raw_spin_unlock_irqrestore(&h->slot_lock, flags);
	if (!attached || !ee_rp_link_active(&port->rp))
		goto fail;

	req = ee_req_get(&h->reqs, mac, target_id, ee_can_sleep(), &tag);
	if (!req)
		goto fail;
	req->want_data = !write;
	req->req_id = port->devfn;

	if (write) {
		u32 v = *val << shift;

		data[0] = v;
		data[1] = v >> 8;
		data[2] = v >> 16;
		data[3] = v >> 24;
	}
	ee_tlp_init_cfg(&tlp, write, type1, port->devfn, tag, target_id,
			where & 0xffc, ee_be_for(where, size),
			write ? data : NULL);
	n = ee_tlp_build(hdr, sizeof(hdr), &tlp);
	ee_count(&h->xport, EE_C_CFG_REQUESTS);
	err = n < 0 ? -EINVAL : ee_port_send(h, port, hdr, n);
	if (!err)
		ee_req_wait(h, &port->peer, req);
	done = ee_req_put(&h->reqs, req, &status, &cpl_data);
	if (!done && !err)
		ee_count(&h->xport, EE_C_CFG_TIMEOUTS);

	if (!done || status != EE_CPL_SC)
		goto fail;
	if (!write) {
		u32 mask = size == 4 ? ~0U : (1U << (size * 8)) - 1;

		*val = (cpl_data >> shift) & mask;
	}
	return PCIBIOS_SUCCESSFUL;

fail:
	ee_count(&h->xport, EE_C_CFG_ERRORS);
	if (!write)
		PCI_SET_ERROR_RESPONSE(val);
	return PCIBIOS_DEVICE_NOT_FOUND;
}

/*
 * One completion of a memory read: its bytes go where Byte Count and
 * Lower Address say; the request is done with the last one (or the first
 * that is not successful).  r->lock held.
 */
static void ee_complete_mem(struct ee_req *req, const struct ee_tlp *tlp)
{
	u32 off;
	int n;

	if (tlp->status != EE_CPL_SC || tlp->kind != EE_TLP_CPLD) {
		req->status = tlp->status == EE_CPL_SC ? EE_CPL_CA :
			      tlp->status;
	} else {
		n = ee_cpl_locate(req->addr, req->len, tlp, &off);
		if (n < 0 || off + n > req->len) {
			req->status = EE_CPL_CA;	/* malformed: abort */
		} else {
			memcpy(req->buf + off, tlp->data +
			       (tlp->lower_addr & 3), n);
			req->got += n;
			if ((u32)n < tlp->byte_count)
				return;			/* more to come */
			req->status = req->got == req->len ? EE_CPL_SC :
				      EE_CPL_CA;
		}
	}
	/* Publishes status and data to ee_req_wait(). */
	smp_store_release(&req->done, true);
	if (req->sleeper)
		complete(&req->completion);
}

/* A completion arrived from @src (any context). */
void ee_complete(struct ee_host *h, const u8 *src, const struct ee_tlp *tlp)
{
	struct ee_requests *r = &h->reqs;
	struct ee_req *req = &r->req[tlp->tag];
	unsigned long flags;
	bool matched;

	raw_spin_lock_irqsave(&r->lock, flags);
	matched = req->busy && !req->done && tlp->req_id == req->req_id &&
		  ether_addr_equal(req->peer_mac, src) &&
		  (req->mem || tlp->cpl_id == req->target_id);
	if (matched && req->mem) {
		ee_complete_mem(req, tlp);
	} else if (matched) {
		req->status = tlp->status;
		if (tlp->kind == EE_TLP_CPLD && tlp->length >= 1)
			req->data = tlp->data[0] | tlp->data[1] << 8 |
				    tlp->data[2] << 16 | (u32)tlp->data[3] << 24;
		else if (tlp->status == EE_CPL_SC && req->want_data)
			req->status = EE_CPL_CA;	/* SC but no data */
		/* Publishes status and data to ee_req_wait(). */
		smp_store_release(&req->done, true);
		if (req->sleeper)
			complete(&req->completion);
	}
	raw_spin_unlock_irqrestore(&r->lock, flags);
	if (!matched)
		ee_count(&h->xport, EE_C_RX_UNEXPECTED_CPL);
}

/* Fail every request waiting on @peer_mac (NULL: on any bridge). */
void ee_requests_fail_port(struct ee_host *h, const u8 *peer_mac)
{
	struct ee_requests *r = &h->reqs;
	unsigned long flags;
	unsigned int i;

	raw_spin_lock_irqsave(&r->lock, flags);
	for (i = 0; i < EE_NR_TAGS; i++) {
		struct ee_req *req = &r->req[i];

		if (!req->busy || req->done ||
		    (peer_mac && !ether_addr_equal(req->peer_mac, peer_mac)))
			continue;
		req->status = EE_CPL_CA;
		/* Publishes the status to ee_req_wait(). */
		smp_store_release(&req->done, true);
		if (req->sleeper)
			complete(&req->completion);
	}
	raw_spin_unlock_irqrestore(&r->lock, flags);
}
