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

    /// Whether `key` names this repository: a GUID by its id only, anything else by its name
    /// (without case).
    pub fn is(&self, key: &str) -> bool {
        match key.parse::<Uuid>() {
            Ok(id) => self.id().parse::<Uuid>() == Ok(id),
            Err(_) => same_name(self.name(), key),
        }
    }

    /// Rename: the name and the URLs made from it change, nothing else.
    pub fn rename(&mut self, org: &str, project_id: Uuid, project_name: &str, name: &str) {
        let renamed = repository_document(org, project_id, project_name, &self.id(), name);
        for key in ["name", "remoteUrl", "sshUrl", "webUrl"] {
            self.document[key] = renamed[key].clone();
        }
    }

    /// Make this new, empty repository a fork of `parent`: the parent's refs (or only
    /// `source_ref`), the parent's default branch if copied (else the first branch), and the
    /// parent named.
    pub fn fork_of(&mut self, parent: &Repository, source_ref: Option<&str>, org: &str) {
        let caller = crate::seed::identity();
        let id = self.id();
        for (ref_name, document) in &parent.refs {
            if source_ref.is_none_or(|wanted| wanted == ref_name) {
                let object = document["objectId"].as_str().unwrap_or(NO_OBJECT);
                let copied = crate::refs::ref_document(org, &id, ref_name, object, &caller);
                self.refs.insert(ref_name.clone(), copied);
            }
        }
        let default = parent.default_branch().filter(|b| self.refs.contains_key(*b));
        let first_branch = || {
            self.refs
                .keys()
                .find(|r| r.starts_with("refs/heads/"))
                .map(String::as_str)
        };
        if let Some(default) = default.or_else(first_branch) {
            self.document["defaultBranch"] = json!(default);
        }
        self.document["isFork"] = json!(true);
        self.document["parentRepository"] = json!({
            "id": parent.id(),
            "name": parent.name(),
            "url": parent.document["url"],
            "project": parent.document["project"],
            "isFork": parent.document.get("isFork").cloned().unwrap_or(json!(false))
        });
    }

    /// The default branch (`refs/heads/master`), if it has one.
    pub fn default_branch(&self) -> Option<&str> {
        self.document["defaultBranch"].as_str()
    }
}

/// Whether two repository names are the same to the service (without case, in any script).
pub fn same_name(a: &str, b: &str) -> bool {
    a.to_lowercase() == b.to_lowercase()
}

/// Why the service refuses a repository name, or `None` when it takes it: at most 64
/// characters, no control characters or any of `\ / : * ? " < > | ; # $ { } , + = [ ]`, not
/// starting with `_` or `.`, not ending with `.`, no space at either end, not a reserved name.
pub fn name_fault(name: &str) -> Option<&'static str> {
    const RESERVED_CHARS: &str = "\\/:*?\"<>|;#$,{}+=[]";
    const RESERVED_NAMES: &[&str] = &[
        "con",
        "prn",
        "aux",
        "nul",
        "com1",
        "com2",
        "com3",
        "com4",
        "com5",
        "com6",
        "com7",
        "com8",
        "com9",
        "lpt1",
        "lpt2",
        "lpt3",
        "lpt4",
        "lpt5",
        "lpt6",
        "lpt7",
        "lpt8",
        "lpt9",
        "app_browsers",
        "app_code",
        "app_data",
        "app_globalresources",
        "app_localresources",
        "app_themes",
        "app_webresources",
        "bin",
        "web.config",
    ];
    if name.trim().is_empty() {
        Some("the repository needs a name")
    } else if name.chars().count() > 64 {
        Some("a repository name has at most 64 characters")
    } else if name.chars().any(|c| c.is_control() || RESERVED_CHARS.contains(c)) {
        Some("a repository name cannot hold control characters or any of \\ / : * ? \" < > | ; # $ , { } + = [ ]")
    } else if name.starts_with(['_', '.']) || name.ends_with('.') || name.trim() != name {
        Some("a repository name cannot start with `_` or `.`, end with `.`, or start or end with a space")
    } else if RESERVED_NAMES.contains(&name.to_lowercase().as_str()) {
        Some("that repository name is reserved by the system")
    } else {
        None
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
                .map(|(ref_name, object)| {
                    let document = crate::refs::ref_document(org, id, ref_name, object, &creator);
                    (ref_name.to_string(), document)
                })
                .collect(),
        }
    };
    let mut fiber = make(
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
    );
    // A release branch someone else has locked.
    if let Some(release) = fiber.refs.get_mut("refs/heads/releases/2.0") {
        release["isLocked"] = json!(true);
        release["isLockedBy"] = json!({
            "id": "8c8c7d32-6b1b-47f4-b2e9-30b477b5ab3d",
            "displayName": "Jamal Hartnett",
            "uniqueName": "fabrikamfiber4@hotmail.com"
        });
    }
    vec![
        fiber,
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

    #[test]
    fn a_guid_names_a_repository_by_id_only_and_a_name_in_any_case() {
        let mut named_like_an_id = fiber();
        named_like_an_id.document["id"] = json!(Uuid::nil());
        named_like_an_id.document["name"] = json!(DOCS_REPOSITORY_ID);
        assert!(!named_like_an_id.is(DOCS_REPOSITORY_ID));
        assert!(fiber().is(&FIBER_REPOSITORY_ID.to_uppercase()));
        assert!(fiber().is("FABRIKAM-fiber-git"));
    }

    #[test]
    fn a_rename_changes_the_name_and_its_urls_and_keeps_the_rest() {
        let mut repository = fiber();
        repository.document["isFork"] = json!(true);
        let before = repository.document.clone();
        repository.rename("fabrikam", Uuid::nil(), "fabrikam-fiber-git", "renamed");
        assert_eq!(repository.name(), "renamed");
        assert_eq!(
            repository.document["webUrl"],
            "https://dev.azure.com/fabrikam/fabrikam-fiber-git/_git/renamed"
        );
        for key in ["id", "url", "isFork", "defaultBranch", "size", "project"] {
            assert_eq!(repository.document[key], before[key], "{key}");
        }
    }

    #[test]
    fn repository_names_follow_the_services_rules() {
        for good in ["fabrikam", "Über-tools", "a.b", &"名".repeat(64)] {
            assert_eq!(name_fault(good), None, "{good}");
        }
        for bad in [
            "",
            " ",
            "_under",
            ".dot",
            "dot.",
            "..",
            "CON",
            "App_Data",
            "bin",
            "web.config",
            "trail ",
            "a/b",
            "a#b",
            "a\u{1}",
            &"a".repeat(65),
        ] {
            assert!(name_fault(bad).is_some(), "{bad}");
        }
        assert!(same_name("Über", "über"));
        assert!(!same_name("fabrikam", "fabrikam-docs"));
        assert!(!fiber().is("fabrikam-docs"));
    }

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
