//! Per-call overhead and throughput of the SDK against raw reqwest + serde_json, on the same
//! loopback server and payload (the seed page's policy configuration 17).
//!
//! `cargo bench -p ado-tests --bench overhead`
//!
//! - `per_call/*`: one `configurations().get()` at a time, against a minimal static server and
//!   against the fake service; goal: SDK ≤ 1.05 × raw (median).
//! - `in_flight_256/*`: 256 calls in flight at once; goal: SDK throughput ≥ 0.95 × raw.

use std::time::Duration;

use ado_policy::PolicyClient;
use criterion::{Criterion, Throughput, criterion_group, criterion_main};
use futures::future::join_all;

mod common;

use common::{config, raw_get, runtime, servers};

struct Target {
    name: &'static str,
    sdk: PolicyClient,
    raw: reqwest::Client,
    org_url: String,
}

fn targets(rt: &tokio::runtime::Runtime) -> (Vec<Target>, ado_fake::FakeServer) {
    rt.block_on(async {
        let (static_url, fake) = servers().await;
        let (static_config, fake_config) = (config(&static_url), config(&fake.org_url()));
        let targets = vec![
            Target {
                name: "static",
                sdk: PolicyClient::new(&static_config),
                raw: static_config.http_client().clone(),
                org_url: static_url.clone(),
            },
            Target {
                name: "fake",
                sdk: PolicyClient::new(&fake_config),
                raw: fake_config.http_client().clone(),
                org_url: fake.org_url(),
            },
        ];
        (targets, fake)
    })
}

fn per_call(c: &mut Criterion) {
    let rt = runtime();
    let (targets, _fake) = targets(&rt);
    let mut group = c.benchmark_group("per_call");
    group
        .sample_size(40)
        .measurement_time(Duration::from_secs(4))
        .warm_up_time(Duration::from_secs(1));
    for target in &targets {
        group.bench_function(format!("sdk/{}", target.name), |b| {
            b.to_async(&rt)
                .iter(|| async { target.sdk.configurations().get(ado_fake::PROJECT, 17).await.unwrap() })
        });
        group.bench_function(format!("raw/{}", target.name), |b| {
            b.to_async(&rt).iter(|| raw_get(&target.raw, &target.org_url, 17))
        });
    }
    group.finish();
}

fn in_flight_256(c: &mut Criterion) {
    let rt = runtime();
    let (targets, _fake) = targets(&rt);
    let target = &targets[0];
    let mut group = c.benchmark_group("in_flight_256");
    group
        .sample_size(20)
        .measurement_time(Duration::from_secs(6))
        .warm_up_time(Duration::from_secs(1));
    group.throughput(Throughput::Elements(256));
    group.bench_function("sdk/static", |b| {
        b.to_async(&rt)
            .iter(|| join_all((0..256).map(|_| target.sdk.configurations().get(ado_fake::PROJECT, 17).send())))
    });
    group.bench_function("raw/static", |b| {
        b.to_async(&rt)
            .iter(|| join_all((0..256).map(|_| raw_get(&target.raw, &target.org_url, 17))))
    });
    group.finish();
}

criterion_group!(benches, per_call, in_flight_256);
criterion_main!(benches);
