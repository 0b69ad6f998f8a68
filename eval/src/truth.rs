//! Ground truth: what became of the old units in each unit of a generated version, and the
//! generated pair that carries it.

use serde_json::{Value, json};
use statute::Statute;
use statute::diff::EntryKind;

use crate::corpus::Corpus;
use crate::render::Format;

/// What became of the old units in one new unit.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Truth {
    /// Identical text (possibly renumbered or moved).
    Same(usize),
    Modified {
        old: usize,
        substantive: bool,
    },
    Added,
    /// One of the pieces an old unit was split into.
    SplitFrom(usize),
    MergedFrom(Vec<usize>),
}

impl Truth {
    /// The entry kind the differ should give the unit.
    pub fn kind(&self) -> EntryKind {
        match self {
            Truth::Same(_) => EntryKind::Unchanged,
            Truth::Modified { .. } => EntryKind::Modified,
            Truth::Added => EntryKind::Added,
            Truth::SplitFrom(_) => EntryKind::Split,
            Truth::MergedFrom(_) => EntryKind::Merged,
        }
    }

    /// The old units (indices into the old side's `articles()`) the unit comes from.
    pub fn olds(&self) -> Vec<usize> {
        match self {
            Truth::Same(o) | Truth::Modified { old: o, .. } | Truth::SplitFrom(o) => vec![*o],
            Truth::MergedFrom(v) => v.clone(),
            Truth::Added => Vec::new(),
        }
    }
}

/// One generated pair: the old side is `corpus.sources[source].statute` (`corpus.acts[source]`
/// for a pair of a point-numbered document), unless `old` holds another.
#[derive(Debug, Clone)]
pub struct Pair {
    pub index: usize,
    pub source: usize,
    /// `source` indexes `corpus.acts`: a point-numbered document re-formatted.
    pub act: bool,
    /// The old side when it is not the source as read (a re-formatted copy of it).
    pub old: Option<Statute>,
    pub format: Format,
    /// Mutations applied, in order, e.g. "delete 第十条".
    pub log: Vec<String>,
    /// The rendered new version, as parsed.
    pub text: String,
    pub new: Statute,
    /// Per unit of `new.articles()`.
    pub truth: Vec<Truth>,
    /// Old units that are gone.
    pub deleted: Vec<usize>,
    /// New units moved by a `move` mutation.
    pub moved: Vec<usize>,
    /// New units whose cross-references were rewritten.
    pub refs: Vec<bool>,
    /// Mutation sets drawn and dropped before this one because their truth was ambiguous.
    pub regenerated: usize,
}

impl Pair {
    /// The corpus file the pair was made from.
    pub fn source<'c>(&self, corpus: &'c Corpus) -> Option<&'c crate::corpus::Source> {
        if self.act {
            corpus.acts.get(self.source)
        } else {
            corpus.sources.get(self.source)
        }
    }

    /// The old side of the pair.
    pub fn old<'a>(&'a self, corpus: &'a Corpus) -> Option<&'a Statute> {
        self.old
            .as_ref()
            .or_else(|| self.source(corpus).map(|s| &s.statute))
    }

    /// The truth as JSON (`truth.json` of `statute-eval pairs`): the source, the format, the
    /// mutation log, per new unit its kind and old units, the deleted old units and the moved
    /// new units. Units are given by index (into `articles()` of their side) and label.
    pub fn truth_json(&self, corpus: &Corpus) -> Value {
        let source = self.source(corpus);
        let old_arts = self.old(corpus).map(|s| s.articles()).unwrap_or_default();
        let new_arts = self.new.articles();
        let old = |o: usize| {
            json!({
                "index": o,
                "label": old_arts.get(o).map(|a| a.article.label.as_str()),
            })
        };
        let units: Vec<Value> = self
            .truth
            .iter()
            .enumerate()
            .map(|(n, t)| {
                let mut unit = json!({
                    "index": n,
                    "label": new_arts.get(n).map(|a| a.article.label.as_str()),
                    "kind": t.kind().as_str(),
                    "old": t.olds().into_iter().map(old).collect::<Vec<_>>(),
                    "refs_rewritten": self.refs.get(n).copied().unwrap_or(false),
                });
                if let (Truth::Modified { substantive, .. }, Some(map)) = (t, unit.as_object_mut())
                {
                    map.insert("substantive".into(), json!(substantive));
                }
                unit
            })
            .collect();
        json!({
            "index": self.index,
            "source": source.map(|s| s.name.as_str()),
            "format": self.format.as_str(),
            "log": self.log,
            "regenerated": self.regenerated,
            "units": units,
            "deleted": self.deleted.iter().map(|&o| old(o)).collect::<Vec<_>>(),
            "moved": self.moved.iter().map(|&n| json!({
                "index": n,
                "label": new_arts.get(n).map(|a| a.article.label.as_str()),
            })).collect::<Vec<_>>(),
        })
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn kinds_and_old_units_of_each_truth() {
        let cases = [
            (Truth::Same(3), EntryKind::Unchanged, vec![3]),
            (
                Truth::Modified {
                    old: 4,
                    substantive: false,
                },
                EntryKind::Modified,
                vec![4],
            ),
            (Truth::Added, EntryKind::Added, vec![]),
            (Truth::SplitFrom(5), EntryKind::Split, vec![5]),
            (Truth::MergedFrom(vec![6, 7]), EntryKind::Merged, vec![6, 7]),
        ];
        for (t, kind, olds) in cases {
            assert_eq!(t.kind(), kind, "{t:?}");
            assert_eq!(t.olds(), olds, "{t:?}");
        }
    }
}
