//! The terminal review of a [`ChangeSet`] (`statute diff`): a summary line, heading changes,
//! then each shown entry with its labels, chapter and character-level highlighting, inline
//! or side by side. Colour when asked; without it, marks that survive copying:
//! `[-删-]{+增+}`.

use std::io::{self, Write};

use unicode_width::UnicodeWidthChar;

use super::report::entry_header;
use super::safe::terminal_text;
use super::select::Shown;
use crate::diff::{ChangeSet, EntryKind, HeadingChangeKind, Op, Segment};

/// How to write the review (the default: inline, no colour, lines not wrapped).
#[derive(Debug, Clone, Copy, Default)]
pub struct Options {
    /// ANSI colours and styles instead of `[- -]{+ +}` marks.
    pub color: bool,
    /// Old text on the left, new text on the right.
    pub side_by_side: bool,
    /// Display columns available: with a width, no line of the review is wider (header and
    /// summary lines, inline text and both columns side by side are wrapped to it). Without
    /// one, lines are not wrapped (whole lines for `grep` and pagers), except side by side,
    /// which is laid out for [`SIDE_BY_SIDE_WIDTH`] columns.
    pub width: Option<usize>,
}

/// The width side by side is laid out for when none is given.
pub const SIDE_BY_SIDE_WIDTH: usize = 100;

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
    let width = opts
        .width
        .or(opts.side_by_side.then_some(SIDE_BY_SIDE_WIDTH));
    let lines = Lines { p: &p, width };
    let date = |d: Option<crate::model::Date>| d.map_or_else(|| "?".to_string(), |d| d.to_string());
    let title = format!(
        "{} {} → {}",
        cs.new.title,
        date(cs.old.version_date),
        date(cs.new.version_date)
    );
    lines.header(&[(Style::Header, title)], out)?;
    lines.header(&[(Style::Plain, cs.summary_line())], out)?;
    if !cs.headings.is_empty() {
        writeln!(out)?;
        for h in &cs.headings {
            let (old, new) = (
                h.old.as_deref().unwrap_or("").to_string(),
                h.new.as_deref().unwrap_or("").to_string(),
            );
            let mut runs = vec![(Style::Tag, format!("[{}] ", super::table::heading_label(h)))];
            match h.kind {
                HeadingChangeKind::Added => runs.push((Style::Inserted, new)),
                HeadingChangeKind::Deleted => runs.push((Style::Deleted, old)),
                _ => runs.extend([
                    (Style::Deleted, old),
                    (Style::Plain, " → ".to_string()),
                    (Style::Inserted, new),
                ]),
            }
            lines.header(&runs, out)?;
        }
    }
    for t in &cs.texts {
        writeln!(out)?;
        let place = super::report::text_place(t);
        let what = super::report::text_kind(t);
        lines.header(
            &[
                (Style::Header, place),
                (Style::Plain, " ".to_string()),
                (Style::Tag, format!("[{what}]")),
            ],
            out,
        )?;
        lines.inline(&t.diff, false, out)?;
    }
    for s in shown {
        writeln!(out)?;
        let e = s.entry;
        let header = entry_header(e);
        let (labels, rest) = header.split_once(" [").unwrap_or((&header, ""));
        let mut runs = Vec::new();
        if s.context {
            runs.push((Style::Dim, header.clone()));
        } else {
            runs.push((Style::Header, labels.to_string()));
            if !rest.is_empty() {
                let (tags, path) = rest.split_once(']').unwrap_or((rest, ""));
                runs.push((Style::Plain, " ".to_string()));
                runs.push((Style::Tag, format!("[{tags}]")));
                runs.push((Style::Dim, path.to_string()));
            }
        }
        lines.header(&runs, out)?;
        if opts.side_by_side {
            side_by_side(&p, e, width.unwrap_or(SIDE_BY_SIDE_WIDTH), s.context, out)?;
        } else {
            lines.inline(&e.diff, s.context, out)?;
        }
    }
    // Editorial notes last: shown, never amendments.
    for n in &cs.notes {
        writeln!(out)?;
        lines.header(
            &[
                (Style::Header, "注释".to_string()),
                (Style::Plain, " ".to_string()),
                (
                    Style::Tag,
                    format!("[{}，非条文修改]", super::report::note_label(n)),
                ),
            ],
            out,
        )?;
        lines.inline(&n.diff, false, out)?;
    }
    Ok(())
}

/// Writes whole lines of styled runs, wrapped to the width when there is one.
struct Lines<'a> {
    p: &'a Painter,
    width: Option<usize>,
}

/// Text lines are indented by this many columns.
const INDENT: usize = 2;

impl Lines<'_> {
    /// A header line (title, summary, an entry's labels …): wrapped between words (after a
    /// space or a 、，；), each wrapped line starting at the margin.
    fn header(&self, runs: &[Run], out: &mut impl Write) -> io::Result<()> {
        let Some(width) = self.width else {
            return self.line(runs, 0, out);
        };
        let safe = safe_runs(runs);
        let color = self.p.color;
        for l in wrap_words(&safe, width, |s| if color { ("", "") } else { marks(s) }) {
            put(self.p, Some(&l), out)?;
            writeln!(out)?;
        }
        Ok(())
    }

    /// A diff written inline, each line indented (continuation lines too).
    fn inline(&self, segs: &[Segment], dim: bool, out: &mut impl Write) -> io::Result<()> {
        let mut lines: Vec<Vec<Run>> = vec![Vec::new()];
        for s in segs {
            let style = match s.op {
                Op::Equal if dim => Style::Dim,
                Op::Equal => Style::Plain,
                Op::Delete => Style::Deleted,
                Op::Insert => Style::Inserted,
            };
            // A mark or colour run spanning a line break is closed and reopened around it.
            for (k, part) in s.text.split('\n').enumerate() {
                if k > 0 {
                    lines.push(Vec::new());
                }
                if let Some(l) = lines.last_mut()
                    && !part.is_empty()
                {
                    l.push((style, part.to_string()));
                }
            }
        }
        for l in &lines {
            self.line(l, INDENT, out)?;
        }
        Ok(())
    }

    /// One line of text after `indent` spaces; with a width, wrapped so that no line is
    /// wider, each continuation indented the same.
    fn line(&self, runs: &[Run], indent: usize, out: &mut impl Write) -> io::Result<()> {
        let pad = " ".repeat(indent);
        let Some(width) = self.width else {
            out.write_all(pad.as_bytes())?;
            for (style, text) in runs {
                self.p.paint(out, *style, text)?;
            }
            return writeln!(out);
        };
        let color = self.p.color;
        let wrapped = wrap_styled(
            &safe_runs(runs),
            width.saturating_sub(indent),
            |s| if color { ("", "") } else { marks(s) },
            false,
        );
        for l in &wrapped {
            out.write_all(pad.as_bytes())?;
            put(self.p, Some(l), out)?;
            writeln!(out)?;
        }
        Ok(())
    }
}

/// One styled character run, for wrapping.
type Run = (Style, String);

/// Statute text never reaches the terminal with its own control characters: they are made
/// visible before widths are measured.
fn safe_runs(runs: &[Run]) -> Vec<Run> {
    runs.iter()
        .map(|(s, t)| (*s, terminal_text(t).into_owned()))
        .collect()
}

/// Appends `text` in `style` to a line, joining the last run when it has the same style.
fn push_run(line: &mut Vec<Run>, style: Style, text: &str) {
    match line.last_mut() {
        Some((s, t)) if *s == style => t.push_str(text),
        _ if text.is_empty() => {}
        _ => line.push((style, text.to_string())),
    }
}

/// Wraps a header line between words: after a 、，； where it can, else after a space.
/// Each line is as many words as fit in `width` columns, marks included, with the space it
/// ends on dropped; a word wider than a whole line is wrapped at its spaces, and then by
/// character (as [`wrap_styled`] does). Marks are inserted as text, as `wrap` does.
fn wrap_words(
    runs: &[Run],
    width: usize,
    marks: impl Fn(Style) -> (&'static str, &'static str) + Copy,
) -> Vec<Vec<Run>> {
    let shown_width = |line: &[Run]| -> usize {
        line.iter()
            .map(|(s, t)| {
                let (open, close) = marks(*s);
                text_width(open) + text_width(t) + text_width(close)
            })
            .sum()
    };
    pack_words(runs, width, &['、', '，', '；'], &shown_width)
        .into_iter()
        .flat_map(|l| {
            let words = if shown_width(&l) <= width {
                vec![l]
            } else {
                pack_words(&l, width, &[' '], &shown_width)
            };
            words.into_iter().flat_map(|l| {
                // One line with its marks; by character when a single word is too wide.
                let limit = if shown_width(&l) <= width {
                    usize::MAX
                } else {
                    width
                };
                wrap_styled(&l, limit, marks, true)
            })
        })
        .collect()
}

/// Cuts runs into words, each ending after one of `breaks`, and packs them greedily into
/// lines of at most `width` (as `shown_width` measures; a line's closing spaces are
/// dropped and not counted). A word wider than `width` stands on a line of its own.
fn pack_words(
    runs: &[Run],
    width: usize,
    breaks: &[char],
    shown_width: &impl Fn(&[Run]) -> usize,
) -> Vec<Vec<Run>> {
    let mut words: Vec<Vec<Run>> = Vec::new();
    let mut word: Vec<Run> = Vec::new();
    for (style, text) in runs {
        let mut start = 0;
        for (i, c) in text.char_indices() {
            if breaks.contains(&c) {
                let end = i + c.len_utf8();
                push_run(&mut word, *style, &text[start..end]);
                words.push(std::mem::take(&mut word));
                start = end;
            }
        }
        push_run(&mut word, *style, &text[start..]);
    }
    if !word.is_empty() {
        words.push(word);
    }
    let trimmed = |line: &[Run]| -> Vec<Run> {
        let mut l = line.to_vec();
        while let Some((_, t)) = l.last_mut() {
            let n = t.trim_end_matches(' ').len();
            t.truncate(n);
            if !t.is_empty() {
                break;
            }
            l.pop();
        }
        l
    };
    let mut lines: Vec<Vec<Run>> = Vec::new();
    let mut line: Vec<Run> = Vec::new();
    for w in words {
        let mut longer = line.clone();
        for (s, t) in &w {
            push_run(&mut longer, *s, t);
        }
        if line.is_empty() || shown_width(&trimmed(&longer)) <= width {
            line = longer;
        } else {
            lines.push(trimmed(&line));
            line = w;
        }
    }
    lines.push(trimmed(&line));
    lines
}

/// Columns a side-by-side row spends outside its two text columns: the indent before the
/// left one and ` │ ` between them. Each column is wrapped to [`column_width`], closing
/// punctuation hanging into its last two columns, so that a row is never wider than the
/// width even then.
const SIDE_GUTTER: usize = INDENT + 3;

/// The width of each column side by side, for a total width.
fn column_width(width: usize) -> usize {
    (width.saturating_sub(SIDE_GUTTER) / 2).max(12)
}

/// An entry in two columns: each line change is a row, old side left, new side right.
fn side_by_side(
    p: &Painter,
    e: &crate::diff::Entry,
    width: usize,
    dim: bool,
    out: &mut impl Write,
) -> io::Result<()> {
    let col = column_width(width);
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

/// `s` cut to `width` columns (with `…` when cut, the `…` within them), never inside a
/// character.
pub fn fit(s: &str, width: usize) -> String {
    if text_width(s) <= width {
        return s.to_string();
    }
    let mut out = String::new();
    let mut used = 0;
    for c in s.chars() {
        let w = c.width().unwrap_or(0);
        if used + w + 1 > width {
            break;
        }
        out.push(c);
        used += w;
    }
    if width > 0 {
        out.push('…');
    }
    out
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
    fn header_lines_wrap_between_words() {
        let runs = vec![(
            Style::Plain,
            "新增 1 条，删除 1 条，修改 12 条，仅条序变化 4 条".to_string(),
        )];
        let texts: Vec<String> = wrap_words(&runs, 24, |_| ("", ""))
            .iter()
            .map(|l| l.iter().map(|(_, t)| t.as_str()).collect())
            .collect();
        assert_eq!(
            texts,
            ["新增 1 条，删除 1 条，", "修改 12 条，", "仅条序变化 4 条"]
        );
        let runs = vec![
            (Style::Tag, "[标题改名] ".to_string()),
            (Style::Deleted, "第二章 管理措施".to_string()),
        ];
        let texts: Vec<String> = wrap_words(&runs, 20, marks)
            .iter()
            .map(|l| l.iter().map(|(_, t)| t.as_str()).collect())
            .collect();
        assert_eq!(texts, ["[标题改名]", "[-第二章 管理措施-]"]);
    }

    #[test]
    fn side_by_side_rows_fit_with_hanging_punctuation() {
        for width in 29..90 {
            let col = column_width(width);
            assert!(INDENT + col + 3 + col <= width, "{width}");
        }
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
