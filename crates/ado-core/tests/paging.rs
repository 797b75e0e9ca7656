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

mod hostile {
    use std::sync::Mutex;

    use ado_core::ErrorKind;
    use ado_core::pager::{self, MAX_TOKEN_LEN, Page, PageLimits, REMEMBERED_TOKENS};
    use futures::{StreamExt, TryStreamExt};
    use proptest::prelude::*;

    /// Every page the stream yields, until it ends, from a server that answers the `n`th request
    /// with `tokens[n]` (and no token once they run out); how many requests it made.
    fn drain(tokens: &[Option<String>], limits: PageLimits) -> (Vec<ado_core::Result<Page<usize>>>, usize) {
        let asked = Mutex::new(0usize);
        let runtime = tokio::runtime::Builder::new_current_thread().build().unwrap();
        let results = runtime.block_on(
            pager::pages_within(limits, |_token: Option<String>| {
                let mut asked = asked.lock().unwrap();
                let next = tokens.get(*asked).cloned().flatten();
                let items = vec![*asked];
                *asked += 1;
                async move { Ok(Page { items, next }) }
            })
            .collect::<Vec<_>>(),
        );
        let asked = *asked.lock().unwrap();
        (results, asked)
    }

    fn paging_error(result: &ado_core::Result<Page<usize>>) -> bool {
        matches!(result, Err(e) if *e.kind() == ErrorKind::Paging)
    }

    proptest! {
        #![proptest_config(ProptestConfig { cases: 2000, ..ProptestConfig::default() })]

        /// Whatever tokens the server sends (drawn from a few, so that they repeat), the stream
        /// ends; it asks at most once per token; and it fails exactly when a token came back
        /// within the last few.
        #[test]
        fn any_token_sequence_ends(tokens in prop::collection::vec(prop::option::of("[abc]{0,2}"), 0..60)) {
            let (results, asked) = drain(&tokens, PageLimits::default());
            prop_assert!(asked <= tokens.len() + 1);
            // Replay the rule: the first token repeated within the window ends the listing.
            let mut recent: Vec<&str> = Vec::new();
            let mut expected_pages = 0;
            let mut loops = false;
            for token in tokens.iter().map(|t| t.as_deref().filter(|t| !t.is_empty())).chain([None]) {
                expected_pages += 1;
                let Some(token) = token else { break };
                if recent.contains(&token) {
                    loops = true;
                    break;
                }
                recent.push(token);
                if recent.len() > REMEMBERED_TOKENS {
                    recent.remove(0);
                }
            }
            prop_assert_eq!(asked, expected_pages);
            prop_assert_eq!(results.iter().filter(|r| r.is_ok()).count(), expected_pages);
            prop_assert_eq!(results.last().is_some_and(paging_error), loops);
        }
    }

    #[test]
    fn a_token_sent_again_ends_the_stream_with_a_paging_error_after_its_page() {
        let tokens = vec![Some("a".to_string()), Some("b".to_string()), Some("a".to_string())];
        let (results, asked) = drain(&tokens, PageLimits::default());
        assert_eq!(asked, 3);
        assert_eq!(results.len(), 4);
        let error = results[3].as_ref().unwrap_err();
        assert_eq!(*error.kind(), ErrorKind::Paging);
        assert!(error.to_string().contains("`a` again after 3 pages"), "{error}");
    }

    #[test]
    fn a_token_older_than_the_remembered_ones_may_come_again() {
        let mut tokens: Vec<Option<String>> = (0..=REMEMBERED_TOKENS).map(|n| Some(n.to_string())).collect();
        tokens.push(Some("0".into()));
        let (results, asked) = drain(&tokens, PageLimits::default());
        assert_eq!(asked, tokens.len() + 1);
        assert!(results.iter().all(|r| r.is_ok()));
    }

    #[test]
    fn a_token_longer_than_a_url_can_carry_is_refused() {
        let tokens = vec![Some("t".repeat(MAX_TOKEN_LEN + 1))];
        let (results, asked) = drain(&tokens, PageLimits::default());
        assert_eq!(asked, 1);
        assert!(paging_error(&results[1]));
        let tokens = vec![Some("t".repeat(MAX_TOKEN_LEN))];
        assert_eq!(drain(&tokens, PageLimits::default()).1, 2);
    }

    #[test]
    fn the_page_ceiling_stops_a_listing_that_goes_on() {
        let tokens: Vec<Option<String>> = (0..100).map(|n| Some(n.to_string())).collect();
        let limits = PageLimits {
            max_pages: Some(5),
            max_items: None,
        };
        let (results, asked) = drain(&tokens, limits);
        assert_eq!(asked, 5);
        assert_eq!(results.iter().filter(|r| r.is_ok()).count(), 5);
        assert!(paging_error(results.last().unwrap()));
        assert!(
            results
                .last()
                .unwrap()
                .as_ref()
                .unwrap_err()
                .to_string()
                .contains("more than 5 pages")
        );
    }

    #[test]
    fn a_listing_of_exactly_the_page_ceiling_ends_well() {
        let tokens = vec![Some("a".to_string()), None];
        let limits = PageLimits {
            max_pages: Some(2),
            max_items: None,
        };
        let (results, asked) = drain(&tokens, limits);
        assert_eq!(asked, 2);
        assert!(results.iter().all(|r| r.is_ok()));
    }

    #[test]
    fn the_item_ceiling_refuses_the_page_that_passes_it() {
        let tokens: Vec<Option<String>> = (0..100).map(|n| Some(n.to_string())).collect();
        let limits = PageLimits {
            max_pages: None,
            max_items: Some(3),
        };
        let (results, asked) = drain(&tokens, limits);
        assert_eq!(asked, 4);
        assert_eq!(results.iter().filter(|r| r.is_ok()).count(), 3);
        assert!(
            results
                .last()
                .unwrap()
                .as_ref()
                .unwrap_err()
                .to_string()
                .contains("more than 3 items")
        );
    }

    #[tokio::test]
    async fn skip_paging_stops_when_the_server_ignores_skip() {
        let asked = Mutex::new(Vec::new());
        let results: Vec<_> = pager::skip_pages(3, |top, skip| {
            asked.lock().unwrap().push((top, skip));
            async move { Ok(vec![1, 2, 3]) }
        })
        .collect()
        .await;
        assert_eq!(*asked.lock().unwrap(), vec![(3, 0), (3, 3)]);
        assert_eq!(results.len(), 2);
        assert!(results[0].is_ok());
        assert!(matches!(&results[1], Err(e) if *e.kind() == ErrorKind::Paging));
    }

    #[tokio::test]
    async fn skip_paging_stops_on_an_empty_page() {
        let asked = Mutex::new(0);
        let pages: Vec<Page<u8>> = pager::skip_pages(2, |_, skip| {
            *asked.lock().unwrap() += 1;
            async move { Ok(if skip == 0 { vec![1, 2] } else { vec![] }) }
        })
        .try_collect()
        .await
        .unwrap();
        assert_eq!(*asked.lock().unwrap(), 2);
        assert_eq!(pages.last().unwrap().items, Vec::<u8>::new());
    }
}
