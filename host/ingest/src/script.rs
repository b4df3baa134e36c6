//! Load scripts: reading them with the parser, masking credentials, and the data sources they
//! name.

use std::path::{Component, Path, PathBuf};

use qready_model::{
    Access, InputFormat, InputProblem, LocationKind, Provenance, ScriptFileInfo, ScriptInfo,
};
use qready_script::ast::Node;
use qready_script::load::{LoadOptions, LoadedScript, load_text};
use qready_script::{DiagnosticSeverity, PathKind, SourceRole, StatementKind};

use crate::redact;
use crate::text;

/// Largest script file read, in bytes.
pub const MAX_SCRIPT_BYTES: u64 = 64 * 1024 * 1024;

/// A script read for an app, with the files it came from.
#[derive(Debug)]
pub struct ReadScript {
    pub script: LoadedScript,
    pub info: ScriptInfo,
    /// For scripts joined from tab files: the first line of each tab file in the joined text.
    line_map: Vec<(u32, PathBuf)>,
}

impl ReadScript {
    /// Maps a line of the script's top-level text to the file and line it came from.
    pub fn origin(&self, file: u32, line: u32) -> (PathBuf, u32) {
        if file == 0
            && let Some((first, path)) =
                self.line_map.iter().rev().find(|(first, _)| *first <= line)
        {
            return (path.clone(), line - first + 1);
        }
        let path = self
            .script
            .files
            .get(file as usize)
            .map_or_else(PathBuf::new, |f| f.path.clone());
        (path, line)
    }
}

/// Options for reading scripts.
#[derive(Debug, Default)]
pub struct ScriptOptions {
    pub load: LoadOptions,
    /// Whether each statement keeps its syntax tree ([`qready_script::Statement::node`]). When
    /// false, the trees become [`Node::Omitted`] after credentials are masked. Kinds, spans,
    /// sources and functions stay, and they are all that the assessment and the packs read.
    pub syntax_trees: bool,
}

/// Reads one script file and the files it includes, credentials masked.
pub fn read_file(
    path: &Path,
    options: &ScriptOptions,
    problems: &mut Vec<InputProblem>,
) -> Option<ReadScript> {
    let bytes = match text::read_limited(path, MAX_SCRIPT_BYTES) {
        Ok(bytes) => bytes,
        Err(problem) => {
            problems.push(problem);
            return None;
        }
    };
    if !text::looks_like_text(&bytes) {
        problems.push(InputProblem::new(
            path,
            "not a text file: it contains zero bytes, so it is not read as a load script",
        ));
        return None;
    }
    let mut script = load_text(path, &bytes, path.parent(), &options.load);
    finish(&mut script, options, problems);
    let info = info(&script, &[]);
    Some(ReadScript {
        script,
        info,
        line_map: Vec::new(),
    })
}

/// Reads script text that is not in a file of its own, such as the `loadScript` string of an
/// app export. `path` names the file the text was taken from.
pub fn read_text(
    path: &Path,
    script_text: &str,
    options: &ScriptOptions,
    problems: &mut Vec<InputProblem>,
) -> ReadScript {
    let mut script = load_text(path, script_text.as_bytes(), path.parent(), &options.load);
    finish(&mut script, options, problems);
    let info = info(&script, &[]);
    ReadScript {
        script,
        info,
        line_map: Vec::new(),
    }
}

/// Joins per-tab script files, in tab order, into one script, as the script editor shows them.
/// `name` names the joined script, usually the folder of the tab files.
pub fn read_tabs(
    name: &Path,
    tabs: &[(String, PathBuf)],
    options: &ScriptOptions,
    problems: &mut Vec<InputProblem>,
) -> Option<ReadScript> {
    let mut joined = String::new();
    let mut line_map = Vec::new();
    let mut line = 1u32;
    for (tab_name, path) in tabs {
        let bytes = match text::read_limited(path, MAX_SCRIPT_BYTES) {
            Ok(bytes) => bytes,
            Err(problem) => {
                problems.push(problem);
                continue;
            }
        };
        let (tab_text, _) = text::decode(&bytes, options.load.ansi);
        if !tab_text.trim_start().starts_with("///$tab") {
            // The tab marker keeps statements of different tabs apart in the joined script.
            joined.push_str(&format!("///$tab {tab_name}\n"));
            line += 1;
        }
        line_map.push((line, path.clone()));
        joined.push_str(&tab_text);
        if !tab_text.ends_with('\n') {
            joined.push('\n');
        }
        line = joined.matches('\n').count() as u32 + 1;
    }
    if line_map.is_empty() {
        return None;
    }
    let mut script = load_text(name, joined.as_bytes(), name.parent(), &options.load);
    finish(&mut script, options, problems);
    let info = info(&script, &line_map);
    Some(ReadScript {
        script,
        info,
        line_map,
    })
}

fn finish(script: &mut LoadedScript, options: &ScriptOptions, problems: &mut Vec<InputProblem>) {
    mask_script(script);
    if !options.syntax_trees {
        for (_, statement) in &mut script.statements {
            statement.node = Node::Omitted;
        }
    }
    for (file, diagnostic) in &script.diagnostics {
        let path = script
            .files
            .get(*file as usize)
            .map_or_else(PathBuf::new, |f| f.path.clone());
        if diagnostic.severity != DiagnosticSeverity::Error {
            tracing::debug!(path = %path.display(), line = diagnostic.span.line, "{}", diagnostic.message);
            continue;
        }
        problems.push(InputProblem::at(
            path,
            diagnostic.span.line,
            diagnostic.span.column,
            diagnostic.message.clone(),
        ));
    }
}

/// Returns the byte range of the value of a SET or LET whose variable name marks a credential,
/// such as `LET vPassword = 'x';`: the value may reach a connection string through `$(…)`.
fn secret_assignment_value(
    text: &str,
    statement: &qready_script::Statement,
) -> Option<std::ops::Range<usize>> {
    let Node::LetSet(assignment) = &statement.node else {
        return None;
    };
    assignment.value_text.as_ref()?;
    if !redact::is_secret_name(&assignment.name) {
        return None;
    }
    let (start, end) = (statement.span.start as usize, statement.span.end as usize);
    let statement_text = text.get(start..end)?;
    let equals = statement_text.find('=')?;
    let value = &statement_text[equals + 1..];
    let value = value.trim_end().trim_end_matches(';').trim_end();
    let leading = value.len() - value.trim_start().len();
    let value_start = start + equals + 1 + leading;
    let value_end = start + equals + 1 + value.len();
    (value_start < value_end).then_some(value_start..value_end)
}

/// Masks credentials in every file text, source reference, diagnostic and syntax tree of a
/// loaded script. Besides connection-string credentials, the values of SET and LET statements
/// whose variable names mark a credential (see [`redact::is_secret_name`]) are masked.
///
/// Masking keeps byte lengths, so spans stay valid. A statement whose text contained a
/// credential is parsed again from its masked text, so its syntax tree has no copy of the secret.
pub fn mask_script(script: &mut LoadedScript) {
    let mut secret_values: Vec<Vec<std::ops::Range<usize>>> = vec![Vec::new(); script.files.len()];
    for (file, statement) in &script.statements {
        if let Some(text) = script.files.get(*file as usize).map(|f| f.text.as_str())
            && let Some(range) = secret_assignment_value(text, statement)
        {
            secret_values[*file as usize].push(range);
        }
    }
    let mut ranges_by_file = Vec::with_capacity(script.files.len());
    for (file, secrets) in script.files.iter_mut().zip(secret_values) {
        let mut ranges = redact::credential_ranges(&file.text);
        ranges.extend(secrets);
        let ranges = redact::merge(ranges);
        redact::mask_ranges(&mut file.text, &ranges);
        ranges_by_file.push(ranges);
    }
    for (file, statement) in &mut script.statements {
        for source in &mut statement.sources {
            redact::mask_in_place(&mut source.path);
            if let Some(resolved) = &mut source.resolved {
                redact::mask_in_place(resolved);
            }
        }
        let (start, end) = (statement.span.start as usize, statement.span.end as usize);
        let ranges = ranges_by_file
            .get(*file as usize)
            .map_or(&[][..], Vec::as_slice);
        let overlaps = ranges.iter().any(|r| r.start < end && start < r.end);
        if overlaps {
            let statement_text = script
                .files
                .get(*file as usize)
                .and_then(|f| f.text.get(start..end))
                .unwrap_or_default();
            let reparsed = qready_script::parse(statement_text);
            statement.node = reparsed
                .statements
                .into_iter()
                .next()
                .map_or(Node::Unknown, |s| s.node);
        }
        if let Node::Connect(connect) = &mut statement.node {
            redact::mask_in_place(&mut connect.target);
            for option in &mut connect.options {
                redact::mask_in_place(option);
            }
        }
    }
    for (_, diagnostic) in &mut script.diagnostics {
        redact::mask_in_place(&mut diagnostic.message);
    }
}

fn info(script: &LoadedScript, line_map: &[(u32, PathBuf)]) -> ScriptInfo {
    let mut files = Vec::new();
    if line_map.is_empty() {
        for file in &script.files {
            files.push(ScriptFileInfo {
                path: file.path.clone(),
                encoding: file.encoding.name().to_owned(),
                line_count: file.text.lines().count() as u32,
                first_line: 1,
            });
        }
    } else {
        let total = script
            .files
            .first()
            .map_or(0, |f| f.text.lines().count() as u32);
        for (index, (first, path)) in line_map.iter().enumerate() {
            let next = line_map.get(index + 1).map_or(total + 1, |(line, _)| *line);
            files.push(ScriptFileInfo {
                path: path.clone(),
                encoding: "UTF-8".to_owned(),
                line_count: next.saturating_sub(*first),
                first_line: *first,
            });
        }
        for file in script.files.iter().skip(1) {
            files.push(ScriptFileInfo {
                path: file.path.clone(),
                encoding: file.encoding.name().to_owned(),
                line_count: file.text.lines().count() as u32,
                first_line: 1,
            });
        }
    }
    ScriptInfo {
        files,
        statement_count: script.statements.len() as u32,
        tab_count: script.tabs.len() as u32,
    }
}

/// Checks whether a script has a SECTION ACCESS statement.
pub fn has_section_access(script: &LoadedScript) -> bool {
    script
        .statements
        .iter()
        .any(|(_, statement)| statement.kind == StatementKind::SectionAccess)
}

/// Names of the library connections a script uses (`lib://Name/…` and LIB CONNECT TO).
pub fn library_connections(script: &LoadedScript) -> Vec<String> {
    let mut names: Vec<String> = script
        .statements
        .iter()
        .flat_map(|(_, statement)| &statement.sources)
        .filter_map(|source| match &source.kind {
            PathKind::Lib { connection, .. } => Some(connection.clone()),
            _ => None,
        })
        .collect();
    names.sort_by_key(|name| name.to_lowercase());
    names.dedup_by(|a, b| a.eq_ignore_ascii_case(b));
    names
}

/// A reference of a script to a file, table or URL.
#[derive(Debug, Clone)]
pub struct SourceReference {
    /// The location after static variable expansion, as written otherwise.
    pub location: String,
    /// Normalized location: the data source id without its `source:` prefix.
    pub key: String,
    pub kind: LocationKind,
    pub connection: Option<String>,
    pub access: Access,
    pub provenance: Provenance,
}

/// Lists the data sources a script reads or writes. Relative paths are resolved against
/// `working_dir`, the folder the app reloads in.
pub fn source_references(
    read: &ReadScript,
    working_dir: Option<&Path>,
    format: InputFormat,
) -> Vec<SourceReference> {
    let mut references = Vec::new();
    for (file, statement) in &read.script.statements {
        for source in &statement.sources {
            let access = match source.role {
                SourceRole::From | SourceRole::SqlTable | SourceRole::Url => Access::Read,
                SourceRole::StoreInto => Access::Write,
                SourceRole::Binary => Access::Binary,
                SourceRole::Include | SourceRole::MustInclude => Access::Include,
                SourceRole::Execute => Access::Execute,
                _ => continue,
            };
            let location = source
                .resolved
                .clone()
                .unwrap_or_else(|| source.path.clone());
            if location.trim().is_empty() {
                continue;
            }
            let (kind, connection) = location_kind(&source.kind);
            let key = location_key(&location, kind, working_dir);
            let (path, line) = read.origin(*file, source.span.line);
            references.push(SourceReference {
                location,
                key,
                kind,
                connection,
                access,
                provenance: Provenance::at(path, format, line, source.span.column),
            });
        }
    }
    references
}

fn location_kind(kind: &PathKind) -> (LocationKind, Option<String>) {
    match kind {
        PathKind::Lib { connection, .. } => (LocationKind::Library, Some(connection.clone())),
        PathKind::Drive => (LocationKind::Drive, None),
        PathKind::Unc => (LocationKind::Unc, None),
        PathKind::Relative => (LocationKind::Relative, None),
        PathKind::Url => (LocationKind::Url, None),
        PathKind::Dynamic => (LocationKind::Dynamic, None),
        PathKind::Table => (LocationKind::Table, None),
        PathKind::Other => (LocationKind::Other, None),
    }
}

/// Normalizes a location so that the same file written in different ways gets one key:
/// lower case, `/` separators, `.` and `..` resolved, relative paths joined to `working_dir`.
pub fn location_key(location: &str, kind: LocationKind, working_dir: Option<&Path>) -> String {
    let location = location.trim();
    match kind {
        LocationKind::Relative => match working_dir {
            Some(dir) => format!(
                "file:{}",
                normalize_path(&dir.join(location.replace('\\', "/")))
            ),
            None => format!("relative:{}", normalize_text(location)),
        },
        LocationKind::Table => format!("table:{}", location.to_lowercase()),
        _ => normalize_text(location),
    }
}

/// Normalizes a local path as [`location_key`] does, for matching QVD files found on disk.
pub fn normalize_path(path: &Path) -> String {
    let mut parts: Vec<String> = Vec::new();
    let mut absolute = false;
    for component in path.components() {
        match component {
            Component::RootDir => absolute = true,
            Component::CurDir | Component::Prefix(_) => {}
            Component::ParentDir => {
                parts.pop();
            }
            Component::Normal(part) => parts.push(part.to_string_lossy().to_lowercase()),
        }
    }
    let joined = parts.join("/");
    if absolute {
        format!("/{joined}")
    } else {
        joined
    }
}

fn normalize_text(location: &str) -> String {
    let text = location.replace('\\', "/").to_lowercase();
    let (prefix, rest) = match text.find("://") {
        Some(i) => text.split_at(i + 3),
        None if text.starts_with("//") => text.split_at(2),
        None => ("", text.as_str()),
    };
    let mut parts: Vec<&str> = Vec::new();
    for part in rest.split('/') {
        match part {
            "." | "" if !parts.is_empty() => {}
            ".." => {
                parts.pop();
            }
            other => parts.push(other),
        }
    }
    format!("{prefix}{}", parts.join("/"))
}

/// Checks whether text is clearly a load script. It is when it has a `///$tab` marker, or at
/// least two lines that start with a statement keyword and a `;` somewhere.
pub fn looks_like_script(text: &str) -> bool {
    if text.contains("///$tab") {
        return true;
    }
    const KEYWORDS: &[&str] = &[
        "load",
        "sql",
        "set",
        "let",
        "store",
        "connect",
        "odbc",
        "oledb",
        "lib connect",
        "trace",
        "sub",
        "call",
        "drop",
        "qualify",
        "binary",
        "directory",
        "section access",
        "mapping",
        "concatenate",
        "join",
        "left join",
        "noconcatenate",
        "exit script",
        "for each",
        "$(include",
        "$(must_include",
    ];
    let statement_lines = text
        .lines()
        .map(|line| line.trim_start().to_ascii_lowercase())
        .filter(|line| {
            KEYWORDS.iter().any(|keyword| {
                line.starts_with(keyword)
                    && line[keyword.len()..]
                        .chars()
                        .next()
                        .is_none_or(|c| !c.is_alphanumeric() && c != '_')
            })
        })
        .take(2)
        .count();
    statement_lines >= 2 && text.contains(';')
}

/// Splits a path like `X/Name-prj/LoadScript.txt` into the working folder of the QlikView
/// document (`X`).
pub fn qlikview_working_dir(project_dir: &Path) -> Option<PathBuf> {
    project_dir.parent().map(Path::to_path_buf)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn location_key_normalizes_windows_paths() {
        let a = location_key("C:\\Data\\.\\QVD\\..\\Sales.QVD", LocationKind::Drive, None);
        assert_eq!(a, "c:/data/sales.qvd");
        let b = location_key("lib://DataFiles/Sales.qvd", LocationKind::Library, None);
        assert_eq!(b, "lib://datafiles/sales.qvd");
        let c = location_key("\\\\srv\\share\\a.qvd", LocationKind::Unc, None);
        assert_eq!(c, "//srv/share/a.qvd");
    }

    #[test]
    fn relative_paths_join_the_working_folder() {
        let key = location_key(
            "..\\QVD\\x.qvd",
            LocationKind::Relative,
            Some(Path::new("/e/app")),
        );
        assert_eq!(key, "file:/e/qvd/x.qvd");
    }

    #[test]
    fn script_text_is_recognized() {
        assert!(looks_like_script("SET a=1;\nLOAD * FROM x.qvd (qvd);\n"));
        assert!(!looks_like_script(
            "Meeting notes\nload the car; set the table"
        ));
        assert!(!looks_like_script("just one line; LOAD"));
    }

    #[test]
    fn omitted_trees_keep_statements() {
        let text = "LET vPassword = 'hunter2';\n\
                    ODBC CONNECT TO [Sales;UID=sa;PWD=hunter2];\n\
                    LOAD * FROM [lib://Data/a.qvd] (qvd);\n";
        let read = |syntax_trees| {
            let options = ScriptOptions {
                syntax_trees,
                ..ScriptOptions::default()
            };
            read_text(Path::new("a.qvs"), text, &options, &mut Vec::new()).script
        };
        let (kept, omitted) = (read(true), read(false));
        assert!(matches!(kept.statements[1].1.node, Node::Connect(_)));
        assert_eq!(kept.statements.len(), omitted.statements.len());
        for ((_, a), (_, b)) in kept.statements.iter().zip(&omitted.statements) {
            assert_eq!(b.node, Node::Omitted);
            assert_eq!((a.kind, a.span, &a.sources), (b.kind, b.span, &b.sources));
        }
        assert!(!omitted.files[0].text.contains("hunter2"));
    }
}
