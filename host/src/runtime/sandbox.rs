//! Store state, resource limits and the WASI subset linked for packs.

use std::sync::Arc;
use std::time::Duration;

use wasmtime::ResourceLimiter;
use wasmtime::component::{HasSelf, Linker, ResourceTable};
use wasmtime_wasi::{FsPerms, WasiCtx, WasiCtxBuilder, WasiCtxView, WasiView};

use super::bindings;
use super::estate_view::EstateView;

/// Limits applied to every pack call. The defaults are documented on each field.
#[derive(Debug, Clone)]
pub struct Limits {
    /// Wall-clock time one call may run: 5 s by default.
    pub call_timeout: Duration,
    /// Linear memory one pack instance may grow to: 256 MiB by default.
    pub memory_bytes: usize,
    /// Findings one `check` call may return: 10,000 by default.
    pub max_findings: usize,
    /// Bytes of text (messages, remediations, file names) one `check` call may return: 8 MiB by
    /// default.
    pub max_finding_bytes: usize,
    /// Log messages one instance may write before the rest are dropped: 1,000 by default.
    pub max_log_messages: usize,
}

impl Default for Limits {
    fn default() -> Self {
        Limits {
            call_timeout: Duration::from_secs(5),
            memory_bytes: 256 * 1024 * 1024,
            max_findings: 10_000,
            max_finding_bytes: 8 * 1024 * 1024,
            max_log_messages: 1_000,
        }
    }
}

impl Limits {
    /// Number of epoch ticks that make up the call time limit, at least one.
    pub(super) fn deadline_ticks(&self, tick: Duration) -> u64 {
        let ticks = self.call_timeout.as_millis() / tick.as_millis().max(1);
        u64::try_from(ticks).unwrap_or(u64::MAX).max(1)
    }
}

/// The error a memory growth past the limit traps with.
#[derive(Debug, thiserror::Error)]
#[error("memory limit of {limit} bytes exceeded (requested {requested} bytes)")]
pub struct MemoryLimitExceeded {
    pub limit: usize,
    pub requested: usize,
}

/// Caps linear memory and tables, and traps instead of letting `memory.grow` fail quietly.
pub(super) struct PackLimiter {
    memory_bytes: usize,
}

impl ResourceLimiter for PackLimiter {
    fn memory_growing(
        &mut self,
        _current: usize,
        desired: usize,
        _maximum: Option<usize>,
    ) -> wasmtime::Result<bool> {
        if desired > self.memory_bytes {
            return Err(wasmtime::Error::new(MemoryLimitExceeded {
                limit: self.memory_bytes,
                requested: desired,
            }));
        }
        Ok(true)
    }

    fn table_growing(
        &mut self,
        _current: usize,
        desired: usize,
        _maximum: Option<usize>,
    ) -> wasmtime::Result<bool> {
        Ok(desired <= 100_000)
    }

    fn instances(&self) -> usize {
        16
    }

    fn tables(&self) -> usize {
        16
    }

    fn memories(&self) -> usize {
        4
    }
}

/// Data of one pack's store.
pub(super) struct PluginState {
    pub(super) limiter: PackLimiter,
    pub(super) limits: Limits,
    pack: String,
    wasi: WasiCtx,
    table: ResourceTable,
    log_messages: usize,
    /// Codes of the pack's rules, in the order of its `describe`.
    rule_codes: Arc<[String]>,
    /// Index of the rule the pack reported as running, during a call.
    current_rule: Option<u32>,
    /// The last error-level message the pack logged, such as its panic message.
    pub(super) last_error: Option<String>,
    /// Reason the sandbox could not be set up, such as a granted folder that does not exist.
    pub(super) setup_error: Option<String>,
    /// The estate that the `estate` host functions read from.
    estate: Arc<EstateView>,
}

impl PluginState {
    pub(super) fn new(
        pack: &str,
        limits: &Limits,
        grants: &crate::config::Grants,
        rule_codes: Arc<[String]>,
        estate: Arc<EstateView>,
    ) -> Self {
        // No environment, arguments, stdio or sockets; only the granted folders, read-only.
        let mut builder = WasiCtxBuilder::new();
        let mut setup_error = None;
        for dir in &grants.read_dirs {
            let guest = dir.display().to_string();
            if let Err(error) = builder.preopened_dir(dir, &guest, FsPerms::ReadOnly) {
                setup_error = Some(format!("failed to grant read access to '{guest}': {error}"));
            }
        }
        PluginState {
            limiter: PackLimiter {
                memory_bytes: limits.memory_bytes,
            },
            limits: limits.clone(),
            pack: pack.to_owned(),
            wasi: builder.build(),
            table: ResourceTable::new(),
            log_messages: 0,
            rule_codes,
            current_rule: None,
            last_error: None,
            setup_error,
            estate,
        }
    }

    /// Forgets the rule and error of the previous call.
    pub(super) fn start_call(&mut self) {
        self.current_rule = None;
        self.last_error = None;
    }

    /// Returns the code of the rule the pack last reported entering.
    pub(super) fn current_rule(&self) -> Option<&str> {
        let index = self.current_rule? as usize;
        self.rule_codes.get(index).map(String::as_str)
    }
}

impl WasiView for PluginState {
    fn ctx(&mut self) -> WasiCtxView<'_> {
        WasiCtxView {
            ctx: &mut self.wasi,
            table: &mut self.table,
        }
    }
}

/// Maximum length of a log message kept from a pack, in bytes.
const MAX_LOG_MESSAGE: usize = 4096;

impl bindings::qready::plugin::host::Host for PluginState {
    fn log(&mut self, level: bindings::qready::plugin::host::LogLevel, message: String) {
        use bindings::qready::plugin::host::LogLevel;
        self.log_messages += 1;
        if self.log_messages > self.limits.max_log_messages {
            return;
        }
        let message = truncate(&message, MAX_LOG_MESSAGE);
        let pack = self.pack.as_str();
        match level {
            LogLevel::Trace => tracing::trace!(pack, "{message}"),
            LogLevel::Debug => tracing::debug!(pack, "{message}"),
            LogLevel::Info => tracing::info!(pack, "{message}"),
            LogLevel::Warn => tracing::warn!(pack, "{message}"),
            LogLevel::Error => {
                tracing::debug!(pack, "{message}");
                self.last_error = Some(message.to_owned());
            }
        }
    }

    fn enter_rule(&mut self, index: u32) {
        self.current_rule = Some(index);
    }
}

impl bindings::qready::plugin::types::Host for PluginState {}

impl bindings::qready::plugin::estate::Host for PluginState {
    fn describe_app(&mut self, app_id: String) -> Option<bindings::exports::estate::AppDetails> {
        self.estate.app_details(&app_id)
    }

    fn security_rules(&mut self) -> Vec<bindings::exports::estate::SecurityRule> {
        self.estate.security_rules()
    }

    fn similar_apps(&mut self, app_id: String) -> Vec<bindings::exports::estate::SimilarApp> {
        self.estate.similar_apps(&app_id)
    }

    fn usage_window(&mut self) -> Option<u32> {
        self.estate.usage_window()
    }

    fn app_mashups(&mut self, app_id: String) -> Vec<bindings::exports::estate::MashupUse> {
        self.estate.app_mashups(&app_id)
    }

    fn publisher_tasks(&mut self, app_id: String) -> Vec<bindings::exports::estate::PublisherTask> {
        self.estate.publisher_tasks(&app_id)
    }
}

impl bindings::connector::qready::plugin::sources::Host for PluginState {}

fn truncate(text: &str, max: usize) -> &str {
    if text.len() <= max {
        return text;
    }
    let mut end = max;
    while !text.is_char_boundary(end) {
        end -= 1;
    }
    &text[..end]
}

/// Links the host interface and the WASI interfaces a `wasm32-wasip2` Rust guest imports.
///
/// A Rust guest built with `std` imports clocks, random, cli, io and filesystem interfaces even
/// when it uses none of them. They are linked over the empty context of [`PluginState`], so a
/// call to them finds no directory, variable or argument. Sockets and name lookup are never
/// linked: a pack that imports them fails to load.
pub(super) fn link(linker: &mut Linker<PluginState>) -> wasmtime::Result<()> {
    use wasmtime_wasi::cli::{WasiCli, WasiCliView};
    use wasmtime_wasi::clocks::{WasiClocks, WasiClocksView};
    use wasmtime_wasi::filesystem::{WasiFilesystem, WasiFilesystemView};
    use wasmtime_wasi::p2::bindings::{cli, clocks, filesystem, random, sync};
    use wasmtime_wasi::random::WasiRandom;

    bindings::qready::plugin::host::add_to_linker::<_, HasSelf<PluginState>>(linker, |s| s)?;
    bindings::qready::plugin::estate::add_to_linker::<_, HasSelf<PluginState>>(linker, |s| s)?;

    let l = linker;
    clocks::wall_clock::add_to_linker::<_, WasiClocks>(l, PluginState::clocks)?;
    clocks::monotonic_clock::add_to_linker::<_, WasiClocks>(l, PluginState::clocks)?;
    random::random::add_to_linker::<_, WasiRandom>(l, |s| s.wasi.random())?;
    random::insecure::add_to_linker::<_, WasiRandom>(l, |s| s.wasi.random())?;
    random::insecure_seed::add_to_linker::<_, WasiRandom>(l, |s| s.wasi.random())?;
    cli::exit::add_to_linker::<_, WasiCli>(l, PluginState::cli)?;
    cli::environment::add_to_linker::<_, WasiCli>(l, PluginState::cli)?;
    cli::stdin::add_to_linker::<_, WasiCli>(l, PluginState::cli)?;
    cli::stdout::add_to_linker::<_, WasiCli>(l, PluginState::cli)?;
    cli::stderr::add_to_linker::<_, WasiCli>(l, PluginState::cli)?;
    cli::terminal_input::add_to_linker::<_, WasiCli>(l, PluginState::cli)?;
    cli::terminal_output::add_to_linker::<_, WasiCli>(l, PluginState::cli)?;
    cli::terminal_stdin::add_to_linker::<_, WasiCli>(l, PluginState::cli)?;
    cli::terminal_stdout::add_to_linker::<_, WasiCli>(l, PluginState::cli)?;
    cli::terminal_stderr::add_to_linker::<_, WasiCli>(l, PluginState::cli)?;
    filesystem::preopens::add_to_linker::<_, WasiFilesystem>(l, PluginState::filesystem)?;
    sync::filesystem::types::add_to_linker::<_, WasiFilesystem>(l, PluginState::filesystem)?;
    wasmtime_wasi_io::bindings::wasi::io::error::add_to_linker::<_, HasTable>(l, |s| &mut s.table)?;
    sync::io::poll::add_to_linker::<_, HasTable>(l, |s| &mut s.table)?;
    sync::io::streams::add_to_linker::<_, HasTable>(l, |s| &mut s.table)?;
    forbid_sleep(l)
}

/// Version of `wasi:clocks` that this wasmtime-wasi defines; [`forbid_sleep`] must name it
/// exactly to replace its functions.
const WASI_CLOCKS_VERSION: &str = "0.2.12";

/// Replaces the monotonic clock's `subscribe-duration` and `subscribe-instant`, on which a
/// guest's `sleep` and timers block, with functions that trap.
///
/// An epoch deadline cannot interrupt a host call that blocks, so a pack that sleeps would
/// otherwise outlive its time limit. A rule has no reason to wait.
fn forbid_sleep(linker: &mut Linker<PluginState>) -> wasmtime::Result<()> {
    use wasmtime::component::Resource;
    use wasmtime_wasi_io::poll::DynPollable;

    linker.allow_shadowing(true);
    let mut clock = linker.instance(&format!(
        "wasi:clocks/monotonic-clock@{WASI_CLOCKS_VERSION}"
    ))?;
    clock.func_wrap(
        "subscribe-duration",
        |_store, (_duration,): (u64,)| -> wasmtime::Result<(Resource<DynPollable>,)> {
            Err(wasmtime::Error::new(SleepForbidden))
        },
    )?;
    clock.func_wrap(
        "subscribe-instant",
        |_store, (_instant,): (u64,)| -> wasmtime::Result<(Resource<DynPollable>,)> {
            Err(wasmtime::Error::new(SleepForbidden))
        },
    )?;
    linker.allow_shadowing(false);
    Ok(())
}

/// The error a pack's attempt to sleep or wait on a timer traps with.
#[derive(Debug, thiserror::Error)]
#[error("tried to sleep or wait on a timer, which packs may not do")]
pub struct SleepForbidden;

struct HasTable;

impl wasmtime::component::HasData for HasTable {
    type Data<'a> = &'a mut ResourceTable;
}
