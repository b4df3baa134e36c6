//! Statement parsing: from the raw statements of the splitter to [`Statement`]s.

mod assign;
mod connect;
mod control;
mod cursor;
mod data;
pub(crate) mod expr;
mod format;
mod load;
mod misc;
mod select;

use crate::ast::{LoadSource, Node, RawText};
use crate::lex::TokenKind;
use crate::span::LineIndex;
use crate::split::{self, Class, RawStatement, Split};
use crate::{
    Diagnostic, DiagnosticSeverity, LoadPrefixes, Script, Span, Statement, StatementKind, Tab,
};
pub(crate) use cursor::{Cursor, PResult};

/// Result of a statement parser, besides the sources and functions it records on the cursor.
pub(crate) struct Parsed {
    pub kind: StatementKind,
    pub node: Node,
}

pub(crate) fn parse_script(text: &str) -> Script {
    let Split {
        lexer,
        tokens,
        statements: raw_statements,
    } = split::split(text);
    let index = LineIndex::new(text);
    let mut diagnostics: Vec<Diagnostic> = lexer
        .diagnostics
        .iter()
        .map(|d| Diagnostic {
            message: d.message.clone(),
            span: index.span(text, d.start, d.end),
            severity: d.severity,
        })
        .collect();
    let tab_offsets: Vec<u32> = lexer.tabs.iter().map(|(_, offset)| *offset).collect();
    let tabs = lexer
        .tabs
        .iter()
        .map(|(name, offset)| Tab {
            name: name.clone(),
            line: index.line_of(*offset),
        })
        .collect();
    let mut statements = Vec::with_capacity(raw_statements.len());
    for raw in &raw_statements {
        let mut cursor = Cursor::new(text, &index, &tokens, raw.first, raw.end);
        let mut statement = parse_statement(&mut cursor, raw, &mut diagnostics);
        let start = statement.span.start;
        let tab = tab_offsets.partition_point(|&offset| offset <= start);
        statement.tab = tab.checked_sub(1).map(|t| t as u32);
        let crosses_tab = tab_offsets
            .get(tab)
            .is_some_and(|&offset| offset < statement.span.end);
        if crosses_tab && raw.class == Class::Regular {
            diagnostics.push(Diagnostic {
                message: "statement continues past a ///$tab marker into the next section; is a ';' missing?".into(),
                span: statement.span,
                severity: DiagnosticSeverity::Warning,
            });
        }
        statements.push(statement);
    }
    Script {
        statements: merge_preceding_loads(statements),
        tabs,
        diagnostics,
    }
}

fn parse_statement(
    cursor: &mut Cursor,
    raw: &RawStatement,
    diagnostics: &mut Vec<Diagnostic>,
) -> Statement {
    let first = cursor.tokens[raw.first];
    let span = cursor.span(first.start, raw.span_end);
    let mut head = Head::default();
    let result = match raw.class {
        Class::Rem => Ok(rem(cursor)),
        Class::Include => misc::include(cursor),
        Class::Control => control::control(cursor),
        Class::Regular => regular(cursor, &mut head),
    };
    let keyword_span = match head.keyword {
        Some(index) => cursor.token_span(index),
        None => cursor.token_span(raw.first),
    };
    let parsed = match result.and_then(|parsed| cursor.expect_end().map(|()| parsed)) {
        Ok(parsed) => parsed,
        Err(error) => {
            diagnostics.push(Diagnostic {
                message: format!("statement not understood: {}", error.message),
                span: cursor.span(error.start, error.end),
                severity: DiagnosticSeverity::Warning,
            });
            cursor.recover_functions();
            Parsed {
                kind: StatementKind::Unknown,
                node: Node::Unknown,
            }
        }
    };
    if raw.class == Class::Regular && !raw.terminated {
        diagnostics.push(Diagnostic {
            message: "statement is not terminated by ';' before the end of the script".into(),
            span,
            severity: DiagnosticSeverity::Warning,
        });
    }
    cursor.collect_expansion_functions();
    let (sources, functions) = cursor.take_results(parsed.kind == StatementKind::Unknown);
    Statement {
        kind: parsed.kind,
        span,
        keyword_span,
        label: head.label,
        prefixes: head.prefixes,
        tab: None,
        sources,
        functions,
        node: parsed.node,
    }
}

/// Label and prefixes read before a regular statement's keyword.
#[derive(Default)]
pub(crate) struct Head {
    pub label: Option<String>,
    pub prefixes: LoadPrefixes,
    pub prefix_nodes: Vec<crate::ast::Prefix>,
    /// Token index of the statement keyword.
    pub keyword: Option<usize>,
}

fn rem(cursor: &mut Cursor) -> Parsed {
    cursor.next();
    let text = cursor.rest_text();
    cursor.skip_to_end();
    Parsed {
        kind: StatementKind::Rem,
        node: Node::Rem(RawText { text }),
    }
}

fn regular(cursor: &mut Cursor, head: &mut Head) -> PResult<Parsed> {
    loop {
        if let Some(label) = cursor.label()? {
            head.label = Some(label);
            continue;
        }
        if load::prefix(cursor, head)? {
            continue;
        }
        break;
    }
    if cursor.at_end() {
        if head.prefixes.contains(LoadPrefixes::DYNAMIC) && head.prefix_nodes.len() == 1 {
            return Ok(expansion_statement(cursor, head));
        }
        return Err(cursor.error("statement has a label or prefix but no keyword"));
    }
    head.keyword = Some(cursor.pos);
    dispatch(cursor, head)
}

/// Builds the statement made only of a `$(…)` expansion, e.g. `$(vLoadStatement);`.
fn expansion_statement(cursor: &Cursor, head: &mut Head) -> Parsed {
    let text = match head.prefix_nodes.pop() {
        Some(crate::ast::Prefix::Expansion { text }) => text,
        _ => String::new(),
    };
    head.prefixes = LoadPrefixes::NONE;
    head.keyword = Some(cursor.first);
    Parsed {
        kind: StatementKind::Expansion,
        node: Node::Expansion(RawText { text }),
    }
}

fn dispatch(cursor: &mut Cursor, head: &mut Head) -> PResult<Parsed> {
    let token = cursor
        .peek()
        .ok_or_else(|| cursor.error("missing keyword"))?;
    if token.kind != TokenKind::Ident {
        return Err(cursor.error("expected a statement keyword"));
    }
    let lower = cursor::LowerWord::new(token.text(cursor.text));
    let word = lower.as_str();
    match word {
        "load" => load::load(cursor, head),
        "select" | "sql" => select::select(cursor, head),
        "odbc" | "oledb" | "connect" | "connect32" | "connect64" | "custom" | "customconnect"
        | "lib" | "bdi" => connect::connect(cursor),
        "disconnect" => misc::keyword_only(cursor, StatementKind::Disconnect, Node::Disconnect),
        "store" => data::store(cursor),
        "drop" => data::drop(cursor),
        "rename" => data::rename(cursor),
        "let" | "set" => assign::let_set(cursor),
        "binary" => misc::binary(cursor),
        "execute" => misc::execute(cursor),
        "directory" => misc::directory(cursor),
        "section" => misc::section(cursor),
        "qualify" | "unqualify" | "nullasvalue" | "nullasnull" | "unmap" | "search"
        | "autonumber" | "loosen" => data::name_list(cursor, word),
        "map" => data::map_using(cursor),
        "trace" => misc::trace(cursor),
        "sleep" => misc::sleep(cursor),
        "star" => misc::star(cursor),
        "tag" | "untag" => data::tag(cursor),
        "comment" => data::comment(cursor),
        "alias" => data::alias(cursor),
        "force" => misc::force(cursor),
        "declare" | "derive" => misc::declare_derive(cursor),
        _ => misc::raw_statement(cursor, word),
    }
}

/// Joins each sourceless LOAD with the LOAD or SELECT right after it into one statement, so that
/// a preceding-load chain is one statement whose node nests the loads that feed it.
fn merge_preceding_loads(statements: Vec<Statement>) -> Vec<Statement> {
    if !statements.iter().any(is_sourceless_load) {
        return statements;
    }
    let mut merged: Vec<Statement> = Vec::with_capacity(statements.len());
    for mut statement in statements.into_iter().rev() {
        let feeds = merged.last().is_some_and(can_feed_preceding_load);
        if feeds
            && is_sourceless_load(&statement)
            && let Some(input) = merged.pop()
        {
            join_preceding(&mut statement, input);
        }
        merged.push(statement);
    }
    merged.reverse();
    merged
}

fn is_sourceless_load(statement: &Statement) -> bool {
    matches!(&statement.node, Node::Load(load) if load.source == LoadSource::None)
}

fn can_feed_preceding_load(statement: &Statement) -> bool {
    let kind_fits = matches!(statement.kind, StatementKind::Load | StatementKind::Select);
    kind_fits && statement.label.is_none()
}

fn join_preceding(statement: &mut Statement, input: Statement) {
    statement.span = Span {
        end: input.span.end,
        end_line: input.span.end_line,
        end_column: input.span.end_column,
        ..statement.span
    };
    statement.sources.extend(input.sources);
    statement.functions.extend(input.functions);
    if let Node::Load(load) = &mut statement.node {
        load.source = LoadSource::Preceding {
            input: Box::new(input.node),
        };
    }
}

#[cfg(test)]
mod tests {
    #[test]
    fn statement_stays_small() {
        // Statements are moved while parsing and merging; boxing the large nodes keeps this cheap.
        assert!(std::mem::size_of::<crate::Node>() <= 80);
        assert!(std::mem::size_of::<crate::Statement>() <= 216);
    }
}
