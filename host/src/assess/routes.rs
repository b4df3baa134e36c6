//! Routes to Qlik Cloud: for each app, whether it moves now, moves after remediation, keeps
//! reloading on premises while Qlik Cloud serves it (hybrid), needs conversion to Qlik Sense
//! first, or retires. The thresholds come from `[routes]` in `qready.toml`.
//!
//! The route is decided in this order, and the first that applies wins:
//! 1. retire: a retire candidate that no app to move reads from, or an app with at most
//!    `retire-max-sessions` sessions in the usage window that no app reads from;
//! 2. convert: a QlikView document with at least `convert-min-findings` findings of
//!    `convert-rules` (macros, triggers, containers, alerts, document chaining);
//! 3. hybrid: no blocker outside `reload-rules`, and either a data source whose cloud path is
//!    in `hybrid-cloud-paths` or reload-side blockers worth `hybrid-min-reload-minutes`;
//! 4. migrate after remediation: any blocker, warning or pack failure;
//! 5. migrate now: nothing else.

use std::collections::BTreeMap;

use schemars::JsonSchema;
use serde::{Deserialize, Serialize};

use super::{AppStatus, AppSummary, Assessment, DataSourceAssessment};
use crate::finding::{Finding, Severity};
use crate::model::Product;
use crate::runtime::CloudPath;

/// `[routes]` in `qready.toml`: the thresholds that decide each app's route.
#[derive(Debug, Clone, PartialEq, Eq, Deserialize)]
#[serde(deny_unknown_fields, rename_all = "kebab-case", default)]
pub struct RoutesConfig {
    /// An app with at most this many sessions in the usage window, whose data no other app
    /// reads, retires. With 0, only unused apps and duplicates retire. The window itself is
    /// `[input] usage-window-days`.
    pub retire_max_sessions: u64,
    /// Codes of the findings about the user interface of a QlikView document: features that
    /// QV2QS does not convert by itself.
    pub convert_rules: Vec<String>,
    /// Findings of `convert-rules` from which a QlikView document takes the convert route.
    pub convert_min_findings: usize,
    /// Codes of the findings about data access or reload mechanics. They stop mattering while
    /// the app keeps reloading on premises and Qlik Cloud only serves it.
    ///
    /// NOTE: a code in `convert-rules` or `reload-rules` that no loaded pack declares is not
    /// reported, unlike the codes under `[rules]`, so a typo there goes unnoticed.
    pub reload_rules: Vec<String>,
    /// Estimated minutes of reload-side blocker fixes from which an app keeps reloading on
    /// premises and is distributed to Qlik Cloud, instead of being fixed before the move.
    pub hybrid_min_reload_minutes: u32,
    /// Cloud paths of a data source that keep the reload of the apps using it on premises
    /// until a gateway or a replacement source is in place.
    pub hybrid_cloud_paths: Vec<CloudPath>,
}

impl Default for RoutesConfig {
    fn default() -> Self {
        let codes = |list: &[&str]| list.iter().map(|code| (*code).to_owned()).collect();
        RoutesConfig {
            retire_max_sessions: 0,
            convert_rules: codes(&["QC302", "QC303", "QC304", "QC305", "QC306"]),
            convert_min_findings: 1,
            reload_rules: codes(&[
                "QC101", "QC102", "QC103", "QC104", "QC105", "QC106", "QC107", "QC108", "QC109",
                "QC110", "QC111", "QC112", "QC113", "QC404", "QC405", "QC502", "QC503", "QC504",
            ]),
            hybrid_min_reload_minutes: 120,
            hybrid_cloud_paths: vec![
                CloudPath::DirectAccessGateway,
                CloudPath::DataMovementGateway,
                CloudPath::None,
            ],
        }
    }
}

/// Path of an app to Qlik Cloud.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, JsonSchema)]
#[serde(rename_all = "kebab-case")]
pub enum Route {
    /// Nothing blocks: import the app and reload it in Qlik Cloud.
    MigrateNow,
    /// Fix the listed findings, then move the app and its reload.
    MigrateAfterRemediation,
    /// Keep reloading on premises and distribute the app to Qlik Cloud, until the data access
    /// or reload blockers are resolved.
    Hybrid,
    /// Convert the QlikView document to Qlik Sense, rebuilding its user interface features.
    Convert,
    /// Retire the app instead of moving it.
    Retire,
}

impl Route {
    /// Every route, in the order reports list them.
    pub const ALL: [Route; 5] = [
        Route::MigrateNow,
        Route::MigrateAfterRemediation,
        Route::Hybrid,
        Route::Convert,
        Route::Retire,
    ];

    /// Name as reports print it.
    pub fn label(self) -> &'static str {
        match self {
            Route::MigrateNow => "Migrate now",
            Route::MigrateAfterRemediation => "Migrate after remediation",
            Route::Hybrid => "Hybrid",
            Route::Convert => "Convert",
            Route::Retire => "Retire",
        }
    }

    /// Name as JSON and CSV write it.
    pub fn as_str(self) -> &'static str {
        match self {
            Route::MigrateNow => "migrate-now",
            Route::MigrateAfterRemediation => "migrate-after-remediation",
            Route::Hybrid => "hybrid",
            Route::Convert => "convert",
            Route::Retire => "retire",
        }
    }

    /// Phase in which the app's reload runs in Qlik Cloud, before lineage delays it.
    fn reload_phase(self) -> Option<u32> {
        match self {
            Route::MigrateNow => Some(PHASE_OFFLOAD),
            Route::MigrateAfterRemediation => Some(PHASE_REMEDIATE),
            Route::Hybrid => Some(PHASE_PIPELINES),
            Route::Convert => Some(PHASE_CONVERT),
            Route::Retire => None,
        }
    }
}

/// Phase numbers of the plan, after the assessment itself.
pub(super) const PHASE_OFFLOAD: u32 = 1;
pub(super) const PHASE_REMEDIATE: u32 = 2;
pub(super) const PHASE_PIPELINES: u32 = 3;
pub(super) const PHASE_CONVERT: u32 = 4;

/// The findings of one rule that decide an app's route.
#[derive(Debug, Clone, Serialize, JsonSchema)]
pub struct RouteFinding {
    pub rule: String,
    /// The rule's one-line summary: what the finding means.
    pub title: String,
    /// Highest severity among the findings.
    pub severity: Severity,
    pub findings: usize,
    /// Estimated minutes to fix them, from the rule's effort.
    pub minutes: u32,
}

/// A data source that decides an app's route, with its cloud path.
#[derive(Debug, Clone, Serialize, JsonSchema)]
pub struct RouteSource {
    pub id: String,
    pub name: String,
    pub kind: String,
    pub cloud_path: String,
    pub connector: Option<String>,
}

/// One app's route, with its reason and what it needs.
#[derive(Debug, Clone, Serialize, JsonSchema)]
pub struct AppRoute {
    pub app_id: String,
    pub name: String,
    pub product: Product,
    pub route: Route,
    /// Reason for the route, in sentences that name the deciding findings.
    pub reason: String,
    /// Findings that decide the route, by rule.
    pub findings: Vec<RouteFinding>,
    /// Data sources whose cloud path is in `hybrid-cloud-paths`, which keep the reload on
    /// premises until a gateway or a replacement source is ready.
    pub sources: Vec<RouteSource>,
    /// Estimated minutes to fix [`AppRoute::findings`].
    pub effort_minutes: u32,
    /// Steps the route needs, one per entry, in order.
    pub needs: Vec<String>,
    /// Migration wave, when the app is in the waves.
    pub wave: Option<u32>,
    /// Phase in which users first use the app in Qlik Cloud, or in which it retires.
    pub phase: u32,
    /// Phase in which the app reloads in Qlik Cloud; `None` for a retired app.
    pub reload_phase: Option<u32>,
    /// Ids of the apps whose data this app reads and whose reload moves in a later phase than
    /// its own would, so its reload waits for them.
    pub waits_for: Vec<String>,
}

/// Decides the route of every app, in the order of `assessment.apps`. Phases are filled in by
/// [`super::phases::plan`].
pub(super) fn decide(assessment: &Assessment, config: &RoutesConfig) -> Vec<AppRoute> {
    let mut by_app: BTreeMap<&str, Vec<&Finding>> = BTreeMap::new();
    for finding in &assessment.findings {
        by_app
            .entry(finding.app_id.as_str())
            .or_default()
            .push(finding);
    }
    let sources_by_app = assessment.data_sources_by_app();
    assessment
        .apps
        .iter()
        .map(|app| {
            let findings = by_app.get(app.id.as_str()).map_or(&[][..], Vec::as_slice);
            let sources = sources_by_app
                .get(app.id.as_str())
                .map_or(&[][..], Vec::as_slice);
            decide_app(assessment, app, findings, sources, config)
        })
        .collect()
}

fn decide_app(
    assessment: &Assessment,
    app: &AppSummary,
    findings: &[&Finding],
    sources: &[&DataSourceAssessment],
    config: &RoutesConfig,
) -> AppRoute {
    let mut route = AppRoute {
        app_id: app.id.clone(),
        name: app.name.clone(),
        product: app.product,
        route: Route::MigrateNow,
        reason: String::new(),
        findings: Vec::new(),
        sources: Vec::new(),
        effort_minutes: 0,
        needs: Vec::new(),
        wave: app.wave,
        phase: PHASE_OFFLOAD,
        reload_phase: None,
        waits_for: Vec::new(),
    };
    let in_list = |list: &[String], code: &str| list.iter().any(|c| c == code);

    if let Some(reason) = retire_reason(assessment, app, config) {
        route.route = Route::Retire;
        route.findings = group(assessment, findings, |f| {
            f.rule.code == "QC601" || f.rule.code == "QC602"
        });
        route.reason = reason;
    } else if let Some(ui) = convert_findings(assessment, app, findings, config) {
        route.route = Route::Convert;
        route.reason = format!(
            "QlikView document whose value is in its user interface: {}. QV2QS converts the \
             script and standard sheet objects, but these features have no automatic \
             equivalent in Qlik Sense and must be rebuilt before the app moves.",
            describe(&ui)
        );
        let rest = group(assessment, findings, |f| {
            f.severity != Severity::Info && !in_list(&config.convert_rules, &f.rule.code)
        });
        if !rest.is_empty() {
            route.reason.push_str(&format!(
                " The converted app also needs {} fixed.",
                codes(&rest)
            ));
        }
        route.findings = ui;
        route.findings.extend(rest);
    } else {
        let app_blockers = group(assessment, findings, |f| {
            f.severity == Severity::Blocker && !in_list(&config.reload_rules, &f.rule.code)
        });
        let reload_blockers = group(assessment, findings, |f| {
            f.severity == Severity::Blocker && in_list(&config.reload_rules, &f.rule.code)
        });
        let reload_minutes: u32 = reload_blockers.iter().map(|f| f.minutes).sum();
        let blocking_sources: Vec<&DataSourceAssessment> = sources
            .iter()
            .copied()
            .filter(|source| {
                config
                    .hybrid_cloud_paths
                    .iter()
                    .any(|path| path.as_str() == source.cloud_path)
            })
            .collect();
        let reload_heavy =
            !reload_blockers.is_empty() && reload_minutes >= config.hybrid_min_reload_minutes;
        if app_blockers.is_empty() && (!blocking_sources.is_empty() || reload_heavy) {
            route.route = Route::Hybrid;
            let reload = group(assessment, findings, |f| {
                f.severity != Severity::Info && in_list(&config.reload_rules, &f.rule.code)
            });
            // Warnings about the app itself still matter in the copy that Qlik Cloud serves.
            let app_warnings = group(assessment, findings, |f| {
                f.severity == Severity::Warning && !in_list(&config.reload_rules, &f.rule.code)
            });
            route.sources = blocking_sources.iter().map(|s| route_source(s)).collect();
            route.reason = hybrid_reason(&reload, &blocking_sources, reload_minutes, config);
            if !app_warnings.is_empty() {
                route.reason.push_str(&format!(
                    " Before distributing, fix {}, since the distributed copy runs in Qlik Cloud.",
                    describe(&app_warnings)
                ));
            }
            route.findings = reload;
            route.findings.extend(app_warnings);
        } else if app.statements == 0 && app.blockers == 0 {
            // The script rules found nothing because there was no script to read, which is not
            // the same as nothing to fix.
            route.route = Route::MigrateAfterRemediation;
            route.findings = group(assessment, findings, |f| f.severity != Severity::Info);
            route.reason = format!(
                "qready read no load script for this app (from {}), so the script rules did not \
                 run and nothing is known of its data access. Export its script, for example \
                 with `qlik app unbuild`, and assess it before the move.",
                app.source
            );
        } else if app.blockers > 0 || app.warnings > 0 || app.pack_failures > 0 {
            route.route = Route::MigrateAfterRemediation;
            route.findings = group(assessment, findings, |f| f.severity != Severity::Info);
            route.sources = blocking_sources.iter().map(|s| route_source(s)).collect();
            route.reason =
                remediation_reason(app, &app_blockers, &route.findings, reload_minutes, config);
        } else {
            route.findings = group(assessment, findings, |_| true);
            route.reason = if route.findings.is_empty() {
                "No findings: nothing blocks the move.".to_owned()
            } else {
                format!(
                    "No blocker or warning; the info findings ({}) need no change before the \
                     move.",
                    describe(&route.findings)
                )
            };
        }
    }
    let unknown: Vec<&str> = sources
        .iter()
        .filter(|source| source.cloud_path == "unrecognised")
        .filter(|source| {
            !route
                .sources
                .iter()
                .any(|blocking| blocking.id == source.id)
        })
        .map(|source| source.name.as_str())
        .collect();
    if route.route != Route::Retire && !unknown.is_empty() {
        route.reason.push_str(&format!(
            " No connector plugin recognised {}, so confirm its Qlik Cloud path before the \
             reload moves.",
            unknown.join(", ")
        ));
    }
    if app.status == AppStatus::RetireCandidate && route.route != Route::Retire {
        let retire_text = app.retire_reason.as_ref().map_or_else(String::new, |r| {
            r.describe(|id| {
                assessment
                    .app(id)
                    .map_or(id, |a| a.name.as_str())
                    .to_owned()
            })
        });
        route.reason.push_str(&format!(
            " It is a retire candidate ({retire_text}), but apps that move read its data, so it moves \
             with them."
        ));
    }
    // Info findings of an app that migrates now need no change, so they cost nothing.
    route.effort_minutes = match route.route {
        Route::MigrateNow => 0,
        _ => route.findings.iter().map(|f| f.minutes).sum(),
    };
    route.reload_phase = route.route.reload_phase();
    route.phase = match route.route {
        Route::Hybrid => PHASE_OFFLOAD,
        _ => route.reload_phase.unwrap_or(PHASE_OFFLOAD),
    };
    route.needs = super::needs::needs(assessment, app, &route, sources, config);
    route
}

/// Returns the retire reason, naming the finding codes that back it, when the app retires.
fn retire_reason(
    assessment: &Assessment,
    app: &AppSummary,
    config: &RoutesConfig,
) -> Option<String> {
    let name_of = |id: &str| {
        assessment
            .app(id)
            .map_or(id, |a| a.name.as_str())
            .to_owned()
    };
    if app.status == AppStatus::RetireCandidate && app.wave.is_none() {
        let reason = app.retire_reason.as_ref()?;
        let code = match reason {
            super::RetireReason::Unused { .. } => "QC601",
            super::RetireReason::Duplicate { .. } => "QC602",
        };
        return Some(format!(
            "Retire candidate ({code}): {}, and no app that moves reads its data.",
            reason.describe(name_of)
        ));
    }
    let usage = app.usage.as_ref()?;
    if app.status != AppStatus::RetireCandidate
        && usage.sessions <= config.retire_max_sessions
        && app.feeds.is_empty()
    {
        return Some(format!(
            "{} sessions by {} users in the last {} days, at or below the retire threshold of \
             {} sessions, and no app reads its data.",
            usage.sessions, usage.distinct_users, usage.window_days, config.retire_max_sessions
        ));
    }
    None
}

/// Returns the user interface findings of a QlikView document when they reach the threshold.
fn convert_findings(
    assessment: &Assessment,
    app: &AppSummary,
    findings: &[&Finding],
    config: &RoutesConfig,
) -> Option<Vec<RouteFinding>> {
    if app.product != Product::QlikView {
        return None;
    }
    let ui = group(assessment, findings, |f| {
        config.convert_rules.contains(&f.rule.code)
    });
    let count: usize = ui.iter().map(|f| f.findings).sum();
    (count >= config.convert_min_findings && count > 0).then_some(ui)
}

fn hybrid_reason(
    findings: &[RouteFinding],
    blocking_sources: &[&DataSourceAssessment],
    reload_minutes: u32,
    config: &RoutesConfig,
) -> String {
    let mut parts = Vec::new();
    if !blocking_sources.is_empty() {
        let names: Vec<String> = blocking_sources
            .iter()
            .map(|s| format!("{} ({})", s.name, path_phrase(&s.cloud_path)))
            .collect();
        parts.push(format!(
            "its data sources have no Qlik Cloud path ready yet: {}",
            names.join("; ")
        ));
    }
    if !findings.is_empty() {
        parts.push(format!(
            "its findings are in data access and reload mechanics: {}",
            describe(findings)
        ));
    }
    let mut text = format!(
        "The app itself would run in Qlik Cloud, since no blocker concerns its user interface, \
         security or size, but {}.",
        parts.join(", and ")
    );
    if blocking_sources.is_empty() {
        text.push_str(&format!(
            " Fixing the reload takes about {} minutes, at or above the hybrid threshold of {} \
             minutes.",
            reload_minutes, config.hybrid_min_reload_minutes
        ));
    }
    text.push_str(
        " Keep reloading on premises, distribute the app to Qlik Cloud so users move now, and \
         move the reload once the data path is ready.",
    );
    text
}

fn remediation_reason(
    app: &AppSummary,
    app_blockers: &[RouteFinding],
    findings: &[RouteFinding],
    reload_minutes: u32,
    config: &RoutesConfig,
) -> String {
    let mut text = if findings.is_empty() {
        "The checks of this app did not all complete, so it moves after a complete check."
            .to_owned()
    } else if app_blockers.is_empty() && reload_minutes > 0 {
        format!(
            "Its blockers are in the reload but take about {reload_minutes} minutes to fix, \
             under the hybrid threshold of {} minutes, and no data source waits for a gateway; \
             fix these findings, then move the app and its reload: {}.",
            config.hybrid_min_reload_minutes,
            describe(findings)
        )
    } else if app_blockers.is_empty() {
        format!(
            "No blocker; fix these warnings, then move the app and its reload: {}.",
            describe(findings)
        )
    } else {
        format!(
            "Blockers in the app itself ({}) must be fixed for it to run in Qlik Cloud at all, \
             so distributing it would not help; fix these findings, then move: {}.",
            codes(app_blockers),
            describe(findings)
        )
    };
    if app.pack_failures > 0 && !findings.is_empty() {
        text.push_str(&format!(
            " {} pack failures left its checks incomplete.",
            app.pack_failures
        ));
    }
    text
}

/// Groups the matching findings by rule, in code order.
fn group(
    assessment: &Assessment,
    findings: &[&Finding],
    keep: impl Fn(&Finding) -> bool,
) -> Vec<RouteFinding> {
    let mut by_rule: BTreeMap<&str, RouteFinding> = BTreeMap::new();
    for finding in findings.iter().filter(|f| keep(f)) {
        let code = finding.rule.code.as_str();
        let entry = by_rule.entry(code).or_insert_with(|| {
            let rule = assessment.rule(code);
            RouteFinding {
                rule: code.to_owned(),
                title: rule.map_or_else(|| finding.rule.name.clone(), |r| r.title.clone()),
                severity: finding.severity,
                findings: 0,
                minutes: rule.map_or(0, |r| r.effort_minutes),
            }
        });
        entry.findings += 1;
        entry.severity = entry.severity.max(finding.severity);
    }
    by_rule.into_values().collect()
}

fn route_source(source: &DataSourceAssessment) -> RouteSource {
    RouteSource {
        id: source.id.clone(),
        name: source.name.clone(),
        kind: source.kind.clone(),
        cloud_path: source.cloud_path.clone(),
        connector: source.connector.clone(),
    }
}

/// Lists findings as `QC103 EXECUTE runs a program on the reload server (blocker x1)`.
pub(crate) fn describe(findings: &[RouteFinding]) -> String {
    findings
        .iter()
        .map(|f| {
            format!(
                "{} {} ({} x{})",
                f.rule,
                f.title,
                f.severity.as_str(),
                f.findings
            )
        })
        .collect::<Vec<_>>()
        .join("; ")
}

fn codes(findings: &[RouteFinding]) -> String {
    findings
        .iter()
        .map(|f| f.rule.as_str())
        .collect::<Vec<_>>()
        .join(", ")
}

/// Describes a cloud path as a short phrase.
pub(crate) fn path_phrase(cloud_path: &str) -> &'static str {
    match cloud_path {
        "native-connector" => "a Qlik Cloud connector reaches it",
        "direct-access-gateway" => "needs a Direct Access gateway",
        "data-movement-gateway" => "needs a Data Movement gateway",
        "data-files-upload" => "files to upload to a space",
        "cloud-storage" => "move the files to cloud storage",
        "none" => "no Qlik Cloud connector",
        _ => "no connector plugin recognised it",
    }
}
