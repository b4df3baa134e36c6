//! Connector plugins: components of the `connector` world that decide how a data connection or a
//! data source reaches Qlik Cloud. They run in the same sandbox, with the same limits, as rule
//! packs.

use std::sync::Arc;

use serde::{Deserialize, Serialize};
use wasmtime::Store;

use super::bindings::connector::{Connector, ConnectorPre};
use super::sandbox::PluginState;
use super::session::describe_failure;
use super::{EPOCH_TICK, PackError, PackRequest, PackSource, Runtime, VersionStamp, convert};
use super::{pack, stamp, wit_exports};

pub use super::bindings::connector::qready::plugin::sources::{
    DataSource as SourceInput, SourceForm,
};

/// The path of a data source to Qlik Cloud, as the host stores a connector plugin's decision.
/// `[routes] hybrid-cloud-paths` in the configuration names paths the same way.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize)]
#[serde(rename_all = "kebab-case")]
pub enum CloudPath {
    NativeConnector,
    DirectAccessGateway,
    DataMovementGateway,
    DataFilesUpload,
    CloudStorage,
    None,
    Unrecognised,
}

impl CloudPath {
    /// Kebab-case name, as reports write it.
    pub fn as_str(self) -> &'static str {
        match self {
            CloudPath::NativeConnector => "native-connector",
            CloudPath::DirectAccessGateway => "direct-access-gateway",
            CloudPath::DataMovementGateway => "data-movement-gateway",
            CloudPath::DataFilesUpload => "data-files-upload",
            CloudPath::CloudStorage => "cloud-storage",
            CloudPath::None => "none",
            CloudPath::Unrecognised => "unrecognised",
        }
    }
}

impl From<wit_exports::CloudPath> for CloudPath {
    fn from(path: wit_exports::CloudPath) -> Self {
        match path {
            wit_exports::CloudPath::NativeConnector => CloudPath::NativeConnector,
            wit_exports::CloudPath::DirectAccessGateway => CloudPath::DirectAccessGateway,
            wit_exports::CloudPath::DataMovementGateway => CloudPath::DataMovementGateway,
            wit_exports::CloudPath::DataFilesUpload => CloudPath::DataFilesUpload,
            wit_exports::CloudPath::CloudStorage => CloudPath::CloudStorage,
            wit_exports::CloudPath::None => CloudPath::None,
            wit_exports::CloudPath::Unrecognised => CloudPath::Unrecognised,
        }
    }
}

/// A connector plugin's decision.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Classification {
    pub path: CloudPath,
    /// The Qlik Cloud connector to use, when there is one.
    pub connector: Option<String>,
    /// The reason for this path.
    pub reason: String,
}

impl From<wit_exports::Classification> for Classification {
    fn from(classification: wit_exports::Classification) -> Self {
        Classification {
            path: classification.path.into(),
            connector: classification.connector,
            reason: classification.reason,
        }
    }
}

/// A connector plugin that is compiled, linked and described.
pub struct LoadedConnector {
    /// The plugin's self-description.
    pub info: wit_exports::ConnectorInfo,
    /// Origin of the plugin.
    pub source: PackSource,
    /// SDK and WIT versions recorded in the component, when it has them.
    pub stamp: Option<VersionStamp>,
    grants: crate::config::Grants,
    pre: ConnectorPre<PluginState>,
}

impl LoadedConnector {
    /// Id of the plugin, as it describes itself.
    pub fn id(&self) -> &str {
        &self.info.id
    }

    /// Whether the plugin lists `connection_type` among the types it decides, ignoring case.
    pub fn decides(&self, connection_type: &str) -> bool {
        self.info
            .connection_types
            .iter()
            .any(|t| t.eq_ignore_ascii_case(connection_type))
    }

    /// Starts an instance of the plugin.
    pub fn session(&self, runtime: &Runtime) -> ConnectorSession {
        ConnectorSession::new(
            runtime,
            &self.pre,
            &self.source.display_name(),
            &self.grants,
        )
    }
}

impl Runtime {
    /// Reads, checks, compiles, links and describes a connector plugin.
    pub fn load_connector(&self, request: &PackRequest) -> Result<LoadedConnector, PackError> {
        let name = request.source.display_name();
        let bytes = request.source.bytes()?;
        if let Some(expected) = &request.sha256 {
            let actual = pack::sha256_hex(&bytes);
            if !actual.eq_ignore_ascii_case(expected) {
                return Err(PackError::HashMismatch {
                    name,
                    expected: expected.clone(),
                    actual,
                });
            }
        }
        let stamp = stamp::read(&name, &bytes)?;
        let component = self.compile(&name, &bytes)?;
        let instance_pre = self.instance_pre(&name, &component)?;
        let pre = ConnectorPre::new(instance_pre).map_err(|e| PackError::Link {
            name: name.clone(),
            message: format!("it does not export the connector world: {e:#}"),
        })?;
        let mut session = ConnectorSession::new(self, &pre, &name, &request.grants);
        let info = session.describe().map_err(|message| PackError::Describe {
            name: name.clone(),
            message,
        })?;
        if let Some(requirement) = &request.version {
            let matches = semver::Version::parse(&info.version)
                .is_ok_and(|version| requirement.matches(&version));
            if !matches {
                return Err(PackError::Incompatible {
                    name,
                    reason: format!(
                        "is version {}, but the configuration requires {requirement}",
                        info.version
                    ),
                });
            }
        }
        tracing::debug!(connector = %info.id, version = %info.version, source = %name, "loaded connector plugin");
        Ok(LoadedConnector {
            info,
            source: request.source.clone(),
            stamp,
            grants: request.grants.clone(),
            pre,
        })
    }
}

/// A live instance of one connector plugin. A trap ends the instance and its store; the next
/// call starts on fresh ones.
pub struct ConnectorSession {
    store: Store<PluginState>,
    instance: Result<Connector, String>,
    /// The settings that a fresh store and instance need.
    engine: wasmtime::Engine,
    limits: super::Limits,
    name: String,
    grants: crate::config::Grants,
    pre: ConnectorPre<PluginState>,
}

impl ConnectorSession {
    fn new(
        runtime: &Runtime,
        pre: &ConnectorPre<PluginState>,
        name: &str,
        grants: &crate::config::Grants,
    ) -> ConnectorSession {
        let (store, instance) = instantiate(&runtime.engine, &runtime.limits, pre, name, grants);
        ConnectorSession {
            store,
            instance,
            engine: runtime.engine.clone(),
            limits: runtime.limits.clone(),
            name: name.to_owned(),
            grants: grants.clone(),
            pre: pre.clone(),
        }
    }

    fn call<T>(
        &mut self,
        name: &str,
        run: impl FnOnce(&Connector, &mut Store<PluginState>) -> wasmtime::Result<T>,
    ) -> Result<T, String> {
        let instance = self.instance.as_ref().map_err(Clone::clone)?;
        self.store
            .set_epoch_deadline(self.limits.deadline_ticks(EPOCH_TICK));
        self.store.data_mut().start_call();
        let result = run(instance, &mut self.store);
        result.map_err(|e| {
            let message = describe_failure(name, &e, self.store.data());
            let (store, instance) = instantiate(
                &self.engine,
                &self.limits,
                &self.pre,
                &self.name,
                &self.grants,
            );
            self.store = store;
            self.instance = instance;
            message
        })
    }

    fn describe(&mut self) -> Result<wit_exports::ConnectorInfo, String> {
        self.call("describe", |plugin, store| plugin.call_describe(store))
    }

    /// Asks the plugin how a data connection reaches Qlik Cloud.
    pub fn classify(
        &mut self,
        connection: &wit_exports::DataConnection,
    ) -> Result<Classification, String> {
        self.call("classify", |plugin, store| {
            plugin.call_classify(store, connection)
        })?
        .map(Classification::from)
        .map_err(|e| format!("classify {}", convert::plugin_error(&e)))
    }

    /// Asks the plugin how a data source reaches Qlik Cloud.
    pub fn classify_source(&mut self, source: &SourceInput) -> Result<Classification, String> {
        self.call("classify-source", |plugin, store| {
            plugin.call_classify_source(store, source)
        })?
        .map(Classification::from)
        .map_err(|e| format!("classify-source {}", convert::plugin_error(&e)))
    }
}

/// Creates a store with the sandbox's limits and instantiates the plugin in it; an
/// instantiation failure is kept and returned by the first call.
fn instantiate(
    engine: &wasmtime::Engine,
    limits: &super::Limits,
    pre: &ConnectorPre<PluginState>,
    name: &str,
    grants: &crate::config::Grants,
) -> (Store<PluginState>, Result<Connector, String>) {
    let state = PluginState::new(name, limits, grants, Arc::from([]), Arc::default());
    let mut store = Store::new(engine, state);
    store.limiter(|state| &mut state.limiter);
    store.epoch_deadline_trap();
    store.set_epoch_deadline(limits.deadline_ticks(EPOCH_TICK));
    let instance = match store.data().setup_error.clone() {
        Some(error) => Err(error),
        None => pre
            .instantiate(&mut store)
            .map_err(|e| describe_failure("instantiation", &e, store.data())),
    };
    (store, instance)
}
