use qready_plugin_sdk::assert_findings;
use qready_plugin_sdk::estate::{AppDetails, DataFile, FileAccess, ReloadTask, SimilarApp, Usage};
use qready_plugin_sdk::testing::{TestEstate, app_from_script, check_with, set_estate};
use qready_plugin_sdk::{App, Location, Severity};

use super::SizingPack;

const GIB: u64 = 1 << 30;

fn at(line: u32) -> Option<Location> {
    Some(Location {
        file: "app.json".into(),
        line,
        column: 1,
    })
}

fn app() -> App {
    app_from_script("LOAD 1 AS x AUTOGENERATE 1;\n")
}

fn setup(app: &App, edit: impl FnOnce(&mut AppDetails, &mut TestEstate)) {
    let mut details = AppDetails::empty(&app.id);
    details.sizes.location = at(1);
    let mut estate = TestEstate::default();
    edit(&mut details, &mut estate);
    estate.details.insert(app.id.clone(), details);
    set_estate(estate);
}

fn run(app: &App, config: &str) -> Vec<qready_plugin_sdk::Finding> {
    check_with::<SizingPack>(app, config).unwrap()
}

#[test]
fn app_size_against_target_tier() {
    let app = app();
    setup(&app, |d, _| d.sizes.static_bytes = Some(7 * GIB));
    let findings = run(&app, r#"{"enabled": ["QC501"]}"#);
    assert_findings!(findings, [("QC501", 1)]);
    assert!(
        findings[0].message.contains("fits the premium tier"),
        "{}",
        findings[0].message
    );
    assert_eq!(findings[0].severity, None);
    let premium = r#"{"enabled": ["QC501"], "options": {"QC501": {"target-tier": "premium"}}}"#;
    assert_findings!(run(&app, premium), []);
}

#[test]
fn app_over_every_tier_is_blocker() {
    let app = app();
    setup(&app, |d, _| d.sizes.static_bytes = Some(60 * GIB));
    let findings = run(&app, r#"{"enabled": ["QC501"]}"#);
    assert_eq!(findings[0].severity, Some(Severity::Blocker));
}

#[test]
fn unknown_tier_rejected() {
    let app = app();
    setup(&app, |_, _| {});
    let config = r#"{"options": {"QC501": {"target-tier": "gold"}}}"#;
    assert!(check_with::<SizingPack>(&app, config).is_err());
}

#[test]
fn reload_duration_and_peak_memory() {
    let app = app();
    setup(&app, |d, _| {
        let task = |id: &str, minutes: i64, line: u32| ReloadTask {
            id: id.into(),
            name: id.into(),
            task_type: Some(0),
            enabled: Some(true),
            partial_reload: None,
            schedules: 1,
            upstream: Vec::new(),
            last_duration_ms: Some(minutes * 60_000),
            last_status: Some(7),
            location: at(line),
        };
        d.tasks = vec![
            task("long", 200, 10),
            task("close", 160, 11),
            task("short", 20, 12),
        ];
        d.sizes.peak_reload_bytes = Some(12 * GIB);
    });
    let findings = run(&app, r#"{"enabled": ["QC502", "QC503"]}"#);
    assert_findings!(findings, [("QC502", 10), ("QC502", 11), ("QC503", 1)]);
    let close = findings
        .iter()
        .find(|f| f.location.as_ref().unwrap().line == 11)
        .unwrap();
    assert_eq!(close.severity, Some(Severity::Warning));
}

#[test]
fn large_data_file_flagged() {
    let app = app();
    setup(&app, |d, _| {
        d.data_files = vec![DataFile {
            location: "\\\\nas\\qvd\\big.qvd".into(),
            access: FileAccess::Read,
            size_bytes: Some(150 * GIB),
            local_path: None,
        }];
    });
    assert_findings!(run(&app, r#"{"enabled": ["QC504"]}"#), [("QC504", 1)]);
    let config = r#"{"enabled": ["QC504"], "options": {"QC504": {"max-gib": 200}}}"#;
    assert_findings!(run(&app, config), []);
}

#[test]
fn unused_app_needs_logs_and_window() {
    let app = app();
    setup(&app, |_, estate| estate.usage_window = Some(90));
    assert_findings!(run(&app, r#"{"enabled": ["QC601"]}"#), [("QC601", 1)]);
    setup(&app, |_, estate| estate.usage_window = None);
    assert_findings!(run(&app, r#"{"enabled": ["QC601"]}"#), []);
    setup(&app, |d, estate| {
        estate.usage_window = Some(90);
        d.usage = Some(Usage {
            window_days: 90,
            sessions: 4,
            distinct_users: 2,
            last_session: None,
        });
    });
    assert_findings!(run(&app, r#"{"enabled": ["QC601"]}"#), []);
}

#[test]
fn duplicates_listed() {
    let app = app();
    setup(&app, |_, estate| {
        estate.similar.insert(
            app.id.clone(),
            vec![SimilarApp {
                id: "a2".into(),
                name: "Sales (copy)".into(),
                same_script: true,
                same_name: false,
            }],
        );
    });
    let findings = run(&app, r#"{"enabled": ["QC602"]}"#);
    assert_findings!(findings, [("QC602", 1)]);
    assert!(
        findings[0].message.contains("same script"),
        "{}",
        findings[0].message
    );
}
