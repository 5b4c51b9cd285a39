# SPDX-License-Identifier: GPL-2.0
# cosim.guest.sh: in the guest of `make cosim`.  The testdev behind the RTL
# bridge (peb-cosim) enumerates as it does behind eebox: lspci shows it,
# its config space read over Ethernet equals the model's byte for byte,
# config writes land, and (with eetestdev.ko) MMIO reads and writes of its
# BAR reach the model; the device's DMA (its reads and writes of host
# memory) and MSI-X interrupts come back through the bridge.
. /share/ee-guest.sh

rtl() { # KEY: a counter of the bridge or the device (peb-cosim's 1.rtl)
	awk -v k="$1" '$1 == k { print $2; f = 1 } END { if (!f) print 0 }' /share/box/1.rtl
}

check "modprobe expether dev=$EXPETHER_DEV gid=5" ee_modprobe gid=5
if wait_for '[ "$(ee_ndev)" -eq 1 ]' 30; then
	ok "the testdev behind the RTL bridge appears in lspci"
else
	bail_out "no testdev after 30 s: $(head -3 $EE_DEBUGFS/slots)"
fi
bdf=$(ee_bdfs)
expect_eq "$bdf" "ee00:01:00.0" "it sits below the first root port"
expect_match "$(lspci -s "$bdf" -nn)" "\\[1033:ee01\\]" "lspci names it 1033:ee01"

# Config reads: 1024 dwords over the RTL bridge, against the model.
ee_hex "$bdf" >/tmp/lspci.cfg
if cmp -s /tmp/lspci.cfg /share/box/1.cfg; then
	ok "lspci -xxxx equals the model's live config space (4096 bytes)"
else
	not_ok "lspci -xxxx equals the model's live config space" \
		"$(diff /tmp/lspci.cfg /share/box/1.cfg | head -20)"
fi
exp=$(ee_cap "$bdf" "Express")
allowed=" 4 5 16 17 18 19 20 21 22 23 $((exp + 8)) $((exp + 9)) "
diffs=$(awk 'NR == FNR { for (i = 2; i <= 17; i++) a[NR, i] = $i; next }
	{ for (i = 2; i <= 17; i++) if ($i != a[FNR, i])
		printf "%d ", (FNR - 1) * 16 + i - 2 }' /share/reset.cfg /tmp/lspci.cfg)
bad=
for o in $diffs; do
	case "$allowed" in *" $o "*) ;; *) bad="$bad $o" ;; esac
done
expect_eq "$bad" "" "against the reset model only BARs, Command, DevCtl differ (differ:$diffs)"
lspci -s "$bdf" -vv | grep -Eq "Region 0: Memory at .* \(64-bit, prefetchable\) (\[disabled\] )?\[size=1M\]" &&
	ok "its 64-bit prefetchable 1M BAR is assigned" ||
	not_ok "its 64-bit prefetchable 1M BAR is assigned" "$(lspci -s "$bdf" -vv | head)"

# Config writes.
vs=$(ee_cap "$bdf" "Vendor Specific")
sc=$(printf '%x' $((vs + 4)))
setpci -s "$bdf" "$sc.l=0x5a17c0de"
expect_eq "$(setpci -s "$bdf" "$sc.l")" "5a17c0de" "setpci scratch dword reads back"
setpci -s "$bdf" "$sc.l=0x0badf00d"
expect_eq "$(setpci -s "$bdf" "$sc.l")" "0badf00d" "setpci scratch dword reads back again"
setpci -s "$bdf" VENDOR_ID.w=0xbeef DEVICE_ID.w=0xcafe
expect_eq "$(setpci -s "$bdf" VENDOR_ID.w DEVICE_ID.w | tr '\n' ' ')" "1033 ee01 " \
	"writes to read-only IDs change nothing"
ee_hex "$bdf" >/tmp/lspci2.cfg
cmp -s /tmp/lspci2.cfg /share/box/1.cfg &&
	ok "the model agrees after the writes" ||
	not_ok "the model agrees after the writes" "$(diff /tmp/lspci2.cfg /share/box/1.cfg | head)"

# MMIO through a driver (eetestdev), when it is there.
if modinfo eetestdev >/dev/null 2>&1; then
	w0=$(rtl dev_mwr_tlps)
	check "modprobe eetestdev" modprobe eetestdev
	T=/sys/kernel/debug/eetestdev/$bdf
	if wait_for "[ -e $T/run ]" 10; then
		r0=$(ee_counter mem_reads)
		td_run "MMIO reads and writes of BAR0 through the RTL bridge: every value exact" \
			"mmio 100 plain"
		r1=$(ee_counter mem_reads)
		[ "$r1" -gt "$r0" ] && ok "...the reads went over Ethernet ($r0 -> $r1 mem_reads)" ||
			not_ok "...the reads went over Ethernet" "$r0 -> $r1"
		sleep 0.3
		w1=$(rtl dev_mwr_tlps)
		[ "$w1" -gt "$w0" ] && ok "...the writes reached the model ($w0 -> $w1 MWr)" ||
			not_ok "...the writes reached the model" "$w0 -> $w1"
		# the device's own requests, through the bridge's other direction
		for cmd in "dma copy 65536" "dma fill 777" "dma crc 16384" irq; do
			td_run "device $cmd through the RTL bridge" "$cmd"
		done
		diag "host: dma_reads $(ee_counter dma_reads) dma_writes $(ee_counter dma_writes) msi $(ee_counter msi)"
	else
		not_ok "eetestdev binds to $bdf" "$(dmesg | tail -5)"
	fi
	check "rmmod eetestdev" rmmod eetestdev
else
	skip "MMIO through eetestdev" "no eetestdev.ko (make selftest-modules)"
fi

expect_eq "$(ee_counter cfg_timeouts)" 0 "no completion timeouts"
expect_eq "$(ee_counter rx_malformed)" 0 "no malformed frames at the host"
sleep 0.3
expect_eq "$(rtl rx_malformed)" 0 "no malformed frames at the RTL bridge"
diag "RTL bridge: $(tr '\n' ' ' </share/box/1.rtl | head -c 900)"
check "rmmod expether" rmmod expether
check "nothing of the module is left" ee_no_trace
tap_done
