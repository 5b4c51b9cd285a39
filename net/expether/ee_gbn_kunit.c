// SPDX-License-Identifier: GPL-2.0
/*
 * KUnit suite for Go-Back-N (ee_gbn.c) in the kernel build of the same
 * source: the tests of the user-space test_gbn, shared with it in
 * ee_gbn_sim.c.  Each rule of Documentation/expether/transport.rst one
 * call at a time, then two endpoints over a deterministic channel (loss
 * of data and of acks, reordering, duplication, sequence wrap, peer
 * restart with stale frames replayed, peer death and recovery), every
 * delivery checked against what the peer sent, in order.
 */
#include <kunit/test.h>

#include "ee_sim.h"
#include "ee_sim_kunit.h"

static const void *ee_kt_gbn_gen_params(const void *prev, char *desc)
{
	return ee_kt_sim_next(ee_gbn_sim_tests, prev, desc);
}

static void ee_kt_gbn_sim(struct kunit *test)
{
	ee_kt_sim_run(test);
}

static struct kunit_case ee_gbn_test_cases[] = {
	KUNIT_CASE_PARAM(ee_kt_gbn_sim, ee_kt_gbn_gen_params),
	{}
};

static struct kunit_suite ee_gbn_test_suite = {
	.name = "expether_gbn",
	.test_cases = ee_gbn_test_cases,
};

kunit_test_suite(ee_gbn_test_suite);
