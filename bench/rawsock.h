/* SPDX-License-Identifier: GPL-2.0 */
/*
 * A raw AF_PACKET socket on one interface for the benchmark tools: every
 * frame the interface receives (ETH_P_ALL taps run before a device's
 * rx_handler, so this also sees the frames expether.ko consumes), with the
 * 802.1Q tag put back inline when the kernel moved it out of band.
 */
#ifndef _BENCH_RAWSOCK_H
#define _BENCH_RAWSOCK_H

#include <stddef.h>
#include <sys/types.h>

#include "ee_codec.h"

struct rawsock {
	int fd;
	int ifindex;
	u8 mac[6];
	char ifname[32];
};

/* Open and bind.  Returns 0, or -1 with a message on stderr. */
int rawsock_open(struct rawsock *s, const char *prog, const char *ifname);
void rawsock_close(struct rawsock *s);

/* Send one frame as it is (tag inline).  0 or -1 (errno set). */
int rawsock_send(struct rawsock *s, const u8 *buf, size_t len);

/* Receive one incoming frame (frames this host sends are skipped) into
 * @buf with its VLAN tag inline.  @flags: 0 to block, MSG_DONTWAIT not to.
 * Returns the frame length, 0 for a frame to ignore (outgoing, truncated),
 * or -1 (errno set; EAGAIN when nothing is queued).
 */
ssize_t rawsock_recv(struct rawsock *s, u8 *buf, size_t cap, int flags);

/* "aa:bb:cc:dd:ee:ff" to bytes: 0, or -1. */
int parse_mac(const char *str, u8 mac[6]);

#define MAC_FMT "%02x:%02x:%02x:%02x:%02x:%02x"
#define MAC_ARG(m) (m)[0], (m)[1], (m)[2], (m)[3], (m)[4], (m)[5]

#endif /* _BENCH_RAWSOCK_H */
