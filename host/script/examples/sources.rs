//! Prints every source reference of the scripts named in a list file: file, line, role, kind, path.

fn main() {
    let list = std::env::args().nth(1).expect("usage: sources LIST_FILE");
    for path in std::fs::read_to_string(list)
        .expect("list file is readable")
        .lines()
    {
        let bytes = std::fs::read(path).expect("script file is readable");
        let decoded = qready_script::decode::decode(&bytes, encoding_rs::WINDOWS_1252);
        let script = qready_script::parse(&decoded.text);
        for statement in &script.statements {
            for source in &statement.sources {
                let kind = serde_json::to_string(&source.kind).unwrap_or_default();
                println!(
                    "{path}:{}\t{:?}\t{kind}\t{:?}\t{:?}",
                    source.span.line, source.role, source.path, source.resolved
                );
            }
        }
    }
}
