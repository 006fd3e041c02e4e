//! Rules of endpoints: names, methods, paths and their parameters, tokens, limits,
//! scopes, bodies, pagination and error references.

use std::collections::HashMap;

use crate::shape::Spanned;

use super::types::{Declared, TypeIndex, parse_ty};
use super::{Ctx, names};
use crate::ir::{self, Ty};
use crate::load::did_you_mean;
use crate::names::{CLIENT_MEMBERS, HANDLE_MEMBERS, NOT_RAW};
use crate::spec;

/// Checks the endpoints; `declared` holds every type name of the spec, `types` the types
/// that passed their checks (a reference to a declared but broken type is not reported
/// again).
pub(crate) fn check_endpoints(
    ctx: &mut Ctx<'_>,
    defs: &Spanned<Vec<Spanned<spec::EndpointDef>>>,
    declared: &Declared<'_>,
    types: &TypeIndex<'_>,
    errors: &[ir::ErrorEntry],
) -> Vec<ir::Endpoint> {
    if defs.value.is_empty() {
        ctx.error(
            defs,
            "the service has no endpoints",
            "empty list",
            "describe at least one endpoint under `endpoints:`",
        );
    }
    let mut seen: HashMap<&str, &Spanned<String>> = HashMap::new();
    let mut out = Vec::new();
    for d in &defs.value {
        let first = seen.get(d.value.name.value.as_str()).copied();
        if let Some(first) = first {
            ctx.diags.error(
                &ctx.loc_also(&d.value.name, first, "first declared here"),
                format!("endpoint `{}` is declared twice", d.value.name.value),
                "duplicate endpoint",
                "each `resource.action` names one endpoint; rename or remove one of them",
            );
        }
        seen.entry(&d.value.name.value).or_insert(&d.value.name);
        // A duplicate is still checked, but not generated.
        if let Some(e) = check_endpoint(ctx, &d.value, declared, types, errors).filter(|_| first.is_none()) {
            out.push(e);
        }
    }
    check_pagination_types(ctx, defs, &out);
    out
}

fn check_endpoint(
    ctx: &mut Ctx<'_>,
    d: &spec::EndpointDef,
    known: &Declared<'_>,
    types: &TypeIndex<'_>,
    errors: &[ir::ErrorEntry],
) -> Option<ir::Endpoint> {
    let (resource, action) = match d.name.value.split_once('.') {
        Some((r, a)) if names::is_snake(r) && names::is_snake(a) && !a.contains('.') => (r.to_owned(), a.to_owned()),
        _ => {
            ctx.error(
                &d.name,
                format!("endpoint name `{}` is not `resource.action`", d.name.value),
                "bad endpoint name",
                "write it as lower snake_case `resource.action`, e.g. `file.download`",
            );
            return None;
        }
    };
    // Keywords are emitted as raw identifiers (`r#match`); these few cannot be, and the
    // client and handles have methods of their own.
    let reserved = |name: &str, members: &[&str]| NOT_RAW.contains(&name) || members.contains(&name);
    if reserved(&action, HANDLE_MEMBERS) || reserved(&resource, CLIENT_MEMBERS) {
        ctx.error(
            &d.name,
            format!("`{}` cannot become a method name", d.name.value),
            "reserved method name",
            "rename the resource or action",
        );
    }
    use ir::Method::{Delete, Get, Patch, Post, Put};
    const METHODS: [ir::Method; 5] = [Get, Post, Put, Patch, Delete];
    let upper = d.method.value.to_ascii_uppercase();
    let method = METHODS.into_iter().find(|m| m.as_str() == upper).unwrap_or_else(|| {
        let hint =
            did_you_mean(&d.method.value, METHODS.map(ir::Method::as_str), "use GET, POST, PUT, PATCH or DELETE");
        ctx.error(&d.method, format!("`{}` is not an HTTP method", d.method.value), "invalid method", hint);
        Get
    });
    if d.method.value != method.as_str() && d.method.value.eq_ignore_ascii_case(method.as_str()) {
        ctx.warning(
            &d.method,
            format!("HTTP methods are written in capitals: `{}`", method.as_str()),
            "not in capitals",
            format!("write `method: {}`, as the official docs do", method.as_str()),
        );
    }
    if !d.doc.value.starts_with("https://") {
        ctx.error(
            &d.doc,
            "the doc link must be an https URL",
            "not a URL",
            "link the official page, e.g. https://open.feishu.cn/document/...",
        );
    }
    if d.summary.value.trim().is_empty() {
        ctx.error(&d.summary, "the summary is empty", "empty", "say in one line what the endpoint does");
    }
    let tokens = check_tokens(ctx, &d.tokens);
    let app_types = check_app_types(ctx, d.app_types.as_deref());
    let (per_second, per_minute) = check_limits(ctx, d.limits.as_ref());
    let super::params::Params { path: path_params, query: query_params, header: header_params } =
        super::params::check_params(ctx, d, known, types);
    let (scopes, field_scopes) = super::scopes::check_scopes(ctx, d.scopes.as_ref(), &query_params, types);
    let request = check_request(ctx, d.request.as_ref(), method, known, types);
    let response = check_response(ctx, &d.response, known, types);
    let pagination = check_pagination(ctx, d, &response, &query_params, types);
    let errors = check_error_refs(ctx, d, errors);
    let stem = crate::names::endpoint_stem(&resource, &action);
    let rust = ir::EndpointNames {
        resource: crate::names::field(&resource),
        handle: crate::names::resource_handle(&resource),
        method: crate::names::field(&action),
        builder: format!("{stem}Request"),
        error: format!("{stem}Error"),
        descriptor: crate::names::constant(&[&resource, &action]),
    };
    Some(ir::Endpoint {
        rust,
        name: d.name.value.clone(),
        resource,
        action,
        summary: d.summary.value.clone(),
        description: d.description.clone(),
        doc: d.doc.value.clone(),
        method,
        path: d.path.value.clone(),
        path_params,
        query_params,
        header_params,
        tokens,
        app_types,
        per_second,
        per_minute,
        scopes,
        field_scopes,
        request,
        response,
        pagination,
        errors,
        idempotent: d.idempotent.unwrap_or(!matches!(method, ir::Method::Post | ir::Method::Patch)),
    })
}

fn check_tokens(ctx: &mut Ctx<'_>, tokens: &Spanned<Vec<Spanned<String>>>) -> Vec<ir::Token> {
    let mut out = Vec::new();
    for t in &tokens.value {
        let kind = match t.value.as_str() {
            "tenant" => ir::Token::Tenant,
            "user" => ir::Token::User,
            other => {
                let hint = did_you_mean(other, ["tenant", "user"], "token kinds are `tenant` and `user`");
                ctx.error(t, format!("unknown token kind `{other}`"), "unknown token kind", hint);
                continue;
            }
        };
        if out.contains(&kind) {
            ctx.error(t, format!("token kind `{}` is listed twice", t.value), "duplicate", "list each kind once");
        }
        out.push(kind);
    }
    if tokens.value.is_empty() {
        ctx.error(tokens, "the endpoint accepts no token", "empty list", "list `tenant`, `user` or both");
    }
    out
}

fn check_app_types(ctx: &mut Ctx<'_>, app_types: Option<&[Spanned<String>]>) -> Vec<ir::AppType> {
    let mut out = Vec::new();
    for a in app_types.unwrap_or_default() {
        match a.value.as_str() {
            "self_built" => out.push(ir::AppType::SelfBuilt),
            "store" => out.push(ir::AppType::Store),
            other => ctx.error(
                a,
                format!("unknown app type `{other}`"),
                "unknown app type",
                "app types are `self_built` and `store`",
            ),
        }
    }
    out
}

fn check_limits(ctx: &mut Ctx<'_>, limits: Option<&Spanned<spec::LimitsDef>>) -> (Option<u32>, Option<u32>) {
    let Some(limits) = limits else {
        return (None, None);
    };
    let (s, m) = (&limits.value.per_second, &limits.value.per_minute);
    for v in [s, m].into_iter().flatten() {
        if v.value == 0 {
            ctx.error(
                v,
                "a rate limit of 0 forbids every call",
                "zero limit",
                "write the documented limit, or leave the key out when none is documented",
            );
        }
    }
    if let (Some(s), Some(m)) = (s, m)
        && s.value > m.value
    {
        ctx.error(
            s,
            format!("{} per second is more than {} per minute", s.value, m.value),
            "per_second above per_minute",
            "check the documented numbers; per_minute is usually the larger",
        );
    }
    if s.is_none() && m.is_none() {
        ctx.error(
            limits,
            "`limits` sets neither per_second nor per_minute",
            "empty limits",
            "add a bound, or remove `limits`",
        );
    }
    (s.as_ref().map(|v| v.value), m.as_ref().map(|v| v.value))
}

fn struct_of<'a>(types: &TypeIndex<'a>, name: &str) -> Option<&'a ir::Struct> {
    types.get(name).and_then(|t| match &t.kind {
        ir::TypeKind::Struct(s) => Some(s),
        _ => None,
    })
}

fn body_type(
    ctx: &mut Ctx<'_>,
    b: &Spanned<spec::BodyDef>,
    known: &Declared<'_>,
    types: &TypeIndex<'_>,
) -> Option<String> {
    let Some(ty) = &b.value.ty else {
        ctx.error(
            &b.value.kind,
            format!("a `{}` body needs a `type`", b.value.kind.value),
            "missing type",
            "name an object type declared under `types:`",
        );
        return None;
    };
    match parse_ty(ctx, ty, known)? {
        Ty::Named(n) if struct_of(types, &n).is_some() => Some(n),
        // Declared, but broken: already reported.
        Ty::Named(n) if types.get(&n).is_none() => None,
        _ => {
            ctx.error(
                ty,
                format!("body type `{}` is not an object type", ty.value),
                "not an object",
                "bodies are named object types (with `fields`)",
            );
            None
        }
    }
}

fn check_request(
    ctx: &mut Ctx<'_>,
    req: Option<&Spanned<spec::BodyDef>>,
    method: ir::Method,
    known: &Declared<'_>,
    types: &TypeIndex<'_>,
) -> Option<ir::RequestBody> {
    let req = req?;
    let multipart = match req.value.kind.value.as_str() {
        "json" => false,
        "multipart" => true,
        "none" => return None,
        other => {
            ctx.error(
                &req.value.kind,
                format!("request kind `{other}` is not supported"),
                "unknown kind",
                "request kinds are `json` and `multipart`",
            );
            return None;
        }
    };
    if method == ir::Method::Get {
        ctx.error(
            &req.value.kind,
            "a GET endpoint cannot have a request body",
            "body on GET",
            "move the values to query parameters, or fix the method",
        );
    }
    let ty = body_type(ctx, req, known, types)?;
    let is_form = struct_of(types, &ty).is_some_and(|s| s.multipart);
    if let Some(at) = req.value.ty.as_ref().filter(|_| multipart != is_form) {
        let msg = if multipart {
            format!("multipart body `{ty}` has no `binary` field")
        } else {
            format!("JSON body `{ty}` has a `binary` field")
        };
        ctx.error(
            at,
            msg,
            "body kind mismatch",
            "a `binary` field makes a type a multipart form: use `kind: multipart` for it, `kind: json` otherwise",
        );
    }
    Some(ir::RequestBody { multipart, ty, required: req.value.required.unwrap_or(true) })
}

fn check_response(
    ctx: &mut Ctx<'_>,
    resp: &Spanned<spec::BodyDef>,
    known: &Declared<'_>,
    types: &TypeIndex<'_>,
) -> ir::Response {
    let response = match resp.value.kind.value.as_str() {
        "json" => body_type(ctx, resp, known, types).map_or(ir::Response::Empty, ir::Response::Json),
        "binary" | "empty" => {
            if let Some(ty) = &resp.value.ty {
                ctx.error(
                    ty,
                    format!("a `{}` response has no JSON type", resp.value.kind.value),
                    "type on a non-JSON response",
                    "remove `type`, or use `kind: json`",
                );
            }
            if resp.value.kind.value == "binary" { ir::Response::Binary } else { ir::Response::Empty }
        }
        other => {
            ctx.error(
                &resp.value.kind,
                format!("response kind `{other}` is not supported"),
                "unknown kind",
                "response kinds are `json`, `binary` and `empty`",
            );
            ir::Response::Empty
        }
    };
    if resp.value.required.is_some() {
        ctx.error(
            &resp.value.kind,
            "`required` only applies to request bodies",
            "not a request",
            "remove `required` from the response",
        );
    }
    response
}

fn check_pagination(
    ctx: &mut Ctx<'_>,
    d: &spec::EndpointDef,
    response: &ir::Response,
    query: &[ir::Field],
    types: &TypeIndex<'_>,
) -> Option<ir::Pagination> {
    let p = d.pagination.as_ref()?;
    let items = &p.value.items;
    let ir::Response::Json(data) = response else {
        ctx.error(items, "pagination needs a JSON response", "not JSON", "paginated endpoints return a JSON page type");
        return None;
    };
    if !query.iter().any(|q| q.name == "page_token" && q.ty == Ty::String) {
        ctx.error(
            items,
            "a paginated endpoint needs a `page_token` string query parameter",
            "no page_token",
            "add `page_token` (in: query, type: string) to `params`",
        );
    }
    let s = struct_of(types, data)?;
    if !s.fields.iter().any(|f| f.name == "page_token" && f.ty == Ty::String && !f.required) {
        ctx.error(
            items,
            format!("page type `{data}` needs an optional string field `page_token`"),
            "no page_token field",
            "add `{ name: page_token, type: string }` to the page type",
        );
    }
    match s.fields.iter().find(|f| f.name == items.value) {
        Some(ir::Field { ty: Ty::List(item), .. }) => {
            Some(ir::Pagination { items_field: items.value.clone(), item_ty: (**item).clone() })
        }
        Some(_) => {
            ctx.error(
                items,
                format!("`{}` of `{data}` is not a list", items.value),
                "not a list",
                "name the list field holding the page's items",
            );
            None
        }
        None => {
            let fields = s.fields.iter().map(|f| f.name.as_str());
            let hint = did_you_mean(&items.value, fields, &format!("name a list field of `{data}`"));
            ctx.error(items, format!("`{data}` has no field `{}`", items.value), "unknown field", hint);
            None
        }
    }
}

/// Two endpoints paging one type must agree on its items field (one `Page` impl per type).
fn check_pagination_types(
    ctx: &mut Ctx<'_>,
    defs: &Spanned<Vec<Spanned<spec::EndpointDef>>>,
    endpoints: &[ir::Endpoint],
) {
    let mut by_type: HashMap<&str, &str> = HashMap::new();
    for e in endpoints {
        let (Some(p), ir::Response::Json(t)) = (&e.pagination, &e.response) else {
            continue;
        };
        if let Some(first) = by_type.insert(t, &p.items_field).filter(|f| *f != p.items_field)
            && let Some(d) = defs.value.iter().find(|d| d.value.name.value == e.name)
        {
            ctx.error(
                &d.value.name,
                format!("`{t}` is paged by `{first}` elsewhere and by `{}` here", p.items_field),
                "conflicting pagination",
                "use one items field per page type",
            );
        }
    }
}

fn check_error_refs(ctx: &mut Ctx<'_>, d: &spec::EndpointDef, table: &[ir::ErrorEntry]) -> Vec<ir::ErrorEntry> {
    let Some(refs) = &d.errors else {
        ctx.warning(
            &d.name,
            format!("endpoint `{}` declares no errors", d.name.value),
            "no `errors`",
            "list the codes the docs give for it, e.g. `errors: [InvalidParam]`, or `errors: []` if they give none",
        );
        return Vec::new();
    };
    let mut out: Vec<ir::ErrorEntry> = Vec::new();
    let mut seen: HashMap<&str, &Spanned<String>> = HashMap::new();
    for r in &refs.value {
        if let Some(first) = seen.get(r.value.as_str()) {
            ctx.diags.error(
                &ctx.loc_also(r, *first, "first listed here"),
                format!("error `{}` is listed twice", r.value),
                "duplicate error",
                "list each error once",
            );
            continue;
        }
        seen.insert(&r.value, r);
        match table.iter().find(|e| e.name == r.value) {
            Some(e) => out.push(e.clone()),
            None => {
                let names = table.iter().map(|e| e.name.as_str());
                let hint = did_you_mean(&r.value, names, "declare it in the service's `errors:` table");
                ctx.error(r, format!("unknown error `{}`", r.value), "not in the service error table", hint);
            }
        }
    }
    // `errors: []` states that the docs list none (the importer writes it where the official
    // metadata maps no code): not a warning, unlike a forgotten `errors` key.
    out
}
