# SPDX-License-Identifier: GPL-2.0
# shellcheck shell=sh
#
# expether helpers for guest scripts (on top of $EXPETHER_LIB's TAP
# helpers).  Copied into the share by the e2e drivers: ". /share/ee-guest.sh"

. "$EXPETHER_LIB"

EE_DEBUGFS=/sys/kernel/debug/expether
EE_TESTDEV=1033:ee01

# ee_counter NAME: a module counter from debugfs (0 if absent).
ee_counter() {
	awk -v n="$1" '$1 == n { print $2; f = 1 } END { if (!f) print 0 }' \
		"$EE_DEBUGFS/counters" 2>/dev/null
}

# ee_ndev [VENDOR:DEVICE]: how many such devices lspci shows.
ee_ndev() {
	lspci -n -d "${1:-$EE_TESTDEV}" 2>/dev/null | grep -c .
}

# ee_bdfs [VENDOR:DEVICE]: their full addresses, one per line.
ee_bdfs() {
	lspci -D -n -d "${1:-$EE_TESTDEV}" | cut -d' ' -f1
}

# ee_hex BDF: `lspci -xxxx` of BDF without its title line.
ee_hex() {
	lspci -s "$1" -xxxx | sed -e '1d' -e '/^$/d'
}

# ee_cap BDF NAME: offset (decimal) of a capability lspci -v names.
ee_cap() {
	lspci -s "$1" -v | sed -n "s/.*Capabilities: \[\([0-9a-f]*\)\] $2.*/\1/p" |
		head -1 | { read -r x && echo $((0x$x)); }
}

# ee_modprobe ARGS...: load the module on the tunnel NIC.
ee_modprobe() {
	modprobe expether dev="$EXPETHER_DEV" "$@"
}

# ee_no_trace: nothing of the module is left in the system.
ee_no_trace() {
	! lsmod | grep -q '^expether ' &&
	! grep -q expether /proc/iomem &&
	[ ! -e "$EE_DEBUGFS" ] &&
	! lspci -D | grep -q '^ee00:'
}

# td_run NAME CMD: run an eetestdev command (its debugfs directory in $T);
# ok or not_ok NAME, its result line as a diag; the command's status.
td_run() {
	echo "$2" >"$T/run" 2>/tmp/td.err
	_st=$?
	_res=$(cat "$T/result")
	[ $_st -eq 0 ] && ok "$1" || not_ok "$1" "${_res:-$(cat /tmp/td.err)}"
	diag "$_res"
	return $_st
}
