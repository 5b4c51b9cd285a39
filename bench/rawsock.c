// SPDX-License-Identifier: GPL-2.0
/*
 * Raw AF_PACKET socket of the benchmark tools; see rawsock.h.
 */
#include <arpa/inet.h>
#include <errno.h>
#include <linux/if_ether.h>
#include <linux/if_packet.h>
#include <net/if.h>
#include <stdio.h>
#include <string.h>
#include <sys/ioctl.h>
#include <sys/socket.h>
#include <unistd.h>

#include "rawsock.h"

#ifndef PACKET_IGNORE_OUTGOING
#define PACKET_IGNORE_OUTGOING 23
#endif

int rawsock_open(struct rawsock *s, const char *prog, const char *ifname)
{
	struct sockaddr_ll sll;
	struct ifreq ifr;
	int one = 1;

	memset(s, 0, sizeof(*s));
	s->fd = -1;
	if (strlen(ifname) >= sizeof(ifr.ifr_name)) {
		fprintf(stderr, "%s: interface name too long: %s\n", prog,
			ifname);
		return -1;
	}
	snprintf(s->ifname, sizeof(s->ifname), "%s", ifname);
	s->ifindex = (int)if_nametoindex(ifname);
	if (!s->ifindex) {
		fprintf(stderr, "%s: %s: %s\n", prog, ifname, strerror(errno));
		return -1;
	}
	s->fd = socket(AF_PACKET, SOCK_RAW, htons(ETH_P_ALL));
	if (s->fd < 0) {
		fprintf(stderr, "%s: socket(AF_PACKET): %s\n", prog,
			strerror(errno));
		return -1;
	}
	memset(&ifr, 0, sizeof(ifr));
	memcpy(ifr.ifr_name, ifname, strlen(ifname));
	if (ioctl(s->fd, SIOCGIFHWADDR, &ifr) < 0) {
		fprintf(stderr, "%s: %s: SIOCGIFHWADDR: %s\n", prog, ifname,
			strerror(errno));
		goto fail;
	}
	memcpy(s->mac, ifr.ifr_hwaddr.sa_data, 6);
	/* The VLAN tag of a received frame, when the kernel took it out. */
	if (setsockopt(s->fd, SOL_PACKET, PACKET_AUXDATA, &one,
		       sizeof(one)) < 0) {
		fprintf(stderr, "%s: PACKET_AUXDATA: %s\n", prog,
			strerror(errno));
		goto fail;
	}
	/* Not required (outgoing frames are also skipped on receive). */
	(void)setsockopt(s->fd, SOL_PACKET, PACKET_IGNORE_OUTGOING, &one,
			 sizeof(one));
	memset(&sll, 0, sizeof(sll));
	sll.sll_family = AF_PACKET;
	sll.sll_protocol = htons(ETH_P_ALL);
	sll.sll_ifindex = s->ifindex;
	if (bind(s->fd, (struct sockaddr *)&sll, sizeof(sll)) < 0) {
		fprintf(stderr, "%s: bind %s: %s\n", prog, ifname,
			strerror(errno));
		goto fail;
	}
	return 0;
fail:
	close(s->fd);
	s->fd = -1;
	return -1;
}

void rawsock_close(struct rawsock *s)
{
	if (s->fd >= 0)
		close(s->fd);
	s->fd = -1;
}

int rawsock_send(struct rawsock *s, const u8 *buf, size_t len)
{
	ssize_t n = send(s->fd, buf, len, 0);

	if (n < 0)
		return -1;
	if ((size_t)n != len) {
		errno = EMSGSIZE;
		return -1;
	}
	return 0;
}

ssize_t rawsock_recv(struct rawsock *s, u8 *buf, size_t cap, int flags)
{
	union {
		struct cmsghdr align;
		char buf[CMSG_SPACE(sizeof(struct tpacket_auxdata))];
	} ctl;
	struct tpacket_auxdata *aux = NULL;
	struct sockaddr_ll from;
	struct cmsghdr *cm;
	struct msghdr msg;
	struct iovec iov;
	ssize_t n;

	if (cap < 4 + 14)
		return errno = EINVAL, -1;
	/* Leave room in front for a tag to be put back. */
	iov.iov_base = buf + 4;
	iov.iov_len = cap - 4;
	memset(&msg, 0, sizeof(msg));
	msg.msg_name = &from;
	msg.msg_namelen = sizeof(from);
	msg.msg_iov = &iov;
	msg.msg_iovlen = 1;
	msg.msg_control = &ctl;
	msg.msg_controllen = sizeof(ctl);
	n = recvmsg(s->fd, &msg, flags);
	if (n < 0)
		return -1;
	if (from.sll_pkttype == PACKET_OUTGOING || (msg.msg_flags & MSG_TRUNC) ||
	    n < 14)
		return 0;
	for (cm = CMSG_FIRSTHDR(&msg); cm; cm = CMSG_NXTHDR(&msg, cm))
		if (cm->cmsg_level == SOL_PACKET &&
		    cm->cmsg_type == PACKET_AUXDATA &&
		    cm->cmsg_len >= CMSG_LEN(sizeof(*aux)))
			aux = (struct tpacket_auxdata *)CMSG_DATA(cm);
	if (aux && (aux->tp_status & TP_STATUS_VLAN_VALID)) {
		u16 tpid = ETH_P_8021Q;

		if (aux->tp_status & TP_STATUS_VLAN_TPID_VALID)
			tpid = aux->tp_vlan_tpid;
		memmove(buf, buf + 4, 12);
		ee_put_be16(buf + 12, tpid);
		ee_put_be16(buf + 14, aux->tp_vlan_tci);
		return n + 4;
	}
	memmove(buf, buf + 4, (size_t)n);
	return n;
}

int parse_mac(const char *str, u8 mac[6])
{
	unsigned int b[6];
	char tail;
	int i;

	if (sscanf(str, "%x:%x:%x:%x:%x:%x%c", &b[0], &b[1], &b[2], &b[3],
		   &b[4], &b[5], &tail) != 6)
		return -1;
	for (i = 0; i < 6; i++) {
		if (b[i] > 0xff)
			return -1;
		mac[i] = (u8)b[i];
	}
	return 0;
}
