use std::collections::BTreeSet;
use std::rc::Rc;

use crate::{Finding, Location, PluginError, Rule, Script, Severity, Span};

/// The findings of one check, in the order they were reported.
#[derive(Debug)]
pub struct Findings {
    items: Vec<Finding>,
    rules: &'static [&'static Rule],
    enabled: Option<Rc<BTreeSet<String>>>,
}

impl Findings {
    /// Collects findings for a pack with `rules`, of which `enabled` run (all when `None`).
    pub fn new(rules: &'static [&'static Rule], enabled: Option<Rc<BTreeSet<String>>>) -> Self {
        Findings {
            items: Vec::new(),
            rules,
            enabled,
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
    pub fn report(&mut self, rule: &Rule, message: impl Into<String>) -> FindingBuilder<'_> {
        self.items.push(Finding {
            code: rule.code.to_owned(),
            severity: None,
            message: message.into(),
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
    pub fn into_vec(self) -> Vec<Finding> {
        self.items
    }
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
