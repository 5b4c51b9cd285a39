# SPDX-License-Identifier: GPL-2.0
# control.guest.sh: see control.sh.
. /share/ee-guest.sh
. /share/stress-guest.sh
dev=$EXPETHER_DEV
KEY=/share/mgmt.key
LINK=/share/box/1.link

# box_stat KEY: a counter of the box's device 1 (--state-dir file).
box_stat() {
	awk -v k="$1" '$1 == k { print $2; exit }' "$LINK" 2>/dev/null
}

# ctl REQUEST: a request to eebox's control socket, through the host.
ctl() {
	rm -f /share/ctl.reply
	echo "$*" >/share/ctl.request
	wait_for '[ -e /share/ctl.reply ]' 10 || { echo "no reply"; return 1; }
	cat /share/ctl.reply
	grep -q '^status 0$' /share/ctl.reply
}

# fails DESC REGEX CMD...: CMD exits non-zero and says REGEX on stderr.
fails() {
	_d=$1 _re=$2
	shift 2
	_out=$("$@" 2>&1 >/dev/null)
	_st=$?
	if [ $_st -ne 0 ] && printf '%s\n' "$_out" | grep -Eq "$_re"; then
		ok "$_d (exit $_st: $_out)"
	else
		not_ok "$_d" "exit $_st, said: $_out"
	fi
}

# vg CMD...: CMD under valgrind's memcheck; status 99 on an error or leak.
have_vg=false
if [ -d /share/vg ] && command -v valgrind.bin >/dev/null; then
	mkdir -p /usr/lib/debug && cp -a /share/vg/dbg/.build-id /usr/lib/debug/
	have_vg=true
fi
vg() {
	VALGRIND_LIB=/share/vg valgrind.bin -q --leak-check=full \
		--errors-for-leak-kinds=all --error-exitcode=99 "$@"
}
# vg_check DESC WANT-STATUS CMD...: CMD under valgrind exits WANT-STATUS.
vg_check() {
	_d=$1 _w=$2
	shift 2
	if ! $have_vg; then
		skip "$_d" "no valgrind in the guest"
		return 0
	fi
	vg "$@" >/tmp/vg.out 2>/tmp/vg.err
	_st=$?
	if [ $_st -eq "$_w" ] && ! grep -q '^==[0-9]*==' /tmp/vg.err; then
		ok "$_d (exit $_st)"
	else
		not_ok "$_d" "exit $_st: $(grep '^==' /tmp/vg.err | head -n 8 | tr '\n' ' ')"
	fi
}

# ---- error paths without the module
fails "no module: eectl says so" "module is not loaded" eectl bridge show
fails "unknown object" "unknown object 'frobnicate'" eectl frobnicate
fails "bad GID" "invalid GID '4095'" eectl gid set 4095
fails "bad GID (not a number)" "invalid GID 'five'" eectl peer set 02:ee:00:00:00:01 gid five

check "modprobe expether" ee_modprobe gid=5
wait_for '[ "$(ee_ndev)" -eq 1 ]' 15 || bail_out "no testdev"
bdf=$(ee_bdfs)
# Not a test of the DIF timeout (hot-remove is): valgrind under TCG can
# starve the box of CPU for longer than three of its intervals.
check "eectl bridge set dif-timeout 2000" eectl bridge set dif-timeout 2000
expect_eq "$(eectl -j peer show | jq '.[0].dif_timeout_ms')" 2000 "...in effect for the peer"

# ---- permissions: reading is for everyone, changing is not
asuser() { setpriv --reuid 1000 --regid 1000 --clear-groups "$@"; }
check "a user reads the peers" asuser eectl peer show
fails "no permission: gid set" "CAP_NET_ADMIN" asuser eectl gid set 6
fails "no permission: slot detach" "CAP_NET_ADMIN" asuser eectl slot detach 1
fails "no permission: monitor" "CAP_NET_ADMIN" asuser eectl monitor
fails "the kernel's extack: no such slot" "slot detach: no such slot" eectl slot detach 99
fails "the kernel's extack: unknown bridge" "not an I/O bridge of our group" \
	eectl peer set 02:00:00:00:00:99 gid 6
fails "the kernel's extack: no key yet" "no management key" \
	eectl peer set "$(eectl -j peer show | jq -r '.[0].mac')" gid 6
expect_eq "$(ee_ndev)" 1 "the device stayed through all that"

# ---- events, from here on
eectl monitor >/tmp/mon 2>&1 &
mon=$!
eectl -j monitor >/tmp/monj 2>&1 &
monj=$!
if $have_vg; then
	# Not through vg(): a function in the background is a subshell, and
	# the signal must reach valgrind itself.
	VALGRIND_LIB=/share/vg valgrind.bin -q --leak-check=full \
		--errors-for-leak-kinds=all --error-exitcode=99 \
		eectl -j monitor >/tmp/monvg 2>/tmp/monvg.err &
	monvg=$!
fi
sleep 1

# ---- DMA violations are events: testdev's rogue writes, through eetestdev
check "modprobe eetestdev" modprobe eetestdev
T=/sys/kernel/debug/eetestdev/$bdf
wait_for "[ -e $T/run ]" 10 && echo rogue >$T/run &&
	ok "eetestdev made testdev write where it must not ($(cat $T/result))" ||
	not_ok "eetestdev rogue run" "$(cat $T/result 2>/dev/null)"
check "rmmod eetestdev" rmmod eetestdev

# ---- JSON against the plain output
json=$(eectl -j peer show)
check "eectl -j peer show is JSON (one peer)" sh -c "printf '%s' '$json' | jq -e 'length == 1'"
plain=$(eectl peer show | awk 'NR == 2')
diag "plain: $plain"
set -- $plain
j() { printf '%s' "$json" | jq -r ".[0].$1"; }
expect_eq "$(j mac)" "$1" "JSON and plain agree: mac"
expect_eq "$(j gid)" "$2" "JSON and plain agree: gid"
expect_eq "$(j slot)" "$3" "JSON and plain agree: slot"
expect_eq "$(j state)" "$4" "JSON and plain agree: state"
expect_eq "$(printf '%08x' "$(j epoch)")" "$5" "JSON and plain agree: epoch"
expect_eq "$(printf '%04x:%04x' "$(j vendor)" "$(j device)")" "$6" "JSON and plain agree: device"
expect_eq "$(printf '%06x' "$(j class)")" "$7" "JSON and plain agree: class"
expect_eq "$(j link)" "$8" "JSON and plain agree: link"
expect_eq "$(j stats.rtx_frames)" "${11}" "JSON and plain agree: rtx_frames"
mac=$(j mac)
check "pretty JSON of bridge show parses, gid 5" sh -c "eectl -j -p bridge show | jq -e '.gid == 5 and .slots == 16'"
check "JSON of slot show: slot 1 up" sh -c "eectl -j slot show | jq -e '.[0].state == \"up\" and .[0].mac == \"$mac\"'"
check "JSON of stats" sh -c "eectl -j -s stats | jq -e '.counters.rx_difs > 0 and (.peers | length) == 1'"

# ---- slot detach and attach
check "eectl slot detach 1" eectl slot detach 1
wait_for '[ "$(ee_ndev)" -eq 0 ]' 10 && ok "the device left" || not_ok "the device left"
expect_match "$(eectl slot show 1)" "admin-down +down +$mac" "slot 1 is administratively down, holding the bridge"
expect_match "$(eectl peer show)" "held" "the bridge is held back"
sleep 1
expect_eq "$(ee_ndev)" 0 "...and stays out while its DIFs go on"
check "eectl slot attach 1" eectl slot attach 1
wait_for '[ "$(ee_ndev)" -eq 1 ]' 15 && ok "the device returned" || not_ok "the device returned"
expect_eq "$(ee_bdfs)" "$bdf" "...at the same address"
expect_match "$(lspci -s "$bdf" -n)" "1033:ee01" "...and its config space reads"

# ---- management frames: forged, genuine, replayed
wrongkey=$(od -An -N20 -tx1 /dev/urandom | tr -d ' \n')
check "a forged SET_GID (wrong key) is sent" eemgmt forge "$dev" 5 "$mac" 6 "$wrongkey"
wait_for '[ "$(box_stat mgmt_forged)" = 1 ]' 5 && ok "the box refused and counted it (mgmt_forged 1)" ||
	not_ok "the box refused and counted it" "mgmt_forged $(box_stat mgmt_forged)"
sleep 0.5
expect_eq "$(ee_ndev)/$(box_stat gid)" "1/5" "the device did not move"

check "eectl bridge set key" eectl bridge set key "$KEY"
eemgmt capture "$dev" /tmp/frame 15 >/tmp/capture.out 2>&1 &
cap=$!
sleep 0.5
check "eectl peer set $mac gid 4093" eectl peer set "$mac" gid 4093
wait $cap && ok "the genuine frame was captured" || not_ok "the genuine frame was captured" "$(cat /tmp/capture.out)"
wait_for '[ "$(ee_ndev)" -eq 0 ]' 10 && ok "the device moved away (group 4093)" || not_ok "the device moved away"
wait_for '[ "$(box_stat gid)" = 4093 ]' 5 && ok "the box says group 4093, mgmt_accepted $(box_stat mgmt_accepted)" ||
	not_ok "the box says group 4093" "gid $(box_stat gid)"
expect_eq "$(eectl -j stats | jq .counters.tx_mgmt)" 1 "the module counted one management frame sent"

out=$(ctl gid 1 5)
expect_match "$out" "ok dev 1 moves to group 5" "eebox's control socket moves it back: $out"
wait_for '[ "$(ee_ndev)" -eq 1 ]' 15 && ok "the device is back" || not_ok "the device is back"

check "the captured frame is replayed" eemgmt replay "$dev" /tmp/frame
wait_for '[ "$(box_stat mgmt_replayed)" = 1 ]' 5 && ok "the box refused and counted it (mgmt_replayed 1)" ||
	not_ok "the box refused and counted it" "mgmt_replayed $(box_stat mgmt_replayed)"
sleep 0.5
expect_eq "$(ee_ndev)/$(box_stat gid)/$(box_stat mgmt_accepted)" "1/5/1" "the device did not move, one frame accepted in all"
diag "$(ctl stats 1 | tr '\n' ' ')"

# ---- the host changes its own group, and finds that group's devices
check "eectl gid set 7" eectl gid set 7
wait_for '[ "$(ee_ndev)" -eq 0 ]' 10 && ok "the group-5 device left the group-7 host" ||
	not_ok "the group-5 device left the group-7 host"
expect_eq "$(eectl gid show)" 7 "eectl gid show: 7"
out=$(ctl gid 1 7)
wait_for '[ "$(ee_ndev)" -eq 1 ]' 15 && ok "the box moved to group 7 (control socket): the host picked it up" ||
	not_ok "the host picked up the group-7 device" "$out"
expect_match "$(eectl peer show | awk 'NR == 2')" " 7 +1 +up " "eectl peer show: up in group 7"
check "eectl gid set 5" eectl gid set 5
wait_for '[ "$(ee_ndev)" -eq 0 ]' 10 && ok "back in group 5 without it" || not_ok "back in group 5 without it"
out=$(ctl gid 1 5)
wait_for '[ "$(ee_ndev)" -eq 1 ]' 15 && ok "the box followed: the device is back" ||
	not_ok "the device is back" "$out"

# ---- eectl under valgrind
vg_check "valgrind: eectl -j -s peer show" 0 eectl -j -s peer show
vg_check "valgrind: eectl -s stats" 0 eectl -s stats
vg_check "valgrind: eectl slot show" 0 eectl slot show
vg_check "valgrind: eectl bridge set dif-interval 100" 0 eectl bridge set dif-interval 100
vg_check "valgrind: eectl slot detach 99 (the kernel says no)" 1 eectl slot detach 99

# ---- the events, in order
sleep 0.5
kill $mon $monj
wait $mon $monj 2>/dev/null
if $have_vg; then
	kill -TERM $monvg
	wait $monvg
	st=$?
	[ $st -eq 0 ] && ! grep -q '^==[0-9]*==' /tmp/monvg.err &&
		ok "valgrind: eectl -j monitor ($(grep -c . /tmp/monvg) events, then SIGTERM)" ||
		not_ok "valgrind: eectl -j monitor" "exit $st: $(grep '^==' /tmp/monvg.err | head -n 8 | tr '\n' ' ')"
fi
while IFS= read -r l; do diag "event: $l"; done </tmp/mon
v=$(grep -c 'dma-violation slot 1 .* (write)' /tmp/mon)
[ "$v" -ge 1 ] && ok "eectl monitor: $v dma-violation events (write)" ||
	not_ok "eectl monitor: dma-violation events" "none"
expect_eq "$(jq -r 'select(.event == "dma-violation") | .reason' </tmp/monj | sort -u)" write \
	"eectl -j monitor: the violations say write, with addr and len"
grep -v dma-violation /tmp/mon >/tmp/mon.seq
seq=$(awk '{ print $3 }' /tmp/mon.seq | tr '\n' ' ')
want="slot-detached peer-up slot-attached mgmt-sent peer-down slot-detached peer-up slot-attached "
want="${want}slot-detached gid-changed peer-up slot-attached slot-detached gid-changed peer-up slot-attached "
expect_eq "$seq" "$want" "eectl monitor: the events in order"
seqj=$(jq -r 'select(.event != "dma-violation") | .event' </tmp/monj | tr '\n' ' ')
expect_eq "$seqj" "$want" "eectl -j monitor: the same, as JSON lines"
expect_match "$(sed -n 1p /tmp/mon.seq)" "administratively detached" "...the first says why"
expect_match "$(sed -n 5p /tmp/mon.seq)" "\(left\)" "...the bridge said goodbye when it moved"

# ---- rmmod with the device attached and idle
check "rmmod expether (device attached, idle)" rmmod expether
check "nothing of the module left" ee_no_trace
fails "eectl after rmmod" "module is not loaded" eectl peer show
tap_done
