//! The built-in connector plugins together decide every connection type of the corpus of real
//! Qlik files, and every connection and data source of an estate gets an entry in the matrix.

mod common;

use std::collections::{BTreeMap, BTreeSet};

use qready::assess::DataSourceAssessment;
use qready::classify::classify_estate;
use qready::ingest::{IngestOptions, read_estate};
use qready::runtime::{Limits, PackKind, PackRequest, Runtime, builtin_connectors};

use common::{cache_dir, corpus, workspace};

/// Connection types of the corpus that no plugin decides, each with the reason.
const NOT_CONNECTORS: &[(&str, &str)] = &[(
    "testconnector",
    "a made-up type in the test project of a command-line tool, not a Qlik connector",
)];

fn matrix(paths: &[std::path::PathBuf]) -> (qready::model::Estate, Vec<DataSourceAssessment>) {
    let estate = read_estate(paths, &IngestOptions::default());
    let runtime = Runtime::new(Limits::default(), Some(&cache_dir())).unwrap();
    let requests: Vec<PackRequest> = builtin_connectors()
        .into_iter()
        .map(|source| PackRequest {
            kind: PackKind::Connector,
            ..PackRequest::plain(source)
        })
        .collect();
    assert_eq!(requests.len(), 4, "four built-in connector plugins");
    let mut diagnostics = Vec::new();
    let matrix = classify_estate(&runtime, &requests, &estate, &mut diagnostics);
    assert!(diagnostics.is_empty(), "{diagnostics:?}");
    (estate, matrix)
}

#[test]
fn corpus_connection_types_all_recognised() {
    let (estate, matrix) = matrix(&[corpus()]);
    let mut unrecognised: BTreeMap<String, usize> = BTreeMap::new();
    let mut types = BTreeSet::new();
    for connection in &estate.connections {
        types.insert(connection.connection_type.clone());
        let entry = matrix
            .iter()
            .find(|e| e.id == connection.id)
            .unwrap_or_else(|| panic!("no matrix entry for connection {}", connection.id));
        if entry.cloud_path == "unrecognised" {
            *unrecognised
                .entry(connection.connection_type.clone())
                .or_default() += 1;
        } else {
            assert!(!entry.plugin.is_empty(), "{entry:?}");
            assert!(!entry.reason.is_empty(), "{entry:?}");
        }
    }
    assert!(
        types.len() >= 10,
        "the corpus has {} connection types",
        types.len()
    );
    for (kind, _reason) in NOT_CONNECTORS {
        unrecognised.remove(*kind);
    }
    assert!(
        unrecognised.is_empty(),
        "unrecognised connection types: {unrecognised:?}"
    );
}

#[test]
fn corpus_matrix_lists_every_source() {
    let (estate, matrix) = matrix(&[corpus()]);
    assert_eq!(
        matrix.len(),
        estate.connections.len() + estate.data_sources.len(),
        "one entry per connection and per data source"
    );
    for entry in &matrix {
        assert!(!entry.reason.is_empty(), "{entry:?}");
        let unrecognised = entry.cloud_path == "unrecognised";
        assert_eq!(unrecognised, entry.plugin.is_empty(), "{entry:?}");
    }
    let paths: BTreeSet<&str> = matrix.iter().map(|e| e.cloud_path.as_str()).collect();
    for path in [
        "native-connector",
        "direct-access-gateway",
        "data-files-upload",
        "none",
    ] {
        assert!(paths.contains(path), "no entry takes {path}: {paths:?}");
    }
}

#[test]
fn lib_sources_follow_their_connection() {
    let root = workspace().join("tests/fixtures/estates/core");
    let (_, matrix) = matrix(&[root]);
    let entry = |name: &str| {
        matrix
            .iter()
            .find(|e| e.name == name)
            .unwrap_or_else(|| panic!("no entry named {name}: {matrix:#?}"))
    };
    let warehouse = entry("Warehouse");
    assert_eq!(warehouse.cloud_path, "direct-access-gateway");
    assert_eq!(
        warehouse.connector.as_deref(),
        Some("Microsoft SQL Server (via Direct Access gateway)")
    );
    assert_eq!(entry("Calendar").cloud_path, "none");
    assert_eq!(entry("Qlik GeoAnalytics").cloud_path, "none");
    assert_eq!(entry("Budget Workbook").cloud_path, "data-files-upload");
    assert_eq!(entry("Forecast API").cloud_path, "native-connector");
    let orders = entry("dbo.Orders");
    assert_eq!(orders.cloud_path, "direct-access-gateway");
    assert!(
        orders.reason.starts_with("through connection 'Warehouse'"),
        "{orders:?}"
    );
}

#[test]
fn example_estate_report_has_matrix() {
    let estate = workspace().join("examples/estate");
    let report = common::assess_json(&[&estate], &[]);
    let sources = report["data_sources"].as_array().unwrap();
    let path_of = |name: &str| {
        sources
            .iter()
            .find(|s| s["name"] == name)
            .and_then(|s| s["cloud_path"].as_str())
            .unwrap_or_else(|| panic!("no data source named {name}: {sources:#?}"))
    };
    assert_eq!(
        path_of(r"\\fs-qlik01\QlikData\QVD\Orders.qvd"),
        "data-files-upload"
    );
    assert_eq!(path_of("dbo.GeneralLedger"), "direct-access-gateway");
    assert_eq!(
        path_of("lib://HR:DataFiles/Departments.qvd"),
        "native-connector"
    );
    assert!(
        sources
            .iter()
            .all(|s| !s["reason"].as_str().unwrap().is_empty())
    );
}

#[test]
fn configured_connector_plugin_decides() {
    let target = std::env::var_os("QREADY_PACKS_TARGET_DIR")
        .map(std::path::PathBuf::from)
        .unwrap_or_else(|| workspace().join("target").join("packs"));
    let wasm = target.join("wasm32-wasip2/release/qready_connector_web.wasm");
    let dir = tempfile::tempdir().unwrap();
    std::fs::write(
        dir.path().join("qready.toml"),
        format!(
            "[[pack]]\npath = {:?}\nkind = \"connector\"\n",
            wasm.display().to_string()
        ),
    )
    .unwrap();
    let estate = workspace().join("tests/fixtures/estates/core");
    let output = common::qready_in(
        dir.path(),
        &[
            "assess",
            "--format",
            "json",
            "--no-builtin-packs",
            &estate.display().to_string(),
        ],
    );
    assert!(
        output.status.success(),
        "{}",
        String::from_utf8_lossy(&output.stderr)
    );
    let report: serde_json::Value = serde_json::from_slice(&output.stdout).unwrap();
    assert!(
        report["diagnostics"].as_array().unwrap().is_empty(),
        "{report:#}"
    );
    let sources = report["data_sources"].as_array().unwrap();
    let plugin_of = |name: &str| {
        let entry = sources.iter().find(|s| s["name"] == name).unwrap();
        entry["plugin"].as_str().unwrap().to_owned()
    };
    assert_eq!(plugin_of("Calendar"), "qready-web");
    assert_eq!(plugin_of("Forecast API"), "qready-web");
    // The databases plugin is not loaded, so nothing recognises the SQL Server connection.
    assert_eq!(plugin_of("Warehouse"), "");
    let packs = report["packs"].as_array().unwrap();
    assert!(
        packs.is_empty(),
        "a connector plugin is not a rule pack: {packs:?}"
    );
}
