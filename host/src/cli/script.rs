//! `qready script parse`: the statement tree of one script, for users and for debugging rules.

use std::fmt::Write as _;
use std::path::PathBuf;
use std::process::ExitCode;

use anyhow::Context as _;
use qready_script::load::{LoadOptions, LoadedScript, load_script};

use super::{Format, write_output};

#[derive(Debug, clap::Subcommand)]
pub enum ScriptCommand {
    /// Parse a script with its includes and print every statement with its position.
    Parse {
        /// The script file.
        file: PathBuf,
        #[arg(long, value_enum, default_value_t = Format::Text)]
        format: Format,
        /// Code page of a file without byte-order mark that is not UTF-8 [default: the
        /// configuration's `[input] ansi-code-page`, else windows-1252].
        #[arg(long, value_name = "LABEL")]
        ansi_code_page: Option<String>,
        /// Configuration file to read `[input]` settings from [default: ./qready.toml].
        #[arg(long, value_name = "FILE")]
        config: Option<PathBuf>,
    },
}

pub fn run(command: ScriptCommand) -> anyhow::Result<ExitCode> {
    let ScriptCommand::Parse {
        file,
        format,
        ansi_code_page,
        config,
    } = command;
    let ingest = super::setup::ingest_options(config.as_deref(), ansi_code_page.as_deref(), None)?;
    let options = LoadOptions {
        ansi: ingest.ansi,
        lib_roots: ingest.lib_roots,
        path_roots: ingest.path_roots,
        ..LoadOptions::default()
    };
    let mut script = load_script(&file, &options)
        .with_context(|| format!("failed to parse '{}'", file.display()))?;
    // Connection strings in the script may hold passwords; they are printed masked.
    qready::ingest::mask_script(&mut script);
    let text = match format {
        Format::Json => {
            let mut json = serde_json::to_string_pretty(&script)?;
            json.push('\n');
            json
        }
        Format::Text => render_tree(&script),
    };
    write_output(None, &text)?;
    Ok(ExitCode::SUCCESS)
}

/// One line per statement (`file:line:column kind`), then its prefixes, label, data source
/// references and function calls, indented.
fn render_tree(script: &LoadedScript) -> String {
    let mut out = String::new();
    for (file, statement) in &script.statements {
        let path = script
            .files
            .get(*file as usize)
            .map_or_else(String::new, |f| f.path.display().to_string());
        let span = statement.span;
        let _ = write!(
            out,
            "{path}:{}:{} {}",
            span.line,
            span.column,
            statement.kind.as_str()
        );
        let prefixes: Vec<&str> = statement.prefixes.iter_names().collect();
        if !prefixes.is_empty() {
            let _ = write!(out, " [{}]", prefixes.join(" "));
        }
        if let Some(label) = &statement.label {
            let _ = write!(out, " label={label}");
        }
        if let Some(tab) = statement.tab.and_then(|t| script.tabs.get(t as usize)) {
            let _ = write!(out, " tab={}", tab.name);
        }
        out.push('\n');
        for source in &statement.sources {
            let _ = write!(
                out,
                "    source {:?} {:?} '{}'",
                source.role, source.kind, source.path
            );
            if let Some(resolved) = &source.resolved {
                let _ = write!(out, " -> '{resolved}'");
            }
            let _ = writeln!(out, " at {}:{}", source.span.line, source.span.column);
        }
        for call in &statement.functions {
            let _ = writeln!(
                out,
                "    call {} at {}:{}",
                call.name, call.span.line, call.span.column
            );
        }
    }
    for (file, diagnostic) in &script.diagnostics {
        let path = script
            .files
            .get(*file as usize)
            .map_or_else(String::new, |f| f.path.display().to_string());
        let _ = writeln!(
            out,
            "{path}:{}:{}: {:?}: {}",
            diagnostic.span.line, diagnostic.span.column, diagnostic.severity, diagnostic.message
        );
    }
    out
}
