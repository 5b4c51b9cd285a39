/* SPDX-License-Identifier: GPL-2.0 */
/*
 * Tiny test harness for the expether user-space unit tests.
 *
 *	EE_CHECK(cond, fmt, ...)	count a check; print "not ok" if false
 *	EE_CHECK_EQ(got, want)		integers, both values printed on failure
 *	ee_test_begin("name")/ee_test_end()	group checks into one TAP line
 *	return ee_test_summary();	from main(): prints the plan and, as
 *					the last line, "N passed, M failed"
 *
 * The Makefile's `run` target adds up the last lines of all test programs.
 * Include from exactly one file per test program.
 */
#ifndef _EE_TEST_H
#define _EE_TEST_H

#include <stdarg.h>
#include <stdio.h>
#include <string.h>

static unsigned long ee_t_pass, ee_t_fail;
static unsigned long ee_t_group_fail, ee_t_group_checks;
static unsigned int ee_t_groups;
static const char *ee_t_group;
static char ee_t_ctx[128];	/* optional context, printed with failures */

static void __attribute__((format(printf, 4, 5)))
ee_t_failed(const char *file, int line, const char *expr, const char *fmt,
	    ...)
{
	va_list ap;

	ee_t_fail++;
	ee_t_group_fail++;
	printf("not ok - %s:%d: %s%s%s: %s", file, line,
	       ee_t_group ? ee_t_group : "", ee_t_ctx[0] ? "/" : "", ee_t_ctx,
	       expr);
	/* fmt is " " followed by the caller's format, if any */
	if (fmt[0] && fmt[1]) {
		printf(":");
		va_start(ap, fmt);
		vprintf(fmt, ap);
		va_end(ap);
	}
	printf("\n");
	fflush(stdout);
}

#define EE_CHECK(cond, ...)						\
	do {								\
		ee_t_group_checks++;					\
		if (cond)						\
			ee_t_pass++;					\
		else							\
			ee_t_failed(__FILE__, __LINE__, #cond, " " __VA_ARGS__); \
	} while (0)

#define EE_CHECK_EQ(got, want)						\
	do {								\
		long long ee_g_ = (long long)(got);			\
		long long ee_w_ = (long long)(want);			\
		EE_CHECK(ee_g_ == ee_w_, "got %lld (0x%llx), want %lld (0x%llx)", \
			 ee_g_, (unsigned long long)ee_g_, ee_w_,	\
			 (unsigned long long)ee_w_);			\
	} while (0)

static void __attribute__((format(printf, 1, 2))) ee_test_ctx(const char *fmt,
							    ...)
{
	va_list ap;

	va_start(ap, fmt);
	vsnprintf(ee_t_ctx, sizeof(ee_t_ctx), fmt, ap);
	va_end(ap);
}

static void ee_test_begin(const char *name)
{
	ee_t_group = name;
	ee_t_group_fail = 0;
	ee_t_group_checks = 0;
	ee_t_ctx[0] = '\0';
}

static void ee_test_end(void)
{
	ee_t_groups++;
	printf("%sok %u - %s (%lu checks)\n", ee_t_group_fail ? "not " : "",
	       ee_t_groups, ee_t_group, ee_t_group_checks);
	fflush(stdout);
	ee_t_group = NULL;
	ee_t_ctx[0] = '\0';
}

static int ee_test_summary(void)
{
	printf("1..%u\n", ee_t_groups);
	printf("%lu passed, %lu failed\n", ee_t_pass, ee_t_fail);
	return ee_t_fail ? 1 : 0;
}

#endif /* _EE_TEST_H */
