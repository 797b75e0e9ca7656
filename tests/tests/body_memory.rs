//! Reading and decoding a 30 MiB answer peaks at about 1.5 times its size: the body is gathered
//! once, into a buffer of the declared size, and decoded from there.
//!
//! Alone in its binary, since it counts every allocation of the process.

use std::alloc::{GlobalAlloc, Layout, System};
use std::sync::atomic::{AtomicUsize, Ordering};

use ado_core::{Config, Credentials};
use ado_policy::PolicyClient;
use axum::http::header;
use bytes::Bytes;

struct Counting;

static CURRENT: AtomicUsize = AtomicUsize::new(0);
static PEAK: AtomicUsize = AtomicUsize::new(0);

fn grew(by: usize) {
    let now = CURRENT.fetch_add(by, Ordering::Relaxed) + by;
    PEAK.fetch_max(now, Ordering::Relaxed);
}

unsafe impl GlobalAlloc for Counting {
    unsafe fn alloc(&self, layout: Layout) -> *mut u8 {
        grew(layout.size());
        unsafe { System.alloc(layout) }
    }
    unsafe fn dealloc(&self, ptr: *mut u8, layout: Layout) {
        CURRENT.fetch_sub(layout.size(), Ordering::Relaxed);
        unsafe { System.dealloc(ptr, layout) }
    }
    // A reallocation counts as the old and the new block together until it is done, as a copy
    // to a new place would hold both.
    unsafe fn realloc(&self, ptr: *mut u8, layout: Layout, new_size: usize) -> *mut u8 {
        grew(new_size);
        let moved = unsafe { System.realloc(ptr, layout, new_size) };
        CURRENT.fetch_sub(layout.size(), Ordering::Relaxed);
        moved
    }
}

#[global_allocator]
static ALLOCATOR: Counting = Counting;

const SIZE: usize = 30 * 1024 * 1024;

/// A policy configuration list of about `SIZE` bytes.
fn body() -> Bytes {
    let one = r#"{"createdBy":{"id":"d6245f20-2af8-44f4-9451-8107cb2767db","displayName":"Normal Paulk"},"createdDate":"2020-10-01T08:00:00Z","isEnabled":true,"isBlocking":true,"isDeleted":false,"settings":{"minimumApproverCount":2,"scope":[{"refName":"refs/heads/main","matchKind":"Exact","repositoryId":null}]},"revision":1,"id":17,"url":"https://dev.azure.com/fabrikam/_apis/policy/configurations/17","type":{"id":"fa4e907d-c16b-4a4c-9dfa-4906e5d171dd","displayName":"Minimum number of reviewers"}}"#;
    let count = SIZE / (one.len() + 1);
    let mut text = String::with_capacity(SIZE + 64);
    text.push_str(&format!(r#"{{"count":{count},"value":["#));
    for n in 0..count {
        if n > 0 {
            text.push(',');
        }
        text.push_str(one);
    }
    text.push_str("]}");
    Bytes::from(text)
}

static OPERATIONS: ado_core::__private::Operations =
    ado_core::__private::Operations::new(&[ado_core::__private::Operation::new(
        "big_get",
        ado_core::__private::HttpMethod::Get,
        "7.1",
    )]);
static AREA: ado_core::__private::AreaInfo =
    ado_core::__private::AreaInfo::new("ado-big", "0.0.0", ado_core::Host::Core, &OPERATIONS, false);

/// The peak above the baseline while `work` runs.
async fn peak_of<T>(work: impl std::future::Future<Output = T>) -> (T, usize) {
    let baseline = CURRENT.load(Ordering::Relaxed);
    PEAK.store(baseline, Ordering::Relaxed);
    let value = work.await;
    (value, PEAK.load(Ordering::Relaxed) - baseline)
}

#[tokio::test(flavor = "current_thread")]
async fn a_30_mib_answer_peaks_at_about_one_and_a_half_times_its_size() {
    let body = body();
    let size = body.len();
    let served = body.clone();
    let app = axum::Router::new().fallback(move || {
        let body = served.clone();
        async move { ([(header::CONTENT_TYPE, "application/json")], body) }
    });
    let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.unwrap();
    let addr = listener.local_addr().unwrap();
    tokio::spawn(async move { axum::serve(listener, app).await.unwrap() });
    let config = Config::builder()
        .organization(format!("http://{addr}/fabrikam"))
        .credentials(Credentials::pat("pat"))
        .build()
        .unwrap();

    // Reading: the answer's body, gathered by the retry loop.
    let runtime = ado_core::__private::Runtime::new(&config, &AREA);
    let request = reqwest::Request::new(
        reqwest::Method::GET,
        format!("http://{addr}/fabrikam/p/_apis/big").parse().unwrap(),
    );
    let operation = runtime.operation("big_get").unwrap();
    let (response, read_peak) = peak_of(async { runtime.send(request, operation).await.unwrap().body }).await;
    assert_eq!(response.len(), size);
    drop(response);

    // Reading and decoding, against decoding bytes already in hand.
    let (decoded, decode_peak) =
        peak_of(async { serde_json::from_slice::<ado_policy::types::PolicyConfigurationList>(&body).unwrap() }).await;
    drop(decoded);
    let policy = PolicyClient::new(&config);
    let (list, call_peak) = peak_of(policy.configurations().list("p").send()).await;
    assert_eq!(list.unwrap().value.len(), 64_860);

    let ratio = |peak: usize| peak as f64 / size as f64;
    println!(
        "body {size} bytes; read {:.2}x; decode alone {:.2}x; call {:.2}x; the call over decoding alone {:.2}x",
        ratio(read_peak),
        ratio(decode_peak),
        ratio(call_peak),
        ratio(call_peak.saturating_sub(decode_peak)),
    );
    assert!(
        ratio(read_peak) <= 1.5,
        "reading peaked at {:.2}x the body's size",
        ratio(read_peak)
    );
    assert!(
        ratio(call_peak.saturating_sub(decode_peak)) <= 1.5,
        "the call peaked at {:.2}x the body's size over decoding alone",
        ratio(call_peak.saturating_sub(decode_peak))
    );
}
