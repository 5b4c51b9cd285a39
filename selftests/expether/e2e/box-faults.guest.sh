# SPDX-License-Identifier: GPL-2.0
# box-faults.guest.sh PAIRS IRQOFF-ITERS SETPCI-PAIRS
. /share/ee-guest.sh
. /share/stress-guest.sh
pairs=${1:-10000}
irqoff=${2:-250}
spairs=${3:-100}
ncpu=$(nproc)
iters=$(((pairs + ncpu - 1) / ncpu))

check "modprobe expether" ee_modprobe gid=5
wait_for '[ "$(ee_ndev)" -eq 1 ]' 15 || bail_out "no testdev"
bdf=$(ee_bdfs)

r0=$(ee_peer_sum rtx_frames)
d0=$(ee_peer_sum rx_dup)
o0=$(ee_peer_sum rx_ooo)
t0=$(now_ms)
setpci_pairs "$bdf" "$spairs" /tmp/setpci &
sp=$!
check "mode=sleep, $ncpu x $iters scratch pairs" \
	cs_run box-sleep mode=sleep iters="$iters" timeout_s=240
wait $sp
diag "$((($(now_ms) - t0) / 1000)) s"
cs_report box-sleep
cs_expect_pass box-sleep "...every value read back exactly"
read -r bad ones </tmp/setpci
expect_eq "$bad/$ones" "0/0" "...and $spairs setpci pairs meanwhile (bad/all-ones)"

t0=$(now_ms)
check "mode=irqoff, $ncpu x $irqoff iterations" \
	cs_run box-irqoff mode=irqoff iters="$irqoff" timeout_s=120
diag "$((($(now_ms) - t0) / 1000)) s"
cs_report box-irqoff
cs_expect_pass box-irqoff "...every access right"

expect_peer_moved rtx_frames "$r0" "the guest retransmitted"
expect_peer_moved rx_dup "$d0" "the guest received the box's duplicates"
expect_peer_moved rx_ooo "$o0" "the guest saw the box's gaps (out of order)"
for k in cfg_timeouts cfg_errors rx_unexpected_cpl tx_drops; do
	diag "$k $(ee_counter $k)"
done
ee_peer_diag
check "rmmod expether" rmmod expether
tap_done
