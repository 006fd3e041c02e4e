//! Backends shared by every process of an app (cargo feature `redis`).
//!
//! Lark counts rate limits per app and endpoint, and an app has one tenant access token at a
//! time, whichever of its processes asks. Several instances of a service (replicas, workers,
//! cron jobs) each with the in-process defaults would each allow the full documented rate —
//! together several times over the limit — and each fetch their own token. These backends
//! keep both in Redis instead:
//!
//! - [`RedisTokenCache`]: the [`TokenCache`](crate::TokenCache) in Redis (`SET … PX`),
//! - [`RedisRateLimiter`]: the [`RateLimiter`](crate::RateLimiter) with the same guarantee as
//!   [`InProcessLimiter`](crate::InProcessLimiter), over every process using the same Redis.
//!
//! ```no_run
//! # async fn demo() -> Result<(), Box<dyn std::error::Error>> {
//! use std::sync::Arc;
//! use larkgen_runtime::{Client, Platform, RedisRateLimiter, RedisTokenCache};
//! # let platform: &'static Platform = unimplemented!();
//! let redis = larkgen_runtime::redis::Client::open("redis://127.0.0.1/")?;
//! let connection = redis.get_connection_manager().await?;
//! let client = Client::builder(platform)
//!     .app_credentials("cli_a1b2c3", "app-secret")
//!     .token_cache(Arc::new(RedisTokenCache::new(connection.clone())))
//!     .rate_limiter(Arc::new(RedisRateLimiter::new(connection)))
//!     .build()?;
//! # Ok(()) }
//! ```
//!
//! **When Redis fails** (down, an error, no answer within a second) both fail *open*, with
//! a `warn` trace event: the token cache answers from the tokens this process stored (the
//! client fetches one itself the first time) and the limiter lets the request go (the
//! server's own limit and 429 handling remain). After a failure Redis is left alone for a
//! second, so that calls do not each wait for a timeout during an outage. A limiter that blocked every call of every instance while
//! Redis is down would turn a cache outage into an outage of the app.
//!
//! Times come from the Redis server (`TIME`), so the processes' clocks need not agree.

mod limiter;
mod token_cache;

use std::sync::Arc;
use std::sync::atomic::{AtomicU64, Ordering};
use std::time::Duration;

use tokio::time::Instant;

pub use limiter::RedisRateLimiter;
pub use token_cache::RedisTokenCache;

/// Key prefix of both backends unless set otherwise.
pub const DEFAULT_PREFIX: &str = "larkgen:";

/// A duration in whole milliseconds, as Redis takes them (at least 1: `PX 0` is an error).
fn millis(d: Duration) -> u64 {
    u64::try_from(d.as_millis()).unwrap_or(u64::MAX).max(1)
}

/// How long one Redis command may take before it counts as failed.
const DEFAULT_TIMEOUT: Duration = Duration::from_secs(1);
/// After a failure, Redis is left alone this long: calls go on without it at once instead of
/// each waiting for its own timeout while Redis is down.
const COOL_DOWN: Duration = Duration::from_secs(1);

/// Runs the backends' Redis commands with a timeout, and skips Redis for a while after a
/// failure (fail open, see the module docs).
#[derive(Clone, Debug)]
struct Guard {
    timeout: Duration,
    /// Milliseconds after `epoch` before which Redis is not asked (0: ask).
    skip_until: Arc<AtomicU64>,
    epoch: Instant,
}

impl Guard {
    fn new() -> Self {
        Self { timeout: DEFAULT_TIMEOUT, skip_until: Arc::new(AtomicU64::new(0)), epoch: Instant::now() }
    }

    fn now_ms(&self) -> u64 {
        u64::try_from(self.epoch.elapsed().as_millis()).unwrap_or(u64::MAX)
    }

    /// The command's result, or `None` (logged once per failure) when Redis failed, timed
    /// out or is being left alone. `backend` and `operation` name it in the log, never its
    /// arguments (they may hold tokens).
    async fn run<T>(
        &self,
        backend: &'static str,
        operation: &'static str,
        command: impl Future<Output = redis::RedisResult<T>>,
    ) -> Option<T> {
        if self.now_ms() < self.skip_until.load(Ordering::Relaxed) {
            return None;
        }
        let failure = match tokio::time::timeout(self.timeout, command).await {
            Ok(Ok(value)) => return Some(value),
            Ok(Err(e)) => format!("{:?}", e.kind()),
            Err(_) => format!("no answer within {:?}", self.timeout),
        };
        self.skip_until.store(self.now_ms().saturating_add(millis(COOL_DOWN)), Ordering::Relaxed);
        tracing::warn!(backend, operation, failure, ?COOL_DOWN, "Redis unavailable; going on without it");
        None
    }
}
