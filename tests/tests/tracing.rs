//! Observability: every call runs in a `lark.call` span that tells the endpoint, the attempt,
//! the HTTP status, the Lark code, the log id and the time spent waiting — and nothing the
//! client logs, at any level, contains the app secret or a token.

mod support;

use std::time::Duration;

use lark_client::baike_v1;
use lark_client::runtime::RetryPolicy;
use serde_json::json;
use support::capture::capture;
use support::*;
use tracing_subscriber::filter::LevelFilter;
use wiremock::matchers::{method, path};
use wiremock::{Mock, MockServer, Request, Respond, ResponseTemplate};

fn client(base: &str) -> baike_v1::Client {
    baike_v1::Client::new(
        lark_client::builder()
            .base_url(base)
            .app_credentials(APP_ID, APP_SECRET)
            .retry(RetryPolicy::new().backoff(Duration::from_millis(5), Duration::from_millis(10)))
            .build()
            .expect("builds"),
    )
}

fn assert_no_secrets(text: &str, secrets: &[&str]) {
    for secret in [APP_SECRET, TENANT_TOKEN].iter().chain(secrets) {
        assert!(!text.contains(secret), "{secret:?} leaked into the logs:\n{text}");
    }
}

/// Answers `replies` in turn, repeating the last one.
struct Sequence(Vec<ResponseTemplate>, std::sync::atomic::AtomicUsize);

impl Respond for Sequence {
    fn respond(&self, _: &Request) -> ResponseTemplate {
        let n = self.1.fetch_add(1, std::sync::atomic::Ordering::SeqCst);
        self.0[n.min(self.0.len() - 1)].clone()
    }
}

fn sequence(replies: Vec<ResponseTemplate>) -> Sequence {
    Sequence(replies, Default::default())
}

#[tokio::test]
async fn a_retried_call_is_traced_with_attempts_status_code_log_id_and_waits() {
    let server = MockServer::start().await;
    mount_token(&server, TENANT_TOKEN, 1).await;
    Mock::given(method("GET"))
        .and(path("/open-apis/baike/v1/classifications"))
        .respond_with(sequence(vec![
            lark_error(500, 1540002, "network anomaly", "log-fail-1"),
            ResponseTemplate::new(200)
                .insert_header("X-Tt-Logid", "log-ok-2")
                .set_body_json(json!({ "code": 0, "msg": "success", "data": { "items": [] } })),
        ]))
        .mount(&server)
        .await;
    let (logs, _guard) = capture(LevelFilter::TRACE);
    client(&server.uri()).classification().list().send().await.expect("second attempt succeeds");
    let text = logs.text();
    for expected in [
        "lark.call",
        "service=\"baike.v1\"",
        "endpoint=\"classification.list\"",
        "attempt=1",
        "attempt=2",
        "http_status=500",
        "code=1540002",
        "log_id=\"log-fail-1\"",
        "attempt failed; retrying",
        "http_status=200",
        "log_id=\"log-ok-2\"",
        "wait_ms=",
        "call succeeded",
        "fetching tenant access token",
        APP_ID,
    ] {
        assert!(text.contains(expected), "{expected:?} missing from the logs:\n{text}");
    }
    assert_no_secrets(&text, &[]);
}

#[tokio::test]
async fn token_refreshes_failures_and_user_tokens_leave_no_secret_in_the_logs() {
    let server = MockServer::start().await;
    Mock::given(method("POST"))
        .and(path(TOKEN_PATH))
        .respond_with(sequence(vec![token_answer("t-stale-secret", 7200), token_answer(TENANT_TOKEN, 7200)]))
        .mount(&server)
        .await;
    Mock::given(method("GET"))
        .and(path("/open-apis/baike/v1/files/a/download"))
        .respond_with(sequence(vec![
            lark_error(400, 99991663, "Invalid access token for authorization", "stale"),
            ResponseTemplate::new(200).insert_header("content-type", "image/png").set_body_bytes(vec![1u8; 8]),
        ]))
        .mount(&server)
        .await;
    Mock::given(method("GET"))
        .and(path("/open-apis/baike/v1/files/b/download"))
        .respond_with(lark_error(400, 99991668, "user access token invalid", "user-bad"))
        .mount(&server)
        .await;
    let (logs, _guard) = capture(LevelFilter::TRACE);
    let baike = client(&server.uri());
    baike.file().download("a").send().await.expect("refreshed and resent");
    let err = baike.file().download("b").user_access_token("u-user-secret-token").send().await.expect_err("refused");
    assert!(!err.to_string().contains("u-user-secret-token"));

    // The token endpoint refusing the credentials, on another client.
    let refusing = MockServer::start().await;
    Mock::given(method("POST"))
        .and(path(TOKEN_PATH))
        .respond_with(ResponseTemplate::new(200).set_body_json(json!({ "code": 10003, "msg": "invalid param" })))
        .mount(&refusing)
        .await;
    client(&refusing.uri()).classification().list().send().await.expect_err("auth fails");

    let text = logs.text();
    assert!(text.contains("tenant token refused; refetching once"), "{text}");
    assert!(text.contains("code=99991663") && text.contains("code=99991668"), "{text}");
    assert!(text.contains("token fetch failed"), "{text}");
    assert_no_secrets(&text, &["t-stale-secret", "u-user-secret-token"]);
}
