//! The `ado` binary's output: every format, `--query`, untrusted text shown escaped and aligned,
//! and output that cannot be written ending in a message and a non-zero exit.

mod common;

use std::process::{Command, Output, Stdio};

use ado_fake::{FakeOptions, FakeServer};
use serde_json::Value;

const PAT: &str = "output-test-pat";

use common::{ado, ado_at};

fn run(args: &[&str]) -> Output {
    ado().arg("--fake").args(args).output().expect("ado runs")
}

fn stdout_of(args: &[&str]) -> String {
    let output = run(args);
    assert!(
        output.status.success(),
        "{args:?}: {}",
        String::from_utf8_lossy(&output.stderr)
    );
    String::from_utf8(output.stdout).unwrap()
}

#[test]
fn json_is_the_answer_as_the_service_wrote_it() {
    let list: Value = serde_json::from_str(&stdout_of(&["pipelines", "list", "-o", "json"])).unwrap();
    assert_eq!(list.as_array().unwrap().len(), 3);
    assert_eq!(list[0]["name"], "fabrikam-ci");
}

#[test]
fn coloured_json_colours_keys_and_values() {
    let shown = stdout_of(&["policy", "get", "--id", "17", "-o", "jsonc"]);
    assert!(
        shown.contains("\u{1b}[94m\"id\"\u{1b}[0m: \u{1b}[33m17\u{1b}[0m"),
        "{shown}"
    );
}

#[test]
fn yaml_uses_the_service_field_names() {
    let shown = stdout_of(&["policy", "get", "--id", "17", "-o", "yaml"]);
    assert!(shown.lines().any(|l| l == "id: 17"), "{shown}");
    assert!(shown.lines().any(|l| l == "isBlocking: true"), "{shown}");
}

#[test]
fn coloured_yaml_colours_the_keys() {
    let shown = stdout_of(&["policy", "get", "--id", "17", "-o", "yamlc"]);
    assert!(shown.contains("\u{1b}[94mid\u{1b}[0m: 17"), "{shown}");
}

#[test]
fn tsv_is_a_line_per_item() {
    let shown = stdout_of(&["pipelines", "list", "-o", "tsv", "--query", "[].[id, name]"]);
    assert_eq!(shown, "1\tfabrikam-ci\n2\tfabrikam-release\n3\tnightly\n");
    let shown = stdout_of(&["pipelines", "list", "-o", "tsv", "--query", "[].{name: name, id: id}"]);
    assert_eq!(shown, "fabrikam-ci\t1\nfabrikam-release\t2\nnightly\t3\n");
}

#[test]
fn a_table_lists_the_columns_and_counts_the_items() {
    let shown = stdout_of(&["pipelines", "list", "-o", "table"]);
    let lines: Vec<&str> = shown.lines().collect();
    assert!(lines[0].starts_with("ID  NAME"), "{shown}");
    assert!(lines[1].starts_with("--  ----"), "{shown}");
    assert_eq!(lines.last(), Some(&"(3 items)"));
}

#[test]
fn none_prints_nothing_and_succeeds() {
    let output = run(&["pipelines", "list", "-o", "none"]);
    assert!(output.status.success());
    assert!(output.stdout.is_empty());
}

#[test]
fn a_query_selects_from_a_list() {
    let shown = stdout_of(&["policy", "list", "-o", "json", "--query", "[?isBlocking].id"]);
    let ids: Vec<i64> = serde_json::from_str(&shown).unwrap();
    assert!(ids.contains(&17) && !ids.contains(&20), "{ids:?}");
}

#[test]
fn a_query_selects_from_one_object() {
    assert_eq!(
        stdout_of(&[
            "policy",
            "get",
            "--id",
            "17",
            "-o",
            "json",
            "--query",
            "type.displayName"
        ]),
        "\"Required reviewers\"\n"
    );
}

/// A multiselect's columns come in the order the query names them, as in `az`.
#[test]
fn a_query_gives_a_table_of_what_it_picked_in_its_order() {
    let shown = stdout_of(&[
        "pipelines",
        "list",
        "-o",
        "table",
        "--query",
        "[].{Name: name, Folder: folder}",
    ]);
    assert_eq!(
        shown,
        "Name              Folder\n----------------  --------\nfabrikam-ci       \\\nfabrikam-release  \\release\nnightly           \\\n(3 items)\n"
    );
}

#[test]
fn a_query_that_is_not_jmespath_is_a_usage_error() {
    let output = run(&["pipelines", "list", "--query", "[?"]);
    assert_eq!(output.status.code(), Some(2));
    assert!(String::from_utf8_lossy(&output.stderr).contains("is not JMESPath"));
}

#[cfg(target_os = "linux")]
#[test]
fn a_full_disk_is_an_error_with_a_message() {
    let full = std::fs::OpenOptions::new().write(true).open("/dev/full").unwrap();
    let output = ado()
        .args(["--fake", "pipelines", "list", "-o", "json"])
        .stdout(Stdio::from(full))
        .output()
        .unwrap();
    assert_eq!(output.status.code(), Some(1));
    assert!(
        String::from_utf8_lossy(&output.stderr).contains("the output could not be written: No space left on device"),
        "{}",
        String::from_utf8_lossy(&output.stderr)
    );
}

#[cfg(target_os = "linux")]
#[test]
fn a_closed_standard_output_is_an_error_with_a_message() {
    // `sh -c '... >&-'` runs ado with file descriptor 1 closed.
    let output = Command::new("sh")
        .arg("-c")
        .arg(format!(
            "'{}' --fake pipelines list -o json >&-",
            env!("CARGO_BIN_EXE_ado")
        ))
        .env_remove("AZURE_DEVOPS_EXT_PAT")
        .output()
        .unwrap();
    assert_eq!(output.status.code(), Some(1));
    assert!(
        String::from_utf8_lossy(&output.stderr).contains("standard output is closed"),
        "{}",
        String::from_utf8_lossy(&output.stderr)
    );
}

#[test]
fn a_reader_that_goes_away_is_not_an_error() {
    let mut child = ado()
        .args(["--fake", "policy", "list", "-o", "json"])
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .unwrap();
    drop(child.stdout.take());
    let output = child.wait_with_output().unwrap();
    assert!(output.status.success(), "{}", String::from_utf8_lossy(&output.stderr));
    assert!(output.stderr.is_empty(), "{}", String::from_utf8_lossy(&output.stderr));
}

/// A pipeline named with an escape sequence that would clear the screen, and one in Chinese.
async fn fake_with_hostile_names() -> FakeServer {
    let server = FakeServer::start(FakeOptions::default().pat(PAT)).await.unwrap();
    for name in ["\u{1b}[2J\u{1b}[Hgone", "流水线"] {
        let output = ado_at(&server, PAT)
            .args(["pipelines", "create", "--name", name, "--yaml-path", "ci.yml"])
            .args(["--repository-id", "r1", "-o", "none"])
            .output()
            .unwrap();
        assert!(output.status.success(), "{}", String::from_utf8_lossy(&output.stderr));
    }
    server
}

#[tokio::test(flavor = "multi_thread")]
async fn service_text_is_escaped_and_wide_text_aligned_in_a_table() {
    let server = fake_with_hostile_names().await;
    let output = ado_at(&server, PAT)
        .args(["pipelines", "list", "-o", "table"])
        .args(["--query", "[].{id: id, name: name}"])
        .output()
        .unwrap();
    let shown = String::from_utf8(output.stdout).unwrap();
    assert!(!shown.contains('\u{1b}'), "{shown:?}");
    assert_eq!(
        shown,
        "id  name\n\
         --  ---------------------\n\
         4   \\u{1b}[2J\\u{1b}[Hgone\n\
         1   fabrikam-ci\n\
         2   fabrikam-release\n\
         3   nightly\n\
         5   流水线\n\
         (5 items)\n"
    );
    server.stop().await;
}

#[tokio::test(flavor = "multi_thread")]
async fn service_text_is_escaped_in_a_described_object() {
    let server = fake_with_hostile_names().await;
    let output = ado_at(&server, PAT)
        .args(["pipelines", "get", "--id", "4", "-o", "table"])
        .output()
        .unwrap();
    let shown = String::from_utf8(output.stdout).unwrap();
    assert!(shown.contains("name: \\u{1b}[2J\\u{1b}[Hgone\n"), "{shown:?}");
    server.stop().await;
}
