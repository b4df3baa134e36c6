//! Qlik Sense Repository Service (QRS) API JSON: `app/full`, `dataconnection/full`,
//! `extension/full`, `reloadtask/full`, `schemaevent/full`, `compositeevent/full`,
//! `stream/full`, `custompropertydefinition/full`, `app/object/full`, `systemrule/full` and
//! `user/full`.
//!
//! The kind of a file is read from its records: the `schemaPath` QRS writes on every full
//! entity, else the fields only that entity has. File names are not used.

use std::path::Path;

use qready_model::{
    App, AppObject, CompositeRule, CustomPropertyDefinition, DataConnection, Extension,
    InputFormat, InputProblem, Product, Provenance, ReloadTask, SecurityRule, Stream,
    TaskExecution, TaskTrigger, TriggerState, User, derived_id,
};
use serde_json::Value;

use crate::collected::{Collected, TaskTriggerRecord};
use crate::json::{
    array, bool_field, custom_properties, i64_field, nested_id, non_empty, owner, str_field,
    strings, tags, u64_field,
};
use crate::redact;

/// Entity kind of a QRS export.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum QrsKind {
    App,
    AppObject,
    DataConnection,
    Extension,
    ReloadTask,
    SchemaEvent,
    CompositeEvent,
    Stream,
    CustomPropertyDefinition,
    SystemRule,
    User,
}

/// Recognizes a QRS export by its first record, or returns None for other JSON.
pub fn detect(value: &Value) -> Option<QrsKind> {
    let first = match value {
        Value::Array(items) => items.iter().find(|item| item.is_object())?,
        Value::Object(_) => value,
        _ => return None,
    };
    // A gitoqlok tasks.json wraps each task as `{"task": {...}}`.
    if let Some(task) = first.get("task").filter(|t| t.is_object()) {
        return detect(task).filter(|kind| *kind == QrsKind::ReloadTask);
    }
    if let Some(schema_path) = first.get("schemaPath").and_then(Value::as_str) {
        let kind = match schema_path.to_ascii_lowercase().as_str() {
            "app" => QrsKind::App,
            "app.object" => QrsKind::AppObject,
            "dataconnection" => QrsKind::DataConnection,
            "extension" => QrsKind::Extension,
            "reloadtask" => QrsKind::ReloadTask,
            "schemaevent" => QrsKind::SchemaEvent,
            "compositeevent" => QrsKind::CompositeEvent,
            "stream" => QrsKind::Stream,
            "custompropertydefinition" => QrsKind::CustomPropertyDefinition,
            "systemrule" => QrsKind::SystemRule,
            "user" => QrsKind::User,
            _ => return None,
        };
        return Some(kind);
    }
    let has = |key: &str| first.get(key).is_some();
    let kind = if has("connectionstring") && has("type") {
        QrsKind::DataConnection
    } else if has("taskType") && has("app") {
        QrsKind::ReloadTask
    } else if has("compositeRules") {
        QrsKind::CompositeEvent
    } else if has("incrementOption") || has("schemaFilterDescription") {
        QrsKind::SchemaEvent
    } else if has("resourceFilter") && has("rule") {
        QrsKind::SystemRule
    } else if has("engineObjectType") && has("app") {
        QrsKind::AppObject
    } else if has("objectTypes") && has("valueType") {
        QrsKind::CustomPropertyDefinition
    } else if has("userDirectory") && has("userId") && has("roles") {
        QrsKind::User
    } else if has("publishTime") && (has("fileSize") || has("appId") || has("stream")) {
        QrsKind::App
    } else if has("references") && has("whiteList") {
        QrsKind::Extension
    } else {
        return None;
    };
    Some(kind)
}

/// Reads the records of a QRS export of the given kind into `out`.
pub fn read(path: &Path, kind: QrsKind, value: &Value, out: &mut Collected) {
    let records: Vec<&Value> = match value {
        Value::Array(items) => items.iter().collect(),
        other => vec![other],
    };
    for (index, record) in records.into_iter().enumerate() {
        let record = record
            .get("task")
            .filter(|t| t.is_object())
            .unwrap_or(record);
        if !record.is_object() {
            out.problems.push(InputProblem::new(
                path,
                format!("record {index} is not a JSON object; it was skipped"),
            ));
            continue;
        }
        let provenance = Provenance::file(path, InputFormat::QrsJson);
        let Some(id) = non_empty(record, "id") else {
            out.problems.push(InputProblem::new(
                path,
                format!("record {index} has no string `id`; it was skipped"),
            ));
            continue;
        };
        match kind {
            QrsKind::App => out.apps.push(app(id, record, provenance)),
            QrsKind::AppObject => {
                if let Some(app_id) = nested_id(record, "app") {
                    out.app_objects
                        .push((app_id, app_object(id, record, provenance)));
                }
            }
            QrsKind::DataConnection => out.connections.push(connection(id, record, provenance)),
            QrsKind::Extension => out.extensions.push(extension(id, record, provenance)),
            QrsKind::ReloadTask => out.tasks.push(reload_task(id, record, provenance)),
            QrsKind::SchemaEvent => out.triggers.push(schema_event(id, record, provenance)),
            QrsKind::CompositeEvent => out.triggers.push(composite_event(id, record, provenance)),
            QrsKind::Stream => out.streams.push(stream(id, record, provenance)),
            QrsKind::CustomPropertyDefinition => {
                out.custom_properties.push(CustomPropertyDefinition {
                    id,
                    name: non_empty(record, "name").unwrap_or_default(),
                    value_type: non_empty(record, "valueType"),
                    choice_values: strings(record, "choiceValues"),
                    object_types: strings(record, "objectTypes"),
                    provenance,
                })
            }
            QrsKind::SystemRule => out.security_rules.push(system_rule(id, record, provenance)),
            QrsKind::User => out.users.push(User {
                id,
                user_directory: non_empty(record, "userDirectory").unwrap_or_default(),
                user_id: non_empty(record, "userId").unwrap_or_default(),
                name: non_empty(record, "name"),
                roles: strings(record, "roles"),
                inactive: bool_field(record, "inactive"),
                removed_externally: bool_field(record, "removedExternally"),
                blacklisted: bool_field(record, "blacklisted"),
                provenance,
            }),
        }
    }
}

fn app(id: String, record: &Value, provenance: Provenance) -> App {
    let name = non_empty(record, "name").unwrap_or_else(|| id.clone());
    let mut app = App::new(
        id.clone(),
        name,
        Product::QlikSense,
        provenance.path.clone(),
    );
    app.guid = Some(id);
    app.stream_id = nested_id(record, "stream");
    app.owner = owner(record);
    app.published = bool_field(record, "published");
    app.publish_time = non_empty(record, "publishTime");
    app.last_reload_time = non_empty(record, "lastReloadTime");
    app.file_size = u64_field(record, "fileSize");
    app.static_byte_size = u64_field(record, "staticByteSize");
    app.saved_in_product_version = non_empty(record, "savedInProductVersion");
    app.description = non_empty(record, "description");
    app.tags = tags(record);
    app.custom_properties = custom_properties(record);
    app.provenance.push(provenance);
    app
}

fn app_object(id: String, record: &Value, provenance: Provenance) -> AppObject {
    let object_type = non_empty(record, "engineObjectType")
        .or_else(|| non_empty(record, "objectType"))
        .unwrap_or_default();
    AppObject {
        id: non_empty(record, "engineObjectId").unwrap_or(id),
        visualization: None,
        title: non_empty(record, "name"),
        sheet_id: None,
        is_extension: false,
        object_type,
        provenance,
    }
}

/// Builds a connection record with its credentials masked.
pub fn connection(id: String, record: &Value, provenance: Provenance) -> DataConnection {
    let raw = str_field(record, "connectionstring").unwrap_or_default();
    let mut connection = masked_connection(
        id,
        non_empty(record, "name").unwrap_or_default(),
        non_empty(record, "type").unwrap_or_default(),
        raw,
        non_empty(record, "username").is_some(),
        provenance,
    );
    connection.owner = owner(record);
    connection.tags = tags(record);
    connection
}

/// Masks a connection string and builds the connection record.
pub fn masked_connection(
    id: String,
    name: String,
    connection_type: String,
    mut connection_string: String,
    has_username: bool,
    provenance: Provenance,
) -> DataConnection {
    let had_credentials = redact::mask_in_place(&mut connection_string);
    DataConnection {
        id,
        name,
        connection_type,
        connection_string,
        has_username,
        had_credentials,
        owner: None,
        tags: Vec::new(),
        provenance: vec![provenance],
    }
}

fn extension(id: String, record: &Value, provenance: Provenance) -> Extension {
    Extension {
        id,
        name: non_empty(record, "name").unwrap_or_default(),
        owner: owner(record),
        tags: tags(record),
        installed: true,
        used_by: Vec::new(),
        provenance: vec![provenance],
    }
}

fn reload_task(id: String, record: &Value, provenance: Provenance) -> ReloadTask {
    let last_execution = record
        .get("operational")
        .and_then(|operational| operational.get("lastExecutionResult"))
        .filter(|result| result.is_object())
        .map(|result| TaskExecution {
            status: i64_field(result, "status"),
            start_time: non_empty(result, "startTime"),
            stop_time: non_empty(result, "stopTime"),
            duration_ms: i64_field(result, "duration"),
            executing_node: non_empty(result, "executingNodeName"),
        });
    ReloadTask {
        id,
        name: non_empty(record, "name").unwrap_or_default(),
        task_type: i64_field(record, "taskType"),
        app_id: nested_id(record, "app"),
        app_name: record.get("app").and_then(|app| non_empty(app, "name")),
        enabled: bool_field(record, "enabled"),
        is_manually_triggered: bool_field(record, "isManuallyTriggered"),
        is_partial_reload: bool_field(record, "isPartialReload"),
        session_timeout_minutes: i64_field(record, "taskSessionTimeout"),
        max_retries: i64_field(record, "maxRetries"),
        last_execution,
        triggers: Vec::new(),
        tags: tags(record),
        custom_properties: custom_properties(record),
        provenance: vec![provenance],
    }
}

fn schema_event(id: String, record: &Value, provenance: Provenance) -> TaskTriggerRecord {
    TaskTriggerRecord {
        task_id: nested_id(record, "reloadTask")
            .or_else(|| nested_id(record, "externalProgramTask")),
        trigger: TaskTrigger::Schedule {
            id,
            name: non_empty(record, "name"),
            enabled: bool_field(record, "enabled"),
            increment_option: i64_field(record, "incrementOption"),
            increment_description: non_empty(record, "incrementDescription"),
            start_date: non_empty(record, "startDate"),
            expiration_date: non_empty(record, "expirationDate"),
            time_zone: non_empty(record, "timeZone"),
            filter_description: strings(record, "schemaFilterDescription"),
            provenance,
        },
    }
}

fn composite_event(id: String, record: &Value, provenance: Provenance) -> TaskTriggerRecord {
    let time_constraint_minutes = record.get("timeConstraint").map(|constraint| {
        let part = |key| i64_field(constraint, key).unwrap_or(0);
        part("days") * 24 * 60 + part("hours") * 60 + part("minutes") + part("seconds") / 60
    });
    let rules = array(record, "compositeRules")
        .filter_map(|rule| {
            let upstream_task_id =
                nested_id(rule, "reloadTask").or_else(|| nested_id(rule, "externalProgramTask"))?;
            // QRS TaskRuleState: 1 TaskSuccessful, 2 TaskFail.
            let state = match i64_field(rule, "ruleState") {
                Some(1) => TriggerState::Success,
                Some(2) => TriggerState::Fail,
                _ => TriggerState::Other,
            };
            Some(CompositeRule {
                upstream_task_id,
                state,
            })
        })
        .collect();
    TaskTriggerRecord {
        task_id: nested_id(record, "reloadTask")
            .or_else(|| nested_id(record, "externalProgramTask")),
        trigger: TaskTrigger::TaskEvent {
            id,
            name: non_empty(record, "name"),
            enabled: bool_field(record, "enabled"),
            time_constraint_minutes,
            rules,
            provenance,
        },
    }
}

fn stream(id: String, record: &Value, provenance: Provenance) -> Stream {
    Stream {
        id,
        name: non_empty(record, "name").unwrap_or_default(),
        owner: owner(record),
        tags: tags(record),
        custom_properties: custom_properties(record),
        app_ids: Vec::new(),
        provenance: vec![provenance],
    }
}

fn system_rule(id: String, record: &Value, provenance: Provenance) -> SecurityRule {
    SecurityRule {
        id,
        name: non_empty(record, "name").unwrap_or_default(),
        category: non_empty(record, "category"),
        rule_type: non_empty(record, "type"),
        rule: str_field(record, "rule").unwrap_or_default(),
        resource_filter: non_empty(record, "resourceFilter"),
        actions: i64_field(record, "actions"),
        context: rule_context(record),
        disabled: bool_field(record, "disabled"),
        comment: non_empty(record, "comment"),
        provenance,
    }
}

/// Reads `ruleContext`, which QRS writes as a number (0 both, 1 hub only, 2 QMC only) and some
/// exports as its name.
fn rule_context(record: &Value) -> Option<String> {
    match record.get("ruleContext")? {
        Value::Number(number) => Some(
            match number.as_i64() {
                Some(0) => "BothQlikSenseAndQMC",
                Some(1) => "QlikSenseOnly",
                Some(2) => "QMCOnly",
                _ => return Some(number.to_string()),
            }
            .to_owned(),
        ),
        Value::String(text) => Some(text.clone()),
        _ => None,
    }
}

/// Builds an id for a connection known only by name.
pub fn connection_id_for_name(name: &str) -> String {
    derived_id("connection", &[name])
}
