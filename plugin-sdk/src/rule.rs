use crate::{RuleInfo, Severity};

/// A rule's declaration: its code and the documentation that every listing reads.
///
/// Declare each rule once as a `const` and refer to it when reporting, so a finding can never
/// name a rule that does not exist.
#[derive(Debug, Clone, Copy)]
pub struct Rule {
    /// Stable code with the pack's prefix, such as `QC101`.
    pub code: &'static str,
    /// Kebab-case name that reads well after "allow", such as `windows-file-path`.
    pub name: &'static str,
    /// One-line summary.
    pub title: &'static str,
    /// Severity unless the configuration overrides it.
    pub severity: Severity,
    /// Area: `script`, `security`, `app`, `governance`, `sizing` or `usage`.
    pub category: &'static str,
    /// Why it matters for Qlik Cloud, in Markdown.
    pub rationale: &'static str,
    /// How to fix it, in Markdown.
    pub remediation: &'static str,
    /// Estimated effort to fix one app's hits, in minutes.
    pub effort_minutes: u32,
    /// Source that documents the behaviour.
    pub reference_url: &'static str,
    /// Script or setting that the rule flags.
    pub bad_example: &'static str,
    /// The same written for Qlik Cloud.
    pub good_example: &'static str,
}

impl Rule {
    /// Empty values to fill the rest of a declaration from, with `..Rule::DEFAULT`.
    pub const DEFAULT: Rule = Rule {
        code: "",
        name: "",
        title: "",
        severity: Severity::Warning,
        category: "script",
        rationale: "",
        remediation: "",
        effort_minutes: 0,
        reference_url: "",
        bad_example: "",
        good_example: "",
    };

    /// Converts the declaration into the record the host reads.
    pub fn info(&self) -> RuleInfo {
        RuleInfo {
            code: self.code.to_owned(),
            name: self.name.to_owned(),
            title: self.title.to_owned(),
            default_severity: self.severity,
            category: self.category.to_owned(),
            rationale: self.rationale.to_owned(),
            remediation: self.remediation.to_owned(),
            effort_minutes: self.effort_minutes,
            reference_url: self.reference_url.to_owned(),
            bad_example: self.bad_example.to_owned(),
            good_example: self.good_example.to_owned(),
        }
    }
}
