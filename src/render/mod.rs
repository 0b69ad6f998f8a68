//! Renderers: each writes to an `impl Write`; none prints or recomputes anything.

pub mod canonical;
pub mod diff_json;
pub mod docx;
pub mod json;
pub mod report;
