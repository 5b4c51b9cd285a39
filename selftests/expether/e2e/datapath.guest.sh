# SPDX-License-Identifier: GPL-2.0
# datapath.guest.sh READS
. /share/ee-guest.sh
. /share/stress-guest.sh
ncpu=$(nproc)
# eetestdev makes 6 reads an iteration; READS over all vCPUs and pinnings.
iters=$(((${1:-100000} + 6 * ncpu * ncpu - 1) / (6 * ncpu * ncpu)))

check "modprobe expether" ee_modprobe gid=5
wait_for '[ "$(ee_ndev)" -eq 1 ]' 15 || bail_out "no testdev"
bdf=$(ee_bdfs)

out=$(eemmap "/sys/bus/pci/devices/$bdf/resource0")
expect_eq "$?" 0 "user mmap of BAR0 (no driver bound) is refused ($out)"
expect_match "$(dmesg | tail -n 5)" "cannot be mapped to user space" "...with a kernel message naming why"

check "modprobe eetestdev" modprobe eetestdev
T=/sys/kernel/debug/eetestdev/$bdf
wait_for "[ -e $T/run ]" 10 || bail_out "eetestdev did not bind to $bdf"
expect_match "$(lspci -s "$bdf" -vv)" "Kernel driver in use: eetestdev" \
	"eetestdev bound to $bdf"

# td_get KEY: KEY=value of the last result.
td_get() {
	tr ' ' '\n' <"$T/result" | sed -n "s/^$1=//p"
}

irqs=$(ee_nic_irqs | tr '\n' ' ')
irqs=${irqs% }
c=0
while [ $c -lt "$ncpu" ]; do
	# shellcheck disable=SC2086
	check "NIC IRQs pinned to CPU $c" ee_pin_irqs $c $irqs
	to0=$(ee_counter mem_timeouts)
	td_run "MMIO, $ncpu vCPU x $iters iterations (x6 reads) with interrupts off, NIC on CPU $c: every value exact" \
		"mmio $iters irqoff"
	expect_eq "$(td_get ones)/$(td_get mismatches)" "0/0" "...no all-ones, no wrong value"
	expect_eq "$(($(ee_counter mem_timeouts) - to0))" 0 "...no completion timeout"
	c=$((c + 1))
done
td_run "MMIO from process context with interrupts on" "mmio 200 plain"
# From the interrupt contexts drivers use: a timer (softirq) on the last
# vCPU, and the device's own MSI-X handler; the NIC's interrupts on CPU 0.
last=$((ncpu - 1))
# shellcheck disable=SC2086
ee_pin_irqs 0 $irqs
for ctx in softirq irq; do
	taskset -c $last sh -c "echo ctx 300 $ctx >$T/run" 2>/tmp/td.err
	st=$?
	[ $ctx = irq ] && what="the device's interrupt handler" || what="softirq context on CPU $last"
	[ $st -eq 0 ] && ok "MMIO from $what: every value exact" ||
		not_ok "MMIO from $what: every value exact" "$(cat "$T/result" /tmp/td.err)"
	diag "$(cat "$T/result")"
done

td_run "MSI-X: every vector fires; a masked vector's interrupt waits, then arrives" irq
for len in 4 4096 65536 1048576 100001; do
	td_run "DMA copy of $len bytes: every byte right" "dma copy $len"
done
td_run "DMA fill of 65536 bytes" "dma fill 65536"
td_run "DMA fill of 777 bytes" "dma fill 777"
td_run "DMA CRC32C of 262144 bytes matches" "dma crc 262144"
# Beyond the page allocator's largest block: NULL, as dma-direct answers
# without CMA (and no warning: vm-run fails the run on one).
echo "dma copy 16777216" >"$T/run" 2>/dev/null
expect_ne "$?" 0 "a 16 MiB coherent buffer is refused"
expect_eq "$(ee_counter dma_read_violations)/$(ee_counter dma_write_violations)" "0/0" \
	"...no access outside a mapping so far"

v0=$(ee_counter dma_write_violations)
td_run "rogue writes (to a page never mapped, to an unmapped IOVA): canaries unchanged" rogue
v1=$(ee_counter dma_write_violations)
[ "$v1" -gt "$v0" ] && ok "...the refused writes are counted ($v0 -> $v1)" ||
	not_ok "...the refused writes are counted" "$v0 -> $v1"
expect_match "$(dmesg | tail -n 20)" "outside any DMA mapping" "...and logged"

out=$(eemmap "/sys/bus/pci/devices/$bdf/resource0")
expect_eq "$?" 0 "user mmap of BAR0 with the driver bound is refused too ($out)"

for k in mem_reads mem_writes mem_timeouts dma_reads dma_writes dma_read_bytes dma_write_bytes msi rx_deferred; do
	diag "$k $(ee_counter $k)"
done
rmmod expether 2>/tmp/rmmod.err
expect_ne $? 0 "rmmod expether while eetestdev holds a mapping is refused ($(cat /tmp/rmmod.err))"
check "rmmod eetestdev" rmmod eetestdev
check "rmmod expether once the driver is gone" rmmod expether
tap_done
