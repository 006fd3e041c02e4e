//! Rate limits in Redis, shared by every process of an app.

use std::fmt;
use std::hash::{BuildHasher, Hasher};
use std::sync::atomic::{AtomicU64, Ordering};
use std::sync::{Arc, LazyLock};
use std::time::Duration;

use futures_util::future::BoxFuture;
use redis::aio::ConnectionManager;
use tokio::time::Instant;

use super::{DEFAULT_PREFIX, Guard, millis};
use crate::endpoint::Limits;
use crate::limit::{DEFAULT_MARGIN, RateLimiter, Slot, windows};

/// A [`RateLimiter`] in Redis: the guarantee of [`InProcessLimiter`](crate::InProcessLimiter)
/// — at most `L` requests *arrive at Lark* in any window of length `T`, whatever the network
/// delays — over every process that uses the same Redis and prefix.
///
/// Per key, a sorted set logs the requests let go: while a request is in flight its score is
/// the end of its *lease*, then the time its answer came. A script run atomically by Redis
/// (`acquire.lua`) gives a slot only if, for each window, fewer than `L` of those times are
/// later than `now − T − margin`, and otherwise says how long until one is not. Times are
/// Redis's own (`TIME`).
///
/// The lease bounds how long a request counts as in flight when its process dies before it
/// can say the request completed (crash, kill): the key frees up a lease later instead of
/// never. It should exceed the longest a request waits for its answer's headers (the
/// client's timeouts); the default is one minute.
///
/// Failures of Redis let the request go (see the [module docs](super)).
#[derive(Clone)]
pub struct RedisRateLimiter {
    connection: ConnectionManager,
    prefix: String,
    margin: Duration,
    lease: Duration,
    /// Names this limiter's requests in the logs: `<instance>:<counter>`.
    instance: Arc<str>,
    counter: Arc<AtomicU64>,
    guard: Guard,
}

/// How often a caller looks again while the slot it waits for is held by a request in flight.
const POLL: Duration = Duration::from_millis(20);

const DEFAULT_LEASE: Duration = Duration::from_secs(60);

/// Takes a slot if every window allows it (see `acquire.lua`).
static ACQUIRE: LazyLock<redis::Script> = LazyLock::new(|| redis::Script::new(include_str!("acquire.lua")));

/// Records when a request completed (only if its entry is still there).
static RELEASE: LazyLock<redis::Script> = LazyLock::new(|| {
    redis::Script::new(
        r"
local t = redis.call('TIME')
local now = tonumber(t[1]) * 1000 + math.floor(tonumber(t[2]) / 1000)
return redis.call('ZADD', KEYS[1], 'XX', now, ARGV[1])
",
    )
});

/// Pauses a key for `ARGV[1]` ms unless it is paused for longer already.
static PAUSE: LazyLock<redis::Script> = LazyLock::new(|| {
    redis::Script::new(
        r"
if redis.call('PTTL', KEYS[1]) < tonumber(ARGV[1]) then
  redis.call('SET', KEYS[1], '1', 'PX', ARGV[1])
end
return 0
",
    )
});

impl RedisRateLimiter {
    /// A limiter on `connection`, with keys under [`DEFAULT_PREFIX`], the in-process
    /// limiter's 10 ms margin and a one-minute lease.
    pub fn new(connection: ConnectionManager) -> Self {
        let instance = format!("{:016x}", std::collections::hash_map::RandomState::new().build_hasher().finish());
        Self {
            connection,
            prefix: DEFAULT_PREFIX.to_owned(),
            margin: DEFAULT_MARGIN,
            lease: DEFAULT_LEASE,
            instance: instance.into(),
            counter: Arc::new(AtomicU64::new(0)),
            guard: Guard::new(),
        }
    }

    /// Keys start with `prefix` (every process sharing limits must use the same one).
    pub fn with_prefix(mut self, prefix: impl Into<String>) -> Self {
        self.prefix = prefix.into();
        self
    }

    /// Every window is `margin` longer than documented (see
    /// [`InProcessLimiter::with_margin`](crate::InProcessLimiter::with_margin)).
    pub fn with_margin(mut self, margin: Duration) -> Self {
        self.margin = margin;
        self
    }

    /// How long a request counts as in flight at most (see the type's docs).
    pub fn with_lease(mut self, lease: Duration) -> Self {
        self.lease = lease.max(Duration::from_millis(1));
        self
    }

    // The key in braces (a Redis Cluster hash tag): a script's two keys share a slot.
    fn log_key(&self, key: &str) -> String {
        format!("{}limit:{{{key}}}", self.prefix)
    }

    fn pause_key(&self, key: &str) -> String {
        format!("{}limit:{{{key}}}:pause", self.prefix)
    }

    /// One try: `Some(None)` when the slot was taken, `Some(Some((wait, exact)))` when not,
    /// `None` when Redis failed.
    async fn try_acquire(&self, key: &str, member: &str, limits: Limits) -> Option<Option<(Duration, bool)>> {
        let mut invocation = ACQUIRE.prepare_invoke();
        invocation.key(self.log_key(key)).key(self.pause_key(key));
        // The margin may be 0 (`millis` rounds up to 1 ms for `PX`).
        let margin = u64::try_from(self.margin.as_millis()).unwrap_or(u64::MAX);
        invocation.arg(member).arg(millis(self.lease)).arg(margin);
        for (window, limit) in windows(limits) {
            invocation.arg(millis(window)).arg(limit);
        }
        let mut connection = self.connection.clone();
        let answer = invocation.invoke_async::<(i64, i64, i64)>(&mut connection);
        let (taken, wait, exact) = self.guard.run("rate limiter", "acquire", answer).await?;
        Some((taken == 0).then(|| (Duration::from_millis(u64::try_from(wait).unwrap_or(0).max(1)), exact == 1)))
    }

    /// A slot whose drop records, in the background, when its request completed.
    fn slot(&self, key: &str, member: String, waited: Duration) -> Slot {
        let this = self.clone();
        let log = self.log_key(key);
        Slot::with_release(waited, move || this.in_background("release", &RELEASE, log, member))
    }

    /// Runs `script` on `key` with `arg` without waiting for it (from `Drop` and other sync
    /// code). Without a tokio runtime (shutting down) nothing runs: a release is then done by
    /// the lease, a pause by the server's next 429.
    fn in_background(
        &self,
        operation: &'static str,
        script: &'static redis::Script,
        key: String,
        arg: impl redis::ToRedisArgs + Send + 'static,
    ) {
        let Ok(runtime) = tokio::runtime::Handle::try_current() else { return };
        let (mut connection, guard) = (self.connection.clone(), self.guard.clone());
        runtime.spawn(async move {
            let mut invocation = script.prepare_invoke();
            invocation.key(key).arg(arg);
            guard.run("rate limiter", operation, invocation.invoke_async::<i64>(&mut connection)).await;
        });
    }
}

impl fmt::Debug for RedisRateLimiter {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        // Not the connection: its URL may hold a password.
        f.debug_struct("RedisRateLimiter")
            .field("prefix", &self.prefix)
            .field("margin", &self.margin)
            .field("lease", &self.lease)
            .finish_non_exhaustive()
    }
}

impl RateLimiter for RedisRateLimiter {
    fn acquire<'a>(
        &'a self,
        key: &'a str,
        limits: Limits,
        max_wait: Option<Duration>,
    ) -> BoxFuture<'a, Result<Slot, Duration>> {
        Box::pin(async move {
            let start = Instant::now();
            if windows(limits).next().is_none() {
                return Ok(Slot::new(Duration::ZERO));
            }
            let member = format!("{}:{}", self.instance, self.counter.fetch_add(1, Ordering::Relaxed));
            loop {
                let (wait, exact) = match self.try_acquire(key, &member, limits).await {
                    Some(None) => return Ok(self.slot(key, member, start.elapsed())),
                    Some(Some(wait)) => wait,
                    // Redis failed: the request goes unlimited (see the module docs).
                    None => return Ok(Slot::new(start.elapsed())),
                };
                let left = max_wait.map(|m| m.saturating_sub(start.elapsed()));
                // An exact wait beyond the bound fails now; a wait on a request in flight is
                // only an upper estimate, so the caller looks again until its bound is spent.
                match left {
                    Some(left) if (exact && wait > left) || left.is_zero() => return Err(wait),
                    _ => {}
                }
                let nap = if exact { wait } else { wait.min(POLL) };
                tokio::time::sleep(left.map_or(nap, |l| nap.min(l))).await;
            }
        })
    }

    fn server_throttled(&self, key: &str, pause: Duration) {
        self.in_background("pause", &PAUSE, self.pause_key(key), millis(pause));
    }
}
