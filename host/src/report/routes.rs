//! The routes section and the phased plan, as text and as Markdown.

use std::fmt::Write as _;

use super::{app_name, units};
use crate::assess::{AppRoute, Assessment, ConnectionStep, Phase, RoutePlan};

/// Counts per route, such as `Migrate now: 1 app · Hybrid: 3 apps`.
pub(super) fn counts_line(routes: &RoutePlan) -> String {
    routes
        .counts
        .iter()
        .map(|count| {
            format!(
                "{}: {}",
                count.route.label(),
                units::count(count.apps, "app", "apps")
            )
        })
        .collect::<Vec<_>>()
        .join(" · ")
}

/// Formats the app's place in the plan, such as `phase 1, reload in phase 3, wave 2`.
pub(super) fn placement(route: &AppRoute) -> String {
    let mut parts = vec![format!("phase {}", route.phase)];
    if let Some(reload) = route.reload_phase
        && reload != route.phase
    {
        parts.push(format!("reload in phase {reload}"));
    }
    if let Some(wave) = route.wave {
        parts.push(format!("wave {wave}"));
    }
    parts.join(", ")
}

/// Names of the apps a connection step serves.
pub(super) fn connection_apps(assessment: &Assessment, step: &ConnectionStep) -> String {
    step.apps
        .iter()
        .map(|id| app_name(assessment, id))
        .collect::<Vec<_>>()
        .join(", ")
}

/// Connection steps to take in one phase.
pub(super) fn connections_of<'a>(
    routes: &'a RoutePlan,
    phase: &Phase,
) -> impl Iterator<Item = &'a ConnectionStep> + 'a {
    let number = phase.number;
    routes.connections.iter().filter(move |c| c.phase == number)
}

/// Writes the routes and the phased plan for the terminal; `heading` styles section titles.
pub(super) fn write_text(
    out: &mut String,
    assessment: &Assessment,
    heading: &dyn Fn(&str) -> String,
) {
    let routes = &assessment.routes;
    if routes.apps.is_empty() {
        return;
    }
    let _ = writeln!(out, "{}", heading("Routes to Qlik Cloud"));
    let _ = writeln!(out, "  {}", counts_line(routes));
    for route in &routes.apps {
        let _ = writeln!(
            out,
            "  {}: {} ({}, {})",
            route.name,
            route.route.label(),
            placement(route),
            units::minutes(route.effort_minutes)
        );
        let _ = writeln!(out, "    why:   {}", route.reason);
        for (index, need) in route.needs.iter().enumerate() {
            let label = if index == 0 { "needs:" } else { "      " };
            let _ = writeln!(out, "    {label} - {need}");
        }
    }
    out.push('\n');

    let _ = writeln!(out, "{}", heading("Phased plan"));
    for phase in &routes.phases {
        let _ = writeln!(
            out,
            "  Phase {}: {} ({}, {})",
            phase.number,
            phase.title,
            units::count(phase.steps.len(), "step", "steps"),
            units::minutes(phase.effort_minutes)
        );
        let _ = writeln!(out, "    {}", phase.goal);
        let connections: Vec<&ConnectionStep> = connections_of(routes, phase).collect();
        if !connections.is_empty() {
            let _ = writeln!(out, "    Set up first:");
            for step in connections {
                let _ = writeln!(
                    out,
                    "      {} ({}, {}): {}. Needed by {}.",
                    step.name,
                    step.kind,
                    step.cloud_path,
                    step.action,
                    connection_apps(assessment, step)
                );
            }
        }
        for step in &phase.steps {
            let wave = step
                .wave
                .map_or_else(String::new, |wave| format!(" (wave {wave})"));
            let _ = writeln!(
                out,
                "    {:<11} {}{wave}: {}",
                step.action.label(),
                step.name,
                step.reason
            );
        }
    }
    out.push('\n');
}

/// Writes the routes and the phased plan as Markdown sections.
pub(super) fn write_markdown(
    out: &mut String,
    assessment: &Assessment,
    cell: &dyn Fn(&str) -> String,
) {
    let routes = &assessment.routes;
    if routes.apps.is_empty() {
        return;
    }
    let _ = writeln!(out, "## Routes to Qlik Cloud\n");
    let _ = writeln!(out, "{}.\n", counts_line(routes));
    let _ = writeln!(out, "| App | Product | Route | Placement | Effort | Why |");
    let _ = writeln!(out, "|---|---|---|---|---|---|");
    for route in &routes.apps {
        let _ = writeln!(
            out,
            "| {} | {} | {} | {} | {} | {} |",
            cell(&route.name),
            route.product.label(),
            route.route.label(),
            placement(route),
            units::minutes(route.effort_minutes),
            cell(&route.reason)
        );
    }
    out.push('\n');
    let _ = writeln!(out, "### What each route needs\n");
    for route in &routes.apps {
        let _ = writeln!(
            out,
            "**{}** ({}):\n",
            cell(&route.name),
            route.route.label()
        );
        for need in &route.needs {
            let _ = writeln!(out, "- {}", cell(need));
        }
        out.push('\n');
    }

    let _ = writeln!(out, "## Phased plan\n");
    for phase in &routes.phases {
        let _ = writeln!(
            out,
            "### Phase {}: {} ({}, {})\n",
            phase.number,
            phase.title,
            units::count(phase.steps.len(), "step", "steps"),
            units::minutes(phase.effort_minutes)
        );
        let _ = writeln!(out, "{}\n", phase.goal);
        let connections: Vec<&ConnectionStep> = connections_of(routes, phase).collect();
        if !connections.is_empty() {
            let _ = writeln!(out, "Set up first:\n");
            for step in connections {
                let _ = writeln!(
                    out,
                    "- {} ({}, `{}`): {}. Needed by {}.",
                    cell(&step.name),
                    cell(&step.kind),
                    step.cloud_path,
                    cell(&step.action),
                    cell(&connection_apps(assessment, step))
                );
            }
            out.push('\n');
        }
        let _ = writeln!(out, "| Step | App | Wave | Effort | Reason |");
        let _ = writeln!(out, "|---|---|---|---|---|");
        for step in &phase.steps {
            let _ = writeln!(
                out,
                "| {} | {} | {} | {} | {} |",
                step.action.label(),
                cell(&step.name),
                step.wave.map_or_else(|| "-".to_owned(), |w| w.to_string()),
                units::minutes(step.effort_minutes),
                cell(&step.reason)
            );
        }
        out.push('\n');
    }
}
