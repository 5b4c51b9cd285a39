# SPDX-License-Identifier: GPL-2.0
# lspci-stress.guest.sh LOOPS
. /share/ee-guest.sh
loops=${1:-1000}

check "modprobe expether" ee_modprobe gid=5
wait_for '[ "$(ee_ndev)" -eq 1 ]' 15 || bail_out "no testdev"
bdf=$(ee_bdfs)

# The NIC's receive interrupt on CPU 0 only.
irqs=$(awk -F: '/virtio[0-9]+-(input|output)|virtio[0-9]+-config/ { print $1 + 0 }' /proc/interrupts)
for irq in $irqs; do
	echo 1 >/proc/irq/"$irq"/smp_affinity
done
diag "NIC IRQs $(echo $irqs) pinned to CPU 0"
expect_ne "$irqs" "" "found the NIC's interrupts"

# lspci reads the config file under pci_lock with interrupts off.
ncpu=$(nproc)
t0=$(date +%s)
pids=
c=0
while [ $c -lt "$ncpu" ]; do
	taskset -c $c sh /share/lspci-loop.sh "$bdf" "$loops" /tmp/loop.$c &
	pids="$pids $!"
	c=$((c + 1))
done
wait $pids
t1=$(date +%s)
diag "$ncpu x $loops lspci -xxx in $((t1 - t0)) s"
c=0
while [ $c -lt "$ncpu" ]; do
	read -r bad ones </tmp/loop.$c
	expect_eq "$bad" 0 "CPU $c: all $loops reads equal the first"
	expect_eq "$ones" 0 "CPU $c: no all-ones data"
	c=$((c + 1))
done
expect_eq "$(ee_counter cfg_timeouts)" 0 "no completion timeouts"
expect_eq "$(ee_counter tx_drops)" 0 "no frame dropped on transmit"
diag "cfg_requests $(ee_counter cfg_requests) rx_polls $(ee_counter rx_polls)"
check "rmmod expether" rmmod expether
tap_done
