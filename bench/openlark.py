"""Section `openlark`: cold builds of an IM app and a `cargo check` of everything, larkgen vs
openlark 0.21 from crates.io, and the HTTP stack alone (the IM app's floor)."""
import json
import os
import re
import shutil
import subprocess
import time

from common import (
    HERE, NOT_INCREMENTAL, RESULTS, ROOT, TARGET, fmt_mib, fmt_s, loadavg, log, median, row, run,
)


# ------------------------------------------------------------------- openlark (crates.io)
# Two tiny binary crates, each its own workspace with a committed lockfile, that send one
# text message to a chat (the chat id from argv): bench/apps/larkgen-im (lark-client by path)
# and bench/apps/openlark-im (openlark 0.21 from crates.io, feature `communication`).
APPS = os.path.join(HERE, "apps")
APP_TARGET = os.path.join(TARGET, "apps")
OPENLARK_ALL = "full"  # openlark's everything feature (not all 33: no pay, bot, docs-full, websocket)

# Every build here runs with NOT_INCREMENTAL, on all three sides: bench/apps/larkgen-im reaches
# lark-client, its service crates and the runtime by path, openlark-im reaches openlark from
# crates.io. Left to the default, only larkgen's side would write incremental state, which an
# app taking its SDK from a registry or git never does (BENCHMARKS.md, "Against openlark", has
# both figures). Off for all, each SDK is compiled as such a dependency is; the apps' own
# main.rs, the one local crate both sides have, is a few lines.


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
        return (dep.get("package"), dep.get("version"), sorted(dep.get("features", [])),
                dep.get("default-features", True))
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
    e.update(NOT_INCREMENTAL)
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
            "cmd": " ".join(["%s=%s" % kv for kv in NOT_INCREMENTAL.items()] + cmd), "compiled": names, "slowest_units": units}


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
    sec = "Cold build vs openlark 0.21 (crates.io; deps fetched, offline, fresh target dir, incremental off)"
    for sub, what, profile in steps:
        key = "%s-%s-%s" % (sub, what, profile)
        load = loadavg()
        log("openlark: cold `cargo %s` (%s), %s, %d pair(s), load average %s" % (sub, profile, what, pairs, load))
        try:
            # Release too gets two pairs in `full` mode, though it is the costliest step (≈ 2×
            # debug): one pair was seen to land 0.10× off when the VM slowed down for one build.
            r = res[key] = cold_pairs(sub, what, profile, pairs)
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
