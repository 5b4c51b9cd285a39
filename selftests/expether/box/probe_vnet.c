// SPDX-License-Identifier: GPL-2.0
/*
 * eeprobe vnet MAC GID LOCAL_IP PEER_IP: play the Linux virtio-net driver
 * (virtio_pci_modern, virtio_ring split rings, virtio_net) against eebox's
 * virtio-net model from eeprobe's host memory, and exchange real packets
 * with the kernel on the other side of the model's tap: an ARP request to
 * PEER_IP out (the peer's kernel answers), an ICMP echo request in two
 * chained descriptors out and its reply in.  Also: feature negotiation
 * (FEATURES_OK refused without ACCESS_PLATFORM), MSI-X vector assignment,
 * NO_INTERRUPT, device reset and a second bring-up, INTx with the ISR.
 *
 * Prints "ok - ..." / "not ok - ..." lines, "checks N passed, M failed",
 * and "hwaddr XX:.." (the device's MAC, for the caller to look up in the
 * peer's neighbour table).
 */
#include <arpa/inet.h>
#include <stdlib.h>

#include "probe_host.h"

#define VBAR		0xa00000000ULL
#define MBAR		0xa00010000ULL		/* MSI-X, BAR2 */
#define VEC(v)		(0x50 + (v))
#define QSIZE		64
#define HDR		12
#define BUFLEN		1530			/* small-buffer mode */

/* Rings and buffers: rx in high memory, tx below 4 GiB. */
#define RX_DESC		(HOST_HIGH + 0x000000)
#define RX_AVAIL	(HOST_HIGH + 0x001000)
#define RX_USED		(HOST_HIGH + 0x002000)
#define RX_BUFS		(HOST_HIGH + 0x010000)	/* QSIZE x 2 KiB */
#define TX_DESC		(HOST_LOW + 0x000000)
#define TX_AVAIL	(HOST_LOW + 0x001000)
#define TX_USED		(HOST_LOW + 0x002000)
#define TX_BUFS		(HOST_LOW + 0x010000)

/* Found in the vendor capabilities. */
static u64 common, notify, isr, devcfg;
static u32 notify_mult;

struct ring {
	u16 q;
	u64 desc, avail, used;
	u16 avail_idx, used_seen, next_desc;
};

static struct ring rx = { 0, RX_DESC, RX_AVAIL, RX_USED, 0, 0, 0 };
static struct ring tx = { 1, TX_DESC, TX_AVAIL, TX_USED, 0, 0, 0 };

static u8 our_mac[6], peer_mac[6];
static u32 our_ip, peer_ip;

static void status_wr(u8 s)
{
	wr8(common + 20, s);
}

static u8 status_rd(void)
{
	return rd8(common + 20);
}

static bool status_zero(void *arg)
{
	(void)arg;
	return status_rd() == 0;
}

static bool find_caps(void)
{
	u32 v, ptr, off, len, bar;
	unsigned int found = 0, guard = 48;
	u8 type;

	cfg_rd(0x34, &ptr);
	ptr &= 0xfc;
	while (ptr && guard--) {
		cfg_rd((u16)ptr, &v);
		if ((v & 0xff) == 0x09) {
			type = (u8)(v >> 24);
			cfg_rd((u16)(ptr + 4), &bar);
			cfg_rd((u16)(ptr + 8), &off);
			cfg_rd((u16)(ptr + 12), &len);
			if ((bar & 0xff) != 0)
				return false;
			if (type == 1 && len >= 0x38)
				common = VBAR + off;
			else if (type == 2) {
				notify = VBAR + off;
				cfg_rd((u16)(ptr + 16), &notify_mult);
			} else if (type == 3)
				isr = VBAR + off;
			else if (type == 4)
				devcfg = VBAR + off;
			found |= 1u << type;
		}
		ptr = (v >> 8) & 0xfc;
	}
	return found == 0x1e;
}

static void set_features(u64 f)
{
	wr32(common + 8, 0);
	wr32(common + 12, (u32)f);
	wr32(common + 8, 1);
	wr32(common + 12, (u32)(f >> 32));
}

static u64 get_features(void)
{
	u64 f;

	wr32(common + 0, 0);
	f = rd32(common + 4);
	wr32(common + 0, 1);
	return f | (u64)rd32(common + 4) << 32;
}

/* Queue @r: size, addresses, vector (0xffff: none), enable. */
static u16 setup_queue(struct ring *r, u16 vector)
{
	u16 got;

	memset(host_ptr(r->desc, 0x3000), 0, 0x3000);
	r->avail_idx = r->used_seen = r->next_desc = 0;
	wr16(common + 22, r->q);
	wr16(common + 24, QSIZE);
	wr64(common + 32, r->desc);
	wr64(common + 40, r->avail);
	wr64(common + 48, r->used);
	wr16(common + 26, vector);
	got = rd16(common + 26);
	wr16(common + 28, 1);
	return got;
}

static void kick(struct ring *r)
{
	wr16(notify + (u64)r->q * notify_mult, r->q);
}

/* Add a chain of @n buffers to ring @r (no kick). */
static void add_chain(struct ring *r, const u64 *addr, const u32 *len,
		      bool write, unsigned int n)
{
	u16 head = r->next_desc, d;
	unsigned int i;
	u8 *e;

	for (i = 0; i < n; i++) {
		d = (u16)((head + i) % QSIZE);
		e = host_ptr(r->desc + 16ULL * d, 16);
		put_le64(e, addr[i]);
		put_le32(e + 8, len[i]);
		put_le16(e + 12, (u16)((write ? 2 : 0) |
				       (i + 1 < n ? 1 : 0)));
		put_le16(e + 14, (u16)((d + 1) % QSIZE));
	}
	r->next_desc = (u16)((head + n) % QSIZE);
	put_le16(host_ptr(r->avail + 4 + 2ULL * (r->avail_idx % QSIZE), 2),
		 head);
	r->avail_idx++;
	/* the index last, as virtqueue_add does (after a barrier) */
	put_le16(host_ptr(r->avail + 2, 2), r->avail_idx);
}

static u16 used_idx(const struct ring *r)
{
	return get_le16(host_ptr(r->used + 2, 2));
}

struct used_wait {
	const struct ring *r;
	u16 want;
};

static bool used_reached(void *arg)
{
	struct used_wait *w = arg;

	return (u16)(used_idx(w->r) - w->want) < 0x8000;
}

static bool wait_used(const struct ring *r, u16 want, unsigned int ms)
{
	struct used_wait w = { r, want };

	return wait_for(used_reached, &w, ms);
}

/* ---- frames ------------------------------------------------------------ */

static u16 csum(const u8 *p, size_t n)
{
	u32 s = 0;
	size_t i;

	for (i = 0; i + 1 < n; i += 2)
		s += (u32)p[i] << 8 | p[i + 1];
	if (n & 1)
		s += (u32)p[n - 1] << 8;
	while (s >> 16)
		s = (s & 0xffff) + (s >> 16);
	return (u16)~s;
}

static size_t arp_request(u8 *f)
{
	memset(f, 0, 60);
	memset(f, 0xff, 6);
	memcpy(f + 6, our_mac, 6);
	f[12] = 0x08;
	f[13] = 0x06;
	f[15] = 1;			/* Ethernet */
	f[16] = 0x08;			/* IPv4 */
	f[18] = 6;
	f[19] = 4;
	f[21] = 1;			/* request */
	memcpy(f + 22, our_mac, 6);
	memcpy(f + 28, &our_ip, 4);
	memcpy(f + 38, &peer_ip, 4);
	return 60;
}

static size_t icmp_echo(u8 *f, u16 id, u16 seq)
{
	u8 *ip = f + 14, *ic = ip + 20;
	unsigned int i;

	memcpy(f, peer_mac, 6);
	memcpy(f + 6, our_mac, 6);
	f[12] = 0x08;
	f[13] = 0x00;
	memset(ip, 0, 20);
	ip[0] = 0x45;
	ip[3] = 20 + 8 + 56;		/* total length */
	ip[6] = 0x40;			/* DF */
	ip[8] = 64;			/* TTL */
	ip[9] = 1;			/* ICMP */
	memcpy(ip + 12, &our_ip, 4);
	memcpy(ip + 16, &peer_ip, 4);
	put_le16(ip + 10, 0);
	i = csum(ip, 20);
	ip[10] = (u8)(i >> 8);
	ip[11] = (u8)i;
	ic[0] = 8;
	ic[1] = 0;
	ic[2] = ic[3] = 0;
	ic[4] = (u8)(id >> 8);
	ic[5] = (u8)id;
	ic[6] = (u8)(seq >> 8);
	ic[7] = (u8)seq;
	for (i = 0; i < 56; i++)
		ic[8 + i] = (u8)(0xa0 + i);
	i = csum(ic, 64);
	ic[2] = (u8)(i >> 8);
	ic[3] = (u8)i;
	return 14 + 20 + 64;
}

/* Send one frame: one descriptor (header + frame) or two (split). */
static void send_frame(const u8 *frame, size_t len, bool split)
{
	u64 buf = TX_BUFS + 2048ULL * (tx.next_desc % 16);
	u8 *p = host_ptr(buf, 2048);
	u64 a[2];
	u32 l[2];

	memset(p, 0, HDR);
	if (split) {
		/* the header alone, the frame 1 KiB further on */
		memcpy(p + 1024, frame, len);
		a[0] = buf;
		l[0] = HDR;
		a[1] = buf + 1024;
		l[1] = (u32)len;
		add_chain(&tx, a, l, false, 2);
	} else {
		memcpy(p + HDR, frame, len);
		a[0] = buf;
		l[0] = (u32)(HDR + len);
		add_chain(&tx, a, l, false, 1);
	}
	kick(&tx);
}

static void post_rx_buffers(unsigned int n)
{
	unsigned int i;
	u64 a;
	u32 l = BUFLEN;

	for (i = 0; i < n; i++) {
		a = RX_BUFS + 2048ULL * (rx.avail_idx % QSIZE);
		memset(host_ptr(a, 2048), 0x77, 2048);
		add_chain(&rx, &a, &l, true, 1);
	}
	kick(&rx);
}

/* The next received frame, or NULL within @ms; *len its length. */
static const u8 *next_rx(unsigned int ms, u32 *len, u16 *numbuf)
{
	const u8 *e, *b;
	u32 id;

	if (!wait_used(&rx, (u16)(rx.used_seen + 1), ms))
		return NULL;
	e = host_ptr(rx.used + 4 + 8ULL * (rx.used_seen % QSIZE), 8);
	id = get_le32(e);
	*len = get_le32(e + 4);
	rx.used_seen++;
	b = host_ptr(get_le64(host_ptr(rx.desc + 16ULL * id, 8)), BUFLEN);
	*numbuf = get_le16(b + 10);
	if (*len < HDR)
		return NULL;
	*len -= HDR;
	return b + HDR;
}

/* Wait for a received frame for which @match is true. */
static const u8 *rx_match(bool (*match)(const u8 *f, u32 len), u32 *len,
			  unsigned int ms, bool *hdr_ok)
{
	u64 end = conn_now() + ms * MS;
	const u8 *f;
	u16 nb;

	while (conn_now() < end) {
		f = next_rx(50, len, &nb);
		if (!f)
			continue;
		*hdr_ok &= nb == 1;
		if (match(f, *len))
			return f;
	}
	return NULL;
}

static bool is_arp_reply(const u8 *f, u32 len)
{
	return len >= 42 && f[12] == 0x08 && f[13] == 0x06 && f[21] == 2 &&
	       !memcmp(f + 28, &peer_ip, 4) && !memcmp(f + 32, our_mac, 6) &&
	       !memcmp(f + 38, &our_ip, 4) && !memcmp(f, our_mac, 6);
}

static u16 echo_id;

static bool is_echo_reply(const u8 *f, u32 len)
{
	return len >= 98 && f[12] == 0x08 && f[13] == 0x00 && f[23] == 1 &&
	       f[34] == 0 && f[38] == (u8)(echo_id >> 8) &&
	       f[39] == (u8)echo_id && !memcmp(f + 26, &peer_ip, 4);
}

/* ---- steps -------------------------------------------------------------- */

static bool negotiate(u64 features)
{
	status_wr(0);
	if (!wait_for(status_zero, NULL, 2000))
		return false;
	status_wr(1);
	status_wr(1 | 2);
	set_features(features);
	status_wr(1 | 2 | 8);
	return (status_rd() & 8) != 0;
}

static u64 offered;

/* Reset, negotiate, queues, DRIVER_OK, rx buffers. */
static bool bring_up(bool msix)
{
	u64 f = 1ULL << 32 | 1ULL << 33 | 1ULL << 5 | 1ULL << 16;
	u16 g1, g2;

	if (!negotiate(f))
		return false;
	wr16(common + 16, msix ? 0 : 0xffff);
	g1 = setup_queue(&rx, msix ? 1 : 0xffff);
	g2 = setup_queue(&tx, msix ? 2 : 0xffff);
	if (msix && (g1 != 1 || g2 != 2 || rd16(common + 16) != 0))
		return false;
	status_wr(1 | 2 | 8 | 4);
	post_rx_buffers(16);
	return true;
}

static bool arp_exchange(const char *what)
{
	u16 t0 = tx.avail_idx;
	u8 frame[128];
	const u8 *r;
	u32 len;
	bool hdr_ok = true;
	char desc[128];

	send_frame(frame, arp_request(frame), false);
	snprintf(desc, sizeof(desc), "%s: ARP request to the peer sent (tx used)",
		 what);
	CHECK(wait_used(&tx, (u16)(t0 + 1), 2000), desc);
	r = rx_match(is_arp_reply, &len, 2000, &hdr_ok);
	snprintf(desc, sizeof(desc),
		 "%s: the peer's kernel answers: ARP reply in an rx buffer",
		 what);
	if (!CHECK(r && hdr_ok, desc, "%s", r ? "num_buffers != 1" : "none"))
		return false;
	memcpy(peer_mac, r + 6, 6);
	return true;
}

int scn_vnet(int argc, char **argv)
{
	u64 msi_tx, msi_rx, as;
	struct in_addr a;
	u8 frame[128];
	const u8 *r;
	u32 len, v;
	u16 t0;
	bool hdr_ok = true;

	if (argc != 5 || !inet_aton(argv[3], &a))
		return 2;
	our_ip = a.s_addr;
	if (!inet_aton(argv[4], &a))
		return 2;
	peer_ip = a.s_addr;
	host_mem_init();
	host_map(HOST_LOW, 1ULL << 20, MAP_RW);
	host_map(HOST_HIGH, 4ULL << 20, MAP_RW);
	cfg_wr(0x10, (u32)VBAR | 4);
	cfg_wr(0x14, (u32)(VBAR >> 32));
	cfg_wr(0x18, (u32)MBAR | 4);
	cfg_wr(0x1c, (u32)(MBAR >> 32));
	cfg_wr(4, 0x6);
	cfg_rd(0, &v);
	CHECK(v == 0x10411af4, "1af4:1041 (modern virtio-net)", "%#x", v);
	if (!CHECK(find_caps() && notify_mult == 4,
		   "vendor capabilities COMMON, NOTIFY (multiplier 4), ISR, DEVICE in BAR0"))
		goto out;

	/* MSI-X: config 0, rx 1, tx 2 */
	for (v = 0; v < 3; v++) {
		wr64(MBAR + 16 * v, HOST_MSI);
		wr32(MBAR + 16 * v + 8, VEC(v));
		wr32(MBAR + 16 * v + 12, 0);
	}
	cfg_rd(0x84, &v);
	cfg_wr(0x84, (v & 0x3fffffff) | 1u << 31);

	status_wr(0);
	CHECK(wait_for(status_zero, NULL, 2000), "reset: status reads 0");
	offered = get_features();
	CHECK(offered == (1ULL << 32 | 1ULL << 33 | 1ULL << 5 | 1ULL << 16 |
			  1ULL << 3),
	      "features offered: VERSION_1, ACCESS_PLATFORM, MAC, STATUS, MTU",
	      "%#llx", (unsigned long long)offered);
	CHECK(!negotiate(1ULL << 32 | 1ULL << 5),
	      "FEATURES_OK does not stick without ACCESS_PLATFORM");
	CHECK(!negotiate(1ULL << 32 | 1ULL << 33 | 1ULL << 0),
	      "... nor with a feature not offered (CSUM)");
	wr16(common + 22, 1);
	CHECK(rd16(common + 18) == 2 && rd16(common + 24) == 256,
	      "2 queues of 256 entries");
	wr16(common + 22, 2);
	CHECK(rd16(common + 24) == 0, "queue 2 does not exist (size 0)");
	wr16(common + 22, 0);
	wr16(common + 26, 7);
	CHECK(rd16(common + 26) == 0xffff,
	      "a vector beyond the MSI-X table reads back NO_VECTOR");

	if (!CHECK(bring_up(true),
		   "negotiated, queues at 64 entries with vectors 1 and 2, DRIVER_OK"))
		goto out;
	for (v = 0; v < 6; v++)
		our_mac[v] = rd8(devcfg + v);
	CHECK(rd16(devcfg + 6) == 1 && rd16(devcfg + 10) == 1500,
	      "device config: link up, MTU 1500");
	printf("hwaddr %02x:%02x:%02x:%02x:%02x:%02x\n", our_mac[0],
	       our_mac[1], our_mac[2], our_mac[3], our_mac[4], our_mac[5]);

	msi_tx = hs.msi[VEC(2)];
	msi_rx = hs.msi[VEC(1)];
	if (!arp_exchange("MSI-X"))
		goto out;
	CHECK(wait_msi(VEC(2), msi_tx + 1, 1000) &&
	      wait_msi(VEC(1), msi_rx + 1, 1000),
	      "tx and rx interrupts on their MSI-X vectors");

	/* ICMP echo in two descriptors (header, frame), its reply back */
	echo_id = 0x4545;
	t0 = tx.avail_idx;
	send_frame(frame, icmp_echo(frame, echo_id, 1), true);
	CHECK(wait_used(&tx, (u16)(t0 + 1), 2000),
	      "ICMP echo request in a two-descriptor chain sent");
	r = rx_match(is_echo_reply, &len, 2000, &hdr_ok);
	CHECK(r && !memcmp(r + 42, frame + 42, 56) && !memcmp(r, our_mac, 6) &&
	      !memcmp(r + 6, peer_mac, 6),
	      "the echo reply arrives, payload intact");

	/* NO_INTERRUPT on tx: used, but no interrupt */
	put_le16(host_ptr(tx.avail, 2), 1);
	msi_tx = hs.msi[VEC(2)];
	t0 = tx.avail_idx;
	send_frame(frame, arp_request(frame), false);
	CHECK(wait_used(&tx, (u16)(t0 + 1), 2000), "tx with NO_INTERRUPT: used");
	idle_ms(30);
	CHECK(hs.msi[VEC(2)] == msi_tx, "... and no interrupt");
	put_le16(host_ptr(tx.avail, 2), 0);

	/* reset: everything back to its reset value */
	status_wr(0);
	CHECK(wait_for(status_zero, NULL, 2000), "device reset: status 0");
	wr16(common + 22, 0);
	v = rd16(common + 28) | (u32)rd16(common + 26) << 16;
	wr32(common + 8, 0);
	CHECK(v == 0xffff0000 && rd32(common + 12) == 0 &&
	      rd16(common + 16) == 0xffff,
	      "... queue disabled, vectors NO_VECTOR, driver features 0",
	      "%#x", v);
	if (CHECK(bring_up(true), "second bring-up (driver rebind)"))
		arp_exchange("after reset");

	/* INTx: MSI-X off, no vectors: ISR bit 0 and Assert_INTx */
	cfg_rd(0x84, &v);
	cfg_wr(0x84, v & 0x3fffffff);
	as = hs.intx_assert;
	if (CHECK(bring_up(false), "bring-up without MSI-X")) {
		t0 = tx.avail_idx;
		send_frame(frame, arp_request(frame), false);
		wait_used(&tx, (u16)(t0 + 1), 2000);
		idle_ms(30);
		CHECK(hs.intx && hs.intx_assert > as, "INTx asserted");
		v = rd8(isr);
		idle_ms(20);
		CHECK((v & 1) && !hs.intx && !rd8(isr),
		      "reading the ISR returns the queue bit, clears it and deasserts INTx",
		      "isr %#x", v);
	}
	status_wr(0);
	wait_for(status_zero, NULL, 2000);
	CHECK(!hs.bad_req_id && !hs.too_long && !hs.other &&
	      !hs.mwr_refused && !hs.mrd_ur,
	      "every device request: its own requester ID, within MRRS/MPS, mapped",
	      "bad requester %llu, too long %llu, other %llu, refused %llu, UR %llu",
	      (unsigned long long)hs.bad_req_id,
	      (unsigned long long)hs.too_long, (unsigned long long)hs.other,
	      (unsigned long long)hs.mwr_refused,
	      (unsigned long long)hs.mrd_ur);
	CHECK(!mmio_failures, "no config or MMIO request failed", "%u",
	      mmio_failures);
out:
	host_mem_free();
	return scn_status();
}
