//! One function per area: each subcommand calls the area crate and prints the answer.

use ado_core::{Error, Result};
use ado_pipelines::PipelinesClient;
use ado_policy::PolicyClient;
use ado_tokens::TokensClient;
use futures::{StreamExt, TryStreamExt};

use crate::bodies;
use crate::cli::*;
use crate::context::Context;
use crate::output::{Column, Printer, escape};
use crate::policy_types;

pub(crate) fn guid(what: &str, text: &str) -> Result<uuid::Uuid> {
    text.trim().parse().map_err(|_| {
        Error::invalid_input(format!(
            "{what} `{text}` is not a GUID (such as 3d3aca0c-9ad3-4b07-8334-08ec8b1ddc32)"
        ))
    })
}

/// The largest page asked for: the PAT API's limit, and plenty for the others.
const MAX_PAGE: usize = 100;

/// The page size for `--top`: the whole limit when it fits in one page.
pub(crate) fn page_size(top: Option<usize>) -> i32 {
    top.unwrap_or(MAX_PAGE).clamp(1, MAX_PAGE) as i32
}

/// At most `top` items of a listing (every one without a limit), fetching pages only as needed.
pub(crate) async fn at_most<T>(items: impl futures::Stream<Item = Result<T>>, top: Option<usize>) -> Result<Vec<T>> {
    match top {
        Some(top) => items.take(top).try_collect().await,
        None => items.try_collect().await,
    }
}

/// `at_most`, counting the items on a progress line (on a terminal, for table or text output).
pub(crate) async fn at_most_counted<T>(
    printer: &Printer,
    what: &'static str,
    items: impl futures::Stream<Item = Result<T>>,
    top: Option<usize>,
) -> Result<Vec<T>> {
    let progress = crate::progress::counter(what, !printer.is_structured());
    let items = at_most(items.inspect_ok(|_| progress.inc(1)), top).await;
    progress.finish_and_clear();
    items
}

/// Multi-line service text for a terminal: each line escaped, the line breaks kept.
fn escape_lines(text: &str) -> String {
    text.lines().map(escape).collect::<Vec<_>>().join("\n")
}

const PAT_COLUMNS: &[Column] = &[
    ("AUTHORIZATION ID", "/authorizationId"),
    ("NAME", "/displayName"),
    ("SCOPE", "/scope"),
    ("VALID TO", "/validTo"),
];

/// `ado tokens ...`
pub async fn tokens(ctx: &Context, printer: &Printer, command: &TokensCommand) -> Result<()> {
    let client = TokensClient::new(&ctx.config);
    let pats = client.pats();
    match command {
        TokensCommand::Get { id } => {
            let result = pats.get(guid("--id", id)?).await?;
            printer.object(&result.pat_token)?;
        }
        TokensCommand::List { filter, top } => {
            let filter = match filter.to_ascii_lowercase().as_str() {
                "active" => ado_tokens::types::DisplayFilterOption::Active,
                "revoked" => ado_tokens::types::DisplayFilterOption::Revoked,
                "expired" => ado_tokens::types::DisplayFilterOption::Expired,
                "all" => ado_tokens::types::DisplayFilterOption::All,
                other => {
                    return Err(Error::invalid_input(format!(
                        "--filter `{other}`: use active, revoked, expired or all"
                    )));
                }
            };
            let request = pats.list().display_filter_option(filter).top(page_size(*top));
            let items = at_most(request.items(), *top).await?;
            printer.list(&items, PAT_COLUMNS)?;
        }
        TokensCommand::Create {
            name,
            scope,
            valid_to,
            all_orgs,
            body,
        } => {
            let request = bodies::pat_create(body.as_deref(), name.as_deref(), scope, valid_to.as_deref(), *all_orgs)?;
            let result = pats.create(request).await?;
            printer.object(&result.pat_token)?;
        }
        TokensCommand::Update {
            id,
            name,
            scope,
            valid_to,
            all_orgs,
            body,
        } => {
            let change = bodies::PatChange {
                name: name.as_deref(),
                scope: scope.as_deref(),
                valid_to: valid_to.as_deref(),
                all_orgs: *all_orgs,
            };
            let request = bodies::pat_update(body.as_deref(), guid("--id", id)?, change)?;
            let result = pats.update(request).await?;
            printer.object(&result.pat_token)?;
        }
        TokensCommand::Revoke { id } => {
            pats.revoke(guid("--id", id)?).await?;
            printer.message(&format!("revoked {id}"))?;
        }
    }
    Ok(())
}

fn resource_type(text: &str) -> Result<ado_pipelines::types::ResourceType> {
    let kind = ado_pipelines::types::ResourceType::from(text.to_ascii_lowercase().as_str());
    if let ado_pipelines::types::ResourceType::Other(other) = &kind {
        return Err(Error::invalid_input(format!(
            "--resource-type `{other}`: use endpoint, queue, variablegroup, securefile, environment or repository"
        )));
    }
    Ok(kind)
}

const PERMISSION_COLUMNS: &[Column] = &[
    ("PIPELINE", "/id"),
    ("AUTHORIZED", "/authorized"),
    ("BY", "/authorizedBy/displayName"),
    ("ON", "/authorizedOn"),
];
const PIPELINE_COLUMNS: &[Column] = &[
    ("ID", "/id"),
    ("NAME", "/name"),
    ("FOLDER", "/folder"),
    ("REVISION", "/revision"),
];
const RUN_COLUMNS: &[Column] = &[
    ("ID", "/id"),
    ("NAME", "/name"),
    ("STATE", "/state"),
    ("RESULT", "/result"),
    ("CREATED", "/createdDate"),
];
const LOG_COLUMNS: &[Column] = &[("ID", "/id"), ("LINES", "/lineCount"), ("CREATED", "/createdOn")];

/// `ado pipelines ...`
pub async fn pipelines(ctx: &Context, printer: &Printer, command: &PipelinesCommand) -> Result<()> {
    let client = PipelinesClient::new(&ctx.config);
    let project = ctx.project()?;
    match command {
        PipelinesCommand::Permissions(PermissionsCommand::Get { resource }) => {
            let kind = resource_type(&resource.resource_type)?;
            ado_pipelines::ResourceRef::new(kind.clone(), resource.resource_id.clone())?;
            let permissions = client
                .pipeline_permissions()
                .get(project, kind, &resource.resource_id)
                .await?;
            print_permissions(printer, &permissions)?;
        }
        PipelinesCommand::Permissions(PermissionsCommand::Update {
            resource,
            authorize,
            withdraw,
            all_pipelines,
            body,
        }) => {
            let kind = resource_type(&resource.resource_type)?;
            ado_pipelines::ResourceRef::new(kind.clone(), resource.resource_id.clone())?;
            let change = bodies::permissions_change(body.as_deref(), authorize, withdraw, *all_pipelines)?;
            let permissions = client
                .pipeline_permissions()
                .update(project, kind, &resource.resource_id, change)
                .await?;
            print_permissions(printer, &permissions)?;
        }
        PipelinesCommand::List { top, order_by } => {
            let mut request = client.pipelines().list(project).top(page_size(*top));
            if let Some(order) = order_by {
                request = request.order_by(order.clone());
            }
            let items = at_most(request.items(), *top).await?;
            printer.list(&items, PIPELINE_COLUMNS)?;
        }
        PipelinesCommand::Get { id, pipeline_version } => {
            let mut request = client.pipelines().get(project, *id);
            if let Some(version) = pipeline_version {
                request = request.pipeline_version(*version);
            }
            printer.object(&request.await?)?;
        }
        PipelinesCommand::Create(args) => {
            let request = bodies::pipeline_create(args)?;
            printer.object(&client.pipelines().create(project, request).await?)?;
        }
        PipelinesCommand::Preview { id, yaml_override, run } => {
            let mut request = bodies::run_parameters(run)?;
            request.preview_run = Some(true);
            if let Some(path) = yaml_override {
                request.yaml_override = Some(
                    std::fs::read_to_string(path)
                        .map_err(|e| Error::invalid_input(format!("--yaml-override {path}: {e}")))?,
                );
            }
            let preview = client.pipelines().preview(project, *id, request).await?;
            if printer.is_structured() {
                printer.object(&preview)?;
            } else {
                crate::say!("{}", escape_lines(preview.final_yaml.unwrap_or_default().trim_end()));
            }
        }
        PipelinesCommand::Runs(RunsCommand::List { pipeline_id }) => {
            let runs = client.runs().list(project, *pipeline_id).await?;
            printer.list(&runs.value, RUN_COLUMNS)?;
        }
        PipelinesCommand::Runs(RunsCommand::Get { pipeline_id, run_id }) => {
            printer.object(&client.runs().get(project, *pipeline_id, *run_id).await?)?;
        }
        PipelinesCommand::Runs(RunsCommand::Run { pipeline_id, run }) => {
            let request = bodies::run_parameters(run)?;
            printer.object(&client.runs().run(project, *pipeline_id, request).await?)?;
        }
        PipelinesCommand::Logs(LogsCommand::List { pipeline_id, run_id }) => {
            let logs = client.logs().list(project, *pipeline_id, *run_id).await?;
            printer.list(&logs.logs.unwrap_or_default(), LOG_COLUMNS)?;
        }
        PipelinesCommand::Logs(LogsCommand::Get {
            pipeline_id,
            run_id,
            log_id,
        }) => {
            let log = client
                .logs()
                .get(project, *pipeline_id, *run_id, *log_id)
                .expand(ado_pipelines::types::GetArtifactExpandOptions::SignedContent)
                .await?;
            printer.object(&log)?;
        }
        PipelinesCommand::Artifacts(ArtifactsCommand::Get {
            pipeline_id,
            run_id,
            artifact_name,
        }) => {
            let artifact = client
                .artifacts()
                .get(project, *pipeline_id, *run_id, artifact_name)
                .expand(ado_pipelines::types::GetArtifactExpandOptions::SignedContent)
                .await?;
            printer.object(&artifact)?;
        }
    }
    Ok(())
}

fn print_permissions(printer: &Printer, permissions: &ado_pipelines::types::ResourcePipelinePermissions) -> Result<()> {
    if printer.is_structured() {
        return printer.object(permissions);
    }
    if let Some(resource) = &permissions.resource {
        let kind = resource.type_.as_ref().map(|t| t.to_string()).unwrap_or_default();
        let id = resource.id.clone().unwrap_or_default();
        crate::say!("resource: {} {}", escape(&kind), escape(&id));
    }
    if let Some(all) = permissions.all_pipelines.as_ref().and_then(|a| a.authorized) {
        crate::say!("all pipelines authorized: {all}");
    }
    printer.list(permissions.pipelines.as_deref().unwrap_or_default(), PERMISSION_COLUMNS)
}

pub(crate) const POLICY_COLUMNS: &[Column] = &[
    ("ID", "/id"),
    ("TYPE", "/type/displayName"),
    ("ENABLED", "/isEnabled"),
    ("BLOCKING", "/isBlocking"),
    ("REVISION", "/revision"),
];
const EVALUATION_COLUMNS: &[Column] = &[
    ("EVALUATION", "/evaluationId"),
    ("POLICY", "/configuration/id"),
    ("STATUS", "/status"),
];
const TYPE_COLUMNS: &[Column] = &[("ID", "/id"), ("NAME", "/displayName")];

/// `ado policy ...`
pub async fn policy(ctx: &Context, printer: &Printer, command: &PolicyCommand) -> Result<()> {
    let client = PolicyClient::new(&ctx.config);
    let project = ctx.project()?;
    match command {
        PolicyCommand::Get { id } => printer.object(&client.configurations().get(project, *id).await?)?,
        PolicyCommand::List {
            policy_type,
            repository_id: Some(repository),
            branch,
            top,
        } => {
            let items = crate::repos::policies_of(
                ctx,
                printer,
                project,
                repository,
                branch.as_deref(),
                policy_type.as_deref(),
                *top,
            )
            .await?;
            printer.list(&items, POLICY_COLUMNS)?;
        }
        PolicyCommand::List { policy_type, top, .. } => {
            let mut request = client.configurations().list(project).top(page_size(*top));
            if let Some(t) = policy_type {
                request = request.policy_type(guid("--policy-type", t)?);
            }
            let items = at_most_counted(printer, "policy configurations", request.items(), *top).await?;
            printer.list(&items, POLICY_COLUMNS)?;
        }
        PolicyCommand::Create { body } => {
            let configuration = bodies::read_body("--body", body)?;
            printer.object(&client.configurations().create(project, configuration).await?)?;
        }
        PolicyCommand::Update { id, body } => {
            let configuration = bodies::read_body("--body", body)?;
            printer.object(&client.configurations().update(project, *id, configuration).await?)?;
        }
        PolicyCommand::Delete { id } => {
            client.configurations().delete(project, *id).await?;
            printer.message(&format!("deleted policy configuration {id}"))?;
        }
        PolicyCommand::Revisions(RevisionsCommand::List { id }) => {
            let revisions: Vec<_> = client.revisions().list(project, *id).items(100).try_collect().await?;
            printer.list(&revisions, POLICY_COLUMNS)?;
        }
        PolicyCommand::Revisions(RevisionsCommand::Get { id, revision }) => {
            printer.object(&client.revisions().get(project, *id, *revision).await?)?;
        }
        PolicyCommand::Evaluations(EvaluationsCommand::List {
            pull_request_id,
            project_id,
            include_not_applicable,
        }) => {
            let project_id = match project_id {
                Some(id) => guid("--project-id", id)?.to_string(),
                None if ctx.fake.is_some() => ado_fake::PROJECT_ID.to_string(),
                None => {
                    return Err(Error::invalid_input(
                        "--project-id is needed to name the pull request's artifact",
                    ));
                }
            };
            let artifact = format!("vstfs:///CodeReview/CodeReviewId/{project_id}/{pull_request_id}");
            let evaluations: Vec<_> = client
                .evaluations()
                .list(project, &artifact)
                .include_not_applicable(*include_not_applicable)
                .items(100)
                .try_collect()
                .await?;
            printer.list(&evaluations, EVALUATION_COLUMNS)?;
        }
        PolicyCommand::Evaluations(EvaluationsCommand::Get { id }) => {
            printer.object(&client.evaluations().get(project, guid("--id", id)?).await?)?;
        }
        PolicyCommand::Evaluations(EvaluationsCommand::Requeue { id }) => {
            printer.object(&client.evaluations().requeue(project, guid("--id", id)?).await?)?;
        }
        PolicyCommand::ApproverCount(a) => policy_types::run(&client, project, printer, a).await?,
        PolicyCommand::RequiredReviewer(a) => policy_types::run(&client, project, printer, a).await?,
        PolicyCommand::Build(a) => policy_types::run(&client, project, printer, a).await?,
        PolicyCommand::CommentRequired(a) => policy_types::run(&client, project, printer, a).await?,
        PolicyCommand::WorkItemLinking(a) => policy_types::run(&client, project, printer, a).await?,
        PolicyCommand::MergeStrategy(a) => policy_types::run(&client, project, printer, a).await?,
        PolicyCommand::FileSize(a) => policy_types::run(&client, project, printer, a).await?,
        PolicyCommand::FilePath(a) => policy_types::run(&client, project, printer, a).await?,
        PolicyCommand::CaseEnforcement(a) => policy_types::run(&client, project, printer, a).await?,
        PolicyCommand::MaxPathLength(a) => policy_types::run(&client, project, printer, a).await?,
        PolicyCommand::ReservedNames(a) => policy_types::run(&client, project, printer, a).await?,
        PolicyCommand::Types(TypesCommand::List) => {
            let types = client.types().list(project).await?;
            printer.list(&types.value, TYPE_COLUMNS)?;
        }
        PolicyCommand::Types(TypesCommand::Get { id }) => {
            printer.object(&client.types().get(project, guid("--id", id)?).await?)?;
        }
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::sync::atomic::{AtomicUsize, Ordering};

    #[tokio::test]
    async fn at_most_stops_reading_once_it_has_enough() {
        let pulled = AtomicUsize::new(0);
        let items = futures::stream::iter(0..1000).map(|n| {
            pulled.fetch_add(1, Ordering::Relaxed);
            Ok::<_, ado_core::Error>(n)
        });
        assert_eq!(at_most(items, Some(3)).await.unwrap(), vec![0, 1, 2]);
        assert_eq!(pulled.load(Ordering::Relaxed), 3);
    }

    #[test]
    fn the_page_size_is_the_limit_up_to_a_full_page() {
        assert_eq!(page_size(Some(3)), 3);
        assert_eq!(page_size(Some(5000)), 100);
        assert_eq!(page_size(None), 100);
        assert_eq!(page_size(Some(0)), 1);
    }
}
