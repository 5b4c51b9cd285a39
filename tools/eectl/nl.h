/* SPDX-License-Identifier: GPL-2.0 */
/*
 * eectl: talking to the expether module over generic netlink (libnl-genl-3).
 *
 * Every request is answered, message by message, through a callback that
 * gets the message's top-level attributes parsed; an error from the kernel
 * comes back as -errno with the extended-ack text, if any, in nl->errmsg.
 */
#ifndef _EECTL_NL_H
#define _EECTL_NL_H

#include <signal.h>
#include <stdbool.h>
#include <stdint.h>
#include <netlink/attr.h>
#include <netlink/msg.h>

#include <linux/expether.h>

struct eenl {
	struct nl_sock *sk;
	int family;
	char errmsg[256];	/* the kernel's extack text of the last error */
};

/*
 * Open a socket and find the family: 0, -ENOENT when the module is not
 * loaded (no family "expether"), or another -errno.
 */
int eenl_open(struct eenl *nl);
void eenl_close(struct eenl *nl);

/* Called with the attributes of each message answering a request. */
typedef int (*eenl_msg_fn)(struct nlattr **tb, void *arg);
/* Adds the request's attributes; 0 or -errno. */
typedef int (*eenl_build_fn)(struct nl_msg *msg, void *arg);

/*
 * Send @cmd (a dump if @dump) with the attributes @build adds, and call
 * @fn for every message of the answer.  0 or -errno (the kernel's, with
 * nl->errmsg set when it said why).
 */
int eenl_request(struct eenl *nl, uint8_t cmd, bool dump, eenl_build_fn build,
		 void *barg, eenl_msg_fn fn, void *farg);

/*
 * Join the "events" group and call @fn for each event until *@stop is
 * set (by a signal) or @fn returns non-zero.  0 or -errno.
 */
int eenl_monitor(struct eenl *nl, eenl_msg_fn fn, void *arg,
		 volatile sig_atomic_t *stop);

/* One counter of an EXPETHER_A_STATS nest. */
struct eenl_stat {
	char name[48];
	uint64_t value;
};

/*
 * The counters of the nest @stats, in order, in a malloc'ed array (free()
 * it); their number in *@n.  0 or -ENOMEM.
 */
int eenl_stats(struct nlattr *stats, struct eenl_stat **out, size_t *n);

#endif /* _EECTL_NL_H */
