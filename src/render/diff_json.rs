//! `statute-diff/1`: the JSON wire format of a [`ChangeSet`] (`statute diff --format json`).
//!
//! Own serde types, decoupled from the engine's structs; field meanings are documented in
//! ARCHITECTURE.md.

use std::io::{self, Write};

use serde::Serialize;

use crate::diff::{ChangeSet, Entry, EntryKind, LineChange, LineRef, Segment, UnitRef};

/// Schema identifier written in every document.
pub const SCHEMA: &str = "statute-diff/1";

#[derive(Serialize)]
pub struct Doc<'a> {
    pub schema: &'static str,
    pub old: Version<'a>,
    pub new: Version<'a>,
    pub summary: Summary,
    /// `true` when some change is substantive (the exit code is then 1).
    pub substantive: bool,
    pub articles: Vec<Article<'a>>,
    pub headings: Vec<Heading<'a>>,
    /// Changed text outside the units (preamble, introductions, closing, annex titles).
    pub texts: Vec<Text<'a>>,
}

#[derive(Serialize)]
pub struct Text<'a> {
    pub path: &'a [String],
    pub old: Option<&'a str>,
    pub new: Option<&'a str>,
    pub substantive: bool,
    pub diff: Vec<Seg<'a>>,
}

#[derive(Serialize)]
pub struct Version<'a> {
    pub title: &'a str,
    /// The version date, `YYYY-MM-DD`, when known.
    pub version: Option<String>,
    /// Number of units (articles, points or paragraphs).
    pub units: usize,
}

#[derive(Serialize)]
pub struct Summary {
    pub unchanged: usize,
    pub modified: usize,
    pub added: usize,
    pub deleted: usize,
    pub split: usize,
    pub merged: usize,
    pub renumbered: usize,
    pub moved: usize,
    pub substantive: usize,
    pub formal: usize,
}

#[derive(Serialize)]
pub struct Article<'a> {
    /// unchanged, modified, added, deleted, split, merged.
    pub kind: &'static str,
    /// Citation labels of the old units (第三条; 一; ¶3).
    pub old: Vec<&'a str>,
    pub new: Vec<&'a str>,
    /// Positions of those units in each version (0-based, document order).
    pub old_index: Vec<usize>,
    pub new_index: Vec<usize>,
    /// Headings above the first old / new unit, outermost first.
    pub old_path: &'a [String],
    pub new_path: &'a [String],
    pub renumbered: bool,
    pub moved: bool,
    pub substantive: bool,
    pub similarity: f64,
    /// Line-level (款/项/目) changes; empty for unchanged entries.
    pub paragraphs: Vec<Paragraph<'a>>,
    pub diff: Vec<Seg<'a>>,
}

#[derive(Serialize)]
pub struct Paragraph<'a> {
    /// equal, modified, added, deleted.
    pub op: &'static str,
    pub old: Option<Position>,
    pub new: Option<Position>,
    pub substantive: bool,
    pub diff: Vec<Seg<'a>>,
}

/// Where a line stands: unit (index within the entry), 款, 项, 目 (1-based).
#[derive(Serialize)]
pub struct Position {
    pub unit: usize,
    pub paragraph: usize,
    pub item: Option<usize>,
    pub subitem: Option<usize>,
}

#[derive(Serialize)]
pub struct Seg<'a> {
    /// equal, insert, delete.
    pub op: &'static str,
    pub text: &'a str,
}

#[derive(Serialize)]
pub struct Heading<'a> {
    /// added, deleted, renamed, renumbered, renumbered_renamed.
    pub kind: &'static str,
    pub old: Option<&'a str>,
    pub new: Option<&'a str>,
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
        summary: Summary {
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
        },
        substantive: cs.has_substantive_changes(),
        articles: cs.entries.iter().map(article).collect(),
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
    }
}

/// Writes the document as one JSON object and a newline.
pub fn write(cs: &ChangeSet, pretty: bool, out: &mut impl Write) -> io::Result<()> {
    let d = doc(cs);
    if pretty {
        serde_json::to_writer_pretty(&mut *out, &d)?;
    } else {
        serde_json::to_writer(&mut *out, &d)?;
    }
    writeln!(out)
}

const NO_PATH: &[String] = &[];

fn labels(v: &[UnitRef]) -> Vec<&str> {
    v.iter().map(|u| u.label.as_str()).collect()
}

fn article(e: &Entry) -> Article<'_> {
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

fn position(r: LineRef) -> Position {
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
