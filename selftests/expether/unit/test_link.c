// SPDX-License-Identifier: GPL-2.0
/*
 * The link (net/expether/ee_link.c: Go-Back-N, pacing and the retransmit
 * ring of one peer) under a simulated clock, in user space under ASan and
 * UBSan.
 *
 * The tests live in net/expether/ee_link_sim.c, shared with the KUnit
 * suite expether_link: ring sizing and the queue's limits, the pacer
 * holding frames back, rate probes, then two links over a deterministic
 * channel (loss of data and of acks, reordering, duplication, peer
 * restart, new epoch, death and the next generation, sequence wrap
 * through a small ring), every delivery checked against what the peer
 * queued, in order, and every counter against what the channel saw.
 */
#include "ee_test.h"
#include "ee_test_sim.h"

int main(void)
{
	return ee_test_sim_main(ee_link_sim_tests);
}
