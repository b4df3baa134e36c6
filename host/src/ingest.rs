//! Finds the apps in the folders and files given to `qready assess`, and reads each one into the
//! model.
//!
//! An app is one load script: a loose `.qvs` file, or the `LoadScript.txt` of a QlikView `-prj`
//! folder. A script that another script of the estate includes is part of that app, not an app
//! of its own.

use std::collections::{BTreeSet, HashSet};
use std::path::{Path, PathBuf};

use qready_script::load::{LoadOptions, LoadedScript, load_script};

use crate::model::{App, Estate, InputProblem, Product};

/// Settings for reading an estate.
#[derive(Debug, Clone)]
pub struct IngestOptions {
    /// Code page for script files that have no byte-order mark and are not valid UTF-8. The
    /// Qlik engine reads such files as ANSI, which is Windows-1252 on most servers.
    pub ansi: &'static encoding_rs::Encoding,
}

impl Default for IngestOptions {
    fn default() -> Self {
        IngestOptions {
            ansi: encoding_rs::WINDOWS_1252,
        }
    }
}

/// Reads every app under `inputs`. Unreadable files become [`InputProblem`]s; they never stop the
/// rest of the estate from being read.
pub fn read_estate(inputs: &[PathBuf], options: &IngestOptions) -> Estate {
    let mut estate = Estate::default();
    let mut candidates = Vec::new();
    for input in inputs {
        collect_scripts(input, &mut candidates, &mut estate.problems);
    }

    let load_options = LoadOptions {
        ansi: options.ansi,
        ..LoadOptions::default()
    };
    let mut loaded = Vec::with_capacity(candidates.len());
    for candidate in candidates {
        match load_script(&candidate.path, &load_options) {
            Ok(script) => {
                report_script_problems(&script, &mut estate.problems);
                loaded.push((candidate, script));
            }
            Err(error) => estate.problems.push(InputProblem {
                path: candidate.path.clone(),
                line: None,
                column: None,
                message: error.to_string(),
            }),
        }
    }

    let included = included_files(&loaded);
    let mut ids = HashSet::new();
    for (candidate, script) in loaded {
        if included.contains(&canonical(&candidate.path)) {
            tracing::debug!(path = %candidate.path.display(), "script is included by another; not an app");
            continue;
        }
        let id = unique_id(&candidate.id, &mut ids);
        estate.apps.push(App {
            name: app_name(&candidate.path),
            product: detect_product(&candidate.path, &script),
            source: candidate.path,
            script: Some(script),
            connections: Vec::new(),
            id,
        });
    }
    estate.apps.sort_by(|a, b| a.id.cmp(&b.id));
    estate
}

/// A script file found under an input, with the id its app gets.
struct Candidate {
    path: PathBuf,
    id: String,
}

fn collect_scripts(input: &Path, out: &mut Vec<Candidate>, problems: &mut Vec<InputProblem>) {
    if input.is_file() {
        let id = input
            .file_name()
            .map_or_else(|| input.display().to_string(), |n| n.to_string_lossy().into_owned());
        out.push(Candidate {
            path: input.to_owned(),
            id,
        });
        return;
    }
    if !input.is_dir() {
        problems.push(InputProblem {
            path: input.to_owned(),
            line: None,
            column: None,
            message: "no such file or folder".to_owned(),
        });
        return;
    }
    let walker = walkdir::WalkDir::new(input)
        .sort_by_file_name()
        .into_iter()
        .filter_entry(|entry| !is_hidden(entry.file_name()));
    for entry in walker {
        let entry = match entry {
            Ok(entry) => entry,
            Err(error) => {
                problems.push(InputProblem {
                    path: error.path().unwrap_or(input).to_owned(),
                    line: None,
                    column: None,
                    message: format!("failed to read folder: {error}"),
                });
                continue;
            }
        };
        if entry.file_type().is_file() && is_script(entry.path()) {
            let relative = entry.path().strip_prefix(input).unwrap_or(entry.path());
            out.push(Candidate {
                path: entry.path().to_owned(),
                id: relative_id(relative),
            });
        }
    }
}

fn is_hidden(name: &std::ffi::OsStr) -> bool {
    name.to_str().is_some_and(|n| n.starts_with('.') && n.len() > 1)
}

/// Whether a file is a load script: `*.qvs`, or `LoadScript.txt` in a QlikView project folder.
fn is_script(path: &Path) -> bool {
    let Some(name) = path.file_name().and_then(|n| n.to_str()) else {
        return false;
    };
    if name.eq_ignore_ascii_case("LoadScript.txt") {
        return true;
    }
    path.extension()
        .and_then(|e| e.to_str())
        .is_some_and(|e| e.eq_ignore_ascii_case("qvs"))
}

fn relative_id(relative: &Path) -> String {
    relative
        .components()
        .map(|c| c.as_os_str().to_string_lossy())
        .collect::<Vec<_>>()
        .join("/")
}

fn unique_id(base: &str, taken: &mut HashSet<String>) -> String {
    let mut id = base.to_owned();
    let mut n = 2;
    while !taken.insert(id.clone()) {
        id = format!("{base}#{n}");
        n += 1;
    }
    id
}

/// Name of the app: the project folder's name without `-prj` for a QlikView project, otherwise
/// the script's file name without its extension.
fn app_name(path: &Path) -> String {
    let is_project_script = path
        .file_name()
        .and_then(|n| n.to_str())
        .is_some_and(|n| n.eq_ignore_ascii_case("LoadScript.txt"));
    if is_project_script {
        if let Some(folder) = path.parent().and_then(|p| p.file_name()).and_then(|n| n.to_str()) {
            return folder.strip_suffix("-prj").unwrap_or(folder).to_owned();
        }
    }
    path.file_stem()
        .map_or_else(|| path.display().to_string(), |s| s.to_string_lossy().into_owned())
}

/// QlikView for a `-prj` project script; for a loose script, Qlik Sense when it uses a library
/// connection (which QlikView does not have), QlikView otherwise.
fn detect_product(path: &Path, script: &LoadedScript) -> Product {
    if path
        .file_name()
        .and_then(|n| n.to_str())
        .is_some_and(|n| n.eq_ignore_ascii_case("LoadScript.txt"))
    {
        return Product::QlikView;
    }
    let uses_library = script.statements.iter().any(|(_, statement)| {
        statement.kind == qready_script::StatementKind::LibConnect
            || statement
                .sources
                .iter()
                .any(|s| matches!(s.kind, qready_script::PathKind::Lib { .. }))
    });
    if uses_library {
        Product::QlikSense
    } else {
        Product::QlikView
    }
}

fn included_files(loaded: &[(Candidate, LoadedScript)]) -> BTreeSet<PathBuf> {
    loaded
        .iter()
        .flat_map(|(_, script)| script.files.iter().skip(1))
        .map(|file| canonical(&file.path))
        .collect()
}

fn canonical(path: &Path) -> PathBuf {
    std::fs::canonicalize(path).unwrap_or_else(|_| path.to_owned())
}

/// Records decoding and include problems of a script, with their positions.
fn report_script_problems(script: &LoadedScript, problems: &mut Vec<InputProblem>) {
    for (file, diagnostic) in &script.diagnostics {
        let path = script
            .files
            .get(*file as usize)
            .map_or_else(PathBuf::new, |f| f.path.clone());
        if diagnostic.severity != qready_script::DiagnosticSeverity::Error {
            tracing::debug!(path = %path.display(), line = diagnostic.span.line, "{}", diagnostic.message);
            continue;
        }
        problems.push(InputProblem {
            path,
            line: Some(diagnostic.span.line),
            column: Some(diagnostic.span.column),
            message: diagnostic.message.clone(),
        });
    }
}
