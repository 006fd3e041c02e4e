//! Client-side checks of documented constraints, run before any request is sent.
//!
//! Generated code calls these small checks with the constraint values from the spec;
//! every failure names the field path, the rule and what was wrong with the value.

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
    /// Records every broken constraint of `self`, found at `path`, into `out`.
    fn validate(&self, path: &str, out: &mut Violations);
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

/// Constraints on a string, as declared in the spec.
#[derive(Debug, Clone, Copy, Default)]
pub struct TextRules {
    /// Minimum length in characters.
    pub min_length: Option<usize>,
    /// Maximum length in characters.
    pub max_length: Option<usize>,
    /// Characters the value must not contain.
    pub forbidden_chars: &'static str,
    /// Allowed file-name extensions (case-insensitive), if restricted.
    pub extensions: &'static [&'static str],
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

    /// Adds a violation.
    pub fn push(&mut self, field: String, rule: impl Into<String>, problem: impl Into<String>) {
        self.0.push(Violation { field, rule: rule.into(), problem: problem.into() });
    }

    /// `Ok(())` when nothing was found.
    pub fn into_result(self) -> Result<(), Violations> {
        if self.0.is_empty() { Ok(()) } else { Err(self) }
    }

    /// Checks a string against its rules.
    pub fn text(&mut self, path: &str, field: &str, value: Option<&str>, rules: TextRules) {
        let Some(value) = value else { return };
        let chars = value.chars().count();
        if let Some(min) = rules.min_length.filter(|&min| chars < min) {
            self.push(join(path, field), format!("min_length = {min}"), format!("has {chars} characters"));
        }
        if let Some(max) = rules.max_length.filter(|&max| chars > max) {
            self.push(join(path, field), format!("max_length = {max}"), format!("has {chars} characters"));
        }
        if let Some(c) = value.chars().find(|c| rules.forbidden_chars.contains(*c)) {
            self.push(
                join(path, field),
                format!("forbidden_chars = {:?}", rules.forbidden_chars),
                format!("contains {c:?}"),
            );
        }
        if !rules.extensions.is_empty() {
            let ext = value.rsplit_once('.').map(|(_, e)| e.to_ascii_lowercase());
            if !ext.as_deref().is_some_and(|e| rules.extensions.contains(&e)) {
                self.push(
                    join(path, field),
                    format!("extensions = {:?}", rules.extensions),
                    format!("{value:?} has no allowed extension"),
                );
            }
        }
    }

    /// Checks the number of items of a list.
    pub fn items(&mut self, path: &str, field: &str, len: Option<usize>, min: Option<usize>, max: Option<usize>) {
        let Some(len) = len else { return };
        if let Some(min) = min.filter(|&min| len < min) {
            self.push(join(path, field), format!("min_items = {min}"), format!("has {len} items"));
        }
        if let Some(max) = max.filter(|&max| len > max) {
            self.push(join(path, field), format!("max_items = {max}"), format!("has {len} items"));
        }
    }

    /// Checks a number against its bounds.
    pub fn range(&mut self, path: &str, field: &str, value: Option<i64>, min: Option<i64>, max: Option<i64>) {
        let Some(value) = value else { return };
        if let Some(min) = min.filter(|&min| value < min) {
            self.push(join(path, field), format!("min = {min}"), format!("is {value}"));
        }
        if let Some(max) = max.filter(|&max| value > max) {
            self.push(join(path, field), format!("max = {max}"), format!("is {value}"));
        }
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
        let len = match file {
            None => return,
            Some(FileSource::Bytes(b)) => b.len() as u64,
            Some(FileSource::Path(p)) => match std::fs::metadata(p) {
                Ok(meta) => meta.len(),
                Err(e) => return self.push(join(path, field), "readable file", format!("{}: {e}", p.display())),
            },
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

/// One documented constraint of a field, checked into a [`Violations`]: what generated
/// code writes, in a few tokens, for each rule of the spec (through [`json_object!`] and
/// [`request!`]):
///
/// - `text(min_length, max_length, "forbidden chars", ["ext", …])`
/// - `items(min_items, max_items)` and `range(min, max)`
/// - `nested`: the field's type has constraints of its own
///
/// The value is read as a `required` field (`T`) or an `optional` one (`Option<T>`).
#[doc(hidden)]
#[macro_export]
macro_rules! __check {
    ($out:ident, $path:expr, $wire:literal, required, $v:expr, text($min:expr, $max:expr, $forbidden:literal, [$($ext:literal),*])) => {
        $out.text($path, $wire, ::std::option::Option::Some($v.as_ref()), $crate::__check!(rules $min, $max, $forbidden, [$($ext),*]))
    };
    ($out:ident, $path:expr, $wire:literal, optional, $v:expr, text($min:expr, $max:expr, $forbidden:literal, [$($ext:literal),*])) => {
        $out.text($path, $wire, $v.as_ref().map(|v| v.as_ref()), $crate::__check!(rules $min, $max, $forbidden, [$($ext),*]))
    };
    (rules $min:expr, $max:expr, $forbidden:literal, [$($ext:literal),*]) => {
        $crate::TextRules { min_length: $min, max_length: $max, forbidden_chars: $forbidden, extensions: &[$($ext),*] }
    };
    ($out:ident, $path:expr, $wire:literal, required, $v:expr, items($min:expr, $max:expr)) => {
        $out.items($path, $wire, ::std::option::Option::Some($v.len()), $min, $max)
    };
    ($out:ident, $path:expr, $wire:literal, optional, $v:expr, items($min:expr, $max:expr)) => {
        $out.items($path, $wire, $v.as_ref().map(|v| v.len()), $min, $max)
    };
    ($out:ident, $path:expr, $wire:literal, required, $v:expr, range($min:expr, $max:expr)) => {
        $out.range($path, $wire, ::std::option::Option::Some($v as i64), $min, $max)
    };
    ($out:ident, $path:expr, $wire:literal, optional, $v:expr, range($min:expr, $max:expr)) => {
        $out.range($path, $wire, $v.map(|v| v as i64), $min, $max)
    };
    ($out:ident, $path:expr, $wire:literal, $kind:ident, $v:expr, nested) => {
        $crate::Validate::validate(&$v, &$crate::validate::join($path, $wire), $out)
    };
}
