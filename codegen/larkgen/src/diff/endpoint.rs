//! Endpoints: the resource method's positional arguments, the builder's setters, what `send`
//! and `stream` return, the error enum's variants, and what goes over the wire.

use super::{ChangeKind, Changes, Docs, constraints, field_ty, matched, note, rust_ty};
use crate::diff::Rule;
use crate::ir::{Endpoint, Field, Response, Service, Token, Ty};

pub(super) fn endpoints(old: &Service, new: &Service, out: &mut Changes) {
    let module = new.module();
    for (name, o, n) in matched(&old.endpoints, &new.endpoints, |e| e.name.clone()) {
        let at = [module.as_str(), name.as_str()];
        match (o, n) {
            (None, Some(n)) => {
                let what = format!("endpoint added: {} {} (`{}()`)", n.method.as_str(), n.path, n.rust.method);
                out.push(&at, ChangeKind::Added, Rule::EndpointAdded, what);
            }
            (Some(o), None) => {
                let what = format!("endpoint removed: {} {} (`{}()`)", o.method.as_str(), o.path, o.rust.method);
                out.push(&at, ChangeKind::Removed, Rule::EndpointRemoved, what);
            }
            (Some(o), Some(n)) => endpoint(&at, o, n, out),
            (None, None) => {}
        }
    }
}

fn endpoint(at: &[&str], old: &Endpoint, new: &Endpoint, out: &mut Changes) {
    let mut docs = Docs::default();
    docs.compare("summary", &old.summary, &new.summary);
    docs.compare("description", &old.description, &new.description);
    docs.compare("doc link", &old.doc, &new.doc);
    wire(at, old, new, out);
    inputs(at, old, new, &mut docs, out);
    arguments_order(at, old, new, out);
    tokens(at, old, new, out);
    response(at, old, new, out);
    access(at, old, new, out);
    for (name, o, n) in matched(&old.errors, &new.errors, |e| e.name.clone()) {
        let path = [at, &[name.as_str()]].concat();
        match (o, n) {
            (None, Some(e)) => {
                let what = format!("error {name} ({}) added to `{}`", e.code, new.rust.error);
                out.push(&path, ChangeKind::Added, Rule::ErrorRefAdded, what);
            }
            (Some(e), None) => {
                let what = format!("error {name} ({}) removed from `{}`", e.code, old.rust.error);
                out.push(&path, ChangeKind::Removed, Rule::ErrorRefRemoved, what);
            }
            // A row's own changes are reported once, at the service's error table.
            _ => {}
        }
    }
    docs.emit(at, out);
}

/// Method, path and idempotency: the call changes, the Rust API does not.
fn wire(at: &[&str], old: &Endpoint, new: &Endpoint, out: &mut Changes) {
    let mut changed = Vec::new();
    note(&mut changed, "method", old.method.as_str(), new.method.as_str());
    note(&mut changed, "path", &old.path, &new.path);
    note(&mut changed, "idempotent", &old.idempotent, &new.idempotent);
    if !changed.is_empty() {
        out.push(at, ChangeKind::Changed, Rule::WireChanged, changed.join(", "));
    }
}

/// An input of the resource method: a path, query or header parameter, or the body.
struct Input<'a> {
    rust: &'a str,
    place: &'static str,
    wire: &'a str,
    ty: Ty,
    required: bool,
    field: Option<&'a Field>,
    multipart: bool,
}

fn params<'a>(fields: &'a [Field], place: &'static str) -> impl Iterator<Item = Input<'a>> {
    fields.iter().map(move |f| Input {
        rust: &f.rust,
        place,
        wire: &f.name,
        ty: f.ty.clone(),
        required: f.required,
        field: Some(f),
        multipart: false,
    })
}

fn all_inputs(e: &Endpoint) -> Vec<Input<'_>> {
    let mut out: Vec<Input<'_>> = params(&e.path_params, "path parameter")
        .chain(params(&e.query_params, "query parameter"))
        .chain(params(&e.header_params, "header"))
        .collect();
    if let Some(body) = &e.request {
        let ty = Ty::Named(body.ty.clone());
        out.push(Input {
            rust: "body",
            place: "body",
            wire: "body",
            ty,
            required: body.required,
            field: None,
            multipart: body.multipart,
        });
    }
    out
}

fn inputs(at: &[&str], old: &Endpoint, new: &Endpoint, docs: &mut Docs, out: &mut Changes) {
    let (old_inputs, new_inputs) = (all_inputs(old), all_inputs(new));
    for (rust, o, n) in matched(&old_inputs, &new_inputs, |i| i.rust.to_owned()) {
        let path = [at, &[rust.as_str()]].concat();
        match (o, n) {
            (None, Some(n)) => {
                let (rule, how) = if n.required {
                    (Rule::InputAddedRequired, format!("positional argument `{rust}: {}`", rust_ty(&n.ty)))
                } else {
                    (Rule::InputAddedOptional, format!("setter `.{rust}(..)` of {}", rust_ty(&n.ty)))
                };
                out.push(&path, ChangeKind::Added, rule, format!("{} added: {how}", describe(n)));
            }
            (Some(o), None) => {
                let how = if o.required { "positional argument" } else { "setter" };
                out.push(
                    &path,
                    ChangeKind::Removed,
                    Rule::InputRemoved,
                    format!("{} removed ({how} of {})", describe(o), rust_ty(&o.ty)),
                );
            }
            (Some(o), Some(n)) => input(&path, o, n, docs, out),
            (None, None) => {}
        }
    }
}

fn input(at: &[&str], old: &Input<'_>, new: &Input<'_>, docs: &mut Docs, out: &mut Changes) {
    let (was, is) = (field_ty(&old.ty, old.required), field_ty(&new.ty, new.required));
    if rust_ty(&old.ty) != rust_ty(&new.ty) {
        out.push(at, ChangeKind::Changed, Rule::InputTypeChanged, format!("{} type: {was} → {is}", describe(new)));
    } else if old.required != new.required {
        let (rule, how) = if new.required {
            (Rule::InputNowRequired, "optional → required (setter → positional argument)")
        } else {
            (Rule::InputNowOptional, "required → optional (positional argument → setter)")
        };
        out.push(at, ChangeKind::Changed, rule, format!("{}: {how}", describe(new)));
    }
    let mut changed = Vec::new();
    note(&mut changed, "in", old.place, new.place);
    note(&mut changed, "wire name", old.wire, new.wire);
    if old.ty != new.ty && rust_ty(&old.ty) == rust_ty(&new.ty) {
        changed.push(format!("encoding {:?} → {:?}", old.ty, new.ty));
    }
    if old.multipart != new.multipart {
        let kind = |multipart| if multipart { "multipart" } else { "JSON" };
        changed.push(format!("sent as {} → {}", kind(old.multipart), kind(new.multipart)));
    }
    if !changed.is_empty() {
        out.push(at, ChangeKind::Changed, Rule::WireChanged, format!("{}: {}", describe(new), changed.join(", ")));
    }
    if let (Some(o), Some(n)) = (old.field, new.field) {
        constraints::compare(at, &o.rules, &n.rules, out);
        docs.compare(&format!("{} description", new.rust), &o.description, &n.description);
        docs.compare(&format!("{} default", new.rust), &o.default, &n.default);
        docs.compare(&format!("{} example", new.rust), &o.example, &n.example);
    }
}

fn describe(i: &Input<'_>) -> String {
    if i.place == "body" { "body".to_owned() } else { format!("{} `{}`", i.place, i.wire) }
}

/// The resource method's positional arguments, in order (as `expand::endpoint::positional`):
/// path parameters, required query and header parameters, a required body, the user token of
/// user-only endpoints.
fn positional(e: &Endpoint) -> Vec<&str> {
    let mut names: Vec<&str> = all_inputs(e).into_iter().filter(|i| i.required).map(|i| i.rust).collect();
    if !e.tokens.contains(&Token::Tenant) {
        names.push("user_access_token");
    }
    names
}

/// The same positional arguments in another order: each moved one is reported nowhere else.
fn arguments_order(at: &[&str], old: &Endpoint, new: &Endpoint, out: &mut Changes) {
    let (o, n) = (positional(old), positional(new));
    let (mut o_sorted, mut n_sorted) = (o.clone(), n.clone());
    o_sorted.sort_unstable();
    n_sorted.sort_unstable();
    if o != n && o_sorted == n_sorted {
        let what = format!("positional arguments reordered: ({}) → ({})", o.join(", "), n.join(", "));
        out.push(at, ChangeKind::Changed, Rule::ArgumentsReordered, what);
    }
}

/// How the builder takes a user token: tenant-only endpoints take none, endpoints accepting
/// both have a setter, user-only endpoints a positional argument.
#[derive(PartialEq, Eq, Clone, Copy)]
enum UserToken {
    Nothing,
    Setter,
    Positional,
}

impl UserToken {
    fn of(e: &Endpoint) -> UserToken {
        match (e.tokens.contains(&Token::Tenant), e.tokens.contains(&Token::User)) {
            (true, true) => UserToken::Setter,
            (true, false) => UserToken::Nothing,
            (false, _) => UserToken::Positional,
        }
    }

    fn text(self) -> &'static str {
        match self {
            UserToken::Nothing => "no user token",
            UserToken::Setter => "a `user_access_token` setter",
            UserToken::Positional => "a positional `user_access_token`",
        }
    }
}

fn tokens(at: &[&str], old: &Endpoint, new: &Endpoint, out: &mut Changes) {
    let names = |e: &Endpoint| e.tokens.iter().map(|t| format!("{t:?}").to_lowercase()).collect::<Vec<_>>().join(", ");
    let (o, n) = (UserToken::of(old), UserToken::of(new));
    if o == n {
        return;
    }
    let rule = match (o, n) {
        (UserToken::Nothing, UserToken::Setter) => Rule::UserTokenSetterAdded,
        _ => Rule::UserTokenInputChanged,
    };
    let what = format!("tokens [{}] → [{}]: {} → {}", names(old), names(new), o.text(), n.text());
    out.push(at, ChangeKind::Changed, rule, what);
}

fn response(at: &[&str], old: &Endpoint, new: &Endpoint, out: &mut Changes) {
    let answer = |r: &Response| match r {
        Response::Json(t) => t.clone(),
        Response::Binary => "rt::Download".to_owned(),
        Response::Empty => "()".to_owned(),
    };
    if old.response != new.response {
        let what = format!("`send()` returns {} → {}", answer(&old.response), answer(&new.response));
        out.push(at, ChangeKind::Changed, Rule::ResponseChanged, what);
    }
    match (&old.pagination, &new.pagination) {
        (None, Some(p)) => {
            out.push(at, ChangeKind::Added, Rule::PagingAdded, format!("paged: `stream()` of {}", rust_ty(&p.item_ty)))
        }
        (Some(p), None) => out.push(
            at,
            ChangeKind::Removed,
            Rule::PagingRemoved,
            format!("no longer paged: `stream()` of {} removed", rust_ty(&p.item_ty)),
        ),
        (Some(o), Some(n)) if rust_ty(&o.item_ty) != rust_ty(&n.item_ty) => {
            let what = format!("`stream()` items {} → {}", rust_ty(&o.item_ty), rust_ty(&n.item_ty));
            out.push(at, ChangeKind::Changed, Rule::PagingItemChanged, what);
        }
        (Some(o), Some(n)) if o.items_field != n.items_field => {
            let what = format!("paged items field {} → {}", o.items_field, n.items_field);
            out.push(at, ChangeKind::Changed, Rule::WireChanged, what);
        }
        _ => {}
    }
}

/// Rate limits, scopes and app types: documentation and descriptor data.
fn access(at: &[&str], old: &Endpoint, new: &Endpoint, out: &mut Changes) {
    let limit = |e: &Endpoint| {
        let parts = [e.per_second.map(|n| format!("{n}/s")), e.per_minute.map(|n| format!("{n}/min"))];
        let parts: Vec<String> = parts.into_iter().flatten().collect();
        if parts.is_empty() { "none".to_owned() } else { parts.join(" ") }
    };
    let mut limits = Vec::new();
    note(&mut limits, "limits", &limit(old), &limit(new));
    if !limits.is_empty() {
        out.push(at, ChangeKind::Changed, Rule::LimitsChanged, limits.join(", "));
    }
    let list = |items: Vec<String>| format!("[{}]", items.join(", "));
    let field_scopes = |e: &Endpoint| {
        list(e.field_scopes.iter().map(|s| format!("{} when {}={}", s.scope, s.param, s.equals)).collect())
    };
    let app_types = |e: &Endpoint| list(e.app_types.iter().map(|a| format!("{a:?}")).collect());
    let mut changed = Vec::new();
    note(&mut changed, "scopes", &list(old.scopes.clone()), &list(new.scopes.clone()));
    note(&mut changed, "field scopes", &field_scopes(old), &field_scopes(new));
    note(&mut changed, "app types", &app_types(old), &app_types(new));
    if !changed.is_empty() {
        out.push(at, ChangeKind::Changed, Rule::AccessChanged, changed.join(", "));
    }
}
