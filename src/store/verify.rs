//! `statute verify`: checks that the store is whole and consistent — every object readable,
//! refs pointing to commits, each history in date order with valid ids and labels, every
//! file parsing back to itself with trailers that match it, one tag per version, and `main`
//! equal to the catalog the heads give.

use std::collections::BTreeMap;
use std::path::Path;

use super::catalog::{self, CatalogEntry};
use super::error::Result;
use super::{MAIN_REF, Store, StoredVersion, id, one_line, version_tag};

/// What `verify` found.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct VerifyReport {
    pub objects: usize,
    pub statutes: usize,
    pub versions: usize,
    /// One line each; empty when the store is sound.
    pub problems: Vec<String>,
}

impl Store {
    /// Checks the whole store.
    pub fn verify(&self) -> Result<VerifyReport> {
        let mut r = VerifyReport::default();
        let odb = self.repo.odb()?;
        let mut oids = Vec::new();
        odb.foreach(|o| {
            oids.push(*o);
            true
        })?;
        r.objects = oids.len();
        for o in &oids {
            if let Err(e) = odb.read(*o) {
                r.problems
                    .push(format!("object {o}: unreadable: {}", e.message()));
            }
        }

        let refs = self.all_refs()?;
        let mut catalog_entries = BTreeMap::new();
        let mut texts: Vec<(String, StoredVersion, String)> = Vec::new();
        // One snapshot of the refs: an import running meanwhile cannot make them disagree.
        let heads: BTreeMap<String, git2::Oid> = refs
            .iter()
            .filter_map(|(name, oid)| {
                name.strip_prefix(super::STATUTE_REF_PREFIX)
                    .map(|id| (id.to_string(), *oid))
            })
            .collect();
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
                match self.text(v) {
                    Ok(t) => texts.push((at, v.clone(), t)),
                    Err(e) => r.problems.push(format!("{at}: {e}")),
                }
            }
            let prefix = version_tag(sid, "");
            for name in refs.keys().filter(|k| k.starts_with(&prefix)) {
                let label = &name[prefix.len()..];
                if !chain.iter().any(|v| v.label == label) {
                    r.problems
                        .push(format!("{name}: tag of no version in the history"));
                }
            }
            if let Some(head) = chain.last() {
                catalog_entries.insert(
                    sid.clone(),
                    CatalogEntry {
                        head: head.clone(),
                        versions: chain.len(),
                    },
                );
            }
        }
        for name in refs.keys() {
            if let Some(rest) = name.strip_prefix("refs/tags/") {
                let sid = rest.split('/').next().unwrap_or("");
                if !heads.contains_key(sid) {
                    r.problems.push(format!("{name}: tag of no statute"));
                }
            }
        }

        let checked = crate::par::try_map(&texts, crate::par::threads(0), |(at, v, text)| {
            check_text(at, v, text)
        });
        for (c, (at, _, _)) in checked.into_iter().zip(&texts) {
            match c {
                Some(p) => r.problems.extend(p),
                None => r.problems.push(format!("{at}: the parser panicked")),
            }
        }

        // main must be exactly the catalog of the heads: build it in memory and compare.
        // In memory, on a handle of its own, so nothing is written.
        let work = git2::Repository::open_bare(&self.path)?;
        let work_odb = work.odb()?;
        let mempack = work_odb.add_new_mempack_backend(1000)?;
        let expected = catalog::write_main(&work, &catalog_entries, &mut Vec::new());
        mempack.reset()?;
        match (expected, refs.get(MAIN_REF)) {
            (Ok(e), Some(m)) if e == *m => {}
            (Ok(e), Some(m)) => r
                .problems
                .push(format!("{MAIN_REF} is {m}; the statute heads give {e}")),
            (Ok(_), None) if catalog_entries.is_empty() => {}
            (Ok(_), None) => r.problems.push(format!("{MAIN_REF} is missing")),
            (Err(e), _) => r.problems.push(format!("cannot build the catalog: {e}")),
        }
        Ok(r)
    }
}

/// A stored file must be canonical (render(parse(text)) == text) and match its trailers.
fn check_text(at: &str, v: &StoredVersion, text: &str) -> Vec<String> {
    let mut p = Vec::new();
    let parsed = match crate::parse_str(Path::new(at), text) {
        Ok(x) => x,
        Err(e) => return vec![format!("{at}: does not parse: {e}")],
    };
    if parsed.format != crate::SourceFormat::Canonical {
        p.push(format!("{at}: not in canonical form"));
    }
    let m = &parsed.statute.meta;
    if crate::parse::canonical::to_string(&parsed.statute) != text {
        p.push(format!("{at}: file is not its own canonical rendering"));
    }
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
    p
}
