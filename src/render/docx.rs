//! Word (.docx) output of a [`ChangeSet`]: the comparison table (原条文 | 修改后条文 | 修改类型,
//! A4 landscape) or the redline: both versions in one text (the change set's `layout`) with
//! every change as a Word tracked change (w:ins / w:del, paragraph marks included), so that
//! accepting every change gives the new version and rejecting every change the old one.
//!
//! docx-rs builds the document parts; they are packed here, not by docx-rs, so that the file is
//! byte-for-byte the same for the same input: zip entries carry a fixed timestamp and the ids of
//! the tracked changes (which docx-rs takes from a process-wide counter) are numbered from 1 in
//! document order. The table's header row is marked to repeat on every page by a like edit of
//! the XML, as docx-rs has no builder for it.

use std::collections::HashSet;
use std::io::{Cursor, Seek, Write};

use docx_rs::{
    AlignmentType, Delete, Docx, Insert, PageMargin, PageOrientationType, Paragraph, Run, RunFonts,
    Shading, SpecialIndentType, Table, TableCell, TableLayoutType, TableRow, WidthType, XMLDocx,
};
use zip::write::SimpleFileOptions;

use crate::diff::layout::{Piece, Presence};
use crate::diff::{ChangeSet, Entry, EntryKind, HeadingChange, Op, Segment, UnitRef, chars};
use crate::model::UnitNum;
use crate::render::report;

/// Which document to write.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub enum Layout {
    /// 原条文 | 修改后条文 | 修改类型, one row per entry, A4 landscape.
    #[default]
    Table,
    /// Both versions in one text, every change a tracked change a reader can accept (the new
    /// version) or reject (the old one).
    Redline,
}

/// Options of the Word output.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Options {
    pub layout: Layout,
    /// Author of the tracked changes (`w:author`) and of the document.
    pub author: String,
    /// Date of the tracked changes (`w:date`) and of the document, ISO 8601
    /// (`2025-06-30T00:00:00Z`). Never the wall clock, so that output is reproducible.
    pub date: String,
}

/// The author [`Options::new`] uses.
pub const DEFAULT_AUTHOR: &str = "statute";

impl Options {
    /// [`DEFAULT_AUTHOR`] and [`revision_date`] of `cs`.
    pub fn new(cs: &ChangeSet, layout: Layout) -> Options {
        Options {
            layout,
            author: DEFAULT_AUTHOR.to_string(),
            date: revision_date(cs),
        }
    }
}

/// The new version's date at midnight UTC (else the old version's, else 1970-01-01).
pub fn revision_date(cs: &ChangeSet) -> String {
    match cs.new.version_date.or(cs.old.version_date) {
        Some(d) => format!("{d}T00:00:00Z"),
        None => "1970-01-01T00:00:00Z".to_string(),
    }
}

/// What can go wrong writing a Word document.
#[derive(Debug, thiserror::Error)]
pub enum DocxError {
    #[error("invalid revision date {0:?}: expected ISO 8601 such as 2025-06-30T00:00:00Z")]
    Date(String),
    #[error("cannot pack the Word document: {0}")]
    Zip(#[from] zip::result::ZipError),
    #[error("cannot write the Word document: {0}")]
    Io(#[from] std::io::Error),
}

/// Writes `entries` (the caller's selection from `cs.entries`) as a .docx: the table in the
/// order given, with the summary line, heading changes and changed text outside articles from
/// `cs`; the redline in the order of `cs.layout`, with every heading and line outside the
/// articles (a selection short of every entry: unchanged headings only above a selected
/// entry, and no unchanged line outside the articles).
pub fn write(
    cs: &ChangeSet,
    entries: &[&Entry],
    opts: &Options,
    out: &mut impl Write,
) -> Result<(), DocxError> {
    if !valid_date(&opts.date) {
        return Err(DocxError::Date(opts.date.clone()));
    }
    let doc = match opts.layout {
        Layout::Table => table_document(cs, entries),
        Layout::Redline => redline_document(cs, entries, opts),
    };
    let mut xml = doc
        .created_at(&opts.date)
        .updated_at(&opts.date)
        .custom_property("generator", "statute")
        .build();
    xml.document = renumber_revisions(&xml.document);
    if opts.layout == Layout::Table {
        xml.document = repeat_header_row(&xml.document);
    }
    let buf = pack(xml, Cursor::new(Vec::new()))?;
    out.write_all(buf.get_ref())?;
    Ok(())
}

// ---------------------------------------------------------------------------------------------
// Common

/// 宋体 for Chinese, Times New Roman for Latin letters and digits.
fn fonts() -> RunFonts {
    RunFonts::new()
        .east_asia("宋体")
        .ascii("Times New Roman")
        .hi_ansi("Times New Roman")
        .cs("Times New Roman")
        .hint("eastAsia")
}

const DELETED_COLOR: &str = "C00000";
const INSERTED_COLOR: &str = "0050B4";
const NOTE_COLOR: &str = "595959";

/// A4 in twentieths of a point.
const A4_SHORT: u32 = 11906;
const A4_LONG: u32 = 16838;
/// 2 cm margins.
const MARGIN: i32 = 1134;

fn base(size_half_points: usize, landscape: bool) -> Docx {
    let margin = PageMargin::new()
        .top(MARGIN)
        .bottom(MARGIN)
        .left(MARGIN)
        .right(MARGIN)
        .header(567)
        .footer(567);
    let doc = Docx::new()
        .default_fonts(fonts())
        .default_size(size_half_points)
        .page_margin(margin);
    if landscape {
        doc.page_size(A4_LONG, A4_SHORT)
            .page_orient(PageOrientationType::Landscape)
    } else {
        doc.page_size(A4_SHORT, A4_LONG)
    }
}

/// Drops characters XML 1.0 cannot carry (C0 controls other than tab); newlines are split off
/// before text reaches a run.
fn clean(s: &str) -> String {
    s.chars()
        .filter(|&c| c == '\t' || !(c < ' ' || ('\u{7f}'..='\u{9f}').contains(&c)))
        .filter(|&c| !matches!(c, '\u{fffe}' | '\u{ffff}'))
        .collect()
}

fn date_or_unknown(d: Option<crate::model::Date>) -> String {
    d.map_or_else(|| "?".to_string(), |d| d.to_string())
}

fn title_line(cs: &ChangeSet) -> String {
    let old = date_or_unknown(cs.old.version_date);
    let new = date_or_unknown(cs.new.version_date);
    if cs.old.title == cs.new.title {
        format!("{old} → {new}")
    } else {
        format!("{}（{old}）→ {}（{new}）", cs.old.title, cs.new.title)
    }
}

fn plain(text: &str) -> Run {
    Run::new().add_text(clean(text))
}

fn note(text: &str) -> Run {
    plain(text).color(NOTE_COLOR).size(18)
}

/// Which side of an entry.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Side {
    Old,
    New,
}

/// For one side of `e`: the line (0-based, lines of the side's text joined by `\n` in
/// `e.diff`) at which each of its units starts, with the unit's label.
fn unit_starts(e: &Entry, side: Side) -> Vec<(usize, &str)> {
    unit_starts_by(e, side, |u| u.label.as_str())
}

/// [`unit_starts`] with what `f` makes of each unit.
fn unit_starts_by<'a, T>(
    e: &'a Entry,
    side: Side,
    f: impl Fn(&'a UnitRef) -> T,
) -> Vec<(usize, T)> {
    let units = match side {
        Side::Old => &e.old,
        Side::New => &e.new,
    };
    let mut starts = Vec::new();
    let mut line = 0;
    let mut last: Option<usize> = None;
    for l in &e.lines {
        let at = match side {
            Side::Old => l.old,
            Side::New => l.new,
        };
        let Some(at) = at else { continue };
        if last != Some(at.unit) {
            if let Some(u) = units.get(at.unit) {
                starts.push((line, f(u)));
            }
            last = Some(at.unit);
        }
        line += 1;
    }
    if starts.is_empty()
        && let Some(u) = units.first()
    {
        starts.push((0, f(u)));
    }
    starts
}

fn label_at<T: Clone>(starts: &[(usize, T)], line: usize) -> Option<T> {
    starts
        .iter()
        .find(|(l, _)| *l == line)
        .map(|(_, s)| s.clone())
}

/// Label followed by a full-width space, as statutes write 第一条　….
fn label_text(label: &str) -> String {
    format!("{}\u{3000}", clean(label))
}

/// A unit's number as the text writes it, for the redline (whose accepted text must be the
/// statute's): 第十条之一 and a full-width space; 一、 for a point; nothing for a paragraph
/// numbered by position (¶1 is the review's label, not text). Inside an annex without the
/// annex's name, which the review's label puts before it.
fn written_label(u: &UnitRef) -> String {
    match u.num {
        UnitNum::Article { .. } => label_text(&u.num.label()),
        UnitNum::Point(_) => format!("{}、", u.num.label()),
        UnitNum::Position(_) => String::new(),
    }
}

// ---------------------------------------------------------------------------------------------
// Table layout

/// Column widths (twentieths of a point) of 原条文 | 修改后条文 | 修改类型, filling the A4
/// landscape text width.
const COLUMNS: [usize; 3] = [6280, 6280, 2010];

fn table_document(cs: &ChangeSet, entries: &[&Entry]) -> Docx {
    let mut doc = base(21, true);
    doc = doc.add_paragraph(
        Paragraph::new().align(AlignmentType::Center).add_run(
            plain(&format!("{}修改对照表", cs.new.title))
                .bold()
                .size(32),
        ),
    );
    doc = doc.add_paragraph(
        Paragraph::new()
            .align(AlignmentType::Center)
            .add_run(plain(&title_line(cs))),
    );
    doc = doc.add_paragraph(Paragraph::new().add_run(plain(&cs.summary_line())));
    if !cs.headings.is_empty() {
        doc = doc.add_paragraph(Paragraph::new().add_run(plain("章节标题变化").bold()));
        for h in &cs.headings {
            let mut p = Paragraph::new()
                .add_run(plain(&format!("［{}］", report::kind_zh_heading(h.kind))));
            for run in marked_runs(&heading_diff(h)) {
                p = p.add_run(run);
            }
            doc = doc.add_paragraph(p);
        }
    }
    if !cs.texts.is_empty() {
        doc = doc.add_paragraph(Paragraph::new().add_run(plain("条文以外的文字变化").bold()));
        for t in &cs.texts {
            let place = super::report::text_place(t);
            let what = super::report::text_kind(t);
            let mut p = Paragraph::new().add_run(plain(&format!("［{place}，{what}］")));
            for run in marked_runs(&t.diff) {
                p = p.add_run(run);
            }
            doc = doc.add_paragraph(p);
        }
    }
    if !cs.notes.is_empty() {
        doc = doc.add_paragraph(Paragraph::new().add_run(plain("注释变化（非条文修改）").bold()));
        for n in &cs.notes {
            let mut p = Paragraph::new().add_run(plain(&format!("［{}］", report::note_label(n))));
            for run in marked_runs(&n.diff) {
                p = p.add_run(run);
            }
            doc = doc.add_paragraph(p);
        }
    }
    let mut rows = vec![header_row()];
    rows.extend(entries.iter().map(|e| entry_row(e)));
    let width = COLUMNS.iter().sum();
    doc.add_table(
        Table::new(rows)
            .set_grid(COLUMNS.to_vec())
            .width(width, WidthType::Dxa)
            .layout(TableLayoutType::Fixed),
    )
}

fn header_row() -> TableRow {
    let cell = |text: &str, width: usize| {
        TableCell::new()
            .width(width, WidthType::Dxa)
            .shading(Shading::new().fill("D9D9D9"))
            .add_paragraph(
                Paragraph::new()
                    .align(AlignmentType::Center)
                    .add_run(plain(text).bold()),
            )
    };
    TableRow::new(vec![
        cell("原条文", COLUMNS[0]),
        cell("修改后条文", COLUMNS[1]),
        cell("修改类型", COLUMNS[2]),
    ])
}

fn entry_row(e: &Entry) -> TableRow {
    TableRow::new(vec![
        side_cell(e, Side::Old).width(COLUMNS[0], WidthType::Dxa),
        side_cell(e, Side::New).width(COLUMNS[1], WidthType::Dxa),
        kind_cell(e).width(COLUMNS[2], WidthType::Dxa),
    ])
}

/// 修改类型 in Chinese: 修改 / 形式修改 / 新增 / 删除 / 拆分 / 合并, with 条序变化 and 移动; an
/// unchanged entry that was renumbered or moved is only that.
pub fn kind_text(e: &Entry) -> String {
    let mut flags = report::kind_flags(e);
    if e.kind == EntryKind::Unchanged && flags.len() > 1 {
        flags.remove(0);
    }
    flags.join("、")
}

fn kind_cell(e: &Entry) -> TableCell {
    let mut cell = TableCell::new().add_paragraph(
        Paragraph::new()
            .align(AlignmentType::Center)
            .add_run(plain(&kind_text(e)).bold()),
    );
    let path = e
        .new
        .first()
        .or(e.old.first())
        .map(|u| u.path.join(" / "))
        .unwrap_or_default();
    if !path.is_empty() {
        cell = cell.add_paragraph(
            Paragraph::new()
                .align(AlignmentType::Center)
                .add_run(note(&path)),
        );
    }
    cell
}

/// One side of the entry: its text line by line, each unit's label in bold at the start of
/// its first line; deletions struck through (old side), insertions underlined (new side).
fn side_cell(e: &Entry, side: Side) -> TableCell {
    let units = match side {
        Side::Old => &e.old,
        Side::New => &e.new,
    };
    if units.is_empty() {
        return TableCell::new().add_paragraph(Paragraph::new());
    }
    let starts = unit_starts(e, side);
    let start = |line: usize| {
        let p = Paragraph::new();
        match label_at(&starts, line) {
            Some(l) => p.add_run(plain(&label_text(l)).bold()),
            None => p,
        }
    };
    let mut paras = Vec::new();
    let mut line = 0;
    let mut cur = start(line);
    for seg in &e.diff {
        let keep = matches!(
            (seg.op, side),
            (Op::Equal, _) | (Op::Delete, Side::Old) | (Op::Insert, Side::New)
        );
        if !keep {
            continue;
        }
        for (k, piece) in seg.text.split('\n').enumerate() {
            if k > 0 {
                paras.push(cur);
                line += 1;
                cur = start(line);
            }
            if !piece.is_empty() {
                cur = cur.add_run(marked_run(seg.op, piece));
            }
        }
    }
    paras.push(cur);
    paras
        .into_iter()
        .fold(TableCell::new(), |c, p| c.add_paragraph(p))
}

/// A run of the table layout: deletions red and struck through, insertions blue, bold and
/// underlined.
fn marked_run(op: Op, text: &str) -> Run {
    match op {
        Op::Equal => plain(text),
        Op::Delete => plain(text).strike().color(DELETED_COLOR),
        Op::Insert => plain(text).underline("single").bold().color(INSERTED_COLOR),
    }
}

/// Runs of a diff on one line (newlines shown as ↵).
fn marked_runs(diff: &[crate::diff::Segment]) -> Vec<Run> {
    diff.iter()
        .filter(|s| !s.text.is_empty())
        .map(|s| marked_run(s.op, &s.text.replace('\n', "↵")))
        .collect()
}

fn heading_diff(h: &HeadingChange) -> Vec<crate::diff::Segment> {
    use crate::diff::Segment;
    match (&h.old, &h.new) {
        (Some(o), Some(n)) => chars::diff(o, n),
        (Some(o), None) => vec![Segment::new(Op::Delete, o.as_str())],
        (None, Some(n)) => vec![Segment::new(Op::Insert, n.as_str())],
        (None, None) => Vec::new(),
    }
}

// ---------------------------------------------------------------------------------------------
// Redline layout

/// Builds tracked runs with one author and date.
struct Tracker<'a> {
    author: &'a str,
    date: &'a str,
}

impl Tracker<'_> {
    fn add(&self, p: Paragraph, op: Op, text: &str, bold: bool) -> Paragraph {
        let text = clean(text);
        if text.is_empty() {
            return p;
        }
        let b = |r: Run| if bold { r.bold() } else { r };
        match op {
            Op::Equal => p.add_run(b(Run::new().add_text(text))),
            Op::Insert => p.add_insert(
                Insert::new(b(Run::new().add_text(text)))
                    .author(self.author)
                    .date(self.date),
            ),
            Op::Delete => p.add_delete(
                Delete::new()
                    .add_run(b(Run::new().add_delete_text(text)))
                    .author(self.author)
                    .date(self.date),
            ),
        }
    }

    /// Marks the paragraph mark itself inserted or deleted (so accepting a deletion joins the
    /// paragraph with the next one).
    fn mark(&self, p: Paragraph, op: Op) -> Paragraph {
        match op {
            Op::Equal => p,
            Op::Insert => p.insert(self.author, self.date),
            Op::Delete => p.delete(self.author, self.date),
        }
    }
}

fn article_paragraph() -> Paragraph {
    Paragraph::new()
        .indent(None, Some(SpecialIndentType::FirstLine(480)), None, None)
        .first_line_chars(200)
}

/// A 题注 line: centred, not bold.
fn header_paragraph() -> Paragraph {
    Paragraph::new().align(AlignmentType::Center)
}

fn heading_paragraph() -> Paragraph {
    Paragraph::new()
        .align(AlignmentType::Center)
        .keep_next(true)
}

fn redline_document(cs: &ChangeSet, entries: &[&Entry], opts: &Options) -> Docx {
    let author = clean(&opts.author);
    let t = Tracker {
        author: &author,
        date: &opts.date,
    };
    let mut doc = base(24, false);
    let mut title = Paragraph::new().align(AlignmentType::Center);
    for seg in chars::diff(&cs.old.title, &cs.new.title) {
        title = t.add(title, seg.op, &seg.text, true);
    }
    doc = doc.add_paragraph(title);
    doc = doc.add_paragraph(
        Paragraph::new()
            .align(AlignmentType::Center)
            .add_run(note(&format!(
                "{}　{}（修订者：{}）",
                title_line(cs),
                crate::parse::docx::REDLINE_NOTE,
                author
            ))),
    );
    // Both versions in one sequence (the change set's layout): what both have stands once,
    // as it reads or with its changes tracked; what one version has stands on its side only,
    // deleted or inserted, paragraph mark included. Accepting every change gives the new
    // version, rejecting every change the old one.
    let chosen = selection(cs, entries);
    let whole = chosen.iter().all(|&c| c);
    // With a selection, an unchanged heading waits for a selected entry under it, and
    // unchanged lines outside the units are left out.
    let mut pending: Vec<(usize, Paragraph)> = Vec::new();
    for piece in &cs.layout {
        match piece {
            Piece::Entry {
                entry,
                presence,
                unit,
            } => {
                let Some(e) = cs.entries.get(*entry) else {
                    continue;
                };
                if !chosen.get(*entry).copied().unwrap_or(false) {
                    continue;
                }
                doc = pending.drain(..).fold(doc, |d, (_, p)| d.add_paragraph(p));
                let paras = match presence {
                    Presence::Both => article_paragraphs(&t, e),
                    Presence::Old => side_paragraphs(&t, e, Side::Old, *unit),
                    Presence::New => side_paragraphs(&t, e, Side::New, *unit),
                };
                doc = paras.into_iter().fold(doc, Docx::add_paragraph);
            }
            Piece::Heading {
                depth,
                old,
                new,
                diff,
            } => {
                let p = heading_piece(&t, old.as_deref(), new.as_deref(), diff);
                if whole || old != new {
                    doc = pending.drain(..).fold(doc, |d, (_, p)| d.add_paragraph(p));
                    doc = doc.add_paragraph(p);
                } else {
                    pending.retain(|(d, _)| d < depth);
                    pending.push((*depth, p));
                }
            }
            Piece::Text {
                old,
                new,
                diff,
                header,
            } => {
                if whole || old != new {
                    doc = text_piece(&t, old.is_some(), new.is_some(), diff, *header)
                        .into_iter()
                        .fold(doc, Docx::add_paragraph);
                }
            }
        }
    }
    doc
}

/// Which entries of `cs` are among `entries` (the caller's selection, normally borrowed from
/// `cs.entries`; else compared by value).
fn selection(cs: &ChangeSet, entries: &[&Entry]) -> Vec<bool> {
    let ptrs: HashSet<*const Entry> = entries.iter().map(|e| *e as *const Entry).collect();
    let by_ptr: Vec<bool> = cs
        .entries
        .iter()
        .map(|e| ptrs.contains(&(e as *const Entry)))
        .collect();
    if by_ptr.iter().any(|&b| b) || entries.is_empty() {
        return by_ptr;
    }
    cs.entries.iter().map(|e| entries.contains(&e)).collect()
}

/// A heading of the layout: as it reads, its changes tracked, or deleted or inserted whole
/// (its paragraph mark too, so that accepting or rejecting leaves no empty paragraph).
fn heading_piece(t: &Tracker, old: Option<&str>, new: Option<&str>, diff: &[Segment]) -> Paragraph {
    let mut p = heading_paragraph();
    if old.is_some() && old == new {
        return t.add(p, Op::Equal, new.unwrap_or_default(), true);
    }
    for seg in diff {
        p = t.add(p, seg.op, &seg.text, true);
    }
    match (old, new) {
        (None, Some(_)) => t.mark(p, Op::Insert),
        (Some(_), None) => t.mark(p, Op::Delete),
        _ => p,
    }
}

/// A line outside the units: as it reads, its changes tracked, or deleted or inserted whole. A
/// 题注 line (`header`) is centred under the title, as official texts print it (and as the
/// reader knows the header of a redline).
fn text_piece(t: &Tracker, old: bool, new: bool, diff: &[Segment], header: bool) -> Vec<Paragraph> {
    let last = match (old, new) {
        (false, true) => Op::Insert,
        (true, false) => Op::Delete,
        _ => Op::Equal,
    };
    let sides = Sides {
        old: old.then(Vec::new),
        new: new.then(Vec::new),
    };
    let para = if header {
        header_paragraph
    } else {
        article_paragraph
    };
    tracked_paragraphs(t, diff, &sides, last, para)
}

/// One side of an entry only, deleted whole (`Side::Old`) or inserted whole: where an entry
/// that moved stood, and where it now stands. `unit`: only that unit of the side (its index
/// in the entry's `old` or `new`).
fn side_paragraphs(t: &Tracker, e: &Entry, side: Side, unit: Option<usize>) -> Vec<Paragraph> {
    let (keep, op) = match side {
        Side::Old => (Op::Delete, Op::Delete),
        Side::New => (Op::Insert, Op::Insert),
    };
    let text: String = e
        .diff
        .iter()
        .filter(|s| s.op == Op::Equal || s.op == keep)
        .map(|s| s.text.as_str())
        .collect();
    let mut labels = unit_starts_by(e, side, |u| (u.index, written_label(u)));
    labels.sort_by_key(|(line, _)| *line);
    let lines: Vec<&str> = text.split('\n').collect();
    let (from, to) = match unit.and_then(|k| {
        let units = match side {
            Side::Old => &e.old,
            Side::New => &e.new,
        };
        let index = units.get(k)?.index;
        let at = labels.iter().position(|(_, (i, _))| *i == index)?;
        let from = labels[at].0;
        let to = labels.get(at + 1).map_or(lines.len(), |(l, _)| *l);
        Some((from, to))
    }) {
        Some(range) => range,
        None => (0, lines.len()),
    };
    let part = lines.get(from..to).unwrap_or_default().join("\n");
    let labels: Vec<(usize, String)> = labels
        .into_iter()
        .filter(|(l, _)| (from..to).contains(l))
        .map(|(l, (_, label))| (l - from, label))
        .collect();
    let sides = match side {
        Side::Old => Sides {
            old: Some(labels),
            new: None,
        },
        Side::New => Sides {
            old: None,
            new: Some(labels),
        },
    };
    tracked_paragraphs(t, &[Segment::new(op, part)], &sides, op, article_paragraph)
}

/// The entry's text as tracked changes, one paragraph per line (款, 项, 目), labels at the
/// start of each unit: a label only the old side has is deleted, one only the new side has
/// is inserted, a changed number is both.
fn article_paragraphs(t: &Tracker, e: &Entry) -> Vec<Paragraph> {
    let last = match e.kind {
        EntryKind::Added => Op::Insert,
        EntryKind::Deleted => Op::Delete,
        _ => Op::Equal,
    };
    let sides = Sides {
        old: (!e.old.is_empty()).then(|| unit_starts_by(e, Side::Old, written_label)),
        new: (!e.new.is_empty()).then(|| unit_starts_by(e, Side::New, written_label)),
    };
    tracked_paragraphs(t, &e.diff, &sides, last, article_paragraph)
}

/// Where each side's units start (line, label); `None` for a side that does not exist.
struct Sides {
    old: Option<Vec<(usize, String)>>,
    new: Option<Vec<(usize, String)>>,
}

/// A diff as paragraphs: each segment a plain run, a w:ins or a w:del; each newline the mark
/// of the paragraph it ends, tracked like its segment; `last` the final paragraph's mark.
fn tracked_paragraphs(
    t: &Tracker,
    diff: &[Segment],
    sides: &Sides,
    last: Op,
    para: fn() -> Paragraph,
) -> Vec<Paragraph> {
    let start = |old_line: Option<usize>, new_line: Option<usize>| {
        let mut p = para();
        let ol = old_line
            .zip(sides.old.as_deref())
            .and_then(|(l, s)| label_at(s, l));
        let nl = new_line
            .zip(sides.new.as_deref())
            .and_then(|(l, s)| label_at(s, l));
        match (ol, nl) {
            (Some(o), Some(n)) if o == n => p = t.add(p, Op::Equal, &n, true),
            (o, n) => {
                if let Some(o) = o {
                    p = t.add(p, Op::Delete, &o, true);
                }
                if let Some(n) = n {
                    p = t.add(p, Op::Insert, &n, true);
                }
            }
        }
        p
    };
    let (mut old_line, mut new_line) = (0, 0);
    let mut paras = Vec::new();
    let mut cur = start(Some(0), Some(0));
    for seg in diff {
        for (k, piece) in seg.text.split('\n').enumerate() {
            if k > 0 {
                // The newline is this paragraph's mark: deleted, inserted or kept.
                paras.push(t.mark(cur, seg.op));
                let in_old = seg.op != Op::Insert;
                let in_new = seg.op != Op::Delete;
                old_line += usize::from(in_old);
                new_line += usize::from(in_new);
                cur = start(in_old.then_some(old_line), in_new.then_some(new_line));
            }
            cur = t.add(cur, seg.op, piece, false);
        }
    }
    paras.push(t.mark(cur, last));
    paras
}

// ---------------------------------------------------------------------------------------------
// Packing

/// docx-rs numbers `w:ins` / `w:del` from a process-wide counter, so the same document built
/// twice (or beside another in a thread) would get other ids; numbers them from 1 instead.
fn renumber_revisions(xml: &[u8]) -> Vec<u8> {
    const INS: &[u8] = b"<w:ins w:id=\"";
    const DEL: &[u8] = b"<w:del w:id=\"";
    let mut out = Vec::with_capacity(xml.len() + 64);
    let mut next = 1usize;
    let mut i = 0;
    while let Some(off) = xml[i..].iter().position(|&b| b == b'<') {
        let at = i + off;
        out.extend_from_slice(&xml[i..at]);
        let rest = &xml[at..];
        if rest.starts_with(INS) || rest.starts_with(DEL) {
            out.extend_from_slice(&rest[..INS.len()]);
            let digits = rest[INS.len()..]
                .iter()
                .take_while(|b| b.is_ascii_digit())
                .count();
            out.extend_from_slice(next.to_string().as_bytes());
            next += 1;
            i = at + INS.len() + digits;
        } else {
            out.push(b'<');
            i = at + 1;
        }
    }
    out.extend_from_slice(&xml[i..]);
    out
}

/// Marks the first table row (the header 原条文 | 修改后条文 | 修改类型) to repeat on every page
/// (`w:tblHeader`, which docx-rs has no builder for).
fn repeat_header_row(xml: &[u8]) -> Vec<u8> {
    const ROW: &[u8] = b"<w:tr><w:trPr />";
    const HEADER: &[u8] = b"<w:tr><w:trPr><w:tblHeader /></w:trPr>";
    match xml.windows(ROW.len()).position(|w| w == ROW) {
        Some(at) => [&xml[..at], HEADER, &xml[at + ROW.len()..]].concat(),
        None => xml.to_vec(),
    }
}

/// Packs the parts as docx-rs would, deflated, every entry dated 1980-01-01 (zip's epoch).
fn pack<W: Write + Seek>(xml: XMLDocx, w: W) -> zip::result::ZipResult<W> {
    let mut zip = zip::ZipWriter::new(w);
    let opts = SimpleFileOptions::default()
        .compression_method(zip::CompressionMethod::Deflated)
        .last_modified_time(zip::DateTime::DEFAULT)
        .unix_permissions(0o644);
    let mut parts: Vec<(String, &[u8])> = vec![
        ("[Content_Types].xml".into(), &xml.content_type),
        ("_rels/.rels".into(), &xml.rels),
        ("docProps/app.xml".into(), &xml.doc_props.app),
        ("docProps/core.xml".into(), &xml.doc_props.core),
        ("docProps/custom.xml".into(), &xml.doc_props.custom),
        ("word/_rels/document.xml.rels".into(), &xml.document_rels),
        ("word/document.xml".into(), &xml.document),
        ("word/styles.xml".into(), &xml.styles),
        ("word/settings.xml".into(), &xml.settings),
        ("word/fontTable.xml".into(), &xml.font_table),
        ("word/comments.xml".into(), &xml.comments),
        ("word/numbering.xml".into(), &xml.numberings),
        ("word/commentsExtended.xml".into(), &xml.comments_extended),
        ("word/footnotes.xml".into(), &xml.footnotes),
    ];
    for (i, h) in xml.headers.iter().enumerate() {
        parts.push((format!("word/header{}.xml", i + 1), h));
        if let Some(r) = xml.header_rels.get(i) {
            parts.push((format!("word/_rels/header{}.xml.rels", i + 1), r));
        }
    }
    for (i, f) in xml.footers.iter().enumerate() {
        parts.push((format!("word/footer{}.xml", i + 1), f));
        if let Some(r) = xml.footer_rels.get(i) {
            parts.push((format!("word/_rels/footer{}.xml.rels", i + 1), r));
        }
    }
    for (id, bytes) in &xml.media {
        parts.push((format!("word/media/{id}.png"), bytes));
    }
    for (name, bytes) in parts {
        zip.start_file(name, opts)?;
        zip.write_all(bytes)?;
    }
    zip.finish()
}

/// `YYYY-MM-DDThh:mm:ss`, optional fraction, optional `Z` or `±hh:mm` (xsd:dateTime).
fn valid_date(s: &str) -> bool {
    let b = s.as_bytes();
    if b.len() < 19 || !s.is_char_boundary(19) {
        return false;
    }
    let num = |r: std::ops::Range<usize>| -> Option<u32> {
        b[r].iter().try_fold(0u32, |n, &c| {
            c.is_ascii_digit().then(|| n * 10 + u32::from(c - b'0'))
        })
    };
    let shape = b[4] == b'-' && b[7] == b'-' && b[10] == b'T' && b[13] == b':' && b[16] == b':';
    let (Some(y), Some(mo), Some(d), Some(h), Some(mi), Some(sec)) = (
        num(0..4),
        num(5..7),
        num(8..10),
        num(11..13),
        num(14..16),
        num(17..19),
    ) else {
        return false;
    };
    let date_ok = u16::try_from(y)
        .ok()
        .zip(u8::try_from(mo).ok())
        .zip(u8::try_from(d).ok())
        .and_then(|((y, m), d)| crate::model::Date::new(y, m, d))
        .is_some();
    if !(shape && date_ok && h < 24 && mi < 60 && sec < 60) {
        return false;
    }
    let mut rest = &s[19..];
    if let Some(frac) = rest.strip_prefix('.') {
        let n = frac.bytes().take_while(u8::is_ascii_digit).count();
        if n == 0 {
            return false;
        }
        rest = &frac[n..];
    }
    match rest.as_bytes() {
        [] | [b'Z'] => true,
        [b'+' | b'-', h1, h2, b':', m1, m2] => [h1, h2, m1, m2].iter().all(|c| c.is_ascii_digit()),
        _ => false,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    use crate::diff::{LineChange, LineOp, LineRef, Segment, UnitRef};
    use crate::model::UnitNum;

    fn unit(main: u32, label: &str) -> UnitRef {
        UnitRef {
            index: main as usize,
            num: UnitNum::Article { main, sub: 0 },
            label: label.into(),
            path: Vec::new(),
            annex: None,
        }
    }

    fn at(unit: usize, para: usize) -> Option<LineRef> {
        Some(LineRef {
            unit,
            para,
            item: None,
            subitem: None,
        })
    }

    /// Old 第五条 (two 款) split into new 第五条 and 第六条, with a 款 added to the second.
    fn split() -> Entry {
        let line = |op, old, new, text: &str| LineChange {
            op,
            old,
            new,
            diff: vec![Segment::new(
                if op == LineOp::Added {
                    Op::Insert
                } else {
                    Op::Equal
                },
                text,
            )],
            substantive: op != LineOp::Equal,
        };
        Entry {
            kind: EntryKind::Split,
            old: vec![unit(5, "第五条")],
            new: vec![unit(5, "第五条"), unit(6, "第六条")],
            renumbered: false,
            moved: false,
            substantive: true,
            restructured: false,
            similarity: 0.9,
            lines: vec![
                line(LineOp::Equal, at(0, 1), at(0, 1), "甲"),
                line(LineOp::Equal, at(0, 2), at(1, 1), "乙"),
                line(LineOp::Added, None, at(1, 2), "丙"),
            ],
            diff: vec![
                Segment::new(Op::Equal, "甲\n乙"),
                Segment::new(Op::Insert, "\n丙"),
            ],
        }
    }

    #[test]
    fn units_start_where_their_first_line_is() {
        let e = split();
        assert_eq!(unit_starts(&e, Side::Old), [(0, "第五条")]);
        assert_eq!(unit_starts(&e, Side::New), [(0, "第五条"), (1, "第六条")]);
        // Without line changes the first unit still gets its label.
        let bare = Entry {
            lines: Vec::new(),
            ..split()
        };
        assert_eq!(unit_starts(&bare, Side::New), [(0, "第五条")]);
    }

    #[test]
    fn kind_names() {
        let mut e = split();
        assert_eq!(kind_text(&e), "拆分");
        e.kind = EntryKind::Unchanged;
        e.renumbered = true;
        assert_eq!(kind_text(&e), "条序变化");
        e.moved = true;
        assert_eq!(kind_text(&e), "条序变化、移动");
        e.kind = EntryKind::Modified;
        e.substantive = false;
        assert_eq!(kind_text(&e), "形式修改、条序变化、移动");
    }

    #[test]
    fn header_row_repeats() {
        let xml = b"<w:tbl><w:tr><w:trPr /><w:tc/></w:tr><w:tr><w:trPr /></w:tr></w:tbl>";
        assert_eq!(
            String::from_utf8(repeat_header_row(xml)).unwrap_or_default(),
            "<w:tbl><w:tr><w:trPr><w:tblHeader /></w:trPr><w:tc/></w:tr><w:tr><w:trPr /></w:tr></w:tbl>"
        );
    }

    #[test]
    fn dates() {
        assert!(valid_date("2025-06-30T00:00:00Z"));
        assert!(valid_date("2025-06-30T08:30:00+08:00"));
        assert!(valid_date("2025-06-30T08:30:00.5Z"));
        assert!(valid_date("2025-06-30T08:30:00"));
        assert!(!valid_date("2025-06-30"));
        assert!(!valid_date("2025-02-30T00:00:00Z"));
        assert!(!valid_date("2025-06-30T24:00:00Z"));
        assert!(!valid_date("2025-06-30T00:00:00Z\" x=\""));
        assert!(!valid_date("2025-06-30 00:00:00Z"));
        assert!(!valid_date("２０２５-06-30T00:00:00Z"));
    }

    #[test]
    fn clean_drops_xml_illegal_characters() {
        assert_eq!(clean("第一条\u{1}\u{b}　a\tb\u{ffff}"), "第一条　a\tb");
    }

    #[test]
    fn revisions_numbered_in_order() {
        let xml = br#"<w:p><w:ins w:id="17" w:author="a"><w:r/></w:ins><w:del w:id="3" w:author="a"><w:r><w:delText>x</w:delText></w:r></w:del><w:rPr><w:del w:id="99" w:author="a"></w:del></w:rPr></w:p>"#;
        let out = String::from_utf8(renumber_revisions(xml)).unwrap_or_default();
        assert_eq!(
            out,
            r#"<w:p><w:ins w:id="1" w:author="a"><w:r/></w:ins><w:del w:id="2" w:author="a"><w:r><w:delText>x</w:delText></w:r></w:del><w:rPr><w:del w:id="3" w:author="a"></w:del></w:rPr></w:p>"#
        );
    }

    /// The body XML of the redline of two texts.
    fn redline_xml(old: &str, new: &str) -> String {
        let parse = |t: &str| match crate::parse_str(std::path::Path::new("t.md"), t) {
            Ok(p) => p.statute,
            Err(e) => panic!("{e}"),
        };
        let cs = crate::diff::diff(&parse(old), &parse(new));
        let all: Vec<&Entry> = cs.entries.iter().collect();
        let mut out = Vec::new();
        if let Err(e) = write(&cs, &all, &Options::new(&cs, Layout::Redline), &mut out) {
            panic!("{e}");
        }
        let mut zip = match zip::ZipArchive::new(Cursor::new(out)) {
            Ok(z) => z,
            Err(e) => panic!("{e}"),
        };
        let mut xml = String::new();
        match zip.by_name("word/document.xml") {
            Ok(mut f) => {
                let _ = std::io::Read::read_to_string(&mut f, &mut xml);
            }
            Err(e) => panic!("{e}"),
        }
        xml
    }

    /// The paragraph (`<w:p …>…</w:p>`) holding `text`.
    fn paragraph_of<'a>(xml: &'a str, text: &str) -> &'a str {
        let at = xml
            .find(text)
            .unwrap_or_else(|| panic!("{text} not in {xml}"));
        paragraph_at(xml, at)
    }

    /// The paragraph holding byte `at`.
    fn paragraph_at(xml: &str, at: usize) -> &str {
        let start = xml[..at].rfind("<w:p ").unwrap_or(0);
        let end = xml[at..].find("</w:p>").map_or(xml.len(), |e| at + e);
        &xml[start..end]
    }

    #[test]
    fn headings_of_one_version_and_moved_articles_are_tracked_with_their_marks() {
        let old = "# 测试法\n\n2001年1月1日 某会议通过\n\n<!-- INFO END -->\n\n\
                   ## 第一章 总则\n\n第一条 甲。\n\n第二条 乙。\n\n\
                   ## 第二章 附则\n\n第三条 丙。\n";
        let new = "# 测试法\n\n2001年1月1日 某会议通过\n\n2020年1月1日 某会议修正\n\n\
                   <!-- INFO END -->\n\n## 第一章 总则\n\n第一条 甲。\n\n第二条 丙。\n\n\
                   第三条 乙。\n";
        let xml = redline_xml(old, new);
        // The chapter only the old version has: deleted, paragraph mark included.
        let h = paragraph_of(&xml, "第二章 附则");
        assert!(
            h.contains("<w:delText") && h.contains("<w:rPr><w:del "),
            "{h}"
        );
        // The 题注 line only the new version has: inserted, mark included, centred.
        let t = paragraph_of(&xml, "某会议修正");
        assert!(
            t.contains("<w:rPr><w:ins ") && t.contains("w:val=\"center\""),
            "{t}"
        );
        // The unchanged 题注 line: plain.
        let p = paragraph_of(&xml, "某会议通过");
        assert!(!p.contains("<w:ins ") && !p.contains("<w:del "), "{p}");
        // 乙 moved after 丙: deleted where it stood, inserted where it stands.
        let first = xml.find("乙。").unwrap_or(0);
        let last = xml.rfind("乙。").unwrap_or(0);
        assert!(first < last, "{xml}");
        let (was, is) = (paragraph_at(&xml, first), paragraph_at(&xml, last));
        assert!(
            was.contains("<w:rPr><w:del ") && !was.contains("<w:ins "),
            "{was}"
        );
        assert!(
            is.contains("<w:rPr><w:ins ") && !is.contains("<w:del "),
            "{is}"
        );
    }
}
