#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
#
# Host-side self-test of the benchmark tools: no VM, no module.  eeping
# runs on one end of a veth pair inside a private network namespace and
# eeecho (a minimal ECHO responder) or eebox on the other; cfglat reads a
# plain file.  The tools run under valgrind (default when installed) or
# as ASan/UBSan builds (make SANITIZE=1), and must exit without errors or
# leaks.
#
#   selftest.sh [--check valgrind|asan|none]
#
# TAP output, "bench selftest: N passed, M failed" last; exit 1 on any
# failure.  The namespace is removed on every exit path.
set -u

HERE=$(cd "$(dirname "$0")" && pwd)
TOP=$(cd "$HERE/.." && pwd)
EEBOX=${EEBOX:-$TOP/tools/eebox/eebox}
CHECK=auto
while [ $# -gt 0 ]; do
	case $1 in
	--check) CHECK=${2:?--check needs valgrind, asan or none}; shift ;;
	*) echo "usage: $0 [--check valgrind|asan|none]" >&2; exit 2 ;;
	esac
	shift
done
if [ "$CHECK" = auto ]; then
	if command -v valgrind >/dev/null; then CHECK=valgrind; else CHECK=asan; fi
fi
[ "$(id -u)" = 0 ] || { echo "selftest.sh: needs root (netns)" >&2; exit 4; }

SFX=
case $CHECK in
asan) make -s -C "$HERE" SANITIZE=1 || exit 1; SFX=.san ;;
valgrind | none) make -s -C "$HERE" || exit 1 ;;
*) echo "selftest.sh: --check valgrind, asan or none" >&2; exit 2 ;;
esac

NS=eebench$$
WORK=$(mktemp -d)
PIDS=()
NUM=0 PASS=0 FAIL=0

cleanup() {
	local p
	for p in "${PIDS[@]}"; do
		kill -0 "$p" 2>/dev/null || continue
		kill -KILL "$p" 2>/dev/null
		wait "$p" 2>/dev/null
	done
	ip netns del "$NS" 2>/dev/null
	rm -rf "$WORK"
}
trap cleanup EXIT
trap 'exit 130' INT TERM HUP

ok() { NUM=$((NUM + 1)); PASS=$((PASS + 1)); echo "ok $NUM - $1"; }
not_ok() {
	NUM=$((NUM + 1)); FAIL=$((FAIL + 1))
	echo "not ok $NUM - $1"
	shift
	local l
	for l in "$@"; do printf '%s\n' "$l" | sed 's/^/#   /'; done
}
skip() { NUM=$((NUM + 1)); PASS=$((PASS + 1)); echo "ok $NUM - $1 # SKIP $2"; }
expect() { # DESC GOT WANT
	if [ "$2" = "$3" ]; then ok "$1"; else not_ok "$1" "got:  $2" "want: $3"; fi
}

# tool NAME ARGS...: run a tool in the namespace under the checker; the
# checker's verdict goes to $WORK/NAME.chk.  Prints the tool's stdout.
VGOPTS=(--quiet --leak-check=full --show-leak-kinds=all --errors-for-leak-kinds=all
	--error-exitcode=99)
tool() {
	local name=$1
	shift
	case $CHECK in
	valgrind)
		ip netns exec "$NS" valgrind "${VGOPTS[@]}" --log-file="$WORK/$name.vg" \
			"$HERE/$name" "$@"
		;;
	*)
		ip netns exec "$NS" "$HERE/$name$SFX" "$@"
		;;
	esac
}
# clean NAME DESC: no checker complaint in the last run of NAME.
clean() {
	local f=$WORK/$1.vg
	if [ "$CHECK" = valgrind ] && [ -s "$f" ]; then
		not_ok "$2: valgrind clean" "$(head -20 "$f")"
	else
		ok "$2: ${CHECK} clean"
	fi
	rm -f "$f"
}
jget() { # FILE KEY: a top-level JSON member
	python3 -c 'import json,sys; v=json.load(open(sys.argv[1]))[sys.argv[2]]; print(json.dumps(v) if not isinstance(v, str) else v)' "$1" "$2" 2>/dev/null
}

responder() { # eeecho ARGS... in the background on vb
	if [ "$CHECK" = valgrind ]; then
		ip netns exec "$NS" valgrind "${VGOPTS[@]}" --log-file="$WORK/eeecho.vg" \
			"$HERE/eeecho" -i vb "$@" 2>"$WORK/eeecho.err" &
	else
		ip netns exec "$NS" "$HERE/eeecho$SFX" -i vb "$@" 2>"$WORK/eeecho.err" &
	fi
	RPID=$!
	PIDS+=("$RPID")
	sleep 0.5
}
stop_responder() { # DESC
	local st
	kill -TERM "$RPID" 2>/dev/null
	wait "$RPID"
	st=$?
	expect "$1: responder exits 0 on SIGTERM" "$st" 0
	clean eeecho "$1: eeecho"
}

ip netns add "$NS" || { echo "selftest.sh: cannot create a netns" >&2; exit 4; }
ip -n "$NS" link add va type veth peer name vb || exit 4
for d in va vb; do
	ip netns exec "$NS" sysctl -q -w "net.ipv6.conf.$d.disable_ipv6=1"
	ip -n "$NS" link set "$d" up
done
ip -n "$NS" link set lo up
VB_MAC=$(ip netns exec "$NS" cat /sys/class/net/vb/address)

echo "TAP version 13"

# ---- eeping against eeecho
responder -g 5
tool eeping -i va -c 200 -w 5 -W 500 -j -q >"$WORK/p1.json"
expect "eeping learns the bridge from its DIF and gets every reply (exit)" "$?" 0
expect "peer is the responder" "$(jget "$WORK/p1.json" peer)" "$VB_MAC"
expect "group from the DIF" "$(jget "$WORK/p1.json" gid)" 5
expect "200 received" "$(jget "$WORK/p1.json" received)" 200
expect "none lost" "$(jget "$WORK/p1.json" lost)" 0
expect "200 samples" "$(jget "$WORK/p1.json" samples)" 200
med=$(jget "$WORK/p1.json" median_us)
p99=$(jget "$WORK/p1.json" p99_us)
mn=$(jget "$WORK/p1.json" min_us)
if awk -v a="$mn" -v b="$med" -v c="$p99" 'BEGIN { exit !(a > 0 && a <= b && b <= c) }'; then
	ok "0 < min <= median <= p99 ($mn $med $p99 us)"
else
	not_ok "0 < min <= median <= p99" "$(cat "$WORK/p1.json")"
fi
clean eeping "eeping, poll"

tool eeping -i va -d "$VB_MAC" -g 5 -c 200 -s 1000 -b -j -q >"$WORK/p2.json"
expect "busy-poll, -d, 1000-byte payload: exit" "$?" 0
expect "busy-poll: 200 received" "$(jget "$WORK/p2.json" received)" 200
expect "busy-poll: mode" "$(jget "$WORK/p2.json" mode)" busy
clean eeping "eeping, busy-poll"

out=$(tool eeping -i va -g 6 -L 400 -c 5 -q 2>&1)
expect "no DIF in group 6: exit 3" "$?" 3
case $out in
*"no I/O bridge DIF in group 6"*) ok "and says so" ;;
*) not_ok "and says so" "$out" ;;
esac
clean eeping "eeping, no DIF"

tool eeping -i va -d "$VB_MAC" -g 7 -c 20 -w 0 -W 50 -j -q >"$WORK/p3.json" 2>"$WORK/p3.err"
expect "wrong group: nothing answers: exit 1" "$?" 1
expect "wrong group: gives up after 5 timeouts" "$(jget "$WORK/p3.json" gave_up)/$(jget "$WORK/p3.json" lost)" true/5
expect "wrong group: no samples, null median" "$(jget "$WORK/p3.json" samples)/$(jget "$WORK/p3.json" median_us)" 0/null
if grep -q "giving up" "$WORK/p3.err"; then
	ok "wrong group: says it gives up"
else
	not_ok "wrong group: says it gives up" "$(cat "$WORK/p3.err")"
fi
clean eeping "eeping, no reply"
stop_responder "eeecho"

# A responder that goes away mid-run: eeping gives up after 10 x GIVEUP.
responder -g 5
tool eeping -i va -d "$VB_MAC" -g 5 -c 10000000 -w 0 -W 20 -G 2 -j -q \
	>"$WORK/p6.json" 2>"$WORK/p6.err" &
PPID6=$!
PIDS+=("$PPID6")
sleep 1
kill -KILL "$RPID" 2>/dev/null
wait "$RPID" 2>/dev/null
rm -f "$WORK/eeecho.vg"
wait "$PPID6"
expect "bridge gone mid-run: exit 0 (replies came)" "$?" 0
expect "bridge gone mid-run: gives up after 20 timeouts in a row" \
	"$(jget "$WORK/p6.json" gave_up)/$(jget "$WORK/p6.json" lost)" true/20
clean eeping "eeping, bridge gone"

responder -g 5 -D 10 -S 3
t0=$SECONDS
tool eeping -i va -c 300 -w 0 -W 20 -G 0 -j -q >"$WORK/p4.json"
expect "10% loss: exit 0" "$?" 0
lost=$(jget "$WORK/p4.json" lost)
rcv=$(jget "$WORK/p4.json" received)
if [ "$((lost + rcv))" = 300 ] && [ "$lost" -ge 10 ] && [ "$lost" -le 60 ]; then
	ok "10% loss: $lost of 300 lost, counted, bounded ($((SECONDS - t0)) s)"
else
	not_ok "10% loss: lost counted" "$(cat "$WORK/p4.json")"
fi
expect "10% loss: one sample per reply" "$(jget "$WORK/p4.json" samples)" "$rcv"
clean eeping "eeping, loss"
stop_responder "eeecho -D 10"

# ---- eeping against eebox, when eebox answers ECHO requests
if [ -x "$EEBOX" ]; then
	ip netns exec "$NS" "$EEBOX" -i vb -g 5 -d testdev >"$WORK/eebox.log" 2>&1 &
	BPID=$!
	PIDS+=("$BPID")
	sleep 0.5
	tool eeping -i va -c 50 -w 0 -W 200 -j -q >"$WORK/p5.json" 2>"$WORK/p5.err"
	st=$?
	if [ $st = 0 ]; then
		expect "eebox answers ECHO: 50 received" "$(jget "$WORK/p5.json" received)" 50
	elif [ $st = 1 ]; then
		skip "eebox answers ECHO" "this eebox does not answer ECHO requests yet"
	else
		not_ok "eeping against eebox (exit $st)" "$(cat "$WORK/p5.err")"
	fi
	clean eeping "eeping vs eebox"
	kill -TERM "$BPID" 2>/dev/null
	wait "$BPID" 2>/dev/null
else
	skip "eeping against eebox" "no $EEBOX (make tools)"
fi

# ---- cfglat on a file
printf '\xde\xc0\x17\x5a%.0s' $(seq 64) >"$WORK/cfg"
printf '\xff\xff\xff\xff' | dd of="$WORK/cfg" bs=1 seek=8 conv=notrunc status=none
tool cfglat -c 100 -o 4 -e 0x5a17c0de -j -q "$WORK/cfg" >"$WORK/c1.json"
expect "cfglat: exit 0" "$?" 0
expect "cfglat: 100 good reads of 0x5a17c0de" \
	"$(jget "$WORK/c1.json" good)/$(jget "$WORK/c1.json" last)/$(jget "$WORK/c1.json" samples)" \
	"100/0x5a17c0de/100"
clean cfglat "cfglat"
tool cfglat -c 10 -o 8 -j -q "$WORK/cfg" >"$WORK/c2.json"
expect "cfglat: only all-ones: exit 1" "$?" 1
expect "cfglat: all-ones counted" "$(jget "$WORK/c2.json" allones)/$(jget "$WORK/c2.json" good)" 10/0
tool cfglat -c 10 -o 0 -e 1 -j -q "$WORK/cfg" >"$WORK/c3.json"
expect "cfglat: -e mismatches counted" "$(jget "$WORK/c3.json" mismatch)/$(jget "$WORK/c3.json" good)" 10/0
clean cfglat "cfglat, bad data"
tool cfglat -q "$WORK/cfg" 2>/dev/null >/dev/null
[ "$CHECK" = valgrind ] && rm -f "$WORK/cfglat.vg"
tool cfglat -o 2 "$WORK/cfg" 2>/dev/null
expect "cfglat: unaligned offset is a usage error" "$?" 2
rm -f "$WORK/cfglat.vg"
tool cfglat -o 4092 "$WORK/cfg" 2>/dev/null
expect "cfglat: read past the end: exit 3" "$?" 3
clean cfglat "cfglat, short read"
tool cfglat ffff:ffff 2>/dev/null
expect "cfglat: no such device: exit 3" "$?" 3
rm -f "$WORK/cfglat.vg"
tool eeping -c 0 -i va 2>/dev/null
expect "eeping: -c 0 is a usage error" "$?" 2
rm -f "$WORK/eeping.vg"

echo "1..$NUM"
echo "bench selftest: $PASS passed, $FAIL failed"
[ "$FAIL" = 0 ]
