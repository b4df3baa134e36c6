//! Reads the fixture site under `tests/fixtures/site` (QRS exports, an unbuild folder, a loose
//! script, a QlikView project, a QVD, engine metadata and lineage, session logs) and checks
//! that the sources are joined into one model.

use std::path::PathBuf;

use chrono::{TimeZone, Utc};
use qready_ingest::{IngestOptions, read_estate};
use qready_model::{
    Access, Estate, InputFormat, LineageEvidence, Product, TaskTrigger, TriggerState,
};

const SALES: &str = "1b7e6f2a-4c3d-4e5f-8a9b-0c1d2e3f4a5b";
const FINANCE: &str = "2c8f7a3b-5d4e-4f60-9b0c-1d2e3f4a5b6c";
const STREAM: &str = "3d906b4c-6e5f-4071-8c1d-2e3f4a5b6c7d";
const SALES_TASK: &str = "4ea17c5d-7f60-4182-9d2e-3f4a5b6c7d8e";
const FINANCE_TASK: &str = "5fb28d6e-8071-4293-ae3f-4a5b6c7d8e9f";

fn site() -> Estate {
    let root = PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("tests/fixtures/site");
    let options = IngestOptions {
        usage_window_days: 30,
        now: Some(Utc.with_ymd_and_hms(2026, 12, 1, 0, 0, 0).unwrap()),
        ..IngestOptions::default()
    };
    read_estate(&[root], &options)
}

#[test]
fn site_has_one_app_per_document() {
    let estate = site();
    let ids: Vec<&str> = estate.apps.iter().map(|a| a.id.as_str()).collect();
    assert_eq!(
        ids,
        vec![SALES, FINANCE, "app:qvw/extract-prj", "app:qvw/report.qvs"]
    );
    assert_eq!(estate.problems.len(), 1, "{:?}", estate.problems);
    assert_eq!(estate.problems[0].line, Some(7));
}

#[test]
fn qrs_record_and_unbuild_join_on_guid() {
    let estate = site();
    let sales = estate.app(SALES).unwrap();
    assert_eq!(sales.name, "Sales");
    assert_eq!(sales.product, Product::QlikSense);
    assert_eq!(sales.stream_id.as_deref(), Some(STREAM));
    assert_eq!(sales.static_byte_size, Some(52_428_800));
    assert_eq!(sales.file_size, Some(104_857_600));
    assert_eq!(sales.tags, vec!["certified"]);
    assert_eq!(sales.custom_properties[0].name, "BusinessUnit");
    assert_eq!(sales.custom_properties[0].value, "Finance");
    assert!(sales.script.is_some());
    assert!(sales.has_section_access);
    assert_eq!(sales.master_items.len(), 3);
    let formats: Vec<InputFormat> = sales.provenance.iter().map(|p| p.format).collect();
    assert!(formats.contains(&InputFormat::QrsJson), "{formats:?}");
    assert!(formats.contains(&InputFormat::Unbuild), "{formats:?}");
    assert!(formats.contains(&InputFormat::AppMetadata), "{formats:?}");
}

#[test]
fn metadata_attaches_to_its_app() {
    let estate = site();
    let metadata = estate.app(SALES).unwrap().metadata.as_ref().unwrap();
    assert_eq!(metadata.peak_reload_memory_bytes, Some(4_294_967_296));
    assert_eq!(metadata.reload_cpu_time_ms, Some(183_000));
    assert_eq!(metadata.has_section_access, Some(true));
    assert_eq!(metadata.tables.len(), 2);
    assert_eq!(metadata.tables[0].rows, Some(1_250_000));
    assert_eq!(
        metadata.fields[1].source_tables,
        vec!["Orders", "Customers"]
    );
}

#[test]
fn objects_merge_from_unbuild_and_qrs() {
    let estate = site();
    let sales = estate.app(SALES).unwrap();
    let ids: Vec<&str> = sales.objects.iter().map(|o| o.id.as_str()).collect();
    assert!(ids.contains(&"sheet-overview"), "{ids:?}");
    assert!(ids.contains(&"sheet-private"), "{ids:?}");
    assert_eq!(ids.iter().filter(|id| **id == "sheet-overview").count(), 1);
    let flow = sales.objects.iter().find(|o| o.id == "chart-flow").unwrap();
    assert!(flow.is_extension);
    assert_eq!(flow.sheet_id.as_deref(), Some("sheet-overview"));
    let bar = sales.objects.iter().find(|o| o.id == "chart-bar").unwrap();
    assert!(!bar.is_extension);
}

#[test]
fn extensions_list_where_they_are_used() {
    let estate = site();
    let names: Vec<&str> = estate.extensions.iter().map(|e| e.name.as_str()).collect();
    assert_eq!(names.len(), 3, "{names:?}");
    let sankey = estate
        .extensions
        .iter()
        .find(|e| e.name == "acme-sankey")
        .unwrap();
    assert!(sankey.installed);
    assert_eq!(sankey.used_by.len(), 1);
    assert_eq!(sankey.used_by[0].app_id, SALES);
    assert_eq!(
        sankey.used_by[0].sheet_id.as_deref(),
        Some("sheet-overview")
    );
    let gantt = estate
        .extensions
        .iter()
        .find(|e| e.name == "vendor-gantt")
        .unwrap();
    assert!(!gantt.installed);
    let unused = estate
        .extensions
        .iter()
        .find(|e| e.name == "unused-theme")
        .unwrap();
    assert!(unused.used_by.is_empty());
}

#[test]
fn tasks_triggers_and_chains_are_joined() {
    let estate = site();
    assert_eq!(estate.reload_tasks.len(), 2);
    let sales_task = estate
        .reload_tasks
        .iter()
        .find(|t| t.id == SALES_TASK)
        .unwrap();
    assert_eq!(sales_task.last_execution.as_ref().unwrap().status, Some(7));
    assert_eq!(
        sales_task.last_execution.as_ref().unwrap().duration_ms,
        Some(3_540_000)
    );
    let TaskTrigger::Schedule {
        increment_option, ..
    } = &sales_task.triggers[0]
    else {
        panic!("expected a schedule: {:?}", sales_task.triggers);
    };
    assert_eq!(*increment_option, Some(2));
    let finance_task = estate
        .reload_tasks
        .iter()
        .find(|t| t.id == FINANCE_TASK)
        .unwrap();
    let TaskTrigger::TaskEvent {
        time_constraint_minutes,
        rules,
        ..
    } = &finance_task.triggers[0]
    else {
        panic!("expected a task event: {:?}", finance_task.triggers);
    };
    assert_eq!(*time_constraint_minutes, Some(360));
    assert_eq!(rules[0].upstream_task_id, SALES_TASK);
    assert_eq!(estate.task_chains.len(), 1);
    assert_eq!(estate.task_chains[0].upstream_task_id, SALES_TASK);
    assert_eq!(estate.task_chains[0].downstream_task_id, FINANCE_TASK);
    assert_eq!(estate.task_chains[0].on, TriggerState::Success);
    assert_eq!(estate.app(SALES).unwrap().reload_task_ids, vec![SALES_TASK]);
    assert_eq!(
        estate.app(FINANCE).unwrap().reload_task_ids,
        vec![FINANCE_TASK]
    );
}

#[test]
fn loose_script_joins_qrs_app_by_name() {
    let estate = site();
    let finance = estate.app(FINANCE).unwrap();
    assert!(finance.script.is_some());
    let formats: Vec<InputFormat> = finance.provenance.iter().map(|p| p.format).collect();
    assert!(formats.contains(&InputFormat::Script), "{formats:?}");
    assert!(formats.contains(&InputFormat::AppLineage), "{formats:?}");
}

#[test]
fn connections_merge_by_name_into_repository_records() {
    let estate = site();
    assert_eq!(estate.connections.len(), 2, "{:?}", estate.connections);
    let sales = estate.app(SALES).unwrap();
    let mut names: Vec<&str> = sales.connections.iter().map(|c| c.name.as_str()).collect();
    names.sort();
    assert_eq!(names, vec!["DataFiles", "ERP"]);
    let erp = estate
        .connection("a1000000-0000-4000-8000-000000000002")
        .unwrap();
    assert!(erp.has_username);
    let files = estate
        .connection("a1000000-0000-4000-8000-000000000001")
        .unwrap();
    assert_eq!(files.provenance.len(), 2, "{:?}", files.provenance);
}

#[test]
fn qvd_lineage_links_writer_and_reader() {
    let estate = site();
    let edges: Vec<(&str, &str, LineageEvidence)> = estate
        .lineage
        .iter()
        .map(|e| {
            (
                e.writer_app_id.as_str(),
                e.reader_app_id.as_str(),
                e.evidence,
            )
        })
        .collect();
    assert!(
        edges.contains(&(SALES, FINANCE, LineageEvidence::Script)),
        "{edges:?}"
    );
    assert!(
        edges.contains(&(
            "app:qvw/extract-prj",
            "app:qvw/report.qvs",
            LineageEvidence::Script
        )),
        "{edges:?}"
    );
    assert_eq!(edges.len(), 2, "{edges:?}");
    let qvd = &estate.qvds[0];
    assert_eq!(qvd.table_name, "Orders");
    assert_eq!(qvd.record_count, Some(1250));
    assert_eq!(qvd.creator_app_id.as_deref(), Some("app:qvw/extract-prj"));
    let orders = estate
        .data_sources
        .iter()
        .find(|s| s.location.ends_with("Orders.qvd"))
        .unwrap();
    assert_eq!(orders.qvd_id.as_deref(), Some(qvd.id.as_str()));
    assert_eq!(orders.written_by, vec!["app:qvw/extract-prj"]);
    assert_eq!(orders.read_by, vec!["app:qvw/report.qvs"]);
}

#[test]
fn data_source_uses_keep_statement_positions() {
    let estate = site();
    let sales = estate.app(SALES).unwrap();
    let store = sales
        .data_sources
        .iter()
        .find(|u| u.access == Access::Write)
        .unwrap();
    assert_eq!(store.source_id, "source:lib://datafiles/sales.qvd");
    assert_eq!(store.provenance.line, Some(6));
    assert!(store.provenance.path.ends_with("script.qvs"));
}

#[test]
fn usage_counts_sessions_in_window() {
    let estate = site();
    let sales = estate.app(SALES).unwrap().usage.as_ref().unwrap();
    assert_eq!(sales.sessions, 3);
    assert_eq!(sales.distinct_users, 2);
    assert_eq!(sales.window_days, 30);
    assert_eq!(
        sales.last_session.as_deref(),
        Some("2026-11-22T11:00:00+00:00")
    );
    let finance = estate.app(FINANCE).unwrap().usage.as_ref().unwrap();
    assert_eq!(finance.sessions, 1);
    // Two sessions from the session log, and two user-days from the audit log.
    let report = estate
        .app("app:qvw/report.qvs")
        .unwrap()
        .usage
        .as_ref()
        .unwrap();
    assert_eq!(report.sessions, 4);
    assert_eq!(report.distinct_users, 2);
    assert_eq!(report.provenance.len(), 2);
    assert!(estate.app("app:qvw/extract-prj").unwrap().usage.is_none());
}

#[test]
fn qlikview_project_features_are_read() {
    let estate = site();
    let extract = estate.app("app:qvw/extract-prj").unwrap();
    assert_eq!(extract.product, Product::QlikView);
    let document = extract.qlikview.as_ref().unwrap();
    let module = document.macro_module.as_ref().unwrap();
    assert_eq!(module.procedures, vec!["ExportToExcel", "Today"]);
    assert_eq!(module.system_access, Some(true));
    let events: Vec<&str> = document.triggers.iter().map(|t| t.event.as_str()).collect();
    assert_eq!(events, vec!["OnOpen", "OnPostReload"]);
    assert_eq!(document.triggers[0].actions, vec!["TYPE_MACRO"]);
    assert_eq!(document.macro_actions, 1);
    assert_eq!(document.alerts.len(), 1);
    assert_eq!(document.alerts[0].id, "AL01");
    assert_eq!(document.sheet_count, 1);
    let container = document.objects.iter().find(|o| o.id == "CT01").unwrap();
    assert_eq!(container.object_type, "container");
    assert_eq!(container.sheet_id.as_deref(), Some("SH01"));
    assert_eq!(document.document_chains.len(), 1);
    assert!(document.document_chains[0].target.contains("Report.qvw"));
}

#[test]
fn site_entities_are_read() {
    let estate = site();
    assert_eq!(estate.streams.len(), 2);
    let sales_stream = estate.streams.iter().find(|s| s.id == STREAM).unwrap();
    assert_eq!(sales_stream.app_ids, vec![SALES]);
    assert_eq!(estate.users.len(), 3);
    let inactive = estate.users.iter().find(|u| u.user_id == "asmith").unwrap();
    assert_eq!(inactive.inactive, Some(true));
    assert_eq!(estate.custom_properties.len(), 1);
    assert_eq!(
        estate.custom_properties[0].object_types,
        vec!["App", "Stream"]
    );
    assert_eq!(estate.security_rules.len(), 1);
    assert_eq!(
        estate.security_rules[0].context.as_deref(),
        Some("QlikSenseOnly")
    );
    assert_eq!(
        estate.security_rules[0].resource_filter.as_deref(),
        Some("Stream_*")
    );
}

#[test]
fn json_output_names_every_section() {
    let json = site().to_json_pretty();
    for key in [
        "\"apps\"",
        "\"streams\"",
        "\"connections\"",
        "\"data_sources\"",
        "\"extensions\"",
        "\"reload_tasks\"",
        "\"task_chains\"",
        "\"lineage\"",
        "\"usage\"",
    ] {
        assert!(json.contains(key), "{key} missing");
    }
}
