// SPDX-License-Identifier: GPL-2.0
/*
 * eeping: the raw layer-2 round trip to an ExpEther I/O bridge, the
 * baseline of `make bench`.
 *
 *   eeping -i IFACE [-d MAC -g GID | -g GID] [-c COUNT] [-w WARMUP]
 *          [-s SIZE] [-W TIMEOUT_MS] [-I INTERVAL_US] [-L LEARN_MS]
 *          [-G GIVEUP] [-E ETHERTYPE] [-r FILE] [-b] [-j] [-q]
 *
 * Sends ECHO requests (frame type EXPETHER_FT_ECHO_REQ) one at a time to
 * the bridge and times each matching ECHO reply with CLOCK_MONOTONIC, from
 * just before send() to just after the reply is received.  A reply that
 * does not come within TIMEOUT_MS counts as lost (and a reply to an earlier
 * request that comes later as late); then the next request goes out.
 * After GIVEUP timeouts in a row (default 5) before any reply, or ten
 * times as many after one, it stops early: the bridge does not answer (or
 * no longer does), and waiting COUNT timeouts would prove nothing more.
 * Without -d the bridge is the first I/O bridge whose DIF is heard within
 * LEARN_MS (in group GID if -g is given).  -b busy-polls the socket instead
 * of sleeping in poll(): no wake-up latency in the figure, as in the
 * module's completion wait.
 *
 * Prints the statistics in microseconds (median, p99, min, mean, max), or
 * one JSON object with -j.  Exit status: 0 if at least one reply came, 1
 * if none did, 2 on a usage error, 3 when it cannot run (socket, no DIF).
 */
#include <errno.h>
#include <getopt.h>
#include <poll.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <unistd.h>

#include "rawsock.h"
#include "stats.h"

#define PROG		"eeping"
#define MAGIC		0x45455047u	/* "EEPG" */
#define ID_LEN		12		/* magic, nonce, sequence number */
#define BUF_LEN		2048

struct opts {
	const char *ifname;
	u8 peer[6];
	bool have_peer;
	unsigned long gid;		/* 0: learn it with the peer */
	unsigned long count, warmup, size, timeout_ms, interval_us;
	unsigned long learn_ms;
	unsigned long giveup;		/* consecutive timeouts; 0: never */
	unsigned long ethertype;
	bool busy, json, quiet;
	const char *raw;		/* -r: samples to this file */
};

struct result {
	unsigned long sent, received, lost, late;
	bool gave_up;
	uint64_t *ns;		/* count samples */
	size_t n;
};

static void usage(FILE *f)
{
	fprintf(f,
		"usage: " PROG " -i IFACE [-d MAC -g GID | -g GID] [-c COUNT] [-w WARMUP]\n"
		"              [-s SIZE] [-W TIMEOUT_MS] [-I INTERVAL_US] [-L LEARN_MS]\n"
		"              [-G GIVEUP] [-E ETHERTYPE] [-r FILE] [-b] [-j] [-q]\n"
		"  -i IFACE      interface facing the I/O bridge\n"
		"  -d MAC        the bridge (default: learn it from its DIF)\n"
		"  -g GID        group (VLAN id); required with -d\n"
		"  -c COUNT      timed requests (default 1000)\n"
		"  -w WARMUP     untimed requests first (default 20)\n"
		"  -s SIZE       payload bytes, %d..%d (default 16)\n"
		"  -W MS         reply timeout (default 1000)\n"
		"  -I US         pause between requests (default 0)\n"
		"  -L MS         how long to listen for a DIF (default 3000)\n"
		"  -G N          stop after N timeouts in a row, 10 N once a reply came\n"
		"                (default 5; 0: never)\n"
		"  -E TYPE       EtherType (default 0x%04x)\n"
		"  -b            busy-poll instead of sleeping in poll()\n"
		"  -r FILE       write every round trip (ns, in order) to FILE\n"
		"  -j            JSON output\n"
		"  -q            no progress on stderr\n",
		ID_LEN, EXPETHER_MAX_PAYLOAD, EXPETHER_ETHERTYPE_DEFAULT);
}

static int bad(const char *opt, const char *val)
{
	fprintf(stderr, PROG ": bad %s '%s'\n", opt, val);
	usage(stderr);
	return 2;
}

static int parse_opts(int argc, char **argv, struct opts *o)
{
	int c;

	memset(o, 0, sizeof(*o));
	o->count = 1000;
	o->warmup = 20;
	o->size = 16;
	o->timeout_ms = 1000;
	o->learn_ms = 3000;
	o->giveup = 5;
	o->ethertype = EXPETHER_ETHERTYPE_DEFAULT;
	while ((c = getopt(argc, argv, "i:d:g:c:w:s:W:I:L:G:E:r:bjqh")) != -1) {
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
			if (parse_ulong(optarg, EXPETHER_GID_MAX, &o->gid) ||
			    o->gid < EXPETHER_GID_MIN)
				return bad("-g", optarg);
			break;
		case 'c':
			if (parse_ulong(optarg, 100000000, &o->count) ||
			    !o->count)
				return bad("-c", optarg);
			break;
		case 'w':
			if (parse_ulong(optarg, 100000000, &o->warmup))
				return bad("-w", optarg);
			break;
		case 's':
			if (parse_ulong(optarg, EXPETHER_MAX_PAYLOAD,
					&o->size) || o->size < ID_LEN)
				return bad("-s", optarg);
			break;
		case 'W':
			if (parse_ulong(optarg, 3600000, &o->timeout_ms) ||
			    !o->timeout_ms)
				return bad("-W", optarg);
			break;
		case 'I':
			if (parse_ulong(optarg, 10000000, &o->interval_us))
				return bad("-I", optarg);
			break;
		case 'L':
			if (parse_ulong(optarg, 3600000, &o->learn_ms))
				return bad("-L", optarg);
			break;
		case 'G':
			if (parse_ulong(optarg, 100000000, &o->giveup))
				return bad("-G", optarg);
			break;
		case 'E':
			if (parse_ulong(optarg, 0xffff, &o->ethertype) ||
			    o->ethertype < 0x600 || o->ethertype == 0x8100 ||
			    o->ethertype == 0x88a8)
				return bad("-E", optarg);
			break;
		case 'b':
			o->busy = true;
			break;
		case 'j':
			o->json = true;
			break;
		case 'r':
			o->raw = optarg;
			break;
		case 'q':
			o->quiet = true;
			break;
		case 'h':
			usage(stdout);
			exit(0);
		default:
			usage(stderr);
			return 2;
		}
	}
	if (optind != argc) {
		fprintf(stderr, PROG ": unexpected argument '%s'\n",
			argv[optind]);
		usage(stderr);
		return 2;
	}
	if (!o->ifname) {
		fprintf(stderr, PROG ": -i IFACE is required\n");
		usage(stderr);
		return 2;
	}
	if (o->have_peer && !o->gid) {
		fprintf(stderr, PROG ": -d needs -g\n");
		usage(stderr);
		return 2;
	}
	return 0;
}

/* Wait until @fd is readable or @deadline (CLOCK_MONOTONIC ns) passes.
 * 1 readable, 0 deadline, -1 error.
 */
static int wait_readable(int fd, uint64_t deadline)
{
	struct pollfd p = { .fd = fd, .events = POLLIN };
	struct timespec ts;
	uint64_t now = now_ns(), left;
	int r;

	if (now >= deadline)
		return 0;
	left = deadline - now;
	ts.tv_sec = (time_t)(left / 1000000000u);
	ts.tv_nsec = (long)(left % 1000000000u);
	r = ppoll(&p, 1, &ts, NULL);
	if (r < 0 && errno == EINTR)
		return 1;
	return r;
}

/* Receive the next incoming frame that parses as ours, until @deadline.
 * 1 with *f filled, 0 at the deadline, -1 on a socket error.
 */
static int next_frame(struct rawsock *s, const struct opts *o, u8 *buf,
		      uint64_t deadline, struct ee_frame *f)
{
	ssize_t n;
	int r;

	for (;;) {
		n = rawsock_recv(s, buf, BUF_LEN, MSG_DONTWAIT);
		if (n < 0 && errno != EAGAIN && errno != EWOULDBLOCK &&
		    errno != EINTR)
			return -1;
		if (n > 0 && !ee_frame_parse(buf, (size_t)n, (u16)o->ethertype,
					     f))
			return 1;
		if (n >= 0 || errno == EINTR) {
			/* Not ours, or interrupted: a stream of other
			 * traffic must not keep us past the deadline.
			 */
			if (now_ns() >= deadline)
				return 0;
			continue;
		}
		/* Nothing queued. */
		if (o->busy) {
			if (now_ns() >= deadline)
				return 0;
			continue;
		}
		r = wait_readable(s->fd, deadline);
		if (r <= 0)
			return r;
	}
}

/* A DIF of an I/O bridge (in group -g, if given). */
static bool is_bridge_dif(const struct opts *o, const struct ee_frame *f)
{
	struct ee_dif d;

	return f->hdr.type == EXPETHER_FT_DIF &&
	       !ee_dif_parse(f->payload, f->hdr.length, &d) &&
	       d.role == EXPETHER_ROLE_IO &&
	       (!o->gid || ee_frame_gid(f) == o->gid);
}

/* The bridge and its group from its DIF. */
static int learn_peer(struct rawsock *s, struct opts *o, u8 *buf)
{
	uint64_t deadline = now_ns() + o->learn_ms * 1000000u;
	struct ee_frame f;
	int r;

	for (;;) {
		r = next_frame(s, o, buf, deadline, &f);
		if (r < 0) {
			fprintf(stderr, PROG ": recv: %s\n", strerror(errno));
			return -1;
		}
		/* Other traffic must not keep us past the deadline. */
		if (r > 0 && now_ns() >= deadline && !is_bridge_dif(o, &f))
			r = 0;
		if (r == 0 && o->gid) {
			fprintf(stderr, PROG ": no I/O bridge DIF in group %lu on %s within %lu ms\n",
				o->gid, s->ifname, o->learn_ms);
			return -1;
		}
		if (r == 0) {
			fprintf(stderr, PROG ": no I/O bridge DIF on %s within %lu ms\n",
				s->ifname, o->learn_ms);
			return -1;
		}
		if (!is_bridge_dif(o, &f))
			continue;
		memcpy(o->peer, f.src, 6);
		o->gid = ee_frame_gid(&f);
		return 0;
	}
}

static int build_request(const struct rawsock *s, const struct opts *o,
			 u8 *buf, u8 *payload, u32 nonce, u32 seq)
{
	struct ee_frame f;

	memset(&f, 0, sizeof(f));
	memcpy(f.dst, o->peer, 6);
	memcpy(f.src, s->mac, 6);
	f.tci = (u16)o->gid;
	f.ethertype = (u16)o->ethertype;
	f.hdr.version = EXPETHER_VERSION;
	f.hdr.type = EXPETHER_FT_ECHO_REQ;
	ee_put_be32(payload, MAGIC);
	ee_put_be32(payload + 4, nonce);
	ee_put_be32(payload + 8, seq);
	return ee_frame_build(buf, BUF_LEN, &f, payload, o->size);
}

/* A reply to one of our requests: its sequence number, or -1. */
static long reply_seq(const struct opts *o, const struct ee_frame *f,
		      const u8 *payload, u32 nonce)
{
	if (f->hdr.type != EXPETHER_FT_ECHO_REPLY ||
	    memcmp(f->src, o->peer, 6) || ee_frame_gid(f) != o->gid ||
	    f->hdr.length != o->size || ee_get_be32(f->payload) != MAGIC ||
	    ee_get_be32(f->payload + 4) != nonce)
		return -1;
	/* The rest of the payload must come back unchanged. */
	if (memcmp(f->payload + ID_LEN, payload + ID_LEN, o->size - ID_LEN))
		return -1;
	return (long)ee_get_be32(f->payload + 8);
}

static int run(struct rawsock *s, const struct opts *o, struct result *res)
{
	u8 *buf = NULL, *rx = NULL, payload[EXPETHER_MAX_PAYLOAD];
	unsigned long total = o->warmup + o->count, i, k, in_row = 0;
	bool answered = false;	/* any reply yet, warm-up included */
	uint64_t t0, t1, deadline;
	struct ee_frame f;
	u32 nonce;
	long seq;
	int len, r, ret = -1;

	buf = malloc(BUF_LEN);
	rx = malloc(BUF_LEN);
	if (!buf || !rx) {
		fprintf(stderr, PROG ": out of memory\n");
		goto out;
	}
	nonce = (u32)(now_ns() ^ ((uint64_t)getpid() << 16));
	for (k = ID_LEN; k < o->size; k++)
		payload[k] = (u8)(k * 7 + 1);
	for (i = 0; i < total; i++) {
		bool timed = i >= o->warmup, got = false;

		len = build_request(s, o, buf, payload, nonce, (u32)i);
		if (len < 0) {
			fprintf(stderr, PROG ": cannot build a request: %s\n",
				ee_err_str(len));
			goto out;
		}
		t0 = now_ns();
		if (rawsock_send(s, buf, (size_t)len)) {
			fprintf(stderr, PROG ": send: %s\n", strerror(errno));
			goto out;
		}
		deadline = t0 + o->timeout_ms * 1000000u;
		if (timed)
			res->sent++;
		while (!got) {
			r = next_frame(s, o, rx, deadline, &f);
			t1 = now_ns();
			if (r < 0) {
				fprintf(stderr, PROG ": recv: %s\n",
					strerror(errno));
				goto out;
			}
			if (r == 0)
				break;
			seq = reply_seq(o, &f, payload, nonce);
			if (seq >= 0 && (unsigned long)seq == i) {
				got = true;
				if (timed) {
					res->received++;
					res->ns[res->n++] = t1 - t0;
				}
			} else if (seq >= 0 && (unsigned long)seq < i) {
				res->late++;	/* an earlier request's */
			}
			/* Other traffic must not keep us past the deadline. */
			if (!got && t1 >= deadline)
				break;
		}
		if (!got && timed)
			res->lost++;
		if (!o->quiet && !got)
			fprintf(stderr, PROG ": request %lu: no reply within %lu ms\n",
				i, o->timeout_ms);
		in_row = got ? 0 : in_row + 1;
		answered |= got;
		/* A bridge that never answered is given GIVEUP requests; one
		 * that did, ten times as many (a stall, or it went away).
		 */
		if (o->giveup && in_row >= o->giveup * (answered ? 10 : 1)) {
			fprintf(stderr, PROG ": %lu requests in a row unanswered: giving up\n",
				in_row);
			res->gave_up = true;
			break;
		}
		if (o->interval_us) {
			struct timespec ts = {
				.tv_sec = (time_t)(o->interval_us / 1000000),
				.tv_nsec = (long)(o->interval_us % 1000000) * 1000,
			};

			nanosleep(&ts, NULL);
		}
	}
	ret = 0;
out:
	free(buf);
	free(rx);
	return ret;
}

static void report(const struct rawsock *s, const struct opts *o,
		   const struct result *res, const struct stats *st)
{
	char peer[18];

	snprintf(peer, sizeof(peer), MAC_FMT, MAC_ARG(o->peer));
	if (o->json) {
		printf("{\"tool\": \"eeping\", \"iface\": ");
		json_string(stdout, s->ifname);
		printf(", \"peer\": \"%s\", \"gid\": %lu, \"size\": %lu, "
		       "\"mode\": \"%s\", \"timeout_ms\": %lu, "
		       "\"warmup\": %lu, \"count\": %lu, \"sent\": %lu, "
		       "\"received\": %lu, \"lost\": %lu, \"late\": %lu, "
		       "\"gave_up\": %s, ",
		       peer, o->gid, o->size, o->busy ? "busy" : "poll",
		       o->timeout_ms, o->warmup, o->count, res->sent,
		       res->received, res->lost, res->late,
		       res->gave_up ? "true" : "false");
		stats_print_json(stdout, st);
		printf("}\n");
		return;
	}
	printf(PROG " %s gid %lu via %s: %lu sent, %lu received, %lu lost (%.2f%%), %lu late%s\n",
	       peer, o->gid, s->ifname, res->sent, res->received, res->lost,
	       res->sent ? 100.0 * res->lost / res->sent : 0.0, res->late,
	       res->gave_up ? ", gave up" : "");
	printf("rtt us: ");
	stats_print_text(stdout, st);
	printf("\n");
}

int main(int argc, char **argv)
{
	struct result res;
	struct rawsock s;
	struct stats st;
	struct opts o;
	u8 *buf;
	int ret;

	ret = parse_opts(argc, argv, &o);
	if (ret)
		return ret;
	if (rawsock_open(&s, PROG, o.ifname))
		return 3;
	memset(&res, 0, sizeof(res));
	res.ns = calloc(o.count, sizeof(*res.ns));
	buf = malloc(BUF_LEN);
	if (!res.ns || !buf) {
		fprintf(stderr, PROG ": out of memory\n");
		ret = 3;
		goto out;
	}
	if (!o.have_peer && learn_peer(&s, &o, buf)) {
		ret = 3;
		goto out;
	}
	if (!o.quiet)
		fprintf(stderr, PROG ": %lu+%lu requests of %lu bytes to " MAC_FMT
			" gid %lu via %s (%s)\n", o.warmup, o.count, o.size,
			MAC_ARG(o.peer), o.gid, o.ifname,
			o.busy ? "busy-poll" : "poll");
	if (run(&s, &o, &res)) {
		ret = 3;
		goto out;
	}
	if (o.raw && samples_write(o.raw, res.ns, res.n)) {
		fprintf(stderr, PROG ": %s: %s\n", o.raw, strerror(errno));
		ret = 3;
		goto out;
	}
	stats_compute(res.ns, res.n, &st);
	report(&s, &o, &res, &st);
	ret = res.received ? 0 : 1;
	if (!res.received && !o.quiet)
		fprintf(stderr, PROG ": no reply at all: does the bridge answer ECHO requests?\n");
out:
	free(buf);
	free(res.ns);
	rawsock_close(&s);
	return ret;
}
