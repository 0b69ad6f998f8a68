//! statute: parse, align and diff versions of Chinese statutes.
//!
//! The pipeline is `parse` → `model` → (align → diff → store → renderers, in later modules).
//! See ARCHITECTURE.md for a walk through it.

pub mod check;
pub mod error;
pub mod model;
pub mod numerals;
pub mod parse;
pub mod render;

pub use error::{Error, Result};
pub use model::Statute;
pub use parse::{Parsed, SourceFormat, Warning, parse_bytes, parse_file, parse_str};
