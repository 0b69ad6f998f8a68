//! Character-level diff of Chinese text with `similar` (Patience), cleaned up so that edits
//! read as phrases: short equal runs stranded between edits are folded into them.

use std::ops::Range;

use similar::{Algorithm, DiffOp};

/// What a segment does.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum Op {
    Equal,
    Insert,
    Delete,
}

impl Op {
    pub fn as_str(self) -> &'static str {
        match self {
            Op::Equal => "equal",
            Op::Insert => "insert",
            Op::Delete => "delete",
        }
    }
}

/// A run of text with one operation.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Segment {
    pub op: Op,
    pub text: String,
}

impl Segment {
    pub fn new(op: Op, text: impl Into<String>) -> Segment {
        Segment {
            op,
            text: text.into(),
        }
    }
}

/// Longest span diffed character by character; a longer unpunctuated run is replaced whole.
const MAX_CLAUSE_CHARS: usize = 4000;

/// Most clauses diffed as a sequence in one line; beyond, the line is replaced whole.
const MAX_CLAUSES: usize = 50_000;

/// Equal runs of at most this many characters between two edits are absorbed into them.
const STRANDED: usize = 2;

/// The cleaned-up character diff of `old` → `new`.
pub fn diff(old: &str, new: &str) -> Vec<Segment> {
    if old == new {
        return if old.is_empty() {
            Vec::new()
        } else {
            vec![Segment::new(Op::Equal, old)]
        };
    }
    // Common prefix and suffix are equal by definition; only the middle is diffed. Found on
    // bytes, then moved back to a character boundary of both texts.
    let (ob, nb) = (old.as_bytes(), new.as_bytes());
    let mut pre = ob.iter().zip(nb).take_while(|(x, y)| x == y).count();
    while !(old.is_char_boundary(pre) && new.is_char_boundary(pre)) {
        pre -= 1;
    }
    let mut suf = ob[pre..]
        .iter()
        .rev()
        .zip(nb[pre..].iter().rev())
        .take_while(|(x, y)| x == y)
        .count();
    // The bytes after the cut are the same in both texts: a boundary in one is in the other.
    while !old.is_char_boundary(old.len() - suf) {
        suf -= 1;
    }
    let mut raw: Vec<Segment> = Vec::new();
    push(&mut raw, Op::Equal, &old[..pre]);
    let a = Chars::new(&old[pre..old.len() - suf]);
    let b = Chars::new(&new[pre..new.len() - suf]);
    let (ma, mb) = (0..a.c.len(), 0..b.c.len());
    if ma.len() + mb.len() <= 96 {
        char_diff(&a, ma, &b, mb, &mut raw);
    } else {
        // Long middles: clauses first (text up to ，。；： …), then characters inside the
        // clauses that changed. Faster than characters throughout, and edits stay inside
        // the clauses they belong to.
        let ac = clauses(&a.c, ma.clone());
        let bc = clauses(&b.c, mb.clone());
        if ac.len() + bc.len() > MAX_CLAUSES {
            // Tens of thousands of clauses in one line: no statute has them; bound the work.
            push(&mut raw, Op::Delete, a.str(ma));
            push(&mut raw, Op::Insert, b.str(mb));
            push(&mut raw, Op::Equal, &old[old.len() - suf..]);
            return cleanup(raw);
        }
        let ak: Vec<&[char]> = ac.iter().map(|r| &a.c[r.clone()]).collect();
        let bk: Vec<&[char]> = bc.iter().map(|r| &b.c[r.clone()]).collect();
        for op in similar::capture_diff_slices(Algorithm::Patience, &ak, &bk) {
            let (o, n) = (span(&ac, op.old_range()), span(&bc, op.new_range()));
            match op {
                DiffOp::Equal { .. } => push(&mut raw, Op::Equal, a.str(o)),
                DiffOp::Delete { .. } => push(&mut raw, Op::Delete, a.str(o)),
                DiffOp::Insert { .. } => push(&mut raw, Op::Insert, b.str(n)),
                // Clauses rewritten beyond recognition are shown replaced whole.
                DiffOp::Replace { .. } if !alike(&a.c[o.clone()], &b.c[n.clone()]) => {
                    push(&mut raw, Op::Delete, a.str(o));
                    push(&mut raw, Op::Insert, b.str(n));
                }
                DiffOp::Replace { .. } => char_diff(&a, o, &b, n, &mut raw),
            }
        }
    }
    push(&mut raw, Op::Equal, &old[old.len() - suf..]);
    cleanup(raw)
}

/// The char range covered by clauses `r` of `cl`.
fn span(cl: &[Range<usize>], r: Range<usize>) -> Range<usize> {
    if r.is_empty() {
        return 0..0;
    }
    cl[r.start].start..cl[r.end - 1].end
}

/// A text as `char`s, with the byte offset of each, so that char ranges slice the original.
struct Chars<'a> {
    s: &'a str,
    c: Vec<char>,
    off: Vec<usize>,
}

impl<'a> Chars<'a> {
    fn new(s: &'a str) -> Chars<'a> {
        let mut c = Vec::with_capacity(s.len() / 3 + 1);
        let mut off = Vec::with_capacity(s.len() / 3 + 2);
        for (i, ch) in s.char_indices() {
            c.push(ch);
            off.push(i);
        }
        off.push(s.len());
        Chars { s, c, off }
    }

    fn str(&self, r: Range<usize>) -> &'a str {
        &self.s[self.off[r.start]..self.off[r.end]]
    }
}

/// True when two texts share enough character bigrams for a character diff to read well.
fn alike(a: &[char], b: &[char]) -> bool {
    let grams = |cs: &[char]| {
        let mut g: Vec<(char, char)> = cs.windows(2).map(|w| (w[0], w[1])).collect();
        g.sort_unstable();
        g
    };
    let (ga, gb) = (grams(a), grams(b));
    if ga.is_empty() || gb.is_empty() {
        return true;
    }
    let (mut i, mut j, mut n) = (0, 0, 0);
    while i < ga.len() && j < gb.len() {
        match ga[i].cmp(&gb[j]) {
            std::cmp::Ordering::Less => i += 1,
            std::cmp::Ordering::Greater => j += 1,
            std::cmp::Ordering::Equal => {
                n += 1;
                i += 1;
                j += 1;
            }
        }
    }
    2 * n * 10 >= 3 * (ga.len() + gb.len())
}

/// The clauses of `cs[range]` (each ending after a clause-ending punctuation mark), as ranges.
fn clauses(cs: &[char], range: Range<usize>) -> Vec<Range<usize>> {
    let mut out = Vec::new();
    let mut start = range.start;
    for i in range.clone() {
        if matches!(
            cs[i],
            '，' | '。' | '；' | '：' | '、' | '！' | '？' | '\n' | ',' | ';' | ':'
        ) {
            out.push(start..i + 1);
            start = i + 1;
        }
    }
    if start < range.end {
        out.push(start..range.end);
    }
    out
}

/// Character-level diff of `a[ar]` and `b[br]`, appended to `out`.
fn char_diff(
    a: &Chars<'_>,
    ar: Range<usize>,
    b: &Chars<'_>,
    br: Range<usize>,
    out: &mut Vec<Segment>,
) {
    let (am, bm) = (&a.c[ar.clone()], &b.c[br.clone()]);
    let (ao, bo) = (ar.start, br.start);
    // A "clause" of thousands of characters without punctuation is no prose: Patience would
    // fall back to Myers on it, quadratic on unrelated texts. Shown replaced whole.
    if am.len() > MAX_CLAUSE_CHARS && bm.len() > MAX_CLAUSE_CHARS {
        push(out, Op::Delete, a.str(ar));
        push(out, Op::Insert, b.str(br));
        return;
    }
    // A clause or two: a minimal (LCS) diff, bit-parallel. Longer texts: Patience, which
    // keeps them from matching on scattered common characters.
    if am.len() + bm.len() <= 160 {
        let (mut i, mut j) = (ao, bo);
        for run in super::lcs::diff(am, bm) {
            match run.op {
                Op::Equal => {
                    push(out, Op::Equal, a.str(i..i + run.len));
                    i += run.len;
                    j += run.len;
                }
                Op::Delete => {
                    push(out, Op::Delete, a.str(i..i + run.len));
                    i += run.len;
                }
                Op::Insert => {
                    push(out, Op::Insert, b.str(j..j + run.len));
                    j += run.len;
                }
            }
        }
        return;
    }
    for op in similar::capture_diff_slices(Algorithm::Patience, am, bm) {
        match op {
            DiffOp::Equal { old_index, len, .. } => {
                push(out, Op::Equal, a.str(ao + old_index..ao + old_index + len))
            }
            DiffOp::Delete {
                old_index, old_len, ..
            } => push(
                out,
                Op::Delete,
                a.str(ao + old_index..ao + old_index + old_len),
            ),
            DiffOp::Insert {
                new_index, new_len, ..
            } => push(
                out,
                Op::Insert,
                b.str(bo + new_index..bo + new_index + new_len),
            ),
            DiffOp::Replace {
                old_index,
                old_len,
                new_index,
                new_len,
            } => {
                push(
                    out,
                    Op::Delete,
                    a.str(ao + old_index..ao + old_index + old_len),
                );
                push(
                    out,
                    Op::Insert,
                    b.str(bo + new_index..bo + new_index + new_len),
                );
            }
        }
    }
}

/// Appends text, merging with the last segment when the operation is the same.
pub fn push(segs: &mut Vec<Segment>, op: Op, text: &str) {
    if text.is_empty() {
        return;
    }
    match segs.last_mut() {
        Some(last) if last.op == op => last.text.push_str(text),
        _ => segs.push(Segment::new(op, text)),
    }
}

/// Folds short equal runs between edits into the edits, then regroups each edit region as
/// one deletion followed by one insertion.
fn cleanup(segs: Vec<Segment>) -> Vec<Segment> {
    let mut out: Vec<Segment> = Vec::new();
    let mut del = String::new();
    let mut ins = String::new();
    let n = segs.len();
    let flush = |out: &mut Vec<Segment>, del: &mut String, ins: &mut String| {
        push(out, Op::Delete, del);
        push(out, Op::Insert, ins);
        del.clear();
        ins.clear();
    };
    for (k, s) in segs.iter().enumerate() {
        match s.op {
            Op::Delete => del.push_str(&s.text),
            Op::Insert => ins.push_str(&s.text),
            Op::Equal => {
                let stranded = k > 0
                    && k + 1 < n
                    && (!del.is_empty() || !ins.is_empty())
                    && s.text.chars().count() <= STRANDED;
                if stranded {
                    del.push_str(&s.text);
                    ins.push_str(&s.text);
                } else {
                    flush(&mut out, &mut del, &mut ins);
                    push(&mut out, Op::Equal, &s.text);
                }
            }
        }
    }
    flush(&mut out, &mut del, &mut ins);
    out
}

/// The old side of a diff.
pub fn old_text(segs: &[Segment]) -> String {
    segs.iter()
        .filter(|s| s.op != Op::Insert)
        .map(|s| s.text.as_str())
        .collect()
}

/// The new side of a diff.
pub fn new_text(segs: &[Segment]) -> String {
    segs.iter()
        .filter(|s| s.op != Op::Delete)
        .map(|s| s.text.as_str())
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn sides_rebuild_exactly() {
        let a = "国务院部门规章和地方政府规章的制定、修改和废止，依照本法的有关规定执行。";
        let b = "国务院部门规章和地方政府规章的制定、修改、废止和解释，依照本法的相关规定执行。";
        let d = diff(a, b);
        assert_eq!(old_text(&d), a);
        assert_eq!(new_text(&d), b);
    }

    #[test]
    fn no_confetti_between_edits() {
        let d = diff("甲乙丙丁戊", "子乙丑丁寅");
        // One phrase replaced, not five alternating single characters.
        assert!(d.iter().all(|s| s.op != Op::Equal), "{d:?}");
        assert_eq!(d.len(), 2);
    }

    #[test]
    fn unpunctuated_runs_beyond_the_bound_are_replaced_whole() {
        let a: String = "甲乙丙丁".repeat(1500);
        let b: String = "丁丙乙甲".repeat(1500);
        let d = diff(&a, &b);
        assert_eq!(old_text(&d), a);
        assert_eq!(new_text(&d), b);
        assert!(d.len() <= 3, "{}", d.len());
    }

    #[test]
    fn identical_is_one_equal_segment() {
        assert_eq!(diff("甲", "甲"), vec![Segment::new(Op::Equal, "甲")]);
        assert!(diff("", "").is_empty());
    }
}
