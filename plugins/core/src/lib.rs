//! The `qready-core` pack: load-script statements and paths that Qlik Cloud rejects.
//!
//! Sources for the behaviour: Qlik's migration guide for load scripts
//! (<https://help.qlik.com/en-US/migration/Content/Global_Common/Migrate/migrate-load-scripts.htm>)
//! and the Qlik Cloud `CONNECT` reference.

use qready_plugin_sdk::{
    App, Findings, Pack, PathKind, PluginError, Rule, RuleFindings, Script, Severity, SourceRole,
    StatementKind,
};

const MIGRATION_GUIDE: &str =
    "https://help.qlik.com/en-US/migration/Content/Global_Common/Migrate/migrate-load-scripts.htm";

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

/// Roles whose value is a file or folder path.
const PATH_ROLES: &[SourceRole] = &[
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

/// The first-party script pack.
#[derive(Debug, Default)]
pub struct CorePack;

impl Pack for CorePack {
    const ID: &'static str = "qready-core";
    const VERSION: &'static str = env!("CARGO_PKG_VERSION");
    const DESCRIPTION: &'static str = "Load-script statements and paths that Qlik Cloud rejects";
    const RULES: &'static [&'static Rule] =
        &[&WINDOWS_FILE_PATH, &LEGACY_CONNECT, &EXECUTE_STATEMENT];

    fn check(&self, app: &App, findings: &mut Findings) -> Result<(), PluginError> {
        let Some(script) = &app.script else {
            return Ok(());
        };
        findings.run(&WINDOWS_FILE_PATH, |hits| windows_file_paths(script, hits))?;
        findings.run(&LEGACY_CONNECT, |hits| legacy_connects(script, hits))?;
        findings.run(&EXECUTE_STATEMENT, |hits| execute_statements(script, hits))
    }
}

fn windows_file_paths(script: &Script, hits: &mut RuleFindings<'_>) -> Result<(), PluginError> {
    for source in &script.sources {
        if !PATH_ROLES.contains(&source.role) {
            continue;
        }
        let form = match source.kind {
            PathKind::Drive => "drive-letter",
            PathKind::Unc => "UNC",
            PathKind::Relative => "relative",
            _ => continue,
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

fn legacy_connects(script: &Script, hits: &mut RuleFindings<'_>) -> Result<(), PluginError> {
    for statement in &script.statements {
        let keyword = match statement.kind {
            StatementKind::OdbcConnect => "ODBC CONNECT",
            StatementKind::OledbConnect => "OLEDB CONNECT",
            StatementKind::CustomConnect => "CUSTOM CONNECT",
            _ => continue,
        };
        hits.report(format!("{keyword} is not supported in Qlik Cloud; use LIB CONNECT TO"))
            .at(script, statement.keyword);
    }
    Ok(())
}

fn execute_statements(script: &Script, hits: &mut RuleFindings<'_>) -> Result<(), PluginError> {
    for statement in script.statements_of(StatementKind::Execute) {
        hits.report("EXECUTE is not supported in Qlik Cloud")
            .at(script, statement.keyword);
    }
    Ok(())
}

qready_plugin_sdk::register_pack!(CorePack);

#[cfg(test)]
mod tests {
    use qready_plugin_sdk::assert_findings;
    use qready_plugin_sdk::testing::{app_from_script, check, check_with};

    use super::*;

    #[test]
    fn windows_paths_flagged_in_every_role() {
        let app = app_from_script(concat!(
            "SET vRoot = '\\\\srv\\qvd';\n",
            "LOAD * FROM [C:\\Data\\a.qvd] (qvd);\n",
            "STORE T INTO [$(vRoot)\\t.qvd] (qvd);\n",
            "LOAD * FROM data\\b.csv (txt);\n",
            "LOAD * FROM [lib://DataFiles/ok.qvd] (qvd);\n",
        ));
        assert_findings!(check::<CorePack>(&app), [("QC101", 2), ("QC101", 3), ("QC101", 4)]);
    }

    #[test]
    fn connects_and_execute_flagged() {
        let app = app_from_script(
            "ODBC CONNECT TO DW;\nLIB CONNECT TO 'Space:DW';\nEXECUTE cmd.exe /C dir;\n",
        );
        assert_findings!(check::<CorePack>(&app), [("QC102", 1), ("QC103", 3)]);
    }

    #[test]
    fn disabled_rule_does_not_run() {
        let app = app_from_script("EXECUTE cmd.exe /C dir;\n");
        let findings = check_with::<CorePack>(&app, r#"{"enabled": ["QC101"]}"#).unwrap();
        assert!(findings.is_empty(), "{findings:?}");
    }

    #[test]
    fn options_rejected_for_rules_without_options() {
        let app = app_from_script("LOAD 1 AS x AUTOGENERATE 1;\n");
        let result = check_with::<CorePack>(&app, r#"{"options": {"QC101": {"x": 1}}}"#);
        assert!(result.is_err());
    }
}
