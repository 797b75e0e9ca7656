//! Recorded answers decode into the generated type of their operation, served as the service
//! would serve them and read through the public API: our own fixtures (always), and the upstream
//! recorded examples when `../shared/reference/httpExamples` is present.

mod common;

use std::path::{Path, PathBuf};

use ado_git::GitClient;
use ado_pipelines::PipelinesClient;
use ado_pipelines::types::{ResourceType, RunState};
use ado_policy::PolicyClient;
use ado_policy::types::EvaluationStatus;
use ado_tokens::TokensClient;
use common::{Canned, bearer_config, pat_config};
use serde_json::Value;

/// The operations a recorded answer can belong to.
#[derive(Debug, Clone, Copy)]
enum Shape {
    PolicyConfiguration,
    PolicyConfigurationList,
    PolicyEvaluation,
    PatTokenResult,
    PagedPatTokens,
    Permissions,
    PermissionsList,
    Run,
    GitRepository,
    GitRepositoryCreated,
    GitRepositoryList,
    GitRefList,
    GitRef,
    GitRefUpdateResults,
    GitEmpty,
    Empty,
}

/// Serve `body` with `status` and read it through the operation of `shape`; a short description
/// of what decoded.
async fn decode(shape: Shape, status: u16, body: Vec<u8>) -> String {
    let canned = Canned {
        status,
        headers: vec![("content-type".into(), "application/json".into())],
        body,
    };
    let server = common::scripted(vec![canned]).await;
    let pat = pat_config(&server.org_url());
    let id = uuid::Uuid::nil();
    match shape {
        Shape::PolicyConfiguration => {
            let c = PolicyClient::new(&pat).configurations().get("p", 1).await.unwrap();
            let settings = c
                .typed_settings()
                .map(|s| format!("{:?}", s.type_id()))
                .unwrap_or_else(|e| e.to_string());
            format!(
                "configuration {:?} revision {:?} settings of {settings}",
                c.id, c.revision
            )
        }
        Shape::PolicyConfigurationList => {
            let list = PolicyClient::new(&pat).configurations().list("p").await.unwrap();
            for c in &list.value {
                c.typed_settings().unwrap();
            }
            format!("{} configurations", list.value.len())
        }
        Shape::PolicyEvaluation => {
            let e = PolicyClient::new(&pat).evaluations().get("p", id).await.unwrap();
            format!("evaluation {:?}", e.status)
        }
        Shape::PatTokenResult => {
            let r = TokensClient::new(&bearer_config(&server.org_url()))
                .pats()
                .get(id)
                .await
                .unwrap();
            format!("token {:?}", r.pat_token.and_then(|t| t.display_name))
        }
        Shape::PagedPatTokens => {
            let page = TokensClient::new(&bearer_config(&server.org_url()))
                .pats()
                .list()
                .await
                .unwrap();
            format!("{} tokens", page.pat_tokens.unwrap_or_default().len())
        }
        Shape::Permissions => {
            let p = PipelinesClient::new(&pat)
                .pipeline_permissions()
                .get("p", ResourceType::Queue, "1")
                .await
                .unwrap();
            format!("{} pipelines", p.pipelines.unwrap_or_default().len())
        }
        Shape::PermissionsList => {
            let list = PipelinesClient::new(&pat)
                .pipeline_permissions()
                .update_many("p", Vec::new())
                .await
                .unwrap();
            format!("{} resources", list.value.len())
        }
        Shape::Run => {
            let run = PipelinesClient::new(&pat).runs().get("p", 1, 1).await.unwrap();
            format!("run {:?} {:?}", run.id, run.state)
        }
        Shape::GitRepository => {
            let r = GitClient::new(&pat).repositories().get("p", "r").await.unwrap();
            format!("repository {:?} in {:?}", r.name, r.project.and_then(|p| p.name))
        }
        Shape::GitRepositoryCreated => {
            let options = ado_git::types::GitRepositoryCreateOptions::default();
            let r = GitClient::new(&pat).repositories().create("p", options).await.unwrap();
            format!("created {:?}", r.name)
        }
        Shape::GitRepositoryList => {
            let list = GitClient::new(&pat).repositories().list("p").await.unwrap();
            format!("{} repositories", list.value.len())
        }
        Shape::GitRefList => {
            let list = GitClient::new(&pat).refs().list("p", "r").await.unwrap();
            format!("{} refs", list.value.len())
        }
        Shape::GitRef => {
            let body = ado_git::types::GitRefUpdate::default();
            let r = GitClient::new(&pat)
                .refs()
                .update_ref("p", "r", "heads/master", body)
                .await
                .unwrap();
            format!(
                "ref {:?} locked by {:?}",
                r.name,
                r.is_locked_by.and_then(|i| i.display_name)
            )
        }
        Shape::GitRefUpdateResults => {
            let list = GitClient::new(&pat)
                .refs()
                .update_refs("p", "r", Vec::new())
                .await
                .unwrap();
            let statuses: Vec<String> = list
                .value
                .iter()
                .filter_map(|u| u.update_status.as_ref())
                .map(|s| s.to_string())
                .collect();
            format!("{} updates: {statuses:?}", list.value.len())
        }
        Shape::GitEmpty => {
            GitClient::new(&pat).repositories().delete("p", id).await.unwrap();
            "empty".to_string()
        }
        Shape::Empty => {
            PolicyClient::new(&pat).configurations().delete("p", 1).await.unwrap();
            "empty".to_string()
        }
    }
}

fn fixtures() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("fixtures")
}

#[tokio::test]
async fn our_fixtures_decode_through_their_operations() {
    let cases = [
        (
            "policy_configuration_created.json",
            Shape::PolicyConfiguration,
            "configuration Some(301) revision Some(1) settings of 0609b952-1397-4640-95ec-e00a01b2c241",
        ),
        (
            "policy_configuration_list_bom.json",
            Shape::PolicyConfigurationList,
            "2 configurations",
        ),
        (
            "policy_evaluation_record.json",
            Shape::PolicyEvaluation,
            "evaluation Some(Other(\"waitingOnSomething\"))",
        ),
        (
            "pat_token_result_created.json",
            Shape::PatTokenResult,
            "token Some(\"deploy-bot\")",
        ),
        ("paged_pat_tokens.json", Shape::PagedPatTokens, "1 tokens"),
        ("resource_pipeline_permissions.json", Shape::Permissions, "1 pipelines"),
        (
            "resource_pipeline_permissions_list.json",
            Shape::PermissionsList,
            "1 resources",
        ),
        ("run.json", Shape::Run, "run Some(77) Some(Other(\"postponed\"))"),
    ];
    for (file, shape, expected) in cases {
        let body = std::fs::read(fixtures().join(file)).unwrap();
        assert_eq!(decode(shape, 200, body).await, expected, "{file}");
    }
    // The open enums keep the documented values typed.
    assert_eq!("completed".parse::<RunState>().unwrap(), RunState::Completed);
    assert_eq!(
        "notApplicable".parse::<EvaluationStatus>().unwrap(),
        EvaluationStatus::NotApplicable
    );
}

/// Which operation each upstream recorded example belongs to.
fn shape_of(area: &str, file: &str) -> Option<Shape> {
    Some(match (area, file) {
        ("policy", "GET__policy_configurations.json") => Shape::PolicyConfigurationList,
        ("policy", "GET__policy_configurations__configurationId_.json")
        | ("policy", "PUT__policy_configurations__configurationId_.json")
        | ("policy", "POST__policy_configurations.json") => Shape::PolicyConfiguration,
        ("policy", "DELETE__policy_configurations__configurationId_.json") => Shape::Empty,
        ("tokens", "GetPat.json" | "CreatePat.json" | "UpdatePat.json") => Shape::PatTokenResult,
        ("tokens", "ListPats.json") => Shape::PagedPatTokens,
        ("tokens", "RevokePat.json") => Shape::Empty,
        ("pipelinePermissions", "GET__GetPipelinePermissionsForResource.json")
        | ("pipelinePermissions", "PATCH__UpdatePipelinePermissionsForResource.json") => Shape::Permissions,
        ("pipelinePermissions", "PATCH__UpdatePipelinePermissionsForResources.json") => Shape::PermissionsList,
        ("git", "repositories_GET__git_repositories.json") => Shape::GitRepositoryList,
        ("git", "repositories_POST__git_repositories.json") => Shape::GitRepositoryCreated,
        ("git", "repositories_PATCH__git_repositories__repositoryId_.json") => Shape::GitRepository,
        ("git", "repositories_DELETE__git_repositories__repositoryId_.json") => Shape::GitEmpty,
        ("git", "refs_GET__git_repositories__repositoryId__refs.json")
        | ("git", "refs_GET__git_repositories__repositoryId__refs_heads.json") => Shape::GitRefList,
        ("git", "refs_PATCH__git_repositories__repositoryId__refs.json") => Shape::GitRef,
        ("git", "refs_POST__git_repositories__repositoryId__refs.json") => Shape::GitRefUpdateResults,
        _ => return None,
    })
}

#[tokio::test]
async fn every_upstream_recorded_example_decodes_when_the_reference_is_present() {
    let root = Path::new(env!("CARGO_MANIFEST_DIR")).join("../../shared/reference/httpExamples");
    if !root.exists() {
        eprintln!("skipped: {} is not here", root.display());
        return;
    }
    let mut decoded = Vec::new();
    for area in std::fs::read_dir(&root).unwrap() {
        let area = area.unwrap().path();
        // The areas this workspace covers.
        let covered = ["policy", "tokens", "pipelinePermissions", "git"];
        if !covered.iter().any(|name| area.ends_with(name)) {
            continue;
        }
        for file in std::fs::read_dir(&area).unwrap() {
            let file = file.unwrap().path();
            let area_name = area.file_name().unwrap().to_string_lossy().to_string();
            let file_name = file.file_name().unwrap().to_string_lossy().to_string();
            let shape = shape_of(&area_name, &file_name)
                .unwrap_or_else(|| panic!("{area_name}/{file_name}: no operation known"));
            let text = std::fs::read(&file).unwrap();
            let text = text.strip_prefix(b"\xEF\xBB\xBF").unwrap_or(&text);
            let example: Value = serde_json::from_slice(text).unwrap();
            let (status, response) = example["responses"].as_object().unwrap().iter().next().unwrap();
            let status: u16 = status.parse().unwrap();
            let body = match (&response.get("body"), shape) {
                (_, Shape::Empty | Shape::GitEmpty) => Vec::new(),
                (Some(body), _) => serde_json::to_vec(body).unwrap(),
                (None, _) => panic!("{file_name}: no body"),
            };
            let described = decode(shape, status, body).await;
            decoded.push((format!("{area_name}/{file_name}"), described));
        }
    }
    decoded.sort();
    let decoded: Vec<(&str, &str)> = decoded.iter().map(|(f, d)| (f.as_str(), d.as_str())).collect();
    assert_eq!(decoded, UPSTREAM_DECODED);
}

/// What each upstream recorded example decodes to, read through its operation.
const UPSTREAM_DECODED: &[(&str, &str)] = &[
    ("git/refs_GET__git_repositories__repositoryId__refs.json", "7 refs"),
    (
        "git/refs_GET__git_repositories__repositoryId__refs_heads.json",
        "3 refs",
    ),
    (
        "git/refs_PATCH__git_repositories__repositoryId__refs.json",
        "ref Some(\"refs/heads/master\") locked by Some(\"Normal Paulk\")",
    ),
    (
        "git/refs_POST__git_repositories__repositoryId__refs.json",
        "1 updates: [\"succeeded\"]",
    ),
    ("git/repositories_DELETE__git_repositories__repositoryId_.json", "empty"),
    ("git/repositories_GET__git_repositories.json", "3 repositories"),
    (
        "git/repositories_PATCH__git_repositories__repositoryId_.json",
        "repository Some(\"RenamedRepository\") in Some(\"Fabrikam-Fiber-Git\")",
    ),
    (
        "git/repositories_POST__git_repositories.json",
        "created Some(\"AnotherRepository\")",
    ),
    (
        "pipelinePermissions/GET__GetPipelinePermissionsForResource.json",
        "3 pipelines",
    ),
    (
        "pipelinePermissions/PATCH__UpdatePipelinePermissionsForResource.json",
        "3 pipelines",
    ),
    (
        "pipelinePermissions/PATCH__UpdatePipelinePermissionsForResources.json",
        "2 resources",
    ),
    ("policy/DELETE__policy_configurations__configurationId_.json", "empty"),
    ("policy/GET__policy_configurations.json", "3 configurations"),
    (
        "policy/GET__policy_configurations__configurationId_.json",
        "configuration Some(17) revision Some(2) settings of fd2167ab-b0be-447a-8ec8-39368250530e",
    ),
    (
        "policy/POST__policy_configurations.json",
        "configuration Some(17) revision Some(1) settings of fd2167ab-b0be-447a-8ec8-39368250530e",
    ),
    (
        "policy/PUT__policy_configurations__configurationId_.json",
        "configuration Some(17) revision Some(2) settings of fd2167ab-b0be-447a-8ec8-39368250530e",
    ),
    ("tokens/CreatePat.json", "token Some(\"new_token\")"),
    ("tokens/GetPat.json", "token Some(\"analytics_token\")"),
    ("tokens/ListPats.json", "4 tokens"),
    ("tokens/RevokePat.json", "empty"),
    ("tokens/UpdatePat.json", "token Some(\"updated_token\")"),
];
