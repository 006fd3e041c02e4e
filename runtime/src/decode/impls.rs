//! [`FromJson`] of the types generated fields are made of, in serde's words when a value
//! does not match (`invalid type: integer \`7\`, expected a string`).

use std::collections::BTreeMap;

use serde_json::Value;

use super::{Decoder, Failure, FromJson, Step, Tree};

impl FromJson for String {
    fn from_json(value: Tree<'_>, d: &mut Decoder) -> Result<Self, Failure> {
        match value {
            Tree::String(s) => Ok(s.into_owned()),
            other => Err(d.invalid_type(&other, "a string")),
        }
    }
}

impl FromJson for bool {
    fn from_json(value: Tree<'_>, d: &mut Decoder) -> Result<Self, Failure> {
        match value {
            Tree::Bool(b) => Ok(b),
            other => Err(d.invalid_type(&other, "a boolean")),
        }
    }
}

impl FromJson for i64 {
    fn from_json(value: Tree<'_>, d: &mut Decoder) -> Result<Self, Failure> {
        integer(value, d, "i64")
    }
}

impl FromJson for i32 {
    fn from_json(value: Tree<'_>, d: &mut Decoder) -> Result<Self, Failure> {
        let wide = integer(value, d, "i32")?;
        i32::try_from(wide).map_err(|_| d.invalid_value(&Tree::Number(wide.into()), "i32"))
    }
}

/// An integer number (not a float, not a string) that fits an `i64`.
fn integer(value: Tree<'_>, d: &mut Decoder, expected: &str) -> Result<i64, Failure> {
    match &value {
        Tree::Number(n) if n.is_i64() => n.as_i64().ok_or_else(|| d.invalid_type(&value, expected)),
        Tree::Number(n) if n.is_u64() => Err(d.invalid_value(&value, expected)),
        _ => Err(d.invalid_type(&value, expected)),
    }
}

impl FromJson for f64 {
    fn from_json(value: Tree<'_>, d: &mut Decoder) -> Result<Self, Failure> {
        match &value {
            Tree::Number(n) => n.as_f64().ok_or_else(|| d.invalid_type(&value, "f64")),
            _ => Err(d.invalid_type(&value, "f64")),
        }
    }
}

/// `json` fields: any value, as sent.
impl FromJson for Value {
    fn from_json(value: Tree<'_>, _: &mut Decoder) -> Result<Self, Failure> {
        Ok(value.to_value())
    }
}

/// `null` is `None`.
impl<T: FromJson> FromJson for Option<T> {
    fn from_json(value: Tree<'_>, d: &mut Decoder) -> Result<Self, Failure> {
        match value {
            Tree::Null => Ok(None),
            other => T::from_json(other, d).map(Some),
        }
    }
}

impl<T: FromJson> FromJson for Vec<T> {
    fn from_json(value: Tree<'_>, d: &mut Decoder) -> Result<Self, Failure> {
        list(value, d, T::from_json)
    }
}

impl<T: FromJson> FromJson for BTreeMap<String, T> {
    fn from_json(value: Tree<'_>, d: &mut Decoder) -> Result<Self, Failure> {
        map(value, d, T::from_json)
    }
}

/// The data of endpoints that return nothing useful: any value.
impl FromJson for crate::Empty {
    fn from_json(_: Tree<'_>, _: &mut Decoder) -> Result<Self, Failure> {
        Ok(crate::Empty)
    }
}

/// A list, each item decoded by `item` at its index.
pub(crate) fn list<T>(
    value: Tree<'_>,
    d: &mut Decoder,
    item: impl Fn(Tree<'_>, &mut Decoder) -> Result<T, Failure>,
) -> Result<Vec<T>, Failure> {
    match value {
        Tree::Array(items) => {
            let mut decoded = Vec::with_capacity(items.len());
            for (i, value) in items.into_iter().enumerate() {
                decoded.push(d.at(Step::Index(i), value, &item)?);
            }
            Ok(decoded)
        }
        other => Err(d.invalid_type(&other, "a sequence")),
    }
}

/// A map with string keys, each value decoded by `entry` at its key.
pub(crate) fn map<T>(
    value: Tree<'_>,
    d: &mut Decoder,
    entry: impl Fn(Tree<'_>, &mut Decoder) -> Result<T, Failure>,
) -> Result<BTreeMap<String, T>, Failure> {
    match value {
        Tree::Object(members) => {
            let mut decoded = BTreeMap::new();
            for (key, value) in members {
                let key = key.into_owned();
                let v = d.at(Step::Key(key.clone()), value, &entry)?;
                decoded.insert(key, v);
            }
            Ok(decoded)
        }
        other => Err(d.invalid_type(&other, "a map")),
    }
}
