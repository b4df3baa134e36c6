//! The `qready-governance` pack: how an app is governed on the client-managed site, and what
//! of it has to be redesigned for Qlik Cloud spaces, roles and reload tasks.

mod access;
mod tasks;

use qready_plugin_sdk::{App, Config, Findings, Pack, PluginError, Rule};

pub use access::{CUSTOM_PROPERTIES, SECURITY_RULES, STREAM_TO_SPACE};
pub use tasks::{TASK_CHAIN, TOO_MANY_TASKS};

/// The first-party governance pack.
#[derive(Debug, Default)]
pub struct GovernancePack {
    tasks: tasks::TaskOptions,
}

impl Pack for GovernancePack {
    const ID: &'static str = "qready-governance";
    const VERSION: &'static str = env!("CARGO_PKG_VERSION");
    const DESCRIPTION: &'static str =
        "Streams, custom properties, security rules and reload tasks to redesign for Qlik Cloud";
    const RULES: &'static [&'static Rule] = &[
        &CUSTOM_PROPERTIES,
        &SECURITY_RULES,
        &STREAM_TO_SPACE,
        &TASK_CHAIN,
        &TOO_MANY_TASKS,
    ];

    fn configure(&mut self, config: &Config) -> Result<(), PluginError> {
        config.check_option_rules(Self::RULES, &[&TOO_MANY_TASKS])?;
        self.tasks = config.options(&TOO_MANY_TASKS)?;
        Ok(())
    }

    fn check(&self, app: &App, findings: &mut Findings) -> Result<(), PluginError> {
        let Some(details) = app.details() else {
            return Ok(());
        };
        findings.run(&CUSTOM_PROPERTIES, |hits| {
            access::custom_properties(&details, hits)
        })?;
        findings.run(&SECURITY_RULES, |hits| {
            access::security_rules(app, &details, hits)
        })?;
        findings.run(&STREAM_TO_SPACE, |hits| {
            access::stream_to_space(&details, hits)
        })?;
        findings.run(&TASK_CHAIN, |hits| tasks::task_chains(&details, hits))?;
        findings.run(&TOO_MANY_TASKS, |hits| {
            tasks::too_many_tasks(&details, &self.tasks, hits)
        })
    }
}

qready_plugin_sdk::register_pack!(GovernancePack);

#[cfg(test)]
mod tests;
