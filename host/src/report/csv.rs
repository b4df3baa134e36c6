//! CSV tables that load into Qlik as they are: UTF-8 with a byte-order mark, a header row,
//! comma-separated, fields quoted as RFC 4180 says when they need it, CRLF line ends.
//!
//! A text field that starts with `=`, `+`, `-`, `@`, tab or carriage return, and is not a number,
//! gets a leading `'`, so that a spreadsheet shows it as text instead of running it as a
//! formula: app names, paths and messages come from the estate's own files.
//!
//! One file per table. Ids join the tables: `app_id` in findings, data_sources, waves, routes
//! and phases is `app_id` in apps.

use csv::{Terminator, Writer, WriterBuilder};

use super::{ReportError, ReportFile};
use crate::assess::Assessment;

/// Names of the files, in the order [`render_csv`] returns them.
pub const FILE_NAMES: [&str; 6] = [
    "apps.csv",
    "findings.csv",
    "data_sources.csv",
    "waves.csv",
    "routes.csv",
    "phases.csv",
];

const BOM: &[u8] = "\u{feff}".as_bytes();

/// Renders the six tables.
pub fn render_csv(assessment: &Assessment) -> Result<Vec<ReportFile>, ReportError> {
    Ok(vec![
        table(FILE_NAMES[0], |w| write_apps(w, assessment))?,
        table(FILE_NAMES[1], |w| write_findings(w, assessment))?,
        table(FILE_NAMES[2], |w| write_data_sources(w, assessment))?,
        table(FILE_NAMES[3], |w| write_waves(w, assessment))?,
        table(FILE_NAMES[4], |w| write_routes(w, assessment))?,
        table(FILE_NAMES[5], |w| write_phases(w, assessment))?,
    ])
}

/// A CSV writer whose records have formula-like fields neutralized.
struct Table {
    writer: Writer<Vec<u8>>,
}

impl Table {
    fn write_record<I, T>(&mut self, record: I) -> csv::Result<()>
    where
        I: IntoIterator<Item = T>,
        T: AsRef<str>,
    {
        let fields: Vec<String> = record
            .into_iter()
            .map(|field| neutralize(field.as_ref()).into_owned())
            .collect();
        self.writer.write_record(&fields)
    }
}

/// Prefixes `'` to a field that a spreadsheet would read as a formula.
fn neutralize(field: &str) -> std::borrow::Cow<'_, str> {
    let formula_start = field.starts_with(['=', '+', '-', '@', '\t', '\r']);
    if formula_start && field.parse::<f64>().is_err() {
        format!("'{field}").into()
    } else {
        field.into()
    }
}

fn table(
    name: &'static str,
    fill: impl FnOnce(&mut Table) -> csv::Result<()>,
) -> Result<ReportFile, ReportError> {
    let error = |source| ReportError::Csv {
        table: name,
        source,
    };
    let mut table = Table {
        writer: WriterBuilder::new()
            .terminator(Terminator::CRLF)
            .from_writer(BOM.to_vec()),
    };
    fill(&mut table).map_err(error)?;
    let bytes = table
        .writer
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

/// Writes one row per app: its route, the deciding findings as `CODE xCOUNT`, and its needs
/// joined by ` | `.
fn write_routes(w: &mut Table, assessment: &Assessment) -> csv::Result<()> {
    w.write_record([
        "app_id",
        "name",
        "route",
        "phase",
        "reload_phase",
        "wave",
        "effort_minutes",
        "findings",
        "sources",
        "waits_for",
        "reason",
        "needs",
    ])?;
    for route in &assessment.routes.apps {
        let findings: Vec<String> = route
            .findings
            .iter()
            .map(|f| format!("{} x{}", f.rule, f.findings))
            .collect();
        let sources: Vec<&str> = route.sources.iter().map(|s| s.id.as_str()).collect();
        w.write_record([
            route.app_id.clone(),
            route.name.clone(),
            route.route.as_str().to_owned(),
            route.phase.to_string(),
            optional(route.reload_phase),
            optional(route.wave),
            route.effort_minutes.to_string(),
            findings.join(";"),
            sources.join(";"),
            route.waits_for.join(";"),
            route.reason.clone(),
            route.needs.join(" | "),
        ])?;
    }
    Ok(())
}

/// Writes one row per phase step, then one row per data source to set up, whose `action` is
/// `set-up`, whose `app_id` lists the apps that need it and whose `name` is the source's.
fn write_phases(w: &mut Table, assessment: &Assessment) -> csv::Result<()> {
    w.write_record([
        "phase",
        "phase_title",
        "action",
        "app_id",
        "name",
        "route",
        "cloud_path",
        "wave",
        "effort_minutes",
        "reason",
    ])?;
    let routes = &assessment.routes;
    for phase in &routes.phases {
        for step in routes
            .connections
            .iter()
            .filter(|c| c.phase == phase.number)
        {
            w.write_record([
                phase.number.to_string(),
                phase.title.clone(),
                "set-up".to_owned(),
                step.apps.join(";"),
                step.name.clone(),
                String::new(),
                step.cloud_path.clone(),
                String::new(),
                String::new(),
                step.action.clone(),
            ])?;
        }
        for step in &phase.steps {
            w.write_record([
                phase.number.to_string(),
                phase.title.clone(),
                step.action.as_str().to_owned(),
                step.app_id.clone(),
                step.name.clone(),
                step.route.as_str().to_owned(),
                String::new(),
                optional(step.wave),
                step.effort_minutes.to_string(),
                step.reason.clone(),
            ])?;
        }
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::neutralize;

    #[test]
    fn formula_fields_become_text() {
        assert_eq!(neutralize("=HYPERLINK(\"x\")"), "'=HYPERLINK(\"x\")");
        assert_eq!(neutralize("@SUM(A1)"), "'@SUM(A1)");
        assert_eq!(neutralize("+cmd"), "'+cmd");
        assert_eq!(neutralize("-x"), "'-x");
    }

    #[test]
    fn numbers_and_plain_text_are_kept() {
        assert_eq!(neutralize("-5"), "-5");
        assert_eq!(neutralize("42"), "42");
        assert_eq!(neutralize("Sales.qvs"), "Sales.qvs");
    }
}
