//! # ado-tokens
//!
//! Azure DevOps personal access tokens (REST api-version 7.1-preview.1, host
//! `vssps.dev.azure.com`): get one by authorization id, list (paged), create, update, revoke.
//!
//! The PAT lifecycle API reports failures as `patTokenError` inside a success answer; this crate
//! turns every value other than `none` into an [`Error`] whose kind is
//! [`ErrorKind::PatToken`] (see [`Error::pat_token_error`] and [`PatTokenErrorExt`]).
//! The token's secret ([`types::PatToken::token`]) is an [`ado_core::Secret`]: redacted in
//! `Debug`, filled only in the answer to create.
//!
//! The API accepts only a Microsoft Entra **user** token, not a PAT.
//!
//! ```no_run
//! use ado_tokens::{Config, Credentials, TokensClient};
//!
//! # async fn run() -> ado_tokens::Result<()> {
//! let config = Config::builder()
//!     .organization("fabrikam")
//!     .credentials(Credentials::bearer(std::env::var("ENTRA_TOKEN").unwrap_or_default()))
//!     .build()?;
//! let tokens = TokensClient::new(&config);
//! let id = "3d3aca0c-9ad3-4b07-8334-08ec8b1ddc32".parse().unwrap();
//! let result = tokens.pats().get(id).await?;
//! println!("{:?}", result.pat_token.and_then(|t| t.display_name));
//! # Ok(())
//! # }
//! ```

#![warn(missing_docs)]
#![warn(clippy::unwrap_used, clippy::expect_used)]

#[rustfmt::skip]
#[allow(clippy::all, clippy::unwrap_used, clippy::expect_used, missing_docs, unused_imports, dead_code, rustdoc::all)]
mod generated;
mod client;
mod types_ext;

pub use ado_core::{Config, Credentials, Error, ErrorKind, Result};
pub use client::TokensClient;
pub use generated::api;
pub use types_ext::PatTokenErrorExt;

/// The types of the PAT API: tokens, results, requests, and their builders.
pub mod types {
    pub use crate::generated::types::*;
    pub use crate::types_ext::PatTokenError;
}
