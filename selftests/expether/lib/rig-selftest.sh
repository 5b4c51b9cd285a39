# SPDX-License-Identifier: GPL-2.0
# shellcheck shell=sh
# Self-test of the vm-run rig (no module, no box needed):
#   vm-run --share DIR -- lib/rig-selftest.sh TOKEN ['ARG WITH SPACES']
# writes TOKEN to $EXPETHER_SHARE/rig-selftest.out for the host to check.
# shellcheck source=selftests/expether/lib/guest.sh
. "$EXPETHER_LIB"

tap_plan 12

expect_eq "$#" 2 "two arguments passed"
expect_eq "$2" "arg with 'quotes' and spaces" "argument quoting survives"

pci=$(lspci -nn)
diag "$pci"
expect_match "$pci" 'Virtio (1.0 )?network device' "lspci shows the virtio NIC"
expect_match "$pci" 'Virtio (1.0 )?filesystem' "lspci shows the virtio 9p device"

if [ -n "${EXPETHER_DEV:-}" ] && [ -d "/sys/class/net/$EXPETHER_DEV" ]; then
	ok "EXPETHER_DEV=$EXPETHER_DEV exists"
else
	not_ok "EXPETHER_DEV exists" "EXPETHER_DEV='${EXPETHER_DEV:-}'"
fi
check "$EXPETHER_DEV is up" sh -c "ip link show dev $EXPETHER_DEV | grep -q '[<,]UP[,>]'"
expect_eq "$(ethtool -i "$EXPETHER_DEV" | sed -n 's/^driver: //p')" virtio_net \
	"ethtool sees the virtio_net driver"

echo "$1" >"$EXPETHER_SHARE/rig-selftest.out"
sync
expect_eq "$(cat "$EXPETHER_SHARE/rig-selftest.out")" "$1" "share is writable"

check "modprobe sch_netem + netem qdisc" sh -c \
	"modprobe sch_netem && tc qdisc add dev $EXPETHER_DEV root netem delay 1ms && tc qdisc del dev $EXPETHER_DEV root"
check "modprobe 8021q + VLAN device" sh -c \
	"modprobe 8021q && ip link add link $EXPETHER_DEV name ee.5 type vlan id 5 && ip link del ee.5"

touch /tmp/flag-later
( sleep 1; rm /tmp/flag-later ) &
if wait_for '[ ! -e /tmp/flag-later ]' 5; then
	ok "wait_for sees a condition become true"
else
	not_ok "wait_for sees a condition become true"
fi

if modinfo expether >/dev/null 2>&1; then
	ok "expether module is installed ($(modinfo -F vermagic expether | cut -d' ' -f1))"
else
	skip "expether module is installed" "no expether.ko in the initramfs"
fi

tap_done
