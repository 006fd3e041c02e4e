//! Errors of the runtime. One enum, `#[non_exhaustive]`, each variant a plain data type,
//! so callers can match on what happened and always get status, code, msg and log_id.

use std::fmt;
use std::time::Duration;

use bytes::Bytes;

use crate::endpoint::ErrorSpec;
use crate::validate::Violations;

/// Everything that can go wrong in a call.
#[derive(Debug)]
#[non_exhaustive]
pub enum Error {
    /// Lark answered with an error envelope (`code != 0`, or a non-200 status with JSON).
    Api(Box<ApiError>),
    /// The server answered something that is not a Lark envelope (an HTML 502, a bad JSON body…).
    UnexpectedResponse(Box<UnexpectedResponse>),
    /// Getting a tenant access token failed.
    Auth(Box<AuthError>),
    /// The request never got an answer (connection refused, reset, timeout…).
    Transport(Box<TransportError>),
    /// The request was refused before sending: a field breaks a documented constraint.
    Validation(Violations),
    /// The call was throttled (client-side limiter in fail-fast mode, or server 429s beyond the budget).
    RateLimited(Box<RateLimited>),
    /// A streamed body ended early or could not be read or written.
    Body(Box<BodyError>),
    /// The call **succeeded** (HTTP 200, code 0) but a required field of its `data` is
    /// missing or of another type than the spec says; the raw body is kept. Never retried:
    /// the server did the work. (An optional field that does not match is no error: it is
    /// decoded as `None` and reported, see [`Mismatch`](crate::Mismatch).)
    Mismatch(Box<MismatchError>),
    /// A JSON answer was larger than the client's limit
    /// ([`ClientBuilder::json_body_limit`](crate::ClientBuilder::json_body_limit)); reading
    /// stopped there. Never retried: the server may have done the work.
    TooLarge(Box<TooLarge>),
}

/// An error envelope from Lark.
#[derive(Debug, Clone)]
#[non_exhaustive]
pub struct ApiError {
    /// `service resource.action` of the call.
    pub endpoint: &'static str,
    /// HTTP status of the answer.
    pub http_status: u16,
    /// Lark error code.
    pub code: i64,
    /// Lark error message.
    pub msg: String,
    /// Request log id (`X-Tt-Logid` header or `error.log_id`); quote it to Lark support.
    pub log_id: Option<String>,
    /// Link to Lark's troubleshooter for this failure.
    pub troubleshooter: Option<String>,
    /// Scopes the app or user lacks.
    pub permission_violations: Vec<Violation>,
    /// Fields the server refused.
    pub field_violations: Vec<Violation>,
    /// The documented row of this code (endpoint table first, then platform), if declared.
    pub spec: Option<&'static ErrorSpec>,
}

/// One entry of `error.permission_violations` or `error.field_violations`.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Violation {
    /// `type` (permission) or `field` (field) of the violation.
    pub subject: String,
    /// What was wrong.
    pub description: String,
}

impl Violation {
    /// One entry of the envelope's `error`, if it is an object.
    pub(crate) fn of(entry: &serde_json::Value) -> Option<Self> {
        let text = |key: &str| entry.get(key).and_then(serde_json::Value::as_str);
        entry.as_object()?;
        Some(Violation {
            subject: text("subject").or_else(|| text("type")).or_else(|| text("field")).unwrap_or_default().to_owned(),
            description: text("description").unwrap_or_default().to_owned(),
        })
    }
}

/// An answer that is not a Lark envelope.
#[derive(Clone)]
#[non_exhaustive]
pub struct UnexpectedResponse {
    /// `service resource.action` of the call.
    pub endpoint: &'static str,
    /// HTTP status of the answer.
    pub http_status: u16,
    /// `Content-Type` of the answer.
    pub content_type: Option<String>,
    /// Why it could not be used.
    pub reason: String,
    /// The first bytes of the body (bounded), lossily decoded.
    pub body_snippet: String,
    /// Request log id, if the gateway sent one.
    pub log_id: Option<String>,
    /// What kind of answer it was.
    pub kind: UnexpectedKind,
    /// The body as read: whole for JSON (up to the limits), at most 512 bytes of anything else.
    pub body: Bytes,
}

/// Why an answer is not a Lark envelope.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
#[non_exhaustive]
pub enum UnexpectedKind {
    /// The body is not JSON (`Content-Type`), e.g. a gateway's HTML page.
    NotJson,
    /// The body announces JSON but does not parse (or was cut at the error-body limit).
    InvalidJson,
    /// Valid JSON, but not an envelope: only a JSON object with a numeric `code` is one (an
    /// array shaped like an envelope is not).
    NotAnEnvelope,
    /// A JSON envelope with code 0 where the endpoint returns a file.
    NotAFile,
    /// Auto-paging: the server handed back a `page_token` it had already given.
    RepeatedPageToken,
}

// Written out so that a big body is never printed whole.
impl fmt::Debug for UnexpectedResponse {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("UnexpectedResponse")
            .field("endpoint", &self.endpoint)
            .field("http_status", &self.http_status)
            .field("content_type", &self.content_type)
            .field("kind", &self.kind)
            .field("reason", &self.reason)
            .field("body_snippet", &self.body_snippet)
            .field("body_len", &self.body.len())
            .field("log_id", &self.log_id)
            .finish()
    }
}

/// A successful answer whose `data` lacks a required field or holds one of another type.
#[derive(Clone)]
#[non_exhaustive]
pub struct MismatchError {
    /// `service resource.action` of the call.
    pub endpoint: &'static str,
    /// HTTP status of the answer (200: the call succeeded).
    pub http_status: u16,
    /// Request log id, if any.
    pub log_id: Option<String>,
    /// Where in `data` the answer breaks the spec: `entity.main_keys[0].key`.
    pub path: String,
    /// What the spec declares there, in serde's words (`a string`, `a sequence`).
    pub expected: String,
    /// What the answer holds there (`integer `7``, or `nothing: the field is absent`).
    pub found: String,
    /// The whole body as received: what the server answered is never lost.
    pub body: Bytes,
}

impl MismatchError {
    /// The raw `data` of the answer, as JSON.
    pub fn data(&self) -> Option<serde_json::Value> {
        let mut envelope: serde_json::Value = serde_json::from_slice(&self.body).ok()?;
        Some(envelope.get_mut("data")?.take())
    }
}

// Written out so that a big body is never printed whole.
impl fmt::Debug for MismatchError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("MismatchError")
            .field("endpoint", &self.endpoint)
            .field("http_status", &self.http_status)
            .field("log_id", &self.log_id)
            .field("path", &self.path)
            .field("expected", &self.expected)
            .field("found", &self.found)
            .field("body_len", &self.body.len())
            .finish()
    }
}

/// A JSON answer larger than the client accepts.
#[derive(Debug, Clone)]
#[non_exhaustive]
pub struct TooLarge {
    /// `service resource.action` of the call.
    pub endpoint: &'static str,
    /// HTTP status of the answer.
    pub http_status: u16,
    /// Request log id, if the server sent one in the headers.
    pub log_id: Option<String>,
    /// The limit, in bytes.
    pub limit: u64,
    /// The `Content-Length` the server announced, if any.
    pub content_length: Option<u64>,
}

/// Getting a tenant access token failed.
#[derive(Debug)]
#[non_exhaustive]
pub struct AuthError {
    /// HTTP status of the token endpoint, if it answered.
    pub http_status: Option<u16>,
    /// Lark error code, if the token endpoint answered with one.
    pub code: Option<i64>,
    /// What went wrong.
    pub msg: String,
    /// Request log id, if any.
    pub log_id: Option<String>,
    /// The underlying transport error, if the token endpoint could not be reached.
    pub source: Option<reqwest::Error>,
}

/// A transport failure.
#[derive(Debug)]
#[non_exhaustive]
pub struct TransportError {
    /// `service resource.action` of the call.
    pub endpoint: &'static str,
    /// Whether the request certainly never reached the server (connect failure).
    pub not_sent: bool,
    /// Whether it was a timeout.
    pub timeout: bool,
    /// The underlying error.
    pub source: reqwest::Error,
}

/// A call that could not get a rate-limit slot.
#[derive(Debug, Clone)]
#[non_exhaustive]
pub struct RateLimited {
    /// `service resource.action` of the call.
    pub endpoint: &'static str,
    /// How long until a slot is expected to be free.
    pub retry_after: Option<Duration>,
    /// The last server answer, when the server throttled us.
    pub last: Option<ApiError>,
}

/// A body that could not be streamed completely.
#[derive(Debug)]
#[non_exhaustive]
pub struct BodyError {
    /// `service resource.action` of the call.
    pub endpoint: &'static str,
    /// HTTP status of the answer.
    pub http_status: u16,
    /// Bytes announced by `Content-Length`, if any.
    pub expected: Option<u64>,
    /// Bytes received before the failure.
    pub received: u64,
    /// Request log id, if any.
    pub log_id: Option<String>,
    /// What went wrong.
    pub reason: String,
    /// Whether the body stalled: no byte came within the read timeout.
    pub timeout: bool,
    /// The underlying I/O or transport error.
    pub source: Option<Box<dyn std::error::Error + Send + Sync>>,
}

/// What every larkgen error can tell, whatever its kind. Per-endpoint error enums
/// dereference to it, so `err.code()` and `err.log_id()` work on all of them.
pub trait ErrorMeta: std::error::Error + Send + Sync + 'static {
    /// Lark error code, when the server sent one.
    fn code(&self) -> Option<i64>;
    /// Lark error message, when the server sent one.
    fn msg(&self) -> Option<&str>;
    /// Request log id, when known.
    fn log_id(&self) -> Option<&str>;
    /// HTTP status, when the server answered.
    fn http_status(&self) -> Option<u16>;
    /// Whether sending the same request again may succeed.
    fn is_retryable(&self) -> bool;
}

impl ErrorMeta for ApiError {
    fn code(&self) -> Option<i64> {
        Some(self.code)
    }
    fn msg(&self) -> Option<&str> {
        Some(&self.msg)
    }
    fn log_id(&self) -> Option<&str> {
        self.log_id.as_deref()
    }
    fn http_status(&self) -> Option<u16> {
        Some(self.http_status)
    }
    fn is_retryable(&self) -> bool {
        match self.spec {
            Some(spec) => spec.retryable,
            None => self.http_status >= 500 || self.http_status == 429,
        }
    }
}

impl ErrorMeta for Error {
    fn code(&self) -> Option<i64> {
        match self {
            Error::Api(e) => Some(e.code),
            Error::Auth(e) => e.code,
            Error::RateLimited(e) => e.last.as_ref().map(|l| l.code),
            _ => None,
        }
    }
    fn msg(&self) -> Option<&str> {
        match self {
            Error::Api(e) => Some(&e.msg),
            Error::Auth(e) => Some(&e.msg),
            Error::RateLimited(e) => e.last.as_ref().map(|l| l.msg.as_str()),
            _ => None,
        }
    }
    fn log_id(&self) -> Option<&str> {
        match self {
            Error::Api(e) => e.log_id.as_deref(),
            Error::UnexpectedResponse(e) => e.log_id.as_deref(),
            Error::Auth(e) => e.log_id.as_deref(),
            Error::RateLimited(e) => e.last.as_ref().and_then(|l| l.log_id.as_deref()),
            Error::Body(e) => e.log_id.as_deref(),
            Error::Mismatch(e) => e.log_id.as_deref(),
            Error::TooLarge(e) => e.log_id.as_deref(),
            _ => None,
        }
    }
    fn http_status(&self) -> Option<u16> {
        match self {
            Error::Api(e) => Some(e.http_status),
            Error::UnexpectedResponse(e) => Some(e.http_status),
            Error::Auth(e) => e.http_status,
            Error::Body(e) => Some(e.http_status),
            Error::Mismatch(e) => Some(e.http_status),
            Error::TooLarge(e) => Some(e.http_status),
            Error::RateLimited(e) => e.last.as_ref().map(|l| l.http_status),
            _ => None,
        }
    }
    fn is_retryable(&self) -> bool {
        match self {
            Error::Api(e) => e.is_retryable(),
            Error::UnexpectedResponse(e) => e.http_status >= 500 || e.http_status == 429,
            Error::Transport(_) | Error::RateLimited(_) | Error::Body(_) => true,
            Error::Auth(e) => e.source.is_some(),
            // The server did the work; asking again would do it twice (or answer the same).
            Error::Validation(_) | Error::Mismatch(_) | Error::TooLarge(_) => false,
        }
    }
}

fn write_log_id(f: &mut fmt::Formatter<'_>, log_id: Option<&str>) -> fmt::Result {
    match log_id {
        Some(id) => write!(f, ", log_id {id}"),
        None => Ok(()),
    }
}

impl fmt::Display for ApiError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{} failed: code {} \"{}\" (HTTP {}", self.endpoint, self.code, self.msg, self.http_status)?;
        write_log_id(f, self.log_id.as_deref())?;
        f.write_str(")")?;
        if let Some(spec) = self.spec {
            write!(f, "; hint: {}", spec.hint)?;
        }
        for v in &self.permission_violations {
            write!(f, "; missing permission {}: {}", v.subject, v.description)?;
        }
        for v in &self.field_violations {
            write!(f, "; field {}: {}", v.subject, v.description)?;
        }
        if let Some(url) = &self.troubleshooter {
            write!(f, "; troubleshooter: {url}")?;
        }
        Ok(())
    }
}

impl fmt::Display for Error {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Error::Api(e) => e.fmt(f),
            Error::UnexpectedResponse(e) => {
                write!(f, "{}: unexpected response (HTTP {}", e.endpoint, e.http_status)?;
                if let Some(ct) = &e.content_type {
                    write!(f, ", {ct}")?;
                }
                write_log_id(f, e.log_id.as_deref())?;
                write!(f, "): {}; body starts with {:?}", e.reason, e.body_snippet)
            }
            Error::Auth(e) => {
                f.write_str("getting a tenant access token failed: ")?;
                if let Some(code) = e.code {
                    write!(f, "code {code} ")?;
                }
                write!(f, "\"{}\"", e.msg)?;
                if let Some(status) = e.http_status {
                    write!(f, " (HTTP {status}")?;
                    write_log_id(f, e.log_id.as_deref())?;
                    f.write_str(")")?;
                }
                Ok(())
            }
            Error::Transport(e) => {
                let what = if e.timeout {
                    "timed out"
                } else if e.not_sent {
                    "could not connect"
                } else {
                    "transport error"
                };
                write!(f, "{}: {what}: {}", e.endpoint, e.source)
            }
            Error::Validation(v) => write!(f, "request refused before sending: {v}"),
            Error::RateLimited(e) => {
                write!(f, "{}: rate limited", e.endpoint)?;
                if let Some(after) = e.retry_after {
                    write!(f, ", retry after {} ms", after.as_millis())?;
                }
                if let Some(last) = &e.last {
                    write!(f, "; last answer: {last}")?;
                }
                Ok(())
            }
            Error::Mismatch(e) => {
                write!(f, "{} succeeded (HTTP {}", e.endpoint, e.http_status)?;
                write_log_id(f, e.log_id.as_deref())?;
                write!(
                    f,
                    ") but its answer does not match the spec: `{}`: expected {}, found {}; the raw body ({} bytes) is in the error",
                    e.path,
                    e.expected,
                    e.found,
                    e.body.len()
                )
            }
            Error::TooLarge(e) => {
                write!(f, "{}: the answer (HTTP {}", e.endpoint, e.http_status)?;
                write_log_id(f, e.log_id.as_deref())?;
                write!(f, ") is larger than the limit of {} bytes", e.limit)?;
                if let Some(n) = e.content_length {
                    write!(f, " (Content-Length {n})")?;
                }
                f.write_str("; reading stopped there, and the server may have done the work")
            }
            Error::Body(e) => {
                let what = if e.timeout { "body timed out" } else { "body incomplete" };
                write!(f, "{}: {what}: {} (received {} bytes", e.endpoint, e.reason, e.received)?;
                if let Some(n) = e.expected {
                    write!(f, " of {n}")?;
                }
                write!(f, ", HTTP {}", e.http_status)?;
                write_log_id(f, e.log_id.as_deref())?;
                f.write_str(")")
            }
        }
    }
}

impl std::error::Error for ApiError {}

impl std::error::Error for Error {
    fn source(&self) -> Option<&(dyn std::error::Error + 'static)> {
        match self {
            Error::Auth(e) => e.source.as_ref().map(|s| s as _),
            Error::Transport(e) => Some(&e.source),
            Error::Body(e) => e.source.as_ref().map(|s| &**s as _),
            _ => None,
        }
    }
}

impl From<Violations> for Error {
    fn from(v: Violations) -> Self {
        Error::Validation(v)
    }
}

impl Error {
    /// The API error, when Lark answered with an error envelope.
    pub fn as_api(&self) -> Option<&ApiError> {
        match self {
            Error::Api(e) => Some(e),
            _ => None,
        }
    }

    pub(crate) fn transport(endpoint: &'static str, source: reqwest::Error) -> Self {
        Error::Transport(Box::new(TransportError {
            endpoint,
            not_sent: source.is_connect(),
            timeout: source.is_timeout(),
            source,
        }))
    }
}
