//! The statement text behind each finding, and fingerprints that survive line moves.
//!
//! A fingerprint is the SHA-256 of the rule code, the app id, the file, the normalized statement
//! text and the occurrence number among findings that share all of these. The file is relative
//! to the app's folder and in lower case, so a copy of the estate elsewhere, or with names in
//! another case, keeps its fingerprints. The line and
//! column are not part of it, so moving a statement keeps its fingerprint, and editing the
//! statement changes it.

use std::collections::HashMap;
use std::path::Path;

use sha2::{Digest, Sha256};

use crate::finding::{Finding, Location};
use crate::model::{App, Estate};

/// Maximum length of the statement text kept on a finding, in characters. Longer text is cut and
/// ends with `…`, while the fingerprint hashes the whole statement.
const MAX_STATEMENT_CHARS: usize = 400;

/// Fills in [`Finding::statement`] and [`Finding::fingerprint`] of every finding.
pub(super) fn attach(findings: &mut [Finding], estate: &Estate) {
    let apps: HashMap<&str, &App> = estate.apps.iter().map(|a| (a.id.as_str(), a)).collect();
    let mut occurrences: HashMap<[u8; 32], u32> = HashMap::new();
    for finding in findings.iter_mut() {
        let app = apps.get(finding.app_id.as_str()).copied();
        let statement = match (app, &finding.location) {
            (Some(app), Some(location)) => statement_text(app, location),
            _ => None,
        };
        // Windows paths ignore case, and a new export of an estate may spell a name differently.
        let file = match (app, &finding.location) {
            (Some(app), Some(location)) => relative_file(&app.source, &location.file),
            (None, Some(location)) => location.file.replace('\\', "/"),
            _ => String::new(),
        }
        .to_lowercase();
        // Without a statement, the message is what identifies an app-wide finding.
        let text = statement.as_deref().map_or_else(
            || normalize_statement(&finding.message),
            normalize_statement,
        );
        let key = hash_parts(&[&finding.rule.code, &finding.app_id, &file, &text]);
        let occurrence = occurrences.entry(key).or_default();
        *occurrence += 1;
        finding.fingerprint = fingerprint(&key, *occurrence);
        finding.statement = statement.map(|text| shorten(&collapse_whitespace(&text)));
    }
}

/// Normalizes statement text for fingerprints: whitespace runs become one space, and runs of
/// `*` (masked credentials, one `*` per byte of the secret) become one `*`.
pub fn normalize_statement(text: &str) -> String {
    let collapsed = collapse_whitespace(text);
    let mut out = String::with_capacity(collapsed.len());
    let mut previous_star = false;
    for c in collapsed.chars() {
        if c == '*' && previous_star {
            continue;
        }
        previous_star = c == '*';
        out.push(c);
    }
    out
}

/// Replaces every run of whitespace with one space and trims both ends.
pub(super) fn collapse_whitespace(text: &str) -> String {
    text.split_whitespace().collect::<Vec<_>>().join(" ")
}

/// Returns the text of the smallest statement that covers the location, or the location's line
/// when no statement covers it.
fn statement_text(app: &App, location: &Location) -> Option<String> {
    let script = app.script.as_ref()?;
    let file_index = script
        .files
        .iter()
        .position(|file| file.path.display().to_string() == location.file)?;
    let file = &script.files[file_index];
    let position = (location.line, location.column);
    let covering = script
        .statements
        .iter()
        .filter(|(index, _)| *index as usize == file_index)
        .map(|(_, statement)| &statement.span)
        .filter(|span| {
            (span.line, span.column) <= position && position <= (span.end_line, span.end_column)
        })
        .min_by_key(|span| span.end - span.start);
    if let Some(span) = covering
        && let Some(text) = file.text.get(span.start as usize..span.end as usize)
    {
        return Some(text.to_owned());
    }
    let line = file
        .text
        .lines()
        .nth(location.line.checked_sub(1)? as usize)?;
    Some(line.trim().to_owned())
}

/// Returns `file` relative to the folder that contains the app's source, with `/` separators,
/// or the whole path when it lies elsewhere.
fn relative_file(source: &Path, file: &str) -> String {
    let file_path = Path::new(file);
    let relative = source
        .parent()
        .and_then(|folder| file_path.strip_prefix(folder).ok())
        .unwrap_or(file_path);
    crate::model::display_path(relative)
}

fn hash_parts(parts: &[&str]) -> [u8; 32] {
    let mut hasher = Sha256::new();
    hasher.update(b"qready-fingerprint-1");
    for part in parts {
        // A length prefix keeps ("ab", "c") and ("a", "bc") apart.
        hasher.update((part.len() as u64).to_le_bytes());
        hasher.update(part.as_bytes());
    }
    hasher.finalize().into()
}

/// Returns the first 16 bytes of the hash of `key` and the occurrence, as 32 hex digits.
fn fingerprint(key: &[u8; 32], occurrence: u32) -> String {
    let mut hasher = Sha256::new();
    hasher.update(key);
    hasher.update(occurrence.to_le_bytes());
    let digest = hasher.finalize();
    digest[..16].iter().map(|b| format!("{b:02x}")).collect()
}

fn shorten(text: &str) -> String {
    match text.char_indices().nth(MAX_STATEMENT_CHARS) {
        Some((end, _)) => format!("{}…", &text[..end]),
        None => text.to_owned(),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn normalize_collapses_whitespace_and_masks() {
        let text = "ODBC CONNECT TO [x]\n   (XUserId is ****, XPassword is ********);";
        assert_eq!(
            normalize_statement(text),
            "ODBC CONNECT TO [x] (XUserId is *, XPassword is *);"
        );
    }

    #[test]
    fn relative_file_strips_app_folder() {
        let source = Path::new("/tmp/estate/qlikview/Sales-prj");
        let file = "/tmp/estate/qlikview/Sales-prj/LoadScript.txt";
        assert_eq!(relative_file(source, file), "Sales-prj/LoadScript.txt");
        assert_eq!(
            relative_file(source, "/elsewhere/x.qvs"),
            "/elsewhere/x.qvs"
        );
    }

    #[test]
    fn occurrence_separates_equal_keys() {
        let key = hash_parts(&["QC101", "app", "f", "LOAD"]);
        assert_ne!(fingerprint(&key, 1), fingerprint(&key, 2));
        assert_eq!(fingerprint(&key, 1).len(), 32);
    }

    #[test]
    fn shorten_cuts_long_text() {
        let long = "x".repeat(MAX_STATEMENT_CHARS + 10);
        let short = shorten(&long);
        assert_eq!(short.chars().count(), MAX_STATEMENT_CHARS + 1);
        assert!(short.ends_with('…'));
    }
}
