//! Decoding of Lark's `{code, msg, data, error}` envelope.
//!
//! Success is HTTP 200 **and** `code == 0`. A JSON body is decoded whatever the status,
//! because Lark sends business errors with 4xx/5xx statuses and an envelope; only a JSON
//! object is an envelope. Anything else becomes [`Error::UnexpectedResponse`] with a bounded
//! snippet of the body. A success whose `data` does not match the spec is decoded again,
//! tolerantly ([`decode`](crate::decode)): a call that succeeded never looks failed because
//! of an optional field.

use std::any::Any;
use std::fmt;
use std::marker::PhantomData;

use bytes::Bytes;
use serde::Deserialize;
use serde::de::{self, Deserializer, IgnoredAny, MapAccess, Visitor};
use serde_json::Value;

use crate::decode::{self, DecodeBoxed, Tree};
use crate::endpoint::{Endpoint, Platform};
use crate::error::{ApiError, Error, MismatchError, TooLarge, UnexpectedKind, UnexpectedResponse, Violation};
use crate::http::{header_str, is_json, read_limited, snippet};
use crate::json::Key;
use crate::mismatch;

/// Largest body a client reads of a successful JSON answer unless told otherwise
/// ([`ClientBuilder::json_body_limit`](crate::ClientBuilder::json_body_limit)).
pub(crate) const DEFAULT_BODY_LIMIT: usize = 64 * 1024 * 1024;
/// Largest body read for an answer that is an error anyway.
const ERROR_BODY_LIMIT: usize = 1024 * 1024;
/// Largest snippet of a body quoted in an error.
const SNIPPET_LIMIT: usize = 512;

/// `{code, msg, data, error}`. Decoded by hand below, like every type of the runtime: no
/// serde_derive (and no syn behind it) in an app's dependency tree.
struct Envelope<T> {
    code: i64,
    msg: String,
    data: Option<T>,
    error: Option<ErrorDetail>,
}

impl<'de, T: Deserialize<'de>> Deserialize<'de> for Envelope<T> {
    fn deserialize<D: Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        struct EnvelopeVisitor<T>(PhantomData<T>);
        impl<'de, T: Deserialize<'de>> Visitor<'de> for EnvelopeVisitor<T> {
            type Value = Envelope<T>;
            fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
                f.write_str("a Lark envelope")
            }
            fn visit_map<A: MapAccess<'de>>(self, mut map: A) -> Result<Envelope<T>, A::Error> {
                let (mut code, mut msg, mut data, mut error) = (None, None, None, None);
                while let Some(key) = map.next_key::<Key<'de>>()? {
                    match key.as_str() {
                        "code" => code = Some(map.next_value::<i64>()?),
                        "msg" => msg = map.next_value::<Option<String>>()?,
                        "data" => data = map.next_value::<Option<T>>()?,
                        // Read leniently: a detail of an odd shape must not hide the code.
                        "error" => error = map.next_value::<Option<Value>>()?.as_ref().map(ErrorDetail::of),
                        _ => {
                            map.next_value::<IgnoredAny>()?;
                        }
                    }
                }
                let code = code.ok_or_else(|| de::Error::missing_field("code"))?;
                Ok(Envelope { code, msg: msg.unwrap_or_default(), data, error })
            }
        }
        d.deserialize_map(EnvelopeVisitor(PhantomData))
    }
}

#[derive(Default, Debug)]
struct ErrorDetail {
    log_id: Option<String>,
    troubleshooter: Option<String>,
    permission_violations: Vec<Violation>,
    field_violations: Vec<Violation>,
}

impl ErrorDetail {
    /// The envelope's `error` object; members of another shape are left out.
    fn of(error: &Value) -> Self {
        let text = |key: &str| error.get(key).and_then(Value::as_str).map(str::to_owned);
        let violations = |key: &str| match error.get(key) {
            Some(Value::Array(items)) => items.iter().filter_map(Violation::of).collect(),
            _ => Vec::new(),
        };
        ErrorDetail {
            log_id: text("log_id"),
            troubleshooter: text("troubleshooter"),
            permission_violations: violations("permission_violations"),
            field_violations: violations("field_violations"),
        }
    }
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

/// Reads a JSON answer and decodes its `data` with `data_type` (the endpoint's type, boxed).
/// A successful body is read up to `limit` bytes, an error body up to [`ERROR_BODY_LIMIT`]
/// (or `limit`, if smaller).
pub(crate) async fn decode(
    endpoint: &'static Endpoint,
    platform: &'static Platform,
    response: reqwest::Response,
    limit: usize,
    data_type: DecodeBoxed,
) -> Result<Box<dyn Any + Send>, Error> {
    let head = Head::of(&response, platform);
    if !is_json(head.content_type.as_deref()) {
        return Err(unexpected_body(endpoint, head, response, "the body is not JSON").await);
    }
    let success = head.status == 200;
    let limit = if success { limit } else { limit.min(ERROR_BODY_LIMIT) };
    // A body announced too large is not read at all; one that grows past the limit is read
    // no further. Either way dropping the response closes the connection.
    let announced = response.content_length();
    if success && announced.is_some_and(|n| n > limit as u64) {
        return Err(too_large(endpoint, head, limit, announced));
    }
    let (bytes, cut) = read_limited(response, limit).await.map_err(|e| Error::transport(endpoint.name, e))?;
    if success && cut {
        return Err(too_large(endpoint, head, limit, announced));
    }
    // serde would take an array `[0, "ok", {…}]` for the struct below: only an object is an envelope.
    if !is_object(&bytes) {
        return Err(not_an_envelope(endpoint, head, bytes, "the body is not a JSON object".into()));
    }
    let env = match serde_json::from_slice::<Envelope<Tree<'_>>>(&bytes) {
        Ok(env) => env,
        Err(e) => return Err(not_an_envelope(endpoint, head, bytes, e.to_string())),
    };
    if !success || env.code != 0 {
        return Err(api_error(endpoint, platform, head, env.code, env.msg, env.error));
    }
    // `data` may be absent when there is nothing to return: decoded from `{}`.
    let data = env.data.unwrap_or(Tree::Object(Vec::new()));
    // The strict decoding: what every answer that matches the spec takes. It moves the parsed
    // values into `T`, so the tolerant pass, for an answer that does not match, parses again.
    match decode::strict_boxed(data, data_type) {
        Ok(data) => Ok(data),
        Err(_) => tolerant_data(endpoint, head, bytes, data_type),
    }
}

/// The `data` of a successful answer that the strict decoding refused: optional fields that
/// do not match become `None` and are reported; a required one fails with the raw body.
fn tolerant_data(
    endpoint: &'static Endpoint,
    head: Head,
    bytes: Bytes,
    data_type: DecodeBoxed,
) -> Result<Box<dyn Any + Send>, Error> {
    let data = serde_json::from_slice::<Envelope<Tree<'_>>>(&bytes).ok().and_then(|env| env.data);
    let data = data.unwrap_or(Tree::Object(Vec::new()));
    match decode::tolerant_boxed(data, data_type) {
        Ok((value, mut mismatches)) => {
            for m in &mut mismatches {
                m.endpoint = endpoint.name;
                m.log_id.clone_from(&head.log_id);
            }
            mismatch::report(mismatches);
            Ok(value)
        }
        Err(failure) => {
            let detail = failure.detail();
            Err(Error::Mismatch(Box::new(MismatchError {
                endpoint: endpoint.name,
                http_status: head.status,
                log_id: head.log_id,
                path: detail.path.clone(),
                expected: detail.expected.clone(),
                found: detail.found.clone(),
                body: bytes,
            })))
        }
    }
}

/// Whether the body's first token opens an object.
fn is_object(bytes: &[u8]) -> bool {
    bytes.iter().find(|b| !matches!(b, b' ' | b'\t' | b'\n' | b'\r')) == Some(&b'{')
}

/// Turns a non-success answer of a binary endpoint into the error it carries.
pub(crate) async fn decode_failure(
    endpoint: &'static Endpoint,
    platform: &'static Platform,
    response: reqwest::Response,
    limit: usize,
) -> Error {
    let head = Head::of(&response, platform);
    match decode(endpoint, platform, response, limit, decode::boxed_unit).await {
        Err(e) => e,
        // A 200 JSON envelope with code 0 where a file was expected.
        Ok(_) => Error::UnexpectedResponse(Box::new(UnexpectedResponse {
            endpoint: endpoint.name,
            http_status: head.status,
            content_type: head.content_type,
            reason: "expected a file, got a JSON envelope with code 0".into(),
            body_snippet: String::new(),
            log_id: head.log_id,
            kind: UnexpectedKind::NotAFile,
            body: Bytes::new(),
        })),
    }
}

fn too_large(endpoint: &'static Endpoint, head: Head, limit: usize, content_length: Option<u64>) -> Error {
    Error::TooLarge(Box::new(TooLarge {
        endpoint: endpoint.name,
        http_status: head.status,
        log_id: head.log_id,
        limit: limit as u64,
        content_length,
    }))
}

/// Valid JSON that is no envelope, or invalid JSON: told apart for the caller.
fn not_an_envelope(endpoint: &'static Endpoint, head: Head, bytes: Bytes, detail: String) -> Error {
    let (kind, what) = match serde_json::from_slice::<IgnoredAny>(&bytes) {
        Ok(_) => (UnexpectedKind::NotAnEnvelope, "not a Lark envelope"),
        Err(_) => (UnexpectedKind::InvalidJson, "invalid JSON envelope"),
    };
    unexpected(endpoint, head, bytes, kind, format!("{what}: {detail}"))
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
    unexpected(endpoint, head, bytes, UnexpectedKind::NotJson, reason.to_owned())
}

fn unexpected(endpoint: &'static Endpoint, head: Head, bytes: Bytes, kind: UnexpectedKind, reason: String) -> Error {
    Error::UnexpectedResponse(Box::new(UnexpectedResponse {
        endpoint: endpoint.name,
        http_status: head.status,
        content_type: head.content_type,
        reason,
        body_snippet: snippet(&bytes, SNIPPET_LIMIT),
        log_id: head.log_id,
        kind,
        body: bytes,
    }))
}

#[cfg(test)]
mod tests {
    use super::*;

    fn envelope(json: &str) -> Result<Envelope<Value>, String> {
        serde_json::from_str(json).map_err(|e| e.to_string())
    }

    fn refusal(json: &str) -> String {
        envelope(json).err().expect("refused")
    }

    #[test]
    fn members_are_read_by_name_and_unknown_ones_skipped() {
        let env = envelope(r#"{"extra":[1,{"a":2}],"data":{"x":1},"msg":"ok","code":0}"#).expect("an envelope");
        assert_eq!((env.code, env.msg.as_str()), (0, "ok"));
        assert_eq!(env.data, Some(serde_json::json!({"x": 1})));
        assert!(env.error.is_none());
    }

    #[test]
    fn code_is_required_and_the_rest_may_be_absent_or_null() {
        assert!(refusal(r#"{"msg":"ok"}"#).starts_with("missing field `code`"));
        assert!(refusal(r#"{"code":"0"}"#).starts_with("invalid type: string"));
        let env = envelope(r#"{"code":5,"msg":null,"data":null,"error":null}"#).expect("an envelope");
        assert_eq!((env.code, env.msg.as_str(), env.data, env.error.is_none()), (5, "", None, true));
    }

    #[test]
    fn error_details_of_an_odd_shape_do_not_hide_the_code() {
        let env = envelope(r#"{"code":99992402,"msg":"bad","error":{"log_id":7,"field_violations":[{"field":"page_size","description":"too big"},"odd"],"permission_violations":{"type":"x"}}}"#)
            .expect("an envelope");
        let detail = env.error.expect("the detail");
        assert_eq!(detail.log_id, None);
        assert!(detail.permission_violations.is_empty());
        assert_eq!(
            detail.field_violations,
            vec![Violation { subject: "page_size".into(), description: "too big".into() }]
        );
    }

    #[test]
    fn a_violation_names_its_subject_by_any_of_the_three_keys() {
        for key in ["subject", "type", "field"] {
            let v = Violation::of(&serde_json::json!({ key: "s", "description": "d" })).expect("an object");
            assert_eq!(v, Violation { subject: "s".into(), description: "d".into() });
        }
        assert_eq!(Violation::of(&serde_json::json!("text")), None);
    }
}
