//! Baseline files: the fingerprints of accepted findings, so that a later run shows only new
//! ones.
//!
//! A baseline is JSON: `{"version": 1, "tool_version": ..., "findings": [{"fingerprint": ...,
//! "rule": ..., "app_id": ..., "file": ..., "message": ...}]}`. Only `fingerprint` is compared;
//! the other fields help a reader of the file.

use std::collections::HashSet;
use std::path::{Path, PathBuf};

use schemars::JsonSchema;
use serde::{Deserialize, Serialize};

use crate::assess::Assessment;
use crate::finding::Finding;

/// Version of the baseline file format.
pub const BASELINE_VERSION: u32 = 1;

/// A baseline file's content.
#[derive(Debug, Clone, Serialize, Deserialize)]
pub struct Baseline {
    pub version: u32,
    pub tool_version: String,
    pub findings: Vec<BaselineEntry>,
}

/// One accepted finding.
#[derive(Debug, Clone, Serialize, Deserialize)]
pub struct BaselineEntry {
    pub fingerprint: String,
    pub rule: String,
    pub app_id: String,
    pub file: Option<String>,
    pub message: String,
}

/// Counts of the findings a baseline hid in this run.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, JsonSchema)]
pub struct BaselineSummary {
    /// Path of the baseline file, as given.
    pub file: String,
    /// Findings in the baseline that are still there, hidden from the report.
    pub hidden: usize,
    /// Findings not in the baseline: the ones the report shows.
    pub new: usize,
    /// Baseline entries no longer found: fixed, or their statement changed.
    pub absent: usize,
}

/// Errors reading or writing a baseline file.
#[derive(Debug, thiserror::Error)]
pub enum BaselineError {
    #[error("failed to read baseline '{path}': {source}")]
    Read {
        path: PathBuf,
        source: std::io::Error,
    },
    #[error("invalid baseline '{path}': {source}")]
    Parse {
        path: PathBuf,
        source: serde_json::Error,
    },
    #[error(
        "baseline '{path}' has version {found}; this qready reads version {BASELINE_VERSION} \
         (write a new one with --write-baseline)"
    )]
    Version { path: PathBuf, found: u32 },
    #[error("failed to write baseline '{path}': {source}")]
    Write {
        path: PathBuf,
        source: std::io::Error,
    },
}

impl Baseline {
    /// Builds a baseline of every finding.
    pub fn of(findings: &[Finding]) -> Baseline {
        Baseline {
            version: BASELINE_VERSION,
            tool_version: env!("CARGO_PKG_VERSION").to_owned(),
            findings: findings
                .iter()
                .map(|finding| BaselineEntry {
                    fingerprint: finding.fingerprint.clone(),
                    rule: finding.rule.code.clone(),
                    app_id: finding.app_id.clone(),
                    file: finding.location.as_ref().map(|l| l.file.clone()),
                    message: finding.message.clone(),
                })
                .collect(),
        }
    }

    /// Reads and checks a baseline file.
    pub fn read(path: &Path) -> Result<Baseline, BaselineError> {
        let text = std::fs::read_to_string(path).map_err(|source| BaselineError::Read {
            path: path.to_owned(),
            source,
        })?;
        let baseline: Baseline =
            serde_json::from_str(&text).map_err(|source| BaselineError::Parse {
                path: path.to_owned(),
                source,
            })?;
        if baseline.version != BASELINE_VERSION {
            return Err(BaselineError::Version {
                path: path.to_owned(),
                found: baseline.version,
            });
        }
        Ok(baseline)
    }

    /// Writes the baseline as indented JSON.
    pub fn write(&self, path: &Path) -> Result<(), BaselineError> {
        let mut text = serde_json::to_string_pretty(self).expect("a baseline serializes to JSON");
        text.push('\n');
        std::fs::write(path, text).map_err(|source| BaselineError::Write {
            path: path.to_owned(),
            source,
        })
    }

    /// Removes the findings in this baseline from the assessment's list, and records how many
    /// were hidden in [`Assessment::baseline`]. App statuses, scores and counts still count
    /// every finding.
    pub fn apply(&self, assessment: &mut Assessment, file: &Path) {
        let accepted: HashSet<&str> = self
            .findings
            .iter()
            .map(|e| e.fingerprint.as_str())
            .collect();
        let current: HashSet<&str> = assessment
            .findings
            .iter()
            .map(|f| f.fingerprint.as_str())
            .collect();
        let absent = accepted.difference(&current).count();
        let before = assessment.findings.len();
        assessment
            .findings
            .retain(|finding| !accepted.contains(finding.fingerprint.as_str()));
        assessment.baseline = Some(BaselineSummary {
            file: file.display().to_string(),
            hidden: before - assessment.findings.len(),
            new: assessment.findings.len(),
            absent,
        });
    }
}
