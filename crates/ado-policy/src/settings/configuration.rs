//! Typed settings on a policy configuration: build one from settings, read them typed, write
//! them back.

use serde_json::Map;

use super::PolicySettings;
use crate::types::{JsonObject, PolicyConfiguration, PolicyTypeRef};
use ado_core::{Error, Result};

/// Whether a new policy blocks pull requests and whether it is on.
///
/// ```
/// use ado_policy::settings::PolicyOptions;
///
/// assert_eq!(PolicyOptions::blocking(), PolicyOptions { blocking: true, enabled: true });
/// assert_eq!(PolicyOptions::advisory().disabled(), PolicyOptions { blocking: false, enabled: false });
/// ```
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct PolicyOptions {
    /// A failing policy blocks completion (`isBlocking`); otherwise it only advises.
    pub blocking: bool,
    /// The policy is evaluated (`isEnabled`).
    pub enabled: bool,
}

impl PolicyOptions {
    /// Enabled, and blocking completion when it fails.
    pub fn blocking() -> Self {
        Self {
            blocking: true,
            enabled: true,
        }
    }

    /// Enabled, advising only.
    pub fn advisory() -> Self {
        Self {
            blocking: false,
            enabled: true,
        }
    }

    /// The same, but switched off.
    pub fn disabled(self) -> Self {
        Self { enabled: false, ..self }
    }
}

impl PolicyConfiguration {
    /// A new configuration from typed settings; the type id is set from the settings.
    #[inline]
    pub fn from_settings(settings: &PolicySettings, options: PolicyOptions) -> Self {
        let mut configuration = PolicyConfiguration {
            is_blocking: Some(options.blocking),
            is_enabled: Some(options.enabled),
            ..Default::default()
        };
        configuration.set_typed_settings(settings);
        configuration
    }

    /// This crate's configuration from another's that has the same JSON form: the git area's
    /// `policy_configurations().list` (in `ado-git`, which does not depend on this crate) answers
    /// with its own `PolicyConfiguration`; converted here, its settings read typed.
    ///
    /// ```
    /// use ado_policy::settings::PolicySettings;
    /// use ado_policy::types::PolicyConfiguration;
    ///
    /// // Any value that serializes to a configuration, such as an `ado_git::types::PolicyConfiguration`.
    /// let from_git = serde_json::json!({
    ///     "id": 18,
    ///     "type": {"id": "fa4e907d-c16b-4a4c-9dfa-4906e5d171dd"},
    ///     "settings": {"minimumApproverCount": 2, "scope": [{"refName": "refs/heads/main", "matchKind": "Exact"}]}
    /// });
    /// let configuration = PolicyConfiguration::from_serialized(&from_git)?;
    /// let PolicySettings::MinimumReviewers(settings) = configuration.typed_settings()? else { panic!() };
    /// assert_eq!(settings.minimum_approver_count, Some(2));
    /// # Ok::<(), ado_policy::Error>(())
    /// ```
    pub fn from_serialized<T: serde::Serialize>(other: &T) -> Result<Self> {
        let value = serde_json::to_value(other)
            .map_err(|e| Error::invalid_input(format!("the configuration does not serialize: {e}")))?;
        serde_path_to_error::deserialize(value)
            .map_err(|e| Error::invalid_input(format!("not a policy configuration at `{}`: {}", e.path(), e.inner())))
    }

    /// The settings, typed by `type.id`.
    #[inline]
    pub fn typed_settings(&self) -> Result<PolicySettings> {
        let type_id = self
            .type_
            .as_ref()
            .and_then(|t| t.id)
            .ok_or_else(|| Error::decode("the policy configuration has no type id", 200))?;
        let empty = Map::new();
        let settings = self.settings.as_ref().and_then(|s| s.0.as_ref()).unwrap_or(&empty);
        PolicySettings::from_parts(type_id, settings)
    }

    /// Replace the settings and set the type id to match. Settings of the same type are written
    /// over the ones held (see [`PolicySettings::write_over`]: what did not change keeps its
    /// exact form), and the other type fields are kept; settings of another type replace them.
    #[inline]
    pub fn set_typed_settings(&mut self, settings: &PolicySettings) {
        let type_id = settings.type_id();
        let same_type = self.type_.as_ref().and_then(|t| t.id) == Some(type_id);
        let held = self.settings.as_ref().and_then(|s| s.0.as_ref());
        let written = match held {
            Some(original) if same_type => settings.write_over(original),
            _ => settings.to_map(),
        };
        if !same_type {
            self.type_ = Some(PolicyTypeRef {
                id: Some(type_id),
                display_name: None,
                url: None,
            });
        }
        self.settings = Some(JsonObject(Some(written)));
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::settings::type_ids;
    use serde_json::{Value, json};

    fn map(value: Value) -> Map<String, Value> {
        value.as_object().cloned().unwrap()
    }

    #[test]
    fn a_configuration_from_settings_is_enabled_with_the_type_and_settings_set() {
        let settings = PolicySettings::from_parts(type_ids::BUILD, &map(json!({"buildDefinitionId": 12}))).unwrap();
        let configuration = PolicyConfiguration::from_settings(&settings, PolicyOptions::blocking());
        assert_eq!(configuration.is_blocking, Some(true));
        assert_eq!(configuration.is_enabled, Some(true));
        assert_eq!(configuration.type_.as_ref().and_then(|t| t.id), Some(type_ids::BUILD));
        assert_eq!(configuration.typed_settings().unwrap(), settings);
        let advisory = PolicyConfiguration::from_settings(&settings, PolicyOptions::advisory());
        assert_eq!(advisory.is_blocking, Some(false));
    }

    #[test]
    fn a_configuration_without_a_type_id_cannot_be_typed() {
        let mut configuration = PolicyConfiguration::from_settings(
            &PolicySettings::from_parts(type_ids::BUILD, &Map::new()).unwrap(),
            PolicyOptions::blocking(),
        );
        configuration.type_ = None;
        let err = configuration.typed_settings().unwrap_err();
        assert!(err.to_string().contains("no type id"), "{err}");
    }

    #[test]
    fn new_settings_of_the_same_type_keep_the_type_and_of_another_type_replace_it() {
        let build = PolicySettings::from_parts(type_ids::BUILD, &map(json!({"buildDefinitionId": 12}))).unwrap();
        let mut configuration = PolicyConfiguration::from_settings(&build, PolicyOptions::blocking());
        if let Some(t) = configuration.type_.as_mut() {
            t.display_name = Some("Build".into());
        }
        let again = PolicySettings::from_parts(type_ids::BUILD, &map(json!({"buildDefinitionId": 13}))).unwrap();
        configuration.set_typed_settings(&again);
        assert_eq!(
            configuration.type_.as_ref().and_then(|t| t.display_name.as_deref()),
            Some("Build")
        );
        assert_eq!(configuration.typed_settings().unwrap(), again);
        let other = PolicySettings::from_parts(type_ids::FILE_SIZE, &Map::new()).unwrap();
        configuration.set_typed_settings(&other);
        let type_ = configuration.type_.as_ref().unwrap();
        assert_eq!(
            (type_.id, type_.display_name.as_deref()),
            (Some(type_ids::FILE_SIZE), None)
        );
    }
}

/// The list types' builders build once their items are given.
#[cfg(test)]
mod builders {
    use crate::types::*;

    #[test]
    fn lists_build_with_their_items() {
        let configurations: PolicyConfigurationList = PolicyConfigurationList::builder()
            .value(vec![PolicyConfiguration::default()])
            .try_into()
            .unwrap();
        let evaluations: PolicyEvaluationRecordList = PolicyEvaluationRecordList::builder()
            .value(Vec::new())
            .try_into()
            .unwrap();
        let types: PolicyTypeList = PolicyTypeList::builder().value(Vec::new()).try_into().unwrap();
        assert_eq!(
            (configurations.value.len(), evaluations.value.len(), types.value.len()),
            (1, 0, 0)
        );
    }
}
