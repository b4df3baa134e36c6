//! Each reader on real public files of the corpus folder beside the repository.
//! The expected values were read from the files themselves.

use std::path::{Path, PathBuf};

use qready_ingest::{IngestOptions, read_estate};
use qready_model::{Estate, InputFormat, Product};

fn corpus() -> PathBuf {
    let path = std::env::var_os("QREADY_CORPUS").map_or_else(
        || PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("../../../shared/corpus"),
        PathBuf::from,
    );
    assert!(
        path.is_dir(),
        "the corpus is missing at {}; the tests read real files from it",
        path.display()
    );
    path
}

fn read(relative: &str) -> Estate {
    read_estate(&[corpus().join(relative)], &IngestOptions::default())
}

#[test]
fn qrs_dataconnections_are_all_read() {
    let estate = read("MMenendezCP__FUL2-GT-Publication/reload_tasks/dataconnections.json");
    assert_eq!(estate.connections.len(), 2170);
    assert!(estate.problems.is_empty(), "{:?}", estate.problems);
    let attached = estate
        .connection("47a1cfd8-f70e-4a98-a00d-00fca6c8e253")
        .unwrap();
    assert_eq!(attached.name, "AttachedFiles");
    assert_eq!(attached.connection_type, "folder");
    let logs = estate
        .connection("a6261e01-302f-4e3f-8fb9-cb6a447c591a")
        .unwrap();
    assert_eq!(logs.connection_type, "QvOdbcConnectorPackage.exe");
    assert!(logs.has_username);
}

#[test]
fn qrs_reload_task_sample_is_read() {
    let estate = read("ChristofSchwarz__QlikScripts/json/qrs.json");
    assert_eq!(estate.reload_tasks.len(), 1);
    let task = &estate.reload_tasks[0];
    assert_eq!(task.name, "Partial Reload");
    assert_eq!(
        task.app_id.as_deref(),
        Some("39334b5c-330f-485a-8d22-6e9679a85899")
    );
    let execution = task.last_execution.as_ref().unwrap();
    assert_eq!(execution.status, Some(7));
    assert_eq!(execution.duration_ms, Some(21787));
    assert_eq!(task.tags, vec!["partial"]);
}

#[test]
fn qrs_system_rules_are_read() {
    let estate = read("eapowertools-archive__qmcu-rule-manager/ruleManager/output/rules.json");
    assert_eq!(estate.security_rules.len(), 3);
    let rule = estate
        .security_rules
        .iter()
        .find(|r| r.name == "_gss - DataConnection Create")
        .unwrap();
    assert_eq!(rule.category.as_deref(), Some("Security"));
    assert_eq!(rule.resource_filter.as_deref(), Some("DataConnection_*"));
    assert_eq!(rule.actions, Some(15));
    assert_eq!(rule.context.as_deref(), Some("BothQlikSenseAndQMC"));
}

#[test]
fn gitoqlok_tabs_form_one_app() {
    let estate = read("MMenendezCP__FUL2-GT-Publication");
    assert_eq!(estate.apps.len(), 1);
    let app = &estate.apps[0];
    assert_eq!(app.name, "[FUL2] GT - Publication(2)");
    let info = app.script_info.as_ref().unwrap();
    assert_eq!(info.files.len(), 10);
    assert!(info.files[0].path.ends_with("Main.qvs"));
    assert!(info.files[9].path.ends_with("Exit.qvs"));
    assert_eq!(info.tab_count, 10);
    assert_eq!(estate.connections.len(), 2170);
}

#[test]
fn gitoqlok_tab_order_with_old_separator() {
    let estate = read("giohb777__qlik_repository_for_manufacturing12-ksa");
    assert_eq!(estate.apps.len(), 1);
    let info = estate.apps[0].script_info.as_ref().unwrap();
    assert_eq!(info.files.len(), 16);
    assert!(info.files[0].path.ends_with("Security.qvs"));
    assert!(estate.problems.is_empty(), "{:?}", estate.problems);
}

#[test]
fn gitoqlok_cyrillic_tabs_are_read() {
    let estate = read("Dis0410__technodom-hr-etl-stage1-qdt_extract_1c_zup_fact");
    assert_eq!(estate.apps.len(), 1);
    assert_eq!(estate.apps[0].script_info.as_ref().unwrap().files.len(), 32);
    // The reload_tasks JSON is a Qlik Cloud data-connections export.
    assert_eq!(estate.connections.len(), 1);
    assert_eq!(
        estate.connections[0].name,
        "Amazon_S3_Analytics_Datanomix_HR"
    );
}

#[test]
fn gitoqlok_task_gives_app_guid() {
    let estate = read("A2Cby__Belaz_01_Analiz_raboty_parka_tehniki");
    assert_eq!(estate.apps.len(), 1);
    let app = &estate.apps[0];
    assert_eq!(app.id, "049bcbac-2b80-462e-9559-423dce87f6eb");
    assert_eq!(
        app.reload_task_ids,
        vec!["0177e62f-4574-4c89-8cac-8d77bf43e307"]
    );
    assert_eq!(estate.reload_tasks[0].is_manually_triggered, Some(true));
}

#[test]
fn qlik_cli_unbuild_is_read() {
    let estate = read("goldbergjeffrey__consumer-sales-unbuild");
    assert_eq!(estate.apps.len(), 1);
    let app = &estate.apps[0];
    assert_eq!(app.name, "Consumer+Sales");
    assert_eq!(app.id, "2d19b6b5-3a8c-4dfa-8d4d-712ad5c2788e");
    assert_eq!(
        app.last_reload_time.as_deref(),
        Some("2020-07-06T17:15:04.468Z")
    );
    // connections.yml is not valid YAML (an unquoted OAuth blob), yet all 15 entries are read.
    assert_eq!(app.connections.len(), 15);
    assert!(estate.problems.is_empty(), "{:?}", estate.problems);
    let variables = app
        .master_items
        .iter()
        .filter(|m| m.kind == qready_model::MasterItemKind::Variable)
        .count();
    assert_eq!(variables, 1);
    let sheets = app
        .objects
        .iter()
        .filter(|o| o.object_type == "sheet")
        .count();
    assert_eq!(sheets, 8);
}

#[test]
fn oauth_blob_is_masked() {
    let estate = read("goldbergjeffrey__consumer-sales-unbuild");
    let json = estate.to_json_pretty();
    assert!(!json.contains("screenName"), "the OAuth blob leaked");
    assert!(!json.contains("20 Aug 2020"), "the OAuth blob leaked");
    let onedrive = estate
        .connections
        .iter()
        .find(|c| c.name.starts_with("OneDrive"))
        .unwrap();
    assert!(onedrive.had_credentials);
    // The connection name contains the account's address, but the string must not.
    assert!(!onedrive.connection_string.contains("user@example.com"));
    assert!(
        onedrive
            .connection_string
            .contains("sourceType=File_OneDriveConnectorV2")
    );
}

#[test]
fn split_and_whole_app_exports_join() {
    let estate = read("ccammers__QlikDocTest1");
    assert_eq!(
        estate.apps.len(),
        1,
        "{:?}",
        estate.apps.iter().map(|a| &a.id).collect::<Vec<_>>()
    );
    let app = &estate.apps[0];
    assert_eq!(app.id, "b78efad3-e5d1-4b57-9b46-9f07916365f7");
    assert_eq!(app.name, "Operations Monitor");
    assert_eq!(app.published, Some(true));
    assert!(app.script.is_some());
}

#[test]
fn qlikview_project_is_read() {
    let estate = read(
        "cardozogp__TestGitQlikview/QDF/0.Administration/1.Application/1.QlikViewSystemMonitor/QVSystemMonitor_v4_1-prj",
    );
    assert_eq!(estate.apps.len(), 1);
    let app = &estate.apps[0];
    assert_eq!(app.name, "QVSystemMonitor_v4_1");
    assert_eq!(app.product, Product::QlikView);
    assert_eq!(app.script_info.as_ref().unwrap().files[0].line_count, 4338);
    let document = app.qlikview.as_ref().unwrap();
    let module = document.macro_module.as_ref().unwrap();
    assert!(
        module.procedures.contains(&"Zoom".to_owned()),
        "{:?}",
        module.procedures
    );
    assert!(module.procedures.contains(&"ShowTabrow".to_owned()));
    assert_eq!(document.alerts.len(), 1);
    assert_eq!(document.alerts[0].id, "AL01");
    assert!(document.objects.iter().any(|o| o.id == "BU1464"));
}

#[test]
fn qvd_headers_are_read() {
    let estate = read("mountaindude__qvd4js/__tests__/data");
    let small = estate
        .qvds
        .iter()
        .find(|q| q.path.ends_with("small.qvd"))
        .unwrap();
    assert_eq!(small.table_name, "Products");
    assert_eq!(small.record_count, Some(606));
    assert_eq!(small.fields.len(), 8);
    assert_eq!(small.fields[0].name, "ProductKey");
    assert_eq!(small.fields[0].distinct_values, Some(606));
    assert_eq!(small.build_number, Some(50504));
    assert_eq!(
        small.creator_doc.as_deref(),
        Some("6e0f94c1-3d62-413e-b441-2dcc03d95f4c")
    );
    assert_eq!(small.lineage.len(), 4);
    let empty = estate
        .qvds
        .iter()
        .find(|q| q.path.ends_with("empty_qvd.qvd"))
        .unwrap();
    assert_eq!(empty.record_count, Some(0));
    assert_eq!(empty.fields.len(), 3);
    let damaged = estate
        .problems
        .iter()
        .find(|p| p.path.ends_with("damaged.qvd"))
        .unwrap();
    assert!(damaged.line.is_some(), "{damaged:?}");
}

#[test]
fn qvd_edge_cases_become_problems() {
    let estate = read("PacktPublishing__Qlik-Sense-Cookbook-Second-Edition/Chapter03/QVD");
    assert!(estate.qvds.is_empty());
    assert_eq!(estate.problems.len(), 2);
    assert!(estate.problems[0].message.contains("no XML header"));

    let estate = read("DanB1999__Qlik_Scripting/Test.qvd");
    assert_eq!(estate.problems.len(), 1);
    assert!(estate.problems[0].message.contains("load script text"));
}

#[test]
fn old_qvd_formats_are_read() {
    let estate = read("korolmi__qvdfile/qvdfile/data/tab1.qvd");
    let qvd = &estate.qvds[0];
    assert_eq!(qvd.table_name, "tab1");
    assert_eq!(qvd.build_number, Some(7314));
    assert_eq!(qvd.record_count, Some(5));
    assert_eq!(qvd.fields.len(), 3);
    // The QlikView 9-era header has an empty CreatorDoc.
    assert_eq!(qvd.creator_doc, None);

    let estate = read(
        "PacktPublishing__QlikView-Advanced-Data-Visualization/Module 01/Chapter_1/OrderLineBigger.qvd.header",
    );
    assert_eq!(estate.qvds[0].record_count, Some(252543));
}

#[test]
fn large_qvd_reads_only_the_header() {
    let path = corpus().join("countnazgul__qlik-time-qvds/Range_1s.qvd");
    let started = std::time::Instant::now();
    let estate = read_estate(&[path], &IngestOptions::default());
    assert_eq!(estate.qvds[0].record_count, Some(86401));
    assert!(started.elapsed().as_secs() < 5);
}

#[test]
fn utf16_engine_json_is_read() {
    let estate =
        read("Slavioo__QlikSense/QSTableMetadata/Output/TestApp/TestSheet/qDimensions.json");
    assert!(estate.problems.is_empty(), "{:?}", estate.problems);
}

#[test]
fn missing_must_include_is_a_problem_with_position() {
    let estate = read("inqlik__inqlik_cli/test/files/file_with_not_existent_must_include.qvs");
    assert_eq!(estate.apps.len(), 1);
    assert_eq!(estate.problems.len(), 1);
    assert_eq!(estate.problems[0].line, Some(2));
    assert_eq!(estate.problems[0].column, Some(16));
}

/// Builds a folder of symlinks to corpus folders: a gitoqlok export with the site's 2,170 QRS
/// connections, a qlik-cli unbuild, a QlikView project and a folder of scripts and QVDs.
fn combined_estate() -> (tempfile::TempDir, Estate) {
    let corpus = corpus();
    let dir = tempfile::tempdir().unwrap();
    let links: [(&str, &str); 4] = [
        ("MMenendezCP__FUL2-GT-Publication", "gitoqlok"),
        ("goldbergjeffrey__consumer-sales-unbuild", "unbuild"),
        (
            "cardozogp__TestGitQlikview/QDF/0.Administration/1.Application/1.QlikViewSystemMonitor/QVSystemMonitor_v4_1-prj",
            "QVSystemMonitor_v4_1-prj",
        ),
        ("RobWunderlich__Qlikview-Components", "components"),
    ];
    for (target, name) in links {
        std::os::unix::fs::symlink(corpus.join(target), dir.path().join(name)).unwrap();
    }
    let estate = read_estate(&[dir.path().to_path_buf()], &IngestOptions::default());
    (dir, estate)
}

#[test]
fn combined_estate_is_one_joined_model() {
    let (_dir, estate) = combined_estate();
    // 1 gitoqlok app, 1 unbuild app, 1 QlikView project, 11 scripts of the components library.
    assert_eq!(estate.apps.len(), 14);
    let scripts = estate
        .apps
        .iter()
        .filter(|a| a.provenance.iter().any(|p| p.format == InputFormat::Script))
        .count();
    assert_eq!(scripts, 11);
    // 2,170 QRS connections plus the unbuild's 15 entries, of which the 6 named DataPrepAppCache
    // join the one QRS connection of that name.
    assert_eq!(estate.connections.len(), 2179);
    assert_eq!(estate.qvds.len(), 9);
    assert!(estate.problems.is_empty(), "{:?}", estate.problems);

    // Every data source is used by an app, and every use names a data source.
    let used: std::collections::BTreeSet<&str> = estate
        .apps
        .iter()
        .flat_map(|a| a.data_sources.iter().map(|u| u.source_id.as_str()))
        .collect();
    let listed: std::collections::BTreeSet<&str> =
        estate.data_sources.iter().map(|s| s.id.as_str()).collect();
    assert_eq!(used, listed);
    assert!(estate.data_source("source:lib://sms/tl_po.xlsx").is_some());
}

#[test]
fn combined_estate_json_is_valid() {
    let (_dir, estate) = combined_estate();
    let json = estate.to_json_pretty();
    let value: serde_json::Value = serde_json::from_str(&json).unwrap();
    assert_eq!(value["apps"].as_array().unwrap().len(), 14);
    assert!(Path::new(&corpus()).is_dir());
}

#[test]
fn whole_corpus_reads_without_panic() {
    let estate = read_estate(&[corpus()], &IngestOptions::default());
    // The manifest lists 49 QVD files: 4 of them are not readable QVDs (script text, two binary
    // files without a header, one damaged header).
    assert_eq!(estate.qvds.len(), 45);
    assert!(estate.apps.len() > 200, "{}", estate.apps.len());
    for problem in &estate.problems {
        assert!(problem.path.starts_with(corpus()), "{problem:?}");
    }
    for edge in &estate.lineage {
        assert!(!edge.source_id.contains("$("), "{edge:?}");
        assert_ne!(edge.writer_app_id, edge.reader_app_id);
    }
    let ids: std::collections::BTreeSet<&str> = estate.apps.iter().map(|a| a.id.as_str()).collect();
    assert_eq!(ids.len(), estate.apps.len(), "app ids are not unique");
}
