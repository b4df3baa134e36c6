use serde::Serialize;

use crate::assess::Assessment;

/// Version of the JSON report's shape; it changes when a field is renamed or removed.
pub const JSON_SCHEMA_VERSION: u32 = 1;

#[derive(Serialize)]
struct JsonReport<'a> {
    schema_version: u32,
    tool: Tool,
    summary: Summary,
    #[serde(flatten)]
    assessment: &'a Assessment,
}

#[derive(Serialize)]
struct Tool {
    name: &'static str,
    version: &'static str,
}

#[derive(Serialize)]
struct Summary {
    apps: usize,
    findings: usize,
    blockers: usize,
    warnings: usize,
    infos: usize,
    problems: usize,
    diagnostics: usize,
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
        },
        assessment,
    };
    let mut out = serde_json::to_string_pretty(&report).expect("the report serializes to JSON");
    out.push('\n');
    out
}
