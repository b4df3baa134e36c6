//! The `qready-security` pack: section access that will not match users in Qlik Cloud.
//!
//! The rules read the tables a script loads between `SECTION ACCESS` and `SECTION APPLICATION`:
//! the field names of each `LOAD` or `SELECT`, and the rows of `LOAD ... INLINE` tables. Tables
//! loaded from files or databases are checked by their field names only, since their rows are
//! not in the script.

mod section;

use qready_plugin_sdk::{App, Findings, Pack, PluginError, Rule, Severity};

const SECTION_ACCESS_CLOUD: &str = "https://help.qlik.com/en-US/cloud-services/Subsystems/Hub/Content/Sense_Hub/Scripting/Security/manage-security-with-section-access.htm";

/// Flags section access fields that only Windows authentication or QlikView fill in.
pub const WINDOWS_FIELD: Rule = Rule {
    code: "QC201",
    name: "section-access-windows-field",
    title: "Section access uses NTNAME, NTSID, NTDOMAINSID, SERIAL or PASSWORD",
    severity: Severity::Blocker,
    category: "security",
    rationale: "QlikView matches `NTNAME`, `NTSID` and `NTDOMAINSID` against the Windows \
                account, `SERIAL` against the licence and `PASSWORD` against a login prompt. \
                Qlik Cloud has no Windows authentication, licence serials or login prompts: it \
                matches `USERID`, `USER.EMAIL` and `GROUP` against the identity provider, so \
                rows keyed on these fields never match and their users lose access.",
    remediation: "Key the table on `USER.EMAIL` (or on `USERID` as the identity provider's \
                  subject) and `GROUP`, with upper-case values, and reload in Qlik Cloud to \
                  check who gets in.",
    effort_minutes: 60,
    reference_url: SECTION_ACCESS_CLOUD,
    bad_example: "SECTION ACCESS;\nLOAD * INLINE [\nACCESS, NTNAME, REGION\nUSER, CORP\\JDOE, EMEA\n];",
    good_example: "SECTION ACCESS;\nLOAD * INLINE [\nACCESS, USER.EMAIL, REGION\nUSER, JDOE@EXAMPLE.COM, EMEA\n];",
};

/// Flags rows for the `INTERNAL` service accounts of Qlik Sense client-managed.
pub const INTERNAL_ACCOUNT: Rule = Rule {
    code: "QC202",
    name: "section-access-internal-account",
    title: "Section access row for an INTERNAL service account",
    severity: Severity::Warning,
    category: "security",
    rationale: "Qlik Sense client-managed reloads scheduled tasks as `INTERNAL\\SA_SCHEDULER`, so \
                section access tables give that account an `ADMIN` row. Qlik Cloud reloads as \
                the app or task owner, so the row never matches, and an owner without a row of \
                their own is locked out of the reloaded app.",
    remediation: "Replace the `INTERNAL\\...` rows with a row for the owner of the app or of its \
                  reload task, by e-mail or identity-provider subject.",
    effort_minutes: 15,
    reference_url: SECTION_ACCESS_CLOUD,
    bad_example: "ADMIN, INTERNAL\\SA_SCHEDULER, *",
    good_example: "ADMIN, RELOAD.OWNER@EXAMPLE.COM, *",
};

/// Flags `USERID` values written as `DIRECTORY\user`.
pub const DOMAIN_USERID: Rule = Rule {
    code: "QC203",
    name: "section-access-domain-userid",
    title: "Section access USERID in DOMAIN\\user form",
    severity: Severity::Warning,
    category: "security",
    rationale: "Qlik Sense client-managed fills `USERID` with `USERDIRECTORY\\USERID`. Qlik Cloud \
                matches `USERID` against the identity provider's subject, which is often an \
                opaque value. The rows keep working only when the identity provider is set up \
                to send the same `DOMAIN\\user` string as the subject.",
    remediation: "Either map the identity provider's subject claim to `DOMAIN\\user` before the \
                  apps move, or rewrite the rows with `USER.EMAIL`.",
    effort_minutes: 30,
    reference_url: "https://community.qlik.com/t5/Qlik-Design-Blog/Row-level-security-in-Qlik-Sense-SaaS/ba-p/1758327",
    bad_example: "USER, CORP\\JDOE, EMEA",
    good_example: "USER, JDOE@EXAMPLE.COM, EMEA",
};

/// Notes `GROUP` fields, whose values must come from the identity provider in Qlik Cloud.
pub const GROUP_FIELD: Rule = Rule {
    code: "QC204",
    name: "section-access-group",
    title: "Section access reduces by GROUP",
    severity: Severity::Info,
    category: "security",
    rationale: "Qlik Cloud matches `GROUP` against the groups the identity provider sends, or \
                against Qlik Cloud custom groups, as `SET QlikCloudGroupMode` chooses. Groups \
                from a Qlik Sense user directory connector do not exist until the identity \
                provider sends groups of the same names.",
    remediation: "Check that the identity provider sends a groups claim with the same names, or \
                  create custom groups, and set `QlikCloudGroupMode` to match.",
    effort_minutes: 15,
    reference_url: "https://help.qlik.com/en-US/cloud-services/Subsystems/Hub/Content/Sense_Hub/Scripting/SystemVariables/QlikCloudGroupMode.htm",
    bad_example: "ACCESS, GROUP\nUSER, FINANCE-EMEA",
    good_example: "SET QlikCloudGroupMode = 0;\nACCESS, GROUP\nUSER, FINANCE-EMEA",
};

/// The first-party section access pack.
#[derive(Debug, Default)]
pub struct SecurityPack;

impl Pack for SecurityPack {
    const ID: &'static str = "qready-security";
    const VERSION: &'static str = env!("CARGO_PKG_VERSION");
    const DESCRIPTION: &'static str = "Section access that will not match users in Qlik Cloud";
    const RULES: &'static [&'static Rule] = &[
        &WINDOWS_FIELD,
        &INTERNAL_ACCOUNT,
        &DOMAIN_USERID,
        &GROUP_FIELD,
    ];

    fn check(&self, app: &App, findings: &mut Findings) -> Result<(), PluginError> {
        let Some(script) = &app.script else {
            return Ok(());
        };
        let tables = section::access_tables(script);
        findings.run(&WINDOWS_FIELD, |hits| {
            section::windows_fields(&tables, hits)
        })?;
        findings.run(&INTERNAL_ACCOUNT, |hits| {
            section::internal_rows(&tables, hits)
        })?;
        findings.run(&DOMAIN_USERID, |hits| {
            section::domain_userids(&tables, hits)
        })?;
        findings.run(&GROUP_FIELD, |hits| section::group_fields(&tables, hits))
    }
}

qready_plugin_sdk::register_pack!(SecurityPack);

#[cfg(test)]
mod tests;
