//! Article alignment across two versions: which old units became which new units, surviving
//! renumbering, insertions, deletions, moves, splits and merges.
//!
//! 1. **Anchors**: units whose formal text is identical pair first (in order when repeated).
//! 2. **Similar units**: the rest pair by character-bigram similarity (Dice), found through an
//!    inverted index of bigrams (very common bigrams are not indexed) plus the units that sit
//!    between already-paired neighbours, so cost stays near linear. A position prior lifts
//!    candidates whose neighbours are paired to their neighbours; no pair is ever made below a
//!    similarity threshold.
//! 3. **Splits and merges**: an unpaired unit whose text is contained in what its neighbour's
//!    partner has left over joins that pair.
//! 4. Whatever is left is added or deleted.

use std::collections::HashMap;

use crate::model::{ArticleRef, Statute};
use crate::normalize;

/// A group of aligned units: 1:1, 1:n (split), n:1 (merge), 1:0 (deleted) or 0:1 (added).
#[derive(Debug, Clone, PartialEq)]
pub struct Group {
    /// Indices into the old version's `articles()`, ascending.
    pub old: Vec<usize>,
    /// Indices into the new version's `articles()`, ascending.
    pub new: Vec<usize>,
    /// Bigram similarity of the group's old and new text (1.0 identical; 0 for add/delete).
    pub similarity: f64,
}

/// The alignment of two versions; every unit of each side is in exactly one group.
#[derive(Debug, Clone, PartialEq, Default)]
pub struct Alignment {
    pub groups: Vec<Group>,
}

/// Minimum Dice similarity for a pair with no positional support.
const STRONG: f64 = 0.62;
/// Minimum Dice similarity for a pair whose neighbours support it.
const SUPPORTED: f64 = 0.4;
/// Minimum share of a unit's bigrams found in the other (for heavily extended units).
const CONTAINED: f64 = 0.8;
/// Minimum share of a split/merge part found in its partner's leftover text.
const PART: f64 = 0.72;

/// One unit prepared for alignment.
pub(crate) struct Prepared {
    pub norm: String,
    /// Sorted character bigrams of `norm` (unigram for one-character texts).
    pub grams: Vec<u64>,
}

pub(crate) fn prepare(a: &ArticleRef<'_>) -> Prepared {
    let norm = normalize::normalize(&a.article.text());
    let grams = grams(&norm);
    Prepared { norm, grams }
}

fn grams(s: &str) -> Vec<u64> {
    let chars: Vec<u32> = s.chars().map(u32::from).collect();
    let mut g: Vec<u64> = if chars.len() == 1 {
        vec![chars[0] as u64]
    } else {
        chars
            .windows(2)
            .map(|w| ((w[0] as u64) << 32) | w[1] as u64)
            .collect()
    };
    g.sort_unstable();
    g
}

/// Size of the multiset intersection of two sorted lists.
fn common(a: &[u64], b: &[u64]) -> usize {
    let (mut i, mut j, mut n) = (0, 0, 0);
    while i < a.len() && j < b.len() {
        match a[i].cmp(&b[j]) {
            std::cmp::Ordering::Less => i += 1,
            std::cmp::Ordering::Greater => j += 1,
            std::cmp::Ordering::Equal => {
                n += 1;
                i += 1;
                j += 1;
            }
        }
    }
    n
}

/// Multiset difference `a - b` of two sorted lists.
fn minus(a: &[u64], b: &[u64]) -> Vec<u64> {
    let mut out = Vec::with_capacity(a.len());
    let (mut i, mut j) = (0, 0);
    while i < a.len() {
        if j < b.len() {
            match a[i].cmp(&b[j]) {
                std::cmp::Ordering::Less => {
                    out.push(a[i]);
                    i += 1;
                }
                std::cmp::Ordering::Greater => j += 1,
                std::cmp::Ordering::Equal => {
                    i += 1;
                    j += 1;
                }
            }
        } else {
            out.push(a[i]);
            i += 1;
        }
    }
    out
}

/// Dice similarity of two bigram multisets.
pub(crate) fn dice(a: &[u64], b: &[u64]) -> f64 {
    if a.is_empty() && b.is_empty() {
        return 1.0;
    }
    2.0 * common(a, b) as f64 / (a.len() + b.len()) as f64
}

/// Aligns the units of two versions.
pub fn align(old: &Statute, new: &Statute) -> Alignment {
    let o: Vec<Prepared> = old.articles().iter().map(prepare).collect();
    let n: Vec<Prepared> = new.articles().iter().map(prepare).collect();
    align_prepared(&o, &n)
}

/// Alignment state: partner of each unit, `usize::MAX` when unpaired.
struct State {
    old_to: Vec<usize>,
    new_to: Vec<usize>,
}

const NONE: usize = usize::MAX;

impl State {
    fn pair(&mut self, i: usize, j: usize) {
        self.old_to[i] = j;
        self.new_to[j] = i;
    }

    /// The new index paired with the nearest paired old unit before `i` (or `None`).
    fn prev_anchor(&self, i: usize) -> Option<(usize, usize)> {
        (0..i)
            .rev()
            .find(|&k| self.old_to[k] != NONE)
            .map(|k| (k, self.old_to[k]))
    }

    fn next_anchor(&self, i: usize) -> Option<(usize, usize)> {
        (i + 1..self.old_to.len())
            .find(|&k| self.old_to[k] != NONE)
            .map(|k| (k, self.old_to[k]))
    }
}

pub(crate) fn align_prepared(o: &[Prepared], n: &[Prepared]) -> Alignment {
    let mut st = State {
        old_to: vec![NONE; o.len()],
        new_to: vec![NONE; n.len()],
    };

    // 1. Anchors on identical formal text, in order within each repeated text.
    let mut by_text: HashMap<&str, Vec<usize>> = HashMap::new();
    for (i, u) in o.iter().enumerate() {
        by_text.entry(u.norm.as_str()).or_default().push(i);
    }
    let mut used: HashMap<&str, usize> = HashMap::new();
    for (j, u) in n.iter().enumerate() {
        if let Some(list) = by_text.get(u.norm.as_str()) {
            let k = used.entry(u.norm.as_str()).or_insert(0);
            if let Some(&i) = list.get(*k) {
                st.pair(i, j);
                *k += 1;
            }
        }
    }

    // 2. Similar units, in rounds: each round's pairs support the next round's neighbours.
    let index = BigramIndex::new(n);
    for _ in 0..3 {
        let before = st.old_to.iter().filter(|&&x| x != NONE).count();
        similar_round(o, n, &index, &mut st);
        let after = st.old_to.iter().filter(|&&x| x != NONE).count();
        if after == before {
            break;
        }
    }

    // 3. Splits and merges.
    let mut extra_new: HashMap<usize, Vec<usize>> = HashMap::new(); // old i → more new units
    let mut extra_old: HashMap<usize, Vec<usize>> = HashMap::new(); // new j → more old units
    splits(o, n, &mut st, &mut extra_new, &index);
    merges(o, n, &mut st, &mut extra_old);

    // 4. Groups, in new order with deletions after their old predecessor.
    build_groups(o, n, &st, &extra_new, &extra_old)
}

/// Inverted index of the new units' bigrams, without bigrams too common to discriminate.
struct BigramIndex {
    postings: HashMap<u64, Vec<u32>>,
}

impl BigramIndex {
    fn new(n: &[Prepared]) -> BigramIndex {
        let mut postings: HashMap<u64, Vec<u32>> = HashMap::new();
        for (j, u) in n.iter().enumerate() {
            let mut last = None;
            for &g in &u.grams {
                if last != Some(g) {
                    postings.entry(g).or_default().push(j as u32);
                    last = Some(g);
                }
            }
        }
        let cap = (n.len() / 8).max(16);
        postings.retain(|_, v| v.len() <= cap);
        BigramIndex { postings }
    }
}

fn similar_round(o: &[Prepared], n: &[Prepared], index: &BigramIndex, st: &mut State) {
    let mut candidates: Vec<(f64, usize, usize)> = Vec::new();
    let mut hits: HashMap<u32, u32> = HashMap::new();
    for i in 0..o.len() {
        if st.old_to[i] != NONE {
            continue;
        }
        // Candidates sharing rare bigrams.
        hits.clear();
        let mut last = None;
        for &g in &o[i].grams {
            if last == Some(g) {
                continue;
            }
            last = Some(g);
            if let Some(p) = index.postings.get(&g) {
                for &j in p {
                    if st.new_to[j as usize] == NONE {
                        *hits.entry(j).or_insert(0) += 1;
                    }
                }
            }
        }
        let mut top: Vec<(u32, u32)> = hits.iter().map(|(&j, &h)| (h, j)).collect();
        top.sort_unstable_by(|a, b| b.cmp(a));
        top.truncate(12);
        let mut cands: Vec<usize> = top.into_iter().map(|(_, j)| j as usize).collect();
        // Candidates between the paired neighbours.
        let lo = st.prev_anchor(i).map_or(0, |(_, j)| j + 1);
        let hi = st.next_anchor(i).map_or(n.len(), |(_, j)| j);
        if lo < hi {
            for j in lo..hi.min(lo + 8) {
                if st.new_to[j] == NONE {
                    cands.push(j);
                }
            }
        }
        cands.sort_unstable();
        cands.dedup();
        for j in cands {
            let d = dice(&o[i].grams, &n[j].grams);
            let adjacent = (i > 0 && j > 0 && st.old_to[i - 1] == j - 1)
                || (i + 1 < o.len() && j + 1 < n.len() && st.old_to[i + 1] == j + 1);
            let in_gap = lo <= j && j < hi;
            let c = common(&o[i].grams, &n[j].grams) as f64;
            let contained = c / o[i].grams.len().min(n[j].grams.len()).max(1) as f64;
            let accept = d >= STRONG
                || ((adjacent || in_gap) && d >= SUPPORTED)
                || ((adjacent || in_gap) && contained >= CONTAINED && d >= 0.25)
                // A unit that keeps all its text and gains much more (an annex list run
                // into the last article) stays the same unit when it stays in place.
                || (adjacent && in_gap && contained >= 0.95);
            if accept {
                let bonus = if adjacent {
                    0.2
                } else if in_gap {
                    0.1
                } else {
                    0.0
                };
                candidates.push((d + bonus, i, j));
            }
        }
    }
    candidates.sort_by(|a, b| b.0.total_cmp(&a.0).then(a.1.cmp(&b.1)).then(a.2.cmp(&b.2)));
    for (_, i, j) in candidates {
        if st.old_to[i] == NONE && st.new_to[j] == NONE {
            st.pair(i, j);
        }
    }
}

/// Splits: an unpaired (or only weakly paired) new unit next to a paired one joins that pair
/// when its text comes from what the partner left of the old unit; and an unpaired old unit
/// whose text is spread over consecutive unpaired new units splits into them.
fn splits(
    o: &[Prepared],
    n: &[Prepared],
    st: &mut State,
    extra: &mut HashMap<usize, Vec<usize>>,
    index: &BigramIndex,
) {
    absorb(n, o, &mut st.new_to, &mut st.old_to, extra);
    // Unpaired old units spread over consecutive unpaired new units.
    for (i, oi) in o.iter().enumerate() {
        if st.old_to[i] != NONE || oi.grams.is_empty() {
            continue;
        }
        let mut hits: HashMap<u32, u32> = HashMap::new();
        for g in &oi.grams {
            if let Some(p) = index.postings.get(g) {
                for &j in p {
                    if st.new_to[j as usize] == NONE {
                        *hits.entry(j).or_insert(0) += 1;
                    }
                }
            }
        }
        let mut parts: Vec<usize> = hits
            .keys()
            .map(|&j| j as usize)
            .filter(|&j| {
                common(&oi.grams, &n[j].grams) as f64 / n[j].grams.len().max(1) as f64 >= PART
            })
            .collect();
        parts.sort_unstable();
        // Longest run of consecutive parts.
        let mut best: Vec<usize> = Vec::new();
        let mut run: Vec<usize> = Vec::new();
        for &j in &parts {
            if run.last().is_some_and(|&l| l + 1 != j) {
                run.clear();
            }
            run.push(j);
            if run.len() > best.len() {
                best = run.clone();
            }
        }
        if best.len() < 2 {
            continue;
        }
        let mut all: Vec<u64> = best
            .iter()
            .flat_map(|&j| n[j].grams.iter().copied())
            .collect();
        all.sort_unstable();
        if dice(&oi.grams, &all) >= STRONG {
            st.pair(i, best[0]);
            for &j in &best[1..] {
                st.new_to[j] = PART_OF;
                extra.entry(i).or_default().push(j);
            }
        }
    }
}

/// Merges, the mirror of the first half of [`splits`].
fn merges(o: &[Prepared], n: &[Prepared], st: &mut State, extra: &mut HashMap<usize, Vec<usize>>) {
    absorb(o, n, &mut st.old_to, &mut st.new_to, extra);
}

/// A marker in `*_to`: the unit is an extra part of a split or merge.
const PART_OF: usize = usize::MAX - 1;

/// Joins units of side `a` to a neighbour's pair as extra parts. For splits `a` is the new
/// side (parts) and `b` the old; for merges the reverse. A part is taken when its text is
/// found in what the neighbour's partner on side `b` has left over, and it is unpaired or
/// paired clearly worse than that.
fn absorb(
    a: &[Prepared],
    b: &[Prepared],
    a_to: &mut [usize],
    b_to: &mut [usize],
    extra: &mut HashMap<usize, Vec<usize>>,
) {
    for j in 0..a.len() {
        let current = a_to[j];
        if current == PART_OF || a[j].grams.is_empty() {
            continue;
        }
        let current_sim = if current == NONE {
            0.0
        } else {
            dice(&b[current].grams, &a[j].grams)
        };
        if current_sim >= STRONG {
            continue;
        }
        let mut best: Option<(f64, usize)> = None;
        for nb in [j.wrapping_sub(1), j + 1, j.wrapping_sub(2), j + 2] {
            if nb >= a.len() {
                continue;
            }
            let i = a_to[nb];
            if i == NONE || i == PART_OF || i == current {
                continue;
            }
            let mut taken = a[nb].grams.clone();
            for &k in extra.get(&i).into_iter().flatten() {
                taken.extend_from_slice(&a[k].grams);
            }
            taken.sort_unstable();
            let left = minus(&b[i].grams, &taken);
            let part = common(&left, &a[j].grams) as f64 / a[j].grams.len() as f64;
            // The leftover must be substantial, not a few edited characters, and explain
            // this unit clearly better than its current partner does.
            if part >= PART
                && left.len() * 2 >= a[j].grams.len()
                && part > current_sim + 0.15
                && best.is_none_or(|(p, _)| part > p)
            {
                best = Some((part, i));
            }
        }
        if let Some((_, i)) = best {
            if current != NONE {
                b_to[current] = NONE;
            }
            extra.entry(i).or_default().push(j);
            a_to[j] = PART_OF;
        }
    }
}

fn build_groups(
    o: &[Prepared],
    n: &[Prepared],
    st: &State,
    extra_new: &HashMap<usize, Vec<usize>>,
    extra_old: &HashMap<usize, Vec<usize>>,
) -> Alignment {
    let mut groups = Vec::new();
    let mut emitted_old = vec![false; o.len()];
    // Deleted old units are placed after the group holding their nearest earlier old unit.
    let mut deleted_after: HashMap<Option<usize>, Vec<usize>> = HashMap::new();
    for i in 0..o.len() {
        if st.old_to[i] == NONE {
            let mut k = i;
            let anchor = loop {
                if k == 0 {
                    break None;
                }
                k -= 1;
                if st.old_to[k] != NONE {
                    break Some(k);
                }
            };
            deleted_after.entry(anchor).or_default().push(i);
        }
    }
    let flush_deleted = |after: Option<usize>, groups: &mut Vec<Group>, emitted: &mut Vec<bool>| {
        if let Some(list) = deleted_after.get(&after) {
            for &i in list {
                if !emitted[i] {
                    emitted[i] = true;
                    groups.push(Group {
                        old: vec![i],
                        new: Vec::new(),
                        similarity: 0.0,
                    });
                }
            }
        }
    };
    flush_deleted(None, &mut groups, &mut emitted_old);
    for j in 0..n.len() {
        let i = st.new_to[j];
        if i == PART_OF {
            continue; // part of a split, emitted with its first part
        }
        if i == NONE {
            groups.push(Group {
                old: Vec::new(),
                new: vec![j],
                similarity: 0.0,
            });
            continue;
        }
        let mut old_ids = vec![i];
        old_ids.extend(extra_old.get(&j).into_iter().flatten().copied());
        old_ids.sort_unstable();
        let mut new_ids = vec![j];
        new_ids.extend(extra_new.get(&i).into_iter().flatten().copied());
        new_ids.sort_unstable();
        let cat = |ids: &[usize], side: &[Prepared]| {
            let mut g: Vec<u64> = ids
                .iter()
                .flat_map(|&k| side[k].grams.iter().copied())
                .collect();
            g.sort_unstable();
            g
        };
        let similarity = if old_ids.len() == 1 && new_ids.len() == 1 {
            if o[i].norm == n[j].norm {
                1.0
            } else {
                dice(&o[i].grams, &n[j].grams)
            }
        } else {
            dice(&cat(&old_ids, o), &cat(&new_ids, n))
        };
        for &k in &old_ids {
            emitted_old[k] = true;
        }
        let last_old = old_ids.iter().copied().max();
        groups.push(Group {
            old: old_ids.clone(),
            new: new_ids,
            similarity,
        });
        for &k in &old_ids {
            flush_deleted(Some(k), &mut groups, &mut emitted_old);
        }
        let _ = last_old;
    }
    // Deleted units whose anchor was itself never emitted (cannot happen, but never lose one).
    for (i, done) in emitted_old.iter().enumerate() {
        if !done && st.old_to[i] == NONE {
            groups.push(Group {
                old: vec![i],
                new: Vec::new(),
                similarity: 0.0,
            });
        }
    }
    Alignment { groups }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn p(s: &str) -> Prepared {
        let norm = normalize::normalize(s);
        let grams = grams(&norm);
        Prepared { norm, grams }
    }

    fn pairs(a: &Alignment) -> Vec<(Vec<usize>, Vec<usize>)> {
        a.groups
            .iter()
            .map(|g| (g.old.clone(), g.new.clone()))
            .collect()
    }

    #[test]
    fn insertion_shifts_but_pairs_by_text() {
        let o = [
            p("甲乙丙丁戊己庚辛"),
            p("天地玄黄宇宙洪荒"),
            p("日月盈昃辰宿列张"),
        ];
        let n = [
            p("甲乙丙丁戊己庚辛"),
            p("寒来暑往秋收冬藏"),
            p("天地玄黄宇宙洪荒"),
            p("日月盈昃辰宿列张"),
        ];
        assert_eq!(
            pairs(&align_prepared(&o, &n)),
            [
                (vec![0], vec![0]),
                (vec![], vec![1]),
                (vec![1], vec![2]),
                (vec![2], vec![3])
            ]
        );
    }

    #[test]
    fn edited_unit_pairs_and_unrelated_ones_do_not() {
        let o = [
            p("国家保护公民的合法的收入、储蓄、房屋和其他合法财产的所有权。"),
            p("云想衣裳花想容"),
        ];
        let n = [
            p("国家保护公民的合法的收入、储蓄、房屋和其他合法财产的所有权和继承权。"),
            p("春风拂槛露华浓"),
        ];
        let a = align_prepared(&o, &n);
        assert_eq!(a.groups.len(), 3, "{:?}", pairs(&a));
        assert_eq!(
            (a.groups[0].old.clone(), a.groups[0].new.clone()),
            (vec![0], vec![0])
        );
    }

    #[test]
    fn split_and_merge() {
        let whole = "人民法院审理行政案件，以法律和行政法规、地方性法规为依据。地方性法规适用于本行政区域内发生的行政案件。";
        let a = "人民法院审理行政案件，以法律和行政法规、地方性法规为依据。";
        let b = "地方性法规适用于本行政区域内发生的行政案件。";
        let split = align_prepared(&[p(whole)], &[p(a), p(b)]);
        assert_eq!(pairs(&split), [(vec![0], vec![0, 1])]);
        let merge = align_prepared(&[p(a), p(b)], &[p(whole)]);
        assert_eq!(pairs(&merge), [(vec![0, 1], vec![0])]);
    }
}
