//! Reading script files from disk and following `$(Include=…)` / `$(Must_Include=…)`.

use std::collections::{BTreeMap, HashMap};
use std::ffi::OsString;
use std::path::{Path, PathBuf};
use std::sync::{Arc, Mutex};

use serde::Serialize;

use crate::decode::{TextEncoding, decode};
use crate::{
    Diagnostic, DiagnosticSeverity, PathKind, SourceRole, Span, Statement, StatementKind,
    SymbolTable, Tab,
};

/// How to read script files and where include paths point on this machine.
#[derive(Clone, Debug)]
pub struct LoadOptions {
    /// Code page for files without a BOM that are not valid UTF-8.
    pub ansi: &'static encoding_rs::Encoding,
    /// Library connection name (the `Conn` of `lib://Conn/…`, matched ignoring ASCII case) to the
    /// local folder it stands for.
    pub lib_roots: BTreeMap<String, PathBuf>,
    /// Windows path prefix, such as `C:\QlikView` or `\\server\share`, to the local folder that
    /// replaces it. Of several matching prefixes the one of maximum length is used, and case and
    /// slash direction are ignored.
    pub path_roots: BTreeMap<String, PathBuf>,
    /// Deepest include nesting followed; deeper includes are reported as errors.
    pub max_include_depth: u32,
    /// Most files one script may read with its includes: 1,000 by default. A file that includes
    /// another twice, nested a few dozen deep, would otherwise read an exponential number.
    pub max_files: usize,
    /// Largest included file read, in bytes: 64 MiB by default.
    pub max_include_bytes: u64,
    /// Listings of the folders searched for an include path whose case differs from the file's,
    /// shared by every clone of these options.
    pub folders: FolderNames,
    /// Folders inside which included files are read. When empty, files are read anywhere.
    ///
    /// A path is inside when it starts with one of them, either made absolute with its `..`
    /// steps applied or with its links resolved. Links inside these folders may therefore point
    /// elsewhere. An include outside, such as `..\..\..\home\user\.ssh\id_rsa`, is reported and
    /// not read, so that a script cannot bring an unrelated local file into the estate.
    pub include_within: Vec<PathBuf>,
}

/// Folder listings by canonical folder path, each read once.
///
/// An include path whose case differs from the file's is resolved by listing its folder. Many
/// scripts of an estate include the same missing file from one large folder, so listing that
/// folder once per script would grow with the square of the scripts. Folders are keyed by
/// canonical path because include paths reach one folder through different `..` steps. A
/// listing is not refreshed after it is read.
#[derive(Clone, Debug, Default)]
pub struct FolderNames(Arc<Mutex<HashMap<PathBuf, Arc<Listing>>>>);

/// The names in one folder, by their lower case.
type Listing = HashMap<String, OsString>;

impl FolderNames {
    /// Returns the path of the entry of `folder` whose name equals `lower_name` ignoring the
    /// case of any letter, not only ASCII. When several do, the first in listing order wins.
    fn find(&self, folder: &Path, lower_name: &str) -> Option<PathBuf> {
        let key = folder.canonicalize().ok()?;
        let cached = self
            .0
            .lock()
            .unwrap_or_else(|poisoned| poisoned.into_inner())
            .get(&key)
            .cloned();
        let names = match cached {
            Some(names) => names,
            None => {
                let mut names = HashMap::new();
                for entry in std::fs::read_dir(&key).ok()?.flatten() {
                    let name = entry.file_name();
                    names
                        .entry(name.to_string_lossy().to_lowercase())
                        .or_insert(name);
                }
                let names = Arc::new(names);
                self.0
                    .lock()
                    .unwrap_or_else(|poisoned| poisoned.into_inner())
                    .insert(key, Arc::clone(&names));
                names
            }
        };
        names.get(lower_name).map(|name| folder.join(name))
    }
}

impl Default for LoadOptions {
    fn default() -> LoadOptions {
        LoadOptions {
            ansi: encoding_rs::WINDOWS_1252,
            lib_roots: BTreeMap::new(),
            path_roots: BTreeMap::new(),
            max_include_depth: 32,
            max_files: 1_000,
            max_include_bytes: 64 * 1024 * 1024,
            folders: FolderNames::default(),
            include_within: Vec::new(),
        }
    }
}

/// One file of a loaded script: the top-level file or an included one.
#[derive(Clone, Debug, Serialize)]
pub struct ScriptFile {
    pub path: PathBuf,
    pub text: String,
    pub encoding: TextEncoding,
    /// Index of the including file and the span of the include path in it.
    pub included_from: Option<(u32, Span)>,
}

/// A script with its includes.
#[derive(Clone, Debug, Serialize)]
pub struct LoadedScript {
    pub files: Vec<ScriptFile>,
    /// statements of all files in execution order (an included file's statements appear where it
    /// is included), each with the index of its file
    pub statements: Vec<(u32, Statement)>,
    /// Tabs of all files; [`Statement::tab`] indexes this list.
    pub tabs: Vec<Tab>,
    pub diagnostics: Vec<(u32, Diagnostic)>,
}

#[derive(thiserror::Error, Debug)]
pub enum LoadError {
    /// the top-level file can't be read
    #[error("failed to read script '{path}': {source}")]
    Read {
        path: PathBuf,
        source: std::io::Error,
    },
}

/// Reads, decodes and parses a script file and the files it includes.
pub fn load_script(path: &Path, options: &LoadOptions) -> Result<LoadedScript, LoadError> {
    let bytes = std::fs::read(path).map_err(|source| LoadError::Read {
        path: path.to_path_buf(),
        source,
    })?;
    Ok(load_text(path, &bytes, path.parent(), options))
}

/// Same as [`load_script`] for bytes already in memory; `name` is used in diagnostics and
/// relative includes resolve against `base_dir` when given.
pub fn load_text(
    name: &Path,
    bytes: &[u8],
    base_dir: Option<&Path>,
    options: &LoadOptions,
) -> LoadedScript {
    let mut loader = Loader {
        options,
        script: LoadedScript {
            files: Vec::new(),
            statements: Vec::new(),
            tabs: Vec::new(),
            diagnostics: Vec::new(),
        },
        symbols: SymbolTable::default(),
        chain: Vec::new(),
    };
    let top = name.canonicalize().unwrap_or_else(|_| name.to_path_buf());
    loader.chain.push(top);
    loader.add_file(name.to_path_buf(), bytes, base_dir, None, 0);
    loader.script
}

struct Loader<'a> {
    options: &'a LoadOptions,
    script: LoadedScript,
    symbols: SymbolTable,
    /// Canonical paths of the files being included, outermost first, for cycle detection.
    chain: Vec<PathBuf>,
}

/// An include statement to follow.
struct Include {
    must: bool,
    path: String,
    span: Span,
}

impl Loader<'_> {
    fn add_file(
        &mut self,
        path: PathBuf,
        bytes: &[u8],
        base_dir: Option<&Path>,
        included_from: Option<(u32, Span)>,
        depth: u32,
    ) {
        let decoded = decode(bytes, self.options.ansi);
        let file_index = self.script.files.len() as u32;
        let parsed = crate::parse::parse_script(&decoded.text);
        if decoded.had_errors {
            let message = format!(
                "some bytes of '{}' are not valid {} and were replaced",
                path.display(),
                decoded.encoding.name()
            );
            self.warn(
                file_index,
                message,
                Span::default(),
                DiagnosticSeverity::Warning,
            );
        }
        self.script.files.push(ScriptFile {
            path,
            text: decoded.text,
            encoding: decoded.encoding,
            included_from,
        });
        let tab_offset = self.script.tabs.len() as u32;
        self.script.tabs.extend(parsed.tabs);
        let diagnostics = parsed.diagnostics.into_iter().map(|d| (file_index, d));
        self.script.diagnostics.extend(diagnostics);
        for mut statement in parsed.statements {
            statement.tab = statement.tab.map(|t| t + tab_offset);
            self.symbols.apply(&mut statement);
            let include = include_of(&statement);
            self.script.statements.push((file_index, statement));
            if let Some(include) = include {
                self.follow(file_index, base_dir, include, depth);
            }
        }
    }

    fn warn(&mut self, file: u32, message: String, span: Span, severity: DiagnosticSeverity) {
        let diagnostic = Diagnostic {
            message,
            span,
            severity,
        };
        self.script.diagnostics.push((file, diagnostic));
    }

    fn location(&self, file: u32, span: Span) -> String {
        let path = &self.script.files[file as usize].path;
        format!("{}:{}:{}", path.display(), span.line, span.column)
    }

    fn follow(&mut self, file: u32, base_dir: Option<&Path>, include: Include, depth: u32) {
        let missing_severity = if include.must {
            DiagnosticSeverity::Error
        } else {
            DiagnosticSeverity::Warning
        };
        let directive = if include.must {
            "Must_Include"
        } else {
            "Include"
        };
        let at = self.location(file, include.span);
        if include.path.contains("$(") {
            let message = format!(
                "{directive} path '{}' at {at} depends on a variable without a static value; the file was not read",
                include.path
            );
            self.warn(file, message, include.span, DiagnosticSeverity::Warning);
            return;
        }
        let Some(local) = self.local_path(&include.path, base_dir) else {
            let message = format!(
                "{directive} path '{}' at {at} has no local folder; map its library or drive in the load options to read it",
                include.path
            );
            self.warn(file, message, include.span, DiagnosticSeverity::Warning);
            return;
        };
        if depth + 1 > self.options.max_include_depth {
            let message = format!(
                "{directive} of '{}' at {at} exceeds the maximum include depth of {}",
                include.path, self.options.max_include_depth
            );
            self.warn(file, message, include.span, DiagnosticSeverity::Error);
            return;
        }
        let local = find_ignoring_case(&local, &self.options.folders).unwrap_or(local);
        let canonical = local.canonicalize().unwrap_or_else(|_| local.clone());
        if !self.is_within_folders(&local, &canonical) {
            let message = format!(
                "{directive} of '{}' at {at} resolves to {}, outside the estate's folders, so it \
                 was not read. Give its folder as an input or map it to a library or drive",
                include.path,
                canonical.display()
            );
            self.warn(file, message, include.span, DiagnosticSeverity::Error);
            return;
        }
        if self.chain.contains(&canonical) {
            let message = format!(
                "{directive} of '{}' at {at} includes a file that is already being included (include cycle)",
                include.path
            );
            self.warn(file, message, include.span, DiagnosticSeverity::Error);
            return;
        }
        if self.script.files.len() >= self.options.max_files {
            let message = format!(
                "{directive} of '{}' at {at} exceeds the maximum of {} files read for one script",
                include.path, self.options.max_files
            );
            self.warn(file, message, include.span, DiagnosticSeverity::Error);
            return;
        }
        match read_include(&local, self.options.max_include_bytes) {
            Ok(bytes) => {
                self.chain.push(canonical);
                let parent = local.parent().map(Path::to_path_buf);
                self.add_file(
                    local,
                    &bytes,
                    parent.as_deref(),
                    Some((file, include.span)),
                    depth + 1,
                );
                self.chain.pop();
            }
            Err(error) if error.kind() == std::io::ErrorKind::NotFound => {
                let message = format!(
                    "{directive} file '{}' at {at} was not found ({}): {error}",
                    include.path,
                    local.display()
                );
                self.warn(file, message, include.span, missing_severity);
            }
            // A file that exists but cannot be read, such as one in a folder without read
            // permission, is a fault of the input, whatever the directive.
            Err(error) => {
                let message = format!(
                    "{directive} file '{}' at {at} could not be read ({}): {error}",
                    include.path,
                    local.display()
                );
                self.warn(file, message, include.span, DiagnosticSeverity::Error);
            }
        }
    }

    /// Checks whether an included file lies inside [`LoadOptions::include_within`], as written
    /// with its `..` steps applied or with its links resolved (`canonical`).
    fn is_within_folders(&self, local: &Path, canonical: &Path) -> bool {
        let folders = &self.options.include_within;
        if folders.is_empty() {
            return true;
        }
        let lexical = lexical_absolute(local);
        folders.iter().any(|folder| {
            canonical.starts_with(folder) || lexical.as_ref().is_some_and(|l| l.starts_with(folder))
        })
    }

    /// Maps an include path to a local file path.
    fn local_path(&self, path: &str, base_dir: Option<&Path>) -> Option<PathBuf> {
        match crate::classify_path(path) {
            PathKind::Lib { connection, .. } => {
                let root = self
                    .options
                    .lib_roots
                    .iter()
                    .find(|(name, _)| name.eq_ignore_ascii_case(&connection))?
                    .1;
                let rest = path.get(6..)?;
                let rest = rest
                    .find(['/', '\\'])
                    .map_or("", |slash| &rest[slash + 1..]);
                Some(join_windows(root, rest))
            }
            PathKind::Drive | PathKind::Unc => self.mapped_windows_path(path),
            PathKind::Relative => Some(join_windows(base_dir.unwrap_or(Path::new(".")), path)),
            _ => None,
        }
    }

    fn mapped_windows_path(&self, path: &str) -> Option<PathBuf> {
        let normalized = path.replace('/', "\\").to_ascii_lowercase();
        let (prefix, root) = self
            .options
            .path_roots
            .iter()
            .filter(|(prefix, _)| {
                let prefix = prefix.replace('/', "\\").to_ascii_lowercase();
                normalized.starts_with(prefix.trim_end_matches('\\'))
            })
            .max_by_key(|(prefix, _)| prefix.len())?;
        let rest = &path[prefix.trim_end_matches(['\\', '/']).len()..];
        Some(join_windows(root, rest.trim_start_matches(['\\', '/'])))
    }
}

/// Reads an included file: a regular file of at most `max_bytes` bytes, so an include of a device
/// or a huge file cannot exhaust memory.
fn read_include(path: &Path, max_bytes: u64) -> std::io::Result<Vec<u8>> {
    use std::io::Read as _;
    let file = std::fs::File::open(path)?;
    let metadata = file.metadata()?;
    if !metadata.is_file() {
        return Err(std::io::Error::other("not a regular file"));
    }
    let mut bytes = Vec::new();
    file.take(max_bytes + 1).read_to_end(&mut bytes)?;
    if bytes.len() as u64 > max_bytes {
        return Err(std::io::Error::other(format!(
            "larger than the maximum of {max_bytes} bytes for an included file"
        )));
    }
    Ok(bytes)
}

fn include_of(statement: &Statement) -> Option<Include> {
    if statement.kind != StatementKind::Include {
        return None;
    }
    let source = statement.sources.first()?;
    let path = source
        .resolved
        .clone()
        .unwrap_or_else(|| source.path.clone());
    Some(Include {
        must: source.role == SourceRole::MustInclude,
        path,
        span: source.span,
    })
}

/// Joins a Windows-style relative path (with `\` or `/`) to a local folder.
fn join_windows(root: &Path, relative: &str) -> PathBuf {
    let mut path = root.to_path_buf();
    for part in relative.split(['\\', '/']) {
        match part {
            "" | "." => {}
            ".." => {
                path.push("..");
            }
            _ => path.push(part),
        }
    }
    path
}

/// Returns `path` made absolute against the current folder, with `.` and `..` steps applied
/// without following links.
pub fn lexical_absolute(path: &Path) -> Option<PathBuf> {
    let absolute = std::path::absolute(path).ok()?;
    let mut out = PathBuf::new();
    for component in absolute.components() {
        match component {
            std::path::Component::CurDir => {}
            std::path::Component::ParentDir => {
                out.pop();
            }
            other => out.push(other),
        }
    }
    Some(out)
}

/// Finds an existing file whose path equals `path` ignoring case in each component, as
/// Windows paths written in scripts do not always match the case of the files.
fn find_ignoring_case(path: &Path, folders: &FolderNames) -> Option<PathBuf> {
    if path.exists() {
        return Some(path.to_path_buf());
    }
    let mut found = PathBuf::new();
    for component in path.components() {
        let candidate = found.join(component);
        if candidate.exists() || found.as_os_str().is_empty() {
            found = candidate;
            continue;
        }
        let lower_name = component.as_os_str().to_string_lossy().to_lowercase();
        found = folders.find(&found, &lower_name)?;
    }
    Some(found)
}
