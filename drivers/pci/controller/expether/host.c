// SPDX-License-Identifier: GPL-2.0
/*
 * expether host bridge: a PCI domain of its own whose root bus holds the
 * emulated hot-plug root ports.  Config accesses to a port are answered
 * locally (rootport.c); accesses below a port become CfgRd/CfgWr TLPs to
 * the I/O bridge attached to it (request.c).  I/O bridges of our group
 * announce themselves with DIFs and are given a free slot; pciehp, not
 * this driver, then enumerates what is behind it.
 *
 * Address space: one region above RAM, reserved in iomem_resource:
 *
 *   base +  0       1 GiB   32-bit bus space, bus 0x40000000..0x7fffffff
 *                           (offset-mapped: bridge memory windows are
 *                           32-bit registers)
 *     bus 0x40000000  1 MiB   MSI doorbell, outside every bridge window
 *     bus 0x40100000          non-prefetchable window
 *   base + 16 GiB  16 GiB   64-bit prefetchable window, bus == CPU
 */
#include <linux/etherdevice.h>
#include <linux/ioport.h>
#include <linux/module.h>
#include <linux/pci.h>
#include <linux/platform_device.h>
#include <linux/slab.h>
#include <asm/pci.h>

#include "expether.h"
#include "mmio.h"

#define EE_BUS32_SIZE		SZ_1G
#define EE_PREF_OFFSET		(16ULL * SZ_1G)
#define EE_PREF_SIZE		(16ULL * SZ_1G)
#define EE_WINDOW_SIZE		(EE_PREF_OFFSET + EE_PREF_SIZE)
#define EE_DOMAIN_FIRST		0xee00
#define EE_DOMAIN_LAST		0xeeff

/* ---- config space routing -------------------------------------------- */

static struct ee_port *ee_root_port(struct ee_host *h, unsigned int devfn)
{
	return devfn < h->nr_ports ? &h->ports[devfn] : NULL;
}

/*
 * The port whose bus range holds @busnr; *type1 tells whether the target
 * is behind a bridge below the port's secondary bus.
 */
static struct ee_port *ee_port_for_bus(struct ee_host *h, u8 busnr,
				       bool *type1)
{
	unsigned int i;
	u8 sec, sub;

	for (i = 0; i < h->nr_ports; i++) {
		ee_rp_bus_range(&h->ports[i].rp, &sec, &sub);
		if (!sec || busnr < sec || busnr > sub)
			continue;
		*type1 = busnr != sec;
		return &h->ports[i];
	}
	return NULL;
}

struct ee_port *ee_port_of_dev(struct pci_dev *pdev)
{
	struct ee_host *h = ee_host_from_bus(pdev->bus);
	u8 busnr = pdev->bus->number, sec, sub;
	struct ee_port *port;
	bool type1;

	if (pci_is_root_bus(pdev->bus))
		return NULL;
	/* Port n owns bus n + 1 unless software renumbered. */
	if (busnr >= 1 && busnr <= h->nr_ports) {
		port = &h->ports[busnr - 1];
		ee_rp_bus_range(&port->rp, &sec, &sub);
		if (busnr >= sec && busnr <= sub)
			return port;
	}
	return ee_port_for_bus(h, busnr, &type1);
}

/*
 * Where a config access goes: an emulated port on the root bus (*remote
 * false), the I/O bridge below a port (*remote true, *type1 as routed), or
 * nowhere (NULL).
 */
static struct ee_port *ee_route(struct ee_host *h, struct pci_bus *bus,
				unsigned int devfn, bool *remote, bool *type1)
{
	struct ee_port *port;

	*remote = !pci_is_root_bus(bus);
	if (!*remote)
		return ee_root_port(h, devfn);
	port = ee_port_for_bus(h, bus->number, type1);
	/* Below a root port only device 0 exists (PCIe link). */
	if (port && !*type1 && PCI_SLOT(devfn))
		return NULL;
	return port;
}

static int ee_pci_read(struct pci_bus *bus, unsigned int devfn, int where,
		       int size, u32 *val)
{
	struct ee_host *h = ee_host_from_bus(bus);
	bool remote, type1;
	struct ee_port *port;

	port = ee_route(h, bus, devfn, &remote, &type1);
	if (!port) {
		PCI_SET_ERROR_RESPONSE(val);
		return PCIBIOS_DEVICE_NOT_FOUND;
	}
	if (remote)
		return ee_cfg_request(h, port, false, type1,
				      PCI_DEVID(bus->number, devfn), where,
				      size, val);
	*val = ee_rp_read(&port->rp, where, size);
	return PCIBIOS_SUCCESSFUL;
}

static int ee_pci_write(struct pci_bus *bus, unsigned int devfn, int where,
			int size, u32 val)
{
	struct ee_host *h = ee_host_from_bus(bus);
	bool remote, type1;
	struct ee_port *port;

	port = ee_route(h, bus, devfn, &remote, &type1);
	if (!port)
		return PCIBIOS_DEVICE_NOT_FOUND;
	if (remote)
		return ee_cfg_request(h, port, true, type1,
				      PCI_DEVID(bus->number, devfn), where,
				      size, &val);
	ee_rp_write(&port->rp, where, size, val);
	return PCIBIOS_SUCCESSFUL;
}

static struct pci_ops ee_pci_ops = {
	.read	= ee_pci_read,
	.write	= ee_pci_write,
};

/* ---- hot-plug slots ---------------------------------------------------- */

/* The port's hot-plug interrupt condition was asserted: send its MSI. */
static void ee_port_irq(struct ee_rootport *rp)
{
	struct ee_port *port = container_of(rp, struct ee_port, rp);
	u64 addr;
	u32 data;

	if (ee_rp_msi_msg(rp, &addr, &data))
		ee_msi_deliver(port->host, addr, data);
}

static struct ee_port *ee_find_peer_locked(struct ee_host *h, const u8 *mac)
{
	unsigned int i;

	for (i = 0; i < h->nr_ports; i++)
		if (h->ports[i].attached &&
		    ether_addr_equal(h->ports[i].peer_mac, mac))
			return &h->ports[i];
	return NULL;
}

/* The administratively down slot that holds back the bridge @mac. */
static struct ee_port *ee_find_held_locked(struct ee_host *h, const u8 *mac)
{
	unsigned int i;

	for (i = 0; i < h->nr_ports; i++)
		if (h->ports[i].admin_down && !h->ports[i].attached &&
		    ether_addr_equal(h->ports[i].peer_mac, mac))
			return &h->ports[i];
	return NULL;
}

/*
 * A slot for the bridge @mac: the one it had last if that is free (a
 * bridge that comes back finds its slot again), else the lowest slot that
 * never had a bridge, else the lowest free one.
 */
static struct ee_port *ee_pick_slot_locked(struct ee_host *h, const u8 *mac)
{
	struct ee_port *fresh = NULL, *used = NULL;
	unsigned int i;

	for (i = 0; i < h->nr_ports; i++) {
		struct ee_port *port = &h->ports[i];

		if (port->attached || port->admin_down)
			continue;
		if (ether_addr_equal(port->peer_mac, mac))
			return port;
		if (is_zero_ether_addr(port->peer_mac)) {
			if (!fresh)
				fresh = port;
		} else if (!used) {
			used = port;
		}
	}
	return fresh ?: used;
}

/* Give @port to the bridge @mac (@dif: its DIF, NULL: the one the port
 * keeps) and have ee_slot_work() attach it.
 */
static void ee_port_take_locked(struct ee_host *h, struct ee_port *port,
				const u8 *mac, const struct ee_dif *dif)
{
	port->attached = true;
	port->want_attach = true;
	ether_addr_copy(port->peer_mac, mac);
	if (dif)
		port->dif = *dif;
	port->last_seen = jiffies;
	queue_work(system_highpri_wq, &h->slot_work);
}

/*
 * Slots change in process context, in order, on the high-priority
 * workqueue (a busy machine must not delay a hot-remove by much): the
 * DIF watchdog too.  ee_slot_work() detaches
 * (requests failed, connection closed, link down for pciehp) and attaches
 * (connection opened, link up) what receive and timer paths asked for.
 */
static void ee_slot_detach_locked(struct ee_host *h, struct ee_port *port,
				  const char *why)
{
	if (!port->attached || port->want_detach || h->dying)
		return;
	port->want_detach = true;
	port->detach_why = why;
	queue_work(system_highpri_wq, &h->slot_work);
}

unsigned int ee_port_dif_timeout_ms(struct ee_host *h, struct ee_port *port)
{
	unsigned int ms = READ_ONCE(h->dif_timeout_ms);

	return ms ?: 3 * max_t(unsigned int, port->dif.interval_ms, 1);
}

/* Look at the DIF deadlines again now (e.g. a bridge was attached). */
static void ee_dif_watch_kick(struct ee_host *h)
{
	unsigned long flags;

	raw_spin_lock_irqsave(&h->slot_lock, flags);
	if (!h->dying)
		mod_delayed_work(system_highpri_wq, &h->dif_watch, 0);
	raw_spin_unlock_irqrestore(&h->slot_lock, flags);
}

/* Receive polls the watchdog makes (EE_POLL_BUDGET frames each) before
 * it declares a silent bridge gone.
 */
#define EE_WATCH_DRAIN_POLLS	8

/*
 * Hot-remove on DIF timeout: a bridge whose DIFs stopped for longer than
 * its timeout is detached.  Runs at the earliest deadline of the
 * attached bridges, and not at all while none is attached.  Before it
 * declares one gone it receives what the NIC holds: after a stall of its
 * CPU (a vCPU the host did not run) the DIFs may be there, unprocessed.
 */
static void ee_dif_watch(struct work_struct *work)
{
	struct ee_host *h = container_of(to_delayed_work(work), struct ee_host,
					 dif_watch);
	unsigned long now, next, deadline, flags;
	bool armed, drained = false, expired;
	unsigned int i, ms;

again:
	now = jiffies;
	next = 0;
	armed = false;
	expired = false;
	raw_spin_lock_irqsave(&h->slot_lock, flags);
	for (i = 0; i < h->nr_ports; i++) {
		struct ee_port *port = &h->ports[i];

		if (!port->attached || port->want_detach)
			continue;
		ms = ee_port_dif_timeout_ms(h, port);
		/*
		 * Any frame of its connection shows the bridge alive too: a
		 * DIF can be late behind a busy box or a CPU that spent a
		 * while with interrupts off (jiffies then lag).
		 */
		deadline = port->last_seen;
		if (port->peer.ring &&
		    time_after(READ_ONCE(port->peer.last_rx), deadline))
			deadline = READ_ONCE(port->peer.last_rx);
		deadline += msecs_to_jiffies(ms);
		if (time_after_eq(now, deadline) && !drained) {
			expired = true;
		} else if (time_after_eq(now, deadline)) {
			dev_info(&h->pdev->dev,
				 "slot %u: I/O bridge %pM: no DIF for %u ms\n",
				 i + 1, port->peer_mac,
				 jiffies_to_msecs(now - port->last_seen));
			ee_count(&h->xport, EE_C_DIF_TIMEOUTS);
			ee_event_port(h, EXPETHER_EVENT_PEER_DOWN, port,
				      "DIF timeout");
			ee_slot_detach_locked(h, port, "DIF timeout");
		} else if (!armed || time_before(deadline, next)) {
			next = deadline;
			armed = true;
		}
	}
	if (expired) {
		raw_spin_unlock_irqrestore(&h->slot_lock, flags);
		ee_count(&h->xport, EE_C_DIF_WATCH_DRAINS);
		for (i = 0; i < EE_WATCH_DRAIN_POLLS; i++)
			if (!ee_rxpoll(&h->xport))
				break;
		drained = true;
		goto again;
	}
	if (armed && !h->dying)
		mod_delayed_work(system_highpri_wq, &h->dif_watch, next - now);
	raw_spin_unlock_irqrestore(&h->slot_lock, flags);
}

static void ee_rx_dif(void *ctx, const u8 *src, const struct ee_dif *dif)
{
	bool present = dif->flags & EXPETHER_DIF_F_PRESENT;
	struct ee_host *h = ctx;
	struct ee_port *port;
	unsigned long flags;

	raw_spin_lock_irqsave(&h->slot_lock, flags);
	if (!h->ready || h->dying)
		goto unlock;
	port = ee_find_peer_locked(h, src);
	if (port) {
		port->last_seen = jiffies;
		port->dif.interval_ms = dif->interval_ms;
		if (port->want_detach)
			goto unlock;
		if (!present) {
			/* It says goodbye (e.g. it moves to another group). */
			dev_info(&h->pdev->dev,
				 "slot %u: I/O bridge %pM left the group\n",
				 port->rp.index + 1, src);
			ee_event_port(h, EXPETHER_EVENT_PEER_DOWN, port, "left");
			ee_slot_detach_locked(h, port, "bridge left");
		} else if (port->dif.epoch != dif->epoch) {
			/* A restarted bridge: its device lost its state and
			 * the connection its numbers.  Detach; its next DIF
			 * attaches it anew.
			 */
			dev_info(&h->pdev->dev,
				 "slot %u: I/O bridge %pM restarted (epoch %08x -> %08x)\n",
				 port->rp.index + 1, src, port->dif.epoch,
				 dif->epoch);
			ee_event_port(h, EXPETHER_EVENT_PEER_DOWN, port,
				      "restarted");
			ee_slot_detach_locked(h, port, "restarted");
		}
		goto unlock;
	}
	/* Held back by the administrator: remember it is alive. */
	port = ee_find_held_locked(h, src);
	if (port) {
		port->last_seen = jiffies;
		port->dif = *dif;
		goto unlock;
	}
	if (!present)
		goto unlock;
	port = ee_pick_slot_locked(h, src);
	if (!port) {
		ee_count(&h->xport, EE_C_NO_FREE_SLOT);
		goto unlock;
	}
	ee_port_take_locked(h, port, src, dif);
	ee_event_port(h, EXPETHER_EVENT_PEER_UP, port, NULL);
unlock:
	raw_spin_unlock_irqrestore(&h->slot_lock, flags);
}

static void ee_slot_attach(struct ee_host *h, struct ee_port *port)
{
	unsigned long flags;
	struct ee_dif dif;
	u8 mac[ETH_ALEN];
	int err = 0;

	raw_spin_lock_irqsave(&h->slot_lock, flags);
	dif = port->dif;
	ether_addr_copy(mac, port->peer_mac);
	raw_spin_unlock_irqrestore(&h->slot_lock, flags);

	if (!port->peer.ring)
		err = ee_peer_setup(&h->xport, &port->peer, port);
	if (err) {
		dev_err(&h->pdev->dev,
			"slot %u: I/O bridge %pM not attached: %d\n",
			port->rp.index + 1, mac, err);
		raw_spin_lock_irqsave(&h->slot_lock, flags);
		port->attached = false;
		raw_spin_unlock_irqrestore(&h->slot_lock, flags);
		return;
	}
	/* Our epoch first, so the bridge knows the connection it gets. */
	ee_dif_send_now(&h->xport);
	ee_peer_open(&port->peer, mac, dif.epoch);
	dev_info(&h->pdev->dev,
		 "slot %u: I/O bridge %pM attached, device %04x:%04x class %06x\n",
		 port->rp.index + 1, mac, dif.vendor, dif.device,
		 dif.class_rev >> 8);
	ee_rp_set_present(&port->rp, true);
	ee_event_port(h, EXPETHER_EVENT_SLOT_ATTACHED, port, NULL);
	ee_dif_watch_kick(h);
}

static void ee_slot_detach(struct ee_host *h, struct ee_port *port,
			   const char *why)
{
	unsigned long flags;
	u8 mac[ETH_ALEN];

	raw_spin_lock_irqsave(&h->slot_lock, flags);
	ether_addr_copy(mac, port->peer_mac);
	raw_spin_unlock_irqrestore(&h->slot_lock, flags);

	dev_info(&h->pdev->dev, "slot %u: I/O bridge %pM detached (%s)\n",
		 port->rp.index + 1, mac, why);
	/* Link down first: pciehp starts the removal, and new requests
	 * below the port fail at once; then those in flight.
	 */
	ee_rp_set_present(&port->rp, false);
	ee_requests_fail_port(h, mac);
	ee_intx_port_down(h, port);
	if (port->peer.ring)
		ee_peer_close(&port->peer);
	/* Any that slipped in before the link went down. */
	ee_requests_fail_port(h, mac);
	raw_spin_lock_irqsave(&h->slot_lock, flags);
	port->attached = false;
	port->want_detach = false;
	port->last_why = why;
	raw_spin_unlock_irqrestore(&h->slot_lock, flags);
	ee_event_port(h, EXPETHER_EVENT_SLOT_DETACHED, port, why);
}

/* Do what the receive and timer paths asked for; slot_mutex held. */
static void ee_slot_run(struct ee_host *h)
{
	unsigned int i;

	lockdep_assert_held(&h->slot_mutex);
	for (i = 0; i < h->nr_ports; i++) {
		struct ee_port *port = &h->ports[i];
		bool attach, detach;
		const char *why;
		unsigned long flags;

		raw_spin_lock_irqsave(&h->slot_lock, flags);
		attach = port->want_attach;
		detach = port->want_detach;
		why = port->detach_why;
		port->want_attach = false;
		raw_spin_unlock_irqrestore(&h->slot_lock, flags);
		if (READ_ONCE(h->dying))
			return;
		if (attach)
			ee_slot_attach(h, port);
		if (detach)
			ee_slot_detach(h, port, why);
	}
}

static void ee_slot_work(struct work_struct *work)
{
	struct ee_host *h = container_of(work, struct ee_host, slot_work);

	mutex_lock(&h->slot_mutex);
	ee_slot_run(h);
	mutex_unlock(&h->slot_mutex);
}

/* ---- the control plane's actions --------------------------------------- */

void ee_slot_set_admin(struct ee_host *h, unsigned int slot, bool up)
{
	struct ee_port *port = &h->ports[slot];
	bool detach = false, attach = false;
	unsigned long flags, fresh;

	mutex_lock(&h->slot_mutex);
	ee_slot_run(h);		/* what the receive path asked for first */
	raw_spin_lock_irqsave(&h->slot_lock, flags);
	if (!up) {
		detach = port->attached && !port->admin_down;
		port->admin_down = true;
	} else if (port->admin_down) {
		port->admin_down = false;
		/* The bridge it held back, if it still announces itself and
		 * no other slot took it: at once, not at its next DIF.
		 */
		fresh = port->last_seen +
			msecs_to_jiffies(ee_port_dif_timeout_ms(h, port));
		if (!port->attached && !is_zero_ether_addr(port->peer_mac) &&
		    (port->dif.flags & EXPETHER_DIF_F_PRESENT) &&
		    time_before(jiffies, fresh) &&
		    !ee_find_peer_locked(h, port->peer_mac)) {
			ee_port_take_locked(h, port, port->peer_mac, NULL);
			attach = true;
		}
	}
	raw_spin_unlock_irqrestore(&h->slot_lock, flags);
	if (detach)
		ee_slot_detach(h, port, "administratively detached");
	if (attach) {
		ee_event_port(h, EXPETHER_EVENT_PEER_UP, port, NULL);
		ee_slot_run(h);
	}
	mutex_unlock(&h->slot_mutex);
}

int ee_host_set_gid(struct ee_host *h, u16 gid)
{
	struct ee_event ev = { .type = EXPETHER_EVENT_GID_CHANGED };
	u16 old = READ_ONCE(h->xport.gid);
	unsigned long flags;
	unsigned int i;
	int err;

	if (gid == old)
		return 0;
	mutex_lock(&h->slot_mutex);
	/* No bridge of either group is attached while we move. */
	raw_spin_lock_irqsave(&h->slot_lock, flags);
	h->ready = false;
	raw_spin_unlock_irqrestore(&h->slot_lock, flags);
	ee_slot_run(h);
	for (i = 0; i < h->nr_ports; i++) {
		struct ee_port *port = &h->ports[i];
		bool attached;

		raw_spin_lock_irqsave(&h->slot_lock, flags);
		attached = port->attached;
		raw_spin_unlock_irqrestore(&h->slot_lock, flags);
		if (attached)
			ee_slot_detach(h, port, "host changed group");
	}
	err = ee_transport_set_gid(&h->xport, gid);
	raw_spin_lock_irqsave(&h->slot_lock, flags);
	h->ready = true;
	raw_spin_unlock_irqrestore(&h->slot_lock, flags);
	mutex_unlock(&h->slot_mutex);
	if (err)
		return err;
	dev_info(&h->pdev->dev, "group %u -> %u\n", old, gid);
	ev.gid = gid;
	ev.old_gid = old;
	ee_event(h, &ev);
	return 0;
}

void ee_host_set_link_params(struct ee_host *h, u32 window, u64 rto_min_ns)
{
	unsigned int i;

	mutex_lock(&h->slot_mutex);
	h->xport.window = window;
	h->xport.rto_min_ns = rto_min_ns;
	for (i = 0; i < h->nr_ports; i++)
		if (h->ports[i].peer.ring)
			ee_peer_set_params(&h->ports[i].peer, window,
					   rto_min_ns);
	mutex_unlock(&h->slot_mutex);
}

void ee_host_set_dif_timeout(struct ee_host *h, unsigned int ms)
{
	WRITE_ONCE(h->dif_timeout_ms, ms);
	ee_dif_watch_kick(h);
}

/* From the peer's receive or timer path (softirq, or a spinning waiter). */
static void ee_peer_restart(void *ctx, void *owner)
{
	struct ee_host *h = ctx;
	struct ee_port *port = owner;

	dev_info_ratelimited(&h->pdev->dev,
			     "slot %u: I/O bridge %pM opened a new connection\n",
			     port->rp.index + 1, port->peer.mac);
	ee_requests_fail_port(h, port->peer.mac);
}

static void ee_peer_dead(void *ctx, void *owner)
{
	struct ee_host *h = ctx;
	struct ee_port *port = owner;
	unsigned long flags;

	dev_warn_ratelimited(&h->pdev->dev,
			     "slot %u: I/O bridge %pM stopped acknowledging: link down\n",
			     port->rp.index + 1, port->peer.mac);
	/* No waiter stays for its completion timeout. */
	ee_requests_fail_port(h, port->peer.mac);
	raw_spin_lock_irqsave(&h->slot_lock, flags);
	if (port->attached && !port->want_detach)
		ee_event_port(h, EXPETHER_EVENT_PEER_DEAD, port,
			      "stopped acknowledging");
	ee_slot_detach_locked(h, port, "peer dead");
	raw_spin_unlock_irqrestore(&h->slot_lock, flags);
}

/* Our network device is going away: every slot goes down. */
static void ee_dev_gone(void *ctx)
{
	struct ee_host *h = ctx;
	unsigned long flags;
	unsigned int i;

	for (i = 0; i < h->nr_ports; i++) {
		struct ee_port *port = &h->ports[i];
		bool was;

		raw_spin_lock_irqsave(&h->slot_lock, flags);
		was = port->attached;
		port->attached = false;
		port->want_attach = false;
		port->want_detach = false;
		raw_spin_unlock_irqrestore(&h->slot_lock, flags);
		if (port->peer.ring)
			ee_peer_close(&port->peer);
		if (was) {
			ee_rp_set_present(&port->rp, false);
			port->last_why = "network device gone";
			ee_event_port(h, EXPETHER_EVENT_SLOT_DETACHED, port,
				      port->last_why);
		}
	}
	ee_requests_fail_port(h, NULL);
}

/* Whether @rid names a function below @port (its bus range). */
static bool ee_port_owns_rid(struct ee_port *port, u16 rid)
{
	u8 sec, sub, bus = PCI_BUS_NUM(rid);

	ee_rp_bus_range(&port->rp, &sec, &sub);
	return sec && bus >= sec && bus <= sub;
}

static void ee_rx_tlp(void *ctx, void *owner, const u8 *src,
		      const struct ee_tlp *tlp)
{
	struct ee_host *h = ctx;
	struct ee_port *port = owner;

	switch (tlp->kind) {
	case EE_TLP_CPL:
	case EE_TLP_CPLD:
		ee_complete(h, src, tlp);
		break;
	case EE_TLP_MRD:
	case EE_TLP_MWR:
		/* A device may only speak for functions below its port. */
		if (!ee_port_owns_rid(port, tlp->req_id)) {
			ee_count(&h->xport, EE_C_RX_UNSUPPORTED);
			break;
		}
		ee_dma_rx(h, port, tlp);
		break;
	case EE_TLP_MSG:
		if (tlp->msg_code >= EE_MSG_ASSERT_INTA &&
		    tlp->msg_code <= EE_MSG_DEASSERT_INTX(3) &&
		    tlp->msg_routing == EE_MSG_ROUTE_LOCAL &&
		    ee_port_owns_rid(port, tlp->req_id)) {
			ee_intx_rx(h, port, tlp);
			break;
		}
		ee_count(&h->xport, EE_C_RX_UNSUPPORTED);
		break;
	default:
		ee_count(&h->xport, EE_C_RX_UNSUPPORTED);
		break;
	}
}

static void ee_rx_done(void *ctx, void *owner)
{
	ee_dma_flush(ctx);
}

static const struct ee_transport_ops ee_host_xport_ops = {
	.rx_tlp		= ee_rx_tlp,
	.rx_done	= ee_rx_done,
	.peer_restart	= ee_peer_restart,
	.peer_dead	= ee_peer_dead,
	.rx_dif		= ee_rx_dif,
	.dev_gone	= ee_dev_gone,
};

/* ---- address space ------------------------------------------------------ */

static int ee_reserve_window(struct ee_host *h)
{
	unsigned int bits = boot_cpu_data.x86_phys_bits;
	resource_size_t min, max;
	u64 base, cpu32;
	int err;

	/* Stay clear of RAM and its hot-plug ranges: upper half. */
	max = (1ULL << bits) - 1;
	min = max(1ULL << (bits - 1), 1ULL << 32);
	h->window.name = "expether";
	h->window.flags = IORESOURCE_MEM;
	err = allocate_resource(&iomem_resource, &h->window, EE_WINDOW_SIZE,
				min, max, SZ_1G, NULL, NULL);
	if (err) {
		dev_err(&h->pdev->dev,
			"no free physical address range of %llu GiB: %d\n",
			EE_WINDOW_SIZE >> 30, err);
		return err;
	}
	base = h->window.start;
	cpu32 = base;
	h->mem_offset = cpu32 - EE_BUS32_BASE;

	h->doorbell = (struct resource)DEFINE_RES_MEM_NAMED(cpu32,
			EE_DOORBELL_SIZE, "expether MSI doorbell");
	h->mem = (struct resource)DEFINE_RES_MEM_NAMED(cpu32 + EE_DOORBELL_SIZE,
			EE_BUS32_SIZE - EE_DOORBELL_SIZE, "expether mem");
	h->pref = (struct resource)DEFINE_RES_MEM_NAMED(base + EE_PREF_OFFSET,
			EE_PREF_SIZE, "expether pref");
	h->pref.flags |= IORESOURCE_PREFETCH | IORESOURCE_MEM_64;
	h->msi.doorbell = EE_BUS32_BASE;

	if (request_resource(&h->window, &h->doorbell) ||
	    request_resource(&h->window, &h->mem) ||
	    request_resource(&h->window, &h->pref)) {
		release_resource(&h->window);
		return -EBUSY;
	}
	return 0;
}

static void ee_release_window(struct ee_host *h)
{
	release_resource(&h->pref);
	release_resource(&h->mem);
	release_resource(&h->doorbell);
	release_resource(&h->window);
}

static int ee_pick_domain(void)
{
	int d;

	for (d = EE_DOMAIN_FIRST; d <= EE_DOMAIN_LAST; d++)
		if (!pci_find_bus(d, 0))
			return d;
	return -EBUSY;
}

/* ---- bring-up and teardown -------------------------------------------- */

static int ee_create_bus(struct ee_host *h)
{
	struct pci_host_bridge *bridge;
	LIST_HEAD(resources);
	struct pci_bus *child;
	u64 offset = h->window.start - EE_BUS32_BASE;

	h->busn = (struct resource)DEFINE_RES_NAMED(0, 256, "expether bus",
						    IORESOURCE_BUS);
	pci_add_resource(&resources, &h->busn);
	pci_add_resource_offset(&resources, &h->mem, offset);
	pci_add_resource(&resources, &h->pref);

	h->bus = pci_create_root_bus(&h->pdev->dev, 0, &ee_pci_ops,
				     &h->sysdata, &resources);
	if (!h->bus) {
		pci_free_resource_list(&resources);
		return -ENODEV;
	}

	/*
	 * We own hot-plug of our ports; AER, PME, DPC and LTR have no
	 * meaning on an emulated link.
	 */
	bridge = to_pci_host_bridge(h->bus->bridge);
	bridge->native_pcie_hotplug = 1;
	bridge->native_shpc_hotplug = 0;
	bridge->native_aer = 0;
	bridge->native_pme = 0;
	bridge->native_ltr = 0;
	bridge->native_dpc = 0;
	/* INTx: four wires per slot (intx.c), assigned at driver probe. */
	bridge->map_irq = ee_intx_map_irq;
	bridge->swizzle_irq = pci_common_swizzle;

	dev_set_msi_domain(&h->bus->dev, h->msi.domain);

	pci_lock_rescan_remove();
	pci_scan_child_bus(h->bus);
	pci_assign_unassigned_bus_resources(h->bus);
	list_for_each_entry(child, &h->bus->children, node)
		pcie_bus_configure_settings(child);
	pci_bus_add_devices(h->bus);
	pci_unlock_rescan_remove();
	return 0;
}

static void ee_remove_bus(struct ee_host *h)
{
	pci_lock_rescan_remove();
	pci_stop_root_bus(h->bus);
	pci_remove_root_bus(h->bus);
	pci_unlock_rescan_remove();
}

static void ee_free_peers(struct ee_host *h)
{
	unsigned int i;

	for (i = 0; i < h->nr_ports; i++) {
		ee_peer_teardown(&h->ports[i].peer);
		ee_iommu_destroy(&h->ports[i].iommu);
	}
}

/*
 * Devices on our buses: DMA through our software IOMMU from the moment
 * they exist (before any driver binds), and nothing left mapped for the
 * next device when they go.
 */
static int ee_pci_notify(struct notifier_block *nb, unsigned long action,
			 void *data)
{
	struct ee_host *h = container_of(nb, struct ee_host, pci_nb);
	struct pci_dev *pdev = to_pci_dev(data);
	struct ee_port *port;
	unsigned int n;

	if (pci_domain_nr(pdev->bus) != h->sysdata.domain ||
	    pci_is_root_bus(pdev->bus))
		return NOTIFY_DONE;
	switch (action) {
	case BUS_NOTIFY_ADD_DEVICE:
		ee_dma_setup_dev(pdev);
		break;
	case BUS_NOTIFY_DEL_DEVICE:
		port = ee_port_of_dev(pdev);
		n = port ? ee_iommu_forget_dev(&port->iommu, &pdev->dev) : 0;
		if (n)
			pci_warn(pdev, "its driver left %u DMA mappings: revoked\n",
				 n);
		break;
	}
	return NOTIFY_OK;
}

struct ee_host *ee_host_create(struct platform_device *pdev,
			       const struct ee_host_params *p)
{
	struct ee_host *h;
	unsigned int i;
	int err, domain;

	h = kzalloc(sizeof(*h), GFP_KERNEL);
	if (!h)
		return ERR_PTR(-ENOMEM);
	h->pdev = pdev;
	h->nr_ports = p->slots;
	h->cpl_timeout_us = p->cpl_timeout_ms * USEC_PER_MSEC;
	raw_spin_lock_init(&h->slot_lock);
	INIT_WORK(&h->slot_work, ee_slot_work);
	mutex_init(&h->slot_mutex);
	INIT_DELAYED_WORK(&h->dif_watch, ee_dif_watch);
	ee_events_init(h);
	mutex_init(&h->bench_lock);
	ee_requests_init(&h->reqs);

	err = -ENOMEM;
	h->ports = kcalloc(h->nr_ports, sizeof(*h->ports), GFP_KERNEL);
	if (!h->ports)
		goto free;
	for (i = 0; i < h->nr_ports; i++) {
		bool mf = PCI_FUNC(i) == 0 && i + 1 < h->nr_ports;

		h->ports[i].host = h;
		h->ports[i].devfn = i;
		ee_iommu_init(&h->ports[i].iommu);
		ee_rp_init(&h->ports[i].rp, i, mf, i + 1, ee_port_irq,
			   &h->ports[i]);
	}

	domain = ee_pick_domain();
	if (domain < 0) {
		err = domain;
		dev_err(&pdev->dev, "no free PCI domain number\n");
		goto free_ports;
	}
	h->sysdata.domain = domain;
	h->sysdata.node = NUMA_NO_NODE;

	err = ee_transport_init(&h->xport, p->ifname, p->gid, p->ethertype,
				&ee_host_xport_ops, h);
	if (err)
		goto free_ports;
	err = ee_reserve_window(h);
	if (err)
		goto exit_xport;
	err = ee_msi_init(h);
	if (err)
		goto release;
	err = ee_intx_init(h);
	if (err)
		goto exit_msi;
	err = ee_dma_init(h);
	if (err)
		goto exit_intx;
	err = ee_mmio_init(h);
	if (err)
		goto exit_dma;
	err = ee_mmio_arch_init(h);
	if (err)
		goto exit_mmio_buf;
	h->pci_nb.notifier_call = ee_pci_notify;
	err = bus_register_notifier(&pci_bus_type, &h->pci_nb);
	if (err)
		goto exit_mmio;
	err = ee_create_bus(h);
	if (err)
		goto unregister_nb;

	err = ee_netlink_init(h);
	if (err)
		goto remove_bus;
	raw_spin_lock_irq(&h->slot_lock);
	h->ready = true;
	raw_spin_unlock_irq(&h->slot_lock);
	ee_debugfs_init(h);
	ee_transport_start(&h->xport);
	dev_info(&pdev->dev,
		 "PCI domain %04x on %s, gid %u, ethertype %#06x, %u slots, window %pR\n",
		 domain, p->ifname, p->gid, p->ethertype, h->nr_ports,
		 &h->window);
	return h;

remove_bus:
	ee_remove_bus(h);
unregister_nb:
	bus_unregister_notifier(&pci_bus_type, &h->pci_nb);
exit_mmio:
	ee_mmio_arch_exit(h);
exit_mmio_buf:
	ee_mmio_exit(h);
exit_dma:
	ee_dma_exit(h);
exit_intx:
	ee_intx_exit(h);
exit_msi:
	ee_msi_exit(h);
release:
	ee_release_window(h);
exit_xport:
	ee_transport_exit(&h->xport);
free_ports:
	for (i = 0; i < h->nr_ports; i++)
		ee_iommu_destroy(&h->ports[i].iommu);
	kfree(h->ports);
free:
	kfree(h);
	return ERR_PTR(err);
}

void ee_host_destroy(struct ee_host *h)
{
	/* No control-plane request runs from here on. */
	ee_netlink_exit(h);
	raw_spin_lock_irq(&h->slot_lock);
	h->dying = true;
	raw_spin_unlock_irq(&h->slot_lock);

	cancel_work_sync(&h->slot_work);
	cancel_delayed_work_sync(&h->dif_watch);
	ee_debugfs_exit(h);
	/* Drivers below unbind while the link still carries their I/O. */
	ee_remove_bus(h);
	bus_unregister_notifier(&pci_bus_type, &h->pci_nb);
	ee_free_peers(h);
	ee_transport_exit(&h->xport);
	ee_requests_fail_port(h, NULL);
	ee_mmio_arch_exit(h);
	ee_mmio_exit(h);
	ee_dma_exit(h);
	ee_intx_exit(h);
	ee_msi_exit(h);
	ee_release_window(h);
	kfree(h->ports);
	kfree(h);
}
