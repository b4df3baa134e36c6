//! The assessment pipeline: read the estate, run every pack over every app, collect the results,
//! and turn them into a migration plan: a status, score and effort per app, an estate overview
//! and migration waves.

mod apps;
mod fingerprint;
mod needs;
mod overview;
mod phases;
mod routes;
mod waves;

use std::collections::HashMap;
use std::path::PathBuf;

use schemars::JsonSchema;
use serde::Serialize;

use crate::config::RulesConfig;
use crate::finding::{EngineDiagnostic, Finding, Severity};
use crate::ingest::{IngestOptions, read_estate};
use crate::model::{Estate, InputProblem, Product};
use crate::report::baseline::BaselineSummary;
use crate::report::history::HistorySummary;
use crate::runtime::{EstateView, LoadedPack, PackKind, PackRequest, Runtime};

pub use apps::{
    AppSize, AppStatus, EffortItem, ReadinessScore, RetireReason, ScoreDeduction, UsageState,
    UsageSummary, extra_hit_points, first_hit_points,
};
pub use fingerprint::normalize_statement;
pub use overview::{
    EstateOverview, ExtensionInUse, ProductCount, RuleImpact, StatusCount, StreamCount,
    UsageOverview,
};
pub use phases::{ConnectionStep, Phase, PhaseAction, PhaseStep, RouteCount, RoutePlan};
pub use routes::{AppRoute, Route, RouteFinding, RouteSource, RoutesConfig};
pub use waves::{DependencyCycle, MigrationPlan, Wave, WaveApp};

/// Inputs and packs of one run.
#[derive(Debug)]
pub struct AssessOptions {
    pub inputs: Vec<PathBuf>,
    pub ingest: IngestOptions,
    pub packs: Vec<PackRequest>,
    pub rules: RulesConfig,
    pub routes: RoutesConfig,
}

/// Result of an assessment, in the order reports print it.
#[derive(Debug, Serialize, JsonSchema)]
pub struct Assessment {
    pub estate: EstateCounts,
    /// Apps by status, stream, product and usage, extensions, top blockers and total effort.
    pub overview: EstateOverview,
    pub apps: Vec<AppSummary>,
    /// Migration waves: QVD producers before their consumers, ready and used apps first.
    pub plan: MigrationPlan,
    /// Each app's route to Qlik Cloud and the phased plan built from the routes and waves.
    pub routes: RoutePlan,
    /// How each data source and data connection reaches Qlik Cloud, as connector plugins decide.
    pub data_sources: Vec<DataSourceAssessment>,
    /// Findings to show: every finding, or only those not in the baseline when one was given.
    pub findings: Vec<Finding>,
    /// Declarations of the rules of the packs that ran.
    pub rules: Vec<RuleSummary>,
    pub diagnostics: Vec<EngineDiagnostic>,
    pub problems: Vec<InputProblem>,
    pub packs: Vec<PackSummary>,
    /// Findings hidden by `--baseline`, when a baseline was given.
    pub baseline: Option<BaselineSummary>,
    /// Changes since the previous run recorded in `--history`, when a history was given.
    pub history: Option<HistorySummary>,
    /// Position of each app in `apps` by id. Routes and reports look up the apps that each app
    /// waits for or feeds, so [`Assessment::app`] must not scan every app.
    #[serde(skip)]
    #[schemars(skip)]
    app_index: HashMap<String, usize>,
}

impl Assessment {
    /// Returns the data sources that connector plugins classified for one app. It scans every
    /// source, so code that needs every app uses [`Assessment::data_sources_by_app`].
    pub fn data_sources_of<'a>(
        &'a self,
        app_id: &'a str,
    ) -> impl Iterator<Item = &'a DataSourceAssessment> + 'a {
        self.data_sources
            .iter()
            .filter(move |source| source.apps.iter().any(|id| id == app_id))
    }

    /// Returns the data sources of every app, by app id, in the order of `data_sources`.
    pub fn data_sources_by_app(&self) -> HashMap<&str, Vec<&DataSourceAssessment>> {
        let mut by_app: HashMap<&str, Vec<&DataSourceAssessment>> = HashMap::new();
        for source in &self.data_sources {
            for app_id in &source.apps {
                by_app.entry(app_id.as_str()).or_default().push(source);
            }
        }
        by_app
    }

    /// Returns the declaration of a rule by code.
    pub fn rule(&self, code: &str) -> Option<&RuleSummary> {
        self.rules.iter().find(|rule| rule.code == code)
    }

    /// Returns the app with the given id.
    pub fn app(&self, id: &str) -> Option<&AppSummary> {
        self.app_position(id).map(|i| &self.apps[i])
    }

    /// Returns the position in `apps` of the app with the given id. Lists built from `apps` in
    /// its order, such as the routes, share these positions.
    pub(crate) fn app_position(&self, id: &str) -> Option<usize> {
        // `apps` is public, so the index may be stale. When the position no longer has the id,
        // a scan finds the app.
        match self.app_index.get(id) {
            Some(&i) if self.apps.get(i).is_some_and(|app| app.id == id) => Some(i),
            _ => self.apps.iter().position(|app| app.id == id),
        }
    }
}

/// How much the estate holds, counted after sources were joined.
#[derive(Debug, Default, Serialize, JsonSchema)]
pub struct EstateCounts {
    pub apps: usize,
    pub qlikview_apps: usize,
    pub qlik_sense_apps: usize,
    pub data_connections: usize,
    pub data_sources: usize,
    pub streams: usize,
    pub reload_tasks: usize,
    pub extensions: usize,
    pub qvds: usize,
    pub lineage_links: usize,
    pub unreadable_files: usize,
}

impl EstateCounts {
    fn of(estate: &Estate) -> Self {
        let qlikview_apps = estate
            .apps
            .iter()
            .filter(|app| app.product == Product::QlikView)
            .count();
        EstateCounts {
            apps: estate.apps.len(),
            qlikview_apps,
            qlik_sense_apps: estate.apps.len() - qlikview_apps,
            data_connections: estate.connections.len(),
            data_sources: estate.data_sources.len(),
            streams: estate.streams.len(),
            reload_tasks: estate.reload_tasks.len(),
            extensions: estate.extensions.len(),
            qvds: estate.qvds.len(),
            lineage_links: estate.lineage.len(),
            unreadable_files: estate.problems.len(),
        }
    }
}

/// A connector plugin's decision for one data source or data connection.
#[derive(Debug, Clone, Serialize, JsonSchema)]
pub struct DataSourceAssessment {
    /// Id of the data source or data connection in the model.
    pub id: String,
    /// Display name: the connection name, or the path or table.
    pub name: String,
    /// Connection type as the repository writes it, or the form of the path (`unc`, `drive`...).
    pub kind: String,
    /// Ids of the apps that use it.
    pub apps: Vec<String>,
    /// `native-connector`, `direct-access-gateway`, `data-movement-gateway`,
    /// `data-files-upload`, `cloud-storage`, `none` or `unrecognised`.
    pub cloud_path: String,
    /// The Qlik Cloud connector to use, when there is one.
    pub connector: Option<String>,
    /// Reason for this path.
    pub reason: String,
    /// Id of the connector plugin that decided; empty when none recognised it.
    pub plugin: String,
}

/// One app with its readiness, effort, usage and size.
#[derive(Debug, Serialize, JsonSchema)]
pub struct AppSummary {
    pub id: String,
    pub name: String,
    pub product: Product,
    pub source: String,
    pub statements: usize,
    /// Findings of each severity, baseline or not.
    pub blockers: usize,
    pub warnings: usize,
    pub infos: usize,
    /// Pack failures while checking the app, so its findings may be incomplete.
    pub pack_failures: usize,
    pub status: AppStatus,
    /// Why the app is a retire candidate; set only for that status.
    pub retire_reason: Option<RetireReason>,
    pub score: ReadinessScore,
    /// Estimated minutes to fix the app: the sum of [`AppSummary::effort`].
    pub effort_minutes: u32,
    /// Effort per distinct rule that hit the app.
    pub effort: Vec<EffortItem>,
    pub usage_state: UsageState,
    /// Sessions and users in the usage window, when the usage logs name the app.
    pub usage: Option<UsageSummary>,
    pub size: AppSize,
    /// Name of the stream the app is published to.
    pub stream: Option<String>,
    /// Ids of the apps whose QVDs or files this app reads.
    pub reads_from: Vec<String>,
    /// Ids of the apps that read QVDs or files this app writes.
    pub feeds: Vec<String>,
    /// Number of the migration wave, or `None` for a retire candidate left out of the plan.
    pub wave: Option<u32>,
}

/// A pack that ran.
#[derive(Debug, Serialize, JsonSchema)]
pub struct PackSummary {
    pub id: String,
    pub version: String,
    pub source: String,
    pub rules: usize,
}

/// A rule's declaration, with the configured severity and effort.
#[derive(Debug, Clone, Serialize, JsonSchema)]
pub struct RuleSummary {
    pub code: String,
    pub name: String,
    /// One-line summary.
    pub title: String,
    /// Id of the pack that declares the rule.
    pub pack: String,
    /// Severity after the configuration's `[rules.severity]`.
    pub severity: Severity,
    pub category: String,
    /// Why it matters for Qlik Cloud, in Markdown.
    pub rationale: String,
    /// How to fix it, in Markdown.
    pub remediation: String,
    /// Estimated minutes to fix one app's hits, after the configuration's `[rules.effort]`.
    pub effort_minutes: u32,
    /// Source that documents the behaviour; may be empty.
    pub reference_url: String,
}

/// A step of a run, for progress display.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Progress {
    ReadingEstate,
    /// `done` of `total` apps checked.
    CheckingApps {
        done: usize,
        total: usize,
    },
    Summarizing,
}

/// Apps per call of [`Runtime::check_apps`], so that progress advances between calls. Each call
/// starts fresh pack instances on every worker thread, so a batch is not made smaller.
const CHECK_BATCH: usize = 64;

/// Runs the whole pipeline. A pack that fails to load becomes a diagnostic; the other packs
/// still run.
pub fn assess(runtime: &Runtime, options: &AssessOptions) -> Assessment {
    assess_with_progress(runtime, options, &mut |_| {})
}

/// Runs the whole pipeline like [`assess`], calling `progress` as each step starts and after
/// each batch of apps.
pub fn assess_with_progress(
    runtime: &Runtime,
    options: &AssessOptions,
    progress: &mut dyn FnMut(Progress),
) -> Assessment {
    progress(Progress::ReadingEstate);
    let estate = read_estate(&options.inputs, &options.ingest);
    let mut diagnostics = Vec::new();
    let packs = load_packs(runtime, options, &mut diagnostics);
    check_rule_codes(&options.rules, &packs, &mut diagnostics);

    let data_sources =
        crate::classify::classify_estate(runtime, &options.packs, &estate, &mut diagnostics);

    let total = estate.apps.len();
    progress(Progress::CheckingApps { done: 0, total });
    let mut findings = Vec::new();
    let view = EstateView::new(&estate);
    for (index, batch) in estate.apps.chunks(CHECK_BATCH).enumerate() {
        let (batch_findings, check_diagnostics) = runtime.check_apps_in(&packs, &view, batch);
        findings.extend(batch_findings);
        diagnostics.extend(check_diagnostics);
        let done = (index * CHECK_BATCH + batch.len()).min(total);
        progress(Progress::CheckingApps { done, total });
    }
    findings.sort_by(|a, b| {
        (&a.app_id, &a.location, &a.rule.code).cmp(&(&b.app_id, &b.location, &b.rule.code))
    });
    progress(Progress::Summarizing);
    let mut assessment = summarize(estate, packs, findings, diagnostics, &options.rules);
    assessment.data_sources = data_sources;
    // Routes read the data sources' cloud paths, so they come after classification.
    assessment.routes = phases::plan(&assessment, &options.routes);
    assessment
}

/// Loads every requested pack; one that fails becomes a diagnostic.
pub fn load_packs(
    runtime: &Runtime,
    options: &AssessOptions,
    diagnostics: &mut Vec<EngineDiagnostic>,
) -> Vec<LoadedPack> {
    let mut packs = Vec::with_capacity(options.packs.len());
    // Connector plugins load in `classify::classify_estate`.
    let rule_packs = options
        .packs
        .iter()
        .filter(|r| r.kind == PackKind::RulePack);
    for request in rule_packs {
        let name = request.source.display_name();
        match runtime.load_pack(request, &options.rules) {
            Ok(pack) => packs.push(pack),
            Err(error) => {
                tracing::warn!(pack = %name, %error, "pack not loaded");
                diagnostics.push(EngineDiagnostic::not_loaded(&name, error.to_string()));
            }
        }
    }
    packs
}

/// Reports severity overrides and options for rule codes that no loaded pack declares, since
/// they are most likely typos.
fn check_rule_codes(
    rules: &RulesConfig,
    packs: &[LoadedPack],
    diagnostics: &mut Vec<EngineDiagnostic>,
) {
    let declared = |code: &str| packs.iter().any(|pack| pack.rule(code).is_some());
    let configured = rules
        .severity
        .keys()
        .chain(rules.options.keys())
        .chain(rules.effort.keys());
    for code in configured {
        if !declared(code) {
            diagnostics.push(EngineDiagnostic::new(
                "config",
                None,
                format!("the configuration names rule '{code}', which no loaded pack declares"),
            ));
        }
    }
    let prefix_matches = |prefix: &str| {
        packs
            .iter()
            .flat_map(|pack| pack.info.rules.iter())
            .any(|rule| rule.code.starts_with(prefix))
    };
    let prefixes = rules
        .select
        .iter()
        .map(|p| ("select", p))
        .chain(rules.ignore.iter().map(|p| ("ignore", p)));
    for (list, prefix) in prefixes {
        if !prefix_matches(prefix) {
            diagnostics.push(EngineDiagnostic::new(
                "config",
                None,
                format!(
                    "[rules] {list} names the prefix '{prefix}', which matches no rule of the \
                     loaded packs"
                ),
            ));
        }
    }
}

/// Builds the assessment from the estate and the sorted findings: fills in each finding's
/// statement and fingerprint, then the per-app summaries, the overview and the waves.
fn summarize(
    estate: Estate,
    packs: Vec<LoadedPack>,
    mut findings: Vec<Finding>,
    diagnostics: Vec<EngineDiagnostic>,
    rules_config: &RulesConfig,
) -> Assessment {
    fingerprint::attach(&mut findings, &estate);
    let rules = rule_summaries(&packs, rules_config);
    let mut apps = apps::summarize_apps(&estate, &findings, &diagnostics, &rules);
    let plan = waves::plan(&estate, &mut apps);
    let overview = overview::overview(&estate, &apps, &findings, &rules);
    let packs = packs
        .iter()
        .map(|pack| PackSummary {
            id: pack.info.id.clone(),
            version: pack.info.version.clone(),
            source: pack.source.display_name(),
            rules: pack.info.rules.len(),
        })
        .collect();
    let mut app_index = HashMap::with_capacity(apps.len());
    for (i, app) in apps.iter().enumerate() {
        // Ids are unique. If they were not, the first app would win, as in a scan.
        app_index.entry(app.id.clone()).or_insert(i);
    }
    Assessment {
        estate: EstateCounts::of(&estate),
        overview,
        apps,
        plan,
        routes: RoutePlan::default(),
        data_sources: Vec::new(),
        findings,
        rules,
        diagnostics,
        problems: estate.problems,
        packs,
        baseline: None,
        history: None,
        app_index,
    }
}

/// Declarations of every rule of the loaded packs, with the configured severity and effort.
fn rule_summaries(packs: &[LoadedPack], config: &RulesConfig) -> Vec<RuleSummary> {
    let mut rules = Vec::new();
    for pack in packs {
        for rule in &pack.info.rules {
            let severity = config
                .severity
                .get(&rule.code)
                .copied()
                .unwrap_or_else(|| rule.default_severity.into());
            let effort_minutes = config
                .effort
                .get(&rule.code)
                .copied()
                .unwrap_or(rule.effort_minutes);
            rules.push(RuleSummary {
                code: rule.code.clone(),
                name: rule.name.clone(),
                title: rule.title.clone(),
                pack: pack.info.id.clone(),
                severity,
                category: rule.category.clone(),
                rationale: rule.rationale.clone(),
                remediation: rule.remediation.clone(),
                effort_minutes,
                reference_url: rule.reference_url.clone(),
            });
        }
    }
    rules
}
