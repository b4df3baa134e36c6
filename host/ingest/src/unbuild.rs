//! App export folders: `qlik app unbuild` and corectl projects, gitoqlok exports (per-tab
//! scripts with a tab order file, `objects/` and `reload_tasks/`), and serialized app exports
//! (`loadScript.json`, `dataconnections.json`, `sheets.json`, or all of them in one JSON file).
//!
//! Each folder is one app, whatever number of script files it has.

use std::path::{Path, PathBuf};

use qready_model::{
    App, AppObject, InputFormat, InputProblem, MasterItem, MasterItemKind, Product, Provenance,
    derived_id, is_guid,
};
use serde_json::Value;

use crate::collected::Collected;
use crate::connections;
use crate::json::{self, non_empty, str_field};
use crate::qrs;
use crate::script::{self, ReadScript};
use crate::{IngestContext, text};

/// The separators gitoqlok versions write between tab names in `tab_order.txt`.
const TAB_ORDER_SEPARATORS: &[&str] = &["%tab_file_order_divider%", "%tab_order_divider%"];

/// Files whose presence next to a script makes a folder an app export.
const EXPORT_MARKERS: &[&str] = &[
    "app-properties.json",
    "properties.json",
    "appprops.json",
    "connections.yml",
    "dataconnections.json",
    "dimensions.json",
    "measures.json",
    "variables.json",
    "sheets.json",
    "masterobjects.json",
];

/// Script file names of unbuild and app export folders, compared without case.
const SCRIPT_NAMES: &[&str] = &["script.qvs", "loadscript.qvs", "loadscript.json"];

/// Layout of an app export folder.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Layout {
    Gitoqlok,
    Unbuild,
    AppExport,
}

/// Folders whose files an app export folder reads itself.
pub fn owned_folders(dir: &Path) -> Vec<PathBuf> {
    ["", "objects", "data_load_script", "reload_tasks"]
        .iter()
        .map(|sub| {
            if sub.is_empty() {
                dir.to_path_buf()
            } else {
                dir.join(sub)
            }
        })
        .collect()
}

/// Recognizes an app export folder by the files in it.
pub fn detect(dir: &Path) -> Option<Layout> {
    let tabs = dir.join("data_load_script");
    if tabs.is_dir() && (tabs.join("tab_order.txt").is_file() || has_file_with_ext(&tabs, "qvs")) {
        return Some(Layout::Gitoqlok);
    }
    let has_script = SCRIPT_NAMES.iter().any(|name| find_ci(dir, name).is_some());
    let has_marker = EXPORT_MARKERS
        .iter()
        .any(|name| find_ci(dir, name).is_some() || find_ci(&dir.join("objects"), name).is_some())
        || dir.join("objects").is_dir();
    let has_config = find_ci(dir, "config.yml").is_some() || find_ci(dir, "corectl.yml").is_some();
    // A config file alone, as at the root of a folder of corectl projects, is not an app.
    if has_config && (has_script || has_marker || has_file_with_ext(dir, "qvs")) {
        return Some(Layout::Unbuild);
    }
    if has_script && has_marker {
        let layout = if find_ci(dir, "connections.yml").is_some()
            || find_ci(dir, "app-properties.json").is_some()
        {
            Layout::Unbuild
        } else {
            Layout::AppExport
        };
        return Some(layout);
    }
    None
}

/// Checks whether a JSON value is a whole app in one file: `properties` and `loadScript`.
pub fn is_whole_app_json(value: &Value) -> bool {
    value.get("properties").is_some_and(Value::is_object)
        && value.get("loadScript").is_some_and(Value::is_string)
}

/// Reads an app export folder into one app and the site records it carries.
pub fn read_folder(dir: &Path, layout: Layout, context: &IngestContext, out: &mut Collected) {
    let format = match layout {
        Layout::Gitoqlok => InputFormat::Gitoqlok,
        Layout::Unbuild => InputFormat::Unbuild,
        Layout::AppExport => InputFormat::AppExport,
    };
    let name = dir.file_name().map_or_else(
        || dir.display().to_string(),
        |n| n.to_string_lossy().into_owned(),
    );
    let id = derived_id("app", &[&context.relative(dir)]);
    let mut app = App::new(id, name, Product::QlikSense, dir.to_path_buf());
    app.provenance.push(Provenance::file(dir, format));

    let config = read_config(dir, format, &mut app, out);
    let read = match layout {
        Layout::Gitoqlok => read_gitoqlok_script(dir, context, out),
        _ => read_export_script(dir, config.script.as_deref(), context, out),
    };
    if let Some(read) = read {
        context.attach_script(&mut app, read, Some(dir), format, out);
    }

    for folder in [dir.to_path_buf(), dir.join("objects")] {
        read_properties(&folder, format, context, &mut app, out);
        read_master_items(&folder, format, context, &mut app, out);
        read_object_lists(&folder, format, context, &mut app, out);
    }
    read_object_files(&dir.join("objects"), format, context, &mut app, out);
    if let Some(connections_file) = find_ci(dir, "dataconnections.json")
        && let Some(value) = context.read_json(&connections_file, out)
    {
        app.connections
            .extend(connections::from_json(&connections_file, &value, format));
    }
    read_reload_tasks(&dir.join("reload_tasks"), context, &mut app, out);
    out.apps.push(app);
}

/// Settings of a qlik-cli `config.yml` or a corectl `corectl.yml`.
#[derive(Default)]
struct Config {
    script: Option<PathBuf>,
}

fn read_config(dir: &Path, format: InputFormat, app: &mut App, out: &mut Collected) -> Config {
    let mut config = Config::default();
    for name in ["config.yml", "corectl.yml"] {
        let Some(path) = find_ci(dir, name) else {
            continue;
        };
        let Ok(bytes) = text::read_limited(&path, 1024 * 1024).map_err(|p| out.problems.push(p))
        else {
            continue;
        };
        let (yaml_text, _) = text::decode(&bytes, encoding_rs::WINDOWS_1252);
        if let Ok(document) = crate::yaml::parse(&yaml_text)
            && let Some(script) = document.get("script").and_then(crate::yaml::Yaml::as_str)
        {
            config.script = Some(dir.join(script.trim_start_matches("./")));
        }
        app.connections.extend(connections::from_yaml(
            &path,
            &yaml_text,
            format,
            &mut out.problems,
        ));
    }
    if let Some(path) = find_ci(dir, "connections.yml")
        && let Ok(bytes) = text::read_limited(&path, 64 * 1024 * 1024)
    {
        let (yaml_text, _) = text::decode(&bytes, encoding_rs::WINDOWS_1252);
        app.connections.extend(connections::from_yaml(
            &path,
            &yaml_text,
            format,
            &mut out.problems,
        ));
    }
    config
}

fn read_gitoqlok_script(
    dir: &Path,
    context: &IngestContext,
    out: &mut Collected,
) -> Option<ReadScript> {
    let tabs_dir = dir.join("data_load_script");
    let mut files: Vec<PathBuf> = std::fs::read_dir(&tabs_dir)
        .into_iter()
        .flatten()
        .flatten()
        .map(|entry| entry.path())
        .filter(|path| has_ext(path, "qvs"))
        .collect();
    files.sort();
    let mut ordered: Vec<(String, PathBuf)> = Vec::new();
    if let Ok(order) = std::fs::read(tabs_dir.join("tab_order.txt")) {
        let (order, _) = text::decode(&order, context.options.ansi);
        let mut order = order.trim().to_owned();
        for separator in &TAB_ORDER_SEPARATORS[1..] {
            order = order.replace(separator, TAB_ORDER_SEPARATORS[0]);
        }
        for tab in order.split(TAB_ORDER_SEPARATORS[0]) {
            let tab = tab.trim();
            let position = files.iter().position(|path| {
                path.file_stem()
                    .is_some_and(|stem| stem.to_string_lossy().eq_ignore_ascii_case(tab))
            });
            match position {
                Some(position) => ordered.push((tab.to_owned(), files.remove(position))),
                None if !tab.is_empty() => out.problems.push(InputProblem::new(
                    tabs_dir.join("tab_order.txt"),
                    format!("tab '{tab}' is listed in the tab order but has no .qvs file"),
                )),
                None => {}
            }
        }
    }
    // Tab files the order file does not list follow in file name order.
    for path in files {
        let stem = path
            .file_stem()
            .map(|s| s.to_string_lossy().into_owned())
            .unwrap_or_default();
        ordered.push((stem, path));
    }
    if ordered.is_empty() {
        let combined = find_ci(dir, "loadscript.qvs")?;
        return script::read_file(&combined, &context.script_options, &mut out.problems);
    }
    script::read_tabs(
        &tabs_dir,
        &ordered,
        &context.script_options,
        &mut out.problems,
    )
}

fn read_export_script(
    dir: &Path,
    configured: Option<&Path>,
    context: &IngestContext,
    out: &mut Collected,
) -> Option<ReadScript> {
    let candidates = configured
        .map(Path::to_path_buf)
        .into_iter()
        .chain(SCRIPT_NAMES.iter().filter_map(|name| find_ci(dir, name)));
    for path in candidates {
        if !path.is_file() {
            continue;
        }
        if has_ext(&path, "json") {
            let value = context.read_json(&path, out)?;
            let script_text = value
                .get("loadScript")
                .or_else(|| value.get("qScript"))
                .and_then(Value::as_str)
                .or_else(|| value.as_str())?;
            return Some(script::read_text(
                &path,
                script_text,
                &context.script_options,
                &mut out.problems,
            ));
        }
        return script::read_file(&path, &context.script_options, &mut out.problems);
    }
    None
}

/// Reads a whole app exported as one JSON file (`properties`, `loadScript`, `sheets`, …).
pub fn read_whole_app(path: &Path, value: &Value, context: &IngestContext, out: &mut Collected) {
    let format = InputFormat::AppExport;
    let stem = path
        .file_stem()
        .map(|s| s.to_string_lossy().into_owned())
        .unwrap_or_default();
    let id = derived_id("app", &[&context.relative(path)]);
    let mut app = App::new(id, stem.clone(), Product::QlikSense, path.to_path_buf());
    if is_guid(&stem) {
        app.guid = Some(stem.to_lowercase());
    }
    app.provenance.push(Provenance::file(path, format));
    if let Some(properties) = value.get("properties") {
        apply_properties(properties, &mut app);
    }
    if let Some(script_text) = value.get("loadScript").and_then(Value::as_str) {
        let read = script::read_text(
            path,
            script_text,
            &context.script_options,
            &mut out.problems,
        );
        context.attach_script(&mut app, read, path.parent(), format, out);
    }
    app.connections
        .extend(connections::from_json(path, value, format));
    for key in ["dimensions", "measures", "variables"] {
        if let Some(items) = value.get(key) {
            master_items(items, Provenance::file(path, format), &mut app);
        }
    }
    for key in ["sheets", "masterobjects", "stories"] {
        if let Some(items) = value.get(key) {
            collect_objects(
                items,
                None,
                &Provenance::file(path, format),
                context,
                &mut app,
            );
        }
    }
    out.apps.push(app);
}

fn read_properties(
    dir: &Path,
    format: InputFormat,
    context: &IngestContext,
    app: &mut App,
    out: &mut Collected,
) {
    for name in ["app-properties.json", "properties.json"] {
        let Some(path) = find_ci(dir, name) else {
            continue;
        };
        let Some(value) = context.read_json(&path, out) else {
            continue;
        };
        let properties = value.get("properties").unwrap_or(&value);
        apply_properties(properties, app);
        app.provenance.push(Provenance::file(&path, format));
    }
}

/// Applies engine app properties (`qTitle`, `qLastReloadTime`, `published`, …).
fn apply_properties(properties: &Value, app: &mut App) {
    if let Some(title) = non_empty(properties, "qTitle") {
        app.name = title;
    }
    app.last_reload_time = non_empty(properties, "qLastReloadTime").or(app.last_reload_time.take());
    app.saved_in_product_version =
        non_empty(properties, "qSavedInProductVersion").or(app.saved_in_product_version.take());
    app.published = json::bool_field(properties, "published").or(app.published);
    app.publish_time = non_empty(properties, "publishTime").or(app.publish_time.take());
    app.description = non_empty(properties, "description").or(app.description.take());
    if let Some(stream) = properties.get("stream").filter(|s| s.is_object()) {
        app.stream_id = non_empty(stream, "id").or(app.stream_id.take());
    }
    if app.guid.is_none() {
        app.guid = properties
            .get("qThumbnail")
            .and_then(|thumbnail| str_field(thumbnail, "qUrl"))
            .and_then(|url| guid_in_url(&url));
    }
}

/// Finds the app GUID in a thumbnail URL such as `/appcontent/<guid>/…` or
/// `/api/v1/apps/<guid>/media/…`.
fn guid_in_url(url: &str) -> Option<String> {
    let parts: Vec<&str> = url.split('/').collect();
    parts.windows(2).find_map(|pair| {
        let marker = pair[0].to_ascii_lowercase();
        (matches!(marker.as_str(), "appcontent" | "apps") && is_guid(pair[1]))
            .then(|| pair[1].to_lowercase())
    })
}

fn read_master_items(
    dir: &Path,
    format: InputFormat,
    context: &IngestContext,
    app: &mut App,
    out: &mut Collected,
) {
    for name in ["dimensions.json", "measures.json", "variables.json"] {
        let Some(path) = find_ci(dir, name) else {
            continue;
        };
        if let Some(value) = context.read_json(&path, out) {
            master_items(&value, Provenance::file(&path, format), app);
        }
    }
}

fn master_items(value: &Value, provenance: Provenance, app: &mut App) {
    let items = ["dimensions", "measures", "variables"]
        .iter()
        .find_map(|key| value.get(*key))
        .unwrap_or(value);
    for item in items.as_array().into_iter().flatten() {
        let item = item.get("qProperty").unwrap_or(item);
        let id = item.get("qInfo").and_then(|info| non_empty(info, "qId"));
        let title = item
            .get("qMetaDef")
            .and_then(|meta| non_empty(meta, "title"));
        let (kind, name, definition) = if let Some(dimension) = item.get("qDim") {
            let fields = json::strings(dimension, "qFieldDefs").join(", ");
            let name = title.or_else(|| non_empty(dimension, "title"));
            (MasterItemKind::Dimension, name, fields)
        } else if let Some(measure) = item.get("qMeasure") {
            let name = title.or_else(|| non_empty(measure, "qLabel"));
            (
                MasterItemKind::Measure,
                name,
                str_field(measure, "qDef").unwrap_or_default(),
            )
        } else if item.get("qName").is_some() {
            let definition = str_field(item, "qDefinition").unwrap_or_default();
            (
                MasterItemKind::Variable,
                non_empty(item, "qName"),
                definition,
            )
        } else {
            continue;
        };
        app.master_items.push(MasterItem {
            kind,
            id,
            name: name.unwrap_or_default(),
            definition,
            provenance: provenance.clone(),
        });
    }
}

fn read_object_lists(
    dir: &Path,
    format: InputFormat,
    context: &IngestContext,
    app: &mut App,
    out: &mut Collected,
) {
    for name in ["sheets.json", "masterobjects.json", "stories.json"] {
        let Some(path) = find_ci(dir, name) else {
            continue;
        };
        if let Some(value) = context.read_json(&path, out) {
            collect_objects(&value, None, &Provenance::file(&path, format), context, app);
        }
    }
}

fn read_object_files(
    dir: &Path,
    format: InputFormat,
    context: &IngestContext,
    app: &mut App,
    out: &mut Collected,
) {
    let mut files: Vec<PathBuf> = std::fs::read_dir(dir)
        .into_iter()
        .flatten()
        .flatten()
        .map(|entry| entry.path())
        .filter(|path| has_ext(path, "json"))
        .collect();
    files.sort();
    for path in files {
        let file_name = path
            .file_name()
            .map(|n| n.to_string_lossy().to_lowercase())
            .unwrap_or_default();
        let listed = EXPORT_MARKERS.contains(&file_name.as_str()) || file_name == "stories.json";
        if listed {
            continue;
        }
        if let Some(value) = context.read_json(&path, out) {
            collect_objects(&value, None, &Provenance::file(&path, format), context, app);
        }
    }
}

/// Adds the objects of a generic object tree: a `{qProperty, qChildren}` pair, a bare
/// property tree with `qInfo`, a list of either, or a map with one list under a key.
fn collect_objects(
    value: &Value,
    sheet_id: Option<&str>,
    provenance: &Provenance,
    context: &IngestContext,
    app: &mut App,
) {
    match value {
        Value::Array(items) => {
            for item in items {
                collect_objects(item, sheet_id, provenance, context, app);
            }
        }
        Value::Object(map) => {
            let property = map.get("qProperty").unwrap_or(value);
            let Some(info) = property.get("qInfo") else {
                for key in ["sheets", "masterobjects", "stories"] {
                    if let Some(items) = map.get(key) {
                        collect_objects(items, sheet_id, provenance, context, app);
                    }
                }
                return;
            };
            let id = non_empty(info, "qId").unwrap_or_default();
            let object_type = non_empty(info, "qType").unwrap_or_default();
            let own_sheet = (object_type == "sheet").then(|| id.clone());
            let visualization = non_empty(property, "visualization");
            let title = property
                .get("qMetaDef")
                .and_then(|meta| non_empty(meta, "title"))
                .or_else(|| non_empty(property, "title"));
            let is_extension = visualization
                .as_deref()
                .is_some_and(|v| !context.is_native_visualization(v));
            app.objects.push(AppObject {
                id: id.clone(),
                object_type,
                visualization,
                title,
                sheet_id: sheet_id.map(str::to_owned),
                is_extension,
                provenance: provenance.clone(),
            });
            let child_sheet = own_sheet.as_deref().or(sheet_id);
            let children = map.get("qChildren").and_then(Value::as_array);
            match children {
                Some(children) if !children.is_empty() => {
                    for child in children {
                        collect_objects(child, child_sheet, provenance, context, app);
                    }
                }
                // A sheet exported without its children still names them in `cells`.
                _ => {
                    for cell in json::array(property, "cells") {
                        let (Some(cell_id), Some(cell_type)) =
                            (non_empty(cell, "name"), non_empty(cell, "type"))
                        else {
                            continue;
                        };
                        app.objects.push(AppObject {
                            id: cell_id,
                            is_extension: !context.is_native_visualization(&cell_type),
                            object_type: cell_type.clone(),
                            visualization: Some(cell_type),
                            title: None,
                            sheet_id: child_sheet.map(str::to_owned),
                            provenance: provenance.clone(),
                        });
                    }
                }
            }
        }
        _ => {}
    }
}

/// Reads gitoqlok `reload_tasks/`: the site's data connections (QRS shape) and the app's
/// tasks, whose `app.id` gives the app its GUID.
fn read_reload_tasks(dir: &Path, context: &IngestContext, app: &mut App, out: &mut Collected) {
    let mut files: Vec<PathBuf> = std::fs::read_dir(dir)
        .into_iter()
        .flatten()
        .flatten()
        .map(|entry| entry.path())
        .filter(|path| has_ext(path, "json"))
        .collect();
    files.sort();
    for path in files {
        let Some(value) = context.read_json(&path, out) else {
            continue;
        };
        if let Some(kind) = qrs::detect(&value) {
            let tasks_before = out.tasks.len();
            qrs::read(&path, kind, &value, out);
            if app.guid.is_none() {
                app.guid = out.tasks[tasks_before..]
                    .iter()
                    .find_map(|task| task.app_id.clone());
            }
        } else if connections::is_connection_list(&value) {
            out.connections
                .extend(connections::from_json(&path, &value, InputFormat::Gitoqlok));
        } else {
            tracing::debug!(path = %path.display(), "JSON in reload_tasks/ not recognized");
        }
    }
}

/// Finds a file in `dir` whose name equals `name` ignoring ASCII case.
pub fn find_ci(dir: &Path, name: &str) -> Option<PathBuf> {
    let exact = dir.join(name);
    if exact.is_file() {
        return Some(exact);
    }
    std::fs::read_dir(dir)
        .ok()?
        .flatten()
        .find(|entry| {
            entry
                .file_name()
                .to_string_lossy()
                .eq_ignore_ascii_case(name)
                && entry.path().is_file()
        })
        .map(|entry| entry.path())
}

pub fn has_ext(path: &Path, ext: &str) -> bool {
    path.extension()
        .and_then(|e| e.to_str())
        .is_some_and(|e| e.eq_ignore_ascii_case(ext))
}

fn has_file_with_ext(dir: &Path, ext: &str) -> bool {
    std::fs::read_dir(dir)
        .into_iter()
        .flatten()
        .flatten()
        .any(|entry| has_ext(&entry.path(), ext))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn guid_is_found_in_thumbnail_urls() {
        let url = "/api/v1/apps/2d19b6b5-3a8c-4dfa-8d4d-712ad5c2788e/media/files/x.png";
        assert_eq!(
            guid_in_url(url).as_deref(),
            Some("2d19b6b5-3a8c-4dfa-8d4d-712ad5c2788e")
        );
        assert_eq!(guid_in_url("/media/x.png"), None);
    }
}
