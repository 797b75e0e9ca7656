//! `ado policy <type> create|update` with typed flags, against the fake: each well-known type is
//! created from flags and read back; an update changes what its flags name and nothing else.

mod common;

use ado_fake::{FakeOptions, FakeServer};
use common::ado_at;
use serde_json::{Value, json};

const PAT: &str = "policy-types-pat";

fn ado(server: &FakeServer, args: &[&str]) -> Value {
    let output = ado_at(server, PAT).args(["-o", "json"]).args(args).output().unwrap();
    assert!(
        output.status.success(),
        "{args:?}: {}",
        String::from_utf8_lossy(&output.stderr)
    );
    serde_json::from_slice(&output.stdout).unwrap()
}

const REPOSITORY: &str = "49c1d4d0-be28-4f20-9e0a-4ecfafc39257";

fn branch_scope() -> Value {
    json!([{"repositoryId": REPOSITORY, "refName": "refs/heads/main", "matchKind": "Exact"}])
}

fn repository_scope() -> Value {
    json!([{"repositoryId": REPOSITORY}])
}

#[tokio::test(flavor = "multi_thread")]
async fn every_policy_type_is_created_from_typed_flags_and_read_back() {
    let server = FakeServer::start(FakeOptions::default().pat(PAT)).await.unwrap();
    let branch = ["--branch", "main", "--repository-id", REPOSITORY];
    let repository = ["--repository-id", REPOSITORY];
    let cases: Vec<(&str, Vec<&str>, &str, Value)> = vec![
        (
            "approver-count",
            vec!["--minimum-approver-count", "2", "--creator-vote-counts", "false"],
            "fa4e907d-c16b-4a4c-9dfa-4906e5d171dd",
            json!({"minimumApproverCount": 2, "creatorVoteCounts": false, "scope": branch_scope()}),
        ),
        (
            "required-reviewer",
            vec![
                "--required-reviewer-ids",
                "d6245f20-2af8-44f4-9451-8107cb2767db",
                "--message",
                "Ask the DBA, please",
            ],
            "fd2167ab-b0be-447a-8ec8-39368250530e",
            json!({"requiredReviewerIds": ["d6245f20-2af8-44f4-9451-8107cb2767db"], "message": "Ask the DBA, please", "scope": branch_scope()}),
        ),
        (
            "build",
            vec![
                "--build-definition-id",
                "12",
                "--valid-duration",
                "720",
                "--path-filter",
                "/src/*",
            ],
            "0609b952-1397-4640-95ec-e00a01b2c241",
            json!({"buildDefinitionId": 12, "validDuration": 720.0, "filenamePatterns": ["/src/*"], "scope": branch_scope()}),
        ),
        (
            "comment-required",
            vec![],
            "c6a1889d-b943-4856-b76f-9e46bb6b0df2",
            json!({"scope": branch_scope()}),
        ),
        (
            "work-item-linking",
            vec![],
            "40e92b44-2fe1-4dd6-b3d8-74a9c21d0c6e",
            json!({"scope": branch_scope()}),
        ),
        (
            "merge-strategy",
            vec!["--allow-squash", "true", "--allow-rebase", "false"],
            "fa4e907d-c16b-4a4c-9dfa-4916e5d171ab",
            json!({"allowSquash": true, "allowRebase": false, "scope": branch_scope()}),
        ),
        (
            "file-size",
            vec!["--maximum-git-blob-size", "1048576"],
            "2e26e725-8201-4edd-8bf5-978563c34a80",
            json!({"maximumGitBlobSizeInBytes": 1048576, "scope": repository_scope()}),
        ),
        (
            "file-path",
            vec!["--filepath-patterns", "*.exe", "--filepath-patterns", "/secrets/*"],
            "51c78909-e838-41a2-9496-c647091e3c61",
            json!({"filenamePatterns": ["*.exe", "/secrets/*"], "scope": repository_scope()}),
        ),
        (
            "case-enforcement",
            vec!["--enforce-consistent-case", "true"],
            "7ed39669-655c-494e-b4a0-a08b4da0fcce",
            json!({"enforceConsistentCase": true, "scope": repository_scope()}),
        ),
        (
            "max-path-length",
            vec!["--max-path-length", "248"],
            "001a79cf-fda1-4c4e-9e7c-bac40ee5ead8",
            json!({"maxPathLength": 248, "scope": repository_scope()}),
        ),
        (
            "reserved-names",
            vec![],
            "db2b9b4c-180d-4529-9701-01541d19f36b",
            json!({"scope": repository_scope()}),
        ),
    ];
    for (subcommand, flags, type_id, settings) in cases {
        let scope: &[&str] = if settings["scope"][0].get("refName").is_some() {
            &branch
        } else {
            &repository
        };
        let mut args = vec!["policy", subcommand, "create"];
        args.extend_from_slice(scope);
        args.extend(flags.iter());
        let created = ado(&server, &args);
        let id = created["id"].as_i64().unwrap().to_string();
        let read = ado(&server, &["policy", "get", "--id", &id]);
        assert_eq!(read["type"]["id"], type_id, "{subcommand}");
        assert_eq!(read["settings"], settings, "{subcommand}");
        assert_eq!(
            (&read["isBlocking"], &read["isEnabled"]),
            (&json!(true), &json!(true)),
            "{subcommand}"
        );
    }
    server.stop().await;
}

#[tokio::test(flavor = "multi_thread")]
async fn an_update_changes_only_what_its_flags_name() {
    let server = FakeServer::start(FakeOptions::default().pat(PAT)).await.unwrap();
    let before = ado(&server, &["policy", "get", "--id", "18"]);
    let updated = ado(
        &server,
        &[
            "policy",
            "approver-count",
            "update",
            "--id",
            "18",
            "--minimum-approver-count",
            "3",
            "--blocking",
            "false",
        ],
    );
    assert_eq!(updated["revision"], before["revision"].as_i64().unwrap() + 1);
    let mut expected = before["settings"].clone();
    expected["minimumApproverCount"] = json!(3);
    let after = ado(&server, &["policy", "get", "--id", "18"]);
    assert_eq!(after["settings"], expected);
    assert_eq!(after["isBlocking"], false);
    assert_eq!(after["isEnabled"], before["isEnabled"]);
    server.stop().await;
}

#[tokio::test(flavor = "multi_thread")]
async fn an_update_of_another_type_is_refused() {
    let server = FakeServer::start(FakeOptions::default().pat(PAT)).await.unwrap();
    let output = ado_at(&server, PAT)
        .args([
            "policy",
            "file-size",
            "update",
            "--id",
            "18",
            "--maximum-git-blob-size",
            "5",
        ])
        .output()
        .unwrap();
    assert_eq!(output.status.code(), Some(2));
    assert!(String::from_utf8_lossy(&output.stderr).contains("of another policy type"));
    server.stop().await;
}

#[tokio::test(flavor = "multi_thread")]
async fn top_limits_a_listing_across_pages_and_reads_no_more_than_it_needs() {
    let server = FakeServer::start(FakeOptions::default().pat(PAT)).await.unwrap();
    server.add_policies(300);
    let listed = ado(&server, &["policy", "list", "--top", "150"]);
    assert_eq!(listed.as_array().unwrap().len(), 150);
    assert_eq!(
        server.counters().received_count("configurations_list"),
        2,
        "pages of 100 and 50"
    );
    server.stop().await;
}
