//! The error of the tolerant pass. It is built where serde detects the problem (the
//! `invalid_type`, `missing_field`… constructors), so it knows the path at that moment and
//! keeps what was expected and what was found apart, instead of one message.

use std::fmt::{self, Display};

use serde::de::{self, Expected, Unexpected};

use super::{Segment, current_path, remember, render};

/// Where and how `data` breaks the spec.
#[derive(Clone, Debug)]
pub(crate) struct Detail {
    pub(crate) path: Vec<Segment>,
    /// What the spec declares (serde's words: `a string`); empty for custom errors.
    pub(crate) expected: String,
    /// What the answer holds.
    pub(crate) found: String,
    /// The whole message, as serde would print it.
    pub(crate) message: String,
}

/// A required field of `data` that is missing or of another type.
#[derive(Debug)]
pub(crate) struct Failure(pub(crate) Detail);

impl Failure {
    fn new(path: Vec<Segment>, expected: String, found: String, message: String) -> Self {
        let detail = Detail { path, expected, found, message };
        remember(&detail);
        Failure(detail)
    }

    fn mistyped(kind: &str, unexp: Unexpected<'_>, exp: &dyn Expected) -> Self {
        // `null` reaches visitors as a unit value: call it what it is in JSON.
        let found = match unexp {
            Unexpected::Unit => "null".to_owned(),
            other => bounded(other.to_string()),
        };
        let message = format!("{kind}: {found}, expected {exp}");
        Self::new(current_path(), exp.to_string(), found, message)
    }

    /// The path, rendered (`entity.main_keys[0].key`).
    pub(crate) fn path(&self) -> String {
        render(&self.0.path)
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
        f.write_str(&self.0.message)
    }
}

impl std::error::Error for Failure {}

impl de::Error for Failure {
    fn custom<T: Display>(msg: T) -> Self {
        let message = msg.to_string();
        Self::new(current_path(), String::new(), bounded(message.clone()), message)
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
        Self::new(current_path(), exp.to_string(), found, message)
    }

    fn missing_field(field: &'static str) -> Self {
        // Made by the object that lacks the field: the path goes on to the field itself.
        let mut path = current_path();
        path.push(Segment::Key(field.to_owned()));
        let message = format!("missing field `{field}`");
        Self::new(
            path,
            "a value (the field is required)".to_owned(),
            "nothing: the field is absent".to_owned(),
            message,
        )
    }
}
