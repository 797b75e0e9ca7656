//! `ado login` keeps a PAT in the OS key store (read from standard input) for later commands;
//! `ado logout` forgets it. Never an argument, never a file.

mod common;

use std::io::Write;
use std::process::{Output, Stdio};

use ado_fake::{FakeOptions, FakeServer};

const PAT: &str = "login-test-pat-6f1e";

fn ado_with_stdin(org: &str, config: &std::path::Path, args: &[&str], stdin: &str) -> Output {
    let mut child = common::ado()
        .env("ADO_CONFIG_DIR", config)
        .args(["--org", org, "-p", ado_fake::PROJECT])
        .args(args)
        .stdin(Stdio::piped())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .unwrap();
    child.stdin.take().unwrap().write_all(stdin.as_bytes()).unwrap();
    child.wait_with_output().unwrap()
}

#[cfg(target_os = "linux")]
#[tokio::test(flavor = "multi_thread")]
async fn a_kept_pat_is_used_until_logout() {
    let server = FakeServer::start(FakeOptions::default().pat(PAT)).await.unwrap();
    let org = server.org_url();
    let config = std::env::temp_dir().join(format!("ado-login-{}", uuid::Uuid::new_v4()));
    let login = ado_with_stdin(&org, &config, &["login"], &format!("{PAT}\n"));
    assert!(login.status.success(), "{}", String::from_utf8_lossy(&login.stderr));
    let listed = ado_with_stdin(&org, &config, &["pipelines", "list", "-o", "json"], "");
    assert!(listed.status.success(), "{}", String::from_utf8_lossy(&listed.stderr));
    assert_eq!(
        serde_json::from_slice::<serde_json::Value>(&listed.stdout)
            .unwrap()
            .as_array()
            .unwrap()
            .len(),
        3
    );
    assert!(!config.exists(), "login wrote into the config directory");
    let logout = ado_with_stdin(&org, &config, &["logout"], "");
    assert!(String::from_utf8_lossy(&logout.stdout).contains("is forgotten"));
    let refused = ado_with_stdin(&org, &config, &["pipelines", "list"], "");
    assert_eq!(
        refused.status.code(),
        Some(4),
        "{}",
        String::from_utf8_lossy(&refused.stderr)
    );
    server.stop().await;
}

#[test]
fn login_takes_no_token_argument() {
    let output = common::ado()
        .args([
            "--org",
            "https://dev.azure.com/fabrikam",
            "login",
            "secret-on-the-command-line",
        ])
        .output()
        .unwrap();
    assert_eq!(output.status.code(), Some(2));
}

#[test]
fn login_with_an_empty_standard_input_is_refused() {
    let config = std::env::temp_dir().join("ado-tests-no-config");
    let output = ado_with_stdin("https://dev.azure.com/fabrikam", &config, &["login"], "");
    assert_eq!(output.status.code(), Some(4));
    assert!(String::from_utf8_lossy(&output.stderr).contains("standard input held no token"));
}
