//! Per-call overrides of the client's retry policy and rate-limit mode, and extra headers.

use reqwest::header::{HeaderMap, HeaderName, HeaderValue};

use crate::limit::RateLimitMode;
use crate::retry::RetryPolicy;
use crate::validate::Violations;

/// Headers the client writes itself: the token, and what the body or the connection decides.
/// Adding another value would send both, so they are refused.
const RESERVED_HEADERS: &[&str] = &["authorization", "content-type", "content-length", "transfer-encoding", "host"];

/// A header a call may add (declared by the spec or set in [`CallOptions`]), or the violation
/// at `field` that says why not: a name the client writes itself, an invalid name or value.
pub(crate) fn checked_header(
    field: String,
    name: &str,
    value: &str,
    out: &mut Violations,
) -> Option<(HeaderName, HeaderValue)> {
    match (HeaderName::from_bytes(name.as_bytes()), HeaderValue::from_str(value)) {
        (Ok(name), _) if RESERVED_HEADERS.contains(&name.as_str()) => {
            out.push(field, "a header the client does not write itself", "written by the client");
        }
        (Ok(name), Ok(value)) => return Some((name, value)),
        (Err(e), _) => out.push(field, "a valid header name", e.to_string()),
        (_, Err(e)) => out.push(field, "a valid header value", e.to_string()),
    }
    None
}

/// Settings that override the client's for some calls. Unset fields keep the client's.
///
/// Apply them with [`Client::with_options`](crate::Client::with_options), which returns a
/// handle sharing everything (connection pool, tokens, rate limits) with the original:
///
/// ```no_run
/// # use larkgen_runtime::{CallOptions, Client, RateLimitMode, RetryPolicy};
/// # fn demo(client: &Client) {
/// let impatient = client.with_options(
///     CallOptions::new().retry(RetryPolicy::none()).rate_limit(RateLimitMode::FailFast),
/// );
/// // Wrap `impatient` in a generated service client and send as usual.
/// let traced = client.with_options(CallOptions::new().header("X-Request-Id", "req-7f3a"));
/// # }
/// ```
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct CallOptions {
    pub(crate) retry: Option<RetryPolicy>,
    pub(crate) rate_limit: Option<RateLimitMode>,
    /// Extra headers, values marked sensitive so `Debug` never prints them.
    pub(crate) headers: HeaderMap,
    /// Headers that could not be added, reported when a call is made (before anything is sent).
    pub(crate) refused: Violations,
}

impl CallOptions {
    /// No overrides.
    pub fn new() -> Self {
        Self::default()
    }

    /// The retry policy of these calls.
    pub fn retry(mut self, policy: RetryPolicy) -> Self {
        self.retry = Some(policy);
        self
    }

    /// What these calls do when their endpoint's rate limit has no free slot.
    pub fn rate_limit(mut self, mode: RateLimitMode) -> Self {
        self.rate_limit = Some(mode);
        self
    }

    /// A header to send with these calls (e.g. a trace id). It cannot replace what the client
    /// writes itself (`Authorization`, `Content-Type`, `Content-Length`, `Transfer-Encoding`,
    /// `Host`): such a header, or an invalid name or value, fails the call before it is sent
    /// with [`Error::Validation`](crate::Error::Validation). Setting a name again replaces it.
    pub fn header(mut self, name: &str, value: &str) -> Self {
        let field = format!("options.headers.{name}");
        if let Some((name, mut value)) = checked_header(field, name, value, &mut self.refused) {
            value.set_sensitive(true);
            self.headers.insert(name, value);
        }
        self
    }

    /// `self` with the fields `other` sets replaced, and `other`'s headers added.
    pub(crate) fn merged(&self, other: CallOptions) -> Self {
        let mut headers = self.headers.clone();
        headers.extend(other.headers);
        let mut refused = self.refused.clone();
        refused.extend(other.refused);
        Self {
            retry: other.retry.or_else(|| self.retry.clone()),
            rate_limit: other.rate_limit.or(self.rate_limit),
            headers,
            refused,
        }
    }
}
