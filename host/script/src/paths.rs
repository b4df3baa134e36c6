//! Classification of paths and connection names.

use crate::{PathKind, SourceRole};

/// Classifies a path as written or after variable resolution.
///
/// `lib://Conn/…` and `lib://Space:Conn/…` are library paths; `C:\` and `d:/` drive paths;
/// `\\server\share` (or `//server/share`) UNC paths; `scheme://` URLs; `file://` paths count as
/// drive or UNC paths by what follows the scheme. A path still containing `$(` is classified by the
/// static text before it (see [`classify_static_prefix`]), and an
/// app ID (a GUID, as BINARY accepts in Qlik Cloud) is `Other`. Anything else is relative.
pub fn classify_path(path: &str) -> PathKind {
    let path = path.trim();
    if let Some(dollar) = crate::lex::expansion_starts(path).next() {
        return classify_static_prefix(&path[..dollar]);
    }
    if path.is_empty() || is_guid(path) {
        return PathKind::Other;
    }
    if let Some(rest) = strip_prefix_ignore_case(path, "lib://") {
        return lib_kind(rest);
    }
    if let Some(rest) = strip_prefix_ignore_case(path, "file://") {
        let rest = rest.trim_start_matches('/');
        return if has_drive(rest) {
            PathKind::Drive
        } else {
            PathKind::Unc
        };
    }
    if has_drive(path) {
        return PathKind::Drive;
    }
    if path.starts_with("\\\\") || path.starts_with("//") {
        return PathKind::Unc;
    }
    if has_scheme(path) {
        return PathKind::Url;
    }
    PathKind::Relative
}

/// Classifies a path that contains an unresolved `$(…)` by the static text before it.
///
/// The form of a path is fixed by its start: `\\server\share\GL_$(vDate).qvd` is a UNC path
/// whatever the variable holds. Only a path whose start is itself unknown is dynamic: one that
/// begins with the expansion, a library path whose connection name is not complete, or a single
/// letter or slash that could still become a drive letter or a UNC share.
fn classify_static_prefix(prefix: &str) -> PathKind {
    if prefix.is_empty() || prefix == "\\" || prefix == "/" || prefix == "\\\\" {
        return PathKind::Dynamic;
    }
    if let Some(rest) = strip_prefix_ignore_case(prefix, "lib://") {
        return if rest.contains(['/', '\\']) {
            lib_kind(rest)
        } else {
            PathKind::Dynamic
        };
    }
    let single_letter = prefix.len() == 1 && prefix.as_bytes()[0].is_ascii_alphabetic();
    if single_letter || strip_prefix_ignore_case(prefix, "file://").is_some() {
        return PathKind::Dynamic;
    }
    if has_drive(prefix) {
        return PathKind::Drive;
    }
    if prefix.starts_with("\\\\") || prefix.starts_with("//") {
        return PathKind::Unc;
    }
    if has_scheme(prefix) {
        return PathKind::Url;
    }
    PathKind::Relative
}

/// Classifies the path of a source reference by its role: table names are tables, connection
/// strings are library connections after LIB CONNECT and `Other` otherwise.
pub(crate) fn classify_for_role(role: SourceRole, path: &str, lib_connect: bool) -> PathKind {
    match role {
        SourceRole::SqlTable | SourceRole::Resident => PathKind::Table,
        SourceRole::ConnectString | SourceRole::Execute
            if crate::lex::expansion_starts(path).next().is_some() =>
        {
            PathKind::Dynamic
        }
        SourceRole::ConnectString if lib_connect => lib_kind(path.trim()),
        SourceRole::ConnectString | SourceRole::Execute => PathKind::Other,
        _ => classify_path(path),
    }
}

/// Splits `Space:Connection/rest` (the text after `lib://`, or a LIB CONNECT name) into the
/// space and connection names. A leading `:` means the current space.
fn lib_kind(rest: &str) -> PathKind {
    let connection_end = rest.find(['/', '\\']).unwrap_or(rest.len());
    let qualified = &rest[..connection_end];
    match qualified.split_once(':') {
        Some((space, connection)) => PathKind::Lib {
            space: Some(space.to_owned()),
            connection: connection.to_owned(),
        },
        None => PathKind::Lib {
            space: None,
            connection: qualified.to_owned(),
        },
    }
}

fn strip_prefix_ignore_case<'a>(text: &'a str, prefix: &str) -> Option<&'a str> {
    crate::split::starts_with_ignore_case(text, prefix).then(|| &text[prefix.len()..])
}

fn has_drive(path: &str) -> bool {
    let bytes = path.as_bytes();
    bytes.len() >= 2
        && bytes[0].is_ascii_alphabetic()
        && bytes[1] == b':'
        && (bytes.len() == 2 || bytes[2] == b'\\' || bytes[2] == b'/')
}

fn has_scheme(path: &str) -> bool {
    match path.find("://") {
        Some(colon) if colon > 0 => path[..colon]
            .bytes()
            .all(|b| b.is_ascii_alphanumeric() || b == b'+' || b == b'-' || b == b'.'),
        _ => false,
    }
}

fn is_guid(text: &str) -> bool {
    let groups: Vec<&str> = text.split('-').collect();
    let lengths = [8, 4, 4, 4, 12];
    groups.len() == 5
        && groups.iter().zip(lengths).all(|(group, length)| {
            group.len() == length && group.bytes().all(|b| b.is_ascii_hexdigit())
        })
}
