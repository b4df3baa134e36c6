//! A cursor over the tokens of one statement, with the results it collects.

use crate::functions;
pub(crate) use crate::lex::LowerWord;
use crate::lex::{TextBuffer, Token, TokenKind};
use crate::paths;
use crate::span::LineIndex;
use crate::{FunctionCall, SourceRef, SourceRole, Span};

/// Parse failure of a statement: the message and the byte range to report.
#[derive(Clone, Debug)]
pub(crate) struct ParseError {
    pub message: String,
    pub start: u32,
    pub end: u32,
}

pub(crate) type PResult<T> = Result<T, ParseError>;

pub(crate) struct Cursor<'a> {
    pub text: &'a str,
    pub index: &'a LineIndex,
    /// The tokens of the script up to the end of the statement, so that `tokens.len() == end`.
    pub tokens: &'a [Token],
    /// Index of the next token.
    pub pos: usize,
    /// First token of the statement.
    pub first: usize,
    /// One past the last token of the statement.
    pub end: usize,
    pub sources: Vec<SourceRef>,
    pub functions: Vec<FunctionCall>,
    /// Inside a LOAD, where bare names are fields rather than variables.
    pub in_load: bool,
    /// Nesting depth of the expression being parsed; see [`MAX_EXPRESSION_DEPTH`].
    pub depth: u32,
}

/// Deepest expression nesting parsed into a tree. Deeper expressions are kept as raw text, so
/// that a hostile script cannot overflow the parser's stack; real scripts stay far below it.
pub(crate) const MAX_EXPRESSION_DEPTH: u32 = 200;

impl<'a> Cursor<'a> {
    pub fn new(
        text: &'a str,
        index: &'a LineIndex,
        tokens: &'a [Token],
        first: usize,
        end: usize,
    ) -> Cursor<'a> {
        let tokens = &tokens[..end];
        Cursor {
            text,
            index,
            tokens,
            pos: first,
            first,
            end,
            sources: Vec::new(),
            functions: Vec::new(),
            in_load: false,
            depth: 0,
        }
    }

    #[inline]
    pub fn peek(&self) -> Option<Token> {
        self.peek_at(0)
    }

    #[inline]
    pub fn peek_at(&self, offset: usize) -> Option<Token> {
        self.tokens.get(self.pos + offset).copied()
    }

    #[inline]
    pub fn next(&mut self) -> Option<Token> {
        let token = self.peek()?;
        self.pos += 1;
        Some(token)
    }

    #[inline]
    pub fn at_end(&self) -> bool {
        self.pos >= self.end
    }

    pub fn skip_to_end(&mut self) {
        self.pos = self.end;
    }

    #[inline]
    pub fn is_kw(&self, keyword: &str) -> bool {
        self.is_kw_at(0, keyword)
    }

    #[inline]
    pub fn is_kw_at(&self, offset: usize, keyword: &str) -> bool {
        self.peek_at(offset)
            .is_some_and(|t| t.is_keyword(self.text, keyword))
    }

    /// true when the next token is `keyword` and is separated from the previous token, so that it
    /// is not part of an unquoted path such as `data\where\x.csv`.
    #[inline]
    pub fn is_clause_kw(&self, keyword: &str) -> bool {
        self.peek()
            .is_some_and(|t| t.space_before && t.is_keyword(self.text, keyword))
    }

    #[inline]
    pub fn eat_kw(&mut self, keyword: &str) -> bool {
        let found = self.is_kw(keyword);
        if found {
            self.pos += 1;
        }
        found
    }

    pub fn expect_kw(&mut self, keyword: &str) -> PResult<()> {
        if self.eat_kw(keyword) {
            Ok(())
        } else {
            Err(self.error(&format!("expected {}", keyword.to_ascii_uppercase())))
        }
    }

    #[inline]
    pub fn is_punct(&self, punct: &str) -> bool {
        self.peek().is_some_and(|t| t.is_punct(self.text, punct))
    }

    #[inline]
    pub fn eat_punct(&mut self, punct: &str) -> bool {
        let found = self.is_punct(punct);
        if found {
            self.pos += 1;
        }
        found
    }

    pub fn expect_punct(&mut self, punct: &str) -> PResult<()> {
        if self.eat_punct(punct) {
            Ok(())
        } else {
            Err(self.error(&format!("expected '{punct}'")))
        }
    }

    pub fn expect_end(&self) -> PResult<()> {
        if self.at_end() {
            Ok(())
        } else {
            Err(self.error("unexpected text"))
        }
    }

    /// Builds an error at the next token, or at the end of the statement.
    pub fn error(&self, message: &str) -> ParseError {
        let (start, end) = match self.peek() {
            Some(token) => (token.start, token.end),
            None => {
                let last = self.tokens[self.end.max(self.first + 1) - 1];
                (last.end, last.end)
            }
        };
        let found = self
            .peek()
            .map(|t| t.text(self.text).chars().take(40).collect::<String>());
        let message = match found {
            Some(found) => format!("{message}, found '{found}'"),
            None => format!("{message} at the end of the statement"),
        };
        ParseError {
            message,
            start,
            end,
        }
    }

    pub fn span(&self, start: u32, end: u32) -> Span {
        self.index.span(self.text, start, end)
    }

    pub fn token_span(&self, index: usize) -> Span {
        let token = self.tokens[index];
        self.span(token.start, token.end)
    }

    /// Returns the source text from token `from` through token `to - 1`.
    pub fn text_between(&self, from: usize, to: usize) -> &'a str {
        if to <= from {
            return "";
        }
        &self.text[self.tokens[from].start as usize..self.tokens[to - 1].end as usize]
    }

    /// Returns the source text of the remaining tokens.
    pub fn rest_text(&self) -> String {
        self.text_between(self.pos, self.end).to_owned()
    }

    /// Returns the end index of the group of tokens glued to `from` (no space between) that can
    /// form a name, e.g. `Batch_$(vRun)` or `[Sales]`. A quoted token is a name on its own.
    pub fn name_group_end(&self, from: usize) -> usize {
        if from >= self.end {
            return from;
        }
        let first = self.tokens[from];
        if first.is_quoted() {
            return from + 1;
        }
        let joinable = |t: &Token| {
            matches!(
                t.kind,
                TokenKind::Ident | TokenKind::Number | TokenKind::Expansion
            )
        };
        if !joinable(&first) {
            return from;
        }
        let mut index = from + 1;
        while index < self.end {
            let token = self.tokens[index];
            if token.space_before || !joinable(&token) {
                break;
            }
            index += 1;
        }
        index
    }

    /// Returns the text of tokens `from..to` with quotes removed from quoted pieces and the
    /// original spacing between tokens kept.
    pub fn unquoted_between(&self, from: usize, to: usize) -> String {
        self.unquoted_between_as(from, to)
    }

    /// Same as [`Cursor::unquoted_between`], into the string type `T`.
    pub fn unquoted_between_as<T: TextBuffer>(&self, from: usize, to: usize) -> T {
        if to == from + 1 {
            return self.tokens[from].unquoted_as(self.text);
        }
        let mut text = T::with_capacity(self.text_between(from, to).len());
        for index in from..to {
            let token = self.tokens[index];
            if index > from {
                let gap = self.tokens[index - 1].end as usize..token.start as usize;
                text.push_str(&self.text[gap]);
            }
            token.push_unquoted(self.text, &mut text);
        }
        text
    }

    /// Reads a name: one group of glued name tokens.
    pub fn name(&mut self) -> PResult<String> {
        self.name_as()
    }

    /// Same as [`Cursor::name`], into the string type `T`.
    pub fn name_as<T: TextBuffer>(&mut self) -> PResult<T> {
        let end = self.name_group_end(self.pos);
        if end == self.pos {
            return Err(self.error("expected a name"));
        }
        let name = self.unquoted_between_as(self.pos, end);
        self.pos = end;
        Ok(name)
    }

    /// Reads a label (`Name:`) when one is next.
    pub fn label(&mut self) -> PResult<Option<String>> {
        let end = self.name_group_end(self.pos);
        if end == self.pos || end >= self.end {
            return Ok(None);
        }
        let colon = self.tokens[end];
        if !colon.is_punct(self.text, ":") {
            return Ok(None);
        }
        let label = self.unquoted_between(self.pos, end);
        self.pos = end + 1;
        Ok(Some(label))
    }

    /// Reads names separated by commas; `*` counts as a name.
    pub fn name_list(&mut self) -> PResult<Vec<String>> {
        let mut names = Vec::new();
        loop {
            if self.eat_punct("*") {
                names.push("*".to_owned());
            } else {
                names.push(self.name()?);
            }
            if !self.eat_punct(",") {
                return Ok(names);
            }
        }
    }

    /// Reads a path made of the tokens before the first token for which `stop` returns true.
    /// Returns the path and its token range.
    pub fn path_until(
        &mut self,
        stop: impl Fn(&Cursor) -> bool,
    ) -> PResult<(String, usize, usize)> {
        let from = self.pos;
        while !self.at_end() && !stop(self) {
            self.pos += 1;
        }
        if self.pos == from {
            return Err(self.error("expected a path"));
        }
        Ok((self.unquoted_between(from, self.pos), from, self.pos))
    }

    pub fn add_source(&mut self, role: SourceRole, path: String, from: usize, to: usize) {
        let start = self.tokens[from].start;
        let end = self.tokens[to - 1].end;
        let kind = paths::classify_for_role(role, &path, false);
        let span = self.span(start, end);
        self.sources.push(SourceRef {
            role,
            path,
            resolved: None,
            kind,
            span,
        });
    }

    pub fn add_function(&mut self, name: &str, token: Token) {
        let span = self.span(token.start, token.start + name.len() as u32);
        self.functions.push(FunctionCall {
            name: name.into(),
            span,
        });
    }

    /// Records every `name(` in tokens `from..to` as a function call; used for text that is not
    /// parsed as an expression, such as SET values.
    pub fn scan_calls(&mut self, from: usize, to: usize) {
        for index in from..to.min(self.end) {
            let token = self.tokens[index];
            let followed_by_paren =
                index + 1 < self.end && self.tokens[index + 1].is_punct(self.text, "(");
            if token.kind == TokenKind::Ident && followed_by_paren {
                self.add_function(token.text(self.text), token);
            }
        }
    }

    /// Replaces what a failed parse collected by a plain scan of the statement for calls.
    pub fn recover_functions(&mut self) {
        self.sources.clear();
        self.functions.clear();
        self.scan_calls(self.first, self.end);
    }

    /// Records path-exposing system variables and calls written inside `$(…)` expansions,
    /// including expansions inside quoted text.
    pub fn collect_expansion_functions(&mut self) {
        for token in &self.tokens[self.first..self.end] {
            if token.has_expansion {
                let (start, end) = (token.start as usize, token.end as usize);
                functions::expansion_calls(self.text, self.index, start, end, &mut self.functions);
            }
        }
    }

    /// Returns the sources and calls collected, sorted, in vectors of their exact size; the
    /// cursor keeps its emptied buffers, which the next statement may reuse.
    pub fn take_results(&mut self, unknown: bool) -> (Vec<SourceRef>, Vec<FunctionCall>) {
        if unknown {
            self.sources.clear();
        }
        // Both lists are mostly collected in text order already; the check is cheaper than a sort.
        if !self.sources.is_sorted_by_key(|s| s.span.start) {
            self.sources.sort_by_key(|s| s.span.start);
        }
        if !self.functions.is_sorted_by_key(|f| f.span.start) {
            self.functions.sort_by_key(|f| f.span.start);
        }
        self.functions.dedup();
        let mut sources = Vec::with_capacity(self.sources.len());
        sources.append(&mut self.sources);
        let mut functions = Vec::with_capacity(self.functions.len());
        functions.append(&mut self.functions);
        (sources, functions)
    }
}
