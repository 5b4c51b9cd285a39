// SPDX-License-Identifier: GPL-2.0
/*
 * eeecho: a minimal ECHO responder for eeping's host-side self-test
 * (selftest.sh): it announces itself as an I/O bridge of group GID with a
 * DIF every 100 ms and answers every ECHO request addressed to it with an
 * ECHO reply carrying the same payload, dropping DROP percent of the
 * replies (pseudo-random, seeded).  Not a bridge: nothing else is
 * answered.  -m: answer as MAC instead of the interface's address (a
 * stand-in for another bridge on a tap); -N: no DIFs (when a real box
 * shares the link).  Runs until SIGINT/SIGTERM.
 *
 *   eeecho -i IFACE -g GID [-m MAC] [-D DROP_PCT] [-S SEED] [-N]
 */
#include <errno.h>
#include <getopt.h>
#include <poll.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>

#include "rawsock.h"
#include "stats.h"

#define PROG	"eeecho"
#define BUF_LEN	2048

static volatile sig_atomic_t stop;

static void on_signal(int sig)
{
	(void)sig;
	stop = 1;
}

/* xorshift64*: reproducible drops. */
static uint64_t rng_state;

static unsigned int rng_pct(void)
{
	rng_state ^= rng_state >> 12;
	rng_state ^= rng_state << 25;
	rng_state ^= rng_state >> 27;
	return (unsigned int)((rng_state * 2685821657736338717ull) >> 33) % 100;
}

static int send_frame(struct rawsock *s, u8 *buf, const u8 *dst, u16 gid,
		      u8 type, const u8 *payload, size_t len)
{
	struct ee_frame f;
	int n;

	memset(&f, 0, sizeof(f));
	memcpy(f.dst, dst, 6);
	memcpy(f.src, s->mac, 6);
	f.tci = gid;
	f.ethertype = EXPETHER_ETHERTYPE_DEFAULT;
	f.hdr.version = EXPETHER_VERSION;
	f.hdr.type = type;
	n = ee_frame_build(buf, BUF_LEN, &f, payload, len);
	if (n < 0) {
		fprintf(stderr, PROG ": cannot build a frame: %s\n",
			ee_err_str(n));
		return -1;
	}
	if (rawsock_send(s, buf, (size_t)n)) {
		fprintf(stderr, PROG ": send: %s\n", strerror(errno));
		return -1;
	}
	return 0;
}

static int send_dif(struct rawsock *s, u8 *buf, u16 gid)
{
	static const u8 bcast[6] = { 0xff, 0xff, 0xff, 0xff, 0xff, 0xff };
	u8 payload[EXPETHER_DIF_LEN];
	struct ee_dif d;

	memset(&d, 0, sizeof(d));
	d.role = EXPETHER_ROLE_IO;
	d.interval_ms = 100;
	memcpy(d.mac, s->mac, 6);
	d.gid = gid;
	d.bridge_id = ee_get_be32(s->mac + 2) | (u64)ee_get_be16(s->mac) << 32;
	d.epoch = 1;
	ee_dif_put(payload, &d);
	return send_frame(s, buf, bcast, gid, EXPETHER_FT_DIF, payload,
			  sizeof(payload));
}

int main(int argc, char **argv)
{
	unsigned long gid = 0, drop = 0, seed = 1, answered = 0, dropped = 0;
	u8 *rx = NULL, *tx = NULL;
	uint64_t next_dif = 0;
	struct sigaction sa;
	struct ee_frame f;
	struct rawsock s;
	const char *ifname = NULL;
	bool difs = true;
	int c, ret = 1;
	ssize_t n;

	u8 mac[6];
	bool have_mac = false;

	while ((c = getopt(argc, argv, "i:g:m:D:S:N")) != -1) {
		switch (c) {
		case 'i':
			ifname = optarg;
			break;
		case 'g':
			if (parse_ulong(optarg, EXPETHER_GID_MAX, &gid))
				goto usage;
			break;
		case 'D':
			if (parse_ulong(optarg, 100, &drop))
				goto usage;
			break;
		case 'S':
			if (parse_ulong(optarg, ~0ul, &seed))
				goto usage;
			break;
		case 'N':
			difs = false;
			break;
		case 'm':
			if (parse_mac(optarg, mac))
				goto usage;
			have_mac = true;
			break;
		default:
			goto usage;
		}
	}
	if (!ifname || gid < EXPETHER_GID_MIN || optind != argc)
		goto usage;
	rng_state = seed * 0x9e3779b97f4a7c15ull + 1;
	memset(&sa, 0, sizeof(sa));
	sa.sa_handler = on_signal;
	sigaction(SIGINT, &sa, NULL);
	sigaction(SIGTERM, &sa, NULL);
	if (rawsock_open(&s, PROG, ifname))
		return 1;
	if (have_mac)
		memcpy(s.mac, mac, 6);
	rx = malloc(BUF_LEN);
	tx = malloc(BUF_LEN);
	if (!rx || !tx) {
		fprintf(stderr, PROG ": out of memory\n");
		goto out;
	}
	while (!stop) {
		struct pollfd p = { .fd = s.fd, .events = POLLIN };
		uint64_t now = now_ns();

		if (now >= next_dif) {
			if (difs && send_dif(&s, tx, (u16)gid))
				goto out;
			next_dif = now + 100000000u;
		}
		if (poll(&p, 1, (int)((next_dif - now) / 1000000u) + 1) < 0) {
			if (errno == EINTR)
				continue;
			fprintf(stderr, PROG ": poll: %s\n", strerror(errno));
			goto out;
		}
		for (;;) {
			n = rawsock_recv(&s, rx, BUF_LEN, MSG_DONTWAIT);
			if (n < 0 && (errno == EAGAIN || errno == EWOULDBLOCK ||
				      errno == EINTR))
				break;
			if (n < 0) {
				fprintf(stderr, PROG ": recv: %s\n",
					strerror(errno));
				goto out;
			}
			if (!n || ee_frame_parse(rx, (size_t)n,
						 EXPETHER_ETHERTYPE_DEFAULT, &f) ||
			    f.hdr.type != EXPETHER_FT_ECHO_REQ ||
			    memcmp(f.dst, s.mac, 6) ||
			    ee_frame_gid(&f) != gid)
				continue;
			if (drop && rng_pct() < drop) {
				dropped++;
				continue;
			}
			/* f.payload points into rx; tx is another buffer. */
			if (send_frame(&s, tx, f.src, (u16)gid,
				       EXPETHER_FT_ECHO_REPLY, f.payload,
				       f.hdr.length))
				goto out;
			answered++;
		}
	}
	fprintf(stderr, PROG ": answered %lu, dropped %lu\n", answered,
		dropped);
	ret = 0;
out:
	free(rx);
	free(tx);
	rawsock_close(&s);
	return ret;
usage:
	fprintf(stderr, "usage: " PROG " -i IFACE -g GID [-m MAC] [-D DROP_PCT] [-S SEED] [-N]\n");
	return 2;
}
