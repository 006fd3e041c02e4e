//! Naming rules: what becomes a Rust identifier must be one, and generated names must not
//! collide with each other or with the spec's own types.

use std::borrow::Cow;
use std::collections::HashMap;

use crate::shape::Spanned;
use heck::{ToShoutySnakeCase, ToUpperCamelCase};

use super::Ctx;
use crate::case::snake_case;
use crate::ir;
use crate::spec;

/// Words that cannot be identifiers even as raw identifiers.
const NOT_RAW: &[&str] = &["self", "Self", "super", "crate", "_"];

pub(crate) fn is_snake(s: &str) -> bool {
    !s.is_empty() && snake_case(s) == s && s.chars().next().is_some_and(|c| c.is_ascii_lowercase())
}

pub(crate) fn is_upper_camel(s: &str) -> bool {
    !s.is_empty()
        && s.to_upper_camel_case() == s
        && s.chars().next().is_some_and(|c| c.is_ascii_uppercase())
        && s.chars().all(|c| c.is_ascii_alphanumeric())
}

/// Type and variant names: UpperCamelCase ASCII, and not `Self`.
pub(crate) fn check_type_name(ctx: &mut Ctx<'_>, name: &Spanned<String>, what: &str) -> bool {
    if name.value == "Self" {
        ctx.error(
            name,
            format!("{what} name `Self` is a Rust keyword"),
            "keyword",
            "`Self` cannot name a type or variant, not even as a raw identifier; choose another name",
        );
        return false;
    }
    if is_upper_camel(&name.value) {
        return true;
    }
    let fixed = name.value.to_upper_camel_case();
    ctx.error(
        name,
        format!("{what} name `{}` is not UpperCamelCase", name.value),
        "not UpperCamelCase",
        format!("rename it `{fixed}`"),
    );
    false
}

/// Field and parameter names: they are JSON names; the Rust name is their snake_case form.
pub(crate) fn check_field_name(ctx: &mut Ctx<'_>, name: &Spanned<String>) -> bool {
    let rust = snake_case(&name.value);
    if rust.is_empty()
        || !rust.chars().next().is_some_and(|c| c.is_ascii_alphabetic() || c == '_')
        || !rust.chars().all(|c| c.is_ascii_alphanumeric() || c == '_')
    {
        ctx.error(
            name,
            format!("`{}` cannot become a Rust identifier", name.value),
            "not an identifier",
            "use ASCII letters, digits and `_`, starting with a letter",
        );
        return false;
    }
    if NOT_RAW.contains(&&*rust) {
        ctx.error(
            name,
            format!("`{}` becomes the reserved word `{rust}`", name.value),
            "reserved word",
            "these words cannot be field names even as raw identifiers; rename the field",
        );
        return false;
    }
    true
}

/// What the request builder of an endpoint names itself: its fields and methods.
const BUILDER_NAMES: &[&str] = &["client", "body", "user_token", "user_access_token", "call", "send", "stream"];

/// Parameters become fields and setters of the request builder: they must not take its names.
pub(crate) fn check_param_name(ctx: &mut Ctx<'_>, name: &Spanned<String>) {
    let rust = snake_case(&name.value);
    if BUILDER_NAMES.contains(&&*rust) {
        ctx.error(
            name,
            format!("parameter `{}` would clash with `{rust}` of the generated request builder", name.value),
            "reserved parameter name",
            "the builder already has `client`, `body`, `user_token`, `user_access_token`, `call`, `send` and \
             `stream`; the generator cannot rename a parameter yet, so this endpoint needs a rename option first",
        );
    }
}

/// Fields whose Rust names collide after snake_case conversion (`pageToken` vs `page_token`).
pub(crate) fn check_field_collisions(ctx: &mut Ctx<'_>, fields: &[&Spanned<spec::FieldDef>], owner: &str) {
    let mut seen: HashMap<Cow<'_, str>, &Spanned<String>> = HashMap::new();
    for f in fields {
        let json = &f.value.name.value;
        let rust = snake_case(json);
        if let Some(first) = seen.get(&rust) {
            let msg = if first.value == *json {
                format!("`{json}` is declared twice in {owner}")
            } else {
                format!("`{json}` and `{}` both become the Rust field `{rust}` in {owner}", first.value)
            };
            ctx.error_also(
                &f.value.name,
                *first,
                "first declared here",
                msg,
                "name collision",
                "give each field a distinct name",
            );
        } else {
            seen.insert(rust, &f.value.name);
        }
    }
}

/// Names the emitter derives per endpoint must not clash with each other (`a_b.c` and
/// `a.b_c` both make `ABCRequest`) or with the spec's types.
pub(crate) fn check_generated_names(
    ctx: &mut Ctx<'_>,
    types: &[Spanned<spec::TypeDef>],
    defs: &[Spanned<spec::EndpointDef>],
    endpoints: &[ir::Endpoint],
) {
    let mut generated: HashMap<String, String> = HashMap::new();
    generated.insert("Client".into(), "the service client".into());
    let mut resources: HashMap<String, &str> = HashMap::new();
    for e in endpoints {
        let stem = format!("{}{}", e.resource.to_upper_camel_case(), e.action.to_upper_camel_case());
        let handle = format!("{}Resource", e.resource.to_upper_camel_case());
        let descriptor = format!("{}_{}", e.resource.to_shouty_snake_case(), e.action.to_shouty_snake_case());
        let mut clash = None;
        for (name, what) in [
            (format!("{stem}Request"), format!("the request builder of `{}`", e.name)),
            (format!("{stem}Error"), format!("the error enum of `{}`", e.name)),
            (format!("endpoints::{descriptor}"), format!("the descriptor of `{}`", e.name)),
        ] {
            match generated.get(&name) {
                Some(first) if clash.is_none() => clash = Some((name, first.clone())),
                Some(_) => {}
                None => {
                    generated.insert(name, what);
                }
            }
        }
        match resources.get(&handle) {
            Some(first) if *first != e.resource => {
                clash = clash.or_else(|| Some((handle.clone(), format!("the handle of resource `{first}`"))));
            }
            Some(_) => {}
            None => {
                resources.insert(handle.clone(), &e.resource);
                generated.insert(handle, format!("the handle of resource `{}`", e.resource));
            }
        }
        if let Some((name, first)) = clash
            && let Some(d) = defs.iter().find(|d| d.value.name.value == e.name)
        {
            let name = name.trim_start_matches("endpoints::");
            ctx.error(
                &d.value.name,
                format!("endpoint `{}` generates `{name}`, which is already {first}", e.name),
                "generated names collide",
                "rename the resource or action so the UpperCamelCase forms differ",
            );
        }
    }
    for t in types {
        if let Some(what) = generated.get(&t.value.name.value) {
            ctx.error(
                &t.value.name,
                format!("type `{}` clashes with {what}", t.value.name.value),
                "name clash",
                "rename the type",
            );
        }
    }
}
