//! Reading section access tables from the script, and the checks on them.

use qready_plugin_sdk::{
    InlineTable, Location, PluginError, RuleFindings, Script, Statement, StatementKind, find_word,
};

/// A table loaded in a section access part of the script.
pub struct AccessTable {
    /// Field names with where they are written: the inline header, or the words of the
    /// statement that name section access fields.
    pub fields: Vec<(String, Location)>,
    /// The inline rows, when the table is inline.
    pub inline: Option<InlineTable>,
    pub file: String,
}

/// Section access fields that Qlik Cloud never fills in.
const WINDOWS_FIELDS: &[&str] = &["NTNAME", "NTSID", "NTDOMAINSID", "SERIAL", "PASSWORD"];

/// Every section access field name the checks look at.
const KNOWN_FIELDS: &[&str] = &[
    "NTNAME",
    "NTSID",
    "NTDOMAINSID",
    "SERIAL",
    "PASSWORD",
    "USERID",
    "GROUP",
];

/// Returns the `LOAD` and `SELECT` statements between `SECTION ACCESS` and the next `SECTION
/// APPLICATION`, with their field names.
pub fn access_tables(script: &Script) -> Vec<AccessTable> {
    let mut tables = Vec::new();
    let mut inside = false;
    for statement in &script.statements {
        match statement.kind {
            StatementKind::SectionAccess => inside = true,
            StatementKind::SectionApplication => inside = false,
            StatementKind::Load | StatementKind::Select if inside => {
                tables.push(access_table(script, statement));
            }
            _ => {}
        }
    }
    tables
}

fn access_table(script: &Script, statement: &Statement) -> AccessTable {
    let file = script.file_path(statement.span).to_owned();
    let inline = script.inline_table(statement);
    let fields = match &inline {
        Some(table) => table
            .header
            .iter()
            .map(|cell| {
                let location = Location {
                    file: file.clone(),
                    line: cell.line,
                    column: cell.column,
                };
                (cell.text.to_ascii_uppercase(), location)
            })
            .collect(),
        None => {
            let text = script.statement_text(statement);
            KNOWN_FIELDS
                .iter()
                .filter_map(|name| {
                    let at = find_word(text, name)?;
                    Some(((*name).to_owned(), script.location_in(statement, at)))
                })
                .collect()
        }
    };
    AccessTable {
        fields,
        inline,
        file,
    }
}

/// Returns the values of field `name` in an inline table's rows, with where each is written.
fn column<'t>(table: &'t AccessTable, name: &str) -> Vec<(&'t str, Location)> {
    let Some(inline) = &table.inline else {
        return Vec::new();
    };
    let Some(index) = inline
        .header
        .iter()
        .position(|cell| cell.text.eq_ignore_ascii_case(name))
    else {
        return Vec::new();
    };
    inline
        .rows
        .iter()
        .filter_map(|row| row.cells.get(index))
        .map(|cell| {
            let location = Location {
                file: table.file.clone(),
                line: cell.line,
                column: cell.column,
            };
            (cell.text.as_str(), location)
        })
        .collect()
}

pub fn windows_fields(
    tables: &[AccessTable],
    hits: &mut RuleFindings<'_>,
) -> Result<(), PluginError> {
    for table in tables {
        for (name, location) in &table.fields {
            if WINDOWS_FIELDS.contains(&name.as_str()) {
                hits.report(format!(
                    "section access field {name} never matches a user in Qlik Cloud"
                ))
                .located(Some(location.clone()));
            }
        }
    }
    Ok(())
}

pub fn internal_rows(
    tables: &[AccessTable],
    hits: &mut RuleFindings<'_>,
) -> Result<(), PluginError> {
    for table in tables {
        for field in ["USERID", "NTNAME"] {
            for (value, location) in column(table, field) {
                if value.to_ascii_uppercase().starts_with("INTERNAL\\") {
                    hits.report(format!(
                        "row for service account '{value}' never matches in Qlik Cloud, where \
                         reloads run as the app or task owner"
                    ))
                    .located(Some(location));
                }
            }
        }
    }
    Ok(())
}

pub fn domain_userids(
    tables: &[AccessTable],
    hits: &mut RuleFindings<'_>,
) -> Result<(), PluginError> {
    for table in tables {
        let values = column(table, "USERID");
        let domain: Vec<_> = values
            .into_iter()
            .filter(|(value, _)| {
                value.contains('\\') && !value.to_ascii_uppercase().starts_with("INTERNAL\\")
            })
            .collect();
        let Some((first, location)) = domain.first() else {
            continue;
        };
        let others = match domain.len() {
            1 => String::new(),
            n => format!(" and {} more rows", n - 1),
        };
        hits.report(format!(
            "USERID '{first}'{others} in DOMAIN\\user form match only if the identity provider \
             sends that string as the subject"
        ))
        .located(Some(location.clone()));
    }
    Ok(())
}

pub fn group_fields(
    tables: &[AccessTable],
    hits: &mut RuleFindings<'_>,
) -> Result<(), PluginError> {
    for table in tables {
        for (name, location) in &table.fields {
            if name == "GROUP" {
                hits.report(
                    "section access reduces by GROUP; Qlik Cloud takes groups from the identity \
                     provider or custom groups",
                )
                .located(Some(location.clone()));
            }
        }
    }
    Ok(())
}
