//! Client-side rate-limit conformance: many concurrent tasks on one endpoint against a
//! loopback server that records when each request arrives. In no sliding window may more
//! requests arrive than the endpoint's documented limit, and at least 90% of the allowed
//! throughput must be used.
//!
//! End to end (real clock, real loopback HTTP, arrivals stamped by the server): the
//! per-second window under load, and a small per-minute allowance used up exactly. Over
//! minutes (three of them, with the documented 50/s + 1000/min of `classification.list`)
//! the limiter itself is driven on tokio's paused clock: a paused clock cannot drive real
//! I/O, as tokio jumps to the next timer whenever every task waits on a socket.

mod support;

use std::sync::atomic::{AtomicUsize, Ordering};
use std::sync::{Arc, Mutex};
use std::time::Duration;

use lark_client::baike_v1;
use lark_client::runtime::{
    self, Call, CallOptions, Endpoint, Error, InProcessLimiter, Limits, RateLimitMode, RateLimiter, Slot,
};
use serde_json::Value;
use support::recorder::{Recorder, endpoint, max_in_window, recorder};
use support::*;
use tokio::time::Instant;

fn client(base: &str) -> runtime::Client {
    lark_client::builder().base_url(base).app_credentials(APP_ID, APP_SECRET).build().expect("client builds")
}

/// Runs `tasks` tasks that each send `limited` in a loop until `run_for` has passed (waiting
/// for a slot only until then); returns the sorted arrival times and the calls refused.
async fn hammer(
    recorder: &Recorder,
    client: &runtime::Client,
    limited: &'static Endpoint,
    tasks: usize,
    run_for: Duration,
) -> (Vec<Instant>, Vec<Duration>) {
    let deadline = Instant::now() + run_for;
    let refused = Arc::new(Mutex::new(Vec::new()));
    let handles: Vec<_> = (0..tasks)
        .map(|_| {
            let (client, refused) = (client.clone(), refused.clone());
            tokio::spawn(async move {
                while Instant::now() < deadline {
                    let mode = RateLimitMode::WaitUpTo(deadline.saturating_duration_since(Instant::now()));
                    let client = client.with_options(CallOptions::new().rate_limit(mode));
                    match client.send_json::<Value>(Call::new(limited)).await {
                        Ok(_) => {}
                        Err(Error::RateLimited(rl)) => {
                            refused.lock().unwrap().push(rl.retry_after.expect("the limiter says when"));
                            tokio::time::sleep_until(deadline).await;
                        }
                        Err(e) => panic!("{e}"),
                    }
                }
            })
        })
        .collect();
    for h in handles {
        h.await.expect("no panic");
    }
    let mut arrivals = recorder.arrivals.lock().unwrap().clone();
    arrivals.sort();
    let refused = refused.lock().unwrap().clone();
    (arrivals, refused)
}

/// Checks one window: never over the limit, and ≥ 90% of `limit · windows` requests in the
/// first `windows` whole windows after the first arrival. Returns (max seen, achieved ratio).
fn conforms(arrivals: &[Instant], window: Duration, limit: usize, windows: u32) -> (usize, f64) {
    let max = max_in_window(arrivals, window);
    assert!(max <= limit, "{max} requests in one {window:?} window, limit {limit}");
    let first = arrivals[0];
    let used = arrivals.iter().filter(|t| **t - first < window * windows).count();
    let ratio = used as f64 / (limit * windows as usize) as f64;
    assert!(ratio >= 0.9, "only {used} of {} allowed requests in {windows} × {window:?}", limit * windows as usize);
    (max, ratio)
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn the_per_second_limit_holds_end_to_end() {
    // file.download's documented 50/s, on a copy of its descriptor without the per-minute limit.
    let limited = endpoint("second.get", Some(50), None);
    let recorder = recorder().await;
    let (arrivals, _) = hammer(&recorder, &client(&recorder.base), limited, 64, Duration::from_millis(1800)).await;
    let (max, ratio) = conforms(&arrivals, Duration::from_secs(1), 50, 1);
    assert_eq!(arrivals.len(), 100, "two full bursts, 1.01 s apart");
    let (spread, gap) = (arrivals[49] - arrivals[0], arrivals[50] - arrivals[0]);
    eprintln!(
        "50/s, 64 tasks, 1.8 s: {} requests, max {max} in any 1 s window, {:.1}% of the allowed rate; \
         first burst spread over {spread:?}, second burst {gap:?} after the first",
        arrivals.len(),
        ratio * 100.0
    );
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn the_per_minute_limit_holds_end_to_end() {
    // 25/s and 40/min: 25 at once, 15 a second later, then nothing for a minute.
    let limited = endpoint("minute.get", Some(25), Some(40));
    let recorder = recorder().await;
    let (arrivals, refused) =
        hammer(&recorder, &client(&recorder.base), limited, 16, Duration::from_millis(1800)).await;
    assert_eq!(max_in_window(&arrivals, Duration::from_secs(1)), 25);
    assert_eq!(arrivals.len(), 40, "the whole minute's allowance, and not one more");
    assert!(arrivals[39] - arrivals[0] >= Duration::from_secs(1), "the second 25 waited for the next second");
    assert!(!refused.is_empty() && refused.iter().all(|d| *d > Duration::from_secs(55)), "{refused:?}");
    eprintln!("25/s + 40/min, 16 tasks, 1.8 s: 40 requests (100% of the minute's allowance), max 25 in any 1 s");
}

#[tokio::test(start_paused = true)]
async fn the_documented_limits_hold_for_minutes_on_a_paused_clock() {
    // The limiter alone (no I/O, whose waits would make a paused clock jump; answers after a
    // simulated 20 ms), over three minutes of classification.list's 50/s and 1000/min.
    let limits = baike_v1::endpoints::CLASSIFICATION_LIST.limits;
    assert_eq!((limits.per_second, limits.per_minute), (Some(50), Some(1000)));
    let limiter = Arc::new(InProcessLimiter::new());
    let slots = Arc::new(Mutex::new(Vec::new()));
    let end = Instant::now() + Duration::from_secs(180);
    let tasks: Vec<_> = (0..100)
        .map(|_| {
            let (limiter, slots) = (limiter.clone(), slots.clone());
            tokio::spawn(async move {
                loop {
                    let slot = limiter
                        .acquire("cli_test_app:baike.v1:classification.list", limits, None)
                        .await
                        .expect("waits");
                    if Instant::now() >= end {
                        return;
                    }
                    slots.lock().unwrap().push(Instant::now());
                    // The server answers 20 ms later.
                    tokio::time::sleep(Duration::from_millis(20)).await;
                    drop(slot);
                }
            })
        })
        .collect();
    for t in tasks {
        t.await.expect("no panic");
    }
    let mut slots = slots.lock().unwrap().clone();
    slots.sort();
    let (max_s, ratio_s) = conforms(&slots, Duration::from_secs(1), 50, 10);
    let (max_m, ratio_m) = conforms(&slots, Duration::from_secs(60), 1000, 3);
    eprintln!(
        "50/s + 1000/min, 100 tasks, 180 s: {} slots; max {max_s} in any 1 s ({:.1}% of the first 10 s), \
         max {max_m} in any 60 s ({:.1}% of 3 min)",
        slots.len(),
        ratio_s * 100.0,
        ratio_m * 100.0
    );
}

#[tokio::test(start_paused = true)]
async fn the_sustained_per_second_rate_is_over_90_percent() {
    // Answers after 20 ms: bursts of 50 every 1.03 s (latency + 10 ms margin), 97% of 50/s.
    let limits = Limits { per_second: Some(50), per_minute: None };
    let limiter = Arc::new(InProcessLimiter::new());
    let slots = Arc::new(Mutex::new(Vec::new()));
    let end = Instant::now() + Duration::from_secs(60);
    let tasks: Vec<_> = (0..80)
        .map(|_| {
            let (limiter, slots) = (limiter.clone(), slots.clone());
            tokio::spawn(async move {
                loop {
                    let slot = limiter.acquire("k", limits, None).await.expect("waits");
                    if Instant::now() >= end {
                        return;
                    }
                    slots.lock().unwrap().push(Instant::now());
                    tokio::time::sleep(Duration::from_millis(20)).await;
                    drop(slot);
                }
            })
        })
        .collect();
    for t in tasks {
        t.await.expect("no panic");
    }
    let mut slots = slots.lock().unwrap().clone();
    slots.sort();
    let (max, ratio) = conforms(&slots, Duration::from_secs(1), 50, 60);
    eprintln!(
        "50/s sustained for 60 s, 20 ms latency: {} slots, max {max} in any 1 s, {:.1}% of 3000",
        slots.len(),
        ratio * 100.0
    );
}

// ---------------------------------------------------------------------------------------
// Modes, keys, sharing

#[tokio::test]
async fn fail_fast_refuses_without_sending_and_says_when_to_come_back() {
    let limited = endpoint("failfast.get", Some(3), None);
    let recorder = recorder().await;
    let client = lark_client::builder()
        .base_url(&recorder.base)
        .app_credentials(APP_ID, APP_SECRET)
        .rate_limit(RateLimitMode::FailFast)
        .build()
        .expect("builds");
    for _ in 0..3 {
        client.send_json::<Value>(Call::new(limited)).await.expect("within the limit");
    }
    let err = client.send_json::<Value>(Call::new(limited)).await.expect_err("over the limit");
    let Error::RateLimited(rl) = &err else { panic!("got {err:?}") };
    assert_eq!(rl.endpoint, "failfast.get");
    assert!(rl.retry_after.is_some_and(|d| d > Duration::ZERO && d <= Duration::from_millis(1010)), "{rl:?}");
    assert!(rl.last.is_none(), "no server answer: the client refused");
    assert_eq!(recorder.arrivals.lock().unwrap().len(), 3, "the refused call was not sent");
}

#[tokio::test]
async fn bounded_waits_per_call_and_off() {
    let limited = endpoint("modes.get", Some(2), None);
    let recorder = recorder().await;
    let client = client(&recorder.base);
    for _ in 0..2 {
        client.send_json::<Value>(Call::new(limited)).await.expect("free");
    }
    let short = client.with_options(CallOptions::new().rate_limit(RateLimitMode::WaitUpTo(Duration::from_millis(500))));
    let err = short.send_json::<Value>(Call::new(limited)).await.expect_err("the slot is a second away");
    assert!(matches!(err, Error::RateLimited(_)), "got {err:?}");

    let patient = client.with_options(CallOptions::new().rate_limit(RateLimitMode::WaitUpTo(Duration::from_secs(2))));
    let started = Instant::now();
    patient.send_json::<Value>(Call::new(limited)).await.expect("waits for the slot");
    assert!(started.elapsed() < Duration::from_millis(1500), "{:?}", started.elapsed());
    let arrivals = recorder.arrivals.lock().unwrap().clone();
    assert!(arrivals[2] - arrivals[0] >= Duration::from_secs(1), "the third waited for the window");

    let unlimited = client.with_options(CallOptions::new().rate_limit(RateLimitMode::Off));
    let started = Instant::now();
    for _ in 0..10 {
        unlimited.send_json::<Value>(Call::new(limited)).await.expect("no client-side limit");
    }
    assert!(started.elapsed() < Duration::from_secs(2), "2/s would take 5 s: {:?}", started.elapsed());
    assert_eq!(recorder.arrivals.lock().unwrap().len(), 2 + 1 + 10);
}

#[tokio::test]
async fn limits_are_shared_by_clones_and_separate_per_endpoint() {
    let a = endpoint("a.get", Some(2), None);
    let b = endpoint("b.get", Some(2), None);
    let recorder = recorder().await;
    let client = client(&recorder.base).with_options(CallOptions::new().rate_limit(RateLimitMode::FailFast));
    let clone = client.clone();
    client.send_json::<Value>(Call::new(a)).await.expect("1st a");
    clone.send_json::<Value>(Call::new(a)).await.expect("2nd a, through a clone");
    assert!(client.send_json::<Value>(Call::new(a)).await.is_err(), "the clone used the shared slot");
    assert!(clone.send_json::<Value>(Call::new(a)).await.is_err());
    clone.send_json::<Value>(Call::new(b)).await.expect("another endpoint has its own limit");
    clone.send_json::<Value>(Call::new(b)).await.expect("another endpoint has its own limit");
}

#[tokio::test]
async fn one_limiter_can_be_shared_by_several_clients() {
    let limited = endpoint("shared.get", Some(2), None);
    let recorder = recorder().await;
    let limiter: Arc<dyn RateLimiter> = Arc::new(InProcessLimiter::new());
    let build = |app_id: &str| {
        lark_client::builder()
            .base_url(&recorder.base)
            .app_credentials(app_id, APP_SECRET)
            .rate_limiter(limiter.clone())
            .rate_limit(RateLimitMode::FailFast)
            .build()
            .expect("builds")
    };
    let (one, two, other_app) = (build(APP_ID), build(APP_ID), build("cli_other_app"));
    one.send_json::<Value>(Call::new(limited)).await.expect("1");
    two.send_json::<Value>(Call::new(limited)).await.expect("2");
    assert!(one.send_json::<Value>(Call::new(limited)).await.is_err(), "same app, same limiter: limit reached");
    other_app.send_json::<Value>(Call::new(limited)).await.expect("another app has its own limits");
}

/// A limiter that records what it is asked.
#[derive(Debug, Default)]
struct Spy(Mutex<Vec<(String, Limits)>>, AtomicUsize);

impl RateLimiter for Spy {
    fn acquire<'a>(
        &'a self,
        key: &'a str,
        limits: Limits,
        _max_wait: Option<Duration>,
    ) -> futures_util::future::BoxFuture<'a, Result<Slot, Duration>> {
        self.0.lock().unwrap().push((key.to_owned(), limits));
        self.1.fetch_add(1, Ordering::SeqCst);
        Box::pin(async { Ok(Slot::new(Duration::ZERO)) })
    }
}

#[tokio::test]
async fn a_custom_limiter_gets_the_app_and_endpoint_key_and_the_documented_limits() {
    let recorder = recorder().await;
    let spy = Arc::new(Spy::default());
    let client = lark_client::builder()
        .base_url(&recorder.base)
        .app_credentials(APP_ID, APP_SECRET)
        .rate_limiter(spy.clone())
        .build()
        .expect("builds");
    let baike = baike_v1::Client::new(client);
    baike.classification().list().send().await.expect("sent");
    baike.entity().get("enterprise_1").send().await.ok();
    let seen = spy.0.lock().unwrap().clone();
    assert_eq!(seen[0].0, "cli_test_app:baike.v1:classification.list");
    assert_eq!(seen[0].1, baike_v1::endpoints::CLASSIFICATION_LIST.limits);
    assert_eq!(seen[1].0, "cli_test_app:baike.v1:entity.get");
}
