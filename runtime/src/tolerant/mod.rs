//! The tolerant decoding of a successful answer's `data`.
//!
//! A call that succeeded must never look failed: when the spec's guess of an optional
//! field's type is wrong (the docs say string, the server sends an integer), the caller
//! still gets its data, that field as `None`, and a [`Mismatch`] record with the raw value.
//!
//! It is a second pass, run only when the strict decoding (straight from the bytes, what
//! every call does) failed, so answers that match the spec pay nothing for it but one
//! thread-local flag read per optional field. The body is parsed into a
//! [`serde_json::Value`] and decoded again through [`Node`], a deserializer over that tree
//! which keeps the path of the value being decoded. [`json::optional`](crate::json::optional)
//! (the optional fields of every `json_object!` type) sees the pass is on and catches an
//! error of its field: the nearest optional field around a mismatch becomes `None`. A
//! required field's error goes up to the next optional field, or fails the call with the
//! path, as [`Error::Mismatch`](crate::Error::Mismatch).
//!
//! The state lives in a thread-local because serde's traits are generic over the
//! deserializer: the field's code cannot ask "which path am I at" of its `MapAccess`. The
//! pass is synchronous (no `.await` inside), so nothing else runs on the thread meanwhile.

mod failure;
mod node;

use std::cell::{Cell, RefCell};
use std::marker::PhantomData;

use serde::Deserialize;
use serde::de::{DeserializeOwned, DeserializeSeed, Deserializer};
use serde_json::Value;

use failure::Detail;
pub(crate) use failure::Failure;
use node::{Node, Path};

use crate::mismatch::Mismatch;

thread_local! {
    /// Whether a tolerant pass runs on this thread (read once per optional field).
    static ACTIVE: Cell<bool> = const { Cell::new(false) };
    static PASS: RefCell<Option<Pass>> = const { RefCell::new(None) };
    /// The field of the object an error about to be made is about, when the object makes it
    /// after reading all its members (a tagged field): its path goes on to the field.
    static FIELD: Cell<Option<&'static str>> = const { Cell::new(None) };
}

/// Makes an error of the object being decoded that is about its field `key`.
pub(crate) fn about_field<E>(key: &'static str, make: impl FnOnce() -> E) -> E {
    FIELD.with(|f| f.set(Some(key)));
    let error = make();
    FIELD.with(|f| f.set(None));
    error
}

/// The field [`about_field`] names, once.
fn take_field() -> Option<&'static str> {
    FIELD.with(Cell::take)
}

/// The state of the running pass; touched only when something does not match.
#[derive(Default)]
struct Pass {
    /// The last error located: what a catching optional field reports (the error it holds is
    /// generic, so it cannot ask it).
    last: Option<Detail>,
    /// What the optional field that just caught an error found; its member completes it.
    pending: Option<Detail>,
    /// Optional fields decoded as `None`.
    mismatches: Vec<Mismatch>,
    /// Fields left out by the object being decoded ([`left_out`]), named by their key until
    /// the object's path is known.
    unplaced: Vec<Mismatch>,
}

/// Decodes `data` tolerantly: `T` and the optional fields it had to leave out, or the
/// failure of a required one.
pub(crate) fn decode<T: DeserializeOwned>(data: &Value) -> Result<(T, Vec<Mismatch>), Failure> {
    let guard = Guard::start();
    let decoded = T::deserialize(Node::new(data, Path::Root));
    let pass = guard.finish();
    decoded.map(|value| (value, pass.mismatches))
}

/// Whether a tolerant pass runs on this thread.
#[inline]
pub(crate) fn active() -> bool {
    ACTIVE.with(Cell::get)
}

/// Ends the pass even if a `Deserialize` impl panics, so the thread is left clean.
struct Guard;

impl Guard {
    fn start() -> Self {
        PASS.with(|p| *p.borrow_mut() = Some(Pass::default()));
        ACTIVE.with(|a| a.set(true));
        Guard
    }

    fn finish(self) -> Pass {
        let pass = PASS.with(|p| p.borrow_mut().take()).unwrap_or_default();
        drop(self);
        pass
    }
}

impl Drop for Guard {
    fn drop(&mut self) {
        ACTIVE.with(|a| a.set(false));
        PASS.with(|p| p.borrow_mut().take());
    }
}

/// Remembers the last error located, for the optional field that may catch it.
fn remember(detail: &Detail) {
    PASS.with(|p| {
        if let Some(pass) = p.borrow_mut().as_mut() {
            pass.last = Some(detail.clone());
        }
    });
}

/// An optional field caught the error whose message is `message`; `false` outside a pass.
fn catch(message: &str) -> bool {
    PASS.with(|p| {
        let mut borrowed = p.borrow_mut();
        let Some(pass) = borrowed.as_mut() else { return false };
        // The last error located is the one caught, unless a `Deserialize` impl made and
        // dropped errors of its own: then only the message is known.
        let detail = pass.last.take().filter(|d| d.message == message).unwrap_or_else(|| Detail {
            path: String::new(),
            expected: String::new(),
            found: message.to_owned(),
            message: message.to_owned(),
        });
        pass.pending = Some(detail);
        true
    })
}

/// Completes the record of an optional field that caught an error, if the member just
/// decoded (at `field`, holding `raw`) was one.
fn complete(field: &Path<'_>, raw: &Value) {
    PASS.with(|p| {
        if let Some(pass) = p.borrow_mut().as_mut()
            && let Some(detail) = pass.pending.take()
        {
            let field = field.to_string();
            pass.mismatches.push(Mismatch {
                endpoint: "",
                log_id: None,
                path: if detail.path.is_empty() { field.clone() } else { detail.path },
                field,
                expected: detail.expected,
                found: detail.found,
                raw: raw.clone(),
            });
        }
    });
}

/// During a tolerant pass, records the optional field `key` of the object being decoded as
/// left out (`None`) and returns `true`; `false` outside a pass. For fields that are not one
/// member ([`tagged::assemble`](crate::tagged::assemble)), so the member-based catching of
/// [`Optional`] cannot see them.
pub(crate) fn left_out(key: &str, expected: &str, found: &str, raw: &Value) -> bool {
    if !active() {
        return false;
    }
    PASS.with(|p| {
        let mut borrowed = p.borrow_mut();
        let Some(pass) = borrowed.as_mut() else { return false };
        pass.unplaced.push(Mismatch {
            endpoint: "",
            log_id: None,
            path: String::new(),
            field: key.to_owned(),
            expected: expected.to_owned(),
            found: found.to_owned(),
            raw: raw.clone(),
        });
        true
    })
}

/// The object at `path` has been decoded: the fields it left out get their paths. (Paths
/// are written out only when something was left out.)
fn place(object: &Path<'_>) {
    PASS.with(|p| {
        if let Some(pass) = p.borrow_mut().as_mut().filter(|pass| !pass.unplaced.is_empty()) {
            let object = object.to_string();
            for mut m in pass.unplaced.drain(..) {
                if !object.is_empty() {
                    m.field = format!("{object}.{}", m.field);
                }
                m.path = m.field.clone();
                pass.mismatches.push(m);
            }
        }
    });
}

/// Decodes an optional field; during a tolerant pass an error inside it makes it `None`.
pub(crate) struct Optional<T>(PhantomData<T>);

impl<T> Optional<T> {
    pub(crate) fn new() -> Self {
        Self(PhantomData)
    }
}

impl<'de, T: Deserialize<'de>> DeserializeSeed<'de> for Optional<T> {
    type Value = Option<T>;

    fn deserialize<D: Deserializer<'de>>(self, d: D) -> Result<Option<T>, D::Error> {
        match Option::<T>::deserialize(d) {
            Ok(value) => Ok(value),
            // `Node` hands every value out as its own deserializer, so the object this field
            // is in reads on normally after it.
            Err(e) if catch(&e.to_string()) => Ok(None),
            Err(e) => Err(e),
        }
    }
}

#[cfg(test)]
mod tests;
