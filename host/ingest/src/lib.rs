//! Reads QlikView and Qlik Sense estate artifacts into the qready model.
//!
//! [`read_estate`] walks the folders and files it is given, recognizes each input by its content
//! and shape, reads it with the matching reader, and joins the results into one
//! [`qready_model::Estate`]:
//!
//! | input | recognized by |
//! |---|---|
//! | QRS API JSON (`app`, `dataconnection`, `extension`, `reloadtask`, `schemaevent`, `compositeevent`, `stream`, `custompropertydefinition`, `app/object`, `systemrule`, `user`) | `schemaPath` of the records, else fields only that entity has |
//! | `qlik app unbuild` / corectl folder | `config.yml` or `corectl.yml`, or a script next to `app-properties.json`, `connections.yml`, `dimensions.json` and the like |
//! | gitoqlok export | `data_load_script/` with `.qvs` tab files or `tab_order.txt` |
//! | serialized app export | `loadScript.json` or `script.qvs` next to `dataconnections.json`, `sheets.json` and the like; or one JSON with `properties` and `loadScript` |
//! | QlikView project | a `-prj` folder, or `QlikViewProject.xml`, or `DocProperties.xml` next to `LoadScript.txt` |
//! | load script | `.qvs`, or `.txt` whose text is clearly a script |
//! | QVD header | `.qvd`, or any file that starts with an XML declaration and `<QvdTableHeader>` |
//! | engine metadata / lineage JSON | `static_byte_size` or `reload_meta` with `tables`; a list of `{discriminator, statement}` |
//! | session / audit logs | the columns of the header row |
//! | mashup | a `.qext` file whose `type` is `mashup`; the `.js` and `.html` files beside it are read for the apps they open |
//! | QlikView Publisher tasks | `.xml` with `DocumentTask` elements, as the QMS API returns them |
//! | `collect` manifest | `qready-collect.json` |
//!
//! How the readers' results are joined into apps is described in [`join`].
//!
//! Credentials are masked as each file is read (see [`redact`]), so the estate contains none.

pub mod collect;
mod collected;
mod connections;
pub mod join;
mod json;
mod mashup;
mod metadata;
mod prj;
mod publisher;
mod qrs;
mod qvd;
pub mod redact;
mod script;
mod text;
mod unbuild;
mod usage;
mod xml;
mod yaml;

use std::collections::HashMap;
use std::path::{Path, PathBuf};

use chrono::{DateTime, Utc};
use qready_model::{
    App, DataSource, DataSourceUse, InputFormat, InputProblem, Product, Provenance, derived_id,
};
use qready_script::load::LoadOptions;
use serde_json::Value;

pub use qready_model::{DataConnection, Estate};
pub use script::mask_script;

use crate::collected::Collected;
use crate::script::ReadScript;

/// Settings for reading an estate.
#[derive(Debug, Clone)]
pub struct IngestOptions {
    /// Code page for script and log files that have no byte-order mark and are not valid UTF-8.
    /// The Qlik engine reads such files as ANSI, which is Windows-1252 on most servers.
    pub ansi: &'static encoding_rs::Encoding,
    /// Length of the usage window in days: sessions that started earlier are not counted.
    pub usage_window_days: u32,
    /// End of the usage window; the current time when None. Tests set it.
    pub now: Option<DateTime<Utc>>,
    /// Library connection name (the `Conn` of `lib://Conn/…`) to the local folder that contains a
    /// copy of its files, so that includes through it can be read.
    pub lib_roots: std::collections::BTreeMap<String, PathBuf>,
    /// Windows path prefix, such as `\\fs01\qlik`, to the local folder that contains a copy of it.
    pub path_roots: std::collections::BTreeMap<String, PathBuf>,
    /// Whether each statement of a loaded script keeps its syntax tree
    /// ([`qready_script::Statement::node`]). Without the trees, the other parts of each statement
    /// stay and an estate of 10,000 apps needed 25 % less memory.
    pub syntax_trees: bool,
}

impl Default for IngestOptions {
    fn default() -> Self {
        IngestOptions {
            ansi: encoding_rs::WINDOWS_1252,
            usage_window_days: 90,
            now: None,
            lib_roots: Default::default(),
            path_roots: Default::default(),
            syntax_trees: true,
        }
    }
}

/// Reads every app, site record and usage log under `inputs` and joins them into one estate.
/// Unreadable files become [`InputProblem`]s; they never stop the rest of the estate from being
/// read.
pub fn read_estate(inputs: &[PathBuf], options: &IngestOptions) -> Estate {
    let mut out = Collected::default();
    let mut scripts = Vec::new();
    let inputs = distinct_inputs(inputs);
    let include_within = include_folders(&inputs, options);
    for input in &inputs {
        let context = IngestContext::new(input, options, include_within.clone());
        discover(input, &context, &mut out, &mut scripts);
        read_loose_scripts(std::mem::take(&mut scripts), &context, &mut out);
    }
    drop_included_scripts(&mut out);
    join::join(out, options)
}

/// Drops inputs given twice or lying inside another input, which would otherwise be read twice
/// and counted twice. Order is kept; inputs that do not exist pass through to be reported.
fn distinct_inputs(inputs: &[PathBuf]) -> Vec<PathBuf> {
    let resolved: Vec<(PathBuf, PathBuf)> = inputs
        .iter()
        .map(|input| (input.clone(), canonical(input)))
        .collect();
    let mut kept: Vec<PathBuf> = Vec::new();
    let mut kept_canonical: Vec<PathBuf> = Vec::new();
    for (index, (input, real)) in resolved.iter().enumerate() {
        let inside_other = resolved
            .iter()
            .enumerate()
            .any(|(other, (_, outer))| other != index && outer != real && real.starts_with(outer));
        if inside_other || kept_canonical.contains(real) {
            tracing::debug!(path = %input.display(), "input already covered by another input");
            continue;
        }
        kept.push(input.clone());
        kept_canonical.push(real.clone());
    }
    kept
}

/// Removes loose-script apps whose file another app's script includes, whatever kind of app
/// includes it: a QlikView project's `LoadScript.txt` that includes a shared `.qvs`, for example.
///
/// Scripts that include each other, directly or through others, are all kept: none of them is
/// the one true app, and dropping them all would lose their findings.
fn drop_included_scripts(out: &mut Collected) {
    let includes: Vec<(PathBuf, std::collections::BTreeSet<PathBuf>)> = out
        .apps
        .iter()
        .map(|app| {
            let files = app
                .script
                .iter()
                .flat_map(|script| script.files.iter().skip(1))
                .map(|file| canonical(&file.path))
                .collect();
            (canonical(&app.source), files)
        })
        .collect();
    // Which apps include each file, and which apps have each main file, so that each app
    // looks only at the apps that include it.
    let mut included_by: HashMap<&Path, Vec<usize>> = HashMap::new();
    let mut by_source: HashMap<&Path, Vec<usize>> = HashMap::new();
    for (index, (source, files)) in includes.iter().enumerate() {
        by_source.entry(source).or_default().push(index);
        for file in files {
            included_by.entry(file).or_default().push(index);
        }
    }
    // Whether an app whose main file is `app` includes `file`.
    let includes_file = |app: &Path, file: &Path| {
        by_source
            .get(app)
            .is_some_and(|apps| apps.iter().any(|&j| includes[j].1.contains(file)))
    };
    let included_elsewhere = |source: &PathBuf| {
        included_by.get(source.as_path()).is_some_and(|includers| {
            includers.iter().any(|&i| {
                let includer = &includes[i].0;
                includer != source && !includes_file(source, includer)
            })
        })
    };
    let mut index = 0;
    out.apps.retain(|app| {
        let (source, _) = &includes[index];
        index += 1;
        let loose = app
            .provenance
            .iter()
            .all(|p| p.format == InputFormat::Script);
        let keep = !(loose && included_elsewhere(source));
        if !keep {
            tracing::debug!(path = %app.source.display(), "script is included by another app; not an app");
        }
        keep
    });
}

/// A loose script file found under an input.
struct ScriptCandidate {
    path: PathBuf,
}

/// Shared state of the readers for one input.
pub(crate) struct IngestContext<'a> {
    options: &'a IngestOptions,
    script_options: script::ScriptOptions,
    /// The input folder, or the folder of an input file; ids derive from paths relative to it.
    root: PathBuf,
}

/// Returns the folders whose files scripts may include: the folder of every input and every
/// folder that a library or drive maps to. Each is listed as written (made absolute) and with
/// links resolved.
fn include_folders(inputs: &[PathBuf], options: &IngestOptions) -> Vec<PathBuf> {
    let mut folders = Vec::new();
    for folder in inputs
        .iter()
        .map(|input| input_root(input))
        .chain(options.lib_roots.values().cloned())
        .chain(options.path_roots.values().cloned())
    {
        let folder = if folder.as_os_str().is_empty() {
            PathBuf::from(".")
        } else {
            folder
        };
        folders.extend(qready_script::load::lexical_absolute(&folder));
        folders.extend(folder.canonicalize().ok());
    }
    folders
}

/// Returns the input folder, or the folder of an input file.
fn input_root(input: &Path) -> PathBuf {
    if input.is_dir() {
        input.to_path_buf()
    } else {
        input.parent().map(Path::to_path_buf).unwrap_or_default()
    }
}

impl<'a> IngestContext<'a> {
    fn new(
        input: &Path,
        options: &'a IngestOptions,
        include_within: Vec<PathBuf>,
    ) -> IngestContext<'a> {
        let root = input_root(input);
        IngestContext {
            options,
            script_options: script::ScriptOptions {
                load: LoadOptions {
                    ansi: options.ansi,
                    lib_roots: options.lib_roots.clone(),
                    path_roots: options.path_roots.clone(),
                    include_within,
                    ..LoadOptions::default()
                },
                syntax_trees: options.syntax_trees,
            },
            root,
        }
    }

    /// Returns a path relative to the input root, with `/`, for derived ids. The root itself
    /// is named by its folder name.
    fn relative(&self, path: &Path) -> String {
        match path.strip_prefix(&self.root) {
            Ok(relative) if relative.as_os_str().is_empty() => self
                .root
                .file_name()
                .map_or_else(|| ".".to_owned(), |n| n.to_string_lossy().into_owned()),
            Ok(relative) => qready_model::display_path(relative),
            Err(_) => qready_model::display_path(path),
        }
    }

    /// Reads a JSON file, recording a problem when it cannot be read.
    fn read_json(&self, path: &Path, out: &mut Collected) -> Option<Value> {
        json::read(path, self.options.ansi)
            .map_err(|problem| out.problems.push(problem))
            .ok()
    }

    /// Stores a read script on an app with the data sources it names.
    fn attach_script(
        &self,
        app: &mut App,
        read: ReadScript,
        working_dir: Option<&Path>,
        format: InputFormat,
        out: &mut Collected,
    ) {
        app.has_section_access |= script::has_section_access(&read.script);
        for reference in script::source_references(&read, working_dir, format) {
            let source_id = format!("source:{}", reference.key);
            out.sources
                .entry(source_id.clone())
                .or_insert_with(|| DataSource {
                    id: source_id.clone(),
                    file_type: file_type(&reference.location),
                    location: reference.location.clone(),
                    kind: reference.kind,
                    connection: reference.connection.clone(),
                    read_by: Vec::new(),
                    written_by: Vec::new(),
                    qvd_id: None,
                });
            app.data_sources.push(DataSourceUse {
                source_id,
                access: reference.access,
                provenance: reference.provenance,
            });
        }
        app.script_info = Some(read.info);
        app.script = Some(read.script);
    }

    /// Checks whether a visualization type ships with Qlik Sense. Types of the Qlik dashboard
    /// and visualization bundles (`qlik-…`, `sn-…`) count as shipped.
    fn is_native_visualization(&self, visualization: &str) -> bool {
        const NATIVE: &[&str] = &[
            "barchart",
            "boxplot",
            "combochart",
            "container",
            "distributionplot",
            "filterpane",
            "gauge",
            "histogram",
            "kpi",
            "linechart",
            "listbox",
            "map",
            "mekkochart",
            "piechart",
            "pivot-table",
            "scatterplot",
            "table",
            "text-image",
            "treemap",
            "waterfallchart",
            "action-button",
            "auto-chart",
            "sheet",
            "story",
        ];
        let lower = visualization.to_ascii_lowercase();
        NATIVE.contains(&lower.as_str()) || lower.starts_with("qlik-") || lower.starts_with("sn-")
    }
}

fn file_type(location: &str) -> Option<String> {
    let name = location.rsplit(['/', '\\']).next()?;
    let (_, ext) = name.rsplit_once('.')?;
    let ext = ext.trim_end_matches([']', '"', '\'']).to_ascii_lowercase();
    (!ext.is_empty() && ext.len() <= 8 && ext.chars().all(|c| c.is_ascii_alphanumeric()))
        .then_some(ext)
}

fn discover(
    input: &Path,
    context: &IngestContext,
    out: &mut Collected,
    scripts: &mut Vec<ScriptCandidate>,
) {
    if input.is_file() {
        read_file(input, context, out, scripts);
        return;
    }
    if !input.is_dir() {
        out.problems
            .push(InputProblem::new(input, "no such file or folder"));
        return;
    }
    let walker = walkdir::WalkDir::new(input)
        .follow_links(true)
        .sort_by_file_name()
        .into_iter()
        .filter_entry(|entry| entry.depth() == 0 || !is_hidden(entry.file_name()));
    // Folders whose files an app folder reader has read; QVD files in them are still read.
    let mut owned: std::collections::HashSet<PathBuf> = std::collections::HashSet::new();
    for entry in walker {
        let entry = match entry {
            Ok(entry) => entry,
            Err(error) => {
                let path = error.path().unwrap_or(input).to_owned();
                out.problems.push(InputProblem::new(
                    path,
                    format!("failed to read folder: {error}"),
                ));
                continue;
            }
        };
        let path = entry.path();
        if entry.file_type().is_dir() {
            if owned.contains(path) {
                continue;
            }
            if prj::detect(path) {
                tracing::debug!(path = %path.display(), "QlikView project folder");
                prj::read(path, context, out);
                owned.insert(path.to_path_buf());
            } else if let Some(layout) = unbuild::detect(path) {
                tracing::debug!(path = %path.display(), ?layout, "app export folder");
                unbuild::read_folder(path, layout, context, out);
                owned.extend(unbuild::owned_folders(path));
            }
            continue;
        }
        if entry.file_type().is_file() {
            let in_owned = path.parent().is_some_and(|parent| owned.contains(parent));
            let is_qvd = path
                .extension()
                .is_some_and(|ext| ext.eq_ignore_ascii_case("qvd"));
            if !in_owned || is_qvd {
                read_file(path, context, out, scripts);
            }
        }
    }
}

fn is_hidden(name: &std::ffi::OsStr) -> bool {
    name.to_str()
        .is_some_and(|n| n.starts_with('.') && n.len() > 1)
}

/// Reads one file that is not part of an app folder, by its extension and content.
fn read_file(
    path: &Path,
    context: &IngestContext,
    out: &mut Collected,
    scripts: &mut Vec<ScriptCandidate>,
) {
    let name = path
        .file_name()
        .map(|n| n.to_string_lossy().to_ascii_lowercase())
        .unwrap_or_default();
    let ext = name.rsplit_once('.').map_or("", |(_, ext)| ext);
    match ext {
        "qvd" => qvd::read(path, out),
        "qvs" => scripts.push(ScriptCandidate {
            path: path.to_owned(),
        }),
        "json" => read_json_file(path, context, out),
        "qext" => mashup::read_qext(path, context, out),
        "header" if name.ends_with(".qvd.header") => qvd::read(path, out),
        "txt" | "log" | "tsv" | "csv" | "xml" => read_text_file(path, ext, context, out, scripts),
        _ => {}
    }
}

fn read_json_file(path: &Path, context: &IngestContext, out: &mut Collected) {
    let Some(value) = context.read_json(path, out) else {
        return;
    };
    if let Some(kind) = qrs::detect(&value) {
        qrs::read(path, kind, &value, out);
    } else if metadata::is_metadata(&value) {
        metadata::read_metadata(path, &value, out);
    } else if metadata::is_lineage(&value) {
        metadata::read_lineage(path, &value, out);
    } else if unbuild::is_whole_app_json(&value) {
        unbuild::read_whole_app(path, &value, context, out);
    } else if connections::is_connection_list(&value) {
        out.connections
            .extend(connections::from_json(path, &value, InputFormat::AppExport));
    } else if collect::is_manifest(&value) {
        collect::read_manifest(path, &value, out);
    } else {
        tracing::debug!(path = %path.display(), "JSON file of no known kind; skipped");
    }
}

fn read_text_file(
    path: &Path,
    ext: &str,
    context: &IngestContext,
    out: &mut Collected,
    scripts: &mut Vec<ScriptCandidate>,
) {
    let mut head = vec![0u8; 64 * 1024];
    let read = std::fs::File::open(path).and_then(|mut file| {
        use std::io::Read;
        file.read(&mut head)
    });
    let Ok(read) = read else {
        out.problems
            .push(InputProblem::new(path, "failed to read file"));
        return;
    };
    head.truncate(read);
    if qvd::looks_like_header(&head) {
        qvd::read(path, out);
        return;
    }
    if ext == "xml" {
        let (start, _) = text::decode(&head, context.options.ansi);
        if publisher::detect(&start) {
            publisher::read(path, context, out);
        }
        return;
    }
    let (start, _) = text::decode(&head, context.options.ansi);
    let first_line = start.lines().next().unwrap_or_default();
    if let Some(kind) = usage::detect(first_line) {
        usage::read(path, kind, context.options.ansi, out);
        return;
    }
    if ext == "txt" && script::looks_like_script(&start) {
        scripts.push(ScriptCandidate {
            path: path.to_owned(),
        });
    }
}

/// Loads the loose scripts of one input as apps; [`drop_included_scripts`] later removes those
/// that another app includes.
fn read_loose_scripts(
    candidates: Vec<ScriptCandidate>,
    context: &IngestContext,
    out: &mut Collected,
) {
    use rayon::prelude::*;
    // Reading and parsing dominate; files are read in parallel and their results and problems
    // kept in candidate order, so the estate does not depend on the number of threads.
    let results: Vec<(Option<script::ReadScript>, Vec<InputProblem>)> = candidates
        .par_iter()
        .map(|candidate| {
            let mut problems = Vec::new();
            let read = script::read_file(&candidate.path, &context.script_options, &mut problems);
            (read, problems)
        })
        .collect();
    let mut loaded = Vec::new();
    for (candidate, (read, problems)) in candidates.into_iter().zip(results) {
        out.problems.extend(problems);
        if let Some(read) = read {
            loaded.push((candidate, read));
        }
    }
    for (candidate, read) in loaded {
        let uses_library =
            !script::library_connections(&read.script).is_empty()
                || read.script.statements.iter().any(|(_, statement)| {
                    statement.kind == qready_script::StatementKind::LibConnect
                });
        let product = if uses_library {
            Product::QlikSense
        } else {
            Product::QlikView
        };
        let name = candidate.path.file_stem().map_or_else(
            || candidate.path.display().to_string(),
            |s| s.to_string_lossy().into_owned(),
        );
        let id = derived_id("app", &[&context.relative(&candidate.path)]);
        let mut app = App::new(id, name, product, candidate.path.clone());
        app.provenance
            .push(Provenance::file(&candidate.path, InputFormat::Script));
        let working_dir = candidate.path.parent().map(Path::to_path_buf);
        context.attach_script(
            &mut app,
            read,
            working_dir.as_deref(),
            InputFormat::Script,
            out,
        );
        out.apps.push(app);
    }
}

fn canonical(path: &Path) -> PathBuf {
    std::fs::canonicalize(path).unwrap_or_else(|_| path.to_owned())
}
