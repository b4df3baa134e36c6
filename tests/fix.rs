//! `qready fix`: rewrites of the example estate and of real public scripts, and its failures.

mod common;

use std::path::{Path, PathBuf};

use common::{assess_json, corpus, hits, qready, qready_in, workspace};
use qready::fix::{FixPlan, Mapping, plan};
use qready_script::decode::decode;
use qready_script::{PathKind, StatementKind};

/// Copies a folder tree, for tests that write into it.
fn copy_tree(from: &Path, to: &Path) {
    for entry in walkdir::WalkDir::new(from) {
        let entry = entry.unwrap();
        let target = to.join(entry.path().strip_prefix(from).unwrap());
        if entry.file_type().is_dir() {
            std::fs::create_dir_all(&target).unwrap();
        } else {
            std::fs::copy(entry.path(), &target).unwrap();
        }
    }
}

fn example_copy() -> (tempfile::TempDir, PathBuf) {
    let dir = tempfile::tempdir().unwrap();
    let estate = dir.path().join("estate");
    copy_tree(&workspace().join("examples/estate"), &estate);
    (dir, estate)
}

fn example_mapping() -> String {
    workspace()
        .join("examples/fix-mapping.toml")
        .display()
        .to_string()
}

fn text(output: &std::process::Output) -> String {
    format!(
        "{}{}",
        String::from_utf8_lossy(&output.stdout),
        String::from_utf8_lossy(&output.stderr)
    )
}

/// A mapping of `C:\Data` to `lib://Data`, for the tests that need only one path.
const DATA_MAPPING: &str = "[[path]]\nprefix = 'C:\\Data'\nto = 'lib://Data'\n";

/// Writes `files` (name and text) into a new temporary folder, with `map.toml` holding
/// [`DATA_MAPPING`].
fn folder_with(files: &[(&str, &[u8])]) -> tempfile::TempDir {
    let dir = tempfile::tempdir().unwrap();
    std::fs::write(dir.path().join("map.toml"), DATA_MAPPING).unwrap();
    for (name, bytes) in files {
        std::fs::write(dir.path().join(name), bytes).unwrap();
    }
    dir
}

/// Plans the fix of one script text with [`DATA_MAPPING`].
fn plan_one(text: &str) -> FixPlan {
    plan_with_mapping(text, DATA_MAPPING, &[])
}

/// Plans the fix of one script text with the given mapping text; `extra` files (a user table)
/// sit beside the mapping.
fn plan_with_mapping(text: &str, mapping_text: &str, extra: &[(&str, &[u8])]) -> FixPlan {
    let dir = folder_with(extra);
    std::fs::write(dir.path().join("App.qvs"), text).unwrap();
    let mapping = Mapping::parse(Path::new("map.toml"), mapping_text, dir.path()).unwrap();
    plan(
        &[dir.path().join("App.qvs")],
        &mapping,
        encoding_rs::WINDOWS_1252,
    )
}

fn apply(fix: &FixPlan) {
    for file in &fix.files {
        std::fs::write(&file.path, &file.fixed).unwrap();
    }
}

#[test]
fn example_estate_leaves_only_manual_findings() {
    let (_dir, estate) = example_copy();
    let before = assess_json(&[&estate], &[]);
    let estate_arg = estate.display().to_string();
    let mapping = example_mapping();
    let output = qready(&["fix", &estate_arg, "--mapping", &mapping, "--write"]);
    assert!(output.status.success(), "{}", text(&output));

    let after = assess_json(&[&estate], &[]);
    let mut remaining: Vec<_> = hits(&after, &estate)
        .into_iter()
        .filter(|h| h.code.starts_with("QC1") || h.code.starts_with("QC2"))
        .map(|h| (h.code, h.file, h.line))
        .collect();
    remaining.sort();
    let sales = "qlikview/SalesDashboard-prj/LoadScript.txt";
    let inventory = "qlikview/InventoryExtract.qvs";
    // EXECUTE (QC103) needs a person, and legacy script mode (QC104) goes with it.
    let expected = vec![
        ("QC103".to_owned(), inventory.to_owned(), 6),
        ("QC104".to_owned(), inventory.to_owned(), 6),
    ];
    assert_eq!(remaining, expected);
    // The scheduler's section access row is no longer in a Windows field, so QC202 no longer
    // reports it. The fix lists it instead, because Qlik Cloud reloads as the owner.
    let stdout = String::from_utf8_lossy(&output.stdout);
    let scheduler = format!("{sales}:44:8 QC202 section access row for INTERNAL\\SA_SCHEDULER");
    assert!(stdout.contains(&scheduler), "{stdout}");

    let codes_before: Vec<_> = hits(&before, &estate).into_iter().map(|h| h.code).collect();
    for (code, _, _) in &remaining {
        assert!(codes_before.contains(code), "{code} is new after the fix");
    }
}

#[test]
fn example_estate_second_run_changes_nothing() {
    let (_dir, estate) = example_copy();
    let mapping = Mapping::load(Path::new(&example_mapping())).unwrap();
    let first = plan(
        std::slice::from_ref(&estate),
        &mapping,
        encoding_rs::WINDOWS_1252,
    );
    assert!(first.problems.is_empty(), "{:?}", first.problems);
    assert_eq!(first.files.len(), 5);
    apply(&first);
    let second = plan(&[estate], &mapping, encoding_rs::WINDOWS_1252);
    assert!(second.files.is_empty(), "{:?}", second.files);
    assert!(second.problems.is_empty(), "{:?}", second.problems);
}

#[test]
fn example_estate_keeps_encodings_and_line_ends() {
    let (_dir, estate) = example_copy();
    let mapping = Mapping::load(Path::new(&example_mapping())).unwrap();
    let fix = plan(
        std::slice::from_ref(&estate),
        &mapping,
        encoding_rs::WINDOWS_1252,
    );
    let names: Vec<_> = fix
        .files
        .iter()
        .map(|f| {
            (
                f.path.strip_prefix(&estate).unwrap().display().to_string(),
                f.encoding.name(),
            )
        })
        .collect();
    assert!(names.contains(&("qlikview/InventoryExtract.qvs".to_owned(), "windows-1252")));
    assert!(names.contains(&("sense/Procurement.qvs".to_owned(), "UTF-16LE")));
    for file in &fix.files {
        check_bytes_kept(&file.original, &file.fixed);
    }
    let inventory = fix
        .files
        .iter()
        .find(|f| f.path.ends_with("InventoryExtract.qvs"))
        .unwrap();
    // "Données" stays one byte per letter in Windows-1252.
    assert!(inventory.fixed.windows(7).any(|w| w == b"Donn\xE9es"));
    assert!(
        inventory
            .fixed_text
            .contains("SET vDossier = 'lib://Logistics:DataFiles/Données/Stock';")
    );
}

/// Checks that a rewrite kept the encoding, the byte order mark and every line end.
fn check_bytes_kept(original: &[u8], fixed: &[u8]) {
    let before = decode(original, encoding_rs::WINDOWS_1252);
    let after = decode(fixed, encoding_rs::WINDOWS_1252);
    assert_eq!(before.encoding, after.encoding);
    assert!(!after.had_errors);
    assert_eq!(
        original
            .get(..3)
            .map(|b| b.starts_with(&[0xEF, 0xBB, 0xBF])),
        fixed.get(..3).map(|b| b.starts_with(&[0xEF, 0xBB, 0xBF]))
    );
    let line_ends = |text: &str| {
        (
            text.matches("\r\n").count(),
            text.matches('\n').count(),
            text.matches('\r').count(),
        )
    };
    assert_eq!(line_ends(&before.text), line_ends(&after.text));
    let common_prefix = original
        .iter()
        .zip(fixed)
        .take_while(|(a, b)| a == b)
        .count();
    assert!(common_prefix > 0 || original.is_empty());
}

#[test]
fn diff_is_the_default_and_changes_no_file() {
    let (_dir, estate) = example_copy();
    let script = estate.join("sense/FinanceKPI.qvs");
    let original = std::fs::read(&script).unwrap();
    let estate_arg = estate.display().to_string();
    let mapping = example_mapping();
    let output = qready(&["fix", &estate_arg, "--mapping", &mapping, "--no-assess"]);
    assert!(output.status.success(), "{}", text(&output));
    let stdout = String::from_utf8_lossy(&output.stdout);
    assert!(
        stdout.contains("-STORE Accounts INTO [\\\\fs-fin01\\exports\\Accounts.qvd] (qvd);"),
        "{stdout}"
    );
    assert!(
        stdout.contains("+STORE Accounts INTO [lib://Finance:Exports/Accounts.qvd] (qvd);"),
        "{stdout}"
    );
    assert!(
        stdout.contains("+LIB CONNECT TO 'Finance:Finance SQL';"),
        "{stdout}"
    );
    assert_eq!(std::fs::read(&script).unwrap(), original);
    assert!(!estate.join("sense/FinanceKPI.qvs.qready-bak").exists());
}

#[test]
fn diff_lists_remaining_findings() {
    let (_dir, estate) = example_copy();
    let estate_arg = estate.display().to_string();
    let mapping = example_mapping();
    let output = qready(&["fix", &estate_arg, "--mapping", &mapping, "--diff"]);
    assert!(output.status.success(), "{}", text(&output));
    let stdout = String::from_utf8_lossy(&output.stdout);
    assert!(
        stdout.contains("Findings that remain for a person (2):"),
        "{stdout}"
    );
    assert!(
        stdout.contains("InventoryExtract.qvs:6:1 QC103"),
        "{stdout}"
    );
    assert!(
        stdout.contains("InventoryExtract.qvs:6:1 QC104"),
        "{stdout}"
    );
}

#[test]
fn secrets_never_reach_the_output() {
    let dir = tempfile::tempdir().unwrap();
    let script = dir.path().join("Secret.qvs");
    std::fs::write(
        &script,
        "ODBC CONNECT TO [Unmapped;UID=sa;PWD=Hunter2Secret];\nODBC CONNECT TO [Mapped;PWD=Other2Secret];\nLOAD * FROM [C:\\Data\\x.qvd] (qvd);\n",
    )
    .unwrap();
    let mapping = dir.path().join("map.toml");
    std::fs::write(
        &mapping,
        "[[connection]]\ndsn = 'Mapped'\nto = 'S:Mapped'\n",
    )
    .unwrap();
    let output = qready_in(
        dir.path(),
        &["fix", "Secret.qvs", "--mapping", "map.toml", "--write"],
    );
    let all = text(&output);
    assert!(output.status.success(), "{all}");
    assert!(
        all.contains(
            "no [[connection]] in the mapping matches ODBC CONNECT TO 'Unmapped;UID=**;PWD=*"
        ),
        "{all}"
    );
    assert!(!all.contains("Hunter2Secret"), "{all}");
    assert!(!all.contains("Other2Secret"), "{all}");
    let fixed = std::fs::read_to_string(&script).unwrap();
    assert!(fixed.contains("LIB CONNECT TO 'S:Mapped';"), "{fixed}");
    assert!(fixed.contains("PWD=Hunter2Secret"), "{fixed}");
}

#[test]
fn missing_mapping_names_file() {
    let output = qready(&[
        "fix",
        "examples/estate",
        "--mapping",
        "no-such-mapping.toml",
    ]);
    assert_eq!(output.status.code(), Some(2));
    let all = text(&output);
    assert!(
        all.contains("failed to read mapping 'no-such-mapping.toml'"),
        "{all}"
    );
}

#[test]
fn malformed_mapping_names_line() {
    let dir = tempfile::tempdir().unwrap();
    std::fs::write(
        dir.path().join("map.toml"),
        "[[path]]\nprefix = 'C:\\Data'\nto = \"lib://Data\"\n\n[[path]]\nprefix = 'D:\\'\nto = 'D:\\Cloud'\n",
    )
    .unwrap();
    let estate = workspace().join("examples/estate").display().to_string();
    let output = qready_in(dir.path(), &["fix", &estate, "--mapping", "map.toml"]);
    assert_eq!(output.status.code(), Some(2));
    let all = text(&output);
    assert!(
        all.contains("invalid mapping 'map.toml' at line 7"),
        "{all}"
    );
}

#[test]
fn undecodable_script_is_reported_and_others_fixed() {
    let broken: &[u8] = b"\xEF\xBB\xBFLOAD * FROM [C:\\Data\\a.qvd] (qvd);\n// \xC3\x28\n";
    let dir = folder_with(&[
        ("Broken.qvs", broken),
        ("Good.qvs", b"LOAD * FROM [C:\\Data\\b.qvd] (qvd);\n"),
    ]);
    let args = [
        "fix",
        ".",
        "--mapping",
        "map.toml",
        "--write",
        "--no-assess",
    ];
    let output = qready_in(dir.path(), &args);
    assert_eq!(output.status.code(), Some(2));
    let all = text(&output);
    assert!(
        all.contains("Broken.qvs: the file does not decode as UTF-8 with BOM"),
        "{all}"
    );
    assert_eq!(
        std::fs::read(dir.path().join("Broken.qvs")).unwrap(),
        broken
    );
    let good = std::fs::read_to_string(dir.path().join("Good.qvs")).unwrap();
    assert_eq!(good, "LOAD * FROM [lib://Data/b.qvd] (qvd);\n");
}

#[test]
fn read_only_file_is_not_written() {
    let original = "STORE T INTO [C:\\Data\\t.qvd] (qvd);\n";
    let dir = folder_with(&[("Locked.qvs", original.as_bytes())]);
    let script = dir.path().join("Locked.qvs");
    let mut permissions = std::fs::metadata(&script).unwrap().permissions();
    permissions.set_readonly(true);
    std::fs::set_permissions(&script, permissions).unwrap();
    let args = [
        "fix",
        "Locked.qvs",
        "--mapping",
        "map.toml",
        "--write",
        "--no-assess",
    ];
    let output = qready_in(dir.path(), &args);
    assert_eq!(output.status.code(), Some(2));
    let all = text(&output);
    assert!(all.contains("Locked.qvs: the file is read-only"), "{all}");
    assert_eq!(std::fs::read_to_string(&script).unwrap(), original);
    assert!(!dir.path().join("Locked.qvs.qready-bak").exists());
}

#[test]
fn existing_backup_is_kept() {
    let original = "LOAD * FROM [C:\\Data\\t.qvd] (qvd);\n";
    let dir = folder_with(&[
        ("App.qvs", original.as_bytes()),
        ("App.qvs.qready-bak", b"earlier backup"),
    ]);
    let args = [
        "fix",
        "App.qvs",
        "--mapping",
        "map.toml",
        "--write",
        "--no-assess",
    ];
    let output = qready_in(dir.path(), &args);
    assert_eq!(output.status.code(), Some(2));
    let all = text(&output);
    assert!(
        all.contains("the backup 'App.qvs.qready-bak' already exists"),
        "{all}"
    );
    let script = std::fs::read_to_string(dir.path().join("App.qvs")).unwrap();
    assert_eq!(script, original);
    let backup = std::fs::read_to_string(dir.path().join("App.qvs.qready-bak")).unwrap();
    assert_eq!(backup, "earlier backup");
}

#[test]
fn write_keeps_a_backup_of_the_original() {
    let original = "SET vRoot = 'C:\\Data';\r\nLOAD * FROM [$(vRoot)\\t.qvd] (qvd);\r\n";
    let dir = folder_with(&[("App.qvs", original.as_bytes())]);
    let args = [
        "fix",
        "App.qvs",
        "--mapping",
        "map.toml",
        "--write",
        "--no-assess",
    ];
    let output = qready_in(dir.path(), &args);
    assert!(output.status.success(), "{}", text(&output));
    let backup = std::fs::read_to_string(dir.path().join("App.qvs.qready-bak")).unwrap();
    assert_eq!(backup, original);
    let fixed = std::fs::read_to_string(dir.path().join("App.qvs")).unwrap();
    let expected = "SET vRoot = 'lib://Data';\r\nLOAD * FROM [$(vRoot)\\t.qvd] (qvd);\r\n";
    assert_eq!(fixed, expected);
}

#[test]
fn variable_used_outside_paths_is_left() {
    let fix = plan_one(
        "SET vRoot = 'C:\\Data';\nLOAD * FROM [$(vRoot)\\t.qvd] (qvd);\nTRACE Reading $(vRoot);\n",
    );
    assert!(fix.files.is_empty(), "{:?}", fix.files);
    let vetoed = fix
        .manual
        .iter()
        .any(|m| m.reason.contains("vRoot is also used outside a file path"));
    assert!(vetoed, "{:?}", fix.manual);
}

#[test]
fn comments_strings_and_sql_are_left() {
    let original = concat!(
        "// LOAD * FROM [C:\\Data\\old.qvd];\n",
        "LET vNote = 'C:\\Data\\note.txt is documented';\n",
        "SQL SELECT * FROM \"C:\\Data\\db\".dbo.T;\n",
        "LOAD * FROM [lib://Data/x.qvd] (qvd);\n",
        "LOAD FileTime('C:\\Data\\y.qvd') as T AutoGenerate 1;\n",
        "FOR EACH f IN FileList('C:\\Data\\*.csv')\nNEXT f\n",
    );
    let fix = plan_one(original);
    assert_eq!(fix.files.len(), 1);
    let expected = original
        .replace(
            "FileTime('C:\\Data\\y.qvd')",
            "FileTime('lib://Data/y.qvd')",
        )
        .replace(
            "FileList('C:\\Data\\*.csv')",
            "FileList('lib://Data/*.csv')",
        );
    assert_eq!(fix.files[0].fixed_text, expected);
}

#[test]
fn section_access_users_are_mapped() {
    let script = "Section Access;\nLOAD * INLINE [\nACCESS, NTNAME, REGION\nADMIN, INTERNAL\\SA_SCHEDULER, *\nUSER, CORP\\jdoe, EMEA\nUSER, corp\\asmith, APAC\n];\nSection Application;\nLOAD * INLINE [\nNAME\nCORP\\jdoe\n];\n";
    let users: &[u8] = b"user,value\nCORP\\asmith,anna.smith@example.com\n";
    let mapping_text = "[users]\nfield = 'USER.EMAIL'\ntable = 'users.csv'\n[[users.pattern]]\nfrom = 'CORP\\{user}'\nto = '{user}@example.com'\n";
    let fix = plan_with_mapping(script, mapping_text, &[("users.csv", users)]);
    assert_eq!(fix.files.len(), 1, "{:?}", fix.problems);
    assert_eq!(
        fix.files[0].fixed_text,
        "Section Access;\nLOAD * INLINE [\nACCESS, USER.EMAIL, REGION\nADMIN, INTERNAL\\SA_SCHEDULER, *\nUSER, jdoe@example.com, EMEA\nUSER, anna.smith@example.com, APAC\n];\nSection Application;\nLOAD * INLINE [\nNAME\nCORP\\jdoe\n];\n"
    );
}

#[test]
fn section_access_with_unmapped_user_is_left() {
    let script = "Section Access;\nLOAD * INLINE [\nACCESS, USERID\nUSER, CORP\\jdoe\nUSER, OTHER\\bob\n];\nSection Application;\n";
    let mapping_text = "[users]\nfield = 'USERID'\n[[users.pattern]]\nfrom = 'CORP\\{user}'\nto = 'auth0|{user}'\n";
    let fix = plan_with_mapping(script, mapping_text, &[]);
    assert!(fix.files.is_empty());
    assert!(
        fix.manual.iter().any(|m| m.reason.contains("OTHER\\bob")),
        "{:?}",
        fix.manual
    );
}

/// Corpus scripts in each encoding and line end style, with Windows paths or connections.
const CORPUS_SCRIPTS: &[&str] = &[
    "inqlik__inqlik_cli/test/files/test_1.qvs",
    "tripsta__qlikview-training/exercise-developerI.qvw.qvs",
    "adkaraman__SalesAnalysis/LoadScript.txt",
    "PacktPublishing__Qlik-Sense-Cookbook-Second-Edition/Chapter05/Using For Each Loop to extract files from a folder.txt",
    "iamdv__The-Advanced-QlikView-Bootcamp/02_Course_Structure_and_Sample_QVW/MasterScript.qvs",
    "iamdv__The-Advanced-QlikView-Bootcamp/12_Advanced_Script_Operators_and_Functions/Solution/12_5 Solution - Generic load.QVS",
];

/// Writes a mapping for whatever drives, shares and data sources a set of scripts uses.
fn corpus_mapping(scripts: &[PathBuf]) -> String {
    let mut text = String::new();
    for letter in 'A'..='Z' {
        text.push_str(&format!(
            "[[path]]\nprefix = '{letter}:\\'\nto = 'lib://Corpus:Drive{letter}'\n"
        ));
    }
    text.push_str("[[path]]\nprefix = '.'\nto = 'lib://Corpus:Relative'\n");
    let mut shares = std::collections::BTreeSet::new();
    let mut dsns = std::collections::BTreeSet::new();
    for path in scripts {
        let decoded = decode(&std::fs::read(path).unwrap(), encoding_rs::WINDOWS_1252);
        for statement in qready_script::parse(&decoded.text).statements {
            for source in &statement.sources {
                if source.kind == PathKind::Unc && !source.path.contains("$(") {
                    let parts: Vec<&str> = source
                        .path
                        .trim_start_matches('\\')
                        .splitn(3, '\\')
                        .collect();
                    if parts.len() >= 2 {
                        shares.insert(format!("\\\\{}\\{}", parts[0], parts[1]));
                    }
                }
            }
            if statement.kind == StatementKind::OdbcConnect
                && let qready_script::Node::Connect(connect) = &statement.node
            {
                let dsn = connect
                    .target
                    .split(';')
                    .next()
                    .unwrap_or("")
                    .trim()
                    .to_owned();
                if !dsn.contains('=') && !dsn.is_empty() {
                    dsns.insert(dsn);
                }
            }
        }
    }
    for (index, share) in shares.iter().enumerate() {
        text.push_str(&format!(
            "[[path]]\nprefix = '{share}'\nto = 'lib://Corpus:Share{index}'\n"
        ));
    }
    for (index, dsn) in dsns.iter().enumerate() {
        text.push_str(&format!(
            "[[connection]]\ndsn = '{dsn}'\nto = 'Corpus:Database{index}'\n"
        ));
    }
    text
}

/// Copies the corpus scripts into a folder, plus one converted to UTF-16 LE with CRLF and a BOM
/// and one to UTF-16 BE without a BOM, because the corpus contains no UTF-16 script.
fn corpus_copy(dir: &Path) -> Vec<PathBuf> {
    let mut copies = Vec::new();
    for (index, relative) in CORPUS_SCRIPTS.iter().enumerate() {
        let target = dir.join(format!("script{index}.qvs"));
        std::fs::copy(corpus().join(relative), &target).unwrap();
        copies.push(target);
    }
    let source = std::fs::read(corpus().join(CORPUS_SCRIPTS[4])).unwrap();
    let text = String::from_utf8(source)
        .unwrap()
        .replace("\r\n", "\n")
        .replace('\n', "\r\n");
    let mut utf16 = vec![0xFF, 0xFE];
    utf16.extend(text.encode_utf16().flat_map(u16::to_le_bytes));
    let target = dir.join("utf16.qvs");
    std::fs::write(&target, utf16).unwrap();
    copies.push(target);
    let utf16_be: Vec<u8> = text.encode_utf16().flat_map(u16::to_be_bytes).collect();
    let target = dir.join("utf16be.qvs");
    std::fs::write(&target, utf16_be).unwrap();
    copies.push(target);
    copies
}

/// Copies the corpus scripts into a new folder and writes a mapping for them.
fn corpus_setup() -> (tempfile::TempDir, Vec<PathBuf>, Mapping) {
    let dir = tempfile::tempdir().unwrap();
    let scripts = corpus_copy(dir.path());
    let mapping_text = corpus_mapping(&scripts);
    let mapping = Mapping::parse(Path::new("corpus-map.toml"), &mapping_text, dir.path()).unwrap();
    (dir, scripts, mapping)
}

#[test]
fn corpus_scripts_rewrite_cleanly() {
    let (_dir, scripts, mapping) = corpus_setup();
    let fix = plan(&scripts, &mapping, encoding_rs::WINDOWS_1252);
    assert!(fix.problems.is_empty(), "{:?}", fix.problems);
    let encodings: std::collections::BTreeSet<_> =
        fix.files.iter().map(|f| f.encoding.name()).collect();
    for expected in [
        "UTF-8",
        "UTF-8 with BOM",
        "UTF-16LE",
        "UTF-16BE without BOM",
        "windows-1252",
    ] {
        assert!(
            encodings.contains(expected),
            "no rewritten {expected} script: {encodings:?}"
        );
    }
    assert!(fix.files.len() >= 6, "{} files rewritten", fix.files.len());
    let crlf = fix
        .files
        .iter()
        .filter(|f| f.original_text.contains("\r\n"))
        .count();
    assert!(crlf > 0, "no rewritten script with CRLF line ends");
    assert!(
        crlf < fix.files.len(),
        "no rewritten script with LF line ends"
    );

    for file in &fix.files {
        check_bytes_kept(&file.original, &file.fixed);
        let before = qready_script::parse(&file.original_text);
        let after = qready_script::parse(&file.fixed_text);
        qready::fix::check_same_statements(&before, &after).unwrap();
        for (old, new) in before.statements.iter().zip(&after.statements) {
            for (old_source, new_source) in old.sources.iter().zip(&new.sources) {
                let rewritten = matches!(new_source.kind, PathKind::Lib { .. })
                    || new_source.path.starts_with("lib://");
                assert!(
                    old_source.path == new_source.path || rewritten,
                    "{}: '{}' became '{}'",
                    file.path.display(),
                    old_source.path,
                    new_source.path
                );
            }
        }
    }

    apply(&fix);
    let again = plan(&scripts, &mapping, encoding_rs::WINDOWS_1252);
    assert!(
        again.files.is_empty(),
        "second run changed {:?}",
        again.files.iter().map(|f| &f.path).collect::<Vec<_>>()
    );
}

#[test]
fn corpus_findings_fixed_disappear() {
    let (dir, scripts, mapping) = corpus_setup();
    let count = |report: &serde_json::Value, code: &str| {
        hits(report, dir.path())
            .iter()
            .filter(|h| h.code == code)
            .count()
    };
    let before = assess_json(&[dir.path()], &[]);
    let fix = plan(&scripts, &mapping, encoding_rs::WINDOWS_1252);
    apply(&fix);
    let after = assess_json(&[dir.path()], &[]);

    assert!(count(&before, "QC101") > 0);
    assert!(count(&after, "QC101") < count(&before, "QC101"));
    let mut per_file_before = std::collections::BTreeMap::new();
    for hit in hits(&before, dir.path()) {
        *per_file_before.entry((hit.code, hit.file)).or_insert(0) += 1;
    }
    let mut per_file_after = std::collections::BTreeMap::new();
    for hit in hits(&after, dir.path()) {
        *per_file_after.entry((hit.code, hit.file)).or_insert(0) += 1;
    }
    for (key, after_count) in &per_file_after {
        let before_count = per_file_before.get(key).copied().unwrap_or(0);
        assert!(
            *after_count <= before_count,
            "{key:?}: {after_count} findings after the fix, {before_count} before"
        );
    }
}

#[test]
fn include_outside_paths_is_left() {
    let (_dir, estate) = example_copy();
    let project = estate.join("qlikview/SalesDashboard-prj");
    let config = estate.join("qlikview/shared/Config.qvs");
    let original = std::fs::read(&config).unwrap();
    let mapping = Mapping::load(Path::new(&example_mapping())).unwrap();
    let fix = plan(&[project], &mapping, encoding_rs::WINDOWS_1252);
    assert!(fix.problems.is_empty(), "{:?}", fix.problems);
    assert_eq!(fix.files.len(), 1);
    assert!(fix.files[0].path.ends_with("LoadScript.txt"));
    let outside = fix
        .manual
        .iter()
        .find(|m| m.file.ends_with("Config.qvs"))
        .expect("the SET in the included file is listed");
    assert!(
        outside.reason.contains("outside the given paths"),
        "{}",
        outside.reason
    );
    assert_eq!(std::fs::read(&config).unwrap(), original);
}

#[test]
fn unencodable_target_is_left() {
    let dir = tempfile::tempdir().unwrap();
    let script = dir.path().join("App.qvs");
    let original: &[u8] = b"// D\xE9p\xF4t\nLOAD * FROM [C:\\Data\\a.qvd] (qvd);\nLOAD * FROM [D:\\Ru\\b.qvd] (qvd);\n";
    std::fs::write(&script, original).unwrap();
    let mapping_text = "[[path]]\nprefix = 'C:\\Data'\nto = 'lib://Data'\n[[path]]\nprefix = 'D:\\Ru'\nto = 'lib://Склад'\n";
    let mapping = Mapping::parse(Path::new("map.toml"), mapping_text, dir.path()).unwrap();
    let fix = plan(&[script], &mapping, encoding_rs::WINDOWS_1252);
    assert!(fix.problems.is_empty(), "{:?}", fix.problems);
    assert_eq!(fix.files.len(), 1);
    let fixed = &fix.files[0].fixed;
    assert!(fixed.starts_with(b"// D\xE9p\xF4t\nLOAD * FROM [lib://Data/a.qvd] (qvd);\n"));
    assert!(fixed.ends_with(b"LOAD * FROM [D:\\Ru\\b.qvd] (qvd);\n"));
    let left = fix
        .manual
        .iter()
        .find(|m| m.reason.contains("cannot be written in windows-1252"))
        .expect("the unencodable change is listed");
    assert_eq!((left.line, left.rule), (3, "QC101"));
}

#[test]
fn missing_include_is_left() {
    let original = "$(Include=C:\\Data\\missing.qvs);\nLOAD * FROM [C:\\Data\\a.qvd] (qvd);\n";
    let fix = plan_one(original);
    assert_eq!(fix.files.len(), 1);
    let expected = original.replace("[C:\\Data\\a.qvd]", "[lib://Data/a.qvd]");
    assert_eq!(fix.files[0].fixed_text, expected);
    let left = fix
        .manual
        .iter()
        .find(|m| m.reason.contains("missing.qvs' was not read"))
        .expect("the include is listed");
    assert_eq!((left.line, left.rule), (1, "QC108"));
}
