//! Typed errors of the version store.

use std::path::PathBuf;

/// Everything that can go wrong opening, writing or reading a store.
#[derive(Debug, thiserror::Error)]
pub enum StoreError {
    #[error("no statute store at {}", path.display())]
    NotFound { path: PathBuf },
    #[error("{}: exists but is not a statute store (no statute.format in its git config)", path.display())]
    NotAStore { path: PathBuf },
    #[error("{}: written by a newer statute (store format {found}; this build reads format {supported}); nothing was changed", path.display())]
    NewerFormat {
        path: PathBuf,
        found: i32,
        supported: i32,
    },
    /// The store's derived data (canonical files, summary trailers) was written by a newer
    /// build: rewriting it with this build's would make it older.
    #[error("{}: derived data written by a newer statute (derived-data version {found}; this build writes {supported}); nothing was changed", path.display())]
    NewerDerived {
        path: PathBuf,
        found: i32,
        supported: i32,
    },
    /// A reindex moved its refs (`main` carries the new stamp) but could not record the
    /// config's copy of it, which warns older builds off the store.
    #[error("{}: cannot record the derived-data stamp: {detail}; the store is rewritten, run `statute reindex` again to record it", path.display())]
    StampFailed { path: PathBuf, detail: String },
    #[error("no statute matches “{name}”")]
    NoSuchStatute { name: String },
    #[error("“{name}” matches {} statutes; name one of them:\n  {}", candidates.len(), shortlist(candidates))]
    Ambiguous {
        name: String,
        candidates: Vec<String>,
    },
    #[error("{statute}: no version “{version}” (versions: {})", available.join(", "))]
    NoSuchVersion {
        statute: String,
        version: String,
        available: Vec<String>,
    },
    #[error("{statute}: no version was in force on {date}")]
    NothingInForce { statute: String, date: String },
    #[error("{statute}: has only one version, nothing to compare")]
    OneVersion { statute: String },
    #[error("the store has no citation index (written before it, or damaged)")]
    NoIndex,
    #[error("{statute}: no article “{article}” in any version")]
    NoSuchArticle { statute: String, article: String },
    #[error("{}: a version date is needed: name the file YYYY-MM-DD.md or put one in its metadata", path.display())]
    NoDate { path: PathBuf },
    #[error("{}: no title found", path.display())]
    NoTitle { path: PathBuf },
    /// An amending act that cannot be applied to the store as a whole (no date, a statute
    /// the store does not hold, no version before it).
    #[error("{}: {message}", path.display())]
    Act { path: PathBuf, message: String },
    /// A path given to import that is not there.
    #[error("{}: no such file or directory", path.display())]
    NoSuchPath { path: PathBuf },
    #[error("{}: cannot read directory: {source}", path.display())]
    ReadDir {
        path: PathBuf,
        #[source]
        source: std::io::Error,
    },
    /// What the store holds contradicts its own format: a ref to nothing, a commit without
    /// its file or trailers, text that is not UTF-8.
    #[error("store is corrupt: {0}")]
    Corrupt(String),
    /// Code of this crate panicked (a bug): `what` names the work that was cut short.
    #[error("{what} panicked")]
    Panicked { what: String },
    /// An invariant of this crate did not hold (a bug), whatever the store holds.
    #[error("internal error: {0}")]
    Internal(String),
    #[error("import cancelled before the store's references were moved; the store is unchanged")]
    Cancelled,
    /// A reindex stopped before it recorded the derived-data stamp (its refs may have moved).
    #[error(
        "reindex cancelled before the derived-data stamp was recorded; the store is valid and still stale"
    )]
    ReindexCancelled,
    #[error("{}: cannot take the store's write lock ({source}); is the store read-only? Nothing was changed", path.display())]
    Unwritable {
        path: PathBuf,
        #[source]
        source: std::io::Error,
    },
    /// A write of an import failed (disk full, quota, file size limit, I/O error) before
    /// the refs moved: whatever was written is unreferenced, and every statute reads as before.
    #[error("{}: {detail}; the import was abandoned and the store is unchanged", path.display())]
    WriteFailed { path: PathBuf, detail: String },
    /// A write of a reindex failed before its refs moved (the objects written are
    /// unreferenced) or while they moved (none moved): the store is valid and still stale.
    #[error("{}: {detail}; the reindex was abandoned, the store is valid and still stale", path.display())]
    ReindexWriteFailed { path: PathBuf, detail: String },
    /// A temporary file for data too large to hold in memory could not be written or read.
    #[error("cannot use a temporary file: {0}")]
    Spill(#[source] std::io::Error),
    #[error("{}: {source}", path.display())]
    Io {
        path: PathBuf,
        #[source]
        source: std::io::Error,
    },
    /// libgit2's message alone: its `Display` appends class and code, noise to a reader.
    #[error("git: {}", .0.message())]
    Git(git2::Error),
    #[error(transparent)]
    Parse(#[from] crate::Error),
}

impl From<git2::Error> for StoreError {
    fn from(e: git2::Error) -> Self {
        StoreError::Git(e)
    }
}

/// Result with [`StoreError`].
pub type Result<T, E = StoreError> = std::result::Result<T, E>;

/// The first 20 candidates, one a line, and how many more there are.
fn shortlist(c: &[String]) -> String {
    let mut s = c.iter().take(20).cloned().collect::<Vec<_>>().join("\n  ");
    if c.len() > 20 {
        s.push_str(&format!("\n  … and {} more", c.len() - 20));
    }
    s
}
