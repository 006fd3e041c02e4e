//! Tenant-token lifecycle and secrecy, end to end.

mod support;

use std::sync::Arc;
use std::sync::atomic::{AtomicUsize, Ordering};

use support::*;
use wiremock::matchers::{header, method, path};
use wiremock::{Mock, MockServer, Request, Respond, ResponseTemplate};

fn png() -> ResponseTemplate {
    ResponseTemplate::new(200).insert_header("content-type", "image/png").set_body_bytes(vec![7u8; 16])
}

#[tokio::test]
async fn tenant_token_is_fetched_once_and_shared_by_clones_and_tasks() {
    let server = MockServer::start().await;
    mount_token(&server, TENANT_TOKEN, 1).await;
    Mock::given(method("GET"))
        .and(header("authorization", format!("Bearer {TENANT_TOKEN}").as_str()))
        .respond_with(png())
        .expect(12)
        .mount(&server)
        .await;
    let client = baike(&server.uri());
    let mut tasks = Vec::new();
    for i in 0..10 {
        let c = client.clone();
        tasks.push(tokio::spawn(async move { c.file().download(format!("f{i}")).send().await.map(|_| ()) }));
    }
    for t in tasks {
        t.await.expect("task").expect("download");
    }
    client.file().download("a").send().await.expect("sequential 1");
    client.clone().file().download("b").send().await.expect("sequential 2");
}

/// Answers 99991663 to the first token, success to the second.
struct RejectFirstToken {
    calls: Arc<AtomicUsize>,
}

impl Respond for RejectFirstToken {
    fn respond(&self, request: &Request) -> ResponseTemplate {
        self.calls.fetch_add(1, Ordering::SeqCst);
        let auth = request.headers.get("authorization").and_then(|v| v.to_str().ok()).unwrap_or_default();
        if auth == "Bearer t-stale" {
            lark_error(
                400,
                99991663,
                "Invalid access token for authorization. Please make a request with token attached.",
                "stale-1",
            )
        } else {
            png()
        }
    }
}

/// Hands out `t-stale` first, then `t-fresh`.
struct TokenSequence {
    calls: Arc<AtomicUsize>,
}

impl Respond for TokenSequence {
    fn respond(&self, _: &Request) -> ResponseTemplate {
        let n = self.calls.fetch_add(1, Ordering::SeqCst);
        token_answer(if n == 0 { "t-stale" } else { "t-fresh" }, 7200)
    }
}

#[tokio::test]
async fn invalid_tenant_token_is_evicted_and_refetched_once() {
    let server = MockServer::start().await;
    let token_calls = Arc::new(AtomicUsize::new(0));
    let api_calls = Arc::new(AtomicUsize::new(0));
    Mock::given(method("POST"))
        .and(path(TOKEN_PATH))
        .respond_with(TokenSequence { calls: token_calls.clone() })
        .mount(&server)
        .await;
    Mock::given(method("GET")).respond_with(RejectFirstToken { calls: api_calls.clone() }).mount(&server).await;

    let client = baike(&server.uri());
    client.file().download("x").send().await.expect("succeeds after one refresh");
    assert_eq!(token_calls.load(Ordering::SeqCst), 2, "one refetch");
    assert_eq!(api_calls.load(Ordering::SeqCst), 2, "one retry");
    // The fresh token is cached now.
    client.file().download("y").send().await.expect("cached fresh token");
    assert_eq!(token_calls.load(Ordering::SeqCst), 2);
}

#[tokio::test]
async fn a_token_the_server_keeps_rejecting_is_refetched_only_once() {
    let server = MockServer::start().await;
    mount_token(&server, TENANT_TOKEN, 2).await;
    Mock::given(method("GET"))
        .respond_with(lark_error(400, 99991663, "Invalid access token for authorization", "bad-1"))
        .expect(2)
        .mount(&server)
        .await;
    let err = baike(&server.uri()).file().download("x").send().await.expect_err("fails");
    assert_eq!(err.code(), Some(99991663));
    assert_eq!(err.log_id(), Some("bad-1"));
}

#[tokio::test]
async fn token_endpoint_refusal_is_a_typed_auth_error() {
    let server = MockServer::start().await;
    Mock::given(method("POST"))
        .and(path(TOKEN_PATH))
        .respond_with(
            ResponseTemplate::new(200)
                .set_body_json(serde_json::json!({"code": 10003, "msg": "invalid param", "data": {}})),
        )
        .expect(1)
        .mount(&server)
        .await;
    let err = baike(&server.uri()).file().download("x").send().await.expect_err("auth fails");
    let lark_client::baike_v1::FileDownloadError::Unhandled(lark_client::runtime::Error::Auth(auth)) = &err else {
        panic!("expected an auth error, got {err:?}");
    };
    assert_eq!(auth.code, Some(10003));
    assert_eq!(err.code(), Some(10003));
    assert!(!format!("{err} {err:?}").contains(APP_SECRET), "no secret in the error");
}

#[tokio::test]
async fn secrets_never_appear_in_debug_or_errors() {
    let server = MockServer::start().await;
    mount_token(&server, TENANT_TOKEN, 1).await;
    Mock::given(method("GET")).respond_with(lark_error(400, 1540001, "invalid param", "log-x")).mount(&server).await;
    let client = baike(&server.uri());
    let request = client.file().download("tok").user_access_token("u-very-secret-user-token");
    let request_debug = format!("{request:?}");
    let err = client.file().download("tok").send().await.expect_err("api error");
    let outputs = [
        format!("{client:?}"),
        format!("{:?}", client.runtime()),
        format!("{:?}", lark_client::builder().app_credentials(APP_ID, APP_SECRET)),
        request_debug,
        format!("{err}"),
        format!("{err:?}"),
    ];
    for text in &outputs {
        assert!(!text.contains(APP_SECRET), "app secret leaked: {text}");
        assert!(!text.contains(TENANT_TOKEN), "tenant token leaked: {text}");
        assert!(!text.contains("u-very-secret-user-token"), "user token leaked: {text}");
    }
    assert!(outputs[0].contains(APP_ID), "the app id is not a secret and helps debugging");
}
