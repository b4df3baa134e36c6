//! Resolution of `$(var)` and of path expressions in source references.

use qready_script::load::{LoadOptions, load_text};
use qready_script::{PathKind, SourceRef};

/// Loads `text` and returns the source references of every statement, in order.
fn sources(text: &str) -> Vec<SourceRef> {
    let name = std::path::Path::new("resolve.qvs");
    let script = load_text(name, text.as_bytes(), None, &LoadOptions::default());
    script
        .statements
        .into_iter()
        .flat_map(|(_, statement)| statement.sources)
        .collect()
}

fn lib(connection: &str) -> PathKind {
    PathKind::Lib {
        space: None,
        connection: connection.to_owned(),
    }
}

#[test]
fn joined_literals_are_a_path() {
    let found = sources("FOR EACH f IN FileList('C:\\Logs\\' & '*.log')\nNEXT f\n");
    assert_eq!(found[0].kind, PathKind::Drive);
    assert_eq!(found[0].resolved.as_deref(), Some("C:\\Logs\\*.log"));
}

#[test]
fn joined_expansion_resolves_to_library() {
    let found = sources(
        "LET vLogs = 'lib://Logs/';\nFOR EACH f IN FileList('$(vLogs)' & '*.log')\nNEXT f\n",
    );
    assert_eq!(found[0].kind, lib("Logs"));
    assert_eq!(found[0].resolved.as_deref(), Some("lib://Logs/*.log"));
}

#[test]
fn joined_unknown_variables_are_dynamic() {
    let found = sources("FOR EACH f IN FileList('$(dir)' & '\\' & '$(mask)')\nNEXT f\n");
    assert_eq!(found[0].kind, PathKind::Dynamic);
    assert_eq!(found[0].resolved, None);
}

#[test]
fn expression_with_function_is_dynamic() {
    let found = sources("FOR EACH f IN FileList(DocumentPath() & '*.csv')\nNEXT f\n");
    assert_eq!(found[0].kind, PathKind::Dynamic);
}

#[test]
fn empty_variable_is_unknown() {
    let found = sources("SET vHome = ;\nLOAD * FROM [$(vHome)/Init.qvs];\n");
    assert_eq!(found[0].kind, PathKind::Dynamic);
    assert_eq!(found[0].resolved, None);
}

#[test]
fn set_variable_resolves_path() {
    let found = sources("SET vRoot = '..\\';\nSTORE t INTO [$(vRoot)t.qvd] (qvd);\n");
    assert_eq!(found[0].kind, PathKind::Relative);
    assert_eq!(found[0].resolved.as_deref(), Some("..\\t.qvd"));
}
