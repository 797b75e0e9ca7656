//! Typed settings on a policy configuration: build one from settings, read them typed, write
//! them back.

use serde_json::Map;

use super::PolicySettings;
use crate::types::{JsonObject, PolicyConfiguration, PolicyTypeRef};
use ado_core::{Error, Result};

impl PolicyConfiguration {
    /// A new configuration (enabled) from typed settings; the type id is set from the settings.
    pub fn from_settings(settings: &PolicySettings, blocking: bool) -> Self {
        let mut configuration = PolicyConfiguration {
            created_by: None,
            created_date: None,
            id: None,
            is_blocking: Some(blocking),
            is_deleted: None,
            is_enabled: Some(true),
            is_enterprise_managed: None,
            links: None,
            revision: None,
            settings: None,
            type_: None,
            url: None,
            extra: Map::new(),
        };
        configuration.set_typed_settings(settings);
        configuration
    }

    /// The settings, typed by `type.id`.
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

    /// Replace the settings and set the type id to match (other type fields are kept when the id
    /// does not change).
    pub fn set_typed_settings(&mut self, settings: &PolicySettings) {
        let type_id = settings.type_id();
        let same_type = self.type_.as_ref().and_then(|t| t.id) == Some(type_id);
        if !same_type {
            self.type_ = Some(PolicyTypeRef {
                id: Some(type_id),
                display_name: None,
                url: None,
            });
        }
        self.settings = Some(JsonObject(Some(settings.to_map())));
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
        let configuration = PolicyConfiguration::from_settings(&settings, true);
        assert_eq!(configuration.is_blocking, Some(true));
        assert_eq!(configuration.is_enabled, Some(true));
        assert_eq!(configuration.type_.as_ref().and_then(|t| t.id), Some(type_ids::BUILD));
        assert_eq!(configuration.typed_settings().unwrap(), settings);
        let advisory = PolicyConfiguration::from_settings(&settings, false);
        assert_eq!(advisory.is_blocking, Some(false));
    }

    #[test]
    fn a_configuration_without_a_type_id_cannot_be_typed() {
        let mut configuration = PolicyConfiguration::from_settings(
            &PolicySettings::from_parts(type_ids::BUILD, &Map::new()).unwrap(),
            true,
        );
        configuration.type_ = None;
        let err = configuration.typed_settings().unwrap_err();
        assert!(err.to_string().contains("no type id"), "{err}");
    }

    #[test]
    fn new_settings_of_the_same_type_keep_the_type_and_of_another_type_replace_it() {
        let build = PolicySettings::from_parts(type_ids::BUILD, &map(json!({"buildDefinitionId": 12}))).unwrap();
        let mut configuration = PolicyConfiguration::from_settings(&build, true);
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
