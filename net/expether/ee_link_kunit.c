// SPDX-License-Identifier: GPL-2.0
/*
 * KUnit suite for the link (ee_link.c: Go-Back-N, pacing and the
 * retransmit ring of one peer) in the kernel build of the same source:
 * the tests of the user-space test_link, shared with it in
 * ee_link_sim.c.  Ring sizing and the queue's limits, the pacer holding
 * frames back, rate probes, then two links over a deterministic channel
 * (loss of data and of acks, reordering, duplication, peer restart, new
 * epoch, death and the next generation, sequence wrap through a small
 * ring), every delivery checked against what the peer queued, in order.
 */
#include <kunit/test.h>

#include "ee_sim.h"
#include "ee_sim_kunit.h"

static const void *ee_kt_link_gen_params(const void *prev, char *desc)
{
	return ee_kt_sim_next(ee_link_sim_tests, prev, desc);
}

static void ee_kt_link_sim(struct kunit *test)
{
	ee_kt_sim_run(test);
}

static struct kunit_case ee_link_test_cases[] = {
	KUNIT_CASE_PARAM(ee_kt_link_sim, ee_kt_link_gen_params),
	{}
};

static struct kunit_suite ee_link_test_suite = {
	.name = "expether_link",
	.test_cases = ee_link_test_cases,
};

kunit_test_suite(ee_link_test_suite);
