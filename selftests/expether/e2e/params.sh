#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
# Bad module parameters make modprobe fail with a message naming them and
# leave nothing behind; slots=128 gives 128 working hot-plug ports.
. "$(dirname "$0")/e2e-lib.sh"

vm_run --smp 2 -- "$E2E/params.guest.sh"
