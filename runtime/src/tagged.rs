//! JSON carried in a string, its kind named by a sibling field (the spec's `tagged_json`):
//! IM's `"msg_type": "text", "content": "{\"text\":\"hi\"}"`.
//!
//! A generated tagged type is an enum with one variant per documented kind and `Unknown`;
//! it implements [`TaggedJson`] (the tag of each variant, the kind types by tag) and a field
//! of it is one entry of [`json_object!`](crate::json_object) that writes and reads both
//! keys (`content = "content" required tagged "msg_type",`). What is the same for every
//! tagged type lives here: writing the content as JSON text, reading it back by tag, and what
//! an answer whose two keys do not fit together decodes as.
//!
//! Decoding: a known tag gives the typed kind; an unknown tag gives `Unknown` with the
//! content parsed as JSON, or as a JSON string holding the text when it is not JSON. A known
//! tag whose content does not decode as its kind breaks the spec like any other mismatch: a
//! required field fails the call ([`Error::Mismatch`](crate::Error::Mismatch)); an optional
//! one is `None` in the tolerant pass, with a [`Mismatch`](crate::Mismatch) holding the
//! content string (docs/resilience.md).

use serde::de::{self, DeserializeOwned};
use serde::ser;

/// Why a content string did not decode as the kind its tag names (serde_json's error).
pub type ContentError = serde_json::Error;

/// A JSON document carried in a string whose kind a sibling field names. Generated for each
/// `tagged_json` type of a spec.
pub trait TaggedJson: Sized {
    /// The tag: the value of the sibling field (`text`).
    fn tag(&self) -> &str;

    /// The content as the JSON text sent in the string field.
    fn to_content(&self) -> Result<String, ContentError>;

    /// The value of a tag and its content string: the typed kind for a known tag, `Unknown`
    /// for another; an error when the content of a known tag is not that kind's JSON.
    ///
    /// Use it where an answer carries the two apart (IM's message has `msg_type` on the item
    /// and `content` inside `body`).
    fn from_parts(tag: &str, content: &str) -> Result<Self, ContentError>;
}

/// The JSON text of a kind (what `to_content` writes for each variant).
pub fn write<T: ser::Serialize + ?Sized>(kind: &T) -> Result<String, ContentError> {
    serde_json::to_string(kind)
}

/// The kind a known tag names, read from its content string.
pub fn read<T: DeserializeOwned>(content: &str) -> Result<T, ContentError> {
    serde_json::from_str(content)
}

/// The content of an unknown tag: its JSON, or a JSON string holding the text when it is not
/// JSON (nothing the server sends is lost).
pub fn read_any(content: &str) -> crate::Json {
    serde_json::from_str(content).unwrap_or_else(|_| crate::Json::String(content.to_owned()))
}

/// The two keys of a tagged field as read from an object, before they are put together
/// ([`json_object!`](crate::json_object)'s `tagged` entries).
#[derive(Debug, Default)]
pub struct Parts {
    /// The sibling field's value.
    pub tag: Option<String>,
    /// The content string.
    pub content: Option<String>,
}

/// The parts read so far of a tagged field (created when its first key is read).
pub fn parts(slot: &mut Option<Parts>) -> &mut Parts {
    slot.get_or_insert_with(Parts::default)
}

/// Puts the two keys of a tagged field together: `Ok(None)` when both are absent (an
/// optional field), the value when they decode, else an error, or, for an optional field in
/// the runtime's tolerant pass, `None` and a [`Mismatch`](crate::Mismatch).
pub fn assemble<T: TaggedJson, E: de::Error>(
    parts: Parts,
    content_key: &'static str,
    tag_key: &'static str,
    required: bool,
) -> Result<Option<T>, E> {
    let problem = match (parts.tag, parts.content) {
        (None, None) if required => E::missing_field(content_key),
        (None, None) => return Ok(None),
        (Some(_), None) => E::missing_field(content_key),
        (None, Some(_)) => E::missing_field(tag_key),
        (Some(tag), Some(content)) => match T::from_parts(&tag, &content) {
            Ok(value) => return Ok(Some(value)),
            Err(e) => {
                let expected = format!("the JSON of a `{tag}` content");
                let raw = crate::Json::String(content);
                if !required && crate::tolerant::left_out(content_key, &expected, &e.to_string(), &raw) {
                    return Ok(None);
                }
                let expected = format!("{expected} ({e})");
                let unexpected = de::Unexpected::Str(raw.as_str().unwrap_or_default());
                crate::tolerant::about_field(content_key, || E::invalid_value(unexpected, &expected.as_str()))
            }
        },
    };
    let expected = "both keys of a tagged field";
    if !required && crate::tolerant::left_out(content_key, expected, &problem.to_string(), &crate::Json::Null) {
        return Ok(None);
    }
    Err(problem)
}

#[cfg(test)]
mod tests;
