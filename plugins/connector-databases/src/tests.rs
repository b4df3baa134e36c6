use qready_plugin_sdk::{CloudPath, Connector, DataConnection};

use super::Databases;

fn connection(kind: &str, text: &str) -> DataConnection {
    DataConnection {
        id: "c1".into(),
        name: "c1".into(),
        connection_type: kind.into(),
        connection_string: text.into(),
    }
}

fn decide(kind: &str, text: &str) -> (CloudPath, Option<String>) {
    let classification = Databases::classify(&connection(kind, text)).unwrap();
    (classification.path, classification.connector)
}

#[test]
fn package_on_cloud_host_is_native() {
    let text = r#"CUSTOM CONNECT TO "provider=QvOdbcConnectorPackage.exe;driver=postgres;host=db.eu-west-1.rds.amazonaws.com;port=5432;""#;
    assert_eq!(
        decide("QvOdbcConnectorPackage.exe", text),
        (CloudPath::NativeConnector, Some("PostgreSQL".into()))
    );
}

#[test]
fn package_on_private_host_needs_gateway() {
    let text = r#"CUSTOM CONNECT TO "provider=QvOdbcConnectorPackage.exe;driver=mysql;host=192.0.2.1;port=3306;""#;
    assert_eq!(
        decide("QvOdbcConnectorPackage.exe", text),
        (
            CloudPath::DirectAccessGateway,
            Some("MySQL (via Direct Access gateway)".into())
        )
    );
}

#[test]
fn snowflake_is_always_native() {
    let text =
        r#"CUSTOM CONNECT TO "provider=QvOdbcConnectorPackage.exe;driver=snowflake;server=acme;""#;
    assert_eq!(
        decide("QvOdbcConnectorPackage.exe", text).0,
        CloudPath::NativeConnector
    );
}

#[test]
fn odbc_file_driver_uploads_file() {
    let text = r"ODBC CONNECT32 TO [Budget;DBQ=C:\Data\Budget.xlsm;]";
    assert_eq!(decide("ODBC", text).0, CloudPath::DataFilesUpload);
    assert_eq!(
        decide("ODBC", "ODBC CONNECT TO [Excel Files;]").0,
        CloudPath::DataFilesUpload
    );
}

#[test]
fn oracle_service_name_is_not_a_file() {
    let text = "ODBC CONNECT TO [SalesDW;DBQ=SALESDW01]";
    assert_eq!(decide("ODBC", text).0, CloudPath::DirectAccessGateway);
}

#[test]
fn odbc_dsn_goes_through_generic_odbc() {
    assert_eq!(
        decide("ODBC", "ODBC CONNECT TO [SalesDW;]"),
        (
            CloudPath::DirectAccessGateway,
            Some("Generic ODBC (via Direct Access gateway)".into())
        )
    );
    assert_eq!(
        decide("ODBC", "ODBC CONNECT TO [Simba Athena Production;]").0,
        CloudPath::NativeConnector
    );
}

#[test]
fn oledb_by_provider() {
    let sql = "OLEDB CONNECT TO [Provider=SQLOLEDB;Data Source=192.0.2.1,1434;Initial Catalog=x;]";
    assert_eq!(
        decide("OLEDB", sql),
        (
            CloudPath::DirectAccessGateway,
            Some("Microsoft SQL Server (via Direct Access gateway)".into())
        )
    );
    let cube = "OLEDB CONNECT TO [Provider=MSOLAP.8;Data Source=olap01;]";
    assert_eq!(decide("OLEDB", cube).0, CloudPath::None);
}

#[test]
fn other_types_are_left_to_other_plugins() {
    assert_eq!(decide("folder", r"C:\Data").0, CloudPath::Unrecognised);
}
