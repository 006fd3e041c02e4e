"""Section `corpus`: larkgen import + generate and progenitor on the Lark OpenAPI corpus."""
import os
import re
import shutil

from common import (
    OUT, REL, RESULTS, ROOT, count_lines, fmt_mib, fmt_s, log, median, row, run, timed,
)
from generator import measure_overhead


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
