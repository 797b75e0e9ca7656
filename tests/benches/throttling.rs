//! Calls per throttling budget. Many tasks call as fast as they can against the fake service's
//! rate-limit budget (metered as the service meters it: a sliding window, requests delayed past
//! the budget and then blocked with 429), for a bounded time, three ways at once, each with an
//! identity (and so a budget) of its own:
//! - `sdk`: the SDK with its defaults (it slows down when `X-RateLimit-Remaining` runs low);
//! - `sdk-no-throttle`: the SDK with `NoThrottle` (it still honours `Retry-After` on a 429);
//! - `plain`: reqwest by hand, retrying only a 429, after its `Retry-After`.
//!
//! For each: calls completed, and after the first window (while the first window's burst is
//! learnt): calls completed against what the budget allows, 429s, requests the service delayed
//! and for how long, and the time the callers spent waiting.
//!
//! ```sh
//! cargo bench -p ado-tests --bench throttling   # 100 requests per 10 s window, 16 tasks each, 5 windows
//! THROTTLING_LIMIT=200 THROTTLING_WINDOW_SECS=30 THROTTLING_WINDOWS=4 THROTTLING_TASKS=32 \
//!     cargo bench -p ado-tests --bench throttling
//! THROTTLING_TIMELINE=1 cargo bench -p ado-tests --bench throttling   # the SDK's requests every 500 ms
//! ```

use std::sync::Arc;
use std::sync::atomic::{AtomicU64, Ordering};
use std::time::{Duration, Instant};

use ado_core::throttle::NoThrottle;
use ado_core::{Config, Credentials, Sleep, TokioSleep};
use ado_fake::{Budget, FakeOptions, FakeServer, ThrottleStats};
use ado_policy::PolicyClient;
use futures::future::BoxFuture;

mod common;

fn setting(name: &str, default: u64) -> u64 {
    std::env::var(name).ok().and_then(|v| v.parse().ok()).unwrap_or(default)
}

/// What one way of calling achieved.
#[derive(Default)]
struct Tally {
    completed: AtomicU64,
    completed_after_first_window: AtomicU64,
    failed: AtomicU64,
}

/// TokioSleep, adding each wait to a tally.
#[derive(Debug, Clone)]
struct Tallied(Arc<AtomicU64>);

impl Sleep for Tallied {
    fn sleep(&self, duration: Duration) -> BoxFuture<'static, ()> {
        self.0.fetch_add(duration.as_millis() as u64, Ordering::Relaxed);
        TokioSleep.sleep(duration)
    }
}

#[derive(Clone, Copy, PartialEq)]
enum Way {
    Sdk,
    SdkNoThrottle,
    Plain,
}

impl Way {
    fn name(self) -> &'static str {
        match self {
            Way::Sdk => "sdk",
            Way::SdkNoThrottle => "sdk-no-throttle",
            Way::Plain => "plain",
        }
    }

    fn pat(self) -> String {
        format!("throttling-{}", self.name())
    }
}

/// The client of one way of calling, shared by its tasks as an application shares one client.
fn client(way: Way, fake: &FakeServer, waited: &Arc<AtomicU64>) -> (PolicyClient, reqwest::Client) {
    let builder = Config::builder()
        .organization(fake.org_url())
        .credentials(Credentials::pat(way.pat()))
        .sleep(Tallied(waited.clone()));
    let config = match way {
        Way::SdkNoThrottle => builder.throttle(NoThrottle),
        _ => builder,
    }
    .build()
    .unwrap();
    (PolicyClient::new(&config), reqwest::Client::new())
}

/// One task's calls until `deadline`.
#[allow(clippy::too_many_arguments)]
async fn calls(
    way: Way,
    (sdk, plain): (PolicyClient, reqwest::Client),
    fake: &FakeServer,
    tally: Arc<Tally>,
    waited: Arc<AtomicU64>,
    started: Instant,
    window: Duration,
    deadline: Instant,
) {
    let url = format!(
        "{}/{}/_apis/policy/configurations/17?api-version=7.1",
        fake.org_url(),
        ado_fake::PROJECT
    );
    while Instant::now() < deadline {
        let ok = match way {
            Way::Plain => loop {
                let answer = plain.get(&url).basic_auth("", Some(way.pat())).send().await;
                match answer {
                    Ok(answer) if answer.status() == 429 => {
                        let wait = answer
                            .headers()
                            .get("retry-after")
                            .and_then(|v| v.to_str().ok()?.parse::<u64>().ok())
                            .unwrap_or(1);
                        waited.fetch_add(wait * 1000, Ordering::Relaxed);
                        tokio::time::sleep(Duration::from_secs(wait)).await;
                    }
                    Ok(answer) => break answer.status().is_success(),
                    Err(_) => break false,
                }
            },
            _ => sdk.configurations().get(ado_fake::PROJECT, 17).await.is_ok(),
        };
        let now = Instant::now();
        if !ok {
            tally.failed.fetch_add(1, Ordering::Relaxed);
        } else if now <= deadline {
            tally.completed.fetch_add(1, Ordering::Relaxed);
            if now >= started + window {
                tally.completed_after_first_window.fetch_add(1, Ordering::Relaxed);
            }
        }
    }
}

fn main() {
    let limit = setting("THROTTLING_LIMIT", 100) as u32;
    let window = Duration::from_secs(setting("THROTTLING_WINDOW_SECS", 10));
    let windows = setting("THROTTLING_WINDOWS", 5) as u32;
    let tasks = setting("THROTTLING_TASKS", 16);
    let ways = [Way::Sdk, Way::SdkNoThrottle, Way::Plain];
    let runtime = common::runtime();
    runtime.block_on(async {
        let mut options = FakeOptions::default().budget(Budget { limit, window });
        for way in ways {
            options = options.pat(way.pat());
        }
        let fake = Arc::new(FakeServer::start(options).await.unwrap());
        let started = Instant::now();
        let deadline = started + window * windows;
        let tallies: Vec<(Arc<Tally>, Arc<AtomicU64>)> =
            ways.iter().map(|_| (Arc::new(Tally::default()), Arc::new(AtomicU64::new(0)))).collect();
        let mut running = Vec::new();
        for (way, (tally, waited)) in ways.iter().zip(&tallies) {
            let client = client(*way, &fake, waited);
            for _ in 0..tasks {
                let (fake, tally, waited, way, client) = (fake.clone(), tally.clone(), waited.clone(), *way, client.clone());
                running.push(tokio::spawn(async move {
                    calls(way, client, &fake, tally, waited, started, window, deadline).await
                }));
            }
        }
        if std::env::var_os("THROTTLING_TIMELINE").is_some() {
            let fake = fake.clone();
            tokio::spawn(async move {
                let mut before = ThrottleStats::default();
                loop {
                    tokio::time::sleep(Duration::from_millis(500)).await;
                    let now = fake.throttle_stats(&Way::Sdk.pat());
                    eprintln!(
                        "{:>5.1}s sdk: +{} charged, +{} delayed, +{} blocked",
                        started.elapsed().as_secs_f64(),
                        now.charged - before.charged,
                        now.delayed - before.delayed,
                        now.blocked - before.blocked
                    );
                    before = now;
                }
            });
        }
        tokio::time::sleep_until((started + window).into()).await;
        let first: Vec<ThrottleStats> = ways.iter().map(|w| fake.throttle_stats(&w.pat())).collect();
        for task in running {
            task.await.unwrap();
        }
        let allowed = u64::from(limit) * u64::from(windows - 1);
        println!(
            "throttling: budget {limit} per {window:?} (sliding), {tasks} tasks per way, {windows} windows; after the first window the budget allows {allowed} calls"
        );
        println!(
            "{:<16} {:>9} {:>11} {:>8} {:>11} {:>13} {:>13} {:>9}",
            "way", "completed", "after first", "goodput", "429s after", "delays after", "delayed for", "waited"
        );
        for ((way, (tally, waited)), first) in ways.iter().zip(&tallies).zip(&first) {
            let last = fake.throttle_stats(&way.pat());
            let after = tally.completed_after_first_window.load(Ordering::Relaxed);
            println!(
                "{:<16} {:>9} {:>11} {:>7.1}% {:>11} {:>13} {:>12.1}s {:>8.1}s",
                way.name(),
                tally.completed.load(Ordering::Relaxed),
                after,
                100.0 * after as f64 / allowed as f64,
                last.blocked - first.blocked,
                last.delayed - first.delayed,
                (last.delayed_for - first.delayed_for).as_secs_f64(),
                waited.load(Ordering::Relaxed) as f64 / 1000.0,
            );
            let failed = tally.failed.load(Ordering::Relaxed);
            if failed > 0 {
                println!("{:<16} ({failed} calls failed)", "");
            }
        }
    });
}
