// SPDX-License-Identifier: GPL-2.0
/*
 * expether PEB bench: line rate.  The bridge at 10GbE timing (156.25
 * cycles per microsecond) against a host built on ee_link.c (no pacing,
 * no loss), both directions saturated with 1 KiB posted writes: the host
 * gives the MAC stream a frame in every cycle it can (no idle cycle
 * between frames), the device offers a TLP in every cycle.  Measured over
 * the steady state: the share of the link's time used each way (frame
 * beats plus the 2.5 beats of preamble and gap the MAC puts between frames,
 * both ways, as a 10GbE MAC does), whether the bridge kept up (nothing
 * dropped), and goodput.  1.0 is line rate.
 *
 *   rate [CYCLES [DWORDS]]   (DWORDS per write, default 256; below 64 the
 *                             beats per cycle are reported, not checked)
 */
#include "peb_drv.h"

static const uint8_t HOST_MAC[6] = { 0x02, 0x00, 0x00, 0x00, 0x00, 0x01 };
static const uint8_t PEB_MAC[6] = { 0x02, 0xee, 0x00, 0x00, 0x00, 0x01 };

static Bytes mwr(uint64_t addr, unsigned int dw, uint16_t req, uint32_t sn)
{
	struct ee_tlp t;
	uint8_t data[EE_TLP_MAX_DW * 4];
	Bytes b(EE_TLP_MAX_HDR + sizeof(data));

	memset(data, 0x5a, sizeof(data));
	ee_put_be32(data, sn);
	memset(&t, 0, sizeof(t));
	t.kind = EE_TLP_MWR;
	t.req_id = req;
	t.length = (u16)dw;
	t.addr = addr;
	t.first_be = 0xf;
	t.last_be = dw > 1 ? 0xf : 0;
	t.data = data;
	b.resize((size_t)ee_tlp_build(b.data(), b.size(), &t));
	return b;
}

int main(int argc, char **argv)
{
	unsigned long cycles = argc > 1 ? strtoul(argv[1], NULL, 0) : 400000;
	unsigned int dw = argc > 2 ? (unsigned int)strtoul(argv[2], NULL, 0) : 256;
	PebDrv peb;
	Checks ck;
	struct ee_link_cfg cfg;
	struct ee_link link;
	struct ee_frame f;
	std::deque<std::pair<uint64_t, Bytes>> to_host;
	uint64_t now_ps = 0, n = 0, t0 = 0, c0 = 0, rx0 = 0, tx0 = 0, rxf0 = 0, txf0 = 0;
	uint64_t dev_bytes = 0, host_bytes = 0, dev_tlps = 0, host_tlps = 0;
	uint32_t sn = 0, peb_epoch = 0;
	uint64_t dev_all = 0;
	bool attached = false, open = false;
	unsigned int frac = 0;

	ee_link_cfg_default(&cfg);
	cfg.pace = false;
	void *ring = malloc(ee_link_ring_size(&cfg));
	ee_link_init(&link, &cfg, ring);

	peb.mac_ifg = true;
	peb.reset(9);
	peb.set_mac(PEB_MAC);
	peb.csr_write(PEB_GID, 5);
	peb.set_gbn_cfg(&cfg.gbn);
	peb.csr_write(PEB_CTRL, PEB_CTRL_ENABLE | PEB_CTRL_PRESENT);

	memset(&f, 0, sizeof(f));
	memcpy(f.dst, PEB_MAC, 6);
	memcpy(f.src, HOST_MAC, 6);
	f.tci = 5;
	f.ethertype = EXPETHER_ETHERTYPE_DEFAULT;

	for (n = 0; peb.cycles < cycles; n++) {
		/* 156.25 cycles per microsecond */
		unsigned int inc = 0;
		frac += 4;
		if (frac >= 625) {
			frac -= 625;
			inc = 1;
		}
		if (!t0 && peb.cycles >= cycles / 4) {
			t0 = n;
			c0 = peb.cycles;
			rx0 = peb.rx_beats;
			tx0 = peb.tx_beats;
			rxf0 = peb.rx_count;
			txf0 = peb.tx_count;
		}
		peb.tick(inc);
		now_ps = peb.cycles * 6400;
		uint64_t now = now_ps / 1000;

		while (!peb.tx_frames.empty()) {
			to_host.push_back({ now + 1000, peb.tx_frames.front() });
			peb.tx_frames.pop_front();
		}
		while (!to_host.empty() && to_host.front().first <= now) {
			Bytes b = to_host.front().second;
			struct ee_frame r;
			struct ee_gbn_rx_info ri;

			to_host.pop_front();
			if (ee_frame_parse(b.data(), b.size(), EXPETHER_ETHERTYPE_DEFAULT, &r))
				continue;
			if (r.hdr.type == EXPETHER_FT_DIF) {
				struct ee_dif d;
				if (!ee_dif_parse(r.payload, r.hdr.length, &d) && !attached) {
					attached = true;
					peb_epoch = d.epoch;
					ee_link_reset(&link, 0x7777, peb_epoch, now);
					/* our DIF */
					peb.send(sim_host_dif(HOST_MAC, 5, 0x7777, 100, 0));
				}
				continue;
			}
			int v = attached ? ee_link_rx(&link, now, &r.hdr, &ri) : EE_GBN_IGNORE;
			/* this host keeps its whole window: the bridge is measured */
			ee_gbn_set_window(&link.g, 0);
			if (v == EE_GBN_DELIVER && t0) {
				host_bytes += r.hdr.length;
				host_tlps++;
			}
		}
		while (!peb.dev_tlps.empty()) {
			dev_all++;
			if (t0) {
				dev_bytes += peb.dev_tlps.front().size();
				dev_tlps++;
				if (dev_tlps == 1)
					printf("# a TLP to the device: %zu bytes\n", peb.dev_tlps.front().size());
			}
			peb.dev_tlps.pop_front();
		}
		if (!attached)
			continue;
		/* the device: a TLP always waiting */
		if (n % 1000 == 0)
			open = (peb.csr_read(PEB_STATUS) & 2) != 0;
		if (open && peb.dev_pending() < 2)
			peb.dev_send(mwr(0x123400000ull, dw, 0x0100, ++sn));
		/* the host: its ring kept full, frames into the MAC stream at once */
		while (ee_link_occupancy(&link) < 100) {
			Bytes t = mwr(0x1fe000000ull, dw, 0x0008, ++sn);
			if (ee_link_queue(&link, t.data(), (u32)t.size()))
				break;
		}
		if (now >= ee_link_deadline(&link))
			ee_link_timer(&link, now);
		const uint8_t *payload;
		Bytes b(1600);
		int out;
		while (peb.rx_idle() && (out = ee_link_next(&link, now, &f.hdr, &payload)) != EE_LINK_NONE) {
			b.resize(1600);
			b.resize((size_t)ee_frame_build(b.data(), b.size(), &f, payload, f.hdr.length));
			peb.send(b);
		}
	}
	uint64_t span = peb.cycles - c0;
	/* link time: beats, and 2.5 beats of preamble and gap per frame */
	double rx_link = (peb.rx_beats - rx0 + 2.5 * (peb.rx_count - rxf0)) / (double)(peb.cycles - c0);
	double tx_link = (peb.tx_beats - tx0 + 2.5 * (peb.tx_count - txf0)) / (double)(peb.cycles - c0);
	uint32_t overflow = peb.counter(C_RX_OVERFLOW);
	uint32_t malformed = peb.counter(C_RX_MALFORMED);
	uint32_t rtx = peb.counter(C_GBN + 1);
	printf("# %u-byte writes, %" PRIu64 " cycles measured: receive link %.3f busy, TLPs to the device %.2f Gb/s (%" PRIu64 "); transmit link %.3f busy, TLPs to the host %.2f Gb/s (%" PRIu64 ")\n",
	       dw * 4, span, rx_link, dev_bytes * 8 * 156.25e6 / span / 1e9, dev_tlps,
	       tx_link, host_bytes * 8 * 156.25e6 / span / 1e9, host_tlps);
	printf("# overflow %u, malformed %u, bridge retransmissions %u, host retransmissions %" PRIu64 "\n",
	       overflow, malformed, rtx, (uint64_t)link.g.st.rtx_frames);
	printf("# bridge: rx_frames %u rx_tlps %u tx_frames %u tx_tlps %u; device got %" PRIu64 " TLPs in all\n",
	       peb.counter(C_RX_FRAMES), peb.counter(C_RX_TLPS), peb.counter(C_TX_FRAMES),
	       peb.counter(C_TX_TLPS), dev_all);
	ck.ok(attached && dev_tlps > 100 && host_tlps > 100, "traffic both ways");
	ck.ok(overflow == 0 && malformed == 0, "the receive side kept up: nothing dropped");
	ck.ok(rx_link > 0.99, "receive at line rate: the link %.3f busy", rx_link);
	ck.ok(tx_link > 0.97, "transmit at line rate: the link %.3f busy", tx_link);
	free(ring);
	return ck.done("rate");
}
