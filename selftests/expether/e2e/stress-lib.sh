# SPDX-License-Identifier: GPL-2.0
# shellcheck shell=bash
#
# Host side of the tests that load eecfgstress.ko in the guest (irqoff,
# netem, box-faults, peer-dead): e2e-lib.sh, plus the module and the
# guest helpers (stress-guest.sh) in the share.  vm_run_cs passes the
# module to vm-run (--ko: /lib/modules/KVER/extra, so modprobe finds it).
. "$(dirname "${BASH_SOURCE[0]}")/e2e-lib.sh"

CFGSTRESS_KO=${CFGSTRESS_KO:-$TOP/selftests/expether/eecfgstress/eecfgstress.ko}
if [ ! -f "$CFGSTRESS_KO" ]; then
	echo "Bail out! no $CFGSTRESS_KO (make selftest-modules)"
	exit 1
fi
cp "$E2E/stress-guest.sh" "$SHARE/"

# vm_run_cs VM-RUN-ARGS... -- GUEST_SCRIPT [ARGS...]
vm_run_cs() {
	vm_run --ko "$CFGSTRESS_KO" "$@"
}
