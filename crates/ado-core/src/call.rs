//! The future a generated `send()` returns: the generated builder's own future, then its answer
//! accepted (checked, and made the caller's type) or its failure mapped into an [`Error`].
//!
//! A future of its own rather than an `async` block or futures' combinators: an `async` block
//! keeps room for the builder's future twice (as captured and as awaited), and combinators move
//! the decoded answer through a level of `poll` each; the answer of a call is often hundreds of
//! bytes, and each move of it writes to stack the processor has not touched since the last call.

use std::future::Future;
use std::pin::Pin;
use std::task::{Context, Poll, ready};

use progenitor_client::ResponseValue;
use serde::de::DeserializeOwned;

use crate::runtime::Runtime;
use crate::{Error, Result};

/// What a call does with a decoded answer: [`Value`] or [`WithResponse`]. A type rather than a
/// function pointer, so that the answer can be built where the caller wants it instead of being
/// copied through a call.
pub trait Accept<T> {
    /// What the call returns.
    type Output;
    /// Accept `value`, the decoded answer of `operation_id`.
    fn accept(runtime: &Runtime, operation_id: &'static str, value: ResponseValue<T>) -> Result<Self::Output>;
}

/// The decoded value alone ([`Runtime::accept`]).
#[derive(Debug, Clone, Copy)]
pub struct Value;

impl<T: crate::response::CheckAnswer> Accept<T> for Value {
    type Output = T;

    #[inline]
    fn accept(runtime: &Runtime, operation_id: &'static str, value: ResponseValue<T>) -> Result<T> {
        runtime.accept(operation_id, value)
    }
}

/// The decoded value with its status and headers ([`Runtime::accept_with_response`]).
#[derive(Debug, Clone, Copy)]
pub struct WithResponse;

impl<T: crate::response::CheckAnswer> Accept<T> for WithResponse {
    type Output = crate::Response<T>;

    #[inline]
    fn accept(runtime: &Runtime, operation_id: &'static str, value: ResponseValue<T>) -> Result<crate::Response<T>> {
        runtime.accept_with_response(operation_id, value)
    }
}

pin_project_lite::pin_project! {
    /// A call in flight (see the module). Made by the generated code; callers see it as
    /// `impl Future<Output = Result<A::Output>>`.
    #[doc(hidden)]
    #[must_use = "a call does nothing until it is awaited"]
    pub struct Call<'a, F, A> {
        runtime: &'a Runtime,
        operation_id: &'static str,
        accept: std::marker::PhantomData<A>,
        #[pin]
        state: State<'a, F>,
    }
}

pin_project_lite::pin_project! {
    #[project = StateProj]
    enum State<'a, F> {
        // The request was refused before it was sent (a parameter that cannot be written).
        Invalid { error: Option<Error> },
        Sending { #[pin] sending: F },
        Failing { failing: Pin<Box<dyn Future<Output = Error> + Send + 'a>> },
    }
}

impl<'a, F, A> Call<'a, F, A> {
    /// A call of `operation_id` that sends with `sending`, unless `invalid` says the request
    /// could not be made, and makes its answer with `A`.
    pub fn new(runtime: &'a Runtime, operation_id: &'static str, invalid: Option<Error>, sending: F, _: A) -> Self {
        let state = match invalid {
            Some(error) => State::Invalid { error: Some(error) },
            None => State::Sending { sending },
        };
        Self {
            runtime,
            operation_id,
            accept: std::marker::PhantomData,
            state,
        }
    }
}

impl<'a, F, T, A> Future for Call<'a, F, A>
where
    F: Future<Output = std::result::Result<ResponseValue<T>, progenitor_client::Error<()>>>,
    T: DeserializeOwned,
    A: Accept<T>,
{
    type Output = Result<A::Output>;

    fn poll(self: Pin<&mut Self>, cx: &mut Context<'_>) -> Poll<Self::Output> {
        let mut this = self.project();
        loop {
            match this.state.as_mut().project() {
                StateProj::Invalid { error } => {
                    return Poll::Ready(Err(error.take().unwrap_or_else(|| {
                        Error::invalid_input("the call was polled again after it completed")
                    })));
                }
                StateProj::Sending { sending } => {
                    let error = match ready!(sending.poll(cx)) {
                        Ok(value) => return Poll::Ready(A::accept(this.runtime, this.operation_id, value)),
                        Err(error) => error,
                    };
                    let failing = this.runtime.fail::<T>(this.operation_id, error);
                    this.state.set(State::Failing { failing });
                }
                StateProj::Failing { failing } => return Poll::Ready(Err(ready!(failing.as_mut().poll(cx)))),
            }
        }
    }
}

/// A parameter of a generated builder, checked in its `send()`: the value, or the error that
/// setting it left. The builders start each required parameter as an error without a message (so
/// that making a request allocates none it will not need); such an error is named here.
#[doc(hidden)]
// The generated code's own result type (progenitor's error), which is what `send()` returns.
#[allow(clippy::result_large_err)]
pub fn required<T, E>(
    value: std::result::Result<T, String>,
    name: &'static str,
) -> std::result::Result<T, progenitor_client::Error<E>> {
    value.map_err(|message| invalid(message, name))
}

#[cold]
#[inline(never)]
fn invalid<E>(message: String, name: &'static str) -> progenitor_client::Error<E> {
    let message = if message.is_empty() {
        format!("{name} was not initialized")
    } else {
        message
    };
    progenitor_client::Error::InvalidRequest(message)
}

#[cfg(test)]
mod tests {
    use super::required;

    #[test]
    fn a_parameter_never_set_is_named() {
        let error = required::<u8, ()>(Err(String::new()), "project").unwrap_err();
        assert_eq!(error.to_string(), "Invalid Request: project was not initialized");
    }

    #[test]
    fn a_parameter_that_failed_to_convert_keeps_its_message() {
        let error = required::<u8, ()>(Err("conversion to `i32` failed".into()), "id").unwrap_err();
        assert_eq!(error.to_string(), "Invalid Request: conversion to `i32` failed");
        assert_eq!(required::<u8, ()>(Ok(7), "id").unwrap(), 7);
    }
}
