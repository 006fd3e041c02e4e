//! Doc comments of generated items: summary, HTTP method and path, tokens, scopes,
//! limits, errors and the link to the official docs.

use proc_macro2::TokenStream;
use quote::quote;

use crate::ir::{Endpoint, Field, Token, Ty};

/// `#[doc = "…"]` attributes, one per line.
pub(crate) fn attrs(text: &str) -> TokenStream {
    let lines = text.lines().map(|l| if l.is_empty() { String::new() } else { format!(" {l}") });
    quote!(#(#[doc = #lines])*)
}

/// The full documentation of an endpoint.
pub(crate) fn endpoint(e: &Endpoint, service: &str) -> String {
    let mut out = format!("{}\n", e.summary);
    if let Some(d) = &e.description {
        out += &format!("\n{d}\n");
    }
    out += &format!("\n`{} {}` — `{service}` `{}`\n\n", e.method.as_str(), e.path, e.name);
    let tokens: Vec<&str> = e
        .tokens
        .iter()
        .map(|t| match t {
            Token::Tenant => "tenant_access_token",
            Token::User => "user_access_token",
        })
        .collect();
    out += &format!("- **Tokens:** {}\n", tokens.join(", "));
    if !e.scopes.is_empty() {
        let scopes: Vec<String> = e.scopes.iter().map(|s| format!("`{s}`")).collect();
        out += &format!("- **Scopes (any one):** {}\n", scopes.join(", "));
    }
    // A scope with several conditions is one row per condition, in order: one line each.
    let mut i = 0;
    while let Some(first) = e.field_scopes.get(i) {
        let same: Vec<String> = e.field_scopes[i..]
            .iter()
            .take_while(|f| f.scope == first.scope)
            .map(|f| format!("`{}={}`", f.param, f.equals))
            .collect();
        i += same.len();
        out += &format!("- **Field scope:** `{}` when {}\n", first.scope, same.join(" or "));
    }
    let limits: Vec<String> = [e.per_second.map(|s| format!("{s}/s")), e.per_minute.map(|m| format!("{m}/min"))]
        .into_iter()
        .flatten()
        .collect();
    if !limits.is_empty() {
        out += &format!("- **Rate limit:** {}\n", limits.join(", "));
    }
    if e.errors.is_empty() {
        out += "- **Errors:** none declared\n";
    } else {
        out += "- **Errors:**\n";
        for err in &e.errors {
            out += &format!(
                "  - `{}` ({}, HTTP {}): {}\n",
                err.code,
                err.name,
                err.http,
                sentences(&err.message, &err.hint)
            );
        }
    }
    out += &format!("\n[Official documentation]({})", e.doc);
    out
}

/// Documentation of a field of an object, with its constraints and, for an `i64_string`,
/// its form on the wire.
pub(crate) fn field(f: &Field) -> String {
    let mut out = described(f);
    if *f.ty.leaf() == Ty::I64String {
        out += "\n\nIntegers are sent as JSON strings (`\"123\"`) and read from strings or numbers.";
    }
    if let Some(tag) = &f.tag_field {
        out += &format!("\n\nSent as two keys: `{tag}`, the kind's tag, and `{}`, its JSON as text.", f.name);
    }
    if let Some(ct) = &f.content_type {
        out += &format!("\n\nSent as `{ct}` unless the `FileSource` names a content type.");
    }
    out
}

/// Documentation of a field or parameter, with its constraints.
fn described(f: &Field) -> String {
    let mut out = f.description.clone().unwrap_or_else(|| format!("`{}`.", f.name));
    let r = &f.rules;
    let mut notes = Vec::new();
    let items = if matches!(f.ty, Ty::Map(_)) { "key" } else { "item" };
    let counts = [
        ("at least", r.min_length, "character"),
        ("at most", r.max_length, "character"),
        ("at least", r.min_items, items),
        ("at most", r.max_items, items),
    ];
    notes.extend(counts.iter().filter_map(|(bound, v, unit)| v.map(|v| count(bound, v, unit))));
    notes.extend(r.min.map(|v| format!("≥ {v}")));
    notes.extend(r.max.map(|v| format!("≤ {v}")));
    if !r.forbidden_chars.is_empty() {
        notes.push(format!("must not contain {:?}", r.forbidden_chars));
    }
    if !r.extensions.is_empty() {
        notes.push(format!("extension one of {}", r.extensions.join(", ")));
    }
    notes.extend(r.min_bytes.map(|v| count("at least", v, "byte")));
    notes.extend(r.max_bytes.map(|v| count("at most", v, "byte")));
    notes.extend(f.default.as_ref().map(|d| format!("server default `{d}`")));
    notes.extend(f.example.as_ref().map(|e| format!("example `{e}`")));
    if !notes.is_empty() {
        out += &format!("\n\nConstraints: {}.", notes.join("; "));
    }
    out
}

/// Documentation of a query parameter: a list's form on the wire is worth saying.
pub(crate) fn query_param(f: &Field) -> String {
    let mut out = described(f);
    if matches!(f.ty, Ty::List(_)) {
        out += &format!("\n\nSent as one `{0}=…` per item (`?{0}=a&{0}=b`).", f.name);
    }
    out
}

/// Documentation of a header parameter: which header it is.
pub(crate) fn header_param(f: &Field) -> String {
    format!("{}\n\nSent as the `{}` header.", described(f), f.name)
}

/// `at least 1 character`, `at most 5 items`.
fn count(bound: &str, n: u64, unit: &str) -> String {
    format!("{bound} {n} {unit}{}", if n == 1 { "" } else { "s" })
}

/// A message and a hint as two sentences: a period after the message unless it ends one.
pub(crate) fn sentences(message: &str, hint: &str) -> String {
    let stop = if message.ends_with(['.', '!', '?', '。']) { "" } else { "." };
    format!("{message}{stop} {hint}").trim_end().to_owned()
}

/// `a` or `an`, by the first letter of the word that follows.
pub(crate) fn article(word: &str) -> &'static str {
    if word.starts_with(['A', 'E', 'I', 'O', 'U', 'a', 'e', 'i', 'o', 'u']) { "An" } else { "A" }
}
