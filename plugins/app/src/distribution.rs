//! Distribution of an app outside the hub: mashups that embed it and QlikView Publisher tasks
//! that reduce it into copies.

use qready_plugin_sdk::estate::{MashupUse, PublisherTask, Reduction};
use qready_plugin_sdk::{PluginError, Rule, RuleFindings, Severity};

/// Flags apps that a mashup opens.
pub const MASHUP: Rule = Rule {
    code: "QC309",
    name: "embedded-in-mashup",
    title: "App is embedded in a mashup",
    severity: Severity::Warning,
    category: "app",
    rationale: "A mashup does not move with the app. In Qlik Cloud the page needs a web \
                integration ID that lists its origins, Content Security Policy entries for \
                what it loads, and Qlik Cloud authentication (OAuth client, JWT or interactive \
                login) in place of client-managed virtual proxies with ticket, header or \
                Windows authentication. The app gets a new id, so every `openApp` reference \
                changes. The Capability API still works but is legacy; Qlik recommends \
                qlik-embed.",
    remediation: "Host the page on a web server of its own, create a web integration ID for its \
                  origin, add its external resources to the tenant's Content Security Policy, \
                  switch its authentication to an OAuth client or JWT, and point it at the \
                  app's new id. Rewrite Capability API pages with qlik-embed where the page \
                  is reworked anyway.",
    effort_minutes: 240,
    reference_url: "https://qlik.dev/embed/capability-api/",
    bad_example: "var config = { host: 'qlik.corp.local', prefix: '/ticket/' };\nqlik.openApp('Sales.qvf', config);",
    good_example: "<qlik-embed ui=\"analytics/sheet\" app-id=\"<cloud app id>\" sheet-id=\"…\"></qlik-embed>",
};

/// Flags QlikView documents that a Publisher task reduces.
pub const PUBLISHER_REDUCTION: Rule = Rule {
    code: "QC310",
    name: "publisher-reduction",
    title: "QlikView Publisher reduces the document into copies",
    severity: Severity::Warning,
    category: "app",
    rationale: "QlikView Publisher reduces a document by field values or bookmarks and \
                distributes one copy per value (loop and reduce) or per reduction. Qlik Cloud \
                has no Publisher and no reduced copies: one app serves everyone, so the \
                reduction has to become Section Access in that app, an on-demand app, or \
                report bursting to the recipients.",
    remediation: "Move the reduction field into a Section Access table that maps each user to \
                  the values they may see, and publish the one app to a managed space. Where \
                  recipients received files rather than access, send filtered tabular reports \
                  from Qlik Cloud instead.",
    effort_minutes: 240,
    reference_url: "https://help.qlik.com/en-US/qlikview-developer/September2025/Subsystems/QMSAPIref/Content/PIX.QMSAPI.DataObjects.DocumentTask.TaskReduce.htm",
    bad_example: "Publisher task 'Sales by region': reduce Sales.qvw, loop on field Region, \
                  distribute Sales_%Region%.qvw.",
    good_example: "SECTION ACCESS;\nLOAD * INLINE [\nACCESS, USER.EMAIL, REDUCTION\nUSER, anna@corp.example, NORTH\n];\nSECTION APPLICATION;",
};

pub fn mashups(uses: &[MashupUse], hits: &mut RuleFindings<'_>) -> Result<(), PluginError> {
    for mashup in uses {
        let apis = if mashup.apis.is_empty() {
            "an unrecognised Qlik API".to_owned()
        } else {
            mashup.apis.join(", ")
        };
        let mut message = format!("mashup '{}' opens this app through {apis}", mashup.name);
        if !mashup.virtual_proxy_prefixes.is_empty() {
            message.push_str(&format!(
                " and the virtual proxy '{}', whose authentication does not exist in Qlik Cloud",
                mashup.virtual_proxy_prefixes.join("', '")
            ));
        }
        hits.report(message).located(mashup.location.clone());
    }
    Ok(())
}

pub fn publisher_reductions(
    tasks: &[PublisherTask],
    hits: &mut RuleFindings<'_>,
) -> Result<(), PluginError> {
    for task in tasks {
        if task.reductions.is_empty() || task.enabled == Some(false) {
            continue;
        }
        let reductions: Vec<String> = task.reductions.iter().map(describe).collect();
        let mut message = format!(
            "Publisher task '{}' reduces the document ({})",
            task.name,
            reductions.join("; ")
        );
        if let Some(template) = &task.document_name_template {
            message.push_str(&format!(" into copies named '{template}'"));
        }
        hits.report(message).located(task.location.clone());
    }
    Ok(())
}

fn describe(reduction: &Reduction) -> String {
    match reduction {
        Reduction::LoopByField(field) => format!("loop and reduce on field {field}"),
        Reduction::ByBookmark(Some(bookmark)) => format!("reduce by bookmark {bookmark}"),
        Reduction::ByBookmark(None) => "reduce by bookmark".to_owned(),
        Reduction::FixedList(count) => format!("{count} fixed reductions"),
    }
}
