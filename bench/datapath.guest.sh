# SPDX-License-Identifier: GPL-2.0
# shellcheck shell=sh
#
# datapath.guest.sh BLOCKS LAT_COUNT FIO_SECS PINGS IPERF_SECS: the guest
# half of bench/datapath.  Everything measured goes to /share/out/ as the
# tools print it; bench/datapath turns it into figures.  The NIC's
# interrupts stay on CPU 0 and every measuring process runs on CPU 1.
. /share/ee-guest.sh
. /share/stress-guest.sh
blocks=$1 latn=$2 fsecs=$3 pings=$4 isecs=$5
O=/share/out
mkdir -p $O

check "modprobe expether" ee_modprobe gid=5
wait_for '[ "$(ee_ndev 1033:ee01)" -eq 1 ] && [ "$(ee_ndev 1033:ee02)" -eq 1 ] && [ "$(ee_ndev 1af4:1041)" -eq 1 ]' 60 ||
	bail_out "the three devices did not all arrive"
check "modprobe eetestdev" modprobe eetestdev
check "modprobe nvme" modprobe nvme
td=/sys/kernel/debug/eetestdev/$(ee_bdfs 1033:ee01)
wait_for "[ -e $td/run ]" 10 || bail_out "eetestdev did not bind"
mac=$(awk '$7 == "1033:ee01" { print $5 }' "$EE_DEBUGFS/slots")
[ -n "$mac" ] || bail_out "no slot for the testdev"
irqs=$(ee_nic_irqs | tr '\n' ' ')
# shellcheck disable=SC2086
check "NIC interrupts on CPU 0" ee_pin_irqs 0 $irqs
on1() { taskset -c 1 "$@"; }

# 1. MMIO read latency against the raw round trip, interleaved blocks.
b=1
while [ $b -le "$blocks" ]; do
	on1 eeping -i "$EXPETHER_DEV" -d "$mac" -g 5 -b -c "$latn" -w 50 \
		-r "$O/echo.$b.samples" -q -j >"$O/echo.$b.json" ||
		not_ok "eeping block $b"
	on1 sh -c "echo lat $latn >$td/run" && cat "$td/result" >"$O/lat.$b.txt" ||
		not_ok "MMIO latency block $b" "$(cat "$td/result")"
	b=$((b + 1))
done
ok "latency: $blocks blocks of $latn echo round trips and MMIO reads"

# 2. Raw link capacity: ECHO frames of 1400 bytes, 32 in flight.
on1 eeblast -i "$EXPETHER_DEV" -d "$mac" -g 5 -s 1400 -W 32 -T "$fsecs" -j \
	>"$O/blast.json" && ok "raw link capacity" || not_ok "raw link capacity"

# 3. fio: QEMU's own NVMe (the device in the local slot) and the tunnel.
for n in /sys/block/nvme*n1; do
	d=/dev/${n##*/}
	case $(readlink -f "$n/device/device") in
	*/ee00:*) tunnel=$d ;;
	*) direct=$d ;;
	esac
done
[ -n "${tunnel:-}" ] && [ -n "${direct:-}" ] || bail_out "not both NVMe devices: ${tunnel:-} ${direct:-}"
diag "direct $direct, tunnel $tunnel"
for where in direct tunnel; do
	eval dev=\$$where
	for job in seqread:read:128k seqwrite:write:128k randread:randread:4k; do
		name=${job%%:*}
		rest=${job#*:}
		on1 fio --name="$name" --filename="$dev" --rw="${rest%%:*}" \
			--bs="${rest#*:}" --iodepth=16 --ioengine=libaio --direct=1 \
			--size=128M --time_based --runtime="$fsecs" --ramp_time=1 \
			--output-format=terse --terse-version=3 \
			>"$O/fio.$where.$name.txt" 2>&1 ||
			not_ok "fio $name on $where"
	done
done
ok "fio runs"

# 4. ping and iperf3: the guest's own virtio-net (eth0, 10.98.0.2) and
#    virtio-net through the tunnel (10.99.0.2), to one namespace.
vb=$(ee_bdfs 1af4:1041)
wait_for "ls /sys/bus/pci/devices/$vb/virtio*/net >/dev/null 2>&1" 20 || bail_out "no tunnelled NIC"
vifc=$(ls /sys/bus/pci/devices/"$vb"/virtio*/net | head -n 1)
ip addr add 10.98.0.2/24 dev "$EXPETHER_DEV"
ip addr add 10.99.0.2/24 dev "$vifc"
ip link set "$vifc" up
wait_for "ping -c 1 -W 1 10.98.0.1 >/dev/null && ping -c 1 -W 1 10.99.0.1 >/dev/null" 30 ||
	bail_out "the namespace does not answer"
for where in direct tunnel; do
	[ $where = direct ] && peer=10.98.0.1 || peer=10.99.0.1
	on1 ping -c "$pings" -i 0.2 "$peer" >"$O/ping.$where.txt" 2>&1 ||
		not_ok "ping $where"
	on1 iperf3 -c "$peer" -t "$isecs" -J >"$O/iperf.$where.json" 2>&1 ||
		not_ok "iperf3 $where"
	on1 iperf3 -c "$peer" -t "$isecs" -R -J >"$O/iperf.$where.R.json" 2>&1 ||
		not_ok "iperf3 -R $where"
done
ok "ping and iperf3"
cp "$EE_DEBUGFS/counters" "$O/counters.txt"
tap_done
