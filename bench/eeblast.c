// SPDX-License-Identifier: GPL-2.0
/*
 * eeblast: the raw capacity of the link to an I/O bridge.
 *
 *   eeblast -i IFACE -d MAC -g GID [-s SIZE] [-n COUNT] [-W WINDOW]
 *           [-T SECONDS] [-E ETHERTYPE] [-j]
 *
 * Sends COUNT ECHO requests of SIZE payload bytes to the bridge with up to
 * WINDOW of them unanswered at any time, as fast as the replies allow,
 * and reports the payload bytes per second that came back: the capacity
 * of the tap, the box's receive and send path and the guest's NIC, with
 * none of the reliable transport's work (ECHO frames are unsequenced, the
 * box answers them at once).  A request unanswered for 200 ms is given up
 * and its slot reused.  Stops after COUNT replies or SECONDS.
 *
 * Exit 0 if replies came, 1 if none, 2 on a usage error, 3 if it cannot
 * run.
 */
#include <errno.h>
#include <getopt.h>
#include <poll.h>
#include <sys/socket.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "rawsock.h"

#define MAGIC		0xeeb1a57eU
#define MAX_WINDOW	256
#define LOST_NS		200000000ULL

struct opts {
	const char *ifname;
	u8 peer[6];
	bool have_peer;
	unsigned int gid;
	unsigned int size;
	unsigned long count;
	unsigned int window;
	unsigned int seconds;
	unsigned int ethertype;
	bool json;
};

static uint64_t now_ns(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (uint64_t)ts.tv_sec * 1000000000ULL + (uint64_t)ts.tv_nsec;
}

static void usage(FILE *f)
{
	fprintf(f,
		"usage: eeblast -i IFACE -d MAC -g GID [-s SIZE] [-n COUNT] [-W WINDOW]\n"
		"               [-T SECONDS] [-E ETHERTYPE] [-j]\n"
		"  -s  payload bytes per request, 16..%u (default 1400)\n"
		"  -n  replies to wait for (default 20000)\n"
		"  -W  requests in flight, 1..%u (default 32)\n"
		"  -T  stop after this many seconds (default 10)\n"
		"  -j  JSON\n", EXPETHER_MAX_PAYLOAD, MAX_WINDOW);
}

static int bad(const char *opt, const char *val)
{
	fprintf(stderr, "eeblast: invalid %s '%s'\n", opt, val);
	usage(stderr);
	return 2;
}

static int num(const char *s, unsigned long lo, unsigned long hi,
	       unsigned long *out)
{
	char *end;
	unsigned long v;

	errno = 0;
	v = strtoul(s, &end, 0);
	if (errno || *end || end == s || v < lo || v > hi)
		return -1;
	*out = v;
	return 0;
}

static int parse_opts(int argc, char **argv, struct opts *o)
{
	unsigned long v;
	int c;

	o->size = 1400;
	o->count = 20000;
	o->window = 32;
	o->seconds = 10;
	o->ethertype = EXPETHER_ETHERTYPE_DEFAULT;
	while ((c = getopt(argc, argv, "i:d:g:s:n:W:T:E:jh")) != -1) {
		switch (c) {
		case 'i':
			o->ifname = optarg;
			break;
		case 'd':
			if (parse_mac(optarg, o->peer))
				return bad("-d", optarg);
			o->have_peer = true;
			break;
		case 'g':
			if (num(optarg, EXPETHER_GID_MIN, EXPETHER_GID_MAX, &v))
				return bad("-g", optarg);
			o->gid = (unsigned int)v;
			break;
		case 's':
			if (num(optarg, 16, EXPETHER_MAX_PAYLOAD, &v))
				return bad("-s", optarg);
			o->size = (unsigned int)v;
			break;
		case 'n':
			if (num(optarg, 1, 100000000, &v))
				return bad("-n", optarg);
			o->count = v;
			break;
		case 'W':
			if (num(optarg, 1, MAX_WINDOW, &v))
				return bad("-W", optarg);
			o->window = (unsigned int)v;
			break;
		case 'T':
			if (num(optarg, 1, 3600, &v))
				return bad("-T", optarg);
			o->seconds = (unsigned int)v;
			break;
		case 'E':
			if (num(optarg, 0x600, 0xffff, &v))
				return bad("-E", optarg);
			o->ethertype = (unsigned int)v;
			break;
		case 'j':
			o->json = true;
			break;
		case 'h':
			usage(stdout);
			exit(0);
		default:
			usage(stderr);
			return 2;
		}
	}
	if (!o->ifname || !o->have_peer || !o->gid || optind != argc) {
		fprintf(stderr, "eeblast: -i, -d and -g are required\n");
		usage(stderr);
		return 2;
	}
	return 0;
}

static int send_one(struct rawsock *s, const struct opts *o, uint32_t seq,
		    u8 *frame, size_t cap)
{
	u8 payload[EXPETHER_MAX_PAYLOAD];
	struct ee_frame f = {
		.tci = (u16)o->gid,
		.ethertype = (u16)o->ethertype,
		.hdr = {
			.version = EXPETHER_VERSION,
			.type = EXPETHER_FT_ECHO_REQ,
		},
	};
	int len;

	memcpy(f.dst, o->peer, 6);
	memcpy(f.src, s->mac, 6);
	memset(payload, 0x5a, o->size);
	ee_put_be32(payload, MAGIC);
	ee_put_be32(payload + 4, seq);
	len = ee_frame_build(frame, cap, &f, payload, o->size);
	if (len < 0)
		return -1;
	return rawsock_send(s, frame, (size_t)len);
}

int main(int argc, char **argv)
{
	u8 buf[2048], out[2048];
	uint64_t sent_at[MAX_WINDOW] = { 0 };
	uint32_t slot_seq[MAX_WINDOW];
	unsigned long replies = 0, lost = 0, sent = 0, late = 0;
	uint64_t t0, t1, deadline, bytes = 0;
	struct rawsock s;
	struct opts o = { 0 };
	unsigned int i, inflight = 0;
	uint32_t seq = 0;
	int ret;

	ret = parse_opts(argc, argv, &o);
	if (ret)
		return ret;
	if (rawsock_open(&s, "eeblast", o.ifname))
		return 3;
	t0 = now_ns();
	deadline = t0 + (uint64_t)o.seconds * 1000000000ULL;
	for (i = 0; i < o.window; i++)
		slot_seq[i] = UINT32_MAX;

	while (replies < o.count && now_ns() < deadline) {
		uint64_t now = now_ns();
		struct pollfd pfd = { .fd = s.fd, .events = POLLIN };
		struct ee_frame f;
		ssize_t n;

		/* Fill the window; give up on requests unanswered too long. */
		for (i = 0; i < o.window; i++) {
			if (slot_seq[i] != UINT32_MAX) {
				if (now - sent_at[i] < LOST_NS)
					continue;
				lost++;
				inflight--;
			}
			if (sent >= o.count + o.window)
				break;
			slot_seq[i] = seq;
			sent_at[i] = now;
			if (send_one(&s, &o, seq, out, sizeof(out))) {
				slot_seq[i] = UINT32_MAX;
				break;	/* the queue is full: wait for replies */
			}
			seq++;
			sent++;
			inflight++;
		}
		if (poll(&pfd, 1, 10) <= 0)
			continue;
		while ((n = rawsock_recv(&s, buf, sizeof(buf), MSG_DONTWAIT)) >= 0) {
			uint32_t rseq;

			if (n == 0 || ee_frame_parse(buf, (size_t)n,
						     (u16)o.ethertype, &f) ||
			    f.hdr.type != EXPETHER_FT_ECHO_REPLY ||
			    memcmp(f.src, o.peer, 6) || f.hdr.length < 8 ||
			    ee_get_be32(f.payload) != MAGIC)
				continue;
			rseq = ee_get_be32(f.payload + 4);
			for (i = 0; i < o.window; i++)
				if (slot_seq[i] == rseq)
					break;
			if (i == o.window) {
				late++;
				continue;
			}
			slot_seq[i] = UINT32_MAX;
			inflight--;
			replies++;
			bytes += f.hdr.length;
		}
	}
	t1 = now_ns();
	rawsock_close(&s);
	{
		double secs = (double)(t1 - t0) / 1e9;
		double mbps = secs > 0 ? (double)bytes / secs / 1e6 : 0;

		if (o.json)
			printf("{\"tool\": \"eeblast\", \"size\": %u, \"window\": %u, \"sent\": %lu, \"replies\": %lu, \"lost\": %lu, \"late\": %lu, \"secs\": %.3f, \"MBps\": %.3f, \"frames_per_s\": %.1f}\n",
			       o.size, o.window, sent, replies, lost, late, secs,
			       mbps, secs > 0 ? (double)replies / secs : 0);
		else
			printf("eeblast: %lu replies of %u bytes in %.3f s: %.3f MB/s each way (%lu lost, %lu late, window %u)\n",
			       replies, o.size, secs, mbps, lost, late, o.window);
	}
	(void)inflight;
	return replies ? 0 : 1;
}
