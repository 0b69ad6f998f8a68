//! Headings (编/分编/章/节, 序言, ad-hoc headings): aligned across versions and reported as
//! added, deleted, renamed or renumbered. The mapping also tells which articles moved.

use std::collections::HashMap;

use super::{HeadingChange, HeadingChangeKind};
use crate::model::{Division, DivisionKind, Node, Statute};
use crate::normalize;

/// A division in document order.
pub(crate) struct Flat<'a> {
    pub div: &'a Division,
    pub path: Vec<String>,
    pub parent: Option<usize>,
    key: String,
}

/// All divisions of a version in document order (main body, then annexes), and a lookup from
/// division identity to index.
/// Index in the flattened list of each division, keyed by its address.
pub(crate) type DivisionIds = HashMap<usize, usize>;

pub(crate) fn flatten(s: &Statute) -> (Vec<Flat<'_>>, DivisionIds) {
    let mut out = Vec::new();
    let mut ids = HashMap::new();
    walk(&s.body.nodes, None, &mut Vec::new(), &mut out, &mut ids);
    for a in &s.body.annexes {
        walk(&a.children, None, &mut Vec::new(), &mut out, &mut ids);
    }
    (out, ids)
}

fn walk<'a>(
    nodes: &'a [Node],
    parent: Option<usize>,
    path: &mut Vec<String>,
    out: &mut Vec<Flat<'a>>,
    ids: &mut DivisionIds,
) {
    for n in nodes {
        if let Node::Division(d) = n {
            let idx = out.len();
            ids.insert(d as *const Division as usize, idx);
            out.push(Flat {
                div: d,
                path: path.clone(),
                parent,
                key: format!("{:?}|{}", kind_key(d.kind), normalize::normalize(&d.title)),
            });
            path.push(d.heading());
            walk(&d.children, Some(idx), path, out, ids);
            path.pop();
        }
    }
}

fn kind_key(k: DivisionKind) -> u8 {
    k.rank()
}

/// Aligns the divisions; returns the changes and the old → new index mapping.
pub(crate) fn diff(old: &[Flat<'_>], new: &[Flat<'_>]) -> (Vec<HeadingChange>, Vec<Option<usize>>) {
    let mut old_to: Vec<Option<usize>> = vec![None; old.len()];
    let mut new_to: Vec<Option<usize>> = vec![None; new.len()];
    // Same kind and title, in order.
    let mut by_key: rustc_hash::FxHashMap<&str, Vec<usize>> = Default::default();
    for (i, f) in old.iter().enumerate() {
        by_key.entry(f.key.as_str()).or_default().push(i);
    }
    let mut used: rustc_hash::FxHashMap<&str, usize> = Default::default();
    for (j, f) in new.iter().enumerate() {
        if let Some(list) = by_key.get(f.key.as_str()) {
            let k = used.entry(f.key.as_str()).or_insert(0);
            if let Some(&i) = list.get(*k) {
                old_to[i] = Some(j);
                new_to[j] = Some(i);
                *k += 1;
            }
        }
    }
    // Renamed: same kind, between the same paired neighbours, in order.
    let mut i = 0;
    while i < old.len() {
        if old_to[i].is_some() {
            i += 1;
            continue;
        }
        let lo = (0..i).rev().find_map(|k| old_to[k]).map_or(0, |j| j + 1);
        let hi = (i + 1..old.len())
            .find_map(|k| old_to[k])
            .unwrap_or(new.len());
        let candidate = (lo..hi).find(|&j| {
            new_to[j].is_none()
                && kind_key(new[j].div.kind) == kind_key(old[i].div.kind)
                && parents_match(old, new, &old_to, i, j)
        });
        if let Some(j) = candidate {
            old_to[i] = Some(j);
            new_to[j] = Some(i);
        }
        i += 1;
    }
    let mut changes = Vec::new();
    for (j, f) in new.iter().enumerate() {
        match new_to[j] {
            None => changes.push(HeadingChange {
                kind: HeadingChangeKind::Added,
                old: None,
                new: Some(f.div.heading()),
                path: f.path.clone(),
            }),
            Some(i) => {
                let o = old[i].div;
                let renamed = normalize::normalize(&o.title) != normalize::normalize(&f.div.title);
                let renumbered = o.num != f.div.num;
                let kind = match (renamed, renumbered) {
                    (true, true) => HeadingChangeKind::RenumberedRenamed,
                    (true, false) => HeadingChangeKind::Renamed,
                    (false, true) => HeadingChangeKind::Renumbered,
                    (false, false) => continue,
                };
                changes.push(HeadingChange {
                    kind,
                    old: Some(o.heading()),
                    new: Some(f.div.heading()),
                    path: f.path.clone(),
                });
            }
        }
    }
    for (i, f) in old.iter().enumerate() {
        if old_to[i].is_none() {
            changes.push(HeadingChange {
                kind: HeadingChangeKind::Deleted,
                old: Some(f.div.heading()),
                new: None,
                path: f.path.clone(),
            });
        }
    }
    (changes, old_to)
}

fn parents_match(
    old: &[Flat<'_>],
    new: &[Flat<'_>],
    old_to: &[Option<usize>],
    i: usize,
    j: usize,
) -> bool {
    match (old[i].parent, new[j].parent) {
        (None, None) => true,
        (Some(p), Some(q)) => old_to[p] == Some(q),
        _ => false,
    }
}
