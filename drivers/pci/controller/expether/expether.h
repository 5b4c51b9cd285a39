/* SPDX-License-Identifier: GPL-2.0 */
/*
 * expether virtual root complex: shared definitions of the host bridge
 * (host.c), its hot-plug root ports (rootport.c, slot handling in host.c),
 * outstanding requests (request.c), MSI domain (msi.c) and debugfs view.
 */
#ifndef _EXPETHER_H
#define _EXPETHER_H

#include <linux/completion.h>
#include <linux/ioport.h>
#include <linux/irq_work.h>
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

struct ee_host;

/* A hot-plug slot: an emulated root port and the I/O bridge behind it. */
struct ee_port {
	struct ee_rootport rp;
	struct ee_host *host;
	u8 devfn;
	/* The attached I/O bridge, under host->slot_lock. */
	bool attached;
	bool want_attach;		/* for ee_slot_work() */
	bool want_detach;
	const char *detach_why;
	u8 peer_mac[ETH_ALEN];
	struct ee_dif dif;
	unsigned long last_seen;	/* jiffies of its last DIF */
	/* The connection to it; its ring is allocated at the first attach. */
	struct ee_peer peer;
};

/* An outstanding non-posted request, matched to its completion by tag. */
struct ee_req {
	bool busy;
	bool done;			/* completion arrived (release/acquire) */
	bool sleeper;			/* waiter sleeps on @completion */
	bool want_data;			/* a read: success needs CplD */
	u8 peer_mac[ETH_ALEN];
	u16 req_id;			/* the issuing root port */
	u16 target_id;
	u8 status;
	u32 data;
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
	struct irq_work work;		/* delivery on this CPU */
	call_single_data_t csd;		/* delivery on another CPU */
	atomic_t inflight;		/* IPIs queued, not yet run */
};

struct ee_msi {
	struct irq_domain *domain;
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

struct ee_host {
	struct pci_sysdata sysdata;	/* bus->sysdata; x86 reads it */
	struct platform_device *pdev;
	struct pci_bus *bus;
	struct resource window;		/* all our address space */
	struct resource doorbell;	/* MSI doorbell page */
	struct resource mem;		/* 32-bit bus window */
	struct resource pref;		/* 64-bit prefetchable window */
	struct resource busn;
	unsigned int nr_ports;
	struct ee_port *ports;
	/* Port attachment; raw: config accessors run under raw pci_lock. */
	raw_spinlock_t slot_lock;
	bool ready;			/* ports accept I/O bridges */
	bool dying;
	struct work_struct slot_work;	/* attach and detach, in order */
	struct ee_transport xport;
	struct ee_requests reqs;
	struct ee_msi msi;
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

/* request.c */
void ee_requests_init(struct ee_requests *r);
int ee_cfg_request(struct ee_host *h, struct ee_port *port, bool write,
		   bool type1, u16 target_id, int where, int size, u32 *val);
void ee_complete(struct ee_host *h, const u8 *src, const struct ee_tlp *tlp);
void ee_requests_fail_port(struct ee_host *h, const u8 *peer_mac);

/* msi.c */
int ee_msi_init(struct ee_host *h);
void ee_msi_exit(struct ee_host *h);
/* A memory write of @data to @addr reached the doorbell: raise it. */
bool ee_msi_deliver(struct ee_host *h, u64 addr, u32 data);

/* bench.c */
int ee_bench_write(struct ee_host *h, unsigned int slot, unsigned int count,
		   unsigned int size, struct ee_bench_result *res);

/* debugfs.c */
void ee_debugfs_init(struct ee_host *h);
void ee_debugfs_exit(struct ee_host *h);

#endif /* _EXPETHER_H */
