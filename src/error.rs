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
        source: DocxError,
    },
    #[error("{path}:{line}: {message}")]
    Syntax {
        path: PathBuf,
        line: u32,
        message: String,
    },
}

/// Why a Word document could not be read.
#[derive(Debug, thiserror::Error)]
pub enum DocxError {
    #[error(
        "a Word 97–2003 document (.doc) or a password-protected .docx (OLE compound file); only .docx is read: save it as .docx without a password"
    )]
    Ole,
    #[error("a damaged zip archive ({0}), not a readable .docx")]
    Zip(String),
    #[error("a zip archive without word/document.xml, not a Word document")]
    NotWord,
    #[error("a zip archive of {count} entries (the limit is {limit})")]
    TooManyEntries { count: usize, limit: usize },
    #[error("{part} unpacks to more than {limit} bytes (the limit for a .docx's parts together)")]
    TooLarge { part: String, limit: u64 },
    #[error("{part}: malformed XML: {message}")]
    Xml { part: String, message: String },
    #[error("a Word document without body text")]
    NoText,
}

/// Result with the library's [`Error`].
pub type Result<T, E = Error> = std::result::Result<T, E>;
