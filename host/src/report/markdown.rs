//! The Markdown report, for wikis, pull requests and tickets: the same sections as the text
//! report, as GitHub-flavoured Markdown tables.

use std::fmt::Write as _;

use super::{app_name, matrix_kinds, matrix_rows, units};
use crate::assess::Assessment;

/// Renders the assessment as Markdown.
pub fn render_markdown(assessment: &Assessment) -> String {
    let mut out = String::new();
    let _ = writeln!(out, "# Qlik Cloud migration readiness\n");
    let _ = writeln!(
        out,
        "qready {} assessed {} apps ({} QlikView, {} Qlik Sense).\n",
        env!("CARGO_PKG_VERSION"),
        assessment.apps.len(),
        assessment.estate.qlikview_apps,
        assessment.estate.qlik_sense_apps
    );
    write_overview(&mut out, assessment);
    write_apps(&mut out, assessment);
    write_top_blockers(&mut out, assessment);
    write_waves(&mut out, assessment);
    super::routes::write_markdown(&mut out, assessment, &cell);
    write_data_sources(&mut out, assessment);
    write_extensions(&mut out, assessment);
    write_progress(&mut out, assessment);
    write_findings(&mut out, assessment);
    out
}

/// Escapes text from the estate for a table cell or a list item: pipes, line breaks that would
/// end the row, and `<`, `>` and `&`, which Markdown renderers would pass on as HTML.
fn cell(text: &str) -> String {
    text.replace('&', "&amp;")
        .replace('<', "&lt;")
        .replace('>', "&gt;")
        .replace('\\', "\\\\")
        .replace('|', "\\|")
        .replace(['\r', '\n'], " ")
}

fn write_overview(out: &mut String, assessment: &Assessment) {
    let overview = &assessment.overview;
    let _ = writeln!(out, "## Overview\n");
    let _ = writeln!(out, "| Status | Apps | Effort |\n|---|---:|---:|");
    for count in &overview.by_status {
        let _ = writeln!(
            out,
            "| {} | {} | {} |",
            count.status.label(),
            count.apps,
            units::minutes(count.effort_minutes)
        );
    }
    let usage = &overview.usage;
    let _ = writeln!(
        out,
        "\n- Usage: {} active, {} unused, {} without usage logs, {} sessions.",
        usage.active, usage.unused, usage.unknown, usage.sessions
    );
    let streams: Vec<String> = overview
        .by_stream
        .iter()
        .map(|count| {
            format!(
                "{} ({})",
                cell(count.stream.as_deref().unwrap_or("no stream")),
                count.apps
            )
        })
        .collect();
    let _ = writeln!(out, "- Streams: {}.", streams.join(", "));
    let products: Vec<String> = overview
        .by_product
        .iter()
        .map(|count| format!("{} {}", count.apps, count.product.label()))
        .collect();
    let _ = writeln!(out, "- Products: {}.", products.join(", "));
    let _ = writeln!(
        out,
        "- Effort: {} to fix the apps to move; retiring the retire candidates saves {}.\n",
        units::minutes(overview.effort_minutes),
        units::minutes(overview.retire_effort_minutes)
    );
}

fn write_apps(out: &mut String, assessment: &Assessment) {
    let _ = writeln!(out, "## Apps\n");
    if assessment.apps.is_empty() {
        let _ = writeln!(out, "No apps found.\n");
        return;
    }
    let _ = writeln!(
        out,
        "| App | Status | Score | Effort | Sessions | Wave | Product | Stream | Size | Blockers | Warnings |\n\
         |---|---|---:|---:|---:|---:|---|---|---:|---:|---:|"
    );
    for app in &assessment.apps {
        let sessions = app
            .usage
            .as_ref()
            .map_or_else(|| "-".to_owned(), |usage| usage.sessions.to_string());
        let _ = writeln!(
            out,
            "| {} | {} | {} | {} | {} | {} | {} | {} | {} | {} | {} |",
            cell(&app.name),
            app.status.label(),
            app.score.value,
            units::minutes(app.effort_minutes),
            sessions,
            app.wave.map_or_else(|| "-".to_owned(), |w| w.to_string()),
            app.product.label(),
            cell(app.stream.as_deref().unwrap_or("-")),
            units::optional_bytes(app.size.file_bytes.or(app.size.data_model_bytes)),
            app.blockers,
            app.warnings
        );
    }
    let _ = writeln!(out, "\n### How each score is computed\n");
    for app in &assessment.apps {
        let mut line = format!("- **{}**: {}", cell(&app.name), app.score.explain());
        if app.pack_failures > 0 {
            let _ = write!(
                line,
                ". Incomplete: {} pack failures on this app",
                app.pack_failures
            );
        }
        if let Some(reason) = &app.retire_reason {
            let _ = write!(
                line,
                ". Retire candidate: {}",
                reason.describe(|id| app_name(assessment, id).to_owned())
            );
        }
        let _ = writeln!(out, "{line}");
    }
    out.push('\n');
}

fn write_top_blockers(out: &mut String, assessment: &Assessment) {
    let blockers = &assessment.overview.top_blockers;
    if blockers.is_empty() {
        return;
    }
    let _ = writeln!(
        out,
        "## Top blockers\n\n| Rule | Name | Apps | Findings | What |\n|---|---|---:|---:|---|"
    );
    for impact in blockers {
        let _ = writeln!(
            out,
            "| {} | {} | {} | {} | {} |",
            impact.rule,
            cell(&impact.name),
            impact.apps,
            impact.findings,
            cell(&impact.title)
        );
    }
    out.push('\n');
}

fn write_waves(out: &mut String, assessment: &Assessment) {
    let plan = &assessment.plan;
    let _ = writeln!(out, "## Migration waves\n");
    if plan.waves.is_empty() {
        let _ = writeln!(out, "No apps to move.\n");
    }
    for wave in &plan.waves {
        let _ = writeln!(
            out,
            "### Wave {} ({}, {})\n",
            wave.number,
            units::count(wave.apps.len(), "app", "apps"),
            units::minutes(wave.effort_minutes)
        );
        for app in &wave.apps {
            let _ = writeln!(
                out,
                "{}. {}: {}",
                app.order,
                cell(&app.name),
                cell(&app.reason)
            );
        }
        out.push('\n');
    }
    for (index, cycle) in plan.cycles.iter().enumerate() {
        let names: Vec<String> = cycle
            .apps
            .iter()
            .map(|id| cell(app_name(assessment, id)))
            .collect();
        let _ = writeln!(
            out,
            "- Dependency cycle {}: {} read each other's data, so they move together in wave {}.",
            index + 1,
            names.join(", "),
            cycle.wave
        );
    }
    if !plan.left_out.is_empty() {
        let names: Vec<String> = plan
            .left_out
            .iter()
            .map(|id| cell(app_name(assessment, id)))
            .collect();
        let _ = writeln!(
            out,
            "- Not moved (retire candidates): {}.",
            names.join(", ")
        );
    }
    if !plan.cycles.is_empty() || !plan.left_out.is_empty() {
        out.push('\n');
    }
}

fn write_data_sources(out: &mut String, assessment: &Assessment) {
    let _ = writeln!(out, "## Data sources\n");
    let sources = &assessment.data_sources;
    if sources.is_empty() {
        let _ = writeln!(
            out,
            "No connector plugin classified the data sources in this run.\n"
        );
        return;
    }
    let kinds = matrix_kinds(sources);
    let mut header = String::from("| Cloud path |");
    let mut rule = String::from("|---|");
    for kind in &kinds {
        let _ = write!(header, " {} |", cell(kind));
        rule.push_str("---:|");
    }
    let _ = writeln!(out, "{header} Total |\n{rule}---:|");

    for row in matrix_rows(sources) {
        let mut line = format!("| {} |", cell(row.cloud_path));
        for count in &row.counts {
            let _ = write!(line, " {count} |");
        }
        let _ = writeln!(out, "{line} {} |", row.total);
    }

    let _ = writeln!(
        out,
        "\n| Data source | Kind | Cloud path | Connector | Apps |\n|---|---|---|---|---|"
    );
    for source in sources {
        let apps: Vec<&str> = source
            .apps
            .iter()
            .map(|id| app_name(assessment, id))
            .collect();
        let _ = writeln!(
            out,
            "| {} | {} | {} | {} | {} |",
            cell(&source.name),
            cell(&source.kind),
            cell(&source.cloud_path),
            cell(source.connector.as_deref().unwrap_or("-")),
            cell(&apps.join(", "))
        );
    }
    out.push('\n');
}

fn write_extensions(out: &mut String, assessment: &Assessment) {
    let overview = &assessment.overview;
    if overview.extensions.is_empty() {
        return;
    }
    let _ = writeln!(
        out,
        "## Extensions in use\n\n| Extension | Apps | Objects | Installed |\n|---|---:|---:|---|"
    );
    for extension in &overview.extensions {
        let _ = writeln!(
            out,
            "| {} | {} | {} | {} |",
            cell(&extension.name),
            extension.apps.len(),
            extension.objects,
            if extension.installed { "yes" } else { "no" }
        );
    }
    out.push('\n');
}

fn write_progress(out: &mut String, assessment: &Assessment) {
    if let Some(baseline) = &assessment.baseline {
        let _ = writeln!(
            out,
            "Baseline `{}`: {} findings hidden, {} new, {} baseline entries no longer found.\n",
            baseline.file, baseline.hidden, baseline.new, baseline.absent
        );
    }
    let Some(history) = &assessment.history else {
        return;
    };
    let _ = writeln!(out, "## Progress\n");
    let Some(previous) = &history.previous else {
        let _ = writeln!(out, "First run recorded in the history.\n");
        return;
    };
    let _ = writeln!(
        out,
        "Since run {} of {}: **{} fixed**, {} new, {} unchanged.\n",
        previous.run_id, previous.recorded_at, history.fixed, history.new, history.unchanged
    );
    if !history.apps.is_empty() {
        let _ = writeln!(
            out,
            "| App | Fixed | New | Status before | Status now |\n|---|---:|---:|---|---|"
        );
        for app in &history.apps {
            let _ = writeln!(
                out,
                "| {} | {} | {} | {} | {} |",
                cell(&app.name),
                app.fixed,
                app.new,
                app.previous_status.map_or("-", |s| s.label()),
                app.status.label()
            );
        }
        out.push('\n');
    }
}

fn write_findings(out: &mut String, assessment: &Assessment) {
    let _ = writeln!(out, "## Findings\n");
    if assessment.findings.is_empty() {
        let _ = writeln!(out, "No findings.");
        return;
    }
    let _ = writeln!(
        out,
        "| App | Place | Severity | Rule | Message |\n|---|---|---|---|---|"
    );
    for finding in &assessment.findings {
        let place = finding
            .location
            .as_ref()
            .map_or_else(String::new, |l| format!("{}:{}", l.file, l.line));
        let _ = writeln!(
            out,
            "| {} | {} | {} | {} {} | {} |",
            cell(app_name(assessment, &finding.app_id)),
            cell(&place),
            finding.severity.as_str(),
            finding.rule.code,
            cell(&finding.rule.name),
            cell(&finding.message)
        );
    }
}
