//! Argument parsing and the commands.

mod assess;
mod estate;
mod fix;
mod plugin;
mod rules;
mod script;
mod setup;

use std::path::PathBuf;
use std::process::ExitCode;

use clap::{Parser, Subcommand, ValueEnum};

/// Assess QlikView and Qlik Sense apps for a move to Qlik Cloud.
#[derive(Debug, Parser)]
#[command(name = "qready", version, about)]
pub struct Cli {
    #[command(subcommand)]
    command: Command,
}

#[derive(Debug, Subcommand)]
enum Command {
    /// Assess the apps in folders or script files and report what blocks Qlik Cloud.
    Assess(assess::AssessArgs),
    /// Rewrite load scripts for Qlik Cloud from a mapping file, as diffs or in place.
    Fix(fix::FixArgs),
    /// Inspect how qready parses a load script.
    Script {
        #[command(subcommand)]
        command: script::ScriptCommand,
    },
    /// Print the normalized estate model as JSON.
    Model(estate::ModelArgs),
    /// Pull the repository (QRS) exports of a live Qlik Sense site into a folder.
    Collect(estate::CollectArgs),
    /// Write a commented starter `qready.toml` in the current folder.
    Init {
        /// Replace an existing `qready.toml`.
        #[arg(long)]
        force: bool,
    },
    /// List or explain the rules of the enabled packs.
    Rules {
        #[command(subcommand)]
        command: rules::RulesCommand,
    },
    /// Create, test and inspect packs.
    Plugin {
        #[command(subcommand)]
        command: plugin::PluginCommand,
    },
}

/// Options shared by every command that loads packs.
#[derive(Debug, Clone, clap::Args)]
pub struct PackArgs {
    /// Configuration file; defaults to `qready.toml` in the current folder when it exists.
    #[arg(long, global = true)]
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

/// Output format of a report or listing.
#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
pub enum Format {
    Text,
    Json,
}

/// Runs the command and returns the process exit code.
pub fn run(cli: Cli) -> anyhow::Result<ExitCode> {
    match cli.command {
        Command::Assess(args) => assess::run(args),
        Command::Fix(args) => fix::run(args),
        Command::Script { command } => script::run(command),
        Command::Model(args) => estate::model(args),
        Command::Collect(args) => estate::collect_site(args),
        Command::Init { force } => init(force),
        Command::Rules { command } => rules::run(command),
        Command::Plugin { command } => plugin::run(command),
    }
}

fn init(force: bool) -> anyhow::Result<ExitCode> {
    let path = std::path::Path::new("qready.toml");
    if path.exists() && !force {
        anyhow::bail!("'qready.toml' already exists; use --force to replace it");
    }
    std::fs::write(path, qready::config::STARTER)
        .map_err(|e| anyhow::anyhow!("failed to write 'qready.toml': {e}"))?;
    println!("wrote qready.toml");
    Ok(ExitCode::SUCCESS)
}

/// Writes `text` to `path`, or to standard output.
pub fn write_output(path: Option<&std::path::Path>, text: &str) -> anyhow::Result<()> {
    use anyhow::Context as _;
    use std::io::Write as _;
    match path {
        Some(path) => std::fs::write(path, text)
            .with_context(|| format!("failed to write '{}'", path.display())),
        None => {
            let mut stdout = std::io::stdout().lock();
            stdout.write_all(text.as_bytes())?;
            stdout.flush()?;
            Ok(())
        }
    }
}
