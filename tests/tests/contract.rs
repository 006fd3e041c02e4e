//! The generated Baike v1 client against its spec, computed rather than hand-listed.
//!
//! The spec is loaded and checked with `larkgen::check`; every endpoint of the resulting IR
//! must have exactly one descriptor in `baike_v1::endpoints::ALL` with the same method,
//! path, token kinds, app types, scopes, field scopes, limits, error table, body and
//! response kinds, idempotency and pagination — and `ALL` must hold nothing else. The
//! committed source must give each `resource.action` a `pub fn action` on its
//! `ResourceResource` handle and an error enum with one variant per declared code. Finally,
//! the spec itself must list the 13 endpoints of the official inventory.

use std::path::{Path, PathBuf};

use lark_client::baike_v1::endpoints::ALL;
use lark_client::runtime::{AppType, BodyKind, Endpoint, ErrorAction, Method, ResponseKind, TokenKind};
use larkgen::ir;

fn root() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).parent().expect("workspace root").to_path_buf()
}

/// The checked Baike v1 service of the spec.
fn service() -> ir::Service {
    let root = root();
    let checked = larkgen::check(&[root.join("spec/baike-v1.yaml")], &root);
    assert!(!checked.diagnostics.has_errors(), "spec errors:\n{}", checked.diagnostics.render_plain());
    let api = checked.api.expect("the spec checks");
    let service = api.services.into_iter().find(|s| s.qualified() == "baike.v1").expect("baike.v1 is in the spec");
    assert!(!service.endpoints.is_empty());
    service
}

/// The generated source of the Baike v1 module.
fn source() -> String {
    std::fs::read_to_string(root().join("generated/services/baike/src/baike_v1.rs")).expect("generated source")
}

fn descriptors_named(name: &str) -> Vec<&'static Endpoint> {
    ALL.iter().copied().filter(|d| d.name == name).collect()
}

fn method(m: ir::Method) -> Method {
    match m {
        ir::Method::Get => Method::Get,
        ir::Method::Post => Method::Post,
        ir::Method::Put => Method::Put,
        ir::Method::Patch => Method::Patch,
        ir::Method::Delete => Method::Delete,
    }
}

fn token(t: ir::Token) -> TokenKind {
    match t {
        ir::Token::Tenant => TokenKind::Tenant,
        ir::Token::User => TokenKind::User,
    }
}

fn app_type(t: ir::AppType) -> AppType {
    match t {
        ir::AppType::SelfBuilt => AppType::SelfBuilt,
        ir::AppType::Store => AppType::Store,
    }
}

fn action(a: ir::Action) -> ErrorAction {
    match a {
        ir::Action::None => ErrorAction::None,
        ir::Action::RefreshToken => ErrorAction::RefreshToken,
        ir::Action::RateLimited => ErrorAction::RateLimited,
        ir::Action::AuthFailed => ErrorAction::AuthFailed,
    }
}

fn body_kind(r: &Option<ir::RequestBody>) -> BodyKind {
    match r {
        None => BodyKind::None,
        Some(b) if b.multipart => BodyKind::Multipart,
        Some(_) => BodyKind::Json,
    }
}

fn response_kind(r: &ir::Response) -> ResponseKind {
    match r {
        ir::Response::Json(_) => ResponseKind::Json,
        ir::Response::Binary => ResponseKind::Binary,
        ir::Response::Empty => ResponseKind::Empty,
    }
}

/// Every IR field of one endpoint against its descriptor.
fn assert_descriptor_matches(e: &ir::Endpoint, d: &Endpoint) {
    let n = &e.name;
    assert_eq!(d.service, "baike.v1", "{n}: service");
    assert_eq!(d.method, method(e.method), "{n}: method");
    assert_eq!(d.path, e.path, "{n}: path");
    assert_eq!(d.summary, e.summary, "{n}: summary");
    assert_eq!(d.doc_url, e.doc, "{n}: doc");
    assert_eq!(d.token_kinds, e.tokens.iter().copied().map(token).collect::<Vec<_>>(), "{n}: tokens");
    assert_eq!(d.app_types, e.app_types.iter().copied().map(app_type).collect::<Vec<_>>(), "{n}: app types");
    assert_eq!(d.scopes, e.scopes.iter().map(String::as_str).collect::<Vec<_>>(), "{n}: scopes");
    let field_scopes: Vec<_> = d.field_scopes.iter().map(|f| (f.scope, f.param, f.equals)).collect();
    let expected: Vec<_> =
        e.field_scopes.iter().map(|f| (f.scope.as_str(), f.param.as_str(), f.equals.as_str())).collect();
    assert_eq!(field_scopes, expected, "{n}: field scopes");
    assert_eq!((d.limits.per_second, d.limits.per_minute), (e.per_second, e.per_minute), "{n}: limits");
    let errors: Vec<_> =
        d.errors.iter().map(|s| (s.name, s.code, s.http_status, s.message, s.hint, s.retryable, s.action)).collect();
    let expected: Vec<_> = e
        .errors
        .iter()
        .map(|x| (x.name.as_str(), x.code, x.http, x.message.as_str(), x.hint.as_str(), x.retryable, action(x.action)))
        .collect();
    assert_eq!(errors, expected, "{n}: errors");
    assert_eq!(d.request, body_kind(&e.request), "{n}: request body");
    assert_eq!(d.response, response_kind(&e.response), "{n}: response");
    assert_eq!(d.idempotent, e.idempotent, "{n}: idempotent");
    assert_eq!(d.paginated, e.pagination.is_some(), "{n}: paginated");
}

#[test]
fn every_spec_endpoint_has_exactly_one_identical_descriptor() {
    for e in &service().endpoints {
        let found = descriptors_named(&e.name);
        assert_eq!(found.len(), 1, "{}: {} descriptors", e.name, found.len());
        assert_descriptor_matches(e, found[0]);
    }
}

#[test]
fn every_descriptor_comes_from_the_spec() {
    let service = service();
    let spec: Vec<&str> = service.endpoints.iter().map(|e| e.name.as_str()).collect();
    let generated: Vec<&str> = ALL.iter().map(|d| d.name).collect();
    assert_eq!(generated, spec, "same endpoints, same order, no extras");
}

#[test]
fn the_spec_and_the_descriptors_use_the_declared_service_errors() {
    let service = service();
    for e in &service.endpoints {
        for err in &e.errors {
            let declared = service.errors.iter().find(|s| s.code == err.code);
            assert!(declared.is_some_and(|s| s.name == err.name && s.http == err.http), "{}: {}", e.name, err.code);
        }
    }
}

/// Rust keywords, written `r#…` when they name a method.
const KEYWORDS: &[&str] = &[
    "as", "async", "await", "break", "const", "continue", "crate", "dyn", "else", "enum", "extern", "false", "fn",
    "for", "gen", "if", "impl", "in", "let", "loop", "match", "mod", "move", "mut", "pub", "ref", "return", "static",
    "struct", "super", "trait", "true", "try", "type", "unsafe", "use", "where", "while", "abstract", "become", "box",
    "do", "final", "macro", "override", "priv", "typeof", "unsized", "virtual", "yield",
];

fn ident(name: &str) -> String {
    if KEYWORDS.contains(&name) { format!("r#{name}") } else { name.to_owned() }
}

fn camel(snake: &str) -> String {
    snake
        .split(['_', '.'])
        .map(|w| {
            let mut c = w.chars();
            c.next().map(|f| f.to_uppercase().chain(c).collect::<String>()).unwrap_or_default()
        })
        .collect()
}

/// The first `open … close` block after `header` (which must be present), with every run of
/// whitespace squashed to one space (the pretty-printer wraps long lines).
fn delimited(source: &str, header: &str, open: char, close: char) -> String {
    let found = source.find(header).unwrap_or_else(|| panic!("`{header}` is missing from the generated source"));
    let start = found + header.len();
    let from = start + source[start..].find(open).expect("block opens");
    let mut depth = 0usize;
    for (i, c) in source[from..].char_indices() {
        if c == open {
            depth += 1;
        } else if c == close {
            depth -= 1;
            if depth == 0 {
                return source[from..from + i + 1].split_whitespace().collect::<Vec<_>>().join(" ");
            }
        }
    }
    panic!("`{header}` block does not close")
}

fn block(source: &str, header: &str) -> String {
    delimited(source, header, '{', '}')
}

#[test]
fn every_endpoint_is_a_method_of_its_resource_handle() {
    let source = source();
    let client = block(&source, "impl Client ");
    for e in &service().endpoints {
        let resource = format!("{}Resource", camel(&e.resource));
        let accessor = format!("pub fn {}(&self) -> {resource}", ident(&e.resource));
        assert!(client.contains(&accessor), "Client lacks `{accessor}`");
        let methods = block(&source, &format!("impl {resource} "));
        let method = format!("pub fn {}(", ident(&e.action));
        assert!(methods.contains(&method), "{}: `{resource}` lacks `{method}`", e.name);
    }
    assert!(source.contains("pub fn r#match("), "`match` is a keyword: written r#match");
}

#[test]
fn every_endpoint_has_an_error_enum_with_its_declared_variants() {
    let source = source();
    for e in &service().endpoints {
        let name = format!("{}Error", camel(&e.name));
        // Plain code: the enum ends with the `Unhandled` catch-all (tests/ui:
        // error_enum_is_non_exhaustive), and `From<rt::Error>` maps each code to its variant.
        let variants = block(&source, &format!("pub enum {name} "));
        assert!(variants.contains("Unhandled(rt::Error)"), "{name} has no catch-all");
        let from = block(&source, &format!("impl From<rt::Error> for {name} "));
        for err in &e.errors {
            assert!(variants.contains(&format!("{}(Box<rt::ApiError>)", err.name)), "{name} lacks {}", err.name);
            let arm = format!("rt::Error::Api(api) if api.code == {} => Self::{}(api)", err.code, err.name);
            assert!(from.contains(&arm), "{name} does not map {}", err.code);
        }
    }
}

#[test]
fn every_endpoint_has_its_descriptor_constant() {
    let source = source();
    let all = delimited(&source, "pub static ALL: &[&rt::Endpoint] =", '[', ']');
    for e in &service().endpoints {
        let constant = e.name.replace('.', "_").to_uppercase();
        let header = format!("pub static {constant}: rt::Endpoint = rt::Endpoint {{");
        assert!(source.contains(&header), "`{header}` is missing");
        assert!(all.contains(&format!("&{constant},")), "ALL lacks {constant}");
    }
}

/// The official inventory (reference §1): 13 endpoints, no more, no fewer.
const INVENTORY: &[(&str, &str, &str)] = &[
    ("classification.list", "GET", "/open-apis/baike/v1/classifications"),
    ("draft.create", "POST", "/open-apis/baike/v1/drafts"),
    ("draft.update", "PUT", "/open-apis/baike/v1/drafts/{draft_id}"),
    ("entity.create", "POST", "/open-apis/baike/v1/entities"),
    ("entity.update", "PUT", "/open-apis/baike/v1/entities/{entity_id}"),
    ("entity.get", "GET", "/open-apis/baike/v1/entities/{entity_id}"),
    ("entity.list", "GET", "/open-apis/baike/v1/entities"),
    ("entity.match", "POST", "/open-apis/baike/v1/entities/match"),
    ("entity.search", "POST", "/open-apis/baike/v1/entities/search"),
    ("entity.highlight", "POST", "/open-apis/baike/v1/entities/highlight"),
    ("entity.extract", "POST", "/open-apis/baike/v1/entities/extract"),
    ("file.upload", "POST", "/open-apis/baike/v1/files/upload"),
    ("file.download", "GET", "/open-apis/baike/v1/files/{file_token}/download"),
];

#[test]
fn the_spec_covers_the_official_inventory() {
    let service = service();
    // As sets: the spec lists endpoints in the metadata's order.
    let mut spec: Vec<(&str, &str, &str)> =
        service.endpoints.iter().map(|e| (e.name.as_str(), e.method.as_str(), e.path.as_str())).collect();
    let mut inventory = INVENTORY.to_vec();
    spec.sort();
    inventory.sort();
    assert_eq!(spec, inventory);
}

#[test]
fn exactly_the_three_list_endpoints_page() {
    let paged: Vec<&str> = ALL.iter().filter(|d| d.paginated).map(|d| d.name).collect();
    assert_eq!(paged, ["classification.list", "entity.list", "entity.search"]);
}
