//! Typed errors of the library, each naming the file (and line) it is about.

use std::path::PathBuf;

/// Everything that can go wrong reading or parsing a statute.
#[derive(Debug, thiserror::Error)]
pub enum Error {
    #[error("{path}: cannot read: {source}")]
    Io {
        path: PathBuf,
        #[source]
        source: std::io::Error,
    },
    #[error("{path}: empty file")]
    Empty { path: PathBuf },
    #[error("{path}: binary data ({what}), not a statute text")]
    Binary { path: PathBuf, what: String },
    #[error("{path}: not valid UTF-8, GB18030 or Big5 text (first bad byte at offset {offset})")]
    Encoding { path: PathBuf, offset: usize },
    #[error("{path}: file too large ({size} bytes; the limit is {limit} bytes)")]
    TooLarge {
        path: PathBuf,
        size: u64,
        limit: u64,
    },
    #[error("{path}: {source}")]
    Docx {
        path: PathBuf,
        #[source]
        source: crate::parse::docx::DocxError,
    },
    #[error("{path}:{line}: {message}")]
    Syntax {
        path: PathBuf,
        line: u32,
        message: String,
    },
}

/// Result with the library's [`Error`].
pub type Result<T, E = Error> = std::result::Result<T, E>;
