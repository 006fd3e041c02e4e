//! Fault injection: loopback servers that misbehave on purpose, and what the client must do
//! about each — retry (and how often), give up with a typed error, leave no partial file,
//! keep memory bounded, never panic, never print a secret.
//!
//! Every client here uses millisecond backoffs so each test stays well under two seconds.

mod support;

use std::sync::Arc;
use std::sync::atomic::{AtomicU64, AtomicUsize, Ordering};
use std::time::{Duration, Instant};

use lark_client::baike_v1::{self, ClassificationListError, FileDownloadError, FileUploadForm, endpoints};
use lark_client::runtime::{self, Call, Error, ErrorMeta, RetryPolicy};
use serde_json::{Value, json};
use support::*;
use tokio::io::{AsyncReadExt, AsyncWriteExt};
use wiremock::matchers::{method, path};
use wiremock::{Mock, MockServer, Request, Respond, ResponseTemplate};

// ---------------------------------------------------------------------------------------
// Clients and assertions

/// Retries with millisecond backoffs (3 attempts unless a test says otherwise).
fn fast() -> RetryPolicy {
    RetryPolicy::new()
        .backoff(Duration::from_millis(5), Duration::from_millis(20))
        .throttle_wait(Duration::from_millis(50), Duration::from_secs(2))
}

fn runtime_with(base: &str, policy: RetryPolicy, timeout: Duration) -> runtime::Client {
    lark_client::builder()
        .base_url(base)
        .app_credentials(APP_ID, APP_SECRET)
        .timeout(Some(timeout))
        .read_timeout(Some(timeout))
        .token_timeout(timeout)
        .retry(policy)
        .build()
        .expect("client builds")
}

fn baike_with(base: &str, policy: RetryPolicy) -> baike_v1::Client {
    baike_v1::Client::new(runtime_with(base, policy, Duration::from_secs(2)))
}

/// `entity.create`: a POST the descriptor marks as not idempotent.
async fn create_entity(client: &runtime::Client) -> Result<Value, Error> {
    assert!(!endpoints::ENTITY_CREATE.idempotent);
    let mut call = Call::new(&endpoints::ENTITY_CREATE);
    call.json(&json!({ "main_keys": [{ "key": "飞书" }] }));
    client.send_json::<Value>(call).await
}

/// The rendered error (Display and Debug) mentions no secret.
fn assert_no_secret(err: &dyn std::fmt::Debug, shown: &str) {
    let text = format!("{shown} {err:?}");
    assert!(!text.contains(APP_SECRET), "app secret leaked: {text}");
    assert!(!text.contains(TENANT_TOKEN), "tenant token leaked: {text}");
}

macro_rules! no_secret {
    ($err:expr) => {
        assert_no_secret(&$err, &$err.to_string())
    };
}

/// API requests a wiremock server received (the token fetches aside).
async fn api_hits(server: &MockServer) -> usize {
    server.received_requests().await.expect("recording on").iter().filter(|r| r.url.path() != TOKEN_PATH).count()
}

async fn token_hits(server: &MockServer) -> usize {
    server.received_requests().await.expect("recording on").iter().filter(|r| r.url.path() == TOKEN_PATH).count()
}

/// Answers with `replies` in turn, repeating the last one.
struct Sequence(Vec<ResponseTemplate>, AtomicUsize);

impl Sequence {
    fn new(replies: Vec<ResponseTemplate>) -> Self {
        Self(replies, AtomicUsize::new(0))
    }
}

impl Respond for Sequence {
    fn respond(&self, _: &Request) -> ResponseTemplate {
        let n = self.1.fetch_add(1, Ordering::SeqCst);
        self.0[n.min(self.0.len() - 1)].clone()
    }
}

/// A wiremock server with the token endpoint and `replies` on every other path.
async fn sequence_server(replies: Vec<ResponseTemplate>) -> MockServer {
    let server = MockServer::start().await;
    Mock::given(method("POST"))
        .and(path(TOKEN_PATH))
        .respond_with(token_answer(TENANT_TOKEN, 7200))
        .mount(&server)
        .await;
    Mock::given(wiremock::matchers::path_regex("^/open-apis/baike/"))
        .respond_with(Sequence::new(replies))
        .mount(&server)
        .await;
    server
}

fn html(status: u16) -> ResponseTemplate {
    ResponseTemplate::new(status)
        .insert_header("X-Tt-Logid", format!("gw-{status}").as_str())
        .set_body_raw(format!("<html><body><h1>{status}</h1>{}</body></html>", "x".repeat(4000)), "text/html")
}

fn classifications() -> ResponseTemplate {
    lark_ok(json!({ "items": [{ "id": "c1", "name": "Tech" }] }))
}

fn throttled(reset: Option<&str>) -> ResponseTemplate {
    let mut t = ResponseTemplate::new(429)
        .insert_header("X-Tt-Logid", "throttled-1")
        .insert_header("x-ogw-ratelimit-limit", "50")
        .set_body_json(json!({ "code": 99991400, "msg": "request trigger frequency limit" }));
    if let Some(reset) = reset {
        t = t.insert_header("x-ogw-ratelimit-reset", reset);
    }
    t
}

// ---------------------------------------------------------------------------------------
// A raw loopback server for what wiremock cannot do: hang up, cut or stall a body, flood.

#[derive(Clone)]
enum Reply {
    /// Head and body, then close.
    Send(String, Vec<u8>),
    /// Head and the start of a body, then silence for this long.
    Stall(String, Vec<u8>, Duration),
    /// Close the connection without answering.
    Hangup,
    /// Head, `prefix`, then filler until `total` bytes or until the client stops reading.
    Flood(String, Vec<u8>, usize),
}

struct FaultServer {
    base: String,
    /// API requests answered (token fetches aside).
    hits: Arc<AtomicUsize>,
    /// Body bytes the server managed to write (for `Flood`).
    written: Arc<AtomicU64>,
}

fn head(status: &str, content_type: &str, length: usize) -> String {
    format!(
        "HTTP/1.1 {status}\r\ncontent-type: {content_type}\r\ncontent-length: {length}\r\nx-tt-logid: raw-1\r\nconnection: close\r\n\r\n"
    )
}

fn json_reply(status: &str, body: &Value) -> Reply {
    let body = serde_json::to_vec(body).expect("json");
    Reply::Send(head(status, "application/json; charset=utf-8", body.len()), body)
}

fn ok_reply() -> Reply {
    json_reply("200 OK", &json!({ "code": 0, "msg": "success", "data": { "items": [] } }))
}

/// Answers tenant-token requests properly and API request number `n` (from 0) with `script(n)`.
async fn fault_server(script: impl Fn(usize) -> Reply + Send + Sync + 'static) -> FaultServer {
    let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.expect("bind loopback");
    let base = format!("http://{}", listener.local_addr().expect("addr"));
    let hits = Arc::new(AtomicUsize::new(0));
    let written = Arc::new(AtomicU64::new(0));
    let script = Arc::new(script);
    let (h, w) = (hits.clone(), written.clone());
    tokio::spawn(async move {
        loop {
            let Ok((mut socket, _)) = listener.accept().await else { return };
            let (hits, written, script) = (h.clone(), w.clone(), script.clone());
            tokio::spawn(async move {
                let Some(request) = read_request(&mut socket).await else { return };
                let reply = if request.contains("tenant_access_token") {
                    json_reply(
                        "200 OK",
                        &json!({"code": 0, "msg": "ok", "tenant_access_token": TENANT_TOKEN, "expire": 7200}),
                    )
                } else {
                    script(hits.fetch_add(1, Ordering::SeqCst))
                };
                match reply {
                    Reply::Send(head, body) => {
                        let _ = socket.write_all(head.as_bytes()).await;
                        let _ = socket.write_all(&body).await;
                    }
                    Reply::Stall(head, body, pause) => {
                        let _ = socket.write_all(head.as_bytes()).await;
                        let _ = socket.write_all(&body).await;
                        tokio::time::sleep(pause).await;
                    }
                    Reply::Hangup => {}
                    Reply::Flood(head, prefix, total) => {
                        let _ = socket.write_all(head.as_bytes()).await;
                        let _ = socket.write_all(&prefix).await;
                        let chunk = vec![b' '; 64 * 1024];
                        let mut sent = prefix.len();
                        while sent < total {
                            let n = chunk.len().min(total - sent);
                            if socket.write_all(&chunk[..n]).await.is_err() {
                                break;
                            }
                            sent += n;
                            written.store(sent as u64, Ordering::SeqCst);
                        }
                    }
                }
                let _ = socket.flush().await;
            });
        }
    });
    FaultServer { base, hits, written }
}

/// Reads one request (head and `content-length` body); `None` if the client went away.
async fn read_request(socket: &mut tokio::net::TcpStream) -> Option<String> {
    let mut seen = Vec::new();
    let mut buf = vec![0u8; 16 * 1024];
    loop {
        let n = socket.read(&mut buf).await.ok()?;
        if n == 0 {
            return None;
        }
        seen.extend_from_slice(&buf[..n]);
        if request_len(&seen).is_some() {
            return Some(String::from_utf8_lossy(&seen).into_owned());
        }
    }
}

// ---------------------------------------------------------------------------------------
// 5xx bursts and budgets

#[tokio::test]
async fn a_5xx_burst_is_retried_until_it_passes() {
    let server =
        sequence_server(vec![html(502), lark_error(500, 1540002, "network anomaly", "l-500"), classifications()]).await;
    let data = baike_with(&server.uri(), fast()).classification().list().send().await.expect("third attempt succeeds");
    assert_eq!(data.items.map(|i| i.len()), Some(1));
    assert_eq!(api_hits(&server).await, 3, "two failures, one success");
    assert_eq!(token_hits(&server).await, 1, "the token is fetched once for all attempts");
}

#[tokio::test]
async fn a_5xx_burst_longer_than_the_attempts_ends_with_the_last_typed_error() {
    let server = sequence_server(vec![html(503)]).await;
    let err =
        baike_with(&server.uri(), fast().max_attempts(4)).classification().list().send().await.expect_err("fails");
    let ClassificationListError::Unhandled(Error::UnexpectedResponse(u)) = &err else { panic!("got {err:?}") };
    assert_eq!((u.http_status, u.log_id.as_deref()), (503, Some("gw-503")));
    assert!(u.body_snippet.len() <= 512);
    assert_eq!(api_hits(&server).await, 4);
    no_secret!(err);
}

#[tokio::test]
async fn the_time_budget_stops_retries_before_the_attempts_run_out() {
    let server = sequence_server(vec![lark_error(500, 1540002, "network anomaly", "l-500")]).await;
    let policy = RetryPolicy::new()
        .max_attempts(50)
        .backoff(Duration::from_millis(60), Duration::from_millis(60))
        .jitter(false)
        .budget(Duration::from_millis(200));
    let started = Instant::now();
    let err = baike_with(&server.uri(), policy).classification().list().send().await.expect_err("fails");
    assert!(matches!(err, ClassificationListError::NetworkAnomaly(_)), "got {err:?}");
    let hits = api_hits(&server).await;
    assert!((2..=4).contains(&hits), "a 200 ms budget allows about 3 attempts 60 ms apart, not 50: {hits}");
    assert!(started.elapsed() < Duration::from_millis(800), "{:?}", started.elapsed());
}

#[tokio::test]
async fn a_non_idempotent_post_is_not_resent_after_a_5xx() {
    let server = sequence_server(vec![lark_error(500, 1540002, "network anomaly", "l-500"), lark_ok(json!({}))]).await;
    let err = create_entity(&runtime_with(&server.uri(), fast(), Duration::from_secs(2))).await.expect_err("fails");
    let api = err.as_api().expect("api error");
    assert_eq!(api.code, 1540002);
    assert!(err.is_retryable(), "the code is retryable in itself …");
    assert_eq!(api_hits(&server).await, 1, "… but entity.create may have been processed: not resent");
}

#[tokio::test]
async fn idempotent_posts_are_retried_like_gets() {
    // entity.match is a POST the spec declares idempotent (a pure lookup).
    assert!(endpoints::ENTITY_MATCH.idempotent);
    let server = sequence_server(vec![html(502), lark_ok(json!({ "result": [] }))]).await;
    let mut call = Call::new(&endpoints::ENTITY_MATCH);
    call.json(&json!({ "word": "飞书" }));
    runtime_with(&server.uri(), fast(), Duration::from_secs(2)).send_json::<Value>(call).await.expect("retried");
    assert_eq!(api_hits(&server).await, 2);
}

#[tokio::test]
async fn retry_none_sends_once() {
    let server = sequence_server(vec![html(502), classifications()]).await;
    let err = baike_with(&server.uri(), RetryPolicy::none()).classification().list().send().await.expect_err("fails");
    assert_eq!(err.http_status(), Some(502));
    assert_eq!(api_hits(&server).await, 1);
}

#[tokio::test]
async fn per_call_options_override_the_client_policy() {
    let server = sequence_server(vec![html(502)]).await;
    let client = runtime_with(&server.uri(), fast().max_attempts(5), Duration::from_secs(2));
    let once = baike_v1::Client::new(client.with_options(runtime::CallOptions::new().retry(RetryPolicy::none())));
    once.classification().list().send().await.expect_err("fails");
    assert_eq!(api_hits(&server).await, 1, "the per-call policy says one attempt");
    baike_v1::Client::new(client).classification().list().send().await.expect_err("fails");
    assert_eq!(api_hits(&server).await, 1 + 5, "the client policy is untouched");
}

// ---------------------------------------------------------------------------------------
// Connections lost, bodies cut or stalled

#[tokio::test]
async fn a_connection_reset_mid_body_is_retried_for_an_idempotent_get() {
    let server = fault_server(|n| match n {
        0 => Reply::Send(head("200 OK", "application/json", 1000), b"{\"code\":0,\"data\":{\"it".to_vec()),
        1 => Reply::Hangup,
        _ => ok_reply(),
    })
    .await;
    let data = baike_with(&server.base, fast()).classification().list().send().await.expect("third attempt");
    assert_eq!(data.items.map(|i| i.len()), Some(0));
    assert_eq!(server.hits.load(Ordering::SeqCst), 3);
}

#[tokio::test]
async fn a_connection_reset_mid_body_is_not_retried_for_a_non_idempotent_post() {
    let server =
        fault_server(|_| Reply::Send(head("200 OK", "application/json", 1000), b"{\"code\":0,".to_vec())).await;
    let err = create_entity(&runtime_with(&server.base, fast(), Duration::from_secs(2))).await.expect_err("cut");
    let Error::Transport(t) = &err else { panic!("got {err:?}") };
    assert!(!t.not_sent, "the request was sent");
    assert_eq!(server.hits.load(Ordering::SeqCst), 1, "the server may have created the entity: no resend");
    no_secret!(err);
}

#[tokio::test]
async fn a_refused_connection_is_retried_even_for_a_non_idempotent_post() {
    // A port bound but not listening yet: connections are refused (and no other test can take
    // the port); after 60 ms it starts listening.
    let socket = tokio::net::TcpSocket::new_v4().expect("socket");
    socket.bind("127.0.0.1:0".parse().unwrap()).expect("bind");
    let port = socket.local_addr().expect("addr").port();
    let hits = Arc::new(AtomicUsize::new(0));
    let h = hits.clone();
    tokio::spawn(async move {
        tokio::time::sleep(Duration::from_millis(60)).await;
        let listener = socket.listen(64).expect("listen");
        loop {
            let Ok((mut socket, _)) = listener.accept().await else { return };
            if read_request(&mut socket).await.is_some() {
                h.fetch_add(1, Ordering::SeqCst);
                let body = br#"{"code":0,"msg":"success","data":{"entity":{"id":"e1"}}}"#;
                let _ = socket.write_all(head("200 OK", "application/json", body.len()).as_bytes()).await;
                let _ = socket.write_all(body).await;
            }
        }
    });
    let policy = fast().max_attempts(100).backoff(Duration::from_millis(20), Duration::from_millis(20));
    let client = runtime_with(&format!("http://127.0.0.1:{port}"), policy, Duration::from_secs(2));
    // A user token: no token fetch, so the refused attempts are the API call's own.
    let mut call = Call::new(&endpoints::ENTITY_CREATE);
    call.json(&json!({ "main_keys": [{ "key": "飞书" }] })).user_token(Some("u-user".into()));
    let data: Value = client.send_json(call).await.expect("sent once the server is up");
    assert_eq!(data["entity"]["id"], "e1");
    assert_eq!(hits.load(Ordering::SeqCst), 1, "the request reached the server exactly once");
}

#[tokio::test]
async fn a_stalled_json_body_times_out_and_is_retried_within_the_attempts() {
    let server = fault_server(|_| {
        Reply::Stall(head("200 OK", "application/json", 500), b"{\"code\":0,\"data\":".to_vec(), Duration::from_secs(5))
    })
    .await;
    let client = baike_v1::Client::new(runtime_with(&server.base, fast().max_attempts(2), Duration::from_millis(250)));
    let started = Instant::now();
    let err = client.classification().list().send().await.expect_err("times out");
    let ClassificationListError::Unhandled(Error::Transport(t)) = &err else { panic!("got {err:?}") };
    assert!(t.timeout, "a timeout: {err}");
    assert_eq!(server.hits.load(Ordering::SeqCst), 2);
    assert!(started.elapsed() < Duration::from_millis(1500), "{:?}", started.elapsed());
}

#[tokio::test]
async fn a_stalled_json_body_says_it_timed_out_with_only_a_read_timeout() {
    let server = fault_server(|_| {
        Reply::Stall(head("200 OK", "application/json", 500), b"{\"code\":0,\"data\":".to_vec(), Duration::from_secs(5))
    })
    .await;
    let runtime = lark_client::builder()
        .base_url(&server.base)
        .app_credentials(APP_ID, APP_SECRET)
        .timeout(None)
        .read_timeout(Some(Duration::from_millis(250)))
        .retry(RetryPolicy::none())
        .build()
        .expect("client builds");
    let err = baike_v1::Client::new(runtime).classification().list().send().await.expect_err("stalls");
    let ClassificationListError::Unhandled(Error::Transport(t)) = &err else { panic!("got {err:?}") };
    assert!(t.timeout && !t.not_sent, "{err:?}");
    assert!(err.to_string().contains("timed out"), "{err}");
}

#[tokio::test]
async fn a_download_that_stalls_mid_body_fails_without_a_partial_file() {
    let server =
        fault_server(|_| Reply::Stall(head("200 OK", "image/png", 100_000), vec![9u8; 30_000], Duration::from_secs(5)))
            .await;
    let client = baike_v1::Client::new(runtime_with(&server.base, fast(), Duration::from_millis(300)));
    let dir = tempfile::tempdir().expect("tempdir");
    let target = dir.path().join("stalled.png");
    let download = client.file().download("x").send().await.expect("headers arrive");
    let err = download.save_to(&target).await.expect_err("the body never completes");
    let Error::Body(body) = &err else { panic!("got {err:?}") };
    assert!(body.timeout && body.received == 30_000, "a stall, not a broken connection: {err:?}");
    assert!(err.to_string().contains("timed out"), "{err}");
    assert!(files_in(dir.path()).is_empty(), "no partial file: {:?}", files_in(dir.path()));
    assert_eq!(server.hits.load(Ordering::SeqCst), 1, "a body handed to the caller is not re-requested");
}

#[tokio::test]
async fn a_truncated_download_leaves_no_partial_file_and_is_not_resent() {
    let server = fault_server(|_| Reply::Send(head("200 OK", "image/png", 100_000), vec![7u8; 40_000])).await;
    let dir = tempfile::tempdir().expect("tempdir");
    let target = dir.path().join("cut.png");
    let download = baike_with(&server.base, fast()).file().download("cut").send().await.expect("headers arrive");
    let err = download.save_to(&target).await.expect_err("truncated");
    let Error::Body(body) = &err else { panic!("got {err:?}") };
    assert_eq!((body.expected, body.received), (Some(100_000), 40_000));
    assert!(!target.exists());
    assert!(files_in(dir.path()).is_empty(), "no partial file: {:?}", files_in(dir.path()));
    assert_eq!(server.hits.load(Ordering::SeqCst), 1);
}

#[tokio::test]
async fn a_download_cut_before_its_headers_is_retried_and_saved_whole() {
    let image: Vec<u8> = (0..50_000u32).map(|i| (i % 251) as u8).collect();
    let body = image.clone();
    let server = fault_server(move |n| match n {
        0 => Reply::Hangup,
        _ => Reply::Send(head("200 OK", "image/png", body.len()), body.clone()),
    })
    .await;
    let dir = tempfile::tempdir().expect("tempdir");
    let target = dir.path().join("whole.png");
    let download = baike_with(&server.base, fast()).file().download("x").send().await.expect("second attempt");
    let saved = download.save_to(&target).await.expect("saved");
    assert_eq!(saved.bytes, image.len() as u64);
    assert_eq!(std::fs::read(&target).expect("file"), image);
    assert_eq!(server.hits.load(Ordering::SeqCst), 2);
}

// ---------------------------------------------------------------------------------------
// Answers that are not Lark envelopes

#[tokio::test]
async fn an_html_error_page_is_typed_and_only_retried_when_safe() {
    let server = sequence_server(vec![html(502)]).await;
    let err = create_entity(&runtime_with(&server.uri(), fast(), Duration::from_secs(2))).await.expect_err("html");
    let Error::UnexpectedResponse(u) = &err else { panic!("got {err:?}") };
    assert_eq!((u.http_status, u.content_type.as_deref()), (502, Some("text/html")));
    assert!(u.body_snippet.starts_with("<html><body><h1>502</h1>") && u.body_snippet.len() <= 512);
    assert_eq!(api_hits(&server).await, 1, "POST entity.create: not resent");

    let err = baike_with(&server.uri(), fast()).file().download("x").send().await.expect_err("html");
    assert!(matches!(err, FileDownloadError::Unhandled(Error::UnexpectedResponse(_))), "got {err:?}");
    assert_eq!(api_hits(&server).await, 1 + 3, "GET file.download: retried up to 3 attempts");
    no_secret!(err);
}

#[tokio::test]
async fn invalid_json_in_a_200_is_typed_and_not_retried() {
    let server =
        sequence_server(vec![ResponseTemplate::new(200).set_body_raw("{\"code\":0,\"data\":{", "application/json")])
            .await;
    let err = baike_with(&server.uri(), fast()).classification().list().send().await.expect_err("bad json");
    let ClassificationListError::Unhandled(Error::UnexpectedResponse(u)) = &err else { panic!("got {err:?}") };
    assert!(u.reason.contains("invalid JSON"), "{}", u.reason);
    assert_eq!(u.kind, runtime::UnexpectedKind::InvalidJson);
    assert_eq!(api_hits(&server).await, 1, "a 200 is an answer, not a transient failure");
}

#[tokio::test]
async fn only_a_json_object_is_an_envelope() {
    // serde would read the array into the envelope's fields, in order: code 0, msg, data.
    for body in [r#"[0, "success", {"items": []}]"#, r#""success""#, "0", r#"{"msg": "no code", "data": {}}"#] {
        let server = sequence_server(vec![ResponseTemplate::new(200).set_body_raw(body, "application/json")]).await;
        let err = baike_with(&server.uri(), fast()).classification().list().send().await.expect_err(body);
        let ClassificationListError::Unhandled(Error::UnexpectedResponse(u)) = &err else { panic!("got {err:?}") };
        assert_eq!(u.kind, runtime::UnexpectedKind::NotAnEnvelope, "{body}: {err}");
        assert_eq!((u.http_status, &u.body[..]), (200, body.as_bytes()), "the raw body is kept");
        assert!(err.to_string().contains("not a Lark envelope"), "{err}");
        assert_eq!(api_hits(&server).await, 1, "{body}: an answer, not a transient failure");
    }
}

#[tokio::test]
async fn a_huge_json_error_body_is_read_only_up_to_the_cap() {
    const HUGE: usize = 50 * 1024 * 1024;
    let prefix = br#"{"code":1540002,"msg":"network anomaly","pad":""#.to_vec();
    let server = fault_server(move |_| {
        Reply::Flood(head("500 Internal Server Error", "application/json", HUGE), prefix.clone(), HUGE)
    })
    .await;
    let started = Instant::now();
    let err = baike_with(&server.base, RetryPolicy::none()).classification().list().send().await.expect_err("500");
    let ClassificationListError::Unhandled(Error::UnexpectedResponse(u)) = &err else { panic!("got {err:?}") };
    assert!(u.reason.contains("invalid JSON"), "1 MiB of a 50 MB document does not parse: {}", u.reason);
    assert!(u.body_snippet.len() <= 512);
    // The client stopped reading at 1 MiB and hung up; the server could push at most what
    // the socket buffers absorb on top of that.
    tokio::time::sleep(Duration::from_millis(100)).await;
    let written = server.written.load(Ordering::SeqCst) as usize;
    eprintln!("50 MB error body: the server could write {written} bytes before the client hung up");
    assert!(written < HUGE / 4, "the client read far less than the body: the server wrote {written} bytes");
    assert!(started.elapsed() < Duration::from_secs(2), "{:?}", started.elapsed());
}

#[tokio::test]
async fn a_huge_html_error_body_is_not_buffered() {
    const HUGE: usize = 50 * 1024 * 1024;
    let server =
        fault_server(|_| Reply::Flood(head("503 Service Unavailable", "text/html", HUGE), b"<html>".to_vec(), HUGE))
            .await;
    let err = baike_with(&server.base, RetryPolicy::none()).classification().list().send().await.expect_err("503");
    let ClassificationListError::Unhandled(Error::UnexpectedResponse(u)) = &err else { panic!("got {err:?}") };
    assert!(u.body_snippet.starts_with("<html>") && u.body_snippet.len() <= 512);
    tokio::time::sleep(Duration::from_millis(100)).await;
    assert!((server.written.load(Ordering::SeqCst) as usize) < HUGE / 4);
}

// ---------------------------------------------------------------------------------------
// The limit on successful JSON bodies

fn limited(base: &str, limit: usize) -> baike_v1::Client {
    let runtime = lark_client::builder()
        .base_url(base)
        .app_credentials(APP_ID, APP_SECRET)
        .json_body_limit(limit)
        .retry(fast())
        .build()
        .expect("client builds");
    baike_v1::Client::new(runtime)
}

#[tokio::test]
async fn a_success_announced_over_the_limit_is_not_read_and_not_resent() {
    const HUGE: usize = 50 * 1024 * 1024;
    let prefix = br#"{"code":0,"msg":"success","data":{"items":[],"pad":""#.to_vec();
    let server =
        fault_server(move |_| Reply::Flood(head("200 OK", "application/json", HUGE), prefix.clone(), HUGE)).await;
    let err = limited(&server.base, 64 * 1024).classification().list().send().await.expect_err("too large");
    let ClassificationListError::Unhandled(Error::TooLarge(t)) = &err else { panic!("got {err:?}") };
    assert_eq!((t.http_status, t.log_id.as_deref()), (200, Some("raw-1")));
    assert_eq!((t.limit, t.content_length), (64 * 1024, Some(HUGE as u64)));
    assert!(!err.is_retryable() && err.to_string().contains("larger than the limit of 65536 bytes"), "{err}");
    assert_eq!(server.hits.load(Ordering::SeqCst), 1, "not resent, even for a GET: it would be as large again");
    tokio::time::sleep(Duration::from_millis(100)).await;
    assert!((server.written.load(Ordering::SeqCst) as usize) < HUGE / 4, "the client hung up");
}

#[tokio::test]
async fn a_success_that_grows_past_the_limit_is_read_no_further() {
    // No Content-Length: the body runs until the server closes, so only reading tells.
    const HUGE: usize = 50 * 1024 * 1024;
    let unannounced =
        "HTTP/1.1 200 OK\r\ncontent-type: application/json\r\nx-tt-logid: raw-2\r\nconnection: close\r\n\r\n";
    let prefix = br#"{"code":0,"msg":"success","data":{"items":[],"pad":""#.to_vec();
    let server = fault_server(move |_| Reply::Flood(unannounced.to_owned(), prefix.clone(), HUGE)).await;
    let started = Instant::now();
    let err = limited(&server.base, 256 * 1024).classification().list().send().await.expect_err("too large");
    let ClassificationListError::Unhandled(Error::TooLarge(t)) = &err else { panic!("got {err:?}") };
    assert_eq!((t.http_status, t.log_id.as_deref(), t.content_length), (200, Some("raw-2"), None));
    assert_eq!(server.hits.load(Ordering::SeqCst), 1);
    tokio::time::sleep(Duration::from_millis(100)).await;
    let written = server.written.load(Ordering::SeqCst) as usize;
    eprintln!("50 MB success body, 256 KiB limit: the server could write {written} bytes before the client hung up");
    assert!(written < HUGE / 4, "the client stopped reading at 256 KiB and hung up: the server wrote {written}");
    assert!(started.elapsed() < Duration::from_secs(2), "{:?}", started.elapsed());
}

#[tokio::test]
async fn a_success_exactly_at_the_limit_is_read() {
    let body = serde_json::to_vec(&json!({ "code": 0, "msg": "success", "data": { "items": [] } })).expect("json");
    let len = body.len();
    let server = fault_server(move |_| Reply::Send(head("200 OK", "application/json", len), body.clone())).await;
    limited(&server.base, len).classification().list().send().await.expect("fits");
}

// ---------------------------------------------------------------------------------------
// Server throttling

#[tokio::test]
async fn a_429_with_a_reset_header_waits_that_long_then_resends_even_a_post() {
    let server = sequence_server(vec![throttled(Some("1")), lark_ok(json!({ "entity": { "id": "e1" } }))]).await;
    let client = runtime_with(&server.uri(), fast(), Duration::from_secs(2));
    let started = Instant::now();
    let data = create_entity(&client).await.expect("second attempt");
    let elapsed = started.elapsed();
    assert_eq!(data["entity"]["id"], "e1");
    assert_eq!(api_hits(&server).await, 2, "a 429 proves the POST was not processed: resent once");
    assert!(elapsed >= Duration::from_secs(1), "waited for the reset: {elapsed:?}");
    assert!(elapsed < Duration::from_millis(1800), "{elapsed:?}");
}

/// A limiter that always has a slot and records what the server's throttling told it.
#[derive(Debug, Default)]
struct ThrottleSpy(std::sync::Mutex<Vec<(String, Duration)>>);

impl runtime::RateLimiter for ThrottleSpy {
    fn acquire<'a>(
        &'a self,
        _key: &'a str,
        _limits: runtime::Limits,
        _max_wait: Option<Duration>,
    ) -> futures_util::future::BoxFuture<'a, Result<runtime::Slot, Duration>> {
        Box::pin(async { Ok(runtime::Slot::new(Duration::ZERO)) })
    }

    fn server_throttled(&self, key: &str, pause: Duration) {
        self.0.lock().unwrap().push((key.to_owned(), pause));
    }
}

#[tokio::test]
async fn a_429_pauses_the_shared_limiter_for_every_caller_of_the_endpoint() {
    let server = sequence_server(vec![throttled(Some("1")), lark_ok(json!({ "entity": { "id": "e1" } }))]).await;
    let spy = Arc::new(ThrottleSpy::default());
    let client = lark_client::builder()
        .base_url(server.uri())
        .app_credentials(APP_ID, APP_SECRET)
        .retry(fast())
        .rate_limiter(spy.clone())
        .build()
        .expect("client builds");
    create_entity(&client).await.expect("second attempt");
    let told = spy.0.lock().unwrap().clone();
    let [(key, pause)] = told.as_slice() else { panic!("told once, got {told:?}") };
    assert_eq!(key, &format!("{APP_ID}:baike.v1:entity.create"));
    // The reset header's 1 s, plus the retry policy's jitter (at most a quarter of 5 ms here).
    assert!(*pause >= Duration::from_secs(1) && *pause <= Duration::from_millis(1002), "{pause:?}");
}

#[tokio::test]
async fn a_429_without_a_reset_header_waits_the_default() {
    let server = sequence_server(vec![throttled(None), throttled(None), classifications()]).await;
    let started = Instant::now();
    baike_with(&server.uri(), fast()).classification().list().send().await.expect("third attempt");
    assert_eq!(api_hits(&server).await, 3);
    let elapsed = started.elapsed();
    assert!(elapsed >= Duration::from_millis(100) && elapsed < Duration::from_secs(1), "2 × 50 ms: {elapsed:?}");
}

#[tokio::test]
async fn code_99991400_is_throttling_whatever_the_status() {
    let throttled_400 = lark_error(400, 99991400, "request trigger frequency limit", "rl-400");
    let server = sequence_server(vec![throttled_400, lark_ok(json!({}))]).await;
    create_entity(&runtime_with(&server.uri(), fast(), Duration::from_secs(2))).await.expect("resent");
    assert_eq!(api_hits(&server).await, 2);
}

#[tokio::test]
async fn throttling_that_outlasts_the_attempts_is_rate_limited_with_the_last_answer() {
    let server = sequence_server(vec![throttled(None)]).await;
    let err = create_entity(&runtime_with(&server.uri(), fast(), Duration::from_secs(2))).await.expect_err("throttled");
    let Error::RateLimited(rl) = &err else { panic!("got {err:?}") };
    let last = rl.last.as_ref().expect("the server's last answer");
    assert_eq!((last.code, last.http_status, last.log_id.as_deref()), (99991400, 429, Some("throttled-1")));
    assert!(rl.retry_after.is_some());
    assert_eq!((err.code(), err.http_status()), (Some(99991400), Some(429)));
    assert_eq!(api_hits(&server).await, 3);
    no_secret!(err);
}

#[tokio::test]
async fn a_reset_longer_than_the_policy_honours_fails_at_once() {
    let server = sequence_server(vec![throttled(Some("120"))]).await;
    let started = Instant::now();
    let err = baike_with(&server.uri(), fast()).classification().list().send().await.expect_err("throttled");
    let ClassificationListError::Unhandled(Error::RateLimited(rl)) = &err else { panic!("got {err:?}") };
    assert_eq!(rl.retry_after, Some(Duration::from_secs(120)));
    assert_eq!(api_hits(&server).await, 1);
    assert!(started.elapsed() < Duration::from_millis(500));
}

#[tokio::test]
async fn a_throttled_upload_is_resent_with_the_whole_multipart_body_rebuilt() {
    let dir = tempfile::tempdir().expect("tempdir");
    let file = dir.path().join("cat.png");
    let bytes: Vec<u8> = (0..8192u32).map(|i| (i % 241) as u8).collect();
    std::fs::write(&file, &bytes).expect("write");
    let server = sequence_server(vec![throttled(None), lark_ok(json!({ "file_token": "boxbc1" }))]).await;
    let form = FileUploadForm::new("cat.png".into(), lark_client::runtime::FileSource::path(&file));
    let data = baike_with(&server.uri(), fast()).file().upload(form).send().await.expect("resent");
    assert_eq!(data.file_token.expect("file_token").as_str(), "boxbc1");
    let uploads: Vec<Request> = server
        .received_requests()
        .await
        .expect("recorded")
        .into_iter()
        .filter(|r| r.url.path().ends_with("/files/upload"))
        .collect();
    assert_eq!(uploads.len(), 2);
    for upload in &uploads {
        let body = &upload.body;
        assert!(body.windows(bytes.len()).any(|w| w == bytes.as_slice()), "each attempt carries the whole file");
    }
}

// ---------------------------------------------------------------------------------------
// The token endpoint down, slow or refusing

async fn token_server(answer: ResponseTemplate) -> MockServer {
    let server = MockServer::start().await;
    Mock::given(method("POST")).and(path(TOKEN_PATH)).respond_with(answer).mount(&server).await;
    Mock::given(method("GET")).respond_with(classifications()).mount(&server).await;
    server
}

#[tokio::test]
async fn a_token_endpoint_that_is_down_is_an_auth_error_after_bounded_retries() {
    let server = token_server(html(503)).await;
    let err = baike_with(&server.uri(), fast()).classification().list().send().await.expect_err("no token");
    let ClassificationListError::Unhandled(Error::Auth(auth)) = &err else { panic!("got {err:?}") };
    assert_eq!(auth.http_status, Some(503));
    assert!(auth.msg.contains("non-JSON") && auth.msg.contains("<html>"), "the gateway's page is quoted: {}", auth.msg);
    assert_eq!(token_hits(&server).await, 3, "network-class failures: bounded retries");
    assert_eq!(api_hits(&server).await, 0, "nothing sent without a token");
    no_secret!(err);
}

#[tokio::test]
async fn a_token_refusal_is_an_auth_error_and_never_retried() {
    for code in [10003, 99991543] {
        let server = token_server(
            ResponseTemplate::new(200).set_body_json(json!({ "code": code, "msg": "app_id or app_secret incorrect" })),
        )
        .await;
        let err = baike_with(&server.uri(), fast()).classification().list().send().await.expect_err("refused");
        let ClassificationListError::Unhandled(Error::Auth(auth)) = &err else { panic!("got {err:?}") };
        assert_eq!(auth.code, Some(code));
        assert_eq!(token_hits(&server).await, 1, "{code}: credentials do not get better by retrying");
        no_secret!(err);
    }
}

#[tokio::test]
async fn a_token_answer_without_an_integer_code_is_an_auth_error_that_does_not_quote_it() {
    for body in [json!({ "msg": "ok", "tenant_access_token": "t-secret-1" }), json!({ "code": "0" }), json!([0])] {
        let server = token_server(ResponseTemplate::new(200).set_body_json(body.clone())).await;
        let err = baike_with(&server.uri(), fast()).classification().list().send().await.expect_err("no token");
        let ClassificationListError::Unhandled(Error::Auth(auth)) = &err else { panic!("got {err:?}") };
        assert_eq!((auth.http_status, auth.code), (Some(200), None), "{body}");
        assert!(auth.msg.contains("JSON that is no token answer"), "{}", auth.msg);
        assert!(!format!("{err} {err:?}").contains("t-secret-1"), "a token-like value is not quoted: {err:?}");
        assert_eq!(api_hits(&server).await, 0, "nothing sent without a token");
        no_secret!(err);
    }
}

#[tokio::test]
async fn a_slow_token_endpoint_times_out_into_an_auth_error() {
    let server = token_server(token_answer(TENANT_TOKEN, 7200).set_delay(Duration::from_secs(5))).await;
    let client = baike_v1::Client::new(runtime_with(&server.uri(), fast().max_attempts(2), Duration::from_millis(200)));
    let started = Instant::now();
    let err = client.classification().list().send().await.expect_err("too slow");
    let ClassificationListError::Unhandled(Error::Auth(auth)) = &err else { panic!("got {err:?}") };
    assert!(auth.source.as_ref().is_some_and(|s| s.is_timeout()), "a timeout: {err}");
    assert_eq!(token_hits(&server).await, 2);
    assert!(started.elapsed() < Duration::from_secs(1), "{:?}", started.elapsed());
}

#[tokio::test]
async fn an_unreachable_token_endpoint_is_an_auth_error() {
    // Bound, never listening: every connection is refused.
    let socket = tokio::net::TcpSocket::new_v4().expect("socket");
    socket.bind("127.0.0.1:0".parse().unwrap()).expect("bind");
    let port = socket.local_addr().expect("addr").port();
    let client = baike_with(&format!("http://127.0.0.1:{port}"), fast());
    let err = client.classification().list().send().await.expect_err("unreachable");
    let ClassificationListError::Unhandled(Error::Auth(auth)) = &err else { panic!("got {err:?}") };
    assert!(auth.source.as_ref().is_some_and(|s| s.is_connect()), "{err}");
    no_secret!(err);
}

#[tokio::test]
async fn concurrent_callers_share_one_failing_token_fetch() {
    let server = token_server(html(503).set_delay(Duration::from_millis(30))).await;
    let client = baike_with(&server.uri(), fast());
    let tasks: Vec<_> = (0..8)
        .map(|_| {
            let c = client.clone();
            tokio::spawn(async move { c.classification().list().send().await })
        })
        .collect();
    for t in tasks {
        let err = t.await.expect("no panic").expect_err("no token");
        assert!(matches!(err, ClassificationListError::Unhandled(Error::Auth(_))), "got {err:?}");
    }
    let fetches = token_hits(&server).await;
    assert!(fetches <= 6, "8 callers, one shared fetch of 3 attempts (at most a second round): {fetches}");
}

#[tokio::test]
async fn a_token_recovered_after_an_outage_is_used_by_later_calls() {
    let server = MockServer::start().await;
    Mock::given(method("POST"))
        .and(path(TOKEN_PATH))
        .respond_with(Sequence::new(vec![html(502), html(502), token_answer(TENANT_TOKEN, 7200)]))
        .mount(&server)
        .await;
    Mock::given(method("GET")).respond_with(classifications()).mount(&server).await;
    let client = baike_with(&server.uri(), fast());
    client.classification().list().send().await.expect("third token attempt works");
    client.classification().list().send().await.expect("cached");
    assert_eq!(token_hits(&server).await, 3);
}

#[tokio::test]
async fn a_refused_token_on_a_post_is_refetched_and_the_post_resent_once() {
    let server = MockServer::start().await;
    Mock::given(method("POST"))
        .and(path(TOKEN_PATH))
        .respond_with(Sequence::new(vec![token_answer("t-stale", 7200), token_answer(TENANT_TOKEN, 7200)]))
        .mount(&server)
        .await;
    Mock::given(method("POST"))
        .and(path("/open-apis/baike/v1/entities"))
        .respond_with(Sequence::new(vec![
            lark_error(400, 99991663, "Invalid access token for authorization", "stale"),
            lark_ok(json!({ "entity": { "id": "e9" } })),
        ]))
        .mount(&server)
        .await;
    let data = create_entity(&runtime_with(&server.uri(), RetryPolicy::none(), Duration::from_secs(2)))
        .await
        .expect("resent with a fresh token, even with retries off");
    assert_eq!(data["entity"]["id"], "e9");
    assert_eq!((api_hits(&server).await, token_hits(&server).await), (2, 2));
}

// ---------------------------------------------------------------------------------------
// Token lifecycle: a pluggable cache, refresh ahead of expiry

/// The in-memory cache, recording what it is told to store.
#[derive(Debug, Default)]
struct RecordingCache {
    inner: runtime::InMemoryTokenCache,
    sets: std::sync::Mutex<Vec<(String, Duration)>>,
}

impl runtime::TokenCache for RecordingCache {
    fn get<'a>(&'a self, key: &'a str) -> futures_util::future::BoxFuture<'a, Option<runtime::SecretString>> {
        self.inner.get(key)
    }
    fn set<'a>(
        &'a self,
        key: &'a str,
        token: runtime::SecretString,
        ttl: Duration,
    ) -> futures_util::future::BoxFuture<'a, ()> {
        self.sets.lock().unwrap().push((key.to_owned(), ttl));
        self.inner.set(key, token, ttl)
    }
    fn evict<'a>(&'a self, key: &'a str, token: &'a runtime::SecretString) -> futures_util::future::BoxFuture<'a, ()> {
        self.inner.evict(key, token)
    }
}

#[tokio::test]
async fn a_custom_token_cache_is_shared_by_clients_and_told_the_refresh_time() {
    let server = MockServer::start().await;
    mount_token(&server, TENANT_TOKEN, 1).await;
    Mock::given(method("GET")).respond_with(classifications()).mount(&server).await;
    let cache = Arc::new(RecordingCache::default());
    let build = || {
        baike_v1::Client::new(
            lark_client::builder()
                .base_url(server.uri())
                .app_credentials(APP_ID, APP_SECRET)
                .token_cache(cache.clone())
                .build()
                .expect("builds"),
        )
    };
    build().classification().list().send().await.expect("first client fetches");
    build().classification().list().send().await.expect("second client finds the token in the shared cache");
    let sets = cache.sets.lock().unwrap().clone();
    assert_eq!(sets, vec![(format!("tenant_access_token:{APP_ID}"), Duration::from_secs(7200 - 180))]);
    assert!(!format!("{cache:?}").contains(TENANT_TOKEN));
}

#[tokio::test]
async fn a_token_is_refetched_ahead_of_its_expiry() {
    let server = MockServer::start().await;
    // A token that lives one second: refreshed after half of it (the margin is capped at half).
    Mock::given(method("POST"))
        .and(path(TOKEN_PATH))
        .respond_with(token_answer(TENANT_TOKEN, 1))
        .expect(2)
        .mount(&server)
        .await;
    Mock::given(method("GET")).respond_with(classifications()).mount(&server).await;
    let client = baike_with(&server.uri(), fast());
    client.classification().list().send().await.expect("first");
    client.classification().list().send().await.expect("cached");
    assert_eq!(token_hits(&server).await, 1);
    tokio::time::sleep(Duration::from_millis(600)).await;
    client.classification().list().send().await.expect("refreshed before the token expired");
    assert_eq!(token_hits(&server).await, 2);
}
