# SPDX-License-Identifier: GPL-2.0
. /share/ee-guest.sh

check "modprobe expether dev=$EXPETHER_DEV gid=5" ee_modprobe gid=5
check "pciehp bound to the 16 root ports" \
	test "$(ls /sys/bus/pci_express/devices | grep -c '^ee00:00:.*:pcie004$')" -eq 16
if wait_for '[ "$(ee_ndev)" -eq 1 ]' 15; then
	ok "the remote testdev appears in lspci"
else
	bail_out "no testdev after 15 s: $(cat $EE_DEBUGFS/slots | head -3)"
fi
bdf=$(ee_bdfs)
expect_eq "$bdf" "ee00:01:00.0" "it sits below the first root port"
dmesg | grep -q "ee00:00:00.0: pciehp: Slot(1): Card present" &&
	ok "pciehp saw the card (not a private rescan)" ||
	not_ok "pciehp saw the card (not a private rescan)" "$(dmesg | grep pciehp | tail -5)"

# Byte for byte against the box's live config space.
ee_hex "$bdf" >/tmp/lspci.cfg
if cmp -s /tmp/lspci.cfg /share/box/1.cfg; then
	ok "lspci -xxxx equals the box's live config space (4096 bytes)"
else
	not_ok "lspci -xxxx equals the box's live config space" \
		"$(diff /tmp/lspci.cfg /share/box/1.cfg | head -20)"
fi
expect_eq "$(wc -l </tmp/lspci.cfg)" 256 "lspci shows the 4096-byte extended space"

# Against the model's reset state: only what the PCI core programs during
# hot-add may differ (BARs; Command; Device Control: MPS/MRRS).
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

# BAR assigned inside the expether window.
bar=$(awk -v d="$bdf" '$NF == d { print $1; exit }' /proc/iomem)
win=$(awk '$NF == "expether" { print $1; exit }' /proc/iomem)
diag "BAR $bar in window $win"
b0=$((0x${bar%-*})) b1=$((0x${bar#*-})) w0=$((0x${win%-*})) w1=$((0x${win#*-}))
if [ -n "$bar" ] && [ "$b0" -ge "$w0" ] && [ "$b1" -le "$w1" ] &&
   [ $((b1 - b0 + 1)) -eq $((1 << 20)) ]; then
	ok "its 1 MiB BAR is assigned inside the expether window"
else
	not_ok "its 1 MiB BAR is assigned inside the expether window" "$(cat /proc/iomem)"
fi
lspci -s "$bdf" -vv | grep -Eq "Region 0: Memory at .* \(64-bit, prefetchable\) (\[disabled\] )?\[size=1M\]" &&
	ok "lspci decodes a 64-bit prefetchable 1M BAR" ||
	not_ok "lspci decodes a 64-bit prefetchable 1M BAR" "$(lspci -s "$bdf" -vv)"

# The vendor-specific scratch dword is read-write.
vs=$(ee_cap "$bdf" "Vendor Specific")
sc=$(printf '%x' $((vs + 4)))
setpci -s "$bdf" "$sc.l=0x5a17c0de"
expect_eq "$(setpci -s "$bdf" "$sc.l")" "5a17c0de" "setpci scratch dword reads back"
setpci -s "$bdf" "$sc.l=0x0badf00d"
expect_eq "$(setpci -s "$bdf" "$sc.l")" "0badf00d" "setpci scratch dword reads back again"

# Read-only registers ignore writes.
setpci -s "$bdf" VENDOR_ID.w=0xbeef DEVICE_ID.w=0xcafe CLASS_DEVICE.w=0x0200
expect_eq "$(setpci -s "$bdf" VENDOR_ID.w DEVICE_ID.w CLASS_DEVICE.w | tr '\n' ' ')" \
	"1033 ee01 ff00 " "writes to read-only IDs and class change nothing"
ee_hex "$bdf" >/tmp/lspci2.cfg
cmp -s /tmp/lspci2.cfg /share/box/1.cfg &&
	ok "the box agrees after the writes" ||
	not_ok "the box agrees after the writes" "$(diff /tmp/lspci2.cfg /share/box/1.cfg | head)"

# Tracepoints: a config read shows up as a transmitted and a received frame.
mount -t tracefs nodev /sys/kernel/tracing 2>/dev/null
tr=/sys/kernel/tracing
if [ -d $tr/events/expether ]; then
	echo 1 >$tr/events/expether/enable
	echo >$tr/trace
	setpci -s "$bdf" 0.l >/dev/null
	echo 0 >$tr/events/expether/enable
	# A sequenced TLP frame: SEQ (0x1), ACK (0x2), TS (0x4) at least.
	grep -Eq 'expether_tx: peer=02:ee:.* type=1 flags=0x[0-9a-f]*[7f] ' $tr/trace &&
	grep -q 'expether_rx: peer=02:ee:.* type=1 ' $tr/trace &&
		ok "expether_tx/expether_rx trace a config read" ||
		not_ok "expether_tx/expether_rx trace a config read" "$(head -20 $tr/trace)"
else
	not_ok "expether tracepoints exist" "$(ls $tr/events | head)"
fi

# The module's view.
grep -E '^ +1 ' $EE_DEBUGFS/slots | grep -q ' up ' &&
	ok "debugfs shows slot 1 up" || not_ok "debugfs shows slot 1 up" "$(head -3 $EE_DEBUGFS/slots)"
expect_eq "$(ee_counter cfg_timeouts)" 0 "no completion timeouts"
expect_eq "$(ee_counter rx_malformed)" 0 "no malformed frames"
diag "$(head -3 $EE_DEBUGFS/slots)"
diag "$(cat $EE_DEBUGFS/counters)"

check "rmmod expether" rmmod expether
check "nothing of the module is left" ee_no_trace
tap_done
