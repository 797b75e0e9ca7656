//! The generated public surface (every operation with its signature) as `insta` snapshots, so that
//! a regeneration that changes the API shows up in review.

use std::path::Path;

/// The signatures of the `pub fn`s of the generated `api` module, whitespace folded.
fn surface(crate_dir: &str) -> Vec<String> {
    let path = Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("..")
        .join(crate_dir)
        .join("src/generated.rs");
    let code = std::fs::read_to_string(&path).unwrap();
    let api = &code[code.find("pub mod api {").expect("api module")..];
    let mut signatures = Vec::new();
    let mut current_type = String::new();
    let mut rest = api;
    while let Some(at) = rest.find("pub ") {
        rest = &rest[at..];
        if let Some(decl) = rest.strip_prefix("pub struct ") {
            current_type = decl.split(['<', ' ']).next().unwrap_or_default().to_string();
            rest = &rest[4..];
            continue;
        }
        if rest.starts_with("pub fn ") || rest.starts_with("pub async fn ") {
            let end = rest.find('{').unwrap();
            let folded: String = rest[..end].split_whitespace().collect::<Vec<_>>().join(" ");
            let tidy = folded
                .trim_start_matches("pub ")
                .replace(", )", ")")
                .replace("( ", "(")
                .replace("< ", "<")
                .replace(", >", ">");
            signatures.push(format!("{current_type}::{tidy}"));
            rest = &rest[end..];
            continue;
        }
        rest = &rest[4..];
    }
    signatures
}

#[test]
fn the_git_surface() {
    insta::assert_yaml_snapshot!(surface("crates/ado-git"));
}

#[test]
fn the_tokens_surface() {
    insta::assert_yaml_snapshot!(surface("crates/ado-tokens"));
}

#[test]
fn the_pipelines_surface() {
    insta::assert_yaml_snapshot!(surface("crates/ado-pipelines"));
}

#[test]
fn the_policy_surface() {
    insta::assert_yaml_snapshot!(surface("crates/ado-policy"));
}
