//! End-to-end tests of the report formats of `qready assess` on the example estate. They cover
//! every format in one run, the JSON schema file, SARIF against the official schema, and CSV as
//! Qlik loads it. They also cover colour in the text report and the HTML page in headless
//! Chromium.

mod common;

use std::path::{Path, PathBuf};
use std::process::Command;

use common::{qready, workspace};
use serde_json::Value;

fn estate() -> String {
    workspace().join("examples/estate").display().to_string()
}

/// Writes a configuration that runs only the three core rules, so that counts stay exact
/// whatever other rule packs qready embeds, and returns its path.
fn core_config(dir: &Path) -> String {
    let path = dir.join("core-rules.toml");
    std::fs::write(
        &path,
        "[rules]\nselect = [\"QC101\", \"QC102\", \"QC103\"]\n",
    )
    .unwrap();
    path.display().to_string()
}

/// Runs `qready assess` with the core rules on the example estate plus `extra` arguments.
fn assess_core(extra: &[&str]) -> std::process::Output {
    let dir = tempfile::tempdir().unwrap();
    let config = core_config(dir.path());
    let mut args = vec!["assess", "--config", &config];
    let estate = estate();
    args.push(&estate);
    args.extend_from_slice(extra);
    qready(&args)
}

/// Runs `qready assess` with the core rules on the example estate with every format into a
/// fresh folder.
fn all_formats() -> (tempfile::TempDir, PathBuf) {
    let dir = tempfile::tempdir().unwrap();
    let out = dir.path().join("reports");
    let config = core_config(dir.path());
    let output = qready(&[
        "assess",
        "--config",
        &config,
        &estate(),
        "--format",
        "text",
        "--format",
        "markdown",
        "--format",
        "json",
        "--format",
        "sarif",
        "--format",
        "csv",
        "--format",
        "html",
        "--output-dir",
        &out.display().to_string(),
    ]);
    assert!(
        output.status.success(),
        "qready failed with {}: {}",
        output.status,
        String::from_utf8_lossy(&output.stderr)
    );
    (dir, out)
}

fn read_json(path: &Path) -> Value {
    serde_json::from_str(&std::fs::read_to_string(path).unwrap()).unwrap()
}

#[test]
fn every_format_in_one_run() {
    let (_dir, out) = all_formats();
    for name in [
        "report.txt",
        "report.md",
        "report.json",
        "report.sarif",
        "report.html",
        "apps.csv",
        "findings.csv",
        "data_sources.csv",
        "waves.csv",
        "routes.csv",
        "phases.csv",
    ] {
        let path = out.join(name);
        assert!(path.is_file(), "{name} was not written");
        assert!(
            std::fs::metadata(&path).unwrap().len() > 0,
            "{name} is empty"
        );
    }
    let text = std::fs::read_to_string(out.join("report.txt")).unwrap();
    assert!(!text.contains('\u{1b}'), "a text file has no colour codes");
    assert!(text.contains("6 apps assessed"), "{text}");
}

#[test]
fn several_formats_need_output_dir() {
    let output = qready(&["assess", &estate(), "--format", "json", "--format", "html"]);
    assert_eq!(output.status.code(), Some(2));
    let stderr = String::from_utf8_lossy(&output.stderr);
    assert!(stderr.contains("--output-dir"), "{stderr}");

    let output = qready(&["assess", &estate(), "--format", "csv"]);
    assert_eq!(output.status.code(), Some(2));
}

#[test]
fn html_to_output_file() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("estate.html");
    let output = qready(&[
        "assess",
        &estate(),
        "--format",
        "html",
        "--output",
        &path.display().to_string(),
    ]);
    assert!(output.status.success());
    let html = std::fs::read_to_string(&path).unwrap();
    assert!(html.starts_with("<!DOCTYPE html>"));
}

/// The JSON report's schema is generated from the report types; the file in `docs/` must match.
/// Regenerate it with `QREADY_UPDATE_SCHEMA=1 cargo test -p qready --test reports`.
#[test]
fn schema_file_matches_types() {
    let generated = serde_json::to_string_pretty(&qready::report::json_schema()).unwrap() + "\n";
    let path = workspace().join("docs/report-schema.json");
    if std::env::var_os("QREADY_UPDATE_SCHEMA").is_some() {
        std::fs::write(&path, &generated).unwrap();
        return;
    }
    let stored = std::fs::read_to_string(&path).unwrap_or_default();
    assert!(
        stored == generated,
        "{} differs from the report types; regenerate it with \
         `QREADY_UPDATE_SCHEMA=1 cargo test -p qready --test reports`",
        path.display()
    );
}

#[test]
fn json_report_validates_against_schema() {
    let (_dir, out) = all_formats();
    let schema = read_json(&workspace().join("docs/report-schema.json"));
    let report = read_json(&out.join("report.json"));
    let validator = jsonschema::validator_for(&schema).expect("the report schema compiles");
    let errors: Vec<String> = validator
        .iter_errors(&report)
        .map(|e| format!("{} at {}", e, e.instance_path()))
        .collect();
    assert!(errors.is_empty(), "{errors:#?}");
    assert_eq!(report["schema_version"], 1);
    assert_eq!(
        schema["title"], "qready assessment report",
        "the schema names the report"
    );
}

#[test]
fn json_report_has_plan_and_overview() {
    let (_dir, out) = all_formats();
    let report = read_json(&out.join("report.json"));
    assert_eq!(report["overview"]["apps"], 6);
    assert_eq!(report["summary"]["effort_minutes"], 240);
    let findings = report["findings"].as_array().unwrap();
    assert_eq!(findings.len(), 13);
    for finding in findings {
        let fingerprint = finding["fingerprint"].as_str().unwrap();
        assert_eq!(fingerprint.len(), 32, "{finding:#}");
        assert!(finding["statement"].is_string(), "{finding:#}");
    }
    let waves = report["plan"]["waves"].as_array().unwrap();
    assert!(!waves.is_empty());
    // The built-in connector plugins classify every data source of the model.
    assert_eq!(
        report["data_sources"].as_array().unwrap().len(),
        report["estate"]["data_sources"].as_u64().unwrap() as usize
    );
}

/// The SARIF 2.1.0 schema in `tests/fixtures/sarif-schema-2.1.0.json` is the OASIS schema as
/// the `serde-sarif` 0.8.0 crate on crates.io ships it, in its `src/schema.json`. Its SHA-256 is
/// af47e7b67f24efe74076621fd3a5fbe7398add9e84fe820c971219a385895cea, and its `$id` names the
/// OASIS sarif-spec file `Schemata/sarif-schema-2.1.0.json`.
#[test]
fn sarif_validates_against_official_schema() {
    let (_dir, out) = all_formats();
    let schema = read_json(&workspace().join("tests/fixtures/sarif-schema-2.1.0.json"));
    assert_eq!(
        schema["title"],
        "Static Analysis Results Format (SARIF) Version 2.1.0 JSON Schema"
    );
    let schema = with_escaped_language_pattern(schema);
    let log = read_json(&out.join("report.sarif"));
    let validator = jsonschema::options()
        .should_validate_formats(true)
        .build(&schema)
        .expect("the SARIF schema compiles");
    let errors: Vec<String> = validator
        .iter_errors(&log)
        .map(|e| format!("{} at {}", e, e.instance_path()))
        .collect();
    assert!(errors.is_empty(), "{errors:#?}");
    assert_eq!(log["version"], "2.1.0");

    // The validator rejects a log that breaks the schema, so the check above is not vacuous.
    let mut broken = log.clone();
    broken["runs"][0]["results"][0]["level"] = Value::from("fatal");
    assert!(
        !validator.is_valid(&broken),
        "a level outside the enum passed"
    );
}

/// Escapes one bracket in the schema's two `language` patterns, of a run and of a tool
/// component. Each has an unbalanced `]`, which ECMAScript reads as a literal `]` in its
/// web-compatibility grammar. The `jsonschema` crate checks the schema first and rejects that
/// pattern as an invalid regular expression. The escaped pattern means the same, and every other
/// part of the schema is used as shipped.
fn with_escaped_language_pattern(mut schema: Value) -> Value {
    let definitions = schema["definitions"].as_object_mut().unwrap();
    for definition in ["run", "toolComponent"] {
        let pattern = &mut definitions[definition]["properties"]["language"]["pattern"];
        assert_eq!(
            pattern, "^[a-zA-Z]{2}|^[a-zA-Z]{2}-[a-zA-Z]{2}]?$",
            "{definition}"
        );
        *pattern = Value::from(r"^[a-zA-Z]{2}|^[a-zA-Z]{2}-[a-zA-Z]{2}\]?$");
    }
    schema
}

#[test]
fn sarif_carries_rule_metadata() {
    let (_dir, out) = all_formats();
    let log = read_json(&out.join("report.sarif"));
    let run = &log["runs"][0];
    let rules = run["tool"]["driver"]["rules"].as_array().unwrap();
    let qc101 = rules
        .iter()
        .find(|r| r["id"] == "QC101")
        .expect("QC101 declared");
    assert_eq!(qc101["name"], "windows-file-path");
    assert!(
        qc101["shortDescription"]["text"]
            .as_str()
            .unwrap()
            .contains("drive letter")
    );
    assert!(
        !qc101["fullDescription"]["text"]
            .as_str()
            .unwrap()
            .is_empty()
    );
    assert!(qc101["help"]["text"].as_str().unwrap().contains("lib://"));
    assert!(
        qc101["helpUri"]
            .as_str()
            .unwrap()
            .starts_with("https://help.qlik.com/")
    );
    assert_eq!(qc101["defaultConfiguration"]["level"], "error");

    let results = run["results"].as_array().unwrap();
    assert_eq!(results.len(), 13);
    let connect = results
        .iter()
        .find(|r| {
            r["ruleId"] == "QC102"
                && r["locations"][0]["physicalLocation"]["region"]["startLine"] == 5
        })
        .expect("the ODBC CONNECT of the sales dashboard");
    assert_eq!(connect["level"], "error");
    let uri = connect["locations"][0]["physicalLocation"]["artifactLocation"]["uri"]
        .as_str()
        .unwrap();
    assert!(uri.ends_with("SalesDashboard-prj/LoadScript.txt"), "{uri}");
    let rule_index = connect["ruleIndex"].as_u64().unwrap() as usize;
    assert_eq!(rules[rule_index]["id"], "QC102");
    assert_eq!(
        connect["partialFingerprints"]["qready/v1"]
            .as_str()
            .unwrap()
            .len(),
        32
    );
    let snippet = connect["locations"][0]["physicalLocation"]["region"]["snippet"]["text"]
        .as_str()
        .unwrap();
    assert!(snippet.starts_with("ODBC CONNECT TO"), "{snippet}");
    // The scrambled password of that statement is masked before it reaches any report.
    assert!(!snippet.contains("aHYVFZDMTbZcWUEB"), "{snippet}");
}

#[test]
fn csv_tables_load_as_rfc4180() {
    let (_dir, out) = all_formats();
    let report = read_json(&out.join("report.json"));
    // One row per data source and app that uses it, or one row for a source no app uses.
    let source_rows: usize = report["data_sources"]
        .as_array()
        .unwrap()
        .iter()
        .map(|source| source["apps"].as_array().unwrap().len().max(1))
        .sum();
    assert!(
        source_rows > 0,
        "the connector plugins classified no data source"
    );
    for (name, rows) in [
        ("apps.csv", 6),
        ("findings.csv", 13),
        ("data_sources.csv", source_rows),
        // The retire candidate HRHeadcount_old is in no wave.
        ("waves.csv", 5),
        ("routes.csv", 6),
    ] {
        let bytes = std::fs::read(out.join(name)).unwrap();
        assert!(
            bytes.starts_with(b"\xEF\xBB\xBF"),
            "{name} starts with a UTF-8 BOM"
        );
        let text = std::str::from_utf8(&bytes[3..]).unwrap();
        assert!(text.contains("\r\n"), "{name} ends records with CRLF");
        let mut reader = csv::Reader::from_reader(text.as_bytes());
        let headers = reader.headers().unwrap().clone();
        assert!(headers.len() > 3, "{name} has a header row: {headers:?}");
        let records: Vec<csv::StringRecord> = reader.records().map(Result::unwrap).collect();
        assert_eq!(records.len(), rows, "{name}");
        for record in &records {
            assert_eq!(record.len(), headers.len(), "{name}: {record:?}");
        }
    }

    let text = std::fs::read_to_string(out.join("findings.csv")).unwrap();
    let mut reader = csv::Reader::from_reader(text.trim_start_matches('\u{feff}').as_bytes());
    let headers = reader.headers().unwrap().clone();
    let message = headers.iter().position(|h| h == "message").unwrap();
    let records: Vec<csv::StringRecord> = reader.records().map(Result::unwrap).collect();
    // Messages hold quotes and commas; RFC 4180 quoting keeps them in one field.
    assert!(records.iter().any(|r| r[message].contains("'Stock.qvd'")));
    assert!(text.contains("\"ODBC CONNECT TO [SalesDW;DBQ=SALESDW01]"));
}

#[test]
fn csv_apps_hold_status_and_effort() {
    let (_dir, out) = all_formats();
    let text = std::fs::read_to_string(out.join("apps.csv")).unwrap();
    let mut reader = csv::Reader::from_reader(text.trim_start_matches('\u{feff}').as_bytes());
    let headers = reader.headers().unwrap().clone();
    let column = |name: &str| headers.iter().position(|h| h == name).unwrap();
    let records: Vec<csv::StringRecord> = reader.records().map(Result::unwrap).collect();
    let procurement = records
        .iter()
        .find(|r| &r[column("name")] == "Procurement")
        .unwrap();
    assert_eq!(&procurement[column("status")], "Blocked");
    assert_eq!(&procurement[column("score")], "75");
    assert_eq!(&procurement[column("effort_minutes")], "15");
    assert_eq!(
        &procurement[column("score_explained")],
        "100 - QC101 (blocker x1: 25) = 75"
    );
}

#[test]
fn text_is_plain_when_piped() {
    let output = assess_core(&[]);
    // The progress bar stays hidden when standard error is not a terminal.
    assert!(
        output.stderr.is_empty(),
        "{}",
        String::from_utf8_lossy(&output.stderr)
    );
    let text = String::from_utf8(output.stdout).unwrap();
    assert!(!text.contains('\u{1b}'), "{text}");
    assert!(text.contains("Migration waves"), "{text}");
    assert!(text.contains("score:  100 - QC101"), "{text}");
}

#[test]
fn text_has_colour_when_forced() {
    let output = assess_core(&["--color", "always"]);
    let text = String::from_utf8(output.stdout).unwrap();
    // Red bold for the blocker severity.
    assert!(text.contains("\u{1b}[1m\u{1b}[31mblocker"), "{text}");
}

/// Runs the text report in a pseudo-terminal through util-linux `script`, which merges standard
/// error into the output. Skipped, with a message, without /usr/bin/script.
#[test]
fn terminal_gets_colour_and_progress() {
    let script = Path::new("/usr/bin/script");
    if !script.exists() {
        eprintln!("skipped: /usr/bin/script (util-linux) is not installed");
        return;
    }
    let dir = tempfile::tempdir().unwrap();
    let config = core_config(dir.path());
    let command = format!(
        "'{}' assess --config '{config}' '{}'",
        env!("CARGO_BIN_EXE_qready"),
        estate()
    );
    let run = |no_color: bool| {
        let mut process = Command::new(script);
        process
            .args(["-qec", &command, "/dev/null"])
            .env("QREADY_CACHE_DIR", common::cache_dir())
            .env_remove("QREADY_LOG")
            .env_remove("NO_COLOR");
        if no_color {
            process.env("NO_COLOR", "1");
        }
        let output = process.output().unwrap();
        assert!(output.status.success(), "{output:?}");
        String::from_utf8_lossy(&output.stdout).into_owned()
    };
    let blocker = "\u{1b}[1m\u{1b}[31mblocker";

    let coloured = run(false);
    assert!(coloured.contains(blocker), "{coloured}");
    assert!(
        coloured.contains("checking apps"),
        "no progress bar: {coloured}"
    );

    let plain = run(true);
    assert!(!plain.contains(blocker), "NO_COLOR was ignored: {plain}");
    assert!(
        plain.contains("blocker QC102 [legacy-connect-statement]"),
        "{plain}"
    );
}

#[test]
fn markdown_has_tables() {
    let output = assess_core(&["--format", "markdown"]);
    assert!(output.status.success());
    let text = String::from_utf8(output.stdout).unwrap();
    assert!(
        text.starts_with("# Qlik Cloud migration readiness"),
        "{text}"
    );
    assert!(text.contains("| Blocked | 4 |"), "{text}");
    assert!(text.contains("| Ready | 1 |"), "{text}");
    assert!(text.contains("## Migration waves"), "{text}");
}

#[test]
fn html_is_self_contained() {
    let (_dir, out) = all_formats();
    let html = std::fs::read_to_string(out.join("report.html")).unwrap();
    assert!(html.contains("Content-Security-Policy"));
    assert!(html.contains("default-src 'none'"));
    for external in ["src=\"http", "<link", "@import", "url(http", "src=\"//"] {
        assert!(!html.contains(external), "the page loads '{external}'");
    }
    for chart in ["status-chart", "blockers-chart", "data-sources", "waves"] {
        assert!(html.contains(&format!("id=\"{chart}\"")), "{chart} missing");
    }
    assert!(
        html.matches("<svg").count() >= 4,
        "the charts are inline SVG"
    );
    assert!(html.contains("class=\"sortable\""));
    assert!(!html.contains("aHYVFZDMTbZcWUEB"), "no secret in the page");
}

/// Renders the page in headless Chromium: the script runs (it marks the body), the charts are in
/// the DOM, and a screenshot is taken. Skipped, with a message, without /usr/bin/chromium.
#[test]
fn html_renders_in_chromium() {
    let chromium = Path::new("/usr/bin/chromium");
    if !chromium.exists() {
        eprintln!("skipped: /usr/bin/chromium is not installed (apt-get install chromium)");
        return;
    }
    let (dir, out) = all_formats();
    let page = out.join("report.html");
    let profile = dir.path().join("profile");
    let common_args = |command: &mut Command| {
        command
            .args([
                "--headless",
                "--no-sandbox",
                "--disable-gpu",
                "--disable-background-networking",
                "--disable-component-update",
                "--disable-sync",
                "--no-first-run",
                "--window-size=1400,2400",
            ])
            .arg(format!("--user-data-dir={}", profile.display()));
    };

    let mut dump = Command::new(chromium);
    common_args(&mut dump);
    let output = dump
        .arg("--dump-dom")
        .arg(format!("file://{}", page.display()))
        .output()
        .unwrap();
    assert!(
        output.status.success(),
        "{}",
        String::from_utf8_lossy(&output.stderr)
    );
    let dom = String::from_utf8_lossy(&output.stdout);
    assert!(
        dom.contains("data-ready=\"true\""),
        "the page script did not run"
    );
    assert!(
        dom.contains("tabindex=\"0\""),
        "the tables were not made sortable"
    );
    assert!(
        dom.contains("stroke-dasharray"),
        "the status chart is missing"
    );

    let screenshot = dir.path().join("report.png");
    let mut shot = Command::new(chromium);
    common_args(&mut shot);
    let output = shot
        .arg(format!("--screenshot={}", screenshot.display()))
        .arg(format!("file://{}", page.display()))
        .output()
        .unwrap();
    assert!(
        output.status.success(),
        "{}",
        String::from_utf8_lossy(&output.stderr)
    );
    let png = std::fs::read(&screenshot).unwrap();
    assert!(
        png.starts_with(b"\x89PNG\r\n\x1a\n"),
        "the screenshot is a PNG"
    );
    // A blank 1400x2400 page compresses to a few kilobytes; charts and tables make it larger.
    assert!(png.len() > 50_000, "the screenshot has {} bytes", png.len());
}

/// The CLI reads estates without the statements' syntax trees to save memory. Every part of
/// the assessment comes from the rest of each statement, so both readings give the same report.
#[test]
fn assessment_same_without_syntax_trees() {
    use qready::assess::{AssessOptions, assess};
    use qready::ingest::IngestOptions;
    use qready::runtime::{
        Limits, PackKind, PackRequest, Runtime, builtin_connectors, builtin_packs,
    };

    let runtime = Runtime::new(Limits::default(), Some(&common::cache_dir())).unwrap();
    let mut packs: Vec<PackRequest> = builtin_packs()
        .into_iter()
        .map(PackRequest::plain)
        .collect();
    packs.extend(builtin_connectors().into_iter().map(|source| PackRequest {
        kind: PackKind::Connector,
        ..PackRequest::plain(source)
    }));
    let fixtures = workspace().join("tests/fixtures/estates");
    let inputs = vec![
        workspace().join("examples/estate"),
        fixtures.join("core"),
        fixtures.join("app"),
        fixtures.join("governance"),
    ];
    let report = |syntax_trees: bool| {
        let options = AssessOptions {
            inputs: inputs.clone(),
            ingest: IngestOptions {
                syntax_trees,
                ..IngestOptions::default()
            },
            packs: packs.clone(),
            rules: Default::default(),
            routes: Default::default(),
        };
        serde_json::to_value(assess(&runtime, &options)).unwrap()
    };
    let with_trees = report(true);
    let findings = with_trees["findings"].as_array().unwrap().len();
    assert!(
        findings >= 40 && with_trees["diagnostics"] == serde_json::json!([]),
        "{findings} findings, diagnostics {}",
        with_trees["diagnostics"]
    );
    assert_eq!(with_trees, report(false));
}
