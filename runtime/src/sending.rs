//! [`Sending`]: the future a generated request's `send()` returns.

use std::any::Any;
use std::fmt;
use std::future::Future;
use std::marker::PhantomData;
use std::pin::Pin;
use std::task::{Context, Poll};

use futures_util::future::BoxFuture;

use crate::error::Error;

/// A call on its way; resolves to the endpoint's answer `T` or its error `E`.
///
/// It owns everything it needs (`Send + 'static`), so it can be spawned as it is. The attempt
/// loop behind it is one boxed future compiled once in the runtime; this type only downcasts
/// the answer and turns a runtime [`Error`] into the endpoint's `E`. A generated `send()` is
/// therefore a plain function, not an `async fn`: no state machine per endpoint for rustc to
/// compile in the generated crate or in the app that awaits it.
#[must_use = "a call is sent only when its future is awaited (or polled)"]
pub struct Sending<T, E> {
    future: BoxFuture<'static, Result<Box<dyn Any + Send>, Error>>,
    // `fn() -> _`: `Sending` is `Send` whatever `T` and `E` are; it holds neither.
    types: PhantomData<fn() -> (T, E)>,
}

impl<T, E> Sending<T, E> {
    /// `future` must resolve to a boxed `T` (the runtime's `Client::run` with the matching
    /// answer kind).
    pub(crate) fn new(future: BoxFuture<'static, Result<Box<dyn Any + Send>, Error>>) -> Self {
        Sending { future, types: PhantomData }
    }
}

impl<T: 'static, E: From<Error>> Future for Sending<T, E> {
    type Output = Result<T, E>;

    fn poll(mut self: Pin<&mut Self>, cx: &mut Context<'_>) -> Poll<Result<T, E>> {
        self.future.as_mut().poll(cx).map(|answer| match answer {
            Ok(value) => Ok(*value.downcast::<T>().expect("the runtime answers a call with the type it was made for")),
            Err(error) => Err(E::from(error)),
        })
    }
}

impl<T, E> fmt::Debug for Sending<T, E> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("Sending").finish_non_exhaustive()
    }
}
