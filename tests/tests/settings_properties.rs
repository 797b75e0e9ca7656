//! Property tests over whole spaces of policy settings objects: any mix of known fields (in
//! either spelling the service uses, `null` or a value), unknown fields and scopes reads typed and
//! writes back unchanged; changing one typed field changes that key alone.

use ado_policy::settings::{PolicySettings, type_ids};
use proptest::prelude::*;
use serde_json::{Map, Value, json};
use uuid::Uuid;

/// The JSON kind of a known field.
#[derive(Debug, Clone, Copy)]
enum Kind {
    Count,
    Flag,
    Text,
    Texts,
    Ids,
    Minutes,
}

/// Known fields of some well-known types (camelCase) and their kinds.
fn fields(type_id: Uuid) -> &'static [(&'static str, Kind)] {
    match type_id {
        type_ids::MINIMUM_REVIEWERS => &[
            ("minimumApproverCount", Kind::Count),
            ("creatorVoteCounts", Kind::Flag),
            ("allowDownvotes", Kind::Flag),
            ("resetOnSourcePush", Kind::Flag),
        ],
        type_ids::REQUIRED_REVIEWERS => &[
            ("requiredReviewerIds", Kind::Ids),
            ("filenamePatterns", Kind::Texts),
            ("message", Kind::Text),
            ("minimumApproverCount", Kind::Count),
        ],
        type_ids::BUILD => &[
            ("buildDefinitionId", Kind::Count),
            ("displayName", Kind::Text),
            ("validDuration", Kind::Minutes),
            ("manualQueueOnly", Kind::Flag),
        ],
        type_ids::FILE_SIZE => &[
            ("maximumGitBlobSizeInBytes", Kind::Count),
            ("useUncompressedSize", Kind::Flag),
        ],
        _ => &[],
    }
}

fn value_of(kind: Kind) -> BoxedStrategy<Value> {
    match kind {
        Kind::Count => (0u32..10_000).prop_map(|n| json!(n)).boxed(),
        Kind::Flag => any::<bool>().prop_map(|b| json!(b)).boxed(),
        Kind::Text => "[a-zA-Z ]{0,12}".prop_map(|s| json!(s)).boxed(),
        Kind::Texts => prop::collection::vec("[a-z*/.]{1,8}", 0..3)
            .prop_map(|v| json!(v))
            .boxed(),
        Kind::Ids => prop::collection::vec(any::<u128>(), 0..3)
            .prop_map(|v| {
                json!(
                    v.into_iter()
                        .map(|n| Uuid::from_u128(n).to_string())
                        .collect::<Vec<_>>()
                )
            })
            .boxed(),
        // Whole minutes as the service writes them (720), or fractions (0.5).
        Kind::Minutes => prop_oneof![
            (0u32..10_000).prop_map(|n| json!(n)),
            (0u32..100).prop_map(|n| json!(n as f64 / 4.0))
        ]
        .boxed(),
    }
}

fn scope_entry() -> impl Strategy<Value = Value> {
    (
        prop::option::of(prop::option::of(any::<u128>())),
        prop::option::of("refs/heads/[a-z]{1,6}"),
        prop::option::of(prop_oneof![
            Just("Exact"),
            Just("exact"),
            Just("Prefix"),
            Just("DefaultBranch")
        ]),
    )
        .prop_map(|(repository, ref_name, kind)| {
            let mut entry = Map::new();
            if let Some(repository) = repository {
                entry.insert(
                    "repositoryId".into(),
                    repository.map_or(Value::Null, |n| json!(Uuid::from_u128(n).to_string())),
                );
            }
            if let Some(ref_name) = ref_name {
                entry.insert("refName".into(), json!(ref_name));
            }
            if let Some(kind) = kind {
                entry.insert("matchKind".into(), json!(kind));
            }
            Value::Object(entry)
        })
}

/// A settings object for `type_id`: each known field absent, `null`, or a value, spelled camelCase
/// or capitalised; perhaps a scope; perhaps fields no version names.
fn settings_for(type_id: Uuid) -> impl Strategy<Value = Map<String, Value>> {
    let known: Vec<_> = fields(type_id)
        .iter()
        .map(|(name, kind)| {
            (
                prop::option::of(prop::option::of(value_of(*kind))),
                any::<bool>(),
                Just(*name),
            )
        })
        .collect();
    let unknown = prop::collection::btree_map(
        "future[A-Z][a-z]{2,6}",
        prop_oneof![
            Just(Value::Null),
            any::<i64>().prop_map(|n| json!(n)),
            "[a-z]{0,6}".prop_map(|s| json!(s))
        ],
        0..3,
    );
    let scope = prop::option::of(prop::collection::vec(scope_entry(), 0..3));
    (known, unknown, scope).prop_map(|(known, unknown, scope)| {
        let mut map = Map::new();
        for (value, capitalised, name) in known {
            let Some(value) = value else { continue };
            let key = if capitalised {
                let mut chars = name.chars();
                chars
                    .next()
                    .map(|c| c.to_ascii_uppercase().to_string() + chars.as_str())
                    .unwrap_or_default()
            } else {
                name.to_string()
            };
            map.insert(key, value.unwrap_or(Value::Null));
        }
        map.extend(unknown);
        if let Some(scope) = scope {
            map.insert("scope".into(), Value::Array(scope));
        }
        map
    })
}

fn any_type() -> impl Strategy<Value = Uuid> {
    prop_oneof![
        Just(type_ids::MINIMUM_REVIEWERS),
        Just(type_ids::REQUIRED_REVIEWERS),
        Just(type_ids::BUILD),
        Just(type_ids::FILE_SIZE),
        any::<u128>().prop_map(Uuid::from_u128),
    ]
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(512))]

    #[test]
    fn settings_read_typed_are_written_back_exactly_as_they_came(
        (type_id, original) in any_type().prop_flat_map(|t| (Just(t), settings_for(t)))
    ) {
        // A capitalised key beside its camelCase twin is a duplicate field: refused, not lost.
        if let Ok(typed) = PolicySettings::from_parts(type_id, &original) {
            prop_assert_eq!(typed.write_over(&original), original);
        }
    }

    #[test]
    fn changing_the_approver_count_changes_that_key_alone(
        original in settings_for(type_ids::MINIMUM_REVIEWERS),
        count in 0u32..50,
    ) {
        let Ok(PolicySettings::MinimumReviewers(mut typed)) =
            PolicySettings::from_parts(type_ids::MINIMUM_REVIEWERS, &original)
        else {
            return Ok(());
        };
        typed.minimum_approver_count = Some(count);
        let written = PolicySettings::MinimumReviewers(typed).write_over(&original);
        let key = if original.contains_key("MinimumApproverCount") { "MinimumApproverCount" } else { "minimumApproverCount" };
        prop_assert_eq!(&written[key], &json!(count));
        let mut rest = written.clone();
        rest.remove(key);
        let mut before = original.clone();
        before.remove(key);
        prop_assert_eq!(rest, before);
    }
}
