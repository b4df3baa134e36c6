//! `qready.toml`: which packs run, which rules, how scripts are read, the sandbox limits and
//! the thresholds that decide each app's route to Qlik Cloud.
//!
//! `qready init` writes a commented starter file; [`STARTER`] is its text. Every table rejects
//! unknown keys, and every error names the file, the line and the key.

use std::collections::BTreeMap;
use std::path::{Path, PathBuf};

use serde::Deserialize;

use crate::finding::Severity;

/// The starter configuration `qready init` writes.
pub const STARTER: &str = include_str!("starter.toml");

/// The parsed configuration file.
#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields, rename_all = "kebab-case")]
pub struct Config {
    #[serde(default)]
    pub input: InputConfig,
    #[serde(default)]
    pub limits: LimitsConfig,
    /// Whether the first-party packs built into qready run (default true).
    #[serde(default = "yes")]
    pub builtin_packs: bool,
    /// Packs to load in addition to the built-in ones.
    #[serde(default, rename = "pack")]
    pub packs: Vec<PackConfig>,
    #[serde(default)]
    pub rules: RulesConfig,
    #[serde(default)]
    pub routes: crate::assess::RoutesConfig,
    /// Folder the file was read from; relative paths start here.
    #[serde(skip)]
    pub base_dir: PathBuf,
}

/// How script files are read.
#[derive(Debug, Default, Deserialize)]
#[serde(deny_unknown_fields, rename_all = "kebab-case")]
pub struct InputConfig {
    /// WHATWG label of the ANSI code page, such as `windows-1252` (the default) or `windows-1251`.
    pub ansi_code_page: Option<String>,
    /// Days of usage logs to count, back from the time of the run; 90 when unset. An app whose
    /// usage logs show no session in this window is a retire candidate.
    pub usage_window_days: Option<u32>,
    /// Library connection name to the local folder holding a copy of its files, so that
    /// `$(Include=lib://Name/…)` can be read. Relative folders start at the configuration file.
    #[serde(default)]
    pub libraries: BTreeMap<String, PathBuf>,
    /// Windows path prefix (drive or UNC share) to the local folder holding a copy of it, for
    /// includes written with Windows paths. Relative folders start at the configuration file.
    #[serde(default)]
    pub drives: BTreeMap<String, PathBuf>,
}

/// Sandbox limits; unset values keep the defaults of [`crate::runtime::Limits`].
#[derive(Debug, Default, Deserialize)]
#[serde(deny_unknown_fields, rename_all = "kebab-case")]
pub struct LimitsConfig {
    // Zero would make every pack fail on its first call, so zero is rejected where it is read.
    pub call_timeout_ms: Option<std::num::NonZeroU64>,
    pub memory_mib: Option<std::num::NonZeroUsize>,
    pub max_findings: Option<std::num::NonZeroUsize>,
    pub max_finding_bytes: Option<std::num::NonZeroUsize>,
}

/// One pack to load.
#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields, rename_all = "kebab-case")]
pub struct PackConfig {
    /// Path of the `.wasm` component, relative to the configuration file.
    pub path: PathBuf,
    /// `rule-pack` (the default) or `connector`, the world the component implements.
    #[serde(default)]
    pub kind: crate::runtime::PackKind,
    #[serde(default = "yes")]
    pub enabled: bool,
    /// Semver requirement on the version the pack declares, such as `^1.2`.
    pub version: Option<semver::VersionReq>,
    /// SHA-256 of the `.wasm` file, in hex; the pack is rejected when the file differs.
    pub sha256: Option<String>,
    /// Capabilities granted to this pack; none by default.
    #[serde(default)]
    pub grants: Grants,
    /// Load `path` as a native shared library built with the plugin SDK's `native` feature
    /// instead of a WebAssembly component. A native pack runs unsandboxed, with every right of
    /// the qready process and no time or memory limit: set it for trusted rule packs only.
    #[serde(default)]
    pub native: bool,
}

/// Capabilities a pack may use. Nothing is granted unless listed here.
#[derive(Debug, Default, Clone, Deserialize)]
#[serde(deny_unknown_fields, rename_all = "kebab-case")]
pub struct Grants {
    /// Folders the pack may read, each mounted read-only at the same path inside the sandbox.
    /// Relative folders start at the configuration file.
    #[serde(default)]
    pub read_dirs: Vec<PathBuf>,
}

/// Which rules run and how they report.
#[derive(Debug, Default, Deserialize)]
#[serde(deny_unknown_fields, rename_all = "kebab-case")]
pub struct RulesConfig {
    /// Code prefixes of the rules to run; every rule when empty.
    #[serde(default)]
    pub select: Vec<String>,
    /// Code prefixes of the rules not to run; wins over `select`.
    #[serde(default)]
    pub ignore: Vec<String>,
    /// Severity per rule code, replacing the rule's default.
    #[serde(default)]
    pub severity: BTreeMap<String, Severity>,
    /// Options per rule code, passed to the pack that declares the rule.
    #[serde(default)]
    pub options: BTreeMap<String, toml::Value>,
    /// Estimated minutes to fix one app's hits of a rule, per rule code, replacing the
    /// `effort_minutes` the rule declares.
    #[serde(default)]
    pub effort: BTreeMap<String, u32>,
}

/// The configuration used when there is no file: built-in packs, every rule, default limits.
impl Default for Config {
    fn default() -> Self {
        Config {
            input: InputConfig::default(),
            limits: LimitsConfig::default(),
            builtin_packs: true,
            packs: Vec::new(),
            rules: RulesConfig::default(),
            routes: crate::assess::RoutesConfig::default(),
            base_dir: PathBuf::new(),
        }
    }
}

fn yes() -> bool {
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
    #[error(
        "invalid config '{path}': unknown ANSI code page '{label}' (use a label such as windows-1252)"
    )]
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

    /// Parses configuration text; `path` only names the file in errors.
    pub fn parse(path: &Path, text: &str) -> Result<Config, ConfigError> {
        let config: Config = toml::from_str(text).map_err(|error| {
            let (line, column) = error
                .span()
                .map(|span| line_column(text, span.start))
                .unwrap_or((1, 1));
            ConfigError::Invalid {
                path: path.to_owned(),
                line,
                column,
                message: error.message().trim().to_owned(),
            }
        })?;
        config.check_hashes(path, text)?;
        config.check_duplicate_packs(path, text)?;
        Ok(config)
    }

    /// Rejects a pack listed twice, which would run twice and report every finding twice.
    fn check_duplicate_packs(&self, path: &Path, text: &str) -> Result<(), ConfigError> {
        for (index, pack) in self.packs.iter().enumerate() {
            if !self.packs[..index].iter().any(|p| p.path == pack.path) {
                continue;
            }
            let written = pack.path.display().to_string();
            // The second time the path is written is the duplicate entry.
            let offset = text
                .match_indices(written.as_str())
                .nth(1)
                .map_or(0, |(i, _)| i);
            let (line, column) = line_column(text, offset);
            return Err(ConfigError::Invalid {
                path: path.to_owned(),
                line,
                column,
                message: format!("pack '{written}' is listed twice; remove one [[pack]] entry"),
            });
        }
        Ok(())
    }

    fn check_hashes(&self, path: &Path, text: &str) -> Result<(), ConfigError> {
        for pack in &self.packs {
            let Some(hash) = &pack.sha256 else { continue };
            let valid = hash.len() == 64 && hash.bytes().all(|b| b.is_ascii_hexdigit());
            if !valid {
                let offset = text.find(hash.as_str()).unwrap_or(0);
                let (line, column) = line_column(text, offset);
                return Err(ConfigError::Invalid {
                    path: path.to_owned(),
                    line,
                    column,
                    message: format!("sha256 '{hash}' is not 64 hexadecimal digits"),
                });
            }
        }
        Ok(())
    }

    /// Returns a pack's grants with relative folders joined to the folder of the configuration
    /// file, as the pack's own path is.
    pub fn grants_of(&self, pack: &PackConfig) -> Grants {
        Grants {
            read_dirs: pack
                .grants
                .read_dirs
                .iter()
                .map(|dir| self.base_dir.join(dir))
                .collect(),
        }
    }

    /// Returns the `[input] libraries` and `[input] drives` maps with relative folders joined to
    /// the folder of the configuration file.
    pub fn include_roots(&self) -> (BTreeMap<String, PathBuf>, BTreeMap<String, PathBuf>) {
        let join = |map: &BTreeMap<String, PathBuf>| {
            map.iter()
                .map(|(name, folder)| (name.clone(), self.base_dir.join(folder)))
                .collect()
        };
        (join(&self.input.libraries), join(&self.input.drives))
    }

    /// The configured ANSI code page, Windows-1252 when unset.
    pub fn ansi_code_page(
        &self,
        path: &Path,
    ) -> Result<&'static encoding_rs::Encoding, ConfigError> {
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

    /// The enabled packs, with paths resolved against the configuration file's folder.
    pub fn enabled_packs(&self) -> impl Iterator<Item = (PathBuf, &PackConfig)> {
        self.packs
            .iter()
            .filter(|pack| pack.enabled)
            .map(|pack| (self.base_dir.join(&pack.path), pack))
    }
}

impl RulesConfig {
    /// Whether a rule runs: it matches `select` (or `select` is empty) and no `ignore` prefix.
    pub fn is_enabled(&self, code: &str) -> bool {
        let selected = self.select.is_empty() || self.select.iter().any(|p| code.starts_with(p));
        selected && !self.ignore.iter().any(|p| code.starts_with(p))
    }
}

pub(crate) fn line_column(text: &str, offset: usize) -> (usize, usize) {
    let before = &text[..offset.min(text.len())];
    let line = before.matches('\n').count() + 1;
    let column = before.rsplit('\n').next().map_or(0, |l| l.chars().count()) + 1;
    (line, column)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn parse(text: &str) -> Result<Config, ConfigError> {
        Config::parse(Path::new("q.toml"), text)
    }

    #[test]
    fn unknown_key_names_key_and_line() {
        let message = parse("[input]\nansi = \"x\"\n").unwrap_err().to_string();
        assert!(message.contains("line 2"), "{message}");
        assert!(message.contains("ansi"), "{message}");
    }

    #[test]
    fn duplicate_pack_names_line() {
        let text = "[[pack]]\npath = \"a.wasm\"\n\n[[pack]]\npath = \"a.wasm\"\n";
        let message = parse(text).unwrap_err().to_string();
        assert!(message.contains("line 5"), "{message}");
        assert!(message.contains("listed twice"), "{message}");
    }

    #[test]
    fn zero_limits_are_rejected() {
        for key in [
            "call-timeout-ms",
            "memory-mib",
            "max-findings",
            "max-finding-bytes",
        ] {
            let message = parse(&format!("[limits]\n{key} = 0\n"))
                .unwrap_err()
                .to_string();
            assert!(message.contains("line 2"), "{key}: {message}");
            assert!(message.contains("nonzero"), "{key}: {message}");
        }
    }

    #[test]
    fn read_dirs_start_at_config_file() {
        let mut config =
            parse("[[pack]]\npath = \"p.wasm\"\ngrants = { read-dirs = [\"ref\", \"/abs\"] }\n")
                .unwrap();
        config.base_dir = PathBuf::from("/etc/qready");
        let grants = config.grants_of(&config.packs[0]);
        assert_eq!(
            grants.read_dirs,
            vec![PathBuf::from("/etc/qready/ref"), PathBuf::from("/abs")]
        );
    }

    #[test]
    fn bad_severity_names_line() {
        let message = parse("[rules.severity]\nQC101 = \"fatal\"\n")
            .unwrap_err()
            .to_string();
        assert!(message.contains("line 2"), "{message}");
        assert!(message.contains("fatal"), "{message}");
    }

    #[test]
    fn bad_version_requirement_names_line() {
        let message = parse("[[pack]]\npath = \"p.wasm\"\nversion = \"one\"\n")
            .unwrap_err()
            .to_string();
        assert!(message.contains("line 3"), "{message}");
    }

    #[test]
    fn bad_sha256_names_line() {
        let message = parse("[[pack]]\npath = \"p.wasm\"\nsha256 = \"abc\"\n")
            .unwrap_err()
            .to_string();
        assert!(message.contains("line 3"), "{message}");
    }

    #[test]
    fn pack_paths_resolve_against_config_folder() {
        let mut config = parse("[[pack]]\npath = \"p.wasm\"\n").unwrap();
        config.base_dir = PathBuf::from("/etc/qready");
        let paths: Vec<PathBuf> = config.enabled_packs().map(|(path, _)| path).collect();
        assert_eq!(paths, vec![PathBuf::from("/etc/qready/p.wasm")]);
    }

    #[test]
    fn pack_kind_parses() {
        let config = parse("[[pack]]\npath = \"c.wasm\"\nkind = \"connector\"\n").unwrap();
        assert_eq!(config.packs[0].kind, crate::runtime::PackKind::Connector);
        let message = parse("[[pack]]\npath = \"c.wasm\"\nkind = \"gadget\"\n")
            .unwrap_err()
            .to_string();
        assert!(message.contains("line 3"), "{message}");
    }

    #[test]
    fn disabled_pack_is_skipped() {
        let config = parse("[[pack]]\npath = \"p.wasm\"\nenabled = false\n").unwrap();
        assert_eq!(config.enabled_packs().count(), 0);
    }

    #[test]
    fn unknown_code_page_is_rejected() {
        let config = parse("[input]\nansi-code-page = \"klingon\"\n").unwrap();
        assert!(config.ansi_code_page(Path::new("q.toml")).is_err());
    }

    #[test]
    fn select_and_ignore_by_prefix() {
        let config = parse("[rules]\nselect = [\"QC1\"]\nignore = [\"QC103\"]\n").unwrap();
        assert!(config.rules.is_enabled("QC101"));
        assert!(!config.rules.is_enabled("QC103"));
        assert!(!config.rules.is_enabled("ACME001"));
    }

    #[test]
    fn effort_per_rule_parses() {
        let config = parse("[rules.effort]\nQC101 = 30\nACME001 = 0\n").unwrap();
        assert_eq!(config.rules.effort.get("QC101"), Some(&30));
        assert_eq!(config.rules.effort.get("ACME001"), Some(&0));
    }

    #[test]
    fn negative_effort_names_line() {
        let message = parse("[rules.effort]\nQC101 = -5\n")
            .unwrap_err()
            .to_string();
        assert!(message.contains("line 2"), "{message}");
    }

    #[test]
    fn usage_window_parses() {
        let config = parse("[input]\nusage-window-days = 30\n").unwrap();
        assert_eq!(config.input.usage_window_days, Some(30));
        assert_eq!(parse("").unwrap().input.usage_window_days, None);
    }

    #[test]
    fn routes_thresholds_parse() {
        let config =
            parse("[routes]\nretire-max-sessions = 3\nhybrid-cloud-paths = [\"none\"]\n").unwrap();
        assert_eq!(config.routes.retire_max_sessions, 3);
        assert_eq!(
            config.routes.hybrid_cloud_paths,
            vec![crate::runtime::CloudPath::None]
        );
        assert_eq!(config.routes.convert_min_findings, 1);
    }

    #[test]
    fn unknown_cloud_path_names_line() {
        let message = parse("[routes]\nhybrid-cloud-paths = [\"carrier-pigeon\"]\n")
            .unwrap_err()
            .to_string();
        assert!(message.contains("line 2"), "{message}");
        assert!(message.contains("carrier-pigeon"), "{message}");
    }

    #[test]
    fn starter_routes_match_defaults() {
        let config = parse(STARTER).unwrap();
        assert_eq!(config.routes, crate::assess::RoutesConfig::default());
    }

    #[test]
    fn starter_config_parses() {
        let config = parse(STARTER).unwrap();
        assert!(config.builtin_packs);
    }
}
