//! The syntax tree serializes to JSON for every statement kind, as `qready script parse
//! --format json` prints it.

mod common;

use std::collections::BTreeSet;

use qready_script::{StatementKind, decode, parse};

/// A script with at least one statement of each kind in `StatementKind::ALL`.
const EVERY_STATEMENT: &str = include_str!("fixtures/every-statement.qvs");

#[test]
fn fixture_covers_every_statement_kind() {
    let script = parse(EVERY_STATEMENT);
    let seen: BTreeSet<&str> = script.statements.iter().map(|s| s.kind.as_str()).collect();
    let missing: Vec<&str> = StatementKind::ALL
        .iter()
        .map(|kind| kind.as_str())
        .filter(|kind| !seen.contains(kind))
        .collect();
    assert!(
        missing.is_empty(),
        "fixture lacks statements of kind {missing:?}"
    );
}

#[test]
fn every_statement_kind_serializes() {
    let script = parse(EVERY_STATEMENT);
    for statement in &script.statements {
        let line = statement.span.line;
        let json = serde_json::to_value(&statement.node)
            .unwrap_or_else(|e| panic!("line {line}: node does not serialize: {e}"));
        let tag = json.get("type").and_then(|t| t.as_str());
        assert!(tag.is_some(), "line {line}: node JSON lacks a type: {json}");
    }
    let whole = serde_json::to_string(&script);
    assert!(whole.is_ok(), "script does not serialize: {whole:?}");
}

#[test]
fn control_nodes_keep_their_values() {
    let script = parse("FOR i = 1 TO 2\nNEXT i\nSWITCH v\nCASE 1, 2\nEND SWITCH\nALIAS a AS b;\n");
    let nodes: Vec<serde_json::Value> = script
        .statements
        .iter()
        .map(|s| serde_json::to_value(&s.node).expect("node serializes"))
        .collect();
    assert_eq!(nodes[1]["type"], "next");
    assert_eq!(nodes[1]["variable"], "i");
    assert_eq!(nodes[3]["type"], "case");
    assert_eq!(nodes[3]["values"].as_array().map(Vec::len), Some(2));
    assert_eq!(nodes[5]["type"], "alias");
    assert_eq!(nodes[5]["pairs"][0]["alias"], "b");
}

#[test]
fn corpus_scripts_serialize() {
    let mut failures = Vec::new();
    for file in common::script_files() {
        let bytes = std::fs::read(file.disk_path()).expect("corpus file is readable");
        let text = decode::decode(&bytes, encoding_rs::WINDOWS_1252).text;
        if let Err(error) = serde_json::to_string(&parse(&text)) {
            failures.push(format!("{}: {error}", file.id()));
        }
    }
    assert!(failures.is_empty(), "{}", failures.join("\n"));
}
