//! Convenience methods on the model types the host sends.

use crate::{FunctionCall, Location, Script, SourceRef, Span, Statement, StatementKind};

impl Script {
    /// Returns the statements of one kind.
    pub fn statements_of(&self, kind: StatementKind) -> impl Iterator<Item = &Statement> {
        self.statements.iter().filter(move |s| s.kind == kind)
    }

    /// Returns the statement a source reference or function call belongs to.
    pub fn statement(&self, index: u32) -> Option<&Statement> {
        self.statements.get(index as usize)
    }

    /// Returns the lower-case name of a function call.
    pub fn function_name(&self, call: &FunctionCall) -> &str {
        self.function_names
            .get(call.name as usize)
            .map_or("", String::as_str)
    }

    /// Returns the calls of one function, given its name in any case.
    pub fn calls_of<'a>(&'a self, name: &str) -> impl Iterator<Item = &'a FunctionCall> {
        let wanted = self
            .function_names
            .iter()
            .position(|n| n.eq_ignore_ascii_case(name))
            .map(|i| i as u32);
        self.functions
            .iter()
            .filter(move |call| Some(call.name) == wanted)
    }

    /// Returns the path of the file a span is in.
    pub fn file_path(&self, span: Span) -> &str {
        self.files
            .get(span.file as usize)
            .map_or("", |f| f.path.as_str())
    }

    /// Returns the text a span covers.
    pub fn text(&self, span: Span) -> &str {
        self.files
            .get(span.file as usize)
            .and_then(|f| f.text.get(span.start as usize..span.end as usize))
            .unwrap_or("")
    }

    /// Converts a span into a finding location.
    pub fn location(&self, span: Span) -> Location {
        Location {
            file: self.file_path(span).to_owned(),
            line: span.line,
            column: span.column,
        }
    }
}

impl SourceRef {
    /// Returns the path after static variable expansion, or as written when nothing expanded.
    pub fn effective_path(&self) -> &str {
        self.resolved.as_deref().unwrap_or(&self.path)
    }
}
