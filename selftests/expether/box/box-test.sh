#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
#
# Host-side tests of eebox, the software I/O box: no kernel module, no VM.
# eebox runs on one end of a veth pair inside a private network namespace;
# eeprobe, a minimal user-space host-side bridge, talks to it from the other
# end.  eebox runs under valgrind (default when installed) or as an
# ASan/UBSan build, and must exit cleanly with no leaks.
#
#   box-test.sh [--check valgrind|asan|none] [-v]
#
# Prints TAP lines, ends with "N passed, M failed", exits 1 on any failure
# (4 when it cannot run: not root, no netns support).  The namespace and
# everything in it are removed on every exit path.

set -u

TOP=$(cd "$(dirname "$0")/../../.." && pwd)
CHECK=auto
VERBOSE=0
while [ $# -gt 0 ]; do
	case "$1" in
	--check) CHECK=${2:?--check needs valgrind, asan or none}; shift ;;
	-v) VERBOSE=1 ;;
	*) echo "usage: $0 [--check valgrind|asan|none] [-v]" >&2; exit 2 ;;
	esac
	shift
done
if [ "$CHECK" = auto ]; then
	if command -v valgrind >/dev/null; then CHECK=valgrind; else CHECK=asan; fi
fi

NS=eeboxt$$
WORK=
BOXPID=
PIDS=()		# every eebox started, for cleanup
PASS=0
FAIL=0
NUM=0

cleanup() {
	local p
	for p in "${PIDS[@]}"; do
		kill -0 "$p" 2>/dev/null || continue
		kill -KILL "$p" 2>/dev/null
		wait "$p" 2>/dev/null
	done
	ip netns del "$NS" 2>/dev/null
	[ -n "$WORK" ] && rm -rf "$WORK"
}
trap cleanup EXIT
trap 'exit 130' INT TERM HUP

ok() {
	NUM=$((NUM + 1)); PASS=$((PASS + 1))
	echo "ok $NUM - $1"
}

not_ok() {
	NUM=$((NUM + 1)); FAIL=$((FAIL + 1))
	echo "not ok $NUM - $1"
	shift
	local l
	for l in "$@"; do echo "#   $l"; done
}

# check DESCRIPTION COMMAND...: one TAP line from a command's status.
check() {
	local desc=$1
	shift
	if "$@"; then ok "$desc"; else not_ok "$desc"; fi
}

# expect DESCRIPTION GOT WANT
expect() {
	if [ "$2" = "$3" ]; then
		ok "$1"
	else
		not_ok "$1" "got:  $2" "want: $3"
	fi
}

# contains DESCRIPTION TEXT PATTERN (extended regex)
contains() {
	if grep -Eq -- "$3" <<<"$2"; then
		ok "$1"
	else
		not_ok "$1" "no match for: $3" "in: $(head -c 600 <<<"$2")"
	fi
}

finish() {
	echo "1..$NUM"
	echo "$PASS passed, $FAIL failed"
	[ "$FAIL" -eq 0 ]
	exit $?
}

bail() {
	not_ok "$1"
	finish
}

if [ "$(id -u)" -ne 0 ]; then
	echo "# SKIP box-test.sh needs root (network namespaces, AF_PACKET)"
	echo "1..0"
	echo "0 passed, 0 failed"
	exit 4
fi

WORK=$(mktemp -d /tmp/eebox-test.XXXXXX)

# ---- build -------------------------------------------------------------

if [ "$CHECK" = asan ]; then
	EEBOX=$WORK/asan/eebox
	build=(make -s -C "$TOP/tools/eebox" O="$WORK/asan" SANITIZE=1)
else
	EEBOX=$TOP/tools/eebox/eebox
	build=(make -s -C "$TOP/tools/eebox")
fi
if "${build[@]}" >"$WORK/build.log" 2>&1; then
	ok "build eebox ($CHECK)"
else
	bail "build eebox" "$(tail -5 "$WORK/build.log")"
fi
if make -s -C "$TOP/selftests/expether/box" O="$WORK" >"$WORK/build.log" 2>&1; then
	ok "build eeprobe"
else
	bail "build eeprobe"
fi
PROBE=$WORK/eeprobe

export ASAN_OPTIONS=detect_leaks=1:abort_on_error=0:exitcode=99
export UBSAN_OPTIONS=print_stacktrace=1:halt_on_error=1:exitcode=99

# ---- command line -------------------------------------------------------

# usage_err DESCRIPTION WANT_STATUS WANT_MESSAGE ARGS...
usage_err() {
	local desc=$1 want=$2 msg=$3 out st
	shift 3
	out=$("$EEBOX" "$@" 2>&1 >/dev/null)
	st=$?
	if [ "$st" = "$want" ] && grep -Fq -- "$msg" <<<"$out"; then
		ok "$desc"
	else
		not_ok "$desc" "status $st (want $want), stderr: $out" \
			"want message: $msg"
	fi
}

usage_err "bad bar size" 2 \
	"eebox: -d testdev,bar=3M: bar must be a power of two from 4K to 64G" \
	-i lo -g 5 -d testdev,bar=3M
usage_err "bar too small" 2 "bar must be a power of two" \
	-i lo -g 5 -d testdev,bar=2K
usage_err "bar too big" 2 "bar must be a power of two" \
	-i lo -g 5 -d testdev,bar=128G
usage_err "unknown device" 2 "eebox: -d nodev: unknown device 'nodev'" \
	-i lo -g 5 -d nodev
usage_err "unknown option" 2 "eebox: -d testdev,colour=red: unknown option 'colour'" \
	-i lo -g 5 -d testdev,colour=red
usage_err "option without value" 2 "option 'bar' needs a value" \
	-i lo -g 5 -d testdev,bar
usage_err "missing -i" 2 "missing -i" -g 5 -d testdev
usage_err "missing -g" 2 "missing -g" -i lo -d testdev
usage_err "missing -d" 2 "missing -d" -i lo -g 5
usage_err "gid 0" 2 "eebox: -g 0: gid must be from 1 to 4094" -i lo -g 0 -d testdev
usage_err "gid 4095" 2 "gid must be from 1 to 4094" -i lo -g 4095 -d testdev
usage_err "device gid out of range" 2 "eebox: -d testdev,gid=5000: gid must be from 1 to 4094" \
	-i lo -g 5 -d testdev,gid=5000
usage_err "vectors out of range" 2 "vectors must be from 1 to 128" \
	-i lo -g 5 -d testdev,vectors=0
usage_err "bad mac" 2 "mac must be a unicast address" \
	-i lo -g 5 -d testdev,mac=03:00:00:00:00:01
usage_err "duplicate mac" 2 "is also device 1's" \
	-i lo -g 5 -d testdev,mac=02:ee:00:00:00:07 -d testdev,mac=02:ee:00:00:00:07
usage_err "bad interval" 2 "interval must be" -i lo -g 5 -d testdev --interval 0
usage_err "bad ethertype" 2 "ethertype must be" -i lo -g 5 -d testdev --ethertype 0x8100
usage_err "unknown command-line option" 2 "unknown option '--frobnicate'" --frobnicate
usage_err "missing interface" 1 "eebox: eebx-nosuch0: No such device" \
	-i eebx-nosuch0 -g 5 -d testdev
usage_err "bad --dump-config" 2 "eebox: --dump-config testdev,bar=5K: bar must be" \
	--dump-config testdev,bar=5K

# ---- --dump-config ------------------------------------------------------

DUMP=$("$EEBOX" --dump-config testdev)
expect "--dump-config exits 0" "$?" 0
expect "--dump-config prints 256 rows" "$(wc -l <<<"$DUMP")" 256
bad_rows=$(grep -Evc '^[0-9a-f]{2,3}:( [0-9a-f]{2}){16}$' <<<"$DUMP")
expect "--dump-config rows look like lspci -xxxx" "$bad_rows" 0
expect "--dump-config row 00" "$(sed -n 1p <<<"$DUMP")" \
	"00: 33 10 01 ee 00 00 10 00 01 00 00 ff 00 00 00 00"
expect "--dump-config row 10 (BAR0: 64-bit prefetchable)" "$(sed -n 2p <<<"$DUMP")" \
	"10: 0c 00 00 00 00 00 00 00 00 00 00 00 00 00 00 00"
expect "--dump-config row 20 (subsystem)" "$(sed -n 3p <<<"$DUMP")" \
	"20: 00 00 00 00 00 00 00 00 00 00 00 00 33 10 01 ee"
expect "--dump-config row 30 (capabilities at 0x40, pin 0)" "$(sed -n 4p <<<"$DUMP")" \
	"30: 00 00 00 00 40 00 00 00 00 00 00 00 00 00 00 00"
expect "--dump-config row 90 (vendor cap, scratch 0)" "$(sed -n 10p <<<"$DUMP")" \
	"90: 09 00 08 01 00 00 00 00 00 00 00 00 00 00 00 00"
expect "--dump-config row 100 (no extended capabilities)" "$(sed -n 17p <<<"$DUMP")" \
	"100: 00 00 00 00 00 00 00 00 00 00 00 00 00 00 00 00"
expect "--dump-config vectors=8" \
	"$("$EEBOX" --dump-config testdev,vectors=8 | sed -n 9p)" \
	"80: 00 00 00 00 11 90 07 00 00 00 00 00 00 08 00 00"

if command -v lspci >/dev/null; then
	{ echo "01:00.0 testdev"; echo "$DUMP"; } >"$WORK/dump.lspci"
	LSPCI=$(lspci -F "$WORK/dump.lspci" -vvv -nn 2>/dev/null)
	for pat in '\[1033:ee01\] \(rev 01\)' 'Unassigned class \[ff00\]' \
		'Region 0: Memory at .*\(64-bit, prefetchable\)' \
		'Capabilities: \[40\] Power Management version 3' \
		'Capabilities: \[48\] Express \(v2\) Endpoint' \
		'DevCap:.*MaxPayload 256 bytes' 'FLReset-' \
		'LnkCap:.*Speed 2.5GT/s, Width x1' \
		'LnkSta:.*Speed 2.5GT/s, Width x1' \
		'Capabilities: \[84\] MSI-X: Enable- Count=4 Masked-' \
		'Vector table: BAR=0 offset=00000000' 'PBA: BAR=0 offset=00000800' \
		'Capabilities: \[90\] Vendor Specific Information: Len=08'; do
		contains "lspci decodes the dump: $pat" "$LSPCI" "$pat"
	done
else
	echo "# lspci not installed: skipping the lspci decode checks"
fi

# ---- the box ------------------------------------------------------------

if ! ip netns add "$NS" 2>"$WORK/ns.log"; then
	echo "# SKIP cannot create a network namespace: $(cat "$WORK/ns.log")"
	finish
fi
nsx() { ip netns exec "$NS" "$@"; }
# start_box LOG COMMAND...: run in the namespace in the background; `ip
# netns exec` execs COMMAND, so BOXPID is eebox (or valgrind) itself.
start_box() {
	local log=$1
	shift
	ip netns exec "$NS" "$@" </dev/null 2>"$log" &
	BOXPID=$!
	PIDS+=("$BOXPID")
}
# stop_box SECONDS: wait that long for BOXPID to exit (SIGKILL after), then
# reap it; STATUS is its exit status, "timeout" if it had to be killed.
stop_box() {
	local i p keep=()
	for ((i = 0; i < $1 * 4; i++)); do
		kill -0 "$BOXPID" 2>/dev/null || break
		sleep 0.25
	done
	if kill -0 "$BOXPID" 2>/dev/null; then
		kill -KILL "$BOXPID"
		wait "$BOXPID"
		STATUS=timeout
	else
		wait "$BOXPID"
		STATUS=$?
	fi
	for p in "${PIDS[@]}"; do [ "$p" = "$BOXPID" ] || keep+=("$p"); done
	PIDS=("${keep[@]}")
	BOXPID=
}
nsx sysctl -qw net.ipv6.conf.all.disable_ipv6=1 net.ipv6.conf.default.disable_ipv6=1
nsx ip link add eb0 type veth peer name eh0 || bail "create veth pair"
nsx ip link set eb0 up && nsx ip link set eh0 up || bail "set veth up"

STATE=$WORK/state
BOXLOG=$WORK/eebox.log
box_cmd=("$EEBOX" -i eb0 -g 5 -d testdev -d testdev,bar=64K
	 -d testdev,gid=6,vectors=8 --state-dir "$STATE" -v)
if [ "$CHECK" = valgrind ]; then
	box_cmd=(valgrind --quiet --error-exitcode=99 --leak-check=full
		 --show-leak-kinds=all --errors-for-leak-kinds=all
		 --log-file="$WORK/valgrind.log" "${box_cmd[@]}")
fi
start_box "$BOXLOG" "${box_cmd[@]}"

probe() { nsx "$PROBE" -i eh0 "$@"; }

# Wait (up to 20 s under valgrind) for the first DIFs.
for _ in $(seq 40); do
	[ -f "$STATE/3.cfg" ] && break
	kill -0 "$BOXPID" 2>/dev/null || break
	sleep 0.5
done
kill -0 "$BOXPID" 2>/dev/null || bail "eebox starts" "$(tail -5 "$BOXLOG")"
ok "eebox starts"

# The state files right after start are the reset config spaces.
expect "state file 1 = --dump-config testdev" \
	"$(cat "$STATE/1.cfg")" "$DUMP"
expect "state file 2 = --dump-config testdev,bar=64K" \
	"$(cat "$STATE/2.cfg")" "$("$EEBOX" --dump-config testdev,bar=64K)"
expect "state file 3 = --dump-config testdev,gid=6,vectors=8" \
	"$(cat "$STATE/3.cfg")" "$("$EEBOX" --dump-config testdev,gid=6,vectors=8)"

# ---- DIFs ---------------------------------------------------------------

# The default MAC: 02:ee + 24-bit FNV-1a hash of the interface name + index.
fnv24() {
	local s=$1 h=2166136261 i c
	for ((i = 0; i < ${#s}; i++)); do
		printf -v c '%d' "'${s:i:1}"
		h=$(( ((h ^ c) * 16777619) & 0xffffffff ))
	done
	# fold to 24 bits: (h >> 24) ^ (h & 0xffffff)
	printf '%02x:%02x:%02x' $(( (h >> 16) & 0xff )) \
		$(( (h >> 8) & 0xff )) $(( (h ^ h >> 24) & 0xff ))
}
H=$(fnv24 eb0)
MAC1=02:ee:$H:01
MAC2=02:ee:$H:02
MAC3=02:ee:$H:03

DIFS=$(probe difs 1000)
for i in 1 2 3; do
	mac=02:ee:$H:0$i
	gid=5; [ $i = 3 ] && gid=6
	id=0x2ee${H//:/}0$i
	lines=$(grep "src=$mac " <<<"$DIFS")
	n=$(grep -c . <<<"$lines")
	if [ "$n" -ge 5 ] && [ "$n" -le 13 ]; then
		ok "device $i: $n DIFs in 1 s (every 100 ms)"
	else
		not_ok "device $i: $n DIFs in 1 s (want about 10)" "$DIFS"
	fi
	first=$(head -1 <<<"$lines")
	contains "device $i: DIF fields" "$first" \
		"^dif src=$mac vid=$gid role=2 flags=1 interval=100 mac=$mac gid=$gid id=$id epoch=0x[0-9a-f]+ vendor=0x1033 device=0xee01 class_rev=0xff000001 ssvid=0x1033 ssid=0xee01$"
	epochs=$(sed -n 's/.* epoch=\(0x[0-9a-f]*\) .*/\1/p' <<<"$lines" | sort -u)
	if [ "$(grep -c . <<<"$epochs")" = 1 ] && [ "$epochs" != 0x0 ]; then
		ok "device $i: one non-zero epoch ($epochs)"
	else
		not_ok "device $i: epoch" "$epochs"
	fi
done

# ---- configuration requests ---------------------------------------------

OUT=$(probe -x cfgrd "$MAC1" 5 0)
contains "CfgRd0 reg 0: CplD SC 33 10 01 ee" "$OUT" \
	"^cpl kind=CplD status=0 cpl_id=0x0100 req_id=0x0008 tag=[0-9]+ bc=4 la=0 len=1 data=33 10 01 ee$"
contains "first reply frame: from the device, our VLAN, SEQ|SYN, seq 0" "$OUT" \
	"^frame src=$MAC1 dst=[0-9a-f:]+ vid=5 flags=0x11 seq=0 len=16$"
# On the wire: TPID 81 00, TCI 00 05, EtherType 88 b5 at 12; CplD header
# at 42 (Fmt/Type 0x4a, Length 1); data at 54.
raw=$(sed -n 's/^raw //p' <<<"$OUT")
expect "CfgRd0 reply bytes 12-17 (tag, EtherType)" "$(cut -d' ' -f13-18 <<<"$raw")" \
	"81 00 00 05 88 b5"
expect "CfgRd0 reply bytes 42-45 (CplD, Length 1)" "$(cut -d' ' -f43-46 <<<"$raw")" \
	"4a 00 00 01"
expect "CfgRd0 reply bytes 54-57 (data)" "$(cut -d' ' -f55-58 <<<"$raw")" \
	"33 10 01 ee"

OUT=$(probe cfgrd "$MAC1" 5 8)
contains "later reply frames: SEQ only" "$OUT" "^frame .* flags=0x1 seq=1 len=16$"
s1=$(sed -n 's/^frame .* seq=\([0-9]*\) .*/\1/p' <<<"$OUT")
s2=$(probe cfgrd "$MAC1" 5 8 | sed -n 's/^frame .* seq=\([0-9]*\) .*/\1/p')
expect "reply sequence numbers increase by one" "$((s2 - s1))" 1

cfgrd_data() { probe cfgrd "$@" | sed -n 's/^cpl .* data=//p'; }
cfgwr_status() { probe cfgwr "$@" | sed -n 's/^cpl kind=Cpl status=\([0-9]*\) .*/\1/p'; }

expect "CfgWr0 scratch dword 0x94: Cpl SC" "$(cfgwr_status "$MAC1" 5 0x94 0xdeadbeef)" 0
expect "scratch reads back what was written" "$(cfgrd_data "$MAC1" 5 0x94)" "ef be ad de"
cfgwr_status "$MAC1" 5 0x94 0x11223344 0x5 >/dev/null
expect "byte enables 0101 write bytes 0 and 2 only" \
	"$(cfgrd_data "$MAC1" 5 0x94)" "44 be 22 de"
expect "scratch of device 2 is separate" "$(cfgrd_data "$MAC2" 5 0x94)" "00 00 00 00"

expect "write to the read-only ID register: SC" "$(cfgwr_status "$MAC1" 5 0 0xffffffff)" 0
expect "read-only ID register unchanged" "$(cfgrd_data "$MAC1" 5 0)" "33 10 01 ee"
cfgwr_status "$MAC1" 5 8 0 >/dev/null
expect "read-only class/revision unchanged" "$(cfgrd_data "$MAC1" 5 8)" "01 00 00 ff"
cfgwr_status "$MAC1" 5 4 0xffff0547 >/dev/null
expect "Command: only MEM/MASTER/PARITY/SERR/INTX bits stick; Status W1C" \
	"$(cfgrd_data "$MAC1" 5 4)" "46 05 10 00"
cfgwr_status "$MAC1" 5 4 0 >/dev/null

expect "BAR0 sizing (1M, 64-bit prefetchable)" \
	"$(cfgwr_status "$MAC1" 5 0x10 0xffffffff; cfgrd_data "$MAC1" 5 0x10)" \
	"$(printf '0\n0c 00 f0 ff')"
cfgwr_status "$MAC1" 5 0x14 0xffffffff >/dev/null
expect "BAR1 (upper half) sizing" "$(cfgrd_data "$MAC1" 5 0x14)" "ff ff ff ff"
cfgwr_status "$MAC2" 5 0x10 0xffffffff >/dev/null
expect "BAR0 sizing of the 64K device" "$(cfgrd_data "$MAC2" 5 0x10)" "0c 00 ff ff"
expect "unimplemented BAR2 stays 0" \
	"$(cfgwr_status "$MAC1" 5 0x18 0xffffffff >/dev/null; cfgrd_data "$MAC1" 5 0x18)" \
	"00 00 00 00"

OUT=$(probe cfgrd "$MAC1" 5 0 0x0101)
contains "config read to function 1: UR" "$OUT" \
	"^cpl kind=Cpl status=1 cpl_id=0x0101 req_id=0x0008 tag=[0-9]+ bc=4 la=0 len=0$"
OUT=$(probe cfgrd "$MAC1" 5 0 0x0108)
contains "config read to device 1: UR" "$OUT" "^cpl kind=Cpl status=1 cpl_id=0x0108 "
OUT=$(probe cfgwr "$MAC1" 5 0x94 0 0xf 0x0101)
contains "config write to function 1: UR" "$OUT" "^cpl kind=Cpl status=1 "
expect "... and it changed nothing" "$(cfgrd_data "$MAC1" 5 0x94)" "44 be 22 de"
OUT=$(probe cfgrd1 "$MAC1" 5 0)
contains "CfgRd1: UR" "$OUT" "^cpl kind=Cpl status=1 cpl_id=0x0200 "

OUT=$(probe -t 500 cfgrd "$MAC1" 6 0)
expect "device 1 ignores its MAC on another GID" "$OUT" timeout
OUT=$(probe -t 500 cfgrd "$MAC3" 5 0)
expect "device 3 (gid 6) ignores GID 5" "$OUT" timeout
contains "device 3 answers on GID 6" "$(probe cfgrd "$MAC3" 6 0)" \
	"^cpl kind=CplD status=0 .* data=33 10 01 ee$"
OUT=$(probe -t 500 cfgrd 02:ee:00:00:00:99 5 0)
expect "frames for other MACs are ignored" "$OUT" timeout

# ---- memory requests ----------------------------------------------------

BAR=0xfe000000
cfgwr_status "$MAC1" 5 0x10 $BAR >/dev/null
cfgwr_status "$MAC1" 5 0x14 0 >/dev/null
expect "BAR0 programmed" "$(cfgrd_data "$MAC1" 5 0x10)" "0c 00 00 fe"
contains "MRd with Memory Space disabled: UR" \
	"$(probe mrd "$MAC1" 5 $((BAR + 0x1000)) 1)" "^cpl kind=Cpl status=1 .* bc=4 "
probe mwr "$MAC1" 5 $((BAR + 0x1000)) 9 9 9 9
cfgwr_status "$MAC1" 5 4 0x2 >/dev/null
expect "Memory Space Enable set" "$(cfgrd_data "$MAC1" 5 4)" "02 00 10 00"
expect "MWr with Memory Space disabled was dropped" \
	"$(probe mrd "$MAC1" 5 $((BAR + 0x1000)) 1 | sed -n 's/^cpl .* data=//p')" \
	"00 00 00 00"
probe mwr "$MAC1" 5 $((BAR + 0x1000)) 1 2 3 4 5 6 7 8
OUT=$(probe mrd "$MAC1" 5 $((BAR + 0x1000)) 2)
contains "MRd reads back the MWr" "$OUT" \
	"^cpl kind=CplD status=0 cpl_id=0x0100 req_id=0x0008 tag=[0-9]+ bc=8 la=0 len=2 data=01 02 03 04 05 06 07 08$"
OUT=$(probe mrd "$MAC1" 5 $((BAR + 0x1004)) 1 0x6)
contains "MRd 1 DW, BE 0110: bc 2, la 5" "$OUT" " bc=2 la=5 len=1 data=05 06 07 08$"
contains "MSI-X vectors come out of reset masked" \
	"$(probe mrd "$MAC1" 5 $((BAR + 0xc)) 1)" " data=01 00 00 00$"

# 400 bytes from BAR+0x1004, first BE 1110, last BE 0011, MPS 128: split
# at the 128-byte RCB: 124 + 128 + 128 + 20 bytes.
OUT=$(probe mrd "$MAC1" 5 $((BAR + 0x1004)) 100 0xe 0x3)
got=$(sed -n 's/^cpl kind=CplD status=0 .* bc=\([0-9]*\) la=\([0-9]*\) len=\([0-9]*\) .*/\1\/\2\/\3/p' <<<"$OUT" | tr '\n' ' ')
expect "MRd 100 DW split at RCB/MPS 128 (bc/la/len)" "$got" \
	"397/5/31 274/0/32 146/0/32 18/0/5 "
# MPS 256 (Device Control at 0x50): 512 aligned bytes in two completions.
cfgwr_status "$MAC1" 5 0x50 0x2830 >/dev/null
expect "Device Control: MPS 256" "$(cfgrd_data "$MAC1" 5 0x50)" "30 28 00 00"
OUT=$(probe mrd "$MAC1" 5 $((BAR + 0x1000)) 128)
got=$(sed -n 's/^cpl kind=CplD status=0 .* bc=\([0-9]*\) la=\([0-9]*\) len=\([0-9]*\) .*/\1\/\2\/\3/p' <<<"$OUT" | tr '\n' ' ')
expect "MRd 128 DW with MPS 256 (bc/la/len)" "$got" "512/0/64 256/0/64 "
contains "MRd beyond the BAR: UR" \
	"$(probe mrd "$MAC1" 5 $((BAR + 0x100000)) 1)" "^cpl kind=Cpl status=1 "

# 64-bit BAR above 4 GiB on device 2 (4 DW MRd/MWr headers).
cfgwr_status "$MAC2" 5 0x10 0 >/dev/null
cfgwr_status "$MAC2" 5 0x14 0x8 >/dev/null
cfgwr_status "$MAC2" 5 4 0x2 >/dev/null
probe mwr "$MAC2" 5 0x80000fff0 0xa 0xb 0xc 0xd
contains "64-bit address: MWr/MRd at 0x8_0000_fff0" \
	"$(probe mrd "$MAC2" 5 0x80000fff0 1)" " data=0a 0b 0c 0d$"

# ---- malformed frames ---------------------------------------------------

for kind in trunc version type hdrlen tlplen tlplen2 tlpfmt cfglen gid gid0 notag; do
	OUT=$(probe bad "$kind" "$MAC1" 5)
	expect "malformed frame ($kind): no answer, box still answers" "$OUT" noreply
done

# ---- state files: the live config, byte for byte -------------------------

for i in 1 2 3; do
	mac=02:ee:$H:0$i
	gid=5; [ $i = 3 ] && gid=6
	LIVE=$(probe cfgdump "$mac" $gid)
	expect "device $i: state file = config read over the wire" \
		"$(cat "$STATE/$i.cfg")" "$LIVE"
done
contains "state file 1 shows the scratch write" "$(cat "$STATE/1.cfg")" \
	"^90: 09 00 08 01 44 be 22 de "
contains "state file 2 shows BAR0 (0x8_0000_0000)" "$(cat "$STATE/2.cfg")" \
	"^10: 0c 00 00 00 08 00 00 00 "
ls "$STATE" | grep -v '^[123]\.cfg$' >"$WORK/stray"
expect "no temporary files left in the state directory" "$(cat "$WORK/stray")" ""

# ---- -v log ---------------------------------------------------------------

LOG=$(cat "$BOXLOG")
contains "-v logs received requests" "$LOG" \
	"rx [0-9a-f:]+ > $MAC1 gid 5 TLP flags SEQ seq [0-9]+ len 12"
contains "-v logs each TLP" "$LOG" "CfgRd0 req=00:01.0 tag=[0-9a-f]+ target=01:00.0 reg=0x000 be=f"
contains "-v logs sent completions" "$LOG" \
	"tx $MAC1 > [0-9a-f:]+ gid 5 TLP flags SEQ seq [0-9]+ len 16"
contains "-v decodes DIFs" "$LOG" \
	"DIF role io flags 0x1 \(present\) interval 100 ms mac $MAC3 gid 6"
contains "-v logs drops with the reason" "$LOG" "malformed: unknown version"

# ---- exit ------------------------------------------------------------------

kill -INT "$BOXPID"
stop_box 10
expect "eebox exits 0 on SIGINT (valgrind/ASan clean)" "$STATUS" 0
LOG=$(grep -a '^eebox: dev' "$BOXLOG")
for want in "dev 1: dropped 2 frames: wrong GID" \
	    "dev 1: dropped 1 frames: truncated" \
	    "dev 1: dropped 1 frames: unknown version" \
	    "dev 1: dropped 1 frames: unknown frame type" \
	    "dev 1: dropped 1 frames: bad length" \
	    "dev 1: dropped 2 frames: TLP length mismatch" \
	    "dev 1: dropped 1 frames: unsupported TLP Fmt/Type" \
	    "dev 1: dropped 2 frames: forbidden field value" \
	    "dev 1: dropped 1 frames: no 802.1Q tag" \
	    "dev 3: dropped 1 frames: wrong GID"; do
	contains "counter: $want" "$LOG" "^eebox: $want$"
done
contains "counters: device 1 summary" "$LOG" \
	"^eebox: dev 1 \(testdev $MAC1 gid 5\): rx [0-9]+ frames, [0-9]+ TLPs; tx [0-9]+ frames, [0-9]+ TLPs, [0-9]+ DIFs, 0 errors$"
if [ "$CHECK" = valgrind ]; then
	if [ -s "$WORK/valgrind.log" ]; then
		not_ok "valgrind: no errors, no leaks" "$(head -20 "$WORK/valgrind.log")"
	else
		ok "valgrind: no errors, no leaks"
	fi
elif [ "$CHECK" = asan ]; then
	if grep -Eq 'ERROR: (Address|Leak)Sanitizer|runtime error:' "$BOXLOG"; then
		not_ok "ASan/UBSan: no reports" "$(grep -E -m5 'Sanitizer|runtime error' "$BOXLOG")"
	else
		ok "ASan/UBSan: no reports"
	fi
fi
[ "$VERBOSE" = 1 ] && sed 's/^/# box: /' "$BOXLOG" | grep -v 'DIF\|device 1033'

# ---- the interface goes away ----------------------------------------------

nsx ip link add eb1 type veth peer name eh1 && nsx ip link set eb1 up && nsx ip link set eh1 up
start_box "$WORK/gone.log" "$EEBOX" -i eb1 -g 7 -d testdev --interval 20
sleep 0.5
nsx ip link del eb1
stop_box 5
expect "eebox exits 1 when its interface is deleted" "$STATUS" 1
contains "... with a message" "$(cat "$WORK/gone.log")" "^eebox: eb1: "

finish
