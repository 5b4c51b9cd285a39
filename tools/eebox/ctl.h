/* SPDX-License-Identifier: GPL-2.0 */
/*
 * eebox: the control socket (--control PATH) and its client (--ctl PATH).
 *
 * A Unix SOCK_SEQPACKET socket, mode 0600: one request per connection,
 * one reply, then the box closes it.  Requests (text):
 *
 *	show			one line per device: index, model, MAC, GID,
 *				epoch, bridge ID, hosts
 *	gid N GID		move device N to group GID (as a management
 *				frame would, without one)
 *	stats N			device N's management counters
 *
 * Replies start with "ok" or "error: <why>".
 */
#ifndef _EEBOX_CTL_H
#define _EEBOX_CTL_H

#include "box.h"

/* Listen on box->ctl_path (box->cfd).  0, or -1 with a message. */
int ctl_open(struct box *box);
void ctl_close(struct box *box);
/* box->cfd is readable: serve one request. */
void ctl_ready(struct box *box);

/* The client: send @argc words as one request to @path, print the reply.
 * Returns the exit status (0: "ok").
 */
int ctl_client(const char *path, int argc, char **argv);

#endif /* _EEBOX_CTL_H */
