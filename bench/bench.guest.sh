# SPDX-License-Identifier: GPL-2.0
# shellcheck shell=sh
#
# Guest half of `make bench` (bench/run starts it through vm-run):
#
#   bench.guest.sh VARIANT PINGS READS GP_FRAMES GP_SIZE GP_REPS PLACEMENT BLOCKS
#
# VARIANT clean: the box sends everything; measures the raw echo round trip
#   (busy-poll: the baseline; poll), config-read latency and posted-write
#   goodput, clean and with netem loss on the guest's egress (1%; 5% for
#   goodput).
# VARIANT boxdrop1: the box drops 1% of what it sends (eebox --drop 1);
#   the same figures once, at that loss.
#
# The latency figures of a loss setting are taken in BLOCKS interleaved
# blocks (echo, config read, echo, config read, ...) and the goodput
# figures in GP_REPS interleaved runs (clean, 1%, 5%, clean, ...), so a
# drift of the host's speed hits the figures compared with each other
# alike.  Everything goes to /share/out: LABEL.bK.json and LABEL.bK.raw
# (the tool's JSON and every sample) for latency block K, LABEL.R.txt (the
# module's debugfs bench line) for goodput run R, LABEL.bK.fail / LABEL.R.fail
# for a block or run that failed, LABEL.unavail with the reason when a
# figure cannot be measured at all, the module's counters and the qdisc's
# around each (*.pre, *.post, *.qdisc), meta.txt.  The script fails only
# when the benchmark itself cannot run (no module, no device on a clean
# link).

# shellcheck source=../selftests/expether/lib/guest.sh
. "$EXPETHER_LIB"

VARIANT=${1:?variant}
PINGS=${2:-10000}
READS=${3:-10000}
GP_FRAMES=${4:-20000}
GP_SIZE=${5:-256}
GP_REPS=${6:-3}
PLACEMENT=${7:-split}
BLOCKS=${8:-5}
GID=5
SCRATCH=5a17c0de
EE_DEBUGFS=/sys/kernel/debug/expether
OUT=/share/out
DEV=$EXPETHER_DEV
mkdir -p "$OUT"

unavail() { # LABEL REASON
	printf '%s\n' "$2" >"$OUT/$1.unavail"
	diag "$1: unavailable: $2"
}
meta() { # KEY VALUE
	printf '%s %s\n' "$1" "$2" >>"$OUT/meta.txt"
}
counters() { # FILE: a snapshot of the module's counters and the qdisc's
	cat "$EE_DEBUGFS/counters" >"$OUT/$1" 2>/dev/null
	tc -s qdisc show dev "$DEV" >"$OUT/$1.qdisc" 2>/dev/null
}
netem() { # LOSS%: root netem on the guest NIC (0: remove it)
	if [ "$1" = 0 ]; then
		tc qdisc del dev "$DEV" root 2>/dev/null
		return 0
	fi
	tc qdisc replace dev "$DEV" root netem loss "$1%" limit 100000
}

# echo_rtt LABEL BLOCK [eeping options]: the raw round trip to the bridge,
# block BLOCK of BLOCKS (PINGS / BLOCKS requests).
echo_rtt() {
	_l=$1 _b=$2
	shift 2
	[ ! -e "$OUT/$_l.unavail" ] || return 0
	_o=$OUT/$_l.b$_b
	counters "$_l.b$_b.pre"
	$PIN eeping -i "$DEV" -d "$PEER" -g "$GID" -c "$((PINGS / BLOCKS))" -w 50 -W 200 \
		-r "$_o.raw" -j -q "$@" >"$_o.json" 2>"$_o.err"
	_st=$?
	counters "$_l.b$_b.post"
	case $_st in
	0) diag "$_l #$_b: $(cut -c1-160 "$_o.json")" ;;
	1) rm -f "$_o.json" "$_o.raw"
	   if [ "$_b" = 1 ]; then
		unavail "$_l" "no ECHO reply from the bridge $PEER (it does not answer ECHO requests yet?)"
	   else
		echo "no ECHO reply at all in this block" >"$_o.fail"
	   fi ;;
	*) rm -f "$_o.json" "$_o.raw"
	   unavail "$_l" "eeping failed (status $_st): $(tail -1 "$_o.err")" ;;
	esac
}

# cfg_lat LABEL BLOCK: config-read latency of the scratch dword, block
# BLOCK of BLOCKS (READS / BLOCKS reads).
cfg_lat() {
	_l=$1 _b=$2
	[ ! -e "$OUT/$_l.unavail" ] || return 0
	_o=$OUT/$_l.b$_b
	counters "$_l.b$_b.pre"
	$PIN cfglat -c "$((READS / BLOCKS))" -w 50 -o "$SCRATCH_OFF" -e "0x$SCRATCH" \
		-r "$_o.raw" -j -q "$BDF" >"$_o.json" 2>"$_o.err"
	_st=$?
	counters "$_l.b$_b.post"
	case $_st in
	0) diag "$_l #$_b: $(cut -c1-160 "$_o.json")" ;;
	1) echo "cfglat: no good read in this block" >"$_o.fail"
	   diag "$_l #$_b: no good read" ;;
	*) rm -f "$_o.json" "$_o.raw"
	   unavail "$_l" "cfglat failed (status $_st): $(tail -1 "$_o.err")" ;;
	esac
}

# latency BLOCK LABEL...: one block of each latency figure, interleaved.
latency() {
	_b=$1
	shift
	for _l; do
		case $_l in
		echo_busy_*) echo_rtt "$_l" "$_b" -b ;;
		echo_poll_*) echo_rtt "$_l" "$_b" ;;
		cfgrd_*) cfg_lat "$_l" "$_b" ;;
		esac
	done
}

# goodput LABEL REP: back-to-back posted writes through the module's
# debugfs, repetition REP: LABEL.REP.txt, or LABEL.REP.fail with the reason.
goodput() {
	_f=$EE_DEBUGFS/bench
	_o=$OUT/$1.$2
	diag "$1 #$2: write $SLOT $GP_FRAMES $GP_SIZE > $_f"
	counters "$1.$2.pre"
	# shellcheck disable=SC2016 # expanded by the inner sh
	if ! $PIN sh -c 'echo "$1" >"$2"' sh "write $SLOT $GP_FRAMES $GP_SIZE" "$_f" \
		2>"$_o.err"; then
		echo "write to $_f failed: $(tail -1 "$_o.err"); $(cat "$_f" 2>/dev/null)" >"$_o.fail"
		diag "$1 #$2: $(cat "$_o.fail")"
	elif ! cat "$_f" >"$_o.txt" 2>>"$_o.err" || [ ! -s "$_o.txt" ]; then
		rm -f "$_o.txt"
		echo "reading $_f failed: $(tail -1 "$_o.err")" >"$_o.fail"
		diag "$1 #$2: $(cat "$_o.fail")"
	else
		diag "$1 #$2: $(cat "$_o.txt")"
	fi
	counters "$1.$2.post"
}

# have_goodput LABEL...: whether the module has the benchmark (if not, the
# LABELs are unavailable).
have_goodput() {
	[ -e "$EE_DEBUGFS/bench" ] && return 0
	for _l; do
		unavail "$_l" "this expether.ko has no $EE_DEBUGFS/bench (posted-write benchmark not implemented yet)"
	done
	return 1
}

# ---------------------------------------------------------------- setup
ncpu=$(grep -c ^processor /proc/cpuinfo)
meta variant "$VARIANT"
meta kernel "$(uname -r)"
meta cpus "$ncpu"
# Every figure is taken in the same placement: the NIC's interrupts on CPU
# 0, the measuring process on CPU 1 ("split", the default: eeping's reply
# and the module's completion both come from the other CPU's receive path)
# or on CPU 0 too ("same": eeping is interrupted by its reply, while a
# config read, with interrupts off, waits for the module to poll the NIC).
PIN=
if [ "$ncpu" -ge 2 ]; then
	# shellcheck disable=SC2013 # one number per line
	for irq in $(awk -F: '/virtio[0-9]+-(input|output|config)/ { print $1 + 0 }' /proc/interrupts); do
		echo 1 >"/proc/irq/$irq/smp_affinity" 2>/dev/null
	done
	case $PLACEMENT in
	same) PIN="taskset -c 0"
	      meta placement "same: NIC IRQs and measuring process on CPU 0" ;;
	*) PIN="taskset -c 1"
	   meta placement "split: NIC IRQs on CPU 0, measuring process on CPU 1" ;;
	esac
fi
modprobe expether dev="$DEV" gid=$GID || bail_out "cannot load expether"
for p in /sys/module/expether/parameters/*; do
	[ -r "$p" ] && meta "param.${p##*/}" "$(cat "$p")"
done
# shellcheck disable=SC2016 # wait_for evaluates it
if ! wait_for '[ -n "$(lspci -D -n -d 1033:ee01 2>/dev/null)" ]' 30; then
	reason="no testdev enumerated within 30 s: $(grep -E '^ +1 ' $EE_DEBUGFS/slots)"
	for l in echo_busy_$VARIANT echo_poll_$VARIANT cfgrd_$VARIANT goodput_$VARIANT \
		echo_busy_netem1 cfgrd_netem1 goodput_netem1 goodput_netem5; do
		unavail "$l" "$reason"
	done
	# Under loss from the box, enumeration itself may fail; on a clean link
	# that is a broken benchmark.
	[ "$VARIANT" != clean ] || bail_out "$reason"
	exit 0
fi
BDF=$(lspci -D -n -d 1033:ee01 | head -1 | cut -d' ' -f1)
bus=$((0x$(echo "$BDF" | cut -d: -f2)))
line=$(awk -v b="$bus" 'NR > 1 && $3 == b && $5 ~ /:/ { print; exit }' $EE_DEBUGFS/slots)
SLOT=$(echo "$line" | awk '{ print $1 }')
PEER=$(echo "$line" | awk '{ print $5 }')
[ -n "$PEER" ] || bail_out "no attached slot in $EE_DEBUGFS/slots"
vs=$(lspci -s "$BDF" -v | sed -n 's/.*Capabilities: \[\([0-9a-f]*\)\] Vendor Specific.*/\1/p' | head -1)
if [ -n "$vs" ]; then
	SCRATCH_OFF=$(printf '0x%x' $((0x$vs + 4)))
else
	SCRATCH_OFF=0x94
fi
meta bdf "$BDF"
meta slot "$SLOT"
meta peer "$PEER"
meta scratch_offset "$SCRATCH_OFF"
diag "device $BDF in slot $SLOT, bridge $PEER, scratch dword at $SCRATCH_OFF"
# The scratch dword holds a known value, so a read that returns anything
# else is counted (a lost write is retried).
i=0
while [ $i -lt 5 ]; do
	setpci -s "$BDF" "${SCRATCH_OFF#0x}.l=$SCRATCH"
	[ "$(setpci -s "$BDF" "${SCRATCH_OFF#0x}.l")" = "$SCRATCH" ] && break
	i=$((i + 1))
done
[ $i -lt 5 ] || diag "warning: the scratch dword does not read back $SCRATCH"

# ---------------------------------------------------------------- measure
case $VARIANT in
clean)
	netem 0
	b=1
	while [ $b -le "$BLOCKS" ]; do
		latency $b echo_busy_clean echo_poll_clean cfgrd_clean
		b=$((b + 1))
	done
	if netem 1; then
		b=1
		while [ $b -le "$BLOCKS" ]; do
			latency $b echo_busy_netem1 cfgrd_netem1
			b=$((b + 1))
		done
	else
		for l in echo_busy_netem1 cfgrd_netem1; do
			unavail $l "tc qdisc netem failed on $DEV"
		done
	fi
	r=1
	have_goodput goodput_clean goodput_netem1 goodput_netem5 || r=$((GP_REPS + 1))
	while [ $r -le "$GP_REPS" ]; do
		netem 0
		goodput goodput_clean $r
		for loss in 1 5; do
			if netem $loss; then
				goodput goodput_netem$loss $r
			else
				unavail goodput_netem$loss "tc qdisc netem failed on $DEV"
			fi
		done
		r=$((r + 1))
	done
	netem 0
	;;
*)
	b=1
	while [ $b -le "$BLOCKS" ]; do
		latency $b "echo_busy_$VARIANT" "cfgrd_$VARIANT"
		b=$((b + 1))
	done
	r=1
	have_goodput "goodput_$VARIANT" || r=$((GP_REPS + 1))
	while [ $r -le "$GP_REPS" ]; do
		goodput "goodput_$VARIANT" $r
		r=$((r + 1))
	done
	;;
esac
diag "$(cat $EE_DEBUGFS/counters | tr '\n' ' ')"
rmmod expether || diag "warning: rmmod expether failed"
exit 0
