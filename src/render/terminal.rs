//! The terminal review of a [`ChangeSet`] (`statute diff`): a summary line, heading changes,
//! then each shown entry with its labels, chapter and character-level highlighting, inline
//! or side by side. Colour when asked; without it, marks that survive copying:
//! `[-删-]{+增+}`.

use std::io::{self, Write};

use unicode_width::UnicodeWidthChar;

use super::report::{entry_header, summary_line};
use super::safe::terminal_text;
use super::select::Shown;
use crate::diff::{ChangeSet, EntryKind, HeadingChangeKind, Op, Segment};

/// How to write the review.
#[derive(Debug, Clone, Copy)]
pub struct Options {
    /// ANSI colours and styles instead of `[- -]{+ +}` marks.
    pub color: bool,
    /// Old text on the left, new text on the right.
    pub side_by_side: bool,
    /// Display columns available (side by side wraps to it).
    pub width: usize,
}

impl Default for Options {
    fn default() -> Self {
        Options {
            color: false,
            side_by_side: false,
            width: 100,
        }
    }
}

/// Text styles of the review.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Style {
    Plain,
    Deleted,
    Inserted,
    Header,
    Dim,
    Tag,
}

impl Style {
    fn sgr(self) -> &'static str {
        match self {
            Style::Plain => "",
            // Red, struck through; green, underlined: readable on dark and light themes.
            Style::Deleted => "\x1b[31;9m",
            Style::Inserted => "\x1b[32;4m",
            Style::Header => "\x1b[1m",
            Style::Dim => "\x1b[2m",
            Style::Tag => "\x1b[33m",
        }
    }
}

/// Writes styled text: colour codes (reset at every line end, so that pagers and `grep`
/// see whole lines), or marks around deletions and insertions.
struct Painter {
    color: bool,
}

impl Painter {
    fn paint(&self, out: &mut impl Write, style: Style, text: &str) -> io::Result<()> {
        if text.is_empty() {
            return Ok(());
        }
        // Statute text never reaches the terminal with its own control characters.
        let text = &*terminal_text(text);
        if !self.color {
            let (open, close) = marks(style);
            return write!(out, "{open}{text}{close}");
        }
        if style == Style::Plain {
            return out.write_all(text.as_bytes());
        }
        let mut first = true;
        for line in text.split('\n') {
            if !first {
                out.write_all(b"\n")?;
            }
            first = false;
            if !line.is_empty() {
                write!(out, "{}{line}\x1b[0m", style.sgr())?;
            }
        }
        Ok(())
    }
}

/// The marks that stand for a style without colour.
fn marks(style: Style) -> (&'static str, &'static str) {
    match style {
        Style::Deleted => ("[-", "-]"),
        Style::Inserted => ("{+", "+}"),
        _ => ("", ""),
    }
}

/// Writes the review of the `shown` entries.
pub fn write(
    cs: &ChangeSet,
    shown: &[Shown<'_>],
    opts: &Options,
    out: &mut impl Write,
) -> io::Result<()> {
    let p = Painter { color: opts.color };
    let date = |d: Option<crate::model::Date>| d.map_or_else(|| "?".to_string(), |d| d.to_string());
    p.paint(
        out,
        Style::Header,
        &format!(
            "{} {} → {}",
            cs.new.title,
            date(cs.old.version_date),
            date(cs.new.version_date)
        ),
    )?;
    writeln!(out)?;
    writeln!(out, "{}", summary_line(cs))?;
    if !cs.headings.is_empty() {
        writeln!(out)?;
        for h in &cs.headings {
            let (old, new) = (
                h.old.as_deref().unwrap_or(""),
                h.new.as_deref().unwrap_or(""),
            );
            p.paint(
                out,
                Style::Tag,
                &format!("[{}] ", super::table::heading_label(h)),
            )?;
            match h.kind {
                HeadingChangeKind::Added => p.paint(out, Style::Inserted, new)?,
                HeadingChangeKind::Deleted => p.paint(out, Style::Deleted, old)?,
                _ => {
                    p.paint(out, Style::Deleted, old)?;
                    write!(out, " → ")?;
                    p.paint(out, Style::Inserted, new)?;
                }
            }
            writeln!(out)?;
        }
    }
    for t in &cs.texts {
        writeln!(out)?;
        let place = super::report::text_place(t);
        let what = super::report::text_kind(t);
        p.paint(out, Style::Header, &place)?;
        write!(out, " ")?;
        p.paint(out, Style::Tag, &format!("[{what}]"))?;
        writeln!(out)?;
        inline(&p, &t.diff, false, out)?;
    }
    for s in shown {
        writeln!(out)?;
        let e = s.entry;
        let header = entry_header(e);
        let (labels, rest) = header.split_once(" [").unwrap_or((&header, ""));
        if s.context {
            p.paint(out, Style::Dim, &header)?;
        } else {
            p.paint(out, Style::Header, labels)?;
            if !rest.is_empty() {
                let (tags, path) = rest.split_once(']').unwrap_or((rest, ""));
                write!(out, " ")?;
                p.paint(out, Style::Tag, &format!("[{tags}]"))?;
                p.paint(out, Style::Dim, path)?;
            }
        }
        writeln!(out)?;
        if opts.side_by_side {
            side_by_side(&p, e, opts.width, s.context, out)?;
        } else {
            inline(&p, &e.diff, s.context, out)?;
        }
    }
    // Editorial notes last: shown, never amendments.
    for n in &cs.notes {
        writeln!(out)?;
        p.paint(out, Style::Header, "注释")?;
        write!(out, " ")?;
        p.paint(
            out,
            Style::Tag,
            &format!("[{}，非条文修改]", super::report::note_label(n)),
        )?;
        writeln!(out)?;
        inline(&p, &n.diff, false, out)?;
    }
    Ok(())
}

/// A diff written inline, each line indented.
fn inline(p: &Painter, segs: &[Segment], dim: bool, out: &mut impl Write) -> io::Result<()> {
    write!(out, "  ")?;
    for s in segs {
        let style = match s.op {
            Op::Equal if dim => Style::Dim,
            Op::Equal => Style::Plain,
            Op::Delete => Style::Deleted,
            Op::Insert => Style::Inserted,
        };
        // Indent continuation lines; a mark or colour run spanning a line break is closed
        // and reopened around it.
        let mut first = true;
        for line in s.text.split('\n') {
            if !first {
                write!(out, "\n  ")?;
            }
            first = false;
            p.paint(out, style, line)?;
        }
    }
    writeln!(out)
}

/// One styled character run, for wrapping.
type Run = (Style, String);

/// An entry in two columns: each line change is a row, old side left, new side right.
fn side_by_side(
    p: &Painter,
    e: &crate::diff::Entry,
    width: usize,
    dim: bool,
    out: &mut impl Write,
) -> io::Result<()> {
    let col = (width.saturating_sub(3) / 2).max(12);
    let equal = if dim { Style::Dim } else { Style::Plain };
    let side = |segs: &[Segment], keep: Op, style: Style| -> Vec<Run> {
        segs.iter()
            .filter(|s| s.op == Op::Equal || s.op == keep)
            .map(|s| {
                let st = if s.op == Op::Equal { equal } else { style };
                (st, terminal_text(&s.text).into_owned())
            })
            .collect()
    };
    // Rows: a split or merge shows its whole text as one row, as its diff does.
    let rows: Vec<(Vec<Run>, Vec<Run>)> = match e.kind {
        EntryKind::Split | EntryKind::Merged | EntryKind::Added | EntryKind::Deleted => {
            vec![(
                side(&e.diff, Op::Delete, Style::Deleted),
                side(&e.diff, Op::Insert, Style::Inserted),
            )]
        }
        _ => e
            .lines
            .iter()
            .map(|l| {
                (
                    side(&l.diff, Op::Delete, Style::Deleted),
                    side(&l.diff, Op::Insert, Style::Inserted),
                )
            })
            .collect(),
    };
    for (left, right) in rows {
        let (l, r) = (wrap(&left, col, p.color), wrap(&right, col, p.color));
        for k in 0..l.len().max(r.len()) {
            write!(out, "  ")?;
            let lw = put(p, l.get(k), out)?;
            write!(out, "{} │", " ".repeat(col.saturating_sub(lw)))?;
            if r.get(k).is_some_and(|line| !line.is_empty()) {
                write!(out, " ")?;
                put(p, r.get(k), out)?;
            }
            writeln!(out)?;
        }
    }
    Ok(())
}

/// Writes one wrapped line; returns its display width.
fn put(p: &Painter, line: Option<&Vec<Run>>, out: &mut impl Write) -> io::Result<usize> {
    let mut w = 0;
    for (style, text) in line.into_iter().flatten() {
        w += text_width(text);
        if p.color {
            p.paint(out, *style, text)?;
        } else {
            // Marks were placed by `wrap`, as text (already made safe by `side`).
            out.write_all(text.as_bytes())?;
        }
    }
    Ok(w)
}

/// Display width: CJK characters take two columns.
pub fn text_width(s: &str) -> usize {
    s.chars().map(|c| c.width().unwrap_or(0)).sum()
}

/// `s` padded with spaces to `width` columns.
pub fn pad(s: &str, width: usize) -> String {
    let w = text_width(s);
    format!("{s}{}", " ".repeat(width.saturating_sub(w)))
}

/// Wraps styled runs into lines of at most `width` columns (line breaks in the text start
/// new lines). Without colour the marks are inserted as text, and closed and reopened at
/// each wrap so that every line reads on its own.
fn wrap(runs: &[Run], width: usize, color: bool) -> Vec<Vec<Run>> {
    wrap_styled(
        runs,
        width,
        |s| if color { ("", "") } else { marks(s) },
        false,
    )
}

/// Wraps runs of any style `S` into lines of at most `width` display columns; line breaks in
/// the text start new lines. A character is never split; closing punctuation never starts a
/// line but may hang into the last two columns, which other characters leave free. `marks`
/// gives the text that opens and closes a style (empty when colour shows it); marks are
/// closed and reopened at each wrap so that every line reads on its own. With
/// `drop_break_space`, a space where a line wraps is the break itself and is dropped.
pub(crate) fn wrap_styled<S: Copy + PartialEq>(
    runs: &[(S, String)],
    width: usize,
    marks: impl Fn(S) -> (&'static str, &'static str),
    drop_break_space: bool,
) -> Vec<Vec<(S, String)>> {
    let mut lines: Vec<Vec<(S, String)>> = vec![Vec::new()];
    let mut used = 0;
    let push = |lines: &mut Vec<Vec<(S, String)>>, style: S, c: char| {
        if let Some(line) = lines.last_mut() {
            match line.last_mut() {
                Some((s, t)) if *s == style => t.push(c),
                _ => line.push((style, c.to_string())),
            }
        }
    };
    for (style, text) in runs {
        let (open, close) = marks(*style);
        let (ow, cw) = (text_width(open), text_width(close));
        let mut opened = false;
        for c in text.chars() {
            if c == '\n' {
                if opened {
                    close.chars().for_each(|m| push(&mut lines, *style, m));
                    opened = false;
                }
                lines.push(Vec::new());
                used = 0;
                continue;
            }
            let w = c.width().unwrap_or(0);
            let need = w + if opened { cw } else { ow + cw };
            // Closing punctuation never starts a line: it may hang into the last two
            // columns, which other characters leave free.
            let limit = if hangs(c) {
                width
            } else {
                width.saturating_sub(2)
            };
            if used + need > limit && used > 0 {
                if opened {
                    close.chars().for_each(|m| push(&mut lines, *style, m));
                    opened = false;
                }
                lines.push(Vec::new());
                used = 0;
                if drop_break_space && c == ' ' {
                    continue;
                }
            }
            if !opened {
                open.chars().for_each(|m| push(&mut lines, *style, m));
                used += ow;
                opened = true;
            }
            push(&mut lines, *style, c);
            used += w;
        }
        if opened {
            close.chars().for_each(|m| push(&mut lines, *style, m));
            used += cw;
        }
    }
    lines
}

/// Punctuation that must not start a line (行首禁则).
pub(crate) fn hangs(c: char) -> bool {
    matches!(
        c,
        '，' | '。'
            | '、'
            | '；'
            | '：'
            | '？'
            | '！'
            | '）'
            | '》'
            | '」'
            | '』'
            | '”'
            | '’'
            | '〉'
            | '】'
            | ','
            | '.'
            | ';'
            | ':'
            | '?'
            | '!'
            | ')'
    )
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn wraps_by_display_width() {
        let runs = vec![(Style::Plain, "甲乙丙丁戊".to_string())];
        let lines = wrap(&runs, 6, false);
        let texts: Vec<String> = lines
            .iter()
            .map(|l| l.iter().map(|(_, t)| t.as_str()).collect())
            .collect();
        assert_eq!(texts, ["甲乙", "丙丁", "戊"]);
    }

    #[test]
    fn marks_close_and_reopen_at_a_wrap() {
        let runs = vec![
            (Style::Plain, "甲".to_string()),
            (Style::Inserted, "乙丙丁".to_string()),
        ];
        let lines = wrap(&runs, 10, false);
        let texts: Vec<String> = lines
            .iter()
            .map(|l| l.iter().map(|(_, t)| t.as_str()).collect())
            .collect();
        assert_eq!(texts, ["甲{+乙+}", "{+丙丁+}"]);
        assert!(texts.iter().all(|t| text_width(t) <= 10));
    }

    #[test]
    fn closing_punctuation_hangs_instead_of_starting_a_line() {
        let runs = vec![(Style::Plain, "甲乙丙。丁".to_string())];
        let texts: Vec<String> = wrap(&runs, 8, false)
            .iter()
            .map(|l| l.iter().map(|(_, t)| t.as_str()).collect())
            .collect();
        assert_eq!(texts, ["甲乙丙。", "丁"]);
    }

    #[test]
    fn colour_runs_end_at_line_ends() {
        let p = Painter { color: true };
        let mut out = Vec::new();
        p.paint(&mut out, Style::Inserted, "甲\n乙").unwrap();
        let s = String::from_utf8(out).unwrap();
        assert_eq!(s, "\x1b[32;4m甲\x1b[0m\n\x1b[32;4m乙\x1b[0m");
    }
}
