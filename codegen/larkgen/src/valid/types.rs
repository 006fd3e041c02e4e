//! Rules of named types and fields: shapes, references, constraints, cycles.

use std::collections::{HashMap, HashSet};
use std::fmt::Display;

use crate::shape::Spanned;

pub(crate) use super::type_expr::parse_ty;
use super::{Ctx, names};
use crate::ir::{self, Ty};
use crate::load::did_you_mean;
use crate::spec::{self, Scalar};

pub(crate) const BUILTINS: &[&str] = &["string", "boolean", "i32", "i64", "i64_string", "f64", "json", "binary"];

/// The type names a service declares, whether or not their definitions pass their checks:
/// every type expression is looked up here. (Lists searched from the start made checking
/// quadratic in the number of types: at 2,000 types most of validation's time.)
pub(crate) type Declared<'a> = HashSet<&'a str>;

pub(crate) fn declared(defs: &[Spanned<spec::TypeDef>]) -> Declared<'_> {
    defs.iter().map(|d| d.value.name.value.as_str()).collect()
}

/// The types that passed their checks, by name (the first, if a name is declared twice).
pub(crate) struct TypeIndex<'a>(HashMap<&'a str, &'a ir::TypeDef>);

impl<'a> TypeIndex<'a> {
    pub(crate) fn new(types: &'a [ir::TypeDef]) -> Self {
        let mut by_name = HashMap::with_capacity(types.len());
        for t in types {
            by_name.entry(t.name.as_str()).or_insert(t);
        }
        TypeIndex(by_name)
    }

    pub(crate) fn get(&self, name: &str) -> Option<&'a ir::TypeDef> {
        self.0.get(name).copied()
    }
}

pub(crate) fn check_types(ctx: &mut Ctx<'_>, defs: &[Spanned<spec::TypeDef>]) -> Vec<ir::TypeDef> {
    let mut seen: HashMap<&str, &Spanned<String>> = HashMap::new();
    for d in defs {
        let name = &d.value.name;
        names::check_type_name(ctx, name, "type");
        let imported = crate::names::IMPORTS.iter().any(|(_, imported)| *imported == name.value);
        if BUILTINS.contains(&name.value.as_str()) || name.value == "Unknown" || imported {
            let hint = if imported {
                format!("every generated service module imports std's `{}`; choose another name", name.value)
            } else {
                "choose another name".into()
            };
            ctx.error(name, format!("`{}` is a reserved type name", name.value), "reserved", hint);
        }
        if let Some(first) = seen.get(name.value.as_str()) {
            ctx.diags.error(
                &ctx.loc_also(name, *first, "first declared here"),
                format!("type `{}` is declared twice", name.value),
                "duplicate type",
                "keep one declaration, or rename one of them",
            );
        } else {
            seen.insert(name.value.as_str(), name);
        }
    }
    let known = declared(defs);
    let out: Vec<ir::TypeDef> = defs.iter().filter_map(|d| check_type(ctx, d, &known)).collect();
    let index = TypeIndex::new(&out);
    check_cycles(ctx, defs, &index);
    super::tagged::check_uses(ctx, defs, &index);
    // Defaults and examples of fields, now that every enum is known.
    for d in defs {
        let (Some(fields), Some(ir::TypeKind::Struct(s))) =
            (&d.value.fields, index.get(&d.value.name.value).map(|t| &t.kind))
        else {
            continue;
        };
        for f in &fields.value {
            if let Some(field) = s.fields.iter().find(|x| x.name == f.value.name.value) {
                check_values(ctx, &f.value, field, &index);
            }
        }
    }
    out
}

/// `default` and `example` must be values of the field: the right kind, a value of its
/// enum, and within its bounds.
pub(crate) fn check_values(ctx: &mut Ctx<'_>, d: &spec::FieldDef, field: &ir::Field, types: &TypeIndex<'_>) {
    for (key, value) in [("default", &d.default), ("example", &d.example)] {
        let Some(v) = value else {
            continue;
        };
        let shown = scalar_text(&v.value);
        let problem: Option<(String, String, String)> = match (&field.ty, &v.value) {
            (Ty::Bool, Scalar::Bool(_)) => None,
            (Ty::F64, Scalar::Str(s)) if s.parse::<f64>().is_ok() => None,
            (Ty::I32, Scalar::Int(i)) if i32::try_from(*i).is_err() => Some((
                format!("{key} {i} does not fit an `i32`"),
                "out of range".into(),
                "use a smaller value, or make the field `i64`".into(),
            )),
            (Ty::I64String, Scalar::Str(s)) if s.parse::<i64>().is_err() => Some((
                format!("{key} `{s}` is not an int64"),
                "not an integer".into(),
                "write the integer, quoted or not, e.g. `7152790921053274113`".into(),
            )),
            (Ty::I64String, Scalar::Str(s)) => s.parse().ok().and_then(|i| out_of_bounds(d, i)).map(|b| {
                (
                    format!("{key} {s} is {b}"),
                    "outside the bounds".into(),
                    "make the value satisfy the field's `min`/`max`, or fix the bounds".into(),
                )
            }),
            (Ty::I32 | Ty::I64 | Ty::I64String | Ty::F64, Scalar::Int(i)) => out_of_bounds(d, *i).map(|b| {
                (
                    format!("{key} {i} is {b}"),
                    "outside the bounds".into(),
                    "make the value satisfy the field's `min`/`max`, or fix the bounds".into(),
                )
            }),
            (Ty::Bool, _) => Some((
                format!("{key} `{shown}` is not a boolean"),
                "not true or false".into(),
                "write `true` or `false`".into(),
            )),
            (Ty::I32 | Ty::I64 | Ty::I64String | Ty::F64, _) => Some((
                format!("{key} `{shown}` is not a number"),
                "not a number".into(),
                "write a number without quotes".into(),
            )),
            (Ty::Named(n), _) => match types.get(n).map(|t| &t.kind) {
                Some(ir::TypeKind::StringEnum(values) | ir::TypeKind::IntEnum(values))
                    if !values.iter().any(|e| e.wire == shown) =>
                {
                    let wires = || values.iter().map(|e| e.wire.as_str());
                    let hint = did_you_mean(
                        &shown,
                        wires(),
                        &format!("use one of: {}", wires().collect::<Vec<_>>().join(", ")),
                    );
                    Some((format!("{key} `{shown}` is not a value of enum `{n}`"), "unknown value".into(), hint))
                }
                _ => None,
            },
            (Ty::String, Scalar::Str(s)) => {
                let chars = s.chars().count() as u64;
                let short = d
                    .min_length
                    .as_ref()
                    .filter(|m| chars < m.value)
                    .map(|m| format!("shorter than `min_length: {}`", m.value));
                let long = d
                    .max_length
                    .as_ref()
                    .filter(|m| chars > m.value)
                    .map(|m| format!("longer than `max_length: {}`", m.value));
                short.or(long).map(|b| {
                    (
                        format!("{key} `{s}` is {b}"),
                        "outside the bounds".into(),
                        "make the value satisfy the field's length bounds, or fix them".into(),
                    )
                })
            }
            _ => None,
        };
        if let Some((message, label, hint)) = problem {
            ctx.error(v, message, label, hint);
        }
    }
}

fn out_of_bounds(d: &spec::FieldDef, i: i64) -> Option<String> {
    if let Some(min) = d.min.as_ref().filter(|m| i < m.value) {
        return Some(format!("below `min: {}`", min.value));
    }
    d.max.as_ref().filter(|m| i > m.value).map(|m| format!("above `max: {}`", m.value))
}

fn check_type(ctx: &mut Ctx<'_>, d: &Spanned<spec::TypeDef>, known: &Declared<'_>) -> Option<ir::TypeDef> {
    let t = &d.value;
    let shapes = [t.newtype.is_some(), t.enum_repr.is_some(), t.fields.is_some(), t.tagged_json.is_some()];
    if shapes.iter().filter(|s| **s).count() != 1 {
        ctx.error(
            &t.name,
            format!("type `{}` must have exactly one of `newtype`, `enum`, `fields` or `tagged_json`", t.name.value),
            "ambiguous or empty type",
            "an id is `newtype: string`; an enum is `enum: string|integer` with `values`; an object has `fields`; JSON in a string is `tagged_json`",
        );
        return None;
    }
    if t.enum_repr.is_none() && t.values.is_some() {
        ctx.error(
            &t.name,
            "`values` is only allowed on enums",
            "values without `enum`",
            "add `enum: string` or `enum: integer`, or remove `values`",
        );
    }
    if t.fields.is_none() && t.at_least_one_of.is_some() {
        ctx.error(
            &t.name,
            "`at_least_one_of` is only allowed on object types",
            "not an object",
            "remove it, or give the type `fields`",
        );
    }
    let kind = if let Some(nt) = &t.newtype {
        if nt.value != "string" {
            ctx.error(
                nt,
                format!("newtype over `{}` is not supported", nt.value),
                "unsupported newtype",
                "ids are carried as strings: write `newtype: string`",
            );
        }
        ir::TypeKind::Newtype
    } else if let Some(repr) = &t.enum_repr {
        check_enum(ctx, t, repr)?
    } else if let Some(fields) = &t.fields {
        ir::TypeKind::Struct(check_struct(ctx, t, fields, known)?)
    } else if let Some(tagged) = &t.tagged_json {
        super::tagged::check_type(ctx, &tagged.value, known)?
    } else {
        return None;
    };
    Some(ir::TypeDef { name: t.name.value.clone(), description: t.description.clone(), kind })
}

fn check_enum(ctx: &mut Ctx<'_>, t: &spec::TypeDef, repr: &Spanned<String>) -> Option<ir::TypeKind> {
    let integer = match repr.value.as_str() {
        "string" => false,
        "integer" => true,
        other => {
            ctx.error(
                repr,
                format!("enum representation `{other}` is not supported"),
                "unknown representation",
                if other.starts_with(['i', 'u']) || other == "number" {
                    "did you mean `integer`? (`enum: string` or `enum: integer`)"
                } else {
                    "use `enum: string` or `enum: integer`"
                },
            );
            return None;
        }
    };
    let Some(values) = t.values.as_ref().filter(|v| !v.is_empty()) else {
        ctx.error(
            &t.name,
            format!("enum `{}` has no values", t.name.value),
            "no values",
            "list its values under `values:`",
        );
        return None;
    };
    let mut out = Vec::new();
    let mut wires: HashMap<String, &Spanned<Scalar>> = HashMap::new();
    let mut variants: HashMap<String, &Spanned<Scalar>> = HashMap::new();
    for v in values {
        let wire = match (&v.value.value.value, integer) {
            (Scalar::Int(i), true) => i.to_string(),
            (Scalar::Str(s), false) => s.clone(),
            _ => {
                let (a, hint) = if integer {
                    ("an integer", "write the number without quotes")
                } else {
                    ("a string", "quote the value")
                };
                ctx.error(&v.value.value, format!("this value of {a} enum is not {a}"), format!("not {a}"), hint);
                continue;
            }
        };
        if let Some(first) = wires.get(&wire) {
            ctx.diags.error(
                &ctx.loc_also(&v.value.value, *first, "first listed here"),
                format!("enum value `{wire}` is listed twice"),
                "duplicate value",
                "list each value once",
            );
            continue;
        }
        wires.insert(wire.clone(), &v.value.value);
        let variant = match &v.value.name {
            Some(n) => {
                if !names::check_type_name(ctx, n, "variant") {
                    continue;
                }
                if n.value == "Unknown" {
                    ctx.error(
                        n,
                        "`Unknown` is the variant that holds values this client does not know",
                        "reserved variant name",
                        "choose another name",
                    );
                    continue;
                }
                n.value.clone()
            }
            None if !integer => {
                let derived = crate::names::variant(&wire);
                if derived == "Unknown" || derived == "Self" || !names::is_upper_camel(&derived) {
                    ctx.error(
                        &v.value.value,
                        format!(
                            "value `{wire}` would become the variant `{derived}`, which is reserved or not a Rust name"
                        ),
                        "needs a name",
                        "give the value an explicit `name:` in UpperCamelCase",
                    );
                    continue;
                }
                derived
            }
            None => {
                ctx.error(
                    &v.value.value,
                    "a value of an integer enum needs a `name`",
                    "unnamed value",
                    "add `name: SomeVariant`",
                );
                continue;
            }
        };
        if let Some(first) = variants.get(&variant) {
            ctx.diags.error(
                &ctx.loc_also(&v.value.value, *first, "this value has the same variant"),
                format!("two values become the variant `{variant}`"),
                "variant collision",
                "give one of them an explicit `name:`",
            );
            continue;
        }
        variants.insert(variant.clone(), &v.value.value);
        out.push(ir::EnumValue { variant, wire, description: v.value.description.clone() });
    }
    Some(if integer { ir::TypeKind::IntEnum(out) } else { ir::TypeKind::StringEnum(out) })
}

fn check_struct(
    ctx: &mut Ctx<'_>,
    t: &spec::TypeDef,
    fields: &Spanned<Vec<Spanned<spec::FieldDef>>>,
    known: &Declared<'_>,
) -> Option<ir::Struct> {
    if fields.value.is_empty() {
        ctx.error(
            fields,
            format!("type `{}` has no fields", t.name.value),
            "empty object",
            "list its fields, or make it a `newtype`",
        );
    }
    names::check_field_collisions(ctx, &fields.value, &format!("type `{}`", t.name.value));
    let mut out = Vec::new();
    for f in &fields.value {
        if let Some(loc) = &f.value.location {
            ctx.error(loc, "`in` is only for endpoint parameters", "not a parameter", "remove `in:` from type fields");
        }
        if let Some(field) = check_field(ctx, f, known) {
            out.push(field);
        }
    }
    let multipart = out.iter().any(|f| f.ty == Ty::Binary);
    if multipart {
        check_form_fields(ctx, &fields.value, &out);
    }
    let mut at_least_one_of = Vec::new();
    if let Some(list) = &t.at_least_one_of {
        for name in &list.value {
            match out.iter().find(|f| f.name == name.value) {
                Some(f) if f.required => ctx.warning(
                    name,
                    format!("`{}` is required, so `at_least_one_of` always holds", name.value),
                    "required field",
                    "list only optional fields",
                ),
                Some(_) => {}
                None => {
                    let fields = out.iter().map(|f| f.name.as_str());
                    let hint = crate::load::did_you_mean(&name.value, fields, "list fields of this type");
                    ctx.error(
                        name,
                        format!("`{}` is not a field of `{}`", name.value, t.name.value),
                        "unknown field",
                        hint,
                    )
                }
            }
            at_least_one_of.push(name.value.clone());
        }
        if list.value.len() < 2 {
            ctx.error(
                list,
                "`at_least_one_of` needs two or more fields",
                "too few fields",
                "for one field, mark it `required: true` instead",
            );
        }
    }
    Some(ir::Struct { fields: out, at_least_one_of, multipart })
}

/// A multipart form sends each field but its files as one text part, so lists and maps have
/// no form (`json` does: its JSON text). A field of an object type has none either and is
/// not caught yet: the kinds of named types are not known while their fields are checked.
fn check_form_fields(ctx: &mut Ctx<'_>, defs: &[Spanned<spec::FieldDef>], fields: &[ir::Field]) {
    for f in fields.iter().filter(|f| matches!(f.ty, Ty::List(_) | Ty::Map(_))) {
        if let Some(d) = defs.iter().find(|d| d.value.name.value == f.name) {
            ctx.error(
                &d.value.ty,
                format!("field `{}` of a multipart form is a list or a map", f.name),
                "no text form",
                "each field of a form (a type with a `binary` field) is one text part: use a scalar, an enum, a newtype or `json`",
            );
        }
    }
}

/// Checks one field or parameter: name, type expression, constraints.
pub(crate) fn check_field(ctx: &mut Ctx<'_>, f: &Spanned<spec::FieldDef>, known: &Declared<'_>) -> Option<ir::Field> {
    let d = &f.value;
    let name_ok = names::check_field_name(ctx, &d.name);
    let ty = parse_ty(ctx, &d.ty, known)?;
    let rules = check_rules(ctx, d, &ty);
    let content_type = check_content_type(ctx, d, &ty);
    name_ok.then(|| ir::Field {
        rust: crate::names::field(&d.name.value),
        name: d.name.value.clone(),
        ty,
        required: d.required,
        description: d.description.clone(),
        default: d.default.as_ref().map(|s| scalar_text(&s.value)),
        example: d.example.as_ref().map(|s| scalar_text(&s.value)),
        rules,
        tag_field: d.tag_field.as_ref().map(|t| t.value.clone()),
        content_type,
    })
}

/// `content_type` of a `binary` field: the part's default `Content-Type`, a media type
/// `type/subtype` (RFC 6838 names, no parameters), sent when the call names none.
fn check_content_type(ctx: &mut Ctx<'_>, d: &spec::FieldDef, ty: &Ty) -> Option<String> {
    let ct = d.content_type.as_ref()?;
    if *ty != Ty::Binary {
        ctx.error(
            ct,
            format!("`content_type` does not apply to a field of type `{}`", d.ty.value),
            "constraint on the wrong type",
            "`content_type` is the default content type of a file part: it applies to `binary` fields",
        );
        return None;
    }
    // RFC 6838 §4.2: 1–127 characters, a letter or digit first, then these.
    let name_ok = |s: &str| {
        (1..=127).contains(&s.len())
            && s.starts_with(|c: char| c.is_ascii_alphanumeric())
            && s.chars().all(|c| c.is_ascii_alphanumeric() || "!#$&-^_.+".contains(c))
    };
    match ct.value.split_once('/') {
        Some((t, sub)) if name_ok(t) && name_ok(sub) => Some(ct.value.to_ascii_lowercase()),
        _ => {
            ctx.error(
                ct,
                format!("`{}` is not a media type", ct.value),
                "not `type/subtype`",
                "write a media type such as `image/png` or `application/octet-stream`, without parameters",
            );
            None
        }
    }
}

pub(crate) fn scalar_text(s: &Scalar) -> String {
    match s {
        Scalar::Int(i) => i.to_string(),
        Scalar::Bool(b) => b.to_string(),
        Scalar::Str(s) => s.clone(),
    }
}

fn check_rules(ctx: &mut Ctx<'_>, d: &spec::FieldDef, ty: &Ty) -> ir::Rules {
    let is_text = matches!(ty, Ty::String | Ty::Named(_));
    let is_list = matches!(ty, Ty::List(_) | Ty::Map(_));
    let is_number = matches!(ty, Ty::I32 | Ty::I64 | Ty::I64String | Ty::F64);
    let is_binary = *ty == Ty::Binary;
    // Reported at the constraint's value when it has one, at the field's name otherwise.
    let wrong = |ctx: &mut Ctx<'_>, present: bool, at: Option<&Spanned<u64>>, key: &str, fits: bool, kind: &str| {
        if present && !fits {
            let loc = at.map_or_else(|| ctx.loc(&d.name), |at| ctx.loc(at));
            ctx.diags.error(
                &loc,
                format!("`{key}` does not apply to a field of type `{}`", d.ty.value),
                "constraint on the wrong type",
                format!("`{key}` applies to {kind} fields"),
            );
        }
    };
    wrong(ctx, d.min_length.is_some(), d.min_length.as_ref(), "min_length", is_text, "string");
    wrong(ctx, d.max_length.is_some(), d.max_length.as_ref(), "max_length", is_text, "string");
    wrong(ctx, d.forbidden_chars.is_some(), None, "forbidden_chars", is_text, "string");
    wrong(ctx, d.extensions.is_some(), None, "extensions", is_text, "string");
    wrong(ctx, d.min_items.is_some(), d.min_items.as_ref(), "min_items", is_list, "list (`T[]`) and map");
    wrong(ctx, d.max_items.is_some(), d.max_items.as_ref(), "max_items", is_list, "list (`T[]`) and map");
    wrong(ctx, d.min_bytes.is_some(), d.min_bytes.as_ref(), "min_bytes", is_binary, "`binary`");
    wrong(ctx, d.max_bytes.is_some(), d.max_bytes.as_ref(), "max_bytes", is_binary, "`binary`");
    if (d.min.is_some() || d.max.is_some()) && !is_number {
        ctx.error(
            &d.name,
            format!("`min`/`max` do not apply to a field of type `{}`", d.ty.value),
            "constraint on the wrong type",
            "`min`/`max` apply to number fields; use min_length/max_length for strings",
        );
    }
    check_order(ctx, "_length", d.min_length.as_ref(), d.max_length.as_ref());
    check_order(ctx, "_items", d.min_items.as_ref(), d.max_items.as_ref());
    check_order(ctx, "_bytes", d.min_bytes.as_ref(), d.max_bytes.as_ref());
    check_order(ctx, "", d.min.as_ref(), d.max.as_ref());
    if let Some(max) = d.max_length.as_ref().filter(|m| m.value == 0) {
        ctx.error(
            max,
            "max_length 0 allows only the empty string",
            "zero",
            "remove the field, or give a positive bound",
        );
    }
    ir::Rules {
        min_length: d.min_length.as_ref().map(|v| v.value),
        max_length: d.max_length.as_ref().map(|v| v.value),
        min_items: d.min_items.as_ref().map(|v| v.value),
        max_items: d.max_items.as_ref().map(|v| v.value),
        min: d.min.as_ref().map(|v| v.value),
        max: d.max.as_ref().map(|v| v.value),
        forbidden_chars: d.forbidden_chars.as_ref().map(|v| v.value.clone()).unwrap_or_default(),
        extensions: d.extensions.clone().unwrap_or_default(),
        min_bytes: d.min_bytes.as_ref().map(|v| v.value),
        max_bytes: d.max_bytes.as_ref().map(|v| v.value),
    }
}

/// A lower bound must not be above its upper bound (`min{what}`, `max{what}`).
fn check_order<T: PartialOrd + Display>(
    ctx: &mut Ctx<'_>,
    what: &str,
    min: Option<&Spanned<T>>,
    max: Option<&Spanned<T>>,
) {
    if let (Some(min), Some(max)) = (min, max)
        && min.value > max.value
    {
        ctx.error(
            min,
            format!("min{what} {} is greater than max{what} {}", min.value, max.value),
            "contradicts max",
            "swap the bounds or fix one of them",
        );
    }
}

/// A struct that contains itself without a list in between has infinite size.
fn check_cycles(ctx: &mut Ctx<'_>, defs: &[Spanned<spec::TypeDef>], types: &TypeIndex<'_>) {
    let direct = |name: &str| -> Vec<String> {
        match types.get(name).map(|t| &t.kind) {
            Some(ir::TypeKind::Struct(s)) => s
                .fields
                .iter()
                .filter_map(|f| match &f.ty {
                    Ty::Named(n) => Some(n.clone()),
                    _ => None,
                })
                .collect(),
            // A tagged value holds one of its kinds.
            Some(ir::TypeKind::TaggedJson(kinds)) => kinds.iter().map(|k| k.ty.clone()).collect(),
            _ => Vec::new(),
        }
    };
    let mut in_reported_cycle: HashSet<String> = HashSet::new();
    for d in defs {
        let start = &d.value.name.value;
        if in_reported_cycle.contains(start) {
            continue;
        }
        let mut stack = vec![(start.clone(), vec![start.clone()])];
        let mut visited = HashSet::new();
        while let Some((node, path)) = stack.pop() {
            for next in direct(&node) {
                if &next == start {
                    in_reported_cycle.extend(path.iter().cloned());
                    let chain = path.iter().chain(std::iter::once(&next)).cloned().collect::<Vec<_>>().join(" → ");
                    ctx.error(
                        &d.value.name,
                        format!("type `{start}` contains itself: {chain}"),
                        "infinite type",
                        "break the cycle with a list (`T[]`), which adds the indirection a recursive type needs",
                    );
                    stack.clear();
                    break;
                }
                if visited.insert(next.clone()) {
                    let mut p = path.clone();
                    p.push(next.clone());
                    stack.push((next, p));
                }
            }
        }
    }
}
