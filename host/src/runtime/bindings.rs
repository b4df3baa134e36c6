//! Host bindings generated from the `rule-pack` and `connector` worlds.

wasmtime::component::bindgen!({
    path: "../wit",
    world: "rule-pack",
});

/// The WIT types the host passes to and receives from packs.
pub mod exports {
    pub use super::qready::plugin::estate;
    pub use super::qready::plugin::types::*;
}

/// Bindings of the `connector` world, sharing the `types` and `host` interfaces with the
/// `rule-pack` world so that one linker serves both.
pub mod connector {
    wasmtime::component::bindgen!({
        path: "../wit",
        world: "connector",
        with: {
            "qready:plugin/types": super::qready::plugin::types,
            "qready:plugin/host": super::qready::plugin::host,
        },
    });
}
