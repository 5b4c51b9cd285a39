// SPDX-License-Identifier: GPL-2.0
/*
 * eebox: raw Ethernet access through an AF_PACKET socket (see net.h).
 */
#include <errno.h>
#include <unistd.h>
#include <arpa/inet.h>
#include <net/if.h>
#include <sys/ioctl.h>
#include <sys/socket.h>
#include <linux/if_ether.h>
#include <linux/if_packet.h>

#include "net.h"

#define NET_RCVBUF	(1 << 20)

int net_open(struct net_port *port, const char *ifname)
{
	struct sockaddr_ll sll = {
		.sll_family = AF_PACKET,
		.sll_protocol = htons(ETH_P_ALL),
	};
	struct ifreq ifr = { 0 };
	int one = 1, rcvbuf = NET_RCVBUF;
	int fd, ret;

	if (strlen(ifname) >= IFNAMSIZ)
		return -ENODEV;

	fd = socket(AF_PACKET, SOCK_RAW | SOCK_CLOEXEC | SOCK_NONBLOCK,
		    htons(ETH_P_ALL));
	if (fd < 0)
		return -errno;

	strcpy(ifr.ifr_name, ifname);
	if (ioctl(fd, SIOCGIFINDEX, &ifr) < 0)
		goto fail;
	sll.sll_ifindex = ifr.ifr_ifindex;
	if (ioctl(fd, SIOCGIFHWADDR, &ifr) < 0)
		goto fail;
	memcpy(port->mac, ifr.ifr_hwaddr.sa_data, 6);

	if (setsockopt(fd, SOL_PACKET, PACKET_AUXDATA, &one, sizeof(one)) < 0)
		goto fail;
	/* Best effort: our own transmissions are also filtered in recv. */
	setsockopt(fd, SOL_PACKET, PACKET_IGNORE_OUTGOING, &one, sizeof(one));
	setsockopt(fd, SOL_SOCKET, SO_RCVBUF, &rcvbuf, sizeof(rcvbuf));

	if (bind(fd, (struct sockaddr *)&sll, sizeof(sll)) < 0)
		goto fail;

	port->fd = fd;
	port->ifindex = sll.sll_ifindex;
	return 0;

fail:
	ret = -errno;
	close(fd);
	return ret;
}

void net_close(struct net_port *port)
{
	if (port->fd >= 0)
		close(port->fd);
	port->fd = -1;
}

int net_add_mac(struct net_port *port, const u8 mac[6])
{
	struct packet_mreq mr = {
		.mr_ifindex = port->ifindex,
		.mr_type = PACKET_MR_UNICAST,
		.mr_alen = 6,
	};

	memcpy(mr.mr_address, mac, 6);
	if (setsockopt(port->fd, SOL_PACKET, PACKET_ADD_MEMBERSHIP, &mr,
		       sizeof(mr)) < 0)
		return -errno;
	return 0;
}

/* The VLAN tag the kernel took off the frame, if any. */
static bool stripped_tag(struct msghdr *msg, u16 *tpid, u16 *tci)
{
	struct tpacket_auxdata *aux;
	struct cmsghdr *c;

	for (c = CMSG_FIRSTHDR(msg); c; c = CMSG_NXTHDR(msg, c)) {
		if (c->cmsg_level != SOL_PACKET ||
		    c->cmsg_type != PACKET_AUXDATA ||
		    c->cmsg_len < CMSG_LEN(sizeof(*aux)))
			continue;
		aux = (struct tpacket_auxdata *)CMSG_DATA(c);
		if (!(aux->tp_status & TP_STATUS_VLAN_VALID))
			return false;
		*tci = aux->tp_vlan_tci;
		*tpid = (aux->tp_status & TP_STATUS_VLAN_TPID_VALID) ?
			aux->tp_vlan_tpid : ETH_P_8021Q;
		return true;
	}
	return false;
}

int net_recv(struct net_port *port, u8 *buf)
{
	union {
		struct cmsghdr hdr;
		char buf[CMSG_SPACE(sizeof(struct tpacket_auxdata))];
	} cmsg;
	struct sockaddr_ll from;
	/* Leave room in front to put a stripped tag back. */
	struct iovec iov = { .iov_base = buf + 4, .iov_len = NET_RX_MAX - 4 };
	struct msghdr msg = {
		.msg_name = &from,
		.msg_namelen = sizeof(from),
		.msg_iov = &iov,
		.msg_iovlen = 1,
		.msg_control = &cmsg,
		.msg_controllen = sizeof(cmsg),
	};
	u16 tpid, tci;
	ssize_t n;

	n = recvmsg(port->fd, &msg, MSG_TRUNC | MSG_DONTWAIT);
	if (n < 0)
		return -errno;
	if (from.sll_pkttype == PACKET_OUTGOING ||
	    (size_t)n > iov.iov_len || (msg.msg_flags & MSG_TRUNC))
		return 0;

	if (n < 12 || !stripped_tag(&msg, &tpid, &tci)) {
		memmove(buf, buf + 4, (size_t)n);
		return (int)n;
	}
	memmove(buf, buf + 4, 12);
	buf[12] = (u8)(tpid >> 8);
	buf[13] = (u8)tpid;
	buf[14] = (u8)(tci >> 8);
	buf[15] = (u8)tci;
	return (int)n + 4;
}

int net_send(struct net_port *port, const u8 *frame, size_t len)
{
	struct sockaddr_ll to = {
		.sll_family = AF_PACKET,
		.sll_ifindex = port->ifindex,
		.sll_halen = 6,
	};
	ssize_t n;

	memcpy(to.sll_addr, frame, 6);
	do {
		n = sendto(port->fd, frame, len, 0, (struct sockaddr *)&to,
			   sizeof(to));
	} while (n < 0 && errno == EINTR);
	if (n < 0)
		return -errno;
	return n == (ssize_t)len ? 0 : -EMSGSIZE;
}
