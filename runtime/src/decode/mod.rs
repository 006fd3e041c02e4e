//! Decoding of answers: the `data` of an answer, parsed as JSON, becomes the endpoint's
//! generated type through [`FromJson`].
//!
//! Why not serde's `Deserialize` for every generated type: its code is generic over the
//! deserializer, and rustc type-checks that generic code once per type, thousands of types
//! per service; `cargo check` of a generated crate spent about half its time there
//! (BENCHMARKS.md, "Against openlark"). [`FromJson`] takes a parsed [`Tree`], so the code
//! per type ([`json_object!`](crate::json_object)) is plain: one call per field, no type
//! parameter, no `?`. The price is the tree of each answer, parsed by serde_json and taken
//! apart here; it borrows from the body where it can ([`tree`]). The generated types still implement
//! `Deserialize` (through [`deserialize`]), for apps that decode them themselves.
//!
//! **Strict and tolerant.** Every answer is decoded strictly first: any field that does not
//! match its type fails. When that fails, the runtime decodes the answer again, tolerantly
//! (docs/resilience.md, "Answers that do not match the spec"): an optional field that does
//! not match, at any depth, becomes `None` and is reported as a [`Mismatch`], so a call that
//! succeeded never looks failed because of it; a required field that does not match fails
//! the call with its path ([`Error::Mismatch`](crate::Error::Mismatch)). The first pass moves
//! the tree's values into the result, so the second parses the body again; it also copies
//! each optional field's raw value, for its report.

mod fields;
mod impls;
pub mod tree;

use std::any::Any;
use std::fmt;

use serde::de::{self, Unexpected};
use serde_json::Value;

pub use fields::Fields;
pub(crate) use impls::{list, map};
pub use tree::Tree;

use crate::mismatch::Mismatch;

/// A type decoded from a parsed JSON value: every type of a generated crate's answers.
pub trait FromJson: Sized {
    /// Decodes `value`, found where `decoder` is.
    fn from_json(value: Tree<'_>, decoder: &mut Decoder) -> Result<Self, Failure>;
}

/// Where a decoding is (the path from `data` to the value at hand), whether it is tolerant,
/// and what it left out.
pub struct Decoder {
    tolerant: bool,
    path: Vec<Step>,
    left_out: Vec<Mismatch>,
}

/// One step of a path: a field, a list index, a map key.
enum Step {
    Field(&'static str),
    Index(usize),
    Key(String),
}

impl Decoder {
    /// Decodes strictly: the first value that does not match fails.
    pub(crate) fn strict() -> Self {
        Decoder { tolerant: false, path: Vec::new(), left_out: Vec::new() }
    }

    /// Decodes tolerantly: optional fields that do not match become `None`.
    fn tolerant() -> Self {
        Decoder { tolerant: true, ..Decoder::strict() }
    }

    /// Decodes `value` at the path's next step.
    fn at<'t, T>(&mut self, step: Step, value: Tree<'t>, decode: impl FnOnce(Tree<'t>, &mut Decoder) -> T) -> T {
        self.path.push(step);
        let decoded = decode(value, self);
        self.path.pop();
        decoded
    }

    /// `entity.main_keys[0].key`: where the decoder is.
    fn path(&self) -> String {
        let mut rendered = String::new();
        for step in &self.path {
            match step {
                Step::Field(name) if rendered.is_empty() => rendered.push_str(name),
                Step::Field(name) => {
                    rendered.push('.');
                    rendered.push_str(name);
                }
                Step::Index(i) => rendered.push_str(&format!("[{i}]")),
                Step::Key(key) => rendered.push_str(&format!("[{key:?}]")),
            }
        }
        rendered
    }

    /// The value here is of another type than `expected` (serde's words: `a string`).
    pub fn invalid_type(&self, value: &Tree<'_>, expected: &str) -> Failure {
        let found = describe(value);
        let message = format!("invalid type: {found}, expected {expected}");
        self.fail(expected.to_owned(), found, message)
    }

    /// The value here is of the right type but not one `expected` allows.
    pub fn invalid_value(&self, value: &Tree<'_>, expected: &str) -> Failure {
        let found = describe(value);
        let message = format!("invalid value: {found}, expected {expected}");
        self.fail(expected.to_owned(), found, message)
    }

    /// The required field `field` of the object here is absent.
    fn missing(&mut self, field: &'static str) -> Failure {
        self.path.push(Step::Field(field));
        let failure = self.fail(
            "a value (the field is required)".to_owned(),
            "nothing: the field is absent".to_owned(),
            format!("missing field `{field}`"),
        );
        self.path.pop();
        failure
    }

    fn fail(&self, expected: String, found: String, message: String) -> Failure {
        Failure(Box::new(Detail { path: self.path(), expected, found, message }))
    }

    /// In a tolerant pass, records that the optional field here became `None` because of
    /// `failure` (somewhere inside it), its raw value being `raw`.
    fn leave_out(&mut self, failure: Failure, raw: Value) {
        let field = self.path();
        let Detail { path, expected, found, .. } = *failure.0;
        let path = if path.is_empty() { field.clone() } else { path };
        self.left_out.push(Mismatch { endpoint: "", log_id: None, field, path, expected, found, raw });
    }
}

/// Why a value does not decode: where, what the spec declares and what the answer holds.
#[derive(Clone, Debug)]
pub struct Failure(Box<Detail>);

#[derive(Clone, Debug)]
pub(crate) struct Detail {
    /// `entity.main_keys[0].key`; empty for `data` itself.
    pub(crate) path: String,
    /// What the spec declares, in serde's words (`a string`).
    pub(crate) expected: String,
    /// What the answer holds (`integer \`7\``), cut when long.
    pub(crate) found: String,
    /// The whole message, as serde would print it.
    pub(crate) message: String,
}

impl Failure {
    pub(crate) fn detail(&self) -> &Detail {
        &self.0
    }
}

impl fmt::Display for Failure {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let Detail { path, message, .. } = &*self.0;
        f.write_str(message)?;
        // `missing field `id`` at the top names its place already.
        if !path.is_empty() && *message != format!("missing field `{path}`") {
            write!(f, " at `{path}`")?;
        }
        Ok(())
    }
}

impl std::error::Error for Failure {}

/// Decodes `value` strictly, as `T`.
pub fn strict<T: FromJson>(value: Tree<'_>) -> Result<T, Failure> {
    T::from_json(value, &mut Decoder::strict())
}

/// A [`FromJson`] type's decoding with the type erased: the value comes back boxed. The
/// client reads every JSON answer through one of these (see `client::Answer`), so reading,
/// both passes and their errors are compiled once, in this crate; only this one function per
/// response type is compiled where the call is made.
pub(crate) type DecodeBoxed = fn(Tree<'_>, &mut Decoder) -> Result<Box<dyn Any + Send>, Failure>;

/// `T`'s [`DecodeBoxed`].
pub(crate) fn boxed<T: FromJson + Send + 'static>(
    value: Tree<'_>,
    d: &mut Decoder,
) -> Result<Box<dyn Any + Send>, Failure> {
    T::from_json(value, d).map(|value| Box::new(value) as Box<dyn Any + Send>)
}

/// The [`DecodeBoxed`] of an answer whose `data` carries nothing useful: `()`, once `data`
/// is checked to be an object ([`Empty`](crate::Empty)).
pub(crate) fn boxed_unit(value: Tree<'_>, d: &mut Decoder) -> Result<Box<dyn Any + Send>, Failure> {
    crate::Empty::from_json(value, d).map(|_| Box::new(()) as Box<dyn Any + Send>)
}

/// Decodes `data` strictly, with `decode`.
pub(crate) fn strict_boxed(data: Tree<'_>, decode: DecodeBoxed) -> Result<Box<dyn Any + Send>, Failure> {
    decode(data, &mut Decoder::strict())
}

/// Decodes `data` tolerantly, with `decode`: the value and the optional fields it had to
/// leave out, or the failure of a required one.
pub(crate) fn tolerant_boxed(
    data: Tree<'_>,
    decode: DecodeBoxed,
) -> Result<(Box<dyn Any + Send>, Vec<Mismatch>), Failure> {
    let mut decoder = Decoder::tolerant();
    decode(data, &mut decoder).map(|value| (value, decoder.left_out))
}

/// [`tolerant_boxed`] with the type put back, for tests.
#[cfg(test)]
pub(crate) fn tolerant<T: FromJson + Send + 'static>(data: Tree<'_>) -> Result<(T, Vec<Mismatch>), Failure> {
    tolerant_boxed(data, boxed::<T>)
        .map(|(value, left_out)| (*value.downcast::<T>().expect("`boxed::<T>` boxes a `T`"), left_out))
}

/// serde's `Deserialize` of a [`FromJson`] type: the value is parsed, then decoded strictly
/// (the generated types' `Deserialize` impls call this).
pub fn deserialize<'de, D: de::Deserializer<'de>, T: FromJson>(d: D) -> Result<T, D::Error> {
    let value = <Tree<'de> as de::Deserialize>::deserialize(d)?;
    strict(value).map_err(de::Error::custom)
}

/// What a found value is, in serde's words; a long string is cut.
fn describe(value: &Tree<'_>) -> String {
    let text = match value {
        Tree::Null => return "null".to_owned(),
        Tree::Bool(b) => Unexpected::Bool(*b).to_string(),
        Tree::Number(n) => match (n.as_u64(), n.as_i64()) {
            (Some(u), _) => Unexpected::Unsigned(u).to_string(),
            (_, Some(i)) => Unexpected::Signed(i).to_string(),
            _ => Unexpected::Float(n.as_f64().unwrap_or(f64::NAN)).to_string(),
        },
        Tree::String(s) => Unexpected::Str(s).to_string(),
        Tree::Array(_) => Unexpected::Seq.to_string(),
        Tree::Object(_) => Unexpected::Map.to_string(),
    };
    bounded(text)
}

/// A found value is quoted in logs and errors: a long one is cut.
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

#[cfg(test)]
mod tests;
