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

/// Records calls and path-exposing system variables found in the `$(…)` expansions of `token`,
/// which is an expansion token or a quoted token that may contain expansions.
pub(crate) fn expansion_calls(
    text: &str,
    index: &LineIndex,
    token: Token,
    out: &mut Vec<FunctionCall>,
) {
    let bytes = text.as_bytes();
    let mut i = token.start as usize;
    let end = token.end as usize;
    if !text[i..end].contains("$(") {
        return;
    }
    while i + 1 < end {
        if bytes[i] == b'$'
            && bytes[i + 1] == b'('
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
            name: name.to_owned(),
            span: index.span(text, offset as u32, (offset + name.len()) as u32),
        });
    }
    // Nested expansions in the name or the parameters, e.g. `$(v$(i))`.
    let inner = Token {
        kind: TokenKind::Raw,
        start: name_start as u32,
        end: end as u32,
        line_break_before: false,
        space_before: false,
    };
    expansion_calls(text, index, inner, out);
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
                name: name.text(text).to_owned(),
                span: index.span(text, name.start, name.end),
            });
        }
        if token.kind == TokenKind::Expansion || token.is_quoted() {
            expansion_calls(text, index, token, out);
        }
        previous = (token.kind == TokenKind::Ident).then_some(token);
    }
}
