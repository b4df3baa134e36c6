//! Reload tasks: chains and the number of tasks per app.

use qready_plugin_sdk::estate::{AppDetails, TriggerState};
use qready_plugin_sdk::{PluginError, Rule, RuleFindings, Severity};
use serde::Deserialize;

const CAPACITY: &str = "https://help.qlik.com/en-US/cloud-services/Subsystems/Hub/Content/Sense_Hub/Introduction/qcs-specs-capacity.htm";

/// Flags reload tasks that other tasks start.
pub const TASK_CHAIN: Rule = Rule {
    code: "QC404",
    name: "reload-task-chain",
    title: "Reload task runs when another task ends",
    severity: Severity::Warning,
    category: "governance",
    rationale: "Task-event triggers chain reloads on the client-managed site. Qlik Cloud reload \
                tasks can start when another task succeeds or fails, and Qlik Automate can chain \
                reloads on the reload-finished event, but the chain must be rebuilt by hand. An \
                external program task in the chain has no Qlik Cloud counterpart at all, so \
                that hit is a blocker.",
    remediation: "Recreate the chain as event-based Qlik Cloud reload tasks, or as an automation, \
                  after the upstream apps are migrated. Replace external programs with \
                  automations or jobs outside Qlik.",
    effort_minutes: 30,
    reference_url: "https://qlik.dev/manage/analytics-applications/task-chaining-automations/",
    bad_example: "Task 'Reload Finance' triggered when 'Reload Sales' succeeds",
    good_example: "A Qlik Cloud reload task for Finance on the event 'Sales reload succeeded'.",
};

/// Flags apps with more reload tasks than Qlik Cloud allows per app.
pub const TOO_MANY_TASKS: Rule = Rule {
    code: "QC405",
    name: "too-many-tasks",
    title: "App has more reload tasks than Qlik Cloud allows",
    severity: Severity::Blocker,
    category: "governance",
    rationale: "Qlik Cloud allows at most 10 scheduled reload tasks per app, on every tier.\n\n\
                Option: `max-tasks` (all tiers, default 10).",
    remediation: "Merge schedules into fewer tasks, or drive the extra reloads from an \
                  automation.",
    effort_minutes: 30,
    reference_url: CAPACITY,
    bad_example: "12 reload tasks on one app",
    good_example: "One daily task and one event-based task.",
};

/// Options of [`TOO_MANY_TASKS`].
#[derive(Debug, Deserialize)]
#[serde(default, deny_unknown_fields, rename_all = "kebab-case")]
pub struct TaskOptions {
    /// Reload tasks allowed per app, on all tiers.
    pub max_tasks: u32,
}

impl Default for TaskOptions {
    fn default() -> Self {
        TaskOptions { max_tasks: 10 }
    }
}

pub fn task_chains(details: &AppDetails, hits: &mut RuleFindings<'_>) -> Result<(), PluginError> {
    for task in &details.tasks {
        for upstream in &task.upstream {
            let name = upstream.task_name.as_deref().unwrap_or(&upstream.task_id);
            let on = match upstream.on {
                TriggerState::Success => "succeeds",
                TriggerState::Fail => "fails",
                TriggerState::Other => "ends",
            };
            let external = upstream.task_type == Some(1);
            let finding = hits
                .report(format!(
                    "task '{}' runs when {}'{name}' {on}; rebuild the chain in Qlik Cloud",
                    task.name,
                    if external {
                        "external program task "
                    } else {
                        ""
                    }
                ))
                .located(task.location.clone());
            if external {
                finding.severity(Severity::Blocker);
            }
        }
    }
    Ok(())
}

pub fn too_many_tasks(
    details: &AppDetails,
    options: &TaskOptions,
    hits: &mut RuleFindings<'_>,
) -> Result<(), PluginError> {
    let count = details.tasks.len() as u32;
    if count > options.max_tasks {
        hits.report(format!(
            "{count} reload tasks, more than the {} Qlik Cloud allows per app",
            options.max_tasks
        ))
        .located(details.tasks.first().and_then(|t| t.location.clone()));
    }
    Ok(())
}
