//! `docs/rules.md` is generated from the rule declarations of the first-party packs, as `qready
//! rules list --format json` reports them; this test fails when the two differ. Regenerate with
//! `QREADY_UPDATE_DOCS=1 cargo test -p qready --test rules_docs`.
//!
//! The other tests here check the declarations themselves: every field filled in, codes unique,
//! and every rule exercised by at least one fixture that expects it.

mod common;

use std::collections::BTreeSet;
use std::fmt::Write as _;

use common::{qready, workspace};
use serde_json::Value;

/// The packs and rules `qready rules list --format json` reports for the built-in packs.
fn catalogue() -> Vec<Value> {
    let output = qready(&["rules", "list", "--format", "json"]);
    assert!(
        output.status.success(),
        "{}",
        String::from_utf8_lossy(&output.stderr)
    );
    serde_json::from_slice::<Value>(&output.stdout)
        .unwrap()
        .as_array()
        .unwrap()
        .clone()
}

fn rules(catalogue: &[Value]) -> Vec<&Value> {
    catalogue
        .iter()
        .flat_map(|pack| pack["rules"].as_array().unwrap())
        .collect()
}

fn text<'a>(rule: &'a Value, key: &str) -> &'a str {
    rule[key].as_str().unwrap_or_default()
}

/// Renders the catalogue as Markdown: a summary table, then each pack's rules in full.
fn render(catalogue: &[Value]) -> String {
    let mut out = String::new();
    let _ = writeln!(out, "# Rules\n");
    let _ = writeln!(
        out,
        "Generated from the `Rule` declarations of the first-party packs in `plugins/`; edit \
         them there, not this file. `qready rules list` and `qready rules explain CODE` print \
         the same text.\n"
    );
    let _ = writeln!(
        out,
        "| code | name | severity | category | title |\n|---|---|---|---|---|"
    );
    for rule in rules(catalogue) {
        let _ = writeln!(
            out,
            "| [{code}](#{anchor}) | {} | {} | {} | {} |",
            text(rule, "name"),
            text(rule, "default_severity"),
            text(rule, "category"),
            text(rule, "title").replace('|', "\\|"),
            code = text(rule, "code"),
            anchor = text(rule, "code").to_lowercase(),
        );
    }
    out.push('\n');
    for pack in catalogue {
        let _ = writeln!(
            out,
            "## Pack `{}` {}\n\n{}\n",
            pack["id"].as_str().unwrap(),
            pack["version"].as_str().unwrap(),
            pack["description"].as_str().unwrap()
        );
        for rule in pack["rules"].as_array().unwrap() {
            let _ = writeln!(out, "### {}\n", text(rule, "code"));
            let _ = writeln!(out, "**{}**: {}\n", text(rule, "name"), text(rule, "title"));
            let _ = writeln!(
                out,
                "Default severity: {}. Category: {}. Estimated effort: {} minutes per app.\n",
                text(rule, "default_severity"),
                text(rule, "category"),
                rule["effort_minutes"]
            );
            let _ = writeln!(out, "{}\n", text(rule, "rationale"));
            let _ = writeln!(out, "How to fix it: {}\n", text(rule, "remediation"));
            let _ = writeln!(out, "Flagged:\n\n```\n{}\n```\n", text(rule, "bad_example"));
            let _ = writeln!(
                out,
                "Instead:\n\n```\n{}\n```\n",
                text(rule, "good_example")
            );
            let _ = writeln!(out, "Reference: <{}>\n", text(rule, "reference_url"));
        }
    }
    out.truncate(out.trim_end().len());
    out.push('\n');
    out
}

#[test]
fn rules_doc_is_current() {
    let rendered = render(&catalogue());
    let path = workspace().join("docs/rules.md");
    if std::env::var_os("QREADY_UPDATE_DOCS").is_some() {
        std::fs::write(&path, &rendered).unwrap();
    }
    let committed = std::fs::read_to_string(&path).unwrap_or_default();
    assert!(
        committed == rendered,
        "docs/rules.md is out of date; run QREADY_UPDATE_DOCS=1 cargo test -p qready --test \
         rules_docs"
    );
}

#[test]
fn every_rule_is_documented() {
    let catalogue = catalogue();
    let mut codes = BTreeSet::new();
    for rule in rules(&catalogue) {
        let code = text(rule, "code");
        assert!(
            codes.insert(code.to_owned()),
            "rule code {code} is declared twice"
        );
        for key in [
            "name",
            "title",
            "category",
            "rationale",
            "remediation",
            "reference_url",
            "bad_example",
            "good_example",
        ] {
            assert!(!text(rule, key).is_empty(), "rule {code} has no {key}");
        }
        assert!(
            rule["effort_minutes"].as_u64().unwrap() > 0,
            "rule {code} has no effort"
        );
        assert!(
            text(rule, "reference_url").starts_with("https://"),
            "rule {code} has no reference URL"
        );
    }
    let packs: Vec<&str> = catalogue
        .iter()
        .map(|p| p["id"].as_str().unwrap())
        .collect();
    for id in [
        "qready-core",
        "qready-security",
        "qready-app",
        "qready-governance",
        "qready-sizing",
    ] {
        assert!(packs.contains(&id), "pack {id} missing from {packs:?}");
    }
}

/// Codes that `expect:` annotations name anywhere under `dir`.
fn expected_codes(dir: &std::path::Path) -> BTreeSet<String> {
    let mut codes = BTreeSet::new();
    for entry in walkdir::WalkDir::new(dir) {
        let entry = entry.unwrap();
        if entry.file_type().is_file() {
            let text = String::from_utf8_lossy(&std::fs::read(entry.path()).unwrap()).into_owned();
            codes.extend(
                qready_plugin_sdk::testing::expectations(&text)
                    .into_iter()
                    .map(|(code, _)| code),
            );
        }
    }
    codes
}

#[test]
fn every_rule_has_a_positive_fixture() {
    let root = workspace();
    let mut covered = expected_codes(&root.join("tests/fixtures/estates"));
    for entry in std::fs::read_dir(root.join("plugins")).unwrap() {
        let fixtures = entry.unwrap().path().join("fixtures");
        if fixtures.is_dir() {
            covered.extend(expected_codes(&fixtures));
        }
    }
    let catalogue = catalogue();
    let missing: Vec<&str> = rules(&catalogue)
        .into_iter()
        .map(|rule| text(rule, "code"))
        .filter(|code| !covered.contains(*code))
        .collect();
    assert!(
        missing.is_empty(),
        "rules without a fixture that expects them: {missing:?}"
    );
}

#[test]
fn every_pack_has_a_negative_fixture() {
    for pack in ["core", "security", "app", "governance", "sizing"] {
        let dir = workspace().join("plugins").join(pack).join("fixtures");
        let clean = std::fs::read_dir(&dir)
            .unwrap()
            .map(|entry| entry.unwrap().path())
            .filter(|path| path.is_file())
            .map(|path| std::fs::read_to_string(path).unwrap())
            .any(|text| qready_plugin_sdk::testing::expectations(&text).is_empty());
        assert!(
            clean,
            "{} has no fixture that expects nothing",
            dir.display()
        );
    }
}
