#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
# Faults on what the guest sends: netem on the tunnel NIC's egress, one
# profile at a time.  For each, 10 000 scratch write/read-back pairs from
# process context (eecfgstress mode=sleep: frames go through the qdisc)
# while setpci writes and reads back Interrupt Line (interrupts off: the
# direct path, no qdisc, same connection): every value exact, and the
# guest retransmitted.
#   NETEM_PAIRS     scratch pairs per profile (default 10000)
#   NETEM_SETPCI    setpci pairs per profile (default 100)
#   NETEM_PROFILES  netem arguments, one profile per line
. "$(dirname "$0")/stress-lib.sh"

pairs=${NETEM_PAIRS:-10000}
spairs=${NETEM_SETPCI:-100}
profiles=${NETEM_PROFILES:-"loss 1%
loss 10%
delay 2ms 1ms reorder 25% duplicate 5%"}
mapfile -t prof <<<"$profiles"

vm_run_cs --smp 2 --box "-g 5 -d testdev" \
	-- "$E2E/netem.guest.sh" "$pairs" "$spairs" "${prof[@]}"
