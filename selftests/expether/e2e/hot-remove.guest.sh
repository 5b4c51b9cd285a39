# SPDX-License-Identifier: GPL-2.0
# hot-remove.guest.sh BOUND-MS: see hot-remove.sh.
. /share/ee-guest.sh
. /share/stress-guest.sh
bound=$1
NVME=1033:ee02

nvme_blk() { ls /dev/nvme*n1 2>/dev/null | head -n 1; }

check "modprobe expether" ee_modprobe gid=5
wait_for '[ "$(ee_ndev $NVME)" -eq 1 ]' 15 || bail_out "no NVMe device in the slot"
check "modprobe nvme" modprobe nvme
wait_for '[ -n "$(nvme_blk)" ]' 30 || bail_out "no NVMe block device"
blk=$(nvme_blk)
eectl monitor >/tmp/mon 2>&1 &
mon=$!

# A filesystem with a tree of files, their sums, unmounted.
check "mkfs.ext4 on $blk" mkfs.ext4 -q -F "$blk"
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
(cd /mnt/nv && find . -type f | sort | xargs sha256sum) >/tmp/sums
check "umount" umount /mnt/nv
diag "$(wc -l </tmp/sums) files written and summed"

# Reads in flight when the box dies.
fio --name=reads --filename="$blk" --rw=randread --bs=4k --iodepth=16 \
	--ioengine=libaio --direct=1 --time_based --runtime=120 \
	--output-format=terse --terse-version=3 >/tmp/fio.out 2>&1 &
fio=$!
r0=$(ee_counter mem_reads)
wait_for '[ $(($(ee_counter dma_writes) - 0)) -gt 200 ]' 20 && ok "fio is reading" ||
	not_ok "fio is reading" "dma_writes $(ee_counter dma_writes)"

marker="e2e hot-remove: killing eebox"
kmsg "$marker"
t0=$(now_ms)
touch /share/box.kill
wait_for '[ -e /share/box.killed ]' 10 || bail_out "the box was not killed"
slot='' gone='' fioend=''
since() { echo $(($(now_ms) - t0)); }
while :; do
	[ -n "$slot" ] || [ "$(ee_slots_attached)" -ne 0 ] || slot=$(since)
	[ -n "$gone" ] || [ "$(ee_ndev $NVME)" -ne 0 ] || gone=$(since)
	[ -n "$fioend" ] || kill -0 $fio 2>/dev/null || fioend=$(since)
	[ -z "$slot" ] || [ -z "$gone" ] || [ -z "$fioend" ] || break
	[ "$(since)" -le 30000 ] || break
	sleep 0.02
done
# The detach by the kernel's clock, from the marker.
down=$(dmesg | awk -v m="$marker" '
	function ts(l) { sub(/^\[ */, "", l); sub(/\].*/, "", l); return l + 0 }
	index($0, m) { t0 = ts($0); seen = 1; next }
	seen && /expether.*slot 1: .*detached/ { printf "%d\n", (ts($0) - t0) * 1000; exit }')
diag "slot empty (eectl) after ${slot:-?} ms, kernel detach after ${down:-?} ms, device gone after ${gone:-?} ms, fio ended after ${fioend:-?} ms"
if [ -n "$down" ] && [ "$down" -le "$bound" ]; then
	ok "the slot went down within $bound ms ($down ms by the kernel's clock)"
else
	not_ok "the slot went down within $bound ms" "after ${down:-never} ms"
fi
[ -n "$gone" ] && ok "the NVMe device is gone from lspci" || not_ok "the NVMe device is gone from lspci"
if [ -n "$fioend" ]; then
	wait $fio
	st=$?
	err=$(grep '^3;' /tmp/fio.out | tail -n 1 | cut -d';' -f5)
	[ $st -ne 0 ] || [ "${err:-0}" != 0 ] &&
		ok "fio ended with I/O errors, no hang (exit $st, error ${err:-?}, after $fioend ms)" ||
		not_ok "fio ended with I/O errors" "exit $st, error ${err:-?}"
	grep -v '^3;' /tmp/fio.out | head -n 4 | while IFS= read -r l; do diag "fio: $l"; done
else
	not_ok "fio ended" "still running after 30 s"
	kill -KILL $fio
fi
diag "dif_timeouts $(ee_counter dif_timeouts), dif_watch_drains $(ee_counter dif_watch_drains), peer_deaths $(ee_counter peer_deaths)"
dmesg | grep -E 'expether|pciehp|nvme' | tail -n +$(($(dmesg | grep -n "$marker" | cut -d: -f1))) |
	head -n 12 | while IFS= read -r l; do diag "$l"; done

# The box comes back: a new epoch, hot-added again.
t1=$(now_ms)
touch /share/box.start
wait_for '[ -e /share/box.started ]' 10 || bail_out "the box was not started again"
wait_for '[ "$(ee_ndev $NVME)" -eq 1 ] && [ -n "$(nvme_blk)" ]' 30 &&
	ok "the device returned ($(($(now_ms) - t1)) ms after the restart)" ||
	not_ok "the device returned"
blk=$(nvme_blk)
check "the filesystem mounts ($blk)" mount -t ext4 "$blk" /mnt/nv
(cd /mnt/nv && sha256sum -c /tmp/sums >/tmp/sumcheck 2>&1)
expect_eq "$?/$(grep -c ': OK$' /tmp/sumcheck)" "0/$(wc -l </tmp/sums)" \
	"every file's sha256 matches"
check "umount" umount /mnt/nv

sleep 0.5
kill $mon
wait $mon 2>/dev/null
while IFS= read -r l; do diag "event: $l"; done </tmp/mon
seq=$(awk '{ print $3 }' /tmp/mon | tr '\n' ' ')
expect_match "$seq" "^peer-(down|dead) slot-detached peer-up slot-attached $" \
	"eectl monitor: down (DIF timeout or dead peer), detached, up, attached"
check "rmmod nvme" rmmod nvme
check "rmmod expether" rmmod expether
tap_done
