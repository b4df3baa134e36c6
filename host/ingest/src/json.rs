//! Reading JSON files with positions for errors, and typed access to loosely shaped values.
//!
//! QRS and engine exports differ between versions, so fields are read one by one: a field that
//! is missing or of an unexpected type reads as `None` instead of failing the whole record.

use std::path::Path;

use qready_model::{CustomPropertyValue, InputProblem, UserRef};
use serde_json::Value;

use crate::text;

/// Largest JSON file read, in bytes.
pub const MAX_JSON_BYTES: u64 = 512 * 1024 * 1024;

/// Reads and parses a JSON file. Syntax errors carry the line and column serde_json reports.
pub fn read(path: &Path, ansi: &'static encoding_rs::Encoding) -> Result<Value, InputProblem> {
    let bytes = text::read_limited(path, MAX_JSON_BYTES)?;
    parse(path, &bytes, ansi)
}

/// Parses JSON bytes read from `path`.
pub fn parse(
    path: &Path,
    bytes: &[u8],
    ansi: &'static encoding_rs::Encoding,
) -> Result<Value, InputProblem> {
    let (text, _) = text::decode(bytes, ansi);
    serde_json::from_str(&text).map_err(|error| {
        let message = format!("invalid JSON: {error}");
        if error.line() > 0 {
            InputProblem::at(path, error.line() as u32, error.column() as u32, message)
        } else {
            InputProblem::new(path, message)
        }
    })
}

/// Returns a string field; numbers and booleans are not converted.
pub fn str_field(value: &Value, key: &str) -> Option<String> {
    value.get(key)?.as_str().map(str::to_owned)
}

/// Returns a string field that is present and not empty.
pub fn non_empty(value: &Value, key: &str) -> Option<String> {
    str_field(value, key).filter(|s| !s.trim().is_empty())
}

pub fn bool_field(value: &Value, key: &str) -> Option<bool> {
    value.get(key)?.as_bool()
}

pub fn i64_field(value: &Value, key: &str) -> Option<i64> {
    value.get(key)?.as_i64()
}

/// Returns an unsigned number, also when written as a float or a numeric string.
pub fn u64_field(value: &Value, key: &str) -> Option<u64> {
    let field = value.get(key)?;
    field
        .as_u64()
        .or_else(|| field.as_f64().filter(|f| *f >= 0.0).map(|f| f as u64))
        .or_else(|| field.as_str()?.trim().parse().ok())
}

/// Returns the `id` of a nested reference such as `app: {id, name}`.
pub fn nested_id(value: &Value, key: &str) -> Option<String> {
    non_empty(value.get(key)?, "id")
}

/// Returns the names of `tags: [{id, name}]`.
pub fn tags(value: &Value) -> Vec<String> {
    array(value, "tags")
        .filter_map(|tag| non_empty(tag, "name"))
        .collect()
}

/// Returns `customProperties: [{definition: {name}, value}]`.
pub fn custom_properties(value: &Value) -> Vec<CustomPropertyValue> {
    array(value, "customProperties")
        .filter_map(|property| {
            let name = non_empty(property.get("definition")?, "name")?;
            let value = match property.get("value")? {
                Value::String(text) => text.clone(),
                other => other.to_string(),
            };
            Some(CustomPropertyValue { name, value })
        })
        .collect()
}

/// Returns `owner: {id, userDirectory, userId}`.
pub fn owner(value: &Value) -> Option<UserRef> {
    let owner = value.get("owner")?;
    if !owner.is_object() {
        return None;
    }
    Some(UserRef {
        id: non_empty(owner, "id"),
        user_directory: non_empty(owner, "userDirectory"),
        user_id: non_empty(owner, "userId"),
    })
}

/// Iterates over the items of an array field; a missing or non-array field yields nothing.
pub fn array<'a>(value: &'a Value, key: &str) -> impl Iterator<Item = &'a Value> {
    value
        .get(key)
        .and_then(Value::as_array)
        .into_iter()
        .flatten()
}

/// Returns the string items of an array field.
pub fn strings(value: &Value, key: &str) -> Vec<String> {
    array(value, key)
        .filter_map(|item| item.as_str().map(str::to_owned))
        .collect()
}
