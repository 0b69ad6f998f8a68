//! A draft 修改决定 (amending decision) from a [`ChangeSet`], in official drafting style:
//! numbered items in the old text's order, old article numbers throughout, each change
//! stated by the smallest clear instruction (a phrase, a 款 or 项, or the whole article),
//! and the closing “此外，对条文顺序作相应调整。” when articles were renumbered.
//!
//! The changes are stated as [`amend::Op`]s, and [`amend::write_decision`] words them: the
//! drafter and the reader of amending acts ([`amend::parse_act`]) share one instruction model
//! and one wording.

use std::io::{self, Write};

use super::select::Shown;
use crate::amend::{self, ArticleNo, PhraseEdit, Target};
use crate::diff::{
    ChangeSet, Entry, EntryKind, HeadingChange, HeadingChangeKind, LineChange, LineOp, LineRef, Op,
    UnitRef,
};
use crate::model::UnitNum;
use crate::segment;

/// At most this many phrase edits in one article are stated phrase by phrase.
const MAX_PHRASES: usize = 3;
/// A phrase instruction quotes at most this many characters on either side.
const MAX_PHRASE_CHARS: usize = 30;

/// Writes the draft decision for the shown entries (context entries are ignored).
pub fn write(cs: &ChangeSet, shown: &[Shown<'_>], out: &mut impl Write) -> io::Result<()> {
    let renumbered = cs.entries.iter().any(|e| e.renumbered)
        || cs.headings.iter().any(|h| {
            matches!(
                h.kind,
                HeadingChangeKind::Renumbered | HeadingChangeKind::RenumberedRenamed
            )
        });
    amend::write_decision(&cs.new.title, &items(cs, shown), renumbered, None, out)
}

/// The decision's numbered items in the old text's order, each the instructions it states
/// (several when an article's changes are stated 款 by 款).
pub fn items(cs: &ChangeSet, shown: &[Shown<'_>]) -> Vec<Vec<amend::Op>> {
    // Position of each entry in the old text: its first old unit, or (added units) just
    // after the old unit of the nearest earlier entry.
    let mut last_old: Option<usize> = None;
    let mut prev: Option<&UnitRef> = None;
    let mut place: Vec<(usize, usize, Option<&UnitRef>)> = Vec::with_capacity(cs.entries.len());
    for (k, e) in cs.entries.iter().enumerate() {
        match e.old.first() {
            Some(u) => {
                place.push((2 * u.index + 1, k, prev));
                last_old = Some(u.index);
                prev = e.old.last();
            }
            None => place.push((last_old.map_or(0, |i| 2 * i + 2), k, prev)),
        }
    }
    let shown_idx: Vec<usize> = shown
        .iter()
        .filter(|s| !s.context)
        .filter_map(|s| cs.entries.iter().position(|e| std::ptr::eq(e, s.entry)))
        .collect();
    let mut keyed: Vec<(usize, usize, Vec<amend::Op>)> = Vec::new();
    for &k in &shown_idx {
        let e = &cs.entries[k];
        let (pos, _, before) = place[k];
        if let Some(ops) = entry_item(cs, e, before) {
            keyed.push((pos, k, ops));
        }
    }
    // Heading changes stand before the first article under the heading.
    for h in &cs.headings {
        let Some(op) = heading_item(cs, h) else {
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
        keyed.push((pos.saturating_sub(1), 0, vec![op]));
    }
    // The text before the first article (引言, a 序言, a document number) restated first.
    for t in &cs.texts {
        let top = t.path.is_empty() || t.path.iter().all(|p| p == "序言");
        if !t.substantive || !top {
            continue;
        }
        let had = t.old.as_deref().is_some_and(|o| !o.trim().is_empty());
        let new = t.new.as_deref().filter(|n| !n.trim().is_empty());
        if new.is_none() && had {
            // All of it gone: 删去序言.
            keyed.push((
                0,
                0,
                vec![amend::Op::DeletePart {
                    targets: vec![amend::Target {
                        scope: amend::Scope::Preamble { paragraph: None },
                        paragraph: None,
                        item: None,
                        subitem: None,
                    }],
                }],
            ));
        }
        if let Some(new) = new {
            keyed.push((
                0,
                0,
                vec![amend::Op::ReplaceArticle {
                    target: amend::Target {
                        scope: amend::Scope::Preamble { paragraph: None },
                        paragraph: None,
                        item: None,
                        subitem: None,
                    },
                    new_text: new.to_string(),
                }],
            ));
        }
    }
    // Annexes that are gone, after the articles.
    for t in cs.texts.iter().filter(|t| t.path == ["附件"]) {
        let kept: Vec<String> = t
            .new
            .iter()
            .flat_map(|n| n.lines())
            .map(crate::normalize::normalize)
            .collect();
        for title in t.old.iter().flat_map(|o| o.lines()) {
            if !kept.contains(&crate::normalize::normalize(title)) {
                keyed.push((
                    usize::MAX,
                    keyed.len(),
                    vec![amend::Op::DeleteAnnex {
                        annex: title.trim().to_string(),
                    }],
                ));
            }
        }
    }
    keyed.sort_by_key(|(pos, k, _)| (*pos, *k));
    keyed.into_iter().map(|(_, _, ops)| ops).collect()
}

/// The unit word and label of a heading ("第二章 管理措施" → ("章", "第二章")): its first
/// word, when that is a label [`amend::heading_unit`] knows.
fn heading_unit(heading: &str) -> Option<(&'static str, &str)> {
    let label = heading.split_whitespace().next()?;
    Some((amend::heading_unit(label)?, label))
}

fn heading_title(heading: &str) -> &str {
    heading
        .split_once(char::is_whitespace)
        .map_or("", |(_, t)| t.trim())
}

/// A heading as an instruction names it: its label (第二章), or its whole text when it has
/// none.
fn heading_name(heading: &str) -> &str {
    heading_unit(heading).map_or(heading, |(_, label)| label)
}

/// The first and last article (as the new text numbers them) under the new heading of `h`:
/// the new units whose headings begin with the heading's own path and the heading.
fn heading_span(cs: &ChangeSet, h: &HeadingChange) -> Option<(ArticleNo, ArticleNo)> {
    let new = h.new.as_ref()?;
    let depth = h.path.len();
    let under = |u: &&UnitRef| {
        u.path.len() > depth && u.path[..depth] == h.path[..] && &u.path[depth] == new
    };
    let nos: Vec<ArticleNo> = cs
        .entries
        .iter()
        .flat_map(|e| e.new.iter())
        .filter(under)
        .filter_map(article_no)
        .collect();
    Some((*nos.iter().min()?, *nos.iter().max()?))
}

fn heading_item(cs: &ChangeSet, h: &HeadingChange) -> Option<amend::Op> {
    match h.kind {
        HeadingChangeKind::Renumbered => None,
        HeadingChangeKind::Renamed | HeadingChangeKind::RenumberedRenamed => {
            let old = h.old.as_deref()?;
            let new = h.new.as_deref()?;
            let title = match heading_unit(old) {
                Some(_) => heading_title(new),
                None => new,
            };
            Some(amend::Op::RenameHeading {
                heading: qualified_name(cs, old),
                title: title.to_string(),
            })
        }
        HeadingChangeKind::Added => {
            let new = h.new.as_deref()?;
            // A new heading is placed by the articles it holds (增加一章，作为第三章“…”，包括
            // 第十条至第十五条); one that holds no article cannot be placed, and is not stated.
            let (first, last) = heading_span(cs, h)?;
            let (label, title) = match heading_unit(new) {
                Some((_, label)) => (label, heading_title(new)),
                None => ("", new),
            };
            Some(amend::Op::InsertHeading {
                label: label.to_string(),
                title: title.to_string(),
                first,
                last,
            })
        }
        HeadingChangeKind::Deleted => Some(amend::Op::DeleteHeading {
            heading: qualified_name(cs, h.old.as_deref()?),
        }),
    }
}

/// A heading of the old text as an instruction names it: a 节 with its 章 (第二章第三节), a 章
/// with its 编 or 分编, as their numbers start again under each; else its label, or its
/// words when it has none.
fn qualified_name(cs: &ChangeSet, old: &str) -> String {
    let name = heading_name(old);
    let Some((unit, _)) = heading_unit(old) else {
        return name.to_string();
    };
    let parent = cs
        .entries
        .iter()
        .flat_map(|e| &e.old)
        .find_map(|u| {
            let at = u.path.iter().position(|p| p == old)?;
            at.checked_sub(1).map(|k| u.path[k].as_str())
        })
        .and_then(heading_unit);
    match parent {
        Some((parent_unit, label))
            if matches!(
                (parent_unit, unit),
                ("章", "节") | ("编" | "分编", "章") | ("编", "分编")
            ) =>
        {
            format!("{label}{name}")
        }
        _ => name.to_string(),
    }
}

/// The number of an article of the main body. Units without one (the points of a decision
/// without 条, positional paragraphs, anything in an annex) have no place an instruction
/// can name.
fn article_no(u: &UnitRef) -> Option<ArticleNo> {
    match u.num {
        UnitNum::Article { main, sub } if u.annex.is_none() => Some(ArticleNo { main, sub }),
        _ => None,
    }
}

/// The numbers of all the units, or `None` when one has none.
fn article_nos(v: &[UnitRef]) -> Option<Vec<ArticleNo>> {
    v.iter().map(article_no).collect()
}

fn side_text(e: &Entry, new: bool) -> String {
    e.diff
        .iter()
        .filter(|s| s.op == Op::Equal || s.op == if new { Op::Insert } else { Op::Delete })
        .map(|s| s.text.as_str())
        .collect()
}

/// The instructions for one entry; `None` when it is no amendment, or when its units have no
/// article number to name (a change there is not stated: the instruction model names
/// articles, 款, 项 and 目 only).
fn entry_item(cs: &ChangeSet, e: &Entry, before: Option<&UnitRef>) -> Option<Vec<amend::Op>> {
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
    let old = || e.old.first().and_then(article_no);
    let new = || e.new.first().and_then(article_no);
    let op = match e.kind {
        EntryKind::Deleted => amend::Op::DeleteArticles {
            ranges: article_nos(&e.old)?.into_iter().map(|n| (n, n)).collect(),
        },
        EntryKind::Added => {
            let no = new()?;
            // 之一 articles are placed after the article before them.
            let after = before.and_then(article_no).filter(|_| no.sub > 0);
            // One that opens a 章 or 节 of the amended text says so (在第二章中增加一条): by
            // its number alone it would end the heading before.
            let heading = match (after, e.new.first()) {
                (None, Some(u)) => opened_heading(cs, u),
                _ => None,
            };
            amend::Op::InsertArticle {
                after,
                heading,
                articles: vec![(no, side_text(e, true))],
            }
        }
        EntryKind::Split => amend::Op::SplitArticle {
            article: old()?,
            into: article_nos(&e.new)?,
            texts: split_units(&side_text(e, true), &unit_line_counts(e)),
        },
        EntryKind::Merged => amend::Op::MergeArticles {
            articles: article_nos(&e.old)?,
            into: new()?,
            text: side_text(e, true),
        },
        EntryKind::Unchanged if e.moved => move_op(cs, e, old()?, new()?),
        EntryKind::Unchanged => return None,
        // A moved article says so after its changes: the renumbering alone would leave it
        // where it stood.
        EntryKind::Modified if !e.substantive => {
            if !e.moved {
                return None;
            }
            return Some(vec![move_op(cs, e, old()?, new()?)]);
        }
        EntryKind::Modified => {
            let mut ops = modified_item(e, old()?);
            if e.moved {
                ops.push(move_op(cs, e, old()?, new()?));
            }
            return Some(ops);
        }
    };
    Some(vec![op])
}

/// 将第X条移至第二章，作为第Y条 when the article moved under another heading of the amended
/// text (named as that text names it), else 将第X条改为第Y条 (a heading the decision adds
/// places its articles itself).
fn move_op(cs: &ChangeSet, e: &Entry, from: ArticleNo, to: ArticleNo) -> amend::Op {
    let heading = e.new.first().and_then(|u| u.path.last());
    let moved_under = heading.filter(|h| e.old.first().and_then(|u| u.path.last()) != Some(*h));
    // Under another heading, or at the start of its own: by its number alone it would end
    // the heading before.
    let named = match moved_under {
        Some(h) => old_heading(cs, h),
        None => e.new.first().and_then(|u| opened_heading(cs, u)),
    };
    match named {
        Some(heading) => amend::Op::MoveArticle { from, to, heading },
        None => amend::Op::RenumberArticle {
            from,
            to,
            new_text: None,
        },
    }
}

/// The heading a new article opens in the new text (the article before it stands under
/// another), as the amended text names it; `None` when it continues its heading, or opens one
/// the decision adds (which places its articles itself).
fn opened_heading(cs: &ChangeSet, u: &UnitRef) -> Option<String> {
    let h = u.path.last()?;
    let before = cs
        .entries
        .iter()
        .flat_map(|e| &e.new)
        .find(|v| v.index + 1 == u.index && v.annex == u.annex);
    if before.is_some_and(|b| b.path.last() == Some(h)) {
        return None;
    }
    old_heading(cs, h)
}

/// How the amended text names the heading the new text has as `new`: its old label (the
/// heading renamed or renumbered, or as it stood), qualified as [`qualified_name`] does;
/// `None` for a heading the decision adds.
fn old_heading(cs: &ChangeSet, new: &str) -> Option<String> {
    match cs.headings.iter().find(|h| h.new.as_deref() == Some(new)) {
        Some(h) if h.kind == HeadingChangeKind::Added => None,
        Some(h) => Some(qualified_name(cs, h.old.as_deref()?)),
        None => Some(qualified_name(cs, new)),
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
/// 第一款第二项 (the 款 is named only when the article has several, or the line is no 项).
fn locator(article: ArticleNo, r: &LineRef, several_paras: bool) -> Target {
    Target {
        paragraph: (several_paras || r.item.is_none()).then_some(r.para as u32),
        item: r.item.map(|i| i as u32),
        subitem: r.subitem.map(|m| m as u32),
        ..Target::article(article)
    }
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

/// The instructions for a modified article: phrase by phrase, 款/项 by 款/项, or the whole
/// article, whichever states the change most briefly and clearly.
fn modified_item(e: &Entry, article: ArticleNo) -> Vec<amend::Op> {
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
        return vec![amend::Op::ReplaceArticle {
            target: Target::article(article),
            new_text: side_text(e, true),
        }];
    }
    let has_items = e
        .lines
        .iter()
        .any(|l| l.old.is_some_and(|r| r.item.is_some()));
    // A line's place when the instruction names it whole: the article itself when it is one
    // 款 without 项 (an article's text is all its lines, a 款's its 项 too).
    let whole_place = |r: &LineRef| {
        if several || r.item.is_some() || has_items {
            locator(article, r, several)
        } else {
            Target::article(article)
        }
    };
    let mut parts: Vec<amend::Op> = Vec::new();
    let mut rewritten_lines = 0;
    for l in &changed {
        match (l.op, l.old, l.new) {
            (LineOp::Modified, Some(r), _) => match phrase_edits(l)
                .and_then(|edits| without_renumbered_marker(l, edits))
                .filter(|edits| !reaches_other_lines(e, l, &r, edits))
            {
                // Only the 项's number changed, as the 项 before it were inserted or deleted:
                // the renumbering follows from those instructions.
                Some(edits) if edits.is_empty() => {}
                Some(edits) => parts.push(amend::Op::Phrase {
                    targets: vec![whole_place(&r)],
                    edits,
                    restated: None,
                }),
                None => {
                    rewritten_lines += 1;
                    parts.push(amend::Op::ReplaceArticle {
                        target: whole_place(&r),
                        new_text: new_line(l),
                    });
                }
            },
            (LineOp::Deleted, Some(r), _) => parts.push(amend::Op::DeletePart {
                targets: vec![locator(article, &r, several)],
            }),
            // A new 目 has no instruction of its own in the model (its 项 would have to be
            // named): the article is restated.
            (LineOp::Added, _, Some(r)) if r.subitem.is_some() => {
                return restated(e, article, &changed);
            }
            (LineOp::Added, _, Some(r)) => {
                rewritten_lines += 1;
                // The 款 the new 项 goes in, by the amended version's numbers.
                let old_para = e
                    .lines
                    .iter()
                    .find(|m| m.new.is_some_and(|x| x.para == r.para && x.item.is_none()))
                    .and_then(|m| m.old.map(|x| x.para))
                    .unwrap_or(r.para);
                parts.push(match r.item {
                    Some(item) => amend::Op::InsertItem {
                        target: Target {
                            paragraph: several.then_some(old_para as u32),
                            ..Target::article(article)
                        },
                        as_item: Some(item as u32),
                        text: new_line(l),
                    },
                    None => amend::Op::InsertParagraph {
                        article,
                        as_paragraphs: vec![r.para as u32],
                        text: Some(new_line(l)),
                        rewrite: None,
                    },
                });
            }
            _ => return restated(e, article, &changed),
        }
    }
    // Instructions beat the whole text when they are few and leave most lines as they were.
    let lines_total = e.lines.len().max(1);
    if parts.len() <= MAX_PHRASES && (rewritten_lines == 0 || rewritten_lines * 2 <= lines_total) {
        return parts;
    }
    restated(e, article, &changed)
}

/// `edits` less the one that only renumbers the line's 项 or 目 marker (（六） → （七）): an
/// inserted or deleted 项 renumbers those after it. `None` when another edit quotes the
/// renumbered marker (the line is then restated).
fn without_renumbered_marker(l: &LineChange, edits: Vec<PhraseEdit>) -> Option<Vec<PhraseEdit>> {
    let (o, n) = (old_line(l), new_line(l));
    let marker = |t: &str| {
        crate::parse::body::item_start(t).map(|(_, len, num)| (t[..len].to_string(), num))
    };
    let (Some((om, on)), Some((nm, nn))) = (marker(&o), marker(&n)) else {
        return Some(edits);
    };
    if on == nn {
        return Some(edits);
    }
    let numeral = |s: &str| {
        !s.is_empty()
            && s.chars()
                .all(|c| crate::numerals::numeral_len(&c.to_string()) > 0)
    };
    let mut out = Vec::with_capacity(edits.len());
    for e in edits {
        let find = e.find();
        match &e {
            PhraseEdit::Replace { from, to }
                if numeral(from)
                    && numeral(to)
                    && om.contains(from.as_str())
                    && nm.contains(to.as_str()) => {}
            // It quotes the marker, which the renumbering has changed already.
            _ if o.starts_with(find)
                || (find.contains(['）', ')'])
                    && o[..om.len()].chars().any(|c| find.contains(c))) =>
            {
                return None;
            }
            _ => out.push(e),
        }
    }
    Some(out)
}

/// True when a phrase the edits quote also stands in another line their place reaches (a
/// 款's 项, a 项's 目, the other lines of a one-款 article): the instruction would change
/// those too, so the line is restated instead.
fn reaches_other_lines(e: &Entry, l: &LineChange, r: &LineRef, edits: &[PhraseEdit]) -> bool {
    let several = e
        .lines
        .iter()
        .filter_map(|m| m.old.map(|x| x.para))
        .max()
        .unwrap_or(1)
        > 1;
    let has_items = e
        .lines
        .iter()
        .any(|m| m.old.is_some_and(|x| x.item.is_some()));
    e.lines.iter().any(|m| {
        if std::ptr::eq(m, l) {
            return false;
        }
        let whole = r.item.is_none() && !several && !has_items;
        // A line the same decision adds is in the place too, once it is there.
        if m.old.is_none() {
            let reached = whole
                || m.new.zip(l.new).is_some_and(|(mn, ln)| {
                    mn.para == ln.para
                        && mn.item.is_some()
                        && (r.item.is_none() || mn.item == ln.item)
                });
            let text = new_line(m);
            return reached && edits.iter().any(|e| text.contains(e.find()));
        }
        let Some(mr) = m.old else { return false };
        let reached = if whole {
            true
        } else if r.item.is_none() {
            mr.para == r.para && mr.item.is_some()
        } else if r.subitem.is_none() {
            mr.para == r.para && mr.item == r.item && mr.subitem.is_some()
        } else {
            false
        };
        reached && {
            let text = old_line(m);
            edits.iter().any(|e| text.contains(e.find()))
        }
    })
}

/// The whole article restated. When it gains 款 as well, the decision says so first, as
/// official decisions combine them: 在第十条中增加一款，作为第二款，将该条修改为：…
fn restated(e: &Entry, article: ArticleNo, changed: &[&LineChange]) -> Vec<amend::Op> {
    let added: Vec<u32> = changed
        .iter()
        .filter(|l| l.op == LineOp::Added)
        .filter_map(|l| l.new.filter(|r| r.item.is_none()).map(|r| r.para as u32))
        .collect();
    let text = side_text(e, true);
    if added.is_empty() || added.len() == changed.len() {
        return vec![amend::Op::ReplaceArticle {
            target: Target::article(article),
            new_text: text,
        }];
    }
    vec![amend::Op::InsertParagraph {
        article,
        as_paragraphs: added,
        text: None,
        rewrite: Some((Target::article(article), text)),
    }]
}

#[cfg(test)]
mod tests {
    use super::*;

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
        let no = ArticleNo { main: 4, sub: 0 };
        assert_eq!(amend::place(&locator(no, &r, true)), "第四条第二款第三项");
        assert_eq!(amend::place(&locator(no, &r, false)), "第四条第三项");
    }
}
