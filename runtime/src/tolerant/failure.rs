//! The error of the tolerant pass. It is built where serde detects the problem (the
//! `invalid_type`, `missing_field`… constructors), so it knows the path at that moment and
//! keeps what was expected and what was found apart, instead of one message.

use std::fmt::{self, Display};

use serde::de::{self, Expected, Unexpected};

use super::node::Path;
use super::remember;

/// Where and how `data` breaks the spec.
#[derive(Clone, Debug)]
pub(crate) struct Detail {
    /// `entity.main_keys[0].key`; empty until the error is located.
    pub(crate) path: String,
    /// What the spec declares (serde's words: `a string`); empty for custom errors.
    pub(crate) expected: String,
    /// What the answer holds.
    pub(crate) found: String,
    /// The whole message, as serde would print it.
    pub(crate) message: String,
}

/// A required field of `data` that is missing or of another type.
#[derive(Debug)]
pub(crate) struct Failure {
    pub(crate) detail: Detail,
    /// Whether `detail.path` is set: the innermost value the error passed through sets it.
    located: bool,
    /// The field a `missing field` error names: its path goes on to it.
    missing: Option<&'static str>,
}

impl Failure {
    fn new(expected: String, found: String, message: String) -> Self {
        let detail = Detail { path: String::new(), expected, found, message };
        Failure { detail, located: false, missing: None }
    }

    /// Sets where the error happened, if not known yet, and remembers it for the optional
    /// field that may catch it.
    pub(crate) fn at(mut self, path: &Path<'_>) -> Self {
        if !self.located {
            self.located = true;
            let mut rendered = path.to_string();
            if let Some(field) = self.missing {
                if !rendered.is_empty() {
                    rendered.push('.');
                }
                rendered.push_str(field);
            }
            self.detail.path = rendered;
            remember(&self.detail);
        }
        self
    }

    fn mistyped(kind: &str, unexp: Unexpected<'_>, exp: &dyn Expected) -> Self {
        // `null` reaches visitors as a unit value: call it what it is in JSON.
        let found = match unexp {
            Unexpected::Unit => "null".to_owned(),
            other => bounded(other.to_string()),
        };
        let message = format!("{kind}: {found}, expected {exp}");
        Self::new(exp.to_string(), found, message)
    }
}

/// A found value is quoted in logs and errors: a long string is cut.
fn bounded(mut text: String) -> String {
    const MAX: usize = 120;
    if text.len() > MAX {
        let mut end = MAX;
        while !text.is_char_boundary(end) {
            end -= 1;
        }
        text.truncate(end);
        text.push('…');
    }
    text
}

impl Display for Failure {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.detail.message)
    }
}

impl std::error::Error for Failure {}

impl de::Error for Failure {
    fn custom<T: Display>(msg: T) -> Self {
        let message = msg.to_string();
        Self::new(String::new(), bounded(message.clone()), message)
    }

    fn invalid_type(unexp: Unexpected<'_>, exp: &dyn Expected) -> Self {
        Self::mistyped("invalid type", unexp, exp)
    }

    fn invalid_value(unexp: Unexpected<'_>, exp: &dyn Expected) -> Self {
        Self::mistyped("invalid value", unexp, exp)
    }

    fn invalid_length(len: usize, exp: &dyn Expected) -> Self {
        let found = format!("{len} elements");
        let message = format!("invalid length {len}, expected {exp}");
        Self::new(exp.to_string(), found, message)
    }

    fn missing_field(field: &'static str) -> Self {
        // Made by the object that lacks the field: the path goes on to the field itself.
        let message = format!("missing field `{field}`");
        let mut failure =
            Self::new("a value (the field is required)".to_owned(), "nothing: the field is absent".to_owned(), message);
        failure.missing = Some(field);
        failure
    }
}
