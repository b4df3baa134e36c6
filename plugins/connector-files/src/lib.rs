//! The `qready-files` connector plugin: folder connections, Qlik Cloud DataFiles, web storage
//! providers, and file paths in scripts.
//!
//! Files on a drive or share move to a space's DataFiles by default, because it needs no
//! infrastructure and takes files up to 100 GB. Every reason names the alternatives: cloud
//! storage for files that many spaces share, and the Direct Access gateway's file connector for
//! files that must stay where they are.

use qready_plugin_sdk::{
    Classification, CloudPath, Connector, DataConnection, PluginError, SourceForm, SourceInput,
    connect_property,
};

/// The plugin.
pub struct Files;

/// Web storage providers by `sourceType`, with the Qlik Cloud connector of the same service.
const STORAGE: &[(&str, &str)] = &[
    ("file_amazons3connector", "Amazon S3"),
    ("file_googlecloudstorageconnector", "Google Cloud Storage"),
    ("file_azurestorageconnector", "Azure Storage"),
    ("file_dropboxconnector", "Dropbox"),
    ("file_googledriveconnector", "Google Drive"),
    ("file_onedriveconnector", "OneDrive"),
    ("file_sharepointconnector", "SharePoint"),
    ("file_sftpconnector", "SFTP"),
    ("file_ftpconnector", "FTP"),
];

/// Folders the Qlik servers keep for themselves; what reads them reads the old site.
const SITE_FOLDERS: &[(&str, &str)] = &[
    ("\\qlik\\sense\\log", "Qlik Sense service logs"),
    ("\\archivedlogs", "archived Qlik Sense logs"),
    ("\\qliktech\\qlikviewserver", "QlikView Server logs"),
    ("\\dataprepappcache", "the data manager's cache"),
];

impl Connector for Files {
    const ID: &'static str = "qready-files";
    const VERSION: &'static str = env!("CARGO_PKG_VERSION");
    const DESCRIPTION: &'static str =
        "Folder connections, Qlik Cloud DataFiles, web storage providers and file paths";
    const CONNECTION_TYPES: &'static [&'static str] = &[
        "folder",
        "qix-datafiles.exe",
        "QvWebStorageProviderConnectorPackage.exe",
    ];

    fn classify(connection: &DataConnection) -> Result<Classification, PluginError> {
        let text = &connection.connection_string;
        Ok(
            match connection.connection_type.to_ascii_lowercase().as_str() {
                "folder" => folder(text),
                "qix-datafiles.exe" => Classification::new(
                    CloudPath::NativeConnector,
                    Some("DataFiles"),
                    "already a Qlik Cloud DataFiles connection of a space",
                ),
                "qvwebstorageproviderconnectorpackage.exe" => web_storage(text),
                _ => Classification::unrecognised(format!(
                    "connection type '{}' is not a file connection",
                    connection.connection_type
                )),
            },
        )
    }

    fn classify_source(source: &SourceInput) -> Result<Classification, PluginError> {
        Ok(match source.form {
            SourceForm::Drive | SourceForm::Unc | SourceForm::Relative => {
                file_path(&source.location, source.file_type.as_deref())
            }
            SourceForm::Library => match &source.connection {
                Some(connection) => Self::classify(connection)?,
                None if is_datafiles(&source.location) => Classification::new(
                    CloudPath::NativeConnector,
                    Some("DataFiles"),
                    "already a path in a Qlik Cloud space's DataFiles",
                ),
                None => Classification::unrecognised(format!(
                    "'{}' names a data connection that the estate does not hold",
                    source.location
                )),
            },
            SourceForm::Dynamic => Classification::unrecognised(format!(
                "'{}' depends on a variable known only at reload",
                source.location
            )),
            _ => Classification::unrecognised("not a file"),
        })
    }
}

/// Whether a `lib://` location is in a space's DataFiles: `lib://DataFiles/...` or
/// `lib://Space:DataFiles/...`.
fn is_datafiles(location: &str) -> bool {
    let Some(rest) = location
        .get(6..)
        .filter(|_| location[..6].eq_ignore_ascii_case("lib://"))
    else {
        return false;
    };
    let connection = rest.split(['/', '\\']).next().unwrap_or("");
    let name = connection
        .rsplit_once(':')
        .map_or(connection, |(_, name)| name);
    name.eq_ignore_ascii_case("DataFiles")
}

/// Decides a folder connection by its path.
fn folder(path: &str) -> Classification {
    let lower = path.to_ascii_lowercase().replace('/', "\\");
    if let Some((_, what)) = SITE_FOLDERS.iter().find(|(part, _)| lower.contains(part)) {
        return Classification::new(
            CloudPath::None,
            None,
            format!(
                "{path} holds {what}; Qlik Cloud keeps its own, and its monitoring apps replace \
                 the apps that read these"
            ),
        );
    }
    if lower.contains("\\staticcontent\\appcontent") {
        return Classification::new(
            CloudPath::DataFilesUpload,
            Some("DataFiles"),
            format!("{path} holds files attached to an app; upload them to the app's space"),
        );
    }
    file_path(path, None)
}

/// Decides a file or folder on a drive or share.
fn file_path(path: &str, file_type: Option<&str>) -> Classification {
    if matches!(file_type, Some("qvw" | "qvf")) {
        return Classification::new(
            CloudPath::CloudStorage,
            None,
            format!(
                "{path} is an app file, which DataFiles does not accept; migrate the app and \
                 load it by id, or put the file on a cloud-storage connection"
            ),
        );
    }
    Classification::new(
        CloudPath::DataFilesUpload,
        Some("DataFiles"),
        format!(
            "{path} is on a drive or share that Qlik Cloud cannot read; upload the files to a \
             space (up to 100 GB each), move them to cloud storage when many spaces share \
             them, or serve the folder through a Direct Access gateway's file connector"
        ),
    )
}

/// Decides a web storage provider connection by its `sourceType`.
fn web_storage(text: &str) -> Classification {
    let source_type = connect_property(text, "sourceType").unwrap_or("");
    let lower = source_type.to_ascii_lowercase();
    match STORAGE.iter().find(|(t, _)| lower.starts_with(t)) {
        Some((_, name)) => Classification::new(
            CloudPath::NativeConnector,
            Some(name),
            format!(
                "{name} is a cloud service; recreate the connection with Qlik Cloud's {name} connector"
            ),
        ),
        None => Classification::unrecognised(format!(
            "web storage provider '{source_type}' is not one qready knows"
        )),
    }
}

qready_plugin_sdk::register_connector!(Files);

#[cfg(test)]
mod tests;
