//! Renderers: each writes to an `impl Write`; none prints or recomputes anything.

pub mod canonical;
pub mod diff_json;
pub mod json;
pub mod report;
pub mod store;
