//! Integers carried as JSON strings. Lark sends many int64 values (`create_time`,
//! `draft_id`, `repo_id`…) as strings, because JavaScript numbers lose precision beyond
//! 2^53; the SDKs and the docs disagree on which fields do, so decoding takes either form.
//!
//! A field declared `i64_string` in the spec is an `i64` in Rust; its
//! [`json_object!`](crate::json_object) entry is marked `as_string`, which sends it (and
//! every `i64` inside a list or a map of them) as a string, and decodes a string or a number.

use std::collections::BTreeMap;

use crate::decode::{Decoder, Failure, Tree};
use serde::ser::{SerializeMap, SerializeSeq, Serializer};

/// A value whose integers travel as JSON strings: `i64`, and lists, maps and options of it.
pub trait StringEncoded: Sized {
    /// Writes the value with its integers as strings.
    fn serialize_as_string<S: Serializer>(&self, s: S) -> Result<S::Ok, S::Error>;
    /// Decodes the value from parsed JSON, each integer from a string or a number.
    fn from_json_as_string(value: Tree<'_>, d: &mut Decoder) -> Result<Self, Failure>;
}

/// The serialization of `T` with its integers as strings: what `as_string` entries of
/// [`json_object!`](crate::json_object) write (they read through
/// [`StringEncoded::from_json_as_string`]).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct AsString<T>(pub T);

impl<T: StringEncoded> serde::Serialize for AsString<&T> {
    fn serialize<S: Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        self.0.serialize_as_string(s)
    }
}

impl StringEncoded for i64 {
    fn serialize_as_string<S: Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        s.collect_str(self)
    }

    fn from_json_as_string(value: Tree<'_>, d: &mut Decoder) -> Result<Self, Failure> {
        const EXPECTED: &str = "an int64 as a string or a number";
        match &value {
            Tree::Number(n) if n.is_i64() => n.as_i64().ok_or_else(|| d.invalid_value(&value, EXPECTED)),
            Tree::Number(n) if n.is_u64() => Err(d.invalid_value(&value, EXPECTED)),
            Tree::String(s) => s.trim().parse().map_err(|_| d.invalid_value(&value, EXPECTED)),
            _ => Err(d.invalid_type(&value, EXPECTED)),
        }
    }
}

impl<T: StringEncoded> StringEncoded for Option<T> {
    fn serialize_as_string<S: Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        match self {
            Some(v) => s.serialize_some(&AsString(v)),
            None => s.serialize_none(),
        }
    }

    fn from_json_as_string(value: Tree<'_>, d: &mut Decoder) -> Result<Self, Failure> {
        match value {
            Tree::Null => Ok(None),
            other => T::from_json_as_string(other, d).map(Some),
        }
    }
}

impl<T: StringEncoded> StringEncoded for Vec<T> {
    fn serialize_as_string<S: Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        let mut seq = s.serialize_seq(Some(self.len()))?;
        for v in self {
            seq.serialize_element(&AsString(v))?;
        }
        seq.end()
    }

    fn from_json_as_string(value: Tree<'_>, d: &mut Decoder) -> Result<Self, Failure> {
        crate::decode::list(value, d, T::from_json_as_string)
    }
}

impl<T: StringEncoded> StringEncoded for BTreeMap<String, T> {
    fn serialize_as_string<S: Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        let mut map = s.serialize_map(Some(self.len()))?;
        for (k, v) in self {
            map.serialize_entry(k, &AsString(v))?;
        }
        map.end()
    }

    fn from_json_as_string(value: Tree<'_>, d: &mut Decoder) -> Result<Self, Failure> {
        crate::decode::map(value, d, T::from_json_as_string)
    }
}

#[cfg(test)]
mod tests {
    use std::collections::BTreeMap;

    use super::AsString;

    fn decode<T: super::StringEncoded>(json: &str) -> Result<T, String> {
        let value: crate::decode::Tree<'_> = serde_json::from_str(json).map_err(|e| e.to_string())?;
        T::from_json_as_string(value, &mut crate::decode::Decoder::strict()).map_err(|e| e.to_string())
    }

    fn encode<T: super::StringEncoded>(value: &T) -> String {
        serde_json::to_string(&AsString(value)).expect("serializes")
    }

    #[test]
    fn an_int64_is_sent_as_a_string_and_read_from_either_form() {
        assert_eq!(encode(&7152790921053274113_i64), r#""7152790921053274113""#);
        assert_eq!(encode(&-5_i64), r#""-5""#);
        assert_eq!(decode::<i64>(r#""7152790921053274113""#), Ok(7152790921053274113));
        assert_eq!(decode::<i64>("7152790921053274113"), Ok(7152790921053274113));
        assert_eq!(decode::<i64>(r#""-5""#), Ok(-5));
    }

    #[test]
    fn what_is_not_an_int64_is_an_error() {
        assert!(decode::<i64>(r#""12a""#).unwrap_err().contains("an int64 as a string or a number"));
        assert!(decode::<i64>("1.5").is_err());
        assert!(decode::<i64>("true").is_err());
        assert!(decode::<i64>("18446744073709551615").is_err(), "beyond i64");
        assert!(decode::<i64>(r#""9223372036854775808""#).is_err(), "beyond i64");
    }

    #[test]
    fn lists_maps_and_options_carry_their_integers_as_strings() {
        assert_eq!(encode(&vec![1_i64, 2]), r#"["1","2"]"#);
        assert_eq!(decode::<Vec<i64>>(r#"["1",2]"#), Ok(vec![1, 2]));
        let map = BTreeMap::from([("a".to_owned(), 1_i64)]);
        assert_eq!(encode(&map), r#"{"a":"1"}"#);
        assert_eq!(decode::<BTreeMap<String, i64>>(r#"{"a":1}"#), Ok(map));
        assert_eq!(encode(&Some(3_i64)), r#""3""#);
        assert_eq!(decode::<Option<i64>>("null"), Ok(None));
        assert_eq!(decode::<Option<i64>>(r#""3""#), Ok(Some(3)));
    }
}
