use crate::{Finding, Location, Rule, Script, Severity, Span};

/// The findings of one check, in the order they were reported.
#[derive(Debug, Default)]
pub struct Findings {
    items: Vec<Finding>,
}

impl Findings {
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
