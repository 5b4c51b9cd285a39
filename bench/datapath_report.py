#!/usr/bin/env python3
# SPDX-License-Identifier: GPL-2.0
"""datapath_report.py OUTDIR JSON STATUS [key=value ...]

Turns what bench/datapath.guest.sh left in OUTDIR into figures, each a
ratio to a baseline of the same run, prints a table and writes JSON.
A figure that could not be measured is reported as unavailable; a goal
is MET, NOT MET or UNKNOWN, never a failure of this script.
"""
import glob
import json
import os
import re
import statistics
import sys


def pct(samples, p):
    s = sorted(samples)
    if not s:
        return None
    return s[min(len(s) - 1, int(len(s) * p / 100))]


def read(path):
    try:
        with open(path) as f:
            return f.read()
    except OSError:
        return None


def echo_latency(out):
    """Pooled eeping samples (us) over the blocks."""
    samples = []
    for path in sorted(glob.glob(os.path.join(out, "echo.*.samples"))):
        for line in read(path).split():
            try:
                samples.append(float(line) / 1000.0)  # ns -> us
            except ValueError:
                pass
    return samples


def mmio_latency(out):
    """Per-block median/p99 of eetestdev's lat (ns), as us."""
    meds, p99s, bad = [], [], 0
    for path in sorted(glob.glob(os.path.join(out, "lat.*.txt"))):
        kv = dict(x.split("=", 1) for x in read(path).split() if "=" in x)
        meds.append(int(kv["median_ns"]) / 1000.0)
        p99s.append(int(kv["p99_ns"]) / 1000.0)
        bad += int(kv.get("bad", 0))
    return meds, p99s, bad


def fio(out, where, name):
    t = read(os.path.join(out, "fio.%s.%s.txt" % (where, name)))
    if not t:
        return None
    for line in t.splitlines():
        if line.startswith("3;"):
            f = line.split(";")
            if f[4] != "0":
                return None
            # Terse v3, 1-based: 7/8 read KiB/s and IOPS, 48/49 write
            # KiB/s and IOPS (6 and 47: KiB moved, not rates).
            rbw, riops = float(f[6]), float(f[7])
            wbw, wiops = float(f[47]), float(f[48])
            return {"MBps": (rbw + wbw) * 1024 / 1e6,
                    "IOPS": riops + wiops}
    return None


def ping(out, where):
    t = read(os.path.join(out, "ping.%s.txt" % where))
    if not t:
        return None
    rtts = [float(x) for x in re.findall(r"time=([0-9.]+) ms", t)]
    if not rtts:
        return None
    return {"median_ms": statistics.median(rtts), "p99_ms": pct(rtts, 99),
            "count": len(rtts)}


def iperf(out, where, rev):
    t = read(os.path.join(out, "iperf.%s%s.json" % (where, ".R" if rev else "")))
    if not t:
        return None
    try:
        j = json.loads(t)
        return j["end"]["sum_received"]["bits_per_second"] / 1e6
    except (ValueError, KeyError):
        return None


def main():
    out, jpath, status = sys.argv[1], sys.argv[2], int(sys.argv[3])
    params = dict(a.split("=", 1) for a in sys.argv[4:])
    figures, goals = {}, []

    def fig(label, title, value, unit, base=None, base_label=None, note=""):
        ratio = (value / base) if (value is not None and base) else None
        figures[label] = {"title": title, "value": value, "unit": unit,
                          "baseline": base_label, "ratio": ratio,
                          "available": value is not None, "note": note}
        return ratio

    def goal(text, label, target, le):
        r = figures.get(label, {}).get("ratio")
        met = None if r is None else (r <= target if le else r >= target)
        goals.append({"goal": text, "figure": label, "target": target,
                      "value": r, "met": met})

    echo = echo_latency(out)
    emed = statistics.median(echo) if echo else None
    ep99 = pct(echo, 99) if echo else None
    fig("echo", "raw L2 echo round trip (baseline), median", emed, "us",
        note="%d samples" % len(echo))
    meds, p99s, bad = mmio_latency(out)
    mmed = statistics.median(meds) if meds else None
    mp99 = statistics.median(p99s) if p99s else None
    fig("mmio_read_median", "MMIO read (readl), median", mmed, "us", emed,
        "echo median", "%d blocks, %d wrong values" % (len(meds), bad))
    fig("mmio_read_p99", "MMIO read (readl), p99", mp99, "us", ep99,
        "echo p99")
    goal("MMIO read median within 1.5x of the raw round trip",
         "mmio_read_median", 1.5, True)

    blast = read(os.path.join(out, "blast.json"))
    link = json.loads(blast)["MBps"] if blast else None
    fig("link", "raw link capacity (ECHO 1400 B, 32 in flight)", link, "MB/s")
    for name, what in (("seqread", "sequential read 128 KiB QD16"),
                       ("seqwrite", "sequential write 128 KiB QD16")):
        d, t = fio(out, "direct", name), fio(out, "tunnel", name)
        fig("fio_%s_direct" % name, "%s, QEMU's own NVMe" % what,
            d and d["MBps"], "MB/s")
        fig("fio_%s_tunnel" % name, "%s, through the tunnel" % what,
            t and t["MBps"], "MB/s", d and d["MBps"], "direct NVMe")
        fig("fio_%s_link" % name, "%s, tunnel vs link capacity" % what,
            t and t["MBps"], "MB/s", link, "link capacity")
        goal("%s at least 50%% of the raw link capacity" % what,
             "fio_%s_link" % name, 0.5, False)
    d, t = fio(out, "direct", "randread"), fio(out, "tunnel", "randread")
    fig("fio_randread_direct", "random read 4 KiB QD16, QEMU's own NVMe",
        d and d["IOPS"], "IOPS")
    fig("fio_randread_tunnel", "random read 4 KiB QD16, through the tunnel",
        t and t["IOPS"], "IOPS", d and d["IOPS"], "direct NVMe")

    pd, pt = ping(out, "direct"), ping(out, "tunnel")
    fig("ping_direct", "ping, guest's own virtio-net, median",
        pd and pd["median_ms"], "ms")
    fig("ping_tunnel", "ping, virtio-net through the tunnel, median",
        pt and pt["median_ms"], "ms", pd and pd["median_ms"], "direct ping")
    goal("ping through the tunnel at most 3x the direct path", "ping_tunnel",
         3.0, True)
    for rev in (False, True):
        sfx = "_rev" if rev else ""
        way = "from the namespace" if rev else "to the namespace"
        idr, itn = iperf(out, "direct", rev), iperf(out, "tunnel", rev)
        fig("iperf_direct" + sfx, "iperf3 %s, guest's own virtio-net" % way,
            idr, "Mbit/s")
        fig("iperf_tunnel" + sfx, "iperf3 %s, through the tunnel" % way,
            itn, "Mbit/s", idr, "direct")

    counters = read(os.path.join(out, "counters.txt")) or ""
    doc = {"schema": "expether-bench-datapath/1", "params": params,
           "guest_status": status, "figures": figures, "goals": goals,
           "counters": dict(l.split() for l in counters.splitlines()
                            if len(l.split()) == 2)}
    with open(jpath, "w") as f:
        json.dump(doc, f, indent=1)

    print()
    print("%-58s %12s %8s  %s" % ("benchmark", "value", "ratio", "against"))
    for label, v in figures.items():
        val = "unavailable" if v["value"] is None else \
            "%.3g %s" % (v["value"], v["unit"])
        ratio = "" if v["ratio"] is None else "%.3f" % v["ratio"]
        print("%-58s %12s %8s  %s %s" % (v["title"][:58], val, ratio,
                                         v["baseline"] or "",
                                         ("(" + v["note"] + ")") if v["note"] else ""))
    print()
    for g in goals:
        state = {True: "MET     ", False: "NOT MET ", None: "UNKNOWN "}[g["met"]]
        val = "-" if g["value"] is None else "%.3f" % g["value"]
        print("goal %s %s (value %s, target %s %.2f)" % (
            state, g["goal"], val, "<=" if "at most" in g["goal"] or
            "within" in g["goal"] else ">=", g["target"]))


if __name__ == "__main__":
    main()
