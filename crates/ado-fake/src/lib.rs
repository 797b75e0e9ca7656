//! # ado-fake
//!
//! A fake Azure DevOps service that serves the 30 operations of the PAT, pipelines, pipeline
//! permissions and policy APIs from memory, on loopback, as the real service does: the same
//! routes, api-version checks, authentication (401 with `X-TFS-FedAuthRedirect: Suppress`, a 203
//! sign-in page without), error bodies, `ActivityId` headers, continuation tokens, rate-limit
//! headers and 429s, plus fault injection and request counters for tests.
//!
//! It serves organization `fabrikam` (project `fabrikam-fiber-git`), seeded with the documented
//! examples, at `http://127.0.0.1:PORT/fabrikam/...`, and the on-premises style collection
//! `DefaultCollection` at `http://127.0.0.1:PORT/tfs/DefaultCollection/...`. A second port stands in
//! for `vssps.dev.azure.com` (`vssps_url()`), where `GET {org}/_apis/ResourceAreas` sends clients
//! for the PAT API; both ports serve every area. The location service (`OPTIONS {org}/_apis`,
//! `ResourceAreas`, `connectionData`) answers as the service does, so the official clients work
//! against it unchanged.
//!
//! ```no_run
//! # async fn run() -> std::io::Result<()> {
//! let server = ado_fake::FakeServer::start(ado_fake::FakeOptions::default().pat("secret")).await?;
//! println!("organization URL: {}", server.org_url());
//! server.stop().await;
//! # Ok(())
//! # }
//! ```

#![warn(missing_docs)]
#![warn(clippy::unwrap_used, clippy::expect_used)]
// Handlers return `Result<_, Response>` so that a refusal is the answer itself; responses are
// built once per refused request, so their size does not matter.
#![allow(clippy::result_large_err)]

mod content_type;
mod faults;
// Written by `cargo xtask generate`, which `--check` compares byte for byte.
#[rustfmt::skip]
mod generated;
mod http;
mod location;
mod ops;
mod refs;
mod repositories;
mod routes;
pub mod script;
mod seed;
mod state;
mod throttle;

use std::collections::HashMap;
use std::net::SocketAddr;
use std::sync::{Arc, Mutex};

use axum::Router;
use axum::extract::DefaultBodyLimit;
use tokio::net::TcpListener;
use tokio::sync::oneshot;

pub use faults::{Fault, FaultRule};
pub use seed::{PROJECT_ID, SEED_PAT_ID};
pub use throttle::{Budget, ThrottleStats};

use http::Caller;

/// The largest request body accepted: 4 MiB.
pub const MAX_REQUEST_BODY: usize = 4 * 1024 * 1024;

/// The organization the fake serves.
pub const ORGANIZATION: &str = "fabrikam";
/// The seeded project.
pub const PROJECT: &str = "fabrikam-fiber-git";
/// The on-premises style collection the fake also serves (`/tfs/DefaultCollection/...`), seeded
/// as `fabrikam` is.
pub const COLLECTION: &str = "DefaultCollection";

/// How to start the fake.
#[derive(Debug, Clone, Default)]
pub struct FakeOptions {
    /// Where to listen (default `127.0.0.1:0`, a free port).
    pub addr: Option<SocketAddr>,
    /// Where to listen as `vssps.dev.azure.com` (default: a free port on the same address).
    pub vssps_addr: Option<SocketAddr>,
    /// Personal access tokens accepted.
    pub pats: Vec<String>,
    /// Bearer tokens accepted.
    pub bearers: Vec<String>,
    /// A rate-limit budget per credential (default: none).
    pub budget: Option<Budget>,
}

impl FakeOptions {
    /// Accept this PAT.
    pub fn pat(mut self, pat: impl Into<String>) -> Self {
        self.pats.push(pat.into());
        self
    }

    /// Accept this bearer token.
    pub fn bearer(mut self, token: impl Into<String>) -> Self {
        self.bearers.push(token.into());
        self
    }

    /// Enforce a rate-limit budget per credential.
    pub fn budget(mut self, budget: Budget) -> Self {
        self.budget = Some(budget);
        self
    }

    /// Listen on this address.
    pub fn addr(mut self, addr: SocketAddr) -> Self {
        self.addr = Some(addr);
        self
    }

    /// Listen on this address as `vssps.dev.azure.com`.
    pub fn vssps_addr(mut self, addr: SocketAddr) -> Self {
        self.vssps_addr = Some(addr);
        self
    }
}

/// How many requests of each operation arrived, and how many writes were applied.
#[derive(Debug, Default)]
pub struct Counters(Mutex<HashMap<&'static str, (u64, u64)>>);

impl Counters {
    fn received(&self, op: &'static str) {
        if let Ok(mut map) = self.0.lock() {
            map.entry(op).or_default().0 += 1;
        }
    }

    fn applied(&self, op: &'static str) {
        if let Ok(mut map) = self.0.lock() {
            map.entry(op).or_default().1 += 1;
        }
    }

    /// Requests of `op` that reached the service (authenticated or not).
    pub fn received_count(&self, op: &str) -> u64 {
        self.0.lock().ok().and_then(|m| m.get(op).map(|c| c.0)).unwrap_or(0)
    }

    /// Requests of `op` that changed state.
    pub fn applied_count(&self, op: &str) -> u64 {
        self.0.lock().ok().and_then(|m| m.get(op).map(|c| c.1)).unwrap_or(0)
    }
}

/// The shared state of a running fake.
#[derive(Debug)]
pub struct App {
    state: Mutex<state::State>,
    pats: Vec<String>,
    bearers: Vec<String>,
    throttle: throttle::Throttle,
    faults: faults::Faults,
    counters: Counters,
    core_addr: SocketAddr,
    vssps_addr: SocketAddr,
}

impl App {
    /// `http://ADDR`: where the fake serves a host.
    pub(crate) fn origin(&self, host: location::Host) -> String {
        match host {
            location::Host::Core => format!("http://{}", self.core_addr),
            location::Host::Vssps => format!("http://{}", self.vssps_addr),
        }
    }

    fn accepts(&self, caller: &Caller) -> bool {
        match caller {
            Caller::Pat(p) => self.pats.iter().any(|x| x == p),
            Caller::Bearer(t) => self.bearers.iter().any(|x| x == t),
        }
    }

    pub(crate) fn state(&self) -> std::sync::MutexGuard<'_, state::State> {
        match self.state.lock() {
            Ok(guard) => guard,
            Err(poisoned) => poisoned.into_inner(),
        }
    }
}

/// A running fake service.
#[derive(Debug)]
pub struct FakeServer {
    addr: SocketAddr,
    vssps_addr: SocketAddr,
    app: Arc<App>,
    stop: Option<oneshot::Sender<()>>,
    task: Option<tokio::task::JoinHandle<()>>,
}

/// The router of the fake, over shared state.
pub fn router(app: Arc<App>) -> Router {
    routes::router()
        .layer(axum::middleware::from_fn_with_state(app.clone(), http::gate))
        .layer(DefaultBodyLimit::max(MAX_REQUEST_BODY))
        .with_state(app)
}

impl FakeServer {
    /// Start on a loopback port (or `options.addr`), seeded with the documented examples.
    pub async fn start(options: FakeOptions) -> std::io::Result<Self> {
        let addr = options.addr.unwrap_or_else(|| SocketAddr::from(([127, 0, 0, 1], 0)));
        let listener = TcpListener::bind(addr).await?;
        let addr = listener.local_addr()?;
        let vssps_listener = TcpListener::bind(options.vssps_addr.unwrap_or(SocketAddr::new(addr.ip(), 0))).await?;
        let vssps_addr = vssps_listener.local_addr()?;
        let app = Arc::new(App {
            state: Mutex::new(state::State::seeded()),
            pats: options.pats,
            bearers: options.bearers,
            throttle: throttle::Throttle::new(options.budget),
            faults: faults::Faults::default(),
            counters: Counters::default(),
            core_addr: addr,
            vssps_addr,
        });
        let service = routes::normalise(router(app.clone()));
        let (stop, stopped) = oneshot::channel::<()>();
        let stopped = futures::FutureExt::shared(stopped);
        let serve = |listener: TcpListener| {
            let stopped = stopped.clone();
            axum::serve(listener, tower::make::Shared::new(service.clone())).with_graceful_shutdown(async move {
                let _ = stopped.await;
            })
        };
        let (core, vssps) = (serve(listener), serve(vssps_listener));
        let task = tokio::spawn(async move {
            let (core, vssps) = tokio::join!(core.into_future(), vssps.into_future());
            for error in [core.err(), vssps.err()].into_iter().flatten() {
                eprintln!("ado-fake: {error}");
            }
        });
        Ok(Self {
            addr,
            vssps_addr,
            app,
            stop: Some(stop),
            task: Some(task),
        })
    }

    /// The address it listens on.
    pub fn addr(&self) -> SocketAddr {
        self.addr
    }

    /// `http://127.0.0.1:PORT`.
    pub fn base_url(&self) -> String {
        format!("http://{}", self.addr)
    }

    /// `http://127.0.0.1:PORT/fabrikam`: the organization URL for every area.
    pub fn org_url(&self) -> String {
        format!("http://{}/{ORGANIZATION}", self.addr)
    }

    /// `http://127.0.0.1:PORT2/fabrikam`: the organization on the port that stands in for
    /// `vssps.dev.azure.com`, where `ResourceAreas` sends clients for the PAT API.
    pub fn vssps_url(&self) -> String {
        format!("http://{}/{ORGANIZATION}", self.vssps_addr)
    }

    /// Inject a fault.
    pub fn inject(&self, rule: FaultRule) {
        self.app.faults.add(rule);
    }

    /// Remove every injected fault.
    pub fn clear_faults(&self) {
        self.app.faults.clear();
    }

    /// The request counters.
    pub fn counters(&self) -> &Counters {
        &self.app.counters
    }

    /// What the rate-limit budget did to the requests of the identity with `token` (a PAT or a
    /// bearer token): let through, delayed (and for how long), blocked.
    pub fn throttle_stats(&self, token: &str) -> ThrottleStats {
        self.app.throttle.stats(token)
    }

    /// Add `count` policy configurations to the seeded project (for paging tests and demos).
    pub fn add_policies(&self, count: usize) {
        self.app.state().add_bulk_policies(ORGANIZATION, PROJECT, count);
    }

    /// Stop serving and wait until the server has shut down.
    pub async fn stop(mut self) {
        if let Some(stop) = self.stop.take() {
            let _ = stop.send(());
        }
        if let Some(task) = self.task.take() {
            let _ = task.await;
        }
    }
}

impl Drop for FakeServer {
    fn drop(&mut self) {
        if let Some(stop) = self.stop.take() {
            let _ = stop.send(());
        }
    }
}

/// The current time as the service writes it.
pub(crate) fn now_text() -> String {
    chrono::Utc::now().to_rfc3339_opts(chrono::SecondsFormat::Millis, true)
}
