//! `ado repos ...`, and the policies of a repository and branch (`ado policy list
//! --repository-id --branch`), through the git area.

use ado_core::Result;
use ado_git::GitClient;

use ado_git::types::{GitRepository, GitRepositoryCreateOptions};

use crate::cli::ReposCommand;
use crate::commands::{at_most_counted, guid, page_size};
use crate::context::Context;
use crate::output::{Column, Printer};

const REPOSITORY_COLUMNS: &[Column] = &[
    ("ID", "/id"),
    ("NAME", "/name"),
    ("DEFAULT BRANCH", "/defaultBranch"),
    ("PROJECT", "/project/name"),
];

/// `ado repos ...`
pub async fn run(ctx: &Context, printer: &Printer, command: &ReposCommand) -> Result<()> {
    let client = GitClient::new(&ctx.config);
    let project = ctx.project()?;
    match command {
        ReposCommand::List => {
            let repositories = client.repositories().list(project).await?;
            printer.list(&repositories.value, REPOSITORY_COLUMNS)?;
        }
        ReposCommand::Show { repository } => {
            printer.object(&client.repositories().get(project, repository.trim()).await?)?;
        }
        ReposCommand::Create { name } => {
            let options = GitRepositoryCreateOptions {
                name: Some(name.clone()),
                ..Default::default()
            };
            printer.object(&client.repositories().create(project, options).await?)?;
        }
        ReposCommand::Update {
            repository,
            name,
            default_branch,
        } => {
            if name.is_none() && default_branch.is_none() {
                return Err(ado_core::Error::invalid_input(
                    "nothing to change: give --name and/or --default-branch",
                ));
            }
            let id = repository_id(&client, project, repository).await?;
            let change = GitRepository {
                name: name.clone(),
                default_branch: default_branch.as_deref().map(branch_ref),
                ..Default::default()
            };
            printer.object(&client.repositories().update(project, id, change).await?)?;
        }
        ReposCommand::Delete { id } => {
            client.repositories().delete(project, guid("--id", id)?).await?;
            printer.message(&format!("deleted repository {}", id.trim()))?;
        }
        ReposCommand::Ref(command) => crate::git_refs::run(&client, project, printer, command).await?,
    }
    Ok(())
}

/// The id of a repository named by id or name (a name is looked up).
pub async fn repository_id(client: &GitClient, project: &str, repository: &str) -> Result<uuid::Uuid> {
    if let Ok(id) = repository.trim().parse() {
        return Ok(id);
    }
    let found = client.repositories().get(project, repository.trim()).await?;
    found
        .id
        .ok_or_else(|| ado_core::Error::decode(format!("the repository `{repository}` came without an id"), 200))
}

/// A branch as the service names it: `main` → `refs/heads/main`; a full ref name is kept.
pub fn branch_ref(branch: &str) -> String {
    crate::git_refs::full_ref(branch, "refs/heads/")
}

/// The policy configurations that apply to a repository (and a branch), every page.
pub async fn policies_of(
    ctx: &Context,
    printer: &Printer,
    project: &str,
    repository: &str,
    branch: Option<&str>,
    policy_type: Option<&str>,
    top: Option<usize>,
) -> Result<Vec<ado_git::types::PolicyConfiguration>> {
    let client = GitClient::new(&ctx.config);
    let mut request = client
        .policy_configurations()
        .list(project)
        .repository_id(guid("--repository-id", repository)?)
        .top(page_size(top));
    if let Some(branch) = branch {
        request = request.ref_name(branch_ref(branch));
    }
    if let Some(t) = policy_type {
        request = request.policy_type(guid("--policy-type", t)?);
    }
    at_most_counted(printer, "policy configurations", request.items(), top).await
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_short_branch_name_becomes_its_ref_and_a_ref_stays() {
        assert_eq!(branch_ref("main"), "refs/heads/main");
        assert_eq!(branch_ref(" releases/1.0 "), "refs/heads/releases/1.0");
        assert_eq!(branch_ref("refs/heads/main"), "refs/heads/main");
    }
}
