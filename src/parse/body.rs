//! Body lines to the node tree: headings, 条/points/paragraph units, 款项目, annexes,
//! footnotes, 目录 and closing lines. Shared by every input format.

use std::borrow::Cow;
use std::collections::HashSet;

use super::Warning;
use crate::model::{
    Annex, Article, Body, Division, DivisionKind, Footnote, Item, Loc, Node, Note, Para, UnitNum,
};
use crate::numerals::{self, parse_numeral};

/// One non-blank body line with markup removed.
#[derive(Debug, Clone)]
pub struct Line<'a> {
    pub text: Cow<'a, str>,
    /// 1-based line number in the source.
    pub no: u32,
    /// The source marked the line as a heading (`## …`).
    pub marked: bool,
}

/// What a document's units are.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Mode {
    Articles,
    Points,
    Positions,
}

/// Builds the body from its lines.
pub fn build(lines: &[Line<'_>], title: &str, warnings: &mut Vec<Warning>) -> Body {
    let mut body = Body::default();
    // The title printed again at the top of the body, possibly wrapped over a few lines.
    let mut lines = lines;
    if !title.is_empty() {
        let want = squash(title);
        let mut got = String::new();
        // Thematic breaks are passed over: the body drops them, so the canonical form has
        // none between the title's pieces, and must find the same title line.
        let is_break = |l: &Line<'_>| l.text == "---";
        let mut seen = 0;
        for (k, l) in lines.iter().enumerate() {
            if is_break(l) {
                continue;
            }
            // The title wraps over three lines at most.
            seen += 1;
            if seen > 3 {
                break;
            }
            if l.marked {
                break;
            }
            // A line that starts an article or a point is never the title, even when its text
            // reads as the title: the canonical form writes such a unit unmarked, where the
            // source may have marked it, and both must be read alike.
            if seen == 1 && (article_line(&l.text).is_some() || point_start(&l.text).is_some()) {
                break;
            }
            got.push_str(&squash(&l.text));
            if !want.starts_with(&got) {
                break;
            }
            if got == want {
                let joined: String = lines[..=k]
                    .iter()
                    .filter(|l| !is_break(l))
                    .map(|l| l.text.as_ref())
                    .collect();
                body.title_line = Some(joined);
                lines = &lines[k + 1..];
                break;
            }
        }
    }
    let mut rest = take_toc(lines, &mut body.toc);
    rest.retain(|l| l.text != "---");
    if let Some(first) = rest.first()
        && !first.marked
        && doc_number_line(&first.text)
    {
        body.doc_number = Some(first.text.to_string());
        rest.remove(0);
    }
    let rest = split_run_in_annex(rest);
    let rest = rest.as_slice();

    // Split into the main section and the annexes that follow it.
    let mut sections: Vec<&[Line<'_>]> = Vec::new();
    let mut start = 0;
    for (i, l) in rest.iter().enumerate() {
        if annex_start(&l.text) {
            sections.push(&rest[start..i]);
            start = i;
        }
    }
    sections.push(&rest[start..]);

    let mut inline_circled: HashSet<char> = HashSet::new();
    let mut position = 0u32;
    // Units before the current section, to give notes their place in `articles()`.
    let mut units_before = 0usize;
    for (si, section) in sections.iter().enumerate() {
        let (title, content) = if si == 0 {
            (None, *section)
        } else {
            (Some(&section[0]), &section[1..])
        };
        let mode = mode_of(content);
        let notes = note_lines(content, mode, &inline_circled, si == 0);
        let mut b = Builder::new(mode);
        // Each note with the number of units started before it in this section.
        let mut section_notes: Vec<(usize, Note)> = Vec::new();
        for (l, note) in content.iter().zip(&notes) {
            match note {
                Some(marker_len) => {
                    b.note_inline(&l.text, &mut inline_circled);
                    let t: &str = &l.text;
                    section_notes.push((
                        b.units,
                        Note {
                            marker: t[..*marker_len].to_string(),
                            text: t[*marker_len..].trim().to_string(),
                            after: None,
                            annex: si.checked_sub(1),
                            loc: Loc(l.no),
                        },
                    ));
                }
                None => b.line(l, &mut inline_circled, &mut body.footnotes, warnings),
            }
        }
        let mut nodes = b.finish();
        if si == 0 {
            body.closing = take_closing(&mut nodes);
        }
        if mode == Mode::Positions {
            number_positions(&mut nodes, &mut position);
        }
        // Closing lines taken from the end were counted as units in a document of
        // positional paragraphs: a note after them trails the last unit.
        let units = crate::model::count_units(&nodes);
        for (started, mut note) in section_notes {
            note.after = started.min(units).checked_sub(1).map(|k| units_before + k);
            body.notes.push(note);
        }
        units_before += units;
        match title {
            None => body.nodes = nodes,
            Some(t) => body.annexes.push(Annex {
                title: t.text.to_string(),
                children: nodes,
                loc: Loc(t.no),
            }),
        }
    }
    body
}

/// A document number (发文字号) alone on a line: an issuer's abbreviation, the year in 〔〕
/// (or [] ［］ （） ()), a serial number and 号: 法释〔2020〕17号, 高检发释字〔2000〕3号,
/// 国发〔2016〕1号.
fn doc_number_line(t: &str) -> bool {
    let t = t.trim();
    if t.chars().count() > 30 || !t.ends_with('号') {
        return false;
    }
    let Some(open) = t.find(['〔', '[', '［', '（', '(']) else {
        return false;
    };
    let prefix = &t[..open];
    let prefix_ok = !prefix.is_empty()
        && prefix.chars().count() <= 12
        && prefix
            .chars()
            .all(|c| !c.is_whitespace() && !"，。；：、,.;:".contains(c));
    let rest = &t[open..];
    let rest = &rest[rest.chars().next().map_or(0, char::len_utf8)..];
    let year_len = rest.chars().take_while(char::is_ascii_digit).count();
    let Some(after_year) = rest.get(year_len..) else {
        return false;
    };
    let Some(close) = after_year.chars().next() else {
        return false;
    };
    let serial = &after_year[close.len_utf8()..];
    let serial = serial.strip_suffix('号').unwrap_or(serial);
    prefix_ok
        && year_len == 4
        && matches!(close, '〕' | ']' | '］' | '）' | ')')
        && !serial.is_empty()
        && serial.chars().all(|c| c.is_ascii_digit())
}

/// An annex title run into the line before it ("…施行。 附件一 …") starts its own line.
fn split_run_in_annex(lines: Vec<Line<'_>>) -> Vec<Line<'_>> {
    let mut out = Vec::with_capacity(lines.len());
    for l in lines {
        let t: &str = &l.text;
        if !t.contains('附') {
            out.push(l);
            continue;
        }
        let cut = ["附件", "附表", "附录"].iter().find_map(|w| {
            t.match_indices(w).map(|(i, _)| i).find(|&i| {
                let before = t[..i].trim_end();
                before.len() < i && before.ends_with(['。', '；']) && annex_start(&t[i..])
            })
        });
        match cut {
            Some(i) => {
                let head = t[..i].trim_end().to_string();
                let tail = t[i..].to_string();
                out.push(Line {
                    text: Cow::Owned(head),
                    no: l.no,
                    marked: l.marked,
                });
                out.push(Line {
                    text: Cow::Owned(tail),
                    no: l.no,
                    marked: false,
                });
            }
            None => out.push(l),
        }
    }
    out
}

/// Removes all whitespace (ASCII, full-width and no-break spaces).
pub fn squash(s: &str) -> String {
    s.chars().filter(|c| !c.is_whitespace()).collect()
}

/// `squash(a) == b` without allocating.
fn squashed_eq(a: &str, b: &str) -> bool {
    a.chars().filter(|c| !c.is_whitespace()).eq(b.chars())
}

/// A 目录 printed before the first unit: its entries are kept apart from the body proper.
fn take_toc<'a>(lines: &[Line<'a>], toc: &mut Vec<String>) -> Vec<Line<'a>> {
    let Some(pos) = lines.iter().position(|l| squashed_eq(&l.text, "目录")) else {
        return unlabelled_toc(lines, toc);
    };
    if lines[..pos].iter().any(|l| article_line(&l.text).is_some()) {
        return lines.to_vec();
    }
    let mut i = pos + 1;
    let mut first: Option<String> = None;
    while i < lines.len() {
        let l = &lines[i];
        let t: &str = &l.text;
        if t == "---" {
            i += 1;
            break;
        }
        let entry = t
            .strip_prefix("- ")
            .or_else(|| t.strip_prefix("* "))
            .unwrap_or(t)
            .trim();
        let key = squash(entry);
        if article_line(t).is_some()
            || (l.marked && !toc.is_empty())
            || first.as_deref() == Some(key.as_str())
        {
            break;
        }
        first.get_or_insert(key);
        toc.push(entry.to_string());
        i += 1;
    }
    // The lines before 目录 (if any) stay; the 目录 line and its entries go.
    let mut rest = lines[..pos].to_vec();
    rest.extend_from_slice(&lines[i..]);
    rest
}

/// A table of contents printed without a 目录 line: near the top of the body, a run of at
/// least three headings with nothing between them, the first of which appears again later.
/// The headings are 第…章/节 lines, or marked 一、 headings (the 司法解释 style).
fn unlabelled_toc<'a>(lines: &[Line<'a>], toc: &mut Vec<String>) -> Vec<Line<'a>> {
    let is_heading = |l: &Line<'_>| {
        heading_shaped(&l.text)
            && (division_of(&l.text).is_some() || (l.marked && point_start(&l.text).is_some()))
    };
    let Some(start) = lines.iter().take(5).position(is_heading) else {
        return lines.to_vec();
    };
    let first = squash(&lines[start].text);
    // The run ends where the first heading comes again (the real one), or at the first
    // line that is not a heading.
    let run = 1 + lines[start + 1..]
        .iter()
        .take_while(|l| is_heading(l) && !squashed_eq(&l.text, &first))
        .count();
    let end = start + run;
    if run < 3 || !lines[end..].iter().any(|l| squashed_eq(&l.text, &first)) {
        return lines.to_vec();
    }
    toc.extend(lines[start..end].iter().map(|l| l.text.to_string()));
    let mut rest = lines[..start].to_vec();
    rest.extend_from_slice(&lines[end..]);
    rest
}

fn mode_of(lines: &[Line<'_>]) -> Mode {
    if lines.iter().any(|l| article_line(&l.text).is_some()) {
        Mode::Articles
    } else if lines.iter().any(|l| point_start(&l.text).is_some()) {
        Mode::Points
    } else {
        Mode::Positions
    }
}

/// `第…条` or `第…条之…` at the start of `t`: (byte length of the label, number).
/// `None` in the number means the numeral could not be read. ([`numerals::article_label`]
/// as a [`UnitNum`].)
pub fn article_start(t: &str) -> Option<(usize, Option<UnitNum>)> {
    let (len, num) = numerals::article_label(t)?;
    Some((len, num.map(|(main, sub)| UnitNum::Article { main, sub })))
}

/// [`article_start`] of a line that starts an article: not a line that starts with a
/// reference to one, as the plain paragraphs of an amending decision do
/// (“第五条条首部分修改为…”, “第一条第二款开始部分增加规定…”, “第六条和第七条合并…”): a label
/// is never followed, without a space, by a 款 or 项 of it, a list of articles, or the
/// words of an instruction.
pub fn article_line(t: &str) -> Option<(usize, Option<UnitNum>)> {
    let (len, num) = article_start(t)?;
    (!continues_reference(&t[len..])).then_some((len, num))
}

/// Words that, right after 第N条, make it a reference rather than a label.
fn continues_reference(rest: &str) -> bool {
    const WORDS: [&str; 27] = [
        "、",
        "，",
        ",",
        "中的",
        "中“",
        "中增加",
        "中删去",
        "的规定",
        "的“",
        "和第",
        "及第",
        "或者第",
        "至第",
        "与第",
        "修改为",
        "改为",
        "后增加",
        "前增加",
        "之后",
        "条首",
        "末尾",
        "开始部分",
        "合并",
        "增加一款",
        "增加一项",
        "增加一条",
        "删去",
    ];
    // Most labels are followed by a space or by text that starts none of the words.
    let Some(first) = rest.chars().next() else {
        return false;
    };
    if !"、，,中的和及或至与修改后前之条末开合增删第".contains(first) {
        return false;
    }
    if WORDS.iter().any(|w| rest.starts_with(w)) {
        return true;
    }
    // 第N款, 第N项, 第N目.
    let Some(after) = rest.strip_prefix('第') else {
        return false;
    };
    let n: usize = numerals::numeral_len(after);
    n > 0 && after[n..].starts_with(['款', '项', '目'])
}

/// The next article run into the same line: `。 第N条 ` where N follows `current`.
/// Returns (byte offset of 第, label length, number).
pub fn inline_article(text: &str, current: UnitNum) -> Option<(usize, usize, UnitNum)> {
    let UnitNum::Article { main, .. } = current else {
        return None;
    };
    let expected = UnitNum::Article {
        main: main + 1,
        sub: 0,
    };
    let mut from = 0;
    while let Some(rel) = text[from..].find('第') {
        let at = from + rel;
        from = at + '第'.len_utf8();
        let before = text[..at].trim_end();
        let spaced = before.len() < at;
        if !spaced || !before.ends_with(['。', '；']) {
            continue;
        }
        if let Some((len, Some(num))) = article_start(&text[at..])
            && num == expected
            && text[at + len..].starts_with(char::is_whitespace)
        {
            return Some((at, len, num));
        }
    }
    None
}

/// `一、` at the start: (byte length including 、, number).
fn point_start(t: &str) -> Option<(usize, u32)> {
    let n: usize = t
        .chars()
        .take_while(|&c| {
            numerals::is_numeral_char(c) && !c.is_ascii_digit() && !('０'..='９').contains(&c)
        })
        .map(char::len_utf8)
        .sum();
    if n == 0 || !t[n..].starts_with('、') {
        return None;
    }
    Some((n + '、'.len_utf8(), parse_numeral(&t[..n])?))
}

/// An item marker at the start: (level 1 for 项 （一）, 2 for 目 1. （1） ①; byte length; number).
pub fn item_start(t: &str) -> Option<(u8, usize, u32)> {
    let first = t.chars().next()?;
    if let Some(n) = circled(first) {
        return Some((2, first.len_utf8(), n));
    }
    // ⒈ and ⑴: one glyph for "1." and "(1)", sub-item markers like them.
    if let '\u{2488}'..='\u{249B}' | '\u{2474}'..='\u{2487}' = first {
        let n = if first >= '\u{2488}' {
            first as u32 - 0x2487
        } else {
            first as u32 - 0x2473
        };
        return Some((2, first.len_utf8(), n));
    }
    if first == '（' || first == '(' {
        let inner = &t[first.len_utf8()..];
        let n: usize = numerals::numeral_len(inner);
        if n == 0 {
            return None;
        }
        let close = inner[n..].chars().next()?;
        if close != '）' && close != ')' {
            return None;
        }
        let num = parse_numeral(&inner[..n])?;
        let arabic = inner[..n]
            .chars()
            .all(|c| c.is_ascii_digit() || ('０'..='９').contains(&c));
        let len = first.len_utf8() + n + close.len_utf8();
        return Some((if arabic { 2 } else { 1 }, len, num));
    }
    let n: usize = t
        .chars()
        .take_while(|c| c.is_ascii_digit() || ('０'..='９').contains(c))
        .map(char::len_utf8)
        .sum();
    if n == 0 || n > 3 {
        return None;
    }
    let mut rest = t[n..].chars();
    let sep = rest.next()?;
    if !matches!(sep, '.' | '．' | '、') {
        return None;
    }
    // 1.5倍 is a number, not a marker.
    if rest
        .next()
        .is_some_and(|c| c.is_ascii_digit() || ('０'..='９').contains(&c))
    {
        return None;
    }
    Some((2, n + sep.len_utf8(), parse_numeral(&t[..n])?))
}

fn circled(c: char) -> Option<u32> {
    ('①'..='⑳').contains(&c).then(|| c as u32 - '①' as u32 + 1)
}

/// 附件 / 附表 / 附录 opening an annex: a short line whose next character is not prose.
fn annex_start(t: &str) -> bool {
    if matches!(t, "附：" | "附:" | "附") {
        return true;
    }
    let Some(rest) = ["附件", "附表", "附录", "附图"]
        .iter()
        .find_map(|p| t.strip_prefix(p))
    else {
        return false;
    };
    if t.chars().count() > 60 {
        return false;
    }
    match rest.chars().next() {
        None => true,
        Some(c) => {
            numerals::is_numeral_char(c)
                || c.is_whitespace()
                || matches!(c, '：' | ':' | '（' | '(' | '—' | '-')
        }
    }
}

/// A line that reads as a heading even without markup: short, no sentence punctuation.
fn heading_shaped(t: &str) -> bool {
    t.chars().count() <= 40 && !t.contains(['。', '；', '，', '：', ';', ','])
}

/// 总则 / 附则 / 分则 / 罚则 alone on a line: a heading even without markup.
fn heading_word(t: &str) -> bool {
    ["总则", "附则", "分则", "罚则"]
        .iter()
        .any(|w| squashed_eq(t, w))
}

/// The kind, number and label length of a heading line.
fn division_of(t: &str) -> Option<(DivisionKind, Option<u32>, usize)> {
    if squashed_eq(t, "序言") {
        return Some((DivisionKind::Preamble, None, 0));
    }
    if let Some(rest) = t.strip_prefix('第') {
        let n: usize = numerals::numeral_len(rest);
        if n > 0 {
            let after = &rest[n..];
            for (suffix, kind) in [
                ("分编", DivisionKind::Subpart),
                ("编", DivisionKind::Part),
                ("章", DivisionKind::Chapter),
                ("节", DivisionKind::Section),
            ] {
                if after.starts_with(suffix) {
                    let len = '第'.len_utf8() + n + suffix.len();
                    return Some((kind, parse_numeral(&rest[..n]), len));
                }
            }
        }
    }
    None
}

/// A heading line as a division: its first `len` bytes are the label, the rest the title.
fn heading(kind: DivisionKind, num: Option<u32>, t: &str, len: usize, loc: Loc) -> Division {
    Division {
        kind,
        num,
        label: t[..len].to_string(),
        title: t[len..].trim().to_string(),
        children: Vec::new(),
        loc,
    }
}

/// The style rank and label of an ad-hoc heading (一、 / （一） / 1. / none).
fn adhoc_of(t: &str) -> (u8, Option<u32>, usize) {
    if let Some((len, n)) = point_start(t) {
        return (0, Some(n), len);
    }
    if let Some((level, len, n)) = item_start(t) {
        return (level, Some(n), len);
    }
    (3, None, 0)
}

struct Builder {
    mode: Mode,
    root: Vec<Node>,
    stack: Vec<Division>,
    article: Option<Article>,
    /// Units started so far (in a document of positional paragraphs, free paragraphs).
    units: usize,
}

impl Builder {
    fn new(mode: Mode) -> Builder {
        Builder {
            mode,
            root: Vec::new(),
            stack: Vec::new(),
            article: None,
            units: 0,
        }
    }

    fn container(&mut self) -> &mut Vec<Node> {
        match self.stack.last_mut() {
            Some(d) => &mut d.children,
            None => &mut self.root,
        }
    }

    fn flush_article(&mut self) {
        if let Some(a) = self.article.take() {
            self.container().push(Node::Article(a));
        }
    }

    /// A paragraph outside any unit: itself a unit in a document of positional paragraphs.
    fn push_para(&mut self, para: Para) {
        if self.mode == Mode::Positions {
            self.units += 1;
        }
        self.container().push(Node::Para(para));
    }

    fn close_top(&mut self) {
        if let Some(top) = self.stack.pop() {
            self.container().push(Node::Division(top));
        }
    }

    fn open_division(&mut self, d: Division) {
        self.flush_article();
        while let Some(top) = self.stack.last() {
            if top.kind == DivisionKind::Preamble || top.kind.rank() >= d.kind.rank() {
                self.close_top();
            } else {
                break;
            }
        }
        self.stack.push(d);
    }

    fn finish(mut self) -> Vec<Node> {
        self.flush_article();
        while !self.stack.is_empty() {
            self.close_top();
        }
        self.root
    }

    fn line(
        &mut self,
        l: &Line<'_>,
        inline_circled: &mut HashSet<char>,
        footnotes: &mut Vec<Footnote>,
        warnings: &mut Vec<Warning>,
    ) {
        let t: &str = &l.text;
        let loc = Loc(l.no);
        // Footnote text: a circled number already used inline.
        if let Some(first) = t.chars().next()
            && circled(first).is_some()
            && inline_circled.contains(&first)
        {
            self.note_inline(t, inline_circled);
            footnotes.push(Footnote {
                marker: first,
                text: t[first.len_utf8()..].trim().to_string(),
                loc,
            });
            return;
        }
        self.note_inline(t, inline_circled);

        if let Some((len, num)) = article_line(t) {
            let num = num.unwrap_or_else(|| {
                warnings.push(Warning::at(
                    l.no,
                    format!("cannot read the article number in “{}”", &t[..len]),
                ));
                UnitNum::Article { main: 0, sub: 0 }
            });
            // Some sources run consecutive articles together on one line
            // ("…制定本规则。 第二条 …"): split where the next number follows a sentence end.
            let mut label = &t[..len];
            let mut num = num;
            let mut rest = t[len..].trim_start();
            while let Some((at, next_len, next)) = inline_article(rest, num) {
                self.start_unit(num, label, rest[..at].trim_end(), loc);
                label = &rest[at..at + next_len];
                num = next;
                rest = rest[at + next_len..].trim_start();
            }
            self.start_unit(num, label, rest, loc);
            return;
        }
        if self.mode == Mode::Points
            && let Some((len, n)) = point_start(t)
        {
            self.start_unit(UnitNum::Point(n), &t[..len], t[len..].trim_start(), loc);
            return;
        }
        if let Some((kind, num, len)) = division_of(t)
            && (l.marked || heading_shaped(t))
        {
            self.open_division(heading(kind, num, t, len, loc));
            return;
        }
        let adhoc_unmarked = self.mode == Mode::Articles
            && t.chars().count() <= 25
            && heading_shaped(t)
            && (point_start(t).is_some() || self.subheading(t) || heading_word(t));
        if l.marked || adhoc_unmarked {
            let (rank, num, len) = adhoc_of(t);
            self.open_division(heading(DivisionKind::Heading { rank }, num, t, len, loc));
            return;
        }
        if self.continues_heading(t) {
            if let Some(top) = self.stack.last_mut() {
                top.title.push_str(t.trim());
            }
            return;
        }
        if let Some((level, len, num)) = item_start(t) {
            let item = Item {
                marker: t[..len].to_string(),
                num,
                text: t[len..].trim_start().to_string(),
                subitems: Vec::new(),
                loc,
            };
            self.add_item(item, level, t);
            return;
        }
        let para = Para::plain(t, loc);
        match &mut self.article {
            Some(a) => a.paras.push(para),
            None => self.push_para(para),
        }
    }

    /// The second line of a 章/节 title the source broke in two (“第二章　听取和审议人民政府、
    /// 人民法院和” / “人民检察院的专项工作报告”): the open heading holds nothing yet, its title
    /// stops on a word that cannot end one (和、与、及、或、的 or a 、), and the line is short,
    /// without a sentence's punctuation, and no item.
    fn continues_heading(&self, t: &str) -> bool {
        let Some(top) = self.stack.last() else {
            return false;
        };
        let numbered = matches!(
            top.kind,
            DivisionKind::Part
                | DivisionKind::Subpart
                | DivisionKind::Chapter
                | DivisionKind::Section
        );
        numbered
            && self.article.is_none()
            && top.children.is_empty()
            && top.title.ends_with(['和', '与', '及', '或', '的', '、'])
            && t.chars().count() <= 40
            && !t.contains(['。', '；', '：', ';', ':'])
            && item_start(t).is_none()
            && point_start(t).is_none()
    }

    /// An unmarked （二） line that continues a run of （一） sub-headings under a 一、 heading
    /// (司法解释 group their articles so), rather than an item of the article before it.
    fn subheading(&self, t: &str) -> bool {
        let Some((1, _, n)) = item_start(t) else {
            return false;
        };
        let Some(top) = self.stack.last() else {
            return false;
        };
        match top.kind {
            // Right under a 一、 heading, before any article: （一） opens a sub-group.
            DivisionKind::Heading { rank: 0 } => self.article.is_none() && n == 1,
            // Under （一）: （二） follows it unless the open article is itself counting items.
            DivisionKind::Heading { rank: 1 } => {
                let item_run = self
                    .article
                    .as_ref()
                    .and_then(|a| a.paras.last())
                    .and_then(|p| p.items.last())
                    .is_some_and(|i| i.num + 1 == n);
                top.num.is_some_and(|m| m + 1 == n) && !item_run
            }
            _ => false,
        }
    }

    fn note_inline(&self, t: &str, inline_circled: &mut HashSet<char>) {
        // ①..⑳ are U+2460..U+2473, encoded E2 91 A0..E2 91 B3: most lines have none, and
        // a byte scan says so without decoding them: first for the lead byte alone (memchr,
        // a word at a time), which only quotes and dashes share, then for the pair.
        let b = t.as_bytes();
        if !b.contains(&0xE2) || !b.windows(2).any(|w| w == [0xE2, 0x91]) {
            return;
        }
        for c in t.chars().skip(1) {
            if circled(c).is_some() {
                inline_circled.insert(c);
            }
        }
    }

    fn start_unit(&mut self, num: UnitNum, label: &str, rest: &str, loc: Loc) {
        self.flush_article();
        self.units += 1;
        let mut paras = Vec::new();
        if !rest.is_empty() {
            paras.push(Para::plain(rest, loc));
        }
        self.article = Some(Article {
            num,
            label: label.to_string(),
            paras,
            loc,
        });
    }

    fn add_item(&mut self, item: Item, level: u8, line: &str) {
        let para = match &mut self.article {
            Some(a) => {
                if a.paras.is_empty() {
                    a.paras.push(Para::plain("", item.loc));
                }
                a.paras.last_mut()
            }
            // A list outside any unit (an annex's numbered entries): each entry whose
            // predecessor is itself an entry stands on its own.
            None => match self.container().last_mut() {
                Some(Node::Para(p)) if !(p.items.is_empty() && item_start(&p.text).is_some()) => {
                    Some(p)
                }
                _ => None,
            },
        };
        let Some(para) = para else {
            // An item with nothing to belong to stays as text; `check` reports it.
            let loc = item.loc;
            self.push_para(Para::plain(line, loc));
            return;
        };
        match para.items.last_mut() {
            Some(parent) if level == 2 => parent.subitems.push(item),
            _ => para.items.push(item),
        }
    }
}

/// `编者注`/`编者按` opening a line (also as `【编者注】`, `（编者注：`): the byte length of the
/// marker, with its bracket and colon.
fn editor_marker(t: &str) -> Option<usize> {
    let open = ['【', '（', '(', '['];
    let start = t
        .chars()
        .next()
        .filter(|c| open.contains(c))
        .map_or(0, char::len_utf8);
    let rest = &t[start..];
    if !(rest.starts_with("编者注") || rest.starts_with("编者按")) {
        return None;
    }
    let mut len = start + "编者注".len();
    for close in [['】', ')', '）', ']'], ['：', ':', ':', ':']] {
        if let Some(c) = t[len..].chars().next().filter(|c| close.contains(c)) {
            len += c.len_utf8();
        }
    }
    Some(len)
}

/// `注：`, `注释：` or `【注】` opening a line: the byte length of the marker.
fn plain_note_marker(t: &str) -> Option<usize> {
    ["注：", "注:", "注释：", "注释:", "【注】", "【注释】"]
        .iter()
        .find(|p| t.starts_with(*p))
        .map(|p| p.len())
}

/// Which lines of one part of the body (the main body or an annex) are editorial notes, with
/// the byte length of each note's marker. The rules (ARCHITECTURE.md lists them too):
///
/// - a line opening with 编者注 or 编者按 is a note wherever it stands;
/// - a line of the main body opening with 注： (注释：, 【注】) is a note when it trails a unit;
/// - a run of lines opening with ①..⑳, whose glyphs the text has not used before (else they
///   are footnotes), is a run of notes when it trails a unit and is no list: the line before
///   it does not introduce or continue one (does not end with ：；，、), and no line of the
///   run but the last ends so.
///
/// A line trails a unit when a unit started before it in its part of the body and what
/// follows is the end of that part, the next unit, a heading, an annex, another note, or (in
/// the main body) only closing lines (signature and date).
fn note_lines(
    lines: &[Line<'_>],
    mode: Mode,
    inline: &HashSet<char>,
    main: bool,
) -> Vec<Option<usize>> {
    let n = lines.len();
    let mut out: Vec<Option<usize>> = vec![None; n];
    let first_circled = |t: &str| t.chars().next().filter(|&c| circled(c).is_some());
    let candidate = |t: &str| match t.chars().next() {
        Some('注') => true,
        Some('编') => t.starts_with("编者"),
        Some('【' | '（' | '(' | '[') => ["【", "（", "(", "["].iter().any(|o| {
            t.strip_prefix(o)
                .is_some_and(|r| r.starts_with(['编', '注']))
        }),
        Some(c) => circled(c).is_some(),
        None => false,
    };
    if !lines.iter().any(|l| candidate(&l.text)) {
        return out;
    }
    // Lines opening with a glyph not used inline before them, as the builder will see them.
    let mut seen = inline.clone();
    let mut circ = vec![false; n];
    for (k, l) in lines.iter().enumerate() {
        if let Some(c) = first_circled(&l.text) {
            circ[k] = !seen.contains(&c);
        }
        seen.extend(l.text.chars().skip(1).filter(|&c| circled(c).is_some()));
    }
    let heading = |l: &Line<'_>| {
        let t: &str = &l.text;
        l.marked
            || (division_of(t).is_some() && heading_shaped(t))
            || (mode == Mode::Articles
                && t.chars().count() <= 25
                && heading_shaped(t)
                && (point_start(t).is_some() || heading_word(t)))
    };
    let note_shaped = |k: usize| {
        circ[k]
            || editor_marker(&lines[k].text).is_some()
            || plain_note_marker(&lines[k].text).is_some()
    };
    let unit_start = |k: usize| {
        let t: &str = &lines[k].text;
        match mode {
            Mode::Articles => article_line(t).is_some(),
            Mode::Points => point_start(t).is_some(),
            Mode::Positions => !heading(&lines[k]) && !note_shaped(k),
        }
    };
    // started[k]: a unit started before line k.
    let mut started = vec![false; n + 1];
    for k in 0..n {
        started[k + 1] = started[k] || unit_start(k);
    }
    for (k, l) in lines.iter().enumerate() {
        out[k] = editor_marker(&l.text);
    }
    // Only closing lines from `k` on: at most three, short, the last a date.
    let closing_tail = |k: usize| {
        let rest = &lines[k..];
        main && !rest.is_empty()
            && rest.len() <= 3
            && rest.last().is_some_and(|l| date_line(&l.text))
            && rest
                .iter()
                .all(|l| l.text.chars().count() <= 30 && heading_shaped(&l.text))
    };
    let ends_list = |t: &str| t.ends_with(['：', ':', '；', ';', '，', ',', '、']);
    // Backwards, so that what follows a line is decided before the line.
    let mut k = n;
    while k > 0 {
        k -= 1;
        let next_ok = |e: usize, out: &[Option<usize>]| {
            e == n
                || out[e].is_some()
                || unit_start(e)
                || heading(&lines[e])
                || annex_start(&lines[e].text)
                || closing_tail(e)
        };
        if out[k].is_some() {
            continue;
        }
        if let Some(len) = plain_note_marker(&lines[k].text) {
            if main && started[k] && next_ok(k + 1, &out) {
                out[k] = Some(len);
            }
            continue;
        }
        if !circ[k] {
            continue;
        }
        // The run of glyph lines ending at `k`.
        let e = k + 1;
        let mut s = k;
        while s > 0 && circ[s - 1] && out[s - 1].is_none() {
            s -= 1;
        }
        let list = s == 0
            || ends_list(&lines[s - 1].text)
            || lines[s..e - 1].iter().any(|l| ends_list(&l.text));
        if !list && started[s] && next_ok(e, &out) {
            for (i, l) in lines.iter().enumerate().take(e).skip(s) {
                out[i] = first_circled(&l.text).map(char::len_utf8);
            }
        }
        k = s;
    }
    out
}

/// Gives positional numbers to the free paragraphs of a document without 条 or points.
fn number_positions(nodes: &mut [Node], next: &mut u32) {
    for n in nodes.iter_mut() {
        match n {
            Node::Para(p) => {
                *next += 1;
                let para = std::mem::replace(p, Para::plain("", Loc(0)));
                let loc = para.loc;
                *n = Node::Article(Article {
                    num: UnitNum::Position(*next),
                    label: String::new(),
                    paras: vec![para],
                    loc,
                });
            }
            Node::Division(d) => number_positions(&mut d.children, next),
            Node::Article(_) => {}
        }
    }
}

/// A line that is only a date: 2020年12月29日, 二〇二〇年十二月二十九日.
fn date_line(t: &str) -> bool {
    let s = squash(t);
    matches!(super::history::date_prefix(&s), Some((_, n)) if n == s.chars().count())
}

/// "本决定自公布之日起施行。": a document's sentence on its own entry into force.
fn in_force_clause(t: &str) -> bool {
    let Some(rest) = t.strip_prefix('本') else {
        return false;
    };
    let doc = [
        "决定", "决议", "解释", "规定", "办法", "意见", "通知", "批复", "答复", "细则",
    ];
    let Some(rest) = doc.iter().find_map(|d| rest.strip_prefix(d)) else {
        return false;
    };
    let rest = rest.trim_end_matches(['。', '.']);
    (rest.starts_with('自') || rest.starts_with('从'))
        && (rest.ends_with("施行") || rest.ends_with("生效") || rest.ends_with("执行"))
        && t.chars().count() <= 60
}

/// Takes signature and date lines (落款) from the end of the main body.
fn take_closing(nodes: &mut Vec<Node>) -> Vec<String> {
    // Descend to the innermost last list of nodes.
    let mut list: &mut Vec<Node> = nodes;
    while matches!(list.last(), Some(Node::Division(_))) {
        match list.last_mut() {
            Some(Node::Division(d)) => list = &mut d.children,
            _ => unreachable!("checked above"),
        }
    }
    let closing_ok = |p: &Para, is_last: bool| {
        p.items.is_empty()
            && if is_last {
                date_line(&p.text)
            } else {
                p.text.chars().count() <= 30 && heading_shaped(&p.text)
            }
    };
    let mut taken: Vec<String> = Vec::new();
    match list.last_mut() {
        // A decision's numbered points end with its own entry into force, which is not part
        // of the last point: "本决定自公布之日起施行。"
        Some(Node::Article(a)) if matches!(a.num, UnitNum::Point(_)) => {
            if a.paras.len() > 1
                && a.paras
                    .last()
                    .is_some_and(|p| p.items.is_empty() && in_force_clause(&p.text))
                && let Some(p) = a.paras.pop()
            {
                taken.push(p.text);
            }
        }
        Some(Node::Article(a)) => {
            // Keep at least one paragraph in the article.
            while a.paras.len() > 1 && taken.len() < 3 {
                let Some(p) = a.paras.last() else { break };
                if !closing_ok(p, taken.is_empty()) {
                    break;
                }
                taken.push(p.text.clone());
                a.paras.pop();
            }
        }
        Some(Node::Para(_)) => {
            while taken.len() < 3 {
                let Some(Node::Para(p)) = list.last() else {
                    break;
                };
                if !closing_ok(p, taken.is_empty()) {
                    break;
                }
                // Leave a document at least one paragraph of its own.
                if list.len() == 1 {
                    break;
                }
                taken.push(p.text.clone());
                list.pop();
            }
        }
        _ => {}
    }
    taken.reverse();
    taken
}

#[cfg(test)]
mod tests {
    use super::*;

    fn lines(text: &str) -> Vec<Line<'_>> {
        text.lines()
            .enumerate()
            .filter(|(_, l)| !l.trim().is_empty())
            .map(|(i, l)| {
                let t = l.trim();
                let (t, marked) = match t.strip_prefix("## ") {
                    Some(rest) => (rest, true),
                    None => (t, false),
                };
                Line {
                    text: Cow::Borrowed(t),
                    no: i as u32 + 1,
                    marked,
                }
            })
            .collect()
    }

    #[test]
    fn recognises_markers() {
        assert!(matches!(
            article_start("第十条之一 甲"),
            Some((_, Some(UnitNum::Article { main: 10, sub: 1 })))
        ));
        assert!(matches!(
            article_start("第10条 甲"),
            Some((_, Some(UnitNum::Article { main: 10, sub: 0 })))
        ));
        assert!(article_start("第一章 总则").is_none());
        // A line that starts with a reference is no article.
        for t in [
            "第一条第二款开始部分增加规定：“甲。”",
            "第五条条首部分修改为：“甲”",
            "第六条和第七条合并修改为：",
            "第十条中的“甲”修改为“乙”。",
            "第三条、第四条删去。",
        ] {
            assert!(article_line(t).is_none(), "{t}");
        }
        assert!(article_line("第三百条裁判文书应当写明裁判依据。").is_some());
        assert!(article_line("第十条 第二款规定的期限").is_some());
        assert_eq!(item_start("（一）工资"), Some((1, "（一）".len(), 1)));
        assert_eq!(item_start("(2)甲"), Some((2, 3, 2)));
        assert_eq!(item_start("1.甲"), Some((2, 2, 1)));
        assert_eq!(item_start("1.5倍"), None);
        assert_eq!(item_start("2020年"), None);
        assert_eq!(point_start("十二、甲"), Some(("十二、".len(), 12)));
        assert!(annex_start("附件："));
        assert!(annex_start("附表一"));
        assert!(!annex_start("附件所列物质按照规定管理。"));
    }

    #[test]
    fn builds_chapters_articles_items() {
        let text = "## 第一章 总则\n第一条 甲。\n乙：\n（一）丙；\n1.丁；\n（二）戊。\n## 第二章 附则\n第二条 己。";
        let mut w = Vec::new();
        let body = build(&lines(text), "", &mut w);
        assert_eq!(body.nodes.len(), 2);
        let Node::Division(ch) = &body.nodes[0] else {
            panic!()
        };
        assert_eq!(ch.title, "总则");
        let Node::Article(a) = &ch.children[0] else {
            panic!()
        };
        assert_eq!(a.paras.len(), 2);
        assert_eq!(a.paras[1].items.len(), 2);
        assert_eq!(a.paras[1].items[0].subitems.len(), 1);
    }

    #[test]
    fn points_and_positions() {
        let mut w = Vec::new();
        let b = build(&lines("引言。\n一、甲。\n（一）乙；\n二、丙。"), "", &mut w);
        assert!(matches!(&b.nodes[0], Node::Para(_)));
        assert!(matches!(
            &b.nodes[1],
            Node::Article(Article {
                num: UnitNum::Point(1),
                ..
            })
        ));
        let b = build(
            &lines("甲。\n乙。\n最高人民法院\n2020年12月29日"),
            "",
            &mut w,
        );
        assert_eq!(b.closing, vec!["最高人民法院", "2020年12月29日"]);
        assert!(matches!(
            &b.nodes[1],
            Node::Article(Article {
                num: UnitNum::Position(2),
                ..
            })
        ));
    }

    #[test]
    fn a_title_broken_over_two_lines_is_one_title() {
        let mut w = Vec::new();
        let b = build(
            &lines(
                "## 第三章　审查和批准决算，听取和审议国民经济和\n\n社会发展计划、预算的执行情况报告，听取和审议审计工作报告\n第十五条 甲。\n## 第四章 检查\n第十六条 乙。",
            ),
            "",
            &mut w,
        );
        let Node::Division(d) = &b.nodes[0] else {
            panic!("{:?}", b.nodes[0]);
        };
        assert_eq!(
            d.title,
            "审查和批准决算，听取和审议国民经济和社会发展计划、预算的执行情况报告，听取和审议审计工作报告"
        );
        assert!(matches!(&d.children[..], [Node::Article(_)]));
        // A title that ends as titles do keeps the text under it as text.
        let b = build(
            &lines("## 第一章 总则\n本章适用于甲\n第一条 乙。"),
            "",
            &mut w,
        );
        let Node::Division(d) = &b.nodes[0] else {
            panic!("{:?}", b.nodes[0]);
        };
        assert_eq!(d.title, "总则");
        assert_eq!(d.children.len(), 2);
    }

    #[test]
    fn a_document_number_under_the_title_is_no_unit() {
        for yes in [
            "法释〔2020〕17号",
            "高检发释字〔2000〕3号",
            "国发[2016]1号",
            "法（2019）12号",
        ] {
            assert!(doc_number_line(yes), "{yes}");
        }
        for no in [
            "法释〔2020〕号",
            "依照法释〔2020〕17号办理。",
            "第一条 依照法释〔2020〕17号的规定，不再适用。",
            "〔2020〕17号",
            "法释〔20〕17号",
        ] {
            assert!(!doc_number_line(no), "{no}");
        }
        let mut w = Vec::new();
        let b = build(
            &lines("高检发释字〔2000〕3号\n为依法办理，解释如下：\n保税货物是指甲。"),
            "",
            &mut w,
        );
        assert_eq!(b.doc_number.as_deref(), Some("高检发释字〔2000〕3号"));
        assert_eq!(b.nodes.len(), 2);
        // Only right under the title: further down it is text.
        let b = build(&lines("为依法办理：\n法释〔2020〕17号\n甲。"), "", &mut w);
        assert_eq!(b.doc_number, None);
        assert_eq!(b.nodes.len(), 3);
    }

    #[test]
    fn preamble_is_closed_by_the_next_heading() {
        let mut w = Vec::new();
        let b = build(
            &lines("## 序言\n甲。\n## 第一章 总纲\n第一条 乙。"),
            "",
            &mut w,
        );
        assert_eq!(b.nodes.len(), 2);
    }
}
