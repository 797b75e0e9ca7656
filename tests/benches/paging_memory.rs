//! Peak memory while paging through 10,000 and 100,000 policy configurations with the SDK's
//! item stream: it should stay flat in the number of items (one page held at a time).
//!
//! `cargo bench -p ado-tests --bench paging_memory`
//!
//! The server generates each page on demand (it holds no list), so what grows is the client's.

use std::alloc::{GlobalAlloc, Layout, System};
use std::sync::atomic::{AtomicUsize, Ordering};

use ado_core::{Config, Credentials};
use ado_policy::PolicyClient;
use axum::extract::Query;
use axum::http::header;
use futures::StreamExt;

struct Counting;

static CURRENT: AtomicUsize = AtomicUsize::new(0);
static PEAK: AtomicUsize = AtomicUsize::new(0);

unsafe impl GlobalAlloc for Counting {
    unsafe fn alloc(&self, layout: Layout) -> *mut u8 {
        let now = CURRENT.fetch_add(layout.size(), Ordering::Relaxed) + layout.size();
        PEAK.fetch_max(now, Ordering::Relaxed);
        unsafe { System.alloc(layout) }
    }
    unsafe fn dealloc(&self, ptr: *mut u8, layout: Layout) {
        CURRENT.fetch_sub(layout.size(), Ordering::Relaxed);
        unsafe { System.dealloc(ptr, layout) }
    }
}

#[global_allocator]
static ALLOCATOR: Counting = Counting;

const PAGE: usize = 500;

fn configuration(id: usize) -> String {
    format!(
        r#"{{"createdBy":{{"id":"d6245f20-2af8-44f4-9451-8107cb2767db","displayName":"Normal Paulk"}},"createdDate":"2020-10-01T08:00:00Z","isEnabled":true,"isBlocking":true,"isDeleted":false,"settings":{{"minimumApproverCount":2,"scope":[{{"refName":"refs/heads/main","matchKind":"Exact","repositoryId":null}}]}},"revision":1,"id":{id},"url":"https://dev.azure.com/fabrikam/_apis/policy/configurations/{id}","type":{{"id":"fa4e907d-c16b-4a4c-9dfa-4906e5d171dd","displayName":"Minimum number of reviewers"}}}}"#
    )
}

async fn generator(total: usize) -> String {
    let app = axum::Router::new().fallback(
        move |Query(q): Query<std::collections::HashMap<String, String>>| async move {
            let start: usize = q.get("continuationToken").and_then(|t| t.parse().ok()).unwrap_or(0);
            let top: usize = q.get("$top").and_then(|t| t.parse().ok()).unwrap_or(100);
            let end = (start + top).min(total);
            let items: Vec<String> = (start..end).map(configuration).collect();
            let body = format!(r#"{{"count":{},"value":[{}]}}"#, items.len(), items.join(","));
            let next = if end < total { end.to_string() } else { String::new() };
            (
                [
                    (header::CONTENT_TYPE, "application/json".to_string()),
                    (header::HeaderName::from_static("x-ms-continuationtoken"), next),
                ],
                body,
            )
        },
    );
    let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.unwrap();
    let addr = listener.local_addr().unwrap();
    tokio::spawn(async move { axum::serve(listener, app).await.unwrap() });
    format!("http://{addr}/fabrikam")
}

async fn page_through(total: usize) -> (usize, usize) {
    let url = generator(total).await;
    let config = Config::builder()
        .organization(url)
        .credentials(Credentials::pat("p"))
        .build()
        .unwrap();
    let policy = PolicyClient::new(&config);
    // Warm up the connection pool and lazily built state before measuring.
    let _ = policy.types().list("p").send_raw().await;
    let baseline = CURRENT.load(Ordering::Relaxed);
    PEAK.store(baseline, Ordering::Relaxed);
    let mut count = 0;
    let mut items = std::pin::pin!(policy.configurations().list("p").top(PAGE as i32).items());
    while let Some(item) = items.next().await {
        let item = item.unwrap();
        assert_eq!(item.id, Some(count as i32));
        count += 1;
    }
    (count, PEAK.load(Ordering::Relaxed) - baseline)
}

fn main() {
    let rt = tokio::runtime::Builder::new_current_thread()
        .enable_all()
        .build()
        .unwrap();
    for total in [10_000, 100_000] {
        let (count, peak) = rt.block_on(page_through(total));
        assert_eq!(count, total);
        println!(
            "paging_memory/{total}: {count} items, pages of {PAGE}, peak {:.1} KiB above baseline",
            peak as f64 / 1024.0
        );
    }
}
