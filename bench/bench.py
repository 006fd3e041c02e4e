#!/usr/bin/env python3
"""The driver of bench/run.sh: builds the bench tools, runs every measurement, prints one table.

usage: bench.py quick|full [--only SECTION,...] [--reps N] [--corpus DIR]

Sections: gen (generator), alloc (the CLI's allocator), phases, lines, compile, macro, json,
download, upload, limiter, corpus (larkgen import + generate and progenitor on the Lark
OpenAPI corpus: --corpus DIR, default corpus/lark-openapi/openapi), openlark (cold builds of
an IM app and a `cargo check` of everything, larkgen vs openlark 0.21 from crates.io).
Each section lives in its own module (generator.py, generated_crate.py, runtime_bench.py,
openlark.py, corpus.py; common.py holds what they share). Everything is written under
bench/out/ (git-ignored); the results also go to
bench/out/results.json. Timed measurements are repeated (median of --reps, default 5),
in pairs whose order alternates, so that background load hits both sides alike; ratios are
medians of per-pair ratios.
"""
import json
import os
import sys
import time

from common import (
    NEEDS_INPUTS, OUT, RESULTS, ROWS, build, cases, commit, limiter_available, loadavg, log,
    make_inputs, row, run,
)
from generator import bench_alloc, bench_generator, bench_phases, ensure_generated
from generated_crate import bench_compile, bench_lines, report_compile, report_macro
from runtime_bench import bench_download, bench_json, bench_limiter, bench_upload
from openlark import bench_openlark
from corpus import bench_corpus, corpus_dir


def machine():
    cpu = "?"
    try:
        for line in open("/proc/cpuinfo"):
            if line.startswith("model name"):
                cpu = line.split(":", 1)[1].strip()
                break
    except OSError:
        pass
    rustc = run(["rustc", "--version"]).stdout.strip()
    load = open("/proc/loadavg").read().split()[:3] if os.path.exists("/proc/loadavg") else []
    return {"nproc": os.cpu_count(), "cpu": cpu, "rustc": rustc, "loadavg_at_end": load, "commit": commit()}


def table():
    headers = ("What", "larkgen", "comparison", "ratio", "target", "")
    lines = []
    section = None
    body = []
    for s, *cells in ROWS:
        if s != section:
            body.append(("**%s**" % s, "", "", "", "", ""))
            section = s
        body.append(tuple(cells))
    widths = [max(len(str(r[i])) for r in body + [headers]) for i in range(6)]
    fmt = "| " + " | ".join("%%-%ds" % w for w in widths) + " |"
    lines.append(fmt % headers)
    lines.append("|" + "|".join("-" * (w + 2) for w in widths) + "|")
    for r in body:
        lines.append(fmt % r)
    return "\n".join(lines)


def main(argv):
    args = argv[1:]
    mode = args[0] if args and args[0] in ("quick", "full") else "quick"
    only = None
    reps = 5
    if "--only" in args:
        only = set(args[args.index("--only") + 1].split(","))
    if "--reps" in args:
        reps = int(args[args.index("--reps") + 1])
    want = lambda s: only is None or s in only
    rt_reps = reps if mode == "quick" else max(reps, 9)
    os.makedirs(OUT, exist_ok=True)
    limiter = limiter_available()
    t0 = time.time()
    build(limiter, want)
    if any(want(s) for s in NEEDS_INPUTS):
        sizes = {c[1] for c in cases(mode, generator=True) if c[0] == "synthetic"}
        make_inputs(sorted(sizes | ({1000} if want("alloc") else set())))
    RESULTS["machine"] = machine()
    RESULTS["mode"] = mode
    steps = [
        ("gen", lambda: bench_generator(mode, reps)),
        # After gen: its progenitor peak RSS is the allocator's memory bound.
        ("alloc", lambda: bench_alloc(mode, reps, os.environ.get("BENCH_BEFORE"))),
        ("phases", lambda: bench_phases(mode, reps)),
        ("lines", lambda: bench_lines(mode)),
        # The runtime ratios sit close to their targets and each round is cheap: the full
        # mode takes 9 rounds of them.
        ("json", lambda: bench_json(mode, rt_reps, limiter)),
        ("download", lambda: bench_download(mode, rt_reps)),
        ("upload", lambda: bench_upload(mode, rt_reps)),
        ("limiter", lambda: bench_limiter(mode, limiter)),
        ("corpus", lambda: bench_corpus(mode, reps, corpus_dir(args))),
    ]
    for name, step in steps:
        if want(name):
            if name == "lines":
                ensure_generated(mode)
            log("== %s (load average %s)" % (name, loadavg()))
            RESULTS.setdefault("loadavg", {})[name] = loadavg()
            try:
                step()
            except Exception as e:  # keep going: one broken section must not hide the others
                log("%s failed: %s" % (name, e))
                row(name, "FAILED: %s" % str(e)[:80], "", "", "", "", None)
    if want("compile") or want("macro"):
        log("== compile (load average %s)" % loadavg())
        RESULTS.setdefault("loadavg", {})["compile"] = loadavg()
        try:
            ensure_generated(mode)
            res = bench_compile(mode, reps)
            if want("compile"):
                report_compile(res, mode)
            if want("macro"):
                res_opt = None
                if mode == "full":
                    # The same, the proc-macro (and larkgen in it) built optimized.
                    res_opt = bench_compile(mode, reps, {"CARGO_PROFILE_DEV_BUILD_OVERRIDE_OPT_LEVEL": "3"}, "-opt",
                                            pkgs=["macro-user", "pregen-user"])
                report_macro(res, res_opt)
        except Exception as e:
            log("compile failed: %s" % e)
            row("compile", "FAILED: %s" % str(e)[:80], "", "", "", "", None)
    # Last: cold builds of whole dependency trees, both cores busy for minutes.
    if only is None and mode == "quick":
        log("openlark not run in quick mode (≈ 10 min of cold builds on 2 cores): "
            "`bench/run.sh quick --only openlark` runs one pair of each, `full` two")
    elif want("openlark"):
        log("== openlark (load average %s)" % loadavg())
        RESULTS.setdefault("loadavg", {})["openlark"] = loadavg()
        try:
            bench_openlark(mode, reps)
        except Exception as e:
            log("openlark failed: %s" % e)
            row("openlark", "FAILED: %s" % str(e)[:80], "", "", "", "", None)
    RESULTS["machine"] = machine()
    RESULTS["elapsed_s"] = time.time() - t0
    RESULTS["rows"] = ROWS
    with open(os.path.join(OUT, "results.json"), "w") as f:
        json.dump(RESULTS, f, indent=1)
    m = RESULTS["machine"]
    print("larkgen benchmarks at %s (%s mode, median of %d): %s cores, %s, %s; load average at end %s; %.0f s" % (
        m["commit"], mode, reps, m["nproc"], m["cpu"], m["rustc"], " ".join(m["loadavg_at_end"]), RESULTS["elapsed_s"]))
    print()
    print(table())
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv))
