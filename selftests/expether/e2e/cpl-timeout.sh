#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
# A box that stops answering: config reads complete with all-ones after the
# completion timeout, nothing hangs, and reads work again when it answers.
. "$(dirname "$0")/e2e-lib.sh"

REAL_EEBOX=$EEBOX EEBOX=$E2E/eebox-pausable PAUSE_DIR=$SHARE \
	vm_run --smp 2 --box "-g 5 -d testdev" -- "$E2E/cpl-timeout.guest.sh"
