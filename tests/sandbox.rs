//! Hostile packs, built as real components, are contained: each misbehaviour becomes a
//! diagnostic that names the pack, the rule and the app, and the first-party pack's findings on
//! the same apps stay complete.

mod common;

use std::path::{Path, PathBuf};
use std::sync::OnceLock;
use std::time::Duration;

use qready::assess::{AssessOptions, Assessment, assess};
use qready::config::RulesConfig;
use qready::ingest::IngestOptions;
use qready::runtime::{Limits, PackRequest, PackSource, Runtime, builtin_packs};

use common::{build_pack, cache_dir, workspace};

fn hostile_wasm() -> &'static Path {
    static WASM: OnceLock<PathBuf> = OnceLock::new();
    WASM.get_or_init(|| build_pack("tests/hostile-pack", "hostile_pack", &[]))
}

fn limits() -> Limits {
    Limits {
        call_timeout: Duration::from_millis(300),
        memory_bytes: 64 * 1024 * 1024,
        ..Limits::default()
    }
}

/// Runs the core pack and the hostile pack with `attack` over the example estate.
fn run_attack(attack: &str, wasm: &Path) -> Assessment {
    run_attack_with(attack, wasm, limits())
}

fn run_attack_with(attack: &str, wasm: &Path, limits: Limits) -> Assessment {
    let runtime = Runtime::new(limits, Some(&cache_dir())).unwrap();
    let mut rules = RulesConfig::default();
    let mut options = toml::Table::new();
    options.insert("attack".into(), attack.into());
    rules
        .options
        .insert("HOST001".into(), toml::Value::Table(options));
    let mut packs: Vec<PackRequest> = builtin_packs()
        .into_iter()
        .map(PackRequest::plain)
        .collect();
    packs.push(PackRequest::plain(PackSource::File(wasm.to_owned())));
    assess(
        &runtime,
        &AssessOptions {
            inputs: vec![workspace().join("examples/estate")],
            ingest: IngestOptions::default(),
            packs,
            rules,
            routes: Default::default(),
        },
    )
}

/// Codes and lines of the core pack's findings, which no hostile pack may disturb.
fn core_hits(assessment: &Assessment) -> Vec<(String, String, u32)> {
    assessment
        .findings
        .iter()
        .filter(|f| f.pack == "qready-core")
        .map(|f| {
            let location = f.location.as_ref().unwrap();
            (f.rule.code.clone(), location.file.clone(), location.line)
        })
        .collect()
}

fn baseline() -> &'static Vec<(String, String, u32)> {
    static BASELINE: OnceLock<Vec<(String, String, u32)>> = OnceLock::new();
    BASELINE.get_or_init(|| core_hits(&run_attack("none", hostile_wasm())))
}

/// Asserts that every app got a hostile diagnostic containing `cause` and naming rule HOST001,
/// and that the core findings are complete.
fn assert_contained(attack: &str, cause: &str) {
    let assessment = run_attack(attack, hostile_wasm());
    let hostile: Vec<_> = assessment
        .diagnostics
        .iter()
        .filter(|d| d.pack == "hostile")
        .collect();
    assert_eq!(
        hostile.len(),
        assessment.apps.len(),
        "{:#?}",
        assessment.diagnostics
    );
    for diagnostic in &hostile {
        assert!(diagnostic.app_id.is_some(), "{diagnostic:?}");
        assert!(diagnostic.message.contains(cause), "{diagnostic:?}");
        assert!(diagnostic.message.contains("HOST001"), "{diagnostic:?}");
    }
    assert_eq!(&core_hits(&assessment), baseline());
    assert!(!baseline().is_empty());
}

#[test]
fn infinite_loop_times_out() {
    assert_contained("loop", "timed out after 300 ms");
}

/// A blocking host call cannot be interrupted by the time limit, so sleeping traps at once.
#[test]
fn sleep_is_refused() {
    let started = std::time::Instant::now();
    assert_contained("sleep", "tried to sleep");
    assert!(
        started.elapsed() < Duration::from_secs(30),
        "{:?}",
        started.elapsed()
    );
}

#[test]
fn memory_bomb_hits_limit() {
    assert_contained("memory", "memory limit of 64 MiB");
}

/// Rust keeps its stack in linear memory, so running off it is an out-of-bounds access rather
/// than a wasm stack overflow.
#[test]
fn deep_recursion_is_contained() {
    assert_contained("recursion", "out of bounds memory access");
}

#[test]
fn panic_message_reaches_diagnostic() {
    assert_contained("panic", "the hostile pack gave up");
}

/// The SDK already stops one rule at 500 findings; the host's own cap applies to whatever a
/// pack returns, SDK or not.
#[test]
fn too_many_findings_are_capped() {
    let capped_limits = Limits {
        max_findings: 100,
        ..limits()
    };
    let assessment = run_attack_with("many-findings", hostile_wasm(), capped_limits);
    let kept = assessment
        .findings
        .iter()
        .filter(|f| f.pack == "hostile")
        .count();
    assert_eq!(kept, assessment.apps.len() * 100);
    let capped = assessment
        .diagnostics
        .iter()
        .filter(|d| d.message.contains("returned 501 findings"))
        .count();
    assert_eq!(
        capped,
        assessment.apps.len(),
        "{:#?}",
        assessment.diagnostics
    );
    assert_eq!(&core_hits(&assessment), baseline());
}

#[test]
fn huge_string_is_capped() {
    let assessment = run_attack("huge-string", hostile_wasm());
    assert!(assessment.findings.iter().all(|f| f.pack != "hostile"));
    let capped = assessment
        .diagnostics
        .iter()
        .filter(|d| d.message.contains("bytes of text"))
        .count();
    assert_eq!(capped, assessment.apps.len());
    assert_eq!(&core_hits(&assessment), baseline());
}

#[test]
fn files_are_not_reachable() {
    let assessment = run_attack("files", hostile_wasm());
    let messages: Vec<&str> = assessment
        .findings
        .iter()
        .filter(|f| f.pack == "hostile")
        .map(|f| f.message.as_str())
        .collect();
    assert_eq!(messages.len(), assessment.apps.len());
    for message in messages {
        assert_eq!(message, "root=denied passwd=denied cwd=/");
    }
}

/// The `qready` process has environment variables and arguments; the pack receives none of them.
#[test]
fn environment_is_empty() {
    let dir = tempfile::tempdir().unwrap();
    std::fs::write(
        dir.path().join("qready.toml"),
        format!(
            "[[pack]]\npath = {:?}\n[rules.options.HOST001]\nattack = \"environment\"\n",
            hostile_wasm().display().to_string()
        ),
    )
    .unwrap();
    let estate = workspace().join("examples/estate").display().to_string();
    let output = std::process::Command::new(env!("CARGO_BIN_EXE_qready"))
        .args(["assess", "--format", "json", &estate])
        .current_dir(dir.path())
        .env("QREADY_CACHE_DIR", cache_dir())
        .env("QREADY_CANARY_SECRET", "do-not-leak")
        .output()
        .unwrap();
    assert!(
        output.status.success(),
        "{}",
        String::from_utf8_lossy(&output.stderr)
    );
    let report: serde_json::Value = serde_json::from_slice(&output.stdout).unwrap();
    let messages: Vec<&str> = report["findings"]
        .as_array()
        .unwrap()
        .iter()
        .filter(|f| f["pack"] == "hostile")
        .map(|f| f["message"].as_str().unwrap())
        .collect();
    assert!(!messages.is_empty());
    for message in messages {
        assert_eq!(message, "vars=0 args=0");
    }
}

#[test]
fn plugin_error_is_reported() {
    assert_contained("error", "refusing politely");
}

#[test]
fn socket_importing_pack_is_rejected() {
    let wasm = build_pack("tests/hostile-pack", "hostile_pack", &["sockets"]);
    let assessment = run_attack("network", &wasm);
    let rejected: Vec<_> = assessment
        .diagnostics
        .iter()
        .filter(|d| d.app_id.is_none() && d.pack != "config")
        .collect();
    assert_eq!(rejected.len(), 1, "{:#?}", assessment.diagnostics);
    assert!(
        rejected[0].message.contains("wasi:sockets/"),
        "{rejected:?}"
    );
    assert_eq!(&core_hits(&assessment), baseline());
}

/// Loads bytes that are not a usable pack and returns the load error.
fn load_error(name: &str, bytes: &[u8]) -> String {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join(name);
    std::fs::write(&path, bytes).unwrap();
    let runtime = Runtime::new(limits(), None).unwrap();
    let request = PackRequest::plain(PackSource::File(path));
    match runtime.load_pack(&request, &RulesConfig::default()) {
        Ok(pack) => panic!("{name} loaded as pack {}", pack.id()),
        Err(error) => error.to_string(),
    }
}

#[test]
fn garbage_bytes_are_rejected() {
    let error = load_error("garbage.wasm", b"\x7fELF\x02\x01\x01 not wasm at all");
    assert!(error.contains("not a WebAssembly component"), "{error}");
    assert!(error.contains("garbage.wasm"), "{error}");
}

#[test]
fn core_module_is_rejected() {
    let module = wat::parse_str("(module (func (export \"check\")))").unwrap();
    let error = load_error("module.wasm", &module);
    assert!(error.contains("core module"), "{error}");
}

#[test]
fn component_of_wrong_world_is_rejected() {
    let component =
        wat::parse_str("(component (core module $m) (core instance (instantiate $m)))").unwrap();
    let error = load_error("empty.wasm", &component);
    assert!(
        error.contains("does not export the rule-pack world"),
        "{error}"
    );
}

#[test]
fn hash_pin_mismatch_is_rejected() {
    let runtime = Runtime::new(limits(), None).unwrap();
    let request = PackRequest {
        sha256: Some("0".repeat(64)),
        ..PackRequest::plain(PackSource::File(hostile_wasm().to_owned()))
    };
    let error = runtime
        .load_pack(&request, &RulesConfig::default())
        .err()
        .unwrap()
        .to_string();
    assert!(error.contains("configuration pins"), "{error}");
}

#[test]
fn version_requirement_is_enforced() {
    let runtime = Runtime::new(limits(), None).unwrap();
    let request = PackRequest {
        version: Some(semver::VersionReq::parse("^2").unwrap()),
        ..PackRequest::plain(PackSource::File(hostile_wasm().to_owned()))
    };
    let error = runtime
        .load_pack(&request, &RulesConfig::default())
        .err()
        .unwrap()
        .to_string();
    assert!(
        error.contains("is version 0.1.0, but the configuration requires ^2"),
        "{error}"
    );
}

/// Credentials in connection strings are masked before a pack receives the script.
#[test]
fn pack_never_sees_connection_secrets() {
    let assessment = run_attack("echo-script", hostile_wasm());
    let echoed: Vec<&str> = assessment
        .findings
        .iter()
        .filter(|f| f.pack == "hostile")
        .map(|f| f.message.as_str())
        .collect();
    assert!(echoed.iter().any(|text| text.contains("ODBC CONNECT TO")));
    for text in echoed {
        // The scrambled user id and password of the sales dashboard's ODBC CONNECT.
        assert!(!text.contains("JbTXDAVOFbZcWUEMXb"));
        assert!(!text.contains("aHYVFZDMTbZcWUEB"));
    }
}

/// A cache entry copied over another pack's entry is detected and that pack compiled afresh.
#[test]
fn swapped_cache_entry_is_not_used() {
    let cache = tempfile::tempdir().unwrap();
    let core = builtin_packs().remove(0);
    let hostile = PackSource::File(hostile_wasm().to_owned());
    let load = |source: &PackSource| {
        let runtime = Runtime::new(limits(), Some(cache.path())).unwrap();
        let pack = runtime
            .load_pack(&PackRequest::plain(source.clone()), &RulesConfig::default())
            .unwrap();
        pack.id().to_owned()
    };
    assert_eq!(load(&core), "qready-core");
    let entries_before: Vec<_> = std::fs::read_dir(cache.path())
        .unwrap()
        .map(|e| e.unwrap().path())
        .collect();
    assert_eq!(load(&hostile), "hostile");
    let hostile_entry = std::fs::read_dir(cache.path())
        .unwrap()
        .map(|e| e.unwrap().path())
        .find(|p| !entries_before.contains(p))
        .unwrap();
    std::fs::copy(&hostile_entry, &entries_before[0]).unwrap();
    assert_eq!(load(&core), "qready-core");
}
