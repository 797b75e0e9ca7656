//! The generated listings against servers whose paging never ends: a repeated header token, a
//! repeated body token, a server that ignores `$skip`, and a listing past the caller's ceiling.
//! Each ends with a paging error after a known number of requests.

mod common;

use ado_core::pager::PageLimits;
use ado_core::{Config, Credentials, ErrorKind, Host};
use ado_policy::PolicyClient;
use ado_tokens::TokensClient;
use common::{BEARER, PAT, PROJECT, scripted};
use futures::StreamExt;
use serde_json::json;

use ado_fake::script::Canned;

fn configurations(ids: &[i32], token: &str) -> Canned {
    let value: Vec<_> = ids.iter().map(|id| json!({"id": id, "isEnabled": true})).collect();
    Canned::json(200, &json!({"count": value.len(), "value": value})).header("x-ms-continuationtoken", token)
}

/// Every item result of a stream, until it ends (bounded, so that a loop fails the test rather
/// than hang it).
async fn drain<T>(stream: impl futures::Stream<Item = ado_core::Result<T>>) -> Vec<ado_core::Result<T>> {
    stream.take(1000).collect().await
}

fn paging_error<T>(results: &[ado_core::Result<T>]) -> bool {
    matches!(results.last(), Some(Err(e)) if *e.kind() == ErrorKind::Paging)
}

#[tokio::test]
async fn a_header_token_sent_again_ends_the_listing_with_a_paging_error() {
    let server = scripted(vec![
        configurations(&[1, 2], "abc"),
        configurations(&[3, 4], "abc"),
        configurations(&[5], ""),
    ])
    .await;
    let policy = PolicyClient::new(&common::pat_config(&server.org_url()));
    let results = drain(policy.configurations().list(PROJECT).items()).await;
    assert_eq!(server.received().len(), 2);
    let ids: Vec<i32> = results.iter().filter_map(|r| r.as_ref().ok()?.id).collect();
    assert_eq!(ids, vec![1, 2, 3, 4]);
    assert!(paging_error(&results));
}

#[tokio::test]
async fn a_body_token_sent_again_ends_the_listing_with_a_paging_error() {
    let page = |token: &str| {
        Canned::json(
            200,
            &json!({"continuationToken": token, "patTokens": [{"displayName": "t", "authorizationId": "3d3aca0c-9ad3-4b07-8334-08ec8b1ddc32"}]}),
        )
    };
    let server = scripted(vec![page("x"), page("y"), page("x"), page("")]).await;
    let config = Config::builder()
        .organization(server.org_url())
        .base_url(Host::Vssps, server.org_url())
        .credentials(Credentials::bearer(BEARER))
        .build()
        .unwrap();
    let results = drain(TokensClient::new(&config).pats().list().pages()).await;
    assert_eq!(server.received().len(), 3);
    assert_eq!(results.len(), 4);
    assert!(paging_error(&results));
}

#[tokio::test]
async fn a_server_that_ignores_skip_ends_the_listing_with_a_paging_error() {
    let page = || {
        let value: Vec<_> = (0..3)
            .map(|n| json!({"evaluationId": format!("00000000-0000-0000-0000-00000000000{n}")}))
            .collect();
        Canned::json(200, &json!({"count": 3, "value": value}))
    };
    let server = scripted(vec![page(), page(), page(), page()]).await;
    let policy = PolicyClient::new(&common::pat_config(&server.org_url()));
    let results = drain(
        policy
            .evaluations()
            .list(PROJECT, "vstfs:///CodeReview/CodeReviewId/p/1")
            .items(3),
    )
    .await;
    let skips: Vec<_> = server
        .received()
        .iter()
        .map(|r| r.query.clone().unwrap_or_default())
        .collect();
    assert_eq!(skips.len(), 2, "{skips:?}");
    assert!(skips[1].contains("$skip=3"), "{skips:?}");
    assert_eq!(results.iter().filter(|r| r.is_ok()).count(), 3);
    assert!(paging_error(&results));
}

#[tokio::test]
async fn the_configurations_page_ceiling_ends_a_long_listing() {
    let answers = (0..10).map(|n| configurations(&[n], &format!("t{n}"))).collect();
    let server = scripted(answers).await;
    let config = Config::builder()
        .organization(server.org_url())
        .credentials(Credentials::pat(PAT))
        .page_limits(PageLimits {
            max_pages: Some(4),
            max_items: None,
        })
        .build()
        .unwrap();
    let results = drain(PolicyClient::new(&config).configurations().list(PROJECT).items()).await;
    assert_eq!(server.received().len(), 4);
    assert_eq!(results.iter().filter(|r| r.is_ok()).count(), 4);
    assert!(paging_error(&results));
}
