//! Data connection records in their three JSON shapes, and in `connections.yml`.

use std::path::Path;

use qready_model::{DataConnection, InputFormat, InputProblem, Provenance, derived_id};
use serde_json::Value;

use crate::json::{non_empty, str_field};
use crate::qrs;
use crate::yaml::{self, Yaml};

/// Checks whether a JSON value is a list of connections in the engine (`{qConnection: …}`) or
/// Qlik Cloud (`qConnectStatement`) shape, bare or under a `dataconnections` key.
pub fn is_connection_list(value: &Value) -> bool {
    let items = value.get("dataconnections").unwrap_or(value);
    items
        .as_array()
        .and_then(|items| items.iter().find(|item| item.is_object()))
        .is_some_and(|first| {
            first.get("qConnection").is_some() || first.get("qConnectStatement").is_some()
        })
}

/// Reads a connection list in any of the three JSON shapes.
pub fn from_json(path: &Path, value: &Value, format: InputFormat) -> Vec<DataConnection> {
    let items = value.get("dataconnections").unwrap_or(value);
    let Some(items) = items.as_array() else {
        return Vec::new();
    };
    items
        .iter()
        .filter_map(|item| record(item, Provenance::file(path, format)))
        .collect()
}

/// Reads one connection record: QRS (`connectionstring`), engine (`qConnection`) or Qlik Cloud
/// (`qConnectStatement`).
pub fn record(item: &Value, provenance: Provenance) -> Option<DataConnection> {
    if item.get("connectionstring").is_some() {
        let id = non_empty(item, "id")?;
        return Some(qrs::connection(id, item, provenance));
    }
    let (record, string_key, id_keys) = match item.get("qConnection") {
        Some(inner) => (inner, "qConnectionString", &["qId"][..]),
        None => (item, "qConnectStatement", &["id", "qID"][..]),
    };
    let name = non_empty(record, "qName")?;
    let id = id_keys
        .iter()
        .find_map(|key| non_empty(record, key))
        .unwrap_or_else(|| qrs::connection_id_for_name(&name));
    let connection_type = non_empty(record, "qType")
        .or_else(|| non_empty(record, "datasourceID"))
        .unwrap_or_default();
    Some(qrs::masked_connection(
        id,
        name,
        connection_type,
        str_field(record, string_key).unwrap_or_default(),
        non_empty(record, "qUserName").is_some(),
        provenance,
    ))
}

/// Reads the `connections:` map of a qlik-cli `connections.yml` or a corectl config file.
/// Entries with the same name are all kept; the second gets `#2` appended to its id.
pub fn from_yaml(
    path: &Path,
    text: &str,
    format: InputFormat,
    problems: &mut Vec<InputProblem>,
) -> Vec<DataConnection> {
    let entries = match yaml::parse(text) {
        Ok(document) => match document.get("connections") {
            Some(Yaml::Map(entries)) => entries.clone(),
            _ => return Vec::new(),
        },
        Err(error) => {
            // qlik-cli writes connection strings unquoted, so one that contains `: ` (as OAuth
            // blobs do) makes the file invalid YAML. Its fixed layout can still be read.
            let entries = lenient_entries(text);
            if entries.is_empty() {
                problems.push(InputProblem::at(
                    path,
                    error.line,
                    error.column,
                    format!("invalid YAML: {}", error.message),
                ));
            }
            entries
        }
    };
    let mut connections: Vec<DataConnection> = Vec::new();
    for (name, line, entry) in &entries {
        let field = |key: &str| entry.get(key).and_then(Yaml::as_str).map(str::to_owned);
        let mut id = derived_id("connection", &[name]);
        let same_name = connections.iter().filter(|c| c.name == *name).count();
        if same_name > 0 {
            id = format!("{id}#{}", same_name + 1);
        }
        connections.push(qrs::masked_connection(
            id,
            name.clone(),
            field("type").unwrap_or_default(),
            field("connectionstring").unwrap_or_default(),
            field("username").is_some_and(|user| !user.trim().is_empty()),
            Provenance::at(path, format, *line, 1),
        ));
    }
    connections
}

/// Reads the layout qlik-cli writes, line by line: `connections:`, then each name indented by
/// two spaces and its fields (`key: value`, the value running to the end of the line) by four.
fn lenient_entries(text: &str) -> Vec<(String, u32, Yaml)> {
    let mut entries: Vec<(String, u32, Yaml)> = Vec::new();
    let mut inside = false;
    for (index, line) in text.lines().enumerate() {
        let indent = line.len() - line.trim_start().len();
        let trimmed = line.trim();
        if trimmed.is_empty() || trimmed.starts_with('#') {
            continue;
        }
        if indent == 0 {
            inside = trimmed == "connections:";
            continue;
        }
        if !inside {
            continue;
        }
        if indent <= 2 {
            if let Some(name) = trimmed.strip_suffix(':') {
                entries.push((unquote(name), index as u32 + 1, Yaml::Map(Vec::new())));
            }
            continue;
        }
        let (Some((_, _, Yaml::Map(fields))), Some((key, value))) =
            (entries.last_mut(), trimmed.split_once(':'))
        else {
            continue;
        };
        fields.push((
            key.trim().to_owned(),
            index as u32 + 1,
            Yaml::Scalar(unquote(value.trim())),
        ));
    }
    entries
}

fn unquote(text: &str) -> String {
    let text = text.trim();
    for quote in ['"', '\''] {
        if text.len() >= 2 && text.starts_with(quote) && text.ends_with(quote) {
            return text[1..text.len() - 1].to_owned();
        }
    }
    text.to_owned()
}
