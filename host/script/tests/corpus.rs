//! Parses every load script of the corpus and checks that no statement is left unknown.

mod common;

use qready_script::{StatementKind, decode, parse};

/// Files that are not valid Qlik script, with the reason.
const NOT_QLIK_SCRIPT: &[(&str, &str)] = &[
    (
        "mariohmol__pecbi/qvs/Deputado/Federal/Macros.qvs",
        "VBScript macro module saved with a .qvs extension",
    ),
    (
        "lalitha2019__Qlik-Exploratory-Analysis-Project-Products/LoadScript.txt",
        "prose section headers between statements, written without comment markers",
    ),
    (
        "ptarmiganlabs__QvsView.qs/docs/demo/qvs-files/Always failing reload (no delay)_deba4bcf-47e4-472e-97b2-4fe8d6498e11.qvs",
        "a demo script that ends in deliberate garbage so that its reload fails",
    ),
    (
        "ELT73A-2025-1-B__LAB04/LoadScript.txt",
        "an STM32CubeMX pin configuration that happens to be named LoadScript.txt",
    ),
    (
        "inqlik__inqlik_cli/test/files/should_fail.qvs",
        "deliberately invalid: a STORE path written with '...'",
    ),
];

/// Statements in otherwise valid scripts that the engine rejects when it reaches them, most of
/// them on purpose: a line of text as a statement is the usual way to stop a reload with a
/// message. File, 1-based line of the statement, reason.
const INVALID_STATEMENTS: &[(&str, u32, &str)] = &[
    ("ChristofSchwarz__QlikScripts/CanJoinOn.qvs", 47, ABORT),
    (
        "ChristofSchwarz__QlikScripts/CreateSectionAccess.txt",
        102,
        ABORT,
    ),
    (
        "ChristofSchwarz__QlikScripts/GetScriptsFromGoogleDrive.qvs",
        54,
        ABORT,
    ),
    (
        "ChristofSchwarz__QlikScripts/GetScriptsFromGoogleDrive.qvs",
        56,
        ABORT,
    ),
    (
        "ChristofSchwarz__QlikScripts/GetScriptsFromGoogleDrive.qvs",
        70,
        ABORT,
    ),
    (
        "ChristofSchwarz__QlikScripts/GetScriptsFromSharepoint.qvs",
        59,
        ABORT,
    ),
    (
        "ChristofSchwarz__QlikScripts/exec_script_from_google_drive.qvs",
        50,
        ABORT,
    ),
    (
        "ChristofSchwarz__QlikScripts/exec_script_from_google_drive.qvs",
        52,
        ABORT,
    ),
    (
        "ChristofSchwarz__QlikScripts/exec_script_from_google_drive.qvs",
        66,
        ABORT,
    ),
    ("ChristofSchwarz__QlikScripts/getCustomProp.qvs", 122, ABORT),
    (
        "ChristofSchwarz__QlikScripts/json/_importJson.qvs",
        143,
        ABORT,
    ),
    (
        "ChristofSchwarz__QlikScripts/json/_importJson.qvs",
        186,
        ABORT,
    ),
    ("ChristofSchwarz__QlikScripts/load_all_qvd.txt", 26, ABORT),
    (
        "ChristofSchwarz__QlikScripts/load_all_qvd.txt",
        28,
        "IF condition with an unclosed parenthesis: Len('…' < 2 THEN",
    ),
    ("ChristofSchwarz__QlikScripts/load_all_qvd.txt", 29, ABORT),
    ("ChristofSchwarz__QlikScripts/load_all_qvd.txt", 62, ABORT),
    ("ChristofSchwarz__QlikScripts/store_all_qvd.txt", 26, ABORT),
    ("ChristofSchwarz__QlikScripts/store_all_qvd.txt", 29, ABORT),
    (
        "RobWunderlich__Qlikview-Components/Qvc_Runtime/Qvc.qvs",
        1360,
        ABORT,
    ),
    (
        "QlikDeploymentFramework__Qlik-Deployment-Framework/3.Include/4.Sub/8.QVFileInfo.qvs",
        65,
        "a WHERE clause left after the LOAD's ';'",
    ),
    (
        "mariohmol__pecbi/qvs/Deputado/Federal/ExtracaoAnual.qvs",
        49,
        "a note written as code without comment markers, joined to the LOAD after it",
    ),
    (
        "MikeJufa__EDC_Inventory/edcinventory.qvs",
        216,
        "unclosed parenthesis: if(len(install_date)>0, date(floor(install_date),'M/D/YYYY') as …",
    ),
    (
        "MikeJufa__EDC_Inventory/edcinventory.qvs",
        325,
        "unclosed parenthesis: if([Delivery Date]='<N/A>', '<N/A>', Date(…, 'MMM YYYY') as …",
    ),
    (
        "geork46__curveProject/Fact.qvs",
        12,
        "GROUP without BY at the end of a LOAD",
    ),
];

const ABORT: &str = "text written as a statement to stop the reload with an error message";

/// Code pages of corpus files that are neither UTF-8 nor Windows-1252.
const CODE_PAGES: &[(&str, &encoding_rs::Encoding)] = &[
    (
        "inqlik__inqlik_cli/test/files/test_0.qvs",
        encoding_rs::WINDOWS_1251,
    ),
    (
        "inqlik__inqlik_cli/test/files/test_1.qvs",
        encoding_rs::WINDOWS_1251,
    ),
];

#[test]
fn corpus_scripts_have_no_unknown_statements() {
    let files = common::script_files();
    assert!(
        files.len() > 300,
        "expected the corpus manifest to list over 300 scripts"
    );
    let mut failures = Vec::new();
    let mut total_statements = 0usize;
    let mut total_unknown = 0usize;
    for file in &files {
        let bytes = std::fs::read(file.disk_path()).expect("corpus file should be readable");
        let code_page = CODE_PAGES
            .iter()
            .find(|(id, _)| *id == file.id())
            .map_or(encoding_rs::WINDOWS_1252, |(_, encoding)| *encoding);
        let decoded = decode::decode(&bytes, code_page);
        let script = parse(&decoded.text);
        let unknown: Vec<_> = script
            .statements
            .iter()
            .filter(|s| s.kind == StatementKind::Unknown)
            .collect();
        total_statements += script.statements.len();
        total_unknown += unknown.len();
        let share = if script.statements.is_empty() {
            0.0
        } else {
            unknown.len() as f64 * 100.0 / script.statements.len() as f64
        };
        println!(
            "{:6.2}% unknown  {:4}/{:4}  {}",
            share,
            unknown.len(),
            script.statements.len(),
            file.id()
        );
        let allowed = NOT_QLIK_SCRIPT.iter().any(|(id, _)| *id == file.id());
        if unknown.is_empty() || allowed {
            continue;
        }
        for statement in unknown {
            let known_invalid = INVALID_STATEMENTS
                .iter()
                .any(|(id, line, _)| *id == file.id() && *line == statement.span.line);
            if known_invalid {
                continue;
            }
            let diagnostic = script.diagnostics.iter().find(|d| {
                d.span.start >= statement.span.start && d.span.start <= statement.span.end
            });
            let (line, message) = diagnostic.map_or((statement.span.line, String::new()), |d| {
                (d.span.line, d.message.clone())
            });
            let source_line = decoded
                .text
                .lines()
                .nth(line as usize - 1)
                .unwrap_or("")
                .trim();
            failures.push(format!(
                "{}:{}: {message}\n    statement at line {}: {source_line}",
                file.id(),
                line,
                statement.span.line,
            ));
        }
    }
    println!(
        "total: {total_unknown} unknown of {total_statements} statements in {} files",
        files.len()
    );
    assert!(
        failures.is_empty(),
        "{} unknown statements in valid scripts:\n{}",
        failures.len(),
        failures.join("\n")
    );
}
