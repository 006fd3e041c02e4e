//! Retry policy: how many attempts, how long to back off between them, how long a call
//! may keep retrying, and how long to honour a server's throttling.
//!
//! *Which* failures are retried is not configurable: it follows from the endpoint
//! descriptor (see [`RetryPolicy`] and `docs/resilience.md`).

use std::collections::hash_map::RandomState;
use std::hash::BuildHasher;
use std::sync::atomic::{AtomicU64, Ordering};
use std::time::Duration;

/// How a call retries failures that are safe to retry.
///
/// Defaults (`RetryPolicy::default()`):
///
/// | setting | default | meaning |
/// | --- | --- | --- |
/// | [`max_attempts`](Self::max_attempts) | 3 | attempts per call, the first one included (`1` = never retry) |
/// | [`backoff`](Self::backoff) | 200 ms doubling, capped at 5 s | wait before retry *n*: `min(cap, initial·2ⁿ⁻¹)`, with "equal jitter" (a random point in its upper half) |
/// | [`budget`](Self::budget) | 30 s | no retry is started once the call has spent this long since its first attempt was sent (waits included) |
/// | [`throttle_wait`](Self::throttle_wait) | 1 s if the server sends no `x-ogw-ratelimit-reset`; at most 10 s | how long to wait after HTTP 429 / code 99991400 |
/// | [`jitter`](Self::jitter) | on | randomize backoffs so clients that failed together do not retry together |
///
/// What is retried (fixed, derived from the endpoint descriptor):
///
/// - **any endpoint**: throttling (HTTP 429 or a code whose platform action is
///   `RateLimited`, e.g. 99991400) after the server's reset time; a connection that could not
///   be established (the request was certainly not sent); a tenant token the server refused
///   (99991663/99991664/99991671: evicted, refetched and resent once — not counted as an attempt);
/// - **idempotent endpoints only** (`Endpoint::idempotent`): codes whose `ErrorSpec::retryable`
///   is true, HTTP 5xx answers without a declared code, timeouts and connections lost mid-exchange.
///
/// A non-idempotent call (e.g. `entity.create`) is therefore never resent when the server may
/// have processed it. When the attempts or the budget run out, the last error is returned as is;
/// throttling that outlasts them becomes [`Error::RateLimited`](crate::Error::RateLimited)
/// carrying the server's last answer.
///
/// Set it for a client with [`ClientBuilder::retry`](crate::ClientBuilder::retry), or for some
/// calls with [`CallOptions::retry`](crate::CallOptions::retry).
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct RetryPolicy {
    pub(crate) max_attempts: u32,
    pub(crate) initial_backoff: Duration,
    pub(crate) max_backoff: Duration,
    pub(crate) budget: Duration,
    pub(crate) throttle_default_wait: Duration,
    pub(crate) throttle_max_wait: Duration,
    pub(crate) jitter: bool,
}

impl Default for RetryPolicy {
    fn default() -> Self {
        Self {
            max_attempts: 3,
            initial_backoff: Duration::from_millis(200),
            max_backoff: Duration::from_secs(5),
            budget: Duration::from_secs(30),
            throttle_default_wait: Duration::from_secs(1),
            throttle_max_wait: Duration::from_secs(10),
            jitter: true,
        }
    }
}

impl RetryPolicy {
    /// The default policy (see the table above).
    pub fn new() -> Self {
        Self::default()
    }

    /// A policy that never retries (one attempt; a refused tenant token is still refetched once).
    pub fn none() -> Self {
        Self { max_attempts: 1, ..Self::default() }
    }

    /// Attempts per call, the first one included; `0` is taken as `1`.
    pub fn max_attempts(mut self, attempts: u32) -> Self {
        self.max_attempts = attempts.max(1);
        self
    }

    /// Backoff before the first retry, doubled for each further retry up to `max`.
    pub fn backoff(mut self, initial: Duration, max: Duration) -> Self {
        self.initial_backoff = initial;
        self.max_backoff = max.max(initial);
        self
    }

    /// Total time a call may spend retrying, counted from its first attempt.
    pub fn budget(mut self, budget: Duration) -> Self {
        self.budget = budget;
        self
    }

    /// Wait after a throttled answer without `x-ogw-ratelimit-reset` (`default`), and the
    /// longest reset honoured (`max`): a longer one fails the call at once with
    /// [`Error::RateLimited`](crate::Error::RateLimited) and its `retry_after`.
    pub fn throttle_wait(mut self, default: Duration, max: Duration) -> Self {
        self.throttle_default_wait = default;
        self.throttle_max_wait = max;
        self
    }

    /// Whether backoffs are randomized (on by default).
    pub fn jitter(mut self, jitter: bool) -> Self {
        self.jitter = jitter;
        self
    }

    /// Attempts per call, the first one included.
    pub fn attempts(&self) -> u32 {
        self.max_attempts
    }

    /// Total time a call may spend retrying.
    pub fn time_budget(&self) -> Duration {
        self.budget
    }

    /// The wait before retry number `retry` (1 = the first retry).
    pub fn backoff_for(&self, retry: u32) -> Duration {
        let exp = retry.saturating_sub(1).min(30);
        let base = self.initial_backoff.saturating_mul(1u32 << exp).min(self.max_backoff);
        if self.jitter {
            let half = base / 2;
            half + half.mul_f64(random_fraction())
        } else {
            base
        }
    }

    /// The wait after a throttled answer whose reset header said `reset` (`None`: absent);
    /// `None` when it is longer than the policy honours.
    pub(crate) fn throttle_for(&self, reset: Option<Duration>) -> Result<Duration, Duration> {
        let wait = reset.unwrap_or(self.throttle_default_wait);
        if wait > self.throttle_max_wait {
            return Err(wait);
        }
        // A little jitter on top: clients throttled together should not come back together.
        let extra = if self.jitter { (self.initial_backoff / 4).mul_f64(random_fraction()) } else { Duration::ZERO };
        Ok(wait + extra)
    }
}

/// A uniform number in `[0, 1)`, from std's randomly keyed hasher (no RNG dependency needed
/// for jitter).
pub(crate) fn random_fraction() -> f64 {
    static COUNTER: AtomicU64 = AtomicU64::new(0);
    let bits = RandomState::new().hash_one(COUNTER.fetch_add(1, Ordering::Relaxed));
    (bits >> 11) as f64 / (1u64 << 53) as f64
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn backoff_doubles_up_to_the_cap_without_jitter() {
        let p = RetryPolicy::new().backoff(Duration::from_millis(100), Duration::from_millis(350)).jitter(false);
        let waits: Vec<_> = (1..=4).map(|n| p.backoff_for(n).as_millis()).collect();
        assert_eq!(waits, vec![100, 200, 350, 350]);
    }

    #[test]
    fn jittered_backoff_stays_in_the_upper_half() {
        let p = RetryPolicy::new().backoff(Duration::from_millis(100), Duration::from_secs(1));
        for n in 1..=3 {
            let base = 100u128 << (n - 1);
            for _ in 0..200 {
                let w = p.backoff_for(n).as_micros();
                assert!(w >= base * 500 && w <= base * 1000, "retry {n}: {w}µs");
            }
        }
    }

    #[test]
    fn throttle_waits_are_bounded() {
        let p = RetryPolicy::new().throttle_wait(Duration::from_millis(300), Duration::from_secs(2)).jitter(false);
        assert_eq!(p.throttle_for(None), Ok(Duration::from_millis(300)));
        assert_eq!(p.throttle_for(Some(Duration::from_secs(1))), Ok(Duration::from_secs(1)));
        assert_eq!(p.throttle_for(Some(Duration::from_secs(5))), Err(Duration::from_secs(5)));
    }

    #[test]
    fn random_fractions_are_in_range_and_vary() {
        let xs: Vec<f64> = (0..100).map(|_| random_fraction()).collect();
        assert!(xs.iter().all(|x| (0.0..1.0).contains(x)));
        assert!(xs.windows(2).any(|w| w[0] != w[1]));
    }
}
