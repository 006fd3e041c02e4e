//! What the fake server keeps of each API request, for a test's assertions: the endpoint it
//! matched, path parameters, query, headers (without the token), the decoded body, and
//! what broke the spec.

use std::fmt;

use bytes::Bytes;
use percent_encoding::percent_decode_str;
use serde_json::Value;

use crate::endpoint::Endpoint;

/// One API request as the fake server received it (tenant-token requests are not recorded:
/// see [`FakeLark::tokens_issued`](super::FakeLark::tokens_issued)).
#[derive(Clone, Debug)]
#[non_exhaustive]
pub struct Recorded {
    /// The endpoint of the spec it matched (`None`: no endpoint has this method and path).
    pub endpoint: Option<&'static Endpoint>,
    /// `GET`, `POST`…
    pub method: String,
    /// The path as sent (percent-encoded).
    pub path: String,
    /// The values of the path template's placeholders, decoded, in path order.
    pub path_params: Vec<(String, String)>,
    /// The query string, decoded, in order.
    pub query: Vec<(String, String)>,
    /// Every header but `authorization` (names lower-case).
    pub headers: Vec<(String, String)>,
    /// Which token the request carried (the token itself is not kept).
    pub auth: Auth,
    /// The body, decoded by its content type.
    pub body: Body,
}

/// The kind of token a request carried.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
#[non_exhaustive]
pub enum Auth {
    /// No `Authorization: Bearer …` header.
    None,
    /// A tenant token this server issued and had not revoked.
    Tenant,
    /// A user token (`u-…`); the fake accepts any.
    User,
    /// Anything else: a revoked or unknown token.
    Invalid,
}

/// A request body.
#[derive(Clone, Debug, PartialEq)]
#[non_exhaustive]
pub enum Body {
    /// Nothing.
    None,
    /// A JSON document.
    Json(Value),
    /// The parts of a `multipart/form-data` body, in order.
    Multipart(Vec<Part>),
    /// Any other bytes (including JSON that does not parse).
    Other(Bytes),
}

/// One part of a multipart body.
#[derive(Clone, PartialEq, Eq)]
#[non_exhaustive]
pub struct Part {
    /// The form field name.
    pub name: String,
    /// The file name, for file parts.
    pub file_name: Option<String>,
    /// The part's `Content-Type`, if it has one (file parts do).
    pub content_type: Option<String>,
    /// The bytes.
    pub bytes: Bytes,
}

impl fmt::Debug for Part {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        // A file may be megabytes: its size says enough.
        f.debug_struct("Part")
            .field("name", &self.name)
            .field("file_name", &self.file_name)
            .field("content_type", &self.content_type)
            .field("len", &self.bytes.len())
            .finish()
    }
}

impl Part {
    /// The bytes as text (lossy), for text fields.
    pub fn text(&self) -> String {
        String::from_utf8_lossy(&self.bytes).into_owned()
    }
}

impl Recorded {
    /// The value of a query parameter (the first, if repeated).
    pub fn query(&self, name: &str) -> Option<&str> {
        self.query.iter().find(|(k, _)| k == name).map(|(_, v)| v.as_str())
    }

    /// The value of a path parameter.
    pub fn path_param(&self, name: &str) -> Option<&str> {
        self.path_params.iter().find(|(k, _)| k == name).map(|(_, v)| v.as_str())
    }

    /// The value of a header (name in any case).
    pub fn header(&self, name: &str) -> Option<&str> {
        self.headers.iter().find(|(k, _)| k.eq_ignore_ascii_case(name)).map(|(_, v)| v.as_str())
    }

    /// The JSON body, if the body was JSON.
    pub fn json(&self) -> Option<&Value> {
        match &self.body {
            Body::Json(v) => Some(v),
            _ => None,
        }
    }

    /// A part of a multipart body, by field name.
    pub fn part(&self, name: &str) -> Option<&Part> {
        match &self.body {
            Body::Multipart(parts) => parts.iter().find(|p| p.name == name),
            _ => None,
        }
    }

    /// The names of the parts of a multipart body, in order (empty for other bodies).
    pub fn part_names(&self) -> Vec<&str> {
        match &self.body {
            Body::Multipart(parts) => parts.iter().map(|p| p.name.as_str()).collect(),
            _ => Vec::new(),
        }
    }
}

/// A request that broke the spec: the fake answered it as Lark would (a 404, a missing-token
/// error or `99992402 field validation failed`) and kept it here.
#[derive(Clone, Debug, PartialEq, Eq)]
#[non_exhaustive]
pub struct Violation {
    /// `METHOD path` of the request.
    pub request: String,
    /// The endpoint it matched (`service resource.action`), if any.
    pub endpoint: Option<String>,
    /// What was wrong.
    pub problem: String,
}

impl fmt::Display for Violation {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match &self.endpoint {
            Some(e) => write!(f, "{} ({e}): {}", self.request, self.problem),
            None => write!(f, "{}: {}", self.request, self.problem),
        }
    }
}

impl Body {
    /// Decodes a body by its content type (`application/json`, `multipart/form-data` with its
    /// boundary), as the fake records it; for tests that read bodies another server received.
    pub fn parse(content_type: Option<&str>, bytes: &[u8]) -> Body {
        body(content_type, bytes)
    }
}

/// Decodes a body by its content type. JSON or multipart that does not parse stays
/// [`Body::Other`], which the checks then report.
pub(crate) fn body(content_type: Option<&str>, bytes: &[u8]) -> Body {
    if bytes.is_empty() {
        return Body::None;
    }
    let ct = content_type.unwrap_or_default().to_ascii_lowercase();
    if ct.starts_with("application/json") {
        return serde_json::from_slice(bytes).map_or_else(|_| Body::Other(Bytes::copy_from_slice(bytes)), Body::Json);
    }
    if ct.starts_with("multipart/form-data")
        && let Some(boundary) = boundary(content_type.unwrap_or_default())
        && let Some(parts) = multipart(bytes, &boundary)
    {
        return Body::Multipart(parts);
    }
    Body::Other(Bytes::copy_from_slice(bytes))
}

fn boundary(content_type: &str) -> Option<String> {
    content_type.split(';').find_map(|p| {
        let (k, v) = p.trim().split_once('=')?;
        k.eq_ignore_ascii_case("boundary").then(|| v.trim_matches('"').to_owned())
    })
}

/// The parts of a multipart body (RFC 7578): `--boundary CRLF headers CRLF CRLF content CRLF`
/// repeated, then `--boundary--`. `None` when the body is not shaped like that.
fn multipart(bytes: &[u8], boundary: &str) -> Option<Vec<Part>> {
    let delimiter = format!("--{boundary}");
    let mut rest = bytes.get(find(bytes, delimiter.as_bytes())? + delimiter.len()..)?;
    let mut parts = Vec::new();
    loop {
        if rest.starts_with(b"--") {
            return Some(parts);
        }
        rest = rest.strip_prefix(b"\r\n")?;
        let head_end = find(rest, b"\r\n\r\n")?;
        let head = String::from_utf8_lossy(&rest[..head_end]);
        let content = &rest[head_end + 4..];
        let end = find(content, format!("\r\n{delimiter}").as_bytes())?;
        let header = |name: &str| {
            head.lines()
                .find_map(|l| l.split_once(':').filter(|(k, _)| k.trim().eq_ignore_ascii_case(name)).map(|(_, v)| v))
        };
        let disposition = header("content-disposition")?;
        parts.push(Part {
            name: param(disposition, "name")?,
            file_name: param(disposition, "filename"),
            content_type: header("content-type").map(|v| v.trim().to_owned()),
            bytes: Bytes::copy_from_slice(&content[..end]),
        });
        rest = &content[end + 2 + delimiter.len()..];
    }
}

/// A `key="value"` parameter of a `Content-Disposition` header.
fn param(header: &str, key: &str) -> Option<String> {
    header.split(';').skip(1).find_map(|p| {
        let (k, v) = p.trim().split_once('=')?;
        let v = v.trim().trim_matches('"');
        k.trim().eq_ignore_ascii_case(key).then(|| percent_decode_str(v).decode_utf8_lossy().into_owned())
    })
}

fn find(haystack: &[u8], needle: &[u8]) -> Option<usize> {
    haystack.windows(needle.len()).position(|w| w == needle)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn multipart_bodies_are_split_into_named_parts() {
        let raw = b"--xyz\r\nContent-Disposition: form-data; name=\"name\"\r\n\r\ncat.png\r\n--xyz\r\n\
            Content-Disposition: form-data; name=\"file\"; filename=\"cat.png\"\r\nContent-Type: image/png\r\n\r\n\
            \x89PNG\r\n\r\nbytes\r\n--xyz--\r\n";
        let Body::Multipart(parts) = body(Some("multipart/form-data; boundary=xyz"), raw) else {
            panic!("not split: {:?}", body(Some("multipart/form-data; boundary=xyz"), raw));
        };
        assert_eq!(parts.len(), 2);
        assert_eq!(
            (parts[0].name.as_str(), parts[0].text().as_str(), parts[0].file_name.as_deref()),
            ("name", "cat.png", None)
        );
        assert_eq!(parts[1].file_name.as_deref(), Some("cat.png"));
        assert_eq!((parts[0].content_type.as_deref(), parts[1].content_type.as_deref()), (None, Some("image/png")));
        assert_eq!(&parts[1].bytes[..], b"\x89PNG\r\n\r\nbytes");
    }

    #[test]
    fn a_cut_multipart_body_stays_bytes() {
        let raw = b"--xyz\r\nContent-Disposition: form-data; name=\"name\"\r\n\r\ncat.png";
        assert!(matches!(body(Some("multipart/form-data; boundary=xyz"), raw), Body::Other(_)));
        assert!(matches!(body(Some("application/json"), b"{"), Body::Other(_)));
        assert_eq!(body(Some("application/json"), b""), Body::None);
    }
}
