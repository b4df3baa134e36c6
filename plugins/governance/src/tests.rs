use qready_plugin_sdk::assert_findings;
use qready_plugin_sdk::estate::{
    AppDetails, CustomProperty, ReloadTask, SecurityRule, StreamInfo, TriggerState, UpstreamTask,
};
use qready_plugin_sdk::testing::{TestEstate, app_from_script, check_with, set_estate};
use qready_plugin_sdk::{App, Location};

use super::GovernancePack;

fn at(line: u32) -> Option<Location> {
    Some(Location {
        file: "qrs.json".into(),
        line,
        column: 1,
    })
}

fn task(id: &str, line: u32, upstream: Vec<UpstreamTask>) -> ReloadTask {
    ReloadTask {
        id: id.into(),
        name: format!("Reload {id}"),
        task_type: Some(0),
        enabled: Some(true),
        partial_reload: Some(false),
        schedules: 1,
        upstream,
        last_duration_ms: None,
        last_status: None,
        location: at(line),
    }
}

fn rule(name: &str, text: &str, rule_type: &str, line: u32) -> SecurityRule {
    SecurityRule {
        id: name.into(),
        name: name.into(),
        category: Some("Security".into()),
        rule_type: Some(rule_type.into()),
        rule: text.into(),
        resource_filter: Some("App_*".into()),
        disabled: false,
        location: at(line),
    }
}

fn setup(app: &App, details: AppDetails, rules: Vec<SecurityRule>) {
    let mut estate = TestEstate::default();
    estate.details.insert(app.id.clone(), details);
    estate.security_rules = rules;
    set_estate(estate);
}

#[test]
fn governed_app_flagged() {
    let app = app_from_script("LOAD 1 AS x AUTOGENERATE 1;\n");
    let mut details = AppDetails::empty(&app.id);
    details.sizes.location = at(1);
    details.custom_properties = vec![CustomProperty {
        name: "BusinessUnit".into(),
        value: "Finance".into(),
    }];
    details.stream = Some(StreamInfo {
        id: "s1".into(),
        name: "Sales".into(),
        custom_properties: Vec::new(),
        app_count: 3,
    });
    let upstream = UpstreamTask {
        task_id: "t0".into(),
        task_name: Some("Run export".into()),
        app_id: None,
        task_type: Some(1),
        on: TriggerState::Success,
    };
    details.tasks = vec![task("t1", 20, vec![upstream])];
    let rules = vec![
        rule(
            "Business unit",
            "resource.@BusinessUnit = user.@Department",
            "Custom",
            30,
        ),
        rule(
            "Stream Sales",
            "resource.stream.name = \"Sales\"",
            "Custom",
            31,
        ),
        rule("Shipped", "resource.@BusinessUnit = \"x\"", "Default", 32),
        rule("Other", "resource.@Region = \"x\"", "Custom", 33),
    ];
    setup(&app, details, rules);
    let findings = check_with::<GovernancePack>(&app, "{}").unwrap();
    assert_findings!(
        findings,
        [
            ("QC401", 1),
            ("QC402", 30),
            ("QC402", 31),
            ("QC403", 1),
            ("QC404", 20)
        ]
    );
    let chain = findings.iter().find(|f| f.code == "QC404").unwrap();
    assert_eq!(chain.severity, Some(qready_plugin_sdk::Severity::Blocker));
}

#[test]
fn task_limit_is_an_option() {
    let app = app_from_script("LOAD 1 AS x AUTOGENERATE 1;\n");
    let mut details = AppDetails::empty(&app.id);
    details.tasks = (0..11)
        .map(|i| task(&format!("t{i}"), 5, Vec::new()))
        .collect();
    setup(&app, details, Vec::new());
    assert_findings!(
        check_with::<GovernancePack>(&app, "{}").unwrap(),
        [("QC405", 5)]
    );
    let config = r#"{"options": {"QC405": {"max-tasks": 12}}}"#;
    assert_findings!(check_with::<GovernancePack>(&app, config).unwrap(), []);
}

#[test]
fn ungoverned_app_passes() {
    let app = app_from_script("LOAD 1 AS x AUTOGENERATE 1;\n");
    setup(&app, AppDetails::empty(&app.id), Vec::new());
    assert_findings!(check_with::<GovernancePack>(&app, "{}").unwrap(), []);
}
