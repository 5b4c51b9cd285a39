# SPDX-License-Identifier: GPL-2.0
. /share/ee-guest.sh

# Promiscuous, so the foreign group's frames reach the module too.
ip link set "$EXPETHER_DEV" promisc on
check "modprobe expether gid=5" ee_modprobe gid=5
wait_for '[ "$(ee_ndev)" -eq 1 ]' 15 || bail_out "no testdev"

# eeinject sends 7 bad frames every 20 ms: wait for 20 rounds of them.
wait_for '[ "$(ee_counter rx_malformed)" -ge 120 ]' 30
diag "$(grep -E 'malformed|foreign|other|unexpected' $EE_DEBUGFS/counters)"
for c in rx_malformed_truncated rx_malformed_unknown_version \
	 rx_malformed_unknown_frame_type rx_malformed_TLP_length_mismatch \
	 rx_malformed_forbidden_field_value rx_malformed_no_802.1Q_tag \
	 rx_foreign_gid; do
	n=$(ee_counter "$c")
	[ "$n" -ge 20 ] && ok "$c counted ($n)" || not_ok "$c counted" "got $n"
done
expect_eq "$(grep -c ' up ' $EE_DEBUGFS/slots)" 1 "the foreign bridge got no slot"

# Still working: the same device, its config space intact and writable.
expect_eq "$(ee_ndev)" 1 "the testdev is still there"
bdf=$(ee_bdfs)
ee_hex "$bdf" >/tmp/lspci.cfg
cmp -s /tmp/lspci.cfg /share/box/1.cfg && ok "lspci still equals the box" ||
	not_ok "lspci still equals the box" "$(diff /tmp/lspci.cfg /share/box/1.cfg | head)"
sc=$(printf '%x' $(($(ee_cap "$bdf" "Vendor Specific") + 4)))
setpci -s "$bdf" "$sc.l=0x600dcafe"
expect_eq "$(setpci -s "$bdf" "$sc.l")" "600dcafe" "scratch dword still reads back"
expect_eq "$(ee_counter cfg_timeouts)" 0 "no completion timeouts"

# And a fresh enumeration under the same fire.
check "rmmod expether" rmmod expether
check "modprobe again" ee_modprobe gid=5
wait_for '[ "$(ee_ndev)" -eq 1 ]' 15 && ok "enumeration works again" ||
	not_ok "enumeration works again"
check "rmmod expether" rmmod expether
tap_done
