# SPDX-License-Identifier: GPL-2.0
# vnet.guest.sh MODE ROUND SECS
. /share/ee-guest.sh
mode=$1 round=$2 secs=$3
VNET=1af4:1041

check "modprobe expether" ee_modprobe gid=5
wait_for "[ \"\$(ee_ndev $VNET)\" -eq 1 ]" 30 || bail_out "no virtio-net device in the slot"
bdf=$(ee_bdfs $VNET)
wait_for "[ -d /sys/bus/pci/devices/$bdf/virtio1/net ] || [ -d /sys/bus/pci/devices/$bdf/virtio2/net ]" 20 ||
	bail_out "virtio_net did not bind to $bdf"
vdev=$(basename "$(ls -d /sys/bus/pci/devices/"$bdf"/virtio* | head -n 1)")
ifc=$(ls /sys/bus/pci/devices/"$bdf"/"$vdev"/net | head -n 1)
expect_match "$(lspci -s "$bdf" -k)" "Kernel driver in use: virtio-pci" "virtio-pci bound to $bdf"
ok "virtio_net made $ifc ($vdev)"
irqs=$(awk -v v="$vdev" '$NF == v || index($NF, v "-") == 1 { print $NF }' /proc/interrupts | tr '\n' ' ')
diag "its interrupts: $irqs"
case $mode in
intx)	expect_eq "$irqs" "$vdev " "...one INTx line (MSI is off)" ;;
*)	expect_match "$irqs" "$vdev-input" "...MSI-X per queue" ;;
esac
check "ip addr add 10.99.0.2/24 dev $ifc" ip addr add 10.99.0.2/24 dev "$ifc"
check "ip link set $ifc up" ip link set "$ifc" up
# The host bridges eebox's tap once eebox has made it: wait for the path.
wait_for "ping -c 1 -W 1 10.99.0.1 >/dev/null 2>&1" 30 ||
	diag "the namespace did not answer a first ping within 30 s"

out=$(ping -c 5 -i 0.2 -W 2 10.99.0.1 2>&1)
expect_eq "$?" 0 "ping the namespace behind the box's tap"
diag "$(echo "$out" | tail -n 2 | tr '\n' ' ')"
out=$(iperf3 -c 10.99.0.1 -t "$secs" -p 5201 2>&1)
expect_eq "$?" 0 "iperf3 to the namespace"
diag "$(echo "$out" | grep -E 'sender|receiver' | tr -s ' ' | tr '\n' ' ')"
out=$(iperf3 -c 10.99.0.1 -t "$secs" -p 5201 -R 2>&1)
expect_eq "$?" 0 "iperf3 from the namespace (-R)"
diag "$(echo "$out" | grep -E 'sender|receiver' | tr -s ' ' | tr '\n' ' ')"

# The namespace's turn: serve iperf3, say so, wait for its results.
iperf3 -s -1 -p 5202 >/tmp/iperf3-s.log 2>&1 &
sleep 0.5
touch "/share/guest-ready.$round"
wait_for "[ -e /share/ns-iperf.$round.rc ]" $((secs + 60)) ||
	not_ok "the namespace finished" "no results"
expect_eq "$(cat "/share/ns-ping.$round.rc" 2>/dev/null)" 0 "the namespace pings the guest"
diag "$(tail -n 2 "/share/ns-ping.$round" 2>/dev/null | tr '\n' ' ')"
expect_eq "$(cat "/share/ns-iperf.$round.rc" 2>/dev/null)" 0 "iperf3 from the namespace to the guest"
diag "$(grep -E 'sender|receiver' "/share/ns-iperf.$round" 2>/dev/null | tr -s ' ' | tr '\n' ' ')"

for k in mem_reads mem_writes dma_reads dma_writes msi intx_messages dma_read_violations dma_write_violations; do
	diag "$k $(ee_counter $k)"
done
check "ip link set $ifc down" ip link set "$ifc" down
echo "$bdf" >"/sys/bus/pci/devices/$bdf/driver/unbind"
ok "virtio-pci unbound"
check "rmmod expether" rmmod expether
tap_done
