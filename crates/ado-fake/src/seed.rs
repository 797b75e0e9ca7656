//! The seeded data: the documented examples of the seed pages, and more of the same kind so that
//! every operation has something real to answer with.

use std::collections::BTreeMap;

use serde_json::{Value, json};
use uuid::Uuid;

use crate::state::{Org, PolicyRecord, Project};

/// The id of project `fabrikam-fiber-git`.
pub const PROJECT_ID: &str = "1be3fc5b-c58c-4173-8fd7-6647d11eccd1";
/// The authorization id of the seed page's PAT.
pub const SEED_PAT_ID: &str = "3d3aca0c-9ad3-4b07-8334-08ec8b1ddc32";
/// The required-reviewers policy type.
pub const REQUIRED_REVIEWERS_TYPE: &str = "fd2167ab-b0be-447a-8ec8-39368250530e";
/// The minimum-reviewers policy type.
pub const MINIMUM_REVIEWERS_TYPE: &str = "fa4e907d-c16b-4a4c-9dfa-4906e5d171dd";
/// The build policy type.
pub const BUILD_TYPE: &str = "0609b952-1397-4640-95ec-e00a01b2c241";
/// The file-size policy type.
pub const FILE_SIZE_TYPE: &str = "2e26e725-8201-4edd-8bf5-978563c34a80";

/// The well-known policy types: id, display name, description.
pub const POLICY_TYPES: &[(&str, &str, &str)] = &[
    (
        "fa4e907d-c16b-4a4c-9dfa-4906e5d171dd",
        "Minimum number of reviewers",
        "Require a minimum number of reviewers to approve a pull request.",
    ),
    (
        "fd2167ab-b0be-447a-8ec8-39368250530e",
        "Required reviewers",
        "Add the named reviewers to pull requests that change matching files.",
    ),
    (
        "0609b952-1397-4640-95ec-e00a01b2c241",
        "Build",
        "Require a successful build before a pull request completes.",
    ),
    (
        "c6a1889d-b943-4856-b76f-9e46bb6b0df2",
        "Comment requirements",
        "Require every comment on a pull request to be resolved.",
    ),
    (
        "40e92b44-2fe1-4dd6-b3d8-74a9c21d0c6e",
        "Work item linking",
        "Require pull requests to link work items.",
    ),
    (
        "fa4e907d-c16b-4a4c-9dfa-4916e5d171ab",
        "Require a merge strategy",
        "Limit the merge types allowed when a pull request completes.",
    ),
    (
        "cbdc66da-9728-4af8-aada-9a5a32e4a226",
        "Status",
        "Require another service to post a successful status.",
    ),
    (
        "2e26e725-8201-4edd-8bf5-978563c34a80",
        "File size restriction",
        "Refuse pushes that add files over a size.",
    ),
    (
        "51c78909-e838-41a2-9496-c647091e3c61",
        "File name restriction",
        "Refuse pushes that add files matching patterns.",
    ),
    (
        "7ed39669-655c-494e-b4a0-a08b4da0fcce",
        "Git repository settings",
        "Enforce consistent case in paths.",
    ),
    (
        "001a79cf-fda1-4c4e-9e7c-bac40ee5ead8",
        "Path Length restriction",
        "Refuse pushes with paths over a length.",
    ),
    (
        "db2b9b4c-180d-4529-9701-01541d19f36b",
        "Reserved names restriction",
        "Refuse pushes with names reserved by operating systems.",
    ),
    (
        "77ed4bd3-b063-4689-934a-175e4d0a78d7",
        "Commit author email validation",
        "Refuse pushes whose author email does not match patterns.",
    ),
];

/// The display name of a policy type.
pub fn policy_type_name(id: &str) -> Option<&'static str> {
    POLICY_TYPES
        .iter()
        .find(|(t, _, _)| t.eq_ignore_ascii_case(id))
        .map(|(_, name, _)| *name)
}

/// The identity that creates things in the fake.
pub fn identity() -> Value {
    json!({
        "id": "d6245f20-2af8-44f4-9451-8107cb2767db",
        "displayName": "Normal Paulk",
        "uniqueName": "fabrikamfiber16@hotmail.com",
        "url": "https://vssps.dev.azure.com/fabrikam/_apis/Identities/d6245f20-2af8-44f4-9451-8107cb2767db",
        "imageUrl": "https://dev.azure.com/fabrikam/_api/_common/identityImage?id=d6245f20-2af8-44f4-9451-8107cb2767db"
    })
}

fn authorizer() -> Value {
    json!({
        "displayName": "User Name",
        "id": "3b3db741-9d03-4e32-a7c0-6c3dfc2013c1",
        "uniqueName": "uniqueName",
        "descriptor": "Descriptor"
    })
}

/// The seed page's policy configuration 17 at a revision, with its reviewers.
fn configuration_17(revision: i32, reviewers: &[&str], patterns: &[&str]) -> Value {
    let type_url = format!("https://dev.azure.com/fabrikam/{PROJECT_ID}/_apis/policy/types/{REQUIRED_REVIEWERS_TYPE}");
    json!({
        "createdBy": identity(),
        "createdDate": "2015-02-23T12:51:06.85754Z",
        "isEnabled": true,
        "isBlocking": true,
        "isDeleted": false,
        "settings": {
            "requiredReviewerIds": reviewers,
            "filenamePatterns": patterns,
            "addedFilesOnly": false,
            "message": null,
            "scope": [
                {"refName": "refs/heads/master", "matchKind": "Exact", "repositoryId": null},
                {"refName": "refs/heads/releases/", "matchKind": "Prefix", "repositoryId": null},
                {"refName": "refs/heads/adventureworks", "matchKind": "Exact", "repositoryId": "49c1d4d0-be28-4f20-9e0a-4ecfafc39257"}
            ]
        },
        "_links": {
            "self": {"href": "https://dev.azure.com/fabrikam/_apis/policy/configurations/17"},
            "type": {"href": type_url}
        },
        "revision": revision,
        "id": 17,
        "url": "https://dev.azure.com/fabrikam/_apis/policy/configurations/17",
        "type": {"id": REQUIRED_REVIEWERS_TYPE, "url": type_url, "displayName": "Required reviewers"}
    })
}

fn simple_configuration(id: i32, type_id: &str, blocking: bool, settings: Value) -> Value {
    let mut doc = crate::state::policy_document(
        "fabrikam",
        PROJECT_ID.parse().unwrap_or_default(),
        id,
        1,
        &json!({"isEnabled": true, "isBlocking": blocking, "type": {"id": type_id}, "settings": settings}),
        &identity(),
    );
    // Seeded data is the same on every start.
    doc["createdDate"] = json!("2020-10-01T08:00:00Z");
    doc
}

fn pipeline(id: i32, name: &str, folder: &str) -> Value {
    let url = format!("https://dev.azure.com/fabrikam/{PROJECT_ID}/_apis/pipelines/{id}?revision=1");
    json!({
        "_links": {
            "self": {"href": url},
            "web": {"href": format!("https://dev.azure.com/fabrikam/{PROJECT_ID}/_build/definition?definitionId={id}")}
        },
        "configuration": {
            "path": "azure-pipelines.yml",
            "repository": {"id": "49c1d4d0-be28-4f20-9e0a-4ecfafc39257", "type": "azureReposGit"},
            "type": "yaml"
        },
        "url": url,
        "id": id,
        "revision": 1,
        "name": name,
        "folder": folder
    })
}

/// A run document.
pub fn run_document(
    pipeline: &Value,
    run_id: i32,
    state: &str,
    result: Option<&str>,
    created: &str,
    finished: Option<&str>,
) -> Value {
    let pipeline_id = pipeline.get("id").cloned().unwrap_or(Value::Null);
    let url = format!("https://dev.azure.com/fabrikam/{PROJECT_ID}/_apis/pipelines/{pipeline_id}/runs/{run_id}");
    let mut run = json!({
        "_links": {
            "self": {"href": url},
            "pipeline": {"href": format!("https://dev.azure.com/fabrikam/{PROJECT_ID}/_apis/pipelines/{pipeline_id}?revision=1")}
        },
        "pipeline": {
            "url": format!("https://dev.azure.com/fabrikam/{PROJECT_ID}/_apis/pipelines/{pipeline_id}?revision=1"),
            "id": pipeline_id,
            "revision": 1,
            "name": pipeline.get("name").cloned().unwrap_or(Value::Null),
            "folder": pipeline.get("folder").cloned().unwrap_or(Value::Null)
        },
        "state": state,
        "createdDate": created,
        "url": url,
        "resources": {"repositories": {"self": {"repository": {"id": "49c1d4d0-be28-4f20-9e0a-4ecfafc39257", "type": "azureReposGit"}, "refName": "refs/heads/master", "version": "7fb1e1e1a0a9d4b3d3a5a6c9f8e1d2c3b4a59687"}}},
        "templateParameters": {"environment": "staging"},
        "id": run_id,
        "name": format!("20201102.{run_id}")
    });
    if let Some(result) = result {
        run["result"] = json!(result);
    }
    if let Some(finished) = finished {
        run["finishedDate"] = json!(finished);
    }
    run
}

/// Logs of a run.
pub fn logs_for(pipeline_id: i32, run_id: i32, created: &str) -> Vec<Value> {
    (1..=3)
        .map(|id| {
            json!({
                "lineCount": 10 * id,
                "createdOn": created,
                "lastChangedOn": created,
                "id": id,
                "url": format!("https://dev.azure.com/fabrikam/{PROJECT_ID}/_apis/pipelines/{pipeline_id}/runs/{run_id}/logs/{id}")
            })
        })
        .collect()
}

/// Artifacts of a run.
pub fn artifacts_for(pipeline_id: i32, run_id: i32) -> Vec<Value> {
    ["drop", "coverage"]
        .iter()
        .map(|name| {
            json!({
                "name": name,
                "url": format!("https://dev.azure.com/fabrikam/{PROJECT_ID}/_apis/pipelines/{pipeline_id}/runs/{run_id}/artifacts?artifactName={name}")
            })
        })
        .collect()
}

fn pat(name: &str, scope: &str, id: &str, valid_from: &str, valid_to: &str, targets: Option<&[&str]>) -> Value {
    json!({
        "displayName": name,
        "validTo": valid_to,
        "scope": scope,
        "targetAccounts": targets,
        "validFrom": valid_from,
        "authorizationId": id,
        "token": null
    })
}

fn permission_entry(id: i32, on: &str) -> Value {
    json!({"id": id, "authorized": true, "authorizedBy": authorizer(), "authorizedOn": on})
}

/// Organization `fabrikam`.
pub fn fabrikam() -> Org {
    let project_id: Uuid = PROJECT_ID.parse().unwrap_or_default();
    let mut project = Project::new(project_id, "fabrikam-fiber-git");
    project.repositories = crate::repositories::seed("fabrikam", project_id, "fabrikam-fiber-git");

    // Policy configurations: the seed page's 17 (two revisions) and one of several other types.
    let first = configuration_17(1, &["1d1dad71-f27c-4370-810d-838ec41efd41"], &["*/API*.cs"]);
    let second = configuration_17(
        2,
        &[
            "1d1dad71-f27c-4370-810d-838ec41efd41",
            "13272ea3-92ef-46d1-b77e-608ebbf3428b",
        ],
        &["*/API*.cs", "sql/tables/*"],
    );
    let branch = |ref_name: &str| json!([{"refName": ref_name, "matchKind": "Exact", "repositoryId": null}]);
    let others = [
        (
            18,
            MINIMUM_REVIEWERS_TYPE,
            true,
            json!({"minimumApproverCount": 2, "creatorVoteCounts": false, "allowDownvotes": false, "resetOnSourcePush": true, "scope": branch("refs/heads/master")}),
        ),
        (
            19,
            BUILD_TYPE,
            true,
            json!({"buildDefinitionId": 1, "queueOnSourceUpdateOnly": true, "manualQueueOnly": false, "displayName": "CI", "validDuration": 720.0, "scope": branch("refs/heads/master")}),
        ),
        (
            20,
            "c6a1889d-b943-4856-b76f-9e46bb6b0df2",
            false,
            json!({"scope": branch("refs/heads/master")}),
        ),
        (
            21,
            "40e92b44-2fe1-4dd6-b3d8-74a9c21d0c6e",
            false,
            json!({"scope": branch("refs/heads/master")}),
        ),
        (
            22,
            "fa4e907d-c16b-4a4c-9dfa-4916e5d171ab",
            true,
            json!({"allowSquash": true, "allowNoFastForward": false, "allowRebase": false, "allowRebaseMerge": false, "scope": branch("refs/heads/master")}),
        ),
        (
            23,
            FILE_SIZE_TYPE,
            true,
            json!({"MaximumGitBlobSizeInBytes": 104857600, "UseUncompressedSize": false, "scope": [{"repositoryId": null}]}),
        ),
        (
            24,
            "77ed4bd3-b063-4689-934a-175e4d0a78d7",
            true,
            json!({"authorEmailPatterns": ["*@fabrikam.com"], "scope": [{"repositoryId": null}]}),
        ),
    ];
    project.policies.insert(
        17,
        PolicyRecord {
            revisions: vec![first, second],
            deleted: false,
        },
    );
    for (id, type_id, blocking, settings) in others {
        project.policies.insert(
            id,
            PolicyRecord {
                revisions: vec![simple_configuration(id, type_id, blocking, settings)],
                deleted: false,
            },
        );
    }
    project.next_policy_id = 25;

    // Evaluations of pull request 1.
    let artifact = format!("vstfs:///CodeReview/CodeReviewId/{PROJECT_ID}/1");
    for (i, (policy_id, status)) in [(17, "approved"), (18, "queued"), (19, "running"), (20, "notApplicable")]
        .iter()
        .enumerate()
    {
        let configuration = project
            .policies
            .get(policy_id)
            .map(|r| r.current().clone())
            .unwrap_or(Value::Null);
        let evaluation_id = format!("{:08x}-0000-4000-8000-{:012x}", 0x1a2b3c4d + i, i + 1);
        project.evaluations.push(json!({
            "configuration": configuration,
            "artifactId": artifact,
            "evaluationId": evaluation_id,
            "startedDate": "2020-11-02T10:00:00Z",
            "completedDate": if *status == "approved" { json!("2020-11-02T10:05:00Z") } else { Value::Null },
            "status": status,
            "context": {"lastMergeCommitId": "b0f2e6c7c5f3a1d4e8f9a0b1c2d3e4f5a6b7c8d9", "isExpired": false}
        }));
    }

    // Pipelines, runs, logs, artifacts.
    let pipelines = [
        pipeline(1, "fabrikam-ci", "\\"),
        pipeline(2, "fabrikam-release", "\\release"),
        pipeline(3, "nightly", "\\"),
    ];
    for p in &pipelines {
        let id = p["id"].as_i64().unwrap_or(0) as i32;
        project.pipelines.insert(id, p.clone());
    }
    project.next_pipeline_id = 4;
    let mut run_id = 1;
    for p in &pipelines {
        let pipeline_id = p["id"].as_i64().unwrap_or(0) as i32;
        let mut runs = Vec::new();
        for (state, result, created, finished) in [
            (
                "completed",
                Some("succeeded"),
                "2020-11-02T09:00:00Z",
                Some("2020-11-02T09:07:30Z"),
            ),
            (
                "completed",
                Some("failed"),
                "2020-11-03T09:00:00Z",
                Some("2020-11-03T09:04:10Z"),
            ),
        ] {
            runs.push(run_document(p, run_id, state, result, created, finished));
            project
                .logs
                .insert((pipeline_id, run_id), logs_for(pipeline_id, run_id, created));
            project
                .artifacts
                .insert((pipeline_id, run_id), artifacts_for(pipeline_id, run_id));
            run_id += 1;
        }
        project.runs.insert(pipeline_id, runs);
    }
    project.next_run_id = run_id;

    // Pipeline permissions: the seed page's queue 1, and one resource of each other type.
    let mut permissions = BTreeMap::new();
    permissions.insert(
        ("queue".to_string(), "1".to_string()),
        json!({
            "resource": {"type": "queue", "id": "1"},
            "pipelines": [
                permission_entry(6, "2020-01-02T08:59:48.77Z"),
                permission_entry(15, "2020-11-19T08:14:49.26Z"),
                permission_entry(16, "2020-11-20T15:10:54.187Z")
            ]
        }),
    );
    permissions.insert(
        ("environment".to_string(), "1".to_string()),
        json!({"resource": {"type": "environment", "id": "1"}, "pipelines": [permission_entry(16, "2020-11-20T15:10:54.187Z")]}),
    );
    project.permissions = permissions;

    // The seed page's token (expired since 2020), and tokens of our own that are still valid.
    let pats = vec![
        pat(
            "analytics_token",
            "vso.analytics",
            SEED_PAT_ID,
            "2020-10-29T17:26:46.72Z",
            "2020-12-01T23:46:23.32Z",
            Some(&["38aaa865-2c70-4bf7-a308-0c6539c38c1a"]),
        ),
        pat(
            "release-automation",
            "vso.build_execute vso.release",
            "0b7f5c1e-2d4a-4c38-9f61-7a2e8b9d3c41",
            "2026-01-05T08:00:00Z",
            "2030-01-05T08:00:00Z",
            None,
        ),
        pat(
            "backlog-sync",
            "vso.work_write",
            "5e9a1d27-84c3-4f0b-b2d6-1c8f7e3a9b52",
            "2026-02-11T13:30:00Z",
            "2030-02-11T13:30:00Z",
            Some(&["38aaa865-2c70-4bf7-a308-0c6539c38c1a"]),
        ),
        pat(
            "code-reader",
            "vso.code",
            "9c4e2b83-6f1a-4d57-a0e9-3b7d5c1f8e24",
            "2026-03-20T17:45:00Z",
            "2030-03-20T17:45:00Z",
            None,
        ),
    ];

    Org {
        name: "fabrikam".to_string(),
        projects: vec![project],
        pats,
    }
}
