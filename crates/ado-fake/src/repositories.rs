//! Git repositories and their refs, as the fake keeps them: documents shaped as the service
//! answers, and the seed (the repository the seeded policies' scopes name, and one more).

use std::collections::BTreeMap;

use serde_json::{Value, json};
use uuid::Uuid;

/// The seeded repository named in policy configuration 17's scope and in every run's resources.
pub const FIBER_REPOSITORY_ID: &str = "49c1d4d0-be28-4f20-9e0a-4ecfafc39257";
/// A second seeded repository, with no policy of its own.
pub const DOCS_REPOSITORY_ID: &str = "8a0f4b1e-6c2d-4e3f-9a1b-2c3d4e5f6a7b";
/// An object id no ref points to: the "none" of a ref update.
pub const NO_OBJECT: &str = "0000000000000000000000000000000000000000";

/// A repository and its refs.
#[derive(Debug, Clone)]
pub struct Repository {
    /// The repository as the service answers it.
    pub document: Value,
    /// Refs by full name (`refs/heads/master`), each as the service answers it.
    pub refs: BTreeMap<String, Value>,
}

impl Repository {
    /// The repository id.
    pub fn id(&self) -> String {
        self.document["id"].as_str().unwrap_or_default().to_string()
    }

    /// The repository name.
    pub fn name(&self) -> &str {
        self.document["name"].as_str().unwrap_or_default()
    }

    /// Whether `key` is this repository's id or (without case) its name.
    pub fn is(&self, key: &str) -> bool {
        self.id().eq_ignore_ascii_case(key) || self.name().eq_ignore_ascii_case(key)
    }

    /// The default branch (`refs/heads/master`), if it has one.
    pub fn default_branch(&self) -> Option<&str> {
        self.document["defaultBranch"].as_str()
    }
}

/// A repository document.
pub fn repository_document(org: &str, project_id: Uuid, project_name: &str, id: &str, name: &str) -> Value {
    json!({
        "id": id,
        "name": name,
        "url": format!("https://dev.azure.com/{org}/{project_id}/_apis/git/repositories/{id}"),
        "project": {
            "id": project_id,
            "name": project_name,
            "url": format!("https://dev.azure.com/{org}/_apis/projects/{project_id}"),
            "state": "wellFormed",
            "revision": 11,
            "visibility": "private"
        },
        "defaultBranch": "refs/heads/master",
        "size": 0,
        "remoteUrl": format!("https://dev.azure.com/{org}/{project_name}/_git/{name}"),
        "sshUrl": format!("git@ssh.dev.azure.com:v3/{org}/{project_name}/{name}"),
        "webUrl": format!("https://dev.azure.com/{org}/{project_name}/_git/{name}"),
        "isDisabled": false,
        "isInMaintenance": false
    })
}

/// A ref document.
pub fn ref_document(org: &str, repository_id: &str, name: &str, object_id: &str, creator: &Value) -> Value {
    let filter = name.strip_prefix("refs/").unwrap_or(name);
    json!({
        "name": name,
        "objectId": object_id,
        "creator": creator,
        "url": format!("https://dev.azure.com/{org}/_apis/git/repositories/{repository_id}/refs?filter={filter}")
    })
}

/// The seeded repositories of project `fabrikam-fiber-git`.
pub fn seed(org: &str, project_id: Uuid, project_name: &str) -> Vec<Repository> {
    let creator = crate::seed::identity();
    let make = |id: &str, name: &str, size: i64, refs: &[(&str, &str)]| {
        let mut document = repository_document(org, project_id, project_name, id, name);
        document["size"] = json!(size);
        Repository {
            document,
            refs: refs
                .iter()
                .map(|(ref_name, object)| (ref_name.to_string(), ref_document(org, id, ref_name, object, &creator)))
                .collect(),
        }
    };
    vec![
        make(
            FIBER_REPOSITORY_ID,
            project_name,
            1_843_257,
            &[
                ("refs/heads/master", "7fb1e1e1a0a9d4b3d3a5a6c9f8e1d2c3b4a59687"),
                ("refs/heads/adventureworks", "23d0bc5b128a10056dc68afece360d8a0fabb014"),
                ("refs/heads/releases/1.0", "c2a4b5d6e7f8091a2b3c4d5e6f708192a3b4c5d6"),
                ("refs/heads/releases/2.0", "d3b5c6e7f8091a2b3c4d5e6f708192a3b4c5d6e7"),
                ("refs/tags/v1.0", "c2a4b5d6e7f8091a2b3c4d5e6f708192a3b4c5d6"),
            ],
        ),
        make(
            DOCS_REPOSITORY_ID,
            "fabrikam-docs",
            52_814,
            &[("refs/heads/master", "9e8d7c6b5a4f3e2d1c0b9a8f7e6d5c4b3a2f1e0d")],
        ),
    ]
}

/// Whether one entry of a policy's `scope` applies to a repository and ref. An entry without a
/// repository applies to every repository; without a ref, to every ref. Without `repository`,
/// only entries that name no repository apply (the project's own policies).
pub fn scope_applies(entry: &Value, repository: Option<&Repository>, ref_name: Option<&str>) -> bool {
    let scoped_repository = entry.get("repositoryId").and_then(|r| r.as_str());
    let repository_matches = match (scoped_repository, repository) {
        (None, _) => true,
        (Some(id), Some(repository)) => repository.id().eq_ignore_ascii_case(id),
        (Some(_), None) => false,
    };
    let Some(ref_name) = ref_name else {
        return repository_matches;
    };
    let scoped_ref = entry.get("refName").and_then(|r| r.as_str());
    let kind = entry.get("matchKind").and_then(|k| k.as_str()).unwrap_or("Exact");
    let ref_matches = match scoped_ref {
        None if kind.eq_ignore_ascii_case("DefaultBranch") => {
            repository.and_then(Repository::default_branch) == Some(ref_name)
        }
        None => true,
        Some(scoped) if kind.eq_ignore_ascii_case("Prefix") => ref_name.starts_with(scoped),
        Some(scoped) => scoped == ref_name,
    };
    repository_matches && ref_matches
}

#[cfg(test)]
mod tests {
    use super::*;

    fn fiber() -> Repository {
        seed("fabrikam", Uuid::nil(), "fabrikam-fiber-git").remove(0)
    }

    #[test]
    fn an_entry_without_repository_or_ref_applies_everywhere() {
        assert!(scope_applies(
            &json!({"repositoryId": null}),
            Some(&fiber()),
            Some("refs/heads/x")
        ));
        assert!(scope_applies(&json!({}), None, None));
    }

    #[test]
    fn an_entry_naming_a_repository_applies_only_to_it_and_not_project_wide() {
        let entry = json!({"repositoryId": FIBER_REPOSITORY_ID, "refName": "refs/heads/master", "matchKind": "Exact"});
        assert!(scope_applies(&entry, Some(&fiber()), Some("refs/heads/master")));
        let docs = seed("fabrikam", Uuid::nil(), "p").remove(1);
        assert!(!scope_applies(&entry, Some(&docs), Some("refs/heads/master")));
        assert!(!scope_applies(&entry, None, Some("refs/heads/master")));
    }

    #[test]
    fn exact_prefix_and_default_branch_match_refs_as_the_service_does() {
        let exact = json!({"refName": "refs/heads/master", "matchKind": "Exact"});
        assert!(!scope_applies(&exact, Some(&fiber()), Some("refs/heads/master2")));
        let prefix = json!({"refName": "refs/heads/releases/", "matchKind": "Prefix"});
        assert!(scope_applies(&prefix, Some(&fiber()), Some("refs/heads/releases/1.0")));
        assert!(!scope_applies(&prefix, Some(&fiber()), Some("refs/heads/master")));
        let default = json!({"matchKind": "DefaultBranch"});
        assert!(scope_applies(&default, Some(&fiber()), Some("refs/heads/master")));
        assert!(!scope_applies(
            &default,
            Some(&fiber()),
            Some("refs/heads/adventureworks")
        ));
    }
}
