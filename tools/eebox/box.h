/* SPDX-License-Identifier: GPL-2.0 */
/*
 * eebox: the running box: one interface, its devices, the event loop.
 */
#ifndef _EEBOX_BOX_H
#define _EEBOX_BOX_H

#include "device.h"
#include "fault.h"
#include "net.h"

struct box {
	const char *ifname;
	u16 ethertype;
	u16 interval_ms;		/* DIF period */
	const char *state_dir;		/* --state-dir, or NULL */
	struct fault_cfg faults;	/* --drop, --reorder, --dup, --seed */
	struct eebox_dev **devs;
	unsigned int ndevs;

	struct net_port port;
	int tx_err;			/* last send error, 0 after a success */
	bool fatal;			/* the interface is gone */
	u64 rx_bad_difs;		/* broadcast DIFs that do not parse */
	bool links_dirty;		/* link counters changed since saved */
	u64 links_saved;		/* when they were last saved (ns) */
	u64 dma_timeout_ns;		/* --dma-timeout */
	u8 mgmt_key[32];		/* --mgmt-key (mgmt.c) */
	int mgmt_keylen;		/* 0: management frames refused */
	bool moves_pending;		/* a device has move_to set */
	const char *ctl_path;		/* --control (ctl.c), or NULL */
	int cfd;			/* its listening socket, or -1 */

	/* the loop (box.c) */
	int tfd, lfd, sfd;		/* DIF timer, link timer, signals */
	u64 armed;			/* lfd's deadline */
	bool stopping;			/* SIGINT/SIGTERM arrived */
	bool waiting;			/* in box_wait() */
};

/*
 * Open the interface and serve until SIGINT/SIGTERM; print the counters.
 * Returns the exit status.
 */
int box_run(struct box *box);

/*
 * Nested turns of the loop (see dma.h) until @done(@arg) is true: frames
 * are received and served, link timers and DIFs run, model work does not.
 * Returns 0, -ETIMEDOUT when the absolute time @deadline (conn_now())
 * passes first, -EINTR when eebox is stopping, -EDEADLK if called from
 * within a wait (a bug: waits do not nest).
 */
int box_wait(struct box *box, bool (*done)(void *arg), void *arg,
	     u64 deadline);

/*
 * Send one frame of @dev (logged under -v, with @note if not NULL).
 * 0 or -errno.
 */
int box_xmit(struct box *box, struct eebox_dev *dev, const u8 *frame,
	     size_t len, const char *note);

#endif /* _EEBOX_BOX_H */
