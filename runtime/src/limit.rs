//! Client-side rate limiting from the documented limits of each endpoint.
//!
//! Every attempt of a call takes a [`Slot`] from a [`RateLimiter`] before it is sent, and
//! gives it back when the answer's headers arrive (or the attempt fails). Slots are keyed per
//! app and endpoint (`"<app_id>:<service>:<endpoint>"`, e.g. `cli_a1b2:baike.v1:entity.get`),
//! because Lark counts limits per API and per app. Both documented windows (per second and
//! per minute) are enforced.
//!
//! # The in-process limiter
//!
//! [`InProcessLimiter`] keeps, per key, the requests it let go. For each it knows the time the
//! slot was given (the request cannot reach the server earlier) and, once the slot is given
//! back, the time the answer came (the request reached the server before that). A new request
//! may go at `t` only if, for each window of length `T` and limit `L`, the `L`-th latest of
//! those completion times (a request still in flight counting as "never") is at most
//! `t − T − margin`.
//!
//! **Guarantee:** at most `L` requests *arrive at the server* in any window of length `T`,
//! whatever the network delays. (If `L + 1` arrived within `T`, take the one sent last: the
//! `L` others were sent before it, so one of them completed no later than the `L`-th latest
//! completion `≤ t − T`; it arrived before completing and the last one arrived after `t`, so
//! the two arrivals are at least `T` apart.) In particular at most `L` requests of a window are
//! in flight at once.
//!
//! **Throughput:** bursts up to `L` go out at once; the next burst follows `T + margin` after
//! the previous one was answered, so the sustained rate is `L / (T + latency + margin)`: with
//! the default 10 ms margin, ≈ 98% of a per-second limit on a LAN and ≈ 90% at 100 ms latency,
//! and over 99.8% of a per-minute limit. Slots are handed out first come, first served.
//!
//! `governor` was considered (see `docs/resilience.md`): one GCRA quota cannot express both
//! windows, and sizing two quotas so that `burst + rate·T ≤ limit` leaves either no burst or
//! well under 90% of the allowed throughput; neither accounts for network delays.

use std::collections::{HashMap, VecDeque};
use std::fmt;
use std::sync::{Arc, Mutex};
use std::time::Duration;

use futures_util::future::BoxFuture;
use tokio::sync::Notify;
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
    /// The longest wait this mode accepts (`None`: unbounded, or `Off`, checked separately).
    pub(crate) fn max_wait(self) -> Option<Duration> {
        match self {
            RateLimitMode::Wait | RateLimitMode::Off => None,
            RateLimitMode::WaitUpTo(d) => Some(d),
            RateLimitMode::FailFast => Some(Duration::ZERO),
        }
    }
}

/// A rate-limit slot taken for one request. Dropping it tells the limiter that the request
/// was answered (or failed), which the in-process limiter uses to bound when it reached the
/// server.
pub struct Slot {
    waited: Duration,
    release: Option<Box<dyn FnOnce() + Send>>,
}

impl Slot {
    /// A slot that needs no release (for limiters that only count sends).
    pub fn new(waited: Duration) -> Self {
        Self { waited, release: None }
    }

    /// A slot that runs `release` when dropped.
    pub fn with_release(waited: Duration, release: impl FnOnce() + Send + 'static) -> Self {
        Self { waited, release: Some(Box::new(release)) }
    }

    /// How long the caller waited for it.
    pub fn waited(&self) -> Duration {
        self.waited
    }
}

impl Drop for Slot {
    fn drop(&mut self) {
        if let Some(release) = self.release.take() {
            release();
        }
    }
}

impl fmt::Debug for Slot {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("Slot").field("waited", &self.waited).finish_non_exhaustive()
    }
}

/// A source of rate-limit slots, shared by every clone of a client and every task using it.
///
/// Implement it to share limits between processes (e.g. a GCRA script in Redis), and install
/// it with [`ClientBuilder::rate_limiter`](crate::ClientBuilder::rate_limiter); pass the same
/// `Arc` to several clients to make them share limits in one process.
pub trait RateLimiter: Send + Sync + fmt::Debug + 'static {
    /// Takes one slot for `key` under `limits`, waiting at most `max_wait` (`None`: as long as
    /// needed). Fails — taking nothing — with how long until a slot is expected to be free
    /// when that is longer than `max_wait`. The client drops the slot when the request was
    /// answered or failed.
    ///
    /// `key` is `"<app_id>:<service>:<endpoint>"`; the same key always comes with the same
    /// limits. A window whose limit is `None` (or 0) is not limited.
    fn acquire<'a>(
        &'a self,
        key: &'a str,
        limits: Limits,
        max_wait: Option<Duration>,
    ) -> BoxFuture<'a, Result<Slot, Duration>>;

    /// The server refused a request of `key` as over its limit (HTTP 429 or code 99991400)
    /// and asked for `pause` (its reset header, else the retry policy's default wait). A
    /// shared limiter should give no slot for `key` before then, so that the endpoint's other
    /// callers wait too instead of each meeting a 429 of their own. The default does nothing.
    fn server_throttled(&self, key: &str, pause: Duration) {
        let _ = (key, pause);
    }
}

/// Default margin added to every window.
pub(crate) const DEFAULT_MARGIN: Duration = Duration::from_millis(10);

/// The in-process limiter (see the module docs). Time is tokio's, so tests may run it on a
/// paused clock.
pub struct InProcessLimiter {
    margin: Duration,
    keys: Arc<Mutex<HashMap<String, KeyState>>>,
}

struct KeyState {
    /// Requests let go, in the order of their slots (and ids); completed ones are pruned once
    /// they cannot constrain anything.
    sent: VecDeque<Sent>,
    /// No slot before this instant: the server said the key is over its limit.
    paused_until: Option<Instant>,
    /// How many of `sent` are still in flight (kept, not counted, so that a busy key with
    /// thousands of recent requests costs the same per call as an idle one).
    in_flight: usize,
    next_id: u64,
    released: Arc<Notify>,
}

struct Sent {
    id: u64,
    slot: Instant,
    /// When the slot was given back; `None` while the request is in flight.
    done: Option<Instant>,
}

/// What a key allows right now.
enum Outcome {
    /// A slot at this time, reserved under this id.
    Reserved(Instant, u64),
    /// The earliest slot is at this time, beyond the caller's bound (nothing reserved).
    Later(Instant),
    /// Too many requests in flight to know: wait for one to complete (estimate attached).
    Blocked(Duration),
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

fn lock<T>(m: &Mutex<T>) -> std::sync::MutexGuard<'_, T> {
    m.lock().unwrap_or_else(|poisoned| poisoned.into_inner())
}

/// The windows of `limits` that limit anything: (length, limit).
pub(crate) fn windows(limits: Limits) -> impl Iterator<Item = (Duration, usize)> {
    [(Duration::from_secs(1), limits.per_second), (Duration::from_secs(60), limits.per_minute)]
        .into_iter()
        .filter_map(|(t, l)| l.filter(|l| *l > 0).map(|l| (t, l as usize)))
}

impl InProcessLimiter {
    /// A limiter with the default 10 ms margin.
    pub fn new() -> Self {
        Self::with_margin(DEFAULT_MARGIN)
    }

    /// A limiter whose windows are each `margin` longer than documented (for servers whose
    /// clocks or window boundaries are coarse; more margin, less throughput).
    pub fn with_margin(margin: Duration) -> Self {
        Self { margin, keys: Arc::new(Mutex::new(HashMap::new())) }
    }

    fn released(&self, key: &str) -> Arc<Notify> {
        let mut keys = lock(&self.keys);
        keys.entry(key.to_owned())
            .or_insert_with(|| KeyState {
                sent: VecDeque::new(),
                paused_until: None,
                in_flight: 0,
                next_id: 0,
                released: Arc::new(Notify::new()),
            })
            .released
            .clone()
    }

    /// Reserves the earliest slot if it is no later than `until`.
    fn try_reserve(&self, key: &str, limits: Limits, until: Option<Instant>) -> Outcome {
        let now = Instant::now();
        let mut keys = lock(&self.keys);
        let Some(state) = keys.get_mut(key) else { unreachable!("`released` created the key") };
        let longest = windows(limits).map(|(t, _)| t).max().unwrap_or_default() + self.margin;
        // Completed requests older than the longest window no longer constrain anything.
        while state.sent.front().is_some_and(|s| s.done.is_some_and(|d| d + longest <= now)) {
            state.sent.pop_front();
        }
        let mut slot = now;
        match state.paused_until {
            Some(until) if until > now => slot = until,
            Some(_) => state.paused_until = None,
            None => {}
        }
        if let Some(last) = state.sent.back() {
            // First come, first served: never a slot before one already given.
            slot = slot.max(last.slot);
        }
        let in_flight = state.in_flight;
        let mut done: Vec<Instant> = Vec::new();
        for (window, limit) in windows(limits) {
            if state.sent.len() < limit {
                continue;
            }
            if in_flight >= limit {
                return Outcome::Blocked(window + self.margin);
            }
            if done.is_empty() {
                done = state.sent.iter().filter_map(|s| s.done).collect();
            }
            // The limit-th latest completion, in-flight requests counting as the latest.
            let rank = limit - in_flight;
            let index = done.len() - rank;
            let (_, nth, _) = done.select_nth_unstable(index);
            slot = slot.max(*nth + window + self.margin);
        }
        if slot > now && until.is_some_and(|u| slot > u) {
            return Outcome::Later(slot);
        }
        let id = state.next_id;
        state.next_id += 1;
        state.sent.push_back(Sent { id, slot, done: None });
        state.in_flight += 1;
        Outcome::Reserved(slot, id)
    }

    /// A slot whose drop records when its request completed.
    fn slot(&self, key: &str, id: u64, waited: Duration) -> Slot {
        let keys = Arc::clone(&self.keys);
        let key = key.to_owned();
        Slot::with_release(waited, move || {
            let mut keys = lock(&keys);
            if let Some(state) = keys.get_mut(&key) {
                if let Ok(i) = state.sent.binary_search_by_key(&id, |s| s.id)
                    && state.sent[i].done.is_none()
                {
                    state.sent[i].done = Some(Instant::now());
                    state.in_flight -= 1;
                }
                state.released.notify_waiters();
            }
        })
    }
}

impl RateLimiter for InProcessLimiter {
    fn acquire<'a>(
        &'a self,
        key: &'a str,
        limits: Limits,
        max_wait: Option<Duration>,
    ) -> BoxFuture<'a, Result<Slot, Duration>> {
        Box::pin(async move {
            let start = Instant::now();
            let until = max_wait.map(|m| start + m);
            let released = self.released(key);
            loop {
                // Registered before looking, so a release in between is not missed.
                let notified = released.notified();
                tokio::pin!(notified);
                notified.as_mut().enable();
                match self.try_reserve(key, limits, until) {
                    Outcome::Reserved(at, id) => {
                        // Created before sleeping: a call cancelled while it waits gives its slot back.
                        let slot = self.slot(key, id, at.saturating_duration_since(start));
                        // Only a slot in the future is slept for: tokio's timer would round
                        // even a past deadline up to its next 1 ms tick.
                        if at > Instant::now() {
                            tokio::time::sleep_until(at).await;
                        }
                        return Ok(slot);
                    }
                    Outcome::Later(at) => return Err(at.saturating_duration_since(Instant::now())),
                    Outcome::Blocked(estimate) => match until {
                        Some(u) if Instant::now() >= u => return Err(estimate),
                        Some(u) => {
                            tokio::select! {
                                _ = &mut notified => {}
                                _ = tokio::time::sleep_until(u) => {}
                            }
                        }
                        None => notified.await,
                    },
                }
            }
        })
    }

    fn server_throttled(&self, key: &str, pause: Duration) {
        let until = Instant::now() + pause;
        self.released(key); // creates the key's state if needed
        let mut keys = lock(&self.keys);
        if let Some(state) = keys.get_mut(key) {
            state.paused_until = Some(state.paused_until.map_or(until, |p| p.max(until)));
        }
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

    async fn take(
        limiter: &InProcessLimiter,
        key: &str,
        l: Limits,
        max: Option<Duration>,
    ) -> Result<Duration, Duration> {
        limiter.acquire(key, l, max).await.map(|s| s.waited())
    }

    #[tokio::test]
    async fn a_free_slot_is_given_on_the_first_poll() {
        // No timer is involved: tokio would round even a past deadline up to its next 1 ms
        // tick, which made every call through the limiter 1 ms slower.
        use futures_util::FutureExt;
        let limiter = InProcessLimiter::new();
        for l in [limits(Some(50), Some(1000)), limits(None, None)] {
            for _ in 0..20 {
                let slot = limiter.acquire("k", l, None).now_or_never().expect("ready at once");
                assert!(slot.is_ok(), "a free slot");
            }
        }
    }

    #[tokio::test(start_paused = true)]
    async fn a_server_throttle_pauses_the_key_for_every_caller() {
        let limiter = InProcessLimiter::new();
        let l = limits(Some(50), None);
        assert_eq!(take(&limiter, "k", l, None).await, Ok(Duration::ZERO));
        limiter.server_throttled("k", Duration::from_secs(2));
        limiter.server_throttled("k", Duration::from_secs(1)); // a shorter pause does not shorten it
        // Bounded waiters are told when to come back; others wait out the pause.
        assert_eq!(take(&limiter, "k", l, Some(Duration::from_millis(500))).await, Err(Duration::from_secs(2)));
        assert_eq!(take(&limiter, "k", l, None).await, Ok(Duration::from_secs(2)));
        // Then slots flow again, and other keys never paused.
        assert_eq!(take(&limiter, "k", l, None).await, Ok(Duration::ZERO));
        assert_eq!(take(&limiter, "other", l, None).await, Ok(Duration::ZERO));
    }

    #[tokio::test(start_paused = true)]
    async fn a_burst_up_to_the_limit_goes_out_at_once_then_waits() {
        let limiter = InProcessLimiter::new();
        let l = limits(Some(5), None);
        for _ in 0..5 {
            assert_eq!(take(&limiter, "k", l, None).await, Ok(Duration::ZERO));
        }
        assert_eq!(take(&limiter, "k", l, None).await, Ok(Duration::from_millis(1010)));
    }

    #[tokio::test(start_paused = true)]
    async fn the_window_starts_when_the_answer_came() {
        let limiter = InProcessLimiter::new();
        let l = limits(Some(1), None);
        let slot = limiter.acquire("k", l, None).await.expect("free");
        // While the request is in flight, nobody can tell when the next one may go.
        assert_eq!(take(&limiter, "k", l, Some(Duration::ZERO)).await, Err(Duration::from_millis(1010)));
        tokio::time::advance(Duration::from_millis(300)).await;
        drop(slot); // answered 300 ms after it was sent
        assert_eq!(take(&limiter, "k", l, Some(Duration::ZERO)).await, Err(Duration::from_millis(1010)));
        assert_eq!(take(&limiter, "k", l, None).await, Ok(Duration::from_millis(1010)));
    }

    #[tokio::test(start_paused = true)]
    async fn a_waiter_blocked_by_requests_in_flight_goes_when_one_is_answered() {
        let limiter = Arc::new(InProcessLimiter::new());
        let l = limits(Some(1), None);
        let slot = limiter.acquire("k", l, None).await.expect("free");
        let waiter = {
            let limiter = limiter.clone();
            tokio::spawn(async move { limiter.acquire("k", l, None).await.map(|s| s.waited()) })
        };
        tokio::time::sleep(Duration::from_millis(200)).await;
        assert!(!waiter.is_finished());
        drop(slot);
        assert_eq!(waiter.await.unwrap(), Ok(Duration::from_millis(1210)));
    }

    #[tokio::test(start_paused = true)]
    async fn fail_fast_and_bounded_waits_take_nothing() {
        let limiter = InProcessLimiter::new();
        let l = limits(Some(2), Some(3));
        take(&limiter, "k", l, Some(Duration::ZERO)).await.expect("free");
        take(&limiter, "k", l, Some(Duration::ZERO)).await.expect("free");
        assert_eq!(take(&limiter, "k", l, Some(Duration::ZERO)).await, Err(Duration::from_millis(1010)));
        assert_eq!(take(&limiter, "k", l, Some(Duration::from_secs(1))).await, Err(Duration::from_millis(1010)));
        // The refusals reserved nothing: the third slot is still the one at 1.01 s …
        assert_eq!(take(&limiter, "k", l, Some(Duration::from_secs(2))).await, Ok(Duration::from_millis(1010)));
        // … and the per-minute window now holds three: the next one is a minute after the first.
        let err = take(&limiter, "k", l, Some(Duration::ZERO)).await.expect_err("minute is full");
        assert_eq!(err, Duration::from_millis(60_010 - 1010));
    }

    #[tokio::test(start_paused = true)]
    async fn a_cancelled_waiter_gives_its_slot_back() {
        let limiter = InProcessLimiter::new();
        let l = limits(Some(1), None);
        take(&limiter, "k", l, None).await.expect("free");
        // Reserves the slot at 1.01 s, then is cancelled after 100 ms.
        let cancelled = tokio::time::timeout(Duration::from_millis(100), take(&limiter, "k", l, None)).await;
        assert!(cancelled.is_err());
        // Its slot counts (nothing was sent, but the limiter cannot tell), from its release.
        assert_eq!(take(&limiter, "k", l, None).await, Ok(Duration::from_millis(1010)));
    }

    #[tokio::test(start_paused = true)]
    async fn keys_are_independent_and_unlimited_windows_are_free() {
        let limiter = InProcessLimiter::new();
        let l = limits(Some(1), None);
        take(&limiter, "a", l, Some(Duration::ZERO)).await.expect("a");
        take(&limiter, "b", l, Some(Duration::ZERO)).await.expect("b");
        assert!(take(&limiter, "a", l, Some(Duration::ZERO)).await.is_err());
        for _ in 0..1000 {
            take(&limiter, "free", limits(None, Some(0)), Some(Duration::ZERO)).await.expect("no limit");
        }
    }

    #[tokio::test(start_paused = true)]
    async fn concurrent_tasks_never_exceed_either_window_and_use_the_allowed_rate() {
        let limiter = Arc::new(InProcessLimiter::new());
        let l = limits(Some(50), Some(1000));
        let start = Instant::now();
        let end = start + Duration::from_secs(180);
        let times = Arc::new(Mutex::new(Vec::new()));
        let mut tasks = Vec::new();
        for _ in 0..64 {
            let (limiter, times) = (limiter.clone(), times.clone());
            tasks.push(tokio::spawn(async move {
                loop {
                    let slot = limiter.acquire("k", l, None).await.expect("waits");
                    let now = Instant::now();
                    if now >= end {
                        return;
                    }
                    times.lock().unwrap().push(now);
                    // 20 ms of network latency.
                    tokio::time::sleep(Duration::from_millis(20)).await;
                    drop(slot);
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
        // Three minutes allow 3000.
        assert!(times.len() >= 2950, "{} slots in 3 minutes", times.len());
    }
}
