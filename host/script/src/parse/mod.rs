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
        mut lexer,
        tokens,
        statements: raw_statements,
    } = split::split(text);
    let index = LineIndex::from_line_starts(text, lexer.take_line_starts());
    debug_assert_eq!(index, LineIndex::new(text), "the lexer missed a line end");

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
    // Buffers for the sources and calls of a statement, passed from one cursor to the next so
    // that a statement with many calls does not grow a new vector step by step.
    let mut sources = Vec::new();
    let mut functions = Vec::new();
    for raw in &raw_statements {
        let mut cursor = Cursor::new(text, &index, &tokens, raw.first, raw.end);
        cursor.sources = std::mem::take(&mut sources);
        cursor.functions = std::mem::take(&mut functions);
        let mut statement = parse_statement(&mut cursor, raw, &mut diagnostics);
        sources = std::mem::take(&mut cursor.sources);
        functions = std::mem::take(&mut cursor.functions);

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
    // Positions are looked up in text order, which the index's lookup cache favours: the first
    // token before the parse and the statement end after it.
    let first_span = cursor.token_span(raw.first);
    let mut head = Head::default();
    let result = match raw.class {
        Class::Rem => Ok(rem(cursor)),
        Class::Include => misc::include(cursor),
        Class::Control => control::control(cursor),
        Class::Regular => regular(cursor, &mut head),
    };
    let keyword_span = match head.keyword {
        Some(index) if index != raw.first => cursor.token_span(index),
        _ => first_span,
    };
    let (end_line, end_column) = cursor.index.position(cursor.text, raw.span_end);
    let span = Span {
        start: first.start,
        end: raw.span_end,
        line: first_span.line,
        column: first_span.column,
        end_line,
        end_column,
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
    match lower.as_bytes() {
        b"load" => load::load(cursor, head),
        b"select" | b"sql" => select::select(cursor, head),
        b"odbc" | b"oledb" | b"connect" | b"connect32" | b"connect64" | b"custom"
        | b"customconnect" | b"lib" | b"bdi" => connect::connect(cursor),
        b"disconnect" => misc::keyword_only(cursor, StatementKind::Disconnect, Node::Disconnect),
        b"store" => data::store(cursor),
        b"drop" => data::drop(cursor),
        b"rename" => data::rename(cursor),
        b"let" | b"set" => assign::let_set(cursor),
        b"binary" => misc::binary(cursor),
        b"execute" => misc::execute(cursor),
        b"directory" => misc::directory(cursor),
        b"section" => misc::section(cursor),
        b"qualify" | b"unqualify" | b"nullasvalue" | b"nullasnull" | b"unmap" | b"search"
        | b"autonumber" | b"loosen" => data::name_list(cursor, lower.as_str()),
        b"map" => data::map_using(cursor),
        b"trace" => misc::trace(cursor),
        b"sleep" => misc::sleep(cursor),
        b"star" => misc::star(cursor),
        b"tag" | b"untag" => data::tag(cursor),
        b"comment" => data::comment(cursor),
        b"alias" => data::alias(cursor),
        b"force" => misc::force(cursor),
        b"declare" | b"derive" => misc::declare_derive(cursor),
        _ => misc::raw_statement(cursor, lower.as_str()),
    }
}

/// Joins each sourceless LOAD with the LOAD or SELECT right after it into one statement, so that
/// a preceding-load chain is one statement whose node nests the loads that feed it.
///
/// The statements are walked from the end, so that a chain joins from its last LOAD up, and the
/// joined inputs are removed in one pass afterwards instead of moving every statement.
fn merge_preceding_loads(mut statements: Vec<Statement>) -> Vec<Statement> {
    if !statements.iter().any(is_sourceless_load) {
        return statements;
    }
    let mut joined = vec![false; statements.len()];
    // Index of the statement that follows the current one once joined inputs are removed.
    let mut next: Option<usize> = None;
    for index in (0..statements.len()).rev() {
        if let Some(input_index) = next
            && can_feed_preceding_load(&statements[input_index])
            && is_sourceless_load(&statements[index])
        {
            let input = std::mem::replace(&mut statements[input_index], placeholder());
            joined[input_index] = true;
            join_preceding(&mut statements[index], input);
        }
        next = Some(index);
    }
    let mut joined = joined.into_iter();
    statements.retain(|_| !joined.next().unwrap_or(false));
    statements
}

/// Returns an empty statement that takes the place of a joined one until it is removed.
fn placeholder() -> Statement {
    Statement {
        kind: StatementKind::Unknown,
        span: Span::default(),
        keyword_span: Span::default(),
        label: None,
        prefixes: LoadPrefixes::NONE,
        tab: None,
        sources: Vec::new(),
        functions: Vec::new(),
        node: Node::Unknown,
    }
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
