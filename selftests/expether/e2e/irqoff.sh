#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
# Config accesses with interrupts off (eecfgstress mode=irqoff: inside
# spin_lock_irqsave, on a kthread bound to every vCPU), the NIC's
# interrupts pinned to each vCPU in turn, on -smp 2 and on -smp 1: no
# completion timeout, no wrong data.  IRQOFF_ITERS: iterations per vCPU
# and pinning (default 2000; each is an ID read and a scratch write and
# read-back).
. "$(dirname "$0")/stress-lib.sh"

iters=${IRQOFF_ITERS:-2000}
rc=0
for smp in 2 1; do
	vm_run_cs --name "irqoff-smp$smp" --smp "$smp" --box "-g 5 -d testdev" \
		-- "$E2E/irqoff.guest.sh" "$iters" || rc=1
done
exit $rc
