use std::collections::{BTreeMap, BTreeSet};
use std::rc::Rc;

use crate::{Finding, Location, PluginError, Rule, Script, Severity, Span};

/// Maximum findings one rule reports for one app; further ones are counted, and one finding
/// states how many were left out. The host caps all findings of a call, so without a cap per rule one
/// noisy rule could crowd out every other rule's findings.
pub const MAX_FINDINGS_PER_RULE: u32 = 500;

/// Maximum message length kept, in bytes. Longer messages are cut at a character boundary.
pub const MAX_MESSAGE_BYTES: usize = 2048;

/// The findings of one check, in the order they were reported.
#[derive(Debug)]
pub struct Findings {
    items: Vec<Finding>,
    rules: &'static [&'static Rule],
    enabled: Option<Rc<BTreeSet<String>>>,
    /// Findings reported per rule code, including those left out.
    per_rule: BTreeMap<&'static str, u32>,
    /// Receives the details of findings left out, so the builder API stays the same.
    discarded: Finding,
}

impl Findings {
    /// Collects findings for a pack with `rules`, of which `enabled` run (all when `None`).
    pub fn new(rules: &'static [&'static Rule], enabled: Option<Rc<BTreeSet<String>>>) -> Self {
        Findings {
            items: Vec::new(),
            rules,
            enabled,
            per_rule: BTreeMap::new(),
            discarded: Finding {
                code: String::new(),
                severity: None,
                message: String::new(),
                location: None,
                remediation: None,
            },
        }
    }

    /// Runs one rule's check when the configuration enables the rule.
    ///
    /// The host learns which rule is running, so a trap or time-out inside `check` is reported
    /// against this rule. Findings reported through the [`RuleFindings`] belong to `rule`.
    pub fn run(
        &mut self,
        rule: &'static Rule,
        check: impl FnOnce(&mut RuleFindings<'_>) -> Result<(), PluginError>,
    ) -> Result<(), PluginError> {
        if !self.is_enabled(rule) {
            return Ok(());
        }
        if let Some(index) = self.rules.iter().position(|r| r.code == rule.code) {
            crate::enter_rule(index as u32);
        }
        check(&mut RuleFindings {
            rule,
            findings: self,
        })
    }

    /// Whether the configuration enables `rule`.
    pub fn is_enabled(&self, rule: &Rule) -> bool {
        self.enabled
            .as_ref()
            .is_none_or(|codes| codes.contains(rule.code))
    }

    /// Starts a finding for `rule` with `message`; refine it through the returned builder.
    ///
    /// After [`MAX_FINDINGS_PER_RULE`] findings of one rule, further ones are only counted.
    pub fn report(&mut self, rule: &Rule, message: impl Into<String>) -> FindingBuilder<'_> {
        let code = self
            .rules
            .iter()
            .find(|declared| declared.code == rule.code)
            .map_or("", |declared| declared.code);
        let count = self.per_rule.entry(code).or_default();
        *count += 1;
        if *count > MAX_FINDINGS_PER_RULE {
            return FindingBuilder {
                finding: &mut self.discarded,
            };
        }
        let mut message = message.into();
        truncate(&mut message, MAX_MESSAGE_BYTES);
        self.items.push(Finding {
            code: rule.code.to_owned(),
            severity: None,
            message,
            location: None,
            remediation: None,
        });
        let last = self.items.len() - 1;
        FindingBuilder {
            finding: &mut self.items[last],
        }
    }

    /// Number of findings reported so far.
    pub fn len(&self) -> usize {
        self.items.len()
    }

    /// Whether nothing has been reported.
    pub fn is_empty(&self) -> bool {
        self.items.is_empty()
    }

    /// Returns the findings.
    ///
    /// Each rule that reported more than [`MAX_FINDINGS_PER_RULE`] findings gets one more, which
    /// states how many were left out.
    pub fn into_vec(mut self) -> Vec<Finding> {
        for (code, count) in &self.per_rule {
            if *count > MAX_FINDINGS_PER_RULE && !code.is_empty() {
                self.items.push(Finding {
                    code: (*code).to_owned(),
                    severity: None,
                    message: format!(
                        "{} more findings of this rule in this app were left out",
                        count - MAX_FINDINGS_PER_RULE
                    ),
                    location: None,
                    remediation: None,
                });
            }
        }
        self.items
    }
}

fn truncate(text: &mut String, max: usize) {
    if text.len() <= max {
        return;
    }
    let mut end = max;
    while !text.is_char_boundary(end) {
        end -= 1;
    }
    text.truncate(end);
    text.push('…');
}

/// The findings of one rule while [`Findings::run`] runs it.
#[derive(Debug)]
pub struct RuleFindings<'a> {
    rule: &'static Rule,
    findings: &'a mut Findings,
}

impl RuleFindings<'_> {
    /// The rule being run.
    pub fn rule(&self) -> &'static Rule {
        self.rule
    }

    /// Starts a finding of this rule with `message`.
    pub fn report(&mut self, message: impl Into<String>) -> FindingBuilder<'_> {
        self.findings.report(self.rule, message)
    }
}

/// Adds a location, a severity or a remediation to a finding just reported.
#[derive(Debug)]
pub struct FindingBuilder<'a> {
    finding: &'a mut Finding,
}

impl FindingBuilder<'_> {
    /// Points the finding at `span` of `script`.
    pub fn at(self, script: &Script, span: Span) -> Self {
        self.finding.location = Some(script.location(span));
        self
    }

    /// Points the finding at a line and column of a file.
    pub fn at_location(self, file: impl Into<String>, line: u32, column: u32) -> Self {
        self.finding.location = Some(Location {
            file: file.into(),
            line,
            column,
        });
        self
    }

    /// Points the finding at `location`, or leaves it app-wide when `None`.
    pub fn located(self, location: Option<Location>) -> Self {
        self.finding.location = location;
        self
    }

    /// Overrides the rule's default severity for this hit.
    pub fn severity(self, severity: Severity) -> Self {
        self.finding.severity = Some(severity);
        self
    }

    /// Adds a fix specific to this hit.
    pub fn remediation(self, text: impl Into<String>) -> Self {
        self.finding.remediation = Some(text.into());
        self
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    const NOISY: Rule = Rule {
        code: "T001",
        ..Rule::DEFAULT
    };
    const QUIET: Rule = Rule {
        code: "T002",
        ..Rule::DEFAULT
    };
    static RULES: [&Rule; 2] = [&NOISY, &QUIET];

    #[test]
    fn noisy_rule_is_capped() {
        let mut findings = Findings::new(&RULES, None);
        for i in 0..MAX_FINDINGS_PER_RULE + 10 {
            findings
                .report(&NOISY, format!("{i}"))
                .at_location("f", i, 1);
        }
        findings.report(&QUIET, "still here");
        let items = findings.into_vec();
        let noisy = items.iter().filter(|f| f.code == "T001").count();
        assert_eq!(noisy, MAX_FINDINGS_PER_RULE as usize + 1);
        assert!(items.iter().any(|f| f.code == "T002"));
        assert!(
            items
                .iter()
                .any(|f| f.message == "10 more findings of this rule in this app were left out")
        );
    }

    #[test]
    fn long_message_is_cut() {
        let mut findings = Findings::new(&RULES, None);
        findings.report(&NOISY, "é".repeat(MAX_MESSAGE_BYTES));
        let items = findings.into_vec();
        assert!(items[0].message.len() <= MAX_MESSAGE_BYTES + '…'.len_utf8());
        assert!(items[0].message.ends_with('…'));
    }
}
