//! Findings and engine diagnostics, as the host keeps them after a pack returns.

use schemars::JsonSchema;
use serde::{Deserialize, Serialize};

use crate::runtime::wit_exports;

/// Impact of a finding on a move to Qlik Cloud.
#[derive(
    Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize, JsonSchema,
)]
#[serde(rename_all = "lowercase")]
pub enum Severity {
    Info,
    Warning,
    Blocker,
}

impl Severity {
    /// Lower-case name, as written in reports.
    pub fn as_str(self) -> &'static str {
        match self {
            Severity::Info => "info",
            Severity::Warning => "warning",
            Severity::Blocker => "blocker",
        }
    }
}

impl From<wit_exports::Severity> for Severity {
    fn from(severity: wit_exports::Severity) -> Self {
        match severity {
            wit_exports::Severity::Info => Severity::Info,
            wit_exports::Severity::Warning => Severity::Warning,
            wit_exports::Severity::Blocker => Severity::Blocker,
        }
    }
}

/// A rule's code and name.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, JsonSchema)]
pub struct PackRule {
    pub code: String,
    pub name: String,
}

/// Where a finding points.
#[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord, Serialize, JsonSchema)]
pub struct Location {
    pub file: String,
    pub line: u32,
    pub column: u32,
}

/// One rule hit at one location of one app.
#[derive(Debug, Clone, Serialize, JsonSchema)]
pub struct Finding {
    pub app_id: String,
    pub pack: String,
    pub rule: PackRule,
    pub severity: Severity,
    pub message: String,
    pub location: Option<Location>,
    pub remediation: Option<String>,
    /// Text of the script statement at the location, whitespace collapsed, credentials masked;
    /// the trimmed line when no statement covers it. The assessment fills it in.
    pub statement: Option<String>,
    /// Hash of the rule code, app id, file and statement text, stable when lines move; see
    /// `docs/reports.md`. The assessment fills it in.
    pub fingerprint: String,
}

/// A pack that failed: a trap, a time-out, a limit hit or an error it returned.
#[derive(Debug, Clone, Serialize, JsonSchema)]
pub struct EngineDiagnostic {
    pub pack: String,
    /// The app being checked, when the failure happened during a check.
    pub app_id: Option<String>,
    pub message: String,
    /// Whether the pack could not be loaded at all, so none of its rules ran.
    pub not_loaded: bool,
}

impl EngineDiagnostic {
    pub fn new(pack: &str, app_id: Option<&str>, message: impl Into<String>) -> Self {
        EngineDiagnostic {
            pack: pack.to_owned(),
            app_id: app_id.map(str::to_owned),
            message: message.into(),
            not_loaded: false,
        }
    }

    /// Creates the diagnostic of a pack or connector plugin that failed to load.
    pub fn not_loaded(pack: &str, message: impl Into<String>) -> Self {
        EngineDiagnostic {
            not_loaded: true,
            ..EngineDiagnostic::new(pack, None, message)
        }
    }
}

/// Replaces control characters other than tab with their `\u{..}` escape, so that one-line text
/// a pack returns (a message, a file name) cannot move the cursor, recolour or retitle a terminal
/// that shows it, nor start a line that looks like another finding.
pub fn escape_controls(text: String) -> String {
    escape_where(text, |c| c.is_control() && c != '\t')
}

/// Same as [`escape_controls`], keeping line feeds, for multi-line Markdown such as a
/// remediation.
pub fn escape_controls_keep_lines(text: String) -> String {
    escape_where(text, |c| c.is_control() && c != '\t' && c != '\n')
}

fn escape_where(text: String, unsafe_char: impl Fn(char) -> bool) -> String {
    if !text.chars().any(&unsafe_char) {
        return text;
    }
    text.chars()
        .map(|c| {
            if unsafe_char(c) {
                c.escape_unicode().to_string()
            } else {
                c.to_string()
            }
        })
        .collect()
}

#[cfg(test)]
mod tests {
    use super::{escape_controls, escape_controls_keep_lines};

    #[test]
    fn escape_sequences_are_escaped() {
        let text = "path '\u{1b}]0;owned\u{7}C:\\x' \r";
        assert_eq!(
            escape_controls(text.to_owned()),
            "path '\\u{1b}]0;owned\\u{7}C:\\x' \\u{d}"
        );
    }

    #[test]
    fn plain_text_is_unchanged() {
        let text = "one\ttwo, Données";
        assert_eq!(escape_controls(text.to_owned()), text);
    }

    #[test]
    fn line_feed_cannot_forge_a_line() {
        let text = "x\n./other.qvs:1:1: blocker QC999 forged";
        assert_eq!(
            escape_controls(text.to_owned()),
            "x\\u{a}./other.qvs:1:1: blocker QC999 forged"
        );
        let markdown = "Step one.\nStep two.";
        assert_eq!(escape_controls_keep_lines(markdown.to_owned()), markdown);
    }
}
