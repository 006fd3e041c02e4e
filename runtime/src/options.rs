//! Per-call overrides of the client's retry policy and rate-limit mode.

use crate::limit::RateLimitMode;
use crate::retry::RetryPolicy;

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
/// # }
/// ```
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct CallOptions {
    pub(crate) retry: Option<RetryPolicy>,
    pub(crate) rate_limit: Option<RateLimitMode>,
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

    /// `self` with the fields `other` sets replaced.
    pub(crate) fn merged(&self, other: CallOptions) -> Self {
        Self { retry: other.retry.or_else(|| self.retry.clone()), rate_limit: other.rate_limit.or(self.rate_limit) }
    }
}
