#!/usr/bin/env python3
"""Speed and agreement of `cfp check-pdf` on a labelled corpus, process start included.

usage: scripts/format_speed.py [BIN] [DIR] [--rounds N]
  BIN   the binary (default target/release/cfp; build it with `cargo build --release`)
  DIR   a folder with manifest.json and the PDFs (default tests/fixtures/papers)

Runs `BIN check-pdf FILE --json --author ...` on every manifest entry, N rounds (default 5),
and prints: the wall time per file (median and 90th percentile over all runs, and of the
per-file medians), the CPU time per run (user + system, from the kernel's accounting of the
child processes), how many verdicts and exact code lists agree with the labels, the date and
the load average before and after. Exit status 0 when every verdict agrees.

The wall time includes fork/exec, the dynamic loader, reading the file and printing JSON:
what an author's upload pays is the `elapsed_ms` field, also summarised.
"""
import argparse
import json
import os
import resource
import statistics
import subprocess
import sys
import time


def percentile(values, p):
    values = sorted(values)
    if not values:
        return float("nan")
    k = (len(values) - 1) * p / 100
    lo, hi = int(k), min(int(k) + 1, len(values) - 1)
    return values[lo] + (values[hi] - values[lo]) * (k - lo)


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("bin", nargs="?", default="target/release/cfp")
    ap.add_argument("dir", nargs="?", default="tests/fixtures/papers")
    ap.add_argument("--rounds", type=int, default=5)
    ap.add_argument("--quiet", action="store_true", help="no per-file lines")
    args = ap.parse_args()

    manifest = json.load(open(os.path.join(args.dir, "manifest.json")))
    load_before = os.getloadavg()
    started = time.strftime("%Y-%m-%d %H:%M UTC", time.gmtime())
    walls, cpus, inner = [], [], []
    per_file = {}
    verdicts = exact = 0
    disagreements = []
    stderr_files = []
    for round_ in range(args.rounds):
        for entry in manifest:
            cmd = [args.bin, "check-pdf", os.path.join(args.dir, entry["file"]), "--json"]
            for a in entry.get("authors") or []:
                cmd += ["--author", f'{a["name"]} <{a["email"]}>']
            ru0 = resource.getrusage(resource.RUSAGE_CHILDREN)
            t0 = time.perf_counter()
            p = subprocess.run(cmd, capture_output=True, text=True, timeout=120)
            wall = (time.perf_counter() - t0) * 1000
            ru1 = resource.getrusage(resource.RUSAGE_CHILDREN)
            cpu = ((ru1.ru_utime - ru0.ru_utime) + (ru1.ru_stime - ru0.ru_stime)) * 1000
            walls.append(wall)
            cpus.append(cpu)
            per_file.setdefault(entry["file"], []).append(wall)
            try:
                report = json.loads(p.stdout.strip().splitlines()[-1])
            except (ValueError, IndexError):
                report = {}
            if "elapsed_ms" in report:
                inner.append(report["elapsed_ms"])
            if round_ > 0:
                continue
            if p.stderr.strip():
                stderr_files.append(entry["file"])
            got = report.get("verdict")
            codes = sorted({v["code"] for v in report.get("violations", [])})
            want = sorted(set(entry["violations"]))
            ok_v = got == entry["expected"]
            ok_c = ok_v and codes == want
            verdicts += ok_v
            exact += ok_c
            if not ok_c:
                disagreements.append(
                    f'  {entry["file"]}: labelled {entry["expected"]} {want}, got {got} {codes}'
                )
    load_after = os.getloadavg()
    n = len(manifest)
    medians = [statistics.median(v) for v in per_file.values()]
    if not args.quiet:
        for name, times in sorted(per_file.items(), key=lambda kv: -statistics.median(kv[1])):
            print(f"  {statistics.median(times):7.1f} ms  {name}")
    print("\n".join(disagreements))
    if stderr_files:
        print("stderr output from: " + ", ".join(stderr_files))
    print(f"corpus {os.path.abspath(args.dir)}: {n} files x {args.rounds} rounds, {started}")
    print(f"agreement: verdicts {verdicts}/{n}, exact code lists {exact}/{n}, "
          f"stderr output {len(stderr_files)}/{n}")
    print(f"wall per file incl. process start: median {statistics.median(walls):.1f} ms, "
          f"p90 {percentile(walls, 90):.1f} ms, max {max(walls):.1f} ms "
          f"(per-file medians: median {statistics.median(medians):.1f}, p90 {percentile(medians, 90):.1f})")
    print(f"CPU per run (user+sys): median {statistics.median(cpus):.1f} ms, p90 {percentile(cpus, 90):.1f} ms")
    if inner:
        print(f"check itself (elapsed_ms): median {statistics.median(inner):.2f} ms, "
              f"p90 {percentile(inner, 90):.2f} ms")
    print("load average before %.2f %.2f %.2f, after %.2f %.2f %.2f" % (load_before + load_after))
    return 0 if verdicts == n else 1


if __name__ == "__main__":
    sys.exit(main())
