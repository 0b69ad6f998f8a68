//! statute: parse, align and diff versions of Chinese statutes.
//!
//! The pipeline is `parse` → `model` → `align` → `diff` (one `ChangeSet`) → renderers; `store`
//! keeps every version in a git repository and `lineage` follows articles through them; `feed`
//! publishes one event per stored version (JSON Lines, JSON, Atom); `tui` is the terminal
//! browser of `statute browse`.
//! See ARCHITECTURE.md for a walk through it.

pub mod align;
pub mod amend;
pub mod check;
pub mod cite;
pub mod diff;
pub mod error;
pub mod feed;
pub mod lineage;
pub mod model;
pub mod normalize;
pub mod numerals;
pub mod par;
pub mod parse;
pub mod render;
pub mod segment;
pub mod store;
pub mod tui;

pub use error::{Error, Result};
pub use model::Statute;
pub use parse::{Parsed, SourceFormat, Warning, parse_bytes, parse_file, parse_str};
