// SPDX-License-Identifier: GPL-2.0
/*
 * libFuzzer target over the frame parsers of net/expether/ee_codec.c:
 * ee_frame_parse(), ee_hdr_parse(), ee_tlp_parse(), ee_dif_parse() and
 * ee_mgmt_parse(), each on the whole input and on what the one before it
 * found.  Besides the sanitizers it checks that whatever parses builds
 * again and parses back to the same fields (the codec's promise), and
 * that ee_tlp_format() stays inside its buffer.
 */
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>

#include "ee_codec.h"
#include "ee_vectors.h"		/* the field comparators */

#include "fuzz.h"

/* Referenced so that the vectors (the seed corpus) stay in the build. */
const unsigned int fuzz_frame_n_vectors = EE_N_VECTORS;
const struct ee_vector *fuzz_frame_vectors = ee_vectors;

static void check_tlp_roundtrip(const struct ee_tlp *t, int size)
{
	static u8 buf[EE_TLP_MAX_HDR + EE_TLP_MAX_DW * 4 + 4];
	struct ee_tlp t2;
	int n, k;

	n = ee_tlp_build(buf, sizeof(buf), t);
	CHECK(n > 0);
	CHECK((size_t)n == ee_tlp_size(t));
	/* a 4 DW header for a low address is accepted, built as 3 DW; the
	 * digest of TD is carried but never built
	 */
	CHECK(n <= size);
	k = ee_tlp_parse(buf, (size_t)n, &t2);
	CHECK(k == n);
	CHECK(!ee_vec_tlp_diff(t, &t2));
	if (ee_tlp_has_data(t))
		CHECK(!memcmp(t->data, t2.data, (size_t)t->length * 4));
}

static void tlps(const u8 *p, size_t len, unsigned int cap)
{
	size_t off = 0;
	char str[200];

	while (off < len) {
		struct ee_tlp t;
		int n = ee_tlp_parse(p + off, len - off, &t);
		int m;

		if (n < 0)
			return;
		CHECK(n >= 12 && (size_t)n <= len - off);
		m = ee_tlp_format(str, cap % sizeof(str), &t);
		CHECK(m >= 0);
		if (cap % sizeof(str))
			CHECK(strlen(str) < cap % sizeof(str));
		check_tlp_roundtrip(&t, n);
		off += (size_t)n;
	}
}

static void dif(const u8 *p, size_t len)
{
	struct ee_dif d, d2;
	u8 buf[EXPETHER_DIF_LEN];

	if (ee_dif_parse(p, len, &d))
		return;
	CHECK(len >= EXPETHER_DIF_LEN);
	ee_dif_put(buf, &d);
	CHECK(!ee_dif_parse(buf, sizeof(buf), &d2));
	CHECK(!ee_vec_dif_diff(&d, &d2));
}

static void mgmt(const u8 *p, size_t len)
{
	struct ee_mgmt m, m2;
	u8 buf[EXPETHER_MGMT_LEN];

	if (ee_mgmt_parse(p, len, &m))
		return;
	CHECK(len >= EXPETHER_MGMT_LEN);
	ee_mgmt_put(buf, &m);
	CHECK(!ee_mgmt_parse(buf, sizeof(buf), &m2));
	CHECK(!ee_vec_mgmt_diff(&m, &m2));
}

static void hdr(const u8 *p, size_t len)
{
	struct ee_hdr h, h2;
	const u8 *pay, *pay2;
	u8 buf[EXPETHER_HLEN + EXPETHER_MAX_PAYLOAD];

	if (ee_hdr_parse(p, len, &h, &pay))
		return;
	CHECK(h.length <= EXPETHER_MAX_PAYLOAD);
	CHECK(pay == p + EXPETHER_HLEN);
	CHECK(EXPETHER_HLEN + (size_t)h.length <= len);
	ee_hdr_put(buf, &h);
	memcpy(buf + EXPETHER_HLEN, pay, h.length);
	CHECK(!ee_hdr_parse(buf, EXPETHER_HLEN + (size_t)h.length, &h2,
			    &pay2));
	CHECK(!ee_vec_hdr_diff(&h, &h2));
}

static void frame(const u8 *p, size_t len)
{
	static u8 buf[EXPETHER_L2_HLEN + EXPETHER_HLEN + EXPETHER_MAX_PAYLOAD];
	struct ee_frame f, f2;
	int n;

	if (ee_frame_parse(p, len, EXPETHER_ETHERTYPE_DEFAULT, &f))
		return;
	CHECK(f.payload == p + EXPETHER_L2_HLEN + EXPETHER_HLEN);
	n = ee_frame_build(buf, sizeof(buf), &f, f.payload, f.hdr.length);
	CHECK(n >= EXPETHER_MIN_FRAME);
	CHECK(!ee_frame_parse(buf, (size_t)n, EXPETHER_ETHERTYPE_DEFAULT,
			      &f2));
	CHECK(!ee_vec_frame_diff(&f, &f2));
	CHECK(!memcmp(f.payload, f2.payload, f.hdr.length));
	switch (f.hdr.type) {
	case EXPETHER_FT_TLP:
		tlps(f.payload, f.hdr.length, (unsigned int)len);
		break;
	case EXPETHER_FT_DIF:
		dif(f.payload, f.hdr.length);
		break;
	case EXPETHER_FT_MGMT:
		mgmt(f.payload, f.hdr.length);
		break;
	}
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	frame(data, size);
	hdr(data, size);
	tlps(data, size, (unsigned int)size * 7);
	dif(data, size);
	mgmt(data, size);
	return 0;
}
