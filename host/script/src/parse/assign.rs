//! LET, SET and assignments written without LET.

use super::expr::expr_or_raw;
use super::{Cursor, PResult, Parsed};
use crate::StatementKind;
use crate::ast::{Assignment, AssignmentKeyword, Node};

/// `LET name = expr` or `SET name = text`.
pub(crate) fn let_set(cursor: &mut Cursor) -> PResult<Parsed> {
    let keyword = if cursor.eat_kw("let") {
        AssignmentKeyword::Let
    } else {
        cursor.expect_kw("set")?;
        AssignmentKeyword::Set
    };
    assignment(cursor, keyword)
}

/// `name = expr` on one line, a control statement.
pub(crate) fn bare_assignment(cursor: &mut Cursor) -> PResult<Parsed> {
    assignment(cursor, AssignmentKeyword::None)
}

fn assignment(cursor: &mut Cursor, keyword: AssignmentKeyword) -> PResult<Parsed> {
    let name = cursor.name_as()?;
    if keyword != AssignmentKeyword::None && cursor.at_end() {
        // `SET name;` without `=` occurs in scripts that reload; it is taken as an empty value.
        return Ok(Parsed {
            kind: if keyword == AssignmentKeyword::Set {
                StatementKind::Set
            } else {
                StatementKind::Let
            },
            node: Node::LetSet(Box::new(Assignment {
                keyword,
                name,
                value_text: None,
                value_span: None,
                value: None,
            })),
        });
    }
    cursor.expect_punct("=")?;
    let value_start = cursor.pos;
    let text = cursor.text_between(cursor.pos, cursor.end).trim();
    let value_text = (!text.is_empty()).then(|| text.into());
    let value_span = (value_start < cursor.end).then(|| {
        let end = cursor.tokens[cursor.end - 1].end;
        cursor.span(cursor.tokens[value_start].start, end)
    });
    let value = if keyword == AssignmentKeyword::Set || cursor.at_end() {
        cursor.scan_calls(value_start, cursor.end);
        cursor.skip_to_end();
        None
    } else {
        Some(expr_or_raw(cursor, false))
    };
    let kind = if keyword == AssignmentKeyword::Set {
        StatementKind::Set
    } else {
        StatementKind::Let
    };
    Ok(Parsed {
        kind,
        node: Node::LetSet(Box::new(Assignment {
            keyword,
            name,
            value_text,
            value_span,
            value,
        })),
    })
}
