# SPDX-License-Identifier: GPL-2.0
. /share/ee-guest.sh

check "modprobe expether cpl_timeout_ms=50" ee_modprobe gid=5 cpl_timeout_ms=50
wait_for '[ "$(ee_ndev)" -eq 1 ]' 15 || bail_out "no testdev"
bdf=$(ee_bdfs)
expect_eq "$(setpci -s "$bdf" 0.l)" "ee011033" "vendor/device read over the link"
# A frozen box also stops its DIFs: keep it attached while it is frozen
# (this is the completion timeout's test; hot-remove tests the DIF's).
check "eectl bridge set dif-timeout 60000" eectl bridge set dif-timeout 60000

touch /share/box.stop
wait_for '[ -e /share/box.stopped ]' 10 || bail_out "the box was not stopped"
t0=$(cut -d' ' -f1 /proc/uptime)
v=$(setpci -s "$bdf" 0.l)
t1=$(cut -d' ' -f1 /proc/uptime)
expect_eq "$v" "ffffffff" "a read the box does not answer returns all-ones"
ms=$(awk -v a="$t0" -v b="$t1" 'BEGIN { printf "%d", (b - a) * 1000 }')
diag "it took $ms ms (timeout 50 ms)"
[ "$ms" -lt 2000 ] && ok "...after a bounded wait" || not_ok "...after a bounded wait" "$ms ms"
n=$(ee_counter cfg_timeouts)
[ "$n" -ge 1 ] && ok "cfg_timeouts counted ($n)" || not_ok "cfg_timeouts counted"
# Sleeping waiters time out too (sysfs attributes read config in process
# context without pci_lock).
t0=$(cut -d' ' -f1 /proc/uptime)
lspci -s "$bdf" -xxx >/dev/null
t1=$(cut -d' ' -f1 /proc/uptime)
ms=$(awk -v a="$t0" -v b="$t1" 'BEGIN { printf "%d", (b - a) * 1000 }')
[ "$ms" -lt 20000 ] && ok "a full lspci -xxx returns ($ms ms)" || not_ok "a full lspci -xxx returns" "$ms ms"

rm /share/box.stop
wait_for '[ ! -e /share/box.stopped ]' 10
# Completions of the timed-out requests may still arrive: they match no
# request and are counted as unexpected.
wait_for '[ "$(setpci -s "$bdf" 0.l)" = ee011033 ]' 5 &&
	ok "reads work again once the box answers" ||
	not_ok "reads work again once the box answers"
diag "rx_unexpected_cpl $(ee_counter rx_unexpected_cpl)"
check "rmmod expether" rmmod expether
tap_done
