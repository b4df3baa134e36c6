//! qready assesses QlikView and Qlik Sense estates for a move to Qlik Cloud.
//!
//! The stages, each reading only the previous one's types: [`ingest`] reads the estate's
//! artifacts and parses scripts into the [`model`]; [`runtime`] runs rule packs, WebAssembly components, over each
//! app in a sandbox; [`assess`] collects their [`finding`]s; [`report`] renders the result.

pub mod assess;
pub mod classify;
pub mod config;
pub mod finding;
pub mod fix;
pub mod report;
pub mod runtime;

pub use qready_ingest as ingest;
pub use qready_model as model;
