//! The fake service's state: organizations, projects and everything in them, kept as the JSON
//! documents the service returns.

use std::collections::{BTreeMap, HashMap};

use serde_json::{Value, json};
use uuid::Uuid;

use crate::repositories::Repository;
use crate::seed;

/// Everything the fake service knows.
#[derive(Debug, Default)]
pub struct State {
    /// Organizations by lower-case name.
    pub orgs: HashMap<String, Org>,
}

/// An organization.
#[derive(Debug)]
pub struct Org {
    /// The name as created.
    pub name: String,
    /// Projects.
    pub projects: Vec<Project>,
    /// Personal access tokens, in creation order.
    pub pats: Vec<Value>,
}

/// A project.
#[derive(Debug)]
pub struct Project {
    /// The project id.
    pub id: Uuid,
    /// The project name.
    pub name: String,
    /// Policy configurations by id.
    pub policies: BTreeMap<i32, PolicyRecord>,
    /// The next configuration id.
    pub next_policy_id: i32,
    /// Policy evaluations.
    pub evaluations: Vec<Value>,
    /// Pipelines by id.
    pub pipelines: BTreeMap<i32, Value>,
    /// The next pipeline id.
    pub next_pipeline_id: i32,
    /// Runs by pipeline id.
    pub runs: BTreeMap<i32, Vec<Value>>,
    /// The next run id.
    pub next_run_id: i32,
    /// Logs by (pipeline, run).
    pub logs: HashMap<(i32, i32), Vec<Value>>,
    /// Artifacts by (pipeline, run).
    pub artifacts: HashMap<(i32, i32), Vec<Value>>,
    /// Pipeline permissions by (resource type, resource id).
    pub permissions: BTreeMap<(String, String), Value>,
    /// Git repositories, in creation order.
    pub repositories: Vec<Repository>,
}

/// A policy configuration and its history.
#[derive(Debug, Clone)]
pub struct PolicyRecord {
    /// Every revision, oldest first; the last is current.
    pub revisions: Vec<Value>,
    /// Deleted (kept for its revisions, gone from get and list).
    pub deleted: bool,
}

impl PolicyRecord {
    /// The current revision.
    pub fn current(&self) -> &Value {
        &self.revisions[self.revisions.len() - 1]
    }
}

impl Project {
    /// The current revision of each configuration not deleted, by id, from `start` on.
    pub fn policies_from(&self, start: i64) -> impl Iterator<Item = (i32, &Value)> {
        let start = i32::try_from(start.max(0)).unwrap_or(i32::MAX);
        self.policies
            .range(start..)
            .filter(|(_, record)| !record.deleted)
            .map(|(id, record)| (*id, record.current()))
    }

    /// The repository with this id or name.
    pub fn repository_mut(&mut self, id_or_name: &str) -> Option<&mut Repository> {
        self.repositories.iter_mut().find(|r| r.is(id_or_name))
    }

    /// An empty project.
    pub fn new(id: Uuid, name: &str) -> Self {
        Self {
            id,
            name: name.to_string(),
            policies: BTreeMap::new(),
            next_policy_id: 1,
            evaluations: Vec::new(),
            pipelines: BTreeMap::new(),
            next_pipeline_id: 1,
            runs: BTreeMap::new(),
            next_run_id: 1,
            logs: HashMap::new(),
            artifacts: HashMap::new(),
            permissions: BTreeMap::new(),
            repositories: Vec::new(),
        }
    }
}

impl Org {
    /// The project with this name or id (names compare without case).
    pub fn project_mut(&mut self, name_or_id: &str) -> Option<&mut Project> {
        self.projects
            .iter_mut()
            .find(|p| p.name.eq_ignore_ascii_case(name_or_id) || p.id.to_string().eq_ignore_ascii_case(name_or_id))
    }
}

impl State {
    /// The seeded state: organization `fabrikam` with project `fabrikam-fiber-git`, holding the
    /// documented examples and enough more for every operation.
    pub fn seeded() -> Self {
        let mut state = Self::default();
        state.orgs.insert("fabrikam".into(), seed::fabrikam());
        let mut collection = seed::fabrikam();
        collection.name = crate::COLLECTION.to_string();
        state.orgs.insert(crate::COLLECTION.to_ascii_lowercase(), collection);
        state
    }

    /// The organization with this name.
    pub fn org_mut(&mut self, name: &str) -> Option<&mut Org> {
        self.orgs.get_mut(&name.to_ascii_lowercase())
    }

    /// Add `count` policy configurations of a simple type to a project (for paging tests).
    pub fn add_bulk_policies(&mut self, org: &str, project: &str, count: usize) -> bool {
        let Some(org_state) = self.org_mut(org) else {
            return false;
        };
        let org_name = org_state.name.clone();
        let Some(project) = org_state.project_mut(project) else {
            return false;
        };
        for _ in 0..count {
            let id = project.next_policy_id;
            project.next_policy_id += 1;
            let body = json!({
                "isEnabled": true,
                "isBlocking": false,
                "type": {"id": seed::FILE_SIZE_TYPE},
                "settings": {"maximumGitBlobSizeInBytes": 1024 * (id as i64), "useUncompressedSize": false, "scope": [{"repositoryId": null}]}
            });
            let doc = policy_document(&org_name, project.id, id, 1, &body, &seed::identity());
            project.policies.insert(
                id,
                PolicyRecord {
                    revisions: vec![doc],
                    deleted: false,
                },
            );
        }
        true
    }
}

/// The policy type id of a configuration (or of a body that makes one), lower-cased; empty when
/// it has none.
pub fn policy_type_id(configuration: &Value) -> String {
    configuration
        .pointer("/type/id")
        .and_then(Value::as_str)
        .unwrap_or_default()
        .to_ascii_lowercase()
}

/// A policy configuration as the service returns it.
pub fn policy_document(org: &str, project_id: Uuid, id: i32, revision: i32, body: &Value, created_by: &Value) -> Value {
    let type_id = policy_type_id(body);
    let display = seed::policy_type_name(&type_id).unwrap_or("Unknown policy type");
    let type_url = format!("https://dev.azure.com/{org}/{project_id}/_apis/policy/types/{type_id}");
    let url = format!("https://dev.azure.com/{org}/_apis/policy/configurations/{id}");
    let mut settings = body.get("settings").cloned().unwrap_or_else(|| json!({}));
    normalise_scope(&mut settings);
    fill_defaults(&type_id, &mut settings);
    json!({
        "createdBy": created_by,
        "createdDate": crate::now_text(),
        "isEnabled": body.get("isEnabled").cloned().unwrap_or(Value::Bool(true)),
        "isBlocking": body.get("isBlocking").cloned().unwrap_or(Value::Bool(false)),
        "isDeleted": false,
        "settings": settings,
        "_links": {"self": {"href": url}, "type": {"href": type_url}},
        "revision": revision,
        "id": id,
        "url": url,
        "type": {"id": type_id, "url": type_url, "displayName": display}
    })
}

/// The settings the service stores although a request left them out, by policy type (seen in
/// the recorded answers): a required-reviewer policy always has a `message`, `null` by default.
fn fill_defaults(type_id: &str, settings: &mut Value) {
    if type_id == seed::REQUIRED_REVIEWERS_TYPE
        && let Some(map) = settings.as_object_mut()
    {
        map.entry("message").or_insert(Value::Null);
    }
}

/// `matchKind` is accepted in any case and answered capitalised.
fn normalise_scope(settings: &mut Value) {
    let Some(scopes) = settings.get_mut("scope").and_then(|s| s.as_array_mut()) else {
        return;
    };
    for scope in scopes {
        if let Some(kind) = scope.get_mut("matchKind")
            && let Some(text) = kind.as_str()
        {
            let fixed = match text.to_ascii_lowercase().as_str() {
                "exact" => "Exact",
                "prefix" => "Prefix",
                "defaultbranch" => "DefaultBranch",
                _ => continue,
            };
            *kind = Value::String(fixed.to_string());
        }
    }
}
