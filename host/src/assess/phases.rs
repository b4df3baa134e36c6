//! The phased plan: the routes of all apps laid out in the phases of a move to Qlik Cloud.
//!
//! Phase 1 retires what nobody needs, moves the apps that nothing blocks and distributes the
//! hybrid apps, so users work in Qlik Cloud while those reloads stay on premises. Phase 2
//! moves the apps that need remediation. Phase 3 sets up gateways and connections and moves
//! the reloads that stayed on premises. Phase 4 converts the QlikView documents whose value is
//! in their user interface. Within a phase, apps keep the order of the migration waves, and an
//! app's reload never moves before the reload of an app whose data it reads.

use std::collections::{BTreeMap, HashMap};

use schemars::JsonSchema;
use serde::Serialize;

use super::Assessment;
use super::needs::connection_action;
use super::routes::{
    AppRoute, PHASE_OFFLOAD, PHASE_PIPELINES, PHASE_REMEDIATE, Route, RoutesConfig, decide,
};
use crate::report::units;

/// Every app's route and the phased plan built from them.
#[derive(Debug, Clone, Default, Serialize, JsonSchema)]
pub struct RoutePlan {
    /// Apps per route, in the order of [`Route::ALL`]; routes with no app are left out.
    pub counts: Vec<RouteCount>,
    /// One entry per app, in the order of the apps.
    pub apps: Vec<AppRoute>,
    /// The phases that have at least one step, in order.
    pub phases: Vec<Phase>,
    /// Data sources that need a gateway, a connection or a new home before the apps that use
    /// them reload in Qlik Cloud, in phase order.
    pub connections: Vec<ConnectionStep>,
}

/// Number of apps on one route.
#[derive(Debug, Clone, Serialize, JsonSchema)]
pub struct RouteCount {
    pub route: Route,
    pub apps: usize,
}

/// One phase of the move.
#[derive(Debug, Clone, Serialize, JsonSchema)]
pub struct Phase {
    /// 1 to 4; a phase with no step is left out but keeps its number.
    pub number: u32,
    pub title: String,
    /// Goal of the phase, in one sentence.
    pub goal: String,
    /// In the order of the migration waves; retirements first.
    pub steps: Vec<PhaseStep>,
    /// Estimated minutes of fixes for the steps of this phase.
    pub effort_minutes: u32,
}

/// One app's step in one phase.
#[derive(Debug, Clone, Serialize, JsonSchema)]
pub struct PhaseStep {
    pub app_id: String,
    pub name: String,
    pub route: Route,
    pub action: PhaseAction,
    pub wave: Option<u32>,
    pub effort_minutes: u32,
    /// Reason for the step and its phase.
    pub reason: String,
}

/// Kind of step an app takes in a phase.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, JsonSchema)]
#[serde(rename_all = "kebab-case")]
pub enum PhaseAction {
    /// Archive the app instead of moving it.
    Retire,
    /// Move the app and its reload to Qlik Cloud.
    Move,
    /// Distribute the app to Qlik Cloud; the reload stays on premises.
    Distribute,
    /// Move the reload of a distributed app to Qlik Cloud.
    MoveReload,
    /// Convert the QlikView document to Qlik Sense and move it.
    Convert,
}

impl PhaseAction {
    /// Name as reports print it.
    pub fn label(self) -> &'static str {
        match self {
            PhaseAction::Retire => "Retire",
            PhaseAction::Move => "Move",
            PhaseAction::Distribute => "Distribute",
            PhaseAction::MoveReload => "Move reload",
            PhaseAction::Convert => "Convert",
        }
    }

    /// Name as CSV writes it.
    pub fn as_str(self) -> &'static str {
        match self {
            PhaseAction::Retire => "retire",
            PhaseAction::Move => "move",
            PhaseAction::Distribute => "distribute",
            PhaseAction::MoveReload => "move-reload",
            PhaseAction::Convert => "convert",
        }
    }
}

/// A data source to prepare before apps reload through it in Qlik Cloud.
#[derive(Debug, Clone, Serialize, JsonSchema)]
pub struct ConnectionStep {
    pub source_id: String,
    pub name: String,
    pub kind: String,
    pub cloud_path: String,
    pub connector: Option<String>,
    /// Setup to do, in one sentence.
    pub action: String,
    /// The earliest phase in which an app that uses it reloads in Qlik Cloud.
    pub phase: u32,
    /// Ids of the apps that reload through it once it is ready; retired apps are left out.
    pub apps: Vec<String>,
}

/// Decides every app's route and lays the routes out in phases.
pub(super) fn plan(assessment: &Assessment, config: &RoutesConfig) -> RoutePlan {
    let mut apps = decide(assessment, config);
    delay_for_lineage(assessment, &mut apps);
    let connections = connection_steps(assessment, &apps);
    let phases = phases(assessment, &apps, config);
    let counts = Route::ALL
        .iter()
        .map(|&route| RouteCount {
            route,
            apps: apps.iter().filter(|a| a.route == route).count(),
        })
        .filter(|count| count.apps > 0)
        .collect();
    RoutePlan {
        counts,
        apps,
        phases,
        connections,
    }
}

/// Raises each app's reload phase to the reload phase of every app whose data it reads, and
/// to phase 3 when one of its own data sources waits for a gateway.
fn delay_for_lineage(assessment: &Assessment, apps: &mut [AppRoute]) {
    let index: HashMap<&str, usize> = assessment
        .apps
        .iter()
        .enumerate()
        .map(|(i, app)| (app.id.as_str(), i))
        .collect();
    let own: Vec<Option<u32>> = apps
        .iter()
        .map(|route| {
            let phase = route.reload_phase?;
            // Sources listed on a route that is not hybrid are the ones a gateway holds.
            let waits_for_gateway = route.route != Route::Hybrid && !route.sources.is_empty();
            Some(if waits_for_gateway {
                phase.max(PHASE_PIPELINES)
            } else {
                phase
            })
        })
        .collect();
    let mut phases = own.clone();
    // Reload phases only rise and are at most 4, so this ends after a few passes, even when
    // apps read each other's data in a cycle.
    loop {
        let mut changed = false;
        for (i, app) in assessment.apps.iter().enumerate() {
            let Some(mut phase) = phases[i] else { continue };
            for producer in &app.reads_from {
                if let Some(&p) = index.get(producer.as_str())
                    && let Some(producer_phase) = phases[p]
                    && producer_phase > phase
                {
                    phase = producer_phase;
                }
            }
            if Some(phase) != phases[i] {
                phases[i] = Some(phase);
                changed = true;
            }
        }
        if !changed {
            break;
        }
    }
    for (i, route) in apps.iter_mut().enumerate() {
        let (Some(own_phase), Some(phase)) = (own[i], phases[i]) else {
            continue;
        };
        route.reload_phase = Some(phase);
        route.waits_for = assessment.apps[i]
            .reads_from
            .iter()
            .filter(|producer| {
                index
                    .get(producer.as_str())
                    .and_then(|&p| phases[p])
                    .is_some_and(|p| p > own_phase)
            })
            .cloned()
            .collect();
        if route.route != Route::Hybrid {
            route.phase = phase;
        }
        if !route.waits_for.is_empty() {
            let names: Vec<&str> = route
                .waits_for
                .iter()
                .map(|id| assessment.app(id).map_or(id.as_str(), |a| a.name.as_str()))
                .collect();
            route.reason.push_str(&format!(
                " It reads data that {} writes, so its reload moves no earlier than theirs, in \
                 phase {phase}.",
                names.join(", ")
            ));
        }
    }
}

fn connection_steps(assessment: &Assessment, apps: &[AppRoute]) -> Vec<ConnectionStep> {
    let reload_phase: HashMap<&str, u32> = apps
        .iter()
        .filter_map(|a| Some((a.app_id.as_str(), a.reload_phase?)))
        .collect();
    let mut steps: Vec<ConnectionStep> = assessment
        .data_sources
        .iter()
        .filter_map(|source| {
            let users: Vec<String> = source
                .apps
                .iter()
                .filter(|id| reload_phase.contains_key(id.as_str()))
                .cloned()
                .collect();
            let phase = users.iter().map(|id| reload_phase[id.as_str()]).min()?;
            Some(ConnectionStep {
                source_id: source.id.clone(),
                name: source.name.clone(),
                kind: source.kind.clone(),
                cloud_path: source.cloud_path.clone(),
                connector: source.connector.clone(),
                action: connection_action(source),
                phase,
                apps: users,
            })
        })
        .collect();
    steps.sort_by(|a, b| (a.phase, &a.name).cmp(&(b.phase, &b.name)));
    steps
}

fn phases(assessment: &Assessment, apps: &[AppRoute], config: &RoutesConfig) -> Vec<Phase> {
    let order: HashMap<&str, u32> = assessment
        .plan
        .waves
        .iter()
        .flat_map(|wave| wave.apps.iter())
        .map(|app| (app.app_id.as_str(), app.order))
        .collect();
    let mut by_phase: BTreeMap<u32, Vec<PhaseStep>> = BTreeMap::new();
    for route in apps {
        for (phase, action) in actions(route) {
            let reason = step_reason(assessment, apps, route, action, config);
            by_phase.entry(phase).or_default().push(PhaseStep {
                app_id: route.app_id.clone(),
                name: route.name.clone(),
                route: route.route,
                action,
                wave: route.wave,
                effort_minutes: match action {
                    PhaseAction::Distribute | PhaseAction::Retire => 0,
                    _ => route.effort_minutes,
                },
                reason,
            });
        }
    }
    by_phase
        .into_iter()
        .map(|(number, mut steps)| {
            steps.sort_by(|a, b| {
                let key = |s: &PhaseStep| {
                    (
                        s.action != PhaseAction::Retire,
                        order.get(s.app_id.as_str()).copied().unwrap_or(u32::MAX),
                        s.name.clone(),
                    )
                };
                key(a).cmp(&key(b))
            });
            let (title, goal) = phase_text(number);
            Phase {
                number,
                title: title.to_owned(),
                goal: goal.to_owned(),
                effort_minutes: steps.iter().map(|s| s.effort_minutes).sum(),
                steps,
            }
        })
        .collect()
}

/// Lists the phases an app appears in, with its action in each.
fn actions(route: &AppRoute) -> Vec<(u32, PhaseAction)> {
    let reload = route.reload_phase.unwrap_or(PHASE_OFFLOAD);
    match route.route {
        Route::Retire => vec![(PHASE_OFFLOAD, PhaseAction::Retire)],
        Route::MigrateNow | Route::MigrateAfterRemediation => vec![(reload, PhaseAction::Move)],
        Route::Hybrid => vec![
            (PHASE_OFFLOAD, PhaseAction::Distribute),
            (reload, PhaseAction::MoveReload),
        ],
        Route::Convert => vec![(reload, PhaseAction::Convert)],
    }
}

fn phase_text(number: u32) -> (&'static str, &'static str) {
    match number {
        PHASE_OFFLOAD => (
            "Retire and offload consumption",
            "Retire what nobody needs, move the apps that nothing blocks, and distribute the \
             hybrid apps so that users work in Qlik Cloud while those reloads stay on premises.",
        ),
        PHASE_REMEDIATE => (
            "Remediate and move",
            "Fix the findings of the apps that need remediation and move them with their \
             reloads, wave by wave.",
        ),
        PHASE_PIPELINES => (
            "Move the data pipelines",
            "Set up the gateways and Qlik Cloud connections, then move the reloads that stayed \
             on premises.",
        ),
        _ => (
            "Convert and finish",
            "Convert the QlikView documents whose value is in their user interface, move the \
             last reloads, and switch off the on-premises servers.",
        ),
    }
}

fn step_reason(
    assessment: &Assessment,
    apps: &[AppRoute],
    route: &AppRoute,
    action: PhaseAction,
    config: &RoutesConfig,
) -> String {
    let codes: Vec<&str> = route.findings.iter().map(|f| f.rule.as_str()).collect();
    let effort = units::minutes(route.effort_minutes);
    let mut text = match action {
        PhaseAction::Retire => route.reason.clone(),
        PhaseAction::Move if route.route == Route::MigrateNow => {
            "nothing blocks the move".to_owned()
        }
        PhaseAction::Move if codes.is_empty() => "after a complete check".to_owned(),
        PhaseAction::Move => format!("after fixing {} (about {effort})", codes.join(", ")),
        PhaseAction::Distribute => {
            let mut causes: Vec<String> = route.sources.iter().map(|s| s.name.clone()).collect();
            causes.extend(codes.iter().map(|c| (*c).to_owned()));
            format!(
                "users move to Qlik Cloud now; the reload stays on premises because of {}",
                causes.join(", ")
            )
        }
        PhaseAction::MoveReload => {
            let mut parts = Vec::new();
            if !route.sources.is_empty() {
                let names: Vec<&str> = route.sources.iter().map(|s| s.name.as_str()).collect();
                parts.push(format!("{} reachable from Qlik Cloud", names.join(", ")));
            }
            if !codes.is_empty() {
                parts.push(format!("{} fixed (about {effort})", codes.join(", ")));
            }
            format!("once {}", parts.join(" and "))
        }
        PhaseAction::Convert => {
            let (ui, rest): (Vec<&str>, Vec<&str>) = codes
                .iter()
                .partition(|code| config.convert_rules.iter().any(|c| c == *code));
            let mut text = format!("rebuild {} in Qlik Sense", ui.join(", "));
            if !rest.is_empty() {
                text.push_str(&format!(" and fix {}", rest.join(", ")));
            }
            text.push_str(&format!(" (about {effort})"));
            text
        }
    };
    if route.route != Route::Hybrid && route.route != Route::Retire && !route.sources.is_empty() {
        let names: Vec<&str> = route.sources.iter().map(|s| s.name.as_str()).collect();
        text.push_str(&format!(
            "; its reload needs {} reachable from Qlik Cloud first",
            names.join(", ")
        ));
    }
    if action != PhaseAction::Distribute && !route.waits_for.is_empty() {
        let names: Vec<String> = route
            .waits_for
            .iter()
            .map(|id| {
                let name = assessment.app(id).map_or(id.as_str(), |a| a.name.as_str());
                let phase = assessment
                    .app_position(id)
                    .and_then(|i| apps.get(i))
                    .filter(|a| &a.app_id == id)
                    .and_then(|a| a.reload_phase);
                match phase {
                    Some(phase) => format!("{name} (reload in phase {phase})"),
                    None => name.to_owned(),
                }
            })
            .collect();
        text.push_str(&format!(
            "; its reload waits for {}, whose data it reads",
            names.join(", ")
        ));
    }
    text
}
