//! Helpers shared by the end-to-end tests: run the `qready` binary and read its JSON report.

#![allow(dead_code, reason = "each test binary uses a different subset")]

use std::path::{Path, PathBuf};
use std::process::{Command, Output};

use serde_json::Value;

/// Root of the workspace.
pub fn workspace() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR"))
        .parent()
        .expect("host/ sits in the workspace root")
        .to_owned()
}

/// Folder of real public Qlik files: `$QREADY_CORPUS`, else `shared/corpus` beside the checkout.
pub fn corpus() -> PathBuf {
    let dir = std::env::var_os("QREADY_CORPUS")
        .map(PathBuf::from)
        .unwrap_or_else(|| workspace().join("../shared/corpus"));
    assert!(
        dir.is_dir(),
        "the corpus of real Qlik files is expected at {} (set QREADY_CORPUS)",
        dir.display()
    );
    dir
}

/// Compile cache shared by the tests of one build, so each pack compiles once.
pub fn cache_dir() -> PathBuf {
    Path::new(env!("CARGO_TARGET_TMPDIR")).join("qready-cache")
}

/// Runs `qready` with `args` in `dir`.
pub fn qready_in(dir: &Path, args: &[&str]) -> Output {
    Command::new(env!("CARGO_BIN_EXE_qready"))
        .args(args)
        .current_dir(dir)
        .env("QREADY_CACHE_DIR", cache_dir())
        .env_remove("QREADY_LOG")
        .output()
        .expect("failed to run qready")
}

/// Runs `qready` with `args` in the workspace root.
pub fn qready(args: &[&str]) -> Output {
    qready_in(&workspace(), args)
}

/// Runs `qready assess --format json` on `paths` plus `extra` arguments and parses the report.
pub fn assess_json(paths: &[&Path], extra: &[&str]) -> Value {
    let mut args: Vec<String> = vec!["assess".into(), "--format".into(), "json".into()];
    args.extend(paths.iter().map(|p| p.display().to_string()));
    args.extend(extra.iter().map(|s| s.to_string()));
    let args: Vec<&str> = args.iter().map(String::as_str).collect();
    let output = qready(&args);
    assert!(
        output.status.success(),
        "qready {args:?} failed with {}: {}",
        output.status,
        String::from_utf8_lossy(&output.stderr)
    );
    serde_json::from_slice(&output.stdout).expect("the JSON report parses")
}

/// Runs `qready assess --format json` on the estate folder `root` with `config`, or with the
/// estate's own `qready.toml` when `config` is `None` and the file exists, and parses the report.
pub fn assess_estate(root: &Path, config: Option<&Path>) -> Value {
    let own = root.join("qready.toml");
    let config = config.or(own.is_file().then_some(own.as_path()));
    let mut args = vec![
        "assess".to_owned(),
        "--format".to_owned(),
        "json".to_owned(),
    ];
    if let Some(config) = config {
        args.push("--config".to_owned());
        args.push(config.display().to_string());
    }
    args.push(root.display().to_string());
    let args: Vec<&str> = args.iter().map(String::as_str).collect();
    let output = qready(&args);
    assert!(
        output.status.success(),
        "qready {args:?} failed with {}: {}",
        output.status,
        String::from_utf8_lossy(&output.stderr)
    );
    serde_json::from_slice(&output.stdout).expect("the JSON report parses")
}

/// A finding reduced to what tests compare: rule code, file name and line.
#[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord)]
pub struct Hit {
    pub code: String,
    pub file: String,
    pub line: u64,
}

/// Every finding of a report as a [`Hit`], with the file's path relative to `root`.
pub fn hits(report: &Value, root: &Path) -> Vec<Hit> {
    let root = root.display().to_string();
    report["findings"]
        .as_array()
        .expect("findings is an array")
        .iter()
        .filter_map(|finding| {
            let location = finding.get("location").filter(|l| !l.is_null())?;
            let file = location["file"].as_str()?;
            let file = file
                .strip_prefix(&root)
                .unwrap_or(file)
                .trim_start_matches('/')
                .to_owned();
            Some(Hit {
                code: finding["rule"]["code"].as_str()?.to_owned(),
                file,
                line: location["line"].as_u64()?,
            })
        })
        .collect()
}

/// Builds a `hit` for comparisons.
pub fn hit(code: &str, file: &str, line: u64) -> Hit {
    Hit {
        code: code.to_owned(),
        file: file.to_owned(),
        line,
    }
}

/// Builds a stand-alone pack crate for `wasm32-wasip2` into a folder of the test target and
/// returns the component's path. `features` are passed to cargo.
pub fn build_pack(crate_dir: &str, lib_name: &str, features: &[&str]) -> PathBuf {
    let manifest = workspace().join(crate_dir).join("Cargo.toml");
    let flavour = if features.is_empty() {
        "default".to_owned()
    } else {
        features.join("-")
    };
    let target_dir = Path::new(env!("CARGO_TARGET_TMPDIR"))
        .join("packs")
        .join(lib_name)
        .join(flavour);
    let cargo = std::env::var_os("CARGO").unwrap_or_else(|| "cargo".into());
    let mut command = Command::new(cargo);
    command
        .args([
            "build",
            "--release",
            "--locked",
            "--target",
            "wasm32-wasip2",
        ])
        .arg("--manifest-path")
        .arg(&manifest)
        .arg("--target-dir")
        .arg(&target_dir);
    if !features.is_empty() {
        command.arg("--features").arg(features.join(","));
    }
    // The test's own build settings describe the host target, not the guest.
    for (key, _) in std::env::vars_os() {
        let key = key.to_string_lossy().into_owned();
        if key.starts_with("CARGO_") && key != "CARGO_HOME" || key == "RUSTFLAGS" {
            command.env_remove(key);
        }
    }
    let status = command.status().expect("failed to run cargo");
    assert!(status.success(), "building {crate_dir} failed");
    target_dir
        .join("wasm32-wasip2/release")
        .join(format!("{lib_name}.wasm"))
}
