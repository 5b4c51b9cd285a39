/* SPDX-License-Identifier: GPL-2.0 */
/*
 * Runs the scenarios shared with the KUnit suites (net/expether/ee_sim.h)
 * under ee_test.h: each test of a table is one group (one TAP line), each
 * check it reports is an EE_CHECK/EE_CHECK_EQ, each note a "# " line.
 *
 *	int main(void) { return ee_test_sim_main(ee_gbn_sim_tests); }
 *
 * Include from exactly one file per test program, after ee_test.h.
 */
#ifndef _EE_TEST_SIM_H
#define _EE_TEST_SIM_H

#include <stdlib.h>

#include "ee_test.h"
#include "ee_sim.h"

static void ee_ts_check(struct ee_tc *tc, const struct ee_tc_check *c)
{
	ee_t_group_checks++;
	if (c->ok) {
		ee_t_pass++;
		return;
	}
	ee_test_ctx("%s", tc->ctx);
	if (c->eq)
		ee_t_failed(c->file, c->line, c->expr,
			    " got %lld (0x%llx), want %lld (0x%llx)", c->got,
			    (unsigned long long)c->got, c->want,
			    (unsigned long long)c->want);
	else
		ee_t_failed(c->file, c->line, c->expr, " ");
}

static void ee_ts_note(struct ee_tc *tc, const char *line)
{
	(void)tc;
	printf("# %s\n", line);
}

static void *ee_ts_zalloc(struct ee_tc *tc, size_t size)
{
	(void)tc;
	return calloc(1, size);
}

static void ee_ts_free(struct ee_tc *tc, void *p)
{
	(void)tc;
	free(p);
}

static const struct ee_tc_ops ee_ts_ops = {
	.check = ee_ts_check,
	.note = ee_ts_note,
	.zalloc = ee_ts_zalloc,
	.free = ee_ts_free,
};

/* Run every test of @t (up to its NULL name); returns the exit status. */
static int ee_test_sim_main(const struct ee_sim_test *t)
{
	for (; t->name; t++) {
		struct ee_tc tc = { .ops = &ee_ts_ops, .name = t->name };

		ee_test_begin(t->name);
		t->run(&tc);
		ee_test_end();
	}
	return ee_test_summary();
}

#endif /* _EE_TEST_SIM_H */
