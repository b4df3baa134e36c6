//! The JSON report, and its JSON Schema generated from the same types.
//!
//! `docs/report-schema.json` contains the schema, and a test fails when it differs from the
//! types.

use schemars::JsonSchema;
use serde::Serialize;

use crate::assess::Assessment;

/// Version of the JSON report's shape. It changes when a field is renamed or removed, or changes
/// meaning, and not when a field is added.
pub const JSON_SCHEMA_VERSION: u32 = 1;

/// The JSON report.
#[derive(Serialize, JsonSchema)]
#[schemars(
    title = "qready assessment report",
    description = "Output of `qready assess --format json`, schema_version 1."
)]
struct JsonReport<'a> {
    /// Version of this shape; see `JSON_SCHEMA_VERSION`.
    schema_version: u32,
    tool: Tool,
    summary: Summary,
    #[serde(flatten)]
    assessment: &'a Assessment,
}

/// The program that wrote the report.
#[derive(Serialize, JsonSchema)]
struct Tool {
    name: &'static str,
    version: &'static str,
}

/// Totals over every app; `findings` counts the findings listed, after any baseline.
#[derive(Serialize, JsonSchema)]
struct Summary {
    apps: usize,
    findings: usize,
    blockers: usize,
    warnings: usize,
    infos: usize,
    problems: usize,
    diagnostics: usize,
    /// Estimated minutes to fix every app that is not a retire candidate.
    effort_minutes: u32,
}

/// Renders the assessment as pretty-printed JSON.
pub fn render_json(assessment: &Assessment) -> String {
    let report = JsonReport {
        schema_version: JSON_SCHEMA_VERSION,
        tool: Tool {
            name: "qready",
            version: env!("CARGO_PKG_VERSION"),
        },
        summary: Summary {
            apps: assessment.apps.len(),
            findings: assessment.findings.len(),
            blockers: assessment.apps.iter().map(|a| a.blockers).sum(),
            warnings: assessment.apps.iter().map(|a| a.warnings).sum(),
            infos: assessment.apps.iter().map(|a| a.infos).sum(),
            problems: assessment.problems.len(),
            diagnostics: assessment.diagnostics.len(),
            effort_minutes: assessment.overview.effort_minutes,
        },
        assessment,
    };
    let mut out = serde_json::to_string_pretty(&report).expect("the report serializes to JSON");
    out.push('\n');
    out
}

/// Returns the JSON Schema of the JSON report.
pub fn json_schema() -> schemars::Schema {
    schemars::schema_for!(JsonReport<'static>)
}
