//! The typed shapes of the well-known policy types' settings, and the scope they share.

use serde::{Deserialize, Serialize};
use serde_json::{Map, Value};
use uuid::Uuid;

ado_core::open_enum! {
    /// How a branch scope matches ref names (accepted in any case, written capitalised).
    pub enum MatchKind: case_insensitive {
        /// The ref name exactly.
        Exact = "Exact",
        /// Every ref that starts with the name.
        Prefix = "Prefix",
        /// The repository's default branch.
        DefaultBranch = "DefaultBranch",
    }
}

/// Where a policy applies: a repository (or every repository, `None`), and for branch policies a
/// ref name and how it matches.
#[derive(Serialize, Deserialize, Clone, Debug, PartialEq, Default)]
#[serde(rename_all = "camelCase")]
pub struct BranchScope {
    /// The repository, or `None` for every repository of the project (sent as `null`).
    #[serde(default)]
    pub repository_id: Option<Uuid>,
    /// The ref name, such as `refs/heads/main` (branch policies).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub ref_name: Option<String>,
    /// How the ref name matches (branch policies).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub match_kind: Option<MatchKind>,
    /// Fields this version does not name, kept as they came.
    #[serde(flatten)]
    pub extra: Map<String, Value>,
}

impl BranchScope {
    /// A branch of every repository of the project.
    pub fn branch(ref_name: impl Into<String>, match_kind: MatchKind) -> Self {
        Self {
            repository_id: None,
            ref_name: Some(ref_name.into()),
            match_kind: Some(match_kind),
            extra: Map::new(),
        }
    }

    /// A whole repository (`None`: every repository), for repository policies.
    pub fn repository(repository_id: Option<Uuid>) -> Self {
        Self {
            repository_id,
            ..Default::default()
        }
    }
}

macro_rules! settings_struct {
    (
        $(#[$meta:meta])*
        $name:ident {
            $( $(#[$fmeta:meta])* $field:ident : $ty:ty ),* $(,)?
        }
    ) => {
        $(#[$meta])*
        #[derive(Serialize, Deserialize, Clone, Debug, PartialEq, Default)]
        #[serde(rename_all = "camelCase")]
        pub struct $name {
            $(
                $(#[$fmeta])*
                #[serde(default, skip_serializing_if = "Option::is_none")]
                pub $field: Option<$ty>,
            )*
            /// Where the policy applies.
            #[serde(default)]
            pub scope: Vec<BranchScope>,
            /// Fields this version does not name, kept as they came.
            #[serde(flatten)]
            pub extra: Map<String, Value>,
        }
    };
}

settings_struct! {
    /// Minimum number of reviewers.
    MinimumReviewersSettings {
        /// Approvals needed.
        minimum_approver_count: u32,
        /// The author's own vote counts.
        creator_vote_counts: bool,
        /// Allow completion with downvotes ("waiting" or "rejected").
        allow_downvotes: bool,
        /// Reset all votes when the source branch changes.
        reset_on_source_push: bool,
        /// Reset rejections when the source branch changes.
        reset_rejections_on_source_push: bool,
        /// Require a vote on the last iteration.
        require_vote_on_last_iteration: bool,
        /// Require a vote on every iteration.
        require_vote_on_each_iteration: bool,
        /// The last pusher's vote does not count.
        block_last_pusher_vote: bool,
    }
}

settings_struct! {
    /// Required reviewers.
    RequiredReviewersSettings {
        /// The identities that must review.
        required_reviewer_ids: Vec<Uuid>,
        /// Only when these files change.
        filename_patterns: Vec<String>,
        /// Only for added files.
        added_files_only: bool,
        /// A message for the pull request (`null` when none).
        message: String,
        /// Approvals needed among them.
        minimum_approver_count: u32,
        /// The author's own vote counts.
        creator_vote_counts: bool,
    }
}

settings_struct! {
    /// Build.
    BuildSettings {
        /// The build definition to queue.
        build_definition_id: i64,
        /// Queue only when the source updates.
        queue_on_source_update_only: bool,
        /// Queue only by hand.
        manual_queue_only: bool,
        /// The name shown on the pull request.
        display_name: String,
        /// How long a build stays valid, in minutes (0: forever).
        valid_duration: f64,
        /// Only when these files change.
        filename_patterns: Vec<String>,
    }
}

settings_struct! {
    /// Settings with nothing beyond the scope: comment requirements, work item linking, reserved
    /// names.
    ScopeOnlySettings {}
}

settings_struct! {
    /// Require a merge strategy.
    MergeStrategySettings {
        /// Allow squash merges.
        allow_squash: bool,
        /// Allow rebase and fast-forward.
        allow_rebase: bool,
        /// Allow rebase with a merge commit.
        allow_rebase_merge: bool,
        /// Allow merges without fast-forward.
        allow_no_fast_forward: bool,
        /// Legacy: squash merges only.
        use_squash_merge: bool,
    }
}

settings_struct! {
    /// Status.
    StatusSettings {
        /// The status name.
        status_name: String,
        /// The status genre.
        status_genre: String,
        /// The identity allowed to post it.
        author_id: Uuid,
        /// Reset when the source branch changes.
        invalidate_on_source_update: bool,
        /// The name shown.
        default_display_name: String,
        /// Only when these files change.
        filename_patterns: Vec<String>,
        /// When the policy applies (0: by default; 1: when a status is posted).
        policy_applicability: Value,
    }
}

settings_struct! {
    /// File size restriction (repository).
    FileSizeSettings {
        /// The largest blob allowed, in bytes.
        #[serde(alias = "MaximumGitBlobSizeInBytes")]
        maximum_git_blob_size_in_bytes: i64,
        /// Measure the uncompressed size.
        #[serde(alias = "UseUncompressedSize")]
        use_uncompressed_size: bool,
    }
}

settings_struct! {
    /// File name restriction (repository).
    FilePathPatternSettings {
        /// Patterns of paths refused.
        filename_patterns: Vec<String>,
    }
}

settings_struct! {
    /// Case enforcement (repository).
    CaseEnforcementSettings {
        /// Refuse paths that differ only in case.
        #[serde(alias = "EnforceConsistentCase")]
        enforce_consistent_case: bool,
    }
}

settings_struct! {
    /// Maximum path length (repository).
    MaximumPathLengthSettings {
        /// The longest path allowed.
        #[serde(alias = "MaxPathLength")]
        max_path_length: u32,
    }
}

settings_struct! {
    /// Commit author email validation (repository).
    CommitAuthorEmailSettings {
        /// Patterns author emails must match.
        #[serde(alias = "AuthorEmailPatterns")]
        author_email_patterns: Vec<String>,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn scopes_name_a_branch_or_a_repository() {
        let branch = BranchScope::branch("refs/heads/main", MatchKind::Prefix);
        assert_eq!(branch.ref_name.as_deref(), Some("refs/heads/main"));
        assert_eq!(branch.match_kind, Some(MatchKind::Prefix));
        assert_eq!(branch.repository_id, None);
        let id: Uuid = "49c1d4d0-be28-4f20-9e0a-4ecfafc39257".parse().unwrap();
        let repository = BranchScope::repository(Some(id));
        assert_eq!(repository.repository_id, Some(id));
        assert_eq!((repository.ref_name, repository.match_kind), (None, None));
    }
}
