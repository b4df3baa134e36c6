// Conversion of a parsed script into the WIT `script` record.
//
// The host and the SDK's native test kit both build this record, from bindings that two
// generators made from the same WIT, so the code is written once here and included by both:
// each includer defines `wit` as the module of its generated types.

use std::collections::HashMap;

use qready_script::load::LoadedScript;
use qready_script::{LoadPrefixes, PathKind, SourceRole, StatementKind};

/// Builds the `script` record of a parsed script with its includes.
pub fn script(loaded: &LoadedScript) -> wit::Script {
    let files = loaded
        .files
        .iter()
        .map(|file| wit::ScriptFile {
            path: file.path.display().to_string(),
            text: file.text.clone(),
            encoding: file.encoding.name().to_owned(),
            included_from: file
                .included_from
                .map(|(parent, at)| span(parent, &at)),
        })
        .collect();

    let mut statements = Vec::with_capacity(loaded.statements.len());
    let mut sources = Vec::new();
    let mut function_names: Vec<String> = Vec::new();
    let mut name_index: HashMap<String, u32> = HashMap::new();
    let mut functions = Vec::new();
    for (index, (file, statement)) in loaded.statements.iter().enumerate() {
        let index = index as u32;
        statements.push(wit::Statement {
            kind: statement_kind(statement.kind),
            prefixes: prefixes(statement.prefixes),
            span: span(*file, &statement.span),
            keyword: span(*file, &statement.keyword_span),
            tab: statement.tab,
        });
        for source in &statement.sources {
            let (kind, connection) = path_kind(&source.kind);
            sources.push(wit::SourceRef {
                statement: index,
                role: source_role(source.role),
                kind,
                path: source.path.clone(),
                resolved: source.resolved.clone(),
                connection,
                span: span(*file, &source.span),
            });
        }
        for call in &statement.functions {
            let lower = call.name.as_str().to_lowercase();
            let name = *name_index.entry(lower.clone()).or_insert_with(|| {
                function_names.push(lower);
                (function_names.len() - 1) as u32
            });
            functions.push(wit::FunctionCall {
                statement: index,
                name,
                span: span(*file, &call.span),
            });
        }
    }

    wit::Script {
        files,
        statements,
        sources,
        function_names,
        functions,
        tabs: loaded.tabs.iter().map(|tab| tab.name.clone()).collect(),
    }
}

fn span(file: u32, span: &qready_script::Span) -> wit::Span {
    wit::Span {
        file,
        start: span.start,
        end: span.end,
        line: span.line,
        column: span.column,
        end_line: span.end_line,
        end_column: span.end_column,
    }
}

fn path_kind(kind: &PathKind) -> (wit::PathKind, Option<String>) {
    match kind {
        PathKind::Lib { space, connection } => {
            let name = match space {
                Some(space) => format!("{space}:{connection}"),
                None => connection.clone(),
            };
            (wit::PathKind::Lib, Some(name))
        }
        PathKind::Drive => (wit::PathKind::Drive, None),
        PathKind::Unc => (wit::PathKind::Unc, None),
        PathKind::Relative => (wit::PathKind::Relative, None),
        PathKind::Url => (wit::PathKind::Url, None),
        PathKind::Dynamic => (wit::PathKind::Dynamic, None),
        PathKind::Table => (wit::PathKind::Table, None),
        PathKind::Other => (wit::PathKind::Other, None),
    }
}

fn source_role(role: SourceRole) -> wit::SourceRole {
    match role {
        SourceRole::From => wit::SourceRole::LoadFrom,
        SourceRole::StoreInto => wit::SourceRole::StoreInto,
        SourceRole::Binary => wit::SourceRole::Binary,
        SourceRole::Include => wit::SourceRole::Include,
        SourceRole::MustInclude => wit::SourceRole::MustInclude,
        SourceRole::Directory => wit::SourceRole::Directory,
        SourceRole::FileFunction => wit::SourceRole::FileFunction,
        SourceRole::FileList => wit::SourceRole::FileList,
        SourceRole::DirList => wit::SourceRole::DirList,
        SourceRole::ConnectString => wit::SourceRole::ConnectString,
        SourceRole::SqlTable => wit::SourceRole::SqlTable,
        SourceRole::Url => wit::SourceRole::Url,
        SourceRole::Resident => wit::SourceRole::Resident,
        SourceRole::Execute => wit::SourceRole::Execute,
    }
}

fn prefixes(set: LoadPrefixes) -> wit::LoadPrefixes {
    const PAIRS: &[(LoadPrefixes, wit::LoadPrefixes)] = &[
        (LoadPrefixes::MAPPING, wit::LoadPrefixes::MAPPING),
        (LoadPrefixes::CONCATENATE, wit::LoadPrefixes::CONCATENATE),
        (LoadPrefixes::NOCONCATENATE, wit::LoadPrefixes::NOCONCATENATE),
        (LoadPrefixes::JOIN, wit::LoadPrefixes::JOIN),
        (LoadPrefixes::KEEP, wit::LoadPrefixes::KEEP),
        (LoadPrefixes::INNER, wit::LoadPrefixes::INNER),
        (LoadPrefixes::OUTER, wit::LoadPrefixes::OUTER),
        (LoadPrefixes::LEFT, wit::LoadPrefixes::LEFT),
        (LoadPrefixes::RIGHT, wit::LoadPrefixes::RIGHT),
        (LoadPrefixes::CROSSTABLE, wit::LoadPrefixes::CROSSTABLE),
        (LoadPrefixes::GENERIC, wit::LoadPrefixes::GENERIC),
        (LoadPrefixes::HIERARCHY, wit::LoadPrefixes::HIERARCHY),
        (LoadPrefixes::HIERARCHY_BELONGS_TO, wit::LoadPrefixes::HIERARCHY_BELONGS_TO),
        (LoadPrefixes::INTERVAL_MATCH, wit::LoadPrefixes::INTERVAL_MATCH),
        (LoadPrefixes::BUFFER, wit::LoadPrefixes::BUFFER),
        (LoadPrefixes::BUNDLE, wit::LoadPrefixes::BUNDLE),
        (LoadPrefixes::INFO, wit::LoadPrefixes::INFO),
        (LoadPrefixes::ADD, wit::LoadPrefixes::ADD),
        (LoadPrefixes::REPLACE, wit::LoadPrefixes::REPLACE),
        (LoadPrefixes::MERGE, wit::LoadPrefixes::MERGE),
        (LoadPrefixes::FIRST, wit::LoadPrefixes::FIRST),
        (LoadPrefixes::SAMPLE, wit::LoadPrefixes::SAMPLE),
        (LoadPrefixes::WHEN, wit::LoadPrefixes::WHEN),
        (LoadPrefixes::UNLESS, wit::LoadPrefixes::UNLESS),
        (LoadPrefixes::ONLY, wit::LoadPrefixes::ONLY),
    ];
    let mut out = wit::LoadPrefixes::empty();
    #[allow(
        clippy::assign_op_pattern,
        reason = "the guest's generated flags type implements `|` but not `|=`"
    )]
    for (ours, theirs) in PAIRS {
        if set.contains(*ours) {
            out = out | *theirs;
        }
    }
    out
}

/// Maps each parser statement kind to its WIT case; the two enums list the same grammar.
fn statement_kind(kind: StatementKind) -> wit::StatementKind {
    use wit::StatementKind as W;
    match kind {
        StatementKind::Load => W::Load,
        StatementKind::Select => W::Select,
        StatementKind::OdbcConnect => W::OdbcConnect,
        StatementKind::OledbConnect => W::OledbConnect,
        StatementKind::CustomConnect => W::CustomConnect,
        StatementKind::LibConnect => W::LibConnect,
        StatementKind::Disconnect => W::Disconnect,
        StatementKind::Store => W::Store,
        StatementKind::Drop => W::Drop,
        StatementKind::Rename => W::Rename,
        StatementKind::Let => W::Let,
        StatementKind::Set => W::Set,
        StatementKind::Binary => W::Binary,
        StatementKind::Execute => W::Execute,
        StatementKind::Directory => W::Directory,
        StatementKind::Include => W::Include,
        StatementKind::SectionAccess => W::SectionAccess,
        StatementKind::SectionApplication => W::SectionApplication,
        StatementKind::Qualify => W::Qualify,
        StatementKind::Unqualify => W::Unqualify,
        StatementKind::MapUsing => W::MapUsing,
        StatementKind::Unmap => W::Unmap,
        StatementKind::Trace => W::Trace,
        StatementKind::Sleep => W::Sleep,
        StatementKind::Star => W::Star,
        StatementKind::Tag => W::Tag,
        StatementKind::Untag => W::Untag,
        StatementKind::Comment => W::Comment,
        StatementKind::Alias => W::Alias,
        StatementKind::Search => W::Search,
        StatementKind::NullAsValue => W::NullAsValue,
        StatementKind::NullAsNull => W::NullAsNull,
        StatementKind::Force => W::Force,
        StatementKind::LooseEnd => W::LoosenTable,
        StatementKind::Semantic => W::Semantic,
        StatementKind::Declare => W::Declare,
        StatementKind::Derive => W::Derive,
        StatementKind::Call => W::Call,
        StatementKind::Sub => W::Sub,
        StatementKind::EndSub => W::EndSub,
        StatementKind::If => W::If,
        StatementKind::ElseIf => W::ElseIf,
        StatementKind::Else => W::Else,
        StatementKind::EndIf => W::EndIf,
        StatementKind::For => W::For,
        StatementKind::ForEach => W::ForEach,
        StatementKind::Next => W::Next,
        StatementKind::Do => W::Do,
        StatementKind::Loop => W::Loop,
        StatementKind::Switch => W::Switch,
        StatementKind::Case => W::Case,
        StatementKind::Default => W::Default,
        StatementKind::EndSwitch => W::EndSwitch,
        StatementKind::Exit => W::Exit,
        StatementKind::Rem => W::Rem,
        StatementKind::Expansion => W::Expansion,
        StatementKind::AutoNumber => W::AutoNumber,
        StatementKind::FlushLog => W::FlushLog,
        StatementKind::DirectQuery => W::DirectQuery,
        StatementKind::SectionDirectQuery => W::SectionDirectQuery,
        StatementKind::SqlCatalog => W::SqlCatalog,
        StatementKind::ImportLive => W::ImportLive,
        StatementKind::Relationship => W::Relationship,
        StatementKind::Dimension => W::Dimension,
        StatementKind::Measure => W::Measure,
        StatementKind::Constrain => W::Constrain,
        StatementKind::IncludeModel => W::IncludeModel,
        StatementKind::InputField => W::InputField,
        StatementKind::Command => W::Command,
        StatementKind::Unknown => W::Unknown,
    }
}
