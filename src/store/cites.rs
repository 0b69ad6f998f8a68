//! Citations across statutes: the citation index `main` carries (derived data, rebuilt with
//! the rest), and what it answers — a version's outgoing citations (`refs`), a statute's or an
//! article's incoming ones (`cites`), each resolved to the version of the cited statute in force
//! at the citing version's date and followed by lineage to the cited statute's latest version
//! (or the one in force on a date), and the citations an amendment made stale.
//!
//! The index is the `index/` tree of `main`:
//! - `titles.tsv`: per statute, its latest title and every former one (`Titles`);
//! - `refs/<shard>/<id>.tsv`: every citation of every version of the statute (`cite::extract`
//!   on the canonical file; lines are the canonical file's), present when it cites anything;
//! - `units/<shard>/<id>.tsv`: the lineage of the statute's units through its versions;
//! - `cites/<shard>/<id>.tsv`: the citations of other statutes whose name is one of this
//!   statute's titles (for a statute published in parts, every part gets the citations of the
//!   whole; the article decides which part a citation is of).
//!
//! `<shard>` is the id's [`id_shard`] (two hex digits of its hash), so
//! that finding one statute's file reads a tree of a few hundred entries, not one of every
//! statute in the store (31 MB at 310,000 statutes, read again for each lookup).
//!
//! `refs/` and `units/` depend on one statute's versions only and are carried over for the
//! statutes an import does not touch; `titles.tsv` and `cites/` are rebuilt from them.

use std::collections::{BTreeMap, BTreeSet, HashMap};
use std::fmt::Write as _;

use git2::{Oid, Repository, Tree};

use super::error::{Result, StoreError};
use super::read::{StatuteHistory, in_force};
use super::tables::id_shard;
use super::{MAIN_REF, Store, StoredVersion};
use crate::cite::{self, Found, Name, Titles};
use crate::lineage::{self, Lineage, Origin, Unit, VersionUnits};
use crate::model::{Date, UnitNum};

/// The directory of the index in `main`'s tree.
pub const INDEX_DIR: &str = "index";

/// One citation as the index keeps it: a version of the citing statute and what it cites.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Row {
    /// The citing version's label.
    pub version: String,
    pub line: u32,
    pub unit: Option<String>,
    pub name: Name,
    pub article: UnitNum,
    pub paragraph: Option<u32>,
    pub item: Option<u32>,
    /// The citation as written ([`cite::Citation::text`]).
    pub text: String,
}

fn clean(s: &str) -> String {
    s.replace(['\t', '\n', '\r'], " ")
}

impl Row {
    fn write(&self, out: &mut String) {
        let (main, sub) = match self.article {
            UnitNum::Article { main, sub } => (main, sub),
            UnitNum::Point(n) | UnitNum::Position(n) => (n, 0),
        };
        let name = match &self.name {
            Name::This => "=".to_string(),
            Name::Title(t) => format!("《{}", clean(t)),
            Name::Words(w) => format!("~{}", clean(w)),
        };
        let opt = |o: Option<u32>| o.map(|n| n.to_string()).unwrap_or_else(|| "-".into());
        let _ = writeln!(
            out,
            "{}\t{}\t{}\t{name}\t{main}\t{sub}\t{}\t{}\t{}",
            self.version,
            self.line,
            self.unit
                .as_deref()
                .map(clean)
                .unwrap_or_else(|| "-".into()),
            opt(self.paragraph),
            opt(self.item),
            clean(&self.text),
        );
    }

    fn read(line: &str) -> Option<Row> {
        let f: Vec<&str> = line.split('\t').collect();
        let [version, l, unit, name, main, sub, para, item, text] = f.as_slice() else {
            return None;
        };
        let opt = |s: &str| if s == "-" { None } else { s.parse().ok() };
        let name = if *name == "=" {
            Name::This
        } else if let Some(t) = name.strip_prefix('《') {
            Name::Title(t.to_string())
        } else {
            Name::Words(name.strip_prefix('~')?.to_string())
        };
        Some(Row {
            version: version.to_string(),
            line: l.parse().ok()?,
            unit: (*unit != "-").then(|| unit.to_string()),
            name,
            article: UnitNum::Article {
                main: main.parse().ok()?,
                sub: sub.parse().ok()?,
            },
            paragraph: opt(para),
            item: opt(item),
            text: text.to_string(),
        })
    }
}

fn read_rows(text: &str) -> Vec<Row> {
    text.lines().filter_map(Row::read).collect()
}

/// The lineage as `units/<id>.tsv` writes it: `@version` lines, then one line per unit:
/// label, lineage id, origin, index of the version that last changed it, parents. Ids of the
/// statute's own lineages (all of them) are written without the statute id they start with.
fn write_units(id: &str, l: &Lineage) -> String {
    let prefix = format!("{id}/");
    let short = |x: &str| match x.strip_prefix(&prefix) {
        Some(rest) => format!("/{}", clean(rest)),
        None => clean(x),
    };
    let mut out = String::new();
    for v in &l.versions {
        let _ = writeln!(out, "@{}", v.version);
        for u in &v.units {
            let parents: Vec<String> = u.parents.iter().map(|p| short(p)).collect();
            let _ = writeln!(
                out,
                "{}\t{}\t{}\t{}\t{}",
                clean(&u.label),
                short(&u.id),
                u.origin.as_str(),
                u.last_changed,
                parents.join(" ")
            );
        }
    }
    out
}

fn read_units(id: &str, text: &str) -> Lineage {
    let long = |x: &str| match x.strip_prefix('/') {
        Some(rest) => format!("{id}/{rest}"),
        None => x.to_string(),
    };
    let mut versions: Vec<VersionUnits> = Vec::new();
    for line in text.lines() {
        if let Some(v) = line.strip_prefix('@') {
            versions.push(VersionUnits {
                version: v.to_string(),
                units: Vec::new(),
            });
            continue;
        }
        let Some(cur) = versions.last_mut() else {
            continue;
        };
        let f: Vec<&str> = line.split('\t').collect();
        let [label, unit_id, origin, last, parents] = f.as_slice() else {
            continue;
        };
        cur.units.push(Unit {
            index: cur.units.len(),
            label: label.to_string(),
            id: long(unit_id),
            parents: parents
                .split(' ')
                .filter(|p| !p.is_empty())
                .map(long)
                .collect(),
            origin: Origin::parse(origin).unwrap_or(Origin::Modified),
            last_changed: last.parse().unwrap_or(0),
        });
    }
    Lineage { versions }
}

/// A statute's versions: label and canonical bytes, oldest first.
type Texts = Vec<(String, Vec<u8>)>;

/// What the index holds for one statute, derived from its versions alone.
pub(crate) struct Derived {
    refs: String,
    units: String,
}

/// A statute's lines of the citation index once written as blobs: its units and, when it
/// cites anything, its refs. An import writes them as it derives them, so that what it holds
/// until the index is written does not grow with the texts it imports.
#[derive(Debug, Clone, Copy)]
pub(crate) struct DerivedBlobs {
    units: Oid,
    refs: Option<Oid>,
}

impl Derived {
    /// Its blobs, added to `objects` (to be written before the index names them).
    pub(crate) fn into_blobs(self, objects: &mut super::pack::Objects) -> DerivedBlobs {
        DerivedBlobs {
            units: objects.blob(self.units.as_bytes()),
            refs: (!self.refs.is_empty()).then(|| objects.blob(self.refs.as_bytes())),
        }
    }
}

/// Parses every version of a statute (canonical bytes, oldest first), extracts its citations
/// and follows its units.
fn derive(id: &str, versions: &Texts) -> Result<Derived> {
    let mut statutes = Vec::with_capacity(versions.len());
    for (label, bytes) in versions {
        let path = std::path::PathBuf::from(format!("{id}@{label}"));
        statutes.push(crate::parse_bytes(&path, bytes)?.statute);
    }
    let pairs: Vec<(&str, &crate::Statute)> = versions
        .iter()
        .zip(&statutes)
        .map(|((l, _), s)| (l.as_str(), s))
        .collect();
    let changes: Vec<crate::diff::ChangeSet> = pairs
        .windows(2)
        .map(|w| crate::diff::diff(w[0].1, w[1].1))
        .collect();
    Ok(derive_parsed(id, &pairs, &changes))
}

/// The index's lines of a statute from its versions, parsed (label and statute, oldest
/// first), and the change sets of consecutive versions (`changes[k]`: version `k` to `k + 1`).
pub(crate) fn derive_parsed(
    id: &str,
    versions: &[(&str, &crate::Statute)],
    changes: &[crate::diff::ChangeSet],
) -> Derived {
    let mut refs = String::new();
    for (label, s) in versions {
        for c in cite::extract(s) {
            Row {
                version: label.to_string(),
                line: c.line,
                unit: c.unit,
                name: c.name,
                article: c.article,
                paragraph: c.paragraph,
                item: c.item,
                text: c.text,
            }
            .write(&mut refs);
        }
    }
    let units = write_units(id, &lineage::lineage_from(id, versions, changes));
    Derived { refs, units }
}

/// The index files an import can carry over from `main`'s index as it stands: per directory
/// (`refs`, `units`), statute id → blob, each directory's tree read once; and each statute's
/// line of `titles.tsv`.
#[derive(Default)]
pub(crate) struct Carried {
    dirs: HashMap<&'static str, HashMap<String, Oid>>,
    titles: HashMap<String, String>,
}

impl Carried {
    /// What `tree` (an `index/` tree, if any) holds.
    pub(crate) fn of(repo: &Repository, tree: Option<Tree<'_>>) -> Result<Carried> {
        let mut dirs = HashMap::new();
        let mut titles = HashMap::new();
        let Some(tree) = tree else {
            return Ok(Carried { dirs, titles });
        };
        for dir in ["refs", "units"] {
            let Some(entry) = tree.get_name(dir) else {
                continue;
            };
            let mut files = HashMap::new();
            for shard in repo.find_tree(entry.id())?.iter() {
                let sub = repo.find_tree(shard.id())?;
                files.extend(sub.iter().filter_map(|e| {
                    let id = e.name().ok()?.strip_suffix(".tsv")?;
                    Some((id.to_string(), e.id()))
                }));
            }
            dirs.insert(dir, files);
        }
        if let Some(entry) = tree.get_name("titles.tsv") {
            let blob = repo.find_blob(entry.id())?;
            let text = std::str::from_utf8(blob.content())
                .map_err(|_| StoreError::Corrupt(format!("{INDEX_DIR}/titles.tsv is not UTF-8")))?;
            for line in text.lines() {
                if let Some((id, _)) = line.split_once('\t') {
                    titles.insert(id.to_string(), line.to_string());
                }
            }
        }
        Ok(Carried { dirs, titles })
    }

    fn blob(&self, dir: &str, id: &str) -> Option<Oid> {
        self.dirs.get(dir)?.get(id).copied()
    }
}

/// A statute's line of `titles.tsv`: its id and every title its history had, the latest first.
pub(crate) fn titles_line(id: &str, chain: &[StoredVersion]) -> String {
    let mut names: Vec<&str> = vec![];
    for v in chain.iter().rev() {
        if !names.contains(&v.meta.title.as_str()) {
            names.push(&v.meta.title);
        }
    }
    format!("{id}\t{}", names.join("\t"))
}

/// `main`'s index tree, when it has one.
pub(crate) fn main_index(repo: &Repository) -> Option<Tree<'_>> {
    let main = repo.find_reference(MAIN_REF).ok()?.peel_to_commit().ok()?;
    let entry = main.tree().ok()?.get_name(INDEX_DIR)?.id();
    repo.find_tree(entry).ok()
}

/// How many versions are parsed at once when the index is derived (bounds memory).
const BATCH: usize = 512;
/// How many bytes of objects [`write_index`] writes between calls of its `flush`.
const FLUSH_BYTES: usize = 32 << 20;
/// How many bytes of incoming citations [`write_index`] gathers in memory before it spills
/// them to a temporary file.
const INCOMING_BYTES: usize = 32 << 20;

/// Writes the index tree of the statutes `ids`: `refs/` and `units/` derived again for the
/// statutes `fresh` picks and carried over from `carried` for the others (derived when it has
/// none), then `titles.tsv` and `cites/`, beside the lookup `tables` (their directories,
/// written). `derived` holds what was
/// derived already for some fresh statutes (an import derives it with the summaries, parsing
/// each version once); those are taken from it. `chains` holds the histories read, every other
/// fresh statute's at least, and `titles` the `titles.tsv` line of histories written but not
/// held; a statute of `ids` with neither must be carried whole, else the index is incomplete
/// ([`StoreError::NoIndex`]). Every object written is added to `written`.
#[allow(clippy::too_many_arguments)]
pub(crate) fn write_index<'i>(
    repo: &Repository,
    ids: impl Iterator<Item = &'i str> + Clone,
    chains: &BTreeMap<String, &[StoredVersion]>,
    titles: &dyn Fn(&str) -> Option<String>,
    fresh: &dyn Fn(&str) -> bool,
    carried: &Carried,
    tables: &[(&'static str, Oid)],
    derived: &dyn Fn(&str) -> Option<DerivedBlobs>,
    threads: usize,
    written: &mut Vec<Oid>,
    flush: &mut dyn FnMut(&mut Vec<Oid>) -> Result<()>,
) -> Result<Oid> {
    // Bytes written since `flush` was last called.
    let mut pending = 0usize;
    let mut written_bytes = |n: usize, written: &mut Vec<Oid>, pending: &mut usize| -> Result<()> {
        *pending += n;
        if *pending >= FLUSH_BYTES {
            flush(written)?;
            *pending = 0;
        }
        Ok(())
    };
    // (id, refs blob if any, units blob) per statute.
    // Keyed by the ids borrowed, not copied: at national scale a copy of every id is tens of
    // megabytes.
    let mut refs_blobs: BTreeMap<&str, Option<Oid>> = BTreeMap::new();
    let mut units_blobs: BTreeMap<&str, Oid> = BTreeMap::new();
    let mut todo: Vec<(&str, &[StoredVersion])> = Vec::new();
    for id in ids.clone() {
        if let Some(d) = derived(id) {
            units_blobs.insert(id, d.units);
            refs_blobs.insert(id, d.refs);
            continue;
        }
        let chain = chains.get(id);
        // Carried over unless it is to be derived afresh (and can be: its history was read).
        let units = carried
            .blob("units", id)
            .filter(|_| !(fresh(id) && chain.is_some()));
        match (units, chain) {
            (Some(units), _) => {
                units_blobs.insert(id, units);
                refs_blobs.insert(id, carried.blob("refs", id));
            }
            (None, Some(chain)) => todo.push((id, chain)),
            (None, None) => return Err(StoreError::NoIndex),
        }
    }
    let mut store_derived = |id: &'i str, d: Derived, written: &mut Vec<Oid>| -> Result<usize> {
        let units = repo.blob(d.units.as_bytes())?;
        written.push(units);
        units_blobs.insert(id, units);
        let refs = if d.refs.is_empty() {
            None
        } else {
            let b = repo.blob(d.refs.as_bytes())?;
            written.push(b);
            Some(b)
        };
        refs_blobs.insert(id, refs);
        Ok(d.units.len() + d.refs.len())
    };
    // Derive in batches of whole statutes, reading their blobs first.
    let mut at = 0;
    while at < todo.len() {
        let mut batch: Vec<(&'i str, Texts)> = Vec::new();
        let mut size = 0;
        while at < todo.len() && (batch.is_empty() || size < BATCH) {
            let (id, chain) = todo[at];
            at += 1;
            let mut versions = Vec::new();
            for v in chain {
                versions.push((v.label.clone(), repo.find_blob(v.blob)?.content().to_vec()));
            }
            size += versions.len();
            batch.push((id, versions));
        }
        let derived = crate::par::try_map(&batch, threads, |(id, versions)| derive(id, versions));
        for ((id, _), d) in batch.iter().zip(derived) {
            let d = d.ok_or_else(|| StoreError::Panicked {
                what: format!("{id}: deriving the citation index"),
            })??;
            let n = store_derived(id, d, written)?;
            written_bytes(n, written, &mut pending)?;
        }
    }
    super::trace::mark("index derived");
    // Titles: every title each statute had, its latest first; the matcher built as they come.
    let mut titles_text = String::new();
    let mut matcher = Titles::default();
    for id in ids {
        let line = match (titles(id), chains.get(id)) {
            (Some(line), _) => line,
            (None, Some(chain)) => titles_line(id, chain),
            (None, None) => carried.titles.get(id).cloned().ok_or(StoreError::NoIndex)?,
        };
        for n in line.split('\t').skip(1) {
            matcher.insert(n, id);
        }
        let _ = writeln!(titles_text, "{line}");
    }
    // Written and dropped now: at national scale it is tens of megabytes.
    let titles_blob = repo.blob(titles_text.as_bytes())?;
    written.push(titles_blob);
    written_bytes(titles_text.len(), written, &mut pending)?;
    drop(titles_text);
    super::trace::mark("titles");
    // Incoming citations, by cited statute (spilled to temporary files past a bound).
    let mut incoming = super::runs::Runs::new(INCOMING_BYTES);
    for (id, refs) in &refs_blobs {
        let Some(refs) = refs else { continue };
        let blob = repo.find_blob(*refs)?;
        let text = std::str::from_utf8(blob.content())
            .map_err(|_| StoreError::Corrupt(format!("{INDEX_DIR}/refs/{id}.tsv is not UTF-8")))?;
        for line in text.lines() {
            let Some(row) = Row::read(line) else { continue };
            let cited: Vec<String> = match matcher.find(&row.name, id) {
                Found::One { id, .. } => vec![id],
                Found::Parts { ids, .. } => ids,
                Found::Ambiguous { .. } | Found::Unknown { .. } => Vec::new(),
            };
            for c in cited.into_iter().filter(|c| c != id) {
                incoming
                    .append(&c, &[id, "\t", line, "\n"])
                    .map_err(StoreError::Spill)?;
            }
        }
    }
    super::trace::mark("incoming gathered");
    drop(matcher);
    let mut cites: Vec<(String, Oid)> = Vec::new();
    incoming.merge(StoreError::Spill, |id, text| -> Result<()> {
        let b = repo.blob(text.as_bytes())?;
        written.push(b);
        cites.push((id.to_string(), b));
        written_bytes(text.len(), written, &mut pending)
    })?;
    let mut root = repo.treebuilder(None)?;
    root.insert("titles.tsv", titles_blob, 0o100_644)?;
    for (name, tree) in tables {
        root.insert(name, *tree, 0o040_000)?;
    }
    let units = units_blobs.iter().map(|(id, b)| (*id, *b));
    let refs = refs_blobs.iter().filter_map(|(id, b)| Some((*id, (*b)?)));
    let cited = cites.iter().map(|(id, b)| (id.as_str(), *b));
    for (name, dir) in [
        ("units", sharded_dir(repo, units, written)?),
        ("refs", sharded_dir(repo, refs, written)?),
        ("cites", sharded_dir(repo, cited, written)?),
    ] {
        if let Some(d) = dir {
            root.insert(name, d, 0o040_000)?;
        }
    }
    let root = root.write()?;
    written.push(root);
    Ok(root)
}

/// Writes a directory of `<shard>/<id>.tsv` entries (see [`id_shard`]); `None` for none.
fn sharded_dir<'a>(
    repo: &Repository,
    entries: impl Iterator<Item = (&'a str, Oid)>,
    written: &mut Vec<Oid>,
) -> Result<Option<Oid>> {
    let mut shards: BTreeMap<String, Vec<(&str, Oid)>> = BTreeMap::new();
    for (id, b) in entries {
        shards.entry(id_shard(id)).or_default().push((id, b));
    }
    if shards.is_empty() {
        return Ok(None);
    }
    let mut dir = repo.treebuilder(None)?;
    for (shard, entries) in shards {
        let mut sub = repo.treebuilder(None)?;
        for (id, b) in entries {
            sub.insert(format!("{id}.tsv"), b, 0o100_644)?;
        }
        let s = sub.write()?;
        written.push(s);
        dir.insert(shard, s, 0o040_000)?;
    }
    let d = dir.write()?;
    written.push(d);
    Ok(Some(d))
}

/// Where a cited article stands in the version it is compared with.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Status {
    /// Same number, text not changed substantively.
    Current,
    /// Same number, text changed substantively.
    Modified,
    /// Now another number.
    Renumbered,
    /// Split into several articles.
    Split,
    /// Merged with others into one article.
    Merged,
    /// No longer in the statute.
    Deleted,
    /// The statute is not in the store (or its name is ambiguous), it had no version by the
    /// citing date, or the article never existed in that version.
    Unresolved,
}

impl Status {
    pub fn as_str(self) -> &'static str {
        match self {
            Status::Current => "current",
            Status::Modified => "modified",
            Status::Renumbered => "renumbered",
            Status::Split => "split",
            Status::Merged => "merged",
            Status::Deleted => "deleted",
            Status::Unresolved => "unresolved",
        }
    }

    /// The citation no longer points where it pointed.
    pub fn stale(self) -> bool {
        matches!(
            self,
            Status::Renumbered | Status::Split | Status::Merged | Status::Deleted
        )
    }
}

/// A citation resolved and compared.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Resolved {
    /// The citing statute and version.
    pub citing: String,
    pub citing_version: String,
    pub row: Row,
    /// The cited statute as written (less nothing), and its id when the store holds it.
    pub cited_title: String,
    pub cited: Option<String>,
    /// The cited statute's version in force at the citing version's date.
    pub cited_version: Option<String>,
    /// The lineage id of the cited article.
    pub lineage: Option<String>,
    pub status: Status,
    /// The labels the article has in the compared version.
    pub current: Vec<String>,
    /// Why a citation is unresolved.
    pub note: Option<String>,
    /// For [`stale_by`]: the article's label in the version before the amendment.
    pub before: String,
}

/// The index as read for queries: titles, and each statute's lineage and history on demand.
pub struct CiteIndex<'s> {
    store: &'s Store,
    tree: Tree<'s>,
    /// `refs`, `units`, `cites`, each read once.
    dirs: HashMap<String, Option<Tree<'s>>>,
    titles: std::sync::Arc<IndexTitles>,
    cache: HashMap<String, std::rc::Rc<Cited>>,
}

/// What `titles.tsv` gives, read once and shareable between threads (each with a store
/// handle of its own: see [`Store::cite_index_with`]).
pub struct IndexTitles {
    pub titles: Titles,
    /// id → latest title.
    names: HashMap<String, String>,
}

/// A cited statute, read once.
pub struct Cited {
    pub history: StatuteHistory,
    pub lineage: Lineage,
}

impl Store {
    /// The citation index of `main`; an error when the store has none (written before it:
    /// `statute reindex` builds it).
    pub fn cite_index(&self) -> Result<CiteIndex<'_>> {
        let titles = std::sync::Arc::new(self.cite_titles()?);
        self.cite_index_with(titles)
    }

    /// The index's titles (`titles.tsv`), read and indexed: linear in the store, so a task
    /// that opens the index for each of many statutes reads them once and shares them.
    pub fn cite_titles(&self) -> Result<IndexTitles> {
        let tree = main_index(&self.repo).ok_or(StoreError::NoIndex)?;
        let titles_blob = tree.get_name("titles.tsv").ok_or(StoreError::NoIndex)?.id();
        let blob = self.repo.find_blob(titles_blob)?;
        let text = std::str::from_utf8(blob.content())
            .map_err(|_| StoreError::Corrupt("index/titles.tsv is not UTF-8".into()))?;
        let mut pairs = Vec::new();
        let mut names = HashMap::new();
        for line in text.lines() {
            let mut f = line.split('\t');
            let Some(id) = f.next() else { continue };
            for (k, t) in f.enumerate() {
                if k == 0 {
                    names.insert(id.to_string(), t.to_string());
                }
                pairs.push((t.to_string(), id.to_string()));
            }
        }
        let titles = Titles::new(pairs.iter().map(|(t, id)| (t.as_str(), id.as_str())));
        Ok(IndexTitles { titles, names })
    }

    /// The citation index of `main` with titles read already ([`Store::cite_titles`], from
    /// this store or another handle on it).
    pub fn cite_index_with(&self, titles: std::sync::Arc<IndexTitles>) -> Result<CiteIndex<'_>> {
        let tree = main_index(&self.repo).ok_or(StoreError::NoIndex)?;
        Ok(CiteIndex {
            store: self,
            tree,
            dirs: HashMap::new(),
            titles,
            cache: HashMap::new(),
        })
    }
}

impl<'s> CiteIndex<'s> {
    /// A statute's file in one of the index's directories (`refs`, `units`, `cites`); its
    /// shard's tree is read once per index.
    fn file(&mut self, dir: &str, id: &str) -> Result<Option<String>> {
        let key = format!("{dir}/{}", id_shard(id));
        if !self.dirs.contains_key(&key) {
            let repo = self.store.repo();
            let sub = match self.tree.get_name(dir) {
                Some(e) => match repo.find_tree(e.id())?.get_name(&id_shard(id)) {
                    Some(s) => Some(repo.find_tree(s.id())?),
                    None => None,
                },
                None => None,
            };
            self.dirs.insert(key.clone(), sub);
        }
        let Some(Some(sub)) = self.dirs.get(&key) else {
            return Ok(None);
        };
        let Some(entry) = sub.get_name(&format!("{id}.tsv")) else {
            return Ok(None);
        };
        let blob = self.store.repo().find_blob(entry.id())?;
        String::from_utf8(blob.content().to_vec())
            .map(Some)
            .map_err(|_| StoreError::Corrupt(format!("{INDEX_DIR}/{dir}/{id}.tsv is not UTF-8")))
    }

    /// A statute's latest title, by id.
    pub fn title<'a>(&'a self, id: &'a str) -> &'a str {
        self.titles.names.get(id).map(String::as_str).unwrap_or(id)
    }

    /// A statute's history and lineage, read once.
    pub fn cited(&mut self, id: &str) -> Result<std::rc::Rc<Cited>> {
        if let Some(c) = self.cache.get(id) {
            return Ok(c.clone());
        }
        let history = self.store.history(id)?;
        let units = self.file("units", id)?.ok_or(StoreError::NoIndex)?;
        let lineage = read_units(id, &units);
        if lineage.versions.len() != history.versions.len() {
            return Err(StoreError::NoIndex);
        }
        let c = std::rc::Rc::new(Cited { history, lineage });
        self.cache.insert(id.to_string(), c.clone());
        Ok(c)
    }

    /// The article a user named in a statute (`第七十一条`, `71`, `10之1`): its label and
    /// lineage id, looked up in version `spec` (else in the latest version that has it).
    pub fn find_article(
        &mut self,
        h: &StatuteHistory,
        spec: Option<&str>,
        article: &str,
    ) -> Result<(String, String)> {
        let cited = self.cited(&h.id)?;
        let labels = super::articles::article_labels(article);
        super::articles::lookup_order(h, spec)?
            .iter()
            .find_map(|&k| labels.iter().find_map(|l| cited.lineage.find(k, l)))
            .map(|u| (u.label.clone(), u.id.clone()))
            .ok_or_else(|| StoreError::NoSuchArticle {
                statute: h.id.clone(),
                article: article.into(),
            })
    }

    /// Every citation of one version of `id`, resolved and compared with each cited statute's
    /// latest version, or with the one in force on `at`.
    pub fn refs(
        &mut self,
        id: &str,
        version: &StoredVersion,
        at: Option<Date>,
    ) -> Result<Vec<Resolved>> {
        let rows: Vec<Row> = read_rows(&self.file("refs", id)?.unwrap_or_default())
            .into_iter()
            .filter(|r| r.version == version.label)
            .collect();
        rows.into_iter()
            .map(|row| self.resolve(id, version.date, row, at))
            .collect()
    }

    /// Resolves one citation of `citing`'s version `row.version`, dated `date`.
    fn resolve(
        &mut self,
        citing: &str,
        date: Date,
        row: Row,
        at: Option<Date>,
    ) -> Result<Resolved> {
        let mut out = Resolved {
            citing: citing.to_string(),
            citing_version: row.version.clone(),
            cited_title: String::new(),
            cited: None,
            cited_version: None,
            lineage: None,
            status: Status::Unresolved,
            current: Vec::new(),
            note: None,
            before: String::new(),
            row,
        };
        let candidates = match self.titles.titles.find(&out.row.name, citing) {
            Found::One { id, name } => {
                out.cited_title = if out.row.name == Name::This {
                    self.title(citing).to_string()
                } else {
                    name
                };
                vec![id]
            }
            Found::Parts { ids, name } => {
                out.cited_title = name;
                ids
            }
            Found::Ambiguous { name, ids } => {
                out.note = Some(format!("{} statutes go by “{name}”", ids.len()));
                out.cited_title = name;
                return Ok(out);
            }
            Found::Unknown { name } => {
                out.note = Some(format!("“{name}” is not in the store"));
                out.cited_title = name;
                return Ok(out);
            }
        };
        // Words read before a short name are not the citation's: 保存公司法第三十三条.
        if matches!(out.row.name, Name::Words(_))
            && let Some(at) = out.row.text.find(&out.cited_title)
        {
            out.row.text = out.row.text[at..].to_string();
        }
        let own = out.row.name == Name::This || candidates.iter().any(|c| c == citing);
        let label = out.row.article.label();
        let mut first_note = None;
        for id in &candidates {
            let cited = self.cited(id)?;
            // A document cites its own text; another statute as in force on its date.
            let j = if own {
                cited
                    .history
                    .versions
                    .iter()
                    .position(|v| v.label == out.row.version)
            } else {
                point_in_time(&cited.history, date)
            };
            let Some(j) = j else {
                first_note.get_or_insert_with(|| {
                    format!("the store has no version of {} by {date}", self.title(id))
                });
                continue;
            };
            let Some(unit) = cited.lineage.find(j, &label) else {
                first_note.get_or_insert_with(|| {
                    format!(
                        "{} has no {label} in its version {}",
                        self.title(id),
                        cited.history.versions[j].label
                    )
                });
                continue;
            };
            let target = match at {
                Some(d) => point_in_time(&cited.history, d).unwrap_or(j).max(j),
                None => cited.history.versions.len() - 1,
            };
            let (status, current) = compare(&cited.lineage, j, unit, target);
            out.cited = Some(id.clone());
            out.cited_version = Some(cited.history.versions[j].label.clone());
            out.lineage = Some(unit.id.clone());
            out.status = status;
            out.current = current;
            return Ok(out);
        }
        out.note = first_note;
        if candidates.len() == 1 {
            out.cited = candidates.into_iter().next();
        }
        Ok(out)
    }

    /// Every citation of `id` by other stored statutes, resolved; with `article` (a lineage
    /// id), only those of that article through any of its numbers.
    pub fn cites(
        &mut self,
        id: &str,
        article: Option<&str>,
        at: Option<Date>,
    ) -> Result<Vec<Resolved>> {
        let text = self.file("cites", id)?.unwrap_or_default();
        let related = match article {
            Some(a) => Some(self.cited(id)?.lineage.related(a)),
            None => None,
        };
        let mut out = Vec::new();
        for line in text.lines() {
            let Some((citing, rest)) = line.split_once('\t') else {
                continue;
            };
            let Some(row) = Row::read(rest) else { continue };
            // A version's label is its date (and `.N` for a second text of that date).
            let Some(date) = row.version.get(..10).and_then(Date::parse_iso) else {
                continue;
            };
            let r = self.resolve(citing, date, row, at)?;
            // A citation of the whole of a statute published in parts is another part's when
            // this part has no such article.
            if r.cited.as_deref() != Some(id) {
                continue;
            }
            if let Some(related) = &related
                && !r.lineage.as_ref().is_some_and(|l| related.contains(l))
            {
                continue;
            }
            out.push(r);
        }
        Ok(out)
    }
}

/// The version of a statute a citation dated `date` means: the one in force then, else the
/// latest dated on or before it.
pub fn point_in_time(h: &StatuteHistory, date: Date) -> Option<usize> {
    if let Ok(v) = in_force(h, date) {
        return h.versions.iter().position(|x| x.commit == v.commit);
    }
    h.versions.iter().rposition(|v| v.date <= date)
}

/// Where `unit` of version `j` stands in version `target`: the same lineage (current,
/// modified, renumbered), its descendants (split, merged), or nothing (deleted).
pub fn compare(l: &Lineage, j: usize, unit: &Unit, target: usize) -> (Status, Vec<String>) {
    let Some(t) = l.versions.get(target) else {
        return (Status::Unresolved, Vec::new());
    };
    if let Some(same) = t.units.iter().find(|u| u.id == unit.id) {
        let status = if same.label != unit.label {
            Status::Renumbered
        } else if same.last_changed > j {
            Status::Modified
        } else {
            Status::Current
        };
        return (status, vec![same.label.clone()]);
    }
    // Descendants: lineages whose parents come from this one, version after version.
    let mut line: BTreeSet<&str> = BTreeSet::from([unit.id.as_str()]);
    for v in &l.versions[j + 1..=target] {
        for u in &v.units {
            if u.parents.iter().any(|p| line.contains(p.as_str())) {
                line.insert(&u.id);
            }
        }
    }
    let heirs: Vec<&Unit> = t
        .units
        .iter()
        .filter(|u| u.id != unit.id && line.contains(u.id.as_str()))
        .collect();
    match heirs.as_slice() {
        [] => (Status::Deleted, Vec::new()),
        hs => {
            let merged = hs.iter().any(|u| u.parents.len() > 1);
            let labels = hs.iter().map(|u| u.label.clone()).collect();
            (
                if merged {
                    Status::Merged
                } else {
                    Status::Split
                },
                labels,
            )
        }
    }
}

/// The citations an amendment made stale: of `id`'s version `k` (k ≥ 1), the citations by
/// other statutes that pointed right in version `k - 1` and no longer do in version `k`.
pub fn stale_by(index: &mut CiteIndex<'_>, id: &str, k: usize) -> Result<Vec<Resolved>> {
    Ok(stale_by_each(index, id, &[k])?.pop().unwrap_or_default())
}

/// [`stale_by`] for several versions of `id` at once, in the order of `ks`: the citations of
/// `id` are read and resolved once, however many versions ask (a national law is cited by
/// thousands of statutes, and a feed asks for each of its versions).
pub fn stale_by_each(
    index: &mut CiteIndex<'_>,
    id: &str,
    ks: &[usize],
) -> Result<Vec<Vec<Resolved>>> {
    let mut out = vec![Vec::new(); ks.len()];
    if ks.iter().all(|&k| k == 0) {
        return Ok(out);
    }
    // Most statutes are cited by none: their lineage is then not read.
    let citing = index.cites(id, None, None)?;
    if citing.is_empty() {
        return Ok(out);
    }
    let cited = index.cited(id)?;
    for r in citing {
        let (Some(version), Some(lineage)) = (&r.cited_version, &r.lineage) else {
            continue;
        };
        let Some(j) = cited
            .history
            .versions
            .iter()
            .position(|v| &v.label == version)
        else {
            continue;
        };
        let Some(unit) = cited.lineage.versions[j]
            .units
            .iter()
            .find(|u| &u.id == lineage)
        else {
            continue;
        };
        for (found, &k) in out.iter_mut().zip(ks) {
            if k == 0 || j >= k {
                continue;
            }
            let (before, old) = compare(&cited.lineage, j, unit, k - 1);
            let (after, labels) = compare(&cited.lineage, j, unit, k);
            if !before.stale() && after.stale() {
                let mut r = r.clone();
                r.status = after;
                r.current = labels;
                r.before = old.join("、");
                found.push(r);
            }
        }
    }
    Ok(out)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn lineages_read_back_as_written() {
        let a = crate::parse_str(
            std::path::Path::new("a"),
            "# 法\n\n<!-- INFO END -->\n\n第一条 甲乙丙丁戊己庚辛。\n\n第二条 子丑寅卯辰巳午未。\n",
        )
        .expect("a")
        .statute;
        let b = crate::parse_str(
            std::path::Path::new("b"),
            "# 法\n\n<!-- INFO END -->\n\n第一条 新增的一条规定。\n\n第二条 甲乙丙丁戊己庚辛。\n\n第三条 子丑寅卯辰巳午未。\n",
        )
        .expect("b")
        .statute;
        let l = lineage::lineage("法-00000000", &[("2001-01-01", &a), ("2002-01-01", &b)]);
        let text = write_units("法-00000000", &l);
        assert!(!text.contains("法-00000000"), "{text}");
        assert_eq!(read_units("法-00000000", &text), l);
    }

    #[test]
    fn rows_read_back_as_written() {
        let rows = [
            Row {
                version: "2020-12-29".into(),
                line: 13,
                unit: Some("第二条".into()),
                name: Name::Words("依据民法典".into()),
                article: UnitNum::Article { main: 85, sub: 0 },
                paragraph: None,
                item: None,
                text: "民法典第八十五条".into(),
            },
            Row {
                version: "2020-12-29.2".into(),
                line: 7,
                unit: None,
                name: Name::Title("中华人民共和国公司法".into()),
                article: UnitNum::Article { main: 10, sub: 1 },
                paragraph: Some(2),
                item: Some(3),
                text: "《中华人民共和国公司法》第十条之一第二款第（三）项".into(),
            },
            Row {
                version: "2001-01-01".into(),
                line: 1,
                unit: Some("第一条".into()),
                name: Name::This,
                article: UnitNum::Article { main: 1, sub: 0 },
                paragraph: None,
                item: None,
                text: "第一条".into(),
            },
        ];
        let mut text = String::new();
        for r in &rows {
            r.write(&mut text);
        }
        assert_eq!(read_rows(&text), rows);
    }
}
