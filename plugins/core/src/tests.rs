use qready_plugin_sdk::assert_findings;
use qready_plugin_sdk::estate::{AppDetails, IncludeOutcome, IncludeResult};
use qready_plugin_sdk::testing::{TestEstate, app_from_script, check, check_with, set_estate};
use qready_plugin_sdk::{DataConnection, Span};

use super::*;

fn only(code: &str) -> String {
    format!(r#"{{"enabled": ["{code}"]}}"#)
}

#[test]
fn windows_paths_flagged_in_every_role() {
    let app = app_from_script(concat!(
        "SET vRoot = '\\\\srv\\qvd';\n",
        "LOAD * FROM [C:\\Data\\a.qvd] (qvd);\n",
        "STORE T INTO [$(vRoot)\\t.qvd] (qvd);\n",
        "LOAD * FROM data\\b.csv (txt);\n",
        "LOAD * FROM [lib://DataFiles/ok.qvd] (qvd);\n",
    ));
    let findings = check_with::<CorePack>(&app, &only("QC101")).unwrap();
    assert_findings!(findings, [("QC101", 2), ("QC101", 3), ("QC101", 4)]);
}

#[test]
fn connects_and_execute_flagged() {
    let app = app_from_script(
        "ODBC CONNECT TO DW;\nLIB CONNECT TO 'Space:DW';\nEXECUTE cmd.exe /C dir;\n",
    );
    let findings = check_with::<CorePack>(&app, r#"{"enabled": ["QC102", "QC103"]}"#).unwrap();
    assert_findings!(findings, [("QC102", 1), ("QC103", 3)]);
}

#[test]
fn disabled_rule_does_not_run() {
    let app = app_from_script("EXECUTE cmd.exe /C dir;\n");
    let findings = check_with::<CorePack>(&app, &only("QC101")).unwrap();
    assert!(findings.is_empty(), "{findings:?}");
}

#[test]
fn options_rejected_for_rules_without_options() {
    let app = app_from_script("LOAD 1 AS x AUTOGENERATE 1;\n");
    let result = check_with::<CorePack>(&app, r#"{"options": {"QC101": {"x": 1}}}"#);
    assert!(result.is_err());
}

#[test]
fn legacy_mode_summarized_once_at_first_use() {
    let app = app_from_script(concat!(
        "LET vPath = '$(QvWorkPath)';\n",
        "LOAD * FROM [C:\\Data\\a.qvd] (qvd);\n",
        "EXECUTE cmd.exe;\n",
    ));
    let findings = check_with::<CorePack>(&app, &only("QC104")).unwrap();
    assert_findings!(findings, [("QC104", 1)]);
    assert!(
        findings[0].message.contains("1 EXECUTE"),
        "{}",
        findings[0].message
    );
}

#[test]
fn lib_only_script_needs_no_legacy_mode() {
    let app = app_from_script("LOAD * FROM [lib://Data/a.qvd] (qvd);\n");
    assert!(
        check_with::<CorePack>(&app, &only("QC104"))
            .unwrap()
            .is_empty()
    );
}

#[test]
fn null_functions_flagged_with_options() {
    let text = "LET a = '$(QvWorkPath)';\nLET b = DocumentPath();\nLET c = Upper('x');\n";
    let app = app_from_script(text);
    let findings = check_with::<CorePack>(&app, &only("QC105")).unwrap();
    assert_findings!(findings, [("QC105", 1), ("QC105", 2)]);
    let config = r#"{"enabled": ["QC105"], "options": {"QC105": {"allow": ["DocumentPath"], "extra": ["Upper"]}}}"#;
    let findings = check_with::<CorePack>(&app, config).unwrap();
    assert_findings!(findings, [("QC105", 1), ("QC105", 3)]);
}

#[test]
fn binary_after_set_and_second_binary_flagged() {
    let app =
        app_from_script("SET x = 1;\nBINARY [lib://Apps/a.qvw];\nBINARY [lib://Apps/b.qvw];\n");
    let findings = check_with::<CorePack>(&app, &only("QC106")).unwrap();
    assert_findings!(findings, [("QC106", 2), ("QC106", 3)]);
}

#[test]
fn first_binary_after_comment_passes() {
    let app = app_from_script("// model\nREM the model;\nBINARY [lib://Apps/a.qvw];\nSET x = 1;\n");
    assert!(
        check_with::<CorePack>(&app, &only("QC106"))
            .unwrap()
            .is_empty()
    );
}

#[test]
fn binary_of_file_flagged_but_not_app_id() {
    let app = app_from_script("BINARY [lib://Apps/Sales.qvf];\n");
    assert_findings!(
        check_with::<CorePack>(&app, &only("QC107")).unwrap(),
        [("QC107", 1)]
    );
    let app = app_from_script("BINARY [5136e455-2c59-4a5b-9c2d-8a1bd4a1e0f3];\n");
    assert!(
        check_with::<CorePack>(&app, &only("QC107"))
            .unwrap()
            .is_empty()
    );
}

#[test]
fn missing_plain_include_flagged_from_estate() {
    let app = app_from_script("$(Include=lost.qvs);\n$(Must_Include=gone.qvs);\n");
    let script = app.script.clone().unwrap();
    let span = |index: usize| -> Span { script.sources[index].span };
    let mut details = AppDetails::empty(&app.id);
    details.includes = vec![
        IncludeResult {
            span: span(0),
            path: "lost.qvs".into(),
            must: false,
            outcome: IncludeOutcome::NotFound,
        },
        IncludeResult {
            span: span(1),
            path: "gone.qvs".into(),
            must: true,
            outcome: IncludeOutcome::NotFound,
        },
    ];
    let mut estate = TestEstate::default();
    estate.details.insert(app.id.clone(), details);
    set_estate(estate);
    assert_findings!(
        check_with::<CorePack>(&app, &only("QC108")).unwrap(),
        [("QC108", 1)]
    );
}

#[test]
fn include_probes_judged_together() {
    let app = app_from_script(
        "$(Include=..\\..\\Init.qvs);\n$(Include=..\\Init.qvs);\n$(Include=Init.qvs);\n$(Include=a\\Gone.qvs);\n$(Include=b\\Gone.qvs);\n",
    );
    let script = app.script.clone().unwrap();
    let result = |index: usize, outcome: IncludeOutcome| IncludeResult {
        span: script.sources[index].span,
        path: script.sources[index].path.clone(),
        must: false,
        outcome,
    };
    let mut details = AppDetails::empty(&app.id);
    details.includes = vec![
        result(0, IncludeOutcome::NotFound),
        result(1, IncludeOutcome::NotFound),
        result(2, IncludeOutcome::Read),
        result(3, IncludeOutcome::NotFound),
        result(4, IncludeOutcome::NotFound),
    ];
    let mut estate = TestEstate::default();
    estate.details.insert(app.id.clone(), details);
    set_estate(estate);
    let findings = check_with::<CorePack>(&app, &only("QC108")).unwrap();
    assert_findings!(findings, [("QC108", 4)]);
    assert!(
        findings[0].message.contains("1 other paths"),
        "{}",
        findings[0].message
    );
}

#[test]
fn server_side_extension_calls_flagged() {
    let app = app_from_script(
        "S: LOAD * EXTENSION R.ScriptEval('q$x * 2', T{x});\nLOAD Upper(a) AS b INLINE [a\n1];\n",
    );
    assert_findings!(
        check_with::<CorePack>(&app, &only("QC109")).unwrap(),
        [("QC109", 1)]
    );
}

#[test]
fn extension_field_is_not_a_server_side_extension() {
    let app = app_from_script(
        "Employees:\nLOAD Name,\n  Extension,\n  Phone\nFROM [lib://HR/e.qvd] (qvd);\n",
    );
    assert!(
        check_with::<CorePack>(&app, &only("QC109"))
            .unwrap()
            .is_empty()
    );
}

#[test]
fn call_in_expansion_reported_once() {
    let app = app_from_script("LET vDoc = '$(=DocumentPath())';\n");
    assert_findings!(
        check_with::<CorePack>(&app, &only("QC105")).unwrap(),
        [("QC105", 1)]
    );
}

fn with_connection(text: &str, kind: &str, name: &str, string: &str) -> qready_plugin_sdk::App {
    let mut app = app_from_script(text);
    app.connections.push(DataConnection {
        id: "c1".into(),
        name: name.into(),
        connection_type: kind.into(),
        connection_string: string.into(),
    });
    app
}

#[test]
fn geoanalytics_connection_flagged() {
    let app = with_connection(
        "LIB CONNECT TO 'Qlik GeoAnalytics';\nLIB CONNECT TO 'DW';\n",
        "IdevioGeoAnalyticsConnector.exe",
        "Qlik GeoAnalytics",
        "CUSTOM CONNECT TO \"provider=IdevioGeoAnalyticsConnector.exe;host=localhost;\"",
    );
    assert_findings!(
        check_with::<CorePack>(&app, &only("QC110")).unwrap(),
        [("QC110", 1)]
    );
}

#[test]
fn localhost_web_connectors_flagged() {
    let text = concat!(
        "LOAD * FROM [http://localhost:5555/data?connectorID=X&table=Y] (qvx);\n",
        "LOAD * FROM [https://example.org/a.csv] (txt);\n",
        "LOAD * FROM [lib://QWC/x] (qvx);\n",
    );
    let app = with_connection(
        text,
        "internet",
        "QWC",
        "http://localhost:5555/data?connectorID=Z",
    );
    assert_findings!(
        check_with::<CorePack>(&app, &only("QC111")).unwrap(),
        [("QC111", 1), ("QC111", 3)]
    );
}

#[test]
fn environment_functions_flagged() {
    let app = app_from_script("IF ComputerName() = 'QS01' THEN\nLET u = OSUser();\nEND IF\n");
    assert_findings!(
        check_with::<CorePack>(&app, &only("QC112")).unwrap(),
        [("QC112", 1), ("QC112", 2)]
    );
}

#[test]
fn file_based_drivers_flagged_inline_and_named() {
    let text = "ODBC CONNECT32 TO [Budget;DBQ=D:\\Fin\\Budget.xlsm];\nLIB CONNECT TO 'Excel';\nLIB CONNECT TO 'DW';\n";
    let app = with_connection(text, "ODBC", "Excel", "ODBC CONNECT TO [Excel Files;]");
    assert_findings!(
        check_with::<CorePack>(&app, &only("QC113")).unwrap(),
        [("QC113", 1), ("QC113", 2)]
    );
}

#[test]
fn clean_script_has_no_findings() {
    let app = app_from_script(
        "LIB CONNECT TO 'Finance:DW';\nT: SQL SELECT * FROM dbo.Sales;\nSTORE T INTO [lib://Finance:QVD/T.qvd] (qvd);\n",
    );
    set_estate(TestEstate::default());
    assert!(check::<CorePack>(&app).is_empty());
}
