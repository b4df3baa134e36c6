//! Section access INLINE tables: Windows user ids to identity provider values.

use qready_script::ast::{FormatItem, LoadSource, Node};
use qready_script::load::LoadedScript;
use qready_script::{Span, Statement, StatementKind};

use super::mapping::Mapping;
use super::splice::Edit;

/// Rule of section access keyed on NTNAME and the other Windows fields.
const WINDOWS_FIELD_RULE: &str = "QC201";
/// Rule of rows for `INTERNAL\` service accounts.
const INTERNAL_RULE: &str = "QC202";
/// Rule of USERID values in `DOMAIN\user` form.
const DOMAIN_USERID_RULE: &str = "QC203";

/// Fields whose values are Windows accounts in `DOMAIN\user` form.
const USER_FIELDS: &[&str] = &["NTNAME", "USERID"];

/// Planned edits of one table, each with its position and the text it replaces, and what is
/// left to a person.
#[derive(Debug, Default)]
pub struct TablePlan {
    /// Position, rule code, edit and replaced text.
    pub edits: Vec<(Span, &'static str, Edit, String)>,
    /// Position, rule code and reason.
    pub manual: Vec<(Span, &'static str, String)>,
}

/// Returns the LOAD statements between SECTION ACCESS and SECTION APPLICATION, with the index
/// of their file.
pub fn access_loads(script: &LoadedScript) -> Vec<(usize, &Statement)> {
    let mut inside = false;
    let mut loads = Vec::new();
    for (file, statement) in &script.statements {
        match statement.kind {
            StatementKind::SectionAccess => inside = true,
            StatementKind::SectionApplication => inside = false,
            StatementKind::Load if inside => loads.push((*file as usize, statement)),
            _ => {}
        }
    }
    loads
}

/// A cell of an inline table: its byte range in the script text and its value.
struct Cell {
    start: usize,
    end: usize,
    value: String,
}

/// Plans the rewrite of the user id column of an inline section access table.
///
/// A column is rewritten only when every `DOMAIN\user` value in it maps, so that no table is
/// left half in Windows accounts and half in identity provider values. `INTERNAL\` service
/// accounts and `*` stay as they are.
pub fn plan(text: &str, statement: &Statement, mapping: &Mapping) -> TablePlan {
    let mut plan = TablePlan::default();
    let Node::Load(load) = &statement.node else {
        return plan;
    };
    let LoadSource::Inline {
        format, data_span, ..
    } = &load.source
    else {
        return plan;
    };
    let delimiter = inline_delimiter(format);
    let rows = cells(
        text,
        data_span.start as usize,
        data_span.end as usize,
        delimiter,
    );
    let Some((header, rows)) = rows.split_first() else {
        return plan;
    };
    let names: Vec<String> = header
        .iter()
        .map(|c| c.value.to_ascii_uppercase())
        .collect();
    for (column, name) in names.iter().enumerate() {
        if !USER_FIELDS.contains(&name.as_str()) {
            continue;
        }
        let span = cell_span(statement, text, &header[column]);
        let rule = if name == "NTNAME" {
            WINDOWS_FIELD_RULE
        } else {
            DOMAIN_USERID_RULE
        };
        for cell in rows.iter().filter_map(|row| row.get(column)) {
            if is_internal_account(&cell.value) {
                let reason = format!(
                    "section access row for {}: Qlik Cloud reloads as the app owner, so give the owner a row instead",
                    cell.value
                );
                plan.manual
                    .push((cell_span(statement, text, cell), INTERNAL_RULE, reason));
            }
        }
        let accounts: Vec<&Cell> = rows
            .iter()
            .filter_map(|row| row.get(column))
            .filter(|cell| is_domain_account(&cell.value))
            .collect();
        let Some(users) = &mapping.users else {
            if !accounts.is_empty() || name == "NTNAME" {
                let reason = format!("section access field {name} needs a [users] mapping");
                plan.manual.push((span, rule, reason));
            }
            continue;
        };
        let target_field = if name == "NTNAME" || users.field == "USER.EMAIL" {
            users.field.as_str()
        } else {
            name.as_str()
        };
        if target_field != name && names.iter().any(|n| n == target_field) {
            let reason = format!("section access table has both {name} and {target_field}");
            plan.manual.push((span, rule, reason));
            continue;
        }
        let mapped: Vec<Option<String>> =
            accounts.iter().map(|c| users.map_user(&c.value)).collect();
        let unmapped: Vec<&str> = accounts
            .iter()
            .zip(&mapped)
            .filter(|(_, m)| m.is_none())
            .map(|(c, _)| c.value.as_str())
            .collect();
        if !unmapped.is_empty() {
            let reason = format!(
                "section access {name} values without a [users] mapping: {}",
                unmapped.join(", ")
            );
            plan.manual.push((span, rule, reason));
            continue;
        }
        if target_field != name {
            let cell = &header[column];
            let edit = Edit {
                start: cell.start,
                end: cell.end,
                replacement: target_field.to_owned(),
            };
            plan.edits.push((span, rule, edit, cell.value.clone()));
        }
        for (cell, value) in accounts.iter().zip(mapped) {
            let value = value.unwrap_or_default();
            let edit = Edit {
                start: cell.start,
                end: cell.end,
                replacement: quote_cell(&value, delimiter),
            };
            let cell_at = cell_span(statement, text, cell);
            plan.edits.push((cell_at, rule, edit, cell.value.clone()));
        }
    }
    plan
}

/// Returns whether a value is a Windows account to map: `DOMAIN\user`, but not an `INTERNAL\`
/// service account, because the identity provider has no counterpart for those.
fn is_domain_account(value: &str) -> bool {
    let Some((domain, user)) = value.split_once('\\') else {
        return false;
    };
    !domain.is_empty() && !user.is_empty() && !domain.eq_ignore_ascii_case("INTERNAL")
}

fn is_internal_account(value: &str) -> bool {
    value
        .split_once('\\')
        .is_some_and(|(domain, _)| domain.eq_ignore_ascii_case("INTERNAL"))
}

fn inline_delimiter(format: &[FormatItem]) -> char {
    for item in format {
        if let FormatItem::Is { key, value } = item
            && key == "delimiter"
        {
            let value = value.trim_matches(['\'', '"']);
            if value.eq_ignore_ascii_case("\\t") || value.eq_ignore_ascii_case("tab") {
                return '\t';
            }
            return value.chars().next().unwrap_or(',');
        }
    }
    ','
}

/// Splits inline data into rows of cells with their byte ranges; blank lines are skipped and a
/// cell's range leaves out surrounding blanks.
fn cells(text: &str, start: usize, end: usize, delimiter: char) -> Vec<Vec<Cell>> {
    let mut rows = Vec::new();
    let mut line_start = start;
    for line in text[start..end].split('\n') {
        let offset = line_start;
        line_start += line.len() + 1;
        let line = line.strip_suffix('\r').unwrap_or(line);
        if line.trim().is_empty() {
            continue;
        }
        let mut row = Vec::new();
        let mut cell_start = offset;
        for raw in line.split(delimiter) {
            let leading = raw.len() - raw.trim_start().len();
            let trimmed = raw.trim();
            let value = trimmed
                .strip_prefix('"')
                .and_then(|t| t.strip_suffix('"'))
                .or_else(|| {
                    trimmed
                        .strip_prefix('\'')
                        .and_then(|t| t.strip_suffix('\''))
                })
                .unwrap_or(trimmed);
            row.push(Cell {
                start: cell_start + leading,
                end: cell_start + leading + trimmed.len(),
                value: value.to_owned(),
            });
            cell_start += raw.len() + delimiter.len_utf8();
        }
        rows.push(row);
    }
    rows
}

fn quote_cell(value: &str, delimiter: char) -> String {
    if value.contains(delimiter) || value.contains(['"', '\'']) {
        format!("\"{}\"", value.replace('"', "\"\""))
    } else {
        value.to_owned()
    }
}

/// Returns the line and column of a cell, counted from the statement's start.
fn cell_span(statement: &Statement, text: &str, cell: &Cell) -> Span {
    let start = statement.span.start as usize;
    let before = &text[start..cell.start];
    let newlines = before.matches('\n').count() as u32;
    let column = match before.rfind('\n') {
        Some(at) => before[at + 1..].chars().count() as u32 + 1,
        None => statement.span.column + before.chars().count() as u32,
    };
    let line = statement.span.line + newlines;
    Span {
        start: cell.start as u32,
        end: cell.end as u32,
        line,
        column,
        end_line: line,
        end_column: column + cell.value.chars().count() as u32,
    }
}
