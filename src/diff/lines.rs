//! Inside an aligned entry: its units flattened into lines (款, 项, 目), the lines aligned,
//! and each aligned pair diffed by character.

use std::borrow::Cow;
use std::ops::Range;

use super::chars::{self, Op, Segment};
use super::{LineChange, LineOp, LineRef};
use crate::align::{self, Prepared};
use crate::model::{Article, Item};
use crate::normalize;

/// One line of a unit with its position; borrows the model's text where it can.
pub(crate) struct UnitLine<'a> {
    pub text: Cow<'a, str>,
    pub at: LineRef,
}

/// The lines of `unit` (the `k`-th unit of its side of the entry).
pub(crate) fn unit_lines<'a>(a: &'a Article, k: usize, out: &mut Vec<UnitLine<'a>>) {
    for (pi, p) in a.paras.iter().enumerate() {
        let para = pi + 1;
        out.push(UnitLine {
            text: Cow::Borrowed(&p.text),
            at: LineRef {
                unit: k,
                para,
                item: None,
                subitem: None,
            },
        });
        for (ii, item) in p.items.iter().enumerate() {
            push_item(item, k, para, ii + 1, None, out);
            for (si, sub) in item.subitems.iter().enumerate() {
                push_item(sub, k, para, ii + 1, Some(si + 1), out);
                // Deeper levels (the parser makes none; a model built through the library
                // may) are lines too, placed at their 目: no text is left out of the diff.
                push_deeper(sub, k, para, ii + 1, si + 1, out);
            }
        }
    }
}

fn push_deeper<'a>(
    item: &'a Item,
    unit: usize,
    para: usize,
    index: usize,
    sub: usize,
    out: &mut Vec<UnitLine<'a>>,
) {
    for deeper in &item.subitems {
        push_item(deeper, unit, para, index, Some(sub), out);
        push_deeper(deeper, unit, para, index, sub, out);
    }
}

fn push_item<'a>(
    item: &'a Item,
    unit: usize,
    para: usize,
    index: usize,
    sub: Option<usize>,
    out: &mut Vec<UnitLine<'a>>,
) {
    out.push(UnitLine {
        text: if item.marker.is_empty() {
            Cow::Borrowed(&item.text)
        } else {
            let mut line = String::with_capacity(item.marker.len() + item.text.len());
            line.push_str(&item.marker);
            line.push_str(&item.text);
            Cow::Owned(line)
        },
        at: LineRef {
            unit,
            para,
            item: Some(index),
            subitem: sub,
        },
    });
}

/// Each line's unit as the aligner prepared it, and the line's index in that unit.
pub(crate) type LineSources<'p> = [(&'p Prepared, usize)];

/// Lines with at least this similarity may pair as a modified line.
const LINE_MATCH: f64 = 0.3;

/// Aligns old and new lines (weighted LCS: identical lines score 2, similar ones their
/// similarity) and diffs each pair. `refs` maps old article numbers to new ones, so a line
/// whose only change is a renumbered cross-reference is formal.
///
/// `whole`: when each side is one line that is its whole unit, the similarity the aligner
/// already computed for the two units, which is the lines' own; it spares preparing them.
/// `norms` holds the lines' formal forms; `units`, when not empty, each line's unit as the
/// aligner prepared it and the line's index there, whose bigrams the lines' are.
pub(crate) fn diff_lines(
    old: &[UnitLine<'_>],
    new: &[UnitLine<'_>],
    (old_norms, new_norms): (&[&str], &[&str]),
    (old_units, new_units): (&LineSources<'_>, &LineSources<'_>),
    refs: &crate::normalize::Renumbering,
    whole: Option<f64>,
) -> Vec<LineChange> {
    let (n, m) = (old.len(), new.len());
    if let (1, 1, Some(d)) = (n, m, whole) {
        return diff_one_line(&old[0], &new[0], (old_norms[0], new_norms[0]), d, refs);
    }
    let (pre, suf) = same_ends(old, new);
    let old_prepared = prepare_lines(old_norms, old_units, pre..n - suf);
    let new_prepared = prepare_lines(new_norms, new_units, pre..m - suf);
    let table = Table::new(&old_prepared[pre..n - suf], &new_prepared[pre..m - suf]);
    let mut out = Vec::with_capacity(n.max(m));
    for k in 0..pre {
        out.push(same(&old[k], &new[k]));
    }
    let middle = Middle {
        old,
        new,
        old_prepared: &old_prepared,
        new_prepared: &new_prepared,
        pre,
        refs,
    };
    middle.trace(&table, &mut out);
    for k in 0..suf {
        out.push(same(&old[n - suf + k], &new[m - suf + k]));
    }
    out
}

/// How many leading and how many trailing lines are the same on both sides: they pair up
/// without search.
fn same_ends(old: &[UnitLine<'_>], new: &[UnitLine<'_>]) -> (usize, usize) {
    let pre = old
        .iter()
        .zip(new)
        .take_while(|(a, b)| a.text == b.text)
        .count();
    let suf = old[pre..]
        .iter()
        .rev()
        .zip(new[pre..].iter().rev())
        .take_while(|(a, b)| a.text == b.text)
        .count();
    (pre, suf)
}

/// The formal forms of the lines in `range`, prepared for comparison (indexed like the lines;
/// empty outside `range`): from the aligner's units when `units` has them, else prepared here.
fn prepare_lines(norms: &[&str], units: &LineSources<'_>, range: Range<usize>) -> Vec<Prepared> {
    (0..norms.len())
        .map(|k| match units.get(k) {
            _ if !range.contains(&k) => align::Prepared::empty(),
            Some(&(unit, line)) => unit.line_prepared(line),
            None => align::prepared(norms[k].to_string()),
        })
        .collect()
}

/// The middle lines (between the same leading and trailing ones) compared: similarities of
/// every pair and the best alignment scores.
struct Table {
    rows: usize,
    cols: usize,
    /// Similarity of each pair, computed once: 2 for formally equal lines, the bigram Dice
    /// (estimated from samples for long lines) for similar ones, -inf for lines that may not
    /// pair. Units of hundreds of lines (rare) pair identical lines only, which keeps the
    /// table small.
    sim: Vec<f64>,
    /// The bigram Dice of each pair (1 for formally equal lines, 0 where not computed).
    dice: Vec<f64>,
    /// `score[at(i, j)]`: best alignment of the middle's old[i..] and new[j..].
    score: Vec<f64>,
}

impl Table {
    /// Compares the middle lines `old` with `new` (weighted LCS: identical lines score 2,
    /// similar ones their similarity).
    fn new(old: &[Prepared], new: &[Prepared]) -> Table {
        let (n2, m2) = (old.len(), new.len());
        let full = n2 * m2 <= 40_000;
        let mut sim = vec![f64::NEG_INFINITY; n2 * m2];
        let mut dice = vec![0.0f64; n2 * m2];
        for (i, o) in old.iter().enumerate() {
            for (j, n) in new.iter().enumerate() {
                let k = i * m2 + j;
                if o.norm == n.norm {
                    sim[k] = 2.0;
                    dice[k] = 1.0;
                } else if full {
                    let d = align::similarity(o, n).0;
                    dice[k] = d;
                    if d >= LINE_MATCH {
                        sim[k] = d;
                    }
                }
            }
        }
        let mut table = Table {
            rows: n2,
            cols: m2,
            sim,
            dice,
            score: vec![0.0f64; (n2 + 1) * (m2 + 1)],
        };
        for i in (0..n2).rev() {
            for j in (0..m2).rev() {
                let skip = table.score(i + 1, j).max(table.score(i, j + 1));
                let k = table.at(i, j);
                table.score[k] = skip.max(table.score(i + 1, j + 1) + table.sim[i * m2 + j]);
            }
        }
        table
    }

    /// The index in `score` of (i, j).
    fn at(&self, i: usize, j: usize) -> usize {
        i * (self.cols + 1) + j
    }

    fn score(&self, i: usize, j: usize) -> f64 {
        self.score[self.at(i, j)]
    }
}

/// The lines of an entry and what comparing its middle lines reads.
struct Middle<'l, 'a> {
    old: &'l [UnitLine<'a>],
    new: &'l [UnitLine<'a>],
    /// The lines' formal forms prepared (see [`prepare_lines`]).
    old_prepared: &'l [Prepared],
    new_prepared: &'l [Prepared],
    /// The number of same leading lines: middle line `i` is line `pre + i`.
    pre: usize,
    refs: &'l crate::normalize::Renumbering,
}

impl Middle<'_, '_> {
    /// Follows the best alignment of `table` and writes the middle lines' changes to `out`:
    /// pairs, and between two pairs the lines left over, deletions first.
    fn trace(&self, table: &Table, out: &mut Vec<LineChange>) {
        let (n2, m2) = (table.rows, table.cols);
        let (old, new, pre) = (self.old, self.new, self.pre);
        let mut pending_del: Vec<usize> = Vec::new();
        let mut pending_ins: Vec<usize> = Vec::new();
        let (mut i, mut j) = (0, 0);
        while i < n2 || j < m2 {
            if i < n2 && j < m2 {
                let s = table.sim[i * m2 + j];
                if s.is_finite()
                    && (table.score(i, j) - (table.score(i + 1, j + 1) + s)).abs() < 1e-9
                {
                    self.flush(out, &mut pending_del, &mut pending_ins);
                    let (oi, nj) = (pre + i, pre + j);
                    let (on, nn) = (&self.old_prepared[oi].norm, &self.new_prepared[nj].norm);
                    let formal = on == nn
                        || (!normalize::surely_reworded(on, nn)
                            && same_wording(&old[oi].text, &new[nj].text, self.refs));
                    out.push(pair(&old[oi], &new[nj], table.dice[i * m2 + j], formal));
                    i += 1;
                    j += 1;
                    continue;
                }
            }
            if i < n2 && (j == m2 || table.score(i + 1, j) >= table.score(i, j + 1)) {
                pending_del.push(pre + i);
                i += 1;
            } else {
                pending_ins.push(pre + j);
                j += 1;
            }
        }
        self.flush(out, &mut pending_del, &mut pending_ins);
    }

    /// Writes the deleted lines `del` and the added lines `ins` found between two pairs, and
    /// empties both lists.
    fn flush(&self, out: &mut Vec<LineChange>, del: &mut Vec<usize>, ins: &mut Vec<usize>) {
        let (old, new, refs) = (self.old, self.new, self.refs);
        // A deleted and an added line of the same wording (short lines that differ in
        // punctuation or numbering, too dissimilar in bigrams to pair) are one line changed
        // formally, paired in order.
        let mut twin: Vec<Option<usize>> = vec![None; del.len()];
        let mut taken = vec![false; ins.len()];
        if !del.is_empty() && !ins.is_empty() && del.len() * ins.len() <= 4096 {
            let mut from = 0;
            for (a, &d) in del.iter().enumerate() {
                if let Some(b) = (from..ins.len())
                    .find(|&b| !taken[b] && same_wording(&old[d].text, &new[ins[b]].text, refs))
                {
                    twin[a] = Some(b);
                    taken[b] = true;
                    from = b + 1;
                }
            }
        }
        // A line with no wording (an invisible glyph, punctuation, a bare marker) is no
        // amendment.
        let mut next_ins = 0;
        let mut push_ins = |out: &mut Vec<LineChange>, upto: usize| {
            while next_ins < upto {
                let k = ins[next_ins];
                if !taken[next_ins] {
                    out.push(LineChange {
                        op: LineOp::Added,
                        old: None,
                        new: Some(new[k].at),
                        diff: vec![Segment::new(Op::Insert, &*new[k].text)],
                        substantive: has_wording(&new[k].text),
                    });
                }
                next_ins += 1;
            }
        };
        for (a, &d) in del.iter().enumerate() {
            match twin[a] {
                Some(b) => {
                    push_ins(out, b);
                    out.push(pair(&old[d], &new[ins[b]], 1.0, true));
                }
                None => out.push(LineChange {
                    op: LineOp::Deleted,
                    old: Some(old[d].at),
                    new: None,
                    diff: vec![Segment::new(Op::Delete, &*old[d].text)],
                    substantive: has_wording(&old[d].text),
                }),
            }
        }
        push_ins(out, ins.len());
        del.clear();
        ins.clear();
    }
}

/// [`diff_lines`] for one line on each side whose similarity `d` is known: the same result
/// without preparing the lines.
fn diff_one_line(
    o: &UnitLine<'_>,
    n: &UnitLine<'_>,
    (o_norm, n_norm): (&str, &str),
    d: f64,
    refs: &crate::normalize::Renumbering,
) -> Vec<LineChange> {
    if o.text == n.text {
        return vec![same(o, n)];
    }
    if o_norm == n_norm {
        return vec![pair(o, n, 1.0, true)];
    }
    let formal =
        !normalize::surely_reworded(o_norm, n_norm) && same_wording(&o.text, &n.text, refs);
    if d >= LINE_MATCH || formal {
        return vec![pair(o, n, d, formal)];
    }
    vec![
        LineChange {
            op: LineOp::Deleted,
            old: Some(o.at),
            new: None,
            diff: vec![Segment::new(Op::Delete, &*o.text)],
            substantive: has_wording(&o.text),
        },
        LineChange {
            op: LineOp::Added,
            old: None,
            new: Some(n.at),
            diff: vec![Segment::new(Op::Insert, &*n.text)],
            substantive: has_wording(&n.text),
        },
    ]
}

/// Below this similarity a changed line is shown replaced whole: a character diff of a
/// rewritten sentence is confetti that no reader wants, and costly to compute.
const REWRITTEN: f64 = 0.35;

/// A pair of identical lines.
fn same(o: &UnitLine<'_>, n: &UnitLine<'_>) -> LineChange {
    LineChange {
        op: LineOp::Equal,
        old: Some(o.at),
        new: Some(n.at),
        diff: chars::diff(&o.text, &n.text),
        substantive: false,
    }
}

/// A pair of aligned lines of similarity `sim`; `formal` when they differ only formally.
fn pair(o: &UnitLine<'_>, n: &UnitLine<'_>, sim: f64, formal: bool) -> LineChange {
    if o.text == n.text {
        return same(o, n);
    }
    let diff = if sim < REWRITTEN {
        vec![
            Segment::new(Op::Delete, &*o.text),
            Segment::new(Op::Insert, &*n.text),
        ]
    } else {
        chars::diff(&o.text, &n.text)
    };
    LineChange {
        op: LineOp::Modified,
        old: Some(o.at),
        new: Some(n.at),
        diff,
        substantive: !formal,
    }
}

/// True when `old` with its cross-references rewritten through `refs` has the wording of
/// `new`: they differ only formally (see [`normalize::wording`]).
fn same_wording(old: &str, new: &str, refs: &crate::normalize::Renumbering) -> bool {
    // Most changed lines differ in a word: known before any reference is rewritten.
    !normalize::surely_reworded(old, new)
        && normalize::same_wording(&normalize::rewrite_references(old, refs), new)
}

/// False for a line with no wording: punctuation, a bare marker, invisible characters.
fn has_wording(text: &str) -> bool {
    normalize::wording(text).next().is_some()
}

/// True when an entry's lines changed structure, not only text: lines added or deleted
/// (paragraphs regrouped), a paragraph that became an item or the reverse, or an item
/// whose numbering changed.
pub(crate) fn regrouped(
    changes: &[LineChange],
    old: &[UnitLine<'_>],
    new: &[UnitLine<'_>],
) -> bool {
    if old.len() != new.len() {
        return true;
    }
    // The changes hold every old line once, in order, and so every new line.
    let (mut oi, mut ni) = (0, 0);
    for c in changes {
        let (Some(o), Some(n)) = (c.old, c.new) else {
            return true;
        };
        let (Some(a), Some(b)) = (old.get(oi), new.get(ni)) else {
            return true;
        };
        (oi, ni) = (oi + 1, ni + 1);
        if (o.item.is_some(), o.subitem.is_some()) != (n.item.is_some(), n.subitem.is_some())
            || (c.op == LineOp::Modified
                && !normalize::formally_equal(
                    normalize::numbering(&a.text),
                    normalize::numbering(&b.text),
                ))
        {
            return true;
        }
    }
    false
}

/// True when the old and new lines have the same sentences (by wording) in any order: the
/// units of a merge joined in another order than the old one, a split's parts reordered.
pub(crate) fn same_sentences(
    old: &[UnitLine<'_>],
    new: &[UnitLine<'_>],
    refs: &crate::normalize::Renumbering,
) -> bool {
    fn sentences(text: &str, out: &mut Vec<String>) {
        out.extend(
            text.split(['。', '；', ';', '！', '？'])
                .map(|s| normalize::wording(s).collect::<String>())
                .filter(|w| !w.is_empty()),
        );
    }
    let mut a = Vec::new();
    for l in old {
        sentences(&normalize::rewrite_references(&l.text, refs), &mut a);
    }
    let mut b = Vec::new();
    for l in new {
        sentences(&l.text, &mut b);
    }
    a.sort_unstable();
    b.sort_unstable();
    a == b
}

/// True when the lines `old` become the lines `new` only formally: the same wording (see
/// [`normalize::wording`]) across line breaks, with cross-references following `refs`.
/// `norms` holds the lines' formal forms.
pub(crate) fn formal(
    old: &[UnitLine<'_>],
    new: &[UnitLine<'_>],
    (old_norms, new_norms): (&[&str], &[&str]),
    refs: &crate::normalize::Renumbering,
) -> bool {
    let bytes = |norms: &[&str]| norms.iter().map(|s| s.len()).sum::<usize>();
    if bytes(old_norms) == bytes(new_norms)
        && old_norms
            .iter()
            .flat_map(|s| s.bytes())
            .eq(new_norms.iter().flat_map(|s| s.bytes()))
    {
        return true;
    }
    // The units' formal forms differ in a word where they first differ: known without the
    // wording of every line.
    if normalize::surely_reworded(&old_norms.concat(), &new_norms.concat()) {
        return false;
    }
    let new_words = new.iter().flat_map(|l| normalize::wording(&l.text));
    let rewritten: Vec<Cow<'_, str>> = old
        .iter()
        .map(|l| normalize::rewrite_references(&l.text, refs))
        .collect();
    rewritten
        .iter()
        .flat_map(|t| normalize::wording(t))
        .eq(new_words)
}
