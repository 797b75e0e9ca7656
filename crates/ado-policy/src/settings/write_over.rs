//! Typed settings written back over the settings they were read from: what did not change keeps
//! the exact form it came in (a key's spelling, a `null`, `720` rather than `720.0`), and what
//! changed is written under the spelling the original used. A read-modify-write sends back what
//! it read, plus the change.

use std::collections::BTreeSet;

use serde_json::{Map, Value};

use super::PolicySettings;

impl PolicySettings {
    /// These settings as the JSON object the service takes, written over `original` (the
    /// settings they were read from): fields whose typed value did not change keep their original
    /// text, changed fields keep their original spelling, and fields set to `None` are left out.
    ///
    /// ```
    /// use ado_policy::settings::{PolicySettings, type_ids};
    ///
    /// let read = serde_json::json!({"MaximumGitBlobSizeInBytes": 1024, "useUncompressedSize": null});
    /// let original = read.as_object().unwrap();
    /// let PolicySettings::FileSize(mut s) = PolicySettings::from_parts(type_ids::FILE_SIZE, original)? else {
    ///     unreachable!()
    /// };
    /// s.maximum_git_blob_size_in_bytes = Some(2048);
    /// let written = PolicySettings::FileSize(s).write_over(original);
    /// assert_eq!(
    ///     serde_json::Value::Object(written),
    ///     serde_json::json!({"MaximumGitBlobSizeInBytes": 2048, "useUncompressedSize": null})
    /// );
    /// # Ok::<(), ado_core::Error>(())
    /// ```
    #[inline]
    pub fn write_over(&self, original: &Map<String, Value>) -> Map<String, Value> {
        let fresh = self.to_map();
        // What the original reads as, written the canonical way: the yardstick for "changed".
        let Ok(read) = PolicySettings::from_parts(self.type_id(), original) else {
            return fresh;
        };
        let before = read.to_map();
        let mut written = original.clone();
        let keys: BTreeSet<&String> = fresh.keys().chain(before.keys()).collect();
        for key in keys {
            if fresh.get(key) == before.get(key) {
                continue;
            }
            let spelled = spelling_in(original, key);
            if let Some(spelled) = &spelled {
                written.remove(spelled);
            }
            if let Some(value) = fresh.get(key) {
                written.insert(spelled.unwrap_or_else(|| key.clone()), value.clone());
            }
        }
        written
    }
}

/// The key `original` spells the canonical (camelCase) `key` with: the same key, or one that
/// differs only in the case of its first letter (the service writes some settings capitalised).
fn spelling_in(original: &Map<String, Value>, key: &str) -> Option<String> {
    if original.contains_key(key) {
        return Some(key.to_string());
    }
    original.keys().find(|k| same_but_first_letter_case(k, key)).cloned()
}

fn same_but_first_letter_case(a: &str, b: &str) -> bool {
    let (mut a, mut b) = (a.chars(), b.chars());
    match (a.next(), b.next()) {
        (Some(x), Some(y)) => x.eq_ignore_ascii_case(&y) && a.eq(b),
        _ => false,
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::settings::type_ids;
    use serde_json::json;

    fn map(value: Value) -> Map<String, Value> {
        value.as_object().cloned().unwrap()
    }

    fn unchanged(type_id: uuid::Uuid, settings: Value) -> Value {
        let original = map(settings);
        let typed = PolicySettings::from_parts(type_id, &original).unwrap();
        Value::Object(typed.write_over(&original))
    }

    #[test]
    fn unchanged_settings_keep_nulls_spellings_and_number_forms() {
        let settings = json!({
            "MaximumGitBlobSizeInBytes": 104857600,
            "UseUncompressedSize": null,
            "scope": [{"repositoryId": null}]
        });
        assert_eq!(unchanged(type_ids::FILE_SIZE, settings.clone()), settings);
        let build = json!({"buildDefinitionId": 12, "validDuration": 720, "displayName": null});
        assert_eq!(unchanged(type_ids::BUILD, build.clone()), build);
    }

    #[test]
    fn unchanged_settings_without_a_scope_get_none() {
        let settings = json!({"minimumApproverCount": 1});
        assert_eq!(unchanged(type_ids::MINIMUM_REVIEWERS, settings.clone()), settings);
    }

    #[test]
    fn a_changed_field_keeps_the_spelling_it_was_read_with() {
        let original = map(json!({"MaxPathLength": 248, "scope": []}));
        let PolicySettings::MaximumPathLength(mut s) =
            PolicySettings::from_parts(type_ids::MAXIMUM_PATH_LENGTH, &original).unwrap()
        else {
            panic!()
        };
        s.max_path_length = Some(200);
        let written = PolicySettings::MaximumPathLength(s).write_over(&original);
        assert_eq!(Value::Object(written), json!({"MaxPathLength": 200, "scope": []}));
    }

    #[test]
    fn a_field_set_where_there_was_none_is_written_camel_case() {
        let original = map(json!({"minimumApproverCount": 1}));
        let PolicySettings::MinimumReviewers(mut s) =
            PolicySettings::from_parts(type_ids::MINIMUM_REVIEWERS, &original).unwrap()
        else {
            panic!()
        };
        s.creator_vote_counts = Some(true);
        let written = PolicySettings::MinimumReviewers(s).write_over(&original);
        assert_eq!(
            Value::Object(written),
            json!({"minimumApproverCount": 1, "creatorVoteCounts": true})
        );
    }

    #[test]
    fn a_field_set_to_none_is_left_out() {
        let original = map(json!({"minimumApproverCount": 1, "allowDownvotes": false}));
        let PolicySettings::MinimumReviewers(mut s) =
            PolicySettings::from_parts(type_ids::MINIMUM_REVIEWERS, &original).unwrap()
        else {
            panic!()
        };
        s.allow_downvotes = None;
        let written = PolicySettings::MinimumReviewers(s).write_over(&original);
        assert_eq!(Value::Object(written), json!({"minimumApproverCount": 1}));
    }

    #[test]
    fn first_letter_case_is_the_only_spelling_difference_matched() {
        assert!(same_but_first_letter_case("MaxPathLength", "maxPathLength"));
        assert!(!same_but_first_letter_case("MAXPATHLENGTH", "maxPathLength"));
        assert!(!same_but_first_letter_case("", "x"));
    }
}
