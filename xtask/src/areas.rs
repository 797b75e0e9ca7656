//! The areas the workspace generates, read from `specs/`: each fragment `specs/<name>.yaml`
//! feeds the generated module of the crate `crates/ado-<name>` (no second list to keep in step).

use std::path::Path;

/// One area: a fragment in `specs/` and the generated module of its crate.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Area {
    /// Short name, as in `specs/<name>.yaml`.
    pub name: String,
    /// The fragment, relative to the workspace root.
    pub spec: String,
    /// The generated module, relative to the workspace root.
    pub output: String,
}

/// Every area under `root`, sorted by name. A fragment without its crate is an error.
pub fn areas(root: &Path) -> Result<Vec<Area>, String> {
    let specs = root.join("specs");
    let entries = std::fs::read_dir(&specs).map_err(|e| format!("{}: {e}", specs.display()))?;
    let mut areas = Vec::new();
    for entry in entries {
        let path = entry.map_err(|e| format!("{}: {e}", specs.display()))?.path();
        let (Some(name), Some("yaml")) = (
            path.file_stem().and_then(|s| s.to_str()),
            path.extension().and_then(|e| e.to_str()),
        ) else {
            continue;
        };
        let krate = format!("crates/ado-{name}");
        if !root.join(&krate).join("Cargo.toml").exists() {
            return Err(format!(
                "specs/{name}.yaml: there is no crate {krate} to generate it into (add the crate first)"
            ));
        }
        areas.push(Area {
            name: name.to_string(),
            spec: format!("specs/{name}.yaml"),
            output: format!("{krate}/src/generated.rs"),
        });
    }
    areas.sort_by(|a, b| a.name.cmp(&b.name));
    Ok(areas)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_workspace_areas_are_its_fragments() {
        let names: Vec<String> = areas(&crate::workspace_root())
            .unwrap()
            .into_iter()
            .map(|a| a.name)
            .collect();
        assert_eq!(names, ["git", "pipelines", "policy", "tokens"]);
    }

    #[test]
    fn a_fragment_without_its_crate_is_refused_by_name() {
        let dir = std::env::temp_dir().join(format!("xtask-areas-{}", std::process::id()));
        std::fs::create_dir_all(dir.join("specs")).unwrap();
        std::fs::write(dir.join("specs/git.yaml"), "openapi: 3.0.3\n").unwrap();
        let error = areas(&dir).unwrap_err();
        assert!(
            error.contains("specs/git.yaml: there is no crate crates/ado-git"),
            "{error}"
        );
        std::fs::remove_dir_all(dir).unwrap();
    }
}
