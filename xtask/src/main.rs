//! `cargo xtask`: maintenance tasks for ado-rs.
//!
//! - `cargo xtask generate`: regenerate every area crate's `generated.rs`, and ado-fake's location
//!   table, from `specs/`.
//! - `cargo xtask generate --check`: fail, with a unified diff, when a checked-in file is stale.
//! - `cargo xtask upstream-diff <dir>`: compare the fragments with upstream Swagger 2.0 specs.
//! - `cargo xtask import <swagger.json>... --area <name> [--operations <ids or tags>]`: write
//!   `specs/<name>.yaml` from upstream with the mechanical fixes, listing what is left to review.
//!
//! How an area's `generated.rs` is made (`generate.rs`): progenitor reads the fragment and only
//! its types are kept (typify's structs, enums and their builders); the client, the per-operation
//! table and one request type per operation are written from the fragment itself (`api.rs`), and
//! call ado-core's runtime. progenitor's output is changed in three places only, each because
//! typify has no setting for it:
//! - every builder works from its default: an `additionalProperties` map's builder field starts
//!   empty, and a required nullable field's starts at `None` (`type_builders.rs`);
//! - `JsonSchema` is derived only behind each crate's `schemars` feature (`gate_schemars`);
//! - `types::builder` and `types::error` are hidden from the documented module list.

#![warn(clippy::unwrap_used, clippy::expect_used)]

mod api;
mod areas;
mod generate;
mod import;
mod locations;
mod names;
mod open_enums;
mod spec;
mod type_builders;
mod upstream;

use std::path::PathBuf;
use std::process::ExitCode;

fn workspace_root() -> PathBuf {
    let manifest = PathBuf::from(env!("CARGO_MANIFEST_DIR"));
    manifest.parent().map(PathBuf::from).unwrap_or(manifest)
}

const USAGE: &str = "usage: cargo xtask generate [--check]\n       cargo xtask upstream-diff <dir>\n       cargo xtask import <swagger.json>... --area <name> [--operations <ids or tags>] [--force]";

fn main() -> ExitCode {
    let args: Vec<String> = std::env::args().skip(1).collect();
    let root = workspace_root();
    let result = match args.iter().map(String::as_str).collect::<Vec<_>>().as_slice() {
        ["generate"] => generate::run(&root, false),
        ["generate", "--check"] => generate::run(&root, true),
        ["upstream-diff", dir] => upstream::run(&root, std::path::Path::new(dir)),
        ["import", rest @ ..] => import::run(&root, &args[1..rest.len() + 1]),
        _ => Err(USAGE.to_string()),
    };
    match result {
        Ok(true) => ExitCode::SUCCESS,
        Ok(false) => ExitCode::FAILURE,
        Err(message) => {
            eprintln!("error: {message}");
            ExitCode::from(2)
        }
    }
}
