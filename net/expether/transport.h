/* SPDX-License-Identifier: GPL-2.0 */
/*
 * expether transport: binds one Ethernet device, sends and receives
 * ExpEther frames in one GID, and hands what it receives to its consumer
 * (the host bridge).  It knows nothing of PCI.
 */
#ifndef _EE_TRANSPORT_H
#define _EE_TRANSPORT_H

#include <linux/atomic.h>
#include <linux/hashtable.h>
#include <linux/mutex.h>
#include <linux/netdevice.h>
#include <linux/netpoll.h>
#include <linux/workqueue.h>

#include "ee_codec.h"

struct ee_transport;
struct crypto_shash;

/* Counters; read through debugfs (and netlink, later). */
enum ee_counter {
	EE_C_RX_FRAMES,
	EE_C_RX_BYTES,
	EE_C_TX_FRAMES,
	EE_C_TX_BYTES,
	EE_C_TX_DROPS,		/* device busy or gone: frame not sent */
	EE_C_RX_MALFORMED,	/* sum of the per-reason counters below */
	EE_C_RX_FOREIGN_GID,	/* our EtherType, another group */
	EE_C_RX_OTHER_HOST,	/* unicast to another MAC */
	EE_C_RX_TLPS,
	EE_C_RX_UNEXPECTED_CPL,	/* completion matching no request */
	EE_C_RX_UNSUPPORTED,	/* well-formed but not handled yet */
	EE_C_RX_DIFS,
	EE_C_TX_DIFS,
	EE_C_CFG_REQUESTS,
	EE_C_CFG_TIMEOUTS,
	EE_C_CFG_ERRORS,	/* UR/CA completions, link down, no tag */
	EE_C_RX_POLLS,		/* receive polls made by a spinning waiter */
	EE_C_RX_NO_PEER,	/* TLP/ACK frame from a bridge without a connection */
	EE_C_RX_ECHO_REQS,	/* echo requests answered */
	EE_C_RX_ECHO_REPLIES,
	EE_C_PEER_RESTARTS,	/* a peer opened a new connection */
	EE_C_PEER_DEATHS,	/* a peer stopped acknowledging */
	EE_C_RX_DEFERRED,	/* request frames left unread: replies waiting */
	EE_C_MEM_READS,		/* CPU reads of BARs (MRd) */
	EE_C_MEM_WRITES,	/* CPU writes to BARs (MWr) */
	EE_C_MEM_TIMEOUTS,	/* ... reads that got no completion */
	EE_C_MEM_ERRORS,	/* ... reads failed (UR/CA, link down) */
	EE_C_MMIO_UNROUTED,	/* CPU accesses no root port window claims */
	EE_C_DMA_READS,		/* device MRd served from host memory */
	EE_C_DMA_READ_BYTES,
	EE_C_DMA_WRITES,	/* device MWr into host memory */
	EE_C_DMA_WRITE_BYTES,
	EE_C_DMA_READ_VIOLATIONS,	/* MRd outside any mapping: UR */
	EE_C_DMA_WRITE_VIOLATIONS,	/* MWr outside any mapping: dropped */
	EE_C_DMA_NO_MASTER,	/* requests while Bus Master Enable is off */
	EE_C_MSI,		/* MSI/MSI-X writes delivered */
	EE_C_MSI_INVALID,	/* doorbell writes of foreign/unknown vectors */
	EE_C_INTX,		/* Assert/Deassert_INTx messages */
	EE_C_DIF_TIMEOUTS,	/* attached bridges whose DIFs stopped */
	EE_C_NO_FREE_SLOT,	/* DIFs of bridges no slot was free for */
	EE_C_TX_MGMT,		/* management frames sent (set a bridge's GID) */
	EE_C_EVENTS_LOST,	/* netlink events dropped: queue full */
	EE_C_DIF_WATCH_DRAINS,	/* DIF watchdog polled the NIC before a timeout */
	EE_C__MAX
};

extern const char *const ee_counter_names[EE_C__MAX];

struct ee_transport_ops {
	/* A TLP from @src, in order; any context, IRQs may be off.
	 * @owner: the peer's, as given to ee_peer_setup().
	 */
	void (*rx_tlp)(void *ctx, void *owner, const u8 *src,
		       const struct ee_tlp *tlp);
	/* After the TLPs of one frame (optional): send what handling
	 * them batched.  Same context and CPU as their rx_tlp calls.
	 */
	void (*rx_done)(void *ctx, void *owner);
	/* The peer opened a new connection: what was in flight is lost.
	 * Softirq or a spinning waiter's context.  @owner: ee_peer_setup()'s.
	 */
	void (*peer_restart)(void *ctx, void *owner);
	/* The peer stopped acknowledging (ee_gbn's dead bound): the
	 * connection is dead until it is opened again.  Same contexts.
	 */
	void (*peer_dead)(void *ctx, void *owner);
	/* A DIF of our group from @src. */
	void (*rx_dif)(void *ctx, const u8 *src, const struct ee_dif *dif);
	/* The device is going away: stop using the transport. */
	void (*dev_gone)(void *ctx);
};

/* mgmt.c: the management frames we send as a system manager. */
struct ee_mgmt_sender {
	struct mutex lock;		/* key and counter */
	struct crypto_shash *tfm;	/* keyed hmac(sha256); NULL: no key */
	u64 counter;			/* replay counter last used */
};

struct ee_transport {
	struct net_device __rcu *dev;	/* NULL once unbound */
	struct net_device *ndev;	/* bound device, for teardown */
	netdevice_tracker dev_tracker;
	struct netpoll np;		/* for the NAPI poll-owner protocol */
	bool np_ready;
	bool exiting;
	u16 gid;			/* READ_ONCE: ee_transport_set_gid() */
	u16 ethertype;
	u8 mac[ETH_ALEN];
	u32 epoch;
	u64 bridge_id;
	unsigned int dif_interval_ms;
	/* Link parameters of the peers (ee_peer_set_params()). */
	u32 window;
	u64 rto_min_ns;
	struct ee_mgmt_sender mgmt;
	const struct ee_transport_ops *ops;
	void *ctx;
	struct delayed_work dif_work;
	struct mutex peers_lock;	/* changes of @peers */
	DECLARE_HASHTABLE(peers, 6);	/* open peers by MAC, RCU */
	struct notifier_block nb;
	atomic_long_t counters[EE_C__MAX];
	atomic_long_t rx_err[EE_ERR__MAX];	/* malformed, by reason */
};

static inline void ee_count(struct ee_transport *t, enum ee_counter c)
{
	atomic_long_inc(&t->counters[c]);
}

static inline void ee_count_add(struct ee_transport *t, enum ee_counter c,
				long n)
{
	atomic_long_add(n, &t->counters[c]);
}

/* Count (by reason) and trace a dropped malformed frame from @src. */
void ee_count_malformed(struct ee_transport *t, const u8 *src, int err);

int ee_transport_init(struct ee_transport *t, const char *ifname, u16 gid,
		      u16 ethertype, const struct ee_transport_ops *ops,
		      void *ctx);
void ee_transport_start(struct ee_transport *t);
void ee_transport_exit(struct ee_transport *t);
/* Move to group @gid: the NIC's VLAN filter follows, a new epoch, and a
 * DIF in the new group.  Process context; the consumer has closed every
 * peer.  0 or -errno.
 */
int ee_transport_set_gid(struct ee_transport *t, u16 gid);

/* A frame for @dst with header @h (version, type, flags... as given) and
 * @len bytes of payload, ready for ee_xmit_skb(); NULL if the device is
 * gone or memory short.  Any context.
 */
struct sk_buff *ee_frame_skb(struct ee_transport *t, const u8 *dst,
			     const struct ee_hdr *h, const u8 *payload,
			     unsigned int len);
/* Hand a frame to the device: through the qdisc when interrupts are on,
 * straight to the driver otherwise.  Consumes @skb; 0 or -errno (then
 * counted as a drop).  Any context; never sleeps.
 */
int ee_xmit_skb(struct ee_transport *t, struct sk_buff *skb);

/* Act on the TLPs of a delivered frame (checked by ee_tlps_check()). */
void ee_deliver_tlps(struct ee_transport *t, void *owner, const u8 *src,
		     const u8 *p, unsigned int len);

/* Broadcast a DIF in our group. */
int ee_send_dif(struct ee_transport *t, const struct ee_dif *dif);
/* Send one unsequenced frame to @dst in group @gid (which may not be
 * ours).  Any context; 0 or -errno.
 */
int ee_send_frame(struct ee_transport *t, const u8 *dst, u16 gid,
		  const struct ee_hdr *h, const u8 *payload, unsigned int len);

/* mgmt.c */
void ee_mgmt_init(struct ee_transport *t);
void ee_mgmt_exit(struct ee_transport *t);
/* Set (@len 1..EXPETHER_MGMT_KEY_MAX) or remove (@len 0) the key.  Process
 * context; 0 or -errno.
 */
int ee_mgmt_set_key(struct ee_transport *t, const u8 *key, unsigned int len);
bool ee_mgmt_has_key(struct ee_transport *t);
u64 ee_mgmt_counter(struct ee_transport *t);
/* Ask the I/O bridge @mac (bridge ID @target_id, 0: any), now in group
 * @cur_gid, to move to group @new_gid: a signed SET_GID.  Process
 * context; 0, -ENOKEY (no key) or another -errno; *@counter is the
 * replay counter it carried.
 */
int ee_mgmt_send_set_gid(struct ee_transport *t, const u8 *mac, u16 cur_gid,
			 u64 target_id, u16 new_gid, u64 *counter);

/* rxpoll.c: make receive progress from a spinning waiter's CPU. */
bool ee_rxpoll(struct ee_transport *t);
bool ee_rxpoll_borrowing(void);

/* dif.c */
void ee_dif_work(struct work_struct *work);
void ee_dif_send_now(struct ee_transport *t);
/* Our DIF period, 10..10000 ms (process context). */
void ee_dif_set_interval(struct ee_transport *t, unsigned int ms);
void ee_dif_rx(struct ee_transport *t, const u8 *src, const u8 *payload,
	       unsigned int len);

#endif /* _EE_TRANSPORT_H */
