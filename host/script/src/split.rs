//! Splitting the token stream into statements.
//!
//! Regular statements end at `;`. Control statements (IF, FOR, DO, SUB, CALL, SWITCH, EXIT and
//! their closing clauses, and an assignment without LET) end at `;` or at the end of their line.
//! A control statement whose parentheses are still open continues on the next line, which the
//! documented grammar does not allow. Text after THEN or ELSE on the same line starts a new
//! statement.

use crate::lex::{Lexer, LowerWord, Token, TokenKind};

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(crate) enum Class {
    Regular,
    Control,
    Rem,
    Include,
}

/// One statement as a range of tokens.
#[derive(Clone, Copy, Debug)]
pub(crate) struct RawStatement {
    pub first: usize,
    /// One past the last token of the statement; the terminating `;` is not a token of it.
    pub end: usize,
    /// Byte offset just past the terminating `;`, or past the last token.
    pub span_end: u32,
    pub terminated: bool,
    pub class: Class,
}

pub(crate) struct Split<'a> {
    pub lexer: Lexer<'a>,
    pub tokens: Vec<Token>,
    pub statements: Vec<RawStatement>,
}

pub(crate) fn is_control_word(word: &str) -> bool {
    // Control words have 2 to 9 letters; the length test skips most names before lower-casing.
    (2..=9).contains(&word.len()) && is_lower_control_word(LowerWord::new(word).as_bytes())
}

/// Same as [`is_control_word`] for a word already lower-cased.
pub(crate) fn is_lower_control_word(word: &[u8]) -> bool {
    matches!(
        word,
        b"if"
            | b"elseif"
            | b"else"
            | b"end"
            | b"endif"
            | b"endsub"
            | b"endswitch"
            | b"for"
            | b"next"
            | b"do"
            | b"loop"
            | b"exit"
            | b"sub"
            | b"call"
            | b"switch"
            | b"case"
            | b"default"
    )
}

pub(crate) fn is_include_expansion(text: &str) -> bool {
    let inner = &text[2..];
    starts_with_ignore_case(inner, "include=") || starts_with_ignore_case(inner, "must_include=")
}

pub(crate) fn starts_with_ignore_case(text: &str, prefix: &str) -> bool {
    text.len() >= prefix.len()
        && text.is_char_boundary(prefix.len())
        && text[..prefix.len()].eq_ignore_ascii_case(prefix)
}

pub(crate) fn split(text: &str) -> Split<'_> {
    let mut lexer = Lexer::new(text);
    lexer.record_lines();
    let mut splitter = Splitter {
        text,
        lexer,
        tokens: Vec::with_capacity(text.len() / 5),
        statements: Vec::new(),
        peeked: None,
    };
    while let Some(token) = splitter.next() {
        splitter.statement(token);
    }
    Split {
        lexer: splitter.lexer,
        tokens: splitter.tokens,
        statements: splitter.statements,
    }
}

struct Splitter<'a> {
    text: &'a str,
    lexer: Lexer<'a>,
    tokens: Vec<Token>,
    statements: Vec<RawStatement>,
    peeked: Option<Token>,
}

impl Splitter<'_> {
    fn next(&mut self) -> Option<Token> {
        self.peeked.take().or_else(|| self.lexer.next_token())
    }

    fn peek(&mut self) -> Option<Token> {
        if self.peeked.is_none() {
            self.peeked = self.lexer.next_token();
        }
        self.peeked
    }

    fn is_semicolon(&self, token: &Token) -> bool {
        token.is_punct(self.text, ";")
    }

    fn statement(&mut self, first: Token) {
        if self.is_semicolon(&first) {
            return;
        }
        let first_index = self.tokens.len();
        self.tokens.push(first);
        let text = self.text;
        if first.is_keyword(text, "rem") {
            self.rem(first_index);
            return;
        }
        if first.kind == TokenKind::Expansion && is_include_expansion(first.text(text)) {
            self.include(first_index);
            return;
        }
        if first.kind == TokenKind::Ident && is_control_word(first.text(text)) {
            if self.peek().is_some_and(|t| t.is_punct(text, ":")) {
                self.regular(first_index);
            } else {
                self.control(first_index);
            }
            return;
        }
        self.take_glued_word();
        if self.peek().is_some_and(|t| t.is_punct(text, "=")) {
            self.control(first_index);
        } else {
            self.regular(first_index);
        }
    }

    /// Moves the tokens glued to the previous one (no space between) that can form a name.
    fn take_glued_word(&mut self) {
        while let Some(token) = self.peek() {
            let joinable = matches!(
                token.kind,
                TokenKind::Ident | TokenKind::Expansion | TokenKind::Number
            );
            if token.space_before || !joinable {
                return;
            }
            self.peeked = None;
            self.tokens.push(token);
        }
    }

    fn finish(&mut self, first: usize, class: Class, terminator: Option<Token>) {
        let last_end = self.tokens.last().map_or(0, |t| t.end);
        let span_end = terminator.map_or(last_end, |t| t.end);
        self.statements.push(RawStatement {
            first,
            end: self.tokens.len(),
            span_end,
            terminated: terminator.is_some(),
            class,
        });
    }

    fn rem(&mut self, first: usize) {
        let (start, end, found) = self.lexer.raw_to_semicolon();
        self.tokens.push(Token {
            kind: TokenKind::Raw,
            start,
            end,
            line_break_before: false,
            space_before: true,
            has_expansion: false,
        });
        let span_end = if found { end + 1 } else { end };
        self.statements.push(RawStatement {
            first,
            end: self.tokens.len(),
            span_end,
            terminated: found,
            class: Class::Rem,
        });
    }

    fn include(&mut self, first: usize) {
        let text = self.text;
        let terminator = match self.peek() {
            Some(token) if token.is_punct(text, ";") => self.next(),
            _ => None,
        };
        self.finish(first, Class::Include, terminator);
    }

    fn regular(&mut self, first: usize) {
        let mut next = self.peeked.take();
        if next.is_none() {
            next = self.lexer.next_token_inline();
        }
        // Most tokens of a script pass through this loop, so the lexer is inlined into it.
        while let Some(token) = next {
            if self.is_semicolon(&token) {
                self.finish(first, Class::Regular, Some(token));
                return;
            }
            self.tokens.push(token);
            next = self.lexer.next_token_inline();
        }
        self.finish(first, Class::Regular, None);
    }

    fn control(&mut self, first: usize) {
        let text = self.text;
        let keyword = self.tokens[first];
        let is_if = keyword.is_keyword(text, "if") || keyword.is_keyword(text, "elseif");
        let is_else = keyword.is_keyword(text, "else");
        let mut depth = 0i32;
        let mut then_seen = false;
        loop {
            let Some(token) = self.peek() else {
                self.finish(first, Class::Control, None);
                return;
            };
            if token.is_punct(text, ";") {
                self.peeked = None;
                self.finish(first, Class::Control, Some(token));
                return;
            }
            let line_ended = token.line_break_before && depth <= 0;
            if line_ended || is_else || then_seen {
                self.finish(first, Class::Control, None);
                return;
            }
            self.peeked = None;
            self.tokens.push(token);
            if token.is_punct(text, "(") {
                depth += 1;
            } else if token.is_punct(text, ")") {
                depth -= 1;
            } else if is_if && token.is_keyword(text, "then") {
                then_seen = true;
            }
        }
    }
}
