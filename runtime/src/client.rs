//! The client: one connection pool, one token cache, one rate limiter, shared by every clone
//! and task; and the attempt loop that applies limits, retries and token refreshes.

use std::any::Any;
use std::fmt;
use std::sync::Arc;
use std::time::Duration;

use crate::decode::{self, DecodeBoxed, FromJson};
use futures_util::future::BoxFuture;
use secrecy::{ExposeSecret, SecretString};
use tokio::time::Instant;
use tracing::Instrument;

use crate::call::{Call, CallBody};
use crate::credentials::AppCredentials;
use crate::download::Download;
use crate::endpoint::{Endpoint, ErrorAction, Platform, ResponseKind, TokenKind};
use crate::envelope;
use crate::error::{Error, ErrorMeta, RateLimited};
use crate::http::{header_str, is_json};
use crate::limit::{InProcessLimiter, RateLimitMode, RateLimiter};
use crate::multipart::build_form;
use crate::options::CallOptions;
use crate::retry::RetryPolicy;
use crate::sending::Sending;
use crate::token::{InMemoryTokenCache, TenantTokens, TokenCache};

/// What a call's answer is read as. The attempt loop takes it with the response type erased
/// and runs behind a boxed future made in this crate ([`Client::run`]), so the loop (token,
/// slot, send, retry) and the reading of answers are compiled once, here, instead of once
/// per response type in every generated crate and in every app that makes calls; only the
/// `data` type's [`DecodeBoxed`] and the downcast are compiled where a call is made.
#[derive(Clone, Copy)]
enum Answer {
    /// A JSON envelope whose `data` decodes with this function.
    Json(DecodeBoxed),
    /// A file: a [`Download`] whose body is left unread, to be streamed.
    Download,
}

/// Response header with the seconds to wait after a throttled answer.
const RATE_LIMIT_RESET_HEADER: &str = "x-ogw-ratelimit-reset";

/// An async client of one Lark platform. Cheap to clone: clones share the connection
/// pool, the tenant-token cache and the rate limiter.
#[derive(Clone)]
pub struct Client {
    inner: Arc<Inner>,
    options: CallOptions,
}

struct Inner {
    http: reqwest::Client,
    /// Total time of one JSON exchange (streams are bound by the read timeout only).
    timeout: Option<Duration>,
    /// Largest successful JSON body read.
    json_body_limit: usize,
    base_url: String,
    platform: &'static Platform,
    tenant: Option<TenantTokens>,
    retry: RetryPolicy,
    rate_limit: RateLimitMode,
    limiter: Arc<dyn RateLimiter>,
    /// The app part of rate-limit keys: the app id, or `-` without app credentials.
    app_key: String,
}

impl fmt::Debug for Client {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("Client")
            .field("platform", &self.inner.platform.name)
            .field("base_url", &self.inner.base_url)
            .field("app_id", &self.inner.tenant.as_ref().map(|t| t.app_id()))
            .field("retry", self.options.retry.as_ref().unwrap_or(&self.inner.retry))
            .field("rate_limit", &self.options.rate_limit.unwrap_or(self.inner.rate_limit))
            .finish_non_exhaustive()
    }
}

/// Builds a [`Client`].
///
/// Defaults:
///
/// - **timeouts**: 30 s per JSON exchange (body included); streamed downloads and multipart
///   uploads have no total limit, so big files are never cut off, but every exchange fails
///   after 30 s without a byte read (`read_timeout`, the error says "timed out"); 10 s to
///   connect, 10 s for a tenant-token request;
/// - **JSON bodies**: a successful answer is read up to 64 MiB (`json_body_limit`), an error
///   answer up to 1 MiB; beyond, [`Error::TooLarge`] without reading the rest;
/// - **retries**: [`RetryPolicy::default()`] — 3 attempts, backoff 200 ms doubling up to 5 s
///   with jitter, 30 s budget, server throttling honoured for up to 10 s (1 s when the server
///   gives no reset time); only failures that are safe to retry are retried (see
///   [`RetryPolicy`]);
/// - **client-side rate limits**: on, [`RateLimitMode::Wait`]: each endpoint's documented
///   per-second and per-minute limits, per app and endpoint, enforced by an
///   [`InProcessLimiter`] shared by every clone of the client; a call waits for its slot;
/// - **tenant tokens**: cached in an [`InMemoryTokenCache`] under
///   `tenant_access_token:<app_id>`, refreshed the platform's margin (3 min) before expiry.
pub struct ClientBuilder {
    platform: &'static Platform,
    base_url: String,
    credentials: Option<AppCredentials>,
    timeout: Option<Duration>,
    read_timeout: Option<Duration>,
    json_body_limit: usize,
    connect_timeout: Duration,
    token_timeout: Duration,
    user_agent: String,
    http: Option<reqwest::Client>,
    retry: RetryPolicy,
    rate_limit: RateLimitMode,
    limiter: Option<Arc<dyn RateLimiter>>,
    token_cache: Option<Arc<dyn TokenCache>>,
}

impl fmt::Debug for ClientBuilder {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("ClientBuilder")
            .field("platform", &self.platform.name)
            .field("base_url", &self.base_url)
            .field("credentials", &self.credentials)
            .field("timeout", &self.timeout)
            .field("json_body_limit", &self.json_body_limit)
            .field("retry", &self.retry)
            .field("rate_limit", &self.rate_limit)
            .finish_non_exhaustive()
    }
}

impl ClientBuilder {
    /// A builder for `platform`, pointed at its first base URL (Feishu for Lark).
    pub fn new(platform: &'static Platform) -> Self {
        Self {
            platform,
            base_url: platform.base_urls.first().map(|(_, url)| *url).unwrap_or_default().to_owned(),
            credentials: None,
            timeout: Some(Duration::from_secs(30)),
            read_timeout: Some(Duration::from_secs(30)),
            json_body_limit: envelope::DEFAULT_BODY_LIMIT,
            connect_timeout: Duration::from_secs(10),
            token_timeout: Duration::from_secs(10),
            user_agent: concat!("larkgen/", env!("CARGO_PKG_VERSION")).to_owned(),
            http: None,
            retry: RetryPolicy::default(),
            rate_limit: RateLimitMode::default(),
            limiter: None,
            token_cache: None,
        }
    }

    /// Uses a named base URL of the platform (`"feishu"` or `"lark"`); unknown names are ignored.
    pub fn region(mut self, name: &str) -> Self {
        if let Some(url) = self.platform.base_url(name) {
            self.base_url = url.to_owned();
        }
        self
    }

    /// Uses a custom base URL (a proxy, a mock server…).
    pub fn base_url(mut self, url: impl Into<String>) -> Self {
        self.base_url = url.into().trim_end_matches('/').to_owned();
        self
    }

    /// Credentials of a self-built app; tenant tokens are then fetched and refreshed automatically.
    pub fn app_credentials(mut self, app_id: impl Into<String>, app_secret: impl Into<String>) -> Self {
        self.credentials = Some(AppCredentials::new(app_id, app_secret));
        self
    }

    /// Total time allowed for one JSON exchange, body included (`None`: no limit). Each
    /// attempt of a call has this much. Streamed downloads and multipart uploads are not
    /// bound by it (a 1 GiB file may take minutes); [`read_timeout`](Self::read_timeout)
    /// still fails them when the connection stalls.
    pub fn timeout(mut self, timeout: Option<Duration>) -> Self {
        self.timeout = timeout;
        self
    }

    /// Time allowed between two reads of an answer, for every exchange (`None`: no limit).
    /// A body that stalls longer fails with an error that says it timed out
    /// ([`TransportError::timeout`](crate::TransportError::timeout) for JSON answers,
    /// [`BodyError::timeout`](crate::BodyError::timeout) for downloads).
    pub fn read_timeout(mut self, timeout: Option<Duration>) -> Self {
        self.read_timeout = timeout;
        self
    }

    /// Largest body of a successful JSON answer the client reads, in bytes (default 64 MiB).
    ///
    /// A body announced larger (`Content-Length`) is not read at all; one that grows past
    /// the limit is read no further: either way the call fails with [`Error::TooLarge`]
    /// (status and log id included), memory never holds more than the limit, and the
    /// connection is closed. Not retried: the server may have done the work. Error answers
    /// are read up to 1 MiB (or this limit, if smaller); downloads are streamed and not bound by it.
    pub fn json_body_limit(mut self, bytes: usize) -> Self {
        self.json_body_limit = bytes;
        self
    }

    /// Time allowed to establish a connection.
    pub fn connect_timeout(mut self, timeout: Duration) -> Self {
        self.connect_timeout = timeout;
        self
    }

    /// Total time allowed for one request to the tenant-token endpoint (default 10 s).
    pub fn token_timeout(mut self, timeout: Duration) -> Self {
        self.token_timeout = timeout;
        self
    }

    /// The `User-Agent` header.
    pub fn user_agent(mut self, user_agent: impl Into<String>) -> Self {
        self.user_agent = user_agent.into();
        self
    }

    /// Uses a preconfigured reqwest client (its timeouts and user agent win).
    pub fn http_client(mut self, http: reqwest::Client) -> Self {
        self.http = Some(http);
        self
    }

    /// How calls retry (default [`RetryPolicy::default()`]; [`RetryPolicy::none()`] to never retry).
    pub fn retry(mut self, policy: RetryPolicy) -> Self {
        self.retry = policy;
        self
    }

    /// What a call does when its endpoint's rate limit has no free slot (default: wait for it).
    pub fn rate_limit(mut self, mode: RateLimitMode) -> Self {
        self.rate_limit = mode;
        self
    }

    /// Uses another rate limiter (default: a new [`InProcessLimiter`] per built client). Pass
    /// the same `Arc` to several builders to share limits between clients.
    pub fn rate_limiter(mut self, limiter: Arc<dyn RateLimiter>) -> Self {
        self.limiter = Some(limiter);
        self
    }

    /// Uses another tenant-token cache (default: a new [`InMemoryTokenCache`] per built client).
    pub fn token_cache(mut self, cache: Arc<dyn TokenCache>) -> Self {
        self.token_cache = Some(cache);
        self
    }

    /// Builds the client.
    pub fn build(self) -> Result<Client, reqwest::Error> {
        let http = match self.http {
            Some(http) => http,
            None => {
                crate::install_crypto_provider();
                let mut b =
                    reqwest::Client::builder().user_agent(self.user_agent).connect_timeout(self.connect_timeout);
                if let Some(t) = self.read_timeout {
                    b = b.read_timeout(t);
                }
                b.build()?
            }
        };
        let platform = self.platform;
        let app_key = self.credentials.as_ref().map_or_else(|| "-".to_owned(), |c| c.app_id().to_owned());
        let token_timeout = self.token_timeout;
        let cache = self.token_cache.unwrap_or_else(|| Arc::new(InMemoryTokenCache::new()));
        let tenant = self.credentials.map(|c| {
            let url = format!("{}{}", self.base_url, platform.tenant_token_path);
            TenantTokens::new(
                c,
                url,
                Duration::from_secs(platform.refresh_margin_secs),
                token_timeout,
                platform.log_id_header,
                cache,
            )
        });
        Ok(Client {
            inner: Arc::new(Inner {
                http,
                timeout: self.timeout,
                json_body_limit: self.json_body_limit,
                base_url: self.base_url,
                platform,
                tenant,
                retry: self.retry,
                rate_limit: self.rate_limit,
                limiter: self.limiter.unwrap_or_else(|| Arc::new(InProcessLimiter::new())),
                app_key,
            }),
            options: CallOptions::default(),
        })
    }
}

/// The token one attempt is sent with.
enum Bearer {
    Tenant(SecretString),
    User(SecretString),
}

impl Bearer {
    fn expose(&self) -> &str {
        match self {
            Bearer::Tenant(t) | Bearer::User(t) => t.expose_secret(),
        }
    }
}

/// What the attempt loop needs from an answer before the handler consumes it.
struct AnswerHead {
    status: u16,
    log_id: Option<String>,
    reset: Option<Duration>,
}

impl AnswerHead {
    fn of(response: &reqwest::Response, platform: &Platform) -> Self {
        let headers = response.headers();
        Self {
            status: response.status().as_u16(),
            log_id: header_str(headers, platform.log_id_header),
            reset: header_str(headers, RATE_LIMIT_RESET_HEADER).and_then(|v| parse_seconds(&v)),
        }
    }
}

/// `x-ogw-ratelimit-reset`: seconds, usually an integer.
fn parse_seconds(value: &str) -> Option<Duration> {
    let value = value.trim();
    value
        .parse::<u64>()
        .ok()
        .map(Duration::from_secs)
        .or_else(|| value.parse::<f64>().ok().and_then(|s| Duration::try_from_secs_f64(s).ok()))
}

/// What to do about a failed attempt.
enum Next {
    /// Give up with this error.
    Stop,
    /// Back off and retry.
    Backoff,
    /// The server throttled the call: wait this long (or fail, when the wait is too long).
    Throttled(Result<Duration, Duration>),
}

impl Client {
    /// A builder for `platform`.
    pub fn builder(platform: &'static Platform) -> ClientBuilder {
        ClientBuilder::new(platform)
    }

    /// The platform this client talks to.
    pub fn platform(&self) -> &'static Platform {
        self.inner.platform
    }

    /// The base URL requests go to.
    pub fn base_url(&self) -> &str {
        &self.inner.base_url
    }

    /// A handle whose calls use `options` over this client's settings. It shares the
    /// connection pool, tokens and rate limits with `self`; wrap it in a generated service
    /// client to apply the options to some calls only.
    pub fn with_options(&self, options: CallOptions) -> Client {
        Client { inner: self.inner.clone(), options: self.options.merged(options) }
    }

    /// Sends a call and decodes the `data` of its JSON answer.
    pub async fn send_json<T: FromJson + Send + 'static>(&self, call: Call) -> Result<T, Error> {
        self.clone().sending_json::<T, Error>(call).await
    }

    /// Sends a call whose answer carries nothing useful (any `data` is ignored).
    pub async fn send_empty(&self, call: Call) -> Result<(), Error> {
        self.clone().sending_empty::<Error>(call).await
    }

    /// Sends a call whose answer is a file; the body is left unread, to be streamed.
    /// Failures before the body is handed over are retried like any call; a body cut short
    /// later is the caller's [`Error::Body`].
    pub async fn send_download(&self, call: Call) -> Result<Download, Error> {
        self.clone().sending_download::<Error>(call).await
    }

    /// [`send_json`](Self::send_json) as a [`Sending`] future that owns the client and the
    /// call and fails with the endpoint's error type `E` (what a generated `send()` returns).
    #[inline]
    pub fn sending_json<T: FromJson + Send + 'static, E>(self, call: Call) -> Sending<T, E> {
        Sending::new(self.run(call, Answer::Json(decode::boxed::<T>)))
    }

    /// [`send_empty`](Self::send_empty) as a [`Sending`] future (see
    /// [`sending_json`](Self::sending_json)).
    #[inline]
    pub fn sending_empty<E>(self, call: Call) -> Sending<(), E> {
        Sending::new(self.run(call, Answer::Json(decode::boxed_unit)))
    }

    /// [`send_download`](Self::send_download) as a [`Sending`] future (see
    /// [`sending_json`](Self::sending_json)).
    #[inline]
    pub fn sending_download<E>(self, call: Call) -> Sending<Download, E> {
        Sending::new(self.run(call, Answer::Download))
    }

    /// One call: validation, then attempts in a `lark.call` tracing span. Not an `async fn`:
    /// the future is boxed here, so that its code is compiled in this crate (see [`Answer`]).
    fn run(self, call: Call, answer: Answer) -> BoxFuture<'static, Result<Box<dyn Any + Send>, Error>> {
        Box::pin(async move {
            call.check()?;
            if !self.options.refused.is_empty() {
                return Err(Error::Validation(self.options.refused.clone()));
            }
            let endpoint = call.endpoint;
            let span = tracing::info_span!(
                "lark.call",
                service = endpoint.service,
                endpoint = endpoint.name,
                method = endpoint.method.as_str(),
                attempt = tracing::field::Empty,
                http_status = tracing::field::Empty,
                code = tracing::field::Empty,
                log_id = tracing::field::Empty,
                wait_ms = tracing::field::Empty,
            );
            self.attempts(&call, answer).instrument(span).await
        })
    }

    /// Reads an answer as `answer` says.
    async fn read(
        &self,
        call: &Call,
        answer: Answer,
        response: reqwest::Response,
    ) -> Result<Box<dyn Any + Send>, Error> {
        let (endpoint, platform, limit) = (call.endpoint, self.inner.platform, self.inner.json_body_limit);
        match answer {
            Answer::Json(data_type) => envelope::decode(endpoint, platform, response, limit, data_type).await,
            Answer::Download => {
                let content_type = response.headers().get("content-type").and_then(|v| v.to_str().ok());
                // 206: the part a `Range` header asked for, streamed like a whole file.
                let whole_or_part = matches!(response.status().as_u16(), 200 | 206);
                if whole_or_part && !is_json(content_type) {
                    Ok(Box::new(Download::new(endpoint.name, response, platform.log_id_header)))
                } else {
                    Err(envelope::decode_failure(endpoint, platform, response, limit).await)
                }
            }
        }
    }

    /// The attempt loop: rate-limit slot, token, request, answer; then retry what is safe to
    /// retry, within the policy's attempts and budget. A refused tenant token is evicted and
    /// the call resent once with a fresh one.
    async fn attempts(&self, call: &Call, answer: Answer) -> Result<Box<dyn Any + Send>, Error> {
        let inner = &*self.inner;
        let endpoint = call.endpoint;
        let policy = self.options.retry.as_ref().unwrap_or(&inner.retry);
        let mode = self.options.rate_limit.unwrap_or(inner.rate_limit);
        let limited = mode != RateLimitMode::Off
            && (endpoint.limits.per_second.is_some() || endpoint.limits.per_minute.is_some());
        let key = limited.then(|| format!("{}:{}:{}", inner.app_key, endpoint.service, endpoint.name));
        let span = tracing::Span::current();

        let mut sent = 0u32;
        let mut refreshed = false;
        let mut first_sent: Option<Instant> = None;
        let mut waited = Duration::ZERO;
        // The error that made us retry: returned if the retry cannot get a slot in time.
        let mut retrying: Option<Error> = None;
        loop {
            // The token first: a slow token fetch must not delay a request whose slot is taken.
            let bearer = self.bearer(call, policy).await?;
            let mut slot = None;
            if let Some(key) = &key {
                let max_wait = match first_sent {
                    None => mode.max_wait(),
                    Some(t0) => {
                        let left = policy.budget.saturating_sub(t0.elapsed());
                        Some(mode.max_wait().map_or(left, |m| m.min(left)))
                    }
                };
                match inner.limiter.acquire(key, endpoint.limits, max_wait).await {
                    Ok(taken) => {
                        let wait = taken.waited();
                        slot = Some(taken);
                        waited += wait;
                        if wait >= Duration::from_millis(1) {
                            span.record("wait_ms", waited.as_millis() as u64);
                            tracing::debug!(wait_ms = wait.as_millis() as u64, "waited for a rate-limit slot");
                        }
                    }
                    Err(retry_after) => {
                        tracing::debug!(retry_after_ms = retry_after.as_millis() as u64, "no rate-limit slot in time");
                        return Err(retrying.unwrap_or_else(|| {
                            Error::RateLimited(Box::new(RateLimited {
                                endpoint: endpoint.name,
                                retry_after: Some(retry_after),
                                last: None,
                            }))
                        }));
                    }
                }
            }
            let t0 = *first_sent.get_or_insert_with(Instant::now);
            sent += 1;
            span.record("attempt", sent);

            let sent_once = self.send_once(call, &bearer).await;
            // Answered (or failed): the limiter now knows the request reached the server by now.
            drop(slot);
            let (outcome, head) = match sent_once {
                Ok(response) => {
                    let head = AnswerHead::of(&response, inner.platform);
                    span.record("http_status", head.status);
                    if let Some(log_id) = &head.log_id {
                        span.record("log_id", log_id.as_str());
                    }
                    (self.read(call, answer, response).await, Some(head))
                }
                Err(e) => (Err(e), None),
            };
            let err = match outcome {
                Ok(value) => {
                    tracing::debug!(attempts = sent, "call succeeded");
                    return Ok(value);
                }
                Err(e) => e,
            };
            if let Some(code) = err.code() {
                span.record("code", code);
            }
            if let Some(log_id) = err.log_id()
                && head.as_ref().is_none_or(|h| h.log_id.as_deref() != Some(log_id))
            {
                span.record("log_id", log_id);
            }

            if !refreshed
                && let (Some(tenant), Bearer::Tenant(bad), Error::Api(api)) = (&inner.tenant, &bearer, &err)
                && api.spec.is_some_and(|s| s.action == ErrorAction::RefreshToken)
            {
                tracing::debug!(code = api.code, "tenant token refused; refetching once");
                tenant.evict(bad).await;
                refreshed = true;
                retrying = Some(err);
                continue;
            }

            // The resend after a token refresh is not counted against the attempts.
            let counted = sent - u32::from(refreshed);
            let next = classify(endpoint, &err, head.as_ref(), policy);
            if let (Some(key), Next::Throttled(Ok(pause) | Err(pause))) = (&key, &next) {
                // Every caller of this endpoint holds off, not only this one.
                inner.limiter.server_throttled(key, *pause);
            }
            let (wait, throttled) = match next {
                Next::Stop => {
                    tracing::debug!(attempts = sent, error = %err, "call failed");
                    return Err(err);
                }
                Next::Throttled(Err(too_long)) => {
                    tracing::debug!(
                        retry_after_ms = too_long.as_millis() as u64,
                        "throttled for longer than the policy waits"
                    );
                    return Err(throttled_error(endpoint, &err, too_long));
                }
                Next::Throttled(Ok(wait)) => (wait, true),
                Next::Backoff => (policy.backoff_for(counted), false),
            };
            if counted >= policy.max_attempts || t0.elapsed() + wait > policy.budget {
                tracing::debug!(attempts = sent, error = %err, "retry budget spent");
                return Err(if throttled { throttled_error(endpoint, &err, wait) } else { err });
            }
            tracing::debug!(
                attempt = sent,
                wait_ms = wait.as_millis() as u64,
                throttled,
                error = %err,
                "attempt failed; retrying"
            );
            tokio::time::sleep(wait).await;
            waited += wait;
            span.record("wait_ms", waited.as_millis() as u64);
            retrying = Some(if throttled { throttled_error(endpoint, &err, wait) } else { err });
        }
    }

    async fn bearer(&self, call: &Call, policy: &RetryPolicy) -> Result<Bearer, Error> {
        let endpoint = call.endpoint;
        if let Some(user) = &call.user_token {
            return Ok(Bearer::User(SecretString::from(user.expose().to_owned())));
        }
        match &self.inner.tenant {
            Some(tenant) if endpoint.accepts(TokenKind::Tenant) => {
                Ok(Bearer::Tenant(tenant.get(&self.inner.http, policy).await?))
            }
            _ => {
                let mut v = crate::Violations::new();
                let need = if endpoint.accepts(TokenKind::Tenant) {
                    "app credentials on the client"
                } else {
                    "a user access token"
                };
                v.push("authorization".into(), "token required", format!("{} needs {need}", endpoint.name));
                Err(Error::Validation(v))
            }
        }
    }

    async fn send_once(&self, call: &Call, bearer: &Bearer) -> Result<reqwest::Response, Error> {
        let endpoint = call.endpoint;
        let mut url = format!("{}{}", self.inner.base_url, call.render_path());
        if !call.query.is_empty() {
            // Encoded as reqwest's `query` would (application/x-www-form-urlencoded), without
            // its serde_urlencoded: the pairs are strings already.
            url.push('?');
            let start = url.len();
            url = form_urlencoded::Serializer::for_suffix(url, start).extend_pairs(&call.query).finish();
        }
        let mut request = self.inner.http.request(endpoint.method.to_reqwest(), url).bearer_auth(bearer.expose());
        if !self.options.headers.is_empty() || !call.headers.is_empty() {
            // A declared header parameter of this call replaces the same header of the options.
            let mut headers = self.options.headers.clone();
            for (name, value) in &call.headers {
                headers.insert(name.clone(), value.clone());
            }
            request = request.headers(headers);
        }
        let streamed = endpoint.response == ResponseKind::Binary || matches!(call.body, CallBody::Multipart(_));
        if let (Some(t), false) = (self.inner.timeout, streamed) {
            request = request.timeout(t);
        }
        request = match &call.body {
            CallBody::None => request,
            CallBody::Json(bytes) => {
                request.header(reqwest::header::CONTENT_TYPE, "application/json; charset=utf-8").body(bytes.clone())
            }
            // Rebuilt for every attempt: a retry never reuses a half-sent stream.
            CallBody::Multipart(parts) => request.multipart(build_form(parts).await?),
        };
        request.send().await.map_err(|e| Error::transport(endpoint.name, e))
    }
}

/// Whether and how a failed attempt may be retried (see [`RetryPolicy`] for the rules).
fn classify(endpoint: &Endpoint, err: &Error, head: Option<&AnswerHead>, policy: &RetryPolicy) -> Next {
    let throttled = match err {
        Error::Api(api) => api.http_status == 429 || api.spec.is_some_and(|s| s.action == ErrorAction::RateLimited),
        Error::UnexpectedResponse(u) => u.http_status == 429,
        _ => false,
    };
    if throttled {
        // The server refused the call unprocessed: safe to resend, whatever the method.
        return Next::Throttled(policy.throttle_for(head.and_then(|h| h.reset)));
    }
    let safe = match err {
        // Never connected: the request cannot have been processed.
        Error::Transport(t) if t.not_sent => true,
        Error::Transport(_) => endpoint.idempotent,
        Error::Api(api) => {
            endpoint.idempotent
                && match api.spec {
                    Some(spec) => spec.retryable,
                    None => api.http_status >= 500,
                }
        }
        Error::UnexpectedResponse(u) => endpoint.idempotent && u.http_status >= 500,
        _ => false,
    };
    if safe { Next::Backoff } else { Next::Stop }
}

/// The error of a call the server kept throttling.
fn throttled_error(endpoint: &Endpoint, err: &Error, retry_after: Duration) -> Error {
    Error::RateLimited(Box::new(RateLimited {
        endpoint: endpoint.name,
        retry_after: Some(retry_after),
        last: err.as_api().cloned(),
    }))
}

#[cfg(test)]
mod tests {
    use super::parse_seconds;
    use std::time::Duration;

    #[test]
    fn reset_header_values() {
        assert_eq!(parse_seconds("3"), Some(Duration::from_secs(3)));
        assert_eq!(parse_seconds(" 0.25 "), Some(Duration::from_millis(250)));
        assert_eq!(parse_seconds("soon"), None);
        assert_eq!(parse_seconds("-1"), None);
    }
}
