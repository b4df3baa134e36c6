//! QlikView-only document features read from a `-prj` project folder.

use schemars::JsonSchema;
use serde::Serialize;

use crate::provenance::Provenance;

/// What a QlikView project folder says about its document beyond the script.
#[derive(Debug, Clone, Default, Serialize, JsonSchema)]
pub struct QlikViewDocument {
    /// The VBScript or JScript module, when it has code.
    pub macro_module: Option<MacroModule>,
    /// Document event triggers that run actions.
    pub triggers: Vec<Trigger>,
    /// Sheet objects by id, with their type.
    pub objects: Vec<SheetObject>,
    pub alerts: Vec<Alert>,
    /// Actions that open other documents or URLs.
    pub document_chains: Vec<DocumentChain>,
    /// Actions of type TYPE_MACRO anywhere in the document.
    pub macro_actions: u32,
    pub sheet_count: u32,
}

/// The macro module of a document.
#[derive(Debug, Clone, Serialize, JsonSchema)]
pub struct MacroModule {
    pub line_count: u32,
    /// Names of the `Sub` and `Function` procedures.
    pub procedures: Vec<String>,
    /// Whether the module asks for system access (`ModuleSystemAccessIntended`).
    pub system_access: Option<bool>,
    pub provenance: Provenance,
}

/// A document event trigger with actions.
#[derive(Debug, Clone, Serialize, JsonSchema)]
pub struct Trigger {
    /// The event, e.g. `OnOpen`, `OnPostReload`.
    pub event: String,
    /// Action types, e.g. `TYPE_MACRO`.
    pub actions: Vec<String>,
    pub provenance: Provenance,
}

/// A sheet object.
#[derive(Debug, Clone, Serialize, JsonSchema)]
pub struct SheetObject {
    /// Object id without the `Document\` prefix, e.g. `CH01`.
    pub id: String,
    /// Object type from the id prefix or the root element, e.g. `chart`, `container`.
    pub object_type: String,
    /// Id of the sheet the object sits on, when the project file lists it.
    pub sheet_id: Option<String>,
    pub provenance: Provenance,
}

/// A document alert.
#[derive(Debug, Clone, Serialize, JsonSchema)]
pub struct Alert {
    pub id: String,
    pub provenance: Provenance,
}

/// An action that leaves the document: open another document or a URL.
#[derive(Debug, Clone, Serialize, JsonSchema)]
pub struct DocumentChain {
    /// Action type, e.g. `TYPE_OPEN_URL`, `TYPE_OPEN_DOCUMENT`.
    pub action: String,
    /// The document or URL, as written.
    pub target: String,
    pub provenance: Provenance,
}
