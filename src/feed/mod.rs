//! The change feed (`statute feed`): one event per stored version of a statute, with what it
//! changed, the lineage ids of the articles involved and the amending act, in cursor order.
//!
//! Events are computed from the store, never cached: the versions a feed asks for are found
//! from the tag names alone (`refs/tags/<statute-id>/<version>`, one `packed-refs` read), so
//! `--since` the latest cursor reads no object at all; each selected statute's history is then
//! read, and for amendment events its versions are parsed and consecutive versions diffed, one
//! statute per task on every core (one git handle per thread). See ARCHITECTURE.md, "feed".
//!
//! Modules: `wire` (the `statute-feed/1` types), `atom` (Atom output), `schema` (JSON Schema
//! of the wire formats).

pub mod atom;
pub mod schema;
pub mod wire;

use std::collections::BTreeMap;
use std::io::{self, Write};
use std::path::PathBuf;

use crate::diff::{self, ChangeSet, Entry, EntryKind, Segment, event};
use crate::lineage::{self, Lineage};
use crate::model::{Date, HistoryEvent, Statute};
use crate::render;
use crate::store::{Store, StoreError, StoredVersion};
use wire::{
    Act, AffectedCitation, Change, Event, EventKind, Heading, Paragraph, Seg, StatuteRef,
    TextualMod,
};

/// Errors of the feed.
#[derive(Debug, thiserror::Error)]
pub enum FeedError {
    /// A `since` that is neither a cursor nor a date (the value comes first, so that a
    /// caller can name the option that gave it).
    #[error(
        "{0:?}: neither a cursor (YYYY-MM-DD/STATUTE-ID/N, as events carry) nor a date (YYYY-MM-DD)"
    )]
    BadSince(String),
    /// A cursor's shape, but no statute of that id in the store.
    #[error(
        "{since:?}: no statute {statute:?} in the store (a cursor names a statute by its id, as events carry it)"
    )]
    UnknownStatute { since: String, statute: String },
    #[error(transparent)]
    Store(#[from] StoreError),
    /// The temporary file a large feed is spilled to could not be made, written or read.
    #[error("a temporary file for the feed's events: {0}")]
    Spill(#[source] io::Error),
    /// The output could not be written.
    #[error("writing the feed: {0}")]
    Write(#[source] io::Error),
}

pub type Result<T, E = FeedError> = std::result::Result<T, E>;

/// A position in the feed: events are ordered by version date, statute id, then the number of
/// the text among the statute's texts of that date (1, 2 …).
#[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub struct Cursor {
    pub date: Date,
    pub statute: String,
    pub n: u32,
}

impl Cursor {
    /// The cursor of a version given its statute and label (`2015-03-15`, `2015-03-15.2`).
    pub fn of_label(statute: &str, label: &str) -> Option<Cursor> {
        let (date, n) = match label.split_once('.') {
            Some((d, n)) => (d, n.parse::<u32>().ok()?),
            None => (label, 1),
        };
        Some(Cursor {
            date: Date::parse_iso(date)?,
            statute: statute.to_string(),
            n,
        })
    }

    /// Reads `YYYY-MM-DD/STATUTE-ID/N`.
    pub fn parse(s: &str) -> Option<Cursor> {
        let (date, rest) = s.split_once('/')?;
        let (statute, n) = rest.rsplit_once('/')?;
        if statute.is_empty() || !crate::store::id::is_valid(statute) {
            return None;
        }
        Some(Cursor {
            date: Date::parse_iso(date)?,
            statute: statute.to_string(),
            n: n.parse().ok().filter(|&n| n >= 1)?,
        })
    }
}

impl std::fmt::Display for Cursor {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(f, "{}/{}/{}", self.date, self.statute, self.n)
    }
}

/// Where a feed starts.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Since {
    /// Events strictly after this cursor.
    Cursor(Cursor),
    /// Events whose version date is on or after this date.
    Date(Date),
}

impl Since {
    /// A cursor, or a date `YYYY-MM-DD`.
    pub fn parse(s: &str) -> Result<Since> {
        let s = s.trim();
        if let Some(d) = Date::parse_iso(s).filter(|_| !s.contains('/')) {
            return Ok(Since::Date(d));
        }
        if let Some(c) = Cursor::parse(s) {
            return Ok(Since::Cursor(c));
        }
        // A cursor's shape whose middle is no statute id (a title, a cut hash) names no
        // statute of any store.
        match s
            .split_once('/')
            .and_then(|(d, rest)| Some((d, rest.rsplit_once('/')?)))
        {
            Some((date, (statute, n)))
                if Date::parse_iso(date).is_some()
                    && !statute.is_empty()
                    && n.parse::<u32>().is_ok_and(|n| n >= 1) =>
            {
                Err(FeedError::UnknownStatute {
                    since: s.to_string(),
                    statute: statute.to_string(),
                })
            }
            _ => Err(FeedError::BadSince(s.to_string())),
        }
    }

    fn admits(&self, c: &Cursor) -> bool {
        match self {
            Since::Cursor(since) => c > since,
            Since::Date(d) => c.date >= *d,
        }
    }
}

/// What a feed holds.
#[derive(Debug, Clone, Default)]
pub struct Options {
    /// Only events after this point.
    pub since: Option<Since>,
    /// Only these statutes (ids); all when empty.
    pub statutes: Vec<String>,
    /// At most this many events: with `since`, the first ones after it (so that passing the
    /// last cursor back pages forward without gaps); without, the latest ones.
    pub limit: Option<usize>,
    /// Worker threads; 0 means one per core.
    pub threads: usize,
    /// For [`write()`]: how many bytes of rendered events are held in memory before they go to
    /// a temporary file; `None`: [`SPILL_IN_MEMORY`].
    pub spill_in_memory: Option<usize>,
}

/// The events of the feed, in cursor order, all in memory: for small feeds and tests. A feed
/// of a whole store is written with [`write()`], which holds only a batch at a time.
pub fn events(store: &Store, opts: &Options) -> Result<Vec<Event>> {
    let mut out = Vec::new();
    compute(
        store,
        opts,
        |e| e,
        |k| {
            out.push(k);
            Ok(())
        },
    )?;
    out.sort_by(|a, b| a.sort_key.cmp(&b.sort_key));
    Ok(out.into_iter().map(|k| k.event).collect())
}

/// An output format of the feed.
#[derive(Debug, Clone)]
pub enum Format {
    /// JSON Lines: one compact event a line.
    Jsonl,
    /// One pretty-printed JSON array.
    Json,
    /// An Atom feed, newest entry first, with this title and feed id.
    Atom { title: String, self_id: String },
}

/// How many statutes' events are computed between two spills: enough to keep every core
/// busy, few enough that a batch's texts stay small beside the store's.
const BATCH: usize = 256;

/// Writes the feed in `format` with memory bounded whatever the store's size: each batch of
/// statutes' events is rendered on the workers and appended to a spill (in memory up to
/// [`SPILL_IN_MEMORY`] bytes, then an unnamed temporary file), and the rendered events are
/// copied out in cursor order from there. The bytes are the ones [`write_jsonl`],
/// [`write_json`] and [`atom::write`] give for [`events`]. Returns how many events.
pub fn write(store: &Store, opts: &Options, format: &Format, out: &mut dyn Write) -> Result<usize> {
    let render = |e: Event| -> (String, Vec<u8>) {
        let mut bytes = Vec::new();
        // Serialising the wire types cannot fail, and a Vec takes every write.
        let _ = match format {
            Format::Jsonl => serde_json::to_writer(&mut bytes, &e).map_err(io::Error::from),
            Format::Json => {
                let mut pretty = Vec::new();
                let r = serde_json::to_writer_pretty(&mut pretty, &e);
                // An element of the array, indented one level as the whole array would be.
                for (i, line) in pretty.split(|b| *b == b'\n').enumerate() {
                    if i > 0 {
                        bytes.push(b'\n');
                    }
                    bytes.extend_from_slice(b"  ");
                    bytes.extend_from_slice(line);
                }
                r.map_err(io::Error::from)
            }
            Format::Atom { .. } => atom::entry(&e, &mut bytes),
        };
        (e.version_date, bytes)
    };
    let mut spill = Spill {
        limit: opts.spill_in_memory.unwrap_or(SPILL_IN_MEMORY),
        ..Spill::default()
    };
    let mut index: Vec<(Cursor, u64, usize)> = Vec::new();
    let mut updated: Option<String> = None;
    compute(store, opts, render, |k| {
        let (date, bytes) = k.event;
        if updated.as_ref().is_none_or(|u| *u < date) {
            updated = Some(date);
        }
        let at = spill.append(&bytes).map_err(FeedError::Spill)?;
        index.push((k.sort_key, at, bytes.len()));
        Ok(())
    })?;
    index.sort_by(|a, b| a.0.cmp(&b.0));
    let mut w = io::BufWriter::with_capacity(1 << 16, out);
    let mut copy = |w: &mut io::BufWriter<&mut dyn Write>, at: u64, len: usize| -> Result<()> {
        let bytes = spill.read(at, len).map_err(FeedError::Spill)?;
        w.write_all(bytes).map_err(FeedError::Write)
    };
    match format {
        Format::Jsonl => {
            for (_, at, len) in &index {
                copy(&mut w, *at, *len)?;
                w.write_all(b"\n").map_err(FeedError::Write)?;
            }
        }
        Format::Json => {
            if index.is_empty() {
                w.write_all(b"[]\n").map_err(FeedError::Write)?;
            } else {
                w.write_all(b"[\n").map_err(FeedError::Write)?;
                for (i, (_, at, len)) in index.iter().enumerate() {
                    if i > 0 {
                        w.write_all(b",\n").map_err(FeedError::Write)?;
                    }
                    copy(&mut w, *at, *len)?;
                }
                w.write_all(b"\n]\n").map_err(FeedError::Write)?;
            }
        }
        Format::Atom { title, self_id } => {
            atom::header(updated.as_deref(), title, self_id, &mut w).map_err(FeedError::Write)?;
            for (_, at, len) in index.iter().rev() {
                copy(&mut w, *at, *len)?;
            }
            atom::footer(&mut w).map_err(FeedError::Write)?;
        }
    }
    w.flush().map_err(FeedError::Write)?;
    Ok(index.len())
}

/// Rendered events kept in memory up to this many bytes; past it, in a temporary file.
pub const SPILL_IN_MEMORY: usize = 64 << 20;

/// Rendered events in arrival order: a buffer in memory, moved to an unnamed temporary file
/// (gone with the process, however it ends) once it outgrows `limit` bytes.
#[derive(Default)]
struct Spill {
    limit: usize,
    memory: Vec<u8>,
    file: Option<io::BufWriter<std::fs::File>>,
    len: u64,
    /// Reading back: the file's handle once flushed, and a buffer for one event.
    reading: Option<std::fs::File>,
    buf: Vec<u8>,
}

impl Spill {
    /// Appends `bytes`; returns where they start.
    fn append(&mut self, bytes: &[u8]) -> io::Result<u64> {
        let at = self.len;
        if self.file.is_none() && self.memory.len() + bytes.len() > self.limit {
            let mut f = io::BufWriter::with_capacity(1 << 20, tempfile::tempfile()?);
            f.write_all(&self.memory)?;
            self.memory = Vec::new();
            self.file = Some(f);
        }
        match self.file.as_mut() {
            Some(f) => f.write_all(bytes)?,
            None => self.memory.extend_from_slice(bytes),
        }
        self.len += bytes.len() as u64;
        Ok(at)
    }

    /// The `len` bytes appended at `at`.
    fn read(&mut self, at: u64, len: usize) -> io::Result<&[u8]> {
        use std::io::{Read, Seek, SeekFrom};
        if let Some(f) = self.file.take() {
            self.reading = Some(f.into_inner().map_err(io::IntoInnerError::into_error)?);
        }
        match self.reading.as_mut() {
            None => {
                let from = usize::try_from(at).unwrap_or(usize::MAX);
                self.memory
                    .get(from..from.saturating_add(len))
                    .ok_or_else(|| io::Error::other("outside the spilled events"))
            }
            Some(f) => {
                f.seek(SeekFrom::Start(at))?;
                self.buf.resize(len, 0);
                f.read_exact(&mut self.buf)?;
                Ok(&self.buf)
            }
        }
    }
}

/// Computes the events `opts` selects, `render` turning each into what `sink` takes, in
/// batches of [`BATCH`] statutes (their order within a batch, not the feed's: callers sort by
/// `sort_key`).
fn compute<R: Send>(
    store: &Store,
    opts: &Options,
    render: impl Fn(Event) -> R + Sync,
    mut sink: impl FnMut(Keyed<R>) -> Result<()>,
) -> Result<()> {
    // 1. Which versions: from the tag names alone.
    let mut wanted: Vec<(Cursor, String)> = Vec::new();
    let only: std::collections::BTreeSet<&str> = opts.statutes.iter().map(String::as_str).collect();
    let from_year = match &opts.since {
        Some(Since::Cursor(c)) => Some(c.date.year),
        Some(Since::Date(d)) => Some(d.year),
        None => None,
    };
    let tags = store.versions_from(from_year)?;
    if let Some(Since::Cursor(c)) = &opts.since
        && !store.contains(&c.statute)
    {
        return Err(FeedError::UnknownStatute {
            since: c.to_string(),
            statute: c.statute.clone(),
        });
    }
    for (statute, label) in tags {
        if !only.is_empty() && !only.contains(statute.as_str()) {
            continue;
        }
        let Some(c) = Cursor::of_label(&statute, &label) else {
            continue;
        };
        if opts.since.as_ref().is_none_or(|s| s.admits(&c)) {
            wanted.push((c, label));
        }
    }
    wanted.sort();
    if let Some(n) = opts.limit {
        if opts.since.is_some() {
            wanted.truncate(n);
        } else {
            let skip = wanted.len().saturating_sub(n);
            wanted.drain(..skip);
        }
    }
    // 2. Group by statute.
    let mut by_statute: BTreeMap<String, Vec<String>> = BTreeMap::new();
    for (c, label) in wanted {
        by_statute.entry(c.statute).or_default().push(label);
    }
    let tasks: Vec<(String, Vec<String>)> = by_statute.into_iter().collect();
    // The citation index's titles, read once for every task (none in a store without it).
    let titles = if tasks.is_empty() {
        None
    } else {
        match store.cite_titles() {
            Ok(t) => Some(std::sync::Arc::new(t)),
            Err(StoreError::NoIndex) => None,
            Err(e) => return Err(e.into()),
        }
    };
    // 3. One statute per task, one git handle per thread: the caller's store on this one, the
    // store opened again on each other; a batch at a time.
    let path: PathBuf = store.path().to_path_buf();
    let threads = crate::par::threads(opts.threads);
    for batch in tasks.chunks(BATCH) {
        let results = crate::par::map_with(
            batch,
            threads,
            Ok(Handle::Borrowed(store)),
            || Store::open(&path).map(Handle::Owned).map_err(Some),
            |handle, (id, labels)| {
                let s = match handle {
                    Ok(Handle::Borrowed(s)) => *s,
                    Ok(Handle::Owned(s)) => &*s,
                    // The worker's first task reports why it could not open the store; that
                    // error, earlier in task order, fails the feed.
                    Err(e) => return e.take().map_or(Ok(Vec::new()), |e| Err(e.into())),
                };
                // A panic in the parser or differ fails this statute, not the process.
                std::panic::catch_unwind(std::panic::AssertUnwindSafe(|| {
                    statute_events(s, id, labels, titles.as_ref()).map(|events| {
                        events
                            .into_iter()
                            .map(|k| Keyed {
                                sort_key: k.sort_key,
                                event: render(k.event),
                            })
                            .collect::<Vec<_>>()
                    })
                }))
                .unwrap_or_else(|_| {
                    Err(StoreError::Panicked {
                        what: format!("{id}: the parser or differ"),
                    }
                    .into())
                })
            },
        );
        for r in results {
            for k in r? {
                sink(k)?;
            }
        }
    }
    Ok(())
}

/// A worker's git handle: the caller's store, or one opened for the worker's thread.
enum Handle<'a> {
    Borrowed(&'a Store),
    Owned(Store),
}

/// An event (or what it was rendered to) and its cursor for sorting.
struct Keyed<E = Event> {
    sort_key: Cursor,
    event: E,
}

/// The events of one statute's versions named in `labels`.
fn statute_events(
    store: &Store,
    id: &str,
    labels: &[String],
    titles: Option<&std::sync::Arc<crate::store::cites::IndexTitles>>,
) -> Result<Vec<Keyed>> {
    let h = store.history(id)?;
    let ks: Vec<usize> = labels
        .iter()
        .filter_map(|l| h.versions.iter().position(|v| &v.label == l))
        .collect();
    let Some(&last) = ks.iter().max() else {
        return Ok(Vec::new());
    };
    let mut out = Vec::with_capacity(ks.len());
    if last == 0 {
        // Only the first version: no diff, no lineage; the 题注 from the front matter.
        let v = &h.versions[0];
        let history = front_matter_history(&store.text(v)?);
        out.push(keyed(event(id, &h.versions, 0, &history, None)));
        return Ok(out);
    }
    // Every version up to the last one wanted is parsed and diffed: lineage ids depend on
    // the whole chain before a version.
    let statutes: Vec<Statute> = h.versions[..=last]
        .iter()
        .map(|v| store.statute(v))
        .collect::<crate::store::Result<_>>()?;
    let changes: Vec<ChangeSet> = statutes
        .windows(2)
        .map(|w| diff::diff(&w[0], &w[1]))
        .collect();
    let pairs: Vec<(&str, &Statute)> = h.versions[..=last]
        .iter()
        .zip(&statutes)
        .map(|(v, s)| (v.label.as_str(), s))
        .collect();
    let lin = lineage::lineage_from(id, &pairs, &changes);
    // The citation index, when the store has one (stores written before it have none).
    let mut index = match titles {
        Some(t) => Some(store.cite_index_with(t.clone())?),
        None => None,
    };
    let mut affected = match index.as_mut() {
        Some(index) => affected_citations(index, id, &ks)?,
        None => vec![Vec::new(); ks.len()],
    };
    for (&k, affected) in ks.iter().zip(affected.iter_mut()) {
        let cs = k.checked_sub(1).and_then(|p| changes.get(p));
        let history = &statutes[k].meta.history;
        let mut e = event(id, &h.versions, k, history, cs.map(|cs| (cs, &lin)));
        e.affected_citations = std::mem::take(affected);
        out.push(keyed(e));
    }
    Ok(out)
}

/// The citations each version `ks` of `id` made stale, for their events.
fn affected_citations(
    index: &mut crate::store::cites::CiteIndex<'_>,
    id: &str,
    ks: &[usize],
) -> Result<Vec<Vec<AffectedCitation>>> {
    let found = crate::store::cites::stale_by_each(index, id, ks)?;
    Ok(found
        .into_iter()
        .map(|rs| {
            rs.into_iter()
                .map(|r| affected_citation(index, r))
                .collect()
        })
        .collect())
}

/// A stale citation as the feed names it.
fn affected_citation(
    index: &crate::store::cites::CiteIndex<'_>,
    r: crate::store::cites::Resolved,
) -> AffectedCitation {
    AffectedCitation {
        title: index.title(&r.citing).to_string(),
        statute: r.citing,
        version: r.citing_version,
        unit: r.row.unit,
        text: r.row.text,
        article: r.row.article.label(),
        old: r.before,
        new: r.current,
        status: r.status.as_str().to_string(),
    }
}

fn keyed(e: Event) -> Keyed {
    let sort_key = Cursor::parse(&e.cursor).unwrap_or(Cursor {
        date: Date {
            year: 0,
            month: 1,
            day: 1,
        },
        statute: String::new(),
        n: 0,
    });
    Keyed { sort_key, event: e }
}

/// The 题注 of a canonical file, read from its front matter only (`history:` entries, one JSON
/// string a line) without parsing the body.
pub fn front_matter_history(canonical: &str) -> Vec<HistoryEvent> {
    let mut lines = canonical.lines();
    if lines.next() != Some("---") {
        return Vec::new();
    }
    let mut out = Vec::new();
    let mut in_history = false;
    for line in lines {
        if line == "---" {
            break;
        }
        if line == "history:" {
            in_history = true;
            continue;
        }
        if in_history {
            match line.strip_prefix("  - ") {
                Some(q) => {
                    if let Ok(text) = serde_json::from_str::<String>(q) {
                        out.push(crate::parse::history::parse_event(&text));
                    }
                }
                None => in_history = false,
            }
        }
    }
    out
}

/// The Akoma Ntoso textual modifications of an entry.
pub fn textual_mods(e: &Entry) -> Vec<TextualMod> {
    let mut out = match e.kind {
        EntryKind::Unchanged => Vec::new(),
        EntryKind::Modified => vec![TextualMod::Substitution],
        EntryKind::Added => vec![TextualMod::Insertion],
        EntryKind::Deleted => vec![TextualMod::Repeal],
        EntryKind::Split => vec![TextualMod::Split],
        EntryKind::Merged => vec![TextualMod::Join],
    };
    if e.renumbered && matches!(e.kind, EntryKind::Unchanged | EntryKind::Modified) {
        out.push(TextualMod::Renumbering);
    }
    out
}

fn segs(s: &[Segment]) -> Vec<Seg> {
    s.iter()
        .map(|s| Seg {
            op: s.op.as_str().to_string(),
            text: s.text.clone(),
        })
        .collect()
}

/// The feed's entry of one change; `act`, the act the version was made from, names the
/// instructions behind it.
fn change(e: &Entry, lin: &Lineage, k: usize, act: Option<&crate::store::ActRecord>) -> Change {
    let ids = |version: usize, refs: &[diff::UnitRef]| -> Vec<String> {
        refs.iter()
            .map(|r| {
                lin.versions
                    .get(version)
                    .and_then(|v| v.units.get(r.index))
                    .map(|u| u.id.clone())
                    .unwrap_or_default()
            })
            .collect()
    };
    let a = render::diff_json::doc_article(e);
    Change {
        kind: e.kind.as_str().to_string(),
        textual_mods: textual_mods(e),
        old: a.old.iter().map(|s| s.to_string()).collect(),
        new: a.new.iter().map(|s| s.to_string()).collect(),
        old_ids: ids(k - 1, &e.old),
        new_ids: ids(k, &e.new),
        old_index: a.old_index,
        new_index: a.new_index,
        old_path: a.old_path.to_vec(),
        new_path: a.new_path.to_vec(),
        renumbered: e.renumbered,
        moved: e.moved,
        substantive: e.substantive,
        restructured: e.restructured,
        similarity: a.similarity,
        paragraphs: e
            .lines
            .iter()
            .map(|l| Paragraph {
                op: l.op.as_str().to_string(),
                old: l.old.map(render::diff_json::position),
                new: l.new.map(render::diff_json::position),
                substantive: l.substantive,
                diff: segs(&l.diff),
            })
            .collect(),
        diff: segs(&e.diff),
        instructions: act.map_or_else(Vec::new, |r| {
            let mut ns: Vec<u32> = if e.new.is_empty() {
                e.old
                    .iter()
                    .filter_map(|u| r.instructions_for_deleted(&u.label))
                    .flatten()
                    .copied()
                    .collect()
            } else {
                e.new
                    .iter()
                    .filter_map(|u| r.instructions_for(&u.label))
                    .flatten()
                    .copied()
                    .collect()
            };
            ns.sort_unstable();
            ns.dedup();
            ns
        }),
    }
}

/// Builds the event of version `k` of a statute.
fn event(
    id: &str,
    versions: &[StoredVersion],
    k: usize,
    history: &[HistoryEvent],
    diffed: Option<(&ChangeSet, &Lineage)>,
) -> Event {
    let v = &versions[k];
    let prev = k.checked_sub(1).and_then(|p| versions.get(p));
    let act = event::act_of(history, v.date, prev.map(|p| p.date));
    let cs = diffed.map(|(cs, _)| cs);
    let kind = EventKind::from(event::classify(
        cs,
        act,
        v.repealed(),
        prev.is_some_and(StoredVersion::repealed),
    ));
    let cursor = Cursor::of_label(id, &v.label)
        .map(|c| c.to_string())
        .unwrap_or_else(|| format!("{}/{id}/1", v.date));
    let (summary, summary_text, substantive, changes, headings) = match diffed {
        Some((cs, lin)) => (
            Some(render::diff_json::summary(&cs.summary)),
            Some(cs.summary_line()),
            cs.has_substantive_changes(),
            cs.entries
                .iter()
                .filter(|e| e.kind != EntryKind::Unchanged || e.renumbered || e.moved)
                .map(|e| change(e, lin, k, v.meta.act.as_ref()))
                .collect(),
            cs.headings
                .iter()
                .map(|h| Heading {
                    kind: h.kind.as_str().to_string(),
                    old: h.old.clone(),
                    new: h.new.clone(),
                    path: h.path.clone(),
                })
                .collect(),
        ),
        None => (None, None, true, Vec::new(), Vec::new()),
    };
    Event {
        schema: wire::SCHEMA.to_string(),
        id: format!("{id}/{}", v.label),
        cursor,
        kind,
        statute: StatuteRef {
            id: id.to_string(),
            title: v.meta.title.clone(),
        },
        version: v.label.clone(),
        version_date: v.date.to_string(),
        effective: v.meta.effective.map(|d| d.to_string()),
        status: v.meta.status.clone(),
        previous: prev.map(|p| p.label.clone()),
        commit: v.commit.to_string(),
        previous_commit: prev.map(|p| p.commit.to_string()),
        act: act.map(|a| Act {
            kind: a.kind.as_str().to_string(),
            date: a.date.map(|d| d.to_string()),
            name: a.act.clone(),
            body: a.body.clone(),
            text: a.text.clone(),
            blob: v.meta.act.as_ref().map(|r| r.blob.to_string()),
        }),
        summary,
        summary_text,
        substantive,
        changes,
        headings,
        affected_citations: Vec::new(),
    }
}

/// Writes the events as JSON Lines: one event per line.
pub fn write_jsonl(events: &[Event], out: &mut impl Write) -> io::Result<()> {
    crate::render::write_json_lines(out, events)
}

/// Writes the events as one pretty-printed JSON array.
pub fn write_json(events: &[Event], out: &mut impl Write) -> io::Result<()> {
    crate::render::write_json(out, events, true)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn cursors_round_trip_and_order() {
        let c = Cursor::parse("2015-03-15/立法法-0123abcd/2").expect("cursor");
        assert_eq!(c.to_string(), "2015-03-15/立法法-0123abcd/2");
        assert_eq!(
            Cursor::of_label("立法法-0123abcd", "2015-03-15.2"),
            Some(c.clone())
        );
        let first = Cursor::of_label("立法法-0123abcd", "2015-03-15").expect("first");
        assert_eq!(first.n, 1);
        assert!(first < c);
        let later = Cursor::of_label("A-0123abcd", "2016-01-01").expect("later");
        assert!(c < later, "the date orders first");
        assert!(Cursor::parse("2015-03-15/x/0").is_none());
        assert!(Cursor::parse("2015-13-15/x/1").is_none());
        assert!(Cursor::parse("nonsense").is_none());
    }

    #[test]
    fn since_takes_a_cursor_or_a_date() {
        let d = Since::parse("2020-01-01").expect("date");
        let c = Cursor::of_label("x-00000000", "2020-01-01").expect("c");
        assert!(d.admits(&c), "a date admits its own day");
        let s = Since::parse(&c.to_string()).expect("cursor");
        assert!(!s.admits(&c), "a cursor admits only what follows it");
        assert!(s.admits(&Cursor::of_label("x-00000000", "2020-01-01.2").expect("c2")));
        assert!(matches!(Since::parse("soon"), Err(FeedError::BadSince(_))));
        assert!(matches!(
            Since::parse("2020-01-01/某条例/1"),
            Err(FeedError::UnknownStatute { statute, .. }) if statute == "某条例"
        ));
        assert!(matches!(
            Since::parse("2020-01-01/某条例/0"),
            Err(FeedError::BadSince(_))
        ));
    }

    #[test]
    fn front_matter_history_is_read_without_the_body() {
        let text = "---\nformat: \"statute/1\"\ntitle: \"某条例\"\nhistory:\n  - \"（2001年1月1日某市第一届人民代表大会常务委员会第一次会议通过\"\n  - \"2010年5月1日某市第二届人民代表大会常务委员会第九次会议《关于修改〈某条例〉的决定》修正）\"\n---\n\n# 某条例\n";
        let h = front_matter_history(text);
        assert_eq!(h.len(), 2);
        assert_eq!(h[1].kind, crate::model::EventKind::Amended);
        let act = event::act_of(&h, Date::new(2010, 5, 1).expect("d"), None).expect("act");
        assert_eq!(act.kind, crate::model::EventKind::Amended);
        assert!(act.act.as_deref().is_some_and(|a| a.contains("决定")));
    }

    #[test]
    fn mods_follow_akoma_ntoso() {
        let e = |kind, renumbered| Entry {
            kind,
            old: Vec::new(),
            new: Vec::new(),
            renumbered,
            moved: false,
            substantive: true,
            restructured: false,
            similarity: 1.0,
            lines: Vec::new(),
            diff: Vec::new(),
        };
        assert_eq!(
            textual_mods(&e(EntryKind::Added, false)),
            [TextualMod::Insertion]
        );
        assert_eq!(
            textual_mods(&e(EntryKind::Deleted, false)),
            [TextualMod::Repeal]
        );
        assert_eq!(
            textual_mods(&e(EntryKind::Modified, true)),
            [TextualMod::Substitution, TextualMod::Renumbering]
        );
        assert_eq!(
            textual_mods(&e(EntryKind::Unchanged, true)),
            [TextualMod::Renumbering]
        );
        assert_eq!(
            textual_mods(&e(EntryKind::Split, false)),
            [TextualMod::Split]
        );
        assert_eq!(
            textual_mods(&e(EntryKind::Merged, false)),
            [TextualMod::Join]
        );
        assert!(textual_mods(&e(EntryKind::Unchanged, false)).is_empty());
    }
}
