use std::collections::BTreeSet;

use serde::Deserialize;
use serde::de::DeserializeOwned;

use crate::{PluginError, Rule};

/// The run's configuration for one pack: which rules run, and each rule's options.
///
/// The host sends it as JSON to `configure`, from the `[rules]` section of `qready.toml`.
#[derive(Debug, Default, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Config {
    /// Codes of the rules to run; `None` runs every rule.
    #[serde(default)]
    enabled: Option<BTreeSet<String>>,
    /// Options keyed by rule code.
    #[serde(default)]
    options: serde_json::Map<String, serde_json::Value>,
}

impl Config {
    /// Parses the JSON the host sends; an empty string means the defaults.
    pub fn parse(text: &str) -> Result<Config, PluginError> {
        if text.trim().is_empty() {
            return Ok(Config::default());
        }
        serde_json::from_str(text)
            .map_err(|e| PluginError::InvalidConfig(format!("invalid pack configuration: {e}")))
    }

    /// Whether `rule` runs in this configuration.
    pub fn is_enabled(&self, rule: &Rule) -> bool {
        self.enabled
            .as_ref()
            .is_none_or(|codes| codes.contains(rule.code))
    }

    /// Reads the options of `rule` into `T`; missing options give `T::default()`.
    ///
    /// The error names the rule and the offending key, so an admin can fix `qready.toml`.
    pub fn options<T: DeserializeOwned + Default>(&self, rule: &Rule) -> Result<T, PluginError> {
        match self.options.get(rule.code) {
            None => Ok(T::default()),
            Some(value) => serde_json::from_value(value.clone()).map_err(|e| {
                PluginError::InvalidConfig(format!("invalid options for rule {}: {e}", rule.code))
            }),
        }
    }

    /// Rejects options for rules that are not in `rules`, or for rules that take none.
    pub fn check_option_rules(
        &self,
        rules: &[&Rule],
        with_options: &[&Rule],
    ) -> Result<(), PluginError> {
        for code in self.options.keys() {
            if !rules.iter().any(|rule| rule.code == code) {
                return Err(PluginError::InvalidConfig(format!(
                    "options given for unknown rule '{code}'"
                )));
            }
            if !with_options.iter().any(|rule| rule.code == code) {
                return Err(PluginError::InvalidConfig(format!(
                    "rule '{code}' takes no options"
                )));
            }
        }
        Ok(())
    }

    pub(crate) fn enabled_codes(&self) -> Option<&BTreeSet<String>> {
        self.enabled.as_ref()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    const RULE: Rule = Rule {
        code: "T001",
        ..Rule::DEFAULT
    };

    #[derive(Debug, Default, Deserialize, PartialEq)]
    #[serde(deny_unknown_fields, rename_all = "kebab-case")]
    struct Limits {
        max_gb: u32,
    }

    #[test]
    fn missing_options_give_default() {
        let config = Config::parse("{}").unwrap();
        assert_eq!(config.options::<Limits>(&RULE).unwrap(), Limits::default());
    }

    #[test]
    fn typed_options_parse() {
        let config = Config::parse(r#"{"options": {"T001": {"max-gb": 5}}}"#).unwrap();
        assert_eq!(
            config.options::<Limits>(&RULE).unwrap(),
            Limits { max_gb: 5 }
        );
    }

    #[test]
    fn bad_option_names_rule() {
        let config = Config::parse(r#"{"options": {"T001": {"max-tb": 5}}}"#).unwrap();
        let error = config.options::<Limits>(&RULE).unwrap_err();
        assert!(format!("{error:?}").contains("T001"), "{error:?}");
    }

    #[test]
    fn options_for_unknown_rule_rejected() {
        let config = Config::parse(r#"{"options": {"X9": {}}}"#).unwrap();
        assert!(config.check_option_rules(&[&RULE], &[&RULE]).is_err());
    }

    #[test]
    fn enabled_list_filters_rules() {
        let config = Config::parse(r#"{"enabled": ["T002"]}"#).unwrap();
        assert!(!config.is_enabled(&RULE));
    }
}
