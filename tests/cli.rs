//! End-to-end tests of `qready assess` on the bundled example estate and on real public scripts.

mod common;

use common::{assess_json, corpus, hit, hits, qready, qready_in, workspace};

#[test]
fn example_estate_findings_are_exact() {
    let estate = workspace().join("examples/estate");
    let report = assess_json(&[&estate], &[]);
    let mut found: Vec<_> = hits(&report, &estate)
        .into_iter()
        .filter(|h| h.code.starts_with("QC"))
        .collect();
    found.sort();

    let sales = "qlikview/SalesDashboard-prj/LoadScript.txt";
    let inventory = "qlikview/InventoryExtract.qvs";
    let finance = "sense/FinanceKPI.qvs";
    let procurement = "sense/Procurement.qvs";
    let sales_ui = |file: &str| format!("qlikview/SalesDashboard-prj/{file}");
    let (module, properties, container) = (
        sales_ui("Module.txt"),
        sales_ui("DocProperties.xml"),
        sales_ui("CT01.xml"),
    );
    // QC104 sums up, at the first use, what needs legacy script mode; the section access table
    // of the sales dashboard keys on Windows accounts (QC201) and the scheduler (QC202). The
    // dashboard's macros (QC302), its OnOpen and OnPostReload triggers (QC303) and its
    // container with an action that opens another document (QC304, QC306) have no line. The
    // duplicate HR headcount scripts (QC602) are whole-file findings.
    let mut expected = vec![
        hit("QC302", &module, 0),
        hit("QC303", &properties, 0),
        hit("QC303", &properties, 0),
        hit("QC304", &container, 0),
        hit("QC306", &container, 0),
        hit("QC602", "sense/HRHeadcount.qvs", 0),
        hit("QC602", "sense/HRHeadcount_old.qvs", 0),
        hit("QC101", sales, 2),
        hit("QC104", sales, 2),
        hit("QC102", sales, 5),
        hit("QC101", sales, 15),
        hit("QC101", sales, 25),
        hit("QC101", sales, 31),
        hit("QC101", sales, 37),
        hit("QC201", sales, 43),
        hit("QC202", sales, 44),
        hit("QC103", inventory, 6),
        hit("QC104", inventory, 6),
        hit("QC101", inventory, 12),
        hit("QC101", inventory, 14),
        hit("QC102", finance, 7),
        hit("QC101", finance, 22),
        hit("QC104", finance, 22),
        hit("QC101", finance, 23),
        hit("QC101", procurement, 13),
        hit("QC104", procurement, 13),
    ];
    expected.sort();
    assert_eq!(found, expected);
}

#[test]
fn example_estate_counts_apps() {
    let estate = workspace().join("examples/estate");
    let report = assess_json(&[&estate], &[]);
    let ids: Vec<&str> = report["apps"]
        .as_array()
        .unwrap()
        .iter()
        .map(|app| app["id"].as_str().unwrap())
        .collect();
    // Config.qvs is included by the sales dashboard, so it is part of that app.
    assert_eq!(
        ids,
        [
            "app:qlikview/inventoryextract.qvs",
            "app:qlikview/salesdashboard-prj",
            "app:sense/financekpi.qvs",
            "app:sense/hrheadcount.qvs",
            "app:sense/hrheadcount_old.qvs",
            "app:sense/procurement.qvs",
        ]
    );
    assert_eq!(report["problems"].as_array().unwrap().len(), 0);
    assert_eq!(report["diagnostics"].as_array().unwrap().len(), 0);
}

#[test]
fn ansi_script_decodes_as_windows_1252() {
    let estate = workspace().join("examples/estate/qlikview/InventoryExtract.qvs");
    let report = assess_json(&[&estate], &[]);
    let messages: Vec<&str> = report["findings"]
        .as_array()
        .unwrap()
        .iter()
        .map(|f| f["message"].as_str().unwrap())
        .collect();
    assert!(
        messages
            .iter()
            .any(|m| m.contains(r"..\Données\Stock\stock_jour.csv")),
        "{messages:?}"
    );
}

#[test]
fn connection_credentials_never_reach_report() {
    let estate = workspace().join("examples/estate");
    let output = qready(&["assess", "--format", "json", &estate.display().to_string()]);
    let text = String::from_utf8_lossy(&output.stdout);
    // The scrambled user id and password of the sales dashboard's ODBC CONNECT.
    assert!(!text.contains("JbTXDAVOFbZcWUEMXb"));
    assert!(!text.contains("aHYVFZDMTbZcWUEB"));
}

#[test]
fn text_report_lists_findings_by_line() {
    let estate = workspace().join("examples/estate");
    let output = qready(&["assess", &estate.display().to_string()]);
    assert!(output.status.success());
    let text = String::from_utf8(output.stdout).unwrap();
    assert!(
        text.contains("LoadScript.txt:5:1: blocker QC102 [legacy-connect-statement]"),
        "{text}"
    );
    assert!(text.contains("6 apps assessed with qready-core"), "{text}");
}

#[test]
fn missing_input_is_reported_not_fatal() {
    let estate = workspace().join("examples/estate/sense");
    let missing = workspace().join("examples/no-such-folder");
    let report = assess_json(&[&estate, &missing], &[]);
    assert_eq!(report["apps"].as_array().unwrap().len(), 4);
    let problems = report["problems"].as_array().unwrap();
    assert_eq!(problems.len(), 1);
    assert!(
        problems[0]["path"]
            .as_str()
            .unwrap()
            .ends_with("no-such-folder")
    );
}

#[test]
fn bad_config_is_a_tool_error() {
    let dir = tempfile::tempdir().unwrap();
    let config = dir.path().join("qready.toml");
    std::fs::write(&config, "[limits]\ncall-timeout = 5\n").unwrap();
    let output = qready(&[
        "assess",
        "--config",
        &config.display().to_string(),
        &workspace().join("examples/estate").display().to_string(),
    ]);
    assert_eq!(output.status.code(), Some(2));
    let stderr = String::from_utf8_lossy(&output.stderr);
    assert!(stderr.contains("line 2"), "{stderr}");
    assert!(stderr.contains("call-timeout"), "{stderr}");
}

/// A pack that the configuration requests but that does not load fails the run after the
/// report is written, because its rules did not run and the report is incomplete.
#[test]
fn unloaded_pack_fails_the_run() {
    let dir = tempfile::tempdir().unwrap();
    let estate = workspace().join("examples/estate").display().to_string();
    let pinned = workspace().join("tests/fixtures/packs/acme-site-rules-wit-0.1.0.wasm");
    let cases = [
        (
            "missing file",
            "[[pack]]\npath = \"no-such-pack.wasm\"\n".to_owned(),
        ),
        (
            "wrong hash",
            format!(
                "[[pack]]\npath = {:?}\nsha256 = \"{}\"\n",
                pinned.display().to_string(),
                "0".repeat(64)
            ),
        ),
    ];
    for (case, config) in cases {
        let path = dir.path().join("qready.toml");
        std::fs::write(&path, config).unwrap();
        let output = qready(&["assess", "--config", &path.display().to_string(), &estate]);
        let stderr = String::from_utf8_lossy(&output.stderr);
        assert_eq!(output.status.code(), Some(2), "{case}: {stderr}");
        assert!(stderr.contains("failed to load"), "{case}: {stderr}");
        let stdout = String::from_utf8_lossy(&output.stdout);
        assert!(stdout.contains("Pack failures"), "{case}: {stdout}");
    }
}

/// `script parse` and `model` read the code page from `qready.toml` like `assess` does.
#[test]
fn config_code_page_applies_to_every_command() {
    let dir = tempfile::tempdir().unwrap();
    std::fs::write(
        dir.path().join("qready.toml"),
        "[input]\nansi-code-page = \"windows-1251\"\n",
    )
    .unwrap();
    // "Данные" in Windows-1251, which is not valid UTF-8.
    let mut script = b"LOAD * FROM [lib://DataFiles/".to_vec();
    script.extend([0xc4, 0xe0, 0xed, 0xed, 0xfb, 0xe5]);
    script.extend(b".qvd] (qvd);\r\n");
    let file = dir.path().join("cyrillic.qvs");
    std::fs::write(&file, script).unwrap();
    let file = file.display().to_string();

    let parsed = qready_in(dir.path(), &["script", "parse", &file]);
    let text = String::from_utf8_lossy(&parsed.stdout);
    assert!(parsed.status.success(), "{text}");
    assert!(text.contains("lib://DataFiles/Данные.qvd"), "{text}");

    let model = qready_in(dir.path(), &["model", &file]);
    let json = String::from_utf8_lossy(&model.stdout);
    assert!(model.status.success(), "{json}");
    assert!(json.contains("Данные.qvd"), "{json}");

    // A label on the command line wins over the configuration.
    let latin = qready_in(
        dir.path(),
        &["script", "parse", "--ansi-code-page", "windows-1252", &file],
    );
    let text = String::from_utf8_lossy(&latin.stdout);
    assert!(text.contains("lib://DataFiles/Äàííûå.qvd"), "{text}");
}

/// `[input.libraries]` points `lib://` includes at a local copy of the library's folder.
#[test]
fn configured_library_resolves_include() {
    let dir = tempfile::tempdir().unwrap();
    let estate = dir.path().join("estate");
    let library = dir.path().join("site-copy/Scripts");
    std::fs::create_dir_all(&estate).unwrap();
    std::fs::create_dir_all(&library).unwrap();
    std::fs::write(
        estate.join("Sales.qvs"),
        "$(Must_Include=lib://Scripts/common.qvs);\nLOAD 1 AS x AUTOGENERATE 1;\n",
    )
    .unwrap();
    std::fs::write(
        library.join("common.qvs"),
        "SET vUnit = 'EUR';\nLOAD * FROM [C:\\Data\\rates.qvd] (qvd);\n",
    )
    .unwrap();
    let estate = estate.display().to_string();

    let unmapped = qready_in(dir.path(), &["assess", "--format", "json", &estate]);
    let report: serde_json::Value = serde_json::from_slice(&unmapped.stdout).unwrap();
    let codes: Vec<&str> = report["findings"]
        .as_array()
        .unwrap()
        .iter()
        .map(|f| f["rule"]["code"].as_str().unwrap())
        .collect();
    assert!(!codes.contains(&"QC101"), "{codes:?}");

    std::fs::write(
        dir.path().join("qready.toml"),
        "[input.libraries]\nScripts = \"site-copy/Scripts\"\n",
    )
    .unwrap();
    let mapped = qready_in(dir.path(), &["assess", "--format", "json", &estate]);
    let report: serde_json::Value = serde_json::from_slice(&mapped.stdout).unwrap();
    let windows_paths: Vec<&serde_json::Value> = report["findings"]
        .as_array()
        .unwrap()
        .iter()
        .filter(|f| f["rule"]["code"] == "QC101")
        .collect();
    assert_eq!(windows_paths.len(), 1, "{report:#}");
    let file = windows_paths[0]["location"]["file"].as_str().unwrap();
    assert!(file.ends_with("common.qvs"), "{file}");
    assert_eq!(windows_paths[0]["location"]["line"], 2);
}

#[test]
fn whole_corpus_assesses_without_crash() {
    let report = assess_json(&[&corpus()], &[]);
    let apps = report["apps"].as_array().unwrap().len();
    // Per-tab exports join into one app each, so there are fewer apps than script files.
    assert!(apps > 200, "only {apps} apps found in the corpus");
    assert_eq!(
        report["diagnostics"].as_array().unwrap().len(),
        0,
        "{:#}",
        report["diagnostics"]
    );
}

/// Cases of the three core rules in real public scripts, at the lines `grep -n` shows.
#[test]
fn core_rules_find_corpus_cases() {
    let cases = [
        ("adkaraman__SalesAnalysis/LoadScript.txt", "QC102", 315),
        ("adkaraman__SalesAnalysis/LoadScript.txt", "QC101", 80),
        ("adkaraman__SalesAnalysis/LoadScript.txt", "QC101", 96),
        (
            "PacktPublishing__QlikView-Advanced-Data-Visualization/Module 01/Chapter_1/DirectDiscovery.qvs",
            "QC102",
            109,
        ),
        (
            "QlikDeploymentFramework__Qlik-Deployment-Framework/3.Include/4.Sub/6.CreateFolder.qvs",
            "QC103",
            43,
        ),
        (
            "Dis0410__technodom-hr-etl-stage1-qdt_extract_1c_zup_fact/data_load_script/ГрафикСменности.qvs",
            "QC102",
            6,
        ),
    ];
    let root = corpus();
    for (file, code, line) in cases {
        let path = root.join(file);
        let report = assess_json(&[&path], &[]);
        let found = hits(&report, &root);
        assert!(
            found.contains(&hit(code, file, line)),
            "{code} expected at {file}:{line}; found {found:?}"
        );
    }
}

/// Paths whose root the script leaves open are not called relative: a FileList mask joined from
/// variables the script never sets, a mask joined from string literals, and a path that starts
/// with a variable set empty as a placeholder.
#[test]
fn open_path_roots_are_not_relative() {
    let cases = [
        (
            "RobWunderlich__Qlikview-Components/Qvc_Runtime/Qvc.qvs",
            2305,
        ),
        (
            "RobWunderlich__Qlikview-Components/Qvc_Runtime/Qvc.qvs",
            2319,
        ),
        (
            "yevhenkovalenko__gitoqlok-LicenseMonitorTest/data_load_script",
            212,
        ),
        ("gitdislicores__gitdislicores/InitLink.qvs", 49),
        ("gitdislicores__gitdislicores/InitLink.qvs", 68),
    ];
    let root = corpus();
    for (file, line) in cases {
        let path = root.join(file);
        let report = assess_json(&[&path], &[]);
        let found = hits(&report, &root);
        // A folder of per-tab scripts is reported under the folder's path.
        assert!(
            !found
                .iter()
                .any(|h| h.code == "QC101" && h.line == line && h.file.starts_with(file)),
            "QC101 at {file}:{line}; found {found:?}"
        );
    }
}

/// `Execute` at the start of a line inside a block comment is prose, not a statement.
#[test]
fn execute_in_comment_is_not_flagged() {
    let root = corpus();
    let file = "gitdislicores__gitdislicores/3.Include/4.Sub/12.Index.qvs";
    let report = assess_json(&[&root.join(file)], &[]);
    let found = hits(&report, &root);
    assert!(!found.contains(&hit("QC103", file, 176)), "{found:?}");
    assert!(found.contains(&hit("QC103", file, 523)), "{found:?}");
}

#[test]
fn script_parse_prints_statement_tree() {
    let script = workspace().join("examples/estate/sense/FinanceKPI.qvs");
    let output = qready(&["script", "parse", &script.display().to_string()]);
    assert!(output.status.success());
    let text = String::from_utf8(output.stdout).unwrap();
    assert!(
        text.contains("FinanceKPI.qvs:7:1 oledb-connect tab=GL"),
        "{text}"
    );
    assert!(
        text.contains("source StoreInto Unc '\\\\fs-fin01\\exports\\Accounts.qvd' at 23:21"),
        "{text}"
    );
}

#[test]
fn script_parse_json_masks_credentials() {
    let script = workspace().join("examples/estate/qlikview/SalesDashboard-prj/LoadScript.txt");
    let output = qready(&[
        "script",
        "parse",
        "--format",
        "json",
        &script.display().to_string(),
    ]);
    assert!(output.status.success());
    let json: serde_json::Value = serde_json::from_slice(&output.stdout).unwrap();
    let statements = json["statements"].as_array().unwrap();
    assert_eq!(statements.len(), 18);
    let text = String::from_utf8(output.stdout).unwrap();
    assert!(!text.contains("aHYVFZDMTbZcWUEB"));
}

#[test]
fn mutually_including_scripts_stay_apps() {
    let dir = tempfile::tempdir().unwrap();
    std::fs::write(
        dir.path().join("a.qvs"),
        "$(Include=b.qvs);\nEXECUTE cmd.exe /C dir;\n",
    )
    .unwrap();
    std::fs::write(
        dir.path().join("b.qvs"),
        "$(Include=a.qvs);\nLOAD * FROM [C:\\x.qvd] (qvd);\n",
    )
    .unwrap();
    let report = assess_json(&[dir.path()], &[]);
    assert_eq!(
        report["apps"].as_array().unwrap().len(),
        2,
        "{:#}",
        report["apps"]
    );
    let codes: Vec<&str> = report["findings"]
        .as_array()
        .unwrap()
        .iter()
        .map(|f| f["rule"]["code"].as_str().unwrap())
        .collect();
    assert!(codes.contains(&"QC103"), "{codes:?}");
    assert!(codes.contains(&"QC101"), "{codes:?}");
}

#[test]
fn overlapping_inputs_count_once() {
    let estate = workspace().join("examples/estate");
    let inner = estate.join("sense");
    let report = assess_json(&[&estate, &estate, &inner], &[]);
    assert_eq!(report["apps"].as_array().unwrap().len(), 6);
}

#[test]
fn plugin_new_rejects_bad_names() {
    let dir = tempfile::tempdir().unwrap();
    let cases = [
        ("1abc", "start with a lower-case letter"),
        ("Acme", "start with a lower-case letter"),
        ("qready-plugin-sdk", "collide with qready's own crates"),
    ];
    for (name, reason) in cases {
        let target = dir.path().join(name).display().to_string();
        let output = qready(&["plugin", "new", name, "--path", &target]);
        let stderr = String::from_utf8_lossy(&output.stderr);
        assert_eq!(output.status.code(), Some(2), "{name}: {stderr}");
        assert!(stderr.contains(reason), "{name}: {stderr}");
        assert!(!dir.path().join(name).exists(), "{name} was created");
    }
}

#[test]
fn rules_explain_ignores_case() {
    let output = qready(&["rules", "explain", "qc101"]);
    let text = String::from_utf8_lossy(&output.stdout);
    assert!(output.status.success(), "{text}");
    assert!(text.starts_with("# QC101 windows-file-path"), "{text}");
}

#[test]
fn os_error_is_printed_once() {
    let output = qready(&["script", "parse", "/no/such/script.qvs"]);
    let stderr = String::from_utf8_lossy(&output.stderr);
    assert_eq!(output.status.code(), Some(2), "{stderr}");
    assert_eq!(stderr.matches("(os error 2)").count(), 1, "{stderr}");
}

#[test]
fn unmatched_rule_prefix_is_reported() {
    let dir = tempfile::tempdir().unwrap();
    let config = dir.path().join("qready.toml");
    std::fs::write(&config, "[rules]\nselect = [\"ZZ\"]\nignore = [\"QC1\"]\n").unwrap();
    let estate = workspace().join("examples/estate");
    let report = assess_json(&[&estate], &["--config", &config.display().to_string()]);
    let messages: Vec<&str> = report["diagnostics"]
        .as_array()
        .unwrap()
        .iter()
        .map(|d| d["message"].as_str().unwrap())
        .collect();
    assert_eq!(messages.len(), 1, "{messages:?}");
    assert!(messages[0].contains("prefix 'ZZ'"), "{messages:?}");
}

/// An app whose script qready did not read is not routed to "migrate now".
#[test]
fn app_without_script_is_not_migrate_now() {
    let dir = tempfile::tempdir().unwrap();
    std::fs::write(dir.path().join("Empty.qvs"), "").unwrap();
    let report = assess_json(&[dir.path()], &[]);
    let routes = report["routes"]["apps"].as_array().unwrap();
    assert_eq!(routes.len(), 1, "{routes:#?}");
    assert_eq!(
        routes[0]["route"], "migrate-after-remediation",
        "{routes:#?}"
    );
    let reason = routes[0]["reason"].as_str().unwrap();
    assert!(reason.contains("no load script"), "{reason}");
}
