//! Rules about facts outside the script run on estates written for them under
//! `tests/fixtures/estates/`: repository exports, QlikView project folders, app exports, app
//! metadata and session logs. Each estate is assessed with the built-in packs, and the findings
//! of the pack it belongs to are compared with the `expect: CODE` annotations in its files.
//!
//! JSON files cannot hold comments, so their annotations sit in a `"qready-test"` key of the
//! object the finding is about. A finding about a whole file (line 0) matches an annotation
//! anywhere in that file; any other finding must match the annotation's line.

mod common;

use std::path::Path;

use common::{Hit, assess_estate, hits, workspace};

/// Annotations of every file under `root`, as hits with paths relative to `root`.
fn annotations(root: &Path) -> Vec<Hit> {
    let mut expected = Vec::new();
    for entry in walkdir::WalkDir::new(root).sort_by_file_name() {
        let entry = entry.unwrap();
        if !entry.file_type().is_file() {
            continue;
        }
        let bytes = std::fs::read(entry.path()).unwrap();
        let text = String::from_utf8_lossy(&bytes);
        let file = entry
            .path()
            .strip_prefix(root)
            .unwrap()
            .display()
            .to_string();
        for (code, line) in qready_plugin_sdk::testing::expectations(&text) {
            expected.push(Hit {
                code,
                file: file.clone(),
                line: u64::from(line),
            });
        }
    }
    expected
}

/// Assesses `tests/fixtures/estates/<name>` (with its `qready.toml`, when it has one) and
/// compares the findings whose code starts with one of `prefixes` with the annotations.
fn check_estate(name: &str, prefixes: &[&str]) {
    let root = workspace().join("tests/fixtures/estates").join(name);
    let report = assess_estate(&root, None);
    let diagnostics = report["diagnostics"].as_array().unwrap();
    assert!(diagnostics.is_empty(), "{diagnostics:?}");

    let found: Vec<Hit> = hits(&report, &root)
        .into_iter()
        .filter(|hit| prefixes.iter().any(|p| hit.code.starts_with(p)))
        .collect();
    let mut expected = annotations(&root);
    let mut unexpected = Vec::new();
    let mut sorted = found.clone();
    // Exact lines first, so that a whole-file finding does not take a line's annotation.
    sorted.sort_by_key(|hit| hit.line == 0);
    for hit in sorted {
        let matches = |e: &Hit| {
            e.code == hit.code && e.file == hit.file && (hit.line == 0 || e.line == hit.line)
        };
        match expected.iter().position(matches) {
            Some(index) => {
                expected.remove(index);
            }
            None => unexpected.push(hit),
        }
    }
    assert!(
        unexpected.is_empty() && expected.is_empty(),
        "estate {name}: unexpected {unexpected:#?}\nmissing {expected:#?}\nall findings {found:#?}"
    );
}

#[test]
fn core_estate_findings_match() {
    check_estate("core", &["QC1"]);
}

#[test]
fn app_estate_findings_match() {
    check_estate("app", &["QC3"]);
}

#[test]
fn governance_estate_findings_match() {
    check_estate("governance", &["QC4"]);
}

#[test]
fn sizing_estate_findings_match() {
    check_estate("sizing", &["QC5", "QC6"]);
}
