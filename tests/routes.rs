//! End-to-end tests of the routes to Qlik Cloud and the phased plan. Each estate under
//! `tests/fixtures/routes/` contains apps whose right route is known. The tests check the route,
//! the deciding finding codes and the phase of each app, then the example estate's plan.

mod common;

use std::path::PathBuf;

use common::{assess_estate, qready, workspace};
use serde_json::Value;

fn fixture(name: &str) -> PathBuf {
    workspace().join("tests/fixtures/routes").join(name)
}

/// Returns the route entry of the app with this name.
fn route<'a>(report: &'a Value, name: &str) -> &'a Value {
    report["routes"]["apps"]
        .as_array()
        .unwrap()
        .iter()
        .find(|route| route["name"] == name)
        .unwrap_or_else(|| panic!("no route for app {name}: {:#}", report["routes"]))
}

fn codes(route: &Value) -> Vec<String> {
    route["findings"]
        .as_array()
        .unwrap()
        .iter()
        .map(|f| f["rule"].as_str().unwrap().to_owned())
        .collect()
}

fn needs(route: &Value) -> String {
    route["needs"]
        .as_array()
        .unwrap()
        .iter()
        .map(|n| n.as_str().unwrap())
        .collect::<Vec<_>>()
        .join("\n")
}

/// Steps of one phase as `(action, app name)`.
fn steps(report: &Value, phase: u64) -> Vec<(String, String)> {
    report["routes"]["phases"]
        .as_array()
        .unwrap()
        .iter()
        .filter(|p| p["number"] == phase)
        .flat_map(|p| p["steps"].as_array().unwrap())
        .map(|s| {
            (
                s["action"].as_str().unwrap().to_owned(),
                s["name"].as_str().unwrap().to_owned(),
            )
        })
        .collect()
}

fn step(action: &str, name: &str) -> (String, String) {
    (action.to_owned(), name.to_owned())
}

#[test]
fn clean_app_migrates_now() {
    let report = assess_estate(&fixture("migrate-now"), None);
    let budget = route(&report, "Budget");
    assert_eq!(budget["route"], "migrate-now");
    assert_eq!(budget["phase"], 1);
    assert_eq!(budget["reload_phase"], 1);
    assert_eq!(budget["effort_minutes"], 0);
    assert!(codes(budget).is_empty(), "{budget:#}");
    assert!(needs(budget).contains("Import the app"), "{budget:#}");
    assert_eq!(steps(&report, 1), vec![step("move", "Budget")]);
}

#[test]
fn app_side_blocker_needs_remediation() {
    let report = assess_estate(&fixture("remediation"), None);
    let payroll = route(&report, "Payroll");
    assert_eq!(payroll["route"], "migrate-after-remediation");
    let found = codes(payroll);
    assert!(found.contains(&"QC201".to_owned()), "{found:?}");
    assert!(found.contains(&"QC101".to_owned()), "{found:?}");
    let reason = payroll["reason"].as_str().unwrap();
    assert!(
        reason.contains("Blockers in the app itself (QC201)"),
        "{reason}"
    );
    assert!(
        needs(payroll).contains("Fix QC101, QC104, QC201"),
        "{payroll:#}"
    );
    assert_eq!(payroll["phase"], 2);
    assert!(payroll["effort_minutes"].as_u64().unwrap() > 0);
}

#[test]
fn small_reload_fix_needs_remediation() {
    let report = assess_estate(&fixture("remediation"), None);
    let rates = route(&report, "Rates");
    assert_eq!(rates["route"], "migrate-after-remediation");
    assert!(codes(rates).contains(&"QC101".to_owned()), "{rates:#}");
    let reason = rates["reason"].as_str().unwrap();
    assert!(
        reason.contains("under the hybrid threshold of 120 minutes"),
        "{reason}"
    );
    assert!(needs(rates).contains("DataFiles"), "{rates:#}");
}

#[test]
fn warning_only_needs_remediation() {
    let report = assess_estate(&fixture("remediation"), None);
    let timesheets = route(&report, "Timesheets");
    assert_eq!(timesheets["route"], "migrate-after-remediation");
    assert_eq!(codes(timesheets), vec!["QC112"]);
    let reason = timesheets["reason"].as_str().unwrap();
    assert!(
        reason.contains("No blocker; fix these warnings"),
        "{reason}"
    );
    assert!(reason.contains("QC112"), "{reason}");
}

#[test]
fn execute_keeps_reload_on_premises() {
    let report = assess_estate(&fixture("hybrid"), None);
    let logistics = route(&report, "Logistics");
    assert_eq!(logistics["route"], "hybrid");
    assert_eq!(codes(logistics), vec!["QC103", "QC104"]);
    assert_eq!(logistics["phase"], 1);
    assert_eq!(logistics["reload_phase"], 3);
    let reason = logistics["reason"].as_str().unwrap();
    assert!(reason.contains("QC103"), "{reason}");
    assert!(
        reason.contains("hybrid threshold of 120 minutes"),
        "{reason}"
    );
    let needs = needs(logistics);
    assert!(needs.contains("distribution policy"), "{needs}");
    assert!(needs.contains("multi-cloud"), "{needs}");
}

#[test]
fn qlikview_hybrid_uses_publisher() {
    let report = assess_estate(&fixture("hybrid"), None);
    let warehouse = route(&report, "Warehouse");
    assert_eq!(warehouse["route"], "hybrid");
    assert_eq!(warehouse["product"], "qlik-view");
    let needs = needs(warehouse);
    assert!(needs.contains("QlikView Management Console"), "{needs}");
    assert!(needs.contains("Publisher"), "{needs}");
    assert!(!needs.contains("distribution policy"), "{needs}");
}

#[test]
fn gateway_source_makes_hybrid() {
    let report = assess_estate(&fixture("hybrid"), None);
    let ledger = route(&report, "Ledger");
    assert_eq!(ledger["route"], "hybrid");
    let sources = ledger["sources"].as_array().unwrap();
    assert!(!sources.is_empty(), "{ledger:#}");
    let connections = report["routes"]["connections"].as_array().unwrap();
    let ledger_id = ledger["app_id"].as_str().unwrap();
    let step = connections
        .iter()
        .find(|c| c["apps"].as_array().unwrap().iter().any(|a| a == ledger_id))
        .unwrap_or_else(|| panic!("no connection step for Ledger: {connections:#?}"));
    assert_eq!(step["phase"], 3);
}

#[test]
fn consumer_waits_for_hybrid_producer() {
    let report = assess_estate(&fixture("hybrid"), None);
    let dispatch = route(&report, "Dispatch");
    let logistics = route(&report, "Logistics");
    assert_eq!(dispatch["route"], "migrate-now");
    assert_eq!(dispatch["reload_phase"], 3);
    assert_eq!(dispatch["waits_for"][0], logistics["app_id"]);
    let route_reason = dispatch["reason"].as_str().unwrap();
    assert!(
        route_reason.contains("data that Logistics writes"),
        "{route_reason}"
    );
    assert!(route_reason.contains("in phase 3"), "{route_reason}");
    assert!(steps(&report, 3).contains(&step("move", "Dispatch")));
    let phase3 = &report["routes"]["phases"]
        .as_array()
        .unwrap()
        .iter()
        .find(|p| p["number"] == 3)
        .unwrap()["steps"];
    let reason = phase3
        .as_array()
        .unwrap()
        .iter()
        .find(|s| s["name"] == "Dispatch")
        .unwrap()["reason"]
        .as_str()
        .unwrap();
    assert!(reason.contains("waits for Logistics"), "{reason}");
}

#[test]
fn hybrid_threshold_is_configurable() {
    let dir = tempfile::tempdir().unwrap();
    let config = dir.path().join("qready.toml");
    std::fs::write(
        &config,
        "[routes]\nhybrid-min-reload-minutes = 500\nhybrid-cloud-paths = []\n",
    )
    .unwrap();
    let report = assess_estate(&fixture("hybrid"), Some(&config));
    assert_eq!(
        route(&report, "Logistics")["route"],
        "migrate-after-remediation"
    );
    assert_eq!(
        route(&report, "Ledger")["route"],
        "migrate-after-remediation"
    );
}

#[test]
fn ui_features_make_convert() {
    let report = assess_estate(&fixture("convert"), None);
    let scorecard = route(&report, "Scorecard");
    assert_eq!(scorecard["route"], "convert");
    let found = codes(scorecard);
    for code in ["QC302", "QC303", "QC304"] {
        assert!(found.contains(&code.to_owned()), "{code} in {found:?}");
    }
    assert_eq!(scorecard["phase"], 4);
    let needs = needs(scorecard);
    assert!(needs.contains("QV2QS"), "{needs}");
    assert!(needs.contains("no macro engine"), "{needs}");
    assert!(needs.contains("container chart"), "{needs}");
    assert_eq!(steps(&report, 4), vec![step("convert", "Scorecard")]);
}

#[test]
fn plain_qlikview_document_migrates() {
    let report = assess_estate(&fixture("convert"), None);
    let stock = route(&report, "Stock");
    assert_eq!(stock["route"], "migrate-now");
    assert!(needs(stock).contains("QV2QS"), "{stock:#}");
}

#[test]
fn convert_threshold_is_configurable() {
    let dir = tempfile::tempdir().unwrap();
    let config = dir.path().join("qready.toml");
    std::fs::write(&config, "[routes]\nconvert-min-findings = 10\n").unwrap();
    let report = assess_estate(&fixture("convert"), Some(&config));
    assert_ne!(route(&report, "Scorecard")["route"], "convert");
}

#[test]
fn unused_and_duplicate_apps_retire() {
    let report = assess_estate(&fixture("retire"), None);
    let copy = route(&report, "Sales copy");
    assert_eq!(copy["route"], "retire");
    assert!(
        copy["reason"].as_str().unwrap().contains("QC602"),
        "{copy:#}"
    );
    assert!(needs(copy).contains("Point its users to Sales"), "{copy:#}");
    let legacy = route(&report, "Legacy");
    assert_eq!(legacy["route"], "retire");
    assert!(
        legacy["reason"].as_str().unwrap().contains("QC601"),
        "{legacy:#}"
    );
    assert_eq!(route(&report, "Sales")["route"], "migrate-now");
    assert_eq!(route(&report, "Rare")["route"], "migrate-now");
    let retired: Vec<(String, String)> = steps(&report, 1)
        .into_iter()
        .filter(|(action, _)| action == "retire")
        .collect();
    assert_eq!(retired.len(), 2, "{retired:?}");
}

#[test]
fn unused_producer_does_not_retire() {
    let report = assess_estate(&fixture("retire"), None);
    let extract = route(&report, "Extract");
    assert_ne!(extract["route"], "retire");
    assert_eq!(route(&report, "Report")["route"], "migrate-now");
}

#[test]
fn retire_session_threshold_is_configurable() {
    let dir = tempfile::tempdir().unwrap();
    let config = dir.path().join("qready.toml");
    std::fs::write(
        &config,
        "[input]\nusage-window-days = 36500\n[routes]\nretire-max-sessions = 1\n",
    )
    .unwrap();
    let report = assess_estate(&fixture("retire"), Some(&config));
    let rare = route(&report, "Rare");
    assert_eq!(rare["route"], "retire");
    let reason = rare["reason"].as_str().unwrap();
    assert!(
        reason.contains("retire threshold of 1 sessions"),
        "{reason}"
    );
    assert_eq!(route(&report, "Sales")["route"], "migrate-now");
}

#[test]
fn example_estate_plan_reads_as_a_plan() {
    let report = assess_estate(&workspace().join("examples/estate"), None);
    let routes = report["routes"]["apps"].as_array().unwrap();
    assert_eq!(routes.len(), report["apps"].as_array().unwrap().len());
    let mut kinds: Vec<&str> = routes
        .iter()
        .map(|r| r["route"].as_str().unwrap())
        .collect();
    kinds.sort_unstable();
    kinds.dedup();
    assert!(kinds.len() >= 3, "{kinds:?}");
    for route in routes {
        let reason = route["reason"].as_str().unwrap();
        assert!(!reason.is_empty(), "{route:#}");
        assert!(!route["needs"].as_array().unwrap().is_empty(), "{route:#}");
        let decided_by_code = route["findings"]
            .as_array()
            .unwrap()
            .iter()
            .all(|f| reason.contains(f["rule"].as_str().unwrap()));
        let decided_by_source = !route["sources"].as_array().unwrap().is_empty();
        assert!(decided_by_code || decided_by_source, "{route:#}");
    }
    assert_eq!(route(&report, "SalesDashboard")["route"], "convert");
    assert_eq!(route(&report, "InventoryExtract")["route"], "hybrid");
    assert_eq!(route(&report, "HRHeadcount")["route"], "migrate-now");
    assert_eq!(route(&report, "HRHeadcount_old")["route"], "retire");

    let phases = report["routes"]["phases"].as_array().unwrap();
    assert!(phases.len() >= 3, "{phases:#?}");
    let placed: usize = phases
        .iter()
        .flat_map(|p| p["steps"].as_array().unwrap())
        .filter(|s| s["action"] != "move-reload")
        .count();
    assert_eq!(placed, routes.len());
}

#[test]
fn example_estate_routes_in_every_format() {
    let dir = tempfile::tempdir().unwrap();
    let estate = workspace().join("examples/estate");
    let output = qready(&[
        "assess",
        "--format",
        "text",
        "--format",
        "markdown",
        "--format",
        "csv",
        "--format",
        "html",
        "--output-dir",
        dir.path().to_str().unwrap(),
        estate.to_str().unwrap(),
    ]);
    assert!(
        output.status.success(),
        "{}",
        String::from_utf8_lossy(&output.stderr)
    );

    let read = |name: &str| std::fs::read_to_string(dir.path().join(name)).unwrap();
    let text = read("report.txt");
    assert!(text.contains("Routes to Qlik Cloud"), "{text}");
    assert!(
        text.contains("Phase 1: Retire and offload consumption"),
        "{text}"
    );

    let markdown = read("report.md");
    assert!(markdown.contains("## Phased plan"), "{markdown}");
    assert!(
        markdown.contains("| SalesDashboard | QlikView | Convert |"),
        "{markdown}"
    );
    let html = read("report.html");
    assert!(html.contains("id=\"routes\""));
    assert!(html.contains("id=\"phases\""));
    assert!(html.contains("<span class=\"route convert\">"));

    let routes = read("routes.csv");
    assert!(
        routes
            .lines()
            .next()
            .unwrap()
            .contains("route,phase,reload_phase")
    );
    assert!(routes.contains(",convert,"), "{routes}");
    let phases = read("phases.csv");
    assert!(phases.contains(",distribute,"), "{phases}");
    assert!(phases.contains(",set-up,"), "{phases}");
}
