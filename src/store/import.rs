//! Importing version files: walk the inputs, parse them on every core, group them by statute,
//! merge them into each statute's date-ordered history (rebuilding a history from the first
//! version that changed), write every new object into one pack, then move the refs in one
//! transaction. The result depends only on the set of versions, never on the order of import.

use std::collections::{BTreeMap, BTreeSet, HashMap};
use std::path::{Path, PathBuf};
use std::sync::Arc;

use git2::{Oid, Repository};

use super::catalog;
use super::error::{Result, StoreError};
use super::{
    MAIN_REF, Store, StoredVersion, TREE_DIR, VersionMeta, blob_id, commit_message, id, lock,
    one_line, signature, statute_ref, version_tag,
};
use crate::diff::event::{self, VersionKind};
use crate::model::{Date, Statute};
use crate::parse::MAX_INPUT_BYTES;

/// Values that replace what the files say, for every file of one import.
#[derive(Debug, Clone, Default)]
pub struct ImportOptions {
    pub title: Option<String>,
    pub date: Option<Date>,
    pub status: Option<String>,
    /// Parser threads; 0 means one per core.
    pub threads: usize,
    /// About how many files are taken from reading to commits at once; 0 means the default
    /// ([`GROUP_FILES`]). The result is the same for any size: only memory and time differ.
    pub group: usize,
    /// How the files are read (a .docx's tracked changes).
    pub read: crate::parse::ReadOptions,
}

impl ImportOptions {
    fn overrides(&self) -> bool {
        self.title.is_some()
            || self.date.is_some()
            || self.status.is_some()
            || self.read != crate::parse::ReadOptions::default()
    }
}

/// Where an import stands, for [`Progress::cancel`].
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Checkpoint {
    /// Every file is parsed; no ref has moved (the texts of new versions may be in the object
    /// database already, unreferenced).
    Parsed,
    /// Every new object is in the store's object database; no ref has moved.
    ObjectsWritten,
    /// Every ref has moved; the derived-data stamp is not recorded yet (reindex only).
    RefsMoved,
}

/// What an import reports while it runs. Every method has a do-nothing default.
pub trait Progress: Sync {
    /// Another writer holds the store's lock; the import waits for it.
    fn waiting_for_lock(&self, _lock: &Path) {}
    /// `total` files are about to be read.
    fn start(&self, _total: usize) {}
    /// One more file is read (and parsed, unless it was already in the store).
    fn file_done(&self) {}
    /// Asked at each checkpoint: true abandons the import, leaving every ref as it was.
    fn cancel(&self, _at: Checkpoint) -> bool {
        false
    }
}

/// A [`Progress`] that reports nothing.
pub struct Quiet;
impl Progress for Quiet {}

/// A file that could not be imported.
#[derive(Debug, Clone)]
pub struct Failure {
    pub path: PathBuf,
    /// Why, naming the file (its `Display` is one line).
    pub error: Arc<StoreError>,
}

impl Failure {
    pub fn new(path: &Path, error: impl Into<StoreError>) -> Failure {
        Failure {
            path: path.into(),
            error: Arc::new(error.into()),
        }
    }
}

/// Failures are equal when they name the same file for the same reason, as worded.
impl PartialEq for Failure {
    fn eq(&self, other: &Failure) -> bool {
        self.path == other.path && self.error.to_string() == other.error.to_string()
    }
}

impl Eq for Failure {}

/// A consolidated text imported for a date on which the store holds a version made from an
/// amending act (`import --act`): how the two differ.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ActCheck {
    pub id: String,
    /// The label of the version made from the act.
    pub label: String,
    /// The imported file.
    pub path: PathBuf,
    /// Each substantive difference, with the numbers of the act's instructions that changed
    /// those articles (none: a change the act does not authorise).
    pub differences: Vec<(crate::amend::Discrepancy, Vec<u32>)>,
}

/// The outcome of an import.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct ImportReport {
    /// Version files read.
    pub files: usize,
    /// Files under the given directories that are not named `YYYY-MM-DD.md` (or `.txt`).
    pub ignored: usize,
    /// Statutes the files belong to.
    pub statutes: usize,
    /// Versions new to the store.
    pub added: usize,
    /// Files whose version the store already had.
    pub unchanged: usize,
    pub failed: Vec<Failure>,
    /// What the parser noticed in the files it read, each with its file (files already in
    /// the store are not read again, and give none).
    pub warnings: Vec<(PathBuf, crate::parse::Warning)>,
    /// Refs created, moved or deleted.
    pub refs_updated: usize,
    /// Consolidated texts imported for the date of a version made from an act, compared
    /// with it.
    pub act_checks: Vec<ActCheck>,
}

/// How many directories or files an import reads at once. With the page cache cold, listing
/// and reading wait on the disk far longer than they use the CPU; with two requests in flight
/// (one per core) a cold import of the 100x corpus spent a fifth of its time waiting.
const IO_THREADS: usize = 8;

/// True for `YYYY-MM-DD.md` / `YYYY-MM-DD.txt`.
pub fn is_version_file_name(p: &Path) -> bool {
    p.extension()
        .is_some_and(|e| e == "md" || e == "txt" || e == "docx")
        && p.file_stem()
            .and_then(|s| s.to_str())
            .is_some_and(|s| s.len() == 10 && Date::parse_iso(s).is_some())
}

/// The files an import reads: each file argument as given, and below each directory every
/// file named `YYYY-MM-DD.md`, `.txt` or `.docx` (others are counted as ignored; `README.md` is
/// ignored everywhere). Sorted, without duplicates. The directories below those given are
/// listed a level at a time, eight at once: listing a national corpus's directories
/// is seconds of system time, and with the page cache cold, waiting on the disk.
pub fn collect(paths: &[PathBuf]) -> (Vec<PathBuf>, usize, Vec<Failure>) {
    let mut found = Found::default();
    let mut subdirs = Vec::new();
    for p in paths {
        if p.is_dir() {
            // Its own entries here, its subdirectories below.
            found.list(p, &mut subdirs);
        } else if p.file_name().is_some_and(|n| n == "README.md") {
            found.ignored += 1;
        } else if p.exists() {
            found.files.push(p.clone());
        } else {
            found
                .failed
                .push(Failure::new(p, StoreError::NoSuchPath { path: p.clone() }));
        }
    }
    // A level of the tree at a time, its directories listed at once: a corpus is often a
    // few directories of thousands each.
    while !subdirs.is_empty() {
        let parts = crate::par::map(&subdirs, IO_THREADS, |d| {
            let mut f = Found::default();
            let mut below = Vec::new();
            f.list(d, &mut below);
            (f, below)
        });
        subdirs = Vec::new();
        for (part, below) in parts {
            found.files.extend(part.files);
            found.ignored += part.ignored;
            found.failed.extend(part.failed);
            subdirs.extend(below);
        }
    }
    found.files.sort_unstable();
    found.files.dedup();
    (found.files, found.ignored, found.failed)
}

/// What [`collect`] found under some directories.
#[derive(Default)]
struct Found {
    files: Vec<PathBuf>,
    ignored: usize,
    failed: Vec<Failure>,
}

impl Found {
    /// The files of `dir` itself; its subdirectories go to `subdirs`.
    fn list(&mut self, dir: &Path, subdirs: &mut Vec<PathBuf>) {
        let entries = match std::fs::read_dir(dir) {
            Ok(e) => e,
            Err(e) => {
                self.failed.push(Failure::new(
                    dir,
                    StoreError::ReadDir {
                        path: dir.into(),
                        source: e,
                    },
                ));
                return;
            }
        };
        for e in entries.flatten() {
            let p = e.path();
            let Ok(ft) = e.file_type() else { continue };
            if ft.is_dir() {
                subdirs.push(p);
            } else if is_version_file_name(&p) {
                self.files.push(p);
            } else {
                self.ignored += 1;
            }
        }
    }
}

/// A parsed input, ready to be stored.
pub(crate) struct NewVersion {
    /// The file it was read from (empty for a version made from an act).
    pub(crate) path: PathBuf,
    pub(crate) date: Date,
    pub(crate) blob: Oid,
    /// The canonical text; `None` once it is in the store's object database (under `blob`),
    /// where an import puts the texts it parsed, a batch at a time, to hold few at once.
    pub(crate) canonical: Option<Vec<u8>>,
    /// Where the text lies in the pack this import wrote it into (so that it is read back
    /// without libgit2), once it is there.
    pub(crate) packed: Option<super::pack::Entry>,
    pub(crate) meta: VersionMeta,
    /// What the parser noticed (as `statute parse` would report it).
    pub(crate) warnings: Vec<crate::parse::Warning>,
}

impl NewVersion {
    /// The same in fresh allocations (see `read_files`).
    fn compacted(&self) -> NewVersion {
        NewVersion {
            path: self.path.clone(),
            date: self.date,
            blob: self.blob,
            canonical: self.canonical.clone(),
            packed: self.packed.clone(),
            meta: self.meta.clone(),
            warnings: self.warnings.clone(),
        }
    }
}

enum Prepared {
    /// The store already has a version from these exact bytes.
    Known(String),
    New(Box<NewVersion>),
    Failed(Failure),
}

/// The bytes of an input file, unless it is larger than the parser takes.
fn read_input(path: &Path) -> Result<Vec<u8>> {
    let io = |source| StoreError::Io {
        path: path.into(),
        source,
    };
    let size = std::fs::metadata(path).map_err(io)?.len();
    if size > MAX_INPUT_BYTES {
        return Err(crate::Error::TooLarge {
            path: path.into(),
            size,
            limit: MAX_INPUT_BYTES,
        }
        .into());
    }
    std::fs::read(path).map_err(io)
}

/// An input file (its bytes as [`read_input`] gave them) prepared for the store.
fn prepare(
    path: &Path,
    bytes: &std::result::Result<Vec<u8>, Failure>,
    opts: &ImportOptions,
    known: &HashMap<Oid, String>,
) -> Prepared {
    let bytes = match bytes {
        Ok(b) => b,
        Err(f) => return Prepared::Failed(f.clone()),
    };
    match prepare_inner(path, bytes, opts, known) {
        Ok(p) => p,
        Err(e) => Prepared::Failed(Failure::new(path, e)),
    }
}

fn prepare_inner(
    path: &Path,
    bytes: &[u8],
    opts: &ImportOptions,
    known: &HashMap<Oid, String>,
) -> Result<Prepared> {
    let io = |source| StoreError::Io {
        path: path.into(),
        source,
    };
    let source = blob_id(bytes)?;
    if !opts.overrides()
        && let Some(id) = known.get(&source)
    {
        return Ok(Prepared::Known(id.clone()));
    }
    let parsed = crate::parse::parse_bytes_with(path, bytes, &opts.read)?;
    let warnings = parsed.warnings;
    let mut statute = parsed.statute;
    let m = &mut statute.meta;
    if m.version_date.is_none() {
        m.version_date = path
            .file_stem()
            .and_then(|s| s.to_str())
            .and_then(Date::parse_iso);
    }
    if let Some(t) = &opts.title {
        m.title = t.clone();
    }
    if let Some(d) = opts.date {
        m.version_date = Some(d);
    }
    if let Some(s) = &opts.status {
        m.status = Some(s.clone());
    }
    let date = m
        .version_date
        .ok_or_else(|| StoreError::NoDate { path: path.into() })?;
    if m.title.trim().is_empty() {
        return Err(StoreError::NoTitle { path: path.into() });
    }
    // Trailers hold one line each: keep the metadata as they will give it back.
    let meta = VersionMeta {
        id: id::of_meta(m),
        title: one_line(&id::statute_name(m)),
        issuer: m.issuer.as_deref().map(one_line),
        effective: m.effective,
        status: m.status.as_deref().map(one_line),
        source: (!opts.overrides()).then_some(source),
        act: None,
    };
    // Written straight into bytes (no second pass to check they are UTF-8: `write` writes
    // strings), in a buffer about the input's size so that it does not grow page by page.
    let mut canonical = Vec::with_capacity(bytes.len() + bytes.len() / 8);
    crate::parse::canonical::write(&statute, &mut canonical).map_err(io)?;
    Ok(Prepared::New(Box::new(NewVersion {
        path: path.into(),
        date,
        blob: blob_id(&canonical)?,
        canonical: Some(canonical),
        packed: None,
        meta,
        warnings,
    })))
}

/// One version in a statute's merged history.
struct Slot {
    date: Date,
    blob: Oid,
    meta: VersionMeta,
    /// Index in the stored history, when the store has this version.
    stored: Option<usize>,
    /// The canonical text of a new version not yet in the object database.
    canonical: Option<Vec<u8>>,
    /// Where this import packed the text of a new version.
    packed: Option<super::pack::Entry>,
    label: String,
    summary: Option<Comparison>,
}

/// A version compared with the one before: what its commit's `Summary`, `Substantive` and
/// `Event` trailers record.
#[derive(Clone, Debug, PartialEq, Eq)]
pub(crate) struct Comparison {
    pub(crate) summary: String,
    pub(crate) substantive: bool,
    pub(crate) event: Option<VersionKind>,
}

impl Comparison {
    /// What a version whose text cannot be compared with its predecessor's records: it
    /// still gets a history entry.
    pub(crate) fn unreadable() -> Comparison {
        Comparison {
            summary: "（无法比较）".to_string(),
            substantive: true,
            event: None,
        }
    }

    /// The comparison of version `new` (parsed, with its date and whether its trailers mark
    /// it repealed) with the version before, from their change set: `old` is the older
    /// version's date and whether it is marked repealed. Its amendment summary, and its
    /// kind as the feed classifies it.
    pub(crate) fn of_changes(
        cs: &crate::diff::ChangeSet,
        old: (Date, bool),
        new: (&Statute, Date, bool),
    ) -> Comparison {
        let act = event::act_of(&new.0.meta.history, new.1, Some(old.0));
        Comparison {
            summary: cs.summary_line(),
            substantive: cs.has_substantive_changes(),
            event: Some(event::classify(Some(cs), act, new.2, old.1)),
        }
    }
}

/// What an import keeps of a history it has written, for `main` and the refs.
pub(crate) struct Written {
    /// Its versions: (label, commit), in order.
    pub(crate) versions: Vec<(String, Oid)>,
    /// Every title it had, the latest first, tab-separated (its line of `titles.tsv`
    /// without the id).
    titles: Box<str>,
    /// The blobs of its lines of the citation index, when they were derived with the
    /// summaries.
    derived: Option<super::cites::DerivedBlobs>,
}

impl Default for Histories {
    fn default() -> Histories {
        Histories {
            tags: Tags::new(),
            lines: super::runs::Runs::new(LINES_BYTES),
            rewritten: BTreeSet::new(),
            relines: super::tables::Tables::default(),
            kept: BTreeMap::new(),
            objects: super::pack::Objects::default(),
        }
    }
}

/// How many bytes of lines of the lookup tables an import (or `verify`) holds before it
/// spills them.
pub(crate) const LINES_BYTES: usize = 32 << 20;

/// The histories written, by statute.
pub(crate) type Tags = BTreeMap<String, Written>;

/// What an import keeps of the histories it has written ([`Store::write_histories`],
/// [`Store::write_main`]).
pub(crate) struct Histories {
    tags: Tags,
    /// Their lines of the lookup tables, by shard (spilled to temporary files past a bound).
    lines: super::runs::Runs,
    /// The statutes written more than once (their files fell in several groups): their
    /// lines in `lines` are left out, and the latest are these.
    rewritten: BTreeSet<String>,
    relines: super::tables::Tables,
    /// The histories whose lines of the citation index are still to be derived.
    kept: BTreeMap<String, Vec<StoredVersion>>,
    /// Objects encoded and not yet packed.
    objects: super::pack::Objects,
}

/// A statute whose history is rebuilt from `from` on.
pub(crate) struct Plan {
    id: String,
    slots: Vec<Slot>,
    from: usize,
}

/// Prefers a recorded source over none, and the smaller of two: the same set of inputs always
/// records the same source, whatever the order.
fn better_source(new: Option<Oid>, old: Option<Oid>) -> bool {
    match (new, old) {
        (Some(n), Some(o)) => n < o,
        (Some(_), None) => true,
        _ => false,
    }
}

/// Merges new versions into a stored history. Returns the plan (or `None` when nothing
/// changes), and the numbers of added and already-known versions.
pub(crate) fn plan(
    id: &str,
    stored: &[StoredVersion],
    mut news: Vec<NewVersion>,
) -> (Option<Plan>, usize, usize) {
    // The order of inputs must not matter.
    news.sort_by_key(|a| (a.blob, a.meta.source));
    let mut slots: Vec<Slot> = stored
        .iter()
        .enumerate()
        .map(|(i, v)| Slot {
            date: v.date,
            blob: v.blob,
            meta: v.meta.clone(),
            stored: Some(i),
            canonical: None,
            packed: None,
            label: String::new(),
            summary: None,
        })
        .collect();
    let (mut added, mut known) = (0, 0);
    for n in news {
        if let Some(s) = slots.iter_mut().find(|s| s.blob == n.blob) {
            known += 1;
            if better_source(n.meta.source, s.meta.source) {
                s.meta.source = n.meta.source;
            }
        } else {
            added += 1;
            slots.push(Slot {
                date: n.date,
                blob: n.blob,
                meta: n.meta,
                stored: None,
                canonical: n.canonical,
                packed: n.packed,
                label: String::new(),
                summary: None,
            });
        }
    }
    slots.sort_by_key(|a| (a.date, a.blob));
    let mut same_date = 0;
    for i in 0..slots.len() {
        same_date = if i > 0 && slots[i - 1].date == slots[i].date {
            same_date + 1
        } else {
            1
        };
        slots[i].label = match same_date {
            1 => slots[i].date.to_string(),
            n => format!("{}.{n}", slots[i].date),
        };
    }
    let from = slots
        .iter()
        .enumerate()
        .position(|(i, s)| {
            s.stored != Some(i) || stored[i].label != s.label || stored[i].meta != s.meta
        })
        .unwrap_or(slots.len());
    if from == slots.len() && slots.len() == stored.len() {
        return (None, added, known);
    }
    // Summaries that only depend on an unchanged predecessor are kept.
    for i in from..slots.len() {
        if let Some(j) = slots[i].stored
            && j > 0
            && i > 0
            && slots[i - 1].stored == Some(j - 1)
        {
            slots[i].summary = stored[j].summary.clone().map(|s| Comparison {
                summary: s,
                substantive: stored[j].substantive.unwrap_or(true),
                event: stored[j].event,
            });
        }
    }
    (
        Some(Plan {
            id: id.into(),
            slots,
            from,
        }),
        added,
        known,
    )
}

/// What one statute's plan needs computed: the comparison of each version that lacks one
/// with the version before (`None` where nothing is to be computed), and the statute's lines
/// of the citation index (`None` when a version does not parse: the index derives them again
/// and reports why). Each version (`texts`: every slot's canonical text) is parsed once and
/// each consecutive pair diffed once, for both.
fn summarize_statute(p: &Plan, texts: &[Vec<u8>]) -> Summarized {
    let parsed: Vec<Option<Statute>> = p
        .slots
        .iter()
        .zip(texts)
        .map(|(s, t)| {
            let path = PathBuf::from(format!("{}@{}", p.id, s.label));
            crate::parse_bytes(&path, t).ok().map(|r| r.statute)
        })
        .collect();
    let changes: Vec<Option<crate::diff::ChangeSet>> = parsed
        .windows(2)
        .map(|w| match (&w[0], &w[1]) {
            (Some(a), Some(b)) => Some(crate::diff::diff(a, b)),
            _ => None,
        })
        .collect();
    let mut out: Vec<Option<Comparison>> = vec![None; p.slots.len()];
    for i in p.from.max(1)..p.slots.len() {
        if p.slots[i].summary.is_some() {
            continue;
        }
        let (old, new) = (&p.slots[i - 1], &p.slots[i]);
        out[i] = Some(match (&changes[i - 1], &parsed[i]) {
            (Some(cs), Some(b)) => Comparison::of_changes(
                cs,
                (old.date, old.meta.repealed()),
                (b, new.date, new.meta.repealed()),
            ),
            // A version that cannot be diffed still gets a history entry.
            _ => Comparison::unreadable(),
        });
    }
    let derived = (|| {
        let versions: Vec<(&str, &Statute)> = p
            .slots
            .iter()
            .zip(&parsed)
            .map(|(s, st)| Some((s.label.as_str(), st.as_ref()?)))
            .collect::<Option<_>>()?;
        let changes: Vec<crate::diff::ChangeSet> = changes.into_iter().collect::<Option<_>>()?;
        Some(super::cites::derive_parsed(&p.id, &versions, &changes))
    })();
    (out, derived)
}

/// About how many files an import takes from reading to commits at once (cut where a
/// directory ends, else at twice this).
pub const GROUP_FILES: usize = 65_536;

/// The files in groups of about `size`: cut where a directory ends (a statute's versions are
/// usually one directory's files, and a statute split across groups costs a second plan),
/// else at twice `size`.
fn groups(files: &[PathBuf], size: usize) -> Vec<&[PathBuf]> {
    let mut out = Vec::new();
    let mut start = 0;
    for i in 1..files.len() {
        let n = i - start;
        if (n >= size && files[i].parent() != files[i - 1].parent()) || n >= 2 * size {
            out.push(&files[start..i]);
            start = i;
        }
    }
    if start < files.len() {
        out.push(&files[start..]);
    }
    out
}

/// How many files an import reads and parses at once.
const READ_BATCH: usize = 1024;

/// How many bytes of parsed texts an import holds before it writes them into the object
/// database (one pack) and lets them go: peak memory depends on this, not on the number of
/// files; and every pack written makes each later object write of libgit2 slower (it rescans
/// the pack directory for every object it does not find), so packs are few and large.
const SPILL_BYTES: usize = 128 << 20;

/// The bytes of these files, read [`IO_THREADS`] at a time.
fn read_batch(files: &[PathBuf]) -> Vec<std::result::Result<Vec<u8>, Failure>> {
    crate::par::map(files, IO_THREADS, |p| {
        read_input(p).map_err(|e| Failure::new(p, e))
    })
}

/// Reads and prepares every file on `threads` threads (a file whose bytes are a recorded
/// source is not parsed again), [`READ_BATCH`] files at a time, the next batch read from disk
/// while one is parsed; the texts of new versions are written into the object database about
/// [`SPILL_BYTES`] at a time, in one pack each (unreferenced until the refs move), and
/// dropped. `None` where the parser panicked.
fn read_files(
    store: &Store,
    files: &[PathBuf],
    opts: &ImportOptions,
    state: &State,
    threads: usize,
    progress: &dyn Progress,
) -> Result<Vec<Option<Prepared>>> {
    let mut out: Vec<Option<Prepared>> = Vec::with_capacity(files.len());
    let (mut held_from, mut held) = (0, 0);
    let batches: Vec<&[PathBuf]> = files.chunks(READ_BATCH).collect();
    std::thread::scope(|scope| {
        let mut next = batches.first().map(|&b| scope.spawn(move || read_batch(b)));
        for (k, &batch) in batches.iter().enumerate() {
            let bytes = next
                .take()
                .map(|read| read.join())
                .and_then(|r| r.ok())
                .ok_or_else(|| StoreError::Panicked {
                    what: "reading the input files".into(),
                })?;
            next = batches
                .get(k + 1)
                .map(|&b| scope.spawn(move || read_batch(b)));
            let inputs: Vec<(&PathBuf, std::result::Result<Vec<u8>, Failure>)> =
                batch.iter().zip(bytes).collect();
            let prepared = crate::par::try_map(&inputs, threads, |(p, bytes)| {
                let r = prepare(p, bytes, opts, &state.sources);
                progress.file_done();
                r
            });
            drop(inputs);
            held += prepared
                .iter()
                .filter_map(|p| match p {
                    Some(Prepared::New(n)) => n.canonical.as_ref().map(Vec::len),
                    _ => None,
                })
                .sum::<usize>();
            // What is kept of each file is copied out of the pages the parser filled in the
            // worker threads, so that those pages, otherwise pinned by a few small strings among
            // the parser's garbage, go back to the allocator.
            out.extend(prepared.into_iter().map(|p| match p {
                Some(Prepared::New(n)) => Some(Prepared::New(Box::new(n.compacted()))),
                other => other,
            }));
            if held >= SPILL_BYTES || k + 1 == batches.len() {
                let mut news: Vec<&mut NewVersion> = out[held_from..]
                    .iter_mut()
                    .filter_map(|p| match p {
                        Some(Prepared::New(n)) => Some(&mut **n),
                        _ => None,
                    })
                    .collect();
                store.spill(&mut news, threads)?;
                (held_from, held) = (out.len(), 0);
            }
        }
        Ok(out)
    })
}

impl Store {
    /// Writes the texts of these versions that the object database lacks into one pack, and
    /// drops every text (each is then read back by its blob id).
    pub(crate) fn spill(&self, news: &mut [&mut NewVersion], threads: usize) -> Result<()> {
        let odb = self.repo.odb()?;
        // One look at the pack directory, not one per object missing (libgit2 rescans it on
        // every miss unless told not to).
        odb.refresh()?;
        let mut seen = std::collections::HashSet::new();
        let mut blobs: Vec<(Oid, &[u8])> = Vec::new();
        for n in news.iter() {
            if let Some(c) = &n.canonical
                && seen.insert(n.blob)
                && !odb.exists_ext(n.blob, git2::OdbLookupFlags::NO_REFRESH)
            {
                blobs.push((n.blob, c));
            }
        }
        let packed: HashMap<Oid, super::pack::Entry> =
            super::pack::write_blobs(&self.repo, &blobs, threads)?
                .into_iter()
                .collect();
        for n in news.iter_mut() {
            n.canonical = None;
            n.packed = packed.get(&n.blob).cloned();
        }
        Ok(())
    }
}

/// The new versions of each statute, and every statute the files belong to (new or known);
/// counts known files and collects warnings into `report`, failures into `failed`.
fn group_by_statute(
    files: &[PathBuf],
    prepared: Vec<Option<Prepared>>,
    report: &mut ImportReport,
    failed: &mut Vec<Failure>,
) -> (BTreeMap<String, Vec<NewVersion>>, BTreeSet<String>) {
    let mut touched: BTreeSet<String> = BTreeSet::new();
    let mut news: BTreeMap<String, Vec<NewVersion>> = BTreeMap::new();
    for (path, p) in files.iter().zip(prepared) {
        match p {
            Some(Prepared::Known(id)) => {
                report.unchanged += 1;
                touched.insert(id);
            }
            Some(Prepared::New(mut n)) => {
                report.warnings.extend(
                    std::mem::take(&mut n.warnings)
                        .into_iter()
                        .map(|w| (path.clone(), w)),
                );
                touched.insert(n.meta.id.clone());
                news.entry(n.meta.id.clone()).or_default().push(*n);
            }
            Some(Prepared::Failed(f)) => failed.push(f),
            None => failed.push(Failure::new(
                path,
                StoreError::Panicked {
                    what: format!("{}: the parser", path.display()),
                },
            )),
        }
    }
    (news, touched)
}

/// The plan of every statute with new versions (see [`plan`]); counts added and known
/// versions into `report`.
fn plan_all(
    news: BTreeMap<String, Vec<NewVersion>>,
    state: &State,
    report: &mut ImportReport,
) -> Vec<Plan> {
    let empty = Vec::new();
    let mut plans = Vec::new();
    for (id, list) in news {
        let stored = state.statutes.get(&id).unwrap_or(&empty);
        let (p, added, known) = plan(&id, stored, list);
        report.added += added;
        report.unchanged += known;
        plans.extend(p);
    }
    plans
}

/// The tree of one version: `statutes/<id>.md`.
fn version_tree(objects: &mut super::pack::Objects, id: &str, blob: Oid) -> Oid {
    let dir = objects.tree(&[(&format!("{id}.md"), false, blob)]);
    objects.tree(&[(TREE_DIR, true, dir)])
}

/// What an import knows of the store before it writes: the histories it read, which statute
/// each recorded source belongs to, and — when read from `main`'s lookup tables rather than
/// from every history — the tables, whose heads stand for the statutes not read.
pub(crate) struct State {
    /// The histories read: every statute's ([`Store::state`]), or only those an import
    /// writes ([`Store::state_from_tables`] and [`Store::load`]).
    pub statutes: BTreeMap<String, Vec<StoredVersion>>,
    pub sources: HashMap<Oid, String>,
    /// `main`'s lookup tables as they stand, when the state was read from them.
    pub tables: Option<super::tables::Tables>,
}

impl Store {
    /// Every statute's history, read from its branch (linear in the store).
    pub(crate) fn state(&self) -> Result<State> {
        let mut statutes = BTreeMap::new();
        let mut sources = HashMap::new();
        for (id, head) in self.heads()? {
            let chain = self.chain(&id, head)?;
            for v in &chain {
                if let Some(s) = v.meta.source {
                    sources.insert(s, id.clone());
                }
            }
            statutes.insert(id, chain);
        }
        Ok(State {
            statutes,
            sources,
            tables: None,
        })
    }

    /// The state from `main`'s lookup tables, no history read yet ([`Store::load`] reads those
    /// an import writes); every history ([`Store::state`]) when the store has no tables or
    /// its derived data is stale (the import then derives everything again).
    pub(crate) fn state_from_tables(&self) -> Result<State> {
        if self.stamp()?.stale() {
            return self.state();
        }
        let tables = match super::cites::main_index(&self.repo) {
            Some(index) => super::tables::Tables::read(&self.repo, &index)?,
            None => None,
        };
        let Some(tables) = tables else {
            return self.state();
        };
        let sources = tables
            .sources()
            .map(|(blob, id)| (blob, id.to_string()))
            .collect();
        Ok(State {
            statutes: BTreeMap::new(),
            sources,
            tables: Some(tables),
        })
    }

    /// Reads the histories of `ids` that the state lacks and the store has: as `written`
    /// (this import's) has them, else as the refs do.
    pub(crate) fn load<'a>(
        &self,
        state: &mut State,
        ids: impl IntoIterator<Item = &'a String>,
        written: &Tags,
    ) -> Result<()> {
        for id in ids {
            if state.statutes.contains_key(id) {
                continue;
            }
            if let Some((_, head)) = written.get(id).and_then(|w| w.versions.last()) {
                let chain = self.chain(id, *head)?;
                state.statutes.insert(id.clone(), chain);
            } else if let Ok(head) = self.repo.refname_to_id(&statute_ref(id)) {
                let chain = self.chain(id, head)?;
                state.statutes.insert(id.clone(), chain);
            }
        }
        Ok(())
    }

    /// Imports the version files under `paths` (see [`collect`]). Files that fail are listed
    /// in the report and skipped; the rest is imported.
    pub fn import(
        &self,
        paths: &[PathBuf],
        opts: &ImportOptions,
        progress: &dyn Progress,
    ) -> Result<ImportReport> {
        super::trace::mark("import started");
        let (files, ignored, mut failed) = collect(paths);
        super::trace::mark("files collected");
        let _lock = lock::acquire(&self.path, |p| progress.waiting_for_lock(p))?;
        self.refuse_newer_derived()?;
        let mut state = self.state_from_tables()?;
        let stamp = self.stamp()?;
        let threads = crate::par::threads(opts.threads);
        let mut report = ImportReport {
            files: files.len(),
            ignored,
            ..ImportReport::default()
        };
        let mut touched = BTreeSet::new();
        let mut h = Histories::default();
        progress.start(files.len());
        // A group of files at a time, from reading to commits, so that what is held at once
        // does not grow with the number of files; a statute whose files fall in two groups is
        // planned again with what the first wrote, as a second import would.
        let size = if opts.group == 0 {
            GROUP_FILES
        } else {
            opts.group
        };
        for group in groups(&files, size) {
            let prepared = read_files(self, group, opts, &state, threads, progress)?;
            super::trace::mark("group read");
            let (news, t) = group_by_statute(group, prepared, &mut report, &mut failed);
            touched.extend(t);
            if news.keys().any(|id| h.tags.contains_key(id)) {
                // Their commits are read back.
                h.objects.write(&self.repo, threads)?;
            }
            self.load(&mut state, news.keys(), &h.tags)?;
            report.act_checks.extend(self.act_checks(&news, &state)?);
            if progress.cancel(Checkpoint::Parsed) {
                return Err(StoreError::Cancelled);
            }
            let mut plans = plan_all(news, &state, &mut report);
            super::trace::mark("group planned");
            let derived = self.summarize_plans(&mut plans, &state, threads)?;
            super::trace::mark("group summarized");
            self.write_histories(plans, derived, &mut state, &mut h, threads)?;
            if state.tables.is_some() {
                // The histories read for this group (the tables stand for the others).
                state.statutes.clear();
            }
            // The statutes written are counted and moved as such.
            touched.retain(|id| !h.tags.contains_key(id));
            super::trace::mark("group written");
        }
        report.statutes = touched.len() + h.tags.len();
        report.failed = failed;
        // At national scale the paths alone are tens of megabytes.
        drop(files);
        if h.tags.is_empty() && state.tables.is_some() {
            // Nothing to write: `main` would come out as it is.
            return Ok(report);
        }
        let (tags, main) = self.write_main(h, &mut state, stamp, threads)?;
        if progress.cancel(Checkpoint::ObjectsWritten) {
            return Err(StoreError::Cancelled);
        }
        report.refs_updated = self.move_refs(&touched, &tags, &state, main)?;
        super::trace::mark("refs moved");
        Ok(report)
    }

    /// The new versions of a date on which the store holds a version made from an act,
    /// compared with it.
    fn act_checks(
        &self,
        news: &BTreeMap<String, Vec<NewVersion>>,
        state: &State,
    ) -> Result<Vec<ActCheck>> {
        let mut out = Vec::new();
        for (id, list) in news {
            let Some(stored) = state.statutes.get(id) else {
                continue;
            };
            for n in list.iter().filter(|n| n.meta.act.is_none()) {
                for v in stored
                    .iter()
                    .filter(|v| v.date == n.date && v.blob != n.blob)
                {
                    let Some(act) = &v.meta.act else { continue };
                    let p = Path::new("store");
                    let made = crate::parse_str(p, &self.text(v)?)?.statute;
                    let official = match &n.canonical {
                        Some(c) => crate::parse_bytes(p, c)?.statute,
                        None => {
                            let blob = self.repo.find_blob(n.blob)?;
                            crate::parse_bytes(p, blob.content())?.statute
                        }
                    };
                    let none = |_: &[crate::model::UnitNum]| Vec::new();
                    let no_heading = |_: &[&String]| Vec::new();
                    let differences =
                        crate::amend::compare_texts(&made, &official, &none, &no_heading)
                            .into_iter()
                            .map(|d| {
                                let mut ns: Vec<u32> = d
                                    .applied
                                    .iter()
                                    .filter_map(|l| act.instructions_for(l))
                                    .flatten()
                                    .copied()
                                    .collect();
                                ns.sort_unstable();
                                ns.dedup();
                                (d, ns)
                            })
                            .collect();
                    out.push(ActCheck {
                        id: id.clone(),
                        label: v.label.clone(),
                        path: n.path.clone(),
                        differences,
                    });
                }
            }
        }
        Ok(out)
    }

    /// Stores new versions: plans each statute's history, fills the summaries, writes the
    /// objects in one pack and moves the refs of the `touched` statutes in one rename,
    /// counting into `report`; `progress` may cancel before anything is written and before
    /// the refs move.
    pub(crate) fn store_news(
        &self,
        news: BTreeMap<String, Vec<NewVersion>>,
        touched: &BTreeSet<String>,
        state: &mut State,
        report: &mut ImportReport,
        threads: usize,
        progress: &dyn Progress,
    ) -> Result<()> {
        if progress.cancel(Checkpoint::Parsed) {
            return Err(StoreError::Cancelled);
        }
        let mut plans = plan_all(news, state, report);
        super::trace::mark("planned");
        if plans.is_empty() && state.tables.is_some() {
            // Nothing to write: `main` would come out as it is.
            return Ok(());
        }
        let derived = self.summarize_plans(&mut plans, state, threads)?;
        super::trace::mark("summarized");
        let (tags, main) = self.write_objects(plans, derived, state, self.stamp()?, threads)?;
        if progress.cancel(Checkpoint::ObjectsWritten) {
            return Err(StoreError::Cancelled);
        }
        report.refs_updated = self.move_refs(touched, &tags, state, main)?;
        Ok(())
    }

    /// Writes the commits of every plan and the new `main` (whose catalog takes the other
    /// statutes from `state`) into packs of the objects the store lacks. Returns the versions
    /// of every planned statute's new history, as tags, and `main`'s commit; no ref moves.
    pub(crate) fn write_objects(
        &self,
        plans: Vec<Plan>,
        derived: HashMap<String, super::cites::DerivedBlobs>,
        state: &mut State,
        stamp: super::Stamp,
        threads: usize,
    ) -> Result<(Tags, Oid)> {
        let mut h = Histories::default();
        self.write_histories(plans, derived, state, &mut h, threads)?;
        self.write_main(h, state, stamp, threads)
    }

    /// Writes the commits of every plan (packed a batch at a time) and takes what `main` and
    /// the refs will need of each new history into `h`; the plan's statutes leave `state`.
    /// The histories themselves go (at national scale they would hold most of a gigabyte),
    /// but for those whose lines of the citation index are still to be derived.
    pub(crate) fn write_histories(
        &self,
        plans: Vec<Plan>,
        derived: HashMap<String, super::cites::DerivedBlobs>,
        state: &mut State,
        h: &mut Histories,
        threads: usize,
    ) -> Result<()> {
        let empty = Vec::new();
        for p in plans {
            let id = p.id.clone();
            let stored = state.statutes.get(&id).unwrap_or(&empty);
            let chain = write_plan(&mut h.objects, p, stored)?;
            state.statutes.remove(&id);
            if h.tags.contains_key(&id) {
                // Written before in this import: its earlier lines go.
                h.rewritten.insert(id.clone());
                h.relines.remove(&id);
            }
            if h.rewritten.contains(&id) {
                h.relines.add(&id, &chain);
            } else {
                super::tables::append_rows(&mut h.lines, &id, &chain).map_err(StoreError::Spill)?;
            }
            let line = super::cites::titles_line(&id, &chain);
            let d = derived.get(&id).copied();
            h.tags.insert(
                id.clone(),
                Written {
                    versions: chain.iter().map(|v| (v.label.clone(), v.commit)).collect(),
                    titles: line[id.len() + 1..].into(),
                    derived: d,
                },
            );
            if d.is_some() {
                h.kept.remove(&id);
            } else {
                h.kept.insert(id, chain);
            }
            if h.objects.len() >= FLUSH_OBJECTS || h.objects.bytes() >= FLUSH_BYTES {
                h.objects.write(&self.repo, threads)?;
            }
        }
        Ok(())
    }

    /// Packs what `h` holds still, then writes the new `main`: the lookup tables and the
    /// citation index of every statute (those `h` wrote, and from `state` and the stored
    /// tables the others) and the catalog. Returns the tags of the histories written and
    /// `main`'s commit.
    pub(crate) fn write_main(
        &self,
        mut h: Histories,
        state: &mut State,
        stamp: super::Stamp,
        threads: usize,
    ) -> Result<(Tags, Oid)> {
        h.objects.write(&self.repo, threads)?;
        let Histories {
            tags,
            lines,
            rewritten,
            mut relines,
            kept,
            objects,
        } = h;
        drop(objects);
        // Everything is written to an in-memory object database on a handle of its own (the
        // in-memory backend must not outlive this call: libgit2 cannot list the objects of a
        // mempack, so `verify` would fail on it), then the objects the store lacks go into
        // one pack file.
        let work = Repository::open_bare(&self.path)?;
        let odb = work.odb()?;
        let mempack = odb.add_new_mempack_backend(1000)?;
        let mut written: Vec<Oid> = Vec::new();
        let disk_odb = self.repo.odb()?;
        // What the mempack holds goes into a pack of its own every so often, so that its
        // size does not grow with the import.
        let mut flush = |written: &mut Vec<Oid>| -> Result<()> {
            written.sort();
            written.dedup();
            disk_odb.refresh()?;
            written.retain(|o| !disk_odb.exists_ext(*o, git2::OdbLookupFlags::NO_REFRESH));
            super::pack::write_pack(&work, written, threads)?;
            mempack.reset()?;
            written.clear();
            Ok(())
        };
        super::trace::mark("histories written");
        // The histories read and not rewritten, and those rewritten still to be derived.
        let all: BTreeMap<String, &[StoredVersion]> = state
            .statutes
            .iter()
            .filter(|(id, _)| !tags.contains_key(*id))
            .chain(kept.iter())
            .map(|(id, c)| (id.clone(), c.as_slice()))
            .collect();
        // The tables as they will stand: the stored ones (taken, not copied: at national
        // scale they are hundreds of megabytes), else those of the histories read, with the
        // lines of the statutes written here replaced; written a shard at a time.
        let written_here = |id: &str| tags.contains_key(id);
        let mut base = match state.tables.take() {
            Some(t) => t,
            None => super::tables::Tables::of(
                all.iter()
                    .filter(|(id, _)| !written_here(id))
                    .map(|(id, c)| (id, *c)),
            ),
        };
        base.remove_where(&written_here);
        relines.settle();
        base.replace_with(relines);
        let tables = base.write_with(&work, lines, &|id| rewritten.contains(id), &mut written)?;
        flush(&mut written)?;
        super::trace::mark("tables");
        // The citation index: derived again for the statutes planned here (and for all when
        // the store's derived data is stale), carried over for the others.
        let carried = super::cites::Carried::of(&work, super::cites::main_index(&work))?;
        let index = super::cites::write_index(
            &work,
            tables.heads.ids(),
            &all,
            &|id| tags.get(id).map(|w| format!("{id}\t{}", w.titles)),
            &|id| stamp.stale() || tags.contains_key(id),
            &carried,
            &tables.trees,
            &|id| tags.get(id).and_then(|w| w.derived),
            threads,
            &mut written,
            &mut flush,
        )?;
        drop(carried);
        drop(all);
        drop(kept);
        super::trace::mark("index written");
        flush(&mut written)?;
        super::trace::mark("flushed");
        let main = catalog::write_main(
            &work,
            tables.heads.heads(),
            Some(index),
            stamp,
            &mut written,
        )?;
        // The store's own handle sees only what is on disk.
        flush(&mut written)?;
        super::trace::mark("main written");
        Ok((tags, main))
    }

    /// Moves the refs of the statutes written (`tags`) and of the `touched` ones to their
    /// histories (`tags`, else the stored ones), removing tags of versions they no longer
    /// have, and `main` to `main`, all in one atomic rename. Returns how many refs were
    /// created, moved or deleted.
    pub(crate) fn move_refs(
        &self,
        touched: &BTreeSet<String>,
        tags: &Tags,
        state: &State,
        main: Oid,
    ) -> Result<usize> {
        let mut want: BTreeMap<String, Option<Oid>> = BTreeMap::new();
        let current = self.all_refs()?;
        let moving = |id: &str| tags.contains_key(id) || state.statutes.contains_key(id);
        // Every tag of a statute whose history moves goes, unless its history keeps it.
        for name in current.keys() {
            if let Some((id, _)) = name
                .strip_prefix("refs/tags/")
                .and_then(|r| r.rsplit_once('/'))
                && (touched.contains(id) || tags.contains_key(id))
                && moving(id)
            {
                want.insert(name.clone(), None);
            }
        }
        for id in touched
            .iter()
            .chain(tags.keys().filter(|id| !touched.contains(*id)))
        {
            let versions: Vec<(&str, Oid)> = match (tags.get(id), state.statutes.get(id)) {
                (Some(w), _) => w.versions.iter().map(|(l, c)| (l.as_str(), *c)).collect(),
                (None, Some(chain)) => chain.iter().map(|v| (v.label.as_str(), v.commit)).collect(),
                (None, None) => continue,
            };
            if let Some((_, head)) = versions.last() {
                want.insert(statute_ref(id), Some(*head));
            }
            for (label, commit) in versions {
                want.insert(version_tag(id, label), Some(commit));
            }
        }
        want.insert(MAIN_REF.into(), Some(main));
        want.retain(|name, target| current.get(name).copied() != *target);
        if !want.is_empty() {
            super::pack::update_refs(self.repo.path(), &current, &want)?;
        }
        Ok(want.len())
    }

    /// Every ref and its target (symbolic refs left out).
    pub(crate) fn all_refs(&self) -> Result<HashMap<String, Oid>> {
        let mut out = HashMap::new();
        for r in self.repo.references()? {
            let r = r?;
            if let (Ok(name), Some(t)) = (r.name(), r.target()) {
                out.insert(name.to_string(), t);
            }
        }
        Ok(out)
    }

    /// Fills the summaries the plans lack and derives each planned statute's lines of the
    /// citation index ([`summarize_statute`]), one statute per task on every core, statutes
    /// taken about [`SUMMARY_BATCH`] versions at a time. Each task reads its statute's texts
    /// itself, through a repository handle of its thread's own (reading a text back from a
    /// pack — inflating and hashing it — was, done on the calling thread, the largest serial
    /// step of an import). Returns the blobs of the derived lines by statute, written.
    pub(crate) fn summarize_plans(
        &self,
        plans: &mut [Plan],
        state: &State,
        threads: usize,
    ) -> Result<HashMap<String, super::cites::DerivedBlobs>> {
        let empty = Vec::new();
        let mut derived = HashMap::new();
        // The derived lines go into the object database a batch at a time (packed every
        // [`FLUSH_OBJECTS`]), only their blob ids kept.
        let mut objects = super::pack::Objects::default();
        let path = self.path.clone();
        let mut at = 0;
        while at < plans.len() {
            let start = at;
            let mut size = 0;
            while at < plans.len() && (at == start || size < SUMMARY_BATCH) {
                size += plans[at].slots.len();
                at += 1;
            }
            let batch = &plans[start..at];
            let results = crate::par::map_with(
                batch,
                threads,
                Ok(Handle::Borrowed(&self.repo)),
                || Repository::open_bare(&path).map(Handle::Owned),
                |handle, p| -> Result<Option<Summarized>> {
                    let repo = match handle {
                        Ok(Handle::Borrowed(r)) => *r,
                        Ok(Handle::Owned(r)) => &*r,
                        Err(e) => {
                            return Err(StoreError::Git(git2::Error::new(
                                e.code(),
                                e.class(),
                                e.message(),
                            )));
                        }
                    };
                    let stored = state.statutes.get(&p.id).unwrap_or(&empty);
                    let text = |s: &Slot| -> Result<Vec<u8>> {
                        match (&s.canonical, s.stored) {
                            (Some(c), _) => Ok(c.clone()),
                            (None, None) if let Some(at) = &s.packed => at.read(),
                            (None, Some(j)) => {
                                Ok(repo.find_blob(stored[j].blob)?.content().to_vec())
                            }
                            // A new version whose text is in the object database already.
                            (None, None) => Ok(repo.find_blob(s.blob)?.content().to_vec()),
                        }
                    };
                    let texts = p.slots.iter().map(text).collect::<Result<Vec<_>>>()?;
                    // A panic fails this statute's summaries only.
                    Ok(std::panic::catch_unwind(std::panic::AssertUnwindSafe(|| {
                        summarize_statute(p, &texts)
                    }))
                    .ok())
                },
            );
            for (p, r) in plans[start..at].iter_mut().zip(results) {
                match r? {
                    Some((comparisons, d)) => {
                        for (slot, c) in p.slots.iter_mut().zip(comparisons) {
                            if let Some(c) = c {
                                slot.summary = Some(c);
                            }
                        }
                        if let Some(d) = d {
                            derived.insert(p.id.clone(), d.into_blobs(&mut objects));
                        }
                    }
                    // A panic: every version still gets a history entry.
                    None => {
                        for i in p.from.max(1)..p.slots.len() {
                            p.slots[i]
                                .summary
                                .get_or_insert_with(Comparison::unreadable);
                        }
                    }
                }
            }
            if objects.len() >= FLUSH_OBJECTS || objects.bytes() >= FLUSH_BYTES {
                objects.write(&self.repo, threads)?;
            }
        }
        objects.write(&self.repo, threads)?;
        Ok(derived)
    }
}

/// What [`summarize_statute`] gives.
type Summarized = (Vec<Option<Comparison>>, Option<super::cites::Derived>);

/// A worker's repository: the caller's on its own thread, opened again on each other.
pub(crate) enum Handle<'a> {
    Borrowed(&'a Repository),
    Owned(Repository),
}

impl Handle<'_> {
    /// The repository either way.
    pub(crate) fn repo(&self) -> &Repository {
        match self {
            Handle::Borrowed(r) => r,
            Handle::Owned(r) => r,
        }
    }
}

/// How many objects of the histories an import holds before it packs them.
const FLUSH_OBJECTS: usize = 100_000;
/// How many bytes of objects an import holds before it packs them.
const FLUSH_BYTES: usize = 128 << 20;

/// About how many versions an import parses at once for summaries (their texts in memory).
const SUMMARY_BATCH: usize = 512;

/// Writes the commits of a plan; returns the statute's whole new history.
fn write_plan(
    objects: &mut super::pack::Objects,
    p: Plan,
    stored: &[StoredVersion],
) -> Result<Vec<StoredVersion>> {
    let mut chain: Vec<StoredVersion> = stored[..p.from].to_vec();
    for s in p.slots.into_iter().skip(p.from) {
        let blob = match &s.canonical {
            Some(c) => objects.blob(c),
            None => s.blob,
        };
        let tree = version_tree(objects, &p.id, blob);
        let (summary, substantive, event) = match &s.summary {
            Some(c) => (Some(c.summary.as_str()), Some(c.substantive), c.event),
            None => (None, None, None),
        };
        let msg = commit_message(&s.meta, &s.label, s.date, summary, substantive, event);
        let sig = signature(s.date)?;
        let commit = objects.commit(tree, chain.last().map(|v| v.commit), &sig, &msg);
        chain.push(StoredVersion {
            commit,
            blob,
            label: s.label,
            date: s.date,
            meta: s.meta,
            // The commit holds it; an import of every statute would hold them all otherwise.
            summary: None,
            substantive,
            event,
        });
    }
    Ok(chain)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn directories_give_their_date_named_files_only() {
        let dir = tempfile::tempdir().expect("tempdir");
        let d = dir.path();
        let write = |p: &str| {
            let p = d.join(p);
            std::fs::create_dir_all(p.parent().expect("parent")).expect("mkdir");
            std::fs::write(&p, "x").expect("write");
            p
        };
        let v1 = write("法/2020-01-01.md");
        let v2 = write("法/2021-02-03.txt");
        write("法/README.md");
        write("format-noise/法@2020-01-01/a.md");
        write("format-noise/法@2020-01-01/b.md");
        write("法/2021-02-30.md");
        let explicit = write("notes/any-name.md");
        let (files, ignored, failed) = collect(&[d.to_path_buf(), explicit.clone()]);
        assert_eq!(files, vec![explicit, v1, v2]);
        assert_eq!(
            ignored, 5,
            "README, two format-noise files, an impossible date, notes/any-name.md under the walk"
        );
        assert!(failed.is_empty());
        let (_, _, failed) = collect(&[d.join("missing")]);
        assert_eq!(failed.len(), 1);
    }

    #[test]
    fn groups_end_where_a_directory_does_or_at_twice_their_size() {
        let files: Vec<PathBuf> = [
            "a/1", "a/2", "a/3", "b/1", "c/1", "c/2", "c/3", "c/4", "c/5",
        ]
        .iter()
        .map(PathBuf::from)
        .collect();
        let sizes = |size| -> Vec<usize> { groups(&files, size).iter().map(|g| g.len()).collect() };
        assert_eq!(sizes(2), vec![3, 4, 2]);
        assert_eq!(sizes(1), vec![2, 1, 1, 2, 2, 1]);
        assert_eq!(sizes(100), vec![9]);
        assert!(groups(&[], 4).is_empty());
    }
}
