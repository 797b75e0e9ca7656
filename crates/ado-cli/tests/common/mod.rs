//! What the tests of the `ado` binary share: a command with nothing of the caller's environment.

use std::process::Command;

use ado_fake::FakeServer;

/// The variables `ado` reads its organization, project and credentials from.
pub const SETTINGS: &[&str] = &[
    "AZURE_DEVOPS_ORG_URL",
    "SYSTEM_COLLECTIONURI",
    "AZURE_DEVOPS_PROJECT",
    "SYSTEM_TEAMPROJECT",
    "AZURE_DEVOPS_EXT_PAT",
    "SYSTEM_ACCESSTOKEN",
];

/// `ado` with none of those variables, no saved defaults and no git remote to pick up.
pub fn ado() -> Command {
    let mut command = Command::new(env!("CARGO_BIN_EXE_ado"));
    for name in SETTINGS {
        command.env_remove(name);
    }
    command
        .env("ADO_CONFIG_DIR", std::env::temp_dir().join("ado-tests-no-config"))
        .current_dir(std::env::temp_dir());
    command
}

/// `ado` pointed at a running fake's organization and project, with this PAT.
#[allow(dead_code)]
pub fn ado_at(server: &FakeServer, pat: &str) -> Command {
    let mut command = ado();
    command
        .env("AZURE_DEVOPS_EXT_PAT", pat)
        .args(["--org", &server.org_url(), "-p", ado_fake::PROJECT]);
    command
}
