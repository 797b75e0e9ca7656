//! What a call returns: the decoded value with its status and headers, or the answer as it came.

use bytes::Bytes;
use reqwest::header::HeaderMap;

use crate::Result;

/// The header the next page's token comes back in.
pub const CONTINUATION_HEADER: &str = "x-ms-continuationtoken";

/// A decoded answer with its status and headers.
#[derive(Debug, Clone)]
pub struct Response<T> {
    value: T,
    status: u16,
    headers: HeaderMap,
}

impl<T> Response<T> {
    pub(crate) fn new(value: T, status: u16, headers: HeaderMap) -> Self {
        Self { value, status, headers }
    }

    /// The decoded value.
    pub fn value(&self) -> &T {
        &self.value
    }

    /// The decoded value, by move.
    pub fn into_inner(self) -> T {
        self.value
    }

    /// The HTTP status.
    pub fn status(&self) -> u16 {
        self.status
    }

    /// The response headers.
    pub fn headers(&self) -> &HeaderMap {
        &self.headers
    }

    /// The `x-ms-continuationtoken` header: where the next page starts. `None` when absent or empty.
    pub fn continuation_token(&self) -> Option<&str> {
        header(&self.headers, CONTINUATION_HEADER).filter(|t| !t.is_empty())
    }

    /// The `ActivityId` header.
    pub fn activity_id(&self) -> Option<&str> {
        header(&self.headers, "activityid")
    }

    /// Apply `f` to the value, keeping status and headers.
    pub fn map<U>(self, f: impl FnOnce(T) -> U) -> Response<U> {
        Response {
            value: f(self.value),
            status: self.status,
            headers: self.headers,
        }
    }
}

/// The answer as it came: status, headers and body (byte-order mark removed), whatever the status.
#[derive(Debug, Clone)]
pub struct RawResponse {
    /// The HTTP status.
    pub status: u16,
    /// The headers.
    pub headers: HeaderMap,
    /// The body.
    pub body: Bytes,
}

/// A header's value as text; `None` when absent or not visible ASCII.
pub(crate) fn header<'a>(headers: &'a HeaderMap, name: &str) -> Option<&'a str> {
    headers.get(name).and_then(|v| v.to_str().ok())
}

/// A check of a decoded answer, for APIs that report failure inside a success body. The
/// generator implements it (doing nothing) for every answer type, except those whose schema is
/// marked `x-ado-checked`, for which the area crate writes it.
pub trait CheckAnswer {
    /// `Err` when the body reports a failure; `status` is the HTTP status it came with.
    fn check(&self, status: u16) -> Result<()>;
}

impl CheckAnswer for () {
    fn check(&self, _: u16) -> Result<()> {
        Ok(())
    }
}
