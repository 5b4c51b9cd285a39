/* SPDX-License-Identifier: GPL-2.0 */
/*
 * eebox: one reliable connection to a peer bridge, as eebox (one per
 * I/O bridge and host) and eeprobe (the test host) both drive it.
 *
 * The protocol is entirely net/expether/ee_link.c (Go-Back-N, rate
 * control, retransmit ring); this adds what a user-space bridge needs
 * around it: the ring's memory, an overflow list for payloads the ring
 * refuses (so that no completion is ever lost), framing with
 * ee_frame_build(), fault injection on the way out (fault.h), logs and
 * counters.
 *
 * Time is u64 nanoseconds of CLOCK_MONOTONIC (conn_now()).
 */
#ifndef _EEBOX_CONN_H
#define _EEBOX_CONN_H

#include <stdio.h>

#include "ee_link.h"
#include "fault.h"

/* Payloads waiting for room in the ring, oldest first. */
struct conn_ov {
	struct conn_ov *next;
	u16 len;
	u8 data[];
};

struct conn_stats {
	u64 overflowed;		/* payloads that had to wait in the list */
	u64 overflow_max;	/* longest the list has been */
	u64 overflow_flushed;	/* ... dropped by a new connection */
	u64 tx_errors;		/* frames the socket refused (GBN resends) */
	u64 opens;		/* conn_open(): new pair of epochs */
	u64 revives;		/* conn_revive(): dead, then back */
};

/*
 * Transmit one frame.  Return 0 or -errno; a refused frame is simply
 * lost (Go-Back-N recovers).  @note as for fault_out_fn (NULL, or what
 * the fault injector or the link did, for logs); @send false: log only.
 */
typedef int (*conn_xmit_fn)(void *ctx, const u8 *frame, size_t len,
			    const char *note, bool send);

struct conn {
	struct ee_link link;
	void *ring;
	struct fault fault;
	u8 local_mac[6];
	u8 peer_mac[6];
	u16 gid;
	u16 ethertype;
	u32 local_epoch;
	u32 peer_epoch;
	char name[64];		/* log prefix, e.g. "dev 1: host 02:..." */
	bool quiet;		/* deaths too only under -v (eeprobe) */
	conn_xmit_fn xmit;
	void *ctx;
	struct conn_ov *ov_head, *ov_tail;
	u32 ov_len;
	struct conn_stats st;
};

u64 conn_now(void);

/*
 * Set up @c (closed) for the peer @peer_mac on VLAN @gid; ring and
 * injector allocated/initialized here.  0 or -ENOMEM.
 */
int conn_init(struct conn *c, const char *name, const u8 local_mac[6],
	      const u8 peer_mac[6], u16 gid, u16 ethertype,
	      const struct fault_cfg *faults, conn_xmit_fn xmit, void *ctx);
void conn_destroy(struct conn *c);

/* A new connection between the epochs (ee_link_reset()). */
void conn_open(struct conn *c, u32 local_epoch, u32 peer_epoch, u64 now);
/* The peer declared dead is back (its DIF): resume the connection in its
 * generation with everything it held (ee_link_revive()).  False unless
 * the connection was dead.
 */
bool conn_revive(struct conn *c, u64 now);
/*
 * Close: what is queued, unacknowledged or held by the injector is
 * dropped, nothing is sent or accepted until conn_open().
 */
void conn_close(struct conn *c);

static inline bool conn_is_open(const struct conn *c)
{
	return ee_link_open(&c->link);
}

static inline bool conn_is_dead(const struct conn *c)
{
	return ee_gbn_dead(&c->link.g);
}

/* Open or dead: a connection that may still go on (conn_revive()). */
static inline bool conn_exists(const struct conn *c)
{
	return conn_is_open(c) || conn_is_dead(c);
}

/*
 * Queue a payload (1..EXPETHER_MAX_PAYLOAD bytes): into the ring, or the
 * overflow list when the ring is full or the connection is dead (it
 * leaves if conn_revive() resumes it; a new connection drops it).  0,
 * -EE_LINK_ESTATE (no connection), -EE_LINK_ELEN or -ENOMEM.
 */
int conn_queue(struct conn *c, const void *payload, size_t len);
/* Payloads still waiting outside the ring. */
static inline u32 conn_backlog(const struct conn *c)
{
	return c->ov_len;
}

/*
 * Send every frame the link lets go now (probes, retransmissions, new
 * frames, acks), after moving what it can from the overflow list into
 * the ring.
 */
void conn_pump(struct conn *c, u64 now);

/*
 * A TLP or ACK frame from the peer (parsed, TLPs validated): returns the
 * ee_gbn verdict; only EE_GBN_DELIVER payloads may be acted on.  Logs
 * (under -v) and handles restarts and go-backs.  Pump afterwards.
 */
int conn_rx(struct conn *c, u64 now, const struct ee_hdr *h,
	    struct ee_gbn_rx_info *ri);

/* When conn_timer() has work (EE_GBN_NEVER: none). */
u64 conn_deadline(const struct conn *c);
/*
 * Run the link's timers and the fault injector's; returns the link's
 * events (EE_GBN_EV_DEAD: the peer was just declared dead: logged, the
 * link sends nothing and takes nothing new until conn_revive() or
 * conn_open(), or a SYN of the peer's next generation).  Pump afterwards.
 */
u32 conn_timer(struct conn *c, u64 now);

/* Frames the peer has not acknowledged yet, plus those waiting. */
static inline u32 conn_unacked(const struct conn *c)
{
	return ee_link_occupancy(&c->link) + c->ov_len;
}

const char *conn_state_str(const struct conn *c);
/* Every counter, "key value" lines (the --state-dir .link format). */
void conn_write_stats(const struct conn *c, FILE *f);
/* Three or four summary lines, each starting with @prefix. */
void conn_print_summary(const struct conn *c, FILE *f, const char *prefix);

#endif /* _EEBOX_CONN_H */
