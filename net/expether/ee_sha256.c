// SPDX-License-Identifier: GPL-2.0
/*
 * SHA-256 and HMAC-SHA256 in plain C (see ee_sha256.h).  Test vectors:
 * selftests/expether/unit/test_sha256.c (FIPS 180-4 examples, RFC 4231,
 * the management frame of protocol.rst).
 */
#include "ee_sha256.h"

static const u32 ee_sha256_k[64] = {
	0x428a2f98, 0x71374491, 0xb5c0fbcf, 0xe9b5dba5, 0x3956c25b, 0x59f111f1,
	0x923f82a4, 0xab1c5ed5, 0xd807aa98, 0x12835b01, 0x243185be, 0x550c7dc3,
	0x72be5d74, 0x80deb1fe, 0x9bdc06a7, 0xc19bf174, 0xe49b69c1, 0xefbe4786,
	0x0fc19dc6, 0x240ca1cc, 0x2de92c6f, 0x4a7484aa, 0x5cb0a9dc, 0x76f988da,
	0x983e5152, 0xa831c66d, 0xb00327c8, 0xbf597fc7, 0xc6e00bf3, 0xd5a79147,
	0x06ca6351, 0x14292967, 0x27b70a85, 0x2e1b2138, 0x4d2c6dfc, 0x53380d13,
	0x650a7354, 0x766a0abb, 0x81c2c92e, 0x92722c85, 0xa2bfe8a1, 0xa81a664b,
	0xc24b8b70, 0xc76c51a3, 0xd192e819, 0xd6990624, 0xf40e3585, 0x106aa070,
	0x19a4c116, 0x1e376c08, 0x2748774c, 0x34b0bcb5, 0x391c0cb3, 0x4ed8aa4a,
	0x5b9cca4f, 0x682e6ff3, 0x748f82ee, 0x78a5636f, 0x84c87814, 0x8cc70208,
	0x90befffa, 0xa4506ceb, 0xbef9a3f7, 0xc67178f2,
};

static inline u32 ee_ror32(u32 x, unsigned int n)
{
	return x >> n | x << (32 - n);
}

static void ee_sha256_block(u32 h[8], const u8 *p)
{
	u32 w[64], a, b, c, d, e, f, g, k, t1, t2;
	unsigned int i;

	for (i = 0; i < 16; i++)
		w[i] = (u32)p[4 * i] << 24 | (u32)p[4 * i + 1] << 16 |
		       (u32)p[4 * i + 2] << 8 | p[4 * i + 3];
	for (i = 16; i < 64; i++) {
		u32 s0 = ee_ror32(w[i - 15], 7) ^ ee_ror32(w[i - 15], 18) ^
			 (w[i - 15] >> 3);
		u32 s1 = ee_ror32(w[i - 2], 17) ^ ee_ror32(w[i - 2], 19) ^
			 (w[i - 2] >> 10);

		w[i] = w[i - 16] + s0 + w[i - 7] + s1;
	}
	a = h[0];
	b = h[1];
	c = h[2];
	d = h[3];
	e = h[4];
	f = h[5];
	g = h[6];
	k = h[7];
	for (i = 0; i < 64; i++) {
		t1 = k + (ee_ror32(e, 6) ^ ee_ror32(e, 11) ^ ee_ror32(e, 25)) +
		     ((e & f) ^ (~e & g)) + ee_sha256_k[i] + w[i];
		t2 = (ee_ror32(a, 2) ^ ee_ror32(a, 13) ^ ee_ror32(a, 22)) +
		     ((a & b) ^ (a & c) ^ (b & c));
		k = g;
		g = f;
		f = e;
		e = d + t1;
		d = c;
		c = b;
		b = a;
		a = t1 + t2;
	}
	h[0] += a;
	h[1] += b;
	h[2] += c;
	h[3] += d;
	h[4] += e;
	h[5] += f;
	h[6] += g;
	h[7] += k;
}

void ee_sha256_init(struct ee_sha256 *s)
{
	static const u32 iv[8] = {
		0x6a09e667, 0xbb67ae85, 0x3c6ef372, 0xa54ff53a,
		0x510e527f, 0x9b05688c, 0x1f83d9ab, 0x5be0cd19,
	};

	memcpy(s->h, iv, sizeof(iv));
	s->len = 0;
}

void ee_sha256_update(struct ee_sha256 *s, const void *data, size_t len)
{
	const u8 *p = data;
	size_t fill = s->len % EE_SHA256_BLOCK, n;

	s->len += len;
	if (fill) {
		n = EE_SHA256_BLOCK - fill;
		if (n > len)
			n = len;
		memcpy(s->buf + fill, p, n);
		p += n;
		len -= n;
		if (fill + n < EE_SHA256_BLOCK)
			return;
		ee_sha256_block(s->h, s->buf);
	}
	for (; len >= EE_SHA256_BLOCK; p += EE_SHA256_BLOCK,
	     len -= EE_SHA256_BLOCK)
		ee_sha256_block(s->h, p);
	if (len)
		memcpy(s->buf, p, len);
}

void ee_sha256_final(struct ee_sha256 *s, u8 out[EE_SHA256_DIGEST])
{
	u64 bits = s->len * 8;
	size_t fill = s->len % EE_SHA256_BLOCK;
	unsigned int i;

	s->buf[fill++] = 0x80;
	if (fill > EE_SHA256_BLOCK - 8) {
		memset(s->buf + fill, 0, EE_SHA256_BLOCK - fill);
		ee_sha256_block(s->h, s->buf);
		fill = 0;
	}
	memset(s->buf + fill, 0, EE_SHA256_BLOCK - 8 - fill);
	for (i = 0; i < 8; i++)
		s->buf[EE_SHA256_BLOCK - 1 - i] = (u8)(bits >> (8 * i));
	ee_sha256_block(s->h, s->buf);
	for (i = 0; i < 8; i++) {
		out[4 * i] = (u8)(s->h[i] >> 24);
		out[4 * i + 1] = (u8)(s->h[i] >> 16);
		out[4 * i + 2] = (u8)(s->h[i] >> 8);
		out[4 * i + 3] = (u8)s->h[i];
	}
	memset(s, 0, sizeof(*s));
}

void ee_sha256(const void *data, size_t len, u8 out[EE_SHA256_DIGEST])
{
	struct ee_sha256 s;

	ee_sha256_init(&s);
	ee_sha256_update(&s, data, len);
	ee_sha256_final(&s, out);
}

void ee_hmac_sha256(const u8 *key, size_t keylen, const void *data,
		    size_t len, u8 out[EE_SHA256_DIGEST])
{
	u8 k[EE_SHA256_BLOCK] = { 0 }, pad[EE_SHA256_BLOCK];
	u8 inner[EE_SHA256_DIGEST];
	struct ee_sha256 s;
	unsigned int i;

	if (keylen > EE_SHA256_BLOCK)
		ee_sha256(key, keylen, k);
	else if (keylen)
		memcpy(k, key, keylen);

	for (i = 0; i < EE_SHA256_BLOCK; i++)
		pad[i] = k[i] ^ 0x36;
	ee_sha256_init(&s);
	ee_sha256_update(&s, pad, sizeof(pad));
	ee_sha256_update(&s, data, len);
	ee_sha256_final(&s, inner);

	for (i = 0; i < EE_SHA256_BLOCK; i++)
		pad[i] = k[i] ^ 0x5c;
	ee_sha256_init(&s);
	ee_sha256_update(&s, pad, sizeof(pad));
	ee_sha256_update(&s, inner, sizeof(inner));
	ee_sha256_final(&s, out);

	memset(k, 0, sizeof(k));
	memset(pad, 0, sizeof(pad));
	memset(inner, 0, sizeof(inner));
}

int ee_memcmp_ct(const void *a, const void *b, size_t len)
{
	const u8 *x = a, *y = b;
	u8 d = 0;
	size_t i;

	for (i = 0; i < len; i++)
		d |= x[i] ^ y[i];
	return d;
}

void ee_mgmt_hmac(const u8 *key, size_t keylen, const u8 *payload,
		  u8 out[EE_SHA256_DIGEST])
{
	ee_hmac_sha256(key, keylen, payload, EE_MGMT_SIGNED_LEN, out);
}

static int ee_hexval(char c)
{
	if (c >= '0' && c <= '9')
		return c - '0';
	if (c >= 'a' && c <= 'f')
		return c - 'a' + 10;
	if (c >= 'A' && c <= 'F')
		return c - 'A' + 10;
	return -1;
}

int ee_key_from_hex(const char *text, size_t textlen,
		    u8 key[EE_MGMT_KEY_MAX])
{
	unsigned int digits = 0;
	size_t i;
	int v;

	for (i = 0; i < textlen; i++) {
		char c = text[i];

		if (c == ' ' || c == '\t' || c == '\n' || c == '\r')
			continue;
		v = ee_hexval(c);
		if (v < 0 || digits >= 2 * EE_MGMT_KEY_MAX)
			return -1;
		if (digits % 2)
			key[digits / 2] |= (u8)v;
		else
			key[digits / 2] = (u8)(v << 4);
		digits++;
	}
	if (!digits || digits % 2)
		return -1;
	return (int)(digits / 2);
}
