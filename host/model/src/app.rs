//! Apps and documents with what was read about each.

use std::path::PathBuf;

use qready_script::load::LoadedScript;
use schemars::JsonSchema;
use serde::Serialize;

use crate::data::{DataConnection, DataSourceUse};
use crate::governance::CustomPropertyValue;
use crate::provenance::Provenance;
use crate::qlikview::QlikViewDocument;

/// Product an app was built with.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, JsonSchema)]
#[serde(rename_all = "kebab-case")]
pub enum Product {
    QlikView,
    QlikSense,
}

impl Product {
    /// Name as Qlik writes it.
    pub fn label(self) -> &'static str {
        match self {
            Product::QlikView => "QlikView",
            Product::QlikSense => "Qlik Sense",
        }
    }
}

/// One QlikView document or Qlik Sense app, joined from every file that describes it.
#[derive(Debug, Clone, Serialize, JsonSchema)]
#[non_exhaustive]
pub struct App {
    /// The QRS app GUID when known, otherwise derived from the path of the app's main file.
    pub id: String,
    /// Display name.
    pub name: String,
    pub product: Product,
    /// Main file or folder the app was read from.
    pub source: PathBuf,
    /// The QRS app GUID, when one was found.
    pub guid: Option<String>,
    /// The parsed load script with its includes, credentials masked. Not serialized: the JSON
    /// carries [`App::script_info`] instead.
    #[serde(skip)]
    #[schemars(skip)]
    pub script: Option<LoadedScript>,
    /// Files and size of the load script.
    pub script_info: Option<ScriptInfo>,
    /// Data connections the app can use, credentials masked.
    pub connections: Vec<DataConnection>,
    /// Files, tables and URLs the app's script reads or writes.
    pub data_sources: Vec<DataSourceUse>,
    /// Id of the stream the app is published to.
    pub stream_id: Option<String>,
    pub owner: Option<UserRef>,
    pub published: Option<bool>,
    /// As QRS writes it, e.g. `2020-12-22T10:43:55.642Z`.
    pub publish_time: Option<String>,
    pub last_reload_time: Option<String>,
    /// Size of the app file in bytes.
    pub file_size: Option<u64>,
    /// Size of the app's data model in memory, in bytes, after its last reload.
    pub static_byte_size: Option<u64>,
    /// Product version that last saved the app, e.g. `12.763.5`.
    pub saved_in_product_version: Option<String>,
    pub description: Option<String>,
    pub tags: Vec<String>,
    pub custom_properties: Vec<CustomPropertyValue>,
    /// Engine data model metadata.
    pub metadata: Option<AppMetadata>,
    /// Sheets, charts and other objects, with their visualization type.
    pub objects: Vec<AppObject>,
    /// Master dimensions, measures and variables.
    pub master_items: Vec<MasterItem>,
    /// QlikView-only features of a `-prj` folder.
    pub qlikview: Option<QlikViewDocument>,
    /// Sessions and users in the usage window.
    pub usage: Option<AppUsage>,
    /// Ids of the reload tasks that reload this app.
    pub reload_task_ids: Vec<String>,
    /// Whether the script has a SECTION ACCESS statement, or the metadata says so.
    pub has_section_access: bool,
    /// Every file that contributed to this app.
    pub provenance: Vec<Provenance>,
}

impl App {
    /// Creates an app with nothing known but its identity.
    pub fn new(id: String, name: String, product: Product, source: PathBuf) -> App {
        App {
            id,
            name,
            product,
            source,
            guid: None,
            script: None,
            script_info: None,
            connections: Vec::new(),
            data_sources: Vec::new(),
            stream_id: None,
            owner: None,
            published: None,
            publish_time: None,
            last_reload_time: None,
            file_size: None,
            static_byte_size: None,
            saved_in_product_version: None,
            description: None,
            tags: Vec::new(),
            custom_properties: Vec::new(),
            metadata: None,
            objects: Vec::new(),
            master_items: Vec::new(),
            qlikview: None,
            usage: None,
            reload_task_ids: Vec::new(),
            has_section_access: false,
            provenance: Vec::new(),
        }
    }
}

/// A reference to a repository user.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, JsonSchema)]
pub struct UserRef {
    pub id: Option<String>,
    pub user_directory: Option<String>,
    pub user_id: Option<String>,
}

/// Summary of a load script.
#[derive(Debug, Clone, Serialize, JsonSchema)]
pub struct ScriptInfo {
    /// The top-level file first, then included files, in the order they were read. For a
    /// gitoqlok export, the tab files in tab order.
    pub files: Vec<ScriptFileInfo>,
    pub statement_count: u32,
    pub tab_count: u32,
}

/// One file of a load script.
#[derive(Debug, Clone, Serialize, JsonSchema)]
pub struct ScriptFileInfo {
    pub path: PathBuf,
    /// Encoding the file was decoded with, e.g. `UTF-8 with BOM` or `windows-1252`.
    pub encoding: String,
    pub line_count: u32,
    /// Line of the combined script where this file starts, for tab files joined into one
    /// script; 1 otherwise.
    pub first_line: u32,
}

/// Engine data model metadata of an app.
#[derive(Debug, Clone, Serialize, JsonSchema)]
pub struct AppMetadata {
    pub static_byte_size: Option<u64>,
    /// Peak memory of the last reload, in bytes.
    pub peak_reload_memory_bytes: Option<u64>,
    /// CPU time of the last reload, in milliseconds.
    pub reload_cpu_time_ms: Option<u64>,
    pub has_section_access: Option<bool>,
    pub tables: Vec<MetadataTable>,
    pub fields: Vec<MetadataField>,
    pub provenance: Provenance,
}

/// A table of an app's data model.
#[derive(Debug, Clone, Serialize, JsonSchema)]
pub struct MetadataTable {
    pub name: String,
    pub rows: Option<u64>,
    pub fields: Option<u64>,
    pub key_fields: Option<u64>,
    pub byte_size: Option<u64>,
    pub is_system: bool,
    pub is_loose: bool,
}

/// A field of an app's data model.
#[derive(Debug, Clone, Serialize, JsonSchema)]
pub struct MetadataField {
    pub name: String,
    pub source_tables: Vec<String>,
    pub distinct_values: Option<u64>,
    pub byte_size: Option<u64>,
    pub is_system: bool,
    pub is_hidden: bool,
}

/// A sheet, story, chart or other object of an app.
#[derive(Debug, Clone, Serialize, JsonSchema)]
pub struct AppObject {
    /// Engine object id (`qInfo.qId`).
    pub id: String,
    /// Engine object type (`qInfo.qType`), e.g. `sheet`, `barchart`, `masterobject`.
    pub object_type: String,
    /// Visualization type for charts, which names the extension for extension objects.
    pub visualization: Option<String>,
    pub title: Option<String>,
    /// Id of the sheet the object sits on.
    pub sheet_id: Option<String>,
    /// Whether the visualization is not one Qlik Sense ships.
    pub is_extension: bool,
    pub provenance: Provenance,
}

/// Kind of a master item.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, JsonSchema)]
#[serde(rename_all = "kebab-case")]
pub enum MasterItemKind {
    Dimension,
    Measure,
    Variable,
}

/// A master dimension, master measure or variable.
#[derive(Debug, Clone, Serialize, JsonSchema)]
pub struct MasterItem {
    pub kind: MasterItemKind,
    pub id: Option<String>,
    pub name: String,
    /// Field names of a dimension, expression of a measure, definition of a variable.
    pub definition: String,
    pub provenance: Provenance,
}

/// Sessions and users of an app in the usage window.
#[derive(Debug, Clone, Serialize, JsonSchema)]
pub struct AppUsage {
    /// Length of the window, in days, ending at the time of ingestion.
    pub window_days: u32,
    pub sessions: u64,
    pub distinct_users: u64,
    /// Start time of the latest session seen, RFC 3339.
    pub last_session: Option<String>,
    pub provenance: Vec<Provenance>,
}

/// An object that uses an extension.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, JsonSchema)]
pub struct ExtensionUse {
    pub app_id: String,
    pub object_id: String,
    pub sheet_id: Option<String>,
    pub provenance: Provenance,
}
