//! Git refs as the fake keeps them: git's ref-name rules, and one ref update (create, move or
//! delete) judged as the service judges it.

use serde_json::{Value, json};

use crate::repositories::{NO_OBJECT, Repository};

/// The longest ref name accepted (git itself has no limit; the service's stores do).
const MAX_REF_NAME: usize = 1024;

/// Whether `name` is a full ref name git accepts (`git check-ref-format`): under `refs/`, no
/// empty component, none starting with `.` or ending with `.lock`, no `..`, `@{`, control
/// characters, space or any of `~^:?*[\`, not ending with `/` or `.`, and not `@`.
pub fn valid_ref_name(name: &str) -> bool {
    const FORBIDDEN: &[char] = &[' ', '~', '^', ':', '?', '*', '[', '\\'];
    let Some(rest) = name.strip_prefix("refs/") else {
        return false;
    };
    name.len() <= MAX_REF_NAME
        && !rest.is_empty()
        && !name.ends_with('.')
        && !name.contains("..")
        && !name.contains("@{")
        && !name.chars().any(|c| c.is_control() || FORBIDDEN.contains(&c))
        && name
            .split('/')
            .all(|part| !part.is_empty() && !part.starts_with('.') && !part.ends_with(".lock"))
}

/// A 40-hex-digit object id, in lower case; `None` when `text` is not one.
pub fn object_id(text: &str) -> Option<String> {
    (text.len() == 40 && text.chars().all(|c| c.is_ascii_hexdigit())).then(|| text.to_ascii_lowercase())
}

/// Whether a new ref `name` would clash with an existing one as a directory or a file:
/// `refs/heads/a` and `refs/heads/a/b` cannot both exist.
fn conflicts(repository: &Repository, name: &str) -> bool {
    repository.refs.keys().any(|existing| {
        existing.strip_prefix(name).is_some_and(|rest| rest.starts_with('/'))
            || name
                .strip_prefix(existing.as_str())
                .is_some_and(|rest| rest.starts_with('/'))
    })
}

/// What the service escapes in a URL's data (.NET's `Uri.EscapeDataString`): all but letters,
/// digits and `-._~`.
const URI_DATA: &percent_encoding::AsciiSet = &percent_encoding::NON_ALPHANUMERIC
    .remove(b'-')
    .remove(b'.')
    .remove(b'_')
    .remove(b'~');

/// A ref document.
pub fn ref_document(org: &str, repository_id: &str, name: &str, object_id: &str, creator: &Value) -> Value {
    let filter = name.strip_prefix("refs/").unwrap_or(name);
    let filter = percent_encoding::utf8_percent_encode(filter, URI_DATA);
    json!({
        "name": name,
        "objectId": object_id,
        "creator": creator,
        "url": format!("https://dev.azure.com/{org}/_apis/git/repositories/{repository_id}/refs?filter={filter}")
    })
}

/// One update of a `POST …/refs` body, read: its name and old and new object ids.
pub struct RefUpdate {
    pub name: String,
    pub old: String,
    pub new: String,
}

impl RefUpdate {
    /// Read one element of the body; `Err` says what is wrong with it (a 400).
    pub fn read(value: &Value) -> Result<Self, String> {
        let text = |key: &str| match value.get(key) {
            Some(Value::String(text)) => Ok(text.clone()),
            Some(_) => Err(format!("`{key}` must be a string")),
            None => Err(format!("every ref update needs `{key}`")),
        };
        if !value.is_object() {
            return Err("every ref update must be an object".to_string());
        }
        Ok(Self {
            name: text("name")?,
            old: text("oldObjectId")?,
            new: text("newObjectId")?,
        })
    }
}

/// Lock a ref (by `locker`) or unlock it (`None`).
pub fn set_lock(document: &mut Value, locker: Option<Value>) {
    let Some(map) = document.as_object_mut() else {
        return;
    };
    match locker {
        Some(locker) => {
            map.insert("isLocked".into(), json!(true));
            map.insert("isLockedBy".into(), locker);
        }
        None => {
            map.remove("isLocked");
            map.remove("isLockedBy");
        }
    }
}

/// Whether a ref is locked against `caller`: a lock holds against everyone but who locked it.
fn locked_against(document: &Value, caller: &Value) -> bool {
    document["isLocked"] == json!(true) && document.pointer("/isLockedBy/id") != caller.get("id")
}

/// Apply one update by `caller` to the refs as they are, and the result the service answers for
/// it. A new first branch becomes the repository's default branch.
pub fn apply(repository: &mut Repository, org: &str, update: &RefUpdate, caller: &Value) -> Value {
    let (old, new) = (object_id(&update.old), object_id(&update.new));
    let name = update.name.as_str();
    let current = repository.refs.get(name);
    let current_object = current
        .and_then(|r| r["objectId"].as_str())
        .unwrap_or(NO_OBJECT)
        .to_string();
    let locked = current.is_some_and(|r| locked_against(r, caller));
    let is_locked = current.is_some_and(|r| r["isLocked"] == json!(true));
    let status = match (&old, &new) {
        _ if !valid_ref_name(name) => "invalidRefName",
        (None, _) | (_, None) => "unresolvableToCommit",
        _ if locked => "locked",
        (Some(old), _) if *old != current_object => "staleOldObjectId",
        (Some(old), _) if old == NO_OBJECT && conflicts(repository, name) => "refNameConflict",
        _ => "succeeded",
    };
    if let (Some(new), "succeeded") = (&new, status) {
        if new == NO_OBJECT {
            repository.refs.remove(name);
        } else {
            match repository.refs.get_mut(name) {
                // A moved ref keeps its creator and its lock.
                Some(held) => held["objectId"] = json!(new),
                None => {
                    let document = ref_document(org, &repository.id(), name, new, caller);
                    repository.refs.insert(name.to_string(), document);
                }
            }
            let is_branch = name.starts_with("refs/heads/");
            if is_branch && repository.default_branch().is_none() {
                repository.document["defaultBranch"] = json!(name);
            }
        }
    }
    json!({
        "repositoryId": repository.id(),
        "name": name,
        "oldObjectId": old.unwrap_or_else(|| update.old.clone()),
        "newObjectId": new.unwrap_or_else(|| update.new.clone()),
        "isLocked": is_locked,
        "updateStatus": status,
        "success": status == "succeeded"
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn ref_names_follow_git_check_ref_format() {
        for good in [
            "refs/heads/main",
            "refs/heads/feature/x-1",
            "refs/tags/v1.0",
            "refs/heads/ü",
        ] {
            assert!(valid_ref_name(good), "{good}");
        }
        for bad in [
            "heads/main",
            "refs/",
            "refs/heads/a..b",
            "refs/heads/../x",
            "refs/heads/x.lock",
            "refs/heads/.hidden",
            "refs/heads/end.",
            "refs/heads/sp ace",
            "refs/heads/a~1",
            "refs/heads/a^",
            "refs/heads/a:b",
            "refs/heads/a?",
            "refs/heads/a*",
            "refs/heads/a[",
            "refs/heads/a\\b",
            "refs/heads/x@{1}",
            "refs/heads/\u{1}",
            "refs/heads/a//b",
            "refs/heads/a/",
        ] {
            assert!(!valid_ref_name(bad), "{bad}");
        }
        assert!(!valid_ref_name(&format!("refs/heads/{}", "a".repeat(MAX_REF_NAME))));
    }

    #[test]
    fn object_ids_are_forty_hex_digits_read_in_lower_case() {
        assert_eq!(object_id(&"AB".repeat(20)), Some("ab".repeat(20)));
        assert_eq!(object_id("abc"), None);
        assert_eq!(object_id(&"g".repeat(40)), None);
    }

    #[test]
    fn a_ref_update_needs_a_name_and_both_object_ids_as_strings() {
        assert_eq!(
            RefUpdate::read(&json!({"name": "refs/heads/x"})).err().unwrap(),
            "every ref update needs `oldObjectId`"
        );
        let wrong = json!({"name": "refs/heads/x", "oldObjectId": 0, "newObjectId": NO_OBJECT});
        assert_eq!(RefUpdate::read(&wrong).err().unwrap(), "`oldObjectId` must be a string");
        assert_eq!(
            RefUpdate::read(&json!(1)).err().unwrap(),
            "every ref update must be an object"
        );
    }

    fn fiber() -> Repository {
        crate::repositories::seed("fabrikam", uuid::Uuid::nil(), "fabrikam-fiber-git").remove(0)
    }

    const MASTER: &str = "7fb1e1e1a0a9d4b3d3a5a6c9f8e1d2c3b4a59687";

    fn run(repository: &mut Repository, name: &str, old: &str, new: &str) -> Value {
        let update = RefUpdate {
            name: name.into(),
            old: old.into(),
            new: new.into(),
        };
        apply(repository, "fabrikam", &update, &crate::seed::identity())
    }

    #[test]
    fn a_create_a_move_and_a_delete_change_the_refs() {
        let mut repository = fiber();
        assert_eq!(
            run(&mut repository, "refs/heads/x", NO_OBJECT, MASTER)["updateStatus"],
            "succeeded"
        );
        assert_eq!(repository.refs["refs/heads/x"]["objectId"], MASTER);
        let other = "c2a4b5d6e7f8091a2b3c4d5e6f708192a3b4c5d6";
        assert_eq!(
            run(&mut repository, "refs/heads/x", MASTER, other)["updateStatus"],
            "succeeded"
        );
        assert_eq!(repository.refs["refs/heads/x"]["objectId"], other);
        assert_eq!(run(&mut repository, "refs/heads/x", other, NO_OBJECT)["success"], true);
        assert!(!repository.refs.contains_key("refs/heads/x"));
    }

    #[test]
    fn a_refused_update_changes_nothing_and_says_why() {
        let mut repository = fiber();
        let before = repository.refs.clone();
        let cases = [
            ("refs/heads/master", NO_OBJECT, MASTER, "staleOldObjectId"),
            ("refs/heads/master/sub", NO_OBJECT, MASTER, "refNameConflict"),
            ("refs/heads/releases", NO_OBJECT, MASTER, "refNameConflict"),
            ("refs/heads/a..b", NO_OBJECT, MASTER, "invalidRefName"),
            ("refs/heads/y", NO_OBJECT, "not-a-commit", "unresolvableToCommit"),
            (
                "refs/heads/releases/2.0",
                "d3b5c6e7f8091a2b3c4d5e6f708192a3b4c5d6e7",
                NO_OBJECT,
                "locked",
            ),
        ];
        for (name, old, new, status) in cases {
            let answer = run(&mut repository, name, old, new);
            assert_eq!(answer["updateStatus"], status, "{name}");
            assert_eq!(answer["success"], false, "{name}");
            assert_eq!(answer["isLocked"], status == "locked", "{name}");
        }
        assert_eq!(repository.refs, before);
    }

    #[test]
    fn the_first_branch_of_an_empty_repository_becomes_its_default_and_a_tag_does_not() {
        let mut repository = fiber();
        repository.refs.clear();
        if let Some(map) = repository.document.as_object_mut() {
            map.remove("defaultBranch");
        }
        run(&mut repository, "refs/tags/v1", NO_OBJECT, MASTER);
        assert_eq!(repository.default_branch(), None);
        run(&mut repository, "refs/heads/main", NO_OBJECT, MASTER);
        run(&mut repository, "refs/heads/second", NO_OBJECT, MASTER);
        assert_eq!(repository.default_branch(), Some("refs/heads/main"));
    }

    #[test]
    fn a_moved_ref_keeps_its_creator_and_its_lock() {
        let mut repository = fiber();
        let master = repository.refs.get_mut("refs/heads/master").unwrap();
        master["creator"] = json!({"id": "someone-else"});
        set_lock(master, Some(crate::seed::identity()));
        let other = "c2a4b5d6e7f8091a2b3c4d5e6f708192a3b4c5d6";
        assert_eq!(
            run(&mut repository, "refs/heads/master", MASTER, other)["updateStatus"],
            "succeeded"
        );
        let master = &repository.refs["refs/heads/master"];
        assert_eq!(master["objectId"], other);
        assert_eq!(master["creator"], json!({"id": "someone-else"}));
        assert_eq!(master["isLocked"], true);
    }

    #[test]
    fn a_ref_url_escapes_its_name_as_the_service_does() {
        let document = ref_document("fabrikam", "r", "refs/heads/releases/1.0_x~y", MASTER, &json!({}));
        assert_eq!(
            document["url"],
            "https://dev.azure.com/fabrikam/_apis/git/repositories/r/refs?filter=heads%2Freleases%2F1.0_x~y"
        );
    }
}
