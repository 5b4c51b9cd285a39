# SPDX-License-Identifier: GPL-2.0
# nvme.guest.sh SIZE MB STEPS
#   STEPS, comma-separated: fs (ext4 tree, remount, sha256), fio (4 KiB
#   random and 128 KiB sequential at QD 1 and 16), fio16 (QD 16 only),
#   loss (netem loss 1% on the tunnel NIC first)
. /share/ee-guest.sh
. /share/stress-guest.sh
size=$1
mb=$2
steps=,$3,
dev=$EXPETHER_DEV

bytes() {	# SIZE with a K/M/G suffix -> bytes
	case $1 in
	*K) echo $((${1%K} * 1024)) ;;
	*M) echo $((${1%M} * 1024 * 1024)) ;;
	*G) echo $((${1%G} * 1024 * 1024 * 1024)) ;;
	*) echo "$1" ;;
	esac
}

check "modprobe expether" ee_modprobe gid=5
wait_for '[ "$(ee_ndev 1033:ee02)" -eq 1 ]' 15 || bail_out "no NVMe device in the slot"
bdf=$(ee_bdfs 1033:ee02)
check "modprobe nvme" modprobe nvme
wait_for '[ -b /dev/nvme0n1 ]' 30 || bail_out "no /dev/nvme0n1"
expect_match "$(lspci -s "$bdf" -k)" "Kernel driver in use: nvme" "the stock nvme driver bound to $bdf"
list=$(nvme list 2>&1)
diag "$list"
expect_match "$list" "/dev/nvme0n1 .*eebox NVMe" "nvme list shows the namespace"
expect_eq "$(($(cat /sys/block/nvme0n1/size) * 512))" "$(bytes "$size")" \
	"...with the box's size ($size)"
diag "queues: $(dmesg | sed -n 's/.*nvme nvme0: \(.*queues\).*/\1/p' | tail -n 1)"

case $steps in *,loss,*)
	check "modprobe sch_netem" modprobe sch_netem
	check "netem loss 1% on $dev" tc qdisc add dev "$dev" root netem loss 1%
	;;
esac
r0=$(ee_peer_sum rtx_frames)

case $steps in *,fs,*)
	check "mkfs.ext4" mkfs.ext4 -q -F /dev/nvme0n1
	mkdir -p /mnt/nv
	check "mount" mount -t ext4 /dev/nvme0n1 /mnt/nv
	i=0
	for d in a a/b a/b/c d e/f; do
		mkdir -p "/mnt/nv/$d"
		for s in 1 7 64 300 1024 2500; do
			i=$((i + 1))
			dd if=/dev/urandom of="/mnt/nv/$d/f$i" bs=1k count=$s 2>/dev/null
		done
	done
	(cd /mnt/nv && find . -type f | sort | xargs sha256sum) >/tmp/sums
	diag "$(wc -l </tmp/sums) files, $(du -sk /mnt/nv | cut -f1) KiB written"
	check "umount" umount /mnt/nv
	check "mount again" mount -t ext4 /dev/nvme0n1 /mnt/nv
	(cd /mnt/nv && sha256sum -c /tmp/sums >/tmp/sumcheck 2>&1)
	expect_eq "$?/$(grep -c ': OK$' /tmp/sumcheck)" "0/$(wc -l </tmp/sums)" \
		"every file's sha256 matches after the remount"
	check "umount" umount /mnt/nv
	;;
esac

# fio_run NAME RW BS QD: 2 jobs, each on a region of its own, write then
# read back every block and check its crc32c.
fio_run() {
	fio --name="$1" --filename=/dev/nvme0n1 --rw="$2" --bs="$3" \
		--iodepth="$4" --numjobs=2 --size="${mb}M" \
		--offset_increment="${mb}M" --ioengine=libaio --direct=1 \
		--verify=crc32c --verify_fatal=1 --group_reporting \
		--output-format=terse --terse-version=3 >"/tmp/fio.$1" 2>&1
	_st=$?
	# terse v3: field 5 is the error, 6 read KiB, 7 read KiB/s, 47 write KiB, 48 write KiB/s
	_l=$(grep '^3;' "/tmp/fio.$1" | tail -n 1)
	_err=$(echo "$_l" | cut -d';' -f5)
	diag "fio $1: $(echo "$_l" | cut -d';' -f47) KiB written at $(echo "$_l" | cut -d';' -f48) KiB/s, $(echo "$_l" | cut -d';' -f6) KiB verified at $(echo "$_l" | cut -d';' -f7) KiB/s"
	if [ "$_st" -eq 0 ] && [ "$_err" = 0 ]; then
		ok "fio $1 ($2 bs=$3 iodepth=$4, 2 jobs, crc32c verify): no error"
	else
		not_ok "fio $1 ($2 bs=$3 iodepth=$4, 2 jobs, crc32c verify): no error" \
			"exit $_st, error ${_err:-?}: $(grep -iE 'err|verify' "/tmp/fio.$1" | head -n 3)"
	fi
}

case $steps in *,fio,*)
	fio_run rand4k-qd1 randwrite 4k 1
	fio_run rand4k-qd16 randwrite 4k 16
	fio_run seq128k-qd1 write 128k 1
	fio_run seq128k-qd16 write 128k 16
	;;
esac
case $steps in *,fio16,*)
	fio_run rand4k-qd16 randwrite 4k 16
	fio_run seq128k-qd16 write 128k 16
	;;
esac

case $steps in *,loss,*)
	diag "$(tc -s qdisc show dev "$dev" | sed -n '1,2p')"
	expect_peer_moved rtx_frames "$r0" "the guest retransmitted"
	;;
esac
for k in mem_reads mem_writes mem_timeouts dma_reads dma_writes dma_read_bytes dma_write_bytes dma_read_violations dma_write_violations msi rx_deferred; do
	diag "$k $(ee_counter $k)"
done
ee_peer_diag
check "rmmod nvme" rmmod nvme
check "rmmod expether" rmmod expether
tap_done
