//! A deserializer over a parsed JSON tree that knows the path of the value it decodes: each
//! object member and array element is decoded one segment deeper. Unlike serde_json's own
//! `&Value` deserializer, its errors are [`Failure`]s, located at the innermost value they
//! come from.

use std::fmt;

use serde::de::value::BorrowedStrDeserializer;
use serde::de::{self, DeserializeSeed, Deserializer, MapAccess, SeqAccess, Unexpected, Visitor};
use serde_json::Value;

use super::{Failure, complete};

/// Where a value is in `data`, linked to its parent's path on the stack: nothing is
/// allocated unless it is written out (`entity.related_meta.images[1].token`).
#[derive(Clone, Copy)]
pub(crate) enum Path<'a> {
    Root,
    Key(&'a Path<'a>, &'a str),
    Index(&'a Path<'a>, usize),
}

impl fmt::Display for Path<'_> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Path::Root => Ok(()),
            Path::Key(Path::Root, key) => f.write_str(key),
            Path::Key(parent, key) => write!(f, "{parent}.{key}"),
            Path::Index(parent, i) => write!(f, "{parent}[{i}]"),
        }
    }
}

/// One value of the tree.
pub(crate) struct Node<'de, 'p> {
    value: &'de Value,
    path: Path<'p>,
}

impl<'de, 'p> Node<'de, 'p> {
    pub(crate) fn new(value: &'de Value, path: Path<'p>) -> Self {
        Node { value, path }
    }
}

fn unexpected(value: &Value) -> Unexpected<'_> {
    match value {
        Value::Null => Unexpected::Unit,
        Value::Bool(b) => Unexpected::Bool(*b),
        Value::Number(n) => match (n.as_u64(), n.as_i64()) {
            (Some(u), _) => Unexpected::Unsigned(u),
            (_, Some(i)) => Unexpected::Signed(i),
            _ => Unexpected::Float(n.as_f64().unwrap_or(f64::NAN)),
        },
        Value::String(s) => Unexpected::Str(s),
        Value::Array(_) => Unexpected::Seq,
        Value::Object(_) => Unexpected::Map,
    }
}

impl<'de> Deserializer<'de> for Node<'de, '_> {
    type Error = Failure;

    fn deserialize_any<V: Visitor<'de>>(self, visitor: V) -> Result<V::Value, Failure> {
        let path = self.path;
        let decoded = match self.value {
            Value::Null => visitor.visit_unit(),
            Value::Bool(b) => visitor.visit_bool(*b),
            Value::Number(n) => match (n.as_u64(), n.as_i64()) {
                (Some(u), _) => visitor.visit_u64(u),
                (_, Some(i)) => visitor.visit_i64(i),
                _ => visitor.visit_f64(n.as_f64().unwrap_or(f64::NAN)),
            },
            Value::String(s) => visitor.visit_borrowed_str(s),
            Value::Array(items) => {
                let mut seq = Items { items: items.iter(), index: 0, path: &path };
                visitor.visit_seq(&mut seq).and_then(|value| match seq.items.len() {
                    0 => Ok(value),
                    left => Err(de::Error::invalid_length(seq.index + left, &"fewer elements in the array")),
                })
            }
            Value::Object(members) => visitor.visit_map(Members { members: members.iter(), value: None, path: &path }),
        };
        decoded.map_err(|e| e.at(&path))
    }

    fn deserialize_option<V: Visitor<'de>>(self, visitor: V) -> Result<V::Value, Failure> {
        match self.value {
            Value::Null => visitor.visit_none(),
            _ => visitor.visit_some(self),
        }
    }

    fn deserialize_newtype_struct<V: Visitor<'de>>(self, _: &'static str, visitor: V) -> Result<V::Value, Failure> {
        visitor.visit_newtype_struct(self)
    }

    fn deserialize_enum<V: Visitor<'de>>(
        self,
        _: &'static str,
        _: &'static [&'static str],
        visitor: V,
    ) -> Result<V::Value, Failure> {
        // Lark's enums are strings (unit variants); the generated ones go through `String`.
        let decoded = match self.value {
            Value::String(s) => visitor.visit_enum(BorrowedStrDeserializer::<Failure>::new(s)),
            other => Err(de::Error::invalid_type(unexpected(other), &"a string (enum variant)")),
        };
        decoded.map_err(|e| e.at(&self.path))
    }

    fn deserialize_ignored_any<V: Visitor<'de>>(self, visitor: V) -> Result<V::Value, Failure> {
        visitor.visit_unit()
    }

    serde::forward_to_deserialize_any! {
        bool i8 i16 i32 i64 i128 u8 u16 u32 u64 u128 f32 f64 char str string
        bytes byte_buf unit unit_struct seq tuple tuple_struct map struct identifier
    }
}

/// The elements of an array, each decoded at `[index]`.
struct Items<'de, 'p> {
    items: std::slice::Iter<'de, Value>,
    index: usize,
    path: &'p Path<'p>,
}

impl<'de> SeqAccess<'de> for &mut Items<'de, '_> {
    type Error = Failure;

    fn next_element_seed<T: DeserializeSeed<'de>>(&mut self, seed: T) -> Result<Option<T::Value>, Failure> {
        let Some(item) = self.items.next() else { return Ok(None) };
        let path = Path::Index(self.path, self.index);
        self.index += 1;
        seed.deserialize(Node::new(item, path)).map(Some)
    }

    fn size_hint(&self) -> Option<usize> {
        Some(self.items.len())
    }
}

/// The members of an object, each value decoded at `.key`.
struct Members<'de, 'p> {
    members: serde_json::map::Iter<'de>,
    value: Option<(&'de str, &'de Value)>,
    path: &'p Path<'p>,
}

impl<'de> MapAccess<'de> for Members<'de, '_> {
    type Error = Failure;

    fn next_key_seed<K: DeserializeSeed<'de>>(&mut self, seed: K) -> Result<Option<K::Value>, Failure> {
        let Some((key, value)) = self.members.next() else { return Ok(None) };
        self.value = Some((key.as_str(), value));
        seed.deserialize(BorrowedStrDeserializer::<Failure>::new(key.as_str())).map(Some)
    }

    fn next_value_seed<V: DeserializeSeed<'de>>(&mut self, seed: V) -> Result<V::Value, Failure> {
        let (key, value) = self.value.take().ok_or_else(|| de::Error::custom("a value asked for before its key"))?;
        let path = Path::Key(self.path, key);
        let decoded = seed.deserialize(Node::new(value, path))?;
        // If this member is an optional field that caught an error, its record is completed
        // here, where its path and raw value are at hand.
        complete(&path, value);
        Ok(decoded)
    }

    fn size_hint(&self) -> Option<usize> {
        Some(self.members.len())
    }
}
