//! Data connections, data sources, QVD files and the lineage between apps.

use std::path::PathBuf;

use schemars::JsonSchema;
use serde::Serialize;

use crate::provenance::Provenance;

/// A named data connection.
#[derive(Debug, Clone, Serialize, JsonSchema)]
pub struct DataConnection {
    /// QRS or engine connection GUID when known, otherwise `connection:<name>`.
    pub id: String,
    pub name: String,
    /// QRS `type` or engine `qType`, e.g. `folder`, `ODBC`, `QvOdbcConnectorPackage.exe`.
    pub connection_type: String,
    /// Connection string with every credential replaced by `*`, one per byte.
    pub connection_string: String,
    /// Whether a user name was stored with the connection. The name itself is not kept.
    pub has_username: bool,
    /// Whether any credential was masked in the connection string.
    pub had_credentials: bool,
    pub owner: Option<crate::app::UserRef>,
    pub tags: Vec<String>,
    pub provenance: Vec<Provenance>,
}

/// How a location is addressed, after static variable expansion.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Serialize, JsonSchema)]
#[serde(rename_all = "kebab-case")]
pub enum LocationKind {
    /// `lib://Connection/…`.
    Library,
    /// A Windows drive path such as `C:\Data`.
    Drive,
    /// A UNC path such as `\\server\share`.
    Unc,
    /// A path relative to the app's working folder.
    Relative,
    /// A URL.
    Url,
    /// A path built from a variable whose value is known only at reload.
    Dynamic,
    /// A database table.
    Table,
    /// Anything else, e.g. an app id after BINARY.
    Other,
}

/// A file, table or URL that at least one app reads or writes.
#[derive(Debug, Clone, Serialize, JsonSchema)]
pub struct DataSource {
    /// `source:` followed by the location, lower-cased with `/` separators.
    pub id: String,
    /// The location as first written, after static variable expansion.
    pub location: String,
    pub kind: LocationKind,
    /// The library connection name of a `lib://` location.
    pub connection: Option<String>,
    /// File extension, lower-case, without the dot.
    pub file_type: Option<String>,
    /// Ids of the apps that read it.
    pub read_by: Vec<String>,
    /// Ids of the apps that write it (STORE INTO).
    pub written_by: Vec<String>,
    /// Id of the QVD header read for this location, when one matched.
    pub qvd_id: Option<String>,
}

/// How an app uses a data source.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, JsonSchema)]
#[serde(rename_all = "kebab-case")]
pub enum Access {
    /// LOAD … FROM, SQL SELECT, BINARY, a file function.
    Read,
    /// STORE … INTO.
    Write,
    /// BINARY load of another app.
    Binary,
    /// `$(Include=…)` or `$(Must_Include=…)`.
    Include,
    /// EXECUTE.
    Execute,
}

/// One reference of an app to a data source.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, JsonSchema)]
pub struct DataSourceUse {
    pub source_id: String,
    pub access: Access,
    /// The script statement, or the lineage entry, the reference was read from.
    pub provenance: Provenance,
}

/// The XML header of a QVD file.
#[derive(Debug, Clone, Serialize, JsonSchema)]
pub struct QvdFile {
    /// `qvd:` followed by the file's path.
    pub id: String,
    pub path: PathBuf,
    pub table_name: String,
    pub record_count: Option<u64>,
    pub fields: Vec<QvdField>,
    /// The app that created the file, as written in the header: a path for QlikView, an app
    /// GUID for Qlik Sense.
    pub creator_doc: Option<String>,
    /// `CreateUtcTime` as written, e.g. `2017-04-19 12:41:55`.
    pub create_utc_time: Option<String>,
    /// Engine build number (`QvBuildNo`).
    pub build_number: Option<u32>,
    /// The sources the creating reload read, credentials masked.
    pub lineage: Vec<QvdLineageEntry>,
    /// Id of the app matched to [`QvdFile::creator_doc`].
    pub creator_app_id: Option<String>,
    pub provenance: Provenance,
}

/// A field of a QVD file.
#[derive(Debug, Clone, Serialize, JsonSchema)]
pub struct QvdField {
    pub name: String,
    pub distinct_values: Option<u64>,
}

/// One `LineageInfo` of a QVD header.
#[derive(Debug, Clone, Serialize, JsonSchema)]
pub struct QvdLineageEntry {
    pub discriminator: String,
    pub statement: Option<String>,
}

/// Where a lineage edge was learned.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Serialize, JsonSchema)]
#[serde(rename_all = "kebab-case")]
pub enum LineageEvidence {
    /// A STORE INTO in the writer's script and a LOAD FROM in the reader's.
    Script,
    /// The QVD header's `CreatorDoc` names the writer.
    QvdHeader,
}

/// An app that reads a data source another app writes.
#[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord, Serialize, JsonSchema)]
pub struct LineageEdge {
    pub source_id: String,
    pub writer_app_id: String,
    pub reader_app_id: String,
    pub evidence: LineageEvidence,
}
