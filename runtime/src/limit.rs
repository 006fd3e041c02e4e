//! Client-side rate limiting from the documented limits of each endpoint.
//!
//! Every call takes a slot from a [`RateLimiter`] before each attempt is sent. Slots are keyed
//! per app and endpoint (`"<app_id>:<service>:<endpoint>"`, e.g.
//! `cli_a1b2:baike.v1:entity.get`), because Lark counts limits per API and per app. Both
//! documented windows (per second and per minute) are enforced.
//!
//! The default [`InProcessLimiter`] is an exact sliding-window log: for each window of length
//! `T` and limit `L` it remembers the last `L` slots it gave out and hands out the next one only
//! once the oldest of them is `T + margin` old. So in **any** window of length `T + margin` at
//! most `L` requests leave the client, and as long as the network delays two requests by
//! amounts that differ by less than `margin` (50 ms by default), at most `L` arrive at the server
//! in any window of length `T`. Bursts up to the limit go out at once, and the sustained rate
//! is `L / (T + margin)`: 95% of a per-second limit, 99.9% of a per-minute limit.
//!
//! `governor` was considered (see `docs/resilience.md`): one GCRA quota cannot express both
//! windows, and sizing two quotas so that `burst + rate·T ≤ limit` leaves either no burst or
//! well under 90% of the allowed throughput.

use std::collections::{HashMap, VecDeque};
use std::fmt;
use std::sync::Mutex;
use std::time::Duration;

use futures_util::future::BoxFuture;
use tokio::time::Instant;

use crate::endpoint::Limits;

/// How a call behaves when its endpoint's rate limit has no free slot.
///
/// The default is [`Wait`](RateLimitMode::Wait): the call waits for its slot (a call of an
/// endpoint limited to 100/min may thus wait up to a minute under load).
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
#[non_exhaustive]
pub enum RateLimitMode {
    /// Wait as long as needed for a slot.
    #[default]
    Wait,
    /// Wait at most this long; fail with [`Error::RateLimited`](crate::Error::RateLimited)
    /// (with `retry_after`) if no slot frees up in time.
    WaitUpTo(Duration),
    /// Never wait: fail with [`Error::RateLimited`](crate::Error::RateLimited) at once.
    FailFast,
    /// No client-side limiting (the server's 429s are still honoured).
    Off,
}

impl RateLimitMode {
    /// The longest wait this mode accepts (`None`: unbounded); `None` for `Off` too, which is
    /// checked separately.
    pub(crate) fn max_wait(self) -> Option<Duration> {
        match self {
            RateLimitMode::Wait | RateLimitMode::Off => None,
            RateLimitMode::WaitUpTo(d) => Some(d),
            RateLimitMode::FailFast => Some(Duration::ZERO),
        }
    }
}

/// A source of rate-limit slots, shared by every clone of a client and every task using it.
///
/// Implement it to share limits between processes (e.g. a GCRA script in Redis), and install
/// it with [`ClientBuilder::rate_limiter`](crate::ClientBuilder::rate_limiter); pass the same
/// `Arc` to several clients to make them share limits in one process.
pub trait RateLimiter: Send + Sync + fmt::Debug + 'static {
    /// Takes one slot for `key` under `limits`, waiting at most `max_wait` (`None`: as long as
    /// needed). Returns how long it waited, or — taking nothing — how long until a slot is
    /// expected to be free when that is longer than `max_wait`.
    ///
    /// `key` is `"<app_id>:<service>:<endpoint>"`; the same key always comes with the same
    /// limits. A window whose limit is `None` (or 0) is not limited.
    fn acquire<'a>(
        &'a self,
        key: &'a str,
        limits: Limits,
        max_wait: Option<Duration>,
    ) -> BoxFuture<'a, Result<Duration, Duration>>;
}

/// Default margin added to every window.
const DEFAULT_MARGIN: Duration = Duration::from_millis(50);

/// The in-process limiter: an exact sliding-window log per key and window (see the module docs).
///
/// Slots are handed out in order of arrival (a waiting call reserves its slot, later calls
/// queue behind it), and time is tokio's, so tests may run it on a paused clock. A call that
/// is cancelled while waiting leaves its reserved slot unused: the limiter errs on the safe side.
pub struct InProcessLimiter {
    margin: Duration,
    keys: Mutex<HashMap<String, Windows>>,
}

#[derive(Default)]
struct Windows {
    second: VecDeque<Instant>,
    minute: VecDeque<Instant>,
}

impl fmt::Debug for InProcessLimiter {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let keys = self.keys.lock().map(|k| k.len()).unwrap_or(0);
        f.debug_struct("InProcessLimiter").field("margin", &self.margin).field("keys", &keys).finish()
    }
}

impl Default for InProcessLimiter {
    fn default() -> Self {
        Self::new()
    }
}

impl InProcessLimiter {
    /// A limiter with the default 50 ms margin.
    pub fn new() -> Self {
        Self::with_margin(DEFAULT_MARGIN)
    }

    /// A limiter whose windows are each `margin` longer than documented: the tolerated
    /// difference in network delay between requests (more margin, less throughput).
    pub fn with_margin(margin: Duration) -> Self {
        Self { margin, keys: Mutex::new(HashMap::new()) }
    }

    /// Reserves the earliest slot, or says how far away it is when that is beyond `max_wait`.
    fn reserve(&self, key: &str, limits: Limits, max_wait: Option<Duration>) -> Result<Instant, Duration> {
        let now = Instant::now();
        let mut keys = self.keys.lock().unwrap_or_else(|poisoned| poisoned.into_inner());
        let windows = match keys.get_mut(key) {
            Some(w) => w,
            None => keys.entry(key.to_owned()).or_default(),
        };
        let rows = [
            (&mut windows.second, limits.per_second, Duration::from_secs(1)),
            (&mut windows.minute, limits.per_minute, Duration::from_secs(60)),
        ];
        let mut slot = now;
        let mut active = Vec::with_capacity(2);
        for (log, limit, window) in rows {
            let Some(limit) = limit.filter(|l| *l > 0).map(|l| l as usize) else { continue };
            let span = window + self.margin;
            // Slots older than one span no longer constrain anything at or after `now`.
            while log.front().is_some_and(|t| *t + span <= now) {
                log.pop_front();
            }
            if log.len() >= limit {
                slot = slot.max(log[log.len() - limit] + span);
            }
            if let Some(last) = log.back() {
                // First come, first served: never hand out a slot before one already reserved.
                slot = slot.max(*last);
            }
            active.push((log, limit));
        }
        let wait = slot - now;
        if max_wait.is_some_and(|max| wait > max) {
            return Err(wait);
        }
        for (log, limit) in active {
            log.push_back(slot);
            while log.len() > limit {
                log.pop_front();
            }
        }
        Ok(slot)
    }
}

impl RateLimiter for InProcessLimiter {
    fn acquire<'a>(
        &'a self,
        key: &'a str,
        limits: Limits,
        max_wait: Option<Duration>,
    ) -> BoxFuture<'a, Result<Duration, Duration>> {
        Box::pin(async move {
            let start = Instant::now();
            let slot = self.reserve(key, limits, max_wait)?;
            if slot > start {
                tokio::time::sleep_until(slot).await;
            }
            Ok(slot - start)
        })
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn limits(per_second: Option<u32>, per_minute: Option<u32>) -> Limits {
        Limits { per_second, per_minute }
    }

    /// Largest number of instants in any half-open window of length `window`.
    fn max_in_window(times: &[Instant], window: Duration) -> usize {
        let mut best = 0;
        let mut start = 0;
        for end in 0..times.len() {
            while times[end] - times[start] >= window {
                start += 1;
            }
            best = best.max(end - start + 1);
        }
        best
    }

    #[tokio::test(start_paused = true)]
    async fn a_burst_up_to_the_limit_goes_out_at_once_then_waits() {
        let limiter = InProcessLimiter::new();
        let l = limits(Some(5), None);
        for _ in 0..5 {
            assert_eq!(limiter.acquire("k", l, None).await, Ok(Duration::ZERO));
        }
        let waited = limiter.acquire("k", l, None).await.expect("waits");
        assert_eq!(waited, Duration::from_millis(1050));
    }

    #[tokio::test(start_paused = true)]
    async fn fail_fast_and_bounded_waits_take_nothing() {
        let limiter = InProcessLimiter::new();
        let l = limits(Some(2), Some(3));
        limiter.acquire("k", l, Some(Duration::ZERO)).await.expect("free");
        limiter.acquire("k", l, Some(Duration::ZERO)).await.expect("free");
        assert_eq!(limiter.acquire("k", l, Some(Duration::ZERO)).await, Err(Duration::from_millis(1050)));
        assert_eq!(limiter.acquire("k", l, Some(Duration::from_secs(1))).await, Err(Duration::from_millis(1050)));
        // The refusals reserved nothing: the third slot is still the one at 1.05 s …
        assert_eq!(limiter.acquire("k", l, Some(Duration::from_secs(2))).await, Ok(Duration::from_millis(1050)));
        // … and the per-minute window now holds three: the next one is a minute after the first.
        let err = limiter.acquire("k", l, Some(Duration::ZERO)).await.expect_err("minute is full");
        assert_eq!(err, Duration::from_millis(60_050 - 1050));
    }

    #[tokio::test(start_paused = true)]
    async fn keys_are_independent_and_unlimited_windows_are_free() {
        let limiter = InProcessLimiter::new();
        let l = limits(Some(1), None);
        limiter.acquire("a", l, Some(Duration::ZERO)).await.expect("a");
        limiter.acquire("b", l, Some(Duration::ZERO)).await.expect("b");
        assert!(limiter.acquire("a", l, Some(Duration::ZERO)).await.is_err());
        for _ in 0..1000 {
            limiter.acquire("free", limits(None, Some(0)), Some(Duration::ZERO)).await.expect("no limit");
        }
    }

    #[tokio::test(start_paused = true)]
    async fn concurrent_tasks_never_exceed_either_window_and_use_the_allowed_rate() {
        let limiter = std::sync::Arc::new(InProcessLimiter::new());
        let l = limits(Some(50), Some(1000));
        let start = Instant::now();
        let end = start + Duration::from_secs(180);
        let times = std::sync::Arc::new(Mutex::new(Vec::new()));
        let mut tasks = Vec::new();
        for _ in 0..64 {
            let (limiter, times) = (limiter.clone(), times.clone());
            tasks.push(tokio::spawn(async move {
                loop {
                    limiter.acquire("k", l, None).await.expect("waits");
                    let now = Instant::now();
                    if now >= end {
                        return;
                    }
                    times.lock().unwrap().push(now);
                }
            }));
        }
        for t in tasks {
            t.await.unwrap();
        }
        let mut times = times.lock().unwrap().clone();
        times.sort();
        assert!(max_in_window(&times, Duration::from_secs(1)) <= 50);
        assert!(max_in_window(&times, Duration::from_secs(60)) <= 1000);
        // Three minutes allow 3000; the margin costs a few slots at most.
        assert!(times.len() >= 2950, "{} slots in 3 minutes", times.len());
    }
}
