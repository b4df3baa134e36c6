//! `qready fix`: rewrites of load scripts for Qlik Cloud, as diffs or in place.

use std::fmt::Write as _;
use std::path::PathBuf;
use std::process::ExitCode;

use anyhow::Context as _;
use qready::fix::{FileProblem, FixPlan, Mapping, remaining::remaining_findings};

use super::setup::setup;
use super::{PackArgs, write_output};

/// Appended to a file's name for the copy of the original that `--write` keeps.
const BACKUP_SUFFIX: &str = ".qready-bak";

#[derive(Debug, clap::Args)]
pub struct FixArgs {
    /// Folders or script files; folders are searched for `.qvs` and `LoadScript.txt` files.
    #[arg(required = true)]
    paths: Vec<PathBuf>,

    /// TOML file that maps paths, connections and section access users to Qlik Cloud.
    #[arg(long, value_name = "FILE")]
    mapping: PathBuf,

    /// Print unified diffs of the rewrites and change no file (the default).
    #[arg(long, conflicts_with = "write")]
    diff: bool,

    /// Rewrite the files in place, after copying each original to `FILE.qready-bak`.
    #[arg(long)]
    write: bool,

    /// Do not assess the fixed scripts to list the findings that remain.
    #[arg(long)]
    no_assess: bool,

    #[command(flatten)]
    packs: PackArgs,
}

pub fn run(args: FixArgs) -> anyhow::Result<ExitCode> {
    let mapping = Mapping::load(&args.mapping)?;
    let setup = setup(&args.packs)?;
    let ansi = setup.config.ansi_code_page(&setup.config_path)?;
    let mut plan = qready::fix::plan(&args.paths, &mapping, ansi);

    let mut out = String::new();
    if args.write {
        let problems = qready::fix::write(&plan.files, BACKUP_SUFFIX);
        plan.files
            .retain(|file| !problems.iter().any(|p| p.path == file.path));
        for file in &plan.files {
            writeln!(
                out,
                "rewrote {} ({} changes, {}; original in {}{BACKUP_SUFFIX})",
                file.path.display(),
                file.changes.len(),
                file.encoding.name(),
                file.path.display()
            )?;
        }
        plan.problems.extend(problems);
    } else {
        for file in &plan.files {
            out.push_str(&qready::fix::unified_diff(file));
        }
    }
    write_summary(&mut out, &plan)?;

    if !args.no_assess {
        let options =
            super::setup::assess_options(setup.config, setup.packs, &args.paths, ansi, None);
        // After --write the files on disk are the fixed ones.
        let staged: &[qready::fix::FixedFile] = if args.write { &[] } else { &plan.files };
        let findings = remaining_findings(&setup.runtime, options, staged)
            .context("failed to assess the fixed scripts")?;
        writeln!(
            out,
            "\nFindings that remain for a person ({}):",
            findings.len()
        )?;
        for finding in &findings {
            let at = match &finding.location {
                Some(l) => format!("{}:{}:{}", l.file, l.line, l.column),
                None => format!("app {}", finding.app_id),
            };
            writeln!(out, "  {at} {} {}", finding.rule.code, finding.message)?;
        }
    }
    write_output(None, &out)?;
    for FileProblem { path, message } in &plan.problems {
        eprintln!("error: {}: {message}", path.display());
    }
    Ok(if plan.problems.is_empty() {
        ExitCode::SUCCESS
    } else {
        ExitCode::from(2)
    })
}

fn write_summary(out: &mut String, plan: &FixPlan) -> std::fmt::Result {
    let changes: usize = plan.files.iter().map(|f| f.changes.len()).sum();
    writeln!(
        out,
        "\n{changes} changes in {} of {} script files.",
        plan.files.len(),
        plan.scripts.len()
    )?;
    if plan.manual.is_empty() {
        return Ok(());
    }
    writeln!(out, "\nNot rewritten ({}):", plan.manual.len())?;
    for item in &plan.manual {
        writeln!(
            out,
            "  {}:{}:{} {} {}",
            item.file.display(),
            item.line,
            item.column,
            item.rule,
            item.reason
        )?;
    }
    Ok(())
}
