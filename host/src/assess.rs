//! The assessment pipeline: read the estate, run every pack over every app, collect the results.

use std::path::PathBuf;

use serde::Serialize;

use crate::config::RulesConfig;
use crate::finding::{EngineDiagnostic, Finding};
use crate::ingest::{IngestOptions, read_estate};
use crate::model::{Estate, InputProblem, Product};
use crate::runtime::{LoadedPack, PackRequest, Runtime};

/// What one run assesses and with which packs.
#[derive(Debug)]
pub struct AssessOptions {
    pub inputs: Vec<PathBuf>,
    pub ingest: IngestOptions,
    pub packs: Vec<PackRequest>,
    pub rules: RulesConfig,
}

/// Result of an assessment, in the order reports print it.
#[derive(Debug, Serialize)]
pub struct Assessment {
    pub estate: EstateCounts,
    pub apps: Vec<AppSummary>,
    /// How each data source and data connection reaches Qlik Cloud, as connector plugins decide.
    pub data_sources: Vec<DataSourceAssessment>,
    pub findings: Vec<Finding>,
    pub diagnostics: Vec<EngineDiagnostic>,
    pub problems: Vec<InputProblem>,
    pub packs: Vec<PackSummary>,
}

/// How much the estate holds, counted after sources were joined.
#[derive(Debug, Default, Serialize)]
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
#[derive(Debug, Clone, Serialize)]
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
    /// Why this path.
    pub reason: String,
    /// Id of the connector plugin that decided; empty when none recognised it.
    pub plugin: String,
}

/// One app with the counts reports show.
#[derive(Debug, Serialize)]
pub struct AppSummary {
    pub id: String,
    pub name: String,
    pub product: Product,
    pub source: String,
    pub statements: usize,
    pub blockers: usize,
    pub warnings: usize,
    pub infos: usize,
}

/// A pack that ran.
#[derive(Debug, Serialize)]
pub struct PackSummary {
    pub id: String,
    pub version: String,
    pub source: String,
    pub rules: usize,
}

/// Runs the whole pipeline. A pack that fails to load becomes a diagnostic; the other packs
/// still run.
pub fn assess(runtime: &Runtime, options: &AssessOptions) -> Assessment {
    let estate = read_estate(&options.inputs, &options.ingest);
    let mut diagnostics = Vec::new();
    let packs = load_packs(runtime, options, &mut diagnostics);
    check_rule_codes(&options.rules, &packs, &mut diagnostics);

    let (mut findings, check_diagnostics) = runtime.check_apps(&packs, &estate.apps);
    diagnostics.extend(check_diagnostics);
    findings.sort_by(|a, b| {
        (&a.app_id, &a.location, &a.rule.code).cmp(&(&b.app_id, &b.location, &b.rule.code))
    });
    summarize(estate, packs, findings, diagnostics)
}

/// Loads every requested pack; one that fails becomes a diagnostic.
pub fn load_packs(
    runtime: &Runtime,
    options: &AssessOptions,
    diagnostics: &mut Vec<EngineDiagnostic>,
) -> Vec<LoadedPack> {
    let mut packs = Vec::with_capacity(options.packs.len());
    for request in &options.packs {
        let name = request.source.display_name();
        match runtime.load_pack(request, &options.rules) {
            Ok(pack) => packs.push(pack),
            Err(error) => {
                tracing::warn!(pack = %name, %error, "pack not loaded");
                diagnostics.push(EngineDiagnostic::new(&name, None, error.to_string()));
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
    let configured = rules.severity.keys().chain(rules.options.keys());
    for code in configured {
        if !declared(code) {
            diagnostics.push(EngineDiagnostic::new(
                "config",
                None,
                format!("the configuration names rule '{code}', which no loaded pack declares"),
            ));
        }
    }
}

fn summarize(
    estate: Estate,
    packs: Vec<LoadedPack>,
    findings: Vec<Finding>,
    diagnostics: Vec<EngineDiagnostic>,
) -> Assessment {
    let mut counts: std::collections::HashMap<&str, [usize; 3]> = std::collections::HashMap::new();
    for finding in &findings {
        counts.entry(finding.app_id.as_str()).or_default()[finding.severity as usize] += 1;
    }
    let apps = estate
        .apps
        .iter()
        .map(|app| {
            let [infos, warnings, blockers] = counts.get(app.id.as_str()).copied().unwrap_or_default();
            AppSummary {
                id: app.id.clone(),
                name: app.name.clone(),
                product: app.product,
                source: app.source.display().to_string(),
                statements: app.script.as_ref().map_or(0, |s| s.statements.len()),
                blockers,
                warnings,
                infos,
            }
        })
        .collect();
    let packs = packs
        .iter()
        .map(|pack| PackSummary {
            id: pack.info.id.clone(),
            version: pack.info.version.clone(),
            source: pack.source.display_name(),
            rules: pack.info.rules.len(),
        })
        .collect();
    Assessment {
        estate: EstateCounts::of(&estate),
        apps,
        data_sources: Vec::new(),
        findings,
        diagnostics,
        problems: estate.problems,
        packs,
    }
}
