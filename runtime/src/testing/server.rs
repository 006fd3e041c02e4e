//! The fake server: a wiremock server on loopback whose one responder issues tenant tokens,
//! routes each request to an endpoint of the spec, checks it, records it and answers it.

use std::collections::{HashMap, HashSet};
use std::fmt;
use std::sync::{Arc, Mutex, MutexGuard};

use serde_json::{Value, json};
use wiremock::matchers::any;
use wiremock::{Mock, MockServer, Request, Respond, ResponseTemplate};

use super::answers::{self, On, Script};
use super::check;
use super::record::{self, Auth, Recorded, Violation};
use crate::client::{Client, ClientBuilder};
use crate::endpoint::{Endpoint, Platform, TokenKind};

/// The app id the fake accepts (with [`APP_SECRET`]); [`FakeLark::builder`] uses both.
pub const APP_ID: &str = "cli_fake_app";
/// The app secret the fake accepts.
pub const APP_SECRET: &str = "fake-app-secret";

const MISSING_TOKEN: i64 = 99991661;
const INVALID_TOKEN: i64 = 99991663;
/// Lark's answer to a request whose parameters or body break the API's rules.
const FIELD_VALIDATION: (i64, &str) = (99992402, "field validation failed");

/// A fake Lark server on loopback, driven by the generated endpoint descriptors.
///
/// It issues tenant tokens to [`APP_ID`]/[`APP_SECRET`], answers each endpoint with the
/// spec's example `data` unless the test sets another answer ([`on`](Self::on)), checks every
/// request against the spec (the answer to a request that breaks it is Lark's, and the
/// request is kept in [`violations`](Self::violations)), and records every request
/// ([`requests`](Self::requests)). It stops when dropped.
pub struct FakeLark {
    server: MockServer,
    platform: &'static Platform,
    state: Arc<Mutex<State>>,
}

struct State {
    platform: &'static Platform,
    endpoints: Vec<&'static Endpoint>,
    /// Keyed by `(service, name)`, so descriptors of the same spec generated twice (a
    /// build script and a macro) address the same endpoint.
    scripts: HashMap<(&'static str, &'static str), Script>,
    /// Tenant tokens issued and not revoked. Fake values, but kept out of `Debug` like real ones.
    tokens: HashSet<String>,
    issued: usize,
    recorded: Vec<Recorded>,
    violations: Vec<Violation>,
    answers: u64,
}

impl fmt::Debug for FakeLark {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let state = self.state();
        f.debug_struct("FakeLark")
            .field("uri", &self.server.uri())
            .field("platform", &self.platform.name)
            .field("endpoints", &state.endpoints.len())
            .field("requests", &state.recorded.len())
            .field("violations", &state.violations.len())
            .finish_non_exhaustive()
    }
}

impl FakeLark {
    /// Starts a fake of `platform` serving the endpoints of `services` (each a generated
    /// `endpoints::ALL`), on a free loopback port.
    ///
    /// ```ignore
    /// let lark = FakeLark::start(&lark_client::PLATFORM, &[baike_v1::endpoints::ALL]).await;
    /// let baike = baike_v1::Client::new(lark.client());
    /// ```
    pub async fn start(platform: &'static Platform, services: &[&'static [&'static Endpoint]]) -> Self {
        let state = Arc::new(Mutex::new(State {
            platform,
            endpoints: services.iter().flat_map(|s| s.iter().copied()).collect(),
            scripts: HashMap::new(),
            tokens: HashSet::new(),
            issued: 0,
            recorded: Vec::new(),
            violations: Vec::new(),
            answers: 0,
        }));
        // The fake keeps its own records: wiremock's would hold every body a second time.
        let server = MockServer::builder().disable_request_recording().start().await;
        Mock::given(any()).respond_with(Responder(state.clone())).mount(&server).await;
        Self { server, platform, state }
    }

    /// The base URL, e.g. `http://127.0.0.1:41234`.
    pub fn uri(&self) -> String {
        self.server.uri()
    }

    /// The platform it fakes.
    pub fn platform(&self) -> &'static Platform {
        self.platform
    }

    /// A client builder pointed at the fake, with the app credentials it accepts: add
    /// settings (`retry`, `rate_limit`, timeouts) and `build()`.
    pub fn builder(&self) -> ClientBuilder {
        Client::builder(self.platform).base_url(self.uri()).app_credentials(APP_ID, APP_SECRET)
    }

    /// A client pointed at the fake, with default settings (as in production: retryable
    /// failures are retried with backoff, documented rate limits kept). Use
    /// [`builder`](Self::builder) for others, e.g. `.retry(RetryPolicy::none())` to count requests.
    ///
    /// # Panics
    ///
    /// If the HTTP client cannot be built (no TLS backend), as `builder().build()` would fail.
    pub fn client(&self) -> Client {
        self.builder().build().unwrap_or_else(|e| panic!("a client of the fake Lark server: {e}"))
    }

    /// Sets what `endpoint` answers: `.reply(data)`, `.fail(code, msg)`, `.pages([..])`,
    /// `.download(bytes)`, `.throttle(reset)`; `.once()` first for a one-time answer.
    ///
    /// # Panics
    ///
    /// If the fake was not started with `endpoint`'s service.
    #[track_caller]
    pub fn on(&self, endpoint: &'static Endpoint) -> On<'_> {
        let served = self.state().endpoints.iter().any(|e| same(e, endpoint));
        assert!(
            served,
            "{} {} is not served by this fake: start it with its service's endpoints::ALL",
            endpoint.service, endpoint.name
        );
        On { fake: self, endpoint, once: false }
    }

    /// Every API request received so far, in order of arrival.
    pub fn requests(&self) -> Vec<Recorded> {
        self.state().recorded.clone()
    }

    /// The requests to `endpoint`, in order of arrival.
    pub fn requests_to(&self, endpoint: &Endpoint) -> Vec<Recorded> {
        self.state().recorded.iter().filter(|r| r.endpoint.is_some_and(|e| same(e, endpoint))).cloned().collect()
    }

    /// The requests that broke the spec so far.
    pub fn violations(&self) -> Vec<Violation> {
        self.state().violations.clone()
    }

    /// Fails the test if a request broke the spec, listing them.
    ///
    /// # Panics
    ///
    /// If there is a violation: that is the assertion.
    #[track_caller]
    pub fn assert_no_violations(&self) {
        let violations = self.violations();
        if !violations.is_empty() {
            let list: Vec<String> = violations.iter().map(|v| format!("  - {v}")).collect();
            panic!("{} request(s) broke the spec:\n{}", violations.len(), list.join("\n"));
        }
    }

    /// How many tenant tokens the fake has issued.
    pub fn tokens_issued(&self) -> usize {
        self.state().issued
    }

    /// Revokes every tenant token issued so far: the next request with one gets Lark's
    /// "invalid access token" (99991663), on which the client fetches a new one and resends.
    pub fn revoke_tokens(&self) {
        self.state().tokens.clear();
    }

    pub(crate) fn script(&self, endpoint: &'static Endpoint, f: impl FnOnce(&mut Script)) {
        f(self.state().scripts.entry((endpoint.service, endpoint.name)).or_default());
    }

    fn state(&self) -> MutexGuard<'_, State> {
        lock(&self.state)
    }
}

fn lock(state: &Mutex<State>) -> MutexGuard<'_, State> {
    // A test that panicked while holding it leaves consistent data: keep going.
    state.lock().unwrap_or_else(|poisoned| poisoned.into_inner())
}

fn same(a: &Endpoint, b: &Endpoint) -> bool {
    a.service == b.service && a.name == b.name
}

struct Responder(Arc<Mutex<State>>);

impl Respond for Responder {
    fn respond(&self, request: &Request) -> ResponseTemplate {
        let mut state = lock(&self.0);
        state.answers += 1;
        let log_id = format!("fake-log-{}", state.answers);
        let template = if request.method.as_str() == "POST" && request.url.path() == state.platform.tenant_token_path {
            state.token(request)
        } else {
            state.api(request, &log_id)
        };
        template.insert_header(state.platform.log_id_header, log_id.as_str())
    }
}

impl State {
    /// The tenant-token endpoint of self-built apps.
    fn token(&mut self, request: &Request) -> ResponseTemplate {
        let body: Value = serde_json::from_slice(&request.body).unwrap_or(Value::Null);
        let (id, secret) = (body["app_id"].as_str(), body["app_secret"].as_str());
        if id != Some(APP_ID) {
            let status = self.platform.error(10003).map_or(400, |e| e.http_status);
            return ResponseTemplate::new(status).set_body_json(json!({ "code": 10003, "msg": "invalid param" }));
        }
        if secret != Some(APP_SECRET) {
            return ResponseTemplate::new(400).set_body_json(json!({ "code": 10014, "msg": "app secret invalid" }));
        }
        self.issued += 1;
        let token = format!("t-fake-tenant-token-{}", self.issued);
        self.tokens.insert(token.clone());
        ResponseTemplate::new(200)
            .set_body_json(json!({ "code": 0, "msg": "ok", "tenant_access_token": token, "expire": 7200 }))
    }

    /// Every other request: route, check, record, answer.
    fn api(&mut self, request: &Request, log_id: &str) -> ResponseTemplate {
        let method = request.method.as_str().to_owned();
        let path = request.url.path().to_owned();
        let query: Vec<(String, String)> =
            request.url.query_pairs().map(|(k, v)| (k.into_owned(), v.into_owned())).collect();
        let header = |name: &str| request.headers.get(name).and_then(|v| v.to_str().ok());
        let auth = match header("authorization").and_then(|v| v.strip_prefix("Bearer ")) {
            None => Auth::None,
            Some(t) if self.tokens.contains(t) => Auth::Tenant,
            Some(t) if t.starts_with("u-") => Auth::User,
            Some(_) => Auth::Invalid,
        };
        let headers = request
            .headers
            .iter()
            .filter(|(k, _)| k.as_str() != "authorization")
            .map(|(k, v)| (k.as_str().to_owned(), String::from_utf8_lossy(v.as_bytes()).into_owned()))
            .collect();
        let body = record::body(header("content-type"), &request.body);
        let routed = check::route(&self.endpoints, &method, &path);
        let mut recorded = Recorded {
            endpoint: routed.as_ref().map(|(e, _)| *e),
            method,
            path,
            path_params: Vec::new(),
            query,
            headers,
            auth,
            body,
        };
        let Some((endpoint, path_params)) = routed else {
            self.violation(&recorded, "no endpoint of the spec has this method and path".into());
            self.recorded.push(recorded);
            // What Lark's gateway answers for an unknown route.
            return ResponseTemplate::new(404).set_body_raw("404 page not found", "text/plain; charset=utf-8");
        };
        recorded.path_params = path_params;
        let answer = self.answer(endpoint, &recorded, log_id);
        self.recorded.push(recorded);
        answer
    }

    fn answer(&mut self, endpoint: &'static Endpoint, r: &Recorded, log_id: &str) -> ResponseTemplate {
        let accepted = match r.auth {
            Auth::None => {
                self.violation(r, "no `Authorization: Bearer <token>` header".into());
                return answers::error(400, MISSING_TOKEN, "Missing access token for authorization", log_id, &[]);
            }
            // A revoked token: the client is expected to fetch a new one, not a spec violation.
            Auth::Invalid => false,
            Auth::Tenant => endpoint.accepts(TokenKind::Tenant),
            Auth::User => endpoint.accepts(TokenKind::User),
        };
        if !accepted {
            if r.auth != Auth::Invalid {
                self.violation(r, format!("the endpoint does not accept a {:?} token", r.auth).to_lowercase());
            }
            return answers::error(400, INVALID_TOKEN, "Invalid access token for authorization", log_id, &[]);
        }
        let problems = check::inputs(endpoint, &r.query, &r.headers, &r.body);
        if !problems.is_empty() {
            return self.invalid(r, problems, log_id);
        }
        let (next, late) = self.scripts.entry((endpoint.service, endpoint.name)).or_default().next();
        match answers::render(next, endpoint, self.platform, r, log_id) {
            Ok(template) => template.set_delay(late),
            Err(problem) => self.invalid(r, vec![("page_token".into(), problem)], log_id),
        }
    }

    /// Lark's answer to invalid inputs, each kept as a violation.
    fn invalid(&mut self, r: &Recorded, problems: Vec<(String, String)>, log_id: &str) -> ResponseTemplate {
        for (field, problem) in &problems {
            self.violation(r, format!("`{field}`: {problem}"));
        }
        let (code, msg) = FIELD_VALIDATION;
        answers::error(400, code, msg, log_id, &problems)
    }

    fn violation(&mut self, r: &Recorded, problem: String) {
        self.violations.push(Violation {
            request: format!("{} {}", r.method, r.path),
            endpoint: r.endpoint.map(|e| format!("{} {}", e.service, e.name)),
            problem,
        });
    }
}
