//! QlikView document features with no direct Qlik Cloud counterpart.

use qready_plugin_sdk::estate::QlikviewFeatures;
use qready_plugin_sdk::{PluginError, Rule, RuleFindings, Severity};

const MACROS_ON_SERVER: &str =
    "https://help.qlik.com/en-US/qlikview/Subsystems/Client/Content/UsingMacrosonQVS.htm";

/// Flags a macro module or macro actions.
pub const QLIKVIEW_MACRO: Rule = Rule {
    code: "QC302",
    name: "qlikview-macro",
    title: "QlikView document has VBScript or JScript macros",
    severity: Severity::Warning,
    category: "app",
    rationale: "Qlik Sense and Qlik Cloud have no macro engine: the module and every action that \
                runs a macro are dropped when the document is converted. A module that asks for \
                system access (files, Excel, other programs) did work outside the document, \
                which must move elsewhere; that hit is a blocker.",
    remediation: "List what each procedure does. Rebuild user interactions with button actions, \
                  variables and alternate states, and move file or export work to Qlik Automate \
                  or reporting.",
    effort_minutes: 240,
    reference_url: MACROS_ON_SERVER,
    bad_example: "Sub ExportToExcel\n  ActiveDocument.GetSheetObject(\"CH01\").ExportBiff \"C:\\Out\\x.xls\"\nEnd Sub",
    good_example: "A button with the action 'Export data', or an automation that exports the chart.",
};

/// Flags document event triggers.
pub const QLIKVIEW_TRIGGER: Rule = Rule {
    code: "QC303",
    name: "qlikview-trigger",
    title: "QlikView document runs actions on document events",
    severity: Severity::Warning,
    category: "app",
    rationale: "Document event triggers (`OnOpen`, `OnPostReload`, `OnAnySelect`...) run actions \
                in QlikView. Qlik Sense and Qlik Cloud have no document events; a sheet can \
                only run actions when it opens, so selections, variables and macros that a \
                trigger set are no longer set.",
    remediation: "Move `OnOpen` work to the first sheet's actions or default bookmarks, \
                  `OnPostReload` work into the script, and drop or redesign selection triggers.",
    effort_minutes: 60,
    reference_url: MACROS_ON_SERVER,
    bad_example: "OnOpen: TYPE_MACRO ExportToExcel",
    good_example: "A sheet action that applies the bookmark on open.",
};

/// Notes container objects.
pub const CONTAINER: Rule = Rule {
    code: "QC304",
    name: "qlikview-container",
    title: "QlikView document uses container objects",
    severity: Severity::Info,
    category: "app",
    rationale: "QlikView containers stack objects behind tabs. Qlik Cloud has a native \
                container chart and the Dashboard bundle's layout container, but the \
                conversion does not carry the stacked objects over by itself.",
    remediation: "Rebuild each container with the native container chart and add the converted \
                  charts to it.",
    effort_minutes: 20,
    reference_url: "https://help.qlik.com/en-US/migration/Content/Qv2qsMigration/conversion-results/conversion-outcomes.htm",
    bad_example: "CT01 (container) holding CH01 and CH02",
    good_example: "A container chart holding the two converted charts.",
};

/// Flags document alerts.
pub const QLIKVIEW_ALERT: Rule = Rule {
    code: "QC305",
    name: "qlikview-alert",
    title: "QlikView document defines alerts",
    severity: Severity::Warning,
    category: "app",
    rationale: "QlikView document alerts do not migrate. Qlik Cloud data alerts replace them, \
                with their own limits: at most 50 alerts per user, 100,000 rows evaluated and \
                10 rows in the e-mail.",
    remediation: "Recreate each alert as a Qlik Cloud data alert on the migrated app, owned by \
                  the people who receive it.",
    effort_minutes: 30,
    reference_url: "https://help.qlik.com/en-US/cloud-services/Subsystems/Hub/Content/Sense_Hub/Introduction/qcs-specs-capacity.htm",
    bad_example: "Alert AL01: Orders & returns out of range",
    good_example: "A data alert on the measure with the same condition.",
};

/// Flags actions that open other documents or URLs.
pub const DOCUMENT_CHAINING: Rule = Rule {
    code: "QC306",
    name: "document-chaining",
    title: "QlikView document opens other documents or URLs",
    severity: Severity::Warning,
    category: "app",
    rationale: "Document chaining opens another QlikView document, often passing selections. In \
                Qlik Cloud an app is addressed by its id, which is only known after the target \
                is migrated, and selections pass through app links or bookmarks instead.",
    remediation: "Migrate the target document first, then replace the action with a navigation \
                  button or a link that uses the target's Qlik Cloud app id.",
    effort_minutes: 30,
    reference_url: "https://help.qlik.com/en-US/migration/Content/Qv2qsMigration/conversion-results/analysis.htm",
    bad_example: "TYPE_OPEN_DOCUMENT ..\\Finance\\Budget.qvw",
    good_example: "A button that navigates to the Budget app by its id.",
};

pub fn macros(document: &QlikviewFeatures, hits: &mut RuleFindings<'_>) -> Result<(), PluginError> {
    if let Some(module) = &document.macro_module {
        let finding = hits
            .report(format!(
                "macro module of {} lines with {} procedure{} ({}) does not run in Qlik Cloud",
                module.line_count,
                module.procedures.len(),
                if module.procedures.len() == 1 {
                    ""
                } else {
                    "s"
                },
                module.procedures.join(", ")
            ))
            .located(module.location.clone());
        if module.system_access == Some(true) {
            finding.severity(Severity::Blocker);
        }
    } else if document.macro_actions > 0 {
        hits.report(format!(
            "{} action{} run a macro, which Qlik Cloud does not have",
            document.macro_actions,
            if document.macro_actions == 1 { "" } else { "s" }
        ));
    }
    Ok(())
}

pub fn triggers(
    document: &QlikviewFeatures,
    hits: &mut RuleFindings<'_>,
) -> Result<(), PluginError> {
    for trigger in &document.triggers {
        // Count repeated action types, so that a long trigger reads "TYPE_SET_VALUE (6)".
        let mut counted: Vec<(&str, usize)> = Vec::new();
        for action in &trigger.actions {
            match counted.iter_mut().find(|(name, _)| name == action) {
                Some((_, count)) => *count += 1,
                None => counted.push((action, 1)),
            }
        }
        let actions: Vec<String> = counted
            .iter()
            .map(|(name, count)| match count {
                1 => (*name).to_owned(),
                n => format!("{name} ({n})"),
            })
            .collect();
        hits.report(format!(
            "trigger {} runs {}; Qlik Cloud has no document events",
            trigger.event,
            actions.join(", ")
        ))
        .located(trigger.location.clone());
    }
    Ok(())
}

pub fn containers(
    document: &QlikviewFeatures,
    hits: &mut RuleFindings<'_>,
) -> Result<(), PluginError> {
    for object in &document.objects {
        if object.object_type.eq_ignore_ascii_case("container") {
            hits.report(format!(
                "container {} must be rebuilt as a container chart",
                object.id
            ))
            .located(object.location.clone());
        }
    }
    Ok(())
}

pub fn alerts(document: &QlikviewFeatures, hits: &mut RuleFindings<'_>) -> Result<(), PluginError> {
    for alert in &document.alerts {
        hits.report(format!(
            "alert {} does not migrate; recreate it as a data alert",
            alert.id
        ))
        .located(alert.location.clone());
    }
    Ok(())
}

pub fn document_chains(
    document: &QlikviewFeatures,
    hits: &mut RuleFindings<'_>,
) -> Result<(), PluginError> {
    for chain in &document.document_chains {
        hits.report(format!(
            "{} opens '{}'; in Qlik Cloud the target is an app id",
            chain.action, chain.target
        ))
        .located(chain.location.clone());
    }
    Ok(())
}
