//! Tenant access tokens of a self-built app: fetched on first use, cached until expiry
//! minus a margin, one fetch shared by concurrent callers, evicted when the server says
//! the token is bad.
//!
//! The cache itself is pluggable ([`TokenCache`]), e.g. to share tokens between processes;
//! the single-flight lock stays in the client.

use std::collections::HashMap;
use std::fmt;
use std::sync::atomic::{AtomicU64, Ordering};
use std::sync::{Arc, Mutex as StdMutex};
use std::time::Duration;

use futures_util::future::BoxFuture;
use secrecy::{ExposeSecret, SecretString};
use tokio::sync::Mutex;
use tokio::time::Instant;

use crate::credentials::AppCredentials;
use crate::error::{AuthError, Error};
use crate::http::{header_str, read_limited};
use crate::retry::RetryPolicy;

/// Where tenant access tokens are kept between calls.
///
/// Keys are `tenant_access_token:<app_id>`. A token is stored with the time it may still be
/// used (its lifetime minus the platform's refresh margin); `get` must not return it after
/// that. Implementations that can fail (a remote store) should treat a failure as a miss:
/// the client then fetches a fresh token.
///
/// The default is [`InMemoryTokenCache`]; install another with
/// [`ClientBuilder::token_cache`](crate::ClientBuilder::token_cache).
pub trait TokenCache: Send + Sync + fmt::Debug + 'static {
    /// The token stored under `key`, if it is still usable.
    fn get<'a>(&'a self, key: &'a str) -> BoxFuture<'a, Option<SecretString>>;
    /// Stores `token` under `key` for `ttl`.
    fn set<'a>(&'a self, key: &'a str, token: SecretString, ttl: Duration) -> BoxFuture<'a, ()>;
    /// Removes the entry of `key` if it still holds `token` (another caller may have stored a
    /// fresh one meanwhile, which must survive).
    fn evict<'a>(&'a self, key: &'a str, token: &'a SecretString) -> BoxFuture<'a, ()>;
}

/// The default [`TokenCache`]: a map in this process, with per-entry expiry.
#[derive(Default)]
pub struct InMemoryTokenCache {
    entries: StdMutex<HashMap<String, (SecretString, Instant)>>,
}

impl InMemoryTokenCache {
    /// An empty cache.
    pub fn new() -> Self {
        Self::default()
    }

    fn entries(&self) -> std::sync::MutexGuard<'_, HashMap<String, (SecretString, Instant)>> {
        self.entries.lock().unwrap_or_else(|poisoned| poisoned.into_inner())
    }
}

impl fmt::Debug for InMemoryTokenCache {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        // Keys only: never the tokens.
        let keys: Vec<String> = self.entries().keys().cloned().collect();
        f.debug_struct("InMemoryTokenCache").field("keys", &keys).finish()
    }
}

impl TokenCache for InMemoryTokenCache {
    fn get<'a>(&'a self, key: &'a str) -> BoxFuture<'a, Option<SecretString>> {
        let found = self.entries().get(key).filter(|(_, until)| Instant::now() < *until).map(|(t, _)| t.clone());
        Box::pin(std::future::ready(found))
    }

    fn set<'a>(&'a self, key: &'a str, token: SecretString, ttl: Duration) -> BoxFuture<'a, ()> {
        self.entries().insert(key.to_owned(), (token, Instant::now() + ttl));
        Box::pin(std::future::ready(()))
    }

    fn evict<'a>(&'a self, key: &'a str, token: &'a SecretString) -> BoxFuture<'a, ()> {
        let mut entries = self.entries();
        if entries.get(key).is_some_and(|(t, _)| t.expose_secret() == token.expose_secret()) {
            entries.remove(key);
        }
        Box::pin(std::future::ready(()))
    }
}

/// The tenant-token source of one app.
pub(crate) struct TenantTokens {
    credentials: AppCredentials,
    key: String,
    url: String,
    margin: Duration,
    timeout: Duration,
    log_id_header: &'static str,
    cache: Arc<dyn TokenCache>,
    // Held across the fetch: concurrent callers queue on the lock and find the fresh token
    // (or the failure of the fetch they waited for) when they get it.
    fetch: Mutex<Option<SharedFailure>>,
    failures: AtomicU64,
}

/// What callers who waited for a failed fetch get, instead of fetching again themselves.
#[derive(Clone)]
struct SharedFailure {
    http_status: Option<u16>,
    code: Option<i64>,
    msg: String,
    log_id: Option<String>,
}

struct TokenAnswer {
    code: i64,
    msg: String,
    tenant_access_token: Option<String>,
    expire: Option<u64>,
}

impl TokenAnswer {
    /// The answer of the token endpoint: a JSON object with an integer `code`, else `None`.
    fn parse(bytes: &[u8]) -> Option<Self> {
        let answer: serde_json::Value = serde_json::from_slice(bytes).ok()?;
        let text = |key: &str| answer.get(key).and_then(serde_json::Value::as_str).map(str::to_owned);
        Some(TokenAnswer {
            code: answer.get("code")?.as_i64()?,
            msg: text("msg").unwrap_or_default(),
            tenant_access_token: text("tenant_access_token"),
            expire: answer.get("expire").and_then(serde_json::Value::as_u64),
        })
    }
}

/// A failed fetch, and whether trying again may help (network trouble, 5xx, 429).
struct FetchFailure {
    error: Error,
    transient: bool,
}

impl TenantTokens {
    pub(crate) fn new(
        credentials: AppCredentials,
        url: String,
        margin: Duration,
        timeout: Duration,
        log_id_header: &'static str,
        cache: Arc<dyn TokenCache>,
    ) -> Self {
        let key = format!("tenant_access_token:{}", credentials.app_id());
        Self {
            credentials,
            key,
            url,
            margin,
            timeout,
            log_id_header,
            cache,
            fetch: Mutex::new(None),
            failures: AtomicU64::new(0),
        }
    }

    pub(crate) fn app_id(&self) -> &str {
        self.credentials.app_id()
    }

    /// A valid token, fetching one if none is cached or the cached one is due for refresh.
    /// Network failures of the token endpoint are retried within `policy.max_attempts`;
    /// refusals (10003, 99991543…) are not.
    pub(crate) async fn get(&self, http: &reqwest::Client, policy: &RetryPolicy) -> Result<SecretString, Error> {
        if let Some(token) = self.cache.get(&self.key).await {
            return Ok(token);
        }
        let failures_before = self.failures.load(Ordering::SeqCst);
        let mut last_failure = self.fetch.lock().await;
        if let Some(token) = self.cache.get(&self.key).await {
            return Ok(token);
        }
        if self.failures.load(Ordering::SeqCst) != failures_before
            && let Some(failure) = last_failure.as_ref()
        {
            // The fetch we queued behind failed: share its outcome rather than hammer the endpoint.
            return Err(Error::Auth(Box::new(AuthError {
                http_status: failure.http_status,
                code: failure.code,
                msg: failure.msg.clone(),
                log_id: failure.log_id.clone(),
                source: None,
            })));
        }
        match self.fetch_with_retries(http, policy).await {
            Ok((token, ttl)) => {
                self.cache.set(&self.key, token.clone(), ttl).await;
                *last_failure = None;
                Ok(token)
            }
            Err(error) => {
                if let Error::Auth(auth) = &error {
                    *last_failure = Some(SharedFailure {
                        http_status: auth.http_status,
                        code: auth.code,
                        msg: format!("{} (shared by concurrent callers)", auth.msg),
                        log_id: auth.log_id.clone(),
                    });
                }
                self.failures.fetch_add(1, Ordering::SeqCst);
                Err(error)
            }
        }
    }

    /// Forgets `bad` if it is still the cached token (another caller may have refreshed already).
    pub(crate) async fn evict(&self, bad: &SecretString) {
        self.cache.evict(&self.key, bad).await;
    }

    async fn fetch_with_retries(
        &self,
        http: &reqwest::Client,
        policy: &RetryPolicy,
    ) -> Result<(SecretString, Duration), Error> {
        let mut attempt = 1;
        loop {
            match self.fetch_once(http).await {
                Ok(token) => return Ok(token),
                Err(FetchFailure { error, transient: true }) if attempt < policy.max_attempts => {
                    let wait = policy.backoff_for(attempt);
                    tracing::debug!(
                        app_id = self.credentials.app_id(),
                        attempt,
                        wait_ms = wait.as_millis() as u64,
                        error = %error,
                        "token endpoint failed; retrying"
                    );
                    tokio::time::sleep(wait).await;
                    attempt += 1;
                }
                Err(FetchFailure { error, .. }) => {
                    tracing::debug!(app_id = self.credentials.app_id(), attempt, error = %error, "token fetch failed");
                    return Err(error);
                }
            }
        }
    }

    async fn fetch_once(&self, http: &reqwest::Client) -> Result<(SecretString, Duration), FetchFailure> {
        let body = serde_json::json!({
            "app_id": self.credentials.app_id(),
            "app_secret": self.credentials.app_secret(),
        });
        tracing::debug!(app_id = self.credentials.app_id(), "fetching tenant access token");
        let response = http
            .post(&self.url)
            .timeout(self.timeout)
            .header(reqwest::header::CONTENT_TYPE, "application/json; charset=utf-8")
            .body(body.to_string())
            .send()
            .await
            .map_err(|e| FetchFailure {
                error: auth_error(None, None, format!("token endpoint unreachable: {e}"), None, Some(e)),
                transient: true,
            })?;
        let status = response.status().as_u16();
        let transient = status >= 500 || status == 429;
        let log_id = header_str(response.headers(), self.log_id_header);
        let (bytes, _) = read_limited(response, 64 * 1024).await.map_err(|e| FetchFailure {
            error: auth_error(Some(status), None, format!("token answer unreadable: {e}"), log_id.clone(), Some(e)),
            transient: true,
        })?;
        let answer = TokenAnswer::parse(&bytes).ok_or_else(|| {
            // JSON is not quoted: it may hold a token under another shape. A gateway's HTML is.
            let what = if serde_json::from_slice::<serde::de::IgnoredAny>(&bytes).is_ok() {
                "JSON that is no token answer (an object with an integer `code`)".to_owned()
            } else {
                format!("non-JSON: {:?}", crate::http::snippet(&bytes, 200))
            };
            FetchFailure {
                error: auth_error(Some(status), None, format!("token endpoint answered {what}"), log_id.clone(), None),
                transient,
            }
        })?;
        match (answer.code, answer.tenant_access_token, answer.expire) {
            (0, Some(token), Some(expire)) if status == 200 && !token.is_empty() => {
                let lifetime = Duration::from_secs(expire);
                let margin = self.margin.min(lifetime / 2);
                Ok((SecretString::from(token), lifetime - margin))
            }
            (0, ..) => Err(FetchFailure {
                error: auth_error(Some(status), Some(0), "token answer has no token or expiry".into(), log_id, None),
                transient,
            }),
            (code, ..) => Err(FetchFailure {
                error: auth_error(Some(status), Some(code), answer.msg, log_id, None),
                transient: false,
            }),
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

#[cfg(test)]
mod tests {
    use super::*;

    #[tokio::test(start_paused = true)]
    async fn in_memory_cache_expires_and_evicts_only_the_bad_token() {
        let cache = InMemoryTokenCache::new();
        cache.set("k", SecretString::from("t-1"), Duration::from_secs(10)).await;
        assert_eq!(cache.get("k").await.map(|t| t.expose_secret().to_owned()).as_deref(), Some("t-1"));
        cache.evict("k", &SecretString::from("t-other")).await;
        assert!(cache.get("k").await.is_some(), "a different token does not evict");
        tokio::time::advance(Duration::from_secs(10)).await;
        assert!(cache.get("k").await.is_none(), "expired");
        cache.set("k", SecretString::from("t-2"), Duration::from_secs(10)).await;
        cache.evict("k", &SecretString::from("t-2")).await;
        assert!(cache.get("k").await.is_none(), "evicted");
        assert!(!format!("{cache:?}").contains("t-2"));
    }

    #[test]
    fn a_token_answer_needs_an_integer_code_and_reads_the_rest_if_present() {
        let ok =
            TokenAnswer::parse(br#"{"code":0,"msg":"ok","tenant_access_token":"t-1","expire":7200}"#).expect("parsed");
        assert_eq!(
            (ok.code, ok.msg.as_str(), ok.tenant_access_token.as_deref(), ok.expire),
            (0, "ok", Some("t-1"), Some(7200))
        );
        let refused = TokenAnswer::parse(br#"{"code":10003,"expire":"soon"}"#).expect("parsed");
        assert_eq!(
            (refused.code, refused.msg.as_str(), refused.tenant_access_token, refused.expire),
            (10003, "", None, None)
        );
        for bad in [&b"<html>"[..], br#"{"msg":"no code"}"#, br#"{"code":"0"}"#, b"[0]"] {
            assert!(TokenAnswer::parse(bad).is_none(), "{}", String::from_utf8_lossy(bad));
        }
    }
}
