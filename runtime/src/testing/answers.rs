//! What the fake answers an endpoint with, and how a test sets it: `lark.on(&ENDPOINT)`
//! then `.reply(..)`, `.reply_with(|request| ..)`, `.fail(..)`, `.pages(..)`, `.download(..)`,
//! `.throttle(..)` or `.delay(..)`.
//!
//! Each endpoint has a standing answer (at first the spec's example) and a queue of one-time
//! answers (`.once()`, and every `.throttle`), used first, in order.

use std::collections::VecDeque;
use std::fmt;
use std::sync::Arc;
use std::time::Duration;

use bytes::Bytes;
use serde::Serialize;
use serde_json::{Value, json};
use wiremock::ResponseTemplate;

use super::FakeLark;
use super::record::Recorded;
use crate::endpoint::{Endpoint, Platform};

/// Lark's "too many requests" code, with HTTP 429 and `x-ogw-ratelimit-reset`.
const RATE_LIMITED: i64 = 99991400;
const RESET_HEADER: &str = "x-ogw-ratelimit-reset";
const JSON: &str = "application/json; charset=utf-8";

#[derive(Clone, Debug)]
pub(crate) enum Answer {
    /// The example `data` of the descriptor (a few bytes for binary endpoints).
    Example,
    Data(Value),
    Fail {
        status: u16,
        code: i64,
        msg: String,
    },
    Pages(Vec<Value>),
    Download(Bytes),
    Throttle(Duration),
    With(Handler),
}

/// A test's function from a request to its answer: `data`, or a Lark error `(code, msg)`.
type HandlerFn = dyn Fn(&Recorded) -> Result<Value, (i64, String)> + Send + Sync;

#[derive(Clone)]
pub(crate) struct Handler(Arc<HandlerFn>);

impl fmt::Debug for Handler {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("Handler(..)")
    }
}

/// The answers of one endpoint.
#[derive(Debug)]
pub(crate) struct Script {
    standing: Answer,
    /// One-time answers: an answer (`None`: the standing one, at that time) and how long to
    /// hold it back.
    once: VecDeque<(Option<Answer>, Duration)>,
}

impl Default for Script {
    fn default() -> Self {
        Self { standing: Answer::Example, once: VecDeque::new() }
    }
}

impl Script {
    fn set(&mut self, answer: Answer, once: bool) {
        if once { self.once.push_back((Some(answer), Duration::ZERO)) } else { self.standing = answer }
    }

    /// The answer to the next request, and how long to hold it back.
    pub(crate) fn next(&mut self) -> (Answer, Duration) {
        let (answer, late) = self.once.pop_front().unwrap_or((None, Duration::ZERO));
        (answer.unwrap_or_else(|| self.standing.clone()), late)
    }
}

/// Sets the answers of one endpoint; made by [`FakeLark::on`].
#[must_use = "an answer is set by calling `.reply(..)`, `.fail(..)`, `.pages(..)`, `.download(..)` or `.throttle(..)`"]
pub struct On<'a> {
    pub(crate) fake: &'a FakeLark,
    pub(crate) endpoint: &'static Endpoint,
    pub(crate) once: bool,
}

impl On<'_> {
    /// The next answer set is used for one request only, after the one-time answers already
    /// queued; then the standing answer applies again.
    pub fn once(mut self) -> Self {
        self.once = true;
        self
    }

    /// Answers with this `data` in a success envelope (`code: 0`): a `json!` value or a
    /// generated type (`EntityData { .. }`).
    ///
    /// # Panics
    ///
    /// If `data` cannot be serialized (a test mistake).
    pub fn reply(self, data: impl Serialize) {
        let data = to_json(data);
        self.set(Answer::Data(data));
    }

    /// Answers each request with what `f` makes of it: `Ok(data)` in a success envelope, or
    /// `Err((code, msg))` as [`fail`](Self::fail) does. For answers that depend on the request:
    /// `|r| match r.path_param("entity_id") { Some("enterprise_1") => Ok(..), _ => Err(..) }`.
    ///
    /// # Panics
    ///
    /// When a request arrives, if `f`'s data cannot be serialized (a test mistake).
    pub fn reply_with<T, F>(self, f: F)
    where
        T: Serialize,
        F: Fn(&Recorded) -> Result<T, (i64, String)> + Send + Sync + 'static,
    {
        self.set(Answer::With(Handler(Arc::new(move |r: &Recorded| f(r).map(to_json)))));
    }

    /// Answers with the spec's example `data` again (the initial answer).
    pub fn example(self) {
        self.set(Answer::Example);
    }

    /// Answers with a Lark error: `code` and `msg` in the envelope, with the HTTP status the
    /// spec documents for `code` (the endpoint's errors, then the platform's; 400 for codes the
    /// spec does not list). The client returns it as the endpoint's typed error.
    pub fn fail(self, code: i64, msg: impl Into<String>) {
        let status = documented_status(self.endpoint, self.fake.platform(), code);
        self.fail_with_status(status, code, msg);
    }

    /// Answers with a Lark error and this HTTP status.
    pub fn fail_with_status(self, status: u16, code: i64, msg: impl Into<String>) {
        self.set(Answer::Fail { status, code, msg: msg.into() });
    }

    /// Answers page after page, as the endpoint's `page_token` pagination does: the first
    /// request (no `page_token`) gets the first page with a `page_token` for the second and
    /// `has_more: true`, and so on; the last page has no `page_token` and `has_more: false`.
    /// Each page is the `data` without those two fields (e.g. `json!({"items": [..]})`).
    /// A `page_token` the fake did not hand out gets a validation error and is a violation.
    ///
    /// # Panics
    ///
    /// If a page cannot be serialized, or there is no page.
    pub fn pages<P: Serialize>(self, pages: impl IntoIterator<Item = P>) {
        let pages: Vec<Value> = pages.into_iter().map(to_json).collect();
        assert!(!pages.is_empty(), "`pages` of {} needs at least one page", self.endpoint.name);
        self.set(Answer::Pages(pages));
    }

    /// Answers with a file: these bytes, `application/octet-stream`.
    pub fn download(self, bytes: impl Into<Bytes>) {
        self.set(Answer::Download(bytes.into()));
    }

    /// Answers the next request as Lark's gateway does when the app is over its limit:
    /// HTTP 429, code 99991400 and `x-ogw-ratelimit-reset` (whole seconds as Lark sends them;
    /// fractions too, which the client honours, to keep tests fast). Always one-time: the
    /// request after it gets the usual answer. The client waits the reset and retries.
    pub fn throttle(mut self, reset: Duration) {
        self.once = true;
        self.set(Answer::Throttle(reset));
    }

    /// Answers the next request late: the standing answer after `by`. Always one-time. For
    /// tests of timeouts: with `lark.builder().timeout(Some(..))` shorter than `by`, the call
    /// times out (and an idempotent one is retried and gets the answer on time).
    pub fn delay(self, by: Duration) {
        self.fake.script(self.endpoint, |script| script.once.push_back((None, by)));
    }

    fn set(self, answer: Answer) {
        let once = self.once;
        self.fake.script(self.endpoint, |script| script.set(answer, once));
    }
}

/// The HTTP status the spec documents for `code` (the endpoint's errors, then the platform's),
/// 400 for codes it does not list.
fn documented_status(endpoint: &Endpoint, platform: &Platform, code: i64) -> u16 {
    endpoint.error(code).or_else(|| platform.error(code)).map_or(400, |e| e.http_status)
}

fn to_json(value: impl Serialize) -> Value {
    serde_json::to_value(value).unwrap_or_else(|e| panic!("the answer set on the fake is not JSON: {e}"))
}

/// The page token that asks for page `n` (1-based; the first page has none).
fn page_token(n: usize) -> String {
    format!("fake-page-{n}")
}

/// Renders the answer to `request`. `Err` is a problem with the request (an unknown page
/// token), which the server reports as a violation.
pub(crate) fn render(
    answer: Answer,
    endpoint: &Endpoint,
    platform: &Platform,
    request: &Recorded,
    log_id: &str,
) -> Result<ResponseTemplate, String> {
    let template = match answer {
        Answer::Example if endpoint.example.is_empty() => {
            file(Bytes::from(format!("example file of {} {}", endpoint.service, endpoint.name)))
        }
        // The example is JSON written by the generator: spliced in as it is.
        Answer::Example => ResponseTemplate::new(200)
            .set_body_raw(format!(r#"{{"code":0,"msg":"success","data":{}}}"#, endpoint.example), JSON),
        Answer::Data(data) => success(data),
        Answer::Fail { status, code, msg } => error(status, code, &msg, log_id, &[]),
        Answer::Download(bytes) => file(bytes),
        Answer::Throttle(reset) => {
            let msg = platform.error(RATE_LIMITED).map_or("request trigger frequency limit", |e| e.message);
            let reset =
                if reset.subsec_nanos() == 0 { reset.as_secs().to_string() } else { reset.as_secs_f64().to_string() };
            error(429, RATE_LIMITED, msg, log_id, &[]).insert_header(RESET_HEADER, reset)
        }
        Answer::With(Handler(f)) => match f(request) {
            Ok(data) => success(data),
            Err((code, msg)) => error(documented_status(endpoint, platform, code), code, &msg, log_id, &[]),
        },
        Answer::Pages(pages) => {
            let n = match request.query("page_token").filter(|t| !t.is_empty()) {
                None => 1,
                Some(t) => t
                    .strip_prefix("fake-page-")
                    .and_then(|n| n.parse::<usize>().ok())
                    .filter(|n| (2..=pages.len()).contains(n))
                    .ok_or_else(|| format!("page_token {t:?} was not handed out by this server"))?,
            };
            let mut data = pages[n - 1].clone();
            if let Value::Object(fields) = &mut data {
                let more = n < pages.len();
                fields.insert("has_more".into(), Value::Bool(more));
                if more {
                    fields.insert("page_token".into(), Value::String(page_token(n + 1)));
                }
            }
            success(data)
        }
    };
    Ok(template)
}

fn success(data: Value) -> ResponseTemplate {
    ResponseTemplate::new(200).set_body_json(json!({ "code": 0, "msg": "success", "data": data }))
}

fn file(bytes: Bytes) -> ResponseTemplate {
    ResponseTemplate::new(200).set_body_raw(bytes.to_vec(), "application/octet-stream")
}

/// A Lark error envelope, with `field_violations` as `(field, description)`.
pub(crate) fn error(status: u16, code: i64, msg: &str, log_id: &str, fields: &[(String, String)]) -> ResponseTemplate {
    let violations: Vec<Value> = fields.iter().map(|(f, d)| json!({ "field": f, "description": d })).collect();
    let mut detail = json!({ "log_id": log_id });
    if !violations.is_empty() {
        detail["field_violations"] = Value::Array(violations);
    }
    ResponseTemplate::new(status).set_body_json(json!({ "code": code, "msg": msg, "error": detail }))
}
