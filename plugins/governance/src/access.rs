//! Access to an app: streams, custom properties and security rules.

use qready_plugin_sdk::estate::{AppDetails, SecurityRule};
use qready_plugin_sdk::{App, PluginError, Rule, RuleFindings, Severity, estate};

const STREAMS_TO_SPACES: &str = "https://help.qlik.com/en-US/migration/Content/Migration/qliksense-saas-migrating-streams-to-spaces.htm";

/// Notes custom property values on an app or its stream.
pub const CUSTOM_PROPERTIES: Rule = Rule {
    code: "QC401",
    name: "custom-properties",
    title: "App carries custom properties",
    severity: Severity::Info,
    category: "governance",
    rationale: "Qlik Cloud has no custom properties. Tags and collections label apps, and \
                access comes from space membership, so values that security rules, tasks or \
                reports key on must be mapped to tags or to the space design. A custom property \
                named `Tags` becomes Qlik Cloud tags when apps are distributed from the site.",
    remediation: "Decide for each property whether it becomes a tag, a collection, a space or \
                  nothing, and record that mapping before the apps move.",
    effort_minutes: 10,
    reference_url: "https://help.qlik.com/tr-TR/sense/May2026/Subsystems/Hub/Content/Sense_Hub/Publishing/publish-to-collection.htm",
    bad_example: "BusinessUnit = Finance (custom property on the app)",
    good_example: "Tag 'Finance' on the app, in the managed space 'Finance'.",
};

/// Flags custom security rules that name the app, its stream or its custom properties.
pub const SECURITY_RULES: Rule = Rule {
    code: "QC402",
    name: "security-rules",
    title: "Custom security rules decide who sees the app",
    severity: Severity::Warning,
    category: "governance",
    rationale: "Qlik Cloud has no attribute-based security rules: access to an app is the \
                membership and role of its space, the same for every app in it. A rule that \
                keys on this app, its stream or one of its custom properties has to become a \
                space design, or section access inside the app.",
    remediation: "Translate each rule into space roles (or into section access for row-level \
                  differences), and check the result with the users the rule served.",
    effort_minutes: 60,
    reference_url: "https://help.qlik.com/en-US/migration/Content/Migration/qliksense-saas-migrating-users.htm",
    bad_example: "resource.@BusinessUnit = user.@Department",
    good_example: "A managed space per business unit, with the department's group as viewers.",
};

/// Notes the stream an app is published to.
pub const STREAM_TO_SPACE: Rule = Rule {
    code: "QC403",
    name: "stream-to-space",
    title: "App is published to a stream",
    severity: Severity::Info,
    category: "governance",
    rationale: "Streams become spaces in Qlik Cloud: governed content goes to managed spaces, \
                self-service content to shared spaces. Managed spaces do not exist in Qlik \
                Cloud Analytics Standard.",
    remediation: "Map the stream to a managed space (or a shared space on the Standard tier), \
                  with roles that replace the stream's security rules, and publish the app \
                  there.",
    effort_minutes: 10,
    reference_url: STREAMS_TO_SPACES,
    bad_example: "Stream 'Finance' with a read rule for the finance group",
    good_example: "Managed space 'Finance' with the finance group as 'Can view'.",
};

pub fn custom_properties(
    details: &AppDetails,
    hits: &mut RuleFindings<'_>,
) -> Result<(), PluginError> {
    if details.custom_properties.is_empty() {
        return Ok(());
    }
    let values: Vec<String> = details
        .custom_properties
        .iter()
        .map(|p| format!("{}={}", p.name, p.value))
        .collect();
    hits.report(format!(
        "custom properties {} have no Qlik Cloud counterpart; map them to tags or spaces",
        values.join(", ")
    ))
    .located(details.sizes.location.clone());
    Ok(())
}

/// Whether `rule` names `needle`, ignoring case.
fn names(rule: &SecurityRule, needle: &str) -> bool {
    let needle = needle.to_lowercase();
    !needle.is_empty()
        && (rule.rule.to_lowercase().contains(&needle)
            || rule
                .resource_filter
                .as_deref()
                .is_some_and(|f| f.to_lowercase().contains(&needle)))
}

pub fn security_rules(
    app: &App,
    details: &AppDetails,
    hits: &mut RuleFindings<'_>,
) -> Result<(), PluginError> {
    let mut keys: Vec<String> = vec![format!("\"{}\"", app.name), format!("'{}'", app.name)];
    keys.extend(details.guid.clone());
    if let Some(stream) = &details.stream {
        keys.push(stream.id.clone());
        keys.push(format!("\"{}\"", stream.name));
        keys.push(format!("'{}'", stream.name));
        keys.extend(
            stream
                .custom_properties
                .iter()
                .map(|p| format!("@{}", p.name)),
        );
    }
    keys.extend(
        details
            .custom_properties
            .iter()
            .map(|p| format!("@{}", p.name)),
    );
    for rule in estate::security_rules() {
        let custom = rule
            .rule_type
            .as_deref()
            .is_some_and(|t| t.eq_ignore_ascii_case("custom"));
        if !custom || rule.disabled {
            continue;
        }
        if let Some(key) = keys.iter().find(|key| names(&rule, key)) {
            hits.report(format!(
                "custom security rule '{}' keys on {key}; Qlik Cloud access is space membership",
                rule.name
            ))
            .located(rule.location.clone());
        }
    }
    Ok(())
}

pub fn stream_to_space(
    details: &AppDetails,
    hits: &mut RuleFindings<'_>,
) -> Result<(), PluginError> {
    let Some(stream) = &details.stream else {
        return Ok(());
    };
    hits.report(format!(
        "published to stream '{}' ({} app{}); plan the space it moves to",
        stream.name,
        stream.app_count,
        if stream.app_count == 1 { "" } else { "s" }
    ))
    .located(details.sizes.location.clone());
    Ok(())
}
