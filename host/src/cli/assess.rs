//! `qready assess`.

use std::io::{IsTerminal as _, Write as _};
use std::path::{Path, PathBuf};
use std::process::ExitCode;

use anyhow::{Context as _, bail};
use clap::ColorChoice;
use indicatif::{ProgressBar, ProgressDrawTarget, ProgressStyle};
use qready::assess::{AssessOptions, Assessment, Progress, assess_with_progress};
use qready::finding::Severity;
use qready::report::baseline::Baseline;
use qready::report::history::History;
use qready::report::{self, ReportFormat};

use super::setup::{assess_options, setup};
use super::{PackArgs, write_output};

#[derive(Debug, clap::Args)]
pub struct AssessArgs {
    /// Folders or script files (`.qvs`, QlikView `LoadScript.txt`) to assess.
    #[arg(required = true)]
    paths: Vec<PathBuf>,

    /// Report format; repeat with --output-dir to write several.
    #[arg(long = "format", value_enum, value_name = "FORMAT")]
    formats: Vec<FormatArg>,

    /// Write the report to this file instead of standard output (one format only).
    #[arg(long, short, value_name = "FILE", conflicts_with = "output_dir")]
    output: Option<PathBuf>,

    /// Write each format into this folder, under fixed names (report.html, apps.csv...).
    #[arg(long, value_name = "DIR")]
    output_dir: Option<PathBuf>,

    /// Colour in the text report on standard output; `auto` colours a terminal unless
    /// NO_COLOR is set.
    #[arg(long, value_enum, default_value_t = ColorChoice::Auto, value_name = "WHEN")]
    color: ColorChoice,

    /// Hide findings whose fingerprints this baseline file lists.
    #[arg(long, value_name = "FILE")]
    baseline: Option<PathBuf>,

    /// Write the fingerprints of every finding of this run to a baseline file.
    #[arg(long, value_name = "FILE")]
    write_baseline: Option<PathBuf>,

    /// SQLite file of earlier runs: report what was fixed since the last one, and record this
    /// run. Created when missing.
    #[arg(long, value_name = "FILE")]
    history: Option<PathBuf>,

    /// Exit with code 1 when a listed finding has this severity or a higher one.
    #[arg(long, value_enum, value_name = "SEVERITY")]
    fail_on: Option<SeverityArg>,

    /// Days of usage logs to count, back from now; overrides `[input] usage-window-days`.
    #[arg(long, value_name = "DAYS")]
    usage_window: Option<u32>,

    #[command(flatten)]
    packs: PackArgs,
}

/// A report format on the command line.
#[derive(Debug, Clone, Copy, PartialEq, Eq, clap::ValueEnum)]
enum FormatArg {
    Text,
    #[value(alias = "md")]
    Markdown,
    Json,
    Sarif,
    Csv,
    Html,
}

impl From<FormatArg> for ReportFormat {
    fn from(format: FormatArg) -> Self {
        match format {
            FormatArg::Text => ReportFormat::Text,
            FormatArg::Markdown => ReportFormat::Markdown,
            FormatArg::Json => ReportFormat::Json,
            FormatArg::Sarif => ReportFormat::Sarif,
            FormatArg::Csv => ReportFormat::Csv,
            FormatArg::Html => ReportFormat::Html,
        }
    }
}

/// A finding severity on the command line.
#[derive(Debug, Clone, Copy, PartialEq, Eq, clap::ValueEnum)]
enum SeverityArg {
    Info,
    Warning,
    Blocker,
}

impl From<SeverityArg> for Severity {
    fn from(severity: SeverityArg) -> Self {
        match severity {
            SeverityArg::Info => Severity::Info,
            SeverityArg::Warning => Severity::Warning,
            SeverityArg::Blocker => Severity::Blocker,
        }
    }
}

pub fn run(args: AssessArgs) -> anyhow::Result<ExitCode> {
    let formats = requested_formats(&args)?;
    let setup = setup(&args.packs)?;
    let ansi = setup.config.ansi_code_page(&setup.config_path)?;
    let options = assess_options(
        setup.config,
        setup.packs,
        &args.paths,
        ansi,
        args.usage_window,
    );
    let mut assessment = assess_with_bar(&setup.runtime, &options);

    if let Some(path) = &args.write_baseline {
        Baseline::of(&assessment.findings).write(path)?;
    }
    if let Some(path) = &args.history {
        let recorded_at = chrono::Utc::now().to_rfc3339_opts(chrono::SecondsFormat::Secs, true);
        let summary = History::open(path)?.record(&assessment, &recorded_at)?;
        assessment.history = Some(summary);
    }
    if let Some(path) = &args.baseline {
        Baseline::read(path)?.apply(&mut assessment, path);
    }

    match &args.output_dir {
        Some(dir) => write_folder(dir, &formats, &assessment)?,
        None => write_single(formats[0], &args, &assessment)?,
    }

    // A pack that was asked for and did not load (a missing file, a changed hash, an
    // incompatible build) leaves its rules unchecked, so a report without them must not pass.
    let not_loaded: Vec<&str> = assessment
        .diagnostics
        .iter()
        .filter(|d| d.not_loaded)
        .map(|d| d.pack.as_str())
        .collect();
    if !not_loaded.is_empty() {
        eprintln!(
            "error: {} pack(s) failed to load, so their rules did not run: {}; see the report's diagnostics",
            not_loaded.len(),
            not_loaded.join(", ")
        );
        return Ok(ExitCode::from(2));
    }
    let failed = args
        .fail_on
        .is_some_and(|threshold| report::has_findings_at_or_above(&assessment, threshold.into()));
    Ok(if failed {
        ExitCode::from(1)
    } else {
        ExitCode::SUCCESS
    })
}

/// Collects the formats to write, without repeats, or text when none is given. Rejects several
/// formats, or CSV, without an output folder.
fn requested_formats(args: &AssessArgs) -> anyhow::Result<Vec<ReportFormat>> {
    let mut formats: Vec<ReportFormat> = Vec::new();
    for format in &args.formats {
        let format = ReportFormat::from(*format);
        if !formats.contains(&format) {
            formats.push(format);
        }
    }
    if formats.is_empty() {
        formats.push(ReportFormat::Text);
    }
    if args.output_dir.is_none() {
        if formats.len() > 1 {
            bail!("several --format values need --output-dir, which writes one file per format");
        }
        if formats[0] == ReportFormat::Csv {
            bail!("--format csv writes one file per table; give --output-dir");
        }
    }
    Ok(formats)
}

/// Runs the assessment with a progress bar on standard error, hidden when standard error is
/// not a terminal.
fn assess_with_bar(runtime: &qready::runtime::Runtime, options: &AssessOptions) -> Assessment {
    let target = if std::io::stderr().is_terminal() {
        ProgressDrawTarget::stderr()
    } else {
        ProgressDrawTarget::hidden()
    };
    let bar = ProgressBar::with_draw_target(None, target);
    // A spinner while the estate is read, since its size is not known yet.
    bar.set_style(
        ProgressStyle::with_template("{spinner} {msg}").expect("the spinner template is valid"),
    );
    bar.enable_steady_tick(std::time::Duration::from_millis(120));
    let style = ProgressStyle::with_template("{spinner} {msg} [{bar:30}] {pos}/{len} apps")
        .expect("the progress template is valid")
        .progress_chars("=> ");
    let assessment = assess_with_progress(runtime, options, &mut |progress| match progress {
        Progress::ReadingEstate => bar.set_message("reading the estate"),
        Progress::CheckingApps { done, total } => {
            if bar.length().is_none() {
                bar.set_style(style.clone());
                bar.set_length(total as u64);
                bar.set_message("checking apps");
            }
            bar.set_position(done as u64);
        }
        Progress::Summarizing => bar.set_message("summarizing"),
    });
    bar.finish_and_clear();
    assessment
}

fn write_single(
    format: ReportFormat,
    args: &AssessArgs,
    assessment: &Assessment,
) -> anyhow::Result<()> {
    if format == ReportFormat::Text && args.output.is_none() {
        return write_text_to_stdout(assessment, args.color);
    }
    let files = report::render_files(format, assessment)?;
    let text = String::from_utf8(files.into_iter().next().map_or_else(Vec::new, |f| f.bytes))
        .context("a rendered report is not UTF-8")?;
    write_output(args.output.as_deref(), &text)
}

fn write_text_to_stdout(assessment: &Assessment, color: ColorChoice) -> anyhow::Result<()> {
    let stdout = std::io::stdout();
    let choice = match color {
        ColorChoice::Always => anstream::ColorChoice::Always,
        ColorChoice::Never => anstream::ColorChoice::Never,
        ColorChoice::Auto => anstream::AutoStream::choice(&stdout),
    };
    let styled = choice != anstream::ColorChoice::Never;
    let text = report::render_text_styled(assessment, styled);
    let mut stream = anstream::AutoStream::new(stdout.lock(), choice);
    stream.write_all(text.as_bytes())?;
    stream.flush()?;
    Ok(())
}

fn write_folder(
    dir: &Path,
    formats: &[ReportFormat],
    assessment: &Assessment,
) -> anyhow::Result<()> {
    std::fs::create_dir_all(dir)
        .with_context(|| format!("failed to create folder '{}'", dir.display()))?;
    for &format in formats {
        for file in report::render_files(format, assessment)? {
            let path = dir.join(file.name);
            std::fs::write(&path, &file.bytes)
                .with_context(|| format!("failed to write '{}'", path.display()))?;
            tracing::info!(path = %path.display(), "report written");
        }
    }
    Ok(())
}
