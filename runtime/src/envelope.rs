//! Decoding of Lark's `{code, msg, data, error}` envelope.
//!
//! Success is HTTP 200 **and** `code == 0`. A JSON body is decoded whatever the status,
//! because Lark sends business errors with 4xx/5xx statuses and an envelope. Anything
//! else becomes [`Error::UnexpectedResponse`] with a bounded snippet of the body.

use serde::Deserialize;
use serde::de::{DeserializeOwned, IgnoredAny};

use crate::endpoint::{Endpoint, Platform};
use crate::error::{ApiError, Error, UnexpectedResponse, Violation};
use crate::http::{header_str, is_json, read_limited, snippet};

/// Largest body read for an answer that is an error anyway.
const ERROR_BODY_LIMIT: usize = 1024 * 1024;
/// Largest snippet of a body quoted in an error.
const SNIPPET_LIMIT: usize = 512;

#[derive(Deserialize)]
struct Envelope<T> {
    code: i64,
    #[serde(default)]
    msg: String,
    #[serde(default = "Option::default")]
    data: Option<T>,
    #[serde(default)]
    error: Option<ErrorDetail>,
}

#[derive(Deserialize, Default)]
struct ErrorDetail {
    #[serde(default)]
    log_id: Option<String>,
    #[serde(default)]
    troubleshooter: Option<String>,
    #[serde(default)]
    permission_violations: Vec<Violation>,
    #[serde(default)]
    field_violations: Vec<Violation>,
}

/// What is known of an answer before its body is read.
pub(crate) struct Head {
    pub(crate) status: u16,
    pub(crate) content_type: Option<String>,
    pub(crate) log_id: Option<String>,
}

impl Head {
    pub(crate) fn of(response: &reqwest::Response, platform: &Platform) -> Self {
        let headers = response.headers();
        Head {
            status: response.status().as_u16(),
            content_type: header_str(headers, "content-type"),
            log_id: header_str(headers, platform.log_id_header).or_else(|| header_str(headers, "x-request-id")),
        }
    }
}

/// Reads and decodes a JSON answer into the endpoint's `data` type.
pub(crate) async fn decode<T: DeserializeOwned>(
    endpoint: &'static Endpoint,
    platform: &'static Platform,
    response: reqwest::Response,
) -> Result<T, Error> {
    let head = Head::of(&response, platform);
    if !is_json(head.content_type.as_deref()) {
        return Err(unexpected_body(endpoint, head, response, "the body is not JSON").await);
    }
    let limit = if head.status == 200 { usize::MAX } else { ERROR_BODY_LIMIT };
    let (bytes, _) = read_limited(response, limit).await.map_err(|e| Error::transport(endpoint.name, e))?;
    match serde_json::from_slice::<Envelope<T>>(&bytes) {
        Ok(env) if head.status == 200 && env.code == 0 => match env.data {
            Some(data) => Ok(data),
            // `data` may be absent when there is nothing to return: decode it from `{}`.
            None => {
                serde_json::from_str("{}").map_err(|e| unexpected(endpoint, head, &bytes, format!("no `data`: {e}")))
            }
        },
        Ok(env) => Err(api_error(endpoint, platform, head, env.code, env.msg, env.error)),
        Err(typed) => match serde_json::from_slice::<Envelope<IgnoredAny>>(&bytes) {
            Ok(env) if head.status != 200 || env.code != 0 => {
                Err(api_error(endpoint, platform, head, env.code, env.msg, env.error))
            }
            Ok(_) => Err(unexpected(endpoint, head, &bytes, format!("`data` does not match the spec: {typed}"))),
            Err(e) => Err(unexpected(endpoint, head, &bytes, format!("invalid JSON envelope: {e}"))),
        },
    }
}

/// Turns a non-success answer of a binary endpoint into the error it carries.
pub(crate) async fn decode_failure(
    endpoint: &'static Endpoint,
    platform: &'static Platform,
    response: reqwest::Response,
) -> Error {
    let status = response.status().as_u16();
    match decode::<IgnoredAny>(endpoint, platform, response).await {
        Err(e) => e,
        // A 200 JSON envelope with code 0 where a file was expected.
        Ok(_) => Error::UnexpectedResponse(Box::new(UnexpectedResponse {
            endpoint: endpoint.name,
            http_status: status,
            content_type: Some("application/json".into()),
            reason: "expected a file, got a JSON envelope with code 0".into(),
            body_snippet: String::new(),
            log_id: None,
        })),
    }
}

fn api_error(
    endpoint: &'static Endpoint,
    platform: &'static Platform,
    head: Head,
    code: i64,
    msg: String,
    error: Option<ErrorDetail>,
) -> Error {
    let detail = error.unwrap_or_default();
    Error::Api(Box::new(ApiError {
        endpoint: endpoint.name,
        http_status: head.status,
        code,
        msg,
        log_id: head.log_id.or(detail.log_id),
        troubleshooter: detail.troubleshooter,
        permission_violations: detail.permission_violations,
        field_violations: detail.field_violations,
        spec: endpoint.error(code).or_else(|| platform.error(code)),
    }))
}

async fn unexpected_body(endpoint: &'static Endpoint, head: Head, response: reqwest::Response, reason: &str) -> Error {
    // Only a snippet is kept: never buffer a huge HTML page.
    let bytes = read_limited(response, SNIPPET_LIMIT).await.map(|(b, _)| b).unwrap_or_default();
    unexpected(endpoint, head, &bytes, reason.to_owned())
}

fn unexpected(endpoint: &'static Endpoint, head: Head, bytes: &[u8], reason: String) -> Error {
    Error::UnexpectedResponse(Box::new(UnexpectedResponse {
        endpoint: endpoint.name,
        http_status: head.status,
        content_type: head.content_type,
        reason,
        body_snippet: snippet(bytes, SNIPPET_LIMIT),
        log_id: head.log_id,
    }))
}
