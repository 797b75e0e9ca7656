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

use crate::{Error, Result, Runtime};

/// What a call does with a decoded answer: [`Runtime::accept`] or
/// [`Runtime::accept_with_response`].
pub type Accept<T, U> = fn(&Runtime, &'static str, ResponseValue<T>) -> Result<U>;

pin_project_lite::pin_project! {
    /// A call in flight (see the module). Made by the generated code; callers see it as
    /// `impl Future<Output = Result<U>>`.
    #[doc(hidden)]
    #[must_use = "a call does nothing until it is awaited"]
    pub struct Call<'a, F, T, U> {
        runtime: &'a Runtime,
        operation_id: &'static str,
        accept: Accept<T, U>,
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

impl<'a, F, T, U> Call<'a, F, T, U> {
    /// A call of `operation_id` that sends with `sending`, unless `invalid` says the request
    /// could not be made.
    pub fn new(
        runtime: &'a Runtime,
        operation_id: &'static str,
        invalid: Option<Error>,
        sending: F,
        accept: Accept<T, U>,
    ) -> Self {
        let state = match invalid {
            Some(error) => State::Invalid { error: Some(error) },
            None => State::Sending { sending },
        };
        Self {
            runtime,
            operation_id,
            accept,
            state,
        }
    }
}

impl<'a, F, T, U> Future for Call<'a, F, T, U>
where
    F: Future<Output = std::result::Result<ResponseValue<T>, progenitor_client::Error<()>>>,
    T: DeserializeOwned,
{
    type Output = Result<U>;

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
                        Ok(value) => return Poll::Ready((this.accept)(this.runtime, this.operation_id, value)),
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
