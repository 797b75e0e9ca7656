//! One attempt: the headers every request carries (credentials asked afresh, so a retry after a
//! long wait carries a fresh token), the exchange, and the body read within its limit, all within
//! the attempt's time limit.

use std::sync::atomic::{AtomicU32, Ordering};

use reqwest::header::{ACCEPT, AUTHORIZATION, HeaderMap, HeaderName, HeaderValue, USER_AGENT};

use super::Runtime;
use crate::response::header;
use crate::{Error, RawResponse, Result};

/// Asks the service to answer 401 rather than redirect to a sign-in page.
const SUPPRESS_REDIRECT: HeaderName = HeaderName::from_static("x-tfs-fedauthredirect");

impl Runtime {
    /// Send `request` once and read its answer, within the attempt's time limit.
    pub(super) async fn attempt(&self, request: reqwest::Request) -> Result<RawResponse> {
        let limit = self.shared().limits.attempt_timeout;
        tokio::time::timeout(limit, self.exchange(request))
            .await
            .unwrap_or_else(|_| Err(Error::timed_out(limit)))
    }

    async fn exchange(&self, mut request: reqwest::Request) -> Result<RawResponse> {
        let shared = self.shared();
        self.stamp(request.headers_mut()).await?;
        let sent = tokio::time::Instant::now();
        let in_flight = InFlight::count(&shared.in_flight);
        let mut response = shared.http.execute(request).await.map_err(Error::transport)?;
        drop(in_flight);
        shared.rate_limits.observe(response.headers(), sent);
        let status = response.status().as_u16();
        let Some(body) = super::read_bounded(&mut response, shared.max_body)
            .await
            .map_err(Error::transport)?
        else {
            let activity_id = header(response.headers(), "activityid");
            return Err(Error::body_too_large(shared.max_body, status).with_activity_id(activity_id));
        };
        let body = match body.strip_prefix(b"\xEF\xBB\xBF") {
            Some(_) => body.slice(3..),
            None => body,
        };
        Ok(RawResponse {
            status,
            headers: std::mem::take(response.headers_mut()),
            body,
        })
    }

    /// Put the credentials and the headers every request carries on `headers`.
    async fn stamp(&self, headers: &mut HeaderMap) -> Result<()> {
        let authorization = self.config.credentials().authorization().await?;
        headers.insert(AUTHORIZATION, authorization);
        headers.insert(SUPPRESS_REDIRECT, HeaderValue::from_static("Suppress"));
        headers.insert(USER_AGENT, self.area.user_agent());
        headers.insert(ACCEPT, HeaderValue::from_static("application/json"));
        Ok(())
    }
}

/// One request sent and not yet answered, counted while it lives (a call dropped midway
/// included).
struct InFlight<'a>(&'a AtomicU32);

impl<'a> InFlight<'a> {
    fn count(counter: &'a AtomicU32) -> Self {
        counter.fetch_add(1, Ordering::Relaxed);
        Self(counter)
    }
}

impl Drop for InFlight<'_> {
    fn drop(&mut self) {
        self.0.fetch_sub(1, Ordering::Relaxed);
    }
}
