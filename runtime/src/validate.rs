//! Client-side checks of documented constraints, run before any request is sent.
//!
//! Generated code calls these small checks with the constraint values from the spec;
//! every failure names the field path, the rule and what was wrong with the value.

use std::collections::BTreeMap;
use std::fmt;

use crate::multipart::FileSource;

/// One broken constraint.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Violation {
    /// Path of the field, e.g. `body.main_keys[0].key`.
    pub field: String,
    /// The rule, e.g. `max_length = 100`.
    pub rule: String,
    /// What is wrong with the value.
    pub problem: String,
}

/// All broken constraints of one request.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Violations(Vec<Violation>);

impl fmt::Display for Violation {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "`{}` breaks {}: {}", self.field, self.rule, self.problem)
    }
}

impl fmt::Display for Violations {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        for (i, v) in self.0.iter().enumerate() {
            if i > 0 {
                f.write_str("; ")?;
            }
            v.fmt(f)?;
        }
        Ok(())
    }
}

impl std::error::Error for Violations {}

/// A value whose documented constraints can be checked.
pub trait Validate {
    /// Records every broken constraint of `self`, found at `path`, into `out`. The default
    /// finds none: ids and enums have no constraints of their own.
    fn validate(&self, path: &str, out: &mut Violations) {
        let _ = (path, out);
    }
}

impl<T: Validate> Validate for Option<T> {
    fn validate(&self, path: &str, out: &mut Violations) {
        if let Some(v) = self {
            v.validate(path, out);
        }
    }
}

impl<T: Validate> Validate for Vec<T> {
    fn validate(&self, path: &str, out: &mut Violations) {
        for (i, v) in self.iter().enumerate() {
            v.validate(&format!("{path}[{i}]"), out);
        }
    }
}

impl<T: Validate> Validate for BTreeMap<String, T> {
    fn validate(&self, path: &str, out: &mut Violations) {
        for (key, v) in self {
            v.validate(&format!("{path}[{key:?}]"), out);
        }
    }
}

/// What `min_items`/`max_items` count: the items of a list, the entries of a map.
pub trait Items {
    /// How many there are.
    fn count(&self) -> usize;
}

impl<T> Items for Vec<T> {
    fn count(&self) -> usize {
        self.len()
    }
}

impl<T> Items for BTreeMap<String, T> {
    fn count(&self) -> usize {
        self.len()
    }
}

/// Joins a field name to its parent path.
pub fn join(path: &str, field: &str) -> String {
    if path.is_empty() { field.to_owned() } else { format!("{path}.{field}") }
}

impl Violations {
    /// No violation yet.
    pub fn new() -> Self {
        Self::default()
    }

    /// The violations found.
    pub fn iter(&self) -> impl Iterator<Item = &Violation> {
        self.0.iter()
    }

    /// Whether nothing was found.
    pub fn is_empty(&self) -> bool {
        self.0.is_empty()
    }

    /// Adds every violation of `other`.
    pub(crate) fn extend(&mut self, other: Violations) {
        self.0.extend(other.0);
    }

    /// Adds a violation.
    pub fn push(&mut self, field: String, rule: impl Into<String>, problem: impl Into<String>) {
        self.0.push(Violation { field, rule: rule.into(), problem: problem.into() });
    }

    /// `Ok(())` when nothing was found.
    pub fn into_result(self) -> Result<(), Violations> {
        if self.0.is_empty() { Ok(()) } else { Err(self) }
    }

    /// Checks the length of a string, in characters (`None`: the field is unset).
    pub fn length<T: AsRef<str> + ?Sized>(
        &mut self,
        path: &str,
        field: &str,
        value: Option<&T>,
        min: Option<usize>,
        max: Option<usize>,
    ) {
        let Some(value) = value else { return };
        let chars = value.as_ref().chars().count();
        if let Some(min) = min.filter(|&min| chars < min) {
            self.push(join(path, field), format!("min_length = {min}"), format!("has {chars} characters"));
        }
        if let Some(max) = max.filter(|&max| chars > max) {
            self.push(join(path, field), format!("max_length = {max}"), format!("has {chars} characters"));
        }
    }

    /// Checks that a string contains none of `forbidden`.
    pub fn forbidden_chars<T: AsRef<str> + ?Sized>(
        &mut self,
        path: &str,
        field: &str,
        value: Option<&T>,
        forbidden: &str,
    ) {
        let Some(c) = value.and_then(|v| v.as_ref().chars().find(|c| forbidden.contains(*c))) else { return };
        self.push(join(path, field), format!("forbidden_chars = {forbidden:?}"), format!("contains {c:?}"));
    }

    /// Checks that a file name has one of the (lower-case) extensions, in any case.
    pub fn extensions<T: AsRef<str> + ?Sized>(&mut self, path: &str, field: &str, value: Option<&T>, allowed: &[&str]) {
        let Some(value) = value.map(AsRef::as_ref) else { return };
        let ext = value.rsplit_once('.').map(|(_, e)| e.to_ascii_lowercase());
        if !ext.as_deref().is_some_and(|e| allowed.contains(&e)) {
            self.push(
                join(path, field),
                format!("extensions = {allowed:?}"),
                format!("{value:?} has no allowed extension"),
            );
        }
    }

    /// Checks the number of items of a list, or of entries of a map.
    pub fn items<C: Items + ?Sized>(
        &mut self,
        path: &str,
        field: &str,
        value: Option<&C>,
        min: Option<usize>,
        max: Option<usize>,
    ) {
        let Some(len) = value.map(Items::count) else { return };
        if let Some(min) = min.filter(|&min| len < min) {
            self.push(join(path, field), format!("min_items = {min}"), format!("has {len} items"));
        }
        if let Some(max) = max.filter(|&max| len > max) {
            self.push(join(path, field), format!("max_items = {max}"), format!("has {len} items"));
        }
    }

    /// Checks a number (integer or float) against its bounds.
    pub fn range<T: Copy + PartialOrd + std::fmt::Display>(
        &mut self,
        path: &str,
        field: &str,
        value: Option<T>,
        min: Option<T>,
        max: Option<T>,
    ) {
        let Some(value) = value else { return };
        if let Some(min) = min.filter(|&min| value < min) {
            self.push(join(path, field), format!("min = {min}"), format!("is {value}"));
        }
        if let Some(max) = max.filter(|&max| value > max) {
            self.push(join(path, field), format!("max = {max}"), format!("is {value}"));
        }
    }

    /// Checks the constraints of a field whose type has constraints of its own.
    pub fn nested(&mut self, path: &str, field: &str, value: &impl Validate) {
        value.validate(&join(path, field), self);
    }

    /// Checks that at least one of the named fields is present.
    pub fn at_least_one_of(&mut self, path: &str, fields: &[(&str, bool)]) {
        if !fields.iter().any(|(_, present)| *present) {
            let names: Vec<&str> = fields.iter().map(|(n, _)| *n).collect();
            self.push(
                join(path, &names.join("|")),
                format!("at_least_one_of = [{}]", names.join(", ")),
                "none of them is set",
            );
        }
    }

    /// Checks the size of a file to upload (a file on disk is looked up, not read).
    pub fn file_size(
        &mut self,
        path: &str,
        field: &str,
        file: Option<&FileSource>,
        min_bytes: Option<u64>,
        max_bytes: Option<u64>,
    ) {
        let Some(file) = file else { return };
        let len = match file.len_now() {
            Ok(len) => len,
            Err(e) => return self.push(join(path, field), "readable file", format!("{}: {e}", file.describe())),
        };
        self.byte_len(path, field, len, min_bytes, max_bytes);
    }

    /// Checks a size in bytes against its bounds.
    pub(crate) fn byte_len(&mut self, path: &str, field: &str, len: u64, min: Option<u64>, max: Option<u64>) {
        if let Some(min) = min.filter(|&min| len < min) {
            self.push(join(path, field), format!("min_bytes = {min}"), format!("has {len} bytes"));
        }
        if let Some(max) = max.filter(|&max| len > max) {
            self.push(join(path, field), format!("max_bytes = {max}"), format!("has {len} bytes"));
        }
    }

    /// Checks a value that fills one path segment: it must be non-empty and not `.`/`..`.
    pub fn path_segment(&mut self, field: &str, value: &str) {
        if value.is_empty() || value == "." || value == ".." {
            self.push(field.to_owned(), "path segment", format!("{value:?} cannot be one path segment"));
        }
    }
}

#[cfg(test)]
mod tests {
    use std::collections::BTreeMap;

    use super::{Validate, Violations};

    struct Short(&'static str);

    impl Validate for Short {
        fn validate(&self, path: &str, out: &mut Violations) {
            out.length(path, "name", Some(self.0), None, Some(3));
        }
    }

    #[test]
    fn a_map_counts_its_entries_and_names_the_key_of_a_broken_value() {
        let map = BTreeMap::from([("a".to_owned(), Short("ok")), ("b\"".to_owned(), Short("too long"))]);
        let mut out = Violations::new();
        out.items("body", "labels", Some(&map), Some(3), Some(1));
        out.nested("body", "labels", &map);
        let found: Vec<String> = out.iter().map(ToString::to_string).collect();
        assert_eq!(
            found,
            [
                "`body.labels` breaks min_items = 3: has 2 items",
                "`body.labels` breaks max_items = 1: has 2 items",
                r#"`body.labels["b\""].name` breaks max_length = 3: has 8 characters"#,
            ]
        );
    }
}
