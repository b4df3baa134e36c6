//! Glue that [`register_pack!`](crate::register_pack) expands to. Not part of the public API.

#[cfg(feature = "rule-pack")]
use std::cell::RefCell;

#[cfg(feature = "rule-pack")]
use crate::{App, Config, Finding, Findings, Pack, PackInfo, PluginError};

#[cfg(feature = "rule-pack")]
pub use crate::bindings;
#[cfg(feature = "rule-pack")]
pub use crate::bindings::Guest;
#[cfg(feature = "connector")]
pub use crate::connector::glue::*;

const STAMP_TEXT: &str = concat!(
    "sdk=",
    env!("CARGO_PKG_VERSION"),
    "\nwit=",
    crate::wit_version!(),
    "\n"
);

/// Length of [`STAMP`].
pub const STAMP_LEN: usize = STAMP_TEXT.len();

/// Content of the version section that every pack carries.
pub const STAMP: [u8; STAMP_LEN] = stamp_bytes();

const fn stamp_bytes() -> [u8; STAMP_LEN] {
    let source = STAMP_TEXT.as_bytes();
    let mut out = [0u8; STAMP_LEN];
    let mut i = 0;
    while i < STAMP_LEN {
        out[i] = source[i];
        i += 1;
    }
    out
}

/// Sends panic messages to the host log, because a pack has no stderr the user can see.
pub fn install_panic_hook() {
    static INSTALLED: std::sync::Once = std::sync::Once::new();
    INSTALLED.call_once(|| {
        std::panic::set_hook(Box::new(|info| {
            crate::log(crate::LogLevel::Error, &format!("pack panicked: {info}"));
        }));
    });
}

/// Returns the pack's self-description.
#[cfg(feature = "rule-pack")]
pub fn describe<P: Pack>() -> PackInfo {
    install_panic_hook();
    PackInfo {
        id: P::ID.to_owned(),
        version: P::VERSION.to_owned(),
        description: P::DESCRIPTION.to_owned(),
        rules: P::RULES.iter().map(|rule| rule.info()).collect(),
    }
}

/// A pack with the configuration it was given.
#[cfg(feature = "rule-pack")]
pub struct Configured<P> {
    pack: P,
    enabled: Option<std::rc::Rc<std::collections::BTreeSet<String>>>,
}

/// Creates the pack and applies the run's configuration.
#[cfg(feature = "rule-pack")]
pub fn configure<P: Pack>(
    slot: &RefCell<Option<Configured<P>>>,
    config: &str,
) -> Result<(), PluginError> {
    install_panic_hook();
    let config = Config::parse(config)?;
    let mut pack = P::default();
    pack.configure(&config)?;
    *slot.borrow_mut() = Some(Configured {
        pack,
        enabled: config.enabled_codes().cloned().map(std::rc::Rc::new),
    });
    Ok(())
}

/// Checks one app with the configured pack, or a default one when `configure` was not called.
#[cfg(feature = "rule-pack")]
pub fn check<P: Pack>(
    slot: &RefCell<Option<Configured<P>>>,
    app: &App,
) -> Result<Vec<Finding>, PluginError> {
    install_panic_hook();
    let mut slot = slot.borrow_mut();
    let configured = slot.get_or_insert_with(|| Configured {
        pack: P::default(),
        enabled: None,
    });
    run_check(&configured.pack, configured.enabled.clone(), app)
}

/// Runs a pack's check and rejects findings for rules it did not declare.
#[cfg(feature = "rule-pack")]
pub fn run_check<P: Pack>(
    pack: &P,
    enabled: Option<std::rc::Rc<std::collections::BTreeSet<String>>>,
    app: &App,
) -> Result<Vec<Finding>, PluginError> {
    let mut findings = Findings::new(P::RULES, enabled);
    pack.check(app, &mut findings)?;
    let findings = findings.into_vec();
    if let Some(unknown) = findings
        .iter()
        .find(|f| !P::RULES.iter().any(|rule| rule.code == f.code))
    {
        return Err(PluginError::Failed(format!(
            "pack '{}' reported a finding for rule '{}', which is not in its RULES",
            P::ID,
            unknown.code
        )));
    }
    Ok(findings)
}

/// Registers a type that implements [`Pack`](crate::Pack) as the component's exports.
///
/// Use it once per pack crate. It also writes the SDK and WIT versions into a custom section,
/// which the host reads before it instantiates the pack.
#[macro_export]
macro_rules! register_pack {
    ($pack:ty) => {
        #[cfg(target_arch = "wasm32")]
        const _: () = {
            ::std::thread_local! {
                static QREADY_PACK: ::std::cell::RefCell<
                    ::std::option::Option<$crate::__private::Configured<$pack>>,
                > =
                    const { ::std::cell::RefCell::new(::std::option::Option::None) };
            }

            struct QreadyGuest;

            impl $crate::__private::Guest for QreadyGuest {
                fn describe() -> $crate::PackInfo {
                    $crate::__private::describe::<$pack>()
                }

                fn configure(
                    config: ::std::string::String,
                ) -> ::std::result::Result<(), $crate::PluginError> {
                    QREADY_PACK.with(|slot| $crate::__private::configure::<$pack>(slot, &config))
                }

                fn check(
                    app: $crate::App,
                ) -> ::std::result::Result<::std::vec::Vec<$crate::Finding>, $crate::PluginError>
                {
                    QREADY_PACK.with(|slot| $crate::__private::check::<$pack>(slot, &app))
                }
            }

            $crate::bindings::__export_rule_pack!(QreadyGuest with_types_in $crate::__private::bindings);

            #[unsafe(link_section = "qready-sdk")]
            #[used]
            static QREADY_SDK_STAMP: [u8; $crate::__private::STAMP_LEN] = $crate::__private::STAMP;
        };
        $crate::__native_export!($pack);
    };
}

/// Exports the native pack ABI for a pack type; see [`crate::native`].
#[cfg(all(feature = "native", not(target_arch = "wasm32")))]
#[doc(hidden)]
#[macro_export]
macro_rules! __native_export {
    ($pack:ty) => {
        const _: () = {
            static QREADY_NATIVE_PACK: $crate::native::NativePack = $crate::native::NativePack {
                abi_version: $crate::native::ABI_VERSION,
                sdk_version: $crate::native::RawBytes::of($crate::SDK_VERSION.as_bytes()),
                wit_version: $crate::native::RawBytes::of($crate::WIT_VERSION.as_bytes()),
                create: $crate::native::create::<$pack>,
                destroy: $crate::native::destroy::<$pack>,
                call: $crate::native::call::<$pack>,
            };

            /// The entry point the host looks up: `native::ENTRY_SYMBOL`.
            #[unsafe(no_mangle)]
            pub extern "C" fn qready_native_pack() -> *const $crate::native::NativePack {
                &QREADY_NATIVE_PACK
            }
        };
    };
}

/// Without the `native` feature a pack exports no native ABI.
#[cfg(not(all(feature = "native", not(target_arch = "wasm32"))))]
#[doc(hidden)]
#[macro_export]
macro_rules! __native_export {
    ($pack:ty) => {};
}
