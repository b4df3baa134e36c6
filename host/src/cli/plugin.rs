//! `qready plugin new`, `test` and `inspect`: the pack author's workflow.

use std::fmt::Write as _;
use std::path::{Path, PathBuf};
use std::process::{Command, ExitCode};

use anyhow::{Context as _, bail};
use qready::assess::{AssessOptions, assess};
use qready::ingest::IngestOptions;
use qready::runtime::{PackRequest, PackSource};

use super::PackArgs;
use super::setup::setup;

#[derive(Debug, clap::Subcommand)]
pub enum PluginCommand {
    /// Create a pack crate that builds and passes its tests as it is.
    New {
        /// Name of the pack and its crate, in kebab case, such as `acme-rules`.
        name: String,
        /// Folder to create the crate in; defaults to a folder named after the pack.
        #[arg(long)]
        path: Option<PathBuf>,
        /// Path of the qready-plugin-sdk crate to depend on; defaults to the SDK this qready was
        /// built from, when its source is still there.
        #[arg(long, value_name = "DIR")]
        sdk: Option<PathBuf>,
    },
    /// Build a pack and run it over its fixtures, comparing findings with `expect:` comments.
    Test {
        /// The pack's crate folder, with fixtures in `fixtures/`.
        dir: PathBuf,
        /// Use this component instead of building the crate.
        #[arg(long, value_name = "WASM")]
        wasm: Option<PathBuf>,
        #[command(flatten)]
        packs: PackArgs,
    },
    /// Print a component's versions, imports, exports and rules.
    Inspect {
        /// The `.wasm` component.
        file: PathBuf,
        #[command(flatten)]
        packs: PackArgs,
    },
}

pub fn run(command: PluginCommand) -> anyhow::Result<ExitCode> {
    match command {
        PluginCommand::New { name, path, sdk } => new(&name, path, sdk),
        PluginCommand::Test { dir, wasm, packs } => test(&dir, wasm, &packs),
        PluginCommand::Inspect { file, packs } => inspect(&file, &packs),
    }
}

fn new(name: &str, path: Option<PathBuf>, sdk: Option<PathBuf>) -> anyhow::Result<ExitCode> {
    let valid = !name.is_empty()
        && name.starts_with(|c: char| c.is_ascii_lowercase())
        && name
            .chars()
            .all(|c| c.is_ascii_lowercase() || c.is_ascii_digit() || c == '-');
    if !valid {
        bail!(
            "invalid pack name '{name}': start with a lower-case letter and use lower-case \
             letters, digits and '-', such as acme-rules"
        );
    }
    if name.starts_with("qready") {
        bail!(
            "invalid pack name '{name}': names starting with 'qready' collide with qready's own \
             crates; use your organisation's name, such as acme-rules"
        );
    }
    let dir = path.unwrap_or_else(|| PathBuf::from(name));
    if dir.exists() {
        bail!("'{}' already exists", dir.display());
    }
    let sdk_dependency = sdk_dependency(sdk)?;
    let prefix: String = name
        .chars()
        .filter(char::is_ascii_alphabetic)
        .take(4)
        .collect::<String>()
        .to_ascii_uppercase();
    let files = [
        ("Cargo.toml", scaffold::cargo_toml(name, &sdk_dependency)),
        ("src/lib.rs", scaffold::lib_rs(name, &prefix)),
        ("fixtures/excel_sources.qvs", scaffold::fixture(&prefix)),
        ("README.md", scaffold::readme(name)),
        (".gitignore", "/target\n".to_owned()),
    ];
    for (relative, content) in files {
        let file = dir.join(relative);
        if let Some(parent) = file.parent() {
            std::fs::create_dir_all(parent)
                .with_context(|| format!("failed to create '{}'", parent.display()))?;
        }
        std::fs::write(&file, content)
            .with_context(|| format!("failed to write '{}'", file.display()))?;
    }
    println!("created pack '{name}' in {}", dir.display());
    println!("  cargo test                                 # run its rules natively");
    println!(
        "  qready plugin test {}            # run the component over its fixtures",
        dir.display()
    );
    Ok(ExitCode::SUCCESS)
}

/// The dependency line for the SDK: a path to `--sdk`, else to the SDK source this qready was
/// built from. The SDK is not published on crates.io, so a version alone cannot be resolved.
fn sdk_dependency(sdk: Option<PathBuf>) -> anyhow::Result<String> {
    let built_from = Path::new(env!("CARGO_MANIFEST_DIR")).join("../plugin-sdk");
    let path = match sdk {
        Some(path) => Some(path),
        None => built_from
            .join("Cargo.toml")
            .is_file()
            .then(|| built_from.clone()),
    };
    match path {
        Some(path) => {
            let absolute = std::fs::canonicalize(&path)
                .with_context(|| format!("SDK folder '{}' not found", path.display()))?;
            Ok(format!("{{ path = {:?} }}", absolute.display().to_string()))
        }
        None => bail!(
            "the plugin SDK source was not found at '{}', where this qready was built; pass \
             --sdk with the path of the plugin-sdk folder of the qready {} source",
            built_from.display(),
            env!("CARGO_PKG_VERSION")
        ),
    }
}

fn test(dir: &Path, wasm: Option<PathBuf>, args: &PackArgs) -> anyhow::Result<ExitCode> {
    let wasm = match wasm {
        Some(wasm) => wasm,
        None => build_pack(dir)?,
    };
    let fixtures = find_fixtures(&dir.join("fixtures"))?;
    if fixtures.is_empty() {
        bail!("no fixtures found in '{}'", dir.join("fixtures").display());
    }
    let mut setup = setup(args)?;
    setup.packs = vec![PackRequest::plain(PackSource::File(wasm.clone()))];
    let ansi = setup.config.ansi_code_page(&setup.config_path)?;

    let (mut passed, mut failed) = (0, 0);
    for fixture in &fixtures {
        let options = AssessOptions {
            inputs: vec![fixture.clone()],
            ingest: IngestOptions {
                ansi,
                ..IngestOptions::default()
            },
            packs: setup.packs.clone(),
            rules: Default::default(),
            routes: Default::default(),
        };
        let assessment = assess(&setup.runtime, &options);
        if let Some(diagnostic) = assessment.diagnostics.first() {
            println!("FAILED {}: {}", fixture.display(), diagnostic.message);
            failed += 1;
            continue;
        }
        let text = std::fs::read(fixture)
            .with_context(|| format!("failed to read '{}'", fixture.display()))?;
        let expected = qready_plugin_sdk::testing::expectations(&String::from_utf8_lossy(&text));
        let mut actual: Vec<(String, u32)> = assessment
            .findings
            .iter()
            .map(|f| {
                (
                    f.rule.code.clone(),
                    f.location.as_ref().map_or(0, |l| l.line),
                )
            })
            .collect();
        actual.sort();
        match compare(&expected, &actual) {
            None => {
                println!("ok     {}", fixture.display());
                passed += 1;
            }
            Some(report) => {
                println!("FAILED {}\n{report}", fixture.display());
                failed += 1;
            }
        }
    }
    println!("{passed} passed, {failed} failed");
    Ok(if failed == 0 {
        ExitCode::SUCCESS
    } else {
        ExitCode::from(1)
    })
}

/// Lists what is missing and what is unexpected, or `None` when both sides agree.
fn compare(expected: &[(String, u32)], actual: &[(String, u32)]) -> Option<String> {
    let mut report = String::new();
    for pair in expected.iter().filter(|p| !actual.contains(p)) {
        let _ = writeln!(report, "  missing    {} at line {}", pair.0, pair.1);
    }
    for pair in actual.iter().filter(|p| !expected.contains(p)) {
        let _ = writeln!(report, "  unexpected {} at line {}", pair.0, pair.1);
    }
    (!report.is_empty()).then_some(report)
}

fn find_fixtures(dir: &Path) -> anyhow::Result<Vec<PathBuf>> {
    let mut fixtures = Vec::new();
    if !dir.is_dir() {
        return Ok(fixtures);
    }
    for entry in walkdir::WalkDir::new(dir).sort_by_file_name() {
        let entry = entry.with_context(|| format!("failed to read '{}'", dir.display()))?;
        let is_script = entry
            .path()
            .extension()
            .is_some_and(|e| e.eq_ignore_ascii_case("qvs"));
        if entry.file_type().is_file() && is_script {
            fixtures.push(entry.into_path());
        }
    }
    Ok(fixtures)
}

/// Builds the crate in `dir` for `wasm32-wasip2` and returns the component's path.
fn build_pack(dir: &Path) -> anyhow::Result<PathBuf> {
    let manifest = dir.join("Cargo.toml");
    let text = std::fs::read_to_string(&manifest)
        .with_context(|| format!("failed to read '{}'", manifest.display()))?;
    let parsed: toml::Table = toml::from_str(&text)
        .with_context(|| format!("failed to parse '{}'", manifest.display()))?;
    let Some(name) = parsed
        .get("package")
        .and_then(|p| p.get("name"))
        .and_then(|n| n.as_str())
    else {
        bail!("'{}' has no [package] name", manifest.display());
    };
    let target_dir = dir.join("target");
    let status = Command::new("cargo")
        .args(["build", "--release", "--target", "wasm32-wasip2"])
        .arg("--manifest-path")
        .arg(&manifest)
        .arg("--target-dir")
        .arg(&target_dir)
        .status()
        .context("failed to run cargo")?;
    if !status.success() {
        bail!("building the pack in '{}' failed ({status})", dir.display());
    }
    let wasm = target_dir
        .join("wasm32-wasip2/release")
        .join(format!("{}.wasm", name.replace('-', "_")));
    if !wasm.is_file() {
        bail!(
            "cargo built no '{}'; is the crate a cdylib?",
            wasm.display()
        );
    }
    Ok(wasm)
}

fn inspect(file: &Path, args: &PackArgs) -> anyhow::Result<ExitCode> {
    let setup = setup(args)?;
    let source = PackSource::File(file.to_owned());
    let inspection = setup.runtime.inspect(&source)?;
    let mut out = String::new();
    let _ = writeln!(out, "file:    {}", file.display());
    let _ = writeln!(out, "size:    {} bytes", inspection.size);
    let _ = writeln!(out, "sha256:  {}", inspection.sha256);
    match &inspection.stamp {
        Some(stamp) => {
            let _ = writeln!(out, "sdk:     {}", stamp.sdk);
            let _ = writeln!(out, "wit:     qready:plugin@{}", stamp.wit);
        }
        None => {
            let _ = writeln!(out, "sdk:     unknown (no version section)");
        }
    }
    let _ = writeln!(out, "imports:");
    for import in &inspection.imports {
        let _ = writeln!(out, "  {import}");
    }
    let _ = writeln!(out, "exports:");
    for export in &inspection.exports {
        let _ = writeln!(out, "  {export}");
    }
    match setup
        .runtime
        .load_pack(&PackRequest::plain(source), &Default::default())
    {
        Ok(pack) => {
            let _ = writeln!(
                out,
                "pack:    {} {}: {}",
                pack.info.id, pack.info.version, pack.info.description
            );
            let _ = writeln!(out, "rules:");
            for rule in &pack.info.rules {
                let severity = qready::finding::Severity::from(rule.default_severity);
                let _ = writeln!(
                    out,
                    "  {:<8} {:<8} {:<28} {}",
                    rule.code,
                    severity.as_str(),
                    rule.name,
                    rule.title
                );
            }
        }
        Err(error) => {
            let _ = writeln!(out, "pack:    does not load: {error}");
        }
    }
    super::write_output(None, &out)?;
    Ok(ExitCode::SUCCESS)
}

/// Text of the files `qready plugin new` writes.
mod scaffold {
    pub fn cargo_toml(name: &str, sdk: &str) -> String {
        format!(
            r#"[package]
name = "{name}"
version = "0.1.0"
edition = "2024"
publish = false

[lib]
# cdylib is the component qready loads; rlib lets `cargo test` run the rules natively.
crate-type = ["cdylib", "rlib"]

[dependencies]
qready-plugin-sdk = {sdk}

[profile.release]
strip = true

# A pack builds on its own, outside any other workspace.
[workspace]
"#
        )
    }

    pub fn lib_rs(name: &str, prefix: &str) -> String {
        format!(
            r#"//! The `{name}` rule pack for qready.
//!
//! Build the component with `cargo build --release --target wasm32-wasip2`; test the rules with
//! `cargo test`, and the component over `fixtures/` with `qready plugin test .`.

use qready_plugin_sdk::{{App, Findings, Pack, PluginError, Rule, Severity, SourceRole}};

/// Flags Excel workbooks read by the script.
pub const EXCEL_SOURCE: Rule = Rule {{
    code: "{prefix}001",
    name: "excel-source",
    title: "Script reads an Excel workbook",
    severity: Severity::Info,
    category: "script",
    rationale: "Workbooks kept on a desktop or share must move to a Qlik Cloud space before the \
                app can reload there.",
    remediation: "Upload the workbook to the space's DataFiles and read it through `lib://`.",
    effort_minutes: 10,
    reference_url: "https://help.qlik.com/en-US/cloud-services/Subsystems/Hub/Content/Sense_Hub/LoadData/data-files.htm",
    bad_example: "LOAD * FROM [C:\\Budget\\Plan.xlsx] (ooxml, embedded labels);",
    good_example: "LOAD * FROM [lib://Finance:DataFiles/Plan.xlsx] (ooxml, embedded labels);",
}};

#[derive(Debug, Default)]
pub struct ThisPack;

impl Pack for ThisPack {{
    const ID: &'static str = "{name}";
    const VERSION: &'static str = env!("CARGO_PKG_VERSION");
    const DESCRIPTION: &'static str = "Site-specific checks";
    const RULES: &'static [&'static Rule] = &[&EXCEL_SOURCE];

    fn check(&self, app: &App, findings: &mut Findings) -> Result<(), PluginError> {{
        let Some(script) = &app.script else {{
            return Ok(());
        }};
        findings.run(&EXCEL_SOURCE, |hits| {{
            for source in &script.sources {{
                let path = source.effective_path().to_ascii_lowercase();
                let excel = path.ends_with(".xlsx") || path.ends_with(".xls");
                if source.role == SourceRole::LoadFrom && excel {{
                    hits.report(format!("reads workbook '{{}}'", source.path))
                        .at(script, source.span);
                }}
            }}
            Ok(())
        }})
    }}
}}

qready_plugin_sdk::register_pack!(ThisPack);

#[cfg(test)]
mod tests {{
    use qready_plugin_sdk::assert_findings;
    use qready_plugin_sdk::testing::{{app_from_script, check}};

    use super::*;

    #[test]
    fn workbook_is_flagged() {{
        let app = app_from_script("LOAD * FROM [Plan.xlsx] (ooxml, embedded labels);\n");
        assert_findings!(check::<ThisPack>(&app), [("{prefix}001", 1)]);
    }}

    #[test]
    fn qvd_is_not_flagged() {{
        let app = app_from_script("LOAD * FROM [lib://Data/Plan.qvd] (qvd);\n");
        assert_findings!(check::<ThisPack>(&app), []);
    }}
}}
"#
        )
    }

    pub fn fixture(prefix: &str) -> String {
        format!(
            "// A line that must be flagged says so in a comment: expect: CODE.\n\
             Plan:\n\
             LOAD * FROM [C:\\Budget\\Plan.xlsx] (ooxml, embedded labels); // expect: {prefix}001\n\
             \n\
             Sales:\n\
             LOAD * FROM [lib://Finance:DataFiles/Sales.qvd] (qvd);\n"
        )
    }

    pub fn readme(name: &str) -> String {
        format!(
            "# {name}\n\nA qready rule pack.\n\n```sh\ncargo test                                  # rules, natively\n\
             cargo build --release --target wasm32-wasip2  # the component\nqready plugin test .                         # the component over fixtures/\n```\n"
        )
    }
}
