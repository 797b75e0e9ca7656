//! `ado repos ref ...`: list, create, delete, lock and unlock refs.

use ado_core::{Error, Result};
use ado_git::GitClient;
use ado_git::types::{GitRefUpdate, GitRefUpdateResult, GitRefUpdateStatus};
use futures::TryStreamExt;

use crate::cli::RefCommand;
use crate::output::{Column, Printer};

const REF_COLUMNS: &[Column] = &[("NAME", "/name"), ("OBJECT ID", "/objectId"), ("LOCKED", "/isLocked")];

/// The object id that stands for "none" in a ref update.
const NO_OBJECT: &str = "0000000000000000000000000000000000000000";

/// A ref as the service names it, `prefix` added unless it is a full name already:
/// `full_ref("heads/x", "refs/")` → `refs/heads/x`; `full_ref("main", "refs/heads/")` →
/// `refs/heads/main`.
pub fn full_ref(name: &str, prefix: &str) -> String {
    let name = name.trim();
    if name.starts_with("refs/") {
        name.to_string()
    } else {
        format!("{prefix}{name}")
    }
}

/// A ref named after `refs/` or in full (`heads/x`, `refs/heads/x`).
fn full_name(name: &str) -> String {
    full_ref(name, "refs/")
}

/// A commit id: 40 hexadecimal digits.
fn object_id(text: &str) -> Result<String> {
    let text = text.trim();
    if text.len() == 40 && text.chars().all(|c| c.is_ascii_hexdigit()) {
        Ok(text.to_ascii_lowercase())
    } else {
        Err(Error::invalid_input(format!(
            "--object-id `{text}` is not a commit id (40 hexadecimal digits)"
        )))
    }
}

/// A ref update the service refused is an error that names its status (the answer was a 200
/// whose content says the work failed: exit code 1, as for any other service error).
fn succeeded(result: GitRefUpdateResult) -> Result<GitRefUpdateResult> {
    if result.success == Some(true) {
        return Ok(result);
    }
    let status = result
        .update_status
        .as_ref()
        .map_or("unknown", GitRefUpdateStatus::as_str);
    let why = match status {
        "staleOldObjectId" => " (the ref does not point at the object id given, or already exists)",
        "locked" => " (someone else has locked it)",
        "invalidRefName" => " (git does not accept that name)",
        "refNameConflict" => " (a ref of that name exists as a directory or under it)",
        _ => "",
    };
    let name = result.name.as_deref().unwrap_or_default();
    Err(Error::decode(
        format!("the update of {name} was refused: {status}{why}"),
        200,
    ))
}

/// Move one ref from `old` to `new` (all zeros: none), or say why the service refused.
async fn update_one(
    client: &GitClient,
    project: &str,
    repository: &str,
    name: &str,
    old: String,
    new: String,
) -> Result<GitRefUpdateResult> {
    let update = GitRefUpdate {
        name: Some(full_name(name)),
        old_object_id: Some(old),
        new_object_id: Some(new),
        ..Default::default()
    };
    let answer = client
        .refs()
        .update_refs(project, repository.trim(), vec![update])
        .await?;
    let result = answer.value.into_iter().next();
    succeeded(result.ok_or_else(|| Error::decode("the ref update's answer holds no result", 200))?)
}

/// `ado repos ref ...`
pub async fn run(client: &GitClient, project: &str, printer: &Printer, command: &RefCommand) -> Result<()> {
    let refs = client.refs();
    match command {
        RefCommand::List { repository, filter } => {
            let mut request = refs.list(project, repository.trim()).top(1000);
            if let Some(filter) = filter {
                request = request.filter(filter.trim());
            }
            let items: Vec<_> = request.items().try_collect().await?;
            printer.list(&items, REF_COLUMNS)?;
        }
        RefCommand::Create {
            repository,
            name,
            object_id: commit,
        }
        | RefCommand::Delete {
            repository,
            name,
            object_id: commit,
        } => {
            // A create moves the ref from no object to the commit, a delete the other way.
            let (commit, none) = (object_id(commit)?, NO_OBJECT.to_string());
            let (old, new) = match command {
                RefCommand::Create { .. } => (none, commit),
                _ => (commit, none),
            };
            let result = update_one(client, project, repository, name, old, new).await?;
            printer.object(&result)?;
        }
        RefCommand::Lock { repository, name } | RefCommand::Unlock { repository, name } => {
            let locked = matches!(command, RefCommand::Lock { .. });
            let full = full_name(name);
            let filter = full.strip_prefix("refs/").unwrap_or(&full);
            let change = GitRefUpdate {
                is_locked: Some(locked),
                ..Default::default()
            };
            printer.object(&refs.update_ref(project, repository.trim(), filter, change).await?)?;
        }
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_short_ref_name_gains_refs_and_a_full_one_stays() {
        assert_eq!(full_name("heads/x"), "refs/heads/x");
        assert_eq!(full_name(" refs/tags/v1 "), "refs/tags/v1");
    }

    #[test]
    fn a_commit_id_is_forty_hex_digits() {
        assert_eq!(object_id(&"AB".repeat(20)).unwrap(), "ab".repeat(20));
        assert_eq!(
            object_id("abc").unwrap_err().to_string(),
            "invalid input: --object-id `abc` is not a commit id (40 hexadecimal digits)"
        );
    }
}
