// SPDX-License-Identifier: GPL-2.0
/*
 * expether PEB bench: the RTL bridge (peb_top, Verilated) against a host
 * built on the shared transport, net/expether/ee_link.c (Go-Back-N, rate
 * probes, pacing, the retransmit ring; compiled unchanged), over a channel
 * that drops, duplicates, reorders and delays frames in both directions.
 * A device model behind the bridge completes the host's reads and sends
 * DMA writes and messages of its own.
 *
 * Checked: every TLP each side sends reaches the other side exactly once,
 * in order and byte for byte -- except TLPs that a connection change
 * (the host restarting, the bridge taking a new epoch, a peer declared
 * dead) legitimately flushed, and every TLP queued after the last change
 * must arrive; every frame the bridge sends parses (ee_frame_parse); the
 * bridge answers the host's rate probes (probe echoes); the bridge
 * retransmits, and counts no malformed frame.
 *
 *   stress [SEED [MICROSECONDS]]
 */
#include <string>

#include "peb_drv.h"

static const uint8_t HOST_MAC[6] = { 0x02, 0x00, 0x00, 0x00, 0x00, 0x01 };
static const uint8_t PEB_MAC[6] = { 0x02, 0xee, 0x00, 0x00, 0x00, 0x01 };
static const uint16_t GID = 5;
static const unsigned int CYCLES_PER_US = 8;

/* The last events, printed when something goes wrong. */
static std::deque<std::string> trail;
static void note(const char *fmt, ...) __attribute__((format(printf, 1, 2)));
static void note(const char *fmt, ...)
{
	char b[256];
	va_list ap;

	va_start(ap, fmt);
	vsnprintf(b, sizeof(b), fmt, ap);
	va_end(ap);
	trail.push_back(b);
	if (trail.size() > 60)
		trail.pop_front();
}

/* One direction of TLPs and what the receiver must see of it. */
struct Stream {
	const char *name;
	struct Exp {
		Bytes b;
		uint64_t conn;	/* connection changes when it was sent */
	};
	std::deque<Exp> exp;
	uint64_t sent = 0, delivered = 0, flushed = 0;
	bool bad = false;

	void push(const Bytes &b, uint64_t conn) { exp.push_back({ b, conn }); sent++; }

	void deliver(const Bytes &b, uint64_t conn_now, uint64_t us)
	{
		while (!exp.empty() && exp.front().b != b && exp.front().conn < conn_now) {
			exp.pop_front();
			flushed++;
		}
		if (!exp.empty() && exp.front().b == b) {
			exp.pop_front();
			delivered++;
			return;
		}
		if (!bad) {
			printf("# %s: at %" PRIu64 " us, unexpected TLP of %zu bytes (%s), %zu expected\n",
			       name, us, b.size(),
			       exp.empty() ? "nothing was due" : "out of order, duplicate or corrupt",
			       exp.size());
			char s[160];
			struct ee_tlp t;
			if (ee_tlp_parse(b.data(), b.size(), &t) > 0) {
				ee_tlp_format(s, sizeof(s), &t);
				printf("#   got:      %s\n", s);
			}
			if (!exp.empty() && ee_tlp_parse(exp.front().b.data(), exp.front().b.size(), &t) > 0) {
				ee_tlp_format(s, sizeof(s), &t);
				printf("#   expected: %s (sent in connection %" PRIu64 ", now %" PRIu64 ")\n",
				       s, exp.front().conn, conn_now);
			}
			for (auto &l : trail)
				printf("#   | %s\n", l.c_str());
		}
		bad = true;
	}
};

struct Chan {
	struct F {
		uint64_t at;
		Bytes b;
	};
	std::vector<F> q;
	unsigned int drop = 0, dup = 0, reorder = 0;
	uint64_t dropped = 0, duplicated = 0;

	void send(Rng &r, uint64_t now, const Bytes &b)
	{
		if (r.pct(drop)) {
			dropped++;
			return;
		}
		uint64_t at = now + 10 + (r.pct(reorder) ? r.below(60) : 0);
		q.push_back({ at, b });
		if (r.pct(dup)) {
			q.push_back({ at + r.below(30), b });
			duplicated++;
		}
	}

	bool pop(uint64_t now, Bytes &out)
	{
		size_t best = q.size();

		for (size_t i = 0; i < q.size(); i++)
			if (q[i].at <= now && (best == q.size() || q[i].at < q[best].at))
				best = i;
		if (best == q.size())
			return false;
		out = q[best].b;
		q.erase(q.begin() + (long)best);
		return true;
	}
};

class Stress {
public:
	Stress(uint64_t seed, uint64_t us) : rng(seed), run_us(us) {}
	int run();

private:
	Rng rng;
	uint64_t run_us;
	uint64_t now_us = 1000;
	PebDrv peb;
	Chan to_peb, to_host;
	Stream h2d = { "host->device", {}, 0, 0, 0, false };
	Stream d2h = { "device->host", {}, 0, 0, 0, false };
	uint64_t conn_changes = 0;

	/* the host */
	struct ee_link link;
	void *ring = nullptr;
	uint32_t host_epoch = 0x1000;
	bool attached = false;
	uint32_t peb_epoch = 0;
	uint64_t next_dif = 0;
	std::deque<Bytes> backlog;	/* payloads waiting for the ring */
	uint64_t host_rx_bad = 0, host_rx_frames = 0, host_difs_seen = 0;
	uint32_t peb_gen = 0;
	bool faults = true;
	bool peb_open = false;
	unsigned int tag = 0;
	uint32_t serial = 0;	/* makes every TLP of the run unique */

	uint64_t ns() const { return now_us * 1000; }
	void host_dif();
	void host_rx(const Bytes &b);
	void host_pump();
	void host_requests();
	void device();
	void poll_peb();
	void step();
	Bytes random_request();
};

static Bytes tlp_bytes(const struct ee_tlp *t)
{
	Bytes b(EE_TLP_MAX_HDR + EE_TLP_MAX_DW * 4);
	int n = ee_tlp_build(b.data(), b.size(), t);

	if (n < 0) {
		fprintf(stderr, "stress: cannot build a TLP: %s\n", ee_err_str(-n));
		exit(2);
	}
	b.resize((size_t)n);
	return b;
}

void Stress::host_dif()
{
	Bytes b = sim_host_dif(HOST_MAC, GID, host_epoch, 5,
			       0x020000000001ull);

	to_peb.send(rng, now_us, b);
	next_dif = now_us + 5000;
}

void Stress::host_rx(const Bytes &b)
{
	struct ee_frame f;
	struct ee_dif d;
	struct ee_gbn_rx_info ri;
	int r = ee_frame_parse(b.data(), b.size(), EXPETHER_ETHERTYPE_DEFAULT, &f);

	host_rx_frames++;
	if (r) {
		if (!host_rx_bad)
			printf("# the host cannot parse a frame from the bridge: %s\n", ee_err_str(-r));
		host_rx_bad++;
		return;
	}
	if (f.hdr.type == EXPETHER_FT_DIF) {
		if (ee_dif_parse(f.payload, f.hdr.length, &d) || d.role != EXPETHER_ROLE_IO ||
		    memcmp(d.mac, PEB_MAC, 6) || d.gid != GID) {
			host_rx_bad++;
			return;
		}
		host_difs_seen++;
		if (!attached || d.epoch != peb_epoch) {
			/* attach: a new connection, and our DIF at once */
			attached = true;
			peb_epoch = d.epoch;
			ee_link_reset(&link, host_epoch, peb_epoch, ns());
			backlog.clear();
			conn_changes++;
			note("%" PRIu64 " host attaches to epoch %08x", now_us, peb_epoch);
			host_dif();
		}
		return;
	}
	if (f.hdr.type != EXPETHER_FT_TLP && f.hdr.type != EXPETHER_FT_ACK) {
		host_rx_bad++;
		return;
	}
	if (!attached)
		return;
	r = ee_link_rx(&link, ns(), &f.hdr, &ri);
	if (ri.events & EE_GBN_EV_RESTART) {
		conn_changes++;
		note("%" PRIu64 " host: peer restart", now_us);
	}
	if (r != EE_GBN_DELIVER)
		return;
	const uint8_t *p = f.payload;
	size_t len = f.hdr.length;
	while (len) {
		struct ee_tlp t;
		int n = ee_tlp_parse(p, len, &t);
		if (n <= 0) {
			host_rx_bad++;
			return;
		}
		d2h.deliver(Bytes(p, p + n), conn_changes, now_us);
		p += n;
		len -= (size_t)n;
	}
}

void Stress::host_pump()
{
	struct ee_frame f;
	const uint8_t *payload;
	Bytes b(1600);

	while (!backlog.empty() &&
	       ee_link_queue(&link, backlog.front().data(), (u32)backlog.front().size()) == 0)
		backlog.pop_front();
	memset(&f, 0, sizeof(f));
	memcpy(f.dst, PEB_MAC, 6);
	memcpy(f.src, HOST_MAC, 6);
	f.tci = GID;
	f.ethertype = EXPETHER_ETHERTYPE_DEFAULT;
	for (;;) {
		int out = ee_link_next(&link, ns(), &f.hdr, &payload);
		if (out == EE_LINK_NONE)
			break;
		b.resize(1600);
		int n = ee_frame_build(b.data(), b.size(), &f, payload, f.hdr.length);
		b.resize((size_t)n);
		if (out == EE_LINK_NEW || out == EE_LINK_RTX) {
			char tags[64] = "";
			size_t o = 0, tl = 0;
			while (o < f.hdr.length && tl < sizeof(tags) - 4) {
				struct ee_tlp t;
				int k = ee_tlp_parse(payload + o, f.hdr.length - o, &t);
				if (k <= 0)
					break;
				tl += (size_t)snprintf(tags + tl, sizeof(tags) - tl, " %02x", t.tag);
				o += (size_t)k;
			}
			note("%" PRIu64 " host %s seq %08x tags%s", now_us,
			     out == EE_LINK_NEW ? "new" : "rtx", f.hdr.seq, tags);
		}
		to_peb.send(rng, now_us, b);
	}
}

Bytes Stress::random_request()
{
	struct ee_tlp t;
	uint8_t data[EE_TLP_MAX_DW * 4];
	unsigned int k = rng.below(10);
	uint32_t sn = ++serial;

	memset(&t, 0, sizeof(t));
	for (size_t i = 0; i < sizeof(data); i++)
		data[i] = (uint8_t)rng.u32();
	ee_put_be32(data, sn);
	t.req_id = 0x0008;
	t.tag = (uint8_t)tag++;
	if (k < 4) {
		t.kind = EE_TLP_MWR;
		t.length = (u16)(1 + rng.below(k == 0 ? 128 : 16));
		t.addr = (rng.pct(50) ? 0x100000000ull : 0) + 0xfe000000u + 8 * rng.below(256);
		t.first_be = 0xf;
		t.last_be = t.length > 1 ? 0xf : 0;
		t.data = data;
	} else if (k < 6) {
		t.kind = EE_TLP_MRD;
		t.length = (u16)(1 + rng.below(32));
		t.addr = ((uint64_t)(sn & 0xffffff) << 32) + 0xfe000000u + 128 * rng.below(16);
		t.first_be = 0xf;
		t.last_be = t.length > 1 ? 0xf : 0;
	} else if (k < 8) {
		ee_tlp_init_cfg(&t, k == 7, false, 0x0008, (u8)sn, (u16)(sn >> 8),
				(u16)(4 * rng.below(1024)), 0xf, data);
	} else if (k < 9) {
		t.kind = EE_TLP_MSG;
		t.msg_code = 0x20;
		t.msg_routing = 4;
		ee_put_be32(t.msg_bytes, sn);
	} else {
		t.kind = EE_TLP_MWR;
		t.length = 1;
		t.addr = 0xfe000000u + 4 * rng.below(1024);
		t.first_be = 0xf;
		t.data = data;
	}
	return tlp_bytes(&t);
}

void Stress::host_requests()
{
	if (!attached || backlog.size() > 32 || !ee_link_open(&link))
		return;
	/* one to three TLPs per frame */
	Bytes payload;
	unsigned int n = 1 + rng.below(3);
	for (unsigned int i = 0; i < n; i++) {
		Bytes t = random_request();
		if (payload.size() + t.size() > EXPETHER_MAX_PAYLOAD)
			break;
		h2d.push(t, conn_changes);
		payload.insert(payload.end(), t.begin(), t.end());
	}
	backlog.push_back(payload);
}

/* The device: serve what the bridge delivers, and send DMA of its own. */
void Stress::device()
{
	while (!peb.dev_tlps.empty()) {
		Bytes b = peb.dev_tlps.front();
		struct ee_tlp t, c;
		uint8_t data[EE_TLP_MAX_DW * 4];

		peb.dev_tlps.pop_front();
		note("%" PRIu64 " device gets tag %02x", now_us, b.size() > 6 ? b[6] : 0);
		h2d.deliver(b, conn_changes, now_us);
		if (ee_tlp_parse(b.data(), b.size(), &t) <= 0)
			continue;
		for (size_t i = 0; i < sizeof(data); i++)
			data[i] = (uint8_t)rng.u32();
		if (t.kind == EE_TLP_MRD) {
			ee_tlp_init_cpl(&c, &t, 0x0100, EE_CPL_SC, data, t.length,
					(u16)(t.length * 4), (u8)(t.addr & 0x7f));
		} else if (t.kind == EE_TLP_CFGRD0) {
			ee_tlp_init_cpl(&c, &t, 0x0100, EE_CPL_SC, data, 1, 4, 0);
		} else if (t.kind == EE_TLP_CFGWR0) {
			/* (a unique completer ID: the bench's TLPs never repeat) */
			ee_tlp_init_cpl(&c, &t, (u16)++serial, EE_CPL_SC, NULL, 0, 4, 0);
		} else {
			continue;
		}
		Bytes cb = tlp_bytes(&c);
		d2h.push(cb, conn_changes);
		peb.dev_send(cb);
	}
	/* DMA writes and interrupts of the device's own */
	if (faults && peb_open && peb.dev_pending() < 8 && rng.pct(60)) {
		struct ee_tlp t;
		uint8_t data[EE_TLP_MAX_DW * 4];

		for (size_t i = 0; i < sizeof(data); i++)
			data[i] = (uint8_t)rng.u32();
		ee_put_be32(data, ++serial);
		memset(&t, 0, sizeof(t));
		t.req_id = 0x0100;
		if (rng.pct(90)) {
			t.kind = EE_TLP_MWR;
			t.length = (u16)(1 + rng.below(64));
			t.addr = 0x123456000ull + 4 * rng.below(64);
			t.first_be = 0xf;
			t.last_be = t.length > 1 ? 0xf : 0;
			t.data = data;
		} else {
			t.kind = EE_TLP_MSG;
			t.msg_code = 0x20;
			t.msg_routing = 4;
			ee_put_be32(t.msg_bytes, serial);
		}
		Bytes b = tlp_bytes(&t);
		d2h.push(b, conn_changes);
		peb.dev_send(b);
	}
}

/* The bridge's connection changes count like the host's: it opens,
 * closes, dies or follows a peer SYN into another generation.
 */
void Stress::poll_peb()
{
	uint32_t st = peb.csr_read(PEB_STATUS);
	uint32_t gen = peb.csr_read(PEB_GEN);
	bool open = (st & 2) != 0;

	if (open != peb_open || gen != peb_gen) {
		conn_changes++;
		note("%" PRIu64 " bridge connection %s, generation %u", now_us,
		     open ? "open" : "closed", gen);
	}
	peb_open = open;
	peb_gen = gen;
}

void Stress::step()
{
	Bytes b;

	/* the bridge runs for one microsecond */
	for (unsigned int i = 0; i < CYCLES_PER_US; i++)
		peb.tick(i == 0 ? 1 : 0);
	now_us++;
	while (!peb.tx_frames.empty()) {
		to_host.send(rng, now_us, peb.tx_frames.front());
		peb.tx_frames.pop_front();
	}
	while (to_peb.pop(now_us, b))
		peb.send(b);
	while (to_host.pop(now_us, b))
		host_rx(b);
	device();
	if (now_us >= next_dif)
		host_dif();
	if (attached) {
		if (ns() >= ee_link_deadline(&link)) {
			u32 ev = ee_link_timer(&link, ns());
			if (ev & EE_GBN_EV_DEAD)
				conn_changes++;
		}
		if (faults && rng.pct(25))
			host_requests();
		host_pump();
	}
	poll_peb();
}

int Stress::run()
{
	Checks ck;
	struct ee_link_cfg cfg;

	peb.rng = &rng;
	peb.mac_ready_pct = 90;
	peb.dev_ready_pct = 80;
	ee_link_cfg_default(&cfg);
	ring = malloc(ee_link_ring_size(&cfg));
	ee_link_init(&link, &cfg, ring);

	peb.reset(0x0e0e0001);
	peb.set_mac(PEB_MAC);
	peb.csr_write(PEB_GID, GID);
	peb.csr_write(PEB_DIF_INTERVAL, 5);
	peb.csr_write(PEB_BRIDGE_ID_HI, 0x02ee);
	peb.csr_write(PEB_BRIDGE_ID_LO, 0x00000001);
	peb.csr_write(PEB_DEV_ID, 0x1033ee01);
	peb.set_gbn_cfg(&cfg.gbn);
	peb.csr_write(PEB_CTRL, PEB_CTRL_ENABLE | PEB_CTRL_PRESENT);
	ck.ok(peb.csr_read(PEB_ID) == 0x50454231, "the ID register reads \"PEB1\"");

	to_peb.drop = to_host.drop = 3;
	to_peb.dup = to_host.dup = 2;
	to_peb.reorder = to_host.reorder = 10;
	host_dif();

	uint64_t t_host_restart = run_us / 3, t_peb_restart = 2 * run_us / 3;
	uint64_t changes_before = 0;
	while (now_us < run_us) {
		step();
		if (now_us == t_host_restart) {
			/* the host restarts: a new epoch, our DIF at once */
			host_epoch++;
			attached = false;
			host_dif();
		}
		if (now_us == t_peb_restart)
			peb.csr_write(PEB_EPOCH, 0x0e0e0002);
	}
	/* drain without faults */
	faults = false;
	to_peb.drop = to_host.drop = to_peb.dup = to_host.dup = 0;
	to_peb.reorder = to_host.reorder = 0;
	poll_peb();
	changes_before = conn_changes;
	uint64_t deadline = now_us + 500000;
	while (now_us < deadline) {
		step();
		if (ee_link_occupancy(&link) == 0 && backlog.empty() && peb.dev_pending() == 0 &&
		    h2d.exp.empty() && d2h.exp.empty() && peb.rx_idle() && to_peb.q.empty() &&
		    to_host.q.empty() && peb.csr_read(PEB_SND_UNA) == peb.csr_read(PEB_SND_NXT))
			break;
	}
	poll_peb();

	uint32_t cnt[C_COUNT];
	for (int i = 0; i < C_COUNT; i++)
		cnt[i] = peb.counter((unsigned int)i);
	printf("# %" PRIu64 " us, %" PRIu64 " cycles; host->device: %" PRIu64 " TLPs sent, %" PRIu64 " delivered, %" PRIu64 " flushed; device->host: %" PRIu64 " sent, %" PRIu64 " delivered, %" PRIu64 " flushed; %" PRIu64 " connection changes\n",
	       now_us, peb.cycles, h2d.sent, h2d.delivered, h2d.flushed, d2h.sent,
	       d2h.delivered, d2h.flushed, conn_changes);
	printf("# channel: to the bridge %" PRIu64 " dropped, %" PRIu64 " duplicated; to the host %" PRIu64 " dropped, %" PRIu64 " duplicated\n",
	       to_peb.dropped, to_peb.duplicated, to_host.dropped, to_host.duplicated);
	printf("# bridge:");
	for (int i = 0; i < 20; i++)
		printf(" %s %u", peb_gbn_stat_names[i], cnt[C_GBN + i]);
	printf("; rx_frames %u malformed %u overflow %u no_conn %u host_difs %u; tx_frames %u difs %u tlps %u dropped %u\n",
	       cnt[C_RX_FRAMES], cnt[C_RX_MALFORMED], cnt[C_RX_OVERFLOW], cnt[C_RX_NO_CONN],
	       cnt[C_HOST_DIFS], cnt[C_TX_FRAMES], cnt[C_TX_DIFS], cnt[C_TX_TLPS],
	       cnt[C_TX_TLPS_DROPPED]);
	printf("# bridge malformed by ee_err code 1..9:");
	for (int i = 0; i < 9; i++)
		printf(" %u", cnt[C_RX_ERR1 + i]);
	printf("\n");
	printf("# host: %" PRIu64 " frames from the bridge, %" PRIu64 " DIFs, probes sent %" PRIu64 ", echoes %" PRIu64 ", rtx %" PRIu64 ", timeouts %" PRIu64 ", srtt %" PRIu64 " us\n",
	       host_rx_frames, host_difs_seen, (uint64_t)link.r.st.probes_sent,
	       (uint64_t)link.g.st.rx_probe_echoes, (uint64_t)link.g.st.rtx_frames,
	       (uint64_t)link.g.st.timeouts, (uint64_t)(link.g.srtt_ns / 1000));

	if (!d2h.exp.empty() || !h2d.exp.empty()) {
		char str[200];
		struct ee_tlp t;
		Stream *st = d2h.exp.empty() ? &h2d : &d2h;
		if (ee_tlp_parse(st->exp.front().b.data(), st->exp.front().b.size(), &t) > 0) {
			ee_tlp_format(str, sizeof(str), &t);
			printf("# %s: first left: %s (connection %" PRIu64 ")\n", st->name, str,
			       st->exp.front().conn);
		}
		printf("# bridge rto %u ns, srtt %u ns, now %u us, timeouts %u, rtx %u, tx frames %u\n", peb.csr_read(PEB_RTO_NS), peb.csr_read(PEB_SRTT_NS), peb.csr_read(PEB_NOW_US), peb.counter(C_GBN + 14), peb.counter(C_GBN + 1), peb.counter(C_TX_FRAMES));
		printf("# bridge status %#x una %08x nxt %08x; device queue %zu; host link occupancy %u, rcv_nxt %08x, state %u\n",
		       peb.csr_read(PEB_STATUS), peb.csr_read(PEB_SND_UNA), peb.csr_read(PEB_SND_NXT),
		       peb.dev_pending(), ee_link_occupancy(&link), link.g.rcv_nxt, link.g.state);
		for (auto &l : trail)
			printf("#   | %s\n", l.c_str());
	}
	ck.ok(!h2d.bad, "every host request reached the device once, in order, byte for byte");
	ck.ok(!d2h.bad, "every device TLP reached the host once, in order, byte for byte");
	ck.ok(h2d.exp.empty() && d2h.exp.empty(),
	      "all TLPs delivered after the last connection change (%zu and %zu left)",
	      h2d.exp.size(), d2h.exp.size());
	ck.ok(conn_changes == changes_before,
	      "no connection change while draining");
	ck.ok(h2d.delivered > 1000 && d2h.delivered > 1000,
	      "real traffic: %" PRIu64 " and %" PRIu64 " TLPs delivered", h2d.delivered, d2h.delivered);
	ck.ok(host_rx_bad == 0, "every frame of the bridge parses (%" PRIu64 " did not)", host_rx_bad);
	ck.ok(cnt[C_RX_MALFORMED] == 0, "the bridge counted no malformed frame");
	ck.ok(cnt[C_GBN + 1] > 0 && cnt[C_GBN + 4] > 0 && cnt[C_GBN + 5] > 0,
	      "the bridge retransmitted and saw duplicates and gaps");
	ck.ok(cnt[C_GBN + 12] > 0 && link.g.st.rx_probe_echoes > 0,
	      "the bridge answered the host's rate probes");
	ck.ok(cnt[C_GBN + 16] >= 3 && host_difs_seen > 10,
	      "connections opened on DIFs (host restart, bridge restart): %u", cnt[C_GBN + 16]);
	free(ring);
	return ck.done("stress");
}

int main(int argc, char **argv)
{
	uint64_t seed = argc > 1 ? strtoull(argv[1], NULL, 0) : 1;
	uint64_t us = argc > 2 ? strtoull(argv[2], NULL, 0) : 300000;
	Stress s(seed, us);

	printf("# stress seed %" PRIu64 "\n", seed);
	return s.run();
}
