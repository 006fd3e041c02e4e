//! A loopback Lark server that records when each API request arrives, for the rate-limit
//! tests: arrivals are stamped by the server, so the limits are checked where Lark counts.

use std::sync::{Arc, Mutex};
use std::time::Duration;

use lark_client::runtime::{AppType, BodyKind, Endpoint, Limits, Method, ResponseKind, TokenKind};
use serde_json::json;
use tokio::io::{AsyncReadExt, AsyncWriteExt};
use tokio::time::Instant;

use super::TENANT_TOKEN;

/// A descriptor with made-up limits, for scaled-down runs.
pub fn endpoint(name: &'static str, per_second: Option<u32>, per_minute: Option<u32>) -> &'static Endpoint {
    Box::leak(Box::new(Endpoint {
        service: "test.v1",
        name,
        summary: "a limited endpoint",
        doc_url: "",
        method: Method::Get,
        path: "/open-apis/test/v1/limited",
        token_kinds: &[TokenKind::Tenant],
        app_types: &[AppType::SelfBuilt],
        scopes: &[],
        field_scopes: &[],
        limits: Limits { per_second, per_minute },
        errors: &[],
        request: BodyKind::None,
        response: ResponseKind::Json,
        idempotent: true,
        paginated: false,
        inputs: &[],
        example: "{}",
    }))
}

/// A keep-alive loopback server answering every API request with an empty success, and
/// recording (with tokio's clock) when each one arrived.
pub struct Recorder {
    pub base: String,
    pub arrivals: Arc<Mutex<Vec<Instant>>>,
}

pub async fn recorder() -> Recorder {
    let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.expect("bind");
    let base = format!("http://{}", listener.local_addr().expect("addr"));
    let arrivals = Arc::new(Mutex::new(Vec::new()));
    let record = arrivals.clone();
    tokio::spawn(async move {
        loop {
            let Ok((socket, _)) = listener.accept().await else { return };
            tokio::spawn(serve(socket, record.clone()));
        }
    });
    Recorder { base, arrivals }
}

async fn serve(mut socket: tokio::net::TcpStream, arrivals: Arc<Mutex<Vec<Instant>>>) {
    let mut pending = Vec::new();
    let mut buf = vec![0u8; 16 * 1024];
    loop {
        // One request: head, then its content-length body.
        let len = loop {
            if let Some(len) = super::request_len(&pending) {
                break len;
            }
            match socket.read(&mut buf).await {
                Ok(0) | Err(_) => return,
                Ok(n) => pending.extend_from_slice(&buf[..n]),
            }
        };
        let request: Vec<u8> = pending.drain(..len).collect();
        let body = if String::from_utf8_lossy(&request).contains("tenant_access_token") {
            json!({"code": 0, "msg": "ok", "tenant_access_token": TENANT_TOKEN, "expire": 7200})
        } else {
            arrivals.lock().unwrap().push(Instant::now());
            json!({"code": 0, "msg": "success", "data": {}})
        };
        let body = serde_json::to_vec(&body).unwrap();
        let head =
            format!("HTTP/1.1 200 OK\r\ncontent-type: application/json\r\ncontent-length: {}\r\n\r\n", body.len());
        if socket.write_all(head.as_bytes()).await.is_err() || socket.write_all(&body).await.is_err() {
            return;
        }
    }
}

/// The largest number of arrivals in any half-open window `[t, t + window)`.
pub fn max_in_window(sorted: &[Instant], window: Duration) -> usize {
    let mut best = 0;
    let mut start = 0;
    for end in 0..sorted.len() {
        while sorted[end] - sorted[start] >= window {
            start += 1;
        }
        best = best.max(end - start + 1);
    }
    best
}
