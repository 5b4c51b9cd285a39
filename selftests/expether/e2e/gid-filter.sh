#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
# eebox with two testdevs in group 5 and one in group 6: a host of group 5
# gets exactly two, even with its NIC promiscuous (no VLAN filter helping).
. "$(dirname "$0")/e2e-lib.sh"

vm_run --smp 2 --box "-g 5 -d testdev -d testdev,bar=64K -d testdev,gid=6" \
	-- "$E2E/gid-filter.guest.sh"
