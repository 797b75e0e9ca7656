//! Configurations - List, as a stream: every configuration of a project, a page at a time.
//!
//! ```sh
//! cargo run -p ado-policy --example list_configurations
//! ```

use ado_fake::{FakeOptions, FakeServer};
use ado_policy::{Config, Credentials, PolicyClient};
use futures::TryStreamExt;

#[tokio::main]
async fn main() -> Result<(), Box<dyn std::error::Error>> {
    let fake = FakeServer::start(FakeOptions::default().pat("example")).await?;
    fake.add_policies(1_000);
    let config = Config::builder()
        .organization(fake.org_url())
        .credentials(Credentials::pat("example"))
        .build()?;
    let policy = PolicyClient::new(&config);
    let mut pages = std::pin::pin!(policy.configurations().list(ado_fake::PROJECT).top(200).pages());
    while let Some(page) = pages.try_next().await? {
        println!(
            "a page of {} configurations; more: {}",
            page.items.len(),
            page.next.is_some()
        );
    }
    Ok(())
}
