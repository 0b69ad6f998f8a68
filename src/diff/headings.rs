//! Headings (编/分编/章/节, 序言, ad-hoc headings): aligned across versions and reported as
//! added, deleted, renamed or renumbered. The mapping also tells which articles moved.

use super::{HeadingChange, HeadingChangeKind};
use crate::model::{Division, DivisionKind, Node, Statute};
use crate::normalize;

/// A division in document order.
pub(crate) struct Flat<'a> {
    pub div: &'a Division,
    pub path: Vec<String>,
    /// The enclosing division, as an index into the same list.
    pub parent: Option<usize>,
    key: String,
}

/// All divisions of a version in document order (main body, then annexes), and the
/// innermost division of each unit. Divisions are known by their index in `flat`, never by
/// their address, so nothing can depend on where the model was allocated.
pub(crate) struct Divisions<'a> {
    pub flat: Vec<Flat<'a>>,
    /// For each unit, in the order of [`Statute::articles`], the index in `flat` of the
    /// innermost division it stands under; `None` for a unit under no heading. The
    /// enclosing ones follow from [`Flat::parent`].
    pub of_unit: Vec<Option<usize>>,
}

impl Divisions<'_> {
    /// The divisions unit `unit` stands under, innermost first (indices into `flat`).
    pub fn enclosing(&self, unit: usize) -> impl Iterator<Item = usize> + '_ {
        std::iter::successors(self.of_unit.get(unit).copied().flatten(), |&k| {
            self.flat[k].parent
        })
    }
}

pub(crate) fn flatten(s: &Statute) -> Divisions<'_> {
    let mut d = Divisions {
        flat: Vec::new(),
        of_unit: Vec::new(),
    };
    // The same walk as `Statute::articles`: main body, then each annex.
    walk(&s.body.nodes, None, &mut Vec::new(), &mut d);
    for a in &s.body.annexes {
        walk(&a.children, None, &mut Vec::new(), &mut d);
    }
    d
}

/// Adds the divisions of `nodes` (under division `parent`, itself under the headings `path`)
/// and the innermost division of each unit among them.
fn walk<'a>(
    nodes: &'a [Node],
    parent: Option<usize>,
    path: &mut Vec<String>,
    d: &mut Divisions<'a>,
) {
    for n in nodes {
        match n {
            Node::Division(div) => {
                let idx = d.flat.len();
                d.flat.push(Flat {
                    div,
                    path: path.clone(),
                    parent,
                    key: format!(
                        "{:?}|{}",
                        kind_key(div.kind),
                        normalize::normalize(&div.title)
                    ),
                });
                path.push(div.heading());
                walk(&div.children, Some(idx), path, d);
                path.pop();
            }
            Node::Article(_) => d.of_unit.push(parent),
            Node::Para(_) => {}
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

#[cfg(test)]
mod tests {
    use super::*;

    /// Each unit's divisions, found by index, are the ones `Statute::articles` gives it:
    /// nested and sibling headings, units under none, and annexes with headings of their own.
    #[test]
    fn each_unit_stands_under_the_divisions_articles_lists() {
        let text = "# 测试法\n\n第一条 总则前。\n\n## 第一章 总则\n\n第二条 甲。\n\n\
                    ### 第一节 一般规定\n\n第三条 乙。\n\n第四条 丙。\n\n### 第二节 特别规定\n\n\
                    第五条 丁。\n\n## 第二章 附则\n\n第六条 戊。\n\n附件：细则\n\n## 第一章 范围\n\n\
                    第一条 己。\n\n## 第二章 程序\n\n第二条 庚。\n";
        let s = crate::parse_str(std::path::Path::new("t.md"), text)
            .expect("parses")
            .statute;
        let units = s.articles();
        let d = flatten(&s);
        assert_eq!(d.of_unit.len(), units.len());
        assert!(
            units
                .iter()
                .any(|u| u.annex.is_some() && !u.path.is_empty())
        );
        assert!(units.iter().any(|u| u.path.len() == 2));
        for (i, u) in units.iter().enumerate() {
            let mut found: Vec<&Division> = d.enclosing(i).map(|k| d.flat[k].div).collect();
            found.reverse();
            assert_eq!(found.len(), u.path.len(), "unit {i}");
            for (a, b) in found.iter().zip(&u.path) {
                assert!(std::ptr::eq(*a, *b), "unit {i}");
            }
        }
    }
}
