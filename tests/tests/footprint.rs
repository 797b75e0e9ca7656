//! What one call holds while it is under way. `.await` on a request boxes the call's future (its
//! type has no name to give `IntoFuture`), once per call: a future of at most 1 KiB comes from the
//! allocator's per-thread cache (glibc serves blocks up to 1,032 bytes there), a larger one from
//! its shared bins, which costs about a percent of a loopback call (measured with the `call_cost`
//! benchmark under callgrind). Layout changes in the runtime can push it over without notice.

use ado_core::{Config, Credentials};

const SMALL_ALLOCATION: usize = 1024;

fn config() -> Config {
    Config::builder()
        .organization("http://127.0.0.1:1/fabrikam")
        .credentials(Credentials::pat("footprint"))
        .build()
        .unwrap()
}

#[test]
fn a_policy_configuration_get_fits_in_a_small_allocation() {
    let config = config();
    let client = ado_policy::PolicyClient::new(&config);
    let call = client.configurations().get("project", 17).send();
    assert!(size_of_val(&call) <= SMALL_ALLOCATION, "{} bytes", size_of_val(&call));
}

#[test]
fn a_token_get_fits_in_a_small_allocation() {
    let config = config();
    let client = ado_tokens::TokensClient::new(&config);
    let call = client.pats().get(uuid::Uuid::nil()).send();
    assert!(size_of_val(&call) <= SMALL_ALLOCATION, "{} bytes", size_of_val(&call));
}

#[test]
fn a_pipeline_run_get_fits_in_a_small_allocation() {
    let config = config();
    let client = ado_pipelines::PipelinesClient::new(&config);
    let call = client.runs().get("project", 1, 2).send();
    assert!(size_of_val(&call) <= SMALL_ALLOCATION, "{} bytes", size_of_val(&call));
}
