//! The exact request every operation sends (method, path, query with api-version, headers without
//! credentials, body), as `insta` snapshots, and the answer it decodes, through each area's
//! public API against the fake service behind a recording proxy.

mod common;

use ado_pipelines::PipelinesClient;
use ado_pipelines::types::{
    CreatePipelineParameters, CreatePipelineRepository, ResourceType, RunPipelineParameters, RunState,
};
use ado_policy::PolicyClient;
use ado_policy::types::EvaluationStatus;
use ado_tokens::TokensClient;
use common::{PROJECT, Recorder, bearer_config, pat_config};
use insta::assert_json_snapshot;
use serde_json::json;

fn policy(recorder: &Recorder) -> PolicyClient {
    PolicyClient::new(&pat_config(&recorder.org_url))
}

fn pipelines(recorder: &Recorder) -> PipelinesClient {
    PipelinesClient::new(&pat_config(&recorder.org_url))
}

fn tokens(recorder: &Recorder) -> TokensClient {
    TokensClient::new(&bearer_config(&recorder.org_url))
}

const SEED_PAT: &str = "3d3aca0c-9ad3-4b07-8334-08ec8b1ddc32";
const EVALUATION: &str = "1a2b3c4d-0000-4000-8000-000000000001";

// ---- tokens ---------------------------------------------------------------------------------

#[tokio::test]
async fn pats_get_sends_the_authorization_id_in_the_query() {
    let recorder = Recorder::start().await;
    let result = tokens(&recorder).pats().get(SEED_PAT.parse().unwrap()).await.unwrap();
    assert_eq!(
        result.pat_token.unwrap().display_name.as_deref(),
        Some("analytics_token")
    );
    assert_json_snapshot!(recorder.only());
}

#[tokio::test]
async fn pats_list_sends_filter_top_and_token() {
    let recorder = Recorder::start().await;
    let page = tokens(&recorder)
        .pats()
        .list()
        .display_filter_option(ado_tokens::types::DisplayFilterOption::All)
        .sort_by_option(ado_tokens::types::SortByOption::DisplayName)
        .is_sort_ascending(true)
        .top(2)
        .await
        .unwrap();
    assert_eq!(page.pat_tokens.as_ref().map(Vec::len), Some(2));
    assert!(!page.continuation_token.unwrap_or_default().is_empty());
    assert_json_snapshot!(recorder.only());
}

#[tokio::test]
async fn pats_create_posts_the_request_body() {
    let recorder = Recorder::start().await;
    let request = serde_json::from_value(
        json!({"displayName": "ci-token", "scope": "vso.build", "validTo": "2031-01-01T00:00:00Z", "allOrgs": false}),
    )
    .unwrap();
    let result = tokens(&recorder).pats().create(request).await.unwrap();
    let token = result.pat_token.unwrap();
    assert_eq!(token.display_name.as_deref(), Some("ci-token"));
    assert_eq!(token.token.as_ref().map(|s| s.expose().len()), Some(52));
    assert_json_snapshot!(recorder.only());
}

#[tokio::test]
async fn pats_update_puts_the_request_body() {
    let recorder = Recorder::start().await;
    let request = serde_json::from_value(json!({"authorizationId": SEED_PAT, "displayName": "renamed"})).unwrap();
    let result = tokens(&recorder).pats().update(request).await.unwrap();
    assert_eq!(result.pat_token.unwrap().display_name.as_deref(), Some("renamed"));
    assert_json_snapshot!(recorder.only());
}

#[tokio::test]
async fn pats_revoke_deletes_by_authorization_id() {
    let recorder = Recorder::start().await;
    tokens(&recorder)
        .pats()
        .revoke(SEED_PAT.parse().unwrap())
        .await
        .unwrap();
    assert_json_snapshot!(recorder.only());
}

// ---- pipeline permissions -------------------------------------------------------------------

#[tokio::test]
async fn pipeline_permissions_get_names_type_and_id_in_the_path() {
    let recorder = Recorder::start().await;
    let permissions = pipelines(&recorder)
        .pipeline_permissions()
        .get(PROJECT, ResourceType::Queue, "1")
        .await
        .unwrap();
    assert_eq!(permissions.pipelines.unwrap().len(), 3);
    assert_json_snapshot!(recorder.only());
}

#[tokio::test]
async fn pipeline_permissions_update_patches_one_resource() {
    let recorder = Recorder::start().await;
    let change = serde_json::from_value(json!({"pipelines": [{"id": 42, "authorized": true}]})).unwrap();
    let permissions = pipelines(&recorder)
        .pipeline_permissions()
        .update(PROJECT, ResourceType::Queue, "1", change)
        .await
        .unwrap();
    let ids: Vec<i32> = permissions.pipelines.unwrap().iter().filter_map(|p| p.id).collect();
    assert_eq!(ids, vec![6, 15, 16, 42]);
    assert_json_snapshot!(recorder.only());
}

#[tokio::test]
async fn pipeline_permissions_update_many_patches_an_array() {
    let recorder = Recorder::start().await;
    let changes = serde_json::from_value(json!([
        {"resource": {"type": "queue", "id": "1"}, "pipelines": [{"id": 6, "authorized": false}]},
        {"resource": {"type": "environment", "id": "1"}, "allPipelines": {"authorized": true}}
    ]))
    .unwrap();
    let result = pipelines(&recorder)
        .pipeline_permissions()
        .update_many(PROJECT, changes)
        .await
        .unwrap();
    assert_eq!(result.count, Some(2));
    assert_eq!(
        result.value[1].all_pipelines.as_ref().and_then(|a| a.authorized),
        Some(true)
    );
    assert_json_snapshot!(recorder.only());
}

// ---- pipelines ------------------------------------------------------------------------------

#[tokio::test]
async fn pipelines_list_sends_order_top_and_continuation_token() {
    let recorder = Recorder::start().await;
    let response = pipelines(&recorder)
        .pipelines()
        .list(PROJECT)
        .order_by("name asc")
        .top(2)
        .continuation_token("ZmFrZTow")
        .send_with_response()
        .await
        .unwrap();
    assert_eq!(response.value().value.len(), 2);
    assert!(response.continuation_token().is_some());
    assert_json_snapshot!(recorder.only());
}

#[tokio::test]
async fn pipelines_create_posts_the_configuration() {
    let recorder = Recorder::start().await;
    let request = CreatePipelineParameters::yaml(
        "new-pipeline",
        "ci.yml",
        CreatePipelineRepository::azure_repos("49c1d4d0-be28-4f20-9e0a-4ecfafc39257", "fabrikam-fiber-git"),
    )
    .in_folder("\\tools");
    let pipeline = pipelines(&recorder).pipelines().create(PROJECT, request).await.unwrap();
    assert_eq!(pipeline.id, Some(4));
    assert_eq!(pipeline.configuration.unwrap().extra["path"], json!("ci.yml"));
    let sent = recorder.only();
    assert_eq!(
        sent["body"],
        json!({
            "name": "new-pipeline",
            "folder": "\\tools",
            "configuration": {
                "type": "yaml",
                "path": "ci.yml",
                "repository": {"id": "49c1d4d0-be28-4f20-9e0a-4ecfafc39257", "name": "fabrikam-fiber-git", "type": "azureReposGit"}
            }
        })
    );
    assert_json_snapshot!(sent);
}

#[tokio::test]
async fn pipelines_get_sends_the_version() {
    let recorder = Recorder::start().await;
    let pipeline = pipelines(&recorder)
        .pipelines()
        .get(PROJECT, 1)
        .pipeline_version(1)
        .await
        .unwrap();
    assert_eq!(pipeline.name.as_deref(), Some("fabrikam-ci"));
    assert_json_snapshot!(recorder.only());
}

#[tokio::test]
async fn pipelines_preview_posts_run_parameters() {
    let recorder = Recorder::start().await;
    let parameters = serde_json::from_value(json!({"previewRun": true, "stagesToSkip": ["deploy"]})).unwrap();
    let preview = pipelines(&recorder)
        .pipelines()
        .preview(PROJECT, 1, parameters)
        .await
        .unwrap();
    let yaml = preview.final_yaml.unwrap();
    assert!(
        yaml.contains("stage: build") && !yaml.contains("stage: deploy"),
        "{yaml}"
    );
    assert_json_snapshot!(recorder.only());
}

#[tokio::test]
async fn runs_list_gets_the_runs_of_a_pipeline() {
    let recorder = Recorder::start().await;
    let runs = pipelines(&recorder).runs().list(PROJECT, 1).await.unwrap();
    assert_eq!(
        runs.value.iter().map(|r| r.id).collect::<Vec<_>>(),
        vec![Some(2), Some(1)]
    );
    assert_json_snapshot!(recorder.only());
}

#[tokio::test]
async fn runs_run_posts_template_parameters() {
    let recorder = Recorder::start().await;
    let parameters = RunPipelineParameters::default().template_parameter("environment", "prod");
    let run = pipelines(&recorder).runs().run(PROJECT, 1, parameters).await.unwrap();
    assert_eq!(run.state, Some(RunState::InProgress));
    assert_eq!(run.template_parameters.unwrap()["environment"].0, json!("prod"));
    assert_json_snapshot!(recorder.only());
}

#[tokio::test]
async fn runs_run_on_a_branch_with_variables_posts_the_ref_and_the_variables() {
    let recorder = Recorder::start().await;
    let parameters = RunPipelineParameters::on_branch("release/1.2")
        .variable("configuration", "Release")
        .secret_variable("apiKey", "s3cret");
    let run = pipelines(&recorder).runs().run(PROJECT, 1, parameters).await.unwrap();
    assert_eq!(
        recorder.only()["body"],
        json!({
            "resources": {"repositories": {"self": {"refName": "refs/heads/release/1.2"}}},
            "variables": {"configuration": {"value": "Release"}, "apiKey": {"value": "s3cret", "isSecret": true}}
        })
    );
    let repositories = run.resources.unwrap().repositories.unwrap();
    assert_eq!(repositories["self"].ref_name.as_deref(), Some("refs/heads/release/1.2"));
    let variables = run.variables.unwrap();
    assert_eq!(variables["configuration"].value.as_deref(), Some("Release"));
    assert_eq!(variables["apiKey"].value, None);
    assert_eq!(variables["apiKey"].is_secret, Some(true));
}

#[tokio::test]
async fn runs_get_names_pipeline_and_run() {
    let recorder = Recorder::start().await;
    let run = pipelines(&recorder).runs().get(PROJECT, 1, 2).await.unwrap();
    assert_eq!(run.result, Some(ado_pipelines::types::RunResult::Failed));
    assert_json_snapshot!(recorder.only());
}

#[tokio::test]
async fn logs_list_sends_expand() {
    let recorder = Recorder::start().await;
    let logs = pipelines(&recorder)
        .logs()
        .list(PROJECT, 1, 1)
        .expand(ado_pipelines::types::GetArtifactExpandOptions::SignedContent)
        .await
        .unwrap();
    assert_eq!(logs.logs.unwrap().len(), 3);
    assert!(logs.signed_content.is_some());
    assert_json_snapshot!(recorder.only());
}

#[tokio::test]
async fn logs_get_names_the_log() {
    let recorder = Recorder::start().await;
    let log = pipelines(&recorder).logs().get(PROJECT, 1, 1, 2).await.unwrap();
    assert_eq!(log.line_count, Some(20));
    assert_json_snapshot!(recorder.only());
}

#[tokio::test]
async fn artifacts_get_sends_the_artifact_name() {
    let recorder = Recorder::start().await;
    let artifact = pipelines(&recorder)
        .artifacts()
        .get(PROJECT, 1, 1, "drop")
        .await
        .unwrap();
    assert_eq!(artifact.name.as_deref(), Some("drop"));
    assert_json_snapshot!(recorder.only());
}

// ---- policy ---------------------------------------------------------------------------------

#[tokio::test]
async fn configurations_list_sends_top_type_and_token_with_dollar_signs() {
    let recorder = Recorder::start().await;
    let response = policy(&recorder)
        .configurations()
        .list(PROJECT)
        .top(3)
        .policy_type(ado_policy::settings::type_ids::REQUIRED_REVIEWERS)
        .scope("refs/heads/master")
        .send_with_response()
        .await
        .unwrap();
    assert_eq!(response.value().value.len(), 1);
    assert_json_snapshot!(recorder.only());
}

#[tokio::test]
async fn configurations_create_posts_the_configuration() {
    let recorder = Recorder::start().await;
    let body = serde_json::from_value(json!({
        "isEnabled": true,
        "isBlocking": false,
        "type": {"id": "fa4e907d-c16b-4a4c-9dfa-4906e5d171dd"},
        "settings": {"minimumApproverCount": 1, "scope": [{"repositoryId": null, "refName": "refs/heads/main", "matchKind": "exact"}]}
    }))
    .unwrap();
    let created = policy(&recorder).configurations().create(PROJECT, body).await.unwrap();
    assert_eq!((created.id, created.revision), (Some(25), Some(1)));
    assert_json_snapshot!(recorder.only());
}

#[tokio::test]
async fn configurations_get_names_the_id() {
    let recorder = Recorder::start().await;
    let configuration = policy(&recorder).configurations().get(PROJECT, 17).await.unwrap();
    assert_eq!(configuration.revision, Some(2));
    assert_json_snapshot!(recorder.only());
}

#[tokio::test]
async fn configurations_update_puts_the_configuration() {
    let recorder = Recorder::start().await;
    let client = policy(&recorder);
    let mut configuration = client.configurations().get(PROJECT, 18).await.unwrap();
    configuration.is_blocking = Some(false);
    let updated = client
        .configurations()
        .update(PROJECT, 18, configuration)
        .await
        .unwrap();
    assert_eq!((updated.revision, updated.is_blocking), (Some(2), Some(false)));
    assert_json_snapshot!(recorder.all()[1].value);
}

#[tokio::test]
async fn configurations_delete_names_the_id() {
    let recorder = Recorder::start().await;
    policy(&recorder).configurations().delete(PROJECT, 20).await.unwrap();
    assert_json_snapshot!(recorder.only());
}

#[tokio::test]
async fn revisions_list_sends_top_and_skip() {
    let recorder = Recorder::start().await;
    let revisions = policy(&recorder)
        .revisions()
        .list(PROJECT, 17)
        .top(10)
        .skip(0)
        .await
        .unwrap();
    assert_eq!(
        revisions.value.iter().map(|r| r.revision).collect::<Vec<_>>(),
        vec![Some(1), Some(2)]
    );
    assert_json_snapshot!(recorder.only());
}

#[tokio::test]
async fn revisions_get_names_the_revision() {
    let recorder = Recorder::start().await;
    let revision = policy(&recorder).revisions().get(PROJECT, 17, 1).await.unwrap();
    assert_eq!(revision.revision, Some(1));
    assert_json_snapshot!(recorder.only());
}

#[tokio::test]
async fn evaluations_list_sends_the_artifact_id() {
    let recorder = Recorder::start().await;
    let artifact = format!("vstfs:///CodeReview/CodeReviewId/{}/1", ado_fake::PROJECT_ID);
    let evaluations = policy(&recorder)
        .evaluations()
        .list(PROJECT, &artifact)
        .include_not_applicable(true)
        .top(10)
        .skip(0)
        .await
        .unwrap();
    assert_eq!(evaluations.value.len(), 4);
    assert_json_snapshot!(recorder.only());
}

#[tokio::test]
async fn evaluations_get_names_the_evaluation() {
    let recorder = Recorder::start().await;
    let evaluation = policy(&recorder)
        .evaluations()
        .get(PROJECT, EVALUATION.parse().unwrap())
        .await
        .unwrap();
    assert_eq!(evaluation.status, Some(EvaluationStatus::Approved));
    assert_json_snapshot!(recorder.only());
}

#[tokio::test]
async fn evaluations_requeue_patches_the_evaluation() {
    let recorder = Recorder::start().await;
    let evaluation = policy(&recorder)
        .evaluations()
        .requeue(PROJECT, EVALUATION.parse().unwrap())
        .await
        .unwrap();
    assert_eq!(evaluation.status, Some(EvaluationStatus::Queued));
    assert_json_snapshot!(recorder.only());
}

#[tokio::test]
async fn types_list_gets_the_types() {
    let recorder = Recorder::start().await;
    let types = policy(&recorder).types().list(PROJECT).await.unwrap();
    assert_eq!(types.value.len(), 13);
    assert_json_snapshot!(recorder.only());
}

#[tokio::test]
async fn types_get_names_the_type() {
    let recorder = Recorder::start().await;
    let policy_type = policy(&recorder)
        .types()
        .get(PROJECT, ado_policy::settings::type_ids::BUILD)
        .await
        .unwrap();
    assert_eq!(policy_type.display_name.as_deref(), Some("Build"));
    assert_json_snapshot!(recorder.only());
}
