//! The client-side rate limiter (feature `limiter`): achieved rate under saturation, as seen
//! by the server, and the limiter's cost per call.

#[cfg(not(feature = "limiter"))]
use crate::Args;

#[cfg(not(feature = "limiter"))]
pub fn saturate(_: &Args) -> String {
    r#"{"bench":"limiter","missing":"larkgen-runtime has no client-side rate limiter (build with --features limiter once it does)"}"#.into()
}

#[cfg(not(feature = "limiter"))]
pub fn cost(_: &Args) -> String {
    saturate(&Args::empty())
}

#[cfg(not(feature = "limiter"))]
impl Args {
    fn empty() -> Self {
        Args { positional: Vec::new(), named: Default::default() }
    }
}

#[cfg(feature = "limiter")]
pub use imp::{cost, never_full, saturate};

#[cfg(feature = "limiter")]
mod imp {
    use std::sync::Arc;
    use std::time::{Duration, Instant};

    use futures_util::future::BoxFuture;
    use larkgen_runtime::{InProcessLimiter, Limits, RateLimiter, RedisRateLimiter, Slot};

    use crate::clients::server_url;
    use crate::{Args, alloc, runtime};

    /// `--tasks` tasks call `entity.get` (documented 50/s and 1000/min) in a loop for
    /// `--seconds` through a client with default settings (limiter on, `Wait`). The server
    /// records arrival times. Reported: the sustained rate (least-squares slope of arrivals
    /// over time) against the per-second limit, and the most arrivals in any sliding 1 s and
    /// 60 s window (must not exceed 50 and 1000).
    pub fn saturate(args: &Args) -> String {
        let seconds: f64 = args.num("seconds", 15.0);
        let tasks: usize = args.num("tasks", 16);
        let (_server, url) = server_url(args);
        runtime().block_on(async move {
            let mut builder = lark_client::builder().base_url(&url).app_credentials("cli_bench", "bench-secret");
            if let Some(limiter) = redis_limiter(args).await {
                builder = builder.rate_limiter(Arc::new(limiter));
            }
            let client = builder.build().expect("client");
            let baike = lark_client::baike_v1::Client::new(client);
            let probe = reqwest::Client::new();
            let arrivals_url = format!("{url}/__arrivals");
            probe.get(&arrivals_url).send().await.expect("reset").bytes().await.expect("reset body");
            let deadline = Instant::now() + Duration::from_secs_f64(seconds);
            let mut set = tokio::task::JoinSet::new();
            for _ in 0..tasks {
                let baike = baike.clone();
                set.spawn(async move {
                    let mut n = 0u64;
                    while Instant::now() < deadline {
                        baike.entity().get("rl_1").send().await.expect("limited call");
                        n += 1;
                    }
                    n
                });
            }
            let mut calls = 0;
            while let Some(n) = set.join_next().await {
                calls += n.expect("task");
            }
            let micros: Vec<u64> =
                probe.get(&arrivals_url).send().await.expect("arrivals").json().await.expect("arrivals json");
            let t: Vec<f64> = micros.iter().map(|m| *m as f64 / 1e6).collect();
            let (per_s, per_min) = (50.0, 1000.0);
            let rate = slope(&t);
            serde_json::json!({
                "bench": "limiter", "seconds": seconds, "tasks": tasks, "calls": calls, "arrivals": t.len(),
                "limit_per_s": per_s, "limit_per_min": per_min,
                "sustained_per_s": rate, "ratio": rate / per_s,
                "max_in_1s": max_in_window(&t, 1.0), "max_in_60s": max_in_window(&t, 60.0),
                "in_first_60s": t.iter().filter(|x| **x < 60.0).count(),
            })
            .to_string()
        })
    }

    /// Least-squares slope of the cumulative arrival count over time (arrivals per second).
    fn slope(t: &[f64]) -> f64 {
        let n = t.len() as f64;
        let mean_t = t.iter().sum::<f64>() / n;
        let mean_k = (n - 1.0) / 2.0;
        let (mut num, mut den) = (0.0, 0.0);
        for (k, ti) in t.iter().enumerate() {
            num += (ti - mean_t) * (k as f64 - mean_k);
            den += (ti - mean_t) * (ti - mean_t);
        }
        num / den
    }

    /// Most arrivals in any half-open window `[x, x + w)`.
    fn max_in_window(t: &[f64], w: f64) -> usize {
        let (mut best, mut start) = (0, 0);
        for end in 0..t.len() {
            while t[end] - t[start] >= w {
                start += 1;
            }
            best = best.max(end - start + 1);
        }
        best
    }

    /// The endpoint's limits replaced by limits never reached: every slot is free, so the
    /// measured cost is the limiter's bookkeeping (key, lock, logs, boxed future), not waiting.
    #[derive(Debug)]
    pub struct NeverFull(pub InProcessLimiter);

    pub const HUGE: Limits = Limits { per_second: Some(u32::MAX), per_minute: Some(u32::MAX) };

    impl RateLimiter for NeverFull {
        fn acquire<'a>(
            &'a self,
            key: &'a str,
            _limits: Limits,
            max_wait: Option<Duration>,
        ) -> BoxFuture<'a, Result<Slot, Duration>> {
            self.0.acquire(key, HUGE, max_wait)
        }
    }

    pub fn never_full() -> Arc<dyn RateLimiter> {
        Arc::new(NeverFull(InProcessLimiter::new()))
    }

    /// `InProcessLimiter::acquire` alone, slot always free, key formatted per call as the
    /// client does: ns and allocations per call. Runs `--calls` calls or `--seconds`,
    /// whichever ends first.
    /// With `--redis URL`: a `RedisRateLimiter` on that server (a fresh key prefix per run)
    /// instead of the client's default in-process limiter.
    async fn redis_limiter(args: &Args) -> Option<RedisRateLimiter> {
        let url = args.str_or("redis", "");
        if url.is_empty() {
            return None;
        }
        let client = larkgen_runtime::redis::Client::open(url.as_str()).expect("redis URL");
        let connection = client.get_connection_manager().await.expect("Redis answers");
        let run = std::time::SystemTime::now().duration_since(std::time::UNIX_EPOCH).expect("clock").as_nanos();
        Some(RedisRateLimiter::new(connection).with_prefix(format!("larkbench:{run}:")))
    }

    pub fn cost(args: &Args) -> String {
        let calls: u64 = args.num("calls", 1_000_000);
        let seconds: f64 = args.num("seconds", 2.0);
        runtime().block_on(async move {
            let limiter: Arc<dyn RateLimiter> = match redis_limiter(args).await {
                Some(redis) => Arc::new(redis),
                None => Arc::new(InProcessLimiter::new()),
            };
            let app = String::from("cli_bench");
            for _ in 0..100 {
                let key = format!("{}:{}:{}", app, "baike.v1", "entity.get");
                limiter.acquire(&key, HUGE, None).await.expect("free slot");
            }
            let (a0, _) = alloc::snapshot();
            let start = Instant::now();
            let budget = Duration::from_secs_f64(seconds);
            let mut done = 0u64;
            let mut waited = Duration::ZERO;
            while done < calls && start.elapsed() < budget {
                for _ in 0..100 {
                    let key = format!("{}:{}:{}", app, "baike.v1", "entity.get");
                    // The slot is dropped at once: the "request" completed.
                    waited += limiter.acquire(&key, HUGE, None).await.expect("free slot").waited();
                }
                done += 100;
            }
            let elapsed = start.elapsed();
            let (a1, _) = alloc::snapshot();
            serde_json::json!({
                "bench": "limiter-cost", "calls": done,
                "ns_per_call": elapsed.as_nanos() as f64 / done as f64,
                "reported_wait_ns_per_call": waited.as_nanos() as f64 / done as f64,
                "allocs_per_call": (a1 - a0) as f64 / done as f64,
            })
            .to_string()
        })
    }
}
