//! Curation that survives re-import: an overlay is a partial service file, merged into what the
//! metadata gives on every import (docs/spec-format.md, "Curation overlays").
//!
//! - A mapping merges key by key; a scalar, or a list of scalars or of entries without a key
//!   (field scopes), replaces what was imported.
//! - A list of entries merges entry by entry, matched by their key: `code` for the error
//!   table, `value` for enum values, `name` everywhere else (endpoints, types, fields,
//!   params). An entry the import lacks is added; `remove: true` deletes the imported one;
//!   `replace: true` puts the overlay's entry in its place whole, instead of merging.
//! - Renaming an error row (same `code`, another `name`) renames it in every endpoint's
//!   `errors`.
//! - Afterwards types no endpoint reaches any more (say, a body the overlay replaced by a
//!   curated type) are dropped.

use std::collections::{BTreeSet, HashMap};

use super::tree::Y;
use crate::valid::named_leaf;

/// Merges `overlay` into the imported service file `base`.
pub(crate) fn apply(base: &mut Y, overlay: &Y) {
    // The error table first, renaming the imported endpoints' references, so that the
    // overlay's endpoints, merged next, keep the names they were written with.
    let mut renames = HashMap::new();
    // The overlay's own `x-` keys (its YAML anchors) stay in the overlay.
    let own = overlay.entries().iter().filter(|(k, _)| !k.starts_with("x-")).cloned();
    let (errors, rest): (Vec<_>, Vec<_>) = own.partition(|(k, _)| k == "errors");
    merge_map(base, &Y::Map(errors), "", &mut renames);
    rename_error_refs(base, &renames);
    merge_map(base, &Y::Map(rest), "", &mut renames);
    prune_types(base);
}

fn merge_map(base: &mut Y, overlay: &Y, parent: &str, renames: &mut HashMap<String, String>) {
    for (key, value) in overlay.entries() {
        let path = if parent.is_empty() { key.clone() } else { format!("{parent}.{key}") };
        match (base.get_mut(key), value) {
            (Some(b @ Y::Map(_)), Y::Map(_)) => merge_map(b, value, &path, renames),
            (Some(b @ Y::Seq(_)), Y::Seq(items))
                if !items.is_empty() && items.iter().all(|i| i.get(entry_key(&path)).is_some()) =>
            {
                merge_list(b, items, entry_key(&path), &path, renames);
            }
            _ => {
                let mut v = value.clone();
                strip_removed(&mut v);
                base.set(key, v);
            }
        }
    }
}

/// What identifies an entry of a list: the error table's rows by code, enum values by value.
fn entry_key(path: &str) -> &'static str {
    match path {
        "errors" => "code",
        _ if path.ends_with("values") => "value",
        _ => "name",
    }
}

fn merge_list(base: &mut Y, items: &[Y], key: &str, path: &str, renames: &mut HashMap<String, String>) {
    let Y::Seq(list) = base else { return };
    for item in items {
        if key == "code" {
            make_way_for_name(list, item, renames);
        }
        // Matched by text: `name: X` and `name: "X"` are one entry.
        let id = item.get(key).and_then(Y::as_str).map(str::to_owned);
        let at = id.as_deref().and_then(|id| list.iter().position(|b| b.get(key).and_then(Y::as_str) == Some(id)));
        match at {
            Some(i) if item.is_true("remove") => {
                list.remove(i);
            }
            Some(i) if item.is_true("replace") => {
                let mut v = item.clone();
                strip_removed(&mut v);
                list[i] = v;
            }
            Some(i) => {
                if key == "code"
                    && let (Some(old), Some(new)) =
                        (list[i].get("name").and_then(Y::as_str), item.get("name").and_then(Y::as_str))
                    && old != new
                {
                    renames.insert(old.to_owned(), new.to_owned());
                }
                merge_map(&mut list[i], item, path, renames);
            }
            None if item.is_true("remove") => {}
            None => {
                let mut v = item.clone();
                strip_removed(&mut v);
                list.push(v);
            }
        }
    }
}

/// An overlay's error row takes its name even where the import gave it to a row of another
/// code: that row is renamed `<Name><code>`, and so are its references.
fn make_way_for_name(list: &mut [Y], item: &Y, renames: &mut HashMap<String, String>) {
    let (Some(name), Some(code)) = (item.get("name").and_then(Y::as_str), item.get("code").and_then(Y::as_str)) else {
        return;
    };
    if let Some(clash) = list.iter_mut().find(|b| b.text("name") == name && b.text("code") != code) {
        let renamed = format!("{name}{}", clash.text("code"));
        renames.insert(name.to_owned(), renamed.clone());
        clash.set("name", Y::str(renamed));
    }
}

/// An added or replacing entry carries no `remove: true` entries and no `replace` keys into
/// the spec.
fn strip_removed(y: &mut Y) {
    match y {
        Y::Seq(items) => {
            items.retain(|i| !i.is_true("remove"));
            items.iter_mut().for_each(strip_removed);
        }
        Y::Map(entries) => {
            entries.retain(|(k, _)| k != "replace");
            entries.iter_mut().for_each(|(_, v)| strip_removed(v));
        }
        _ => {}
    }
}

fn rename_error_refs(base: &mut Y, renames: &HashMap<String, String>) {
    let Some(Y::Seq(endpoints)) = base.get_mut("endpoints") else { return };
    for e in endpoints {
        if let Some(Y::Seq(refs)) = e.get_mut("errors") {
            for r in refs.iter_mut() {
                if let Some(new) = r.as_str().and_then(|n| renames.get(n)) {
                    *r = Y::str(new);
                }
            }
        }
    }
}

/// Keeps the types some endpoint reaches, in their order.
pub(crate) fn prune_types(base: &mut Y) {
    let reachable = reachable_types(base, base.list("endpoints"));
    if let Some(Y::Seq(types)) = base.get_mut("types") {
        types.retain(|t| reachable.contains(t.text("name")));
    }
}

/// The names of the types `endpoints` use, directly or through other types.
pub(crate) fn reachable_types(service: &Y, endpoints: &[Y]) -> BTreeSet<String> {
    let defs: HashMap<&str, &Y> = service.list("types").iter().map(|t| (t.text("name"), t)).collect();
    let mut todo: Vec<String> = Vec::new();
    for e in endpoints {
        for p in e.list("params") {
            todo.extend(named_leaf(p.text("type")));
        }
        for body in ["request", "response"] {
            if let Some(b) = e.get(body) {
                todo.extend(named_leaf(b.text("type")));
            }
        }
    }
    let mut seen = BTreeSet::new();
    while let Some(name) = todo.pop() {
        if !seen.insert(name.clone()) {
            continue;
        }
        let Some(def) = defs.get(name.as_str()) else { continue };
        for f in def.list("fields") {
            todo.extend(named_leaf(f.text("type")));
        }
        if let Some(kinds) = def.get("tagged_json") {
            todo.extend(kinds.list("kinds").iter().map(|k| k.text("type").to_owned()));
        }
    }
    seen
}
