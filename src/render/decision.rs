//! A draft 修改决定 (amending decision) from a [`ChangeSet`], in official drafting style:
//! numbered items in the old text's order, old article numbers throughout, each change
//! stated by the smallest clear instruction (a phrase, a 款 or 项, or the whole article),
//! and the closing “此外，对条文顺序作相应调整。” when articles were renumbered.

use std::io::{self, Write};

use super::select::Shown;
use crate::amend::PhraseEdit;
use crate::diff::{
    ChangeSet, Entry, EntryKind, HeadingChangeKind, LineChange, LineOp, LineRef, Op,
};
use crate::numerals::to_chinese;
use crate::segment;

/// At most this many phrase edits in one article are stated phrase by phrase.
const MAX_PHRASES: usize = 3;
/// A phrase instruction quotes at most this many characters on either side.
const MAX_PHRASE_CHARS: usize = 30;

/// Writes the draft decision for the shown entries (context entries are ignored).
pub fn write(cs: &ChangeSet, shown: &[Shown<'_>], out: &mut impl Write) -> io::Result<()> {
    let title = &cs.new.title;
    writeln!(out, "关于修改《{title}》的决定（草案）")?;
    writeln!(out)?;
    writeln!(out, "决定对《{title}》作如下修改：")?;
    let items = items(cs, shown);
    for (k, item) in items.iter().enumerate() {
        writeln!(out)?;
        writeln!(out, "{}、{}", to_chinese(k as u32 + 1), item)?;
    }
    if items.is_empty() {
        writeln!(out)?;
        writeln!(out, "（两个文本之间没有实质性修改。）")?;
    }
    let renumbered = cs.entries.iter().any(|e| e.renumbered)
        || cs.headings.iter().any(|h| {
            matches!(
                h.kind,
                HeadingChangeKind::Renumbered | HeadingChangeKind::RenumberedRenamed
            )
        });
    writeln!(out)?;
    if renumbered {
        writeln!(out, "此外，对条文顺序作相应调整。")?;
        writeln!(out)?;
    }
    writeln!(out, "本决定自　　年　　月　　日起施行。")?;
    writeln!(out)?;
    writeln!(out, "《{title}》根据本决定作相应修改，重新公布。")
}

/// The items, each with its place in the old text for ordering.
fn items(cs: &ChangeSet, shown: &[Shown<'_>]) -> Vec<String> {
    // Position of each entry in the old text: its first old unit, or (added units) just
    // after the old unit of the nearest earlier entry.
    let mut last_old: Option<usize> = None;
    let mut prev_label: Option<&str> = None;
    let mut place: Vec<(usize, usize, Option<&str>)> = Vec::with_capacity(cs.entries.len());
    for (k, e) in cs.entries.iter().enumerate() {
        match e.old.first() {
            Some(u) => {
                place.push((2 * u.index + 1, k, prev_label));
                last_old = Some(u.index);
                prev_label = e.old.last().map(|u| u.label.as_str());
            }
            None => place.push((last_old.map_or(0, |i| 2 * i + 2), k, prev_label)),
        }
    }
    let shown_idx: Vec<usize> = shown
        .iter()
        .filter(|s| !s.context)
        .filter_map(|s| cs.entries.iter().position(|e| std::ptr::eq(e, s.entry)))
        .collect();
    let mut keyed: Vec<(usize, usize, String)> = Vec::new();
    for &k in &shown_idx {
        let e = &cs.entries[k];
        let (pos, _, before) = place[k];
        if let Some(text) = entry_item(e, before) {
            keyed.push((pos, k, text));
        }
    }
    // Heading changes stand before the first article under the heading.
    for h in &cs.headings {
        let Some(text) = heading_item(h) else {
            continue;
        };
        let key = h.old.as_ref().or(h.new.as_ref());
        let pos = cs
            .entries
            .iter()
            .enumerate()
            .filter(|(_, e)| {
                e.old
                    .iter()
                    .chain(&e.new)
                    .any(|u| key.is_some_and(|t| u.path.contains(t)))
            })
            .map(|(k, _)| place[k].0)
            .min()
            .unwrap_or(usize::MAX);
        keyed.push((pos.saturating_sub(1), 0, text));
    }
    keyed.sort_by_key(|(pos, k, _)| (*pos, *k));
    keyed.into_iter().map(|(_, _, t)| t).collect()
}

/// The unit word and number of a heading ("第二章 管理措施" → ("章", "第二章")).
fn heading_unit(heading: &str) -> Option<(&'static str, &str)> {
    let label = heading.split_whitespace().next()?;
    let unit = ["分编", "编", "章", "节"]
        .into_iter()
        .find(|u| label.ends_with(u) && label.starts_with('第'))?;
    Some((unit, label))
}

fn heading_title(heading: &str) -> &str {
    heading
        .split_once(char::is_whitespace)
        .map_or("", |(_, t)| t.trim())
}

fn heading_item(h: &crate::diff::HeadingChange) -> Option<String> {
    match h.kind {
        HeadingChangeKind::Renumbered => None,
        HeadingChangeKind::Renamed | HeadingChangeKind::RenumberedRenamed => {
            let old = h.old.as_deref()?;
            let new = h.new.as_deref()?;
            match heading_unit(old) {
                Some((unit, label)) => Some(format!(
                    "将{label}的{unit}名修改为“{}”。",
                    quoted(heading_title(new))
                )),
                None => Some(format!("将标题“{}”修改为“{}”。", quoted(old), quoted(new))),
            }
        }
        HeadingChangeKind::Added => {
            let new = h.new.as_deref()?;
            match heading_unit(new) {
                Some((unit, label)) => Some(format!(
                    "增加一{unit}，作为{label}，{unit}名为“{}”。",
                    quoted(heading_title(new))
                )),
                None => Some(format!("增加标题“{}”。", quoted(new))),
            }
        }
        HeadingChangeKind::Deleted => {
            let old = h.old.as_deref()?;
            match heading_unit(old) {
                Some((unit, label)) => Some(format!("删去{label}的{unit}名。")),
                None => Some(format!("删去标题“{}”。", quoted(old))),
            }
        }
    }
}

use crate::amend::quote as quoted;

/// A quoted block of one or more paragraphs, in the official style: every paragraph opens
/// with “, only the last one closes with ”.
fn block(text: &str) -> String {
    let paras: Vec<String> = text.split('\n').map(quoted).collect();
    let last = paras.len() - 1;
    paras
        .iter()
        .enumerate()
        .map(|(k, p)| {
            if k == last {
                format!("“{p}”")
            } else {
                format!("“{p}")
            }
        })
        .collect::<Vec<_>>()
        .join("\n")
}

fn side_text(e: &Entry, new: bool) -> String {
    e.diff
        .iter()
        .filter(|s| s.op == Op::Equal || s.op == if new { Op::Insert } else { Op::Delete })
        .map(|s| s.text.as_str())
        .collect()
}

/// Count words: 一条, 两条, 三条.
fn count(n: usize) -> String {
    if n == 2 {
        "两".to_string()
    } else {
        to_chinese(n as u32)
    }
}

fn labels(v: &[crate::diff::UnitRef]) -> String {
    v.iter()
        .map(|u| u.label.as_str())
        .collect::<Vec<_>>()
        .join("、")
}

fn entry_item(e: &Entry, before: Option<&str>) -> Option<String> {
    let old = e.old.first().map(|u| u.label.as_str());
    let new = e.new.first().map(|u| u.label.as_str());
    // The same wording in another layout is no amendment: a header line moved into the
    // units, points numbered in one source only. A split or merge of articles that keeps
    // every word still renumbers the statute, and is stated.
    let same_numbering = match (e.old.first(), e.new.first()) {
        (Some(o), Some(n)) => std::mem::discriminant(&o.num) == std::mem::discriminant(&n.num),
        _ => false,
    };
    if e.restructured && !(same_numbering && matches!(e.kind, EntryKind::Split | EntryKind::Merged))
    {
        return None;
    }
    match e.kind {
        EntryKind::Deleted => Some(format!("删去{}。", labels(&e.old))),
        EntryKind::Added => {
            let new = new?;
            let text = block(&side_text(e, true));
            let sub = e.new.first().is_some_and(
                |u| matches!(u.num, crate::model::UnitNum::Article { sub, .. } if sub > 0),
            );
            Some(match before {
                Some(b) if sub => format!("在{b}后增加一条，作为{new}：\n{text}"),
                _ => format!("增加一条，作为{new}：\n{text}"),
            })
        }
        EntryKind::Split => {
            let parts: Vec<String> = e
                .new
                .iter()
                .zip(split_units(&side_text(e, true), &unit_line_counts(e)))
                .map(|(u, t)| block(&format!("{}　{}", u.label, t)))
                .collect();
            Some(format!(
                "将{}改为{}条，分别作为{}，修改为：\n{}",
                old?,
                count(e.new.len()),
                labels(&e.new),
                parts.join("\n")
            ))
        }
        EntryKind::Merged => Some(format!(
            "将{}合并为一条，作为{}，修改为：\n{}",
            labels(&e.old),
            new?,
            block(&side_text(e, true))
        )),
        EntryKind::Unchanged if e.moved => {
            let chapter = e.new.first().and_then(|u| u.path.last());
            Some(match chapter {
                Some(c) if e.old.first().and_then(|u| u.path.last()) != Some(c) => {
                    format!("将{}移至{}，作为{}。", old?, chapter_label(c), new?)
                }
                _ => format!("将{}改为{}。", old?, new?),
            })
        }
        EntryKind::Unchanged => None,
        EntryKind::Modified if !e.substantive => None,
        EntryKind::Modified => Some(modified_item(e, old?)),
    }
}

/// "第二章 管理措施" → "第二章"; headings without a number are quoted whole.
fn chapter_label(h: &str) -> String {
    match heading_unit(h) {
        Some((_, label)) => label.to_string(),
        None => format!("“{}”", quoted(h)),
    }
}

/// Lines per new unit of a split.
fn unit_line_counts(e: &Entry) -> Vec<usize> {
    let mut counts = vec![0; e.new.len()];
    for l in &e.lines {
        if let Some(r) = l.new
            && r.unit < counts.len()
        {
            counts[r.unit] += 1;
        }
    }
    counts
}

/// The new text of a split cut into its units' texts.
fn split_units(text: &str, counts: &[usize]) -> Vec<String> {
    let lines: Vec<&str> = text.split('\n').collect();
    let mut out = Vec::new();
    let mut at = 0;
    for (k, &n) in counts.iter().enumerate() {
        let end = if k + 1 == counts.len() {
            lines.len()
        } else {
            (at + n).min(lines.len())
        };
        out.push(lines[at..end].join("\n"));
        at = end;
    }
    out
}

/// Where a line stands, in citation form relative to its article: 第二款, 第三项,
/// 第一款第二项 (the 款 is named only when the article has several).
fn locator(r: &LineRef, several_paras: bool) -> String {
    let mut s = String::new();
    if several_paras || r.item.is_none() {
        s.push_str(&format!("第{}款", to_chinese(r.para as u32)));
    }
    if let Some(i) = r.item {
        s.push_str(&format!("第{}项", to_chinese(i as u32)));
    }
    if let Some(m) = r.subitem {
        s.push_str(&format!("第{}目", to_chinese(m as u32)));
    }
    s
}

/// One edit of a line as character spans: the old text `os..oe` became the new `ns..ne`
/// (the text before `os` is the same on both sides, and so is the text after `oe`).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
struct Hunk {
    os: usize,
    oe: usize,
    ns: usize,
    ne: usize,
}

/// The line's edits, from its character diff.
fn hunks(l: &LineChange) -> Vec<Hunk> {
    let (mut o, mut n) = (0, 0);
    let mut out = Vec::new();
    let mut open: Option<Hunk> = None;
    for s in &l.diff {
        let len = s.text.chars().count();
        match s.op {
            Op::Equal => {
                out.extend(open.take());
                o += len;
                n += len;
            }
            Op::Delete | Op::Insert => {
                let h = open.get_or_insert(Hunk {
                    os: o,
                    oe: o,
                    ns: n,
                    ne: n,
                });
                if s.op == Op::Delete {
                    o += len;
                    h.oe = o;
                } else {
                    n += len;
                    h.ne = n;
                }
            }
        }
    }
    out.extend(open);
    out
}

/// The edits grown to whole words: each starts and ends where both the old and the new
/// text have a word boundary ([`segment::boundaries`]), so that no quotation cuts a word or
/// a citation; edits that grow into each other become one.
fn to_words(hs: &[Hunk], (old, new): (usize, usize), (bo, bn): (&[usize], &[usize])) -> Vec<Hunk> {
    let both = |o: usize, n: usize| segment::is_boundary(bo, o) && segment::is_boundary(bn, n);
    let mut out: Vec<Hunk> = Vec::new();
    for (k, &h) in hs.iter().enumerate() {
        let mut h = h;
        // The equal text between two edits corresponds character for character.
        let floor = out.last().map_or(0, |p| p.oe);
        while h.os > floor && !both(h.os, h.ns) {
            h.os -= 1;
            h.ns -= 1;
        }
        let ceiling = hs.get(k + 1).map_or(old, |next| next.os);
        while h.oe < ceiling && h.ne < new && !both(h.oe, h.ne) {
            h.oe += 1;
            h.ne += 1;
        }
        match out.last_mut() {
            Some(p) if h.os <= p.oe => {
                p.oe = h.oe;
                p.ne = h.ne;
            }
            _ => out.push(h),
        }
    }
    out
}

/// How an edit reads: an insertion after the word before it, before the word after it (at
/// the start of a line), or a replacement (deletions included).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Form {
    After,
    Before,
    Replace,
}

/// Characters that, ending an insertion, join it to the word after it: “宪法和” + “法律委员会”
/// is “宪法和法律委员会”, a new name, stated as 将“法律委员会”修改为“宪法和法律委员会”.
/// (An item added to a list, “监察委员会、”, follows the item before it instead.)
const JOINING: [char; 7] = ['和', '及', '与', '或', '的', '并', '暨'];

fn punctuation(c: char) -> bool {
    matches!(
        c,
        '，' | '。'
            | '；'
            | '：'
            | '、'
            | '（'
            | '）'
            | '“'
            | '”'
            | '‘'
            | '’'
            | '《'
            | '》'
            | ','
            | ';'
            | ':'
            | '('
            | ')'
            | '？'
            | '！'
            | '—'
    )
}

/// The word boundary before `k` in `b` (0 when none), and after it (`len` when none).
fn prev_boundary(b: &[usize], k: usize) -> usize {
    b.iter().rev().find(|&&x| x < k).copied().unwrap_or(0)
}

fn next_boundary(b: &[usize], k: usize, len: usize) -> usize {
    b.iter().find(|&&x| x > k).copied().unwrap_or(len)
}

/// An edit to state: its spans (grown to whole words and, for an insertion, to the word it is
/// placed by) and how it reads.
struct Stated {
    h: Hunk,
    form: Form,
}

impl Stated {
    fn edit(&self, old: &[char], new: &[char]) -> PhraseEdit {
        let from: String = old[self.h.os..self.h.oe].iter().collect();
        let to: String = new[self.h.ns..self.h.ne].iter().collect();
        match self.form {
            _ if to.is_empty() => PhraseEdit::Delete { text: from },
            Form::After if !from.is_empty() && to.starts_with(&from) => PhraseEdit::InsertAfter {
                text: to[from.len()..].to_string(),
                anchor: from,
            },
            Form::Before if !from.is_empty() && to.ends_with(&from) => PhraseEdit::InsertBefore {
                text: to[..to.len() - from.len()].to_string(),
                anchor: from,
            },
            _ => PhraseEdit::Replace { from, to },
        }
    }
}

/// Phrase instructions for a modified line, each on whole words and proved by applying it (it
/// changes every occurrence of what it quotes in the line, as 中的 says, and after them all
/// the old line is the new one); `None` when the line's edits are too many or too long, or
/// no quotation up to the limit proves right: the line is then restated.
fn phrase_edits(l: &LineChange) -> Option<Vec<PhraseEdit>> {
    let (o, n) = (old_line(l), new_line(l));
    let (old, new): (Vec<char>, Vec<char>) = (o.chars().collect(), n.chars().collect());
    let raw = hunks(l);
    if raw.is_empty() || raw.len() > 2 * MAX_PHRASES {
        return None;
    }
    let (bo, bn) = (segment::boundaries(&o), segment::boundaries(&n));
    let hs = to_words(&raw, (old.len(), new.len()), (&bo, &bn));
    if hs.len() > MAX_PHRASES {
        return None;
    }
    let mut stated: Vec<Stated> = Vec::new();
    for (k, &h) in hs.iter().enumerate() {
        let floor = if k == 0 { 0 } else { hs[k - 1].oe };
        let ceiling = hs.get(k + 1).map_or(old.len(), |x| x.os);
        let mut s = Stated {
            h,
            form: Form::Replace,
        };
        if h.os == h.oe {
            // An insertion between two words: placed after the word before it, unless it ends
            // with a joining word (it then belongs to the word after it), or opens the line.
            let inserted = &new[h.ns..h.ne];
            let next = old.get(h.oe).copied();
            let joins = inserted.last().is_some_and(|c| JOINING.contains(c))
                && next.is_some_and(|c| !punctuation(c))
                && h.oe < ceiling;
            if joins || h.os == floor && h.os == 0 {
                let end = next_boundary(&bo, h.oe, old.len()).min(ceiling);
                s.h.oe = end;
                s.h.ne = h.ne + (end - h.oe);
                s.form = if joins { Form::Replace } else { Form::Before };
            } else {
                // The word before: a whole word of two characters or more, not punctuation.
                let mut start = h.os;
                while start > floor {
                    start = prev_boundary(&bo, start).max(floor);
                    let word = &old[start..h.os];
                    if word.iter().filter(|&&c| !punctuation(c)).count() >= 2 {
                        break;
                    }
                }
                s.h.ns -= h.os - start;
                s.h.os = start;
                s.form = Form::After;
            }
        }
        stated.push(s);
    }
    // Each edit, applied to the line as the edits before it left it, must give the line as it
    // is with this one made too, and what it quotes must stand in the old line as often as
    // there (a reader holding the law in force finds the same places); else its quotation
    // grows a word at a time.
    let mut edits = Vec::new();
    for k in 0..stated.len() {
        let floor = if k == 0 { 0 } else { stated[k - 1].h.oe };
        let ceiling = stated.get(k + 1).map_or(old.len(), |x| x.h.os);
        let mut grown = 0;
        loop {
            let h = stated[k].h;
            let before: String = new[..h.ns].iter().chain(&old[h.os..]).collect();
            let after: String = new[..h.ne].iter().chain(&old[h.oe..]).collect();
            let edit = stated[k].edit(&old, &new);
            let same_places = o.matches(edit.find()).count() == before.matches(edit.find()).count();
            if same_places && edit.apply(&before).as_deref() == Some(after.as_str()) {
                edits.push(edit);
                break;
            }
            // Grow: an insertion's anchor on its own side, a replacement on either side.
            let left = h.os > floor;
            let right = h.oe < ceiling;
            let grow_left = match stated[k].form {
                Form::After => left,
                Form::Before => !right && left,
                Form::Replace => left && (grown % 2 == 0 || !right),
            };
            if grown >= 6 || !(left || right) {
                return None;
            }
            let s = &mut stated[k];
            if grow_left {
                let start = prev_boundary(&bo, h.os).max(floor);
                s.h.ns -= h.os - start;
                s.h.os = start;
            } else {
                let end = next_boundary(&bo, h.oe, old.len()).min(ceiling);
                s.h.ne += end - h.oe;
                s.h.oe = end;
            }
            grown += 1;
        }
    }
    // Short, few, and leaving most of the line as it was: else the line is restated.
    let changed: usize = raw.iter().map(|h| (h.oe - h.os).max(h.ne - h.ns)).sum();
    let too_long = edits.iter().any(|e| {
        e.find().chars().count() > MAX_PHRASE_CHARS
            || e.becomes().chars().count() > MAX_PHRASE_CHARS
    });
    if too_long || changed * 5 > old.len().max(1) * 2 {
        return None;
    }
    Some(edits)
}

/// The old text of a line.
fn old_line(l: &LineChange) -> String {
    l.diff
        .iter()
        .filter(|s| s.op != Op::Insert)
        .map(|s| s.text.as_str())
        .collect()
}

/// The new text of a line.
fn new_line(l: &LineChange) -> String {
    l.diff
        .iter()
        .filter(|s| s.op != Op::Delete)
        .map(|s| s.text.as_str())
        .collect()
}

/// True when a line's only change is its final punctuation turning between 。 and ； (or
/// ，), which follows from adding or removing the item after it and is not stated.
fn end_punctuation_only(l: &LineChange) -> bool {
    let (o, n) = (old_line(l), new_line(l));
    let ends = ['。', '；', '，', ';', ','];
    match (o.chars().last(), n.chars().last()) {
        (Some(a), Some(b)) if a != b && ends.contains(&a) && ends.contains(&b) => {
            o[..o.len() - a.len_utf8()] == n[..n.len() - b.len_utf8()]
        }
        _ => false,
    }
}

/// A line's phrase instructions with their place, every clause with its verb (将, 在, 删去)
/// but a replacement after a replacement, which shares the first one's 将 as official
/// decisions write it: 将第十条第二款中的“A”修改为“B”，“C”修改为“D”，在“E”后增加“F”.
fn placed(place: &str, edits: &[PhraseEdit]) -> String {
    let mut s = String::new();
    for (k, e) in edits.iter().enumerate() {
        let c = e.clause();
        if k == 0 {
            let c = if let Some(rest) = c.strip_prefix('将') {
                format!("将{place}中的{rest}")
            } else if let Some(rest) = c.strip_prefix("删去") {
                format!("删去{place}中的{rest}")
            } else if let Some(rest) = c.strip_prefix('在') {
                format!("在{place}中的{rest}")
            } else {
                c
            };
            s.push_str(&c);
        } else {
            s.push('，');
            let shares = matches!(e, PhraseEdit::Replace { .. })
                && matches!(edits[k - 1], PhraseEdit::Replace { .. });
            s.push_str(if shares {
                c.strip_prefix('将').unwrap_or(&c)
            } else {
                &c
            });
        }
    }
    s
}

/// The instruction for a modified article: phrase by phrase, 款/项 by 款/项, or the whole
/// article, whichever states the change most briefly and clearly.
fn modified_item(e: &Entry, old: &str) -> String {
    let old_paras = e
        .lines
        .iter()
        .filter_map(|l| l.old.map(|r| r.para))
        .max()
        .unwrap_or(1);
    let several = old_paras > 1;
    let changed: Vec<&LineChange> = e
        .lines
        .iter()
        .enumerate()
        .filter(|(k, l)| {
            if l.op == LineOp::Equal || !l.substantive {
                return false;
            }
            // 。→； before an added item, ；→。 before a deleted last item: consequential.
            let next = e.lines.get(k + 1).map(|n| n.op);
            !(l.op == LineOp::Modified
                && matches!(next, Some(LineOp::Added | LineOp::Deleted))
                && end_punctuation_only(l))
        })
        .map(|(_, l)| l)
        .collect();
    if changed.is_empty() {
        return format!("将{old}修改为：\n{}", block(&side_text(e, true)));
    }
    let whole_place = |r: Option<LineRef>| match r {
        Some(r) if several || r.item.is_some() => format!("{old}{}", locator(&r, several)),
        _ => old.to_string(),
    };
    let mut parts: Vec<String> = Vec::new();
    let mut rewritten_lines = 0;
    for l in &changed {
        match (l.op, l.old, l.new) {
            (LineOp::Modified, Some(r), _) => match phrase_edits(l) {
                Some(edits) => parts.push(format!("{}。", placed(&whole_place(Some(r)), &edits))),
                None => {
                    rewritten_lines += 1;
                    parts.push(format!(
                        "将{}修改为：\n{}",
                        whole_place(Some(r)),
                        block(&new_line(l))
                    ));
                }
            },
            (LineOp::Deleted, Some(r), _) => {
                parts.push(format!("删去{old}{}。", locator(&r, several)))
            }
            (LineOp::Added, _, Some(r)) => {
                rewritten_lines += 1;
                let what = if r.subitem.is_some() {
                    "目"
                } else if r.item.is_some() {
                    "项"
                } else {
                    "款"
                };
                let pos = match what {
                    "目" => r.subitem,
                    "项" => r.item,
                    _ => Some(r.para),
                }
                .unwrap_or(1);
                let within = if r.item.is_some() && several {
                    format!("{old}第{}款中", to_chinese(r.para as u32))
                } else {
                    format!("{old}中")
                };
                parts.push(format!(
                    "在{within}增加一{what}，作为第{}{what}：\n{}",
                    to_chinese(pos as u32),
                    block(&new_line(l))
                ));
            }
            _ => return restated(e, old, &changed),
        }
    }
    // Instructions beat the whole text when they are few and leave most lines as they were.
    let lines_total = e.lines.len().max(1);
    if parts.len() <= MAX_PHRASES && (rewritten_lines == 0 || rewritten_lines * 2 <= lines_total) {
        return parts.join("\n");
    }
    restated(e, old, &changed)
}

/// The whole article restated. When it gains 款 as well, the decision says so first, as
/// official decisions combine them: 在第十条中增加一款，作为第二款，将该条修改为：…
fn restated(e: &Entry, old: &str, changed: &[&LineChange]) -> String {
    let added: Vec<usize> = changed
        .iter()
        .filter(|l| l.op == LineOp::Added)
        .filter_map(|l| l.new.filter(|r| r.item.is_none()).map(|r| r.para))
        .collect();
    let text = block(&side_text(e, true));
    if added.is_empty() || added.len() == changed.len() {
        return format!("将{old}修改为：\n{text}");
    }
    let places: Vec<String> = added
        .iter()
        .map(|&p| format!("第{}款", to_chinese(p as u32)))
        .collect();
    format!(
        "在{old}中增加{}款，作为{}，将该条修改为：\n{text}",
        count(added.len()),
        places.join("、")
    )
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn multi_paragraph_quote_opens_every_paragraph() {
        assert_eq!(block("甲。\n乙“丙”。"), "“甲。\n“乙‘丙’。”");
    }

    #[test]
    fn heading_units() {
        assert_eq!(heading_unit("第二章 管理措施"), Some(("章", "第二章")));
        assert_eq!(heading_unit("第一分编 通则"), Some(("分编", "第一分编")));
        assert_eq!(heading_unit("附则"), None);
    }

    #[test]
    fn locators() {
        let r = LineRef {
            unit: 0,
            para: 2,
            item: Some(3),
            subitem: None,
        };
        assert_eq!(locator(&r, true), "第二款第三项");
        assert_eq!(locator(&r, false), "第三项");
    }
}
