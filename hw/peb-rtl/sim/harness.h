/* SPDX-License-Identifier: GPL-2.0 */
/*
 * expether PEB benches: what every Verilator harness shares.  The shared
 * C of net/expether is included as C (it is compiled unchanged by the
 * Makefile and linked in).
 */
#ifndef _PEB_HARNESS_H
#define _PEB_HARNESS_H

#include <cinttypes>
#include <cstdarg>
#include <cstdint>
#include <cstdio>
#include <cstdlib>
#include <cstring>

extern "C" {
#include "ee_codec.h"
#include "ee_gbn.h"
#include "ee_link.h"
}

/* A seeded generator (xorshift64*), the same sequence on every machine. */
struct Rng {
	uint64_t s;
	explicit Rng(uint64_t seed) : s(seed * 0x9e3779b97f4a7c15ull + 1) {}
	uint64_t next()
	{
		s ^= s >> 12;
		s ^= s << 25;
		s ^= s >> 27;
		return s * 0x2545f4914f6cdd1dull;
	}
	uint32_t u32() { return (uint32_t)(next() >> 32); }
	/* 0 .. n-1 */
	uint32_t below(uint32_t n) { return n ? (uint32_t)(next() % n) : 0; }
	/* true with probability pct / 100 */
	bool pct(unsigned int p) { return below(100) < p; }
};

/* TAP-like result lines; the Makefile sums "rtl: N passed, M failed". */
struct Checks {
	unsigned int pass = 0, fail = 0;
	void ok(bool good, const char *fmt, ...) __attribute__((format(printf, 3, 4)))
	{
		va_list ap;

		va_start(ap, fmt);
		printf("%s - ", good ? "ok" : "not ok");
		vprintf(fmt, ap);
		printf("\n");
		va_end(ap);
		if (good)
			pass++;
		else
			fail++;
	}
	int done(const char *name)
	{
		printf("%s: %u passed, %u failed\n", name, pass, fail);
		return fail ? 1 : 0;
	}
};

#endif /* _PEB_HARNESS_H */
