/* SPDX-License-Identifier: GPL-2.0 */
/*
 * expether virtual root complex: shared definitions of the host bridge
 * (host.c), its hot-plug root ports (rootport.c, slot handling in host.c),
 * outstanding requests (request.c), MSI domain (msi.c), debugfs view and
 * the generic netlink control plane (netlink.c).
 */
#ifndef _EXPETHER_H
#define _EXPETHER_H

#include <linux/completion.h>
#include <linux/ioport.h>
#include <linux/workqueue.h>
#include <linux/rbtree.h>
#include <linux/msi.h>
#include <linux/pci.h>
#include <linux/smp.h>
#include <linux/spinlock.h>

#include "rootport.h"
#include "transport.h"
#include "peer.h"

#define EE_MAX_SLOTS		255	/* one secondary bus each */
#define EE_NR_TAGS		256
#define EE_MSI_VECTORS		2048
#define EE_BUS32_BASE		0x40000000ULL	/* bus address of the 32-bit window */
#define EE_DOORBELL_SIZE	SZ_1M		/* MSI doorbell at its start */

struct ee_host;

/* The DMA address space of the devices below one port (dma.c). */
struct ee_iommu {
	spinlock_t lock;		/* mappings and accesses through them */
	struct rb_root maps_by_iova;	/* struct ee_dma_map, by IOVA */
	u64 next;			/* where the next allocation looks */
	unsigned int maps;
};

/* A hot-plug slot: an emulated root port and the I/O bridge behind it. */
struct ee_port {
	struct ee_rootport rp;
	struct ee_host *host;
	u8 devfn;
	/* The attached I/O bridge, under host->slot_lock. */
	bool attached;
	bool want_attach;		/* for ee_slot_work() */
	bool want_detach;
	bool admin_down;		/* detached by the administrator */
	const char *detach_why;
	const char *last_why;		/* why it was last detached */
	/* The bridge attached, or the last one (zero: never one). */
	u8 peer_mac[ETH_ALEN];
	struct ee_dif dif;
	unsigned long last_seen;	/* jiffies of its last DIF */
	/* The connection to it; its ring is allocated at the first attach. */
	struct ee_peer peer;
	/* What its devices may reach by DMA. */
	struct ee_iommu iommu;
};

/* An outstanding non-posted request, matched to its completion by tag. */
struct ee_req {
	bool busy;
	bool done;			/* completion arrived (release/acquire) */
	bool sleeper;			/* waiter sleeps on @completion */
	bool want_data;			/* a read: success needs CplD */
	bool mem;			/* a memory read (else configuration) */
	u8 peer_mac[ETH_ALEN];
	u16 req_id;			/* the issuing root port */
	u16 target_id;			/* configuration: the completer */
	u8 status;
	u32 data;			/* configuration read data */
	/* memory reads: @len bytes at @addr into @buf, @got so far */
	u64 addr;
	u32 len;
	u32 got;
	u8 *buf;
	struct completion completion;
};

struct ee_requests {
	raw_spinlock_t lock;		/* busy flags, next_tag */
	unsigned int next_tag;
	struct ee_req req[EE_NR_TAGS];
};

/* One MSI vector: the data value a device writes to our doorbell. */
struct ee_msi_vec {
	struct ee_host *host;
	unsigned int virq;		/* 0 when free */
	unsigned int cpu;		/* effective affinity */
	struct work_struct work;	/* delivery on that CPU */
};

/* One INTx wire of one slot (intx.c). */
struct ee_intx_line {
	struct ee_host *host;
	unsigned int virq;		/* 0 until a device uses it */
	unsigned int cpu;		/* effective affinity */
	bool asserted;			/* the wire's level */
	bool enabled;			/* unmasked */
	struct work_struct work;	/* runs the handler on @cpu */
};

struct ee_msi {
	struct irq_domain *domain;
	struct workqueue_struct *wq;	/* per-CPU, high priority */
	struct msi_domain_info info;
	spinlock_t lock;		/* vector allocation */
	unsigned long *bitmap;
	struct ee_msi_vec *vec;
	u64 doorbell;			/* bus address devices write to */
};

/* The result of a posted-write benchmark (bench.c). */
struct ee_bench_result {
	u64 frames;
	u64 bytes;
	u64 ns;
	u64 rtx;
	u64 timeouts;
};

/* One control-plane event (netlink.c), queued from any context. */
struct ee_event {
	u8 type;			/* enum expether_event */
	u8 mac[ETH_ALEN];		/* the I/O bridge, if any */
	u16 slot;			/* 1-based, 0: none */
	u16 gid;
	u16 old_gid;
	u32 epoch;
	u16 vendor;
	u16 device;
	u32 class_rev;
	u64 addr;			/* DMA violation */
	u32 len;
	const char *reason;		/* a string literal, or NULL */
	u64 ts;				/* ktime_get_boot_fast_ns() */
};

#define EE_EVENT_QUEUE		256

struct ee_events {
	raw_spinlock_t lock;
	unsigned int head;		/* next to send */
	unsigned int tail;		/* next free */
	struct ee_event q[EE_EVENT_QUEUE];
	bool closed;			/* no family registered: drop */
	struct work_struct work;	/* multicasts the queue */
};

struct ee_host {
	struct pci_sysdata sysdata;	/* bus->sysdata; x86 reads it */
	struct platform_device *pdev;
	struct pci_bus *bus;
	struct resource window;		/* all our address space */
	struct resource doorbell;	/* MSI doorbell page */
	struct resource mem;		/* 32-bit bus window */
	struct resource pref;		/* 64-bit prefetchable window */
	struct resource busn;
	u64 mem_offset;			/* CPU minus bus address, 32-bit window */
	struct notifier_block pci_nb;	/* devices added to our buses */
	struct ee_dma_scratch __percpu *dma_scratch;	/* dma.c */
	struct ee_mmio_scratch __percpu *mmio_scratch;	/* mmio.c */
	unsigned int nr_ports;
	struct ee_port *ports;
	/* Port attachment; raw: config accessors run under raw pci_lock. */
	raw_spinlock_t slot_lock;
	bool ready;			/* ports accept I/O bridges */
	bool dying;
	struct work_struct slot_work;	/* attach and detach, in order */
	/* Slot changes in process context: slot_work, the control plane. */
	struct mutex slot_mutex;
	struct delayed_work dif_watch;	/* hot-remove on DIF timeout */
	unsigned int dif_timeout_ms;	/* 0: three of the bridge's intervals */
	struct ee_events events;
	struct ee_transport xport;
	struct ee_requests reqs;
	struct ee_msi msi;
	struct irq_domain *intx_domain;
	struct ee_intx_line *intx;	/* 4 per slot */
	unsigned int cpl_timeout_us;
	struct dentry *debugfs;
	struct mutex bench_lock;	/* one benchmark at a time */
	struct ee_bench_result bench;	/* the last one's */
	int bench_err;
};

static inline struct ee_host *ee_host_from_bus(struct pci_bus *bus)
{
	return container_of(bus->sysdata, struct ee_host, sysdata);
}

/* host.c */
struct ee_host_params {
	const char *ifname;
	u16 gid;
	u16 ethertype;
	unsigned int slots;
	unsigned int cpl_timeout_ms;
};

struct ee_host *ee_host_create(struct platform_device *pdev,
			       const struct ee_host_params *p);
void ee_host_destroy(struct ee_host *h);

/* host.c: the control plane's actions (process context). */
int ee_host_set_gid(struct ee_host *h, u16 gid);
/* Slot @slot (0-based) administratively up (attach) or down (detach). */
void ee_slot_set_admin(struct ee_host *h, unsigned int slot, bool up);
void ee_host_set_link_params(struct ee_host *h, u32 window, u64 rto_min_ns);
void ee_host_set_dif_timeout(struct ee_host *h, unsigned int ms);
/* The DIF timeout in effect for @port, in milliseconds. */
unsigned int ee_port_dif_timeout_ms(struct ee_host *h, struct ee_port *port);

/* netlink.c: the generic netlink family and its events. */
void ee_events_init(struct ee_host *h);
int ee_netlink_init(struct ee_host *h);
void ee_netlink_exit(struct ee_host *h);
/* Queue @ev (its ts is set here) for the "events" group.  Any context. */
void ee_event(struct ee_host *h, struct ee_event *ev);
/* An event about @port's I/O bridge (its MAC, epoch and device). */
void ee_event_port(struct ee_host *h, u8 type, struct ee_port *port,
		   const char *reason);
/* A device below @port reached outside what it may: @what is "read",
 * "write" or "msi".
 */
void ee_event_violation(struct ee_host *h, struct ee_port *port,
			const char *what, u64 addr, u32 len);

/* request.c */
void ee_requests_init(struct ee_requests *r);
int ee_cfg_request(struct ee_host *h, struct ee_port *port, bool write,
		   bool type1, u16 target_id, int where, int size, u32 *val);
/* Read @len bytes (1..4096, within one 4 KiB page) at bus address
 * @addr below @port into @buf; all-ones and an error when the device
 * does not answer.  Any context.
 */
int ee_mem_read(struct ee_host *h, struct ee_port *port, u64 addr,
		void *buf, u32 len);
/* Queue @len bytes of TLPs for @port's bridge, waiting (bounded) for
 * room in the connection.  Any context.  0 or -errno.
 */
int ee_port_send(struct ee_host *h, struct ee_port *port, const u8 *tlps,
		 unsigned int len);
void ee_complete(struct ee_host *h, const u8 *src, const struct ee_tlp *tlp);
void ee_requests_fail_port(struct ee_host *h, const u8 *peer_mac);

/* host.c: the root port a device is below (NULL: not below one). */
struct ee_port *ee_port_of_dev(struct pci_dev *pdev);

/* msi.c */
int ee_msi_init(struct ee_host *h);
void ee_msi_exit(struct ee_host *h);
/* A memory write of @data to @addr reached the doorbell: raise it. */
bool ee_msi_deliver(struct ee_host *h, u64 addr, u32 data);
/* Whether a device write to bus address @addr is an interrupt. */
static inline bool ee_msi_doorbell(struct ee_host *h, u64 addr)
{
	return addr >= h->msi.doorbell &&
	       addr < h->msi.doorbell + EE_DOORBELL_SIZE;
}

/* An MSI/MSI-X write from a device below @port. */
void ee_msi_rx(struct ee_host *h, struct ee_port *port,
	       const struct ee_tlp *t);

/* intx.c */
int ee_intx_init(struct ee_host *h);
void ee_intx_exit(struct ee_host *h);
int ee_intx_map_irq(const struct pci_dev *dev, u8 slot, u8 pin);
/* An Assert_INTx/Deassert_INTx message from a device below @port. */
void ee_intx_rx(struct ee_host *h, struct ee_port *port,
		const struct ee_tlp *t);
void ee_intx_port_down(struct ee_host *h, struct ee_port *port);

/* dma.c */
int ee_dma_init(struct ee_host *h);
void ee_dma_exit(struct ee_host *h);
void ee_iommu_init(struct ee_iommu *dom);
void ee_iommu_destroy(struct ee_iommu *dom);
/* Forget what @dev's driver left mapped; returns how many. */
unsigned int ee_iommu_forget_dev(struct ee_iommu *dom, struct device *dev);
void ee_dma_setup_dev(struct pci_dev *pdev);
/* A memory request (MRd/MWr) from a device below @port. */
void ee_dma_rx(struct ee_host *h, struct ee_port *port,
	       const struct ee_tlp *t);
/* Send the completions ee_dma_rx() batched on this CPU (end of a frame). */
void ee_dma_flush(struct ee_host *h);

/* bench.c */
int ee_bench_write(struct ee_host *h, unsigned int slot, unsigned int count,
		   unsigned int size, struct ee_bench_result *res);

/* debugfs.c */
void ee_debugfs_init(struct ee_host *h);
void ee_debugfs_exit(struct ee_host *h);

#endif /* _EXPETHER_H */
