//! The git area end to end against the fake: the exact request of each operation (as `insta`
//! snapshots), what it answers, and the policy crate's typed settings read from what git returns.

mod common;

use ado_git::GitClient;
use ado_git::types::{
    GitRefUpdate, GitRefUpdateStatus, GitRepository, GitRepositoryCreateOptions, TeamProjectReference,
};
use ado_policy::PolicyClient;
use ado_policy::settings::PolicySettings;
use common::{PROJECT, Recorder, pat_config};
use futures::TryStreamExt;
use insta::assert_json_snapshot;

/// The seeded repository that configuration 17's scope names.
const FIBER: &str = "49c1d4d0-be28-4f20-9e0a-4ecfafc39257";
const MASTER_OBJECT: &str = "7fb1e1e1a0a9d4b3d3a5a6c9f8e1d2c3b4a59687";
const NONE: &str = "0000000000000000000000000000000000000000";
/// The seeded `refs/heads/releases/2.0`, which another user has locked.
const RELEASE_2_OBJECT: &str = "d3b5c6e7f8091a2b3c4d5e6f708192a3b4c5d6e7";

fn git(recorder: &Recorder) -> GitClient {
    GitClient::new(&pat_config(&recorder.org_url))
}

/// Create a repository given only its name.
async fn create_named(client: &GitClient, name: &str) -> ado_git::Result<GitRepository> {
    let options = GitRepositoryCreateOptions {
        name: Some(name.into()),
        ..Default::default()
    };
    client.repositories().create(PROJECT, options).await
}

fn fiber() -> uuid::Uuid {
    FIBER.parse().unwrap()
}

// ---- requests -------------------------------------------------------------------------------

#[tokio::test]
async fn repositories_list_gets_the_projects_repositories() {
    let recorder = Recorder::start().await;
    let list = git(&recorder)
        .repositories()
        .list(PROJECT)
        .include_hidden(true)
        .await
        .unwrap();
    let names: Vec<_> = list.value.iter().filter_map(|r| r.name.as_deref()).collect();
    assert_eq!(names, ["fabrikam-fiber-git", "fabrikam-docs"]);
    assert_json_snapshot!(recorder.only());
}

#[tokio::test]
async fn repositories_get_names_the_repository_by_name_or_id() {
    let recorder = Recorder::start().await;
    let by_name = git(&recorder)
        .repositories()
        .get(PROJECT, "fabrikam-fiber-git")
        .await
        .unwrap();
    assert_eq!(by_name.id, Some(fiber()));
    assert_eq!(by_name.default_branch.as_deref(), Some("refs/heads/master"));
    assert_json_snapshot!(recorder.only());
}

#[tokio::test]
async fn repositories_create_posts_the_name_and_project() {
    let recorder = Recorder::start().await;
    let options = GitRepositoryCreateOptions {
        name: Some("fabrikam-tools".into()),
        project: Some(TeamProjectReference {
            id: ado_fake::PROJECT_ID.parse().ok(),
            ..Default::default()
        }),
        ..Default::default()
    };
    let created = git(&recorder).repositories().create(PROJECT, options).await.unwrap();
    assert_eq!(created.name.as_deref(), Some("fabrikam-tools"));
    assert_eq!(created.default_branch, None);
    let mut sent = recorder.only();
    sent["response"] = serde_json::Value::Null; // the new id is random
    assert_json_snapshot!(sent);
}

#[tokio::test]
async fn repositories_update_patches_the_default_branch() {
    let recorder = Recorder::start().await;
    let change = GitRepository {
        default_branch: Some("refs/heads/adventureworks".into()),
        ..Default::default()
    };
    let updated = git(&recorder)
        .repositories()
        .update(PROJECT, fiber(), change)
        .await
        .unwrap();
    assert_eq!(updated.default_branch.as_deref(), Some("refs/heads/adventureworks"));
    assert_eq!(updated.name.as_deref(), Some("fabrikam-fiber-git"));
    assert_json_snapshot!(recorder.only());
}

#[tokio::test]
async fn repositories_delete_names_the_repository() {
    let recorder = Recorder::start().await;
    let docs: uuid::Uuid = "8a0f4b1e-6c2d-4e3f-9a1b-2c3d4e5f6a7b".parse().unwrap();
    let client = git(&recorder);
    client.repositories().delete(PROJECT, docs).await.unwrap();
    assert_json_snapshot!(recorder.only());
    let gone = client.repositories().get(PROJECT, "fabrikam-docs").await.unwrap_err();
    assert_eq!(gone.status(), Some(404));
}

#[tokio::test]
async fn refs_list_sends_the_filter_top_and_continuation_token() {
    let recorder = Recorder::start().await;
    let page = git(&recorder)
        .refs()
        .list(PROJECT, FIBER)
        .filter("heads/releases/")
        .top(1)
        .send_with_response()
        .await
        .unwrap();
    let names: Vec<_> = page.value().value.iter().filter_map(|r| r.name.as_deref()).collect();
    assert_eq!(names, ["refs/heads/releases/1.0"]);
    assert!(page.continuation_token().is_some());
    assert_json_snapshot!(recorder.only());
}

#[tokio::test]
async fn refs_update_refs_posts_the_updates() {
    let recorder = Recorder::start().await;
    let create = GitRefUpdate {
        name: Some("refs/heads/feature/x".into()),
        old_object_id: Some(NONE.into()),
        new_object_id: Some(MASTER_OBJECT.into()),
        ..Default::default()
    };
    let client = git(&recorder);
    let results = client.refs().update_refs(PROJECT, FIBER, vec![create]).await.unwrap();
    assert_eq!(results.value[0].update_status, Some(GitRefUpdateStatus::Succeeded));
    assert_eq!(results.value[0].success, Some(true));
    assert_json_snapshot!(recorder.only());
    let listed = client
        .refs()
        .list(PROJECT, FIBER)
        .filter("heads/feature/")
        .await
        .unwrap();
    assert_eq!(listed.value[0].object_id.as_deref(), Some(MASTER_OBJECT));
}

#[tokio::test]
async fn refs_update_ref_patches_the_lock_of_the_filtered_ref() {
    let recorder = Recorder::start().await;
    let lock = GitRefUpdate {
        is_locked: Some(true),
        ..Default::default()
    };
    let locked = git(&recorder)
        .refs()
        .update_ref(PROJECT, FIBER, "heads/master", lock)
        .await
        .unwrap();
    assert_eq!(locked.is_locked, Some(true));
    assert!(locked.is_locked_by.is_some());
    assert_json_snapshot!(recorder.only());
}

#[tokio::test]
async fn policy_configurations_list_sends_repository_ref_and_type() {
    let recorder = Recorder::start().await;
    let list = git(&recorder)
        .policy_configurations()
        .list(PROJECT)
        .repository_id(fiber())
        .ref_name("refs/heads/adventureworks")
        .policy_type(ado_policy::settings::type_ids::REQUIRED_REVIEWERS)
        .await
        .unwrap();
    let ids: Vec<_> = list.value.iter().filter_map(|c| c.id).collect();
    assert_eq!(ids, [17]);
    assert_json_snapshot!(recorder.only());
}

// ---- behaviour ------------------------------------------------------------------------------

#[tokio::test]
async fn the_policies_of_a_branch_are_those_whose_scope_names_it_or_no_ref() {
    let recorder = Recorder::start().await;
    let ids = |ref_name: &'static str| {
        let client = git(&recorder);
        async move {
            let configurations: Vec<_> = client
                .policy_configurations()
                .list(PROJECT)
                .repository_id(fiber())
                .ref_name(ref_name)
                .items()
                .try_collect()
                .await
                .unwrap();
            configurations.into_iter().filter_map(|c| c.id).collect::<Vec<_>>()
        }
    };
    // Master: every seeded policy (17 by an exact scope, the others by master or no ref).
    assert_eq!(ids("refs/heads/master").await, [17, 18, 19, 20, 21, 22, 23, 24]);
    // A release branch: 17 by its prefix scope, and the repository-wide 23 and 24.
    assert_eq!(ids("refs/heads/releases/1.0").await, [17, 23, 24]);
    // A branch no scope names: only the repository-wide policies.
    assert_eq!(ids("refs/heads/feature/x").await, [23, 24]);
}

#[tokio::test]
async fn policy_configurations_page_by_the_continuation_header() {
    let recorder = Recorder::start().await;
    let pages: Vec<_> = git(&recorder)
        .policy_configurations()
        .list(PROJECT)
        .repository_id(fiber())
        .ref_name("refs/heads/master")
        .top(3)
        .pages()
        .try_collect()
        .await
        .unwrap();
    let sizes: Vec<usize> = pages.iter().map(|p| p.items.len()).collect();
    assert_eq!(sizes, [3, 3, 2]);
    let ids: Vec<i32> = pages.iter().flat_map(|p| &p.items).filter_map(|c| c.id).collect();
    assert_eq!(ids, (17..=24).collect::<Vec<_>>());
}

#[tokio::test]
async fn typed_settings_read_what_the_git_area_returns_as_the_policy_area_reads_it() {
    let recorder = Recorder::start().await;
    let config = pat_config(&recorder.org_url);
    let from_git: Vec<_> = GitClient::new(&config)
        .policy_configurations()
        .list(PROJECT)
        .repository_id(fiber())
        .ref_name("refs/heads/master")
        .items()
        .try_collect()
        .await
        .unwrap();
    assert_eq!(from_git.len(), 8);
    let policy = PolicyClient::new(&config);
    for configuration in &from_git {
        let converted = ado_policy::types::PolicyConfiguration::from_serialized(configuration).unwrap();
        let id = configuration.id.unwrap();
        let direct = policy.configurations().get(PROJECT, id).await.unwrap();
        assert_eq!(
            converted.typed_settings().unwrap(),
            direct.typed_settings().unwrap(),
            "configuration {id}"
        );
    }
    let seventeen = from_git.iter().find(|c| c.id == Some(17)).unwrap();
    let typed = ado_policy::types::PolicyConfiguration::from_serialized(seventeen)
        .unwrap()
        .typed_settings();
    assert!(matches!(typed, Ok(PolicySettings::RequiredReviewers(_))));
}

#[tokio::test]
async fn a_ref_moves_only_from_its_current_object() {
    let recorder = Recorder::start().await;
    let stale = update("refs/heads/master", NONE, MASTER_OBJECT);
    let answer = git(&recorder)
        .refs()
        .update_refs(PROJECT, FIBER, vec![stale])
        .await
        .unwrap();
    assert_eq!(
        answer.value[0].update_status,
        Some(GitRefUpdateStatus::StaleOldObjectId)
    );
    assert_eq!(answer.value[0].success, Some(false));
}

#[tokio::test]
async fn a_ref_locked_by_someone_else_cannot_be_changed() {
    let recorder = Recorder::start().await;
    let delete = update("refs/heads/releases/2.0", RELEASE_2_OBJECT, NONE);
    let answer = git(&recorder)
        .refs()
        .update_refs(PROJECT, FIBER, vec![delete])
        .await
        .unwrap();
    assert_eq!(answer.value[0].update_status, Some(GitRefUpdateStatus::Locked));
    assert_eq!(answer.value[0].is_locked, Some(true));
}

#[tokio::test]
async fn who_locked_a_ref_can_still_move_it_and_it_stays_locked() {
    let recorder = Recorder::start().await;
    let client = git(&recorder);
    let lock = GitRefUpdate {
        is_locked: Some(true),
        ..Default::default()
    };
    client
        .refs()
        .update_ref(PROJECT, FIBER, "heads/master", lock)
        .await
        .unwrap();
    let moved = update("refs/heads/master", MASTER_OBJECT, RELEASE_2_OBJECT);
    let answer = client.refs().update_refs(PROJECT, FIBER, vec![moved]).await.unwrap();
    assert_eq!(answer.value[0].update_status, Some(GitRefUpdateStatus::Succeeded));
    let master = client.refs().list(PROJECT, FIBER).filter("heads/master").await.unwrap();
    assert_eq!(master.value[0].is_locked, Some(true));
}

#[tokio::test]
async fn a_fork_holds_the_parents_source_ref_and_names_its_parent() {
    let recorder = Recorder::start().await;
    let client = git(&recorder);
    let options = GitRepositoryCreateOptions {
        name: Some("fiber-fork".into()),
        parent_repository: Some(ado_git::types::GitRepositoryRef {
            id: Some(fiber()),
            ..Default::default()
        }),
        ..Default::default()
    };
    let fork = client
        .repositories()
        .create(PROJECT, options)
        .source_ref("refs/heads/master")
        .await
        .unwrap();
    assert_eq!(fork.is_fork, Some(true));
    assert_eq!(fork.parent_repository.and_then(|p| p.id), Some(fiber()));
    assert_eq!(fork.default_branch.as_deref(), Some("refs/heads/master"));
    let refs = client
        .refs()
        .list(PROJECT, &fork.id.unwrap().to_string())
        .await
        .unwrap();
    let names: Vec<_> = refs.value.iter().filter_map(|r| r.name.as_deref()).collect();
    assert_eq!(names, ["refs/heads/master"]);
}

#[tokio::test]
async fn a_missing_repository_is_a_not_found_error_with_the_services_type_key() {
    let recorder = Recorder::start().await;
    let error = git(&recorder)
        .repositories()
        .get(PROJECT, "no-such-repository")
        .await
        .unwrap_err();
    assert_eq!(error.kind(), &ado_git::ErrorKind::Service);
    assert_eq!(error.status(), Some(404));
    assert_eq!(error.type_key(), Some("GitRepositoryNotFoundException"));
}

#[tokio::test]
async fn a_second_repository_of_one_name_is_refused_as_a_conflict() {
    let recorder = Recorder::start().await;
    let error = create_named(&git(&recorder), "FABRIKAM-DOCS").await.unwrap_err();
    assert_eq!(error.status(), Some(409));
    assert_eq!(error.type_key(), Some("GitRepositoryNameAlreadyExistsException"));
}

fn update(name: &str, old: &str, new: &str) -> GitRefUpdate {
    GitRefUpdate {
        name: Some(name.into()),
        old_object_id: Some(old.into()),
        new_object_id: Some(new.into()),
        ..Default::default()
    }
}

#[tokio::test]
async fn refs_made_between_pages_neither_repeat_nor_skip_a_ref() {
    let recorder = Recorder::start().await;
    let client = git(&recorder);
    let first = client
        .refs()
        .list(PROJECT, FIBER)
        .top(2)
        .send_with_response()
        .await
        .unwrap();
    let token = first.continuation_token().unwrap().to_string();
    // A ref that sorts before the page boundary, made between the two pages.
    client
        .refs()
        .update_refs(PROJECT, FIBER, vec![update("refs/heads/aaa", NONE, MASTER_OBJECT)])
        .await
        .unwrap();
    let rest: Vec<_> = client
        .refs()
        .list(PROJECT, FIBER)
        .top(2)
        .continuation_token(token)
        .send()
        .await
        .unwrap()
        .value;
    let mut names: Vec<_> = first
        .value()
        .value
        .iter()
        .chain(&rest)
        .filter_map(|r| r.name.clone())
        .collect();
    let seen = names.len();
    names.dedup();
    assert_eq!(names.len(), seen, "{names:?}");
    assert_eq!(
        names,
        [
            "refs/heads/adventureworks",
            "refs/heads/master",
            "refs/heads/releases/1.0",
            "refs/heads/releases/2.0"
        ]
    );
}

#[tokio::test]
async fn a_page_of_more_than_1000_refs_is_refused() {
    let recorder = Recorder::start().await;
    let error = git(&recorder).refs().list(PROJECT, FIBER).top(1001).await.unwrap_err();
    assert_eq!(error.status(), Some(400));
}

#[tokio::test]
async fn names_git_refuses_are_invalid_and_a_name_under_an_existing_ref_conflicts() {
    let recorder = Recorder::start().await;
    let updates = [
        "refs/heads/a..b",
        "refs/heads/x.lock",
        "refs/heads/sp ace",
        "refs/heads/master/sub",
    ]
    .map(|name| update(name, NONE, MASTER_OBJECT))
    .to_vec();
    let answer = git(&recorder)
        .refs()
        .update_refs(PROJECT, FIBER, updates)
        .await
        .unwrap();
    let statuses: Vec<_> = answer.value.iter().filter_map(|u| u.update_status.clone()).collect();
    assert_eq!(
        statuses,
        [
            GitRefUpdateStatus::InvalidRefName,
            GitRefUpdateStatus::InvalidRefName,
            GitRefUpdateStatus::InvalidRefName,
            GitRefUpdateStatus::RefNameConflict,
        ]
    );
}

#[tokio::test]
async fn object_ids_compare_without_case() {
    let recorder = Recorder::start().await;
    let moved = update("refs/heads/master", &MASTER_OBJECT.to_uppercase(), NONE);
    let answer = git(&recorder)
        .refs()
        .update_refs(PROJECT, FIBER, vec![moved])
        .await
        .unwrap();
    assert_eq!(answer.value[0].update_status, Some(GitRefUpdateStatus::Succeeded));
}

#[tokio::test]
async fn the_first_branch_of_a_new_repository_becomes_its_default() {
    let recorder = Recorder::start().await;
    let client = git(&recorder);
    let created = create_named(&client, "fresh").await.unwrap();
    let id = created.id.unwrap().to_string();
    client
        .refs()
        .update_refs(PROJECT, &id, vec![update("refs/heads/main", NONE, MASTER_OBJECT)])
        .await
        .unwrap();
    let read = client.repositories().get(PROJECT, &id).await.unwrap();
    assert_eq!(read.default_branch.as_deref(), Some("refs/heads/main"));
}

#[tokio::test]
async fn a_repository_name_the_service_reserves_is_refused() {
    let recorder = Recorder::start().await;
    let error = create_named(&git(&recorder), "_private").await.unwrap_err();
    assert_eq!(error.status(), Some(400));
    assert!(error.to_string().contains("cannot start with `_`"), "{error}");
}

#[tokio::test]
async fn a_tag_cannot_be_the_default_branch() {
    let recorder = Recorder::start().await;
    let change = GitRepository {
        default_branch: Some("refs/tags/v1.0".into()),
        ..Default::default()
    };
    let error = git(&recorder)
        .repositories()
        .update(PROJECT, fiber(), change)
        .await
        .unwrap_err();
    assert_eq!(error.status(), Some(400));
}

#[tokio::test]
async fn a_fork_names_its_parent_by_id() {
    let recorder = Recorder::start().await;
    let options: GitRepositoryCreateOptions =
        serde_json::from_value(serde_json::json!({"name": "fork", "parentRepository": {"name": "fabrikam-fiber-git"}}))
            .unwrap();
    let error = git(&recorder)
        .repositories()
        .create(PROJECT, options)
        .await
        .unwrap_err();
    assert_eq!(error.status(), Some(400));
}
