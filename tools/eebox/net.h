/* SPDX-License-Identifier: GPL-2.0 */
/*
 * eebox: raw Ethernet access through an AF_PACKET socket.
 *
 * Frames are exchanged whole, from the destination MAC on, with the 802.1Q
 * tag inline: on receive a tag the kernel stripped (PACKET_AUXDATA) is put
 * back, so callers see frames exactly as they were on the wire.
 */
#ifndef _EEBOX_NET_H
#define _EEBOX_NET_H

#include "ee_types.h"

/* Room in a receive buffer: the largest frame plus a re-inserted tag. */
#define NET_RX_MAX	(65536 + 4)

struct net_port {
	int fd;
	int ifindex;
	u8 mac[6];		/* the interface's own MAC */
};

/*
 * Open a raw socket bound to @ifname for all protocols.  0 or -errno
 * (-ENODEV when there is no such interface).
 */
int net_open(struct net_port *port, const char *ifname);
void net_close(struct net_port *port);
/* Also receive unicast frames for @mac (adds it to the NIC's filter). */
int net_add_mac(struct net_port *port, const u8 mac[6]);

/*
 * Receive one frame without blocking into @buf (NET_RX_MAX bytes).  Return
 * its length, 0 when the frame is to be ignored (sent by this host, or too
 * big), or -errno (-EAGAIN: nothing pending).
 */
int net_recv(struct net_port *port, u8 *buf);
/* Send one whole frame.  0 or -errno. */
int net_send(struct net_port *port, const u8 *frame, size_t len);

#endif /* _EEBOX_NET_H */
