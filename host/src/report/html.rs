//! The HTML report: one self-contained page for a steering group. Styles, script and charts are
//! inline, and a Content-Security-Policy blocks every request to other sources, so the page
//! opens offline and from an e-mail attachment.

mod charts;
mod routes;

use std::fmt::Write as _;

use charts::{Lane, LaneApp, Slice};

use super::{app_name, matrix_kinds, matrix_rows, units};
use crate::assess::{AppStatus, AppSummary, Assessment, extra_hit_points, first_hit_points};
use crate::finding::Severity;

const STYLE: &str = include_str!("html/report.css");
const SCRIPT: &str = include_str!("html/report.js");

/// Maximum number of rules in the top-blockers chart.
const TOP_BLOCKERS: usize = 10;

/// Renders the assessment as one HTML page.
pub fn render_html(assessment: &Assessment) -> String {
    let mut page = String::new();
    let _ = write!(
        page,
        "<!DOCTYPE html>\n<html lang=\"en\">\n<head>\n<meta charset=\"utf-8\">\n\
         <meta name=\"viewport\" content=\"width=device-width, initial-scale=1\">\n\
         <meta http-equiv=\"Content-Security-Policy\" content=\"default-src 'none'; \
         style-src 'unsafe-inline'; script-src 'unsafe-inline'; img-src data:\">\n\
         <title>Qlik Cloud migration readiness</title>\n<style>\n{STYLE}</style>\n</head>\n\
         <body>\n"
    );
    write_header(&mut page, assessment);
    page.push_str("<main>\n");
    write_cards(&mut page, assessment);
    write_charts(&mut page, assessment);
    write_waves(&mut page, assessment);
    routes::write_phases(&mut page, assessment);
    routes::write_routes(&mut page, assessment);
    write_data_sources(&mut page, assessment);
    write_extensions(&mut page, assessment);
    write_progress(&mut page, assessment);
    write_apps(&mut page, assessment);
    write_findings(&mut page, assessment);
    write_problems(&mut page, assessment);
    let _ = write!(
        page,
        "</main>\n<footer>qready {} · scores, effort and waves are estimates from the rules' \
         declarations; see the method in the apps table.</footer>\n<script>\n{SCRIPT}</script>\n\
         </body>\n</html>\n",
        env!("CARGO_PKG_VERSION")
    );
    page
}

/// Escapes text for HTML element content and quoted attribute values.
pub(super) fn escape(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    for c in text.chars() {
        match c {
            '&' => out.push_str("&amp;"),
            '<' => out.push_str("&lt;"),
            '>' => out.push_str("&gt;"),
            '"' => out.push_str("&quot;"),
            '\'' => out.push_str("&#39;"),
            _ => out.push(c),
        }
    }
    out
}

fn status_color(status: AppStatus) -> &'static str {
    match status {
        AppStatus::Ready => "#2e7d32",
        AppStatus::NeedsRemediation => "#e0a100",
        AppStatus::Blocked => "#c62828",
        AppStatus::RetireCandidate => "#78828c",
    }
}

fn status_class(status: AppStatus) -> &'static str {
    status.as_str()
}

fn write_header(page: &mut String, assessment: &Assessment) {
    let packs: Vec<String> = assessment
        .packs
        .iter()
        .map(|p| format!("{} {}", p.id, p.version))
        .collect();
    let estate = &assessment.estate;
    let _ = writeln!(
        page,
        "<header><h1>Qlik Cloud migration readiness</h1>\
         <p>{} apps: {} QlikView, {} Qlik Sense · {} data connections · {} data sources · \
         {} streams · rules from {}</p></header>",
        assessment.apps.len(),
        estate.qlikview_apps,
        estate.qlik_sense_apps,
        estate.data_connections,
        estate.data_sources,
        estate.streams,
        escape(&if packs.is_empty() {
            "no packs".to_owned()
        } else {
            packs.join(", ")
        })
    );
}

fn write_cards(page: &mut String, assessment: &Assessment) {
    let overview = &assessment.overview;
    page.push_str("<section class=\"cards\" aria-label=\"Key figures\">\n");
    let card = |page: &mut String, label: &str, value: String, class: &str| {
        let _ = writeln!(
            page,
            "<div class=\"card {class}\"><div class=\"value\">{}</div>\
             <div class=\"label\">{}</div></div>",
            escape(&value),
            escape(label)
        );
    };
    card(page, "apps", overview.apps.to_string(), "");
    for count in &overview.by_status {
        card(
            page,
            count.status.label(),
            count.apps.to_string(),
            status_class(count.status),
        );
    }
    card(
        page,
        "estimated effort to fix",
        units::minutes(overview.effort_minutes),
        "",
    );
    let usage = &overview.usage;
    card(
        page,
        "apps used / unused / no logs",
        format!("{} / {} / {}", usage.active, usage.unused, usage.unknown),
        "",
    );
    page.push_str("</section>\n");
}

fn write_charts(page: &mut String, assessment: &Assessment) {
    let overview = &assessment.overview;
    page.push_str("<section class=\"grid\">\n");

    let slices: Vec<Slice> = overview
        .by_status
        .iter()
        .map(|count| Slice {
            label: count.status.label(),
            value: count.apps,
            color: status_color(count.status),
        })
        .collect();
    let _ = write!(
        page,
        "<figure class=\"panel\" id=\"status-chart\"><figcaption>Apps by status</figcaption>\
         <div class=\"donut-row\">{}<ul class=\"legend\">",
        charts::donut(&slices, "apps")
    );
    for count in &overview.by_status {
        let _ = write!(
            page,
            "<li><span class=\"swatch\" style=\"background:{}\"></span>{} \
             <strong>{}</strong> <small>{}</small></li>",
            status_color(count.status),
            escape(count.status.label()),
            count.apps,
            escape(&units::minutes(count.effort_minutes))
        );
    }
    page.push_str("</ul></div></figure>\n");

    let blockers: Vec<Slice> = overview
        .top_blockers
        .iter()
        .take(TOP_BLOCKERS)
        .map(|impact| Slice {
            label: &impact.name,
            value: impact.apps,
            color: status_color(AppStatus::Blocked),
        })
        .collect();
    page.push_str(
        "<figure class=\"panel\" id=\"blockers-chart\">\
         <figcaption>Top blockers by apps affected</figcaption>",
    );
    if blockers.is_empty() {
        page.push_str("<p class=\"empty\">No blocker findings.</p>");
    } else {
        page.push_str(&charts::bars(&blockers, ("app", "apps")));
    }
    page.push_str("</figure>\n");

    let streams: Vec<Slice> = overview
        .by_stream
        .iter()
        .map(|count| Slice {
            label: count.stream.as_deref().unwrap_or("(no stream)"),
            value: count.apps,
            color: "#1f6fb2",
        })
        .collect();
    let _ = writeln!(
        page,
        "<figure class=\"panel\" id=\"stream-chart\"><figcaption>Apps by stream</figcaption>{}\
         </figure>",
        charts::bars(&streams, ("app", "apps"))
    );
    let products: Vec<Slice> = overview
        .by_product
        .iter()
        .map(|count| Slice {
            label: count.product.label(),
            value: count.apps,
            color: "#5c6bc0",
        })
        .collect();
    let _ = writeln!(
        page,
        "<figure class=\"panel\" id=\"product-chart\"><figcaption>Apps by product</figcaption>{}\
         </figure>",
        charts::bars(&products, ("app", "apps"))
    );
    page.push_str("</section>\n");
}

fn write_waves(page: &mut String, assessment: &Assessment) {
    let plan = &assessment.plan;
    page.push_str(
        "<section class=\"panel\" id=\"waves\"><h2>Migration waves</h2>\
         <p class=\"note\">Apps that write QVDs or files move before the apps that read them; \
         ready and heavily used apps first. Hover a box for the reason.</p>",
    );
    if plan.waves.is_empty() {
        page.push_str("<p class=\"empty\">No apps to move.</p>");
    } else {
        let lanes: Vec<Lane> = plan
            .waves
            .iter()
            .map(|wave| Lane {
                title: format!("Wave {}", wave.number),
                subtitle: format!(
                    "{} · {}",
                    units::count(wave.apps.len(), "app", "apps"),
                    units::minutes(wave.effort_minutes)
                ),
                apps: wave
                    .apps
                    .iter()
                    .map(|app| LaneApp {
                        name: &app.name,
                        color: status_color(app.status),
                        detail: format!("{}. {}: {}", app.order, app.name, app.reason),
                    })
                    .collect(),
            })
            .collect();
        page.push_str(&charts::lanes(&lanes));
    }
    if !plan.cycles.is_empty() {
        page.push_str("<ul class=\"cycles\">");
        for (index, cycle) in plan.cycles.iter().enumerate() {
            let names: Vec<&str> = cycle
                .apps
                .iter()
                .map(|id| app_name(assessment, id))
                .collect();
            let _ = write!(
                page,
                "<li>Dependency cycle {}: {} read each other's data, so they move together in \
                 wave {}.</li>",
                index + 1,
                escape(&names.join(", ")),
                cycle.wave
            );
        }
        page.push_str("</ul>");
    }
    if !plan.left_out.is_empty() {
        let names: Vec<&str> = plan
            .left_out
            .iter()
            .map(|id| app_name(assessment, id))
            .collect();
        let _ = write!(
            page,
            "<p>Not moved (retire candidates): {}.</p>",
            escape(&names.join(", "))
        );
    }
    page.push_str(
        "<table class=\"sortable\"><thead><tr><th data-type=\"number\">Order</th>\
         <th data-type=\"number\">Wave</th><th>App</th><th>Status</th>\
         <th data-type=\"number\">Sessions</th><th data-type=\"number\">Effort (min)</th>\
         <th>Reason</th></tr></thead><tbody>",
    );
    for wave in &plan.waves {
        for app in &wave.apps {
            let sessions = app.sessions.map_or_else(String::new, |s| s.to_string());
            let _ = write!(
                page,
                "<tr><td>{}</td><td>{}</td><td>{}</td><td><span class=\"status {}\">{}</span>\
                 </td><td data-value=\"{sessions}\">{}</td><td>{}</td><td>{}</td></tr>",
                app.order,
                wave.number,
                escape(&app.name),
                status_class(app.status),
                app.status.label(),
                if sessions.is_empty() { "-" } else { &sessions },
                app.effort_minutes,
                escape(&app.reason)
            );
        }
    }
    page.push_str("</tbody></table></section>\n");
}

fn write_data_sources(page: &mut String, assessment: &Assessment) {
    let sources = &assessment.data_sources;
    page.push_str(
        "<section class=\"panel\" id=\"data-sources\"><h2>Data sources and their Qlik Cloud path\
         </h2>",
    );
    if sources.is_empty() {
        page.push_str(
            "<p class=\"empty\">No connector plugin classified the data sources in this run, so \
             the matrix is empty.</p></section>\n",
        );
        return;
    }

    let kinds = matrix_kinds(sources);
    let rows = matrix_rows(sources);
    let max = rows
        .iter()
        .flat_map(|row| row.counts.iter().copied())
        .max()
        .unwrap_or(1)
        .max(1);
    page.push_str("<table class=\"matrix\"><thead><tr><th>Cloud path</th>");
    for kind in &kinds {
        let _ = write!(page, "<th>{}</th>", escape(kind));
    }
    page.push_str("<th>Total</th></tr></thead><tbody>");
    for row in &rows {
        let _ = write!(
            page,
            "<tr><th scope=\"row\">{}</th>",
            escape(row.cloud_path)
        );
        for &count in &row.counts {
            // Shade from 0.08 to 0.85 opacity by the share of the largest cell.
            let alpha = if count == 0 {
                0.0
            } else {
                0.08 + 0.77 * count as f64 / max as f64
            };
            let text_class = if alpha > 0.5 { " class=\"dark\"" } else { "" };
            let _ = write!(
                page,
                "<td{text_class} style=\"background:rgba(31,111,178,{alpha:.2})\">{count}</td>"
            );
        }
        let _ = write!(page, "<td><strong>{}</strong></td></tr>", row.total);
    }
    page.push_str("</tbody></table>");

    page.push_str(
        "<table class=\"sortable\"><thead><tr><th>Data source</th><th>Kind</th>\
         <th>Cloud path</th><th>Connector</th><th data-type=\"number\">Apps</th><th>Used by</th>\
         <th>Reason</th></tr></thead><tbody>",
    );
    for source in sources {
        let apps: Vec<&str> = source
            .apps
            .iter()
            .map(|id| app_name(assessment, id))
            .collect();
        let _ = write!(
            page,
            "<tr><td>{}</td><td>{}</td><td>{}</td><td>{}</td><td>{}</td><td>{}</td><td>{}</td></tr>",
            escape(&source.name),
            escape(&source.kind),
            escape(&source.cloud_path),
            escape(source.connector.as_deref().unwrap_or("-")),
            source.apps.len(),
            escape(&apps.join(", ")),
            escape(&source.reason)
        );
    }
    page.push_str("</tbody></table></section>\n");
}

fn write_extensions(page: &mut String, assessment: &Assessment) {
    let overview = &assessment.overview;
    page.push_str("<section class=\"panel\" id=\"extensions\"><h2>Extensions in use</h2>");
    if overview.extensions.is_empty() {
        page.push_str("<p class=\"empty\">No app object uses an extension.</p>");
    } else {
        page.push_str(
            "<table class=\"sortable\"><thead><tr><th>Extension</th>\
             <th data-type=\"number\">Apps</th><th data-type=\"number\">Objects</th>\
             <th>Installed</th><th>Apps using it</th></tr></thead><tbody>",
        );
        for extension in &overview.extensions {
            let apps: Vec<&str> = extension
                .apps
                .iter()
                .map(|id| app_name(assessment, id))
                .collect();
            let _ = write!(
                page,
                "<tr><td>{}</td><td>{}</td><td>{}</td><td>{}</td><td>{}</td></tr>",
                escape(&extension.name),
                extension.apps.len(),
                extension.objects,
                if extension.installed { "yes" } else { "no" },
                escape(&apps.join(", "))
            );
        }
        page.push_str("</tbody></table>");
    }
    if overview.unused_extensions > 0 {
        let _ = write!(
            page,
            "<p>{} installed extensions are not used by any app.</p>",
            overview.unused_extensions
        );
    }
    page.push_str("</section>\n");
}

fn write_progress(page: &mut String, assessment: &Assessment) {
    if assessment.baseline.is_none() && assessment.history.is_none() {
        return;
    }
    page.push_str("<section class=\"panel\" id=\"progress\"><h2>Progress</h2>");
    if let Some(baseline) = &assessment.baseline {
        let _ = write!(
            page,
            "<p>Baseline <code>{}</code>: {} findings hidden, {} new, {} baseline entries no \
             longer found.</p>",
            escape(&baseline.file),
            baseline.hidden,
            baseline.new,
            baseline.absent
        );
    }
    if let Some(history) = &assessment.history {
        match &history.previous {
            None => page.push_str("<p>First run recorded in the history.</p>"),
            Some(previous) => {
                let _ = write!(
                    page,
                    "<p class=\"progress-total\">Since run {} of {}: <strong class=\"fixed\">{} \
                     fixed</strong>, {} new, {} unchanged.</p>",
                    previous.run_id,
                    escape(&previous.recorded_at),
                    history.fixed,
                    history.new,
                    history.unchanged
                );
                page.push_str(
                    "<table class=\"sortable\"><thead><tr><th>App</th>\
                     <th data-type=\"number\">Fixed</th><th data-type=\"number\">New</th>\
                     <th>Status before</th><th>Status now</th>\
                     <th data-type=\"number\">Score</th></tr></thead><tbody>",
                );
                for app in &history.apps {
                    let score = match app.previous_score {
                        Some(before) if before != app.score => format!("{before} → {}", app.score),
                        _ => app.score.to_string(),
                    };
                    let _ = write!(
                        page,
                        "<tr><td>{}</td><td>{}</td><td>{}</td><td>{}</td><td>{}</td>\
                         <td data-value=\"{}\">{}</td></tr>",
                        escape(&app.name),
                        app.fixed,
                        app.new,
                        app.previous_status.map_or("-", |s| s.label()),
                        app.status.label(),
                        app.score,
                        escape(&score)
                    );
                }
                page.push_str("</tbody></table>");
                if !history.fixed_findings.is_empty() {
                    page.push_str("<details><summary>Fixed findings</summary><ul>");
                    for fix in &history.fixed_findings {
                        let place = match (&fix.file, fix.line) {
                            (Some(file), Some(line)) => format!("{file}:{line}"),
                            _ => fix.app_id.clone(),
                        };
                        let _ = write!(
                            page,
                            "<li><code>{}</code> {} {}</li>",
                            escape(&place),
                            escape(&fix.rule),
                            escape(&fix.message)
                        );
                    }
                    page.push_str("</ul></details>");
                }
            }
        }
    }
    page.push_str("</section>\n");
}

fn write_apps(page: &mut String, assessment: &Assessment) {
    let points = |severity| (first_hit_points(severity), extra_hit_points(severity));
    let (blocker, blocker_extra) = points(Severity::Blocker);
    let (warning, warning_extra) = points(Severity::Warning);
    let (info, info_extra) = points(Severity::Info);
    let _ = write!(
        page,
        "<section class=\"panel\" id=\"apps\"><h2>Apps</h2>\
         <p class=\"note\">Score: 100 minus, per rule that hits the app, {blocker} for a \
         blocker, {warning} for a warning or {info} for an info, plus {blocker_extra}, \
         {warning_extra} or {info_extra} for each further finding of that rule; at least 0. \
         Effort: the sum of each distinct rule's estimated minutes. Hover a score for its \
         computation.</p>"
    );
    page.push_str(
        "<table class=\"sortable\"><thead><tr><th>App</th><th>Status</th>\
         <th data-type=\"number\">Score</th><th data-type=\"number\">Effort (min)</th>\
         <th data-type=\"number\">Sessions</th><th data-type=\"number\">Users</th>\
         <th data-type=\"number\">Size</th><th data-type=\"number\">Wave</th><th>Product</th>\
         <th>Stream</th><th data-type=\"number\">Blockers</th>\
         <th data-type=\"number\">Warnings</th><th>Data sources</th><th>Why</th></tr></thead>\
         <tbody>",
    );
    let sources_by_app = assessment.data_sources_by_app();
    for app in &assessment.apps {
        let sources = sources_by_app
            .get(app.id.as_str())
            .map_or(&[][..], Vec::as_slice);
        write_app_row(page, assessment, app, sources);
    }
    page.push_str("</tbody></table></section>\n");
}

fn write_app_row(
    page: &mut String,
    assessment: &Assessment,
    app: &AppSummary,
    sources: &[&crate::assess::DataSourceAssessment],
) {
    let usage = app.usage.as_ref();
    let sessions = usage.map_or_else(String::new, |u| u.sessions.to_string());
    let users = usage.map_or_else(String::new, |u| u.distinct_users.to_string());
    let size = app.size.file_bytes.or(app.size.data_model_bytes);
    let sources: Vec<String> = sources
        .iter()
        .map(|source| format!("{} → {}", source.name, source.cloud_path))
        .collect();
    let mut why = match &app.retire_reason {
        Some(reason) => reason.describe(|id| app_name(assessment, id).to_owned()),
        None => {
            let effort: Vec<String> = app
                .effort
                .iter()
                .map(|item| format!("{} {}", item.rule, units::minutes(item.minutes)))
                .collect();
            effort.join(", ")
        }
    };
    if app.pack_failures > 0 {
        why = format!("incomplete: a pack failed on this app. {why}");
    }
    let _ = write!(
        page,
        "<tr><td title=\"{}\">{}</td><td><span class=\"status {}\">{}</span></td>\
         <td title=\"{}\" class=\"score\">{}</td><td>{}</td><td data-value=\"{sessions}\">{}</td>\
         <td data-value=\"{users}\">{}</td><td data-value=\"{}\">{}</td><td>{}</td><td>{}</td>\
         <td>{}</td><td>{}</td><td>{}</td><td>{}</td><td>{}</td></tr>",
        escape(&app.id),
        escape(&app.name),
        status_class(app.status),
        app.status.label(),
        escape(&app.score.explain()),
        app.score.value,
        app.effort_minutes,
        dash(&sessions),
        dash(&users),
        size.map_or_else(String::new, |s| s.to_string()),
        escape(&units::optional_bytes(size)),
        app.wave.map_or_else(|| "-".to_owned(), |w| w.to_string()),
        app.product.label(),
        escape(app.stream.as_deref().unwrap_or("-")),
        app.blockers,
        app.warnings,
        escape(&sources.join(", ")),
        escape(&why)
    );
}

fn dash(text: &str) -> &str {
    if text.is_empty() { "-" } else { text }
}

fn write_findings(page: &mut String, assessment: &Assessment) {
    let _ = write!(
        page,
        "<section class=\"panel\" id=\"findings\"><h2>Findings ({})</h2>",
        assessment.findings.len()
    );
    if assessment.findings.is_empty() {
        page.push_str("<p class=\"empty\">No findings.</p></section>\n");
        return;
    }
    page.push_str(
        "<input type=\"search\" class=\"filter\" data-table=\"findings-table\" \
         placeholder=\"Filter findings\" aria-label=\"Filter findings\">\
         <table class=\"sortable\" id=\"findings-table\"><thead><tr><th>App</th>\
         <th>Severity</th><th>Rule</th><th>Place</th><th>Message</th><th>Statement</th>\
         </tr></thead><tbody>",
    );
    for finding in &assessment.findings {
        let place = finding.location.as_ref().map_or_else(String::new, |l| {
            format!("{}:{}:{}", l.file, l.line, l.column)
        });
        let rank = match finding.severity {
            Severity::Blocker => 3,
            Severity::Warning => 2,
            Severity::Info => 1,
        };
        let _ = write!(
            page,
            "<tr><td>{}</td><td data-value=\"{rank}\"><span class=\"severity {}\">{}</span></td>\
             <td title=\"{}\">{}</td><td><code>{}</code></td><td>{}</td><td><code>{}</code></td>\
             </tr>",
            escape(app_name(assessment, &finding.app_id)),
            finding.severity.as_str(),
            finding.severity.as_str(),
            escape(&finding.rule.name),
            escape(&finding.rule.code),
            escape(&place),
            escape(&finding.message),
            escape(finding.statement.as_deref().unwrap_or(""))
        );
    }
    page.push_str("</tbody></table></section>\n");
}

fn write_problems(page: &mut String, assessment: &Assessment) {
    if assessment.problems.is_empty() && assessment.diagnostics.is_empty() {
        return;
    }
    page.push_str("<section class=\"panel\" id=\"problems\"><h2>Not assessed</h2><ul>");
    for problem in &assessment.problems {
        let _ = write!(
            page,
            "<li><code>{}</code>: {}</li>",
            escape(&problem.path.display().to_string()),
            escape(&problem.message)
        );
    }
    for diagnostic in &assessment.diagnostics {
        let app = diagnostic
            .app_id
            .as_deref()
            .map_or_else(String::new, |id| format!(" on app {id}"));
        let _ = write!(
            page,
            "<li>pack {}{}: {}</li>",
            escape(&diagnostic.pack),
            escape(&app),
            escape(&diagnostic.message)
        );
    }
    page.push_str("</ul></section>\n");
}
