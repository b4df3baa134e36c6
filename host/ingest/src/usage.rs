//! Usage from session and audit logs: Qlik Sense engine session logs, QlikView Server session
//! logs and QlikView Server audit logs. All three are tab-separated text with a header row, and
//! are recognized by the columns of that row.
//!
//! NOTE: no public sample of these logs was available. The column names follow the documented
//! log fields and are not checked against real files: `AppId`, `AppTitle`,
//! `ActiveUserDirectory`, `ActiveUserId` and `Session Start` for Qlik Sense, and `Document`,
//! `Authenticated user`, `QlikView User`, `Session Start` and `Timestamp` for QlikView.

use std::path::Path;

use chrono::{DateTime, NaiveDateTime, Utc};
use qready_model::{InputFormat, InputProblem, Provenance, is_guid};

use crate::collected::{AppKey, Collected, Session};
use crate::text;

/// Largest log file read, in bytes.
const MAX_LOG_BYTES: u64 = 1024 * 1024 * 1024;

/// Kind of usage log.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum LogKind {
    /// A Qlik Sense engine session log.
    SenseEngineSession,
    /// A QlikView Server session log.
    ServerSession,
    /// A QlikView Server audit log.
    ServerAudit,
}

/// Recognizes a usage log by its header row.
pub fn detect(first_line: &str) -> Option<LogKind> {
    let columns: Vec<String> = first_line
        .split('\t')
        .map(|c| c.trim().to_ascii_lowercase())
        .collect();
    let has = |name: &str| columns.iter().any(|c| c == name);
    if has("appid") && (has("activeuserid") || has("userid")) {
        return Some(LogKind::SenseEngineSession);
    }
    if has("document") && has("session start") {
        return Some(LogKind::ServerSession);
    }
    if has("document") && has("user") && has("timestamp") && has("type") {
        return Some(LogKind::ServerAudit);
    }
    None
}

/// Positions of the columns a usage log is read from.
struct Columns {
    app: Option<usize>,
    title: Option<usize>,
    directory: Option<usize>,
    user: Option<usize>,
    start: Option<usize>,
}

impl Columns {
    fn new(header: &str) -> Columns {
        let names: Vec<String> = header
            .split('\t')
            .map(|c| c.trim().to_ascii_lowercase())
            .collect();
        let index = |candidates: &[&str]| {
            candidates
                .iter()
                .find_map(|candidate| names.iter().position(|name| name == candidate))
        };
        Columns {
            app: index(&["appid", "document"]),
            title: index(&["apptitle"]),
            directory: index(&["activeuserdirectory", "userdirectory"]),
            user: index(&[
                "activeuserid",
                "userid",
                "authenticated user",
                "qlikview user",
                "identifying user",
                "user",
            ]),
            start: index(&["session start", "timestamp"]),
        }
    }
}

/// Reads the sessions of a usage log.
pub fn read(path: &Path, kind: LogKind, ansi: &'static encoding_rs::Encoding, out: &mut Collected) {
    let bytes = match text::read_limited(path, MAX_LOG_BYTES) {
        Ok(bytes) => bytes,
        Err(problem) => return out.problems.push(problem),
    };
    let (log, _) = text::decode(&bytes, ansi);
    let mut lines = log.lines().enumerate();
    let Some((_, header)) = lines.next() else {
        return;
    };
    let columns = Columns::new(header);
    let format = match kind {
        LogKind::SenseEngineSession => InputFormat::QlikSenseSessionLog,
        LogKind::ServerSession => InputFormat::QlikViewSessionLog,
        LogKind::ServerAudit => InputFormat::QlikViewAuditLog,
    };

    let mut skipped = 0u32;
    let mut first_skipped = None;
    // An audit log has one row per action, so a user's actions on a document on one day count
    // as one session.
    let mut audit_days = std::collections::HashSet::new();
    for (number, line) in lines {
        if line.trim().is_empty() {
            continue;
        }
        let line_number = number as u32 + 1;
        let Some(session) = session(line, &columns, Provenance::at(path, format, line_number, 1))
        else {
            skipped += 1;
            first_skipped.get_or_insert(line_number);
            continue;
        };
        let day = (
            session.user.clone(),
            session.app.clone(),
            session.start.date_naive(),
        );
        if kind == LogKind::ServerAudit && !audit_days.insert(day) {
            continue;
        }
        out.sessions.push(session);
    }

    if let Some(line) = first_skipped {
        out.problems.push(InputProblem::at(
            path,
            line,
            1,
            format!("{skipped} log rows lack an app, a user or a readable start time; they were not counted"),
        ));
    }
}

/// Reads one row of a usage log, or None when it lacks an app, a user or a start time.
fn session(line: &str, columns: &Columns, provenance: Provenance) -> Option<Session> {
    let cells: Vec<&str> = line.split('\t').collect();
    let cell = |column: Option<usize>| {
        column
            .and_then(|c| cells.get(c))
            .map(|v| v.trim())
            .filter(|v| !v.is_empty())
    };
    let app = cell(columns.app)?;
    let user = cell(columns.user)?;
    let start = parse_time(cell(columns.start)?)?;
    let user = match cell(columns.directory) {
        Some(directory) => format!("{directory}\\{user}"),
        None => user.to_owned(),
    };
    let app = if is_guid(app) {
        AppKey {
            guid: Some(app.to_lowercase()),
            name: cell(columns.title).map(str::to_owned),
        }
    } else {
        AppKey {
            guid: None,
            name: Some(app.to_owned()),
        }
    };
    Some(Session {
        app,
        user: user.to_lowercase(),
        start,
        provenance,
    })
}

/// Parses the time formats of Qlik logs: `20201222T104356.114+0000`, RFC 3339, and
/// `2020-12-22 10:43:56` (taken as UTC).
pub fn parse_time(value: &str) -> Option<DateTime<Utc>> {
    let value = value.trim();
    if let Ok(time) = DateTime::parse_from_rfc3339(value) {
        return Some(time.with_timezone(&Utc));
    }
    for format in ["%Y%m%dT%H%M%S%.f%z", "%Y%m%dT%H%M%S%z"] {
        if let Ok(time) = DateTime::parse_from_str(value, format) {
            return Some(time.with_timezone(&Utc));
        }
    }
    for format in [
        "%Y-%m-%d %H:%M:%S%.f",
        "%Y-%m-%d %H:%M:%S",
        "%Y-%m-%dT%H:%M:%S%.f",
        "%Y%m%dT%H%M%S%.f",
    ] {
        if let Ok(time) = NaiveDateTime::parse_from_str(value, format) {
            return Some(time.and_utc());
        }
    }
    None
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn qlik_sense_compact_time_is_parsed() {
        let time = parse_time("20201222T104356.114+0000").unwrap();
        assert_eq!(time.to_rfc3339(), "2020-12-22T10:43:56.114+00:00");
    }

    #[test]
    fn headers_select_the_log_kind() {
        let sense = "Sequence#\tTimestamp\tActiveUserDirectory\tActiveUserId\tAppId\tAppTitle\tSession Start";
        assert_eq!(detect(sense), Some(LogKind::SenseEngineSession));
        let view = "Exe Type\tTimestamp\tDocument\tQlikView User\tSession Start\tSession Duration";
        assert_eq!(detect(view), Some(LogKind::ServerSession));
        assert_eq!(detect("a\tb\tc"), None);
    }
}
