// SPDX-License-Identifier: GPL-2.0
/*
 * eeprobe: a minimal host-side bridge for testing eebox from user space.
 *
 * It is a host as the protocol wants one: it draws an epoch, announces
 * itself with host DIFs (every 100 ms while it runs), learns the I/O
 * bridge's epoch from the bridge's DIF (or -b), and sends its requests
 * over one reliable connection, driven by the same code as eebox's
 * (tools/eebox/conn.c over net/expether/ee_link.c), with the same fault
 * injection.  Each run is a new host epoch, i.e. a host restart for eebox.
 *
 *   eeprobe [-i IFACE] [-e ETHERTYPE] [-t MS] [-x] [-v] [-E EPOCH]
 *           [-b MAC=EPOCH]... [-m MAC] [-N] [--drop PCT] [--reorder PCT]
 *           [--dup PCT] [--seed N] [--stats] COMMAND ARGS...
 *
 *   difs MS                      listen MS ms, print every DIF
 *   cfgrd MAC GID REG [TARGET]   CfgRd0 (TARGET = bus<<8|dev<<3|fn, 0x100)
 *   cfgrd1 MAC GID REG           CfgRd1
 *   cfgwr MAC GID REG VAL [BE [TARGET]]   CfgWr0 of the little-endian VAL
 *   cfgdump MAC GID              read all 1024 dwords (many CfgRd0 per
 *                                frame), print them like lspci -xxxx
 *   mrd MAC GID ADDR DW [BE [LBE]]   MRd, print every completion, then data
 *   mrdmany MAC GID ADDR N       N (1..123 below 4 GiB) MRd of 4 KiB at
 *                                ADDR + i * 4 KiB,
 *                                in one frame: far more completions than
 *                                the bridge's ring holds; print a summary
 *   mwr MAC GID ADDR HEX...      MWr of the bytes given (whole dwords);
 *                                returns once the box acknowledged it
 *   bad KIND MAC GID             send a malformed frame, then a good CfgRd0;
 *                                print "noreply" if only the good one is
 *                                answered (KIND: see bad_kinds[] below)
 *   stress MAC GID N [INFLIGHT]  N frames [CfgRd0 0x94, CfgWr0 0x94 v(i)],
 *                                then a last CfgRd0 0x94, up to INFLIGHT
 *                                frames (default 8) outstanding: every
 *                                read must return the previous frame's
 *                                write, every completion come once, in
 *                                order
 *   echo MAC GID LEN [COUNT]     ECHO requests of LEN bytes (no connection)
 *   testdev MAC GID [rogue|hang|quick]  act as a host with memory, drive
 *                                testdev's DMA engine (probe_testdev.c)
 *   nvme MAC GID                 ... the NVMe controller (probe_nvme.c)
 *   vnet MAC GID LOCAL_IP PEER_IP  ... virtio-net, packets to and from
 *                                PEER_IP behind its tap (probe_vnet.c)
 *
 * -b MAC=EPOCH gives a bridge's epoch (no waiting for its DIF); -E sets
 * ours (default: random); -m our MAC (default: the interface's), to be
 * another host; -N sends no host DIF (the bridge then has no connection
 * with us).  --stats prints the link's counters at the end.
 *
 * Output lines:
 *   dif src=MAC vid=N role=N flags=N interval=N mac=MAC gid=N id=0x...
 *       epoch=0x... vendor=0x... device=0x... class_rev=0x... ssvid=0x...
 *       ssid=0x...
 *   frame src=MAC dst=MAC vid=N flags=0x... seq=N rseq=N rack=N len=N
 *       (each reply frame delivered; rseq: seq counted from the bridge's
 *       ISN, rack: our frames the bridge acknowledges)
 *   raw XX XX ...                                          (-x: whole frame)
 *   cpl kind=Cpl|CplD status=N cpl_id=0x... req_id=0x... tag=N bc=N la=N
 *       len=N [data=XX XX ...]
 *   mrdmany n=N requests=N bytes=N cpls=N bad=N
 *   stress n=N completions=N bad=N first=0x... last=0x... ms=N
 *   echo len=N match|mismatch us=N
 *   link KEY VALUE                                         (--stats)
 *   timeout
 * Exit status: 0 done, 3 timeout (or the bridge declared dead), 1 error,
 * 2 usage.
 */
#include <errno.h>
#include <getopt.h>
#include <poll.h>
#include <stdlib.h>
#include <time.h>
#include <unistd.h>
#include <sys/random.h>

#include "eeprobe.h"
#include "log.h"
#include "net.h"
#include "parse.h"

#define CFG_PER_FRAME	64		/* CfgRd0 TLPs per cfgdump frame */
#define SCRATCH		0x94		/* testdev's scratch dword */
#define DIF_NS		100000000ULL	/* our DIF period */
#define MAX_KNOWN	16

static struct net_port port = { .fd = -1 };
static u8 our_mac[6];		/* -m, or the interface's */
static bool no_dif;		/* -N */
static u16 ethertype = EXPETHER_ETHERTYPE_DEFAULT;
u64 timeout_ns = 2000 * MS;
static bool raw, print_stats;
static u8 dst_mac[6];
static u16 dst_gid;
static u8 next_tag;
static u8 rxbuf[NET_RX_MAX];

static u32 host_epoch;
static bool host_epoch_set;
static struct {
	u8 mac[6];
	u32 epoch;
} known[MAX_KNOWN];
static unsigned int nknown;
static struct fault_cfg faults = { .seed = FAULT_DEFAULT_SEED };

/* The connection, once the bridge's epoch is known. */
struct conn *conn;
static bool announcing;		/* send host DIFs */
static u64 next_dif;
static bool have_bridge_epoch;
static u32 bridge_epoch;
static u64 last_rx;		/* when the bridge last sent us something */

/* Where delivered completions go. */
static cpl_fn sink_fn;
static void *sink_arg;
static bool sink_frames;	/* print a "frame" line per reply frame */

/* ECHO replies being waited for. */
static const u8 *echo_want;
static size_t echo_len;
static int echo_result;		/* 0 none, 1 match, -1 mismatch */

static void die(const char *msg) __attribute__((noreturn));

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

static void set_dst(const char *mac, const char *gid)
{
	u64 g = num(gid);

	if (parse_mac(mac, dst_mac))
		die("bad MAC");
	if (g < EXPETHER_GID_MIN || g > EXPETHER_GID_MAX)
		die("bad GID");
	dst_gid = (u16)g;
}

static void send_raw(const u8 *frame, size_t len)
{
	int ret = net_send(&port, frame, len);

	if (ret) {
		fprintf(stderr, "eeprobe: send: %s\n", strerror(-ret));
		exit(1);
	}
}

/* Build an unsequenced frame of @type to the bridge. */
static size_t build_plain(u8 *frame, size_t cap, u8 type, u16 vid,
			  const u8 *dst, const u8 *payload, size_t len)
{
	struct ee_frame f = {
		.tci = vid,
		.ethertype = ethertype,
		.hdr = {
			.version = EXPETHER_VERSION,
			.type = type,
		},
	};
	int n;

	memcpy(f.dst, dst, 6);
	memcpy(f.src, our_mac, 6);
	n = ee_frame_build(frame, cap, &f, payload, len);
	if (n < 0) {
		fprintf(stderr, "eeprobe: ee_frame_build: %s\n",
			ee_err_str(-n));
		exit(1);
	}
	return (size_t)n;
}

/* Our DIF: role host, our epoch, on the bridge's VLAN. */
static void send_host_dif(void)
{
	static const u8 bcast[6] = { 0xff, 0xff, 0xff, 0xff, 0xff, 0xff };
	u8 payload[EXPETHER_DIF_LEN], frame[128];
	struct ee_dif d = {
		.role = EXPETHER_ROLE_HOST,
		.interval_ms = DIF_NS / MS,
		.gid = dst_gid,
		.epoch = host_epoch,
	};
	size_t n;
	int i;

	next_dif = conn_now() + DIF_NS;
	if (no_dif)
		return;
	memcpy(d.mac, our_mac, 6);
	for (i = 0; i < 6; i++)
		d.bridge_id = d.bridge_id << 8 | our_mac[i];
	ee_dif_put(payload, &d);
	n = build_plain(frame, sizeof(frame), EXPETHER_FT_DIF, dst_gid, bcast,
			payload, sizeof(payload));
	log_frame("tx", frame, n, ethertype, NULL);
	send_raw(frame, n);
}

/* conn_xmit_fn: the link's frames. */
static int probe_xmit(void *ctx, const u8 *frame, size_t len,
		      const char *note, bool send)
{
	(void)ctx;
	log_frame("tx", frame, len, ethertype, note);
	return send ? net_send(&port, frame, len) : 0;
}

/* ---- receive --------------------------------------------------------- */

static void print_frame(const struct ee_frame *f, size_t len)
{
	char s[MAC_STR_LEN], d[MAC_STR_LEN];
	size_t i;

	printf("frame src=%s dst=%s vid=%u flags=%#x seq=%u rseq=%u rack=%u len=%u\n",
	       mac_str(s, f->src), mac_str(d, f->dst), ee_frame_gid(f),
	       f->hdr.flags, f->hdr.seq, f->hdr.seq - conn->link.g.rcv_isn,
	       f->hdr.ack - conn->link.g.snd_isn, f->hdr.length);
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

/* A reply frame the link delivered: its completions, in order. */
static void rx_payload(const struct ee_frame *f, size_t n)
{
	const u8 *p = f->payload;
	size_t len = f->hdr.length;
	struct ee_tlp t;
	int r;

	if (sink_frames || raw)
		print_frame(f, n);
	for (; len; p += r, len -= (size_t)r) {
		r = ee_tlp_parse(p, len, &t);
		if (r <= 0)
			return;		/* validated before */
		if (t.kind != EE_TLP_CPL && t.kind != EE_TLP_CPLD) {
			host_rx_tlp(&t);	/* the device's requests */
			continue;
		}
		if (sink_fn)
			sink_fn(&t, sink_arg);
	}
	host_rx_done();
}

static int validate_tlps(const struct ee_frame *f)
{
	const u8 *p = f->payload;
	size_t len = f->hdr.length;
	struct ee_tlp t;
	int r;

	for (; len; p += r, len -= (size_t)r) {
		r = ee_tlp_parse(p, len, &t);
		if (r <= 0)
			return r < 0 ? r : -EE_ERR_TLP_LEN;
	}
	return 0;
}

static void rx_frame(size_t n, u64 now)
{
	struct ee_gbn_rx_info ri;
	struct ee_frame f;
	struct ee_dif d;
	int r;

	if (ee_frame_parse(rxbuf, n, ethertype, &f))
		return;
	if (f.hdr.type == EXPETHER_FT_DIF) {
		if (!have_bridge_epoch && !memcmp(f.src, dst_mac, 6) &&
		    ee_frame_gid(&f) == dst_gid &&
		    !ee_dif_parse(f.payload, f.hdr.length, &d) &&
		    d.role == EXPETHER_ROLE_IO && d.gid == dst_gid) {
			bridge_epoch = d.epoch;
			have_bridge_epoch = true;
		}
		return;
	}
	if (memcmp(f.src, dst_mac, 6) || memcmp(f.dst, our_mac, 6) ||
	    ee_frame_gid(&f) != dst_gid)
		return;
	log_frame("rx", rxbuf, n, ethertype, NULL);
	if (f.hdr.type == EXPETHER_FT_ECHO_REPLY) {
		if (echo_want && !echo_result)
			echo_result = f.hdr.length == echo_len &&
				      !memcmp(f.payload, echo_want, echo_len) ?
				      1 : -1;
		return;
	}
	if (!conn || (f.hdr.type != EXPETHER_FT_TLP &&
		      f.hdr.type != EXPETHER_FT_ACK))
		return;
	if (f.hdr.type == EXPETHER_FT_TLP) {
		r = validate_tlps(&f);
		if (r) {
			printf("malformed reply: %s\n", ee_err_str(-r));
			return;
		}
	}
	last_rx = now;
	if (conn_rx(conn, now, &f.hdr, &ri) == EE_GBN_DELIVER &&
	    f.hdr.type == EXPETHER_FT_TLP)
		rx_payload(&f, n);
	conn_pump(conn, now);
}

/* Everything that is due now: DIF, link timers, transmissions, input. */
static void service(void)
{
	u64 now = conn_now();
	int n;

	if (announcing && now >= next_dif)
		send_host_dif();
	if (conn) {
		if (conn_deadline(conn) <= now)
			conn_timer(conn, now);
		conn_pump(conn, now);
	}
	for (;;) {
		n = net_recv(&port, rxbuf);
		if (n == -EAGAIN || n == -EWOULDBLOCK)
			break;
		if (n == -EINTR)
			continue;
		if (n < 0) {
			fprintf(stderr, "eeprobe: recv: %s\n", strerror(-n));
			exit(1);
		}
		if (n > 0)
			rx_frame((size_t)n, conn_now());
	}
}

bool run_until(bool (*done)(void *arg), void *arg, u64 deadline)
{
	struct pollfd pfd = { .fd = port.fd, .events = POLLIN };
	struct timespec ts;
	u64 now, wake;

	for (;;) {
		service();
		if (done && done(arg))
			return true;
		if (conn && conn_is_dead(conn))
			return false;
		now = conn_now();
		if (now >= deadline)
			return false;
		wake = deadline;
		if (announcing && next_dif < wake)
			wake = next_dif;
		if (conn && conn_deadline(conn) < wake)
			wake = conn_deadline(conn);
		if (wake <= now)
			continue;
		ts.tv_sec = (time_t)((wake - now) / 1000000000ULL);
		ts.tv_nsec = (long)((wake - now) % 1000000000ULL);
		ppoll(&pfd, 1, &ts, NULL);
	}
}

static int timed_out(void)
{
	printf("timeout\n");
	return 3;
}

/* ---- the connection -------------------------------------------------- */

static bool got_bridge_epoch(void *arg)
{
	(void)arg;
	return have_bridge_epoch;
}

/* Announce ourselves, learn the bridge's epoch, open the connection. */
static int connect_bridge(void)
{
	unsigned int i;

	for (i = 0; i < nknown; i++) {
		if (!memcmp(known[i].mac, dst_mac, 6)) {
			bridge_epoch = known[i].epoch;
			have_bridge_epoch = true;
		}
	}
	announcing = true;
	send_host_dif();
	if (!have_bridge_epoch &&
	    !run_until(got_bridge_epoch, NULL, conn_now() + timeout_ns))
		return timed_out();

	conn = calloc(1, sizeof(*conn));
	if (!conn || conn_init(conn, "eeprobe", our_mac, dst_mac, dst_gid,
			       ethertype, &faults, probe_xmit, NULL)) {
		fprintf(stderr, "eeprobe: %s\n", strerror(ENOMEM));
		exit(1);
	}
	conn->quiet = true;	/* "timeout" says it; -v tells more */
	/* The bridge had our DIF before our first frame. */
	conn_open(conn, host_epoch, bridge_epoch, conn_now());
	return 0;
}

static bool quiet(void *arg)
{
	u64 grace = *(u64 *)arg;

	return conn_unacked(conn) == 0 && !ee_gbn_ack_owed(&conn->link.g) &&
	       conn_now() - last_rx >= grace;
}

static void print_link_stats(void)
{
	char *buf = NULL, *line, *save;
	size_t len = 0;
	FILE *f = open_memstream(&buf, &len);

	if (!f)
		return;
	conn_write_stats(conn, f);
	fclose(f);
	for (line = strtok_r(buf, "\n", &save); line;
	     line = strtok_r(NULL, "\n", &save))
		printf("link %s\n", line);
	free(buf);
}

/*
 * Acknowledge what the bridge sent, wait for our own frames to be
 * acknowledged (when faults may have eaten our last ack, a little longer,
 * so that the bridge's retransmission is acked too), then let go.
 */
static void disconnect(bool linger)
{
	u64 grace = 0;

	if (!conn)
		return;
	if (conn->fault.active) {
		grace = 2 * conn->link.g.rto_ns;
		if (grace < 5 * MS)
			grace = 5 * MS;
		if (grace > 100 * MS)
			grace = 100 * MS;
	}
	if (linger && conn_is_open(conn))
		run_until(quiet, &grace, conn_now() + 1000 * MS);
	if (print_stats)
		print_link_stats();
	conn_destroy(conn);
	free(conn);
	conn = NULL;
}

void queue(const u8 *payload, size_t len)
{
	int ret = conn_queue(conn, payload, len);

	if (ret) {
		fprintf(stderr, "eeprobe: cannot queue a request: %d\n", ret);
		exit(1);
	}
}

void put_tlp(u8 *buf, size_t cap, size_t *len, const struct ee_tlp *t)
{
	int n = ee_tlp_build(buf + *len, cap - *len, t);

	if (n < 0) {
		fprintf(stderr, "eeprobe: ee_tlp_build: %s\n", ee_err_str(-n));
		exit(1);
	}
	*len += (size_t)n;
}

u8 probe_tag(void)
{
	return next_tag++;
}

void send_tlp(const struct ee_tlp *t)
{
	u8 payload[EXPETHER_MAX_PAYLOAD];
	size_t len = 0;

	put_tlp(payload, sizeof(payload), &len, t);
	queue(payload, len);
}

/* ---- waiting for completions ----------------------------------------- */

struct waiter {
	u8 tag0;
	unsigned int ntags, need, done;
	cpl_fn fn;
	void *arg;
};

static void waiter_cpl(const struct ee_tlp *t, void *arg)
{
	struct waiter *w = arg;

	if ((u8)(t->tag - w->tag0) >= w->ntags || t->req_id != REQ_ID)
		return;
	if (w->fn)
		w->fn(t, w->arg);
	else
		print_cpl(t);
	/* the last completion of a request */
	if (t->kind == EE_TLP_CPL ||
	    (t->lower_addr & 3u) + t->byte_count <= t->length * 4u)
		w->done++;
}

static bool waiter_done(void *arg)
{
	struct waiter *w = arg;

	return w->done >= w->need;
}

bool wait_cpls(u8 tag0, unsigned int ntags, unsigned int need,
		      cpl_fn fn, void *arg)
{
	struct waiter w = {
		.tag0 = tag0, .ntags = ntags, .need = need, .fn = fn,
		.arg = arg,
	};
	bool ok;

	sink_fn = waiter_cpl;
	sink_arg = &w;
	sink_frames = fn == NULL;
	ok = run_until(waiter_done, &w, conn_now() + timeout_ns);
	sink_fn = NULL;
	sink_frames = false;
	return ok;
}

/* ---- commands -------------------------------------------------------- */

static int cmd_difs(int ms)
{
	u64 deadline = conn_now() + (u64)ms * MS;
	struct pollfd pfd = { .fd = port.fd, .events = POLLIN };
	char s[MAC_STR_LEN], m[MAC_STR_LEN];
	struct ee_frame f;
	struct ee_dif d;
	u64 now;
	int n;

	while ((now = conn_now()) < deadline) {
		n = net_recv(&port, rxbuf);
		if (n == -EAGAIN || n == -EWOULDBLOCK) {
			poll(&pfd, 1, (int)((deadline - now) / MS) + 1);
			continue;
		}
		if (n < 0 && n != -EINTR) {
			fprintf(stderr, "eeprobe: recv: %s\n", strerror(-n));
			return 1;
		}
		if (n <= 0 || ee_frame_parse(rxbuf, (size_t)n, ethertype, &f) ||
		    f.hdr.type != EXPETHER_FT_DIF)
			continue;
		if (ee_dif_parse(f.payload, f.hdr.length, &d)) {
			printf("dif malformed\n");
			continue;
		}
		printf("dif src=%s vid=%u role=%u flags=%u interval=%u mac=%s gid=%u id=%#llx epoch=%#x vendor=%#06x device=%#06x class_rev=%#010x ssvid=%#06x ssid=%#06x\n",
		       mac_str(s, f.src), ee_frame_gid(&f), d.role, d.flags,
		       d.interval_ms, mac_str(m, d.mac), d.gid,
		       (unsigned long long)d.bridge_id, d.epoch, d.vendor,
		       d.device, d.class_rev, d.subsys_vendor, d.subsys_id);
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
	u8 payload[EXPETHER_MAX_PAYLOAD];
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
		queue(payload, len);
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

struct many {
	u64 bytes, cpls, bad;
};

static void many_cpl(const struct ee_tlp *t, void *arg)
{
	struct many *m = arg;

	m->cpls++;
	if (t->kind == EE_TLP_CPLD && t->status == EE_CPL_SC)
		m->bytes += t->length * 4u;
	else
		m->bad++;
}

static int cmd_mrdmany(u64 addr, unsigned int n)
{
	u8 payload[EXPETHER_MAX_PAYLOAD];
	struct many m = { 0 };
	struct ee_tlp t = {
		.kind = EE_TLP_MRD,
		.length = 1024,
		.req_id = REQ_ID,
		.first_be = 0xf,
		.last_be = 0xf,
	};
	unsigned int i;
	size_t len = 0;
	bool ok;

	/* 12-byte MRd headers below 4 GiB: 123 fit in a frame */
	if (!n || n > EXPETHER_MAX_PAYLOAD / 12 || (addr & 0xfff))
		die("mrdmany: N must be from 1 to 123, ADDR 4 KiB aligned");
	for (i = 0; i < n; i++) {
		t.tag = (u8)i;
		t.addr = addr + (u64)i * 4096;
		put_tlp(payload, sizeof(payload), &len, &t);
	}
	queue(payload, len);
	ok = wait_cpls(0, n, n, many_cpl, &m);
	printf("mrdmany n=%u requests=%u bytes=%llu cpls=%llu bad=%llu\n", n,
	       ok ? n : 0, (unsigned long long)m.bytes,
	       (unsigned long long)m.cpls, (unsigned long long)m.bad);
	return ok ? (m.bad ? 1 : 0) : timed_out();
}

static bool all_acked(void *arg)
{
	(void)arg;
	return conn_unacked(conn) == 0;
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
	/* Posted: done when the bridge has acknowledged the frame. */
	return run_until(all_acked, NULL, conn_now() + timeout_ns) ?
	       0 : timed_out();
}

/* ---- stress: pipelined scratch writes and reads ----------------------- */

struct stress {
	u32 n;			/* write frames; frame n only reads */
	u32 inflight;		/* frames outstanding at most */
	u32 queued;		/* frames queued so far */
	u32 next;		/* completion expected next: 0 .. 2n */
	u32 mark;
	u32 first, last;	/* first and last value read */
	u32 salt;
	u64 completions, bad;
};

/* Value frame @i writes: different in every run, rarely repeated. */
static u32 stress_val(const struct stress *s, u32 i)
{
	u32 x = i * 0x9e3779b9u ^ s->salt;

	x ^= x >> 16;
	x *= 0x7feb352du;
	x ^= x >> 15;
	x *= 0x846ca68bu;
	return x ^ (x >> 16);
}

static void stress_queue(struct stress *s)
{
	u8 payload[64], data[4];
	struct ee_tlp t;
	size_t len;
	u32 i, v;

	while (s->queued <= s->n && s->queued - s->next / 2 < s->inflight) {
		i = s->queued++;
		len = 0;
		ee_tlp_init_cfg(&t, false, false, REQ_ID, (u8)(2 * i),
				TARGET_ID, SCRATCH, 0xf, NULL);
		put_tlp(payload, sizeof(payload), &len, &t);
		if (i < s->n) {
			v = stress_val(s, i);
			data[0] = (u8)v;
			data[1] = (u8)(v >> 8);
			data[2] = (u8)(v >> 16);
			data[3] = (u8)(v >> 24);
			ee_tlp_init_cfg(&t, true, false, REQ_ID,
					(u8)(2 * i + 1), TARGET_ID, SCRATCH,
					0xf, data);
			put_tlp(payload, sizeof(payload), &len, &t);
		}
		queue(payload, len);
	}
}

static void stress_bad(struct stress *s, const struct ee_tlp *t,
		       const char *why, u32 want)
{
	if (s->bad++ < 10)
		printf("stress bad: completion %u: %s (tag %u kind %s status %u, want %#x)\n",
		       s->next, why, t->tag, ee_tlp_kind_str(t->kind),
		       t->status, want);
}

/* Completions arrive exactly once each and in order: check each. */
static void stress_cpl(const struct ee_tlp *t, void *arg)
{
	struct stress *s = arg;
	u32 k = s->next, i = k / 2, got, want = 0;

	s->completions++;
	if (k > 2 * s->n || t->req_id != REQ_ID || t->tag != (u8)k) {
		stress_bad(s, t, "unexpected completion", 0);
		return;
	}
	s->next++;
	if (t->status != EE_CPL_SC) {
		stress_bad(s, t, "not successful", 0);
		return;
	}
	if (k & 1) {
		if (t->kind != EE_TLP_CPL)
			stress_bad(s, t, "write completion with data", 0);
		return;
	}
	if (t->kind != EE_TLP_CPLD || t->length != 1) {
		stress_bad(s, t, "read completion without one dword", 0);
		return;
	}
	got = (u32)t->data[0] | (u32)t->data[1] << 8 |
	      (u32)t->data[2] << 16 | (u32)t->data[3] << 24;
	if (!i)
		s->first = got;
	else if (got != (want = stress_val(s, i - 1)))
		stress_bad(s, t, "read returned another value", want);
	s->last = got;
}

static bool stress_moved(void *arg)
{
	struct stress *s = arg;

	return s->next != s->mark;
}

static int cmd_stress(u32 n, u32 inflight)
{
	struct stress s = {
		.n = n,
		.inflight = inflight,
		.salt = host_epoch,
	};
	u64 t0 = conn_now();

	if (!inflight || inflight > 64)
		die("stress: INFLIGHT must be from 1 to 64");
	sink_fn = stress_cpl;
	sink_arg = &s;
	while (s.next <= 2 * n) {
		stress_queue(&s);
		s.mark = s.next;
		if (!run_until(stress_moved, &s, conn_now() + timeout_ns))
			break;
	}
	sink_fn = NULL;
	printf("stress n=%u completions=%llu bad=%llu first=%#x last=%#x ms=%llu\n",
	       n, (unsigned long long)s.completions,
	       (unsigned long long)s.bad, s.first, s.last,
	       (unsigned long long)((conn_now() - t0) / MS));
	if (s.next <= 2 * n)
		return timed_out();
	return s.bad ? 1 : 0;
}

/* ---- echo ------------------------------------------------------------ */

static bool echo_answered(void *arg)
{
	(void)arg;
	return echo_result != 0;
}

static int cmd_echo(size_t len, unsigned int count)
{
	u8 payload[EXPETHER_MAX_PAYLOAD], frame[2048];
	unsigned int i, k;
	u64 t0;
	size_t n;

	if (len > EXPETHER_MAX_PAYLOAD)
		die("echo: LEN must be from 0 to 1476");
	for (k = 0; k < count; k++) {
		for (i = 0; i < len; i++)
			payload[i] = (u8)(rand() >> 7);
		n = build_plain(frame, sizeof(frame), EXPETHER_FT_ECHO_REQ,
				dst_gid, dst_mac, payload, len);
		echo_want = payload;
		echo_len = len;
		echo_result = 0;
		t0 = conn_now();
		log_frame("tx", frame, n, ethertype, NULL);
		send_raw(frame, n);
		if (!run_until(echo_answered, NULL, t0 + timeout_ns))
			return timed_out();
		printf("echo len=%zu %s us=%llu\n", len,
		       echo_result > 0 ? "match" : "mismatch",
		       (unsigned long long)((conn_now() - t0) / 1000));
		if (echo_result < 0)
			return 1;
	}
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

/*
 * The bad frame carries the header of our connection's first frame (SYN
 * at our ISN): were it accepted, the transport would deliver it, and the
 * good request after it would be a duplicate.
 */
static size_t build_bad(const char *kind, u8 *frame, size_t cap, u8 tag)
{
	u8 payload[EXPETHER_MAX_PAYLOAD];
	size_t len = good_cfgrd(payload, tag), n;
	static const u8 cfgwr_hdr[12] = {
		0x44, 0, 0, 1, REQ_ID >> 8, REQ_ID & 0xff, 0, 0x0f,
		TARGET_ID >> 8, TARGET_ID & 0xff, 0, 0x94,
	};
	struct ee_frame f = {
		.tci = dst_gid,
		.ethertype = ethertype,
		.hdr = {
			.version = EXPETHER_VERSION,
			.type = EXPETHER_FT_TLP,
			.flags = EXPETHER_F_SEQ | EXPETHER_F_SYN |
				 EXPETHER_F_ACK | EXPETHER_F_TS,
			.seq = conn->link.g.snd_isn,
			.ack = conn->link.g.rcv_nxt,
			.tsval = (u32)(conn_now() / 1000),
		},
	};
	int r;

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
	if (!strcmp(kind, "gid"))
		f.tci = dst_gid + 1;
	else if (!strcmp(kind, "gid0"))
		f.tci = 1;
	memcpy(f.dst, dst_mac, 6);
	memcpy(f.src, our_mac, 6);
	r = ee_frame_build(frame, cap, &f, payload, len);
	if (r < 0) {
		fprintf(stderr, "eeprobe: ee_frame_build: %s\n",
			ee_err_str(-r));
		exit(1);
	}
	n = (size_t)r;

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
	log_frame("tx", frame, n, ethertype, "malformed on purpose");
	send_raw(frame, n);
	n = good_cfgrd(payload, 1);
	queue(payload, n);
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

/* ---- command line ---------------------------------------------------- */

enum {
	OPT_DROP = 256,
	OPT_REORDER,
	OPT_DUP,
	OPT_SEED,
	OPT_STATS,
};

static const struct option long_opts[] = {
	{ "drop",	required_argument, NULL, OPT_DROP },
	{ "reorder",	required_argument, NULL, OPT_REORDER },
	{ "dup",	required_argument, NULL, OPT_DUP },
	{ "seed",	required_argument, NULL, OPT_SEED },
	{ "stats",	no_argument,	   NULL, OPT_STATS },
	{ NULL, 0, NULL, 0 },
};

static void usage(void) __attribute__((noreturn));

static void usage(void)
{
	fprintf(stderr,
		"usage: eeprobe [-i IFACE] [-e ETHERTYPE] [-t MS] [-x] [-v] [-E EPOCH]\n"
		"               [-b MAC=EPOCH]... [-m MAC] [-N] [--drop PCT] [--reorder PCT]\n"
		"               [--dup PCT] [--seed N] [--stats] COMMAND ARGS...\n"
		"  difs MS | cfgrd MAC GID REG [TARGET] | cfgrd1 MAC GID REG |\n"
		"  cfgwr MAC GID REG VAL [BE [TARGET]] | cfgdump MAC GID |\n"
		"  mrd MAC GID ADDR DW [BE [LBE]] | mwr MAC GID ADDR BYTE... |\n"
		"  mrdmany MAC GID ADDR N |\n"
		"  bad KIND MAC GID | stress MAC GID N [INFLIGHT] |\n"
		"  echo MAC GID LEN [COUNT] | testdev MAC GID [rogue|hang|quick] |\n"
		"  nvme MAC GID | vnet MAC GID LOCAL_IP PEER_IP\n");
	exit(2);
}

/* Whether @cmd takes @argc words (itself included); dst first when true. */
static bool args_ok(const char *cmd, int argc)
{
	static const struct {
		const char *name;
		int min, max;
	} cmds[] = {
		{ "bad", 4, 4 }, { "cfgrd", 4, 5 }, { "cfgrd1", 4, 4 },
		{ "cfgwr", 5, 7 }, { "cfgdump", 3, 3 }, { "mrd", 5, 7 },
		{ "mwr", 5, 1 << 20 }, { "stress", 4, 5 }, { "echo", 4, 5 },
		{ "mrdmany", 5, 5 }, { "testdev", 3, 4 }, { "nvme", 3, 3 },
		{ "vnet", 5, 5 },
	};
	size_t i;

	for (i = 0; i < sizeof(cmds) / sizeof(cmds[0]); i++)
		if (!strcmp(cmd, cmds[i].name))
			return argc >= cmds[i].min && argc <= cmds[i].max;
	return false;
}

static void bad_pct(const char *opt, const char *val, double *pct)
{
	if (fault_parse_pct(val, pct)) {
		fprintf(stderr,
			"eeprobe: --%s %s: %s must be a percentage from 0 to 100\n",
			opt, val, opt);
		exit(2);
	}
}

static void add_known(const char *arg)
{
	const char *eq = strchr(arg, '=');
	char mac[MAC_STR_LEN];
	u64 e;

	if (!eq || eq - arg >= MAC_STR_LEN || nknown == MAX_KNOWN)
		die("-b needs MAC=EPOCH");
	memcpy(mac, arg, (size_t)(eq - arg));
	mac[eq - arg] = '\0';
	if (parse_mac(mac, known[nknown].mac) || parse_u64(eq + 1, &e) ||
	    e > 0xffffffffu)
		die("-b needs MAC=EPOCH");
	known[nknown++].epoch = (u32)e;
}

int main(int argc, char **argv)
{
	const char *ifname = NULL, *cmd;
	bool mac_set = false;
	int c, ret;
	u64 v;

	opterr = 0;
	while ((c = getopt_long(argc, argv, "i:e:t:xvE:b:m:N", long_opts,
				NULL)) != -1) {
		switch (c) {
		case 'i':
			ifname = optarg;
			break;
		case 'e':
			ethertype = (u16)num(optarg);
			break;
		case 't':
			timeout_ns = num(optarg) * MS;
			break;
		case 'x':
			raw = true;
			break;
		case 'v':
			log_verbose = true;
			break;
		case 'E':
			v = num(optarg);
			if (v > 0xffffffffu)
				die("-E: the epoch is 32 bits");
			host_epoch = (u32)v;
			host_epoch_set = true;
			break;
		case 'b':
			add_known(optarg);
			break;
		case 'm':
			if (parse_mac(optarg, our_mac) || (our_mac[0] & 1))
				die("-m needs a unicast MAC");
			mac_set = true;
			break;
		case 'N':
			no_dif = true;
			break;
		case OPT_DROP:
			bad_pct("drop", optarg, &faults.drop);
			break;
		case OPT_REORDER:
			bad_pct("reorder", optarg, &faults.reorder);
			break;
		case OPT_DUP:
			bad_pct("dup", optarg, &faults.dup);
			break;
		case OPT_SEED:
			if (parse_u64(optarg, &faults.seed)) {
				fprintf(stderr,
					"eeprobe: --seed %s: seed must be a number from 0 to 2^64-1\n",
					optarg);
				exit(2);
			}
			break;
		case OPT_STATS:
			print_stats = true;
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
	if (!mac_set)
		memcpy(our_mac, port.mac, 6);
	while (!host_epoch_set && !host_epoch)
		if (getrandom(&host_epoch, sizeof(host_epoch), 0) !=
		    sizeof(host_epoch) && errno != EINTR)
			die("getrandom failed");
	srand((unsigned int)getpid());
	next_tag = (u8)(rand() & 0x3f) + 2;
	setvbuf(stdout, NULL, _IOLBF, 0);

	cmd = argv[0];
	if (!strcmp(cmd, "difs")) {
		if (argc != 2)
			usage();
		ret = cmd_difs((int)num(argv[1]));
		goto out;
	}
	if (!args_ok(cmd, argc))
		usage();
	if (!strcmp(cmd, "bad"))
		set_dst(argv[2], argv[3]);
	else
		set_dst(argv[1], argv[2]);
	if (!strcmp(cmd, "echo")) {
		ret = cmd_echo((size_t)num(argv[3]),
			       argc == 5 ? (unsigned int)num(argv[4]) : 1);
		goto out;
	}

	/* Everything else goes over the connection. */
	ret = connect_bridge();
	if (ret)
		goto out;
	if (!strcmp(cmd, "bad"))
		ret = cmd_bad(argv[1]);
	else if (!strcmp(cmd, "cfgrd"))
		ret = cmd_cfg(false, false, (u16)num(argv[3]), 0, 0xf,
			      argc == 5 ? (u16)num(argv[4]) : TARGET_ID);
	else if (!strcmp(cmd, "cfgrd1"))
		ret = cmd_cfg(false, true, (u16)num(argv[3]), 0, 0xf, 0x0200);
	else if (!strcmp(cmd, "cfgwr"))
		ret = cmd_cfg(true, false, (u16)num(argv[3]),
			      (u32)num(argv[4]),
			      argc >= 6 ? (u8)num(argv[5]) : 0xf,
			      argc == 7 ? (u16)num(argv[6]) : TARGET_ID);
	else if (!strcmp(cmd, "cfgdump"))
		ret = cmd_cfgdump();
	else if (!strcmp(cmd, "mrd"))
		ret = cmd_mrd(num(argv[3]), (unsigned int)num(argv[4]),
			      argc >= 6 ? (u8)num(argv[5]) : 0xf,
			      argc == 7 ? (u8)num(argv[6]) : 0xf);
	else if (!strcmp(cmd, "mwr"))
		ret = cmd_mwr(num(argv[3]), argc - 4, argv + 4);
	else if (!strcmp(cmd, "mrdmany"))
		ret = cmd_mrdmany(num(argv[3]), (unsigned int)num(argv[4]));
	else if (!strcmp(cmd, "testdev"))
		ret = scn_testdev(argc, argv);
	else if (!strcmp(cmd, "nvme"))
		ret = scn_nvme(argc, argv);
	else if (!strcmp(cmd, "vnet"))
		ret = scn_vnet(argc, argv);
	else
		ret = cmd_stress((u32)num(argv[3]),
				 argc == 5 ? (u32)num(argv[4]) : 8);
	disconnect(ret != 3);
out:
	net_close(&port);
	return ret;
}
