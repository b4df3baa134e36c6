//! The routes panel and the phased plan of the HTML report.

use std::fmt::Write as _;

use super::escape;
use crate::assess::{Assessment, ConnectionStep, Route};
use crate::report::routes::{connection_apps, connections_of, counts_line, placement};
use crate::report::units;

fn route_class(route: Route) -> &'static str {
    route.as_str()
}

/// Writes the table of routes, one row per app, with the reason and the needs.
pub(super) fn write_routes(page: &mut String, assessment: &Assessment) {
    let routes = &assessment.routes;
    if routes.apps.is_empty() {
        return;
    }
    let _ = write!(
        page,
        "<section class=\"panel\" id=\"routes\"><h2>Routes to Qlik Cloud</h2>\
         <p class=\"note\">{}. Each reason names the findings that decide the route; \
         <code>[routes]</code> in qready.toml sets the thresholds.</p>",
        escape(&counts_line(routes))
    );
    page.push_str(
        "<table class=\"sortable\"><thead><tr><th>App</th><th>Route</th><th>Placement</th>\
         <th data-type=\"number\">Effort (min)</th><th>Why</th><th>Needs</th></tr></thead><tbody>",
    );
    for route in &routes.apps {
        let _ = write!(
            page,
            "<tr><td>{}<br><small>{}</small></td><td><span class=\"route {}\">{}</span></td>\
             <td>{}</td><td>{}</td><td>{}</td><td><ul class=\"needs\">",
            escape(&route.name),
            route.product.label(),
            route_class(route.route),
            route.route.label(),
            escape(&placement(route)),
            route.effort_minutes,
            escape(&route.reason)
        );
        for need in &route.needs {
            let _ = write!(page, "<li>{}</li>", escape(need));
        }
        page.push_str("</ul></td></tr>");
    }
    page.push_str("</tbody></table></section>\n");
}

/// Writes the phased plan: one column per phase, with the connections to set up first.
pub(super) fn write_phases(page: &mut String, assessment: &Assessment) {
    let routes = &assessment.routes;
    if routes.phases.is_empty() {
        return;
    }
    page.push_str(
        "<section class=\"panel\" id=\"phases\"><h2>Phased plan</h2>\
         <p class=\"note\">Retire and offload consumption first, then remediate, then move the \
         data pipelines, then convert. Apps keep the order of the migration waves.</p>\
         <div class=\"phases\">",
    );
    for phase in &routes.phases {
        let _ = write!(
            page,
            "<div class=\"phase\"><h3>Phase {}: {}</h3><p class=\"note\">{} · {}</p>\
             <p>{}</p>",
            phase.number,
            escape(&phase.title),
            units::count(phase.steps.len(), "step", "steps"),
            units::minutes(phase.effort_minutes),
            escape(&phase.goal)
        );
        let connections: Vec<&ConnectionStep> = connections_of(routes, phase).collect();
        if !connections.is_empty() {
            page.push_str("<p><strong>Set up first</strong></p><ul class=\"setup\">");
            for step in connections {
                let _ = write!(
                    page,
                    "<li><strong>{}</strong> <small>{} · {}</small><br>{}. Needed by {}.</li>",
                    escape(&step.name),
                    escape(&step.kind),
                    escape(&step.cloud_path),
                    escape(&step.action),
                    escape(&connection_apps(assessment, step))
                );
            }
            page.push_str("</ul>");
        }
        page.push_str("<ol class=\"steps\">");
        for step in &phase.steps {
            let wave = step
                .wave
                .map_or_else(String::new, |wave| format!(" <small>wave {wave}</small>"));
            let _ = write!(
                page,
                "<li><span class=\"route {}\">{}</span> <strong>{}</strong>{wave}<br>{}</li>",
                route_class(step.route),
                step.action.label(),
                escape(&step.name),
                escape(&step.reason)
            );
        }
        page.push_str("</ol></div>");
    }
    page.push_str("</div></section>\n");
}
