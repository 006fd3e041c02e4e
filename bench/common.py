"""What every section of bench.py uses: paths, running and timing commands, medians, the
results and rows every section adds to, the bench programs' build and the shared inputs."""
import json
import os
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
# The environment of every timed cargo build. Cargo compiles the crates of the build's
# workspace and its path dependencies incrementally in debug, never crates from a registry or
# git; the bench builds larkgen's crates by path, which no published dependency would be, and
# the incremental state it would write is not what is measured.
NOT_INCREMENTAL = {"CARGO_INCREMENTAL": "0"}

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


def loadavg():
    try:
        return " ".join(open("/proc/loadavg").read().split()[:3])
    except OSError:
        return "?"


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


def write(path, text):
    """Writes `text` to `path` (making its folder) unless the file already holds it, so cargo
    sees no change."""
    os.makedirs(os.path.dirname(path), exist_ok=True)
    if not os.path.exists(path) or open(path, encoding="utf-8").read() != text:
        with open(path, "w", encoding="utf-8") as f:
            f.write(text)


def count_lines(path):
    """Lines of a file, or of the `.rs` files directly in a folder."""
    if os.path.isdir(path):
        return sum(count_lines(os.path.join(path, f)) for f in os.listdir(path) if f.endswith(".rs"))
    with open(path, encoding="utf-8") as f:
        return sum(1 for _ in f)
