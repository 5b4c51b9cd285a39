# SPDX-License-Identifier: GPL-2.0
#
# expether: PCI Express over Ethernet.
#
#   make            build expether.ko and the user-space tools
#   make demo       boot a QEMU guest with the module, wired to eebox's
#                   testdev, NVMe and virtio-net, and use them
#   make check      unit, fuzz, eebox, W=1/sparse/checkpatch, KUnit, end-to-end
#   make fuzz       the libFuzzer targets, longer
#   make bench      latency and goodput benchmarks in a guest (bench/README.md)
#   make install    install the module (depmod) and the tools
#
# KDIR defaults to Debian's 6.1 headers (scripts/install-deps installs them);
# set KDIR=/lib/modules/$(uname -r)/build to build for the running kernel.

TOP	:= $(CURDIR)
KVER	?= $(shell $(TOP)/scripts/kver)
KDIR	?= /lib/modules/$(KVER)/build
BUILD	?= $(TOP)/build
DESTDIR	?=
PREFIX	?= /usr/local

export TOP KVER KDIR BUILD

.PHONY: all module tools deps deps-test unit fuzz kunit module-check e2e \
	bench check demo install clean help selftest-modules

all: module tools

deps:
	@$(TOP)/scripts/install-deps build

deps-test:
	@$(TOP)/scripts/install-deps all

module: deps
	$(MAKE) -C $(KDIR) M=$(TOP) modules

tools: deps
	$(MAKE) -C tools/eebox
	$(MAKE) -C tools/eectl

# Test-only kernel modules the end-to-end tests load in the guest
# (eecfgstress.ko, eetestdev.ko), built with W=1 against the same headers.
selftest-modules: deps
	$(MAKE) -C selftests/expether/eecfgstress
	$(MAKE) -C selftests/expether/eetestdev

# User-space unit tests of the shared code (codec, eebox models), under
# AddressSanitizer and UndefinedBehaviorSanitizer.
unit: deps
	$(MAKE) -C selftests/expether/unit run

# libFuzzer over the frame parsers and the Go-Back-N receiver; make check
# runs each target for 20 s, this for FUZZ_SECONDS (default 300).
fuzz: deps-test
	$(MAKE) -C selftests/expether/fuzz run SECONDS=$(or $(FUZZ_SECONDS),300)

# KUnit suites in a UML kernel built from Debian's linux-source-6.1.
kunit: deps-test
	$(TOP)/scripts/kunit-run

# The module must build warning-free with W=1 and sparse (C=1).
module-check: deps-test
	$(TOP)/scripts/module-check

e2e: deps-test module tools selftest-modules
	$(TOP)/selftests/expether/run-e2e

# Benchmarks, reported as ratios to a baseline of the same run; results in
# bench/results/.  Not pass/fail: fails only when a benchmark breaks.
bench: deps-test module tools selftest-modules
	$(MAKE) -C bench eeping cfglat eeblast
	$(TOP)/bench/run
	$(TOP)/bench/datapath

check: deps-test module tools selftest-modules
	$(MAKE) -C selftests/expether/box
	$(TOP)/scripts/check

demo: deps-test module tools
	$(TOP)/selftests/expether/demo

install: module tools
	@# Unsigned: sign with your own key (or DKMS/MOK) for Secure Boot.
	$(MAKE) -C $(KDIR) M=$(TOP) INSTALL_MOD_PATH=$(DESTDIR) \
		CONFIG_MODULE_SIG_ALL= modules_install
	[ -n "$(DESTDIR)" ] || depmod -a $(KVER)
	$(MAKE) -C tools/eebox install DESTDIR=$(DESTDIR) PREFIX=$(PREFIX)
	$(MAKE) -C tools/eectl install DESTDIR=$(DESTDIR) PREFIX=$(PREFIX)

# Not kbuild's clean: for an external module it deletes every *.o and *.ko
# below $(TOP), $(BUILD) included.
clean:
	find drivers/pci/controller/expether net/expether \( -name '*.o' \
		-o -name '.*.cmd' -o -name '*.mod' -o -name '*.mod.c' \) -delete
	rm -f expether.ko expether.o expether.mod expether.mod.c .expether* \
		Module.symvers modules.order .modules.order.cmd .Module.symvers.cmd
	-$(MAKE) -C tools/eebox clean
	-$(MAKE) -C tools/eectl clean
	-$(MAKE) -C selftests/expether/unit clean
	-$(MAKE) -C bench clean
	-$(MAKE) -C selftests/expether/eecfgstress clean
	-$(MAKE) -C selftests/expether/eetestdev clean
	rm -rf $(BUILD)

help:
	@sed -n '3,13p' Makefile
