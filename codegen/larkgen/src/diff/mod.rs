//! What changed between two checked versions of the specs, and what each change does to code
//! that uses the generated crate (its semver impact).
//!
//! The comparison is of the IR, after checking, so items are named as Rust sees them (the
//! module `im_v1`, the field `r#type`, the variant `OpenId`), and a change that only moves a
//! spec around (anchors, key order) is no change. Items are matched by their Rust name: a
//! rename is a removal and an addition. The rules are in [`Rule`] and `docs/diff.md`.
//!
//! ```
//! # let spec = |summary: &str| format!("service: {{ name: s, version: v1, title: S, platform: p.yaml }}\n\
//! #   endpoints:\n  - {{ name: item.get, summary: {summary}, doc: \"https://x.y\", method: GET, path: /i,\n\
//! #       tokens: [tenant], response: {{ kind: empty }}, errors: [] }}\n");
//! # let platform = "platform: { name: p, base_urls: [{ name: a, url: \"https://a.b\" }],\n\
//! #   envelope: { code_field: code, message_field: msg, data_field: data, error_field: error, log_id_header: X-L },\n\
//! #   tenant_token: { path: /t, refresh_margin_seconds: 60 }, errors: [] }\n";
//! let old = larkgen::check_sources(&[("s.yaml", &spec("Get one.")), ("p.yaml", platform)]).api.unwrap();
//! let new = larkgen::check_sources(&[("s.yaml", &spec("Get an item.")), ("p.yaml", platform)]).api.unwrap();
//! let changes = larkgen::diff::diff(&old, &new);
//! assert_eq!(changes[0].path, "s_v1 / item.get");
//! assert_eq!(larkgen::diff::semver(&changes), larkgen::diff::Semver::Patch);
//! ```

mod constraints;
mod endpoint;
mod impact;
mod types;

use std::collections::BTreeMap;
use std::fmt;

pub use impact::{Impact, Rule};

use crate::ir::{Api, ErrorEntry, Platform, Service, Ty};

/// One change between the old and the new specs.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Change {
    /// Where: the module, then the endpoint or type, then the input, field or value
    /// (`im_v1 / message.create / receive_id_type`); `platform` for the platform.
    pub path: String,
    /// Added, removed or changed.
    pub kind: ChangeKind,
    /// The rule that classified it.
    pub rule: Rule,
    /// Its weight, the rule's ([`Rule::impact`]).
    pub impact: Impact,
    /// One line: what it is, and old → new for a change (`max_length 32 → 16`).
    pub description: String,
}

/// Whether an item appeared, disappeared or is in both versions but differs.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum ChangeKind {
    /// Only in the new specs.
    Added,
    /// Only in the old specs.
    Removed,
    /// In both, different.
    Changed,
}

impl ChangeKind {
    /// `added`, `removed` or `changed`.
    pub fn as_str(self) -> &'static str {
        match self {
            ChangeKind::Added => "added",
            ChangeKind::Removed => "removed",
            ChangeKind::Changed => "changed",
        }
    }
}

/// The version bump a set of changes calls for.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub enum Semver {
    /// No change at all.
    None,
    /// Only patch changes.
    Patch,
    /// Additive changes, nothing breaking.
    Minor,
    /// At least one breaking change.
    Major,
}

impl fmt::Display for Semver {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(match self {
            Semver::None => "none",
            Semver::Patch => "patch",
            Semver::Minor => "minor",
            Semver::Major => "major",
        })
    }
}

/// The verdict: `Major` if any change is breaking, else `Minor` if any is additive, else
/// `Patch` if there is any change, else `None`.
pub fn semver(changes: &[Change]) -> Semver {
    changes.iter().fold(Semver::None, |verdict, c| {
        verdict.max(match c.impact {
            Impact::Breaking => Semver::Major,
            Impact::Additive => Semver::Minor,
            Impact::Patch => Semver::Patch,
        })
    })
}

/// Every change from `old` to `new`: the platform first, then services by module name; in a
/// service, its own texts, its error table, its endpoints by name, then its types by name;
/// within an item, its parts by name. The same inputs always give the same list.
pub fn diff(old: &Api, new: &Api) -> Vec<Change> {
    let mut out = Changes::default();
    platform(&old.platform, &new.platform, &mut out);
    for (module, o, n) in matched(&old.services, &new.services, Service::module) {
        match (o, n) {
            (None, Some(n)) => {
                out.push(&[&module], ChangeKind::Added, Rule::ServiceAdded, format!("service {} added", n.qualified()))
            }
            (Some(o), None) => out.push(
                &[&module],
                ChangeKind::Removed,
                Rule::ServiceRemoved,
                format!("service {} removed", o.qualified()),
            ),
            (Some(o), Some(n)) => service(o, n, &mut out),
            (None, None) => {}
        }
    }
    out.0
}

fn service(old: &Service, new: &Service, out: &mut Changes) {
    let module = new.module();
    let mut docs = Docs::default();
    docs.compare("title", &old.title, &new.title);
    docs.compare("description", &old.description, &new.description);
    docs.compare("doc link", &old.doc, &new.doc);
    docs.emit(&[&module], out);
    error_table(&[&module, "errors"], &old.errors, &new.errors, true, out);
    endpoint::endpoints(old, new, out);
    types::types(old, new, out);
}

fn platform(old: &Platform, new: &Platform, out: &mut Changes) {
    let at = ["platform"];
    let mut changed = Vec::new();
    note(&mut changed, "name", &old.name, &new.name);
    for (name, o, n) in matched(&old.base_urls, &new.base_urls, |(name, _)| name.clone()) {
        match (o, n) {
            (None, Some((_, url))) => changed.push(format!("base URL {name} added ({url})")),
            (Some(_), None) => changed.push(format!("base URL {name} removed")),
            (Some((_, o)), Some((_, n))) => note(&mut changed, &format!("base URL {name}"), o, n),
            (None, None) => {}
        }
    }
    let default = |p: &Platform| p.base_urls.first().map(|(name, _)| name.clone());
    note(&mut changed, "default base URL", &default(old).unwrap_or_default(), &default(new).unwrap_or_default());
    note(&mut changed, "tenant token path", &old.tenant_token_path, &new.tenant_token_path);
    note(&mut changed, "refresh margin", &old.refresh_margin_secs, &new.refresh_margin_secs);
    note(&mut changed, "log id header", &old.log_id_header, &new.log_id_header);
    if !changed.is_empty() {
        out.push(&at, ChangeKind::Changed, Rule::PlatformChanged, changed.join(", "));
    }
    error_table(&["platform", "errors"], &old.errors, &new.errors, false, out);
}

/// An error table's rows by name. A service row is a public `errors::` constant; a platform
/// row is data of the `PLATFORM` static.
fn error_table(at: &[&str], old: &[ErrorEntry], new: &[ErrorEntry], service: bool, out: &mut Changes) {
    let (added, removed) = if service {
        (Rule::ErrorRowAdded, Rule::ErrorRowRemoved)
    } else {
        (Rule::PlatformChanged, Rule::PlatformChanged)
    };
    let mut docs = Docs::default();
    for (name, o, n) in matched(old, new, |e| e.name.clone()) {
        let path = [at, &[name.as_str()]].concat();
        match (o, n) {
            (None, Some(n)) => {
                out.push(&path, ChangeKind::Added, added, format!("error {name} added (code {})", n.code))
            }
            (Some(o), None) => {
                out.push(&path, ChangeKind::Removed, removed, format!("error {name} removed (code {})", o.code))
            }
            (Some(o), Some(n)) => {
                let mut changed = Vec::new();
                note(&mut changed, "code", &o.code, &n.code);
                note(&mut changed, "HTTP status", &o.http, &n.http);
                note(&mut changed, "retryable", &o.retryable, &n.retryable);
                note(&mut changed, "action", &format!("{:?}", o.action), &format!("{:?}", n.action));
                if !changed.is_empty() {
                    let rule = if service { Rule::ErrorRowChanged } else { Rule::PlatformChanged };
                    out.push(&path, ChangeKind::Changed, rule, changed.join(", "));
                }
                docs.compare(&format!("{name} message"), &o.message, &n.message);
                docs.compare(&format!("{name} hint"), &o.hint, &n.hint);
            }
            (None, None) => {}
        }
    }
    docs.emit(at, out);
}

/// The changes found so far, in walk order.
#[derive(Default)]
pub(crate) struct Changes(Vec<Change>);

impl Changes {
    pub(crate) fn push(&mut self, path: &[&str], kind: ChangeKind, rule: Rule, description: String) {
        let path = path.join(" / ");
        self.0.push(Change { path, kind, rule, impact: rule.impact(), description });
    }
}

/// The documentation texts of one item that changed, reported as one count rather than
/// printed: re-imported descriptions change often and say little about the API.
#[derive(Default)]
pub(crate) struct Docs(Vec<String>);

impl Docs {
    pub(crate) fn compare<T: PartialEq>(&mut self, what: &str, old: &T, new: &T) {
        if old != new {
            self.0.push(what.to_owned());
        }
    }

    pub(crate) fn emit(self, at: &[&str], out: &mut Changes) {
        if self.0.is_empty() {
            return;
        }
        let n = self.0.len();
        let texts = if n == 1 { "text" } else { "texts" };
        out.push(at, ChangeKind::Changed, Rule::DocsChanged, format!("{n} doc {texts} changed: {}", self.0.join(", ")));
    }
}

/// `what old → new` into `changed` when they differ.
pub(crate) fn note<T: PartialEq + fmt::Display + ?Sized>(changed: &mut Vec<String>, what: &str, old: &T, new: &T) {
    if old != new {
        changed.push(format!("{what} {old} → {new}"));
    }
}

/// The items of both versions matched by `key`, in key order: `(key, old, new)`.
pub(crate) fn matched<'a, T, K: Ord>(
    old: &'a [T],
    new: &'a [T],
    key: impl Fn(&T) -> K,
) -> Vec<(K, Option<&'a T>, Option<&'a T>)> {
    let mut by_key: BTreeMap<K, (Option<&'a T>, Option<&'a T>)> = BTreeMap::new();
    for o in old {
        by_key.entry(key(o)).or_default().0 = Some(o);
    }
    for n in new {
        by_key.entry(key(n)).or_default().1 = Some(n);
    }
    by_key.into_iter().map(|(k, (o, n))| (k, o, n)).collect()
}

/// The Rust type of a type expression, as the generated code spells it.
pub(crate) fn rust_ty(t: &Ty) -> String {
    match t {
        Ty::String => "String".into(),
        Ty::Bool => "bool".into(),
        Ty::I32 => "i32".into(),
        Ty::I64 | Ty::I64String => "i64".into(),
        Ty::F64 => "f64".into(),
        Ty::Json => "rt::Json".into(),
        Ty::Binary => "rt::FileSource".into(),
        Ty::Named(n) => n.clone(),
        Ty::List(inner) => format!("Vec<{}>", rust_ty(inner)),
        Ty::Map(inner) => format!("BTreeMap<String, {}>", rust_ty(inner)),
    }
}

/// The Rust type of a field or builder input: `Option<T>` unless required.
pub(crate) fn field_ty(t: &Ty, required: bool) -> String {
    if required { rust_ty(t) } else { format!("Option<{}>", rust_ty(t)) }
}
