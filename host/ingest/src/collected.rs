//! What the readers produce before the join: partial apps and site entities, each with its
//! provenance.

use std::collections::BTreeMap;

use chrono::{DateTime, Utc};
use qready_model::{
    App, AppMetadata, AppObject, CustomPropertyDefinition, DataConnection, DataSource, Extension,
    InputProblem, Mashup, Provenance, PublisherTask, QvdFile, QvdLineageEntry, ReloadTask,
    SecurityRule, Site, Stream, TaskTrigger, User,
};

/// How a fact that is not inside an app's own files names its app.
#[derive(Debug, Clone, Default, PartialEq, Eq, Hash)]
pub struct AppKey {
    pub guid: Option<String>,
    /// App name, or QlikView document path or file name.
    pub name: Option<String>,
}

/// A trigger with the id of the task it starts.
#[derive(Debug, Clone)]
pub struct TaskTriggerRecord {
    pub task_id: Option<String>,
    pub trigger: TaskTrigger,
}

/// One user session on an app, read from a session or audit log.
#[derive(Debug, Clone)]
pub struct Session {
    pub app: AppKey,
    pub user: String,
    pub start: DateTime<Utc>,
    pub provenance: Provenance,
}

/// Engine lineage JSON of one app.
#[derive(Debug, Clone)]
pub struct AppLineage {
    pub app: AppKey,
    pub entries: Vec<QvdLineageEntry>,
    pub provenance: Provenance,
}

/// Everything read from the inputs, not yet joined.
#[derive(Debug, Default)]
pub struct Collected {
    /// Partial apps: each file or folder that describes an app adds one.
    pub apps: Vec<App>,
    pub connections: Vec<DataConnection>,
    pub streams: Vec<Stream>,
    pub extensions: Vec<Extension>,
    pub mashups: Vec<Mashup>,
    pub publisher_tasks: Vec<PublisherTask>,
    pub tasks: Vec<ReloadTask>,
    pub triggers: Vec<TaskTriggerRecord>,
    pub users: Vec<User>,
    pub custom_properties: Vec<CustomPropertyDefinition>,
    pub security_rules: Vec<SecurityRule>,
    pub qvds: Vec<QvdFile>,
    /// Data sources named by scripts, by id.
    pub sources: BTreeMap<String, DataSource>,
    /// Objects listed by QRS `app/object`, with the GUID of their app.
    pub app_objects: Vec<(String, AppObject)>,
    pub metadata: Vec<(AppKey, AppMetadata)>,
    pub lineage: Vec<AppLineage>,
    pub sessions: Vec<Session>,
    pub site: Option<Site>,
    pub problems: Vec<InputProblem>,
}
