//! JSON carried in a string, its kind named by a sibling field (the spec's `tagged_json`):
//! IM's `"msg_type": "text", "content": "{\"text\":\"hi\"}"`.
//!
//! A generated tagged type is an enum with one variant per documented kind and `Unknown`;
//! it implements [`TaggedJson`] (the tag of each variant, the kind types by tag) and a field
//! of it is one entry of [`json_object!`](crate::json_object) that writes and reads both
//! keys (`content = "content" required tagged "msg_type",`). What is the same for every
//! tagged type lives here: writing the content as JSON text and reading it back by tag; what
//! an answer whose two keys do not fit together decodes as is in
//! [`decode::Fields`](crate::decode::Fields).
//!
//! Decoding: a known tag gives the typed kind; an unknown tag gives `Unknown` with the
//! content parsed as JSON, or as a JSON string holding the text when it is not JSON. A known
//! tag whose content does not decode as its kind breaks the spec like any other mismatch: a
//! required field fails the call ([`Error::Mismatch`](crate::Error::Mismatch)); an optional
//! one is `None` in the tolerant pass, with a [`Mismatch`](crate::Mismatch) holding the
//! content string (docs/resilience.md).

use serde::de::DeserializeOwned;
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

#[cfg(test)]
mod tests;
