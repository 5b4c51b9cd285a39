// SPDX-License-Identifier: GPL-2.0
/*
 * eeprobe: a minimal host-side bridge for testing eebox from user space.
 *
 * Sends one kind of request over an AF_PACKET socket and prints what comes
 * back, one line per item, for box-test.sh to check:
 *
 *   eeprobe [-i IFACE] [-e ETHERTYPE] [-t MS] [-x] COMMAND ARGS...
 *
 *   difs MS                      listen MS ms, print every DIF
 *   cfgrd MAC GID REG [TARGET]   CfgRd0 (TARGET = bus<<8|dev<<3|fn, 0x100)
 *   cfgrd1 MAC GID REG           CfgRd1
 *   cfgwr MAC GID REG VAL [BE [TARGET]]   CfgWr0 of the little-endian VAL
 *   cfgdump MAC GID              read all 1024 dwords (many CfgRd0 per
 *                                frame), print them like lspci -xxxx
 *   mrd MAC GID ADDR DW [BE [LBE]]   MRd, print every completion, then data
 *   mwr MAC GID ADDR HEX...      MWr of the bytes given (whole dwords)
 *   bad KIND MAC GID             send a malformed frame, then a good CfgRd0;
 *                                print "noreply" if only the good one is
 *                                answered (KIND: see bad_kinds[] below)
 *
 * Output lines:
 *   dif src=MAC vid=N role=N flags=N interval=N mac=MAC gid=N id=0x...
 *       epoch=0x... vendor=0x... device=0x... class_rev=0x... ssvid=0x...
 *       ssid=0x...
 *   frame src=MAC dst=MAC vid=N flags=0x... seq=N len=N   (each reply frame)
 *   raw XX XX ...                                          (-x: whole frame)
 *   cpl kind=Cpl|CplD status=N cpl_id=0x... req_id=0x... tag=N bc=N la=N
 *       len=N [data=XX XX ...]
 *   timeout
 * Exit status: 0 done, 3 timeout, 1 error, 2 usage.
 */
#include <errno.h>
#include <poll.h>
#include <stdlib.h>
#include <time.h>
#include <unistd.h>

#include "ee_codec.h"
#include "net.h"
#include "parse.h"

#define REQ_ID		0x0008		/* root port 00:01.0 */
#define TARGET_ID	0x0100		/* device 01:00.0 */
#define CFG_PER_FRAME	64		/* CfgRd0 TLPs per cfgdump frame */

static struct net_port port = { .fd = -1 };
static u16 ethertype = EXPETHER_ETHERTYPE_DEFAULT;
static int timeout_ms = 2000;
static bool raw;
static u8 dst_mac[6];
static u16 dst_gid;
static u8 next_tag;
static u32 next_seq;
static u8 rxbuf[NET_RX_MAX];

static void die(const char *msg)
{
	fprintf(stderr, "eeprobe: %s\n", msg);
	exit(2);
}

static u64 num(const char *s)
{
	u64 v;

	if (parse_u64(s, &v)) {
		fprintf(stderr, "eeprobe: bad number '%s'\n", s);
		exit(2);
	}
	return v;
}

static long long now_ms(void)
{
	struct timespec t;

	clock_gettime(CLOCK_MONOTONIC, &t);
	return (long long)t.tv_sec * 1000 + t.tv_nsec / 1000000;
}

static void set_dst(const char *mac, const char *gid)
{
	if (parse_mac(mac, dst_mac))
		die("bad MAC");
	dst_gid = (u16)num(gid);
}

/* Build a TLP frame to dst with @payload; returns the frame length. */
static size_t build_frame(u8 *frame, size_t cap, u16 vid, const u8 *payload,
			  size_t len)
{
	struct ee_frame f = {
		.tci = vid,
		.ethertype = ethertype,
		.hdr = {
			.version = EXPETHER_VERSION,
			.type = EXPETHER_FT_TLP,
			.flags = EXPETHER_F_SEQ,
			.seq = next_seq++,
		},
	};
	int n;

	memcpy(f.dst, dst_mac, 6);
	memcpy(f.src, port.mac, 6);
	n = ee_frame_build(frame, cap, &f, payload, len);
	if (n < 0) {
		fprintf(stderr, "eeprobe: ee_frame_build: %s\n",
			ee_err_str(-n));
		exit(1);
	}
	return (size_t)n;
}

static void send_frame(const u8 *frame, size_t len)
{
	int ret = net_send(&port, frame, len);

	if (ret) {
		fprintf(stderr, "eeprobe: send: %s\n", strerror(-ret));
		exit(1);
	}
}

/* Append TLP @t to @buf at *len. */
static void put_tlp(u8 *buf, size_t cap, size_t *len, const struct ee_tlp *t)
{
	int n = ee_tlp_build(buf + *len, cap - *len, t);

	if (n < 0) {
		fprintf(stderr, "eeprobe: ee_tlp_build: %s\n", ee_err_str(-n));
		exit(1);
	}
	*len += (size_t)n;
}

static void send_tlp(const struct ee_tlp *t)
{
	u8 payload[EXPETHER_MAX_PAYLOAD], frame[2048];
	size_t len = 0;

	put_tlp(payload, sizeof(payload), &len, t);
	send_frame(frame, build_frame(frame, sizeof(frame), dst_gid, payload,
				      len));
}

/*
 * Receive the next frame of our EtherType from the device within the
 * deadline.  Returns its length (frame in rxbuf, parsed into @f), or 0 at
 * the deadline.
 */
static size_t recv_from_dev(struct ee_frame *f, long long deadline,
			    bool want_dif)
{
	struct pollfd pfd = { .fd = port.fd, .events = POLLIN };
	long long left;
	int n;

	for (;;) {
		n = net_recv(&port, rxbuf);
		if (n == -EAGAIN) {
			left = deadline - now_ms();
			if (left <= 0)
				return 0;
			poll(&pfd, 1, (int)left);
			continue;
		}
		if (n < 0) {
			fprintf(stderr, "eeprobe: recv: %s\n", strerror(-n));
			exit(1);
		}
		if (ee_frame_parse(rxbuf, (size_t)n, ethertype, f))
			continue;
		if (want_dif) {
			if (f->hdr.type == EXPETHER_FT_DIF)
				return (size_t)n;
			continue;
		}
		if (f->hdr.type == EXPETHER_FT_DIF ||
		    memcmp(f->src, dst_mac, 6))
			continue;
		return (size_t)n;
	}
}

static void print_frame(const struct ee_frame *f, size_t len)
{
	char s[MAC_STR_LEN], d[MAC_STR_LEN];
	size_t i;

	printf("frame src=%s dst=%s vid=%u flags=%#x seq=%u len=%u\n",
	       mac_str(s, f->src), mac_str(d, f->dst), ee_frame_gid(f),
	       f->hdr.flags, f->hdr.seq, f->hdr.length);
	if (raw) {
		printf("raw");
		for (i = 0; i < len; i++)
			printf(" %02x", rxbuf[i]);
		printf("\n");
	}
}

static void print_cpl(const struct ee_tlp *t)
{
	unsigned int i;

	printf("cpl kind=%s status=%u cpl_id=%#06x req_id=%#06x tag=%u bc=%u la=%u len=%u",
	       ee_tlp_kind_str(t->kind), t->status, t->cpl_id, t->req_id,
	       t->tag, t->byte_count, t->lower_addr, t->length);
	if (t->kind == EE_TLP_CPLD) {
		printf(" data=");
		for (i = 0; i < t->length * 4u; i++)
			printf("%s%02x", i ? " " : "", t->data[i]);
	}
	printf("\n");
}

/*
 * Collect completions for tags [tag0, tag0 + ntags) until @need requests
 * are complete; call @fn (or print) each.  Returns false on timeout.
 */
static bool wait_cpls(u8 tag0, unsigned int ntags, unsigned int need,
		      void (*fn)(const struct ee_tlp *t, void *arg), void *arg)
{
	long long deadline = now_ms() + timeout_ms;
	unsigned int done = 0;
	struct ee_frame f;
	struct ee_tlp t;
	const u8 *p;
	size_t len, n;
	int r;

	while (done < need) {
		n = recv_from_dev(&f, deadline, false);
		if (!n)
			return false;
		if (f.hdr.type != EXPETHER_FT_TLP)
			continue;
		if (fn == NULL || raw)
			print_frame(&f, n);
		for (p = f.payload, len = f.hdr.length; len;
		     p += r, len -= (size_t)r) {
			r = ee_tlp_parse(p, len, &t);
			if (r < 0) {
				printf("malformed reply: %s\n", ee_err_str(-r));
				return false;
			}
			if (t.kind != EE_TLP_CPL && t.kind != EE_TLP_CPLD)
				continue;
			if ((u8)(t.tag - tag0) >= ntags || t.req_id != REQ_ID)
				continue;
			if (fn)
				fn(&t, arg);
			else
				print_cpl(&t);
			/* the last completion of a request */
			if (t.kind == EE_TLP_CPL ||
			    (t.lower_addr & 3u) + t.byte_count <= t.length * 4u)
				done++;
		}
	}
	return true;
}

static int timed_out(void)
{
	printf("timeout\n");
	return 3;
}

static int cmd_difs(int ms)
{
	long long deadline = now_ms() + ms;
	char s[MAC_STR_LEN], m[MAC_STR_LEN];
	struct ee_frame f;
	struct ee_dif d;

	while (recv_from_dev(&f, deadline, true)) {
		if (ee_dif_parse(f.payload, f.hdr.length, &d)) {
			printf("dif malformed\n");
			continue;
		}
		printf("dif src=%s vid=%u role=%u flags=%u interval=%u mac=%s gid=%u id=%#llx epoch=%#x vendor=%#06x device=%#06x class_rev=%#010x ssvid=%#06x ssid=%#06x\n",
		       mac_str(s, f.src), ee_frame_gid(&f), d.role, d.flags,
		       d.interval_ms, mac_str(m, d.mac), d.gid,
		       (unsigned long long)d.bridge_id, d.epoch, d.vendor,
		       d.device, d.class_rev, d.subsys_vendor, d.subsys_id);
		fflush(stdout);
	}
	return 0;
}

static int cmd_cfg(bool write, bool type1, u16 reg, u32 val, u8 be,
		   u16 target)
{
	u8 data[4] = { (u8)val, (u8)(val >> 8), (u8)(val >> 16),
		       (u8)(val >> 24) };
	u8 tag = next_tag++;
	struct ee_tlp t;

	ee_tlp_init_cfg(&t, write, type1, REQ_ID, tag, target, reg, be,
			data);
	send_tlp(&t);
	return wait_cpls(tag, 1, 1, NULL, NULL) ? 0 : timed_out();
}

/* Tag i of a cfgdump frame read dword i of the chunk. */
static void dump_cpl(const struct ee_tlp *t, void *arg)
{
	u8 *chunk = arg;

	if (t->kind == EE_TLP_CPLD && t->status == EE_CPL_SC &&
	    t->length == 1 && t->tag < CFG_PER_FRAME)
		memcpy(chunk + (size_t)t->tag * 4, t->data, 4);
}

/* Read all 4096 bytes, CFG_PER_FRAME requests per frame, tags = DW % 64. */
static int cmd_cfgdump(void)
{
	static u8 space[4096], chunk[CFG_PER_FRAME * 4];
	u8 payload[EXPETHER_MAX_PAYLOAD], frame[2048];
	unsigned int dw, i;
	struct ee_tlp t;
	size_t len;

	memset(space, 0xff, sizeof(space));
	for (dw = 0; dw < 1024; dw += CFG_PER_FRAME) {
		len = 0;
		for (i = 0; i < CFG_PER_FRAME; i++) {
			ee_tlp_init_cfg(&t, false, false, REQ_ID, (u8)i,
					TARGET_ID, (u16)((dw + i) * 4), 0xf,
					NULL);
			put_tlp(payload, sizeof(payload), &len, &t);
		}
		send_frame(frame, build_frame(frame, sizeof(frame), dst_gid,
					      payload, len));
		memset(chunk, 0xff, sizeof(chunk));
		if (!wait_cpls(0, CFG_PER_FRAME, CFG_PER_FRAME, dump_cpl, chunk))
			return timed_out();
		memcpy(space + dw * 4, chunk, sizeof(chunk));
	}
	for (i = 0; i < 4096; i++) {
		if (!(i & 15))
			printf("%02x:", i);
		printf(" %02x", space[i]);
		if ((i & 15) == 15)
			printf("\n");
	}
	return 0;
}

static int cmd_mrd(u64 addr, unsigned int dws, u8 be, u8 lbe)
{
	u8 tag = next_tag++;
	struct ee_tlp t = {
		.kind = EE_TLP_MRD,
		.length = (u16)dws,
		.req_id = REQ_ID,
		.tag = tag,
		.first_be = be,
		.last_be = dws > 1 ? lbe : 0,
		.addr = addr,
	};

	send_tlp(&t);
	return wait_cpls(tag, 1, 1, NULL, NULL) ? 0 : timed_out();
}

static int cmd_mwr(u64 addr, int argc, char **argv)
{
	u8 data[4096];
	unsigned int n = 0;
	struct ee_tlp t = {
		.kind = EE_TLP_MWR,
		.req_id = REQ_ID,
		.addr = addr,
		.data = data,
	};
	int i;

	for (i = 0; i < argc && n < sizeof(data); i++)
		data[n++] = (u8)num(argv[i]);
	if (!n || n % 4)
		die("mwr needs whole dwords");
	t.length = (u16)(n / 4);
	t.first_be = 0xf;
	t.last_be = n > 4 ? 0xf : 0;
	send_tlp(&t);
	return 0;
}

/* ---- malformed frames ------------------------------------------------ */

/* A well-formed CfgRd0 of the Vendor ID with tag @tag, in @payload. */
static size_t good_cfgrd(u8 *payload, u8 tag)
{
	struct ee_tlp t;
	size_t len = 0;

	ee_tlp_init_cfg(&t, false, false, REQ_ID, tag, TARGET_ID, 0, 0xf,
			NULL);
	put_tlp(payload, EXPETHER_MAX_PAYLOAD, &len, &t);
	return len;
}

static const char *const bad_kinds[] = {
	"trunc",	/* frame ends inside the ExpEther header */
	"version",	/* header version 2 */
	"type",		/* frame type 7 */
	"hdrlen",	/* header length beyond the frame */
	"tlplen",	/* CfgWr0 without its data dword */
	"tlplen2",	/* good CfgRd0, then a CfgWr0 without data */
	"tlpfmt",	/* TLP prefix (Fmt 100) */
	"cfglen",	/* CfgRd0 with Length 2 */
	"gid",		/* good request on another VLAN */
	"gid0",		/* VLAN id 0 */
	"notag",	/* our EtherType without the 802.1Q tag */
	NULL,
};

static size_t build_bad(const char *kind, u8 *frame, size_t cap, u8 tag)
{
	u8 payload[EXPETHER_MAX_PAYLOAD];
	size_t len = good_cfgrd(payload, tag), n;
	static const u8 cfgwr_hdr[12] = {
		0x44, 0, 0, 1, REQ_ID >> 8, REQ_ID & 0xff, 0, 0x0f,
		TARGET_ID >> 8, TARGET_ID & 0xff, 0, 0x94,
	};

	if (!strcmp(kind, "tlplen") || !strcmp(kind, "tlplen2")) {
		if (!strcmp(kind, "tlplen"))
			len = 0;
		memcpy(payload + len, cfgwr_hdr, sizeof(cfgwr_hdr));
		len += sizeof(cfgwr_hdr);
	} else if (!strcmp(kind, "tlpfmt")) {
		memmove(payload + 4, payload, len);
		payload[0] = 0x91;	/* Fmt 100: a TLP prefix */
		payload[1] = payload[2] = payload[3] = 0;
		len += 4;
	} else if (!strcmp(kind, "cfglen")) {
		payload[3] = 2;
	}

	n = build_frame(frame, cap, !strcmp(kind, "gid") ? dst_gid + 1 :
			!strcmp(kind, "gid0") ? 1 : dst_gid, payload, len);

	if (!strcmp(kind, "trunc")) {
		n = EXPETHER_L2_HLEN + 10;
	} else if (!strcmp(kind, "version")) {
		frame[EXPETHER_L2_HLEN] = 2;
	} else if (!strcmp(kind, "type")) {
		frame[EXPETHER_L2_HLEN + 1] = 7;
	} else if (!strcmp(kind, "hdrlen")) {
		ee_put_be16(frame + EXPETHER_L2_HLEN + 4, 200);
	} else if (!strcmp(kind, "gid0")) {
		frame[14] = frame[15] = 0;
	} else if (!strcmp(kind, "notag")) {
		memmove(frame + 12, frame + 16, n - 16);
		n -= 4;
	}
	return n;
}

static void count_reply(const struct ee_tlp *t, void *arg)
{
	unsigned int *seen = arg;

	seen[t->tag & 1]++;
}

/* Send a bad frame (tag 0 inside), then a good CfgRd0 with tag 1. */
static int cmd_bad(const char *kind)
{
	u8 frame[2048], payload[EXPETHER_MAX_PAYLOAD];
	unsigned int seen[2] = { 0, 0 };
	size_t n;
	int i;

	for (i = 0; bad_kinds[i] && strcmp(bad_kinds[i], kind); i++)
		;
	if (!bad_kinds[i])
		die("unknown bad frame kind");

	n = build_bad(kind, frame, sizeof(frame), 0);
	send_frame(frame, n);
	n = good_cfgrd(payload, 1);
	send_frame(frame, build_frame(frame, sizeof(frame), dst_gid, payload,
				      n));
	/* Whatever answers the bad frame arrives before the good reply. */
	while (!seen[1]) {
		if (!wait_cpls(0, 2, 1, count_reply, seen))
			break;
	}
	if (!seen[1])
		return timed_out();
	printf("%s\n", seen[0] ? "reply" : "noreply");
	return seen[0] ? 1 : 0;
}

static void usage(void)
{
	fprintf(stderr,
		"usage: eeprobe [-i IFACE] [-e ETHERTYPE] [-t MS] [-x] COMMAND ARGS...\n"
		"  difs MS | cfgrd MAC GID REG [TARGET] | cfgrd1 MAC GID REG |\n"
		"  cfgwr MAC GID REG VAL [BE [TARGET]] | cfgdump MAC GID |\n"
		"  mrd MAC GID ADDR DW [BE [LBE]] | mwr MAC GID ADDR BYTE... |\n"
		"  bad KIND MAC GID\n");
	exit(2);
}

int main(int argc, char **argv)
{
	const char *ifname = NULL, *cmd;
	int c, ret;

	while ((c = getopt(argc, argv, "i:e:t:x")) != -1) {
		switch (c) {
		case 'i':
			ifname = optarg;
			break;
		case 'e':
			ethertype = (u16)num(optarg);
			break;
		case 't':
			timeout_ms = (int)num(optarg);
			break;
		case 'x':
			raw = true;
			break;
		default:
			usage();
		}
	}
	argc -= optind;
	argv += optind;
	if (!ifname || argc < 2)
		usage();

	ret = net_open(&port, ifname);
	if (ret) {
		fprintf(stderr, "eeprobe: %s: %s\n", ifname, strerror(-ret));
		return 1;
	}
	srand((unsigned int)getpid());
	next_tag = (u8)(rand() & 0x3f) + 2;
	next_seq = (u32)rand();
	setvbuf(stdout, NULL, _IOLBF, 0);

	cmd = argv[0];
	if (!strcmp(cmd, "difs")) {
		ret = cmd_difs((int)num(argv[1]));
	} else if (argc < 3) {
		usage();
	} else if (!strcmp(cmd, "bad") && argc == 4) {
		set_dst(argv[2], argv[3]);
		ret = cmd_bad(argv[1]);
	} else {
		set_dst(argv[1], argv[2]);
		if (!strcmp(cmd, "cfgrd") && (argc == 4 || argc == 5))
			ret = cmd_cfg(false, false, (u16)num(argv[3]), 0, 0xf,
				      argc == 5 ? (u16)num(argv[4]) : TARGET_ID);
		else if (!strcmp(cmd, "cfgrd1") && argc == 4)
			ret = cmd_cfg(false, true, (u16)num(argv[3]), 0, 0xf,
				      0x0200);
		else if (!strcmp(cmd, "cfgwr") && argc >= 5 && argc <= 7)
			ret = cmd_cfg(true, false, (u16)num(argv[3]),
				      (u32)num(argv[4]),
				      argc >= 6 ? (u8)num(argv[5]) : 0xf,
				      argc == 7 ? (u16)num(argv[6]) : TARGET_ID);
		else if (!strcmp(cmd, "cfgdump") && argc == 3)
			ret = cmd_cfgdump();
		else if (!strcmp(cmd, "mrd") && argc >= 5 && argc <= 7)
			ret = cmd_mrd(num(argv[3]), (unsigned int)num(argv[4]),
				      argc >= 6 ? (u8)num(argv[5]) : 0xf,
				      argc == 7 ? (u8)num(argv[6]) : 0xf);
		else if (!strcmp(cmd, "mwr") && argc >= 5)
			ret = cmd_mwr(num(argv[3]), argc - 4, argv + 4);
		else
			usage();
	}
	net_close(&port);
	return ret;
}
