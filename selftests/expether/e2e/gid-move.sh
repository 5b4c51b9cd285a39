#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
# A device moves between two running hosts.  Two guests on one Linux
# bridge (selftests/expether/e2e/segment-lib.sh, vm-run --bridge): A in
# group 5, B in group 6, and eebox with an NVMe model in group 5.  A
# makes an ext4 filesystem and sums its files, then, while fio writes to
# the device beyond the filesystem, moves the bridge to group 6 with
# `eectl peer set MAC gid 6` (a signed management frame): A's fio ends
# with I/O errors, nothing hangs, A's slot is empty; B sees the device
# appear, mounts the filesystem and every sum matches.  Both guests'
# `eectl monitor` show their side of it in order; both logs stay clean.
#   GIDMOVE_SMP     vCPUs of each guest (default 1: two guests share the
#                   machine)
. "$(dirname "$0")/e2e-lib.sh"
. "$E2E/segment-lib.sh"

for b in /usr/bin/fio /usr/sbin/mkfs.ext4 /usr/bin/jq; do
	[ -x "$b" ] || { echo "Bail out! $b missing (make deps-test)"; exit 1; }
done
SHARE_B=$(mktemp -d "$BUILD/e2e/$TEST-b.XXXXXX")
COMMON=$(mktemp -d "$BUILD/e2e/$TEST-common.XXXXXX")
trap 'seg_down; rm -rf "$SHARE" "$SHARE_B" "$COMMON" "$SEG_LOG"' EXIT
cp "$E2E/ee-guest.sh" "$E2E/stress-guest.sh" "$SHARE/"
cp "$E2E/ee-guest.sh" "$E2E/stress-guest.sh" "$SHARE_B/"
od -An -N20 -tx1 /dev/urandom | tr -d ' \n' >"$COMMON/mgmt.key"
mkdir -p "$COMMON/box"

seg_up || { echo "Bail out! cannot set up the bridge"; exit 1; }
seg_box -g 5 -d nvme,size=128M --mgmt-key "$COMMON/mgmt.key" \
	--state-dir "$COMMON/box" || { echo "Bail out! eebox did not start"; exit 1; }

guest() { # NAME SHARE ROLE
	"$VMRUN" --name "$TEST-$1" --share "$2" --common "$COMMON" \
		--bridge "$SEG_BR" --smp "${GIDMOVE_SMP:-1}" --module ext4 \
		--bin /usr/bin/fio --bin /usr/sbin/mkfs.ext4 --bin /usr/bin/jq \
		--prefix "$3: " -- "$E2E/gid-move.guest.sh" "$3"
}
guest a "$SHARE" A &
a=$!
guest b "$SHARE_B" B &
b=$!
# A guest whose run fails (even before its script starts) tells the other
# through /common, which then stops waiting for it.
rc=0 done_a='' done_b=''
while [ -z "$done_a" ] || [ -z "$done_b" ]; do
	for g in a b; do
		v=done_$g
		[ -z "${!v}" ] || continue
		pid=${!g}
		kill -0 "$pid" 2>/dev/null && continue
		wait "$pid"
		st=$?
		printf -v "$v" 1
		[ $st -eq 0 ] || { rc=1; touch "$COMMON/${g^^}.failed"; }
	done
	sleep 0.5
done
seg_box_check || rc=1
grep -E 'moves from|now in group|refused' "$SEG_LOG" | sed 's/^/# box: /'
exit $rc
