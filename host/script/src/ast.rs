//! Typed syntax tree of one statement.
//!
//! Names are stored as written with quotes removed; `$(…)` expansions are kept as text because
//! their value is known only at reload time.
//!
//! Expressions hold their text as [`CompactString`], which keeps text of up to 24 bytes inline:
//! most names and literals then need no heap allocation of their own.

pub use compact_str::CompactString;
use serde::Serialize;

/// Syntax tree of one statement. Large variants are boxed so that statements stay small to move.
#[derive(Clone, Debug, PartialEq, Serialize)]
#[serde(tag = "type", rename_all = "kebab-case")]
pub enum Node {
    Load(Box<LoadStatement>),
    Select(Box<SelectStatement>),
    Connect(Box<ConnectStatement>),
    Disconnect,
    Store(Box<StoreStatement>),
    Drop(Box<DropStatement>),
    Rename(Box<RenameStatement>),
    LetSet(Box<Assignment>),
    Binary(PathStatement),
    Execute(RawText),
    Directory(PathStatement),
    Include(IncludeDirective),
    Section {
        section: SectionKind,
    },
    /// QUALIFY, UNQUALIFY, NULLASVALUE, NULLASNULL, UNMAP, LOOSEN TABLE, SEARCH, AUTONUMBER:
    /// a keyword followed by a list of names or patterns.
    NameList(Box<NameListStatement>),
    MapUsing(MapUsingStatement),
    Trace(RawText),
    Sleep(Expr),
    Star(StarStatement),
    Tag(Box<TagStatement>),
    Comment(Box<CommentStatement>),
    Alias {
        pairs: Vec<AliasPair>,
    },
    Force(ForceStatement),
    Declare(DeclareStatement),
    Derive(DeriveStatement),
    Call(Box<CallStatement>),
    Sub(SubStatement),
    EndSub,
    If(Expr),
    ElseIf(Expr),
    Else,
    EndIf,
    For(Box<ForStatement>),
    ForEach(Box<ForEachStatement>),
    /// NEXT, with the loop variable when the statement names it.
    Next {
        variable: Option<String>,
    },
    Do(Box<LoopCondition>),
    Loop(Box<LoopCondition>),
    Switch(Expr),
    Case {
        values: Vec<Expr>,
    },
    Default,
    EndSwitch,
    Exit(Box<ExitStatement>),
    Rem(RawText),
    /// A statement whose text comes from a `$(…)` expansion, unknown until reload.
    Expansion(RawText),
    /// A statement kept as text: Direct Discovery, SQLTABLES and similar catalogue calls,
    /// FLUSHLOG, IMPORT LIVE, CREATE/DROP RELATIONSHIP, DIMENSION, MEASURE, CONSTRAIN,
    /// INCLUDEMODEL, INPUTFIELD, COMMAND.
    Raw(RawStatement),
    Unknown,
    /// The tree was not kept: a reader that needs only the statement's kind, span, sources and
    /// functions dropped it to save memory.
    Omitted,
}

/// Text of a statement body taken as is.
#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
pub struct RawText {
    pub text: String,
}

#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
pub struct RawStatement {
    /// Leading keywords, lower case and space separated, e.g. "direct query" or "sqltables".
    pub keyword: String,
    pub text: String,
}

/// An expression, kept as a tree where it could be parsed and as text where it could not.
#[derive(Clone, Debug, PartialEq, Serialize)]
#[serde(tag = "type", rename_all = "kebab-case")]
pub enum Expr {
    Number {
        text: CompactString,
    },
    String {
        value: CompactString,
    },
    /// A field, or a variable outside LOAD; quoted names have their quotes removed.
    Name {
        name: CompactString,
    },
    /// `@n` or `@n:m[T]` column reference of a file without labels.
    Position {
        text: CompactString,
    },
    Expansion {
        text: CompactString,
    },
    Star,
    Call {
        name: CompactString,
        /// DISTINCT, TOTAL, ALL qualifiers written before the arguments.
        qualifiers: Vec<String>,
        args: Vec<Expr>,
    },
    /// `op` is `-`, `+`, `not` or `bitnot`.
    Unary {
        op: &'static str,
        operand: Box<Expr>,
    },
    /// `op` is the operator in lower case, e.g. `&`, `<=` or `and`.
    Binary {
        op: &'static str,
        left: Box<Expr>,
        right: Box<Expr>,
    },
    /// Text that did not parse as an expression.
    Raw {
        text: CompactString,
    },
}

#[derive(Clone, Debug, PartialEq, Serialize)]
pub struct LoadStatement {
    pub prefixes: Vec<Prefix>,
    pub distinct: bool,
    pub fields: Vec<LoadField>,
    pub source: LoadSource,
    pub where_clause: Option<Expr>,
    pub while_clause: Option<Expr>,
    pub group_by: Vec<Expr>,
    pub order_by: Vec<OrderItem>,
    /// `$(…)` expansions after the source, standing for clauses known only at reload.
    pub dynamic_clauses: Vec<String>,
}

#[derive(Clone, Debug, PartialEq, Serialize)]
pub struct LoadField {
    pub expr: Expr,
    pub alias: Option<CompactString>,
}

#[derive(Clone, Debug, PartialEq, Serialize)]
pub struct OrderItem {
    pub expr: Expr,
    pub descending: bool,
}

#[derive(Clone, Debug, PartialEq, Serialize)]
#[serde(tag = "type", rename_all = "kebab-case")]
pub enum LoadSource {
    /// A preceding load whose input statement is not the next statement in the text (for example
    /// because a control statement sits between them).
    None,
    /// A preceding load fed by the LOAD or SELECT that follows it.
    Preceding {
        input: Box<Node>,
    },
    From {
        path: String,
        format: Vec<FormatItem>,
    },
    FromField {
        table: String,
        field: String,
        format: Vec<FormatItem>,
    },
    Resident {
        table: String,
    },
    Inline {
        data: String,
        format: Vec<FormatItem>,
        /// Span of the data between the opening and closing quote or bracket.
        data_span: crate::Span,
    },
    Autogenerate {
        count: Expr,
    },
    /// A `$(…)` expansion where the source belongs, e.g. a variable holding `FROM [lib://…]`.
    Dynamic {
        text: String,
        format: Vec<FormatItem>,
    },
    Extension {
        call: Expr,
    },
}

/// One item of a file format specification such as `(txt, delimiter is ';', embedded labels)`.
#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
#[serde(tag = "type", rename_all = "kebab-case")]
pub enum FormatItem {
    /// `key is value`; the key is lower case without spaces, e.g. "delimiter", "table", "codepage".
    Is { key: String, value: String },
    /// A bare item, lower case, e.g. "qvd", "embedded labels", "no quotes", "utf8".
    Flag { text: String },
}

/// A LOAD or SELECT prefix, in the order written.
#[derive(Clone, Debug, PartialEq, Serialize)]
#[serde(tag = "type", rename_all = "kebab-case")]
pub enum Prefix {
    Mapping,
    Concatenate {
        table: Option<String>,
    },
    NoConcatenate,
    Join {
        kind: JoinKind,
        table: Option<String>,
    },
    Keep {
        kind: JoinKind,
        table: Option<String>,
    },
    CrossTable {
        args: Vec<Expr>,
    },
    Generic,
    Hierarchy {
        args: Vec<Expr>,
    },
    HierarchyBelongsTo {
        args: Vec<Expr>,
    },
    IntervalMatch {
        args: Vec<Expr>,
    },
    Buffer {
        options: Option<String>,
    },
    Bundle {
        info: bool,
    },
    Info,
    ImageSize {
        args: Vec<Expr>,
    },
    Add {
        only: bool,
    },
    Replace {
        only: bool,
    },
    Merge {
        only: bool,
        args: Vec<Expr>,
        on: Vec<String>,
    },
    First {
        count: Expr,
    },
    Sample {
        fraction: Expr,
    },
    When {
        condition: Expr,
    },
    Unless {
        condition: Expr,
    },
    Semantic,
    /// A `$(…)` expansion in prefix position, e.g. a variable holding "Concatenate" or "".
    Expansion {
        text: String,
    },
}

#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize)]
#[serde(rename_all = "kebab-case")]
pub enum JoinKind {
    Plain,
    Inner,
    Outer,
    Left,
    Right,
}

#[derive(Clone, Debug, PartialEq, Serialize)]
pub struct SelectStatement {
    pub prefixes: Vec<Prefix>,
    /// Whether the statement starts with `SQL`.
    pub sql_keyword: bool,
    /// The SQL text after `SQL`, passed to the driver as is.
    pub text: String,
    /// Tables named after FROM and JOIN at the outer level of a SELECT, where written plainly.
    pub tables: Vec<String>,
}

#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize)]
#[serde(rename_all = "kebab-case")]
pub enum ConnectKind {
    Odbc,
    Oledb,
    Custom,
    Lib,
    Bdi,
}

#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
pub struct ConnectStatement {
    pub kind: ConnectKind,
    /// `32` or `64` for CONNECT32 / CONNECT64.
    pub bitness: Option<u8>,
    pub target: String,
    /// Items of the parenthesised list after the connection string, e.g. `XUserId is …`.
    pub options: Vec<String>,
}

#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
pub struct StoreStatement {
    /// Fields before FROM in `STORE f1, f2 FROM T INTO …`; empty when the whole table is stored.
    pub fields: Vec<String>,
    pub tables: Vec<String>,
    pub path: String,
    pub format: Vec<FormatItem>,
}

#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize)]
#[serde(rename_all = "kebab-case")]
pub enum ObjectKind {
    Table,
    Field,
}

#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
pub struct DropStatement {
    pub object: ObjectKind,
    pub names: Vec<String>,
    /// Tables after FROM in `DROP FIELD f FROM T`.
    pub from: Vec<String>,
}

#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
pub struct RenameStatement {
    pub object: ObjectKind,
    pub using_map: Option<String>,
    pub pairs: Vec<(String, String)>,
}

#[derive(Clone, Debug, PartialEq, Serialize)]
pub struct Assignment {
    /// `let`, `set`, or `none` for an assignment written without keyword.
    pub keyword: AssignmentKeyword,
    pub name: CompactString,
    /// The value text after `=`, trimmed; None for `SET x = ;`.
    pub value_text: Option<CompactString>,
    /// Span of `value_text`; None when there is no value.
    pub value_span: Option<crate::Span>,
    /// LET (and keyword-less) values parsed as an expression.
    pub value: Option<Expr>,
}

#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize)]
#[serde(rename_all = "kebab-case")]
pub enum AssignmentKeyword {
    Let,
    Set,
    None,
}

#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
pub struct PathStatement {
    /// None for `BINARY;` or `DIRECTORY;` without argument.
    pub path: Option<String>,
}

#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
pub struct IncludeDirective {
    pub must: bool,
    pub path: String,
}

#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize)]
#[serde(rename_all = "kebab-case")]
pub enum SectionKind {
    Access,
    Application,
    DirectQuery,
}

#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
pub struct NameListStatement {
    pub keyword: String,
    pub names: Vec<String>,
    /// Text after a trailing USING or INCLUDE/EXCLUDE keyword, e.g. the AUTONUMBER namespace.
    pub qualifier: Option<String>,
}

#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
pub struct MapUsingStatement {
    pub fields: Vec<String>,
    pub map: String,
}

#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
pub struct StarStatement {
    /// The symbol after `STAR IS`; None for `STAR IS;`.
    pub symbol: Option<String>,
}

#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
pub struct TagStatement {
    pub untag: bool,
    pub object: ObjectKind,
    pub using_map: Option<String>,
    pub names: Vec<String>,
    pub tags: Vec<String>,
}

#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
pub struct CommentStatement {
    pub object: ObjectKind,
    pub using_map: Option<String>,
    pub names: Vec<String>,
    pub comment: Option<String>,
}

#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
pub struct AliasPair {
    pub name: String,
    pub alias: String,
}

#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
pub struct ForceStatement {
    /// "capitalization", "case upper", "case lower" or "case mixed".
    pub mode: String,
}

#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
pub struct DeclareStatement {
    pub text: String,
}

#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
pub struct DeriveStatement {
    pub text: String,
}

#[derive(Clone, Debug, PartialEq, Serialize)]
pub struct CallStatement {
    pub name: String,
    pub args: Vec<Expr>,
}

#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
pub struct SubStatement {
    pub name: String,
    pub params: Vec<String>,
}

#[derive(Clone, Debug, PartialEq, Serialize)]
pub struct ForStatement {
    pub variable: String,
    pub from: Expr,
    pub to: Expr,
    pub step: Option<Expr>,
}

#[derive(Clone, Debug, PartialEq, Serialize)]
pub struct ForEachStatement {
    pub variable: String,
    pub values: ForEachValues,
}

#[derive(Clone, Debug, PartialEq, Serialize)]
#[serde(tag = "type", rename_all = "kebab-case")]
pub enum ForEachValues {
    FileList { mask: Expr },
    DirList { mask: Expr },
    FieldValueList { field: Expr },
    List { items: Vec<Expr> },
}

#[derive(Clone, Debug, PartialEq, Serialize)]
pub struct LoopCondition {
    /// true for UNTIL, false for WHILE; meaningless when `condition` is None.
    pub until: bool,
    pub condition: Option<Expr>,
}

#[derive(Clone, Debug, PartialEq, Serialize)]
pub struct ExitStatement {
    /// "script", "sub", "for", "do", or "" for EXIT without a scope word.
    pub scope: String,
    /// WHEN (false) or UNLESS (true) condition.
    pub unless: bool,
    pub condition: Option<Expr>,
}
