//! `statute-feed/1`: the wire types of one feed event (a line of `statute feed --format
//! jsonl`). Own serde types, decoupled from the engine's structs; the doc comment of every
//! field is its documentation, and becomes its `description` in `schema/statute-feed-1.json`.

use crate::diff::event::VersionKind;
use schemars::JsonSchema;
use serde::Serialize;

pub use crate::render::diff_json::{Position, Summary};

/// Schema identifier written in every event.
pub const SCHEMA: &str = "statute-feed/1";

/// One version of one statute, and what it changed.
#[derive(Debug, Clone, PartialEq, Serialize, JsonSchema)]
pub struct Event {
    /// Always `"statute-feed/1"`.
    #[schemars(extend("const" = "statute-feed/1"))]
    pub schema: String,
    /// Stable event id: `<statute-id>/<version>`, the name of the version's tag in the store
    /// (`refs/tags/<statute-id>/<version>`). The Atom entry id is `tag:statute@localhost,2026:`
    /// followed by it.
    pub id: String,
    /// Position of this event in the feed: `<version-date>/<statute-id>/<n>`, `n` being 1 for
    /// the first version of that date, 2 for a second text of the same date. Events are
    /// ordered by (date, statute id, n); pass the last cursor seen to `--since` to get only
    /// the events after it.
    pub cursor: String,
    /// What the version did: `enacted` (the statute's first version in the store), `amended`,
    /// `revised` (most of the text changed, or the 题注 names a 修订), `corrected` (formal
    /// changes only), `repealed` (the version marks the statute 已废止/失效).
    pub kind: EventKind,
    /// The statute.
    pub statute: StatuteRef,
    /// The version's label: its date, `YYYY-MM-DD`, with `.N` for the N-th text of one date.
    pub version: String,
    /// The version date (the date of the act that produced this text), `YYYY-MM-DD`.
    pub version_date: String,
    /// The date the version takes effect (施行), `YYYY-MM-DD`, when known.
    pub effective: Option<String>,
    /// 时效性 as the version records it (有效, 已修改, 已废止 …), when known.
    pub status: Option<String>,
    /// The label of the previous version; null for the first.
    pub previous: Option<String>,
    /// The git commit of this version in the store (40 hex digits).
    pub commit: String,
    /// The git commit of the previous version; null for the first.
    pub previous_commit: Option<String>,
    /// The act behind this version as its 题注 names it (the entry dated on the version date,
    /// else the latest 修正/修订 since the previous version); null when the 题注 has none.
    pub act: Option<Act>,
    /// Counts of the comparison with the previous version (as in `statute-diff/1`); null for
    /// the first version.
    pub summary: Option<Summary>,
    /// The Chinese summary line (新增 n 条，删除 n 条，修改 n 条 …); null for the first version.
    pub summary_text: Option<String>,
    /// True when something changed substantively (an article, a heading other than by
    /// renumbering, or text outside the articles); true for the first version.
    pub substantive: bool,
    /// Every entry of the comparison that is not plainly unchanged (changed, added, deleted,
    /// split, merged, or unchanged but renumbered or moved), in the new version's order,
    /// deletions after their old predecessor. Empty for the first version.
    pub changes: Vec<Change>,
    /// Changed headings (编/章/节 added, deleted, renamed, renumbered).
    pub headings: Vec<Heading>,
    /// The citations by other stored statutes that this version made stale: each pointed at
    /// the right article of the previous version and no longer does (renumbered, split,
    /// merged, deleted). A citation means the version in force at its own version's date.
    /// Empty for a first version, and when the store has no citation index (`statute
    /// reindex` builds it).
    pub affected_citations: Vec<AffectedCitation>,
}

/// A citation an amendment made stale.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, JsonSchema)]
pub struct AffectedCitation {
    /// The citing statute's id.
    pub statute: String,
    /// Its latest title.
    pub title: String,
    /// The citing version.
    pub version: String,
    /// The citing unit's label (第二条); null for text outside units.
    pub unit: Option<String>,
    /// The citation as written (公司法第七十一条第三款).
    pub text: String,
    /// The article as cited (第七十一条).
    pub article: String,
    /// Its label in the previous version.
    pub old: String,
    /// Its labels in this version (several after a split); empty when deleted.
    pub new: Vec<String>,
    /// `renumbered`, `split`, `merged` or `deleted`.
    pub status: String,
}

/// What a version did to its statute.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Serialize, JsonSchema)]
#[serde(rename_all = "snake_case")]
pub enum EventKind {
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

impl From<VersionKind> for EventKind {
    fn from(k: VersionKind) -> EventKind {
        match k {
            VersionKind::Enacted => EventKind::Enacted,
            VersionKind::Amended => EventKind::Amended,
            VersionKind::Revised => EventKind::Revised,
            VersionKind::Corrected => EventKind::Corrected,
            VersionKind::Repealed => EventKind::Repealed,
        }
    }
}

impl From<EventKind> for VersionKind {
    fn from(k: EventKind) -> VersionKind {
        match k {
            EventKind::Enacted => VersionKind::Enacted,
            EventKind::Amended => VersionKind::Amended,
            EventKind::Revised => VersionKind::Revised,
            EventKind::Corrected => VersionKind::Corrected,
            EventKind::Repealed => VersionKind::Repealed,
        }
    }
}

impl EventKind {
    pub fn as_str(self) -> &'static str {
        VersionKind::from(self).as_str()
    }

    /// The Chinese name used in the Atom output.
    pub fn as_zh(self) -> &'static str {
        VersionKind::from(self).as_zh()
    }
}

/// A statute, as the store names it.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, JsonSchema)]
pub struct StatuteRef {
    /// The statute id in the store (its name without unsafe characters, `-`, 8 hex digits).
    pub id: String,
    /// Its title, with `·` and the subtitle when it has one.
    pub title: String,
}

/// An entry of the 题注.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, JsonSchema)]
pub struct Act {
    /// 通过, 批准, 修正, 修订, 公布, 施行, 废止 or 其他.
    pub kind: String,
    /// Its date, `YYYY-MM-DD`, when the entry has one.
    pub date: Option<String>,
    /// The amending act named in it, without 《》 (关于修改〈…〉的决定), when there is one.
    pub name: Option<String>,
    /// The body that acted (第十二届全国人民代表大会第三次会议), when named.
    pub body: Option<String>,
    /// The entry as written.
    pub text: String,
    /// The git blob id of the act's file when this version was made by applying it
    /// (`statute import --act`); null for a version imported as a consolidated text.
    pub blob: Option<String>,
}

/// Akoma Ntoso (LegalDocML) `textualMod/@type` values.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, JsonSchema)]
#[serde(rename_all = "snake_case")]
pub enum TextualMod {
    /// An article added.
    Insertion,
    /// An article deleted.
    Repeal,
    /// An article's text changed.
    Substitution,
    /// An article's number changed.
    Renumbering,
    /// One article divided into several.
    Split,
    /// Several articles joined into one.
    Join,
}

/// One entry of the comparison: which articles of the old version became which of the new.
#[derive(Debug, Clone, PartialEq, Serialize, JsonSchema)]
pub struct Change {
    /// `unchanged` (same text, renumbered or moved), `modified`, `added`, `deleted`, `split`,
    /// `merged`, as in `statute-diff/1`.
    pub kind: String,
    /// The Akoma Ntoso textual modifications this entry amounts to: added → insertion,
    /// deleted → repeal, modified → substitution, number changed → renumbering, split → split,
    /// merged → join. Empty for an article moved (to another chapter, or out of sequence)
    /// with the same number and text: AKN has no move; `moved` says it.
    pub textual_mods: Vec<TextualMod>,
    /// Citation labels of the old units (第三条, 第十条之一; 一 for points; ¶3 for paragraphs;
    /// annex units prefixed with the annex).
    pub old: Vec<String>,
    /// Citation labels of the new units.
    pub new: Vec<String>,
    /// Lineage ids of the old units, in the order of `old`.
    pub old_ids: Vec<String>,
    /// Lineage ids of the new units, in the order of `new`. A 1:1 entry keeps the old id; an
    /// added article, each part of a split and the result of a merge get a new id
    /// (`<statute-id>/<version>/<label>`), whose parents are `old_ids`.
    pub new_ids: Vec<String>,
    /// Positions of the old units in the old version (0-based, document order).
    pub old_index: Vec<usize>,
    /// Positions of the new units in the new version.
    pub new_index: Vec<usize>,
    /// Headings above the first old unit, outermost first.
    pub old_path: Vec<String>,
    /// Headings above the first new unit.
    pub new_path: Vec<String>,
    /// The unit's number changed.
    pub renumbered: bool,
    /// The unit left its place: into another chapter or section, or out of sequence.
    pub moved: bool,
    /// False when the differences are formal only: the wording is the same (punctuation,
    /// widths, numbering, markup, line breaks and cross-references that follow the
    /// renumbering aside).
    pub substantive: bool,
    /// The same wording in another structure: paragraphs regrouped, units split or merged,
    /// points numbered in one version only, item numbering restyled, or a unit that is a
    /// header or closing line in the other version. Never substantive.
    pub restructured: bool,
    /// Bigram Dice similarity of old and new text, 0 to 1, three decimals.
    pub similarity: f64,
    /// Line-level (款/项/目) changes.
    pub paragraphs: Vec<Paragraph>,
    /// Character diff of the whole entry, lines joined by `\n`: the old text is the equal and
    /// delete segments, the new text the equal and insert segments.
    pub diff: Vec<Seg>,
    /// The numbers of the act's instructions (一、 → 1) that made this change, when the
    /// version was made by applying the act (`statute import --act`); empty otherwise.
    pub instructions: Vec<u32>,
}

/// One line (款, 项 or 目) of an entry.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, JsonSchema)]
pub struct Paragraph {
    /// `equal`, `modified`, `added`, `deleted`.
    pub op: String,
    /// Where the line stood in the old units; null for an added line.
    pub old: Option<Position>,
    /// Where it stands in the new units; null for a deleted line.
    pub new: Option<Position>,
    /// False when the line differs in formal ways only.
    pub substantive: bool,
    /// Character diff of the line.
    pub diff: Vec<Seg>,
}

/// A run of a character diff.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, JsonSchema)]
pub struct Seg {
    /// `equal`, `insert`, `delete`.
    pub op: String,
    /// The text of the run.
    pub text: String,
}

/// A changed heading.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, JsonSchema)]
pub struct Heading {
    /// `added`, `deleted`, `renamed`, `renumbered`, `renumbered_renamed`.
    pub kind: String,
    /// The heading as it stood (第三章 总则); null when added.
    pub old: Option<String>,
    /// The heading as it stands; null when deleted.
    pub new: Option<String>,
    /// Enclosing headings, outermost first.
    pub path: Vec<String>,
}
