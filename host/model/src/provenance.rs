//! Where each fact came from, and what could not be read.

use std::path::PathBuf;

use schemars::JsonSchema;
use serde::Serialize;

/// Kind of input file a fact was read from.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, JsonSchema)]
#[serde(rename_all = "kebab-case")]
pub enum InputFormat {
    /// A Qlik Sense Repository Service (QRS) API JSON export.
    QrsJson,
    /// A `qlik app unbuild` or corectl folder.
    Unbuild,
    /// A gitoqlok export: per-tab scripts, a tab order file, `objects/` and `reload_tasks/`.
    Gitoqlok,
    /// A serialized app export with `loadScript.json` or `dataconnections.json` of engine
    /// connection objects.
    AppExport,
    /// A QlikView `-prj` project folder.
    QlikViewProject,
    /// A load script file.
    Script,
    /// The XML header of a QVD file.
    QvdHeader,
    /// Engine app metadata JSON (`/api/v1/apps/{id}/data/metadata`).
    AppMetadata,
    /// Engine lineage JSON (`/api/v1/apps/{id}/data/lineage`).
    AppLineage,
    /// A Qlik Sense engine session log.
    QlikSenseSessionLog,
    /// A QlikView Server session log.
    QlikViewSessionLog,
    /// A QlikView Server audit log.
    QlikViewAuditLog,
    /// The manifest `collect` writes next to the files it pulled.
    CollectManifest,
    /// A mashup folder: a `.qext` file of type `mashup` with the pages and scripts beside it.
    Mashup,
    /// QlikView Publisher document tasks as the QMS API returns them (`DocumentTask` XML).
    PublisherTask,
}

/// The file, and the position in it where there is one, that a fact was read from.
#[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, JsonSchema)]
pub struct Provenance {
    pub path: PathBuf,
    pub format: InputFormat,
    /// 1-based line, when the fact has a position.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub line: Option<u32>,
    /// 1-based column, when the fact has a position.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub column: Option<u32>,
}

impl Provenance {
    /// A whole file as the source of a fact.
    pub fn file(path: impl Into<PathBuf>, format: InputFormat) -> Provenance {
        Provenance {
            path: path.into(),
            format,
            line: None,
            column: None,
        }
    }

    /// A position in a file as the source of a fact.
    pub fn at(path: impl Into<PathBuf>, format: InputFormat, line: u32, column: u32) -> Provenance {
        Provenance {
            path: path.into(),
            format,
            line: Some(line),
            column: Some(column),
        }
    }
}

/// A file that could not be read or understood, in whole or in part.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, JsonSchema)]
pub struct InputProblem {
    pub path: PathBuf,
    /// 1-based line, when the problem has a position.
    pub line: Option<u32>,
    /// 1-based column, when the problem has a position.
    pub column: Option<u32>,
    pub message: String,
}

impl InputProblem {
    /// A problem with a whole file.
    pub fn new(path: impl Into<PathBuf>, message: impl Into<String>) -> InputProblem {
        InputProblem {
            path: path.into(),
            line: None,
            column: None,
            message: message.into(),
        }
    }

    /// A problem at a position in a file.
    pub fn at(
        path: impl Into<PathBuf>,
        line: u32,
        column: u32,
        message: impl Into<String>,
    ) -> InputProblem {
        InputProblem {
            path: path.into(),
            line: Some(line),
            column: Some(column),
            message: message.into(),
        }
    }
}
