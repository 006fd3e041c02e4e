//! Type expressions: `string`, `i64_string`, `json`, a type name, `T[]`, `map<string, T>`…,
//! parsed into the IR's `Ty`, each mistake a diagnostic.

use super::Ctx;
use super::types::{BUILTINS, Declared};
use crate::ir::Ty;
use crate::load::did_you_mean;
use crate::shape::Spanned;

/// Parses `string`, `Name`, `T[]`, `map<string, T>`…, reporting unknown names with a
/// did-you-mean.
pub(crate) fn parse_ty(ctx: &mut Ctx<'_>, ty: &Spanned<String>, known: &Declared<'_>) -> Option<Ty> {
    let parsed = match parse(ty.value.trim(), 0) {
        Ok(parsed) => parsed,
        Err(Bad { message, label, hint }) => {
            ctx.error(ty, message, label, hint);
            return None;
        }
    };
    if let Ty::Named(name) = parsed.leaf()
        && !known.contains(name.as_str())
    {
        let all = BUILTINS.iter().chain(known).copied();
        let hint = did_you_mean(
            name,
            all,
            "declare it under `types:`, or use string, boolean, i32, i64, i64_string, f64, json, binary, `T[]` or `map<string, T>`",
        );
        ctx.error(ty, format!("unknown type `{name}`"), "unknown type", hint);
        return None;
    }
    if parsed != Ty::Binary && *parsed.leaf() == Ty::Binary {
        ctx.error(
            ty,
            "a list or map of `binary` is not supported",
            "binary in a container",
            "declare one `binary` field per file",
        );
        return None;
    }
    Some(parsed)
}

/// Why a type expression does not parse: message, label, hint.
struct Bad {
    message: String,
    label: &'static str,
    hint: &'static str,
}

/// The named type a type expression comes down to (`map<string, Foo[]>` → `Foo`), if any: the
/// one parser of type expressions, for the importer's walk over the types a spec reaches.
pub(crate) fn named_leaf(expr: &str) -> Option<String> {
    match parse(expr, 0).ok()?.leaf() {
        Ty::Named(name) => Some(name.clone()),
        _ => None,
    }
}

/// Lists and maps nest at most this deep (the parse recurses; Lark's deepest is 2).
const MAX_NESTING: usize = 8;

/// A type expression, outermost first: `T[]`, then `map<K, V>`, then a name.
fn parse(s: &str, depth: usize) -> Result<Ty, Bad> {
    if depth > MAX_NESTING {
        return Err(Bad {
            message: format!("lists and maps are nested more than {MAX_NESTING} deep"),
            label: "too deep",
            hint: "declare a named type for an inner level",
        });
    }
    if let Some(inner) = s.strip_suffix("[]") {
        return Ok(Ty::List(Box::new(parse(inner.trim(), depth + 1)?)));
    }
    if let Some(args) = s.strip_prefix("map<").and_then(|a| a.strip_suffix('>')) {
        let Some((key, value)) = args.split_once(',') else {
            return Err(Bad {
                message: format!("`{s}` is not a type expression"),
                label: "bad map",
                hint: "write a map as `map<string, T>`, e.g. `map<string, string>`",
            });
        };
        if key.trim() != "string" {
            return Err(Bad {
                message: format!("the keys of `{s}` are not `string`"),
                label: "map key",
                hint: "JSON object keys are strings (a numeric key too, on the wire): write `map<string, T>`",
            });
        }
        return Ok(Ty::Map(Box::new(parse(value.trim(), depth + 1)?)));
    }
    Ok(match s {
        "string" => Ty::String,
        "boolean" => Ty::Bool,
        "i32" => Ty::I32,
        "i64" => Ty::I64,
        "i64_string" => Ty::I64String,
        "f64" => Ty::F64,
        "json" => Ty::Json,
        "binary" => Ty::Binary,
        name if name.starts_with(|c: char| c.is_ascii_alphabetic())
            && name.chars().all(|c| c.is_ascii_alphanumeric()) =>
        {
            Ty::Named(name.to_owned())
        }
        _ => {
            let hint = if s.contains(['<', '>']) || s.starts_with('[') {
                "write a list as `T[]` and a map as `map<string, T>`; other generics are not supported"
            } else {
                "write `string`, `boolean`, `i32`, `i64`, `i64_string`, `f64`, `json`, `binary`, a declared type name, `T[]` or `map<string, T>`"
            };
            return Err(Bad { message: format!("`{s}` is not a type expression"), label: "bad type", hint });
        }
    })
}

#[cfg(test)]
mod tests {
    use super::{MAX_NESTING, Ty, parse};

    fn map(t: Ty) -> Ty {
        Ty::Map(Box::new(t))
    }

    fn list(t: Ty) -> Ty {
        Ty::List(Box::new(t))
    }

    #[test]
    fn maps_and_lists_nest_either_way() {
        assert_eq!(parse("map<string, i64_string[]>", 0).ok(), Some(map(list(Ty::I64String))));
        assert_eq!(parse("map<string,map<string, json>>[]", 0).ok(), Some(list(map(map(Ty::Json)))));
        assert_eq!(parse("map< string , User >", 0).ok(), Some(map(Ty::Named("User".into()))));
    }

    #[test]
    fn bad_maps_say_why() {
        assert_eq!(parse("map<string>", 0).err().map(|b| b.label), Some("bad map"));
        assert_eq!(parse("map<i64, string>", 0).err().map(|b| b.label), Some("map key"));
        assert_eq!(parse("map<string, Vec<string>>", 0).err().map(|b| b.label), Some("bad type"));
        assert_eq!(parse("Map<string, string>", 0).err().map(|b| b.label), Some("bad type"));
    }

    #[test]
    fn nesting_stops_at_a_limit_instead_of_recursing_without_end() {
        let deep = format!("string{}", "[]".repeat(MAX_NESTING + 1));
        assert_eq!(parse(&deep, 0).err().map(|b| b.label), Some("too deep"));
        let deepest = format!("string{}", "[]".repeat(MAX_NESTING));
        assert!(parse(&deepest, 0).is_ok());
        let maps = format!("{}string{}", "map<string, ".repeat(100_000), ">".repeat(100_000));
        assert_eq!(parse(&maps, 0).err().map(|b| b.label), Some("too deep"));
    }
}
