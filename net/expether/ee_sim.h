/* SPDX-License-Identifier: GPL-2.0 */
/*
 * Test scenarios of the Go-Back-N (ee_gbn), rate-control (ee_rate) and
 * link (ee_link) libraries, in plain C compiled both by the user-space
 * unit tests (selftests/expether/unit/test_gbn.c, test_rate.c,
 * test_link.c) and by the KUnit suites (ee_gbn_kunit.c, ee_rate_kunit.c,
 * ee_link_kunit.c): the rules checked one call at a time, a simulated
 * clock, deterministic channels between two endpoints, a bottleneck for
 * the rate controller, and the scenarios that drive them (ee_gbn_sim.c,
 * ee_rate_sim.c, ee_link_sim.c).
 *
 * The scenarios do not know their harness: they report every check, line
 * of information and allocation through struct ee_tc_ops, which each side
 * maps to its own (ee_test.h in user space, KUNIT_EXPECT_*() in KUnit).
 * A scenario never stops at a failed check and frees all it allocates.
 */
#ifndef _EE_SIM_H
#define _EE_SIM_H

#include "ee_types.h"

struct ee_tc;

/* One check, as reported to the harness. */
struct ee_tc_check {
	const char *expr;	/* the condition, as written */
	const char *file;
	int line;
	bool ok;
	bool eq;		/* an equality: got and want hold its sides */
	long long got;
	long long want;
};

struct ee_tc_ops {
	void (*check)(struct ee_tc *tc, const struct ee_tc_check *c);
	/* A line of information, without its newline. */
	void (*note)(struct ee_tc *tc, const char *line);
	/* Zeroed memory or NULL (a NULL is reported as a failed check). */
	void *(*zalloc)(struct ee_tc *tc, size_t size);
	void (*free)(struct ee_tc *tc, void *p);
};

/* The harness's handle, one per test run. */
struct ee_tc {
	const struct ee_tc_ops *ops;
	void *priv;		/* the harness's own */
	const char *name;	/* of the test being run */
	char ctx[48];		/* what is being checked, for failures */
};

static inline void ee_tc_report(struct ee_tc *tc, bool ok, bool eq,
				long long got, long long want,
				const char *expr, const char *file, int line)
{
	struct ee_tc_check c = {
		.expr = expr, .file = file, .line = line,
		.ok = ok, .eq = eq, .got = got, .want = want,
	};

	tc->ops->check(tc, &c);
}

/* A condition must hold. */
#define EE_TC_CHECK(tc, cond)						\
	ee_tc_report((tc), !!(cond), false, 0, 0, #cond, __FILE__, __LINE__)

/* Two integers must be equal (compared, and printed, as long long). */
#define EE_TC_EQ(tc, got, want)						\
	do {								\
		long long ee_tc_g_ = (long long)(got);			\
		long long ee_tc_w_ = (long long)(want);			\
									\
		ee_tc_report((tc), ee_tc_g_ == ee_tc_w_, true, ee_tc_g_, \
			     ee_tc_w_, #got " == " #want, __FILE__,	\
			     __LINE__);					\
	} while (0)

/* Name what the next checks are about (printed with their failures). */
static inline void ee_tc_ctx(struct ee_tc *tc, const char *what)
{
	snprintf(tc->ctx, sizeof(tc->ctx), "%s", what);
}

static inline void ee_tc_note(struct ee_tc *tc, const char *line)
{
	tc->ops->note(tc, line);
}

/* Zeroed memory; a failure is reported as a failed check. */
static inline void *ee_tc_zalloc(struct ee_tc *tc, size_t size)
{
	void *p = tc->ops->zalloc(tc, size);

	if (!p)
		ee_tc_report(tc, false, false, 0, 0, "allocation", __FILE__,
			     __LINE__);
	return p;
}

static inline void ee_tc_free(struct ee_tc *tc, void *p)
{
	if (p)
		tc->ops->free(tc, p);
}

/* A test: one TAP line in user space, one KUnit parameter in the kernel. */
struct ee_sim_test {
	const char *name;
	void (*run)(struct ee_tc *tc);
};

/* Each ends with an entry whose name is NULL. */
extern const struct ee_sim_test ee_gbn_sim_tests[];
extern const struct ee_sim_test ee_rate_sim_tests[];
extern const struct ee_sim_test ee_link_sim_tests[];

#endif /* _EE_SIM_H */
