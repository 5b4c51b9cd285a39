// SPDX-License-Identifier: GPL-2.0
/*
 * debugfs view of the host bridge, for tests and debugging (the stable
 * interface is the generic netlink family, netlink.c, and eectl):
 *   /sys/kernel/debug/expether/counters   name value, one per line
 *   /sys/kernel/debug/expether/slots      one line per slot
 *   /sys/kernel/debug/expether/peers      a block of "key value" lines per
 *                                         connection, blank line between
 *   /sys/kernel/debug/expether/bench      "write SLOT COUNT SIZE" runs the
 *                                         posted-write benchmark; reading
 *                                         gives the last result
 */
#include <linux/debugfs.h>
#include <linux/slab.h>
#include <linux/uaccess.h>
#include <linux/etherdevice.h>
#include <linux/jiffies.h>
#include <linux/seq_file.h>

#include "expether.h"

static int ee_counters_show(struct seq_file *s, void *unused)
{
	struct ee_host *h = s->private;
	struct ee_transport *t = &h->xport;
	unsigned int i;

	for (i = 0; i < EE_C__MAX; i++)
		seq_printf(s, "%s %ld\n", ee_counter_names[i],
			   atomic_long_read(&t->counters[i]));
	for (i = 1; i < EE_ERR__MAX; i++) {
		const char *c;

		/* "rx_malformed_<reason>", the reason's spaces as '_'. */
		seq_puts(s, "rx_malformed_");
		for (c = ee_err_str(-i); *c; c++)
			seq_putc(s, *c == ' ' ? '_' : *c);
		seq_printf(s, " %ld\n", atomic_long_read(&t->rx_err[i]));
	}
	return 0;
}
DEFINE_SHOW_ATTRIBUTE(ee_counters);

static int ee_slots_show(struct seq_file *s, void *unused)
{
	struct ee_host *h = s->private;
	unsigned int i;

	seq_puts(s, "slot port     bus state    bridge            epoch    device    class  seen_ms\n");
	for (i = 0; i < h->nr_ports; i++) {
		struct ee_port *port = &h->ports[i];
		unsigned long flags;
		struct ee_dif dif;
		bool attached;
		u8 mac[ETH_ALEN];
		unsigned long seen;
		u8 sec, sub;

		raw_spin_lock_irqsave(&h->slot_lock, flags);
		attached = port->attached;
		dif = port->dif;
		ether_addr_copy(mac, port->peer_mac);
		seen = port->last_seen;
		raw_spin_unlock_irqrestore(&h->slot_lock, flags);
		ee_rp_bus_range(&port->rp, &sec, &sub);

		seq_printf(s, "%4u %02x:%02x.%x %3u %-8s ", i + 1, 0,
			   PCI_SLOT(port->devfn), PCI_FUNC(port->devfn), sec,
			   attached ? (ee_rp_link_active(&port->rp) ?
				       "up" : "disabled") : "empty");
		if (attached)
			seq_printf(s, "%pM %08x %04x:%04x %06x %u\n", mac,
				   dif.epoch, dif.vendor, dif.device,
				   dif.class_rev >> 8,
				   jiffies_to_msecs(jiffies - seen));
		else
			seq_puts(s, "-\n");
	}
	return 0;
}
DEFINE_SHOW_ATTRIBUTE(ee_slots);

static const char *const ee_gbn_state_names[] = {
	[EE_GBN_CLOSED]	= "closed",
	[EE_GBN_OPEN]	= "open",
	[EE_GBN_DEAD]	= "dead",
};

static void ee_peer_show(struct seq_file *s, unsigned int slot,
			 struct ee_peer *p, const struct ee_link *l,
			 const u8 *mac)
{
	const struct ee_gbn_stats *st = &l->g.st;
	u64 rate_bps = l->r.rate * 8;

#define EE_KV(name, val) seq_printf(s, "%s %llu\n", name, (u64)(val))
	seq_printf(s, "peer %pM\nslot %u\nstate %s\n", mac, slot,
		   ee_gbn_state_names[l->g.state]);
	seq_printf(s, "epoch %08x\npeer_epoch %08x\n", l->g.local_epoch,
		   l->g.peer_epoch);
	EE_KV("generation", l->g.gen);
	EE_KV("tx_frames", st->tx_frames);
	EE_KV("tx_bytes", st->tx_bytes);
	EE_KV("rtx_frames", st->rtx_frames);
	EE_KV("rtx_bytes", st->rtx_bytes);
	EE_KV("tx_acks", st->tx_acks);
	EE_KV("tx_probes", st->tx_probes);
	EE_KV("rx_frames", st->rx_frames);
	EE_KV("rx_bytes", st->rx_bytes);
	EE_KV("rx_dup", st->rx_dup);
	EE_KV("rx_ooo", st->rx_ooo);
	EE_KV("rx_stale", st->rx_stale);
	EE_KV("rx_unseq", st->rx_unseq);
	EE_KV("rx_ignored", st->rx_ignored);
	EE_KV("rx_acks", st->rx_acks);
	EE_KV("rx_bad_acks", st->rx_bad_acks);
	EE_KV("rx_dupacks", st->rx_dupacks);
	EE_KV("rx_probes", st->rx_probes);
	EE_KV("rx_probe_echoes", st->rx_probe_echoes);
	EE_KV("timeouts", st->timeouts);
	EE_KV("fast_rtx", st->fast_rtx);
	EE_KV("resets", st->resets);
	EE_KV("peer_restarts", st->peer_restarts);
	EE_KV("deaths", st->deaths);
	EE_KV("rtt_samples", st->rtt_samples);
	EE_KV("rtt_min_us", div_u64(st->rtt_min_ns, NSEC_PER_USEC));
	EE_KV("rtt_last_us", div_u64(st->rtt_last_ns, NSEC_PER_USEC));
	EE_KV("srtt_us", div_u64(l->g.srtt_ns, NSEC_PER_USEC));
	EE_KV("rttvar_us", div_u64(l->g.rttvar_ns, NSEC_PER_USEC));
	EE_KV("rto_us", div_u64(l->g.rto_ns, NSEC_PER_USEC));
	EE_KV("dead_bound_ms", div_u64(ee_gbn_dead_bound(&l->g),
				       NSEC_PER_MSEC));
	EE_KV("base_rtt_us", div_u64(l->r.base_rtt_ns, NSEC_PER_USEC));
	EE_KV("rate_bps", rate_bps);
	seq_printf(s, "rate_state %s\n", l->r.state == EE_RATE_PROBE ?
		   "probe" : l->r.state == EE_RATE_RUN ? "run" : "idle");
	EE_KV("rate_increases", l->r.st.increases);
	EE_KV("rate_decreases", l->r.st.decreases);
	EE_KV("in_flight", ee_gbn_in_flight(&l->g));
	EE_KV("window", l->g.cfg.window);
	EE_KV("window_now", ee_gbn_window(&l->g));
	EE_KV("delivered_fps", l->r.fps);
	EE_KV("unsent", l->unsent);
	EE_KV("queued", l->st.queued);
	EE_KV("queue_full", l->st.queue_full);
	EE_KV("flushed", l->st.flushed);
	EE_KV("paced", l->st.paced);
	EE_KV("tx_nomem", atomic_long_read(&p->tx_nomem));
	EE_KV("tx_fail", atomic_long_read(&p->tx_fail));
#undef EE_KV
	seq_putc(s, '\n');
}

static int ee_peers_show(struct seq_file *s, void *unused)
{
	struct ee_host *h = s->private;
	struct ee_link *l;
	unsigned int i;

	l = kmalloc(sizeof(*l), GFP_KERNEL);
	if (!l)
		return -ENOMEM;
	for (i = 0; i < h->nr_ports; i++) {
		struct ee_peer *p = &h->ports[i].peer;
		u8 mac[ETH_ALEN];

		/* Slots that never had a bridge have no connection state. */
		if (!p->ring)
			continue;
		ee_peer_snapshot(p, l, mac);
		ee_peer_show(s, i + 1, p, l, mac);
	}
	kfree(l);
	return 0;
}
DEFINE_SHOW_ATTRIBUTE(ee_peers);

static int ee_bench_show(struct seq_file *s, void *unused)
{
	struct ee_host *h = s->private;
	const struct ee_bench_result *r = &h->bench;

	mutex_lock(&h->bench_lock);
	seq_printf(s, "frames %llu bytes %llu ns %llu rtx %llu timeouts %llu err %d\n",
		   r->frames, r->bytes, r->ns, r->rtx, r->timeouts,
		   h->bench_err);
	mutex_unlock(&h->bench_lock);
	return 0;
}

static int ee_bench_open(struct inode *inode, struct file *file)
{
	return single_open(file, ee_bench_show, inode->i_private);
}

static ssize_t ee_bench_write_file(struct file *file, const char __user *ubuf,
				   size_t len, loff_t *ppos)
{
	struct ee_host *h = file_inode(file)->i_private;
	unsigned int slot, count, size;
	struct ee_bench_result r = {};
	char buf[64];
	int err;

	if (len >= sizeof(buf))
		return -EINVAL;
	if (copy_from_user(buf, ubuf, len))
		return -EFAULT;
	buf[len] = '\0';
	if (sscanf(buf, "write %u %u %u", &slot, &count, &size) != 3)
		return -EINVAL;
	mutex_lock(&h->bench_lock);
	err = ee_bench_write(h, slot, count, size, &r);
	h->bench = r;
	h->bench_err = err;
	mutex_unlock(&h->bench_lock);
	return err ? err : len;
}

static const struct file_operations ee_bench_fops = {
	.owner		= THIS_MODULE,
	.open		= ee_bench_open,
	.read		= seq_read,
	.llseek		= seq_lseek,
	.release	= single_release,
	.write		= ee_bench_write_file,
};

void ee_debugfs_init(struct ee_host *h)
{
	h->debugfs = debugfs_create_dir("expether", NULL);
	debugfs_create_file("counters", 0444, h->debugfs, h,
			    &ee_counters_fops);
	debugfs_create_file("slots", 0444, h->debugfs, h, &ee_slots_fops);
	debugfs_create_file("peers", 0444, h->debugfs, h, &ee_peers_fops);
	debugfs_create_file("bench", 0600, h->debugfs, h, &ee_bench_fops);
}

void ee_debugfs_exit(struct ee_host *h)
{
	debugfs_remove_recursive(h->debugfs);
}
