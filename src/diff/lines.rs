//! Inside an aligned entry: its units flattened into lines (款, 项, 目), the lines aligned,
//! and each aligned pair diffed by character.

use std::cell::OnceCell;
use std::collections::HashMap;

use super::chars::{self, Op, Segment};
use super::{LineChange, LineOp, LineRef};
use crate::model::{Article, Item, UnitNum};
use crate::normalize;

/// One line of a unit with its position.
pub(crate) struct UnitLine {
    pub text: String,
    pub at: LineRef,
}

/// The lines of `unit` (the `k`-th unit of its side of the entry).
pub(crate) fn unit_lines(a: &Article, k: usize, out: &mut Vec<UnitLine>) {
    for (pi, p) in a.paras.iter().enumerate() {
        let para = pi + 1;
        out.push(UnitLine {
            text: p.text.clone(),
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
            }
        }
    }
}

fn push_item(
    item: &Item,
    unit: usize,
    para: usize,
    index: usize,
    sub: Option<usize>,
    out: &mut Vec<UnitLine>,
) {
    out.push(UnitLine {
        text: format!("{}{}", item.marker, item.text),
        at: LineRef {
            unit,
            para,
            item: Some(index),
            subitem: sub,
        },
    });
}

/// Lines with at least this similarity may pair as a modified line.
const LINE_MATCH: f64 = 0.3;

/// Aligns old and new lines (weighted LCS: identical lines score 2, similar ones their
/// similarity) and diffs each pair. `refs` maps old article numbers to new ones, so a line
/// whose only change is a renumbered cross-reference is formal.
pub(crate) fn diff_lines(
    old: &[UnitLine],
    new: &[UnitLine],
    refs: &HashMap<UnitNum, UnitNum>,
) -> Vec<LineChange> {
    let on: Vec<String> = old.iter().map(|l| normalize::normalize(&l.text)).collect();
    let nn: Vec<String> = new.iter().map(|l| normalize::normalize(&l.text)).collect();
    // Bigrams only for the lines that are compared with a different line.
    let og: Vec<OnceCell<Vec<u32>>> = on.iter().map(|_| OnceCell::new()).collect();
    let ng: Vec<OnceCell<Vec<u32>>> = nn.iter().map(|_| OnceCell::new()).collect();
    let dice = |i: usize, j: usize| {
        crate::align::dice(
            og[i].get_or_init(|| crate::align::grams(&on[i])),
            ng[j].get_or_init(|| crate::align::grams(&nn[j])),
        )
    };
    let (n, m) = (old.len(), new.len());
    // score[i][j]: best alignment of old[i..] and new[j..].
    let mut score = vec![0.0f64; (n + 1) * (m + 1)];
    let at = |i: usize, j: usize| i * (m + 1) + j;
    let sim = |i: usize, j: usize| -> f64 {
        if on[i] == nn[j] {
            2.0
        } else {
            let d = dice(i, j);
            if d >= LINE_MATCH {
                d
            } else {
                f64::NEG_INFINITY
            }
        }
    };
    // Large units (hundreds of lines) fall back to matching identical lines only, which keeps
    // the table small in the rare case it would be huge.
    let full = n * m <= 40_000;
    for i in (0..n).rev() {
        for j in (0..m).rev() {
            let skip = score[at(i + 1, j)].max(score[at(i, j + 1)]);
            let s = if full {
                sim(i, j)
            } else if on[i] == nn[j] {
                2.0
            } else {
                f64::NEG_INFINITY
            };
            score[at(i, j)] = skip.max(score[at(i + 1, j + 1)] + s);
        }
    }
    let mut out = Vec::new();
    let (mut i, mut j) = (0, 0);
    // Deletions and insertions between two matches are emitted deletions first.
    let mut pending_del: Vec<usize> = Vec::new();
    let mut pending_ins: Vec<usize> = Vec::new();
    let flush = |out: &mut Vec<LineChange>, del: &mut Vec<usize>, ins: &mut Vec<usize>| {
        // A line with no text once formal differences are removed (an invisible glyph)
        // is no amendment.
        for &d in del.iter() {
            out.push(LineChange {
                op: LineOp::Deleted,
                old: Some(old[d].at),
                new: None,
                diff: vec![Segment::new(Op::Delete, old[d].text.clone())],
                substantive: !on[d].is_empty(),
            });
        }
        for &k in ins.iter() {
            out.push(LineChange {
                op: LineOp::Added,
                old: None,
                new: Some(new[k].at),
                diff: vec![Segment::new(Op::Insert, new[k].text.clone())],
                substantive: !nn[k].is_empty(),
            });
        }
        del.clear();
        ins.clear();
    };
    while i < n || j < m {
        if i < n && j < m {
            let s = if full || on[i] == nn[j] {
                sim(i, j)
            } else {
                f64::NEG_INFINITY
            };
            if s.is_finite() && (score[at(i, j)] - (score[at(i + 1, j + 1)] + s)).abs() < 1e-9 {
                flush(&mut out, &mut pending_del, &mut pending_ins);
                let sim = if on[i] == nn[j] { 1.0 } else { dice(i, j) };
                out.push(pair(&old[i], &new[j], sim, refs));
                i += 1;
                j += 1;
                continue;
            }
        }
        if i < n && (j == m || score[at(i + 1, j)] >= score[at(i, j + 1)]) {
            pending_del.push(i);
            i += 1;
        } else {
            pending_ins.push(j);
            j += 1;
        }
    }
    flush(&mut out, &mut pending_del, &mut pending_ins);
    out
}

/// Below this similarity a changed line is shown replaced whole: a character diff of a
/// rewritten sentence is confetti that no reader wants, and costly to compute.
const REWRITTEN: f64 = 0.35;

fn pair(o: &UnitLine, n: &UnitLine, sim: f64, refs: &HashMap<UnitNum, UnitNum>) -> LineChange {
    if o.text == n.text {
        return LineChange {
            op: LineOp::Equal,
            old: Some(o.at),
            new: Some(n.at),
            diff: chars::diff(&o.text, &n.text),
            substantive: false,
        };
    }
    let diff = if sim < REWRITTEN {
        vec![
            Segment::new(Op::Delete, o.text.clone()),
            Segment::new(Op::Insert, n.text.clone()),
        ]
    } else {
        chars::diff(&o.text, &n.text)
    };
    LineChange {
        op: LineOp::Modified,
        old: Some(o.at),
        new: Some(n.at),
        diff,
        substantive: !formal(&o.text, &n.text, refs),
    }
}

/// True when `old` becomes `new` only formally, cross-references following `refs` included.
pub(crate) fn formal(old: &str, new: &str, refs: &HashMap<UnitNum, UnitNum>) -> bool {
    normalize::formally_equal(old, new)
        || normalize::formally_equal(&normalize::rewrite_references(old, refs), new)
}
