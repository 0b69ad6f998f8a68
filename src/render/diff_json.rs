//! `statute-diff/1`: the JSON wire format of a [`ChangeSet`] (`statute diff --format json`).
//!
//! Own serde types, decoupled from the engine's structs; field meanings are documented in
//! ARCHITECTURE.md.

use std::io::{self, Write};

use schemars::JsonSchema;
use serde::Serialize;

use crate::diff::{ChangeSet, Entry, EntryKind, LineChange, LineRef, Segment, UnitRef};

/// Schema identifier written in every document.
pub const SCHEMA: &str = "statute-diff/1";

#[derive(Serialize, JsonSchema)]
pub struct Doc<'a> {
    /// Always `"statute-diff/1"`.
    #[schemars(extend("const" = "statute-diff/1"))]
    pub schema: &'static str,
    /// The old version.
    pub old: Version<'a>,
    /// The new version.
    pub new: Version<'a>,
    /// Counts of entries by kind and flag.
    pub summary: Summary,
    /// `true` when some change is substantive (the exit code is then 1).
    pub substantive: bool,
    /// One entry per aligned group of units, in the new version's order, deletions after
    /// their old predecessor. Every unit of each version is in exactly one entry.
    pub articles: Vec<Article<'a>>,
    /// Changed headings (编/章/节 …).
    pub headings: Vec<Heading<'a>>,
    /// Changed text outside the units (preamble, introductions, closing, annex titles).
    pub texts: Vec<Text<'a>>,
    /// Editorial notes and footnotes added, removed or reworded. Notes are no part of the
    /// statute: they never make a change substantive.
    pub notes: Vec<NoteDoc<'a>>,
}

#[derive(Serialize, JsonSchema)]
pub struct NoteDoc<'a> {
    /// added, deleted, modified.
    pub op: &'static str,
    /// The note as it stood; null when added.
    pub old: Option<NoteSide<'a>>,
    /// The note as it stands; null when removed.
    pub new: Option<NoteSide<'a>>,
    /// Character diff of the note.
    pub diff: Vec<Seg<'a>>,
}

#[derive(Serialize, JsonSchema)]
pub struct NoteSide<'a> {
    /// Marker and text as written (① 刑法、历次刑法修正案…; 注：表1、2略。).
    pub text: &'a str,
    /// The label of the unit the note trails, when it trails one.
    pub after: Option<&'a str>,
    /// `footnote` (its glyph is used in the text) or `note` (an editorial note without an
    /// anchor).
    pub kind: &'static str,
}

#[derive(Serialize, JsonSchema)]
pub struct Text<'a> {
    /// Where the block stands: enclosing headings (序言), empty at the top of the body, or
    /// 落款, 附件.
    pub path: &'a [String],
    /// The block before; null where it did not exist.
    pub old: Option<&'a str>,
    /// The block after; null where it no longer exists.
    pub new: Option<&'a str>,
    /// False when the block changed in formal ways only, or its lines moved from or into
    /// the units or the header of the other version.
    pub substantive: bool,
    /// Character diff of the block.
    pub diff: Vec<Seg<'a>>,
}

#[derive(Serialize, JsonSchema)]
pub struct Version<'a> {
    /// The title of the version.
    pub title: &'a str,
    /// The version date, `YYYY-MM-DD`, when known.
    pub version: Option<String>,
    /// Number of units (articles, points or paragraphs).
    pub units: usize,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, JsonSchema)]
pub struct Summary {
    /// Entries with the same text (perhaps renumbered or moved).
    pub unchanged: usize,
    /// Entries whose text changed (substantively or formally).
    pub modified: usize,
    /// Units added.
    pub added: usize,
    /// Units deleted.
    pub deleted: usize,
    /// Old units split into several new ones.
    pub split: usize,
    /// New units that several old ones were merged into.
    pub merged: usize,
    /// Entries whose number changed.
    pub renumbered: usize,
    /// Entries that left their place (another chapter or section, or out of sequence).
    pub moved: usize,
    /// Entries that changed substantively.
    pub substantive: usize,
    /// Modified entries whose differences are formal only.
    pub formal: usize,
    /// Entries with the same wording in another structure (`restructured`).
    pub restructured: usize,
}

#[derive(Serialize, JsonSchema)]
pub struct Article<'a> {
    /// unchanged, modified, added, deleted, split, merged.
    pub kind: &'static str,
    /// Citation labels of the old units (第三条; 一; ¶3).
    pub old: Vec<&'a str>,
    /// Citation labels of the new units.
    pub new: Vec<&'a str>,
    /// Positions of those units in each version (0-based, document order).
    pub old_index: Vec<usize>,
    /// Positions of the new units.
    pub new_index: Vec<usize>,
    /// Headings above the first old unit, outermost first.
    pub old_path: &'a [String],
    /// Headings above the first new unit, outermost first.
    pub new_path: &'a [String],
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
    /// Line-level (款/项/目) changes; empty for unchanged entries.
    pub paragraphs: Vec<Paragraph<'a>>,
    /// Character diff of the whole entry, lines joined by `\n`: the old text is the equal
    /// and delete segments, the new text the equal and insert segments.
    pub diff: Vec<Seg<'a>>,
}

#[derive(Serialize, JsonSchema)]
pub struct Paragraph<'a> {
    /// equal, modified, added, deleted.
    pub op: &'static str,
    /// Where the line stood; null for an added line.
    pub old: Option<Position>,
    /// Where it stands; null for a deleted line.
    pub new: Option<Position>,
    /// False when the line differs in formal ways only.
    pub substantive: bool,
    /// Character diff of the line.
    pub diff: Vec<Seg<'a>>,
}

/// Where a line stands: unit (index within the entry), 款, 项, 目 (1-based).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, JsonSchema)]
pub struct Position {
    /// Which unit of the entry (0 unless split or merged).
    pub unit: usize,
    /// 1-based 款.
    pub paragraph: usize,
    /// 1-based 项, when the line is an item.
    pub item: Option<usize>,
    /// 1-based 目, when the line is a sub-item.
    pub subitem: Option<usize>,
}

#[derive(Serialize, JsonSchema)]
pub struct Seg<'a> {
    /// equal, insert, delete.
    pub op: &'static str,
    /// The text of the run.
    pub text: &'a str,
}

#[derive(Serialize, JsonSchema)]
pub struct Heading<'a> {
    /// added, deleted, renamed, renumbered, renumbered_renamed.
    pub kind: &'static str,
    /// The heading as it stood; null when added.
    pub old: Option<&'a str>,
    /// The heading as it stands; null when deleted.
    pub new: Option<&'a str>,
    /// Enclosing headings, outermost first.
    pub path: &'a [String],
}

/// Builds the wire document.
pub fn doc(cs: &ChangeSet) -> Doc<'_> {
    let s = &cs.summary;
    Doc {
        schema: SCHEMA,
        old: Version {
            title: &cs.old.title,
            version: cs.old.version_date.map(|d| d.to_string()),
            units: cs.old.units,
        },
        new: Version {
            title: &cs.new.title,
            version: cs.new.version_date.map(|d| d.to_string()),
            units: cs.new.units,
        },
        summary: summary(s),
        substantive: cs.has_substantive_changes(),
        articles: cs.entries.iter().map(doc_article).collect(),
        headings: cs
            .headings
            .iter()
            .map(|h| Heading {
                kind: h.kind.as_str(),
                old: h.old.as_deref(),
                new: h.new.as_deref(),
                path: &h.path,
            })
            .collect(),
        texts: cs
            .texts
            .iter()
            .map(|t| Text {
                path: &t.path,
                old: t.old.as_deref(),
                new: t.new.as_deref(),
                substantive: t.substantive,
                diff: segs(&t.diff),
            })
            .collect(),
        notes: cs.notes.iter().map(note).collect(),
    }
}

fn note_side(r: &Option<crate::diff::NoteRef>) -> Option<NoteSide<'_>> {
    r.as_ref().map(|r| NoteSide {
        text: &r.text,
        after: r.after.as_deref(),
        kind: if r.footnote { "footnote" } else { "note" },
    })
}

fn note(n: &crate::diff::NoteChange) -> NoteDoc<'_> {
    let side = note_side;
    NoteDoc {
        op: match (&n.old, &n.new) {
            (None, _) => "added",
            (_, None) => "deleted",
            _ => "modified",
        },
        old: side(&n.old),
        new: side(&n.new),
        diff: segs(&n.diff),
    }
}

/// Writes the document as one JSON object and a newline.
pub fn write(cs: &ChangeSet, pretty: bool, out: &mut impl Write) -> io::Result<()> {
    super::write_json(out, &doc(cs), pretty)
}

/// The wire form of the summary counts.
pub fn summary(s: &crate::diff::Summary) -> Summary {
    Summary {
        unchanged: s.unchanged,
        modified: s.modified,
        added: s.added,
        deleted: s.deleted,
        split: s.split,
        merged: s.merged,
        renumbered: s.renumbered,
        moved: s.moved,
        substantive: s.substantive,
        formal: s.formal,
        restructured: s.restructured,
    }
}

const NO_PATH: &[String] = &[];

fn labels(v: &[UnitRef]) -> Vec<&str> {
    v.iter().map(|u| u.label.as_str()).collect()
}

/// The wire form of one entry.
pub fn doc_article(e: &Entry) -> Article<'_> {
    Article {
        kind: e.kind.as_str(),
        old: labels(&e.old),
        new: labels(&e.new),
        old_index: e.old.iter().map(|u| u.index).collect(),
        new_index: e.new.iter().map(|u| u.index).collect(),
        old_path: e.old.first().map_or(NO_PATH, |u| u.path.as_slice()),
        new_path: e.new.first().map_or(NO_PATH, |u| u.path.as_slice()),
        renumbered: e.renumbered,
        moved: e.moved,
        substantive: e.substantive,
        restructured: e.restructured,
        similarity: (e.similarity * 1000.0).round() / 1000.0,
        // Unchanged entries carry their text in `diff`; line detail is for changes.
        paragraphs: if e.kind == EntryKind::Unchanged {
            Vec::new()
        } else {
            e.lines.iter().map(paragraph).collect()
        },
        diff: segs(&e.diff),
    }
}

fn paragraph(l: &LineChange) -> Paragraph<'_> {
    Paragraph {
        op: l.op.as_str(),
        old: l.old.map(position),
        new: l.new.map(position),
        substantive: l.substantive,
        diff: segs(&l.diff),
    }
}

/// The wire form of a line position.
pub fn position(r: LineRef) -> Position {
    Position {
        unit: r.unit,
        paragraph: r.para,
        item: r.item,
        subitem: r.subitem,
    }
}

fn segs(s: &[Segment]) -> Vec<Seg<'_>> {
    s.iter()
        .map(|s| Seg {
            op: s.op.as_str(),
            text: &s.text,
        })
        .collect()
}
