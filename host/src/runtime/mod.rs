//! The plugin runtime: one wasmtime engine per run, packs compiled once and cached on disk, and
//! a sandbox around every call.
//!
//! Sandbox defaults, applied to every pack:
//! - no files, network, environment variables or arguments: the WASI interfaces a Rust guest
//!   imports are linked over an empty context, and sockets are never linked;
//! - a time limit per call, enforced with epoch interruption ([`Limits::call_timeout`]);
//! - a cap on each pack's linear memory ([`Limits::memory_bytes`]);
//! - caps on the number of findings and the bytes of text one call may return.
//!
//! A trap, a time-out or a limit hit ends that pack's store; the next app gets a fresh one.

mod bindings;
mod cache;
mod convert;
mod sandbox;
mod stamp;

use std::path::{Path, PathBuf};
use std::sync::Arc;
use std::time::Duration;

use wasmtime::component::{Component, Linker};
use wasmtime::{Config, Engine, Store};

pub use bindings::exports as wit_exports;
pub use cache::{CompileCache, default_cache_dir};
pub use sandbox::Limits;
pub use stamp::{VersionStamp, WIT_VERSION};

use crate::finding::{EngineDiagnostic, Finding, PackRule, Severity};
use crate::model::App;
use bindings::RulePackPre;
use sandbox::PluginState;

/// Interval between epoch ticks; the time limit of a call is a whole number of ticks.
const EPOCH_TICK: Duration = Duration::from_millis(10);

/// Errors that stop a pack from loading.
#[derive(Debug, thiserror::Error)]
pub enum PackError {
    #[error("failed to read pack '{path}': {source}")]
    Read {
        path: PathBuf,
        source: std::io::Error,
    },
    #[error("'{name}' is not a WebAssembly component: {reason}")]
    NotAComponent { name: String, reason: String },
    #[error("pack '{name}' {reason}")]
    Incompatible { name: String, reason: String },
    #[error("failed to compile pack '{name}': {message}")]
    Compile { name: String, message: String },
    #[error("pack '{name}' cannot be linked: {message}")]
    Link { name: String, message: String },
    #[error("pack '{name}' failed to describe itself: {message}")]
    Describe { name: String, message: String },
    #[error("pack '{name}' rejected its options: {message}")]
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

/// Where a pack comes from.
#[derive(Debug, Clone)]
pub enum PackSource {
    /// A first-party pack embedded in the binary.
    Builtin { name: &'static str, wasm: &'static [u8] },
    /// A `.wasm` component on disk.
    File(PathBuf),
}

impl PackSource {
    /// Name used in messages: `builtin:NAME` or the file path.
    pub fn display_name(&self) -> String {
        match self {
            PackSource::Builtin { name, .. } => format!("builtin:{name}"),
            PackSource::File(path) => path.display().to_string(),
        }
    }

    fn bytes(&self) -> Result<std::borrow::Cow<'static, [u8]>, PackError> {
        match self {
            PackSource::Builtin { wasm, .. } => Ok(std::borrow::Cow::Borrowed(wasm)),
            PackSource::File(path) => std::fs::read(path)
                .map(std::borrow::Cow::Owned)
                .map_err(|source| PackError::Read {
                    path: path.clone(),
                    source,
                }),
        }
    }
}

/// The first-party packs built into this binary.
pub fn builtin_packs() -> Vec<PackSource> {
    const EMBEDDED: &[(&str, &[u8])] = include!(concat!(env!("OUT_DIR"), "/packs.rs"));
    EMBEDDED
        .iter()
        .map(|(name, wasm)| PackSource::Builtin { name, wasm })
        .collect()
}

/// A pack that is compiled, linked and described, ready to check apps.
pub struct LoadedPack {
    /// The pack's self-description.
    pub info: wit_exports::PackInfo,
    /// Where it came from.
    pub source: PackSource,
    /// SDK and WIT versions recorded in the component, when it has them.
    pub stamp: Option<VersionStamp>,
    /// Options passed to `configure`, as JSON.
    options: String,
    pre: RulePackPre<PluginState>,
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
}

/// The engine, linker and limits shared by every pack of a run.
pub struct Runtime {
    engine: Engine,
    linker: Linker<PluginState>,
    limits: Limits,
    cache: Option<CompileCache>,
    ticker: Option<std::thread::JoinHandle<()>>,
    stop: Arc<std::sync::atomic::AtomicBool>,
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

        let stop = Arc::new(std::sync::atomic::AtomicBool::new(false));
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

    /// Reads, checks, compiles (or loads from the cache), links, describes and configures a pack.
    pub fn load_pack(&self, source: PackSource, options: &str) -> Result<LoadedPack, PackError> {
        let name = source.display_name();
        let bytes = source.bytes()?;
        let stamp = stamp::read(&name, &bytes)?;
        let component = self.compile(&name, &bytes)?;
        let instance_pre = self
            .linker
            .instantiate_pre(&component)
            .map_err(|e| PackError::Link {
                name: name.clone(),
                message: format!("{e:#}"),
            })?;
        let pre = RulePackPre::new(instance_pre).map_err(|e| PackError::Link {
            name: name.clone(),
            message: format!("it does not export the rule-pack world: {e:#}"),
        })?;

        let mut session = Session::new(self, &pre, &name);
        let info = session
            .describe()
            .map_err(|message| PackError::Describe {
                name: name.clone(),
                message,
            })?;
        session
            .configure(options)
            .map_err(|message| PackError::Configure {
                name: name.clone(),
                message,
            })?;
        tracing::debug!(pack = %info.id, version = %info.version, source = %name, "loaded pack");
        Ok(LoadedPack {
            info,
            source,
            stamp,
            options: options.to_owned(),
            pre,
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

    /// Checks every app with one pack, reusing one store until a call fails.
    pub fn check_apps(
        &self,
        pack: &LoadedPack,
        apps: &[App],
        findings: &mut Vec<Finding>,
        diagnostics: &mut Vec<EngineDiagnostic>,
    ) {
        let name = pack.source.display_name();
        let mut session: Option<Session> = None;
        for app in apps {
            let live = match session.as_mut() {
                Some(live) => live,
                None => {
                    let mut fresh = Session::new(self, &pack.pre, &name);
                    if let Err(message) = fresh.configure(&pack.options) {
                        diagnostics.push(EngineDiagnostic::new(pack.id(), Some(&app.id), message));
                        continue;
                    }
                    session.insert(fresh)
                }
            };
            let input = convert::app(app);
            match live.check(&input) {
                Ok(returned) => {
                    self.collect(pack, app, returned, findings, diagnostics);
                }
                Err(message) => {
                    diagnostics.push(EngineDiagnostic::new(pack.id(), Some(&app.id), message));
                    // A trap poisons the store; start the next app on a fresh one.
                    session = None;
                }
            }
        }
    }

    fn collect(
        &self,
        pack: &LoadedPack,
        app: &App,
        returned: Vec<wit_exports::Finding>,
        findings: &mut Vec<Finding>,
        diagnostics: &mut Vec<EngineDiagnostic>,
    ) {
        let total = returned.len();
        let mut bytes = 0usize;
        for (index, finding) in returned.into_iter().enumerate() {
            bytes += finding.message.len()
                + finding.remediation.as_ref().map_or(0, String::len)
                + finding.location.as_ref().map_or(0, |l| l.file.len());
            if index >= self.limits.max_findings || bytes > self.limits.max_finding_bytes {
                diagnostics.push(EngineDiagnostic::new(
                    pack.id(),
                    Some(&app.id),
                    format!(
                        "returned {total} findings, more than the limits allow ({} findings, {} \
                         bytes of text); kept the first {index}",
                        self.limits.max_findings, self.limits.max_finding_bytes
                    ),
                ));
                break;
            }
            let Some(rule) = pack.rule(&finding.code) else {
                diagnostics.push(EngineDiagnostic::new(
                    pack.id(),
                    Some(&app.id),
                    format!("reported undeclared rule '{}'", finding.code),
                ));
                continue;
            };
            let severity = finding.severity.unwrap_or(rule.default_severity);
            findings.push(Finding {
                app_id: app.id.clone(),
                pack: pack.id().to_owned(),
                rule: PackRule {
                    code: finding.code,
                    name: rule.name.clone(),
                },
                severity: Severity::from(severity),
                message: finding.message,
                location: finding.location.map(|l| crate::finding::Location {
                    file: l.file,
                    line: l.line,
                    column: l.column,
                }),
                remediation: finding.remediation,
            });
        }
    }
}

impl Drop for Runtime {
    fn drop(&mut self) {
        self.stop.store(true, std::sync::atomic::Ordering::Relaxed);
        if let Some(ticker) = self.ticker.take() {
            let _ = ticker.join();
        }
    }
}

fn spawn_ticker(engine: &Engine, stop: Arc<std::sync::atomic::AtomicBool>) -> std::thread::JoinHandle<()> {
    let weak = engine.weak();
    std::thread::Builder::new()
        .name("qready-epoch".into())
        .spawn(move || {
            while !stop.load(std::sync::atomic::Ordering::Relaxed) {
                std::thread::sleep(EPOCH_TICK);
                match weak.upgrade() {
                    Some(engine) => engine.increment_epoch(),
                    None => break,
                }
            }
        })
        .expect("failed to start the epoch ticker thread")
}

/// One store and instance of a pack, reused for many calls until one fails.
struct Session {
    store: Store<PluginState>,
    instance: Result<bindings::RulePack, String>,
    deadline_ticks: u64,
}

impl Session {
    fn new(runtime: &Runtime, pre: &RulePackPre<PluginState>, name: &str) -> Session {
        let mut store = Store::new(&runtime.engine, PluginState::new(name, &runtime.limits));
        store.limiter(|state| &mut state.limiter);
        store.epoch_deadline_trap();
        let deadline_ticks = runtime.limits.deadline_ticks(EPOCH_TICK);
        store.set_epoch_deadline(deadline_ticks);
        let instance = pre.instantiate(&mut store);
        let instance = instance.map_err(|e| describe_failure("instantiation", &e, store.data()));
        Session {
            store,
            instance,
            deadline_ticks,
        }
    }

    /// Runs one export with a fresh deadline and turns a trap into a diagnostic.
    fn call<T>(
        &mut self,
        name: &str,
        run: impl FnOnce(&bindings::RulePack, &mut Store<PluginState>) -> wasmtime::Result<T>,
    ) -> Result<T, String> {
        let instance = self.instance.as_ref().map_err(Clone::clone)?;
        self.store.set_epoch_deadline(self.deadline_ticks);
        run(instance, &mut self.store).map_err(|e| describe_failure(name, &e, self.store.data()))
    }

    fn describe(&mut self) -> Result<wit_exports::PackInfo, String> {
        self.call("describe", |pack, store| pack.call_describe(store))
    }

    fn configure(&mut self, options: &str) -> Result<(), String> {
        self.call("configure", |pack, store| pack.call_configure(store, options))?
            .map_err(|e| convert::plugin_error(&e))
    }

    fn check(&mut self, app: &wit_exports::App) -> Result<Vec<wit_exports::Finding>, String> {
        self.call("check", |pack, store| pack.call_check(store, app))?
            .map_err(|e| convert::plugin_error(&e))
    }
}

/// Turns a wasmtime error into a one-line diagnostic that names the cause.
fn describe_failure(call: &str, error: &wasmtime::Error, state: &PluginState) -> String {
    use wasmtime::Trap;
    if let Some(exceeded) = error.downcast_ref::<sandbox::MemoryLimitExceeded>() {
        return format!(
            "{call} exceeded the memory limit of {} MiB",
            exceeded.limit / (1024 * 1024)
        );
    }
    let cause = match error.downcast_ref::<Trap>() {
        Some(Trap::Interrupt) => format!(
            "timed out after {} ms",
            state.limits.call_timeout.as_millis()
        ),
        Some(Trap::StackOverflow) => "overflowed its stack".to_owned(),
        Some(Trap::UnreachableCodeReached) => match &state.last_error {
            Some(message) => format!("trapped: {message}"),
            None => "trapped: unreachable code reached (a panic or abort)".to_owned(),
        },
        Some(trap) => format!("trapped: {trap}"),
        None => format!("failed: {error:#}"),
    };
    format!("{call} {cause}")
}
