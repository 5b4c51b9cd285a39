/* SPDX-License-Identifier: GPL-2.0 */
/*
 * Latency statistics shared by the benchmark tools (eeping, cfglat):
 * samples in nanoseconds in, figures in microseconds out, as text or as
 * JSON members.
 */
#ifndef _BENCH_STATS_H
#define _BENCH_STATS_H

#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <time.h>

struct stats {
	size_t n;		/* samples */
	double min_us, median_us, mean_us, p99_us, max_us;
};

/* Sort @ns[0..n) in place and fill @st; with n == 0 every figure is 0. */
void stats_compute(uint64_t *ns, size_t n, struct stats *st);

/* "min 1.2 median 3.4 mean 3.5 p99 9.1 max 12.0" (microseconds). */
void stats_print_text(FILE *f, const struct stats *st);

/* JSON members (no braces): "samples": n, "min_us": ..., "max_us": ...;
 * the figures are null when there is no sample.
 */
void stats_print_json(FILE *f, const struct stats *st);

/* Write the samples, in the order taken, one decimal nanosecond count per
 * line, to @path (created or truncated).  0, or -1 with errno set.
 */
int samples_write(const char *path, const uint64_t *ns, size_t n);

/* Nanoseconds of CLOCK_MONOTONIC. */
static inline uint64_t now_ns(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (uint64_t)ts.tv_sec * 1000000000u + (uint64_t)ts.tv_nsec;
}

/* Parse a non-negative decimal (or 0x hex) integer no larger than @max;
 * 0 on success, -1 on garbage or overflow.
 */
int parse_ulong(const char *s, unsigned long max, unsigned long *out);

/* Print a JSON string literal (quotes and escapes). */
void json_string(FILE *f, const char *s);

#endif /* _BENCH_STATS_H */
