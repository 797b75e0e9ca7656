//! Pipeline Permissions - Get (the seed operation): which pipelines may use a protected resource.
//!
//! ```sh
//! cargo run -p ado-pipelines --example get_pipeline_permissions              # the embedded fake
//! AZURE_DEVOPS_ORG_URL=... AZURE_DEVOPS_PROJECT=... AZURE_DEVOPS_EXT_PAT=... \
//!   cargo run -p ado-pipelines --example get_pipeline_permissions -- queue 1  # a real organization
//! ```

use ado_fake::{FakeOptions, FakeServer};
use ado_pipelines::types::ResourceType;
use ado_pipelines::{Config, Credentials, PipelinesClient, ResourceRef};

#[tokio::main]
async fn main() -> Result<(), Box<dyn std::error::Error>> {
    let kind = ResourceType::from(std::env::args().nth(1).unwrap_or_else(|| "queue".into()).as_str());
    let resource = ResourceRef::new(kind, std::env::args().nth(2).unwrap_or_else(|| "1".into()))?;
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
    let pipelines = PipelinesClient::new(&config);
    let permissions = pipelines
        .pipeline_permissions()
        .get(&project, resource.kind().clone(), resource.id())
        .await?;
    for pipeline in permissions.pipelines.unwrap_or_default() {
        println!(
            "pipeline {:?}: authorized {:?} on {:?}",
            pipeline.id, pipeline.authorized, pipeline.authorized_on
        );
    }
    Ok(())
}
