// SPDX-License-Identifier: GPL-2.0
/*
 * expether PEB bench: management frames against the shared C.  Random
 * SET_GID frames -- random keys of 1 to 32 bytes, target IDs, counters and
 * reserved bytes, signed with ee_mgmt_hmac() (net/expether/ee_sha256.c,
 * compiled unchanged) -- go to peb_top, many of them damaged: a bit of
 * the signed bytes or of the HMAC flipped, the key of the bridge
 * different, the counter replayed, another target MAC or ID.  The
 * bridge's verdict (MGMT_RESULT) and its GID afterwards must be what
 * protocol.rst's rules give.
 *
 *   mgmt_rand [SEED [FRAMES]]
 */
#include "peb_drv.h"

extern "C" {
#include "ee_sha256.h"
}

static const uint8_t PEB_MAC[6] = { 0x02, 0xee, 0x00, 0x00, 0x00, 0x01 };
static const uint8_t MGR_MAC[6] = { 0x02, 0x00, 0x00, 0x00, 0x00, 0xfe };
static const uint64_t BRIDGE_ID = 0x000002ee00000001ull;
static const uint16_t PARKED = 4093;

int main(int argc, char **argv)
{
	uint64_t seed = argc > 1 ? strtoull(argv[1], NULL, 0) : 1;
	unsigned long frames = argc > 2 ? strtoul(argv[2], NULL, 0) : 150;
	Rng rng(seed);
	PebDrv peb;
	Checks ck;
	unsigned long wrong = 0, by_result[7] = { 0 };
	uint64_t last = 0;

	printf("# mgmt_rand seed %" PRIu64 "\n", seed);
	peb.reset(7);
	peb.set_mac(PEB_MAC);
	peb.csr_write(PEB_BRIDGE_ID_HI, (uint32_t)(BRIDGE_ID >> 32));
	peb.csr_write(PEB_BRIDGE_ID_LO, (uint32_t)BRIDGE_ID);
	peb.csr_write(PEB_GID, PARKED);
	peb.csr_write(PEB_CTRL, PEB_CTRL_ENABLE | PEB_CTRL_PRESENT | PEB_CTRL_MGMT);

	for (unsigned long n = 0; n < frames; n++) {
		uint8_t key[EE_MGMT_KEY_MAX] = { 0 }, pkey[EE_MGMT_KEY_MAX] = { 0 };
		size_t keylen = 1 + rng.below(EE_MGMT_KEY_MAX);
		uint8_t p[EXPETHER_MGMT_LEN];
		uint16_t gid = (uint16_t)(1 + rng.below(4094));
		uint64_t counter = last + 1 + rng.below(3);
		uint64_t target = rng.pct(30) ? 0 : BRIDGE_ID;
		unsigned int d = rng.below(8);
		int expect = 1;

		for (size_t i = 0; i < keylen; i++)
			key[i] = (uint8_t)rng.u32();
		memcpy(pkey, key, sizeof(key));
		if (gid == PARKED)
			gid = 5;
		if (d == 1) {
			/* a replay: the last counter, or one before it */
			counter = last - (last ? rng.below(2) : 0);
			expect = 5;
		}
		p[0] = EXPETHER_MGMT_SET_GID;
		p[1] = (uint8_t)(rng.pct(20) ? rng.u32() : 0);
		ee_put_be16(p + 2, gid);
		memcpy(p + 4, PEB_MAC, 6);
		p[10] = (uint8_t)(rng.pct(20) ? rng.u32() : 0);
		p[11] = 0;
		ee_put_be64(p + 12, target);
		ee_put_be64(p + 20, counter);
		if (d == 2) {
			p[4 + rng.below(6)] ^= (uint8_t)(1u << rng.below(8));
			expect = 3;
		}
		if (d == 3) {
			ee_put_be64(p + 12, target ^ (1ull << rng.below(64)));
			expect = 4;
		}
		ee_mgmt_hmac(key, keylen, p, p + EE_MGMT_SIGNED_LEN);
		if (d == 4) {
			/* a signed byte changed after signing (not the op or GID,
			 * which the parser checks, nor what is checked before)
			 */
			static const int signed_bytes[] = { 1, 10, 11 };
			p[signed_bytes[rng.below(3)]] ^= (uint8_t)(1u << rng.below(8));
			expect = 6;
		}
		if (d == 5) {
			p[EE_MGMT_SIGNED_LEN + rng.below(32)] ^= (uint8_t)(1u << rng.below(8));
			expect = 6;
		}
		if (d == 6) {
			/* the bridge has another key (one bit, or a longer one) */
			if (rng.pct(50) || keylen == EE_MGMT_KEY_MAX)
				pkey[rng.below((uint32_t)keylen)] ^= (uint8_t)(1u << rng.below(8));
			else
				pkey[keylen] = (uint8_t)(1 + rng.below(255));
			expect = 6;
		}
		for (unsigned int i = 0; i < 8; i++)
			peb.csr_write(PEB_MGMT_KEY + 4 * i, (uint32_t)pkey[4 * i] << 24 |
				      (uint32_t)pkey[4 * i + 1] << 16 |
				      (uint32_t)pkey[4 * i + 2] << 8 | pkey[4 * i + 3]);
		peb.csr_write(PEB_GID, PARKED);

		struct ee_hdr h;
		memset(&h, 0, sizeof(h));
		h.type = EXPETHER_FT_MGMT;
		peb.send(sim_frame(PEB_MAC, MGR_MAC, PARKED, h, p, sizeof(p)));
		for (int i = 0; i < 1400; i++)
			peb.tick();
		uint32_t result = peb.csr_read(PEB_MGMT_RESULT);
		uint32_t got_gid = peb.csr_read(PEB_GID);
		uint64_t cnt = (uint64_t)peb.csr_read(PEB_MGMT_COUNTER_HI) << 32 |
			       peb.csr_read(PEB_MGMT_COUNTER_LO);
		uint16_t want_gid = expect == 1 ? gid : PARKED;

		by_result[expect]++;
		if (expect == 1)
			last = counter;
		if (result != (uint32_t)expect || got_gid != want_gid || cnt != last) {
			if (wrong++ < 5)
				printf("# frame %lu (damage %u, key %zu bytes): result %u gid %u counter %" PRIu64 ", expected %d %u %" PRIu64 "\n",
				       n, d, keylen, result, got_gid, cnt, expect, want_gid, last);
		}
	}
	printf("# accepted %lu, target MAC %lu, target ID %lu, replays %lu, HMAC %lu\n",
	       by_result[1], by_result[3], by_result[4], by_result[5], by_result[6]);
	ck.ok(wrong == 0, "the bridge's MGMT verdicts agree with ee_mgmt_hmac() on %lu frames (%lu differ)",
	      frames, wrong);
	ck.ok(by_result[1] > 0 && by_result[3] > 0 && by_result[4] > 0 && by_result[5] > 0 &&
	      by_result[6] > 0, "accepted frames and every kind of refusal were tried");
	ck.ok(peb.counter(C_MGMT_ACCEPTED) == by_result[1] &&
	      peb.counter(C_MGMT_REJECTED) == frames - by_result[1],
	      "the MGMT counters agree");
	return ck.done("mgmt_rand");
}
