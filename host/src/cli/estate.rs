//! `qready model` and `qready collect`: the estate model on its own, and pulling it from a live
//! Qlik Sense site.

use std::path::PathBuf;
use std::process::ExitCode;
use std::time::Duration;

use qready::ingest::collect::{CollectOptions, collect};
use qready::ingest::read_estate;

use super::write_output;

#[derive(Debug, clap::Args)]
pub struct ModelArgs {
    /// Folders or files of the estate.
    #[arg(required = true)]
    paths: Vec<PathBuf>,

    /// Code page of script files without byte-order mark that are not UTF-8 [default: the
    /// configuration's `[input] ansi-code-page`, else windows-1252].
    #[arg(long, value_name = "LABEL")]
    ansi_code_page: Option<String>,

    /// Configuration file to read `[input]` settings from [default: ./qready.toml].
    #[arg(long, value_name = "FILE")]
    config: Option<PathBuf>,

    /// Days of usage logs to count, back from now [default: the configuration's
    /// `[input] usage-window-days`, else 90].
    #[arg(long, value_name = "DAYS")]
    usage_window: Option<u32>,

    /// Write the model to this file instead of standard output.
    #[arg(long, short)]
    output: Option<PathBuf>,
}

pub fn model(args: ModelArgs) -> anyhow::Result<ExitCode> {
    let options = super::setup::ingest_options(
        args.config.as_deref(),
        args.ansi_code_page.as_deref(),
        args.usage_window,
    )?;
    let estate = read_estate(&args.paths, &options);
    let mut json = estate.to_json_pretty();
    json.push('\n');
    write_output(args.output.as_deref(), &json)?;
    Ok(ExitCode::SUCCESS)
}

#[derive(Debug, clap::Args)]
pub struct CollectArgs {
    /// Host name of the Qlik Sense central node.
    server: String,

    /// Folder to write the QRS exports to; `qready assess` reads it.
    #[arg(long, short)]
    output: PathBuf,

    /// PEM file with the client certificate exported from the QMC.
    #[arg(long, value_name = "PEM")]
    cert: PathBuf,

    /// PEM file with the client certificate's private key.
    #[arg(long, value_name = "PEM")]
    key: PathBuf,

    /// PEM file with the root certificate that signed the server certificate.
    #[arg(long, value_name = "PEM")]
    ca: Option<PathBuf>,

    /// QRS port.
    #[arg(long, default_value_t = 4242)]
    port: u16,

    /// Value of the X-Qlik-User header.
    #[arg(long, default_value = "UserDirectory=INTERNAL; UserId=sa_repository")]
    user: String,

    /// Time limit per request, in seconds.
    #[arg(long, default_value_t = 300, value_name = "SECONDS")]
    timeout: u64,

    /// Do not verify the server certificate; for test sites only.
    #[arg(long)]
    insecure: bool,
}

pub fn collect_site(args: CollectArgs) -> anyhow::Result<ExitCode> {
    let mut options = CollectOptions::new(&args.server, &args.cert, &args.key, &args.output);
    options.port = args.port;
    options.ca_file = args.ca;
    options.insecure = args.insecure;
    options.user_header = args.user;
    options.timeout = Duration::from_secs(args.timeout);
    let summary = collect(&options)?;
    for file in &summary.files {
        println!("{}: {} records", file.path.display(), file.records);
    }
    for (endpoint, error) in &summary.failed {
        eprintln!("warning: {endpoint} failed: {error}");
    }
    println!("manifest: {}", summary.manifest.display());
    Ok(if summary.failed.is_empty() {
        ExitCode::SUCCESS
    } else {
        ExitCode::from(1)
    })
}
