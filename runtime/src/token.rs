//! Tenant access tokens of a self-built app: fetched on first use, cached until expiry
//! minus a margin, one fetch shared by concurrent callers, evicted when the server says
//! the token is bad.

use std::time::{Duration, Instant};

use secrecy::{ExposeSecret, SecretString};
use serde::Deserialize;
use tokio::sync::Mutex;

use crate::credentials::AppCredentials;
use crate::error::{AuthError, Error};
use crate::http::{header_str, read_limited};

/// A token in the cache.
#[derive(Clone)]
pub(crate) struct CachedToken {
    pub(crate) token: SecretString,
    refresh_at: Instant,
}

/// The tenant-token source of one app.
pub(crate) struct TenantTokens {
    credentials: AppCredentials,
    url: String,
    margin: Duration,
    log_id_header: &'static str,
    // Held across the fetch: concurrent callers queue on the lock and find the fresh token.
    cached: Mutex<Option<CachedToken>>,
}

#[derive(Deserialize)]
struct TokenAnswer {
    code: i64,
    #[serde(default)]
    msg: String,
    #[serde(default)]
    tenant_access_token: Option<String>,
    #[serde(default)]
    expire: Option<u64>,
}

impl TenantTokens {
    pub(crate) fn new(credentials: AppCredentials, url: String, margin: Duration, log_id_header: &'static str) -> Self {
        Self { credentials, url, margin, log_id_header, cached: Mutex::new(None) }
    }

    pub(crate) fn app_id(&self) -> &str {
        self.credentials.app_id()
    }

    /// A valid token, fetching one if none is cached or the cached one is due for refresh.
    pub(crate) async fn get(&self, http: &reqwest::Client) -> Result<SecretString, Error> {
        let mut cached = self.cached.lock().await;
        if let Some(t) = cached.as_ref().filter(|t| Instant::now() < t.refresh_at) {
            return Ok(t.token.clone());
        }
        let fresh = self.fetch(http).await?;
        let token = fresh.token.clone();
        *cached = Some(fresh);
        Ok(token)
    }

    /// Forgets `bad` if it is still the cached token (another caller may have refreshed already).
    pub(crate) async fn evict(&self, bad: &SecretString) {
        let mut cached = self.cached.lock().await;
        if cached.as_ref().is_some_and(|t| t.token.expose_secret() == bad.expose_secret()) {
            *cached = None;
        }
    }

    async fn fetch(&self, http: &reqwest::Client) -> Result<CachedToken, Error> {
        let body = serde_json::json!({
            "app_id": self.credentials.app_id(),
            "app_secret": self.credentials.app_secret(),
        });
        tracing::debug!(app_id = self.credentials.app_id(), "fetching tenant access token");
        let response = http
            .post(&self.url)
            .header(reqwest::header::CONTENT_TYPE, "application/json; charset=utf-8")
            .body(body.to_string())
            .send()
            .await
            .map_err(|e| auth_error(None, None, format!("token endpoint unreachable: {e}"), None, Some(e)))?;
        let status = response.status().as_u16();
        let log_id = header_str(response.headers(), self.log_id_header);
        let (bytes, _) = read_limited(response, 64 * 1024).await.map_err(|e| {
            auth_error(Some(status), None, format!("token answer unreadable: {e}"), log_id.clone(), Some(e))
        })?;
        let answer: TokenAnswer = serde_json::from_slice(&bytes).map_err(|_| {
            let snippet = String::from_utf8_lossy(&bytes[..bytes.len().min(200)]).into_owned();
            auth_error(
                Some(status),
                None,
                format!("token endpoint answered non-JSON: {snippet:?}"),
                log_id.clone(),
                None,
            )
        })?;
        match (answer.code, answer.tenant_access_token, answer.expire) {
            (0, Some(token), Some(expire)) if status == 200 && !token.is_empty() => {
                let lifetime = Duration::from_secs(expire);
                let margin = self.margin.min(lifetime / 2);
                Ok(CachedToken { token: SecretString::from(token), refresh_at: Instant::now() + lifetime - margin })
            }
            (0, ..) => {
                Err(auth_error(Some(status), Some(0), "token answer has no token or expiry".into(), log_id, None))
            }
            (code, ..) => Err(auth_error(Some(status), Some(code), answer.msg, log_id, None)),
        }
    }
}

fn auth_error(
    http_status: Option<u16>,
    code: Option<i64>,
    msg: String,
    log_id: Option<String>,
    source: Option<reqwest::Error>,
) -> Error {
    Error::Auth(Box::new(AuthError { http_status, code, msg, log_id, source }))
}
