// SPDX-License-Identifier: GPL-2.0
/*
 * Go-Back-N (net/expether/ee_gbn.c) under a simulated clock, in user
 * space under ASan and UBSan.
 *
 * The tests live in net/expether/ee_gbn_sim.c, shared with the KUnit
 * suite expether_gbn: part one calls the API directly and checks each
 * rule of Documentation/expether/transport.rst; part two connects two
 * endpoints through a deterministic channel (seeded PRNG: loss,
 * duplication, reordering, jitter, cuts) and checks, for every scenario,
 * that each receiver delivered exactly the payloads its peer sent, in
 * order, and that the counters agree with what the channel saw.
 */
#include "ee_test.h"
#include "ee_test_sim.h"

int main(void)
{
	return ee_test_sim_main(ee_gbn_sim_tests);
}
