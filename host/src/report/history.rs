//! Assessment history in an SQLite file: each run's findings by fingerprint and each app's
//! status, so that a later run reports what was fixed since the one before.
//!
//! Tables: `runs` (one row per run), `app_results` (status, score and effort of each app per
//! run) and `finding_results` (fingerprint, rule and place of each finding per run). The
//! schema version is kept in SQLite's `user_version`.

use std::collections::{BTreeMap, HashSet};
use std::path::{Path, PathBuf};

use rusqlite::{Connection, OptionalExtension, params};
use schemars::JsonSchema;
use serde::Serialize;

use crate::assess::{AppStatus, Assessment};

/// Version of the history database schema, stored in `PRAGMA user_version`.
const SCHEMA_VERSION: i64 = 1;

/// Maximum number of fixed findings listed one by one in a report. The counts cover them all.
const MAX_LISTED_FIXES: usize = 200;

const SCHEMA: &str = "
CREATE TABLE IF NOT EXISTS runs (
    id INTEGER PRIMARY KEY,
    recorded_at TEXT NOT NULL,
    tool_version TEXT NOT NULL,
    apps INTEGER NOT NULL,
    findings INTEGER NOT NULL,
    effort_minutes INTEGER NOT NULL
);
CREATE TABLE IF NOT EXISTS app_results (
    run_id INTEGER NOT NULL REFERENCES runs(id),
    app_id TEXT NOT NULL,
    name TEXT NOT NULL,
    status TEXT NOT NULL,
    score INTEGER NOT NULL,
    effort_minutes INTEGER NOT NULL,
    PRIMARY KEY (run_id, app_id)
);
CREATE TABLE IF NOT EXISTS finding_results (
    run_id INTEGER NOT NULL REFERENCES runs(id),
    fingerprint TEXT NOT NULL,
    app_id TEXT NOT NULL,
    rule TEXT NOT NULL,
    severity TEXT NOT NULL,
    message TEXT NOT NULL,
    file TEXT,
    line INTEGER,
    PRIMARY KEY (run_id, fingerprint)
);
";

/// Changes since the previous run in the history.
#[derive(Debug, Clone, Serialize, JsonSchema)]
pub struct HistorySummary {
    /// Path of the history file, as given.
    pub file: String,
    /// Id of this run in the history.
    pub run_id: i64,
    /// The run compared against; `None` on the first run.
    pub previous: Option<PreviousRun>,
    /// Findings of the previous run that are gone, in apps assessed in both runs.
    pub fixed: usize,
    /// Findings not in the previous run.
    pub new: usize,
    /// Findings in both runs.
    pub unchanged: usize,
    /// Findings of the previous run in apps that this run did not assess.
    pub not_assessed: usize,
    /// Per app with any change, by most fixed first.
    pub apps: Vec<AppProgress>,
    /// The fixed findings, at most 200; `fixed` counts them all.
    pub fixed_findings: Vec<FixedFinding>,
}

/// The run a comparison is made against.
#[derive(Debug, Clone, Serialize, JsonSchema)]
pub struct PreviousRun {
    pub run_id: i64,
    /// RFC 3339.
    pub recorded_at: String,
    pub tool_version: String,
    pub findings: usize,
    pub effort_minutes: u32,
}

/// Changes of one app since the previous run.
#[derive(Debug, Clone, Serialize, JsonSchema)]
pub struct AppProgress {
    pub app_id: String,
    pub name: String,
    pub fixed: usize,
    pub new: usize,
    /// Status in the previous run; `None` when the app was not assessed then.
    pub previous_status: Option<AppStatus>,
    pub status: AppStatus,
    pub previous_score: Option<u32>,
    pub score: u32,
}

/// A finding of the previous run that is gone.
#[derive(Debug, Clone, Serialize, JsonSchema)]
pub struct FixedFinding {
    pub fingerprint: String,
    pub app_id: String,
    pub rule: String,
    pub message: String,
    pub file: Option<String>,
    pub line: Option<u32>,
}

/// Errors using the history file.
#[derive(Debug, thiserror::Error)]
pub enum HistoryError {
    #[error("failed to open history '{path}': {source}")]
    Open {
        path: PathBuf,
        source: rusqlite::Error,
    },
    #[error(
        "history '{path}' has schema version {found}; this qready uses version {SCHEMA_VERSION} \
         (start a new history file)"
    )]
    Version { path: PathBuf, found: i64 },
    #[error("failed to query history '{path}': {source}")]
    Query {
        path: PathBuf,
        source: rusqlite::Error,
    },
}

/// An open history file.
pub struct History {
    connection: Connection,
    path: PathBuf,
}

/// A finding as the history stores it.
struct StoredFinding {
    fingerprint: String,
    app_id: String,
    rule: String,
    message: String,
    file: Option<String>,
    line: Option<u32>,
}

/// An app as the history stores it.
struct StoredApp {
    status: Option<AppStatus>,
    score: u32,
}

impl History {
    /// Opens the history file, creating it and its tables when missing.
    pub fn open(path: &Path) -> Result<History, HistoryError> {
        let open_error = |source| HistoryError::Open {
            path: path.to_owned(),
            source,
        };
        let connection = Connection::open(path).map_err(open_error)?;
        let found: i64 = connection
            .query_row("PRAGMA user_version", [], |row| row.get(0))
            .map_err(open_error)?;
        if found != 0 && found != SCHEMA_VERSION {
            return Err(HistoryError::Version {
                path: path.to_owned(),
                found,
            });
        }
        connection.execute_batch(SCHEMA).map_err(open_error)?;
        connection
            .pragma_update(None, "user_version", SCHEMA_VERSION)
            .map_err(open_error)?;
        Ok(History {
            connection,
            path: path.to_owned(),
        })
    }

    /// Compares the assessment with the latest recorded run, then records it as a new run.
    /// Compares every finding, whether or not a baseline hides it later.
    pub fn record(
        &mut self,
        assessment: &Assessment,
        recorded_at: &str,
    ) -> Result<HistorySummary, HistoryError> {
        let path = self.path.clone();
        let query_error = |source| HistoryError::Query {
            path: path.clone(),
            source,
        };
        let previous = self.latest_run().map_err(query_error)?;
        let mut summary = match &previous {
            Some(run) => {
                let findings = self.findings_of(run.run_id).map_err(query_error)?;
                let apps = self.apps_of(run.run_id).map_err(query_error)?;
                compare(assessment, &findings, &apps)
            }
            None => compare(assessment, &[], &BTreeMap::new()),
        };
        summary.previous = previous;
        summary.file = self.path.display().to_string();
        summary.run_id = self
            .insert_run(assessment, recorded_at)
            .map_err(query_error)?;
        Ok(summary)
    }

    fn latest_run(&self) -> rusqlite::Result<Option<PreviousRun>> {
        self.connection
            .query_row(
                "SELECT id, recorded_at, tool_version, findings, effort_minutes
                 FROM runs ORDER BY id DESC LIMIT 1",
                [],
                |row| {
                    Ok(PreviousRun {
                        run_id: row.get(0)?,
                        recorded_at: row.get(1)?,
                        tool_version: row.get(2)?,
                        findings: usize::try_from(row.get::<_, i64>(3)?).unwrap_or(0),
                        effort_minutes: row.get(4)?,
                    })
                },
            )
            .optional()
    }

    fn findings_of(&self, run_id: i64) -> rusqlite::Result<Vec<StoredFinding>> {
        let mut statement = self.connection.prepare(
            "SELECT fingerprint, app_id, rule, message, file, line
             FROM finding_results WHERE run_id = ?1 ORDER BY app_id, file, line",
        )?;
        let rows = statement.query_map([run_id], |row| {
            Ok(StoredFinding {
                fingerprint: row.get(0)?,
                app_id: row.get(1)?,
                rule: row.get(2)?,
                message: row.get(3)?,
                file: row.get(4)?,
                line: row.get(5)?,
            })
        })?;
        rows.collect()
    }

    fn apps_of(&self, run_id: i64) -> rusqlite::Result<BTreeMap<String, StoredApp>> {
        let mut statement = self
            .connection
            .prepare("SELECT app_id, status, score FROM app_results WHERE run_id = ?1")?;
        let rows = statement.query_map([run_id], |row| {
            let status: String = row.get(1)?;
            Ok((
                row.get::<_, String>(0)?,
                StoredApp {
                    status: parse_status(&status),
                    score: row.get(2)?,
                },
            ))
        })?;
        rows.collect()
    }

    fn insert_run(&mut self, assessment: &Assessment, recorded_at: &str) -> rusqlite::Result<i64> {
        let transaction = self.connection.transaction()?;
        transaction.execute(
            "INSERT INTO runs (recorded_at, tool_version, apps, findings, effort_minutes)
             VALUES (?1, ?2, ?3, ?4, ?5)",
            params![
                recorded_at,
                env!("CARGO_PKG_VERSION"),
                i64::try_from(assessment.apps.len()).unwrap_or(i64::MAX),
                i64::try_from(assessment.findings.len()).unwrap_or(i64::MAX),
                assessment.overview.effort_minutes,
            ],
        )?;
        let run_id = transaction.last_insert_rowid();
        {
            let mut insert_app = transaction.prepare(
                "INSERT INTO app_results (run_id, app_id, name, status, score, effort_minutes)
                 VALUES (?1, ?2, ?3, ?4, ?5, ?6)",
            )?;
            for app in &assessment.apps {
                insert_app.execute(params![
                    run_id,
                    app.id,
                    app.name,
                    app.status.as_str(),
                    app.score.value,
                    app.effort_minutes,
                ])?;
            }
            let mut insert_finding = transaction.prepare(
                "INSERT OR IGNORE INTO finding_results
                 (run_id, fingerprint, app_id, rule, severity, message, file, line)
                 VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8)",
            )?;
            for finding in &assessment.findings {
                insert_finding.execute(params![
                    run_id,
                    finding.fingerprint,
                    finding.app_id,
                    finding.rule.code,
                    finding.severity.as_str(),
                    finding.message,
                    finding.location.as_ref().map(|l| l.file.as_str()),
                    finding.location.as_ref().map(|l| l.line),
                ])?;
            }
        }
        transaction.commit()?;
        Ok(run_id)
    }
}

fn parse_status(text: &str) -> Option<AppStatus> {
    AppStatus::ALL
        .into_iter()
        .find(|status| status.as_str() == text)
}

/// Compares the assessment's findings with a previous run's.
fn compare(
    assessment: &Assessment,
    previous: &[StoredFinding],
    previous_apps: &BTreeMap<String, StoredApp>,
) -> HistorySummary {
    let assessed: HashSet<&str> = assessment.apps.iter().map(|a| a.id.as_str()).collect();
    let current: HashSet<&str> = assessment
        .findings
        .iter()
        .map(|f| f.fingerprint.as_str())
        .collect();
    let before: HashSet<&str> = previous.iter().map(|f| f.fingerprint.as_str()).collect();

    let mut per_app: BTreeMap<&str, (usize, usize)> = BTreeMap::new();
    let mut fixed_findings = Vec::new();
    let mut fixed = 0;
    let mut not_assessed = 0;
    for finding in previous {
        if current.contains(finding.fingerprint.as_str()) {
            continue;
        }
        if !assessed.contains(finding.app_id.as_str()) {
            not_assessed += 1;
            continue;
        }
        fixed += 1;
        per_app.entry(finding.app_id.as_str()).or_default().0 += 1;
        if fixed_findings.len() < MAX_LISTED_FIXES {
            fixed_findings.push(FixedFinding {
                fingerprint: finding.fingerprint.clone(),
                app_id: finding.app_id.clone(),
                rule: finding.rule.clone(),
                message: finding.message.clone(),
                file: finding.file.clone(),
                line: finding.line,
            });
        }
    }
    let mut new = 0;
    for finding in &assessment.findings {
        if !before.contains(finding.fingerprint.as_str()) {
            new += 1;
            per_app.entry(finding.app_id.as_str()).or_default().1 += 1;
        }
    }
    let mut apps: Vec<AppProgress> = assessment
        .apps
        .iter()
        .filter_map(|app| {
            let (fixed, new) = per_app.get(app.id.as_str()).copied().unwrap_or_default();
            let stored = previous_apps.get(&app.id);
            let previous_status = stored.and_then(|s| s.status);
            let status_changed = stored.is_some() && previous_status != Some(app.status);
            if fixed == 0 && new == 0 && !status_changed {
                return None;
            }
            Some(AppProgress {
                app_id: app.id.clone(),
                name: app.name.clone(),
                fixed,
                new,
                previous_status,
                status: app.status,
                previous_score: stored.map(|s| s.score),
                score: app.score.value,
            })
        })
        .collect();
    apps.sort_by(|a, b| b.fixed.cmp(&a.fixed).then_with(|| a.app_id.cmp(&b.app_id)));
    HistorySummary {
        file: String::new(),
        run_id: 0,
        previous: None,
        fixed,
        new,
        unchanged: assessment.findings.len() - new,
        not_assessed,
        apps,
        fixed_findings,
    }
}
