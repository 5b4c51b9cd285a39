#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
# Malformed and foreign frames sent at the guest from the host side are
# counted and dropped, nothing breaks, and enumeration still works.
. "$(dirname "$0")/e2e-lib.sh"

make -s -C "$E2E" eeinject || exit 1
mkdir -p "$SHARE/box"
REAL_EEBOX=$EEBOX EEBOX=$E2E/eebox-with-inject INJECT_ARGS="-g 5 -t 20" \
	vm_run --smp 2 --box "-g 5 -d testdev --state-dir $SHARE/box" \
	-- "$E2E/malformed.guest.sh"
