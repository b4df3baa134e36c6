//! Functions and system variables whose value differs in Qlik Cloud.

use std::collections::HashSet;

use qready_plugin_sdk::{PluginError, Rule, RuleFindings, Script, Severity};
use serde::Deserialize;

use super::MIGRATION_GUIDE;

/// Flags functions and system variables that Qlik Cloud turns into NULL without an error.
pub const NULL_IN_CLOUD: Rule = Rule {
    code: "QC105",
    name: "null-in-cloud-function",
    title: "Function or system variable returns NULL in Qlik Cloud",
    severity: Severity::Blocker,
    category: "script",
    rationale: "Qlik Cloud does not support the system variables that expose the file system \
                (`QvPath`, `QvRoot`, `QvWorkPath`, `QvWorkRoot`, `WinPath`, `WinRoot`, `CD`, \
                `Floppy`) nor `DocumentPath()`, `GetFolderPath()` and `GetRegistryString()`. \
                An unsupported function or variable raises no error and writes nothing to the \
                log: it returns NULL, so the reload succeeds with wrong data.\n\n\
                Options: `extra` adds function or variable names to flag, `allow` removes names \
                from the list.",
    remediation: "Replace the value with a `lib://` path or a variable set in the script. Derive \
                  folders from the data connection instead of the server's file system.",
    effort_minutes: 20,
    reference_url: MIGRATION_GUIDE,
    bad_example: "LET vRoot = '$(QvWorkPath)\\..\\QVD\\';",
    good_example: "LET vRoot = 'lib://Finance:QVD/';",
};

/// Flags functions whose result depends on the machine or account that runs the reload.
pub const ENVIRONMENT_FUNCTION: Rule = Rule {
    code: "QC112",
    name: "environment-function",
    title: "Script depends on OSUser() or ComputerName()",
    severity: Severity::Warning,
    category: "script",
    rationale: "`OSUser()` returns the account that runs the reload and `ComputerName()` the \
                machine's name. In Qlik Sense client-managed a scheduled reload runs as the \
                service account on a known server, and scripts branch on those values. Qlik \
                Cloud reloads run on engines the tenant does not name, as the app or task \
                owner, so the branches take another path.\n\n\
                Option: `functions` replaces the list of functions to flag.",
    remediation: "Replace the branch with a variable that the script or the reload task sets, \
                  such as `SET vEnvironment = 'prod';`, or with `GetSysAttr()` values that \
                  Qlik Cloud documents.",
    effort_minutes: 20,
    reference_url: "https://help.qlik.com/en-US/sense/Subsystems/Hub/Content/Sense_Hub/Scripting/SystemFunctions/system-functions.htm",
    bad_example: "IF ComputerName() = 'QSPROD01' THEN\n  SET vPath = 'lib://Prod/';\nEND IF",
    good_example: "SET vPath = 'lib://Finance:Prod/';",
};

/// Functions and variables that return NULL in Qlik Cloud.
const NULL_FUNCTIONS: &[&str] = &[
    "QvPath",
    "QvRoot",
    "QvWorkPath",
    "QvWorkRoot",
    "WinPath",
    "WinRoot",
    "CD",
    "Floppy",
    "DocumentPath",
    "GetFolderPath",
    "GetRegistryString",
];

/// Options of [`NULL_IN_CLOUD`].
#[derive(Debug, Default, Deserialize)]
#[serde(deny_unknown_fields, rename_all = "kebab-case")]
pub struct NullOptions {
    /// Names to flag besides the built-in list.
    #[serde(default)]
    pub extra: Vec<String>,
    /// Names not to flag.
    #[serde(default)]
    pub allow: Vec<String>,
}

impl NullOptions {
    /// Whether a call of `name` returns NULL in Qlik Cloud.
    pub fn is_blocked(&self, name: &str) -> bool {
        let listed = NULL_FUNCTIONS
            .iter()
            .copied()
            .chain(self.extra.iter().map(String::as_str))
            .any(|f| f.eq_ignore_ascii_case(name));
        listed && !self.allow.iter().any(|f| f.eq_ignore_ascii_case(name))
    }
}

/// Options of [`ENVIRONMENT_FUNCTION`].
#[derive(Debug, Deserialize)]
#[serde(default, deny_unknown_fields, rename_all = "kebab-case")]
pub struct EnvironmentOptions {
    /// Functions to flag.
    pub functions: Vec<String>,
}

impl Default for EnvironmentOptions {
    fn default() -> Self {
        EnvironmentOptions {
            functions: vec!["OSUser".to_owned(), "ComputerName".to_owned()],
        }
    }
}

pub fn null_in_cloud(
    script: &Script,
    options: &NullOptions,
    hits: &mut RuleFindings<'_>,
) -> Result<(), PluginError> {
    let mut seen = HashSet::new();
    for call in &script.functions {
        // The parser can list a call twice, once in an expansion and once in its expression.
        if !seen.insert((call.span.file, call.span.start)) {
            continue;
        }
        let name = script.text(call.span);
        if options.is_blocked(script.function_name(call)) {
            hits.report(format!(
                "'{name}' returns NULL in Qlik Cloud, without an error"
            ))
            .at(script, call.span);
        }
    }
    Ok(())
}

pub fn environment_functions(
    script: &Script,
    options: &EnvironmentOptions,
    hits: &mut RuleFindings<'_>,
) -> Result<(), PluginError> {
    let mut seen = HashSet::new();
    for call in &script.functions {
        if !seen.insert((call.span.file, call.span.start)) {
            continue;
        }
        let name = script.function_name(call);
        if options
            .functions
            .iter()
            .any(|f| f.eq_ignore_ascii_case(name))
        {
            hits.report(format!(
                "{}() returns a different account or machine when Qlik Cloud reloads the app",
                script.text(call.span)
            ))
            .at(script, call.span);
        }
    }
    Ok(())
}
