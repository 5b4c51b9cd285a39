#!/usr/bin/env python3
# SPDX-License-Identifier: GPL-2.0
"""REPORT.md of the PEB synthesis, from yosys's own output (make synth).

usage: report.py SYNTH_DIR YOSYS > REPORT.md
       report.py --check SYNTH_DIR      (make synth's verdict line)
"""
import os
import re
import subprocess
import sys

# 10GBASE-R: 64 bits per cycle at 156.25 MHz carry 10 Gb/s.
CLK_10G_MHZ = 156.25
# Routing is not in yosys sta; this allowance per general-routing net of
# the critical path (carry chains, CIN->COUT, use dedicated wires and get
# none) is an assumption of this report, not a measurement.
ROUTE_PS_PER_NET = 450


def cells(d):
    out = {}
    for line in open(os.path.join(d, "stat.txt")):
        m = re.match(r"\s+([A-Z][A-Z0-9_]+)\s+(\d+)\s*$", line)
        if m:
            out[m.group(1)] = int(m.group(2))
    return out


def sta(d):
    """Arrival (ps), path (cells from start to end) of the worst endpoint."""
    text = open(os.path.join(d, "sta.txt")).read()
    m = re.search(r"Latest arrival time in '\S+' is (\d+):\n(.*?)(?:\n\S|\Z)", text, re.S)
    if not m:
        return None, []
    path = []
    for line in m.group(2).splitlines():
        c = re.match(r"\s+(\d+)\s+(\S+)\s+\((\S+)\)", line)
        if c:
            path.append((int(c.group(1)), c.group(2), c.group(3)))
        p = re.match(r"\s+(\d+)\s+\\?(\S+)\s+\(<primary input>\)", line)
        if p and p.group(2) != "clk":
            path.append((int(p.group(1)), p.group(2), "input"))
    return int(m.group(1)), list(reversed(path))


def main():
    if sys.argv[1] == "--check":
        d = sys.argv[2]
        ok = 0
        bad = 0
        try:
            c = cells(d)
            if c.get("LUT4", 0) > 0 and c.get("TRELLIS_FF", 0) > 0:
                print("ok - yosys synth_ecp5 of peb_top: %d LUT4, %d CCU2C, %d FF, %d DP16KD"
                      % (c["LUT4"], c.get("CCU2C", 0), c["TRELLIS_FF"], c.get("DP16KD", 0)))
                ok += 1
            else:
                print("not ok - yosys synth_ecp5 of peb_top: no cells")
                bad += 1
        except OSError as e:
            print("not ok - yosys synth_ecp5 of peb_top: %s" % e)
            bad += 1
        report = os.path.join(os.path.dirname(os.path.dirname(os.path.abspath(d))), "REPORT.md")
        if os.path.exists(report) and "LUT4" in open(report).read():
            print("ok - REPORT.md written from the synthesis")
            ok += 1
        else:
            print("not ok - REPORT.md written from the synthesis")
            bad += 1
        arr, path = sta(d)
        if arr:
            print("# critical path %d ps of cells, %d cells: %.0f MHz without routing" %
                  (arr, len(path), 1e6 / arr))
        print("synth: %d passed, %d failed" % (ok, bad))
        return 0 if bad == 0 else 1

    d, yosys = sys.argv[1], sys.argv[2]
    c = cells(d)
    arr, path = sta(d)
    try:
        ver = subprocess.run([yosys, "-V"], capture_output=True, text=True).stdout.strip()
    except OSError:
        ver = "yosys"
    lut_eq = c.get("LUT4", 0) + 2 * c.get("CCU2C", 0)
    nets = sum(1 for _, _, pin in path[1:] if not pin.split(".")[-1].startswith("CIN"))
    est_ps = (arr or 0) + ROUTE_PS_PER_NET * nets
    print("""# PEB synthesis report

Written by `make -C hw/peb-rtl synth` (synth/report.py) from the output of
%s: `synth_ecp5` of `peb_top` with its default parameters, then
`sta` with the cell delays of `synth/timing_lib.py`.  Do not edit: the
build rewrites it.

Configuration: 64-bit datapath on both sides; retransmit ring of 64 frames
(`SLOT_ADDR_WIDTH=6`) of 2 KiB (`SLOT_WORD_WIDTH=8`, any frame); receive
buffer of 8 KiB (`BUF_ADDR_WIDTH=10`); 156.25 MHz clock (`CLK_PERIOD_PS=6400`).

## Resources (Lattice ECP5, yosys cell counts)

| resource | cells | notes |
|---|---|---|
| LUT4 | %d | logic |
| CCU2C | %d | carry chains, 2 LUT4 each: %d LUT4 equivalents in all |
| TRELLIS_FF | %d | flip-flops |
| DP16KD | %d | 18 Kbit block RAMs (ring, receive buffer, sent timestamps) |
| TRELLIS_DPR16X4 | %d | distributed RAM (FIFOs, slot lengths, MGMT capture) |
| MULT18X18D | %d | DSP multipliers (ISN mixer and its inverse) |
| PFUMX, L6MUX21 | %d, %d | wide multiplexers |
""" % (ver, c.get("LUT4", 0), c.get("CCU2C", 0), lut_eq, c.get("TRELLIS_FF", 0),
       c.get("DP16KD", 0), c.get("TRELLIS_DPR16X4", 0), c.get("MULT18X18D", 0),
       c.get("PFUMX", 0), c.get("L6MUX21", 0)))
    print("""## Timing (estimate)

10GbE (10GBASE-R, 64-bit XGMII-side AXI stream) needs one 64-bit beat per
cycle at **%.2f MHz** (6.4 ns); the bridge moves one beat per cycle in both
directions, so that is its clock.
""" % CLK_10G_MHZ)
    if arr:
        print("""yosys `sta` finds the longest register-to-register path at **%d ps of
cell delay** over %d cells (%.0f MHz if routing were free).  yosys has no
placement: allowing an assumed %d ps of routing per net (%d nets outside
carry chains) gives
**%.1f ns, about %.0f MHz** -- %s the 156.25 MHz of 10GbE.  The cell delays
are the Trellis figures yosys ships for LUT4, PFUMX, L6MUX21 and CCU2C;
block RAM (2.9 ns clock to output), DSP (3.5 ns) and distributed RAM
(0.5 ns) delays are assumptions of synth/timing_lib.py.  nextpnr-ecp5 is
not in Debian bookworm, so no placed-and-routed figure is given.

Critical path (start to end):

| arrival (ps) | cell | pin |
|---|---|---|""" % (arr, len(path), 1e6 / arr, ROUTE_PS_PER_NET, nets, est_ps / 1000.0,
                     1e6 / est_ps, "above" if 1e6 / est_ps >= CLK_10G_MHZ else "below"))
        for t, cell, pin in path:
            print("| %d | `%s` | %s |" % (t, cell[:80], pin))
    else:
        print("yosys `sta` reported no path.")
    print()
    return 0


if __name__ == "__main__":
    sys.exit(main())
