//! The store's lookup tables, kept in `main`'s tree beside the citation index so that a
//! question about one statute costs the same in a store of any size: `index/heads/` (every
//! statute's head: commit, canonical blob, number of versions and the catalog's columns),
//! `index/names/` (every title a statute has had → its id), `index/sources/` (every imported
//! source file's blob → its statute), `index/versions/` (every version's label, by year,
//! for the feed) and `index/list/` (the catalog's columns only, sharded in id order so that
//! `list` and the browser read it front to back without sorting).
//!
//! Each table is a directory of shards `<key>.tsv`; a shard's lines are sorted and each
//! belongs to one statute, whose id is the line's first field. Everything is derived from the
//! statutes' histories alone ([`rows`]), so the same histories give the same tables whatever
//! the order of import; an import replaces the lines of the statutes it rewrote and carries
//! the others over ([`Tables::replace`]); `verify` rebuilds them and compares; `reindex`
//! rewrites them.

use std::collections::{BTreeMap, BTreeSet};

use git2::{ObjectType, Oid, Repository, Tree};

use super::error::{Result, StoreError};
use super::{StoredVersion, VersionMeta, id};
use crate::model::Date;

/// The four tables, by directory name under `index/`.
pub const HEADS: &str = "heads";
pub const NAMES: &str = "names";
pub const SOURCES: &str = "sources";
pub const VERSIONS: &str = "versions";
pub const LIST: &str = "list";
const ALL: [&str; 5] = [HEADS, NAMES, SOURCES, VERSIONS, LIST];

/// The shard of a statute id in `heads/`: the last two hex digits of its hash.
pub fn id_shard(id: &str) -> String {
    let tail: String = id
        .chars()
        .rev()
        .take(2)
        .collect::<Vec<_>>()
        .into_iter()
        .rev()
        .collect();
    if tail.len() == 2 && tail.chars().all(|c| c.is_ascii_hexdigit()) {
        tail.to_ascii_lowercase()
    } else {
        "xx".to_string()
    }
}

/// The shard of a name in `names/` (a title as [`id::safe_title`] gives it): two hex digits of
/// its hash.
pub fn name_shard(name: &str) -> String {
    let oid = Oid::hash_object(ObjectType::Blob, name.as_bytes()).unwrap_or(Oid::ZERO_SHA1);
    oid.to_string()[..2].to_string()
}

/// The shard of a source blob in `sources/`: its first two hex digits.
pub fn source_shard(blob: Oid) -> String {
    blob.to_string()[..2].to_string()
}

/// The shard of a version label in `versions/`: its year.
pub fn version_shard(label: &str) -> String {
    label.chars().take(4).collect()
}

/// The shard of a statute id in `list/`: the code point of its first character, six hex
/// digits, so that the shards' names sort as the ids do (UTF-8 keeps code point order) and
/// reading the shards in name order reads the ids in order.
pub fn list_shard(id: &str) -> String {
    format!("{:06x}", id.chars().next().map_or(0, u32::from))
}

/// One row of `index/list/`: what `list` prints of a statute and the browser shows, without
/// the head's commit and blob.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ListRow {
    pub id: String,
    pub versions: usize,
    /// The head version's label.
    pub label: String,
    pub status: Option<String>,
    /// The head version's title.
    pub title: String,
}

impl ListRow {
    /// The row of a head.
    pub fn of(h: &Head) -> ListRow {
        ListRow {
            id: h.id.clone(),
            versions: h.versions,
            label: h.label.clone(),
            status: h.status.clone(),
            title: h.title.clone(),
        }
    }

    /// Its line: the title is left empty when it is the id's own title part, as it is for
    /// most statutes, which keeps the table a quarter of `heads/`.
    fn line(&self) -> String {
        let title = if self.title == id::title_part(&self.id) {
            ""
        } else {
            self.title.as_str()
        };
        format!(
            "{}\t{}\t{}\t{}\t{title}",
            self.id,
            self.versions,
            self.label,
            self.status.as_deref().unwrap_or("")
        )
    }

    /// Reads a line back; `None` when it is malformed.
    pub fn read(line: &str) -> Option<ListRow> {
        let mut f = line.split('\t');
        let id = f.next()?;
        let versions = f.next()?.parse().ok()?;
        let label = f.next()?;
        let status = f.next()?;
        let title = f.next()?;
        if f.next().is_some() || id.is_empty() {
            return None;
        }
        Some(ListRow {
            id: id.to_string(),
            versions,
            label: label.to_string(),
            status: (!status.is_empty()).then(|| status.to_string()),
            title: if title.is_empty() {
                id::title_part(id).to_string()
            } else {
                title.to_string()
            },
        })
    }
}

/// A statute's head as `index/heads/` records it: what `list`, the catalog and `main`'s tree
/// need without reading the history.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Head {
    pub id: String,
    pub commit: Oid,
    pub blob: Oid,
    pub versions: usize,
    pub label: String,
    pub date: Date,
    pub effective: Option<Date>,
    pub status: Option<String>,
    pub issuer: Option<String>,
    pub title: String,
}

impl Head {
    /// The head of a history (none for an empty one).
    pub fn of(chain: &[StoredVersion]) -> Option<Head> {
        let v = chain.last()?;
        Some(Head {
            id: v.meta.id.clone(),
            commit: v.commit,
            blob: v.blob,
            versions: chain.len(),
            label: v.label.clone(),
            date: v.date,
            effective: v.meta.effective,
            status: v.meta.status.clone(),
            issuer: v.meta.issuer.clone(),
            title: v.meta.title.clone(),
        })
    }

    /// The head version as far as the table knows it (no summary, source or act: the
    /// commit's trailers have them).
    pub fn version(&self) -> StoredVersion {
        StoredVersion {
            commit: self.commit,
            blob: self.blob,
            label: self.label.clone(),
            date: self.date,
            meta: VersionMeta {
                id: self.id.clone(),
                title: self.title.clone(),
                issuer: self.issuer.clone(),
                effective: self.effective,
                status: self.status.clone(),
                source: None,
                act: None,
            },
            summary: None,
            substantive: None,
            event: None,
        }
    }

    /// Its line (trailer values are one line without tabs: see `store::one_line`).
    fn line(&self) -> String {
        let opt = |v: &Option<String>| v.clone().unwrap_or_default();
        [
            self.id.clone(),
            self.commit.to_string(),
            self.blob.to_string(),
            self.versions.to_string(),
            self.label.clone(),
            self.date.to_string(),
            self.effective.map(|d| d.to_string()).unwrap_or_default(),
            opt(&self.status),
            opt(&self.issuer),
            self.title.clone(),
        ]
        .join("\t")
    }

    /// Reads a line back; `None` when it is malformed.
    fn read(line: &str) -> Option<Head> {
        let f: Vec<&str> = line.split('\t').collect();
        let [
            id,
            commit,
            blob,
            versions,
            label,
            date,
            effective,
            status,
            issuer,
            title,
        ] = f.as_slice()
        else {
            return None;
        };
        let some = |s: &str| (!s.is_empty()).then(|| s.to_string());
        Some(Head {
            id: id.to_string(),
            commit: Oid::from_str(commit).ok()?,
            blob: Oid::from_str(blob).ok()?,
            versions: versions.parse().ok()?,
            label: label.to_string(),
            date: Date::parse_iso(date)?,
            effective: match *effective {
                "" => None,
                e => Some(Date::parse_iso(e)?),
            },
            status: some(status),
            issuer: some(issuer),
            title: title.to_string(),
        })
    }
}

/// Every line a statute's history puts in each table: (table, shard, line).
pub fn rows(id: &str, chain: &[StoredVersion]) -> Vec<(&'static str, String, String)> {
    let mut out = Vec::new();
    if let Some(h) = Head::of(chain) {
        out.push((HEADS, id_shard(id), h.line()));
        out.push((LIST, list_shard(id), ListRow::of(&h).line()));
    }
    let mut names: BTreeSet<String> = chain
        .iter()
        .map(|v| id::safe_title(&v.meta.title))
        .collect();
    names.insert(id::title_part(id).to_string());
    for n in names {
        out.push((NAMES, name_shard(&n), format!("{id}\t{n}")));
    }
    let sources: BTreeSet<Oid> = chain.iter().filter_map(|v| v.meta.source).collect();
    for s in sources {
        out.push((SOURCES, source_shard(s), format!("{id}\t{s}")));
    }
    for v in chain {
        out.push((
            VERSIONS,
            version_shard(&v.label),
            format!("{id}\t{}", v.label),
        ));
    }
    out
}

/// The lines of one shard: its sorted, distinct lines in one text (at national scale the
/// tables are millions of lines, which one allocation each would hold at about twice their
/// size), and the lines added since it was last sorted.
#[derive(Debug, Default, Clone)]
struct Shard {
    /// Sorted distinct lines, each ended by `\n`.
    text: String,
    added: Vec<String>,
    added_bytes: usize,
}

impl PartialEq for Shard {
    fn eq(&self, other: &Shard) -> bool {
        self.lines().eq(other.lines())
    }
}

impl Eq for Shard {}

impl Shard {
    /// A shard of lines already sorted and distinct (as a stored shard is).
    fn of_sorted(text: &str) -> Shard {
        let mut s = Shard::default();
        for l in text.lines() {
            s.text.push_str(l);
            s.text.push('\n');
        }
        s
    }

    fn insert(&mut self, line: String) {
        self.added_bytes += line.len() + 1;
        self.added.push(line);
        // Sorted in once they are a fair part of the shard: each line is copied a few times
        // in all, and few are held one allocation each.
        if self.added_bytes >= (self.text.len() / 4).max(4096) {
            self.settle();
        }
    }

    /// Sorts the added lines into the text.
    fn settle(&mut self) {
        if self.added.is_empty() {
            return;
        }
        let mut added = std::mem::take(&mut self.added);
        self.added_bytes = 0;
        added.sort_unstable();
        added.dedup();
        let mut text = String::with_capacity(
            self.text.len() + added.iter().map(|l| l.len() + 1).sum::<usize>(),
        );
        let mut old = self.text.lines().peekable();
        let mut new = added.iter().map(String::as_str).peekable();
        loop {
            let next = match (old.peek(), new.peek()) {
                (Some(o), Some(n)) if o == n => {
                    new.next();
                    old.next()
                }
                (Some(o), Some(n)) if o < n => old.next(),
                (Some(_), Some(_)) | (None, Some(_)) => new.next(),
                (Some(_), None) => old.next(),
                (None, None) => break,
            };
            if let Some(l) = next {
                text.push_str(l);
                text.push('\n');
            }
        }
        self.text = text;
    }

    /// Keeps the lines `keep` accepts.
    fn retain(&mut self, keep: impl Fn(&str) -> bool) {
        self.settle();
        if self.text.lines().all(&keep) {
            return;
        }
        let mut text = String::with_capacity(self.text.len());
        for l in self.text.lines().filter(|l| keep(l)) {
            text.push_str(l);
            text.push('\n');
        }
        self.text = text;
    }

    /// Its lines in order (every line added sorted in: see [`Tables`]).
    fn lines(&self) -> impl Iterator<Item = &str> {
        debug_assert!(self.added.is_empty());
        self.text.lines()
    }

    fn is_empty(&self) -> bool {
        self.text.is_empty() && self.added.is_empty()
    }
}

/// The shards of one table, by name.
type Shards = BTreeMap<String, Shard>;

/// The four tables in memory, as read from `main` or derived. Every shard is settled when a
/// public method returns.
#[derive(Debug, Default, Clone, PartialEq, Eq)]
pub struct Tables {
    tables: BTreeMap<&'static str, Shards>,
}

/// The tables as written: each table's directory, every statute's head line (ordered by id),
/// and how many bytes of blobs were written.
#[derive(Debug, Default)]
pub struct TableTrees {
    pub trees: Vec<(&'static str, Oid)>,
    pub heads: HeadLines,
    pub bytes: usize,
}

/// The lines of the `heads/` table in id order, kept as the shards' texts (a statute's head
/// is read from its line when asked for): at national scale one allocation a statute, let
/// alone a [`Head`]'s seven, would be most of what `main`'s writing holds.
#[derive(Debug, Default, PartialEq, Eq)]
pub struct HeadLines {
    texts: Vec<String>,
    /// (text, start, end) of each line, ordered by id.
    at: Vec<(u32, u32, u32)>,
}

impl HeadLines {
    /// Adds the lines of one shard's text.
    fn add(&mut self, text: String) {
        let k = self.texts.len() as u32;
        let mut start = 0;
        for l in text.split_inclusive('\n') {
            let line = l.trim_end_matches('\n');
            if !line.is_empty() {
                self.at.push((k, start as u32, (start + line.len()) as u32));
            }
            start += l.len();
        }
        self.texts.push(text);
    }

    /// Orders the lines by id.
    fn settle(&mut self) {
        let texts = &self.texts;
        let line = |&(k, a, b): &(u32, u32, u32)| &texts[k as usize][a as usize..b as usize];
        self.at.sort_by(|x, y| owner(line(x)).cmp(owner(line(y))));
    }

    /// Every line, ordered by id.
    pub fn lines(&self) -> impl Iterator<Item = &str> + Clone + '_ {
        self.at
            .iter()
            .map(|&(k, a, b)| &self.texts[k as usize][a as usize..b as usize])
    }

    /// Every statute's id, in order.
    pub fn ids(&self) -> impl Iterator<Item = &str> + Clone + '_ {
        self.lines().map(owner)
    }

    /// Every statute's head, ordered by id (a malformed line gives none).
    pub fn heads(&self) -> impl Iterator<Item = Head> + Clone + '_ {
        self.lines().filter_map(Head::read)
    }

    /// How many statutes.
    pub fn len(&self) -> usize {
        self.at.len()
    }

    /// True when there is none.
    pub fn is_empty(&self) -> bool {
        self.at.is_empty()
    }
}

/// Appends the lines of one history to `runs`, keyed `table/shard`, for
/// [`Tables::write_with`].
pub(crate) fn append_rows(
    runs: &mut super::runs::Runs,
    id: &str,
    chain: &[StoredVersion],
) -> std::io::Result<()> {
    for (table, shard, line) in rows(id, chain) {
        runs.append(&format!("{table}/{shard}"), &[&line, "\n"])?;
    }
    Ok(())
}

/// The first field of a line: the statute it belongs to.
fn owner(line: &str) -> &str {
    line.split('\t').next().unwrap_or("")
}

impl Tables {
    /// The tables of these histories.
    pub fn of<'a>(chains: impl IntoIterator<Item = (&'a String, &'a [StoredVersion])>) -> Tables {
        let mut t = Tables::default();
        for (id, chain) in chains {
            t.add(id, chain);
        }
        t.settle();
        t
    }

    /// Adds the lines of one history; [`Tables::settle`] must follow before the tables are
    /// read.
    pub fn add(&mut self, id: &str, chain: &[StoredVersion]) {
        for (table, shard, line) in rows(id, chain) {
            self.tables
                .entry(table)
                .or_default()
                .entry(shard)
                .or_default()
                .insert(line);
        }
    }

    /// Removes every line of the statute `id`.
    pub fn remove(&mut self, id: &str) {
        self.remove_where(&|o| o == id);
    }

    /// Sorts every line added into its shard.
    pub fn settle(&mut self) {
        for shard in self.tables.values_mut().flat_map(|s| s.values_mut()) {
            shard.settle();
        }
    }

    /// Replaces every line of the statutes `others` has lines of by those lines.
    pub fn replace_with(&mut self, mut others: Tables) {
        others.settle();
        let ids = others.ids();
        self.remove_where(&|id| ids.contains(id));
        for (table, shards) in others.tables {
            let mine = self.tables.entry(table).or_default();
            for (name, shard) in shards {
                let into = mine.entry(name).or_default();
                for l in shard.lines() {
                    into.insert(l.to_string());
                }
            }
        }
        self.settle();
    }

    /// Replaces the lines of the statutes in `chains` by those their new histories give.
    pub fn replace<'a>(
        &mut self,
        chains: impl IntoIterator<Item = (&'a String, &'a [StoredVersion])> + Clone,
    ) {
        let ids: BTreeSet<&str> = chains
            .clone()
            .into_iter()
            .map(|(id, _)| id.as_str())
            .collect();
        self.remove_where(&|id| ids.contains(id));
        for (id, chain) in chains {
            self.add(id, chain);
        }
        self.settle();
    }

    /// Reads every table of an `index/` tree; `None` when one of them is missing (a store
    /// written before the tables).
    pub fn read(repo: &Repository, index: &Tree<'_>) -> Result<Option<Tables>> {
        let mut t = Tables::default();
        for table in ALL {
            let Some(entry) = index.get_name(table) else {
                return Ok(None);
            };
            let dir = repo.find_tree(entry.id())?;
            let mut shards = Shards::new();
            for e in dir.iter() {
                let Some(shard) = e.name().ok().and_then(|n| n.strip_suffix(".tsv")) else {
                    continue;
                };
                let text = shard_text(repo, table, shard, e.id())?;
                shards.insert(shard.to_string(), Shard::of_sorted(&text));
            }
            t.tables.insert(table, shards);
        }
        Ok(Some(t))
    }

    /// Writes the tables as directories; every object written is added to `written`.
    pub fn write(&self, repo: &Repository, written: &mut Vec<Oid>) -> Result<TableTrees> {
        self.clone()
            .write_with(repo, super::runs::Runs::new(0), &|_| false, written)
    }

    /// Writes the tables with the lines of `added` (gathered by [`append_rows`]) sorted in,
    /// those of the statutes `superseded` picks left out of `added`, one shard at a time:
    /// the lines of a large import need not be in memory at once. Every object written is
    /// added to `written`.
    pub(crate) fn write_with(
        self,
        repo: &Repository,
        added: super::runs::Runs,
        superseded: &dyn Fn(&str) -> bool,
        written: &mut Vec<Oid>,
    ) -> Result<TableTrees> {
        let mut base: BTreeMap<String, Shard> = BTreeMap::new();
        for (table, shards) in self.tables {
            for (shard, lines) in shards {
                base.insert(format!("{table}/{shard}"), lines);
            }
        }
        let mut out = TableTrees::default();
        let mut dirs: BTreeMap<&'static str, git2::TreeBuilder<'_>> = BTreeMap::new();
        for table in ALL {
            dirs.insert(table, repo.treebuilder(None)?);
        }
        let mut put = |key: &str, mut shard: Shard, out: &mut TableTrees| -> Result<()> {
            shard.settle();
            let Some((table, name)) = key.split_once('/') else {
                return Ok(());
            };
            let Some(dir) = dirs.get_mut(table) else {
                return Ok(());
            };
            if shard.is_empty() {
                return Ok(());
            }
            let b = repo.blob(shard.text.as_bytes())?;
            out.bytes += shard.text.len();
            written.push(b);
            dir.insert(format!("{name}.tsv"), b, 0o100_644)?;
            if table == HEADS {
                out.heads.add(shard.text);
            }
            Ok(())
        };
        added.merge(StoreError::Spill, |key, text| -> Result<()> {
            // The carried shards before this one, then this one.
            while let Some(first) = base.first_entry() {
                if first.key().as_str() >= key {
                    break;
                }
                let (k, shard) = first.remove_entry();
                put(&k, shard, &mut out)?;
            }
            let mut shard = base.remove(key).unwrap_or_default();
            for l in text.lines().filter(|l| !superseded(owner(l))) {
                shard.insert(l.to_string());
            }
            put(key, shard, &mut out)
        })?;
        while let Some((k, shard)) = base.pop_first() {
            put(&k, shard, &mut out)?;
        }
        for (table, dir) in dirs {
            let d = dir.write()?;
            written.push(d);
            out.trees.push((table, d));
        }
        out.heads.settle();
        Ok(out)
    }

    /// Removes every line of the statutes `gone` picks.
    pub fn remove_where(&mut self, gone: &dyn Fn(&str) -> bool) {
        for shards in self.tables.values_mut() {
            for lines in shards.values_mut() {
                lines.retain(|l| !gone(owner(l)));
            }
            shards.retain(|_, lines| !lines.is_empty());
        }
    }

    /// Every statute's id.
    pub fn ids(&self) -> BTreeSet<String> {
        self.tables
            .get(HEADS)
            .into_iter()
            .flat_map(|s| s.values().flat_map(Shard::lines))
            .map(|l| owner(l).to_string())
            .collect()
    }

    /// Every statute's head, ordered by id.
    pub fn heads(&self) -> Vec<Head> {
        let mut out: Vec<Head> = self
            .tables
            .get(HEADS)
            .into_iter()
            .flat_map(|s| s.values().flat_map(Shard::lines))
            .filter_map(Head::read)
            .collect();
        out.sort_by(|a, b| a.id.cmp(&b.id));
        out
    }

    /// Every recorded source blob and its statute.
    pub fn sources(&self) -> impl Iterator<Item = (Oid, &str)> {
        self.tables
            .get(SOURCES)
            .into_iter()
            .flat_map(|s| s.values().flat_map(Shard::lines))
            .filter_map(|l| {
                let (id, blob) = l.split_once('\t')?;
                Some((Oid::from_str(blob).ok()?, id))
            })
    }
}

/// The text of one shard.
fn shard_text(repo: &Repository, table: &str, shard: &str, blob: Oid) -> Result<String> {
    let b = repo.find_blob(blob)?;
    String::from_utf8(b.content().to_vec()).map_err(|_| {
        StoreError::Corrupt(format!(
            "{}/{table}/{shard}.tsv is not UTF-8",
            super::cites::INDEX_DIR
        ))
    })
}

/// One table's directory in an `index/` tree, when there is one.
fn table_dir<'r>(repo: &'r Repository, index: &Tree<'_>, table: &str) -> Result<Option<Tree<'r>>> {
    match index.get_name(table) {
        Some(e) => Ok(Some(repo.find_tree(e.id())?)),
        None => Ok(None),
    }
}

/// The lines of one shard of one table (none when the shard does not exist); `None` when the
/// table does not.
pub fn shard_lines(
    repo: &Repository,
    index: &Tree<'_>,
    table: &str,
    shard: &str,
) -> Result<Option<Vec<String>>> {
    let Some(dir) = table_dir(repo, index, table)? else {
        return Ok(None);
    };
    let Some(e) = dir.get_name(&format!("{shard}.tsv")) else {
        return Ok(Some(Vec::new()));
    };
    let text = shard_text(repo, table, shard, e.id())?;
    Ok(Some(text.lines().map(str::to_string).collect()))
}

/// Every shard of one table whose key `keep` admits, in key order; `None` when the table does
/// not exist.
pub fn table_lines(
    repo: &Repository,
    index: &Tree<'_>,
    table: &str,
    keep: &dyn Fn(&str) -> bool,
) -> Result<Option<Vec<String>>> {
    let Some(dir) = table_dir(repo, index, table)? else {
        return Ok(None);
    };
    let mut out = Vec::new();
    for e in dir.iter() {
        let Some(shard) = e.name().ok().and_then(|n| n.strip_suffix(".tsv")) else {
            continue;
        };
        if keep(shard) {
            out.extend(
                shard_text(repo, table, shard, e.id())?
                    .lines()
                    .map(str::to_string),
            );
        }
    }
    Ok(Some(out))
}

/// The blobs of the `list/` table's shards in id order; `None` when the table does not
/// exist (a store written before it).
pub fn list_shards(repo: &Repository, index: &Tree<'_>) -> Result<Option<Vec<Oid>>> {
    let Some(dir) = table_dir(repo, index, LIST)? else {
        return Ok(None);
    };
    // A tree's entries are ordered by name, and the shards' names by their ids' first
    // characters.
    Ok(Some(
        dir.iter()
            .filter(|e| e.name().is_ok_and(|n| n.ends_with(".tsv")))
            .map(|e| e.id())
            .collect(),
    ))
}

/// The rows of one `list/` shard, in id order, those whose id `keep` admits.
pub fn list_rows(
    repo: &Repository,
    blob: Oid,
    keep: &dyn Fn(&str) -> bool,
) -> Result<Vec<ListRow>> {
    let b = repo.find_blob(blob)?;
    let text = list_text(&b)?;
    let mut out = Vec::new();
    for l in text.lines() {
        if !keep(owner(l)) {
            continue;
        }
        out.push(ListRow::read(l).ok_or_else(|| {
            StoreError::Corrupt(format!("a malformed line in index/{LIST}: {l}"))
        })?);
    }
    Ok(out)
}

/// The ids of one `list/` shard, in order.
pub fn list_ids(repo: &Repository, blob: Oid) -> Result<Vec<String>> {
    let b = repo.find_blob(blob)?;
    Ok(list_text(&b)?
        .lines()
        .map(|l| owner(l).to_string())
        .collect())
}

/// A `list/` shard's text, borrowed from its blob (the largest shard holds every statute
/// whose title starts 中华人民共和国).
fn list_text<'b>(b: &'b git2::Blob<'_>) -> Result<&'b str> {
    std::str::from_utf8(b.content()).map_err(|_| {
        StoreError::Corrupt(format!(
            "{}/{LIST}/ shard {} is not UTF-8",
            super::cites::INDEX_DIR,
            b.id()
        ))
    })
}

/// Every head in a `heads/` table; `None` when the table does not exist.
pub fn read_heads(repo: &Repository, index: &Tree<'_>) -> Result<Option<Vec<Head>>> {
    let Some(lines) = table_lines(repo, index, HEADS, &|_| true)? else {
        return Ok(None);
    };
    let mut out = Vec::with_capacity(lines.len());
    for l in &lines {
        out.push(Head::read(l).ok_or_else(|| {
            StoreError::Corrupt(format!("a malformed line in index/{HEADS}: {l}"))
        })?);
    }
    out.sort_by(|a, b| a.id.cmp(&b.id));
    Ok(Some(out))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn head_lines_of_several_shards_come_in_id_order_and_read_back() {
        let head = |id: &str| Head {
            id: id.into(),
            commit: Oid::hash_object(ObjectType::Blob, id.as_bytes()).expect("oid"),
            blob: Oid::hash_object(ObjectType::Blob, b"text").expect("oid"),
            versions: 2,
            label: "2020-01-01".into(),
            date: Date::parse_iso("2020-01-01").expect("date"),
            effective: None,
            status: Some("有效".into()),
            issuer: None,
            title: format!("{id}条例"),
        };
        let mut lines = HeadLines::default();
        lines.add(format!("{}\n{}\n", head("b").line(), head("d").line()));
        lines.add(format!("{}\n{}\n", head("a").line(), head("c").line()));
        lines.add(String::new());
        lines.settle();
        assert_eq!(lines.len(), 4);
        assert_eq!(lines.ids().collect::<Vec<_>>(), ["a", "b", "c", "d"]);
        let heads: Vec<Head> = lines.heads().collect();
        assert_eq!(heads, ["a", "b", "c", "d"].map(head));
    }

    fn version(id: &str, title: &str, label: &str, source: Option<&[u8]>) -> StoredVersion {
        StoredVersion {
            commit: Oid::hash_object(ObjectType::Blob, label.as_bytes()).expect("oid"),
            blob: Oid::hash_object(ObjectType::Blob, title.as_bytes()).expect("oid"),
            label: label.into(),
            date: Date::parse_iso(&label[..10]).expect("date"),
            meta: VersionMeta {
                id: id.into(),
                title: title.into(),
                issuer: Some("全国人民代表大会常务委员会".into()),
                effective: Date::parse_iso("2020-01-01"),
                status: Some("有效".into()),
                source: source.map(|s| Oid::hash_object(ObjectType::Blob, s).expect("oid")),
                act: None,
            },
            summary: None,
            substantive: None,
            event: None,
        }
    }

    #[test]
    fn heads_read_back_as_written() {
        let chain = [
            version("甲法-0123abcd", "甲法", "2001-01-01", Some(b"a")),
            version("甲法-0123abcd", "中华人民共和国甲法", "2010-05-06.2", None),
        ];
        let h = Head::of(&chain).expect("head");
        assert_eq!(h.versions, 2);
        assert_eq!(Head::read(&h.line()), Some(h.clone()));
        assert_eq!(h.version().meta.title, "中华人民共和国甲法");
        assert_eq!(id_shard("甲法-0123abcd"), "cd");
        let row = ListRow::of(&h);
        assert_eq!(row.title, "中华人民共和国甲法");
        assert_eq!(ListRow::read(&row.line()), Some(row));
        // A title that is the id's own is left out of the line and read back from the id.
        let plain = ListRow::of(&Head::of(&chain[..1]).expect("head"));
        assert!(plain.line().ends_with('\t'), "{}", plain.line());
        assert_eq!(ListRow::read(&plain.line()), Some(plain));
        assert_eq!(ListRow::read("甲法-0123abcd\tx\t2001-01-01\t\t"), None);
        assert_eq!(version_shard("2010-05-06.2"), "2010");
    }

    #[test]
    fn list_shards_sort_as_their_ids() {
        let mut ids = [
            "中华人民共和国甲法-00000000",
            "Z法-00000000",
            "一法-00000000",
            "㐀法-00000000",
            "𠀀法-00000000",
            "乙法-00000000",
        ];
        ids.sort();
        let mut shards: Vec<String> = ids.iter().map(|i| list_shard(i)).collect();
        let in_id_order = shards.clone();
        shards.sort();
        assert_eq!(shards, in_id_order);
        assert_eq!(list_shard("中法-00000000"), "004e2d");
    }

    #[test]
    fn replacing_a_statute_keeps_the_others_and_equals_a_rebuild() {
        let a = "甲法-0123abcd".to_string();
        let b = "乙法-4567ef01".to_string();
        let a1 = vec![version(&a, "甲法", "2001-01-01", Some(b"a1"))];
        let a2 = vec![
            version(&a, "甲法", "2001-01-01", Some(b"a1")),
            version(&a, "甲法（修订）", "2005-01-01", Some(b"a2")),
        ];
        let b1 = vec![version(&b, "乙法", "2003-01-01", Some(b"b1"))];
        let mut t = Tables::of([(&a, a1.as_slice()), (&b, b1.as_slice())]);
        t.replace([(&a, a2.as_slice())]);
        assert_eq!(t, Tables::of([(&a, a2.as_slice()), (&b, b1.as_slice())]));
        assert_eq!(t.heads().len(), 2);
        let list: Vec<&str> = t.tables[LIST].values().flat_map(Shard::lines).collect();
        assert_eq!(list.len(), 2);
        // In id order, 乙 (U+4E59) before 甲 (U+7532); 甲法's head is titled differently
        // from its id.
        assert!(
            list[0].starts_with("乙法-4567ef01\t1\t2003-01-01\t"),
            "{}",
            list[0]
        );
        assert!(
            list[1].ends_with("\t2\t2005-01-01\t有效\t甲法（修订）"),
            "{}",
            list[1]
        );
        assert_eq!(t.sources().count(), 3);
        let names: Vec<&str> = t.tables[NAMES].values().flat_map(Shard::lines).collect();
        assert!(names.iter().any(|l| l.ends_with("\t甲法（修订）")));
        assert!(names.iter().any(|l| l.ends_with("\t甲法")));
    }

    #[test]
    fn a_shard_keeps_its_lines_sorted_and_distinct_however_they_come() {
        let mut shard = Shard::default();
        let mut expected = BTreeSet::new();
        // Enough lines that they are sorted in several times.
        for i in (0..3000).rev() {
            let line = format!("甲法-{:08x}\t{}", (i * 7919) % 1000, i % 3);
            expected.insert(line.clone());
            shard.insert(line);
        }
        shard.settle();
        assert!(shard.lines().eq(expected.iter().map(String::as_str)));
        shard.retain(|l| !l.ends_with("\t1"));
        assert!(shard.lines().all(|l| !l.ends_with("\t1")));
        assert_eq!(
            shard.lines().count(),
            expected.iter().filter(|l| !l.ends_with("\t1")).count()
        );
    }

    #[test]
    fn tables_written_with_spilled_lines_equal_tables_written_whole() {
        let repo_dir = tempfile::tempdir().expect("tempdir");
        let repo = Repository::init_bare(repo_dir.path()).expect("repo");
        let a = "甲法-0123abcd".to_string();
        let b = "乙法-4567ef01".to_string();
        let c = "丙法-89ab2345".to_string();
        let a1 = vec![version(&a, "甲法", "2001-01-01", Some(b"a1"))];
        let b1 = vec![version(&b, "乙法", "2003-01-01", Some(b"b1"))];
        let b2 = vec![
            version(&b, "乙法", "2003-01-01", Some(b"b1")),
            version(&b, "乙法（修订）", "2009-01-01", Some(b"b2")),
        ];
        let c1 = vec![version(&c, "丙法", "2004-01-01", None)];
        let whole = Tables::of([
            (&a, a1.as_slice()),
            (&b, b2.as_slice()),
            (&c, c1.as_slice()),
        ])
        .write(&repo, &mut Vec::new())
        .expect("write");
        // `a` carried, `b`'s old lines superseded, `c` added; a limit of one byte spills
        // every line to a run of its own.
        let mut runs = super::super::runs::Runs::new(1);
        append_rows(&mut runs, &b, &b1).expect("append");
        append_rows(&mut runs, &c, &c1).expect("append");
        let mut base = Tables::of([(&a, a1.as_slice())]);
        base.replace_with(Tables::of([(&b, b2.as_slice())]));
        let streamed = base
            .write_with(&repo, runs, &|id| id == b, &mut Vec::new())
            .expect("write");
        assert_eq!(streamed.trees, whole.trees);
        assert_eq!(
            streamed.heads.lines().collect::<Vec<_>>(),
            whole.heads.lines().collect::<Vec<_>>()
        );
        assert_eq!(streamed.heads.heads().count(), 3);
    }
}
