//! Snapshots of the statements and source references of representative corpus scripts.

mod common;

use std::fmt::Write;

use qready_script::{decode, parse};

/// Renders one line per statement (line:column, kind, label, prefixes) followed by its source
/// references and calls.
fn summary(path: &str) -> String {
    let bytes = std::fs::read(common::corpus_dir().join(path)).expect("corpus file is readable");
    let text = decode::decode(&bytes, encoding_rs::WINDOWS_1252).text;
    let script = parse(&text);
    let mut out = String::new();
    for tab in &script.tabs {
        writeln!(out, "tab {:?} at line {}", tab.name, tab.line).unwrap();
    }
    for statement in &script.statements {
        let span = statement.span;
        write!(
            out,
            "{}:{}-{} {}",
            span.line,
            span.column,
            span.end_line,
            statement.kind.as_str()
        )
        .unwrap();
        if let Some(label) = &statement.label {
            write!(out, " label={label:?}").unwrap();
        }
        let prefixes: Vec<_> = statement.prefixes.iter_names().collect();
        if !prefixes.is_empty() {
            write!(out, " prefixes={}", prefixes.join(",")).unwrap();
        }
        writeln!(out).unwrap();
        for source in &statement.sources {
            let kind = serde_json::to_string(&source.kind).unwrap();
            write!(out, "    {:?} {} {:?}", source.role, kind, source.path).unwrap();
            if let Some(resolved) = &source.resolved {
                write!(out, " -> {resolved:?}").unwrap();
            }
            writeln!(out).unwrap();
        }
        if !statement.functions.is_empty() {
            let names: Vec<_> = statement
                .functions
                .iter()
                .map(|f| f.name.as_str())
                .collect();
            writeln!(out, "    calls {}", names.join(" ")).unwrap();
        }
    }
    for diagnostic in &script.diagnostics {
        writeln!(
            out,
            "{:?} {}:{} {}",
            diagnostic.severity, diagnostic.span.line, diagnostic.span.column, diagnostic.message
        )
        .unwrap();
    }
    out
}

macro_rules! corpus_snapshot {
    ($name:ident, $path:expr) => {
        #[test]
        fn $name() {
            insta::assert_snapshot!(stringify!($name), summary($path), $path);
        }
    };
}

corpus_snapshot!(
    sense_main_tab,
    "A2Cby__Belaz_01_Analiz_raboty_parka_tehniki/data_load_script/Main.qvs"
);
corpus_snapshot!(
    unbuild_script,
    "goldbergjeffrey__consumer-sales-unbuild/script.qvs"
);
corpus_snapshot!(
    sub_library,
    "RobWunderlich__Qlikview-Components/QVC_Source/Qvc_DbExtract.qvs"
);
corpus_snapshot!(qlikview_oledb, "adkaraman__SalesAnalysis/LoadScript.txt");
corpus_snapshot!(
    qdf_includes,
    "cardozogp__TestGitQlikview/QDF/1.Example/1.Application/1.Extract/Extractsteg-prj/LoadScript.txt"
);
corpus_snapshot!(
    crosstable_generic,
    "iamdv__The-Advanced-QlikView-Bootcamp/12_Advanced_Script_Operators_and_Functions/Solution/12_5 Solution - Generic load.QVS"
);
corpus_snapshot!(
    direct_query,
    "miclae76__gitoqlok-Direct-Query-Example/loadScript.qvs"
);
corpus_snapshot!(
    lib_connect_entities,
    "qlik-oss__corectl/test/projects/using-entities/script.qvs"
);
corpus_snapshot!(
    file_list_loops,
    "ChristofSchwarz__QlikScripts/load_all_qvd.txt"
);
