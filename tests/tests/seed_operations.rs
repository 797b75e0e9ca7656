//! The three seed operations answer exactly the documented sample responses, every field checked.

mod common;

use ado_pipelines::PipelinesClient;
use ado_pipelines::types::ResourceType;
use ado_policy::PolicyClient;
use ado_policy::settings::{BranchScope, MatchKind, PolicySettings};
use ado_tokens::TokensClient;
use ado_tokens::types::PatTokenError;
use common::{PROJECT, bearer_config, fake, pat_config};
use serde_json::json;

fn uuid(text: &str) -> uuid::Uuid {
    text.parse().unwrap()
}

#[tokio::test]
async fn pats_get_answers_the_documented_token() {
    let server = fake().await;
    let tokens = TokensClient::new(&bearer_config(&server.org_url()));
    let result = tokens
        .pats()
        .get(uuid("3d3aca0c-9ad3-4b07-8334-08ec8b1ddc32"))
        .await
        .unwrap();
    assert_eq!(result.pat_token_error, Some(PatTokenError::None));
    let token = result.pat_token.unwrap();
    assert_eq!(token.display_name.as_deref(), Some("analytics_token"));
    assert_eq!(token.valid_to.unwrap().as_str(), "2020-12-01T23:46:23.32Z");
    assert_eq!(token.scope.as_deref(), Some("vso.analytics"));
    assert_eq!(
        token.target_accounts,
        Some(vec![uuid("38aaa865-2c70-4bf7-a308-0c6539c38c1a")])
    );
    assert_eq!(token.valid_from.unwrap().as_str(), "2020-10-29T17:26:46.72Z");
    assert_eq!(
        token.authorization_id,
        Some(uuid("3d3aca0c-9ad3-4b07-8334-08ec8b1ddc32"))
    );
    assert_eq!(token.token, None);
}

#[tokio::test]
async fn pipeline_permissions_get_answers_the_documented_permissions() {
    let server = fake().await;
    let pipelines = PipelinesClient::new(&pat_config(&server.org_url()));
    let permissions = pipelines
        .pipeline_permissions()
        .get(PROJECT, ResourceType::Queue, "1")
        .await
        .unwrap();
    let resource = permissions.resource.unwrap();
    assert_eq!(resource.type_, Some(ResourceType::Queue));
    assert_eq!(resource.id.as_deref(), Some("1"));
    assert_eq!(resource.name, None);
    assert!(permissions.all_pipelines.is_none());
    let expected = [
        (6, "2020-01-02T08:59:48.77Z"),
        (15, "2020-11-19T08:14:49.26Z"),
        (16, "2020-11-20T15:10:54.187Z"),
    ];
    let pipelines = permissions.pipelines.unwrap();
    assert_eq!(pipelines.len(), 3);
    for (pipeline, (id, on)) in pipelines.iter().zip(expected) {
        assert_eq!(pipeline.id, Some(id));
        assert_eq!(pipeline.authorized, Some(true));
        assert_eq!(pipeline.authorized_on.as_ref().unwrap().as_str(), on);
        let by = pipeline.authorized_by.as_ref().unwrap();
        assert_eq!(by.display_name.as_deref(), Some("User Name"));
        assert_eq!(by.id.as_deref(), Some("3b3db741-9d03-4e32-a7c0-6c3dfc2013c1"));
        assert_eq!(by.unique_name.as_deref(), Some("uniqueName"));
        assert_eq!(by.descriptor.as_deref(), Some("Descriptor"));
    }
}

#[tokio::test]
async fn configurations_get_answers_the_documented_configuration() {
    let server = fake().await;
    let policy = PolicyClient::new(&pat_config(&server.org_url()));
    let c = policy.configurations().get(PROJECT, 17).await.unwrap();
    let created_by = c.created_by.as_ref().unwrap();
    assert_eq!(created_by.id.as_deref(), Some("d6245f20-2af8-44f4-9451-8107cb2767db"));
    assert_eq!(created_by.display_name.as_deref(), Some("Normal Paulk"));
    assert_eq!(created_by.unique_name.as_deref(), Some("fabrikamfiber16@hotmail.com"));
    assert_eq!(
        created_by.url.as_deref(),
        Some("https://vssps.dev.azure.com/fabrikam/_apis/Identities/d6245f20-2af8-44f4-9451-8107cb2767db")
    );
    assert_eq!(
        created_by.image_url.as_deref(),
        Some("https://dev.azure.com/fabrikam/_api/_common/identityImage?id=d6245f20-2af8-44f4-9451-8107cb2767db")
    );
    assert_eq!(c.created_date.as_ref().unwrap().as_str(), "2015-02-23T12:51:06.85754Z");
    assert_eq!(
        (c.is_enabled, c.is_blocking, c.is_deleted),
        (Some(true), Some(true), Some(false))
    );
    assert_eq!((c.revision, c.id), (Some(2), Some(17)));
    assert_eq!(
        c.url.as_deref(),
        Some("https://dev.azure.com/fabrikam/_apis/policy/configurations/17")
    );
    let type_url = "https://dev.azure.com/fabrikam/1be3fc5b-c58c-4173-8fd7-6647d11eccd1/_apis/policy/types/fd2167ab-b0be-447a-8ec8-39368250530e";
    let links = c.links.as_ref().unwrap().0.as_ref().unwrap();
    assert_eq!(
        links["self"].href.as_deref(),
        Some("https://dev.azure.com/fabrikam/_apis/policy/configurations/17")
    );
    assert_eq!(links["type"].href.as_deref(), Some(type_url));
    let policy_type = c.type_.as_ref().unwrap();
    assert_eq!(policy_type.id, Some(uuid("fd2167ab-b0be-447a-8ec8-39368250530e")));
    assert_eq!(policy_type.url.as_deref(), Some(type_url));
    assert_eq!(policy_type.display_name.as_deref(), Some("Required reviewers"));
    let raw = serde_json::Value::Object(c.settings.as_ref().unwrap().0.clone().unwrap());
    assert_eq!(
        raw,
        json!({
            "requiredReviewerIds": ["1d1dad71-f27c-4370-810d-838ec41efd41", "13272ea3-92ef-46d1-b77e-608ebbf3428b"],
            "filenamePatterns": ["*/API*.cs", "sql/tables/*"],
            "addedFilesOnly": false,
            "message": null,
            "scope": [
                {"refName": "refs/heads/master", "matchKind": "Exact", "repositoryId": null},
                {"refName": "refs/heads/releases/", "matchKind": "Prefix", "repositoryId": null},
                {"refName": "refs/heads/adventureworks", "matchKind": "Exact", "repositoryId": "49c1d4d0-be28-4f20-9e0a-4ecfafc39257"}
            ]
        })
    );
    let PolicySettings::RequiredReviewers(settings) = c.typed_settings().unwrap() else {
        panic!("not typed by id")
    };
    assert_eq!(
        settings.required_reviewer_ids,
        Some(vec![
            uuid("1d1dad71-f27c-4370-810d-838ec41efd41"),
            uuid("13272ea3-92ef-46d1-b77e-608ebbf3428b")
        ])
    );
    assert_eq!(
        settings.filename_patterns,
        Some(vec!["*/API*.cs".to_string(), "sql/tables/*".to_string()])
    );
    assert_eq!(settings.added_files_only, Some(false));
    assert_eq!(settings.message, None);
    assert_eq!(
        settings.scope,
        vec![
            BranchScope::branch("refs/heads/master", MatchKind::Exact),
            BranchScope::branch("refs/heads/releases/", MatchKind::Prefix),
            BranchScope {
                repository_id: Some(uuid("49c1d4d0-be28-4f20-9e0a-4ecfafc39257")),
                ..BranchScope::branch("refs/heads/adventureworks", MatchKind::Exact)
            },
        ]
    );
    assert!(c.extra.is_empty(), "{:?}", c.extra);
}
