//! SQL pass-through: `[SQL] SELECT …` and `SQL …`.
//!
//! The engine sends the text to the driver unparsed; only the table names after FROM and JOIN
//! are read, where they are written plainly.

use super::{Cursor, Head, PResult, Parsed};
use crate::ast::{Node, SelectStatement};
use crate::lex::TokenKind;
use crate::{SourceRole, StatementKind};

pub(crate) fn select(cursor: &mut Cursor, head: &mut Head) -> PResult<Parsed> {
    let sql_keyword = cursor.eat_kw("sql");
    if !sql_keyword {
        cursor.expect_kw("select")?;
        cursor.pos -= 1;
    }
    let text = cursor.rest_text();
    let tables = tables(cursor);
    cursor.skip_to_end();
    Ok(Parsed {
        kind: StatementKind::Select,
        node: Node::Select(Box::new(SelectStatement {
            prefixes: std::mem::take(&mut head.prefix_nodes),
            sql_keyword,
            text,
            tables,
        })),
    })
}

/// Collects the tables after FROM and JOIN in query context. A parenthesis opened right before
/// SELECT is a subquery and stays in query context; any other parenthesis (a function call such as
/// `EXTRACT(YEAR FROM d)`) does not.
fn tables(cursor: &mut Cursor) -> Vec<String> {
    let mut tables = Vec::new();
    let mut query_context = vec![true];
    while let Some(token) = cursor.next() {
        if token.is_punct(cursor.text, "(") {
            query_context.push(cursor.is_kw("select"));
            continue;
        }
        if token.is_punct(cursor.text, ")") {
            if query_context.len() > 1 {
                query_context.pop();
            }
            continue;
        }
        let in_query = query_context.last().copied().unwrap_or(true);
        let is_from =
            token.is_keyword(cursor.text, "from") || token.is_keyword(cursor.text, "join");
        if in_query && is_from {
            table_list(cursor, &mut tables, token.is_keyword(cursor.text, "from"));
        }
    }
    tables
}

/// Reads a table after FROM or JOIN, and after FROM further tables separated by commas.
fn table_list(cursor: &mut Cursor, tables: &mut Vec<String>, comma_list: bool) {
    loop {
        let Some(table) = table_name(cursor) else {
            return;
        };
        tables.push(table);
        if !comma_list {
            return;
        }
        skip_alias(cursor);
        if !cursor.eat_punct(",") {
            return;
        }
    }
}

/// Reads a table name: glued names, quoted names, expansions and dots, such as `dbo.Orders`,
/// `"dbo"."Orders"` or `[db].[dbo].[Orders]`.
fn table_name(cursor: &mut Cursor) -> Option<String> {
    let from = cursor.pos;
    while let Some(token) = cursor.peek() {
        let part = matches!(token.kind, TokenKind::Ident | TokenKind::Expansion)
            || token.is_quoted()
            || token.is_punct(cursor.text, ".");
        if !part || (cursor.pos > from && token.space_before) {
            break;
        }
        cursor.pos += 1;
    }
    if cursor.pos == from || cursor.tokens[from].is_keyword(cursor.text, "select") {
        cursor.pos = from;
        return None;
    }
    let name = cursor.unquoted_between(from, cursor.pos);
    cursor.add_source(SourceRole::SqlTable, name.clone(), from, cursor.pos);
    Some(name)
}

/// Skips `[AS] alias` after a table name.
fn skip_alias(cursor: &mut Cursor) {
    cursor.eat_kw("as");
    let is_alias = cursor.peek().is_some_and(|t| {
        let keyword = [
            "where", "join", "inner", "left", "right", "outer", "full", "cross", "group", "order",
            "union", "on", "having", "with", "natural", "limit",
        ]
        .iter()
        .any(|k| t.is_keyword(cursor.text, k));
        (t.kind == TokenKind::Ident || t.is_quoted()) && !keyword
    });
    if is_alias {
        cursor.pos += 1;
    }
}
