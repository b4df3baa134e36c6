//! The normalized estate model that ingestion builds and every later stage reads.
//!
//! One model serves QlikView and Qlik Sense. Every entity has a stable `id`: the Qlik Sense
//! repository (QRS) GUID when one is known, otherwise an id derived from paths and names (see
//! [`derived_id`]). Every fact read from a file keeps its [`Provenance`].
//!
//! Credentials never reach this model: ingestion masks them before building it.
//!
//! The JSON Schema of [`Estate`] is kept in `schema/estate.schema.json`. After changing a type,
//! regenerate it with
//! `QREADY_UPDATE_SCHEMA=1 cargo test -p qready-model --test schema`.

mod app;
mod data;
mod distribution;
mod governance;
mod provenance;
mod qlikview;

use schemars::JsonSchema;
use serde::Serialize;

pub use app::{
    App, AppMetadata, AppObject, AppUsage, ExtensionUse, MasterItem, MasterItemKind, MetadataField,
    MetadataTable, Product, ScriptFileInfo, ScriptInfo, UserRef,
};
pub use data::{
    Access, DataConnection, DataSource, DataSourceUse, LineageEdge, LineageEvidence, LocationKind,
    QvdField, QvdFile, QvdLineageEntry,
};
pub use distribution::{Mashup, MashupOpen, PublisherTask, Reduction};
pub use governance::{
    CompositeRule, CustomPropertyDefinition, CustomPropertyValue, Extension, ReloadTask,
    SecurityRule, Site, Stream, TaskChainLink, TaskExecution, TaskTrigger, TriggerState, User,
};
pub use provenance::{InputFormat, InputProblem, Provenance};
pub use qlikview::{Alert, DocumentChain, MacroModule, QlikViewDocument, SheetObject, Trigger};

/// Version of the serialized model; raised when a field changes meaning or is removed.
pub const MODEL_VERSION: u32 = 1;

/// Everything assessed in one run.
#[derive(Debug, Default, Serialize, JsonSchema)]
#[non_exhaustive]
pub struct Estate {
    /// [`MODEL_VERSION`] of the code that built this estate.
    pub model_version: u32,
    /// The Qlik Sense site the repository exports came from, when known.
    pub site: Option<Site>,
    /// Qlik Sense streams.
    pub streams: Vec<Stream>,
    /// Apps (Qlik Sense) and documents (QlikView), sorted by id.
    pub apps: Vec<App>,
    /// Data connections defined on the site or in app exports, credentials masked.
    pub connections: Vec<DataConnection>,
    /// Files, tables and URLs that apps read or write, sorted by id.
    pub data_sources: Vec<DataSource>,
    /// Qlik Sense extensions with the objects that use them.
    pub extensions: Vec<Extension>,
    /// Mashups with the apps they open.
    pub mashups: Vec<Mashup>,
    /// QlikView Publisher document tasks.
    pub publisher_tasks: Vec<PublisherTask>,
    /// Qlik Sense reload tasks with their triggers.
    pub reload_tasks: Vec<ReloadTask>,
    /// Task-event triggers as edges: `downstream` runs when `upstream` ends in `on`.
    pub task_chains: Vec<TaskChainLink>,
    /// Repository users.
    pub users: Vec<User>,
    /// Custom property definitions.
    pub custom_properties: Vec<CustomPropertyDefinition>,
    /// Security rules (QRS system rules).
    pub security_rules: Vec<SecurityRule>,
    /// QVD files whose header was read.
    pub qvds: Vec<QvdFile>,
    /// Lineage edges: each app that writes a data source, paired with each other app that reads it.
    pub lineage: Vec<LineageEdge>,
    /// Files that could not be read, or were read only in part, with what was wrong.
    pub problems: Vec<InputProblem>,
}

impl Estate {
    /// Creates an empty estate stamped with the current [`MODEL_VERSION`].
    pub fn new() -> Estate {
        Estate {
            model_version: MODEL_VERSION,
            ..Estate::default()
        }
    }

    /// Serializes the estate as indented JSON. Scripts are summarized; their parsed statements
    /// are not part of the JSON.
    pub fn to_json_pretty(&self) -> String {
        // The model has no maps with non-string keys and no custom serializers, so this cannot
        // fail.
        serde_json::to_string_pretty(self).expect("the estate model serializes to JSON")
    }

    /// Returns the app with the given id.
    pub fn app(&self, id: &str) -> Option<&App> {
        self.apps.iter().find(|app| app.id == id)
    }

    /// Returns the data connection with the given id.
    pub fn connection(&self, id: &str) -> Option<&DataConnection> {
        self.connections.iter().find(|c| c.id == id)
    }

    /// Returns the data source with the given id.
    pub fn data_source(&self, id: &str) -> Option<&DataSource> {
        self.data_sources.iter().find(|s| s.id == id)
    }

    /// Returns the JSON Schema of the serialized estate.
    pub fn json_schema() -> schemars::Schema {
        schemars::schema_for!(Estate)
    }
}

/// Derives a stable id for an entity with no repository GUID from its kind and the parts that
/// identify it. The id is `kind:` followed by the parts joined with `/`, lower-cased. Each `\`
/// becomes `/`, so that Windows paths written in different ways give the same id.
pub fn derived_id(kind: &str, parts: &[&str]) -> String {
    let mut id = String::from(kind);
    id.push(':');
    let joined = parts
        .iter()
        .map(|part| part.trim().replace('\\', "/").to_lowercase())
        .collect::<Vec<_>>()
        .join("/");
    id.push_str(&joined);
    id
}

/// Returns a path with `/` separators, as paths appear in ids.
pub fn display_path(path: &std::path::Path) -> String {
    path.components()
        .map(|c| c.as_os_str().to_string_lossy())
        .collect::<Vec<_>>()
        .join("/")
        .replace("//", "/")
}

/// Checks whether a string has the shape of a Qlik GUID (8-4-4-4-12 hex digits).
pub fn is_guid(text: &str) -> bool {
    let groups: Vec<&str> = text.split('-').collect();
    groups.len() == 5
        && groups.iter().zip([8, 4, 4, 4, 12]).all(|(group, length)| {
            group.len() == length && group.bytes().all(|b| b.is_ascii_hexdigit())
        })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn derived_id_ignores_case_and_slashes() {
        let a = derived_id("qvd", &["C:\\Data\\Sales.QVD"]);
        let b = derived_id("qvd", &["c:/data/sales.qvd"]);
        assert_eq!(a, b);
        assert_eq!(a, "qvd:c:/data/sales.qvd");
    }

    #[test]
    fn guid_shape_is_checked() {
        assert!(is_guid("47a1cfd8-f70e-4a98-a00d-00fca6c8e253"));
        assert!(!is_guid("47a1cfd8-f70e-4a98-a00d-00fca6c8e25"));
        assert!(!is_guid("sales.qvd"));
    }

    #[test]
    fn json_starts_with_model_version() {
        let json = Estate::new().to_json_pretty();
        assert!(json.contains("\"model_version\": 1"), "{json}");
    }
}
