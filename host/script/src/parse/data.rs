//! Statements on tables and fields: STORE, DROP, RENAME, TAG, COMMENT, ALIAS, MAP … USING and the
//! keyword-plus-name-list family (QUALIFY, UNQUALIFY, NULLASVALUE, …).

use super::format::format_spec;
use super::{Cursor, PResult, Parsed};
use crate::ast::{
    AliasPair, CommentStatement, DropStatement, MapUsingStatement, NameListStatement, Node,
    ObjectKind, RenameStatement, StoreStatement, TagStatement,
};
use crate::{SourceRole, StatementKind};

pub(crate) fn store(cursor: &mut Cursor) -> PResult<Parsed> {
    cursor.expect_kw("store")?;
    let mut names = store_names(cursor)?;
    let mut fields = Vec::new();
    if cursor.eat_kw("from") {
        fields = names;
        names = store_names(cursor)?;
    }
    cursor.expect_kw("into")?;
    let (path, from, to) = cursor.path_until(|c| c.is_punct("("))?;
    cursor.add_source(SourceRole::StoreInto, path.clone(), from, to);
    let format = format_spec(cursor)?;
    Ok(Parsed {
        kind: StatementKind::Store,
        node: Node::Store(Box::new(StoreStatement {
            fields,
            tables: names,
            path,
            format,
        })),
    })
}

/// Reads the names before FROM or INTO; a field may carry `AS alias`, which is kept in the name.
fn store_names(cursor: &mut Cursor) -> PResult<Vec<String>> {
    let mut names = Vec::new();
    loop {
        let mut name = if cursor.eat_punct("*") {
            "*".to_owned()
        } else {
            cursor.name()?
        };
        if cursor.eat_kw("as") {
            name = format!("{name} as {}", cursor.name()?);
        }
        names.push(name);
        if !cursor.eat_punct(",") {
            return Ok(names);
        }
    }
}

/// Reads TABLE, TABLES, FIELD or FIELDS.
fn object_kind(cursor: &mut Cursor) -> Option<ObjectKind> {
    if cursor.eat_kw("table") || cursor.eat_kw("tables") {
        Some(ObjectKind::Table)
    } else if cursor.eat_kw("field") || cursor.eat_kw("fields") {
        Some(ObjectKind::Field)
    } else {
        None
    }
}

pub(crate) fn drop(cursor: &mut Cursor) -> PResult<Parsed> {
    cursor.expect_kw("drop")?;
    if cursor.is_kw("relationship") {
        cursor.pos -= 1;
        return super::misc::raw_statement(cursor, "drop");
    }
    let object = object_kind(cursor).ok_or_else(|| cursor.error("expected TABLE or FIELD"))?;
    let names = cursor.name_list()?;
    let from = if object == ObjectKind::Field && cursor.eat_kw("from") {
        cursor.name_list()?
    } else {
        Vec::new()
    };
    Ok(Parsed {
        kind: StatementKind::Drop,
        node: Node::Drop(Box::new(DropStatement {
            object,
            names,
            from,
        })),
    })
}

pub(crate) fn rename(cursor: &mut Cursor) -> PResult<Parsed> {
    cursor.expect_kw("rename")?;
    let object = object_kind(cursor).ok_or_else(|| cursor.error("expected TABLE or FIELD"))?;
    let mut statement = RenameStatement {
        object,
        using_map: None,
        pairs: Vec::new(),
    };
    if cursor.eat_kw("using") {
        statement.using_map = Some(cursor.name()?);
    } else {
        loop {
            let old = cursor.name()?;
            cursor.expect_kw("to")?;
            let new = cursor.name()?;
            statement.pairs.push((old, new));
            if !cursor.eat_punct(",") {
                break;
            }
        }
    }
    Ok(Parsed {
        kind: StatementKind::Rename,
        node: Node::Rename(Box::new(statement)),
    })
}

pub(crate) fn name_list(cursor: &mut Cursor, word: &str) -> PResult<Parsed> {
    cursor.pos += 1;
    let mut keyword = word.to_owned();
    let kind = match word {
        "qualify" => StatementKind::Qualify,
        "unqualify" => StatementKind::Unqualify,
        "nullasvalue" => StatementKind::NullAsValue,
        "nullasnull" => StatementKind::NullAsNull,
        "unmap" => StatementKind::Unmap,
        "autonumber" => StatementKind::AutoNumber,
        "loosen" => {
            object_kind(cursor).ok_or_else(|| cursor.error("expected TABLE"))?;
            keyword.push_str(" table");
            StatementKind::LooseEnd
        }
        _ => {
            let mode = if cursor.eat_kw("include") {
                "include"
            } else {
                cursor.expect_kw("exclude")?;
                "exclude"
            };
            keyword = format!("search {mode}");
            StatementKind::Search
        }
    };
    let names = cursor.name_list()?;
    let qualifier = if cursor.eat_kw("using") {
        Some(cursor.name()?)
    } else {
        None
    };
    Ok(Parsed {
        kind,
        node: Node::NameList(Box::new(NameListStatement {
            keyword,
            names,
            qualifier,
        })),
    })
}

pub(crate) fn map_using(cursor: &mut Cursor) -> PResult<Parsed> {
    cursor.expect_kw("map")?;
    let fields = cursor.name_list()?;
    cursor.expect_kw("using")?;
    let map = cursor.name()?;
    Ok(Parsed {
        kind: StatementKind::MapUsing,
        node: Node::MapUsing(MapUsingStatement { fields, map }),
    })
}

/// Reads `USING map` or `names WITH values` shared by TAG and COMMENT; returns the map, the
/// names and the values.
fn using_or_with(cursor: &mut Cursor) -> PResult<(Option<String>, Vec<String>, Vec<String>)> {
    if cursor.eat_kw("using") {
        return Ok((Some(cursor.name()?), Vec::new(), Vec::new()));
    }
    let names = cursor.name_list()?;
    cursor.expect_kw("with")?;
    let values = cursor.name_list()?;
    Ok((None, names, values))
}

pub(crate) fn tag(cursor: &mut Cursor) -> PResult<Parsed> {
    let untag = cursor.is_kw("untag");
    cursor.pos += 1;
    let object = object_kind(cursor).unwrap_or(ObjectKind::Field);
    let (using_map, names, tags) = using_or_with(cursor)?;
    let kind = if untag {
        StatementKind::Untag
    } else {
        StatementKind::Tag
    };
    Ok(Parsed {
        kind,
        node: Node::Tag(Box::new(TagStatement {
            untag,
            object,
            using_map,
            names,
            tags,
        })),
    })
}

pub(crate) fn comment(cursor: &mut Cursor) -> PResult<Parsed> {
    cursor.expect_kw("comment")?;
    let object = object_kind(cursor).unwrap_or(ObjectKind::Field);
    let (using_map, names, comments) = using_or_with(cursor)?;
    Ok(Parsed {
        kind: StatementKind::Comment,
        node: Node::Comment(Box::new(CommentStatement {
            object,
            using_map,
            names,
            comment: comments.into_iter().next(),
        })),
    })
}

pub(crate) fn alias(cursor: &mut Cursor) -> PResult<Parsed> {
    cursor.expect_kw("alias")?;
    let mut pairs = Vec::new();
    loop {
        let name = cursor.name()?;
        cursor.expect_kw("as")?;
        let alias = cursor.name()?;
        pairs.push(AliasPair { name, alias });
        if !cursor.eat_punct(",") {
            break;
        }
    }
    Ok(Parsed {
        kind: StatementKind::Alias,
        node: Node::Alias { pairs },
    })
}
