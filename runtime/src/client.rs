//! The client: one connection pool, one token cache, shared by every clone and task.

use std::fmt;
use std::sync::Arc;
use std::time::Duration;

use secrecy::{ExposeSecret, SecretString};
use serde::de::DeserializeOwned;

use crate::call::{Call, CallBody};
use crate::credentials::AppCredentials;
use crate::download::Download;
use crate::endpoint::{ErrorAction, Platform, TokenKind};
use crate::envelope;
use crate::error::{Error, ErrorMeta};
use crate::http::is_json;
use crate::multipart::build_form;
use crate::token::TenantTokens;

/// An async client of one Lark platform. Cheap to clone: clones share the connection
/// pool and the tenant-token cache.
#[derive(Clone)]
pub struct Client {
    inner: Arc<Inner>,
}

struct Inner {
    http: reqwest::Client,
    base_url: String,
    platform: &'static Platform,
    tenant: Option<TenantTokens>,
}

impl fmt::Debug for Client {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("Client")
            .field("platform", &self.inner.platform.name)
            .field("base_url", &self.inner.base_url)
            .field("app_id", &self.inner.tenant.as_ref().map(|t| t.app_id()))
            .finish_non_exhaustive()
    }
}

/// Builds a [`Client`].
pub struct ClientBuilder {
    platform: &'static Platform,
    base_url: String,
    credentials: Option<AppCredentials>,
    timeout: Option<Duration>,
    connect_timeout: Duration,
    user_agent: String,
    http: Option<reqwest::Client>,
}

impl fmt::Debug for ClientBuilder {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("ClientBuilder")
            .field("platform", &self.platform.name)
            .field("base_url", &self.base_url)
            .field("credentials", &self.credentials)
            .field("timeout", &self.timeout)
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
            connect_timeout: Duration::from_secs(10),
            user_agent: concat!("larkgen/", env!("CARGO_PKG_VERSION")).to_owned(),
            http: None,
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

    /// Total time allowed for one HTTP exchange (`None`: no limit, e.g. for huge downloads).
    pub fn timeout(mut self, timeout: Option<Duration>) -> Self {
        self.timeout = timeout;
        self
    }

    /// Time allowed to establish a connection.
    pub fn connect_timeout(mut self, timeout: Duration) -> Self {
        self.connect_timeout = timeout;
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

    /// Builds the client.
    pub fn build(self) -> Result<Client, reqwest::Error> {
        let http = match self.http {
            Some(http) => http,
            None => {
                crate::install_crypto_provider();
                let mut b =
                    reqwest::Client::builder().user_agent(self.user_agent).connect_timeout(self.connect_timeout);
                if let Some(t) = self.timeout {
                    b = b.timeout(t);
                }
                b.build()?
            }
        };
        let platform = self.platform;
        let tenant = self.credentials.map(|c| {
            let url = format!("{}{}", self.base_url, platform.tenant_token_path);
            TenantTokens::new(c, url, Duration::from_secs(platform.refresh_margin_secs), platform.log_id_header)
        });
        Ok(Client { inner: Arc::new(Inner { http, base_url: self.base_url, platform, tenant }) })
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

    /// Sends a call and decodes the `data` of its JSON answer.
    pub async fn send_json<T: DeserializeOwned>(&self, call: Call) -> Result<T, Error> {
        let platform = self.inner.platform;
        self.run(&call, |response| envelope::decode::<T>(call.endpoint, platform, response)).await
    }

    /// Sends a call whose answer is a file; the body is left unread, to be streamed.
    pub async fn send_download(&self, call: Call) -> Result<Download, Error> {
        let platform = self.inner.platform;
        let endpoint = call.endpoint;
        self.run(&call, |response| async move {
            let content_type = response.headers().get("content-type").and_then(|v| v.to_str().ok());
            if response.status() == reqwest::StatusCode::OK && !is_json(content_type) {
                Ok(Download::new(endpoint.name, response, platform.log_id_header))
            } else {
                Err(envelope::decode_failure(endpoint, platform, response).await)
            }
        })
        .await
    }

    /// The attempt loop: token, request, answer; a bad cached tenant token is evicted and
    /// the call is sent once more with a fresh one.
    async fn run<T, F, Fut>(&self, call: &Call, handle: F) -> Result<T, Error>
    where
        F: Fn(reqwest::Response) -> Fut,
        Fut: std::future::Future<Output = Result<T, Error>>,
    {
        call.check()?;
        let mut refreshed = false;
        loop {
            let bearer = self.bearer(call).await?;
            let response = self.send_once(call, &bearer).await?;
            match handle(response).await {
                Err(Error::Api(api))
                    if !refreshed
                        && matches!(bearer, Bearer::Tenant(_))
                        && api.spec.is_some_and(|s| s.action == ErrorAction::RefreshToken) =>
                {
                    tracing::debug!(
                        endpoint = call.endpoint.name,
                        code = api.code,
                        "tenant token refused; refetching once"
                    );
                    if let (Some(tenant), Bearer::Tenant(bad)) = (&self.inner.tenant, &bearer) {
                        tenant.evict(bad).await;
                    }
                    refreshed = true;
                }
                Err(e) => {
                    tracing::debug!(endpoint = call.endpoint.name, code = e.code(), log_id = e.log_id(), "call failed");
                    return Err(e);
                }
                ok => return ok,
            }
        }
    }

    async fn bearer(&self, call: &Call) -> Result<Bearer, Error> {
        let endpoint = call.endpoint;
        if let Some(user) = &call.user_token {
            return Ok(Bearer::User(SecretString::from(user.expose().to_owned())));
        }
        match &self.inner.tenant {
            Some(tenant) if endpoint.accepts(TokenKind::Tenant) => {
                Ok(Bearer::Tenant(tenant.get(&self.inner.http).await?))
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
        let url = format!("{}{}", self.inner.base_url, call.render_path());
        let mut request =
            self.inner.http.request(endpoint.method.to_reqwest(), url).bearer_auth(bearer.expose()).query(&call.query);
        request = match &call.body {
            CallBody::None => request,
            CallBody::Json(bytes) => {
                request.header(reqwest::header::CONTENT_TYPE, "application/json; charset=utf-8").body(bytes.clone())
            }
            CallBody::Multipart(parts) => request.multipart(build_form(parts).await?),
        };
        request.send().await.map_err(|e| Error::transport(endpoint.name, e))
    }
}
