//! Expressions: a precedence-climbing parser over the expression grammar of load scripts.
//!
//! Precedence, loosest first: OR/XOR, AND, NOT, comparisons (= <> < <= > >= LIKE PRECEDES
//! FOLLOWS), &, BITOR/BITXOR, BITAND, >> <<, + -, * /, unary minus/plus/BITNOT.

use super::{Cursor, PResult};
use crate::SourceRole;
use crate::ast::{CompactString, Expr};
use crate::functions;
use crate::lex::TokenKind;

const NOT_PRECEDENCE: u8 = 3;
const UNARY_PRECEDENCE: u8 = 11;

pub(crate) fn expr(cursor: &mut Cursor) -> PResult<Expr> {
    binary(cursor, 0)
}

/// Parses an expression, or keeps the tokens up to the end of the statement as raw text when they
/// do not parse. With `in_list`, the expression is an item of a parenthesised or comma list, and
/// it ends at the next top-level `,` or `)`.
pub(crate) fn expr_or_raw(cursor: &mut Cursor, in_list: bool) -> Expr {
    let start = cursor.pos;
    let functions = cursor.functions.len();
    let sources = cursor.sources.len();
    if let Ok(expr) = expr(cursor) {
        let at_boundary =
            cursor.at_end() || (in_list && (cursor.is_punct(",") || cursor.is_punct(")")));
        if at_boundary {
            return expr;
        }
    }
    cursor.pos = start;
    cursor.functions.truncate(functions);
    cursor.sources.truncate(sources);
    let end = skip_balanced(cursor, in_list);
    cursor.scan_calls(start, end);
    Expr::Raw {
        text: cursor.text_between(start, end).into(),
    }
}

/// Advances to the next top-level comma (when `stop_at_comma`) or `)` or the statement end;
/// returns the stop index.
fn skip_balanced(cursor: &mut Cursor, stop_at_comma: bool) -> usize {
    let mut depth = 0usize;
    while let Some(token) = cursor.peek() {
        let text = token.text(cursor.text);
        if token.kind == TokenKind::Punct {
            match text {
                "(" => depth += 1,
                ")" if depth == 0 => break,
                ")" => depth -= 1,
                "," if depth == 0 && stop_at_comma => break,
                _ => {}
            }
        }
        cursor.pos += 1;
    }
    cursor.pos
}

const WORD_OPERATORS: &[(&str, u8)] = &[
    ("or", 1),
    ("xor", 1),
    ("and", 2),
    ("like", 4),
    ("precedes", 4),
    ("follows", 4),
    ("bitor", 6),
    ("bitxor", 6),
    ("bitand", 7),
];

/// Returns the infix operator at the cursor, lower case, with its precedence.
fn infix(cursor: &Cursor) -> Option<(&'static str, u8)> {
    let token = cursor.peek()?;
    let text = token.text(cursor.text);
    match token.kind {
        // Byte patterns compile to direct comparisons; string patterns call `memcmp`.
        TokenKind::Punct => {
            let operator = match text.as_bytes() {
                b"=" => ("=", 4),
                b"<>" => ("<>", 4),
                b"<" => ("<", 4),
                b"<=" => ("<=", 4),
                b">" => (">", 4),
                b">=" => (">=", 4),
                b"&" => ("&", 5),
                b">>" => (">>", 8),
                b"<<" => ("<<", 8),
                b"+" => ("+", 9),
                b"-" => ("-", 9),
                b"*" => ("*", 10),
                b"/" => ("/", 10),
                _ => return None,
            };
            Some(operator)
        }
        TokenKind::Ident if text.len() <= 8 => WORD_OPERATORS
            .iter()
            .find(|(word, _)| word.eq_ignore_ascii_case(text))
            .copied(),
        _ => None,
    }
}

/// Runs one level of the recursive descent, or fails when the expression nests deeper than
/// [`MAX_EXPRESSION_DEPTH`](super::cursor::MAX_EXPRESSION_DEPTH).
fn nested<T>(cursor: &mut Cursor, parse: impl FnOnce(&mut Cursor) -> PResult<T>) -> PResult<T> {
    if cursor.depth >= super::cursor::MAX_EXPRESSION_DEPTH {
        return Err(cursor.error("expression nested too deeply to parse"));
    }
    cursor.depth += 1;
    let result = parse(cursor);
    cursor.depth -= 1;
    result
}

fn binary(cursor: &mut Cursor, min_precedence: u8) -> PResult<Expr> {
    nested(cursor, |cursor| binary_level(cursor, min_precedence))
}

fn binary_level(cursor: &mut Cursor, min_precedence: u8) -> PResult<Expr> {
    let mut left = unary(cursor)?;
    while let Some((op, precedence)) = infix(cursor) {
        if precedence < min_precedence {
            break;
        }
        cursor.pos += 1;
        let right = binary(cursor, precedence + 1)?;
        left = Expr::Binary {
            op,
            left: Box::new(left),
            right: Box::new(right),
        };
    }
    Ok(left)
}

fn unary(cursor: &mut Cursor) -> PResult<Expr> {
    nested(cursor, unary_level)
}

fn unary_level(cursor: &mut Cursor) -> PResult<Expr> {
    let token = cursor
        .peek()
        .ok_or_else(|| cursor.error("expected an expression"))?;
    let is_call = || {
        cursor
            .peek_at(1)
            .is_some_and(|t| t.is_punct(cursor.text, "("))
    };
    let (op, operand_precedence) = if token.is_punct(cursor.text, "-") {
        ("-", UNARY_PRECEDENCE)
    } else if token.is_punct(cursor.text, "+") {
        ("+", UNARY_PRECEDENCE)
    } else if token.is_keyword(cursor.text, "not") && !is_call() {
        ("not", NOT_PRECEDENCE + 1)
    } else if token.is_keyword(cursor.text, "bitnot") && !is_call() {
        ("bitnot", UNARY_PRECEDENCE)
    } else {
        return primary(cursor);
    };
    cursor.pos += 1;
    let operand = if operand_precedence == UNARY_PRECEDENCE {
        unary(cursor)?
    } else {
        binary(cursor, operand_precedence)?
    };
    Ok(Expr::Unary {
        op,
        operand: Box::new(operand),
    })
}

fn primary(cursor: &mut Cursor) -> PResult<Expr> {
    let token = cursor
        .peek()
        .ok_or_else(|| cursor.error("expected an expression"))?;
    let text = token.text(cursor.text);
    match token.kind {
        TokenKind::Number if cursor.name_group_end(cursor.pos) == cursor.pos + 1 => {
            cursor.pos += 1;
            Ok(Expr::Number { text: text.into() })
        }
        TokenKind::Str => {
            cursor.pos += 1;
            Ok(Expr::String {
                value: token.unquoted_as(cursor.text),
            })
        }
        TokenKind::Punct if text == "(" => {
            cursor.pos += 1;
            let inner = expr(cursor)?;
            cursor.expect_punct(")")?;
            Ok(inner)
        }
        TokenKind::Punct if text == "*" => {
            cursor.pos += 1;
            Ok(Expr::Star)
        }
        TokenKind::Punct => Err(cursor.error("expected an expression")),
        _ => name_or_call(cursor),
    }
}

fn name_or_call(cursor: &mut Cursor) -> PResult<Expr> {
    let start = cursor.pos;
    let end = cursor.name_group_end(start);
    let first = cursor.tokens[start];
    let name: CompactString = cursor.unquoted_between_as(start, end);
    cursor.pos = end;
    let plain_name = first.kind == TokenKind::Ident && end == start + 1;
    if plain_name && cursor.is_punct("(") {
        return call(cursor, name, start);
    }
    if plain_name && name.starts_with('@') {
        return Ok(position(cursor, name));
    }
    if first.kind == TokenKind::Expansion && end == start + 1 {
        if cursor
            .peek()
            .is_some_and(|t| !t.space_before && t.is_punct(cursor.text, "("))
        {
            // A variable holding a function name, e.g. `$(vFormat)(Date)`.
            return call(cursor, name, start);
        }
        return Ok(Expr::Expansion { text: name });
    }
    if plain_name && !cursor.in_load && functions::is_path_system_variable(&name) {
        cursor.add_function(&name, first);
    }
    Ok(Expr::Name { name })
}

/// `@n` or `@n:m` with an optional type letter glued to `m`.
fn position(cursor: &mut Cursor, mut text: CompactString) -> Expr {
    let glued_colon = cursor
        .peek()
        .is_some_and(|t| !t.space_before && t.is_punct(cursor.text, ":"));
    let glued_end = cursor
        .peek_at(1)
        .is_some_and(|t| !t.space_before && matches!(t.kind, TokenKind::Number | TokenKind::Ident));
    if cursor.in_load && glued_colon && glued_end {
        text.push(':');
        cursor.pos += 1;
        if let Some(token) = cursor.next() {
            text.push_str(token.text(cursor.text));
        }
    }
    Expr::Position { text }
}

fn call(cursor: &mut Cursor, name: CompactString, name_index: usize) -> PResult<Expr> {
    let name_token = cursor.tokens[name_index];
    cursor.add_function(&name, name_token);
    cursor.expect_punct("(")?;
    let qualifiers = call_qualifiers(cursor);
    let (args, first_arg) = call_arguments(cursor)?;

    let path_argument = first_arg.filter(|(from, to)| to > from);
    if let Some((from, to)) = path_argument.filter(|_| functions::is_file_function(&name)) {
        add_path_argument(cursor, SourceRole::FileFunction, from, to);
    }
    Ok(Expr::Call {
        name,
        qualifiers,
        args,
    })
}

/// Reads DISTINCT, TOTAL and ALL written before the first argument.
fn call_qualifiers(cursor: &mut Cursor) -> Vec<String> {
    let mut qualifiers = Vec::new();
    while ["distinct", "total", "all"].iter().any(|q| cursor.is_kw(q))
        && cursor
            .peek_at(1)
            .is_some_and(|t| !t.is_punct(cursor.text, ",") && !t.is_punct(cursor.text, ")"))
    {
        if let Some(token) = cursor.next() {
            qualifiers.push(token.text(cursor.text).to_ascii_lowercase());
        }
    }
    qualifiers
}

/// Arguments of a call and the token range of the first one.
type Arguments = (Vec<Expr>, Option<(usize, usize)>);

/// Reads the arguments up to and including `)`; also returns the token range of the first one.
/// An empty argument, as in `Peek('F', , 'T')`, becomes empty raw text.
fn call_arguments(cursor: &mut Cursor) -> PResult<Arguments> {
    let mut args = Vec::new();
    let mut first_arg = None;
    if cursor.eat_punct(")") {
        return Ok((args, first_arg));
    }
    loop {
        let arg_start = cursor.pos;
        let arg = if cursor.is_punct(",") || cursor.is_punct(")") {
            Expr::Raw {
                text: CompactString::default(),
            }
        } else {
            expr_or_raw(cursor, true)
        };
        if args.is_empty() {
            first_arg = Some((arg_start, cursor.pos));
        }
        args.push(arg);
        if cursor.eat_punct(")") {
            return Ok((args, first_arg));
        }
        cursor.expect_punct(",")?;
    }
}

/// Records the argument at tokens `from..to` as a path: a quoted string loses its quotes, any
/// other text is kept as written.
pub(crate) fn add_path_argument(cursor: &mut Cursor, role: SourceRole, from: usize, to: usize) {
    let single_string = to == from + 1 && cursor.tokens[from].kind == TokenKind::Str;
    let path = if single_string {
        cursor.tokens[from].unquoted(cursor.text)
    } else {
        cursor.text_between(from, to).to_owned()
    };
    let is_literal = single_string
        || cursor.tokens[from..to]
            .iter()
            .all(|t| t.kind == TokenKind::Expansion);
    cursor.add_source(role, path, from, to);
    if !is_literal && let Some(source) = cursor.sources.last_mut() {
        source.kind = crate::PathKind::Dynamic;
    }
}
