//! Exports `qready_native_pack` with a version the host must reject, and functions that fail
//! loudly if the host calls them anyway.

use std::ffi::c_void;

#[repr(C)]
pub struct RawBytes {
    ptr: *const u8,
    len: usize,
}

/// The layout of version 1 of the native pack ABI.
#[repr(C)]
pub struct NativePack {
    abi_version: u32,
    sdk_version: RawBytes,
    wit_version: RawBytes,
    create: unsafe extern "C" fn(*const c_void) -> *mut c_void,
    destroy: unsafe extern "C" fn(*mut c_void),
    call: unsafe extern "C" fn(*mut c_void, u32, RawBytes, *mut RawBytes) -> u32,
}

// SAFETY: the table is immutable and points only at static strings and functions.
unsafe impl Sync for NativePack {}

unsafe extern "C" fn create(_host: *const c_void) -> *mut c_void {
    std::process::abort()
}

unsafe extern "C" fn destroy(_instance: *mut c_void) {
    std::process::abort()
}

unsafe extern "C" fn call(_: *mut c_void, _: u32, _: RawBytes, _: *mut RawBytes) -> u32 {
    std::process::abort()
}

const SDK: &str = env!("CARGO_PKG_VERSION");
const WIT: &str = if cfg!(feature = "contract") {
    "0.0.9"
} else {
    "0.1.1"
};

static PACK: NativePack = NativePack {
    abi_version: if cfg!(feature = "abi") { 99 } else { 1 },
    sdk_version: RawBytes {
        ptr: SDK.as_ptr(),
        len: SDK.len(),
    },
    wit_version: RawBytes {
        ptr: WIT.as_ptr(),
        len: WIT.len(),
    },
    create,
    destroy,
    call,
};

#[unsafe(no_mangle)]
pub extern "C" fn qready_native_pack() -> *const NativePack {
    &PACK
}
