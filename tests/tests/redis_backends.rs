//! The Redis backends against a real `redis-server`: tenant tokens and rate limits shared by
//! several clients, each with its own connection, as separate processes of one app would be.
//!
//! `.ci/run` installs and starts redis-server and sets `LARKGEN_TEST_REDIS_URL` (and
//! `LARKGEN_REQUIRE_REDIS=1`, so that a missing server fails CI instead of skipping). Without
//! the variable, locally, each test says so and passes. Every test uses its own key prefix.

mod support;

use std::sync::Arc;
use std::time::Duration;

use lark_client::runtime::redis::aio::ConnectionManager;
use lark_client::runtime::{
    self, Call, ExposeSecret, Limits, RateLimiter, RedisRateLimiter, RedisTokenCache, SecretString, TokenCache,
};
use serde_json::{Value, json};
use support::recorder::{endpoint, max_in_window, recorder};
use support::*;
use tokio::time::Instant;
use wiremock::matchers::{header, method, path};
use wiremock::{Mock, MockServer};

/// A connection to the test Redis, or `None` (with a notice) when none is configured.
async fn redis() -> Option<ConnectionManager> {
    let Ok(url) = std::env::var("LARKGEN_TEST_REDIS_URL") else {
        assert!(
            std::env::var("LARKGEN_REQUIRE_REDIS").is_err(),
            "LARKGEN_REQUIRE_REDIS is set but LARKGEN_TEST_REDIS_URL is not"
        );
        eprintln!("skipped: set LARKGEN_TEST_REDIS_URL (e.g. redis://127.0.0.1:16399/) to run the Redis tests");
        return None;
    };
    let client = runtime::redis::Client::open(url.as_str()).expect("a redis:// URL");
    Some(client.get_connection_manager().await.expect("the test Redis answers"))
}

/// A key prefix no other test (or earlier run) uses.
fn prefix(test: &str) -> String {
    let nanos = std::time::SystemTime::now().duration_since(std::time::UNIX_EPOCH).unwrap().as_nanos();
    format!("larkgen-test:{test}:{nanos}:")
}

#[tokio::test]
async fn token_cache_stores_expires_and_evicts_only_the_stale_token() {
    let Some(connection) = redis().await else { return };
    let cache = RedisTokenCache::with_prefix(connection, prefix("cache"));
    let key = "tenant_access_token:cli_x";
    assert!(cache.get(key).await.is_none());

    cache.set(key, SecretString::from("t-old"), Duration::from_secs(60)).await;
    assert_eq!(cache.get(key).await.expect("stored").expose_secret(), "t-old");
    // Another process already stored a fresh token: evicting the old one must keep it.
    cache.set(key, SecretString::from("t-new"), Duration::from_secs(60)).await;
    cache.evict(key, &SecretString::from("t-old")).await;
    assert_eq!(cache.get(key).await.expect("kept").expose_secret(), "t-new");
    cache.evict(key, &SecretString::from("t-new")).await;
    assert!(cache.get(key).await.is_none(), "evicted");

    cache.set(key, SecretString::from("t-short"), Duration::from_millis(150)).await;
    assert!(cache.get(key).await.is_some());
    tokio::time::sleep(Duration::from_millis(300)).await;
    assert!(cache.get(key).await.is_none(), "Redis forgets a token when its TTL ends");
}

#[tokio::test]
async fn two_clients_sharing_the_cache_fetch_the_tenant_token_once() {
    let Some(connection) = redis().await else { return };
    let server = MockServer::start().await;
    mount_token(&server, TENANT_TOKEN, 1).await;
    Mock::given(method("GET"))
        .and(path("/open-apis/test/v1/limited"))
        .and(header("authorization", format!("Bearer {TENANT_TOKEN}").as_str()))
        .respond_with(lark_ok(json!({})))
        .expect(2)
        .mount(&server)
        .await;
    let prefix = prefix("shared-token");
    let unlimited = endpoint("shared.token", None, None);
    // Two clients with a connection each: two processes of the same app.
    for connection in [connection, redis().await.expect("connected above")] {
        let cache = RedisTokenCache::with_prefix(connection, prefix.clone());
        let client = lark_client::builder()
            .base_url(server.uri())
            .app_credentials(APP_ID, APP_SECRET)
            .token_cache(Arc::new(cache))
            .build()
            .expect("client builds");
        client.send_json::<Value>(Call::new(unlimited)).await.expect("call succeeds");
        let debug = format!("{client:?}");
        assert!(!debug.contains(TENANT_TOKEN) && !debug.contains(APP_SECRET), "{debug}");
    }
    // The token endpoint was mounted for exactly one fetch.
    server.verify().await;
}

#[tokio::test]
async fn two_clients_sharing_the_limiter_keep_the_per_second_limit_together() {
    let Some(connection) = redis().await else { return };
    let recorder = recorder().await;
    let limited = endpoint("shared.limited", Some(5), None);
    let prefix = prefix("shared-limit");
    let mut clients = Vec::new();
    for connection in [connection, redis().await.expect("connected above")] {
        let limiter = RedisRateLimiter::new(connection).with_prefix(prefix.clone());
        clients.push(
            lark_client::builder()
                .base_url(&recorder.base)
                .app_credentials(APP_ID, APP_SECRET)
                .rate_limiter(Arc::new(limiter))
                .build()
                .expect("client builds"),
        );
    }
    // Eight tasks per client, 16 calls in all at 5/s: four windows' worth.
    let tasks: Vec<_> = (0..16)
        .map(|i| {
            let client = clients[i % 2].clone();
            tokio::spawn(async move {
                client.send_json::<Value>(Call::new(limited)).await.expect("call succeeds");
            })
        })
        .collect();
    let start = Instant::now();
    for t in tasks {
        t.await.expect("no panic");
    }
    let took = start.elapsed();
    let mut arrivals = recorder.arrivals.lock().unwrap().clone();
    arrivals.sort();
    assert_eq!(arrivals.len(), 16);
    let most = max_in_window(&arrivals, Duration::from_secs(1));
    assert!(most <= 5, "{most} arrivals in one second across both clients, limit 5");
    // Bursts of 5 a second apart: 16 calls need three more windows, not much more.
    assert!(took >= Duration::from_secs(3), "too fast for 5/s: {took:?}");
    assert!(took < Duration::from_secs(6), "too slow for 5/s: {took:?}");
}

#[tokio::test]
async fn a_full_window_fails_fast_with_the_wait_and_frees_up_after_it() {
    let Some(connection) = redis().await else { return };
    let limiter = RedisRateLimiter::new(connection).with_prefix(prefix("fail-fast"));
    let limits = Limits { per_second: Some(2), per_minute: None };
    let key = "cli_x:test.v1:limited";
    let first = limiter.acquire(key, limits, Some(Duration::ZERO)).await.expect("free");
    let second = limiter.acquire(key, limits, Some(Duration::ZERO)).await.expect("free");
    drop((first, second));
    tokio::time::sleep(Duration::from_millis(50)).await; // releases are recorded in the background
    let wait = limiter.acquire(key, limits, Some(Duration::ZERO)).await.expect_err("window full");
    assert!(wait > Duration::from_millis(500) && wait <= Duration::from_millis(1100), "{wait:?}");
    // Waiting is allowed: the slot comes when the window has passed.
    let start = Instant::now();
    let _third = limiter.acquire(key, limits, None).await.expect("a slot after the window");
    assert!(start.elapsed() >= wait.saturating_sub(Duration::from_millis(50)), "{:?} < {wait:?}", start.elapsed());
}

#[tokio::test]
async fn a_slot_never_given_back_frees_the_key_when_its_lease_ends() {
    let Some(connection) = redis().await else { return };
    let prefix = prefix("lease");
    let crashed =
        RedisRateLimiter::new(connection.clone()).with_prefix(prefix.clone()).with_lease(Duration::from_millis(300));
    let limits = Limits { per_second: Some(1), per_minute: None };
    let key = "cli_x:test.v1:limited";
    // A process that dies mid-request never releases its slot.
    std::mem::forget(crashed.acquire(key, limits, None).await.expect("free"));
    let other = RedisRateLimiter::new(redis().await.expect("connected above")).with_prefix(prefix);
    let start = Instant::now();
    let _slot = other.acquire(key, limits, Some(Duration::from_secs(5))).await.expect("freed by the lease");
    let waited = start.elapsed();
    // Lease (0.3 s) + window (1 s) + margin, not forever.
    assert!(waited >= Duration::from_millis(1200) && waited < Duration::from_millis(2500), "{waited:?}");
}

#[tokio::test]
async fn a_429_seen_by_one_process_pauses_the_key_for_the_others() {
    let Some(connection) = redis().await else { return };
    let prefix = prefix("pause");
    let seen = RedisRateLimiter::new(connection).with_prefix(prefix.clone());
    let other = RedisRateLimiter::new(redis().await.expect("connected above")).with_prefix(prefix);
    let limits = Limits { per_second: Some(50), per_minute: None };
    let key = "cli_x:test.v1:limited";
    seen.server_throttled(key, Duration::from_millis(600));
    tokio::time::sleep(Duration::from_millis(50)).await; // the pause is recorded in the background
    let wait = other.acquire(key, limits, Some(Duration::ZERO)).await.expect_err("paused");
    assert!(wait > Duration::from_millis(400), "{wait:?}");
    let start = Instant::now();
    let _slot = other.acquire(key, limits, None).await.expect("after the pause");
    assert!(start.elapsed() >= Duration::from_millis(400), "{:?}", start.elapsed());
}

#[tokio::test]
async fn an_unreachable_redis_lets_calls_through_and_the_cache_falls_back_to_the_process() {
    let Some((mut server, url)) = private_redis() else {
        assert!(
            std::env::var("LARKGEN_REQUIRE_REDIS").is_err(),
            "LARKGEN_REQUIRE_REDIS is set but redis-server cannot start"
        );
        eprintln!("skipped: no redis-server binary to start a private server");
        return;
    };
    let manager = runtime::redis::Client::open(url.as_str())
        .expect("url")
        .get_connection_manager()
        .await
        .expect("private Redis answers");
    // The server goes away after the connection was made.
    server.kill().expect("stop the private Redis");
    server.wait().expect("stopped");
    let cache = RedisTokenCache::new(manager.clone());
    let limiter = RedisRateLimiter::new(manager);
    let limits = Limits { per_second: Some(1), per_minute: None };
    let outage = async {
        assert!(cache.get("tenant_access_token:cli_x").await.is_none(), "a failure is a miss");
        // The token this process fetches meanwhile is kept here: not one fetch per call.
        cache.set("tenant_access_token:cli_x", SecretString::from("t"), Duration::from_secs(5)).await;
        let kept = cache.get("tenant_access_token:cli_x").await.expect("kept in the process");
        assert_eq!(kept.expose_secret(), "t");
        cache.evict("tenant_access_token:cli_x", &kept).await;
        assert!(cache.get("tenant_access_token:cli_x").await.is_none(), "evicted here too");
        for _ in 0..3 {
            assert!(limiter.acquire("k", limits, Some(Duration::ZERO)).await.is_ok(), "fails open");
        }
    };
    tokio::time::timeout(Duration::from_secs(20), outage).await.expect("no call hangs on a dead Redis");
}

/// Starts a redis-server of our own on a free port, when the binary is installed.
fn private_redis() -> Option<(std::process::Child, String)> {
    let port = std::net::TcpListener::bind("127.0.0.1:0").ok()?.local_addr().ok()?.port();
    let dir = tempfile::tempdir().ok()?;
    let child = std::process::Command::new("redis-server")
        .args(["--bind", "127.0.0.1", "--port", &port.to_string(), "--save", "", "--appendonly", "no"])
        .arg("--dir")
        .arg(dir.path())
        .stdout(std::process::Stdio::null())
        .spawn()
        .ok()?;
    // Ready when it accepts connections.
    for _ in 0..100 {
        if std::net::TcpStream::connect(("127.0.0.1", port)).is_ok() {
            std::mem::forget(dir);
            return Some((child, format!("redis://127.0.0.1:{port}/")));
        }
        std::thread::sleep(Duration::from_millis(20));
    }
    None
}

#[tokio::test]
async fn limiter_and_cache_debug_show_no_secret() {
    let Some(connection) = redis().await else { return };
    let debug = format!("{:?} {:?}", RedisRateLimiter::new(connection.clone()), RedisTokenCache::new(connection));
    assert!(debug.contains("larkgen:"), "{debug}");
    assert!(!debug.contains("redis://"), "no connection details: {debug}");
}
