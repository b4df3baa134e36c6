//! Turns the configuration file and flags into a runtime and the packs to load.

use std::path::{Path, PathBuf};

use anyhow::Context as _;
use qready::config::Config;
use qready::ingest::IngestOptions;
use qready::runtime::{
    Limits, PackKind, PackRequest, PackSource, Runtime, builtin_connectors, builtin_packs,
    default_cache_dir,
};

use super::PackArgs;

/// The configuration, the runtime built from it, and the packs it asks for.
pub struct Setup {
    pub config: Config,
    pub config_path: PathBuf,
    pub runtime: Runtime,
    pub packs: Vec<PackRequest>,
}

/// Reads the configuration and starts the runtime.
pub fn setup(args: &PackArgs) -> anyhow::Result<Setup> {
    let (config, config_path) = load_config(args.config.as_deref())?;
    let runtime = Runtime::new(limits(&config), cache_dir(args).as_deref())
        .context("failed to start the plugin runtime")?;

    let mut packs = Vec::new();
    if config.builtin_packs && !args.no_builtin_packs {
        packs.extend(builtin_packs().into_iter().map(PackRequest::plain));
        packs.extend(builtin_connectors().into_iter().map(|source| PackRequest {
            kind: PackKind::Connector,
            ..PackRequest::plain(source)
        }));
    }
    for (path, pack) in config.enabled_packs() {
        if pack.native && pack.kind != PackKind::RulePack {
            anyhow::bail!(
                "invalid config '{}': pack '{}' sets native = true, which only rule packs support",
                config_path.display(),
                path.display()
            );
        }
        let source = if pack.native {
            PackSource::Native(path)
        } else {
            PackSource::File(path)
        };
        packs.push(PackRequest {
            source,
            kind: pack.kind,
            version: pack.version.clone(),
            sha256: pack.sha256.clone(),
            grants: config.grants_of(pack),
        });
    }
    packs.extend(
        args.packs
            .iter()
            .map(|path| PackRequest::plain(PackSource::File(path.clone()))),
    );
    Ok(Setup {
        config,
        config_path,
        runtime,
        packs,
    })
}

fn load_config(path: Option<&Path>) -> anyhow::Result<(Config, PathBuf)> {
    if let Some(path) = path {
        return Ok((Config::load(path)?, path.to_owned()));
    }
    let default = PathBuf::from("qready.toml");
    if default.is_file() {
        Ok((Config::load(&default)?, default))
    } else {
        Ok((Config::default(), default))
    }
}

fn limits(config: &Config) -> Limits {
    let mut limits = Limits::default();
    if let Some(ms) = config.limits.call_timeout_ms {
        limits.call_timeout = std::time::Duration::from_millis(ms.get());
    }
    if let Some(mib) = config.limits.memory_mib {
        limits.memory_bytes = mib.get() * 1024 * 1024;
    }
    if let Some(max) = config.limits.max_findings {
        limits.max_findings = max.get();
    }
    if let Some(max) = config.limits.max_finding_bytes {
        limits.max_finding_bytes = max.get();
    }
    limits
}

fn cache_dir(args: &PackArgs) -> Option<PathBuf> {
    if args.no_cache {
        None
    } else {
        args.cache_dir.clone().or_else(default_cache_dir)
    }
}

/// Returns the ingest settings of `[input]` for commands that read an estate without packs: the
/// configuration given, else `./qready.toml`, else the defaults. A code page or usage window
/// given on the command line wins.
pub fn ingest_options(
    config: Option<&Path>,
    ansi_flag: Option<&str>,
    usage_window_flag: Option<u32>,
) -> anyhow::Result<IngestOptions> {
    let (config, path) = load_config(config)?;
    let ansi = match ansi_flag {
        Some(label) => encoding_rs::Encoding::for_label(label.as_bytes()).ok_or_else(|| {
            anyhow::anyhow!("unknown ANSI code page '{label}' (use a label such as windows-1252)")
        })?,
        None => config.ansi_code_page(&path)?,
    };
    Ok(config_ingest(&config, ansi, usage_window_flag))
}

/// Builds the ingest settings from the configuration's `[input]`, a code page and the usage
/// window given on the command line, if any.
fn config_ingest(
    config: &Config,
    ansi: &'static encoding_rs::Encoding,
    usage_window_flag: Option<u32>,
) -> IngestOptions {
    let (lib_roots, path_roots) = config.include_roots();
    IngestOptions {
        ansi,
        usage_window_days: usage_window_flag
            .or(config.input.usage_window_days)
            .unwrap_or(DEFAULT_USAGE_WINDOW_DAYS),
        lib_roots,
        path_roots,
        // The commands of the CLI read statements, never their syntax trees.
        syntax_trees: false,
        ..IngestOptions::default()
    }
}

/// Builds the options of an assessment of `paths` from a configuration and the packs to load.
/// The code page is passed in because commands read it before they assess.
pub fn assess_options(
    config: Config,
    packs: Vec<PackRequest>,
    paths: &[PathBuf],
    ansi: &'static encoding_rs::Encoding,
    usage_window_flag: Option<u32>,
) -> qready::assess::AssessOptions {
    qready::assess::AssessOptions {
        inputs: paths.to_vec(),
        ingest: config_ingest(&config, ansi, usage_window_flag),
        packs,
        rules: config.rules,
        routes: config.routes,
    }
}

/// Days of usage logs counted when neither the command line nor the configuration sets them.
pub const DEFAULT_USAGE_WINDOW_DAYS: u32 = 90;
