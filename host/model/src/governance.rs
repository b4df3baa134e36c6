//! Site-level entities of a Qlik Sense repository: streams, tasks, users, rules, properties.

use schemars::JsonSchema;
use serde::Serialize;

use crate::app::{ExtensionUse, UserRef};
use crate::provenance::Provenance;

/// The Qlik Sense site the repository exports came from.
#[derive(Debug, Clone, Serialize, JsonSchema)]
pub struct Site {
    /// Host name of the repository server.
    pub host: String,
    /// When the exports were pulled, RFC 3339.
    pub collected_at: Option<String>,
    pub provenance: Provenance,
}

/// A Qlik Sense stream.
#[derive(Debug, Clone, Serialize, JsonSchema)]
pub struct Stream {
    pub id: String,
    pub name: String,
    pub owner: Option<UserRef>,
    pub tags: Vec<String>,
    pub custom_properties: Vec<CustomPropertyValue>,
    /// Ids of the apps published to it.
    pub app_ids: Vec<String>,
    pub provenance: Vec<Provenance>,
}

/// The value of a custom property on an entity.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, JsonSchema)]
pub struct CustomPropertyValue {
    pub name: String,
    pub value: String,
}

/// A custom property definition.
#[derive(Debug, Clone, Serialize, JsonSchema)]
pub struct CustomPropertyDefinition {
    pub id: String,
    pub name: String,
    pub value_type: Option<String>,
    pub choice_values: Vec<String>,
    /// Entity types the property applies to, e.g. `App`, `Stream`.
    pub object_types: Vec<String>,
    pub provenance: Provenance,
}

/// A Qlik Sense extension.
#[derive(Debug, Clone, Serialize, JsonSchema)]
pub struct Extension {
    /// QRS GUID, or `extension:<name>` for an extension known only from objects that use it.
    pub id: String,
    pub name: String,
    pub owner: Option<UserRef>,
    pub tags: Vec<String>,
    /// Whether the repository lists the extension. False for visualizations seen in apps with
    /// no extension record.
    pub installed: bool,
    pub used_by: Vec<ExtensionUse>,
    pub provenance: Vec<Provenance>,
}

/// State of an upstream task that fires a task-event trigger.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Serialize, JsonSchema)]
#[serde(rename_all = "kebab-case")]
pub enum TriggerState {
    Success,
    Fail,
    Other,
}

/// A reload task (QRS `reloadtask`; `taskType` 0 reload, 1 external program, 2 user
/// synchronization, 3 distribution).
#[derive(Debug, Clone, Serialize, JsonSchema)]
pub struct ReloadTask {
    pub id: String,
    pub name: String,
    pub task_type: Option<i64>,
    pub app_id: Option<String>,
    pub app_name: Option<String>,
    pub enabled: Option<bool>,
    pub is_manually_triggered: Option<bool>,
    pub is_partial_reload: Option<bool>,
    pub session_timeout_minutes: Option<i64>,
    pub max_retries: Option<i64>,
    pub last_execution: Option<TaskExecution>,
    pub triggers: Vec<TaskTrigger>,
    pub tags: Vec<String>,
    pub custom_properties: Vec<CustomPropertyValue>,
    pub provenance: Vec<Provenance>,
}

/// The last execution of a task.
#[derive(Debug, Clone, Serialize, JsonSchema)]
pub struct TaskExecution {
    /// QRS TaskExecutionStatus: 7 FinishedSuccess, 8 FinishedFail, and so on.
    pub status: Option<i64>,
    pub start_time: Option<String>,
    pub stop_time: Option<String>,
    /// Duration in milliseconds.
    pub duration_ms: Option<i64>,
    pub executing_node: Option<String>,
}

/// A trigger of a reload task.
#[derive(Debug, Clone, Serialize, JsonSchema)]
#[serde(tag = "type", rename_all = "kebab-case")]
pub enum TaskTrigger {
    /// A scheduled trigger (QRS `schemaevent`).
    Schedule {
        id: String,
        name: Option<String>,
        enabled: Option<bool>,
        /// QRS `incrementOption`: 0 once, 1 hourly, 2 daily, 3 weekly, 4 monthly, 5 custom.
        increment_option: Option<i64>,
        /// `minutes hours days weeks` between runs, e.g. `0 0 1 0`.
        increment_description: Option<String>,
        start_date: Option<String>,
        expiration_date: Option<String>,
        time_zone: Option<String>,
        filter_description: Vec<String>,
        provenance: Provenance,
    },
    /// A task-event trigger (QRS `compositeevent`): runs when other tasks end.
    TaskEvent {
        id: String,
        name: Option<String>,
        enabled: Option<bool>,
        /// Window within which all rules must be met, in minutes.
        time_constraint_minutes: Option<i64>,
        rules: Vec<CompositeRule>,
        provenance: Provenance,
    },
}

/// One condition of a task-event trigger.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, JsonSchema)]
pub struct CompositeRule {
    pub upstream_task_id: String,
    pub state: TriggerState,
}

/// A task chain edge.
#[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord, Serialize, JsonSchema)]
pub struct TaskChainLink {
    pub upstream_task_id: String,
    pub downstream_task_id: String,
    pub on: TriggerState,
}

/// A repository user.
#[derive(Debug, Clone, Serialize, JsonSchema)]
pub struct User {
    pub id: String,
    pub user_directory: String,
    pub user_id: String,
    pub name: Option<String>,
    pub roles: Vec<String>,
    pub inactive: Option<bool>,
    pub removed_externally: Option<bool>,
    pub blacklisted: Option<bool>,
    pub provenance: Provenance,
}

/// A security rule (QRS `systemrule`).
#[derive(Debug, Clone, Serialize, JsonSchema)]
pub struct SecurityRule {
    pub id: String,
    pub name: String,
    /// `Security`, `License` or `Sync`.
    pub category: Option<String>,
    /// `Custom` for rules an administrator wrote, `Default` or `Read only` for shipped ones.
    pub rule_type: Option<String>,
    pub rule: String,
    pub resource_filter: Option<String>,
    /// Bitmask of the actions the rule grants.
    pub actions: Option<i64>,
    /// `BothQlikSenseAndQMC`, `QlikSenseOnly` or `QMCOnly`.
    pub context: Option<String>,
    pub disabled: Option<bool>,
    pub comment: Option<String>,
    pub provenance: Provenance,
}
