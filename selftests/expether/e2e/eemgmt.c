// SPDX-License-Identifier: GPL-2.0
/*
 * eemgmt: someone on the L2 segment without the management key, for the
 * end-to-end test that forged and replayed management frames are refused
 * (Documentation/expether/security.rst).  Runs in a guest (static).
 *
 *   eemgmt capture IFACE FILE [SECONDS]
 *	wait for the next management frame sent or received on IFACE and
 *	write it, whole (802.1Q tag inline), to FILE
 *   eemgmt replay IFACE FILE
 *	send FILE's frame again, byte for byte
 *   eemgmt forge IFACE GID MAC NEWGID KEYHEX
 *	a SET_GID for the bridge MAC (in group GID) to NEWGID with a fresh
 *	counter (the wall clock, as the module's), signed with KEYHEX: not
 *	the bridges' key, so its HMAC must not verify
 *
 * Exit status 0 when done, 1 on error or timeout.
 */
#include <arpa/inet.h>
#include <errno.h>
#include <linux/if_ether.h>
#include <linux/if_packet.h>
#include <net/if.h>
#include <poll.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <time.h>
#include <unistd.h>

#include "ee_codec.h"
#include "ee_sha256.h"

static int open_sock(const char *ifname, struct sockaddr_ll *sll)
{
	int fd, one = 1;

	memset(sll, 0, sizeof(*sll));
	sll->sll_family = AF_PACKET;
	sll->sll_protocol = htons(ETH_P_ALL);
	sll->sll_ifindex = (int)if_nametoindex(ifname);
	if (!sll->sll_ifindex) {
		fprintf(stderr, "eemgmt: %s: no such interface\n", ifname);
		exit(1);
	}
	fd = socket(AF_PACKET, SOCK_RAW, htons(ETH_P_ALL));
	if (fd < 0 || bind(fd, (struct sockaddr *)sll, sizeof(*sll)) ||
	    setsockopt(fd, SOL_PACKET, PACKET_AUXDATA, &one, sizeof(one))) {
		perror("eemgmt: packet socket");
		exit(1);
	}
	sll->sll_halen = 6;
	return fd;
}

static void xmit(int fd, struct sockaddr_ll *sll, const u8 *buf, size_t len)
{
	memcpy(sll->sll_addr, buf, 6);
	if (sendto(fd, buf, len, 0, (struct sockaddr *)sll, sizeof(*sll)) !=
	    (ssize_t)len) {
		perror("eemgmt: sendto");
		exit(1);
	}
}

/* One frame with its VLAN tag back inline (the kernel may strip it). */
static ssize_t recv_frame(int fd, u8 *buf, size_t cap)
{
	union {
		struct cmsghdr h;
		char b[CMSG_SPACE(sizeof(struct tpacket_auxdata))];
	} cm;
	struct iovec iov = { .iov_base = buf + 4, .iov_len = cap - 4 };
	struct msghdr msg = {
		.msg_iov = &iov, .msg_iovlen = 1,
		.msg_control = &cm, .msg_controllen = sizeof(cm),
	};
	struct tpacket_auxdata *aux = NULL;
	struct cmsghdr *c;
	ssize_t n;

	n = recvmsg(fd, &msg, 0);
	if (n < 14)
		return n < 0 ? n : 0;
	for (c = CMSG_FIRSTHDR(&msg); c; c = CMSG_NXTHDR(&msg, c))
		if (c->cmsg_level == SOL_PACKET &&
		    c->cmsg_type == PACKET_AUXDATA)
			aux = (struct tpacket_auxdata *)CMSG_DATA(c);
	if (!aux || !(aux->tp_status & TP_STATUS_VLAN_VALID)) {
		memmove(buf, buf + 4, (size_t)n);
		return n;
	}
	memmove(buf, buf + 4, 12);
	buf[12] = 0x81;
	buf[13] = 0x00;
	buf[14] = (u8)(aux->tp_vlan_tci >> 8);
	buf[15] = (u8)aux->tp_vlan_tci;
	return n + 4;
}

static int capture(const char *ifname, const char *path, int secs)
{
	struct sockaddr_ll sll;
	struct ee_frame f;
	struct pollfd p;
	u8 buf[2048];
	time_t end = time(NULL) + secs;
	ssize_t n;
	FILE *out;

	p.fd = open_sock(ifname, &sll);
	p.events = POLLIN;
	while (time(NULL) < end) {
		if (poll(&p, 1, 100) <= 0)
			continue;
		n = recv_frame(p.fd, buf, sizeof(buf));
		if (n <= 0 || ee_frame_parse(buf, (size_t)n,
					     EXPETHER_ETHERTYPE_DEFAULT, &f) ||
		    f.hdr.type != EXPETHER_FT_MGMT)
			continue;
		out = fopen(path, "w");
		if (!out || fwrite(buf, 1, (size_t)n, out) != (size_t)n ||
		    fclose(out)) {
			perror("eemgmt: capture file");
			return 1;
		}
		printf("captured a management frame of %zd bytes\n", n);
		return 0;
	}
	fprintf(stderr, "eemgmt: no management frame in %d s\n", secs);
	return 1;
}

static int replay(const char *ifname, const char *path)
{
	struct sockaddr_ll sll;
	u8 buf[2048];
	size_t n;
	FILE *in = fopen(path, "r");
	int fd;

	if (!in) {
		perror("eemgmt: replay file");
		return 1;
	}
	n = fread(buf, 1, sizeof(buf), in);
	fclose(in);
	fd = open_sock(ifname, &sll);
	xmit(fd, &sll, buf, n);
	close(fd);
	printf("replayed %zu bytes\n", n);
	return 0;
}

static int parse_mac(const char *s, u8 *mac)
{
	unsigned int b[6], i;

	if (sscanf(s, "%x:%x:%x:%x:%x:%x", &b[0], &b[1], &b[2], &b[3], &b[4],
		   &b[5]) != 6)
		return -1;
	for (i = 0; i < 6; i++)
		mac[i] = (u8)b[i];
	return 0;
}

static int forge(const char *ifname, u16 gid, const char *macs, u16 new_gid,
		 const char *keyhex)
{
	u8 key[EE_MGMT_KEY_MAX], payload[EXPETHER_MGMT_LEN], buf[128];
	struct ee_frame f = {
		.tci = gid,
		.ethertype = EXPETHER_ETHERTYPE_DEFAULT,
		.hdr = { .version = EXPETHER_VERSION,
			 .type = EXPETHER_FT_MGMT },
		.src = { 0x02, 0xee, 0xba, 0xd0, 0x00, 0x02 },
	};
	struct ee_mgmt m = { .op = EXPETHER_MGMT_SET_GID, .new_gid = new_gid };
	struct sockaddr_ll sll;
	struct timespec ts;
	int keylen, n, fd;

	keylen = ee_key_from_hex(keyhex, strlen(keyhex), key);
	if (keylen < 1 || parse_mac(macs, m.target_mac)) {
		fprintf(stderr, "eemgmt: bad key or MAC\n");
		return 1;
	}
	memcpy(f.dst, m.target_mac, 6);
	/* Newer than anything sent so far: only the HMAC can refuse it. */
	clock_gettime(CLOCK_REALTIME, &ts);
	m.counter = (u64)ts.tv_sec * 1000000000ULL + (u64)ts.tv_nsec +
		    3600ULL * 1000000000ULL;
	ee_mgmt_put(payload, &m);
	ee_mgmt_hmac(key, (size_t)keylen, payload, payload + 28);
	n = ee_frame_build(buf, sizeof(buf), &f, payload, sizeof(payload));
	if (n < 0) {
		fprintf(stderr, "eemgmt: cannot build: %s\n", ee_err_str(-n));
		return 1;
	}
	fd = open_sock(ifname, &sll);
	xmit(fd, &sll, buf, (size_t)n);
	close(fd);
	printf("forged SET_GID %u for %s in group %u (counter %llu)\n",
	       new_gid, macs, gid, (unsigned long long)m.counter);
	return 0;
}

int main(int argc, char **argv)
{
	if (argc >= 4 && !strcmp(argv[1], "capture"))
		return capture(argv[2], argv[3], argc > 4 ? atoi(argv[4]) : 10);
	if (argc == 4 && !strcmp(argv[1], "replay"))
		return replay(argv[2], argv[3]);
	if (argc == 7 && !strcmp(argv[1], "forge"))
		return forge(argv[2], (u16)atoi(argv[3]), argv[4],
			     (u16)atoi(argv[5]), argv[6]);
	fprintf(stderr,
		"usage: eemgmt capture IFACE FILE [SECONDS] | replay IFACE FILE |\n"
		"       forge IFACE GID MAC NEWGID KEYHEX\n");
	return 1;
}
