//! File format specifications: the parenthesised list after a FROM or INTO path.

use super::{Cursor, PResult};
use crate::SourceRole;
use crate::ast::FormatItem;
use crate::lex::TokenKind;

/// Reads `( item {, item} )` when the next token is `(`; returns an empty list otherwise.
pub(crate) fn format_spec(cursor: &mut Cursor) -> PResult<Vec<FormatItem>> {
    let mut items = Vec::new();
    if !cursor.eat_punct("(") {
        return Ok(items);
    }
    loop {
        items.push(item(cursor)?);
        if cursor.eat_punct(")") {
            return Ok(items);
        }
        cursor.expect_punct(",")?;
    }
}

/// Reads one item up to the next top-level `,` or `)`.
fn item(cursor: &mut Cursor) -> PResult<FormatItem> {
    let start = cursor.pos;
    let mut depth = 0usize;
    let mut is_index = None;
    while let Some(token) = cursor.peek() {
        let text = token.text(cursor.text);
        if token.kind == TokenKind::Punct {
            match text {
                "(" => depth += 1,
                ")" | "," if depth == 0 => break,
                ")" => depth -= 1,
                _ => {}
            }
        }
        if depth == 0 && is_index.is_none() && token.is_keyword(cursor.text, "is") {
            is_index = Some(cursor.pos);
        }
        cursor.pos += 1;
    }
    let end = cursor.pos;
    if end == start {
        return Err(cursor.error("expected a format item"));
    }
    let Some(is_index) = is_index else {
        let text = words(cursor, start, end);
        return Ok(FormatItem::Flag { text });
    };
    let mut key = words(cursor, start, is_index);
    key.retain(|c| c != ' ');
    let value = cursor.unquoted_between(is_index + 1, end);
    if key == "url" && end > is_index + 1 {
        cursor.add_source(SourceRole::Url, value.clone(), is_index + 1, end);
    }
    Ok(FormatItem::Is { key, value })
}

/// Returns the tokens `from..to` as lower-case text with single spaces; quoted tokens lose their
/// quotes and keep their case.
fn words(cursor: &Cursor, from: usize, to: usize) -> String {
    let mut text = String::new();
    for index in from..to {
        let token = cursor.tokens[index];
        if index > from && token.space_before {
            text.push(' ');
        }
        if token.is_quoted() {
            token.push_unquoted(cursor.text, &mut text);
        } else {
            let word = token.text(cursor.text);
            text.extend(word.chars().map(|c| c.to_ascii_lowercase()));
        }
    }
    text
}
