// SPDX-License-Identifier: GPL-2.0
/*
 * expether PEB bench: the bridge's receive checks against the shared
 * codec.  Random TLP frames -- well-formed ones built with ee_tlp_build()
 * (one to four TLPs, all kinds and sizes), then often damaged: a bit
 * flipped in a TLP header, the header length changed, the frame cut,
 * bytes appended -- go to peb_top; for each, ee_frame_parse() and
 * ee_tlp_parse() over the payload (what eebox does) say whether it is
 * malformed and with which ee_err code, and the bridge's counters must
 * say the same.
 *
 *   rx_fuzz [SEED [FRAMES]]
 */
#include "peb_drv.h"

static const uint8_t PEB_MAC[6] = { 0x02, 0xee, 0x00, 0x00, 0x00, 0x01 };
static const uint8_t HOST_MAC[6] = { 0x02, 0x00, 0x00, 0x00, 0x00, 0x01 };

static Bytes random_tlp(Rng &r)
{
	struct ee_tlp t;
	uint8_t data[EE_TLP_MAX_DW * 4];
	Bytes b(EE_TLP_MAX_HDR + sizeof(data));
	unsigned int k = r.below(8);

	memset(&t, 0, sizeof(t));
	for (size_t i = 0; i < sizeof(data); i++)
		data[i] = (uint8_t)r.u32();
	t.req_id = (u16)r.u32();
	t.tag = (u8)r.u32();
	t.tc = (u8)(r.pct(20) ? r.below(8) : 0);
	t.attr = (u8)(r.pct(20) ? r.below(8) : 0);
	t.ep = r.pct(5);
	switch (k) {
	case 0:
	case 1:
		t.kind = k ? EE_TLP_MWR : EE_TLP_MRD;
		t.length = (u16)(1 + r.below(r.pct(20) ? 256 : 16));
		t.addr = (r.pct(50) ? (uint64_t)r.u32() << 32 : 0) |
			 ((uint64_t)r.u32() & ~0xfffull) | 4 * r.below(1024 - t.length);
		t.first_be = (u8)(1 + r.below(15));
		t.last_be = t.length > 1 ? (u8)(1 + r.below(15)) : 0;
		t.data = data;
		break;
	case 2:
	case 3:
		ee_tlp_init_cfg(&t, k == 3, r.pct(30), (u16)r.u32(), (u8)r.u32(),
				(u16)r.u32(), (u16)(4 * r.below(1024)), (u8)r.below(16), data);
		break;
	case 4:
	case 5: {
		struct ee_tlp req = t;
		ee_tlp_init_cpl(&t, &req, (u16)r.u32(), (u8)r.below(8),
				k == 5 ? data : NULL, (u16)(k == 5 ? 1 + r.below(64) : 0),
				(u16)(1 + r.below(4096)), (u8)r.below(128));
		break;
	}
	default:
		t.kind = k == 6 ? EE_TLP_MSG : EE_TLP_MSGD;
		t.msg_code = (u8)r.u32();
		t.msg_routing = (u8)r.below(8);
		t.length = k == 6 ? 0 : (u16)(1 + r.below(8));
		t.data = data;
		for (int i = 0; i < 8; i++)
			t.msg_bytes[i] = (u8)r.u32();
		break;
	}
	int n = ee_tlp_build(b.data(), b.size(), &t);
	if (n < 0) {
		b.clear();
		return b;
	}
	b.resize((size_t)n);
	/* a digest now and then (carried, not checked) */
	if (r.pct(5)) {
		b[2] |= 0x80;
		for (int i = 0; i < 4; i++)
			b.push_back((uint8_t)r.u32());
	}
	return b;
}

/* What eebox does with it: 0, or the ee_err code it counts. */
static int expect(const Bytes &f)
{
	struct ee_frame fr;
	int r = ee_frame_parse(f.data(), f.size(), 0x88b5, &fr);

	if (r)
		return -r;
	const uint8_t *p = fr.payload;
	size_t len = fr.hdr.length;
	while (len) {
		struct ee_tlp t;
		int n = ee_tlp_parse(p, len, &t);
		if (n <= 0)
			return n < 0 ? -n : EE_ERR_TLP_LEN;
		p += n;
		len -= (size_t)n;
	}
	return 0;
}

int main(int argc, char **argv)
{
	uint64_t seed = argc > 1 ? strtoull(argv[1], NULL, 0) : 1;
	unsigned long frames = argc > 2 ? strtoul(argv[2], NULL, 0) : 20000;
	Rng rng(seed);
	PebDrv peb;
	Checks ck;
	unsigned long mism = 0, by_code[EE_ERR__MAX] = { 0 };
	uint32_t cnt[C_COUNT], prev[C_COUNT];

	printf("# rx_fuzz seed %" PRIu64 "\n", seed);
	peb.rng = &rng;
	peb.reset(1);
	peb.set_mac(PEB_MAC);
	peb.csr_write(PEB_GID, 5);
	peb.csr_write(PEB_CTRL, PEB_CTRL_ENABLE | PEB_CTRL_PRESENT);
	for (int i = 0; i < C_COUNT; i++)
		prev[i] = peb.counter((unsigned int)i);

	for (unsigned long n = 0; n < frames; n++) {
		Bytes payload;
		unsigned int ntlp = 1 + rng.below(4);

		for (unsigned int i = 0; i < ntlp; i++) {
			Bytes t = random_tlp(rng);
			if (payload.size() + t.size() > EXPETHER_MAX_PAYLOAD)
				break;
			payload.insert(payload.end(), t.begin(), t.end());
		}
		if (payload.empty())
			payload = random_tlp(rng);
		if (payload.empty() || payload.size() > EXPETHER_MAX_PAYLOAD)
			continue;
		/* damage */
		unsigned int d = rng.below(10);
		if (d == 0 && payload.size() > 16)
			payload[rng.below(16)] ^= (uint8_t)(1u << rng.below(8));
		if (d == 1)
			payload[rng.below((uint32_t)payload.size())] ^= (uint8_t)(1u << rng.below(8));
		struct ee_hdr h;
		memset(&h, 0, sizeof(h));
		h.type = EXPETHER_FT_TLP;
		h.flags = EXPETHER_F_SEQ | EXPETHER_F_ACK | EXPETHER_F_TS;
		h.seq = rng.u32();
		Bytes fb = sim_frame(PEB_MAC, HOST_MAC, 5, h, payload.data(), payload.size());
		if (d == 2) {
			/* another header length */
			uint16_t l = (uint16_t)(rng.pct(50) ? payload.size() - 1 - rng.below(8) :
						 payload.size() + 1 + rng.below(8));
			fb[22] = (uint8_t)(l >> 8);
			fb[23] = (uint8_t)l;
		}
		if (d == 3 && fb.size() > 20)
			fb.resize(fb.size() - 1 - rng.below((uint32_t)fb.size() / 2));
		if (d == 4)
			for (unsigned int i = 0; i < 1 + rng.below(12); i++)
				fb.push_back((uint8_t)rng.u32());

		int e = expect(fb);
		by_code[e]++;
		peb.rx_gap = rng.below(3);
		peb.send(fb);
		while (!peb.rx_idle())
			peb.tick();
		for (int i = 0; i < 12; i++)
			peb.tick();
		for (int i = 0; i < C_COUNT; i++)
			cnt[i] = peb.counter((unsigned int)i);
		int got = 0;
		for (int i = 1; i <= 9; i++)
			if (cnt[C_RX_ERR1 + i - 1] != prev[C_RX_ERR1 + i - 1])
				got = got ? -1 : i;
		if (got != e && e != EE_ERR_ETHERTYPE) {
			if (mism++ < 5) {
				printf("# frame %lu (%zu bytes, payload %zu): bridge says %d, codec says %d (%s)\n",
				       n, fb.size(), payload.size(), got, e, ee_err_str(e));
				size_t off = 42;
				while (off < fb.size()) {
					struct ee_tlp t;
					char s[200];
					int k = ee_tlp_parse(fb.data() + off, fb.size() - off, &t);
					if (k <= 0)
						break;
					ee_tlp_format(s, sizeof(s), &t);
					printf("#   @%zu: %02x %02x %02x %02x %s\n", off - 42, fb[off],
					       fb[off + 1], fb[off + 2], fb[off + 3], s);
					off += (size_t)k;
				}
			}
		}
		memcpy(prev, cnt, sizeof(prev));
		/* the buffer must not fill: frames are consumed (no host: no_conn) */
	}
	printf("# codes:");
	for (int i = 0; i < EE_ERR__MAX; i++)
		printf(" %s %lu", i ? ee_err_str(i) : "ok", by_code[i]);
	printf("\n");
	ck.ok(mism == 0, "the bridge and ee_tlp_parse agree on %lu frames (%lu differ)", frames, mism);
	ck.ok(by_code[0] > frames / 10 && by_code[EE_ERR_FIELD] > 0 && by_code[EE_ERR_TLP_LEN] > 0 &&
	      by_code[EE_ERR_TLP_FMT] > 0 && by_code[EE_ERR_LENGTH] > 0 && by_code[EE_ERR_TRUNC] > 0,
	      "good frames and every kind of damage were tried");
	return ck.done("rx_fuzz");
}
