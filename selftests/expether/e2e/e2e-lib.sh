# SPDX-License-Identifier: GPL-2.0
# shellcheck shell=bash
#
# Common part of the end-to-end drivers in this directory.  Each driver is
# a host-side script that prepares a share, starts eebox through vm-run and
# runs its *.guest.sh in the guest; its exit status is the test's result.

E2E=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
TOP=${TOP:-$(cd "$E2E/../../.." && pwd)}
BUILD=${BUILD:-$TOP/build}
EEBOX=${EEBOX:-$TOP/tools/eebox/eebox}
VMRUN=$TOP/selftests/expether/vm-run
export TOP BUILD EEBOX

TEST=$(basename "$0" .sh)
mkdir -p "$BUILD/e2e"
SHARE=$(mktemp -d "$BUILD/e2e/$TEST.XXXXXX")
cp "$E2E/ee-guest.sh" "$SHARE/"
trap 'rm -rf "$SHARE"' EXIT

# vm_run VM-RUN-ARGS... -- GUEST_SCRIPT
vm_run() {
	"$VMRUN" --name "$TEST" --share "$SHARE" "$@"
}
