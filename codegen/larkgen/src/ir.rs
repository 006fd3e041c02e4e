//! The checked model the emitter works from: names resolved, types known, every rule of
//! `valid` already enforced. Emitting never fails and never looks at YAML.

/// Everything to generate.
#[derive(Debug, Clone)]
pub struct Api {
    /// The platform shared by all services.
    pub platform: Platform,
    /// The services, in input order.
    pub services: Vec<Service>,
}

/// What all endpoints share.
#[derive(Debug, Clone)]
pub struct Platform {
    /// Platform name.
    pub name: String,
    /// `(name, url)`, first is the default.
    pub base_urls: Vec<(String, String)>,
    /// Tenant-token endpoint path.
    pub tenant_token_path: String,
    /// Refresh margin in seconds.
    pub refresh_margin_secs: u64,
    /// Log id header.
    pub log_id_header: String,
    /// Platform error codes.
    pub errors: Vec<ErrorEntry>,
}

/// Runtime reaction to an error code.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Action {
    /// Surface it.
    None,
    /// Evict the tenant token and retry once.
    RefreshToken,
    /// Wait and retry.
    RateLimited,
    /// Credentials refused.
    AuthFailed,
}

/// A row of an error table.
#[derive(Debug, Clone)]
pub struct ErrorEntry {
    /// The name of its constant in an error table (`INVALID_PARAM`).
    pub constant: String,
    /// Variant name.
    pub name: String,
    /// Lark code.
    pub code: i64,
    /// HTTP status.
    pub http: u16,
    /// Message.
    pub message: String,
    /// Hint.
    pub hint: String,
    /// Retry may succeed.
    pub retryable: bool,
    /// Runtime reaction.
    pub action: Action,
}

/// One service (e.g. baike v1).
#[derive(Debug, Clone)]
pub struct Service {
    /// `baike`.
    pub name: String,
    /// `v1`.
    pub version: String,
    /// Title.
    pub title: String,
    /// Description.
    pub description: Option<String>,
    /// Documentation URL.
    pub doc: Option<String>,
    /// Named types.
    pub types: Vec<TypeDef>,
    /// Shared error table.
    pub errors: Vec<ErrorEntry>,
    /// Endpoints, in spec order.
    pub endpoints: Vec<Endpoint>,
}

impl Service {
    /// Module name: `baike_v1`.
    pub fn module(&self) -> String {
        format!("{}_{}", self.name, self.version)
    }

    /// `baike.v1`.
    pub fn qualified(&self) -> String {
        format!("{}.{}", self.name, self.version)
    }

    /// A type by name.
    pub fn type_def(&self, name: &str) -> Option<&TypeDef> {
        self.types.iter().find(|t| t.name == name)
    }
}

/// A named type.
#[derive(Debug, Clone)]
pub struct TypeDef {
    /// Name.
    pub name: String,
    /// Description.
    pub description: Option<String>,
    /// Shape.
    pub kind: TypeKind,
}

/// Shapes of named types.
#[derive(Debug, Clone)]
pub enum TypeKind {
    /// Id newtype over a string.
    Newtype,
    /// Open string enum.
    StringEnum(Vec<EnumValue>),
    /// Open integer enum.
    IntEnum(Vec<EnumValue>),
    /// An object.
    Struct(Struct),
    /// JSON carried in a string field, its kind named by a sibling field.
    TaggedJson(Vec<Kind>),
}

/// One kind of a tagged JSON type.
#[derive(Debug, Clone)]
pub struct Kind {
    /// The sibling field's value (`share_chat`).
    pub tag: String,
    /// Variant name (`ShareChat`).
    pub variant: String,
    /// Constructor name (`share_chat`).
    pub constructor: String,
    /// The object type of the content, or `json` (any JSON).
    pub ty: String,
    /// Description.
    pub description: Option<String>,
}

impl Kind {
    /// Whether the content is any JSON (`rt::Json`) rather than an object type.
    pub fn is_json(&self) -> bool {
        self.ty == "json"
    }
}

/// One enum value.
#[derive(Debug, Clone)]
pub struct EnumValue {
    /// Variant name.
    pub variant: String,
    /// Wire value (string) — for integer enums, its decimal form.
    pub wire: String,
    /// Description.
    pub description: Option<String>,
}

/// An object type.
#[derive(Debug, Clone)]
pub struct Struct {
    /// Fields in order.
    pub fields: Vec<Field>,
    /// At least one of these fields must be set.
    pub at_least_one_of: Vec<String>,
    /// Sent as `multipart/form-data` (has a `binary` field).
    pub multipart: bool,
}

/// A field or parameter.
#[derive(Debug, Clone)]
pub struct Field {
    /// The Rust field, parameter or argument name (`page_token`, `r#type`).
    pub rust: String,
    /// Wire name.
    pub name: String,
    /// Type.
    pub ty: Ty,
    /// Must be present.
    pub required: bool,
    /// Description.
    pub description: Option<String>,
    /// Documented server default.
    pub default: Option<String>,
    /// Example value.
    pub example: Option<String>,
    /// Constraints.
    pub rules: Rules,
    /// For a field of a tagged JSON type: the sibling key that names its kind.
    pub tag_field: Option<String>,
    /// The content type a `binary` field's part is sent with when the call sets none.
    pub content_type: Option<String>,
}

/// Type expressions.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Ty {
    /// `string`
    String,
    /// `boolean`
    Bool,
    /// `i32`
    I32,
    /// `i64`
    I64,
    /// `f64`
    F64,
    /// `i64_string`: an `i64` carried as a JSON string.
    I64String,
    /// `json`: any JSON value.
    Json,
    /// `binary` (multipart file)
    Binary,
    /// A named type.
    Named(String),
    /// `T[]`
    List(Box<Ty>),
    /// `map<string, T>`: a JSON object with any keys.
    Map(Box<Ty>),
}

impl Ty {
    /// The type under lists and maps (`User` for `map<string, User[]>`).
    pub fn leaf(&self) -> &Ty {
        match self {
            Ty::List(inner) | Ty::Map(inner) => inner.leaf(),
            other => other,
        }
    }
}

/// Constraints of a field.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Rules {
    /// Characters.
    pub min_length: Option<u64>,
    /// Characters.
    pub max_length: Option<u64>,
    /// Items.
    pub min_items: Option<u64>,
    /// Items.
    pub max_items: Option<u64>,
    /// Value.
    pub min: Option<i64>,
    /// Value.
    pub max: Option<i64>,
    /// Forbidden characters.
    pub forbidden_chars: String,
    /// Allowed extensions.
    pub extensions: Vec<String>,
    /// File size.
    pub min_bytes: Option<u64>,
    /// File size.
    pub max_bytes: Option<u64>,
}

/// HTTP methods.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Method {
    /// GET
    Get,
    /// POST
    Post,
    /// PUT
    Put,
    /// PATCH
    Patch,
    /// DELETE
    Delete,
}

impl Method {
    /// Upper-case name.
    pub fn as_str(self) -> &'static str {
        match self {
            Method::Get => "GET",
            Method::Post => "POST",
            Method::Put => "PUT",
            Method::Patch => "PATCH",
            Method::Delete => "DELETE",
        }
    }
}

/// Token kinds.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Token {
    /// tenant_access_token
    Tenant,
    /// user_access_token
    User,
}

/// App types.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum AppType {
    /// Self-built app.
    SelfBuilt,
    /// Store app.
    Store,
}

/// Request body.
#[derive(Debug, Clone)]
pub struct RequestBody {
    /// Multipart instead of JSON.
    pub multipart: bool,
    /// Named type.
    pub ty: String,
    /// Must be sent.
    pub required: bool,
}

/// Response shapes.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Response {
    /// JSON `data` of a named type.
    Json(String),
    /// A file.
    Binary,
    /// Nothing useful.
    Empty,
}

/// Pagination.
#[derive(Debug, Clone)]
pub struct Pagination {
    /// Items field of the response type.
    pub items_field: String,
    /// Item type.
    pub item_ty: Ty,
}

/// A conditional scope: needed when the parameter has the value. A scope with several
/// conditions is one `FieldScope` per condition (it is needed when any holds).
#[derive(Debug, Clone)]
pub struct FieldScope {
    /// Scope.
    pub scope: String,
    /// Parameter.
    pub param: String,
    /// Value.
    pub equals: String,
}

/// One endpoint.
#[derive(Debug, Clone)]
pub struct Endpoint {
    /// The Rust names of what is generated for it.
    pub rust: EndpointNames,
    /// `resource.action`.
    pub name: String,
    /// `resource`.
    pub resource: String,
    /// `action`.
    pub action: String,
    /// Summary.
    pub summary: String,
    /// Description.
    pub description: Option<String>,
    /// Doc URL.
    pub doc: String,
    /// Method.
    pub method: Method,
    /// Path template.
    pub path: String,
    /// Path parameters, in path order.
    pub path_params: Vec<Field>,
    /// Query parameters.
    pub query_params: Vec<Field>,
    /// Header parameters (`name` is the header as the spec spells it, `X-Request-Id`).
    pub header_params: Vec<Field>,
    /// Tokens.
    pub tokens: Vec<Token>,
    /// App types.
    pub app_types: Vec<AppType>,
    /// Per second.
    pub per_second: Option<u32>,
    /// Per minute.
    pub per_minute: Option<u32>,
    /// Any-of scopes.
    pub scopes: Vec<String>,
    /// Field scopes.
    pub field_scopes: Vec<FieldScope>,
    /// Request body.
    pub request: Option<RequestBody>,
    /// Response.
    pub response: Response,
    /// Pagination.
    pub pagination: Option<Pagination>,
    /// Declared errors (resolved).
    pub errors: Vec<ErrorEntry>,
    /// Idempotent.
    pub idempotent: bool,
}

/// The Rust names of an endpoint's generated items, decided while checking.
#[derive(Debug, Clone)]
pub struct EndpointNames {
    /// The resource handle's accessor on the service client (`entity`).
    pub resource: String,
    /// The resource handle type (`EntityResource`).
    pub handle: String,
    /// The method on the handle (`get`).
    pub method: String,
    /// The request builder (`EntityGetRequest`).
    pub builder: String,
    /// The error enum (`EntityGetError`).
    pub error: String,
    /// The descriptor static in `endpoints` (`ENTITY_GET`).
    pub descriptor: String,
}
