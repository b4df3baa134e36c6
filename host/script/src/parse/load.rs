//! LOAD statements and the prefixes shared by LOAD and SELECT.

use super::expr::{expr, expr_or_raw};
use super::format::format_spec;
use super::{Cursor, Head, PResult, Parsed};
use crate::ast::{JoinKind, LoadField, LoadSource, LoadStatement, Node, OrderItem, Prefix};
use crate::lex::TokenKind;
use crate::{LoadPrefixes, SourceRole, StatementKind};

/// Reads one prefix when one is next; returns whether it did.
pub(crate) fn prefix(cursor: &mut Cursor, head: &mut Head) -> PResult<bool> {
    let Some(token) = cursor.peek() else {
        return Ok(false);
    };
    if token.kind == TokenKind::Expansion {
        return Ok(expansion_prefix(cursor, head));
    }
    if token.kind != TokenKind::Ident || cursor.peek_at(1).is_none() {
        return Ok(false);
    }
    let lower = super::cursor::LowerWord::new(token.text(cursor.text));
    let start = cursor.pos;
    cursor.pos += 1;
    let parsed = match lower.as_bytes() {
        b"mapping" => Some((Prefix::Mapping, LoadPrefixes::MAPPING)),
        b"noconcatenate" => Some((Prefix::NoConcatenate, LoadPrefixes::NOCONCATENATE)),
        b"generic" => Some((Prefix::Generic, LoadPrefixes::GENERIC)),
        b"semantic" => Some((Prefix::Semantic, LoadPrefixes::SEMANTIC)),
        b"info" => Some((Prefix::Info, LoadPrefixes::INFO)),
        b"concatenate" => {
            let table = table_argument(cursor)?;
            Some((Prefix::Concatenate { table }, LoadPrefixes::CONCATENATE))
        }
        b"join" | b"keep" => Some(join_or_keep(cursor, JoinKind::Plain, lower.as_str())?),
        b"inner" | b"outer" | b"left" | b"right" => join_kind_prefix(cursor, lower.as_str())?,
        b"crosstable" | b"hierarchy" | b"hierarchybelongsto" | b"intervalmatch" | b"image_size" => {
            Some(argument_prefix(cursor, lower.as_str())?)
        }
        b"buffer" => Some((
            Prefix::Buffer {
                options: buffer_options(cursor),
            },
            LoadPrefixes::BUFFER,
        )),
        b"bundle" => {
            let info = cursor.eat_kw("info");
            let flags = if info {
                LoadPrefixes::BUNDLE | LoadPrefixes::INFO
            } else {
                LoadPrefixes::BUNDLE
            };
            Some((Prefix::Bundle { info }, flags))
        }
        b"add" | b"replace" => Some(add_or_replace(cursor, lower.as_str())),
        b"merge" => Some(merge(cursor)?),
        b"first" | b"sample" | b"when" | b"unless" => {
            Some(expression_prefix(cursor, lower.as_str())?)
        }
        _ => None,
    };
    match parsed {
        Some((node, flags)) => {
            head.prefixes.insert(flags);
            head.prefix_nodes.push(node);
            Ok(true)
        }
        None => {
            cursor.pos = start;
            Ok(false)
        }
    }
}

fn expansion_prefix(cursor: &mut Cursor, head: &mut Head) -> bool {
    if cursor.name_group_end(cursor.pos) != cursor.pos + 1 {
        return false;
    }
    let Some(token) = cursor.next() else {
        return false;
    };
    head.prefixes.insert(LoadPrefixes::DYNAMIC);
    head.prefix_nodes.push(Prefix::Expansion {
        text: token.text(cursor.text).to_owned(),
    });
    true
}

/// Reads an optional `(TableName)`.
fn table_argument(cursor: &mut Cursor) -> PResult<Option<String>> {
    if !cursor.eat_punct("(") {
        return Ok(None);
    }
    let name = cursor.name()?;
    cursor.expect_punct(")")?;
    Ok(Some(name))
}

fn join_or_keep(
    cursor: &mut Cursor,
    kind: JoinKind,
    word: &str,
) -> PResult<(Prefix, LoadPrefixes)> {
    let table = table_argument(cursor)?;
    let qualifier = match kind {
        JoinKind::Plain => LoadPrefixes::NONE,
        JoinKind::Inner => LoadPrefixes::INNER,
        JoinKind::Outer => LoadPrefixes::OUTER,
        JoinKind::Left => LoadPrefixes::LEFT,
        JoinKind::Right => LoadPrefixes::RIGHT,
    };
    if word == "join" {
        Ok((Prefix::Join { kind, table }, LoadPrefixes::JOIN | qualifier))
    } else {
        Ok((Prefix::Keep { kind, table }, LoadPrefixes::KEEP | qualifier))
    }
}

fn join_kind_prefix(cursor: &mut Cursor, word: &str) -> PResult<Option<(Prefix, LoadPrefixes)>> {
    let kind = match word {
        "inner" => JoinKind::Inner,
        "outer" => JoinKind::Outer,
        "left" => JoinKind::Left,
        _ => JoinKind::Right,
    };
    if cursor.eat_kw("join") {
        return Ok(Some(join_or_keep(cursor, kind, "join")?));
    }
    if cursor.eat_kw("keep") {
        return Ok(Some(join_or_keep(cursor, kind, "keep")?));
    }
    Ok(None)
}

/// Reads `( expr {, expr} )`.
pub(crate) fn arguments(cursor: &mut Cursor) -> PResult<Vec<crate::ast::Expr>> {
    cursor.expect_punct("(")?;
    let mut args = Vec::new();
    if cursor.eat_punct(")") {
        return Ok(args);
    }
    loop {
        args.push(expr_or_raw(cursor, true));
        if cursor.eat_punct(")") {
            return Ok(args);
        }
        cursor.expect_punct(",")?;
    }
}

fn argument_prefix(cursor: &mut Cursor, word: &str) -> PResult<(Prefix, LoadPrefixes)> {
    let args = arguments(cursor)?;
    Ok(match word {
        "crosstable" => (Prefix::CrossTable { args }, LoadPrefixes::CROSSTABLE),
        "hierarchy" => (Prefix::Hierarchy { args }, LoadPrefixes::HIERARCHY),
        "hierarchybelongsto" => (
            Prefix::HierarchyBelongsTo { args },
            LoadPrefixes::HIERARCHY_BELONGS_TO,
        ),
        "intervalmatch" => (Prefix::IntervalMatch { args }, LoadPrefixes::INTERVAL_MATCH),
        _ => (Prefix::ImageSize { args }, LoadPrefixes::IMAGE_SIZE),
    })
}

/// Reads the optional `(incremental)` or `(stale after 7 days)` of BUFFER as text.
fn buffer_options(cursor: &mut Cursor) -> Option<String> {
    if !cursor.is_punct("(") {
        return None;
    }
    let start = cursor.pos + 1;
    while !cursor.at_end() && !cursor.is_punct(")") {
        cursor.pos += 1;
    }
    let options = cursor.text_between(start, cursor.pos).to_owned();
    cursor.eat_punct(")");
    Some(options)
}

fn add_or_replace(cursor: &mut Cursor, word: &str) -> (Prefix, LoadPrefixes) {
    let only = cursor.eat_kw("only");
    let only_flag = if only {
        LoadPrefixes::ONLY
    } else {
        LoadPrefixes::NONE
    };
    if word == "add" {
        (Prefix::Add { only }, LoadPrefixes::ADD | only_flag)
    } else {
        (Prefix::Replace { only }, LoadPrefixes::REPLACE | only_flag)
    }
}

fn merge(cursor: &mut Cursor) -> PResult<(Prefix, LoadPrefixes)> {
    let only = cursor.eat_kw("only");
    let args = if cursor.is_punct("(") {
        arguments(cursor)?
    } else {
        Vec::new()
    };
    cursor.expect_kw("on")?;
    let on = cursor.name_list()?;
    let only_flag = if only {
        LoadPrefixes::ONLY
    } else {
        LoadPrefixes::NONE
    };
    Ok((
        Prefix::Merge { only, args, on },
        LoadPrefixes::MERGE | only_flag,
    ))
}

fn expression_prefix(cursor: &mut Cursor, word: &str) -> PResult<(Prefix, LoadPrefixes)> {
    let value = expr(cursor)?;
    Ok(match word {
        "first" => (Prefix::First { count: value }, LoadPrefixes::FIRST),
        "sample" => (Prefix::Sample { fraction: value }, LoadPrefixes::SAMPLE),
        "when" => (Prefix::When { condition: value }, LoadPrefixes::WHEN),
        _ => (Prefix::Unless { condition: value }, LoadPrefixes::UNLESS),
    })
}

pub(crate) fn load(cursor: &mut Cursor, head: &mut Head) -> PResult<Parsed> {
    cursor.expect_kw("load")?;
    cursor.in_load = true;
    let distinct = cursor.eat_kw("distinct");
    let fields = field_list(cursor)?;
    let source = source(cursor)?;
    let mut load = LoadStatement {
        prefixes: std::mem::take(&mut head.prefix_nodes),
        distinct,
        fields,
        source,
        where_clause: None,
        while_clause: None,
        group_by: Vec::new(),
        order_by: Vec::new(),
        dynamic_clauses: Vec::new(),
    };
    clauses(cursor, &mut load)?;
    let kind = if head.prefixes.contains(LoadPrefixes::SEMANTIC) {
        StatementKind::Semantic
    } else {
        StatementKind::Load
    };
    Ok(Parsed {
        kind,
        node: Node::Load(Box::new(load)),
    })
}

fn field_list(cursor: &mut Cursor) -> PResult<Vec<LoadField>> {
    let mut fields = Vec::new();
    loop {
        let value = expr(cursor)?;
        let alias = if cursor.eat_kw("as") {
            Some(cursor.name_as()?)
        } else {
            None
        };
        fields.push(LoadField { expr: value, alias });
        dynamic_fields(cursor, &mut fields);
        if !cursor.eat_punct(",") {
            return Ok(fields);
        }
        // A comma before the source or the end is accepted: real scripts that reload have it.
        if cursor.at_end() || is_source_start(cursor) || is_clause_start(cursor) {
            return Ok(fields);
        }
    }
}

/// Takes `$(…)` expansions written after a field without a comma, such as a variable holding
/// `, [Key] AS [%Key]`, as fields. An expansion followed by `(` is left as a source with its
/// format specification.
fn dynamic_fields(cursor: &mut Cursor, fields: &mut Vec<LoadField>) {
    while let Some(token) = cursor.peek() {
        let followed_by_paren = cursor
            .peek_at(1)
            .is_some_and(|t| t.is_punct(cursor.text, "("));
        if token.kind != TokenKind::Expansion || followed_by_paren {
            return;
        }
        cursor.pos += 1;
        fields.push(LoadField {
            expr: crate::ast::Expr::Expansion {
                text: token.text(cursor.text).into(),
            },
            alias: None,
        });
    }
}

/// true when the next word starts a LOAD source. A source keyword followed by a comma, AS or
/// the end is a field of that name, as in `LOAD Name, From, To RESIDENT T`.
fn is_source_start(cursor: &Cursor) -> bool {
    let keyword = [
        "from",
        "from_field",
        "resident",
        "inline",
        "autogenerate",
        "extension",
    ]
    .iter()
    .any(|k| cursor.is_kw(k));
    let field_name = match cursor.peek_at(1) {
        None => true,
        Some(next) => next.is_punct(cursor.text, ",") || next.is_keyword(cursor.text, "as"),
    };
    keyword && !field_name
}

fn is_clause_start(cursor: &Cursor) -> bool {
    ["where", "while"].iter().any(|k| cursor.is_clause_kw(k))
        || (["group", "order"].iter().any(|k| cursor.is_clause_kw(k)) && cursor.is_kw_at(1, "by"))
}

fn source(cursor: &mut Cursor) -> PResult<LoadSource> {
    if cursor.eat_kw("from") {
        let (path, from, to) = cursor.path_until(|c| c.is_punct("(") || is_clause_start(c))?;
        cursor.add_source(SourceRole::From, path.clone(), from, to);
        let format = format_spec(cursor)?;
        return Ok(LoadSource::From { path, format });
    }
    if cursor.eat_kw("from_field") {
        cursor.expect_punct("(")?;
        let table = cursor.name()?;
        cursor.expect_punct(",")?;
        let field = cursor.name()?;
        cursor.expect_punct(")")?;
        let format = format_spec(cursor)?;
        return Ok(LoadSource::FromField {
            table,
            field,
            format,
        });
    }
    if cursor.eat_kw("resident") {
        let from = cursor.pos;
        let table = cursor.name()?;
        cursor.add_source(SourceRole::Resident, table.clone(), from, cursor.pos);
        return Ok(LoadSource::Resident { table });
    }
    if cursor.eat_kw("inline") {
        return inline(cursor);
    }
    if cursor.eat_kw("autogenerate") {
        let count = expr(cursor)?;
        return Ok(LoadSource::Autogenerate { count });
    }
    if cursor.eat_kw("extension") {
        return extension(cursor);
    }
    if let Some(token) = cursor.peek().filter(|t| t.kind == TokenKind::Expansion) {
        cursor.pos += 1;
        let format = format_spec(cursor)?;
        let text = token.text(cursor.text).to_owned();
        return Ok(LoadSource::Dynamic { text, format });
    }
    Ok(LoadSource::None)
}

fn inline(cursor: &mut Cursor) -> PResult<LoadSource> {
    let token = cursor
        .next()
        .filter(|t| t.is_quoted())
        .ok_or_else(|| cursor.error("expected inline data in brackets or quotes"))?;
    let data = token.unquoted(cursor.text);
    let (data_start, data_end) = token.body_range(cursor.text);
    let data_span = cursor.span(data_start, data_end);
    let format = format_spec(cursor)?;
    Ok(LoadSource::Inline {
        data,
        format,
        data_span,
    })
}

/// `EXTENSION plugin.function( args )`; the arguments use a table syntax (`T{a, b}`), so the
/// call is kept as text.
fn extension(cursor: &mut Cursor) -> PResult<LoadSource> {
    let start = cursor.pos;
    let name_token = cursor
        .peek()
        .ok_or_else(|| cursor.error("expected a function"))?;
    let name = cursor.name()?;
    cursor.add_function(&name, name_token);
    if !cursor.is_punct("(") {
        return Err(cursor.error("expected '('"));
    }
    let mut depth = 0usize;
    while let Some(token) = cursor.next() {
        if token.is_punct(cursor.text, "(") {
            depth += 1;
        } else if token.is_punct(cursor.text, ")") {
            depth -= 1;
            if depth == 0 {
                break;
            }
        }
    }
    let text = cursor.text_between(start, cursor.pos).into();
    Ok(LoadSource::Extension {
        call: crate::ast::Expr::Raw { text },
    })
}

fn clauses(cursor: &mut Cursor, load: &mut LoadStatement) -> PResult<()> {
    loop {
        if cursor.eat_kw("where") {
            load.where_clause = Some(expr(cursor)?);
        } else if cursor.eat_kw("while") {
            load.while_clause = Some(expr(cursor)?);
        } else if cursor.is_kw("group") && cursor.is_kw_at(1, "by") {
            cursor.pos += 2;
            load.group_by = expression_list(cursor)?;
        } else if cursor.is_kw("order") && cursor.is_kw_at(1, "by") {
            cursor.pos += 2;
            load.order_by = order_list(cursor)?;
        } else if let Some(token) = cursor.peek().filter(|t| t.kind == TokenKind::Expansion) {
            cursor.pos += 1;
            load.dynamic_clauses
                .push(token.text(cursor.text).to_owned());
        } else {
            return Ok(());
        }
    }
}

fn expression_list(cursor: &mut Cursor) -> PResult<Vec<crate::ast::Expr>> {
    let mut items = vec![expr(cursor)?];
    while cursor.eat_punct(",") {
        items.push(expr(cursor)?);
    }
    Ok(items)
}

fn order_list(cursor: &mut Cursor) -> PResult<Vec<OrderItem>> {
    let mut items = Vec::new();
    loop {
        let value = expr(cursor)?;
        let descending = cursor.eat_kw("desc");
        if !descending {
            cursor.eat_kw("asc");
        }
        items.push(OrderItem {
            expr: value,
            descending,
        });
        if !cursor.eat_punct(",") {
            return Ok(items);
        }
    }
}
