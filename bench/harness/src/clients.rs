//! The two clients of the comparison and the small-JSON-call benchmark.
//!
//! - **gen**: `lark_client::builder()…build()`, `baike_v1::Client::new(c).entity().get(id).send()`,
//!   with client-side rate limiting off (entity.get is documented at 50/s; the limiter would
//!   measure itself, not the client) and everything else at its default.
//! - **raw**: hand-written reqwest code doing the same work: the same reqwest client settings,
//!   one tenant token fetched up front, then per call a GET with `Authorization: Bearer`,
//!   a 200 check, the body read whole and `{code, msg, data}` decoded into the same
//!   generated `EntityData` struct, `code == 0` checked.

use std::time::{Duration, Instant};

use lark_client::baike_v1::{self, EntityData};
use serde::Deserialize;

use crate::{Args, Mode, alloc, cpu_seconds, peak_rss_kib, runtime, server};

/// The server to talk to: `--url`, or a child `larkbench serve` started here.
pub fn server_url(args: &Args) -> (Option<server::Child>, String) {
    match args.named_url() {
        Some(url) => (None, url),
        None => {
            let child = server::Child::start();
            let url = child.url.clone();
            (Some(child), url)
        }
    }
}

impl Args {
    fn named_url(&self) -> Option<String> {
        let url = self.str_or("url", "");
        (!url.is_empty()).then_some(url)
    }
}

/// The generated client, rate limiting off; `timeout` as given (None for huge transfers).
pub fn generated(url: &str, timeout: Option<Duration>) -> baike_v1::Client {
    let builder = lark_client::builder().base_url(url).app_credentials("cli_bench", "bench-secret").timeout(timeout);
    #[cfg(feature = "limiter")]
    let builder = builder.rate_limit(larkgen_runtime::RateLimitMode::Off);
    baike_v1::Client::new(builder.build().expect("client"))
}

/// The generated client with the limiter on (`Wait`) but a limiter whose slots are always
/// free: what the limiter's bookkeeping costs a call.
#[cfg(feature = "limiter")]
pub fn generated_limiter(url: &str) -> baike_v1::Client {
    let builder = lark_client::builder()
        .base_url(url)
        .app_credentials("cli_bench", "bench-secret")
        .rate_limit(larkgen_runtime::RateLimitMode::Wait)
        .rate_limiter(crate::limiter::never_full());
    baike_v1::Client::new(builder.build().expect("client"))
}

#[cfg(not(feature = "limiter"))]
pub fn generated_limiter(_: &str) -> baike_v1::Client {
    panic!("--mode gen-limiter needs the `limiter` feature")
}

/// The hand-written client: reqwest with the runtime's settings and a tenant token.
pub struct Raw {
    pub http: reqwest::Client,
    pub base: String,
    pub token: String,
}

#[derive(Deserialize)]
pub struct Envelope<T> {
    pub code: i64,
    #[serde(default)]
    pub msg: String,
    #[serde(default = "Option::default")]
    pub data: Option<T>,
}

#[derive(Deserialize)]
struct TokenAnswer {
    code: i64,
    tenant_access_token: String,
}

impl Raw {
    pub async fn new(url: &str, timeout: Option<Duration>) -> Self {
        let _ = rustls::crypto::ring::default_provider().install_default();
        let mut b = reqwest::Client::builder().user_agent("larkbench-raw/0").connect_timeout(Duration::from_secs(10));
        if let Some(t) = timeout {
            b = b.timeout(t);
        }
        let http = b.build().expect("reqwest client");
        let answer: TokenAnswer = http
            .post(format!("{url}/open-apis/auth/v3/tenant_access_token/internal"))
            .json(&serde_json::json!({"app_id": "cli_bench", "app_secret": "bench-secret"}))
            .send()
            .await
            .expect("token")
            .json()
            .await
            .expect("token json");
        assert_eq!(answer.code, 0);
        Self { http, base: url.to_owned(), token: answer.tenant_access_token }
    }

    pub async fn entity_get(&self, id: &str) -> Result<EntityData, String> {
        let response = self
            .http
            .get(format!("{}/open-apis/baike/v1/entities/{id}", self.base))
            .bearer_auth(&self.token)
            .send()
            .await
            .map_err(|e| e.to_string())?;
        if response.status() != reqwest::StatusCode::OK {
            return Err(format!("HTTP {}", response.status()));
        }
        let bytes = response.bytes().await.map_err(|e| e.to_string())?;
        let envelope: Envelope<EntityData> = serde_json::from_slice(&bytes).map_err(|e| e.to_string())?;
        if envelope.code != 0 {
            return Err(format!("code {}: {}", envelope.code, envelope.msg));
        }
        envelope.data.ok_or_else(|| "no data".to_owned())
    }
}

/// Sequential `entity.get` calls for `--seconds`: calls/s, CPU µs per call, allocations per call.
pub fn json_bench(args: &Args) -> String {
    let mode = args.mode();
    let seconds: f64 = args.num("seconds", 3.0);
    let warmup: u64 = args.num("warmup", 500);
    let (_server, url) = server_url(args);
    runtime().block_on(async move {
        let gen_client = match mode {
            Mode::Generated => Some(generated(&url, Some(Duration::from_secs(30)))),
            Mode::GeneratedLimiter => Some(generated_limiter(&url)),
            Mode::Raw => None,
        };
        let raw_client = match mode {
            Mode::Raw => Some(Raw::new(&url, Some(Duration::from_secs(30))).await),
            _ => None,
        };
        let call = async || -> EntityData {
            match (&gen_client, &raw_client) {
                (Some(c), _) => c.entity().get("enterprise_1").send().await.expect("gen call"),
                (_, Some(r)) => r.entity_get("enterprise_1").await.expect("raw call"),
                _ => unreachable!(),
            }
        };
        let first = call().await;
        assert_eq!(first.entity.as_ref().and_then(|e| e.id.as_ref()).map(AsRef::<str>::as_ref), Some("enterprise_1"));
        for _ in 0..warmup {
            call().await;
        }
        let (a0, b0) = alloc::snapshot();
        let cpu0 = cpu_seconds();
        let start = Instant::now();
        let deadline = Duration::from_secs_f64(seconds);
        let mut calls = 0u64;
        while start.elapsed() < deadline {
            for _ in 0..50 {
                std::hint::black_box(call().await);
            }
            calls += 50;
        }
        let secs = start.elapsed().as_secs_f64();
        let cpu = cpu_seconds() - cpu0;
        let (a1, b1) = alloc::snapshot();
        serde_json::json!({
            "bench": "json", "mode": mode.name(), "calls": calls, "secs": secs,
            "rps": calls as f64 / secs,
            "cpu_us_per_call": cpu * 1e6 / calls as f64,
            "allocs_per_call": (a1 - a0) as f64 / calls as f64,
            "alloc_bytes_per_call": (b1 - b0) as f64 / calls as f64,
            "peak_rss_kib": peak_rss_kib(),
        })
        .to_string()
    })
}
