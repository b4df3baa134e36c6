//! Services around an app that Qlik Cloud replaces: NPrinting reports and on-demand apps.

use qready_plugin_sdk::estate::AppDetails;
use qready_plugin_sdk::{App, PluginError, Rule, RuleFindings, Severity, StatementKind};

/// Flags apps that NPrinting reads or that embed NPrinting objects.
pub const NPRINTING: Rule = Rule {
    code: "QC307",
    name: "nprinting-dependence",
    title: "App depends on Qlik NPrinting",
    severity: Severity::Warning,
    category: "app",
    rationale: "Qlik NPrinting connects to apps on the client-managed site. Qlik Cloud replaces \
                it with tabular reporting (Excel templates), in-app exports and subscriptions; \
                PixelPerfect, Word, PowerPoint and HTML templates have no confirmed \
                counterpart, so each report needs a plan.",
    remediation: "List the NPrinting reports built on the app and rebuild them as Qlik Cloud \
                  tabular reports or subscriptions, or keep NPrinting pointed at a remaining \
                  client-managed site.",
    effort_minutes: 120,
    reference_url: "https://qlik.dev/manage/reports/",
    bad_example: "An NPrinting on-demand object on a sheet, or a connection named 'NPrinting'.",
    good_example: "A tabular report task in Qlik Cloud.",
};

/// Flags on-demand app generation (ODAG) template apps.
pub const ODAG_TEMPLATE: Rule = Rule {
    code: "QC308",
    name: "odag-template",
    title: "App is an on-demand (ODAG) template",
    severity: Severity::Warning,
    category: "app",
    rationale: "The script uses on-demand app bindings (`$(od_Field)`, `$(ods_Field)`, \
                `$(odo_Field)`), so the app is the template of an on-demand app link. Qlik Cloud \
                supports on-demand apps, but the selection app, the template and the link move \
                together, and generated apps cannot be uploaded: they are generated again.",
    remediation: "Migrate the template and its selection app together, recreate the on-demand \
                  app link in Qlik Cloud, and retire the generated copies.",
    effort_minutes: 60,
    reference_url: "https://help.qlik.com/en-US/cloud-services/Subsystems/Hub/Content/Sense_Hub/LoadData/creating-OnDemand-app.htm",
    bad_example: "WHERE Region IN ($(ods_Region){\"quote\": \"'\", \"delimiter\": \",\"});",
    good_example: "The same script, with the link recreated in Qlik Cloud.",
};

/// Whether `text` mentions NPrinting.
fn mentions_nprinting(text: &str) -> bool {
    text.to_ascii_lowercase().contains("nprinting")
}

pub fn nprinting(
    app: &App,
    details: &AppDetails,
    hits: &mut RuleFindings<'_>,
) -> Result<(), PluginError> {
    let mut reasons = Vec::new();
    for extension in &details.extensions {
        if mentions_nprinting(&extension.name) {
            reasons.push(format!("extension '{}'", extension.name));
        }
    }
    for connection in &app.connections {
        if mentions_nprinting(&connection.name) || mentions_nprinting(&connection.connection_string)
        {
            reasons.push(format!("connection '{}'", connection.name));
        }
    }
    for tag in &details.tags {
        if mentions_nprinting(tag) {
            reasons.push(format!("tag '{tag}'"));
        }
    }
    for property in &details.custom_properties {
        if mentions_nprinting(&property.name) || mentions_nprinting(&property.value) {
            reasons.push(format!(
                "custom property {}={}",
                property.name, property.value
            ));
        }
    }
    if !reasons.is_empty() {
        hits.report(format!(
            "the app is tied to NPrinting: {}",
            reasons.join(", ")
        ))
        .located(details.sizes.location.clone());
    }
    Ok(())
}

/// Finds an on-demand binding, `$(od_`, `$(ods_`, `$(odo_` or `$(odso_`, and returns its offset.
fn odag_binding(text: &str) -> Option<usize> {
    let lower = text.to_ascii_lowercase();
    ["$(od_", "$(ods_", "$(odo_", "$(odso_"]
        .iter()
        .filter_map(|prefix| lower.find(prefix))
        .min()
}

pub fn odag_template(app: &App, hits: &mut RuleFindings<'_>) -> Result<(), PluginError> {
    let Some(script) = &app.script else {
        return Ok(());
    };
    for statement in &script.statements {
        if statement.kind == StatementKind::Rem {
            continue;
        }
        if let Some(at) = odag_binding(script.statement_text(statement)) {
            hits.report("the script uses on-demand app bindings: the app is an on-demand template")
                .located(Some(script.location_in(statement, at)));
            break;
        }
    }
    Ok(())
}
