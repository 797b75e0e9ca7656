//! Typed `settings` for the well-known policy types, chosen by the configuration's type id.
//!
//! The service sends `settings` as a free-form object whose shape depends on `type.id` (never
//! trust `type.displayName`: the docs' own examples mislabel some). [`PolicySettings`] picks the
//! shape by id; any other type stays untyped and round-trips unchanged. Every typed shape keeps
//! fields it does not name in `extra`, so a read-modify-write loses nothing.
//!
//! ```
//! use ado_policy::settings::{BranchScope, MatchKind, MinimumReviewersSettings, PolicyOptions, PolicySettings};
//! use ado_policy::types::PolicyConfiguration;
//!
//! let settings = PolicySettings::MinimumReviewers(MinimumReviewersSettings {
//!     minimum_approver_count: Some(2),
//!     scope: vec![BranchScope::branch("refs/heads/main", MatchKind::Exact)],
//!     ..Default::default()
//! });
//! let configuration = PolicyConfiguration::from_settings(&settings, PolicyOptions::blocking());
//! assert_eq!(configuration.type_.unwrap().id, Some(ado_policy::settings::type_ids::MINIMUM_REVIEWERS));
//! ```

// The entry points that decode or encode settings (`from_parts`, `to_map`, `write_over` and the
// configuration's `typed_settings`, `set_typed_settings`, `from_settings`) are `#[inline]`: the
// code for every shape is then compiled in a program that calls them, not in every program that
// depends on this crate (docs/performance.md, cold build).
mod configuration;
mod shapes;
mod write_over;

use serde::{Serialize, de::DeserializeOwned};
use serde_json::{Map, Value};
use uuid::Uuid;

use ado_core::{Error, Result};

pub use configuration::PolicyOptions;
pub use shapes::*;

/// The ids of the well-known policy types.
pub mod type_ids {
    use uuid::Uuid;
    /// Minimum number of reviewers.
    pub const MINIMUM_REVIEWERS: Uuid = Uuid::from_u128(0xfa4e907d_c16b_4a4c_9dfa_4906e5d171dd);
    /// Required reviewers.
    pub const REQUIRED_REVIEWERS: Uuid = Uuid::from_u128(0xfd2167ab_b0be_447a_8ec8_39368250530e);
    /// Build.
    pub const BUILD: Uuid = Uuid::from_u128(0x0609b952_1397_4640_95ec_e00a01b2c241);
    /// Comment requirements.
    pub const COMMENT_REQUIREMENTS: Uuid = Uuid::from_u128(0xc6a1889d_b943_4856_b76f_9e46bb6b0df2);
    /// Work item linking.
    pub const WORK_ITEM_LINKING: Uuid = Uuid::from_u128(0x40e92b44_2fe1_4dd6_b3d8_74a9c21d0c6e);
    /// Require a merge strategy.
    pub const MERGE_STRATEGY: Uuid = Uuid::from_u128(0xfa4e907d_c16b_4a4c_9dfa_4916e5d171ab);
    /// Status.
    pub const STATUS: Uuid = Uuid::from_u128(0xcbdc66da_9728_4af8_aada_9a5a32e4a226);
    /// File size (repository).
    pub const FILE_SIZE: Uuid = Uuid::from_u128(0x2e26e725_8201_4edd_8bf5_978563c34a80);
    /// File path pattern (repository).
    pub const FILE_PATH_PATTERN: Uuid = Uuid::from_u128(0x51c78909_e838_41a2_9496_c647091e3c61);
    /// Case enforcement (repository).
    pub const CASE_ENFORCEMENT: Uuid = Uuid::from_u128(0x7ed39669_655c_494e_b4a0_a08b4da0fcce);
    /// Maximum path length (repository).
    pub const MAXIMUM_PATH_LENGTH: Uuid = Uuid::from_u128(0x001a79cf_fda1_4c4e_9e7c_bac40ee5ead8);
    /// Reserved names (repository).
    pub const RESERVED_NAMES: Uuid = Uuid::from_u128(0xdb2b9b4c_180d_4529_9701_01541d19f36b);
    /// Commit author email (repository).
    pub const COMMIT_AUTHOR_EMAIL: Uuid = Uuid::from_u128(0x77ed4bd3_b063_4689_934a_175e4d0a78d7);
}

/// A policy configuration's settings, typed by its policy type id.
#[derive(Clone, Debug, PartialEq)]
#[non_exhaustive]
pub enum PolicySettings {
    /// [`type_ids::MINIMUM_REVIEWERS`].
    MinimumReviewers(MinimumReviewersSettings),
    /// [`type_ids::REQUIRED_REVIEWERS`].
    RequiredReviewers(RequiredReviewersSettings),
    /// [`type_ids::BUILD`].
    Build(BuildSettings),
    /// [`type_ids::COMMENT_REQUIREMENTS`].
    CommentRequirements(ScopeOnlySettings),
    /// [`type_ids::WORK_ITEM_LINKING`].
    WorkItemLinking(ScopeOnlySettings),
    /// [`type_ids::MERGE_STRATEGY`].
    MergeStrategy(MergeStrategySettings),
    /// [`type_ids::STATUS`].
    Status(StatusSettings),
    /// [`type_ids::FILE_SIZE`].
    FileSize(FileSizeSettings),
    /// [`type_ids::FILE_PATH_PATTERN`].
    FilePathPattern(FilePathPatternSettings),
    /// [`type_ids::CASE_ENFORCEMENT`].
    CaseEnforcement(CaseEnforcementSettings),
    /// [`type_ids::MAXIMUM_PATH_LENGTH`].
    MaximumPathLength(MaximumPathLengthSettings),
    /// [`type_ids::RESERVED_NAMES`].
    ReservedNames(ScopeOnlySettings),
    /// [`type_ids::COMMIT_AUTHOR_EMAIL`].
    CommitAuthorEmail(CommitAuthorEmailSettings),
    /// Any other policy type, untyped; written back unchanged.
    Other {
        /// The policy type id.
        type_id: Uuid,
        /// The settings as they came.
        settings: Map<String, Value>,
    },
}

fn decode<T: DeserializeOwned>(type_name: &str, settings: &Map<String, Value>) -> Result<T> {
    serde_path_to_error::deserialize(Value::Object(settings.clone())).map_err(|e| {
        Error::decode(
            format!(
                "the {type_name} policy settings do not match their shape at `settings.{}`: {}",
                e.path(),
                e.inner()
            ),
            200,
        )
    })
}

fn encode<T: Serialize>(value: &T) -> Map<String, Value> {
    match serde_json::to_value(value) {
        Ok(Value::Object(map)) => map,
        _ => Map::new(),
    }
}

impl PolicySettings {
    /// Type `settings` by the policy type id.
    #[inline]
    pub fn from_parts(type_id: Uuid, settings: &Map<String, Value>) -> Result<Self> {
        use type_ids::*;
        Ok(match type_id {
            MINIMUM_REVIEWERS => Self::MinimumReviewers(decode("minimum reviewers", settings)?),
            REQUIRED_REVIEWERS => Self::RequiredReviewers(decode("required reviewers", settings)?),
            BUILD => Self::Build(decode("build", settings)?),
            COMMENT_REQUIREMENTS => Self::CommentRequirements(decode("comment requirements", settings)?),
            WORK_ITEM_LINKING => Self::WorkItemLinking(decode("work item linking", settings)?),
            MERGE_STRATEGY => Self::MergeStrategy(decode("merge strategy", settings)?),
            STATUS => Self::Status(decode("status", settings)?),
            FILE_SIZE => Self::FileSize(decode("file size", settings)?),
            FILE_PATH_PATTERN => Self::FilePathPattern(decode("file path pattern", settings)?),
            CASE_ENFORCEMENT => Self::CaseEnforcement(decode("case enforcement", settings)?),
            MAXIMUM_PATH_LENGTH => Self::MaximumPathLength(decode("maximum path length", settings)?),
            RESERVED_NAMES => Self::ReservedNames(decode("reserved names", settings)?),
            COMMIT_AUTHOR_EMAIL => Self::CommitAuthorEmail(decode("commit author email", settings)?),
            other => Self::Other {
                type_id: other,
                settings: settings.clone(),
            },
        })
    }

    /// The policy type id these settings belong to.
    pub fn type_id(&self) -> Uuid {
        use type_ids::*;
        match self {
            Self::MinimumReviewers(_) => MINIMUM_REVIEWERS,
            Self::RequiredReviewers(_) => REQUIRED_REVIEWERS,
            Self::Build(_) => BUILD,
            Self::CommentRequirements(_) => COMMENT_REQUIREMENTS,
            Self::WorkItemLinking(_) => WORK_ITEM_LINKING,
            Self::MergeStrategy(_) => MERGE_STRATEGY,
            Self::Status(_) => STATUS,
            Self::FileSize(_) => FILE_SIZE,
            Self::FilePathPattern(_) => FILE_PATH_PATTERN,
            Self::CaseEnforcement(_) => CASE_ENFORCEMENT,
            Self::MaximumPathLength(_) => MAXIMUM_PATH_LENGTH,
            Self::ReservedNames(_) => RESERVED_NAMES,
            Self::CommitAuthorEmail(_) => COMMIT_AUTHOR_EMAIL,
            Self::Other { type_id, .. } => *type_id,
        }
    }

    /// Where the policy applies, for a well-known type (`None` for [`PolicySettings::Other`],
    /// whose settings are kept untyped).
    ///
    /// ```
    /// use ado_policy::settings::{BranchScope, MatchKind, PolicySettings, type_ids};
    /// let mut settings = PolicySettings::from_parts(type_ids::BUILD, &serde_json::Map::new())?;
    /// settings.scope_mut().unwrap().push(BranchScope::branch("refs/heads/main", MatchKind::Exact));
    /// assert_eq!(settings.to_map()["scope"][0]["refName"], "refs/heads/main");
    /// # Ok::<(), ado_core::Error>(())
    /// ```
    pub fn scope_mut(&mut self) -> Option<&mut Vec<BranchScope>> {
        Some(match self {
            Self::MinimumReviewers(s) => &mut s.scope,
            Self::RequiredReviewers(s) => &mut s.scope,
            Self::Build(s) => &mut s.scope,
            Self::CommentRequirements(s) | Self::WorkItemLinking(s) | Self::ReservedNames(s) => &mut s.scope,
            Self::MergeStrategy(s) => &mut s.scope,
            Self::Status(s) => &mut s.scope,
            Self::FileSize(s) => &mut s.scope,
            Self::FilePathPattern(s) => &mut s.scope,
            Self::CaseEnforcement(s) => &mut s.scope,
            Self::MaximumPathLength(s) => &mut s.scope,
            Self::CommitAuthorEmail(s) => &mut s.scope,
            Self::Other { .. } => return None,
        })
    }

    /// The settings as the JSON object the service takes.
    #[inline]
    pub fn to_map(&self) -> Map<String, Value> {
        match self {
            Self::MinimumReviewers(s) => encode(s),
            Self::RequiredReviewers(s) => encode(s),
            Self::Build(s) => encode(s),
            Self::CommentRequirements(s) | Self::WorkItemLinking(s) | Self::ReservedNames(s) => encode(s),
            Self::MergeStrategy(s) => encode(s),
            Self::Status(s) => encode(s),
            Self::FileSize(s) => encode(s),
            Self::FilePathPattern(s) => encode(s),
            Self::CaseEnforcement(s) => encode(s),
            Self::MaximumPathLength(s) => encode(s),
            Self::CommitAuthorEmail(s) => encode(s),
            Self::Other { settings, .. } => settings.clone(),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    fn map(value: Value) -> Map<String, Value> {
        value.as_object().cloned().unwrap()
    }
    #[test]
    fn required_reviewers_are_typed_by_id_with_null_repository_and_message() {
        let settings = map(json!({
            "requiredReviewerIds": ["1d1dad71-f27c-4370-810d-838ec41efd41"],
            "filenamePatterns": ["*/API*.cs"],
            "addedFilesOnly": false,
            "message": null,
            "scope": [{"refName": "refs/heads/master", "matchKind": "Exact", "repositoryId": null}]
        }));
        let typed = PolicySettings::from_parts(type_ids::REQUIRED_REVIEWERS, &settings).unwrap();
        let PolicySettings::RequiredReviewers(s) = &typed else {
            panic!("{typed:?}")
        };
        assert_eq!(
            s.required_reviewer_ids.as_deref(),
            Some(&["1d1dad71-f27c-4370-810d-838ec41efd41".parse().unwrap()][..])
        );
        assert_eq!(s.message, None);
        assert_eq!(
            s.scope,
            vec![BranchScope::branch("refs/heads/master", MatchKind::Exact)]
        );
    }

    #[test]
    fn capitalised_file_size_fields_are_read() {
        let settings = map(
            json!({"MaximumGitBlobSizeInBytes": 104857600, "UseUncompressedSize": true, "scope": [{"repositoryId": null}]}),
        );
        let PolicySettings::FileSize(s) = PolicySettings::from_parts(type_ids::FILE_SIZE, &settings).unwrap() else {
            panic!()
        };
        assert_eq!(s.maximum_git_blob_size_in_bytes, Some(104_857_600));
        assert_eq!(s.use_uncompressed_size, Some(true));
    }

    #[test]
    fn an_unknown_type_round_trips_unchanged() {
        let type_id: Uuid = "11111111-2222-3333-4444-555555555555".parse().unwrap();
        let settings = map(json!({"zeta": 1, "alpha": {"nested": [1, 2]}, "scope": "not a list"}));
        let typed = PolicySettings::from_parts(type_id, &settings).unwrap();
        assert_eq!(typed.type_id(), type_id);
        assert_eq!(
            serde_json::to_string(&typed.to_map()).unwrap(),
            serde_json::to_string(&settings).unwrap()
        );
    }

    #[test]
    fn unknown_fields_of_a_known_type_survive() {
        let settings = map(
            json!({"minimumApproverCount": 1, "futureFlag": true, "scope": [{"refName": "refs/heads/x", "matchKind": "prefix", "repositoryId": null, "futureScope": 3}]}),
        );
        let typed = PolicySettings::from_parts(type_ids::MINIMUM_REVIEWERS, &settings).unwrap();
        let back = Value::Object(typed.to_map());
        assert_eq!(back["futureFlag"], json!(true));
        assert_eq!(back["scope"][0]["futureScope"], json!(3));
        assert_eq!(back["scope"][0]["matchKind"], json!("Prefix"));
    }

    #[test]
    fn a_known_type_with_a_wrong_field_names_the_path() {
        let settings = map(json!({"minimumApproverCount": "two"}));
        let err = PolicySettings::from_parts(type_ids::MINIMUM_REVIEWERS, &settings).unwrap_err();
        assert!(err.to_string().contains("at `settings.minimumApproverCount`"), "{err}");
    }

    /// Each well-known type id with settings that only that type names.
    fn every_known_type() -> Vec<(Uuid, Value)> {
        use type_ids::*;
        let scope = json!([{"repositoryId": null, "refName": "refs/heads/main", "matchKind": "Exact"}]);
        vec![
            (MINIMUM_REVIEWERS, json!({"minimumApproverCount": 2, "scope": scope})),
            (
                REQUIRED_REVIEWERS,
                json!({"requiredReviewerIds": ["d6245f20-2af8-44f4-9451-8107cb2767db"], "scope": scope}),
            ),
            (BUILD, json!({"buildDefinitionId": 12, "scope": scope})),
            (COMMENT_REQUIREMENTS, json!({"scope": scope})),
            (WORK_ITEM_LINKING, json!({"scope": scope})),
            (MERGE_STRATEGY, json!({"allowSquash": true, "scope": scope})),
            (STATUS, json!({"statusName": "ci", "scope": scope})),
            (FILE_SIZE, json!({"maximumGitBlobSizeInBytes": 1024, "scope": scope})),
            (
                FILE_PATH_PATTERN,
                json!({"filenamePatterns": ["/secrets/*"], "scope": scope}),
            ),
            (CASE_ENFORCEMENT, json!({"enforceConsistentCase": true, "scope": scope})),
            (MAXIMUM_PATH_LENGTH, json!({"maxPathLength": 248, "scope": scope})),
            (RESERVED_NAMES, json!({"scope": scope})),
            (
                COMMIT_AUTHOR_EMAIL,
                json!({"authorEmailPatterns": ["*@fabrikam.com"], "scope": scope}),
            ),
        ]
    }

    #[test]
    fn every_known_type_is_typed_by_its_id_and_written_back_as_it_came() {
        for (type_id, settings) in every_known_type() {
            let typed = PolicySettings::from_parts(type_id, &map(settings.clone())).unwrap();
            assert!(!matches!(typed, PolicySettings::Other { .. }), "{type_id}");
            assert_eq!(typed.type_id(), type_id);
            assert_eq!(Value::Object(typed.to_map()), settings, "{type_id}");
        }
    }

    #[test]
    fn the_scope_only_types_are_told_apart_by_their_id() {
        use type_ids::*;
        let settings = map(json!({"scope": []}));
        let comment = PolicySettings::from_parts(COMMENT_REQUIREMENTS, &settings).unwrap();
        let linking = PolicySettings::from_parts(WORK_ITEM_LINKING, &settings).unwrap();
        let reserved = PolicySettings::from_parts(RESERVED_NAMES, &settings).unwrap();
        assert!(matches!(comment, PolicySettings::CommentRequirements(_)));
        assert!(matches!(linking, PolicySettings::WorkItemLinking(_)));
        assert!(matches!(reserved, PolicySettings::ReservedNames(_)));
    }
}

#[cfg(all(test, feature = "schemars"))]
mod schema_tests {
    #[test]
    fn the_generated_types_describe_themselves() {
        let schema = schemars::schema_for!(crate::types::PolicyConfiguration);
        let text = serde_json::to_string(&schema).unwrap();
        assert!(text.contains("\"createdDate\"") && text.contains("date-time"), "{text}");
    }
}
