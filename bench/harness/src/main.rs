//! `larkbench`: the measuring programs behind bench/run.sh. Every client command prints
//! one JSON object on stdout; bench/bench.py runs them, repeats them and makes the table.
//!
//! ```text
//! larkbench serve                                   loopback Lark server; prints "PORT <n>"
//! larkbench json     --url U --mode gen|raw --seconds S
//! larkbench decode   --mode gen|raw                 (no server: decoding alone)
//! larkbench download --url U --mode gen|raw --bytes N --dir D
//! larkbench upload   --url U --mode gen|raw --file F --repeat R
//! larkbench limiter  --url U --seconds S --tasks T  (feature `limiter`)
//! larkbench limiter-cost --calls N                  (feature `limiter`)
//! ```
//!
//! larkgen's own phases are measured by the `larkgen-phases` program (src/bin), which uses
//! the CLI's allocator.
//!
//! The server runs in its own process, so the client's allocation counts and peak RSS
//! are the client's alone.

mod alloc;
mod clients;
mod decode;
mod limiter;
mod server;
mod transfer;

use std::collections::HashMap;

#[global_allocator]
static ALLOC: alloc::Counting = alloc::Counting;

/// `--key value` options after the command.
pub struct Args {
    pub positional: Vec<String>,
    named: HashMap<String, String>,
}

impl Args {
    fn parse(raw: impl Iterator<Item = String>) -> Self {
        let mut positional = Vec::new();
        let mut named = HashMap::new();
        let mut raw = raw.peekable();
        while let Some(a) = raw.next() {
            if let Some(key) = a.strip_prefix("--") {
                let value = raw.next_if(|v| !v.starts_with("--")).unwrap_or_else(|| "true".into());
                named.insert(key.to_owned(), value);
            } else {
                positional.push(a);
            }
        }
        Self { positional, named }
    }

    pub fn str(&self, key: &str) -> String {
        self.named.get(key).cloned().unwrap_or_else(|| panic!("missing --{key}"))
    }

    pub fn str_or(&self, key: &str, default: &str) -> String {
        self.named.get(key).cloned().unwrap_or_else(|| default.to_owned())
    }

    pub fn num<T: std::str::FromStr>(&self, key: &str, default: T) -> T {
        self.named.get(key).map(|v| v.parse().unwrap_or_else(|_| panic!("bad --{key}"))).unwrap_or(default)
    }

    pub fn mode(&self) -> Mode {
        match self.str("mode").as_str() {
            "gen" => Mode::Generated,
            "raw" => Mode::Raw,
            "gen-limiter" => Mode::GeneratedLimiter,
            other => panic!("--mode gen|raw, not {other}"),
        }
    }
}

/// Which client does the work.
#[derive(Clone, Copy, PartialEq, Eq, Debug)]
pub enum Mode {
    /// The generated `lark_client` on larkgen-runtime.
    Generated,
    /// Hand-written reqwest code doing the same work.
    Raw,
    /// The generated client with its rate limiter on, but limits never reached (JSON only).
    GeneratedLimiter,
}

impl Mode {
    pub fn name(self) -> &'static str {
        match self {
            Mode::Generated => "gen",
            Mode::Raw => "raw",
            Mode::GeneratedLimiter => "gen-limiter",
        }
    }
}

/// Peak resident set size of this process so far (`VmHWM`), in KiB.
pub fn peak_rss_kib() -> u64 {
    let status = std::fs::read_to_string("/proc/self/status").unwrap_or_default();
    status
        .lines()
        .find_map(|l| l.strip_prefix("VmHWM:"))
        .and_then(|v| v.trim().trim_end_matches("kB").trim().parse().ok())
        .unwrap_or(0)
}

/// User + system CPU time of this process, in seconds.
pub fn cpu_seconds() -> f64 {
    // SAFETY: getrusage only writes into the struct we pass.
    let mut usage: libc::rusage = unsafe { std::mem::zeroed() };
    unsafe { libc::getrusage(libc::RUSAGE_SELF, &mut usage) };
    let tv = |t: libc::timeval| t.tv_sec as f64 + t.tv_usec as f64 / 1e6;
    tv(usage.ru_utime) + tv(usage.ru_stime)
}

/// A current-thread tokio runtime: the client's work is on one thread, easy to account for.
pub fn runtime() -> tokio::runtime::Runtime {
    tokio::runtime::Builder::new_current_thread().enable_all().build().expect("tokio runtime")
}

fn main() {
    let mut argv = std::env::args().skip(1);
    let command = argv.next().unwrap_or_default();
    let args = Args::parse(argv);
    let out = match command.as_str() {
        "serve" => {
            server::serve(args.num("port", 0u16));
            return;
        }
        "json" => clients::json_bench(&args),
        "decode" => decode::decode(&args),
        "download" => transfer::download(&args),
        "upload" => transfer::upload(&args),
        "limiter" => limiter::saturate(&args),
        "limiter-cost" => limiter::cost(&args),
        _ => {
            eprintln!("usage: larkbench serve|json|decode|download|upload|limiter|limiter-cost …");
            std::process::exit(2);
        }
    };
    println!("{out}");
}
