"""Sections `json` (with decoding alone), `download`, `upload` and `limiter`: the runtime against
hand-written reqwest code, over loopback."""
import os
import shutil
import subprocess
import tempfile
import time

from common import MIB, OUT, REL, RESULTS, fmt_mib, jrun, median, pin, row


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
