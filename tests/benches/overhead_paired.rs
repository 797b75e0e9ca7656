//! Per-call overhead of the SDK over raw reqwest + serde_json, measured in alternating rounds so
//! that drift in the machine's speed (shared CPUs) falls on both sides alike. Prints the median
//! per-call time of each, their ratio, and the median of the rounds' own ratios (each SDK round
//! against the raw round beside it: the paired estimate, which drift between rounds moves least).
//!
//! `cargo bench -p ado-tests --bench overhead_paired`

use std::time::{Duration, Instant};

use ado_policy::PolicyClient;

mod common;

use common::{config, median, raw_get, runtime, servers};

const ROUNDS: usize = 300;
const CALLS: usize = 20;

async fn compare(name: &str, org_url: &str) {
    let config = config(org_url);
    let sdk = PolicyClient::new(&config);
    let raw = config.http_client().clone();
    for _ in 0..200 {
        sdk.configurations().get(ado_fake::PROJECT, 17).await.unwrap();
        raw_get(&raw, org_url, 17).await;
    }
    let (mut sdk_rounds, mut raw_rounds) = (Vec::new(), Vec::new());
    for round in 0..ROUNDS {
        let sdk_first = round % 2 == 0;
        for side in 0..2 {
            let started = Instant::now();
            if (side == 0) == sdk_first {
                for _ in 0..CALLS {
                    sdk.configurations().get(ado_fake::PROJECT, 17).await.unwrap();
                }
                sdk_rounds.push(started.elapsed() / CALLS as u32);
            } else {
                for _ in 0..CALLS {
                    raw_get(&raw, org_url, 17).await;
                }
                raw_rounds.push(started.elapsed() / CALLS as u32);
            }
        }
    }
    let mut paired: Vec<f64> = sdk_rounds
        .iter()
        .zip(&raw_rounds)
        .map(|(sdk, raw)| sdk.as_secs_f64() / raw.as_secs_f64())
        .collect();
    paired.sort_by(f64::total_cmp);
    let (sdk_median, raw_median) = (median(sdk_rounds), median(raw_rounds));
    println!(
        "overhead_paired/{name}: sdk {sdk_median:?}, raw {raw_median:?} per call (medians of {ROUNDS} rounds of {CALLS}): ratio {:.3}, paired {:.3}",
        sdk_median.as_secs_f64() / raw_median.as_secs_f64(),
        paired[paired.len() / 2]
    );
}

/// 256 calls in flight at once, alternating SDK and raw batches: throughput ratio of medians.
async fn in_flight(org_url: &str) {
    let config = config(org_url);
    let sdk = PolicyClient::new(&config);
    let raw = config.http_client().clone();
    let (mut sdk_rounds, mut raw_rounds) = (Vec::new(), Vec::new());
    for round in 0..40 {
        for side in 0..2 {
            let started = Instant::now();
            if (side == 0) == (round % 2 == 0) {
                futures::future::join_all((0..256).map(|_| sdk.configurations().get(ado_fake::PROJECT, 17).send()))
                    .await;
                sdk_rounds.push(started.elapsed());
            } else {
                futures::future::join_all((0..256).map(|_| raw_get(&raw, org_url, 17))).await;
                raw_rounds.push(started.elapsed());
            }
        }
    }
    let (sdk_median, raw_median) = (median(sdk_rounds), median(raw_rounds));
    let per_second = |d: Duration| 256.0 / d.as_secs_f64();
    println!(
        "in_flight_256_paired/static: sdk {:.0} calls/s, raw {:.0} calls/s (medians of 40 batches): ratio {:.3}",
        per_second(sdk_median),
        per_second(raw_median),
        per_second(sdk_median) / per_second(raw_median)
    );
}

fn main() {
    let rt = runtime();
    rt.block_on(async {
        let (static_url, fake) = servers().await;
        compare("static", &static_url).await;
        compare("fake", &fake.org_url()).await;
        in_flight(&static_url).await;
    });
}
