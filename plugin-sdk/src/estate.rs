//! Facts about an app and its estate beyond the script, which the host returns through its
//! `estate` interface.
//!
//! In a native pack library they ask the host through the native ABI; natively outside a host
//! call, under `cargo test`, they return what a test stored with [`crate::testing::set_estate`].

use crate::App;
#[cfg(not(target_arch = "wasm32"))]
use crate::native::{host_value, request};

pub use crate::bindings::qready::plugin::estate::{
    AppDetails, CustomProperty, DataFile, DocumentChain, ExtensionUse, FileAccess, IncludeOutcome,
    IncludeResult, Lineage, MacroModule, MashupUse, PublisherTask, QlikviewAlert, QlikviewFeatures,
    QlikviewObject, QlikviewTrigger, Reduction, ReloadTask, SecurityRule, SimilarApp, Sizes,
    StreamInfo, TriggerState, UpstreamTask, Usage,
};

/// Returns what the estate contains about an app, or `None` for an id not in the estate.
pub fn app_details(app_id: &str) -> Option<AppDetails> {
    #[cfg(target_arch = "wasm32")]
    return crate::bindings::qready::plugin::estate::describe_app(app_id);
    #[cfg(not(target_arch = "wasm32"))]
    return host_value(request::DESCRIBE_APP, app_id.as_bytes())
        .unwrap_or_else(|| crate::testing::stored(|estate| estate.details.get(app_id).cloned()));
}

/// Returns every security rule of the site.
pub fn security_rules() -> Vec<SecurityRule> {
    #[cfg(target_arch = "wasm32")]
    return crate::bindings::qready::plugin::estate::security_rules();
    #[cfg(not(target_arch = "wasm32"))]
    return host_value(request::SECURITY_RULES, &[])
        .unwrap_or_else(|| crate::testing::stored(|estate| estate.security_rules.clone()));
}

/// Returns the other apps with the same script or the same name.
pub fn similar_apps(app_id: &str) -> Vec<SimilarApp> {
    #[cfg(target_arch = "wasm32")]
    return crate::bindings::qready::plugin::estate::similar_apps(app_id);
    #[cfg(not(target_arch = "wasm32"))]
    return host_value(request::SIMILAR_APPS, app_id.as_bytes()).unwrap_or_else(|| {
        crate::testing::stored(|estate| estate.similar.get(app_id).cloned().unwrap_or_default())
    });
}

/// Returns the usage window in days, or `None` when the estate has no session logs.
pub fn usage_window() -> Option<u32> {
    #[cfg(target_arch = "wasm32")]
    return crate::bindings::qready::plugin::estate::usage_window();
    #[cfg(not(target_arch = "wasm32"))]
    return host_value(request::USAGE_WINDOW, &[])
        .unwrap_or_else(|| crate::testing::stored(|estate| estate.usage_window));
}

/// Returns the mashups that open an app. Added in WIT 0.1.2.
pub fn app_mashups(app_id: &str) -> Vec<MashupUse> {
    #[cfg(target_arch = "wasm32")]
    return crate::bindings::qready::plugin::estate::app_mashups(app_id);
    #[cfg(not(target_arch = "wasm32"))]
    return crate::testing::stored(|estate| {
        estate.mashups.get(app_id).cloned().unwrap_or_default()
    });
}

/// Returns the QlikView Publisher tasks whose source is the app. Added in WIT 0.1.2.
pub fn publisher_tasks(app_id: &str) -> Vec<PublisherTask> {
    #[cfg(target_arch = "wasm32")]
    return crate::bindings::qready::plugin::estate::publisher_tasks(app_id);
    #[cfg(not(target_arch = "wasm32"))]
    return crate::testing::stored(|estate| {
        estate
            .publisher_tasks
            .get(app_id)
            .cloned()
            .unwrap_or_default()
    });
}

impl App {
    /// Returns what the estate contains about this app beyond its script.
    pub fn details(&self) -> Option<AppDetails> {
        app_details(&self.id)
    }
}

impl AppDetails {
    /// Details of an app with nothing known but its id: the starting point of test estates.
    pub fn empty(id: &str) -> AppDetails {
        AppDetails {
            id: id.to_owned(),
            guid: None,
            source: String::new(),
            product_version: None,
            published: None,
            owner: None,
            has_section_access: false,
            stream: None,
            custom_properties: Vec::new(),
            tags: Vec::new(),
            extensions: Vec::new(),
            qlikview: None,
            tasks: Vec::new(),
            sizes: Sizes {
                file_bytes: None,
                static_bytes: None,
                peak_reload_bytes: None,
                reload_cpu_ms: None,
                location: None,
            },
            usage: None,
            lineage: Lineage {
                upstream_apps: Vec::new(),
                downstream_apps: Vec::new(),
            },
            data_files: Vec::new(),
            includes: Vec::new(),
        }
    }
}
