#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
#
# Host-side tests of eebox, the software I/O box: no kernel module, no VM.
# eebox runs on one end of a veth pair inside a private network namespace;
# eeprobe, a minimal user-space host-side bridge, talks to it from the other
# end over the reliable transport (host DIFs, Go-Back-N, rate control: the
# same net/expether/ee_link.c on both ends).  eebox runs under valgrind
# (default when installed) or as an ASan/UBSan build, and must exit cleanly
# with no leaks; eeprobe is built with ASan/UBSan.
#
# Besides the device emulation: 10 000 pipelined config writes and reads
# through seeded faults (drop, reorder, duplicate) on either side,
# determinism of the faults, host restart, ECHO, several hosts, frames
# without a connection, and the --state-dir .link counters.
#
# The data path: eeprobe also plays a host with memory (probe_host.c: an
# allow-list of mappings, MSI recording) and drives the device models as
# their drivers would: testdev's DMA engine (copy, fill, CRC32C, the rogue
# write refused by the host, MSI-X masking, completion timeouts) and the
# NVMe controller (bring-up as drivers/nvme/host does it, I/O with PRP
# lists, errors, INTx, shutdown and reset) and virtio-net (negotiation,
# packets to and from a network namespace through the tap, reset, INTx).
#
#   box-test.sh [--check valgrind|asan|none] [-v]
#
# EEBOX_TEST_KEEP=1 keeps the work directory (logs) and prints its name.
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
NS2=eeboxp$$	# the peer behind virtio-net's tap
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
	ip netns del "$NS2" 2>/dev/null
	if [ -n "${EEBOX_TEST_KEEP:-}" ]; then
		echo "# kept $WORK"
	elif [ -n "$WORK" ]; then
		rm -rf "$WORK"
	fi
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
if make -s -j"$(nproc)" -C "$TOP/selftests/expether/box" O="$WORK" SANITIZE=1 \
	>"$WORK/build.log" 2>&1; then
	ok "build eeprobe"
else
	bail "build eeprobe" "$(tail -5 "$WORK/build.log")"
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
usage_err "testdev flag with a value" 2 "eebox: -d testdev,rogue=1: rogue takes no value" \
	-i lo -g 5 -d testdev,rogue=1
usage_err "unknown flag" 2 "eebox: -d testdev,shiny: unknown option 'shiny'" \
	-i lo -g 5 -d testdev,shiny
usage_err "common option without value" 2 "eebox: -d testdev,gid: option 'gid' needs a value" \
	-i lo -g 5 -d testdev,gid
usage_err "nvme size not a multiple of 4K" 2 \
	"eebox: -d nvme,size=1000001: size must be a multiple of 4K from 1M to 16T" \
	-i lo -g 5 -d nvme,size=1000001
usage_err "nvme size too small" 2 "size must be a multiple of 4K from 1M to 16T" \
	-i lo -g 5 -d nvme,size=64K
usage_err "nvme queues=0" 2 "eebox: -d nvme,queues=0: queues must be from 1 to 64" \
	-i lo -g 5 -d nvme,queues=0
usage_err "nvme empty file=" 2 "eebox: -d nvme,file=: file needs a path" \
	-i lo -g 5 -d nvme,file=
usage_err "nvme serial too long" 2 "serial must be 1 to 20 characters" \
	-i lo -g 5 -d nvme,serial=123456789012345678901
usage_err "nvme file in a missing directory" 1 "eebox: -d nvme,file=/nonexistent/x: file /nonexistent/x: No such file or directory" \
	-i lo -g 5 -d nvme,file=/nonexistent/x
usage_err "virtio-net: bad tap name" 2 \
	"eebox: -d virtio-net,tap=: tap must be an interface name of 1 to 15 characters" \
	-i lo -g 5 -d virtio-net,tap=
usage_err "virtio-net: multicast hwaddr" 2 \
	"eebox: -d virtio-net,hwaddr=01:00:5e:00:00:01: hwaddr must be a unicast address" \
	-i lo -g 5 -d virtio-net,hwaddr=01:00:5e:00:00:01
usage_err "bad --dma-timeout" 2 "eebox: --dma-timeout 0: dma-timeout must be from 1 to 600000 ms" \
	-i lo -g 5 -d testdev --dma-timeout 0
for opt in drop reorder dup; do
	for val in -1 101 100.5 abc '' nan inf ' 5' 5% 1e3; do
		usage_err "--$opt '$val' refused" 2 \
			"eebox: --$opt $val: $opt must be a percentage from 0 to 100" \
			-i lo -g 5 -d testdev --$opt "$val"
	done
done
usage_err "--seed x refused" 2 "eebox: --seed x: seed must be a number" \
	-i lo -g 5 -d testdev --seed x
usage_err "--seed -1 refused" 2 "eebox: --seed -1: seed must be a number" \
	-i lo -g 5 -d testdev --seed -1
usage_err "--drop without a value" 2 "eebox: --drop needs a value" \
	-i lo -g 5 -d testdev --drop
# The same options and messages in eeprobe (the shared fault.c).
probe_err() {
	local desc=$1 msg=$2 out st
	shift 2
	out=$("$PROBE" -i lo "$@" echo 02:ee:00:00:00:01 5 0 2>&1 >/dev/null)
	st=$?
	if [ "$st" = 2 ] && grep -Fq -- "$msg" <<<"$out"; then
		ok "$desc"
	else
		not_ok "$desc" "status $st (want 2), stderr: $out" "want message: $msg"
	fi
}
probe_err "eeprobe --drop 150 refused" \
	"eeprobe: --drop 150: drop must be a percentage from 0 to 100" --drop 150
probe_err "eeprobe --reorder -5 refused" \
	"eeprobe: --reorder -5: reorder must be a percentage from 0 to 100" --reorder -5
probe_err "eeprobe --dup x refused" \
	"eeprobe: --dup x: dup must be a percentage from 0 to 100" --dup x
probe_err "eeprobe --seed 1.5 refused" "eeprobe: --seed 1.5: seed must be a number" \
	--seed 1.5

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
# stop_box SECONDS [PID]: wait that long for PID (default BOXPID) to exit
# (SIGKILL after), then reap it; STATUS is its exit status, "timeout" if it
# had to be killed.
stop_box() {
	local i p keep=() pid=${2:-$BOXPID}
	for ((i = 0; i < $1 * 4; i++)); do
		kill -0 "$pid" 2>/dev/null || break
		sleep 0.25
	done
	if kill -0 "$pid" 2>/dev/null; then
		kill -KILL "$pid"
		wait "$pid"
		STATUS=timeout
	else
		wait "$pid"
		STATUS=$?
	fi
	for p in "${PIDS[@]}"; do [ "$p" = "$pid" ] || keep+=("$p"); done
	PIDS=("${keep[@]}")
	[ "$pid" = "$BOXPID" ] && BOXPID=
}
# checked LOG: the valgrind command prefix for a box logging to LOG, in
# the array CHECKED (empty for ASan builds: their reports go to stderr).
checked() {
	CHECKED=()
	[ "$CHECK" = valgrind ] &&
		CHECKED=(valgrind --quiet --error-exitcode=99 --leak-check=full
			 --show-leak-kinds=all --errors-for-leak-kinds=all
			 --log-file="$1")
}
# clean DESCRIPTION BOXLOG VGLOG: no valgrind, ASan or UBSan report.
clean() {
	if [ "$CHECK" = valgrind ] && [ -s "$3" ]; then
		not_ok "$1" "$(head -20 "$3")"
	elif grep -Eq 'ERROR: (Address|Leak)Sanitizer|runtime error:' "$2"; then
		not_ok "$1" "$(grep -E -m5 'Sanitizer|runtime error' "$2")"
	else
		ok "$1"
	fi
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

# The bridges' epochs, once known from their DIFs, spare eeprobe the wait
# for a DIF at every run.
EPOCHS=()
probe() { nsx "$PROBE" -i eh0 "${EPOCHS[@]}" "$@"; }

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
	EPOCHS+=(-b "$mac=$epochs")
done
HOSTMAC=$(nsx cat /sys/class/net/eh0/address)

# ---- configuration requests ---------------------------------------------

OUT=$(probe -x cfgrd "$MAC1" 5 0)
contains "CfgRd0 reg 0: CplD SC 33 10 01 ee" "$OUT" \
	"^cpl kind=CplD status=0 cpl_id=0x0100 req_id=0x0008 tag=[0-9]+ bc=4 la=0 len=1 data=33 10 01 ee$"
# SEQ|ACK|TS|TSECR|SYN, the bridge's ISN, acknowledging our first frame.
contains "first reply frame: from the device, our VLAN, SYN at the ISN, acks our frame" "$OUT" \
	"^frame src=$MAC1 dst=$HOSTMAC vid=5 flags=0x1f seq=[0-9]+ rseq=0 rack=1 len=16$"
# On the wire: TPID 81 00, TCI 00 05, EtherType 88 b5 at 12; CplD header
# at 42 (Fmt/Type 0x4a, Length 1); data at 54.
raw=$(sed -n 's/^raw //p' <<<"$OUT")
expect "CfgRd0 reply bytes 12-17 (tag, EtherType)" "$(cut -d' ' -f13-18 <<<"$raw")" \
	"81 00 00 05 88 b5"
expect "CfgRd0 reply bytes 42-45 (CplD, Length 1)" "$(cut -d' ' -f43-46 <<<"$raw")" \
	"4a 00 00 01"
expect "CfgRd0 reply bytes 54-57 (data)" "$(cut -d' ' -f55-58 <<<"$raw")" \
	"33 10 01 ee"

# cfgdump: 16 request frames of 64 CfgRd0, one reply frame each.
OUT=$(probe -x cfgdump "$MAC1" 5)
got=$(sed -n 's/^frame .* flags=\(0x[0-9a-f]*\) .* rseq=\([0-9]*\) rack=\([0-9]*\) .*/\1\/\2\/\3/p' <<<"$OUT" | tr '\n' ' ')
expect "reply frames of one connection: SYN first, seq and ack +1 each (flags/rseq/rack)" \
	"$got" "0x1f/0/1 $(for i in $(seq 1 15); do printf '0xf/%d/%d ' $i $((i + 1)); done)"

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
OUT=$(probe -t 500 -b 02:ee:00:00:00:99=1 cfgrd 02:ee:00:00:00:99 5 0)
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
# One frame of 123 MRd of 4 KiB: 1968 completions (MPS 256) in ~400 frames, more
# than the link's ring: the rest waits in the overflow list, none is lost.
expect "123 MRd of 4 KiB in one frame: every completion arrives" \
	"$(probe -t 20000 mrdmany "$MAC1" 5 $BAR 123)" \
	"mrdmany n=123 requests=123 bytes=503808 cpls=1968 bad=0"
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
ls "$STATE" | grep -Ev '^[123]\.(cfg|link)$' >"$WORK/stray"
expect "no temporary files left in the state directory" "$(cat "$WORK/stray")" ""

# ---- connections: hosts, restarts, ECHO -----------------------------------

# linkval FILE KEY [N]: KEY of the N-th (default first) connection block.
linkval() {
	awk -v k="$2" -v n="${3:-1}" '/^peer /{p++} p == n && $1 == k {print $2}' "$1"
}
# devval FILE KEY: KEY of the device part of a .link file.
devval() {
	awk -v k="$2" '/^peer /{exit} $1 == k {print $2}' "$1"
}

contains "a second host gets its own connection" \
	"$(probe -m 02:00:00:00:00:aa cfgrd "$MAC1" 5 0)" \
	"^cpl kind=CplD status=0 .* data=33 10 01 ee$"
OUT=$(probe -m 02:00:00:00:00:bb -N -t 300 cfgrd "$MAC1" 5 0)
expect "a host without DIFs gets no answer" "$OUT" timeout

for len in 0 1 100 1476; do
	contains "ECHO of $len bytes: the same payload back" \
		"$(probe echo "$MAC1" 5 $len)" "^echo len=$len match us=[0-9]+$"
done
expect "ECHO on another GID: no answer" "$(probe -t 300 echo "$MAC1" 6 8)" timeout

# Host restart: a host that dies in the middle of a stream of writes
# (SIGKILL: frames in flight both ways) and comes back with a new epoch
# gets a clean connection: its first request is answered, once, with
# what the box holds, and nothing of the old connection reaches it.
# (ip netns exec execs eeprobe: $! is eeprobe itself.)
ip netns exec "$NS" "$PROBE" -i eh0 "${EPOCHS[@]}" -E 0x5eed0001 -t 20000 \
	stress "$MAC2" 5 1000000 >"$WORK/killed.out" 2>&1 &
killed=$!
PIDS+=("$killed")
sleep 1.5
kill -KILL $killed
wait $killed 2>/dev/null
expect "the old host is gone" "$(cat "$WORK/killed.out")" ""
# Its last completions are never acknowledged: the box gives up on it
# within ee_gbn_dead_bound() (at most 512 ms of backed-off RTOs).
for _ in $(seq 40); do
	grep -q "^eebox: dev 2: host $HOSTMAC: peer dead" "$BOXLOG" && break
	sleep 0.25
done
contains "the box declares the silent host dead" "$(cat "$BOXLOG")" \
	"^eebox: dev 2: host $HOSTMAC: peer dead: 8 retransmission timeouts without progress"
sleep 0.2
expect "... 2.link: dead" "$(linkval "$STATE/2.link" state)" dead
OUT=$(probe -E 0x5eed0002 --stats cfgrd "$MAC2" 5 0x94)
got=$(sed -n 's/^cpl kind=CplD status=0 .* data=//p' <<<"$OUT")
sleep 0.3	# the .cfg file is current; give the .link file its 100 ms
want=$(sed -n 's/^90: \(.. .. .. ..\) \(.. .. .. ..\) .*/\2/p' "$STATE/2.cfg")
if [ -n "$got" ] && [ "$got" = "$want" ] && [ "$want" != "00 00 00 00" ]; then
	ok "after a host restart the first read returns the last write of the old host ($got)"
else
	not_ok "host restart: first read" "got:  $got" "want: $want (2.cfg)" "$OUT"
fi
expect "... exactly one reply frame delivered" "$(sed -n 's/^link rx_frames //p' <<<"$OUT")" 1
contains "... the box logs the restart" "$(cat "$BOXLOG")" \
	"^eebox: dev 2: host $HOSTMAC: host restarted \(epoch 0x5eed0001 -> 0x5eed0002\): new connection$"
expect "... 2.link: the new peer epoch" "$(linkval "$STATE/2.link" peer_epoch)" 0x5eed0002
expect "... 2.link: open" "$(linkval "$STATE/2.link" state)" open

# ---- .link files ------------------------------------------------------------

L1=$STATE/1.link
expect "1.link: device, MAC, GID" "$(devval "$L1" device) $(devval "$L1" mac) $(devval "$L1" gid)" \
	"1 $MAC1 5"
expect "1.link: two hosts" "$(devval "$L1" hosts)" 2
expect "1.link: the first host is eeprobe's interface" "$(linkval "$L1" peer)" "$HOSTMAC"
expect "1.link: the second host" "$(linkval "$L1" peer 2)" 02:00:00:00:00:aa
expect "1.link: posted writes" "$(devval "$L1" mwr_tlps) $(devval "$L1" mwr_bytes)" "2 12"
expect "1.link: ECHO requests" "$(devval "$L1" echo_requests)" 4
n=$(devval "$L1" rx_no_conn)
if [ "${n:-0}" -gt 0 ]; then ok "1.link: frames without connection counted ($n)"; else not_ok "1.link: rx_no_conn" "$(cat "$L1")"; fi
for key in state gen tx_frames rtx_frames tx_acks tx_probes rx_frames rx_dup rx_ooo \
	   rx_stale timeouts fast_rtx resets peer_restarts deaths rtt_min_ns srtt_ns \
	   rto_ns in_flight queued queue_full flushed paced rate_state rate base_rtt_ns \
	   backlog overflowed tx_errors fault_frames fault_dropped fault_duplicated \
	   fault_reordered; do
	[ -n "$(linkval "$L1" $key)" ] || missing="${missing:-} $key"
done
expect "1.link: every counter is there" "${missing:-}" ""
n=$(linkval "$L1" overflowed)
if [ "${n:-0}" -gt 0 ]; then
	ok "1.link: completions waited in the overflow list ($n, at most $(linkval "$L1" overflow_max))"
else
	not_ok "1.link: overflowed" "$(cat "$L1")"
fi
expect "1.link: no faults injected" \
	"$(linkval "$L1" fault_frames) $(linkval "$L1" fault_dropped)" "0 0"
n=$(linkval "$L1" rtt_min_ns)
if [ "${n:-0}" -gt 0 ]; then ok "1.link: RTT measured (min $n ns)"; else not_ok "1.link: rtt_min_ns" "$(cat "$L1")"; fi
n=$(linkval "$L1" resets)
if [ "${n:-0}" -gt 30 ]; then
	ok "1.link: one connection per eeprobe run ($n)"
else
	not_ok "1.link: resets $n" "$(cat "$L1")"
fi

# ---- -v log ---------------------------------------------------------------

LOG=$(cat "$BOXLOG")
contains "-v logs received requests" "$LOG" \
	"rx $HOSTMAC > $MAC1 gid 5 TLP flags SEQ,ACK,TS[A-Z,]* seq [0-9]+ ack [0-9]+ len 12"
contains "-v logs each TLP" "$LOG" "CfgRd0 req=00:01.0 tag=[0-9a-f]+ target=01:00.0 reg=0x000 be=f"
contains "-v logs sent completions" "$LOG" \
	"tx $MAC1 > $HOSTMAC gid 5 TLP flags SEQ,ACK,TS[A-Z,]* seq [0-9]+ ack [0-9]+ len 16"
contains "-v logs rate probes" "$LOG" "tx $MAC1 > $HOSTMAC gid 5 ACK flags ACK,TS,PROBE ack [0-9]+ len 0: probe"
contains "-v logs host DIFs" "$LOG" "DIF role host flags 0 interval 100 ms mac $HOSTMAC gid 5"
contains "-v logs new connections" "$LOG" \
	"eebox: dev 1: host $HOSTMAC: new connection: local epoch 0x[0-9a-f]{8}, peer epoch 0x[0-9a-f]{8}"
contains "-v logs ECHO requests and replies" "$LOG" "tx $MAC1 > $HOSTMAC gid 5 ECHO_REPLY flags - len 100"
contains "-v decodes DIFs" "$LOG" \
	"DIF role io flags 0x1 \(present\) interval 100 ms mac $MAC3 gid 6"
contains "-v logs drops with the reason" "$LOG" "malformed: unknown version"

# ---- exit ------------------------------------------------------------------

kill -INT "$BOXPID"
stop_box 10
expect "eebox exits 0 on SIGINT (valgrind/ASan clean)" "$STATUS" 0
LOG=$(grep -a '^eebox: dev' "$BOXLOG")
# eeprobe's rate probes and retransmissions on the wrong VLAN count too.
contains "counter: dev 1: frames on the wrong GID" "$LOG" "^eebox: dev 1: dropped [0-9]+ frames: wrong GID$"
contains "counter: dev 3: frames on the wrong GID" "$LOG" "^eebox: dev 3: dropped [0-9]+ frames: wrong GID$"
for want in \
	    "dev 1: dropped 1 frames: truncated" \
	    "dev 1: dropped 1 frames: unknown version" \
	    "dev 1: dropped 1 frames: unknown frame type" \
	    "dev 1: dropped 1 frames: bad length" \
	    "dev 1: dropped 2 frames: TLP length mismatch" \
	    "dev 1: dropped 1 frames: unsupported TLP Fmt/Type" \
	    "dev 1: dropped 2 frames: forbidden field value" \
	    "dev 1: dropped 1 frames: no 802.1Q tag" \
	    "dev 1: 2 posted writes \(12 bytes\), 4 echo requests answered, [0-9]+ host DIFs, [1-9][0-9]* frames without connection, [0-9]+ requests deferred" \
	    "dev 2: 1 posted writes \(4 bytes\), 0 echo requests answered, .*"; do
	contains "counter: $want" "$LOG" "^eebox: $want$"
done
contains "counters: device 1 summary" "$LOG" \
	"^eebox: dev 1 \(testdev $MAC1 gid 5\): rx [0-9]+ frames, [0-9]+ TLPs; tx [0-9]+ frames, [0-9]+ TLPs, [0-9]+ DIFs, 0 errors$"
contains "counters: device 1's connection with the host" "$LOG" \
	"^eebox: dev 1: host $HOSTMAC: open gen 0: tx [0-9]+ frames, [0-9]+ retransmitted, [0-9]+ acks, [0-9]+ probes; rx [0-9]+ delivered, "
contains "counters: ... timeouts, RTT, rate" "$LOG" \
	"^eebox: dev 1: host $HOSTMAC: [0-9]+ timeouts, [0-9]+ fast retransmits, [0-9]+ resets, [0-9]+ peer restarts, [0-9]+ deaths; srtt [0-9]+ us, min rtt [1-9][0-9]* us, rate [1-9][0-9]* B/s, 0 in flight, 0 waiting$"
contains "counters: device 1's second host" "$LOG" "^eebox: dev 1: host 02:00:00:00:00:aa: open gen 0: "
rtx=$(sed -n "s/^eebox: dev 1: host $HOSTMAC: open gen 0: tx [0-9]* frames, \([0-9]*\) retransmitted.*/\1/p" <<<"$LOG")
awk -v n="$rtx" '/^peer /{p++} p == 1 && $1 == "rtx_frames" {print ($2 == n) ? "same" : $2 " vs " n}' "$STATE/1.link" >"$WORK/rtx"
expect "1.link at exit: the final counters" "$(cat "$WORK/rtx")" same
clean "$CHECK: no errors, no leaks" "$BOXLOG" "$WORK/valgrind.log"
[ "$VERBOSE" = 1 ] && sed 's/^/# box: /' "$BOXLOG" | grep -v 'DIF\|device 1033'

# ---- faults ---------------------------------------------------------------

# Boxes with fault injection, on their own veth pair, without --state-dir
# (the .cfg file rewritten after every config write would dominate).
nsx ip link add eb2 type veth peer name eh2 && nsx ip link set eb2 up &&
	nsx ip link set eh2 up || bail "create the second veth pair"
FAULTS=(--drop 10 --reorder 25 --dup 5)
FMAC=02:ee:00:00:07:01
N=10000
# stress_ok DESCRIPTION OUT: N frames of write+read, every read right.
stress_ok() {
	contains "$1" "$2" "^stress n=$N completions=$((2 * N + 1)) bad=0 "
}
# summary LOG HOSTLINE-REGEX: the numbers of an eebox exit summary line.
num_of() { sed -n "s/.* \([0-9][0-9]*\) $2.*/\1/p" <<<"$1" | head -1; }

# (a) faults on the box's side: eeprobe must still see every write.
checked "$WORK/f1.vg"
start_box "$WORK/f1.log" "${CHECKED[@]}" "$EEBOX" -i eb2 -g 7 -d testdev,mac=$FMAC \
	"${FAULTS[@]}" --seed 7
OUT=$(nsx "$PROBE" -i eh2 -t 20000 stress $FMAC 7 $N)
stress_ok "$N writes+reads through the box's faults (drop 10%, reorder 25%, dup 5%)" "$OUT"
OUT=$(nsx "$PROBE" -i eh2 -t 20000 echo $FMAC 7 64 20)
expect "ECHO is not faulted: 20 of 20 answered" "$(grep -c '^echo len=64 match' <<<"$OUT")" 20
kill -INT "$BOXPID"
stop_box 20
expect "faulty box exits 0" "$STATUS" 0
LOG=$(grep -a "^eebox: dev 1: host" "$WORK/f1.log")
line=$(grep ': open gen' <<<"$LOG")
rtx=$(num_of "$line" retransmitted)
if [ "${rtx:-0}" -gt 0 ]; then
	ok "the box retransmitted ($rtx frames)"
else
	not_ok "the box retransmitted" "$LOG"
fi
fl=$(grep ': faults:' <<<"$LOG")
for what in dropped duplicated reordered; do
	n=$(num_of "$fl" $what)
	if [ "${n:-0}" -gt 0 ]; then ok "faults: $n $what"; else not_ok "faults: $what" "$fl"; fi
done
contains "ECHO requests counted" "$(cat "$WORK/f1.log")" " 20 echo requests answered"
clean "faulty box: $CHECK clean" "$WORK/f1.log" "$WORK/f1.vg"

# (a) faults on eeprobe's side, through the same fault.c.
checked "$WORK/f2.vg"
start_box "$WORK/f2.log" "${CHECKED[@]}" "$EEBOX" -i eb2 -g 7 -d testdev,mac=$FMAC
OUT=$(nsx "$PROBE" -i eh2 -t 20000 "${FAULTS[@]}" --seed 7 --stats stress $FMAC 7 $N)
stress_ok "$N writes+reads through eeprobe's faults" "$OUT"
for key in rtx_frames fault_dropped fault_duplicated fault_reordered; do
	n=$(sed -n "s/^link $key //p" <<<"$OUT")
	if [ "${n:-0}" -gt 0 ]; then ok "eeprobe: $key $n"; else not_ok "eeprobe: $key" "$OUT"; fi
done
kill -INT "$BOXPID"
stop_box 20
expect "box exits 0" "$STATUS" 0
line=$(grep -a "^eebox: dev 1: host .*: open gen" "$WORK/f2.log")
for what in dup "out of order"; do
	n=$(num_of "$line" "$what")
	if [ "${n:-0}" -gt 0 ]; then
		ok "the box dropped $n frames: $what"
	else
		not_ok "the box saw $what frames" "$line"
	fi
done
clean "box: $CHECK clean" "$WORK/f2.log" "$WORK/f2.vg"

# (b) determinism: the k-th frame of a link meets the same fate for the
# same seed.  Three boxes, one per VLAN: seeds 7, 7 and 8, the same
# workload; the faults of their first K frames (K: the fewest any of them
# sent) must agree for seed 7 and differ for seed 8.
pids=()
for i in 1 2 3; do
	seed=7; [ $i = 3 ] && seed=8
	checked "$WORK/d$i.vg"
	start_box "$WORK/d$i.log" "${CHECKED[@]}" "$EEBOX" -i eb2 -g 1$i \
		-d testdev,mac=02:ee:00:00:07:1$i "${FAULTS[@]}" --seed $seed -v
	pids+=("$BOXPID")
done
for i in 1 2 3; do
	OUT=$(nsx "$PROBE" -i eh2 -t 20000 -E 0x77 stress 02:ee:00:00:07:1$i 1$i 200)
	contains "determinism run $i: 200 writes+reads" "$OUT" "^stress n=200 completions=401 bad=0 "
done
for i in 1 2 3; do
	kill -INT "${pids[$i - 1]}"
	stop_box 20 "${pids[$i - 1]}"
	expect "determinism box $i exits 0" "$STATUS" 0
	clean "determinism box $i: $CHECK clean" "$WORK/d$i.log" "$WORK/d$i.vg"
	frames[$i]=$(sed -n 's/.*: faults: \([0-9]*\) frames.*/\1/p' "$WORK/d$i.log")
done
K=$(printf '%s\n' "${frames[@]}" | sort -n | head -1)
# fault #N: dropped / held back / duplicate, for N <= K.
trace() {
	sed -n 's/.*fault #\([0-9]*\): \(dropped\|held back\|duplicate\)$/\1 \2/p' "$1" |
		awk -v k="$K" '$1 <= k' | sort -n -u
}
trace "$WORK/d1.log" >"$WORK/t1"
trace "$WORK/d2.log" >"$WORK/t2"
trace "$WORK/d3.log" >"$WORK/t3"
counts() { awk '{n[$2 " " $3]++} END {print n["dropped "]+0, n["held back"]+0, n["duplicate "]+0}' "$1"; }
c1=$(counts "$WORK/t1")
if [ "${K:-0}" -gt 400 ] && cmp -s "$WORK/t1" "$WORK/t2" && [ -s "$WORK/t1" ]; then
	ok "seed 7 twice: the same faults on the first $K frames (dropped, held, duplicated: $c1)"
else
	not_ok "seed 7 twice: the same faults (K=$K)" "$(diff "$WORK/t1" "$WORK/t2" | head -5)"
fi
if ! cmp -s "$WORK/t1" "$WORK/t3"; then
	ok "seed 8: other faults ($(counts "$WORK/t3"))"
else
	not_ok "seed 8: other faults"
fi
LOG=$(cat "$WORK/d1.log")
contains "-v logs retransmissions" "$LOG" "^\[ *[0-9.]+\] tx .* TLP .*: retransmission"
contains "-v logs go-backs" "$LOG" "(fast retransmit|retransmission timeout): going back to seq [0-9]+"
contains "-v logs the faults" "$LOG" ": fault #[0-9]+: (dropped|held back|duplicate)$"
contains "-v logs reordered frames sent late" "$LOG" ": fault #[0-9]+: sent late \(reordered\)$"

# ---- DMA and interrupts: eeprobe as a host with memory ----------------------

# scenario PREFIX OUTPUT: one TAP line per "ok - " / "not ok - " line that
# an eeprobe scenario printed, then its summary.
scenario() {
	local prefix=$1 out=$2 line n=0
	while IFS= read -r line; do
		case "$line" in
		"ok - "*) ok "$prefix: ${line#ok - }"; n=$((n + 1)) ;;
		"not ok - "*) not_ok "$prefix: ${line#not ok - }"; n=$((n + 1)) ;;
		"throughput"*) echo "# $prefix: $line" ;;
		esac
	done <<<"$out"
	[ $n -gt 0 ] || not_ok "$prefix: the scenario ran" "$(tail -5 <<<"$out")"
	contains "$prefix: the scenario ends with every check passed" "$out" \
		"^checks [0-9]+ passed, 0 failed, 0 config/MMIO failures$"
}

nsx ip link add eb3 type veth peer name eh3 && nsx ip link set eb3 up &&
	nsx ip link set eh3 up || bail "create the DMA veth pair"
DMAC1=02:ee:00:00:08:01
DMAC2=02:ee:00:00:08:02
DMAC3=02:ee:00:00:08:03
DMAC4=02:ee:00:00:08:04
IMG=$WORK/nvme.img
TAP=eevt$$
checked "$WORK/dma.vg"
start_box "$WORK/dma.log" "${CHECKED[@]}" "$EEBOX" -i eb3 -g 8 \
	-d testdev,mac=$DMAC1,rogue -d testdev,mac=$DMAC2,bar=4K,vectors=128 \
	-d nvme,mac=$DMAC3,queues=4,size=8M,file=$IMG \
	-d virtio-net,mac=$DMAC4,tap=$TAP,hwaddr=52:54:00:aa:bb:cc \
	--dma-timeout 1500 --state-dir "$WORK/dmastate"
OUT=$(nsx "$PROBE" -i eh3 -t 5000 testdev $DMAC1 8 rogue 2>&1)
scenario "testdev DMA (rogue)" "$OUT"
# The smallest BAR with the biggest MSI-X table: registers still at 0xc00.
OUT=$(nsx "$PROBE" -i eh3 -t 5000 testdev $DMAC2 8 quick 2>&1)
scenario "testdev DMA (bar=4K, 128 vectors)" "$OUT"
OUT=$(nsx "$PROBE" -i eh3 -t 5000 nvme $DMAC3 8 2>&1)
scenario "nvme" "$OUT"

# A host that dies in the middle of a device's DMA: the box gives up on
# its own and answers the next host at once.
OUT=$(nsx "$PROBE" -i eh3 -t 5000 testdev $DMAC2 8 hang 2>&1)
contains "a host starts an 8 MiB COPY and dies" "$OUT" "^hang: COPY started, STATUS 0x1; dying now$"
t0=$(date +%s%N)
OUT=$(nsx "$PROBE" -i eh3 -t 3000 cfgrd $DMAC2 8 0x94 2>&1)
t1=$(date +%s%N)
contains "the next host is answered while the box's DMA waits (in $(( (t1 - t0) / 1000000 )) ms)" \
	"$OUT" "^cpl kind=CplD status=0 "
for _ in $(seq 20); do
	OUT=$(nsx "$PROBE" -i eh3 -t 3000 mrd $DMAC2 8 0x800000c24 1 2>&1)
	grep -q "data=0[46] " <<<"$OUT" && break
	sleep 0.25
done
contains "... and the COPY ends in ERROR (timeout, no host or aborted)" "$OUT" \
	"^cpl kind=CplD status=0 .* data=0[46] 0[356] 00 00$"

OUT=$(nsx "$EEBOX" -i eb3 -g 9 -d virtio-net,tap=eh3 2>&1 </dev/null)
st=$?
if [ $st = 1 ] && grep -q "^eebox: -d virtio-net,tap=eh3: tap eh3: " <<<"$OUT"; then
	ok "virtio-net: a tap name taken by another kind of interface: exit 1, message"
else
	not_ok "virtio-net: tap=eh3 (a veth)" "status $st: $OUT"
fi

# virtio-net: eebox made the tap in its namespace; it goes to a namespace
# of its own, the peer, whose kernel answers ARP and ping.
for _ in $(seq 40); do nsx ip link show "$TAP" >/dev/null 2>&1 && break; sleep 0.25; done
if ip netns add "$NS2" && nsx ip link set "$TAP" netns "$NS2" &&
   ip netns exec "$NS2" sysctl -qw net.ipv6.conf.all.disable_ipv6=1 \
	net.ipv6.conf.default.disable_ipv6=1 &&
   ip -n "$NS2" addr add 10.99.0.1/24 dev "$TAP" &&
   ip -n "$NS2" link set "$TAP" up; then
	ok "virtio-net: eebox created tap $TAP; moved to the peer namespace"
else
	not_ok "virtio-net: tap $TAP in the peer namespace"
fi
OUT=$(nsx "$PROBE" -i eh3 -t 5000 vnet $DMAC4 8 10.99.0.2 10.99.0.1 2>&1)
scenario "virtio-net" "$OUT"
contains "virtio-net: the peer's kernel learnt the device's MAC from what it sent" \
	"$(ip -n "$NS2" neigh show 10.99.0.2)" "lladdr 52:54:00:aa:bb:cc"
sleep 0.2
L=$WORK/dmastate/1.link
expect "1.link: DMA counters (UR, timeout, bus master)" \
	"$(devval "$L" dma_err_ur) $(devval "$L" dma_err_timeout) $(devval "$L" dma_err_bme)" "1 1 1"
n=$(devval "$L" irq_msix_sent)
expect "1.link: MSI-X writes counted (3 COPY, 2 unmasked, 1 concurrent)" "$n" 6
kill -INT "$BOXPID"
stop_box 20
expect "DMA box exits 0" "$STATUS" 0
LOG=$(cat "$WORK/dma.log")
contains "exit summary: DMA counters" "$LOG" \
	"^eebox: dev 1: DMA: [0-9]+ reads \([0-9]+ bytes, [0-9]+ MRd\), [0-9]+ writes .*, 0 unexpected, 0 bad; "
contains "exit summary: interrupt counters" "$LOG" \
	"^eebox: dev 1: interrupts: MSI-X [1-9][0-9]* sent, 2 pended, 2 delivered on unmask; "
contains "exit summary: testdev commands" "$LOG" \
	"^eebox: dev 1: testdev: [0-9]+ commands: [0-9]+ copy, [0-9]+ fill, 2 crc, 3 rogue$"
contains "exit summary: nvme counters" "$LOG" \
	"^eebox: dev 3: nvme: [0-9]+ commands \([0-9]+ admin\), [0-9]+ reads .*, 1 flushes, [0-9]+ errors \(1 data transfer\), 2 resets, 1 shutdowns, 0 bad doorbell writes$"
contains "exit summary: nvme INTx" "$LOG" \
	"^eebox: dev 3: interrupts: MSI-X [0-9]+ sent, .* INTx 2 asserts, 2 deasserts; "
contains "exit summary: virtio-net counters" "$LOG" \
	"^eebox: dev 4: virtio-net $TAP: tx 5 packets \([0-9]+ bytes\), 0 dropped, 0 errors; rx [0-9]+ packets .*, 0 errors, .*; [0-9]+ notifications, [0-9]+ resets, 2 feature sets refused$"
clean "DMA box: $CHECK clean" "$WORK/dma.log" "$WORK/dma.vg"
expect "nvme file= is created at size=" "$(stat -c %s "$IMG")" 8388608
expect "nvme: block 100 holds what eeprobe wrote, in the file" \
	"$(dd if="$IMG" bs=512 skip=100 count=1 2>/dev/null | tr -d '\0')" \
	"eeprobe nvme block 100"

# ---- the interface goes away ----------------------------------------------

nsx ip link add eb1 type veth peer name eh1 && nsx ip link set eb1 up && nsx ip link set eh1 up
start_box "$WORK/gone.log" "$EEBOX" -i eb1 -g 7 -d testdev --interval 20
sleep 0.5
nsx ip link del eb1
stop_box 5
expect "eebox exits 1 when its interface is deleted" "$STATUS" 1
contains "... with a message" "$(cat "$WORK/gone.log")" "^eebox: eb1: "

finish
