//! The crate that qready rule packs and connector plugins are written with.
//!
//! A pack is a type that implements [`Pack`] and is registered once with [`register_pack!`]. Each
//! rule is a [`Rule`] constant that carries its documentation, so that `qready rules list`, `qready
//! rules explain` and generated docs all read the same declaration. The host parses every script
//! before a pack receives it: rules read statements, data source references and function calls from
//! [`Script`], never the raw text.
//!
//! Build a pack with `cargo build --release --target wasm32-wasip2`; the host loads the resulting
//! `.wasm` component. The generated WIT bindings stay inside this crate.
//!
//! ```ignore
//! use qready_plugin_sdk::{App, Findings, Pack, PluginError, Rule, Severity, StatementKind};
//!
//! const EXECUTE: Rule = Rule {
//!     code: "ACME001",
//!     name: "execute-statement",
//!     title: "EXECUTE runs a program on the reload server",
//!     severity: Severity::Blocker,
//!     ..Rule::DEFAULT
//! };
//!
//! #[derive(Default)]
//! struct AcmePack;
//!
//! impl Pack for AcmePack {
//!     const ID: &'static str = "acme";
//!     const VERSION: &'static str = env!("CARGO_PKG_VERSION");
//!     const RULES: &'static [&'static Rule] = &[&EXECUTE];
//!
//!     fn check(&self, app: &App, findings: &mut Findings) -> Result<(), PluginError> {
//!         let Some(script) = &app.script else { return Ok(()) };
//!         findings.run(&EXECUTE, |hits| {
//!             for statement in script.statements_of(StatementKind::Execute) {
//!                 hits.report("EXECUTE is not allowed").at(script, statement.keyword);
//!             }
//!             Ok(())
//!         })
//!     }
//! }
//!
//! qready_plugin_sdk::register_pack!(AcmePack);
//! ```
//!
//! Test rules natively with [`testing`]: `cargo test` needs no WebAssembly runtime.
//!
//! Facts beyond the script (streams, reload tasks, sizes, usage, extensions, QlikView document
//! features, include outcomes) come from the host through [`estate`], starting with
//! [`App::details`]; [`testing::set_estate`] stands in for the host in native tests.
//!
//! The same crate writes connector plugins: a type that implements `Connector` and is
//! registered with `register_connector!`, in a crate that depends on this one with
//! `default-features = false, features = ["connector"]`.

/// Version of the WIT package, as a literal for `concat!`.
macro_rules! wit_version {
    () => {
        "0.1.2"
    };
}
pub(crate) use wit_version;

#[cfg(not(any(feature = "rule-pack", feature = "connector")))]
compile_error!("enable the `rule-pack` or the `connector` feature of qready-plugin-sdk");

#[cfg(feature = "rule-pack")]
mod config;
mod connect;
#[cfg(feature = "connector")]
mod connector;
#[cfg(feature = "rule-pack")]
pub mod estate;
#[cfg(feature = "rule-pack")]
mod findings;
mod model;
#[cfg(all(feature = "rule-pack", not(target_arch = "wasm32")))]
pub mod native;
#[cfg(feature = "rule-pack")]
mod rule;
#[cfg(not(target_arch = "wasm32"))]
pub mod testing;

#[doc(hidden)]
pub mod __private;

#[cfg(feature = "rule-pack")]
pub use config::Config;
pub use connect::{Reach, connect_property, connect_url, odbc_dsn, reach, url_host};
#[cfg(feature = "connector")]
pub use connector::{Connector, SourceForm, SourceInput};
#[cfg(feature = "rule-pack")]
pub use findings::{FindingBuilder, Findings, RuleFindings};
pub use model::{InlineCell, InlineRow, InlineTable, find_word};
#[cfg(feature = "rule-pack")]
pub use rule::Rule;

pub use wit_host::LogLevel;
pub use wit_types::{
    App, Classification, CloudPath, ConnectorInfo, DataConnection, Finding, FunctionCall,
    LoadPrefixes, Location, PackInfo, PathKind, PluginError, Product, RuleInfo, Script, ScriptFile,
    Severity, SourceRef, SourceRole, Span, Statement, StatementKind,
};

/// Version of the WIT package this SDK is built against.
pub const WIT_VERSION: &str = wit_version!();

/// Version of this SDK.
pub const SDK_VERSION: &str = env!("CARGO_PKG_VERSION");

/// Name of the custom section that records the SDK and WIT versions in every pack.
pub const VERSION_SECTION: &str = "qready-sdk";

#[cfg(feature = "rule-pack")]
#[doc(hidden)]
pub mod bindings {
    wit_bindgen::generate!({
        path: "../wit",
        world: "rule-pack",
        pub_export_macro: true,
        export_macro_name: "__export_rule_pack",
        default_bindings_module: "qready_plugin_sdk::bindings",
    });
}

/// Bindings of the `connector` world. With the `rule-pack` feature on as well, which happens in
/// native test builds of a workspace, they reuse that world's `types` and `host` modules so that
/// one set of types serves both.
#[cfg(feature = "connector")]
#[doc(hidden)]
#[allow(
    clippy::too_many_arguments,
    reason = "generated code passes the fields of a record as separate arguments"
)]
pub mod connector_bindings {
    #[cfg(feature = "rule-pack")]
    wit_bindgen::generate!({
        path: "../wit",
        world: "connector",
        with: {
            "qready:plugin/types@0.1.2": crate::bindings::qready::plugin::types,
            "qready:plugin/host@0.1.2": crate::bindings::qready::plugin::host,
        },
        pub_export_macro: true,
        export_macro_name: "__export_connector",
        default_bindings_module: "qready_plugin_sdk::connector_bindings",
    });

    #[cfg(not(feature = "rule-pack"))]
    wit_bindgen::generate!({
        path: "../wit",
        world: "connector",
        pub_export_macro: true,
        export_macro_name: "__export_connector",
        default_bindings_module: "qready_plugin_sdk::connector_bindings",
    });
}

#[cfg(feature = "rule-pack")]
use bindings::qready::plugin::host as wit_host;
#[cfg(feature = "rule-pack")]
pub(crate) use bindings::qready::plugin::types as wit_types;
#[cfg(not(feature = "rule-pack"))]
use connector_bindings::qready::plugin::host as wit_host;
#[cfg(not(feature = "rule-pack"))]
pub(crate) use connector_bindings::qready::plugin::types as wit_types;

/// A rule pack: a set of rules checked against one app at a time.
#[cfg(feature = "rule-pack")]
///
/// The host creates the pack with [`Default`], calls [`Pack::configure`] once, then
/// [`Pack::check`] for each app. A pack must not carry state from one app to the next: the host
/// may run several instances of it side by side.
pub trait Pack: Default + 'static {
    /// Stable id of the pack, such as `qready-core`.
    const ID: &'static str;
    /// Version of the pack, as semver; usually `env!("CARGO_PKG_VERSION")`.
    const VERSION: &'static str;
    /// One-line description.
    const DESCRIPTION: &'static str = "";
    /// Every rule the pack can report. A finding for a rule missing here is rejected.
    const RULES: &'static [&'static Rule];

    /// Applies the run's configuration: read each rule's options with [`Config::options`].
    ///
    /// The default accepts no options at all, because a pack that declares none has nothing to
    /// apply.
    fn configure(&mut self, config: &Config) -> Result<(), PluginError> {
        config.check_option_rules(Self::RULES, &[])
    }

    /// Checks one app and reports what it finds into `findings`.
    fn check(&self, app: &App, findings: &mut Findings) -> Result<(), PluginError>;
}

/// Tells the host which rule runs from now on; [`Findings::run`] calls it.
#[cfg(feature = "rule-pack")]
pub(crate) fn enter_rule(index: u32) {
    #[cfg(target_arch = "wasm32")]
    wit_host::enter_rule(index);
    #[cfg(not(target_arch = "wasm32"))]
    native::host_request(native::request::ENTER_RULE, &index.to_le_bytes(), |_| ());
}

/// Writes a message to the host's log.
pub fn log(level: LogLevel, message: &str) {
    #[cfg(target_arch = "wasm32")]
    wit_host::log(level, message);
    #[cfg(all(feature = "rule-pack", not(target_arch = "wasm32")))]
    {
        let mut input = Vec::with_capacity(message.len() + 1);
        input.push(level as u8);
        input.extend_from_slice(message.as_bytes());
        native::host_request(native::request::LOG, &input, |_| ());
    }
    #[cfg(all(not(feature = "rule-pack"), not(target_arch = "wasm32")))]
    {
        let _ = (level, message);
    }
}
