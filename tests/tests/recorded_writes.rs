//! The fake stores what it is sent as the service does: each upstream recorded write and read (when
//! `../shared/reference/httpExamples` is present), replayed against the fake, is answered with the
//! same fields as the recorded answer, including those the service adds or defaults.

use std::collections::BTreeSet;
use std::path::Path;

use ado_fake::{FakeOptions, FakeServer};
use serde_json::Value;

const PAT: &str = "recorded-writes-pat";

/// Every field path of a document, array positions folded into `[]`.
fn field_paths(value: &Value, at: String, into: &mut BTreeSet<String>) {
    match value {
        Value::Object(map) => {
            for (key, inner) in map {
                let path = format!("{at}/{key}");
                into.insert(path.clone());
                field_paths(inner, path, into);
            }
        }
        Value::Array(items) => {
            for item in items {
                field_paths(item, format!("{at}[]"), into);
            }
        }
        _ => {}
    }
}

fn fields(value: &Value) -> BTreeSet<String> {
    let mut set = BTreeSet::new();
    field_paths(value, String::new(), &mut set);
    set
}

#[test]
fn field_paths_fold_array_positions() {
    let value = serde_json::json!({"a": [{"b": 1}, {"c": null}], "d": {"e": true}});
    let expected: BTreeSet<String> = ["/a", "/a[]/b", "/a[]/c", "/d", "/d/e"]
        .iter()
        .map(|s| s.to_string())
        .collect();
    assert_eq!(fields(&value), expected);
}

#[tokio::test]
async fn recorded_writes_are_answered_with_the_recorded_fields_when_the_reference_is_present() {
    let root = Path::new(env!("CARGO_MANIFEST_DIR")).join("../../shared/reference/httpExamples");
    if !root.exists() {
        eprintln!("skipped: {} is not here", root.display());
        return;
    }
    // (recorded example, method, path below the organization and project)
    let writes = [
        (
            "policy/POST__policy_configurations.json",
            "POST",
            "policy/configurations?api-version=7.1",
        ),
        (
            "policy/PUT__policy_configurations__configurationId_.json",
            "PUT",
            "policy/configurations/17?api-version=7.1",
        ),
        (
            "pipelinePermissions/PATCH__UpdatePipelinePermissionsForResource.json",
            "PATCH",
            "pipelines/pipelinepermissions/queue/1?api-version=7.1-preview.1",
        ),
        (
            "pipelinePermissions/PATCH__UpdatePipelinePermissionsForResources.json",
            "PATCH",
            "pipelines/pipelinepermissions?api-version=7.1-preview.1",
        ),
        // And the reads of the documents those writes store.
        (
            "policy/GET__policy_configurations__configurationId_.json",
            "GET",
            "policy/configurations/17?api-version=7.1",
        ),
        (
            "pipelinePermissions/GET__GetPipelinePermissionsForResource.json",
            "GET",
            "pipelines/pipelinepermissions/queue/1?api-version=7.1-preview.1",
        ),
    ];
    let server = FakeServer::start(FakeOptions::default().pat(PAT)).await.unwrap();
    // The SDK's own HTTP client (it installs the TLS provider reqwest needs).
    let http = ado_core::Config::builder()
        .organization(server.org_url())
        .credentials(ado_core::Credentials::pat(PAT))
        .build()
        .unwrap()
        .http_client()
        .clone();
    for (file, method, path) in writes {
        let text = std::fs::read(root.join(file)).unwrap();
        let example: Value = serde_json::from_slice(text.strip_prefix(b"\xEF\xBB\xBF").unwrap_or(&text)).unwrap();
        let url = format!("{}/{}/_apis/{path}", server.org_url(), ado_fake::PROJECT);
        let mut request = http.request(method.parse().unwrap(), url).basic_auth("", Some(PAT));
        if method != "GET" {
            request = request.json(&example["parameters"]["body"]);
        }
        let answer: Value = request.send().await.unwrap().json().await.unwrap();
        let recorded = &example["responses"]["200"]["body"];
        let (ours, theirs) = (fields(&answer), fields(recorded));
        assert_eq!(
            ours.symmetric_difference(&theirs).collect::<Vec<_>>(),
            Vec::<&String>::new(),
            "{file}: fields only one side has"
        );
    }
}
