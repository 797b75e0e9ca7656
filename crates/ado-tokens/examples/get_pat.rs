//! Pats - Get (the seed operation): one personal access token by its authorization id. The PAT
//! API accepts only a Microsoft Entra user token (a bearer token), never a PAT.
//!
//! ```sh
//! cargo run -p ado-tokens --example get_pat                                   # the embedded fake
//! AZURE_DEVOPS_ORG_URL=... SYSTEM_ACCESSTOKEN=<entra user token> \
//!   cargo run -p ado-tokens --example get_pat -- <authorizationId>            # a real organization
//! ```

use ado_fake::{FakeOptions, FakeServer};
use ado_tokens::{Config, Credentials, PatTokenErrorExt, TokensClient};

#[tokio::main]
async fn main() -> Result<(), Box<dyn std::error::Error>> {
    let id: uuid::Uuid = std::env::args()
        .nth(1)
        .unwrap_or_else(|| ado_fake::SEED_PAT_ID.to_string())
        .parse()?;
    let (config, _fake) = match std::env::var("AZURE_DEVOPS_ORG_URL") {
        Ok(org) => (
            Config::builder()
                .organization(org)
                .credentials(Credentials::from_env()?)
                .build()?,
            None,
        ),
        Err(_) => {
            let fake = FakeServer::start(FakeOptions::default().bearer("entra-example")).await?;
            let config = Config::builder()
                .organization(fake.org_url())
                .credentials(Credentials::bearer("entra-example"))
                .build()?;
            (config, Some(fake))
        }
    };
    let tokens = TokensClient::new(&config);
    match tokens.pats().get(id).await {
        Ok(result) => {
            let token = result.pat_token.unwrap_or_default();
            println!(
                "{:?}: scope {:?}, valid to {:?}",
                token.display_name,
                token.scope,
                token.valid_to.map(|t| t.to_string())
            );
        }
        Err(error) if error.is_not_found() => println!("no token {id} ({:?})", error.pat_token_error_kind()),
        Err(error) => return Err(error.into()),
    }
    Ok(())
}
