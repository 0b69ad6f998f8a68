//! Which entries of a [`ChangeSet`] a review shows: the changed ones by default, filtered by
//! kind, article or chapter, with unchanged neighbours as context. Every renderer of
//! `statute diff` takes its entries from here.

use crate::diff::{ChangeSet, Entry, EntryKind};
use crate::model::UnitNum;

/// A kind of change to show (`--only`).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Kind {
    /// Modified beyond formal differences.
    Modified,
    /// Modified only formally (punctuation, spacing, cross-references that follow the
    /// renumbering).
    Formal,
    Added,
    Deleted,
    Split,
    Merged,
    /// Number changed (with or without text changes).
    Renumbered,
    /// Moved into another chapter or out of sequence.
    Moved,
    /// The same wording in another structure (paragraphs regrouped, points numbered in one
    /// version only, a header line moved into the units).
    Restructured,
    Unchanged,
}

impl Kind {
    /// Every kind, with its name on the command line.
    pub const ALL: [(Kind, &'static str); 10] = [
        (Kind::Modified, "modified"),
        (Kind::Formal, "formal"),
        (Kind::Added, "added"),
        (Kind::Deleted, "deleted"),
        (Kind::Split, "split"),
        (Kind::Merged, "merged"),
        (Kind::Renumbered, "renumbered"),
        (Kind::Moved, "moved"),
        (Kind::Restructured, "restructured"),
        (Kind::Unchanged, "unchanged"),
    ];

    /// The kind named `s` (English name as above, or its Chinese name such as 新增).
    pub fn parse(s: &str) -> Option<Kind> {
        let s = s.trim();
        Kind::ALL
            .iter()
            .find(|(_, name)| name.eq_ignore_ascii_case(s))
            .map(|(k, _)| *k)
            .or(match s {
                "修改" => Some(Kind::Modified),
                "形式修改" => Some(Kind::Formal),
                "新增" | "增加" => Some(Kind::Added),
                "删除" | "删去" => Some(Kind::Deleted),
                "拆分" => Some(Kind::Split),
                "合并" => Some(Kind::Merged),
                "条序变化" | "仅条序变化" => Some(Kind::Renumbered),
                "移动" => Some(Kind::Moved),
                "结构调整" | "仅结构调整" => Some(Kind::Restructured),
                "未变" => Some(Kind::Unchanged),
                _ => None,
            })
    }

    fn matches(self, e: &Entry) -> bool {
        match self {
            Kind::Modified => e.kind == EntryKind::Modified && e.substantive,
            Kind::Formal => e.kind == EntryKind::Modified && !e.substantive,
            Kind::Added => e.kind == EntryKind::Added,
            Kind::Deleted => e.kind == EntryKind::Deleted,
            Kind::Split => e.kind == EntryKind::Split,
            Kind::Merged => e.kind == EntryKind::Merged,
            Kind::Renumbered => e.renumbered,
            Kind::Moved => e.moved,
            Kind::Restructured => e.restructured,
            Kind::Unchanged => e.kind == EntryKind::Unchanged,
        }
    }
}

/// What to show.
#[derive(Debug, Clone, Default)]
pub struct Filter {
    /// Show only entries of these kinds (any of them); empty: every changed entry.
    pub only: Vec<Kind>,
    /// Show only the entry holding this article, in the old or the new version
    /// (第十条, 第十条之一, 10, 10之一).
    pub article: Option<String>,
    /// Show only entries under a heading containing this text (第二章, 法律责任).
    pub chapter: Option<String>,
    /// Include every entry, unchanged ones too.
    pub all: bool,
    /// Unchanged entries to show before and after each shown change.
    pub context: usize,
}

/// An entry to show, and whether it is only there as context.
#[derive(Debug, Clone, Copy)]
pub struct Shown<'a> {
    pub entry: &'a Entry,
    pub context: bool,
}

/// True when an entry changed anything a reader must see: its text, its place (moved) or
/// its existence. Renumbering alone is a consequence of other changes.
pub fn is_change(e: &Entry) -> bool {
    e.kind != EntryKind::Unchanged || e.moved || e.restructured
}

/// The entries to show, in the change set's order.
pub fn select<'a>(cs: &'a ChangeSet, f: &Filter) -> Vec<Shown<'a>> {
    let article = f.article.as_deref().and_then(article_num);
    let wanted = |e: &Entry| -> bool {
        let kind_ok = if f.only.is_empty() {
            f.all || is_change(e)
        } else {
            f.only.iter().any(|k| k.matches(e))
        };
        let article_ok = match (&f.article, article) {
            (None, _) => true,
            (Some(label), num) => e
                .old
                .iter()
                .chain(&e.new)
                .any(|u| u.label == label.trim() || Some(u.num) == num && u.annex.is_none()),
        };
        let chapter_ok = f.chapter.as_deref().is_none_or(|c| {
            let c = c.trim();
            e.old.iter().chain(&e.new).any(|u| {
                u.path
                    .iter()
                    .any(|h| h.contains(c) || squash(h).contains(c))
            })
        });
        kind_ok && article_ok && chapter_ok
    };
    let picked: Vec<bool> = cs.entries.iter().map(wanted).collect();
    let mut show = picked.clone();
    if f.context > 0 {
        for (i, &p) in picked.iter().enumerate() {
            if !p {
                continue;
            }
            let lo = i.saturating_sub(f.context);
            let hi = (i + f.context).min(picked.len() - 1);
            for s in &mut show[lo..=hi] {
                *s = true;
            }
        }
    }
    cs.entries
        .iter()
        .zip(show.iter().zip(&picked))
        .filter(|(_, (s, _))| **s)
        .map(|(entry, (_, p))| Shown { entry, context: !p })
        .collect()
}

/// Heading text without spaces: "第二章 法律 责任" matches "法律责任".
fn squash(s: &str) -> String {
    s.chars().filter(|c| !c.is_whitespace()).collect()
}

/// The unit number an `--article` value names: 第十条之一, 10之一, 10.
fn article_num(s: &str) -> Option<UnitNum> {
    let s = s.trim();
    let full = if s.starts_with('第') {
        s.to_string()
    } else if let Some((main, sub)) = s.split_once('之') {
        format!("第{main}条之{sub}")
    } else {
        format!("第{s}条")
    };
    match crate::numerals::article_label(&full) {
        Some((len, Some((main, sub)))) if len == full.len() => Some(UnitNum::Article { main, sub }),
        _ => None,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn article_values() {
        let ten = Some(UnitNum::Article { main: 10, sub: 0 });
        assert_eq!(article_num("第十条"), ten);
        assert_eq!(article_num("10"), ten);
        assert_eq!(
            article_num("10之一"),
            Some(UnitNum::Article { main: 10, sub: 1 })
        );
        assert_eq!(article_num("第十条之一"), article_num("10之1"));
        assert_eq!(article_num("总则"), None);
    }

    #[test]
    fn kinds_by_either_name() {
        assert_eq!(Kind::parse("added"), Some(Kind::Added));
        assert_eq!(Kind::parse("新增"), Some(Kind::Added));
        assert_eq!(Kind::parse("Renumbered"), Some(Kind::Renumbered));
        assert_eq!(Kind::parse("nonsense"), None);
    }
}
