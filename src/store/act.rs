//! `import --act`: an amending act applied to the stored statutes it names, each part of an
//! omnibus act to its statute, all or nothing. Each result is recorded as the statute's
//! version of the act's date, its commit naming the act (`Act-Blob`) and, per article, the
//! instructions that changed it (`Act-Changes`); where the store already holds a version of
//! that date (the official consolidated text), the result is compared with it instead.

use std::collections::{BTreeMap, BTreeSet};
use std::path::Path;

use super::error::{Result, StoreError};
use super::import::{ImportReport, NewVersion, Progress};
use super::{ActRecord, Store, VersionMeta, blob_id, id, lock, one_line};
use crate::amend::{self, Applied, Discrepancy};
use crate::model::{Date, Statute};

/// What became of one part of the act.
#[derive(Debug, Clone)]
pub struct PartOutcome {
    /// The statute the part amends.
    pub id: String,
    /// The version the act was applied to.
    pub base: String,
    pub base_statute: Statute,
    pub applied: Applied,
    /// The stored version of the act's date (the official consolidated text), when the store
    /// has one, with the differences from the act's result.
    pub official: Option<(String, Vec<Discrepancy>)>,
}

/// The outcome of `import --act`.
#[derive(Debug, Clone)]
pub struct ActImport {
    pub info: amend::ActInfo,
    pub parts: Vec<PartOutcome>,
    /// True when every instruction of every part applied and the results were stored (or
    /// equal the stored versions of the act's date).
    pub stored: bool,
    pub report: ImportReport,
}

fn act_error(path: &Path, message: impl Into<String>) -> StoreError {
    StoreError::Act {
        path: path.into(),
        message: message.into(),
    }
}

impl Store {
    /// Applies the act in `path` to the statutes it names. Nothing is stored unless every
    /// instruction of every part applied; an act naming a statute the store does not hold, or
    /// one without a date, is an error.
    pub fn import_act(&self, path: &Path, progress: &dyn Progress) -> Result<ActImport> {
        let read = amend::read_act(path)?;
        let bytes = std::fs::read(path).map_err(|source| StoreError::Io {
            path: path.into(),
            source,
        })?;
        let act_blob = blob_id(&bytes)?;
        let date = read.info.date.ok_or_else(|| {
            act_error(
                path,
                "the act's date is not known (a 题注 such as 2021年1月1日…通过 gives it)",
            )
        })?;
        let _lock = lock::acquire(&self.path, |p| progress.waiting_for_lock(p))?;
        self.refuse_newer_derived()?;
        let mut state = self.state()?;
        // Every title is looked up among the ids the state holds (sorted, as `ids` gives
        // them), not by listing the refs again.
        let ids: Vec<String> = state.statutes.keys().cloned().collect();
        let mut parts = Vec::new();
        let mut news: BTreeMap<String, Vec<NewVersion>> = BTreeMap::new();
        let mut touched = BTreeSet::new();
        for part in &read.act.parts {
            let Some(title) = part.title.as_deref() else {
                return Err(act_error(
                    path,
                    "the act does not name the statute it amends (apply it with statute apply)",
                ));
            };
            let id = resolve_title(&ids, title).map_err(|e| {
                act_error(path, format!("the act amends 《{title}》, which the store does not hold as one statute ({e})"))
            })?;
            let history = state.statutes.get(&id).cloned().unwrap_or_default();
            let Some(base) = history.iter().rev().find(|v| v.date < date) else {
                return Err(act_error(
                    path,
                    format!("the store has no version of 《{title}》 before the act's date {date}"),
                ));
            };
            let text = self.text(base)?;
            let base_statute =
                crate::parse_str(Path::new(&format!("{id}@{}", base.label)), &text)?.statute;
            let applied = amend::apply(&base_statute, part, &read.info);
            let official = match history.iter().find(|v| v.date == date) {
                Some(v) => {
                    let text = self.text(v)?;
                    let o =
                        crate::parse_str(Path::new(&format!("{id}@{}", v.label)), &text)?.statute;
                    Some((v.label.clone(), amend::compare(&applied, &o)))
                }
                None => None,
            };
            if applied.complete() && official.is_none() {
                news.entry(id.clone())
                    .or_default()
                    .push(new_version(&applied, date, act_blob, &id)?);
            }
            touched.insert(id.clone());
            parts.push(PartOutcome {
                id,
                base: base.label.clone(),
                base_statute,
                applied,
                official,
            });
        }
        let complete = parts.iter().all(|p| p.applied.complete());
        let mut report = ImportReport {
            files: 1,
            statutes: touched.len(),
            ..ImportReport::default()
        };
        if !complete {
            return Ok(ActImport {
                info: read.info,
                parts,
                stored: false,
                report,
            });
        }
        let threads = crate::par::threads(0);
        self.store_news(news, &touched, &mut state, &mut report, threads, progress)?;
        Ok(ActImport {
            info: read.info,
            parts,
            stored: true,
            report,
        })
    }
}

/// The statute an act names by its title: the title as written, else with or without
/// 中华人民共和国.
fn resolve_title(ids: &[String], title: &str) -> Result<String> {
    let bare = title.strip_prefix("中华人民共和国").unwrap_or(title);
    let mut last = None;
    for t in [
        title.to_string(),
        bare.to_string(),
        format!("中华人民共和国{bare}"),
    ] {
        match super::read::resolve_among(ids, &t) {
            Ok(id) => return Ok(id),
            Err(e) => last = Some(e),
        }
    }
    Err(last.unwrap_or(StoreError::NoSuchStatute { name: title.into() }))
}

/// The act's result as a version to store: dated from the act, naming it.
fn new_version(applied: &Applied, date: Date, act: git2::Oid, id: &str) -> Result<NewVersion> {
    let m = &applied.statute.meta;
    let mut changes: BTreeMap<String, BTreeSet<u32>> = BTreeMap::new();
    let mut order: Vec<String> = Vec::new();
    for o in &applied.outcomes {
        let n = o.number.unwrap_or(o.index as u32 + 1);
        for a in &o.articles {
            let label = a.label();
            if !changes.contains_key(&label) {
                order.push(label.clone());
            }
            changes.entry(label).or_default().insert(n);
        }
    }
    // In the version's order of articles.
    let position = |label: &str| {
        applied
            .statute
            .articles()
            .iter()
            .position(|a| a.article.num.label() == label)
    };
    order.sort_by_key(|l| position(l));
    let mut changes: Vec<(String, Vec<u32>)> = order
        .into_iter()
        .map(|l| {
            let ns = changes.remove(&l).unwrap_or_default().into_iter().collect();
            (l, ns)
        })
        .collect();
    // Then the articles deleted, by their numbers in the version before.
    let mut deleted: BTreeMap<crate::model::UnitNum, BTreeSet<u32>> = BTreeMap::new();
    for o in &applied.outcomes {
        let n = o.number.unwrap_or(o.index as u32 + 1);
        for a in &o.deleted {
            deleted.entry(*a).or_default().insert(n);
        }
    }
    changes.extend(
        deleted
            .into_iter()
            .map(|(a, ns)| (format!("-{}", a.label()), ns.into_iter().collect())),
    );
    let meta = VersionMeta {
        id: id.to_string(),
        title: one_line(&id::statute_name(m)),
        issuer: m.issuer.as_deref().map(one_line),
        effective: m.effective,
        status: m.status.as_deref().map(one_line),
        source: None,
        act: Some(ActRecord { blob: act, changes }),
    };
    let canonical = crate::parse::canonical::to_string(&applied.statute).into_bytes();
    Ok(NewVersion {
        path: Default::default(),
        date,
        blob: blob_id(&canonical)?,
        canonical: Some(canonical),
        packed: None,
        meta,
        warnings: Vec::new(),
    })
}
