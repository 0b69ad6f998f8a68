//! Article lineage: which unit of each version continues which unit of the one before, from
//! the differ's `ChangeSet` between consecutive versions, as stable lineage ids.
//!
//! A unit's lineage id is `<statute-id>/<version>/<label>` of the version and label where it
//! first appeared; it keeps that id through renumbering, moves and edits. Parts of a split and
//! the result of a merge get new ids (named after the version and label where they appear)
//! that record their parents. Ids depend only on the versions, so they are the same on every
//! run and every machine. `statute history` and `statute blame` read this; the change feed and
//! the terminal browser will too.

use std::collections::{BTreeSet, HashMap};

use crate::diff::{self, ChangeSet, EntryKind};
use crate::model::Statute;

/// How a unit came to be in its version.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Origin {
    /// In the first version.
    First,
    /// Same text as before (perhaps renumbered or moved).
    Unchanged,
    /// Changed in formal ways only.
    Formal,
    /// Changed substantively.
    Modified,
    Added,
    /// A part of a unit that was split.
    Split,
    /// The result of merging units.
    Merged,
}

impl Origin {
    /// The origin [`Origin::as_str`] names.
    pub fn parse(s: &str) -> Option<Origin> {
        Some(match s {
            "first" => Origin::First,
            "unchanged" => Origin::Unchanged,
            "formal" => Origin::Formal,
            "modified" => Origin::Modified,
            "added" => Origin::Added,
            "split" => Origin::Split,
            "merged" => Origin::Merged,
            _ => return None,
        })
    }

    pub fn as_str(self) -> &'static str {
        match self {
            Origin::First => "first",
            Origin::Unchanged => "unchanged",
            Origin::Formal => "formal",
            Origin::Modified => "modified",
            Origin::Added => "added",
            Origin::Split => "split",
            Origin::Merged => "merged",
        }
    }
}

/// One unit of one version.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Unit {
    /// Index in the version's [`Statute::articles`].
    pub index: usize,
    /// Citation form (第十条之一; annex units prefixed with the annex).
    pub label: String,
    /// The stable lineage id.
    pub id: String,
    /// For split parts and merges: the lineage ids this unit came from.
    pub parents: Vec<String>,
    pub origin: Origin,
    /// Index of the version that last changed this unit substantively (or introduced it).
    pub last_changed: usize,
}

/// The units of one version.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct VersionUnits {
    pub version: String,
    pub units: Vec<Unit>,
}

/// The lineage of a statute's units through its versions.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Lineage {
    pub versions: Vec<VersionUnits>,
}

/// The citation labels of a version's units, as the differ writes them.
pub fn unit_labels(s: &Statute) -> Vec<String> {
    s.articles().iter().map(|a| a.label(s)).collect()
}

/// Lineage of `versions` (label and text, oldest first), diffing consecutive versions.
pub fn lineage(statute_id: &str, versions: &[(&str, &Statute)]) -> Lineage {
    let changes: Vec<ChangeSet> = versions
        .windows(2)
        .map(|w| diff::diff(w[0].1, w[1].1))
        .collect();
    lineage_from(statute_id, versions, &changes)
}

/// Lineage from precomputed change sets: `changes[k]` compares `versions[k]` and
/// `versions[k + 1]`.
pub fn lineage_from(
    statute_id: &str,
    versions: &[(&str, &Statute)],
    changes: &[ChangeSet],
) -> Lineage {
    let mut out: Vec<VersionUnits> = Vec::with_capacity(versions.len());
    for (k, (vlabel, s)) in versions.iter().enumerate() {
        let labels = unit_labels(s);
        let mut used: HashMap<String, usize> = HashMap::new();
        let mut fresh = |label: &str| {
            let n = used.entry(label.to_string()).or_insert(0);
            *n += 1;
            match *n {
                1 => format!("{statute_id}/{vlabel}/{label}"),
                n => format!("{statute_id}/{vlabel}/{label}#{n}"),
            }
        };
        let mut units: Vec<Option<Unit>> = vec![None; labels.len()];
        let prev = k.checked_sub(1).and_then(|p| out.get(p));
        if let (Some(prev), Some(cs)) = (prev, k.checked_sub(1).and_then(|p| changes.get(p))) {
            for e in &cs.entries {
                let olds: Vec<&Unit> = e
                    .old
                    .iter()
                    .filter_map(|r| prev.units.get(r.index))
                    .collect();
                let news: Vec<usize> = e
                    .new
                    .iter()
                    .map(|r| r.index)
                    .filter(|&i| i < labels.len())
                    .collect();
                for &i in &news {
                    let unit = match (olds.as_slice(), news.len()) {
                        ([old], 1) => {
                            let origin = match e.kind {
                                EntryKind::Unchanged => Origin::Unchanged,
                                _ if !e.substantive => Origin::Formal,
                                _ => Origin::Modified,
                            };
                            Unit {
                                index: i,
                                label: labels[i].clone(),
                                id: old.id.clone(),
                                parents: Vec::new(),
                                origin,
                                last_changed: match origin {
                                    Origin::Unchanged | Origin::Formal => old.last_changed,
                                    _ => k,
                                },
                            }
                        }
                        ([], _) => Unit {
                            index: i,
                            label: labels[i].clone(),
                            id: fresh(&labels[i]),
                            parents: Vec::new(),
                            origin: Origin::Added,
                            last_changed: k,
                        },
                        (olds, n) => Unit {
                            index: i,
                            label: labels[i].clone(),
                            id: fresh(&labels[i]),
                            parents: olds.iter().map(|u| u.id.clone()).collect(),
                            origin: if n > 1 { Origin::Split } else { Origin::Merged },
                            last_changed: k,
                        },
                    };
                    units[i] = Some(unit);
                }
            }
        }
        let units = units
            .into_iter()
            .enumerate()
            .map(|(i, u)| {
                u.unwrap_or_else(|| Unit {
                    index: i,
                    label: labels[i].clone(),
                    id: fresh(&labels[i]),
                    parents: Vec::new(),
                    origin: if k == 0 { Origin::First } else { Origin::Added },
                    last_changed: k,
                })
            })
            .collect();
        out.push(VersionUnits {
            version: vlabel.to_string(),
            units,
        });
    }
    Lineage { versions: out }
}

impl Lineage {
    /// The unit with this label in version `k`.
    pub fn find(&self, k: usize, label: &str) -> Option<&Unit> {
        self.versions
            .get(k)?
            .units
            .iter()
            .find(|u| u.label == label)
    }

    /// `id` with every lineage it descends from and every lineage that descends from it.
    pub fn related(&self, id: &str) -> BTreeSet<String> {
        let all: Vec<&Unit> = self.versions.iter().flat_map(|v| &v.units).collect();
        let mut out = BTreeSet::from([id.to_string()]);
        // Ancestors.
        let mut todo = vec![id.to_string()];
        while let Some(x) = todo.pop() {
            for u in all.iter().filter(|u| u.id == x) {
                for p in &u.parents {
                    if out.insert(p.clone()) {
                        todo.push(p.clone());
                    }
                }
            }
        }
        // Descendants of the unit itself.
        let mut todo = vec![id.to_string()];
        let mut down = BTreeSet::new();
        while let Some(x) = todo.pop() {
            for u in all.iter().filter(|u| u.parents.contains(&x)) {
                if down.insert(u.id.clone()) {
                    todo.push(u.id.clone());
                }
            }
        }
        out.extend(down);
        out
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::path::Path;

    fn parse(text: &str) -> Statute {
        crate::parse_str(Path::new("t.md"), text)
            .expect("parse")
            .statute
    }

    #[test]
    fn ids_follow_renumbering_and_record_splits() {
        let v1 = parse(
            "# 测试条例\n\n第一条 为了规范测试工作，保障测试质量，制定本条例。\n\n\
             第二条 本条例适用于本市行政区域内的各类软件测试活动以及相关的管理工作。\n\n\
             第三条 测试机构应当建立健全质量管理制度，配备必要的设备和人员，并定期接受主管部门的检查。\n",
        );
        let v2 = parse(
            "# 测试条例\n\n第一条 为了规范测试工作，保障测试质量，制定本条例。\n\n\
             第二条 市人民政府应当加强对测试工作的领导，将其纳入国民经济和社会发展规划。\n\n\
             第三条 本条例适用于本市行政区域内的各类软件测试活动以及相关的管理工作。\n\n\
             第四条 测试机构应当建立健全质量管理制度，配备必要的设备和人员，并定期接受主管部门的检查。\n",
        );
        let l = lineage("t-00000000", &[("2000-01-01", &v1), ("2010-01-01", &v2)]);
        let old2 = l.find(0, "第二条").expect("old 第二条");
        let new3 = l.find(1, "第三条").expect("new 第三条");
        assert_eq!(old2.id, "t-00000000/2000-01-01/第二条");
        assert_eq!(new3.id, old2.id, "renumbered article keeps its id");
        assert_eq!(new3.origin, Origin::Unchanged);
        assert_eq!(new3.last_changed, 0);
        let new2 = l.find(1, "第二条").expect("new 第二条");
        assert_eq!(new2.origin, Origin::Added);
        assert_eq!(new2.id, "t-00000000/2010-01-01/第二条");
        assert_eq!(new2.last_changed, 1);
        assert_eq!(
            l.find(1, "第四条").map(|u| &u.id),
            l.find(0, "第三条").map(|u| &u.id)
        );
        // Deterministic.
        assert_eq!(
            l,
            lineage("t-00000000", &[("2000-01-01", &v1), ("2010-01-01", &v2)])
        );
    }
}

#[cfg(test)]
mod merge_tests {
    use super::*;
    use std::path::Path;

    fn parse(text: &str) -> Statute {
        crate::parse_str(Path::new("t.md"), text)
            .expect("parse")
            .statute
    }

    #[test]
    fn merges_and_splits_record_their_parents() {
        let a = "县级以上人民政府应当加强对养犬管理工作的领导，建立养犬管理工作协调机制，所需经费列入本级财政预算。";
        let b = "公安机关负责养犬登记、犬只收容以及违法养犬行为的查处工作，并会同有关部门建立犬只信息管理系统。";
        let c = "养犬人应当遵守法律法规，尊重社会公德，不得干扰他人正常生活，不得放任犬只恐吓、伤害他人。";
        let v1 = parse(&format!(
            "# 某市养犬条例\n\n第一条 {a}\n\n第二条 {b}\n\n第三条 {c}\n"
        ));
        let v2 = parse(&format!("# 某市养犬条例\n\n第一条 {a}{b}\n\n第二条 {c}\n"));
        let v3 = parse(&format!(
            "# 某市养犬条例\n\n第一条 {a}\n\n第二条 {b}\n\n第三条 {c}\n"
        ));
        let versions = [
            ("2001-01-01", &v1),
            ("2002-01-01", &v2),
            ("2003-01-01", &v3),
        ];
        let changes: Vec<ChangeSet> = versions
            .windows(2)
            .map(|w| diff::diff(w[0].1, w[1].1))
            .collect();
        let kinds = |cs: &ChangeSet| cs.entries.iter().map(|e| e.kind).collect::<Vec<_>>();
        assert!(
            kinds(&changes[0]).contains(&EntryKind::Merged),
            "{:?}",
            kinds(&changes[0])
        );
        assert!(
            kinds(&changes[1]).contains(&EntryKind::Split),
            "{:?}",
            kinds(&changes[1])
        );
        let l = lineage_from("t-00000000", &versions, &changes);
        let merged = l.find(1, "第一条").expect("merged");
        assert_eq!(merged.origin, Origin::Merged);
        assert_eq!(
            merged.parents,
            [
                "t-00000000/2001-01-01/第一条",
                "t-00000000/2001-01-01/第二条"
            ]
        );
        let parts: Vec<&Unit> = l.versions[2]
            .units
            .iter()
            .filter(|u| u.origin == Origin::Split)
            .collect();
        assert_eq!(parts.len(), 2);
        assert!(parts.iter().all(|u| u.parents == [merged.id.clone()]));
        // The old 第三条 went through both amendments under one id.
        assert_eq!(
            l.find(2, "第三条").map(|u| &u.id),
            l.find(0, "第三条").map(|u| &u.id)
        );
        // Following the merged article reaches both ancestors and both descendants.
        let related = l.related(&merged.id);
        assert_eq!(related.len(), 5, "{related:?}");
    }
}
