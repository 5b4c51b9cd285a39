#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
# Faults on what the box sends: eebox's seeded fault injection drops,
# reorders and duplicates its own frames.  10 000 scratch write/read-back
# pairs from process context, a few hundred with interrupts off and 100
# setpci pairs: every value exact; the guest retransmitted and saw the
# box's duplicates and gaps.
#   BOX_FAULTS      eebox fault options (default --drop 5 --reorder 25
#                   --dup 5 --seed 3)
#   BOX_PAIRS       scratch pairs from process context (default 10000)
#   BOX_IRQOFF      irqs-off iterations per vCPU (default 250)
. "$(dirname "$0")/stress-lib.sh"

faults=${BOX_FAULTS-"--drop 5 --reorder 25 --dup 5 --seed 3"}
vm_run_cs --smp 2 --box "-g 5 -d testdev $faults" \
	-- "$E2E/box-faults.guest.sh" "${BOX_PAIRS:-10000}" "${BOX_IRQOFF:-250}" 100
