//! Tokens of a load script.
//!
//! The lexer keeps every token's byte range so that spans stay exact. Comments and whitespace are
//! skipped, but whether a line break preceded a token is kept, because control statements end at
//! the end of their line.

use crate::DiagnosticSeverity;

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(crate) enum TokenKind {
    /// Unquoted name or keyword: letters of any script, digits, `_ % @ # . $`.
    Ident,
    Number,
    /// `'…'`, a string literal.
    Str,
    /// `"…"`, a field, table or variable name.
    DoubleQuoted,
    /// `[…]`, a name, a path or inline data.
    Bracketed,
    /// `` `…` ``, a name.
    Backticked,
    /// `$(…)`, a dollar-sign expansion, nested expansions included.
    Expansion,
    /// Operator or other punctuation, one or two characters.
    Punct,
    /// Uninterpreted text, the body of a REM statement.
    Raw,
}

#[derive(Clone, Copy, Debug)]
pub(crate) struct Token {
    pub kind: TokenKind,
    pub start: u32,
    pub end: u32,
    /// A line break (possibly inside a comment) lies between the previous token and this one.
    pub line_break_before: bool,
    /// Whitespace or a comment lies between the previous token and this one.
    pub space_before: bool,
}

impl Token {
    pub fn text<'a>(&self, source: &'a str) -> &'a str {
        &source[self.start as usize..self.end as usize]
    }

    /// Returns the text without its quote characters and with doubled quotes undone.
    pub fn unquoted(&self, source: &str) -> String {
        let text = self.text(source);
        let (body, doubled) = match self.kind {
            TokenKind::Str => (strip(text, 1, '\''), "''"),
            TokenKind::DoubleQuoted => (strip(text, 1, '"'), "\"\""),
            TokenKind::Bracketed => (strip(text, 1, ']'), "]]"),
            TokenKind::Backticked => (strip(text, 1, '`'), ""),
            _ => return text.to_owned(),
        };
        if doubled.is_empty() || !body.contains(doubled) {
            body.to_owned()
        } else {
            body.replace(doubled, &doubled[..1])
        }
    }

    pub fn is_quoted(&self) -> bool {
        matches!(
            self.kind,
            TokenKind::Str | TokenKind::DoubleQuoted | TokenKind::Bracketed | TokenKind::Backticked
        )
    }

    pub fn is_punct(&self, source: &str, punct: &str) -> bool {
        self.kind == TokenKind::Punct && self.text(source) == punct
    }

    /// true for an unquoted word equal to `keyword`, ignoring ASCII case.
    pub fn is_keyword(&self, source: &str, keyword: &str) -> bool {
        self.kind == TokenKind::Ident && self.text(source).eq_ignore_ascii_case(keyword)
    }
}

/// Drops the opening quote and the closing one when present (an unterminated token has none).
fn strip(text: &str, open_length: usize, close: char) -> &str {
    let body = &text[open_length..];
    body.strip_suffix(close).unwrap_or(body)
}

/// A diagnostic found while lexing, before spans are computed.
#[derive(Clone, Debug)]
pub(crate) struct LexDiagnostic {
    pub message: String,
    pub start: u32,
    pub end: u32,
    pub severity: DiagnosticSeverity,
}

pub(crate) struct Lexer<'a> {
    text: &'a str,
    bytes: &'a [u8],
    pos: usize,
    /// `///$tab` markers: name and byte offset of the marker.
    pub tabs: Vec<(String, u32)>,
    pub diagnostics: Vec<LexDiagnostic>,
}

impl<'a> Lexer<'a> {
    pub fn new(text: &'a str) -> Lexer<'a> {
        Lexer {
            text,
            bytes: text.as_bytes(),
            pos: 0,
            tabs: Vec::new(),
            diagnostics: Vec::new(),
        }
    }

    pub fn next_token(&mut self) -> Option<Token> {
        let (line_break_before, space_before) = self.skip_trivia();
        if self.pos >= self.bytes.len() {
            return None;
        }
        let start = self.pos;
        let kind = self.scan_token();
        debug_assert!(self.pos > start, "the lexer must make progress");
        Some(Token {
            kind,
            start: start as u32,
            end: self.pos as u32,
            line_break_before,
            space_before,
        })
    }

    /// Consumes raw text up to and including the next `;` and returns the text's range (without
    /// the `;`) and whether a `;` was found. Quotes and comments are not interpreted.
    pub fn raw_to_semicolon(&mut self) -> (u32, u32, bool) {
        let start = self.pos;
        match self.bytes[start..].iter().position(|&b| b == b';') {
            Some(length) => {
                self.pos = start + length + 1;
                (start as u32, (start + length) as u32, true)
            }
            None => {
                self.pos = self.bytes.len();
                (start as u32, self.pos as u32, false)
            }
        }
    }

    /// Skips whitespace and comments; returns whether a line break and whether any trivia was seen.
    fn skip_trivia(&mut self) -> (bool, bool) {
        let mut line_break = false;
        let start = self.pos;
        while self.pos < self.bytes.len() {
            let byte = self.bytes[self.pos];
            match byte {
                b'\n' | b'\r' => {
                    line_break = true;
                    self.pos += 1;
                }
                b' ' | b'\t' | 0x0B | 0x0C | 0 => self.pos += 1,
                b'/' if self.bytes.get(self.pos + 1) == Some(&b'/') && !self.after_colon() => {
                    self.skip_line_comment();
                }
                b'/' if self.bytes.get(self.pos + 1) == Some(&b'*') => {
                    line_break |= self.skip_block_comment();
                }
                0x80.. => {
                    let c = self.text[self.pos..].chars().next().unwrap_or(' ');
                    if is_invisible(c) || c.is_whitespace() {
                        self.pos += c.len_utf8();
                    } else {
                        break;
                    }
                }
                _ => break,
            }
        }
        (line_break, self.pos > start)
    }

    fn after_colon(&self) -> bool {
        self.pos > 0 && self.bytes[self.pos - 1] == b':'
    }

    fn skip_line_comment(&mut self) {
        let start = self.pos;
        let end = find_line_end(self.bytes, start);
        self.pos = end;
        let comment = &self.bytes[start..end];
        if comment.len() >= 7 && comment[..7].eq_ignore_ascii_case(b"///$tab") {
            let name = self.text[start + 7..end].trim();
            self.tabs.push((name.to_owned(), start as u32));
        }
    }

    /// Skips a `/* … */` comment, which does not nest; returns whether it contains a line break.
    fn skip_block_comment(&mut self) -> bool {
        let start = self.pos;
        let end = match self.text[start + 2..].find("*/") {
            Some(length) => start + 2 + length + 2,
            None => {
                self.diagnose(
                    "block comment is not closed by '*/' before the end of the script",
                    start,
                    start + 2,
                    DiagnosticSeverity::Warning,
                );
                self.bytes.len()
            }
        };
        self.pos = end;
        find_line_end(&self.bytes[..end], start) < end
    }

    fn diagnose(&mut self, message: &str, start: usize, end: usize, severity: DiagnosticSeverity) {
        self.diagnostics.push(LexDiagnostic {
            message: message.to_owned(),
            start: start as u32,
            end: end as u32,
            severity,
        });
    }

    fn scan_token(&mut self) -> TokenKind {
        let byte = self.bytes[self.pos];
        match byte {
            b'\'' => self.scan_quoted(b'\'', b'\'', true, TokenKind::Str),
            b'"' => self.scan_quoted(b'"', b'"', true, TokenKind::DoubleQuoted),
            b'[' => self.scan_quoted(b'[', b']', true, TokenKind::Bracketed),
            b'`' => self.scan_quoted(b'`', b'`', false, TokenKind::Backticked),
            b'$' if self.bytes.get(self.pos + 1) == Some(&b'(') => {
                match scan_expansion(self.bytes, self.pos) {
                    Some(end) => {
                        self.pos = end;
                        TokenKind::Expansion
                    }
                    None => {
                        self.pos += 1;
                        TokenKind::Punct
                    }
                }
            }
            b'0'..=b'9' => self.scan_number(),
            b'a'..=b'z' | b'A'..=b'Z' | b'_' => {
                self.pos += 1;
                self.scan_ident_rest();
                TokenKind::Ident
            }
            _ => {
                let c = self.text[self.pos..].chars().next().unwrap_or(' ');
                if is_ident_start(c, self.bytes.get(self.pos + 1).copied()) {
                    self.pos += c.len_utf8();
                    self.scan_ident_rest();
                    TokenKind::Ident
                } else {
                    self.scan_punct(c);
                    TokenKind::Punct
                }
            }
        }
    }

    /// Scans a quoted token. `$(…)` inside it is skipped as a unit, so quotes inside an expansion
    /// do not end the token.
    fn scan_quoted(&mut self, open: u8, close: u8, doubling: bool, kind: TokenKind) -> TokenKind {
        let start = self.pos;
        let mut i = start + 1;
        while i < self.bytes.len() {
            let skipped = self.bytes[i..]
                .iter()
                .position(|&b| b == close || b == b'$');
            let Some(skipped) = skipped else {
                break;
            };
            i += skipped;
            let byte = self.bytes[i];
            if byte == close {
                if doubling && self.bytes.get(i + 1) == Some(&close) {
                    i += 2;
                    continue;
                }
                self.pos = i + 1;
                return kind;
            }
            if byte == b'$'
                && self.bytes.get(i + 1) == Some(&b'(')
                && let Some(end) = scan_expansion(self.bytes, i)
            {
                i = end;
                continue;
            }
            i += 1;
        }
        let message = format!(
            "quoted text opened by {} is not closed before the end of the script",
            open as char
        );
        self.diagnose(&message, start, start + 1, DiagnosticSeverity::Error);
        self.pos = self.bytes.len();
        kind
    }

    fn scan_number(&mut self) -> TokenKind {
        let bytes = self.bytes;
        let mut i = self.pos;
        while i < bytes.len() && bytes[i].is_ascii_digit() {
            i += 1;
        }
        if i + 1 < bytes.len() && bytes[i] == b'.' && bytes[i + 1].is_ascii_digit() {
            i += 1;
            while i < bytes.len() && bytes[i].is_ascii_digit() {
                i += 1;
            }
        }
        if i < bytes.len() && (bytes[i] == b'e' || bytes[i] == b'E') {
            let mut j = i + 1;
            if j < bytes.len() && (bytes[j] == b'+' || bytes[j] == b'-') {
                j += 1;
            }
            if j < bytes.len() && bytes[j].is_ascii_digit() {
                while j < bytes.len() && bytes[j].is_ascii_digit() {
                    j += 1;
                }
                i = j;
            }
        }
        self.pos = i;
        let next = self.text[i..].chars().next();
        match next {
            Some(c) if is_ident_continue(c, bytes.get(i + 1).copied()) => {
                self.scan_ident_rest();
                TokenKind::Ident
            }
            _ => TokenKind::Number,
        }
    }

    fn scan_ident_rest(&mut self) {
        while self.pos < self.bytes.len() {
            let byte = self.bytes[self.pos];
            if byte.is_ascii_alphanumeric() || byte == b'_' {
                self.pos += 1;
                continue;
            }
            if byte < 0x80 {
                if is_ident_continue(byte as char, self.bytes.get(self.pos + 1).copied()) {
                    self.pos += 1;
                    continue;
                }
                return;
            }
            let c = self.text[self.pos..].chars().next().unwrap_or(' ');
            if !is_non_ascii_ident_char(c) {
                return;
            }
            self.pos += c.len_utf8();
        }
    }

    fn scan_punct(&mut self, c: char) {
        let next = self.bytes.get(self.pos + 1).copied();
        let two = matches!(
            (c, next),
            ('<', Some(b'=' | b'>' | b'<')) | ('>', Some(b'=' | b'>'))
        );
        if matches!(c, '\u{2018}' | '\u{2019}' | '\u{201C}' | '\u{201D}') {
            self.diagnose(
                "typographic quote is not a quote character in a load script",
                self.pos,
                self.pos + c.len_utf8(),
                DiagnosticSeverity::Warning,
            );
        }
        self.pos += if two { 2 } else { c.len_utf8() };
    }
}

/// Returns the offset of the first `\n` or `\r` at or after `start`, or the text length.
fn find_line_end(bytes: &[u8], start: usize) -> usize {
    let mut i = start;
    while i + 8 <= bytes.len() && !crate::span::has_control_byte(&bytes[i..i + 8]) {
        i += 8;
    }
    bytes[i..]
        .iter()
        .position(|&b| b == b'\n' || b == b'\r')
        .map_or(bytes.len(), |length| i + length)
}

/// Decides whether a non-ASCII character continues a name. Latin, Greek and Cyrillic letters,
/// the common cases, are recognised without a lookup in the Unicode tables.
fn is_non_ascii_ident_char(c: char) -> bool {
    match c as u32 {
        0xC0..=0xD6 | 0xD8..=0xF6 | 0xF8..=0x24F | 0x370..=0x3FF | 0x400..=0x52F => true,
        _ => is_ident_continue(c, None),
    }
}

/// Zero-width characters that editors and copy-paste leave in scripts; they separate tokens like
/// whitespace does.
fn is_invisible(c: char) -> bool {
    matches!(
        c,
        '\u{FEFF}' | '\u{200B}' | '\u{200C}' | '\u{200D}' | '\u{2060}'
    )
}

fn is_ident_start(c: char, next: Option<u8>) -> bool {
    match c {
        '_' | '%' | '@' | '#' => true,
        // `.Max` in `$(v).Max`; a lone `.` or `..` stays punctuation.
        '.' => next.is_some_and(|b| b.is_ascii_alphabetic() || b == b'_'),
        '$' => next != Some(b'('),
        '\u{2018}' | '\u{2019}' | '\u{201C}' | '\u{201D}' => false,
        _ => c.is_alphabetic() && !is_invisible(c),
    }
}

fn is_ident_continue(c: char, next: Option<u8>) -> bool {
    match c {
        '_' | '%' | '@' | '#' | '.' => true,
        '$' => next != Some(b'('),
        '\u{2018}' | '\u{2019}' | '\u{201C}' | '\u{201D}' => false,
        _ => c.is_alphanumeric() && !is_invisible(c),
    }
}

/// Returns the end offset of the `$(…)` expansion that starts at `start`.
///
/// Parentheses nest and quotes inside are honoured. An expansion does not cross a line break: when
/// no closing parenthesis is found on the line, a plain parenthesis count on that line is tried,
/// and when that fails too the `$` is not an expansion.
pub(crate) fn scan_expansion(bytes: &[u8], start: usize) -> Option<usize> {
    scan_expansion_quoted(bytes, start).or_else(|| scan_expansion_plain(bytes, start))
}

fn scan_expansion_quoted(bytes: &[u8], start: usize) -> Option<usize> {
    let mut depth = 0usize;
    let mut i = start + 1;
    while i < bytes.len() {
        match bytes[i] {
            b'(' => depth += 1,
            b')' => {
                depth -= 1;
                if depth == 0 {
                    return Some(i + 1);
                }
            }
            b'\n' | b'\r' => return None,
            b'$' if bytes.get(i + 1) == Some(&b'(') => {
                i = scan_expansion_quoted(bytes, i)?;
                continue;
            }
            quote @ (b'\'' | b'"' | b'[') => {
                let close = if quote == b'[' { b']' } else { quote };
                let length = bytes[i + 1..]
                    .iter()
                    .position(|&b| b == close || b == b'\n' || b == b'\r')?;
                if bytes[i + 1 + length] != close {
                    return None;
                }
                i += length + 2;
                continue;
            }
            _ => {}
        }
        i += 1;
    }
    None
}

fn scan_expansion_plain(bytes: &[u8], start: usize) -> Option<usize> {
    let mut depth = 0usize;
    for (i, &byte) in bytes.iter().enumerate().skip(start + 1) {
        match byte {
            b'(' => depth += 1,
            b')' => {
                depth -= 1;
                if depth == 0 {
                    return Some(i + 1);
                }
            }
            b'\n' | b'\r' => return None,
            _ => {}
        }
    }
    None
}

impl Lexer<'_> {
    /// Moves the lexer to byte offset `offset`, which must be a character boundary.
    pub fn seek(&mut self, offset: usize) {
        self.pos = offset.min(self.bytes.len());
    }
}
