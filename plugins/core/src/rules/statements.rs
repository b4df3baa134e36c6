//! Statements that Qlik Cloud rejects, or accepts only in one form.

use qready_plugin_sdk::{
    PathKind, PluginError, Rule, RuleFindings, Script, Severity, SourceRole, StatementKind,
};

use super::MIGRATION_GUIDE;

const BINARY_REFERENCE: &str = "https://help.qlik.com/en-US/cloud-services/Subsystems/Hub/Content/Sense_Hub/Scripting/ScriptRegularStatements/Binary.htm";

/// Flags `ODBC CONNECT`, `OLEDB CONNECT` and `CUSTOM CONNECT`.
pub const LEGACY_CONNECT: Rule = Rule {
    code: "QC102",
    name: "legacy-connect-statement",
    title: "ODBC, OLEDB or CUSTOM CONNECT statement",
    severity: Severity::Blocker,
    category: "script",
    rationale: "Qlik Cloud supports only `LIB CONNECT TO` a named data connection. `ODBC CONNECT \
                TO`, `OLEDB CONNECT TO` and `CUSTOM CONNECT TO` make the reload fail.",
    remediation: "Create the data connection in Qlik Cloud (a native connector, or Qlik Data \
                  Gateway - Direct Access for sources behind the firewall) and replace the \
                  statement with `LIB CONNECT TO 'Space:Connection';`.",
    effort_minutes: 30,
    reference_url: "https://help.qlik.com/en-US/cloud-services/Subsystems/Hub/Content/Sense_Hub/Scripting/ScriptRegularStatements/CONNECT.htm",
    bad_example: "ODBC CONNECT TO [SalesDW;DBQ=SALES];",
    good_example: "LIB CONNECT TO 'Finance:SalesDW';",
};

/// Flags `EXECUTE`.
pub const EXECUTE_STATEMENT: Rule = Rule {
    code: "QC103",
    name: "execute-statement",
    title: "EXECUTE runs a program on the reload server",
    severity: Severity::Blocker,
    category: "script",
    rationale: "Qlik Cloud does not run external programs during a reload, so `EXECUTE` fails. \
                Whatever the program prepared (files, extracts) is missing too.",
    remediation: "Move the work the program does out of the script: into an automation, a data \
                  pipeline or a scheduled job that writes to cloud storage the app then reads.",
    effort_minutes: 120,
    reference_url: MIGRATION_GUIDE,
    bad_example: "EXECUTE cmd.exe /C copy D:\\Export\\*.csv D:\\Data\\;",
    good_example: "// The copy runs in an automation before the reload.",
};

/// Flags a `BINARY` that is not the first statement, and every `BINARY` after the first.
pub const BINARY_PLACEMENT: Rule = Rule {
    code: "QC106",
    name: "binary-placement",
    title: "BINARY is not the first statement, or appears more than once",
    severity: Severity::Blocker,
    category: "script",
    rationale: "Qlik Cloud allows one `BINARY` statement per script, and it must be the first \
                statement, before any `SET`. An included file or a tab that runs earlier counts: \
                the reload fails.",
    remediation: "Keep a single `BINARY` and move it to the top of the first tab, before the \
                  `SET` statements of the number and date formats.",
    effort_minutes: 10,
    reference_url: BINARY_REFERENCE,
    bad_example: "SET ThousandSep=',';\nBINARY [lib://Apps/Sales.qvw];",
    good_example: "BINARY [lib://Apps/Sales.qvw];\nSET ThousandSep=',';",
};

/// Flags `BINARY` loads of a file, which in Qlik Cloud become loads of an app by id.
pub const BINARY_SOURCE: Rule = Rule {
    code: "QC107",
    name: "binary-source",
    title: "BINARY loads another app from a file",
    severity: Severity::Warning,
    category: "script",
    rationale: "In Qlik Cloud, `BINARY` loads an app of the tenant by its id, or a `.qvw`/`.qvf` \
                file on a file-share or cloud-storage data connection. App files cannot be \
                uploaded to a space's DataFiles, so a `BINARY` of a file path needs its source \
                app migrated first and the statement rewritten. The two apps then move \
                together, source first.",
    remediation: "Migrate the source app first, then write `BINARY [app-id];` with its Qlik Cloud \
                  id; or keep the `.qvw` on a cloud-storage connection and point the path \
                  there.",
    effort_minutes: 30,
    reference_url: BINARY_REFERENCE,
    bad_example: "BINARY [lib://QlikApps/Sales Model.qvf];",
    good_example: "BINARY [5136e455-2c59-4a5b-9c2d-8a1bd4a1e0f3];",
};

pub fn legacy_connects(script: &Script, hits: &mut RuleFindings<'_>) -> Result<(), PluginError> {
    for statement in &script.statements {
        let keyword = match statement.kind {
            StatementKind::OdbcConnect => "ODBC CONNECT",
            StatementKind::OledbConnect => "OLEDB CONNECT",
            StatementKind::CustomConnect => "CUSTOM CONNECT",
            _ => continue,
        };
        hits.report(format!(
            "{keyword} is not supported in Qlik Cloud; use LIB CONNECT TO"
        ))
        .at(script, statement.keyword);
    }
    Ok(())
}

pub fn execute_statements(script: &Script, hits: &mut RuleFindings<'_>) -> Result<(), PluginError> {
    for statement in script.statements_of(StatementKind::Execute) {
        hits.report("EXECUTE is not supported in Qlik Cloud")
            .at(script, statement.keyword);
    }
    Ok(())
}

/// Statements that may stand before a `BINARY`: comments and statements made only of `$(...)`
/// expansions are not statements the engine runs first.
fn may_precede_binary(kind: StatementKind) -> bool {
    matches!(kind, StatementKind::Rem)
}

pub fn binary_placement(script: &Script, hits: &mut RuleFindings<'_>) -> Result<(), PluginError> {
    let mut seen_binary = false;
    let mut seen_other = false;
    for statement in &script.statements {
        if statement.kind != StatementKind::Binary {
            seen_other |= !may_precede_binary(statement.kind);
            continue;
        }
        if seen_binary {
            hits.report("a second BINARY statement; Qlik Cloud allows only one")
                .at(script, statement.keyword);
        } else if seen_other {
            hits.report("BINARY must be the first statement of the script")
                .at(script, statement.keyword);
        }
        seen_binary = true;
    }
    Ok(())
}

/// Whether `text` has the shape of an app id (8-4-4-4-12 hex digits).
fn is_app_id(text: &str) -> bool {
    let groups: Vec<&str> = text.trim().split('-').collect();
    groups.len() == 5
        && groups.iter().zip([8, 4, 4, 4, 12]).all(|(group, length)| {
            group.len() == length && group.bytes().all(|b| b.is_ascii_hexdigit())
        })
}

pub fn binary_source(script: &Script, hits: &mut RuleFindings<'_>) -> Result<(), PluginError> {
    for source in &script.sources {
        if source.role != SourceRole::Binary {
            continue;
        }
        let path = source.effective_path();
        if path.trim().is_empty() || is_app_id(path) {
            continue;
        }
        let advice = match source.kind {
            PathKind::Dynamic => "its value is known only at reload; make it the source app's id",
            _ => "migrate that app first and load it by its Qlik Cloud app id",
        };
        hits.report(format!("BINARY loads the file '{path}'; {advice}"))
            .at(script, source.span);
    }
    Ok(())
}
