//! Where a call's time goes: the SDK's `.await`, its `.send().await` and the raw reqwest +
//! serde_json call, in alternating rounds against the static server, with each one's median
//! time per call, its ratio to the last mode named, and the CPU time the calling thread spent per
//! call (read from `/proc/thread-self/schedstat` where there is one).
//!
//! ```sh
//! cargo bench -p ado-tests --bench call_cost                 # sdk send raw, 400 rounds of 20
//! cargo bench -p ado-tests --bench call_cost -- sdk raw      # modes of your choice
//! CALL_COST_SERVER=fake cargo bench -p ado-tests --bench call_cost   # against the fake service
//! ```
//!
//! Instructions per call, which do not depend on how busy the machine is: build it
//! (`cargo bench -p ado-tests --bench call_cost --no-run`), then run the binary it names under
//! callgrind on a current-thread runtime with one mode at a time, and divide by the calls made
//! (`2 × ROUNDS × 20`, plus 40 to warm up):
//!
//! ```sh
//! CALL_COST_CURRENT_THREAD=1 CALL_COST_ROUNDS=50 valgrind --tool=callgrind target/release/deps/call_cost-… sdk sdk
//! ```

use std::time::{Duration, Instant};

use ado_policy::PolicyClient;

mod common;

use common::{config, median, raw_get, runtime, servers};

const CALLS: usize = 20;

#[derive(Clone, Copy, Debug, PartialEq)]
enum Mode {
    /// `client.configurations().get(..).await`
    Sdk,
    /// `client.configurations().get(..).send().await`
    Send,
    /// reqwest + serde_json by hand
    Raw,
}

impl Mode {
    fn parse(name: &str) -> Option<Self> {
        match name {
            "sdk" => Some(Mode::Sdk),
            "send" => Some(Mode::Send),
            "raw" => Some(Mode::Raw),
            _ => None,
        }
    }
}

/// CPU time this thread has used, in nanoseconds, where Linux reports it.
fn thread_cpu_ns() -> Option<u64> {
    let stat = std::fs::read_to_string("/proc/thread-self/schedstat").ok()?;
    stat.split_whitespace().next()?.parse().ok()
}

fn main() {
    // `cargo bench` passes `--bench`; anything else names a mode.
    let named: Vec<String> = std::env::args().skip(1).filter(|a| !a.starts_with("--")).collect();
    let modes: Vec<Mode> = if named.is_empty() {
        vec![Mode::Sdk, Mode::Send, Mode::Raw]
    } else {
        named
            .iter()
            .map(|n| Mode::parse(n).unwrap_or_else(|| panic!("unknown mode `{n}`: sdk, send or raw")))
            .collect()
    };
    let rounds: usize = std::env::var("CALL_COST_ROUNDS")
        .ok()
        .map(|r| r.parse().expect("CALL_COST_ROUNDS is a number"))
        .unwrap_or(400);
    let runtime = if std::env::var_os("CALL_COST_CURRENT_THREAD").is_some() {
        tokio::runtime::Builder::new_current_thread()
            .enable_all()
            .build()
            .unwrap()
    } else {
        runtime()
    };
    runtime.block_on(async {
        let (static_url, fake) = servers().await;
        let org_url = match std::env::var("CALL_COST_SERVER").as_deref() {
            Ok("fake") => fake.org_url(),
            Ok("static") | Err(_) => static_url,
            Ok(other) => panic!("unknown CALL_COST_SERVER `{other}`: static or fake"),
        };
        let config = config(&org_url);
        let sdk = PolicyClient::new(&config);
        let raw = config.http_client().clone();
        let call = async |mode: Mode| match mode {
            Mode::Sdk => drop(sdk.configurations().get(ado_fake::PROJECT, 17).await.unwrap()),
            Mode::Send => drop(sdk.configurations().get(ado_fake::PROJECT, 17).send().await.unwrap()),
            Mode::Raw => drop(raw_get(&raw, &org_url, 17).await),
        };
        for _ in 0..CALLS {
            call(Mode::Sdk).await;
            call(Mode::Raw).await;
        }
        let mut times: Vec<Vec<Duration>> = vec![Vec::new(); modes.len()];
        let mut cpu = vec![0u64; modes.len()];
        for round in 0..rounds {
            for k in 0..modes.len() {
                // Each round starts with another mode, so drift falls on all alike.
                let i = (k + round) % modes.len();
                let cpu_before = thread_cpu_ns();
                let started = Instant::now();
                for _ in 0..CALLS {
                    call(modes[i]).await;
                }
                times[i].push(started.elapsed() / CALLS as u32);
                if let (Some(before), Some(after)) = (cpu_before, thread_cpu_ns()) {
                    cpu[i] += after - before;
                }
            }
        }
        let medians: Vec<Duration> = times.into_iter().map(median).collect();
        let base = medians[modes.len() - 1];
        for (i, mode) in modes.iter().enumerate() {
            println!(
                "call_cost/{mode:?}: {:?} per call (median of {rounds} rounds of {CALLS}), ratio {:.3}, calling thread's CPU {} ns per call",
                medians[i],
                medians[i].as_secs_f64() / base.as_secs_f64(),
                cpu[i] / (rounds * CALLS) as u64
            );
        }
    });
}
