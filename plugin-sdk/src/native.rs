//! The native pack ABI: a rule pack built as a shared library (`cdylib`) for the host's own
//! platform, which qready loads with `dlopen` instead of running it in the WebAssembly sandbox.
//!
//! A native pack runs with every right of the qready process, so the host loads one only when
//! its `[[pack]]` entry sets `native = true`: it is meant for trusted packs, such as the
//! first-party ones measured against their WebAssembly builds. Build one with the SDK's
//! `native` feature, for example
//! `cargo build --release -p qready-pack-core --features qready-plugin-sdk/native`;
//! [`register_pack!`](crate::register_pack) then also exports [`ENTRY_SYMBOL`].
//!
//! The contract is the WIT `rule-pack` world, with values encoded as [`wire`] describes and
//! passed as byte slices through C functions:
//! - [`ENTRY_SYMBOL`] returns a [`NativePack`] whose first field is [`ABI_VERSION`]; the host
//!   reads it and rejects the library unless it equals its own, then rejects a WIT or SDK
//!   version other than its own.
//! - `create` makes an instance bound to the host's [`HostCallbacks`]; `call` runs
//!   [`function::DESCRIBE`], [`function::CONFIGURE`] or [`function::CHECK`] on it and returns a
//!   [`status`]; `destroy` frees it. An instance is used by one thread at a time.
//! - Output bytes belong to the instance and stay valid until its next `call` or `destroy`;
//!   reply bytes of a host callback belong to the host and stay valid until the next callback
//!   on the same context.

use std::cell::{Cell, RefCell};
use std::ffi::c_void;
use std::panic::{AssertUnwindSafe, catch_unwind};

use crate::{App, Pack};

/// The encoding of WIT values that crosses the ABI, over the SDK's types.
pub mod wire {
    #[allow(
        dead_code,
        reason = "the file is shared with the host, which uses other parts of it"
    )]
    mod wit {
        pub use crate::bindings::qready::plugin::estate;
        pub use crate::wit_types::*;
    }
    include!("native_wire.rs");
}

/// Version of this ABI: the layout of [`NativePack`] and [`HostCallbacks`], the function and
/// request numbers, and the [`wire`] encoding. Any change to one of them increments it.
pub const ABI_VERSION: u32 = 1;

/// Name of the function a native pack exports: `extern "C" fn() -> *const NativePack`.
pub const ENTRY_SYMBOL: &str = "qready_native_pack";

/// A borrowed byte slice passed through the ABI.
#[repr(C)]
#[derive(Debug, Clone, Copy)]
pub struct RawBytes {
    pub ptr: *const u8,
    pub len: usize,
}

impl RawBytes {
    /// Creates a view of `bytes`, which the caller keeps alive as long as the view is used.
    pub const fn of(bytes: &[u8]) -> RawBytes {
        RawBytes {
            ptr: bytes.as_ptr(),
            len: bytes.len(),
        }
    }

    /// Returns the slice this view points at.
    ///
    /// # Safety
    /// `ptr` and `len` must come from [`RawBytes::of`] on bytes that are still alive and not
    /// written to for `'a`.
    pub unsafe fn as_slice<'a>(self) -> &'a [u8] {
        if self.len == 0 {
            return &[];
        }
        // SAFETY: the caller guarantees that the view came from a live slice of `len` bytes.
        unsafe { std::slice::from_raw_parts(self.ptr, self.len) }
    }
}

/// Functions of a pack instance, the exports of the `rule-pack` world.
pub mod function {
    /// `describe`: no input; output is an encoded `pack-info`.
    pub const DESCRIBE: u32 = 0;
    /// `configure`: input is the configuration JSON; output is empty, or an encoded
    /// `plugin-error` with [`super::status::PLUGIN_ERROR`].
    pub const CONFIGURE: u32 = 1;
    /// `check`: input is an encoded `app`; output is an encoded `list<finding>`, or an encoded
    /// `plugin-error` with [`super::status::PLUGIN_ERROR`].
    pub const CHECK: u32 = 2;
}

/// Results of [`NativePack::call`].
pub mod status {
    /// The output is the function's result.
    pub const OK: u32 = 0;
    /// The output is an encoded `plugin-error` the pack returned.
    pub const PLUGIN_ERROR: u32 = 1;
    /// The pack panicked; the output is the panic message in UTF-8.
    pub const PANIC: u32 = 2;
    /// The function number or the input was invalid; the output is a message in UTF-8.
    pub const INVALID_CALL: u32 = 3;
}

/// Requests a pack makes to the host, the imports of the `rule-pack` world.
pub mod request {
    /// `estate.describe-app`: input is the app id; reply is an encoded `option<app-details>`.
    pub const DESCRIBE_APP: u32 = 0;
    /// `estate.security-rules`: no input; reply is an encoded `list<security-rule>`.
    pub const SECURITY_RULES: u32 = 1;
    /// `estate.similar-apps`: input is the app id; reply is an encoded `list<similar-app>`.
    pub const SIMILAR_APPS: u32 = 2;
    /// `estate.usage-window`: no input; reply is an encoded `option<u32>`.
    pub const USAGE_WINDOW: u32 = 3;
    /// `host.enter-rule`: input is the rule index as a little-endian `u32`; empty reply.
    pub const ENTER_RULE: u32 = 4;
    /// `host.log`: input is the level index (`log-level` in WIT order) then the message in
    /// UTF-8; empty reply.
    pub const LOG: u32 = 5;
}

/// The callback table the host gives an instance.
#[repr(C)]
#[derive(Debug)]
pub struct HostCallbacks {
    /// Passed back unchanged as the first argument of `call`.
    pub context: *mut c_void,
    /// Handles one [`request`] and returns the reply. A null `ptr` means the host failed.
    pub call: unsafe extern "C" fn(context: *mut c_void, request: u32, input: RawBytes) -> RawBytes,
}

/// The table a native pack exports through [`ENTRY_SYMBOL`].
#[repr(C)]
#[derive(Debug)]
pub struct NativePack {
    /// [`ABI_VERSION`] of the SDK the pack was built with. It stays the first field in every
    /// version, so that a host can read it from any library before trusting the rest.
    pub abi_version: u32,
    /// Version of the SDK the pack was built with, in UTF-8.
    pub sdk_version: RawBytes,
    /// Version of the WIT package the pack was built against, in UTF-8.
    pub wit_version: RawBytes,
    /// Creates an instance bound to `host`, which must outlive it.
    pub create: unsafe extern "C" fn(host: *const HostCallbacks) -> *mut c_void,
    /// Frees an instance made by `create`.
    pub destroy: unsafe extern "C" fn(instance: *mut c_void),
    /// Runs one [`function`] and stores the output in `*output`; returns a [`status`].
    pub call: unsafe extern "C" fn(
        instance: *mut c_void,
        function: u32,
        input: RawBytes,
        output: *mut RawBytes,
    ) -> u32,
}

// SAFETY: a `NativePack` is immutable and points only at static strings and functions of the
// library, which any thread may read and call.
unsafe impl Sync for NativePack {}

thread_local! {
    /// The host of the call running on this thread, if any.
    static HOST: Cell<*const HostCallbacks> = const { Cell::new(std::ptr::null()) };
}

/// Sends a request to the host of the running call; `None` outside a native call.
pub(crate) fn host_request<T>(
    request: u32,
    input: &[u8],
    read: impl FnOnce(&[u8]) -> T,
) -> Option<T> {
    let host = HOST.with(Cell::get);
    if host.is_null() {
        return None;
    }
    // SAFETY: `HOST` is set only by `call` below, for the duration of a call, to the callbacks
    // the host passed to `create`, which outlive the instance.
    let host = unsafe { &*host };
    // SAFETY: `call` is the host's function for its `context`, both given to `create`.
    let reply = unsafe { (host.call)(host.context, request, RawBytes::of(input)) };
    assert!(
        !reply.ptr.is_null() || reply.len == 0,
        "the host failed to answer request {request}"
    );
    // SAFETY: the host keeps the reply alive until its next callback on this context, and
    // nothing calls back before `read` returns.
    Some(read(unsafe { reply.as_slice() }))
}

/// Decodes a host reply, panicking on bytes that do not decode: a pack cannot go on without
/// the fact it asked for, and the panic becomes a diagnostic.
pub(crate) fn host_value<T: wire::Wire>(request: u32, input: &[u8]) -> Option<T> {
    host_request(request, input, |bytes| {
        wire::decode(bytes)
            .unwrap_or_else(|e| panic!("invalid reply from the host to request {request}: {e}"))
    })
}

/// Restores the previous host of the thread when a call ends, even by a panic.
struct HostScope(*const HostCallbacks);

impl HostScope {
    fn enter(host: *const HostCallbacks) -> HostScope {
        HostScope(HOST.with(|cell| cell.replace(host)))
    }
}

impl Drop for HostScope {
    fn drop(&mut self) {
        HOST.with(|cell| cell.set(self.0));
    }
}

/// One instance of a pack behind the ABI.
pub struct Instance<P> {
    slot: RefCell<Option<crate::__private::Configured<P>>>,
    host: *const HostCallbacks,
    output: Vec<u8>,
}

/// `create` of [`NativePack`] for pack `P`.
///
/// # Safety
/// `host` must point to callbacks that outlive the instance.
pub unsafe extern "C" fn create<P: Pack>(host: *const HostCallbacks) -> *mut c_void {
    let instance = Box::new(Instance::<P> {
        slot: RefCell::new(None),
        host,
        output: Vec::new(),
    });
    Box::into_raw(instance).cast()
}

/// `destroy` of [`NativePack`] for pack `P`.
///
/// # Safety
/// `instance` must come from [`create`] for the same `P` and not be used afterwards.
pub unsafe extern "C" fn destroy<P: Pack>(instance: *mut c_void) {
    // SAFETY: the caller passes a pointer made by `Box::into_raw` in `create::<P>`, once.
    drop(unsafe { Box::from_raw(instance.cast::<Instance<P>>()) });
}

/// `call` of [`NativePack`] for pack `P`.
///
/// # Safety
/// `instance` must come from [`create`] for the same `P`, and no other thread may use it during
/// the call. `input` must view live bytes, and `output` must be valid for a write.
pub unsafe extern "C" fn call<P: Pack>(
    instance: *mut c_void,
    function: u32,
    input: RawBytes,
    output: *mut RawBytes,
) -> u32 {
    // SAFETY: the caller passes an instance made by `create::<P>` that no other thread uses.
    let instance = unsafe { &mut *instance.cast::<Instance<P>>() };
    // SAFETY: the caller keeps the input bytes alive for the call.
    let input = unsafe { input.as_slice() };
    let _scope = HostScope::enter(instance.host);
    let mut out = std::mem::take(&mut instance.output);
    out.clear();
    let slot = &instance.slot;
    let status = match catch_unwind(AssertUnwindSafe(|| {
        run::<P>(slot, function, input, &mut out)
    })) {
        Ok(status) => status,
        Err(payload) => {
            out.clear();
            let message = payload
                .downcast_ref::<&str>()
                .map(|s| (*s).to_owned())
                .or_else(|| payload.downcast_ref::<String>().cloned())
                .unwrap_or_else(|| "a panic with no message".to_owned());
            out.extend_from_slice(message.as_bytes());
            status::PANIC
        }
    };
    instance.output = out;
    // SAFETY: the caller passes a pointer valid for a write.
    unsafe { output.write(RawBytes::of(&instance.output)) };
    status
}

fn run<P: Pack>(
    slot: &RefCell<Option<crate::__private::Configured<P>>>,
    function: u32,
    input: &[u8],
    out: &mut Vec<u8>,
) -> u32 {
    use wire::Wire as _;
    let plugin_error = |error: crate::PluginError, out: &mut Vec<u8>| {
        error.put(out);
        status::PLUGIN_ERROR
    };
    match function {
        function::DESCRIBE => {
            crate::__private::describe::<P>().put(out);
            status::OK
        }
        function::CONFIGURE => {
            let Ok(config) = std::str::from_utf8(input) else {
                out.extend_from_slice(b"the configuration is not UTF-8");
                return status::INVALID_CALL;
            };
            match crate::__private::configure::<P>(slot, config) {
                Ok(()) => status::OK,
                Err(error) => plugin_error(error, out),
            }
        }
        function::CHECK => {
            let app: App = match wire::decode(input) {
                Ok(app) => app,
                Err(error) => {
                    out.extend_from_slice(format!("invalid app record: {error}").as_bytes());
                    return status::INVALID_CALL;
                }
            };
            match crate::__private::check::<P>(slot, &app) {
                Ok(findings) => {
                    findings.put(out);
                    status::OK
                }
                Err(error) => plugin_error(error, out),
            }
        }
        _ => {
            out.extend_from_slice(format!("unknown function {function}").as_bytes());
            status::INVALID_CALL
        }
    }
}
