//! Rules of an endpoint's parameters: where each goes (`in: path|query|header`), the path
//! template's placeholders, and the types and names each location accepts.

use crate::shape::Spanned;

use super::types::{Declared, TypeIndex, check_field};
use super::{Ctx, names};
use crate::ir::{self, Ty};
use crate::load::closest;
use crate::spec;

/// Headers the runtime writes itself (the same list as `CallOptions::header` refuses):
/// declaring one would send two values.
pub(crate) const RESERVED_HEADERS: &[&str] =
    &["Authorization", "Content-Type", "Content-Length", "Transfer-Encoding", "Host"];

/// An endpoint's checked parameters, by location.
pub(crate) struct Params {
    /// Path parameters, in path order.
    pub(crate) path: Vec<ir::Field>,
    /// Query parameters, in spec order.
    pub(crate) query: Vec<ir::Field>,
    /// Header parameters, in spec order.
    pub(crate) header: Vec<ir::Field>,
}

pub(crate) fn check_params(
    ctx: &mut Ctx<'_>,
    d: &spec::EndpointDef,
    known: &Declared<'_>,
    types: &TypeIndex<'_>,
) -> Params {
    let params = d.params.as_deref().unwrap_or_default();
    names::check_field_collisions(ctx, params, &format!("the parameters of `{}`", d.name.value));
    let placeholders = placeholders(ctx, &d.path);
    let mut path = Vec::new();
    let mut query = Vec::new();
    let mut header = Vec::new();
    for p in params {
        let Some(loc) = &p.value.location else {
            ctx.error(
                &p.value.name,
                format!("parameter `{}` has no `in`", p.value.name.value),
                "missing `in`",
                "add `in: path`, `in: query` or `in: header`",
            );
            continue;
        };
        names::check_param_name(ctx, &p.value.name);
        if loc.value == "header" && !check_header_name(ctx, &p.value.name) {
            continue;
        }
        if loc.value == "path" && !placeholders.iter().any(|(n, _)| *n == p.value.name.value) {
            ctx.error(
                &p.value.name,
                format!("path parameter `{}` does not appear in the path", p.value.name.value),
                "not in path",
                format!("add `{{{}}}` to the path, or make it `in: query`", p.value.name.value),
            );
        }
        if let Some(tag_field) = &p.value.tag_field {
            ctx.error(
                tag_field,
                "`tag_field` is for fields of object types, not parameters",
                "not a field",
                "tagged JSON has no query, path or header form: send it in a request body",
            );
        }
        let Some(field) = check_field(ctx, p, known) else {
            continue;
        };
        super::types::check_values(ctx, &p.value, &field, types);
        match loc.value.as_str() {
            "path" => {
                if !field.required {
                    ctx.error(
                        &p.value.name,
                        format!("path parameter `{}` must be required", field.name),
                        "optional path parameter",
                        "add `required: true`",
                    );
                }
                let stringy = match &field.ty {
                    Ty::String => true,
                    Ty::Named(n) => types.get(n).is_some_and(|t| matches!(t.kind, ir::TypeKind::Newtype)),
                    _ => false,
                };
                if !stringy && !broken(&field.ty, types) {
                    ctx.error(
                        &p.value.ty,
                        format!("path parameter `{}` must be a string or a string newtype", field.name),
                        "unsupported path type",
                        "declare it `type: string` or an id newtype",
                    );
                }
                path.push(field);
            }
            "query" => {
                check_query_type(ctx, &p.value.ty, &field, types);
                query.push(field);
            }
            "header" => {
                check_header_type(ctx, &p.value.ty, &field, types);
                // Its Rust name is the header's words in snake_case (`X-Request-Id` →
                // `x_request_id`), as `check_field` named it.
                header.push(field);
            }
            other => {
                let hint = match closest(other, ["path", "query", "header"]) {
                    Some(c) => format!("did you mean `{c}`? (bodies go under `request:`)"),
                    None => "use `in: path`, `in: query` or `in: header` (bodies go under `request:`)".into(),
                };
                ctx.error(loc, format!("`in: {other}` is not supported"), "unknown location", hint);
            }
        }
    }
    let in_path = |p: &Spanned<spec::FieldDef>| p.value.location.as_ref().is_some_and(|l| l.value == "path");
    for (name, at) in &placeholders {
        if !params.iter().any(|p| in_path(p) && p.value.name.value == *name) {
            ctx.diags.error(
                &ctx.loc_within(&d.path, *at, name.len() + 2),
                format!("path placeholder `{{{name}}}` is not declared as a path parameter"),
                "undeclared placeholder",
                format!("add `- {{ name: {name}, in: path, type: string, required: true }}` to `params`"),
            );
        }
    }
    // Path order, so positional arguments follow the path.
    path.sort_by_key(|p| placeholders.iter().position(|(n, _)| *n == p.name));
    Params { path, query, header }
}

/// A header name the generated code can send and name: letters, digits and `-` between
/// words (`Range`, `X-Request-Id`), and none the client writes itself.
fn check_header_name(ctx: &mut Ctx<'_>, name: &Spanned<String>) -> bool {
    let n = &name.value;
    let words_ok = n.split('-').all(|w| !w.is_empty() && w.chars().all(|c| c.is_ascii_alphanumeric()));
    if !words_ok || !n.starts_with(|c: char| c.is_ascii_alphabetic()) {
        ctx.error(
            name,
            format!("`{n}` is not a header name"),
            "bad header name",
            "write the header as the docs do: ASCII letters and digits, words joined by `-` (`Range`, `X-Request-Id`)",
        );
        return false;
    }
    if let Some(reserved) = RESERVED_HEADERS.iter().find(|r| r.eq_ignore_ascii_case(n)) {
        ctx.error(
            name,
            format!("header `{n}` is written by the client itself"),
            "reserved header",
            format!(
                "the runtime writes {} (the token, and what the body and connection decide); remove `{reserved}` \
                 from `params`",
                crate::shape::list(RESERVED_HEADERS)
            ),
        );
        return false;
    }
    true
}

/// Whether a value of `ty` is written as one text (a scalar, an enum or a newtype), as a header
/// or each item of a query parameter is. A broken type was reported already: it passes here.
fn one_value(ty: &Ty, types: &TypeIndex<'_>) -> bool {
    match ty {
        Ty::Named(n) => {
            broken(ty, types)
                || types
                    .get(n)
                    .is_some_and(|t| !matches!(t.kind, ir::TypeKind::Struct(_) | ir::TypeKind::TaggedJson(_)))
        }
        Ty::List(_) | Ty::Map(_) | Ty::Json | Ty::Binary => false,
        _ => true,
    }
}

/// A header carries one value: a scalar, an enum or a newtype, written as its text.
fn check_header_type(ctx: &mut Ctx<'_>, at: &Spanned<String>, field: &ir::Field, types: &TypeIndex<'_>) {
    if !one_value(&field.ty, types) {
        ctx.error(
            at,
            format!("header parameter `{}` must be a scalar, an enum or a newtype", field.name),
            "unsupported header type",
            "a declared header carries one value; send lists and objects in the query or a request body",
        );
    }
}

/// A query value is a scalar, an enum or a newtype, or a list of them, sent as one
/// `key=value` per item (`?user_ids=a&user_ids=b`).
fn check_query_type(ctx: &mut Ctx<'_>, at: &Spanned<String>, field: &ir::Field, types: &TypeIndex<'_>) {
    let item = match &field.ty {
        Ty::List(inner) => inner,
        other => other,
    };
    if one_value(item, types) {
        return;
    }
    let hint = if matches!(field.ty, Ty::List(_)) {
        "a query list is sent as one `key=value` per item (`?ids=a&ids=b`), so its items are scalars, enums or newtypes"
    } else {
        "a query string holds `key=value` pairs only: split an object into one parameter per field, or send it in a request body (not on GET)"
    };
    ctx.error(
        at,
        format!("query parameter `{}` must be a scalar, an enum or a newtype, or a list of them", field.name),
        "unsupported query type",
        hint,
    );
}

/// A named type that is declared but failed its checks (already reported).
fn broken(ty: &Ty, types: &TypeIndex<'_>) -> bool {
    matches!(ty, Ty::Named(n) if types.get(n).is_none())
}

/// The `{name}` placeholders of a path template, with the byte offset of their `{`.
fn placeholders(ctx: &mut Ctx<'_>, path: &Spanned<String>) -> Vec<(String, usize)> {
    let p = &path.value;
    if !p.starts_with('/') || p.contains("//") || p.contains('?') || p.contains('#') || p.contains(char::is_whitespace)
    {
        ctx.error(
            path,
            format!("`{p}` is not a path template"),
            "bad path",
            "write the path from the host, e.g. `/open-apis/baike/v1/files/{file_token}/download`, without query string",
        );
    }
    if let Some(i) = p.find("/:") {
        let len = p[i + 1..].find('/').unwrap_or(p.len() - i - 1);
        ctx.diags.error(
            &ctx.loc_within(path, i + 1, len),
            "`:name` placeholders are not supported",
            "colon placeholder",
            "write placeholders as `{name}`",
        );
    }
    let mut out: Vec<(String, usize)> = Vec::new();
    let mut from = 0;
    while let Some(open) = p[from..].find('{').map(|i| from + i) {
        let Some(close) = p[open..].find('}').map(|i| open + i) else {
            ctx.diags.error(
                &ctx.loc_within(path, open, p.len() - open),
                "unclosed `{` in the path",
                "unclosed placeholder",
                "close it with `}`",
            );
            break;
        };
        let name = &p[open + 1..close];
        if name.is_empty() || !names::is_snake(name) {
            ctx.diags.error(
                &ctx.loc_within(path, open, close + 1 - open),
                format!("placeholder `{{{name}}}` is not a snake_case name"),
                "bad placeholder",
                "use `{snake_case}` names",
            );
        } else if out.iter().any(|(n, _)| n == name) {
            ctx.diags.error(
                &ctx.loc_within(path, open, close + 1 - open),
                format!("placeholder `{{{name}}}` appears twice"),
                "duplicate placeholder",
                "each path parameter fills one segment",
            );
        } else {
            out.push((name.to_owned(), open));
        }
        from = close + 1;
    }
    if let Some(i) = p[from..].find('}') {
        ctx.diags.error(
            &ctx.loc_within(path, from + i, 1),
            "unmatched `}` in the path",
            "no `{` before it",
            "remove it, or open the placeholder with `{`",
        );
    }
    out
}
