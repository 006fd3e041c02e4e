//! Observability: every call runs in a `lark.call` span that tells the endpoint, the attempt,
//! the HTTP status, the Lark code, the log id and the time spent waiting — and nothing the
//! client logs, at any level, contains the app secret or a token.

mod support;

use std::io::Write;
use std::sync::{Arc, Mutex};
use std::time::Duration;

use lark_client::baike_v1;
use lark_client::runtime::RetryPolicy;
use serde_json::json;
use support::*;
use tracing_subscriber::fmt::MakeWriter;
use tracing_subscriber::util::SubscriberInitExt;
use wiremock::matchers::{method, path};
use wiremock::{Mock, MockServer, Request, Respond, ResponseTemplate};

/// Collects everything the subscriber writes.
#[derive(Clone, Default)]
struct Capture(Arc<Mutex<Vec<u8>>>);

impl Capture {
    fn text(&self) -> String {
        String::from_utf8_lossy(&self.0.lock().unwrap()).into_owned()
    }
}

impl Write for Capture {
    fn write(&mut self, buf: &[u8]) -> std::io::Result<usize> {
        self.0.lock().unwrap().extend_from_slice(buf);
        Ok(buf.len())
    }
    fn flush(&mut self) -> std::io::Result<()> {
        Ok(())
    }
}

impl<'a> MakeWriter<'a> for Capture {
    type Writer = Capture;
    fn make_writer(&'a self) -> Self::Writer {
        self.clone()
    }
}

/// Installs a TRACE-level subscriber for this thread (tests run on a current-thread runtime).
fn capture() -> (Capture, impl Sized) {
    let capture = Capture::default();
    let guard = tracing_subscriber::fmt()
        .with_max_level(tracing_subscriber::filter::LevelFilter::TRACE)
        .with_writer(capture.clone())
        .with_ansi(false)
        .finish()
        .set_default();
    (capture, guard)
}

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
    let (logs, _guard) = capture();
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
    let (logs, _guard) = capture();
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
