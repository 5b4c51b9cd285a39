/* SPDX-License-Identifier: GPL-2.0 */
/*
 * eebox: the host-side bridges each I/O bridge serves, one reliable
 * connection (conn.h, i.e. net/expether/ee_link.c) per (I/O bridge, host).
 *
 * A host is learnt from its DIFs (role host, our group): its first DIF
 * opens the connection between the bridge's epoch and the host's
 * (ee_link_reset()); a DIF with another epoch means the host restarted
 * and opens a new one; a DIF while the connection is dead (the host
 * stopped acknowledging) resumes it (ee_link_revive()): a host that only
 * stalled finds its connection as it left it.
 * TLP and ACK frames from a host whose DIF was never seen are counted and
 * dropped.  Up to EEBOX_MAX_HOSTS hosts per bridge; hosts are never
 * forgotten while eebox runs.
 */
#ifndef _EEBOX_HOST_H
#define _EEBOX_HOST_H

#include "box.h"
#include "conn.h"

struct box_host {
	struct box *box;
	struct eebox_dev *dev;
	u8 mac[6];
	u32 epoch;		/* the host's, from its latest DIF */
	struct conn conn;
	/*
	 * Every TLP for this host (completions, and the device's own
	 * requests when this host owns it) goes through one batch, so they
	 * reach the connection in the order they were made.
	 */
	u8 tx[EXPETHER_MAX_PAYLOAD];
	size_t tx_len;
	unsigned int tx_tlps;
};

/* A well-formed DIF of role host on @dev's VLAN, from @src. */
void host_dif(struct box *box, struct eebox_dev *dev, const struct ee_dif *d,
	      u64 now);

/*
 * A TLP frame (every TLP already validated) or an ACK frame for @dev:
 * through the host's link; delivered TLPs are served, and the link is
 * pumped.  Logs drops under -v.
 */
void host_rx(struct box *box, struct eebox_dev *dev, const struct ee_frame *f,
	     u64 now);

/*
 * Append @t to @h's batch; a full batch is queued on the connection
 * first.  0, or -1 when @t cannot be built (counted as a tx error).
 */
int host_tx_tlp(struct box_host *h, const struct ee_tlp *t);
/* Queue @h's batch on its connection (if any) and pump the link. */
void host_tx_flush(struct box_host *h, u64 now);
/* ... of every host of every device. */
void host_flush_all(struct box *box, u64 now);
/*
 * The identity of @h's current connection: changes whenever a new one
 * replaces it (host restart, new generation); 0 when there is none
 * (never opened, or closed).  A dead connection keeps its identity: it
 * may be resumed, and what waits on it waits on (bounded by its own
 * timeout).
 */
u64 host_conn_id(const struct box_host *h);

/* Run every due timer and pump every link. */
void host_service(struct box *box, u64 now);
/* The earliest deadline of every link (EE_GBN_NEVER: none). */
u64 host_deadline(const struct box *box);

/* Rewrite DIR/N.link of @dev (--state-dir).  0 or -errno. */
int host_save_links(const struct box *box, const struct eebox_dev *dev);
/* The per-host lines of the exit summary. */
void host_print_stats(const struct eebox_dev *dev);
/*
 * @dev leaves its group: every connection is closed, what waits is
 * dropped.  A host of the group it joins connects at its next DIF.
 */
void host_leave(struct eebox_dev *dev);
/* Free every host of every device. */
void host_free_all(struct box *box);

#endif /* _EEBOX_HOST_H */
