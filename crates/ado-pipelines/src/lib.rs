//! # ado-pipelines
//!
//! Azure DevOps pipelines (REST api-version 7.1): pipeline permissions for protected resources
//! (get for one resource, update for one or many), and the Pipelines API: pipelines (list, get,
//! create, preview), runs (list, get, run), logs (list, get) and artifacts (get).
//!
//! ```no_run
//! use ado_pipelines::{Config, Credentials, PipelinesClient, types::ResourceType};
//!
//! # async fn run() -> ado_pipelines::Result<()> {
//! let config = Config::builder()
//!     .organization("https://dev.azure.com/fabrikam")
//!     .credentials(Credentials::from_env()?)
//!     .build()?;
//! let pipelines = PipelinesClient::new(&config);
//! let permissions = pipelines
//!     .pipeline_permissions()
//!     .get("fabrikam-fiber-git", ResourceType::Queue, "1")
//!     .await?;
//! for pipeline in permissions.pipelines.unwrap_or_default() {
//!     println!("pipeline {:?} authorized: {:?}", pipeline.id, pipeline.authorized);
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
mod parameters;
mod resources;

pub use ado_core::{Config, Credentials, Error, ErrorKind, Result};
pub use client::PipelinesClient;
pub use generated::api;
pub use parameters::{SELF_REPOSITORY, branch_ref};
pub use resources::{ResourceRef, repository_resource_id};

/// The types of the pipelines API and of pipeline permissions, and their builders.
pub mod types {
    pub use crate::generated::types::*;
    pub use crate::resources::{ConfigurationType, RepositoryType, ResourceType, RunResult, RunState};
}
