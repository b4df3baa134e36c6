//! Writes a synthetic estate: `estate-gen --apps N [--seed S] [--corpus DIR] OUT`.
//!
//! The corpus folder is `--corpus`, else `$QREADY_CORPUS`, else `../shared/corpus` beside the
//! workspace.

use std::path::PathBuf;
use std::process::ExitCode;

use qready_estate_gen::{Corpus, Options, generate};

const USAGE: &str = "usage: estate-gen --apps N [--seed S] [--corpus DIR] OUT";

fn main() -> ExitCode {
    match run() {
        Ok(()) => ExitCode::SUCCESS,
        Err(message) => {
            eprintln!("estate-gen: {message}");
            ExitCode::from(2)
        }
    }
}

fn run() -> Result<(), String> {
    let mut apps = None;
    let mut seed = 1u64;
    let mut corpus = None;
    let mut out = None;
    let mut args = std::env::args().skip(1);
    while let Some(arg) = args.next() {
        let mut value = |flag: &str| args.next().ok_or(format!("{flag} needs a value; {USAGE}"));
        match arg.as_str() {
            "--apps" => {
                let text = value("--apps")?;
                apps =
                    Some(text.parse::<usize>().map_err(|e| {
                        format!("--apps expects a whole number, not '{text}': {e}")
                    })?);
            }
            "--seed" => {
                let text = value("--seed")?;
                seed = text
                    .parse()
                    .map_err(|e| format!("--seed expects a whole number, not '{text}': {e}"))?;
            }
            "--corpus" => corpus = Some(PathBuf::from(value("--corpus")?)),
            "-h" | "--help" => {
                println!("{USAGE}");
                return Ok(());
            }
            _ if arg.starts_with('-') => return Err(format!("unknown option '{arg}'; {USAGE}")),
            _ if out.is_none() => out = Some(PathBuf::from(arg)),
            _ => return Err(format!("unexpected argument '{arg}'; {USAGE}")),
        }
    }
    let apps = apps.ok_or(format!("--apps is required; {USAGE}"))?;
    let out = out.ok_or(format!("the output folder is required; {USAGE}"))?;
    let corpus_dir = corpus
        .or_else(|| std::env::var_os("QREADY_CORPUS").map(PathBuf::from))
        .unwrap_or_else(|| {
            PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("../../../shared/corpus")
        });
    let corpus = Corpus::read(&corpus_dir).map_err(|e| e.to_string())?;
    let summary = generate(&corpus, &Options { apps, seed }, &out).map_err(|e| e.to_string())?;
    println!(
        "{} apps ({} Qlik Sense, {} QlikView), {} connections, {} QVD headers: {} files, {} bytes \
         in {}",
        apps,
        summary.sense_apps,
        summary.qlikview_apps,
        summary.connections,
        summary.qvds,
        summary.files,
        summary.bytes,
        out.display()
    );
    Ok(())
}
