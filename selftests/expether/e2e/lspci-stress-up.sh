#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
# The same as lspci-stress on one vCPU: the CPU that waits with interrupts
# off is the only one that can receive its completion.
. "$(dirname "$0")/e2e-lib.sh"

cp "$E2E/lspci-loop.sh" "$SHARE/"
vm_run --smp 1 --box "-g 5 -d testdev" -- "$E2E/lspci-stress.guest.sh" 300
