// SPDX-License-Identifier: GPL-2.0
/*
 * eectl: control of the expether host bridge over its generic netlink
 * family, shaped like iproute2:
 *
 *	eectl [-j] [-p] [-s] OBJECT COMMAND [ARGS]
 *
 * Objects: bridge, peer, slot, gid, stats, monitor, help.  See eectl(8),
 * which also documents the JSON of -j (stable: fields are only added).
 */
#include <errno.h>
#include <inttypes.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "ee_sha256.h"
#include "json.h"
#include "nl.h"

#define EECTL_VERSION	"1"

/* Exit statuses. */
#define EXIT_ERR	1	/* the kernel or the system said no */
#define EXIT_USAGE	2	/* bad command line */

static struct {
	bool json;
	bool pretty;
	bool stats;
} opt;

static const char *prog = "eectl";

static void usage(FILE *f)
{
	fprintf(f,
		"Usage: eectl [OPTIONS] OBJECT COMMAND [ARGS]\n"
		"\n"
		"  eectl bridge show\n"
		"  eectl bridge set [dif-interval MS] [dif-timeout MS|auto] [window N]\n"
		"                   [rto-min US] [key FILE|none]\n"
		"  eectl gid show\n"
		"  eectl gid set GID\n"
		"  eectl peer show [MAC]\n"
		"  eectl peer set MAC gid GID [from GID]\n"
		"  eectl slot show [N]\n"
		"  eectl slot detach N\n"
		"  eectl slot attach N\n"
		"  eectl stats [-s]\n"
		"  eectl monitor [count N]\n"
		"  eectl help\n"
		"\n"
		"Options:\n"
		"  -j, --json      JSON output (eectl(8) describes it)\n"
		"  -p, --pretty    indented JSON (with -j)\n"
		"  -s, --stats     more counters (peer show, stats)\n"
		"  -V, --version   print the version\n"
		"  -h, --help      this text\n"
		"\n"
		"Objects and commands may be abbreviated (eectl p s = eectl peer show).\n"
		"A GID is 1..4094; 4093 is by convention the group of unassigned I/O\n"
		"bridges.  Changing anything needs CAP_NET_ADMIN.\n");
}

static int bad_usage(const char *fmt, const char *arg)
{
	fprintf(stderr, "%s: ", prog);
	fprintf(stderr, fmt, arg);
	fprintf(stderr, "\nTry 'eectl help'.\n");
	return EXIT_USAGE;
}

/* @arg is a non-empty prefix of @word. */
static bool matches(const char *arg, const char *word)
{
	size_t n = strlen(arg);

	return n && n <= strlen(word) && !strncmp(arg, word, n);
}

/* ---- argument parsing --------------------------------------------------- */

static bool parse_ulong(const char *s, unsigned long long max,
			unsigned long long *v)
{
	char *end;

	if (!*s || *s == '-' || *s == '+')
		return false;
	errno = 0;
	*v = strtoull(s, &end, 0);
	return !errno && !*end && *v <= max;
}

static int parse_gid(const char *s, uint16_t *gid)
{
	unsigned long long v;

	if (!parse_ulong(s, 0xffff, &v) || v < EXPETHER_GID_MIN ||
	    v > EXPETHER_GID_MAX) {
		fprintf(stderr,
			"%s: invalid GID '%s': a group is %d..%d (4093: unassigned bridges)\n",
			prog, s, EXPETHER_GID_MIN, EXPETHER_GID_MAX);
		return EXIT_USAGE;
	}
	*gid = (uint16_t)v;
	return 0;
}

static int parse_mac(const char *s, uint8_t mac[6])
{
	unsigned int b[6];
	char c;
	int i;

	if (sscanf(s, "%2x:%2x:%2x:%2x:%2x:%2x%c", &b[0], &b[1], &b[2], &b[3],
		   &b[4], &b[5], &c) != 6 || strlen(s) != 17) {
		fprintf(stderr,
			"%s: invalid MAC address '%s' (like 02:ee:00:00:00:01)\n",
			prog, s);
		return EXIT_USAGE;
	}
	for (i = 0; i < 6; i++)
		mac[i] = (uint8_t)b[i];
	return 0;
}

static int parse_num(const char *what, const char *s, unsigned long long min,
		     unsigned long long max, uint32_t *out)
{
	unsigned long long v;

	if (!parse_ulong(s, max, &v) || v < min) {
		fprintf(stderr, "%s: invalid %s '%s': must be %llu..%llu\n",
			prog, what, s, min, max);
		return EXIT_USAGE;
	}
	*out = (uint32_t)v;
	return 0;
}

static const char *mac_str(char buf[18], const uint8_t *m)
{
	snprintf(buf, 18, "%02x:%02x:%02x:%02x:%02x:%02x", m[0], m[1], m[2],
		 m[3], m[4], m[5]);
	return buf;
}

/* ---- talking to the kernel ---------------------------------------------- */

static struct eenl nl;

static int open_nl(void)
{
	int err = eenl_open(&nl);

	if (!err)
		return 0;
	if (err == -ENOENT)
		fprintf(stderr,
			"%s: the expether module is not loaded (no generic netlink family \"%s\"): modprobe expether dev=IFACE\n",
			prog, EXPETHER_GENL_NAME);
	else
		fprintf(stderr, "%s: cannot talk to the kernel: %s\n", prog,
			strerror(-err));
	return EXIT_ERR;
}

/* A failed request: the kernel's reason if it gave one. */
static int kernel_error(const char *what, int err)
{
	if (nl.errmsg[0])
		fprintf(stderr, "%s: %s: %s\n", prog, what, nl.errmsg);
	else if (err == -EPERM)
		fprintf(stderr,
			"%s: %s: permission denied: changing expether needs CAP_NET_ADMIN\n",
			prog, what);
	else if (err == -ENOENT || err == -EOPNOTSUPP)
		fprintf(stderr, "%s: %s: the expether module went away\n",
			prog, what);
	else
		fprintf(stderr, "%s: %s: %s\n", prog, what, strerror(-err));
	return EXIT_ERR;
}

static uint64_t get_u64(struct nlattr **tb, int a)
{
	return tb[a] ? nla_get_u64(tb[a]) : 0;
}

static uint32_t get_u32(struct nlattr **tb, int a)
{
	return tb[a] ? nla_get_u32(tb[a]) : 0;
}

static uint16_t get_u16(struct nlattr **tb, int a)
{
	return tb[a] ? nla_get_u16(tb[a]) : 0;
}

static uint8_t get_u8(struct nlattr **tb, int a)
{
	return tb[a] ? nla_get_u8(tb[a]) : 0;
}

static void get_str(struct nlattr **tb, int a, char *buf, size_t len)
{
	snprintf(buf, len, "%s", tb[a] ? nla_get_string(tb[a]) : "");
}

static bool get_mac(struct nlattr **tb, uint8_t mac[6])
{
	if (!tb[EXPETHER_A_MAC])
		return false;
	memcpy(mac, nla_data(tb[EXPETHER_A_MAC]), 6);
	return true;
}

/* The device summary of a DIF. */
struct devsum {
	uint16_t vendor;
	uint16_t device;
	uint32_t class_rev;
	uint16_t subsys_vendor;
	uint16_t subsys_device;
};

static void get_devsum(struct nlattr **tb, struct devsum *d)
{
	d->vendor = get_u16(tb, EXPETHER_A_VENDOR);
	d->device = get_u16(tb, EXPETHER_A_DEVICE);
	d->class_rev = get_u32(tb, EXPETHER_A_CLASS);
	d->subsys_vendor = get_u16(tb, EXPETHER_A_SUBSYS_VENDOR);
	d->subsys_device = get_u16(tb, EXPETHER_A_SUBSYS_DEVICE);
}

static void json_devsum(struct json *j, const struct devsum *d)
{
	json_uint(j, "vendor", d->vendor);
	json_uint(j, "device", d->device);
	json_uint(j, "class", d->class_rev >> 8);
	json_uint(j, "revision", d->class_rev & 0xff);
	json_uint(j, "subsystem_vendor", d->subsys_vendor);
	json_uint(j, "subsystem_device", d->subsys_device);
}

static void json_stats(struct json *j, const char *key,
		       const struct eenl_stat *s, size_t n)
{
	size_t i;

	json_obj(j, key);
	for (i = 0; i < n; i++)
		json_uint(j, s[i].name, s[i].value);
	json_end(j);
}

/* "name value" lines, aligned, after @indent spaces. */
static void print_stats(const struct eenl_stat *s, size_t n, int indent)
{
	size_t i, w = 0;

	for (i = 0; i < n; i++)
		if (strlen(s[i].name) > w)
			w = strlen(s[i].name);
	for (i = 0; i < n; i++)
		printf("%*s%-*s  %" PRIu64 "\n", indent, "", (int)w, s[i].name,
		       s[i].value);
}

static uint64_t stat_of(const struct eenl_stat *s, size_t n, const char *name)
{
	size_t i;

	for (i = 0; i < n; i++)
		if (!strcmp(s[i].name, name))
			return s[i].value;
	return 0;
}

/* ---- bridge ------------------------------------------------------------- */

struct bridge {
	char ifname[32];
	uint32_t ifindex;
	uint8_t mac[6];
	uint16_t gid;
	uint16_t ethertype;
	uint32_t domain;
	uint32_t slots;
	uint32_t epoch;
	uint64_t bridge_id;
	uint32_t cpl_timeout_ms;
	uint32_t dif_interval_ms;
	uint32_t dif_timeout_ms;
	uint32_t window;
	uint32_t rto_min_us;
	bool key;
	uint64_t counter;
};

static int bridge_msg(struct nlattr **tb, void *arg)
{
	struct bridge *b = arg;

	get_str(tb, EXPETHER_A_IFNAME, b->ifname, sizeof(b->ifname));
	b->ifindex = get_u32(tb, EXPETHER_A_IFINDEX);
	get_mac(tb, b->mac);
	b->gid = get_u16(tb, EXPETHER_A_GID);
	b->ethertype = get_u16(tb, EXPETHER_A_ETHERTYPE);
	b->domain = get_u32(tb, EXPETHER_A_DOMAIN);
	b->slots = get_u32(tb, EXPETHER_A_NR_SLOTS);
	b->epoch = get_u32(tb, EXPETHER_A_EPOCH);
	b->bridge_id = get_u64(tb, EXPETHER_A_BRIDGE_ID);
	b->cpl_timeout_ms = get_u32(tb, EXPETHER_A_CPL_TIMEOUT_MS);
	b->dif_interval_ms = get_u32(tb, EXPETHER_A_DIF_INTERVAL_MS);
	b->dif_timeout_ms = get_u32(tb, EXPETHER_A_DIF_TIMEOUT_MS);
	b->window = get_u32(tb, EXPETHER_A_WINDOW);
	b->rto_min_us = get_u32(tb, EXPETHER_A_RTO_MIN_US);
	b->key = get_u8(tb, EXPETHER_A_MGMT_KEY_SET);
	b->counter = get_u64(tb, EXPETHER_A_MGMT_COUNTER);
	return 0;
}

static int get_bridge(struct bridge *b)
{
	int err;

	memset(b, 0, sizeof(*b));
	err = eenl_request(&nl, EXPETHER_CMD_BRIDGE_GET, false, NULL, NULL,
			   bridge_msg, b);
	return err ? kernel_error("bridge show", err) : 0;
}

static int bridge_show(void)
{
	struct bridge b;
	char m[18], t[40];
	int ret = get_bridge(&b);

	if (ret)
		return ret;
	if (opt.json) {
		struct json j;

		json_open(&j, stdout, opt.pretty);
		json_obj(&j, NULL);
		json_str(&j, "ifname", b.ifname);
		json_uint(&j, "ifindex", b.ifindex);
		json_str(&j, "mac", mac_str(m, b.mac));
		json_uint(&j, "gid", b.gid);
		json_uint(&j, "ethertype", b.ethertype);
		json_uint(&j, "domain", b.domain);
		json_uint(&j, "slots", b.slots);
		json_uint(&j, "epoch", b.epoch);
		json_uint(&j, "bridge_id", b.bridge_id);
		json_uint(&j, "cpl_timeout_ms", b.cpl_timeout_ms);
		json_uint(&j, "dif_interval_ms", b.dif_interval_ms);
		json_uint(&j, "dif_timeout_ms", b.dif_timeout_ms);
		json_uint(&j, "window", b.window);
		json_uint(&j, "rto_min_us", b.rto_min_us);
		json_bool(&j, "mgmt_key", b.key);
		json_uint(&j, "mgmt_counter", b.counter);
		json_end(&j);
		json_close(&j);
		return 0;
	}
	if (b.dif_timeout_ms)
		snprintf(t, sizeof(t), "%u ms", b.dif_timeout_ms);
	else
		snprintf(t, sizeof(t), "auto (3 intervals of each bridge)");
	printf("interface        %s (ifindex %u)\n", b.ifname, b.ifindex);
	printf("mac              %s\n", mac_str(m, b.mac));
	printf("gid              %u%s\n", b.gid,
	       b.gid == EXPETHER_GID_UNASSIGNED ? " (unassigned)" : "");
	printf("ethertype        0x%04x\n", b.ethertype);
	printf("pci domain       %04x\n", b.domain);
	printf("slots            %u\n", b.slots);
	printf("epoch            %08x\n", b.epoch);
	printf("bridge id        0x%012" PRIx64 "\n", b.bridge_id);
	printf("cpl timeout      %u ms\n", b.cpl_timeout_ms);
	printf("dif interval     %u ms\n", b.dif_interval_ms);
	printf("dif timeout      %s\n", t);
	printf("window           %u frames\n", b.window);
	printf("rto min          %u us\n", b.rto_min_us);
	printf("management key   %s\n", b.key ? "set" : "none");
	if (b.counter)
		printf("mgmt counter     %" PRIu64 "\n", b.counter);
	return 0;
}

struct bridge_set {
	bool has_gid, has_ivl, has_tmo, has_win, has_rto, has_key;
	uint16_t gid;
	uint32_t ivl, tmo, win, rto;
	uint8_t key[EE_MGMT_KEY_MAX];
	int keylen;
};

static int bridge_set_build(struct nl_msg *msg, void *arg)
{
	struct bridge_set *s = arg;

	if ((s->has_gid && nla_put_u16(msg, EXPETHER_A_GID, s->gid)) ||
	    (s->has_ivl && nla_put_u32(msg, EXPETHER_A_DIF_INTERVAL_MS, s->ivl)) ||
	    (s->has_tmo && nla_put_u32(msg, EXPETHER_A_DIF_TIMEOUT_MS, s->tmo)) ||
	    (s->has_win && nla_put_u32(msg, EXPETHER_A_WINDOW, s->win)) ||
	    (s->has_rto && nla_put_u32(msg, EXPETHER_A_RTO_MIN_US, s->rto)) ||
	    (s->has_key && nla_put(msg, EXPETHER_A_MGMT_KEY, s->keylen, s->key)))
		return -EMSGSIZE;
	return 0;
}

static int bridge_set_send(struct bridge_set *s, const char *what)
{
	int err, ret;

	ret = open_nl();
	if (ret)
		return ret;
	err = eenl_request(&nl, EXPETHER_CMD_BRIDGE_SET, false,
			   bridge_set_build, s, NULL, NULL);
	memset(s->key, 0, sizeof(s->key));
	return err ? kernel_error(what, err) : 0;
}

/* A key file: hexadecimal digits, 1..32 bytes ("-": standard input). */
static int read_key(const char *path, struct bridge_set *s)
{
	char text[4096];
	size_t n;
	FILE *f;

	f = strcmp(path, "-") ? fopen(path, "re") : stdin;
	if (!f) {
		fprintf(stderr, "%s: key file %s: %s\n", prog, path,
			strerror(errno));
		return EXIT_ERR;
	}
	n = fread(text, 1, sizeof(text), f);
	if (f != stdin)
		fclose(f);
	s->keylen = n < sizeof(text) ? ee_key_from_hex(text, n, s->key) : -1;
	memset(text, 0, sizeof(text));
	if (s->keylen < 1) {
		fprintf(stderr,
			"%s: key file %s: want 1..%d bytes written as hexadecimal digits\n",
			prog, path, EE_MGMT_KEY_MAX);
		return EXIT_USAGE;
	}
	return 0;
}

static int bridge_set(int argc, char **argv)
{
	struct bridge_set s = { 0 };
	int i, ret = 0;

	if (!argc)
		return bad_usage("bridge set: %swhat? (dif-interval, dif-timeout, window, rto-min, key)",
				 "");
	for (i = 0; i < argc && !ret; i += 2) {
		const char *k = argv[i], *v = i + 1 < argc ? argv[i + 1] : NULL;

		if (!v)
			return bad_usage("bridge set: %s needs a value", k);
		if (matches(k, "dif-interval")) {
			s.has_ivl = true;
			ret = parse_num("DIF interval (ms)", v, 10, 10000, &s.ivl);
		} else if (matches(k, "dif-timeout")) {
			s.has_tmo = true;
			if (!strcmp(v, "auto"))
				s.tmo = 0;
			else
				ret = parse_num("DIF timeout (ms)", v, 20, 600000,
						&s.tmo);
		} else if (matches(k, "window")) {
			s.has_win = true;
			ret = parse_num("window (frames)", v, 1, 512, &s.win);
		} else if (matches(k, "rto-min")) {
			s.has_rto = true;
			ret = parse_num("RTO floor (us)", v, 1, 64000, &s.rto);
		} else if (matches(k, "key")) {
			s.has_key = true;
			if (!strcmp(v, "none"))
				s.keylen = 0;
			else
				ret = read_key(v, &s);
		} else if (matches(k, "gid")) {
			s.has_gid = true;
			ret = parse_gid(v, &s.gid);
		} else {
			return bad_usage("bridge set: unknown parameter '%s'", k);
		}
	}
	if (ret)
		return ret;
	return bridge_set_send(&s, "bridge set");
}

/* ---- gid ---------------------------------------------------------------- */

static int gid_cmd(int argc, char **argv)
{
	struct bridge_set s = { 0 };
	struct bridge b;
	int ret;

	if (!argc || matches(argv[0], "show")) {
		ret = open_nl();
		if (!ret)
			ret = get_bridge(&b);
		if (ret)
			return ret;
		if (opt.json) {
			struct json j;

			json_open(&j, stdout, opt.pretty);
			json_obj(&j, NULL);
			json_uint(&j, "gid", b.gid);
			json_end(&j);
			json_close(&j);
		} else {
			printf("%u\n", b.gid);
		}
		return 0;
	}
	if (!matches(argv[0], "set"))
		return bad_usage("gid: unknown command '%s' (show, set)", argv[0]);
	if (argc != 2)
		return bad_usage("gid set: %swant one GID", "");
	ret = parse_gid(argv[1], &s.gid);
	if (ret)
		return ret;
	s.has_gid = true;
	return bridge_set_send(&s, "gid set");
}

/* ---- peers -------------------------------------------------------------- */

struct peer {
	uint8_t mac[6];
	uint16_t gid;
	uint32_t epoch;
	uint64_t bridge_id;
	struct devsum dev;
	uint32_t slot;
	uint8_t state;
	uint32_t dif_interval_ms;
	uint32_t dif_timeout_ms;
	uint32_t dif_age_ms;
	uint8_t link;
	char reason[64];
	struct eenl_stat *stats;
	size_t nstats;
};

struct peers {
	struct peer *v;
	size_t n;
};

static const char *const peer_states[] = {
	[EXPETHER_PEER_UP] = "up",
	[EXPETHER_PEER_DOWN] = "down",
	[EXPETHER_PEER_HELD] = "held",
};

static const char *const link_states[] = {
	[EXPETHER_LINK_CLOSED] = "closed",
	[EXPETHER_LINK_OPEN] = "open",
	[EXPETHER_LINK_DEAD] = "dead",
};

#define NAME_OF(tbl, i) ((size_t)(i) < sizeof(tbl) / sizeof(tbl[0]) && \
			 (tbl)[i] ? (tbl)[i] : "unknown")

static int peer_msg(struct nlattr **tb, void *arg)
{
	struct peers *ps = arg;
	struct peer *p, *v;
	int err;

	v = realloc(ps->v, (ps->n + 1) * sizeof(*v));
	if (!v)
		return -ENOMEM;
	ps->v = v;
	p = &v[ps->n];
	memset(p, 0, sizeof(*p));
	get_mac(tb, p->mac);
	p->gid = get_u16(tb, EXPETHER_A_GID);
	p->epoch = get_u32(tb, EXPETHER_A_EPOCH);
	p->bridge_id = get_u64(tb, EXPETHER_A_BRIDGE_ID);
	get_devsum(tb, &p->dev);
	p->slot = get_u32(tb, EXPETHER_A_SLOT);
	p->state = get_u8(tb, EXPETHER_A_PEER_STATE);
	p->dif_interval_ms = get_u32(tb, EXPETHER_A_DIF_INTERVAL_MS);
	p->dif_timeout_ms = get_u32(tb, EXPETHER_A_DIF_TIMEOUT_MS);
	p->dif_age_ms = get_u32(tb, EXPETHER_A_DIF_AGE_MS);
	p->link = get_u8(tb, EXPETHER_A_LINK_STATE);
	get_str(tb, EXPETHER_A_REASON, p->reason, sizeof(p->reason));
	err = eenl_stats(tb[EXPETHER_A_STATS], &p->stats, &p->nstats);
	if (err)
		return err;
	ps->n++;
	return 0;
}

static void free_peers(struct peers *ps)
{
	size_t i;

	for (i = 0; i < ps->n; i++)
		free(ps->v[i].stats);
	free(ps->v);
	ps->v = NULL;
	ps->n = 0;
}

static int get_peers(struct peers *ps)
{
	int err;

	ps->v = NULL;
	ps->n = 0;
	err = eenl_request(&nl, EXPETHER_CMD_PEER_GET, true, NULL, NULL,
			   peer_msg, ps);
	if (err) {
		free_peers(ps);
		return kernel_error("peer show", err);
	}
	return 0;
}

static void peer_json(struct json *j, const struct peer *p)
{
	char m[18];

	json_obj(j, NULL);
	json_str(j, "mac", mac_str(m, p->mac));
	json_uint(j, "gid", p->gid);
	json_uint(j, "slot", p->slot);
	json_str(j, "state", NAME_OF(peer_states, p->state));
	json_uint(j, "epoch", p->epoch);
	json_uint(j, "bridge_id", p->bridge_id);
	json_devsum(j, &p->dev);
	json_uint(j, "dif_interval_ms", p->dif_interval_ms);
	json_uint(j, "dif_timeout_ms", p->dif_timeout_ms);
	json_uint(j, "dif_age_ms", p->dif_age_ms);
	json_str(j, "link", NAME_OF(link_states, p->link));
	if (p->reason[0])
		json_str(j, "reason", p->reason);
	json_stats(j, "stats", p->stats, p->nstats);
	json_end(j);
}

static int peer_show(int argc, char **argv)
{
	uint8_t want[6];
	struct peers ps;
	bool filter = false;
	char m[18], dev[16], age[16], rtt[16];
	size_t i;
	int ret;

	if (argc > 1)
		return bad_usage("peer show: %sat most one MAC", "");
	if (argc == 1) {
		ret = parse_mac(argv[0], want);
		if (ret)
			return ret;
		filter = true;
	}
	ret = open_nl();
	if (!ret)
		ret = get_peers(&ps);
	if (ret)
		return ret;
	if (opt.json) {
		struct json j;

		json_open(&j, stdout, opt.pretty);
		json_arr(&j, NULL);
		for (i = 0; i < ps.n; i++)
			if (!filter || !memcmp(ps.v[i].mac, want, 6))
				peer_json(&j, &ps.v[i]);
		json_end(&j);
		json_close(&j);
		free_peers(&ps);
		return 0;
	}
	printf("%-17s  %4s  %4s  %-5s  %-8s  %-9s  %-6s  %-6s  %7s  %8s  %6s  %s\n",
	       "MAC", "GID", "SLOT", "STATE", "EPOCH", "DEVICE", "CLASS", "LINK",
	       "DIF AGE", "SRTT", "RTX", "REASON");
	for (i = 0; i < ps.n; i++) {
		const struct peer *p = &ps.v[i];

		if (filter && memcmp(p->mac, want, 6))
			continue;
		snprintf(dev, sizeof(dev), "%04x:%04x", p->dev.vendor,
			 p->dev.device);
		snprintf(age, sizeof(age), "%ums", p->dif_age_ms);
		snprintf(rtt, sizeof(rtt), "%" PRIu64 "us",
			 stat_of(p->stats, p->nstats, "srtt_us"));
		printf("%-17s  %4u  %4u  %-5s  %08x  %-9s  %06x  %-6s  %7s  %8s  %6" PRIu64 "  %s\n",
		       mac_str(m, p->mac), p->gid, p->slot,
		       NAME_OF(peer_states, p->state), p->epoch, dev,
		       p->dev.class_rev >> 8, NAME_OF(link_states, p->link),
		       age, rtt, stat_of(p->stats, p->nstats, "rtx_frames"),
		       p->reason[0] ? p->reason : "-");
		if (opt.stats)
			print_stats(p->stats, p->nstats, 4);
	}
	free_peers(&ps);
	return 0;
}

struct peer_set {
	uint8_t mac[6];
	uint16_t gid;
	uint16_t from;
};

static int peer_set_build(struct nl_msg *msg, void *arg)
{
	struct peer_set *s = arg;

	if (nla_put(msg, EXPETHER_A_MAC, 6, s->mac) ||
	    nla_put_u16(msg, EXPETHER_A_GID, s->gid) ||
	    (s->from && nla_put_u16(msg, EXPETHER_A_PEER_GID, s->from)))
		return -EMSGSIZE;
	return 0;
}

static int peer_set(int argc, char **argv)
{
	struct peer_set s = { 0 };
	bool has_gid = false;
	int i, ret, err;

	if (argc < 1)
		return bad_usage("peer set: %swhich bridge? (peer set MAC gid GID)",
				 "");
	ret = parse_mac(argv[0], s.mac);
	if (ret)
		return ret;
	for (i = 1; i < argc; i += 2) {
		if (i + 1 >= argc)
			return bad_usage("peer set: %s needs a value", argv[i]);
		if (matches(argv[i], "gid")) {
			ret = parse_gid(argv[i + 1], &s.gid);
			has_gid = true;
		} else if (matches(argv[i], "from")) {
			ret = parse_gid(argv[i + 1], &s.from);
		} else {
			return bad_usage("peer set: unknown parameter '%s' (gid, from)",
					 argv[i]);
		}
		if (ret)
			return ret;
	}
	if (!has_gid)
		return bad_usage("peer set: %sto which group? (gid GID)", "");
	ret = open_nl();
	if (ret)
		return ret;
	err = eenl_request(&nl, EXPETHER_CMD_PEER_SET, false, peer_set_build,
			   &s, NULL, NULL);
	return err ? kernel_error("peer set", err) : 0;
}

static int peer_cmd(int argc, char **argv)
{
	if (!argc || matches(argv[0], "show") || matches(argv[0], "list"))
		return peer_show(argc ? argc - 1 : 0, argv + 1);
	if (matches(argv[0], "set"))
		return peer_set(argc - 1, argv + 1);
	return bad_usage("peer: unknown command '%s' (show, set)", argv[0]);
}

/* ---- slots -------------------------------------------------------------- */

struct slot {
	uint32_t slot;
	uint32_t devfn;
	uint32_t bus;
	uint8_t state;
	uint8_t admin;
	bool has_mac;
	uint8_t mac[6];
	struct devsum dev;
	char reason[64];
};

struct slots {
	struct slot *v;
	size_t n;
};

static const char *const slot_states[] = {
	[EXPETHER_SLOT_EMPTY] = "empty",
	[EXPETHER_SLOT_UP] = "up",
	[EXPETHER_SLOT_LINK_DISABLED] = "link-disabled",
	[EXPETHER_SLOT_ADMIN_DOWN] = "admin-down",
};

static int slot_msg(struct nlattr **tb, void *arg)
{
	struct slots *ss = arg;
	struct slot *s, *v;

	v = realloc(ss->v, (ss->n + 1) * sizeof(*v));
	if (!v)
		return -ENOMEM;
	ss->v = v;
	s = &v[ss->n++];
	memset(s, 0, sizeof(*s));
	s->slot = get_u32(tb, EXPETHER_A_SLOT);
	s->devfn = get_u32(tb, EXPETHER_A_SLOT_DEVFN);
	s->bus = get_u32(tb, EXPETHER_A_SLOT_BUS);
	s->state = get_u8(tb, EXPETHER_A_SLOT_STATE);
	s->admin = get_u8(tb, EXPETHER_A_SLOT_ADMIN);
	s->has_mac = get_mac(tb, s->mac);
	get_devsum(tb, &s->dev);
	get_str(tb, EXPETHER_A_REASON, s->reason, sizeof(s->reason));
	return 0;
}

static int slot_show(int argc, char **argv)
{
	struct slots ss = { 0 };
	uint32_t only = 0;
	char m[18], port[16], dev[16], cls[8];
	size_t i;
	int ret, err;

	if (argc > 1)
		return bad_usage("slot show: %sat most one slot number", "");
	if (argc == 1) {
		ret = parse_num("slot", argv[0], 1, 255, &only);
		if (ret)
			return ret;
	}
	ret = open_nl();
	if (ret)
		return ret;
	err = eenl_request(&nl, EXPETHER_CMD_SLOT_GET, true, NULL, NULL,
			   slot_msg, &ss);
	if (err) {
		free(ss.v);
		return kernel_error("slot show", err);
	}
	if (opt.json) {
		struct json j;

		json_open(&j, stdout, opt.pretty);
		json_arr(&j, NULL);
		for (i = 0; i < ss.n; i++) {
			const struct slot *s = &ss.v[i];

			if (only && s->slot != only)
				continue;
			snprintf(port, sizeof(port), "00:%02x.%x",
				 s->devfn >> 3, s->devfn & 7);
			json_obj(&j, NULL);
			json_uint(&j, "slot", s->slot);
			json_str(&j, "port", port);
			json_uint(&j, "bus", s->bus);
			json_str(&j, "state", NAME_OF(slot_states, s->state));
			json_str(&j, "admin", s->admin == EXPETHER_ADMIN_UP ?
				 "up" : "down");
			if (s->has_mac) {
				json_str(&j, "mac", mac_str(m, s->mac));
				json_devsum(&j, &s->dev);
			}
			if (s->reason[0])
				json_str(&j, "reason", s->reason);
			json_end(&j);
		}
		json_end(&j);
		json_close(&j);
		free(ss.v);
		return 0;
	}
	printf("%4s  %-7s  %3s  %-13s  %-5s  %-17s  %-9s  %-6s  %s\n", "SLOT",
	       "PORT", "BUS", "STATE", "ADMIN", "PEER", "DEVICE", "CLASS",
	       "REASON");
	for (i = 0; i < ss.n; i++) {
		const struct slot *s = &ss.v[i];

		if (only && s->slot != only)
			continue;
		snprintf(port, sizeof(port), "00:%02x.%x", s->devfn >> 3,
			 s->devfn & 7);
		if (s->has_mac) {
			snprintf(dev, sizeof(dev), "%04x:%04x", s->dev.vendor,
				 s->dev.device);
			snprintf(cls, sizeof(cls), "%06x",
				 s->dev.class_rev >> 8);
		} else {
			snprintf(dev, sizeof(dev), "-");
			snprintf(cls, sizeof(cls), "-");
		}
		printf("%4u  %-7s  %3u  %-13s  %-5s  %-17s  %-9s  %-6s  %s\n",
		       s->slot, port, s->bus, NAME_OF(slot_states, s->state),
		       s->admin == EXPETHER_ADMIN_UP ? "up" : "down",
		       s->has_mac ? mac_str(m, s->mac) : "-", dev, cls,
		       s->reason[0] ? s->reason : "-");
	}
	if (only && !ss.n)
		fprintf(stderr, "%s: no slot %u\n", prog, only);
	free(ss.v);
	return 0;
}

struct slot_set {
	uint32_t slot;
	uint8_t admin;
};

static int slot_set_build(struct nl_msg *msg, void *arg)
{
	struct slot_set *s = arg;

	if (nla_put_u32(msg, EXPETHER_A_SLOT, s->slot) ||
	    nla_put_u8(msg, EXPETHER_A_SLOT_ADMIN, s->admin))
		return -EMSGSIZE;
	return 0;
}

static int slot_cmd(int argc, char **argv)
{
	struct slot_set s;
	const char *what;
	int ret, err;

	if (!argc || matches(argv[0], "show") || matches(argv[0], "list"))
		return slot_show(argc ? argc - 1 : 0, argv + 1);
	if (matches(argv[0], "detach")) {
		s.admin = EXPETHER_ADMIN_DOWN;
		what = "slot detach";
	} else if (matches(argv[0], "attach")) {
		s.admin = EXPETHER_ADMIN_UP;
		what = "slot attach";
	} else {
		return bad_usage("slot: unknown command '%s' (show, detach, attach)",
				 argv[0]);
	}
	if (argc != 2)
		return bad_usage("%s: want one slot number", what);
	ret = parse_num("slot", argv[1], 1, 255, &s.slot);
	if (ret)
		return ret;
	ret = open_nl();
	if (ret)
		return ret;
	err = eenl_request(&nl, EXPETHER_CMD_SLOT_SET, false, slot_set_build,
			   &s, NULL, NULL);
	return err ? kernel_error(what, err) : 0;
}

/* ---- stats -------------------------------------------------------------- */

struct counters {
	struct eenl_stat *v;
	size_t n;
};

static int stats_msg(struct nlattr **tb, void *arg)
{
	struct counters *c = arg;

	free(c->v);
	return eenl_stats(tb[EXPETHER_A_STATS], &c->v, &c->n);
}

static int stats_cmd(int argc, char **argv)
{
	struct counters c = { 0 };
	struct peers ps = { 0 };
	char m[18];
	size_t i;
	int ret, err;

	for (; argc; argc--, argv++) {
		if (!strcmp(argv[0], "-s") || matches(argv[0], "--stats"))
			opt.stats = true;
		else
			return bad_usage("stats: unknown argument '%s' (-s)",
					 argv[0]);
	}
	ret = open_nl();
	if (ret)
		return ret;
	err = eenl_request(&nl, EXPETHER_CMD_STATS_GET, false, NULL, NULL,
			   stats_msg, &c);
	if (err) {
		free(c.v);
		return kernel_error("stats", err);
	}
	if (opt.stats) {
		ret = get_peers(&ps);
		if (ret) {
			free(c.v);
			return ret;
		}
	}
	if (opt.json) {
		struct json j;

		json_open(&j, stdout, opt.pretty);
		json_obj(&j, NULL);
		json_stats(&j, "counters", c.v, c.n);
		if (opt.stats) {
			json_arr(&j, "peers");
			for (i = 0; i < ps.n; i++) {
				json_obj(&j, NULL);
				json_str(&j, "mac", mac_str(m, ps.v[i].mac));
				json_uint(&j, "slot", ps.v[i].slot);
				json_stats(&j, "stats", ps.v[i].stats,
					   ps.v[i].nstats);
				json_end(&j);
			}
			json_end(&j);
		}
		json_end(&j);
		json_close(&j);
	} else {
		print_stats(c.v, c.n, 0);
		for (i = 0; i < ps.n; i++) {
			printf("\npeer %s (slot %u, %s)\n",
			       mac_str(m, ps.v[i].mac), ps.v[i].slot,
			       NAME_OF(peer_states, ps.v[i].state));
			print_stats(ps.v[i].stats, ps.v[i].nstats, 4);
		}
	}
	free(c.v);
	free_peers(&ps);
	return 0;
}

/* ---- monitor ------------------------------------------------------------ */

static volatile sig_atomic_t stop;

static void on_signal(int sig)
{
	(void)sig;
	stop = 1;
}

static const char *const event_names[] = {
	[EXPETHER_EVENT_PEER_UP] = "peer-up",
	[EXPETHER_EVENT_PEER_DOWN] = "peer-down",
	[EXPETHER_EVENT_PEER_DEAD] = "peer-dead",
	[EXPETHER_EVENT_SLOT_ATTACHED] = "slot-attached",
	[EXPETHER_EVENT_SLOT_DETACHED] = "slot-detached",
	[EXPETHER_EVENT_DMA_VIOLATION] = "dma-violation",
	[EXPETHER_EVENT_GID_CHANGED] = "gid-changed",
	[EXPETHER_EVENT_MGMT_SENT] = "mgmt-sent",
};

struct monitor {
	unsigned long count;	/* 0: until interrupted */
	unsigned long seen;
};

static int event_msg(struct nlattr **tb, void *arg)
{
	struct monitor *mon = arg;
	uint8_t type = get_u8(tb, EXPETHER_A_EVENT);
	uint64_t ts = get_u64(tb, EXPETHER_A_TIMESTAMP_NS);
	const char *name = NAME_OF(event_names, type);
	struct devsum d;
	uint8_t mac[6];
	bool has_mac = get_mac(tb, mac);
	char m[18], reason[128];

	get_devsum(tb, &d);
	get_str(tb, EXPETHER_A_REASON, reason, sizeof(reason));
	if (opt.json) {
		struct json j;

		json_open(&j, stdout, opt.pretty);
		json_obj(&j, NULL);
		json_str(&j, "event", name);
		json_uint(&j, "timestamp_ns", ts);
		if (tb[EXPETHER_A_SLOT])
			json_uint(&j, "slot", get_u32(tb, EXPETHER_A_SLOT));
		if (has_mac)
			json_str(&j, "mac", mac_str(m, mac));
		if (tb[EXPETHER_A_GID])
			json_uint(&j, "gid", get_u16(tb, EXPETHER_A_GID));
		if (tb[EXPETHER_A_OLD_GID])
			json_uint(&j, "old_gid", get_u16(tb, EXPETHER_A_OLD_GID));
		if (tb[EXPETHER_A_EPOCH])
			json_uint(&j, "epoch", get_u32(tb, EXPETHER_A_EPOCH));
		if (tb[EXPETHER_A_VENDOR])
			json_devsum(&j, &d);
		if (tb[EXPETHER_A_ADDR]) {
			json_uint(&j, "addr", get_u64(tb, EXPETHER_A_ADDR));
			json_uint(&j, "len", get_u32(tb, EXPETHER_A_LEN));
		}
		if (reason[0])
			json_str(&j, "reason", reason);
		json_end(&j);
		json_close(&j);
	} else {
		printf("[%5" PRIu64 ".%06" PRIu64 "] %s", ts / 1000000000,
		       ts % 1000000000 / 1000, name);
		if (tb[EXPETHER_A_SLOT])
			printf(" slot %u", get_u32(tb, EXPETHER_A_SLOT));
		if (has_mac)
			printf(" peer %s", mac_str(m, mac));
		if (tb[EXPETHER_A_OLD_GID])
			printf(" gid %u -> %u", get_u16(tb, EXPETHER_A_OLD_GID),
			       get_u16(tb, EXPETHER_A_GID));
		else if (tb[EXPETHER_A_GID])
			printf(" gid %u", get_u16(tb, EXPETHER_A_GID));
		if (tb[EXPETHER_A_EPOCH])
			printf(" epoch %08x", get_u32(tb, EXPETHER_A_EPOCH));
		if (tb[EXPETHER_A_VENDOR])
			printf(" device %04x:%04x class %06x", d.vendor,
			       d.device, d.class_rev >> 8);
		if (tb[EXPETHER_A_ADDR])
			printf(" addr 0x%" PRIx64 " len %u",
			       get_u64(tb, EXPETHER_A_ADDR),
			       get_u32(tb, EXPETHER_A_LEN));
		if (reason[0])
			printf(" (%s)", reason);
		putchar('\n');
	}
	fflush(stdout);
	mon->seen++;
	return mon->count && mon->seen >= mon->count ? 1 : 0;
}

static int monitor_cmd(int argc, char **argv)
{
	struct monitor mon = { 0 };
	struct sigaction sa = { .sa_handler = on_signal };
	uint32_t n;
	int ret, err;

	if (argc == 2 && matches(argv[0], "count")) {
		ret = parse_num("count", argv[1], 1, 1000000000, &n);
		if (ret)
			return ret;
		mon.count = n;
	} else if (argc) {
		return bad_usage("monitor: unknown argument '%s' (count N)",
				 argv[0]);
	}
	ret = open_nl();
	if (ret)
		return ret;
	sigaction(SIGINT, &sa, NULL);
	sigaction(SIGTERM, &sa, NULL);
	err = eenl_monitor(&nl, event_msg, &mon, &stop);
	if (err == -EPERM) {
		fprintf(stderr,
			"%s: monitor: permission denied: the events need CAP_NET_ADMIN\n",
			prog);
		return EXIT_ERR;
	}
	return err ? kernel_error("monitor", err) : 0;
}

/* ---- main --------------------------------------------------------------- */

static int bridge_cmd(int argc, char **argv)
{
	if (!argc || matches(argv[0], "show")) {
		int ret = open_nl();

		return ret ? ret : bridge_show();
	}
	if (matches(argv[0], "set"))
		return bridge_set(argc - 1, argv + 1);
	return bad_usage("bridge: unknown command '%s' (show, set)", argv[0]);
}

static int help_cmd(int argc, char **argv)
{
	(void)argc;
	(void)argv;
	usage(stdout);
	return 0;
}

static const struct {
	const char *name;
	int (*fn)(int argc, char **argv);
} objects[] = {
	{ "bridge", bridge_cmd },
	{ "peer", peer_cmd },
	{ "slot", slot_cmd },
	{ "stats", stats_cmd },
	{ "gid", gid_cmd },
	{ "monitor", monitor_cmd },
	{ "help", help_cmd },
};

int main(int argc, char **argv)
{
	size_t i;
	int ret;

	for (argc--, argv++; argc && argv[0][0] == '-'; argc--, argv++) {
		const char *a = argv[0];

		if (!strcmp(a, "--"))  {
			argc--;
			argv++;
			break;
		}
		if (!strcmp(a, "-j") || !strcmp(a, "--json")) {
			opt.json = true;
		} else if (!strcmp(a, "-p") || !strcmp(a, "--pretty")) {
			opt.pretty = true;
		} else if (!strcmp(a, "-s") || !strcmp(a, "--stats")) {
			opt.stats = true;
		} else if (!strcmp(a, "-jp") || !strcmp(a, "-pj")) {
			opt.json = opt.pretty = true;
		} else if (!strcmp(a, "-h") || !strcmp(a, "--help")) {
			usage(stdout);
			return 0;
		} else if (!strcmp(a, "-V") || !strcmp(a, "--version")) {
			printf("eectl %s (expether generic netlink version %d)\n",
			       EECTL_VERSION, EXPETHER_GENL_VERSION);
			return 0;
		} else {
			return bad_usage("unknown option '%s'", a);
		}
	}
	if (!argc) {
		usage(stderr);
		return EXIT_USAGE;
	}
	for (i = 0; i < sizeof(objects) / sizeof(objects[0]); i++) {
		if (!matches(argv[0], objects[i].name))
			continue;
		ret = objects[i].fn(argc - 1, argv + 1);
		eenl_close(&nl);
		return ret;
	}
	return bad_usage("unknown object '%s' (bridge, peer, slot, gid, stats, monitor, help)",
			 argv[0]);
}
