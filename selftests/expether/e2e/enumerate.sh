#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
# A testdev in eebox is hot-added under a root port and enumerated by the
# stock PCI core and pciehp; its config space, read over Ethernet, equals
# the box's byte for byte.
. "$(dirname "$0")/e2e-lib.sh"

mkdir -p "$SHARE/box"
"$EEBOX" --dump-config testdev,bar=1M >"$SHARE/reset.cfg" || exit 1
vm_run --smp 2 --box "-g 5 -d testdev,bar=1M --state-dir $SHARE/box" \
	-- "$E2E/enumerate.guest.sh"
