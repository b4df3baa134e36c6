//! `qready.toml`: which packs to run, how to read scripts, and the sandbox limits.
//!
//! ```toml
//! [input]
//! ansi-code-page = "windows-1251"   # code page of script files without BOM that are not UTF-8
//!
//! [limits]
//! call-timeout-ms = 5000            # per pack call
//! memory-mib = 256                  # per pack instance
//!
//! [[pack]]
//! path = "packs/acme_rules.wasm"    # relative to this file
//! enabled = true
//! ```

use std::path::{Path, PathBuf};

use serde::Deserialize;

/// The parsed configuration file.
#[derive(Debug, Default, Deserialize)]
#[serde(deny_unknown_fields, rename_all = "kebab-case")]
pub struct Config {
    #[serde(default)]
    pub input: InputConfig,
    #[serde(default)]
    pub limits: LimitsConfig,
    /// Packs to load in addition to the built-in ones.
    #[serde(default, rename = "pack")]
    pub packs: Vec<PackConfig>,
    /// Folder the file was read from; relative pack paths start here.
    #[serde(skip)]
    pub base_dir: PathBuf,
}

/// How script files are read.
#[derive(Debug, Default, Deserialize)]
#[serde(deny_unknown_fields, rename_all = "kebab-case")]
pub struct InputConfig {
    /// WHATWG label of the ANSI code page, such as `windows-1252` (the default) or `windows-1251`.
    pub ansi_code_page: Option<String>,
}

/// Sandbox limits; unset values keep the defaults of [`crate::runtime::Limits`].
#[derive(Debug, Default, Deserialize)]
#[serde(deny_unknown_fields, rename_all = "kebab-case")]
pub struct LimitsConfig {
    pub call_timeout_ms: Option<u64>,
    pub memory_mib: Option<usize>,
}

/// One pack to load.
#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields, rename_all = "kebab-case")]
pub struct PackConfig {
    /// Path of the `.wasm` component.
    pub path: PathBuf,
    #[serde(default = "enabled_by_default")]
    pub enabled: bool,
}

fn enabled_by_default() -> bool {
    true
}

/// Errors reading the configuration.
#[derive(Debug, thiserror::Error)]
pub enum ConfigError {
    #[error("failed to read config '{path}': {source}")]
    Read {
        path: PathBuf,
        source: std::io::Error,
    },
    #[error("invalid config '{path}' at line {line}, column {column}: {message}")]
    Invalid {
        path: PathBuf,
        line: usize,
        column: usize,
        message: String,
    },
    #[error("invalid config '{path}': unknown ANSI code page '{label}' (use a label such as windows-1252)")]
    CodePage { path: PathBuf, label: String },
}

impl Config {
    /// Reads and validates a configuration file.
    pub fn load(path: &Path) -> Result<Config, ConfigError> {
        let text = std::fs::read_to_string(path).map_err(|source| ConfigError::Read {
            path: path.to_owned(),
            source,
        })?;
        let mut config = Config::parse(path, &text)?;
        config.base_dir = path.parent().map(Path::to_owned).unwrap_or_default();
        config.ansi_code_page(path)?;
        Ok(config)
    }

    fn parse(path: &Path, text: &str) -> Result<Config, ConfigError> {
        toml::from_str(text).map_err(|error| {
            let (line, column) = error
                .span()
                .map(|span| line_column(text, span.start))
                .unwrap_or((1, 1));
            ConfigError::Invalid {
                path: path.to_owned(),
                line,
                column,
                message: error.message().to_owned(),
            }
        })
    }

    /// The configured ANSI code page, Windows-1252 when unset.
    pub fn ansi_code_page(&self, path: &Path) -> Result<&'static encoding_rs::Encoding, ConfigError> {
        match &self.input.ansi_code_page {
            None => Ok(encoding_rs::WINDOWS_1252),
            Some(label) => encoding_rs::Encoding::for_label(label.as_bytes()).ok_or_else(|| {
                ConfigError::CodePage {
                    path: path.to_owned(),
                    label: label.clone(),
                }
            }),
        }
    }

    /// Paths of the enabled packs, resolved against the config file's folder.
    pub fn pack_paths(&self) -> Vec<PathBuf> {
        self.packs
            .iter()
            .filter(|pack| pack.enabled)
            .map(|pack| self.base_dir.join(&pack.path))
            .collect()
    }
}

fn line_column(text: &str, offset: usize) -> (usize, usize) {
    let before = &text[..offset.min(text.len())];
    let line = before.matches('\n').count() + 1;
    let column = before.rsplit('\n').next().map_or(0, |l| l.chars().count()) + 1;
    (line, column)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn unknown_key_names_key_and_line() {
        let error = Config::parse(Path::new("q.toml"), "[input]\nansi = \"x\"\n").unwrap_err();
        let message = error.to_string();
        assert!(message.contains("line 2"), "{message}");
        assert!(message.contains("ansi"), "{message}");
    }

    #[test]
    fn pack_paths_resolve_against_config_folder() {
        let mut config =
            Config::parse(Path::new("q.toml"), "[[pack]]\npath = \"p.wasm\"\n").unwrap();
        config.base_dir = PathBuf::from("/etc/qready");
        assert_eq!(config.pack_paths(), vec![PathBuf::from("/etc/qready/p.wasm")]);
    }

    #[test]
    fn disabled_pack_is_skipped() {
        let config = Config::parse(
            Path::new("q.toml"),
            "[[pack]]\npath = \"p.wasm\"\nenabled = false\n",
        )
        .unwrap();
        assert!(config.pack_paths().is_empty());
    }

    #[test]
    fn unknown_code_page_is_rejected() {
        let config = Config::parse(
            Path::new("q.toml"),
            "[input]\nansi-code-page = \"klingon\"\n",
        )
        .unwrap();
        assert!(config.ansi_code_page(Path::new("q.toml")).is_err());
    }
}
