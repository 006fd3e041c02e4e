//! A minimal loopback Lark server (hyper 1, HTTP/1.1, keep-alive):
//!
//! - `POST /open-apis/auth/v3/tenant_access_token/internal` → a tenant token valid 2 h;
//! - `GET /open-apis/baike/v1/entities/{id}` → a fixed `entity.get` envelope (ids starting
//!   with `rl_` also record their arrival time, for the rate-limiter measurement);
//! - `GET /open-apis/baike/v1/files/bytes-<N>/download` → N bytes, streamed from one shared
//!   256 KiB buffer with a Content-Length (the server never holds N bytes);
//! - `POST /open-apis/baike/v1/files/upload` → reads and discards the body, answers a token;
//! - `GET /__arrivals` → the recorded arrival times (µs since the first), then forgets them.

use std::convert::Infallible;
use std::sync::{Mutex, OnceLock};
use std::time::Instant;

use bytes::Bytes;
use futures_util::stream;
use http_body_util::{BodyExt, Full, StreamBody, combinators::BoxBody};
use hyper::body::{Frame, Incoming};
use hyper::{Request, Response, StatusCode};
use hyper_util::rt::TokioIo;
use tokio::net::TcpListener;

type Body = BoxBody<Bytes, Infallible>;

pub const ENTITY_JSON: &str = r#"{"code":0,"msg":"success","data":{"entity":{"id":"enterprise_1","main_keys":[{"key":"Lark","display_status":{"allow_highlight":true,"allow_search":true}}],"aliases":[{"key":"Feishu","display_status":{"allow_highlight":true,"allow_search":false}}],"description":"An all-in-one collaboration suite.","creator":"ou_30a1fa8d0ba5f0b6a8e7ba1a4cde46cd","create_time":"1650946567","updater":"ou_30a1fa8d0ba5f0b6a8e7ba1a4cde46cd","update_time":"1650946567","related_meta":{"users":[{"id":"ou_30a1fa8d0ba5f0b6a8e7ba1a4cde46cd","title":"Owner"}],"classifications":[{"id":"7049606926702837761","father_id":"7049606926702837760"}]},"statistics":{"like_count":12,"dislike_count":1},"outer_info":{"provider":"bench","outer_id":"1"},"source":4}}}"#;
const TOKEN_JSON: &str = r#"{"code":0,"msg":"ok","tenant_access_token":"t-g1044qeGEDXTB6NDJOGV4JQCYDGHRBARFTGT1234","expire":7200}"#;
const UPLOAD_JSON: &str = r#"{"code":0,"msg":"success","data":{"file_token":"boxbcEcmKiD3vgqWTpvdc7jc"}}"#;
const CHUNK: usize = 256 * 1024;

fn arrivals() -> &'static Mutex<Vec<Instant>> {
    static A: OnceLock<Mutex<Vec<Instant>>> = OnceLock::new();
    A.get_or_init(|| Mutex::new(Vec::new()))
}

fn chunk() -> Bytes {
    static C: OnceLock<Bytes> = OnceLock::new();
    C.get_or_init(|| Bytes::from((0..CHUNK).map(|i| (i * 31 % 251) as u8).collect::<Vec<u8>>())).clone()
}

pub fn serve(port: u16) {
    let rt = tokio::runtime::Builder::new_current_thread().enable_all().build().expect("runtime");
    rt.block_on(async move {
        let listener = TcpListener::bind(("127.0.0.1", port)).await.expect("bind");
        println!("PORT {}", listener.local_addr().expect("addr").port());
        use std::io::Write;
        std::io::stdout().flush().ok();
        loop {
            let Ok((stream, _)) = listener.accept().await else { continue };
            stream.set_nodelay(true).ok();
            tokio::spawn(async move {
                let service = hyper::service::service_fn(handle);
                let _ = hyper::server::conn::http1::Builder::new().serve_connection(TokioIo::new(stream), service).await;
            });
        }
    });
}

fn json(status: StatusCode, text: &'static str) -> Response<Body> {
    Response::builder()
        .status(status)
        .header("content-type", "application/json; charset=utf-8")
        .header("x-tt-logid", "20261125bench")
        .body(Full::new(Bytes::from_static(text.as_bytes())).boxed())
        .expect("response")
}

async fn handle(req: Request<Incoming>) -> Result<Response<Body>, Infallible> {
    let path = req.uri().path().to_owned();
    if path == "/open-apis/auth/v3/tenant_access_token/internal" {
        let _ = req.into_body().collect().await;
        return Ok(json(StatusCode::OK, TOKEN_JSON));
    }
    if let Some(id) = path.strip_prefix("/open-apis/baike/v1/entities/") {
        if id.starts_with("rl_") {
            arrivals().lock().expect("lock").push(Instant::now());
        }
        return Ok(json(StatusCode::OK, ENTITY_JSON));
    }
    if path == "/open-apis/baike/v1/files/upload" {
        let mut body = req.into_body();
        let mut received = 0u64;
        while let Some(frame) = body.frame().await {
            match frame {
                Ok(f) => received += f.data_ref().map_or(0, |d| d.len() as u64),
                Err(_) => return Ok(json(StatusCode::BAD_REQUEST, r#"{"code":1540001,"msg":"cut"}"#)),
            }
        }
        let _ = received;
        return Ok(json(StatusCode::OK, UPLOAD_JSON));
    }
    if let Some(rest) = path.strip_prefix("/open-apis/baike/v1/files/bytes-") {
        let total: u64 = rest.trim_end_matches("/download").parse().unwrap_or(0);
        let frames = stream::unfold(total, |left| async move {
            if left == 0 {
                return None;
            }
            let n = left.min(CHUNK as u64);
            let data = chunk().slice(..n as usize);
            Some((Ok::<_, Infallible>(Frame::data(data)), left - n))
        });
        let response = Response::builder()
            .header("content-type", "image/png")
            .header("content-length", total.to_string())
            .header("content-disposition", "attachment; filename=\"bench.png\"")
            .body(StreamBody::new(frames).boxed())
            .expect("response");
        return Ok(response);
    }
    if path == "/__arrivals" {
        let mut a = arrivals().lock().expect("lock");
        let first = a.first().copied();
        let micros: Vec<u64> = a.iter().map(|t| t.duration_since(first.expect("non-empty")).as_micros() as u64).collect();
        a.clear();
        let text: &'static str = Box::leak(serde_json::to_string(&micros).expect("json").into_boxed_str());
        return Ok(json(StatusCode::OK, text));
    }
    Ok(json(StatusCode::NOT_FOUND, r#"{"code":404,"msg":"not found"}"#))
}

/// Starts `larkbench serve` as a child process; returns it and its base URL.
pub struct Child {
    child: std::process::Child,
    pub url: String,
}

impl Child {
    pub fn start() -> Self {
        use std::io::BufRead;
        let exe = std::env::current_exe().expect("current exe");
        let mut child = std::process::Command::new(exe)
            .arg("serve")
            .stdout(std::process::Stdio::piped())
            .spawn()
            .expect("spawn server");
        let mut line = String::new();
        std::io::BufReader::new(child.stdout.take().expect("stdout")).read_line(&mut line).expect("port line");
        let port = line.trim().strip_prefix("PORT ").expect("PORT <n>");
        Self { child, url: format!("http://127.0.0.1:{port}") }
    }
}

impl Drop for Child {
    fn drop(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}
