//! JSON (de)serialization of generated objects, written once here (see [`json_object!`](crate::json_object))
//! instead of derived per type.
//!
//! Why not `#[derive(Serialize, Deserialize)]`: serde_derive writes, per struct, a field
//! enum with its own visitor and `Deserialize` impl, a sequence visitor and a map visitor;
//! `cargo check` of a generated crate takes about twice as long with them (BENCHMARKS.md,
//! "Macros in generated code"). Lark bodies are JSON objects only, so the impls here handle
//! exactly that: named fields, unknown fields ignored, an optional field absent or `null` is
//! `None`, `None` is not sent, a missing required field is serde's usual `missing field` error.
//!
//! Answers are decoded through [`FromJson`](crate::decode::FromJson) from parsed JSON
//! ([`decode`](crate::decode)): an optional field whose value does not match its type fails
//! the strict decoding, but not the call: the runtime decodes the answer a second time,
//! tolerantly, and there the field becomes `None` and is reported as a
//! [`Mismatch`](crate::Mismatch) (docs/resilience.md, "Answers that do not match the spec").

use std::borrow::Cow;
use std::fmt;

use serde::de::{self, Deserializer, Visitor};
use serde::ser;

use crate::int_string::{AsString, StringEncoded};
use crate::tagged::TaggedJson;

/// An object key as [`json_object!`](crate::json_object) reads it: borrowed from the input when it can be (no
/// allocation per field).
pub struct Key<'de>(Cow<'de, str>);

impl<'de> Key<'de> {
    /// The key.
    pub fn as_str(&self) -> &str {
        &self.0
    }

    /// The key, borrowed or owned.
    pub fn into_cow(self) -> Cow<'de, str> {
        self.0
    }
}

impl<'de> de::Deserialize<'de> for Key<'de> {
    fn deserialize<D: Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        struct KeyVisitor;
        impl<'de> Visitor<'de> for KeyVisitor {
            type Value = Key<'de>;
            fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
                f.write_str("a field name")
            }
            fn visit_borrowed_str<E: de::Error>(self, v: &'de str) -> Result<Key<'de>, E> {
                Ok(Key(Cow::Borrowed(v)))
            }
            fn visit_str<E: de::Error>(self, v: &str) -> Result<Key<'de>, E> {
                Ok(Key(Cow::Owned(v.to_owned())))
            }
            fn visit_string<E: de::Error>(self, v: String) -> Result<Key<'de>, E> {
                Ok(Key(Cow::Owned(v)))
            }
        }
        d.deserialize_str(KeyVisitor)
    }
}

/// The members of an object being serialized, in the order its type lists them: what a
/// [`json_object!`](crate::json_object) type's `Serialize` writes into, one call per field.
///
/// Each value is made a [`serde_json::Value`] first, then the members are serialized in
/// order by [`serialize_object`]: the code per type is then a plain list of calls, not one
/// generic over the serializer with a `?` per member, which is what made generated crates
/// slow to check. The price is one `Value` per member of the request bodies sent (small),
/// and that an object nested in a member comes out with its keys in `serde_json::Map`'s
/// order (sorted, unless the app enables serde_json's `preserve_order`); JSON objects are
/// unordered, and Lark reads them so.
#[derive(Default)]
pub struct Members {
    members: Vec<(&'static str, serde_json::Value)>,
    /// The first value that could not be made JSON; the rest are not tried.
    error: Option<serde_json::Error>,
}

impl Members {
    fn push(&mut self, key: &'static str, value: impl FnOnce() -> Result<serde_json::Value, serde_json::Error>) {
        if self.error.is_some() {
            return;
        }
        match value() {
            Ok(value) => self.members.push((key, value)),
            Err(e) => self.error = Some(e),
        }
    }

    /// A required member.
    pub fn required<T: ser::Serialize + ?Sized>(&mut self, key: &'static str, value: &T) {
        self.push(key, || serde_json::to_value(value));
    }

    /// An optional member: not written when `None`.
    pub fn optional<T: ser::Serialize>(&mut self, key: &'static str, value: &Option<T>) {
        if let Some(value) = value {
            self.required(key, value);
        }
    }

    /// A required `as_string` member: its integers written as strings.
    pub fn required_as_string<T: StringEncoded>(&mut self, key: &'static str, value: &T) {
        self.push(key, || serde_json::to_value(AsString(value)));
    }

    /// An optional `as_string` member.
    pub fn optional_as_string<T: StringEncoded>(&mut self, key: &'static str, value: &Option<T>) {
        if let Some(value) = value {
            self.required_as_string(key, value);
        }
    }

    /// A tagged member: two keys, the tag under `tag_key`, then the content's JSON text.
    pub fn tagged<T: TaggedJson>(&mut self, content_key: &'static str, tag_key: &'static str, value: &T) {
        match value.to_content() {
            Ok(content) => {
                self.push(tag_key, || Ok(serde_json::Value::String(value.tag().to_owned())));
                self.push(content_key, || Ok(serde_json::Value::String(content)));
            }
            Err(e) => self.push(content_key, || Err(ser::Error::custom(e))),
        }
    }

    /// An optional tagged member: neither key is written when `None`.
    pub fn optional_tagged<T: TaggedJson>(
        &mut self,
        content_key: &'static str,
        tag_key: &'static str,
        value: &Option<T>,
    ) {
        if let Some(value) = value {
            self.tagged(content_key, tag_key, value);
        }
    }
}

/// Serializes `object` as a JSON object of the members `members` lists
/// ([`json_object!`](crate::json_object)'s `Serialize`).
pub fn serialize_object<S: ser::Serializer, T>(
    s: S,
    object: &T,
    members: fn(&T, &mut Members),
) -> Result<S::Ok, S::Error> {
    use ser::SerializeMap as _;
    let mut listed = Members::default();
    members(object, &mut listed);
    if let Some(e) = listed.error {
        return Err(ser::Error::custom(e));
    }
    let mut map = s.serialize_map(Some(listed.members.len()))?;
    for (key, value) in &listed.members {
        map.serialize_entry(key, value)?;
    }
    map.end()
}

/// `Serialize`, [`FromJson`](crate::decode::FromJson) and `Deserialize` (through `FromJson`)
/// for a generated object, one entry per field: the Rust field, its JSON name, `required` or
/// `optional` (an `Option`, not sent when `None`; in an answer, a value of another type makes
/// it `None` in the tolerant pass instead of failing the call, see [`decode`](crate::decode)), and `as_string` for an `i64` (or a list or map of them) carried as a JSON
/// string ([`int_string`](crate::int_string)), or `tagged "tag_key"` for a
/// [`TaggedJson`](crate::TaggedJson) value written as two keys: its tag under `tag_key` and
/// its content, JSON text, under the field's name ([`tagged`](crate::tagged)).
///
/// ```text
/// json_object!(EntityBody {
///     main_keys = "main_keys" required,
///     description = "description" optional,
///     create_time = "create_time" optional as_string,
///     content = "content" required tagged "msg_type",
/// });
/// ```
#[macro_export]
macro_rules! json_object {
    ($name:ident { $($field:ident = $wire:literal $kind:ident $($enc:ident)? $($tag:literal)?,)* }) => {
        impl $crate::serde::Serialize for $name {
            fn serialize<S: $crate::serde::Serializer>(&self, s: S) -> ::std::result::Result<S::Ok, S::Error> {
                // The members are listed by plain code (no serializer type, no `?`), which
                // rustc checks far faster than a `SerializeMap` sequence per type
                // (BENCHMARKS.md, "Against openlark"); `json::serialize_object` writes them.
                // `#[inline]`, here and on `from_json`: like serde's generic impls, a type's
                // code is compiled into the crate whose calls use it, not for every type of
                // the service when the client crate is built.
                #[allow(unused_variables)]
                #[inline]
                fn members(object: &$name, out: &mut $crate::json::Members) {
                    $($crate::json_object!(@ser $kind [$($enc)? $($tag)?] out $wire object.$field);)*
                }
                $crate::json::serialize_object(s, self, members)
            }
        }
        impl $crate::decode::FromJson for $name {
            #[inline]
            fn from_json(
                value: $crate::decode::Tree<'_>,
                decoder: &mut $crate::decode::Decoder,
            ) -> ::std::result::Result<Self, $crate::decode::Failure> {
                // One call per field, no `?` (a required field that fails returns), for
                // the same reason as `members` above.
                #[allow(unused_mut)]
                let mut fields = decoder.object(value, ::std::stringify!($name))?;
                let object = $name { $($field: $crate::json_object!(@de $kind [$($enc)? $($tag)?] fields $wire),)* };
                fields.finish(object)
            }
        }
        impl<'de> $crate::serde::Deserialize<'de> for $name {
            fn deserialize<D: $crate::serde::Deserializer<'de>>(d: D) -> ::std::result::Result<Self, D::Error> {
                $crate::decode::deserialize(d)
            }
        }
    };
    (@ser required [] $out:ident $wire:literal $value:expr) => {
        $out.required($wire, &$value)
    };
    (@ser optional [] $out:ident $wire:literal $value:expr) => {
        $out.optional($wire, &$value)
    };
    (@ser required [as_string] $out:ident $wire:literal $value:expr) => {
        $out.required_as_string($wire, &$value)
    };
    (@ser optional [as_string] $out:ident $wire:literal $value:expr) => {
        $out.optional_as_string($wire, &$value)
    };
    (@ser required [tagged $tag:literal] $out:ident $wire:literal $value:expr) => {
        $out.tagged($wire, $tag, &$value)
    };
    (@ser optional [tagged $tag:literal] $out:ident $wire:literal $value:expr) => {
        $out.optional_tagged($wire, $tag, &$value)
    };
    (@de required [] $fields:ident $wire:literal) => {
        match $fields.required($wire) {
            ::std::option::Option::Some(value) => value,
            ::std::option::Option::None => return ::std::result::Result::Err($fields.fail()),
        }
    };
    (@de optional [] $fields:ident $wire:literal) => {
        $fields.optional($wire)
    };
    (@de required [as_string] $fields:ident $wire:literal) => {
        match $fields.required_as_string($wire) {
            ::std::option::Option::Some(value) => value,
            ::std::option::Option::None => return ::std::result::Result::Err($fields.fail()),
        }
    };
    (@de optional [as_string] $fields:ident $wire:literal) => {
        $fields.optional_as_string($wire)
    };
    (@de required [tagged $tag:literal] $fields:ident $wire:literal) => {
        match $fields.required_tagged($wire, $tag) {
            ::std::option::Option::Some(value) => value,
            ::std::option::Option::None => return ::std::result::Result::Err($fields.fail()),
        }
    };
    (@de optional [tagged $tag:literal] $fields:ident $wire:literal) => {
        $fields.optional_tagged($wire, $tag)
    };
}

#[cfg(test)]
mod tests {
    #[derive(Debug, PartialEq)]
    struct Entry {
        id: String,
        r#type: Option<i32>,
        main_keys: Vec<String>,
        note: Option<String>,
    }
    crate::json_object!(Entry { id = "id" required, r#type = "type" optional, main_keys = "mainKeys" required, note = "note" optional, });

    #[derive(Debug, PartialEq)]
    struct Stamped {
        id: i64,
        at: Option<i64>,
        ids: Option<Vec<i64>>,
    }
    crate::json_object!(Stamped { id = "id" required as_string, at = "at" optional as_string, ids = "ids" optional as_string, });

    #[derive(Debug, PartialEq, Default)]
    struct Empty {}
    crate::json_object!(Empty {});

    fn entry(json: &str) -> Result<Entry, String> {
        serde_json::from_str(json).map_err(|e| e.to_string())
    }

    #[test]
    fn decodes_by_json_name_and_ignores_unknown_fields() {
        let e = entry(r#"{"mainKeys":["a"],"extra":{"x":[1,2]},"id":"1","type":3}"#).expect("valid");
        assert_eq!(e, Entry { id: "1".into(), r#type: Some(3), main_keys: vec!["a".into()], note: None });
    }

    #[test]
    fn an_optional_field_may_be_absent_or_null() {
        assert_eq!(entry(r#"{"id":"1","mainKeys":[],"note":null}"#).expect("valid").note, None);
        assert_eq!(entry(r#"{"id":"1","mainKeys":[]}"#).expect("valid").r#type, None);
    }

    #[test]
    fn a_missing_required_field_is_named() {
        assert_eq!(entry(r#"{"id":"1"}"#).unwrap_err(), "missing field `mainKeys`");
        // `null` is not a value for a required field.
        assert!(entry(r#"{"id":null,"mainKeys":[]}"#).unwrap_err().starts_with("invalid type: null"));
    }

    #[test]
    fn escaped_keys_are_matched_after_unescaping() {
        let e = entry(r#"{"i\u0064":"1","mainKeys":[]}"#).expect("valid");
        assert_eq!(e.id, "1");
    }

    #[test]
    fn wrong_shapes_are_errors_not_panics() {
        assert!(entry(r#"["1",[]]"#).unwrap_err().contains("expected a JSON object (Entry)"));
        assert!(entry(r#"{"id":1,"mainKeys":[]}"#).unwrap_err().starts_with("invalid type: integer"));
        assert!(entry(r#"{"id":"1","mainKeys":[]"#).is_err());
    }

    #[test]
    fn none_is_not_sent_and_json_names_are_used() {
        let e = Entry { id: "1".into(), r#type: None, main_keys: vec!["a".into()], note: Some("n".into()) };
        assert_eq!(serde_json::to_string(&e).expect("serializes"), r#"{"id":"1","mainKeys":["a"],"note":"n"}"#);
        assert_eq!(entry(&serde_json::to_string(&e).expect("serializes")), Ok(e));
        assert_eq!(serde_json::to_string(&Empty {}).expect("serializes"), "{}");
        assert_eq!(serde_json::from_str::<Empty>(r#"{"a":1}"#).expect("valid"), Empty {});
    }

    #[test]
    fn as_string_fields_are_sent_as_strings_and_read_from_either_form() {
        let s = Stamped { id: 7152790921053274113, at: None, ids: Some(vec![1, 2]) };
        assert_eq!(serde_json::to_string(&s).expect("serializes"), r#"{"id":"7152790921053274113","ids":["1","2"]}"#);
        let read: Stamped =
            serde_json::from_str(r#"{"id":7152790921053274113,"at":"5","ids":[1,"2"]}"#).expect("valid");
        assert_eq!(read, Stamped { id: 7152790921053274113, at: Some(5), ids: Some(vec![1, 2]) });
        let absent: Stamped = serde_json::from_str(r#"{"id":"1","at":null}"#).expect("valid");
        assert_eq!(absent, Stamped { id: 1, at: None, ids: None });
        let missing = serde_json::from_str::<Stamped>(r#"{"at":"1"}"#).unwrap_err().to_string();
        assert!(missing.starts_with("missing field `id`"), "{missing}");
    }
}
