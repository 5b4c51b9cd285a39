#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
# Config reads with interrupts off from both vCPUs at once, the NIC's
# interrupt pinned to one of them: every read completes, none times out.
. "$(dirname "$0")/e2e-lib.sh"

cp "$E2E/lspci-loop.sh" "$SHARE/"
vm_run --smp 2 --box "-g 5 -d testdev" -- "$E2E/lspci-stress.guest.sh" 1000
