# SPDX-License-Identifier: GPL-2.0
# peer-dead.guest.sh BOUND-SECONDS
. /share/ee-guest.sh
. /share/stress-guest.sh
bound_ms=$((${1:-2} * 1000))

check "modprobe expether" ee_modprobe gid=5
# The transport's dead bound is the subject: the DIF timeout (as short as
# 300 ms) must not detach the slot first.
check "eectl bridge set dif-timeout 60000" eectl bridge set dif-timeout 60000
wait_for '[ "$(ee_ndev)" -eq 1 ]' 15 || bail_out "no testdev"
expect_eq "$(ee_slots_attached)" 1 "one slot attached"

# Config requests from both vCPUs, until the device goes away (or 20 s).
modprobe eecfgstress tag=dead mode=sleep iters=1000000000 max_errors=0 \
	timeout_s=20 >/tmp/cs.dead.out 2>&1 &
cs=$!
wait_for '[ -n "$(cs_line dead start)" ]' 10 || bail_out "eecfgstress did not start"
q0=$(ee_counter cfg_requests)
wait_for '[ $(($(ee_counter cfg_requests) - q0)) -ge 500 ]' 20 &&
	ok "traffic flows ($(($(ee_counter cfg_requests) - q0)) requests)" ||
	not_ok "traffic flows" "$(($(ee_counter cfg_requests) - q0)) requests"
deaths0=$(ee_deaths)
diag "the module's dead bound: $(ee_peer_vals dead_bound_ms 2>/dev/null) ms (peers dead_bound_ms); the test's: $bound_ms ms"

# Times count from just before the kill request: they include the
# wrapper's reaction (<= 50 ms), so they err on the long side.
k0=$(dmesg | wc -l)
marker="e2e peer-dead: killing eebox"
kmsg "$marker"
t0=$(now_ms)
touch /share/box.kill
wait_for '[ -e /share/box.killed ]' 10 || bail_out "the box was not killed"
diag "eebox killed mid-traffic after $(($(now_ms) - t0)) ms (cfg_requests $(ee_counter cfg_requests))"

# Watch everything that must happen, up to three times the bound, so a
# late event is reported with its time.  The peer's death is timed by
# the kernel's own timestamps (from the marker); the rest by polling
# (one round of checks takes ~0.1-0.4 s under TCG).
dead='' gone='' slot='' ret=''
since() { echo $(($(now_ms) - t0)); }
while :; do
	[ -n "$dead" ] || dead=$(ee_dead_after "$marker")
	[ -n "$gone" ] || [ "$(ee_ndev)" -ne 0 ] || gone=$(since)
	[ -n "$slot" ] || [ "$(ee_slots_attached)" -ne 0 ] || slot=$(since)
	[ -n "$ret" ] || kill -0 $cs 2>/dev/null || ret=$(since)
	[ -z "$dead" ] || [ -z "$gone" ] || [ -z "$slot" ] || [ -z "$ret" ] || break
	[ "$(since)" -le $((3 * bound_ms)) ] || break
	sleep 0.02
done

within() { # DESC MS
	if [ -z "$2" ]; then
		not_ok "$1 within $bound_ms ms" "not after $((3 * bound_ms)) ms"
	elif [ "$2" -le "$bound_ms" ]; then
		ok "$1 within $bound_ms ms ($2 ms)"
	else
		not_ok "$1 within $bound_ms ms" "after $2 ms"
	fi
}
within "the kernel log says the peer is dead" "$dead"
within "the slot is empty" "$slot"
within "the testdev is gone from lspci" "$gone"
within "eecfgstress returned (no waiter left)" "$ret"
dmesg | tail -n +$((k0 + 1)) | grep -Ei 'expether|pciehp' | grep -v eecfgstress |
	head -n 12 | while IFS= read -r l; do diag "$l"; done

if kill -0 $cs 2>/dev/null; then
	diag "eecfgstress still running: stopping it"
	kill -KILL $cs
fi
wait $cs
st=$?
cs_report dead
r=$(cs_line dead result)
expect_ne "$st" 0 "eecfgstress failed, as it must with the box dead"
expect_eq "$(cs_get "$r" stop)" gone "...and stopped because the device went away"
d=$(ee_deaths)
[ "$d" -gt "$deaths0" ] && ok "the death is counted (deaths $deaths0 -> $d)" ||
	not_ok "the death is counted" "dead/death counters: $deaths0 -> $d"
diag "peers state: $(ee_peer_vals state)"
for k in cfg_requests cfg_timeouts cfg_errors; do
	diag "$k $(ee_counter $k)"
done
t0=$(now_ms)
check "rmmod expether" rmmod expether
diag "rmmod took $(($(now_ms) - t0)) ms"
tap_done
