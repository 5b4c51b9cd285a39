// SPDX-License-Identifier: GPL-2.0
/*
 * KUnit suite for delay-based rate control and pacing (ee_rate.c) in the
 * kernel build of the same source: the tests of the user-space
 * test_rate, shared with it in ee_rate_sim.c.  Probe start-up and
 * timeouts, the exact decrease and increase steps, delay steps and
 * jitter, pacing intervals and burst, and a closed loop over a simulated
 * bottleneck whose capacity drops and recovers.
 */
#include <kunit/test.h>

#include "ee_sim.h"
#include "ee_sim_kunit.h"

static const void *ee_kt_rate_gen_params(const void *prev, char *desc)
{
	return ee_kt_sim_next(ee_rate_sim_tests, prev, desc);
}

static void ee_kt_rate_sim(struct kunit *test)
{
	ee_kt_sim_run(test);
}

static struct kunit_case ee_rate_test_cases[] = {
	KUNIT_CASE_PARAM(ee_kt_rate_sim, ee_kt_rate_gen_params),
	{}
};

static struct kunit_suite ee_rate_test_suite = {
	.name = "expether_rate",
	.test_cases = ee_rate_test_cases,
};

kunit_test_suite(ee_rate_test_suite);
