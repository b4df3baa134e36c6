//! Include directives whose file is missing.

use std::collections::{HashMap, HashSet};

use qready_plugin_sdk::estate::IncludeOutcome;
use qready_plugin_sdk::{App, PluginError, Rule, RuleFindings, Script, Severity};

/// Flags `$(Include=...)` of a file that the estate does not hold.
pub const INCLUDE_MISSING_FILE: Rule = Rule {
    code: "QC108",
    name: "include-missing-file",
    title: "$(Include) names a file that does not exist",
    severity: Severity::Warning,
    category: "script",
    rationale: "`$(Include=file)` skips a missing file without an error, unlike \
                `$(Must_Include=file)`. The statements the app's authors meant to run are \
                already missing on the current site, and the app reloads with whatever the file \
                would have set or loaded left out. Moving to Qlik Cloud is the time to find out \
                whether the file still matters.",
    remediation: "Find the file, or remove the directive when nobody needs it. For files that \
                  must be there, write `$(Must_Include=lib://Connection/file.qvs)` so that a \
                  missing file fails the reload.",
    effort_minutes: 15,
    reference_url: "https://help.qlik.com/en-US/sense/Subsystems/Hub/Content/Sense_Hub/Scripting/SystemVariables/system-variables.htm",
    bad_example: "$(Include=..\\Common\\Connections.qvs);",
    good_example: "$(Must_Include=lib://Finance:Scripts/Connections.qvs);",
};

pub fn missing_includes(
    app: &App,
    script: &Script,
    hits: &mut RuleFindings<'_>,
) -> Result<(), PluginError> {
    let Some(details) = app.details() else {
        return Ok(());
    };
    // Scripts such as those of the Qlik Deployment Framework look for one file in several
    // folders on purpose, so includes of the same file name are judged together: one that was
    // read makes the others harmless, and a file found nowhere is reported once. Grouping by
    // name first keeps this linear in the includes.
    let plain: Vec<_> = details.includes.iter().filter(|i| !i.must).collect();
    let mut by_name: HashMap<String, (usize, bool)> = HashMap::new();
    for include in &plain {
        let entry = by_name.entry(file_name(&include.path)).or_default();
        entry.0 += 1;
        entry.1 |= include.outcome == IncludeOutcome::Read;
    }
    let mut reported: HashSet<String> = HashSet::new();
    for include in &plain {
        if include.outcome != IncludeOutcome::NotFound {
            continue;
        }
        let name = file_name(&include.path);
        let (paths, read) = by_name[&name];
        if read || !reported.insert(name) {
            continue;
        }
        let message = match paths {
            1 => format!(
                "$(Include) of '{}' finds no file and is skipped without an error",
                include.path
            ),
            n => format!(
                "$(Include) of '{}' and {} other paths to the same file find no file and are \
                 skipped without an error",
                include.path,
                n - 1
            ),
        };
        hits.report(message).at(script, include.span);
    }
    Ok(())
}

/// Returns the lower-case file name of an include path.
fn file_name(path: &str) -> String {
    path.rsplit(['\\', '/'])
        .next()
        .unwrap_or(path)
        .to_lowercase()
}
