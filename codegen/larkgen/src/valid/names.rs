//! Naming rules: what becomes a Rust identifier must be one, and the names decided for the
//! IR (crate::names) must not collide with each other, with the spec's own types or with the
//! names generated code takes for itself.

use std::collections::HashMap;

use heck::ToUpperCamelCase;

use super::Ctx;
use crate::ir;
use crate::names::{BUILDER_MEMBERS, NOT_RAW, snake_case};
pub(crate) use crate::names::{is_snake, is_upper_camel};
use crate::shape::Spanned;
use crate::spec;

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

/// Parameters become fields and setters of the request builder: they must not take its names.
pub(crate) fn check_param_name(ctx: &mut Ctx<'_>, name: &Spanned<String>) {
    let rust = snake_case(&name.value);
    if BUILDER_MEMBERS.contains(&&*rust) {
        ctx.error(
            name,
            format!("parameter `{}` would clash with `{rust}` of the generated request builder", name.value),
            "reserved parameter name",
            format!(
                "the builder already has {}; the generator cannot rename a parameter yet, so this endpoint needs a \
                 rename option first",
                crate::shape::list(BUILDER_MEMBERS)
            ),
        );
    }
}

/// Fields whose Rust names collide after snake_case conversion (`pageToken` vs `page_token`).
pub(crate) fn check_field_collisions(ctx: &mut Ctx<'_>, fields: &[Spanned<spec::FieldDef>], owner: &str) {
    let mut seen: HashMap<String, (&Spanned<String>, bool)> = HashMap::new();
    let is_header = |f: &spec::FieldDef| f.location.as_ref().is_some_and(|l| l.value == "header");
    for f in fields {
        let json = &f.value.name.value;
        let rust = snake_case(json);
        let header = is_header(&f.value);
        if let Some(&(first, first_header)) = seen.get(&rust) {
            let msg = if first.value == *json {
                format!("`{json}` is declared twice in {owner}")
            } else if header && first_header && first.value.eq_ignore_ascii_case(json) {
                format!("header `{json}` is declared twice in {owner} (header names are case-insensitive)")
            } else {
                format!("`{json}` and `{}` both become the Rust field `{rust}` in {owner}", first.value)
            };
            ctx.diags.error(
                &ctx.loc_also(&f.value.name, first, "first declared here"),
                msg,
                "name collision",
                "give each field a distinct name",
            );
        } else {
            seen.insert(rust, (&f.value.name, header));
        }
    }
}

/// The names decided per endpoint must not clash with each other (`a_b.c` and `a.b_c` both
/// make `ABCRequest`) or with the spec's types.
pub(crate) fn check_generated_names(
    ctx: &mut Ctx<'_>,
    types: &[Spanned<spec::TypeDef>],
    defs: &[Spanned<spec::EndpointDef>],
    endpoints: &[ir::Endpoint],
) {
    let mut generated: HashMap<String, String> = HashMap::new();
    generated.insert("Client".into(), "the service client".into());
    for e in endpoints {
        let mut clash = None;
        for (name, what) in [
            (e.rust.builder.clone(), format!("the request builder of `{}`", e.name)),
            (e.rust.error.clone(), format!("the error enum of `{}`", e.name)),
            (format!("endpoints::{}", e.rust.descriptor), format!("the descriptor of `{}`", e.name)),
            (e.rust.handle.clone(), format!("the handle of resource `{}`", e.resource)),
        ] {
            match generated.get(&name) {
                // The handle of this endpoint's resource, made for an earlier endpoint.
                Some(first) if *first == what => {}
                Some(first) => {
                    clash.get_or_insert((name, first.clone()));
                }
                None => {
                    generated.insert(name, what);
                }
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
