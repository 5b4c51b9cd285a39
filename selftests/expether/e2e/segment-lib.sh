# SPDX-License-Identifier: GPL-2.0
# shellcheck shell=bash
#
# One Ethernet segment for several guests and an eebox, for the tests
# that need more than vm-run's one guest per tap: a Linux bridge eeb<pid>
# and a veth pair eev<pid> (in the bridge) / eex<pid> (eebox's).  Guests
# join with `vm-run --bridge "$SEG_BR"`.  Source after e2e-lib.sh.
#
#   seg_up               create the bridge and the box's veth pair
#   seg_box ARGS...      start `eebox -i $SEG_BOXIF ARGS` in the background
#                        (its output in $SEG_LOG)
#   seg_box_check        0 iff the box still runs and its log has no
#                        sanitizer report (prints the log's tail if not)
#   seg_down             stop the box and delete the links (also on exit)

SEG_BR=eeb$$
SEG_VETH=eev$$
SEG_BOXIF=eex$$
SEG_LOG=$BUILD/e2e/$TEST-box.$$.log
SEG_BOX=

# Links of earlier runs that died without cleaning up.
seg_gc() {
	local n pid
	for n in /sys/class/net/eeb* /sys/class/net/eev*; do
		[ -e "$n" ] || continue
		n=${n##*/}
		pid=${n#ee?}
		[[ $pid =~ ^[0-9]+$ ]] || continue
		kill -0 "$pid" 2>/dev/null && continue
		ip link del dev "$n" 2>/dev/null
	done
}

seg_up() {
	local l
	seg_gc
	ip link add "$SEG_BR" type bridge || return 1
	ip link add "$SEG_VETH" type veth peer name "$SEG_BOXIF" || return 1
	ip link set dev "$SEG_VETH" master "$SEG_BR" || return 1
	for l in "$SEG_BR" "$SEG_VETH" "$SEG_BOXIF"; do
		# No IPv6 chatter on the segment.
		sysctl -q -w "net.ipv6.conf.$l.disable_ipv6=1" 2>/dev/null
		ip link set dev "$l" up || return 1
	done
}

seg_box() {
	setpriv --pdeathsig KILL -- "$EEBOX" -i "$SEG_BOXIF" "$@" \
		</dev/null >"$SEG_LOG" 2>&1 &
	SEG_BOX=$!
	sleep 0.2
	seg_box_check
}

seg_box_check() {
	if [ -n "$SEG_BOX" ] && kill -0 "$SEG_BOX" 2>/dev/null &&
	   ! grep -Eq 'ERROR: [A-Za-z]+Sanitizer|runtime error:' "$SEG_LOG"; then
		return 0
	fi
	echo "# eebox on $SEG_BOXIF is gone or reported an error:"
	tail -n 20 "$SEG_LOG" | sed 's/^/#   /'
	return 1
}

seg_down() {
	if [ -n "$SEG_BOX" ]; then
		kill -TERM "$SEG_BOX" 2>/dev/null
		wait "$SEG_BOX" 2>/dev/null
		SEG_BOX=
	fi
	ip link del dev "$SEG_VETH" 2>/dev/null
	ip link del dev "$SEG_BR" 2>/dev/null
}
