//! Bodies survive the typed API: each recorded request and answer decodes into its type and
//! encodes back to the same JSON value, and a policy's settings read typed and written back are
//! the settings that were read (key spellings, `null`s and number forms kept). Fields the service
//! always sends, `null` when empty, are written back as `null`; the one exception is named below
//! (`NULLS_NOT_KEPT`). Our own fixtures always; the
//! upstream recorded examples when `../shared/reference/httpExamples` is present.

use std::path::{Path, PathBuf};

use ado_pipelines::types::{ResourcePipelinePermissions, ResourcePipelinePermissionsList, Run};
use ado_policy::types::{PolicyConfiguration, PolicyConfigurationList, PolicyEvaluationRecord};
use ado_tokens::types::{PagedPatTokens, PatTokenCreateRequest, PatTokenResult, PatTokenUpdateRequest};
use serde::Serialize;
use serde::de::DeserializeOwned;
use serde_json::Value;

/// The type a body decodes into.
#[derive(Debug, Clone, Copy)]
enum Kind {
    Policy,
    PolicyList,
    Evaluation,
    Permissions,
    PermissionsList,
    Run,
    PatResult,
    PatPage,
    PatCreate,
    PatUpdate,
}

fn read_json(path: &Path) -> Value {
    let bytes = std::fs::read(path).unwrap();
    serde_json::from_slice(bytes.strip_prefix(b"\xEF\xBB\xBF").unwrap_or(&bytes)).unwrap()
}

/// Decode `body` as `T` and encode it again.
fn again<T: DeserializeOwned + Serialize>(body: &Value) -> Value {
    let typed: T = serde_json::from_value(body.clone()).unwrap_or_else(|e| panic!("does not decode: {e}\n{body}"));
    serde_json::to_value(typed).unwrap()
}

/// Read a policy's settings typed and write them back onto it.
fn settings_again(policy: &Value) -> Value {
    let mut configuration: PolicyConfiguration = serde_json::from_value(policy.clone()).unwrap();
    let typed = configuration.typed_settings().unwrap();
    configuration.set_typed_settings(&typed);
    serde_json::to_value(configuration.settings).unwrap()
}

fn policies(kind: Kind, body: &Value) -> Vec<Value> {
    match kind {
        Kind::Policy => vec![body.clone()],
        Kind::PolicyList => body["value"].as_array().cloned().unwrap_or_default(),
        _ => Vec::new(),
    }
}

/// The fields that may be sent as `null` and come back absent (an `Option` holds `null` and
/// absence alike; fields the service always sends are required and nullable, and keep their
/// `null`s). Pipeline permissions use one type for answers, where `pipelines`, `authorizedBy` and
/// `authorizedOn` may be `null`, and for requests, where they are left out; a run's `result` and
/// `finalYaml` are `null` in some answers and absent in others.
const NULLS_NOT_KEPT: [&str; 5] = ["authorizedBy", "authorizedOn", "pipelines", "result", "finalYaml"];

/// `body` without the `null`s of [`NULLS_NOT_KEPT`].
fn without_unkept_nulls(body: &Value) -> Value {
    match body {
        Value::Object(map) => Value::Object(
            map.iter()
                .filter(|(k, v)| !(v.is_null() && NULLS_NOT_KEPT.contains(&k.as_str())))
                .map(|(k, v)| (k.clone(), without_unkept_nulls(v)))
                .collect(),
        ),
        Value::Array(items) => Value::Array(items.iter().map(without_unkept_nulls).collect()),
        other => other.clone(),
    }
}

#[test]
fn only_the_named_nulls_are_left_out_of_the_comparison() {
    let body = serde_json::json!({"authorizedBy": null, "b": [{"authorizedOn": null, "c": null}]});
    assert_eq!(without_unkept_nulls(&body), serde_json::json!({"b": [{"c": null}]}));
}

/// Check one body; returns how many policy settings were checked besides.
fn check(name: &str, kind: Kind, body: &Value) -> usize {
    let encoded = match kind {
        Kind::Policy => again::<PolicyConfiguration>(body),
        Kind::PolicyList => again::<PolicyConfigurationList>(body),
        Kind::Evaluation => again::<PolicyEvaluationRecord>(body),
        Kind::Permissions => again::<ResourcePipelinePermissions>(body),
        Kind::PermissionsList => again::<ResourcePipelinePermissionsList>(body),
        Kind::Run => again::<Run>(body),
        Kind::PatResult => again::<PatTokenResult>(body),
        Kind::PatPage => again::<PagedPatTokens>(body),
        Kind::PatCreate => again::<PatTokenCreateRequest>(body),
        Kind::PatUpdate => again::<PatTokenUpdateRequest>(body),
    };
    assert_eq!(
        encoded,
        without_unkept_nulls(body),
        "{name}: decoded and encoded again, the body changed"
    );
    let mut checked = 0;
    for policy in policies(kind, body) {
        assert_eq!(
            settings_again(&policy),
            policy["settings"],
            "{name}: settings written back changed"
        );
        checked += 1;
    }
    checked
}

fn fixtures() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("fixtures")
}

#[test]
fn our_fixtures_survive_decoding_and_encoding() {
    let cases = [
        ("policy_configuration_created.json", Kind::Policy),
        ("policy_configuration_list_bom.json", Kind::PolicyList),
        ("policy_evaluation_record.json", Kind::Evaluation),
        ("resource_pipeline_permissions.json", Kind::Permissions),
        ("resource_pipeline_permissions_list.json", Kind::PermissionsList),
        ("run.json", Kind::Run),
        ("pat_token_result_created.json", Kind::PatResult),
        ("paged_pat_tokens.json", Kind::PatPage),
    ];
    let mut settings = 0;
    for (file, kind) in cases {
        settings += check(file, kind, &read_json(&fixtures().join(file)));
    }
    assert!(settings >= 2, "{settings} policy settings checked");
}

/// The type of each upstream recorded example's request body and answer.
fn kinds_of(area: &str, file: &str) -> (Option<Kind>, Option<Kind>) {
    match (area, file) {
        ("policy", "GET__policy_configurations.json") => (None, Some(Kind::PolicyList)),
        ("policy", "GET__policy_configurations__configurationId_.json") => (None, Some(Kind::Policy)),
        ("policy", "POST__policy_configurations.json" | "PUT__policy_configurations__configurationId_.json") => {
            (Some(Kind::Policy), Some(Kind::Policy))
        }
        ("tokens", "GetPat.json") => (None, Some(Kind::PatResult)),
        ("tokens", "CreatePat.json") => (Some(Kind::PatCreate), Some(Kind::PatResult)),
        ("tokens", "UpdatePat.json") => (Some(Kind::PatUpdate), Some(Kind::PatResult)),
        ("tokens", "ListPats.json") => (None, Some(Kind::PatPage)),
        ("pipelinePermissions", "GET__GetPipelinePermissionsForResource.json") => (None, Some(Kind::Permissions)),
        ("pipelinePermissions", "PATCH__UpdatePipelinePermissionsForResource.json") => {
            (Some(Kind::Permissions), Some(Kind::Permissions))
        }
        ("pipelinePermissions", "PATCH__UpdatePipelinePermissionsForResources.json") => {
            (None, Some(Kind::PermissionsList))
        }
        _ => (None, None),
    }
}

#[test]
fn upstream_recorded_bodies_survive_decoding_and_encoding_when_the_reference_is_present() {
    let root = Path::new(env!("CARGO_MANIFEST_DIR")).join("../../shared/reference/httpExamples");
    if !root.exists() {
        eprintln!("skipped: {} is not here", root.display());
        return;
    }
    let (mut bodies, mut settings) = (0, 0);
    for area in ["policy", "tokens", "pipelinePermissions"] {
        for entry in std::fs::read_dir(root.join(area)).unwrap() {
            let path = entry.unwrap().path();
            let file = path.file_name().unwrap().to_string_lossy().to_string();
            let example = read_json(&path);
            let (request, answer) = kinds_of(area, &file);
            if let (Some(kind), Some(body)) = (request, example["parameters"].get("body")) {
                settings += check(&format!("{area}/{file} request"), kind, body);
                bodies += 1;
            }
            for (status, response) in example["responses"].as_object().unwrap() {
                if let (Some(kind), Some(body)) = (answer, response.get("body")) {
                    settings += check(&format!("{area}/{file} {status}"), kind, body);
                    bodies += 1;
                }
            }
        }
    }
    assert_eq!((bodies, settings), (16, 8));
}
