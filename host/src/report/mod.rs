//! Renders an [`Assessment`] for people and for programs: text for the terminal, Markdown, JSON,
//! SARIF 2.1.0, CSV tables and a self-contained HTML page. Also keeps the finding baseline and
//! the assessment history that reports compare against.

pub mod baseline;
mod csv;
pub mod history;
mod html;
mod json;
mod markdown;
mod routes;
mod sarif;
mod text;
pub(crate) mod units;

use crate::assess::{Assessment, DataSourceAssessment};
use crate::finding::Severity;

pub use csv::render_csv;
pub use html::render_html;
pub use json::{JSON_SCHEMA_VERSION, json_schema, render_json};
pub use markdown::render_markdown;
pub use sarif::{SARIF_SCHEMA_URI, render_sarif};
pub use text::{render_text, render_text_styled};

/// A report format.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub enum ReportFormat {
    Text,
    Markdown,
    Json,
    Sarif,
    Csv,
    Html,
}

impl ReportFormat {
    /// Names of the files the format writes into an output folder.
    pub fn file_names(self) -> &'static [&'static str] {
        match self {
            ReportFormat::Text => &["report.txt"],
            ReportFormat::Markdown => &["report.md"],
            ReportFormat::Json => &["report.json"],
            ReportFormat::Sarif => &["report.sarif"],
            ReportFormat::Csv => &csv::FILE_NAMES,
            ReportFormat::Html => &["report.html"],
        }
    }
}

/// One rendered file: its fixed name and its bytes.
#[derive(Debug, Clone)]
pub struct ReportFile {
    pub name: &'static str,
    pub bytes: Vec<u8>,
}

/// Errors while rendering a report.
#[derive(Debug, thiserror::Error)]
pub enum ReportError {
    #[error("failed to write CSV table '{table}': {source}")]
    Csv {
        table: &'static str,
        source: ::csv::Error,
    },
}

/// Renders every file of a format. Text is plain; use [`render_text_styled`] for colour.
pub fn render_files(
    format: ReportFormat,
    assessment: &Assessment,
) -> Result<Vec<ReportFile>, ReportError> {
    let single = |bytes: String| {
        vec![ReportFile {
            name: format.file_names()[0],
            bytes: bytes.into_bytes(),
        }]
    };
    Ok(match format {
        ReportFormat::Text => single(render_text(assessment)),
        ReportFormat::Markdown => single(render_markdown(assessment)),
        ReportFormat::Json => single(render_json(assessment)),
        ReportFormat::Sarif => single(render_sarif(assessment)),
        ReportFormat::Html => single(render_html(assessment)),
        ReportFormat::Csv => render_csv(assessment)?,
    })
}

/// Checks whether any finding in the report is at or above `threshold`.
pub fn has_findings_at_or_above(assessment: &Assessment, threshold: Severity) -> bool {
    assessment
        .findings
        .iter()
        .any(|finding| finding.severity >= threshold)
}

/// One row of the data-source matrix: a Qlik Cloud path and how many sources of each kind take
/// it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) struct MatrixRow<'a> {
    pub cloud_path: &'a str,
    /// Source count per entry of [`matrix_kinds`], in the same order.
    pub counts: Vec<usize>,
    pub total: usize,
}

/// Returns the kinds of data source in the matrix's columns, sorted.
pub(crate) fn matrix_kinds(sources: &[DataSourceAssessment]) -> Vec<&str> {
    let mut kinds: Vec<&str> = sources.iter().map(|s| s.kind.as_str()).collect();
    kinds.sort_unstable();
    kinds.dedup();
    kinds
}

/// Builds the data-source matrix: one row per cloud path, the paths with most sources first.
pub(crate) fn matrix_rows<'a>(sources: &'a [DataSourceAssessment]) -> Vec<MatrixRow<'a>> {
    let kinds = matrix_kinds(sources);
    let mut paths: Vec<&str> = sources.iter().map(|s| s.cloud_path.as_str()).collect();
    paths.sort_unstable();
    paths.dedup();
    let mut rows: Vec<MatrixRow> = paths
        .into_iter()
        .map(|path| {
            let counts: Vec<usize> = kinds
                .iter()
                .map(|kind| {
                    sources
                        .iter()
                        .filter(|s| s.cloud_path == path && s.kind == *kind)
                        .count()
                })
                .collect();
            MatrixRow {
                cloud_path: path,
                total: counts.iter().sum(),
                counts,
            }
        })
        .collect();
    rows.sort_by(|a, b| {
        b.total
            .cmp(&a.total)
            .then_with(|| a.cloud_path.cmp(b.cloud_path))
    });
    rows
}

/// Name of the app with `id`, or the id itself when the report has no such app.
pub(crate) fn app_name<'a>(assessment: &'a Assessment, id: &'a str) -> &'a str {
    assessment.app(id).map_or(id, |app| app.name.as_str())
}
