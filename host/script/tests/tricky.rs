//! One test per tricky lexical or grammatical case of the load-script language.

use qready_script::ast::{
    AssignmentKeyword, ConnectKind, Expr, ForEachValues, FormatItem, LoadSource, Node,
};
use qready_script::{
    DiagnosticSeverity, LoadPrefixes, PathKind, Script, SourceRole, Statement, StatementKind,
    SymbolTable, decode, parse,
};

fn kinds(script: &Script) -> Vec<StatementKind> {
    script.statements.iter().map(|s| s.kind).collect()
}

fn lines(script: &Script) -> Vec<u32> {
    script.statements.iter().map(|s| s.span.line).collect()
}

fn load(statement: &Statement) -> &qready_script::ast::LoadStatement {
    match &statement.node {
        Node::Load(load) => load,
        other => panic!("expected a LOAD node, got {other:?}"),
    }
}

fn assignment(statement: &Statement) -> &qready_script::ast::Assignment {
    match &statement.node {
        Node::LetSet(assignment) => assignment,
        other => panic!("expected a LET/SET node, got {other:?}"),
    }
}

fn function_names(statement: &Statement) -> Vec<&str> {
    statement
        .functions
        .iter()
        .map(|f| f.name.as_str())
        .collect()
}

#[test]
fn semicolon_inside_quotes() {
    let script = parse(
        "SET MonthNames='Jan;Feb;Mar';\n\
         LOAD a FROM x.csv (txt, delimiter is ';');\n\
         OLEDB CONNECT TO [Provider=SQLOLEDB;Data Source=srv];\n\
         LOAD \"a;b\", `c;d` FROM y.qvd (qvd);\n",
    );
    use StatementKind::*;
    assert_eq!(kinds(&script), [Set, Load, OledbConnect, Load]);
    assert_eq!(lines(&script), [1, 2, 3, 4]);
    let value = assignment(&script.statements[0]).value_text.as_deref();
    assert_eq!(value, Some("'Jan;Feb;Mar'"));
    let connect = &script.statements[2].sources[0];
    assert_eq!(connect.path, "Provider=SQLOLEDB;Data Source=srv");
}

#[test]
fn semicolon_inside_expansion() {
    let script = parse("LET x = $(=Concat(F, ';'));\nTRACE $(a;b);\nDROP TABLE T;");
    use StatementKind::*;
    assert_eq!(kinds(&script), [Let, Trace, Drop]);
    assert_eq!(function_names(&script.statements[0]), ["Concat"]);
}

#[test]
fn semicolon_inside_comments() {
    let script =
        parse("LOAD a FROM x.qvd (qvd); // done;\n/* ; */ DROP TABLE T; STORE T INTO t.qvd;\n");
    use StatementKind::*;
    assert_eq!(kinds(&script), [Load, Drop, Store]);
    assert_eq!(lines(&script), [1, 2, 2]);
    assert_eq!(script.statements[2].span.column, 23);
}

#[test]
fn colon_slash_slash_is_not_a_comment() {
    let script = parse("LOAD * FROM lib://Data/x.qvd (qvd);\nDirectory http://host/dir;\n");
    let from = &script.statements[0].sources[0];
    assert_eq!(from.path, "lib://Data/x.qvd");
    assert_eq!(
        from.kind,
        PathKind::Lib {
            space: None,
            connection: "Data".into()
        }
    );
    let directory = &script.statements[1].sources[0];
    assert_eq!(directory.role, SourceRole::Directory);
    assert_eq!(directory.path, "http://host/dir");
    assert_eq!(directory.kind, PathKind::Url);
}

#[test]
fn label_glued_to_comment() {
    // `//` right after `:` is not a comment, so the text after the label is code.
    let script = parse("Orders://note\nLOAD a INLINE [a\n1];\nDROP TABLE Orders;");
    assert_eq!(
        kinds(&script),
        [StatementKind::Unknown, StatementKind::Drop]
    );
    assert!(
        script
            .diagnostics
            .iter()
            .any(|d| d.message.starts_with("statement not understood"))
    );
    let spaced = parse("Orders: //note\nLOAD a INLINE [a\n1];");
    assert_eq!(kinds(&spaced), [StatementKind::Load]);
    assert_eq!(spaced.statements[0].label.as_deref(), Some("Orders"));
}

#[test]
fn url_inside_string() {
    let script = parse("LET u = 'http://x/y'; // comment\nDROP TABLE T;");
    let value = assignment(&script.statements[0]).value.clone();
    assert_eq!(
        value,
        Some(Expr::String {
            value: "http://x/y".into()
        })
    );
    assert_eq!(script.statements.len(), 2);
}

#[test]
fn block_comment_does_not_nest() {
    let script = parse("/* a /* b */ DROP TABLE T;\n/* one\ntwo\n*/ DROP TABLE U;");
    assert_eq!(kinds(&script), [StatementKind::Drop, StatementKind::Drop]);
    assert_eq!(lines(&script), [1, 4]);
    assert_eq!(script.statements[1].span.column, 4);
    let unbalanced = parse("/* a /* b */ c */ DROP TABLE T;");
    assert_eq!(kinds(&unbalanced), [StatementKind::Unknown]);
}

#[test]
fn rem_only_at_statement_start() {
    let script = parse("REM this spans\n two lines, it's fine;\nLOAD a, REM, b RESIDENT T;");
    assert_eq!(kinds(&script), [StatementKind::Rem, StatementKind::Load]);
    assert_eq!(script.statements[0].span.end_line, 2);
    let fields = &load(&script.statements[1]).fields;
    assert_eq!(fields[1].expr, Expr::Name { name: "REM".into() });
}

#[test]
fn quote_doubling() {
    let script = parse("LET v = 'It''s';\nLOAD \"a\"\"b\" AS [x]]y], `c` RESIDENT T;");
    let value = assignment(&script.statements[0]).value.clone();
    assert_eq!(
        value,
        Some(Expr::String {
            value: "It's".into()
        })
    );
    let fields = &load(&script.statements[1]).fields;
    assert_eq!(
        fields[0].expr,
        Expr::Name {
            name: "a\"b".into()
        }
    );
    assert_eq!(fields[0].alias.as_deref(), Some("x]y"));
    assert_eq!(fields[1].expr, Expr::Name { name: "c".into() });
}

#[test]
fn no_backslash_escape() {
    let script = parse("SET p = 'C:\\Data\\';\nLOAD a FROM [$(p)x.qvd];");
    assert_eq!(kinds(&script), [StatementKind::Set, StatementKind::Load]);
    let from = &script.statements[1].sources[0];
    assert_eq!(from.resolved.as_deref(), Some("C:\\Data\\x.qvd"));
    assert_eq!(from.kind, PathKind::Drive);
}

#[test]
fn typographic_quotes_are_not_quotes() {
    let script = parse("Set MUL=\u{2019}$1*$2\u{2019};\nDROP TABLE T;");
    assert_eq!(kinds(&script), [StatementKind::Set, StatementKind::Drop]);
    let warnings: Vec<_> = script
        .diagnostics
        .iter()
        .filter(|d| d.message.contains("typographic quote"))
        .collect();
    assert_eq!(warnings.len(), 2);
    assert_eq!(warnings[0].severity, DiagnosticSeverity::Warning);
}

#[test]
fn double_quotes_name_variable_or_field() {
    let script =
        parse("LET x = \"y\" & 'z';\nLOAD \"land\" AS Country, 'Sweden' AS Nation RESIDENT T;");
    let value = assignment(&script.statements[0]).value.clone();
    let expected = Expr::Binary {
        op: "&",
        left: Box::new(Expr::Name { name: "y".into() }),
        right: Box::new(Expr::String { value: "z".into() }),
    };
    assert_eq!(value, Some(expected));
    let fields = &load(&script.statements[1]).fields;
    assert_eq!(
        fields[0].expr,
        Expr::Name {
            name: "land".into()
        }
    );
    assert_eq!(
        fields[1].expr,
        Expr::String {
            value: "Sweden".into()
        }
    );
}

#[test]
fn table_names_in_strings() {
    let script = parse("LET n = NoOfRows('T') + Peek('F', -1, 'T');\nDROP TABLE 'T';");
    assert_eq!(function_names(&script.statements[0]), ["NoOfRows", "Peek"]);
    match &script.statements[1].node {
        Node::Drop(drop) => assert_eq!(drop.names, ["T"]),
        other => panic!("expected DROP, got {other:?}"),
    }
}

#[test]
fn expansion_anywhere() {
    let script = parse(
        "$(vConcatenate) LOAD * FROM [$(vFile)];\n\
         $(vLoadStatement);\n\
         [$(v)]:\nLOAD 1 AS x AUTOGENERATE 1;\n\
         Batch_$(vRun): LOAD 1 AS y AUTOGENERATE 1;\n\
         LET vMetric_$(vRun) = 42;\n\
         SUB My$(v)Sub (x)\nEND SUB\n",
    );
    use StatementKind::*;
    assert_eq!(
        kinds(&script),
        [Load, Expansion, Load, Load, Let, Sub, EndSub]
    );
    assert!(
        script.statements[0]
            .prefixes
            .contains(LoadPrefixes::DYNAMIC)
    );
    assert_eq!(script.statements[0].sources[0].kind, PathKind::Dynamic);
    assert_eq!(script.statements[2].label.as_deref(), Some("$(v)"));
    assert_eq!(script.statements[3].label.as_deref(), Some("Batch_$(vRun)"));
    assert_eq!(assignment(&script.statements[4]).name, "vMetric_$(vRun)");
}

#[test]
fn nested_and_parametrised_expansions() {
    let script = parse(
        "SET i = 2;\nSET v2 = 'lib://Two/';\nLOAD a FROM [$(v$(i))x.qvd];\n\
         LET b = $(=Max(x)-$(d));\nSET MUL = $1*$2;\nLET c = $(MUL(3,7));",
    );
    use StatementKind::*;
    assert_eq!(kinds(&script), [Set, Set, Load, Let, Set, Let]);
    assert_eq!(
        script.statements[2].sources[0].resolved.as_deref(),
        Some("lib://Two/x.qvd")
    );
    assert_eq!(function_names(&script.statements[3]), ["Max"]);
    let mut symbols = SymbolTable::default();
    symbols.set("MUL", Some("$1*$2".into()));
    assert_eq!(
        symbols.expand("$(MUL(3,7)) $(MUL(4))").as_deref(),
        Some("3*7 4*$2")
    );
}

#[test]
fn decimal_separator_in_expansion() {
    let script = parse("SET DecimalSep=',';\nLOAD Round($(X), 1) AS r, $(#X) AS s AUTOGENERATE 1;");
    assert_eq!(kinds(&script), [StatementKind::Set, StatementKind::Load]);
    let mut symbols = SymbolTable::default();
    symbols.set("X", Some("3.5".into()));
    assert_eq!(symbols.expand("$(#X)").as_deref(), Some("3.5"));
    symbols.set("Y", Some("abc".into()));
    assert_eq!(symbols.expand("$(#Y)"), None);
}

#[test]
fn literal_dollar_signs() {
    let script = parse(
        "LOAD * FROM x.xls (biff, embedded labels, table is Sheet1$);\n\
         LET f = Num(1, '$#,##0.00');\nSET MUL = $1*$2;",
    );
    use StatementKind::*;
    assert_eq!(kinds(&script), [Load, Let, Set]);
    match &load(&script.statements[0]).source {
        LoadSource::From { format, .. } => assert_eq!(
            format[2],
            FormatItem::Is {
                key: "table".into(),
                value: "Sheet1$".into()
            }
        ),
        other => panic!("expected FROM, got {other:?}"),
    }
    assert_eq!(
        assignment(&script.statements[2]).value_text.as_deref(),
        Some("$1*$2")
    );
}

#[test]
fn include_forms() {
    let script = parse(
        "$(Include=..\\config\\setup file.qvs);\n$(Include=[lib://Data/Script/SA.qvs])\n\
         $(Must_Include=$(vRoot)\\x.qvs)\n\
         IF 1 = 1 THEN\n  $(include=a.qvs);\nEND IF\n",
    );
    use StatementKind::*;
    assert_eq!(
        kinds(&script),
        [Include, Include, Include, If, Include, EndIf]
    );
    let first = &script.statements[0].sources[0];
    assert_eq!(first.role, SourceRole::Include);
    assert_eq!(first.path, "..\\config\\setup file.qvs");
    assert_eq!(first.kind, PathKind::Relative);
    assert_eq!(first.span.column, 11);
    let bracketed = &script.statements[1].sources[0];
    assert_eq!(bracketed.path, "lib://Data/Script/SA.qvs");
    let second = &script.statements[2].sources[0];
    assert_eq!(second.role, SourceRole::MustInclude);
    assert_eq!(second.kind, PathKind::Dynamic);
}

#[test]
fn control_clause_with_trailing_comment() {
    let script = parse(
        "IF len('$(x)')>0 THEN // comment\nLOAD a RESIDENT T;\nELSE // other\nDROP TABLE T;\nEND IF;\n",
    );
    use StatementKind::*;
    assert_eq!(kinds(&script), [If, Load, Else, Drop, EndIf]);
    assert_eq!(lines(&script), [1, 2, 3, 4, 5]);
    assert_eq!(script.statements[0].span.end_line, 1);
}

#[test]
fn assignment_without_let() {
    let script = parse("z=$(y)+1\nLOAD a RESIDENT T;");
    assert_eq!(kinds(&script), [StatementKind::Let, StatementKind::Load]);
    let z = assignment(&script.statements[0]);
    assert_eq!(z.keyword, AssignmentKeyword::None);
    assert_eq!(z.name, "z");
}

#[test]
fn empty_set_and_let() {
    let script = parse("SET x = ;\nLET y = ;\nSET z;");
    use StatementKind::*;
    assert_eq!(kinds(&script), [Set, Let, Set]);
    assert_eq!(assignment(&script.statements[0]).value_text, None);
    assert_eq!(assignment(&script.statements[1]).value, None);
}

#[test]
fn preceding_load_chain() {
    let script = parse("T: LOAD a;\nLOAD a, b;\nSQL SELECT a, b FROM dbo.Orders;\nDROP TABLE X;");
    assert_eq!(kinds(&script), [StatementKind::Load, StatementKind::Drop]);
    let chain = &script.statements[0];
    assert_eq!(chain.label.as_deref(), Some("T"));
    assert_eq!((chain.span.line, chain.span.end_line), (1, 3));
    assert_eq!(chain.sources[0].role, SourceRole::SqlTable);
    assert_eq!(chain.sources[0].path, "dbo.Orders");
    let LoadSource::Preceding { input } = &load(chain).source else {
        panic!("expected a preceding load");
    };
    let Node::Load(middle) = input.as_ref() else {
        panic!("expected the middle LOAD");
    };
    let LoadSource::Preceding { input } = &middle.source else {
        panic!("expected the middle LOAD to be fed too");
    };
    assert!(matches!(input.as_ref(), Node::Select(_)));

    let split = parse("IF x THEN\n[T]: LOAD *, now(1) AS X;\nENDIF\nSQL SELECT * FROM t;");
    use StatementKind::*;
    assert_eq!(kinds(&split), [If, Load, EndIf, Select]);
    assert_eq!(load(&split.statements[1]).source, LoadSource::None);
}

#[test]
fn sql_bodies_are_lexed_by_qlik_rules() {
    let script = parse(
        "SELECT [col] FROM t WHERE x = '$(v)';\nSQL SELECT a FROM t -- don't;\nDROP TABLE T;",
    );
    assert_eq!(
        kinds(&script),
        [StatementKind::Select, StatementKind::Select]
    );
    match &script.statements[0].node {
        Node::Select(select) => {
            assert!(!select.sql_keyword);
            assert_eq!(select.tables, ["t"]);
        }
        other => panic!("expected SELECT, got {other:?}"),
    }
    let error = script
        .diagnostics
        .iter()
        .find(|d| d.severity == DiagnosticSeverity::Error)
        .expect("the apostrophe in the SQL comment opens a string that is never closed");
    assert_eq!(error.span.line, 2);
}

#[test]
fn inline_data_is_one_token() {
    let script =
        parse("LOAD * INLINE [\na;b, c // d\n'x\n] (txt, delimiter is '|');\nDROP TABLE T;");
    assert_eq!(kinds(&script), [StatementKind::Load, StatementKind::Drop]);
    match &load(&script.statements[0]).source {
        LoadSource::Inline {
            data,
            format,
            data_span,
        } => {
            assert_eq!(data, "\na;b, c // d\n'x\n");
            assert_eq!(format.len(), 2);
            assert_eq!((data_span.start, data_span.end), (15, 31));
            assert_eq!((data_span.line, data_span.column), (1, 16));
        }
        other => panic!("expected INLINE, got {other:?}"),
    }
}

#[test]
fn keywords_as_names() {
    let script = parse(
        "LOAD Date, Year, Month, Order, From, To, Rem, Load RESIDENT T;\nIF If(a, 1, 0) THEN\nEND IF",
    );
    use StatementKind::*;
    assert_eq!(kinds(&script), [Load, If, EndIf]);
    assert_eq!(load(&script.statements[0]).fields.len(), 8);
    assert_eq!(function_names(&script.statements[1]), ["If"]);
}

#[test]
fn names_with_special_characters() {
    let script = parse(
        "LOAD vL.Name, %Key, Date#(d, 'YYYY') AS D#, $Field, Имя AS Поле RESIDENT [Таблица 1];",
    );
    let statement = &script.statements[0];
    assert_eq!(statement.kind, StatementKind::Load);
    assert_eq!(function_names(statement), ["Date#"]);
    let fields = &load(statement).fields;
    assert_eq!(
        fields[0].expr,
        Expr::Name {
            name: "vL.Name".into()
        }
    );
    assert_eq!(fields[4].alias.as_deref(), Some("Поле"));
    assert_eq!(statement.sources[0].path, "Таблица 1");
}

#[test]
fn positional_fields() {
    let script = parse("LOAD @1, @1:5T, @31:n FROM x.txt (fix, codepage is 1252);");
    let fields = &load(&script.statements[0]).fields;
    let texts: Vec<_> = fields.iter().map(|f| f.expr.clone()).collect();
    assert_eq!(
        texts,
        [
            Expr::Position { text: "@1".into() },
            Expr::Position {
                text: "@1:5T".into()
            },
            Expr::Position {
                text: "@31:n".into()
            },
        ]
    );
}

#[test]
fn unquoted_path_ends_at_format_or_clause() {
    let script = parse(
        "STORE T INTO qvds/MyTable-$(v).qvd (qvd);\nLOAD a FROM data\\where\\x.csv WHERE a > 1;",
    );
    let store = &script.statements[0].sources[0];
    assert_eq!(store.role, SourceRole::StoreInto);
    assert_eq!(store.path, "qvds/MyTable-$(v).qvd");
    let from = &script.statements[1].sources[0];
    assert_eq!(from.path, "data\\where\\x.csv");
    assert_eq!(from.kind, PathKind::Relative);
    assert!(load(&script.statements[1]).where_clause.is_some());
}

#[test]
fn tab_markers() {
    let script = parse(
        "///$tab Main\r\nLET a = 1;\r\n///$autogenerated\r\n///$tab Second Tab\r\nDROP TABLE T;\r\n",
    );
    let tabs: Vec<_> = script
        .tabs
        .iter()
        .map(|t| (t.name.as_str(), t.line))
        .collect();
    assert_eq!(tabs, [("Main", 1), ("Second Tab", 4)]);
    let statement_tabs: Vec<_> = script.statements.iter().map(|s| s.tab).collect();
    assert_eq!(statement_tabs, [Some(0), Some(1)]);
}

#[test]
fn connect_statements() {
    let script = parse(
        "ODBC CONNECT32 TO [MyDsn] (XUserId is abc, XPassword is def);\n\
         LIB CONNECT TO 'Space:Conn';\n\
         CUSTOM CONNECT TO \"Provider=x;\";\n\
         CONNECT TO [Provider=y];\nDISCONNECT;",
    );
    use StatementKind::*;
    assert_eq!(
        kinds(&script),
        [
            OdbcConnect,
            LibConnect,
            CustomConnect,
            OledbConnect,
            Disconnect
        ]
    );
    match &script.statements[0].node {
        Node::Connect(connect) => {
            assert_eq!(connect.kind, ConnectKind::Odbc);
            assert_eq!(connect.bitness, Some(32));
            assert_eq!(connect.options, ["XUserId is abc", "XPassword is def"]);
        }
        other => panic!("expected CONNECT, got {other:?}"),
    }
    assert_eq!(
        script.statements[1].sources[0].kind,
        PathKind::Lib {
            space: Some("Space".into()),
            connection: "Conn".into()
        }
    );
    assert_eq!(script.statements[2].sources[0].kind, PathKind::Other);
}

#[test]
fn binary_statement() {
    let script = parse(
        "Binary [lib://Apps/Sales.qvw];\nBinary [5136e455-1111-2222-3333-444455556666];\nBinary;",
    );
    use StatementKind::*;
    assert_eq!(kinds(&script), [Binary, Binary, Binary]);
    assert_eq!(script.statements[0].sources[0].role, SourceRole::Binary);
    assert!(matches!(
        script.statements[0].sources[0].kind,
        PathKind::Lib { .. }
    ));
    assert_eq!(script.statements[1].sources[0].kind, PathKind::Other);
    assert!(script.statements[2].sources.is_empty());
}

#[test]
fn exit_script_keeps_later_code() {
    let script = parse("EXIT SCRIPT;\nLOAD a RESIDENT T;\nExit Script when a = 1;\nEXIT");
    use StatementKind::*;
    assert_eq!(kinds(&script), [Exit, Load, Exit, Exit]);
    match &script.statements[2].node {
        Node::Exit(exit) => {
            assert_eq!(exit.scope, "script");
            assert!(exit.condition.is_some());
        }
        other => panic!("expected EXIT, got {other:?}"),
    }
}

#[test]
fn subs_and_calls() {
    let script = parse(
        "SUB Qvc.Incremental (a, b)\n  TRACE $(a);\nEND SUB\nCALL Qvc.IncrementalStore;\nCALL x ('a', $(v));\n",
    );
    use StatementKind::*;
    assert_eq!(kinds(&script), [Sub, Trace, EndSub, Call, Call]);
    match &script.statements[0].node {
        Node::Sub(sub) => {
            assert_eq!(sub.name, "Qvc.Incremental");
            assert_eq!(sub.params, ["a", "b"]);
        }
        other => panic!("expected SUB, got {other:?}"),
    }
    match &script.statements[4].node {
        Node::Call(call) => assert_eq!(call.args.len(), 2),
        other => panic!("expected CALL, got {other:?}"),
    }
}

#[test]
fn directory_and_trace_are_raw_text() {
    let script = parse(
        "Directory lib://OneDrive - user@x.com/Data/;\nTRACE It is done\n  across lines\n;\n",
    );
    assert_eq!(
        kinds(&script),
        [StatementKind::Directory, StatementKind::Trace]
    );
    let directory = &script.statements[0].sources[0];
    assert_eq!(directory.path, "lib://OneDrive - user@x.com/Data/");
    assert_eq!(
        directory.kind,
        PathKind::Lib {
            space: None,
            connection: "OneDrive - user@x.com".into()
        }
    );
    assert_eq!(script.statements[1].span.end_line, 4);
}

#[test]
fn cloud_space_paths() {
    let script = parse(
        "LOAD * FROM [lib://Sales:DataFiles/x.qvd] (qvd);\nLOAD * FROM lib://Sales:DataFiles/y.qvd (qvd);",
    );
    for statement in &script.statements {
        assert_eq!(statement.label, None);
        assert_eq!(
            statement.sources[0].kind,
            PathKind::Lib {
                space: Some("Sales".into()),
                connection: "DataFiles".into()
            }
        );
    }
}

#[test]
fn missing_semicolon_crosses_tab() {
    let script = parse("///$tab A\nLOAD a RESIDENT T\n///$tab B\nWHERE a > 1;\n");
    assert_eq!(kinds(&script), [StatementKind::Load]);
    assert_eq!(script.statements[0].tab, Some(0));
    assert_eq!(script.statements[0].span.end_line, 4);
    assert!(
        script
            .diagnostics
            .iter()
            .any(|d| d.message.contains("///$tab"))
    );
}

#[test]
fn line_endings_boms_and_utf16() {
    let script = parse("\u{FEFF}LET a = 1;\r\nLET b = 2;\rLET c = 3;\nLET\u{FEFF} d = 4;");
    assert_eq!(lines(&script), [1, 2, 3, 4]);
    assert_eq!(script.statements[0].span.column, 1);
    let utf16: Vec<u8> = [0xFF, 0xFE]
        .into_iter()
        .chain(
            "DROP TABLE Ä;\r\nDROP TABLE B;"
                .encode_utf16()
                .flat_map(u16::to_le_bytes),
        )
        .collect();
    let decoded = decode::decode(&utf16, encoding_rs::WINDOWS_1252);
    assert_eq!(decoded.encoding.name(), "UTF-16LE");
    let from_utf16 = parse(&decoded.text);
    assert_eq!(lines(&from_utf16), [1, 2]);
    assert_eq!(from_utf16.statements[0].span.end_column, 14);
}

#[test]
fn expansion_only_paths_need_tracking() {
    let script = parse(
        "SET vPath = 'C:\\QVD\\';\nLOAD * FROM [$(vPath)x.qvd];\nExecute $(vCmd);\n\
         LET vDyn = Now();\nLOAD * FROM [$(vDyn)y.qvd];\n\
         FOR EACH f IN FileList('$(vPath)*.qvd')\nNEXT f\n",
    );
    let static_path = &script.statements[1].sources[0];
    assert_eq!(static_path.resolved.as_deref(), Some("C:\\QVD\\x.qvd"));
    assert_eq!(static_path.kind, PathKind::Drive);
    let execute = &script.statements[2].sources[0];
    assert_eq!(execute.role, SourceRole::Execute);
    assert_eq!(execute.kind, PathKind::Dynamic);
    let dynamic = &script.statements[4].sources[0];
    assert_eq!(dynamic.resolved, None);
    assert_eq!(dynamic.kind, PathKind::Dynamic);
    let for_each = &script.statements[5];
    assert_eq!(for_each.sources[0].role, SourceRole::FileList);
    assert_eq!(for_each.sources[0].kind, PathKind::Drive);
    assert!(matches!(
        &for_each.node,
        Node::ForEach(f) if matches!(f.values, ForEachValues::FileList { .. })
    ));
    assert!(load(&script.statements[1]).prefixes.is_empty());
}

#[test]
fn assignment_value_span() {
    let text = "SET vRoot = '\\\\fs01\\QVD';\nLET vDay = Today();\nSET vEmpty;";
    let script = parse(text);
    let set = assignment(&script.statements[0]);
    let span = set.value_span.expect("SET has a value");
    assert_eq!(
        &text[span.start as usize..span.end as usize],
        "'\\\\fs01\\QVD'"
    );
    assert_eq!((span.line, span.column), (1, 13));
    let let_value = assignment(&script.statements[1])
        .value_span
        .expect("LET has a value");
    assert_eq!(
        &text[let_value.start as usize..let_value.end as usize],
        "Today()"
    );
    assert_eq!(assignment(&script.statements[2]).value_span, None);
}
