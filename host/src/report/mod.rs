//! Renders an [`Assessment`](crate::assess::Assessment) for people and for programs.

mod json;
mod text;

pub use json::{JSON_SCHEMA_VERSION, render_json};
pub use text::render_text;
