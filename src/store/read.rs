//! Reading the store: statute ids, name resolution, a statute's versions, one version's text,
//! the version in force on a date. Nothing here diffs: summaries come from commit trailers.

use std::collections::BTreeMap;

use git2::Oid;

use super::error::{Result, StoreError};
use super::{
    STATUTE_REF_PREFIX, Store, StoredVersion, file_path, id, parse_message, statute_ref, tables,
};
use crate::model::{Date, Statute};

/// The catalog's rows, a batch (one shard of `index/list/`) at a time: see
/// [`Store::catalog`].
pub struct Catalog<'s> {
    store: &'s Store,
    wanted: Option<String>,
    shards: std::vec::IntoIter<Oid>,
    rows: Option<Vec<tables::ListRow>>,
}

impl Iterator for Catalog<'_> {
    type Item = Result<Vec<tables::ListRow>>;

    fn next(&mut self) -> Option<Self::Item> {
        if let Some(rows) = self.rows.take() {
            return Some(Ok(rows));
        }
        let blob = self.shards.next()?;
        let wanted = self.wanted.as_deref();
        let keep = |id: &str| wanted.is_none_or(|w| id::title_part(id).contains(w) || id == w);
        Some(tables::list_rows(&self.store.repo, blob, &keep))
    }
}

/// A statute and its versions, oldest first.
#[derive(Debug, Clone)]
pub struct StatuteHistory {
    pub id: String,
    pub versions: Vec<StoredVersion>,
}

impl StatuteHistory {
    pub fn head(&self) -> Option<&StoredVersion> {
        self.versions.last()
    }

    /// The latest version; an error only for a history without versions, which no store
    /// written by this crate holds.
    fn latest(&self) -> Result<&StoredVersion> {
        self.head()
            .ok_or_else(|| StoreError::Corrupt(format!("{}: a history without versions", self.id)))
    }

    /// The version a user asked for: the one in force on `at` when given, else the one
    /// `spec` names (see [`find_version`]), else the latest.
    pub fn version(&self, spec: Option<&str>, at: Option<Date>) -> Result<&StoredVersion> {
        match (at, spec) {
            (Some(d), _) => in_force(self, d),
            (None, Some(spec)) => find_version(self, spec),
            (None, None) => self.latest(),
        }
    }

    /// The two versions a comparison reads, old and new: `from` and `to` when both are
    /// named, `from` and the latest when only `from` is, else the last amendment (the two
    /// latest versions; a statute with one version has nothing to compare).
    pub fn versions_to_compare(
        &self,
        from: Option<&str>,
        to: Option<&str>,
    ) -> Result<(&StoredVersion, &StoredVersion)> {
        match (from, to) {
            (Some(from), Some(to)) => Ok((find_version(self, from)?, find_version(self, to)?)),
            (Some(from), None) => Ok((find_version(self, from)?, self.latest()?)),
            (None, _) => match self.versions.as_slice() {
                [.., old, new] => Ok((old, new)),
                _ => Err(StoreError::OneVersion {
                    statute: self.id.clone(),
                }),
            },
        }
    }
}

impl Store {
    /// Every version named by a tag: (statute id, version label), unordered.
    pub fn version_tags(&self) -> Result<Vec<(String, String)>> {
        let mut out = Vec::new();
        let mut refs = self.repo().references_glob("refs/tags/*")?;
        for name in refs.names() {
            let name = name?;
            if let Some((id, label)) = name
                .strip_prefix("refs/tags/")
                .and_then(|r| r.rsplit_once('/'))
            {
                out.push((id.to_string(), label.to_string()));
            }
        }
        Ok(out)
    }

    /// Every version (statute id, version label) dated in `from_year` or later (all without
    /// one), unordered: from `main`'s lookup table of versions (only the shards of those
    /// years), else from the tags.
    pub fn versions_from(&self, from_year: Option<u16>) -> Result<Vec<(String, String)>> {
        let year_of = |label: &str| label.get(..4).and_then(|y| y.parse::<u16>().ok());
        let admits = |label: &str| from_year.is_none_or(|y| year_of(label).is_none_or(|l| l >= y));
        if let Some(index) = super::cites::main_index(&self.repo)
            && let Some(lines) =
                tables::table_lines(&self.repo, &index, tables::VERSIONS, &|shard| admits(shard))?
        {
            return Ok(lines
                .iter()
                .filter_map(|l| l.split_once('\t'))
                .map(|(id, label)| (id.to_string(), label.to_string()))
                .collect());
        }
        let mut tags = self.version_tags()?;
        tags.retain(|(_, label)| admits(label));
        Ok(tags)
    }

    /// True when the store has a statute of this id.
    pub fn contains(&self, id: &str) -> bool {
        id::is_valid(id) && self.repo.refname_to_id(&statute_ref(id)).is_ok()
    }

    /// Every statute id with its head commit, ordered by id.
    pub fn heads(&self) -> Result<BTreeMap<String, Oid>> {
        let mut out = BTreeMap::new();
        for r in self
            .repo
            .references_glob(&format!("{STATUTE_REF_PREFIX}*"))?
        {
            let r = r?;
            let Ok(name) = r.name() else { continue };
            let Some(id) = name.strip_prefix(STATUTE_REF_PREFIX) else {
                continue;
            };
            let target = match r.target() {
                Some(t) => t,
                None => r
                    .resolve()?
                    .target()
                    .ok_or_else(|| StoreError::Corrupt(format!("{name} points to nothing")))?,
            };
            out.insert(id.to_string(), target);
        }
        Ok(out)
    }

    /// Every statute id, ordered: from `main`'s `list` table (read front to back: its shards
    /// are in id order), else from the refs' names (no ref is resolved).
    pub fn ids(&self) -> Result<Vec<String>> {
        if let Some(index) = super::cites::main_index(&self.repo)
            && let Some(shards) = tables::list_shards(&self.repo, &index)?
        {
            let mut out = Vec::new();
            for blob in shards {
                out.extend(tables::list_ids(&self.repo, blob)?);
            }
            return Ok(out);
        }
        let mut out = Vec::new();
        let mut refs = self
            .repo
            .references_glob(&format!("{STATUTE_REF_PREFIX}*"))?;
        for name in refs.names() {
            if let Some(id) = name?.strip_prefix(STATUTE_REF_PREFIX) {
                out.push(id.to_string());
            }
        }
        out.sort();
        Ok(out)
    }

    /// The versions of a statute from its head commit, oldest first.
    pub fn chain(&self, id: &str, head: Oid) -> Result<Vec<StoredVersion>> {
        chain_in(&self.repo, id, head)
    }

    /// A statute's history by id.
    pub fn history(&self, id: &str) -> Result<StatuteHistory> {
        let head = self
            .repo
            .refname_to_id(&statute_ref(id))
            .map_err(|_| StoreError::NoSuchStatute { name: id.into() })?;
        Ok(StatuteHistory {
            id: id.into(),
            versions: self.chain(id, head)?,
        })
    }

    /// The statute a user named: an exact id, else a unique part of the title (an exact title
    /// wins over titles that merely contain it). An id, or a title only one statute has had,
    /// is looked up in `main`'s lookup tables (one shard: the same cost at any store size);
    /// a part of a title is searched for among every id.
    pub fn resolve(&self, name: &str) -> Result<String> {
        if id::is_valid(name) && self.repo.refname_to_id(&statute_ref(name)).is_ok() {
            return Ok(name.to_string());
        }
        if let Some(id) = self.exact_name(name)? {
            return Ok(id);
        }
        resolve_among(&self.ids()?, name)
    }

    /// The one statute whose title (any it has had) is `name`, by `main`'s table of names;
    /// `None` when none or several have it, or the store has no such table.
    fn exact_name(&self, name: &str) -> Result<Option<String>> {
        let Some(index) = super::cites::main_index(&self.repo) else {
            return Ok(None);
        };
        let wanted = id::safe_title(name);
        let shard = tables::name_shard(&wanted);
        let Some(lines) = tables::shard_lines(&self.repo, &index, tables::NAMES, &shard)? else {
            return Ok(None);
        };
        let mut ids: Vec<&str> = lines
            .iter()
            .filter_map(|l| l.split_once('\t'))
            .filter(|(_, n)| *n == wanted)
            .map(|(id, _)| id)
            .collect();
        ids.dedup();
        Ok(match ids.as_slice() {
            [one] => Some(one.to_string()),
            _ => None,
        })
    }

    /// Every statute's head from `main`'s lookup table, ordered by id; `None` when the store
    /// has no such table (written before it).
    pub fn table_heads(&self) -> Result<Option<Vec<tables::Head>>> {
        match super::cites::main_index(&self.repo) {
            Some(index) => tables::read_heads(&self.repo, &index),
            None => Ok(None),
        }
    }

    /// One row per statute whose title contains `filter` (all without one), in id order and
    /// a shard at a time: from `main`'s `list` table without reading any history, else (a
    /// store written before the table) from the histories, in one batch.
    pub fn catalog(&self, filter: Option<&str>) -> Result<Catalog<'_>> {
        let wanted = filter.map(id::safe_title);
        if let Some(index) = super::cites::main_index(&self.repo)
            && let Some(shards) = tables::list_shards(&self.repo, &index)?
        {
            return Ok(Catalog {
                store: self,
                wanted,
                shards: shards.into_iter(),
                rows: None,
            });
        }
        let rows = self
            .list(filter)?
            .into_iter()
            .filter_map(|h| {
                let versions = h.versions.len();
                let head = h.versions.into_iter().next_back()?;
                Some(tables::ListRow {
                    id: h.id,
                    versions,
                    label: head.label,
                    status: head.meta.status,
                    title: head.meta.title,
                })
            })
            .collect();
        Ok(Catalog {
            store: self,
            wanted,
            shards: Vec::new().into_iter(),
            rows: Some(rows),
        })
    }

    /// Statutes whose title contains `filter` (all without one), with their versions.
    pub fn list(&self, filter: Option<&str>) -> Result<Vec<StatuteHistory>> {
        let wanted = filter.map(id::safe_title);
        let mut out = Vec::new();
        for (id, head) in self.heads()? {
            if wanted
                .as_deref()
                .is_some_and(|w| !id::title_part(&id).contains(w) && id != w)
            {
                continue;
            }
            out.push(StatuteHistory {
                versions: self.chain(&id, head)?,
                id,
            });
        }
        Ok(out)
    }

    /// The canonical text of a version.
    pub fn text(&self, v: &StoredVersion) -> Result<String> {
        text_in(&self.repo, v)
    }

    /// The two versions of the statute `name` (see [`Store::resolve`]) that a comparison
    /// reads, parsed: see [`StatuteHistory::versions_to_compare`].
    pub fn versions_to_compare(
        &self,
        name: &str,
        from: Option<&str>,
        to: Option<&str>,
    ) -> Result<(Statute, Statute)> {
        let h = self.history(&self.resolve(name)?)?;
        let (old, new) = h.versions_to_compare(from, to)?;
        Ok((self.statute(old)?, self.statute(new)?))
    }

    /// A version parsed back into the model.
    pub fn statute(&self, v: &StoredVersion) -> Result<Statute> {
        let text = self.text(v)?;
        let path = std::path::PathBuf::from(format!("{}@{}", v.meta.id, v.label));
        Ok(crate::parse_str(&path, &text)?.statute)
    }
}

/// Splits `NAME@VERSION`.
pub fn split_spec(spec: &str) -> (&str, Option<&str>) {
    match spec.rsplit_once('@') {
        Some((n, v)) if !n.is_empty() && !v.is_empty() => (n, Some(v)),
        _ => (spec, None),
    }
}

/// The statute `name` names among `ids` (sorted): the one whose title contains it, else the
/// one whose title it is; an error lists the candidates when several contain it.
pub(crate) fn resolve_among(ids: &[String], name: &str) -> Result<String> {
    let wanted = id::safe_title(name);
    let matches: Vec<&String> = ids
        .iter()
        .filter(|k| id::title_part(k).contains(&wanted))
        .collect();
    let exact: Vec<&&String> = matches
        .iter()
        .filter(|k| id::title_part(k) == wanted)
        .collect();
    match (matches.len(), exact.len()) {
        (0, _) => Err(StoreError::NoSuchStatute { name: name.into() }),
        (1, _) => Ok(matches[0].clone()),
        (_, 1) => Ok((*exact[0]).clone()),
        _ => Err(StoreError::Ambiguous {
            name: name.into(),
            candidates: matches.into_iter().cloned().collect(),
        }),
    }
}

/// The version a user named: its label (`2015-03-15`, `2015-03-15.2`), its date, `first` or
/// `latest`.
pub fn find_version<'a>(h: &'a StatuteHistory, spec: &str) -> Result<&'a StoredVersion> {
    let found = match spec {
        "latest" | "last" | "head" => h.versions.last(),
        "first" => h.versions.first(),
        _ => h.versions.iter().find(|v| v.label == spec).or_else(|| {
            let d = Date::parse_iso(spec)?;
            h.versions.iter().find(|v| v.date == d)
        }),
    };
    found.ok_or_else(|| StoreError::NoSuchVersion {
        statute: h.id.clone(),
        version: spec.into(),
        available: h.versions.iter().map(|v| v.label.clone()).collect(),
    })
}

/// The version in force on `date`: the latest that had taken effect by then (by effective date
/// when known, else version date).
pub fn in_force(h: &StatuteHistory, date: Date) -> Result<&StoredVersion> {
    h.versions
        .iter()
        .filter(|v| v.in_force_from() <= date)
        .max_by_key(|v| (v.in_force_from(), v.date))
        .ok_or_else(|| StoreError::NothingInForce {
            statute: h.id.clone(),
            date: date.to_string(),
        })
}

/// [`Store::chain`] through any handle on the store's repository (a worker thread's own).
pub(crate) fn chain_in(repo: &git2::Repository, id: &str, head: Oid) -> Result<Vec<StoredVersion>> {
    let path = std::path::Path::new(&file_path(id)).to_path_buf();
    let mut out = Vec::new();
    let mut next = Some(head);
    while let Some(oid) = next {
        let c = repo.find_commit(oid)?;
        let blob = c
            .tree()?
            .get_path(&path)
            .map_err(|_| {
                StoreError::Corrupt(format!("commit {oid}: no {} in its tree", path.display()))
            })?
            .id();
        let v = parse_message(oid, blob, c.message().unwrap_or(""))?;
        out.push(v);
        next = c.parent_ids().next();
        if out.len() > 100_000 {
            return Err(StoreError::Corrupt(format!("{id}: history too long")));
        }
    }
    out.reverse();
    Ok(out)
}

/// [`Store::text`] through any handle on the store's repository.
pub(crate) fn text_in(repo: &git2::Repository, v: &StoredVersion) -> Result<String> {
    let blob = repo.find_blob(v.blob)?;
    String::from_utf8(blob.content().to_vec())
        .map_err(|_| StoreError::Corrupt(format!("blob {} is not UTF-8", v.blob)))
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::store::VersionMeta;

    fn history(labels: &[&str]) -> StatuteHistory {
        let versions = labels
            .iter()
            .map(|l| StoredVersion {
                commit: Oid::ZERO_SHA1,
                blob: Oid::ZERO_SHA1,
                label: l.to_string(),
                date: Date::parse_iso(&l[..10]).expect("date"),
                meta: VersionMeta {
                    id: "法-00000000".into(),
                    title: "法".into(),
                    issuer: None,
                    effective: None,
                    status: None,
                    source: None,
                    act: None,
                },
                summary: None,
                substantive: None,
                event: None,
            })
            .collect();
        StatuteHistory {
            id: "法-00000000".into(),
            versions,
        }
    }

    fn labels<'a>(p: (&'a StoredVersion, &'a StoredVersion)) -> (&'a str, &'a str) {
        (p.0.label.as_str(), p.1.label.as_str())
    }

    #[test]
    fn a_comparison_reads_the_last_amendment_unless_versions_are_named() {
        let h = history(&["2001-01-01", "2010-01-01", "2020-01-01"]);
        let pair = |from, to| h.versions_to_compare(from, to).map(labels);
        assert_eq!(pair(None, None).ok(), Some(("2010-01-01", "2020-01-01")));
        assert_eq!(
            pair(Some("first"), None).ok(),
            Some(("2001-01-01", "2020-01-01"))
        );
        assert_eq!(
            pair(Some("2020-01-01"), Some("2001-01-01")).ok(),
            Some(("2020-01-01", "2001-01-01"))
        );
        assert!(matches!(
            pair(Some("1999-01-01"), None),
            Err(StoreError::NoSuchVersion { .. })
        ));
        assert!(matches!(
            history(&["2001-01-01"]).versions_to_compare(None, None),
            Err(StoreError::OneVersion { .. })
        ));
    }

    #[test]
    fn a_date_in_force_wins_over_a_named_version_and_the_latest_is_the_default() {
        let h = history(&["2001-01-01", "2010-01-01"]);
        let label = |spec, at| h.version(spec, at).map(|v| v.label.as_str()).ok();
        assert_eq!(label(None, None), Some("2010-01-01"));
        assert_eq!(label(Some("first"), None), Some("2001-01-01"));
        let d = Date::parse_iso("2005-06-01");
        assert_eq!(label(Some("latest"), d), Some("2001-01-01"));
        assert!(h.version(None, Date::parse_iso("1990-01-01")).is_err());
    }
}
