# SPDX-License-Identifier: GPL-2.0
# netem.guest.sh PAIRS SETPCI-PAIRS 'NETEM ARGS' ['NETEM ARGS'...]
#
# Each profile gets a freshly loaded expether (one profile's failure, e.g.
# a peer declared dead, does not spoil the next; the box sees a new host
# epoch each time).
. /share/ee-guest.sh
. /share/stress-guest.sh
pairs=${1:-10000}
spairs=${2:-100}
shift 2
ncpu=$(nproc)
iters=$(((pairs + ncpu - 1) / ncpu))
dev=$EXPETHER_DEV

check "sch_netem is available" modprobe sch_netem || bail_out "no sch_netem"

n=0
for prof in "$@"; do
	n=$((n + 1))
	tag=netem$n
	diag "profile $n: netem $prof"
	check "modprobe expether" ee_modprobe gid=5 || continue
	if ! wait_for '[ "$(ee_ndev)" -eq 1 ]' 15; then
		not_ok "the testdev is there" "slots: $(grep -c ' up ' "$EE_DEBUGFS/slots") up"
		rmmod expether
		continue
	fi
	bdf=$(ee_bdfs)
	# shellcheck disable=SC2086 # netem arguments are words
	if check "tc qdisc add dev $dev root netem $prof" \
		tc qdisc add dev "$dev" root netem $prof; then
		r0=$(ee_peer_sum rtx_frames)
		t0=$(now_ms)
		setpci_pairs "$bdf" "$spairs" /tmp/setpci.$n &
		sp=$!
		check "mode=sleep, $ncpu x $iters scratch pairs under netem $prof" \
			cs_run "$tag" mode=sleep iters="$iters" idread=0 timeout_s=240
		wait $sp
		diag "$((($(now_ms) - t0) / 1000)) s"
		cs_report "$tag"
		cs_expect_pass "$tag" "...every value read back exactly"
		read -r bad ones </tmp/setpci.$n
		expect_eq "$bad/$ones" "0/0" \
			"...and $spairs setpci pairs (interrupts off) meanwhile (bad/all-ones)"
		diag "$(tc -s qdisc show dev "$dev" | sed -n '1,2p')"
		expect_peer_moved rtx_frames "$r0" "...the guest retransmitted"
		diag "cfg_timeouts $(ee_counter cfg_timeouts) rx_unexpected_cpl $(ee_counter rx_unexpected_cpl)"
		ee_peer_diag
		check "tc qdisc del dev $dev root" tc qdisc del dev "$dev" root
	fi
	check "rmmod expether" rmmod expether
done
tap_done
