#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
# The control plane through eectl (generic netlink) on one guest and an
# eebox testdev: error paths (no module, unknown object, bad GID, no
# permission, the kernel's extack), -j JSON against the plain output,
# slot detach and attach, management frames: a forged one and a replayed
# one are refused and counted by the box and the device stays; a genuine
# one moves it to group 4093 and eebox's control socket brings it back;
# `eectl monitor` (plain and -j) shows it all in order, and the rogue
# DMA writes of testdev (driven by eetestdev.ko) as dma-violation events;
# eectl shows,
# sets, fails and monitors under valgrind without a leak or an error;
# rmmod with the device attached and idle is clean.
. "$(dirname "$0")/e2e-lib.sh"

CTL=$BUILD/e2e/control.$$.ctl
TESTDEV_KO=$TOP/selftests/expether/eetestdev/eetestdev.ko
[ -f "$TESTDEV_KO" ] || { echo "Bail out! no $TESTDEV_KO (make selftest-modules)"; exit 1; }
# The management key the module and the box share (20 random bytes).
od -An -N20 -tx1 /dev/urandom | tr -d ' \n' >"$SHARE/mgmt.key"
mkdir -p "$SHARE/box"
cp "$E2E/stress-guest.sh" "$SHARE/"
# valgrind for eectl in the guest: memcheck, its preloads, and the debug
# symbols of ld.so it needs (libc6-dbg).
VG=(--bin /usr/bin/valgrind.bin)
ldso=$(readlink -f /lib64/ld-linux-x86-64.so.2)
bid=$(readelf -n "$ldso" 2>/dev/null | awk '/Build ID/ { print $3 }')
if [ -x /usr/bin/valgrind.bin ] && [ -n "$bid" ] &&
   [ -f "/usr/lib/debug/.build-id/${bid:0:2}/${bid:2}.debug" ]; then
	mkdir -p "$SHARE/vg/dbg/.build-id/${bid:0:2}"
	for f in memcheck-amd64-linux vgpreload_core-amd64-linux.so \
		 vgpreload_memcheck-amd64-linux.so default.supp; do
		cp "/usr/libexec/valgrind/$f" "$SHARE/vg/"
	done
	cp "/usr/lib/debug/.build-id/${bid:0:2}/${bid:2}.debug" \
		"$SHARE/vg/dbg/.build-id/${bid:0:2}/"
else
	VG=()	# the guest skips those checks, saying why
fi
trap 'rm -rf "$SHARE" "$CTL"' EXIT

vm_run --bin /usr/bin/jq --bin /usr/bin/setpriv --bin "$E2E/eemgmt" "${VG[@]}" \
	--ko "$TESTDEV_KO" \
	--box "-g 5 -d testdev,rogue --mgmt-key $SHARE/mgmt.key --state-dir $SHARE/box --control $CTL" \
	-- "$E2E/control.guest.sh" &
vm=$!
# The guest asks for the control socket through the share.
while kill -0 $vm 2>/dev/null; do
	if [ -e "$SHARE/ctl.request" ]; then
		req=$(cat "$SHARE/ctl.request")
		rm -f "$SHARE/ctl.request"
		# shellcheck disable=SC2086 # the request is words
		"$EEBOX" --ctl "$CTL" $req >"$SHARE/ctl.reply.tmp" 2>&1
		echo "status $?" >>"$SHARE/ctl.reply.tmp"
		mv "$SHARE/ctl.reply.tmp" "$SHARE/ctl.reply"
	fi
	sleep 0.1
done
wait $vm
