//! The `qready-app` pack: the visual layer and QlikView document features that Qlik Cloud
//! lacks or runs differently.
//!
//! Every rule reads the app's details, mashups or Publisher tasks from the host's `estate`
//! interface; the ODAG rule also reads the script.

mod distribution;
mod extensions;
mod qlikview;
mod services;

use qready_plugin_sdk::{App, Config, Findings, Pack, PluginError, Rule, estate};

pub use distribution::{MASHUP, PUBLISHER_REDUCTION};
pub use extensions::THIRD_PARTY_EXTENSION;
pub use qlikview::{
    CONTAINER, DOCUMENT_CHAINING, QLIKVIEW_ALERT, QLIKVIEW_MACRO, QLIKVIEW_TRIGGER,
};
pub use services::{NPRINTING, ODAG_TEMPLATE};

/// The first-party app and visual layer pack.
#[derive(Debug, Default)]
pub struct AppPack {
    extensions: extensions::ExtensionOptions,
}

impl Pack for AppPack {
    const ID: &'static str = "qready-app";
    const VERSION: &'static str = env!("CARGO_PKG_VERSION");
    const DESCRIPTION: &'static str = "Extensions, QlikView document features and services that Qlik Cloud lacks or runs differently";
    const RULES: &'static [&'static Rule] = &[
        &THIRD_PARTY_EXTENSION,
        &QLIKVIEW_MACRO,
        &QLIKVIEW_TRIGGER,
        &CONTAINER,
        &QLIKVIEW_ALERT,
        &DOCUMENT_CHAINING,
        &NPRINTING,
        &ODAG_TEMPLATE,
        &MASHUP,
        &PUBLISHER_REDUCTION,
    ];

    fn configure(&mut self, config: &Config) -> Result<(), PluginError> {
        config.check_option_rules(Self::RULES, &[&THIRD_PARTY_EXTENSION])?;
        self.extensions = config.options(&THIRD_PARTY_EXTENSION)?;
        Ok(())
    }

    fn check(&self, app: &App, findings: &mut Findings) -> Result<(), PluginError> {
        findings.run(&ODAG_TEMPLATE, |hits| services::odag_template(app, hits))?;
        findings.run(&MASHUP, |hits| {
            distribution::mashups(&estate::app_mashups(&app.id), hits)
        })?;
        findings.run(&PUBLISHER_REDUCTION, |hits| {
            distribution::publisher_reductions(&estate::publisher_tasks(&app.id), hits)
        })?;
        let Some(details) = app.details() else {
            return Ok(());
        };
        findings.run(&THIRD_PARTY_EXTENSION, |hits| {
            extensions::third_party(&details, &self.extensions, hits)
        })?;
        findings.run(&NPRINTING, |hits| services::nprinting(app, &details, hits))?;
        let Some(document) = &details.qlikview else {
            return Ok(());
        };
        findings.run(&QLIKVIEW_MACRO, |hits| qlikview::macros(document, hits))?;
        findings.run(&QLIKVIEW_TRIGGER, |hits| qlikview::triggers(document, hits))?;
        findings.run(&CONTAINER, |hits| qlikview::containers(document, hits))?;
        findings.run(&QLIKVIEW_ALERT, |hits| qlikview::alerts(document, hits))?;
        findings.run(&DOCUMENT_CHAINING, |hits| {
            qlikview::document_chains(document, hits)
        })
    }
}

qready_plugin_sdk::register_pack!(AppPack);

#[cfg(test)]
mod tests;
