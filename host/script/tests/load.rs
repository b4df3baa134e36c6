//! Reading scripts from disk and following includes.

mod common;

use std::path::{Path, PathBuf};

use qready_script::load::{LoadError, LoadOptions, load_script, load_text};
use qready_script::{DiagnosticSeverity, PathKind, StatementKind};

/// A fresh folder under the system temp folder, removed when dropped.
struct TempDir(PathBuf);

impl TempDir {
    fn new(name: &str) -> TempDir {
        let path =
            std::env::temp_dir().join(format!("qready-script-{}-{name}", std::process::id()));
        let _ = std::fs::remove_dir_all(&path);
        std::fs::create_dir_all(&path).expect("temp folder should be creatable");
        TempDir(path)
    }

    fn write(&self, relative: &str, text: &[u8]) -> PathBuf {
        let path = self.0.join(relative);
        std::fs::create_dir_all(path.parent().expect("file has a parent")).expect("mkdir");
        std::fs::write(&path, text).expect("fixture should be writable");
        path
    }
}

impl Drop for TempDir {
    fn drop(&mut self) {
        let _ = std::fs::remove_dir_all(&self.0);
    }
}

fn file_name(path: &Path) -> String {
    path.file_name()
        .unwrap_or_default()
        .to_string_lossy()
        .into_owned()
}

#[test]
fn relative_include_runs_in_place() {
    let dir = TempDir::new("relative");
    dir.write("config/paths.qvs", b"SET vQvd = 'lib://Data/QVD/';\r\n");
    let main = dir.write(
        "app/main.qvs",
        b"LET a = 1;\n$(Include=..\\config\\paths.qvs);\nLOAD * FROM [$(vQvd)sales.qvd] (qvd);\n",
    );
    let loaded = load_script(&main, &LoadOptions::default()).expect("main script is readable");
    let files: Vec<_> = loaded.files.iter().map(|f| file_name(&f.path)).collect();
    assert_eq!(files, ["main.qvs", "paths.qvs"]);
    let order: Vec<_> = loaded
        .statements
        .iter()
        .map(|(f, s)| (*f, s.kind))
        .collect();
    use StatementKind::*;
    assert_eq!(order, [(0, Let), (0, Include), (1, Set), (0, Load)]);
    let (from_file, from_span) = loaded.files[1]
        .included_from
        .expect("included file has an origin");
    assert_eq!((from_file, from_span.line, from_span.column), (0, 2, 11));
    let source = &loaded.statements[3].1.sources[0];
    assert_eq!(source.resolved.as_deref(), Some("lib://Data/QVD/sales.qvd"));
    assert!(matches!(source.kind, PathKind::Lib { .. }));
    assert!(loaded.diagnostics.is_empty(), "{:?}", loaded.diagnostics);
}

#[test]
fn include_found_ignoring_case() {
    let dir = TempDir::new("case");
    dir.write("Config/Paths.QVS", b"SET vQvd = 'lib://Data/';\n");
    let options = LoadOptions::default();
    // The second script shares the first one's options and so its listing of the folders.
    for name in ["a.qvs", "b.qvs"] {
        let main = dir.write(name, b"$(Must_Include=config\\paths.qvs);\n");
        let loaded = load_script(&main, &options).expect("script is readable");
        let files: Vec<_> = loaded.files.iter().map(|f| file_name(&f.path)).collect();
        assert_eq!(files, [name, "Paths.QVS"]);
        assert!(loaded.diagnostics.is_empty(), "{:?}", loaded.diagnostics);
    }
    dir.write("Общие/Настройки.qvs", b"SET vRegion = 'EU';\n");
    let main = dir.write(
        "cyrillic.qvs",
        "$(Must_Include=общие\\НАСТРОЙКИ.qvs);\n".as_bytes(),
    );
    // Fresh options, since the folder listing of the first options predates the new folder.
    let loaded = load_script(&main, &LoadOptions::default()).expect("script is readable");
    let files: Vec<_> = loaded.files.iter().map(|f| file_name(&f.path)).collect();
    assert_eq!(
        files,
        ["cyrillic.qvs", "Настройки.qvs"],
        "{:?}",
        loaded.diagnostics
    );
    let main = dir.write("c.qvs", b"$(Must_Include=config\\other.qvs);\n");
    let loaded = load_script(&main, &options).expect("script is readable");
    assert_eq!(loaded.diagnostics.len(), 1, "{:?}", loaded.diagnostics);
}

#[test]
fn includes_stay_inside_given_folders() {
    let dir = TempDir::new("within");
    dir.write("secret.txt", b"SET vKey = 'not for the estate';\n");
    dir.write("outside/linked/lib.qvs", b"SET vLinked = 1;\n");
    dir.write("estate/shared/common.qvs", b"SET vCommon = 1;\n");
    std::os::unix::fs::symlink(dir.0.join("outside/linked"), dir.0.join("estate/linked"))
        .expect("symlink");
    let main = dir.write(
        "estate/app/main.qvs",
        b"$(Include=..\\shared\\common.qvs);\n$(Include=..\\linked\\lib.qvs);\n\
          $(Include=..\\..\\secret.txt);\n",
    );
    let options = LoadOptions {
        include_within: vec![dir.0.join("estate")],
        ..LoadOptions::default()
    };
    let loaded = load_script(&main, &options).expect("script is readable");
    let files: Vec<_> = loaded.files.iter().map(|f| file_name(&f.path)).collect();
    assert_eq!(files, ["main.qvs", "common.qvs", "lib.qvs"]);
    assert_eq!(loaded.diagnostics.len(), 1, "{:?}", loaded.diagnostics);
    let (_, diagnostic) = &loaded.diagnostics[0];
    assert_eq!(diagnostic.severity, DiagnosticSeverity::Error);
    assert_eq!(diagnostic.span.line, 3);
    assert!(diagnostic.message.contains("outside the estate's folders"));

    // Without folders, the file is read.
    let loaded = load_script(&main, &LoadOptions::default()).expect("script is readable");
    assert_eq!(loaded.files.len(), 4);
}

#[test]
fn unreadable_include_is_error() {
    let dir = TempDir::new("unreadable");
    std::fs::create_dir_all(dir.0.join("folder.qvs")).expect("mkdir");
    let main = dir.write(
        "main.qvs",
        b"$(Include=folder.qvs);\n$(Include=gone.qvs);\n",
    );
    let loaded = load_script(&main, &LoadOptions::default()).expect("script is readable");
    let severities: Vec<_> = loaded
        .diagnostics
        .iter()
        .map(|(_, d)| (d.span.line, d.severity))
        .collect();
    // A plain include of a missing file is skipped by Qlik too, so it stays a warning.
    assert_eq!(
        severities,
        [
            (1, DiagnosticSeverity::Error),
            (2, DiagnosticSeverity::Warning)
        ],
        "{:?}",
        loaded.diagnostics
    );
    assert!(
        loaded.diagnostics[0]
            .1
            .message
            .contains("could not be read")
    );
}

#[test]
fn missing_must_include_is_error() {
    let dir = TempDir::new("missing");
    let main = dir.write(
        "main.qvs",
        b"TRACE a;\n  $(Must_Include=nope.qvs);\n$(Include=gone.qvs);\n",
    );
    let loaded = load_script(&main, &LoadOptions::default()).expect("readable");
    let severities: Vec<_> = loaded.diagnostics.iter().map(|(_, d)| d.severity).collect();
    assert_eq!(
        severities,
        [DiagnosticSeverity::Error, DiagnosticSeverity::Warning]
    );
    let (file, error) = &loaded.diagnostics[0];
    assert_eq!(*file, 0);
    assert_eq!((error.span.line, error.span.column), (2, 18));
    assert!(error.message.contains("main.qvs:2:18"), "{}", error.message);
    assert!(error.message.contains("Must_Include"), "{}", error.message);
}

#[test]
fn include_cycle_is_reported() {
    let dir = TempDir::new("cycle");
    dir.write("b.qvs", b"$(Include=a.qvs);\n");
    let main = dir.write("a.qvs", b"$(Include=b.qvs);\nDROP TABLE T;\n");
    let loaded = load_script(&main, &LoadOptions::default()).expect("readable");
    assert_eq!(loaded.files.len(), 2);
    let (file, error) = &loaded.diagnostics[0];
    assert_eq!(*file, 1);
    assert_eq!(error.severity, DiagnosticSeverity::Error);
    assert!(error.message.contains("cycle"), "{}", error.message);
    assert_eq!(loaded.statements.len(), 3);
}

#[test]
fn lib_and_windows_roots_map_includes() {
    let dir = TempDir::new("roots");
    dir.write("scripts/lib.qvs", b"SET vFromLib = 1;\n");
    dir.write("share/common/win.qvs", b"SET vFromShare = 1;\n");
    let mut options = LoadOptions::default();
    options
        .lib_roots
        .insert("Scripts".into(), dir.0.join("scripts"));
    options
        .path_roots
        .insert("\\\\srv\\share".into(), dir.0.join("share"));
    let text = b"$(Must_Include=lib://scripts/lib.qvs);\n$(Must_Include=\\\\SRV\\share\\Common\\WIN.qvs);\n$(Include=lib://Other/x.qvs);\n";
    let loaded = load_text(Path::new("inline.qvs"), text, None, &options);
    let files: Vec<_> = loaded.files.iter().map(|f| file_name(&f.path)).collect();
    assert_eq!(files, ["inline.qvs", "lib.qvs", "win.qvs"]);
    assert_eq!(loaded.diagnostics.len(), 1);
    assert!(loaded.diagnostics[0].1.message.contains("no local folder"));
}

#[test]
fn include_depth_is_limited() {
    let dir = TempDir::new("depth");
    dir.write("x.qvs", b"$(Include=x2.qvs);\n");
    dir.write("x2.qvs", b"$(Include=x3.qvs);\n");
    dir.write("x3.qvs", b"TRACE deep;\n");
    let main = dir.write("main.qvs", b"$(Include=x.qvs);\n");
    let options = LoadOptions {
        max_include_depth: 2,
        ..LoadOptions::default()
    };
    let loaded = load_script(&main, &options).expect("readable");
    assert_eq!(loaded.files.len(), 3);
    assert!(
        loaded.diagnostics[0]
            .1
            .message
            .contains("maximum include depth of 2")
    );
}

#[test]
fn unreadable_top_file_is_an_error() {
    let result = load_script(
        Path::new("/nonexistent/qready/main.qvs"),
        &LoadOptions::default(),
    );
    let error = result.expect_err("a missing file cannot be loaded");
    assert!(matches!(error, LoadError::Read { .. }));
    assert!(
        error
            .to_string()
            .starts_with("failed to read script '/nonexistent/qready/main.qvs'")
    );
}

#[test]
fn tabs_are_indexed_across_files() {
    let dir = TempDir::new("tabs");
    dir.write("inc.qvs", b"///$tab Included\nTRACE in;\n");
    let main = dir.write(
        "main.qvs",
        b"///$tab Main\n$(Include=inc.qvs);\n///$tab Last\nTRACE out;\n",
    );
    let loaded = load_script(&main, &LoadOptions::default()).expect("readable");
    let tabs: Vec<_> = loaded.tabs.iter().map(|t| t.name.as_str()).collect();
    assert_eq!(tabs, ["Main", "Last", "Included"]);
    let statement_tabs: Vec<_> = loaded.statements.iter().map(|(_, s)| s.tab).collect();
    assert_eq!(statement_tabs, [Some(0), Some(2), Some(1)]);
}

#[test]
fn corpus_include_is_followed() {
    let path = common::corpus_dir().join("inqlik__inqlik_cli/test/files/file_with_include.qvs");
    let loaded = load_script(&path, &LoadOptions::default()).expect("corpus file is readable");
    let files: Vec<_> = loaded.files.iter().map(|f| file_name(&f.path)).collect();
    assert_eq!(files, ["file_with_include.qvs", "file_included.qvs"]);
}

#[test]
fn corpus_missing_must_include_is_error() {
    let path = common::corpus_dir()
        .join("inqlik__inqlik_cli/test/files/file_with_not_existent_must_include.qvs");
    let loaded = load_script(&path, &LoadOptions::default()).expect("corpus file is readable");
    let errors: Vec<_> = loaded
        .diagnostics
        .iter()
        .filter(|(_, d)| d.severity == DiagnosticSeverity::Error)
        .collect();
    assert_eq!(errors.len(), 1);
    assert_eq!(errors[0].1.span.line, 2);
    let kinds: Vec<_> = loaded.statements.iter().map(|(_, s)| s.kind).collect();
    use StatementKind::*;
    assert_eq!(kinds, [Trace, Include, Trace]);
}

#[test]
fn corpus_windows_1251_script_reads_cyrillic() {
    let path = common::corpus_dir().join("inqlik__inqlik_cli/test/files/test_0.qvs");
    let options = LoadOptions {
        ansi: encoding_rs::WINDOWS_1251,
        ..LoadOptions::default()
    };
    let loaded = load_script(&path, &options).expect("corpus file is readable");
    assert_eq!(loaded.files[0].encoding.name(), "windows-1251");
    assert!(loaded.files[0].text.contains("Количество"));
    let unknown = loaded
        .statements
        .iter()
        .filter(|(_, s)| s.kind == StatementKind::Unknown);
    assert_eq!(unknown.count(), 0);
}

/// Each file including the next one twice, ten deep, would read 2,046 files; the loader stops at
/// its maximum and says so.
#[test]
fn doubling_includes_stop_at_file_limit() {
    let dir = tempfile::tempdir().unwrap();
    for level in 0..10 {
        let next = format!("$(Include=f{}.qvs);\n", level + 1);
        std::fs::write(
            dir.path().join(format!("f{level}.qvs")),
            format!("{next}{next}"),
        )
        .unwrap();
    }
    std::fs::write(dir.path().join("f10.qvs"), "LET x = 1;\n").unwrap();
    let options = LoadOptions {
        max_files: 100,
        ..LoadOptions::default()
    };
    let script = qready_script::load::load_script(&dir.path().join("f0.qvs"), &options).unwrap();
    assert_eq!(script.files.len(), 100);
    assert!(
        script
            .diagnostics
            .iter()
            .any(|(_, d)| d.message.contains("maximum of 100 files")),
        "{:?}",
        script.diagnostics
    );
}

/// An include of something that is not a regular file is refused instead of read forever.
#[cfg(unix)]
#[test]
fn include_of_device_is_refused() {
    let dir = tempfile::tempdir().unwrap();
    let main = dir.path().join("main.qvs");
    std::os::unix::fs::symlink("/dev/zero", dir.path().join("zero.qvs")).unwrap();
    std::fs::write(&main, "$(Must_Include=zero.qvs);\n").unwrap();
    let script = qready_script::load::load_script(&main, &LoadOptions::default()).unwrap();
    assert_eq!(script.files.len(), 1);
    assert!(
        script
            .diagnostics
            .iter()
            .any(|(_, d)| d.message.contains("not a regular file")),
        "{:?}",
        script.diagnostics
    );
}
