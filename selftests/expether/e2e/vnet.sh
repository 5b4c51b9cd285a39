#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
# The stock virtio_net driver on eebox's virtio-net model through the
# tunnel, its traffic reaching a network namespace behind the box's tap:
#
#   guest eth1 (virtio_net over expether) ~ eebox virtio-net ~ tap eevn<pid>
#   -- bridge eebr<pid> -- veth -- netns eevn<pid>: 10.99.0.1/24
#
# The guest (10.99.0.2) pings the namespace and runs iperf3 to it in both
# directions; the namespace, told through the share that the guest is
# ready, pings the guest and runs iperf3 to it.  Then the same with
# interrupts as INTx (pci=nomsi; pciehp polls its slots): virtio's INTx
# handler reads the ISR, a BAR read from the interrupt path.
#   VNET_SECS       seconds per iperf3 run (default 3)
. "$(dirname "$0")/e2e-lib.sh"

secs=${VNET_SECS:-3}
for b in /usr/bin/iperf3; do
	[ -x "$b" ] || { echo "Bail out! $b missing (make deps-test)"; exit 1; }
done
ns=eevn$$ br=eebr$$ tap=eevn$$ vh=eevh$$ vp=eevp$$
cleanup_net() {
	ip netns pids "$ns" 2>/dev/null | xargs -r kill 2>/dev/null
	ip netns del "$ns" 2>/dev/null
	ip link del "$br" 2>/dev/null
	ip link del "$vh" 2>/dev/null
	ip link del "$tap" 2>/dev/null
}
trap 'cleanup_net; rm -rf "$SHARE"' EXIT
cleanup_net
ip netns add "$ns" || exit 1
ip link add "$br" type bridge || exit 1
ip link add "$vh" type veth peer name "$vp" || exit 1
ip link set "$vp" netns "$ns"
ip link set "$vh" master "$br" up
ip link set "$br" up
ip -n "$ns" addr add 10.99.0.1/24 dev "$vp"
ip -n "$ns" link set "$vp" up
ip -n "$ns" link set lo up
ip netns exec "$ns" iperf3 -s -D -p 5201 --logfile "$SHARE/iperf3-ns.log" || exit 1

# The host's half: put eebox's tap on the bridge once it exists; when the
# guest says it is ready, ping it and run iperf3 to it, results in the
# share.  One round per guest run.
host_side() {	# ROUND
	local i
	for i in $(seq 300); do
		ip link show "$tap" >/dev/null 2>&1 && break
		sleep 0.1
	done
	ip link set "$tap" master "$br" up
	for i in $(seq 1200); do
		[ -e "$SHARE/guest-ready.$1" ] && break
		sleep 0.1
	done
	[ -e "$SHARE/guest-ready.$1" ] || return
	ip netns exec "$ns" busybox ping -c 5 -i 0.2 -W 2 10.99.0.2 \
		>"$SHARE/ns-ping.$1" 2>&1
	echo $? >"$SHARE/ns-ping.$1.rc"
	ip netns exec "$ns" iperf3 -c 10.99.0.2 -t "$secs" -p 5202 \
		>"$SHARE/ns-iperf.$1" 2>&1
	echo $? >"$SHARE/ns-iperf.$1.rc"
}

rc=0
round=0
for mode in msix intx; do
	round=$((round + 1))
	append=
	[ $mode = intx ] && append="pci=nomsi pciehp.pciehp_poll_mode=1 pciehp.pciehp_poll_time=1"
	host_side $round &
	hp=$!
	vm_run --name "vnet-$mode" --smp 2 --bin /usr/bin/iperf3 \
		--append "$append" \
		--box "-g 5 -d virtio-net,tap=$tap" \
		-- "$E2E/vnet.guest.sh" "$mode" "$round" "$secs" || rc=1
	kill $hp 2>/dev/null
	wait $hp 2>/dev/null
done
exit $rc
