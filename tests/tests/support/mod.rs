//! Shared helpers of the end-to-end tests: a wiremock server with the token endpoint, a
//! client pointed at it, and a raw TCP server for answers wiremock cannot produce.
#![allow(dead_code)]

pub mod capture;
pub mod multipart;
pub mod recorder;

use std::time::Duration;

use lark_client::baike_v1;
use lark_client::runtime::{CallOptions, RetryPolicy};
use serde_json::{Value, json};
use tokio::io::{AsyncReadExt, AsyncWriteExt};
use wiremock::matchers::{body_json, header, method, path, path_regex};
use wiremock::{Mock, MockServer, Request, ResponseTemplate};

pub const APP_ID: &str = "cli_test_app";
pub const APP_SECRET: &str = "s3cr3t-app-secret-value";
pub const TENANT_TOKEN: &str = "t-test-tenant-token-1";
pub const TOKEN_PATH: &str = "/open-apis/auth/v3/tenant_access_token/internal";

/// A tenant-token answer.
pub fn token_answer(token: &str, expire: u64) -> ResponseTemplate {
    ResponseTemplate::new(200).set_body_json(json!({
        "code": 0, "msg": "ok", "tenant_access_token": token, "expire": expire
    }))
}

/// Mounts the token endpoint, expecting exactly `times` fetches.
pub async fn mount_token(server: &MockServer, token: &str, times: u64) {
    Mock::given(method("POST"))
        .and(path(TOKEN_PATH))
        .and(body_json(json!({ "app_id": APP_ID, "app_secret": APP_SECRET })))
        .respond_with(token_answer(token, 7200))
        .expect(times)
        .named("tenant token")
        .mount(server)
        .await;
}

/// A runtime client with app credentials, pointed at `base`.
pub fn runtime(base: &str) -> lark_client::runtime::Client {
    lark_client::builder()
        .base_url(base)
        .app_credentials(APP_ID, APP_SECRET)
        .timeout(Some(Duration::from_secs(10)))
        .build()
        .expect("client builds")
}

/// The same, sending each call exactly once (a test that counts requests).
pub fn runtime_once(base: &str) -> lark_client::runtime::Client {
    runtime(base).with_options(CallOptions::new().retry(RetryPolicy::none()))
}

/// The same, retrying with millisecond backoffs (a test that counts retries).
pub fn runtime_fast_retries(base: &str) -> lark_client::runtime::Client {
    let policy = RetryPolicy::new().backoff(Duration::from_millis(5), Duration::from_millis(20));
    runtime(base).with_options(CallOptions::new().retry(policy))
}

/// The Baike client pointed at `base`.
pub fn baike(base: &str) -> baike_v1::Client {
    baike_v1::Client::new(runtime(base))
}

/// A Lark error envelope.
pub fn lark_error(status: u16, code: i64, msg: &str, log_id: &str) -> ResponseTemplate {
    ResponseTemplate::new(status).insert_header("X-Tt-Logid", log_id).set_body_json(json!({
        "code": code,
        "msg": msg,
        "error": { "log_id": log_id, "troubleshooter": "https://open.feishu.cn/search?log_id=x" }
    }))
}

/// A success envelope around `data`.
pub fn lark_ok(data: serde_json::Value) -> ResponseTemplate {
    ResponseTemplate::new(200).set_body_json(json!({ "code": 0, "msg": "success", "data": data }))
}

/// A server with the token endpoint and one route, reached only with the tenant token.
pub async fn server_with(verb: &str, route: &str, answer: ResponseTemplate) -> MockServer {
    let server = MockServer::start().await;
    mount_token(&server, TENANT_TOKEN, 1).await;
    Mock::given(method(verb))
        .and(path(route))
        .and(header("authorization", format!("Bearer {TENANT_TOKEN}")))
        .respond_with(answer)
        .expect(1)
        .named(format!("{verb} {route}"))
        .mount(&server)
        .await;
    server
}

/// A server whose every route below `base` (a service's path prefix) answers with one Lark error.
pub async fn failing(base: &str, status: u16, code: i64) -> MockServer {
    let server = MockServer::start().await;
    mount_token(&server, TENANT_TOKEN, 1).await;
    Mock::given(path_regex(format!("^{base}/")))
        .respond_with(lark_error(status, code, "declared failure", "log-err"))
        .mount(&server)
        .await;
    server
}

/// The API requests the server received, the token fetch aside.
pub async fn api_requests(server: &MockServer) -> Vec<Request> {
    let requests = server.received_requests().await.expect("recording is on");
    requests.into_iter().filter(|r| r.url.path() != TOKEN_PATH).collect()
}

/// The one API request the server received, the token fetch aside.
pub async fn api_request(server: &MockServer) -> Request {
    let mut requests = api_requests(server).await;
    assert_eq!(requests.len(), 1, "exactly one API request");
    requests.remove(0)
}

/// The query string as decoded `(name, value)` pairs, in order.
pub fn query(request: &Request) -> Vec<(String, String)> {
    request.url.query_pairs().map(|(k, v)| (k.into_owned(), v.into_owned())).collect()
}

pub fn pairs(expected: &[(&str, &str)]) -> Vec<(String, String)> {
    expected.iter().map(|(k, v)| (k.to_string(), v.to_string())).collect()
}

/// The JSON body, after checking it is declared as JSON.
pub fn json_body(request: &Request) -> Value {
    let content_type = request.headers.get("content-type").and_then(|v| v.to_str().ok());
    assert_eq!(content_type, Some("application/json; charset=utf-8"));
    serde_json::from_slice(&request.body).expect("the body is JSON")
}

pub fn assert_no_body(request: &Request) {
    assert!(request.body.is_empty(), "no body: {:?}", String::from_utf8_lossy(&request.body));
    assert!(request.headers.get("content-type").is_none(), "no content type on a body-less request");
}

/// A one-shot HTTP server on loopback that answers every connection with `head` and
/// `body`, then closes the connection (used for truncated bodies). Returns its base URL.
pub async fn raw_server(head: String, body: Vec<u8>, token_first: bool) -> String {
    let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.expect("bind loopback");
    let addr = listener.local_addr().expect("addr");
    tokio::spawn(async move {
        loop {
            let Ok((mut socket, _)) = listener.accept().await else { return };
            let head = head.clone();
            let body = body.clone();
            tokio::spawn(async move {
                let mut buf = vec![0u8; 64 * 1024];
                let mut seen = Vec::new();
                // Read the request head (and a small body, for the token call).
                loop {
                    let Ok(n) = socket.read(&mut buf).await else { return };
                    if n == 0 {
                        return;
                    }
                    seen.extend_from_slice(&buf[..n]);
                    if request_len(&seen).is_some() {
                        break;
                    }
                }
                let request = String::from_utf8_lossy(&seen).to_string();
                if token_first && request.contains("tenant_access_token") {
                    let answer = serde_json::to_vec(
                        &json!({"code":0,"msg":"ok","tenant_access_token":TENANT_TOKEN,"expire":7200}),
                    )
                    .unwrap();
                    let reply = format!(
                        "HTTP/1.1 200 OK\r\ncontent-type: application/json\r\ncontent-length: {}\r\nconnection: close\r\n\r\n",
                        answer.len()
                    );
                    let _ = socket.write_all(reply.as_bytes()).await;
                    let _ = socket.write_all(&answer).await;
                    return;
                }
                let _ = socket.write_all(head.as_bytes()).await;
                let _ = socket.write_all(&body).await;
                let _ = socket.flush().await;
                // Dropping the socket closes the connection mid-body.
            });
        }
    });
    format!("http://{addr}")
}

/// The length of the first HTTP request in `seen` (head and `content-length` body), once
/// all of it has arrived.
pub fn request_len(seen: &[u8]) -> Option<usize> {
    let end = seen.windows(4).position(|w| w == b"\r\n\r\n")?;
    let head = String::from_utf8_lossy(&seen[..end]).to_lowercase();
    let body = head
        .lines()
        .find_map(|l| l.strip_prefix("content-length:").map(|v| v.trim().parse::<usize>().unwrap_or(0)))
        .unwrap_or(0);
    (seen.len() >= end + 4 + body).then_some(end + 4 + body)
}

/// Files in `dir` (names), for "no partial file" checks.
pub fn files_in(dir: &std::path::Path) -> Vec<String> {
    let mut names: Vec<String> = std::fs::read_dir(dir)
        .map(|d| d.flatten().map(|e| e.file_name().to_string_lossy().into_owned()).collect())
        .unwrap_or_default();
    names.sort();
    names
}

/// Serves bytes 1024–2047 of `whole` (4 KiB) at `route` as `206 Partial Content`, once, to a
/// request with the tenant token and `Range: bytes=1024-2047`.
pub async fn mount_partial(server: &MockServer, route: &str, whole: &[u8]) {
    Mock::given(method("GET"))
        .and(path(route))
        .and(header("authorization", format!("Bearer {TENANT_TOKEN}")))
        .and(header("range", "bytes=1024-2047"))
        .respond_with(
            ResponseTemplate::new(206)
                .insert_header("content-type", "image/png")
                .insert_header("content-range", "bytes 1024-2047/4096")
                .set_body_bytes(whole[1024..2048].to_vec()),
        )
        .expect(1)
        .mount(server)
        .await;
}
