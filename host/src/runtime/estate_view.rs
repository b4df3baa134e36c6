//! The estate facts that rule packs read through the `estate` interface, converted once per run
//! into the WIT records the host functions return.

use std::collections::{BTreeSet, HashMap, HashSet};
use std::path::{Path, PathBuf};
use std::sync::Arc;

use qready_script::load::LoadedScript;
use qready_script::{SourceRole, StatementKind};
use rayon::prelude::*;

use super::wit_exports::estate as wit;
use super::wit_exports::{Location, Span};
use crate::model::{
    Access, App, Estate, LocationKind, Provenance, Reduction, TaskTrigger, TriggerState,
};

/// The estate as packs see it: one [`wit::AppDetails`] per app, the site's security rules and
/// the apps grouped by script and by name. Built once per run and shared by every pack store.
#[derive(Debug, Default)]
pub struct EstateView {
    details: HashMap<String, wit::AppDetails>,
    security_rules: Vec<wit::SecurityRule>,
    /// App ids and names, with the fingerprint of each app's script.
    apps: Vec<AppKey>,
    /// Index into `apps` of each app id (the first app with that id).
    app_index: HashMap<String, usize>,
    /// Indexes into `apps` of the apps with each script fingerprint.
    by_script: HashMap<u64, Vec<usize>>,
    /// Indexes into `apps` of the apps with a repository GUID, by lower-case name.
    by_name: HashMap<String, Vec<usize>>,
    usage_window: Option<u32>,
    /// Mashups that open each app, by app id.
    mashups: HashMap<String, Vec<wit::MashupUse>>,
    /// Publisher tasks of each document, by app id.
    publisher_tasks: HashMap<String, Vec<wit::PublisherTask>>,
}

#[derive(Debug)]
struct AppKey {
    id: String,
    name: String,
    script: Option<u64>,
    /// Whether the app has a repository (QRS) GUID, so that its name is the app's own.
    repository: bool,
}

impl EstateView {
    /// Converts what packs may read of `estate`.
    pub fn new(estate: &Estate) -> Arc<EstateView> {
        let lookup = Lookup::new(estate);
        let details = estate
            .apps
            .par_iter()
            .map(|app| (app.id.clone(), app_details(estate, &lookup, app)))
            .collect();
        let security_rules = estate
            .security_rules
            .iter()
            .map(|rule| wit::SecurityRule {
                id: rule.id.clone(),
                name: rule.name.clone(),
                category: rule.category.clone(),
                rule_type: rule.rule_type.clone(),
                rule: rule.rule.clone(),
                resource_filter: rule.resource_filter.clone(),
                disabled: rule.disabled.unwrap_or(false),
                location: Some(location(&rule.provenance)),
            })
            .collect();
        let apps: Vec<AppKey> = estate
            .apps
            .par_iter()
            .map(|app| AppKey {
                id: app.id.clone(),
                name: app.name.clone(),
                script: app.script.as_ref().and_then(script_fingerprint),
                repository: app.guid.is_some(),
            })
            .collect();
        let mut app_index = HashMap::new();
        let mut by_script: HashMap<u64, Vec<usize>> = HashMap::new();
        let mut by_name: HashMap<String, Vec<usize>> = HashMap::new();
        for (index, app) in apps.iter().enumerate() {
            app_index.entry(app.id.clone()).or_insert(index);
            if let Some(script) = app.script {
                by_script.entry(script).or_default().push(index);
            }
            if app.repository {
                by_name
                    .entry(app.name.to_lowercase())
                    .or_default()
                    .push(index);
            }
        }
        let usage_window = estate
            .apps
            .iter()
            .find_map(|app| app.usage.as_ref().map(|usage| usage.window_days));
        Arc::new(EstateView {
            details,
            security_rules,
            apps,
            app_index,
            by_script,
            by_name,
            usage_window,
            mashups: mashups_by_app(estate),
            publisher_tasks: publisher_tasks_by_app(estate),
        })
    }

    pub(super) fn app_details(&self, app_id: &str) -> Option<wit::AppDetails> {
        self.details.get(app_id).cloned()
    }

    pub(super) fn security_rules(&self) -> Vec<wit::SecurityRule> {
        self.security_rules.clone()
    }

    pub(super) fn similar_apps(&self, app_id: &str) -> Vec<wit::SimilarApp> {
        let Some(&this_index) = self.app_index.get(app_id) else {
            return Vec::new();
        };
        let this = &self.apps[this_index];
        // Only apps that share the script fingerprint or the lower-case name can match, so
        // the candidates come from those two groups, in estate order.
        let mut candidates: Vec<usize> = Vec::new();
        if let Some(script) = this.script {
            candidates.extend(self.by_script.get(&script).into_iter().flatten());
        }
        let this_name = this.name.to_lowercase();
        if this.repository {
            candidates.extend(self.by_name.get(&this_name).into_iter().flatten());
        }
        candidates.sort_unstable();
        candidates.dedup();
        candidates
            .into_iter()
            .map(|index| &self.apps[index])
            .filter(|other| other.id != this.id)
            .filter_map(|other| {
                let same_script = this.script.is_some() && this.script == other.script;
                // Apps read from script files alone are named after the file, and names such
                // as `main` or `LoadScript` do not identify the app.
                let same_name =
                    this.repository && other.repository && this_name == other.name.to_lowercase();
                (same_script || same_name).then(|| wit::SimilarApp {
                    id: other.id.clone(),
                    name: other.name.clone(),
                    same_script,
                    same_name,
                })
            })
            .collect()
    }

    pub(super) fn usage_window(&self) -> Option<u32> {
        self.usage_window
    }

    pub(super) fn app_mashups(&self, app_id: &str) -> Vec<wit::MashupUse> {
        self.mashups.get(app_id).cloned().unwrap_or_default()
    }

    pub(super) fn publisher_tasks(&self, app_id: &str) -> Vec<wit::PublisherTask> {
        self.publisher_tasks
            .get(app_id)
            .cloned()
            .unwrap_or_default()
    }
}

/// Groups each mashup's references by the app they open; a mashup that opens an app twice is
/// listed once, at its first reference.
fn mashups_by_app(estate: &Estate) -> HashMap<String, Vec<wit::MashupUse>> {
    let mut by_app: HashMap<String, Vec<wit::MashupUse>> = HashMap::new();
    for mashup in &estate.mashups {
        let mut seen = BTreeSet::new();
        for open in &mashup.opens {
            let Some(app_id) = &open.app_id else {
                continue;
            };
            if !seen.insert(app_id) {
                continue;
            }
            by_app
                .entry(app_id.clone())
                .or_default()
                .push(wit::MashupUse {
                    name: mashup.name.clone(),
                    apis: mashup.apis.clone(),
                    virtual_proxy_prefixes: mashup.virtual_proxy_prefixes.clone(),
                    location: Some(location(&open.provenance)),
                });
        }
    }
    by_app
}

fn publisher_tasks_by_app(estate: &Estate) -> HashMap<String, Vec<wit::PublisherTask>> {
    let mut by_app: HashMap<String, Vec<wit::PublisherTask>> = HashMap::new();
    for task in &estate.publisher_tasks {
        let Some(app_id) = &task.app_id else {
            continue;
        };
        let reductions = task
            .reductions
            .iter()
            .map(|reduction| match reduction {
                Reduction::LoopByField { field } => wit::Reduction::LoopByField(field.clone()),
                Reduction::ByBookmark { bookmark } => wit::Reduction::ByBookmark(bookmark.clone()),
                Reduction::Static { count } => wit::Reduction::FixedList(*count),
            })
            .collect();
        by_app
            .entry(app_id.clone())
            .or_default()
            .push(wit::PublisherTask {
                name: task.name.clone(),
                enabled: task.enabled,
                reductions,
                document_name_template: task.document_name_template.clone(),
                distributes_to_cloud: task.distributes_to_cloud,
                location: Some(location(&task.provenance)),
            });
    }
    by_app
}

/// Hashes a script's text with blank space removed and letters lower-cased, so that copies that
/// differ only in layout compare equal. Scripts of fewer than 3 statements return `None`: tiny
/// scripts are alike by chance.
fn script_fingerprint(script: &LoadedScript) -> Option<u64> {
    use std::hash::{Hash, Hasher};
    if script.statements.len() < 3 {
        return None;
    }
    // Normalizing into one buffer and hashing it once is several times faster than hashing
    // character by character, and equal texts still give equal hashes.
    let mut normalized = String::with_capacity(script.files.iter().map(|f| f.text.len()).sum());
    for file in &script.files {
        for c in file.text.chars().filter(|c| !c.is_whitespace()) {
            if c.is_ascii() {
                normalized.push(c.to_ascii_lowercase());
            } else {
                normalized.extend(c.to_lowercase());
            }
        }
    }
    let mut hasher = std::collections::hash_map::DefaultHasher::new();
    normalized.hash(&mut hasher);
    Some(hasher.finish())
}

/// Indexes of the estate by id, so that building each app's details reads only its own
/// records instead of scanning every task, lineage edge and data source of the estate.
struct Lookup<'a> {
    streams: HashMap<&'a str, &'a crate::model::Stream>,
    /// Indexes into `estate.reload_tasks` by task id.
    tasks: HashMap<&'a str, Vec<usize>>,
    /// Indexes into `estate.reload_tasks` by the id of the app a task reloads.
    tasks_by_app: HashMap<&'a str, Vec<usize>>,
    chains_by_downstream: HashMap<&'a str, Vec<&'a crate::model::TaskChainLink>>,
    /// Lineage edges by the id of their reader and of their writer app.
    lineage: HashMap<&'a str, Vec<&'a crate::model::LineageEdge>>,
    data_sources: HashMap<&'a str, &'a crate::model::DataSource>,
    qvds: HashMap<&'a str, &'a crate::model::QvdFile>,
}

impl<'a> Lookup<'a> {
    fn new(estate: &'a Estate) -> Self {
        let mut lookup = Lookup {
            streams: HashMap::new(),
            tasks: HashMap::new(),
            tasks_by_app: HashMap::new(),
            chains_by_downstream: HashMap::new(),
            lineage: HashMap::new(),
            data_sources: HashMap::new(),
            qvds: HashMap::new(),
        };
        // `or_insert` keeps the first record of an id, as a linear `find` would.
        for stream in &estate.streams {
            lookup.streams.entry(&stream.id).or_insert(stream);
        }
        for (index, task) in estate.reload_tasks.iter().enumerate() {
            lookup.tasks.entry(&task.id).or_default().push(index);
            if let Some(app_id) = &task.app_id {
                lookup.tasks_by_app.entry(app_id).or_default().push(index);
            }
        }
        for link in &estate.task_chains {
            lookup
                .chains_by_downstream
                .entry(&link.downstream_task_id)
                .or_default()
                .push(link);
        }
        for edge in &estate.lineage {
            lookup
                .lineage
                .entry(&edge.reader_app_id)
                .or_default()
                .push(edge);
            if edge.writer_app_id != edge.reader_app_id {
                lookup
                    .lineage
                    .entry(&edge.writer_app_id)
                    .or_default()
                    .push(edge);
            }
        }
        for source in &estate.data_sources {
            lookup.data_sources.entry(&source.id).or_insert(source);
        }
        for qvd in &estate.qvds {
            lookup.qvds.entry(&qvd.id).or_insert(qvd);
        }
        lookup
    }

    fn task(&self, estate: &'a Estate, id: &str) -> Option<&'a crate::model::ReloadTask> {
        let index = *self.tasks.get(id)?.first()?;
        estate.reload_tasks.get(index)
    }
}

fn location(provenance: &Provenance) -> Location {
    Location {
        file: provenance.path.display().to_string(),
        line: provenance.line.unwrap_or(0),
        column: provenance.column.unwrap_or(0),
    }
}

fn custom_properties(values: &[crate::model::CustomPropertyValue]) -> Vec<wit::CustomProperty> {
    values
        .iter()
        .map(|value| wit::CustomProperty {
            name: value.name.clone(),
            value: value.value.clone(),
        })
        .collect()
}

fn app_details(estate: &Estate, lookup: &Lookup<'_>, app: &App) -> wit::AppDetails {
    let stream = app.stream_id.as_ref().and_then(|id| {
        lookup
            .streams
            .get(id.as_str())
            .map(|stream| wit::StreamInfo {
                id: stream.id.clone(),
                name: stream.name.clone(),
                custom_properties: custom_properties(&stream.custom_properties),
                app_count: stream.app_ids.len() as u32,
            })
    });
    let owner = app.owner.as_ref().and_then(|owner| {
        let user = owner.user_id.as_ref()?;
        Some(match &owner.user_directory {
            Some(directory) => format!("{directory}\\{user}"),
            None => user.clone(),
        })
    });
    let metadata = app.metadata.as_ref();
    wit::AppDetails {
        id: app.id.clone(),
        guid: app.guid.clone(),
        source: app.source.display().to_string(),
        product_version: app.saved_in_product_version.clone(),
        published: app.published,
        owner,
        has_section_access: app.has_section_access,
        stream,
        custom_properties: custom_properties(&app.custom_properties),
        tags: app.tags.clone(),
        extensions: extensions(estate, app),
        qlikview: app.qlikview.as_ref().map(qlikview),
        tasks: tasks(estate, lookup, app),
        sizes: wit::Sizes {
            file_bytes: app.file_size,
            static_bytes: app
                .static_byte_size
                .or_else(|| metadata.and_then(|m| m.static_byte_size)),
            peak_reload_bytes: metadata.and_then(|m| m.peak_reload_memory_bytes),
            reload_cpu_ms: metadata.and_then(|m| m.reload_cpu_time_ms),
            location: metadata
                .map(|m| location(&m.provenance))
                .or_else(|| app_location(app)),
        },
        usage: app.usage.as_ref().map(|usage| wit::Usage {
            window_days: usage.window_days,
            sessions: usage.sessions,
            distinct_users: usage.distinct_users,
            last_session: usage.last_session.clone(),
        }),
        lineage: lineage(lookup, app),
        data_files: data_files(lookup, app),
        includes: app.script.as_ref().map(includes).unwrap_or_default(),
    }
}

/// Where an app-wide finding points: the first file the app was read from, since a folder
/// (a `-prj` or unbuild folder) has no lines to point at.
fn app_location(app: &App) -> Option<Location> {
    app.provenance
        .iter()
        .find(|p| !p.path.is_dir())
        .or_else(|| app.provenance.first())
        .map(location)
}

/// Groups the app's objects that use a visualization not shipped with Qlik Sense by type.
fn extensions(estate: &Estate, app: &App) -> Vec<wit::ExtensionUse> {
    let mut by_name: Vec<(String, u32, BTreeSet<String>, Option<Location>)> = Vec::new();
    let mut seen = BTreeSet::new();
    for object in app.objects.iter().filter(|object| object.is_extension) {
        let Some(name) = &object.visualization else {
            continue;
        };
        // A sheet's cell and the object it contains can both be listed; count the object once.
        if !seen.insert(object.id.as_str()) {
            continue;
        }
        let index = match by_name
            .iter()
            .position(|(n, ..)| n.eq_ignore_ascii_case(name))
        {
            Some(index) => index,
            None => {
                by_name.push((
                    name.clone(),
                    0,
                    BTreeSet::new(),
                    Some(location(&object.provenance)),
                ));
                by_name.len() - 1
            }
        };
        let entry = &mut by_name[index];
        entry.1 += 1;
        if let Some(sheet) = &object.sheet_id {
            entry.2.insert(sheet.clone());
        }
    }
    by_name
        .into_iter()
        .map(|(name, objects, sheets, location)| {
            let installed = estate
                .extensions
                .iter()
                .any(|extension| extension.installed && extension.name.eq_ignore_ascii_case(&name));
            wit::ExtensionUse {
                name,
                objects,
                sheets: sheets.len() as u32,
                installed,
                location,
            }
        })
        .collect()
}

fn qlikview(document: &crate::model::QlikViewDocument) -> wit::QlikviewFeatures {
    wit::QlikviewFeatures {
        macro_module: document
            .macro_module
            .as_ref()
            .map(|module| wit::MacroModule {
                line_count: module.line_count,
                procedures: module.procedures.clone(),
                system_access: module.system_access,
                location: Some(location(&module.provenance)),
            }),
        macro_actions: document.macro_actions,
        triggers: document
            .triggers
            .iter()
            .map(|trigger| wit::QlikviewTrigger {
                event: trigger.event.clone(),
                actions: trigger.actions.clone(),
                location: Some(location(&trigger.provenance)),
            })
            .collect(),
        objects: document
            .objects
            .iter()
            .map(|object| wit::QlikviewObject {
                id: object.id.clone(),
                object_type: object.object_type.clone(),
                sheet_id: object.sheet_id.clone(),
                location: Some(location(&object.provenance)),
            })
            .collect(),
        alerts: document
            .alerts
            .iter()
            .map(|alert| wit::QlikviewAlert {
                id: alert.id.clone(),
                location: Some(location(&alert.provenance)),
            })
            .collect(),
        document_chains: document
            .document_chains
            .iter()
            .map(|chain| wit::DocumentChain {
                action: chain.action.clone(),
                target: chain.target.clone(),
                location: Some(location(&chain.provenance)),
            })
            .collect(),
        sheet_count: document.sheet_count,
    }
}

fn tasks(estate: &Estate, lookup: &Lookup<'_>, app: &App) -> Vec<wit::ReloadTask> {
    // The tasks the app lists and the tasks that name the app, in estate order.
    let mut indexes: Vec<usize> = app
        .reload_task_ids
        .iter()
        .filter_map(|id| lookup.tasks.get(id.as_str()))
        .chain(lookup.tasks_by_app.get(app.id.as_str()))
        .flatten()
        .copied()
        .collect();
    indexes.sort_unstable();
    indexes.dedup();
    indexes
        .into_iter()
        .map(|index| &estate.reload_tasks[index])
        .map(|task| {
            let schedules = task
                .triggers
                .iter()
                .filter(|trigger| matches!(trigger, TaskTrigger::Schedule { .. }))
                .count() as u32;
            let upstream = lookup
                .chains_by_downstream
                .get(task.id.as_str())
                .into_iter()
                .flatten()
                .map(|link| {
                    let upstream = lookup.task(estate, &link.upstream_task_id);
                    wit::UpstreamTask {
                        task_id: link.upstream_task_id.clone(),
                        task_name: upstream.map(|t| t.name.clone()),
                        app_id: upstream.and_then(|t| t.app_id.clone()),
                        task_type: upstream.and_then(|t| t.task_type),
                        on: match link.on {
                            TriggerState::Success => wit::TriggerState::Success,
                            TriggerState::Fail => wit::TriggerState::Fail,
                            TriggerState::Other => wit::TriggerState::Other,
                        },
                    }
                })
                .collect();
            let last = task.last_execution.as_ref();
            wit::ReloadTask {
                id: task.id.clone(),
                name: task.name.clone(),
                task_type: task.task_type,
                enabled: task.enabled,
                partial_reload: task.is_partial_reload,
                schedules,
                upstream,
                last_duration_ms: last.and_then(|e| e.duration_ms),
                last_status: last.and_then(|e| e.status),
                location: task.provenance.first().map(location),
            }
        })
        .collect()
}

fn lineage(lookup: &Lookup<'_>, app: &App) -> wit::Lineage {
    let mut upstream = BTreeSet::new();
    let mut downstream = BTreeSet::new();
    for edge in lookup.lineage.get(app.id.as_str()).into_iter().flatten() {
        if edge.reader_app_id == app.id && edge.writer_app_id != app.id {
            upstream.insert(edge.writer_app_id.clone());
        }
        if edge.writer_app_id == app.id && edge.reader_app_id != app.id {
            downstream.insert(edge.reader_app_id.clone());
        }
    }
    wit::Lineage {
        upstream_apps: upstream.into_iter().collect(),
        downstream_apps: downstream.into_iter().collect(),
    }
}

/// Files the app reads, writes or binary-loads, with their size when the estate contains them: a
/// QVD whose header was read, or a relative path found beside the app's script.
fn data_files(lookup: &Lookup<'_>, app: &App) -> Vec<wit::DataFile> {
    let mut files: Vec<wit::DataFile> = Vec::new();
    // A script can name a hundred thousand files, so repeats are found by hashing.
    let mut listed: HashSet<(&str, Access)> = HashSet::new();
    for used in &app.data_sources {
        let access = match used.access {
            Access::Read => wit::FileAccess::Read,
            Access::Write => wit::FileAccess::Write,
            Access::Binary => wit::FileAccess::Binary,
            Access::Include | Access::Execute => continue,
        };
        let Some(source) = lookup.data_sources.get(used.source_id.as_str()) else {
            continue;
        };
        if matches!(
            source.kind,
            LocationKind::Table | LocationKind::Url | LocationKind::Other
        ) {
            continue;
        }
        if !listed.insert((source.location.as_str(), used.access)) {
            continue;
        }
        let qvd_path = source
            .qvd_id
            .as_ref()
            .and_then(|id| lookup.qvds.get(id.as_str()))
            .map(|qvd| qvd.path.clone());
        let local = qvd_path.or_else(|| beside_app(app, &source.location, source.kind));
        let size = local
            .as_ref()
            .and_then(|path| std::fs::metadata(path).ok())
            .filter(|meta| meta.is_file())
            .map(|meta| meta.len());
        files.push(wit::DataFile {
            location: source.location.clone(),
            access,
            size_bytes: size,
            local_path: local
                .filter(|_| size.is_some())
                .map(|path| path.display().to_string()),
        });
    }
    files
}

/// Resolves a relative location against the folder of the app's source.
fn beside_app(app: &App, location: &str, kind: LocationKind) -> Option<PathBuf> {
    if kind != LocationKind::Relative {
        return None;
    }
    let base = if app.source.is_dir() {
        app.source.as_path()
    } else {
        app.source.parent()?
    };
    let mut path = base.to_path_buf();
    for part in location
        .split(['\\', '/'])
        .filter(|p| !p.is_empty() && *p != ".")
    {
        path.push(part);
    }
    Some(path).filter(|p| Path::new(p).exists())
}

/// Pairs each include directive with what the loader did with it.
///
/// A directive whose path became an included file was read. Otherwise the loader left a
/// diagnostic on the directive's span, whose wording gives the reason. The tests in this module
/// match that wording, so a change to it fails there.
fn includes(script: &LoadedScript) -> Vec<wit::IncludeResult> {
    let mut results = Vec::new();
    for (file, statement) in &script.statements {
        if statement.kind != StatementKind::Include {
            continue;
        }
        let Some(source) = statement.sources.first() else {
            continue;
        };
        let read = script
            .files
            .iter()
            .any(|f| f.included_from == Some((*file, source.span)));
        let outcome = if read {
            wit::IncludeOutcome::Read
        } else {
            script
                .diagnostics
                .iter()
                .filter(|(f, d)| f == file && d.span == source.span)
                .find_map(|(_, d)| outcome_of(&d.message))
                .unwrap_or(wit::IncludeOutcome::NotFound)
        };
        results.push(wit::IncludeResult {
            span: Span {
                file: *file,
                start: source.span.start,
                end: source.span.end,
                line: source.span.line,
                column: source.span.column,
                end_line: source.span.end_line,
                end_column: source.span.end_column,
            },
            path: source
                .resolved
                .clone()
                .unwrap_or_else(|| source.path.clone()),
            must: source.role == SourceRole::MustInclude,
            outcome,
        });
    }
    results
}

fn outcome_of(message: &str) -> Option<wit::IncludeOutcome> {
    if message.contains("depends on a variable") {
        Some(wit::IncludeOutcome::DynamicPath)
    } else if message.contains("has no local folder")
        || message.contains("outside the estate's folders")
    {
        Some(wit::IncludeOutcome::NoLocalFolder)
    } else if message.contains("include cycle") {
        Some(wit::IncludeOutcome::Cycle)
    } else if message.contains("maximum include depth") {
        Some(wit::IncludeOutcome::TooDeep)
    } else if message.contains("was not found") {
        Some(wit::IncludeOutcome::NotFound)
    } else {
        None
    }
}

#[cfg(test)]
mod tests {
    use qready_script::load::{LoadOptions, load_script, load_text};

    use super::*;

    fn outcomes(script: &LoadedScript) -> Vec<wit::IncludeOutcome> {
        includes(script).into_iter().map(|i| i.outcome).collect()
    }

    #[test]
    fn include_outcomes_follow_loader_diagnostics() {
        let dir = tempfile::tempdir().unwrap();
        std::fs::write(dir.path().join("found.qvs"), "LET a = 1;\n").unwrap();
        std::fs::write(dir.path().join("self.qvs"), "$(Include=self.qvs);\n").unwrap();
        let main = dir.path().join("main.qvs");
        std::fs::write(
            &main,
            "$(Include=found.qvs);\n$(Include=missing.qvs);\n$(Include=$(vWhere)x.qvs);\n\
             $(Must_Include=lib://Nowhere/x.qvs);\n$(Include=self.qvs);\n",
        )
        .unwrap();
        let script = load_script(&main, &LoadOptions::default()).unwrap();
        assert_eq!(
            outcomes(&script),
            [
                wit::IncludeOutcome::Read,
                wit::IncludeOutcome::NotFound,
                wit::IncludeOutcome::DynamicPath,
                wit::IncludeOutcome::NoLocalFolder,
                wit::IncludeOutcome::Read,
                wit::IncludeOutcome::Cycle,
            ]
        );
    }

    #[test]
    fn include_too_deep_is_told_apart() {
        let dir = tempfile::tempdir().unwrap();
        std::fs::write(dir.path().join("a.qvs"), "LET a = 1;\n").unwrap();
        let options = LoadOptions {
            max_include_depth: 0,
            ..LoadOptions::default()
        };
        let script = load_text(
            &dir.path().join("main.qvs"),
            b"$(Include=a.qvs);\n",
            Some(dir.path()),
            &options,
        );
        assert_eq!(outcomes(&script), [wit::IncludeOutcome::TooDeep]);
    }

    #[test]
    fn include_outside_estate_has_no_local_folder() {
        let dir = tempfile::tempdir().unwrap();
        std::fs::write(dir.path().join("a.qvs"), "LET a = 1;\n").unwrap();
        std::fs::create_dir(dir.path().join("app")).unwrap();
        let options = LoadOptions {
            include_within: vec![dir.path().join("app")],
            ..LoadOptions::default()
        };
        let script = load_text(
            &dir.path().join("app/main.qvs"),
            b"$(Include=..\\a.qvs);\n",
            Some(&dir.path().join("app")),
            &options,
        );
        assert_eq!(outcomes(&script), [wit::IncludeOutcome::NoLocalFolder]);
    }
}
