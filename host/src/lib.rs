//! qready assesses QlikView and Qlik Sense estates for a move to Qlik Cloud.
//!
//! The stages, each reading only the previous one's types: [`ingest`] finds apps and parses their
//! scripts into the [`model`]; [`runtime`] runs rule packs, WebAssembly components, over each
//! app in a sandbox; [`assess`] collects their [`finding`]s; [`report`] renders the result.

pub mod assess;
pub mod config;
pub mod finding;
pub mod ingest;
pub mod model;
pub mod redact;
pub mod report;
pub mod runtime;
