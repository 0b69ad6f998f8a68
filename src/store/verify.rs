//! `statute verify`: checks that the store is whole and consistent — every object readable,
//! refs pointing to commits, each history in date order with valid ids and labels, every
//! file parsing back to itself with trailers that match it, one tag per version, and `main`
//! equal to what this build writes from the histories (lookup tables, citation index,
//! catalog). Apart from those problems (damage), it reports stale derived data: no
//! derived-data stamp or an older one, and versions whose canonical file or summary trailers
//! differ from what this build computes (`reindex` rewrites them).
//!
//! Memory does not grow with the store's texts: the histories are read and checked a batch of
//! statutes at a time, each file parsed once and each pair of versions diffed once for the
//! checks and for the statute's part of `main`, which is gathered as an import gathers it
//! (`Expected`) and built at the end.

use std::collections::{BTreeMap, HashMap, HashSet};
use std::panic::AssertUnwindSafe;
use std::path::Path;

use git2::Oid;

use super::cites::{Carried, Derived, DerivedBlobs, titles_line};
use super::error::{Result, StoreError};
use super::import::{Comparison, Handle, LINES_BYTES};
use super::runs::Runs;
use super::tables::{Tables, append_rows};
use super::{MAIN_REF, Stamp, Store, StoredVersion, catalog, id, one_line, pack, version_tag};
use crate::diff::ChangeSet;
use crate::model::Statute;

/// How many statutes `verify` holds the texts of at once.
const VERIFY_BATCH: usize = 1024;
/// How many bytes of the citation index's blobs `verify` holds before it packs those the store
/// lacks: in a sound store it has them all, so a flush costs a lookup a blob and writes nothing.
const FLUSH_BYTES: usize = 16 << 20;

/// What `verify` found.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct VerifyReport {
    pub objects: usize,
    pub statutes: usize,
    pub versions: usize,
    /// One line each; empty when the store is sound.
    pub problems: Vec<String>,
    /// The store's derived-data stamp against this build's.
    pub stamp: Stamp,
    /// Versions whose canonical file or `Summary`/`Substantive`/`Event` trailers differ from
    /// what this build computes from them: one line each. Not damage: `reindex` rewrites them.
    pub stale: Vec<String>,
}

impl VerifyReport {
    /// True when the derived data is not what this build writes: no stamp or an older one,
    /// or a version that differs.
    pub fn is_stale(&self) -> bool {
        self.stamp.stale() || !self.stale.is_empty()
    }
}

/// A version to check, with its text when it could be read.
struct Version {
    at: String,
    v: StoredVersion,
    text: Option<String>,
}

/// A statute's id and its versions, read from its history.
type Checked = (String, Vec<Version>);

/// A statute's lines of the citation index, else why they cannot be derived.
type Index = std::result::Result<Derived, String>;

/// What checking one statute's files found.
struct FileFindings {
    problems: Vec<String>,
    stale: Vec<String>,
    index: Index,
}

impl Store {
    /// Checks the whole store. A store whose derived data a newer build stamped is refused
    /// ([`StoreError::NewerDerived`]).
    pub fn verify(&self) -> Result<VerifyReport> {
        super::trace::mark("verify started");
        let stamp = self.refuse_newer_derived()?;
        let mut r = VerifyReport {
            stamp,
            ..VerifyReport::default()
        };
        // One snapshot of the refs: an import running meanwhile cannot make them disagree.
        let refs = self.all_refs()?;
        // Histories and files are checked a batch of statutes at a time, their texts dropped
        // after each batch; what the files show is listed after the objects' and histories'
        // problems.
        let mut files = VerifyReport::default();
        let mut read: HashSet<Oid> = HashSet::new();
        let threads = crate::par::threads(0);
        let mut expected = Expected::new(&self.repo)?;
        self.check_histories(&refs, &mut r, threads, &mut |statutes| {
            read.extend(
                statutes
                    .iter()
                    .flat_map(|(_, vs)| vs)
                    .filter(|v| v.text.is_some())
                    .map(|v| v.v.blob),
            );
            let index = check_files(statutes, &mut files);
            for ((sid, versions), index) in statutes.iter().zip(index) {
                expected.add(sid, versions, index, threads);
            }
        });
        // Only `main` is left to compare: at national scale the refs are a hundred megabytes.
        let main = refs.get(MAIN_REF).copied();
        drop(refs);
        super::trace::mark("histories checked");
        // The files just read (libgit2 checks each object's hash as it reads it) need not be
        // read again; the object problems are listed first.
        let history_problems = std::mem::take(&mut r.problems);
        self.check_objects(&read, &mut r)?;
        drop(read);
        super::trace::mark("objects read");
        r.problems.extend(history_problems);
        r.problems.extend(files.problems);
        r.stale.extend(files.stale);
        check_main(main, expected, threads, &mut r)?;
        Ok(r)
    }

    /// Every object of the store is listed and read (but those in `read`, read already).
    fn check_objects(&self, read: &HashSet<Oid>, r: &mut VerifyReport) -> Result<()> {
        let odb = self.repo.odb()?;
        let mut oids = Vec::new();
        odb.foreach(|o| {
            oids.push(*o);
            true
        })?;
        r.objects = oids.len();
        for o in oids.iter().filter(|o| !read.contains(o)) {
            if let Err(e) = odb.read(*o) {
                r.problems
                    .push(format!("object {o}: unreadable: {}", e.message()));
            }
        }
        Ok(())
    }

    /// Every statute's history ([`check_history`]) from a valid id, and no tag of a statute
    /// without one. Hands `batch` the ids and versions with their texts of [`VERIFY_BATCH`]
    /// statutes at a time, in id order.
    fn check_histories(
        &self,
        refs: &HashMap<String, Oid>,
        r: &mut VerifyReport,
        threads: usize,
        batch: &mut dyn FnMut(&[Checked]),
    ) {
        let mut statutes = Vec::new();
        // Every statute's id and head, ordered by id.
        let mut heads: Vec<(&str, Oid)> = refs
            .iter()
            .filter_map(|(name, oid)| {
                name.strip_prefix(super::STATUTE_REF_PREFIX)
                    .map(|id| (id, *oid))
            })
            .collect();
        heads.sort_unstable_by_key(|&(id, _)| id);
        // The version labels tagged for each statute id, sorted.
        let mut tags: HashMap<&str, Vec<&str>> = HashMap::new();
        for name in refs.keys() {
            if let Some((sid, label)) = name
                .strip_prefix("refs/tags/")
                .and_then(|r| r.rsplit_once('/'))
            {
                tags.entry(sid).or_default().push(label);
            }
        }
        for labels in tags.values_mut() {
            labels.sort_unstable();
        }
        // Read and checked a batch at a time, each statute by a task on every core through
        // its thread's own handle on the repository; reported in id order.
        let path = self.path.clone();
        for chunk in heads.chunks(VERIFY_BATCH) {
            let found = crate::par::map_with(
                chunk,
                threads,
                Ok(Handle::Borrowed(&self.repo)),
                || git2::Repository::open_bare(&path).map(Handle::Owned),
                |handle, &(sid, head)| {
                    let mut problems = Vec::new();
                    if !id::is_valid(sid) {
                        problems.push(format!("{sid}: not a valid statute id"));
                    }
                    let repo = match handle {
                        Ok(h) => h.repo(),
                        Err(e) => {
                            problems.push(format!(
                                "{sid}: unreadable history: the store cannot be opened again: {}",
                                e.message()
                            ));
                            return (problems, None);
                        }
                    };
                    let versions = std::panic::catch_unwind(AssertUnwindSafe(|| {
                        let chain = match super::read::chain_in(repo, sid, head) {
                            Ok(c) => c,
                            Err(e) => {
                                problems.push(format!("{sid}: unreadable history: {e}"));
                                return None;
                            }
                        };
                        Some(check_history(repo, sid, &chain, refs, &tags, &mut problems))
                    }));
                    match versions {
                        Ok(v) => (problems, v),
                        Err(_) => {
                            problems.push(format!("{sid}: reading its history panicked"));
                            (problems, None)
                        }
                    }
                },
            );
            for (&(sid, _), (problems, versions)) in chunk.iter().zip(found) {
                r.problems.extend(problems);
                if let Some(versions) = versions {
                    r.statutes += 1;
                    r.versions += versions.len();
                    statutes.push((sid.to_string(), versions));
                }
            }
            batch(&statutes);
            statutes.clear();
        }
        let mut tag_of_no_statute = Vec::new();
        for name in refs.keys() {
            if let Some(rest) = name.strip_prefix("refs/tags/") {
                let sid = rest.split('/').next().unwrap_or("");
                if heads.binary_search_by_key(&sid, |&(id, _)| id).is_err() {
                    tag_of_no_statute.push(format!("{name}: tag of no statute"));
                }
            }
        }
        tag_of_no_statute.sort();
        r.problems.extend(tag_of_no_statute);
    }
}

/// One statute's history: each version's id, label, date order, summary and tag, and no tag
/// of another version (problems into `problems`). Returns its versions with their texts, read
/// here through `repo`.
fn check_history(
    repo: &git2::Repository,
    sid: &str,
    chain: &[StoredVersion],
    refs: &HashMap<String, Oid>,
    tags: &HashMap<&str, Vec<&str>>,
    problems: &mut Vec<String>,
) -> Vec<Version> {
    let mut versions = Vec::with_capacity(chain.len());
    let mut seen_date = 0;
    for (i, v) in chain.iter().enumerate() {
        let at = format!("{sid}@{}", v.label);
        if v.meta.id != *sid {
            problems.push(format!("{at}: Statute-Id trailer says {}", v.meta.id));
        }
        seen_date = match i {
            0 => 1,
            _ if chain[i - 1].date == v.date => seen_date + 1,
            _ => 1,
        };
        let label = match seen_date {
            1 => v.date.to_string(),
            n => format!("{}.{n}", v.date),
        };
        if v.label != label {
            problems.push(format!("{at}: label should be {label}"));
        }
        if i > 0 && chain[i - 1].date > v.date {
            problems.push(format!(
                "{at}: out of date order (after {})",
                chain[i - 1].label
            ));
        }
        if (i == 0) != v.summary.is_none() {
            problems.push(format!(
                "{at}: {} summary",
                if i == 0 { "first version with a" } else { "no" }
            ));
        }
        match refs.get(&version_tag(sid, &v.label)) {
            Some(t) if *t == v.commit => {}
            Some(t) => problems.push(format!("{at}: tag points to {t}, not {}", v.commit)),
            None => problems.push(format!("{at}: no tag")),
        }
        let text = match super::read::text_in(repo, v) {
            Ok(t) => Some(t),
            Err(e) => {
                problems.push(format!("{at}: {e}"));
                None
            }
        };
        versions.push(Version {
            at,
            v: v.clone(),
            text,
        });
    }
    for label in tags.get(sid).into_iter().flatten() {
        if !chain.iter().any(|v| v.label == *label) {
            problems.push(format!(
                "{}: tag of no version in the history",
                version_tag(sid, label)
            ));
        }
    }
    versions
}

/// Every file, one statute per task on every core (largest first): each is parsed once, for
/// the checks of [`check_text`], for the comparisons of consecutive versions that their
/// trailers must record ([`stale_trailers`]) and for the statute's lines of the citation
/// index, returned by statute (else why they cannot be derived).
fn check_files(statutes: &[Checked], r: &mut VerifyReport) -> Vec<Index> {
    let size = |s: &Vec<Version>| -> usize {
        s.iter()
            .map(|v| v.text.as_ref().map_or(0, String::len))
            .sum()
    };
    let mut order: Vec<usize> = (0..statutes.len()).collect();
    order.sort_by_key(|&i| std::cmp::Reverse(size(&statutes[i].1)));
    let found = crate::par::try_map(&order, crate::par::threads(0), |&i| {
        let (sid, versions) = &statutes[i];
        check_statute(sid, versions)
    });
    let mut by_statute: Vec<Option<FileFindings>> = (0..statutes.len()).map(|_| None).collect();
    for (i, f) in order.into_iter().zip(found) {
        by_statute[i] = f;
    }
    let mut index = Vec::with_capacity(statutes.len());
    for (f, (sid, versions)) in by_statute.into_iter().zip(statutes) {
        match f {
            Some(f) => {
                r.problems.extend(f.problems);
                r.stale.extend(f.stale);
                index.push(f.index);
            }
            None => {
                r.problems.extend(
                    versions
                        .iter()
                        .filter(|v| v.text.is_some())
                        .map(|v| format!("{}: the parser panicked", v.at)),
                );
                index.push(Err(format!("{sid}: the parser panicked")));
            }
        }
    }
    index
}

/// One statute's files: each checked, each version's comparison with the one before checked
/// against its trailers, and the statute's lines of the citation index derived, from one
/// parse of each file and one diff of each consecutive pair.
fn check_statute(sid: &str, versions: &[Version]) -> FileFindings {
    let mut f = FileFindings {
        problems: Vec::new(),
        stale: Vec::new(),
        index: Err(String::new()),
    };
    let mut parsed: Vec<Option<Statute>> = Vec::with_capacity(versions.len());
    for v in versions {
        let Some(text) = &v.text else {
            parsed.push(None);
            continue;
        };
        match std::panic::catch_unwind(AssertUnwindSafe(|| check_text(&v.at, &v.v, text))) {
            Ok((problems, stale, statute)) => {
                f.problems.extend(problems);
                f.stale.extend(stale);
                parsed.push(statute);
            }
            Err(_) => {
                f.problems.push(format!("{}: the parser panicked", v.at));
                parsed.push(None);
            }
        }
    }
    // The change sets of consecutive versions (`None` where one does not parse or the
    // differ panics).
    let changes: Vec<Option<ChangeSet>> = parsed
        .windows(2)
        .map(|w| match (&w[0], &w[1]) {
            (Some(a), Some(b)) => {
                std::panic::catch_unwind(AssertUnwindSafe(|| crate::diff::diff(a, b))).ok()
            }
            _ => None,
        })
        .collect();
    for i in 1..versions.len() {
        let (old, new) = (&versions[i - 1], &versions[i]);
        if old.text.is_none() || new.text.is_none() {
            continue;
        }
        let want = match (&changes[i - 1], &parsed[i]) {
            (Some(cs), Some(b)) => std::panic::catch_unwind(AssertUnwindSafe(|| {
                Comparison::of_changes(
                    cs,
                    (old.v.date, old.v.meta.repealed()),
                    (b, new.v.date, new.v.meta.repealed()),
                )
            }))
            .unwrap_or_else(|_| Comparison::unreadable()),
            _ => Comparison::unreadable(),
        };
        f.stale.extend(stale_trailers(new, &want));
    }
    f.index = derive_index(sid, versions, &parsed, changes);
    f
}

/// A statute's lines of the citation index as an import by this build derives them (one
/// version that cannot be read or parsed, and there are none: the index cannot be built).
fn derive_index(
    sid: &str,
    versions: &[Version],
    parsed: &[Option<Statute>],
    changes: Vec<Option<ChangeSet>>,
) -> Index {
    let mut pairs = Vec::with_capacity(versions.len());
    for (v, p) in versions.iter().zip(parsed) {
        match (&v.text, p) {
            (Some(_), Some(s)) => pairs.push((v.v.label.as_str(), s)),
            (None, _) => return Err(format!("{}: its text cannot be read", v.at)),
            (Some(_), None) => return Err(format!("{}: it does not parse", v.at)),
        }
    }
    let Some(changes) = changes.into_iter().collect::<Option<Vec<ChangeSet>>>() else {
        return Err(format!("{sid}: the differ panicked"));
    };
    std::panic::catch_unwind(AssertUnwindSafe(|| {
        super::cites::derive_parsed(sid, &pairs, &changes)
    }))
    .map_err(|_| format!("{sid}: deriving the citation index panicked"))
}

/// A version's `Summary`, `Substantive` and `Event` trailers against what an import by this
/// build records for it (`want`: the same [`Comparison`], the same fallback when a text does
/// not parse or the differ panics): the line naming those that differ, if any.
fn stale_trailers(new: &Version, want: &Comparison) -> Option<String> {
    let n = &new.v;
    let mut differ = Vec::new();
    if n.summary.as_deref() != Some(want.summary.as_str()) {
        differ.push("Summary");
    }
    if n.substantive != Some(want.substantive) {
        differ.push("Substantive");
    }
    if n.event != want.event {
        differ.push("Event");
    }
    (!differ.is_empty()).then(|| {
        format!(
            "{}: {} trailer{} not what this build computes",
            new.at,
            differ.join(", "),
            if differ.len() == 1 { " is" } else { "s are" }
        )
    })
}

/// `main` as this build writes it, gathered as the histories are checked, a batch at a time:
/// every statute's lines of the lookup tables (spilled to sorted runs past a bound), its
/// lines of the citation index as blobs (packed every so often), its titles. Everything is
/// written into a temporary repository that borrows the store's objects (git's alternates),
/// so that nothing is written to the store and memory does not grow with it, as an import's
/// does not.
struct Expected {
    /// Kept until the comparison is done: the temporary repository lives in it.
    _scratch: tempfile::TempDir,
    work: git2::Repository,
    objects: pack::Objects,
    lines: Runs,
    /// Each statute's id, index blobs and titles (its line of `titles.tsv` without the id),
    /// ordered by id (as the histories are checked).
    statutes: Vec<(Box<str>, DerivedBlobs, Box<str>)>,
    /// Why `main` cannot be built, when it cannot.
    failed: Option<String>,
}

impl Expected {
    fn new(store: &git2::Repository) -> Result<Expected> {
        let scratch = tempfile::tempdir().map_err(StoreError::Spill)?;
        git2::Repository::init_bare(scratch.path())?;
        std::fs::create_dir_all(scratch.path().join("objects/info")).map_err(StoreError::Spill)?;
        let objects =
            std::fs::canonicalize(store.path().join("objects")).map_err(StoreError::Spill)?;
        std::fs::write(
            scratch.path().join("objects/info/alternates"),
            format!("{}\n", objects.display()),
        )
        .map_err(StoreError::Spill)?;
        let work = git2::Repository::open_bare(scratch.path())?;
        Ok(Expected {
            _scratch: scratch,
            work,
            objects: pack::Objects::default(),
            lines: Runs::new(LINES_BYTES),
            statutes: Vec::new(),
            failed: None,
        })
    }

    /// Adds one statute (its id and versions, their texts read) and its lines of the index.
    fn add(&mut self, sid: &str, versions: &[Version], index: Index, threads: usize) {
        if self.failed.is_some() {
            return;
        }
        if let Err(e) = self.try_add(sid, versions, index, threads) {
            self.failed = Some(e);
        }
    }

    fn try_add(
        &mut self,
        sid: &str,
        versions: &[Version],
        index: Index,
        threads: usize,
    ) -> std::result::Result<(), String> {
        let derived = index?;
        let chain: Vec<StoredVersion> = versions.iter().map(|v| v.v.clone()).collect();
        append_rows(&mut self.lines, sid, &chain).map_err(|e| StoreError::Spill(e).to_string())?;
        let titles = titles_line(sid, &chain)
            .split_once('\t')
            .map_or("", |(_, t)| t)
            .into();
        let blobs = derived.into_blobs(&mut self.objects);
        self.statutes.push((sid.into(), blobs, titles));
        if self.objects.bytes() >= FLUSH_BYTES {
            self.objects
                .write(&self.work, threads)
                .map_err(|e| e.to_string())?;
        }
        Ok(())
    }
}

/// `main` must be exactly what this build writes from the histories: the lookup tables, the
/// citation index and the catalog, built from what `expected` gathered (the tables and the
/// index in memory, packed every 128 MiB into the temporary repository) and compared. On a
/// store whose derived data is stale, a different `main` is stale too.
fn check_main(
    main: Option<Oid>,
    mut expected: Expected,
    threads: usize,
    r: &mut VerifyReport,
) -> Result<()> {
    if let Some(why) = expected.failed {
        r.problems.push(format!("cannot build the catalog: {why}"));
        return Ok(());
    }
    let none = expected.statutes.is_empty();
    let mut statutes = std::mem::take(&mut expected.statutes);
    statutes.sort_by(|a, b| a.0.cmp(&b.0));
    let work = &expected.work;
    expected.objects.write(work, threads)?;
    let odb = work.odb()?;
    let mempack = odb.add_new_mempack_backend(1000)?;
    let mut flush = |written: &mut Vec<Oid>| -> Result<()> {
        written.sort();
        written.dedup();
        pack::write_pack(work, written, threads)?;
        mempack.reset()?;
        written.clear();
        Ok(())
    };
    let mut written = Vec::new();
    let built = Tables::default()
        .write_with(work, expected.lines, &|_| false, &mut written)
        .and_then(|tables| {
            flush(&mut written)?;
            super::trace::mark("tables");
            let find = |id: &str| {
                statutes
                    .binary_search_by(|s| (*s.0).cmp(id))
                    .ok()
                    .map(|i| &statutes[i])
            };
            let index = super::cites::write_index(
                work,
                tables.heads.ids(),
                &BTreeMap::new(),
                &|id| find(id).map(|(_, _, t)| format!("{id}\t{t}")),
                &|_| true,
                &Carried::default(),
                &tables.trees,
                &|id| find(id).map(|(_, d, _)| *d),
                threads,
                &mut written,
                &mut flush,
            )?;
            drop(statutes);
            flush(&mut written)?;
            catalog::write_main(
                work,
                tables.heads.heads(),
                Some(index),
                r.stamp,
                &mut written,
            )
        });
    mempack.reset()?;
    super::trace::mark("main built");
    match (built, main) {
        (Ok(e), Some(m)) if e == m => {}
        (Ok(e), Some(m)) if r.stamp.stale() => r.stale.push(format!(
            "{MAIN_REF} is {m}; this build gives {e} (catalog and citation index)"
        )),
        (Ok(e), Some(m)) => r
            .problems
            .push(format!("{MAIN_REF} is {m}; the statute histories give {e}")),
        (Ok(_), None) if none => {}
        (Ok(_), None) => r.problems.push(format!("{MAIN_REF} is missing")),
        (Err(e), _) => r.problems.push(format!("cannot build the catalog: {e}")),
    }
    Ok(())
}

/// A stored file must parse in canonical form and match its trailers (else a problem), and
/// be this build's canonical rendering of itself (else it is stale). Returns the problems,
/// the stale line and the parsed statute.
fn check_text(
    at: &str,
    v: &StoredVersion,
    text: &str,
) -> (Vec<String>, Option<String>, Option<Statute>) {
    let mut p = Vec::new();
    let parsed = match crate::parse_str(Path::new(at), text) {
        Ok(x) => x,
        Err(e) => return (vec![format!("{at}: does not parse: {e}")], None, None),
    };
    if parsed.format != crate::SourceFormat::Canonical {
        p.push(format!("{at}: not in canonical form"));
    }
    let m = &parsed.statute.meta;
    let stale = (crate::parse::canonical::to_string(&parsed.statute) != text)
        .then(|| format!("{at}: file is not this build's canonical rendering of it"));
    let mismatch = |what: &str| format!("{at}: {what} trailer does not match the file");
    if one_line(&id::statute_name(m)) != v.meta.title {
        p.push(mismatch("Title"));
    }
    if m.issuer.as_deref().map(one_line) != v.meta.issuer {
        p.push(mismatch("Issuer"));
    }
    if m.version_date != Some(v.date) {
        p.push(mismatch("Version-Date"));
    }
    if m.effective != v.meta.effective {
        p.push(mismatch("Effective"));
    }
    if m.status.as_deref().map(one_line) != v.meta.status {
        p.push(mismatch("Status"));
    }
    if id::of_meta(m) != v.meta.id {
        p.push(format!(
            "{at}: the id does not derive from its title and issuer"
        ));
    }
    (p, stale, Some(parsed.statute))
}
