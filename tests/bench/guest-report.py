#!/usr/bin/env python3
"""Tables for `make bench-guest` from the serial logs of its three boots.

usage: guest-report.py HVPATCH_LOG LIVEPATCH_LOG BASELINE_LOG

Reads the "HVP-BENCH ..." lines tests/bench/guest/bench.sh prints and the
boot lines (time to /init, the hypervisor's reserved memory).  All times
are guest time (the guest's CLOCK_MONOTONIC and uptime).  Prints tables;
judges nothing.
"""
import re
import statistics
import sys


def lines(path):
    with open(path, errors="replace") as f:
        return [l.rstrip("\n") for l in f]


def kv(text):
    return {k: v for k, v in re.findall(r"(\w+)=(\S+)", text)}


def bench(log):
    out = {"apply": [], "revert": [], "reads": {}, "workload": {}, "tsc_khz": None}
    for l in log:
        m = re.search(r"HVP-BENCH (.*)", l)
        if not m:
            continue
        words = m.group(1).split(" ", 2)
        kind = words[0]
        if kind in ("apply", "revert"):
            out[kind].append(kv(words[2] if len(words) > 2 else ""))
        elif kind == "reads":
            out["reads"].setdefault(words[1], []).append(int(kv(words[2])["reads_per_s"]))
        elif kind == "tsc_khz" and len(words) > 1 and words[1]:
            out["tsc_khz"] = int(words[1])
        elif kind == "workload":
            name, rest = words[2].split(" ", 1)
            ns = int(kv(rest.split("before:")[0])["ns"])
            counts = {}
            if "before:" in rest:
                before = kv(rest.split("before:")[1].split("after:")[0])
                after = kv(rest.split("after:")[1])
                counts = {k: int(v) - int(before.get(k, 0)) for k, v in after.items()
                          if v.isdigit()}
            out["workload"][name] = (ns, counts)
    return out


def boot(log):
    init, reserved = None, []
    for l in log:
        m = re.search(r"HVP-INIT: reached /init \(([0-9.]+)s uptime", l)
        if m:
            init = float(m.group(1))
        m = re.search(r"HVPATCH: (reserved KiB by part: .*|reserved memory: .*|lock: .*pool .*)", l)
        if m:
            reserved.append(m.group(1))
    return init, reserved


def med_max(values, scale=1.0, fmt="{:.2f}"):
    if not values:
        return "-"
    v = [x * scale for x in values]
    return (fmt + " / " + fmt).format(statistics.median(v), max(v))


def table(title, header, rows):
    print(f"\n{title}\n")
    print("| " + " | ".join(header) + " |")
    print("|" + "---|" * len(header))
    for r in rows:
        print("| " + " | ".join(str(c) for c in r) + " |")


def main():
    hv, lp, base = (lines(p) for p in sys.argv[1:4])
    h, l, b = bench(hv), bench(lp), bench(base)
    ms = 1e-3  # the logs are in microseconds
    col = lambda runs, key: [int(r[key]) for r in runs if key in r]

    rounds = f"{len(h['apply'])} hvpatch and {len(l['apply'])} livepatch rounds"
    rows = [
        ["command to patched behaviour (ms)", med_max(col(h["apply"], "behaviour_us"), ms),
         med_max(col(l["apply"], "behaviour_us"), ms)],
        ["command to every task patched (ms)", med_max(col(h["apply"], "settled_us"), ms),
         med_max(col(l["apply"], "settled_us"), ms)],
        ["revert: command to old behaviour (ms)", med_max(col(h["revert"], "behaviour_us"), ms),
         med_max(col(l["revert"], "behaviour_us"), ms)],
        ["revert: command to every task back (ms)", med_max(col(h["revert"], "settled_us"), ms),
         med_max(col(l["revert"], "settled_us"), ms)],
    ]
    khz = h["tsc_khz"]
    holds = col(h["apply"], "hold_cycles") + col(h["revert"], "hold_cycles")
    rows.append(["vCPUs held, apply and revert (µs)",
                 med_max([c * 1000.0 / khz for c in holds], 1, "{:.3f}") if khz else "-",
                 "none (per-task transition)"])
    rows.append(["vCPUs held (TSC cycles)", med_max(holds, 1, "{:.0f}"), "-"])
    table(f"Live patching cmdline_proc_show, median / max of {rounds} (guest time)",
          ["measure", "hvpatch", "livepatch"], rows)

    rows = []
    for name, run in (("hvpatch boot (locked)", h), ("livepatch boot (not locked)", l)):
        rates = {k: statistics.median(v) for k, v in run["reads"].items()}
        base_rate = rates.get("unpatched")
        for what in ("unpatched", "hvpatch", "livepatch", "hvpatch-same", "livepatch-same"):
            rate = rates.get(what)
            if rate is None:
                continue
            added = "-" if what == "unpatched" or not base_rate else \
                f"{1e9 / rate - 1e9 / base_rate:+.0f}"
            rows.append([name, what, len(run["reads"][what]), f"{rate:.0f}",
                         f"{1e9 / rate:.0f}", added])
    table("Per-call cost: reads of /proc/cmdline (open, read, close), median of 250 ms runs",
          ["boot", "cmdline_proc_show", "runs", "reads/s", "ns per read",
           "added ns per read"], rows)
    print("\n(-same: patched by an unchanged copy, tests/bench/patch/cmdline_same.c: "
          "the redirection's own cost.)")

    # The exits of reading the counters (workload "none") come off each.
    own = h["workload"].pop("none", (0, {}))[1]
    names = sorted({k for ns, c in h["workload"].values() for k in c})
    rows = []
    for w, (ns, counts) in h["workload"].items():
        sec = ns / 1e9
        net = {n: max(counts.get(n, 0) - own.get(n, 0), 0) for n in names}
        rows.append([w, f"{sec:.3f}"] + [f"{net[n] / sec:.0f}" for n in names] +
                    [f"{sum(net.values()) / sec:.0f}"])
    table("Exits per second of guest time under hvpatch (locked, 2 vCPUs), net of the "
          f"counter reads' own ({', '.join(f'{k} {v}' for k, v in own.items() if v) or 'none'})",
          ["workload", "guest s"] + names + ["all"], rows)

    rows = []
    for w, (ns, _) in h["workload"].items():
        if w in b["workload"] and w != "idle":
            rows.append([w, f"{b['workload'][w][0] / 1e6:.1f}", f"{ns / 1e6:.1f}",
                         f"{ns / b['workload'][w][0]:.3f}"])
    table("Workload guest time, without and with the hypervisor",
          ["workload", "without (ms)", "under hvpatch (ms)", "ratio"], rows)

    (init_hv, res), (init_base, _) = boot(hv), boot(base)
    table("Boot (2 vCPUs)", ["measure", "without", "under hvpatch"],
          [["time to /init (guest uptime, s)", init_base, init_hv]])
    print("\nMemory, from the hypervisor's log:\n")
    for line in res:
        print(f"    {line}")


if __name__ == "__main__":
    main()
