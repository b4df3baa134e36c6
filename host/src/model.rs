//! The normalized estate model that ingestion builds and every later stage reads.

use std::path::PathBuf;

use qready_script::load::LoadedScript;
use serde::Serialize;

/// Everything assessed in one run.
#[derive(Debug, Default)]
pub struct Estate {
    /// Apps found, in a stable order (by id).
    pub apps: Vec<App>,
    /// Files that could not be read, with what was wrong.
    pub problems: Vec<InputProblem>,
}

/// Product an app was built with.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
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

/// One QlikView document or Qlik Sense app.
#[derive(Debug)]
pub struct App {
    /// Stable id: the path of the app's main file relative to the folder given, with `/`.
    pub id: String,
    /// Display name.
    pub name: String,
    /// Product the app was built with.
    pub product: Product,
    /// File the app was read from.
    pub source: PathBuf,
    /// The parsed load script with its includes, when the app has one.
    pub script: Option<LoadedScript>,
    /// Data connections the app can use, credentials redacted.
    pub connections: Vec<DataConnection>,
}

/// A named data connection.
#[derive(Debug, Clone, Serialize)]
pub struct DataConnection {
    pub id: String,
    pub name: String,
    pub connection_type: String,
    /// Connection string with every credential replaced by `***`.
    pub connection_string: String,
}

/// A file that could not be read or understood.
#[derive(Debug, Clone, Serialize)]
pub struct InputProblem {
    pub path: PathBuf,
    /// 1-based line, when the problem has a position.
    pub line: Option<u32>,
    /// 1-based column, when the problem has a position.
    pub column: Option<u32>,
    pub message: String,
}
