// SPDX-License-Identifier: GPL-2.0
/*
 * Unit tests of net/expether/ee_sha256.c: the SHA-256 examples of FIPS
 * 180-4 (and the NIST long-message one), the HMAC-SHA256 test cases of
 * RFC 4231, the management frame example of protocol.rst (ee_vectors.h,
 * key "expether example key"), incremental hashing at every split, and
 * the hexadecimal key syntax.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "ee_codec.h"
#include "ee_sha256.h"
#include "ee_vectors.h"
#include "ee_test.h"

static void unhex(const char *hex, u8 *out)
{
	size_t i;

	for (i = 0; hex[2 * i]; i++) {
		unsigned int v;

		sscanf(hex + 2 * i, "%2x", &v);
		out[i] = (u8)v;
	}
}

static int digest_is(const u8 *got, const char *hex, size_t len)
{
	u8 want[EE_SHA256_DIGEST];

	unhex(hex, want);
	return !memcmp(got, want, len);
}

static void test_sha256(void)
{
	static const struct {
		const char *msg;
		const char *digest;
	} v[] = {
		{ "", "e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855" },
		{ "abc", "ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad" },
		{ "abcdbcdecdefdefgefghfghighijhijkijkljklmklmnlmnomnopnopq",
		  "248d6a61d20638b8e5c026930c3e6039a33ce45964ff2167f6ecedd419db06c1" },
		{ "abcdefghbcdefghicdefghijdefghijkefghijklfghijklmghijklmnhijklmnoijklmnopjklmnopqklmnopqrlmnopqrsmnopqrstnopqrstu",
		  "cf5b16a778af8380036ce59e7b0492370b249b11e8f07a51afac45037afee9d1" },
	};
	u8 out[EE_SHA256_DIGEST];
	struct ee_sha256 s;
	unsigned int i;
	char *a;

	ee_test_begin("sha256: FIPS 180-4 examples");
	for (i = 0; i < sizeof(v) / sizeof(v[0]); i++) {
		ee_test_ctx("message %u", i);
		ee_sha256(v[i].msg, strlen(v[i].msg), out);
		EE_CHECK(digest_is(out, v[i].digest, sizeof(out)));
	}
	/* One million 'a', fed in uneven pieces. */
	a = malloc(1000000);
	memset(a, 'a', 1000000);
	ee_sha256_init(&s);
	for (i = 0; i < 1000000; ) {
		unsigned int n = 1 + (i * 7 + 13) % 997;

		if (n > 1000000 - i)
			n = 1000000 - i;
		ee_sha256_update(&s, a + i, n);
		i += n;
	}
	ee_sha256_final(&s, out);
	ee_test_ctx("a x 1000000");
	EE_CHECK(digest_is(out, "cdc76e5c9914fb9281a1c7e284d73e67f1809a48a497200e046d39ccc7112cd0",
			   sizeof(out)));
	free(a);
	ee_test_end();
}

/* Every length across the padding boundaries, every split point. */
static void test_sha256_splits(void)
{
	u8 msg[200], one[EE_SHA256_DIGEST], two[EE_SHA256_DIGEST];
	struct ee_sha256 s;
	unsigned int len, cut;
	int bad = 0;

	for (len = 0; len < sizeof(msg); len++)
		msg[len] = (u8)(len * 131 + 7);
	ee_test_begin("sha256: incremental = one shot at every split");
	for (len = 0; len <= sizeof(msg); len++) {
		ee_sha256(msg, len, one);
		for (cut = 0; cut <= len; cut++) {
			ee_sha256_init(&s);
			ee_sha256_update(&s, msg, cut);
			ee_sha256_update(&s, msg + cut, len - cut);
			ee_sha256_final(&s, two);
			bad += !!memcmp(one, two, sizeof(one));
		}
	}
	EE_CHECK_EQ(bad, 0);
	ee_test_end();
}

static void test_hmac_rfc4231(void)
{
	static const char *const data6 =
		"Test Using Larger Than Block-Size Key - Hash Key First";
	static const char *const data7 =
		"This is a test using a larger than block-size key and a larger than block-size data. The key needs to be hashed before being used by the HMAC algorithm.";
	u8 key[131], data[64], out[EE_SHA256_DIGEST];
	unsigned int i;

	ee_test_begin("hmac-sha256: RFC 4231 test cases 1-7");
	ee_test_ctx("case 1");
	memset(key, 0x0b, 20);
	ee_hmac_sha256(key, 20, "Hi There", 8, out);
	EE_CHECK(digest_is(out, "b0344c61d8db38535ca8afceaf0bf12b881dc200c9833da726e9376c2e32cff7", 32));

	ee_test_ctx("case 2");
	ee_hmac_sha256((const u8 *)"Jefe", 4, "what do ya want for nothing?", 28,
		       out);
	EE_CHECK(digest_is(out, "5bdcc146bf60754e6a042426089575c75a003f089d2739839dec58b964ec3843", 32));

	ee_test_ctx("case 3");
	memset(key, 0xaa, 20);
	memset(data, 0xdd, 50);
	ee_hmac_sha256(key, 20, data, 50, out);
	EE_CHECK(digest_is(out, "773ea91e36800e46854db8ebd09181a72959098b3ef8c122d9635514ced565fe", 32));

	ee_test_ctx("case 4");
	for (i = 0; i < 25; i++)
		key[i] = (u8)(i + 1);
	memset(data, 0xcd, 50);
	ee_hmac_sha256(key, 25, data, 50, out);
	EE_CHECK(digest_is(out, "82558a389a443c0ea4cc819899f2083a85f0faa3e578f8077a2e3ff46729665b", 32));

	ee_test_ctx("case 5 (truncated to 128 bits)");
	memset(key, 0x0c, 20);
	ee_hmac_sha256(key, 20, "Test With Truncation", 20, out);
	EE_CHECK(digest_is(out, "a3b6167473100ee06e0c796c2955552b", 16));

	ee_test_ctx("case 6");
	memset(key, 0xaa, 131);
	ee_hmac_sha256(key, 131, data6, strlen(data6), out);
	EE_CHECK(digest_is(out, "60e431591ee0b67f0d8a26aacbf5b77f8e0bc6213728c5140546040f0ee37f54", 32));

	ee_test_ctx("case 7");
	ee_hmac_sha256(key, 131, data7, strlen(data7), out);
	EE_CHECK(digest_is(out, "9b09ffa71b942fcb27635fbcd5b0e944bfdc63644f0713938a7f51535c3a35e2", 32));
	ee_test_end();
}

/* protocol.rst's mgmt_set_gid example: its HMAC under the example key. */
static void test_mgmt_example(void)
{
	const struct ee_vector *v = NULL;
	u8 out[EE_SHA256_DIGEST], copy[EXPETHER_MGMT_LEN];
	struct ee_frame f;
	struct ee_mgmt m;
	unsigned int i;

	ee_test_begin("hmac-sha256: protocol.rst mgmt_set_gid example");
	for (i = 0; i < sizeof(ee_vectors) / sizeof(ee_vectors[0]); i++)
		if (!strcmp(ee_vectors[i].name, "mgmt_set_gid"))
			v = &ee_vectors[i];
	EE_CHECK(v != NULL, "no vector mgmt_set_gid");
	if (!v) {
		ee_test_end();
		return;
	}
	EE_CHECK_EQ(ee_frame_parse(v->bytes, v->len, EXPETHER_ETHERTYPE_DEFAULT,
				   &f), 0);
	EE_CHECK_EQ(ee_mgmt_parse(f.payload, f.hdr.length, &m), 0);
	ee_mgmt_hmac((const u8 *)EE_VEC_MGMT_KEY, EE_VEC_MGMT_KEY_LEN,
		     f.payload, out);
	EE_CHECK(!memcmp(out, m.hmac, sizeof(out)), "HMAC differs");
	EE_CHECK_EQ(ee_memcmp_ct(out, m.hmac, sizeof(out)), 0);

	/* Any change of a signed byte changes the MAC; the MAC's own
	 * bytes and the unsigned reserved ones are not covered.
	 */
	for (i = 0; i < EE_MGMT_SIGNED_LEN; i++) {
		memcpy(copy, f.payload, sizeof(copy));
		copy[i] ^= 0x01;
		ee_mgmt_hmac((const u8 *)EE_VEC_MGMT_KEY, EE_VEC_MGMT_KEY_LEN,
			     copy, out);
		ee_test_ctx("byte %u flipped", i);
		EE_CHECK(ee_memcmp_ct(out, m.hmac, sizeof(out)) != 0);
	}
	ee_test_ctx("another key");
	ee_mgmt_hmac((const u8 *)"expether example kez", EE_VEC_MGMT_KEY_LEN,
		     f.payload, out);
	EE_CHECK(ee_memcmp_ct(out, m.hmac, sizeof(out)) != 0);
	ee_test_end();
}

static void test_key_hex(void)
{
	u8 key[EE_MGMT_KEY_MAX];
	char long_key[2 * EE_MGMT_KEY_MAX + 3];

	ee_test_begin("key syntax: hexadecimal digits");
	EE_CHECK_EQ(ee_key_from_hex("00ff", 4, key), 2);
	EE_CHECK(key[0] == 0 && key[1] == 0xff);
	EE_CHECK_EQ(ee_key_from_hex(" 65 78\n70 \t65\r\n", 15, key), 4);
	EE_CHECK(!memcmp(key, "expe", 4));
	EE_CHECK_EQ(ee_key_from_hex("AbCd", 4, key), 2);
	EE_CHECK(key[0] == 0xab && key[1] == 0xcd);
	EE_CHECK_EQ(ee_key_from_hex("", 0, key), -1);
	EE_CHECK_EQ(ee_key_from_hex("\n", 1, key), -1);
	EE_CHECK_EQ(ee_key_from_hex("abc", 3, key), -1);
	EE_CHECK_EQ(ee_key_from_hex("0g", 2, key), -1);
	EE_CHECK_EQ(ee_key_from_hex("0x00", 4, key), -1);
	memset(long_key, 'a', sizeof(long_key));
	EE_CHECK_EQ(ee_key_from_hex(long_key, 2 * EE_MGMT_KEY_MAX, key),
		    EE_MGMT_KEY_MAX);
	EE_CHECK_EQ(ee_key_from_hex(long_key, 2 * EE_MGMT_KEY_MAX + 2, key),
		    -1);
	ee_test_end();
}

int main(void)
{
	test_sha256();
	test_sha256_splits();
	test_hmac_rfc4231();
	test_mgmt_example();
	test_key_hex();
	return ee_test_summary();
}
