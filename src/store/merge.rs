//! `statute merge OTHER`: combines another store's versions into this one, as if the files
//! imported there had been imported here. Histories are planned from the set of versions
//! alone, so two stores that imported different parts of a corpus and are then merged (in
//! either direction) end with exactly the commits of one store importing everything.
//!
//! The other store is only read. Statutes whose head is the same commit in both are skipped
//! without reading their histories; for the others, every version of the other store's
//! history is taken as a new version (its canonical text, its trailers' metadata and recorded
//! source), and the import's planning decides what is new. Refs move in one rename, as for an
//! import: a reader sees the store before or after the merge, never between.

use std::collections::{BTreeMap, BTreeSet};
use std::path::Path;

use super::error::{Result, StoreError};
use super::import::{ImportReport, NewVersion, Progress};
use super::{Stamp, Store, lock};

impl Store {
    /// Merges the versions of the store at `other` into this one. Counts, like an import,
    /// versions added and already present (`files` is the number of versions read).
    pub fn merge(&self, other: &Path, progress: &dyn Progress) -> Result<ImportReport> {
        let theirs = Store::open(other)?;
        if let Stamp::Newer(found) = theirs.stamp()? {
            return Err(StoreError::NewerDerived {
                path: other.into(),
                found,
                supported: super::DERIVED_VERSION,
            });
        }
        let _lock = lock::acquire(&self.path, |p| progress.waiting_for_lock(p))?;
        self.refuse_newer_derived()?;
        let mut state = self.state_from_tables()?;
        let ours = self.heads()?;
        let mut report = ImportReport::default();
        let mut news: BTreeMap<String, Vec<NewVersion>> = BTreeMap::new();
        let wanted: Vec<(String, git2::Oid)> = theirs
            .heads()?
            .into_iter()
            .filter(|(id, head)| ours.get(id) != Some(head))
            .collect();
        report.statutes = wanted.len();
        let threads = crate::par::threads(0);
        let mut pending: Vec<NewVersion> = Vec::new();
        progress.start(wanted.len());
        for (id, head) in &wanted {
            for v in theirs.chain(id, *head)? {
                let bytes = theirs.repo().find_blob(v.blob)?.content().to_vec();
                report.files += 1;
                pending.push(NewVersion {
                    path: other.join(format!("{id}@{}", v.label)),
                    date: v.date,
                    blob: v.blob,
                    canonical: Some(bytes),
                    packed: None,
                    meta: v.meta,
                    warnings: Vec::new(),
                });
            }
            progress.file_done();
            if pending.len() >= MERGE_BATCH {
                self.spill_into(&mut pending, &mut news, threads)?;
            }
        }
        self.spill_into(&mut pending, &mut news, threads)?;
        let touched: BTreeSet<String> = news.keys().cloned().collect();
        self.load(&mut state, touched.iter(), &super::import::Tags::new())?;
        self.store_news(news, &touched, &mut state, &mut report, threads, progress)?;
        Ok(report)
    }

    /// Writes the texts of `pending` into the object database and files the versions, their
    /// texts dropped, under their statutes.
    fn spill_into(
        &self,
        pending: &mut Vec<NewVersion>,
        news: &mut BTreeMap<String, Vec<NewVersion>>,
        threads: usize,
    ) -> Result<()> {
        let mut refs: Vec<&mut NewVersion> = pending.iter_mut().collect();
        self.spill(&mut refs, threads)?;
        for n in pending.drain(..) {
            news.entry(n.meta.id.clone()).or_default().push(n);
        }
        Ok(())
    }
}

/// How many versions a merge reads before it writes their texts and lets them go.
const MERGE_BATCH: usize = 1024;
