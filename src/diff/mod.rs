//! The differ: from two versions and their alignment to one [`ChangeSet`], the value every
//! renderer reads.

pub mod chars;
mod classify;
pub mod event;
mod headings;
pub mod layout;
mod lcs;
mod lines;
mod notes;
mod texts;

use crate::align;
use crate::model::{Date, Statute, UnitNum};

pub use chars::{Op, Segment};

/// What happened to an aligned entry.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub enum EntryKind {
    /// Same text (its number may have changed: see `renumbered`).
    Unchanged,
    /// Text changed; `substantive` says whether beyond formal differences.
    Modified,
    Added,
    Deleted,
    /// One old unit became several new ones.
    Split,
    /// Several old units became one new one.
    Merged,
}

impl EntryKind {
    pub fn as_str(self) -> &'static str {
        match self {
            EntryKind::Unchanged => "unchanged",
            EntryKind::Modified => "modified",
            EntryKind::Added => "added",
            EntryKind::Deleted => "deleted",
            EntryKind::Split => "split",
            EntryKind::Merged => "merged",
        }
    }
}

/// One unit (article, point or positional paragraph) of one version.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct UnitRef {
    /// Index in that version's [`Statute::articles`].
    pub index: usize,
    pub num: UnitNum,
    /// Citation form: 第十条之一; prefixed with the annex title for units inside an annex.
    pub label: String,
    /// Enclosing headings, outermost first ("第二章 法律", "第一节 立法权限").
    pub path: Vec<String>,
    pub annex: Option<usize>,
}

/// What happened to one line (款, 项 or 目) inside an aligned entry.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct LineChange {
    pub op: LineOp,
    /// Position of the line in the old / new unit (see [`LineRef`]).
    pub old: Option<LineRef>,
    pub new: Option<LineRef>,
    /// Character diff of the line; all `Equal` for unchanged lines.
    pub diff: Vec<Segment>,
    /// False when the line differs only in formal ways.
    pub substantive: bool,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum LineOp {
    Equal,
    Modified,
    Added,
    Deleted,
}

impl LineOp {
    pub fn as_str(self) -> &'static str {
        match self {
            LineOp::Equal => "equal",
            LineOp::Modified => "modified",
            LineOp::Added => "added",
            LineOp::Deleted => "deleted",
        }
    }
}

/// Where a line stands inside its unit: the n-th 款, and within it the n-th 项 and 目.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct LineRef {
    /// Which unit of the entry (0 unless split/merged).
    pub unit: usize,
    /// 1-based 款.
    pub para: usize,
    /// 1-based 项, when the line is an item.
    pub item: Option<usize>,
    /// 1-based 目, when the line is a sub-item.
    pub subitem: Option<usize>,
}

/// One aligned entry.
#[derive(Debug, Clone, PartialEq)]
pub struct Entry {
    pub kind: EntryKind,
    pub old: Vec<UnitRef>,
    pub new: Vec<UnitRef>,
    /// The unit's number changed (for 1:1 entries).
    pub renumbered: bool,
    /// The unit left its place: into another chapter/section, or out of sequence.
    pub moved: bool,
    /// False when the only differences are formal: whitespace, punctuation, full/half-width
    /// forms, quote styles, numbering and markup, line breaks, or cross-references that
    /// follow this amendment's own renumbering (the wording is the same).
    pub substantive: bool,
    /// The same wording in another structure: paragraphs regrouped, units split or merged,
    /// points numbered in one version and not in the other, item numbering restyled, or a
    /// unit that is a header or closing line in the other version. Never substantive.
    pub restructured: bool,
    /// Text similarity of old and new (1.0 for identical), in 0..=1.
    pub similarity: f64,
    /// Line-level (款/项/目) changes.
    pub lines: Vec<LineChange>,
    /// Character diff of the whole unit, lines joined by `\n`.
    pub diff: Vec<Segment>,
}

/// Change to a heading (编/章/节 …).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct HeadingChange {
    pub kind: HeadingChangeKind,
    /// "第三章 总则" as it stood, and as it stands.
    pub old: Option<String>,
    pub new: Option<String>,
    /// Enclosing headings of the new (or, when deleted, old) heading.
    pub path: Vec<String>,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum HeadingChangeKind {
    Added,
    Deleted,
    Renamed,
    Renumbered,
    /// Renumbered and renamed at once.
    RenumberedRenamed,
}

impl HeadingChangeKind {
    pub fn as_str(self) -> &'static str {
        match self {
            HeadingChangeKind::Added => "added",
            HeadingChangeKind::Deleted => "deleted",
            HeadingChangeKind::Renamed => "renamed",
            HeadingChangeKind::Renumbered => "renumbered",
            HeadingChangeKind::RenumberedRenamed => "renumbered_renamed",
        }
    }
}

/// A changed block of text outside any unit (preamble, introduction under a heading,
/// closing lines, annex titles).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct TextChange {
    /// Where it stands: enclosing headings ("序言"), empty at the top of the body, or
    /// "落款", "附件".
    pub path: Vec<String>,
    /// The block before and after; `None` where it did not exist.
    pub old: Option<String>,
    pub new: Option<String>,
    pub diff: Vec<Segment>,
    pub substantive: bool,
}

/// An editorial note or footnote as one version has it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct NoteRef {
    /// Marker and text, as written: "① 刑法、历次刑法修正案…", "注：表1、2略。".
    pub text: String,
    /// The label of the unit the note trails (第四百五十二条), when it trails one.
    pub after: Option<String>,
    /// A footnote (its glyph is used in the text), rather than an editorial note without an
    /// anchor.
    pub footnote: bool,
}

/// An editorial note or footnote added, removed or reworded. Notes are not part of the
/// statute: a changed note is never an amendment.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct NoteChange {
    /// `None` for a note added.
    pub old: Option<NoteRef>,
    /// `None` for a note removed.
    pub new: Option<NoteRef>,
    pub diff: Vec<Segment>,
}

/// Counts per kind; `renumbered` and `moved` count entries with those flags.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct Summary {
    pub unchanged: usize,
    pub modified: usize,
    pub added: usize,
    pub deleted: usize,
    pub split: usize,
    pub merged: usize,
    pub renumbered: usize,
    pub moved: usize,
    /// Entries with `substantive: true`.
    pub substantive: usize,
    /// Modified entries whose differences are formal only.
    pub formal: usize,
    /// Entries of any kind with `restructured` set.
    pub restructured: usize,
}

/// Identification of a compared version.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct VersionInfo {
    pub title: String,
    pub version_date: Option<Date>,
    pub units: usize,
}

/// Everything that changed between two versions.
#[derive(Debug, Clone, PartialEq)]
pub struct ChangeSet {
    pub old: VersionInfo,
    pub new: VersionInfo,
    /// In the new version's order; deleted units stand after the entry that precedes them in
    /// the old version.
    pub entries: Vec<Entry>,
    pub headings: Vec<HeadingChange>,
    /// Changed text outside the units.
    pub texts: Vec<TextChange>,
    /// Editorial notes and footnotes added, removed or reworded (never substantive).
    pub notes: Vec<NoteChange>,
    /// Both versions as one sequence of headings, entries and lines outside the units, in
    /// reading order, each on the side(s) it belongs to (see [`layout`]): what the redline
    /// writes.
    pub layout: Vec<layout::Piece>,
    pub summary: Summary,
}

impl ChangeSet {
    /// The summary line, in the words the reviews, `log` and the store's trailers use: 新增 2 条，删除 1 条，修改 5 条（其中形式修改 1 条），…
    ///
    /// Entries with the same wording in another structure are counted as 仅结构调整, and not as
    /// added, deleted, modified or unchanged; a split or merge among them is also counted as one.
    pub fn summary_line(&self) -> String {
        let cs = self;
        let s = &cs.summary;
        let restructured = |k: EntryKind| {
            cs.entries
                .iter()
                .filter(|e| e.kind == k && e.restructured)
                .count()
        };
        let mut parts = vec![
            format!("新增 {} 条", s.added - restructured(EntryKind::Added)),
            format!("删除 {} 条", s.deleted - restructured(EntryKind::Deleted)),
            format!("修改 {} 条", s.modified - s.formal),
        ];
        let formal = s.formal - restructured(EntryKind::Modified);
        if formal > 0 {
            parts.push(format!("仅形式修改 {formal} 条"));
        }
        if s.restructured > 0 {
            parts.push(format!("仅结构调整 {} 条", s.restructured));
        }
        if s.split > 0 {
            parts.push(format!("拆分 {} 条", s.split));
        }
        if s.merged > 0 {
            parts.push(format!("合并 {} 条", s.merged));
        }
        let renumbered_only = cs
            .entries
            .iter()
            .filter(|e| e.kind == EntryKind::Unchanged && e.renumbered)
            .count();
        parts.push(format!("仅条序变化 {renumbered_only} 条"));
        if s.moved > 0 {
            parts.push(format!("移动 {} 条", s.moved));
        }
        let unchanged = s.unchanged - renumbered_only - restructured(EntryKind::Unchanged);
        parts.push(format!("未变 {unchanged} 条"));
        if !cs.notes.is_empty() {
            parts.push(format!("注释变化 {} 处", cs.notes.len()));
        }
        parts.join("，")
    }

    /// True when some entry or heading changed substantively. A heading renumbered only
    /// because others were added or removed is a consequential change, not a substantive one.
    pub fn has_substantive_changes(&self) -> bool {
        self.summary.substantive > 0
            || self.texts.iter().any(|t| t.substantive)
            || self
                .headings
                .iter()
                .any(|h| h.kind != HeadingChangeKind::Renumbered)
    }
}

/// A sign that two texts compared are not versions of one statute.
#[derive(Debug, Clone, PartialEq)]
pub enum Doubt {
    /// The titles differ (whitespace and bracket styles aside).
    Titles { old: String, new: String },
    /// The share of their wording the two texts have in common (see
    /// [`ChangeSet::shared_wording`]), below [`FEW_SHARED`].
    FewShared(f64),
}

/// Below this share of common wording two texts are doubted to be versions of one statute.
/// Unrelated statutes of the corpus share at most 2%; real amendments at least 1.3% (a full
/// revision of 商用密码管理条例) and nearly all more than 10%.
pub const FEW_SHARED: f64 = 0.05;

impl ChangeSet {
    /// The share of the two texts' units that the diff found in common: twice the characters
    /// of equal runs over the characters of both sides (whitespace aside); 1 for two empty
    /// texts.
    pub fn shared_wording(&self) -> f64 {
        let (mut equal, mut total) = (0usize, 0usize);
        for e in &self.entries {
            for s in &e.diff {
                let n = s.text.chars().filter(|c| !c.is_whitespace()).count();
                match s.op {
                    Op::Equal => {
                        equal += 2 * n;
                        total += 2 * n;
                    }
                    Op::Delete | Op::Insert => total += n,
                }
            }
        }
        if total == 0 {
            1.0
        } else {
            equal as f64 / total as f64
        }
    }

    /// Signs that the two texts are not versions of one statute: different titles, or little
    /// wording in common.
    pub fn doubts(&self) -> Vec<Doubt> {
        let mut out = Vec::new();
        let key = |t: &str| crate::normalize::normalize(t);
        if !self.old.title.is_empty()
            && !self.new.title.is_empty()
            && key(&self.old.title) != key(&self.new.title)
        {
            out.push(Doubt::Titles {
                old: self.old.title.clone(),
                new: self.new.title.clone(),
            });
        }
        let share = self.shared_wording();
        if share < FEW_SHARED {
            out.push(Doubt::FewShared(share));
        }
        out
    }
}

/// Aligns and diffs two versions, single-threaded.
pub fn diff(old: &Statute, new: &Statute) -> ChangeSet {
    diff_threads(old, new, 1)
}

/// Aligns and diffs two versions with up to `threads` threads (the result is the same for
/// any number).
pub fn diff_threads(old: &Statute, new: &Statute, threads: usize) -> ChangeSet {
    let (alignment, op, np) = align::align_units(old, new, threads);
    classify::build(old, new, &alignment, (&op, &np), threads)
}
