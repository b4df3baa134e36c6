//! Native packs: the core pack built as a shared library finds what its WebAssembly build finds,
//! loads from a config entry with `native = true`, and libraries of another ABI or contract
//! version are rejected.

mod common;

use std::path::{Path, PathBuf};
use std::process::Command;
use std::sync::OnceLock;

use common::{qready_in, workspace};
use qready::config::RulesConfig;
use qready::ingest::{IngestOptions, read_estate};
use qready::runtime::{EstateView, Limits, PackRequest, PackSource, Runtime, builtin_packs};

/// Builds a crate for the host platform with cargo and returns the shared library's path.
fn build_library(manifest: &Path, args: &[&str], lib_name: &str, flavour: &str) -> PathBuf {
    let target_dir = Path::new(env!("CARGO_TARGET_TMPDIR"))
        .join("native-packs")
        .join(flavour);
    let cargo = std::env::var_os("CARGO").unwrap_or_else(|| "cargo".into());
    let mut command = Command::new(cargo);
    command
        .args(["build", "--release", "--locked", "--manifest-path"])
        .arg(manifest)
        .arg("--target-dir")
        .arg(&target_dir)
        .args(args);
    // The test's own build settings would rebuild the library with test flags.
    for (key, _) in std::env::vars_os() {
        let key = key.to_string_lossy().into_owned();
        if key.starts_with("CARGO_") && key != "CARGO_HOME" || key == "RUSTFLAGS" {
            command.env_remove(key);
        }
    }
    let status = command.status().expect("failed to run cargo");
    assert!(status.success(), "building {} failed", manifest.display());
    let file = format!(
        "{}{lib_name}{}",
        std::env::consts::DLL_PREFIX,
        std::env::consts::DLL_SUFFIX
    );
    target_dir.join("release").join(file)
}

/// Builds the core pack as a native library, once per test binary.
fn native_core() -> &'static Path {
    static LIBRARY: OnceLock<PathBuf> = OnceLock::new();
    LIBRARY.get_or_init(|| {
        build_library(
            &workspace().join("Cargo.toml"),
            &[
                "-p",
                "qready-pack-core",
                "--features",
                "qready-plugin-sdk/native",
            ],
            "qready_pack_core",
            "core",
        )
    })
}

fn mismatched(feature: &str) -> PathBuf {
    build_library(
        &workspace().join("tests/native-mismatch/Cargo.toml"),
        &["--features", feature],
        "native_mismatch",
        feature,
    )
}

fn load_error(source: PackSource) -> String {
    let runtime = Runtime::new(Limits::default(), None).unwrap();
    match runtime.load_pack(&PackRequest::plain(source), &RulesConfig::default()) {
        Ok(pack) => panic!("pack {} loaded", pack.id()),
        Err(error) => error.to_string(),
    }
}

#[test]
fn native_core_finds_what_wasm_finds() {
    let estate = read_estate(
        &[workspace().join("examples/estate")],
        &IngestOptions::default(),
    );
    let runtime = Runtime::new(Limits::default(), Some(&common::cache_dir())).unwrap();
    let rules = RulesConfig::default();
    let wasm_source = builtin_packs()
        .into_iter()
        .find(|source| source.display_name() == "builtin:core")
        .unwrap();
    let wasm = runtime
        .load_pack(&PackRequest::plain(wasm_source), &rules)
        .unwrap();
    let native = runtime
        .load_pack(
            &PackRequest::plain(PackSource::Native(native_core().to_owned())),
            &rules,
        )
        .unwrap();
    assert_eq!(native.id(), "qready-core");
    assert_eq!(native.info.rules.len(), wasm.info.rules.len());

    let view = EstateView::new(&estate);
    let (wasm_findings, wasm_diagnostics) =
        runtime.check_apps_in(std::slice::from_ref(&wasm), &view, &estate.apps);
    let (native_findings, native_diagnostics) =
        runtime.check_apps_in(std::slice::from_ref(&native), &view, &estate.apps);
    assert!(wasm_diagnostics.is_empty(), "{wasm_diagnostics:?}");
    assert!(native_diagnostics.is_empty(), "{native_diagnostics:?}");
    assert!(
        !wasm_findings.is_empty(),
        "the example estate has core findings"
    );
    assert_eq!(
        serde_json::to_value(&native_findings).unwrap(),
        serde_json::to_value(&wasm_findings).unwrap()
    );
}

#[test]
fn native_pack_loads_from_config() {
    let dir = tempfile::tempdir().unwrap();
    std::fs::write(
        dir.path().join("qready.toml"),
        format!(
            "[[pack]]\npath = {:?}\nnative = true\n",
            native_core().display().to_string()
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
    assert!(text.contains("assessed with qready-core"), "{text}");
    assert!(text.contains("QC101"), "{text}");
}

#[test]
fn native_connector_is_rejected() {
    let dir = tempfile::tempdir().unwrap();
    std::fs::write(
        dir.path().join("qready.toml"),
        "[[pack]]\npath = \"x.so\"\nkind = \"connector\"\nnative = true\n",
    )
    .unwrap();
    let estate = workspace().join("examples/estate");
    let output = qready_in(dir.path(), &["assess", &estate.display().to_string()]);
    assert_eq!(output.status.code(), Some(2));
    let stderr = String::from_utf8_lossy(&output.stderr);
    assert!(stderr.contains("only rule packs support"), "{stderr}");
}

#[test]
fn other_abi_version_is_rejected() {
    let error = load_error(PackSource::Native(mismatched("abi")));
    assert!(error.contains("uses native ABI version 99"), "{error}");
    assert!(error.contains("this qready loads version 1"), "{error}");
}

#[test]
fn other_contract_version_is_rejected() {
    let error = load_error(PackSource::Native(mismatched("contract")));
    assert!(
        error.contains("was built against contract qready:plugin@0.0.9"),
        "{error}"
    );
}

#[test]
fn component_is_not_a_native_library() {
    let wasm = workspace().join("tests/fixtures/packs");
    let component = std::fs::read_dir(&wasm)
        .unwrap()
        .map(|entry| entry.unwrap().path())
        .find(|path| path.extension().is_some_and(|e| e == "wasm"));
    let Some(component) = component else {
        panic!("no .wasm fixture in {}", wasm.display());
    };
    let error = load_error(PackSource::Native(component));
    assert!(
        error.contains("failed to load it as a native library"),
        "{error}"
    );
}
