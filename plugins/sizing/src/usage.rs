//! Usage: apps without sessions, and copies of the same app.

use qready_plugin_sdk::estate::AppDetails;
use qready_plugin_sdk::{App, PluginError, Rule, RuleFindings, Severity, estate};
use serde::Deserialize;

/// Flags apps without sessions in the usage window.
pub const UNUSED_APP: Rule = Rule {
    code: "QC601",
    name: "unused-app",
    title: "App had no sessions in the usage window",
    severity: Severity::Info,
    category: "usage",
    rationale: "An app that nobody opened in the usage logs is a candidate to retire instead of \
                migrate, which saves its whole remediation effort. The rule needs session logs: \
                without them it reports nothing.\n\n\
                Option: `days`, the shortest usage window that counts (default 90). A shorter \
                window proves too little and reports nothing.",
    remediation: "Confirm with the app's owner and stream users, then retire the app or leave \
                  it out of the migration.",
    effort_minutes: 5,
    reference_url: "https://help.qlik.com/en-US/migration/Content/Migration/qliksense-saas-migrating-apps.htm",
    bad_example: "0 sessions in 90 days",
    good_example: "42 sessions by 12 users in 90 days",
};

/// Flags apps that look like copies of other apps.
pub const DUPLICATE_APP: Rule = Rule {
    code: "QC602",
    name: "duplicate-app",
    title: "App duplicates another app",
    severity: Severity::Info,
    category: "usage",
    rationale: "Copies of an app (the same script, or the same name in another stream or \
                folder) multiply the migration work. Migrating one and retiring or re-pointing \
                the others saves it.",
    remediation: "Pick the copy to migrate, usually the published or most used one, and retire \
                  the others or rebuild them as sheets of the one migrated.",
    effort_minutes: 15,
    reference_url: "https://help.qlik.com/en-US/migration/Content/Migration/qliksense-saas-migrating-apps.htm",
    bad_example: "'Sales' in stream Finance and 'Sales (copy)' with the same script",
    good_example: "One 'Sales' app in the managed space Finance",
};

/// Options of [`UNUSED_APP`].
#[derive(Debug, Deserialize)]
#[serde(default, deny_unknown_fields, rename_all = "kebab-case")]
pub struct UnusedOptions {
    /// Shortest usage window, in days, that proves an app unused.
    pub days: u32,
}

impl Default for UnusedOptions {
    fn default() -> Self {
        UnusedOptions { days: 90 }
    }
}

pub fn unused(
    details: &AppDetails,
    options: &UnusedOptions,
    hits: &mut RuleFindings<'_>,
) -> Result<(), PluginError> {
    let Some(window) = estate::usage_window() else {
        return Ok(());
    };
    if window < options.days {
        return Ok(());
    }
    let sessions = details.usage.as_ref().map_or(0, |usage| usage.sessions);
    if sessions == 0 {
        hits.report(format!(
            "no sessions in the last {window} days of usage logs; a candidate to retire"
        ))
        .located(details.sizes.location.clone());
    }
    Ok(())
}

pub fn duplicates(
    app: &App,
    details: &AppDetails,
    hits: &mut RuleFindings<'_>,
) -> Result<(), PluginError> {
    for other in estate::similar_apps(&app.id) {
        let how = match (other.same_script, other.same_name) {
            (true, true) => "has the same name and script as",
            (true, false) => "has the same script as",
            (false, true) => "has the same name as",
            (false, false) => continue,
        };
        hits.report(format!("the app {how} '{}' ({})", other.name, other.id))
            .located(details.sizes.location.clone());
    }
    Ok(())
}
