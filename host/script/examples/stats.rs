//! Prints statistics over a list of script files: statement kinds, diagnostics and long statements.

use std::collections::BTreeMap;

fn main() {
    let list = std::env::args().nth(1).expect("usage: stats LIST_FILE");
    let mut kinds: BTreeMap<&str, usize> = BTreeMap::new();
    let mut messages: BTreeMap<String, usize> = BTreeMap::new();
    for path in std::fs::read_to_string(list).expect("list").lines() {
        let bytes = std::fs::read(path).expect("file");
        let decoded = qready_script::decode::decode(&bytes, encoding_rs::WINDOWS_1252);
        let script = qready_script::parse(&decoded.text);
        for statement in &script.statements {
            *kinds.entry(statement.kind.as_str()).or_default() += 1;
            let json = serde_json::to_string(&statement.node).unwrap_or_default();
            if json.contains("\"type\":\"raw\"") {
                println!("raw expr: {path}:{}", statement.span.line);
            }
            if statement.span.end_line - statement.span.line > 80 {
                println!(
                    "long: {path}:{}-{} {}",
                    statement.span.line,
                    statement.span.end_line,
                    statement.kind.as_str()
                );
            }
        }
        for diagnostic in &script.diagnostics {
            let key: String = diagnostic.message.chars().take(60).collect();
            *messages.entry(key).or_default() += 1;
        }
    }
    println!("{kinds:#?}\n{messages:#?}");
}
