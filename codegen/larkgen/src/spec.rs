//! The spec as written in YAML (format v2, see docs/spec-format.md). Each block is declared
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
        service: Spanned<ServiceHeader> = req "service",                  // Name, version, docs, platform file.
        errors: Vec<Spanned<ErrorDef>> = or_default "errors",             // The service's shared error table.
        types: Vec<Spanned<TypeDef>> = or_default "types",                // Named types.
        endpoints: Spanned<Vec<Spanned<EndpointDef>>> = req "endpoints",  // The endpoints.
    }

    /// `service:` block.
    ServiceHeader("the `service` block") {
        name: Str = req "name",                           // Service name, e.g. `baike`.
        version: Str = req "version",                     // Version, e.g. `v1`.
        title: String = req "title",                      // Human title.
        description: Option<String> = opt "description",  // What the service is for.
        doc: Option<String> = opt "doc",                  // Official documentation.
        platform: Str = req "platform",                   // Platform file, relative to this one.
    }

    /// A file describing the platform.
    PlatformFile("a platform file (top level)") {
        platform: Spanned<PlatformDef> = req "platform",  // The `platform:` block.
    }

    /// `platform:` block.
    PlatformDef("the `platform` block") {
        name: Str = req "name",                                          // Platform name.
        base_urls: Spanned<Vec<Spanned<BaseUrlDef>>> = req "base_urls",  // Named base URLs; the first is the default.
        envelope: Spanned<EnvelopeDef> = req "envelope",                 // Field names of the response envelope.
        tenant_token: Spanned<TenantTokenDef> = req "tenant_token",      // The tenant-token endpoint.
        errors: Vec<Spanned<ErrorDef>> = or_default "errors",            // Platform error codes.
    }

    /// One base URL.
    BaseUrlDef("a base URL") {
        name: Str = req "name",  // Region name (`feishu`, `lark`).
        url: Str = req "url",    // `https://…`, no trailing slash.
    }

    /// Field names of the envelope.
    EnvelopeDef("`envelope`") {
        code_field: Str = req "code_field",        // Error code field (`code`).
        message_field: Str = req "message_field",  // Message field (`msg`).
        data_field: Str = req "data_field",        // Payload field (`data`).
        error_field: Str = req "error_field",      // Diagnostics field (`error`).
        log_id_header: Str = req "log_id_header",  // Response header with the log id.
    }

    /// The tenant-token endpoint of self-built apps.
    TenantTokenDef("`tenant_token`") {
        path: Str = req "path",                                               // Its path.
        #[allow(dead_code)]
        doc: Option<String> = opt "doc",                                      // For readers of the spec.
        refresh_margin_seconds: Spanned<u64> = req "refresh_margin_seconds",  // Refresh this long before expiry.
    }

    /// One error code.
    ErrorDef("an error") {
        name: Str = req "name",                    // Variant name (UpperCamelCase).
        code: Spanned<i64> = req "code",           // Lark error code.
        http: Spanned<u16> = req "http",           // HTTP status sent with it.
        message: String = req "message",           // Documented message.
        hint: String = req "hint",                 // How to fix it.
        retryable: bool = or_default "retryable",  // Whether a retry may succeed.
        action: Option<Str> = opt "action",        // `refresh_token`, `rate_limited` or `auth_failed`.
    }

    /// A named type: exactly one of `newtype`, `enum` + `values`, `fields` or `tagged_json`.
    TypeDef("a type") {
        name: Str = req "name",                                              // Type name (UpperCamelCase).
        description: Option<String> = opt "description",                     // What it is.
        newtype: Option<Str> = opt "newtype",                                // `string`: an id newtype over a string.
        enum_repr: Option<Str> = opt "enum",                                 // `string` or `integer`: an open enum.
        values: Option<Vec<Spanned<EnumValueDef>>> = opt "values",           // Values of an enum.
        fields: Option<Spanned<Vec<Spanned<FieldDef>>>> = opt "fields",      // Fields of an object.
        at_least_one_of: Option<Spanned<Vec<Str>>> = opt "at_least_one_of",  // At least one of these is set.
        tagged_json: Option<Spanned<TaggedJsonDef>> = opt "tagged_json",     // JSON in a string, its kind named by a sibling.
    }

    /// `tagged_json:` a JSON document carried in a string field, its kind named by a sibling
    /// field (the using field's `tag_field`).
    TaggedJsonDef("`tagged_json`") {
        kinds: Spanned<Vec<Spanned<KindDef>>> = req "kinds",  // One per documented tag.
    }

    /// One kind of a `tagged_json` type.
    KindDef("a kind") {
        tag: Str = req "tag",                             // The sibling field's value (`text`).
        ty: Str = req "type",                             // The object type of the content.
        description: Option<String> = opt "description",  // What it is.
    }

    /// One enum value.
    EnumValueDef("an enum value") {
        value: Spanned<Scalar> = req "value",             // The value on the wire.
        name: Option<Str> = opt "name",                   // Variant name; derived from a string value when absent.
        description: Option<String> = opt "description",  // What it means.
    }

    /// A field of an object type, or a parameter of an endpoint (`in: path|query|header`).
    FieldDef("a field or parameter") {
        name: Str = req "name",                                // JSON / wire name.
        location: Option<Str> = opt "in",                      // `path`, `query` or `header` (parameters only).
        ty: Str = req "type",                                  // A type expression (spec-format.md).
        required: bool = or_default "required",                // Whether it must be present.
        description: Option<String> = opt "description",       // What it is.
        default: Option<Spanned<Scalar>> = opt "default",      // Server-side default (documentation only).
        example: Option<Spanned<Scalar>> = opt "example",      // Example value (documentation only).
        min_length: Option<Spanned<u64>> = opt "min_length",   // Minimum length in characters.
        max_length: Option<Spanned<u64>> = opt "max_length",   // Maximum length in characters.
        min_items: Option<Spanned<u64>> = opt "min_items",     // Minimum number of items.
        max_items: Option<Spanned<u64>> = opt "max_items",     // Maximum number of items.
        min: Option<Spanned<i64>> = opt "min",                 // Minimum value.
        max: Option<Spanned<i64>> = opt "max",                 // Maximum value.
        forbidden_chars: Option<Str> = opt "forbidden_chars",  // Characters the value must not contain.
        extensions: Option<Vec<String>> = opt "extensions",    // Allowed file-name extensions.
        min_bytes: Option<Spanned<u64>> = opt "min_bytes",     // Minimum file size in bytes (`binary` fields).
        max_bytes: Option<Spanned<u64>> = opt "max_bytes",     // Maximum file size in bytes (`binary` fields).
        tag_field: Option<Str> = opt "tag_field",              // The sibling naming a `tagged_json` value's kind.
        content_type: Option<Str> = opt "content_type",        // Default content type of a `binary` field's part.
    }

    /// One endpoint.
    EndpointDef("an endpoint") {
        name: Str = req "name",                                         // `resource.action`.
        summary: Str = req "summary",                                   // One-line summary.
        description: Option<String> = opt "description",                // Longer description.
        doc: Str = req "doc",                                           // Official documentation.
        method: Str = req "method",                                     // HTTP method.
        path: Str = req "path",                                         // Path template with `{param}` placeholders.
        tokens: Spanned<Vec<Str>> = req "tokens",                       // Accepted tokens: `tenant`, `user`.
        app_types: Option<Vec<Str>> = opt "app_types",                  // Allowed app types: `self_built`, `store`.
        limits: Option<Spanned<LimitsDef>> = opt "limits",              // Rate limits.
        idempotent: Option<bool> = opt "idempotent",                    // Overrides the method's.
        scopes: Option<Spanned<ScopesDef>> = opt "scopes",              // Scopes.
        params: Option<Vec<Spanned<FieldDef>>> = opt "params",          // Path, query and header parameters.
        request: Option<Spanned<BodyDef>> = opt "request",              // Request body.
        response: Spanned<BodyDef> = req "response",                    // Response body.
        pagination: Option<Spanned<PaginationDef>> = opt "pagination",  // `page_token` pagination.
        errors: Option<Spanned<Vec<Str>>> = opt "errors",               // Names of errors from the service table.
    }

    /// Rate limits.
    LimitsDef("`limits`") {
        per_second: Option<Spanned<u32>> = opt "per_second",  // Requests per second.
        per_minute: Option<Spanned<u32>> = opt "per_minute",  // Requests per minute.
    }

    /// Scopes of an endpoint.
    ScopesDef("`scopes`") {
        any_of: Spanned<Vec<Str>> = req "any_of",                    // Any one of these is enough.
        fields: Option<Vec<Spanned<FieldScopeDef>>> = opt "fields",  // Scopes needed for some parameter values.
    }

    /// A conditional field scope.
    FieldScopeDef("a field scope") {
        scope: Str = req "scope",                   // The scope.
        when: Spanned<Conditions> = req "when",     // `param=value`, or a list of them (any one).
    }

    /// A request or response body.
    BodyDef("a request or response body") {
        kind: Str = req "kind",                   // `json`, `multipart` (requests), `binary` or `empty` (responses).
        ty: Option<Str> = opt "type",             // The named type of the body (requests) or of `data` (responses).
        required: Option<bool> = opt "required",  // Whether a request body is required (default true).
    }

    /// `page_token` pagination.
    PaginationDef("`pagination`") {
        items: Str = req "items",  // Field of the response type holding the page's items.
    }
}

/// `when:` of a field scope: one `param=value` condition, or a list of them.
#[derive(Debug, Default)]
pub struct Conditions(pub Vec<Str>);

impl FromNode for Conditions {
    fn from_node(node: &Node, cx: &mut Shape<'_>, whose: Whose<'_>) -> Option<Self> {
        match &node.value {
            Value::Seq(_) => Vec::<Str>::from_node(node, cx, whose).map(Conditions),
            _ => Str::from_node(node, cx, whose).map(|c| Conditions(vec![c])),
        }
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
