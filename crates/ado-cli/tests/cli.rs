//! The built `ado` binary, run for every subcommand against the embedded fake (`--fake`), with its
//! output and exit code checked; and the bad-input cases, which must explain themselves.

mod common;

use std::process::Output;

use serde_json::Value;

const SEED_PAT: &str = "3d3aca0c-9ad3-4b07-8334-08ec8b1ddc32";
const EVALUATION: &str = "1a2b3c4d-0000-4000-8000-000000000001";

fn ado(args: &[&str]) -> Output {
    common::ado().args(args).output().expect("ado runs")
}

/// Run with `--fake --output json`; the exit code must be 0 and stdout JSON.
fn json(args: &[&str]) -> Value {
    let mut all = vec!["--fake", "--output", "json"];
    all.extend_from_slice(args);
    let output = ado(&all);
    let stdout = String::from_utf8_lossy(&output.stdout);
    assert!(
        output.status.success(),
        "{args:?} failed: {}\n{stdout}",
        String::from_utf8_lossy(&output.stderr)
    );
    serde_json::from_str(&stdout).unwrap_or_else(|e| panic!("{args:?}: not JSON ({e}): {stdout}"))
}

fn failure(args: &[&str]) -> (i32, String) {
    let output = ado(args);
    assert!(!output.status.success(), "{args:?} should fail");
    let stderr = String::from_utf8_lossy(&output.stderr).to_string();
    assert!(!stderr.contains("panicked"), "{stderr}");
    assert!(!stderr.contains("RUST_BACKTRACE"), "{stderr}");
    (output.status.code().unwrap_or(-1), stderr)
}

#[test]
fn top_is_the_number_of_items_shown() {
    for (args, expected) in [
        (vec!["tokens", "list", "--filter", "all", "--top", "2"], 2),
        (vec!["policy", "list", "--top", "3"], 3),
        (vec!["policy", "list", "--top", "500"], 8),
        (vec!["pipelines", "list", "--top", "1"], 1),
    ] {
        assert_eq!(json(&args).as_array().unwrap().len(), expected, "{args:?}");
    }
}

#[test]
fn tokens_subcommands() {
    assert_eq!(
        json(&["tokens", "get", "--id", SEED_PAT])["displayName"],
        "analytics_token"
    );
    assert_eq!(
        json(&["tokens", "list", "--filter", "all"]).as_array().unwrap().len(),
        4
    );
    let created = json(&[
        "tokens",
        "create",
        "--name",
        "cli",
        "--scope",
        "vso.code",
        "--valid-to",
        "2031-01-01T00:00:00Z",
    ]);
    assert_eq!(created["displayName"], "cli");
    assert_eq!(
        created["token"].as_str().unwrap().len(),
        52,
        "the secret is shown once, on create"
    );
    assert_eq!(
        json(&["tokens", "update", "--id", SEED_PAT, "--name", "renamed"])["displayName"],
        "renamed"
    );
    assert_eq!(
        json(&["tokens", "revoke", "--id", SEED_PAT])["message"],
        format!("revoked {SEED_PAT}")
    );
}

#[test]
fn pipeline_permissions_subcommands() {
    let permissions = json(&[
        "pipelines",
        "permissions",
        "get",
        "--resource-type",
        "queue",
        "--resource-id",
        "1",
    ]);
    assert_eq!(permissions["pipelines"].as_array().unwrap().len(), 3);
    let updated = json(&[
        "pipelines",
        "permissions",
        "update",
        "--resource-type",
        "queue",
        "--resource-id",
        "1",
        "--authorize",
        "42",
        "--withdraw",
        "6",
    ]);
    let ids: Vec<i64> = updated["pipelines"]
        .as_array()
        .unwrap()
        .iter()
        .map(|p| p["id"].as_i64().unwrap())
        .collect();
    assert_eq!(ids, vec![15, 16, 42]);
}

#[test]
fn pipelines_subcommands() {
    assert_eq!(json(&["pipelines", "list"]).as_array().unwrap().len(), 3);
    assert_eq!(
        json(&["pipelines", "get", "--id", "1", "--pipeline-version", "1"])["name"],
        "fabrikam-ci"
    );
    let created = json(&[
        "pipelines",
        "create",
        "--name",
        "cli-made",
        "--yaml-path",
        "ci.yml",
        "--repository-id",
        "49c1d4d0-be28-4f20-9e0a-4ecfafc39257",
    ]);
    assert_eq!(created["id"], 4);
    let preview = json(&["pipelines", "preview", "--id", "1", "--skip-stage", "deploy"]);
    assert!(preview["finalYaml"].as_str().unwrap().contains("stage: build"));
    assert_eq!(
        json(&["pipelines", "runs", "list", "--pipeline-id", "1"])
            .as_array()
            .unwrap()
            .len(),
        2
    );
    assert_eq!(
        json(&["pipelines", "runs", "get", "--pipeline-id", "1", "--run-id", "2"])["result"],
        "failed"
    );
    let run = json(&[
        "pipelines",
        "runs",
        "run",
        "--pipeline-id",
        "1",
        "--parameter",
        "environment=prod",
    ]);
    assert_eq!(run["state"], "inProgress");
    assert_eq!(run["templateParameters"]["environment"], "prod");
    let on_branch = json(&[
        "pipelines",
        "runs",
        "run",
        "--pipeline-id",
        "1",
        "--branch",
        "release/1.2",
        "--variable",
        "configuration=Release",
        "--secret-variable",
        "apiKey=s3cret",
    ]);
    assert_eq!(
        on_branch["resources"]["repositories"]["self"]["refName"],
        "refs/heads/release/1.2"
    );
    assert_eq!(on_branch["variables"]["configuration"]["value"], "Release");
    assert_eq!(on_branch["variables"]["apiKey"], serde_json::json!({"isSecret": true}));
    assert_eq!(
        json(&["pipelines", "logs", "list", "--pipeline-id", "1", "--run-id", "1"])
            .as_array()
            .unwrap()
            .len(),
        3
    );
    assert!(
        json(&[
            "pipelines",
            "logs",
            "get",
            "--pipeline-id",
            "1",
            "--run-id",
            "1",
            "--log-id",
            "2"
        ])["signedContent"]["url"]
            .is_string()
    );
    assert_eq!(
        json(&[
            "pipelines",
            "artifacts",
            "get",
            "--pipeline-id",
            "1",
            "--run-id",
            "1",
            "--artifact-name",
            "drop"
        ])["name"],
        "drop"
    );
}

#[test]
fn policy_subcommands() {
    assert_eq!(json(&["policy", "get", "--id", "17"])["revision"], 2);
    assert_eq!(json(&["policy", "list"]).as_array().unwrap().len(), 8);
    assert_eq!(
        json(&[
            "policy",
            "list",
            "--policy-type",
            "0609b952-1397-4640-95ec-e00a01b2c241"
        ])
        .as_array()
        .unwrap()
        .len(),
        1
    );
    let dir = std::env::temp_dir().join(format!("ado-cli-test-{}", std::process::id()));
    std::fs::create_dir_all(&dir).unwrap();
    let config = dir.join("policy.json");
    std::fs::write(&config, r#"{"isEnabled": true, "isBlocking": true, "type": {"id": "fa4e907d-c16b-4a4c-9dfa-4906e5d171dd"}, "settings": {"minimumApproverCount": 2, "scope": []}}"#).unwrap();
    let config = config.to_str().unwrap();
    assert_eq!(json(&["policy", "create", "--config", config])["id"], 25);
    assert_eq!(
        json(&["policy", "update", "--id", "18", "--config", config])["revision"],
        2
    );
    assert_eq!(
        json(&["policy", "delete", "--id", "20"])["message"],
        "deleted policy configuration 20"
    );
    assert_eq!(
        json(&["policy", "revisions", "list", "--id", "17"])
            .as_array()
            .unwrap()
            .len(),
        2
    );
    assert_eq!(
        json(&["policy", "revisions", "get", "--id", "17", "--revision", "1"])["revision"],
        1
    );
    assert_eq!(
        json(&["policy", "evaluations", "list", "--pull-request-id", "1"])
            .as_array()
            .unwrap()
            .len(),
        3
    );
    assert_eq!(
        json(&[
            "policy",
            "evaluations",
            "list",
            "--pull-request-id",
            "1",
            "--include-not-applicable"
        ])
        .as_array()
        .unwrap()
        .len(),
        4
    );
    assert_eq!(
        json(&["policy", "evaluations", "get", "--id", EVALUATION])["status"],
        "approved"
    );
    assert_eq!(
        json(&["policy", "evaluations", "requeue", "--id", EVALUATION])["status"],
        "queued"
    );
    assert_eq!(json(&["policy", "types", "list"]).as_array().unwrap().len(), 13);
    assert_eq!(
        json(&["policy", "types", "get", "--id", "0609b952-1397-4640-95ec-e00a01b2c241"])["displayName"],
        "Build"
    );
}

#[test]
fn repos_subcommands() {
    let names: Vec<Value> = json(&["repos", "list"])
        .as_array()
        .unwrap()
        .iter()
        .map(|r| r["name"].clone())
        .collect();
    assert_eq!(names, ["fabrikam-fiber-git", "fabrikam-docs"]);
    let by_name = json(&["repos", "show", "--repository", "fabrikam-docs"]);
    assert_eq!(by_name["id"], "8a0f4b1e-6c2d-4e3f-9a1b-2c3d4e5f6a7b");
    let by_id = json(&["repos", "show", "-r", "49c1d4d0-be28-4f20-9e0a-4ecfafc39257"]);
    assert_eq!(by_id["defaultBranch"], "refs/heads/master");
    let (code, stderr) = failure(&["--fake", "repos", "show", "--repository", "nothing-here"]);
    assert_eq!(code, 3);
    assert!(
        stderr.contains("TF401019: The Git repository with name or identifier nothing-here does not exist"),
        "{stderr}"
    );
}

const FIBER: &str = "49c1d4d0-be28-4f20-9e0a-4ecfafc39257";
const MASTER_OBJECT: &str = "7fb1e1e1a0a9d4b3d3a5a6c9f8e1d2c3b4a59687";

#[test]
fn repos_create_update_and_delete() {
    assert_eq!(
        json(&["repos", "create", "--name", "fabrikam-tools"])["name"],
        "fabrikam-tools"
    );
    let renamed = json(&[
        "repos",
        "update",
        "-r",
        "fabrikam-docs",
        "--name",
        "docs",
        "--default-branch",
        "master",
    ]);
    assert_eq!(renamed["name"], "docs");
    assert_eq!(renamed["defaultBranch"], "refs/heads/master");
    assert_eq!(
        json(&["repos", "delete", "--id", FIBER])["message"],
        format!("deleted repository {FIBER}")
    );
    let (code, stderr) = failure(&["--fake", "repos", "update", "-r", "fabrikam-docs"]);
    assert_eq!(code, 2);
    assert!(stderr.contains("nothing to change"), "{stderr}");
}

#[test]
fn ref_list_create_lock_and_unlock() {
    let names: Vec<Value> = json(&[
        "repos",
        "ref",
        "list",
        "-r",
        "fabrikam-fiber-git",
        "--filter",
        "heads/releases/",
    ])
    .as_array()
    .unwrap()
    .iter()
    .map(|r| r["name"].clone())
    .collect();
    assert_eq!(names, ["refs/heads/releases/1.0", "refs/heads/releases/2.0"]);
    let created = json(&[
        "repos",
        "ref",
        "create",
        "-r",
        FIBER,
        "--name",
        "heads/x",
        "--object-id",
        MASTER_OBJECT,
    ]);
    assert_eq!(created["name"], "refs/heads/x");
    assert_eq!(created["updateStatus"], "succeeded");
    let locked = json(&["repos", "ref", "lock", "-r", FIBER, "--name", "heads/master"]);
    assert_eq!(locked["isLocked"], true);
    let unlocked = json(&["repos", "ref", "unlock", "-r", FIBER, "--name", "refs/heads/master"]);
    assert_eq!(unlocked.get("isLocked"), None);
}

#[test]
fn a_refused_ref_update_exits_1_and_says_why() {
    let other = "c2a4b5d6e7f8091a2b3c4d5e6f708192a3b4c5d6";
    let (code, stderr) = failure(&[
        "--fake",
        "repos",
        "ref",
        "delete",
        "-r",
        FIBER,
        "--name",
        "heads/master",
        "--object-id",
        other,
    ]);
    assert_eq!(code, 1);
    assert!(!stderr.contains("--help"), "{stderr}");
    assert!(
        stderr.contains("the update of refs/heads/master was refused: staleOldObjectId"),
        "{stderr}"
    );
    let release = "d3b5c6e7f8091a2b3c4d5e6f708192a3b4c5d6e7";
    let (_, stderr) = failure(&[
        "--fake",
        "repos",
        "ref",
        "delete",
        "-r",
        FIBER,
        "--name",
        "heads/releases/2.0",
        "--object-id",
        release,
    ]);
    assert!(
        stderr.contains("refused: locked (someone else has locked it)"),
        "{stderr}"
    );
    let (code, stderr) = failure(&[
        "--fake",
        "repos",
        "ref",
        "create",
        "-r",
        FIBER,
        "--name",
        "heads/y",
        "--object-id",
        "abc",
    ]);
    assert_eq!(code, 2);
    assert!(stderr.contains("--object-id `abc` is not a commit id"), "{stderr}");
}

#[test]
fn the_repos_table_shows_id_name_default_branch_and_project() {
    let output = ado(&["--fake", "--output", "table", "repos", "list"]);
    assert!(output.status.success());
    let text = String::from_utf8(output.stdout).unwrap();
    let header = text.lines().next().unwrap();
    let words: Vec<&str> = header.split("  ").map(str::trim).filter(|w| !w.is_empty()).collect();
    assert_eq!(words, ["ID", "NAME", "DEFAULT BRANCH", "PROJECT"]);
    assert!(text.contains("fabrikam-docs"), "{text}");
}

#[test]
fn policy_list_by_repository_and_branch_answers_through_the_git_area() {
    let ids = |args: &[&str]| -> Vec<i64> {
        let mut all = vec![
            "policy",
            "list",
            "--repository-id",
            "49c1d4d0-be28-4f20-9e0a-4ecfafc39257",
        ];
        all.extend_from_slice(args);
        json(&all)
            .as_array()
            .unwrap()
            .iter()
            .map(|c| c["id"].as_i64().unwrap())
            .collect()
    };
    assert_eq!(ids(&[]), [17, 18, 19, 20, 21, 22, 23, 24]);
    assert_eq!(ids(&["--branch", "releases/1.0"]), [17, 23, 24]);
    assert_eq!(ids(&["--branch", "refs/heads/feature/x"]), [23, 24]);
    assert_eq!(
        ids(&[
            "--branch",
            "master",
            "--policy-type",
            "0609b952-1397-4640-95ec-e00a01b2c241"
        ]),
        [19]
    );
    assert_eq!(ids(&["--branch", "master", "--top", "2"]), [17, 18]);
    let (code, stderr) = failure(&["--fake", "policy", "list", "--branch", "master"]);
    assert_eq!(code, 2);
    assert!(stderr.contains("--repository-id"), "{stderr}");
    let (code, stderr) = failure(&["--fake", "policy", "list", "--repository-id", "fabrikam"]);
    assert_eq!(code, 2);
    assert!(stderr.contains("--repository-id `fabrikam` is not a GUID"), "{stderr}");
}

#[test]
fn the_seed_configuration_is_printed_as_a_table_on_request() {
    let output = ado(&["--fake", "--output", "table", "policy", "get", "--id", "17"]);
    assert!(output.status.success());
    let text = String::from_utf8(output.stdout).unwrap();
    assert!(text.contains("id: 17\n"), "{text}");
    assert!(text.contains("type.displayName: Required reviewers\n"), "{text}");
    assert!(
        text.contains("settings.scope[2].repositoryId: 49c1d4d0-be28-4f20-9e0a-4ecfafc39257\n"),
        "{text}"
    );
    let output = ado(&["--fake", "--output", "table", "policy", "types", "list"]);
    let text = String::from_utf8(output.stdout).unwrap();
    assert!(
        text.starts_with("ID                                    NAME\n"),
        "{text}"
    );
    assert!(text.ends_with("(13 items)\n"), "{text}");
}

#[test]
fn a_missing_configuration_exits_3_and_names_the_activity_id() {
    let (code, stderr) = failure(&["--fake", "policy", "get", "--id", "999999"]);
    assert_eq!(code, 3);
    assert!(
        stderr.starts_with("error: configurations_get: 404 Not Found: TF401141:"),
        "{stderr}"
    );
    assert!(stderr.contains("(ActivityId: "), "{stderr}");
}

#[test]
fn an_id_that_is_not_a_number_is_a_usage_error() {
    let (code, stderr) = failure(&["--fake", "policy", "get", "--id", "seventeen"]);
    assert_eq!(code, 2);
    assert!(stderr.contains("invalid value 'seventeen'"), "{stderr}");
}

#[test]
fn a_malformed_guid_is_explained_with_a_hint() {
    let (code, stderr) = failure(&["--fake", "tokens", "get", "--id", "3d3aca0c-nope"]);
    assert_eq!(code, 2);
    assert!(
        stderr.contains("error: invalid input: --id `3d3aca0c-nope` is not a GUID"),
        "{stderr}"
    );
    assert!(stderr.contains("hint: see `ado --help`"), "{stderr}");
}

#[test]
fn an_unknown_resource_type_or_a_misshapen_id_is_explained() {
    let (code, stderr) = failure(&[
        "--fake",
        "pipelines",
        "permissions",
        "get",
        "--resource-type",
        "printer",
        "--resource-id",
        "1",
    ]);
    assert_eq!(code, 2);
    assert!(stderr.contains("--resource-type `printer`"), "{stderr}");
    let (code, stderr) = failure(&[
        "--fake",
        "pipelines",
        "permissions",
        "get",
        "--resource-type",
        "queue",
        "--resource-id",
        "abc",
    ]);
    assert_eq!(code, 2);
    assert!(stderr.contains("a queue resource id must be an integer"), "{stderr}");
}

#[test]
fn a_missing_organization_is_explained() {
    let (code, stderr) = failure(&["policy", "get", "--id", "17"]);
    assert_eq!(code, 2);
    assert!(
        stderr.contains("no organization given: use --org, set AZURE_DEVOPS_ORG_URL")
            && stderr.contains("ado configure --defaults organization=URL"),
        "{stderr}"
    );
}

#[test]
fn missing_credentials_exit_4_and_name_the_variables() {
    let (code, stderr) = failure(&["--org", "fabrikam", "--project", "p", "policy", "get", "--id", "17"]);
    assert_eq!(code, 4);
    assert!(
        stderr.contains("AZURE_DEVOPS_EXT_PAT") && stderr.contains("SYSTEM_ACCESSTOKEN"),
        "{stderr}"
    );
}

#[test]
fn plain_http_to_a_remote_host_is_refused() {
    let (code, stderr) = failure(&[
        "--org",
        "http://dev.azure.com/fabrikam",
        "--project",
        "p",
        "policy",
        "get",
        "--id",
        "17",
    ]);
    assert_eq!(code, 2);
    assert!(stderr.contains("plain http"), "{stderr}");
}

#[test]
fn the_demo_runs_offline() {
    let output = ado(&["demo", "--fake"]);
    let stdout = String::from_utf8_lossy(&output.stdout);
    assert!(
        output.status.success(),
        "{stdout}\n{}",
        String::from_utf8_lossy(&output.stderr)
    );
    for step in ["1/6", "2/6", "3/6", "4/6", "5/6", "6/6"] {
        assert!(stdout.contains(step), "{step} missing:\n{stdout}");
    }
    assert!(stdout.contains("→ pipelines 6, 15, 16 are authorized"), "{stdout}");
    assert!(stdout.contains("2508 configurations in 26 pages"), "{stdout}");
    assert!(stdout.contains("is_not_found() = true"), "{stdout}");
    let stderr = String::from_utf8_lossy(&output.stderr);
    let waits: Vec<f64> = stderr
        .lines()
        .filter_map(|l| l.trim().strip_prefix("… waiting ")?.split('s').next()?.parse().ok())
        .collect();
    assert_eq!(waits.len(), 3, "{stderr}");
    assert!(
        waits.iter().all(|w| *w >= 1.0),
        "a wait was shorter than Retry-After: {waits:?}"
    );
    assert_eq!(
        stderr.lines().count(),
        3,
        "standard error is not a terminal, yet more than the waits were drawn on it:\n{stderr}"
    );
}

/// The fake on its own runtime, for runs of `ado` against it as a real organization.
fn fake_service(pat: &str, bearer: &str) -> (String, tokio::runtime::Runtime, ado_fake::FakeServer) {
    let runtime = tokio::runtime::Builder::new_multi_thread()
        .worker_threads(1)
        .enable_all()
        .build()
        .unwrap();
    let server = runtime
        .block_on(ado_fake::FakeServer::start(
            ado_fake::FakeOptions::default().pat(pat).bearer(bearer),
        ))
        .unwrap();
    (server.org_url(), runtime, server)
}

#[test]
fn a_pat_read_from_standard_input_is_used() {
    use std::io::Write;
    let (org, _runtime, _server) = fake_service("stdin-pat", "unused");
    let mut child = common::ado()
        .args([
            "--org",
            &org,
            "--project",
            "fabrikam-fiber-git",
            "--pat-stdin",
            "--output",
            "json",
            "policy",
            "get",
            "--id",
            "17",
        ])
        .stdin(std::process::Stdio::piped())
        .stdout(std::process::Stdio::piped())
        .stderr(std::process::Stdio::piped())
        .spawn()
        .unwrap();
    child.stdin.take().unwrap().write_all(b"stdin-pat\n").unwrap();
    let output = child.wait_with_output().unwrap();
    assert!(output.status.success(), "{}", String::from_utf8_lossy(&output.stderr));
    let body: Value = serde_json::from_slice(&output.stdout).unwrap();
    assert_eq!(body["id"], 17);
}

#[test]
fn the_pipeline_variables_configure_organization_project_and_token() {
    let (org, _runtime, _server) = fake_service("unused", "job-token");
    let output = common::ado()
        .env("SYSTEM_COLLECTIONURI", &org)
        .env("SYSTEM_TEAMPROJECT", "fabrikam-fiber-git")
        .env("SYSTEM_ACCESSTOKEN", "job-token")
        .args(["--output", "json", "tokens", "list", "--filter", "all"])
        .output()
        .unwrap();
    assert!(output.status.success(), "{}", String::from_utf8_lossy(&output.stderr));
    let tokens: Value = serde_json::from_slice(&output.stdout).unwrap();
    assert_eq!(tokens.as_array().unwrap().len(), 4);
}

#[test]
fn a_refused_credential_exits_4() {
    let (org, _runtime, _server) = fake_service("right", "unused");
    let output = common::ado()
        .env("AZURE_DEVOPS_ORG_URL", &org)
        .env("AZURE_DEVOPS_PROJECT", "fabrikam-fiber-git")
        .env("AZURE_DEVOPS_EXT_PAT", "wrong")
        .args(["policy", "types", "list"])
        .output()
        .unwrap();
    assert_eq!(output.status.code(), Some(4));
    let stderr = String::from_utf8_lossy(&output.stderr);
    assert!(stderr.starts_with("error: types_list: 401 Unauthorized"), "{stderr}");
}

#[test]
fn a_reader_that_stops_early_is_not_an_error() {
    use std::io::Read;
    let mut child = common::ado()
        .args(["demo", "--fake"])
        .stdout(std::process::Stdio::piped())
        .stderr(std::process::Stdio::piped())
        .spawn()
        .unwrap();
    let mut first = [0u8; 16];
    child.stdout.as_mut().unwrap().read_exact(&mut first).unwrap();
    drop(child.stdout.take());
    let output = child.wait_with_output().unwrap();
    let stderr = String::from_utf8_lossy(&output.stderr);
    assert!(!stderr.contains("panicked"), "{stderr}");
    assert!(output.status.success(), "{stderr}");
}

#[test]
fn completions_are_printed_for_bash_zsh_and_fish() {
    for (shell, marker) in [
        ("bash", "complete -F _ado"),
        ("zsh", "#compdef ado"),
        ("fish", "complete -c ado"),
    ] {
        let output = ado(&["completions", shell]);
        assert!(output.status.success(), "{shell}");
        let script = String::from_utf8_lossy(&output.stdout);
        assert!(script.contains(marker), "{shell}: {script}");
        assert!(script.contains("pipelines") && script.contains("policy"), "{shell}");
    }
}

#[test]
fn a_mistyped_subcommand_suggests_the_right_one() {
    let (code, stderr) = failure(&["policy", "lst"]);
    assert_eq!(code, 2);
    assert!(stderr.contains("a similar subcommand exists: 'list'"), "{stderr}");
}

#[test]
fn debug_traces_the_calls_to_standard_error_without_credentials() {
    let output = ado(&["--fake", "--debug", "-o", "none", "pipelines", "get", "--id", "1"]);
    assert!(output.status.success());
    let stderr = String::from_utf8_lossy(&output.stderr);
    assert!(stderr.contains("ado.operation=\"pipelines_get\""), "{stderr}");
    assert!(!stderr.contains("fake-entra-user-token"), "{stderr}");
}
