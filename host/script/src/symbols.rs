//! SET/LET values tracked in text order, for resolving `$(var)` in paths.

use std::borrow::Cow;
use std::collections::HashMap;

use crate::ast::{AssignmentKeyword, CompactString, Node};
use crate::lex::{Lexer, TokenKind, expansion_starts, scan_expansion};
use crate::split::starts_with_ignore_case;
use crate::{PathKind, SourceRef, SourceRole, Statement, StatementKind, paths};

/// Variable values known so far while walking statements in execution order.
///
/// A value is static when it was assigned by SET, or by LET from string and number literals
/// joined with `&`, with every expansion in it static as well. Loop variables, SUB parameters
/// and values computed by functions are dynamic. Undefined variables are dynamic too, though the
/// engine expands them to empty text, because a value may come from a file that was not read.
/// A path that starts with a variable whose value is empty is dynamic for the same reason.
/// Scripts set a variable empty as a placeholder that another branch or an included file fills
/// in (`SET vG.HomeContainer = ;`), so the path's root is wherever that later value points.
///
/// NOTE: assignments inside IF branches, loops and SUB bodies are applied in text order, so a
/// value assigned in one branch is taken as the value after the whole IF.
#[derive(Clone, Debug, Default)]
pub struct SymbolTable {
    /// Names and values are mostly short, so that `CompactString` stores them without a heap
    /// allocation.
    values: HashMap<CompactString, Option<CompactString>, foldhash::fast::RandomState>,
}

impl SymbolTable {
    /// Returns an empty table with room for `capacity` variables.
    pub(crate) fn with_capacity(capacity: usize) -> SymbolTable {
        SymbolTable {
            values: HashMap::with_capacity_and_hasher(capacity, Default::default()),
        }
    }

    /// Resolves the statement's source paths with the values known so far, then records the
    /// values the statement assigns.
    pub fn apply(&mut self, statement: &mut Statement) {
        let lib_connect = statement.kind == StatementKind::LibConnect;
        for source in &mut statement.sources {
            self.resolve(source, lib_connect);
        }
        self.record(&statement.node);
    }

    /// Returns the static value of a variable, if it has one.
    pub fn value(&self, name: &str) -> Option<&str> {
        self.values.get(name).and_then(|v| v.as_deref())
    }

    /// Sets a variable; None marks it dynamic.
    pub fn set(&mut self, name: &str, value: Option<String>) {
        self.set_compact(name, value.map(CompactString::from));
    }

    fn set_compact(&mut self, name: &str, value: Option<CompactString>) {
        match self.values.get_mut(name) {
            Some(slot) => *slot = value,
            None => {
                self.values.insert(name.into(), value);
            }
        }
    }

    fn resolve(&self, source: &mut SourceRef, lib_connect: bool) {
        source.resolved = None;
        // A path written as an expression, such as `'$(dir)' & '\*.csv'` in FileList(), keeps its
        // quotes; it is a path only once its string literals are joined.
        let is_expression = source.path.trim_start().starts_with(['\'', '"']);
        if !has_expansion(&source.path) {
            if is_expression && let Some(joined) = evaluate_literal(&source.path) {
                source.kind = paths::classify_for_role(source.role, &joined, lib_connect);
                source.resolved = Some(joined.into());
            }
            return;
        }
        if self.starts_with_empty_value(&source.path) {
            source.kind = PathKind::Dynamic;
            return;
        }
        match self.expand(&source.path) {
            Some(text) if is_expression => match evaluate_literal(&text) {
                Some(joined) => {
                    source.kind = paths::classify_for_role(source.role, &joined, lib_connect);
                    source.resolved = Some(joined.into());
                }
                None => source.kind = PathKind::Dynamic,
            },
            Some(text) => {
                source.kind = paths::classify_for_role(source.role, &text, lib_connect);
                source.resolved = Some(text);
            }
            None => {
                // The static start of the path still fixes its form, for example a UNC share
                // followed by a file name built from the reload time.
                let mut partial = self.expand_known(&source.path);
                if is_expression {
                    match evaluate_literal(&partial) {
                        Some(joined) => partial = joined.into(),
                        None => {
                            source.kind = PathKind::Dynamic;
                            return;
                        }
                    }
                }
                source.kind = match source.role {
                    SourceRole::SqlTable | SourceRole::Resident => PathKind::Table,
                    _ => paths::classify_for_role(source.role, &partial, lib_connect),
                };
            }
        }
    }

    /// Checks whether `path` starts with an expansion, quoted or not, whose value is empty.
    fn starts_with_empty_value(&self, path: &str) -> bool {
        let path = path.trim_start().trim_start_matches(['\'', '"']);
        if !path.starts_with("$(") {
            return false;
        }
        scan_expansion(path.as_bytes(), 0).is_some_and(|end| {
            self.expand_borrowed(&path[2..end - 1])
                .and_then(|body| self.expansion_value(&body))
                .is_some_and(|value| value.trim().is_empty())
        })
    }

    /// Replaces every `$(…)` in `text` by its static value; None when one has none.
    pub fn expand(&self, text: &str) -> Option<String> {
        self.expand_borrowed(text).map(Cow::into_owned)
    }

    /// Same as [`SymbolTable::expand`], borrowing `text` when it has no `$(` to replace.
    fn expand_borrowed<'t>(&self, text: &'t str) -> Option<Cow<'t, str>> {
        let bytes = text.as_bytes();
        if !has_expansion(text) {
            return Some(Cow::Borrowed(text));
        }
        let mut out = String::with_capacity(text.len());
        let mut copied = 0;
        let mut i = 0;
        while i + 1 < bytes.len() {
            if bytes[i] == b'$'
                && bytes[i + 1] == b'('
                && let Some(end) = scan_expansion(bytes, i)
            {
                out.push_str(&text[copied..i]);
                let body = &text[i + 2..end - 1];
                if crate::lex::nests_too_deeply(body) {
                    return None;
                }
                let inner = self.expand_borrowed(body)?;
                out.push_str(&self.expansion_value(&inner)?);
                copied = end;
                i = end;
                continue;
            }
            i += 1;
        }
        out.push_str(&text[copied..]);
        Some(Cow::Owned(out))
    }

    /// Replaces every `$(…)` that has a static value and keeps the others as written.
    fn expand_known(&self, text: &str) -> String {
        let bytes = text.as_bytes();
        let mut out = String::with_capacity(text.len());
        let mut copied = 0;
        let mut i = 0;
        while i + 1 < bytes.len() {
            if bytes[i] == b'$'
                && bytes[i + 1] == b'('
                && let Some(end) = scan_expansion(bytes, i)
            {
                let value = self
                    .expand_borrowed(&text[i + 2..end - 1])
                    .and_then(|inner| self.expansion_value(&inner));
                if let Some(value) = value {
                    out.push_str(&text[copied..i]);
                    out.push_str(&value);
                    copied = end;
                }
                i = end;
                continue;
            }
            i += 1;
        }
        out.push_str(&text[copied..]);
        out
    }

    /// Returns the value of one expansion body (the text between `$(` and `)`).
    fn expansion_value(&self, body: &str) -> Option<String> {
        if body.starts_with('=')
            || starts_with_ignore_case(body, "include=")
            || starts_with_ignore_case(body, "must_include=")
        {
            return None;
        }
        if let Some(name) = body.strip_prefix('#') {
            let value = self.value(name.trim())?;
            return value
                .trim()
                .parse::<f64>()
                .is_ok()
                .then(|| value.trim().to_owned());
        }
        match body.find('(') {
            Some(open) if body.ends_with(')') => {
                let value = self.value(body[..open].trim())?;
                let args = split_arguments(&body[open + 1..body.len() - 1]);
                Some(substitute_parameters(value, &args))
            }
            _ => self.value(body.trim()).map(str::to_owned),
        }
    }

    fn record(&mut self, node: &Node) {
        match node {
            Node::LetSet(assignment) => {
                let Some(name) = self.expand_borrowed(&assignment.name) else {
                    return;
                };
                let text = assignment.value_text.as_deref().unwrap_or("");
                let expanded = self.expand_borrowed(text);
                let value = match assignment.keyword {
                    AssignmentKeyword::Set => expanded.map(|t| set_value(&t)),
                    AssignmentKeyword::Let | AssignmentKeyword::None => {
                        expanded.and_then(|t| evaluate_literal(&t))
                    }
                };
                self.set_compact(&name, value);
            }
            Node::For(for_loop) => self.set_compact(&for_loop.variable, None),
            Node::ForEach(for_each) => self.set_compact(&for_each.variable, None),
            Node::Sub(sub) => {
                for param in &sub.params {
                    self.set_compact(param, None);
                }
            }
            _ => {}
        }
    }
}

/// Returns whether `text` contains `$(`, so that [`SymbolTable::apply`] may resolve it.
pub(crate) fn has_expansion(text: &str) -> bool {
    expansion_starts(text).next().is_some()
}

/// Returns the value SET assigns: the text, without its quotes when it is one quoted token.
fn set_value(text: &str) -> CompactString {
    let trimmed = text.trim();
    match single_token(trimmed) {
        Some((kind, value)) if kind != TokenKind::Expansion => value,
        _ => trimmed.into(),
    }
}

/// Lexes `text`; when it is exactly one token, returns its kind and unquoted text.
fn single_token(text: &str) -> Option<(TokenKind, CompactString)> {
    let mut lexer = Lexer::new(text);
    let token = lexer.next_token()?;
    if lexer.next_token().is_some() || !lexer.diagnostics.is_empty() {
        return None;
    }
    Some((token.kind, token.unquoted_as(text)))
}

/// Evaluates a LET value made of string and number literals joined with `&`.
fn evaluate_literal(text: &str) -> Option<CompactString> {
    let mut lexer = Lexer::new(text);
    let mut value = CompactString::default();
    let mut expect_operand = true;
    while let Some(token) = lexer.next_token() {
        if expect_operand {
            match token.kind {
                TokenKind::Str => token.push_unquoted(text, &mut value),
                TokenKind::Number => value.push_str(token.text(text)),
                _ => return None,
            }
        } else if !token.is_punct(text, "&") {
            return None;
        }
        expect_operand = !expect_operand;
    }
    (!expect_operand && lexer.diagnostics.is_empty()).then_some(value)
}

/// Splits expansion parameters at commas outside parentheses and quotes.
fn split_arguments(text: &str) -> Vec<String> {
    let mut args = Vec::new();
    let mut depth = 0i32;
    let mut quote: Option<char> = None;
    let mut current = String::new();
    for c in text.chars() {
        match (quote, c) {
            (Some(q), _) if c == q => quote = None,
            (Some(_), _) => {}
            (None, '\'' | '"') => quote = Some(c),
            (None, '(') => depth += 1,
            (None, ')') => depth -= 1,
            (None, ',') if depth == 0 => {
                args.push(std::mem::take(&mut current));
                continue;
            }
            _ => {}
        }
        current.push(c);
    }
    args.push(current);
    args
}

/// Replaces `$1` … `$9` by the arguments and `$0` by their count; a missing argument leaves its
/// parameter as written, as the engine does.
fn substitute_parameters(value: &str, args: &[String]) -> String {
    let mut out = String::with_capacity(value.len());
    let mut chars = value.chars().peekable();
    while let Some(c) = chars.next() {
        let digit = chars.peek().and_then(|d| d.to_digit(10));
        match digit {
            Some(n) if c == '$' => {
                chars.next();
                if n == 0 {
                    out.push_str(&args.len().to_string());
                } else if let Some(arg) = args.get(n as usize - 1) {
                    out.push_str(arg.trim());
                } else {
                    out.push('$');
                    out.push_str(&n.to_string());
                }
            }
            _ => out.push(c),
        }
    }
    out
}
