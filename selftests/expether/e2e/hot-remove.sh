#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
# Hot-remove on a dead I/O box: the stock nvme driver on eebox's NVMe model
# (file-backed) holds an ext4 filesystem; while fio reads the device,
# eebox is SIGKILLed (no goodbye): within the documented bound (the DIF
# timeout, three of the bridge's 100 ms intervals, plus scheduling) the
# slot is empty, fio has ended with I/O errors, nothing hung; eebox
# started again (a new epoch) is hot-added, the filesystem mounts and
# every file's sha256 matches; `eectl monitor` saw it in order.
#   HOTREMOVE_BOUND   the bound in milliseconds (default 1500: the DIF
#                     timeout, or with I/O in flight the dead bound, 512 ms,
#                     plus what a guest busy with fio takes to run its
#                     timers and workqueues under TCG: 0.5-0.85 s measured)
. "$(dirname "$0")/e2e-lib.sh"

for b in /usr/bin/fio /usr/sbin/mkfs.ext4; do
	[ -x "$b" ] || { echo "Bail out! $b missing (make deps-test)"; exit 1; }
done
IMG=$BUILD/e2e/hot-remove.$$.img
cp "$E2E/stress-guest.sh" "$SHARE/"
trap 'rm -rf "$SHARE" "$IMG"' EXIT

# shellcheck disable=SC2097,SC2098 # REAL_EEBOX is the eebox before EEBOX=
REAL_EEBOX=$EEBOX EEBOX=$E2E/eebox-restartable KILL_DIR=$SHARE \
	vm_run --smp 2 --module ext4 --bin /usr/bin/fio --bin /usr/sbin/mkfs.ext4 \
	--box "-g 5 -d nvme,size=128M,file=$IMG" \
	-- "$E2E/hot-remove.guest.sh" "${HOTREMOVE_BOUND:-1500}"
