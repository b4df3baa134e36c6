//! Joins what the readers found into one estate.
//!
//! Rules, in order:
//! 1. **Apps by GUID.** Partial apps with the same app GUID (lower-cased) become one app, and
//!    the GUID is its id. GUIDs come from QRS `app` records, gitoqlok `reload_tasks/tasks.json`,
//!    app export file names and thumbnail URLs, metadata and lineage file or folder names, and
//!    the `AppId` of Qlik Sense session logs.
//! 2. **Apps by name.** A partial app without a GUID joins the one app with a GUID whose name is
//!    equal ignoring case. When none or several such apps exist, it stays an app of its own,
//!    with an id derived from its path. QlikView documents from session logs and QVD `CreatorDoc`
//!    paths match by file name without extension against app names.
//! 3. **Connections** are one list for the estate, deduplicated by id. An app's connections
//!    are those exported with it plus those whose name its script uses in `lib://Name/…` or
//!    LIB CONNECT TO, compared ignoring case.
//! 4. **Data sources** are keyed by their normalized location (see [`crate`]'s script reader):
//!    lower case, `/` separators, relative paths joined to the app's working folder.
//! 5. **QVD files** match a data source with the same local path, else the one QVD with the
//!    same file name. The QVD's `CreatorDoc` names the app that writes it.
//! 6. **Lineage**: an edge joins each app that writes a data source (STORE INTO, or the QVD's
//!    creator) to each other app that reads it. Locations that depend on a variable with no
//!    static value make no edges.
//! 7. **Tasks** attach to apps by `app.id`; triggers attach to tasks by `reloadTask.id`, and each
//!    task-event rule becomes a task chain edge.
//! 8. **Extensions** match object visualization types by name, ignoring case; a type with no
//!    extension record becomes an extension with `installed: false`.
//! 9. **Mashups and Publisher tasks** name their apps by GUID or by name, matched as in rules 1
//!    and 2; a name that matches no app leaves the reference unresolved.
//! 10. **Usage** counts sessions that started within the window, per app, and the distinct
//!     users among them.

use std::collections::{BTreeMap, BTreeSet, HashMap};

use chrono::{Duration, Utc};
use qready_model::{
    Access, App, AppUsage, DataConnection, DataSource, DataSourceUse, Estate, Extension,
    ExtensionUse, InputFormat, LineageEdge, LineageEvidence, LocationKind, Mashup, Product,
    Provenance, PublisherTask, ReloadTask, TaskChainLink, TaskTrigger, derived_id,
};
use qready_script::classify_path;

use crate::IngestOptions;
use crate::collected::{AppKey, Collected};
use crate::script;

/// Joins the readers' results into an estate.
pub(crate) fn join(mut out: Collected, options: &IngestOptions) -> Estate {
    let mut estate = Estate::new();
    let mut apps = merge_apps(std::mem::take(&mut out.apps));

    attach_app_objects(&mut apps, &mut out);
    attach_metadata(&mut apps, &mut out);
    attach_engine_lineage(&mut apps, &mut out);
    let connections = join_connections(&mut apps, std::mem::take(&mut out.connections));
    let mut sources = std::mem::take(&mut out.sources);
    let qvds = attach_qvds(&mut apps, std::mem::take(&mut out.qvds), &mut sources);
    let (sources, lineage) = build_lineage(&apps, sources, &qvds);
    let (tasks, chains) = join_tasks(&mut apps, &mut out);
    let extensions = join_extensions(&apps, std::mem::take(&mut out.extensions));
    let (mashups, publisher_tasks) = resolve_distribution(&apps, &mut out);
    attach_usage(&mut apps, &mut out, options);

    let mut streams = std::mem::take(&mut out.streams);
    dedup_by_id(&mut streams, |s| &s.id);
    let mut apps_by_stream: HashMap<&str, Vec<String>> = HashMap::new();
    for app in &apps {
        if let Some(stream_id) = app.stream_id.as_deref() {
            apps_by_stream
                .entry(stream_id)
                .or_default()
                .push(app.id.clone());
        }
    }
    for stream in &mut streams {
        stream.app_ids = apps_by_stream
            .remove(stream.id.as_str())
            .unwrap_or_default();
    }

    estate.site = out.site.take();
    estate.streams = streams;
    estate.apps = apps;
    estate.connections = connections;
    estate.data_sources = sources;
    estate.extensions = extensions;
    estate.mashups = mashups;
    estate.publisher_tasks = publisher_tasks;
    estate.reload_tasks = tasks;
    estate.task_chains = chains;
    estate.users = std::mem::take(&mut out.users);
    dedup_by_id(&mut estate.users, |u| &u.id);
    estate.custom_properties = std::mem::take(&mut out.custom_properties);
    dedup_by_id(&mut estate.custom_properties, |c| &c.id);
    estate.security_rules = std::mem::take(&mut out.security_rules);
    dedup_by_id(&mut estate.security_rules, |r| &r.id);
    estate.qvds = qvds;
    estate.lineage = lineage;
    estate.problems = std::mem::take(&mut out.problems);
    estate
}

fn dedup_by_id<T>(items: &mut Vec<T>, id: impl Fn(&T) -> &String) {
    let mut seen = BTreeSet::new();
    items.retain(|item| seen.insert(id(item).clone()));
    items.sort_by(|a, b| id(a).cmp(id(b)));
}

/// Applies join rules 1 and 2 and gives every app a unique id.
fn merge_apps(fragments: Vec<App>) -> Vec<App> {
    let mut merged: Vec<App> = Vec::new();
    let mut by_guid: HashMap<String, usize> = HashMap::new();
    let mut without_guid = Vec::new();
    // QRS records first, so that their names and fields win over exports.
    let mut fragments = fragments;
    fragments.sort_by_key(|app| {
        !app.provenance
            .iter()
            .any(|p| p.format == InputFormat::QrsJson)
    });
    for mut fragment in fragments {
        let Some(guid) = fragment.guid.clone().map(|g| g.to_lowercase()) else {
            without_guid.push(fragment);
            continue;
        };
        fragment.guid = Some(guid.clone());
        match by_guid.get(&guid) {
            Some(&index) => merge_into(&mut merged[index], fragment),
            None => {
                fragment.id = guid.clone();
                by_guid.insert(guid, merged.len());
                merged.push(fragment);
            }
        }
    }
    // Apps with a GUID by name in ASCII lower case. Fragments without a GUID never gain one,
    // so the index stays complete while they are merged or appended.
    let mut with_guid_by_name: HashMap<String, Vec<usize>> = HashMap::new();
    for (index, app) in merged.iter().enumerate() {
        with_guid_by_name
            .entry(app.name.to_ascii_lowercase())
            .or_default()
            .push(index);
    }
    for fragment in without_guid {
        let matches = with_guid_by_name
            .get(&fragment.name.to_ascii_lowercase())
            .map_or(&[][..], Vec::as_slice);
        match matches {
            [index] => merge_into(&mut merged[*index], fragment),
            _ => merged.push(fragment),
        }
    }
    let mut used_ids = BTreeSet::new();
    for app in &mut merged {
        let base = app.id.clone();
        let mut n = 2;
        while !used_ids.insert(app.id.clone()) {
            app.id = format!("{base}#{n}");
            n += 1;
        }
    }
    merged.sort_by(|a, b| a.id.cmp(&b.id));
    merged
}

/// Fills what `target` lacks from `other`, and adds `other`'s lists.
fn merge_into(target: &mut App, other: App) {
    if target.script.is_none() && other.script.is_some() {
        target.script = other.script;
        target.script_info = other.script_info;
        target.data_sources.extend(other.data_sources);
    }
    if target.product == Product::QlikView && other.product == Product::QlikSense {
        target.product = Product::QlikSense;
    }
    macro_rules! fill {
        ($($field:ident),*) => {
            $(if target.$field.is_none() { target.$field = other.$field; })*
        };
    }
    fill!(
        stream_id,
        owner,
        published,
        publish_time,
        last_reload_time,
        file_size,
        static_byte_size,
        saved_in_product_version,
        description,
        metadata,
        qlikview,
        usage
    );
    target.connections.extend(other.connections);
    target.objects.extend(other.objects);
    target.master_items.extend(other.master_items);
    for tag in other.tags {
        if !target.tags.contains(&tag) {
            target.tags.push(tag);
        }
    }
    for property in other.custom_properties {
        if !target.custom_properties.contains(&property) {
            target.custom_properties.push(property);
        }
    }
    target.has_section_access |= other.has_section_access;
    target.provenance.extend(other.provenance);
}

/// The merged apps by GUID and by name, to find the app an out-of-app fact names (rules 1
/// and 2) without scanning every app for every fact. Built after the apps are merged, whose
/// GUIDs and names do not change afterwards.
struct AppFinder {
    /// Index of the first app with each GUID.
    by_guid: HashMap<String, usize>,
    /// Indexes of the apps by name in ASCII lower case, in app order.
    by_name: HashMap<String, Vec<usize>>,
}

impl AppFinder {
    fn new(apps: &[App]) -> Self {
        let mut finder = AppFinder {
            by_guid: HashMap::new(),
            by_name: HashMap::new(),
        };
        for (index, app) in apps.iter().enumerate() {
            if let Some(guid) = &app.guid {
                finder.by_guid.entry(guid.clone()).or_insert(index);
            }
            finder
                .by_name
                .entry(app.name.to_ascii_lowercase())
                .or_default()
                .push(index);
        }
        finder
    }

    /// Returns the app with the key's GUID, else the one app whose name equals the key's name
    /// or its document stem, ignoring ASCII case.
    fn find(&self, key: &AppKey) -> Option<usize> {
        if let Some(guid) = &key.guid
            && let Some(&index) = self.by_guid.get(guid)
        {
            return Some(index);
        }
        let name = key.name.as_deref()?;
        let stem = document_stem(name);
        let mut matches: Vec<usize> = [name, stem.as_str()]
            .into_iter()
            .filter_map(|n| self.by_name.get(&n.to_ascii_lowercase()))
            .flatten()
            .copied()
            .collect();
        matches.sort_unstable();
        matches.dedup();
        match matches.as_slice() {
            [index] => Some(*index),
            _ => None,
        }
    }
}

/// Returns the file name without extension of a document path such as `C:\Docs\Sales.qvw`.
fn document_stem(path: &str) -> String {
    let name = path.rsplit(['/', '\\']).next().unwrap_or(path);
    match name.rsplit_once('.') {
        Some((stem, ext)) if ["qvw", "qvf"].contains(&ext.to_ascii_lowercase().as_str()) => {
            stem.to_owned()
        }
        _ => name.to_owned(),
    }
}

fn attach_app_objects(apps: &mut [App], out: &mut Collected) {
    let finder = AppFinder::new(apps);
    for (guid, object) in std::mem::take(&mut out.app_objects) {
        let key = AppKey {
            guid: Some(guid.to_lowercase()),
            name: None,
        };
        if let Some(index) = finder.find(&key) {
            let app = &mut apps[index];
            if !app.objects.iter().any(|o| o.id == object.id) {
                app.objects.push(object);
            }
        }
    }
}

fn attach_metadata(apps: &mut [App], out: &mut Collected) {
    let finder = AppFinder::new(apps);
    for (key, metadata) in std::mem::take(&mut out.metadata) {
        let Some(index) = finder.find(&key) else {
            out.problems.push(qready_model::InputProblem::new(
                metadata.provenance.path.clone(),
                "app metadata names no app of the estate; it was not used",
            ));
            continue;
        };
        let app = &mut apps[index];
        if app.static_byte_size.is_none() {
            app.static_byte_size = metadata.static_byte_size;
        }
        app.has_section_access |= metadata.has_section_access.unwrap_or(false);
        app.provenance.push(metadata.provenance.clone());
        app.metadata = Some(metadata);
    }
}

/// Turns engine lineage entries that name files or URLs into data source uses.
fn attach_engine_lineage(apps: &mut [App], out: &mut Collected) {
    let finder = AppFinder::new(apps);
    for lineage in std::mem::take(&mut out.lineage) {
        let Some(index) = finder.find(&lineage.app) else {
            continue;
        };
        for entry in &lineage.entries {
            let Some((location, access)) = lineage_location(&entry.discriminator) else {
                continue;
            };
            add_source_use(
                &mut apps[index],
                &mut out.sources,
                &location,
                access,
                lineage.provenance.clone(),
            );
        }
        apps[index].provenance.push(lineage.provenance);
    }
}

/// Reads a file location out of a lineage discriminator: `[lib://x/y.qvd]`,
/// `STORE - [path]`, `DSN=path;`, or a bare path.
fn lineage_location(discriminator: &str) -> Option<(String, Access)> {
    let mut text = discriminator.trim().trim_start_matches('{').trim();
    let mut access = Access::Read;
    if let Some(rest) = text.strip_prefix("STORE - ") {
        text = rest;
        access = Access::Write;
    }
    if let Some(rest) = text.strip_prefix("DSN=") {
        text = rest;
    }
    let text = text
        .split(['\n', '\r'])
        .next()
        .unwrap_or_default()
        .trim_end_matches([';', '}'])
        .trim()
        .trim_start_matches('[');
    let text = text.split(']').next().unwrap_or(text).trim();
    match classify_path(text) {
        qready_script::PathKind::Lib { .. }
        | qready_script::PathKind::Drive
        | qready_script::PathKind::Unc
        | qready_script::PathKind::Url => Some((text.to_owned(), access)),
        _ => None,
    }
}

fn add_source_use(
    app: &mut App,
    sources: &mut BTreeMap<String, DataSource>,
    location: &str,
    access: Access,
    provenance: Provenance,
) {
    let (kind, connection) = match classify_path(location) {
        qready_script::PathKind::Lib { connection, .. } => {
            (LocationKind::Library, Some(connection))
        }
        qready_script::PathKind::Drive => (LocationKind::Drive, None),
        qready_script::PathKind::Unc => (LocationKind::Unc, None),
        qready_script::PathKind::Url => (LocationKind::Url, None),
        _ => (LocationKind::Other, None),
    };
    let source_id = format!("source:{}", script::location_key(location, kind, None));
    sources
        .entry(source_id.clone())
        .or_insert_with(|| DataSource {
            id: source_id.clone(),
            location: location.to_owned(),
            kind,
            connection,
            file_type: crate::file_type(location),
            read_by: Vec::new(),
            written_by: Vec::new(),
            qvd_id: None,
        });
    let data_source_use = DataSourceUse {
        source_id,
        access,
        provenance,
    };
    if !app.data_sources.contains(&data_source_use) {
        app.data_sources.push(data_source_use);
    }
}

/// Applies rule 3.
fn join_connections(apps: &mut [App], site: Vec<DataConnection>) -> Vec<DataConnection> {
    let mut all: BTreeMap<String, DataConnection> = BTreeMap::new();
    let exported = apps.iter().flat_map(|app| app.connections.iter().cloned());
    for connection in site.into_iter().chain(exported) {
        match all.get_mut(&connection.id) {
            Some(existing) => {
                for provenance in connection.provenance {
                    if !existing.provenance.contains(&provenance) {
                        existing.provenance.push(provenance);
                    }
                }
            }
            None => {
                all.insert(connection.id.clone(), connection);
            }
        }
    }
    // A connection known only by name (from an app export) is the repository connection of
    // that name, when exactly one has it.
    let mut guid_by_name: HashMap<String, Vec<String>> = HashMap::new();
    for connection in all.values().filter(|c| qready_model::is_guid(&c.id)) {
        guid_by_name
            .entry(connection.name.to_lowercase())
            .or_default()
            .push(connection.id.clone());
    }
    let mut renamed: HashMap<String, String> = HashMap::new();
    let derived: Vec<String> = all
        .keys()
        .filter(|id| !qready_model::is_guid(id))
        .cloned()
        .collect();
    for id in derived {
        let name = all[&id].name.to_lowercase();
        if let Some([guid]) = guid_by_name.get(&name).map(Vec::as_slice) {
            let merged = all.remove(&id).expect("the id was just listed");
            let target = all.get_mut(guid).expect("the GUID was just listed");
            target.has_username |= merged.has_username;
            target.had_credentials |= merged.had_credentials;
            target.provenance.extend(merged.provenance);
            renamed.insert(id, guid.clone());
        }
    }
    for app in apps.iter_mut() {
        for connection in &mut app.connections {
            if let Some(guid) = renamed.get(&connection.id) {
                *connection = all[guid].clone();
            }
        }
    }
    let mut by_name: HashMap<String, Vec<&DataConnection>> = HashMap::new();
    for connection in all.values() {
        by_name
            .entry(connection.name.to_lowercase())
            .or_default()
            .push(connection);
    }
    for app in apps.iter_mut() {
        let used = app
            .script
            .as_ref()
            .map(script::library_connections)
            .unwrap_or_default();
        for name in used {
            for connection in by_name.get(&name.to_lowercase()).into_iter().flatten() {
                if !app.connections.iter().any(|c| c.id == connection.id) {
                    app.connections.push((*connection).clone());
                }
            }
        }
        let mut seen = BTreeSet::new();
        app.connections.retain(|c| seen.insert(c.id.clone()));
    }
    all.into_values().collect()
}

/// Applies rule 5: links QVD headers to data sources and to the app that created them.
fn attach_qvds(
    apps: &mut [App],
    mut qvds: Vec<qready_model::QvdFile>,
    sources: &mut BTreeMap<String, DataSource>,
) -> Vec<qready_model::QvdFile> {
    let finder = AppFinder::new(apps);
    let mut by_file_name: HashMap<String, Vec<usize>> = HashMap::new();
    for (index, qvd) in qvds.iter().enumerate() {
        if let Some(name) = qvd.path.file_name() {
            by_file_name
                .entry(name.to_string_lossy().to_lowercase())
                .or_default()
                .push(index);
        }
    }
    // QVD sources by the last part of their location in ASCII lower case, in id order, so
    // that each QVD looks at the sources with its file name only.
    let mut qvd_sources_by_name: HashMap<String, Vec<String>> = HashMap::new();
    for source in sources.values() {
        if source.file_type.as_deref() != Some("qvd") {
            continue;
        }
        if let Some(name) = source.location.rsplit(['/', '\\']).next() {
            qvd_sources_by_name
                .entry(name.trim_end_matches(']').to_ascii_lowercase())
                .or_default()
                .push(source.id.clone());
        }
    }
    for qvd in qvds.iter_mut() {
        if let Some(creator) = &qvd.creator_doc {
            let key = if qready_model::is_guid(creator.trim()) {
                AppKey {
                    guid: Some(creator.trim().to_lowercase()),
                    name: None,
                }
            } else {
                AppKey {
                    guid: None,
                    name: Some(creator.clone()),
                }
            };
            if let Some(app_index) = finder.find(&key) {
                qvd.creator_app_id = Some(apps[app_index].id.clone());
                // The header's lineage lists what the creating reload read.
                for entry in &qvd.lineage {
                    if let Some((location, access)) = lineage_location(&entry.discriminator) {
                        add_source_use(
                            &mut apps[app_index],
                            sources,
                            &location,
                            access,
                            qvd.provenance.clone(),
                        );
                    }
                }
            }
        }
        let local_key = format!("source:file:{}", script::normalize_path(&qvd.path));
        let file_name = qvd
            .path
            .file_name()
            .map(|n| n.to_string_lossy().to_lowercase())
            .unwrap_or_default();
        let unique_name = by_file_name
            .get(&file_name)
            .is_some_and(|list| list.len() == 1);
        if let Some(source) = sources.get_mut(&local_key) {
            source.qvd_id = Some(qvd.id.clone());
        }
        // `file_name` is lower case already, so its ASCII lower case is itself.
        let same_name = unique_name
            .then(|| qvd_sources_by_name.get(&file_name))
            .flatten();
        for id in same_name.into_iter().flatten() {
            if let Some(source) = sources.get_mut(id)
                && source.qvd_id.is_none()
            {
                source.qvd_id = Some(qvd.id.clone());
            }
        }
    }
    qvds.sort_by(|a, b| a.id.cmp(&b.id));
    qvds
}

/// Applies rules 4 and 6.
fn build_lineage(
    apps: &[App],
    mut sources: BTreeMap<String, DataSource>,
    qvds: &[qready_model::QvdFile],
) -> (Vec<DataSource>, Vec<LineageEdge>) {
    let mut header_writers: BTreeSet<(String, String)> = BTreeSet::new();
    for app in apps {
        for data_source_use in &app.data_sources {
            let Some(source) = sources.get_mut(&data_source_use.source_id) else {
                continue;
            };
            let list = match data_source_use.access {
                Access::Write => &mut source.written_by,
                Access::Read | Access::Binary => &mut source.read_by,
                Access::Include | Access::Execute => continue,
            };
            // Apps are visited in turn, so an app already listed is the last one.
            if list.last() != Some(&app.id) {
                list.push(app.id.clone());
            }
        }
    }
    // Should two QVDs share an id, the first decides, as a scan in order would.
    let mut creators: HashMap<&str, Option<&String>> = HashMap::new();
    for qvd in qvds {
        creators
            .entry(qvd.id.as_str())
            .or_insert(qvd.creator_app_id.as_ref());
    }
    for source in sources.values_mut() {
        let creator = source
            .qvd_id
            .as_deref()
            .and_then(|id| creators.get(id).copied().flatten())
            .cloned();
        if let Some(creator) = creator
            && !source.written_by.contains(&creator)
        {
            source.written_by.push(creator.clone());
            header_writers.insert((source.id.clone(), creator));
        }
    }
    let mut edges = BTreeSet::new();
    // A path built from a variable with no static value names different files in different
    // apps, so it links no apps.
    // NOTE: a file that N apps all write and read gives N × N edges, and each of those apps
    // then lists every other one as producer and consumer, so time, memory and reports grow
    // with N². 2,000 such apps took 10.8 s and wrote a 357 MB JSON report.
    for source in sources.values().filter(|s| s.kind != LocationKind::Dynamic) {
        for writer in &source.written_by {
            for reader in &source.read_by {
                if writer == reader {
                    continue;
                }
                let evidence = if header_writers.contains(&(source.id.clone(), writer.clone())) {
                    LineageEvidence::QvdHeader
                } else {
                    LineageEvidence::Script
                };
                edges.insert(LineageEdge {
                    source_id: source.id.clone(),
                    writer_app_id: writer.clone(),
                    reader_app_id: reader.clone(),
                    evidence,
                });
            }
        }
    }
    (sources.into_values().collect(), edges.into_iter().collect())
}

/// Applies rule 7.
fn join_tasks(apps: &mut [App], out: &mut Collected) -> (Vec<ReloadTask>, Vec<TaskChainLink>) {
    let finder = AppFinder::new(apps);
    let mut tasks: BTreeMap<String, ReloadTask> = BTreeMap::new();
    for task in std::mem::take(&mut out.tasks) {
        match tasks.get_mut(&task.id) {
            Some(existing) => existing.provenance.extend(task.provenance),
            None => {
                tasks.insert(task.id.clone(), task);
            }
        }
    }
    let mut chains = BTreeSet::new();
    for record in std::mem::take(&mut out.triggers) {
        let Some(task_id) = record.task_id else {
            continue;
        };
        if let TaskTrigger::TaskEvent { rules, .. } = &record.trigger {
            for rule in rules {
                chains.insert(TaskChainLink {
                    upstream_task_id: rule.upstream_task_id.clone(),
                    downstream_task_id: task_id.clone(),
                    on: rule.state,
                });
            }
        }
        if let Some(task) = tasks.get_mut(&task_id) {
            task.triggers.push(record.trigger);
        }
    }
    for task in tasks.values() {
        let Some(app_id) = &task.app_id else {
            continue;
        };
        let key = AppKey {
            guid: Some(app_id.to_lowercase()),
            name: None,
        };
        if let Some(index) = finder.find(&key)
            && !apps[index].reload_task_ids.contains(&task.id)
        {
            apps[index].reload_task_ids.push(task.id.clone());
        }
    }
    (tasks.into_values().collect(), chains.into_iter().collect())
}

/// Applies rule 8.
fn join_extensions(apps: &[App], mut extensions: Vec<Extension>) -> Vec<Extension> {
    dedup_by_id(&mut extensions, |e| &e.id);
    for app in apps {
        for object in app.objects.iter().filter(|o| o.is_extension) {
            let Some(visualization) = &object.visualization else {
                continue;
            };
            let index = match extensions
                .iter()
                .position(|e| e.name.eq_ignore_ascii_case(visualization))
            {
                Some(index) => index,
                None => {
                    extensions.push(Extension {
                        id: derived_id("extension", &[visualization]),
                        name: visualization.clone(),
                        owner: None,
                        tags: Vec::new(),
                        installed: false,
                        used_by: Vec::new(),
                        provenance: Vec::new(),
                    });
                    extensions.len() - 1
                }
            };
            let extension_use = ExtensionUse {
                app_id: app.id.clone(),
                object_id: object.id.clone(),
                sheet_id: object.sheet_id.clone(),
                provenance: object.provenance.clone(),
            };
            // Collected extensions have no uses yet and apps are visited in turn, so a repeated
            // use can only be among this app's uses at the end of the list.
            let used_by = &mut extensions[index].used_by;
            if !used_by
                .iter()
                .rev()
                .take_while(|u| u.app_id == app.id)
                .any(|u| *u == extension_use)
            {
                used_by.push(extension_use);
            }
        }
    }
    extensions.sort_by(|a, b| a.id.cmp(&b.id));
    extensions
}

/// Sessions, users, latest start and log files of one app.
type UsageTally = (
    u64,
    BTreeSet<String>,
    Option<chrono::DateTime<Utc>>,
    Vec<Provenance>,
);

/// Applies rule 9.
/// Applies join rule 9: points mashup references and Publisher tasks at their apps.
fn resolve_distribution(apps: &[App], out: &mut Collected) -> (Vec<Mashup>, Vec<PublisherTask>) {
    let key_of = |target: &str| {
        if qready_model::is_guid(target) {
            AppKey {
                guid: Some(target.to_lowercase()),
                name: None,
            }
        } else {
            AppKey {
                guid: None,
                name: Some(target.to_owned()),
            }
        }
    };
    let finder = AppFinder::new(apps);
    let mut mashups = std::mem::take(&mut out.mashups);
    for mashup in &mut mashups {
        for open in &mut mashup.opens {
            open.app_id = finder
                .find(&key_of(&open.target))
                .map(|i| apps[i].id.clone());
        }
    }
    dedup_by_id(&mut mashups, |m| &m.id);
    let mut tasks = std::mem::take(&mut out.publisher_tasks);
    for task in &mut tasks {
        task.app_id = finder
            .find(&key_of(&task.document))
            .map(|i| apps[i].id.clone());
    }
    dedup_by_id(&mut tasks, |t| &t.id);
    (mashups, tasks)
}

fn attach_usage(apps: &mut [App], out: &mut Collected, options: &IngestOptions) {
    let now = options.now.unwrap_or_else(Utc::now);
    let window_start = now - Duration::days(i64::from(options.usage_window_days));
    let finder = AppFinder::new(apps);
    let mut per_app: BTreeMap<usize, UsageTally> = BTreeMap::new();
    let mut unmatched = 0u64;
    for session in std::mem::take(&mut out.sessions) {
        if session.start < window_start || session.start > now {
            continue;
        }
        let Some(index) = finder.find(&session.app) else {
            unmatched += 1;
            continue;
        };
        let entry = per_app.entry(index).or_default();
        entry.0 += 1;
        entry.1.insert(session.user);
        entry.2 = entry.2.max(Some(session.start));
        let file = Provenance::file(&session.provenance.path, session.provenance.format);
        if !entry.3.contains(&file) {
            entry.3.push(file);
        }
    }
    if unmatched > 0 {
        tracing::debug!(
            sessions = unmatched,
            "sessions of apps not in the estate were not counted"
        );
    }
    for (index, (sessions, users, last, provenance)) in per_app {
        apps[index].usage = Some(AppUsage {
            window_days: options.usage_window_days,
            sessions,
            distinct_users: users.len() as u64,
            last_session: last.map(|time| time.to_rfc3339()),
            provenance,
        });
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn lineage_discriminators_yield_locations() {
        let store = lineage_location("{STORE - [lib://ODAG (x)/Products.qvd]\n(qvd)};");
        assert_eq!(
            store,
            Some(("lib://ODAG (x)/Products.qvd".to_owned(), Access::Write))
        );
        let read = lineage_location("DSN=c:\\data\\customers.qvd;");
        assert_eq!(
            read,
            Some(("c:\\data\\customers.qvd".to_owned(), Access::Read))
        );
        assert_eq!(lineage_location("RESIDENT Orders"), None);
    }

    #[test]
    fn document_stem_drops_qvw() {
        assert_eq!(document_stem("C:\\Docs\\Sales.qvw"), "Sales");
        assert_eq!(document_stem("Sales"), "Sales");
    }
}
