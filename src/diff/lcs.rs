//! Bit-parallel longest common subsequence of two short character sequences, with the edit
//! script read back from the stored bit rows: a minimal insert/delete diff, like Myers', at
//! a few word operations per character instead of O((N+M)·D) steps.
//!
//! The recurrence is Allison–Dix / Hyyrö's: one bit per character of `a`, one row per
//! character of `b`; after row `j`, the zero bits among the lowest `i` of the row count the
//! LCS of `a[..i]` and `b[..j]`.

use super::chars::Op;
use rustc_hash::FxHashMap as FxMap;

/// One run of the edit script: `len` characters kept, deleted from `a` or inserted from `b`.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) struct Run {
    pub op: Op,
    pub len: usize,
}

/// A minimal edit script turning `a` into `b`, in order, adjacent runs of one kind merged.
/// Common characters are matched as early as possible, as Myers' diff does: the table is
/// built over the reversed texts and read back from their ends, that is from the start.
pub(crate) fn diff(a: &[char], b: &[char]) -> Vec<Run> {
    let a: Vec<char> = a.iter().rev().copied().collect();
    let b: Vec<char> = b.iter().rev().copied().collect();
    let (a, b) = (&a[..], &b[..]);
    let (n, m) = (a.len(), b.len());
    let words = n.div_ceil(64).max(1);
    // Match masks: for each character of `a`, the bits of its positions (mask 0 is empty,
    // for the characters of `b` that `a` lacks).
    let mut index: FxMap<char, usize> = FxMap::default();
    let mut masks = vec![0u64; words];
    for (i, &c) in a.iter().enumerate() {
        let next = masks.len() / words;
        let k = *index.entry(c).or_insert(next);
        if k == next {
            masks.resize(masks.len() + words, 0);
        }
        masks[k * words + i / 64] |= 1 << (i % 64);
    }
    // rows[j * words ..][..words]: the bit row after b[..j]; row 0 is all ones.
    let mut rows = vec![u64::MAX; (m + 1) * words];
    for j in 0..m {
        let k = index.get(&b[j]).copied().unwrap_or(0);
        let mask = &masks[k * words..(k + 1) * words];
        let (done, rest) = rows.split_at_mut((j + 1) * words);
        let prev = &done[j * words..];
        let next = &mut rest[..words];
        let mut carry = false;
        for w in 0..words {
            let v = prev[w];
            let u = v & mask[w];
            let (s, c1) = v.overflowing_add(u);
            let (s, c2) = s.overflowing_add(carry as u64);
            carry = c1 || c2;
            next[w] = s | (v & !u);
        }
    }
    // L(i, j): zero bits among the lowest i bits of row j.
    let lcs = |i: usize, j: usize| -> usize {
        let row = &rows[j * words..(j + 1) * words];
        let full = i / 64;
        let mut count: usize = row[..full].iter().map(|w| w.count_zeros() as usize).sum();
        if !i.is_multiple_of(64) {
            let low = (1u64 << (i % 64)) - 1;
            count += (!row[full] & low).count_ones() as usize;
        }
        count
    };
    // Walk back from the end of the reversed texts: a match when the characters agree,
    // else the side that keeps the LCS; deletions are taken before insertions.
    let mut out: Vec<Run> = Vec::new();
    let push = |out: &mut Vec<Run>, op: Op| match out.last_mut() {
        Some(r) if r.op == op => r.len += 1,
        _ => out.push(Run { op, len: 1 }),
    };
    let (mut i, mut j) = (n, m);
    while i > 0 || j > 0 {
        if i > 0 && j > 0 && a[i - 1] == b[j - 1] {
            push(&mut out, Op::Equal);
            i -= 1;
            j -= 1;
        } else if i > 0 && (j == 0 || lcs(i - 1, j) == lcs(i, j)) {
            push(&mut out, Op::Delete);
            i -= 1;
        } else {
            push(&mut out, Op::Insert);
            j -= 1;
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;
    use proptest::prelude::*;

    fn lcs_len(a: &[char], b: &[char]) -> usize {
        let mut t = vec![vec![0usize; b.len() + 1]; a.len() + 1];
        for i in 1..=a.len() {
            for j in 1..=b.len() {
                t[i][j] = if a[i - 1] == b[j - 1] {
                    t[i - 1][j - 1] + 1
                } else {
                    t[i - 1][j].max(t[i][j - 1])
                };
            }
        }
        t[a.len()][b.len()]
    }

    /// Applies the script and checks it rebuilds both sides; returns the kept count.
    fn check(a: &[char], b: &[char]) -> usize {
        let runs = diff(a, b);
        let (mut i, mut j, mut kept) = (0, 0, 0);
        let (mut old, mut new) = (Vec::new(), Vec::new());
        for r in &runs {
            assert!(r.len > 0);
            match r.op {
                Op::Equal => {
                    assert_eq!(a[i..i + r.len], b[j..j + r.len]);
                    old.extend_from_slice(&a[i..i + r.len]);
                    new.extend_from_slice(&b[j..j + r.len]);
                    i += r.len;
                    j += r.len;
                    kept += r.len;
                }
                Op::Delete => {
                    old.extend_from_slice(&a[i..i + r.len]);
                    i += r.len;
                }
                Op::Insert => {
                    new.extend_from_slice(&b[j..j + r.len]);
                    j += r.len;
                }
            }
        }
        assert_eq!(old, a);
        assert_eq!(new, b);
        kept
    }

    #[test]
    fn phrase_edit() {
        let a: Vec<char> = "制定、修改和废止".chars().collect();
        let b: Vec<char> = "制定、修改、废止和解释".chars().collect();
        assert_eq!(check(&a, &b), lcs_len(&a, &b));
        assert!(diff(&[], &[]).is_empty());
        assert_eq!(
            diff(&a, &[]),
            [Run {
                op: Op::Delete,
                len: a.len()
            }]
        );
        assert_eq!(
            diff(&[], &b),
            [Run {
                op: Op::Insert,
                len: b.len()
            }]
        );
    }

    proptest! {
        /// Minimal on every input, across word boundaries (up to 200 characters).
        #[test]
        fn minimal_and_rebuilds(a in "[甲乙丙丁的]{0,200}", b in "[甲乙丙丁的]{0,200}") {
            let (a, b): (Vec<char>, Vec<char>) = (a.chars().collect(), b.chars().collect());
            prop_assert_eq!(check(&a, &b), lcs_len(&a, &b));
        }
    }
}
