#!/usr/bin/env python3
"""The driver of bench/run.sh: builds the bench tools, runs every measurement, prints one table.

usage: bench.py quick|full [--only SECTION,...] [--reps N] [--corpus DIR]

Sections: gen (generator), alloc (the CLI's allocator), phases, lines, compile, macro, json,
download, upload, limiter, corpus (larkgen import + generate and progenitor on the Lark
OpenAPI corpus: --corpus DIR, default corpus/lark-openapi/openapi), openlark (cold builds of
an IM app and a `cargo check` of everything, larkgen vs openlark 0.21 from crates.io).
Everything is written under bench/out/ (git-ignored); the results also go to
bench/out/results.json. Timed measurements are repeated (median of --reps, default 5),
in pairs whose order alternates, so that background load hits both sides alike; ratios are
medians of per-pair ratios.
"""
import json
import os
import re
import shutil
import statistics
import subprocess
import sys
import tempfile
import time

HERE = os.path.dirname(os.path.abspath(__file__))
ROOT = os.path.dirname(HERE)
OUT = os.path.join(HERE, "out")
TARGET = os.environ.get("BENCH_TARGET", os.path.join(HERE, "target"))
REL = os.path.join(TARGET, "release")
GNU_TIME = shutil.which("time", path="/usr/bin:/bin") or "/usr/bin/time"
MIB = 1 << 20

RESULTS = {}
ROWS = []  # (section, what, larkgen, other, ratio, target, verdict)


def log(msg):
    sys.stderr.write("[bench] %s\n" % msg)
    sys.stderr.flush()


def run(cmd, cwd=ROOT, env=None, quiet=True, check=True):
    e = dict(os.environ)
    if env:
        e.update(env)
    r = subprocess.run(cmd, cwd=cwd, env=e, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
    if check and r.returncode != 0:
        sys.stderr.write(r.stdout[-4000:] + r.stderr[-4000:])
        raise RuntimeError("failed (%d): %s" % (r.returncode, " ".join(cmd)))
    return r


def timed(cmd, cwd=ROOT, env=None):
    """One run of `cmd` under GNU time: wall time (s, perf_counter), peak RSS (KiB, GNU time's
    %M, "Maximum resident set size") and CPU time (user + system, s). The CPU time is the
    rusage wait4 returns for the `time` process, which includes its reaped child: microsecond
    resolution instead of GNU time's 10 ms (the `time` process itself adds well under 1 ms).
    (The child's own ru_maxrss is not used: after fork + exec it still counts the forking
    Python's pages, which is why a small C `time` sits in between.)"""
    e = dict(os.environ)
    e.update(env or {})
    with tempfile.NamedTemporaryFile("r", suffix=".time") as tf:
        t0 = time.perf_counter()
        p = subprocess.Popen([GNU_TIME, "-f", "%M", "-o", tf.name] + cmd, cwd=cwd, env=e,
                             stdout=subprocess.DEVNULL, stderr=subprocess.PIPE)
        err = p.stderr.read().decode(errors="replace")
        _, status, usage = os.wait4(p.pid, 0)
        wall = time.perf_counter() - t0
        p.stderr.close()
        p.returncode = os.waitstatus_to_exitcode(status)
        if p.returncode != 0:
            raise RuntimeError("failed (%d): %s\n%s" % (p.returncode, " ".join(cmd), err[-2000:]))
        rss = int(open(tf.name).read().split()[-1])
    return wall, rss, usage.ru_utime + usage.ru_stime


def pin(cpu):
    """`taskset -c cpu` when there are two cores or more: the loopback server and the client
    then always run on different cores, which removes most of the run-to-run spread of the
    transfer measurements (each side still shares its core with whatever else runs)."""
    if os.environ.get("BENCH_PIN", "1") != "0" and (os.cpu_count() or 1) >= 2 and shutil.which("taskset"):
        return ["taskset", "-c", str(cpu)]
    return []


def jrun(args, **kw):
    """A larkbench client command, pinned to core 1 (the server is on core 0)."""
    r = run(pin(1) + [os.path.join(REL, "larkbench")] + args, **kw)
    return json.loads(r.stdout.strip().splitlines()[-1])


def prun(args, **kw):
    """A larkgen-phases command (larkgen in-process, system allocator like the CLI)."""
    r = run([os.path.join(REL, "larkgen-phases")] + args, **kw)
    return json.loads(r.stdout.strip().splitlines()[-1])


def median(xs):
    return statistics.median(xs)


def fmt_s(s):
    return "%.3f s" % s if s < 10 else "%.1f s" % s


def fmt_mib(kib):
    return "%.1f MiB" % (kib / 1024)


def row(section, what, lark, other, ratio, target, ok):
    verdict = "" if ok is None else ("met" if ok else "MISSED")
    ROWS.append((section, what, lark, other, ratio, target, verdict))


# ------------------------------------------------------------------------------- build
def limiter_available():
    try:
        client = open(os.path.join(ROOT, "runtime/src/client.rs")).read()
        lib = open(os.path.join(ROOT, "runtime/src/lib.rs")).read()
    except OSError:
        return False
    return "pub fn rate_limit(" in client and "InProcessLimiter" in lib


# Which bench programs each section needs (the larkgen CLI: every section but `openlark`).
NEEDS_PROGENITOR = {"gen", "alloc", "phases", "lines", "compile", "macro", "corpus"}
NEEDS_HARNESS = {"gen", "alloc", "phases", "lines", "compile", "macro", "json", "download", "upload", "limiter"}
NEEDS_INPUTS = {"gen", "alloc", "phases", "lines", "compile", "macro"}


def build(limiter, want=lambda s: True):
    env = {"CARGO_TARGET_DIR": TARGET}
    log("building larkgen CLI (release)")
    run(["cargo", "build", "--release", "--quiet", "-p", "larkgen-cli"], env=env)
    if any(want(s) for s in NEEDS_PROGENITOR):
        log("building progenitor-gen (release)")
        run(["cargo", "build", "--release", "--quiet"], cwd=os.path.join(HERE, "progenitor-gen"), env=env)
    if not any(want(s) for s in NEEDS_HARNESS):
        return
    log("building larkbench (release%s)" % (", limiter" if limiter else ""))
    feats = ["--features", "limiter"] if limiter else []
    run(["cargo", "build", "--release", "--quiet"] + feats, cwd=os.path.join(HERE, "harness"), env=env)


# ------------------------------------------------------------------------------ inputs
def cases(mode, generator=False):
    """(label, endpoints, larkgen spec, OpenAPI spec for progenitor). The generator section
    also runs a small synthetic size, so the cost per endpoint can be compared across sizes."""
    c = [("Baike v1", 13, os.path.join(ROOT, "spec/baike-v1.yaml"),
          os.path.join(HERE, "inputs/baike-v1.progenitor.openapi.yaml"))]
    ns = [100] if mode == "quick" else [100, 1000]
    if generator:
        ns = [20] + ns
    for n in ns:
        c.append(("synthetic", n, os.path.join(OUT, "specs/synth-%d.yaml" % n),
                  os.path.join(OUT, "specs/synth-%d.openapi.yaml" % n)))
    return c


def make_inputs(ns):
    os.makedirs(os.path.join(OUT, "specs"), exist_ok=True)
    for n in ns:
        run([sys.executable, os.path.join(HERE, "synth-larkgen.py"), str(n), "-o",
             os.path.join(OUT, "specs/synth-%d.yaml" % n)])
        run([sys.executable, os.path.join(HERE, "synth-openapi.py"), str(n), "-o",
             os.path.join(OUT, "specs/synth-%d.openapi.yaml" % n)])
        run([os.path.join(REL, "larkgen"), "check", "--no-drift", os.path.join(OUT, "specs/synth-%d.yaml" % n)])
    r = run([sys.executable, os.path.join(HERE, "check-twins.py")] + [str(n) for n in ns])
    log(r.stdout.strip().replace("\n", "; "))


def gen_dirs(label, n):
    key = "baike" if label == "Baike v1" else "synth-%d" % n
    return os.path.join(OUT, "gen/larkgen-%s" % key), os.path.join(OUT, "gen/progenitor-%s" % key), key


# --------------------------------------------------------------------------- generator
def launch_overhead(reps):
    """What `timed` adds to any command: Python spawning GNU time, which spawns the command.
    Measured on /bin/true and subtracted from the generators' wall times, so that the ratio
    compares the two processes and not the measuring (≈ 3–6 ms here: a third of the Baike
    figures). Process start-up of the generators themselves stays in their times."""
    true = shutil.which("true") or "/bin/true"
    timed([true])
    return median([timed([true])[0] for _ in range(max(reps, 5) * 2)])


def gen_target(n):
    """issue 14: ≥ 1.5× faster than progenitor on Baike, ≥ 3× at 1,000 endpoints."""
    return 1.5 if n <= 13 else (3 if n >= 1000 else None)


def paired(cmd_a, cmd_b, pairs, overhead):
    """`pairs` runs of each command, in pairs whose order alternates (a b, b a, …), after one
    untimed run of each (page cache). Lists of (wall − launch overhead, peak RSS, CPU) per side."""
    timed(cmd_a), timed(cmd_b)
    a, b = [], []
    for i in range(pairs):
        order = ((cmd_a, a), (cmd_b, b)) if i % 2 == 0 else ((cmd_b, b), (cmd_a, a))
        for cmd, runs in order:
            w, r, c = timed(cmd)
            runs.append((w - overhead, r, c))
    return a, b


def summary(runs, prefix):
    """Medians of `paired`'s runs of one side, and the runs themselves."""
    w, r, c = zip(*runs)
    return {prefix + "_s": median(w), prefix + "_rss_kib": median(r), prefix + "_cpu_s": median(c),
            prefix + "_runs": list(w), prefix + "_rss_runs": list(r), prefix + "_cpu_runs": list(c)}


def measure_overhead(reps):
    if "launch_overhead_s" not in RESULTS:
        RESULTS["launch_overhead_s"] = launch_overhead(reps)
        log("launch overhead (/bin/true under GNU time): %.1f ms, subtracted from wall times"
            % (RESULTS["launch_overhead_s"] * 1e3))
    return RESULTS["launch_overhead_s"]


def bench_generator(mode, reps):
    res = {}
    overhead = measure_overhead(reps)
    for label, n, lspec, ospec in cases(mode, generator=True):
        ldir, pdir, key = gen_dirs(label, n)
        os.makedirs(pdir, exist_ok=True)
        lcmd = [os.path.join(REL, "larkgen"), "generate", lspec, "--out", ldir]
        pcmd = [os.path.join(REL, "progenitor-gen"), ospec, os.path.join(pdir, "lib.rs")]
        lruns, pruns = paired(lcmd, pcmd, reps, overhead)
        r = {"endpoints": n}
        r.update(summary(lruns, "larkgen"))
        r.update(summary(pruns, "progenitor"))
        r["paired_speedup"] = median([p[0] / l[0] for p, l in zip(pruns, lruns)])
        res[key] = r
        log("generator %s: larkgen %.3fs %s, progenitor %.3fs %s, paired %.2f×" % (
            key, r["larkgen_s"], fmt_mib(r["larkgen_rss_kib"]), r["progenitor_s"],
            fmt_mib(r["progenitor_rss_kib"]), r["paired_speedup"]))
    RESULTS["generator"] = res
    def speed_text(speed):
        return "%.2f× faster" % speed if speed >= 1 else "%.2f× slower" % (1 / speed)

    for key, r in res.items():
        n = r["endpoints"]
        speed = r["paired_speedup"]
        target = gen_target(n)
        name = "Baike v1 (13 endpoints)" if key == "baike" else "synthetic, %d endpoints" % n
        row("Generator (whole process, release)", "wall time, " + name, fmt_s(r["larkgen_s"]),
            fmt_s(r["progenitor_s"]), speed_text(speed) + " (paired)",
            "≥ %g× faster" % target if target else "", speed >= target if target else None)
        row("Generator (whole process, release)", "wall time, fastest–slowest run, " + name,
            "%s–%s" % (fmt_s(min(r["larkgen_runs"])), fmt_s(max(r["larkgen_runs"]))),
            "%s–%s" % (fmt_s(min(r["progenitor_runs"])), fmt_s(max(r["progenitor_runs"]))), "", "", None)
        row("Generator (whole process, release)", "CPU time (user+sys), " + name, fmt_s(r["larkgen_cpu_s"]),
            fmt_s(r["progenitor_cpu_s"]), speed_text(r["progenitor_cpu_s"] / max(r["larkgen_cpu_s"], 1e-3)), "", None)
        row("Generator (whole process, release)", "peak RSS, " + name, fmt_mib(r["larkgen_rss_kib"]),
            fmt_mib(r["progenitor_rss_kib"]), "%.2f×" % (r["larkgen_rss_kib"] / r["progenitor_rss_kib"]),
            "lower", r["larkgen_rss_kib"] < r["progenitor_rss_kib"])
    synth = sorted((r["endpoints"], r) for k, r in res.items() if k != "baike")
    for n, r in synth:
        row("Generator (whole process, release)", "cost per endpoint, synthetic %d" % n,
            "%.2f ms" % (r["larkgen_s"] * 1e3 / n), "%.2f ms" % (r["progenitor_s"] * 1e3 / n), "", "linear", None)
    if len(synth) >= 3:
        # From the middle size up: at 20 endpoints process start-up still weighs.
        (n0, r0), (n1, r1) = synth[1], synth[-1]
    elif len(synth) == 2:
        (n0, r0), (n1, r1) = synth
    if len(synth) >= 2:
        growth = (r1["larkgen_s"] / n1) / (r0["larkgen_s"] / n0)
        pgrowth = (r1["progenitor_s"] / n1) / (r0["progenitor_s"] / n0)
        row("Generator (whole process, release)", "per-endpoint cost growth, %d → %d endpoints" % (n0, n1),
            "×%.2f" % growth, "×%.2f" % pgrowth, "", "linear (≈ ×1)", growth < 1.25)


# --------------------------------------------------------------------------- allocator
# The dependency line of each mimalloc variant: mimalloc's defaults, and without transparent
# huge pages (what the CLI used before issue 14, with a smaller first arena set by hand).
MIMALLOC = {"mimalloc": 'mimalloc = "0.1.52"\n',
            "mimalloc no_thp": 'mimalloc = { version = "0.1.52", features = ["no_thp"] }\n'}
MIMALLOC_LINE = "\n#[global_allocator]\nstatic A: mimalloc::MiMalloc = mimalloc::MiMalloc;\n"
WORKSPACE_PATHS = ["Cargo.toml", "Cargo.lock", "codegen", "runtime", "generated", "tests", "spec"]


def variant_cli(name, commit=None, mimalloc=None):
    """Builds the larkgen CLI (release) from a copy of the workspace under bench/out/variants:
    the working tree's files, or `commit`'s; with `mimalloc` (a dependency line), patched to
    the one-line `#[global_allocator]` of mimalloc. Never touches codegen/ itself. The variants share a
    target directory (dependencies build once); each binary is copied out under its name."""
    src = os.path.join(OUT, "variants", name.replace(" ", "-"))
    os.makedirs(src, exist_ok=True)  # kept with its modification times: reruns relink only
    if commit:
        tar = src + ".tar"
        run(["git", "archive", "--format=tar", "-o", tar, commit] + WORKSPACE_PATHS)
        run(["tar", "-xf", tar, "-C", src])
        os.remove(tar)
    else:
        files = run(["git", "ls-files", "--"] + WORKSPACE_PATHS).stdout.split("\n")
        patched = {"codegen/larkgen-cli/Cargo.toml", "codegen/larkgen-cli/src/main.rs"} if mimalloc else set()
        for f in filter(None, files):
            if os.path.exists(os.path.join(ROOT, f)) and f not in patched:
                os.makedirs(os.path.dirname(os.path.join(src, f)), exist_ok=True)
                shutil.copy2(os.path.join(ROOT, f), os.path.join(src, f))
    if mimalloc:
        cli = os.path.join(src, "codegen/larkgen-cli")
        toml = open(os.path.join(ROOT, "codegen/larkgen-cli/Cargo.toml")).read()
        write(os.path.join(cli, "Cargo.toml"), toml.replace("[dependencies]\n", "[dependencies]\n" + mimalloc, 1))
        write(os.path.join(cli, "src/main.rs"), open(os.path.join(ROOT, "codegen/larkgen-cli/src/main.rs")).read() + MIMALLOC_LINE)
    target = os.path.join(TARGET, "variants")
    log("building larkgen CLI variant %s (release)" % name)
    run(["cargo", "build", "--release", "--quiet", "-p", "larkgen-cli"], cwd=src, env={"CARGO_TARGET_DIR": target})
    exe = os.path.join(target, "larkgen-" + name.replace(" ", "-"))
    shutil.copy2(os.path.join(target, "release/larkgen"), exe)
    return exe


def bench_alloc(mode, reps, before=None):
    """The CLI with the system allocator (as committed) against the same sources with
    mimalloc's one-line `#[global_allocator]` (with mimalloc's defaults, and `no_thp`), on
    Baike v1 and 1,000 synthetic endpoints:
    paired runs (order alternating), at least 9 pairs. It pays if it is clearly faster
    (≥ 10% wall time, paired) without a higher peak RSS than progenitor's. With `before`
    (a commit, $BENCH_BEFORE), the CLI built at that commit is measured the same way."""
    pairs = max(reps, 9)
    overhead = measure_overhead(reps)
    variants = [(name, variant_cli(name, mimalloc=dep)) for name, dep in MIMALLOC.items()]
    if before:
        variants.append(("at " + before, variant_cli("before", commit=before)))
    system = os.path.join(REL, "larkgen")
    prog_rss = {k: r["progenitor_rss_kib"] for k, r in RESULTS.get("generator", {}).items()}
    res = {}
    sec = "larkgen CLI: system allocator (committed) vs variants, paired, %d pairs" % pairs
    for label, n, lspec, _ in [c for c in cases("full") if c[0] == "Baike v1" or c[1] == 1000]:
        ldir, _, key = gen_dirs(label, n)
        for vname, exe in variants:
            sruns, vruns = paired([system, "generate", lspec, "--out", ldir + "-sys"],
                                  [exe, "generate", lspec, "--out", ldir + "-variant"], pairs, overhead)
            r = {"endpoints": n}
            r.update(summary(sruns, "system"))
            r.update(summary(vruns, "variant"))
            r["paired_gain"] = median([1 - v[0] / s[0] for s, v in zip(sruns, vruns)])
            r["paired_cpu_gain"] = median([1 - v[2] / s[2] for s, v in zip(sruns, vruns)])
            res.setdefault(vname, {})[key] = r
            log("alloc %s %s: system %.2f ms %s, %s %.2f ms %s, paired gain %+.1f%%" % (
                key, vname, r["system_s"] * 1e3, fmt_mib(r["system_rss_kib"]), vname, r["variant_s"] * 1e3,
                fmt_mib(r["variant_rss_kib"]), 100 * r["paired_gain"]))
            name = "Baike v1" if key == "baike" else "%d endpoints" % n
            pays = None
            if vname.startswith("mimalloc"):
                pays = r["paired_gain"] >= 0.10 and (key not in prog_rss or r["variant_rss_kib"] < prog_rss[key])
            row(sec, "wall time, %s: %s" % (name, vname), "%.2f ms" % (r["system_s"] * 1e3),
                "%.2f ms" % (r["variant_s"] * 1e3), "%+.1f%% (paired)" % (-100 * r["paired_gain"]),
                "pays: ≤ −10%, RSS < progenitor's" if vname.startswith("mimalloc") else "", pays)
            row(sec, "CPU (user+sys) / peak RSS, %s: %s" % (name, vname),
                "%.2f ms / %s" % (r["system_cpu_s"] * 1e3, fmt_mib(r["system_rss_kib"])),
                "%.2f ms / %s" % (r["variant_cpu_s"] * 1e3, fmt_mib(r["variant_rss_kib"])),
                "CPU %+.1f%% (paired), RSS %.2f×" % (-100 * r["paired_cpu_gain"], r["variant_rss_kib"] / r["system_rss_kib"]),
                "progenitor's RSS: %s" % fmt_mib(prog_rss[key]) if key in prog_rss else "", None)
    RESULTS["alloc"] = res


def ensure_generated(mode):
    """Generates the outputs the line counts and compile measurements need, if missing."""
    for label, n, lspec, ospec in cases(mode):
        ldir, pdir, _ = gen_dirs(label, n)
        if not os.path.exists(os.path.join(ldir, "lib.rs")):
            run([os.path.join(REL, "larkgen"), "generate", lspec, "--out", ldir])
        if not os.path.exists(os.path.join(pdir, "lib.rs")):
            os.makedirs(pdir, exist_ok=True)
            run([os.path.join(REL, "progenitor-gen"), ospec, os.path.join(pdir, "lib.rs")])


def cold(args, runs):
    """Median of a larkgen-phases measurement, each run in a fresh process (cold caches and
    page tables, as in the whole-process figures)."""
    outs = [prun(args + ["--repeat", "1"]) for _ in range(runs)]
    return {k: median([o[k] for o in outs]) for k in ("total_ms", "parse_ms", "print_ms") if k in outs[0]}


def bench_phases(mode, reps):
    """Where larkgen's time goes, and the least any generator built like it can spend.

    `phases` times load+check / expand / render in-process on one thread (warm, median), then
    `generate` whole (render on its thread scope). The floors are cold (a fresh process per
    run, like the whole-process figures): `yaml` is granit-parser (larkgen's YAML parser)
    draining the spec files' events, `floor` is syn + prettyplease alone on a generator's
    finished output. A generator that reads its spec with that parser and formats with
    syn + prettyplease spends at least their sum; divided by the cores (perfect
    parallelism) and set against progenitor's whole run, that bounds the speedup it could
    show here even if validating, expanding, starting and writing cost nothing."""
    ensure_generated(mode)
    res = {}
    cores = os.cpu_count() or 1
    for label, n, lspec, _ in cases(mode):
        ldir, pdir, key = gen_dirs(label, n)
        runs = 3 if n >= 1000 else reps
        p = prun(["phases", lspec, "--repeat", "3" if n >= 1000 else "5"])
        platform = os.path.join(ROOT, "spec/platform.yaml") if key == "baike" else os.path.join(HERE, "inputs/platform.yaml")
        lfiles = sorted(os.path.join(ldir, f) for f in os.listdir(ldir) if f.endswith(".rs"))
        p["yaml"] = cold(["yaml", lspec, platform], runs)
        p["floor"] = cold(["floor"] + lfiles, runs)
        p["progenitor_floor"] = cold(["floor", os.path.join(pdir, "lib.rs")], runs)
        res[key] = p
        log("phases %s: load+check %.1f, expand %.1f, render %.1f ms; cold: yaml %.1f ms, format %.1f ms (progenitor's output %.1f ms)" % (
            key, p["check_ms"], p["expand_ms"], p["render_ms"], p["yaml"]["total_ms"], p["floor"]["total_ms"],
            p["progenitor_floor"]["total_ms"]))
    RESULTS["phases"] = res
    gen = RESULTS.get("generator", {})
    section = "larkgen phases (in-process, one thread, warm, median)"
    for key, p in res.items():
        total = p["total_ms"]
        row(section, key, "load+check %.1f / expand %.1f / render %.1f ms" % (p["check_ms"], p["expand_ms"], p["render_ms"]),
            "generate (threads): %.1f ms" % p["generate_ms"], "render = %.0f%%" % (100 * p["render_ms"] / total), "", None)
    section = "Floors (cold, one thread): reading the spec, formatting the output"
    for key, p in res.items():
        y, lf, pf = p["yaml"]["total_ms"], p["floor"]["total_ms"], p["progenitor_floor"]["total_ms"]
        row(section, "granit-parser events of the spec, %s" % key, "%.1f ms" % y, "", "", "", None)
        row(section, "syn + prettyplease on the output, %s" % key, "%.1f ms (parse %.0f%%)" % (lf, 100 * p["floor"]["parse_ms"] / lf),
            "progenitor's output: %.1f ms" % pf, "%.2f×" % (lf / pf), "", None)
        if key in gen:
            n = gen[key]["endpoints"]
            target = gen_target(n)
            pw = gen[key]["progenitor_s"] * 1e3
            ceiling = pw / ((y + lf) / cores)
            row(section, "speedup ceiling, %s: progenitor / ((yaml + format) / %d cores)" % (key, cores),
                "%.1f ms" % ((y + lf) / cores), "progenitor %.1f ms" % pw, "≤ %.2f×" % ceiling,
                "≥ %g× faster" % target if target else "", None)


# ------------------------------------------------------------------------------- lines
def count_lines(path):
    if os.path.isdir(path):
        return sum(count_lines(os.path.join(path, f)) for f in os.listdir(path) if f.endswith(".rs"))
    with open(path, encoding="utf-8") as f:
        return sum(1 for _ in f)


def bench_lines(mode):
    res = {}
    for label, n, _, _ in cases(mode):
        ldir, pdir, key = gen_dirs(label, n)
        ll, pl = count_lines(ldir), count_lines(pdir)
        res[key] = {"endpoints": n, "larkgen_lines": ll, "progenitor_lines": pl}
        row("Generated code", "lines per endpoint, %s" % key, "%.0f" % (ll / n), "%.0f" % (pl / n),
            "%.2f×" % (ll / pl), "", None)
    RESULTS["lines"] = res


# ----------------------------------------------------------------------------- compile
COMPILE_WS = os.path.join(OUT, "compile")
COMPILE_TARGET = os.path.join(TARGET, "compile")

PG_DEPS = """progenitor-client = "0.15"
reqwest = { version = "0.13", default-features = false, features = ["json", "stream", "query"] }
serde = { version = "1", features = ["derive"] }
serde_json = "1"
regress = "0.12"
futures = "0.3"
"""


def write(path, text):
    os.makedirs(os.path.dirname(path), exist_ok=True)
    if not os.path.exists(path) or open(path, encoding="utf-8").read() != text:
        with open(path, "w", encoding="utf-8") as f:
            f.write(text)


def crate(name, deps, files, features=""):
    d = os.path.join(COMPILE_WS, name)
    if os.path.isdir(os.path.join(d, "src")):
        shutil.rmtree(os.path.join(d, "src"))
    write(os.path.join(d, "Cargo.toml"),
          '[package]\nname = "%s"\nversion = "0.0.0"\nedition = "2024"\npublish = false\n\n'
          "[lib]\ndoctest = false\n\n[dependencies]\n%s%s" % (name, deps, features))
    for rel, text in files.items():
        write(os.path.join(d, "src", rel), text)
    return name


def all_services_on(lib):
    """The `[features]` table of a crate built from larkgen's files: lib.rs gates each service
    module by a feature (`larkgen generate` writes them into a Cargo.toml next to `--out`, which
    the bench's output directories lack); all on by default, so the whole client is measured."""
    names = sorted(set(re.findall(r'#\[cfg\(feature = "(\w+)"\)\]', lib)))
    lines = "".join('%s = []\n' % n for n in names)
    return "\n[features]\ndefault = [%s]\n%s" % (", ".join('"%s"' % n for n in names), lines)


def setup_compile(mode):
    runtime_dep = 'larkgen-runtime = { path = "%s" }\n' % os.path.join(ROOT, "runtime")
    members = []
    for label, n, lspec, _ in cases(mode):
        ldir, pdir, key = gen_dirs(label, n)
        lfiles = {f: open(os.path.join(ldir, f), encoding="utf-8").read() for f in os.listdir(ldir) if f.endswith(".rs")}
        members.append(crate("lg-" + key, runtime_dep, lfiles, all_services_on(lfiles["lib.rs"])))
        ptext = "//! progenitor 0.15 client of %s.\n#![allow(warnings)]\n" % key + open(os.path.join(pdir, "lib.rs"), encoding="utf-8").read()
        members.append(crate("pg-" + key, PG_DEPS, {"lib.rs": ptext}))
    # Proc-macro expansion: the same code through `client!` and pre-generated.
    spec = os.path.relpath(os.path.join(ROOT, "spec/baike-v1.yaml"), os.path.join(COMPILE_WS, "macro-user"))
    members.append(crate("macro-user", runtime_dep + 'larkgen-macros = { path = "%s" }\n' % os.path.join(ROOT, "codegen/larkgen-macros"),
                         {"lib.rs": '//! Baike v1 through the proc-macro.\nlarkgen_macros::client!("%s");\n' % spec}))
    inline = os.path.join(OUT, "gen/inline-baike.rs")
    prun(["inline", os.path.join(ROOT, "spec/baike-v1.yaml"), "--out", inline])
    text = open(inline, encoding="utf-8").read()
    members.append(crate("pregen-user", runtime_dep, {"lib.rs": "//! Baike v1, pre-generated (what `client!` expands to).\n" + text}))
    write(os.path.join(COMPILE_WS, "Cargo.toml"),
          "# Generated by bench/bench.py: crates whose compile time is measured.\n[workspace]\n"
          'resolver = "3"\nmembers = [%s]\n' % ", ".join('"%s"' % m for m in members))
    return members


def cargo_time(sub, pkg, env):
    """touch + `cargo check|build -p pkg`; redone (up to 3 times) when cargo compiled anything
    but `pkg` (e.g. a dependency edited meanwhile), so a figure is always the crate alone."""
    src = os.path.join(COMPILE_WS, pkg, "src/lib.rs")
    for _ in range(3):
        os.utime(src, None)
        t0 = time.perf_counter()
        r = run(["cargo", sub, "-p", pkg], cwd=COMPILE_WS, env=env)
        wall = time.perf_counter() - t0
        compiled = [l for l in r.stderr.splitlines() if re.match(r"\s*(Compiling|Checking) ", l)]
        if len(compiled) == 1:
            return wall
        log("compile %s: cargo also rebuilt %s; measuring again" % (pkg, ", ".join(c.split()[1] for c in compiled[:-1])))
    return wall


def bench_compile(mode, reps, extra_env=None, tag="", pkgs=None):
    members = setup_compile(mode)
    env = {"CARGO_TARGET_DIR": COMPILE_TARGET + tag, "CARGO_INCREMENTAL": "0"}
    env.update(extra_env or {})
    log("compile: building dependencies of %s" % ", ".join(pkgs or members))
    # Package by package: a dependency's features (hence its artifact) depend on which
    # packages are built together; each measured build must find its own set prebuilt.
    for pkg in pkgs or members:
        for sub in ("build", "check"):
            run(["cargo", sub, "--quiet", "-p", pkg], cwd=COMPILE_WS, env=env)
    # Interleaved: round k measures every package once (check, then build), so background
    # load drifting during the run hits larkgen's and progenitor's crates alike.
    def runs_for(pkg):
        if pkg in ("macro-user", "pregen-user"):
            return max(reps, 9)  # a difference of two ~1 s builds: more runs
        return reps if "1000" not in pkg else max(3, reps - 2)

    todo = pkgs or members
    r = {pkg: {"check": [], "build": []} for pkg in todo}
    for k in range(max(runs_for(p) for p in todo)):
        for pkg in todo:
            if k < runs_for(pkg):
                for sub in ("check", "build"):
                    r[pkg][sub].append(cargo_time(sub, pkg, env))
    res = {}
    for pkg in todo:
        res[pkg] = {sub: median(v) for sub, v in r[pkg].items()}
        res[pkg]["runs"] = r[pkg]
        log("compile %s: check %.2fs build %.2fs" % (pkg, res[pkg]["check"], res[pkg]["build"]))
    # rustc's own account of macro expansion, to the millisecond (the difference of two whole
    # builds above is at the mercy of background load).
    for k in range(max(reps, 5)):
        for pkg in ("macro-user", "pregen-user"):
            if pkg in todo:
                res[pkg].setdefault("expand_runs", []).append(expand_time(pkg, env))
    for pkg in ("macro-user", "pregen-user"):
        if pkg in todo:
            res[pkg]["expand"] = median(res[pkg]["expand_runs"])
    return res


def expand_time(pkg, env):
    """Seconds rustc spends in `expand_crate` (all macro expansion: proc-macros, derives,
    macro_rules) for `pkg`, from `-Z time-passes` (RUSTC_BOOTSTRAP=1 on stable)."""
    os.utime(os.path.join(COMPILE_WS, pkg, "src/lib.rs"), None)
    e = dict(env)
    e["RUSTC_BOOTSTRAP"] = "1"
    r = run(["cargo", "rustc", "--quiet", "-p", pkg, "--", "-Z", "time-passes"], cwd=COMPILE_WS, env=e)
    m = re.search(r"time:\s+([0-9.]+);[^\n]*\bexpand_crate\n", r.stderr + "\n")
    if not m:
        raise RuntimeError("no expand_crate line in -Z time-passes output of %s" % pkg)
    return float(m.group(1))


def report_compile(res, mode):
    RESULTS["compile"] = res
    for label, n, _, _ in cases(mode):
        _, _, key = gen_dirs(label, n)
        lg, pg = res["lg-" + key], res["pg-" + key]
        for sub in ("check", "build"):
            ratio = lg[sub] / pg[sub]
            target = n == 100
            row("Compile generated crate (debug, deps prebuilt)", "`cargo %s`, %s (%d endpoints)" % (sub, key, n),
                fmt_s(lg[sub]), fmt_s(pg[sub]), "%.2f×" % ratio,
                "≤ 0.5×" if target else "", ratio <= 0.5 if target else None)


def report_macro(res, res_opt):
    sec = "Proc-macro expansion, Baike v1 (debug)"
    m, p = res["macro-user"], res["pregen-user"]
    RESULTS["macro"] = {"default": {"macro": m, "pregen": p}}
    row(sec, "rustc `expand_crate` (-Z time-passes): `client!` vs pre-generated", fmt_s(m["expand"]),
        fmt_s(p["expand"]), "+%.3f s" % (m["expand"] - p["expand"]), "", None)
    for sub in ("check", "build"):
        diffs = [a - b for a, b in zip(m["runs"][sub], p["runs"][sub])]
        row(sec, "`cargo %s` of the crate: `client!` vs pre-generated" % sub, fmt_s(m[sub]), fmt_s(p[sub]),
            "%+.3f s (paired)" % median(diffs), "", None)
    if res_opt:
        m, p = res_opt["macro-user"], res_opt["pregen-user"]
        RESULTS["macro"]["build_override_opt3"] = {"macro": m, "pregen": p}
        row(sec, "`expand_crate`, proc-macro built with opt-level 3", fmt_s(m["expand"]), fmt_s(p["expand"]),
            "+%.3f s" % (m["expand"] - p["expand"]), "", None)


# ----------------------------------------------------------------------------- runtime
class Server:
    def __enter__(self):
        self.p = subprocess.Popen(pin(0) + [os.path.join(REL, "larkbench"), "serve"], stdout=subprocess.PIPE, text=True)
        line = self.p.stdout.readline().strip()
        self.url = "http://127.0.0.1:%s" % line.split()[1]
        return self

    def __exit__(self, *a):
        self.p.kill()
        self.p.wait()


class RedisServer:
    """A private redis-server on a free loopback port (pinned with the loopback server), or
    `url = None` when redis-server is not installed."""
    def __enter__(self):
        self.p = None
        self.url = None
        exe = shutil.which("redis-server")
        if not exe:
            return self
        import socket
        with socket.socket() as sock:
            sock.bind(("127.0.0.1", 0))
            port = sock.getsockname()[1]
        self.dir = tempfile.mkdtemp()
        self.p = subprocess.Popen(pin(0) + [exe, "--bind", "127.0.0.1", "--port", str(port), "--save", "",
                                            "--appendonly", "no", "--dir", self.dir],
                                  stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
        for _ in range(100):
            try:
                socket.create_connection(("127.0.0.1", port), timeout=0.1).close()
                self.url = "redis://127.0.0.1:%d/" % port
                break
            except OSError:
                time.sleep(0.05)
        return self

    def __exit__(self, *a):
        if self.p:
            self.p.kill()
            self.p.wait()
            shutil.rmtree(self.dir, ignore_errors=True)


def bench_json(mode, reps, limiter):
    secs = "2" if mode == "quick" else "3"
    modes = ["gen", "raw"] + (["gen-limiter"] if limiter else [])
    runs = {m: [] for m in modes}
    with Server() as s:
        for m in modes:
            jrun(["json", "--url", s.url, "--mode", m, "--seconds", "0.5"])
        for _ in range(reps):
            for m in modes:
                runs[m].append(jrun(["json", "--url", s.url, "--mode", m, "--seconds", secs]))
    res = {m: {k: median([r[k] for r in rs]) for k in ("rps", "cpu_us_per_call", "allocs_per_call", "alloc_bytes_per_call")}
           for m, rs in runs.items()}
    paired = median([a["rps"] / b["rps"] for a, b in zip(runs["gen"], runs["raw"])])
    # (ratio column: median of the per-round ratios, gen and raw having run back to back)
    RESULTS["json"] = {"median": res, "runs": runs, "paired_rps_ratio": paired}
    g, r = res["gen"], res["raw"]
    ratio = paired
    sec = "Runtime: entity.get, sequential, loopback (release)"
    row(sec, "requests/s", "%.0f" % g["rps"], "%.0f" % r["rps"], "%.3f (paired)" % ratio, "≥ 0.95", ratio >= 0.95)
    row(sec, "client CPU per call", "%.1f µs" % g["cpu_us_per_call"], "%.1f µs" % r["cpu_us_per_call"],
        "%+.1f µs" % (g["cpu_us_per_call"] - r["cpu_us_per_call"]), "", None)
    row(sec, "allocations per call", "%.0f (%.1f KiB)" % (g["allocs_per_call"], g["alloc_bytes_per_call"] / 1024),
        "%.0f (%.1f KiB)" % (r["allocs_per_call"], r["alloc_bytes_per_call"] / 1024),
        "%+.0f" % (g["allocs_per_call"] - r["allocs_per_call"]), "", None)
    if limiter:
        l = res["gen-limiter"]
        row(sec, "same, rate limiter on (slots always free)", "%.0f req/s, %.1f µs CPU, %.0f allocs" % (
            l["rps"], l["cpu_us_per_call"], l["allocs_per_call"]), "limiter off: %.0f req/s" % g["rps"],
            "%.3f" % (l["rps"] / g["rps"]), "", None)
    bench_decode(reps)


def bench_decode(reps):
    """Decoding alone, no server: the generated types (`FromJson` over the parsed tree) vs
    `#[derive(Deserialize)]` structs of the same shape (serde's visitors, from the bytes)."""
    runs = {"gen": [], "raw": []}
    for _ in range(reps):
        for m in runs:
            runs[m].append(jrun(["decode", "--mode", m]))
    res = {m: {k: median([r[k] for r in rs]) for k in ("entity_us", "entity_allocs", "page_us", "page_allocs")}
           for m, rs in runs.items()}
    RESULTS["decode"] = {"median": res, "runs": runs}
    g, r = res["gen"], res["raw"]
    sec = "Runtime: decoding alone (release): generated types vs #[derive(Deserialize)] of the same shape"
    row(sec, "one entity.get answer (≈ 1 KB): time / allocations", "%.2f µs / %.0f" % (g["entity_us"], g["entity_allocs"]),
        "%.2f µs / %.0f" % (r["entity_us"], r["entity_allocs"]), "%.2f×" % (g["entity_us"] / r["entity_us"]), "", None)
    row(sec, "a page of 500 entities (343 KB): time / allocations", "%.2f ms / %.0f" % (g["page_us"] / 1000, g["page_allocs"]),
        "%.2f ms / %.0f" % (r["page_us"] / 1000, r["page_allocs"]), "%.2f×" % (g["page_us"] / r["page_us"]), "", None)


def bench_download(mode, reps):
    size = 256 * MIB if mode == "quick" else 1024 * MIB
    tmp = "/dev/shm" if os.access("/dev/shm", os.W_OK) else OUT
    runs = {"gen": [], "raw": []}
    with Server() as s:
        for m in runs:
            jrun(["download", "--url", s.url, "--mode", m, "--bytes", str(16 * MIB), "--dir", tmp])
        for _ in range(reps):
            for m in runs:
                runs[m].append(jrun(["download", "--url", s.url, "--mode", m, "--bytes", str(size), "--dir", tmp]))
        small = {m: jrun(["download", "--url", s.url, "--mode", m, "--bytes", str(16 * MIB), "--dir", tmp]) for m in runs}
    res = {m: {"mib_per_s": median([r["mib_per_s"] for r in rs]), "peak_rss_kib": max(r["peak_rss_kib"] for r in rs)}
           for m, rs in runs.items()}
    paired = median([a["mib_per_s"] / b["mib_per_s"] for a, b in zip(runs["gen"], runs["raw"])])
    RESULTS["download"] = {"bytes": size, "dir": tmp, "median": res, "runs": runs, "small_16MiB": small,
                           "paired_ratio": paired}
    g, r = res["gen"], res["raw"]
    sec = "Download %d MiB to %s (save_to vs bytes_stream → file)" % (size // MIB, tmp)
    ratio = paired
    row(sec, "throughput", "%.0f MiB/s" % g["mib_per_s"], "%.0f MiB/s" % r["mib_per_s"], "%.2f (paired)" % ratio,
        "≥ 0.9", ratio >= 0.9)
    row(sec, "peak RSS (max of runs)", fmt_mib(g["peak_rss_kib"]), fmt_mib(r["peak_rss_kib"]), "", "< 32 MiB",
        g["peak_rss_kib"] < 32 * 1024)
    row(sec, "peak RSS at 16 MiB (size independence)", fmt_mib(small["gen"]["peak_rss_kib"]),
        fmt_mib(small["raw"]["peak_rss_kib"]), "", "≈ same", None)


def bench_upload(mode, reps):
    path = os.path.join(OUT, "upload-10MB.png")
    if not os.path.exists(path) or os.path.getsize(path) != 10_000_000:
        with open(path, "wb") as f:
            f.write(bytes((i * 31 + (i >> 12)) % 251 for i in range(10_000_000)))
    repeat = "30" if mode == "quick" else "100"
    runs = {"gen": [], "raw": []}
    with Server() as s:
        for m in runs:
            jrun(["upload", "--url", s.url, "--mode", m, "--file", path, "--repeat", "3"])
        for _ in range(reps):
            for m in runs:
                runs[m].append(jrun(["upload", "--url", s.url, "--mode", m, "--file", path, "--repeat", repeat]))
    res = {m: {"mib_per_s": median([r["mib_per_s"] for r in rs]), "peak_rss_kib": max(r["peak_rss_kib"] for r in rs)}
           for m, rs in runs.items()}
    paired = median([a["mib_per_s"] / b["mib_per_s"] for a, b in zip(runs["gen"], runs["raw"])])
    RESULTS["upload"] = {"median": res, "runs": runs, "paired_ratio": paired}
    g, r = res["gen"], res["raw"]
    sec = "Upload 10 MB from disk, multipart, ×%s per process" % repeat
    ratio = paired
    row(sec, "throughput", "%.0f MiB/s" % g["mib_per_s"], "%.0f MiB/s" % r["mib_per_s"], "%.2f (paired)" % ratio,
        "≥ 0.9", ratio >= 0.9)
    row(sec, "peak RSS (max of runs)", fmt_mib(g["peak_rss_kib"]), fmt_mib(r["peak_rss_kib"]), "", "< 32 MiB",
        g["peak_rss_kib"] < 32 * 1024)


def bench_limiter(mode, limiter):
    sec = "Rate limiter (entity.get: 50/s, 1000/min)"
    if not limiter:
        RESULTS["limiter"] = "TODO: no client-side rate limiter in larkgen-runtime yet"
        row(sec, "TODO: limiter not in the runtime yet", "", "", "", "≥ 95%, 0 over", None)
        return
    # Short enough that only the per-second limit binds (≈ 50/s × 15 s < 1000/min).
    secs = "10" if mode == "quick" else "15"
    with Server() as s:
        sat = jrun(["limiter", "--url", s.url, "--seconds", secs, "--tasks", "16"])
        minute = None
        if mode == "full":
            # Long enough for the per-minute limit to bind.
            minute = jrun(["limiter", "--url", s.url, "--seconds", "75", "--tasks", "16"])
        # The same with the shared limiter in Redis (runtime feature `redis`), when installed.
        with RedisServer() as r:
            redis_sat = r.url and jrun(["limiter", "--url", s.url, "--seconds", secs, "--tasks", "16", "--redis", r.url])
            redis_cost = r.url and jrun(["limiter-cost", "--seconds", "2", "--redis", r.url])
    cost = jrun(["limiter-cost", "--seconds", "2"])
    RESULTS["limiter_redis"] = {"saturation": redis_sat, "cost": redis_cost}
    RESULTS["limiter"] = {"saturation": sat, "minute": minute, "cost": cost}
    row(sec, "sustained rate, 16 tasks × %s s" % secs, "%.1f/s" % sat["sustained_per_s"], "limit 50/s",
        "%.1f%%" % (100 * sat["ratio"]), "≥ 95%", sat["ratio"] >= 0.95)
    over = max(0, sat["max_in_1s"] - 50) + max(0, sat["max_in_60s"] - 1000)
    row(sec, "most arrivals in any 1 s / 60 s window", "%d / %d" % (sat["max_in_1s"], sat["max_in_60s"]),
        "50 / 1000", "%d over" % over, "0 over", over == 0)
    if minute:
        over = max(0, minute["max_in_1s"] - 50) + max(0, minute["max_in_60s"] - 1000)
        row(sec, "16 tasks × 75 s: most in any 1 s / 60 s window", "%d / %d" % (minute["max_in_1s"], minute["max_in_60s"]),
            "50 / 1000", "%d over" % over, "0 over", over == 0)
        row(sec, "16 tasks × 75 s: arrivals in the first 60 s", "%d" % minute["in_first_60s"], "limit 1000",
            "%.1f%%" % (minute["in_first_60s"] / 10), "", None)
    row(sec, "acquire() per call, free slot", "%.1f µs, %.0f allocs" % (cost["ns_per_call"] / 1e3, cost["allocs_per_call"]),
        "", "", "", None)
    if redis_sat:
        over = max(0, redis_sat["max_in_1s"] - 50) + max(0, redis_sat["max_in_60s"] - 1000)
        row(sec, "RedisRateLimiter: sustained rate, 16 tasks × %s s" % secs, "%.1f/s" % redis_sat["sustained_per_s"],
            "limit 50/s", "%.1f%%" % (100 * redis_sat["ratio"]), "", None)
        row(sec, "RedisRateLimiter: most arrivals in any 1 s window", "%d" % redis_sat["max_in_1s"], "50",
            "%d over" % over, "0 over", over == 0)
        row(sec, "RedisRateLimiter: acquire() per call (loopback Redis)",
            "%.1f µs, %.0f allocs" % (redis_cost["ns_per_call"] / 1e3, redis_cost["allocs_per_call"]), "", "", "", None)
    else:
        row(sec, "RedisRateLimiter: not measured (no redis-server installed)", "", "", "", "", None)


# ------------------------------------------------------------------- openlark (crates.io)
# Two tiny binary crates, each its own workspace with a committed lockfile, that send one
# text message to a chat (the chat id from argv): bench/apps/larkgen-im (lark-client by path)
# and bench/apps/openlark-im (openlark 0.21 from crates.io, feature `communication`).
APPS = os.path.join(HERE, "apps")
APP_TARGET = os.path.join(TARGET, "apps")
OPENLARK_ALL = "full"  # openlark's everything feature (not all 33: no pay, bot, docs-full, websocket)


def crate_features(manifest):
    """The features a Cargo.toml declares (without `default`), [] when it declares none."""
    import tomllib
    with open(manifest, "rb") as f:
        return sorted(k for k in tomllib.load(f).get("features", {}) if k != "default")


# lark-client features that are not services: `all` names them all, `http2` is a transport option
# (off in both apps; openlark's reqwest has HTTP/2 off too).
NOT_SERVICES = ("all", "http2")


def lark_features():
    """lark-client's service features."""
    return [f for f in crate_features(os.path.join(ROOT, "generated/Cargo.toml")) if f not in NOT_SERVICES]


def app_cargo_args(side, what):
    """`cargo` arguments selecting the services measured. larkgen: the app depends on
    lark-client with `default-features = false`; `im` adds `--features lark-client/im` (that is
    lark-client's `--no-default-features --features im`) and `all` every feature lark-client
    declares, both only when it declares features (until then it always has every service).
    openlark: the app's own dependency line enables `communication` (its IM client);
    `all` adds openlark's `full` (through the app's feature `full`, so that its lockfile
    holds all of openlark)."""
    if side == "floor":
        return []
    if side == "larkgen":
        feats = lark_features()
        if what == "im":
            feats = ["im"] if "im" in feats else []
        return ["--features", ",".join("lark-client/" + f for f in feats)] if feats else []
    return ["--features", OPENLARK_ALL] if what == "all" else []


def floor_out_of_step():
    """The dependencies of bench/apps/floor-im whose line differs from the workspace's (version,
    features, default features), and the runtime's own (not optional) dependencies it lacks:
    the floor stands for the runtime's HTTP stack only while they agree. [] when they do."""
    import tomllib
    with open(os.path.join(ROOT, "Cargo.toml"), "rb") as f:
        workspace = tomllib.load(f)["workspace"]["dependencies"]
    with open(os.path.join(APPS, "floor-im", "Cargo.toml"), "rb") as f:
        floor = tomllib.load(f)["dependencies"]
    with open(os.path.join(ROOT, "runtime", "Cargo.toml"), "rb") as f:
        runtime = tomllib.load(f)["dependencies"]
    missing = [name for name, dep in runtime.items()
               if name not in floor and not (isinstance(dep, dict) and dep.get("optional"))]

    def line(dep):
        dep = {"version": dep} if isinstance(dep, str) else dep
        return (dep.get("version"), sorted(dep.get("features", [])), dep.get("default-features", True))
    return missing + [name for name, dep in floor.items()
                      if name not in workspace or line(dep) != line(workspace[name])]


def describe_features(side, what):
    if side == "floor":
        return "reqwest, rustls (ring), tokio, serde_json… with the runtime's features; no larkgen crate"
    if side == "larkgen":
        feats = lark_features()
        if not feats:
            return "lark-client, no features yet: all its services"
        return "lark-client `--no-default-features --features im`" if what == "im" else \
            "lark-client, all %d services" % len(feats)
    return "openlark `communication`" if what == "im" else "openlark `%s`" % OPENLARK_ALL


def cargo_cold(side, sub, what, profile):
    """One cold `cargo SUB` of the app of `side` (larkgen|openlark): a fresh target directory,
    dependencies fetched beforehand (`--offline --locked`), removed afterwards. Wall time (s),
    CPU time of cargo and everything it waited for (user + sys, from wait4), the crates
    compiled (cargo's `Compiling`/`Checking` lines: packages, build scripts not counted apart)
    and the size of the target directory."""
    app = os.path.join(APPS, side + "-im")
    target = os.path.join(APP_TARGET, "%s-%s-%s-%s" % (side, sub, what, profile))
    shutil.rmtree(target, ignore_errors=True)
    cmd = ["cargo", sub, "--offline", "--locked", "--timings"] + (["--release"] if profile == "release" else []) \
        + app_cargo_args(side, what)
    e = dict(os.environ)
    e["CARGO_TARGET_DIR"] = target
    t0 = time.perf_counter()
    p = subprocess.Popen(cmd, cwd=app, env=e, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE)
    err = p.stderr.read().decode(errors="replace")
    _, status, usage = os.wait4(p.pid, 0)
    wall = time.perf_counter() - t0
    p.stderr.close()
    if os.waitstatus_to_exitcode(status) != 0:
        shutil.rmtree(target, ignore_errors=True)
        raise RuntimeError("failed: %s (in %s)\n%s" % (" ".join(cmd), app, err[-3000:]))
    names = re.findall(r"^\s*(?:Compiling|Checking) (\S+ v\S+)", err, re.M)
    crates = len(names)
    size = int(run(["du", "-sk", target]).stdout.split()[0])
    units = slowest_units(os.path.join(target, "cargo-timings/cargo-timing.html"))
    shutil.rmtree(target, ignore_errors=True)
    log("  %s %s %s (%s): %.1f s wall, %.1f s CPU, %d crates, %s" % (
        side, sub, what, profile, wall, usage.ru_utime + usage.ru_stime, crates, fmt_mib(size)))
    return {"wall_s": wall, "cpu_s": usage.ru_utime + usage.ru_stime, "crates": crates, "target_kib": size,
            "cmd": " ".join(cmd), "compiled": names, "slowest_units": units}


def slowest_units(report, n=5):
    """The packages that took longest in a `cargo --timings` report (seconds per package, its
    build script and its run included; wall time of each unit, under the build's parallelism)."""
    try:
        text = open(report, encoding="utf-8").read()
        start = text.index("UNIT_DATA = ") + len("UNIT_DATA = ")
        units = json.JSONDecoder().raw_decode(text[start:])[0]
    except (OSError, ValueError):
        return []
    per = {}
    for u in units:
        per[u["name"]] = per.get(u["name"], 0.0) + float(u.get("duration") or 0)
    return sorted(per.items(), key=lambda kv: -kv[1])[:n]


def cold_pairs(sub, what, profile, pairs):
    """`pairs` cold builds of each app, the order alternating (larkgen first, then openlark
    first, …), so that load drifting during the run hits both alike."""
    runs = {"larkgen": [], "openlark": []}
    for i in range(pairs):
        order = ("larkgen", "openlark") if i % 2 == 0 else ("openlark", "larkgen")
        for side in order:
            runs[side].append(cargo_cold(side, sub, what, profile))
    res = {side: {"wall_s": median([r["wall_s"] for r in rs]), "cpu_s": median([r["cpu_s"] for r in rs]),
                  "crates": rs[0]["crates"], "target_kib": rs[0]["target_kib"], "cmd": rs[0]["cmd"],
                  "slowest_units": rs[0]["slowest_units"],
                  "features": describe_features(side, what), "runs": rs}
           for side, rs in runs.items()}
    res["paired_ratio"] = median([l["wall_s"] / o["wall_s"] for l, o in zip(runs["larkgen"], runs["openlark"])])
    res["paired_cpu_ratio"] = median([l["cpu_s"] / o["cpu_s"] for l, o in zip(runs["larkgen"], runs["openlark"])])
    res["loadavg_after"] = loadavg()
    return res


def bench_openlark(mode, reps):
    """Cold builds of the two IM apps (debug; release in full mode) and a cold `cargo check`
    of everything each SDK offers (every lark-client feature vs openlark `full`)."""
    for side in ("larkgen", "openlark", "floor"):
        log("fetching the dependencies of bench/apps/%s-im" % side)
        # Not --locked: larkgen-im's lockfile follows the workspace's runtime (a new dependency
        # there updates it; commit it then). The timed builds are --offline --locked.
        run(["cargo", "fetch"], cwd=os.path.join(APPS, side + "-im"))
    pairs = 1 if mode == "quick" else 2
    steps = [("build", "im", "debug"), ("check", "all", "debug")]
    if mode == "full":
        steps.insert(1, ("build", "im", "release"))
    res = RESULTS["openlark"] = {}
    sec = "Cold build vs openlark 0.21 (crates.io; deps fetched, offline, fresh target dir)"
    for sub, what, profile in steps:
        key = "%s-%s-%s" % (sub, what, profile)
        load = loadavg()
        log("openlark: cold `cargo %s` (%s), %s, %d pair(s), load average %s" % (sub, profile, what, pairs, load))
        try:
            # One release pair: it is the costliest step (≈ 2× debug) and the least asked for.
            r = res[key] = cold_pairs(sub, what, profile, 1 if profile == "release" else pairs)
        except Exception as e:  # one failed step must not hide the others
            log("openlark %s failed: %s" % (key, e))
            row(sec, "FAILED: cargo %s %s %s: %s" % (sub, what, profile, str(e)[:80]), "", "", "", "", None)
            continue
        r["loadavg_before"] = load
        l, o = r["larkgen"], r["openlark"]
        name = ("IM app, `cargo build`" if what == "im" else "everything, `cargo check`") + ", " + profile
        # The target holds for the same services: the IM app (lark-client compiles a superset
        # of IM until it has features), and everything once the importer covers the corpus.
        same = what == "im" or len(lark_features()) >= 40
        target = "≤ 0.5×" if same else "≤ 0.5× (same services)"
        if what == "all":
            row(sec, "everything: what is compiled", l["features"], o["features"], "", "", None)
        row(sec, "wall time, " + name, fmt_s(l["wall_s"]), fmt_s(o["wall_s"]),
            "%.2f×%s" % (r["paired_ratio"], " (paired)" if len(l["runs"]) > 1 else ""), target,
            r["paired_ratio"] <= 0.5 if same else None)
        row(sec, "CPU time (user+sys, cargo + rustc), " + name, fmt_s(l["cpu_s"]), fmt_s(o["cpu_s"]),
            "%.2f×" % r["paired_cpu_ratio"], "", None)
        row(sec, "crates compiled / target dir, " + name, "%d / %s" % (l["crates"], fmt_mib(l["target_kib"])),
            "%d / %s" % (o["crates"], fmt_mib(o["target_kib"])), "", "", None)
        row(sec, "slowest crates (unit wall time), " + name,
            ", ".join("%s %.0f s" % tuple(u) for u in l["slowest_units"][:3]),
            ", ".join("%s %.0f s" % tuple(u) for u in o["slowest_units"][:3]), "", "", None)
        row(sec, "load average before / after, " + name, r["loadavg_before"], r["loadavg_after"], "", "", None)
    im = res.get("build-im-debug")
    if im:
        # The floor: the HTTP stack alone, built cold once, against openlark's median above.
        try:
            stale = floor_out_of_step()
            if stale:
                raise RuntimeError("bench/apps/floor-im/Cargo.toml differs from the workspace's "
                                   "[workspace.dependencies] for: " + ", ".join(stale))
            floor = res["build-floor-debug"] = cargo_cold("floor", "build", "im", "debug")
            row(sec, "wall time, the HTTP stack alone (the IM app's floor), `cargo build`, debug",
                fmt_s(floor["wall_s"]), fmt_s(im["openlark"]["wall_s"]),
                "%.2f×" % (floor["wall_s"] / im["openlark"]["wall_s"]), "", None)
            row(sec, "the HTTP stack alone: what is compiled", describe_features("floor", "im"), "", "", "", None)
        except Exception as e:
            log("floor build failed: %s" % e)
            row(sec, "FAILED: the HTTP stack alone: %s" % str(e)[:120], "", "", "", "", None)
        row(sec, "IM app: what is compiled", im["larkgen"]["features"], im["openlark"]["features"]
            + " (im, contact, moments, aily, event)", "", "", None)


# ------------------------------------------------------------------- the OpenAPI corpus
def corpus_dir(args):
    """The Lark OpenAPI corpus: --corpus DIR, else $BENCH_CORPUS, else the repository's copy."""
    if "--corpus" in args:
        return os.path.abspath(args[args.index("--corpus") + 1])
    return os.path.abspath(os.environ.get("BENCH_CORPUS", os.path.join(ROOT, "corpus/lark-openapi/openapi")))


def corpus_files(corpus):
    return sorted(os.path.join(corpus, f) for f in os.listdir(corpus) if f.endswith((".yaml", ".yml", ".json")))


def count_operations(files):
    """Operations (path × HTTP method) in OpenAPI files (PyYAML, when installed)."""
    try:
        import yaml
    except ImportError:
        return None
    loader = getattr(yaml, "CSafeLoader", yaml.SafeLoader)
    methods = {"get", "put", "post", "delete", "patch", "head", "options", "trace"}
    n = 0
    for f in files:
        with open(f, encoding="utf-8") as fh:
            doc = yaml.load(fh, Loader=loader)
        n += sum(1 for item in (doc.get("paths") or {}).values() for m in (item or {}) if m in methods)
    return n


def larkgen_has_import():
    r = run([os.path.join(REL, "larkgen"), "import", "--help"], check=False)
    return r.returncode == 0


def generated_lines(d):
    return sum(count_lines(os.path.join(d, f)) for f in os.listdir(d) if f.endswith(".rs"))


def bench_corpus(mode, reps, corpus):
    """larkgen on the whole corpus (`import` then `generate`, time and peak RSS), and
    progenitor on each corpus file: accepted or refused (why), and its time on the accepted."""
    sec = "Lark OpenAPI corpus (%s)" % os.path.relpath(corpus, ROOT) if corpus.startswith(ROOT) else \
        "Lark OpenAPI corpus (%s)" % corpus
    if not os.path.isdir(corpus):
        RESULTS["corpus"] = "skipped: no corpus at %s" % corpus
        log("corpus: no corpus at %s (pass --corpus DIR or set BENCH_CORPUS); skipped" % corpus)
        row(sec, "skipped: no corpus directory (--corpus DIR or $BENCH_CORPUS)", "", "", "", "", None)
        return
    files = corpus_files(corpus)
    ops = count_operations(files)
    res = {"dir": corpus, "files": len(files), "operations": ops}
    RESULTS["corpus"] = res
    log("corpus: %d files%s in %s" % (len(files), ", %d operations" % ops if ops else "", corpus))
    overhead = measure_overhead(reps)
    work = os.path.join(OUT, "corpus")
    shutil.rmtree(work, ignore_errors=True)
    os.makedirs(work)
    larkgen = os.path.join(REL, "larkgen")
    runs = max(3, reps) if mode == "full" else 3

    # larkgen: import the corpus into spec files, generate the crate's sources from them.
    if larkgen_has_import():
        spec = os.path.join(work, "larkgen/spec")

        def import_once():
            # A fresh spec directory each time (only the platform file the specs name), with the
            # repository's overlays: the whole import as a maintainer runs it.
            shutil.rmtree(spec, ignore_errors=True)
            os.makedirs(spec)
            shutil.copy(os.path.join(ROOT, "spec/platform.yaml"), spec)
            return timed([larkgen, "import", corpus, "--out", spec, "--overlays", os.path.join(ROOT, "spec/overlay"),
                          "--coverage", os.path.join(work, "coverage.md")])
        imp = [import_once() for _ in range(runs)]
        nspecs = len([f for f in os.listdir(spec) if f.endswith((".yaml", ".yml")) and f != "platform.yaml"])
        # `generate` from the directory holding spec/ (it reads spec/*.yaml by default).
        gen = [timed([larkgen, "generate", "--out", os.path.join(work, "larkgen/src")], cwd=os.path.join(work, "larkgen"))
               for _ in range(runs)]
        lines = generated_lines(os.path.join(work, "larkgen/src"))
        res["larkgen"] = {"import_s": median([w for w, _, _ in imp]) - overhead, "import_rss_kib": max(r for _, r, _ in imp),
                          "import_cpu_s": median([c for _, _, c in imp]),
                          "generate_s": median([w for w, _, _ in gen]) - overhead, "generate_rss_kib": max(r for _, r, _ in gen),
                          "generate_cpu_s": median([c for _, _, c in gen]), "spec_files": nspecs, "lines": lines,
                          "import_runs": imp, "generate_runs": gen}
        L = res["larkgen"]
        L["total_s"] = L["import_s"] + L["generate_s"]
        log("corpus: larkgen import %.3f s %s (%d spec files), generate %.3f s %s (%d lines)" % (
            L["import_s"], fmt_mib(L["import_rss_kib"]), nspecs, L["generate_s"], fmt_mib(L["generate_rss_kib"]), lines))
        row(sec, "larkgen import, %d files → %d spec files: wall / CPU / peak RSS" % (len(files), nspecs),
            "%s / %s / %s" % (fmt_s(L["import_s"]), fmt_s(L["import_cpu_s"]), fmt_mib(L["import_rss_kib"])), "", "", "", None)
        row(sec, "larkgen generate on the imported specs (%s lines out): wall / CPU / peak RSS" % "{:,}".format(lines),
            "%s / %s / %s" % (fmt_s(L["generate_s"]), fmt_s(L["generate_cpu_s"]), fmt_mib(L["generate_rss_kib"])),
            "", "", "", None)
        row(sec, "larkgen import + generate, whole corpus: wall", fmt_s(L["total_s"]), "", "",
            "", None)
    else:
        res["larkgen"] = "not measured: `larkgen import --help` failed (no import subcommand yet)"
        log("corpus: `larkgen import --help` fails: larkgen has no `import` subcommand yet; import not measured, "
            "generate measured on the repository's spec/ instead")
        row(sec, "larkgen import + generate on the corpus: not measured (no `larkgen import` yet)", "", "", "", "", None)
    # Meanwhile (and for reference): generate on the repository's own spec/.
    out = os.path.join(work, "larkgen-repo-spec")
    gen = [timed([larkgen, "generate", "--out", out]) for _ in range(runs)]
    own = {"generate_s": median([w for w, _, _ in gen]) - overhead, "generate_rss_kib": max(r for _, r, _ in gen),
           "generate_cpu_s": median([c for _, _, c in gen]), "lines": generated_lines(out), "runs": gen}
    res["larkgen_repo_spec"] = own
    nservices = len([f for f in os.listdir(out) if f.endswith(".rs") and f not in ("lib.rs", "platform.rs")])
    row(sec, "larkgen generate, the repository's spec/ (%d services, %s lines out): wall / CPU / peak RSS" % (
        nservices, "{:,}".format(own["lines"])), "%s / %s / %s" % (fmt_s(own["generate_s"]), fmt_s(own["generate_cpu_s"]),
                                                  fmt_mib(own["generate_rss_kib"])), "", "", "", None)

    # progenitor: every corpus file, once, to sort accepted from refused.
    pg = os.path.join(REL, "progenitor-gen")
    pdir = os.path.join(work, "progenitor")
    os.makedirs(pdir)
    accepted, refused = [], {}
    for f in files:
        name = os.path.splitext(os.path.basename(f))[0]
        r = run([pg, f, os.path.join(pdir, name + ".rs")], check=False)
        if r.returncode == 0:
            accepted.append(f)
        else:
            refused.setdefault(refusal_reason(r.stderr), []).append(name)
    groups = sorted(refused.items(), key=lambda kv: (-len(kv[1]), kv[0]))
    res["progenitor"] = {"accepted": [os.path.basename(f) for f in accepted],
                         "refused": {k: v for k, v in groups}}
    accepted_ops = count_operations(accepted) if accepted else 0
    res["progenitor"]["accepted_operations"] = accepted_ops
    log("corpus: progenitor accepts %d of %d files (%s operations), refuses %d" % (
        len(accepted), len(files), accepted_ops, len(files) - len(accepted)))
    for reason, names in groups:
        log("  refused (%d): %s: %s" % (len(names), reason, ", ".join(names)))
    row(sec, "progenitor 0.15: files accepted / refused", "", "%d / %d of %d%s" % (
        len(accepted), len(files) - len(accepted), len(files),
        " (%s of %s operations accepted)" % (accepted_ops, ops) if ops else ""), "", "", None)
    for reason, names in groups:
        row(sec, "progenitor refuses %d: %s" % (len(names), reason[:160]), "",
            ", ".join(names) if len(names) <= 6 else ", ".join(names[:6]) + ", …", "", "", None)
    if accepted:
        # Each accepted file in its own process, as `cargo progenitor` would; rounds of all of them.
        for f in accepted:  # warm the page cache
            timed([pg, f, os.path.join(pdir, "warm.rs")])
        rounds = []
        for _ in range(runs):
            rounds.append([timed([pg, f, os.path.join(pdir, os.path.splitext(os.path.basename(f))[0] + ".rs")]) for f in accepted])
        totals = [sum(w - overhead for w, _, _ in rd) for rd in rounds]
        cpus = [sum(c for _, _, c in rd) for rd in rounds]
        peak = max(r for rd in rounds for _, r, _ in rd)
        lines = sum(count_lines(os.path.join(pdir, os.path.splitext(os.path.basename(f))[0] + ".rs")) for f in accepted)
        res["progenitor"].update({"total_s": median(totals), "cpu_s": median(cpus), "peak_rss_kib": peak,
                                  "lines": lines, "round_totals": totals})
        row(sec, "progenitor on the %d accepted files (one process each): wall / CPU / max peak RSS" % len(accepted),
            "", "%s / %s / %s" % (fmt_s(median(totals)), fmt_s(median(cpus)), fmt_mib(peak)), "", "", None)
        row(sec, "generated lines, progenitor's accepted files", "", "{:,}".format(lines), "", "", None)
        if isinstance(res["larkgen"], dict):
            L = res["larkgen"]
            speed = median(totals) / L["total_s"]
            row(sec, "wall: larkgen import + generate (all %d files) vs progenitor (its %d accepted)" % (len(files), len(accepted)),
                fmt_s(L["total_s"]), fmt_s(median(totals)),
                "%.2f× faster" % speed if speed >= 1 else "%.2f× slower" % (1 / speed), "", None)


def refusal_reason(stderr):
    """The first line of why progenitor-gen refused a file: progenitor's error, or the panic
    message (YAML → openapiv3 parse errors), without file positions."""
    lines = [l.strip() for l in stderr.splitlines() if l.strip()]
    for i, l in enumerate(lines):
        if l.startswith("thread '") and "panicked at" in l:
            msg = lines[i + 1] if i + 1 < len(lines) else l
            break
    else:
        msg = lines[0] if lines else "(no message)"
    msg = re.sub(r"\s+at line \d+ column \d+", "", msg)
    return msg


# ------------------------------------------------------------------------------- table
def loadavg():
    try:
        return " ".join(open("/proc/loadavg").read().split()[:3])
    except OSError:
        return "?"


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


def commit():
    """The commit measured: $BENCH_COMMIT (for a `git archive` snapshot), else git's HEAD,
    marked `-dirty` when the measured sources differ from it."""
    if os.environ.get("BENCH_COMMIT"):
        return os.environ["BENCH_COMMIT"]
    r = run(["git", "rev-parse", "--short", "HEAD"], check=False)
    if r.returncode != 0:
        return "unknown"
    dirty = run(["git", "status", "--porcelain", "--", "runtime", "codegen", "generated", "spec", "Cargo.lock"],
                check=False).stdout.strip()
    return r.stdout.strip() + ("-dirty" if dirty else "")


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
