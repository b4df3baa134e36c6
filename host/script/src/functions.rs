//! Function calls and system variables that matter for readiness rules.

use crate::FunctionCall;
use crate::lex::{Lexer, Token, TokenKind};
use crate::span::LineIndex;

/// System variables that expose the file system; Qlik Cloud does not set them.
pub(crate) const PATH_SYSTEM_VARIABLES: &[&str] = &[
    "QvPath",
    "QvRoot",
    "QvWorkPath",
    "QvWorkRoot",
    "WinPath",
    "WinRoot",
    "CD",
    "Floppy",
];

/// Functions whose first argument is a file path.
const FILE_FUNCTIONS: &[&str] = &[
    "FileTime",
    "FileSize",
    "QvdCreateTime",
    "QvdNoOfRecords",
    "QvdNoOfFields",
    "QvdFieldName",
    "QvdTableName",
    "Attribute",
];

pub(crate) fn is_path_system_variable(name: &str) -> bool {
    PATH_SYSTEM_VARIABLES
        .iter()
        .any(|v| v.eq_ignore_ascii_case(name))
}

pub(crate) fn is_file_function(name: &str) -> bool {
    FILE_FUNCTIONS.iter().any(|f| f.eq_ignore_ascii_case(name))
}

/// Records calls and path-exposing system variables found in the `$(…)` expansions in the byte
/// range `start..end`, which is an expansion token or a quoted token that may contain expansions.
pub(crate) fn expansion_calls(
    text: &str,
    index: &LineIndex,
    start: usize,
    end: usize,
    out: &mut Vec<FunctionCall>,
) {
    let bytes = text.as_bytes();
    let mut i = start;
    while i + 1 < end {
        let Some(offset) = memchr::memchr(b'$', &bytes[i..end - 1]) else {
            return;
        };
        i += offset;
        if bytes[i + 1] == b'('
            && let Some(close) = crate::lex::scan_expansion(bytes, i)
        {
            let close = close.min(end);
            expansion_body(text, index, i + 2, close.saturating_sub(1), out);
            i = close;
            continue;
        }
        i += 1;
    }
}

/// Handles the text between `$(` and `)`, at byte range `start..end`.
fn expansion_body(
    text: &str,
    index: &LineIndex,
    start: usize,
    end: usize,
    out: &mut Vec<FunctionCall>,
) {
    if start >= end {
        return;
    }
    let body = &text[start..end];
    if let Some(expression) = body.strip_prefix('=') {
        expression_calls(text, index, end - expression.len(), end, out);
        return;
    }
    let name_start = start + usize::from(body.starts_with('#'));
    let name_end = text[name_start..end]
        .find('(')
        .map_or(end, |offset| name_start + offset);
    let name = text[name_start..name_end].trim();
    if is_path_system_variable(name) {
        let offset = name_start
            + (text[name_start..name_end].len() - text[name_start..name_end].trim_start().len());
        out.push(FunctionCall {
            name: name.into(),
            span: index.span(text, offset as u32, (offset + name.len()) as u32),
        });
    }
    // Nested expansions in the name or the parameters, e.g. `$(v$(i))`.
    if !crate::lex::nests_too_deeply(&text[name_start..end]) {
        expansion_calls(text, index, name_start, end, out);
    }
}

/// Records every `name(` call in the expression text at `start..end`.
fn expression_calls(
    text: &str,
    index: &LineIndex,
    start: usize,
    end: usize,
    out: &mut Vec<FunctionCall>,
) {
    let mut lexer = Lexer::new(&text[..end]);
    lexer.seek(start);
    let mut previous: Option<Token> = None;
    while let Some(token) = lexer.next_token() {
        if let Some(name) = previous
            && token.is_punct(text, "(")
        {
            out.push(FunctionCall {
                name: name.text(text).into(),
                span: index.span(text, name.start, name.end),
            });
        }
        if token.has_expansion {
            let (start, end) = (token.start as usize, token.end as usize);
            expansion_calls(text, index, start, end, out);
        }
        previous = (token.kind == TokenKind::Ident).then_some(token);
    }
}
