//! Per-app readiness: status, score, effort, usage and size.

use std::collections::{BTreeMap, BTreeSet, HashMap};

use schemars::JsonSchema;
use serde::Serialize;

use super::{AppSummary, RuleSummary};
use crate::finding::{EngineDiagnostic, Finding, Severity};
use crate::model::{App, Estate, InputFormat, Product};

/// Readiness of an app for the move to Qlik Cloud.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, JsonSchema)]
#[serde(rename_all = "kebab-case")]
pub enum AppStatus {
    /// No blocker and no warning.
    Ready,
    /// Warnings, or a pack that failed on the app; no blocker.
    NeedsRemediation,
    /// At least one blocker.
    Blocked,
    /// Unused in the usage window, or a duplicate of another app: retire it rather than move it.
    RetireCandidate,
}

impl AppStatus {
    /// Every status, in the order reports list them.
    pub const ALL: [AppStatus; 4] = [
        AppStatus::Ready,
        AppStatus::NeedsRemediation,
        AppStatus::Blocked,
        AppStatus::RetireCandidate,
    ];

    /// Name as reports print it.
    pub fn label(self) -> &'static str {
        match self {
            AppStatus::Ready => "Ready",
            AppStatus::NeedsRemediation => "Needs remediation",
            AppStatus::Blocked => "Blocked",
            AppStatus::RetireCandidate => "Retire candidate",
        }
    }

    /// Name as JSON and CSV write it.
    pub fn as_str(self) -> &'static str {
        match self {
            AppStatus::Ready => "ready",
            AppStatus::NeedsRemediation => "needs-remediation",
            AppStatus::Blocked => "blocked",
            AppStatus::RetireCandidate => "retire-candidate",
        }
    }
}

/// Reason an app is a retire candidate.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, JsonSchema)]
#[serde(tag = "kind", rename_all = "kebab-case")]
pub enum RetireReason {
    /// The usage logs of its product show no session in the window, and no other app reads what
    /// it writes.
    Unused { window_days: u32 },
    /// Its script is the same as the kept app's after whitespace is collapsed.
    Duplicate { of: String },
}

impl RetireReason {
    /// Describes the reason in one sentence for reports; `name_of` turns an app id into its
    /// name.
    pub fn describe(&self, name_of: impl Fn(&str) -> String) -> String {
        match self {
            RetireReason::Unused { window_days } => {
                format!("no sessions in the last {window_days} days")
            }
            RetireReason::Duplicate { of } => format!("same script as {}", name_of(of)),
        }
    }
}

/// Readiness from 0 to 100: 100 minus the points of every deduction, at least 0.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, JsonSchema)]
pub struct ReadinessScore {
    pub value: u32,
    /// One deduction per rule and severity that hit the app.
    pub deductions: Vec<ScoreDeduction>,
}

/// Points one rule takes off an app's score: [`first_hit_points`] for its first finding and
/// [`extra_hit_points`] for each further one.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, JsonSchema)]
pub struct ScoreDeduction {
    pub rule: String,
    pub severity: Severity,
    pub findings: usize,
    pub points: u32,
}

impl ReadinessScore {
    /// Formats the computation as one line, such as
    /// `100 - QC101 (blocker x5: 25 + 4x2 = 33) = 67`.
    pub fn explain(&self) -> String {
        if self.deductions.is_empty() {
            return "100: no findings".to_owned();
        }
        let mut text = String::from("100");
        for deduction in &self.deductions {
            let first = first_hit_points(deduction.severity);
            let extra = extra_hit_points(deduction.severity);
            let more = deduction.findings.saturating_sub(1);
            let sum = if more > 0 && extra > 0 {
                format!("{first} + {more}x{extra} = {}", deduction.points)
            } else {
                deduction.points.to_string()
            };
            text.push_str(&format!(
                " - {} ({} x{}: {sum})",
                deduction.rule,
                deduction.severity.as_str(),
                deduction.findings
            ));
        }
        let total: u32 = self.deductions.iter().map(|d| d.points).sum();
        if total > 100 {
            text.push_str(&format!(" = {}, floored at 0", 100 - i64::from(total)));
        } else {
            text.push_str(&format!(" = {}", self.value));
        }
        text
    }
}

/// Points the first finding of a rule takes off the score.
pub fn first_hit_points(severity: Severity) -> u32 {
    match severity {
        Severity::Blocker => 25,
        Severity::Warning => 10,
        Severity::Info => 2,
    }
}

/// Points each further finding of the same rule takes off the score. A rule usually needs one
/// fix however many lines it hits, so further findings weigh less.
pub fn extra_hit_points(severity: Severity) -> u32 {
    match severity {
        Severity::Blocker => 2,
        Severity::Warning => 1,
        Severity::Info => 0,
    }
}

/// Effort of one distinct rule on one app.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, JsonSchema)]
pub struct EffortItem {
    pub rule: String,
    /// The rule's `effort_minutes`, or the configured `[rules.effort]`; 0 for a rule no loaded
    /// pack declares.
    pub minutes: u32,
    pub findings: usize,
}

/// Whether an app is used, as far as the usage logs tell.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, JsonSchema)]
#[serde(rename_all = "kebab-case")]
pub enum UsageState {
    /// Sessions in the usage window.
    Active,
    /// The estate has usage logs for the app's product and they show no session of this app.
    Unused,
    /// No usage logs for the app's product were read.
    Unknown,
}

impl UsageState {
    /// Name as reports print it.
    pub fn as_str(self) -> &'static str {
        match self {
            UsageState::Active => "active",
            UsageState::Unused => "unused",
            UsageState::Unknown => "unknown",
        }
    }
}

/// Sessions and users of an app in the usage window.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, JsonSchema)]
pub struct UsageSummary {
    pub window_days: u32,
    pub sessions: u64,
    pub distinct_users: u64,
    /// Start of the latest session, RFC 3339.
    pub last_session: Option<String>,
}

/// Sizes of an app, in bytes, as far as the estate records them.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, JsonSchema)]
pub struct AppSize {
    /// Size of the app file (`.qvf`, `.qvw`).
    pub file_bytes: Option<u64>,
    /// Size of the data model in memory after the last reload.
    pub data_model_bytes: Option<u64>,
    /// Peak memory of the last reload.
    pub peak_reload_memory_bytes: Option<u64>,
}

/// Builds the summary of every app of the estate, in estate order. Waves are filled in later.
pub(super) fn summarize_apps(
    estate: &Estate,
    findings: &[Finding],
    diagnostics: &[EngineDiagnostic],
    rules: &[RuleSummary],
) -> Vec<AppSummary> {
    let mut by_app: HashMap<&str, Vec<&Finding>> = HashMap::new();
    for finding in findings {
        by_app
            .entry(finding.app_id.as_str())
            .or_default()
            .push(finding);
    }
    let mut failures: HashMap<&str, usize> = HashMap::new();
    for diagnostic in diagnostics {
        if let Some(app_id) = &diagnostic.app_id {
            *failures.entry(app_id.as_str()).or_default() += 1;
        }
    }
    let logged_products = products_with_usage_logs(estate);
    let duplicates = find_duplicates(estate);
    let mut producers: BTreeMap<&str, BTreeSet<&str>> = BTreeMap::new();
    let mut consumers: BTreeMap<&str, BTreeSet<&str>> = BTreeMap::new();
    for edge in &estate.lineage {
        if edge.writer_app_id != edge.reader_app_id {
            producers
                .entry(edge.reader_app_id.as_str())
                .or_default()
                .insert(edge.writer_app_id.as_str());
            consumers
                .entry(edge.writer_app_id.as_str())
                .or_default()
                .insert(edge.reader_app_id.as_str());
        }
    }

    estate
        .apps
        .iter()
        .map(|app| {
            let app_findings = by_app.get(app.id.as_str()).map_or(&[][..], Vec::as_slice);
            let count = |severity| {
                app_findings
                    .iter()
                    .filter(|f| f.severity == severity)
                    .count()
            };
            let (blockers, warnings, infos) = (
                count(Severity::Blocker),
                count(Severity::Warning),
                count(Severity::Info),
            );
            let feeds: Vec<String> = consumers
                .get(app.id.as_str())
                .map(|set| set.iter().map(|id| (*id).to_owned()).collect())
                .unwrap_or_default();
            let usage_state = usage_state(app, &logged_products);
            let retire_reason = match duplicates.get(app.id.as_str()) {
                Some(kept) => Some(RetireReason::Duplicate {
                    of: (*kept).to_owned(),
                }),
                None if usage_state == UsageState::Unused && feeds.is_empty() => {
                    Some(RetireReason::Unused {
                        window_days: usage_window(estate),
                    })
                }
                None => None,
            };
            let pack_failures = failures.get(app.id.as_str()).copied().unwrap_or(0);
            // An app whose checks did not all run is never called ready.
            let status = if retire_reason.is_some() {
                AppStatus::RetireCandidate
            } else if blockers > 0 {
                AppStatus::Blocked
            } else if warnings > 0 || pack_failures > 0 {
                AppStatus::NeedsRemediation
            } else {
                AppStatus::Ready
            };
            let effort = effort_items(app_findings, rules);
            AppSummary {
                id: app.id.clone(),
                name: app.name.clone(),
                product: app.product,
                source: app.source.display().to_string(),
                statements: app.script.as_ref().map_or(0, |s| s.statements.len()),
                blockers,
                warnings,
                infos,
                pack_failures,
                status,
                retire_reason,
                score: score(app_findings),
                effort_minutes: effort.iter().map(|item| item.minutes).sum(),
                effort,
                usage_state,
                usage: app.usage.as_ref().map(|usage| UsageSummary {
                    window_days: usage.window_days,
                    sessions: usage.sessions,
                    distinct_users: usage.distinct_users,
                    last_session: usage.last_session.clone(),
                }),
                size: AppSize {
                    file_bytes: app.file_size,
                    data_model_bytes: app
                        .static_byte_size
                        .or_else(|| app.metadata.as_ref()?.static_byte_size),
                    peak_reload_memory_bytes: app
                        .metadata
                        .as_ref()
                        .and_then(|m| m.peak_reload_memory_bytes),
                },
                stream: app.stream_id.as_ref().map(|id| {
                    estate
                        .streams
                        .iter()
                        .find(|stream| &stream.id == id)
                        .map_or_else(|| id.clone(), |stream| stream.name.clone())
                }),
                reads_from: producers
                    .get(app.id.as_str())
                    .map(|set| set.iter().map(|id| (*id).to_owned()).collect())
                    .unwrap_or_default(),
                feeds,
                wave: None,
            }
        })
        .collect()
}

/// Computes the score from an app's findings.
fn score(findings: &[&Finding]) -> ReadinessScore {
    let mut hits: BTreeMap<(&str, std::cmp::Reverse<Severity>), usize> = BTreeMap::new();
    for finding in findings {
        *hits
            .entry((
                finding.rule.code.as_str(),
                std::cmp::Reverse(finding.severity),
            ))
            .or_default() += 1;
    }
    let mut deductions: Vec<ScoreDeduction> = hits
        .into_iter()
        .map(|((rule, severity), count)| {
            let severity = severity.0;
            let more = u32::try_from(count - 1).unwrap_or(u32::MAX);
            ScoreDeduction {
                rule: rule.to_owned(),
                severity,
                findings: count,
                points: first_hit_points(severity)
                    .saturating_add(more.saturating_mul(extra_hit_points(severity))),
            }
        })
        .collect();
    deductions.sort_by(|a, b| b.points.cmp(&a.points).then_with(|| a.rule.cmp(&b.rule)));
    let total = deductions
        .iter()
        .fold(0u32, |sum, deduction| sum.saturating_add(deduction.points));
    ReadinessScore {
        value: 100u32.saturating_sub(total),
        deductions,
    }
}

/// One effort item per distinct rule, in code order.
fn effort_items(findings: &[&Finding], rules: &[RuleSummary]) -> Vec<EffortItem> {
    let mut per_rule: BTreeMap<&str, usize> = BTreeMap::new();
    for finding in findings {
        *per_rule.entry(finding.rule.code.as_str()).or_default() += 1;
    }
    per_rule
        .into_iter()
        .map(|(code, findings)| EffortItem {
            rule: code.to_owned(),
            minutes: rules
                .iter()
                .find(|rule| rule.code == code)
                .map_or(0, |rule| rule.effort_minutes),
            findings,
        })
        .collect()
}

/// Products whose usage logs the estate has: a Qlik Sense engine session log that named an app
/// covers Qlik Sense, a QlikView Server session or audit log covers QlikView.
///
/// NOTE: an estate may hold the usage logs of some servers only. An app of a covered product
/// that runs on a server whose logs were not given counts as unused.
fn products_with_usage_logs(estate: &Estate) -> Vec<Product> {
    let mut products = Vec::new();
    let formats = estate
        .apps
        .iter()
        .filter_map(|app| app.usage.as_ref())
        .flat_map(|usage| usage.provenance.iter().map(|p| p.format));
    for format in formats {
        let product = match format {
            InputFormat::QlikSenseSessionLog => Product::QlikSense,
            InputFormat::QlikViewSessionLog | InputFormat::QlikViewAuditLog => Product::QlikView,
            _ => continue,
        };
        if !products.contains(&product) {
            products.push(product);
        }
    }
    products
}

fn usage_state(app: &App, logged_products: &[Product]) -> UsageState {
    match &app.usage {
        Some(usage) if usage.sessions > 0 => UsageState::Active,
        Some(_) => UsageState::Unused,
        None if logged_products.contains(&app.product) => UsageState::Unused,
        None => UsageState::Unknown,
    }
}

/// The usage window of the estate's usage data. Only called for an unused app, which implies
/// that some app has usage, so the fallback of 90 days is never reached.
fn usage_window(estate: &Estate) -> u32 {
    estate
        .apps
        .iter()
        .find_map(|app| app.usage.as_ref().map(|usage| usage.window_days))
        .unwrap_or(90)
}

/// Maps each duplicate app's id to the id of the app kept from its group. Apps whose scripts
/// are the same after whitespace is collapsed form a group; the kept app is the one with the
/// most sessions, then the first by id.
fn find_duplicates(estate: &Estate) -> HashMap<&str, &str> {
    let mut groups: HashMap<String, Vec<&App>> = HashMap::new();
    for app in &estate.apps {
        let Some(script) = &app.script else { continue };
        let mut text = String::new();
        for file in &script.files {
            text.push_str(&super::fingerprint::collapse_whitespace(&file.text));
            text.push('\n');
        }
        if text.trim().is_empty() {
            continue;
        }
        groups.entry(text).or_default().push(app);
    }
    let mut duplicates = HashMap::new();
    for mut group in groups.into_values().filter(|group| group.len() > 1) {
        let sessions = |app: &App| app.usage.as_ref().map_or(0, |usage| usage.sessions);
        group.sort_by(|a, b| sessions(b).cmp(&sessions(a)).then_with(|| a.id.cmp(&b.id)));
        let kept_id = group[0].id.as_str();
        for app in &group[1..] {
            duplicates.insert(app.id.as_str(), kept_id);
        }
    }
    duplicates
}
