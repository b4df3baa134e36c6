//! Conversion of the host model into the WIT records a pack receives.

use super::wit_exports as wit;
use crate::model::{App, Product};

mod script_view {
    use super::wit;
    include!("../../../plugin-sdk/src/script_view.rs");
}

/// Builds the record one `check` call receives.
pub fn app(app: &App) -> wit::App {
    wit::App {
        id: app.id.clone(),
        name: app.name.clone(),
        product: match app.product {
            Product::QlikView => wit::Product::Qlikview,
            Product::QlikSense => wit::Product::QlikSense,
        },
        script: app.script.as_ref().map(script_view::script),
        connections: app
            .connections
            .iter()
            .map(|c| wit::DataConnection {
                id: c.id.clone(),
                name: c.name.clone(),
                connection_type: c.connection_type.clone(),
                connection_string: c.connection_string.clone(),
            })
            .collect(),
    }
}

/// Formats an error a pack returned.
pub fn plugin_error(error: &wit::PluginError) -> String {
    match error {
        wit::PluginError::InvalidConfig(message) => format!("rejected its options: {message}"),
        wit::PluginError::Unsupported(message) => format!("does not support this input: {message}"),
        wit::PluginError::Failed(message) => format!("returned an error: {message}"),
    }
}
