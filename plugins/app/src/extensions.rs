//! Third-party extensions, with the Qlik bundle object that can replace each.

use std::collections::BTreeMap;

use qready_plugin_sdk::estate::AppDetails;
use qready_plugin_sdk::{PluginError, Rule, RuleFindings, Severity};
use serde::Deserialize;

/// Inventories the extensions an app uses.
pub const THIRD_PARTY_EXTENSION: Rule = Rule {
    code: "QC301",
    name: "third-party-extension",
    title: "App uses a third-party extension",
    severity: Severity::Warning,
    category: "app",
    rationale: "Qlik Cloud has its own extension store: every third-party extension must be \
                uploaded again as a ZIP (at most 30 MB, 500 files, 100 MB unpacked, no \
                executables), and each external resource it loads needs a content security \
                policy entry. Image, PDF and PowerPoint export of extensions is not supported \
                in Qlik Cloud. Where a Qlik bundle object does the same job, replacing the \
                extension removes the work for good.\n\n\
                Options: `replacements` maps a word in an extension's name, in lower case, to \
                the Qlik bundle object that replaces it, and replaces the built-in map; \
                `native` lists visualization types that ship with Qlik Sense and are never \
                reported (story items such as `text`, `shape`, `image` and `snapshot` by \
                default).",
    remediation: "Replace the extension with the Qlik bundle object the finding names, or upload \
                  it to the tenant's extensions and add its external resources to the content \
                  security policy.",
    effort_minutes: 45,
    reference_url: "https://help.qlik.com/en-US/cloud-services/Sense_Hub/Admin/mc-extensions.htm",
    bad_example: "{ \"qInfo\": { \"qType\": \"vendor-sankey\" }, \"visualization\": \"vendor-sankey\" }",
    good_example: "{ \"qInfo\": { \"qType\": \"sn-sankey-chart\" }, \"visualization\": \"sn-sankey-chart\" }",
};

/// Options of [`THIRD_PARTY_EXTENSION`].
#[derive(Debug, Deserialize)]
#[serde(default, deny_unknown_fields, rename_all = "kebab-case")]
pub struct ExtensionOptions {
    /// A word of an extension's name, in lower case, to the bundle object that replaces it.
    pub replacements: BTreeMap<String, String>,
    /// Visualization types that ship with Qlik Sense, in lower case.
    pub native: Vec<String>,
}

impl Default for ExtensionOptions {
    /// NOTE: the object names of the Qlik Dashboard and Visualization bundles come from product
    /// knowledge; Qlik's bundle pages list them, but the pairing with extension names is a
    /// guess by keyword that the finding presents as a suggestion.
    fn default() -> Self {
        let pairs = [
            ("sankey", "Sankey chart (Visualization bundle)"),
            ("radar", "Radar chart (Visualization bundle)"),
            ("wordcloud", "Word cloud chart (Visualization bundle)"),
            ("word-cloud", "Word cloud chart (Visualization bundle)"),
            ("heatmap", "Heatmap chart (Visualization bundle)"),
            ("funnel", "Funnel chart (Visualization bundle)"),
            ("bullet", "Bullet chart (Visualization bundle)"),
            ("org-chart", "Org chart (Visualization bundle)"),
            ("orgchart", "Org chart (Visualization bundle)"),
            ("network", "Network chart (Visualization bundle)"),
            ("multi-kpi", "Multi KPI (Visualization bundle)"),
            ("multikpi", "Multi KPI (Visualization bundle)"),
            ("waterfall", "Variance waterfall (Visualization bundle)"),
            ("trellis", "Trellis container (Visualization bundle)"),
            ("date-picker", "Date range picker (Dashboard bundle)"),
            ("datepicker", "Date range picker (Dashboard bundle)"),
            ("daterange", "Date range picker (Dashboard bundle)"),
            ("variable-input", "Variable input (Dashboard bundle)"),
            ("variableinput", "Variable input (Dashboard bundle)"),
            ("tabbed", "Tabbed container (Dashboard bundle)"),
            ("show-hide", "Show/hide container (Dashboard bundle)"),
            ("video", "Video player (Dashboard bundle)"),
            ("animator", "Animator (Dashboard bundle)"),
        ];
        // Story slides hold these item types; they are not extensions.
        let native = [
            "text",
            "shape",
            "image",
            "snapshot",
            "embeddedsnapshot",
            "slide",
            "slideitem",
        ];
        ExtensionOptions {
            replacements: pairs
                .into_iter()
                .map(|(word, object)| (word.to_owned(), object.to_owned()))
                .collect(),
            native: native.map(str::to_owned).to_vec(),
        }
    }
}

impl ExtensionOptions {
    /// Returns the bundle object that replaces the extension `name`, if a keyword matches.
    fn replacement(&self, name: &str) -> Option<&str> {
        let lower = name.to_ascii_lowercase();
        self.replacements
            .iter()
            .find(|(word, _)| lower.contains(word.as_str()))
            .map(|(_, object)| object.as_str())
    }
}

pub fn third_party(
    details: &AppDetails,
    options: &ExtensionOptions,
    hits: &mut RuleFindings<'_>,
) -> Result<(), PluginError> {
    for extension in &details.extensions {
        if options
            .native
            .iter()
            .any(|native| native.eq_ignore_ascii_case(&extension.name))
        {
            continue;
        }
        let usage = format!(
            "{} object{} on {} sheet{}",
            extension.objects,
            if extension.objects == 1 { "" } else { "s" },
            extension.sheets,
            if extension.sheets == 1 { "" } else { "s" },
        );
        let installed = if extension.installed {
            ""
        } else {
            "; it is not installed on the site, so those objects already fail to render"
        };
        let (message, remediation) = match options.replacement(&extension.name) {
            Some(object) => (
                format!(
                    "extension '{}' is used by {usage}{installed}; {object} can replace it",
                    extension.name
                ),
                format!("Replace '{}' with {object}.", extension.name),
            ),
            None => (
                format!(
                    "extension '{}' is used by {usage}{installed}; no Qlik bundle object replaces it",
                    extension.name
                ),
                format!(
                    "Upload '{}' to the tenant's extensions and add its external resources to \
                     the content security policy, or rebuild the objects with native charts.",
                    extension.name
                ),
            ),
        };
        hits.report(message)
            .located(extension.location.clone())
            .remediation(remediation);
    }
    Ok(())
}
