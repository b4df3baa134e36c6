//! Acme's site rules: checks that only make sense for one customer's estate.
//!
//! Acme is retiring the file server `fs-qlik01` before the move to Qlik Cloud, so every script
//! that still reads or writes there needs a new home for its files, whatever the rest of the
//! migration decides.

use qready_plugin_sdk::{App, Findings, Pack, PluginError, Rule, Severity};

/// Servers that are being switched off, in lower case.
const RETIRED_SERVERS: &[&str] = &["fs-qlik01"];

const RETIRED_FILE_SERVER: Rule = Rule {
    code: "ACME001",
    name: "retired-file-server",
    title: "Path on a file server that is being retired",
    severity: Severity::Warning,
    category: "script",
    rationale: "The server is switched off before the migration; files left there are lost.",
    remediation: "Move the files to the `Acme:Shared` space's DataFiles and read them from there.",
    effort_minutes: 20,
    reference_url: "https://intranet.acme.example/qlik/retired-servers",
    bad_example: "STORE Orders INTO [\\\\fs-qlik01\\QlikData\\QVD\\Orders.qvd] (qvd);",
    good_example: "STORE Orders INTO [lib://Acme:Shared/QVD/Orders.qvd] (qvd);",
    ..Rule::DEFAULT
};

#[derive(Default)]
struct AcmeSiteRules;

impl Pack for AcmeSiteRules {
    const ID: &'static str = "acme-site-rules";
    const VERSION: &'static str = env!("CARGO_PKG_VERSION");
    const DESCRIPTION: &'static str = "Acme's checks for its own estate";
    const RULES: &'static [&'static Rule] = &[&RETIRED_FILE_SERVER];

    fn check(&self, app: &App, findings: &mut Findings) -> Result<(), PluginError> {
        let Some(script) = &app.script else {
            return Ok(());
        };
        findings.run(&RETIRED_FILE_SERVER, |hits| {
            for source in &script.sources {
                let path = source.effective_path().to_ascii_lowercase();
                let Some(server) = RETIRED_SERVERS
                    .iter()
                    .find(|server| path.starts_with(&format!("\\\\{server}\\")))
                else {
                    continue;
                };
                hits.report(format!(
                    "'{}' is on {server}, which is being retired",
                    source.effective_path()
                ))
                .at(script, source.span);
            }
            Ok(())
        })
    }
}

qready_plugin_sdk::register_pack!(AcmeSiteRules);
