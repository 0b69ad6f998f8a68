//! `statute verify`: checks that the store is whole and consistent — every object readable,
//! refs pointing to commits, each history in date order with valid ids and labels, every
//! file parsing back to itself with trailers that match it, one tag per version, and `main`
//! equal to the catalog the heads give. Apart from those problems (damage), it reports stale
//! derived data: no derived-data stamp or an older one, and versions whose canonical file or
//! summary trailers differ from what this build computes (`reindex` rewrites them).

use std::collections::{BTreeMap, HashMap, HashSet};
use std::panic::AssertUnwindSafe;
use std::path::Path;

use git2::Oid;

use super::catalog;
use super::error::{Result, StoreError};
use super::import::Comparison;
use super::tables::Head;
use super::{MAIN_REF, Stamp, Store, StoredVersion, id, one_line, version_tag};
use crate::model::Statute;

/// How many statutes `verify` holds the texts of at once.
const VERIFY_BATCH: usize = 1024;

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

/// What checking one statute's files found.
#[derive(Default)]
struct FileFindings {
    problems: Vec<String>,
    stale: Vec<String>,
}

impl Store {
    /// Checks the whole store. A store whose derived data a newer build stamped is refused
    /// ([`StoreError::NewerDerived`](super::StoreError::NewerDerived)).
    pub fn verify(&self) -> Result<VerifyReport> {
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
        let mut chains: BTreeMap<String, Vec<StoredVersion>> = BTreeMap::new();
        let catalog_entries = self.check_histories(&refs, &mut r, &mut |statutes| {
            read.extend(
                statutes
                    .iter()
                    .flatten()
                    .filter(|v| v.text.is_some())
                    .map(|v| v.v.blob),
            );
            check_files(statutes, &mut files);
            for vs in statutes {
                if let Some(first) = vs.first() {
                    // Kept for `main`'s check, which needs no summaries (checked here).
                    chains.insert(
                        first.v.meta.id.clone(),
                        vs.iter()
                            .map(|v| StoredVersion {
                                summary: None,
                                ..v.v.clone()
                            })
                            .collect(),
                    );
                }
            }
        });
        // The files just read (libgit2 checks each object's hash as it reads it) need not be
        // read again; the object problems are listed first.
        let history_problems = std::mem::take(&mut r.problems);
        self.check_objects(&read, &mut r)?;
        r.problems.extend(history_problems);
        r.problems.extend(files.problems);
        r.stale.extend(files.stale);
        self.check_main(&refs, &catalog_entries, &chains, &mut r)?;
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

    /// Every statute's history ([`Store::check_history`]) from a valid id, and no tag of a
    /// statute without one. Hands `batch` the versions with their texts of
    /// [`VERIFY_BATCH`] statutes at a time; returns the catalog the heads give.
    fn check_histories(
        &self,
        refs: &HashMap<String, Oid>,
        r: &mut VerifyReport,
        batch: &mut dyn FnMut(&[Vec<Version>]),
    ) -> Vec<Head> {
        let mut statutes = Vec::new();
        let mut catalog_entries = Vec::new();
        let heads: BTreeMap<String, Oid> = refs
            .iter()
            .filter_map(|(name, oid)| {
                name.strip_prefix(super::STATUTE_REF_PREFIX)
                    .map(|id| (id.to_string(), *oid))
            })
            .collect();
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
        for (sid, head) in &heads {
            if !id::is_valid(sid) {
                r.problems.push(format!("{sid}: not a valid statute id"));
            }
            let chain = match self.chain(sid, *head) {
                Ok(c) => c,
                Err(e) => {
                    r.problems.push(format!("{sid}: unreadable history: {e}"));
                    continue;
                }
            };
            r.statutes += 1;
            r.versions += chain.len();
            let versions = self.check_history(sid, &chain, refs, &tags, r);
            // `heads` is ordered by id: so are the catalog's entries.
            catalog_entries.extend(Head::of(&chain));
            statutes.push(versions);
            if statutes.len() >= VERIFY_BATCH {
                batch(&statutes);
                statutes.clear();
            }
        }
        batch(&statutes);
        let mut tag_of_no_statute = Vec::new();
        for name in refs.keys() {
            if let Some(rest) = name.strip_prefix("refs/tags/") {
                let sid = rest.split('/').next().unwrap_or("");
                if !heads.contains_key(sid) {
                    tag_of_no_statute.push(format!("{name}: tag of no statute"));
                }
            }
        }
        tag_of_no_statute.sort();
        r.problems.extend(tag_of_no_statute);
        catalog_entries
    }

    /// One statute's history: each version's id, label, date order, summary and tag, and no
    /// tag of another version. Returns its versions with their texts, read here.
    fn check_history(
        &self,
        sid: &str,
        chain: &[StoredVersion],
        refs: &HashMap<String, Oid>,
        tags: &HashMap<&str, Vec<&str>>,
        r: &mut VerifyReport,
    ) -> Vec<Version> {
        let mut versions = Vec::with_capacity(chain.len());
        let mut seen_date = 0;
        for (i, v) in chain.iter().enumerate() {
            let at = format!("{sid}@{}", v.label);
            if v.meta.id != *sid {
                r.problems
                    .push(format!("{at}: Statute-Id trailer says {}", v.meta.id));
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
                r.problems.push(format!("{at}: label should be {label}"));
            }
            if i > 0 && chain[i - 1].date > v.date {
                r.problems.push(format!(
                    "{at}: out of date order (after {})",
                    chain[i - 1].label
                ));
            }
            if (i == 0) != v.summary.is_none() {
                r.problems.push(format!(
                    "{at}: {} summary",
                    if i == 0 { "first version with a" } else { "no" }
                ));
            }
            match refs.get(&version_tag(sid, &v.label)) {
                Some(t) if *t == v.commit => {}
                Some(t) => r
                    .problems
                    .push(format!("{at}: tag points to {t}, not {}", v.commit)),
                None => r.problems.push(format!("{at}: no tag")),
            }
            let text = match self.text(v) {
                Ok(t) => Some(t),
                Err(e) => {
                    r.problems.push(format!("{at}: {e}"));
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
                r.problems.push(format!(
                    "{}: tag of no version in the history",
                    version_tag(sid, label)
                ));
            }
        }
        versions
    }

    /// `main` must be exactly the catalog of the heads and the citation index of the
    /// histories: built on a handle of its own, in memory and packed every 128 MiB into a
    /// temporary repository that borrows the store's objects (git's alternates), so that
    /// nothing is written to the store and memory does not grow with it; then compared. On a
    /// store whose derived data is stale, a different `main` is stale too.
    fn check_main(
        &self,
        refs: &HashMap<String, Oid>,
        catalog_entries: &[Head],
        chains: &BTreeMap<String, Vec<StoredVersion>>,
        r: &mut VerifyReport,
    ) -> Result<()> {
        let scratch = tempfile::tempdir().map_err(StoreError::Spill)?;
        let work = git2::Repository::init_bare(scratch.path())?;
        let alternates = scratch.path().join("objects/info/alternates");
        std::fs::create_dir_all(scratch.path().join("objects/info")).map_err(StoreError::Spill)?;
        let objects =
            std::fs::canonicalize(self.repo.path().join("objects")).map_err(StoreError::Spill)?;
        std::fs::write(&alternates, format!("{}\n", objects.display()))
            .map_err(StoreError::Spill)?;
        let work = git2::Repository::open_bare(work.path())?;
        let work_odb = work.odb()?;
        let mempack = work_odb.add_new_mempack_backend(1000)?;
        let threads = crate::par::threads(0);
        let mut flush = |written: &mut Vec<Oid>| -> Result<()> {
            written.sort();
            written.dedup();
            super::pack::write_pack(&work, written, threads)?;
            mempack.reset()?;
            written.clear();
            Ok(())
        };
        let all: BTreeMap<String, &[StoredVersion]> = chains
            .iter()
            .map(|(id, c)| (id.clone(), c.as_slice()))
            .collect();
        let carried = super::cites::Carried::default();
        let mut written = Vec::new();
        let expected = super::tables::Tables::of(all.iter().map(|(id, c)| (id, *c)))
            .write(&work, &mut written)
            .and_then(|tables| {
                super::cites::write_index(
                    &work,
                    catalog_entries.iter().map(|h| h.id.as_str()),
                    &all,
                    &|_| None,
                    &|_| true,
                    &carried,
                    &tables.trees,
                    &|_| None,
                    threads,
                    &mut written,
                    &mut flush,
                )
            })
            .and_then(|index| {
                flush(&mut written)?;
                catalog::write_main(
                    &work,
                    catalog_entries.iter().cloned(),
                    Some(index),
                    r.stamp,
                    &mut written,
                )
            });
        mempack.reset()?;
        match (expected, refs.get(MAIN_REF)) {
            (Ok(e), Some(m)) if e == *m => {}
            (Ok(e), Some(m)) if r.stamp.stale() => r.stale.push(format!(
                "{MAIN_REF} is {m}; this build gives {e} (catalog and citation index)"
            )),
            (Ok(e), Some(m)) => r
                .problems
                .push(format!("{MAIN_REF} is {m}; the statute histories give {e}")),
            (Ok(_), None) if catalog_entries.is_empty() => {}
            (Ok(_), None) => r.problems.push(format!("{MAIN_REF} is missing")),
            (Err(e), _) => r.problems.push(format!("cannot build the catalog: {e}")),
        }
        Ok(())
    }
}

/// Every file, one statute per task on every core (largest first): each is parsed once, for
/// the checks of [`check_text`] and for the comparisons of consecutive versions that their
/// trailers must record ([`stale_trailers`]).
fn check_files(statutes: &[Vec<Version>], r: &mut VerifyReport) {
    let size = |s: &Vec<Version>| -> usize {
        s.iter()
            .map(|v| v.text.as_ref().map_or(0, String::len))
            .sum()
    };
    let mut order: Vec<usize> = (0..statutes.len()).collect();
    order.sort_by_key(|&i| std::cmp::Reverse(size(&statutes[i])));
    let found = crate::par::try_map(&order, crate::par::threads(0), |&i| {
        check_statute(&statutes[i])
    });
    let mut by_statute: Vec<Option<FileFindings>> = (0..statutes.len()).map(|_| None).collect();
    for (i, f) in order.into_iter().zip(found) {
        by_statute[i] = f;
    }
    for (f, versions) in by_statute.into_iter().zip(statutes) {
        match f {
            Some(f) => {
                r.problems.extend(f.problems);
                r.stale.extend(f.stale);
            }
            None => r.problems.extend(
                versions
                    .iter()
                    .filter(|v| v.text.is_some())
                    .map(|v| format!("{}: the parser panicked", v.at)),
            ),
        }
    }
}

/// One statute's files: each checked, and each version's comparison with the one before
/// checked against its trailers.
fn check_statute(versions: &[Version]) -> FileFindings {
    let mut f = FileFindings::default();
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
    for i in 1..versions.len() {
        let (Some(_), Some(_)) = (&versions[i - 1].text, &versions[i].text) else {
            continue;
        };
        f.stale.extend(stale_trailers(
            (&versions[i - 1], parsed[i - 1].as_ref()),
            (&versions[i], parsed[i].as_ref()),
        ));
    }
    f
}

/// A version's `Summary`, `Substantive` and `Event` trailers against what an import by this
/// build records for it (the same [`Comparison`], the same fallback when a text does not
/// parse or the differ panics): the line naming those that differ, if any.
fn stale_trailers(
    old: (&Version, Option<&Statute>),
    new: (&Version, Option<&Statute>),
) -> Option<String> {
    let (o, n) = (&old.0.v, &new.0.v);
    let want = match (old.1, new.1) {
        (Some(a), Some(b)) => std::panic::catch_unwind(AssertUnwindSafe(|| {
            Comparison::of(
                (a, o.date, o.meta.repealed()),
                (b, n.date, n.meta.repealed()),
            )
        }))
        .unwrap_or_else(|_| Comparison::unreadable()),
        _ => Comparison::unreadable(),
    };
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
            new.0.at,
            differ.join(", "),
            if differ.len() == 1 { " is" } else { "s are" }
        )
    })
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
