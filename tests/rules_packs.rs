//! Each first-party pack passes its fixtures through the real component: `qready plugin test
//! plugins/<pack> --wasm <component>` with the component that `host/build.rs` embedded.

mod common;

use std::path::PathBuf;

use common::{qready, workspace};

/// The component `host/build.rs` built for a pack.
fn embedded_component(lib_name: &str) -> PathBuf {
    let target = std::env::var_os("QREADY_PACKS_TARGET_DIR")
        .map(PathBuf::from)
        .unwrap_or_else(|| workspace().join("target").join("packs"));
    let wasm = target
        .join("wasm32-wasip2/release")
        .join(format!("{lib_name}.wasm"));
    assert!(wasm.is_file(), "{} was not built", wasm.display());
    wasm
}

/// Runs `qready plugin test` on a pack's crate folder and returns its report.
fn plugin_test(folder: &str, lib_name: &str) -> String {
    let dir = workspace().join("plugins").join(folder);
    let wasm = embedded_component(lib_name);
    let output = qready(&[
        "plugin",
        "test",
        &dir.display().to_string(),
        "--wasm",
        &wasm.display().to_string(),
    ]);
    let text = String::from_utf8_lossy(&output.stdout).into_owned();
    assert!(
        output.status.success(),
        "fixtures of {folder} failed:\n{text}{}",
        String::from_utf8_lossy(&output.stderr)
    );
    assert!(text.contains(" passed, 0 failed"), "{text}");
    text
}

#[test]
fn core_fixtures_pass() {
    let text = plugin_test("core", "qready_pack_core");
    assert!(text.contains("16 passed"), "{text}");
}

#[test]
fn security_fixtures_pass() {
    let text = plugin_test("security", "qready_pack_security");
    assert!(text.contains("2 passed"), "{text}");
}

#[test]
fn app_fixtures_pass() {
    let text = plugin_test("app", "qready_pack_app");
    assert!(text.contains("2 passed"), "{text}");
}

#[test]
fn governance_fixtures_pass() {
    plugin_test("governance", "qready_pack_governance");
}

#[test]
fn sizing_fixtures_pass() {
    plugin_test("sizing", "qready_pack_sizing");
}
