#!/usr/bin/env python3
# SPDX-License-Identifier: GPL-2.0
"""Assemble the figures of one `make bench` run into a JSON document and a
table: every figure as a ratio to a baseline measured in the same run, and
whether each goal is met.

    report.py --work DIR --json OUT.json [--param KEY=VALUE ...]
              [--broken VARIANT=REASON ...]

DIR/VARIANT/out/ holds what bench.guest.sh wrote for each variant:
LABEL.bK.json and LABEL.bK.raw (eeping's or cfglat's JSON and every sample,
in ns) for latency block K, pooled here; LABEL.R.txt (the module's debugfs
bench line) for goodput run R, the median run reported; LABEL.bK.fail /
LABEL.R.fail for a block or run that failed; LABEL.unavail with a reason;
the module's counters and the qdisc's around each block or run (*.pre,
*.post, *.pre.qdisc, *.post.qdisc); meta.txt.  Figures that are missing
are reported as unavailable with the reason; a goal whose figures are
unavailable is neither met nor failed ("met": null).
"""

import argparse
import datetime
import json
import os
import re
import sys

# What each measurement is, in table order.  (label, variant, kind, title)
MEASUREMENTS = [
    ("echo_busy_clean", "clean", "echo", "raw L2 echo round trip, busy-poll (baseline)"),
    ("echo_poll_clean", "clean", "echo", "raw L2 echo round trip, poll()"),
    ("echo_busy_netem1", "clean", "echo", "raw L2 echo, 1% netem loss (guest egress)"),
    ("echo_busy_boxdrop1", "boxdrop1", "echo", "raw L2 echo, box run (eebox --drop 1)"),
    ("cfgrd_clean", "clean", "cfgrd", "config read (sysfs pread), clean"),
    ("cfgrd_netem1", "clean", "cfgrd", "config read, 1% netem loss (guest egress)"),
    ("cfgrd_boxdrop1", "boxdrop1", "cfgrd", "config read, 1% box drop (eebox --drop 1)"),
    ("goodput_clean", "clean", "goodput", "posted-write goodput, clean"),
    ("goodput_netem1", "clean", "goodput", "posted-write goodput, 1% netem loss"),
    ("goodput_netem5", "clean", "goodput", "posted-write goodput, 5% netem loss"),
    ("goodput_boxdrop1", "boxdrop1", "goodput", "posted-write goodput, 1% box drop"),
]

BASELINE = "echo_busy_clean"
GOODPUT_BASE = "goodput_clean"
LAT_GOAL = 1.5       # config-read median / raw round trip, clean
GOODPUT_GOAL = 0.80  # goodput at 1% loss / clean goodput


def read_text(path):
    try:
        with open(path, encoding="utf-8", errors="replace") as f:
            return f.read().strip()
    except OSError:
        return None


def read_kv_lines(path):
    """'key value' per line (counters, meta)."""
    out = {}
    text = read_text(path)
    if not text:
        return out
    for line in text.splitlines():
        parts = line.split(None, 1)
        if len(parts) == 2:
            v = parts[1].strip()
            try:
                out[parts[0]] = int(v)
            except ValueError:
                out[parts[0]] = v
    return out


def parse_bench_line(text):
    """`frames N bytes B ns T rtx R timeouts X` -> dict of ints."""
    words = text.split()
    if len(words) % 2:
        raise ValueError("odd number of words")
    d = {}
    for k, v in zip(words[0::2], words[1::2]):
        d[k] = int(v, 0)
    for k in ("frames", "bytes", "ns"):
        if k not in d:
            raise ValueError("no '%s'" % k)
    if d.get("err", 0):
        raise ValueError("the module reports err %d" % d["err"])
    if d["ns"] <= 0:
        raise ValueError("ns must be positive")
    return d


def counters_delta(out, snaps):
    """Module counters that changed during the measurements whose
    snapshots are SNAP.pre / SNAP.post, summed."""
    delta, seen = {}, False
    for snap in snaps:
        pre = read_kv_lines(os.path.join(out, snap + ".pre"))
        post = read_kv_lines(os.path.join(out, snap + ".post"))
        if not post:
            continue
        seen = True
        for k, v in post.items():
            b = pre.get(k, 0)
            if isinstance(v, int) and isinstance(b, int) and v != b:
                delta[k] = delta.get(k, 0) + v - b
    return delta if seen else None


QDISC_RE = re.compile(r"qdisc (\S+) .*?\n\s*Sent (\d+) bytes (\d+) pkt \(dropped (\d+)", re.S)


def qdisc_delta(out, snaps):
    """Frames through the root qdisc and dropped by it (netem's loss)."""
    def snap(path):
        text = read_text(path) or ""
        m = QDISC_RE.search(text)
        return (m.group(1), int(m.group(3)), int(m.group(4))) if m else None
    passed = dropped = 0
    seen = False
    for s in snaps:
        pre = snap(os.path.join(out, s + ".pre.qdisc"))
        post = snap(os.path.join(out, s + ".post.qdisc"))
        if not pre or not post or pre[0] != "netem" or post[0] != "netem":
            continue
        seen = True
        passed += post[1] - pre[1]
        dropped += post[2] - pre[2]
    return {"qdisc": "netem", "passed": passed, "dropped": dropped} if seen else None


def pooled_stats(ns):
    """The figures of stats.c over pooled samples (ns): nearest-rank p99,
    median of an even count the mean of the middle two."""
    ns = sorted(ns)
    n = len(ns)
    if not n:
        return {"samples": 0, "min_us": None, "median_us": None, "mean_us": None,
                "p99_us": None, "max_us": None}
    med = ns[n // 2] if n % 2 else (ns[n // 2 - 1] + ns[n // 2]) / 2
    r = max((n * 99 + 99) // 100 - 1, 0)
    return {"samples": n, "min_us": ns[0] / 1e3, "median_us": med / 1e3,
            "mean_us": sum(ns) / n / 1e3, "p99_us": ns[r] / 1e3, "max_us": ns[-1] / 1e3}


SUMMED = ("count", "sent", "received", "lost", "late", "good", "allones", "mismatch")


def load_latency(out, label, fig):
    """LABEL.bK.json + LABEL.bK.raw for K = 1, 2, ...: counts summed,
    samples pooled."""
    data, ns, medians, fails, snaps = None, [], [], [], []
    k = 1
    while True:
        base = os.path.join(out, "%s.b%d" % (label, k))
        text = read_text(base + ".json")
        fail = read_text(base + ".fail")
        if text is None and fail is None:
            break
        snaps.append("%s.b%d" % (label, k))
        if not text:
            fails.append("#%d: %s" % (k, " ".join((fail or "?").split())))
            k += 1
            continue
        d = json.loads(text.splitlines()[-1])
        raw = read_text(base + ".raw")
        if raw is None:
            raise ValueError("no %s.raw" % base)
        block = [int(x) for x in raw.split()]
        if len(block) != d.get("samples"):
            raise ValueError("%s.raw holds %d samples, the JSON says %s" %
                             (base, len(block), d.get("samples")))
        ns.extend(block)
        medians.append(d.get("median_us"))
        if data is None:
            data = dict(d)
        else:
            for key in SUMMED:
                if key in d:
                    data[key] = data.get(key, 0) + d[key]
            data["gave_up"] = data.get("gave_up", False) or d.get("gave_up", False)
            if "last" in d:
                data["last"] = d["last"]
        k += 1
    fig["snaps"] = snaps
    if fails:
        fig["failed_blocks"] = fails
    if data is None:
        if fails:
            fig["reason"] = fails[0]
        return
    data.update(pooled_stats(ns))
    data["blocks"] = len(medians)
    data["block_medians_us"] = medians
    fig["data"] = data
    fig["available"] = data["samples"] > 0
    if not fig["available"]:
        fig["reason"] = "no samples"


def load_goodput(out, label, fig):
    """LABEL.REP.txt for REP = 1, 2, ...: the median repetition (by
    goodput) is the figure; every repetition's goodput is kept."""
    reps, fails = [], []
    rep = 1
    while True:
        base = os.path.join(out, "%s.%d" % (label, rep))
        text = read_text(base + ".txt")
        fail = read_text(base + ".fail")
        if text is None and fail is None:
            break
        if text:
            try:
                line = text.splitlines()[-1]
                d = parse_bench_line(line)
                d["raw"] = line
                d["goodput_MBps"] = d["bytes"] / d["ns"] * 1e3
                d["frames_per_s"] = d["frames"] / d["ns"] * 1e9
                reps.append((d["goodput_MBps"], rep, d))
            except ValueError as e:
                fails.append("#%d: cannot parse '%s': %s" % (rep, text, e))
        else:
            fails.append("#%d: %s" % (rep, " ".join(fail.split())))
        rep += 1
    if fails:
        fig["failed_reps"] = fails
    if not reps:
        if fails:
            fig["reason"] = fails[0]
        return
    reps.sort(key=lambda r: r[0])
    mid = reps[(len(reps) - 1) // 2]  # the lower median
    fig["data"] = mid[2]
    fig["rep"] = mid[1]
    fig["reps_MBps"] = [round(r[0], 4) for r in sorted(reps, key=lambda r: r[1])]
    fig["available"] = True


def load(work, broken):
    figures = {}
    meta = {}
    for variant in sorted({m[1] for m in MEASUREMENTS}):
        out = os.path.join(work, variant, "out")
        meta[variant] = read_kv_lines(os.path.join(out, "meta.txt"))
    for label, variant, kind, title in MEASUREMENTS:
        out = os.path.join(work, variant, "out")
        fig = {"label": label, "variant": variant, "kind": kind,
               "title": title, "available": False}
        try:
            if kind in ("echo", "cfgrd"):
                load_latency(out, label, fig)
            else:
                load_goodput(out, label, fig)
        except (ValueError, KeyError, TypeError) as e:
            fig["reason"] = "cannot parse the output: %s" % e
            fig["available"] = False
        if not fig["available"] and "reason" not in fig:
            why = read_text(os.path.join(out, label + ".unavail"))
            if why:
                fig["reason"] = " ".join(why.split())
            elif variant in broken:
                fig["reason"] = "run failed: " + broken[variant]
            else:
                fig["reason"] = "not measured"
        # Latency: all blocks; goodput: the run reported (the median).
        if kind == "goodput":
            snaps = ["%s.%s" % (label, fig.get("rep", 1))]
        else:
            snaps = fig.pop("snaps", [])
        delta = counters_delta(out, snaps)
        if delta is not None:
            fig["module_counters_delta"] = delta
        q = qdisc_delta(out, snaps)
        if q is not None:
            fig["netem"] = q
        figures[label] = fig
    return figures, meta


def ratio(a, b):
    if a is None or b is None or b == 0:
        return None
    return a / b


def build(figures):
    base = figures[BASELINE]
    base_med = base["data"]["median_us"] if base["available"] else None
    base_p99 = base["data"]["p99_us"] if base["available"] else None
    gp_base = figures[GOODPUT_BASE]
    gp_clean = gp_base["data"]["goodput_MBps"] if gp_base["available"] else None
    for fig in figures.values():
        if not fig["available"]:
            continue
        d = fig["data"]
        if fig["kind"] in ("echo", "cfgrd"):
            # Like for like (median/median, p99/p99), and the p99 against
            # the baseline's median (how many raw round trips a slow read
            # costs).
            fig["ratio_median"] = ratio(d["median_us"], base_med)
            fig["ratio_p99"] = ratio(d["p99_us"], base_p99)
            fig["ratio_p99_to_base_median"] = ratio(d["p99_us"], base_med)
            fig["ratio_to"] = BASELINE
        else:
            fig["ratio_to"] = GOODPUT_BASE + ".goodput_MBps"
            mine, base_reps = fig.get("reps_MBps", []), gp_base.get("reps_MBps", [])
            if (gp_base["available"] and fig["variant"] == gp_base["variant"] and
                    len(mine) == len(base_reps) > 1 and 0 not in base_reps):
                # Interleaved runs: the median of the per-run ratios, which
                # a drift of the host's speed during the run cancels out of.
                pairs = sorted(a / b for a, b in zip(mine, base_reps))
                fig["ratio_goodput"] = pairs[(len(pairs) - 1) // 2]
                fig["ratio_method"] = "median of paired runs"
            else:
                fig["ratio_goodput"] = ratio(d["goodput_MBps"], gp_clean)
                fig["ratio_method"] = "median / median"

    goals = []

    def why_not(*labels):
        return "; ".join("%s unavailable: %s" % (l, figures[l].get("reason", "?"))
                         for l in labels if not figures[l]["available"])

    c = figures["cfgrd_clean"]
    r = c.get("ratio_median")
    goals.append({
        "goal": "config-read median within %.1fx of the raw round trip (clean link)" % LAT_GOAL,
        "figure": "cfgrd_clean.median_us / %s.median_us" % BASELINE,
        "target": "<= %.2f" % LAT_GOAL,
        "value": r,
        "met": None if r is None else r <= LAT_GOAL,
        **({} if r is not None else {"reason": why_not("cfgrd_clean", BASELINE)}),
    })
    for loss in ("netem1", "boxdrop1"):
        lab = "goodput_" + loss
        r = figures[lab].get("ratio_goodput")
        goals.append({
            "goal": "at 1%% loss (%s) keep >= %d%% of clean goodput" %
                    ("guest egress netem" if loss == "netem1" else "box drop",
                     GOODPUT_GOAL * 100),
            "figure": "%s / %s" % (lab, GOODPUT_BASE),
            "target": ">= %.2f" % GOODPUT_GOAL,
            "value": r,
            "met": None if r is None else r >= GOODPUT_GOAL,
            **({} if r is not None else {"reason": why_not(lab, GOODPUT_BASE)}),
        })
    return goals


def short(text, n=78):
    """A reason on one table line."""
    text = " ".join((text or "?").split())
    return text if len(text) <= n else text[:n - 3] + "..."


def fmt(v, spec="%.1f"):
    return "-" if v is None else spec % v


def table(figures, goals, out=sys.stdout):
    w = 46
    print("%-*s %9s %9s %9s %7s %7s  %s" % (w, "benchmark", "median", "p99", "mean",
                                           "x med", "x p99", "loss/notes"), file=out)
    print("%-*s %9s %9s %9s %7s %7s" % (w, "", "us", "us", "us", "base", "base"), file=out)
    for label, _, kind, title in MEASUREMENTS:
        fig = figures[label]
        if kind == "goodput":
            continue
        if not fig["available"]:
            print("%-*s %s" % (w, title, "unavailable: " + short(fig.get("reason"))), file=out)
            continue
        d = fig["data"]
        if kind == "echo":
            note = "%d/%d lost" % (d.get("lost", 0), d.get("sent", 0))
            if d.get("late"):
                note += ", %d late" % d["late"]
            if d.get("gave_up"):
                note += ", GAVE UP after %d of %d" % (d.get("sent", 0), d.get("count", 0))
        else:
            note = "%d all-ones, %d bad of %d" % (d.get("allones", 0), d.get("mismatch", 0),
                                                  d.get("count", 0))
            t = fig.get("module_counters_delta", {}).get("cfg_timeouts")
            if t:
                note += ", %d cpl timeouts" % t
        bm = [m for m in d.get("block_medians_us", []) if m is not None]
        if len(bm) > 1:
            note += "; %d blocks, medians %.0f-%.0f" % (len(bm), min(bm), max(bm))
        if fig.get("failed_blocks"):
            note += "; %d blocks failed" % len(fig["failed_blocks"])
        q = fig.get("netem")
        if q:
            note += "; netem dropped %d of %d" % (q["dropped"], q["dropped"] + q["passed"])
        print("%-*s %9s %9s %9s %7s %7s  %s" % (
            w, title, fmt(d["median_us"]), fmt(d["p99_us"]), fmt(d["mean_us"]),
            fmt(fig.get("ratio_median"), "%.2f"), fmt(fig.get("ratio_p99"), "%.2f"), note),
            file=out)
    print(file=out)
    print("%-*s %9s %9s %9s %7s  %s" % (w, "benchmark", "MB/s", "frames/s", "ms",
                                       "x clean", "rtx/timeouts"), file=out)
    for label, _, kind, title in MEASUREMENTS:
        fig = figures[label]
        if kind != "goodput":
            continue
        if not fig["available"]:
            print("%-*s %s" % (w, title, "unavailable: " + short(fig.get("reason"))), file=out)
            continue
        d = fig["data"]
        note = "%s/%s" % (d.get("rtx", "-"), d.get("timeouts", "-"))
        r = fig.get("reps_MBps", [])
        if len(r) > 1:
            note += "; %d runs %.2f-%.2f MB/s" % (len(r), min(r), max(r))
        if fig.get("failed_reps"):
            note += "; %d failed" % len(fig["failed_reps"])
        q = fig.get("netem")
        if q:
            note += "; netem dropped %d of %d" % (q["dropped"], q["dropped"] + q["passed"])
        print("%-*s %9.2f %9.0f %9.1f %7s  %s" % (
            w, title, d["goodput_MBps"], d["frames_per_s"], d["ns"] / 1e6,
            fmt(fig.get("ratio_goodput"), "%.2f"), note), file=out)
    print(file=out)
    for g in goals:
        state = {True: "MET", False: "NOT MET", None: "UNKNOWN"}[g["met"]]
        detail = ("value %.3f, target %s" % (g["value"], g["target"])
                  if g["value"] is not None else short(g.get("reason"), 200))
        print("goal %-8s %s (%s)" % (state, g["goal"], detail), file=out)


def main():
    ap = argparse.ArgumentParser(description=__doc__,
                                 formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--work", required=True)
    ap.add_argument("--json", required=True)
    ap.add_argument("--param", action="append", default=[])
    ap.add_argument("--broken", action="append", default=[])
    a = ap.parse_args()

    params = {}
    for p in a.param:
        k, _, v = p.partition("=")
        try:
            params[k] = int(v)
        except ValueError:
            params[k] = v
    broken = {}
    for b in a.broken:
        k, _, v = b.partition("=")
        broken[k] = v

    figures, meta = load(a.work, broken)
    goals = build(figures)
    doc = {
        "schema": "expether-bench/1",
        "time": datetime.datetime.now(datetime.timezone.utc).strftime("%Y-%m-%dT%H:%M:%SZ"),
        "params": params,
        "guest": meta,
        "baseline": {"figure": BASELINE + ".median_us",
                     "value": figures[BASELINE]["data"]["median_us"]
                     if figures[BASELINE]["available"] else None},
        "figures": figures,
        "goals": goals,
        "broken": broken,
    }
    tmp = a.json + ".tmp"
    with open(tmp, "w", encoding="utf-8") as f:
        json.dump(doc, f, indent=2, sort_keys=False)
        f.write("\n")
    os.replace(tmp, a.json)
    table(figures, goals)
    return 0


if __name__ == "__main__":
    sys.exit(main())
