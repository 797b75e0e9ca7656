//! The command line: `ado [global options] <area> <command> [options]`.

use clap::{Args, Parser, Subcommand};

use crate::output::Format;
use crate::policy_types::{
    Action, ApproverCount, Build, CaseEnforcement, CommentRequired, FilePath, FileSize, MaxPathLength, MergeStrategy,
    RequiredReviewer, ReservedNames, WorkItemLinking,
};

/// The Azure DevOps PAT, pipelines and policy APIs from the command line.
#[derive(Parser, Debug)]
#[command(name = "ado", version, about, long_about = None, propagate_version = true)]
pub struct Cli {
    /// Organization URL or name (default: $AZURE_DEVOPS_ORG_URL, then $SYSTEM_COLLECTIONURI, then
    /// the git remote, then `ado configure --defaults`).
    #[arg(long, global = true, value_name = "URL")]
    pub org: Option<String>,
    /// Project name or id (default: $AZURE_DEVOPS_PROJECT, then $SYSTEM_TEAMPROJECT, then the git
    /// remote, then `ado configure --defaults`).
    #[arg(long, short = 'p', global = true)]
    pub project: Option<String>,
    /// Read a personal access token from the first line of standard input.
    #[arg(long, global = true)]
    pub pat_stdin: bool,
    /// Run against an embedded fake service (offline; organization `fabrikam`, project
    /// `fabrikam-fiber-git`).
    #[arg(long, global = true)]
    pub fake: bool,
    /// Output format (default: a table on a terminal, JSON otherwise).
    #[arg(long, short = 'o', global = true, value_enum, default_value_t = Format::Auto)]
    pub output: Format,
    /// A JMESPath query over the JSON answer, as in `az` (such as `[].{id:id, name:name}`).
    #[arg(long, global = true, value_name = "JMESPATH")]
    pub query: Option<String>,
    /// Read the organization and project from the git remote of the current directory when they
    /// are not given (true or false).
    #[arg(long, global = true, default_value_t = true, action = clap::ArgAction::Set, value_name = "BOOL")]
    pub detect: bool,
    /// Trace every request and answer (method, URL, status, timings; never a credential) to
    /// standard error.
    #[arg(long, global = true)]
    pub debug: bool,
    /// What to do.
    #[command(subcommand)]
    pub command: Command,
}

/// The areas.
#[derive(Subcommand, Debug)]
pub enum Command {
    /// Personal access tokens (needs a Microsoft Entra user token, not a PAT).
    #[command(subcommand)]
    Tokens(TokensCommand),
    /// Pipelines, runs, logs, artifacts, and pipeline permissions of protected resources.
    #[command(subcommand)]
    Pipelines(PipelinesCommand),
    /// Policy configurations, revisions, evaluations and types.
    #[command(subcommand)]
    Policy(PolicyCommand),
    /// Git repositories.
    #[command(subcommand)]
    Repos(ReposCommand),
    /// A guided tour of the SDK: the seed operations, paging, throttling, typed errors.
    Demo,
    /// Keep a PAT for the organization in the OS keyring (read from standard input, never from an
    /// argument); later commands use it when no other credential is given.
    Login,
    /// Forget the PAT kept for the organization.
    Logout,
    /// Save defaults for the organization and project, or list them.
    Configure {
        /// `organization=URL` and/or `project=NAME` (an empty value clears one).
        #[arg(long, num_args = 1.., value_name = "NAME=VALUE", required_unless_present = "list")]
        defaults: Vec<String>,
        /// Show the saved defaults and where they are kept.
        #[arg(long)]
        list: bool,
    },
    /// Print a completion script for a shell (such as `ado completions bash > ~/.local/share/bash-completion/completions/ado`).
    Completions {
        /// bash, zsh, fish, elvish or powershell.
        shell: clap_complete::Shell,
    },
}

/// `ado tokens ...`
#[derive(Subcommand, Debug)]
pub enum TokensCommand {
    /// Show one token.
    Get {
        /// The token's authorization id.
        #[arg(long)]
        id: String,
    },
    /// List tokens.
    List {
        /// Which tokens: active, revoked, expired, all.
        #[arg(long, default_value = "active")]
        filter: String,
        /// How many tokens to show (default: all, a page at a time).
        #[arg(long)]
        top: Option<usize>,
    },
    /// Create a token; its secret is shown once.
    Create {
        /// The token's name.
        #[arg(long)]
        name: Option<String>,
        /// Space-separated scopes (default: full access).
        #[arg(long, default_value = "app_token")]
        scope: String,
        /// Expiry (RFC 3339).
        #[arg(long)]
        valid_to: Option<String>,
        /// Valid in all of your organizations.
        #[arg(long)]
        all_orgs: bool,
        /// The request body from a JSON file (`-`: standard input); the flags change it.
        #[arg(long, value_name = "FILE")]
        body: Option<String>,
    },
    /// Change a token.
    Update {
        /// The token's authorization id.
        #[arg(long)]
        id: String,
        /// New name.
        #[arg(long)]
        name: Option<String>,
        /// New scopes.
        #[arg(long)]
        scope: Option<String>,
        /// New expiry (RFC 3339).
        #[arg(long)]
        valid_to: Option<String>,
        /// Valid in all of your organizations (true or false).
        #[arg(long)]
        all_orgs: Option<bool>,
        /// The request body from a JSON file (`-`: standard input); the flags change it.
        #[arg(long, value_name = "FILE")]
        body: Option<String>,
    },
    /// Revoke a token.
    Revoke {
        /// The token's authorization id.
        #[arg(long)]
        id: String,
    },
}

/// `ado pipelines ...`
#[derive(Subcommand, Debug)]
pub enum PipelinesCommand {
    /// Which pipelines may use protected resources.
    #[command(subcommand)]
    Permissions(PermissionsCommand),
    /// List pipelines.
    List {
        /// How many pipelines to show (default: all, a page at a time).
        #[arg(long)]
        top: Option<usize>,
        /// Sort order, such as `name asc`.
        #[arg(long)]
        order_by: Option<String>,
    },
    /// Show a pipeline.
    Get {
        /// The pipeline id.
        #[arg(long)]
        id: i32,
        /// The pipeline version (revision).
        #[arg(long)]
        pipeline_version: Option<i32>,
    },
    /// Create a YAML pipeline from a file in Azure Repos or GitHub.
    Create(PipelineCreateArgs),
    /// Show the final YAML a run would use.
    Preview {
        /// The pipeline id.
        #[arg(long)]
        id: i32,
        /// YAML to preview instead of the pipeline's file.
        #[arg(long, value_name = "FILE")]
        yaml_override: Option<String>,
        #[command(flatten)]
        run: RunArgs,
    },
    /// Runs of a pipeline.
    #[command(subcommand)]
    Runs(RunsCommand),
    /// Logs of a run.
    #[command(subcommand)]
    Logs(LogsCommand),
    /// Artifacts of a run.
    #[command(subcommand)]
    Artifacts(ArtifactsCommand),
}

/// `ado pipelines create`: a YAML pipeline from a repository.
#[derive(Args, Debug, Default)]
pub struct PipelineCreateArgs {
    /// The pipeline's name.
    #[arg(long)]
    pub name: Option<String>,
    /// The YAML file's path in the repository.
    #[arg(long)]
    pub yaml_path: Option<String>,
    /// The Azure Repos repository's id.
    #[arg(long, conflicts_with = "github_repo")]
    pub repository_id: Option<String>,
    /// The Azure Repos repository's name.
    #[arg(long)]
    pub repository_name: Option<String>,
    /// The repository type.
    #[arg(long, default_value = "azureReposGit")]
    pub repository_type: String,
    /// A GitHub repository, `owner/name`.
    #[arg(long, value_name = "OWNER/NAME")]
    pub github_repo: Option<String>,
    /// The GitHub service connection's id (with --github-repo).
    #[arg(long, value_name = "ID")]
    pub service_connection: Option<String>,
    /// The folder.
    #[arg(long)]
    pub folder: Option<String>,
    /// The request body from a JSON file (`-`: standard input); --name and --folder change it.
    #[arg(long, value_name = "FILE")]
    pub body: Option<String>,
}

/// How to run (or preview) a pipeline.
#[derive(Args, Debug, Default)]
pub struct RunArgs {
    /// The branch (or full ref) of the pipeline's repository to run from.
    #[arg(long)]
    pub branch: Option<String>,
    /// A variable for the run, `NAME=VALUE` (repeatable).
    #[arg(long = "variable", value_name = "NAME=VALUE")]
    pub variables: Vec<String>,
    /// A secret variable, `NAME=VALUE` (repeatable): the service never shows its value.
    #[arg(long = "secret-variable", value_name = "NAME=VALUE")]
    pub secret_variables: Vec<String>,
    /// A template parameter, `NAME=VALUE` (repeatable).
    #[arg(long = "parameter", value_name = "NAME=VALUE")]
    pub parameters: Vec<String>,
    /// A stage to skip (repeatable).
    #[arg(long = "skip-stage", value_name = "STAGE")]
    pub skip_stages: Vec<String>,
    /// The request body from a JSON file (`-`: standard input); the flags add to it.
    #[arg(long, value_name = "FILE")]
    pub body: Option<String>,
}

/// The resource a permission is about.
#[derive(Args, Debug)]
pub struct ResourceArgs {
    /// endpoint, queue, variablegroup, securefile, environment or repository.
    #[arg(long)]
    pub resource_type: String,
    /// The resource id (a repository's is `{projectId}.{repositoryId}`).
    #[arg(long)]
    pub resource_id: String,
}

/// `ado pipelines permissions ...`
#[derive(Subcommand, Debug)]
pub enum PermissionsCommand {
    /// Show which pipelines may use a resource.
    Get {
        #[command(flatten)]
        resource: ResourceArgs,
    },
    /// Authorize or withdraw pipelines' use of a resource.
    Update {
        #[command(flatten)]
        resource: ResourceArgs,
        /// Pipeline ids to authorize.
        #[arg(long = "authorize")]
        authorize: Vec<i32>,
        /// Pipeline ids to withdraw.
        #[arg(long = "withdraw")]
        withdraw: Vec<i32>,
        /// Authorize (true) or stop authorizing (false) every pipeline.
        #[arg(long)]
        all_pipelines: Option<bool>,
        /// The request body from a JSON file (`-`: standard input); the flags add to it.
        #[arg(long, value_name = "FILE")]
        body: Option<String>,
    },
}

/// `ado pipelines runs ...`
#[derive(Subcommand, Debug)]
pub enum RunsCommand {
    /// List a pipeline's runs.
    List {
        /// The pipeline id.
        #[arg(long)]
        pipeline_id: i32,
    },
    /// Show a run.
    Get {
        /// The pipeline id.
        #[arg(long)]
        pipeline_id: i32,
        /// The run id.
        #[arg(long)]
        run_id: i32,
    },
    /// Queue a run.
    Run {
        /// The pipeline id.
        #[arg(long)]
        pipeline_id: i32,
        #[command(flatten)]
        run: RunArgs,
    },
}

/// `ado pipelines logs ...`
#[derive(Subcommand, Debug)]
pub enum LogsCommand {
    /// List a run's logs.
    List {
        /// The pipeline id.
        #[arg(long)]
        pipeline_id: i32,
        /// The run id.
        #[arg(long)]
        run_id: i32,
    },
    /// Show one log (with a signed download URL).
    Get {
        /// The pipeline id.
        #[arg(long)]
        pipeline_id: i32,
        /// The run id.
        #[arg(long)]
        run_id: i32,
        /// The log id.
        #[arg(long)]
        log_id: i32,
    },
}

/// `ado pipelines artifacts ...`
#[derive(Subcommand, Debug)]
pub enum ArtifactsCommand {
    /// Show an artifact (with a signed download URL).
    Get {
        /// The pipeline id.
        #[arg(long)]
        pipeline_id: i32,
        /// The run id.
        #[arg(long)]
        run_id: i32,
        /// The artifact's name.
        #[arg(long)]
        artifact_name: String,
    },
}

/// `ado policy ...`
#[derive(Subcommand, Debug)]
pub enum PolicyCommand {
    /// Show a policy configuration.
    Get {
        /// The configuration id.
        #[arg(long)]
        id: i32,
    },
    /// List policy configurations (every page); with `--repository-id`, those that apply to the
    /// repository (and with `--branch`, to that branch).
    List {
        /// Only this policy type (id).
        #[arg(long)]
        policy_type: Option<String>,
        /// Only policies that apply to this repository (id).
        #[arg(long)]
        repository_id: Option<String>,
        /// Only policies that apply to this branch (`main` or `refs/heads/main`); needs
        /// `--repository-id`.
        #[arg(long, requires = "repository_id")]
        branch: Option<String>,
        /// How many configurations to show (default: all, a page at a time).
        #[arg(long)]
        top: Option<usize>,
    },
    /// Create a policy configuration from a JSON file (`-` for standard input).
    Create {
        /// The configuration, as the service takes it (`type.id`, `settings`, `isEnabled`, ...).
        #[arg(long, alias = "config", value_name = "FILE")]
        body: String,
    },
    /// Replace a policy configuration from a JSON file (`-` for standard input).
    Update {
        /// The configuration id.
        #[arg(long)]
        id: i32,
        /// The configuration, as the service takes it.
        #[arg(long, alias = "config", value_name = "FILE")]
        body: String,
    },
    /// Delete a policy configuration.
    Delete {
        /// The configuration id.
        #[arg(long)]
        id: i32,
    },
    /// Revisions of a configuration.
    #[command(subcommand)]
    Revisions(RevisionsCommand),
    /// Policy evaluations of a pull request.
    #[command(subcommand)]
    Evaluations(EvaluationsCommand),
    /// Minimum number of reviewers: create or update with typed flags.
    #[command(subcommand)]
    ApproverCount(Action<ApproverCount>),
    /// Required reviewers: create or update with typed flags.
    #[command(subcommand)]
    RequiredReviewer(Action<RequiredReviewer>),
    /// Build validation: create or update with typed flags.
    #[command(subcommand)]
    Build(Action<Build>),
    /// Comment requirements: create or update.
    #[command(subcommand)]
    CommentRequired(Action<CommentRequired>),
    /// Work item linking: create or update.
    #[command(subcommand)]
    WorkItemLinking(Action<WorkItemLinking>),
    /// Merge strategy: create or update with typed flags.
    #[command(subcommand)]
    MergeStrategy(Action<MergeStrategy>),
    /// File size restriction (repository): create or update with typed flags.
    #[command(subcommand)]
    FileSize(Action<FileSize>),
    /// File name restriction (repository): create or update with typed flags.
    #[command(subcommand)]
    FilePath(Action<FilePath>),
    /// Case enforcement (repository): create or update.
    #[command(subcommand)]
    CaseEnforcement(Action<CaseEnforcement>),
    /// Maximum path length (repository): create or update with typed flags.
    #[command(subcommand)]
    MaxPathLength(Action<MaxPathLength>),
    /// Reserved names (repository): create or update.
    #[command(subcommand)]
    ReservedNames(Action<ReservedNames>),
    /// Policy types.
    #[command(subcommand)]
    Types(TypesCommand),
}

/// `ado policy revisions ...`
#[derive(Subcommand, Debug)]
pub enum RevisionsCommand {
    /// List a configuration's revisions.
    List {
        /// The configuration id.
        #[arg(long)]
        id: i32,
    },
    /// Show one revision.
    Get {
        /// The configuration id.
        #[arg(long)]
        id: i32,
        /// The revision.
        #[arg(long)]
        revision: i32,
    },
}

/// `ado policy evaluations ...`
#[derive(Subcommand, Debug)]
pub enum EvaluationsCommand {
    /// List the evaluations of a pull request.
    List {
        /// The pull request id.
        #[arg(long)]
        pull_request_id: u32,
        /// The project's id (GUID); looked up from the fake when omitted with --fake.
        #[arg(long)]
        project_id: Option<String>,
        /// Include evaluations that do not apply.
        #[arg(long)]
        include_not_applicable: bool,
    },
    /// Show one evaluation.
    Get {
        /// The evaluation id.
        #[arg(long)]
        id: String,
    },
    /// Queue an evaluation again.
    Requeue {
        /// The evaluation id.
        #[arg(long)]
        id: String,
    },
}

/// `ado policy types ...`
#[derive(Subcommand, Debug)]
pub enum TypesCommand {
    /// List the policy types.
    List,
    /// Show a policy type.
    Get {
        /// The type id.
        #[arg(long)]
        id: String,
    },
}

/// `ado repos ...`
#[derive(Subcommand, Debug)]
pub enum ReposCommand {
    /// List the project's repositories.
    List,
    /// Show one repository.
    Show {
        /// The repository's name or id.
        #[arg(long, short = 'r')]
        repository: String,
    },
    /// Create a repository.
    Create {
        /// The new repository's name.
        #[arg(long)]
        name: String,
    },
    /// Rename a repository or change its default branch.
    Update {
        /// The repository's name or id.
        #[arg(long, short = 'r')]
        repository: String,
        /// The new name.
        #[arg(long)]
        name: Option<String>,
        /// The new default branch (`main` or `refs/heads/main`).
        #[arg(long)]
        default_branch: Option<String>,
    },
    /// Delete a repository.
    Delete {
        /// The repository's id.
        #[arg(long)]
        id: String,
    },
    /// Refs (branches and tags) of a repository.
    #[command(subcommand)]
    Ref(RefCommand),
}

/// `ado repos ref ...`
#[derive(Subcommand, Debug)]
pub enum RefCommand {
    /// List refs (every page).
    List {
        /// The repository's name or id.
        #[arg(long, short = 'r')]
        repository: String,
        /// Only refs whose name starts with this, after `refs/` (`heads/`, `tags/v1`).
        #[arg(long)]
        filter: Option<String>,
    },
    /// Create a ref pointing at a commit.
    Create {
        /// The repository's name or id.
        #[arg(long, short = 'r')]
        repository: String,
        /// The ref (`heads/my-branch` or `refs/heads/my-branch`).
        #[arg(long)]
        name: String,
        /// The commit it points at (40 hexadecimal digits).
        #[arg(long)]
        object_id: String,
    },
    /// Delete a ref, if it still points at the commit given.
    Delete {
        /// The repository's name or id.
        #[arg(long, short = 'r')]
        repository: String,
        /// The ref (`heads/my-branch` or `refs/heads/my-branch`).
        #[arg(long)]
        name: String,
        /// The commit it points at now (40 hexadecimal digits).
        #[arg(long)]
        object_id: String,
    },
    /// Lock a ref: others can no longer change it.
    Lock {
        /// The repository's name or id.
        #[arg(long, short = 'r')]
        repository: String,
        /// The ref (`heads/my-branch` or `refs/heads/my-branch`).
        #[arg(long)]
        name: String,
    },
    /// Unlock a ref.
    Unlock {
        /// The repository's name or id.
        #[arg(long, short = 'r')]
        repository: String,
        /// The ref (`heads/my-branch` or `refs/heads/my-branch`).
        #[arg(long)]
        name: String,
    },
}
