//! The `main` branch: one parentless commit whose tree holds every statute's latest canonical
//! file under `statutes/`, a `CATALOG.md` table and the citation index under `index/`
//! (`store::cites`), derived only from the statutes' histories so that the same histories
//! always give the same commit.

use std::fmt::Write as _;

use git2::{Oid, Repository};

use super::error::Result;
use super::tables::Head;
use super::{FORMAT_VERSION, Stamp, TREE_DIR, signature};
use crate::model::Date;

/// The trailer of `main`'s commit naming the store format.
pub const FORMAT_TRAILER: &str = "Store-Format";
/// The trailer of `main`'s commit carrying the derived-data stamp.
pub const DERIVED_TRAILER: &str = "Derived";

/// A trailer's value in `main`'s commit message.
pub fn trailer<'m>(message: &'m str, key: &str) -> Option<&'m str> {
    message
        .lines()
        .find_map(|l| l.strip_prefix(key)?.strip_prefix(": "))
        .map(str::trim)
}

/// The text of `CATALOG.md` for these statutes' heads (ordered by id), of `statutes` statutes
/// and `versions` versions in all.
pub fn catalog_text(heads: impl Iterator<Item = Head>, statutes: usize, versions: usize) -> String {
    let mut s = String::new();
    let _ = writeln!(s, "# Catalog\n");
    let _ = writeln!(
        s,
        "{} statutes, {versions} versions. Each row is a statute's latest version; its whole \
         history is the branch `statutes/<id>` and each version is tagged `<id>/<version>`.\n",
        statutes
    );
    let _ = writeln!(
        s,
        "| 标题 | 制定机关 | 最新版本 | 施行日期 | 时效性 | 版本数 | id |"
    );
    let _ = writeln!(s, "|---|---|---|---|---|---|---|");
    let cell = |v: &str| v.replace('|', "\\|");
    for h in heads {
        let id = &h.id;
        let _ = writeln!(
            s,
            "| [{}]({TREE_DIR}/{id}.md) | {} | {} | {} | {} | {} | `{id}` |",
            cell(&h.title),
            cell(h.issuer.as_deref().unwrap_or("")),
            h.label,
            h.effective.map(|d| d.to_string()).unwrap_or_default(),
            cell(h.status.as_deref().unwrap_or("")),
            h.versions,
        );
    }
    s
}

/// Writes the catalog's blob, trees and commit; returns the commit id. The commit is dated
/// on the latest version date among the heads (1970-01-01 for an empty store); its message
/// ends in the trailers `Store-Format` (a clone of the store is recognised by it) and
/// `Derived`, the store's derived-data stamp, so that the stamp travels and moves with the
/// data it describes (none for a store that has no stamp).
/// The catalog and the `statutes/` tree are packed at once; every other object it writes (the
/// root tree, the commit) is added to `written`.
/// `heads` is iterated twice (each [`Head`] may be read afresh each time, see
/// [`super::tables::HeadLines`]).
pub fn write_main(
    repo: &Repository,
    heads: impl Iterator<Item = Head> + Clone,
    index: Option<Oid>,
    stamp: Stamp,
    written: &mut Vec<Oid>,
) -> Result<Oid> {
    // The catalog and the `statutes/` tree (at national scale tens of megabytes each, and a
    // tree of hundreds of thousands of entries) are encoded here and packed at once, not
    // copied into the object database's memory through libgit2's tree builder.
    let mut objects = super::pack::Objects::default();
    let (mut statutes, mut versions, mut date) = (0, 0, None);
    let mut entries: Vec<(String, Oid)> = Vec::new();
    for h in heads.clone() {
        entries.push((format!("{}.md", h.id), h.blob));
        statutes += 1;
        versions += h.versions;
        date = date.max(Some(h.date));
    }
    let catalog = objects.blob_of(catalog_text(heads, statutes, versions).into_bytes());
    let dir = objects.tree(
        &entries
            .iter()
            .map(|(name, blob)| (name.as_str(), false, *blob))
            .collect::<Vec<_>>(),
    );
    drop(entries);
    objects.write(repo, crate::par::threads(0))?;
    let mut root = repo.treebuilder(None)?;
    root.insert("CATALOG.md", catalog, 0o100_644)?;
    if statutes > 0 {
        root.insert(TREE_DIR, dir, 0o040_000)?;
    }
    if let Some(index) = index.filter(|_| statutes > 0) {
        root.insert(super::cites::INDEX_DIR, index, 0o040_000)?;
    }
    let tree = repo.find_tree(root.write()?)?;
    let date = date.or_else(|| Date::new(1970, 1, 1));
    let sig = signature(date.unwrap_or(Date {
        year: 1970,
        month: 1,
        day: 1,
    }))?;
    let mut msg = format!(
        "Catalog: {statutes} statutes, {versions} versions\n\n{FORMAT_TRAILER}: {FORMAT_VERSION}\n"
    );
    if let Some(n) = stamp.number() {
        let _ = writeln!(msg, "{DERIVED_TRAILER}: {n}");
    }
    let commit = repo.commit(None, &sig, &sig, &msg, &tree, &[])?;
    written.extend([tree.id(), commit]);
    Ok(commit)
}
