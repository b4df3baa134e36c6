//! SARIF 2.1.0 (OASIS Static Analysis Results Interchange Format) for code-scanning pipelines.
//!
//! One run; the driver lists every rule of the packs that ran, with the metadata the rule
//! declares. Each result carries its fingerprint under `partialFingerprints["qready/v1"]`, so
//! that a consumer tracks findings across line moves as the baseline does, and its app as a
//! logical location.

use serde_json::{Map, Value, json};

use super::app_name;
use crate::assess::{Assessment, RuleSummary};
use crate::finding::{Finding, Severity};

/// The `$schema` of the log: the OASIS SARIF 2.1.0 schema with errata 01.
pub const SARIF_SCHEMA_URI: &str =
    "https://docs.oasis-open.org/sarif/sarif/v2.1.0/errata01/os/schemas/sarif-schema-2.1.0.json";

/// Key of the fingerprint in each result's `partialFingerprints`.
const FINGERPRINT_KEY: &str = "qready/v1";

/// Renders the assessment as a SARIF 2.1.0 log, pretty-printed.
pub fn render_sarif(assessment: &Assessment) -> String {
    let rules: Vec<Value> = assessment.rules.iter().map(rule_descriptor).collect();
    let results: Vec<Value> = assessment
        .findings
        .iter()
        .map(|finding| result(assessment, finding))
        .collect();
    let log = json!({
        "$schema": SARIF_SCHEMA_URI,
        "version": "2.1.0",
        "runs": [{
            "tool": {
                "driver": {
                    "name": "qready",
                    "version": env!("CARGO_PKG_VERSION"),
                    "semanticVersion": env!("CARGO_PKG_VERSION"),
                    "rules": rules,
                }
            },
            "invocations": [invocation(assessment)],
            "results": results,
            "properties": {
                "apps": assessment.apps.len(),
                "effortMinutes": assessment.overview.effort_minutes,
            },
        }],
    });
    let mut out = serde_json::to_string_pretty(&log).expect("a SARIF log serializes to JSON");
    out.push('\n');
    out
}

fn level(severity: Severity) -> &'static str {
    match severity {
        Severity::Blocker => "error",
        Severity::Warning => "warning",
        Severity::Info => "note",
    }
}

fn rule_descriptor(rule: &RuleSummary) -> Value {
    let mut descriptor = json!({
        "id": rule.code,
        "name": rule.name,
        "shortDescription": { "text": rule.title },
        "fullDescription": { "text": rule.rationale, "markdown": rule.rationale },
        "help": { "text": rule.remediation, "markdown": rule.remediation },
        "defaultConfiguration": { "level": level(rule.severity) },
        "properties": {
            "pack": rule.pack,
            "category": rule.category,
            "effortMinutes": rule.effort_minutes,
            "tags": [rule.category],
        },
    });
    // helpUri must be an absolute URI; a rule without a reference has none.
    if rule.reference_url.contains("://") {
        descriptor["helpUri"] = json!(rule.reference_url);
    }
    descriptor
}

fn result(assessment: &Assessment, finding: &Finding) -> Value {
    let app = assessment.app(&finding.app_id);
    let mut location = Map::new();
    if let Some(place) = &finding.location {
        let mut physical = json!({
            "artifactLocation": { "uri": file_uri(&place.file) },
        });
        if place.line > 0 {
            let mut region = json!({ "startLine": place.line });
            if place.column > 0 {
                region["startColumn"] = json!(place.column);
            }
            if let Some(statement) = &finding.statement {
                region["snippet"] = json!({ "text": statement });
            }
            physical["region"] = region;
        }
        location.insert("physicalLocation".into(), physical);
    }
    location.insert(
        "logicalLocations".into(),
        json!([{
            "name": app_name(assessment, &finding.app_id),
            "fullyQualifiedName": finding.app_id,
            "kind": "module",
        }]),
    );
    let mut result = json!({
        "ruleId": finding.rule.code,
        "level": level(finding.severity),
        "message": { "text": finding.message },
        "locations": [Value::Object(location)],
        "partialFingerprints": { FINGERPRINT_KEY: finding.fingerprint },
        "properties": {
            "appId": finding.app_id,
            "appStatus": app.map(|a| a.status.as_str()),
            "pack": finding.pack,
        },
    });
    if let Some(index) = assessment
        .rules
        .iter()
        .position(|rule| rule.code == finding.rule.code)
    {
        result["ruleIndex"] = json!(index);
    }
    if let Some(fix) = &finding.remediation {
        result["properties"]["remediation"] = json!(fix);
    }
    if assessment.baseline.is_some() {
        // With a baseline, the listed findings are exactly those not in it.
        result["baselineState"] = json!("new");
    }
    result
}

fn invocation(assessment: &Assessment) -> Value {
    let mut notifications = Vec::new();
    for diagnostic in &assessment.diagnostics {
        let text = match &diagnostic.app_id {
            Some(app) => format!(
                "pack '{}' on app '{app}': {}",
                diagnostic.pack, diagnostic.message
            ),
            None => format!("pack '{}': {}", diagnostic.pack, diagnostic.message),
        };
        notifications.push(json!({ "level": "error", "message": { "text": text } }));
    }
    for problem in &assessment.problems {
        let mut physical = json!({
            "artifactLocation": { "uri": file_uri(&problem.path.display().to_string()) },
        });
        if let Some(line) = problem.line.filter(|&line| line > 0) {
            physical["region"] = json!({ "startLine": line });
        }
        notifications.push(json!({
            "level": "warning",
            "message": { "text": problem.message },
            "locations": [{ "physicalLocation": physical }],
        }));
    }
    json!({
        "executionSuccessful": true,
        "toolExecutionNotifications": notifications,
    })
}

/// Turns a file path into a URI reference: relative paths stay relative, absolute ones become
/// `file:` URIs. Every byte outside the RFC 3986 unreserved set and `/` is percent-encoded.
fn file_uri(path: &str) -> String {
    let path = path.replace('\\', "/");
    let bytes = path.as_bytes();
    let is_drive = bytes.len() >= 2 && bytes[0].is_ascii_alphabetic() && bytes[1] == b':';
    if is_drive {
        format!("file:///{}:{}", &path[..1], percent_encode(&path[2..]))
    } else if path.starts_with("//") {
        // A UNC path: the server is the authority.
        format!("file:{}", percent_encode(&path))
    } else if path.starts_with('/') {
        format!("file://{}", percent_encode(&path))
    } else {
        percent_encode(&path)
    }
}

fn percent_encode(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    for &byte in text.as_bytes() {
        if byte.is_ascii_alphanumeric() || b"-._~/".contains(&byte) {
            out.push(byte as char);
        } else {
            out.push_str(&format!("%{byte:02X}"));
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn relative_path_stays_relative() {
        assert_eq!(
            file_uri("estate/Données/a b.qvs"),
            "estate/Donn%C3%A9es/a%20b.qvs"
        );
    }

    #[test]
    fn absolute_paths_become_file_uris() {
        assert_eq!(file_uri("/tmp/x.qvs"), "file:///tmp/x.qvs");
        assert_eq!(file_uri(r"C:\Qlik\x.qvs"), "file:///C:/Qlik/x.qvs");
        assert_eq!(
            file_uri(r"\\server\share\x.qvs"),
            "file://server/share/x.qvs"
        );
    }

    #[test]
    fn colon_in_relative_path_is_encoded() {
        assert_eq!(file_uri("ab:c/d.qvs"), "ab%3Ac/d.qvs");
    }
}
