/* SPDX-License-Identifier: GPL-2.0 */
/*
 * eebox: the running box: one interface, its devices, the event loop.
 */
#ifndef _EEBOX_BOX_H
#define _EEBOX_BOX_H

#include "device.h"
#include "net.h"

struct box {
	const char *ifname;
	u16 ethertype;
	u16 interval_ms;		/* DIF period */
	const char *state_dir;		/* --state-dir, or NULL */
	struct eebox_dev **devs;
	unsigned int ndevs;

	struct net_port port;
	int tx_err;			/* last send error, 0 after a success */
	bool fatal;			/* the interface is gone */
};

/*
 * Open the interface and serve until SIGINT/SIGTERM; print the counters.
 * Returns the exit status.
 */
int box_run(struct box *box);

/* Send one frame of @dev (logged under -v).  0 or -errno. */
int box_xmit(struct box *box, struct eebox_dev *dev, const u8 *frame,
	     size_t len);

#endif /* _EEBOX_BOX_H */
