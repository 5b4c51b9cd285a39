# SPDX-License-Identifier: GPL-2.0
# shellcheck shell=sh
# Self-test of vm-run's splat detector: passes by itself, but puts a fake
# WARNING in the kernel log, so vm-run must report "not ok" and exit 1.
# shellcheck source=selftests/expether/lib/guest.sh
. "$EXPETHER_LIB"
echo "WARNING: CPU: 0 PID: 1 at test vm-run splat detector self-test" >/dev/kmsg
ok "wrote a fake WARNING to /dev/kmsg"
tap_done
