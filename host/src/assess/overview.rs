//! The estate on one page: apps by status, stream and product, usage, extensions, top blockers
//! and total effort.

use std::collections::{BTreeMap, BTreeSet};

use schemars::JsonSchema;
use serde::Serialize;

use super::{AppStatus, AppSummary, RuleSummary, UsageState};
use crate::finding::{Finding, Severity};
use crate::model::{Estate, Product};

/// Counts of the whole estate.
#[derive(Debug, Clone, Serialize, JsonSchema)]
pub struct EstateOverview {
    pub apps: usize,
    /// One entry per status, every status listed.
    pub by_status: Vec<StatusCount>,
    /// Apps per stream, the most populated first; apps in no stream count under `None`.
    pub by_stream: Vec<StreamCount>,
    pub by_product: Vec<ProductCount>,
    pub usage: UsageOverview,
    /// Extensions that at least one object uses, the most used first.
    pub extensions: Vec<ExtensionInUse>,
    /// Extensions the repository lists that no object uses.
    pub unused_extensions: usize,
    /// Rules with blocker findings, by the number of apps they hit, most first.
    pub top_blockers: Vec<RuleImpact>,
    /// Estimated minutes to fix every app that is not a retire candidate.
    pub effort_minutes: u32,
    /// Estimated minutes that retiring the retire candidates saves.
    pub retire_effort_minutes: u32,
}

/// Apps of one status.
#[derive(Debug, Clone, Serialize, JsonSchema)]
pub struct StatusCount {
    pub status: AppStatus,
    pub apps: usize,
    pub effort_minutes: u32,
}

/// Apps of one stream.
#[derive(Debug, Clone, Serialize, JsonSchema)]
pub struct StreamCount {
    /// Stream name; `None` for apps that are not published to a stream.
    pub stream: Option<String>,
    pub apps: usize,
}

/// Apps of one product.
#[derive(Debug, Clone, Serialize, JsonSchema)]
pub struct ProductCount {
    pub product: Product,
    pub apps: usize,
}

/// How many apps are used.
#[derive(Debug, Clone, Serialize, JsonSchema)]
pub struct UsageOverview {
    pub active: usize,
    pub unused: usize,
    /// Apps of a product whose usage logs were not read.
    pub unknown: usize,
    /// Sessions of every app in the window.
    pub sessions: u64,
    /// Length of the usage window in days, when any app has usage.
    pub window_days: Option<u32>,
}

/// An extension that objects use.
#[derive(Debug, Clone, Serialize, JsonSchema)]
pub struct ExtensionInUse {
    pub id: String,
    pub name: String,
    /// Whether the repository lists it; false for one seen only in app objects.
    pub installed: bool,
    /// Ids of the apps with objects that use it.
    pub apps: Vec<String>,
    pub objects: usize,
}

/// A rule and how widely it hits.
#[derive(Debug, Clone, Serialize, JsonSchema)]
pub struct RuleImpact {
    pub rule: String,
    pub name: String,
    pub title: String,
    /// Apps with at least one finding of the rule at this severity.
    pub apps: usize,
    pub findings: usize,
}

pub(super) fn overview(
    estate: &Estate,
    apps: &[AppSummary],
    findings: &[Finding],
    rules: &[RuleSummary],
) -> EstateOverview {
    let by_status = AppStatus::ALL
        .iter()
        .map(|&status| {
            let members = apps.iter().filter(|app| app.status == status);
            StatusCount {
                status,
                apps: members.clone().count(),
                effort_minutes: members.map(|app| app.effort_minutes).sum(),
            }
        })
        .collect();

    let mut streams: BTreeMap<Option<String>, usize> = BTreeMap::new();
    for app in apps {
        *streams.entry(app.stream.clone()).or_default() += 1;
    }
    let mut by_stream: Vec<StreamCount> = streams
        .into_iter()
        .map(|(stream, apps)| StreamCount { stream, apps })
        .collect();
    by_stream.sort_by(|a, b| b.apps.cmp(&a.apps).then_with(|| a.stream.cmp(&b.stream)));

    let by_product = [Product::QlikView, Product::QlikSense]
        .into_iter()
        .map(|product| ProductCount {
            product,
            apps: apps.iter().filter(|app| app.product == product).count(),
        })
        .collect();

    let usage_count = |state| apps.iter().filter(|app| app.usage_state == state).count();
    let usage = UsageOverview {
        active: usage_count(UsageState::Active),
        unused: usage_count(UsageState::Unused),
        unknown: usage_count(UsageState::Unknown),
        sessions: apps
            .iter()
            .filter_map(|app| app.usage.as_ref())
            .map(|usage| usage.sessions)
            .sum(),
        window_days: apps
            .iter()
            .find_map(|app| app.usage.as_ref())
            .map(|usage| usage.window_days),
    };

    let mut extensions: Vec<ExtensionInUse> = estate
        .extensions
        .iter()
        .filter(|extension| !extension.used_by.is_empty())
        .map(|extension| ExtensionInUse {
            id: extension.id.clone(),
            name: extension.name.clone(),
            installed: extension.installed,
            apps: extension
                .used_by
                .iter()
                .map(|used| used.app_id.clone())
                .collect::<BTreeSet<_>>()
                .into_iter()
                .collect(),
            objects: extension.used_by.len(),
        })
        .collect();
    extensions.sort_by(|a, b| {
        b.apps
            .len()
            .cmp(&a.apps.len())
            .then_with(|| a.name.cmp(&b.name))
    });
    let unused_extensions = estate
        .extensions
        .iter()
        .filter(|extension| extension.installed && extension.used_by.is_empty())
        .count();

    let retiring = |app: &&AppSummary| app.status == AppStatus::RetireCandidate;
    EstateOverview {
        apps: apps.len(),
        by_status,
        by_stream,
        by_product,
        usage,
        extensions,
        unused_extensions,
        top_blockers: rule_impacts(findings, rules, Severity::Blocker),
        effort_minutes: apps
            .iter()
            .filter(|app| !retiring(app))
            .map(|app| app.effort_minutes)
            .sum(),
        retire_effort_minutes: apps
            .iter()
            .filter(retiring)
            .map(|app| app.effort_minutes)
            .sum(),
    }
}

/// Rules with findings of `severity`, by the number of apps they hit.
fn rule_impacts(
    findings: &[Finding],
    rules: &[RuleSummary],
    severity: Severity,
) -> Vec<RuleImpact> {
    let mut per_rule: BTreeMap<&str, (BTreeSet<&str>, usize, &str)> = BTreeMap::new();
    for finding in findings.iter().filter(|f| f.severity == severity) {
        let entry = per_rule
            .entry(finding.rule.code.as_str())
            .or_insert_with(|| (BTreeSet::new(), 0, finding.rule.name.as_str()));
        entry.0.insert(finding.app_id.as_str());
        entry.1 += 1;
    }
    let mut impacts: Vec<RuleImpact> = per_rule
        .into_iter()
        .map(|(code, (apps, findings, name))| RuleImpact {
            rule: code.to_owned(),
            name: name.to_owned(),
            title: rules
                .iter()
                .find(|rule| rule.code == code)
                .map_or_else(String::new, |rule| rule.title.clone()),
            apps: apps.len(),
            findings,
        })
        .collect();
    impacts.sort_by(|a, b| {
        b.apps
            .cmp(&a.apps)
            .then_with(|| b.findings.cmp(&a.findings))
            .then_with(|| a.rule.cmp(&b.rule))
    });
    impacts
}
