//! Steps of each route, and the setup each data source needs before apps reload through it in
//! Qlik Cloud.
//!
//! Sources for the distribution steps (Qlik help, opened December 2026):
//! - Client-managed Qlik Sense to Qlik Cloud: a license that includes multi-cloud, a deployment
//!   set up in the QMC, a multi-cloud identity provider configuration in the tenant, and a
//!   distribution policy; only published apps are distributed, they arrive as staged apps
//!   without owner or space, are view-only, and reloads are not scheduled in Qlik Cloud.
//!   <https://help.qlik.com/en-US/migration/Content/Global_Common/Content/Multi-Cloud/distributing-apps-QSEoW-to-QCS.htm>,
//!   <https://help.qlik.com/en-US/migration/Content/Migration/publish-to-collection.htm>
//! - QlikView: the QMC distributes documents, or links to them, to a cloud deployment; links
//!   need HTTPS and the fully qualified domain name.
//!   <https://help.qlik.com/en-US/qlikview/May2024/Subsystems/QMC/Content/QV_QMC/QMC_Documents_SourceDocuments_Distribute_Manually.htm>

use super::routes::{AppRoute, Route, RouteFinding, RoutesConfig};
use super::{AppSummary, Assessment, DataSourceAssessment, RetireReason};
use crate::model::Product;

/// Returns the steps the app's route needs, in the order to take them.
pub(super) fn needs(
    assessment: &Assessment,
    app: &AppSummary,
    route: &AppRoute,
    sources: &[&DataSourceAssessment],
    config: &RoutesConfig,
) -> Vec<String> {
    let listed = |list: &[String], finding: &RouteFinding| list.contains(&finding.rule);
    let mut steps = Vec::new();
    match route.route {
        Route::Retire => retire_steps(assessment, app, &mut steps),
        Route::MigrateNow | Route::MigrateAfterRemediation => {
            if app.statements == 0 && route.route == Route::MigrateAfterRemediation {
                steps.push(
                    "Export the app's load script and assess it with qready; the script rules \
                     have not run"
                        .to_owned(),
                );
            }
            if !route.findings.is_empty() && route.route == Route::MigrateAfterRemediation {
                steps.push(fix_step(&route.findings));
            }
            steps.extend(connection_actions(sources));
            move_steps(app, &mut steps);
        }
        Route::Hybrid => {
            let (reload, app_side): (Vec<RouteFinding>, Vec<RouteFinding>) = route
                .findings
                .iter()
                .cloned()
                .partition(|f| listed(&config.reload_rules, f));
            if !app_side.is_empty() {
                steps.push(format!("Before distributing: {}", fix_step(&app_side)));
            }
            distribution_steps(app, &mut steps);
            // The reload moves in a later phase; these steps prepare it.
            if !reload.is_empty() {
                steps.push(format!("Before the reload moves: {}", fix_step(&reload)));
            }
            for action in connection_actions(sources) {
                steps.push(format!("Before the reload moves: {action}"));
            }
        }
        Route::Convert => {
            steps.push(
                "Run QV2QS to convert the script and the standard sheet objects, and read its \
                 conversion report"
                    .to_owned(),
            );
            let (ui, rest): (Vec<RouteFinding>, Vec<RouteFinding>) = route
                .findings
                .iter()
                .cloned()
                .partition(|f| listed(&config.convert_rules, f));
            steps.extend(ui.iter().map(rebuild_step));
            if !rest.is_empty() {
                steps.push(fix_step(&rest));
            }
            steps.extend(connection_actions(sources));
            steps.push(
                "Until the conversion is done, QlikView Publisher can distribute the document, \
                 or a link to it, to Qlik Cloud so users find it there"
                    .to_owned(),
            );
        }
    }
    steps
}

fn fix_step(findings: &[RouteFinding]) -> String {
    let minutes: u32 = findings.iter().map(|f| f.minutes).sum();
    let codes: Vec<&str> = findings.iter().map(|f| f.rule.as_str()).collect();
    format!(
        "Fix {} (about {}); `qready rules explain CODE` gives each fix",
        codes.join(", "),
        crate::report::units::minutes(minutes)
    )
}

fn retire_steps(assessment: &Assessment, app: &AppSummary, steps: &mut Vec<String>) {
    steps.push("Confirm with the app's owner that nobody needs it".to_owned());
    if let Some(RetireReason::Duplicate { of }) = &app.retire_reason {
        let kept_name = assessment.app(of).map_or(of.as_str(), |a| a.name.as_str());
        steps.push(format!(
            "Point its users to {kept_name}, which moves instead"
        ));
    }
    steps.push("Archive the app file and delete its reload tasks; do not move it".to_owned());
}

fn move_steps(app: &AppSummary, steps: &mut Vec<String>) {
    match app.product {
        Product::QlikSense => steps.push(
            "Import the app into a Qlik Cloud space, for example with the Analytics Migration \
             Tool, and reload it there"
                .to_owned(),
        ),
        Product::QlikView => steps.push(
            "Convert the document with QV2QS, which converts the script and sheet objects and \
             reloads the app in Qlik Cloud"
                .to_owned(),
        ),
    }
    if let Some(stream) = &app.stream {
        steps.push(format!(
            "Create a managed space for stream {stream} and give its users the same access"
        ));
    }
    steps.push("Schedule its reload as a Qlik Cloud reload task".to_owned());
}

fn distribution_steps(app: &AppSummary, steps: &mut Vec<String>) {
    match app.product {
        Product::QlikSense => {
            steps.push(
                "A license that includes multi-cloud for Qlik Sense Enterprise on Windows and \
                 the Qlik Cloud tenant, and a tenant with managed spaces"
                    .to_owned(),
            );
            steps.push(
                "A deployment for the tenant in the QMC (Cloud distribution) and a multi-cloud \
                 identity provider configuration in the tenant"
                    .to_owned(),
            );
            let published = match &app.stream {
                Some(stream) => format!("it is published to stream {stream}"),
                None => "publish it to a stream first, since only published apps are \
                         distributed"
                    .to_owned(),
            };
            steps.push(format!(
                "A distribution policy that matches the app; {published}"
            ));
            steps.push(
                "A tenant admin assigns the staged app to a managed space; users get a \
                 view-only copy"
                    .to_owned(),
            );
            steps.push(
                "Keep the reload task on premises: distribution copies the app after each \
                 reload, not its data connections or tasks"
                    .to_owned(),
            );
        }
        Product::QlikView => {
            steps.push(
                "A cloud deployment for the Qlik Cloud tenant in the QlikView Management \
                 Console"
                    .to_owned(),
            );
            steps.push(
                "A Publisher task that distributes the document, or a link to it, to the \
                 cloud deployment; links need HTTPS and the server's fully qualified domain \
                 name"
                    .to_owned(),
            );
            steps.push("Keep the reload in QlikView Publisher".to_owned());
        }
    }
}

/// Describes the Qlik Sense replacement of one QlikView feature.
fn rebuild_step(finding: &RouteFinding) -> String {
    let replacement = match finding.rule.as_str() {
        "QC302" => {
            "Qlik Sense has no macro engine: replace the macros with button actions, \
             variables and alternate states, or with Qlik Automate"
        }
        "QC303" => {
            "Qlik Sense has no document or sheet event triggers: replace them with button \
             actions, default bookmarks or reload tasks"
        }
        "QC304" => "Rebuild the containers with the Qlik Sense container chart",
        "QC305" => "Recreate the alerts as Qlik Cloud data alerts, which allow at most 50 per user",
        "QC306" => {
            "Replace document chaining with app navigation links or URL buttons, which use \
             Qlik Cloud app ids"
        }
        _ => "Rebuild the feature in Qlik Sense",
    };
    format!(
        "{} ({}, x{}): {replacement}",
        finding.rule, finding.title, finding.findings
    )
}

/// Returns the setup a data source needs before apps reload through it in Qlik Cloud.
pub(super) fn connection_action(source: &DataSourceAssessment) -> String {
    setup_action(
        &source.name,
        &source.cloud_path,
        source.connector.as_deref(),
    )
}

/// Returns one setup step per cloud path and connector, naming every source that shares them.
fn connection_actions(sources: &[&DataSourceAssessment]) -> Vec<String> {
    let mut groups: Vec<(&str, Option<&str>, Vec<&str>)> = Vec::new();
    for source in sources {
        let key = (source.cloud_path.as_str(), source.connector.as_deref());
        match groups
            .iter_mut()
            .find(|(path, connector, _)| (*path, *connector) == key)
        {
            Some(group) => group.2.push(&source.name),
            None => groups.push((key.0, key.1, vec![&source.name])),
        }
    }
    groups
        .into_iter()
        .map(|(path, connector, names)| setup_action(&names.join(", "), path, connector))
        .collect()
}

fn setup_action(name: &str, cloud_path: &str, connector: Option<&str>) -> String {
    let connector = connector.map_or_else(String::new, |c| format!("{c} "));
    match cloud_path {
        "native-connector" => format!("Create a Qlik Cloud {connector}connection for {name}"),
        "direct-access-gateway" => format!(
            "Install a Direct Access gateway that reaches {name} and create a {connector}\
             connection through it"
        ),
        "data-movement-gateway" => format!(
            "Replicate {name} to a cloud target with a Data Movement gateway, and load from \
             the target"
        ),
        "data-files-upload" => format!(
            "Upload {name} to a space's DataFiles, or read the files through a Direct Access \
             gateway file connection if they keep changing on premises"
        ),
        "cloud-storage" => {
            format!("Move {name} to cloud storage and create a {connector}connection to it")
        }
        "none" => format!(
            "No Qlik Cloud connector reaches {name}: stage the data where a connector reaches \
             it, or redesign the load"
        ),
        _ => format!(
            "Decide the Qlik Cloud path of {name} by hand: no connector plugin recognised it"
        ),
    }
}
