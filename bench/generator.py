"""Sections `gen`, `alloc` and `phases`: the generator against progenitor, the CLI's allocator,
where the generator's time goes."""
import os
import shutil

from common import (
    HERE, OUT, REL, RESULTS, ROOT, TARGET, cases, fmt_mib, fmt_s, gen_dirs, log, median, prun, row,
    run, timed, write,
)


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
