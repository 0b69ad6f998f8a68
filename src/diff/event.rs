//! What a version did to its statute, from its 题注 and its comparison with the version
//! before: enacted, amended (修正), revised (修订), corrected (形式更正) or repealed (废止).
//! One answer for the feed's events, the store's `Event` trailers and the browser's timeline.

use super::{ChangeSet, EntryKind};
use crate::model::{Date, EventKind as ActKind, HistoryEvent};

/// What a version did to its statute.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub enum VersionKind {
    /// The statute's first version in the store.
    Enacted,
    /// A partial amendment (修正, or less than half of the text changed).
    Amended,
    /// A revision as a whole (修订 in the 题注, or more than half of the text changed).
    Revised,
    /// A re-publication with formal changes only: nothing substantive, no article added,
    /// deleted, split, merged, renumbered or moved.
    Corrected,
    /// The version marks the statute repealed.
    Repealed,
}

const KINDS: [VersionKind; 5] = [
    VersionKind::Enacted,
    VersionKind::Amended,
    VersionKind::Revised,
    VersionKind::Corrected,
    VersionKind::Repealed,
];

impl VersionKind {
    /// The kind's name in the feed and in the store's trailers.
    pub fn as_str(self) -> &'static str {
        match self {
            VersionKind::Enacted => "enacted",
            VersionKind::Amended => "amended",
            VersionKind::Revised => "revised",
            VersionKind::Corrected => "corrected",
            VersionKind::Repealed => "repealed",
        }
    }

    /// The kind named `s` (as [`VersionKind::as_str`] writes it).
    pub fn parse(s: &str) -> Option<VersionKind> {
        KINDS.into_iter().find(|k| k.as_str() == s)
    }

    /// The Chinese name (the Atom output, the browser).
    pub fn as_zh(self) -> &'static str {
        match self {
            VersionKind::Enacted => "收录",
            VersionKind::Amended => "修正",
            VersionKind::Revised => "修订",
            VersionKind::Corrected => "形式更正",
            VersionKind::Repealed => "废止",
        }
    }
}

/// The 题注 entry behind a version of `date`: the one dated on its version date (an
/// amendment, revision or repeal preferred), else the latest 修正/修订/废止 after the previous
/// version (of date `previous`).
pub fn act_of(
    history: &[HistoryEvent],
    date: Date,
    previous: Option<Date>,
) -> Option<&HistoryEvent> {
    let amending = |e: &&HistoryEvent| {
        matches!(
            e.kind,
            ActKind::Amended | ActKind::Revised | ActKind::Repealed
        )
    };
    let on_date: Vec<&HistoryEvent> = history.iter().filter(|e| e.date == Some(date)).collect();
    on_date
        .iter()
        .copied()
        .find(amending)
        .or_else(|| {
            on_date
                .iter()
                .copied()
                .find(|e| matches!(e.kind, ActKind::Adopted | ActKind::Approved))
        })
        .or_else(|| on_date.first().copied())
        .or_else(|| {
            history.iter().rev().filter(amending).find(|e| {
                e.date
                    .is_some_and(|d| d <= date && previous.is_none_or(|p| d > p))
            })
        })
}

/// The kind of a version from its comparison `cs` with the version before (`None` for the
/// first version), the 题注 entry behind it ([`act_of`]), and whether it and the version before
/// mark the statute repealed.
pub fn classify(
    cs: Option<&ChangeSet>,
    act: Option<&HistoryEvent>,
    repealed: bool,
    was_repealed: bool,
) -> VersionKind {
    let Some(cs) = cs else {
        return VersionKind::Enacted;
    };
    let repealed_now = repealed || act.is_some_and(|a| a.kind == ActKind::Repealed);
    if repealed_now && !was_repealed {
        return VersionKind::Repealed;
    }
    if formal_only(cs) {
        return VersionKind::Corrected;
    }
    match act.map(|a| a.kind) {
        Some(ActKind::Revised) => VersionKind::Revised,
        Some(ActKind::Amended) => VersionKind::Amended,
        _ if revised_share(cs) > 0.5 => VersionKind::Revised,
        _ => VersionKind::Amended,
    }
}

/// True when a comparison found formal changes only: nothing substantive, and no article
/// added, deleted, split, merged, renumbered or moved (a split with the text kept is formal
/// for the differ, but it is a structural amendment, not a correction).
pub fn formal_only(cs: &ChangeSet) -> bool {
    !cs.has_substantive_changes()
        && cs.entries.iter().all(|e| {
            // A header line that one source keeps in the units is no added article.
            (matches!(e.kind, EntryKind::Unchanged | EntryKind::Modified)
                || (e.restructured && matches!(e.kind, EntryKind::Added | EntryKind::Deleted)))
                && !e.renumbered
                && !e.moved
        })
}

/// The share of the text an amendment rewrote: old units changed substantively (modified,
/// deleted, split, merged) plus units added, over old units plus units added.
pub fn revised_share(cs: &ChangeSet) -> f64 {
    let mut changed = 0usize;
    let mut added = 0usize;
    for e in &cs.entries {
        match e.kind {
            EntryKind::Added if e.restructured => {}
            EntryKind::Added => added += e.new.len(),
            EntryKind::Unchanged => {}
            _ if e.substantive => changed += e.old.len(),
            _ => {}
        }
    }
    let base = cs.old.units + added;
    if base == 0 {
        0.0
    } else {
        (changed + added) as f64 / base as f64
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn kinds_read_back_from_their_names() {
        for k in KINDS {
            assert_eq!(VersionKind::parse(k.as_str()), Some(k));
        }
        assert_eq!(VersionKind::parse("修正"), None);
    }
}
