//! Renderers: each writes to an `impl Write`; none prints or recomputes anything.

pub mod decision;
pub mod diff_json;
pub mod docx;
pub mod json;
pub mod json_writer;
pub mod markdown;
pub mod report;
pub mod safe;
pub mod select;
pub mod store;
pub mod table;
pub mod terminal;
