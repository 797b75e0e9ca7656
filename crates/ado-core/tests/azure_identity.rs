//! The `azure-identity` feature: an `azure_core` credential supplies bearer tokens for the Azure
//! DevOps scope. Runs with `--features azure-identity`.
#![cfg(feature = "azure-identity")]

mod common;

use std::sync::{Arc, Mutex};

use ado_core::Credentials;
use azure_core::credentials::{AccessToken, Secret, TokenCredential, TokenRequestOptions};
use common::{Canned, RecordingSleep, builder, call, runtime, scripted};
use serde_json::json;

#[derive(Debug, Default)]
struct Recording(Mutex<Vec<Vec<String>>>);

#[async_trait::async_trait]
impl TokenCredential for Recording {
    async fn get_token(&self, scopes: &[&str], _: Option<TokenRequestOptions<'_>>) -> azure_core::Result<AccessToken> {
        self.0
            .lock()
            .unwrap()
            .push(scopes.iter().map(|s| s.to_string()).collect());
        let expires = azure_core::time::OffsetDateTime::now_utc() + azure_core::time::Duration::hours(1);
        Ok(AccessToken::new(Secret::new("entra-user-token"), expires))
    }
}

#[tokio::test]
async fn an_azure_identity_credential_signs_requests_with_the_azure_devops_scope() {
    let server = scripted(vec![
        Canned::json(200, &json!({"id": 1})),
        Canned::json(200, &json!({"id": 2})),
    ])
    .await;
    let credential = Arc::new(Recording::default());
    let config = builder(&server.org_url(), &RecordingSleep::default())
        .credentials(Credentials::azure_identity(credential.clone()))
        .build()
        .unwrap();
    let rt = runtime(&config);
    call(&rt, "thing_get", "/p/_apis/things/1", None).await.unwrap();
    call(&rt, "thing_get", "/p/_apis/things/2", None).await.unwrap();
    assert_eq!(
        *credential.0.lock().unwrap(),
        vec![vec![ado_core::AZURE_DEVOPS_SCOPE.to_string()]],
        "one token, cached"
    );
    assert!(
        server
            .received()
            .iter()
            .all(|r| r.headers["authorization"] == "Bearer entra-user-token")
    );
}
