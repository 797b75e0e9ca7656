//! # ado-git
//!
//! Azure DevOps git (REST api-version 7.1): repositories (list, get, create, update, delete), refs
//! (list with a filter, create/move/delete, lock), and the policy configurations that apply to a
//! repository and branch (`git/policy/configurations`, which the policy area does not offer).
//!
//! A policy configuration's `settings` is kept as the service sent it; `ado-policy`'s typed
//! settings read it without this crate depending on that one (see
//! [`GitClient::policy_configurations`]).
//!
//! Built on [`ado_core`]: one [`Config`] (organization, credentials, retry and throttle policies)
//! serves every area client.
//!
//! ```no_run
//! use ado_git::{Config, Credentials, GitClient};
//!
//! # async fn run() -> ado_git::Result<()> {
//! let config = Config::builder()
//!     .organization("https://dev.azure.com/fabrikam")
//!     .credentials(Credentials::from_env()?)
//!     .build()?;
//! let git = GitClient::new(&config);
//! for repository in git.repositories().list("fabrikam-fiber-git").await?.value {
//!     println!("{} {:?}", repository.name.unwrap_or_default(), repository.default_branch);
//! }
//! # Ok(())
//! # }
//! ```

#![warn(missing_docs)]
#![warn(clippy::unwrap_used, clippy::expect_used)]

#[rustfmt::skip]
#[allow(clippy::all, clippy::unwrap_used, clippy::expect_used, missing_docs, unused_imports, dead_code, rustdoc::all)]
mod generated;
mod client;

pub use ado_core::{Config, Credentials, Error, ErrorKind, Result};
pub use client::GitClient;
pub use generated::api;

/// The types of the git API: repositories, refs, ref updates, policy configurations, and their
/// builders.
pub mod types {
    pub use crate::generated::types::*;
}
