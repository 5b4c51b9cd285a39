#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
# The stock nvme driver on eebox's NVMe model through the tunnel: nvme
# list shows the namespace with the box's size; ext4 is made, filled with
# a tree of files, remounted and every file's sha256 matches; fio with
# --verify=crc32c (4 KiB random and 128 KiB sequential, queue depth 1 and
# 16, 2 jobs) reports no error, clean and with 1% loss both ways (netem
# on the guest's egress, eebox --drop 1 on the box's); all on -smp 2,
# the filesystem and the queue-depth-16 runs again on -smp 1.
#   NVME_SIZE       the namespace (default 256M)
#   NVME_FIO_MB     MiB each fio job covers (default 8)
. "$(dirname "$0")/e2e-lib.sh"

size=${NVME_SIZE:-256M}
mb=${NVME_FIO_MB:-8}
cp "$E2E/stress-guest.sh" "$SHARE/"
bins=(--bin /usr/sbin/nvme --bin /usr/bin/fio --bin /usr/sbin/mkfs.ext4)
for b in /usr/sbin/nvme /usr/bin/fio /usr/sbin/mkfs.ext4; do
	[ -x "$b" ] || { echo "Bail out! $b missing (make deps-test)"; exit 1; }
done
rc=0
vm_run --name nvme-smp2 --smp 2 --module ext4 "${bins[@]}" \
	--box "-g 5 -d nvme,size=$size" \
	-- "$E2E/nvme.guest.sh" "$size" "$mb" fs,fio || rc=1
vm_run --name nvme-loss --smp 2 --module ext4 "${bins[@]}" \
	--box "-g 5 -d nvme,size=$size --drop 1 --seed 7" \
	-- "$E2E/nvme.guest.sh" "$size" "$mb" loss,fio || rc=1
vm_run --name nvme-smp1 --smp 1 --module ext4 "${bins[@]}" \
	--box "-g 5 -d nvme,size=$size" \
	-- "$E2E/nvme.guest.sh" "$size" "$mb" fs,fio16 || rc=1
exit $rc
