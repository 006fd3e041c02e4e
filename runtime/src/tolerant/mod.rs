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
use std::rc::Rc;

use serde::Deserialize;
use serde::de::{DeserializeOwned, DeserializeSeed, Deserializer};
use serde_json::Value;

use failure::Detail;
pub(crate) use failure::Failure;
use node::Node;

use crate::mismatch::Mismatch;

thread_local! {
    /// Whether a tolerant pass runs on this thread (read once per optional field).
    static ACTIVE: Cell<bool> = const { Cell::new(false) };
    static PASS: RefCell<Option<Pass>> = const { RefCell::new(None) };
}

/// One step of a path inside `data`.
#[derive(Clone, Debug, PartialEq)]
pub(crate) enum Segment {
    Key(String),
    Index(usize),
}

/// The state of the running pass.
struct Pass {
    /// The tree being decoded, to take the raw value of a field that did not match.
    root: Rc<Value>,
    /// Where the decoder is now.
    path: Vec<Segment>,
    /// The last error made: what a catching optional field reports (its own error is generic).
    last: Option<Detail>,
    /// Optional fields decoded as `None`.
    mismatches: Vec<Mismatch>,
}

/// Decodes `data` tolerantly: `T` and the optional fields it had to leave out, or the
/// failure of a required one.
pub(crate) fn decode<T: DeserializeOwned>(data: Value) -> Result<(T, Vec<Mismatch>), Failure> {
    let root = Rc::new(data);
    let guard = Guard::start(root.clone());
    let decoded = T::deserialize(Node::new(&root));
    let pass = guard.finish();
    match decoded {
        Ok(value) => Ok((value, pass.mismatches)),
        Err(failure) => Err(failure),
    }
}

/// Whether a tolerant pass runs on this thread.
#[inline]
pub(crate) fn active() -> bool {
    ACTIVE.with(Cell::get)
}

/// Ends the pass even if a `Deserialize` impl panics, so the thread is left clean.
struct Guard;

impl Guard {
    fn start(root: Rc<Value>) -> Self {
        PASS.with(|p| *p.borrow_mut() = Some(Pass { root, path: Vec::new(), last: None, mismatches: Vec::new() }));
        ACTIVE.with(|a| a.set(true));
        Guard
    }

    fn finish(self) -> Pass {
        let pass = PASS.with(|p| p.borrow_mut().take()).expect("the pass runs until its guard finishes it");
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

/// Runs `f` with the current path one segment deeper.
pub(crate) fn within<R>(segment: Segment, f: impl FnOnce() -> R) -> R {
    let pushed = PASS.with(|p| p.borrow_mut().as_mut().map(|pass| pass.path.push(segment)).is_some());
    let out = f();
    if pushed {
        PASS.with(|p| p.borrow_mut().as_mut().map(|pass| pass.path.pop()));
    }
    out
}

/// The current path (empty outside a pass).
pub(crate) fn current_path() -> Vec<Segment> {
    PASS.with(|p| p.borrow().as_ref().map(|pass| pass.path.clone()).unwrap_or_default())
}

/// Remembers the last error made, for the optional field that may catch it.
pub(crate) fn remember(detail: &Detail) {
    PASS.with(|p| {
        if let Some(pass) = p.borrow_mut().as_mut() {
            pass.last = Some(detail.clone());
        }
    });
}

/// `a.b[0].c`
pub(crate) fn render(path: &[Segment]) -> String {
    let mut out = String::new();
    for segment in path {
        match segment {
            Segment::Key(key) => {
                if !out.is_empty() {
                    out.push('.');
                }
                out.push_str(key);
            }
            Segment::Index(i) => {
                out.push('[');
                out.push_str(&i.to_string());
                out.push(']');
            }
        }
    }
    out
}

fn lookup<'v>(root: &'v Value, path: &[Segment]) -> Option<&'v Value> {
    path.iter().try_fold(root, |value, segment| match segment {
        Segment::Key(key) => value.as_object()?.get(key),
        Segment::Index(i) => value.as_array()?.get(*i),
    })
}

/// Records that the optional field at the current path did not decode (with `message`,
/// the error it caught); `false` outside a pass.
fn record(message: &str) -> bool {
    PASS.with(|p| {
        let mut borrowed = p.borrow_mut();
        let Some(pass) = borrowed.as_mut() else { return false };
        // The last error made is the one caught, unless a `Deserialize` impl made and
        // dropped errors of its own: then only the message is known.
        let detail = pass.last.take().filter(|d| d.message == message).unwrap_or_else(|| Detail {
            path: pass.path.clone(),
            expected: String::new(),
            found: message.to_owned(),
            message: message.to_owned(),
        });
        let raw = lookup(&pass.root, &pass.path).cloned().unwrap_or(Value::Null);
        pass.mismatches.push(Mismatch {
            endpoint: "",
            log_id: None,
            field: render(&pass.path),
            path: render(&detail.path),
            expected: detail.expected,
            found: detail.found,
            raw,
        });
        true
    })
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
            // `Node` hands every value out as its own deserializer, so the map this field
            // is in reads on normally after it.
            Err(e) if record(&e.to_string()) => Ok(None),
            Err(e) => Err(e),
        }
    }
}

#[cfg(test)]
mod tests;
