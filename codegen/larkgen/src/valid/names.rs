//! Naming rules: what becomes a Rust identifier must be one, and generated names must not
//! collide with each other or with the spec's own types.

use std::collections::HashMap;

use heck::{ToSnakeCase, ToUpperCamelCase};
use serde_saphyr::Spanned;

use super::Ctx;
use crate::ir;
use crate::spec;

/// Words that cannot be identifiers even as raw identifiers.
const NOT_RAW: &[&str] = &["self", "Self", "super", "crate", "_"];

pub(crate) fn is_snake(s: &str) -> bool {
    !s.is_empty() && s.to_snake_case() == s && s.chars().next().is_some_and(|c| c.is_ascii_lowercase())
}

pub(crate) fn is_upper_camel(s: &str) -> bool {
    !s.is_empty()
        && s.to_upper_camel_case() == s
        && s.chars().next().is_some_and(|c| c.is_ascii_uppercase())
        && s.chars().all(|c| c.is_ascii_alphanumeric())
}

/// Type and variant names: UpperCamelCase ASCII.
pub(crate) fn check_type_name(ctx: &mut Ctx<'_>, name: &Spanned<String>, what: &str) -> bool {
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
    let rust = name.value.to_snake_case();
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
    if NOT_RAW.contains(&rust.as_str()) {
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

/// Fields whose Rust names collide after snake_case conversion (`pageToken` vs `page_token`).
pub(crate) fn check_field_collisions(ctx: &mut Ctx<'_>, fields: &[&Spanned<spec::FieldDef>], owner: &str) {
    let mut seen: HashMap<String, String> = HashMap::new();
    for f in fields {
        let json = &f.value.name.value;
        let rust = json.to_snake_case();
        if let Some(first) = seen.get(&rust) {
            let msg = if first == json {
                format!("`{json}` is declared twice in {owner}")
            } else {
                format!("`{json}` and `{first}` both become `{rust}` in {owner}")
            };
            ctx.error(&f.value.name, msg, "name collision", "give each field a distinct name");
        } else {
            seen.insert(rust, json.clone());
        }
    }
}

/// Names the emitter derives per endpoint must not clash with the spec's types.
pub(crate) fn check_generated_names(ctx: &mut Ctx<'_>, types: &[Spanned<spec::TypeDef>], endpoints: &[ir::Endpoint]) {
    let mut generated: HashMap<String, String> = HashMap::new();
    generated.insert("Client".into(), "the service client".into());
    for e in endpoints {
        let stem = format!("{}{}", e.resource.to_upper_camel_case(), e.action.to_upper_camel_case());
        generated.insert(format!("{stem}Request"), format!("the request builder of `{}`", e.name));
        generated.insert(format!("{stem}Error"), format!("the error enum of `{}`", e.name));
        generated.insert(
            format!("{}Resource", e.resource.to_upper_camel_case()),
            format!("the handle of resource `{}`", e.resource),
        );
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
