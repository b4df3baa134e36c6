//! Exact line and column checks on real corpus files. Each expected line was found with
//! `grep -n` and each column counted in Python over the decoded line.

mod common;

use qready_script::{PathKind, Script, SourceRole, Statement, StatementKind, decode, parse};

fn parse_corpus(path: &str, ansi: &'static encoding_rs::Encoding) -> Script {
    let bytes = std::fs::read(common::corpus_dir().join(path)).expect("corpus file is readable");
    parse(&decoded_text(&bytes, ansi))
}

fn decoded_text(bytes: &[u8], ansi: &'static encoding_rs::Encoding) -> String {
    decode::decode(bytes, ansi).text
}

fn statement_at(script: &Script, line: u32) -> &Statement {
    script
        .statements
        .iter()
        .find(|s| s.span.line == line)
        .unwrap_or_else(|| panic!("no statement starts at line {line}"))
}

#[test]
fn store_in_utf8_bom_crlf_file() {
    let script = parse_corpus(
        "cardozogp__TestGitQlikview/QDF/0.Administration/1.Application/1.QlikViewSystemMonitor/QVSystemMonitor_v4_1-prj/LoadScript.txt",
        encoding_rs::WINDOWS_1252,
    );
    let store = statement_at(&script, 4335);
    assert_eq!(store.kind, StatementKind::Store);
    assert_eq!(
        (store.keyword_span.line, store.keyword_span.column),
        (4335, 1)
    );
    assert_eq!((store.span.end_line, store.span.end_column), (4335, 48));
    let source = &store.sources[0];
    assert_eq!(source.role, SourceRole::StoreInto);
    assert_eq!(source.path, "Aggregations.qvd");
    assert_eq!((source.span.line, source.span.column), (4335, 25));
    assert_eq!(source.kind, PathKind::Relative);
}

#[test]
fn store_in_windows_1251_file() {
    let script = parse_corpus(
        "inqlik__inqlik_cli/test/files/test_0.qvs",
        encoding_rs::WINDOWS_1251,
    );
    let store = statement_at(&script, 202);
    assert_eq!(store.kind, StatementKind::Store);
    assert_eq!(store.span.column, 1);
    let source = &store.sources[0];
    assert_eq!(source.path, "../Data/Staged/CustTable.QVD");
    assert_eq!((source.span.line, source.span.column), (202, 22));
}

#[test]
fn lib_path_after_cyrillic_text() {
    let script = parse_corpus(
        "A2Cby__Belaz_01_Analiz_raboty_parka_tehniki/data_load_script/События.qvs",
        encoding_rs::WINDOWS_1252,
    );
    let source = script
        .statements
        .iter()
        .flat_map(|s| &s.sources)
        .find(|s| s.span.line == 44)
        .expect("a source on line 44");
    assert_eq!(source.role, SourceRole::From);
    assert_eq!(source.span.column, 6);
    assert_eq!(source.span.end_column, 53);
    assert_eq!(
        source.kind,
        PathKind::Lib {
            space: None,
            connection: "События_qvd (a2cdemo_admin)".into()
        }
    );
}

#[test]
fn document_path_call_after_tabs() {
    let script = parse_corpus(
        "QlikDeploymentFramework__Qlik-Deployment-Framework/InitLink.qvs",
        encoding_rs::WINDOWS_1252,
    );
    let statement = statement_at(&script, 80);
    assert_eq!(statement.kind, StatementKind::Let);
    assert_eq!(statement.span.column, 5);
    let calls: Vec<_> = statement
        .functions
        .iter()
        .filter(|f| f.name == "DocumentPath")
        .map(|f| (f.span.line, f.span.column))
        .collect();
    assert_eq!(calls, [(80, 26), (80, 47)]);
}

#[test]
fn execute_after_tab() {
    let script = parse_corpus(
        "RobWunderlich__Qlikview-Components/Qvc_Runtime/Qvc.qvs",
        encoding_rs::WINDOWS_1252,
    );
    let execute = statement_at(&script, 2134);
    assert_eq!(execute.kind, StatementKind::Execute);
    assert_eq!(execute.keyword_span.column, 2);
    assert_eq!(execute.sources[0].role, SourceRole::Execute);
    assert_eq!(execute.sources[0].kind, PathKind::Dynamic);
}
