// SPDX-License-Identifier: GPL-2.0
/*
 * expether transport: the Ethernet side of the host bridge.
 *
 * Receive: an rx_handler on the bound device.  A packet_type handler would
 * be the usual hook, but when no VLAN device exists for a frame's VID the
 * core clears the 802.1Q tag before packet_type delivery
 * (__netif_receive_skb_core, "check_vlan_id"), and the tag's VID is our
 * GID.  The rx_handler sees the frame after the tag has been moved into
 * skb->vlan_tci and before it is dropped.
 *
 * Transmit: from process or softirq context through the qdisc
 * (dev_queue_xmit); with interrupts off (config accessors under pci_lock,
 * MSI writes under the irq descriptor lock, our own spinning waiters)
 * straight to the driver under the queue's xmit lock, the way netpoll
 * does, because dev_queue_xmit may run softirqs or warn there.
 */
#include <linux/etherdevice.h>
#include <linux/if_arp.h>
#include <linux/if_vlan.h>
#include <linux/netdevice.h>
#include <linux/random.h>
#include <linux/rtnetlink.h>
#include <linux/skbuff.h>
#include <linux/delay.h>
#include <net/pkt_sched.h>

#include "transport.h"
#include "peer.h"

#define CREATE_TRACE_POINTS
#include "ee_trace.h"

const char *const ee_counter_names[EE_C__MAX] = {
	[EE_C_RX_FRAMES]		= "rx_frames",
	[EE_C_RX_BYTES]			= "rx_bytes",
	[EE_C_TX_FRAMES]		= "tx_frames",
	[EE_C_TX_BYTES]			= "tx_bytes",
	[EE_C_TX_DROPS]			= "tx_drops",
	[EE_C_RX_MALFORMED]		= "rx_malformed",
	[EE_C_RX_FOREIGN_GID]		= "rx_foreign_gid",
	[EE_C_RX_OTHER_HOST]		= "rx_other_host",
	[EE_C_RX_TLPS]			= "rx_tlps",
	[EE_C_RX_UNEXPECTED_CPL]	= "rx_unexpected_cpl",
	[EE_C_RX_UNSUPPORTED]		= "rx_unsupported",
	[EE_C_RX_DIFS]			= "rx_difs",
	[EE_C_TX_DIFS]			= "tx_difs",
	[EE_C_CFG_REQUESTS]		= "cfg_requests",
	[EE_C_CFG_TIMEOUTS]		= "cfg_timeouts",
	[EE_C_CFG_ERRORS]		= "cfg_errors",
	[EE_C_RX_POLLS]			= "rx_polls",
	[EE_C_RX_NO_PEER]		= "rx_no_peer",
	[EE_C_RX_ECHO_REQS]		= "rx_echo_requests",
	[EE_C_RX_ECHO_REPLIES]		= "rx_echo_replies",
	[EE_C_PEER_RESTARTS]		= "peer_restarts",
	[EE_C_PEER_DEATHS]		= "peer_deaths",
	[EE_C_RX_DEFERRED]		= "rx_deferred",
	[EE_C_MEM_READS]		= "mem_reads",
	[EE_C_MEM_WRITES]		= "mem_writes",
	[EE_C_MEM_TIMEOUTS]		= "mem_timeouts",
	[EE_C_MEM_ERRORS]		= "mem_errors",
	[EE_C_MMIO_UNROUTED]		= "mmio_unrouted",
	[EE_C_DMA_READS]		= "dma_reads",
	[EE_C_DMA_READ_BYTES]		= "dma_read_bytes",
	[EE_C_DMA_WRITES]		= "dma_writes",
	[EE_C_DMA_WRITE_BYTES]		= "dma_write_bytes",
	[EE_C_DMA_READ_VIOLATIONS]	= "dma_read_violations",
	[EE_C_DMA_WRITE_VIOLATIONS]	= "dma_write_violations",
	[EE_C_DMA_NO_MASTER]		= "dma_no_master",
	[EE_C_MSI]			= "msi",
	[EE_C_MSI_INVALID]		= "msi_invalid",
	[EE_C_INTX]			= "intx_messages",
	[EE_C_DIF_TIMEOUTS]		= "dif_timeouts",
	[EE_C_NO_FREE_SLOT]		= "no_free_slot",
	[EE_C_TX_MGMT]			= "tx_mgmt",
	[EE_C_EVENTS_LOST]		= "events_lost",
	[EE_C_DIF_WATCH_DRAINS]		= "dif_watch_drains",
};

/* How long a direct transmit may wait for a busy queue, in microseconds. */
#define EE_XMIT_WAIT_US		2000

void ee_count_malformed(struct ee_transport *t, const u8 *src, int err)
{
	unsigned int reason = -err;

	trace_expether_rx_drop(src, err);
	if (reason >= EE_ERR__MAX)
		reason = EE_ERR_FIELD;
	atomic_long_inc(&t->rx_err[reason]);
	ee_count(t, EE_C_RX_MALFORMED);
}

/* Whether every TLP of a frame parses, so that a malformed frame is
 * dropped whole (counted) before the transport accepts or acks it.
 */
static bool ee_tlps_check(struct ee_transport *t, const u8 *src, const u8 *p,
			  unsigned int len)
{
	struct ee_tlp tlp;
	unsigned int off;
	int n;

	for (off = 0; off < len; off += n) {
		n = ee_tlp_parse(p + off, len - off, &tlp);
		if (n < 0) {
			ee_count_malformed(t, src, n);
			return false;
		}
	}
	return true;
}

void ee_deliver_tlps(struct ee_transport *t, void *owner, const u8 *src,
		     const u8 *p, unsigned int len)
{
	struct ee_tlp tlp;
	unsigned int off;
	int n;

	for (off = 0; off < len; off += n) {
		n = ee_tlp_parse(p + off, len - off, &tlp);
		if (n < 0)
			break;		/* ee_tlps_check() said no */
		ee_count(t, EE_C_RX_TLPS);
		t->ops->rx_tlp(t->ctx, owner, src, &tlp);
	}
	if (t->ops->rx_done)
		t->ops->rx_done(t->ctx, owner);
}

/* Answer an echo request to us with its payload. */
static void ee_rx_echo(struct ee_transport *t, const u8 *src,
		       const u8 *payload, unsigned int len)
{
	struct ee_hdr h = {
		.version = EXPETHER_VERSION,
		.type = EXPETHER_FT_ECHO_REPLY,
		.length = len,
	};
	struct sk_buff *skb;

	ee_count(t, EE_C_RX_ECHO_REQS);
	skb = ee_frame_skb(t, src, &h, payload, len);
	if (skb)
		ee_xmit_skb(t, skb);
	else
		ee_count(t, EE_C_TX_DROPS);
}

static void ee_rx(struct ee_transport *t, struct sk_buff *skb)
{
	const struct ethhdr *eh;
	const u8 *payload;
	struct ee_hdr h;
	int err;

	if (!skb_vlan_tag_present(skb)) {
		ee_count_malformed(t, eth_hdr(skb)->h_source, -EE_ERR_NOTAG);
		goto drop;
	}
	if (skb_vlan_tag_get_id(skb) != READ_ONCE(t->gid)) {
		ee_count(t, EE_C_RX_FOREIGN_GID);
		goto drop;
	}
	/* Linearizing may move the head: look at the MAC header after. */
	if (skb_linearize(skb))
		goto drop;
	eh = eth_hdr(skb);
	if (!ether_addr_equal(eh->h_dest, t->mac) &&
	    !is_broadcast_ether_addr(eh->h_dest)) {
		ee_count(t, EE_C_RX_OTHER_HOST);
		goto drop;
	}

	ee_count(t, EE_C_RX_FRAMES);
	ee_count_add(t, EE_C_RX_BYTES, skb->len + VLAN_ETH_HLEN);
	err = ee_hdr_parse(skb->data, skb->len, &h, &payload);
	if (err) {
		ee_count_malformed(t, eh->h_source, err);
		goto drop;
	}
	trace_expether_rx(eh->h_source, t->gid, h.type, h.flags, h.seq, h.ack,
			  h.length);

	switch (h.type) {
	case EXPETHER_FT_TLP:
		if (ee_tlps_check(t, eh->h_source, payload, h.length))
			ee_peer_rx(t, eh->h_source, &h, payload);
		break;
	case EXPETHER_FT_ACK:
		ee_peer_rx(t, eh->h_source, &h, payload);
		break;
	case EXPETHER_FT_DIF:
		ee_dif_rx(t, eh->h_source, payload, h.length);
		break;
	case EXPETHER_FT_ECHO_REQ:
		if (ether_addr_equal(eh->h_dest, t->mac))
			ee_rx_echo(t, eh->h_source, payload, h.length);
		break;
	case EXPETHER_FT_ECHO_REPLY:
		ee_count(t, EE_C_RX_ECHO_REPLIES);
		break;
	default:
		/* Management frames: control-plane work. */
		ee_count(t, EE_C_RX_UNSUPPORTED);
		break;
	}
	consume_skb(skb);
	return;
drop:
	kfree_skb(skb);
}

static rx_handler_result_t ee_rx_handler(struct sk_buff **pskb)
{
	struct sk_buff *skb = *pskb;
	struct ee_transport *t = rcu_dereference(skb->dev->rx_handler_data);

	if (skb->protocol != htons(t->ethertype)) {
		/* A waiter borrowing the NIC's poll must not run the IP stack
		 * in its own context: requeue other traffic to the backlog.
		 */
		if (ee_rxpoll_borrowing()) {
			netif_rx(skb);
			return RX_HANDLER_CONSUMED;
		}
		return RX_HANDLER_PASS;
	}

	skb = skb_share_check(skb, GFP_ATOMIC);
	if (skb)
		ee_rx(t, skb);
	return RX_HANDLER_CONSUMED;
}

/* One attempt at the driver under the queue's xmit lock (what
 * __netif_tx_trylock() does, spelled out so sparse can follow it).
 * Returns NETDEV_TX_BUSY when the lock or the queue is not available.
 */
static netdev_tx_t ee_try_xmit(struct sk_buff *skb, struct net_device *dev,
			       struct netdev_queue *txq)
{
	netdev_tx_t rc = NETDEV_TX_BUSY;

	if (!spin_trylock(&txq->_xmit_lock))
		return rc;
	WRITE_ONCE(txq->xmit_lock_owner, smp_processor_id());
	if (!netif_xmit_frozen_or_stopped(txq))
		rc = netdev_start_xmit(skb, dev, txq, false);
	__netif_tx_unlock(txq);
	return rc;
}

/* Transmit with interrupts off: straight to the driver, bounded.  A full
 * ring is drained by the driver's TX completion poll, which cannot run
 * here unless we run it: poll the device while waiting.
 */
static int ee_xmit_direct(struct ee_transport *t, struct net_device *dev,
			  struct sk_buff *skb)
{
	netdev_tx_t rc = NETDEV_TX_BUSY;
	struct netdev_queue *txq;
	unsigned long flags;
	unsigned int waited;
	u16 q;

	q = raw_smp_processor_id() % dev->real_num_tx_queues;
	skb_set_queue_mapping(skb, q);
	txq = netdev_get_tx_queue(dev, q);

	local_irq_save(flags);
	for (waited = 0; waited < EE_XMIT_WAIT_US; waited++) {
		rc = ee_try_xmit(skb, dev, txq);
		if (dev_xmit_complete(rc))
			break;
		/* The context we interrupted holds the lock: give up. */
		if (READ_ONCE(txq->xmit_lock_owner) == smp_processor_id())
			break;
		if (!ee_rxpoll(t))
			udelay(1);
	}
	local_irq_restore(flags);

	if (!dev_xmit_complete(rc)) {
		kfree_skb(skb);
		return -EBUSY;
	}
	return 0;
}

static struct sk_buff *ee_frame_skb_gid(struct ee_transport *t, const u8 *dst,
					u16 gid, const struct ee_hdr *h,
					const u8 *payload, unsigned int len)
{
	struct ee_frame f = { .ethertype = t->ethertype, .tci = gid };
	unsigned int size = max_t(unsigned int, EXPETHER_MIN_FRAME,
				  EXPETHER_L2_HLEN + EXPETHER_HLEN + len);
	struct sk_buff *skb = NULL;
	struct net_device *dev;
	int flen;

	rcu_read_lock();
	dev = rcu_dereference(t->dev);
	if (!dev || !netif_running(dev))
		goto out;
	skb = alloc_skb(LL_RESERVED_SPACE(dev) + size + dev->needed_tailroom,
			GFP_ATOMIC);
	if (!skb)
		goto out;
	skb_reserve(skb, LL_RESERVED_SPACE(dev));

	ether_addr_copy(f.dst, dst);
	ether_addr_copy(f.src, t->mac);
	f.hdr = *h;
	f.hdr.length = len;
	flen = ee_frame_build(skb_put(skb, size), size, &f, payload, len);
	if (flen < 0) {
		kfree_skb(skb);
		skb = NULL;
		goto out;
	}
	skb_trim(skb, flen);
	skb_reset_mac_header(skb);
	skb_set_network_header(skb, EXPETHER_L2_HLEN);
	skb->protocol = htons(ETH_P_8021Q);
	skb->priority = TC_PRIO_CONTROL;
	skb->dev = dev;
out:
	rcu_read_unlock();
	return skb;
}

struct sk_buff *ee_frame_skb(struct ee_transport *t, const u8 *dst,
			     const struct ee_hdr *h, const u8 *payload,
			     unsigned int len)
{
	return ee_frame_skb_gid(t, dst, READ_ONCE(t->gid), h, payload, len);
}

int ee_xmit_skb(struct ee_transport *t, struct sk_buff *skb)
{
	const struct ethhdr *eh = (const struct ethhdr *)skb->data;
	struct net_device *dev;
	unsigned int len = skb->len;
	struct ee_hdr h;
	int err;

	/* The header as built, for the tracepoint. */
	ee_hdr_parse(skb->data + EXPETHER_L2_HLEN, len - EXPETHER_L2_HLEN, &h,
		     NULL);
	rcu_read_lock();
	dev = rcu_dereference(t->dev);
	if (!dev || dev != skb->dev || !netif_running(dev)) {
		kfree_skb(skb);
		err = -ENETDOWN;
		goto out;
	}
	trace_expether_tx(eh->h_dest, READ_ONCE(t->gid), h.type, h.flags,
			  h.seq, h.ack, h.length);
	if (irqs_disabled() || in_hardirq()) {
		err = ee_xmit_direct(t, dev, skb);
	} else {
		err = dev_queue_xmit(skb);
		err = err == NET_XMIT_SUCCESS || err == NET_XMIT_CN ? 0 : -EIO;
	}
out:
	rcu_read_unlock();
	if (err) {
		ee_count(t, EE_C_TX_DROPS);
		return err;
	}
	ee_count(t, EE_C_TX_FRAMES);
	ee_count_add(t, EE_C_TX_BYTES, len);
	return 0;
}

static int ee_send(struct ee_transport *t, const u8 *dst, struct ee_hdr *h,
		   const u8 *payload, unsigned int len)
{
	struct sk_buff *skb = ee_frame_skb(t, dst, h, payload, len);

	if (!skb) {
		ee_count(t, EE_C_TX_DROPS);
		return -ENOMEM;
	}
	return ee_xmit_skb(t, skb);
}

int ee_send_frame(struct ee_transport *t, const u8 *dst, u16 gid,
		  const struct ee_hdr *h, const u8 *payload, unsigned int len)
{
	struct sk_buff *skb = ee_frame_skb_gid(t, dst, gid, h, payload, len);

	if (!skb) {
		ee_count(t, EE_C_TX_DROPS);
		return -ENOMEM;
	}
	return ee_xmit_skb(t, skb);
}

int ee_send_dif(struct ee_transport *t, const struct ee_dif *dif)
{
	struct ee_hdr h = {
		.version = EXPETHER_VERSION,
		.type = EXPETHER_FT_DIF,
	};
	u8 payload[EXPETHER_DIF_LEN];

	ee_dif_put(payload, dif);
	return ee_send(t, (const u8 *)"\xff\xff\xff\xff\xff\xff", &h,
		       payload, sizeof(payload));
}

/* Drop the device; rtnl held.  The consumer is told first. */
static void ee_unbind(struct ee_transport *t)
{
	struct net_device *dev = t->ndev;

	ASSERT_RTNL();
	if (!dev)
		return;
	netdev_rx_handler_unregister(dev);
	RCU_INIT_POINTER(t->dev, NULL);
	synchronize_net();
	vlan_vid_del(dev, htons(ETH_P_8021Q), t->gid);
	if (t->np_ready) {
		__netpoll_cleanup(&t->np);
		t->np_ready = false;
	}
	t->ndev = NULL;
	netdev_put(dev, &t->dev_tracker);
}

static int ee_netdev_event(struct notifier_block *nb, unsigned long event,
			   void *ptr)
{
	struct net_device *dev = netdev_notifier_info_to_dev(ptr);
	struct ee_transport *t = container_of(nb, struct ee_transport, nb);

	if (dev != t->ndev || event != NETDEV_UNREGISTER || t->exiting)
		return NOTIFY_DONE;
	netdev_warn(dev, "expether: device going away, slots go down\n");
	t->ops->dev_gone(t->ctx);
	ee_unbind(t);
	return NOTIFY_OK;
}

int ee_transport_init(struct ee_transport *t, const char *ifname, u16 gid,
		      u16 ethertype, const struct ee_transport_ops *ops,
		      void *ctx)
{
	struct net_device *dev;
	int err;

	t->gid = gid;
	t->ethertype = ethertype;
	t->ops = ops;
	t->ctx = ctx;
	t->dif_interval_ms = 100;
	t->window = EE_GBN_DEF_WINDOW;
	t->rto_min_ns = EE_GBN_DEF_RTO_MIN;
	t->epoch = get_random_u32() | 1;
	ee_mgmt_init(t);
	INIT_DELAYED_WORK(&t->dif_work, ee_dif_work);
	mutex_init(&t->peers_lock);
	hash_init(t->peers);

	/* Takes rtnl itself; replays events we ignore (no device bound). */
	t->nb.notifier_call = ee_netdev_event;
	err = register_netdevice_notifier(&t->nb);
	if (err)
		return err;

	rtnl_lock();
	dev = __dev_get_by_name(&init_net, ifname);
	if (!dev) {
		pr_err("expether: dev=%s: no such network device\n", ifname);
		err = -ENODEV;
		goto unlock;
	}
	if (dev->type != ARPHRD_ETHER || dev->addr_len != ETH_ALEN ||
	    (dev->flags & IFF_LOOPBACK)) {
		pr_err("expether: dev=%s: not an Ethernet device\n", ifname);
		err = -EINVAL;
		goto unlock;
	}
	netdev_hold(dev, &t->dev_tracker, GFP_KERNEL);
	t->ndev = dev;
	ether_addr_copy(t->mac, dev->dev_addr);
	t->bridge_id = ether_addr_to_u64(t->mac);

	/* netpoll's npinfo makes the core take napi->poll_owner around every
	 * poll, which is what lets a spinning waiter poll safely (rxpoll.c).
	 */
	t->np.name = "expether";
	if (!(dev->priv_flags & IFF_DISABLE_NETPOLL) &&
	    !__netpoll_setup(&t->np, dev))
		t->np_ready = true;
	else
		netdev_warn(dev, "expether: no netpoll; waiters with interrupts off rely on other CPUs\n");

	/* NICs (and virtio-net) drop tagged frames of unregistered VIDs. */
	err = vlan_vid_add(dev, htons(ETH_P_8021Q), gid);
	if (err) {
		pr_err("expether: dev=%s: cannot accept VLAN %u: %d\n",
		       ifname, gid, err);
		goto put;
	}
	err = netdev_rx_handler_register(dev, ee_rx_handler, t);
	if (err) {
		pr_err("expether: dev=%s: cannot attach (already a bridge, bond or macvlan port?): %d\n",
		       ifname, err);
		goto del_vid;
	}
	rcu_assign_pointer(t->dev, dev);
	rtnl_unlock();
	return 0;

del_vid:
	vlan_vid_del(dev, htons(ETH_P_8021Q), gid);
put:
	if (t->np_ready) {
		__netpoll_cleanup(&t->np);
		t->np_ready = false;
	}
	t->ndev = NULL;
	netdev_put(dev, &t->dev_tracker);
unlock:
	rtnl_unlock();
	unregister_netdevice_notifier(&t->nb);
	ee_mgmt_exit(t);
	return err;
}

/* Start announcing ourselves once the consumer is ready for replies. */
void ee_transport_start(struct ee_transport *t)
{
	schedule_delayed_work(&t->dif_work, 0);
}

void ee_transport_exit(struct ee_transport *t)
{
	cancel_delayed_work_sync(&t->dif_work);
	/* Unregistering replays NETDEV_UNREGISTER: not a real departure. */
	t->exiting = true;
	unregister_netdevice_notifier(&t->nb);
	rtnl_lock();
	ee_unbind(t);
	rtnl_unlock();
	ee_mgmt_exit(t);
}

int ee_transport_set_gid(struct ee_transport *t, u16 gid)
{
	struct net_device *dev;
	u16 old = t->gid;
	int err;

	if (gid == old)
		return 0;
	rtnl_lock();
	dev = t->ndev;
	err = dev ? vlan_vid_add(dev, htons(ETH_P_8021Q), gid) : -ENODEV;
	if (err)
		goto unlock;
	WRITE_ONCE(t->gid, gid);
	/* Another group: to its bridges we are a bridge they never saw. */
	WRITE_ONCE(t->epoch, get_random_u32() | 1);
	/* Receive paths that still took the old group are done. */
	synchronize_net();
	vlan_vid_del(dev, htons(ETH_P_8021Q), old);
unlock:
	rtnl_unlock();
	if (!err)
		ee_dif_send_now(t);
	return err;
}
