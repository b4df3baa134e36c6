//! CONNECT statements: ODBC, OLEDB, CUSTOM, LIB and BDI.

use super::{Cursor, PResult, Parsed};
use crate::ast::{ConnectKind, ConnectStatement, Node};
use crate::{PathKind, SourceRole, StatementKind};

pub(crate) fn connect(cursor: &mut Cursor) -> PResult<Parsed> {
    let kind = connect_kind(cursor)?;
    let bitness = connect_keyword(cursor)?;
    cursor.expect_kw("to")?;
    let (target, from, to) = cursor.path_until(|c| c.is_punct("("))?;
    cursor.add_source(SourceRole::ConnectString, target.clone(), from, to);
    if kind == ConnectKind::Lib {
        if let Some(source) = cursor.sources.last_mut() {
            source.kind = crate::paths::classify_for_role(SourceRole::ConnectString, &target, true);
        }
    } else if let Some(source) = cursor.sources.last_mut()
        && source.kind != PathKind::Dynamic
    {
        source.kind = PathKind::Other;
    }
    let options = options(cursor)?;
    let statement_kind = match kind {
        ConnectKind::Odbc => StatementKind::OdbcConnect,
        ConnectKind::Oledb => StatementKind::OledbConnect,
        ConnectKind::Lib => StatementKind::LibConnect,
        ConnectKind::Custom | ConnectKind::Bdi => StatementKind::CustomConnect,
    };
    Ok(Parsed {
        kind: statement_kind,
        node: Node::Connect(Box::new(ConnectStatement {
            kind,
            bitness,
            target,
            options,
        })),
    })
}

/// Reads the interface keyword; CONNECT without one uses OLE DB.
fn connect_kind(cursor: &mut Cursor) -> PResult<ConnectKind> {
    let kind = if cursor.eat_kw("odbc") {
        ConnectKind::Odbc
    } else if cursor.eat_kw("oledb") {
        ConnectKind::Oledb
    } else if cursor.eat_kw("custom") {
        ConnectKind::Custom
    } else if cursor.eat_kw("lib") {
        ConnectKind::Lib
    } else if cursor.eat_kw("bdi") {
        ConnectKind::Bdi
    } else if cursor.is_kw("customconnect") {
        ConnectKind::Custom
    } else {
        ConnectKind::Oledb
    };
    Ok(kind)
}

/// Reads CONNECT, CONNECT32, CONNECT64 or the one-word CUSTOMCONNECT; returns the bitness.
fn connect_keyword(cursor: &mut Cursor) -> PResult<Option<u8>> {
    if cursor.eat_kw("connect") || cursor.eat_kw("customconnect") {
        return Ok(None);
    }
    if cursor.eat_kw("connect32") {
        return Ok(Some(32));
    }
    if cursor.eat_kw("connect64") {
        return Ok(Some(64));
    }
    Err(cursor.error("expected CONNECT"))
}

/// Reads `( item {, item} )` after the connection string, each item as text.
fn options(cursor: &mut Cursor) -> PResult<Vec<String>> {
    let mut options = Vec::new();
    if !cursor.eat_punct("(") {
        return Ok(options);
    }
    let mut start = cursor.pos;
    let mut depth = 0usize;
    while let Some(token) = cursor.next() {
        let text = token.text(cursor.text);
        match text {
            "(" => depth += 1,
            ")" if depth > 0 => depth -= 1,
            ")" | "," if depth == 0 => {
                options.push(cursor.text_between(start, cursor.pos - 1).to_owned());
                start = cursor.pos;
                if text == ")" {
                    return Ok(options);
                }
            }
            _ => {}
        }
    }
    Err(cursor.error("expected ')' after the connection options"))
}
