//! Pack sources, the requirements and grants the configuration sets for them, and loaded packs.

use std::borrow::Cow;
use std::collections::{BTreeMap, HashMap};
use std::path::PathBuf;
use std::sync::Arc;

use super::bindings::RulePackPre;
use super::native::NativeLibrary;
use super::sandbox::PluginState;
use super::{PackError, VersionStamp, wit_exports};
use crate::config::{Grants, RulesConfig};
use crate::finding::Severity;

/// Origin of a pack.
#[derive(Debug, Clone)]
pub enum PackSource {
    /// A first-party pack embedded in the binary.
    Builtin {
        name: &'static str,
        wasm: &'static [u8],
    },
    /// A `.wasm` component on disk.
    File(PathBuf),
    /// A rule pack built as a native shared library (`.so`, `.dylib` or `.dll`) with the
    /// plugin SDK's `native` feature. It runs unsandboxed in the qready process, so only a
    /// configuration entry with `native = true` names one.
    Native(PathBuf),
}

impl PackSource {
    /// Name used in messages: `builtin:NAME` or the file path.
    pub fn display_name(&self) -> String {
        match self {
            PackSource::Builtin { name, .. } => format!("builtin:{name}"),
            PackSource::File(path) | PackSource::Native(path) => path.display().to_string(),
        }
    }

    pub(super) fn bytes(&self) -> Result<Cow<'static, [u8]>, PackError> {
        match self {
            PackSource::Builtin { wasm, .. } => Ok(Cow::Borrowed(wasm)),
            PackSource::File(path) | PackSource::Native(path) => std::fs::read(path)
                .map(Cow::Owned)
                .map_err(|source| PackError::Read {
                    path: path.clone(),
                    source,
                }),
        }
    }
}

/// The world a component implements.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, serde::Deserialize)]
#[serde(rename_all = "kebab-case")]
pub enum PackKind {
    /// A rule pack: the `rule-pack` world.
    #[default]
    RulePack,
    /// A data-source connector plugin: the `connector` world.
    Connector,
}

/// First-party components embedded by `build.rs`: folder name, world name and bytes.
const EMBEDDED: &[(&str, &str, &[u8])] = include!(concat!(env!("OUT_DIR"), "/packs.rs"));

fn embedded(world: &str) -> Vec<PackSource> {
    EMBEDDED
        .iter()
        .filter(|(_, kind, _)| *kind == world)
        .map(|(name, _, wasm)| PackSource::Builtin { name, wasm })
        .collect()
}

/// The first-party rule packs built into this binary.
pub fn builtin_packs() -> Vec<PackSource> {
    embedded("rule-pack")
}

/// The first-party connector plugins built into this binary.
pub fn builtin_connectors() -> Vec<PackSource> {
    embedded("connector")
}

/// A pack to load, with what the configuration requires of it and grants to it.
#[derive(Debug, Clone)]
pub struct PackRequest {
    pub source: PackSource,
    /// The world the component implements; rule packs and connector plugins load differently.
    pub kind: PackKind,
    /// Requirement on the version the pack declares.
    pub version: Option<semver::VersionReq>,
    /// Expected SHA-256 of the file, in lower-case hex.
    pub sha256: Option<String>,
    pub grants: Grants,
}

impl PackRequest {
    /// A rule pack request with no requirements and no grants.
    pub fn plain(source: PackSource) -> Self {
        PackRequest {
            source,
            kind: PackKind::RulePack,
            version: None,
            sha256: None,
            grants: Grants::default(),
        }
    }
}

/// A pack that is compiled, linked, described and configured, ready to check apps.
pub struct LoadedPack {
    /// The pack's self-description.
    pub info: wit_exports::PackInfo,
    /// Origin of the pack.
    pub source: PackSource,
    /// SDK and WIT versions recorded in the component, when it has them.
    pub stamp: Option<VersionStamp>,
    /// Codes of the rules that run, after `select` and `ignore`.
    pub enabled: Vec<String>,
    pub(super) grants: Grants,
    /// The JSON passed to `configure` on every new instance.
    pub(super) config_json: String,
    pub(super) severity: HashMap<String, Severity>,
    pub(super) code: PackCode,
}

/// The code of a loaded pack, ready to instantiate.
pub(super) enum PackCode {
    Wasm(RulePackPre<PluginState>),
    Native(Arc<NativeLibrary>),
}

impl LoadedPack {
    /// Id of the pack, as it describes itself.
    pub fn id(&self) -> &str {
        &self.info.id
    }

    /// Declaration of a rule by code.
    pub fn rule(&self, code: &str) -> Option<&wit_exports::RuleInfo> {
        self.info.rules.iter().find(|rule| rule.code == code)
    }

    /// Severity of a rule's findings: the configured override, else the rule's default.
    pub(super) fn severity_of(&self, rule: &wit_exports::RuleInfo) -> Severity {
        self.severity
            .get(&rule.code)
            .copied()
            .unwrap_or_else(|| rule.default_severity.into())
    }
}

/// Builds the JSON `configure` receives: the enabled rule codes and the options of this pack's
/// rules.
pub(super) fn pack_config(
    info: &wit_exports::PackInfo,
    rules: &RulesConfig,
) -> (Vec<String>, String, HashMap<String, Severity>) {
    let enabled: Vec<String> = info
        .rules
        .iter()
        .map(|rule| rule.code.clone())
        .filter(|code| rules.is_enabled(code))
        .collect();
    let options: BTreeMap<&str, serde_json::Value> = rules
        .options
        .iter()
        .filter(|(code, _)| info.rules.iter().any(|rule| &rule.code == *code))
        .map(|(code, value)| (code.as_str(), toml_to_json(value)))
        .collect();
    let severity = rules
        .severity
        .iter()
        .filter(|(code, _)| info.rules.iter().any(|rule| &rule.code == *code))
        .map(|(code, severity)| (code.clone(), *severity))
        .collect();
    let json = serde_json::json!({ "enabled": enabled, "options": options });
    (enabled, json.to_string(), severity)
}

fn toml_to_json(value: &toml::Value) -> serde_json::Value {
    match value {
        toml::Value::String(s) => serde_json::Value::String(s.clone()),
        toml::Value::Integer(i) => serde_json::Value::from(*i),
        toml::Value::Float(f) => serde_json::Value::from(*f),
        toml::Value::Boolean(b) => serde_json::Value::Bool(*b),
        toml::Value::Datetime(d) => serde_json::Value::String(d.to_string()),
        toml::Value::Array(items) => items.iter().map(toml_to_json).collect(),
        toml::Value::Table(table) => table
            .iter()
            .map(|(k, v)| (k.clone(), toml_to_json(v)))
            .collect::<serde_json::Map<_, _>>()
            .into(),
    }
}

/// Lower-case hex SHA-256 of `bytes`.
pub(super) fn sha256_hex(bytes: &[u8]) -> String {
    use sha2::Digest as _;
    let digest = sha2::Sha256::digest(bytes);
    let mut out = String::with_capacity(64);
    for byte in digest {
        out.push_str(&format!("{byte:02x}"));
    }
    out
}
