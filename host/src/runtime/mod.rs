//! The plugin runtime: one wasmtime engine per run, packs compiled once and cached on disk, and
//! a sandbox around every call.
//!
//! Sandbox defaults, applied to every pack:
//! - no files, network, environment variables or arguments: the WASI interfaces a Rust guest
//!   imports are linked over an empty context, and sockets are never linked;
//! - a folder is readable only when the configuration grants it, and then read-only;
//! - a time limit per call, enforced with epoch interruption ([`Limits::call_timeout`]);
//! - a cap on each pack instance's linear memory ([`Limits::memory_bytes`]);
//! - caps on the number of findings and the bytes of text one call may return.
//!
//! A trap, a time-out or a limit hit ends that pack's store and becomes an
//! [`EngineDiagnostic`]; the next app gets a fresh instance, and every other pack carries on.

mod bindings;
mod cache;
mod connector;
mod convert;
mod estate_view;
mod native;
mod pack;
mod sandbox;
mod session;
mod stamp;

use std::path::Path;
use std::sync::Arc;
use std::sync::atomic::{AtomicBool, Ordering};
use std::time::Duration;

use rayon::prelude::*;
use wasmtime::component::{Component, Linker};
use wasmtime::{Config, Engine};

pub use bindings::exports as wit_exports;
pub use cache::{CompileCache, default_cache_dir};
pub use connector::{
    Classification, CloudPath, ConnectorSession, LoadedConnector, SourceForm, SourceInput,
};
pub use estate_view::EstateView;
pub use native::NativeLibrary;
pub use pack::{LoadedPack, PackKind, PackRequest, PackSource, builtin_connectors, builtin_packs};
pub use sandbox::Limits;
pub use stamp::{VersionStamp, WIT_VERSION};

use crate::config::RulesConfig;
use crate::finding::{
    EngineDiagnostic, Finding, Location, PackRule, escape_controls, escape_controls_keep_lines,
};
use crate::model::App;
use bindings::RulePackPre;
use pack::PackCode;
use sandbox::PluginState;
use session::{Session, WasmSession};

/// Interval between epoch ticks; the time limit of a call is a whole number of ticks.
const EPOCH_TICK: Duration = Duration::from_millis(10);

/// Errors that stop a pack from loading.
#[derive(Debug, thiserror::Error)]
pub enum PackError {
    #[error("failed to read pack '{path}': {source}")]
    Read {
        path: std::path::PathBuf,
        source: std::io::Error,
    },
    #[error("'{name}' is not a WebAssembly component: {reason}")]
    NotAComponent { name: String, reason: String },
    #[error("pack '{name}' {reason}")]
    Incompatible { name: String, reason: String },
    #[error("pack '{name}' has SHA-256 {actual}, but the configuration pins {expected}")]
    HashMismatch {
        name: String,
        expected: String,
        actual: String,
    },
    #[error("failed to compile pack '{name}': {message}")]
    Compile { name: String, message: String },
    #[error("pack '{name}' cannot be linked: {message}")]
    Link { name: String, message: String },
    #[error("pack '{name}' failed to describe itself: {message}")]
    Describe { name: String, message: String },
    #[error("pack '{name}' rejected its configuration: {message}")]
    Configure { name: String, message: String },
}

/// Errors that stop the runtime from starting.
#[derive(Debug, thiserror::Error)]
pub enum RuntimeError {
    #[error("failed to create the WebAssembly engine: {0}")]
    Engine(String),
    #[error("failed to link host functions: {0}")]
    Link(String),
}

/// The engine, linker and limits shared by every pack of a run.
pub struct Runtime {
    engine: Engine,
    linker: Linker<PluginState>,
    limits: Limits,
    cache: Option<CompileCache>,
    ticker: Option<std::thread::JoinHandle<()>>,
    stop: Arc<AtomicBool>,
}

impl Runtime {
    /// Creates the engine, starts the epoch ticker and links the host functions.
    pub fn new(limits: Limits, cache_dir: Option<&Path>) -> Result<Self, RuntimeError> {
        let mut config = Config::new();
        config.wasm_component_model(true);
        config.epoch_interruption(true);
        let engine = Engine::new(&config).map_err(|e| RuntimeError::Engine(format!("{e:#}")))?;

        let mut linker = Linker::new(&engine);
        sandbox::link(&mut linker).map_err(|e| RuntimeError::Link(format!("{e:#}")))?;

        let stop = Arc::new(AtomicBool::new(false));
        let ticker = Some(spawn_ticker(&engine, Arc::clone(&stop)));
        let cache = cache_dir.map(|dir| CompileCache::new(dir, &engine));
        Ok(Runtime {
            engine,
            linker,
            limits,
            cache,
            ticker,
            stop,
        })
    }

    /// The engine, for inspecting components.
    pub fn engine(&self) -> &Engine {
        &self.engine
    }

    /// Reads and checks a pack, compiles it (or loads it from the cache), links, describes and
    /// configures it.
    pub fn load_pack(
        &self,
        request: &PackRequest,
        rules: &RulesConfig,
    ) -> Result<LoadedPack, PackError> {
        let name = request.source.display_name();
        let bytes = request.source.bytes()?;
        if let Some(expected) = &request.sha256 {
            let actual = pack::sha256_hex(&bytes);
            if !actual.eq_ignore_ascii_case(expected) {
                return Err(PackError::HashMismatch {
                    name,
                    expected: expected.clone(),
                    actual,
                });
            }
        }
        let (code, stamp, mut session) = match &request.source {
            PackSource::Native(path) => {
                let library = Arc::new(NativeLibrary::load(&name, path)?);
                let stamp = library.stamp();
                let state = PluginState::new(
                    &name,
                    &self.limits,
                    &request.grants,
                    Arc::from([]),
                    Arc::default(),
                );
                let instance = native::NativeInstance::new(Arc::clone(&library), state).map_err(
                    |message| PackError::Link {
                        name: name.clone(),
                        message,
                    },
                )?;
                (PackCode::Native(library), stamp, Session::Native(instance))
            }
            PackSource::Builtin { .. } | PackSource::File(_) => {
                let stamp = stamp::read(&name, &bytes)?;
                let component = self.compile(&name, &bytes)?;
                let pre = self.link(&name, &component)?;
                let session = WasmSession::new(
                    self,
                    &pre,
                    &name,
                    &request.grants,
                    Arc::from([]),
                    Arc::default(),
                );
                (PackCode::Wasm(pre), stamp, Session::Wasm(session))
            }
        };
        let info = session.describe().map_err(|message| PackError::Describe {
            name: name.clone(),
            message,
        })?;
        check_version(&name, &info, request.version.as_ref())?;
        let (enabled, config_json, severity) = pack::pack_config(&info, rules);
        session
            .configure(&config_json)
            .map_err(|message| PackError::Configure {
                name: name.clone(),
                message,
            })?;
        tracing::debug!(pack = %info.id, version = %info.version, source = %name, "loaded pack");
        Ok(LoadedPack {
            info,
            source: request.source.clone(),
            stamp,
            enabled,
            grants: request.grants.clone(),
            config_json,
            severity,
            code,
        })
    }

    fn compile(&self, name: &str, bytes: &[u8]) -> Result<Component, PackError> {
        let compiled = match &self.cache {
            Some(cache) => cache.load_or_compile(&self.engine, bytes),
            None => Component::new(&self.engine, bytes),
        };
        compiled.map_err(|e| PackError::Compile {
            name: name.to_owned(),
            message: format!("{e:#}"),
        })
    }

    fn link(
        &self,
        name: &str,
        component: &Component,
    ) -> Result<RulePackPre<PluginState>, PackError> {
        let instance_pre = self.instance_pre(name, component)?;
        RulePackPre::new(instance_pre).map_err(|e| PackError::Link {
            name: name.to_owned(),
            message: format!("it does not export the rule-pack world: {e:#}"),
        })
    }

    /// Resolves a component's imports against the host's linker.
    fn instance_pre(
        &self,
        name: &str,
        component: &Component,
    ) -> Result<wasmtime::component::InstancePre<PluginState>, PackError> {
        let link_error = |message: String| PackError::Link {
            name: name.to_owned(),
            message,
        };
        if let Some(import) = forbidden_import(&self.engine, component) {
            return Err(link_error(format!(
                "it imports '{import}', which qready never provides to packs"
            )));
        }
        self.linker
            .instantiate_pre(component)
            .map_err(|e| link_error(format!("{e:#}")))
    }

    /// Reads a component's version stamp, imports and exports without running it.
    pub fn inspect(&self, source: &PackSource) -> Result<Inspection, PackError> {
        let name = source.display_name();
        let bytes = source.bytes()?;
        let stamp = stamp::read(&name, &bytes)?;
        let component = self.compile(&name, &bytes)?;
        let component_type = component.component_type();
        Ok(Inspection {
            sha256: pack::sha256_hex(&bytes),
            size: bytes.len(),
            stamp,
            imports: component_type
                .imports(&self.engine)
                .map(|(name, _)| name.to_owned())
                .collect(),
            exports: component_type
                .exports(&self.engine)
                .map(|(name, _)| name.to_owned())
                .collect(),
        })
    }

    /// Checks every app with every pack, as [`Runtime::check_apps_in`] does, with an empty
    /// estate: the `estate` host functions then know nothing beyond each app's own record.
    pub fn check_apps(
        &self,
        packs: &[LoadedPack],
        apps: &[App],
    ) -> (Vec<Finding>, Vec<EngineDiagnostic>) {
        self.check_apps_in(packs, &Arc::default(), apps)
    }

    /// Checks every app with every pack, apps in parallel with one store per worker and pack.
    /// The packs' `estate` host functions read from `estate`, built once per run with
    /// [`EstateView::new`].
    ///
    /// The result does not depend on the number of workers: findings and diagnostics come back
    /// in app order, then pack order.
    pub fn check_apps_in(
        &self,
        packs: &[LoadedPack],
        estate: &Arc<EstateView>,
        apps: &[App],
    ) -> (Vec<Finding>, Vec<EngineDiagnostic>) {
        let outcomes: Vec<AppOutcome> = apps
            .par_iter()
            .map_init(
                || Worker::new(packs.len()),
                |worker, app| worker.check(self, packs, estate, app),
            )
            .collect();
        let mut findings = Vec::new();
        let mut diagnostics = Vec::new();
        for outcome in outcomes {
            findings.extend(outcome.findings);
            diagnostics.extend(outcome.diagnostics);
        }
        (findings, diagnostics)
    }
}

impl Drop for Runtime {
    fn drop(&mut self) {
        self.stop.store(true, Ordering::Relaxed);
        if let Some(ticker) = self.ticker.take() {
            let _ = ticker.join();
        }
    }
}

fn spawn_ticker(engine: &Engine, stop: Arc<AtomicBool>) -> std::thread::JoinHandle<()> {
    let weak = engine.weak();
    std::thread::Builder::new()
        .name("qready-epoch".into())
        .spawn(move || {
            while !stop.load(Ordering::Relaxed) {
                std::thread::sleep(EPOCH_TICK);
                match weak.upgrade() {
                    Some(engine) => engine.increment_epoch(),
                    None => break,
                }
            }
        })
        .expect("failed to start the epoch ticker thread")
}

/// Returns the first import that qready refuses to provide whatever the grants: sockets and
/// name lookup.
fn forbidden_import(engine: &Engine, component: &Component) -> Option<String> {
    component
        .component_type()
        .imports(engine)
        .map(|(name, _)| name.to_owned())
        .find(|name| name.starts_with("wasi:sockets/"))
}

fn check_version(
    name: &str,
    info: &wit_exports::PackInfo,
    requirement: Option<&semver::VersionReq>,
) -> Result<(), PackError> {
    let Some(requirement) = requirement else {
        return Ok(());
    };
    let incompatible = |reason: String| PackError::Incompatible {
        name: name.to_owned(),
        reason,
    };
    let version = semver::Version::parse(&info.version).map_err(|e| {
        incompatible(format!(
            "declares version '{}', which is not semver: {e}",
            info.version
        ))
    })?;
    if requirement.matches(&version) {
        Ok(())
    } else {
        Err(incompatible(format!(
            "is version {version}, but the configuration requires {requirement}"
        )))
    }
}

/// What `qready plugin inspect` shows of a component.
#[derive(Debug)]
pub struct Inspection {
    pub sha256: String,
    pub size: usize,
    pub stamp: Option<VersionStamp>,
    pub imports: Vec<String>,
    pub exports: Vec<String>,
}

/// The findings and diagnostics of one app.
struct AppOutcome {
    findings: Vec<Finding>,
    diagnostics: Vec<EngineDiagnostic>,
}

/// Per-thread sessions, one slot per pack, created on first use.
struct Worker {
    sessions: Vec<Option<Session>>,
}

impl Worker {
    fn new(packs: usize) -> Self {
        Worker {
            sessions: (0..packs).map(|_| None).collect(),
        }
    }

    fn check(
        &mut self,
        runtime: &Runtime,
        packs: &[LoadedPack],
        estate: &Arc<EstateView>,
        app: &App,
    ) -> AppOutcome {
        let input = convert::app(app);
        let mut outcome = AppOutcome {
            findings: Vec::new(),
            diagnostics: Vec::new(),
        };
        for (pack, slot) in packs.iter().zip(&mut self.sessions) {
            let session = match slot {
                Some(session) => session,
                None => match Session::for_pack(runtime, pack, estate) {
                    Ok(session) => slot.insert(session),
                    Err(message) => {
                        outcome.diagnostics.push(EngineDiagnostic::new(
                            pack.id(),
                            Some(&app.id),
                            message,
                        ));
                        continue;
                    }
                },
            };
            match session.check(&input) {
                Ok(returned) => collect(runtime, pack, app, returned, &mut outcome),
                Err(message) => {
                    outcome.diagnostics.push(EngineDiagnostic::new(
                        pack.id(),
                        Some(&app.id),
                        message,
                    ));
                    // A trap poisons the store; the next app starts on a fresh one.
                    *slot = None;
                }
            }
        }
        outcome
    }
}

/// Keeps the findings a pack returned within the limits, for enabled and declared rules only.
fn collect(
    runtime: &Runtime,
    pack: &LoadedPack,
    app: &App,
    returned: Vec<wit_exports::Finding>,
    outcome: &mut AppOutcome,
) {
    let limits = &runtime.limits;
    let total = returned.len();
    let mut bytes = 0usize;
    for (index, finding) in returned.into_iter().enumerate() {
        bytes += finding.message.len()
            + finding.remediation.as_ref().map_or(0, String::len)
            + finding.location.as_ref().map_or(0, |l| l.file.len());
        if index >= limits.max_findings || bytes > limits.max_finding_bytes {
            outcome.diagnostics.push(EngineDiagnostic::new(
                pack.id(),
                Some(&app.id),
                format!(
                    "check returned {total} findings, over the limits of {} findings and {} \
                     bytes of text; kept the first {index}",
                    limits.max_findings, limits.max_finding_bytes
                ),
            ));
            break;
        }
        let Some(rule) = pack.rule(&finding.code) else {
            outcome.diagnostics.push(EngineDiagnostic::new(
                pack.id(),
                Some(&app.id),
                format!("check reported undeclared rule '{}'", finding.code),
            ));
            continue;
        };
        if !pack.enabled.iter().any(|code| code == &rule.code) {
            continue;
        }
        let severity = match finding.severity {
            Some(severity) if !pack.severity.contains_key(&rule.code) => severity.into(),
            _ => pack.severity_of(rule),
        };
        outcome.findings.push(Finding {
            app_id: app.id.clone(),
            pack: pack.id().to_owned(),
            rule: PackRule {
                code: finding.code,
                name: rule.name.clone(),
            },
            severity,
            message: escape_controls(finding.message),
            location: finding.location.map(|l| Location {
                file: escape_controls(l.file),
                line: l.line,
                column: l.column,
            }),
            remediation: finding.remediation.map(escape_controls_keep_lines),
            statement: None,
            fingerprint: String::new(),
        });
    }
}
