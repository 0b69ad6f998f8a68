//! 新旧条文对照表: the two-column comparison table of a [`ChangeSet`], old text left, new
//! text right, one row per aligned entry, deletions struck through and insertions
//! underlined; as Markdown (`--format table`, a GFM table with `<del>`/`<ins>`) or as one
//! self-contained, printable HTML file (`--format html`).

use std::fmt::Write as _;
use std::io::{self, Write};

use super::report::{kind_flags, kind_zh_heading, note_label};
use super::select::Shown;
use crate::diff::{ChangeSet, Entry, HeadingChange, HeadingChangeKind, Op, Segment};

/// The 修改类型 cell of an entry: 修改 / 形式修改 / 新增 / 删除 / 拆分 / 合并 / 未变, then
/// 条序变化 and 移动 when they apply.
pub fn kind_label(e: &Entry) -> String {
    kind_flags(e).join("、")
}

/// The 修改类型 cell of a heading change: 标题改名, 新增标题 ….
pub fn heading_label(h: &HeadingChange) -> String {
    match h.kind {
        HeadingChangeKind::Added | HeadingChangeKind::Deleted => {
            format!("{}标题", kind_zh_heading(h.kind))
        }
        _ => format!("标题{}", kind_zh_heading(h.kind)),
    }
}

/// One line of one side of a diff: runs of equal text and of the side's own operation.
pub type SideLine<'a> = Vec<(Op, &'a str)>;

/// One side of a diff as lines of runs: equal text and the side's own operation.
pub fn side_lines(segs: &[Segment], keep: Op) -> Vec<SideLine<'_>> {
    let mut lines: Vec<SideLine<'_>> = vec![Vec::new()];
    for s in segs.iter().filter(|s| s.op == Op::Equal || s.op == keep) {
        for (k, part) in s.text.split('\n').enumerate() {
            if k > 0 {
                lines.push(Vec::new());
            }
            if !part.is_empty()
                && let Some(l) = lines.last_mut()
            {
                l.push((s.op, part));
            }
        }
    }
    lines
}

/// The lines of one side grouped by unit: `counts[k]` lines for the k-th unit of the side.
fn by_unit<'a>(lines: Vec<SideLine<'a>>, counts: &[usize]) -> Vec<Vec<SideLine<'a>>> {
    let mut out = Vec::new();
    let mut it = lines.into_iter();
    for (k, &n) in counts.iter().enumerate() {
        // The last unit takes whatever remains.
        let group: Vec<_> = if k + 1 == counts.len() {
            it.by_ref().collect()
        } else {
            it.by_ref().take(n).collect()
        };
        out.push(group);
    }
    out
}

/// Lines per unit on one side of an entry.
fn line_counts(e: &Entry, new_side: bool) -> Vec<usize> {
    let units = if new_side { e.new.len() } else { e.old.len() };
    let mut counts = vec![0; units];
    for l in &e.lines {
        let at = if new_side { l.new } else { l.old };
        if let Some(r) = at
            && r.unit < units
        {
            counts[r.unit] += 1;
        }
    }
    counts
}

/// A cell: for each unit of the side, its label and its text.
struct Cell<'a> {
    units: Vec<(&'a str, Vec<SideLine<'a>>)>,
}

fn cells(e: &Entry) -> (Cell<'_>, Cell<'_>) {
    let cell = |new_side: bool| {
        let (refs, keep) = if new_side {
            (&e.new, Op::Insert)
        } else {
            (&e.old, Op::Delete)
        };
        if refs.is_empty() {
            return Cell { units: Vec::new() };
        }
        let groups = by_unit(side_lines(&e.diff, keep), &line_counts(e, new_side));
        Cell {
            units: refs.iter().map(|u| u.label.as_str()).zip(groups).collect(),
        }
    };
    (cell(false), cell(true))
}

/// Writes the Markdown table.
pub fn write_markdown(cs: &ChangeSet, shown: &[Shown<'_>], out: &mut impl Write) -> io::Result<()> {
    writeln!(out, "# 《{}》新旧条文对照表", cs.new.title)?;
    writeln!(out)?;
    writeln!(out, "{}", versions(cs))?;
    writeln!(out)?;
    writeln!(out, "{}", cs.summary_line())?;
    writeln!(out)?;
    writeln!(
        out,
        "删除的文字以<del>删除线</del>标示，增加的文字以<ins>下划线</ins>标示。"
    )?;
    writeln!(out)?;
    writeln!(out, "| 原条文 | 修改后条文 | 修改类型 |")?;
    writeln!(out, "| --- | --- | --- |")?;
    for row in rows(cs, shown) {
        match row {
            Row::Heading(h) => writeln!(
                out,
                "| {} | {} | {} |",
                md_escape(h.old.as_deref().unwrap_or("")),
                md_escape(h.new.as_deref().unwrap_or("")),
                heading_label(h)
            )?,
            Row::Entry(s) => {
                let (old, new) = cells(s.entry);
                writeln!(
                    out,
                    "| {} | {} | {} |",
                    md_cell(&old),
                    md_cell(&new),
                    kind_label(s.entry)
                )?;
            }
        }
    }
    // Editorial notes last, as the table's own rows: shown, never amendments.
    for n in &cs.notes {
        let side = |r: &Option<crate::diff::NoteRef>| {
            r.as_ref().map(|r| md_escape(&r.text)).unwrap_or_default()
        };
        writeln!(
            out,
            "| {} | {} | {}（非条文修改） |",
            side(&n.old),
            side(&n.new),
            md_escape(&note_label(n))
        )?;
    }
    Ok(())
}

fn versions(cs: &ChangeSet) -> String {
    let date =
        |d: Option<crate::model::Date>| d.map_or_else(|| "日期不详".to_string(), |d| d.to_string());
    format!(
        "原文本：{}　修改后文本：{}",
        date(cs.old.version_date),
        date(cs.new.version_date)
    )
}

/// A row of the table: a heading change, or an entry.
enum Row<'a> {
    Heading(&'a HeadingChange),
    Entry(Shown<'a>),
}

/// Entries in order, each heading change placed before the first entry under it (or at
/// the end when no shown entry stands under it).
fn rows<'a>(cs: &'a ChangeSet, shown: &[Shown<'a>]) -> Vec<Row<'a>> {
    let mut placed = vec![false; cs.headings.len()];
    let mut out = Vec::new();
    for s in shown {
        let path = s
            .entry
            .new
            .first()
            .or(s.entry.old.first())
            .map(|u| u.path.as_slice())
            .unwrap_or(&[]);
        for (k, h) in cs.headings.iter().enumerate() {
            let under = h
                .new
                .as_ref()
                .or(h.old.as_ref())
                .is_some_and(|t| path.iter().any(|p| p == t));
            if !placed[k] && under {
                placed[k] = true;
                out.push(Row::Heading(h));
            }
        }
        out.push(Row::Entry(*s));
    }
    for (k, h) in cs.headings.iter().enumerate() {
        if !placed[k] {
            out.push(Row::Heading(h));
        }
    }
    out
}

/// Statute text in a table cell: Markdown's and GFM's markup characters (the cell's `|`
/// too) and `<`/`&` (raw HTML, entities) escaped, so that the text reads as written.
fn md_escape(s: &str) -> String {
    super::markdown::escape(s)
}

fn md_cell(c: &Cell<'_>) -> String {
    let mut s = String::new();
    for (k, (label, lines)) in c.units.iter().enumerate() {
        if k > 0 {
            s.push_str("<br><br>");
        }
        let _ = write!(s, "**{label}**　");
        for (i, line) in lines.iter().enumerate() {
            if i > 0 {
                s.push_str("<br>");
            }
            for (op, text) in line {
                let t = md_escape(text);
                match op {
                    Op::Equal => s.push_str(&t),
                    // Inline HTML rather than ~~ and **: CommonMark's flanking rules refuse
                    // emphasis that opens or closes next to punctuation when letters stand
                    // on the other side (`**国家监察委员会、**最高`), which CJK text does
                    // everywhere; tags need no flanking. GFM keeps <ins> and <del>.
                    Op::Delete => {
                        let _ = write!(s, "<del>{t}</del>");
                    }
                    Op::Insert => {
                        let _ = write!(s, "<ins>{t}</ins>");
                    }
                }
            }
        }
    }
    s
}

fn html_escape(s: &str) -> String {
    let mut o = String::with_capacity(s.len());
    for c in s.chars() {
        match c {
            '&' => o.push_str("&amp;"),
            '<' => o.push_str("&lt;"),
            '>' => o.push_str("&gt;"),
            '"' => o.push_str("&quot;"),
            _ => o.push(c),
        }
    }
    o
}

fn html_unit(label: &str, lines: &[SideLine<'_>]) -> String {
    let mut s = String::new();
    let _ = write!(s, "<span class=\"label\">{}</span>　", html_escape(label));
    for (i, line) in lines.iter().enumerate() {
        if i > 0 {
            s.push_str("<br>");
        }
        for (op, text) in line {
            let t = html_escape(text);
            match op {
                Op::Equal => s.push_str(&t),
                Op::Delete => {
                    let _ = write!(s, "<del>{t}</del>");
                }
                Op::Insert => {
                    let _ = write!(s, "<ins>{t}</ins>");
                }
            }
        }
    }
    s
}

const STYLE: &str = r#"@page { size: A4; margin: 18mm 15mm 18mm 15mm; }
body { font-family: "Songti SC", "SimSun", "Noto Serif CJK SC", "Source Han Serif SC", serif; font-size: 11pt; line-height: 1.65; color: #000; margin: 0 auto; max-width: 180mm; }
h1 { font-size: 16pt; text-align: center; margin: 0 0 4pt; font-weight: bold; }
p.meta { text-align: center; margin: 0 0 8pt; }
p.summary { margin: 0 0 4pt; }
p.legend { margin: 0 0 10pt; font-size: 9.5pt; color: #333; }
table { width: 100%; border-collapse: collapse; table-layout: fixed; }
col.text { width: 43%; } col.kind { width: 14%; }
th, td { border: 0.75pt solid #000; padding: 4pt 6pt; vertical-align: top; text-align: justify; word-break: break-all; }
th { background: #e8e8e8; font-weight: bold; text-align: center; }
thead { display: table-header-group; }
tr { page-break-inside: avoid; break-inside: avoid; }
td.kind { text-align: center; font-size: 9.5pt; }
tr.heading td { font-weight: bold; text-align: center; background: #f6f6f6; }
tr.context td { color: #555; }
.label { font-weight: bold; }
del { text-decoration: line-through; color: #b00000; }
ins { text-decoration: underline; font-weight: bold; color: #0040a0; }
@media print { del, ins { color: #000; } th, tr.heading td { -webkit-print-color-adjust: exact; print-color-adjust: exact; } }
"#;

/// Writes the HTML table: one self-contained page, no external assets, printable on A4.
pub fn write_html(cs: &ChangeSet, shown: &[Shown<'_>], out: &mut impl Write) -> io::Result<()> {
    let title = format!("《{}》新旧条文对照表", cs.new.title);
    writeln!(out, "<!DOCTYPE html>")?;
    writeln!(out, "<html lang=\"zh-CN\">")?;
    writeln!(out, "<head>")?;
    writeln!(out, "<meta charset=\"utf-8\">")?;
    writeln!(out, "<title>{}</title>", html_escape(&title))?;
    writeln!(out, "<style>\n{STYLE}</style>")?;
    writeln!(out, "</head>")?;
    writeln!(out, "<body>")?;
    writeln!(out, "<h1>{}</h1>", html_escape(&title))?;
    writeln!(out, "<p class=\"meta\">{}</p>", html_escape(&versions(cs)))?;
    writeln!(
        out,
        "<p class=\"summary\">{}</p>",
        html_escape(&cs.summary_line())
    )?;
    writeln!(
        out,
        "<p class=\"legend\">删除的文字以<del>删除线</del>标示，增加的文字以<ins>下划线加粗</ins>标示。</p>"
    )?;
    writeln!(out, "<table>")?;
    writeln!(
        out,
        "<colgroup><col class=\"text\"><col class=\"text\"><col class=\"kind\"></colgroup>"
    )?;
    writeln!(
        out,
        "<thead><tr><th>原条文</th><th>修改后条文</th><th>修改类型</th></tr></thead>"
    )?;
    writeln!(out, "<tbody>")?;
    for row in rows(cs, shown) {
        match row {
            Row::Heading(h) => {
                let cell = |t: Option<&String>| t.map(|t| html_escape(t)).unwrap_or_default();
                writeln!(
                    out,
                    "<tr class=\"heading\"><td>{}</td><td>{}</td><td class=\"kind\">{}</td></tr>",
                    cell(h.old.as_ref()),
                    cell(h.new.as_ref()),
                    heading_label(h)
                )?;
            }
            Row::Entry(s) => entry_rows(s, out)?,
        }
    }
    for n in &cs.notes {
        let side = |r: &Option<crate::diff::NoteRef>| {
            r.as_ref().map(|r| html_escape(&r.text)).unwrap_or_default()
        };
        writeln!(
            out,
            "<tr class=\"note\"><td>{}</td><td>{}</td><td class=\"kind\">{}（非条文修改）</td></tr>",
            side(&n.old),
            side(&n.new),
            html_escape(&note_label(n))
        )?;
    }
    writeln!(out, "</tbody>")?;
    writeln!(out, "</table>")?;
    writeln!(out, "</body>")?;
    writeln!(out, "</html>")
}

/// The rows of one entry: a split or merge spans as many rows as it has units on its
/// larger side, the single unit's cell spanning them all.
fn entry_rows(s: Shown<'_>, out: &mut impl Write) -> io::Result<()> {
    let class = if s.context { " class=\"context\"" } else { "" };
    let (old, new) = cells(s.entry);
    let kind = kind_label(s.entry);
    let n = old.units.len().max(new.units.len()).max(1);
    let td = |c: &Cell<'_>, k: usize| -> Option<String> {
        let span = if c.units.len() <= 1 && n > 1 {
            format!(" rowspan=\"{n}\"")
        } else {
            String::new()
        };
        if c.units.len() <= 1 {
            if k > 0 {
                return None;
            }
            let inner = c
                .units
                .first()
                .map(|(l, lines)| html_unit(l, lines))
                .unwrap_or_default();
            return Some(format!("<td{span}>{inner}</td>"));
        }
        let inner = c
            .units
            .get(k)
            .map(|(l, lines)| html_unit(l, lines))
            .unwrap_or_default();
        Some(format!("<td>{inner}</td>"))
    };
    for k in 0..n {
        let mut row = format!("<tr{class}>");
        if let Some(c) = td(&old, k) {
            row.push_str(&c);
        }
        if let Some(c) = td(&new, k) {
            row.push_str(&c);
        }
        if k == 0 {
            let span = if n > 1 {
                format!(" rowspan=\"{n}\"")
            } else {
                String::new()
            };
            let _ = write!(row, "<td class=\"kind\"{span}>{kind}</td>");
        }
        row.push_str("</tr>");
        writeln!(out, "{row}")?;
    }
    Ok(())
}
