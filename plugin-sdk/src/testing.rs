//! A native test kit: run a pack's rules under plain `cargo test`, without WebAssembly.
//!
//! Scripts are parsed by the same parser the host uses, so statements, data source references
//! and positions are what the pack receives at run time.
//!
//! ```ignore
//! use qready_plugin_sdk::testing::{app_from_script, check};
//!
//! let app = app_from_script("EXECUTE cmd.exe /C dir;\n");
//! let findings = check::<AcmePack>(&app);
//! qready_plugin_sdk::assert_findings!(findings, [("ACME001", 1)]);
//! ```

#[cfg(feature = "rule-pack")]
use std::cell::RefCell;
#[cfg(feature = "rule-pack")]
use std::collections::HashMap;
use std::path::Path;

use crate::{App, DataConnection, Finding, Product};
#[cfg(feature = "rule-pack")]
use crate::{Config, Pack, PluginError};

#[allow(
    dead_code,
    unused_imports,
    reason = "shared with the host, which uses every part of it"
)]
mod script_view {
    use crate::wit_types as wit;
    include!("script_view.rs");
}

/// The data the `estate` host functions return in native tests.
#[cfg(feature = "rule-pack")]
#[derive(Debug, Default, Clone)]
pub struct TestEstate {
    /// Details by app id.
    pub details: HashMap<String, crate::estate::AppDetails>,
    /// The site's security rules.
    pub security_rules: Vec<crate::estate::SecurityRule>,
    /// Similar apps by app id.
    pub similar: HashMap<String, Vec<crate::estate::SimilarApp>>,
    /// The usage window in days.
    pub usage_window: Option<u32>,
    /// Mashups that open each app, by app id.
    pub mashups: HashMap<String, Vec<crate::estate::MashupUse>>,
    /// QlikView Publisher tasks, by app id.
    pub publisher_tasks: HashMap<String, Vec<crate::estate::PublisherTask>>,
}

#[cfg(feature = "rule-pack")]
thread_local! {
    static ESTATE: RefCell<TestEstate> = RefCell::new(TestEstate::default());
}

/// Makes the `estate` functions of this thread return data from `estate` until the next call.
#[cfg(feature = "rule-pack")]
pub fn set_estate(estate: TestEstate) {
    ESTATE.with(|stored| *stored.borrow_mut() = estate);
}

#[cfg(feature = "rule-pack")]
pub(crate) fn stored<T>(read: impl FnOnce(&TestEstate) -> T) -> T {
    ESTATE.with(|stored| read(&stored.borrow()))
}

/// Builds an app from script text, as the host would from a file named `script.qvs`.
pub fn app_from_script(text: &str) -> App {
    let options = qready_script::load::LoadOptions::default();
    let loaded =
        qready_script::load::load_text(Path::new("script.qvs"), text.as_bytes(), None, &options);
    app_from_loaded(&loaded, "script.qvs")
}

/// Builds an app from a script file, reading it and its includes as the host would.
pub fn app_from_file(path: &Path) -> std::io::Result<App> {
    let options = qready_script::load::LoadOptions::default();
    let loaded = qready_script::load::load_script(path, &options)
        .map_err(|e| std::io::Error::other(e.to_string()))?;
    Ok(app_from_loaded(&loaded, &path.display().to_string()))
}

fn app_from_loaded(loaded: &qready_script::load::LoadedScript, id: &str) -> App {
    App {
        id: id.to_owned(),
        name: id.to_owned(),
        product: Product::QlikSense,
        script: Some(script_view::script(loaded)),
        connections: Vec::<DataConnection>::new(),
    }
}

/// Runs pack `P` with its default configuration on `app`; panics on a pack error.
#[cfg(feature = "rule-pack")]
pub fn check<P: Pack>(app: &App) -> Vec<Finding> {
    check_with::<P>(app, "{}").unwrap_or_else(|e| panic!("pack {} failed: {e:?}", P::ID))
}

/// Runs pack `P` with a configuration in the JSON the host sends (`enabled`, `options`).
#[cfg(feature = "rule-pack")]
pub fn check_with<P: Pack>(app: &App, config: &str) -> Result<Vec<Finding>, PluginError> {
    let config = Config::parse(config)?;
    let mut pack = P::default();
    pack.configure(&config)?;
    let enabled = config.enabled_codes().cloned().map(std::rc::Rc::new);
    crate::__private::run_check(&pack, enabled, app)
}

/// Returns `(code, line)` of each finding, sorted, for comparisons that ignore order.
pub fn codes_and_lines(findings: &[Finding]) -> Vec<(String, u32)> {
    let mut pairs: Vec<(String, u32)> = findings
        .iter()
        .map(|f| (f.code.clone(), f.location.as_ref().map_or(0, |l| l.line)))
        .collect();
    pairs.sort();
    pairs
}

/// Returns the `(code, line)` pairs that a fixture expects, sorted.
///
/// A line expects a finding of `CODE` when a comment on it contains `expect: CODE`; several codes
/// may follow, separated by commas or spaces, up to the first word that is not a rule code.
pub fn expectations(text: &str) -> Vec<(String, u32)> {
    let mut expected = Vec::new();
    for (index, line) in text.lines().enumerate() {
        let Some(at) = line.find("expect:") else {
            continue;
        };
        let codes = line[at + "expect:".len()..]
            .split(|c: char| c == ',' || c.is_whitespace())
            .filter(|token| !token.is_empty())
            .take_while(|token| is_rule_code(token));
        for code in codes {
            expected.push((code.to_owned(), index as u32 + 1));
        }
    }
    expected.sort();
    expected
}

/// Whether `token` looks like a rule code: capital letters, then digits, such as `QC101`.
fn is_rule_code(token: &str) -> bool {
    let letters = token.bytes().take_while(u8::is_ascii_uppercase).count();
    let digits = &token[letters..];
    letters > 0 && !digits.is_empty() && digits.bytes().all(|b| b.is_ascii_digit())
}

/// Asserts that `findings` are exactly the `(code, line)` pairs given, in any order.
#[macro_export]
macro_rules! assert_findings {
    ($findings:expr, [$(($code:expr, $line:expr)),* $(,)?]) => {{
        let actual = $crate::testing::codes_and_lines(&$findings);
        let mut expected: ::std::vec::Vec<(::std::string::String, u32)> =
            ::std::vec![$(($code.to_string(), $line)),*];
        expected.sort();
        assert_eq!(actual, expected, "findings (code, line) differ");
    }};
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn expectations_read_comment_annotations() {
        let text =
            "LOAD 1;\nSTORE T INTO x.qvd; // expect: QC101\n/* expect: A1, B2 */ EXECUTE x;\n";
        assert_eq!(
            expectations(text),
            [
                ("A1".to_owned(), 3),
                ("B2".to_owned(), 3),
                ("QC101".to_owned(), 2)
            ]
        );
    }
}
