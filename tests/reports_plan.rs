//! End-to-end tests of the migration plan in `qready assess`. They cover per-app status, score
//! and effort, retire candidates from usage logs and duplicate scripts, and waves that follow
//! QVD lineage and report cycles. They also cover baselines that survive line moves, the history
//! that shows fixes as progress, and `--fail-on`.

mod common;

use std::path::{Path, PathBuf};

use common::{qready_in, workspace};
use serde_json::Value;

/// A configuration that runs only the three core rules, so that counts stay exact whatever
/// other packs qready embeds.
const CORE_RULES: &str = "[rules]\nselect = [\"QC101\", \"QC102\", \"QC103\"]\n";

/// A scratch folder with a copy of the example estate under `estate/` and the core-rules
/// configuration as `qready.toml`.
struct Scratch {
    dir: tempfile::TempDir,
}

impl Scratch {
    fn with_example_estate() -> Scratch {
        let scratch = Scratch::empty();
        copy_dir(&workspace().join("examples/estate"), &scratch.estate());
        scratch
    }

    fn empty() -> Scratch {
        let dir = tempfile::tempdir().unwrap();
        std::fs::write(dir.path().join("qready.toml"), CORE_RULES).unwrap();
        std::fs::create_dir_all(dir.path().join("estate")).unwrap();
        Scratch { dir }
    }

    fn path(&self, name: &str) -> PathBuf {
        self.dir.path().join(name)
    }

    fn estate(&self) -> PathBuf {
        self.path("estate")
    }

    fn write(&self, name: &str, text: &str) {
        let path = self.estate().join(name);
        std::fs::create_dir_all(path.parent().unwrap()).unwrap();
        std::fs::write(path, text).unwrap();
    }

    /// Runs `qready assess estate` in the scratch folder with `extra` arguments.
    fn assess(&self, extra: &[&str]) -> std::process::Output {
        let mut args = vec!["assess", "estate"];
        args.extend_from_slice(extra);
        qready_in(self.dir.path(), &args)
    }

    /// Runs `qready assess estate --format json` and parses the report; the exit code must be 0.
    fn json(&self, extra: &[&str]) -> Value {
        let mut args = vec!["--format", "json"];
        args.extend_from_slice(extra);
        let output = self.assess(&args);
        assert!(
            output.status.success(),
            "qready failed with {}: {}",
            output.status,
            String::from_utf8_lossy(&output.stderr)
        );
        serde_json::from_slice(&output.stdout).unwrap()
    }
}

fn copy_dir(from: &Path, to: &Path) {
    std::fs::create_dir_all(to).unwrap();
    for entry in std::fs::read_dir(from).unwrap() {
        let entry = entry.unwrap();
        let target = to.join(entry.file_name());
        if entry.file_type().unwrap().is_dir() {
            copy_dir(&entry.path(), &target);
        } else {
            std::fs::copy(entry.path(), target).unwrap();
        }
    }
}

/// Replaces the first `from` with `to` in a script file, keeping its encoding: the example
/// scripts include UTF-16 LE with a byte-order mark and Windows-1252 ones. Both strings are
/// ASCII.
fn replace_in_file(path: &Path, from: &str, to: &str) {
    let bytes = std::fs::read(path).unwrap();
    if let Some(body) = bytes.strip_prefix(&[0xFF, 0xFE]) {
        let units: Vec<u16> = body
            .chunks_exact(2)
            .map(|pair| u16::from_le_bytes([pair[0], pair[1]]))
            .collect();
        let text = String::from_utf16(&units).unwrap();
        assert!(
            text.contains(from),
            "'{from}' not found in {}",
            path.display()
        );
        let mut edited = vec![0xFF, 0xFE];
        for unit in text.replacen(from, to, 1).encode_utf16() {
            edited.extend_from_slice(&unit.to_le_bytes());
        }
        std::fs::write(path, edited).unwrap();
        return;
    }
    let at = bytes
        .windows(from.len())
        .position(|window| window == from.as_bytes())
        .unwrap_or_else(|| panic!("'{from}' not found in {}", path.display()));
    let mut edited = bytes[..at].to_vec();
    edited.extend_from_slice(to.as_bytes());
    edited.extend_from_slice(&bytes[at + from.len()..]);
    std::fs::write(path, edited).unwrap();
}

fn app<'a>(report: &'a Value, name: &str) -> &'a Value {
    report["apps"]
        .as_array()
        .unwrap()
        .iter()
        .find(|app| app["name"] == name)
        .unwrap_or_else(|| panic!("no app named {name}"))
}

/// Builds a Qlik Sense engine session log with one session per entry: app title, user, and the
/// number of days before now that the session started.
fn session_log(sessions: &[(&str, &str, i64)]) -> String {
    let mut log = String::from(
        "Sequence#\tTimestamp\tLevel\tHostname\tActiveUserDirectory\tActiveUserId\tAppId\t\
         AppTitle\tProxySessionId\tSession Start\tSession Duration\tExit Reason\n",
    );
    for (index, (title, user, days_ago)) in sessions.iter().enumerate() {
        let start = chrono::Utc::now() - chrono::Duration::days(*days_ago);
        let stamp = start.format("%Y%m%dT%H%M%S.000+0000");
        log.push_str(&format!(
            "{index}\t{stamp}\tINFO\tqs-central\tCORP\t{user}\t{title}\t{title}\tp{index}\t\
             {stamp}\t00:15:00\tSocket closed by client\n"
        ));
    }
    log
}

#[test]
fn example_estate_statuses_scores_effort() {
    let scratch = Scratch::with_example_estate();
    let report = scratch.json(&[]);
    let expected = [
        ("InventoryExtract", "blocked", 135),
        ("SalesDashboard", "blocked", 45),
        ("FinanceKPI", "blocked", 45),
        ("HRHeadcount", "ready", 0),
        ("HRHeadcount_old", "retire-candidate", 0),
        ("Procurement", "blocked", 15),
    ];
    for (name, status, effort) in expected {
        let app = app(&report, name);
        assert_eq!(app["status"], status, "{name}");
        assert_eq!(app["effort_minutes"], effort, "{name}");
    }
    // SalesDashboard: QC101 five times (25 + 4 x 2) and QC102 once (25).
    let sales = app(&report, "SalesDashboard");
    assert_eq!(sales["score"]["value"], 100 - 33 - 25);
    let deductions = sales["score"]["deductions"].as_array().unwrap();
    assert_eq!(deductions[0]["rule"], "QC101");
    assert_eq!(deductions[0]["findings"], 5);
    assert_eq!(deductions[0]["points"], 33);
    assert_eq!(app(&report, "HRHeadcount")["score"]["value"], 100);

    let overview = &report["overview"];
    assert_eq!(overview["effort_minutes"], 240);
    let by_status: Vec<(String, u64)> = overview["by_status"]
        .as_array()
        .unwrap()
        .iter()
        .map(|c| {
            (
                c["status"].as_str().unwrap().to_owned(),
                c["apps"].as_u64().unwrap(),
            )
        })
        .collect();
    assert_eq!(
        by_status,
        [
            ("ready".to_owned(), 1),
            ("needs-remediation".to_owned(), 0),
            ("blocked".to_owned(), 4),
            // HRHeadcount_old has the same script as HRHeadcount.
            ("retire-candidate".to_owned(), 1),
        ]
    );
    let top = &overview["top_blockers"][0];
    assert_eq!(top["rule"], "QC101");
    assert_eq!(top["apps"], 4);
    assert_eq!(top["findings"], 10);
    assert_eq!(
        overview["usage"]["unknown"], 6,
        "the example estate has no usage logs"
    );
}

#[test]
fn effort_is_configurable_per_rule() {
    let scratch = Scratch::with_example_estate();
    std::fs::write(
        scratch.path("qready.toml"),
        format!("{CORE_RULES}\n[rules.effort]\nQC101 = 40\n"),
    )
    .unwrap();
    let report = scratch.json(&[]);
    assert_eq!(app(&report, "Procurement")["effort_minutes"], 40);
    assert_eq!(app(&report, "SalesDashboard")["effort_minutes"], 40 + 30);
    let rule = report["rules"]
        .as_array()
        .unwrap()
        .iter()
        .find(|r| r["code"] == "QC101")
        .unwrap();
    assert_eq!(rule["effort_minutes"], 40);
}

#[test]
fn effort_for_unknown_rule_is_diagnosed() {
    let scratch = Scratch::with_example_estate();
    std::fs::write(
        scratch.path("qready.toml"),
        format!("{CORE_RULES}\n[rules.effort]\nQC999 = 5\n"),
    )
    .unwrap();
    let report = scratch.json(&[]);
    let diagnostics = report["diagnostics"].to_string();
    assert!(diagnostics.contains("QC999"), "{diagnostics}");
}

#[test]
fn unused_and_duplicate_apps_are_retire_candidates() {
    let scratch = Scratch::empty();
    let finance = "LIB CONNECT TO 'Finance';\nGL:\nLOAD * FROM [lib://Finance/gl.qvd] (qvd);\n";
    scratch.write("FinanceKPI.qvs", finance);
    // The same script with other line breaks and indentation.
    scratch.write(
        "FinanceKPI-copy.qvs",
        "LIB CONNECT TO 'Finance';\n\n  GL:\n    LOAD *   FROM [lib://Finance/gl.qvd] (qvd);\n",
    );
    // Scripts that read through data connections are Qlik Sense apps, as the log is.
    scratch.write(
        "Unused.qvs",
        "T:\nLOAD * FROM [lib://Data/unused.qvd] (qvd);\n",
    );
    scratch.write(
        "Stale.qvs",
        "T:\nLOAD * FROM [lib://Data/stale.qvd] (qvd);\n",
    );
    scratch.write(
        "logs/Session_Engine.txt",
        &session_log(&[
            ("FinanceKPI", "jdoe", 2),
            ("FinanceKPI", "asmith", 3),
            ("Stale", "jdoe", 40),
        ]),
    );

    let report = scratch.json(&[]);
    let finance = app(&report, "FinanceKPI");
    assert_eq!(finance["status"], "ready");
    assert_eq!(finance["usage_state"], "active");
    assert_eq!(finance["usage"]["sessions"], 2);
    assert_eq!(finance["usage"]["distinct_users"], 2);

    let copy = app(&report, "FinanceKPI-copy");
    assert_eq!(copy["status"], "retire-candidate");
    assert_eq!(copy["retire_reason"]["kind"], "duplicate");
    assert_eq!(copy["retire_reason"]["of"], finance["id"]);

    let unused = app(&report, "Unused");
    assert_eq!(unused["status"], "retire-candidate");
    assert_eq!(unused["retire_reason"]["kind"], "unused");
    assert_eq!(unused["retire_reason"]["window_days"], 90);
    assert!(
        unused["wave"].is_null(),
        "a retire candidate is not in a wave"
    );

    // A session 40 days ago counts in the default window of 90 days, not in one of 30.
    assert_eq!(app(&report, "Stale")["status"], "ready");
    let narrow = scratch.json(&["--usage-window", "30"]);
    let stale = app(&narrow, "Stale");
    assert_eq!(stale["status"], "retire-candidate");
    assert_eq!(stale["retire_reason"]["window_days"], 30);

    let overview = &report["overview"];
    assert_eq!(overview["usage"]["active"], 2);
    assert_eq!(overview["usage"]["unused"], 2);
    let left_out = report["plan"]["left_out"].as_array().unwrap();
    assert_eq!(left_out.len(), 2);
}

#[test]
fn usage_window_from_config() {
    let scratch = Scratch::empty();
    scratch.write(
        "Stale.qvs",
        "T:\nLOAD * FROM [lib://Data/stale.qvd] (qvd);\n",
    );
    scratch.write(
        "Fresh.qvs",
        "T:\nLOAD * FROM [lib://Data/fresh.qvd] (qvd);\n",
    );
    scratch.write(
        "logs/Session_Engine.txt",
        &session_log(&[("Stale", "jdoe", 20), ("Fresh", "jdoe", 1)]),
    );
    std::fs::write(
        scratch.path("qready.toml"),
        format!("[input]\nusage-window-days = 10\n\n{CORE_RULES}"),
    )
    .unwrap();
    let report = scratch.json(&[]);
    assert_eq!(app(&report, "Stale")["status"], "retire-candidate");
    assert_eq!(app(&report, "Fresh")["status"], "ready");
}

/// An app with no sessions whose QVDs other apps read is an extract, not a retire candidate.
#[test]
fn unused_producer_is_kept() {
    let scratch = Scratch::empty();
    scratch.write(
        "Extract.qvs",
        "T:\nLOAD 1 AS x AUTOGENERATE 1;\nSTORE T INTO [lib://DataFiles/t.qvd] (qvd);\n",
    );
    scratch.write(
        "Report.qvs",
        "R:\nLOAD * FROM [lib://DataFiles/t.qvd] (qvd);\n",
    );
    scratch.write(
        "logs/Session_Engine.txt",
        &session_log(&[("Report", "jdoe", 1)]),
    );
    let report = scratch.json(&[]);
    let extract = app(&report, "Extract");
    assert_eq!(extract["usage_state"], "unused");
    assert_eq!(extract["status"], "ready");
    assert_eq!(extract["feeds"][0], app(&report, "Report")["id"]);
}

#[test]
fn waves_put_producers_first_and_cycles_together() {
    let scratch = Scratch::empty();
    // Extract (ready) -> Model (blocked by a drive path) -> Dashboard (ready), and CycleA and
    // CycleB read each other's QVDs.
    scratch.write(
        "Extract.qvs",
        "Orders:\nLOAD 1 AS OrderID AUTOGENERATE 1;\n\
         STORE Orders INTO [lib://DataFiles/orders.qvd] (qvd);\n",
    );
    scratch.write(
        "Model.qvs",
        "Orders:\nLOAD * FROM [lib://DataFiles/orders.qvd] (qvd);\n\
         Rates:\nLOAD * FROM [C:\\Rates\\fx.xlsx] (ooxml, embedded labels);\n\
         STORE Orders INTO [lib://DataFiles/model.qvd] (qvd);\n",
    );
    scratch.write(
        "Dashboard.qvs",
        "Model:\nLOAD * FROM [lib://DataFiles/model.qvd] (qvd);\n",
    );
    scratch.write(
        "CycleA.qvs",
        "B:\nLOAD * FROM [lib://DataFiles/b.qvd] (qvd);\n\
         STORE B INTO [lib://DataFiles/a.qvd] (qvd);\n",
    );
    scratch.write(
        "CycleB.qvs",
        "A:\nLOAD * FROM [lib://DataFiles/a.qvd] (qvd);\n\
         STORE A INTO [lib://DataFiles/b.qvd] (qvd);\n",
    );
    let report = scratch.json(&[]);
    let wave = |name: &str| app(&report, name)["wave"].as_u64().unwrap();
    assert_eq!(app(&report, "Model")["status"], "blocked");
    assert_eq!(app(&report, "Dashboard")["status"], "ready");
    assert!(wave("Extract") < wave("Model"), "{:#}", report["plan"]);
    assert_eq!(
        wave("Dashboard"),
        wave("Model"),
        "a ready consumer waits for its blocked producer"
    );
    assert_eq!(wave("CycleA"), wave("CycleB"));

    let mut order: Vec<(u64, String, String)> = Vec::new();
    for wave in report["plan"]["waves"].as_array().unwrap() {
        for entry in wave["apps"].as_array().unwrap() {
            order.push((
                entry["order"].as_u64().unwrap(),
                entry["name"].as_str().unwrap().to_owned(),
                entry["reason"].as_str().unwrap().to_owned(),
            ));
        }
    }
    let position = |name: &str| order.iter().position(|(_, n, _)| n == name).unwrap();
    assert!(position("Extract") < position("Model"));
    assert!(position("Model") < position("Dashboard"));
    let orders: Vec<u64> = order.iter().map(|(o, _, _)| *o).collect();
    assert_eq!(
        orders,
        (1..=5).collect::<Vec<u64>>(),
        "orders count up from 1"
    );

    let dashboard_reason = &order[position("Dashboard")].2;
    assert!(
        dashboard_reason.contains("waits for Model"),
        "{dashboard_reason}"
    );

    let cycles = report["plan"]["cycles"].as_array().unwrap();
    assert_eq!(cycles.len(), 1);
    let members: Vec<&str> = cycles[0]["apps"]
        .as_array()
        .unwrap()
        .iter()
        .map(|id| id.as_str().unwrap())
        .collect();
    assert_eq!(members, ["app:cyclea.qvs", "app:cycleb.qvs"]);
    let cycle_reason = &order[position("CycleA")].2;
    assert!(
        cycle_reason.contains("dependency cycle with CycleB"),
        "{cycle_reason}"
    );

    let text = String::from_utf8(scratch.assess(&[]).stdout).unwrap();
    assert!(text.contains("read each other's data"), "{text}");
}

#[test]
fn baseline_survives_line_moves() {
    let scratch = Scratch::with_example_estate();
    let baseline = scratch.path("baseline.json");
    let first = scratch.json(&["--write-baseline", &baseline.display().to_string()]);
    assert_eq!(first["findings"].as_array().unwrap().len(), 13);

    // Comment lines at the top move every finding of the script down by three lines.
    let script = scratch.estate().join("sense/FinanceKPI.qvs");
    let text = std::fs::read_to_string(&script).unwrap();
    std::fs::write(&script, format!("// one\n// two\n// three\n{text}")).unwrap();
    let moved = scratch.json(&["--baseline", &baseline.display().to_string()]);
    assert_eq!(
        moved["findings"].as_array().unwrap().len(),
        0,
        "{:#}",
        moved["findings"]
    );
    assert_eq!(moved["baseline"]["hidden"], 13);
    assert_eq!(moved["baseline"]["new"], 0);
    // Statuses still count every finding.
    assert_eq!(app(&moved, "FinanceKPI")["status"], "blocked");

    // A new drive path is the one finding shown.
    let text = std::fs::read_to_string(&script).unwrap();
    std::fs::write(
        &script,
        format!("{text}\nX:\nLOAD * FROM [E:\\New\\x.csv] (txt);\n"),
    )
    .unwrap();
    let added = scratch.json(&["--baseline", &baseline.display().to_string()]);
    let findings = added["findings"].as_array().unwrap();
    assert_eq!(findings.len(), 1, "{findings:#?}");
    assert!(
        findings[0]["message"]
            .as_str()
            .unwrap()
            .contains(r"E:\New\x.csv")
    );
}

#[test]
fn fingerprints_do_not_depend_on_estate_folder() {
    let scratch = Scratch::with_example_estate();
    let copy = scratch.json(&[]);
    let original = qready_in(
        scratch.dir.path(),
        &[
            "assess",
            "--format",
            "json",
            &workspace().join("examples/estate").display().to_string(),
        ],
    );
    let original: Value = serde_json::from_slice(&original.stdout).unwrap();
    let fingerprints = |report: &Value| {
        let mut list: Vec<String> = report["findings"]
            .as_array()
            .unwrap()
            .iter()
            .map(|f| f["fingerprint"].as_str().unwrap().to_owned())
            .collect();
        list.sort();
        list
    };
    assert_eq!(fingerprints(&copy), fingerprints(&original));
    let unique: std::collections::BTreeSet<String> = fingerprints(&copy).into_iter().collect();
    assert_eq!(unique.len(), 13, "fingerprints are unique");
}

#[test]
fn fingerprints_ignore_name_case() {
    let scratch = Scratch::with_example_estate();
    let fingerprints = |report: &Value| {
        let mut list: Vec<(String, String)> = report["findings"]
            .as_array()
            .unwrap()
            .iter()
            .map(|f| {
                let text = |key: &str| f[key].as_str().unwrap().to_owned();
                (text("app_id"), text("fingerprint"))
            })
            .collect();
        list.sort();
        list
    };
    let before = fingerprints(&scratch.json(&[]));

    let estate = scratch.estate();
    std::fs::rename(
        estate.join("sense/Procurement.qvs"),
        estate.join("sense/PROCUREMENT.qvs"),
    )
    .unwrap();
    // SalesDashboard includes `..\shared\Config.qvs`, now found ignoring case.
    std::fs::rename(
        estate.join("qlikview/shared"),
        estate.join("qlikview/Shared"),
    )
    .unwrap();

    let after = fingerprints(&scratch.json(&[]));
    assert!(before.iter().any(|(app, _)| app.contains("procurement")));
    assert_eq!(before, after);
}

#[test]
fn history_shows_fix_as_progress() {
    let scratch = Scratch::with_example_estate();
    let history = scratch.path("history.sqlite");
    let history_arg = history.display().to_string();
    let first = scratch.json(&["--history", &history_arg]);
    assert!(
        first["history"]["previous"].is_null(),
        "{:#}",
        first["history"]
    );
    assert_eq!(first["history"]["run_id"], 1);

    // Fix Procurement: its drive path becomes a data connection path.
    replace_in_file(
        &scratch.estate().join("sense/Procurement.qvs"),
        r"C:\Shared\Treasury\fx_rates.xlsx",
        "lib://Treasury/fx_rates.xlsx",
    );

    let second = scratch.json(&["--history", &history_arg]);
    let progress = &second["history"];
    assert_eq!(progress["run_id"], 2);
    assert_eq!(progress["previous"]["run_id"], 1);
    assert_eq!(progress["fixed"], 1);
    assert_eq!(progress["new"], 0);
    assert_eq!(progress["unchanged"], 12);
    let apps = progress["apps"].as_array().unwrap();
    assert_eq!(apps.len(), 1, "{apps:#?}");
    assert_eq!(apps[0]["name"], "Procurement");
    assert_eq!(apps[0]["fixed"], 1);
    assert_eq!(apps[0]["previous_status"], "blocked");
    assert_eq!(apps[0]["status"], "ready");
    assert_eq!(apps[0]["previous_score"], 75);
    assert_eq!(apps[0]["score"], 100);
    let fixes = progress["fixed_findings"].as_array().unwrap();
    assert_eq!(fixes[0]["rule"], "QC101");
    assert!(
        fixes[0]["message"]
            .as_str()
            .unwrap()
            .contains("fx_rates.xlsx")
    );

    // A third run with nothing changed reports no fix, and the text and HTML show progress.
    let third = scratch.assess(&["--history", &history_arg]);
    let text = String::from_utf8(third.stdout).unwrap();
    assert!(text.contains("Since run 2 of"), "{text}");
    assert!(text.contains("0 fixed, 0 new, 12 unchanged"), "{text}");
}

#[test]
fn history_progress_in_html() {
    let scratch = Scratch::with_example_estate();
    let history = scratch.path("history.sqlite").display().to_string();
    scratch.json(&["--history", &history]);
    replace_in_file(
        &scratch.estate().join("sense/Procurement.qvs"),
        r"C:\Shared\Treasury\fx_rates.xlsx",
        "lib://T/fx.xlsx",
    );
    let page = scratch.path("report.html").display().to_string();
    let output = scratch.assess(&["--history", &history, "--format", "html", "-o", &page]);
    assert!(output.status.success());
    let html = std::fs::read_to_string(&page).unwrap();
    assert!(html.contains("id=\"progress\""));
    assert!(
        html.contains("<strong class=\"fixed\">1 fixed</strong>"),
        "progress not shown"
    );
}

#[test]
fn history_of_other_version_is_rejected() {
    let scratch = Scratch::with_example_estate();
    let history = scratch.path("history.sqlite");
    let connection = rusqlite::Connection::open(&history).unwrap();
    connection.pragma_update(None, "user_version", 99).unwrap();
    drop(connection);
    let output = scratch.assess(&["--history", &history.display().to_string()]);
    assert_eq!(output.status.code(), Some(2));
    let stderr = String::from_utf8_lossy(&output.stderr);
    assert!(stderr.contains("schema version 99"), "{stderr}");
}

#[test]
fn fail_on_sets_exit_code() {
    let scratch = Scratch::with_example_estate();
    let code = |args: &[&str]| scratch.assess(args).status.code();
    assert_eq!(
        code(&[]),
        Some(0),
        "without --fail-on findings do not fail the run"
    );
    assert_eq!(code(&["--fail-on", "blocker"]), Some(1));
    assert_eq!(code(&["--fail-on", "warning"]), Some(1));

    let baseline = scratch.path("baseline.json").display().to_string();
    assert_eq!(code(&["--write-baseline", &baseline]), Some(0));
    assert_eq!(
        code(&["--fail-on", "info", "--baseline", &baseline]),
        Some(0),
        "findings hidden by the baseline do not fail the run"
    );

    let clean = Scratch::empty();
    clean.write("Clean.qvs", "T:\nLOAD 1 AS x AUTOGENERATE 1;\n");
    assert_eq!(clean.assess(&["--fail-on", "info"]).status.code(), Some(0));
}

#[test]
fn missing_baseline_is_a_tool_error() {
    let scratch = Scratch::with_example_estate();
    let output = scratch.assess(&["--baseline", "no-such-baseline.json"]);
    assert_eq!(output.status.code(), Some(2));
    let stderr = String::from_utf8_lossy(&output.stderr);
    assert!(stderr.contains("no-such-baseline.json"), "{stderr}");
}
