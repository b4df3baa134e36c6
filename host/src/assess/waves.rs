//! Migration waves: apps that write QVDs or files move before the apps that read them, ready
//! and heavily used apps first, and each dependency cycle moves as one.
//!
//! Each app starts at the wave of its status: ready apps in the first, apps that need
//! remediation in the second, blocked apps in the third. An app then moves no earlier than any app it reads
//! from, so a ready consumer of a blocked producer waits for the producer. Apps that read each
//! other's data, directly or through others, form a strongly connected component of the lineage
//! graph; such a cycle gets one wave. Wave numbers that stay empty are dropped.

use std::cmp::Reverse;
use std::collections::{BTreeSet, BinaryHeap, HashMap};

use schemars::JsonSchema;
use serde::Serialize;

use super::{AppStatus, AppSummary};
use crate::model::Estate;

/// The apps to move, in waves.
#[derive(Debug, Clone, Default, Serialize, JsonSchema)]
pub struct MigrationPlan {
    pub waves: Vec<Wave>,
    /// Apps that read each other's data in a circle; each cycle moves in one wave.
    pub cycles: Vec<DependencyCycle>,
    /// Ids of the retire candidates left out of the plan, because no app to move reads their
    /// data.
    pub left_out: Vec<String>,
}

/// Apps that move together.
#[derive(Debug, Clone, Serialize, JsonSchema)]
pub struct Wave {
    /// 1 for the first wave.
    pub number: u32,
    /// In the order to move them.
    pub apps: Vec<WaveApp>,
    pub effort_minutes: u32,
}

/// An app's place in the plan.
#[derive(Debug, Clone, Serialize, JsonSchema)]
pub struct WaveApp {
    /// Position in the whole plan, 1 for the first app to move.
    pub order: u32,
    pub app_id: String,
    pub name: String,
    pub status: AppStatus,
    pub sessions: Option<u64>,
    pub effort_minutes: u32,
    /// Ids of the apps in the plan that write what this app reads, outside its own cycle.
    pub waits_for: Vec<String>,
    /// Index into [`MigrationPlan::cycles`] when the app is part of a cycle.
    pub cycle: Option<usize>,
    /// Reason for the app's wave, in words.
    pub reason: String,
}

/// Apps that depend on each other's data in a circle.
#[derive(Debug, Clone, Serialize, JsonSchema)]
pub struct DependencyCycle {
    /// Ids of the apps, sorted.
    pub apps: Vec<String>,
    pub wave: u32,
}

/// Builds the plan and stores each app's wave number in `apps`.
pub(super) fn plan(estate: &Estate, apps: &mut [AppSummary]) -> MigrationPlan {
    let index: HashMap<&str, usize> = apps
        .iter()
        .enumerate()
        .map(|(i, app)| (app.id.as_str(), i))
        .collect();
    let included: Vec<bool> = apps
        .iter()
        .map(|app| {
            app.status != AppStatus::RetireCandidate
                || app.feeds.iter().any(|id| {
                    index
                        .get(id.as_str())
                        .is_some_and(|&i| apps[i].status != AppStatus::RetireCandidate)
                })
        })
        .collect();

    let mut successors: Vec<BTreeSet<usize>> = vec![BTreeSet::new(); apps.len()];
    for edge in &estate.lineage {
        let (Some(&writer), Some(&reader)) = (
            index.get(edge.writer_app_id.as_str()),
            index.get(edge.reader_app_id.as_str()),
        ) else {
            continue;
        };
        if writer != reader && included[writer] && included[reader] {
            successors[writer].insert(reader);
        }
    }

    let mut predecessors: Vec<Vec<usize>> = vec![Vec::new(); apps.len()];
    for (writer, readers) in successors.iter().enumerate() {
        for &reader in readers {
            predecessors[reader].push(writer);
        }
    }

    let components = strongly_connected(&successors, &included);
    let mut component_of = vec![usize::MAX; apps.len()];
    for (c, members) in components.iter().enumerate() {
        for &member in members {
            component_of[member] = c;
        }
    }
    let mut component_successors: Vec<BTreeSet<usize>> = vec![BTreeSet::new(); components.len()];
    let mut component_predecessors = vec![0usize; components.len()];
    for (app, targets) in successors.iter().enumerate() {
        for &target in targets {
            let (from, to) = (component_of[app], component_of[target]);
            if from != to && component_successors[from].insert(to) {
                component_predecessors[to] += 1;
            }
        }
    }

    let levels = component_levels(
        apps,
        &components,
        &component_successors,
        &component_predecessors,
    );
    let mut distinct: Vec<u32> = levels.clone();
    distinct.sort_unstable();
    distinct.dedup();
    let wave_of_level =
        |level: u32| distinct.iter().position(|&l| l == level).unwrap_or(0) as u32 + 1;

    let mut cycles = Vec::new();
    let mut cycle_of_component = vec![None; components.len()];
    for (c, members) in components.iter().enumerate() {
        if members.len() > 1 {
            let mut ids: Vec<String> = members.iter().map(|&m| apps[m].id.clone()).collect();
            ids.sort();
            cycle_of_component[c] = Some(cycles.len());
            cycles.push(DependencyCycle {
                apps: ids,
                wave: wave_of_level(levels[c]),
            });
        }
    }

    let order = move_order(
        apps,
        &components,
        &component_successors,
        component_predecessors,
        &levels,
    );
    let mut waves: Vec<Wave> = Vec::new();
    let mut assigned: Vec<(usize, u32)> = Vec::with_capacity(apps.len());
    let mut position = 0u32;
    for c in order {
        let wave_number = wave_of_level(levels[c]);
        let mut members = components[c].clone();
        members.sort_by(|&a, &b| priority(&apps[a]).cmp(&priority(&apps[b])));
        for member in members {
            position += 1;
            assigned.push((member, wave_number));
            let app = &apps[member];
            let waits_for: Vec<usize> = predecessors[member]
                .iter()
                .copied()
                .filter(|&p| component_of[p] != c)
                .collect();
            let reason = reason(
                apps,
                member,
                &components[c],
                &waits_for,
                &levels,
                &component_of,
                &wave_of_level,
            );
            let entry = WaveApp {
                order: position,
                app_id: app.id.clone(),
                name: app.name.clone(),
                status: app.status,
                sessions: app.usage.as_ref().map(|usage| usage.sessions),
                effort_minutes: app.effort_minutes,
                waits_for: waits_for.iter().map(|&p| apps[p].id.clone()).collect(),
                cycle: cycle_of_component[c],
                reason,
            };
            if waves.last().is_none_or(|wave| wave.number != wave_number) {
                waves.push(Wave {
                    number: wave_number,
                    apps: Vec::new(),
                    effort_minutes: 0,
                });
            }
            let wave = waves.last_mut().expect("a wave was just pushed");
            wave.effort_minutes += entry.effort_minutes;
            wave.apps.push(entry);
        }
    }
    for (member, wave_number) in assigned {
        apps[member].wave = Some(wave_number);
    }
    MigrationPlan {
        waves,
        cycles,
        left_out: apps
            .iter()
            .zip(&included)
            .filter(|(_, included)| !**included)
            .map(|(app, _)| app.id.clone())
            .collect(),
    }
}

/// Returns the wave an app would get on its own: 1 ready, 2 warnings only or a pack failure,
/// 3 blockers.
fn status_level(app: &AppSummary) -> u32 {
    if app.blockers > 0 {
        3
    } else if app.warnings > 0 || app.pack_failures > 0 {
        2
    } else {
        1
    }
}

/// Sort key within a component or among available components: most sessions, best score, id.
fn priority(app: &AppSummary) -> (Reverse<u64>, Reverse<u32>, &str) {
    let sessions = app.usage.as_ref().map_or(0, |usage| usage.sessions);
    (Reverse(sessions), Reverse(app.score.value), app.id.as_str())
}

/// Level of each component: the highest status level of its apps, raised to the level of every
/// component it reads from.
fn component_levels(
    apps: &[AppSummary],
    components: &[Vec<usize>],
    successors: &[BTreeSet<usize>],
    predecessors: &[usize],
) -> Vec<u32> {
    let mut levels: Vec<u32> = components
        .iter()
        .map(|members| {
            members
                .iter()
                .map(|&m| status_level(&apps[m]))
                .max()
                .unwrap_or(1)
        })
        .collect();
    let mut remaining = predecessors.to_vec();
    let mut ready: Vec<usize> = (0..components.len())
        .filter(|&c| remaining[c] == 0)
        .collect();
    while let Some(c) = ready.pop() {
        for &next in &successors[c] {
            levels[next] = levels[next].max(levels[c]);
            remaining[next] -= 1;
            if remaining[next] == 0 {
                ready.push(next);
            }
        }
    }
    levels
}

/// Orders the components so that each comes after every component it reads from, taking the
/// lowest level first and, within a level, the most used and best scoring first.
fn move_order(
    apps: &[AppSummary],
    components: &[Vec<usize>],
    successors: &[BTreeSet<usize>],
    mut remaining: Vec<usize>,
    levels: &[u32],
) -> Vec<usize> {
    let key = |c: usize| {
        let best = components[c]
            .iter()
            .map(|&m| priority(&apps[m]))
            .min()
            .expect("a component has at least one app");
        let (sessions, score, id) = best;
        Reverse((levels[c], sessions, score, id.to_owned(), c))
    };
    let mut heap: BinaryHeap<_> = (0..components.len())
        .filter(|&c| remaining[c] == 0)
        .map(key)
        .collect();
    let mut order = Vec::with_capacity(components.len());
    while let Some(Reverse((_, _, _, _, c))) = heap.pop() {
        order.push(c);
        for &next in &successors[c] {
            remaining[next] -= 1;
            if remaining[next] == 0 {
                heap.push(key(next));
            }
        }
    }
    order
}

fn reason(
    apps: &[AppSummary],
    member: usize,
    component: &[usize],
    waits_for: &[usize],
    levels: &[u32],
    component_of: &[usize],
    wave_of_level: &dyn Fn(u32) -> u32,
) -> String {
    let app = &apps[member];
    let mut text = match app.status {
        AppStatus::Ready => "ready".to_owned(),
        AppStatus::NeedsRemediation if app.warnings == 0 => {
            "after a complete check, since a pack failed on it".to_owned()
        }
        AppStatus::NeedsRemediation => "after its warnings are fixed".to_owned(),
        AppStatus::Blocked => "after its blockers are fixed".to_owned(),
        AppStatus::RetireCandidate => "retire candidate that other apps read from".to_owned(),
    };
    if component.len() > 1 {
        let others: Vec<&str> = component
            .iter()
            .filter(|&&m| m != member)
            .map(|&m| apps[m].name.as_str())
            .collect();
        text.push_str(&format!(
            "; in a dependency cycle with {}, so they move together",
            others.join(", ")
        ));
    }
    let own_level = levels[component_of[member]];
    let latest = waits_for
        .iter()
        .filter(|&&p| levels[component_of[p]] == own_level)
        .max_by_key(|&&p| apps[p].name.as_str());
    if own_level > status_level(app)
        && let Some(&producer) = latest
    {
        text.push_str(&format!(
            "; waits for {} (wave {}), whose data it reads",
            apps[producer].name,
            wave_of_level(own_level)
        ));
    } else if !waits_for.is_empty() {
        let names: Vec<&str> = waits_for.iter().map(|&p| apps[p].name.as_str()).collect();
        text.push_str(&format!(
            "; after {}, whose data it reads",
            names.join(", ")
        ));
    }
    text
}

/// Tarjan's algorithm without recursion, so deep lineage chains cannot overflow the stack.
/// Returns the components of the included nodes; each lists its nodes.
fn strongly_connected(successors: &[BTreeSet<usize>], included: &[bool]) -> Vec<Vec<usize>> {
    const UNVISITED: usize = usize::MAX;
    let n = successors.len();
    let mut index = vec![UNVISITED; n];
    let mut low = vec![0usize; n];
    let mut on_stack = vec![false; n];
    let mut stack = Vec::new();
    let mut components = Vec::new();
    let mut next_index = 0usize;
    let adjacency: Vec<Vec<usize>> = successors
        .iter()
        .map(|s| s.iter().copied().collect())
        .collect();

    for root in 0..n {
        if !included[root] || index[root] != UNVISITED {
            continue;
        }
        // Each frame is a node and the position of the next successor to visit.
        let mut frames = vec![(root, 0usize)];
        index[root] = next_index;
        low[root] = next_index;
        next_index += 1;
        stack.push(root);
        on_stack[root] = true;
        while let Some(frame) = frames.last_mut() {
            let node = frame.0;
            if let Some(&next) = adjacency[node].get(frame.1) {
                frame.1 += 1;
                if index[next] == UNVISITED {
                    index[next] = next_index;
                    low[next] = next_index;
                    next_index += 1;
                    stack.push(next);
                    on_stack[next] = true;
                    frames.push((next, 0));
                } else if on_stack[next] {
                    low[node] = low[node].min(index[next]);
                }
                continue;
            }
            frames.pop();
            if let Some(&(parent, _)) = frames.last() {
                low[parent] = low[parent].min(low[node]);
            }
            if low[node] == index[node] {
                let mut component = Vec::new();
                while let Some(member) = stack.pop() {
                    on_stack[member] = false;
                    component.push(member);
                    if member == node {
                        break;
                    }
                }
                component.sort_unstable();
                components.push(component);
            }
        }
    }
    components
}

#[cfg(test)]
mod tests {
    use super::*;

    fn graph(n: usize, edges: &[(usize, usize)]) -> Vec<BTreeSet<usize>> {
        let mut successors = vec![BTreeSet::new(); n];
        for &(from, to) in edges {
            successors[from].insert(to);
        }
        successors
    }

    #[test]
    fn tarjan_finds_cycle_and_singletons() {
        let successors = graph(5, &[(0, 1), (1, 2), (2, 0), (2, 3)]);
        let mut components = strongly_connected(&successors, &[true; 5]);
        components.sort();
        assert_eq!(components, vec![vec![0, 1, 2], vec![3], vec![4]]);
    }

    #[test]
    fn tarjan_skips_excluded_nodes() {
        let successors = graph(3, &[(0, 1)]);
        let components = strongly_connected(&successors, &[true, true, false]);
        assert_eq!(components.len(), 2);
    }

    #[test]
    fn tarjan_handles_long_chain() {
        let n = 100_000;
        let edges: Vec<(usize, usize)> = (0..n - 1).map(|i| (i, i + 1)).collect();
        let components = strongly_connected(&graph(n, &edges), &vec![true; n]);
        assert_eq!(components.len(), n);
    }
}
