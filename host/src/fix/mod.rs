//! `qready fix`: rewrites load scripts for Qlik Cloud as exact, reviewable edits.
//!
//! Every rewrite comes from the parse tree. It replaces one of these:
//! - a file path where FROM, STORE INTO, BINARY, an include, DIRECTORY, a file function or a
//!   FileList/DirList mask uses it;
//! - the SET/LET value of a variable used only at the start of such paths;
//! - an ODBC, OLE DB or CUSTOM CONNECT;
//! - the user ids of a section access INLINE table.
//!
//! Comments, other strings, SQL text and `lib://` paths are never touched. Each replacement is
//! encoded in the file's own encoding and spliced between its original bytes (see [`splice`]),
//! and the result must parse to the same statements.
//!
//! What cannot be rewritten safely is left as it is and listed in [`FixPlan::manual`].

pub mod mapping;
pub mod remaining;
mod rewrite;
mod section;
pub mod splice;

use std::collections::BTreeMap;
use std::path::{Path, PathBuf};

use qready_script::decode::{TextEncoding, decode};
use qready_script::load::{LoadOptions, load_script};
use qready_script::{Script, StatementKind};

pub use mapping::{Mapping, MappingError};
pub use rewrite::{Change, Manual};
use splice::{Edit, apply_to_text};

/// A script file with its rewrites applied.
#[derive(Debug, Clone)]
pub struct FixedFile {
    pub path: PathBuf,
    pub encoding: TextEncoding,
    pub original: Vec<u8>,
    pub fixed: Vec<u8>,
    /// Decoded text before and after, for diffs.
    pub original_text: String,
    pub fixed_text: String,
    pub changes: Vec<Change>,
}

/// A script file that could not be read or rewritten.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct FileProblem {
    pub path: PathBuf,
    pub message: String,
}

/// The result of planning: changed files, what is left to a person, and failures.
#[derive(Debug, Default)]
pub struct FixPlan {
    /// Files with at least one change, in path order.
    pub files: Vec<FixedFile>,
    /// Every script file read.
    pub scripts: Vec<PathBuf>,
    pub manual: Vec<Manual>,
    pub problems: Vec<FileProblem>,
}

/// Plans the rewrites of every script under `inputs`: files given by name, and under folders
/// the `.qvs` files and QlikView `LoadScript.txt` files.
pub fn plan(
    inputs: &[PathBuf],
    mapping: &Mapping,
    ansi: &'static encoding_rs::Encoding,
) -> FixPlan {
    let mut fix_plan = FixPlan::default();
    let options = LoadOptions {
        ansi,
        ..LoadOptions::default()
    };
    let scripts = script_files(inputs, &mut fix_plan.problems);
    let mut planner = rewrite::Planner::default();
    for path in &scripts {
        match load_script(path, &options) {
            Ok(script) => planner.add_script(&script, mapping),
            Err(error) => fix_plan.problems.push(FileProblem {
                path: path.clone(),
                message: error.to_string(),
            }),
        }
    }
    let (changes, manual) = planner.finish();
    fix_plan.manual = manual;
    let display: BTreeMap<PathBuf, &PathBuf> = scripts
        .iter()
        .map(|path| (path.canonicalize().unwrap_or_else(|_| path.clone()), path))
        .collect();
    for (canonical, changes) in changes {
        // An included file outside the given paths is left to the user, who did not ask for it.
        let Some(path) = display.get(&canonical).map(|p| (*p).clone()) else {
            for change in changes {
                let reason = format!(
                    "the file is outside the given paths; '{}' would become '{}'",
                    change.before, change.after
                );
                fix_plan.manual.push(change.left(reason));
            }
            continue;
        };
        match fix_file(&path, changes, ansi, &mut fix_plan.manual) {
            Ok(Some(file)) => fix_plan.files.push(file),
            Ok(None) => {}
            Err(message) => fix_plan.problems.push(FileProblem { path, message }),
        }
    }
    for path in &scripts {
        check_decodes(path, ansi, &mut fix_plan.problems);
    }
    fix_plan.manual.sort();
    fix_plan.files.sort_by(|a, b| a.path.cmp(&b.path));
    fix_plan.scripts = scripts;
    fix_plan
}

/// Reports a script that decodes only with replacement characters. Such a script is never
/// rewritten, and it is named even without rewrites because the engine may read it wrong too.
fn check_decodes(
    path: &Path,
    ansi: &'static encoding_rs::Encoding,
    problems: &mut Vec<FileProblem>,
) {
    if problems.iter().any(|p| p.path == path) {
        return;
    }
    let Ok(bytes) = std::fs::read(path) else {
        return;
    };
    let decoded = decode(&bytes, ansi);
    if decoded.had_errors {
        problems.push(FileProblem {
            path: path.to_owned(),
            message: format!(
                "the file does not decode as {} without replacement characters; it was not rewritten",
                decoded.encoding.name()
            ),
        });
    }
}

/// Applies the changes of one file to its bytes and checks the result. A change whose new text
/// the file's encoding cannot represent goes to `manual`; None means no change was left.
fn fix_file(
    path: &Path,
    mut changes: Vec<Change>,
    ansi: &'static encoding_rs::Encoding,
    manual: &mut Vec<Manual>,
) -> Result<Option<FixedFile>, String> {
    let original = std::fs::read(path).map_err(|e| format!("failed to read the file: {e}"))?;
    let decoded = decode(&original, ansi);
    // NOTE: dropping one cell of a section access column leaves the rest of that column
    // rewritten, unlike an unmapped user, which keeps the whole column as it is.
    changes.retain(|change| {
        let encodable = splice::can_encode(decoded.encoding, &change.edit.replacement);
        if !encodable {
            let reason = format!(
                "'{}' cannot be written in {}, the file's encoding; '{}' is kept",
                change.after,
                decoded.encoding.name(),
                change.before
            );
            manual.push(change.left(reason));
        }
        encodable
    });
    if changes.is_empty() {
        return Ok(None);
    }
    changes.sort_by_key(|change| change.edit.start);
    let edits: Vec<Edit> = changes.iter().map(|change| change.edit.clone()).collect();
    let fixed = splice::splice(&original, &decoded, &edits).map_err(|e| e.to_string())?;
    let fixed_text = apply_to_text(&decoded.text, &edits);
    let again = decode(&fixed, ansi);
    if again.text != fixed_text || again.had_errors {
        return Err(
            "the rewritten bytes do not decode to the rewritten text; the file was not rewritten"
                .to_owned(),
        );
    }
    check_same_statements(
        &qready_script::parse(&decoded.text),
        &qready_script::parse(&fixed_text),
    )?;
    Ok(Some(FixedFile {
        path: path.to_owned(),
        encoding: decoded.encoding,
        original,
        fixed,
        original_text: decoded.text,
        fixed_text,
        changes,
    }))
}

/// Checks that a rewritten script has the same statements, labels and source roles; only a
/// CONNECT may become a LIB CONNECT.
pub fn check_same_statements(before: &Script, after: &Script) -> Result<(), String> {
    if before.statements.len() != after.statements.len() {
        return Err(format!(
            "the rewritten script has {} statements instead of {}; the file was not rewritten",
            after.statements.len(),
            before.statements.len()
        ));
    }
    for (old, new) in before.statements.iter().zip(&after.statements) {
        let connect = matches!(
            old.kind,
            StatementKind::OdbcConnect | StatementKind::OledbConnect | StatementKind::CustomConnect
        ) && new.kind == StatementKind::LibConnect;
        let roles =
            |s: &qready_script::Statement| s.sources.iter().map(|x| x.role).collect::<Vec<_>>();
        let same =
            (old.kind == new.kind || connect) && old.label == new.label && roles(old) == roles(new);
        if !same {
            return Err(format!(
                "the rewritten statement at line {} parses differently; the file was not rewritten",
                old.span.line
            ));
        }
    }
    Ok(())
}

/// Lists the script files under the inputs, sorted and without repeats.
fn script_files(inputs: &[PathBuf], problems: &mut Vec<FileProblem>) -> Vec<PathBuf> {
    let mut files = Vec::new();
    for input in inputs {
        if input.is_file() {
            files.push(input.clone());
            continue;
        }
        if !input.is_dir() {
            problems.push(FileProblem {
                path: input.clone(),
                message: "no such file or folder".to_owned(),
            });
            continue;
        }
        for entry in walkdir::WalkDir::new(input).sort_by_file_name() {
            match entry {
                Ok(entry) if entry.file_type().is_file() && is_script_name(entry.path()) => {
                    files.push(entry.into_path());
                }
                Ok(_) => {}
                Err(error) => problems.push(FileProblem {
                    path: error.path().unwrap_or(input).to_owned(),
                    message: error.to_string(),
                }),
            }
        }
    }
    let mut seen = std::collections::BTreeSet::new();
    files.retain(|path| seen.insert(path.canonicalize().unwrap_or_else(|_| path.clone())));
    files
}

fn is_script_name(path: &Path) -> bool {
    let name = path.file_name().and_then(|n| n.to_str()).unwrap_or("");
    let extension = path.extension().and_then(|e| e.to_str()).unwrap_or("");
    extension.eq_ignore_ascii_case("qvs") || name.eq_ignore_ascii_case("LoadScript.txt")
}

/// Writes each fixed file in place after copying the original to `<file><backup_suffix>`.
///
/// A file is skipped with a problem when it is read-only, when its backup already exists, or
/// when it changed since it was planned. The other files are still written.
pub fn write(files: &[FixedFile], backup_suffix: &str) -> Vec<FileProblem> {
    let mut problems = Vec::new();
    for file in files {
        if let Err(message) = write_one(file, backup_suffix) {
            tracing::warn!(path = %file.path.display(), %message, "file not rewritten");
            problems.push(FileProblem {
                path: file.path.clone(),
                message,
            });
        }
    }
    problems
}

fn write_one(file: &FixedFile, backup_suffix: &str) -> Result<(), String> {
    let metadata =
        std::fs::metadata(&file.path).map_err(|e| format!("failed to read the file: {e}"))?;
    if metadata.permissions().readonly() {
        return Err("the file is read-only; it was not rewritten".to_owned());
    }
    let current = std::fs::read(&file.path).map_err(|e| format!("failed to read the file: {e}"))?;
    if current != file.original {
        return Err("the file changed since it was read; run fix again".to_owned());
    }
    let mut backup = file.path.clone().into_os_string();
    backup.push(backup_suffix);
    let backup = PathBuf::from(backup);
    // `create_new` fails when the backup exists, so an earlier backup is never overwritten.
    let created = std::fs::OpenOptions::new()
        .write(true)
        .create_new(true)
        .open(&backup);
    let mut handle = match created {
        Ok(handle) => handle,
        Err(e) if e.kind() == std::io::ErrorKind::AlreadyExists => {
            return Err(format!(
                "the backup '{}' already exists; move it away to rewrite the file",
                backup.display()
            ));
        }
        Err(e) => {
            return Err(format!(
                "failed to create the backup '{}': {e}",
                backup.display()
            ));
        }
    };
    std::io::Write::write_all(&mut handle, &file.original)
        .map_err(|e| format!("failed to write the backup '{}': {e}", backup.display()))?;
    drop(handle);
    if let Err(e) = std::fs::write(&file.path, &file.fixed) {
        // The original is unchanged, so the backup would only stop the next run.
        let _ = std::fs::remove_file(&backup);
        return Err(format!("failed to write the file: {e}"));
    }
    tracing::info!(path = %file.path.display(), changes = file.changes.len(), "script rewritten");
    Ok(())
}

/// Returns a unified diff of one file's decoded text, with `a/` and `b/` headers.
pub fn unified_diff(file: &FixedFile) -> String {
    let name = file.path.display().to_string();
    similar::TextDiff::from_lines(&file.original_text, &file.fixed_text)
        .unified_diff()
        .context_radius(3)
        .header(&format!("a/{name}"), &format!("b/{name}"))
        .to_string()
}
