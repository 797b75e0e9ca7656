//! Configurations - Get (the seed operation): one policy configuration, with its settings typed
//! by the policy type id.
//!
//! ```sh
//! cargo run -p ado-policy --example get_configuration            # against the embedded fake
//! AZURE_DEVOPS_ORG_URL=https://dev.azure.com/org AZURE_DEVOPS_PROJECT=p AZURE_DEVOPS_EXT_PAT=... \
//!   cargo run -p ado-policy --example get_configuration -- 17    # against a real organization
//! ```

use ado_fake::{FakeOptions, FakeServer};
use ado_policy::settings::PolicySettings;
use ado_policy::{Config, Credentials, PolicyClient};

#[tokio::main]
async fn main() -> Result<(), Box<dyn std::error::Error>> {
    let id: i32 = std::env::args().nth(1).map_or(Ok(17), |a| a.parse())?;
    let (config, project, _fake) = match std::env::var("AZURE_DEVOPS_ORG_URL") {
        Ok(org) => {
            let project = std::env::var("AZURE_DEVOPS_PROJECT")?;
            (
                Config::builder()
                    .organization(org)
                    .credentials(Credentials::from_env()?)
                    .build()?,
                project,
                None,
            )
        }
        Err(_) => {
            let fake = FakeServer::start(FakeOptions::default().pat("example")).await?;
            let config = Config::builder()
                .organization(fake.org_url())
                .credentials(Credentials::pat("example"))
                .build()?;
            (config, ado_fake::PROJECT.to_string(), Some(fake))
        }
    };
    let policy = PolicyClient::new(&config);
    let configuration = policy.configurations().get(&project, id).await?;
    println!(
        "configuration {id}, revision {:?}, blocking {:?}",
        configuration.revision, configuration.is_blocking
    );
    match configuration.typed_settings()? {
        PolicySettings::RequiredReviewers(s) => println!(
            "required reviewers {:?} for {:?}",
            s.required_reviewer_ids, s.filename_patterns
        ),
        PolicySettings::MinimumReviewers(s) => println!("at least {:?} approvals", s.minimum_approver_count),
        other => println!("settings: {other:?}"),
    }
    Ok(())
}
