//! Static descriptors of endpoints, emitted by the generator from the spec.
//!
//! Generated code stays thin: everything an endpoint needs at run time is plain data
//! here, and the behaviour that reads it (auth, limits, retries, decoding) lives once
//! in this crate.

use std::fmt;

/// HTTP method of an endpoint.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
#[non_exhaustive]
pub enum Method {
    /// `GET`
    Get,
    /// `POST`
    Post,
    /// `PUT`
    Put,
    /// `PATCH`
    Patch,
    /// `DELETE`
    Delete,
}

impl Method {
    /// The method as sent on the wire.
    pub const fn as_str(self) -> &'static str {
        match self {
            Method::Get => "GET",
            Method::Post => "POST",
            Method::Put => "PUT",
            Method::Patch => "PATCH",
            Method::Delete => "DELETE",
        }
    }

    /// Whether repeating the request has the same effect as sending it once (RFC 9110).
    pub const fn is_idempotent(self) -> bool {
        !matches!(self, Method::Post | Method::Patch)
    }

    pub(crate) fn to_reqwest(self) -> reqwest::Method {
        match self {
            Method::Get => reqwest::Method::GET,
            Method::Post => reqwest::Method::POST,
            Method::Put => reqwest::Method::PUT,
            Method::Patch => reqwest::Method::PATCH,
            Method::Delete => reqwest::Method::DELETE,
        }
    }
}

impl fmt::Display for Method {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.as_str())
    }
}

/// Kind of access token an endpoint accepts.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
#[non_exhaustive]
pub enum TokenKind {
    /// `tenant_access_token`: the app acts as itself within a tenant.
    Tenant,
    /// `user_access_token`: the app acts as a signed-in user.
    User,
}

/// Kind of app allowed to call an endpoint.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
#[non_exhaustive]
pub enum AppType {
    /// Self-built (custom) apps of one tenant.
    SelfBuilt,
    /// Apps published in the app store.
    Store,
}

/// Documented request-rate limits of an endpoint. `None` means "not documented".
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, Default)]
pub struct Limits {
    /// Requests per second.
    pub per_second: Option<u32>,
    /// Requests per minute.
    pub per_minute: Option<u32>,
}

/// A scope needed only when a parameter has a given value
/// (e.g. `contact:user.employee_id:readonly` when `user_id_type=user_id`).
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub struct FieldScope {
    /// The scope key.
    pub scope: &'static str,
    /// The parameter that triggers it.
    pub param: &'static str,
    /// The parameter value that triggers it.
    pub equals: &'static str,
}

/// What the server may do when it answers with an error code, so the runtime knows how to react.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
#[non_exhaustive]
pub enum ErrorAction {
    /// Nothing special: surface the error.
    None,
    /// The cached tenant token is bad: evict it and retry once with a fresh one.
    RefreshToken,
    /// The server throttled the call: wait for the reset and retry within budget.
    RateLimited,
    /// The app credentials were refused: fail with an auth error, never retry.
    AuthFailed,
}

/// One row of an error table (a service's, an endpoint's or the platform's).
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub struct ErrorSpec {
    /// Lark error code.
    pub code: i64,
    /// Name of the variant the code maps to.
    pub name: &'static str,
    /// HTTP status the server sends with it.
    pub http_status: u16,
    /// Message as documented.
    pub message: &'static str,
    /// What to do about it.
    pub hint: &'static str,
    /// Whether retrying the same request may succeed.
    pub retryable: bool,
    /// How the runtime reacts to it.
    pub action: ErrorAction,
}

/// Shape of a request body.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
#[non_exhaustive]
pub enum BodyKind {
    /// No body.
    None,
    /// A JSON document.
    Json,
    /// `multipart/form-data`.
    Multipart,
}

/// Shape of a successful response.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
#[non_exhaustive]
pub enum ResponseKind {
    /// A JSON envelope whose `data` is decoded.
    Json,
    /// A binary stream (errors still come as JSON envelopes).
    Binary,
    /// A JSON envelope with no useful `data`.
    Empty,
}

/// Where a request input goes.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
#[non_exhaustive]
pub enum InputLocation {
    /// A `{placeholder}` of the path (always required).
    Path,
    /// A query-string parameter.
    Query,
    /// A field of a `multipart/form-data` body.
    Form,
    /// A request header (`Range`), named as the spec spells it.
    Header,
    /// A top-level field of a JSON body.
    Body,
}

/// One declared input of an endpoint (path, query or header parameter, multipart form
/// field or top-level JSON body field), with the documented constraints of a query or header parameter's value. Built with the `const` functions
/// below: `Input::query("page_size", false).range(Some(1), None)`.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
#[non_exhaustive]
pub struct Input {
    /// The name on the wire.
    pub name: &'static str,
    /// Where it goes.
    pub location: InputLocation,
    /// Whether a request must carry it.
    pub required: bool,
    /// Fewest characters.
    pub min_length: Option<u64>,
    /// Most characters.
    pub max_length: Option<u64>,
    /// Smallest number.
    pub min: Option<i64>,
    /// Largest number.
    pub max: Option<i64>,
    /// Characters the value may not contain.
    pub forbidden_chars: &'static str,
}

impl Input {
    const fn new(name: &'static str, location: InputLocation, required: bool) -> Self {
        Self { name, location, required, min_length: None, max_length: None, min: None, max: None, forbidden_chars: "" }
    }

    /// A path parameter.
    pub const fn path(name: &'static str) -> Self {
        Self::new(name, InputLocation::Path, true)
    }

    /// A query parameter.
    pub const fn query(name: &'static str, required: bool) -> Self {
        Self::new(name, InputLocation::Query, required)
    }

    /// A multipart form field.
    pub const fn form(name: &'static str, required: bool) -> Self {
        Self::new(name, InputLocation::Form, required)
    }

    /// A request header parameter (`Range`).
    pub const fn header(name: &'static str, required: bool) -> Self {
        Self::new(name, InputLocation::Header, required)
    }

    /// A top-level field of a JSON body.
    pub const fn body(name: &'static str, required: bool) -> Self {
        Self::new(name, InputLocation::Body, required)
    }

    /// Bounds of the value's length, in characters.
    pub const fn length(mut self, min: Option<u64>, max: Option<u64>) -> Self {
        self.min_length = min;
        self.max_length = max;
        self
    }

    /// Bounds of the value as a number.
    pub const fn range(mut self, min: Option<i64>, max: Option<i64>) -> Self {
        self.min = min;
        self.max = max;
        self
    }

    /// Characters the value may not contain.
    pub const fn forbidden_chars(mut self, chars: &'static str) -> Self {
        self.forbidden_chars = chars;
        self
    }
}

/// Everything the runtime and the user may want to know about one endpoint.
#[derive(Debug)]
pub struct Endpoint {
    /// Service, e.g. `baike.v1`.
    pub service: &'static str,
    /// `resource.action`, e.g. `file.download`.
    pub name: &'static str,
    /// One-line summary.
    pub summary: &'static str,
    /// Link to the official documentation.
    pub doc_url: &'static str,
    /// HTTP method.
    pub method: Method,
    /// Path template with `{param}` placeholders.
    pub path: &'static str,
    /// Accepted token kinds; the first one that applies is the default.
    pub token_kinds: &'static [TokenKind],
    /// App types allowed to call it.
    pub app_types: &'static [AppType],
    /// Any one of these scopes is enough.
    pub scopes: &'static [&'static str],
    /// Extra scopes needed for some parameter values.
    pub field_scopes: &'static [FieldScope],
    /// Documented rate limits.
    pub limits: Limits,
    /// Declared error codes (the platform codes apply on top).
    pub errors: &'static [ErrorSpec],
    /// Request body shape.
    pub request: BodyKind,
    /// Response shape.
    pub response: ResponseKind,
    /// Whether sending it twice is harmless (from the method, or declared in the spec).
    pub idempotent: bool,
    /// Whether it pages with `page_token`.
    pub paginated: bool,
    /// Its path, query and header parameters, multipart form fields and the top-level fields of
    /// its JSON body, as the spec declares them. Read by the fake server of the `testing`
    /// feature to check requests. (Plain data on purpose: a check that decoded bodies into their
    /// types would compile every body type's deserializer into every client, a fifth of the
    /// generated crate's build time, for what the client already checks before sending.)
    pub inputs: &'static [Input],
    /// JSON of an example `data` of a successful answer, built by the generator from the
    /// spec's field examples (`""` for binary answers).
    pub example: &'static str,
}

impl Endpoint {
    /// Whether a tenant token may be used.
    pub fn accepts(&self, kind: TokenKind) -> bool {
        self.token_kinds.contains(&kind)
    }

    /// The declared error row of a code, if any.
    pub fn error(&self, code: i64) -> Option<&'static ErrorSpec> {
        self.errors.iter().find(|e| e.code == code)
    }
}

/// What every endpoint of one platform (Lark/Feishu) shares.
#[derive(Debug)]
pub struct Platform {
    /// Platform name.
    pub name: &'static str,
    /// Named base URLs, e.g. `("feishu", "https://open.feishu.cn")`; the first is the default.
    pub base_urls: &'static [(&'static str, &'static str)],
    /// Path of the self-built app tenant-token endpoint.
    pub tenant_token_path: &'static str,
    /// How long before expiry a cached tenant token is refreshed.
    pub refresh_margin_secs: u64,
    /// Response header carrying the request log id.
    pub log_id_header: &'static str,
    /// Platform-wide error codes.
    pub errors: &'static [ErrorSpec],
}

impl Platform {
    /// The platform row of a code, if any.
    pub fn error(&self, code: i64) -> Option<&'static ErrorSpec> {
        self.errors.iter().find(|e| e.code == code)
    }

    /// The base URL registered under `name` (e.g. `"lark"`).
    pub fn base_url(&self, name: &str) -> Option<&'static str> {
        self.base_urls.iter().find(|(n, _)| *n == name).map(|(_, url)| *url)
    }
}
