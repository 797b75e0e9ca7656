//! Continuation-token paging over the runtime: pages are fetched lazily, one at a time, until the
//! token is absent or empty.

mod common;

use std::sync::Arc;
use std::sync::atomic::{AtomicUsize, Ordering};

use ado_core::pager::{self, Page};
use common::{Canned, RecordingSleep, builder, call, runtime, scripted};
use futures::{StreamExt, TryStreamExt};
use serde_json::json;

fn page(id: i64, token: Option<&str>) -> Canned {
    let canned = Canned::json(200, &json!({"id": id}));
    match token {
        Some(token) => canned.header("x-ms-continuationtoken", token),
        None => canned,
    }
}

#[tokio::test]
async fn the_header_token_is_followed_until_it_is_empty() {
    let server = scripted(vec![page(1, Some("t1")), page(2, Some("t+2/=")), page(3, Some(""))]).await;
    let config = builder(&server.org_url(), &RecordingSleep::default()).build().unwrap();
    let rt = runtime(&config);
    let ids: Vec<i64> = pager::items(|token: Option<String>| {
        let rt = rt.clone();
        async move {
            let path = match &token {
                Some(t) => format!("/p/_apis/things?continuationToken={}", url_encode(t)),
                None => "/p/_apis/things".to_string(),
            };
            let response = call(&rt, "thing_get", &path, None).await?;
            let next = response.continuation_token().map(str::to_string);
            Ok(Page {
                items: vec![response.into_inner().id],
                next,
            })
        }
    })
    .try_collect()
    .await
    .unwrap();
    assert_eq!(ids, vec![1, 2, 3]);
    let queries: Vec<_> = server
        .received()
        .iter()
        .map(|r| r.query.clone().unwrap_or_default())
        .collect();
    assert_eq!(
        queries,
        vec![
            "api-version=7.1",
            "continuationToken=t1&api-version=7.1",
            "continuationToken=t%2B2%2F%3D&api-version=7.1"
        ]
    );
}

fn url_encode(text: &str) -> String {
    text.bytes()
        .map(|b| {
            if b.is_ascii_alphanumeric() {
                (b as char).to_string()
            } else {
                format!("%{b:02X}")
            }
        })
        .collect()
}

#[tokio::test]
async fn pages_are_fetched_only_as_the_stream_is_read() {
    let fetched = Arc::new(AtomicUsize::new(0));
    let counter = fetched.clone();
    let stream = pager::pages(move |token: Option<String>| {
        counter.fetch_add(1, Ordering::SeqCst);
        async move {
            let n: u32 = token.map_or(0, |t| t.parse().unwrap());
            Ok(Page {
                items: vec![n; 100],
                next: Some((n + 1).to_string()),
            })
        }
    });
    let first_two: Vec<_> = stream.take(2).collect().await;
    assert_eq!(first_two.len(), 2);
    assert_eq!(fetched.load(Ordering::SeqCst), 2);
}

#[tokio::test]
async fn an_error_page_ends_the_stream_with_that_error() {
    let server = scripted(vec![page(1, Some("next")), Canned::raw(404, "gone")]).await;
    let config = builder(&server.org_url(), &RecordingSleep::default()).build().unwrap();
    let rt = runtime(&config);
    let results: Vec<_> = pager::pages(|token: Option<String>| {
        let rt = rt.clone();
        async move {
            let path = if token.is_some() {
                "/p/_apis/things?continuationToken=next"
            } else {
                "/p/_apis/things"
            };
            let response = call(&rt, "thing_get", path, None).await?;
            let next = response.continuation_token().map(str::to_string);
            Ok(Page {
                items: vec![response.into_inner().id],
                next,
            })
        }
    })
    .collect()
    .await;
    assert_eq!(results.len(), 2);
    assert!(results[1].as_ref().unwrap_err().is_not_found());
}
