# SPDX-License-Identifier: GPL-2.0
. /share/ee-guest.sh

# Promiscuous: the NIC passes every VLAN; the module must filter itself.
ip link set "$EXPETHER_DEV" promisc on
check "modprobe expether gid=5" ee_modprobe gid=5
wait_for '[ "$(ee_ndev)" -ge 2 ]' 20 || diag "$(cat $EE_DEBUGFS/slots | head -4)"
wait_for '[ "$(ee_counter rx_foreign_gid)" -ge 5 ]' 5
expect_eq "$(ee_ndev)" 2 "exactly the two testdevs of group 5 appear"
expect_eq "$(grep -c ' up ' $EE_DEBUGFS/slots)" 2 "two slots are up"
n=$(ee_counter rx_foreign_gid)
[ "$n" -gt 0 ] && ok "group 6's frames were seen and counted as foreign ($n)" ||
	not_ok "group 6's frames were seen and counted as foreign"
sizes=$(for d in $(ee_bdfs); do lspci -s "$d" -vv | sed -n 's/.*Region 0:.*\[size=\([0-9A-Z]*\)\].*/\1/p'; done | sort | tr '\n' ' ')
expect_eq "$sizes" "1M 64K " "each is its own device (BAR sizes 1M and 64K)"
expect_eq "$(ee_counter cfg_timeouts)" 0 "no completion timeouts"
check "rmmod expether" rmmod expether
tap_done
