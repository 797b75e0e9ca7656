//! `ado policy <type> create|update`: a subcommand per well-known policy type with typed flags,
//! as `az repos policy` has, built on the SDK's typed settings. An update reads the
//! configuration, changes only what the flags name, and writes the rest back as it was read.

use ado_core::{Error, Result};
use ado_policy::PolicyClient;
use ado_policy::settings::{
    BranchScope, BuildSettings, CaseEnforcementSettings, FilePathPatternSettings, FileSizeSettings, MatchKind,
    MaximumPathLengthSettings, MergeStrategySettings, MinimumReviewersSettings, PolicyOptions, PolicySettings,
    RequiredReviewersSettings, ScopeOnlySettings,
};
use ado_policy::types::PolicyConfiguration;
use clap::{Args, Subcommand};
use uuid::Uuid;

use crate::output::Printer;

/// Where a policy applies, and whether it blocks.
#[derive(Args, Debug, Clone, Default)]
pub struct CommonArgs {
    /// The branch (a name such as `main`, or a full ref); branch policies need one on create.
    #[arg(long)]
    pub branch: Option<String>,
    /// How `--branch` matches: exact, prefix or defaultBranch.
    #[arg(long, default_value = "exact", value_name = "KIND")]
    pub branch_match_type: String,
    /// The repository (default: every repository of the project).
    #[arg(long)]
    pub repository_id: Option<Uuid>,
    /// Whether a failing policy blocks completion (true or false).
    #[arg(long, value_name = "BOOL")]
    pub blocking: Option<bool>,
    /// Whether the policy is on (true or false).
    #[arg(long, value_name = "BOOL")]
    pub enabled: Option<bool>,
}

/// Create a policy of this type, or change one.
#[derive(Subcommand, Debug)]
pub enum Action<S: Args> {
    /// Create a policy of this type.
    Create {
        #[command(flatten)]
        common: CommonArgs,
        #[command(flatten)]
        settings: S,
    },
    /// Change a policy of this type: only the flags given change.
    Update {
        /// The configuration id.
        #[arg(long)]
        id: i32,
        #[command(flatten)]
        common: CommonArgs,
        #[command(flatten)]
        settings: S,
    },
}

/// Flags that set fields of a typed settings struct.
pub trait SettingsFlags {
    /// The settings of the type, from a configuration's (or empty ones).
    fn read(settings: Option<PolicySettings>) -> Result<PolicySettings>;
    /// Apply the flags given.
    fn apply(&self, settings: &mut PolicySettings);
    /// Whether the type applies to branches (and needs `--branch` on create).
    const BRANCH_POLICY: bool;
}

macro_rules! flags {
    (
        $(#[$meta:meta])* $name:ident => $variant:ident($settings:ty), branch: $branch:literal {
            $( $(#[$fmeta:meta])* $flag:ident : $ty:ty => $field:ident ),* $(,)?
        }
    ) => {
        $(#[$meta])*
        #[derive(Args, Debug, Clone, Default)]
        pub struct $name {
            $(
                $(#[$fmeta])*
                #[arg(long)]
                pub $flag: Option<$ty>,
            )*
        }

        impl SettingsFlags for $name {
            const BRANCH_POLICY: bool = $branch;

            fn read(settings: Option<PolicySettings>) -> Result<PolicySettings> {
                match settings {
                    None => Ok(PolicySettings::$variant(<$settings>::default())),
                    Some(s @ PolicySettings::$variant(_)) => Ok(s),
                    Some(other) => Err(Error::invalid_input(format!(
                        "the configuration is of another policy type ({}); use its own subcommand",
                        other.type_id()
                    ))),
                }
            }

            #[allow(unused_variables)]
            fn apply(&self, settings: &mut PolicySettings) {
                if let PolicySettings::$variant(s) = settings {
                    $( if let Some(value) = &self.$flag { s.$field = Some(value.clone()); } )*
                }
            }
        }
    };
}

flags! {
    /// Minimum number of reviewers (`az repos policy approver-count`).
    ApproverCount => MinimumReviewers(MinimumReviewersSettings), branch: true {
        /// Approvals needed.
        minimum_approver_count: u32 => minimum_approver_count,
        /// The author's own vote counts (true or false).
        creator_vote_counts: bool => creator_vote_counts,
        /// Allow completion with waiting or rejected votes (true or false).
        allow_downvotes: bool => allow_downvotes,
        /// Reset votes when the source branch changes (true or false).
        reset_on_source_push: bool => reset_on_source_push,
    }
}

flags! {
    /// Required reviewers (`az repos policy required-reviewer`).
    RequiredReviewer => RequiredReviewers(RequiredReviewersSettings), branch: true {
        /// An identity that must review, by id (repeatable).
        required_reviewer_ids: Vec<Uuid> => required_reviewer_ids,
        /// A message for the pull request.
        message: String => message,
        /// Only when paths matching this pattern change (repeatable).
        path_filter: Vec<String> => filename_patterns,
        /// Approvals needed among them.
        minimum_approver_count: u32 => minimum_approver_count,
    }
}

flags! {
    /// Build validation (`az repos policy build`).
    Build => Build(BuildSettings), branch: true {
        /// The build definition to queue.
        build_definition_id: i64 => build_definition_id,
        /// The name shown on the pull request.
        display_name: String => display_name,
        /// Minutes a build stays valid (0: forever).
        valid_duration: f64 => valid_duration,
        /// Queue only by hand (true or false).
        manual_queue_only: bool => manual_queue_only,
        /// Queue only when the source updates (true or false).
        queue_on_source_update_only: bool => queue_on_source_update_only,
        /// Only when paths matching this pattern change (repeatable).
        path_filter: Vec<String> => filename_patterns,
    }
}

flags! {
    /// Comment requirements (`az repos policy comment-required`): no settings beyond the scope.
    CommentRequired => CommentRequirements(ScopeOnlySettings), branch: true {}
}

flags! {
    /// Work item linking (`az repos policy work-item-linking`): no settings beyond the scope.
    WorkItemLinking => WorkItemLinking(ScopeOnlySettings), branch: true {}
}

flags! {
    /// Merge strategy (`az repos policy merge-strategy`).
    MergeStrategy => MergeStrategy(MergeStrategySettings), branch: true {
        /// Allow squash merges (true or false).
        allow_squash: bool => allow_squash,
        /// Allow rebase and fast-forward (true or false).
        allow_rebase: bool => allow_rebase,
        /// Allow rebase with a merge commit (true or false).
        allow_rebase_merge: bool => allow_rebase_merge,
        /// Allow merges without fast-forward (true or false).
        allow_no_fast_forward: bool => allow_no_fast_forward,
    }
}

flags! {
    /// File size restriction (`az repos policy file-size`), for a repository.
    FileSize => FileSize(FileSizeSettings), branch: false {
        /// The largest blob allowed, in bytes.
        maximum_git_blob_size: i64 => maximum_git_blob_size_in_bytes,
        /// Measure the uncompressed size (true or false).
        use_uncompressed_size: bool => use_uncompressed_size,
    }
}

flags! {
    /// File name restriction (`az repos policy file-path`), for a repository.
    FilePath => FilePathPattern(FilePathPatternSettings), branch: false {
        /// A pattern of paths refused (repeatable).
        filepath_patterns: Vec<String> => filename_patterns,
    }
}

flags! {
    /// Case enforcement (`az repos policy case-enforcement`), for a repository.
    CaseEnforcement => CaseEnforcement(CaseEnforcementSettings), branch: false {
        /// Refuse paths that differ only in case (true or false).
        enforce_consistent_case: bool => enforce_consistent_case,
    }
}

flags! {
    /// Maximum path length, for a repository.
    MaxPathLength => MaximumPathLength(MaximumPathLengthSettings), branch: false {
        /// The longest path allowed.
        max_path_length: u32 => max_path_length,
    }
}

flags! {
    /// Reserved names, for a repository: no settings beyond the scope.
    ReservedNames => ReservedNames(ScopeOnlySettings), branch: false {}
}

/// `--branch-match-type`, in any case; a kind the service does not know is refused.
fn match_kind(text: &str) -> Result<MatchKind> {
    match text.parse::<MatchKind>() {
        Ok(MatchKind::Other(other)) => Err(Error::invalid_input(format!(
            "--branch-match-type `{other}`: use exact, prefix or defaultBranch"
        ))),
        Ok(kind) => Ok(kind),
        Err(never) => match never {},
    }
}

/// The scope the flags name, if they name one.
fn scope(common: &CommonArgs, branch_policy: bool) -> Result<Option<Vec<BranchScope>>> {
    if common.branch.is_none() && common.repository_id.is_none() {
        return Ok(None);
    }
    let mut entry = BranchScope::repository(common.repository_id);
    if let Some(branch) = &common.branch {
        if !branch_policy {
            return Err(Error::invalid_input(
                "--branch: this policy applies to a whole repository",
            ));
        }
        entry.ref_name = Some(ado_pipelines::branch_ref(branch));
        entry.match_kind = Some(match_kind(&common.branch_match_type)?);
    }
    Ok(Some(vec![entry]))
}

/// Run `ado policy <type> create|update`.
pub async fn run<S: Args + SettingsFlags>(
    client: &PolicyClient,
    project: &str,
    printer: &Printer,
    action: &Action<S>,
) -> Result<()> {
    match action {
        Action::Create { common, settings } => {
            let scope = scope(common, S::BRANCH_POLICY)?;
            if S::BRANCH_POLICY && common.branch.is_none() {
                return Err(Error::invalid_input("a branch policy needs --branch NAME"));
            }
            let mut typed = S::read(None)?;
            settings.apply(&mut typed);
            if let (Some(scope), Some(target)) = (scope, typed.scope_mut()) {
                *target = scope;
            }
            let options = PolicyOptions {
                blocking: common.blocking.unwrap_or(true),
                enabled: common.enabled.unwrap_or(true),
            };
            let configuration = PolicyConfiguration::from_settings(&typed, options);
            printer.object(&client.configurations().create(project, configuration).await?)
        }
        Action::Update { id, common, settings } => {
            let mut configuration = client.configurations().get(project, *id).await?;
            let mut typed = S::read(Some(configuration.typed_settings()?))?;
            settings.apply(&mut typed);
            if let (Some(scope), Some(target)) = (scope(common, S::BRANCH_POLICY)?, typed.scope_mut()) {
                *target = scope;
            }
            configuration.set_typed_settings(&typed);
            if let Some(blocking) = common.blocking {
                configuration.is_blocking = Some(blocking);
            }
            if let Some(enabled) = common.enabled {
                configuration.is_enabled = Some(enabled);
            }
            printer.object(&client.configurations().update(project, *id, configuration).await?)
        }
    }
}
