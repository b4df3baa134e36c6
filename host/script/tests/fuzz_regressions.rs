//! Inputs that crashed the parser under `cargo fuzz` (minimized), kept so the fixes stay.

use qready_script::{StatementKind, decode, parse};

/// Decodes and parses like the fuzz target does.
fn parse_bytes(bytes: &[u8]) -> qready_script::Script {
    let decoded = decode::decode(bytes, encoding_rs::WINDOWS_1252);
    parse(&decoded.text)
}

#[test]
fn select_ending_in_from() {
    // Reading the table after a FROM that ends the script indexed past the last token.
    let script = parse_bytes(b"SELECT FROM");
    assert_eq!(script.statements[0].kind, StatementKind::Select);
    let script = parse_bytes(b"SQL SELECT a FROM t JOIN");
    assert_eq!(script.statements[0].sources.len(), 1);
}

#[test]
fn empty_list_function_arguments() {
    let script = parse_bytes(b"FOR EACH f IN FileList()\nNEXT\nFOR EACH d IN DirList(\n");
    assert_eq!(script.statements[0].kind, StatementKind::ForEach);
    assert!(script.statements[0].sources.is_empty());
}

/// Parentheses nested tens of thousands deep are kept as raw text instead of overflowing the
/// parser's stack.
#[test]
fn deeply_nested_parentheses_parse() {
    let depth = 30_000;
    let text = format!(
        "LET x = {}1{};\nEXECUTE cmd.exe;\n",
        "(".repeat(depth),
        ")".repeat(depth)
    );
    let script = qready_script::parse(&text);
    assert_eq!(script.statements.len(), 2);
    assert_eq!(
        script.statements[1].kind,
        qready_script::StatementKind::Execute
    );
}

/// Expansions nested tens of thousands deep are treated as unknown values.
#[test]
fn deeply_nested_expansions_parse() {
    let depth = 30_000;
    let text = format!(
        "LET x = {}1{};\nEXECUTE cmd.exe;\n",
        "$(".repeat(depth),
        ")".repeat(depth)
    );
    let script = qready_script::parse(&text);
    assert_eq!(
        script.statements.last().unwrap().kind,
        qready_script::StatementKind::Execute
    );
}
