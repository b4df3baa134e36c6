//! Connectors and services a script calls that Qlik Cloud cannot reach or does not offer.

use qready_plugin_sdk::{
    App, DataConnection, PathKind, PluginError, Rule, RuleFindings, Script, Severity, SourceRef,
    SourceRole, StatementKind,
};
use serde::Deserialize;

/// Flags server-side extension (SSE) calls.
pub const SERVER_SIDE_EXTENSION: Rule = Rule {
    code: "QC109",
    name: "server-side-extension",
    title: "Script calls a server-side extension",
    severity: Severity::Blocker,
    category: "script",
    rationale: "Server-side extensions (analytic connections to R, Python or other gRPC \
                services) are not available in Qlik Cloud. `LOAD ... EXTENSION` and \
                `Connection.ScriptEval()` calls fail until the service is rebuilt as a Qlik \
                Cloud machine-learning endpoint, which a tenant admin must enable.",
    remediation: "Rebuild the service behind a Qlik Cloud analytic connection (Qlik Predict, \
                  Amazon SageMaker, Azure ML and others), or compute the values before the \
                  reload and load them as a file.",
    effort_minutes: 240,
    reference_url: "https://help.qlik.com/en-US/sense-developer/May2026/Content/Sense_Helpsites/AnalyticConnections.htm",
    bad_example: "Scores: LOAD * EXTENSION R.ScriptEval('q$score * 2', Input{score});",
    good_example: "Scores: LOAD * FROM [lib://ML:DataFiles/scores.qvd] (qvd);",
};

/// Flags use of the Qlik GeoAnalytics connector.
pub const GEOANALYTICS_CONNECTOR: Rule = Rule {
    code: "QC110",
    name: "geoanalytics-connector",
    title: "Script uses the Qlik GeoAnalytics connector",
    severity: Severity::Blocker,
    category: "script",
    rationale: "The Qlik GeoAnalytics connector (`IdevioGeoAnalyticsConnector.exe`) is not \
                supported in Qlik Cloud, so its `LIB CONNECT TO` and the SQL operations after \
                it fail.",
    remediation: "Rewrite the geographic operations with Qlik GeoOperations in Qlik Cloud, or \
                  precompute them and load the result.",
    effort_minutes: 180,
    reference_url: "https://help.qlik.com/ja-JP/cloud-services/Subsystems/Hub/Content/Sense_Hub/Apps/uploading-apps.htm",
    bad_example: "LIB CONNECT TO 'Qlik GeoAnalytics';\nSQL SELECT * FROM Within(...);",
    good_example: "LIB CONNECT TO 'GeoOperations';",
};

/// Flags Qlik Web Connectors and other services on the reload server itself.
pub const WEB_CONNECTORS_LOCALHOST: Rule = Rule {
    code: "QC111",
    name: "web-connectors-localhost",
    title: "Script loads from a service on localhost, such as Qlik Web Connectors",
    severity: Severity::Blocker,
    category: "script",
    rationale: "Qlik Web Connectors is a stand-alone Windows service that scripts call as \
                `http://localhost:5555/...`. Qlik Cloud reloads on its own engines and cannot \
                reach a service on the old reload server, so every such load fails.\n\n\
                Option: `hosts` replaces the list of host names that mean the reload server.",
    remediation: "Use the Qlik Cloud connector for the same web service where one exists, the \
                  REST connector (directly, or through Qlik Data Gateway - Direct Access for \
                  services inside the network), or stage the data as files.",
    effort_minutes: 90,
    reference_url: "https://help.qlik.com/en-US/connectors/Subsystems/Web_Connectors_help/Content/Fetching_data/Using_the_QWC.htm",
    bad_example: "LOAD * FROM [http://localhost:5555/data?connectorID=TwitterConnector&table=Search] (qvx);",
    good_example: "LIB CONNECT TO 'Marketing:Twitter';",
};

/// Flags ODBC and OLE DB drivers that read files, whose path hides in the connection string.
pub const FILE_BASED_DRIVER: Rule = Rule {
    code: "QC113",
    name: "file-based-driver",
    title: "ODBC or OLE DB connection reads a file through a driver",
    severity: Severity::Blocker,
    category: "script",
    rationale: "The Excel, Access and text drivers of ODBC and OLE DB read a file whose path \
                sits inside the connection string (`DBQ=`, `Data Source=`, `DefaultDir=`). The \
                path is a hidden dependency on the server's file system, which Qlik Cloud does \
                not have, and none of the file-path rules see it.",
    remediation: "Upload the file to a space's DataFiles, or put it on cloud storage, and load it \
                  with `LOAD ... FROM [lib://...] (ooxml)`; or move the data into a database.",
    effort_minutes: 60,
    reference_url: "https://help.qlik.com/en-US/sense/February2024/Subsystems/Hub/Content/Sense_Hub/LoadData/file-system-access-restriction.htm",
    bad_example: "ODBC CONNECT32 TO [Budget;DBQ=D:\\Finance\\Budget.xlsm];",
    good_example: "LOAD * FROM [lib://Finance:DataFiles/Budget.xlsm] (ooxml, embedded labels);",
};

/// Options of [`WEB_CONNECTORS_LOCALHOST`].
#[derive(Debug, Deserialize)]
#[serde(default, deny_unknown_fields, rename_all = "kebab-case")]
pub struct LocalHostOptions {
    /// Host names that mean the reload server.
    pub hosts: Vec<String>,
}

impl Default for LocalHostOptions {
    fn default() -> Self {
        LocalHostOptions {
            hosts: ["localhost", "127.0.0.1", "[::1]", "::1"]
                .map(str::to_owned)
                .to_vec(),
        }
    }
}

/// Finds the data connection a `lib://` path or `LIB CONNECT TO` names, ignoring a space prefix.
fn connection<'a>(app: &'a App, source: &SourceRef) -> Option<&'a DataConnection> {
    if source.kind != PathKind::Lib {
        return None;
    }
    let name = source.connection.as_deref()?;
    let name = name.rsplit_once(':').map_or(name, |(_, n)| n);
    app.connections
        .iter()
        .find(|c| c.name.eq_ignore_ascii_case(name))
}

/// SSE function names end in one of these, after the connection name and a dot.
const SSE_FUNCTIONS: &[&str] = &[
    ".scripteval",
    ".scriptevalex",
    ".scriptevalstr",
    ".scriptevalexstr",
    ".scriptaggr",
    ".scriptaggrex",
    ".scriptaggrstr",
    ".scriptaggrexstr",
];

pub fn server_side_extensions(
    script: &Script,
    hits: &mut RuleFindings<'_>,
) -> Result<(), PluginError> {
    let mut flagged = Vec::new();
    for call in &script.functions {
        let name = script.function_name(call);
        if SSE_FUNCTIONS.iter().any(|f| name.ends_with(f)) && !flagged.contains(&call.statement) {
            flagged.push(call.statement);
            hits.report(format!(
                "'{}' calls a server-side extension, which Qlik Cloud does not run",
                script.text(call.span)
            ))
            .at(script, call.span);
        }
    }
    for (index, statement) in script.statements.iter().enumerate() {
        if statement.kind != StatementKind::Load || flagged.contains(&(index as u32)) {
            continue;
        }
        let text = script.statement_text(statement);
        if extension_call(text).is_some() {
            hits.report(
                "LOAD ... EXTENSION calls a server-side extension, which Qlik Cloud does not run",
            )
            .at(script, statement.keyword);
        }
    }
    Ok(())
}

/// Finds `EXTENSION connection.function(` in a `LOAD` and returns its offset. The word alone is
/// not enough: `Extension` is also a common field name, such as a phone extension.
fn extension_call(text: &str) -> Option<usize> {
    let mut from = 0;
    while let Some(found) = qready_plugin_sdk::find_word(&text[from..], "extension") {
        let at = from + found;
        let rest = text[at + "extension".len()..].trim_start();
        let name_len = rest
            .find(|c: char| !(c.is_alphanumeric() || c == '_' || c == '.'))
            .unwrap_or(rest.len());
        let name = &rest[..name_len];
        let call = rest[name_len..].trim_start().starts_with('(');
        if call && name.contains('.') && !name.starts_with('.') && !name.ends_with('.') {
            return Some(at);
        }
        from = at + "extension".len();
    }
    None
}

fn is_geoanalytics(text: &str) -> bool {
    text.to_ascii_lowercase()
        .contains("ideviogeoanalyticsconnector")
}

pub fn geoanalytics(
    app: &App,
    script: &Script,
    hits: &mut RuleFindings<'_>,
) -> Result<(), PluginError> {
    for source in &script.sources {
        if source.role != SourceRole::ConnectString {
            continue;
        }
        let inline = is_geoanalytics(source.effective_path());
        let named = connection(app, source).filter(|c| {
            is_geoanalytics(&c.connection_type) || is_geoanalytics(&c.connection_string)
        });
        if inline || named.is_some() {
            let name = named.map_or(source.effective_path(), |c| c.name.as_str());
            hits.report(format!(
                "connection '{name}' is the Qlik GeoAnalytics connector, which Qlik Cloud does not offer"
            ))
            .at(script, source.span);
        }
    }
    Ok(())
}

pub fn web_connectors_localhost(
    app: &App,
    script: &Script,
    options: &LocalHostOptions,
    hits: &mut RuleFindings<'_>,
) -> Result<(), PluginError> {
    let local = |url: &str| {
        qready_plugin_sdk::url_host(url)
            .is_some_and(|host| options.hosts.iter().any(|h| h.eq_ignore_ascii_case(&host)))
    };
    for source in &script.sources {
        let (url, through) = match (source.kind, connection(app, source)) {
            (PathKind::Url, _) => (source.effective_path().to_owned(), None),
            (PathKind::Lib, Some(c)) => (c.connection_string.clone(), Some(c.name.as_str())),
            _ => continue,
        };
        let url = qready_plugin_sdk::connect_url(&url).unwrap_or(url);
        if !local(&url) {
            continue;
        }
        let service = if url.contains(":5555") || url.to_ascii_lowercase().contains("connectorid=")
        {
            "Qlik Web Connectors on the reload server"
        } else {
            "a service on the reload server"
        };
        let message = match through {
            Some(name) => format!(
                "connection '{name}' calls {service} ({url}), which Qlik Cloud cannot reach"
            ),
            None => format!("'{url}' calls {service}, which Qlik Cloud cannot reach"),
        };
        hits.report(message).at(script, source.span);
    }
    Ok(())
}

/// ODBC data source names that Windows sets up for file drivers.
const FILE_DSNS: &[&str] = &[
    "excel files",
    "ms access database",
    "dbase files",
    "text files",
];

/// OLE DB providers that read files.
const FILE_PROVIDERS: &[&str] = &["microsoft.ace.oledb", "microsoft.jet.oledb"];

/// Describes the file an ODBC or OLE DB connection string reads, or `None` when it reads none.
pub fn file_in_connect_string(text: &str) -> Option<String> {
    for key in ["dbq", "defaultdir", "data source"] {
        if let Some(value) = qready_plugin_sdk::connect_property(text, key) {
            let path_like =
                value.contains(":\\") || value.starts_with("\\\\") || value.contains(":/");
            if path_like {
                return Some(format!("{}={value}", key.to_ascii_uppercase()));
            }
        }
    }
    let lower = text.to_ascii_lowercase();
    if let Some(provider) = FILE_PROVIDERS.iter().find(|p| lower.contains(*p)) {
        return Some(format!("the {provider} provider"));
    }
    let dsn = qready_plugin_sdk::odbc_dsn(text)?.to_ascii_lowercase();
    FILE_DSNS
        .contains(&dsn.as_str())
        .then(|| format!("the '{dsn}' data source"))
}

pub fn file_based_drivers(
    app: &App,
    script: &Script,
    hits: &mut RuleFindings<'_>,
) -> Result<(), PluginError> {
    for source in &script.sources {
        if source.role != SourceRole::ConnectString {
            continue;
        }
        let (text, through) = match connection(app, source) {
            Some(c)
                if matches!(
                    c.connection_type.to_ascii_uppercase().as_str(),
                    "ODBC" | "OLEDB"
                ) =>
            {
                (c.connection_string.as_str(), Some(c.name.as_str()))
            }
            Some(_) => continue,
            None => (source.effective_path(), None),
        };
        let Some(file) = file_in_connect_string(text) else {
            continue;
        };
        let message = match through {
            Some(name) => format!("connection '{name}' reads a file through {file}"),
            None => format!("the connection reads a file through {file}"),
        };
        hits.report(message).at(script, source.span);
    }
    Ok(())
}
