//! The partner plugin in `examples/partner-plugin` is built as a partner would build it, then
//! loaded by a flag and by a config file into the unchanged `qready` binary.

mod common;

use std::path::{Path, PathBuf};
use std::sync::OnceLock;

use common::{assess_json, build_pack, hit, hits, qready_in, workspace};

/// Builds the partner plugin once per test binary and returns its `.wasm` path.
fn partner_wasm() -> &'static Path {
    static WASM: OnceLock<PathBuf> = OnceLock::new();
    WASM.get_or_init(|| build_pack("examples/partner-plugin", "acme_site_rules", &[]))
}

#[test]
fn partner_pack_loads_by_flag() {
    let estate = workspace().join("examples/estate");
    let wasm = partner_wasm().display().to_string();
    let report = assess_json(&[&estate], &["--pack", &wasm]);
    let found = hits(&report, &estate);
    let sales = "qlikview/SalesDashboard-prj/LoadScript.txt";
    assert!(found.contains(&hit("ACME001", sales, 15)), "{found:?}");
    assert!(found.contains(&hit("ACME001", sales, 25)), "{found:?}");
    // The first-party pack still reports alongside it.
    assert!(found.contains(&hit("QC101", sales, 15)), "{found:?}");
    let packs: Vec<&str> = report["packs"]
        .as_array()
        .unwrap()
        .iter()
        .map(|p| p["id"].as_str().unwrap())
        .collect();
    assert_eq!(
        packs,
        [
            "qready-core",
            "qready-security",
            "qready-app",
            "qready-governance",
            "qready-sizing",
            "acme-site-rules"
        ]
    );
}

#[test]
fn partner_pack_loads_from_config() {
    let dir = tempfile::tempdir().unwrap();
    std::fs::write(
        dir.path().join("qready.toml"),
        format!(
            "[[pack]]\npath = {:?}\n",
            partner_wasm().display().to_string()
        ),
    )
    .unwrap();
    let estate = workspace().join("examples/estate");
    let output = qready_in(
        dir.path(),
        &[
            "assess",
            "--no-builtin-packs",
            &estate.display().to_string(),
        ],
    );
    assert!(
        output.status.success(),
        "{}",
        String::from_utf8_lossy(&output.stderr)
    );
    let text = String::from_utf8(output.stdout).unwrap();
    assert!(
        text.contains("assessed with acme-site-rules 0.1.0"),
        "{text}"
    );
    assert!(
        text.contains("LoadScript.txt:15:19: warning ACME001 [retired-file-server]"),
        "{text}"
    );
    assert!(!text.contains("QC101"), "{text}");
}

#[test]
fn disabled_partner_pack_does_not_run() {
    let dir = tempfile::tempdir().unwrap();
    std::fs::write(
        dir.path().join("qready.toml"),
        format!(
            "[[pack]]\npath = {:?}\nenabled = false\n",
            partner_wasm().display().to_string()
        ),
    )
    .unwrap();
    let estate = workspace().join("examples/estate");
    let output = qready_in(dir.path(), &["assess", &estate.display().to_string()]);
    let text = String::from_utf8(output.stdout).unwrap();
    assert!(!text.contains("ACME001"), "{text}");
}
