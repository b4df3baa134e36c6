use qready_plugin_sdk::assert_findings;
use qready_plugin_sdk::estate::{
    AppDetails, DocumentChain, ExtensionUse, MacroModule, QlikviewAlert, QlikviewFeatures,
    QlikviewObject, QlikviewTrigger,
};
use qready_plugin_sdk::testing::{TestEstate, app_from_script, check_with, set_estate};
use qready_plugin_sdk::{App, Location};

use super::AppPack;

fn at(line: u32) -> Option<Location> {
    Some(Location {
        file: "x".into(),
        line,
        column: 1,
    })
}

fn with_details(app: &App, edit: impl FnOnce(&mut AppDetails)) {
    let mut details = AppDetails::empty(&app.id);
    edit(&mut details);
    let mut estate = TestEstate::default();
    estate.details.insert(app.id.clone(), details);
    set_estate(estate);
}

fn extension(name: &str, installed: bool, line: u32) -> ExtensionUse {
    ExtensionUse {
        name: name.into(),
        objects: 3,
        sheets: 2,
        installed,
        location: at(line),
    }
}

#[test]
fn extensions_inventoried_with_replacements() {
    let app = app_from_script("LOAD 1 AS x AUTOGENERATE 1;\n");
    with_details(&app, |d| {
        d.extensions = vec![
            extension("vendor-sankey", true, 1),
            extension("vendor-gantt", false, 2),
        ];
    });
    let findings = check_with::<AppPack>(&app, r#"{"enabled": ["QC301"]}"#).unwrap();
    assert_findings!(findings, [("QC301", 1), ("QC301", 2)]);
    assert!(
        findings[0].message.contains("Sankey chart"),
        "{}",
        findings[0].message
    );
    assert!(
        findings[1].message.contains("not installed"),
        "{}",
        findings[1].message
    );
    assert!(
        findings[0].message.contains("3 objects on 2 sheets"),
        "{}",
        findings[0].message
    );
}

#[test]
fn story_items_are_not_extensions() {
    let app = app_from_script("LOAD 1 AS x AUTOGENERATE 1;\n");
    with_details(&app, |d| {
        d.extensions = vec![extension("text", false, 1), extension("snapshot", false, 2)];
    });
    let findings = check_with::<AppPack>(&app, r#"{"enabled": ["QC301"]}"#).unwrap();
    assert_findings!(findings, []);
}

#[test]
fn replacement_map_is_an_option() {
    let app = app_from_script("LOAD 1 AS x AUTOGENERATE 1;\n");
    with_details(&app, |d| {
        d.extensions = vec![extension("vendor-gantt", true, 1)]
    });
    let config = r#"{"enabled": ["QC301"], "options": {"QC301": {"replacements": {"gantt": "a Gantt chart"}}}}"#;
    let findings = check_with::<AppPack>(&app, config).unwrap();
    assert!(
        findings[0].message.contains("a Gantt chart can replace"),
        "{}",
        findings[0].message
    );
}

#[test]
fn qlikview_features_flagged() {
    let app = app_from_script("LOAD 1 AS x AUTOGENERATE 1;\n");
    with_details(&app, |d| {
        d.qlikview = Some(QlikviewFeatures {
            macro_module: Some(MacroModule {
                line_count: 7,
                procedures: vec!["ExportToExcel".into()],
                system_access: Some(true),
                location: at(10),
            }),
            macro_actions: 1,
            triggers: vec![QlikviewTrigger {
                event: "OnOpen".into(),
                actions: vec!["TYPE_MACRO".into()],
                location: at(11),
            }],
            objects: vec![
                QlikviewObject {
                    id: "CT01".into(),
                    object_type: "container".into(),
                    sheet_id: None,
                    location: at(12),
                },
                QlikviewObject {
                    id: "CH01".into(),
                    object_type: "graph".into(),
                    sheet_id: None,
                    location: at(13),
                },
            ],
            alerts: vec![QlikviewAlert {
                id: "AL01".into(),
                location: at(14),
            }],
            document_chains: vec![DocumentChain {
                action: "TYPE_OPEN_DOCUMENT".into(),
                target: "Budget.qvw".into(),
                location: at(15),
            }],
            sheet_count: 1,
        });
    });
    let findings = check_with::<AppPack>(&app, "{}").unwrap();
    assert_findings!(
        findings,
        [
            ("QC302", 10),
            ("QC303", 11),
            ("QC304", 12),
            ("QC305", 14),
            ("QC306", 15)
        ]
    );
    let macro_hit = findings.iter().find(|f| f.code == "QC302").unwrap();
    assert_eq!(
        macro_hit.severity,
        Some(qready_plugin_sdk::Severity::Blocker)
    );
}

#[test]
fn nprinting_found_by_tag_and_connection() {
    let mut app = app_from_script("LOAD 1 AS x AUTOGENERATE 1;\n");
    app.connections.push(qready_plugin_sdk::DataConnection {
        id: "c".into(),
        name: "NPrinting API".into(),
        connection_type: "QvRestConnector.exe".into(),
        connection_string: String::new(),
    });
    with_details(&app, |d| d.tags = vec!["NPrinting".into()]);
    let findings = check_with::<AppPack>(&app, r#"{"enabled": ["QC307"]}"#).unwrap();
    assert_eq!(findings.len(), 1);
    assert!(
        findings[0].message.contains("tag 'NPrinting'"),
        "{}",
        findings[0].message
    );
}

#[test]
fn odag_bindings_flagged_once() {
    let app = app_from_script(
        "// $(od_Region) in a comment\nT: SQL SELECT * FROM s WHERE r IN ($(ods_Region));\nU: SQL SELECT * FROM u WHERE y IN ($(odo_Year));\n",
    );
    with_details(&app, |_| {});
    let findings = check_with::<AppPack>(&app, r#"{"enabled": ["QC308"]}"#).unwrap();
    assert_findings!(findings, [("QC308", 2)]);
}

#[test]
fn plain_sense_app_has_no_findings() {
    let app = app_from_script("LOAD 1 AS x AUTOGENERATE 1;\n");
    with_details(&app, |_| {});
    assert!(check_with::<AppPack>(&app, "{}").unwrap().is_empty());
}
