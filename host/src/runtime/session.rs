//! One instance of a pack, reused across apps until a call fails.

use std::sync::Arc;

use wasmtime::Store;

use super::bindings::{RulePack, RulePackPre};
use super::estate_view::EstateView;
use super::native::NativeInstance;
use super::pack::PackCode;
use super::sandbox::{MemoryLimitExceeded, PluginState};
use super::{EPOCH_TICK, LoadedPack, Runtime, convert, wit_exports};

/// A live instance of one pack: a WebAssembly store, or a native library's instance. Only the
/// call mechanism differs; callers see the same results and diagnostics.
pub(super) enum Session {
    Wasm(WasmSession),
    Native(NativeInstance),
}

impl Session {
    /// Instantiates a loaded pack and passes it its configuration.
    pub(super) fn for_pack(
        runtime: &Runtime,
        pack: &LoadedPack,
        estate: &Arc<EstateView>,
    ) -> Result<Session, String> {
        let codes: Arc<[String]> = pack.info.rules.iter().map(|r| r.code.clone()).collect();
        let name = pack.source.display_name();
        let mut session = match &pack.code {
            PackCode::Wasm(pre) => Session::Wasm(WasmSession::new(
                runtime,
                pre,
                &name,
                &pack.grants,
                codes,
                Arc::clone(estate),
            )),
            PackCode::Native(library) => {
                let state = PluginState::new(
                    &name,
                    &runtime.limits,
                    &pack.grants,
                    codes,
                    Arc::clone(estate),
                );
                Session::Native(NativeInstance::new(Arc::clone(library), state)?)
            }
        };
        session.configure(&pack.config_json)?;
        Ok(session)
    }

    pub(super) fn describe(&mut self) -> Result<wit_exports::PackInfo, String> {
        match self {
            Session::Wasm(session) => session.describe(),
            Session::Native(instance) => instance.describe(),
        }
    }

    pub(super) fn configure(&mut self, config: &str) -> Result<(), String> {
        match self {
            Session::Wasm(session) => session.configure(config),
            Session::Native(instance) => instance.configure(config),
        }
    }

    pub(super) fn check(
        &mut self,
        app: &wit_exports::App,
    ) -> Result<Vec<wit_exports::Finding>, String> {
        match self {
            Session::Wasm(session) => session.check(app),
            Session::Native(instance) => instance.check(app),
        }
    }
}

/// A store and instance of a WebAssembly pack.
pub(super) struct WasmSession {
    store: Store<PluginState>,
    instance: Result<RulePack, String>,
    deadline_ticks: u64,
}

impl WasmSession {
    /// Instantiates a pack in a fresh store; an instantiation failure is kept and returned by
    /// the first call.
    pub(super) fn new(
        runtime: &Runtime,
        pre: &RulePackPre<PluginState>,
        name: &str,
        grants: &crate::config::Grants,
        rule_codes: Arc<[String]>,
        estate: Arc<EstateView>,
    ) -> WasmSession {
        let state = PluginState::new(name, &runtime.limits, grants, rule_codes, estate);
        let mut store = Store::new(&runtime.engine, state);
        store.limiter(|state| &mut state.limiter);
        store.epoch_deadline_trap();
        let deadline_ticks = runtime.limits.deadline_ticks(EPOCH_TICK);
        store.set_epoch_deadline(deadline_ticks);
        let instance = match store.data().setup_error.clone() {
            Some(error) => Err(error),
            None => pre
                .instantiate(&mut store)
                .map_err(|e| describe_failure("instantiation", &e, store.data())),
        };
        WasmSession {
            store,
            instance,
            deadline_ticks,
        }
    }

    /// Runs one export with a fresh deadline and turns a trap into a diagnostic.
    fn call<T>(
        &mut self,
        name: &str,
        run: impl FnOnce(&RulePack, &mut Store<PluginState>) -> wasmtime::Result<T>,
    ) -> Result<T, String> {
        let instance = self.instance.as_ref().map_err(Clone::clone)?;
        self.store.set_epoch_deadline(self.deadline_ticks);
        self.store.data_mut().start_call();
        run(instance, &mut self.store).map_err(|e| describe_failure(name, &e, self.store.data()))
    }

    pub(super) fn describe(&mut self) -> Result<wit_exports::PackInfo, String> {
        self.call("describe", |pack, store| pack.call_describe(store))
    }

    pub(super) fn configure(&mut self, config: &str) -> Result<(), String> {
        self.call("configure", |pack, store| {
            pack.call_configure(store, config)
        })?
        .map_err(|e| self.returned_error("configure", &e))
    }

    pub(super) fn check(
        &mut self,
        app: &wit_exports::App,
    ) -> Result<Vec<wit_exports::Finding>, String> {
        self.call("check", |pack, store| pack.call_check(store, app))?
            .map_err(|e| self.returned_error("check", &e))
    }

    /// Formats an error the pack returned, with the rule it was running.
    fn returned_error(&self, call: &str, error: &wit_exports::PluginError) -> String {
        let message = convert::plugin_error(error);
        match self.store.data().current_rule() {
            Some(code) => format!("{call} {message} in rule {code}"),
            None => format!("{call} {message}"),
        }
    }
}

/// Turns a wasmtime error into a one-line diagnostic that names the cause and, when the pack
/// said which rule was running, the rule.
pub(super) fn describe_failure(call: &str, error: &wasmtime::Error, state: &PluginState) -> String {
    use wasmtime::Trap;
    let cause = if let Some(exceeded) = error.downcast_ref::<MemoryLimitExceeded>() {
        format!(
            "exceeded the memory limit of {} MiB",
            exceeded.limit / (1024 * 1024)
        )
    } else {
        match error.downcast_ref::<Trap>() {
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
        }
    };
    match state.current_rule() {
        Some(code) => format!("{call} {cause} in rule {code}"),
        None => format!("{call} {cause}"),
    }
}
