//! `qready assess`.

use std::path::PathBuf;
use std::process::ExitCode;

use qready::assess::{AssessOptions, assess};
use qready::ingest::IngestOptions;
use qready::report;

use super::setup::setup;
use super::{Format, PackArgs, write_output};

#[derive(Debug, clap::Args)]
pub struct AssessArgs {
    /// Folders or script files (`.qvs`, QlikView `LoadScript.txt`) to assess.
    #[arg(required = true)]
    paths: Vec<PathBuf>,

    /// Report format.
    #[arg(long, value_enum, default_value_t = Format::Text)]
    format: Format,

    /// Write the report to this file instead of standard output.
    #[arg(long, short)]
    output: Option<PathBuf>,

    #[command(flatten)]
    packs: PackArgs,
}

pub fn run(args: AssessArgs) -> anyhow::Result<ExitCode> {
    let setup = setup(&args.packs)?;
    let ansi = setup.config.ansi_code_page(&setup.config_path)?;
    let options = AssessOptions {
        inputs: args.paths.clone(),
        ingest: IngestOptions { ansi, ..IngestOptions::default() },
        packs: setup.packs,
        rules: setup.config.rules,
    };
    let assessment = assess(&setup.runtime, &options);
    let rendered = match args.format {
        Format::Text => report::render_text(&assessment),
        Format::Json => report::render_json(&assessment),
    };
    write_output(args.output.as_deref(), &rendered)?;
    Ok(ExitCode::SUCCESS)
}
