//! Whole tasks as a downstream user does them, through the public API, against the fake service.

mod common;

use ado_pipelines::PipelinesClient;
use ado_pipelines::types::ResourceType;
use ado_policy::PolicyClient;
use ado_policy::settings::{BranchScope, MatchKind, MinimumReviewersSettings, PolicyOptions, PolicySettings, type_ids};
use ado_policy::types::PolicyConfiguration;
use ado_tokens::types::{DisplayFilterOption, PatTokenError};
use ado_tokens::{PatTokenErrorExt, TokensClient};
use common::{Canned, PROJECT, bearer_config, fake, pat_config};
use futures::{StreamExt, TryStreamExt};
use serde_json::json;

#[tokio::test]
async fn a_policy_read_modify_write_changes_one_field_and_bumps_the_revision() {
    let server = fake().await;
    let policy = PolicyClient::new(&pat_config(&server.org_url()));
    let mut configuration = policy.configurations().get(PROJECT, 17).await.unwrap();
    let before = configuration.settings.clone();
    configuration.is_blocking = Some(false);
    let updated = policy
        .configurations()
        .update(PROJECT, 17, configuration)
        .await
        .unwrap();
    assert_eq!(updated.revision, Some(3));
    assert_eq!(updated.is_blocking, Some(false));
    assert_eq!(updated.settings, before);
    let revisions = policy.revisions().list(PROJECT, 17).await.unwrap();
    assert_eq!(
        revisions.value.iter().map(|r| r.revision).collect::<Vec<_>>(),
        vec![Some(1), Some(2), Some(3)]
    );
}

#[tokio::test]
async fn unknown_fields_and_an_unknown_policy_type_survive_a_read_modify_write() {
    let original = json!({
        "id": 7,
        "revision": 4,
        "isEnabled": true,
        "isBlocking": true,
        "futureTopLevel": {"nested": [1, 2, 3]},
        "type": {"id": "11111111-2222-3333-4444-555555555555", "displayName": "A type from the future"},
        "settings": {"zeta": 1, "alpha": {"deep": true}, "scope": [{"repositoryId": null, "refName": "refs/heads/main", "matchKind": "Exact", "newScopeField": "x"}]}
    });
    let server = common::scripted(vec![Canned::json(200, &original), Canned::json(200, &original)]).await;
    let policy = PolicyClient::new(&pat_config(&server.org_url()));
    let mut configuration = policy.configurations().get(PROJECT, 7).await.unwrap();
    assert!(matches!(
        configuration.typed_settings().unwrap(),
        PolicySettings::Other { .. }
    ));
    configuration.is_enabled = Some(false);
    policy.configurations().update(PROJECT, 7, configuration).await.unwrap();
    let sent = common::json_body(&server.received()[1]);
    let mut expected = original.clone();
    expected["isEnabled"] = json!(false);
    assert_eq!(sent, expected);
    assert_eq!(
        serde_json::to_string(&sent["settings"]).unwrap(),
        serde_json::to_string(&original["settings"]).unwrap()
    );
}

#[tokio::test]
async fn creating_from_typed_settings_sets_the_type_id() {
    let server = fake().await;
    let policy = PolicyClient::new(&pat_config(&server.org_url()));
    let settings = PolicySettings::MinimumReviewers(MinimumReviewersSettings {
        minimum_approver_count: Some(3),
        reset_on_source_push: Some(true),
        scope: vec![BranchScope::branch("refs/heads/main", MatchKind::Exact)],
        ..Default::default()
    });
    let created = policy
        .configurations()
        .create(
            PROJECT,
            PolicyConfiguration::from_settings(&settings, PolicyOptions::blocking()),
        )
        .await
        .unwrap();
    assert_eq!(
        created.type_.as_ref().and_then(|t| t.id),
        Some(type_ids::MINIMUM_REVIEWERS)
    );
    assert_eq!(
        created.type_.as_ref().and_then(|t| t.display_name.clone()).as_deref(),
        Some("Minimum number of reviewers")
    );
    assert_eq!(created.typed_settings().unwrap(), settings);
}

#[tokio::test]
async fn paging_through_10000_configurations_yields_each_once_in_order() {
    let server = fake().await;
    server.add_policies(10_000 - 8);
    let policy = PolicyClient::new(&pat_config(&server.org_url()));
    let pages: Vec<usize> = policy
        .configurations()
        .list(PROJECT)
        .top(250)
        .pages()
        .map_ok(|p| p.items.len())
        .try_collect()
        .await
        .unwrap();
    assert_eq!(pages.len(), 40);
    assert!(pages.iter().all(|n| *n == 250));
    let ids: Vec<i32> = policy
        .configurations()
        .list(PROJECT)
        .top(1000)
        .items()
        .map(|c| c.unwrap().id.unwrap())
        .collect()
        .await;
    assert_eq!(ids.len(), 10_000);
    assert!(ids.windows(2).all(|w| w[0] < w[1]));
}

#[tokio::test]
async fn paging_filters_by_policy_type() {
    let server = fake().await;
    server.add_policies(300);
    let policy = PolicyClient::new(&pat_config(&server.org_url()));
    let build: Vec<_> = policy
        .configurations()
        .list(PROJECT)
        .policy_type(type_ids::BUILD)
        .top(50)
        .items()
        .try_collect()
        .await
        .unwrap();
    assert_eq!(build.iter().map(|c| c.id).collect::<Vec<_>>(), vec![Some(19)]);
    let file_size = policy
        .configurations()
        .list(PROJECT)
        .policy_type(type_ids::FILE_SIZE)
        .top(50)
        .items()
        .try_collect::<Vec<_>>();
    assert_eq!(file_size.await.unwrap().len(), 301);
}

#[tokio::test]
async fn a_pat_is_created_listed_updated_and_revoked() {
    let server = fake().await;
    let tokens = TokensClient::new(&bearer_config(&server.org_url()));
    let request = serde_json::from_value(
        json!({"displayName": "lifecycle", "scope": "vso.code", "validTo": "2032-06-01T00:00:00Z"}),
    )
    .unwrap();
    let created = tokens.pats().create(request).await.unwrap().pat_token.unwrap();
    assert!(created.token.as_ref().is_some_and(|t| !t.is_empty()));
    assert_eq!(format!("{:?}", created.token), "Some([redacted])");
    let id = created.authorization_id.unwrap();

    let active: Vec<_> = tokens.pats().list().top(2).items().try_collect().await.unwrap();
    let mine = active.iter().find(|t| t.authorization_id == Some(id)).expect("listed");
    assert_eq!(mine.token, None, "the secret is only in the answer to create");
    assert_eq!(active.len(), 4);

    let change =
        serde_json::from_value(json!({"authorizationId": id, "displayName": "lifecycle-2", "scope": "vso.code_write"}))
            .unwrap();
    let updated = tokens.pats().update(change).await.unwrap().pat_token.unwrap();
    assert_eq!(
        (updated.display_name.as_deref(), updated.scope.as_deref()),
        (Some("lifecycle-2"), Some("vso.code_write"))
    );

    tokens.pats().revoke(id).await.unwrap();
    let revoked: Vec<_> = tokens
        .pats()
        .list()
        .display_filter_option(DisplayFilterOption::Revoked)
        .items()
        .try_collect()
        .await
        .unwrap();
    assert_eq!(
        revoked.iter().map(|t| t.authorization_id).collect::<Vec<_>>(),
        vec![Some(id)]
    );
    let active_after: Vec<_> = tokens.pats().list().items().try_collect().await.unwrap();
    assert!(active_after.iter().all(|t| t.authorization_id != Some(id)));
}

#[tokio::test]
async fn a_pat_error_in_a_success_body_is_an_error_of_that_kind() {
    let server = fake().await;
    let tokens = TokensClient::new(&bearer_config(&server.org_url()));
    let err = tokens
        .pats()
        .get("00000000-0000-0000-0000-000000000001".parse().unwrap())
        .await
        .unwrap_err();
    assert_eq!(err.pat_token_error_kind(), Some(PatTokenError::AuthorizationNotFound));
    assert_eq!(err.status(), Some(200));
    assert!(err.is_not_found());
    assert!(err.activity_id().is_some());
    let nameless = serde_json::from_value(json!({"displayName": " "})).unwrap();
    let err = tokens.pats().create(nameless).await.unwrap_err();
    assert_eq!(err.pat_token_error_kind(), Some(PatTokenError::DisplayNameRequired));
}

#[tokio::test]
async fn every_pat_error_code_is_reachable_as_an_error_kind() {
    let codes: Vec<&str> = ado_tokens::types::PatTokenError::KNOWN
        .iter()
        .map(|c| c.as_str())
        .filter(|c| *c != "none")
        .collect();
    assert_eq!(codes.len(), 32);
    let answers = codes
        .iter()
        .map(|c| Canned::json(200, &json!({"patToken": null, "patTokenError": c})))
        .collect();
    let server = common::scripted(answers).await;
    let tokens = TokensClient::new(&bearer_config(&server.org_url()));
    for code in codes {
        let err = tokens.pats().get(uuid::Uuid::nil()).await.unwrap_err();
        assert_eq!(err.pat_token_error(), Some(code));
        assert_eq!(err.pat_token_error_kind().map(|k| k.to_string()).as_deref(), Some(code));
        assert!(
            !matches!(err.pat_token_error_kind(), Some(PatTokenError::Other(_))),
            "{code}"
        );
    }
}

#[tokio::test]
async fn the_pat_api_refuses_a_pat_and_the_error_says_why() {
    let server = fake().await;
    let tokens = TokensClient::new(&pat_config(&server.org_url()));
    let err = tokens.pats().list().await.unwrap_err();
    assert!(err.is_unauthorized());
    assert!(
        err.to_string().contains("accepts only a Microsoft Entra user token"),
        "{err}"
    );
}

#[tokio::test]
async fn pipeline_permissions_are_granted_and_withdrawn_for_every_resource_type() {
    let server = fake().await;
    let pipelines = PipelinesClient::new(&pat_config(&server.org_url()));
    let resources = [
        (
            ResourceType::Endpoint,
            "5d4b3a2c-1e0f-4a9b-8c7d-6e5f4a3b2c1d".to_string(),
        ),
        (ResourceType::Queue, "7".to_string()),
        (ResourceType::VariableGroup, "12".to_string()),
        (
            ResourceType::SecureFile,
            "0f1e2d3c-4b5a-4968-8776-655443322110".to_string(),
        ),
        (ResourceType::Environment, "3".to_string()),
        (
            ResourceType::Repository,
            ado_pipelines::repository_resource_id(
                ado_fake::PROJECT_ID.parse().unwrap(),
                "49c1d4d0-be28-4f20-9e0a-4ecfafc39257".parse().unwrap(),
            ),
        ),
    ];
    for (kind, id) in resources {
        ado_pipelines::ResourceRef::new(kind.clone(), id.clone()).unwrap();
        let grant = serde_json::from_value(
            json!({"pipelines": [{"id": 1, "authorized": true}, {"id": 2, "authorized": true}]}),
        )
        .unwrap();
        let granted = pipelines
            .pipeline_permissions()
            .update(PROJECT, kind.clone(), &id, grant)
            .await
            .unwrap();
        let ids: Vec<_> = granted.pipelines.unwrap().iter().map(|p| p.id).collect();
        assert_eq!(ids, vec![Some(1), Some(2)], "{kind}");
        let withdraw = serde_json::from_value(json!({"pipelines": [{"id": 1, "authorized": false}]})).unwrap();
        pipelines
            .pipeline_permissions()
            .update(PROJECT, kind.clone(), &id, withdraw)
            .await
            .unwrap();
        let now = pipelines
            .pipeline_permissions()
            .get(PROJECT, kind.clone(), &id)
            .await
            .unwrap();
        assert_eq!(now.resource.unwrap().type_, Some(kind.clone()));
        assert_eq!(
            now.pipelines.unwrap().iter().map(|p| p.id).collect::<Vec<_>>(),
            vec![Some(2)],
            "{kind}"
        );
    }
}

#[tokio::test]
async fn a_deleted_configuration_is_gone_but_its_revisions_remain() {
    let server = fake().await;
    let policy = PolicyClient::new(&pat_config(&server.org_url()));
    policy.configurations().delete(PROJECT, 17).await.unwrap();
    let err = policy.configurations().get(PROJECT, 17).await.unwrap_err();
    assert!(err.is_not_found());
    assert_eq!(err.tf_code(), Some("TF401141"));
    assert_eq!(err.type_key(), Some("PolicyConfigurationNotFoundException"));
    let revision = policy.revisions().get(PROJECT, 17, 2).await.unwrap();
    assert_eq!(revision.is_deleted, Some(true));
}

#[tokio::test]
async fn revisions_and_evaluations_page_with_top_and_skip() {
    let server = fake().await;
    let policy = PolicyClient::new(&pat_config(&server.org_url()));
    let revisions: Vec<_> = policy
        .revisions()
        .list(PROJECT, 17)
        .items(1)
        .try_collect()
        .await
        .unwrap();
    assert_eq!(
        revisions.iter().map(|r| r.revision).collect::<Vec<_>>(),
        vec![Some(1), Some(2)]
    );
    let artifact = format!("vstfs:///CodeReview/CodeReviewId/{}/1", ado_fake::PROJECT_ID);
    let applicable: Vec<_> = policy
        .evaluations()
        .list(PROJECT, &artifact)
        .items(2)
        .try_collect()
        .await
        .unwrap();
    assert_eq!(applicable.len(), 3);
}

#[tokio::test]
async fn a_run_is_queued_and_then_listed_with_its_logs() {
    let server = fake().await;
    let pipelines = PipelinesClient::new(&pat_config(&server.org_url()));
    let run = pipelines
        .runs()
        .run(PROJECT, 3, serde_json::from_value(json!({})).unwrap())
        .await
        .unwrap();
    let runs = pipelines.runs().list(PROJECT, 3).await.unwrap();
    assert_eq!(runs.value[0].id, run.id);
    let logs = pipelines.logs().list(PROJECT, 3, run.id.unwrap()).await.unwrap();
    assert_eq!(logs.logs.unwrap().len(), 3);
}
