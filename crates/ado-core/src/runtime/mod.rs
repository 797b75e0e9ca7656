//! What the generated clients call. A call is three steps, each a plain function:
//! [`Runtime::request`] builds the request (URL, query, api-version, JSON body);
//! [`Runtime::send`] runs the retry loop (`retry_loop.rs`) around one attempt (`attempt.rs`:
//! credentials stamped, sent, body read within its limit) and returns the final answer;
//! [`Runtime::decode`] turns that answer into the caller's type or an [`Error`](crate::Error)
//! (`answer.rs`). Failures are `Error` values from where they happen.

use std::fmt;
use std::sync::OnceLock;

use reqwest::header::HeaderValue;
use tracing::Instrument;

mod answer;
mod area;
mod attempt;
mod body;
mod request;
mod retry_loop;
mod trace;

pub(crate) use body::read_bounded;
pub use request::{json, param};
pub use trace::redacted_url;

use crate::config::{Config, Shared};
use crate::operation::{Operation, Operations};
use crate::{Host, RawResponse, Result};

/// Facts about one area crate, which it hands to [`Runtime::new`].
#[derive(Debug)]
pub struct AreaInfo {
    /// The crate's name, for the `User-Agent`.
    pub crate_name: &'static str,
    /// The crate's version, for the `User-Agent`.
    pub crate_version: &'static str,
    /// The host the area's API lives on.
    pub host: Host,
    /// The area's operations (written by the generator).
    pub operations: &'static Operations,
    /// The API accepts only Microsoft Entra user tokens (a PAT is refused).
    pub requires_user_token: bool,
    /// The `User-Agent`, made on first use.
    user_agent: OnceLock<HeaderValue>,
}

impl AreaInfo {
    /// An area's facts.
    pub const fn new(
        crate_name: &'static str,
        crate_version: &'static str,
        host: Host,
        operations: &'static Operations,
        requires_user_token: bool,
    ) -> Self {
        Self {
            crate_name,
            crate_version,
            host,
            operations,
            requires_user_token,
            user_agent: OnceLock::new(),
        }
    }

    fn user_agent(&self) -> HeaderValue {
        self.user_agent
            .get_or_init(|| {
                let agent = format!(
                    "{}/{} ado-core/{}",
                    self.crate_name,
                    self.crate_version,
                    env!("CARGO_PKG_VERSION")
                );
                HeaderValue::from_str(&agent).unwrap_or_else(|_| HeaderValue::from_static("ado-rs"))
            })
            .clone()
    }
}

/// The runtime inside a generated client: the shared [`Config`] and the area's facts. Cheap to
/// clone.
#[derive(Clone)]
pub struct Runtime {
    config: Config,
    area: &'static AreaInfo,
}

impl Runtime {
    /// The runtime of one area over a shared configuration.
    pub fn new(config: &Config, area: &'static AreaInfo) -> Self {
        Self {
            config: config.clone(),
            area,
        }
    }

    /// The configuration.
    pub fn config(&self) -> &Config {
        &self.config
    }

    /// The area's base URL (organization included, no trailing slash).
    pub fn base_url(&self) -> &str {
        self.config.organization().base_url(self.area.host)
    }

    /// The HTTP client.
    pub fn http_client(&self) -> reqwest::Client {
        self.config.http_client().clone()
    }

    /// The facts of an operation, by id.
    pub fn operation(&self, id: &str) -> Option<&'static Operation> {
        self.area.operations.find(id)
    }

    pub(crate) fn shared(&self) -> &Shared {
        &self.config.0
    }

    /// Send `request` for `operation` with retries (see `retry_loop.rs`) and return the final
    /// answer, whatever its status. An error says why there is no answer: the credentials
    /// failed, the attempts ran out of time or connections, or the body passed its limit.
    pub async fn send(
        &self,
        #[cfg_attr(not(feature = "opentelemetry"), allow(unused_mut))] mut request: reqwest::Request,
        operation: &'static Operation,
    ) -> Result<RawResponse> {
        let span = trace::call_span(&request, operation.id);
        #[cfg(feature = "opentelemetry")]
        crate::otel::put_traceparent(&span, request.headers_mut());
        self.retry_loop(request, operation)
            .instrument(span)
            .await
            .map_err(|error| self.explain(error).with_operation(operation.id))
    }

    /// Say so when an API that accepts only user tokens refused a personal access token.
    fn explain(&self, error: crate::Error) -> crate::Error {
        let refused = error.is_unauthorized() || error.is_forbidden();
        let pat = self.config.credentials().kind() == crate::CredentialKind::Pat;
        if refused && self.area.requires_user_token && pat {
            error.with_hint(
                "this API accepts only a Microsoft Entra user token, and the configured credential is a personal access token",
            )
        } else {
            error
        }
    }
}

impl fmt::Debug for Runtime {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("Runtime")
            .field("area", &self.area.crate_name)
            .field("config", &self.config)
            .finish()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_runtime_shows_its_area_and_configuration() {
        let config = Config::builder()
            .organization("fabrikam")
            .credentials(crate::Credentials::pat("p"))
            .build()
            .unwrap();
        static OPERATIONS: Operations = Operations::new(&[]);
        static AREA: AreaInfo = AreaInfo::new("ado-x", "1.0.0", Host::Core, &OPERATIONS, false);
        let shown = format!("{:?}", Runtime::new(&config, &AREA));
        assert!(
            shown.starts_with("Runtime { area: \"ado-x\", config: Config { organization: "),
            "{shown}"
        );
    }
}
