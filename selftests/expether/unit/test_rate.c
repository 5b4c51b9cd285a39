// SPDX-License-Identifier: GPL-2.0
/*
 * Delay-based rate control and pacing (net/expether/ee_rate.c) under a
 * simulated clock, in user space under ASan and UBSan.
 *
 * The tests live in net/expether/ee_rate_sim.c, shared with the KUnit
 * suite expether_rate: the probe burst sets the initial rate from the
 * base RTT; the rate falls when the queueing delay rises and recovers
 * when it falls; the pacer spaces frames exactly as the rate says; and,
 * closed loop over a simulated bottleneck, the rate follows its capacity.
 */
#include "ee_test.h"
#include "ee_test_sim.h"

int main(void)
{
	return ee_test_sim_main(ee_rate_sim_tests);
}
