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
    /// The text contains `$(`: true for every expansion, and for a quoted token with an expansion
    /// (or a `$(` that does not close) inside.
    pub has_expansion: bool,
}

impl Token {
    #[inline]
    pub fn text<'a>(&self, source: &'a str) -> &'a str {
        &source[self.start as usize..self.end as usize]
    }

    /// Returns the token's bytes; comparing bytes skips the character boundary checks of `text`.
    #[inline]
    fn bytes<'a>(&self, source: &'a str) -> &'a [u8] {
        &source.as_bytes()[self.start as usize..self.end as usize]
    }

    /// Returns the text without its quote characters and with doubled quotes undone.
    pub fn unquoted(&self, source: &str) -> String {
        self.unquoted_as(source)
    }

    /// Same as [`Token::unquoted`], into the string type `T`.
    pub fn unquoted_as<T: TextBuffer>(&self, source: &str) -> T {
        let (body, doubled) = self.body(source);
        if !may_hold(body, doubled) {
            return T::from_text(body);
        }
        let mut out = T::with_capacity(body.len());
        push_undoubled(body, doubled, &mut out);
        out
    }

    /// Appends the text without its quote characters and with doubled quotes undone to `out`;
    /// any token other than a quoted one is appended as written.
    pub fn push_unquoted<T: TextBuffer>(&self, source: &str, out: &mut T) {
        let (body, doubled) = self.body(source);
        if may_hold(body, doubled) {
            push_undoubled(body, doubled, out);
        } else {
            out.push_str(body);
        }
    }

    /// Returns the text between the quotes and the doubled quote that stands for one quote
    /// character, which is empty for tokens that are not quoted and for backticks.
    #[inline]
    fn body<'a>(&self, source: &'a str) -> (&'a str, &'static str) {
        let text = self.text(source);
        let (close, doubled) = match self.kind {
            TokenKind::Str => (b'\'', "''"),
            TokenKind::DoubleQuoted => (b'"', "\"\""),
            TokenKind::Bracketed => (b']', "]]"),
            TokenKind::Backticked => (b'`', ""),
            _ => return (text, ""),
        };
        (strip_quotes(text, close), doubled)
    }

    /// Returns the byte range of a quoted token's text between its quotes. An unterminated token
    /// has no closing quote to leave out, and an unquoted token's range is the whole token.
    pub fn body_range(&self, source: &str) -> (u32, u32) {
        let body = self.body(source).0;
        let start =
            self.start + (body.as_ptr() as usize - self.text(source).as_ptr() as usize) as u32;
        (start, start + body.len() as u32)
    }

    #[inline]
    pub fn is_quoted(&self) -> bool {
        matches!(
            self.kind,
            TokenKind::Str | TokenKind::DoubleQuoted | TokenKind::Bracketed | TokenKind::Backticked
        )
    }

    #[inline]
    pub fn is_punct(&self, source: &str, punct: &str) -> bool {
        // Callers pass one- or two-byte punctuation; testing those bytes directly avoids the
        // `memcmp` call of a slice comparison.
        let punct = punct.as_bytes();
        if self.kind != TokenKind::Punct || (self.end - self.start) as usize != punct.len() {
            return false;
        }
        let text = &source.as_bytes()[self.start as usize..];
        match punct.len() {
            1 => text[0] == punct[0],
            2 => text[0] == punct[0] && text[1] == punct[1],
            _ => &text[..punct.len()] == punct,
        }
    }

    /// true for an unquoted word equal to `keyword`, ignoring ASCII case.
    #[inline]
    pub fn is_keyword(&self, source: &str, keyword: &str) -> bool {
        self.kind == TokenKind::Ident
            && self.end - self.start == keyword.len() as u32
            && self.bytes(source).eq_ignore_ascii_case(keyword.as_bytes())
    }
}

/// Returns the end of the name whose further characters start at byte offset `pos`.
///
/// ASCII names, the common case, end within the inlined loop; a `$` or a non-ASCII character
/// continues in [`name_end_slow`].
#[inline(always)]
fn name_end(text: &str, mut pos: usize) -> usize {
    let bytes = text.as_bytes();
    while let Some(&byte) = bytes.get(pos)
        && class_of(byte) & NAME != 0
    {
        pos += 1;
    }
    match bytes.get(pos) {
        Some(&byte) if byte == b'$' || byte >= 0x80 => name_end_slow(text, pos),
        _ => pos,
    }
}

#[inline(never)]
fn name_end_slow(text: &str, mut pos: usize) -> usize {
    let bytes = text.as_bytes();
    loop {
        while pos < bytes.len() && class_of(bytes[pos]) & NAME != 0 {
            pos += 1;
        }
        let Some(&byte) = bytes.get(pos) else {
            return pos;
        };
        if byte == b'$' {
            // `$` continues a name unless it opens an expansion, as in `Batch_$(vRun)`.
            if bytes.get(pos + 1) == Some(&b'(') {
                return pos;
            }
            pos += 1;
            continue;
        }
        if byte < 0x80 {
            return pos;
        }
        let c = text[pos..].chars().next().unwrap_or(' ');
        if !is_non_ascii_ident_char(c) {
            return pos;
        }
        pos += c.len_utf8();
    }
}

/// Returns whether `body` may contain `doubled`: without one quote character it cannot.
fn may_hold(body: &str, doubled: &str) -> bool {
    let Some(&quote) = doubled.as_bytes().first() else {
        return false;
    };
    // A plain loop beats the setup of memchr on the short bodies of most tokens.
    if body.len() < 32 {
        body.bytes().any(|b| b == quote)
    } else {
        memchr::memchr(quote, body.as_bytes()).is_some()
    }
}

/// Appends `body` to `out` with each `doubled` quote replaced by a single one.
fn push_undoubled<T: TextBuffer>(body: &str, doubled: &str, out: &mut T) {
    let mut copied = 0;
    for (at, _) in body.match_indices(doubled) {
        out.push_str(&body[copied..at + 1]);
        copied = at + 2;
    }
    out.push_str(&body[copied..]);
}

/// A string type that token text can be built in: `String`, or `CompactString` for the text of
/// expressions.
pub(crate) trait TextBuffer {
    fn from_text(text: &str) -> Self;
    fn with_capacity(capacity: usize) -> Self;
    fn push_str(&mut self, text: &str);
}

impl TextBuffer for String {
    fn from_text(text: &str) -> String {
        text.to_owned()
    }

    fn with_capacity(capacity: usize) -> String {
        String::with_capacity(capacity)
    }

    fn push_str(&mut self, text: &str) {
        String::push_str(self, text);
    }
}

impl TextBuffer for compact_str::CompactString {
    fn from_text(text: &str) -> compact_str::CompactString {
        compact_str::CompactString::new(text)
    }

    fn with_capacity(capacity: usize) -> compact_str::CompactString {
        compact_str::CompactString::with_capacity(capacity)
    }

    fn push_str(&mut self, text: &str) {
        compact_str::CompactString::push_str(self, text);
    }
}

/// Drops the opening quote and the closing one when present (an unterminated token has none).
/// Both quote characters are ASCII, so the slice bounds are character boundaries.
fn strip_quotes(text: &str, close: u8) -> &str {
    let has_close = text.len() >= 2 && text.as_bytes()[text.len() - 1] == close;
    &text[1..text.len() - usize::from(has_close)]
}

/// A diagnostic found while lexing, before spans are computed.
#[derive(Clone, Debug)]
pub(crate) struct LexDiagnostic {
    pub message: String,
    pub start: u32,
    pub end: u32,
    pub severity: DiagnosticSeverity,
}

/// Byte continues a name on its own: ASCII letters and digits and `_ % @ # .`.
const NAME: u8 = 1;
/// Byte is blank space the lexer skips: space, tab, vertical tab, form feed and NUL.
const BLANK: u8 = 2;
/// Byte is `\n`.
const LINE_FEED: u8 = 4;
/// Byte is `\r`.
const CARRIAGE_RETURN: u8 = 8;
/// Byte may start a comment (`/`) or is part of a multi-byte character; either needs a closer
/// look before it counts as trivia.
const MAYBE_TRIVIA: u8 = 16;

/// Byte needs a look inside an expansion: parentheses, line ends, `$` and the quote characters.
const EXPANSION_STOP: u8 = 32;

/// Classes of every byte value.
static BYTE_CLASSES: [u8; 256] = byte_classes();

const fn byte_classes() -> [u8; 256] {
    let mut classes = [0u8; 256];
    let mut byte = 0;
    while byte < 256 {
        let c = byte as u8;
        if c.is_ascii_alphanumeric() || matches!(c, b'_' | b'%' | b'@' | b'#' | b'.') {
            classes[byte] |= NAME;
        }
        if matches!(c, b' ' | b'\t' | 0x0B | 0x0C | 0) {
            classes[byte] |= BLANK;
        }
        if c == b'\n' {
            classes[byte] |= LINE_FEED;
        }
        if c == b'\r' {
            classes[byte] |= CARRIAGE_RETURN;
        }
        if c == b'/' || c >= 0x80 {
            classes[byte] |= MAYBE_TRIVIA;
        }
        if matches!(c, b'(' | b')' | b'\n' | b'\r' | b'$' | b'\'' | b'"' | b'[') {
            classes[byte] |= EXPANSION_STOP;
        }
        byte += 1;
    }
    classes
}

#[inline]
fn class_of(byte: u8) -> u8 {
    BYTE_CLASSES[byte as usize]
}

pub(crate) struct Lexer<'a> {
    text: &'a str,
    bytes: &'a [u8],
    pos: usize,
    /// Whether the token being scanned contains `$(`.
    token_has_expansion: bool,
    /// Start offsets of the lines, recorded while scanning once [`Lexer::record_lines`] asked
    /// for them.
    line_starts: Option<Vec<u32>>,
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
            token_has_expansion: false,
            line_starts: None,
            tabs: Vec::new(),
            diagnostics: Vec::new(),
        }
    }

    /// Makes the lexer record where lines start, so that [`Lexer::take_line_starts`] can return
    /// them once the whole text is lexed. `\r\n`, `\n` and a lone `\r` each end one line.
    pub fn record_lines(&mut self) {
        let mut line_starts = Vec::with_capacity(self.bytes.len() / 32 + 1);
        line_starts.push(0);
        self.line_starts = Some(line_starts);
    }

    /// Returns the start offset of every line, the first included.
    ///
    /// The list is complete only after [`Lexer::next_token`] has returned None: every byte of
    /// the text is then part of exactly one token or trivia run, and each of those records the
    /// line ends it contains.
    pub fn take_line_starts(&mut self) -> Vec<u32> {
        self.line_starts.take().unwrap_or_default()
    }

    /// Records the line that starts after the `\n` or `\r` at `end`. The `\r` of a `\r\n` pair
    /// starts no line, because the `\n` after it does.
    fn line_end_at(&mut self, end: usize) {
        if let Some(line_starts) = &mut self.line_starts
            && !(self.bytes[end] == b'\r' && self.bytes.get(end + 1) == Some(&b'\n'))
        {
            line_starts.push(end as u32 + 1);
        }
    }

    /// Records the line ends in the byte range `start..end`, the text of one token or comment.
    fn line_ends_in(&mut self, start: usize, end: usize) {
        if self.line_starts.is_none() || !has_control_byte(&self.bytes[start..end]) {
            return;
        }
        for offset in memchr::memchr2_iter(b'\n', b'\r', &self.bytes[start..end]) {
            self.line_end_at(start + offset);
        }
    }

    pub fn next_token(&mut self) -> Option<Token> {
        self.next_token_inline()
    }

    /// Same as [`Lexer::next_token`], inlined into the caller's loop.
    #[inline(always)]
    pub fn next_token_inline(&mut self) -> Option<Token> {
        let (line_break_before, space_before) = self.skip_trivia();
        if self.pos >= self.bytes.len() {
            return None;
        }
        let start = self.pos;
        self.token_has_expansion = false;
        let kind = self.scan_token();
        debug_assert!(self.pos > start, "the lexer must make progress");
        Some(Token {
            kind,
            start: start as u32,
            end: self.pos as u32,
            line_break_before,
            space_before,
            has_expansion: self.token_has_expansion || kind == TokenKind::Expansion,
        })
    }

    /// Consumes raw text up to and including the next `;` and returns the text's range (without
    /// the `;`) and whether a `;` was found. Quotes and comments are not interpreted.
    pub fn raw_to_semicolon(&mut self) -> (u32, u32, bool) {
        let start = self.pos;
        let (end, found) = match memchr::memchr(b';', &self.bytes[start..]) {
            Some(length) => (start + length, true),
            None => (self.bytes.len(), false),
        };
        self.line_ends_in(start, end);
        self.pos = if found { end + 1 } else { end };
        (start as u32, end as u32, found)
    }

    /// Returns the character that starts at byte offset `pos`, which must be a character boundary
    /// before the end of the text.
    fn char_at(&self, pos: usize) -> char {
        self.text[pos..].chars().next().unwrap_or(' ')
    }

    /// Skips whitespace and comments; returns whether a line break and whether any trivia was seen.
    #[inline(always)]
    fn skip_trivia(&mut self) -> (bool, bool) {
        const TRIVIA: u8 = BLANK | LINE_FEED | CARRIAGE_RETURN | MAYBE_TRIVIA;
        let bytes = self.bytes;
        let start = self.pos;
        // Most tokens follow the previous one directly or after one space.
        let is_token_start = |at: usize| bytes.get(at).is_some_and(|&b| class_of(b) & TRIVIA == 0);
        if is_token_start(start) {
            return (false, false);
        }
        if bytes.get(start) == Some(&b' ') && is_token_start(start + 1) {
            self.pos += 1;
            return (false, true);
        }
        let mut line_break = false;
        while let Some(&byte) = bytes.get(self.pos) {
            let class = class_of(byte);
            if class & BLANK != 0 {
                self.pos += 1;
            } else if class & (LINE_FEED | CARRIAGE_RETURN) != 0 {
                line_break = true;
                self.line_end_at(self.pos);
                self.pos += 1;
            } else if class & MAYBE_TRIVIA == 0 {
                break;
            } else if byte == b'/' {
                match bytes.get(self.pos + 1) {
                    Some(b'/') if !self.after_colon() => self.skip_line_comment(),
                    Some(b'*') => line_break |= self.skip_block_comment(),
                    _ => break,
                }
            } else {
                let c = self.char_at(self.pos);
                if is_invisible(c) || c.is_whitespace() {
                    self.pos += c.len_utf8();
                } else {
                    break;
                }
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
        let end = match memchr::memmem::find(&self.bytes[start + 2..], b"*/") {
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
        let has_line_end = find_line_end(&self.bytes[..end], start) < end;
        if has_line_end {
            self.line_ends_in(start, end);
        }
        has_line_end
    }

    fn diagnose(&mut self, message: &str, start: usize, end: usize, severity: DiagnosticSeverity) {
        self.diagnostics.push(LexDiagnostic {
            message: message.to_owned(),
            start: start as u32,
            end: end as u32,
            severity,
        });
    }

    #[inline(always)]
    fn scan_token(&mut self) -> TokenKind {
        let byte = self.bytes[self.pos];
        let next = self.bytes.get(self.pos + 1).copied();
        match byte {
            b'a'..=b'z' | b'A'..=b'Z' | b'_' => {
                self.pos += 1;
                self.scan_ident_rest();
                TokenKind::Ident
            }
            b'\'' => self.scan_quoted(b'\'', b'\'', true, TokenKind::Str),
            b'"' => self.scan_quoted(b'"', b'"', true, TokenKind::DoubleQuoted),
            b'[' => self.scan_quoted(b'[', b']', true, TokenKind::Bracketed),
            b'`' => self.scan_quoted(b'`', b'`', false, TokenKind::Backticked),
            b'$' if next == Some(b'(') => match scan_expansion(self.bytes, self.pos) {
                Some(end) => {
                    self.pos = end;
                    TokenKind::Expansion
                }
                None => {
                    self.pos += 1;
                    TokenKind::Punct
                }
            },
            b'0'..=b'9' => self.scan_number(),
            0..0x80 => {
                // An ASCII byte is the whole character. Of the ASCII characters that reach here
                // only these can start a name (see `is_ident_start`).
                let starts_name = match byte {
                    b'%' | b'@' | b'#' => true,
                    b'.' => next.is_some_and(|b| b.is_ascii_alphabetic() || b == b'_'),
                    b'$' => next != Some(b'('),
                    _ => false,
                };
                if starts_name {
                    self.pos += 1;
                    self.scan_ident_rest();
                    TokenKind::Ident
                } else {
                    self.scan_punct(byte as char);
                    TokenKind::Punct
                }
            }
            _ => {
                let c = self.char_at(self.pos);
                if is_ident_start(c, next) {
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
        // Whether the token may contain a line end, which its scan then records.
        let mut may_end_line = false;
        while let Some(stop) = find_quote_stop(self.bytes, i, close) {
            i = stop.offset;
            may_end_line |= stop.after_long_search;
            let byte = self.bytes[i];
            if byte == close {
                if doubling && self.bytes.get(i + 1) == Some(&close) {
                    i += 2;
                    continue;
                }
                self.pos = i + 1;
                if may_end_line {
                    self.line_ends_in(start, self.pos);
                }
                return kind;
            }
            if byte == b'$' {
                // Every `$` of the body outside an already skipped expansion is found here, so
                // the flag misses no `$(` of the token. An expansion contains no line end.
                if self.bytes.get(i + 1) == Some(&b'(') {
                    self.token_has_expansion = true;
                    if let Some(end) = scan_expansion(self.bytes, i) {
                        i = end;
                        continue;
                    }
                }
            } else {
                may_end_line = true;
            }
            i += 1;
        }
        let message = format!(
            "quoted text opened by {} is not closed before the end of the script",
            open as char
        );
        self.diagnose(&message, start, start + 1, DiagnosticSeverity::Error);
        self.pos = self.bytes.len();
        self.line_ends_in(start, self.pos);
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
        let Some(&byte) = bytes.get(i) else {
            return TokenKind::Number;
        };
        let c = if byte < 0x80 {
            byte as char
        } else {
            self.char_at(i)
        };
        if is_ident_continue(c, bytes.get(i + 1).copied()) {
            self.scan_ident_rest();
            TokenKind::Ident
        } else {
            TokenKind::Number
        }
    }

    /// Moves past the rest of a name whose first character has been consumed.
    #[inline(always)]
    fn scan_ident_rest(&mut self) {
        self.pos = name_end(self.text, self.pos);
    }

    #[inline]
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

/// Result of searching a quoted token for the next byte that needs a closer look.
struct QuoteStop {
    offset: usize,
    /// The search continued with memchr, which does not stop at line ends, so the caller must
    /// look for them itself.
    after_long_search: bool,
}

/// Finds the first byte at or after `from` that is `close`, `$` or below 0x0E (which covers the
/// line ends `\n` and `\r`).
///
/// The first 64 bytes are searched eight at a time, since most quoted tokens are short. A longer
/// search continues with memchr for `close` and `$` only.
fn find_quote_stop(bytes: &[u8], from: usize, close: u8) -> Option<QuoteStop> {
    const ONES: u64 = 0x0101_0101_0101_0101;
    const HIGH: u64 = 0x8080_8080_8080_8080;
    let found = |offset| QuoteStop {
        offset,
        after_long_search: false,
    };
    let mut i = from;
    while i + 8 <= bytes.len() && i < from + 64 {
        let mut chunk = [0u8; 8];
        chunk.copy_from_slice(&bytes[i..i + 8]);
        let word = u64::from_le_bytes(chunk);
        // The two equality tests are exact. The below-0x0E test can flag a byte after one it
        // rightly flags, never before, so the lowest flagged byte is always a real stop.
        let stops = zero_bytes(word ^ (ONES * close as u64))
            | zero_bytes(word ^ (ONES * b'$' as u64))
            | (word.wrapping_sub(ONES * 0x0E) & !word & HIGH);
        if stops != 0 {
            return Some(found(i + (stops.trailing_zeros() / 8) as usize));
        }
        i += 8;
    }
    if i + 8 > bytes.len() {
        let tail = bytes[i..]
            .iter()
            .position(|&b| b == close || b == b'$' || b < 0x0E);
        return tail.map(|length| found(i + length));
    }
    let length = memchr::memchr2(close, b'$', &bytes[i..])?;
    Some(QuoteStop {
        offset: i + length,
        after_long_search: true,
    })
}

/// Returns a word with the high bit set in exactly the zero bytes of `word`. Adding 0x7F to the
/// low seven bits of a byte cannot carry into the next byte, so no byte affects another.
fn zero_bytes(word: u64) -> u64 {
    const LOW_SEVEN: u64 = 0x7F7F_7F7F_7F7F_7F7F;
    !(((word & LOW_SEVEN) + LOW_SEVEN) | word | LOW_SEVEN)
}

/// Returns whether a byte of `bytes` is below 0x0E, as the line ends `\n` (0x0A) and `\r` (0x0D)
/// are. Quoted tokens seldom hold such a byte, so this test, eight bytes at a time, lets most of
/// them skip the exact search for line ends.
fn has_control_byte(bytes: &[u8]) -> bool {
    const ONES: u64 = 0x0101_0101_0101_0101;
    const HIGH: u64 = 0x8080_8080_8080_8080;
    // A byte below 0x0E borrows when 0x0E is subtracted and so sets its high bit, which `!word`
    // keeps only for bytes below 0x80. A borrow from a lower byte can flag a higher one only
    // when the lower byte is itself flagged, so the word test is exact.
    let word_has = |word: u64| word.wrapping_sub(ONES * 0x0E) & !word & HIGH != 0;
    if bytes.len() < 8 {
        return bytes.iter().any(|&b| b < 0x0E);
    }
    let mut chunks = bytes.chunks_exact(8);
    let in_chunks = chunks.by_ref().any(|chunk| {
        let mut word = [0u8; 8];
        word.copy_from_slice(chunk);
        word_has(u64::from_le_bytes(word))
    });
    // The last eight bytes cover the remainder that `chunks_exact` leaves out.
    let mut last = [0u8; 8];
    last.copy_from_slice(&bytes[bytes.len() - 8..]);
    in_chunks || word_has(u64::from_le_bytes(last))
}

/// Returns the offset of the first `\n` or `\r` at or after `start`, or the text length.
fn find_line_end(bytes: &[u8], start: usize) -> usize {
    memchr::memchr2(b'\n', b'\r', &bytes[start..]).map_or(bytes.len(), |length| start + length)
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

/// Most `$(` a single expansion body may contain before its nested expansions are treated as
/// unknown. Following each level recursively would let a hostile script overflow the stack and
/// take quadratic time; real scripts nest two or three levels.
const MAX_NESTED_EXPANSIONS: usize = 64;

/// Whether an expansion body holds too many nested `$(` to follow.
pub(crate) fn nests_too_deeply(body: &str) -> bool {
    expansion_starts(body).nth(MAX_NESTED_EXPANSIONS).is_some()
}

/// Returns the offsets of the `$(` in `text`. Two of them cannot overlap, so every `$` followed
/// by `(` starts one. Looking for the `$` alone avoids building a substring searcher for what
/// are mostly short texts.
pub(crate) fn expansion_starts(text: &str) -> impl Iterator<Item = usize> + '_ {
    let bytes = text.as_bytes();
    memchr::memchr_iter(b'$', bytes).filter(move |&at| bytes.get(at + 1) == Some(&b'('))
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
            byte if class_of(byte) & EXPANSION_STOP == 0 => {}
            b'(' => depth += 1,
            b')' => {
                depth -= 1;
                if depth == 0 {
                    return Some(i + 1);
                }
            }
            b'\n' | b'\r' => return None,
            // A nested `$(` is counted by its `(` like any parenthesis: its contents follow the
            // same quoting rules, so no recursion is needed, and deep nesting cannot overflow.
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

/// A word lower-cased on the stack, for matching keywords without allocating. Words longer than
/// any keyword, or not ASCII, become empty and so match no keyword.
pub(crate) struct LowerWord {
    bytes: [u8; 24],
    length: usize,
}

impl LowerWord {
    pub fn new(word: &str) -> LowerWord {
        let mut bytes = [0u8; 24];
        let length = if word.len() <= bytes.len() && word.is_ascii() {
            for (target, source) in bytes.iter_mut().zip(word.bytes()) {
                *target = source.to_ascii_lowercase();
            }
            word.len()
        } else {
            0
        };
        LowerWord { bytes, length }
    }

    /// Returns the lower-case bytes; matching them against byte strings skips the UTF-8 check
    /// that [`LowerWord::as_str`] makes.
    pub fn as_bytes(&self) -> &[u8] {
        &self.bytes[..self.length]
    }

    pub fn as_str(&self) -> &str {
        std::str::from_utf8(self.as_bytes()).unwrap_or("")
    }
}
