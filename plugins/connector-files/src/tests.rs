use qready_plugin_sdk::{CloudPath, Connector, DataConnection, SourceForm, SourceInput};

use super::Files;

fn decide(kind: &str, text: &str) -> CloudPath {
    let connection = DataConnection {
        id: "c1".into(),
        name: "c1".into(),
        connection_type: kind.into(),
        connection_string: text.into(),
    };
    Files::classify(&connection).unwrap().path
}

fn source(location: &str, form: SourceForm, file_type: Option<&str>) -> CloudPath {
    let source = SourceInput {
        id: format!("source:{location}"),
        location: location.into(),
        form,
        file_type: file_type.map(str::to_owned),
        connection: None,
    };
    Files::classify_source(&source).unwrap().path
}

#[test]
fn share_and_drive_folders_upload() {
    assert_eq!(
        decide("folder", r"\\srv\Data\GZ\"),
        CloudPath::DataFilesUpload
    );
    assert_eq!(
        decide("folder", r"C:\Data\Sales\"),
        CloudPath::DataFilesUpload
    );
}

#[test]
fn site_log_folders_have_no_path() {
    assert_eq!(
        decide("folder", r"C:\ProgramData\Qlik\Sense\Log\"),
        CloudPath::None
    );
    assert_eq!(
        decide("folder", r"\\qs\QlikShare\ArchivedLogs"),
        CloudPath::None
    );
}

#[test]
fn cloud_storage_and_datafiles_are_native() {
    let s3 = r#"CUSTOM CONNECT TO "provider=QvWebStorageProviderConnectorPackage.exe;sourceType=File_AmazonS3ConnectorV2;region=eu-north-1;""#;
    assert_eq!(
        decide("QvWebStorageProviderConnectorPackage.exe", s3),
        CloudPath::NativeConnector
    );
    let datafiles = r#"CUSTOM CONNECT TO "provider=qix-datafiles.exe;path=datafiles;""#;
    assert_eq!(
        decide("qix-datafiles.exe", datafiles),
        CloudPath::NativeConnector
    );
}

#[test]
fn file_paths_by_form() {
    assert_eq!(
        source(r"..\QVD\x.qvd", SourceForm::Relative, Some("qvd")),
        CloudPath::DataFilesUpload
    );
    assert_eq!(
        source(r"D:\Apps\Model.qvw", SourceForm::Drive, Some("qvw")),
        CloudPath::CloudStorage
    );
    assert_eq!(
        source("$(vPath)x.qvd", SourceForm::Dynamic, Some("qvd")),
        CloudPath::Unrecognised
    );
    assert_eq!(
        source("lib://Gone/x.qvd", SourceForm::Library, Some("qvd")),
        CloudPath::Unrecognised
    );
    assert_eq!(
        source(
            "lib://HR:DataFiles/Departments.qvd",
            SourceForm::Library,
            Some("qvd")
        ),
        CloudPath::NativeConnector
    );
}
