//! One prepared call: the endpoint descriptor plus the values of its parameters and body.
//! Generated request builders fill it; the client sends it (again, on retries).

use std::fmt::{self, Display};

use bytes::Bytes;
use percent_encoding::{AsciiSet, NON_ALPHANUMERIC, utf8_percent_encode};
use reqwest::header::{HeaderName, HeaderValue};

use crate::credentials::UserAccessToken;
use crate::endpoint::Endpoint;
use crate::error::Error;
use crate::multipart::FormPart;
use crate::options::checked_header;
use crate::validate::{Validate, Violations};

/// Everything but RFC 3986 unreserved characters is escaped, so a value is always
/// exactly one path segment: `/`, `?`, `#` and `%` can never change the request path.
const SEGMENT: &AsciiSet = &NON_ALPHANUMERIC.remove(b'-').remove(b'_').remove(b'.').remove(b'~');

/// A request ready to be sent.
#[derive(Clone)]
pub struct Call {
    pub(crate) endpoint: &'static Endpoint,
    pub(crate) path_params: Vec<(&'static str, String)>,
    pub(crate) query: Vec<(&'static str, String)>,
    /// Declared header parameters (`Range`), sent after the options' headers, replacing them.
    pub(crate) headers: Vec<(HeaderName, HeaderValue)>,
    pub(crate) body: CallBody,
    pub(crate) user_token: Option<UserAccessToken>,
    violations: Violations,
}

#[derive(Clone)]
pub(crate) enum CallBody {
    None,
    Json(Bytes),
    Multipart(Vec<FormPart>),
}

impl fmt::Debug for Call {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("Call")
            .field("endpoint", &self.endpoint.name)
            .field("path_params", &self.path_params)
            .field("query", &self.query)
            .field("headers", &self.headers)
            .field("user_token", &self.user_token)
            .finish_non_exhaustive()
    }
}

impl Call {
    /// A call of `endpoint` with no parameters yet.
    pub fn new(endpoint: &'static Endpoint) -> Self {
        Self {
            endpoint,
            path_params: Vec::new(),
            query: Vec::new(),
            headers: Vec::new(),
            body: CallBody::None,
            user_token: None,
            violations: Violations::new(),
        }
    }

    /// The endpoint this call targets.
    pub fn endpoint(&self) -> &'static Endpoint {
        self.endpoint
    }

    /// Sets a path parameter; values that cannot be one segment (empty, `.`, `..`) are refused.
    pub fn path(&mut self, name: &'static str, value: impl AsRef<str>) -> &mut Self {
        let value = value.as_ref();
        self.violations.path_segment(name, value);
        self.path_params.push((name, value.to_owned()));
        self
    }

    /// Adds a query parameter. By reference, so generated code borrows every type alike
    /// (`Copy` numbers and enums as well as strings).
    pub fn query<T: Display + ?Sized>(&mut self, name: &'static str, value: &T) -> &mut Self {
        self.query.push((name, value.to_string()));
        self
    }

    /// Adds a query parameter when it is set.
    pub fn query_opt(&mut self, name: &'static str, value: Option<impl Display>) -> &mut Self {
        if let Some(v) = value {
            self.query(name, &v);
        }
        self
    }

    /// Adds a query parameter once per value, in order: `?user_ids=a&user_ids=b` (Lark's form
    /// of a list in a query; none when the list is empty).
    pub fn query_each<T: Display>(&mut self, name: &'static str, values: impl IntoIterator<Item = T>) -> &mut Self {
        for v in values {
            self.query(name, &v);
        }
        self
    }

    /// Sets a header parameter (`Range: bytes=0-1023`). A name the client writes itself
    /// (`Authorization`, `Content-Type`, …), an invalid name or a value that cannot be a header
    /// (a line break) fails the call before it is sent, like a broken constraint.
    pub fn header(&mut self, name: &'static str, value: impl Display) -> &mut Self {
        let value = value.to_string();
        if let Some(header) = checked_header(name.into(), name, &value, &mut self.violations) {
            self.headers.push(header);
        }
        self
    }

    /// Sets a header parameter when it is set.
    pub fn header_opt(&mut self, name: &'static str, value: Option<impl Display>) -> &mut Self {
        if let Some(v) = value {
            self.header(name, v);
        }
        self
    }

    /// Sets a JSON body.
    pub fn json<T: serde::Serialize + ?Sized>(&mut self, body: &T) -> &mut Self {
        match serde_json::to_vec(body) {
            Ok(bytes) => self.body = CallBody::Json(bytes.into()),
            Err(e) => self.violations.push("body".into(), "serializable JSON", e.to_string()),
        }
        self
    }

    /// Sets a JSON body, or `{}` when unset (for endpoints whose body is optional).
    pub fn json_or_empty<T: serde::Serialize>(&mut self, body: Option<&T>) -> &mut Self {
        match body {
            Some(b) => self.json(b),
            None => {
                self.body = CallBody::Json(Bytes::from_static(b"{}"));
                self
            }
        }
    }

    /// Sets a multipart body.
    pub fn multipart(&mut self, parts: Vec<FormPart>) -> &mut Self {
        crate::multipart::check_content_types(&parts, &mut self.violations);
        self.body = CallBody::Multipart(parts);
        self
    }

    /// Sends the call with a user token instead of the app's tenant token.
    pub fn user_token(&mut self, token: Option<UserAccessToken>) -> &mut Self {
        self.user_token = token;
        self
    }

    /// Checks the constraints of the body (or of any value found at `path`).
    pub fn validate(&mut self, path: &str, value: &impl Validate) -> &mut Self {
        value.validate(path, &mut self.violations);
        self
    }

    /// Where the generated checks of parameters record what they find: the call fails
    /// before anything is sent if one is broken.
    pub fn violations(&mut self) -> &mut Violations {
        &mut self.violations
    }

    /// Fails when a parameter or the body broke a constraint.
    pub(crate) fn check(&self) -> Result<(), Error> {
        self.violations.clone().into_result().map_err(Error::Validation)
    }

    /// The path with every placeholder replaced by its percent-encoded value.
    pub(crate) fn render_path(&self) -> String {
        let template = self.endpoint.path;
        let mut out = String::with_capacity(template.len() + 32);
        let mut rest = template;
        while let Some(open) = rest.find('{') {
            out.push_str(&rest[..open]);
            let close = rest[open..].find('}').map_or(rest.len(), |c| open + c);
            let name = &rest[open + 1..close];
            if let Some((_, value)) = self.path_params.iter().find(|(n, _)| *n == name) {
                out.extend(utf8_percent_encode(value, SEGMENT));
            }
            rest = &rest[(close + 1).min(rest.len())..];
        }
        out.push_str(rest);
        out
    }
}
