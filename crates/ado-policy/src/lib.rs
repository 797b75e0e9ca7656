//! # ado-policy
//!
//! Azure DevOps policy (REST api-version 7.1): policy configurations (get, list, create, update,
//! delete), their revisions, policy evaluations of pull requests, and policy types, with typed
//! [`settings`] for the well-known policy types.
//!
//! Built on [`ado_core`]: one [`Config`] (organization, credentials, retry and throttle policies)
//! serves every area client.
//!
//! ```no_run
//! use ado_policy::{Config, Credentials, PolicyClient};
//!
//! # async fn run() -> ado_policy::Result<()> {
//! let config = Config::builder()
//!     .organization("https://dev.azure.com/fabrikam")
//!     .credentials(Credentials::from_env()?)
//!     .build()?;
//! let policy = PolicyClient::new(&config);
//! let configuration = policy.configurations().get("fabrikam-fiber-git", 17).await?;
//! if let Ok(ado_policy::settings::PolicySettings::RequiredReviewers(s)) = configuration.typed_settings() {
//!     println!("required reviewers: {:?}", s.required_reviewer_ids);
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
pub mod settings;

pub use ado_core::{Config, Credentials, Error, ErrorKind, Result};
pub use client::PolicyClient;
pub use generated::api;

/// The types of the policy API: configurations, types, evaluations, and their builders.
pub mod types {
    pub use crate::generated::types::*;

    ado_core::open_enum! {
        /// Where a policy evaluation stands.
        pub enum EvaluationStatus {
            /// Waiting to run.
            Queued = "queued",
            /// Running.
            Running = "running",
            /// The policy is satisfied.
            Approved = "approved",
            /// The policy is not satisfied.
            Rejected = "rejected",
            /// The policy does not apply to this pull request.
            NotApplicable = "notApplicable",
            /// The evaluation failed.
            Broken = "broken",
        }
    }
}
