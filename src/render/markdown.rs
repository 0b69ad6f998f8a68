//! The amendment review in Markdown (`--format markdown`), for pasting into documents: a
//! summary, heading changes, then one section per shown entry with its chapter and its text,
//! deletions as `<del>删</del>` and insertions as `<ins>增</ins>` (inline HTML: CommonMark
//! does not accept `~~`/`**` that open or close next to CJK punctuation).

use std::io::{self, Write};

use super::select::Shown;
use super::table::{heading_label, kind_label};
use crate::diff::{ChangeSet, Op, Segment};

/// Writes the review.
pub fn write(cs: &ChangeSet, shown: &[Shown<'_>], out: &mut impl Write) -> io::Result<()> {
    let date = |d: Option<crate::model::Date>| d.map_or_else(|| "?".to_string(), |d| d.to_string());
    writeln!(out, "# 《{}》修改情况", cs.new.title)?;
    writeln!(out)?;
    writeln!(
        out,
        "{} → {}：{}",
        date(cs.old.version_date),
        date(cs.new.version_date),
        cs.summary_line()
    )?;
    if !cs.headings.is_empty() {
        writeln!(out)?;
        writeln!(out, "## 标题")?;
        writeln!(out)?;
        for h in &cs.headings {
            let old = h
                .old
                .as_deref()
                .map(|t| format!("<del>{}</del>", escape(t)));
            let new = h
                .new
                .as_deref()
                .map(|t| format!("<ins>{}</ins>", escape(t)));
            let text = match (old, new) {
                (Some(o), Some(n)) => format!("{o} → {n}"),
                (Some(o), None) => o,
                (None, Some(n)) => n,
                (None, None) => String::new(),
            };
            writeln!(out, "- {}：{text}", heading_label(h))?;
        }
    }
    if !cs.texts.is_empty() {
        writeln!(out)?;
        writeln!(out, "## 条文以外的文字")?;
        for t in &cs.texts {
            writeln!(out)?;
            let place = super::report::text_place(t);
            writeln!(out, "**{}**", escape(&place))?;
            writeln!(out)?;
            body(&t.diff, out)?;
        }
    }
    if !shown.is_empty() {
        writeln!(out)?;
        writeln!(out, "## 条文")?;
    }
    for s in shown {
        let e = s.entry;
        let labels = |v: &[crate::diff::UnitRef]| {
            v.iter()
                .map(|u| u.label.as_str())
                .collect::<Vec<_>>()
                .join("、")
        };
        let title = match (labels(&e.old), labels(&e.new)) {
            (o, n) if o.is_empty() => n,
            (o, n) if n.is_empty() || o == n => o,
            (o, n) => format!("{o} → {n}"),
        };
        writeln!(out)?;
        writeln!(out, "### {}（{}）", escape(&title), kind_label(e))?;
        if let Some(path) = e.new.first().or(e.old.first()).map(|u| u.path.join(" / "))
            && !path.is_empty()
        {
            writeln!(out)?;
            writeln!(out, "*{}*", escape(&path))?;
        }
        writeln!(out)?;
        body(&e.diff, out)?;
    }
    if !cs.notes.is_empty() {
        writeln!(out)?;
        writeln!(out, "## 注释（非条文修改）")?;
        for n in &cs.notes {
            writeln!(out)?;
            writeln!(out, "**{}**", escape(&super::report::note_label(n)))?;
            writeln!(out)?;
            body(&n.diff, out)?;
        }
    }
    Ok(())
}

/// A diff as Markdown paragraphs, one per line of text.
fn body(diff: &[Segment], out: &mut impl Write) -> io::Result<()> {
    // Both sides' runs in order, a new paragraph at every line break of either side.
    let mut lines: Vec<String> = vec![String::new()];
    for s in diff {
        for (k, part) in s.text.split('\n').enumerate() {
            if k > 0 {
                lines.push(String::new());
            }
            if part.is_empty() {
                continue;
            }
            let t = escape(part);
            let Some(l) = lines.last_mut() else { continue };
            match s.op {
                Op::Equal => l.push_str(&t),
                Op::Delete => l.push_str(&format!("<del>{t}</del>")),
                Op::Insert => l.push_str(&format!("<ins>{t}</ins>")),
            }
        }
    }
    for l in lines.iter().filter(|l| !l.is_empty()) {
        writeln!(out, "{l}")?;
        writeln!(out)?;
    }
    Ok(())
}

/// Text as written: the characters Markdown or GFM would read as markup (emphasis, code,
/// links, raw HTML and entities, table cells) escaped with a backslash.
pub(crate) fn escape(s: &str) -> String {
    let mut o = String::with_capacity(s.len());
    for c in s.chars() {
        if matches!(
            c,
            '\\' | '*' | '_' | '~' | '`' | '#' | '[' | ']' | '<' | '>' | '|' | '&'
        ) {
            o.push('\\');
        }
        o.push(c);
    }
    o
}
