//! The `qready` command line.

use std::io::Write as _;
use std::path::PathBuf;
use std::process::ExitCode;

use anyhow::Context as _;
use clap::{Parser, Subcommand, ValueEnum};

use qready::assess::{AssessOptions, assess};
use qready::config::Config;
use qready::ingest::IngestOptions;
use qready::report;
use qready::runtime::{Limits, PackSource, Runtime, builtin_packs};

/// Assess QlikView and Qlik Sense apps for a move to Qlik Cloud.
#[derive(Debug, Parser)]
#[command(name = "qready", version, about)]
struct Cli {
    #[command(subcommand)]
    command: Command,
}

#[derive(Debug, Subcommand)]
enum Command {
    /// Assess the apps in folders or script files and report what blocks Qlik Cloud.
    Assess(AssessArgs),
}

#[derive(Debug, clap::Args)]
struct AssessArgs {
    /// Folders or script files (`.qvs`, QlikView `LoadScript.txt`) to assess.
    #[arg(required = true)]
    paths: Vec<PathBuf>,

    /// Report format.
    #[arg(long, value_enum, default_value_t = Format::Text)]
    format: Format,

    /// Write the report to this file instead of standard output.
    #[arg(long, short)]
    output: Option<PathBuf>,

    /// Configuration file; defaults to `qready.toml` in the current folder when it exists.
    #[arg(long)]
    config: Option<PathBuf>,

    /// Load an extra pack (`.wasm` component); may be repeated.
    #[arg(long = "pack", value_name = "WASM")]
    packs: Vec<PathBuf>,

    /// Do not run the first-party packs built into qready.
    #[arg(long)]
    no_builtin_packs: bool,

    /// Folder for compiled packs; defaults to `$QREADY_CACHE_DIR` or `~/.cache/qready`.
    #[arg(long, value_name = "DIR")]
    cache_dir: Option<PathBuf>,

    /// Compile every pack from scratch and write no cache.
    #[arg(long, conflicts_with = "cache_dir")]
    no_cache: bool,
}

#[derive(Debug, Clone, Copy, ValueEnum)]
enum Format {
    Text,
    Json,
}

fn main() -> ExitCode {
    init_logging();
    let cli = Cli::parse();
    let result = match cli.command {
        Command::Assess(args) => run_assess(args),
    };
    match result {
        Ok(()) => ExitCode::SUCCESS,
        Err(error) => {
            if is_broken_pipe(&error) {
                return ExitCode::SUCCESS;
            }
            eprintln!("error: {error:#}");
            ExitCode::from(2)
        }
    }
}

/// Logs go to stderr, filtered by `QREADY_LOG` (for example `QREADY_LOG=debug`); off by default.
fn init_logging() {
    let filter = tracing_subscriber::EnvFilter::try_from_env("QREADY_LOG")
        .unwrap_or_else(|_| tracing_subscriber::EnvFilter::new("off"));
    tracing_subscriber::fmt()
        .with_env_filter(filter)
        .with_writer(std::io::stderr)
        .init();
}

fn run_assess(args: AssessArgs) -> anyhow::Result<()> {
    let config = load_config(args.config.as_deref())?;
    let config_path = args.config.clone().unwrap_or_else(|| PathBuf::from("qready.toml"));
    let ansi = config.ansi_code_page(&config_path)?;

    let mut limits = Limits::default();
    if let Some(ms) = config.limits.call_timeout_ms {
        limits.call_timeout = std::time::Duration::from_millis(ms);
    }
    if let Some(mib) = config.limits.memory_mib {
        limits.memory_bytes = mib * 1024 * 1024;
    }

    let cache_dir = if args.no_cache {
        None
    } else {
        args.cache_dir
            .clone()
            .or_else(qready::runtime::default_cache_dir)
    };
    let runtime = Runtime::new(limits, cache_dir.as_deref())?;

    let mut packs = Vec::new();
    if !args.no_builtin_packs {
        packs.extend(builtin_packs());
    }
    packs.extend(config.pack_paths().into_iter().map(PackSource::File));
    packs.extend(args.packs.iter().cloned().map(PackSource::File));

    let options = AssessOptions {
        inputs: args.paths.clone(),
        ingest: IngestOptions { ansi },
        packs,
    };
    let assessment = assess(&runtime, &options);
    let rendered = match args.format {
        Format::Text => report::render_text(&assessment),
        Format::Json => report::render_json(&assessment),
    };
    write_output(args.output.as_deref(), &rendered)
}

fn load_config(path: Option<&std::path::Path>) -> anyhow::Result<Config> {
    match path {
        Some(path) => Ok(Config::load(path)?),
        None => {
            let default = std::path::Path::new("qready.toml");
            if default.is_file() {
                Ok(Config::load(default)?)
            } else {
                Ok(Config::default())
            }
        }
    }
}

fn write_output(path: Option<&std::path::Path>, text: &str) -> anyhow::Result<()> {
    match path {
        Some(path) => std::fs::write(path, text)
            .with_context(|| format!("failed to write report '{}'", path.display())),
        None => {
            let mut stdout = std::io::stdout().lock();
            stdout.write_all(text.as_bytes())?;
            stdout.flush()?;
            Ok(())
        }
    }
}

fn is_broken_pipe(error: &anyhow::Error) -> bool {
    error
        .downcast_ref::<std::io::Error>()
        .is_some_and(|e| e.kind() == std::io::ErrorKind::BrokenPipe)
}
