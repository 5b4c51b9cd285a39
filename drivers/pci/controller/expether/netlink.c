// SPDX-License-Identifier: GPL-2.0
/*
 * expether control plane: the generic netlink family "expether"
 * (include/uapi/linux/expether.h), which eectl(8) speaks, and its events.
 *
 * Requests: get the host bridge and its counters, dump the I/O bridges
 * seen and the slots (any user); set our GID, DIF and link parameters and
 * the management key, detach or attach a slot, move a remote I/O bridge
 * to another group with a signed management frame (CAP_NET_ADMIN:
 * GENL_ADMIN_PERM).  The family lives in the initial network namespace
 * only, where the transport's device is.  Requests are serialized by the
 * genetlink core; slot changes by the host's slot_mutex.
 *
 * Events (group "events", CAP_NET_ADMIN to join): peer up/down/dead, slot
 * attached/detached, DMA violation, GID changed, management frame sent.
 * They are raised in any context (receive path, timers, waiters with
 * interrupts off) into a fixed queue, and multicast in order from a work
 * item; when the queue is full the event is counted (events_lost).
 */
#include <linux/etherdevice.h>
#include <linux/platform_device.h>
#include <linux/ratelimit.h>
#include <linux/slab.h>
#include <net/genetlink.h>

#include "expether.h"

/* The host bridge served: set before the family is registered and
 * cleared after it is unregistered, so every request sees it.
 */
static struct ee_host *ee_nl_host;
static struct genl_family ee_genl_family;

enum {
	EE_NL_MCGRP_EVENTS,
};

static const struct genl_multicast_group ee_nl_mcgrps[] = {
	[EE_NL_MCGRP_EVENTS] = {
		.name = EXPETHER_GENL_MCGRP_EVENTS,
		.flags = GENL_MCAST_CAP_NET_ADMIN,
	},
};

/* Values are range-checked by the handlers, with a message each. */
static const struct nla_policy ee_nl_policy[EXPETHER_A_MAX + 1] = {
	[EXPETHER_A_MAC]		= NLA_POLICY_EXACT_LEN(ETH_ALEN),
	[EXPETHER_A_GID]		= { .type = NLA_U16 },
	[EXPETHER_A_PEER_GID]		= { .type = NLA_U16 },
	[EXPETHER_A_SLOT]		= { .type = NLA_U32 },
	[EXPETHER_A_SLOT_ADMIN]		= { .type = NLA_U8 },
	[EXPETHER_A_DIF_INTERVAL_MS]	= { .type = NLA_U32 },
	[EXPETHER_A_DIF_TIMEOUT_MS]	= { .type = NLA_U32 },
	[EXPETHER_A_WINDOW]		= { .type = NLA_U32 },
	[EXPETHER_A_RTO_MIN_US]		= { .type = NLA_U32 },
	[EXPETHER_A_MGMT_KEY]		= { .type = NLA_BINARY,
					    .len = EXPETHER_MGMT_KEY_MAX },
};

#define EE_NL_DIF_INTERVAL_MIN	10
#define EE_NL_DIF_INTERVAL_MAX	10000
#define EE_NL_DIF_TIMEOUT_MIN	20
#define EE_NL_DIF_TIMEOUT_MAX	600000
#define EE_NL_RTO_MIN_MAX_US	64000

static bool ee_gid_valid(u16 gid)
{
	return gid >= EXPETHER_GID_MIN && gid <= EXPETHER_GID_MAX;
}

/* ---- counters ----------------------------------------------------------- */

static int ee_nl_put_stat(struct sk_buff *skb, const char *name, u64 v)
{
	struct nlattr *n = nla_nest_start(skb, EXPETHER_A_STAT);

	if (!n || nla_put_string(skb, EXPETHER_A_STAT_NAME, name) ||
	    nla_put_u64_64bit(skb, EXPETHER_A_STAT_VALUE, v, EXPETHER_A_PAD))
		return -EMSGSIZE;
	nla_nest_end(skb, n);
	return 0;
}

static int ee_nl_put_host_stats(struct sk_buff *skb, struct ee_host *h)
{
	struct ee_transport *t = &h->xport;
	struct nlattr *stats;
	char name[48];
	unsigned int i, n;
	const char *c;

	stats = nla_nest_start(skb, EXPETHER_A_STATS);
	if (!stats)
		return -EMSGSIZE;
	for (i = 0; i < EE_C__MAX; i++)
		if (ee_nl_put_stat(skb, ee_counter_names[i],
				   atomic_long_read(&t->counters[i])))
			return -EMSGSIZE;
	/* "rx_malformed_<reason>", the reason's spaces as '_' (debugfs). */
	for (i = 1; i < EE_ERR__MAX; i++) {
		n = scnprintf(name, sizeof(name), "rx_malformed_");
		for (c = ee_err_str(-i); *c && n + 1 < sizeof(name); c++)
			name[n++] = *c == ' ' ? '_' : *c;
		name[n] = '\0';
		if (ee_nl_put_stat(skb, name, atomic_long_read(&t->rx_err[i])))
			return -EMSGSIZE;
	}
	nla_nest_end(skb, stats);
	return 0;
}

/* One connection's counters: the names of debugfs "peers". */
static int ee_nl_put_link_stats(struct sk_buff *skb, struct ee_peer *p,
				const struct ee_link *l)
{
	const struct ee_gbn_stats *st = &l->g.st;
	const struct {
		const char *name;
		u64 v;
	} kv[] = {
		{ "generation", l->g.gen },
		{ "tx_frames", st->tx_frames },
		{ "tx_bytes", st->tx_bytes },
		{ "rtx_frames", st->rtx_frames },
		{ "rtx_bytes", st->rtx_bytes },
		{ "tx_acks", st->tx_acks },
		{ "tx_probes", st->tx_probes },
		{ "rx_frames", st->rx_frames },
		{ "rx_bytes", st->rx_bytes },
		{ "rx_dup", st->rx_dup },
		{ "rx_ooo", st->rx_ooo },
		{ "rx_stale", st->rx_stale },
		{ "rx_unseq", st->rx_unseq },
		{ "rx_ignored", st->rx_ignored },
		{ "rx_acks", st->rx_acks },
		{ "rx_bad_acks", st->rx_bad_acks },
		{ "rx_dupacks", st->rx_dupacks },
		{ "rx_probes", st->rx_probes },
		{ "rx_probe_echoes", st->rx_probe_echoes },
		{ "timeouts", st->timeouts },
		{ "fast_rtx", st->fast_rtx },
		{ "resets", st->resets },
		{ "peer_restarts", st->peer_restarts },
		{ "deaths", st->deaths },
		{ "rtt_samples", st->rtt_samples },
		{ "rtt_min_us", div_u64(st->rtt_min_ns, NSEC_PER_USEC) },
		{ "rtt_last_us", div_u64(st->rtt_last_ns, NSEC_PER_USEC) },
		{ "srtt_us", div_u64(l->g.srtt_ns, NSEC_PER_USEC) },
		{ "rttvar_us", div_u64(l->g.rttvar_ns, NSEC_PER_USEC) },
		{ "rto_us", div_u64(l->g.rto_ns, NSEC_PER_USEC) },
		{ "dead_bound_ms", div_u64(ee_gbn_dead_bound(&l->g),
					   NSEC_PER_MSEC) },
		{ "base_rtt_us", div_u64(l->r.base_rtt_ns, NSEC_PER_USEC) },
		{ "rate_bps", l->r.rate * 8 },
		{ "rate_increases", l->r.st.increases },
		{ "rate_decreases", l->r.st.decreases },
		{ "in_flight", ee_gbn_in_flight(&l->g) },
		{ "window", l->g.cfg.window },
		{ "rto_min_us", div_u64(l->g.cfg.rto_min_ns, NSEC_PER_USEC) },
		{ "unsent", l->unsent },
		{ "queued", l->st.queued },
		{ "queue_full", l->st.queue_full },
		{ "flushed", l->st.flushed },
		{ "paced", l->st.paced },
		{ "tx_nomem", atomic_long_read(&p->tx_nomem) },
		{ "tx_fail", atomic_long_read(&p->tx_fail) },
	};
	struct nlattr *stats;
	unsigned int i;

	stats = nla_nest_start(skb, EXPETHER_A_STATS);
	if (!stats)
		return -EMSGSIZE;
	for (i = 0; i < ARRAY_SIZE(kv); i++)
		if (ee_nl_put_stat(skb, kv[i].name, kv[i].v))
			return -EMSGSIZE;
	nla_nest_end(skb, stats);
	return 0;
}

/* ---- the host bridge ---------------------------------------------------- */

static int ee_nl_fill_bridge(struct sk_buff *skb, struct ee_host *h)
{
	struct ee_transport *t = &h->xport;
	char ifname[IFNAMSIZ] = "";
	struct net_device *dev;
	int ifindex = 0;

	rcu_read_lock();
	dev = rcu_dereference(t->dev);
	if (dev) {
		strscpy(ifname, dev->name, sizeof(ifname));
		ifindex = dev->ifindex;
	}
	rcu_read_unlock();

	if ((ifindex && (nla_put_string(skb, EXPETHER_A_IFNAME, ifname) ||
			 nla_put_u32(skb, EXPETHER_A_IFINDEX, ifindex))) ||
	    nla_put(skb, EXPETHER_A_MAC, ETH_ALEN, t->mac) ||
	    nla_put_u16(skb, EXPETHER_A_GID, READ_ONCE(t->gid)) ||
	    nla_put_u16(skb, EXPETHER_A_ETHERTYPE, t->ethertype) ||
	    nla_put_u32(skb, EXPETHER_A_DOMAIN, h->sysdata.domain) ||
	    nla_put_u32(skb, EXPETHER_A_NR_SLOTS, h->nr_ports) ||
	    nla_put_u32(skb, EXPETHER_A_EPOCH, READ_ONCE(t->epoch)) ||
	    nla_put_u64_64bit(skb, EXPETHER_A_BRIDGE_ID, t->bridge_id,
			      EXPETHER_A_PAD) ||
	    nla_put_u32(skb, EXPETHER_A_CPL_TIMEOUT_MS,
			h->cpl_timeout_us / USEC_PER_MSEC) ||
	    nla_put_u32(skb, EXPETHER_A_DIF_INTERVAL_MS,
			READ_ONCE(t->dif_interval_ms)) ||
	    nla_put_u32(skb, EXPETHER_A_DIF_TIMEOUT_MS,
			READ_ONCE(h->dif_timeout_ms)) ||
	    nla_put_u32(skb, EXPETHER_A_WINDOW, t->window) ||
	    nla_put_u32(skb, EXPETHER_A_RTO_MIN_US,
			div_u64(t->rto_min_ns, NSEC_PER_USEC)) ||
	    nla_put_u8(skb, EXPETHER_A_MGMT_KEY_SET, ee_mgmt_has_key(t)) ||
	    nla_put_u64_64bit(skb, EXPETHER_A_MGMT_COUNTER, ee_mgmt_counter(t),
			      EXPETHER_A_PAD))
		return -EMSGSIZE;
	return 0;
}

/* A reply to @info with what @fill puts in it. */
static int ee_nl_reply(struct genl_info *info, u8 cmd,
		       int (*fill)(struct sk_buff *skb, struct ee_host *h))
{
	struct sk_buff *skb;
	void *hdr;
	int err;

	skb = genlmsg_new(NLMSG_GOODSIZE, GFP_KERNEL);
	if (!skb)
		return -ENOMEM;
	hdr = genlmsg_put_reply(skb, info, &ee_genl_family, 0, cmd);
	if (!hdr) {
		err = -EMSGSIZE;
		goto free;
	}
	err = fill(skb, ee_nl_host);
	if (err)
		goto free;
	genlmsg_end(skb, hdr);
	return genlmsg_reply(skb, info);
free:
	nlmsg_free(skb);
	return err;
}

static int ee_nl_bridge_get(struct sk_buff *skb, struct genl_info *info)
{
	return ee_nl_reply(info, EXPETHER_CMD_BRIDGE_GET, ee_nl_fill_bridge);
}

static int ee_nl_stats_get(struct sk_buff *skb, struct genl_info *info)
{
	return ee_nl_reply(info, EXPETHER_CMD_STATS_GET, ee_nl_put_host_stats);
}

static int ee_nl_bridge_set(struct sk_buff *skb, struct genl_info *info)
{
	struct netlink_ext_ack *extack = info->extack;
	struct ee_host *h = ee_nl_host;
	struct ee_transport *t = &h->xport;
	struct nlattr **a = info->attrs;
	u32 window = t->window;
	u64 rto_min = t->rto_min_ns;
	bool link = false;
	u32 v;
	int err;

	/* Everything is checked before anything changes. */
	if (!a[EXPETHER_A_GID] && !a[EXPETHER_A_DIF_INTERVAL_MS] &&
	    !a[EXPETHER_A_DIF_TIMEOUT_MS] && !a[EXPETHER_A_WINDOW] &&
	    !a[EXPETHER_A_RTO_MIN_US] && !a[EXPETHER_A_MGMT_KEY]) {
		NL_SET_ERR_MSG(extack, "nothing to set");
		return -EINVAL;
	}
	if (a[EXPETHER_A_GID] && !ee_gid_valid(nla_get_u16(a[EXPETHER_A_GID]))) {
		NL_SET_ERR_MSG_ATTR(extack, a[EXPETHER_A_GID],
				    "invalid GID: a group is 1..4094");
		return -EINVAL;
	}
	if (a[EXPETHER_A_DIF_INTERVAL_MS]) {
		v = nla_get_u32(a[EXPETHER_A_DIF_INTERVAL_MS]);
		if (v < EE_NL_DIF_INTERVAL_MIN || v > EE_NL_DIF_INTERVAL_MAX) {
			NL_SET_ERR_MSG_ATTR(extack,
					    a[EXPETHER_A_DIF_INTERVAL_MS],
					    "DIF interval must be 10..10000 ms");
			return -EINVAL;
		}
	}
	if (a[EXPETHER_A_DIF_TIMEOUT_MS]) {
		v = nla_get_u32(a[EXPETHER_A_DIF_TIMEOUT_MS]);
		if (v && (v < EE_NL_DIF_TIMEOUT_MIN ||
			  v > EE_NL_DIF_TIMEOUT_MAX)) {
			NL_SET_ERR_MSG_ATTR(extack, a[EXPETHER_A_DIF_TIMEOUT_MS],
					    "DIF timeout must be 0 (three of each bridge's intervals) or 20..600000 ms");
			return -EINVAL;
		}
	}
	if (a[EXPETHER_A_WINDOW]) {
		window = nla_get_u32(a[EXPETHER_A_WINDOW]);
		if (window < 1 || window > EE_GBN_MAX_WINDOW) {
			NL_SET_ERR_MSG_ATTR(extack, a[EXPETHER_A_WINDOW],
					    "window must be 1..512 frames");
			return -EINVAL;
		}
		link = true;
	}
	if (a[EXPETHER_A_RTO_MIN_US]) {
		v = nla_get_u32(a[EXPETHER_A_RTO_MIN_US]);
		if (v < 1 || v > EE_NL_RTO_MIN_MAX_US) {
			NL_SET_ERR_MSG_ATTR(extack, a[EXPETHER_A_RTO_MIN_US],
					    "RTO floor must be 1..64000 us");
			return -EINVAL;
		}
		rto_min = (u64)v * NSEC_PER_USEC;
		link = true;
	}

	if (a[EXPETHER_A_MGMT_KEY]) {
		err = ee_mgmt_set_key(t, nla_data(a[EXPETHER_A_MGMT_KEY]),
				      nla_len(a[EXPETHER_A_MGMT_KEY]));
		if (err) {
			NL_SET_ERR_MSG_ATTR(extack, a[EXPETHER_A_MGMT_KEY],
					    "cannot set up hmac(sha256) with this key");
			return err;
		}
	}
	if (a[EXPETHER_A_DIF_INTERVAL_MS])
		ee_dif_set_interval(t, nla_get_u32(a[EXPETHER_A_DIF_INTERVAL_MS]));
	if (a[EXPETHER_A_DIF_TIMEOUT_MS])
		ee_host_set_dif_timeout(h,
					nla_get_u32(a[EXPETHER_A_DIF_TIMEOUT_MS]));
	if (link)
		ee_host_set_link_params(h, window, rto_min);
	if (a[EXPETHER_A_GID]) {
		err = ee_host_set_gid(h, nla_get_u16(a[EXPETHER_A_GID]));
		if (err) {
			NL_SET_ERR_MSG_ATTR(extack, a[EXPETHER_A_GID],
					    "the network device refused the group's VLAN");
			return err;
		}
	}
	return 0;
}

/* ---- I/O bridges -------------------------------------------------------- */

/* What a dump shows of one slot and its bridge, taken under slot_lock. */
struct ee_nl_port {
	unsigned int slot;		/* 1-based */
	bool attached;
	bool admin_down;
	bool link_active;
	u8 mac[ETH_ALEN];
	struct ee_dif dif;
	unsigned int age_ms;
	unsigned int timeout_ms;
	const char *why;
	u8 sec;
	u8 devfn;
};

static void ee_nl_port_snap(struct ee_host *h, unsigned int i,
			    struct ee_nl_port *s)
{
	struct ee_port *port = &h->ports[i];
	unsigned long flags;
	u8 sub;

	raw_spin_lock_irqsave(&h->slot_lock, flags);
	s->slot = i + 1;
	s->attached = port->attached;
	s->admin_down = port->admin_down;
	ether_addr_copy(s->mac, port->peer_mac);
	s->dif = port->dif;
	s->age_ms = jiffies_to_msecs(jiffies - port->last_seen);
	s->timeout_ms = ee_port_dif_timeout_ms(h, port);
	s->why = port->last_why;
	raw_spin_unlock_irqrestore(&h->slot_lock, flags);
	s->link_active = s->attached && ee_rp_link_active(&port->rp);
	s->devfn = port->devfn;
	ee_rp_bus_range(&port->rp, &s->sec, &sub);
}

static int ee_nl_put_device(struct sk_buff *skb, const struct ee_dif *d)
{
	if (nla_put_u16(skb, EXPETHER_A_VENDOR, d->vendor) ||
	    nla_put_u16(skb, EXPETHER_A_DEVICE, d->device) ||
	    nla_put_u32(skb, EXPETHER_A_CLASS, d->class_rev) ||
	    nla_put_u16(skb, EXPETHER_A_SUBSYS_VENDOR, d->subsys_vendor) ||
	    nla_put_u16(skb, EXPETHER_A_SUBSYS_DEVICE, d->subsys_id))
		return -EMSGSIZE;
	return 0;
}

static int ee_nl_fill_peer(struct sk_buff *skb, struct ee_host *h,
			   const struct ee_nl_port *s, struct ee_link *l,
			   struct netlink_callback *cb)
{
	struct ee_peer *p = &h->ports[s->slot - 1].peer;
	u8 state, link = EXPETHER_LINK_CLOSED;
	void *hdr;

	hdr = genlmsg_put(skb, NETLINK_CB(cb->skb).portid, cb->nlh->nlmsg_seq,
			  &ee_genl_family, NLM_F_MULTI, EXPETHER_CMD_PEER_GET);
	if (!hdr)
		return -EMSGSIZE;
	state = s->attached ? EXPETHER_PEER_UP : s->admin_down ?
		EXPETHER_PEER_HELD : EXPETHER_PEER_DOWN;
	if (p->ring) {
		ee_peer_snapshot(p, l, NULL);
		link = l->g.state == EE_GBN_OPEN ? EXPETHER_LINK_OPEN :
		       l->g.state == EE_GBN_DEAD ? EXPETHER_LINK_DEAD :
		       EXPETHER_LINK_CLOSED;
	}
	if (nla_put(skb, EXPETHER_A_MAC, ETH_ALEN, s->mac) ||
	    nla_put_u16(skb, EXPETHER_A_GID, s->dif.gid) ||
	    nla_put_u32(skb, EXPETHER_A_EPOCH, s->dif.epoch) ||
	    nla_put_u64_64bit(skb, EXPETHER_A_BRIDGE_ID, s->dif.bridge_id,
			      EXPETHER_A_PAD) ||
	    ee_nl_put_device(skb, &s->dif) ||
	    nla_put_u32(skb, EXPETHER_A_SLOT, s->slot) ||
	    nla_put_u8(skb, EXPETHER_A_PEER_STATE, state) ||
	    nla_put_u32(skb, EXPETHER_A_DIF_INTERVAL_MS, s->dif.interval_ms) ||
	    nla_put_u32(skb, EXPETHER_A_DIF_TIMEOUT_MS, s->timeout_ms) ||
	    nla_put_u32(skb, EXPETHER_A_DIF_AGE_MS, s->age_ms) ||
	    nla_put_u8(skb, EXPETHER_A_LINK_STATE, link) ||
	    (!s->attached && s->why &&
	     nla_put_string(skb, EXPETHER_A_REASON, s->why)) ||
	    (p->ring && ee_nl_put_link_stats(skb, p, l))) {
		genlmsg_cancel(skb, hdr);
		return -EMSGSIZE;
	}
	genlmsg_end(skb, hdr);
	return 0;
}

/* cb->args[0]: the next slot index. */
static int ee_nl_peer_dump(struct sk_buff *skb, struct netlink_callback *cb)
{
	struct ee_host *h = ee_nl_host;
	struct ee_nl_port s;
	struct ee_link *l;
	unsigned int i;
	int err = 0;

	l = kmalloc(sizeof(*l), GFP_KERNEL);
	if (!l)
		return -ENOMEM;
	for (i = cb->args[0]; i < h->nr_ports; i++) {
		ee_nl_port_snap(h, i, &s);
		if (is_zero_ether_addr(s.mac))
			continue;	/* never had a bridge */
		err = ee_nl_fill_peer(skb, h, &s, l, cb);
		if (err)
			break;
	}
	kfree(l);
	cb->args[0] = i;
	/* A full message: continue in the next one; none fit: an error. */
	if (err && !skb->len)
		return err;
	return skb->len;
}

static int ee_nl_fill_slot(struct sk_buff *skb, const struct ee_nl_port *s,
			   struct netlink_callback *cb)
{
	u8 state;
	void *hdr;

	hdr = genlmsg_put(skb, NETLINK_CB(cb->skb).portid, cb->nlh->nlmsg_seq,
			  &ee_genl_family, NLM_F_MULTI, EXPETHER_CMD_SLOT_GET);
	if (!hdr)
		return -EMSGSIZE;
	if (s->attached)
		state = s->link_active ? EXPETHER_SLOT_UP :
			EXPETHER_SLOT_LINK_DISABLED;
	else
		state = s->admin_down ? EXPETHER_SLOT_ADMIN_DOWN :
			EXPETHER_SLOT_EMPTY;
	if (nla_put_u32(skb, EXPETHER_A_SLOT, s->slot) ||
	    nla_put_u32(skb, EXPETHER_A_SLOT_DEVFN, s->devfn) ||
	    nla_put_u32(skb, EXPETHER_A_SLOT_BUS, s->sec) ||
	    nla_put_u8(skb, EXPETHER_A_SLOT_STATE, state) ||
	    nla_put_u8(skb, EXPETHER_A_SLOT_ADMIN, s->admin_down ?
		       EXPETHER_ADMIN_DOWN : EXPETHER_ADMIN_UP) ||
	    ((s->attached || (s->admin_down && !is_zero_ether_addr(s->mac))) &&
	     (nla_put(skb, EXPETHER_A_MAC, ETH_ALEN, s->mac) ||
	      ee_nl_put_device(skb, &s->dif))) ||
	    (!s->attached && s->why &&
	     nla_put_string(skb, EXPETHER_A_REASON, s->why))) {
		genlmsg_cancel(skb, hdr);
		return -EMSGSIZE;
	}
	genlmsg_end(skb, hdr);
	return 0;
}

static int ee_nl_slot_dump(struct sk_buff *skb, struct netlink_callback *cb)
{
	struct ee_host *h = ee_nl_host;
	struct ee_nl_port s;
	unsigned int i;
	int err = 0;

	for (i = cb->args[0]; i < h->nr_ports; i++) {
		ee_nl_port_snap(h, i, &s);
		err = ee_nl_fill_slot(skb, &s, cb);
		if (err)
			break;
	}
	cb->args[0] = i;
	if (err && !skb->len)
		return err;
	return skb->len;
}

static int ee_nl_slot_set(struct sk_buff *skb, struct genl_info *info)
{
	struct netlink_ext_ack *extack = info->extack;
	struct ee_host *h = ee_nl_host;
	struct nlattr **a = info->attrs;
	u32 slot;
	u8 admin;

	if (!a[EXPETHER_A_SLOT]) {
		NL_SET_ERR_MSG(extack, "which slot? (EXPETHER_A_SLOT)");
		return -EINVAL;
	}
	if (!a[EXPETHER_A_SLOT_ADMIN]) {
		NL_SET_ERR_MSG(extack, "attach or detach? (EXPETHER_A_SLOT_ADMIN)");
		return -EINVAL;
	}
	slot = nla_get_u32(a[EXPETHER_A_SLOT]);
	if (slot < 1 || slot > h->nr_ports) {
		NL_SET_ERR_MSG_ATTR(extack, a[EXPETHER_A_SLOT],
				    "no such slot (see: eectl slot show)");
		return -ENOENT;
	}
	admin = nla_get_u8(a[EXPETHER_A_SLOT_ADMIN]);
	if (admin != EXPETHER_ADMIN_UP && admin != EXPETHER_ADMIN_DOWN) {
		NL_SET_ERR_MSG_ATTR(extack, a[EXPETHER_A_SLOT_ADMIN],
				    "admin state is 0 (down) or 1 (up)");
		return -EINVAL;
	}
	ee_slot_set_admin(h, slot - 1, admin == EXPETHER_ADMIN_UP);
	return 0;
}

/* Move an I/O bridge to another group: the system manager's role. */
static int ee_nl_peer_set(struct sk_buff *skb, struct genl_info *info)
{
	struct ee_event ev = { .type = EXPETHER_EVENT_MGMT_SENT };
	struct netlink_ext_ack *extack = info->extack;
	struct ee_host *h = ee_nl_host;
	struct nlattr **a = info->attrs;
	u16 gid, cur = 0, ours = READ_ONCE(h->xport.gid);
	u64 target_id = 0, counter;
	struct ee_nl_port s;
	const u8 *mac;
	unsigned int i;
	int err;

	if (!a[EXPETHER_A_MAC]) {
		NL_SET_ERR_MSG(extack, "which I/O bridge? (EXPETHER_A_MAC)");
		return -EINVAL;
	}
	if (!a[EXPETHER_A_GID]) {
		NL_SET_ERR_MSG(extack, "to which group? (EXPETHER_A_GID)");
		return -EINVAL;
	}
	mac = nla_data(a[EXPETHER_A_MAC]);
	gid = nla_get_u16(a[EXPETHER_A_GID]);
	if (!is_valid_ether_addr(mac)) {
		NL_SET_ERR_MSG_ATTR(extack, a[EXPETHER_A_MAC],
				    "not a unicast MAC address");
		return -EINVAL;
	}
	if (!ee_gid_valid(gid)) {
		NL_SET_ERR_MSG_ATTR(extack, a[EXPETHER_A_GID],
				    "invalid GID: a group is 1..4094");
		return -EINVAL;
	}
	/* One of ours: its group is ours, its bridge ID is known. */
	for (i = 0; i < h->nr_ports; i++) {
		ee_nl_port_snap(h, i, &s);
		if (s.attached && ether_addr_equal(s.mac, mac)) {
			cur = ours;
			target_id = s.dif.bridge_id;
			break;
		}
	}
	if (a[EXPETHER_A_PEER_GID]) {
		u16 pg = nla_get_u16(a[EXPETHER_A_PEER_GID]);

		if (!ee_gid_valid(pg)) {
			NL_SET_ERR_MSG_ATTR(extack, a[EXPETHER_A_PEER_GID],
					    "invalid GID: a group is 1..4094");
			return -EINVAL;
		}
		if (cur && pg != cur) {
			NL_SET_ERR_MSG_ATTR(extack, a[EXPETHER_A_PEER_GID],
					    "this I/O bridge is in our group");
			return -EINVAL;
		}
		cur = pg;
	}
	if (!cur) {
		NL_SET_ERR_MSG_ATTR(extack, a[EXPETHER_A_MAC],
				    "not an I/O bridge of our group: say which group it is in now");
		return -ENOENT;
	}
	if (cur == gid) {
		NL_SET_ERR_MSG_ATTR(extack, a[EXPETHER_A_GID],
				    "the I/O bridge is in that group already");
		return -EALREADY;
	}
	if (!ee_mgmt_has_key(&h->xport)) {
		NL_SET_ERR_MSG(extack,
			       "no management key: set one first (eectl bridge set key FILE)");
		return -ENOKEY;
	}
	/* Queued first: the bridge's answer (its goodbye DIF) may be
	 * received before the send returns.
	 */
	ether_addr_copy(ev.mac, mac);
	ev.gid = gid;
	ev.old_gid = cur;
	ee_event(h, &ev);
	err = ee_mgmt_send_set_gid(&h->xport, mac, cur, target_id, gid,
				   &counter);
	if (err) {
		NL_SET_ERR_MSG(extack, "the management frame was not sent");
		return err;
	}
	dev_info(&h->pdev->dev,
		 "asked I/O bridge %pM to move from group %u to %u (counter %llu)\n",
		 mac, cur, gid, counter);
	return 0;
}

static const struct genl_small_ops ee_nl_ops[] = {
	{
		.cmd	= EXPETHER_CMD_BRIDGE_GET,
		.doit	= ee_nl_bridge_get,
	},
	{
		.cmd	= EXPETHER_CMD_BRIDGE_SET,
		.doit	= ee_nl_bridge_set,
		.flags	= GENL_ADMIN_PERM,
	},
	{
		.cmd	= EXPETHER_CMD_PEER_GET,
		.dumpit	= ee_nl_peer_dump,
	},
	{
		.cmd	= EXPETHER_CMD_PEER_SET,
		.doit	= ee_nl_peer_set,
		.flags	= GENL_ADMIN_PERM,
	},
	{
		.cmd	= EXPETHER_CMD_SLOT_GET,
		.dumpit	= ee_nl_slot_dump,
	},
	{
		.cmd	= EXPETHER_CMD_SLOT_SET,
		.doit	= ee_nl_slot_set,
		.flags	= GENL_ADMIN_PERM,
	},
	{
		.cmd	= EXPETHER_CMD_STATS_GET,
		.doit	= ee_nl_stats_get,
	},
};

static struct genl_family ee_genl_family = {
	.name		= EXPETHER_GENL_NAME,
	.version	= EXPETHER_GENL_VERSION,
	.maxattr	= EXPETHER_A_MAX,
	.policy		= ee_nl_policy,
	.module		= THIS_MODULE,
	.small_ops	= ee_nl_ops,
	.n_small_ops	= ARRAY_SIZE(ee_nl_ops),
	/* Strict validation for every command: unknown attributes fail. */
	.resv_start_op	= EXPETHER_CMD_BRIDGE_GET,
	.mcgrps		= ee_nl_mcgrps,
	.n_mcgrps	= ARRAY_SIZE(ee_nl_mcgrps),
};

/* ---- events ------------------------------------------------------------- */

static int ee_nl_fill_event(struct sk_buff *skb, const struct ee_event *ev)
{
	if (nla_put_u8(skb, EXPETHER_A_EVENT, ev->type) ||
	    nla_put_u64_64bit(skb, EXPETHER_A_TIMESTAMP_NS, ev->ts,
			      EXPETHER_A_PAD) ||
	    (ev->slot && nla_put_u32(skb, EXPETHER_A_SLOT, ev->slot)) ||
	    (!is_zero_ether_addr(ev->mac) &&
	     nla_put(skb, EXPETHER_A_MAC, ETH_ALEN, ev->mac)) ||
	    (ev->gid && nla_put_u16(skb, EXPETHER_A_GID, ev->gid)) ||
	    (ev->old_gid && nla_put_u16(skb, EXPETHER_A_OLD_GID, ev->old_gid)) ||
	    (ev->epoch && nla_put_u32(skb, EXPETHER_A_EPOCH, ev->epoch)) ||
	    (ev->vendor && (nla_put_u16(skb, EXPETHER_A_VENDOR, ev->vendor) ||
			    nla_put_u16(skb, EXPETHER_A_DEVICE, ev->device) ||
			    nla_put_u32(skb, EXPETHER_A_CLASS, ev->class_rev))) ||
	    (ev->type == EXPETHER_EVENT_DMA_VIOLATION &&
	     (nla_put_u64_64bit(skb, EXPETHER_A_ADDR, ev->addr,
				EXPETHER_A_PAD) ||
	      nla_put_u32(skb, EXPETHER_A_LEN, ev->len))) ||
	    (ev->reason && nla_put_string(skb, EXPETHER_A_REASON, ev->reason)))
		return -EMSGSIZE;
	return 0;
}

static void ee_nl_send_event(const struct ee_event *ev)
{
	struct sk_buff *skb;
	void *hdr;

	if (!genl_has_listeners(&ee_genl_family, &init_net,
				EE_NL_MCGRP_EVENTS))
		return;
	skb = genlmsg_new(NLMSG_GOODSIZE, GFP_KERNEL);
	if (!skb)
		return;
	hdr = genlmsg_put(skb, 0, 0, &ee_genl_family, 0, EXPETHER_CMD_EVENT);
	if (!hdr || ee_nl_fill_event(skb, ev)) {
		nlmsg_free(skb);
		return;
	}
	genlmsg_end(skb, hdr);
	genlmsg_multicast(&ee_genl_family, skb, 0, EE_NL_MCGRP_EVENTS,
			  GFP_KERNEL);
}

static void ee_events_work(struct work_struct *work)
{
	struct ee_host *h = container_of(work, struct ee_host, events.work);
	struct ee_events *e = &h->events;
	struct ee_event ev;
	unsigned long flags;

	for (;;) {
		raw_spin_lock_irqsave(&e->lock, flags);
		if (e->head == e->tail) {
			raw_spin_unlock_irqrestore(&e->lock, flags);
			return;
		}
		ev = e->q[e->head % EE_EVENT_QUEUE];
		e->head++;
		raw_spin_unlock_irqrestore(&e->lock, flags);
		ee_nl_send_event(&ev);
	}
}

void ee_events_init(struct ee_host *h)
{
	raw_spin_lock_init(&h->events.lock);
	INIT_WORK(&h->events.work, ee_events_work);
	h->events.closed = true;
}

void ee_event(struct ee_host *h, struct ee_event *ev)
{
	struct ee_events *e = &h->events;
	unsigned long flags;
	bool queued = false;

	ev->ts = ktime_get_boot_fast_ns();
	raw_spin_lock_irqsave(&e->lock, flags);
	if (e->closed) {
		queued = true;		/* nobody to tell: not lost */
	} else if (e->tail - e->head < EE_EVENT_QUEUE) {
		e->q[e->tail % EE_EVENT_QUEUE] = *ev;
		e->tail++;
		queued = true;
		/* Any context: queue_work() only takes raw locks. */
		schedule_work(&e->work);
	}
	raw_spin_unlock_irqrestore(&e->lock, flags);
	if (!queued)
		ee_count(&h->xport, EE_C_EVENTS_LOST);
}

void ee_event_port(struct ee_host *h, u8 type, struct ee_port *port,
		   const char *reason)
{
	struct ee_event ev = {
		.type = type,
		.slot = port->rp.index + 1,
		.gid = port->dif.gid,
		.epoch = port->dif.epoch,
		.vendor = port->dif.vendor,
		.device = port->dif.device,
		.class_rev = port->dif.class_rev,
		.reason = reason,
	};

	ether_addr_copy(ev.mac, port->peer_mac);
	ee_event(h, &ev);
}

void ee_event_violation(struct ee_host *h, struct ee_port *port,
			const char *what, u64 addr, u32 len)
{
	/* A rogue device could write as fast as the link goes. */
	static DEFINE_RATELIMIT_STATE(rs, HZ, 10);
	struct ee_event ev = {
		.type = EXPETHER_EVENT_DMA_VIOLATION,
		.slot = port->rp.index + 1,
		.addr = addr,
		.len = len,
		.reason = what,
	};

	if (!__ratelimit(&rs))
		return;
	ether_addr_copy(ev.mac, port->peer_mac);
	ee_event(h, &ev);
}

/* ---- life cycle --------------------------------------------------------- */

int ee_netlink_init(struct ee_host *h)
{
	unsigned long flags;
	int err;

	ee_nl_host = h;
	err = genl_register_family(&ee_genl_family);
	if (err) {
		ee_nl_host = NULL;
		dev_err(&h->pdev->dev,
			"cannot register generic netlink family %s: %d\n",
			EXPETHER_GENL_NAME, err);
		return err;
	}
	raw_spin_lock_irqsave(&h->events.lock, flags);
	h->events.closed = false;
	raw_spin_unlock_irqrestore(&h->events.lock, flags);
	return 0;
}

void ee_netlink_exit(struct ee_host *h)
{
	unsigned long flags;

	/* Waits for the requests in progress. */
	genl_unregister_family(&ee_genl_family);
	ee_nl_host = NULL;
	raw_spin_lock_irqsave(&h->events.lock, flags);
	h->events.closed = true;
	raw_spin_unlock_irqrestore(&h->events.lock, flags);
	cancel_work_sync(&h->events.work);
}
