// SPDX-License-Identifier: GPL-2.0
/*
 * debugfs view of the host bridge, until the netlink control plane:
 *   /sys/kernel/debug/expether/counters   name value, one per line
 *   /sys/kernel/debug/expether/slots      one line per slot
 */
#include <linux/debugfs.h>
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

void ee_debugfs_init(struct ee_host *h)
{
	h->debugfs = debugfs_create_dir("expether", NULL);
	debugfs_create_file("counters", 0444, h->debugfs, h,
			    &ee_counters_fops);
	debugfs_create_file("slots", 0444, h->debugfs, h, &ee_slots_fops);
}

void ee_debugfs_exit(struct ee_host *h)
{
	debugfs_remove_recursive(h->debugfs);
}
