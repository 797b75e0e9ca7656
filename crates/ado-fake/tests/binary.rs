//! The `ado-fake` binary: its first line names the address, and it serves what it was told to.

use std::io::{BufRead, BufReader};
use std::process::{Command, Stdio};

fn client() -> reqwest::Client {
    let _ = rustls::crypto::ring::default_provider().install_default();
    reqwest::Client::new()
}

#[tokio::test]
async fn the_first_line_names_the_address_and_a_made_up_pat_is_printed() {
    let mut child = Command::new(env!("CARGO_BIN_EXE_ado-fake"))
        .args(["--addr", "127.0.0.1:0"])
        .stdout(Stdio::piped())
        .spawn()
        .unwrap();
    let mut lines = BufReader::new(child.stdout.take().unwrap()).lines();
    let first = lines.next().unwrap().unwrap();
    let base = first.strip_prefix("listening on ").unwrap().to_string();
    assert!(base.starts_with("http://127.0.0.1:"), "{first}");
    let pat = lines
        .next()
        .unwrap()
        .unwrap()
        .strip_prefix("pat: ")
        .unwrap()
        .to_string();
    let answer = client()
        .get(format!(
            "{base}/fabrikam/fabrikam-fiber-git/_apis/policy/configurations/17?api-version=7.1"
        ))
        .basic_auth("", Some(&pat))
        .send()
        .await
        .unwrap();
    assert_eq!(answer.status(), 200);
    child.kill().unwrap();
    child.wait().unwrap();
}

#[tokio::test]
async fn the_given_credentials_are_the_ones_accepted() {
    let mut child = Command::new(env!("CARGO_BIN_EXE_ado-fake"))
        .args(["--addr", "127.0.0.1:0", "--pat", "p1", "--bearer", "b1"])
        .stdout(Stdio::piped())
        .spawn()
        .unwrap();
    let first = BufReader::new(child.stdout.take().unwrap())
        .lines()
        .next()
        .unwrap()
        .unwrap();
    let base = first.strip_prefix("listening on ").unwrap().to_string();
    let url = format!("{base}/fabrikam/_apis/tokens/pats?api-version=7.1-preview.1");
    let client = client();
    let bearer = client.get(&url).bearer_auth("b1").send().await.unwrap();
    assert_eq!(bearer.status(), 200);
    let wrong = client
        .get(&url)
        .bearer_auth("b2")
        .header("x-tfs-fedauthredirect", "Suppress")
        .send()
        .await
        .unwrap();
    assert_eq!(wrong.status(), 401);
    child.kill().unwrap();
    child.wait().unwrap();
}

#[test]
fn a_bad_argument_is_explained_with_usage() {
    let output = Command::new(env!("CARGO_BIN_EXE_ado-fake"))
        .args(["--addr", "nowhere"])
        .output()
        .unwrap();
    assert_eq!(output.status.code(), Some(2));
    let stderr = String::from_utf8_lossy(&output.stderr);
    assert!(stderr.contains("--addr: `nowhere` is not an address"), "{stderr}");
}
