//! Named types: objects (public fields, not `#[non_exhaustive]`), open enums and tagged JSON
//! enums (`#[non_exhaustive]`), id newtypes.

use std::collections::BTreeMap;

use super::{ChangeKind, Changes, Docs, constraints, field_ty, matched, note, rust_ty};
use crate::diff::Rule;
use crate::ir::{EnumValue, Field, Kind, Response, Service, Struct, Ty, TypeDef, TypeKind};

pub(super) fn types(old: &Service, new: &Service, out: &mut Changes) {
    let module = new.module();
    let uses = Uses::of(new);
    for (name, o, n) in matched(&old.types, &new.types, |t| t.name.clone()) {
        let at = [module.as_str(), name.as_str()];
        match (o, n) {
            (None, Some(n)) => {
                out.push(&at, ChangeKind::Added, Rule::TypeAdded, format!("{} {name} added", shape(&n.kind)))
            }
            (Some(o), None) => {
                out.push(&at, ChangeKind::Removed, Rule::TypeRemoved, format!("{} {name} removed", shape(&o.kind)))
            }
            (Some(o), Some(n)) => type_def(&at, o, n, uses.get(&name), out),
            (None, None) => {}
        }
    }
}

fn shape(kind: &TypeKind) -> &'static str {
    match kind {
        TypeKind::Newtype => "newtype",
        TypeKind::StringEnum(_) => "string enum",
        TypeKind::IntEnum(_) => "integer enum",
        TypeKind::Struct(_) => "object",
        TypeKind::TaggedJson(_) => "tagged JSON",
    }
}

fn type_def(at: &[&str], old: &TypeDef, new: &TypeDef, used: Use, out: &mut Changes) {
    let mut docs = Docs::default();
    docs.compare("description", &old.description, &new.description);
    match (&old.kind, &new.kind) {
        (TypeKind::Newtype, TypeKind::Newtype) => {}
        (TypeKind::StringEnum(o), TypeKind::StringEnum(n)) | (TypeKind::IntEnum(o), TypeKind::IntEnum(n)) => {
            enum_values(at, o, n, &mut docs, out)
        }
        (TypeKind::Struct(o), TypeKind::Struct(n)) => object(at, &new.name, o, n, used, &mut docs, out),
        (TypeKind::TaggedJson(o), TypeKind::TaggedJson(n)) => kinds(at, o, n, &mut docs, out),
        (o, n) => {
            let what = format!("{} → {}", shape(o), shape(n));
            out.push(at, ChangeKind::Changed, Rule::TypeShapeChanged, what);
            return;
        }
    }
    docs.emit(at, out);
}

fn enum_values(at: &[&str], old: &[EnumValue], new: &[EnumValue], docs: &mut Docs, out: &mut Changes) {
    for (variant, o, n) in matched(old, new, |v| v.variant.clone()) {
        let path = [at, &[variant.as_str()]].concat();
        match (o, n) {
            (None, Some(n)) => out.push(
                &path,
                ChangeKind::Added,
                Rule::EnumValueAdded,
                format!("value {} added (`{variant}`)", n.wire),
            ),
            (Some(o), None) => out.push(
                &path,
                ChangeKind::Removed,
                Rule::EnumValueRemoved,
                format!("value {} removed (`{variant}`)", o.wire),
            ),
            (Some(o), Some(n)) => {
                let mut changed = Vec::new();
                note(&mut changed, "wire value", &o.wire, &n.wire);
                if !changed.is_empty() {
                    out.push(&path, ChangeKind::Changed, Rule::WireChanged, changed.join(", "));
                }
                docs.compare(&format!("{variant} description"), &o.description, &n.description);
            }
            (None, None) => {}
        }
    }
}

fn kinds(at: &[&str], old: &[Kind], new: &[Kind], docs: &mut Docs, out: &mut Changes) {
    for (variant, o, n) in matched(old, new, |k| k.variant.clone()) {
        let path = [at, &[variant.as_str()]].concat();
        match (o, n) {
            (None, Some(n)) => {
                let what = format!("kind {} added (`{variant}({})`, `{}(..)`)", n.tag, n.ty, n.constructor);
                out.push(&path, ChangeKind::Added, Rule::KindAdded, what)
            }
            (Some(o), None) => {
                out.push(&path, ChangeKind::Removed, Rule::KindRemoved, format!("kind {} removed (`{variant}`)", o.tag))
            }
            (Some(o), Some(n)) => {
                if o.ty != n.ty {
                    out.push(&path, ChangeKind::Changed, Rule::KindTypeChanged, format!("content {} → {}", o.ty, n.ty));
                }
                let mut changed = Vec::new();
                note(&mut changed, "tag", &o.tag, &n.tag);
                if !changed.is_empty() {
                    out.push(&path, ChangeKind::Changed, Rule::WireChanged, changed.join(", "));
                }
                docs.compare(&format!("{variant} description"), &o.description, &n.description);
            }
            (None, None) => {}
        }
    }
}

fn object(at: &[&str], name: &str, old: &Struct, new: &Struct, used: Use, docs: &mut Docs, out: &mut Changes) {
    constraints::at_least_one_of(at, &old.at_least_one_of, &new.at_least_one_of, out);
    for (rust, o, n) in matched(&old.fields, &new.fields, |f| f.rust.clone()) {
        let path = [at, &[rust.as_str()]].concat();
        let ctor = format!("`{name}::new(..)`");
        match (o, n) {
            (None, Some(n)) if n.required => {
                let what = format!(
                    "required field `{rust}: {}` added{}",
                    rust_ty(&n.ty),
                    used.effects(&format!("{ctor} gains `{rust}`"), "literals miss it")
                );
                out.push(&path, ChangeKind::Added, Rule::FieldAddedRequired, what);
            }
            (None, Some(n)) => {
                let what = format!("optional field `{rust}: {}` added", field_ty(&n.ty, false));
                out.push(&path, ChangeKind::Added, Rule::FieldAddedOptional, what);
            }
            (Some(o), None) => {
                let what = format!("field `{rust}: {}` removed", field_ty(&o.ty, o.required));
                out.push(&path, ChangeKind::Removed, Rule::FieldRemoved, what);
            }
            (Some(o), Some(n)) => field(&path, &ctor, o, n, used, docs, out),
            (None, None) => {}
        }
    }
}

fn field(at: &[&str], ctor: &str, old: &Field, new: &Field, used: Use, docs: &mut Docs, out: &mut Changes) {
    let rust = &new.rust;
    let (was, is) = (field_ty(&old.ty, old.required), field_ty(&new.ty, new.required));
    if rust_ty(&old.ty) != rust_ty(&new.ty) {
        out.push(at, ChangeKind::Changed, Rule::FieldTypeChanged, format!("field `{rust}` type: {was} → {is}"));
    } else if old.required != new.required {
        let (rule, how, effects) = if new.required {
            (
                Rule::FieldNowRequired,
                "optional → required",
                used.effects(&format!("{ctor} gains `{rust}`"), &format!("reads get `{is}`")),
            )
        } else {
            (
                Rule::FieldNowOptional,
                "required → optional",
                used.effects(&format!("{ctor} loses `{rust}`"), &format!("reads get `{is}`")),
            )
        };
        out.push(at, ChangeKind::Changed, rule, format!("field `{rust}`: {how} ({was} → {is}){effects}"));
    }
    let mut changed = Vec::new();
    note(&mut changed, "wire name", &old.name, &new.name);
    if old.ty != new.ty && rust_ty(&old.ty) == rust_ty(&new.ty) {
        changed.push(format!("encoding {:?} → {:?}", old.ty, new.ty));
    }
    let or_none = |v: &Option<String>| v.clone().unwrap_or_else(|| "none".to_owned());
    note(&mut changed, "tag field", &or_none(&old.tag_field), &or_none(&new.tag_field));
    note(&mut changed, "content type", &or_none(&old.content_type), &or_none(&new.content_type));
    if !changed.is_empty() {
        out.push(at, ChangeKind::Changed, Rule::WireChanged, format!("field `{rust}`: {}", changed.join(", ")));
    }
    constraints::compare(at, &old.rules, &new.rules, out);
    docs.compare(&format!("{rust} description"), &old.description, &new.description);
    docs.compare(&format!("{rust} default"), &old.default, &new.default);
    docs.compare(&format!("{rust} example"), &old.example, &new.example);
}

/// Where a type is used in the new specs: built for requests (inputs, bodies), read from
/// responses, or both. It only words the consequences; every field change breaks either way.
#[derive(Clone, Copy, Default)]
struct Use {
    request: bool,
    response: bool,
}

impl Use {
    /// `; requests: …; responses: …` for the uses the type has.
    fn effects(self, request: &str, response: &str) -> String {
        let mut out = String::new();
        if self.request {
            out.push_str(&format!("; in requests {request}"));
        }
        if self.response {
            out.push_str(&format!("; in responses {response}"));
        }
        out
    }
}

struct Uses(BTreeMap<String, Use>);

impl Uses {
    fn of(service: &Service) -> Uses {
        let mut uses = Uses(BTreeMap::new());
        for e in &service.endpoints {
            let params = e.path_params.iter().chain(&e.query_params).chain(&e.header_params);
            for ty in params.map(|p| &p.ty) {
                uses.mark(service, ty, true);
            }
            if let Some(body) = &e.request {
                uses.mark(service, &Ty::Named(body.ty.clone()), true);
            }
            if let Response::Json(data) = &e.response {
                uses.mark(service, &Ty::Named(data.clone()), false);
            }
        }
        uses
    }

    fn get(&self, name: &str) -> Use {
        self.0.get(name).copied().unwrap_or_default()
    }

    /// Marks the named type under `ty` and every type it holds.
    fn mark(&mut self, service: &Service, ty: &Ty, request: bool) {
        let Ty::Named(name) = ty.leaf() else { return };
        let entry = self.0.entry(name.clone()).or_default();
        let seen = if request { &mut entry.request } else { &mut entry.response };
        if *seen {
            return; // also ends cycles through lists
        }
        *seen = true;
        match service.type_def(name).map(|t| &t.kind) {
            Some(TypeKind::Struct(s)) => s.fields.iter().for_each(|f| self.mark(service, &f.ty, request)),
            Some(TypeKind::TaggedJson(kinds)) => kinds
                .iter()
                .filter(|k| !k.is_json())
                .for_each(|k| self.mark(service, &Ty::Named(k.ty.clone()), request)),
            _ => {}
        }
    }
}
