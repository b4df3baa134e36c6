//! Engine REST JSON: app data model metadata (`/api/v1/apps/{id}/data/metadata`) and lineage
//! (`/api/v1/apps/{id}/data/lineage`).
//!
//! Neither response names its app, so the app GUID is taken from the file or folder name, as
//! `collect` writes them (`metadata/<app id>.json`, `lineage/<app id>.json`).

use std::path::Path;

use qready_model::{
    AppMetadata, InputFormat, MetadataField, MetadataTable, Provenance, QvdLineageEntry, is_guid,
};
use serde_json::Value;

use crate::collected::{AppKey, AppLineage, Collected};
use crate::json::{array, bool_field, non_empty, strings, u64_field};
use crate::redact;

/// Checks whether JSON is an app metadata response.
pub fn is_metadata(value: &Value) -> bool {
    value.is_object()
        && (value.get("static_byte_size").is_some() || value.get("reload_meta").is_some())
        && (value.get("tables").is_some() || value.get("fields").is_some())
}

/// Checks whether JSON is an app lineage response: a list of `{discriminator, statement}`.
pub fn is_lineage(value: &Value) -> bool {
    let items = value.get("lineage").unwrap_or(value);
    items.as_array().is_some_and(|items| {
        !items.is_empty()
            && items
                .iter()
                .all(|item| item.get("discriminator").is_some_and(Value::is_string))
    })
}

/// Finds the app a metadata or lineage file belongs to from its path.
pub fn app_key_from_path(path: &Path) -> AppKey {
    let guid = path
        .ancestors()
        .filter_map(|part| part.file_name())
        .map(|name| name.to_string_lossy().into_owned())
        .find_map(|name| {
            let candidate = name.get(..36)?;
            is_guid(candidate).then(|| candidate.to_lowercase())
        });
    let name = match guid {
        Some(_) => None,
        None => path.file_stem().map(|s| s.to_string_lossy().into_owned()),
    };
    AppKey { guid, name }
}

pub fn read_metadata(path: &Path, value: &Value, out: &mut Collected) {
    let reload = value.get("reload_meta");
    let tables = array(value, "tables")
        .map(|table| MetadataTable {
            name: non_empty(table, "name").unwrap_or_default(),
            rows: u64_field(table, "no_of_rows"),
            fields: u64_field(table, "no_of_fields"),
            key_fields: u64_field(table, "no_of_key_fields"),
            byte_size: u64_field(table, "byte_size"),
            is_system: bool_field(table, "is_system").unwrap_or(false),
            is_loose: bool_field(table, "is_loose").unwrap_or(false),
        })
        .collect();
    let fields = array(value, "fields")
        .map(|field| MetadataField {
            name: non_empty(field, "name").unwrap_or_default(),
            source_tables: strings(field, "src_tables"),
            distinct_values: u64_field(field, "cardinal"),
            byte_size: u64_field(field, "byte_size"),
            is_system: bool_field(field, "is_system").unwrap_or(false),
            is_hidden: bool_field(field, "is_hidden").unwrap_or(false),
        })
        .collect();
    let metadata = AppMetadata {
        static_byte_size: u64_field(value, "static_byte_size"),
        peak_reload_memory_bytes: reload.and_then(|r| u64_field(r, "peak_memory_bytes")),
        reload_cpu_time_ms: reload.and_then(|r| u64_field(r, "cpu_time_spent_ms")),
        has_section_access: bool_field(value, "has_section_access"),
        tables,
        fields,
        provenance: Provenance::file(path, InputFormat::AppMetadata),
    };
    out.metadata.push((app_key_from_path(path), metadata));
}

pub fn read_lineage(path: &Path, value: &Value, out: &mut Collected) {
    let items = value.get("lineage").unwrap_or(value);
    let entries = items
        .as_array()
        .into_iter()
        .flatten()
        .map(|item| QvdLineageEntry {
            discriminator: redact::masked(&non_empty(item, "discriminator").unwrap_or_default()),
            statement: non_empty(item, "statement").map(|s| redact::masked(&s)),
        })
        .collect();
    out.lineage.push(AppLineage {
        app: app_key_from_path(path),
        entries,
        provenance: Provenance::file(path, InputFormat::AppLineage),
    });
}
