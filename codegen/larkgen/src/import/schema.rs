//! OpenAPI schemas → spec type expressions and named types.
//!
//! The converter's component names (`Schema2`, `Item3`) mean nothing, so types are named after
//! where they are used: an object under field `display_status` is `DisplayStatus`, a list's
//! items the field's singular (`main_keys` → `MainKey`; `items` → the resource), an enum after
//! its field or parameter (`user_id_type` → `UserIdType`). Two uses of the same shape share one
//! type; a name already taken by another shape is qualified by its parent
//! (`EntityDisplayStatus`), then numbered. Everything here is deterministic, so a re-import of
//! unchanged metadata gives the same names, which is what overlays key on.

use std::collections::{HashMap, HashSet};

use heck::ToUpperCamelCase;

use super::text::doc_text;
use super::tree::Y;

/// Names no imported type may take: the built-ins and what every module imports or generates.
const RESERVED: &[&str] = &[
    "Box", "BTreeMap", "Option", "None", "Some", "Result", "String", "Vec", "Self", "Unknown", "Client", "Json",
    "Error", "Endpoint", "Call",
];

/// Why a schema cannot be expressed in the spec format.
pub(crate) type Unsupported = String;

/// The named types of one service, built as its operations are converted.
pub(crate) struct Types<'a> {
    components: &'a Y,
    defs: Vec<(String, Y)>,
    by_shape: HashMap<String, String>,
    taken: HashSet<String>,
    /// Component refs being converted, for recursion.
    open_refs: Vec<String>,
    /// The resource of the endpoint being converted (`Message`): what `items` hold.
    pub(crate) resource: String,
}

impl<'a> Types<'a> {
    pub(crate) fn new(components: &'a Y) -> Self {
        let taken = RESERVED.iter().map(|s| (*s).to_owned()).collect();
        Types {
            components,
            defs: Vec::new(),
            by_shape: HashMap::new(),
            taken,
            open_refs: Vec::new(),
            resource: String::new(),
        }
    }

    /// Reserves a name the generator derives from endpoints (`MessageCreateRequest`).
    pub(crate) fn reserve(&mut self, name: String) {
        self.taken.insert(name);
    }

    /// The type definitions, in the order they were made.
    pub(crate) fn into_defs(self) -> Vec<(String, Y)> {
        self.defs
    }

    /// Follows `$ref` and one-element `allOf` (the converter's way of adding a description
    /// to a reference); merges the properties of a longer `allOf`.
    pub(crate) fn resolve(&self, schema: &Y) -> (Y, Option<String>) {
        if let Some(target) = schema.get("$ref").and_then(Y::as_str) {
            let name = target.rsplit('/').next().unwrap_or_default();
            let found = self.components.get(name).cloned().unwrap_or(Y::map());
            return (found, Some(name.to_owned()));
        }
        let parts = schema.list("allOf");
        if parts.len() == 1 {
            return self.resolve(&parts[0]);
        }
        if parts.len() > 1 {
            let mut merged = Y::map().with("type", Y::str("object"));
            let (mut props, mut required) = (Vec::new(), Vec::new());
            for p in parts {
                let (p, _) = self.resolve(p);
                props.extend(p.get("properties").map(|m| m.entries().to_vec()).unwrap_or_default());
                required.extend(p.list("required").iter().cloned());
            }
            merged.set("properties", Y::Map(props));
            merged.set("required", Y::Seq(required));
            return (merged, None);
        }
        (schema.clone(), None)
    }

    /// The type expression of `schema`, making named types as needed. `hint` is the name a
    /// new object or enum type gets, `parent` the type it is qualified by on a clash.
    pub(crate) fn expr(&mut self, schema: &Y, hint: &str, parent: &str) -> Result<String, Unsupported> {
        let (s, component) = self.resolve(schema);
        if let Some(c) = &component
            && self.open_refs.contains(c)
        {
            // A type that contains itself: kept as free JSON rather than guessed.
            return Ok("json".into());
        }
        if s.get("enum").is_some() {
            return self.enumeration(&s, hint, parent);
        }
        let ty = s.text("type");
        Ok(match (ty, s.text("format")) {
            ("string", "int64") => "i64_string".into(),
            ("string", "binary") => "binary".into(),
            ("string", _) => "string".into(),
            ("integer", _) => "i64".into(),
            ("number", _) => "f64".into(),
            ("boolean", _) => "boolean".into(),
            ("array", _) => {
                let item_hint = singular(hint);
                let inner = match s.get("items") {
                    Some(items) => self.expr(items, &item_hint, parent)?,
                    None => "json".into(),
                };
                if inner == "binary" {
                    return Err("a list of files".into());
                }
                format!("{inner}[]")
            }
            _ => {
                let has_props = s.get("properties").is_some_and(|p| !p.entries().is_empty());
                if has_props {
                    if let Some(c) = &component {
                        self.open_refs.push(c.clone());
                    }
                    let made = self.object(&s, hint, parent);
                    if component.is_some() {
                        self.open_refs.pop();
                    }
                    made?
                } else if let Some(values) = s.get("additionalProperties").filter(|v| matches!(v, Y::Map(_))) {
                    let inner = self.expr(values, &singular(hint), parent)?;
                    if inner == "binary" {
                        return Err("a map of files".into());
                    }
                    format!("map<string, {inner}>")
                } else {
                    "json".into()
                }
            }
        })
    }

    fn object(&mut self, s: &Y, hint: &str, parent: &str) -> Result<String, Unsupported> {
        let required: HashSet<&str> = s.list("required").iter().filter_map(Y::as_str).collect();
        let mut fields = Vec::new();
        for (name, prop) in s.get("properties").map(Y::entries).unwrap_or_default() {
            // A list named `items` (the page of a list endpoint) holds the resource.
            let field_hint = match name.as_str() {
                "items" | "list" if !self.resource.is_empty() => format!("{}s", self.resource),
                _ => name.to_upper_camel_case(),
            };
            let ty = self.expr(prop, &field_hint, hint)?;
            fields.push(field(name, &ty, required.contains(name.as_str()), prop, self));
        }
        let def = Y::map().with("fields", Y::Seq(fields));
        Ok(self.define(def, description(s), hint, parent))
    }

    fn enumeration(&mut self, s: &Y, hint: &str, parent: &str) -> Result<String, Unsupported> {
        let integer = s.text("type") == "integer";
        let labels = s.get("x-enum-descriptions");
        let mut values = Vec::new();
        let mut variants = HashSet::new();
        for v in s.list("enum") {
            let Some(text) = v.as_str() else { continue };
            let mut entry = Y::map();
            if integer {
                let n: i64 = text.parse().map_err(|_| format!("integer enum value `{text}`"))?;
                entry.set("value", Y::int(n));
            } else {
                entry.set("value", Y::str(text));
            }
            let derived = if integer { String::new() } else { text.to_upper_camel_case() };
            let mut variant = if derived.chars().next().is_some_and(|c| c.is_ascii_alphabetic())
                && derived.chars().all(|c| c.is_ascii_alphanumeric())
            {
                derived.clone()
            } else {
                format!("Value{}", text.replace('-', "Minus").to_upper_camel_case())
            };
            while variants.contains(&variant)
                || variant == "Unknown"
                || !variant.chars().all(|c| c.is_ascii_alphanumeric())
            {
                variant = format!("Value{}", variants.len() + 1);
            }
            variants.insert(variant.clone());
            if variant != derived || integer {
                entry.set("name", Y::str(variant));
            }
            if let Some(label) = labels.and_then(|l| l.get(text)).and_then(Y::as_str).filter(|l| !l.is_empty()) {
                entry.set("description", Y::str(doc_text(label)));
            }
            values.push(entry);
        }
        if values.is_empty() {
            return Ok(if integer { "i64" } else { "string" }.into());
        }
        let def =
            Y::map().with("enum", Y::str(if integer { "integer" } else { "string" })).with("values", Y::Seq(values));
        Ok(self.define(def, description(s), hint, parent))
    }

    /// Names a type definition, sharing one already made with the same shape.
    fn define(&mut self, def: Y, description: Option<String>, hint: &str, parent: &str) -> String {
        let key = shape_key(&def);
        if let Some(name) = self.by_shape.get(&key) {
            return name.clone();
        }
        let name = self.free_name(hint, parent);
        let mut full = Y::map().with("name", Y::str(&name));
        if let Some(d) = description {
            full.set("description", Y::str(d));
        }
        for (k, v) in def.entries() {
            full.set(k, v.clone());
        }
        self.by_shape.insert(key, name.clone());
        self.taken.insert(name.clone());
        self.defs.push((name.clone(), full));
        name
    }

    fn free_name(&self, hint: &str, parent: &str) -> String {
        let base = if hint.chars().next().is_some_and(|c| c.is_ascii_alphabetic()) {
            hint.to_owned()
        } else {
            format!("T{hint}")
        };
        let qualified = format!("{parent}{base}");
        for candidate in [base.clone(), qualified.clone()] {
            if !self.taken.contains(&candidate) {
                return candidate;
            }
        }
        (2..).map(|n| format!("{qualified}{n}")).find(|c| !self.taken.contains(c)).unwrap_or_default()
    }
}

/// One field (or parameter) entry: name, type, required, description, and the example and
/// default when they fit the type (the check refuses those that do not).
pub(crate) fn field(name: &str, ty: &str, required: bool, schema: &Y, types: &Types<'_>) -> Y {
    let (resolved, _) = types.resolve(schema);
    let mut f = Y::map().with("name", Y::str(name)).with("type", Y::str(ty));
    if required {
        f.set("required", Y::bool(true));
    }
    let described = schema.get("description").or_else(|| resolved.get("description"));
    if let Some(d) = described.and_then(Y::as_str).filter(|d| !d.trim().is_empty()) {
        f.set("description", Y::str(doc_text(d)));
    }
    for key in ["default", "example"] {
        let raw = schema.get(key).or_else(|| resolved.get(key)).and_then(Y::as_str);
        if let Some(value) = raw.and_then(|raw| scalar_of(ty, raw, &resolved)) {
            f.set(key, value);
        }
    }
    f
}

/// A default or example as the spec writes it for a type, when it is one of the type's values.
fn scalar_of(ty: &str, raw: &str, schema: &Y) -> Option<Y> {
    if let Some(values) = schema.get("enum") {
        return values.items().iter().any(|v| v.as_str() == Some(raw)).then(|| match schema.text("type") {
            "integer" => raw.parse().ok().map(Y::int),
            _ => Some(Y::str(raw)),
        })?;
    }
    match ty {
        "string" if !raw.is_empty() && raw.chars().count() <= 200 => Some(Y::str(raw)),
        "i64" | "i64_string" => raw.parse().ok().map(Y::int),
        "boolean" => matches!(raw, "true" | "false").then(|| Y::bool(raw == "true")),
        _ => None,
    }
}

fn description(s: &Y) -> Option<String> {
    s.get("description").and_then(Y::as_str).filter(|d| !d.trim().is_empty()).map(doc_text)
}

/// What makes two definitions the same type: everything but the words about it.
fn shape_key(def: &Y) -> String {
    fn strip(y: &Y) -> Y {
        match y {
            Y::Map(entries) => Y::Map(
                entries
                    .iter()
                    .filter(|(k, _)| !matches!(k.as_str(), "description" | "example" | "default"))
                    .map(|(k, v)| (k.clone(), strip(v)))
                    .collect(),
            ),
            Y::Seq(items) => Y::Seq(items.iter().map(strip).collect()),
            other => other.clone(),
        }
    }
    format!("{:?}", strip(def))
}

/// `MainKeys` → `MainKey`, `Entities` → `Entity`: the name of one item of a list.
pub(crate) fn singular(hint: &str) -> String {
    if let Some(stem) = hint.strip_suffix("ies") {
        format!("{stem}y")
    } else if hint.ends_with("ss") || hint.ends_with("us") {
        hint.to_owned()
    } else if let Some(stem) = hint.strip_suffix("ses").filter(|s| s.ends_with("ss")) {
        stem.to_owned()
    } else if let Some(stem) = hint.strip_suffix('s') {
        stem.to_owned()
    } else {
        format!("{hint}Item")
    }
}

impl Types<'_> {
    /// A definition made so far.
    pub(crate) fn def(&self, name: &str) -> Option<&Y> {
        self.defs.iter().find(|(n, _)| n == name).map(|(_, d)| d)
    }

    /// A paged answer's `page_token` is optional whatever the metadata says: the last page has
    /// none (the metadata marks it required in 60-odd answers).
    pub(crate) fn page_token_optional(&mut self, name: &str) {
        let Some((_, def)) = self.defs.iter_mut().find(|(n, _)| n == name) else { return };
        let Some(Y::Seq(fields)) = def.get_mut("fields") else { return };
        for f in fields.iter_mut().filter(|f| f.text("name") == "page_token") {
            if let Y::Map(entries) = f {
                entries.retain(|(k, _)| k != "required");
            }
        }
    }
}
