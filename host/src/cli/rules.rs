//! `qready rules list` and `qready rules explain`: the documentation every pack declares.

use std::fmt::Write as _;
use std::process::ExitCode;

use qready::assess::{AssessOptions, load_packs};
use qready::ingest::IngestOptions;
use qready::runtime::{LoadedPack, wit_exports};

use super::setup::setup;
use super::{Format, PackArgs};

#[derive(Debug, clap::Subcommand)]
pub enum RulesCommand {
    /// List every rule of the enabled packs with its code, severity and title.
    List {
        #[arg(long, value_enum, default_value_t = Format::Text)]
        format: Format,
        #[command(flatten)]
        packs: PackArgs,
    },
    /// Print a rule's full documentation.
    Explain {
        /// Rule code, such as QC101.
        code: String,
        #[command(flatten)]
        packs: PackArgs,
    },
}

pub fn run(command: RulesCommand) -> anyhow::Result<ExitCode> {
    match command {
        RulesCommand::List { format, packs } => {
            let loaded = load(&packs)?;
            let text = match format {
                Format::Text => list_text(&loaded),
                Format::Json => list_json(&loaded),
            };
            super::write_output(None, &text)?;
            Ok(ExitCode::SUCCESS)
        }
        RulesCommand::Explain { code, packs } => {
            let loaded = load(&packs)?;
            // Codes are written in capitals, but `qready rules explain qc101` means the same rule.
            let found = loaded.iter().find_map(|pack| {
                let rule = pack.rule(&code).or_else(|| {
                    pack.info
                        .rules
                        .iter()
                        .find(|rule| rule.code.eq_ignore_ascii_case(&code))
                });
                rule.map(|r| (pack, r))
            });
            let Some((pack, rule)) = found else {
                anyhow::bail!("no loaded pack declares rule '{code}'; run `qready rules list`");
            };
            super::write_output(None, &explain(pack, rule))?;
            Ok(ExitCode::SUCCESS)
        }
    }
}

fn load(args: &PackArgs) -> anyhow::Result<Vec<LoadedPack>> {
    let setup = setup(args)?;
    let options = AssessOptions {
        inputs: Vec::new(),
        ingest: IngestOptions::default(),
        packs: setup.packs,
        rules: Default::default(),
        routes: Default::default(),
    };
    let mut diagnostics = Vec::new();
    let packs = load_packs(&setup.runtime, &options, &mut diagnostics);
    for diagnostic in diagnostics {
        eprintln!("warning: {}", diagnostic.message);
    }
    Ok(packs)
}

fn severity(rule: &wit_exports::RuleInfo) -> &'static str {
    qready::finding::Severity::from(rule.default_severity).as_str()
}

fn list_text(packs: &[LoadedPack]) -> String {
    let mut out = String::new();
    for pack in packs {
        let _ = writeln!(
            out,
            "{} {}: {}",
            pack.info.id, pack.info.version, pack.info.description
        );
        for rule in &pack.info.rules {
            let _ = writeln!(
                out,
                "  {:<8} {:<8} {:<10} {:<28} {}",
                rule.code,
                severity(rule),
                rule.category,
                rule.name,
                rule.title
            );
        }
        out.push('\n');
    }
    out
}

fn list_json(packs: &[LoadedPack]) -> String {
    let packs: Vec<serde_json::Value> = packs
        .iter()
        .map(|pack| {
            let rules: Vec<serde_json::Value> = pack
                .info
                .rules
                .iter()
                .map(|rule| {
                    serde_json::json!({
                        "code": rule.code,
                        "name": rule.name,
                        "title": rule.title,
                        "default_severity": severity(rule),
                        "category": rule.category,
                        "rationale": rule.rationale,
                        "remediation": rule.remediation,
                        "effort_minutes": rule.effort_minutes,
                        "reference_url": rule.reference_url,
                        "bad_example": rule.bad_example,
                        "good_example": rule.good_example,
                    })
                })
                .collect();
            serde_json::json!({
                "id": pack.info.id,
                "version": pack.info.version,
                "description": pack.info.description,
                "source": pack.source.display_name(),
                "rules": rules,
            })
        })
        .collect();
    let mut text = serde_json::to_string_pretty(&packs).expect("rule lists serialize");
    text.push('\n');
    text
}

/// Formats one rule's documentation as Markdown.
fn explain(pack: &LoadedPack, rule: &wit_exports::RuleInfo) -> String {
    let mut out = String::new();
    let _ = writeln!(out, "# {} {}: {}\n", rule.code, rule.name, rule.title);
    let _ = writeln!(
        out,
        "Pack: {} {}. Default severity: {}. Category: {}. Estimated effort: {} minutes.\n",
        pack.info.id,
        pack.info.version,
        severity(rule),
        rule.category,
        rule.effort_minutes
    );
    let _ = writeln!(out, "## Why it matters\n\n{}\n", rule.rationale);
    let _ = writeln!(out, "## How to fix it\n\n{}\n", rule.remediation);
    if !rule.bad_example.is_empty() {
        let _ = writeln!(out, "## Example\n\n```\n{}\n```\n", rule.bad_example);
    }
    if !rule.good_example.is_empty() {
        let _ = writeln!(out, "## Use instead\n\n```\n{}\n```\n", rule.good_example);
    }
    if !rule.reference_url.is_empty() {
        let _ = writeln!(out, "## Reference\n\n{}", rule.reference_url);
    }
    out
}
