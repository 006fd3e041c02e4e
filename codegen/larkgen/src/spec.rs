//! The spec as written in YAML (format v1, see docs/spec-format.md). Values that rules
//! check are `Spanned`, so every diagnostic can point at its file, line and column.
//! Nothing here is checked yet: `valid` turns it into the IR.

use serde::Deserialize;
use serde::de::IgnoredAny;
use serde_saphyr::Spanned;

/// A YAML string, with its location.
pub type Str = Spanned<String>;

/// A file describing one service. Top-level keys starting with `x-` (such as `x-anchors`,
/// the place for YAML anchors) are ignored; any other unknown key is an error.
#[derive(Debug)]
pub struct ServiceFile {
    /// Name, version, docs and the platform file.
    pub service: Spanned<ServiceHeader>,
    /// The service's shared error table.
    pub errors: Vec<Spanned<ErrorDef>>,
    /// Named types.
    pub types: Vec<Spanned<TypeDef>>,
    /// The endpoints.
    pub endpoints: Spanned<Vec<Spanned<EndpointDef>>>,
}

impl<'de> Deserialize<'de> for ServiceFile {
    fn deserialize<D: serde::Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        struct Visitor;

        impl<'de> serde::de::Visitor<'de> for Visitor {
            type Value = ServiceFile;

            fn expecting(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
                f.write_str("a service file: a mapping with `service`, `errors`, `types` and `endpoints`")
            }

            fn visit_map<A: serde::de::MapAccess<'de>>(self, mut map: A) -> Result<ServiceFile, A::Error> {
                const KEYS: &[&str] = &["service", "errors", "types", "endpoints", "x-anchors"];
                let (mut service, mut errors, mut types, mut endpoints) = (None, None, None, None);
                while let Some(key) = map.next_key::<String>()? {
                    match key.as_str() {
                        "service" => service = Some(map.next_value()?),
                        "errors" => errors = Some(map.next_value()?),
                        "types" => types = Some(map.next_value()?),
                        "endpoints" => endpoints = Some(map.next_value()?),
                        x if x.starts_with("x-") => {
                            map.next_value::<IgnoredAny>()?;
                        }
                        other => return Err(serde::de::Error::unknown_field(other, KEYS)),
                    }
                }
                Ok(ServiceFile {
                    service: service.ok_or_else(|| serde::de::Error::missing_field("service"))?,
                    errors: errors.unwrap_or_default(),
                    types: types.unwrap_or_default(),
                    endpoints: endpoints.ok_or_else(|| serde::de::Error::missing_field("endpoints"))?,
                })
            }
        }

        deserializer.deserialize_map(Visitor)
    }
}

/// `service:` block.
#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct ServiceHeader {
    /// Service name, e.g. `baike`.
    pub name: Str,
    /// Version, e.g. `v1`.
    pub version: Str,
    /// Human title.
    pub title: String,
    /// What the service is for.
    #[serde(default)]
    pub description: Option<String>,
    /// Official documentation.
    #[serde(default)]
    pub doc: Option<String>,
    /// Path of the platform file, relative to this file.
    pub platform: Str,
}

/// A file describing the platform.
#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct PlatformFile {
    /// The `platform:` block.
    pub platform: Spanned<PlatformDef>,
}

/// `platform:` block.
#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct PlatformDef {
    /// Platform name.
    pub name: Str,
    /// Named base URLs; the first is the default.
    pub base_urls: Spanned<Vec<Spanned<BaseUrlDef>>>,
    /// Field names of the response envelope.
    pub envelope: Spanned<EnvelopeDef>,
    /// The tenant-token endpoint.
    pub tenant_token: Spanned<TenantTokenDef>,
    /// Platform error codes.
    #[serde(default)]
    pub errors: Vec<Spanned<ErrorDef>>,
}

/// One base URL.
#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct BaseUrlDef {
    /// Region name (`feishu`, `lark`).
    pub name: Str,
    /// `https://…`, no trailing slash.
    pub url: Str,
}

/// Field names of the envelope.
#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct EnvelopeDef {
    /// Error code field (`code`).
    pub code_field: Str,
    /// Message field (`msg`).
    pub message_field: Str,
    /// Payload field (`data`).
    pub data_field: Str,
    /// Diagnostics field (`error`).
    pub error_field: Str,
    /// Response header with the log id.
    pub log_id_header: Str,
}

/// The tenant-token endpoint of self-built apps.
#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct TenantTokenDef {
    /// Its path.
    pub path: Str,
    /// Its documentation.
    #[serde(default)]
    #[allow(dead_code)]
    pub doc: Option<String>,
    /// Refresh this many seconds before expiry.
    pub refresh_margin_seconds: Spanned<u64>,
}

/// One error code.
#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct ErrorDef {
    /// Variant name (UpperCamelCase).
    pub name: Str,
    /// Lark error code.
    pub code: Spanned<i64>,
    /// HTTP status sent with it.
    pub http: Spanned<u16>,
    /// Documented message.
    pub message: String,
    /// How to fix it.
    pub hint: String,
    /// Whether a retry may succeed.
    #[serde(default)]
    pub retryable: bool,
    /// Runtime reaction: `refresh_token`, `rate_limited` or `auth_failed`.
    #[serde(default)]
    pub action: Option<Str>,
}

/// A named type: exactly one of `newtype`, `enum` + `values`, or `fields`.
#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct TypeDef {
    /// Type name (UpperCamelCase).
    pub name: Str,
    /// What it is.
    #[serde(default)]
    pub description: Option<String>,
    /// `string`: an id newtype over a string.
    #[serde(default)]
    pub newtype: Option<Str>,
    /// `string` or `integer`: an open enum.
    #[serde(default, rename = "enum")]
    pub enum_repr: Option<Str>,
    /// Values of an enum.
    #[serde(default)]
    pub values: Option<Vec<Spanned<EnumValueDef>>>,
    /// Fields of an object.
    #[serde(default)]
    pub fields: Option<Spanned<Vec<Spanned<FieldDef>>>>,
    /// Fields of which at least one must be set.
    #[serde(default)]
    pub at_least_one_of: Option<Spanned<Vec<Str>>>,
}

/// A value of a string or integer enum.
#[derive(Debug, Deserialize)]
#[serde(untagged)]
pub enum Scalar {
    /// An integer.
    Int(i64),
    /// A boolean.
    Bool(bool),
    /// A string.
    Str(String),
}

/// One enum value.
#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct EnumValueDef {
    /// The value on the wire.
    pub value: Spanned<Scalar>,
    /// Variant name; derived from a string value when absent.
    #[serde(default)]
    pub name: Option<Str>,
    /// What it means.
    #[serde(default)]
    pub description: Option<String>,
}

/// A field of an object type, or a parameter of an endpoint (`in: path|query`).
///
/// The optional constraints are boxed: most fields have none, and every `Spanned` value
/// carries two locations, so inline they made a field 1.1 KB (312 bytes boxed), copied
/// several times while serde builds the model: 10% of `check` at 1,000 endpoints.
#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct FieldDef {
    /// JSON / wire name.
    pub name: Str,
    /// `path` or `query` (parameters only).
    #[serde(default, rename = "in")]
    pub location: Option<Box<Str>>,
    /// Type expression: `string`, `boolean`, `i32`, `i64`, `f64`, `binary`, a type name, or `T[]`.
    #[serde(rename = "type")]
    pub ty: Str,
    /// Whether it must be present.
    #[serde(default)]
    pub required: bool,
    /// What it is.
    #[serde(default)]
    pub description: Option<String>,
    /// Server-side default (documentation only).
    #[serde(default)]
    pub default: Option<Box<Spanned<Scalar>>>,
    /// Example value (documentation only).
    #[serde(default)]
    pub example: Option<Box<Spanned<Scalar>>>,
    /// Minimum length in characters.
    #[serde(default)]
    pub min_length: Option<Box<Spanned<u64>>>,
    /// Maximum length in characters.
    #[serde(default)]
    pub max_length: Option<Box<Spanned<u64>>>,
    /// Minimum number of items.
    #[serde(default)]
    pub min_items: Option<Box<Spanned<u64>>>,
    /// Maximum number of items.
    #[serde(default)]
    pub max_items: Option<Box<Spanned<u64>>>,
    /// Minimum value.
    #[serde(default)]
    pub min: Option<Box<Spanned<i64>>>,
    /// Maximum value.
    #[serde(default)]
    pub max: Option<Box<Spanned<i64>>>,
    /// Characters the value must not contain.
    #[serde(default)]
    pub forbidden_chars: Option<Box<Str>>,
    /// Allowed file-name extensions.
    #[serde(default)]
    pub extensions: Option<Vec<String>>,
    /// Minimum file size in bytes (`binary` fields).
    #[serde(default)]
    pub min_bytes: Option<Box<Spanned<u64>>>,
    /// Maximum file size in bytes (`binary` fields).
    #[serde(default)]
    pub max_bytes: Option<Box<Spanned<u64>>>,
}

/// One endpoint.
#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct EndpointDef {
    /// `resource.action`.
    pub name: Str,
    /// One-line summary.
    pub summary: Str,
    /// Longer description.
    #[serde(default)]
    pub description: Option<String>,
    /// Official documentation.
    pub doc: Str,
    /// HTTP method.
    pub method: Str,
    /// Path template with `{param}` placeholders.
    pub path: Str,
    /// Accepted tokens: `tenant`, `user`.
    pub tokens: Spanned<Vec<Str>>,
    /// Allowed app types: `self_built`, `store`.
    #[serde(default)]
    pub app_types: Option<Vec<Str>>,
    /// Rate limits.
    #[serde(default)]
    pub limits: Option<Spanned<LimitsDef>>,
    /// Overrides the idempotency implied by the method.
    #[serde(default)]
    pub idempotent: Option<bool>,
    /// Scopes.
    #[serde(default)]
    pub scopes: Option<Spanned<ScopesDef>>,
    /// Path and query parameters.
    #[serde(default)]
    pub params: Option<Vec<Spanned<FieldDef>>>,
    /// Request body.
    #[serde(default)]
    pub request: Option<Spanned<BodyDef>>,
    /// Response body.
    pub response: Spanned<BodyDef>,
    /// `page_token` pagination.
    #[serde(default)]
    pub pagination: Option<Spanned<PaginationDef>>,
    /// Names of errors from the service table.
    #[serde(default)]
    pub errors: Option<Spanned<Vec<Str>>>,
}

/// Rate limits.
#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct LimitsDef {
    /// Requests per second.
    #[serde(default)]
    pub per_second: Option<Spanned<u32>>,
    /// Requests per minute.
    #[serde(default)]
    pub per_minute: Option<Spanned<u32>>,
}

/// Scopes of an endpoint.
#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct ScopesDef {
    /// Any one of these is enough.
    pub any_of: Spanned<Vec<Str>>,
    /// Scopes needed for some parameter values.
    #[serde(default)]
    pub fields: Option<Vec<Spanned<FieldScopeDef>>>,
}

/// A conditional field scope.
#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct FieldScopeDef {
    /// The scope.
    pub scope: Str,
    /// `param=value`.
    pub when: Str,
}

/// A request or response body.
#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct BodyDef {
    /// `json`, `multipart` (requests), `binary` or `empty` (responses).
    pub kind: Str,
    /// The named type of the body (requests) or of `data` (responses).
    #[serde(default, rename = "type")]
    pub ty: Option<Str>,
    /// Whether a request body is required (default true).
    #[serde(default)]
    pub required: Option<bool>,
}

/// `page_token` pagination.
#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct PaginationDef {
    /// Field of the response type holding the page's items.
    pub items: Str,
}
