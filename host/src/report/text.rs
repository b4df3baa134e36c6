//! The terminal report: the estate overview, a table of apps, waves, then each finding as
//! `file:line:column`, input problems and pack diagnostics. Colour is optional; the caller
//! decides from the terminal and `NO_COLOR`.

use std::fmt::Write as _;

use anstyle::{AnsiColor, Style};

use super::{app_name, matrix_kinds, matrix_rows, units};
use crate::assess::{AppStatus, Assessment};
use crate::finding::Severity;

/// Maximum number of rules listed under the top blockers.
const TOP_BLOCKERS: usize = 10;

/// Renders the assessment as plain text.
pub fn render_text(assessment: &Assessment) -> String {
    render_text_styled(assessment, false)
}

/// Renders the assessment as text, with ANSI colours when `color` is true.
pub fn render_text_styled(assessment: &Assessment, color: bool) -> String {
    let paint = Paint { color };
    let mut out = String::new();
    write_header(&mut out, assessment);
    write_overview(&mut out, assessment, paint);
    write_apps(&mut out, assessment, paint);
    write_top_blockers(&mut out, assessment, paint);
    write_waves(&mut out, assessment, paint);
    super::routes::write_text(&mut out, assessment, &|title: &str| paint.heading(title));
    write_data_sources(&mut out, assessment, paint);
    write_extensions(&mut out, assessment, paint);
    write_progress(&mut out, assessment, paint);
    write_findings(&mut out, assessment, paint);
    write_problems(&mut out, assessment, paint);
    write_summary(&mut out, assessment);
    out
}

#[derive(Clone, Copy)]
struct Paint {
    color: bool,
}

impl Paint {
    fn apply(self, style: Style, text: &str) -> String {
        if self.color {
            format!("{style}{text}{style:#}")
        } else {
            text.to_owned()
        }
    }

    fn heading(self, text: &str) -> String {
        self.apply(Style::new().bold().underline(), text)
    }

    fn severity(self, severity: Severity) -> String {
        let color = match severity {
            Severity::Blocker => AnsiColor::Red,
            Severity::Warning => AnsiColor::Yellow,
            Severity::Info => AnsiColor::Blue,
        };
        self.apply(
            Style::new().fg_color(Some(color.into())).bold(),
            severity.as_str(),
        )
    }

    /// Pads the status label to `width` before colouring, so columns stay aligned.
    fn status(self, status: AppStatus, width: usize) -> String {
        let color = match status {
            AppStatus::Ready => AnsiColor::Green,
            AppStatus::NeedsRemediation => AnsiColor::Yellow,
            AppStatus::Blocked => AnsiColor::Red,
            AppStatus::RetireCandidate => AnsiColor::BrightBlack,
        };
        let text = format!("{:<width$}", status.label());
        self.apply(Style::new().fg_color(Some(color.into())), &text)
    }

    fn good(self, text: &str) -> String {
        self.apply(
            Style::new().fg_color(Some(AnsiColor::Green.into())).bold(),
            text,
        )
    }
}

fn write_header(out: &mut String, assessment: &Assessment) {
    let packs: Vec<String> = assessment
        .packs
        .iter()
        .map(|p| format!("{} {}", p.id, p.version))
        .collect();
    let _ = writeln!(
        out,
        "qready {}: {} apps assessed with {}",
        env!("CARGO_PKG_VERSION"),
        assessment.apps.len(),
        if packs.is_empty() {
            "no packs".to_owned()
        } else {
            packs.join(", ")
        }
    );
    let counts = &assessment.estate;
    let _ = writeln!(
        out,
        "estate: {} QlikView and {} Qlik Sense apps, {} data connections, {} data sources, {} QVDs, \
         {} reload tasks, {} streams\n",
        counts.qlikview_apps,
        counts.qlik_sense_apps,
        counts.data_connections,
        counts.data_sources,
        counts.qvds,
        counts.reload_tasks,
        counts.streams
    );
}

fn write_overview(out: &mut String, assessment: &Assessment, paint: Paint) {
    let overview = &assessment.overview;
    let _ = writeln!(out, "{}", paint.heading("Readiness"));
    let statuses: Vec<String> = overview
        .by_status
        .iter()
        .map(|count| format!("{} {}", count.apps, count.status.label().to_lowercase()))
        .collect();
    let _ = writeln!(out, "  apps:    {}", statuses.join(", "));
    let streams: Vec<String> = overview
        .by_stream
        .iter()
        .map(|count| {
            let name = count.stream.as_deref().unwrap_or("no stream");
            format!("{name} {}", count.apps)
        })
        .collect();
    let _ = writeln!(out, "  streams: {}", streams.join(", "));
    let usage = &overview.usage;
    let window = usage
        .window_days
        .map_or_else(String::new, |days| format!(" in the last {days} days"));
    let _ = writeln!(
        out,
        "  usage:   {} active, {} unused, {} without usage logs; {} sessions{window}",
        usage.active, usage.unused, usage.unknown, usage.sessions
    );
    let _ = writeln!(
        out,
        "  effort:  {} to fix the apps to move; retiring the retire candidates saves {}\n",
        units::minutes(overview.effort_minutes),
        units::minutes(overview.retire_effort_minutes)
    );
}

fn write_apps(out: &mut String, assessment: &Assessment, paint: Paint) {
    if assessment.apps.is_empty() {
        let _ = writeln!(out, "No apps found.\n");
        return;
    }
    let name_width = column_width(assessment.apps.iter().map(|a| a.name.as_str()), "APP");
    let status_width = column_width(assessment.apps.iter().map(|a| a.status.label()), "STATUS");
    let _ = writeln!(
        out,
        "{:<name_width$}  {:<status_width$}  {:>5}  {:>10}  {:>8}  {:>4}  {:<10}  {:>8}  {:>8}  {:>4}",
        "APP",
        "STATUS",
        "SCORE",
        "EFFORT",
        "SESSIONS",
        "WAVE",
        "PRODUCT",
        "BLOCKERS",
        "WARNINGS",
        "INFO"
    );
    for app in &assessment.apps {
        let sessions = app
            .usage
            .as_ref()
            .map_or_else(|| "-".to_owned(), |usage| usage.sessions.to_string());
        let wave = app
            .wave
            .map_or_else(|| "-".to_owned(), |wave| wave.to_string());
        let _ = writeln!(
            out,
            "{:<name_width$}  {}  {:>5}  {:>10}  {:>8}  {:>4}  {:<10}  {:>8}  {:>8}  {:>4}",
            app.name,
            paint.status(app.status, status_width),
            app.score.value,
            units::minutes(app.effort_minutes),
            sessions,
            wave,
            app.product.label(),
            app.blockers,
            app.warnings,
            app.infos
        );
    }
    out.push('\n');
    let _ = writeln!(out, "{}", paint.heading("Scores and effort"));
    let sources_by_app = assessment.data_sources_by_app();
    for app in &assessment.apps {
        let _ = writeln!(out, "  {} ({})", app.name, app.id);
        let _ = writeln!(out, "    score:  {}", app.score.explain());
        if !app.effort.is_empty() {
            let items: Vec<String> = app
                .effort
                .iter()
                .map(|item| format!("{} {}", item.rule, units::minutes(item.minutes)))
                .collect();
            let _ = writeln!(
                out,
                "    effort: {} = {}",
                items.join(" + "),
                units::minutes(app.effort_minutes)
            );
        }
        if app.pack_failures > 0 {
            let _ = writeln!(
                out,
                "    incomplete: {} pack failures on this app; see Pack failures",
                app.pack_failures
            );
        }
        if let Some(reason) = &app.retire_reason {
            let _ = writeln!(
                out,
                "    retire: {}",
                reason.describe(|id| app_name(assessment, id).to_owned())
            );
        }
        let size = &app.size;
        if size.file_bytes.is_some() || size.data_model_bytes.is_some() {
            let _ = writeln!(
                out,
                "    size:   file {}, data model {}",
                units::optional_bytes(size.file_bytes),
                units::optional_bytes(size.data_model_bytes)
            );
        }
        let sources: Vec<String> = sources_by_app
            .get(app.id.as_str())
            .into_iter()
            .flatten()
            .map(|source| format!("{} -> {}", source.name, source.cloud_path))
            .collect();
        if !sources.is_empty() {
            let _ = writeln!(out, "    data:   {}", sources.join(", "));
        }
    }
    out.push('\n');
}

fn column_width<'a>(values: impl Iterator<Item = &'a str>, header: &str) -> usize {
    values
        .map(|value| value.chars().count())
        .max()
        .unwrap_or(0)
        .max(header.len())
}

fn write_top_blockers(out: &mut String, assessment: &Assessment, paint: Paint) {
    let blockers = &assessment.overview.top_blockers;
    if blockers.is_empty() {
        return;
    }
    let _ = writeln!(out, "{}", paint.heading("Top blockers"));
    for impact in blockers.iter().take(TOP_BLOCKERS) {
        let _ = writeln!(
            out,
            "  {} {}: {}, {}. {}",
            impact.rule,
            impact.name,
            units::count(impact.apps, "app", "apps"),
            units::count(impact.findings, "finding", "findings"),
            impact.title
        );
    }
    out.push('\n');
}

fn write_waves(out: &mut String, assessment: &Assessment, paint: Paint) {
    let plan = &assessment.plan;
    if plan.waves.is_empty() && plan.left_out.is_empty() {
        return;
    }
    let _ = writeln!(out, "{}", paint.heading("Migration waves"));
    for wave in &plan.waves {
        let _ = writeln!(
            out,
            "  Wave {}: {}, {}",
            wave.number,
            units::count(wave.apps.len(), "app", "apps"),
            units::minutes(wave.effort_minutes)
        );
        for app in &wave.apps {
            let _ = writeln!(out, "    {:>3}. {}: {}", app.order, app.name, app.reason);
        }
    }
    for (index, cycle) in plan.cycles.iter().enumerate() {
        let names: Vec<&str> = cycle
            .apps
            .iter()
            .map(|id| app_name(assessment, id))
            .collect();
        let _ = writeln!(
            out,
            "  Cycle {}: {} read each other's data, so they move together in wave {}",
            index + 1,
            names.join(", "),
            cycle.wave
        );
    }
    if !plan.left_out.is_empty() {
        let names: Vec<&str> = plan
            .left_out
            .iter()
            .map(|id| app_name(assessment, id))
            .collect();
        let _ = writeln!(out, "  Not moved (retire candidates): {}", names.join(", "));
    }
    out.push('\n');
}

fn write_data_sources(out: &mut String, assessment: &Assessment, paint: Paint) {
    let _ = writeln!(out, "{}", paint.heading("Data sources"));
    let sources = &assessment.data_sources;
    if sources.is_empty() {
        let _ = writeln!(
            out,
            "  No connector plugin classified the data sources in this run.\n"
        );
        return;
    }
    let kinds = matrix_kinds(sources);
    let path_width = column_width(sources.iter().map(|s| s.cloud_path.as_str()), "CLOUD PATH");
    let mut header = format!("  {:<path_width$}", "CLOUD PATH");
    for kind in &kinds {
        let _ = write!(header, "  {kind:>8}");
    }
    let _ = writeln!(out, "{header}  {:>6}", "TOTAL");
    for row in matrix_rows(sources) {
        let mut line = format!("  {:<path_width$}", row.cloud_path);
        for count in &row.counts {
            let _ = write!(line, "  {count:>8}");
        }
        let _ = writeln!(out, "{line}  {:>6}", row.total);
    }
    out.push('\n');
}

fn write_extensions(out: &mut String, assessment: &Assessment, paint: Paint) {
    let overview = &assessment.overview;
    if overview.extensions.is_empty() && overview.unused_extensions == 0 {
        return;
    }
    let _ = writeln!(out, "{}", paint.heading("Extensions in use"));
    for extension in &overview.extensions {
        let installed = if extension.installed {
            ""
        } else {
            ", not installed"
        };
        let _ = writeln!(
            out,
            "  {}: {} apps, {} objects{installed}",
            extension.name,
            extension.apps.len(),
            extension.objects
        );
    }
    if overview.unused_extensions > 0 {
        let _ = writeln!(
            out,
            "  {} installed extensions are not used by any app",
            overview.unused_extensions
        );
    }
    out.push('\n');
}

fn write_progress(out: &mut String, assessment: &Assessment, paint: Paint) {
    if let Some(baseline) = &assessment.baseline {
        let _ = writeln!(
            out,
            "Baseline {}: {} findings hidden, {} new, {} baseline entries no longer found\n",
            baseline.file, baseline.hidden, baseline.new, baseline.absent
        );
    }
    let Some(history) = &assessment.history else {
        return;
    };
    let _ = writeln!(out, "{}", paint.heading("Progress"));
    let Some(previous) = &history.previous else {
        let _ = writeln!(
            out,
            "  First run recorded in {} (run {}).\n",
            history.file, history.run_id
        );
        return;
    };
    let fixed = paint.good(&format!("{} fixed", history.fixed));
    let _ = writeln!(
        out,
        "  Since run {} of {}: {fixed}, {} new, {} unchanged",
        previous.run_id, previous.recorded_at, history.new, history.unchanged
    );
    if history.not_assessed > 0 {
        let _ = writeln!(
            out,
            "  {} findings belong to apps not assessed in this run",
            history.not_assessed
        );
    }
    for app in &history.apps {
        let status = match app.previous_status {
            Some(previous) if previous != app.status => {
                format!(", {} -> {}", previous.label(), app.status.label())
            }
            _ => String::new(),
        };
        let _ = writeln!(
            out,
            "  {}: {} fixed, {} new{status}",
            app.name, app.fixed, app.new
        );
    }
    for fix in &history.fixed_findings {
        let place = match (&fix.file, fix.line) {
            (Some(file), Some(line)) => format!("{file}:{line}"),
            _ => fix.app_id.clone(),
        };
        let _ = writeln!(out, "    fixed {place}: {} {}", fix.rule, fix.message);
    }
    out.push('\n');
}

fn write_findings(out: &mut String, assessment: &Assessment, paint: Paint) {
    if assessment.findings.is_empty() {
        return;
    }
    let _ = writeln!(out, "{}", paint.heading("Findings"));
    for finding in &assessment.findings {
        let place = match &finding.location {
            Some(l) => format!("{}:{}:{}", l.file, l.line, l.column),
            None => finding.app_id.clone(),
        };
        let _ = writeln!(
            out,
            "{place}: {} {} [{}] {}",
            paint.severity(finding.severity),
            finding.rule.code,
            finding.rule.name,
            finding.message
        );
        if let Some(fix) = &finding.remediation {
            let _ = writeln!(out, "    fix: {fix}");
        }
    }
    out.push('\n');
}

fn write_problems(out: &mut String, assessment: &Assessment, paint: Paint) {
    if !assessment.problems.is_empty() {
        let _ = writeln!(out, "{}", paint.heading("Files that could not be read"));
        for problem in &assessment.problems {
            let place = match (problem.line, problem.column) {
                (Some(line), Some(column)) => format!("{}:{line}:{column}", problem.path.display()),
                (Some(line), None) => format!("{}:{line}", problem.path.display()),
                _ => problem.path.display().to_string(),
            };
            let _ = writeln!(out, "{place}: {}", problem.message);
        }
        out.push('\n');
    }
    if !assessment.diagnostics.is_empty() {
        let _ = writeln!(out, "{}", paint.heading("Pack failures"));
        for diagnostic in &assessment.diagnostics {
            match &diagnostic.app_id {
                Some(app) => {
                    let _ = writeln!(
                        out,
                        "pack '{}' on app '{app}': {}",
                        diagnostic.pack, diagnostic.message
                    );
                }
                None => {
                    let _ = writeln!(out, "{}", diagnostic.message);
                }
            }
        }
        out.push('\n');
    }
}

fn write_summary(out: &mut String, assessment: &Assessment) {
    let blockers: usize = assessment.apps.iter().map(|a| a.blockers).sum();
    let warnings: usize = assessment.apps.iter().map(|a| a.warnings).sum();
    let infos: usize = assessment.apps.iter().map(|a| a.infos).sum();
    let blocked = assessment.apps.iter().filter(|a| a.blockers > 0).count();
    let _ = writeln!(
        out,
        "{blockers} blockers, {warnings} warnings, {infos} info in {} apps ({blocked} with blockers)",
        assessment.apps.len()
    );
}
