//! What the core's tests share: a tiny "area" of four operations, and a call that goes through
//! the runtime exactly as the generated code does (send, then decode).
#![allow(dead_code)]

use std::sync::{Arc, Mutex};
use std::time::Duration;

use ado_core::__private::{AreaInfo, CheckAnswer, Operation, Operations, Runtime};
use ado_core::retry::{Backoff, RetryLimits};
use ado_core::{Config, ConfigBuilder, Credentials, Host, HttpMethod, Response, Result, Sleep};
use futures::future::BoxFuture;
use serde::Deserialize;

pub use ado_fake::script::{Canned, Scripted};

/// The test area's operations.
pub static OPERATIONS: Operations = Operations::new(&[
    Operation::new("thing_create", HttpMethod::Post, "7.1-preview.1"),
    Operation::new("thing_get", HttpMethod::Get, "7.1"),
    Operation::new("thing_patch", HttpMethod::Patch, "7.1"),
    Operation::new("thing_put", HttpMethod::Put, "7.1"),
]);

/// The test area.
pub static AREA: AreaInfo = AreaInfo::new("ado-thing", "9.9.9", Host::Core, &OPERATIONS, false);

/// A decoded answer.
#[derive(Debug, Deserialize, PartialEq)]
pub struct Thing {
    /// Its id.
    pub id: i64,
    /// Its name.
    #[serde(default)]
    pub name: Option<String>,
}

impl CheckAnswer for Thing {
    fn check(&self, _: u16) -> Result<()> {
        Ok(())
    }
}

/// Records every wait and returns at once.
#[derive(Debug, Clone, Default)]
pub struct RecordingSleep(pub Arc<Mutex<Vec<Duration>>>);

impl RecordingSleep {
    /// The waits so far.
    pub fn waits(&self) -> Vec<Duration> {
        self.0.lock().unwrap().clone()
    }
}

impl Sleep for RecordingSleep {
    fn sleep(&self, duration: Duration) -> BoxFuture<'static, ()> {
        self.0.lock().unwrap().push(duration);
        Box::pin(async {})
    }
}

/// A backoff that waits exactly `n` × 100 ms after attempt `n` (no jitter), so waits are exact.
#[derive(Debug, Clone, Copy)]
pub struct LinearBackoff;

impl Backoff for LinearBackoff {
    fn delay(&self, attempt: u32) -> Duration {
        Duration::from_millis(100 * attempt as u64)
    }
}

/// A configuration for a scripted server with exact waits.
pub fn builder(org_url: &str, sleep: &RecordingSleep) -> ConfigBuilder {
    Config::builder()
        .organization(org_url)
        .credentials(Credentials::pat("core-test-pat"))
        .sleep(sleep.clone())
        .backoff(LinearBackoff)
        .retry_limits(RetryLimits {
            max_attempts: 4,
            max_elapsed: Duration::from_secs(3600),
            attempt_timeout: Duration::from_secs(5),
        })
}

/// A scripted server.
pub async fn scripted(answers: Vec<Canned>) -> Scripted {
    Scripted::start(answers).await.unwrap()
}

/// Call `operation` at `path` (after the organization) the way generated code does.
pub async fn call(
    runtime: &Runtime,
    operation: &'static str,
    path: &str,
    body: Option<serde_json::Value>,
) -> Result<Response<Thing>> {
    let operation = runtime.operation(operation).expect("an operation of the test area");
    // As the generated `request()` does: the path, then each query parameter by name.
    let request = {
        let (path, query) = path.split_once('?').unwrap_or((path, ""));
        let pairs: Vec<(String, String)> = url::form_urlencoded::parse(query.as_bytes()).into_owned().collect();
        let values: Vec<Option<String>> = pairs.iter().map(|(_, v)| Some(v.clone())).collect();
        let query: Vec<(&str, Option<&dyn std::fmt::Display>)> = pairs
            .iter()
            .zip(&values)
            .map(|((name, _), value)| (name.as_str(), ado_core::__private::param(value)))
            .collect();
        let body = body.map(|b| ado_core::__private::json(&b));
        runtime.request(operation, format_args!("{path}"), &query, body)?
    };
    // As the generated `send_with_response()` does.
    let answer = runtime.send(request, operation).await?;
    runtime.decode(operation, answer, &[200])
}

/// A runtime of the test area.
pub fn runtime(config: &Config) -> Runtime {
    Runtime::new(config, &AREA)
}
