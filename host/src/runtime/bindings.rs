//! Host bindings generated from the `rule-pack` world.

wasmtime::component::bindgen!({
    path: "../wit",
    world: "rule-pack",
});

/// The WIT types the host passes to and receives from packs.
pub mod exports {
    pub use super::qready::plugin::types::*;
}
