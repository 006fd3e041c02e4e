//! Rules of `tagged_json` types (JSON carried in a string, its kind named by a sibling field)
//! and of the fields that use them (`tag_field`).

use std::collections::HashMap;

use super::types::{BUILTINS, Declared, TypeIndex};
use super::{Ctx, names};
use crate::ir::{self, Ty};
use crate::load::did_you_mean;
use crate::shape::Spanned;
use crate::spec;

/// Methods of every tagged type, which no constructor may take.
const METHODS: &[&str] = &["tag", "to_content", "from_parts"];

/// The kinds of a `tagged_json` type: tags unique, each a variant and a constructor name,
/// kind types declared (that they are objects is checked in [`check_uses`], once every type
/// is known), or `json` (any JSON) for one kind at most.
pub(crate) fn check_type(ctx: &mut Ctx<'_>, def: &spec::TaggedJsonDef, known: &Declared<'_>) -> Option<ir::TypeKind> {
    if def.kinds.value.is_empty() {
        ctx.error(&def.kinds, "`tagged_json` has no kinds", "no kinds", "list one `{ tag, type }` per documented kind");
        return None;
    }
    let mut tags: HashMap<&str, &Spanned<String>> = HashMap::new();
    let mut variants: HashMap<String, &Spanned<String>> = HashMap::new();
    let mut json_kind: Option<&Spanned<String>> = None;
    let mut out = Vec::new();
    for k in &def.kinds.value {
        let (tag, ty) = (&k.value.tag, &k.value.ty);
        if let Some(first) = tags.get(tag.value.as_str()) {
            ctx.diags.error(
                &ctx.loc_also(tag, *first, "first listed here"),
                format!("tag `{}` is listed twice", tag.value),
                "duplicate tag",
                "list each kind once",
            );
            continue;
        }
        tags.insert(&tag.value, tag);
        let variant = crate::names::variant(&tag.value);
        let constructor = crate::names::field(&tag.value);
        if variant == "Unknown"
            || variant == "Self"
            || !names::is_upper_camel(&variant)
            || !names::is_snake(&constructor)
        {
            ctx.error(
                tag,
                format!(
                    "tag `{}` would become the variant `{variant}`, which is reserved or not a Rust name",
                    tag.value
                ),
                "unusable tag",
                "`Unknown` holds the kinds this client does not know; a tag must be ASCII letters, digits and `_`",
            );
            continue;
        }
        if METHODS.contains(&constructor.as_str()) {
            ctx.error(
                tag,
                format!(
                    "tag `{}` would become the constructor `{constructor}`, a method of every tagged type",
                    tag.value
                ),
                "reserved constructor",
                format!("{} are methods of the type; leave this kind out: it decodes as `Unknown`", METHODS.join(", ")),
            );
            continue;
        }
        if let Some(first) = variants.get(&variant) {
            ctx.diags.error(
                &ctx.loc_also(tag, *first, "this tag has the same variant"),
                format!("two tags become the variant `{variant}`"),
                "variant collision",
                "a tagged type cannot tell these kinds apart in Rust; keep one",
            );
            continue;
        }
        variants.insert(variant.clone(), tag);
        if ty.value == "json" {
            // Any JSON (cards): one such kind, so decoding and `From` stay unambiguous.
            if let Some(first) = json_kind {
                ctx.diags.error(
                    &ctx.loc_also(ty, first, "the first `json` kind"),
                    "two kinds of a tagged JSON type are `json`",
                    "second json kind",
                    "give the others object types; any JSON of a tag the client does not know decodes as `Unknown`",
                );
                continue;
            }
            json_kind = Some(ty);
        } else if BUILTINS.contains(&ty.value.as_str()) {
            ctx.error(
                ty,
                format!("kind type `{}` is not a JSON object type", ty.value),
                "not an object",
                "a kind's content is a JSON object: an object type, or `json` for any JSON",
            );
            continue;
        } else if !known.contains(ty.value.as_str()) {
            let hint = did_you_mean(&ty.value, known.iter().copied(), "declare the kind's object type under `types:`");
            ctx.error(ty, format!("unknown kind type `{}`", ty.value), "unknown type", hint);
            continue;
        }
        out.push(ir::Kind {
            tag: tag.value.clone(),
            variant,
            constructor,
            ty: ty.value.clone(),
            description: k.value.description.clone(),
        });
    }
    Some(ir::TypeKind::TaggedJson(out))
}

/// Whether `ty` is a tagged JSON type.
fn is_tagged(ty: &Ty, types: &TypeIndex<'_>) -> bool {
    matches!(ty, Ty::Named(n) if matches!(types.get(n).map(|t| &t.kind), Some(ir::TypeKind::TaggedJson(_))))
}

/// Once every type is known: kinds are JSON objects, and tagged values are the fields of
/// JSON objects, each with its own `tag_field` that no other key of the object takes.
pub(crate) fn check_uses(ctx: &mut Ctx<'_>, defs: &[Spanned<spec::TypeDef>], types: &TypeIndex<'_>) {
    for d in defs {
        if let (Some(def), Some(ir::TypeKind::TaggedJson(kinds))) =
            (&d.value.tagged_json, types.get(&d.value.name.value).map(|t| &t.kind))
        {
            check_kinds(ctx, &def.value, kinds, types);
        }
        let (Some(fields), Some(ir::TypeKind::Struct(s))) =
            (&d.value.fields, types.get(&d.value.name.value).map(|t| &t.kind))
        else {
            continue;
        };
        let mut keys: HashMap<&str, &Spanned<String>> =
            fields.value.iter().map(|f| (&*f.value.name.value, &f.value.name)).collect();
        for f in &fields.value {
            let Some(field) = s.fields.iter().find(|x| x.name == f.value.name.value) else { continue };
            check_field(ctx, &f.value, field, s.multipart, types, &mut keys);
        }
    }
}

fn check_kinds(ctx: &mut Ctx<'_>, def: &spec::TaggedJsonDef, kinds: &[ir::Kind], types: &TypeIndex<'_>) {
    for k in &def.kinds.value {
        let Some(kind) = kinds.iter().find(|x| x.tag == k.value.tag.value && x.ty == k.value.ty.value) else {
            continue;
        };
        match types.get(&kind.ty).map(|t| &t.kind) {
            Some(ir::TypeKind::Struct(s)) if !s.multipart => {}
            Some(_) => ctx.error(
                &k.value.ty,
                format!("kind type `{}` is not a JSON object type", kind.ty),
                "not an object",
                "a kind's content is a JSON object: give its type `fields` (and no `binary` field), or use `json` for any JSON",
            ),
            None => {}
        }
    }
}

fn check_field<'a>(
    ctx: &mut Ctx<'_>,
    d: &'a spec::FieldDef,
    field: &ir::Field,
    multipart: bool,
    types: &TypeIndex<'_>,
    keys: &mut HashMap<&'a str, &'a Spanned<String>>,
) {
    let tagged = is_tagged(&field.ty, types);
    match (&d.tag_field, tagged) {
        (Some(tag_field), false) => ctx.error(
            tag_field,
            format!("`tag_field` on field `{}`, whose type `{}` is not a `tagged_json` type", field.name, d.ty.value),
            "not tagged JSON",
            "remove `tag_field`, or give the field a type declared with `tagged_json`",
        ),
        (None, true) => ctx.error(
            &d.name,
            format!("field `{}` of tagged JSON type `{}` has no `tag_field`", field.name, d.ty.value),
            "no tag field",
            "name the sibling key that carries the kind, e.g. `tag_field: msg_type`",
        ),
        (Some(tag_field), true) => {
            if let Some(first) = keys.get(tag_field.value.as_str()) {
                ctx.diags.error(
                    &ctx.loc_also(tag_field, *first, "taken here"),
                    format!("tag field `{}` is already a key of this object", tag_field.value),
                    "key taken",
                    "the client writes the tag field from the tagged value: do not declare it, and give each tagged field its own",
                );
            } else if tag_field.value.is_empty() {
                ctx.error(tag_field, "`tag_field` is empty", "empty key", "name the sibling key, e.g. `msg_type`");
            } else {
                keys.insert(&tag_field.value, tag_field);
            }
            if multipart {
                ctx.error(
                    &d.ty,
                    format!("field `{}` of a multipart form is tagged JSON", field.name),
                    "no text form",
                    "a form field is one text part; tagged JSON is two keys of a JSON object",
                );
            }
            let text_rules =
                [d.min_length.is_some(), d.max_length.is_some(), d.forbidden_chars.is_some(), d.extensions.is_some()];
            if text_rules.into_iter().any(|r| r) {
                ctx.error(
                    &d.name,
                    format!("string constraints on field `{}`, which is tagged JSON", field.name),
                    "constraint on the wrong type",
                    "constrain the fields of the kind types: they are checked under this field",
                );
            }
        }
        (None, false) => {}
    }
    if !tagged && is_tagged(field.ty.leaf(), types) {
        ctx.error(
            &d.ty,
            format!("field `{}` holds tagged JSON in a list or a map", field.name),
            "no sibling per item",
            "the kind of tagged JSON is a sibling key of the object it is in: wrap it in an object type with a `tag_field`",
        );
    }
}
