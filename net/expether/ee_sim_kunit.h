/* SPDX-License-Identifier: GPL-2.0 */
/*
 * Runs the scenarios shared with the user-space unit tests (ee_sim.h) as
 * KUnit tests: one parameterised case per table, one parameter per test,
 * each check a KUNIT_EXPECT_*() that names the check's own file, line
 * and condition.  Memory comes from kvzalloc(): a channel simulation
 * (about 100 KB) is far too big for a kernel stack.
 */
#ifndef _EE_SIM_KUNIT_H
#define _EE_SIM_KUNIT_H

#include <kunit/test.h>
#include <linux/mm.h>
#include <linux/slab.h>
#include <linux/string.h>

#include "ee_sim.h"

struct ee_kt_sim {
	struct kunit *test;
	unsigned long checks;
};

static void ee_kt_sim_check(struct ee_tc *tc, const struct ee_tc_check *c)
{
	struct ee_kt_sim *ks = tc->priv;
	struct kunit *test = ks->test;
	long long got = c->got, want = c->want;
	bool ok = c->ok;

	ks->checks++;
	if (c->eq)
		KUNIT_EXPECT_EQ_MSG(test, got, want, "%s:%d: %s%s%s",
				    c->file, c->line, tc->ctx,
				    tc->ctx[0] ? ": " : "", c->expr);
	else
		KUNIT_EXPECT_TRUE_MSG(test, ok, "%s:%d: %s%s%s",
				      c->file, c->line, tc->ctx,
				      tc->ctx[0] ? ": " : "", c->expr);
}

static void ee_kt_sim_note(struct ee_tc *tc, const char *line)
{
	struct ee_kt_sim *ks = tc->priv;

	kunit_info(ks->test, "%s\n", line);
}

static void *ee_kt_sim_zalloc(struct ee_tc *tc, size_t size)
{
	return kvzalloc(size, GFP_KERNEL);
}

static void ee_kt_sim_free(struct ee_tc *tc, void *p)
{
	kvfree(p);
}

static const struct ee_tc_ops ee_kt_sim_ops = {
	.check = ee_kt_sim_check,
	.note = ee_kt_sim_note,
	.zalloc = ee_kt_sim_zalloc,
	.free = ee_kt_sim_free,
};

/* KUnit parameter generator over @table (up to its NULL name). */
static const void *ee_kt_sim_next(const struct ee_sim_test *table,
				  const void *prev, char *desc)
{
	const struct ee_sim_test *t = prev ?
		(const struct ee_sim_test *)prev + 1 : table;

	if (!t->name)
		return NULL;
	strscpy(desc, t->name, KUNIT_PARAM_DESC_SIZE);
	return t;
}

/* Run the test that is this case's parameter. */
static void ee_kt_sim_run(struct kunit *test)
{
	const struct ee_sim_test *t = test->param_value;
	struct ee_kt_sim ks = { .test = test };
	struct ee_tc tc = {
		.ops = &ee_kt_sim_ops,
		.priv = &ks,
		.name = t->name,
	};

	t->run(&tc);
	kunit_info(test, "%s: %lu checks\n", t->name, ks.checks);
}

#endif /* _EE_SIM_KUNIT_H */
