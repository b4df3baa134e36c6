//! Rewrites of one loaded script, found in its parse tree: file paths, path variables,
//! connections and section access tables.

use std::collections::{BTreeMap, BTreeSet};
use std::path::PathBuf;

use qready_script::ast::{AssignmentKeyword, ConnectKind, Node};
use qready_script::load::LoadedScript;
use qready_script::{PathKind, SourceRef, SourceRole, Span, Statement, StatementKind};

use super::mapping::Mapping;
use super::section;
use super::splice::Edit;

/// One planned replacement, with what the user sees of it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Change {
    pub file: PathBuf,
    pub line: u32,
    pub column: u32,
    /// Code of the rule whose finding the change fixes, such as QC101.
    pub rule: &'static str,
    pub edit: Edit,
    /// The replaced text for messages, with connect strings masked.
    pub before: String,
    pub after: String,
}

impl Change {
    /// Returns the item that lists this change as left to a person, with the reason.
    pub fn left(&self, reason: String) -> Manual {
        Manual {
            file: self.file.clone(),
            line: self.line,
            column: self.column,
            rule: self.rule,
            reason,
        }
    }
}

/// Something the fix leaves to a person, with the reason.
#[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord)]
pub struct Manual {
    pub file: PathBuf,
    pub line: u32,
    pub column: u32,
    /// Code of the rule whose finding remains, such as QC102.
    pub rule: &'static str,
    pub reason: String,
}

/// Rewrites planned over several scripts. A file included by several scripts is planned once
/// per script, and a SET that one script may rewrite but another may not is kept as it is.
#[derive(Debug, Default)]
pub struct Planner {
    changes: BTreeMap<(PathBuf, usize), Change>,
    /// Path variable assignments that must stay, with the reason: some script uses the variable
    /// outside a path, or another assignment of it has no mapping.
    vetoed: BTreeMap<(PathBuf, usize), String>,
    manual: BTreeSet<Manual>,
}

/// Rule of Windows file paths, which path rewrites fix.
const WINDOWS_PATH_RULE: &str = "QC101";
/// Rule of `$(Include)` of a file that does not exist.
const MISSING_INCLUDE_RULE: &str = "QC108";
/// Rule of ODBC, OLE DB and CUSTOM CONNECT, which LIB CONNECT TO fixes.
const CONNECT_RULE: &str = "QC102";

/// Roles whose path is a file or folder location.
const FILE_ROLES: &[SourceRole] = &[
    SourceRole::From,
    SourceRole::StoreInto,
    SourceRole::Binary,
    SourceRole::Include,
    SourceRole::MustInclude,
    SourceRole::Directory,
    SourceRole::FileFunction,
    SourceRole::FileList,
    SourceRole::DirList,
];

impl Planner {
    /// Plans the rewrites of one script and the files it includes.
    pub fn add_script(&mut self, script: &LoadedScript, mapping: &Mapping) {
        let context = ScriptContext { script, mapping };
        let variables = context.path_variables(self);
        for (file, statement) in &script.statements {
            let file = *file as usize;
            for source in &statement.sources {
                if FILE_ROLES.contains(&source.role) {
                    self.plan_source(&context, file, source, &variables);
                }
            }
            match statement.kind {
                StatementKind::OdbcConnect
                | StatementKind::OledbConnect
                | StatementKind::CustomConnect => self.plan_connect(&context, file, statement),
                _ => {}
            }
        }
        for (file, statement) in section::access_loads(script) {
            let result = section::plan(&script.files[file].text, statement, mapping);
            let path = &script.files[file].path;
            for (span, rule, edit, before) in result.edits {
                self.add_change(path, span, rule, edit, before);
            }
            for (span, rule, reason) in result.manual {
                self.add_manual(path, span, rule, reason);
            }
        }
    }

    /// Returns the planned changes by file, sorted, and what remains manual.
    pub fn finish(self) -> (BTreeMap<PathBuf, Vec<Change>>, Vec<Manual>) {
        let mut by_file: BTreeMap<PathBuf, Vec<Change>> = BTreeMap::new();
        let mut manual: Vec<Manual> = self.manual.into_iter().collect();
        for (key, change) in self.changes {
            if let Some(reason) = self.vetoed.get(&key) {
                let reason = format!(
                    "'{}' is not rewritten to '{}' because {reason}",
                    change.before, change.after
                );
                manual.push(change.left(reason));
                continue;
            }
            by_file.entry(key.0).or_default().push(change);
        }
        manual.sort();
        (by_file, manual)
    }

    fn add_change(
        &mut self,
        path: &std::path::Path,
        span: Span,
        rule: &'static str,
        edit: Edit,
        before: String,
    ) {
        let key = (canonical(path), edit.start);
        let after = edit.replacement.clone();
        self.changes.entry(key).or_insert(Change {
            file: path.to_owned(),
            line: span.line,
            column: span.column,
            rule,
            edit,
            before,
            after,
        });
    }

    fn add_manual(
        &mut self,
        path: &std::path::Path,
        span: Span,
        rule: &'static str,
        reason: String,
    ) {
        self.manual.insert(Manual {
            file: path.to_owned(),
            line: span.line,
            column: span.column,
            rule,
            reason,
        });
    }

    fn plan_source(
        &mut self,
        context: &ScriptContext,
        file: usize,
        source: &SourceRef,
        variables: &BTreeSet<String>,
    ) {
        let path_file = &context.script.files[file].path;
        let written = source.path.trim();
        let windows = matches!(
            source.kind,
            PathKind::Drive | PathKind::Unc | PathKind::Relative | PathKind::Dynamic
        );
        if !windows {
            return;
        }
        if let Some(name) = leading_variable(written)
            && variables.contains(name)
        {
            // The variable's SET is rewritten instead.
            return;
        }

        let include = matches!(source.role, SourceRole::Include | SourceRole::MustInclude);
        if include && !context.was_read(file, source) {
            // A lib:// include is not followed here, so rewriting the path of a file that was
            // not found would hide that it is missing.
            let rule = match source.role {
                SourceRole::Include => MISSING_INCLUDE_RULE,
                _ => WINDOWS_PATH_RULE,
            };
            let reason = format!(
                "the included file '{written}' was not read here; find it before rewriting the include"
            );
            self.add_manual(path_file, source.span, rule, reason);
            return;
        }

        let dollar = written.find("$(");
        let static_part = &written[..dollar.unwrap_or(written.len())];
        if static_part.is_empty() || source.kind == PathKind::Dynamic {
            let reason = format!(
                "the path '{written}' is built at reload time; rewrite it or the variables it uses by hand"
            );
            self.add_manual(path_file, source.span, WINDOWS_PATH_RULE, reason);
            return;
        }
        let Some(mapped) = context.mapping.map_path(static_part) else {
            let reason = format!("no [[path]] prefix in the mapping matches '{static_part}'");
            self.add_manual(path_file, source.span, WINDOWS_PATH_RULE, reason);
            return;
        };

        let new_path = format!("{mapped}{}", &written[static_part.len()..]);
        let text = &context.script.files[file].text;
        match replace_path_token(text, source, &new_path, include) {
            Some(edit) => self.add_change(
                path_file,
                source.span,
                WINDOWS_PATH_RULE,
                edit,
                written.to_owned(),
            ),
            None => {
                let reason = format!(
                    "the path '{written}' is written in several pieces; rewrite it to '{new_path}' by hand"
                );
                self.add_manual(path_file, source.span, WINDOWS_PATH_RULE, reason);
            }
        }
    }

    fn plan_connect(&mut self, context: &ScriptContext, file: usize, statement: &Statement) {
        let Node::Connect(connect) = &statement.node else {
            return;
        };
        let path = &context.script.files[file].path;

        // Masked, and on one line so that a list item stays one line.
        let masked = qready_ingest::redact::masked(&connect.target)
            .split_whitespace()
            .collect::<Vec<_>>()
            .join(" ");
        let keyword = match connect.kind {
            ConnectKind::Odbc => "ODBC CONNECT",
            ConnectKind::Oledb => "OLEDB CONNECT",
            ConnectKind::Custom | ConnectKind::Bdi => "CUSTOM CONNECT",
            ConnectKind::Lib => return,
        };
        if connect.target.contains("$(") {
            let reason = format!(
                "{keyword} TO '{masked}' is built at reload time; replace it with LIB CONNECT TO by hand"
            );
            self.add_manual(path, statement.span, CONNECT_RULE, reason);
            return;
        }
        let Some(target) = context.mapping.map_connection(&connect.target) else {
            let reason =
                format!("no [[connection]] in the mapping matches {keyword} TO '{masked}'");
            self.add_manual(path, statement.span, CONNECT_RULE, reason);
            return;
        };
        let text = &context.script.files[file].text;
        let start = statement.span.start as usize;
        let mut end = statement.span.end as usize;
        if text[start..end].ends_with(';') {
            end -= 1;
        }
        let edit = Edit {
            start,
            end,
            replacement: format!("LIB CONNECT TO '{target}'"),
        };
        let before = format!("{keyword} TO '{masked}'");
        self.add_change(path, statement.span, CONNECT_RULE, edit, before);
    }
}

struct ScriptContext<'a> {
    script: &'a LoadedScript,
    mapping: &'a Mapping,
}

impl ScriptContext<'_> {
    /// Returns whether the file an include source names was read as part of the script.
    fn was_read(&self, file: usize, source: &SourceRef) -> bool {
        let directive = Some((file as u32, source.span));
        self.script
            .files
            .iter()
            .any(|f| f.included_from == directive)
    }

    /// Finds the SET/LET variables that hold a Windows path prefix and are used only at the start
    /// of file paths, plans the rewrite of their values, and returns their names.
    ///
    /// A variable used anywhere else (in an expression, a TRACE, another variable or a path
    /// that does not start with it) vetoes the rewrite, because its value would change there too.
    fn path_variables(&self, planner: &mut Planner) -> BTreeSet<String> {
        let mut assignments: BTreeMap<&str, Vec<(usize, &Statement)>> = BTreeMap::new();
        for (file, statement) in &self.script.statements {
            if let Node::LetSet(assignment) = &statement.node {
                assignments
                    .entry(assignment.name.as_str())
                    .or_default()
                    .push((*file as usize, statement));
            }
        }
        let mut names = BTreeSet::new();
        for (name, statements) in assignments {
            let values: Vec<_> = statements
                .iter()
                .map(|(file, statement)| (*file, *statement, self.path_value(*file, statement)))
                .collect();
            if values.iter().all(|(_, _, value)| value.is_none()) {
                continue;
            }
            let uses = self.uses(name);
            // A value that no file path starts with is not a path prefix, whatever it looks
            // like: `SET DateFormat='M/D/YYYY'` has slashes too.
            if uses.paths == 0 {
                continue;
            }
            let all_mapped = values
                .iter()
                .all(|(_, _, value)| value.as_ref().is_some_and(|v| v.mapped.is_some()));
            for (file, statement, value) in &values {
                let Some(value) = value else { continue };
                let path = &self.script.files[*file].path;
                let Some(mapped) = &value.mapped else {
                    let reason = format!(
                        "no [[path]] prefix in the mapping matches '{}' in variable {name}",
                        value.text
                    );
                    planner.add_manual(path, statement.span, WINDOWS_PATH_RULE, reason);
                    continue;
                };
                let edit = Edit {
                    start: value.span.start as usize,
                    end: value.span.end as usize,
                    replacement: value.requote(mapped),
                };
                let key = (canonical(path), edit.start);
                if uses.other > 0 {
                    let reason = format!("{name} is also used outside a file path");
                    planner.vetoed.insert(key, reason);
                } else if !all_mapped {
                    let reason = format!("another assignment of {name} has no mapping");
                    planner.vetoed.insert(key, reason);
                }
                planner.add_change(
                    path,
                    value.span,
                    WINDOWS_PATH_RULE,
                    edit,
                    value.text.clone(),
                );
            }
            if uses.other == 0 && all_mapped {
                names.insert(name.to_owned());
            }
        }
        names
    }

    /// Returns the path an assignment gives a variable, when it is a static Windows path.
    fn path_value(&self, file: usize, statement: &Statement) -> Option<PathValue> {
        let Node::LetSet(assignment) = &statement.node else {
            return None;
        };
        let span = assignment.value_span?;
        let raw = &self.script.files[file].text[span.start as usize..span.end as usize];
        let (quote, text) = match single_quoted(raw) {
            Some((quote, body)) => (Some(quote), body),
            // LET evaluates its value, so only a string literal is a static path.
            None if assignment.keyword == AssignmentKeyword::Set => (None, raw.to_owned()),
            None => return None,
        };
        if text.contains("$(") || text.is_empty() {
            return None;
        }
        match qready_script::classify_path(&text) {
            PathKind::Drive | PathKind::Unc => {}
            // A relative value is a path only where the mapping names its root: otherwise any
            // word would count.
            PathKind::Relative if text.contains(['\\', '/']) || text == "." => {}
            _ => return None,
        }
        let mapped = self.mapping.map_path(&text);
        Some(PathValue {
            span,
            quote,
            text,
            mapped,
        })
    }

    /// Counts the uses of a variable: `$(name)` at the start of a file path, and every other
    /// mention of the name in statements other than its own assignments' names.
    fn uses(&self, name: &str) -> Uses {
        let expansion = format!("$({name})");
        let mut uses = Uses::default();
        for (file, statement) in &self.script.statements {
            let text = &self.script.files[*file as usize].text;
            let mut statement_text =
                &text[statement.span.start as usize..statement.span.end as usize];
            if let Node::LetSet(assignment) = &statement.node {
                // The assigned name is not a use; the value may be.
                statement_text = match assignment.value_span {
                    Some(span) => &text[span.start as usize..span.end as usize],
                    None => "",
                };
            }
            let mentions = count_word(statement_text, name);
            if mentions == 0 {
                continue;
            }
            let at_path_start = statement
                .sources
                .iter()
                .filter(|source| {
                    FILE_ROLES.contains(&source.role)
                        && source.path.trim_start().starts_with(&expansion)
                })
                .count();
            uses.paths += at_path_start;
            uses.other += mentions.saturating_sub(at_path_start);
        }
        uses
    }
}

#[derive(Debug, Default)]
struct Uses {
    paths: usize,
    other: usize,
}

/// A static path assigned to a variable.
struct PathValue {
    span: Span,
    quote: Option<char>,
    /// The path, quotes removed.
    text: String,
    mapped: Option<String>,
}

impl PathValue {
    fn requote(&self, path: &str) -> String {
        match self.quote {
            Some(quote) => quote_with(quote, path),
            None => path.to_owned(),
        }
    }
}

/// Returns the variable name when `path` starts with `$(name)`.
fn leading_variable(path: &str) -> Option<&str> {
    let rest = path.strip_prefix("$(")?;
    let end = rest.find(')')?;
    let name = &rest[..end];
    let plain = !name.is_empty() && !name.contains(['(', '=', ' ', ',', '$']);
    plain.then_some(name)
}

/// Builds the edit that puts `new_path` in place of a source's path, in the same quotes. An
/// unquoted path gets brackets, except in an include, whose path is never quoted. Returns None
/// when the path is made of several tokens that are not one plain piece of text.
fn replace_path_token(
    text: &str,
    source: &SourceRef,
    new_path: &str,
    include: bool,
) -> Option<Edit> {
    let start = source.span.start as usize;
    let end = source.span.end as usize;
    let written = &text[start..end];
    let replacement = match single_quoted(written) {
        Some((quote, body)) if body == source.path => quote_with(quote, new_path),
        Some(_) => return None,
        None if written == source.path && include => new_path.to_owned(),
        None if written == source.path => quote_with('[', new_path),
        None => return None,
    };
    Some(Edit {
        start,
        end,
        replacement,
    })
}

/// Splits `'text'`, `"text"` or `[text]` into the opening quote and the unquoted text, with
/// doubled closing quotes undoubled. Returns None unless the whole of `raw` is one quoted token.
fn single_quoted(raw: &str) -> Option<(char, String)> {
    let open = raw.chars().next()?;
    let close = match open {
        '\'' => '\'',
        '"' => '"',
        '[' => ']',
        _ => return None,
    };
    let body = raw.strip_prefix(open)?.strip_suffix(close)?;
    let doubled: String = [close, close].iter().collect();
    // A single closing quote inside the body would have ended the token earlier.
    let without_doubled = body.replace(&doubled, "");
    if without_doubled.contains(close) {
        return None;
    }
    Some((open, body.replace(&doubled, &close.to_string())))
}

fn quote_with(open: char, text: &str) -> String {
    let close = if open == '[' { ']' } else { open };
    let doubled: String = [close, close].iter().collect();
    format!("{open}{}{close}", text.replace(close, &doubled))
}

/// Counts `name` as a whole word (letters, digits, `_`, `.` and `%` continue a Qlik name).
fn count_word(text: &str, name: &str) -> usize {
    let is_name_char = |c: char| c.is_alphanumeric() || matches!(c, '_' | '.' | '%' | '#' | '@');
    text.match_indices(name)
        .filter(|(at, _)| {
            let before = text[..*at].chars().next_back();
            let after = text[at + name.len()..].chars().next();
            !before.is_some_and(is_name_char) && !after.is_some_and(is_name_char)
        })
        .count()
}

fn canonical(path: &std::path::Path) -> PathBuf {
    path.canonicalize().unwrap_or_else(|_| path.to_owned())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn quoting_round_trips() {
        assert_eq!(single_quoted("[a]]b]"), Some(('[', "a]b".to_owned())));
        assert_eq!(quote_with('[', "a]b"), "[a]]b]");
        assert_eq!(single_quoted("'a' & 'b'"), None);
        assert_eq!(quote_with('\'', "it's"), "'it''s'");
    }

    #[test]
    fn words_are_whole_names() {
        assert_eq!(count_word("$(vDir)\\x & vDir2 & vDir", "vDir"), 2);
        assert_eq!(count_word("v.Dir", "Dir"), 0);
    }

    #[test]
    fn leading_variable_is_plain_name() {
        assert_eq!(leading_variable("$(vRoot)\\x.qvd"), Some("vRoot"));
        assert_eq!(leading_variable("$(=Today())\\x"), None);
        assert_eq!(leading_variable("C:\\$(v)"), None);
    }
}
