/* SPDX-License-Identifier: GPL-2.0 */
/*
 * expether PEB benches: a driver around the Verilated peb_top: clock,
 * registers, Ethernet frames in and out (AXI stream), TLPs in and out
 * (the verilog-pcie style stream of the device side), counters.
 * Shared by the stress bench and the co-simulation.
 */
#ifndef _PEB_DRV_H
#define _PEB_DRV_H

#include <deque>
#include <vector>

#include "Vpeb_top.h"
#include "verilated.h"

#include "harness.h"

/* Register map (peb_csr.v, Documentation/expether/peb-rtl.rst). */
enum {
	PEB_ID = 0x000, PEB_PARAMS = 0x004, PEB_CTRL = 0x008, PEB_STATUS = 0x00c,
	PEB_MAC_HI = 0x010, PEB_MAC_LO = 0x014, PEB_GID = 0x018,
	PEB_ETHERTYPE = 0x01c, PEB_DIF_INTERVAL = 0x020,
	PEB_BRIDGE_ID_HI = 0x024, PEB_BRIDGE_ID_LO = 0x028, PEB_EPOCH = 0x02c,
	PEB_DEV_ID = 0x030, PEB_CLASS_REV = 0x034, PEB_SUBSYS = 0x038,
	PEB_ACK_DELAY_MAX_US = 0x03c,
	PEB_WINDOW = 0x040, PEB_ACK_EVERY = 0x044, PEB_DUPTHRESH = 0x048,
	PEB_MAX_TIMEOUTS = 0x04c, PEB_RTO_INIT_US = 0x050,
	PEB_RTO_MIN_US = 0x054, PEB_RTO_MAX_US = 0x058,
	PEB_ACK_DELAY_US = 0x05c, PEB_HOST_MAC_HI = 0x060,
	PEB_HOST_MAC_LO = 0x064, PEB_HOST_EPOCH = 0x068, PEB_GEN = 0x06c,
	PEB_SND_UNA = 0x070, PEB_SND_NXT = 0x074, PEB_RCV_NXT = 0x078,
	PEB_SRTT_NS = 0x080, PEB_RTTVAR_NS = 0x084, PEB_RTO_NS = 0x088,
	PEB_NOW_US = 0x08c, PEB_MGMT_COUNTER_HI = 0x090,
	PEB_MGMT_COUNTER_LO = 0x094, PEB_MGMT_RESULT = 0x098,
	PEB_MGMT_KEY = 0x0a0, PEB_COUNTERS = 0x100,
};

#define PEB_CTRL_ENABLE		0x1
#define PEB_CTRL_PRESENT	0x2
#define PEB_CTRL_MGMT		0x4

/* Counter indices (peb_top.v, cnt_inc). */
enum {
	C_RX_FRAMES, C_RX_MALFORMED, C_RX_ERR1, C_RX_WRONG_GID = 11,
	C_RX_OVERFLOW, C_RX_BAD_FCS, C_RX_BAD_DIFS, C_RX_IGNORED, C_RX_NO_CONN,
	C_HOST_DIFS, C_HOSTS_OTHER, C_RX_TLPS, C_TX_TLPS, C_TX_TLPS_DROPPED,
	C_TX_FRAMES, C_TX_DIFS, C_TX_ECHOES, C_MGMT_ACCEPTED, C_MGMT_REJECTED,
	C_GBN, /* + index of struct ee_gbn_stats in peb_gbn's stat */
	C_RESTARTS = 47,
	C_COUNT
};
static const char *const peb_gbn_stat_names[20] = {
	"tx_frames", "rtx_frames", "tx_acks", "rx_frames", "rx_dup", "rx_ooo",
	"rx_stale", "rx_unseq", "rx_ignored", "rx_acks", "rx_bad_acks",
	"rx_dupacks", "rx_probes", "rx_probe_echoes", "timeouts", "fast_rtx",
	"resets", "peer_restarts", "deaths", "rtt_samples",
};

typedef std::vector<uint8_t> Bytes;

/* A frame from @src to @dst in group @gid (the 802.1Q VID), ExpEther
 * header @h (version and length filled in), @payload after it.
 */
static inline Bytes sim_frame(const uint8_t *dst, const uint8_t *src,
			      uint16_t gid, const struct ee_hdr &h,
			      const uint8_t *payload, size_t len)
{
	struct ee_frame f;
	Bytes b(1600);

	memset(&f, 0, sizeof(f));
	memcpy(f.dst, dst, 6);
	memcpy(f.src, src, 6);
	f.tci = gid;
	f.ethertype = EXPETHER_ETHERTYPE_DEFAULT;
	f.hdr = h;
	f.hdr.version = EXPETHER_VERSION;
	int n = ee_frame_build(b.data(), b.size(), &f, payload, len);
	b.resize(n < 0 ? 0 : (size_t)n);
	return b;
}

/* The broadcast DIF of a host bridge. */
static inline Bytes sim_host_dif(const uint8_t *mac, uint16_t gid,
				 uint32_t epoch, uint16_t interval_ms,
				 uint64_t bridge_id)
{
	static const uint8_t bcast[6] = { 0xff, 0xff, 0xff, 0xff, 0xff, 0xff };
	uint8_t p[EXPETHER_DIF_LEN];
	struct ee_dif d;
	struct ee_hdr h;

	memset(&d, 0, sizeof(d));
	d.role = EXPETHER_ROLE_HOST;
	d.interval_ms = interval_ms;
	memcpy(d.mac, mac, 6);
	d.gid = gid;
	d.bridge_id = bridge_id;
	d.epoch = epoch;
	ee_dif_put(p, &d);
	memset(&h, 0, sizeof(h));
	h.type = EXPETHER_FT_DIF;
	return sim_frame(bcast, mac, gid, h, p, sizeof(p));
}

class PebDrv {
public:
	VerilatedContext *ctx;
	Vpeb_top *m;
	uint64_t cycles = 0;
	/* frames the bridge sent, whole */
	std::deque<Bytes> tx_frames;
	/* TLPs the bridge gave the device, in wire order */
	std::deque<Bytes> dev_tlps;
	/* the MAC's and the device's readiness, chosen per cycle */
	unsigned int mac_ready_pct = 100, dev_ready_pct = 100;
	/* idle cycles between frames given to the bridge */
	unsigned int rx_gap = 1;
	/* beats that moved: into the bridge, out of it; frames */
	uint64_t rx_beats = 0, tx_beats = 0, rx_count = 0, tx_count = 0;
	/* a 10GbE MAC: 2.5 beats (preamble and gap, 20 bytes) between frames
	 * in both directions (rx_gap is then ignored)
	 */
	bool mac_ifg = false;
	Rng *rng = nullptr;

	PebDrv()
	{
		ctx = new VerilatedContext;
		m = new Vpeb_top(ctx);
	}
	~PebDrv()
	{
		m->final();
		delete m;
		delete ctx;
	}

	void reset(uint32_t epoch)
	{
		m->init_epoch = epoch;
		m->rst = 1;
		for (int i = 0; i < 8; i++)
			tick();
		m->rst = 0;
		tick();
	}

	void csr_write(uint32_t addr, uint32_t val)
	{
		m->csr_addr = addr;
		m->csr_wr_data = val;
		m->csr_wr_en = 1;
		tick();
		m->csr_wr_en = 0;
	}

	uint32_t csr_read(uint32_t addr)
	{
		m->csr_addr = addr;
		m->csr_rd_en = 1;
		tick();
		m->csr_rd_en = 0;
		m->eval();
		return m->csr_rd_data;
	}

	uint32_t counter(unsigned int i) { return csr_read(PEB_COUNTERS + 4 * i); }

	void set_mac(const uint8_t mac[6])
	{
		csr_write(PEB_MAC_HI, (uint32_t)mac[0] << 8 | mac[1]);
		csr_write(PEB_MAC_LO, (uint32_t)mac[2] << 24 | (uint32_t)mac[3] << 16 |
			  (uint32_t)mac[4] << 8 | mac[5]);
	}

	/* The transport settings of struct ee_gbn_cfg, in microseconds. */
	void set_gbn_cfg(const struct ee_gbn_cfg *c)
	{
		csr_write(PEB_WINDOW, c->window);
		csr_write(PEB_ACK_EVERY, c->ack_every);
		csr_write(PEB_DUPTHRESH, c->dupthresh);
		csr_write(PEB_MAX_TIMEOUTS, c->max_timeouts);
		csr_write(PEB_RTO_INIT_US, (uint32_t)(c->rto_init_ns / 1000));
		csr_write(PEB_RTO_MIN_US, (uint32_t)(c->rto_min_ns / 1000));
		csr_write(PEB_RTO_MAX_US, (uint32_t)(c->rto_max_ns / 1000));
		csr_write(PEB_ACK_DELAY_US, (uint32_t)(c->ack_delay_ns / 1000));
		csr_write(PEB_ACK_DELAY_MAX_US, (uint32_t)(c->ack_delay_max_ns / 1000));
	}

	/* A frame for the bridge's receive side. */
	void send(const Bytes &f) { rx_queue.push_back(f); }
	bool rx_idle() const { return rx_queue.empty() && rx_pos == 0; }

	/* A TLP (wire bytes) from the device. */
	void dev_send(const Bytes &t) { dev_queue.push_back(t); }
	size_t dev_pending() const { return dev_queue.size(); }

	/* One clock cycle, advancing the bridge's clock by inc_us. */
	void tick(unsigned int inc_us = 0)
	{
		drive_rx();
		drive_dev();
		m->m_axis_tready = pick(mac_ready_pct) && !tx_ifg_left;
		if (tx_ifg_left)
			tx_ifg_left--;
		m->m_dev_tlp_ready = pick(dev_ready_pct);
		m->ext_inc_us = inc_us;
		m->clk = 0;
		m->eval();
		sample();
		m->clk = 1;
		m->eval();
		advance();
		cycles++;
	}

private:
	std::deque<Bytes> rx_queue;
	size_t rx_pos = 0;
	unsigned int rx_idle_left = 0;
	std::deque<Bytes> dev_queue;
	size_t dev_pos = 0;
	Bytes tx_cur, dev_cur;
	/* what was presented this cycle and is consumed at the edge */
	bool rx_beat = false, dev_beat = false;
	unsigned int tx_ifg_left = 0, ifg_toggle = 0;

	bool pick(unsigned int pct) { return pct >= 100 || !rng || rng->pct(pct); }

	void drive_rx()
	{
		m->s_axis_tvalid = 0;
		m->s_axis_tlast = 0;
		m->s_axis_tuser = 0;
		rx_beat = false;
		if (rx_idle_left) {
			rx_idle_left--;
			return;
		}
		if (rx_queue.empty())
			return;
		const Bytes &f = rx_queue.front();
		uint64_t d = 0;
		uint8_t keep = 0;

		for (size_t j = 0; j < 8 && rx_pos + j < f.size(); j++) {
			d |= (uint64_t)f[rx_pos + j] << (8 * j);
			keep |= (uint8_t)(1u << j);
		}
		m->s_axis_tdata = d;
		m->s_axis_tkeep = keep;
		m->s_axis_tvalid = 1;
		m->s_axis_tlast = rx_pos + 8 >= f.size();
		rx_beat = true;
	}

	void drive_dev()
	{
		m->s_dev_tlp_valid = 0;
		dev_beat = false;
		if (dev_queue.empty())
			return;
		const Bytes &t = dev_queue.front();
		size_t hlen = (t[0] & 0x20) ? 16 : 12;
		size_t dbytes = t.size() - hlen;
		size_t nbeats = dbytes ? (dbytes + 7) / 8 : 1;
		uint32_t dw[4] = { 0, 0, 0, 0 };

		for (size_t i = 0; i < hlen / 4; i++)
			dw[i] = (uint32_t)t[4 * i] << 24 | (uint32_t)t[4 * i + 1] << 16 |
				(uint32_t)t[4 * i + 2] << 8 | t[4 * i + 3];
		m->s_dev_tlp_hdr[3] = dw[0];
		m->s_dev_tlp_hdr[2] = dw[1];
		m->s_dev_tlp_hdr[1] = dw[2];
		m->s_dev_tlp_hdr[0] = dw[3];
		uint64_t d = 0;
		uint8_t strb = 0;
		for (size_t j = 0; j < 8; j++) {
			size_t o = hlen + dev_pos * 8 + j;
			if (o < t.size()) {
				d |= (uint64_t)t[o] << (8 * j);
				strb |= (uint8_t)(1u << (j / 4));
			}
		}
		m->s_dev_tlp_data = d;
		m->s_dev_tlp_strb = strb;
		m->s_dev_tlp_sop = dev_pos == 0;
		m->s_dev_tlp_eop = dev_pos + 1 == nbeats;
		m->s_dev_tlp_valid = 1;
		dev_beat = true;
	}

	/* Outputs before the edge, with the inputs of this cycle. */
	void sample()
	{
		if (m->m_axis_tvalid && m->m_axis_tready) {
			tx_beats++;
			for (int j = 0; j < 8; j++)
				if (m->m_axis_tkeep & (1u << j))
					tx_cur.push_back((uint8_t)(m->m_axis_tdata >> (8 * j)));
			if (m->m_axis_tlast) {
				tx_frames.push_back(tx_cur);
				tx_cur.clear();
				tx_count++;
				if (mac_ifg)
					tx_ifg_left = 2 + (ifg_toggle++ & 1);
			}
		}
		if (m->m_dev_tlp_valid && m->m_dev_tlp_ready) {
			if (m->m_dev_tlp_sop) {
				dev_cur.clear();
				size_t hlen = (m->m_dev_tlp_hdr[3] & 0x20000000) ? 4 : 3;
				for (size_t i = 0; i < hlen; i++) {
					uint32_t v = m->m_dev_tlp_hdr[3 - i];
					dev_cur.push_back((uint8_t)(v >> 24));
					dev_cur.push_back((uint8_t)(v >> 16));
					dev_cur.push_back((uint8_t)(v >> 8));
					dev_cur.push_back((uint8_t)v);
				}
			}
			for (int j = 0; j < 8; j++)
				if (m->m_dev_tlp_strb & (1u << (j / 4)))
					dev_cur.push_back((uint8_t)(m->m_dev_tlp_data >> (8 * j)));
			if (m->m_dev_tlp_eop)
				dev_tlps.push_back(dev_cur);
		}
		if (rx_beat) {
			/* s_axis_tready is always 1 */
			rx_beats++;
			rx_pos += 8;
			if (rx_pos >= rx_queue.front().size()) {
				rx_queue.pop_front();
				rx_pos = 0;
				rx_count++;
				rx_idle_left = mac_ifg ? 2 + (rx_count & 1) : rx_gap;
			}
		}
		if (dev_beat && m->s_dev_tlp_ready) {
			dev_pos++;
			if (m->s_dev_tlp_eop) {
				dev_queue.pop_front();
				dev_pos = 0;
			}
		}
	}

	void advance() {}
};

#endif /* _PEB_DRV_H */
