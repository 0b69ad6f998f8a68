//! A draft 修改决定 (amending decision) from a [`ChangeSet`], in official drafting style:
//! numbered items in the old text's order, old article numbers throughout, each change
//! stated by the smallest clear instruction (a phrase, a 款 or 项, or the whole article),
//! and the closing “此外，对条文顺序作相应调整。” when articles were renumbered.

use std::io::{self, Write};

use super::select::Shown;
use crate::diff::{
    ChangeSet, Entry, EntryKind, HeadingChangeKind, LineChange, LineOp, LineRef, Op,
};
use crate::numerals::to_chinese;

/// At most this many phrase edits in one article are stated phrase by phrase.
const MAX_PHRASES: usize = 3;
/// A phrase instruction quotes at most this many characters on either side.
const MAX_PHRASE_CHARS: usize = 20;

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

/// Text inside Chinese quotation marks: inner double quotes become single ones.
fn quoted(s: &str) -> String {
    s.replace('“', "‘").replace('”', "’")
}

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

/// One phrase edit inside a line: the deleted and inserted text, with the equal text
/// before and after it on that line.
struct Phrase {
    before: String,
    deleted: String,
    inserted: String,
    after: String,
}

fn phrases(l: &LineChange) -> Vec<Phrase> {
    let mut out = Vec::new();
    let segs = &l.diff;
    let mut k = 0;
    while k < segs.len() {
        if segs[k].op == Op::Equal {
            k += 1;
            continue;
        }
        let before = if k > 0 && segs[k - 1].op == Op::Equal {
            segs[k - 1].text.clone()
        } else {
            String::new()
        };
        let (mut deleted, mut inserted) = (String::new(), String::new());
        while k < segs.len() && segs[k].op != Op::Equal {
            match segs[k].op {
                Op::Delete => deleted.push_str(&segs[k].text),
                _ => inserted.push_str(&segs[k].text),
            }
            k += 1;
        }
        let after = if k < segs.len() {
            segs[k].text.clone()
        } else {
            String::new()
        };
        out.push(Phrase {
            before,
            deleted,
            inserted,
            after,
        });
    }
    out
}

/// The last `n` characters of `s`.
fn tail(s: &str, n: usize) -> String {
    let chars: Vec<char> = s.chars().collect();
    chars[chars.len().saturating_sub(n)..].iter().collect()
}

/// The first `n` characters of `s`.
fn head(s: &str, n: usize) -> String {
    s.chars().take(n).collect()
}

/// Words that end many names in statutes; an insertion after one quotes the whole name.
const NAME_ENDINGS: [&str; 12] = [
    "委员会",
    "人民政府",
    "人民法院",
    "人民检察院",
    "代表大会",
    "主管部门",
    "部门",
    "机关",
    "机构",
    "单位",
    "组织",
    "规定",
];

/// Characters of `before` to quote to name the word an insertion follows: back to the
/// previous clause or list delimiter (“公安、”, not “安、”) when that is near, else a name
/// ending such as 委员会, else two characters.
fn word_tail(before: &str) -> usize {
    const DELIMITERS: [char; 8] = ['、', '，', '；', '：', '。', '（', '）', '“'];
    let chars: Vec<char> = before.chars().collect();
    let trailing = chars
        .iter()
        .rev()
        .take_while(|c| DELIMITERS.contains(c))
        .count();
    let word = chars[..chars.len() - trailing]
        .iter()
        .rev()
        .take_while(|c| !DELIMITERS.contains(c))
        .count();
    // A delimiter must bound the word: the start of the line is no word boundary.
    let bounded = word < chars.len() - trailing;
    let word = if word <= 8 && bounded {
        word
    } else {
        let stem: String = chars[..chars.len() - trailing].iter().collect();
        NAME_ENDINGS
            .iter()
            .find(|e| stem.ends_with(*e))
            .map_or(2, |e| e.chars().count())
    };
    (trailing + word).clamp(2, 10)
}

/// Characters of `after` to quote to name the word an insertion precedes: up to the next
/// delimiter when near, else through a name ending (法律委员会), else two characters.
fn word_head(after: &str) -> usize {
    const DELIMITERS: [char; 8] = ['、', '，', '；', '：', '。', '（', '）', '”'];
    let chars: Vec<char> = after.chars().collect();
    let word = chars.iter().take_while(|c| !DELIMITERS.contains(c)).count();
    if word <= 8 {
        return word.max(2);
    }
    (2..=10)
        .find(|&n| {
            let stem: String = chars[..n.min(chars.len())].iter().collect();
            NAME_ENDINGS.iter().any(|e| stem.ends_with(e))
        })
        .unwrap_or(2)
}

/// The quoted text of a phrase instruction: the old text to find, extended with context
/// until it occurs once in the old line, and the matching new text. `None` when no context
/// up to the limit makes it unique.
fn anchor(p: &Phrase, old_line: &str) -> Option<(String, String)> {
    let (bc, ac) = (p.before.chars().count(), p.after.chars().count());
    for extra in 0..=MAX_PHRASE_CHARS {
        // Grow on the side that has text; a pure insertion is placed after the word before
        // it (back to the previous 、，；: “公安、” rather than “安、”).
        let (min_b, min_a) = if p.deleted.is_empty() {
            (word_tail(&p.before), word_head(&p.after))
        } else {
            (0, 0)
        };
        let (b, a) = if bc >= min_b.max(extra) || ac == 0 {
            (tail(&p.before, extra.max(min_b).min(bc)), String::new())
        } else {
            (String::new(), head(&p.after, extra.max(min_a).min(ac)))
        };
        let find = format!("{b}{}{a}", p.deleted);
        let with = format!("{b}{}{a}", p.inserted);
        if find.is_empty() {
            continue;
        }
        if old_line.matches(find.as_str()).count() == 1 {
            return Some((find, with));
        }
        if extra >= bc.max(ac) {
            break;
        }
    }
    None
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

/// Phrase instructions for a modified line ("将“A”修改为“B”", "删去“A”", "在“A”后增加“B”"),
/// or `None` when its edits are too many, too long or cannot be quoted unambiguously.
fn phrase_clauses(l: &LineChange) -> Option<Vec<String>> {
    let ps = phrases(l);
    if ps.is_empty() || ps.len() > MAX_PHRASES {
        return None;
    }
    let old = old_line(l);
    let mut clauses = Vec::new();
    for p in &ps {
        if p.deleted.chars().count() > MAX_PHRASE_CHARS
            || p.inserted.chars().count() > MAX_PHRASE_CHARS
        {
            return None;
        }
        let (find, with) = anchor(p, &old)?;
        clauses.push(if p.inserted.is_empty() && find == p.deleted {
            format!("删去“{}”", quoted(&find))
        } else if p.deleted.is_empty() && with.starts_with(&find) {
            format!("在“{}”后增加“{}”", quoted(&find), quoted(&p.inserted))
        } else if p.deleted.is_empty() && with.ends_with(&find) {
            format!("在“{}”前增加“{}”", quoted(&find), quoted(&p.inserted))
        } else {
            format!("将“{}”修改为“{}”", quoted(&find), quoted(&with))
        });
    }
    Some(clauses)
}

/// Attaches a place to the first of a line's phrase clauses: "将第十条第二款中的“A”修改为“B”".
fn placed(place: &str, clauses: &[String]) -> String {
    let mut s = String::new();
    for (k, c) in clauses.iter().enumerate() {
        if k == 0 {
            let c = if let Some(rest) = c.strip_prefix('将') {
                format!("将{place}中的{rest}")
            } else if let Some(rest) = c.strip_prefix("删去") {
                format!("删去{place}中的{rest}")
            } else if let Some(rest) = c.strip_prefix('在') {
                format!("在{place}中的{rest}")
            } else {
                c.clone()
            };
            s.push_str(&c);
        } else {
            s.push('，');
            s.push_str(c.strip_prefix('将').unwrap_or(c));
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
            (LineOp::Modified, Some(r), _) => match phrase_clauses(l) {
                Some(clauses) => {
                    parts.push(format!("{}。", placed(&whole_place(Some(r)), &clauses)))
                }
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
            _ => return format!("将{old}修改为：\n{}", block(&side_text(e, true))),
        }
    }
    // Instructions beat the whole text when they are few and leave most lines as they were.
    let lines_total = e.lines.len().max(1);
    if parts.len() <= MAX_PHRASES && (rewritten_lines == 0 || rewritten_lines * 2 <= lines_total) {
        return parts.join("\n");
    }
    format!("将{old}修改为：\n{}", block(&side_text(e, true)))
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
