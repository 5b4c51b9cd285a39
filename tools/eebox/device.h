/* SPDX-License-Identifier: GPL-2.0 */
/*
 * eebox: one I/O-side bridge and the device model behind it.
 *
 * Each -d argument makes one struct eebox_dev: its bridge identity (MAC,
 * GID, bridge ID, epoch), its configuration space, its model and its
 * counters.
 */
#ifndef _EEBOX_DEVICE_H
#define _EEBOX_DEVICE_H

#include "ee_codec.h"
#include "cfgspace.h"
#include "dma.h"
#include "irq.h"
#include "model.h"

/* Exit statuses shared by the command-line code. */
#define EEBOX_EXIT_FAIL		1	/* system error */
#define EEBOX_EXIT_USAGE	2	/* bad command line */

#define EEBOX_MAX_DEVICES	255	/* the MAC's last byte is the index */
#define EEBOX_MAX_HOSTS		8	/* host-side bridges per I/O bridge */

struct box;
struct box_host;

struct dev_stats {
	u64 rx_frames;		/* frames of our EtherType to our MAC */
	u64 rx_tlps;
	u64 rx_malformed[EE_ERR__MAX];	/* frames dropped, by parse error */
	u64 rx_wrong_gid;	/* our MAC, another GID: dropped */
	u64 rx_ignored;		/* unicast DIF, MGMT, ECHO reply: not served */
	u64 rx_no_conn;		/* TLP/ACK from a host whose DIF we never saw */
	u64 rx_deferred;	/* TLP frames left unread: completions waiting */
	u64 host_difs;		/* DIFs of host-side bridges of our group */
	u64 hosts_full;		/* ... of a host beyond EEBOX_MAX_HOSTS */
	u64 tlp_ignored;	/* messages, unexpected completions */
	u64 cpl_ur;		/* requests completed with UR */
	u64 mwr_tlps;		/* posted writes received (stored or dropped) */
	u64 mwr_bytes;		/* ... their data bytes */
	u64 mwr_dropped;	/* writes not claimed, disabled or poisoned */
	u64 tx_frames;		/* TLP frames of completions made */
	u64 tx_tlps;
	u64 tx_difs;
	u64 tx_errors;
	u64 echo_requests;	/* ECHO requests answered */
	/* management frames (mgmt.c) */
	u64 mgmt_accepted;	/* SET_GID applied */
	u64 mgmt_malformed;	/* payload does not parse */
	u64 mgmt_no_key;	/* refused: no --mgmt-key */
	u64 mgmt_not_ours;	/* target MAC or bridge ID not ours */
	u64 mgmt_forged;	/* HMAC does not verify */
	u64 mgmt_replayed;	/* counter not above the last accepted */
	u64 gid_changes;	/* moves to another group, by any means */
};

struct eebox_dev {
	unsigned int index;		/* 1-based position on the command line */
	const char *spec;		/* the -d argument, for messages */
	const struct eebox_model *model;
	void *priv;			/* the model's state */
	struct cfgspace cfg;

	u8 mac[6];
	u16 gid;
	u64 bridge_id;
	u32 epoch;			/* random, non-zero, per start and move */
	u16 move_to;			/* GID to move to at the next top-level
					 * turn of the loop (0: none) */
	u64 mgmt_counter;		/* last management counter accepted */
	char *mgmt_path;		/* --state-dir: where it is kept */
	struct cfgspace *reset_cfg;	/* the config space after reset */

	/* one reliable connection per host-side bridge (host.c) */
	struct box_host *hosts[EEBOX_MAX_HOSTS];
	unsigned int nhosts;

	u16 bdf;			/* captured from Type 0 config writes */
	struct box_host *owner;		/* ... and the host that made them */
	struct box *box;		/* while running (NULL: --dump-config) */
	bool work_pending;		/* dev_kick(): ->work() to run */
	bool in_work;			/* ->work() or ->poll_ready() runs */
	struct dma_state dma;
	struct irq_state irq;
	bool cfg_dirty;			/* config written since the last save */
	char *state_path;		/* --state-dir file, or NULL */
	char *link_path;		/* --state-dir link counters, or NULL */

	struct dev_stats st;
};

/*
 * Make device @index (1-based) from the -d argument @spec, which the user
 * gave as option @optname ("-d" or "--dump-config").  @ifname (may be
 * NULL) seeds the default MAC; @gid is the default GID.  On failure print
 * a message and return EEBOX_EXIT_USAGE or EEBOX_EXIT_FAIL.
 */
int dev_create(const char *optname, const char *spec, unsigned int index,
	       const char *ifname, u16 gid, struct eebox_dev **out);
void dev_destroy(struct eebox_dev *dev);

/*
 * If the config space changed since the last call, rewrite the --state-dir
 * file (when there is one).  Errors are reported, not fatal.
 */
void dev_save_state(struct eebox_dev *dev);

/*
 * Ask for the model's ->work() to run at the box loop's next top-level
 * turn (see dma.h).  Safe from any context, also from within ->work().
 */
static inline void dev_kick(struct eebox_dev *dev)
{
	dev->work_pending = true;
}

/*
 * The bridge restarts (it moved to another group): the device's
 * configuration space goes back to its reset image and the model forgets
 * every host's state (->reset), keeping its media; a new epoch.
 */
void dev_reset(struct eebox_dev *dev);

/* Is Bus Master Enable (Command bit 2) set? */
bool dev_bus_master(const struct eebox_dev *dev);

/* Default MAC: 02:ee:HH:HH:HH:NN, HH = 24-bit hash of @ifname. */
void dev_default_mac(u8 mac[6], const char *ifname, unsigned int index);

#endif /* _EEBOX_DEVICE_H */
