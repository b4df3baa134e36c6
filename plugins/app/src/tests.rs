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

fn with_distribution(
    app: &App,
    mashups: Vec<qready_plugin_sdk::estate::MashupUse>,
    tasks: Vec<qready_plugin_sdk::estate::PublisherTask>,
) {
    let mut estate = TestEstate::default();
    estate.mashups.insert(app.id.clone(), mashups);
    estate.publisher_tasks.insert(app.id.clone(), tasks);
    set_estate(estate);
}

fn mashup(prefixes: &[&str], line: u32) -> qready_plugin_sdk::estate::MashupUse {
    qready_plugin_sdk::estate::MashupUse {
        name: "Sales Portal".into(),
        apis: vec!["capability-api".into()],
        virtual_proxy_prefixes: prefixes.iter().map(|p| p.to_string()).collect(),
        location: at(line),
    }
}

fn publisher_task(
    reductions: Vec<qready_plugin_sdk::estate::Reduction>,
    enabled: Option<bool>,
    line: u32,
) -> qready_plugin_sdk::estate::PublisherTask {
    qready_plugin_sdk::estate::PublisherTask {
        name: "Budget by region".into(),
        enabled,
        reductions,
        document_name_template: Some("Budget_%Region%".into()),
        distributes_to_cloud: false,
        location: at(line),
    }
}

#[test]
fn mashup_names_its_virtual_proxy() {
    let app = app_from_script("LOAD 1 AS x AUTOGENERATE 1;\n");
    with_distribution(
        &app,
        vec![mashup(&["ticket"], 4), mashup(&[], 9)],
        Vec::new(),
    );
    let findings = check_with::<AppPack>(&app, r#"{"enabled": ["QC309"]}"#).unwrap();
    assert_findings!(findings, [("QC309", 4), ("QC309", 9)]);
    assert!(
        findings[0].message.contains("virtual proxy 'ticket'"),
        "{}",
        findings[0].message
    );
    assert!(
        !findings[1].message.contains("virtual proxy"),
        "{}",
        findings[1].message
    );
}

#[test]
fn app_without_mashup_has_no_finding() {
    let app = app_from_script("LOAD 1 AS x AUTOGENERATE 1;\n");
    with_distribution(&app, Vec::new(), Vec::new());
    let findings = check_with::<AppPack>(&app, r#"{"enabled": ["QC309", "QC310"]}"#).unwrap();
    assert_findings!(findings, []);
}

#[test]
fn loop_and_reduce_is_flagged() {
    use qready_plugin_sdk::estate::Reduction;
    let app = app_from_script("LOAD 1 AS x AUTOGENERATE 1;\n");
    let tasks = vec![
        publisher_task(vec![Reduction::LoopByField("Region".into())], Some(true), 3),
        publisher_task(vec![Reduction::FixedList(4)], None, 20),
    ];
    with_distribution(&app, Vec::new(), tasks);
    let findings = check_with::<AppPack>(&app, r#"{"enabled": ["QC310"]}"#).unwrap();
    assert_findings!(findings, [("QC310", 3), ("QC310", 20)]);
    assert!(
        findings[0]
            .message
            .contains("loop and reduce on field Region"),
        "{}",
        findings[0].message
    );
    assert!(
        findings[0].message.contains("Budget_%Region%"),
        "{}",
        findings[0].message
    );
    assert!(
        findings[1].message.contains("4 fixed reductions"),
        "{}",
        findings[1].message
    );
}

#[test]
fn reload_only_and_disabled_tasks_pass() {
    use qready_plugin_sdk::estate::Reduction;
    let app = app_from_script("LOAD 1 AS x AUTOGENERATE 1;\n");
    let tasks = vec![
        publisher_task(Vec::new(), Some(true), 3),
        publisher_task(
            vec![Reduction::LoopByField("Region".into())],
            Some(false),
            20,
        ),
    ];
    with_distribution(&app, Vec::new(), tasks);
    let findings = check_with::<AppPack>(&app, r#"{"enabled": ["QC310"]}"#).unwrap();
    assert_findings!(findings, []);
}
