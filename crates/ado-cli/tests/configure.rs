//! Where `ado` finds its organization and project: `--org`/`--project`, then the environment,
//! then the git remote of the current directory, then `ado configure --defaults`.

mod common;

use std::path::{Path, PathBuf};
use std::process::{Command, Output};

use ado_fake::{FakeOptions, FakeServer};
use serde_json::{Value, json};

/// A scratch directory with its own config directory, removed when dropped.
struct Scratch(PathBuf);

impl Scratch {
    fn new() -> Self {
        let dir = std::env::temp_dir().join(format!("ado-configure-{}", uuid::Uuid::new_v4()));
        std::fs::create_dir_all(dir.join("work")).unwrap();
        Self(dir)
    }
    fn work(&self) -> PathBuf {
        self.0.join("work")
    }
    fn config(&self) -> PathBuf {
        self.0.join("config")
    }
    /// Make the work directory a git repository with this remote.
    fn git_remote(&self, url: &str) {
        for args in [vec!["init", "-q"], vec!["remote", "add", "origin", url]] {
            let status = Command::new("git")
                .args(&args)
                .current_dir(self.work())
                .status()
                .unwrap();
            assert!(status.success(), "git {args:?}");
        }
    }
    fn ado(&self, args: &[&str], env: &[(&str, &str)]) -> Output {
        common::ado()
            .env("ADO_CONFIG_DIR", self.config())
            .envs(env.iter().copied())
            .current_dir(self.work())
            .args(args)
            .output()
            .unwrap()
    }
    fn json(&self, args: &[&str], env: &[(&str, &str)]) -> Value {
        let output = self.ado(args, env);
        assert!(
            output.status.success(),
            "{args:?}: {}",
            String::from_utf8_lossy(&output.stderr)
        );
        serde_json::from_slice(&output.stdout).unwrap()
    }
    /// `ado configure --list`'s effective organization and project, with their sources.
    fn effective(&self, extra: &[&str], env: &[(&str, &str)]) -> Value {
        let mut args = vec!["configure", "--list", "-o", "json", "--query", "effective"];
        args.extend_from_slice(extra);
        self.json(&args, env)
    }
}

impl Drop for Scratch {
    fn drop(&mut self) {
        let _ = std::fs::remove_dir_all(&self.0);
    }
}

fn from(value: &str, source: &str) -> Value {
    json!({"value": value, "from": source})
}

#[test]
fn defaults_are_saved_listed_and_cleared() {
    let s = Scratch::new();
    let saved = s.json(
        &[
            "configure",
            "--defaults",
            "organization=https://dev.azure.com/fabrikam",
            "project=fiber",
            "-o",
            "json",
        ],
        &[],
    );
    assert_eq!(saved["organization"], "https://dev.azure.com/fabrikam");
    assert_eq!(saved["project"], "fiber");
    let file = s.config().join("config.json");
    assert_eq!(saved["file"], file.display().to_string());
    let listed = s.json(&["configure", "--list", "-o", "json"], &[]);
    assert_eq!(
        (&listed["organization"], &listed["project"]),
        (&json!("https://dev.azure.com/fabrikam"), &json!("fiber"))
    );
    let cleared = s.json(&["configure", "--defaults", "project=", "-o", "json"], &[]);
    assert_eq!(cleared["project"], Value::Null);
    assert_eq!(
        serde_json::from_str::<Value>(&std::fs::read_to_string(file).unwrap()).unwrap(),
        json!({"organization": "https://dev.azure.com/fabrikam"})
    );
}

#[test]
fn an_unknown_setting_or_a_bad_organization_is_refused() {
    let s = Scratch::new();
    let unknown = s.ado(&["configure", "--defaults", "colour=blue"], &[]);
    assert_eq!(unknown.status.code(), Some(2));
    assert!(String::from_utf8_lossy(&unknown.stderr).contains("`colour` is not a setting"));
    let bad = s.ado(
        &[
            "configure",
            "--defaults",
            "organization=https://user:secret@dev.azure.com/x",
        ],
        &[],
    );
    assert_eq!(bad.status.code(), Some(2));
    assert!(!String::from_utf8_lossy(&bad.stderr).contains("secret"));
    assert!(!s.config().join("config.json").exists());
}

#[test]
fn the_git_remote_names_organization_and_project() {
    let s = Scratch::new();
    s.git_remote("https://dev.azure.com/contoso/Web%20Team/_git/site");
    assert_eq!(
        s.effective(&[], &[]),
        json!({"organization": from("https://dev.azure.com/contoso", "detected"), "project": from("Web Team", "detected")})
    );
    assert_eq!(
        s.effective(&["--detect", "false"], &[]),
        json!({"organization": null, "project": null})
    );
}

#[test]
fn a_flag_beats_the_environment_which_beats_the_remote_which_beats_the_defaults() {
    let s = Scratch::new();
    s.json(
        &[
            "configure",
            "--defaults",
            "organization=saved-org",
            "project=saved-project",
        ],
        &[],
    );
    assert_eq!(
        s.effective(&[], &[]),
        json!({"organization": from("saved-org", "saved"), "project": from("saved-project", "saved")})
    );
    s.git_remote("git@ssh.dev.azure.com:v3/remote-org/remote-project/repo");
    assert_eq!(
        s.effective(&[], &[]),
        json!({"organization": from("https://dev.azure.com/remote-org", "detected"), "project": from("remote-project", "detected")})
    );
    let env = [
        ("AZURE_DEVOPS_ORG_URL", "env-org"),
        ("AZURE_DEVOPS_PROJECT", "env-project"),
    ];
    assert_eq!(
        s.effective(&[], &env),
        json!({"organization": from("env-org", "environment"), "project": from("env-project", "environment")})
    );
    assert_eq!(
        s.effective(&["--org", "flag-org", "--project", "flag-project"], &env),
        json!({"organization": from("flag-org", "flag"), "project": from("flag-project", "flag")})
    );
}

#[test]
fn a_remote_project_is_not_paired_with_another_organization() {
    let s = Scratch::new();
    s.json(&["configure", "--defaults", "project=saved-project"], &[]);
    s.git_remote("https://dev.azure.com/remote-org/remote-project/_git/repo");
    assert_eq!(
        s.effective(&["--org", "other-org"], &[]),
        json!({"organization": from("other-org", "flag"), "project": from("saved-project", "saved")})
    );
}

#[tokio::test(flavor = "multi_thread")]
async fn saved_defaults_are_what_a_command_uses() {
    let server = FakeServer::start(FakeOptions::default().pat("configure-pat"))
        .await
        .unwrap();
    let s = Scratch::new();
    let organization = format!("organization={}", server.org_url());
    let project = format!("project={}", ado_fake::PROJECT);
    s.json(&["configure", "--defaults", &organization, &project], &[]);
    let pipelines = s.json(
        &["pipelines", "list", "-o", "json"],
        &[("AZURE_DEVOPS_EXT_PAT", "configure-pat")],
    );
    assert_eq!(pipelines.as_array().unwrap().len(), 3);
    let elsewhere = s.ado(
        &["pipelines", "list"],
        &[
            ("AZURE_DEVOPS_EXT_PAT", "configure-pat"),
            ("AZURE_DEVOPS_PROJECT", "no-such-project"),
        ],
    );
    assert_eq!(elsewhere.status.code(), Some(3), "the environment's project wins");
    server.stop().await;
}

#[test]
fn the_saved_file_holds_no_credential() {
    let s = Scratch::new();
    s.json(
        &["configure", "--defaults", "project=fiber"],
        &[("AZURE_DEVOPS_EXT_PAT", "do-not-save-me")],
    );
    let text = std::fs::read_to_string(s.config().join("config.json")).unwrap();
    assert!(!text.contains("do-not-save-me"), "{text}");
    assert!(Path::new(&s.config()).join("config.json").exists());
}
