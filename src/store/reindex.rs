//! `statute reindex`: recomputes the derived data of every stored version under this build's
//! [`DERIVED_VERSION`](super::DERIVED_VERSION) — its canonical file, rendered again from the
//! stored one, and its `Summary`, `Substantive` and `Event` trailers, diffed again — and
//! rebuilds each history exactly as an import of the same versions would (same order, labels,
//! commits), so that a reindexed store equals a fresh import. Objects go into one pack, every
//! ref that changes moves in one atomic rename, and the stamp is recorded last: a reindex
//! interrupted at any point leaves a valid store that is still reported stale.
//!
//! What is kept as stored: each version's date and metadata trailers (`Title`, `Issuer`,
//! `Effective`, `Status`, `Source-Blob`). They come from the source file, which the store does
//! not keep; `verify` checks them against the canonical file.

use std::collections::{BTreeMap, BTreeSet, HashSet};
use std::path::Path;

use super::error::{Result, StoreError};
use super::import::{Checkpoint, NewVersion, Progress, plan};
use super::{Store, StoredVersion, blob_id, lock};

/// What a reindex did.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct ReindexReport {
    pub statutes: usize,
    /// Versions in the rebuilt histories.
    pub versions: usize,
    /// Versions whose commit changed (their derived data, or that of a version before them).
    pub rewritten: usize,
    /// Versions whose commit stayed the same.
    pub unchanged: usize,
    /// Refs created, moved or deleted.
    pub refs_updated: usize,
}

/// A stored version prepared again from its canonical file, as an import would prepare it
/// from its source: the same date and metadata, the text rendered by this build.
fn rerender(id: &str, v: &StoredVersion, bytes: &[u8]) -> Result<NewVersion> {
    let at = format!("{id}@{}", v.label);
    let statute = crate::parse_bytes(Path::new(&at), bytes)?.statute;
    let canonical = crate::parse::canonical::to_string(&statute).into_bytes();
    Ok(NewVersion {
        path: Default::default(),
        date: v.date,
        blob: blob_id(&canonical)?,
        canonical: Some(canonical),
        packed: None,
        meta: v.meta.clone(),
        warnings: Vec::new(),
    })
}

/// Import's write failure, in a reindex's words.
fn reindex_write(e: StoreError) -> StoreError {
    match e {
        StoreError::WriteFailed { path, detail } => StoreError::ReindexWriteFailed { path, detail },
        e => e,
    }
}

impl Store {
    /// Recomputes every version's derived data, rewrites the histories where it differs, and
    /// records this build's derived-data stamp. Refuses a store stamped by a newer build
    /// ([`StoreError::NewerDerived`]) and one whose stored file does not parse (run `verify`).
    /// `progress` is told of each version read and asked at each [`Checkpoint`].
    pub fn reindex(&self, progress: &dyn Progress) -> Result<ReindexReport> {
        let _lock = lock::acquire(&self.path, |p| progress.waiting_for_lock(p))?;
        self.refuse_newer_derived()?;
        let mut state = self.state()?;
        let threads = crate::par::threads(0);
        let mut report = ReindexReport {
            statutes: state.statutes.len(),
            ..ReindexReport::default()
        };
        // The stored texts are read here (a `Repository` is not `Sync`), parsed and rendered
        // on every core.
        let mut jobs: Vec<(&str, &StoredVersion, Vec<u8>)> = Vec::new();
        for (id, chain) in &state.statutes {
            for v in chain {
                jobs.push((id, v, self.repo.find_blob(v.blob)?.content().to_vec()));
            }
        }
        progress.start(jobs.len());
        let rendered = crate::par::try_map(&jobs, threads, |(id, v, bytes)| {
            let r = rerender(id, v, bytes);
            progress.file_done();
            r
        });
        let mut news: BTreeMap<String, Vec<NewVersion>> = BTreeMap::new();
        for ((id, v, _), r) in jobs.iter().zip(rendered) {
            let n = r.unwrap_or_else(|| {
                Err(StoreError::Panicked {
                    what: format!("{id}@{}: the parser", v.label),
                })
            })?;
            news.entry(id.to_string()).or_default().push(n);
        }
        if progress.cancel(Checkpoint::Parsed) {
            return Err(StoreError::ReindexCancelled);
        }
        if !state.statutes.is_empty() {
            // Each history planned as if every version were new: what a fresh import plans.
            let mut plans: Vec<_> = news
                .into_iter()
                .filter_map(|(id, list)| plan(&id, &[], list).0)
                .collect();
            let derived = self.summarize_plans(&mut plans, &state, threads)?;
            // Every statute's commits as they stand (writing takes the histories out of
            // `state`).
            let before: BTreeMap<String, HashSet<git2::Oid>> = state
                .statutes
                .iter()
                .map(|(id, chain)| (id.clone(), chain.iter().map(|v| v.commit).collect()))
                .collect();
            let touched: BTreeSet<String> = before.keys().cloned().collect();
            let (tags, main) = self
                .write_objects(plans, derived, &mut state, super::Stamp::Current, threads)
                .map_err(reindex_write)?;
            if progress.cancel(Checkpoint::ObjectsWritten) {
                return Err(StoreError::ReindexCancelled);
            }
            for (id, w) in &tags {
                let versions = &w.versions;
                let before = before.get(id);
                report.versions += versions.len();
                report.unchanged += versions
                    .iter()
                    .filter(|(_, c)| before.is_some_and(|b| b.contains(c)))
                    .count();
            }
            report.rewritten = report.versions - report.unchanged;
            report.refs_updated = self
                .move_refs(&touched, &tags, &state, main)
                .map_err(reindex_write)?;
        }
        if progress.cancel(Checkpoint::RefsMoved) {
            return Err(StoreError::ReindexCancelled);
        }
        self.record_stamp()?;
        Ok(report)
    }
}
