//! Shared helpers of the end-to-end tests: a wiremock server with the token endpoint, a
//! client pointed at it, and a raw TCP server for answers wiremock cannot produce.
#![allow(dead_code)]

pub mod recorder;

use std::time::Duration;

use lark_client::baike_v1;
use serde_json::json;
use tokio::io::{AsyncReadExt, AsyncWriteExt};
use wiremock::matchers::{body_json, method, path};
use wiremock::{Mock, MockServer, ResponseTemplate};

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
