//! Rust names. Every identifier of the generated code is decided here, once, while the spec
//! is checked, and stored in the IR; `expand` only turns stored names into tokens
//! ([`ident`]) and never converts case. The names generated code takes for itself are
//! listed here too, once, for checking to keep spec names away from them and for expand to
//! emit.

use heck::{ToShoutySnakeCase, ToSnakeCase, ToUpperCamelCase};
use proc_macro2::{Ident, Span};

/// What every service module imports from `std`, as `(module, name)`:
/// `use ::std::{boxed::Box, …}`. A type of the spec may not take one of these names.
pub(crate) const IMPORTS: &[(&str, &str)] = &[
    ("boxed", "Box"),
    ("collections", "BTreeMap"),
    ("option", "Option"),
    ("option::Option", "None"),
    ("option::Option", "Some"),
    ("result", "Result"),
    ("string", "String"),
    ("vec", "Vec"),
];

/// The fields and methods of every request builder besides its parameters' (a parameter may
/// not take one of these names).
pub(crate) const BUILDER_MEMBERS: &[&str] =
    &["client", "body", "user_token", "user_access_token", "call", "send", "stream"];

/// The methods of a service client besides its resource accessors (`Clone` gives `clone`).
pub(crate) const CLIENT_MEMBERS: &[&str] = &["new", "runtime", "clone"];

/// The methods of a resource handle besides its endpoints'.
pub(crate) const HANDLE_MEMBERS: &[&str] = &["clone"];

/// Rust keywords that can be raw identifiers (strict, reserved and 2018+ keywords).
const KEYWORDS: &[&str] = &[
    "abstract", "as", "async", "await", "become", "box", "break", "const", "continue", "do", "dyn", "else", "enum",
    "extern", "false", "final", "fn", "for", "gen", "if", "impl", "in", "let", "loop", "macro", "match", "mod", "move",
    "mut", "override", "priv", "pub", "ref", "return", "static", "struct", "trait", "true", "try", "type", "typeof",
    "unsafe", "unsized", "use", "virtual", "where", "while", "yield",
];

/// Words that cannot be identifiers even as raw identifiers.
pub(crate) const NOT_RAW: &[&str] = &["self", "Self", "super", "crate", "_"];

/// A stored name as an identifier: `r#type` becomes a raw identifier.
pub(crate) fn ident(name: &str) -> Ident {
    match name.strip_prefix("r#") {
        Some(raw) => Ident::new_raw(raw, Span::call_site()),
        None => Ident::new(name, Span::call_site()),
    }
}

/// The Rust name of a JSON field, parameter, resource or action: snake_case, raw when it is
/// a keyword (`type` → `r#type`).
pub(crate) fn field(json: &str) -> String {
    let snake = snake_case(json);
    if KEYWORDS.contains(&snake.as_str()) { format!("r#{snake}") } else { snake }
}

/// `EntityGet` for resource `entity`, action `get`: the stem of the request builder
/// (`EntityGetRequest`) and error enum (`EntityGetError`).
pub(crate) fn endpoint_stem(resource: &str, action: &str) -> String {
    format!("{}{}", resource.to_upper_camel_case(), action.to_upper_camel_case())
}

/// `FileResource` for resource `file`.
pub(crate) fn resource_handle(resource: &str) -> String {
    format!("{}Resource", resource.to_upper_camel_case())
}

/// A constant's name: `INVALID_PARAM`, `FILE_DOWNLOAD`.
pub(crate) fn constant(parts: &[&str]) -> String {
    parts.iter().map(|p| p.to_shouty_snake_case()).collect::<Vec<_>>().join("_")
}

/// An enum variant derived from a string wire value (`open_id` → `OpenId`).
pub(crate) fn variant(wire: &str) -> String {
    wire.to_upper_camel_case()
}

pub(crate) fn is_snake(s: &str) -> bool {
    !s.is_empty() && snake_case(s) == s && s.chars().next().is_some_and(|c| c.is_ascii_lowercase())
}

pub(crate) fn is_upper_camel(s: &str) -> bool {
    !s.is_empty()
        && s.to_upper_camel_case() == s
        && s.chars().next().is_some_and(|c| c.is_ascii_uppercase())
        && s.chars().all(|c| c.is_ascii_alphanumeric())
}

/// The snake_case form of a spec name (`pageToken` → `page_token`).
pub(crate) fn snake_case(name: &str) -> String {
    name.to_snake_case()
}

#[cfg(test)]
mod tests {
    #[test]
    fn keywords_become_raw() {
        assert_eq!(super::field("type"), "r#type");
        assert_eq!(super::ident(&super::field("type")).to_string(), "r#type");
        assert_eq!(super::field("pageToken"), "page_token");
        assert_eq!(super::constant(&["file", "download"]), "FILE_DOWNLOAD");
        assert_eq!(super::field("X-Request-Id"), "x_request_id");
        assert_eq!(super::field("Range"), "range");
    }
}
