//! Native packs: rule packs built as shared libraries with the SDK's `native` feature, loaded with
//! `libloading` and called through the ABI that `qready_plugin_sdk::native` defines.
//!
//! A native pack runs inside the qready process with all of its rights: no time limit, no memory
//! cap, and full access to files and network. Only a `[[pack]]` entry with `native = true`
//! loads one, and it is meant for trusted packs. Everything else is shared with WebAssembly
//! packs: the same [`PluginState`] handles the pack's `host` and `estate` requests, and the same
//! session and finding limits apply to what it returns.

use std::ffi::c_void;
use std::path::Path;
use std::sync::Arc;

use qready_plugin_sdk::native::{
    ABI_VERSION, ENTRY_SYMBOL, HostCallbacks, NativePack, RawBytes, function, request, status,
};

use super::bindings::qready::plugin::estate::Host as _;
use super::bindings::qready::plugin::host::{Host as _, LogLevel};
use super::sandbox::PluginState;
use super::{PackError, convert, wit_exports};

/// The encoding of WIT values across the ABI, over the host's types.
#[allow(
    dead_code,
    reason = "the file is shared with the SDK, which uses other parts of it"
)]
pub(super) mod wire {
    mod wit {
        pub use super::super::wit_exports::*;
    }
    include!("../../../plugin-sdk/src/native_wire.rs");
}

use wire::Wire;

/// A loaded native pack library whose ABI, SDK and WIT versions match the host's.
pub struct NativeLibrary {
    /// The library's [`NativePack`]; it points into the library, so it is valid while `library`
    /// is loaded.
    table: *const NativePack,
    library: libloading::Library,
}

// SAFETY: `table` points at an immutable static of the library (`NativePack` is `Sync`). The
// library stays loaded for as long as this value exists, and `libloading::Library` is itself
// `Send` and `Sync`.
unsafe impl Send for NativeLibrary {}
// SAFETY: as for `Send`: shared access only reads the static table.
unsafe impl Sync for NativeLibrary {}

impl std::fmt::Debug for NativeLibrary {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("NativeLibrary")
            .field("library", &self.library)
            .finish_non_exhaustive()
    }
}

impl NativeLibrary {
    /// Loads a library and checks its ABI, SDK and WIT versions against the host's.
    pub(super) fn load(name: &str, path: &Path) -> Result<NativeLibrary, PackError> {
        let link_error = |message: String| PackError::Link {
            name: name.to_owned(),
            message,
        };
        // SAFETY: loading a library runs its initialisers with the rights of this process. The
        // configuration opts in to that for this one file (`native = true`), which the
        // documentation allows for trusted packs only.
        let library = unsafe { libloading::Library::new(path) }
            .map_err(|e| link_error(format!("failed to load it as a native library: {e}")))?;
        // SAFETY: `ENTRY_SYMBOL` names a function of type `extern "C" fn() -> *const NativePack`
        // in every library built with the SDK's `native` feature. A library that exports the
        // name with another type cannot be detected here; that is part of trusting it.
        let table = unsafe {
            let entry = library
                .get::<unsafe extern "C" fn() -> *const NativePack>(ENTRY_SYMBOL.as_bytes())
                .map_err(|e| {
                    link_error(format!(
                        "it does not export '{ENTRY_SYMBOL}': build it with the `native` \
                         feature of qready-plugin-sdk ({e})"
                    ))
                })?;
            entry()
        };
        if table.is_null() {
            return Err(link_error(format!("'{ENTRY_SYMBOL}' returned null")));
        }
        // SAFETY: `abi_version` is the first field of `NativePack` in every ABI version, so it
        // can be read before the rest of the table is trusted.
        let abi = unsafe { (*table).abi_version };
        let incompatible = |reason: String| PackError::Incompatible {
            name: name.to_owned(),
            reason,
        };
        if abi != ABI_VERSION {
            return Err(incompatible(format!(
                "uses native ABI version {abi}, but this qready loads version {ABI_VERSION}; \
                 rebuild it with qready-plugin-sdk {}",
                qready_plugin_sdk::SDK_VERSION
            )));
        }
        let library = NativeLibrary { table, library };
        let pack = library.table();
        // SAFETY: with a matching ABI version the table's version fields view static strings
        // of the library, which stays loaded.
        let (sdk, wit) = unsafe { (pack.sdk_version.as_slice(), pack.wit_version.as_slice()) };
        let sdk = String::from_utf8_lossy(sdk);
        let wit = String::from_utf8_lossy(wit);
        if wit != super::WIT_VERSION {
            return Err(incompatible(format!(
                "was built against contract qready:plugin@{wit}, but this qready implements \
                 {}; native packs must match it exactly",
                super::WIT_VERSION
            )));
        }
        if sdk != qready_plugin_sdk::SDK_VERSION {
            return Err(incompatible(format!(
                "was built with qready-plugin-sdk {sdk}, but this qready uses {}; native packs \
                 must be built with the same SDK",
                qready_plugin_sdk::SDK_VERSION
            )));
        }
        Ok(library)
    }

    /// Returns the SDK and WIT versions, which `load` checked are equal to the host's.
    pub(super) fn stamp(&self) -> Option<super::VersionStamp> {
        Some(super::VersionStamp {
            sdk: semver::Version::parse(qready_plugin_sdk::SDK_VERSION).ok()?,
            wit: semver::Version::parse(super::WIT_VERSION).ok()?,
        })
    }

    fn table(&self) -> &NativePack {
        // SAFETY: `load` checked that the pointer is not null and that the table has this
        // host's ABI version. The table lives as long as the library, which `self` keeps loaded.
        unsafe { &*self.table }
    }
}

/// One instance of a native pack, with the state that handles its requests.
pub(super) struct NativeInstance {
    library: Arc<NativeLibrary>,
    handle: *mut c_void,
    /// Owned by this instance (from `Box::into_raw`); the library reaches it through the
    /// callbacks it holds.
    host: *mut HostContext,
}

/// The context of the library's callbacks: the callback table itself, the store state shared
/// with WebAssembly packs, and the buffer of the last reply.
struct HostContext {
    callbacks: HostCallbacks,
    state: PluginState,
    reply: Vec<u8>,
}

impl NativeInstance {
    /// Creates an instance of the library's pack.
    pub(super) fn new(library: Arc<NativeLibrary>, state: PluginState) -> Result<Self, String> {
        let host = Box::into_raw(Box::new(HostContext {
            callbacks: HostCallbacks {
                context: std::ptr::null_mut(),
                call: answer,
            },
            state,
            reply: Vec::new(),
        }));
        // SAFETY: `host` was just made by `Box::into_raw` and nothing else refers to it yet.
        unsafe { (*host).callbacks.context = host.cast() };
        // SAFETY: the callbacks live in `host`, which is freed only in `drop`, after the
        // instance is destroyed.
        let handle = unsafe { (library.table().create)(&raw const (*host).callbacks) };
        let instance = NativeInstance {
            library,
            handle,
            host,
        };
        if handle.is_null() {
            return Err("instantiation failed: the library returned no instance".to_owned());
        }
        Ok(instance)
    }

    pub(super) fn state(&self) -> &PluginState {
        // SAFETY: `host` is valid until `drop`, and the library does not run between calls.
        unsafe { &(*self.host).state }
    }

    /// Runs one function and returns its status with a copy of its output.
    fn call(&mut self, function: u32, input: &[u8]) -> (u32, Vec<u8>) {
        // SAFETY: no reference into `host` is alive while the library runs.
        unsafe { (*self.host).state.start_call() };
        let mut output = RawBytes::of(&[]);
        // SAFETY: `handle` is this library's live instance, used only by this thread through
        // `&mut self`; `input` outlives the call; `output` is a valid place to write.
        let status = unsafe {
            (self.library.table().call)(self.handle, function, RawBytes::of(input), &mut output)
        };
        // SAFETY: the instance keeps its output alive until its next call, and it is copied
        // before that.
        let bytes = unsafe { output.as_slice() }.to_vec();
        (status, bytes)
    }

    pub(super) fn describe(&mut self) -> Result<wit_exports::PackInfo, String> {
        let (status, output) = self.call(function::DESCRIBE, &[]);
        self.result("describe", status, &output)
    }

    pub(super) fn configure(&mut self, config: &str) -> Result<(), String> {
        let (status, output) = self.call(function::CONFIGURE, config.as_bytes());
        if status == status::OK && output.is_empty() {
            return Ok(());
        }
        self.result::<()>("configure", status, &output)
    }

    pub(super) fn check(
        &mut self,
        app: &wit_exports::App,
    ) -> Result<Vec<wit_exports::Finding>, String> {
        let input = wire::encode(app);
        let (status, output) = self.call(function::CHECK, &input);
        self.result("check", status, &output)
    }

    /// Decodes the output of a call into its result, or a diagnostic worded as for a
    /// WebAssembly pack.
    fn result<T: Wire>(&self, call: &str, status: u32, output: &[u8]) -> Result<T, String> {
        let with_rule = |cause: String| match self.state().current_rule() {
            Some(code) => format!("{call} {cause} in rule {code}"),
            None => format!("{call} {cause}"),
        };
        match status {
            status::OK => wire::decode(output)
                .map_err(|e| with_rule(format!("returned an invalid result: {e}"))),
            status::PLUGIN_ERROR => Err(match wire::decode::<wit_exports::PluginError>(output) {
                Ok(error) => with_rule(convert::plugin_error(&error)),
                Err(e) => with_rule(format!("returned an invalid error: {e}")),
            }),
            status::PANIC => Err(with_rule(format!(
                "panicked: {}",
                String::from_utf8_lossy(output)
            ))),
            _ => Err(with_rule(format!(
                "failed: {}",
                String::from_utf8_lossy(output)
            ))),
        }
    }
}

impl Wire for () {
    fn put(&self, _out: &mut Vec<u8>) {}
    fn take(_input: &mut wire::Input<'_>) -> Result<Self, wire::WireError> {
        Ok(())
    }
}

impl Drop for NativeInstance {
    fn drop(&mut self) {
        if !self.handle.is_null() {
            // SAFETY: `handle` came from this library's `create` and is not used again.
            unsafe { (self.library.table().destroy)(self.handle) };
        }
        // SAFETY: `host` came from `Box::into_raw` in `new`, and the instance that held its
        // callbacks is destroyed.
        drop(unsafe { Box::from_raw(self.host) });
    }
}

/// The callback the library calls for each request of the pack.
///
/// # Safety
/// `context` must be the `HostContext` of a live [`NativeInstance`], during one of its calls.
unsafe extern "C" fn answer(context: *mut c_void, request: u32, input: RawBytes) -> RawBytes {
    // SAFETY: the library passes back the context given to `create`, which is a live
    // `HostContext`, and `NativeInstance::call` holds no reference into it while the library
    // runs.
    let host = unsafe { &mut *context.cast::<HostContext>() };
    // SAFETY: the library keeps the input alive for the duration of the callback.
    let input = unsafe { input.as_slice() };
    // A panic must not unwind into the library's C frames; it becomes a failed reply, which the
    // library turns into a panic of its own call and the host into a diagnostic.
    let answered = std::panic::catch_unwind(std::panic::AssertUnwindSafe(|| {
        host.reply.clear();
        reply(&mut host.state, request, input, &mut host.reply)
    }));
    match answered {
        Ok(true) => RawBytes::of(&host.reply),
        _ => RawBytes {
            ptr: std::ptr::null(),
            len: 0,
        },
    }
}

/// Writes the reply to one request; false for a request that is unknown or malformed.
fn reply(state: &mut PluginState, request: u32, input: &[u8], out: &mut Vec<u8>) -> bool {
    let text = || std::str::from_utf8(input).ok().map(str::to_owned);
    match request {
        request::DESCRIBE_APP => {
            let Some(app_id) = text() else { return false };
            state.describe_app(app_id).put(out);
        }
        request::SECURITY_RULES => state.security_rules().put(out),
        request::SIMILAR_APPS => {
            let Some(app_id) = text() else { return false };
            state.similar_apps(app_id).put(out);
        }
        request::USAGE_WINDOW => state.usage_window().put(out),
        request::ENTER_RULE => {
            let Ok(index) = <[u8; 4]>::try_from(input) else {
                return false;
            };
            state.enter_rule(u32::from_le_bytes(index));
        }
        request::LOG => {
            let Some((&level, message)) = input.split_first() else {
                return false;
            };
            let level = match level {
                0 => LogLevel::Trace,
                1 => LogLevel::Debug,
                2 => LogLevel::Info,
                3 => LogLevel::Warn,
                4 => LogLevel::Error,
                _ => return false,
            };
            state.log(level, String::from_utf8_lossy(message).into_owned());
        }
        _ => return false,
    }
    true
}
