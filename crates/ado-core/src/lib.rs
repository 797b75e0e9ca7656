//! # ado-core
//!
//! The runtime of the ado-rs Azure DevOps SDK. The area crates (`ado-tokens`, `ado-pipelines`,
//! `ado-policy`) are generated from OpenAPI fragments (their types with progenitor) and plug into
//! this crate through a hidden module of what the generated code calls (the runtime's request,
//! send and decode, the per-operation table), which is no part of the API; nothing here knows
//! about any area.
//!
//! - [`Credentials`]: PAT, bearer token, or an async [`TokenProvider`] (cached, one refresh in
//!   flight); [`Credentials::from_env`] reads `AZURE_DEVOPS_EXT_PAT` then `SYSTEM_ACCESSTOKEN`.
//! - [`Organization`]: `https://dev.azure.com/{org}`, `https://{org}.visualstudio.com`, a bare
//!   name, or an on-premises collection URL; plain http only on loopback.
//! - [`Config`]: organization, credentials and policies, shared by every area client.
//! - Retries ([`retry`]) that classify outcomes by method, back off with full jitter and honour
//!   `Retry-After` and `X-RateLimit-Delay`; a [`throttle`] that slows down before the service
//!   starts blocking, with the latest figures in [`Config::rate_limits`].
//! - One [`Error`] with predicates (`is_not_found()`, `is_throttled()`, ...).
//! - [`pager`]: continuation tokens as streams of pages and of items.
//! - `tracing` spans per call (`ado.call`) and per attempt (`ado.attempt`), their fields named
//!   after OpenTelemetry's HTTP client conventions (`http.request.method`, `url.full` without the
//!   query, `server.address`, `server.port`, `http.response.status_code`, `error.type`,
//!   `http.request.resend_count`, `otel.kind = "client"`) plus `ado.operation` and the service's
//!   `ado.activity_id`, so `tracing-opentelemetry` exports them as client spans; no credential is
//!   ever recorded.
//!
//! ```
//! use ado_core::{Config, Credentials};
//! let config = Config::builder()
//!     .organization("fabrikam")
//!     .credentials(Credentials::bearer("token"))
//!     .build()?;
//! assert_eq!(config.organization().to_string(), "https://dev.azure.com/fabrikam");
//! # Ok::<(), ado_core::Error>(())
//! ```

#![warn(missing_docs)]
#![warn(clippy::unwrap_used, clippy::expect_used)]

mod config;
mod credential;
mod error;
mod open_enum;
mod operation;
mod organization;
#[cfg(feature = "opentelemetry")]
mod otel;
pub mod pager;
mod response;
pub mod retry;
mod runtime;
mod secret;
pub mod throttle;
mod timestamp;

pub use config::{Config, ConfigBuilder, DEFAULT_MAX_BODY, Sleep, TokioSleep};
#[cfg(feature = "azure-identity")]
pub use credential::AzureIdentity;
pub use credential::{
    ACCESS_TOKEN_ENV, AZURE_DEVOPS_SCOPE, AccessToken, CredentialKind, Credentials, PAT_ENV, TokenProvider,
};
pub use error::{
    Error, ErrorKind, Result, SHORT_TEXT_LIMIT, SNIPPET_LIMIT, ServiceError, TEXT_LIMIT, parse_service_error,
};
pub use operation::HttpMethod;
pub use organization::{Host, Organization};
pub use response::{CONTINUATION_HEADER, RawResponse, Response};
pub use runtime::redacted_url;

/// What the generated area crates call: the runtime (request, send, decode), the per-operation
/// table, path segments and query parameters. Not for applications; it changes with the
/// generator.
#[doc(hidden)]
pub mod __private {
    pub use crate::operation::{HttpMethod, Operation, Operations};
    pub use crate::organization::{Segment, path_segment};
    pub use crate::response::CheckAnswer;
    pub use crate::runtime::{AreaInfo, Runtime, json, param};
}
pub use secret::Secret;
pub use timestamp::{Timestamp, TimestampError};
