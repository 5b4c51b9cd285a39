# SPDX-License-Identifier: GPL-2.0
# recovery.guest.sh STALL-MS CUT-MS (see recovery.sh)
. /share/ee-guest.sh
. /share/stress-guest.sh
stall_ms=${1:-1000}
cut_ms=${2:-10000}

# The transport is the subject: neither the completion timeout (1 s by
# default: the guest's clock jumps by the stall) nor the DIF timeout
# (300 ms) may end a request or detach the slot first.
check "modprobe expether cpl_timeout_ms=4000" ee_modprobe gid=5 cpl_timeout_ms=4000
check "eectl bridge set dif-timeout 60000" eectl bridge set dif-timeout 60000
wait_for '[ "$(ee_ndev)" -eq 1 ]' 15 || bail_out "no testdev"

# ---- 1. the host stalls -------------------------------------------------
deaths0=$(ee_deaths)
bdf=$(ee_bdfs)
check "modprobe eetestdev" modprobe eetestdev
T=/sys/kernel/debug/eetestdev/$bdf
wait_for "[ -e $T/run ]" 10 || bail_out "eetestdev did not bind to $bdf"
modprobe eecfgstress tag=stall mode=sleep iters=10000 idread=0 \
	timeout_s=120 >/tmp/cs.stall.out 2>&1 &
cs=$!
wait_for '[ -n "$(cs_line stall start)" ]' 10 || bail_out "eecfgstress did not start"
# The box reads and writes host memory all along (frames in flight),
# between the host's own work on the buffers.
rm -f /tmp/td.stop
(
	while [ ! -e /tmp/td.stop ]; do
		echo "dma copy 4194304" >"$T/run" || exit 1
	done
) 2>/tmp/td.err &
td=$!
# Stop QEMU until the box has declared the host dead (recovery.sh tells
# by /share/box.died): only a box with frames in flight at that moment
# times out.
n=0
while [ ! -e /share/box.died ] && [ $n -lt 8 ]; do
	n=$((n + 1))
	sleep 0.5
	echo "$stall_ms" >/share/vm.req && mv /share/vm.req /share/vm.stall
	wait_for '[ ! -e /share/vm.stall ]' 30 || bail_out "the VM was not stopped"
	diag "QEMU stopped for $(cat /share/vm.done) ms under DMA and config traffic"
	wait_for '[ -e /share/box.died ]' 1
done
[ -e /share/box.died ] && ok "the box declared the host dead (stall $n)" ||
	not_ok "the box declared the host dead" "not after $n stalls"
touch /tmp/td.stop
wait $td
expect_eq "$?" 0 "DMA copies of 4 MiB across the stalls: every byte right"
diag "$(cat "$T/result")"
wait $cs
st=$?
cs_report stall
expect_eq "$st" 0 "eecfgstress: every value read back exactly across the stalls"
expect_eq "$(ee_deaths)" "$deaths0" "the host never declared the box dead"
ee_peer_diag
rmmod eecfgstress 2>/dev/null
check "rmmod eetestdev" rmmod eetestdev

# ---- 2. a one-way outage ------------------------------------------------
gen0=$(ee_peer_vals generation)
echo "$EXPETHER_TAP $cut_ms" >/share/vm.req && mv /share/vm.req /share/vm.cut
# One config read to start with; after the first death every re-attach
# enumerates the slot, and that is traffic enough.
sleep 0.2
setpci -s "$bdf" 0.l >/dev/null 2>&1 &
wait_for '[ ! -e /share/vm.cut ]' $((cut_ms / 1000 + 30)) || bail_out "the cut did not end"
gens=$(($(ee_peer_vals generation) - gen0))
diag "$(cat /share/vm.done) ms of lost egress: $(ee_deaths) deaths, generation $gen0 -> $((gen0 + gens))"
[ "$gens" -gt 16 ] && ok "the host restarted the connection $gens times (> 16)" ||
	not_ok "the host restarted the connection more than 16 times" "$gens"
t0=$(now_ms)
if wait_for '[ "$(ee_ndev)" -eq 1 ] && [ "$(ee_peer_vals state)" = open ]' 20; then
	ok "the testdev is back ($(($(now_ms) - t0)) ms after the path healed)"
else
	not_ok "the testdev is back" "slots: $(ee_slots_attached) attached, peer $(ee_peer_vals state)"
fi
check "...and answers: 2 x 500 scratch pairs" \
	cs_run back mode=sleep iters=500 idread=0 timeout_s=60
cs_report back
ee_peer_diag
check "rmmod expether" rmmod expether
tap_done
