//! Optional fields of a successful answer that did not match the spec: decoded as `None`,
//! logged as a `warn` event, and handed to callers that ask with [`collect_mismatches`].

use std::cell::RefCell;
use std::fmt;
use std::future::Future;

/// An optional field of an answer's `data` that did not match the spec: the call returned
/// its data with this field as `None`. Each is also logged as a `warn` event.
///
/// Get them for the calls of a future with [`collect_mismatches`]. A required field that
/// does not match fails the call instead, as [`Error::Mismatch`](crate::Error::Mismatch).
#[derive(Debug, Clone, PartialEq)]
#[non_exhaustive]
pub struct Mismatch {
    /// `service resource.action` of the call.
    pub endpoint: &'static str,
    /// Request log id, if any.
    pub log_id: Option<String>,
    /// The optional field decoded as `None`, from `data`: `entity.related_meta.images`.
    pub field: String,
    /// Where inside it the answer breaks the spec: `entity.related_meta.images[0].token`
    /// (the same as `field` when the field itself has another type).
    pub path: String,
    /// What the spec declares at `path`, in serde's words (`a string`, `i32`).
    pub expected: String,
    /// What the answer holds at `path` (`integer `1700000000000``).
    pub found: String,
    /// The JSON of `field` as received: the value the typed answer left out.
    pub raw: serde_json::Value,
}

impl fmt::Display for Mismatch {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{}: `{}` expected {}, found {}", self.endpoint, self.path, self.expected, self.found)?;
        write!(f, "; `{}` decoded as None", self.field)
    }
}

tokio::task_local! {
    static COLLECTED: RefCell<Vec<Mismatch>>;
}

/// Runs `future` and returns its output with the [`Mismatch`]es of the answers decoded
/// meanwhile, in the order they were found.
///
/// ```no_run
/// # async fn demo(client: &larkgen_runtime::Client, call: larkgen_runtime::Call) {
/// let (answer, mismatches) =
///     larkgen_runtime::collect_mismatches(client.send_json::<serde_json::Value>(call)).await;
/// for m in &mismatches {
///     eprintln!("{} left out; the server sent {}", m.field, m.raw);
/// }
/// # }
/// ```
///
/// It collects what the calls *awaited inside* `future` decode (a task-local scope): a call
/// spawned onto another task is not seen.
pub async fn collect_mismatches<F: Future>(future: F) -> (F::Output, Vec<Mismatch>) {
    COLLECTED
        .scope(RefCell::new(Vec::new()), async move {
            let output = future.await;
            (output, COLLECTED.with(RefCell::take))
        })
        .await
}

/// Logs each mismatch and hands it to the enclosing [`collect_mismatches`], if any.
pub(crate) fn report(mismatches: Vec<Mismatch>) {
    for m in &mismatches {
        tracing::warn!(
            endpoint = m.endpoint,
            log_id = m.log_id.as_deref(),
            field = %m.field,
            path = %m.path,
            expected = %m.expected,
            found = %m.found,
            "an optional field of the answer does not match the spec: decoded as None \
             (the raw value: larkgen_runtime::collect_mismatches)"
        );
    }
    let _ = COLLECTED.try_with(|c| c.borrow_mut().extend(mismatches));
}
