//! File paths that are not data connections, and the legacy script mode they need.

use qready_plugin_sdk::{
    PathKind, PluginError, Rule, RuleFindings, Script, Severity, SourceRole, StatementKind,
};

use super::MIGRATION_GUIDE;
use super::functions::NullOptions;

/// Flags file paths that are not library connections.
pub const WINDOWS_FILE_PATH: Rule = Rule {
    code: "QC101",
    name: "windows-file-path",
    title: "File path is a drive letter, UNC share or relative path",
    severity: Severity::Blocker,
    category: "script",
    rationale: "Qlik Cloud reads and writes files only through data connections (`lib://...`). \
                A drive letter, a UNC share or a path relative to the app folder makes the \
                statement fail at reload.",
    remediation: "Create a data connection in a Qlik Cloud space for the folder (or move the files \
                  to cloud storage) and rewrite the path as `lib://Connection/...`.",
    effort_minutes: 15,
    reference_url: MIGRATION_GUIDE,
    bad_example: "LOAD * FROM [\\\\fileserver\\qvd\\Sales.qvd] (qvd);",
    good_example: "LOAD * FROM [lib://Finance:QVD/Sales.qvd] (qvd);",
};

/// Summarizes, once per app, what only works in the legacy script mode of Qlik Sense.
pub const LEGACY_SCRIPT_MODE: Rule = Rule {
    code: "QC104",
    name: "legacy-script-mode",
    title: "Script depends on legacy script mode",
    severity: Severity::Warning,
    category: "script",
    rationale: "Qlik Sense client-managed runs scripts in standard mode unless an administrator \
                switched the engine to legacy mode. Legacy mode allows absolute and relative \
                paths, `EXECUTE` and functions that expose the file system; standard mode, like \
                Qlik Cloud, allows only `lib://` data connections. A script that needs legacy \
                mode fails in Qlik Cloud in every place the other rules list.",
    remediation: "Make the app reload in standard mode on the current site first: create folder \
                  data connections, rewrite the paths, and remove `EXECUTE` and the file-system \
                  functions. The rewritten app then moves to Qlik Cloud with only its \
                  connections to recreate.",
    effort_minutes: 30,
    reference_url: "https://help.qlik.com/en-US/sense/February2024/Subsystems/Hub/Content/Sense_Hub/LoadData/file-system-access-restriction.htm",
    bad_example: "DIRECTORY D:\\QlikData;\nLOAD * FROM Sales.qvd (qvd);",
    good_example: "LOAD * FROM [lib://QlikData/Sales.qvd] (qvd);",
};

/// Roles whose value is a file or folder path.
pub const PATH_ROLES: &[SourceRole] = &[
    SourceRole::LoadFrom,
    SourceRole::StoreInto,
    SourceRole::Binary,
    SourceRole::Include,
    SourceRole::MustInclude,
    SourceRole::Directory,
    SourceRole::FileFunction,
    SourceRole::FileList,
    SourceRole::DirList,
];

/// Names the form of a path that standard mode rejects, or `None` for any other path.
fn windows_form(kind: PathKind) -> Option<&'static str> {
    match kind {
        PathKind::Drive => Some("drive-letter"),
        PathKind::Unc => Some("UNC"),
        PathKind::Relative => Some("relative"),
        _ => None,
    }
}

pub fn windows_file_paths(script: &Script, hits: &mut RuleFindings<'_>) -> Result<(), PluginError> {
    for source in &script.sources {
        if !PATH_ROLES.contains(&source.role) {
            continue;
        }
        let Some(form) = windows_form(source.kind) else {
            continue;
        };
        let shown = match &source.resolved {
            Some(resolved) => format!("'{}' (resolves to '{resolved}')", source.path),
            None => format!("'{}'", source.path),
        };
        hits.report(format!("{form} path {shown} is not a data connection"))
            .at(script, source.span);
    }
    Ok(())
}

pub fn legacy_script_mode(
    script: &Script,
    null_options: &NullOptions,
    hits: &mut RuleFindings<'_>,
) -> Result<(), PluginError> {
    let paths: Vec<_> = script
        .sources
        .iter()
        .filter(|s| PATH_ROLES.contains(&s.role) && windows_form(s.kind).is_some())
        .map(|s| s.span)
        .collect();
    let executes: Vec<_> = script
        .statements_of(StatementKind::Execute)
        .map(|s| s.keyword)
        .collect();
    let functions: Vec<_> = script
        .functions
        .iter()
        .filter(|call| null_options.is_blocked(script.function_name(call)))
        .map(|call| call.span)
        .collect();
    let Some(first) = paths
        .iter()
        .chain(&executes)
        .chain(&functions)
        .min_by_key(|span| (span.file, span.start))
    else {
        return Ok(());
    };
    let mut parts = Vec::new();
    for (count, what) in [
        (paths.len(), "file paths that are not data connections"),
        (executes.len(), "EXECUTE statements"),
        (
            functions.len(),
            "uses of file-system functions or variables",
        ),
    ] {
        if count > 0 {
            parts.push(format!("{count} {what}"));
        }
    }
    hits.report(format!(
        "the script reloads only in legacy script mode: {}",
        parts.join(", ")
    ))
    .at(script, *first);
    Ok(())
}
