# SPDX-License-Identifier: GPL-2.0
# irqoff.guest.sh ITERS [EXPETHER-ARGS]
. /share/ee-guest.sh
. /share/stress-guest.sh
iters=${1:-2000}
ncpu=$(nproc)

# shellcheck disable=SC2086 # module arguments are words
check "modprobe expether" ee_modprobe ${2:-gid=5}
wait_for '[ "$(ee_ndev)" -eq 1 ]' 15 || bail_out "no testdev"
irqs=$(ee_nic_irqs | tr '\n' ' ')
irqs=${irqs% }
expect_ne "$irqs" "" "found the NIC's interrupts ($irqs)"

c=0
while [ $c -lt "$ncpu" ]; do
	# shellcheck disable=SC2086
	check "NIC IRQs pinned to CPU $c" ee_pin_irqs $c $irqs
	n0=
	for i in $irqs; do n0="$n0 $(ee_irq_count "$i" $c)"; done
	to0=$(ee_counter cfg_timeouts)
	t0=$(now_ms)
	tag=irqoff-smp$ncpu-cpu$c
	check "mode=irqoff, $ncpu CPU x $iters iterations, NIC on CPU $c" \
		cs_run "$tag" mode=irqoff iters="$iters" timeout_s=200
	diag "$((($(now_ms) - t0) / 1000)) s"
	cs_report "$tag"
	cs_expect_pass "$tag" "...every access right (no all-ones, no mismatch)"
	expect_eq "$(($(ee_counter cfg_timeouts) - to0))" 0 "...no completion timeout"
	n1=
	for i in $irqs; do n1="$n1 $(ee_irq_count "$i" $c)"; done
	diag "NIC IRQs taken on CPU $c before:$n0 after:$n1"
	c=$((c + 1))
done
for k in tx_drops cfg_requests cfg_errors cfg_timeouts rx_unexpected_cpl rx_polls; do
	diag "$k $(ee_counter $k)"
done
ee_peer_diag
check "rmmod expether" rmmod expether
tap_done
