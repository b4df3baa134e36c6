//! Statements with a simple shape: INCLUDE, BINARY, EXECUTE, DIRECTORY, SECTION, TRACE, SLEEP,
//! STAR, FORCE, DECLARE/DERIVE and statements kept as raw text.

use super::expr::expr;
use super::{Cursor, PResult, Parsed};
use crate::ast::{
    DeclareStatement, DeriveStatement, ForceStatement, IncludeDirective, Node, PathStatement,
    RawStatement, RawText, SectionKind, StarStatement,
};
use crate::{SourceRef, SourceRole, StatementKind, paths};

pub(crate) fn keyword_only(
    cursor: &mut Cursor,
    kind: StatementKind,
    node: Node,
) -> PResult<Parsed> {
    cursor.pos += 1;
    Ok(Parsed { kind, node })
}

/// Parses a statement that is only `$(Include=path)` or `$(Must_Include=path)`.
pub(crate) fn include(cursor: &mut Cursor) -> PResult<Parsed> {
    let token = cursor
        .next()
        .ok_or_else(|| cursor.error("expected an include"))?;
    let text = token.text(cursor.text);
    let equals = text.find('=').unwrap_or(text.len() - 1);
    let must = text[2..equals].eq_ignore_ascii_case("must_include");
    let inner = &text[equals + 1..text.len() - 1];
    let trimmed = inner.trim();
    let leading = inner.len() - inner.trim_start().len();
    let start = token.start + (equals + 1 + leading) as u32;
    let end = start + trimmed.len() as u32;
    let path = strip_path_quotes(trimmed).to_owned();
    let role = if must {
        SourceRole::MustInclude
    } else {
        SourceRole::Include
    };
    let span = cursor.span(start, end);
    cursor.sources.push(SourceRef {
        role,
        kind: paths::classify_path(&path),
        path: path.clone(),
        resolved: None,
        span,
    });
    Ok(Parsed {
        kind: StatementKind::Include,
        node: Node::Include(IncludeDirective { must, path }),
    })
}

/// Removes one pair of `[…]`, `'…'` or `"…"` around an include path.
fn strip_path_quotes(path: &str) -> &str {
    for (open, close) in [('[', ']'), ('\'', '\''), ('"', '"')] {
        if let Some(inner) = path.strip_prefix(open).and_then(|p| p.strip_suffix(close)) {
            return inner;
        }
    }
    path
}

/// Reads the rest of the statement as an optional path and records it.
fn optional_path(cursor: &mut Cursor, role: SourceRole) -> Option<String> {
    if cursor.at_end() {
        return None;
    }
    let from = cursor.pos;
    cursor.skip_to_end();
    let path = cursor.unquoted_between(from, cursor.end);
    cursor.add_source(role, path.clone(), from, cursor.end);
    Some(path)
}

pub(crate) fn binary(cursor: &mut Cursor) -> PResult<Parsed> {
    cursor.expect_kw("binary")?;
    let path = optional_path(cursor, SourceRole::Binary);
    Ok(Parsed {
        kind: StatementKind::Binary,
        node: Node::Binary(PathStatement { path }),
    })
}

pub(crate) fn directory(cursor: &mut Cursor) -> PResult<Parsed> {
    cursor.expect_kw("directory")?;
    let path = optional_path(cursor, SourceRole::Directory);
    Ok(Parsed {
        kind: StatementKind::Directory,
        node: Node::Directory(PathStatement { path }),
    })
}

pub(crate) fn execute(cursor: &mut Cursor) -> PResult<Parsed> {
    cursor.expect_kw("execute")?;
    let text = cursor.rest_text();
    if !cursor.at_end() {
        let from = cursor.pos;
        cursor.add_source(SourceRole::Execute, text.clone(), from, cursor.end);
    }
    cursor.skip_to_end();
    Ok(Parsed {
        kind: StatementKind::Execute,
        node: Node::Execute(RawText { text }),
    })
}

pub(crate) fn section(cursor: &mut Cursor) -> PResult<Parsed> {
    cursor.expect_kw("section")?;
    let (kind, section) = if cursor.eat_kw("access") {
        (StatementKind::SectionAccess, SectionKind::Access)
    } else if cursor.eat_kw("application") {
        (StatementKind::SectionApplication, SectionKind::Application)
    } else {
        cursor.expect_kw("directquery")?;
        (StatementKind::SectionDirectQuery, SectionKind::DirectQuery)
    };
    Ok(Parsed {
        kind,
        node: Node::Section { section },
    })
}

pub(crate) fn trace(cursor: &mut Cursor) -> PResult<Parsed> {
    cursor.expect_kw("trace")?;
    let text = cursor.rest_text();
    cursor.skip_to_end();
    Ok(Parsed {
        kind: StatementKind::Trace,
        node: Node::Trace(RawText { text }),
    })
}

pub(crate) fn sleep(cursor: &mut Cursor) -> PResult<Parsed> {
    cursor.expect_kw("sleep")?;
    let duration = expr(cursor)?;
    Ok(Parsed {
        kind: StatementKind::Sleep,
        node: Node::Sleep(duration),
    })
}

pub(crate) fn star(cursor: &mut Cursor) -> PResult<Parsed> {
    cursor.expect_kw("star")?;
    cursor.expect_kw("is")?;
    let symbol = (!cursor.at_end()).then(|| cursor.unquoted_between(cursor.pos, cursor.end));
    cursor.skip_to_end();
    Ok(Parsed {
        kind: StatementKind::Star,
        node: Node::Star(StarStatement { symbol }),
    })
}

pub(crate) fn force(cursor: &mut Cursor) -> PResult<Parsed> {
    cursor.expect_kw("force")?;
    let mode = if cursor.eat_kw("capitalization") {
        "capitalization".to_owned()
    } else {
        cursor.expect_kw("case")?;
        let case = ["upper", "lower", "mixed"]
            .into_iter()
            .find(|c| cursor.is_kw(c))
            .ok_or_else(|| cursor.error("expected UPPER, LOWER or MIXED"))?;
        cursor.pos += 1;
        format!("case {case}")
    };
    Ok(Parsed {
        kind: StatementKind::Force,
        node: Node::Force(ForceStatement { mode }),
    })
}

pub(crate) fn declare_derive(cursor: &mut Cursor) -> PResult<Parsed> {
    let declare = cursor.is_kw("declare");
    cursor.pos += 1;
    let text = cursor.rest_text();
    cursor.skip_to_end();
    Ok(if declare {
        Parsed {
            kind: StatementKind::Declare,
            node: Node::Declare(DeclareStatement { text }),
        }
    } else {
        Parsed {
            kind: StatementKind::Derive,
            node: Node::Derive(DeriveStatement { text }),
        }
    })
}

/// Statements kept as text, identified by their leading keywords.
pub(crate) fn raw_statement(cursor: &mut Cursor, word: &str) -> PResult<Parsed> {
    let (kind, keyword) = match word {
        "direct" if cursor.is_kw_at(1, "query") => (StatementKind::DirectQuery, "direct query"),
        "sqlcolumns" | "sqltables" | "sqltypes" => (StatementKind::SqlCatalog, word),
        "flushlog" => (StatementKind::FlushLog, word),
        "import" if cursor.is_kw_at(1, "live") => (StatementKind::ImportLive, "import live"),
        "create" if cursor.is_kw_at(1, "relationship") => {
            (StatementKind::Relationship, "create relationship")
        }
        "drop" if cursor.is_kw_at(1, "relationship") => {
            (StatementKind::Relationship, "drop relationship")
        }
        "dimension" => (StatementKind::Dimension, word),
        "measure" => (StatementKind::Measure, word),
        "constrain" => (StatementKind::Constrain, word),
        "includemodel" => (StatementKind::IncludeModel, word),
        "inputfield" => (StatementKind::InputField, word),
        "command" => (StatementKind::Command, word),
        _ => return Err(cursor.error("unknown statement keyword")),
    };
    cursor.pos += keyword.split(' ').count();
    let text = cursor.rest_text();
    cursor.skip_to_end();
    Ok(Parsed {
        kind,
        node: Node::Raw(RawStatement {
            keyword: keyword.to_owned(),
            text,
        }),
    })
}
