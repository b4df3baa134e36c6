//! The mapping file of `qready fix`: where paths, connections and users of the on-premises
//! estate live in Qlik Cloud.

use std::collections::BTreeMap;
use std::path::{Path, PathBuf};

use serde::Deserialize;
use toml::Spanned;

use crate::config::line_column;

/// Placeholder of a user pattern for the account name after the domain.
const USER_PLACEHOLDER: &str = "{user}";

/// Errors reading a mapping file or its user table.
#[derive(Debug, thiserror::Error)]
pub enum MappingError {
    #[error("failed to read mapping '{path}': {source}")]
    Read {
        path: PathBuf,
        source: std::io::Error,
    },
    #[error("invalid mapping '{path}' at line {line}, column {column}: {message}")]
    Invalid {
        path: PathBuf,
        line: usize,
        column: usize,
        message: String,
    },
}

/// Locations in Qlik Cloud of the on-premises estate's paths, connections and users.
#[derive(Debug, Clone, Default)]
pub struct Mapping {
    /// Path prefixes, longest first, so that the most specific prefix wins.
    pub paths: Vec<PathRule>,
    pub connections: Vec<ConnectionRule>,
    pub users: Option<UserMapping>,
}

/// A Windows path prefix and the `lib://` location that replaces it.
#[derive(Debug, Clone)]
pub struct PathRule {
    /// As written in the mapping file; `.` stands for every relative path.
    pub prefix: String,
    /// `lib://Connection/folder` or `lib://Space:Connection/folder`, without a trailing `/`.
    pub target: String,
}

/// An on-premises connection and the Qlik Cloud data connection that replaces it.
#[derive(Debug, Clone)]
pub struct ConnectionRule {
    pub matcher: ConnectionMatch,
    /// `Space:Name` or `Name`, as LIB CONNECT TO takes it.
    pub target: String,
}

#[derive(Debug, Clone)]
pub enum ConnectionMatch {
    /// An ODBC data source name: the connect string's first item, or its `DSN=` value.
    Dsn(String),
    /// `key=value` items that must all be in the connect string; keys and values compare
    /// without ASCII case.
    Properties(BTreeMap<String, String>),
}

/// Rules that turn section access user ids in `DOMAIN\user` form into identity provider values.
#[derive(Debug, Clone)]
pub struct UserMapping {
    /// `USER.EMAIL` or `USERID`: the field that contains the new values.
    pub field: String,
    /// Exact ids from the lookup table, upper case, with their new values.
    pub table: BTreeMap<String, String>,
    pub patterns: Vec<UserPattern>,
}

/// `DOMAIN\{user}` to, for example, `{user}@example.com`.
#[derive(Debug, Clone)]
pub struct UserPattern {
    /// The text before `{user}`, such as `CORP\`.
    pub domain_prefix: String,
    pub to: String,
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields, rename_all = "kebab-case")]
struct RawMapping {
    #[serde(default)]
    path: Vec<RawPath>,
    #[serde(default)]
    connection: Vec<RawConnection>,
    users: Option<RawUsers>,
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields, rename_all = "kebab-case")]
struct RawPath {
    prefix: Spanned<String>,
    to: Spanned<String>,
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields, rename_all = "kebab-case")]
struct RawConnection {
    dsn: Option<Spanned<String>>,
    properties: Option<Spanned<BTreeMap<String, String>>>,
    to: Spanned<String>,
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields, rename_all = "kebab-case")]
struct RawUsers {
    field: Spanned<String>,
    table: Option<Spanned<PathBuf>>,
    #[serde(default)]
    pattern: Vec<RawPattern>,
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields, rename_all = "kebab-case")]
struct RawPattern {
    from: Spanned<String>,
    to: Spanned<String>,
}

impl Mapping {
    /// Reads and validates a mapping file; a user table it names is read relative to it.
    pub fn load(path: &Path) -> Result<Mapping, MappingError> {
        let text = std::fs::read_to_string(path).map_err(|source| MappingError::Read {
            path: path.to_owned(),
            source,
        })?;
        let base = path.parent().unwrap_or(Path::new(""));
        Mapping::parse(path, &text, base)
    }

    /// Parses mapping text; `path` names the file in errors and `base` resolves a user table.
    pub fn parse(path: &Path, text: &str, base: &Path) -> Result<Mapping, MappingError> {
        let invalid = |offset: usize, message: String| {
            let (line, column) = line_column(text, offset);
            MappingError::Invalid {
                path: path.to_owned(),
                line,
                column,
                message,
            }
        };
        let raw: RawMapping = toml::from_str(text).map_err(|error| {
            let offset = error.span().map_or(0, |span| span.start);
            invalid(offset, error.message().trim().to_owned())
        })?;

        let mut paths = Vec::with_capacity(raw.path.len());
        for rule in raw.path {
            let prefix = rule.prefix.get_ref().trim().to_owned();
            check_prefix(&prefix).map_err(|m| invalid(rule.prefix.span().start, m))?;
            let target = rule.to.get_ref().trim().trim_end_matches('/').to_owned();
            check_lib_target(&target).map_err(|m| invalid(rule.to.span().start, m))?;
            paths.push(PathRule { prefix, target });
        }
        // `.` matches every relative path, so it comes after every real prefix.
        paths.sort_by_key(|rule| std::cmp::Reverse(prefix_weight(&rule.prefix)));

        let mut connections = Vec::with_capacity(raw.connection.len());
        for rule in raw.connection {
            let matcher = match (rule.dsn, rule.properties) {
                (Some(dsn), None) if !dsn.get_ref().trim().is_empty() => {
                    ConnectionMatch::Dsn(dsn.get_ref().trim().to_owned())
                }
                (None, Some(properties)) if !properties.get_ref().is_empty() => {
                    ConnectionMatch::Properties(properties.into_inner())
                }
                _ => {
                    let message = "a [[connection]] needs either a non-empty 'dsn' or a non-empty 'properties' table".to_owned();
                    return Err(invalid(rule.to.span().start, message));
                }
            };
            let target = rule.to.get_ref().trim().to_owned();
            check_connection_target(&target).map_err(|m| invalid(rule.to.span().start, m))?;
            connections.push(ConnectionRule { matcher, target });
        }

        let users = match raw.users {
            Some(users) => Some(user_mapping(users, base, &invalid)?),
            None => None,
        };
        Ok(Mapping {
            paths,
            connections,
            users,
        })
    }

    /// Maps a Windows path, or the static start of one, to its `lib://` location. Returns None
    /// when no prefix matches at a folder boundary.
    pub fn map_path(&self, path: &str) -> Option<String> {
        let relative = is_relative(path);
        for rule in &self.paths {
            let rest = if rule.prefix == "." {
                // A path above the working folder is not below any one connection.
                let rest = strip_current_dir(path);
                if !relative || rest.starts_with("..") {
                    continue;
                }
                Some(rest)
            } else {
                strip_path_prefix(path, &rule.prefix)
            };
            let Some(rest) = rest else { continue };
            let rest = rest.replace('\\', "/");
            let rest = rest.trim_start_matches('/');
            let ends_in_separator = path.ends_with(['\\', '/']);
            let mut mapped = rule.target.clone();
            if !rest.is_empty() {
                mapped.push('/');
                mapped.push_str(rest);
            } else if ends_in_separator {
                mapped.push('/');
            }
            return Some(mapped);
        }
        None
    }

    /// Returns the Qlik Cloud connection for an ODBC, OLE DB or custom connect string.
    pub fn map_connection(&self, connect_string: &str) -> Option<&str> {
        let items = connect_items(connect_string);
        self.connections
            .iter()
            .find(|rule| match &rule.matcher {
                ConnectionMatch::Dsn(dsn) => {
                    connect_dsn(&items).is_some_and(|d| d.eq_ignore_ascii_case(dsn))
                }
                ConnectionMatch::Properties(wanted) => wanted.iter().all(|(key, value)| {
                    items.iter().any(|(k, v)| {
                        k.as_deref()
                            .is_some_and(|k| k.eq_ignore_ascii_case(key.trim()))
                            && v.eq_ignore_ascii_case(value.trim())
                    })
                }),
            })
            .map(|rule| rule.target.as_str())
    }
}

impl UserMapping {
    /// Returns the new value for a `DOMAIN\user` id: the lookup table first, then the patterns.
    pub fn map_user(&self, id: &str) -> Option<String> {
        if let Some(value) = self.table.get(&id.to_uppercase()) {
            return Some(value.clone());
        }
        self.patterns.iter().find_map(|pattern| {
            let user = strip_prefix_ignore_case(id, &pattern.domain_prefix)?;
            let valid = !user.is_empty() && !user.contains(['\\', '/']);
            valid.then(|| pattern.to.replace(USER_PLACEHOLDER, user))
        })
    }
}

fn user_mapping(
    users: RawUsers,
    base: &Path,
    invalid: &dyn Fn(usize, String) -> MappingError,
) -> Result<UserMapping, MappingError> {
    let field = users.field.get_ref().trim().to_ascii_uppercase();
    if field != "USER.EMAIL" && field != "USERID" {
        let message = format!("field '{field}' is not USER.EMAIL or USERID");
        return Err(invalid(users.field.span().start, message));
    }
    let mut patterns = Vec::with_capacity(users.pattern.len());
    for pattern in users.pattern {
        let from = pattern.from.get_ref();
        let domain_prefix = from
            .strip_suffix(USER_PLACEHOLDER)
            .filter(|domain| domain.ends_with('\\') && domain.len() > 1)
            .ok_or_else(|| {
                let message = format!("pattern '{from}' is not of the form 'DOMAIN\\{{user}}'");
                invalid(pattern.from.span().start, message)
            })?;
        let to = pattern.to.get_ref().trim().to_owned();
        if !to.contains(USER_PLACEHOLDER) || to.contains('\\') {
            let message = format!("'{to}' needs '{{user}}' and no backslash");
            return Err(invalid(pattern.to.span().start, message));
        }
        patterns.push(UserPattern {
            domain_prefix: domain_prefix.to_owned(),
            to,
        });
    }
    let table = match users.table {
        Some(table) => read_user_table(&base.join(table.get_ref()))?,
        None => BTreeMap::new(),
    };
    Ok(UserMapping {
        field,
        table,
        patterns,
    })
}

/// Reads a user lookup table: CSV with the header `user,value` and one id per row.
fn read_user_table(path: &Path) -> Result<BTreeMap<String, String>, MappingError> {
    let invalid = |line: u64, message: String| MappingError::Invalid {
        path: path.to_owned(),
        line: line as usize,
        column: 1,
        message,
    };
    let file = std::fs::File::open(path).map_err(|source| MappingError::Read {
        path: path.to_owned(),
        source,
    })?;
    let mut reader = csv::ReaderBuilder::new()
        .trim(csv::Trim::All)
        .from_reader(file);
    let header = reader
        .headers()
        .map_err(|error| invalid(1, error.to_string()))?
        .clone();
    let columns: Vec<&str> = header.iter().collect();
    if columns != ["user", "value"] {
        return Err(invalid(
            1,
            format!(
                "the header is '{}', expected 'user,value'",
                columns.join(",")
            ),
        ));
    }
    let mut table = BTreeMap::new();
    for record in reader.records() {
        let record = record.map_err(|error| {
            let line = error.position().map_or(0, |p| p.line());
            invalid(line, error.to_string())
        })?;
        let line = record.position().map_or(0, |p| p.line());
        let (Some(user), Some(value)) = (record.get(0), record.get(1)) else {
            return Err(invalid(line, "a row needs a user and a value".to_owned()));
        };
        if !user.contains('\\') || value.is_empty() {
            let message = format!("user '{user}' is not DOMAIN\\user or its value is empty");
            return Err(invalid(line, message));
        }
        table.insert(user.to_uppercase(), value.to_owned());
    }
    Ok(table)
}

fn check_prefix(prefix: &str) -> Result<(), String> {
    if prefix.is_empty() {
        return Err("a path prefix is empty; use '.' for every relative path".to_owned());
    }
    if prefix.contains("$(") {
        return Err(format!("path prefix '{prefix}' contains a '$(' expansion"));
    }
    match qready_script::classify_path(prefix) {
        qready_script::PathKind::Drive
        | qready_script::PathKind::Unc
        | qready_script::PathKind::Relative => Ok(()),
        _ => Err(format!(
            "path prefix '{prefix}' is not a drive, UNC or relative Windows path"
        )),
    }
}

fn check_lib_target(target: &str) -> Result<(), String> {
    let connection = strip_prefix_ignore_case(target, "lib://")
        .map(|rest| rest.split('/').next().unwrap_or(""))
        .unwrap_or("");
    let name = connection.rsplit(':').next().unwrap_or("");
    if name.is_empty() || target.contains(['\\', '[', ']']) || target.contains("$(") {
        return Err(format!(
            "target '{target}' is not 'lib://Connection/folder' or 'lib://Space:Connection/folder'"
        ));
    }
    Ok(())
}

fn check_connection_target(target: &str) -> Result<(), String> {
    let name = target.rsplit(':').next().unwrap_or("");
    let invalid_char = target.contains(['\'', '/', '\\', '[', ']', ';']);
    if name.is_empty() || invalid_char || target.matches(':').count() > 1 {
        return Err(format!(
            "connection '{target}' is not 'Name' or 'Space:Name' without quotes, slashes or ';'"
        ));
    }
    Ok(())
}

/// Sorts prefixes by length, `.` last.
fn prefix_weight(prefix: &str) -> usize {
    if prefix == "." {
        0
    } else {
        prefix.chars().count() + 1
    }
}

fn is_relative(path: &str) -> bool {
    qready_script::classify_path(path) == qready_script::PathKind::Relative
}

fn strip_current_dir(path: &str) -> &str {
    let mut rest = path;
    while let Some(stripped) = rest.strip_prefix(".\\").or_else(|| rest.strip_prefix("./")) {
        rest = stripped;
    }
    rest
}

/// Strips a Windows path prefix compared the way Windows compares paths: without case and with
/// `\` and `/` alike. The prefix must end at a folder boundary of `path`. Returns what follows.
fn strip_path_prefix<'a>(path: &'a str, prefix: &str) -> Option<&'a str> {
    let path_rel = strip_current_dir(path);
    let prefix = strip_current_dir(prefix.trim_end_matches(['\\', '/']));
    let mut path_chars = path_rel.char_indices();
    for expected in prefix.chars() {
        let (_, actual) = path_chars.next()?;
        if !same_path_char(expected, actual) {
            return None;
        }
    }
    let rest_start = path_chars.next().map_or(path_rel.len(), |(at, _)| at);
    let rest = &path_rel[rest_start..];
    // The remaining text must start a new folder or file name.
    let boundary = rest.is_empty() || rest.starts_with(['\\', '/']) || prefix.ends_with(':');
    boundary.then_some(rest)
}

fn same_path_char(a: char, b: char) -> bool {
    let separator = |c: char| c == '\\' || c == '/';
    (separator(a) && separator(b)) || a == b || a.to_lowercase().eq(b.to_lowercase())
}

fn strip_prefix_ignore_case<'a>(text: &'a str, prefix: &str) -> Option<&'a str> {
    let head = text.get(..prefix.len())?;
    head.eq_ignore_ascii_case(prefix)
        .then(|| &text[prefix.len()..])
}

/// Splits a connect string into `key=value` items; an item without `=` has no key.
fn connect_items(connect_string: &str) -> Vec<(Option<String>, String)> {
    connect_string
        .split(';')
        .filter(|item| !item.trim().is_empty())
        .map(|item| match item.split_once('=') {
            Some((key, value)) => (Some(key.trim().to_owned()), value.trim().to_owned()),
            None => (None, item.trim().to_owned()),
        })
        .collect()
}

/// Returns the data source name of an ODBC connect string: `DSN=name`, else a first item
/// without `=`.
fn connect_dsn(items: &[(Option<String>, String)]) -> Option<&str> {
    let named = items.iter().find_map(|(key, value)| {
        key.as_deref()
            .is_some_and(|k| k.eq_ignore_ascii_case("dsn"))
            .then_some(value.as_str())
    });
    named.or_else(|| match items.first() {
        Some((None, value)) => Some(value.as_str()),
        _ => None,
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    fn parse(text: &str) -> Result<Mapping, MappingError> {
        Mapping::parse(Path::new("map.toml"), text, Path::new("."))
    }

    const MAPPING: &str = r#"
[[path]]
prefix = '\\fs01\QlikData'
to = "lib://Sales:QlikData"

[[path]]
prefix = '\\fs01\QlikData\QVD'
to = "lib://Sales:QVD/"

[[path]]
prefix = 'D:\'
to = "lib://Drive D"

[[path]]
prefix = '.'
to = "lib://DataFiles/app"

[[connection]]
dsn = "SalesDW"
to = "Sales:SalesDW"

[[connection]]
properties = { "Data Source" = "SQLFIN02", "Initial Catalog" = "Finance" }
to = "Finance:GL"

[users]
field = "user.email"
[[users.pattern]]
from = 'CORP\{user}'
to = "{user}@corp.example.com"
"#;

    #[test]
    fn longest_prefix_wins() {
        let mapping = parse(MAPPING).unwrap();
        assert_eq!(
            mapping
                .map_path(r"\\FS01\qlikdata\qvd\Orders.qvd")
                .as_deref(),
            Some("lib://Sales:QVD/Orders.qvd")
        );
        assert_eq!(
            mapping
                .map_path(r"\\fs01\QlikData\Excel\a b.xlsx")
                .as_deref(),
            Some("lib://Sales:QlikData/Excel/a b.xlsx")
        );
        assert_eq!(mapping.map_path(r"\\fs01\QlikDataOld\x.qvd"), None);
    }

    #[test]
    fn drive_and_relative_paths() {
        let mapping = parse(MAPPING).unwrap();
        assert_eq!(
            mapping.map_path(r"d:\Excel\C.xlsx").as_deref(),
            Some("lib://Drive D/Excel/C.xlsx")
        );
        assert_eq!(
            mapping.map_path(r".\Budget\B.csv").as_deref(),
            Some("lib://DataFiles/app/Budget/B.csv")
        );
        assert_eq!(mapping.map_path(r"..\Données\Stock\"), None);
        assert_eq!(mapping.map_path(r"C:\Other\x.qvd"), None);
    }

    #[test]
    fn connections_by_dsn_and_properties() {
        let mapping = parse(MAPPING).unwrap();
        assert_eq!(
            mapping.map_connection("salesdw;DBQ=X"),
            Some("Sales:SalesDW")
        );
        assert_eq!(
            mapping.map_connection("DSN=SalesDW;UID=a"),
            Some("Sales:SalesDW")
        );
        let oledb = "Provider=SQLOLEDB.1;Initial Catalog=finance;Data Source=SQLFIN02";
        assert_eq!(mapping.map_connection(oledb), Some("Finance:GL"));
        assert_eq!(
            mapping.map_connection("Provider=SQLOLEDB.1;Data Source=SQLFIN02"),
            None
        );
    }

    #[test]
    fn users_by_pattern() {
        let users = parse(MAPPING).unwrap().users.unwrap();
        assert_eq!(users.field, "USER.EMAIL");
        assert_eq!(
            users.map_user(r"corp\jdoe").as_deref(),
            Some("jdoe@corp.example.com")
        );
        assert_eq!(users.map_user(r"OTHER\jdoe"), None);
    }

    #[test]
    fn invalid_target_names_line() {
        let text = "[[path]]\nprefix = 'C:\\Data'\nto = 'C:\\Cloud'\n";
        let message = parse(text).unwrap_err().to_string();
        assert!(message.contains("map.toml' at line 3"), "{message}");
    }

    #[test]
    fn unknown_key_names_line() {
        let text = "[[connection]]\ndsn = 'A'\nto = 'S:A'\nuser = 'x'\n";
        let message = parse(text).unwrap_err().to_string();
        assert!(message.contains("line 4"), "{message}");
    }

    #[test]
    fn lib_prefix_is_rejected() {
        let text = "[[path]]\nprefix = 'lib://A'\nto = 'lib://B'\n";
        let message = parse(text).unwrap_err().to_string();
        assert!(message.contains("line 2"), "{message}");
    }

    #[test]
    fn user_table_errors_name_its_line() {
        let dir = tempfile::tempdir().unwrap();
        std::fs::write(
            dir.path().join("users.csv"),
            "user,value\nCORP\\a,a@x.com\nnobody,\n",
        )
        .unwrap();
        let text = "[users]\nfield = 'USERID'\ntable = 'users.csv'\n";
        let error = Mapping::parse(Path::new("map.toml"), text, dir.path()).unwrap_err();
        let message = error.to_string();
        assert!(message.contains("users.csv' at line 3"), "{message}");
    }
}
