// SPDX-License-Identifier: GPL-2.0
/*
 * Latency statistics of the benchmark tools.  Percentiles are nearest-rank
 * (the p-th percentile is the smallest sample with at least p% of the
 * samples at or below it); the median of an even count is the mean of the
 * two middle samples.
 */
#include <errno.h>
#include <stdlib.h>

#include "stats.h"

static int cmp_u64(const void *a, const void *b)
{
	uint64_t x = *(const uint64_t *)a, y = *(const uint64_t *)b;

	return x < y ? -1 : x > y;
}

/* Nearest rank of the p-th percentile (0 < p <= 100) among n samples. */
static size_t rank(size_t n, unsigned int p)
{
	size_t r = (n * p + 99) / 100;	/* ceil(n * p / 100) */

	return r ? r - 1 : 0;
}

void stats_compute(uint64_t *ns, size_t n, struct stats *st)
{
	long double sum = 0;
	size_t i;

	st->n = n;
	st->min_us = st->median_us = st->mean_us = 0;
	st->p99_us = st->max_us = 0;
	if (!n)
		return;
	qsort(ns, n, sizeof(*ns), cmp_u64);
	for (i = 0; i < n; i++)
		sum += ns[i];
	st->min_us = ns[0] / 1e3;
	st->max_us = ns[n - 1] / 1e3;
	st->mean_us = (double)(sum / n / 1e3);
	if (n % 2)
		st->median_us = ns[n / 2] / 1e3;
	else
		st->median_us = (ns[n / 2 - 1] + ns[n / 2]) / 2e3;
	st->p99_us = ns[rank(n, 99)] / 1e3;
}

void stats_print_text(FILE *f, const struct stats *st)
{
	if (!st->n) {
		fprintf(f, "no samples");
		return;
	}
	fprintf(f, "min %.1f median %.1f mean %.1f p99 %.1f max %.1f",
		st->min_us, st->median_us, st->mean_us, st->p99_us,
		st->max_us);
}

void stats_print_json(FILE *f, const struct stats *st)
{
	fprintf(f, "\"samples\": %zu", st->n);
	if (!st->n) {
		fprintf(f, ", \"min_us\": null, \"median_us\": null, "
			"\"mean_us\": null, \"p99_us\": null, \"max_us\": null");
		return;
	}
	fprintf(f, ", \"min_us\": %.3f, \"median_us\": %.3f, \"mean_us\": %.3f"
		", \"p99_us\": %.3f, \"max_us\": %.3f", st->min_us,
		st->median_us, st->mean_us, st->p99_us, st->max_us);
}

int samples_write(const char *path, const uint64_t *ns, size_t n)
{
	FILE *f = fopen(path, "w");
	size_t i;
	int err;

	if (!f)
		return -1;
	for (i = 0; i < n; i++)
		fprintf(f, "%llu\n", (unsigned long long)ns[i]);
	err = ferror(f);
	if (fclose(f) || err) {
		if (!errno)
			errno = EIO;
		return -1;
	}
	return 0;
}

int parse_ulong(const char *s, unsigned long max, unsigned long *out)
{
	unsigned long v;
	char *end;

	if (!s || !*s || *s == '-' || *s == '+')
		return -1;
	errno = 0;
	v = strtoul(s, &end, 0);
	if (errno || *end || v > max)
		return -1;
	*out = v;
	return 0;
}

void json_string(FILE *f, const char *s)
{
	fputc('"', f);
	for (; *s; s++) {
		unsigned char c = (unsigned char)*s;

		if (c == '"' || c == '\\')
			fprintf(f, "\\%c", c);
		else if (c < 0x20)
			fprintf(f, "\\u%04x", c);
		else
			fputc(c, f);
	}
	fputc('"', f);
}
