// SPDX-License-Identifier: GPL-2.0
/*
 * eeinject: send malformed and foreign ExpEther frames at a host, for the
 * end-to-end test that a host counts and drops them and keeps working.
 *
 *   eeinject -i IFACE -g GID [-n ROUNDS] [-t MS]
 *
 * Every round broadcasts, in group GID unless said otherwise: a truncated
 * header, a wrong version, an unknown frame type, a completion whose TLP
 * is longer than the frame, a DIF whose GID disagrees with its VLAN tag,
 * an untagged frame of our EtherType, and a well-formed I/O-bridge DIF in
 * group GID+1 (foreign: it must not be given a slot).  ROUNDS 0 (the
 * default) runs until killed.  Frames are built with the shared codec and
 * then damaged, so each carries exactly one fault.
 */
#include <arpa/inet.h>
#include <errno.h>
#include <linux/if_ether.h>
#include <linux/if_packet.h>
#include <net/if.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <time.h>
#include <unistd.h>

#include "ee_codec.h"

static const u8 bcast[6] = { 0xff, 0xff, 0xff, 0xff, 0xff, 0xff };
static const u8 src[6] = { 0x02, 0xee, 0xba, 0xd0, 0x00, 0x01 };

static int fd;
static struct sockaddr_ll to;

static void xmit(const u8 *buf, size_t len)
{
	if (sendto(fd, buf, len, 0, (struct sockaddr *)&to, sizeof(to)) < 0) {
		perror("eeinject: sendto");
		exit(1);
	}
}

static int frame(u8 *buf, u16 gid, u8 type, const u8 *payload, size_t len)
{
	struct ee_frame f = {
		.tci = gid,
		.ethertype = EXPETHER_ETHERTYPE_DEFAULT,
		.hdr = { .version = EXPETHER_VERSION, .type = type },
	};
	int n;

	memcpy(f.dst, bcast, 6);
	memcpy(f.src, src, 6);
	n = ee_frame_build(buf, 1514, &f, payload, len);
	if (n < 0) {
		fprintf(stderr, "eeinject: cannot build frame: %s\n",
			ee_err_str(n));
		exit(1);
	}
	return n;
}

static void dif(struct ee_dif *d, u16 gid)
{
	memset(d, 0, sizeof(*d));
	d->role = EXPETHER_ROLE_IO;
	d->flags = EXPETHER_DIF_F_PRESENT;
	d->interval_ms = 100;
	memcpy(d->mac, src, 6);
	d->gid = gid;
	d->bridge_id = 0x02eebad00001ULL;
	d->epoch = 1;
	d->vendor = EXPETHER_PCI_VENDOR_ID;
	d->device = EXPETHER_PCI_DEV_TESTDEV;
	d->class_rev = 0xff000001;
}

static void round_once(u16 gid)
{
	u8 buf[1514], payload[64], tlp[32];
	struct ee_tlp t;
	struct ee_dif d;
	int n;

	/* Truncated: the ExpEther header cut after 10 of its 24 bytes. */
	n = frame(buf, gid, EXPETHER_FT_ACK, NULL, 0);
	xmit(buf, EXPETHER_L2_HLEN + 10);

	/* Wrong version. */
	n = frame(buf, gid, EXPETHER_FT_ACK, NULL, 0);
	buf[EXPETHER_L2_HLEN] = EXPETHER_VERSION + 1;
	xmit(buf, n);

	/* Unknown frame type. */
	n = frame(buf, gid, EXPETHER_FT_ACK, NULL, 0);
	buf[EXPETHER_L2_HLEN + 1] = 9;
	xmit(buf, n);

	/* A CplD claiming 4 DW of data but carrying 1. */
	memset(&t, 0, sizeof(t));
	t.kind = EE_TLP_CPLD;
	t.length = 1;
	t.byte_count = 4;
	t.data = (const u8 *)"\x33\x10\x01\xee";
	n = ee_tlp_build(tlp, sizeof(tlp), &t);
	tlp[3] = 4;	/* Length[7:0] */
	n = frame(buf, gid, EXPETHER_FT_TLP, tlp, n);
	xmit(buf, n);

	/* A DIF whose GID field disagrees with its VLAN tag. */
	dif(&d, gid);
	ee_dif_put(payload, &d);
	payload[10] = 0;
	payload[11] = (gid + 2) & 0xff;
	n = frame(buf, gid, EXPETHER_FT_DIF, payload, EXPETHER_DIF_LEN);
	xmit(buf, n);

	/* Our EtherType without the 802.1Q tag. */
	n = frame(buf, gid, EXPETHER_FT_ACK, NULL, 0);
	memmove(buf + 12, buf + 16, n - 16);
	xmit(buf, n - 4 < 60 ? 60 : n - 4);

	/* A well-formed I/O bridge in another group. */
	dif(&d, gid + 1);
	ee_dif_put(payload, &d);
	n = frame(buf, gid + 1, EXPETHER_FT_DIF, payload, EXPETHER_DIF_LEN);
	xmit(buf, n);
}

int main(int argc, char **argv)
{
	const char *ifname = NULL;
	unsigned long rounds = 0, ms = 50, gid = 0, i;
	struct timespec ts;
	int c;

	while ((c = getopt(argc, argv, "i:g:n:t:")) != -1) {
		switch (c) {
		case 'i': ifname = optarg; break;
		case 'g': gid = strtoul(optarg, NULL, 0); break;
		case 'n': rounds = strtoul(optarg, NULL, 0); break;
		case 't': ms = strtoul(optarg, NULL, 0); break;
		default: goto usage;
		}
	}
	if (!ifname || gid < EXPETHER_GID_MIN || gid >= EXPETHER_GID_MAX)
		goto usage;

	fd = socket(AF_PACKET, SOCK_RAW, 0);
	if (fd < 0) {
		perror("eeinject: socket");
		return 1;
	}
	memset(&to, 0, sizeof(to));
	to.sll_family = AF_PACKET;
	to.sll_ifindex = if_nametoindex(ifname);
	to.sll_halen = 6;
	memcpy(to.sll_addr, bcast, 6);
	if (!to.sll_ifindex) {
		fprintf(stderr, "eeinject: %s: %s\n", ifname, strerror(errno));
		return 1;
	}

	ts.tv_sec = ms / 1000;
	ts.tv_nsec = (ms % 1000) * 1000000L;
	for (i = 0; !rounds || i < rounds; i++) {
		round_once(gid);
		nanosleep(&ts, NULL);
	}
	close(fd);
	return 0;
usage:
	fprintf(stderr, "usage: eeinject -i IFACE -g GID(1..4093) [-n ROUNDS] [-t MS]\n");
	return 2;
}
