//! The `qready-core` pack: load-script statements, paths and functions that Qlik Cloud rejects
//! or silently changes.
//!
//! Sources for the behaviour: Qlik's migration guide for load scripts
//! (<https://help.qlik.com/en-US/migration/Content/Global_Common/Migrate/migrate-load-scripts.htm>),
//! the Qlik Cloud statement and function reference, and the Qlik Sense client-managed page on
//! standard and legacy script mode. Each rule names the page it relies on in `reference_url`.

mod rules;

use qready_plugin_sdk::{App, Config, Findings, Pack, PluginError, Rule};

pub use rules::connectors::{
    FILE_BASED_DRIVER, GEOANALYTICS_CONNECTOR, SERVER_SIDE_EXTENSION, WEB_CONNECTORS_LOCALHOST,
};
pub use rules::functions::{ENVIRONMENT_FUNCTION, NULL_IN_CLOUD};
pub use rules::includes::INCLUDE_MISSING_FILE;
pub use rules::paths::{LEGACY_SCRIPT_MODE, WINDOWS_FILE_PATH};
pub use rules::statements::{BINARY_PLACEMENT, BINARY_SOURCE, EXECUTE_STATEMENT, LEGACY_CONNECT};

/// The first-party script pack.
#[derive(Debug, Default)]
pub struct CorePack {
    null_functions: rules::functions::NullOptions,
    environment_functions: rules::functions::EnvironmentOptions,
    local_hosts: rules::connectors::LocalHostOptions,
}

impl Pack for CorePack {
    const ID: &'static str = "qready-core";
    const VERSION: &'static str = env!("CARGO_PKG_VERSION");
    const DESCRIPTION: &'static str =
        "Load-script statements, paths and functions that Qlik Cloud rejects or silently changes";
    const RULES: &'static [&'static Rule] = &[
        &WINDOWS_FILE_PATH,
        &LEGACY_CONNECT,
        &EXECUTE_STATEMENT,
        &LEGACY_SCRIPT_MODE,
        &NULL_IN_CLOUD,
        &BINARY_PLACEMENT,
        &BINARY_SOURCE,
        &INCLUDE_MISSING_FILE,
        &SERVER_SIDE_EXTENSION,
        &GEOANALYTICS_CONNECTOR,
        &WEB_CONNECTORS_LOCALHOST,
        &ENVIRONMENT_FUNCTION,
        &FILE_BASED_DRIVER,
    ];

    fn configure(&mut self, config: &Config) -> Result<(), PluginError> {
        config.check_option_rules(
            Self::RULES,
            &[
                &NULL_IN_CLOUD,
                &ENVIRONMENT_FUNCTION,
                &WEB_CONNECTORS_LOCALHOST,
            ],
        )?;
        self.null_functions = config.options(&NULL_IN_CLOUD)?;
        self.environment_functions = config.options(&ENVIRONMENT_FUNCTION)?;
        self.local_hosts = config.options(&WEB_CONNECTORS_LOCALHOST)?;
        Ok(())
    }

    fn check(&self, app: &App, findings: &mut Findings) -> Result<(), PluginError> {
        let Some(script) = &app.script else {
            return Ok(());
        };
        use rules::{connectors, functions, includes, paths, statements};
        findings.run(&WINDOWS_FILE_PATH, |hits| {
            paths::windows_file_paths(script, hits)
        })?;
        findings.run(&LEGACY_CONNECT, |hits| {
            statements::legacy_connects(script, hits)
        })?;
        findings.run(&EXECUTE_STATEMENT, |hits| {
            statements::execute_statements(script, hits)
        })?;
        findings.run(&LEGACY_SCRIPT_MODE, |hits| {
            paths::legacy_script_mode(script, &self.null_functions, hits)
        })?;
        findings.run(&NULL_IN_CLOUD, |hits| {
            functions::null_in_cloud(script, &self.null_functions, hits)
        })?;
        findings.run(&BINARY_PLACEMENT, |hits| {
            statements::binary_placement(script, hits)
        })?;
        findings.run(&BINARY_SOURCE, |hits| {
            statements::binary_source(script, hits)
        })?;
        findings.run(&INCLUDE_MISSING_FILE, |hits| {
            includes::missing_includes(app, script, hits)
        })?;
        findings.run(&SERVER_SIDE_EXTENSION, |hits| {
            connectors::server_side_extensions(script, hits)
        })?;
        findings.run(&GEOANALYTICS_CONNECTOR, |hits| {
            connectors::geoanalytics(app, script, hits)
        })?;
        findings.run(&WEB_CONNECTORS_LOCALHOST, |hits| {
            connectors::web_connectors_localhost(app, script, &self.local_hosts, hits)
        })?;
        findings.run(&ENVIRONMENT_FUNCTION, |hits| {
            functions::environment_functions(script, &self.environment_functions, hits)
        })?;
        findings.run(&FILE_BASED_DRIVER, |hits| {
            connectors::file_based_drivers(app, script, hits)
        })
    }
}

qready_plugin_sdk::register_pack!(CorePack);

#[cfg(test)]
mod tests;
