use std::fmt::Write as _;

use crate::assess::Assessment;

/// Renders the assessment for a terminal: a table of apps, then each finding as
/// `file:line:column`, then input problems and pack diagnostics.
pub fn render_text(assessment: &Assessment) -> String {
    let mut out = String::new();
    write_header(&mut out, assessment);
    write_apps(&mut out, assessment);
    write_findings(&mut out, assessment);
    write_problems(&mut out, assessment);
    write_summary(&mut out, assessment);
    out
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

fn write_apps(out: &mut String, assessment: &Assessment) {
    if assessment.apps.is_empty() {
        let _ = writeln!(out, "No apps found.\n");
        return;
    }
    let width = assessment
        .apps
        .iter()
        .map(|a| a.id.chars().count())
        .max()
        .unwrap_or(3)
        .max(3);
    let _ = writeln!(
        out,
        "{:<width$}  {:<10}  {:>10}  {:>8}  {:>8}  {:>4}",
        "APP", "PRODUCT", "STATEMENTS", "BLOCKERS", "WARNINGS", "INFO"
    );
    for app in &assessment.apps {
        let _ = writeln!(
            out,
            "{:<width$}  {:<10}  {:>10}  {:>8}  {:>8}  {:>4}",
            app.id,
            app.product.label(),
            app.statements,
            app.blockers,
            app.warnings,
            app.infos
        );
    }
    out.push('\n');
}

fn write_findings(out: &mut String, assessment: &Assessment) {
    if assessment.findings.is_empty() {
        return;
    }
    let _ = writeln!(out, "Findings:");
    for finding in &assessment.findings {
        let place = match &finding.location {
            Some(l) => format!("{}:{}:{}", l.file, l.line, l.column),
            None => finding.app_id.clone(),
        };
        let _ = writeln!(
            out,
            "{place}: {} {} [{}] {}",
            finding.severity.as_str(),
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

fn write_problems(out: &mut String, assessment: &Assessment) {
    if !assessment.problems.is_empty() {
        let _ = writeln!(out, "Files that could not be read:");
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
        let _ = writeln!(out, "Pack failures:");
        for diagnostic in &assessment.diagnostics {
            match &diagnostic.app_id {
                Some(app) => {
                    let _ = writeln!(out, "pack '{}' on app '{app}': {}", diagnostic.pack, diagnostic.message);
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
