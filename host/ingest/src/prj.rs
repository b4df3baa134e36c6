//! QlikView `-prj` project folders: the load script, the macro module, document triggers and
//! alerts, sheet objects with their types, containers and actions that open other documents.

use std::path::{Path, PathBuf};

use qready_model::{
    Alert, App, DocumentChain, InputFormat, MacroModule, Product, Provenance, QlikViewDocument,
    SheetObject, Trigger, derived_id,
};

use crate::collected::Collected;
use crate::script;
use crate::text;
use crate::unbuild::{find_ci, has_ext};
use crate::{IngestContext, xml};

const FORMAT: InputFormat = InputFormat::QlikViewProject;

/// Files of a project folder that are not sheet objects.
const DOCUMENT_FILES: &[&str] = &[
    "qlikviewproject.xml",
    "docproperties.xml",
    "docinternals.xml",
    "allproperties.xml",
    "toplayout.xml",
];

/// Recognizes a QlikView project folder: a `-prj` name with project files, or the project files
/// themselves in a folder of any name.
pub fn detect(dir: &Path) -> bool {
    let named = dir
        .file_name()
        .is_some_and(|n| n.to_string_lossy().to_ascii_lowercase().ends_with("-prj"));
    let project = find_ci(dir, "QlikViewProject.xml").is_some();
    let document = find_ci(dir, "DocProperties.xml").is_some();
    let script = find_ci(dir, "LoadScript.txt").is_some();
    project || (document && script) || (named && (document || script))
}

/// Reads a project folder into one QlikView app.
pub fn read(dir: &Path, context: &IngestContext, out: &mut Collected) {
    let folder_name = dir
        .file_name()
        .map(|n| n.to_string_lossy().into_owned())
        .unwrap_or_default();
    let name = strip_suffix_ci(&folder_name, "-prj").to_owned();
    let id = derived_id("app", &[&context.relative(dir)]);
    let mut app = App::new(id, name, Product::QlikView, dir.to_path_buf());
    app.provenance.push(Provenance::file(dir, FORMAT));
    // The document reloads in the folder of the .qvw, which is the parent of its -prj folder.
    let working_dir = script::qlikview_working_dir(dir);

    if let Some(path) = find_ci(dir, "LoadScript.txt")
        && let Some(read) = script::read_file(&path, &context.script_options, &mut out.problems)
    {
        context.attach_script(&mut app, read, working_dir.as_deref(), FORMAT, out);
    }

    let mut document = QlikViewDocument::default();
    if let Some(path) = find_ci(dir, "Module.txt") {
        document.macro_module = read_module(&path, context);
    }
    if let Some(path) = find_ci(dir, "DocProperties.xml") {
        read_doc_properties(&path, context, &mut document, out);
    }
    let sheets = read_project(dir, context, out);
    document.sheet_count = sheets.iter().filter(|(_, sheet)| sheet.is_none()).count() as u32;
    read_objects(dir, &sheets, context, &mut document, out);
    app.qlikview = Some(document);
    out.apps.push(app);
}

fn strip_suffix_ci<'a>(text: &'a str, suffix: &str) -> &'a str {
    if text.len() >= suffix.len() && text[text.len() - suffix.len()..].eq_ignore_ascii_case(suffix)
    {
        &text[..text.len() - suffix.len()]
    } else {
        text
    }
}

fn read_module(path: &Path, context: &IngestContext) -> Option<MacroModule> {
    let bytes = text::read_limited(path, script::MAX_SCRIPT_BYTES).ok()?;
    let (module, _) = text::decode(&bytes, context.options.ansi);
    if module.trim().is_empty() {
        return None;
    }
    let procedures = module
        .lines()
        .filter_map(|line| {
            let words: Vec<&str> = line.split_whitespace().collect();
            let keyword_at = match words.first()?.to_ascii_lowercase().as_str() {
                "sub" | "function" => 0,
                "public" | "private" => {
                    let second = words.get(1)?.to_ascii_lowercase();
                    if second == "sub" || second == "function" {
                        1
                    } else {
                        return None;
                    }
                }
                _ => return None,
            };
            let name = words.get(keyword_at + 1)?;
            Some(name.split('(').next().unwrap_or(name).to_owned())
        })
        .collect();
    Some(MacroModule {
        line_count: module.lines().count() as u32,
        procedures,
        system_access: None,
        provenance: Provenance::file(path, FORMAT),
    })
}

fn read_doc_properties(
    path: &Path,
    context: &IngestContext,
    document: &mut QlikViewDocument,
    out: &mut Collected,
) {
    let xml_text = match xml::read(path, context.options.ansi) {
        Ok(xml_text) => xml_text,
        Err(problem) => return out.problems.push(problem),
    };
    let mut triggers: Vec<Trigger> = Vec::new();
    let mut alerts = Vec::new();
    let mut system_access = None;
    let mut chains = Vec::new();
    let mut macro_actions = 0;
    let result = xml::walk(path, &xml_text, |element_path, value| {
        let Some(value) = value else { return };
        let names: Vec<&str> = element_path.iter().map(String::as_str).collect();
        match names.as_slice() {
            [_, event, "ActionItemDef", "Type"] if event.ends_with("ActionItems") => {
                let event = event.trim_end_matches("ActionItems").to_owned();
                if value == "TYPE_MACRO" {
                    macro_actions += 1;
                }
                match triggers.iter_mut().find(|t| t.event == event) {
                    Some(trigger) => trigger.actions.push(value.to_owned()),
                    None => triggers.push(Trigger {
                        event,
                        actions: vec![value.to_owned()],
                        provenance: Provenance::file(path, FORMAT),
                    }),
                }
            }
            [_, "Alerts", "Alert", "Action", "Id"] => alerts.push(Alert {
                id: value.to_owned(),
                provenance: Provenance::file(path, FORMAT),
            }),
            [_, "ModuleSystemAccessIntended"] => system_access = Some(value == "true"),
            _ => {}
        }
        collect_chain(&names, value, path, &mut chains);
    });
    if let Err(problem) = result {
        out.problems.push(problem);
    }
    if let Some(module) = &mut document.macro_module {
        module.system_access = system_access;
    }
    document.triggers.extend(triggers);
    document.alerts.extend(alerts);
    document.document_chains.extend(chains);
    document.macro_actions += macro_actions;
}

/// Records the target of an action that opens a URL or another document. The action type comes
/// before its parameters in the file, so the last type seen is kept in the chain list until
/// its first parameter arrives.
fn collect_chain(names: &[&str], value: &str, path: &Path, chains: &mut Vec<DocumentChain>) {
    let is_type = names.ends_with(&["ActionItemDef", "Type"]);
    if is_type {
        let upper = value.to_ascii_uppercase();
        if upper.contains("OPEN_URL") || upper.contains("OPEN_DOC") || upper.contains("LAUNCH") {
            chains.push(DocumentChain {
                action: value.to_owned(),
                target: String::new(),
                provenance: Provenance::file(path, FORMAT),
            });
        }
        return;
    }
    let in_parameters = names.contains(&"ActionItemDef") && names.contains(&"Parameters");
    if let Some(last) = chains.last_mut()
        && in_parameters
        && last.target.is_empty()
    {
        last.target = value.to_owned();
    }
}

/// Reads `QlikViewProject.xml`: object id to sheet id. Sheets map to None.
fn read_project(
    dir: &Path,
    context: &IngestContext,
    out: &mut Collected,
) -> Vec<(String, Option<String>)> {
    let Some(path) = find_ci(dir, "QlikViewProject.xml") else {
        return Vec::new();
    };
    let xml_text = match xml::read(&path, context.options.ansi) {
        Ok(xml_text) => xml_text,
        Err(problem) => {
            out.problems.push(problem);
            return Vec::new();
        }
    };
    let mut objects: Vec<(String, Option<String>)> = Vec::new();
    let mut current_sheet: Option<String> = None;
    let result = xml::walk(&path, &xml_text, |element_path, value| {
        let Some(value) = value else { return };
        let last = element_path.last().map(String::as_str);
        let value = value.strip_prefix("Document\\").unwrap_or(value).to_owned();
        match last {
            Some("SheetId") => {
                current_sheet = Some(value.clone());
                objects.push((value, None));
            }
            Some("ObjectId") if element_path.iter().any(|e| e == "ChildObjects") => {
                objects.push((value, current_sheet.clone()));
            }
            _ => {}
        }
    });
    if let Err(problem) = result {
        out.problems.push(problem);
    }
    objects
}

fn read_objects(
    dir: &Path,
    sheets: &[(String, Option<String>)],
    context: &IngestContext,
    document: &mut QlikViewDocument,
    out: &mut Collected,
) {
    let mut files: Vec<PathBuf> = std::fs::read_dir(dir)
        .into_iter()
        .flatten()
        .flatten()
        .map(|entry| entry.path())
        .filter(|path| has_ext(path, "xml"))
        .filter(|path| {
            let name = path
                .file_name()
                .map(|n| n.to_string_lossy().to_ascii_lowercase())
                .unwrap_or_default();
            !DOCUMENT_FILES.contains(&name.as_str())
        })
        .collect();
    files.sort();
    for path in files {
        let stem = path
            .file_stem()
            .map(|s| s.to_string_lossy().into_owned())
            .unwrap_or_default();
        // Object files are named after the object id, sometimes with a `_<number>` suffix.
        let id = stem.split('_').next().unwrap_or(&stem).to_owned();
        let xml_text = match xml::read(&path, context.options.ansi) {
            Ok(xml_text) => xml_text,
            Err(problem) => {
                out.problems.push(problem);
                continue;
            }
        };
        let mut root = None;
        let mut chains = Vec::new();
        let mut macro_actions = 0;
        let result = xml::walk(&path, &xml_text, |element_path, value| {
            let Some(value) = value else {
                if element_path.len() == 1 {
                    root = Some(element_path[0].clone());
                }
                return;
            };
            let names: Vec<&str> = element_path.iter().map(String::as_str).collect();
            if names.ends_with(&["ActionItemDef", "Type"]) && value == "TYPE_MACRO" {
                macro_actions += 1;
            }
            collect_chain(&names, value, &path, &mut chains);
        });
        if let Err(problem) = result {
            out.problems.push(problem);
        }
        let sheet_id = sheets
            .iter()
            .find(|(object, _)| object.eq_ignore_ascii_case(&id))
            .and_then(|(_, sheet)| sheet.clone());
        document.objects.push(SheetObject {
            object_type: object_type(&id, root.as_deref()),
            id,
            sheet_id,
            provenance: Provenance::file(&path, FORMAT),
        });
        document.document_chains.extend(chains);
        document.macro_actions += macro_actions;
    }
}

/// Names an object's type from its root element, or from the two-letter prefix of its id.
fn object_type(id: &str, root: Option<&str>) -> String {
    if let Some(root) = root {
        let kind = root.trim_end_matches("Properties");
        if !kind.is_empty() && kind != root {
            return kind.to_ascii_lowercase();
        }
    }
    let prefix: String = id.chars().take_while(char::is_ascii_alphabetic).collect();
    let kind = match prefix.to_ascii_uppercase().as_str() {
        "CH" => "chart",
        "LB" => "listbox",
        "TX" => "textobject",
        "BU" => "button",
        "CT" => "container",
        "MB" => "multibox",
        "SO" => "statisticsbox",
        "TB" => "tablebox",
        "IB" => "inputbox",
        "SL" => "slider",
        "CS" => "currentselections",
        "BM" => "bookmarkobject",
        "SR" => "searchobject",
        "LA" => "linearrow",
        "CA" => "calendar",
        "SH" => "sheet",
        _ => "unknown",
    };
    kind.to_owned()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn object_type_prefers_the_root_element() {
        assert_eq!(object_type("CH01", Some("GraphProperties")), "graph");
        assert_eq!(object_type("CT03", None), "container");
        assert_eq!(object_type("XY1", None), "unknown");
    }
}
