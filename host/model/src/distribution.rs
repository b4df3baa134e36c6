//! Distribution of apps outside the hub: mashups that embed them and QlikView Publisher tasks
//! that reduce and distribute documents.

use schemars::JsonSchema;
use serde::Serialize;

use crate::Provenance;

/// A mashup: a web page, installed as an extension of type `mashup`, that opens apps through
/// Qlik's JavaScript APIs.
#[derive(Debug, Clone, Serialize, JsonSchema)]
pub struct Mashup {
    /// Derived from the path of its `.qext` file.
    pub id: String,
    /// Name from the `.qext` file, else the file name.
    pub name: String,
    /// Qlik APIs the page loads: `capability-api`, `qlik-embed`, `enigma.js` or `nebula.js`.
    pub apis: Vec<String>,
    /// Virtual proxy prefixes the page connects through, such as `ticket`.
    pub virtual_proxy_prefixes: Vec<String>,
    /// Apps the page opens.
    pub opens: Vec<MashupOpen>,
    pub provenance: Provenance,
}

/// One app that a mashup opens.
#[derive(Debug, Clone, Serialize, JsonSchema)]
pub struct MashupOpen {
    /// The app as the page names it: a GUID, or an app file name on Qlik Sense Desktop.
    pub target: String,
    /// Id of the estate's app with that GUID or name; `None` when the estate has no such app.
    pub app_id: Option<String>,
    pub provenance: Provenance,
}

/// The reduction a QlikView Publisher task applies to a document.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, JsonSchema)]
#[serde(rename_all = "kebab-case", tag = "kind")]
pub enum Reduction {
    /// Loop and reduce: one reduced copy per value of a field.
    LoopByField { field: String },
    /// One reduced copy per bookmark selection.
    ByBookmark { bookmark: Option<String> },
    /// A fixed list of field values or bookmarks to reduce on.
    Static { count: u32 },
}

/// A QlikView Publisher document task (QMS API `DocumentTask`).
#[derive(Debug, Clone, Serialize, JsonSchema)]
pub struct PublisherTask {
    /// Task id from the export, else derived from the file and the task name.
    pub id: String,
    pub name: String,
    /// The source document as the task names it, such as `Sales\Sales.qvw`.
    pub document: String,
    /// Id of the estate's app for that document; `None` when the estate has no such app.
    pub app_id: Option<String>,
    pub enabled: Option<bool>,
    /// Reductions the task applies, empty for a task that only reloads or distributes.
    pub reductions: Vec<Reduction>,
    /// Template for the names of reduced documents, such as `Sales_%Region%`.
    pub document_name_template: Option<String>,
    /// Whether the task distributes the document to Qlik Cloud.
    pub distributes_to_cloud: bool,
    pub provenance: Provenance,
}
