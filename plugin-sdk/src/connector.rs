//! Connector plugins: decide how each data connection and data source reaches Qlik Cloud.

use crate::{Classification, CloudPath, ConnectorInfo, DataConnection, PluginError};

pub use crate::connector_bindings::qready::plugin::sources::{
    DataSource as SourceInput, SourceForm,
};

/// A connector plugin: a set of decisions about data connections and data sources.
///
/// The host calls every connector plugin for each connection and source and keeps the first
/// decision that is not [`CloudPath::Unrecognised`]. A plugin therefore returns
/// [`Classification::unrecognised`] for anything outside its area rather than guessing.
///
/// ```ignore
/// use qready_plugin_sdk::{Classification, CloudPath, Connector, DataConnection, PluginError};
///
/// struct AcmeWarehouse;
///
/// impl Connector for AcmeWarehouse {
///     const ID: &'static str = "acme-warehouse";
///     const VERSION: &'static str = env!("CARGO_PKG_VERSION");
///     const CONNECTION_TYPES: &'static [&'static str] = &["AcmeConnector.exe"];
///
///     fn classify(connection: &DataConnection) -> Result<Classification, PluginError> {
///         Ok(Classification::new(
///             CloudPath::DirectAccessGateway,
///             Some("Generic ODBC"),
///             "The warehouse sits behind the firewall and ships an ODBC driver.",
///         ))
///     }
/// }
///
/// qready_plugin_sdk::register_connector!(AcmeWarehouse);
/// ```
pub trait Connector: 'static {
    /// Stable id of the plugin, such as `qready-databases`.
    const ID: &'static str;
    /// Version of the plugin, as semver; usually `env!("CARGO_PKG_VERSION")`.
    const VERSION: &'static str;
    /// One-line description.
    const DESCRIPTION: &'static str = "";
    /// Connection types the plugin decides, as the repository writes them, such as `ODBC` or
    /// `QvRestConnector.exe`.
    const CONNECTION_TYPES: &'static [&'static str];

    /// Decides how one data connection reaches Qlik Cloud.
    fn classify(connection: &DataConnection) -> Result<Classification, PluginError>;

    /// Decides how one data source reaches Qlik Cloud. The default recognises none.
    fn classify_source(source: &SourceInput) -> Result<Classification, PluginError> {
        let _ = source;
        Ok(Classification::unrecognised(
            "not a source this plugin decides",
        ))
    }
}

impl Classification {
    /// A decision with a path, the Qlik Cloud connector to use, and the reason.
    pub fn new(path: CloudPath, connector: Option<&str>, reason: impl Into<String>) -> Self {
        Classification {
            path,
            connector: connector.map(str::to_owned),
            reason: reason.into(),
        }
    }

    /// Creates the decision for a connection or source the plugin does not decide.
    pub fn unrecognised(reason: impl Into<String>) -> Self {
        Classification::new(CloudPath::Unrecognised, None, reason)
    }

    /// Whether the plugin recognised the connection or source.
    pub fn is_recognised(&self) -> bool {
        self.path != CloudPath::Unrecognised
    }
}

/// Glue that [`register_connector!`](crate::register_connector) expands to.
#[doc(hidden)]
pub mod glue {
    use super::{
        Classification, Connector, ConnectorInfo, DataConnection, PluginError, SourceInput,
    };

    pub use crate::connector_bindings;
    pub use crate::connector_bindings::Guest as ConnectorGuest;

    /// Returns the plugin's self-description.
    pub fn describe_connector<C: Connector>() -> ConnectorInfo {
        crate::__private::install_panic_hook();
        ConnectorInfo {
            id: C::ID.to_owned(),
            version: C::VERSION.to_owned(),
            description: C::DESCRIPTION.to_owned(),
            connection_types: C::CONNECTION_TYPES
                .iter()
                .map(|t| (*t).to_owned())
                .collect(),
        }
    }

    /// Decides one connection.
    pub fn classify<C: Connector>(
        connection: &DataConnection,
    ) -> Result<Classification, PluginError> {
        crate::__private::install_panic_hook();
        C::classify(connection)
    }

    /// Decides one source.
    pub fn classify_source<C: Connector>(
        source: &SourceInput,
    ) -> Result<Classification, PluginError> {
        crate::__private::install_panic_hook();
        C::classify_source(source)
    }
}

/// Registers a type that implements [`Connector`](crate::Connector) as the component's exports.
///
/// Use it once per connector crate, which depends on the SDK with `default-features = false,
/// features = ["connector"]`. It also writes the SDK and WIT versions into a custom section.
#[macro_export]
macro_rules! register_connector {
    ($connector:ty) => {
        #[cfg(target_arch = "wasm32")]
        const _: () = {
            struct QreadyConnectorGuest;

            impl $crate::__private::ConnectorGuest for QreadyConnectorGuest {
                fn describe() -> $crate::ConnectorInfo {
                    $crate::__private::describe_connector::<$connector>()
                }

                fn classify(
                    connection: $crate::DataConnection,
                ) -> ::std::result::Result<$crate::Classification, $crate::PluginError> {
                    $crate::__private::classify::<$connector>(&connection)
                }

                fn classify_source(
                    source: $crate::SourceInput,
                ) -> ::std::result::Result<$crate::Classification, $crate::PluginError> {
                    $crate::__private::classify_source::<$connector>(&source)
                }
            }

            $crate::connector_bindings::__export_connector!(QreadyConnectorGuest with_types_in $crate::__private::connector_bindings);

            #[unsafe(link_section = "qready-sdk")]
            #[used]
            static QREADY_SDK_STAMP: [u8; $crate::__private::STAMP_LEN] = $crate::__private::STAMP;
        };
    };
}
