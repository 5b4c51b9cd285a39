#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
# The link comes back after the two failures that hit one end only
# (host-faults does them on the guest's request):
#  1. a host stall: the guest's QEMU is stopped for a second while the
#     testdev copies 4 MiB by DMA again and again and config traffic
#     runs, so the box,
#     with frames in flight, declares the host dead; the host's next DIF
#     resumes the box's connection where it stopped: the copy and every
#     config value exact, the host never declares the box dead, the box
#     log says "resumed";
#  2. a one-way outage: for 10 s everything the guest sends is dropped
#     while the box's frames and DIFs still reach it, so the host
#     declares the box dead, re-attaches and restarts the connection
#     again and again (more than 16 generations, the old reach of a SYN);
#     once the path heals the box follows the host's latest generation
#     and the testdev answers again.
#   RECOVERY_STALL_MS   the QEMU stop (default 1000)
#   RECOVERY_CUT_MS     the one-way outage (default 10000)
. "$(dirname "$0")/stress-lib.sh"
. "$E2E/segment-lib.sh"

faults=
cleanup() {
	[ -z "$faults" ] || kill "$faults" "$died" 2>/dev/null
	seg_down
	rm -rf "$SHARE" "$SEG_LOG"
}
trap cleanup EXIT
TESTDEV_KO=$TOP/selftests/expether/eetestdev/eetestdev.ko
[ -f "$TESTDEV_KO" ] || { echo "Bail out! no $TESTDEV_KO (make selftest-modules)"; exit 1; }
seg_up || { echo "Bail out! cannot set up the bridge"; exit 1; }
# The box's DMA waits (1 s by default) must outlast the stall too.
seg_box -g 5 -d testdev --dma-timeout 4000 ||
	{ echo "Bail out! eebox did not start"; exit 1; }
"$E2E/host-faults" "$SHARE" &
faults=$!
# Tell the guest when the box has declared it dead.
(
	until grep -q "peer dead" "$SEG_LOG"; do sleep 0.1; done
	touch "$SHARE/box.died"
) &
died=$!
vm_run_cs --bridge "$SEG_BR" --smp 2 --ko "$TESTDEV_KO" \
	-- "$E2E/recovery.guest.sh" "${RECOVERY_STALL_MS:-1000}" \
	"${RECOVERY_CUT_MS:-10000}"
rc=$?
seg_box_check || rc=1
log=$(ls -d "$BUILD"/logs/recovery-* 2>/dev/null | tail -n 1)
[ -z "$log" ] || cp "$SEG_LOG" "$log/box.log"
if grep -q "connection resumed" "$SEG_LOG"; then
	echo "ok - eebox resumed the host's connection after the stall"
else
	echo "not ok - eebox resumed the host's connection after the stall"
	rc=1
fi
grep -E 'peer dead|resumed|restarted|generation' "$SEG_LOG" | head -n 20 | sed 's/^/# box: /'
exit $rc
