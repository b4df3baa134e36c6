//! The `qready-databases` connector plugin: ODBC data sources, OLE DB providers and the Qlik
//! ODBC Connector Package.
//!
//! A database that Qlik Cloud can reach over the internet gets the native Qlik Cloud connector.
//! A database behind the firewall gets the same connector through Qlik Data Gateway - Direct
//! Access.
//! Reachability is read from the host name alone (see [`qready_plugin_sdk::reach`]); a host
//! this cannot place is treated as behind the firewall, because most on-premises databases are.

use qready_plugin_sdk::{
    Classification, CloudPath, Connector, DataConnection, PluginError, Reach, SourceForm,
    SourceInput, connect_property, odbc_dsn, reach,
};

/// The plugin.
pub struct Databases;

/// Drivers of the Qlik ODBC Connector Package, with the Qlik Cloud connector of the same
/// database and whether the database is a cloud service that Qlik Cloud always reaches.
const DRIVERS: &[(&str, &str, bool)] = &[
    ("sqlserver", "Microsoft SQL Server", false),
    ("mssql", "Microsoft SQL Server", false),
    ("azuresql", "Microsoft SQL Server", true),
    ("postgres", "PostgreSQL", false),
    ("postgresql", "PostgreSQL", false),
    ("mysql", "MySQL", false),
    ("oracle", "Oracle", false),
    ("teradata", "Teradata", false),
    ("db2", "IBM DB2", false),
    ("redshift", "Amazon Redshift", true),
    ("athena", "Amazon Athena", true),
    ("snowflake", "Snowflake", true),
    ("bigquery", "Google BigQuery", true),
    ("databricks", "Databricks", true),
    ("synapse", "Azure Synapse Analytics", true),
    ("hana", "SAP HANA", false),
    ("impala", "Cloudera Impala", false),
    ("hive", "Apache Hive", false),
    ("spark", "Apache Spark", false),
    ("presto", "Presto", false),
    ("mongodb", "MongoDB", false),
];

/// OLE DB providers, by a lower-case prefix of the `Provider=` value.
const PROVIDERS: &[(&str, &str)] = &[
    ("sqloledb", "Microsoft SQL Server"),
    ("sqlncli", "Microsoft SQL Server"),
    ("msoledbsql", "Microsoft SQL Server"),
    ("oraoledb", "Oracle"),
    ("msdaora", "Oracle"),
    ("ibmdadb2", "IBM DB2"),
    ("db2oledb", "IBM DB2"),
    ("mysqlprov", "MySQL"),
    ("pgnp", "PostgreSQL"),
];

impl Connector for Databases {
    const ID: &'static str = "qready-databases";
    const VERSION: &'static str = env!("CARGO_PKG_VERSION");
    const DESCRIPTION: &'static str =
        "ODBC data sources, OLE DB providers and the Qlik ODBC Connector Package";
    const CONNECTION_TYPES: &'static [&'static str] = &[
        "ODBC",
        "OLEDB",
        "QvOdbcConnectorPackage.exe",
        "QvOleDbConnectorPackage.exe",
    ];

    fn classify(connection: &DataConnection) -> Result<Classification, PluginError> {
        let text = &connection.connection_string;
        let kind = connection.connection_type.to_ascii_lowercase();
        Ok(match kind.as_str() {
            "qvodbcconnectorpackage.exe" => odbc_package(text),
            "odbc" => odbc(text),
            "oledb" | "qvoledbconnectorpackage.exe" => oledb(text),
            _ => Classification::unrecognised(format!(
                "connection type '{}' is not a database connection",
                connection.connection_type
            )),
        })
    }

    fn classify_source(source: &SourceInput) -> Result<Classification, PluginError> {
        match (&source.form, &source.connection) {
            (SourceForm::Table, Some(connection)) => Self::classify(connection),
            (SourceForm::Table, None) => Ok(Classification::unrecognised(
                "SQL table read through a connection the script does not name statically",
            )),
            _ => Ok(Classification::unrecognised("not a database source")),
        }
    }
}

/// Decides a Qlik ODBC Connector Package connection by its `driver=` and `host=`.
fn odbc_package(text: &str) -> Classification {
    let Some(driver) = connect_property(text, "driver") else {
        return Classification::unrecognised(
            "Qlik ODBC Connector Package connection without driver=",
        );
    };
    let lower = driver.to_ascii_lowercase();
    let Some((_, name, cloud_service)) = DRIVERS.iter().find(|(d, ..)| lower.starts_with(d)) else {
        return Classification::new(
            CloudPath::DirectAccessGateway,
            Some("Generic ODBC (via Direct Access gateway)"),
            format!(
                "driver '{driver}' has no Qlik Cloud connector that qready knows; Generic ODBC \
                 on a Direct Access gateway uses the same ODBC driver"
            ),
        );
    };
    let host = connect_property(text, "host")
        .or_else(|| connect_property(text, "server"))
        .unwrap_or("");
    by_reach(name, *cloud_service, host)
}

/// Chooses between the native connector and the Direct Access gateway by the host.
fn by_reach(name: &str, cloud_service: bool, host: &str) -> Classification {
    let shown = if host.is_empty() {
        "the database"
    } else {
        host
    };
    match (cloud_service, reach(host)) {
        (true, _) | (false, Reach::Cloud) => Classification::new(
            CloudPath::NativeConnector,
            Some(name),
            format!("{shown} is a cloud service that Qlik Cloud reaches with its {name} connector"),
        ),
        (false, Reach::Local | Reach::Private) => Classification::new(
            CloudPath::DirectAccessGateway,
            Some(&format!("{name} (via Direct Access gateway)")),
            format!(
                "{shown} is on a private network; a Direct Access gateway beside it runs the \
                 {name} connector"
            ),
        ),
        (false, Reach::Unknown) => Classification::new(
            CloudPath::DirectAccessGateway,
            Some(&format!("{name} (via Direct Access gateway)")),
            format!(
                "{shown} may be behind a firewall: use a Direct Access gateway, or the native \
                 {name} connector if the database accepts connections from Qlik Cloud"
            ),
        ),
    }
}

/// Data source names that Windows sets up for its file drivers.
const FILE_DSNS: &[&str] = &[
    "excel files",
    "ms access database",
    "dbase files",
    "text files",
];

/// Whether a `DBQ=` or `DefaultDir=` value names a file or folder; Oracle drivers use `DBQ=` for
/// the database's service name instead.
fn is_file_path(value: &str) -> bool {
    const EXTENSIONS: &[&str] = &[
        ".xls", ".xlsx", ".xlsm", ".xlsb", ".mdb", ".accdb", ".csv", ".txt", ".dbf",
    ];
    let lower = value.to_ascii_lowercase();
    lower.contains(":\\")
        || lower.contains(":/")
        || lower.starts_with("\\\\")
        || EXTENSIONS.iter().any(|ext| lower.ends_with(ext))
}

/// Decides an ODBC data source by its name and properties.
fn odbc(text: &str) -> Classification {
    let dsn = odbc_dsn(text).unwrap_or("");
    let lower = dsn.to_ascii_lowercase();
    let file = connect_property(text, "dbq")
        .or_else(|| connect_property(text, "defaultdir"))
        .filter(|value| is_file_path(value));
    if let Some(file) = file {
        return Classification::new(
            CloudPath::DataFilesUpload,
            Some("DataFiles"),
            format!(
                "data source '{dsn}' reads the file {file} through an ODBC file driver; upload \
                 the file to a space and load it directly"
            ),
        );
    }
    if FILE_DSNS.contains(&lower.as_str()) {
        return Classification::new(
            CloudPath::DataFilesUpload,
            Some("DataFiles"),
            format!("'{dsn}' is a Windows file data source; upload its files to a space"),
        );
    }
    if lower.contains("athena") {
        return Classification::new(
            CloudPath::NativeConnector,
            Some("Amazon Athena"),
            format!("data source '{dsn}' names Amazon Athena, which Qlik Cloud reaches natively"),
        );
    }
    Classification::new(
        CloudPath::DirectAccessGateway,
        Some("Generic ODBC (via Direct Access gateway)"),
        format!(
            "data source '{dsn}' is defined on the reload server; install its driver and data \
             source on a Direct Access gateway host, or switch to a native connector once the \
             database behind it is known"
        ),
    )
}

/// Decides an OLE DB connection by its provider.
fn oledb(text: &str) -> Classification {
    let provider = connect_property(text, "provider").unwrap_or("");
    let lower = provider.to_ascii_lowercase();
    if lower.starts_with("microsoft.ace.oledb") || lower.starts_with("microsoft.jet.oledb") {
        let file = connect_property(text, "data source").unwrap_or("a file");
        return Classification::new(
            CloudPath::DataFilesUpload,
            Some("DataFiles"),
            format!(
                "provider {provider} reads {file}; upload the file to a space and load it directly"
            ),
        );
    }
    if lower.starts_with("msolap") {
        return Classification::new(
            CloudPath::None,
            None,
            "Microsoft Analysis Services cubes have no Qlik Cloud connector; stage the data in \
             a database or files",
        );
    }
    let host = connect_property(text, "data source")
        .or_else(|| connect_property(text, "server"))
        .map(|h| h.split([',', '\\']).next().unwrap_or(h))
        .unwrap_or("");
    match PROVIDERS.iter().find(|(p, _)| lower.starts_with(p)) {
        Some((_, name)) => by_reach(name, false, host),
        None => Classification::new(
            CloudPath::DirectAccessGateway,
            Some("Generic ODBC (via Direct Access gateway)"),
            format!(
                "OLE DB provider '{provider}' has no Qlik Cloud counterpart; use an ODBC driver \
                 for the same database on a Direct Access gateway"
            ),
        ),
    }
}

qready_plugin_sdk::register_connector!(Databases);

#[cfg(test)]
mod tests;
