# SPDX-License-Identifier: GPL-2.0
. /share/ee-guest.sh

# bad_param DESC DMESG-ERE ARGS...: modprobe must fail, say why, leave no trace.
bad_param() {
	desc=$1 msg=$2
	shift 2
	dmesg -C
	if modprobe expether "$@" 2>/tmp/err; then
		not_ok "modprobe expether $*: refused" "it loaded"
		rmmod expether
		return
	fi
	if dmesg | grep -Eq "$msg"; then
		ok "modprobe expether $*: refused, $desc"
	else
		not_ok "modprobe expether $*: refused, $desc" "$(cat /tmp/err; dmesg | tail -3)"
	fi
	ee_no_trace && ok "  ...and nothing is left" || not_ok "  ...and nothing is left"
}

bad_param "dev= is required" "expether: dev= is required"
bad_param "names the missing device" "expether: dev=nosuch0: no such network device" dev=nosuch0
bad_param "refuses loopback" "expether: dev=lo: not an Ethernet device" dev=lo
bad_param "gid=0 out of range" "expether: gid=0 is invalid" dev="$EXPETHER_DEV" gid=0
bad_param "gid=4095 out of range" "expether: gid=4095 is invalid" dev="$EXPETHER_DEV" gid=4095
bad_param "gid=abc not a number" "expether: gid=abc is invalid" dev="$EXPETHER_DEV" gid=abc
bad_param "slots=0 out of range" "expether: slots=0 is invalid" dev="$EXPETHER_DEV" slots=0
bad_param "slots=256 out of range" "expether: slots=256 is invalid" dev="$EXPETHER_DEV" slots=256
bad_param "ethertype=0x8100 is VLAN" "expether: ethertype=0x8100 is invalid" dev="$EXPETHER_DEV" ethertype=0x8100
bad_param "ethertype=0x100 too small" "expether: ethertype=0x100 is invalid" dev="$EXPETHER_DEV" ethertype=0x100

for p in dev gid ethertype slots cpl_timeout_ms; do
	modinfo -F parm expether | grep -q "^$p:" && ok "modinfo describes $p=" ||
		not_ok "modinfo describes $p="
done

check "modprobe expether slots=128" ee_modprobe gid=7 slots=128
n=$(ls /sys/bus/pci_express/devices | grep -c '^ee00:00:.*:pcie004$')
expect_eq "$n" 128 "pciehp bound to all 128 root ports"
expect_eq "$(lspci -d 1033:ee00 | grep -c .)" 128 "lspci lists 128 root ports"
expect_eq "$(cat /sys/module/expether/parameters/gid)" 7 "gid parameter reads back"
expect_eq "$(lspci -s ee00:00:0f.7 -vv | grep -o 'Slot #[0-9]*')" "Slot #128" "the last port is physical slot 128"
check "rmmod expether" rmmod expether
check "nothing of the module is left" ee_no_trace
tap_done
