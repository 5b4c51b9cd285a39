/* SPDX-License-Identifier: GPL-2.0 */
/*
 * SHA-256 (FIPS 180-4) and HMAC-SHA256 (RFC 2104) in plain C, for the
 * user-space parts that authenticate management frames: eebox, the unit
 * tests and the test tools (Documentation/expether/security.rst).  The
 * kernel module uses the kernel's crypto API instead ("hmac(sha256)");
 * the end-to-end tests check that the two agree.
 *
 * No allocation, no I/O; constant-time comparison for MACs.
 */
#ifndef _EE_SHA256_H
#define _EE_SHA256_H

#include "ee_types.h"
#include "../../include/uapi/linux/expether.h"

#define EE_SHA256_DIGEST	32
#define EE_SHA256_BLOCK		64
/* Management keys: 1..32 bytes (the RTL bridge holds 32). */
#define EE_MGMT_KEY_MAX		EXPETHER_MGMT_KEY_MAX
/* The payload bytes a management frame's HMAC covers (protocol.rst). */
#define EE_MGMT_SIGNED_LEN	28

struct ee_sha256 {
	u32 h[8];
	u64 len;			/* bytes hashed so far */
	u8 buf[EE_SHA256_BLOCK];	/* partial block */
};

void ee_sha256_init(struct ee_sha256 *s);
void ee_sha256_update(struct ee_sha256 *s, const void *data, size_t len);
void ee_sha256_final(struct ee_sha256 *s, u8 out[EE_SHA256_DIGEST]);
void ee_sha256(const void *data, size_t len, u8 out[EE_SHA256_DIGEST]);

void ee_hmac_sha256(const u8 *key, size_t keylen, const void *data,
		    size_t len, u8 out[EE_SHA256_DIGEST]);

/* Equal in time independent of where they differ: 0 if equal. */
int ee_memcmp_ct(const void *a, const void *b, size_t len);

/* The HMAC of a management payload (EXPETHER_MGMT_LEN bytes, as
 * ee_mgmt_put() writes it): over its first EE_MGMT_SIGNED_LEN bytes.
 */
void ee_mgmt_hmac(const u8 *key, size_t keylen, const u8 *payload,
		  u8 out[EE_SHA256_DIGEST]);

/* A key written as hexadecimal digits (2..64 of them, an even number;
 * blanks and newlines anywhere are ignored): its length in bytes, or -1.
 */
int ee_key_from_hex(const char *text, size_t textlen,
		    u8 key[EE_MGMT_KEY_MAX]);

#endif /* _EE_SHA256_H */
