//! Attempts that were not sent, or ran out of time: carried to the error mapping as marked
//! empty answers.

use std::future::Future;
use std::pin::Pin;
use std::time::Duration;

use bytes::Bytes;

/// An attempt that ran out of time, as a response the generated code passes on as unexpected; the
/// mapping in `Runtime::fail` reads the marker and reports a timeout.
#[derive(Debug, Clone, Copy)]
pub(crate) struct TimedOut(pub Duration);

#[cold]
pub(super) fn timed_out(limit: Duration) -> reqwest::Response {
    marked(reqwest::StatusCode::GATEWAY_TIMEOUT, TimedOut(limit))
}

/// The credentials failed before an attempt could be sent; carried like [`TimedOut`].
#[derive(Debug, Clone)]
pub(crate) struct CredentialsFailed(pub String);

/// The operation named is not in the area's table; carried like [`TimedOut`].
#[derive(Debug, Clone, Copy)]
pub(crate) struct UnknownOperation(pub &'static str);

/// Why an attempt was not sent.
#[derive(Debug, Clone)]
pub(super) enum Refusal {
    Credentials(String),
    UnknownOperation(&'static str),
}

impl Refusal {
    /// Whether `response` is the answer of a refused attempt.
    pub(super) fn refused(response: &reqwest::Response) -> bool {
        let extensions = response.extensions();
        extensions.get::<CredentialsFailed>().is_some() || extensions.get::<UnknownOperation>().is_some()
    }

    /// The answer the generated code passes on as unexpected, for `Runtime::fail` to explain.
    pub(super) fn answer(&self) -> reqwest::Response {
        match self {
            Refusal::Credentials(message) => {
                marked(reqwest::StatusCode::UNAUTHORIZED, CredentialsFailed(message.clone()))
            }
            Refusal::UnknownOperation(id) => marked(reqwest::StatusCode::BAD_REQUEST, UnknownOperation(id)),
        }
    }
}

pin_project_lite::pin_project! {
    /// An attempt being sent: reqwest's future, or, for a token provider, the wait for the token
    /// before it, or no attempt at all.
    #[project = SendingProj]
    pub(super) enum Sending<'a, P> {
        Sent { #[pin] pending: P },
        Stamping { stamping: Pin<Box<dyn Future<Output = reqwest::Result<reqwest::Response>> + Send + 'a>> },
        Refused { refusal: Refusal },
    }
}

impl<P: Future<Output = reqwest::Result<reqwest::Response>>> Future for Sending<'_, P> {
    type Output = reqwest::Result<reqwest::Response>;

    fn poll(self: Pin<&mut Self>, cx: &mut std::task::Context<'_>) -> std::task::Poll<Self::Output> {
        match self.project() {
            SendingProj::Sent { pending } => pending.poll(cx),
            SendingProj::Stamping { stamping } => stamping.as_mut().poll(cx),
            SendingProj::Refused { refusal } => std::task::Poll::Ready(Ok(refusal.answer())),
        }
    }
}

/// An empty response that the generated code passes on as unexpected, with a marker for the
/// mapping in `Runtime::fail`.
#[cold]
pub(super) fn marked<M: Clone + Send + Sync + 'static>(status: reqwest::StatusCode, marker: M) -> reqwest::Response {
    let mut response = http::Response::new(Bytes::new());
    *response.status_mut() = status;
    response.extensions_mut().insert(marker);
    reqwest::Response::from(response)
}
