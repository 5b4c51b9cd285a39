#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
#
# cosim.sh PEB_COSIM [TIMEOUT]: one QEMU guest (selftests/expether/vm-run)
# with expether.ko, wired to the RTL bridge (peb-cosim in eebox's place,
# testdev behind it), runs cosim.guest.sh.  TAP output; the last line is
# "cosim: N passed, M failed".  Needs root (tap devices) and the module
# (make module; eetestdev.ko is built here if missing, for the MMIO part).
set -uo pipefail
HERE=$(cd "$(dirname "$0")" && pwd)
TOP=$(cd "$HERE/../../.." && pwd)
BIN=$1
TIMEOUT=${2:-240}
fail() {
	echo "not ok - cosim: $*"
	echo "cosim: 0 passed, 1 failed"
	exit 1
}
[ "$(id -u)" = 0 ] || fail "needs root (tap devices)"
[ -f "$TOP/expether.ko" ] || fail "no $TOP/expether.ko (make module tools)"
[ -x "$BIN" ] || fail "no $BIN"

KO=()
TESTDEV_KO=$TOP/selftests/expether/eetestdev/eetestdev.ko
if [ ! -f "$TESTDEV_KO" ] && [ -d "$TOP/selftests/expether/eetestdev" ]; then
	make -s -C "$TOP/selftests/expether/eetestdev" >/dev/null 2>&1
fi
[ -f "$TESTDEV_KO" ] && KO=(--ko "$TESTDEV_KO")

SHARE=$(mktemp -d "$HERE/../build/cosim-share.XXXXXX") || fail "mktemp"
SHARE=$(cd "$SHARE" && pwd)
trap 'rm -rf "$SHARE"' EXIT
cp "$TOP/selftests/expether/e2e/ee-guest.sh" "$SHARE/"
"$BIN" --dump-config testdev,bar=1M >"$SHARE/reset.cfg" || fail "peb-cosim --dump-config"

out=$(EEBOX=$BIN "$TOP/selftests/expether/vm-run" --name rtl-cosim --share "$SHARE" \
	--timeout "$TIMEOUT" --smp 2 "${KO[@]}" \
	--box "-g 5 -d testdev,bar=1M --state-dir $SHARE/box" \
	-- "$HERE/cosim.guest.sh" 2>&1)
st=$?
printf '%s\n' "$out"
if [ $st -ne 0 ]; then
	log=$(printf '%s\n' "$out" | sed -n 's/^# vm-run: logs in //p' | tail -1)
	[ -n "$log" ] && [ -f "$log/box0.log" ] && tail -20 "$log/box0.log" | sed 's/^/# box: /'
fi
pass=$(printf '%s\n' "$out" | grep -cE '^ok ')
failn=$(printf '%s\n' "$out" | grep -cE '^not ok ')
[ $st -eq 0 ] || [ "$failn" -gt 0 ] || failn=1
echo "cosim: $pass passed, $failn failed"
[ $st -eq 0 ] && [ "$failn" -eq 0 ]
