//! The members of an object being decoded, read field by field by the code a
//! [`json_object!`](crate::json_object) type has (one call per field).

use std::borrow::Cow;

use super::{Decoder, Failure, FromJson, Step, Tree};
use crate::int_string::StringEncoded;
use crate::tagged::TaggedJson;

/// The members of an object, taken out one field at a time; members no field names are
/// ignored. Reading a field never fails on the spot: it gives `None` and the object's
/// [`finish`](Fields::finish) (or, for a required field, [`fail`](Fields::fail)) returns the
/// failure, so the code of each type needs no `?` per field.
pub struct Fields<'d, 't> {
    members: Vec<(Cow<'t, str>, Tree<'t>)>,
    /// Where the next field is looked for first: after the member the last one was.
    next: usize,
    decoder: &'d mut Decoder,
    /// The first failure; the fields after it are not decoded.
    failure: Option<Failure>,
}

impl Decoder {
    /// The members of `value`, an object of the type named `name`.
    pub fn object<'t>(&mut self, value: Tree<'t>, name: &'static str) -> Result<Fields<'_, 't>, Failure> {
        match value {
            Tree::Object(members) => Ok(Fields { members, next: 0, decoder: self, failure: None }),
            other => Err(self.invalid_type(&other, &format!("a JSON object ({name})"))),
        }
    }
}

impl<'t> Fields<'_, 't> {
    /// A required field (`None`: see [`fail`](Fields::fail)).
    pub fn required<T: FromJson>(&mut self, key: &'static str) -> Option<T> {
        self.field(key, true, T::from_json)
    }

    /// An optional field: absent or `null` is `None`.
    pub fn optional<T: FromJson>(&mut self, key: &'static str) -> Option<T> {
        self.field(key, false, T::from_json)
    }

    /// A required `as_string` field: integers from strings or numbers.
    pub fn required_as_string<T: StringEncoded>(&mut self, key: &'static str) -> Option<T> {
        self.field(key, true, T::from_json_as_string)
    }

    /// An optional `as_string` field.
    pub fn optional_as_string<T: StringEncoded>(&mut self, key: &'static str) -> Option<T> {
        self.field(key, false, T::from_json_as_string)
    }

    /// A required tagged field: its tag under `tag_key`, its content (JSON text) under
    /// `content_key` ([`tagged`](crate::tagged)).
    pub fn required_tagged<T: TaggedJson>(&mut self, content_key: &'static str, tag_key: &'static str) -> Option<T> {
        self.tagged(content_key, tag_key, true)
    }

    /// An optional tagged field: both keys absent is `None`.
    pub fn optional_tagged<T: TaggedJson>(&mut self, content_key: &'static str, tag_key: &'static str) -> Option<T> {
        self.tagged(content_key, tag_key, false)
    }

    /// The object, unless a field failed.
    pub fn finish<T>(self, object: T) -> Result<T, Failure> {
        match self.failure {
            Some(failure) => Err(failure),
            None => Ok(object),
        }
    }

    /// The failure of the required field that just gave `None`.
    pub fn fail(&mut self) -> Failure {
        self.failure.take().unwrap_or_else(|| self.decoder.fail(String::new(), String::new(), "a field failed".into()))
    }

    /// Decodes the member `key`. A required field that is absent fails; an optional one that
    /// is absent or `null` is `None`, and in a tolerant pass one that fails is `None` too,
    /// reported with its raw value.
    fn field<T>(
        &mut self,
        key: &'static str,
        required: bool,
        decode: impl FnOnce(Tree<'t>, &mut Decoder) -> Result<T, Failure>,
    ) -> Option<T> {
        if self.failure.is_some() {
            return None;
        }
        let value = match self.take(key) {
            // `null` is a value of no field's type: a required field fails on it below.
            Some(value) if required || !value.is_null() => value,
            Some(_) => return None,
            None if required => {
                self.failure = Some(self.decoder.missing(key));
                return None;
            }
            None => return None,
        };
        let raw = (!required && self.decoder.tolerant).then(|| value.to_value());
        self.decoder.at(Step::Field(key), value, |value, decoder| match (decode(value, decoder), raw) {
            (Ok(decoded), _) => Some(decoded),
            (Err(failure), Some(raw)) => {
                decoder.leave_out(failure, raw);
                None
            }
            (Err(failure), None) => {
                self.failure = Some(failure);
                None
            }
        })
    }

    /// Takes the value of the member `key` out (the first, if sent twice), looking from
    /// where the last field was found, then from the start.
    fn take(&mut self, key: &str) -> Option<Tree<'t>> {
        let from = self.next.min(self.members.len());
        let (after, before) = (from..self.members.len(), 0..from);
        let at = after.chain(before).find(|&i| self.members[i].0 == key)?;
        self.next = at + 1;
        // A taken member stays in place under an empty name no field has.
        let (name, value) = &mut self.members[at];
        *name = Cow::Borrowed("");
        Some(std::mem::replace(value, Tree::Null))
    }

    /// Reads both keys of a tagged field and puts them together.
    fn tagged<T: TaggedJson>(&mut self, content_key: &'static str, tag_key: &'static str, required: bool) -> Option<T> {
        if self.failure.is_some() {
            return None;
        }
        let tag = self.take(tag_key).filter(|v| !v.is_null());
        let content = self.take(content_key).filter(|v| !v.is_null());
        let problem = match (tag, content) {
            (None, None) if !required => return None,
            (None, None) | (Some(_), None) => self.decoder.missing(content_key),
            (None, Some(_)) => self.decoder.missing(tag_key),
            (Some(tag), Some(content)) => {
                let tag = self.decoder.at(Step::Field(tag_key), tag, String::from_json);
                let content = self.decoder.at(Step::Field(content_key), content, String::from_json);
                match (tag, content) {
                    (Ok(tag), Ok(content)) => match T::from_parts(&tag, &content) {
                        Ok(value) => return Some(value),
                        Err(e) => {
                            let expected = format!("the JSON of a `{tag}` content");
                            let raw = Tree::String(content.into());
                            if !required && self.decoder.tolerant {
                                let found = super::bounded(e.to_string());
                                self.decoder.at(Step::Field(content_key), raw, |raw, decoder| {
                                    let failure = decoder.fail(expected, found, String::new());
                                    decoder.leave_out(failure, raw.to_value());
                                });
                                return None;
                            }
                            self.decoder.at(Step::Field(content_key), raw, |raw, decoder| {
                                decoder.invalid_value(&raw, &format!("{expected} ({e})"))
                            })
                        }
                    },
                    (Err(failure), _) | (_, Err(failure)) => failure,
                }
            }
        };
        if !required && self.decoder.tolerant {
            let found = problem.0.message.clone();
            self.decoder.at(Step::Field(content_key), Tree::Null, |_, decoder| {
                let failure = decoder.fail("both keys of a tagged field".to_owned(), found, String::new());
                decoder.leave_out(failure, serde_json::Value::Null);
            });
            return None;
        }
        self.failure = Some(problem);
        None
    }
}
