# SPDX-License-Identifier: GPL-2.0
# gid-move.guest.sh A|B: see gid-move.sh.  The two guests meet in
# /common (a 9p directory both see): A writes the sums and says when it
# moves the device, B says when it is ready and when it has checked.
. /share/ee-guest.sh
. /share/stress-guest.sh
role=$1
C=/common
NVME=1033:ee02

nvme_blk() { ls /dev/nvme*n1 2>/dev/null | head -n 1; }

# die WHY: bail out, and let the other guest know at once.
die() {
	touch "$C/$role.failed"
	bail_out "$*"
}

events() { # FILE: the event names, space-separated
	awk '{ print $3 }' "$1" | tr '\n' ' '
}

if [ "$role" = B ]; then
	check "modprobe expether gid=6" ee_modprobe gid=6 || die "no expether"
	# Two guests and a box on two CPUs: a DIF can be late.  The move is
	# the bridge's goodbye, not a timeout.
	check "B: eectl bridge set dif-timeout 1500" eectl bridge set dif-timeout 1500
	check "modprobe nvme" modprobe nvme || die "no nvme"
	eectl monitor >/tmp/mon 2>&1 &
	mon=$!
	sleep 0.5
	expect_eq "$(ee_ndev $NVME)" 0 "B: no device in group 6 yet"
	touch $C/B.ready
	wait_for "[ -e $C/moving ] || [ -e $C/A.failed ]" 240
	[ -e $C/moving ] || die "A never moved the device"
	t0=$(now_ms)
	wait_for '[ "$(ee_ndev $NVME)" -eq 1 ] && [ -n "$(nvme_blk)" ]' 30 &&
		ok "B: the NVMe device appeared ($(($(now_ms) - t0)) ms after A's move, as B saw it)" ||
		not_ok "B: the NVMe device appeared"
	blk=$(nvme_blk)
	mkdir -p /mnt/nv
	check "B: the filesystem mounts ($blk)" mount -t ext4 -o ro "$blk" /mnt/nv
	(cd /mnt/nv && sha256sum -c $C/sums >/tmp/sumcheck 2>&1)
	expect_eq "$?/$(grep -c ': OK$' /tmp/sumcheck)" "0/$(wc -l <$C/sums)" \
		"B: every file's sha256 matches A's"
	check "B: umount" umount /mnt/nv
	expect_match "$(eectl peer show | awk 'NR == 2')" " 6 +1 +up " \
		"B: the bridge is up in group 6, slot 1"
	sleep 0.5
	kill $mon
	wait $mon 2>/dev/null
	while IFS= read -r l; do diag "B event: $l"; done </tmp/mon
	expect_eq "$(events /tmp/mon)" "peer-up slot-attached " \
		"B: eectl monitor: peer-up, slot-attached"
	touch $C/B.done
	check "B: rmmod nvme" rmmod nvme
	check "B: rmmod expether" rmmod expether
	tap_done
	exit
fi

check "modprobe expether gid=5" ee_modprobe gid=5 || die "no expether"
check "eectl bridge set dif-timeout 1500" eectl bridge set dif-timeout 1500
wait_for '[ "$(ee_ndev $NVME)" -eq 1 ]' 20 || die "no NVMe device in group 5"
check "modprobe nvme" modprobe nvme || die "no nvme"
wait_for '[ -n "$(nvme_blk)" ]' 30 || die "no NVMe block device"
blk=$(nvme_blk)
eectl monitor >/tmp/mon 2>&1 &
mon=$!

# A 64 MiB filesystem at the start of the 128 MiB device, its sums.
check "mkfs.ext4 (64M) on $blk" mkfs.ext4 -q -F "$blk" 64M
mkdir -p /mnt/nv
check "mount" mount -t ext4 "$blk" /mnt/nv
i=0
for d in a a/b c; do
	mkdir -p "/mnt/nv/$d"
	for s in 1 9 130 700 2100; do
		i=$((i + 1))
		dd if=/dev/urandom of="/mnt/nv/$d/f$i" bs=1k count=$s 2>/dev/null
	done
done
(cd /mnt/nv && find . -type f | sort | xargs sha256sum) >$C/sums
check "umount" umount /mnt/nv
diag "$(wc -l <$C/sums) files written and summed"
mac=$(eectl -j peer show | jq -r '.[0].mac')
check "eectl bridge set key" eectl bridge set key $C/mgmt.key
wait_for "[ -e $C/B.ready ] || [ -e $C/B.failed ]" 240
[ -e $C/B.ready ] || die "B never got ready"

# Writes beyond the filesystem while the device moves.
fio --name=writes --filename="$blk" --rw=randwrite --bs=4k --iodepth=8 \
	--offset=80M --size=40M --ioengine=libaio --direct=1 --time_based \
	--runtime=120 --output-format=terse --terse-version=3 >/tmp/fio.out 2>&1 &
fio=$!
w0=$(ee_counter dma_reads)
wait_for '[ $(($(ee_counter dma_reads) - w0)) -gt 200 ]' 30 && ok "fio is writing" ||
	not_ok "fio is writing" "dma_reads $(ee_counter dma_reads)"

touch $C/moving
t0=$(now_ms)
check "eectl peer set $mac gid 6" eectl peer set "$mac" gid 6
gone='' fioend=''
since() { echo $(($(now_ms) - t0)); }
while :; do
	[ -n "$gone" ] || [ "$(ee_ndev $NVME)" -ne 0 ] || gone=$(since)
	[ -n "$fioend" ] || kill -0 $fio 2>/dev/null || fioend=$(since)
	[ -z "$gone" ] || [ -z "$fioend" ] || break
	[ "$(since)" -le 30000 ] || break
	sleep 0.02
done
diag "A: device gone after ${gone:-?} ms, fio ended after ${fioend:-?} ms"
[ -n "$gone" ] && ok "A: the device left" || not_ok "A: the device left"
if [ -n "$fioend" ]; then
	wait $fio
	st=$?
	err=$(grep '^3;' /tmp/fio.out | tail -n 1 | cut -d';' -f5)
	[ $st -ne 0 ] || [ "${err:-0}" != 0 ] &&
		ok "A: fio ended with I/O errors, no hang (exit $st, error ${err:-?})" ||
		not_ok "A: fio ended with I/O errors" "exit $st, error ${err:-?}"
	grep -v '^3;' /tmp/fio.out | head -n 3 | while IFS= read -r l; do diag "fio: $l"; done
else
	not_ok "A: fio ended" "still running after 30 s"
	kill -KILL $fio
fi
expect_eq "$(ee_slots_attached)" 0 "A: no slot attached"
expect_match "$(eectl peer show | awk 'NR == 2')" " 5 +1 +down .*bridge left" \
	"A: the bridge is down, it left"
wait_for "[ -e $C/B.done ] || [ -e $C/B.failed ]" 120
[ -e $C/B.done ] || not_ok "B checked the filesystem" "B failed or timed out"
sleep 0.5
kill $mon
wait $mon 2>/dev/null
while IFS= read -r l; do diag "A event: $l"; done </tmp/mon
expect_eq "$(events /tmp/mon)" "mgmt-sent peer-down slot-detached " \
	"A: eectl monitor: mgmt-sent, peer-down, slot-detached"
check "A: rmmod nvme" rmmod nvme
check "A: rmmod expether" rmmod expether
tap_done
