//! The spec as written in YAML (format v1, see docs/spec-format.md), read from the YAML
//! tree by the `FromMap` impls at the end (the keys each block reads are the keys it allows).
//! Values that rules check are `Spanned`, so every diagnostic can point at its file, line
//! and column. Nothing here is checked yet: `valid` turns it into the IR.

pub use crate::shape::Spanned;
use crate::shape::{Fields, FromMap, FromNode, Shape, Whose};
use crate::yaml::{Node, Value};

/// A YAML string, with its location.
pub type Str = Spanned<String>;

/// A file describing one service. Top-level keys starting with `x-` (such as `x-anchors`,
/// the place for YAML anchors) are ignored; any other unknown key is an error.
#[derive(Debug, Default)]
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

/// `service:` block.
#[derive(Debug, Default)]
pub struct ServiceHeader {
    /// Service name, e.g. `baike`.
    pub name: Str,
    /// Version, e.g. `v1`.
    pub version: Str,
    /// Human title.
    pub title: String,
    /// What the service is for.
    pub description: Option<String>,
    /// Official documentation.
    pub doc: Option<String>,
    /// Path of the platform file, relative to this file.
    pub platform: Str,
}

/// A file describing the platform.
#[derive(Debug, Default)]
pub struct PlatformFile {
    /// The `platform:` block.
    pub platform: Spanned<PlatformDef>,
}

/// `platform:` block.
#[derive(Debug, Default)]
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
    pub errors: Vec<Spanned<ErrorDef>>,
}

/// One base URL.
#[derive(Debug, Default)]
pub struct BaseUrlDef {
    /// Region name (`feishu`, `lark`).
    pub name: Str,
    /// `https://…`, no trailing slash.
    pub url: Str,
}

/// Field names of the envelope.
#[derive(Debug, Default)]
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
#[derive(Debug, Default)]
pub struct TenantTokenDef {
    /// Its path (its `doc:` link is for readers of the spec only).
    pub path: Str,
    /// Refresh this many seconds before expiry.
    pub refresh_margin_seconds: Spanned<u64>,
}

/// One error code.
#[derive(Debug, Default)]
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
    pub retryable: bool,
    /// Runtime reaction: `refresh_token`, `rate_limited` or `auth_failed`.
    pub action: Option<Str>,
}

/// A named type: exactly one of `newtype`, `enum` + `values`, or `fields`.
#[derive(Debug, Default)]
pub struct TypeDef {
    /// Type name (UpperCamelCase).
    pub name: Str,
    /// What it is.
    pub description: Option<String>,
    /// `string`: an id newtype over a string.
    pub newtype: Option<Str>,
    /// `string` or `integer`: an open enum.
    pub enum_repr: Option<Str>,
    /// Values of an enum.
    pub values: Option<Vec<Spanned<EnumValueDef>>>,
    /// Fields of an object.
    pub fields: Option<Spanned<Vec<Spanned<FieldDef>>>>,
    /// Fields of which at least one must be set.
    pub at_least_one_of: Option<Spanned<Vec<Str>>>,
}

/// A value of a string or integer enum.
#[derive(Debug)]
pub enum Scalar {
    /// An integer.
    Int(i64),
    /// A boolean.
    Bool(bool),
    /// A string.
    Str(String),
}

/// One enum value.
#[derive(Debug, Default)]
pub struct EnumValueDef {
    /// The value on the wire.
    pub value: Spanned<Scalar>,
    /// Variant name; derived from a string value when absent.
    pub name: Option<Str>,
    /// What it means.
    pub description: Option<String>,
}

/// A field of an object type, or a parameter of an endpoint (`in: path|query`).
#[derive(Debug, Default)]
pub struct FieldDef {
    /// JSON / wire name.
    pub name: Str,
    /// `path` or `query` (parameters only).
    pub location: Option<Str>,
    /// Type expression: `string`, `boolean`, `i32`, `i64`, `f64`, `binary`, a type name, or `T[]`.
    pub ty: Str,
    /// Whether it must be present.
    pub required: bool,
    /// What it is.
    pub description: Option<String>,
    /// Server-side default (documentation only).
    pub default: Option<Spanned<Scalar>>,
    /// Example value (documentation only).
    pub example: Option<Spanned<Scalar>>,
    /// Minimum length in characters.
    pub min_length: Option<Spanned<u64>>,
    /// Maximum length in characters.
    pub max_length: Option<Spanned<u64>>,
    /// Minimum number of items.
    pub min_items: Option<Spanned<u64>>,
    /// Maximum number of items.
    pub max_items: Option<Spanned<u64>>,
    /// Minimum value.
    pub min: Option<Spanned<i64>>,
    /// Maximum value.
    pub max: Option<Spanned<i64>>,
    /// Characters the value must not contain.
    pub forbidden_chars: Option<Str>,
    /// Allowed file-name extensions.
    pub extensions: Option<Vec<String>>,
    /// Minimum file size in bytes (`binary` fields).
    pub min_bytes: Option<Spanned<u64>>,
    /// Maximum file size in bytes (`binary` fields).
    pub max_bytes: Option<Spanned<u64>>,
}

/// One endpoint.
#[derive(Debug, Default)]
pub struct EndpointDef {
    /// `resource.action`.
    pub name: Str,
    /// One-line summary.
    pub summary: Str,
    /// Longer description.
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
    pub app_types: Option<Vec<Str>>,
    /// Rate limits.
    pub limits: Option<Spanned<LimitsDef>>,
    /// Overrides the idempotency implied by the method.
    pub idempotent: Option<bool>,
    /// Scopes.
    pub scopes: Option<Spanned<ScopesDef>>,
    /// Path and query parameters.
    pub params: Option<Vec<Spanned<FieldDef>>>,
    /// Request body.
    pub request: Option<Spanned<BodyDef>>,
    /// Response body.
    pub response: Spanned<BodyDef>,
    /// `page_token` pagination.
    pub pagination: Option<Spanned<PaginationDef>>,
    /// Names of errors from the service table.
    pub errors: Option<Spanned<Vec<Str>>>,
}

/// Rate limits.
#[derive(Debug, Default)]
pub struct LimitsDef {
    /// Requests per second.
    pub per_second: Option<Spanned<u32>>,
    /// Requests per minute.
    pub per_minute: Option<Spanned<u32>>,
}

/// Scopes of an endpoint.
#[derive(Debug, Default)]
pub struct ScopesDef {
    /// Any one of these is enough.
    pub any_of: Spanned<Vec<Str>>,
    /// Scopes needed for some parameter values.
    pub fields: Option<Vec<Spanned<FieldScopeDef>>>,
}

/// A conditional field scope.
#[derive(Debug, Default)]
pub struct FieldScopeDef {
    /// The scope.
    pub scope: Str,
    /// `param=value`.
    pub when: Str,
}

/// A request or response body.
#[derive(Debug, Default)]
pub struct BodyDef {
    /// `json`, `multipart` (requests), `binary` or `empty` (responses).
    pub kind: Str,
    /// The named type of the body (requests) or of `data` (responses).
    pub ty: Option<Str>,
    /// Whether a request body is required (default true).
    pub required: Option<bool>,
}

/// `page_token` pagination.
#[derive(Debug, Default)]
pub struct PaginationDef {
    /// Field of the response type holding the page's items.
    pub items: Str,
}

impl FromMap for ServiceFile {
    const WHAT: &'static str = "a service file (top level)";
    const EXTENSIONS: bool = true;
    fn from_map(m: &mut Fields<'_, '_, '_>) -> Self {
        Self {
            service: m.req("service"),
            errors: m.opt("errors").unwrap_or_default(),
            types: m.opt("types").unwrap_or_default(),
            endpoints: m.req("endpoints"),
        }
    }
}

impl FromMap for ServiceHeader {
    const WHAT: &'static str = "the `service` block";
    fn from_map(m: &mut Fields<'_, '_, '_>) -> Self {
        Self {
            name: m.req("name"),
            version: m.req("version"),
            title: m.req("title"),
            description: m.opt("description"),
            doc: m.opt("doc"),
            platform: m.req("platform"),
        }
    }
}

impl FromMap for PlatformFile {
    const WHAT: &'static str = "a platform file (top level)";
    fn from_map(m: &mut Fields<'_, '_, '_>) -> Self {
        Self { platform: m.req("platform") }
    }
}

impl FromMap for PlatformDef {
    const WHAT: &'static str = "the `platform` block";
    fn from_map(m: &mut Fields<'_, '_, '_>) -> Self {
        Self {
            name: m.req("name"),
            base_urls: m.req("base_urls"),
            envelope: m.req("envelope"),
            tenant_token: m.req("tenant_token"),
            errors: m.opt("errors").unwrap_or_default(),
        }
    }
}

impl FromMap for BaseUrlDef {
    const WHAT: &'static str = "a base URL";
    fn from_map(m: &mut Fields<'_, '_, '_>) -> Self {
        Self { name: m.req("name"), url: m.req("url") }
    }
}

impl FromMap for EnvelopeDef {
    const WHAT: &'static str = "`envelope`";
    fn from_map(m: &mut Fields<'_, '_, '_>) -> Self {
        Self {
            code_field: m.req("code_field"),
            message_field: m.req("message_field"),
            data_field: m.req("data_field"),
            error_field: m.req("error_field"),
            log_id_header: m.req("log_id_header"),
        }
    }
}

impl FromMap for TenantTokenDef {
    const WHAT: &'static str = "`tenant_token`";
    fn from_map(m: &mut Fields<'_, '_, '_>) -> Self {
        let path = m.req("path");
        let _doc: Option<String> = m.opt("doc");
        Self { path, refresh_margin_seconds: m.req("refresh_margin_seconds") }
    }
}

impl FromMap for ErrorDef {
    const WHAT: &'static str = "an error";
    fn from_map(m: &mut Fields<'_, '_, '_>) -> Self {
        Self {
            name: m.req("name"),
            code: m.req("code"),
            http: m.req("http"),
            message: m.req("message"),
            hint: m.req("hint"),
            retryable: m.opt("retryable").unwrap_or_default(),
            action: m.opt("action"),
        }
    }
}

impl FromMap for TypeDef {
    const WHAT: &'static str = "a type";
    fn from_map(m: &mut Fields<'_, '_, '_>) -> Self {
        Self {
            name: m.req("name"),
            description: m.opt("description"),
            newtype: m.opt("newtype"),
            enum_repr: m.opt("enum"),
            values: m.opt("values"),
            fields: m.opt("fields"),
            at_least_one_of: m.opt("at_least_one_of"),
        }
    }
}

impl Default for Scalar {
    fn default() -> Self {
        Scalar::Str(String::new())
    }
}

impl FromNode for Scalar {
    fn from_node(node: &Node, cx: &mut Shape<'_>, whose: Whose<'_>) -> Option<Self> {
        match &node.value {
            Value::Scalar { text, plain: true } => Some(match text.as_str() {
                "true" | "True" | "TRUE" => Scalar::Bool(true),
                "false" | "False" | "FALSE" => Scalar::Bool(false),
                _ => text.parse().map_or_else(|_| Scalar::Str(text.clone()), Scalar::Int),
            }),
            Value::Scalar { text, plain: false } => Some(Scalar::Str(text.clone())),
            _ => cx.wrong(node, whose, "a string, a number or a boolean", "write a single value"),
        }
    }
}

impl FromMap for EnumValueDef {
    const WHAT: &'static str = "an enum value";
    fn from_map(m: &mut Fields<'_, '_, '_>) -> Self {
        Self { value: m.req("value"), name: m.opt("name"), description: m.opt("description") }
    }
}

impl FromMap for FieldDef {
    const WHAT: &'static str = "a field or parameter";
    fn from_map(m: &mut Fields<'_, '_, '_>) -> Self {
        Self {
            name: m.req("name"),
            location: m.opt("in"),
            ty: m.req("type"),
            required: m.opt("required").unwrap_or_default(),
            description: m.opt("description"),
            default: m.opt("default"),
            example: m.opt("example"),
            min_length: m.opt("min_length"),
            max_length: m.opt("max_length"),
            min_items: m.opt("min_items"),
            max_items: m.opt("max_items"),
            min: m.opt("min"),
            max: m.opt("max"),
            forbidden_chars: m.opt("forbidden_chars"),
            extensions: m.opt("extensions"),
            min_bytes: m.opt("min_bytes"),
            max_bytes: m.opt("max_bytes"),
        }
    }
}

impl FromMap for EndpointDef {
    const WHAT: &'static str = "an endpoint";
    fn from_map(m: &mut Fields<'_, '_, '_>) -> Self {
        Self {
            name: m.req("name"),
            summary: m.req("summary"),
            description: m.opt("description"),
            doc: m.req("doc"),
            method: m.req("method"),
            path: m.req("path"),
            tokens: m.req("tokens"),
            app_types: m.opt("app_types"),
            limits: m.opt("limits"),
            idempotent: m.opt("idempotent"),
            scopes: m.opt("scopes"),
            params: m.opt("params"),
            request: m.opt("request"),
            response: m.req("response"),
            pagination: m.opt("pagination"),
            errors: m.opt("errors"),
        }
    }
}

impl FromMap for LimitsDef {
    const WHAT: &'static str = "`limits`";
    fn from_map(m: &mut Fields<'_, '_, '_>) -> Self {
        Self { per_second: m.opt("per_second"), per_minute: m.opt("per_minute") }
    }
}

impl FromMap for ScopesDef {
    const WHAT: &'static str = "`scopes`";
    fn from_map(m: &mut Fields<'_, '_, '_>) -> Self {
        Self { any_of: m.req("any_of"), fields: m.opt("fields") }
    }
}

impl FromMap for FieldScopeDef {
    const WHAT: &'static str = "a field scope";
    fn from_map(m: &mut Fields<'_, '_, '_>) -> Self {
        Self { scope: m.req("scope"), when: m.req("when") }
    }
}

impl FromMap for BodyDef {
    const WHAT: &'static str = "a request or response body";
    fn from_map(m: &mut Fields<'_, '_, '_>) -> Self {
        Self { kind: m.req("kind"), ty: m.opt("type"), required: m.opt("required") }
    }
}

impl FromMap for PaginationDef {
    const WHAT: &'static str = "`pagination`";
    fn from_map(m: &mut Fields<'_, '_, '_>) -> Self {
        Self { items: m.req("items") }
    }
}
