#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
# The data path through a real PCI driver (eetestdev.ko bound to eebox's
# testdev): MMIO from every vCPU with interrupts off and the NIC's
# interrupts pinned to each vCPU in turn (-smp 2, then -smp 1), DMA copy,
# fill and CRC over DMA API buffers, MSI-X with masking, a rogue device
# write outside any mapping, user mmap of a BAR refused, and rmmod
# refused while the driver holds a mapping.
#   DATAPATH_READS  MMIO reads per run over all vCPUs and pinnings (default
#                   100000: on -smp 2, 50 000 with the NIC on each vCPU)
. "$(dirname "$0")/e2e-lib.sh"

TESTDEV_KO=$TOP/selftests/expether/eetestdev/eetestdev.ko
[ -f "$TESTDEV_KO" ] || { echo "Bail out! no $TESTDEV_KO (make selftest-modules)"; exit 1; }
cp "$E2E/stress-guest.sh" "$SHARE/"
rc=0
for smp in 2 1; do
	vm_run --name "datapath-smp$smp" --smp "$smp" --ko "$TESTDEV_KO" \
		--bin "$E2E/eemmap" --box "-g 5 -d testdev,rogue" \
		-- "$E2E/datapath.guest.sh" "${DATAPATH_READS:-100000}" || rc=1
done
exit $rc
