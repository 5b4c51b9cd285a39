/* SPDX-License-Identifier: GPL-2.0 */
/*
 * eebox: management frames and moves between groups
 * (Documentation/expether/protocol.rst "Management frames",
 * Documentation/expether/security.rst).
 *
 * A SET_GID addressed to one of our bridges is applied only if its HMAC
 * verifies under the --mgmt-key and its counter is above the last one the
 * bridge accepted; otherwise it is dropped and counted (dev_stats.mgmt_*).
 * The move itself happens at the next top-level turn of the loop, never
 * inside a device's DMA wait: a goodbye DIF in the old group, every host
 * connection closed, the device reset, a new epoch, a DIF in the new one.
 */
#ifndef _EEBOX_MGMT_H
#define _EEBOX_MGMT_H

#include "box.h"

/* Read a key file (hexadecimal digits, 1..32 bytes) into @box.  0, or a
 * message on stderr and EEBOX_EXIT_USAGE / EEBOX_EXIT_FAIL.
 */
int mgmt_load_key(struct box *box, const char *path);

/* --state-dir: load DIR/N.mgmt (the last counter accepted).  0 or -1. */
int mgmt_open_state(struct box *box, struct eebox_dev *dev);

/* A well-formed MGMT frame to @dev, on its VLAN. */
void mgmt_rx(struct box *box, struct eebox_dev *dev, const struct ee_frame *f);

/* Ask @dev to move to @gid at the next top-level turn (@why: for the log). */
void mgmt_request_move(struct box *box, struct eebox_dev *dev, u16 gid,
		       const char *why);

/* Carry out the moves asked for (top-level turns of the loop only). */
void mgmt_apply_moves(struct box *box);

#endif /* _EEBOX_MGMT_H */
