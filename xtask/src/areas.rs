//! The areas the workspace generates: which fragment feeds which crate.

/// One area: a fragment in `specs/` and the generated module of its crate.
pub struct Area {
    /// Short name, as in `specs/<name>.yaml`.
    pub name: &'static str,
    /// The fragment, relative to the workspace root.
    pub spec: &'static str,
    /// The generated module, relative to the workspace root.
    pub output: &'static str,
}

/// Every area, in a fixed order.
pub const AREAS: &[Area] = &[
    Area {
        name: "tokens",
        spec: "specs/tokens.yaml",
        output: "crates/ado-tokens/src/generated.rs",
    },
    Area {
        name: "pipelines",
        spec: "specs/pipelines.yaml",
        output: "crates/ado-pipelines/src/generated.rs",
    },
    Area {
        name: "policy",
        spec: "specs/policy.yaml",
        output: "crates/ado-policy/src/generated.rs",
    },
];
