//! Prints the statements of a script file, one per line: line, kind, and parse diagnostics.

fn main() {
    let path = std::env::args()
        .nth(1)
        .expect("usage: dump FILE [FROM_LINE TO_LINE]");
    let from: u32 = std::env::args()
        .nth(2)
        .and_then(|a| a.parse().ok())
        .unwrap_or(0);
    let to: u32 = std::env::args()
        .nth(3)
        .and_then(|a| a.parse().ok())
        .unwrap_or(u32::MAX);
    let bytes = std::fs::read(&path).expect("file should be readable");
    let decoded = qready_script::decode::decode(&bytes, encoding_rs::WINDOWS_1252);
    let script = qready_script::parse(&decoded.text);
    for statement in &script.statements {
        if statement.span.line >= from && statement.span.line <= to {
            println!(
                "{}:{}-{}:{} {} {:?}",
                statement.span.line,
                statement.span.column,
                statement.span.end_line,
                statement.span.end_column,
                statement.kind.as_str(),
                statement
                    .sources
                    .iter()
                    .map(|s| (&s.path, &s.kind))
                    .collect::<Vec<_>>()
            );
        }
    }
    for diagnostic in &script.diagnostics {
        println!("{:?}", diagnostic);
    }
}
