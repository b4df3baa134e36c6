//! The `qready-web` connector plugin: web files, the REST connector, Qlik Web Connectors and
//! URLs in scripts.

use qready_plugin_sdk::{
    Classification, CloudPath, Connector, DataConnection, PluginError, Reach, SourceForm,
    SourceInput, connect_url, reach, url_host,
};

/// The plugin.
pub struct Web;

impl Connector for Web {
    const ID: &'static str = "qready-web";
    const VERSION: &'static str = env!("CARGO_PKG_VERSION");
    const DESCRIPTION: &'static str = "Web files, REST, Qlik Web Connectors and URLs";
    const CONNECTION_TYPES: &'static [&'static str] = &[
        "internet",
        "QvRestConnector.exe",
        "QvWebConnectorPackage.exe",
    ];

    fn classify(connection: &DataConnection) -> Result<Classification, PluginError> {
        let text = &connection.connection_string;
        Ok(
            match connection.connection_type.to_ascii_lowercase().as_str() {
                "internet" => match connect_url(text) {
                    Some(url) => by_url(&url, "Web file"),
                    None => Classification::unrecognised(format!(
                        "web-file connection without a URL: {text}"
                    )),
                },
                "qvrestconnector.exe" => match connect_url(text) {
                    Some(url) => by_url(&url, "REST"),
                    None => Classification::unrecognised("REST connection without url="),
                },
                "qvwebconnectorpackage.exe" => Classification::new(
                    CloudPath::NativeConnector,
                    None,
                    "the Qlik Web Connectors package runs inside Qlik Sense; Qlik Cloud offers most \
                 of its connectors natively, so recreate the connection with the Qlik Cloud \
                 connector of the same service",
                ),
                _ => Classification::unrecognised(format!(
                    "connection type '{}' is not a web connection",
                    connection.connection_type
                )),
            },
        )
    }

    fn classify_source(source: &SourceInput) -> Result<Classification, PluginError> {
        Ok(match source.form {
            SourceForm::Url => by_url(&source.location, "Web file"),
            _ => Classification::unrecognised("not a URL"),
        })
    }
}

/// Decides a URL by where its host is: on the reload server, on a private network, or on the
/// internet.
fn by_url(url: &str, connector: &str) -> Classification {
    let Some(host) = url_host(url) else {
        return Classification::unrecognised(format!("'{url}' has no host"));
    };
    match reach(&host) {
        Reach::Local => {
            let qwc = url.contains(":5555") || url.to_ascii_lowercase().contains("connectorid=");
            let service = if qwc {
                "Qlik Web Connectors on the reload server"
            } else {
                "a service on the reload server"
            };
            Classification::new(
                CloudPath::None,
                None,
                format!(
                    "{url} calls {service}, which Qlik Cloud cannot reach; use the Qlik Cloud \
                     connector of the same web service, or REST through a Direct Access gateway"
                ),
            )
        }
        Reach::Private => Classification::new(
            CloudPath::DirectAccessGateway,
            Some("REST (via Direct Access gateway)"),
            format!("{host} is on a private network; call it through a Direct Access gateway"),
        ),
        Reach::Cloud | Reach::Unknown => Classification::new(
            CloudPath::NativeConnector,
            Some(connector),
            format!(
                "{host} is on the internet; Qlik Cloud's {connector} connector reaches it if \
                 it accepts requests from outside the company network"
            ),
        ),
    }
}

qready_plugin_sdk::register_connector!(Web);

#[cfg(test)]
mod tests {
    use qready_plugin_sdk::{CloudPath, Connector, DataConnection};

    use super::Web;

    fn decide(kind: &str, text: &str) -> CloudPath {
        let connection = DataConnection {
            id: "c1".into(),
            name: "c1".into(),
            connection_type: kind.into(),
            connection_string: text.into(),
        };
        Web::classify(&connection).unwrap().path
    }

    #[test]
    fn web_connectors_on_localhost_have_no_path() {
        let url = "http://localhost:5555/data?connectorID=GoogleDriveConnector&table=GetWorksheet";
        assert_eq!(decide("internet", url), CloudPath::None);
    }

    #[test]
    fn public_web_file_is_native() {
        assert_eq!(
            decide("internet", "https://data.example.org/x.csv"),
            CloudPath::NativeConnector
        );
    }

    #[test]
    fn rest_by_host() {
        let public = r#"CUSTOM CONNECT TO "provider=QvRestConnector.exe;url=https://api.example.com/v1;timeout=30;""#;
        assert_eq!(
            decide("QvRestConnector.exe", public),
            CloudPath::NativeConnector
        );
        let private = r#"CUSTOM CONNECT TO "provider=QvRestConnector.exe;url=http://erp01/api;""#;
        assert_eq!(
            decide("QvRestConnector.exe", private),
            CloudPath::DirectAccessGateway
        );
    }
}
