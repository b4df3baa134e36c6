//! CSV tables that load into Qlik as they are: UTF-8 with a byte-order mark, a header row,
//! comma-separated, fields quoted as RFC 4180 says when they need it, CRLF line ends.
//!
//! One file per table. Ids join the tables: `app_id` in findings, data_sources and waves is
//! `id` in apps.

use csv::{Terminator, Writer, WriterBuilder};

use super::{ReportError, ReportFile};
use crate::assess::Assessment;

/// Names of the files, in the order [`render_csv`] returns them.
pub const FILE_NAMES: [&str; 4] = ["apps.csv", "findings.csv", "data_sources.csv", "waves.csv"];

const BOM: &[u8] = "\u{feff}".as_bytes();

/// Renders the four tables.
pub fn render_csv(assessment: &Assessment) -> Result<Vec<ReportFile>, ReportError> {
    Ok(vec![
        table(FILE_NAMES[0], |w| write_apps(w, assessment))?,
        table(FILE_NAMES[1], |w| write_findings(w, assessment))?,
        table(FILE_NAMES[2], |w| write_data_sources(w, assessment))?,
        table(FILE_NAMES[3], |w| write_waves(w, assessment))?,
    ])
}

type Table = Writer<Vec<u8>>;

fn table(
    name: &'static str,
    fill: impl FnOnce(&mut Table) -> csv::Result<()>,
) -> Result<ReportFile, ReportError> {
    let error = |source| ReportError::Csv {
        table: name,
        source,
    };
    let mut writer = WriterBuilder::new()
        .terminator(Terminator::CRLF)
        .from_writer(BOM.to_vec());
    fill(&mut writer).map_err(error)?;
    let bytes = writer
        .into_inner()
        .map_err(|e| error(csv::Error::from(e.into_error())))?;
    Ok(ReportFile { name, bytes })
}

fn optional<T: ToString>(value: Option<T>) -> String {
    value.map_or_else(String::new, |v| v.to_string())
}

fn write_apps(w: &mut Table, assessment: &Assessment) -> csv::Result<()> {
    w.write_record([
        "app_id",
        "name",
        "product",
        "stream",
        "source",
        "status",
        "retire_reason",
        "score",
        "score_explained",
        "effort_minutes",
        "blockers",
        "warnings",
        "infos",
        "pack_failures",
        "statements",
        "usage_state",
        "sessions",
        "distinct_users",
        "last_session",
        "file_bytes",
        "data_model_bytes",
        "peak_reload_memory_bytes",
        "wave",
        "reads_from",
        "feeds",
    ])?;
    for app in &assessment.apps {
        let usage = app.usage.as_ref();
        w.write_record([
            app.id.clone(),
            app.name.clone(),
            app.product.label().to_owned(),
            optional(app.stream.as_ref()),
            app.source.clone(),
            app.status.label().to_owned(),
            optional(
                app.retire_reason
                    .as_ref()
                    .map(|reason| reason.describe(|id| super::app_name(assessment, id).to_owned())),
            ),
            app.score.value.to_string(),
            app.score.explain(),
            app.effort_minutes.to_string(),
            app.blockers.to_string(),
            app.warnings.to_string(),
            app.infos.to_string(),
            app.pack_failures.to_string(),
            app.statements.to_string(),
            app.usage_state.as_str().to_owned(),
            optional(usage.map(|u| u.sessions)),
            optional(usage.map(|u| u.distinct_users)),
            optional(usage.and_then(|u| u.last_session.as_ref())),
            optional(app.size.file_bytes),
            optional(app.size.data_model_bytes),
            optional(app.size.peak_reload_memory_bytes),
            optional(app.wave),
            app.reads_from.join(";"),
            app.feeds.join(";"),
        ])?;
    }
    Ok(())
}

fn write_findings(w: &mut Table, assessment: &Assessment) -> csv::Result<()> {
    w.write_record([
        "fingerprint",
        "app_id",
        "app_name",
        "rule",
        "rule_name",
        "severity",
        "message",
        "file",
        "line",
        "column",
        "statement",
        "remediation",
        "pack",
    ])?;
    for finding in &assessment.findings {
        let location = finding.location.as_ref();
        w.write_record([
            finding.fingerprint.clone(),
            finding.app_id.clone(),
            super::app_name(assessment, &finding.app_id).to_owned(),
            finding.rule.code.clone(),
            finding.rule.name.clone(),
            finding.severity.as_str().to_owned(),
            finding.message.clone(),
            optional(location.map(|l| &l.file)),
            optional(location.map(|l| l.line)),
            optional(location.map(|l| l.column)),
            optional(finding.statement.as_ref()),
            optional(finding.remediation.as_ref()),
            finding.pack.clone(),
        ])?;
    }
    Ok(())
}

/// Writes one row per data source and app that uses it, so the table joins to apps directly.
fn write_data_sources(w: &mut Table, assessment: &Assessment) -> csv::Result<()> {
    w.write_record([
        "data_source_id",
        "name",
        "kind",
        "cloud_path",
        "connector",
        "reason",
        "plugin",
        "app_id",
    ])?;
    for source in &assessment.data_sources {
        let apps: Vec<&str> = if source.apps.is_empty() {
            vec![""]
        } else {
            source.apps.iter().map(String::as_str).collect()
        };
        for app_id in apps {
            w.write_record([
                source.id.as_str(),
                source.name.as_str(),
                source.kind.as_str(),
                source.cloud_path.as_str(),
                source.connector.as_deref().unwrap_or(""),
                source.reason.as_str(),
                source.plugin.as_str(),
                app_id,
            ])?;
        }
    }
    Ok(())
}

fn write_waves(w: &mut Table, assessment: &Assessment) -> csv::Result<()> {
    w.write_record([
        "wave",
        "order",
        "app_id",
        "name",
        "status",
        "sessions",
        "effort_minutes",
        "waits_for",
        "cycle",
        "reason",
    ])?;
    for wave in &assessment.plan.waves {
        for app in &wave.apps {
            w.write_record([
                wave.number.to_string(),
                app.order.to_string(),
                app.app_id.clone(),
                app.name.clone(),
                app.status.label().to_owned(),
                optional(app.sessions),
                app.effort_minutes.to_string(),
                app.waits_for.join(";"),
                optional(app.cycle.map(|index| index + 1)),
                app.reason.clone(),
            ])?;
        }
    }
    Ok(())
}
