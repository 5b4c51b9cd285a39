#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
# eebox is killed (SIGKILL, driven from the guest through the share) while
# eecfgstress keeps config requests in flight: within the bound the module
# documents, the peer is declared dead, the slot goes down, the testdev is
# gone from lspci, every waiter has returned, and the death is counted.
#   DEAD_BOUND      the bound in seconds (default 2)
. "$(dirname "$0")/stress-lib.sh"

# shellcheck disable=SC2097,SC2098 # REAL_EEBOX is the eebox before EEBOX=
REAL_EEBOX=$EEBOX EEBOX=$E2E/eebox-killable KILL_DIR=$SHARE \
	vm_run_cs --smp 2 --box "-g 5 -d testdev" \
	-- "$E2E/peer-dead.guest.sh" "${DEAD_BOUND:-2}"
