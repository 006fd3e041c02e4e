//! The spec as written in YAML (format v1, see docs/spec-format.md). Each block is declared
//! once, with the key each field is read from and whether it is required (`req`), optional
//! (`opt`) or defaults when absent (`or_default`); the keys a block reads are the keys it
//! allows (shape.rs). Values that rules check are `Spanned`, so every diagnostic can point at
//! its file, line and column. Nothing here is checked yet: `valid` turns it into the IR.

pub use crate::shape::Spanned;
use crate::shape::{Fields, FromMap, FromNode, Shape, Whose};
use crate::yaml::{Node, Value};

/// A YAML string, with its location.
pub type Str = Spanned<String>;

/// Declares a block of the spec: the struct, and how it is read from a YAML mapping.
macro_rules! blocks {
    ($($(#[$meta:meta])* $name:ident ($what:literal $(, extensions: $ext:literal)?) {
        $($(#[$fmeta:meta])* $field:ident: $ty:ty = $how:ident $key:literal,)*
    })*) => {$(
        $(#[$meta])*
        #[derive(Debug, Default)]
        pub struct $name {
            $($(#[$fmeta])* pub $field: $ty,)*
        }

        impl FromMap for $name {
            const WHAT: &'static str = $what;
            $(const EXTENSIONS: bool = $ext;)?
            fn from_map(m: &mut Fields<'_, '_, '_>) -> Self {
                Self { $($field: m.$how($key),)* }
            }
        }
    )*};
}

blocks! {
    /// A file describing one service. Top-level keys starting with `x-` (such as `x-anchors`,
    /// the place for YAML anchors) are ignored; any other unknown key is an error.
    ServiceFile("a service file (top level)", extensions: true) {
        /// Name, version, docs and the platform file.
        service: Spanned<ServiceHeader> = req "service",
        /// The service's shared error table.
        errors: Vec<Spanned<ErrorDef>> = or_default "errors",
        /// Named types.
        types: Vec<Spanned<TypeDef>> = or_default "types",
        /// The endpoints.
        endpoints: Spanned<Vec<Spanned<EndpointDef>>> = req "endpoints",
    }

    /// `service:` block.
    ServiceHeader("the `service` block") {
        /// Service name, e.g. `baike`.
        name: Str = req "name",
        /// Version, e.g. `v1`.
        version: Str = req "version",
        /// Human title.
        title: String = req "title",
        /// What the service is for.
        description: Option<String> = opt "description",
        /// Official documentation.
        doc: Option<String> = opt "doc",
        /// Path of the platform file, relative to this file.
        platform: Str = req "platform",
    }

    /// A file describing the platform.
    PlatformFile("a platform file (top level)") {
        /// The `platform:` block.
        platform: Spanned<PlatformDef> = req "platform",
    }

    /// `platform:` block.
    PlatformDef("the `platform` block") {
        /// Platform name.
        name: Str = req "name",
        /// Named base URLs; the first is the default.
        base_urls: Spanned<Vec<Spanned<BaseUrlDef>>> = req "base_urls",
        /// Field names of the response envelope.
        envelope: Spanned<EnvelopeDef> = req "envelope",
        /// The tenant-token endpoint.
        tenant_token: Spanned<TenantTokenDef> = req "tenant_token",
        /// Platform error codes.
        errors: Vec<Spanned<ErrorDef>> = or_default "errors",
    }

    /// One base URL.
    BaseUrlDef("a base URL") {
        /// Region name (`feishu`, `lark`).
        name: Str = req "name",
        /// `https://…`, no trailing slash.
        url: Str = req "url",
    }

    /// Field names of the envelope.
    EnvelopeDef("`envelope`") {
        /// Error code field (`code`).
        code_field: Str = req "code_field",
        /// Message field (`msg`).
        message_field: Str = req "message_field",
        /// Payload field (`data`).
        data_field: Str = req "data_field",
        /// Diagnostics field (`error`).
        error_field: Str = req "error_field",
        /// Response header with the log id.
        log_id_header: Str = req "log_id_header",
    }

    /// The tenant-token endpoint of self-built apps.
    TenantTokenDef("`tenant_token`") {
        /// Its path.
        path: Str = req "path",
        /// Its documentation, for readers of the spec.
        #[allow(dead_code)]
        doc: Option<String> = opt "doc",
        /// Refresh this many seconds before expiry.
        refresh_margin_seconds: Spanned<u64> = req "refresh_margin_seconds",
    }

    /// One error code.
    ErrorDef("an error") {
        /// Variant name (UpperCamelCase).
        name: Str = req "name",
        /// Lark error code.
        code: Spanned<i64> = req "code",
        /// HTTP status sent with it.
        http: Spanned<u16> = req "http",
        /// Documented message.
        message: String = req "message",
        /// How to fix it.
        hint: String = req "hint",
        /// Whether a retry may succeed.
        retryable: bool = or_default "retryable",
        /// Runtime reaction: `refresh_token`, `rate_limited` or `auth_failed`.
        action: Option<Str> = opt "action",
    }

    /// A named type: exactly one of `newtype`, `enum` + `values`, or `fields`.
    TypeDef("a type") {
        /// Type name (UpperCamelCase).
        name: Str = req "name",
        /// What it is.
        description: Option<String> = opt "description",
        /// `string`: an id newtype over a string.
        newtype: Option<Str> = opt "newtype",
        /// `string` or `integer`: an open enum.
        enum_repr: Option<Str> = opt "enum",
        /// Values of an enum.
        values: Option<Vec<Spanned<EnumValueDef>>> = opt "values",
        /// Fields of an object.
        fields: Option<Spanned<Vec<Spanned<FieldDef>>>> = opt "fields",
        /// Fields of which at least one must be set.
        at_least_one_of: Option<Spanned<Vec<Str>>> = opt "at_least_one_of",
    }

    /// One enum value.
    EnumValueDef("an enum value") {
        /// The value on the wire.
        value: Spanned<Scalar> = req "value",
        /// Variant name; derived from a string value when absent.
        name: Option<Str> = opt "name",
        /// What it means.
        description: Option<String> = opt "description",
    }

    /// A field of an object type, or a parameter of an endpoint (`in: path|query`).
    FieldDef("a field or parameter") {
        /// JSON / wire name.
        name: Str = req "name",
        /// `path` or `query` (parameters only).
        location: Option<Str> = opt "in",
        /// Type expression: `string`, `boolean`, `i32`, `i64`, `f64`, `binary`, a type name, or `T[]`.
        ty: Str = req "type",
        /// Whether it must be present.
        required: bool = or_default "required",
        /// What it is.
        description: Option<String> = opt "description",
        /// Server-side default (documentation only).
        default: Option<Spanned<Scalar>> = opt "default",
        /// Example value (documentation only).
        example: Option<Spanned<Scalar>> = opt "example",
        /// Minimum length in characters.
        min_length: Option<Spanned<u64>> = opt "min_length",
        /// Maximum length in characters.
        max_length: Option<Spanned<u64>> = opt "max_length",
        /// Minimum number of items.
        min_items: Option<Spanned<u64>> = opt "min_items",
        /// Maximum number of items.
        max_items: Option<Spanned<u64>> = opt "max_items",
        /// Minimum value.
        min: Option<Spanned<i64>> = opt "min",
        /// Maximum value.
        max: Option<Spanned<i64>> = opt "max",
        /// Characters the value must not contain.
        forbidden_chars: Option<Str> = opt "forbidden_chars",
        /// Allowed file-name extensions.
        extensions: Option<Vec<String>> = opt "extensions",
        /// Minimum file size in bytes (`binary` fields).
        min_bytes: Option<Spanned<u64>> = opt "min_bytes",
        /// Maximum file size in bytes (`binary` fields).
        max_bytes: Option<Spanned<u64>> = opt "max_bytes",
    }

    /// One endpoint.
    EndpointDef("an endpoint") {
        /// `resource.action`.
        name: Str = req "name",
        /// One-line summary.
        summary: Str = req "summary",
        /// Longer description.
        description: Option<String> = opt "description",
        /// Official documentation.
        doc: Str = req "doc",
        /// HTTP method.
        method: Str = req "method",
        /// Path template with `{param}` placeholders.
        path: Str = req "path",
        /// Accepted tokens: `tenant`, `user`.
        tokens: Spanned<Vec<Str>> = req "tokens",
        /// Allowed app types: `self_built`, `store`.
        app_types: Option<Vec<Str>> = opt "app_types",
        /// Rate limits.
        limits: Option<Spanned<LimitsDef>> = opt "limits",
        /// Overrides the idempotency implied by the method.
        idempotent: Option<bool> = opt "idempotent",
        /// Scopes.
        scopes: Option<Spanned<ScopesDef>> = opt "scopes",
        /// Path and query parameters.
        params: Option<Vec<Spanned<FieldDef>>> = opt "params",
        /// Request body.
        request: Option<Spanned<BodyDef>> = opt "request",
        /// Response body.
        response: Spanned<BodyDef> = req "response",
        /// `page_token` pagination.
        pagination: Option<Spanned<PaginationDef>> = opt "pagination",
        /// Names of errors from the service table.
        errors: Option<Spanned<Vec<Str>>> = opt "errors",
    }

    /// Rate limits.
    LimitsDef("`limits`") {
        /// Requests per second.
        per_second: Option<Spanned<u32>> = opt "per_second",
        /// Requests per minute.
        per_minute: Option<Spanned<u32>> = opt "per_minute",
    }

    /// Scopes of an endpoint.
    ScopesDef("`scopes`") {
        /// Any one of these is enough.
        any_of: Spanned<Vec<Str>> = req "any_of",
        /// Scopes needed for some parameter values.
        fields: Option<Vec<Spanned<FieldScopeDef>>> = opt "fields",
    }

    /// A conditional field scope.
    FieldScopeDef("a field scope") {
        /// The scope.
        scope: Str = req "scope",
        /// `param=value`.
        when: Str = req "when",
    }

    /// A request or response body.
    BodyDef("a request or response body") {
        /// `json`, `multipart` (requests), `binary` or `empty` (responses).
        kind: Str = req "kind",
        /// The named type of the body (requests) or of `data` (responses).
        ty: Option<Str> = opt "type",
        /// Whether a request body is required (default true).
        required: Option<bool> = opt "required",
    }

    /// `page_token` pagination.
    PaginationDef("`pagination`") {
        /// Field of the response type holding the page's items.
        items: Str = req "items",
    }
}

/// A value of a string or integer enum, a default or an example.
#[derive(Debug)]
pub enum Scalar {
    /// An integer.
    Int(i64),
    /// A boolean.
    Bool(bool),
    /// A string.
    Str(String),
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
