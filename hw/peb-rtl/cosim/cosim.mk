# SPDX-License-Identifier: GPL-2.0
# hw/peb-rtl: the co-simulation (included by the Makefile).
#
# peb-cosim = the Verilated bridge + eebox's device code + the shared C.
# `make cosim` boots a QEMU guest with expether.ko wired to it and runs
# cosim/cosim.guest.sh (enumeration, config reads and writes, MMIO to the
# testdev's BAR), bounded by COSIM_TIMEOUT seconds.

COSIM_TIMEOUT	?= 240
# eebox's device side: serving TLPs, the models (every dev_*.c, model.c
# lists them), config space, DMA and interrupts, and its frame I/O and
# logs.  Not its transport, DIFs, management or loop: the bridge does that.
EEBOX_ALL	:= serve device model cfgspace cfgdump pcicap dma irq net log parse \
		   $(basename $(notdir $(wildcard $(EE_TOP)/tools/eebox/dev_*.c)))
EEBOX_ALL_O	:= $(addprefix $(B)/c/eebox-,$(addsuffix .o,$(EEBOX_ALL)))

$(B)/peb-cosim: $(HERE)/cosim/peb_cosim.cpp $(HERE)/sim/peb_drv.h $(HERE)/sim/harness.h \
		$(VTOP_LIBS) $(SHARED_O) $(EEBOX_ALL_O)
	$(NICE) $(CXX) $(CXXFLAGS_H) -D_GNU_SOURCE -isystem $(B)/vtop -o $@ $< $(VTOP_LIBS) \
		$(EEBOX_ALL_O) $(SHARED_O) -lpthread

.PHONY: cosim-bin
cosim-bin: $(B)/peb-cosim

cosim: cosim-bin
	@$(HERE)/cosim/cosim.sh $(B)/peb-cosim $(COSIM_TIMEOUT)
