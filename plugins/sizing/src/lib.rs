//! The `qready-sizing` pack: app size, reload cost and file sizes against Qlik Cloud's limits,
//! and usage that marks apps to retire instead of migrate.
//!
//! Every limit is an option of its rule, named after the tier it applies to, because Qlik
//! changes them and customers buy capacity add-ons.

mod size;
mod usage;

use qready_plugin_sdk::{App, Config, Findings, Pack, PluginError, Rule};

pub use size::{APP_SIZE, FILE_UPLOAD_LIMIT, PEAK_RELOAD_MEMORY, RELOAD_DURATION};
pub use usage::{DUPLICATE_APP, UNUSED_APP};

/// The first-party sizing and usage pack.
#[derive(Debug, Default)]
pub struct SizingPack {
    app_size: size::AppSizeOptions,
    duration: size::DurationOptions,
    peak: size::PeakOptions,
    upload: size::UploadOptions,
    unused: usage::UnusedOptions,
}

impl Pack for SizingPack {
    const ID: &'static str = "qready-sizing";
    const VERSION: &'static str = env!("CARGO_PKG_VERSION");
    const DESCRIPTION: &'static str = "App size, reload cost and file sizes against Qlik Cloud limits; unused and duplicated apps";
    const RULES: &'static [&'static Rule] = &[
        &APP_SIZE,
        &RELOAD_DURATION,
        &PEAK_RELOAD_MEMORY,
        &FILE_UPLOAD_LIMIT,
        &UNUSED_APP,
        &DUPLICATE_APP,
    ];

    fn configure(&mut self, config: &Config) -> Result<(), PluginError> {
        config.check_option_rules(
            Self::RULES,
            &[
                &APP_SIZE,
                &RELOAD_DURATION,
                &PEAK_RELOAD_MEMORY,
                &FILE_UPLOAD_LIMIT,
                &UNUSED_APP,
            ],
        )?;
        self.app_size = config.options(&APP_SIZE)?;
        self.app_size.validate(&APP_SIZE)?;
        self.duration = config.options(&RELOAD_DURATION)?;
        self.peak = config.options(&PEAK_RELOAD_MEMORY)?;
        self.upload = config.options(&FILE_UPLOAD_LIMIT)?;
        self.unused = config.options(&UNUSED_APP)?;
        Ok(())
    }

    fn check(&self, app: &App, findings: &mut Findings) -> Result<(), PluginError> {
        let Some(details) = app.details() else {
            return Ok(());
        };
        findings.run(&APP_SIZE, |hits| {
            size::app_size(&details, &self.app_size, hits)
        })?;
        findings.run(&RELOAD_DURATION, |hits| {
            size::reload_duration(&details, &self.duration, hits)
        })?;
        findings.run(&PEAK_RELOAD_MEMORY, |hits| {
            size::peak_reload_memory(&details, &self.peak, hits)
        })?;
        findings.run(&FILE_UPLOAD_LIMIT, |hits| {
            size::upload_limit(&details, &self.upload, hits)
        })?;
        findings.run(&UNUSED_APP, |hits| {
            usage::unused(&details, &self.unused, hits)
        })?;
        findings.run(&DUPLICATE_APP, |hits| {
            usage::duplicates(app, &details, hits)
        })
    }
}

qready_plugin_sdk::register_pack!(SizingPack);

#[cfg(test)]
mod tests;
