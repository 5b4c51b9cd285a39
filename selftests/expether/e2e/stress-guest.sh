# SPDX-License-Identifier: GPL-2.0
# shellcheck shell=sh
#
# Guest helpers of the tests that drive eecfgstress.ko (irqoff, netem,
# box-faults, peer-dead) and read the transport's per-peer statistics.
# Copied into the share by stress-lib.sh; source after ee-guest.sh:
#
#	. /share/ee-guest.sh
#	. /share/stress-guest.sh

EE_PEERS=$EE_DEBUGFS/peers

# now_ms: guest uptime in milliseconds.
now_ms() {
	awk '{ printf "%d\n", $1 * 1000 }' /proc/uptime
}

# cs_run TAG ARGS...: one eecfgstress run (the test runs in the module's
# init; ARGS are its parameters), then unload it.  Its status is
# modprobe's: 0 iff every access was checked right.  modprobe's own output
# goes to /tmp/cs.TAG.out.
cs_run() {
	_cs_tag=$1
	shift
	modprobe eecfgstress tag="$_cs_tag" "$@" >"/tmp/cs.$_cs_tag.out" 2>&1
	_cs_st=$?
	[ $_cs_st -ne 0 ] || rmmod eecfgstress
	return $_cs_st
}

# cs_line TAG KIND: the last "eecfgstress: TAG KIND ..." kernel line,
# from KIND on (e.g. "result status=pass mode=sleep ...").
cs_line() {
	dmesg | sed -nE "s/.*eecfgstress: $1 ($2 .*)/\1/p" | tail -n 1
}

# cs_get LINE KEY: the value of KEY=value in LINE.
cs_get() {
	printf '%s\n' "$1" | tr ' ' '\n' | sed -n "s/^$2=//p" | head -n 1
}

# cs_report TAG: the run's per-CPU, failed-access and result lines as
# diagnostics.
cs_report() {
	dmesg | sed -nE "s/.*eecfgstress: $1 ((cpu|bad|result) .*)/\1/p" |
		while IFS= read -r _l; do diag "$_l"; done
}

# cs_expect_pass TAG DESC: ok iff TAG's result says pass with no error
# (cs_run's status says the same; this shows the numbers when not).
cs_expect_pass() {
	_l=$(cs_line "$1" result)
	if [ "$(cs_get "$_l" status)" = pass ] && [ "$(cs_get "$_l" errors)" = 0 ]; then
		ok "$2"
	else
		not_ok "$2" "${_l:-no result line for $1}"
	fi
}

# ee_peer_sum KEY: KEY summed over the blocks of debugfs "peers" (lines
# "key value"; other keys and lines are ignored).  Fails, printing
# nothing, if there is no such file or key.
ee_peer_sum() {
	[ -r "$EE_PEERS" ] || return 1
	awk -v k="$1" '$1 == k && $2 ~ /^-?[0-9]+$/ { s += $2; f = 1 }
		END { if (f) print s; else exit 1 }' "$EE_PEERS"
}

# ee_peer_vals KEY: the values of KEY in every block, space-separated.
ee_peer_vals() {
	[ -r "$EE_PEERS" ] || return 1
	awk -v k="$1" '$1 == k { printf "%s%s", n++ ? " " : "", $2 }
		END { print "" }' "$EE_PEERS"
}

# ee_peer_delta KEY BEFORE: KEY now minus BEFORE ("" if KEY is unknown).
ee_peer_delta() {
	_v=$(ee_peer_sum "$1") || return 1
	echo $((_v - ${2:-0}))
}

# expect_peer_moved KEY BEFORE DESC: ok iff the peers' KEY grew since
# BEFORE (the value ee_peer_sum gave earlier).
expect_peer_moved() {
	if [ ! -r "$EE_PEERS" ]; then
		not_ok "$3" "no $EE_PEERS (per-peer transport statistics)"
	elif ! _d=$(ee_peer_delta "$1" "$2"); then
		not_ok "$3" "no key '$1' in $EE_PEERS"
	elif [ "$_d" -gt 0 ]; then
		ok "$3 (+$_d)"
	else
		not_ok "$3" "$1 did not move (+$_d)"
	fi
}

# ee_peer_diag: the main per-peer statistics as one diagnostic line per
# peer (or why there are none).
ee_peer_diag() {
	if [ ! -r "$EE_PEERS" ]; then
		diag "no $EE_PEERS"
		return 0
	fi
	awk 'function out() { if (l != "") print "peer" l; l = "" }
		/^$/ { out(); next }
		$1 == "peer" { out(); l = " " $2; next }
		$1 ~ /^(state|tx_frames|rtx_frames|rx_frames|rx_dup|rx_ooo|timeouts|fast_rtx|deaths|srtt_us|rto_us|rate_bps|dead_bound_ms)$/ {
			l = l " " $1 "=" $2
		}
		END { out() }' "$EE_PEERS" | while IFS= read -r _l; do diag "$_l"; done
}

# ee_nic_irqs: the IRQ numbers of the tunnel NIC (its virtio device's
# config, input and output vectors), one per line.
ee_nic_irqs() {
	_vdev=$(readlink -f "/sys/class/net/$EXPETHER_DEV/device")
	awk -v v="${_vdev##*/}-" 'index($NF, v) == 1 { print $1 + 0 }' /proc/interrupts
}

# ee_pin_irqs CPU IRQS...: route the IRQs to CPU only; fails if the
# kernel refuses.
ee_pin_irqs() {
	_cpu=$1
	shift
	for _irq in "$@"; do
		echo "$_cpu" >"/proc/irq/$_irq/smp_affinity_list" || return 1
	done
}

# ee_irq_count IRQ CPU: how many times IRQ was taken on CPU.
ee_irq_count() {
	awk -v i="$1:" -v c="$2" '$1 == i { print $(c + 2); exit }' /proc/interrupts
}

# ee_deaths: peer deaths the module has counted (the counters whose name
# says dead/death, else the peers' "deaths").
ee_deaths() {
	awk '$1 ~ /dead|death/ && $2 ~ /^[0-9]+$/ { s += $2; f = 1 }
		END { if (f) print s; else exit 1 }' "$EE_DEBUGFS/counters" 2>/dev/null ||
		ee_peer_sum deaths 2>/dev/null || echo 0
}

# Kernel lines of expether that say a peer is dead (or stopped
# acknowledging), as an awk regular expression over lower-cased lines.
EE_DEAD_RE='peer.*(dead|lost)|dead peer|declared dead|stopped acknowledging'

# ee_dead_after MARKER: milliseconds from the kernel line holding MARKER
# (written with kmsg) to the first later expether line saying a peer is
# dead, by the kernel's timestamps; nothing if there is none yet.
ee_dead_after() {
	dmesg | awk -v m="$1" -v re="$EE_DEAD_RE" '
		function ts(l) { sub(/^\[ */, "", l); sub(/\].*/, "", l); return l + 0 }
		index($0, m) { t0 = ts($0); seen = 1; next }
		seen && tolower($0) ~ /expether/ && tolower($0) ~ re {
			printf "%d\n", (ts($0) - t0) * 1000; exit
		}'
}

# ee_slots_attached: slots that have an I/O bridge (state not "empty").
ee_slots_attached() {
	awk 'NR > 1 && $4 != "empty"' "$EE_DEBUGFS/slots" 2>/dev/null | grep -c .
}

# setpci_pairs BDF N OUT: N writes of the Interrupt Line register (0x3c, a
# read-write byte nothing uses on testdev) through setpci, each read back.
# Config accesses through sysfs hold pci_lock with interrupts off: they
# exercise the direct, qdisc-less transmit path.  OUT gets "BAD ONES".
setpci_pairs() {
	_b=$1 _n=$2 _i=0 _bad=0 _ones=0
	while [ $_i -lt "$_n" ]; do
		_v=$(printf '%02x' $(((_i * 37 + 11) % 255)))
		setpci -s "$_b" "3c.b=$_v" 2>/dev/null || _bad=$((_bad + 1))
		_g=$(setpci -s "$_b" 3c.b 2>/dev/null)
		if [ "$_g" != "$_v" ]; then
			_bad=$((_bad + 1))
			[ "$_g" != ff ] || _ones=$((_ones + 1))
		fi
		_i=$((_i + 1))
	done
	echo "$_bad $_ones" >"$3"
}
