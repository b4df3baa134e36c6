//! The `qready-enterprise` connector plugin: SAP, Salesforce, GeoAnalytics and the other
//! packaged connectors of Qlik Sense client-managed.

use qready_plugin_sdk::{Classification, CloudPath, Connector, DataConnection, PluginError};

/// The plugin.
pub struct Enterprise;

/// SAP connectors of Qlik Sense client-managed.
///
/// NOTE: these `type` strings come from product knowledge, not from a repository export; a SAP
/// connection of another spelling is left unrecognised and shows up as such in the report.
const SAP_TYPES: &[(&str, &str)] = &[
    ("qvsapconnector.exe", "SAP (via Direct Access gateway)"),
    (
        "qvsapsqlconnector.exe",
        "SAP SQL (via Direct Access gateway)",
    ),
    ("qvsapbwconnector.exe", "SAP BW (via Direct Access gateway)"),
    (
        "qvsapbexconnector.exe",
        "SAP BEx (via Direct Access gateway)",
    ),
    (
        "qvsapreportconnector.exe",
        "SAP Report (via Direct Access gateway)",
    ),
    (
        "qvsapextractorconnector.exe",
        "SAP Extractor (via Direct Access gateway)",
    ),
];

impl Connector for Enterprise {
    const ID: &'static str = "qready-enterprise";
    const VERSION: &'static str = env!("CARGO_PKG_VERSION");
    const DESCRIPTION: &'static str = "SAP, Salesforce, GeoAnalytics and other packaged connectors";
    const CONNECTION_TYPES: &'static [&'static str] = &[
        "QvSalesforceConnector.exe",
        "QvSAPConnector.exe",
        "QvSAPSqlConnector.exe",
        "QvSAPBWConnector.exe",
        "QvSAPBExConnector.exe",
        "QvSAPReportConnector.exe",
        "QvSAPExtractorConnector.exe",
        "IdevioGeoAnalyticsConnector.exe",
        "QvDataMarketConnector.exe",
        "QsAppMetadataConnector.exe",
        "QlikConnectorsCommonService.exe",
    ];

    fn classify(connection: &DataConnection) -> Result<Classification, PluginError> {
        let kind = connection.connection_type.to_ascii_lowercase();
        if let Some((_, name)) = SAP_TYPES.iter().find(|(t, _)| *t == kind) {
            return Ok(Classification::new(
                CloudPath::DirectAccessGateway,
                Some(name),
                "SAP connectors run on a Direct Access gateway with the SAP NetWeaver RFC SDK \
                 installed, and need their own licence",
            ));
        }
        Ok(match kind.as_str() {
            "qvsalesforceconnector.exe" => Classification::new(
                CloudPath::NativeConnector,
                Some("Salesforce"),
                "Salesforce is a cloud service with a native Qlik Cloud connector",
            ),
            "ideviogeoanalyticsconnector.exe" => Classification::new(
                CloudPath::None,
                None,
                "Qlik Cloud does not offer the GeoAnalytics connector; rewrite its operations \
                 with Qlik GeoOperations",
            ),
            "qvdatamarketconnector.exe" => Classification::new(
                CloudPath::None,
                None,
                "Qlik DataMarket is retired; load the reference data from its original \
                 publisher",
            ),
            "qsappmetadataconnector.exe" => Classification::new(
                CloudPath::None,
                None,
                "the app metadata connector reads apps of the client-managed site; Qlik Cloud's \
                 App Analyzer monitoring app replaces what it is used for",
            ),
            "qlikconnectorscommonservice.exe" => Classification::new(
                CloudPath::DirectAccessGateway,
                None,
                "already a Qlik Cloud connection through a Direct Access gateway",
            ),
            _ => Classification::unrecognised(format!(
                "connection type '{}' is not a connector this plugin decides",
                connection.connection_type
            )),
        })
    }
}

qready_plugin_sdk::register_connector!(Enterprise);

#[cfg(test)]
mod tests {
    use qready_plugin_sdk::{CloudPath, Connector, DataConnection};

    use super::Enterprise;

    fn decide(kind: &str) -> CloudPath {
        let connection = DataConnection {
            id: "c1".into(),
            name: "c1".into(),
            connection_type: kind.into(),
            connection_string: String::new(),
        };
        Enterprise::classify(&connection).unwrap().path
    }

    #[test]
    fn packaged_connectors_decided() {
        assert_eq!(
            decide("QvSalesforceConnector.exe"),
            CloudPath::NativeConnector
        );
        assert_eq!(
            decide("QvSAPSqlConnector.exe"),
            CloudPath::DirectAccessGateway
        );
        assert_eq!(decide("IdevioGeoAnalyticsConnector.exe"), CloudPath::None);
        assert_eq!(decide("QvDataMarketConnector.exe"), CloudPath::None);
        assert_eq!(decide("testconnector"), CloudPath::Unrecognised);
    }
}
