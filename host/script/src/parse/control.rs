//! Control statements, each one line: IF/ELSEIF/ELSE/END IF, FOR, FOR EACH, NEXT, DO, LOOP,
//! SUB/END SUB, CALL, SWITCH/CASE/DEFAULT/END SWITCH, EXIT, and assignments without LET.

use super::expr::{add_path_argument, expr, expr_or_raw};
use super::load::arguments;
use super::{Cursor, PResult, Parsed};
use crate::ast::{
    CallStatement, ExitStatement, ForEachStatement, ForEachValues, ForStatement, LoopCondition,
    Node, SubStatement,
};
use crate::{SourceRole, StatementKind};

pub(crate) fn control(cursor: &mut Cursor) -> PResult<Parsed> {
    let token = cursor
        .peek()
        .ok_or_else(|| cursor.error("expected a statement"))?;
    let lower = super::cursor::LowerWord::new(token.text(cursor.text));
    let word = lower.as_bytes();
    let assignment = cursor
        .peek_at(1)
        .is_some_and(|t| t.is_punct(cursor.text, "="));
    if assignment || !crate::split::is_lower_control_word(word) {
        return super::assign::bare_assignment(cursor);
    }
    cursor.pos += 1;
    let (kind, node) = match word {
        b"if" | b"elseif" => condition_then(cursor, word)?,
        b"else" => (StatementKind::Else, Node::Else),
        b"end" => end(cursor)?,
        b"endif" => (StatementKind::EndIf, Node::EndIf),
        b"endsub" => (StatementKind::EndSub, Node::EndSub),
        b"endswitch" => (StatementKind::EndSwitch, Node::EndSwitch),
        b"for" if cursor.eat_kw("each") => (
            StatementKind::ForEach,
            Node::ForEach(Box::new(for_each(cursor)?)),
        ),
        b"for" => (StatementKind::For, Node::For(Box::new(for_loop(cursor)?))),
        b"next" => {
            let variable = (!cursor.at_end()).then(|| cursor.name()).transpose()?;
            (StatementKind::Next, Node::Next { variable })
        }
        b"do" => (
            StatementKind::Do,
            Node::Do(Box::new(loop_condition(cursor)?)),
        ),
        b"loop" => (
            StatementKind::Loop,
            Node::Loop(Box::new(loop_condition(cursor)?)),
        ),
        b"exit" => (StatementKind::Exit, Node::Exit(Box::new(exit(cursor)?))),
        b"sub" => (StatementKind::Sub, Node::Sub(sub(cursor)?)),
        b"call" => (StatementKind::Call, Node::Call(Box::new(call(cursor)?))),
        b"switch" => (StatementKind::Switch, Node::Switch(expr(cursor)?)),
        b"case" => {
            let mut values = vec![expr(cursor)?];
            while cursor.eat_punct(",") {
                values.push(expr(cursor)?);
            }
            (StatementKind::Case, Node::Case { values })
        }
        _ => (StatementKind::Default, Node::Default),
    };
    Ok(Parsed { kind, node })
}

fn condition_then(cursor: &mut Cursor, word: &[u8]) -> PResult<(StatementKind, Node)> {
    let condition = expr(cursor)?;
    // THEN is missing in some production scripts (the Qlik Deployment Framework has one) that
    // the engine runs, so it is optional here.
    cursor.eat_kw("then");
    Ok(if word == b"if" {
        (StatementKind::If, Node::If(condition))
    } else {
        (StatementKind::ElseIf, Node::ElseIf(condition))
    })
}

fn end(cursor: &mut Cursor) -> PResult<(StatementKind, Node)> {
    if cursor.eat_kw("if") {
        Ok((StatementKind::EndIf, Node::EndIf))
    } else if cursor.eat_kw("sub") {
        Ok((StatementKind::EndSub, Node::EndSub))
    } else if cursor.eat_kw("switch") {
        Ok((StatementKind::EndSwitch, Node::EndSwitch))
    } else {
        Err(cursor.error("expected IF, SUB or SWITCH after END"))
    }
}

fn for_loop(cursor: &mut Cursor) -> PResult<ForStatement> {
    let variable = cursor.name()?;
    cursor.expect_punct("=")?;
    let from = expr(cursor)?;
    cursor.expect_kw("to")?;
    let to = expr(cursor)?;
    let step = if cursor.eat_kw("step") {
        Some(expr(cursor)?)
    } else {
        None
    };
    Ok(ForStatement {
        variable,
        from,
        to,
        step,
    })
}

fn for_each(cursor: &mut Cursor) -> PResult<ForEachStatement> {
    let variable = cursor.name()?;
    cursor.expect_kw("in")?;
    let list_function = ["filelist", "dirlist", "fieldvaluelist"]
        .into_iter()
        .find(|f| {
            cursor.is_kw(f)
                && cursor
                    .peek_at(1)
                    .is_some_and(|t| t.is_punct(cursor.text, "("))
        });
    let values = match list_function {
        Some(function) => list_values(cursor, function)?,
        None => {
            let mut items = vec![expr_or_raw(cursor, true)];
            while cursor.eat_punct(",") {
                items.push(expr_or_raw(cursor, true));
            }
            ForEachValues::List { items }
        }
    };
    Ok(ForEachStatement { variable, values })
}

/// `FileList(mask)`, `DirList(mask)` or `FieldValueList(field)` after FOR EACH … IN.
fn list_values(cursor: &mut Cursor, function: &str) -> PResult<ForEachValues> {
    cursor.pos += 2;
    let from = cursor.pos;
    let argument = expr_or_raw(cursor, true);
    let to = cursor.pos;
    cursor.expect_punct(")")?;
    let has_mask = to > from;
    Ok(match function {
        "filelist" => {
            if has_mask {
                add_path_argument(cursor, SourceRole::FileList, from, to);
            }
            ForEachValues::FileList { mask: argument }
        }
        "dirlist" => {
            if has_mask {
                add_path_argument(cursor, SourceRole::DirList, from, to);
            }
            ForEachValues::DirList { mask: argument }
        }
        _ => ForEachValues::FieldValueList { field: argument },
    })
}

fn loop_condition(cursor: &mut Cursor) -> PResult<LoopCondition> {
    let until = cursor.is_kw("until");
    let condition = if cursor.eat_kw("while") || cursor.eat_kw("until") {
        Some(expr(cursor)?)
    } else {
        None
    };
    Ok(LoopCondition { until, condition })
}

fn exit(cursor: &mut Cursor) -> PResult<ExitStatement> {
    let scope = ["script", "sub", "for", "do"]
        .into_iter()
        .find(|s| cursor.is_kw(s))
        .unwrap_or("");
    if !scope.is_empty() {
        cursor.pos += 1;
    }
    let unless = cursor.is_kw("unless");
    let condition = if cursor.eat_kw("when") || cursor.eat_kw("unless") {
        Some(expr(cursor)?)
    } else {
        None
    };
    Ok(ExitStatement {
        scope: scope.to_owned(),
        unless,
        condition,
    })
}

fn sub(cursor: &mut Cursor) -> PResult<SubStatement> {
    let name = cursor.name()?;
    let mut params = Vec::new();
    if cursor.eat_punct("(") && !cursor.eat_punct(")") {
        params = cursor.name_list()?;
        cursor.expect_punct(")")?;
    }
    Ok(SubStatement { name, params })
}

fn call(cursor: &mut Cursor) -> PResult<CallStatement> {
    let name = cursor.name()?;
    let args = if cursor.is_punct("(") {
        arguments(cursor)?
    } else {
        Vec::new()
    };
    Ok(CallStatement { name, args })
}
