# SPDX-License-Identifier: GPL-2.0
# hw/peb-rtl: synthesis and its report (included by the Makefile).
#
# yosys synth_ecp5 of peb_top with its default parameters (synth.ys), then
# yosys sta of the netlist with cell delays (sta.ys, synth/timing_lib.py);
# synth/report.py writes REPORT.md from yosys's own output.  Rebuilt when
# the RTL or the flow changes.

SYNTH_B := $(B)/synth

$(SYNTH_B)/ecp5_timing.v: $(HERE)/synth/timing_lib.py
	@mkdir -p $(SYNTH_B)
	python3 $< $$($(YOSYS)-config --datdir 2>/dev/null || echo /usr/share/yosys) $@

$(SYNTH_B)/synth.ys: $(HERE)/synth/synth.ys.in $(RTL)
	@mkdir -p $(SYNTH_B)
	sed -e 's|@RTL@|$(RTL)|' -e 's|@B@|$(SYNTH_B)|g' $< > $@

$(SYNTH_B)/sta.ys: $(HERE)/synth/sta.ys.in
	@mkdir -p $(SYNTH_B)
	sed -e 's|@B@|$(SYNTH_B)|g' $< > $@

$(SYNTH_B)/stat.txt: $(SYNTH_B)/synth.ys
	$(NICE) $(YOSYS) -q -l $(SYNTH_B)/yosys.log $(SYNTH_B)/synth.ys >/dev/null

$(SYNTH_B)/sta.txt: $(SYNTH_B)/stat.txt $(SYNTH_B)/sta.ys $(SYNTH_B)/ecp5_timing.v
	$(NICE) $(YOSYS) -q -l $(SYNTH_B)/sta.log $(SYNTH_B)/sta.ys >/dev/null

$(HERE)/REPORT.md: $(SYNTH_B)/stat.txt $(SYNTH_B)/sta.txt $(HERE)/synth/report.py
	python3 $(HERE)/synth/report.py $(SYNTH_B) $(YOSYS) > $@.tmp
	mv $@.tmp $@

synth: $(HERE)/REPORT.md
	@python3 $(HERE)/synth/report.py --check $(SYNTH_B)
