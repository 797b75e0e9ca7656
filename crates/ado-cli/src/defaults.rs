//! Saved defaults (`ado configure --defaults organization=… project=…`), kept as JSON in the
//! user's config directory (`$ADO_CONFIG_DIR` when set, else `{config dir}/ado`). Never a secret.

use std::path::PathBuf;

use ado_core::{Error, Result};
use serde::{Deserialize, Serialize};

/// The defaults a command falls back on.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct Defaults {
    /// Organization URL or name.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub organization: Option<String>,
    /// Project name or id.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub project: Option<String>,
}

/// Where the defaults live.
pub fn file() -> Option<PathBuf> {
    let dir = std::env::var_os("ADO_CONFIG_DIR")
        .filter(|d| !d.is_empty())
        .map(PathBuf::from)
        .or_else(|| dirs::config_dir().map(|d| d.join("ado")))?;
    Some(dir.join("config.json"))
}

/// The saved defaults (none when there is no file).
pub fn load() -> Result<Defaults> {
    let Some(path) = file() else {
        return Ok(Defaults::default());
    };
    match std::fs::read_to_string(&path) {
        Ok(text) => serde_json::from_str(&text)
            .map_err(|e| Error::invalid_input(format!("{}: not ado's configuration: {e}", path.display()))),
        Err(e) if e.kind() == std::io::ErrorKind::NotFound => Ok(Defaults::default()),
        Err(e) => Err(Error::invalid_input(format!("{}: {e}", path.display()))),
    }
}

/// Apply `name=value` settings (an empty value clears one) and save.
pub fn configure(settings: &[String]) -> Result<Defaults> {
    let mut defaults = load()?;
    for setting in settings {
        let (name, value) = crate::bodies::pair("--defaults", setting)?;
        let value = (!value.trim().is_empty()).then(|| value.trim().to_string());
        match name.trim().to_ascii_lowercase().as_str() {
            "organization" | "org" => {
                if let Some(org) = &value {
                    ado_core::Organization::parse(org)?;
                }
                defaults.organization = value;
            }
            "project" => defaults.project = value,
            other => {
                return Err(Error::invalid_input(format!(
                    "--defaults: `{other}` is not a setting (use organization=URL or project=NAME)"
                )));
            }
        }
    }
    save(&defaults)?;
    Ok(defaults)
}

fn save(defaults: &Defaults) -> Result<()> {
    let path = file().ok_or_else(|| Error::invalid_input("no config directory: set ADO_CONFIG_DIR"))?;
    if let Some(dir) = path.parent() {
        std::fs::create_dir_all(dir).map_err(|e| Error::invalid_input(format!("{}: {e}", dir.display())))?;
    }
    let text = serde_json::to_string_pretty(defaults).unwrap_or_default();
    std::fs::write(&path, text + "\n").map_err(|e| Error::invalid_input(format!("{}: {e}", path.display())))
}
