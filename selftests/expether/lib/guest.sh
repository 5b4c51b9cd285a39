# SPDX-License-Identifier: GPL-2.0
# shellcheck shell=sh
#
# TAP helpers for guest scripts run by selftests/expether/vm-run.
# vm-run puts this file in the initramfs; source it with
#
#	. "$EXPETHER_LIB"		# = /usr/lib/expether/guest.sh
#
# busybox ash (the guest's sh) and POSIX sh compatible.  The checks return
# non-zero on failure so they can be used in conditions; do not `set -e` in a
# script that uses them.  End the script with `tap_done` (its status is the
# script's status when it is the last command).
#
#	tap_plan N			print "1..N" (optional; tap_done prints a
#					trailing plan if none was given)
#	ok DESC / not_ok DESC [MSG]	report a result
#	skip DESC REASON		"ok N - DESC # SKIP REASON"
#	check DESC CMD [ARGS...]	ok if CMD succeeds (its output is shown
#					as "# " diagnostics on failure)
#	expect_eq ACTUAL EXPECTED DESC	ok if the strings are equal
#	expect_ne ACTUAL UNEXPECTED DESC
#	expect_match ACTUAL ERE DESC	ok if ACTUAL matches the extended regex
#	wait_for 'SHELL CONDITION' SEC	poll (every 0.1 s) until the condition
#					(eval'ed) succeeds; 1 on timeout.
#					SEC may have one decimal (2.5).
#	diag MSG...			"# MSG" (TAP diagnostic)
#	kmsg MSG...			write MSG to the kernel log (/dev/kmsg)
#	bail_out REASON			"Bail out! REASON", exit 1
#	tap_done			print a summary; 0 iff all passed and the
#					plan (if any) matched

_tap_n=0
_tap_fail=0
_tap_plan=

tap_plan() {
	_tap_plan=$1
	echo "1..$1"
}

diag() {
	# Prefix every line of the message.
	printf '%s\n' "$*" | sed 's/^/# /'
}

kmsg() {
	echo "$*" >/dev/kmsg 2>/dev/null || true
}

ok() {
	_tap_n=$((_tap_n + 1))
	echo "ok $_tap_n - $1"
	return 0
}

not_ok() {
	_tap_n=$((_tap_n + 1))
	_tap_fail=$((_tap_fail + 1))
	echo "not ok $_tap_n - $1"
	[ $# -lt 2 ] || diag "$2"
	return 1
}

skip() {
	_tap_n=$((_tap_n + 1))
	echo "ok $_tap_n - $1 # SKIP ${2:-}"
	return 0
}

check() {
	_d=$1
	shift
	if _out=$("$@" 2>&1); then
		ok "$_d"
	else
		_st=$?
		not_ok "$_d" "command failed (status $_st): $*"
		[ -z "$_out" ] || diag "$_out"
		return 1
	fi
}

expect_eq() {
	if [ "$1" = "$2" ]; then
		ok "$3"
	else
		not_ok "$3" "expected '$2', got '$1'"
	fi
}

expect_ne() {
	if [ "$1" != "$2" ]; then
		ok "$3"
	else
		not_ok "$3" "got '$1', which it must not be"
	fi
}

expect_match() {
	if printf '%s\n' "$1" | grep -Eq -- "$2"; then
		ok "$3"
	else
		not_ok "$3" "'$1' does not match /$2/"
	fi
}

# Uptime in tenths of a second.
_tap_now() {
	_u=$(cut -d' ' -f1 /proc/uptime)
	echo $((${_u%.*} * 10 + $(echo "${_u#*.}" | cut -c1)))
}

# wait_for 'CONDITION' SECONDS
wait_for() {
	_cond=$1
	_to=${2:-10}
	case $_to in
	*.*) _t10=$((${_to%.*} * 10 + $(echo "${_to#*.}" | cut -c1))) ;;
	*) _t10=$((_to * 10)) ;;
	esac
	_end=$(($(_tap_now) + _t10))
	while :; do
		if eval "$_cond" >/dev/null 2>&1; then
			return 0
		fi
		[ "$(_tap_now)" -lt "$_end" ] || return 1
		sleep 0.1
	done
}

bail_out() {
	echo "Bail out! $*"
	exit 1
}

tap_done() {
	if [ -z "$_tap_plan" ]; then
		echo "1..$_tap_n"
	elif [ "$_tap_plan" -ne "$_tap_n" ]; then
		diag "planned $_tap_plan tests but ran $_tap_n"
		_tap_badplan=1
	fi
	diag "pass:$((_tap_n - _tap_fail)) fail:$_tap_fail"
	[ "$_tap_fail" -eq 0 ] && [ -z "${_tap_badplan:-}" ]
}
