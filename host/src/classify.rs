//! The data-source matrix: for every data connection and every data source of the estate, the
//! path to Qlik Cloud that the connector plugins decide.
//!
//! Every connector plugin is asked in turn, first those that list the connection's type, and
//! the first decision that is not `unrecognised` is kept. A connection or source that no plugin
//! recognises still gets an entry, with the path `unrecognised`, so the matrix never hides one.
//! A `lib://` source, or a SQL table read after a `CONNECT`, takes the decision of its
//! connection.

use std::collections::HashMap;

use qready_script::{PathKind, SourceRole, StatementKind};

use crate::assess::DataSourceAssessment;
use crate::finding::EngineDiagnostic;
use crate::model::{DataConnection, DataSource, Estate, LocationKind};
use crate::runtime::{
    Classification, CloudPath, ConnectorSession, LoadedConnector, PackKind, PackRequest, Runtime,
    SourceForm, SourceInput, wit_exports,
};

/// Loads the connector plugins among `requests` and decides every connection and source of
/// `estate`. A plugin that fails to load or to classify becomes a diagnostic; the others carry on.
pub fn classify_estate(
    runtime: &Runtime,
    requests: &[PackRequest],
    estate: &Estate,
    diagnostics: &mut Vec<EngineDiagnostic>,
) -> Vec<DataSourceAssessment> {
    let mut plugins = Vec::new();
    for request in requests.iter().filter(|r| r.kind == PackKind::Connector) {
        let name = request.source.display_name();
        match runtime.load_connector(request) {
            Ok(connector) => {
                let session = connector.session(runtime);
                plugins.push((connector, session));
            }
            Err(error) => {
                tracing::warn!(connector = %name, %error, "connector plugin not loaded");
                diagnostics.push(EngineDiagnostic::not_loaded(&name, error.to_string()));
            }
        }
    }
    let mut matrix = Matrix {
        plugins,
        diagnostics,
    };

    let mut by_id: HashMap<&str, (Classification, String)> = HashMap::new();
    let mut out = Vec::new();
    // Apps by connection id, built once: scanning every app for every connection grows with
    // their product.
    let mut apps_by_connection: std::collections::HashMap<&str, Vec<String>> =
        std::collections::HashMap::new();
    for app in &estate.apps {
        for connection in &app.connections {
            let apps = apps_by_connection
                .entry(connection.id.as_str())
                .or_default();
            if apps.last() != Some(&app.id) {
                apps.push(app.id.clone());
            }
        }
    }
    for connection in &estate.connections {
        let input = wit_connection(connection);
        let (classification, plugin) = matrix.connection(&input);
        let apps = apps_by_connection
            .get(connection.id.as_str())
            .cloned()
            .unwrap_or_default();
        out.push(entry(
            &connection.id,
            &connection.name,
            &connection.connection_type,
            apps,
            &classification,
            &plugin,
        ));
        by_id.insert(connection.id.as_str(), (classification, plugin));
    }

    let names = ConnectionNames::new(estate);
    let tables = table_connections(estate, &names);
    for source in &estate.data_sources {
        let connection = source_connection(&names, source, &tables);
        let mut apps: Vec<String> = source.read_by.clone();
        for writer in &source.written_by {
            if !apps.contains(writer) {
                apps.push(writer.clone());
            }
        }
        let decided = connection
            .as_ref()
            .and_then(|c| by_id.get(c.id.as_str()).map(|d| (c, d)))
            .filter(|(_, (classification, _))| classification.path != CloudPath::Unrecognised);
        let (classification, plugin) = match decided {
            Some((connection, (classification, plugin))) => {
                let through = Classification {
                    reason: format!(
                        "through connection '{}': {}",
                        connection.name, classification.reason
                    ),
                    ..classification.clone()
                };
                (through, plugin.clone())
            }
            None => {
                let input = SourceInput {
                    id: source.id.clone(),
                    location: source.location.clone(),
                    form: form(source.kind),
                    file_type: source.file_type.clone(),
                    connection: connection.as_ref().map(wit_connection),
                };
                matrix.source(&input)
            }
        };
        out.push(entry(
            &source.id,
            &source.location,
            kind_name(source.kind),
            apps,
            &classification,
            &plugin,
        ));
    }
    out
}

/// The loaded plugins with their sessions, and where their failures go.
struct Matrix<'a> {
    plugins: Vec<(LoadedConnector, ConnectorSession)>,
    diagnostics: &'a mut Vec<EngineDiagnostic>,
}

impl Matrix<'_> {
    /// Asks the plugins that list the type first, then the others.
    fn connection(&mut self, input: &wit_exports::DataConnection) -> (Classification, String) {
        let mut order: Vec<usize> = (0..self.plugins.len()).collect();
        order.sort_by_key(|&i| !self.plugins[i].0.decides(&input.connection_type));
        let unknown = format!(
            "no connector plugin recognises connection type '{}'",
            input.connection_type
        );
        self.first_recognised(order, unknown, |session| session.classify(input))
    }

    fn source(&mut self, input: &SourceInput) -> (Classification, String) {
        let order: Vec<usize> = (0..self.plugins.len()).collect();
        let unknown = format!("no connector plugin recognises '{}'", input.location);
        self.first_recognised(order, unknown, |session| session.classify_source(input))
    }

    fn first_recognised(
        &mut self,
        order: Vec<usize>,
        unknown: String,
        mut ask: impl FnMut(&mut ConnectorSession) -> Result<Classification, String>,
    ) -> (Classification, String) {
        for index in order {
            let (connector, session) = &mut self.plugins[index];
            match ask(session) {
                Ok(classification) if classification.path != CloudPath::Unrecognised => {
                    return (classification, connector.id().to_owned());
                }
                Ok(_) => {}
                Err(message) => {
                    tracing::warn!(connector = connector.id(), %message, "connector plugin failed");
                    self.diagnostics
                        .push(EngineDiagnostic::new(connector.id(), None, message));
                }
            }
        }
        let classification = Classification {
            path: CloudPath::Unrecognised,
            connector: None,
            reason: unknown,
        };
        (classification, String::new())
    }
}

fn entry(
    id: &str,
    name: &str,
    kind: &str,
    apps: Vec<String>,
    classification: &Classification,
    plugin: &str,
) -> DataSourceAssessment {
    DataSourceAssessment {
        id: id.to_owned(),
        name: name.to_owned(),
        kind: kind.to_owned(),
        apps,
        cloud_path: classification.path.as_str().to_owned(),
        connector: classification.connector.clone(),
        reason: classification.reason.clone(),
        plugin: plugin.to_owned(),
    }
}

fn wit_connection(connection: &DataConnection) -> wit_exports::DataConnection {
    wit_exports::DataConnection {
        id: connection.id.clone(),
        name: connection.name.clone(),
        connection_type: connection.connection_type.clone(),
        connection_string: connection.connection_string.clone(),
    }
}

fn form(kind: LocationKind) -> SourceForm {
    match kind {
        LocationKind::Library => SourceForm::Library,
        LocationKind::Drive => SourceForm::Drive,
        LocationKind::Unc => SourceForm::Unc,
        LocationKind::Relative => SourceForm::Relative,
        LocationKind::Url => SourceForm::Url,
        LocationKind::Dynamic => SourceForm::Dynamic,
        LocationKind::Table => SourceForm::Table,
        LocationKind::Other => SourceForm::Other,
    }
}

fn kind_name(kind: LocationKind) -> &'static str {
    match kind {
        LocationKind::Library => "library",
        LocationKind::Drive => "drive",
        LocationKind::Unc => "unc",
        LocationKind::Relative => "relative",
        LocationKind::Url => "url",
        LocationKind::Dynamic => "dynamic",
        LocationKind::Table => "table",
        LocationKind::Other => "other",
    }
}

/// The estate's connections by name in ASCII lower case, keeping the first of each name.
/// Large estates have thousands of connections and many more `lib://` sources, so a scan per
/// lookup would grow with their product.
struct ConnectionNames<'a>(HashMap<String, &'a DataConnection>);

impl<'a> ConnectionNames<'a> {
    fn new(estate: &'a Estate) -> Self {
        let mut names = HashMap::new();
        for connection in &estate.connections {
            names
                .entry(connection.name.to_ascii_lowercase())
                .or_insert(connection);
        }
        Self(names)
    }

    /// Finds the connection a name refers to, ignoring a `Space:` prefix and case.
    fn get(&self, name: &str) -> Option<&'a DataConnection> {
        let name = name.rsplit_once(':').map_or(name, |(_, n)| n);
        self.0.get(&name.to_ascii_lowercase()).copied()
    }
}

/// The connection a source is read through: the named connection of a `lib://` location, or the
/// connection in force where a SQL table is read.
fn source_connection(
    names: &ConnectionNames,
    source: &DataSource,
    tables: &HashMap<String, DataConnection>,
) -> Option<DataConnection> {
    match source.kind {
        LocationKind::Library => names.get(source.connection.as_deref()?).cloned(),
        LocationKind::Table => tables.get(&source.location.to_lowercase()).cloned(),
        _ => None,
    }
}

/// Maps each SQL table, by lower-case name, to the connection in force where a script reads it:
/// the last `LIB CONNECT TO` (an estate connection) or `ODBC`/`OLEDB`/`CUSTOM CONNECT TO` (a
/// connection made up from the statement) before it.
fn table_connections(estate: &Estate, names: &ConnectionNames) -> HashMap<String, DataConnection> {
    let mut tables = HashMap::new();
    for app in &estate.apps {
        let Some(script) = &app.script else { continue };
        let mut current: Option<DataConnection> = None;
        for (_, statement) in &script.statements {
            let connect = statement
                .sources
                .iter()
                .find(|s| s.role == SourceRole::ConnectString);
            match statement.kind {
                StatementKind::LibConnect => {
                    current = connect.and_then(|s| match &s.kind {
                        PathKind::Lib { connection, .. } => names.get(connection).cloned(),
                        _ => None,
                    });
                }
                StatementKind::OdbcConnect
                | StatementKind::OledbConnect
                | StatementKind::CustomConnect => {
                    current = connect.map(|s| {
                        inline_connection(statement.kind, s.resolved.as_ref().unwrap_or(&s.path))
                    });
                }
                StatementKind::Disconnect => current = None,
                _ => {}
            }
            let Some(connection) = &current else { continue };
            for source in statement
                .sources
                .iter()
                .filter(|s| s.role == SourceRole::SqlTable)
            {
                let location = source.resolved.as_ref().unwrap_or(&source.path);
                tables
                    .entry(location.to_lowercase())
                    .or_insert_with(|| connection.clone());
            }
        }
    }
    tables
}

/// A connection made up from a `CONNECT` statement written in the script.
fn inline_connection(kind: StatementKind, text: &str) -> DataConnection {
    let connection_type = match kind {
        StatementKind::OdbcConnect => "ODBC".to_owned(),
        StatementKind::OledbConnect => "OLEDB".to_owned(),
        _ => provider(text).unwrap_or_else(|| "CUSTOM".to_owned()),
    };
    DataConnection {
        id: crate::model::derived_id("connect", &[text]),
        name: format!("{} CONNECT in the script", connection_type),
        connection_type,
        connection_string: text.to_owned(),
        has_username: false,
        had_credentials: false,
        owner: None,
        tags: Vec::new(),
        provenance: Vec::new(),
    }
}

/// Reads `provider=` from a `CUSTOM CONNECT` string.
fn provider(text: &str) -> Option<String> {
    text.trim_matches(['"', '[', ']', ' '])
        .split(';')
        .filter_map(|pair| pair.split_once('='))
        .find(|(key, _)| key.trim().eq_ignore_ascii_case("provider"))
        .map(|(_, value)| value.trim().to_owned())
}
