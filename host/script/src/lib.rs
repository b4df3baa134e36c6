//! Parser for Qlik load scripts (QlikView and Qlik Sense).
//!
//! [`parse`] turns script text into statements with exact spans, a typed syntax tree per
//! statement, every data source reference and every function call. [`load::load_script`] reads a
//! file from disk, decodes it and follows `$(Include=…)` / `$(Must_Include=…)`.
//!
//! Parsing works on the text as written: `$(…)` expansions are kept as tokens, and statement
//! boundaries are found before expansion, the way the engine does. Values of SET/LET variables
//! are tracked in text order to resolve paths that use them.

pub mod ast;
pub mod decode;
mod functions;
mod kind;
mod lex;
pub mod load;
mod parse;
mod paths;
mod prefixes;
mod span;
mod split;
mod symbols;

use serde::Serialize;

pub use ast::Node;
pub use kind::StatementKind;
pub use paths::classify_path;
pub use prefixes::LoadPrefixes;
pub use span::Span;
pub use symbols::SymbolTable;

/// A parsed script.
#[derive(Clone, Debug, Serialize)]
pub struct Script {
    pub statements: Vec<Statement>,
    pub tabs: Vec<Tab>,
    pub diagnostics: Vec<Diagnostic>,
}

/// A script section, started by a `///$tab Name` line.
#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
pub struct Tab {
    pub name: String,
    /// 1-based line of the `///$tab` marker.
    pub line: u32,
}

/// One statement with what readiness rules need from it.
#[derive(Clone, Debug, Serialize)]
pub struct Statement {
    pub kind: StatementKind,
    /// From the first token (label included) to the terminating `;`, or to the end of the line
    /// for a control statement without `;`.
    pub span: Span,
    /// The statement keyword itself (e.g. LOAD, STORE, ODBC); for a preceding-load chain, the
    /// first LOAD.
    pub keyword_span: Span,
    /// Table label (`Name:`), quotes removed.
    pub label: Option<String>,
    pub prefixes: LoadPrefixes,
    /// Index into [`Script::tabs`].
    pub tab: Option<u32>,
    /// Every data source reference or path in the statement, in text order.
    pub sources: Vec<SourceRef>,
    /// Every function call in expressions, and path-exposing system variables used as `$(QvPath)`.
    pub functions: Vec<FunctionCall>,
    pub node: Node,
}

/// A reference to data outside the script: a file, folder, connection, URL or table.
#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
pub struct SourceRef {
    pub role: SourceRole,
    /// As written, quotes and brackets stripped, `$(…)` kept.
    pub path: String,
    /// The path after substituting `$(var)` with values of earlier SET/LET statements, when every
    /// expansion in it has a static value; None when there is nothing to resolve or it cannot be.
    pub resolved: Option<String>,
    /// Classification of the resolved path when there is one, else of the path as written.
    pub kind: PathKind,
    /// Span of the path token(s).
    pub span: Span,
}

#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, Serialize)]
#[serde(rename_all = "kebab-case")]
pub enum SourceRole {
    From,
    StoreInto,
    Binary,
    Include,
    MustInclude,
    Directory,
    /// Path argument of FileTime, FileSize, QvdCreateTime and the other file functions.
    FileFunction,
    FileList,
    DirList,
    /// The string of ODBC/OLEDB/CUSTOM/LIB CONNECT TO.
    ConnectString,
    /// FROM or JOIN table of a SQL SELECT, where written plainly.
    SqlTable,
    /// `URL is '…'` in a format specification.
    Url,
    Resident,
    /// The command line of EXECUTE.
    Execute,
}

#[derive(Clone, Debug, PartialEq, Eq, Hash, Serialize)]
#[serde(tag = "type", rename_all = "kebab-case")]
pub enum PathKind {
    /// `lib://Connection/…` or `lib://Space:Connection/…`; also the name of LIB CONNECT TO.
    Lib {
        space: Option<String>,
        connection: String,
    },
    /// A Windows drive path such as `C:\Data` or `d:/qvd`.
    Drive,
    /// `\\server\share\…`.
    Unc,
    /// A path resolved against the working directory, e.g. `..\x.qvd` or `x.qvd`.
    Relative,
    /// `http://`, `https://`, `ftp://` and other scheme URLs.
    Url,
    /// Depends on a `$(…)` expansion whose value is not known statically.
    Dynamic,
    /// A SQL table or resident table name.
    Table,
    /// Anything else, e.g. an ODBC connection string or an app ID after BINARY.
    Other,
}

#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
pub struct FunctionCall {
    /// As written; names of up to 24 bytes are stored without a heap allocation.
    pub name: ast::CompactString,
    /// Span of the name.
    pub span: Span,
}

#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
pub struct Diagnostic {
    pub message: String,
    pub span: Span,
    pub severity: DiagnosticSeverity,
}

#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, Serialize)]
#[serde(rename_all = "kebab-case")]
pub enum DiagnosticSeverity {
    Error,
    Warning,
}

/// Parses one script's text.
///
/// Never panics and never aborts: a statement that is not understood becomes
/// [`StatementKind::Unknown`] with its span and a warning. `$(var)` in paths is resolved with the
/// SET/LET values of this text only; [`load::load_script`] resolves across included files.
pub fn parse(text: &str) -> Script {
    let mut script = parse::parse_script(text);
    // Values resolve `$(…)` only in the source paths of later statements, so tracking stops at
    // the last statement with such a path. Tracking the statements after it would leave every
    // source as parsed.
    let last_dynamic = script.statements.iter().rposition(|s| {
        s.sources
            .iter()
            .any(|source| symbols::has_expansion(&source.path))
    });
    let Some(last_dynamic) = last_dynamic else {
        return script;
    };
    let tracked = &mut script.statements[..=last_dynamic];
    let assignments = tracked
        .iter()
        .filter(|s| matches!(s.node, Node::LetSet(_)))
        .count();
    let mut symbols = SymbolTable::with_capacity(assignments);
    for statement in tracked {
        symbols.apply(statement);
    }
    script
}
