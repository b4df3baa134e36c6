//! The pack author's workflow and the platform's promises: a scaffolded pack builds, passes its
//! tests and reports; packs built for a supported WIT version keep loading; others are rejected
//! with advice; parallel checking gives the same report as one thread.

mod common;

use std::process::Command;

use common::{corpus, hit, hits, qready, qready_in, workspace};

/// The committed component, built from `examples/partner-plugin` with SDK 0.1.0 against
/// `qready:plugin@0.1.0`.
fn fixture_pack() -> std::path::PathBuf {
    workspace().join("tests/fixtures/packs/acme-site-rules-wit-0.1.0.wasm")
}

#[test]
fn prebuilt_wit_0_1_0_pack_still_loads() {
    let estate = workspace().join("examples/estate");
    let wasm = fixture_pack().display().to_string();
    let report = common::assess_json(&[&estate], &["--pack", &wasm]);
    let found = hits(&report, &estate);
    let sales = "qlikview/SalesDashboard-prj/LoadScript.txt";
    assert!(found.contains(&hit("ACME001", sales, 15)), "{found:?}");
}

/// Runs `assess --format json` on `estate` in a folder whose `qready.toml` is `config`.
fn assess_with_config(config: &str, estate: &std::path::Path) -> serde_json::Value {
    let dir = tempfile::tempdir().unwrap();
    std::fs::write(dir.path().join("qready.toml"), config).unwrap();
    let output = qready_in(
        dir.path(),
        &["assess", "--format", "json", &estate.display().to_string()],
    );
    assert!(
        output.status.success(),
        "{}",
        String::from_utf8_lossy(&output.stderr)
    );
    serde_json::from_slice(&output.stdout).unwrap()
}

/// The first-party app pack as built against `qready:plugin@0.1.1`, before the `estate`
/// interface gained its mashup and Publisher functions.
#[test]
fn prebuilt_wit_0_1_1_estate_pack_still_loads() {
    let wasm = workspace().join("tests/fixtures/packs/qready-app-wit-0.1.1.wasm");
    let config = format!(
        "builtin-packs = false\n\n[[pack]]\npath = {:?}\n",
        wasm.display().to_string()
    );
    let estate = workspace().join("tests/fixtures/estates/app");
    let report = assess_with_config(&config, &estate);
    assert_eq!(
        report["diagnostics"].as_array().map(Vec::len),
        Some(0),
        "{report:#}"
    );
    let found = hits(&report, &estate);
    let codes: std::collections::BTreeSet<&str> = found.iter().map(|h| h.code.as_str()).collect();
    // The 0.1.1 pack declares QC301 to QC308 and reads app details through the estate
    // interface; the two rules added with 0.1.2 are not in it.
    assert!(codes.contains("QC302"), "{found:?}");
    assert!(codes.contains("QC301"), "{found:?}");
    assert!(!codes.contains("QC309"), "{found:?}");
}

/// Rewrites the WIT version in a pack's version section; the lengths must match. Every copy is
/// rewritten, because the stamp text may also sit in the pack's data.
fn restamp(from: &str, to: &str) -> Vec<u8> {
    let mut bytes = std::fs::read(fixture_pack()).unwrap();
    let needle = format!("wit={from}");
    let replacement = format!("wit={to}");
    let mut replaced = 0;
    let mut at = 0;
    while let Some(found) = bytes[at..]
        .windows(needle.len())
        .position(|w| w == needle.as_bytes())
    {
        let start = at + found;
        bytes[start..start + needle.len()].copy_from_slice(replacement.as_bytes());
        replaced += 1;
        at = start + needle.len();
    }
    assert!(replaced > 0, "the fixture has a version section");
    bytes
}

/// Assesses the example's Sense apps with only the given pack, which fails to load: the run
/// exits 2 and the report gives the reason.
fn assess_with_pack_bytes(bytes: &[u8]) -> String {
    let dir = tempfile::tempdir().unwrap();
    let wasm = dir.path().join("pack.wasm");
    std::fs::write(&wasm, bytes).unwrap();
    let output = qready(&[
        "assess",
        "--no-builtin-packs",
        "--pack",
        &wasm.display().to_string(),
        &workspace()
            .join("examples/estate/sense")
            .display()
            .to_string(),
    ]);
    assert_eq!(
        output.status.code(),
        Some(2),
        "{}",
        String::from_utf8_lossy(&output.stderr)
    );
    String::from_utf8(output.stdout).unwrap()
}

#[test]
fn newer_wit_pack_asks_to_upgrade_qready() {
    let text = assess_with_pack_bytes(&restamp("0.1.0", "0.9.0"));
    assert!(
        text.contains("was built for qready:plugin@0.9.0, but this qready implements qready:plugin@0.1.2; upgrade qready"),
        "{text}"
    );
}

#[test]
fn older_wit_pack_asks_to_rebuild() {
    let text = assess_with_pack_bytes(&restamp("0.1.0", "0.0.9"));
    assert!(
        text.contains("rebuild the pack with qready-plugin-sdk 0.1"),
        "{text}"
    );
}

#[test]
fn inspect_shows_versions_and_rules() {
    let output = qready(&["plugin", "inspect", &fixture_pack().display().to_string()]);
    assert!(output.status.success());
    let text = String::from_utf8(output.stdout).unwrap();
    assert!(text.contains("sdk:     0.1.0"), "{text}");
    assert!(text.contains("wit:     qready:plugin@0.1.0"), "{text}");
    assert!(text.contains("qready:plugin/host@0.1.0"), "{text}");
    assert!(text.contains("ACME001"), "{text}");
    assert!(!text.contains("wasi:sockets"), "{text}");
}

#[test]
fn parallel_report_matches_single_thread() {
    let corpus = corpus().display().to_string();
    let run = |threads: &str| {
        let output = Command::new(env!("CARGO_BIN_EXE_qready"))
            .args(["assess", "--format", "json", &corpus])
            .env("RAYON_NUM_THREADS", threads)
            .env("QREADY_CACHE_DIR", common::cache_dir())
            .output()
            .unwrap();
        assert!(output.status.success());
        output.stdout
    };
    let single = run("1");
    let parallel = run("4");
    assert!(single.len() > 10_000);
    assert!(single == parallel, "reports differ between 1 and 4 threads");
}

#[test]
fn init_writes_a_config_that_loads() {
    let dir = tempfile::tempdir().unwrap();
    let output = qready_in(dir.path(), &["init"]);
    assert!(output.status.success());
    assert!(dir.path().join("qready.toml").is_file());
    let again = qready_in(dir.path(), &["init"]);
    assert_eq!(again.status.code(), Some(2));
    let estate = workspace().join("examples/estate").display().to_string();
    let assess = qready_in(dir.path(), &["assess", &estate]);
    assert!(
        assess.status.success(),
        "{}",
        String::from_utf8_lossy(&assess.stderr)
    );
}

#[test]
fn severity_override_and_ignore_apply() {
    let dir = tempfile::tempdir().unwrap();
    std::fs::write(
        dir.path().join("qready.toml"),
        "[rules]\nignore = [\"QC103\"]\n[rules.severity]\nQC102 = \"warning\"\n",
    )
    .unwrap();
    let estate = workspace().join("examples/estate").display().to_string();
    let output = qready_in(dir.path(), &["assess", &estate]);
    let text = String::from_utf8(output.stdout).unwrap();
    assert!(!text.contains("QC103"), "{text}");
    assert!(text.contains("warning QC102"), "{text}");
    assert!(!text.contains("blocker QC102"), "{text}");
}

#[test]
fn unknown_rule_in_config_is_reported() {
    let dir = tempfile::tempdir().unwrap();
    std::fs::write(
        dir.path().join("qready.toml"),
        "[rules.severity]\nQC999 = \"info\"\n",
    )
    .unwrap();
    let estate = workspace().join("examples/estate").display().to_string();
    let output = qready_in(dir.path(), &["assess", &estate]);
    let text = String::from_utf8(output.stdout).unwrap();
    assert!(
        text.contains("rule 'QC999', which no loaded pack declares"),
        "{text}"
    );
}

/// `plugin new` makes a crate that passes `cargo test`, `plugin test`, and reports in `assess`.
#[test]
fn scaffolded_pack_builds_tests_and_reports() {
    let dir = tempfile::tempdir().unwrap();
    let pack_dir = dir.path().join("acme-check");
    let output = qready(&[
        "plugin",
        "new",
        "acme-check",
        "--path",
        &pack_dir.display().to_string(),
    ]);
    assert!(
        output.status.success(),
        "{}",
        String::from_utf8_lossy(&output.stderr)
    );

    let cargo = std::env::var_os("CARGO").unwrap_or_else(|| "cargo".into());
    let mut native = Command::new(&cargo);
    native.arg("test").current_dir(&pack_dir);
    clear_cargo_env(&mut native);
    let status = native.status().unwrap();
    assert!(status.success(), "cargo test failed in the scaffolded pack");

    let output = qready(&["plugin", "test", &pack_dir.display().to_string()]);
    let text = String::from_utf8_lossy(&output.stdout);
    assert!(
        output.status.success(),
        "{text}{}",
        String::from_utf8_lossy(&output.stderr)
    );
    assert!(text.contains("1 passed, 0 failed"), "{text}");

    // An admin enables the built pack by path in qready.toml.
    let wasm = pack_dir.join("target/wasm32-wasip2/release/acme_check.wasm");
    let config = format!(
        "[[pack]]\npath = {:?}\nversion = \"^0.1\"\n",
        wasm.display().to_string()
    );
    let estate = workspace().join("examples/estate");
    let report = assess_with_config(&config, &estate);
    let found = hits(&report, &estate);
    let sales = "qlikview/SalesDashboard-prj/LoadScript.txt";
    assert!(found.contains(&hit("ACME001", sales, 31)), "{found:?}");
}

/// `plugin test` fails and names the line when a fixture's expectation is not met.
#[test]
fn plugin_test_reports_missing_expectation() {
    let dir = tempfile::tempdir().unwrap();
    let fixtures = dir.path().join("fixtures");
    std::fs::create_dir_all(&fixtures).unwrap();
    std::fs::write(
        fixtures.join("wrong.qvs"),
        "LOAD * FROM [lib://Data/x.qvd] (qvd); // expect: ACME001\n",
    )
    .unwrap();
    let output = qready(&[
        "plugin",
        "test",
        &dir.path().display().to_string(),
        "--wasm",
        &fixture_pack().display().to_string(),
    ]);
    assert_eq!(output.status.code(), Some(1));
    let text = String::from_utf8(output.stdout).unwrap();
    assert!(text.contains("missing    ACME001 at line 1"), "{text}");
    assert!(text.contains("0 passed, 1 failed"), "{text}");
}

fn clear_cargo_env(command: &mut Command) {
    for (key, _) in std::env::vars_os() {
        let key = key.to_string_lossy().into_owned();
        if key.starts_with("CARGO_") && key != "CARGO_HOME" || key == "RUSTFLAGS" {
            command.env_remove(key);
        }
    }
}
