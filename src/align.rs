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

use crate::model::{ArticleRef, Statute, UnitNum};
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

use rustc_hash::FxHashMap as FxMap;

/// Minimum Dice similarity for a pair with no positional support.
const STRONG: f64 = 0.62;
/// Minimum Dice similarity for a pair whose neighbours support it.
const SUPPORTED: f64 = 0.4;
/// Minimum Dice similarity for a unit whose neighbours on both sides are paired to the
/// neighbours of its candidate.
const SANDWICHED: f64 = 0.3;
/// Minimum share of a unit's bigrams found in the other (for heavily extended units).
const CONTAINED: f64 = 0.8;
/// Minimum share of a split/merge part found in its partner's leftover text.
const PART: f64 = 0.72;

/// One unit prepared for alignment.
pub(crate) struct Prepared {
    pub norm: String,
    /// The unit's number, to follow cross-references through the renumbering.
    pub num: Option<UnitNum>,
    /// Number of character bigrams in `norm` (1 for a one-character text).
    pub count: usize,
    /// The bigrams whose hash is 0 mod 4, sorted (long units only), on first use: a fixed
    /// sample, so that two long units are compared on their samples at a quarter of the cost.
    sample: std::sync::OnceLock<Vec<u32>>,
    /// All hashed bigrams, sorted, on first use.
    full: std::sync::OnceLock<Vec<u32>>,
    /// The hashed bigrams in text order: sorted only when first compared (a unit found
    /// identical to another never is), and for a whole unit, its lines take theirs from here.
    hashes: Vec<u32>,
    /// For a whole unit: where each of its lines (paragraph, item, sub-item, in the order of
    /// the differ's lines) ends in `norm`, so the differ reads the lines' formal forms
    /// without normalising again. Empty for other texts.
    pub line_ends: Vec<u32>,
    /// For a whole unit: the number of characters of `norm` up to the end of each line.
    line_chars: Vec<u32>,
}

impl Prepared {
    /// The formal form of line `k` of the unit (see `line_ends`).
    pub fn line(&self, k: usize) -> &str {
        let start = if k == 0 {
            0
        } else {
            self.line_ends[k - 1] as usize
        };
        &self.norm[start..self.line_ends[k] as usize]
    }

    /// The empty text, prepared (without allocating).
    pub fn empty() -> Prepared {
        from_hashes(String::new(), Vec::new())
    }

    /// Line `k` of the unit prepared for comparison, as [`prepared`] would prepare its formal
    /// form, but with the bigram hashes taken from the unit's instead of hashed again.
    pub fn line_prepared(&self, k: usize) -> Prepared {
        let norm = self.line(k);
        let first = if k == 0 {
            0
        } else {
            self.line_chars[k - 1] as usize
        };
        let chars = self.line_chars[k] as usize - first;
        // The unit's hash `i` is of its characters `i` and `i + 1`: the line's own bigrams
        // are those from its first character to its last but one.
        let hashes = match chars {
            0 => Vec::new(),
            1 => hashed(norm),
            _ => self.hashes[first..first + chars - 1].to_vec(),
        };
        from_hashes(norm.to_string(), hashes)
    }
}

impl Prepared {
    /// All bigrams of the unit, sorted.
    pub fn grams(&self) -> &[u32] {
        self.full.get_or_init(|| {
            let mut g = self.hashes.clone();
            sort_hashes(&mut g);
            g
        })
    }

    /// The unit's sample of bigrams (see `sample`), sorted; empty for a short unit.
    pub fn sample(&self) -> &[u32] {
        self.sample.get_or_init(|| {
            if self.count < SAMPLED {
                return Vec::new();
            }
            let mut sample: Vec<u32> = self
                .hashes
                .iter()
                .copied()
                .filter(|g| g.is_multiple_of(4))
                .collect();
            sort_hashes(&mut sample);
            sample
        })
    }
}

/// Units with at least this many bigrams are compared and indexed by their samples.
const SAMPLED: usize = 64;

pub(crate) fn prepare(a: &ArticleRef<'_>) -> Prepared {
    let len: usize = a
        .article
        .paras
        .iter()
        .map(|p| p.text.len() + 64 * p.items.len())
        .sum();
    let mut norm = String::with_capacity(len);
    let mut ends = LineEnds::default();
    // The bigrams are hashed as the formal text is written: one pass over the text.
    let mut pairs = Pairs::with_capacity(len / 3 + 1);
    for p in &a.article.paras {
        normalize::normalize_with(&p.text, &mut norm, |c| pairs.push(c));
        ends.push(&norm, &pairs);
        for item in &p.items {
            push_item(item, &mut norm, &mut ends, &mut pairs);
        }
    }
    let mut p = from_hashes(norm, pairs.finish());
    p.num = Some(a.article.num);
    p.line_ends = ends.bytes;
    p.line_chars = ends.chars;
    p
}

/// Where the lines of a unit end in its formal text, in bytes and in characters.
#[derive(Default)]
struct LineEnds {
    bytes: Vec<u32>,
    chars: Vec<u32>,
}

impl LineEnds {
    fn push(&mut self, norm: &str, pairs: &Pairs) {
        self.bytes.push(norm.len() as u32);
        self.chars.push(pairs.chars);
    }
}

/// Hashes the bigrams of a character sequence as it is produced.
struct Pairs {
    prev: Option<u32>,
    hashes: Vec<u32>,
    /// Characters seen.
    chars: u32,
}

impl Pairs {
    fn with_capacity(n: usize) -> Pairs {
        Pairs {
            prev: None,
            hashes: Vec::with_capacity(n),
            chars: 0,
        }
    }

    #[inline]
    fn push(&mut self, c: u32) {
        if let Some(p) = self.prev {
            self.hashes.push(pair_hash(p, c));
        }
        self.prev = Some(c);
        self.chars += 1;
    }

    /// The hashes in text order (a one-character text has one, with 0), as [`hashed`].
    fn finish(mut self) -> Vec<u32> {
        if let (true, Some(p)) = (self.hashes.is_empty(), self.prev) {
            self.hashes.push(pair_hash(p, 0));
        }
        self.hashes
    }
}

/// A text already in formal form, prepared for comparison: its bigrams hashed in one pass,
/// sorted when first needed.
pub(crate) fn prepared(norm: String) -> Prepared {
    let hashes = hashed(&norm);
    from_hashes(norm, hashes)
}

/// A formal text with its bigram hashes in text order, prepared for comparison.
fn from_hashes(norm: String, hashes: Vec<u32>) -> Prepared {
    Prepared {
        norm,
        num: None,
        count: hashes.len(),
        sample: std::sync::OnceLock::new(),
        full: std::sync::OnceLock::new(),
        hashes,
        line_ends: Vec::new(),
        line_chars: Vec::new(),
    }
}

/// An item and its sub-items, each a line. (Normalisation maps each character on its own,
/// so marker and text normalised apart are the line normalised whole.)
fn push_item(item: &crate::model::Item, norm: &mut String, ends: &mut LineEnds, pairs: &mut Pairs) {
    normalize::normalize_with(&item.marker, norm, |c| pairs.push(c));
    normalize::normalize_with(&item.text, norm, |c| pairs.push(c));
    ends.push(norm, pairs);
    for sub in &item.subitems {
        push_item(sub, norm, ends, pairs);
    }
}

/// The characters of `s` as keys for [`pair_hash`].
#[inline]
fn char_keys(s: &str) -> impl Iterator<Item = u32> + '_ {
    s.chars().map(|c| c as u32)
}

/// A well-mixed 32-bit hash of a character pair (given by their keys).
#[inline]
fn pair_hash(a: u32, b: u32) -> u32 {
    let x = ((a as u64) << 32) ^ (b as u64);
    (x.wrapping_mul(0x9E37_79B9_7F4A_7C15) >> 32) as u32
}

/// The hashed bigrams of `s` in text order (a one-character text has one, with 0).
fn hashed(s: &str) -> Vec<u32> {
    let mut pairs = Pairs::with_capacity(s.len() / 3 + 1);
    for c in char_keys(s) {
        pairs.push(c);
    }
    pairs.finish()
}

/// Sorts well-mixed hashes: a bucket pass on their top bits (about one bucket per hash),
/// then an insertion sort that only has to order the few hashes sharing a bucket. About
/// three times faster than a comparison sort on the few hundred bigrams of an article.
pub(crate) fn sort_hashes(v: &mut Vec<u32>) {
    let n = v.len();
    if n < 64 {
        v.sort_unstable();
        return;
    }
    let bits = n.next_power_of_two().trailing_zeros().min(14);
    let shift = 32 - bits;
    let mut start = vec![0u32; (1 << bits) + 1];
    for &x in v.iter() {
        start[(x >> shift) as usize + 1] += 1;
    }
    for b in 1..start.len() {
        start[b] += start[b - 1];
    }
    let mut out = vec![0u32; n];
    for &x in v.iter() {
        let b = (x >> shift) as usize;
        out[start[b] as usize] = x;
        start[b] += 1;
    }
    for i in 1..n {
        let x = out[i];
        let mut j = i;
        while j > 0 && out[j - 1] > x {
            out[j] = out[j - 1];
            j -= 1;
        }
        out[j] = x;
    }
    *v = out;
}

/// Size of the multiset intersection of two sorted lists.
pub(crate) fn common(a: &[u32], b: &[u32]) -> usize {
    let (small, large) = if a.len() <= b.len() { (a, b) } else { (b, a) };
    if small.len() * 16 < large.len() {
        // Galloping: look each element of the short list up in the rest of the long one.
        let mut n = 0;
        let mut from = 0;
        for &x in small {
            let rest = &large[from..];
            let pos = rest.partition_point(|&y| y < x);
            if pos < rest.len() && rest[pos] == x {
                n += 1;
                from += pos + 1;
            } else {
                from += pos;
            }
        }
        return n;
    }
    let (mut i, mut j, mut n) = (0, 0, 0);
    while i < a.len() && j < b.len() {
        let (x, y) = (a[i], b[j]);
        n += (x == y) as usize;
        i += (x <= y) as usize;
        j += (y <= x) as usize;
    }
    n
}

/// Dice similarity and containment (shared bigrams over the shorter unit) of two units,
/// estimated from the samples when both are long.
pub(crate) fn similarity(a: &Prepared, b: &Prepared) -> (f64, f64) {
    let (la, lb) = (a.count, b.count);
    if la == 0 && lb == 0 {
        return (1.0, 1.0);
    }
    let (sa, sb) = if la.min(lb) >= SAMPLED {
        (a.sample(), b.sample())
    } else {
        (&[][..], &[][..])
    };
    let c = if sa.len() + sb.len() > 0 {
        let cs = common(sa, sb) as f64;
        cs * (la + lb) as f64 / (sa.len() + sb.len()) as f64
    } else {
        common(a.grams(), b.grams()) as f64
    };
    (
        (2.0 * c / (la + lb) as f64).min(1.0),
        (c / la.min(lb).max(1) as f64).min(1.0),
    )
}

/// Multiset difference `a - b` of two sorted lists.
fn minus(a: &[u32], b: &[u32]) -> Vec<u32> {
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
pub(crate) fn dice(a: &[u32], b: &[u32]) -> f64 {
    if a.is_empty() && b.is_empty() {
        return 1.0;
    }
    2.0 * common(a, b) as f64 / (a.len() + b.len()) as f64
}

/// Aligns the units of two versions.
pub fn align(old: &Statute, new: &Statute) -> Alignment {
    align_threads(old, new, 1)
}

/// Aligns the units of two versions, preparing the two sides on two threads when allowed.
pub fn align_threads(old: &Statute, new: &Statute, threads: usize) -> Alignment {
    align_units(old, new, threads).0
}

/// [`align_threads`], also returning the prepared units of each side (for the differ).
pub(crate) fn align_units(
    old: &Statute,
    new: &Statute,
    threads: usize,
) -> (Alignment, Vec<Prepared>, Vec<Prepared>) {
    let side = |s: &Statute| -> Vec<Prepared> { s.articles().iter().map(prepare).collect() };
    let mut sides = crate::par::map(&[old, new], threads, |s| side(s));
    let n = sides.pop().unwrap_or_default();
    let o = sides.pop().unwrap_or_default();
    let alignment = align_prepared(&o, &n);
    (alignment, o, n)
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
}

pub(crate) fn align_prepared(o: &[Prepared], n: &[Prepared]) -> Alignment {
    let mut st = State {
        old_to: vec![NONE; o.len()],
        new_to: vec![NONE; n.len()],
    };

    // 1. Anchors on identical formal text, in order within each repeated text.
    let mut by_text: FxMap<&str, Vec<usize>> = FxMap::default();
    for (i, u) in o.iter().enumerate() {
        by_text.entry(u.norm.as_str()).or_default().push(i);
    }
    let mut used: FxMap<&str, usize> = FxMap::default();
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
    let index = BigramIndex::new(n, &st.new_to);
    let rare = rare_candidates(o, n, &index, &st);
    let mut scores = Scores::default();
    for _ in 0..3 {
        let before = st.old_to.iter().filter(|&&x| x != NONE).count();
        similar_round(o, n, &rare, &mut st, &mut scores);
        let after = st.old_to.iter().filter(|&&x| x != NONE).count();
        if after == before {
            break;
        }
    }

    // Units whose texts differ only in cross-references that follow the renumbering are
    // the same units, whatever plain similarity said (near-identical template articles).
    if reanchor_references(o, n, &mut st) {
        similar_round(o, n, &rare, &mut st, &mut scores);
    }

    // Units moved far and edited: too dissimilar to pair without neighbours' support, the
    // same unit by every other sign.
    far_moves(o, n, &rare, &mut st, &mut scores);

    // 3. Splits and merges.
    let mut extra_new: FxMap<usize, Vec<usize>> = FxMap::default(); // old i → more new units
    let mut extra_old: FxMap<usize, Vec<usize>> = FxMap::default(); // new j → more old units
    splits(o, n, &mut st, &mut extra_new, &rare, &scores);
    merges(o, n, &mut st, &mut extra_old, &scores);
    spread_merges(o, n, &mut st, &mut extra_old, &rare);
    distant_merges(o, n, &mut st, &mut extra_old, &rare);
    // Where one version has many short units and the other a few long ones made of them,
    // the cut between two neighbours' runs can be off by a unit when their lines repeat
    // (1.将引言修改为：); the cut that makes both texts whole is the right one.
    repair_cuts(n, o, &mut st.new_to, &mut st.old_to, &mut extra_old);
    repair_cuts(o, n, &mut st.old_to, &mut st.new_to, &mut extra_new);

    // 4. Groups, in new order with deletions after their old predecessor.
    build_groups(o, n, &st, &extra_new, &extra_old, &scores)
}

/// True when `a` and `b` share a whole clause of at least 12 characters verbatim.
fn shares_clause(a: &str, b: &str) -> bool {
    a.split(['，', '。', '；', '：', ',', '.', ';', ':'])
        .filter(|c| c.chars().count() >= 12)
        .any(|c| b.contains(c))
}

/// Re-pairs units whose texts are formally equal once the old text's references to the
/// statute's own articles are rewritten through the current pairing. Returns whether any
/// pair changed.
fn reanchor_references(o: &[Prepared], n: &[Prepared], st: &mut State) -> bool {
    let mut refs = normalize::Renumbering::default();
    for (i, &j) in st.old_to.iter().enumerate() {
        if j != NONE
            && j != PART_OF
            && let (Some(a), Some(b)) = (o[i].num, n[j].num)
        {
            refs.insert(a, b);
        }
    }
    if refs.iter().all(|(a, b)| a == b) {
        return false;
    }
    // Rewritten old texts that differ from the original (they cite something renumbered).
    let mut by_text: FxMap<String, usize> = FxMap::default();
    for (i, u) in o.iter().enumerate() {
        if !u.norm.contains('第') {
            continue;
        }
        if let std::borrow::Cow::Owned(r) = normalize::rewrite_references(&u.norm, &refs)
            && r != u.norm
        {
            by_text.entry(r).or_insert(i);
        }
    }
    let mut changed = false;
    for (j, u) in n.iter().enumerate() {
        let Some(&i) = by_text.get(u.norm.as_str()) else {
            continue;
        };
        let current = st.new_to[j];
        if current == i || current == PART_OF || st.old_to[i] == PART_OF {
            continue;
        }
        // Break both current pairs; the freed units are paired again afterwards.
        if current != NONE {
            st.old_to[current] = NONE;
        }
        let old_partner = st.old_to[i];
        if old_partner != NONE {
            st.new_to[old_partner] = NONE;
        }
        st.pair(i, j);
        changed = true;
    }
    changed
}

/// The bigrams a unit is indexed and looked up by: its sample when it is long.
fn keys(p: &Prepared) -> &[u32] {
    if p.count >= SAMPLED {
        p.sample()
    } else {
        p.grams()
    }
}

/// Inverted index of the new units' bigrams, without bigrams too common to discriminate.
struct BigramIndex {
    postings: FxMap<u32, Vec<u32>>,
}

impl BigramIndex {
    /// Indexes the new units not yet paired.
    fn new(n: &[Prepared], new_to: &[usize]) -> BigramIndex {
        let mut postings: FxMap<u32, Vec<u32>> = FxMap::default();
        for (j, u) in n.iter().enumerate() {
            if new_to[j] != NONE {
                continue;
            }
            let mut last = None;
            for &g in keys(u) {
                if last != Some(g) {
                    postings.entry(g).or_default().push(j as u32);
                    last = Some(g);
                }
            }
        }
        // A bigram found in many units does not discriminate; dropping it keeps the
        // candidate search near linear.
        let cap = (n.len() / 32).max(12);
        postings.retain(|_, v| v.len() <= cap);
        BigramIndex { postings }
    }
}

/// For each old unit unpaired after the anchors, the new units (unpaired then) that share
/// the most rare bigrams with it, best first.
fn rare_candidates(
    o: &[Prepared],
    n: &[Prepared],
    index: &BigramIndex,
    st: &State,
) -> Vec<Vec<u32>> {
    let mut hits = vec![0u32; n.len()];
    let mut touched: Vec<u32> = Vec::new();
    o.iter()
        .enumerate()
        .map(|(i, u)| {
            if st.old_to[i] != NONE {
                return Vec::new();
            }
            let mut last = None;
            for &g in keys(u) {
                if last == Some(g) {
                    continue;
                }
                last = Some(g);
                if let Some(p) = index.postings.get(&g) {
                    for &j in p {
                        if st.new_to[j as usize] == NONE {
                            if hits[j as usize] == 0 {
                                touched.push(j);
                            }
                            hits[j as usize] += 1;
                        }
                    }
                }
            }
            let mut top: Vec<(u32, u32)> = touched.iter().map(|&j| (hits[j as usize], j)).collect();
            for &j in &touched {
                hits[j as usize] = 0;
            }
            touched.clear();
            // The best 8 by (hits, index), best first: a selection, then a sort of those 8
            // (the pairs are distinct, so the result is the full sort's first 8).
            if top.len() > 8 {
                top.select_nth_unstable_by(7, |a, b| b.cmp(a));
                top.truncate(8);
            }
            top.sort_unstable_by(|a, b| b.cmp(a));
            top.into_iter().map(|(_, j)| j).collect()
        })
        .collect()
}

/// For each old unit, the new partners of the nearest paired old units before and after it.
fn anchors(st: &State) -> (Vec<Option<usize>>, Vec<Option<usize>>) {
    let real = |j: usize| (j != NONE && j != PART_OF).then_some(j);
    let mut last = None;
    let prev = st
        .old_to
        .iter()
        .map(|&j| {
            let before = last;
            last = real(j).or(last);
            before
        })
        .collect();
    let mut last = None;
    let mut next: Vec<Option<usize>> = st
        .old_to
        .iter()
        .rev()
        .map(|&j| {
            let before = last;
            last = real(j).or(last);
            before
        })
        .collect();
    next.reverse();
    (prev, next)
}

/// Dice similarity and containment of a pair, computed once across rounds.
type Scores = FxMap<(u32, u32), (f64, f64)>;

fn similar_round(
    o: &[Prepared],
    n: &[Prepared],
    rare: &[Vec<u32>],
    st: &mut State,
    scores: &mut Scores,
) {
    let (prev, next) = anchors(st);
    let mut candidates: Vec<(f64, usize, usize)> = Vec::new();
    let mut cands: Vec<usize> = Vec::new();
    for i in 0..o.len() {
        if st.old_to[i] != NONE {
            continue;
        }
        // Candidates sharing rare bigrams, and those between the paired neighbours.
        cands.clear();
        cands.extend(
            rare[i]
                .iter()
                .map(|&j| j as usize)
                .filter(|&j| st.new_to[j] == NONE),
        );
        let lo = prev[i].map_or(0, |j| j + 1);
        let hi = next[i].map_or(n.len(), |j| j);
        if lo < hi {
            cands.extend((lo..hi.min(lo + 8)).filter(|&j| st.new_to[j] == NONE));
        }
        cands.sort_unstable();
        cands.dedup();
        for &j in &cands {
            let adjacent = (i > 0 && j > 0 && st.old_to[i - 1] == j - 1)
                || (i + 1 < o.len() && j + 1 < n.len() && st.old_to[i + 1] == j + 1);
            // Without positional support only a strong similarity can pass, and Dice can be
            // no higher than the lengths allow: skip the comparison when they rule it out.
            let (la, lb) = (o[i].count, n[j].count);
            let supported = adjacent || (lo <= j && j < hi);
            if !supported && 2.0 * (la.min(lb) as f64) < STRONG * (la + lb) as f64 {
                continue;
            }
            let (d, contained) = *scores
                .entry((i as u32, j as u32))
                .or_insert_with(|| similarity(&o[i], &n[j]));
            let in_gap = lo <= j && j < hi;
            // Both neighbours paired to this slot's neighbours: the one unit between them is
            // the same unit even when heavily rewritten.
            let sandwiched = (i == 0 || (j > 0 && st.old_to[i - 1] == j - 1))
                && (i + 1 == o.len() || (j + 1 < n.len() && st.old_to[i + 1] == j + 1))
                && o.len() > 1;
            let accept = d >= STRONG
                || (sandwiched && d >= SANDWICHED)
                || (sandwiched && d >= 0.2 && shares_clause(&o[i].norm, &n[j].norm))
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
    extra: &mut FxMap<usize, Vec<usize>>,
    rare: &[Vec<u32>],
    scores: &Scores,
) {
    let known = |i: usize, j: usize| scores.get(&(i as u32, j as u32)).copied();
    absorb(n, o, &mut st.new_to, &mut st.old_to, extra, known);
    // Unpaired old units spread over consecutive unpaired new units.
    for (i, oi) in o.iter().enumerate() {
        if st.old_to[i] != NONE || (oi.count == 0) {
            continue;
        }
        let mut parts: Vec<usize> = rare[i]
            .iter()
            .map(|&j| j as usize)
            .filter(|&j| {
                st.new_to[j] == NONE
                    && similarity(oi, &n[j]).1 >= PART - 0.15
                    && common(oi.grams(), n[j].grams()) as f64 / n[j].count.max(1) as f64 >= PART
            })
            .collect();
        parts.sort_unstable();
        let mut best = longest_run(&parts);
        if best.is_empty() {
            continue;
        }
        // The run grows over the unpaired units next to it whose text is in the old one: a
        // unit written as many paragraphs (a point's lines) has more parts than candidates.
        extend_run(&mut best, n.len(), |j| {
            st.new_to[j] == NONE && contained(&n[j], oi)
        });
        if best.len() < 2 {
            continue;
        }
        let mut all: Vec<u32> = best
            .iter()
            .flat_map(|&j| n[j].grams().iter().copied())
            .collect();
        sort_hashes(&mut all);
        if dice(oi.grams(), &all) >= STRONG {
            st.pair(i, best[0]);
            for &j in &best[1..] {
                st.new_to[j] = PART_OF;
                extra.entry(i).or_default().push(j);
            }
        }
    }
}

/// The share of `part`'s bigrams found in `whole`. When both are long, the share of the
/// part's sample found in the whole's: the two samples keep the same bigrams, so a part
/// wholly contained gives exactly 1, and a short part of a long unit is not underestimated
/// as by the scaled count of [`similarity`]. Otherwise `counted`, the exact share (the
/// containment [`similarity`] counts when either unit is short, perhaps known already).
fn containment(part: &Prepared, whole: &Prepared, counted: impl FnOnce() -> f64) -> f64 {
    if part.count >= SAMPLED && whole.count >= SAMPLED {
        let sample = part.sample();
        if sample.is_empty() {
            return 0.0;
        }
        return common(sample, whole.sample()) as f64 / sample.len() as f64;
    }
    counted()
}

/// True when most of `part`'s bigrams ([`PART`]) are found in `whole`.
fn contained(part: &Prepared, whole: &Prepared) -> bool {
    part.count > 0 && common(part.grams(), whole.grams()) as f64 / part.count as f64 >= PART
}

/// The longest run of consecutive indices in sorted `parts` (the first of equal length).
fn longest_run(parts: &[usize]) -> Vec<usize> {
    let mut best: Vec<usize> = Vec::new();
    let mut run: Vec<usize> = Vec::new();
    for &k in parts {
        if run.last().is_some_and(|&l| l + 1 != k) {
            run.clear();
        }
        run.push(k);
        if run.len() > best.len() {
            best = run.clone();
        }
    }
    best
}

/// Grows a run of consecutive indices (below `len`) left and right while `ok` holds.
fn extend_run(run: &mut Vec<usize>, len: usize, ok: impl Fn(usize) -> bool) {
    let (Some(&first), Some(&last)) = (run.first(), run.last()) else {
        return;
    };
    let mut lo = first;
    while lo > 0 && ok(lo - 1) {
        lo -= 1;
    }
    let mut hi = last;
    while hi + 1 < len && ok(hi + 1) {
        hi += 1;
    }
    *run = (lo..=hi).collect();
}

/// Merges, the mirror of the second half of [`splits`]: an unpaired new unit whose text is
/// spread over consecutive unpaired old units (the paragraphs of a point, numbered in the
/// new version only) merges them.
fn spread_merges(
    o: &[Prepared],
    n: &[Prepared],
    st: &mut State,
    extra: &mut FxMap<usize, Vec<usize>>,
    rare: &[Vec<u32>],
) {
    // Old candidates of each new unit: the old units whose rare candidates name it.
    let mut old_of: FxMap<usize, Vec<usize>> = FxMap::default();
    for (i, list) in rare.iter().enumerate() {
        if st.old_to[i] == NONE {
            for &j in list {
                old_of.entry(j as usize).or_default().push(i);
            }
        }
    }
    let mut news: Vec<usize> = old_of.keys().copied().collect();
    news.sort_unstable();
    for j in news {
        let nj = &n[j];
        if st.new_to[j] != NONE || nj.count == 0 {
            continue;
        }
        let mut parts: Vec<usize> = old_of[&j]
            .iter()
            .copied()
            .filter(|&i| st.old_to[i] == NONE && contained(&o[i], nj))
            .collect();
        parts.sort_unstable();
        let mut best = longest_run(&parts);
        extend_run(&mut best, o.len(), |i| {
            st.old_to[i] == NONE && contained(&o[i], nj)
        });
        if best.len() < 2 {
            continue;
        }
        let mut all: Vec<u32> = best
            .iter()
            .flat_map(|&i| o[i].grams().iter().copied())
            .collect();
        sort_hashes(&mut all);
        if dice(&all, nj.grams()) >= STRONG {
            st.pair(best[0], j);
            for &i in &best[1..] {
                st.old_to[i] = PART_OF;
                extra.entry(j).or_default().push(i);
            }
        }
    }
}

/// Merges, the mirror of the first half of [`splits`].
fn merges(
    o: &[Prepared],
    n: &[Prepared],
    st: &mut State,
    extra: &mut FxMap<usize, Vec<usize>>,
    scores: &Scores,
) {
    let known = |j: usize, i: usize| scores.get(&(i as u32, j as u32)).copied();
    absorb(o, n, &mut st.old_to, &mut st.new_to, extra, known);
}

/// Minimum Dice similarity of a unit moved far (no neighbour supports it) and edited.
const FAR: f64 = 0.5;
/// A far pair must beat every other candidate of either unit by this much.
const FAR_MARGIN: f64 = 0.1;
/// Characters of the shortest run of text that identifies a far-moved unit.
const FAR_CLAUSE: usize = 6;

/// Pairs units still unpaired that moved far and were edited (Dice ≥ [`FAR`], below what a
/// pair without positional support needs), when the pairing is beyond doubt: each is the
/// other's best candidate by a margin, and they share a run of six characters that no other
/// unit of either version has. A deleted article and an unrelated added one written on the
/// same template (penalty articles) share only runs that other articles have too, and stay
/// apart.
fn far_moves(
    o: &[Prepared],
    n: &[Prepared],
    rare: &[Vec<u32>],
    st: &mut State,
    scores: &mut Scores,
) {
    // Similarities of every unpaired old unit with its unpaired candidates.
    let mut cands: Vec<(f64, usize, usize)> = Vec::new();
    for (i, list) in rare.iter().enumerate() {
        if st.old_to[i] != NONE {
            continue;
        }
        for &j in list {
            let j = j as usize;
            if st.new_to[j] != NONE {
                continue;
            }
            let (la, lb) = (o[i].count, n[j].count);
            if 2.0 * (la.min(lb) as f64) < FAR * (la + lb) as f64 {
                continue;
            }
            let d = scores
                .entry((i as u32, j as u32))
                .or_insert_with(|| similarity(&o[i], &n[j]))
                .0;
            cands.push((d, i, j));
        }
    }
    if !cands.iter().any(|c| c.0 >= FAR) {
        return;
    }
    // The best and second-best similarity of each unit among its candidates.
    let mut best_old: FxMap<usize, (f64, f64, usize)> = FxMap::default();
    let mut best_new: FxMap<usize, (f64, f64, usize)> = FxMap::default();
    let note = |m: &mut FxMap<usize, (f64, f64, usize)>, k: usize, d: f64, other: usize| {
        let e = m
            .entry(k)
            .or_insert((f64::NEG_INFINITY, f64::NEG_INFINITY, NONE));
        if d > e.0 {
            *e = (d, e.0, other);
        } else if d > e.1 {
            e.1 = d;
        }
    };
    for &(d, i, j) in &cands {
        note(&mut best_old, i, d, j);
        note(&mut best_new, j, d, i);
    }
    let mut clauses: Option<ClauseCounts> = None;
    for &(d, i, j) in &cands {
        if !(FAR..STRONG).contains(&d) {
            continue;
        }
        let (Some(bo), Some(bn)) = (best_old.get(&i), best_new.get(&j)) else {
            continue;
        };
        let mutual = bo.2 == j && bn.2 == i;
        let clear = bo.1 <= d - FAR_MARGIN && bn.1 <= d - FAR_MARGIN;
        if mutual
            && clear
            && st.old_to[i] == NONE
            && st.new_to[j] == NONE
            && clauses
                .get_or_insert_with(|| ClauseCounts::new(o, n))
                .share_unique(&o[i].norm, &n[j].norm)
        {
            st.pair(i, j);
        }
    }
}

/// The formal texts of all units of each version, one per line, to count in how many units
/// a run of text occurs (the texts hold no line breaks).
struct ClauseCounts {
    old: String,
    new: String,
}

impl ClauseCounts {
    fn new(o: &[Prepared], n: &[Prepared]) -> ClauseCounts {
        let join = |units: &[Prepared]| {
            let mut all = String::with_capacity(units.iter().map(|u| u.norm.len() + 1).sum());
            for u in units {
                all.push_str(&u.norm);
                all.push('\n');
            }
            all
        };
        ClauseCounts {
            old: join(o),
            new: join(n),
        }
    }

    /// True when `a` (old) and `b` (new) share a run of [`FAR_CLAUSE`] characters that
    /// occurs nowhere else in either version.
    fn share_unique(&self, a: &str, b: &str) -> bool {
        let theirs: std::collections::HashSet<&str> = runs(b).collect();
        let once = |finder: &memchr::memmem::Finder<'_>, all: &str| {
            finder.find_iter(all.as_bytes()).nth(1).is_none()
        };
        runs(a).filter(|r| theirs.contains(r)).any(|run| {
            let finder = memchr::memmem::Finder::new(run.as_bytes());
            once(&finder, &self.old) && once(&finder, &self.new)
        })
    }
}

/// Every run of [`FAR_CLAUSE`] characters of `s`.
fn runs(s: &str) -> impl Iterator<Item = &str> {
    let starts: Vec<usize> = s.char_indices().map(|(k, _)| k).chain([s.len()]).collect();
    (0..starts.len().saturating_sub(FAR_CLAUSE)).map(move |k| &s[starts[k]..starts[k + FAR_CLAUSE]])
}

/// Merges of units far apart: an old unit left unpaired whose text makes up most of what a
/// new unit has beyond its own partner's text, and is itself mostly found there (two
/// non-adjacent articles merged into one).
fn distant_merges(
    o: &[Prepared],
    n: &[Prepared],
    st: &mut State,
    extra: &mut FxMap<usize, Vec<usize>>,
    rare: &[Vec<u32>],
) {
    for i in 0..o.len() {
        if st.old_to[i] != NONE || o[i].count == 0 {
            continue;
        }
        let mut best: Option<(f64, usize)> = None;
        for &j in &rare[i] {
            let j = j as usize;
            let partner = st.new_to[j];
            if partner == NONE || partner == PART_OF {
                continue;
            }
            if similarity(&o[i], &n[j]).1 < PART - 0.15 {
                continue;
            }
            let mut taken = o[partner].grams().to_vec();
            for &k in extra.get(&j).into_iter().flatten() {
                taken.extend_from_slice(o[k].grams());
            }
            sort_hashes(&mut taken);
            let left = minus(n[j].grams(), &taken);
            let shared = common(&left, o[i].grams()) as f64;
            let part = shared / o[i].count as f64;
            // Far from its partner, the unit must also be most of what the new unit gained:
            // a clause borrowed into a rewritten article is no merge.
            let explains = shared / left.len().max(1) as f64;
            if part >= PART
                && explains >= 0.5
                && left.len() * 2 >= o[i].count
                && best.is_none_or(|(p, _)| part > p)
            {
                best = Some((part, j));
            }
        }
        if let Some((_, j)) = best {
            extra.entry(j).or_default().push(i);
            st.old_to[i] = PART_OF;
        }
    }
}

/// Moves the cut between two neighbouring groups of `a` units (each paired with a run of
/// consecutive `b` units, the runs next to each other) so that each unit's formal text is
/// exactly its run's, when it is not and some cut makes it so. For merges `a` is the new
/// side and `b` the old; for splits the reverse.
fn repair_cuts(
    a: &[Prepared],
    b: &[Prepared],
    a_to: &mut [usize],
    b_to: &mut [usize],
    extra: &mut FxMap<usize, Vec<usize>>,
) {
    if extra.is_empty() {
        return;
    }
    // The run of each a unit with parts: its first and last b unit, when consecutive.
    let run = |j: usize, a_to: &[usize], extra: &FxMap<usize, Vec<usize>>| {
        let first = a_to[j];
        if first >= b.len() {
            return None;
        }
        let mut all = vec![first];
        all.extend(extra.get(&j).into_iter().flatten().copied());
        all.sort_unstable();
        let (lo, hi) = (all[0], all[all.len() - 1]);
        (hi - lo + 1 == all.len()).then_some((lo, hi))
    };
    let whole = |j: usize, lo: usize, hi: usize| {
        let joined: String = b[lo..=hi].iter().map(|u| u.norm.as_str()).collect();
        joined == a[j].norm
    };
    for j in 0..a.len().saturating_sub(1) {
        let k = j + 1;
        if !extra.contains_key(&j) && !extra.contains_key(&k) {
            continue;
        }
        let (Some((lo1, hi1)), Some((lo2, hi2))) = (run(j, a_to, extra), run(k, a_to, extra))
        else {
            continue;
        };
        if hi1 + 1 != lo2 || (whole(j, lo1, hi1) && whole(k, lo2, hi2)) {
            continue;
        }
        let Some(cut) = (lo1 + 1..=hi2).find(|&c| whole(j, lo1, c - 1) && whole(k, c, hi2)) else {
            continue;
        };
        for (unit, lo, hi) in [(j, lo1, cut - 1), (k, cut, hi2)] {
            a_to[unit] = lo;
            b_to[lo] = unit;
            let parts: Vec<usize> = (lo + 1..=hi).collect();
            for &p in &parts {
                b_to[p] = PART_OF;
            }
            if parts.is_empty() {
                extra.remove(&unit);
            } else {
                extra.insert(unit, parts);
            }
        }
    }
}

/// A marker in `*_to`: the unit is an extra part of a split or merge.
const PART_OF: usize = usize::MAX - 1;

/// Joins units of side `a` to a neighbour's pair as extra parts. For splits `a` is the new
/// side (parts) and `b` the old; for merges the reverse. A part is taken when its text is
/// found in what the neighbour's partner on side `b` has left over, and it is unpaired or
/// paired clearly worse than that. `known(i, j)` is the similarity of `b[i]` and `a[j]` when
/// the aligner has computed it already.
fn absorb(
    a: &[Prepared],
    b: &[Prepared],
    a_to: &mut [usize],
    b_to: &mut [usize],
    extra: &mut FxMap<usize, Vec<usize>>,
    known: impl Fn(usize, usize) -> Option<(f64, f64)>,
) {
    let similarity = |i: usize, j: usize| {
        known(i, j).unwrap_or_else(|| {
            if b[i].norm == a[j].norm {
                (1.0, 1.0)
            } else {
                similarity(&b[i], &a[j])
            }
        })
    };
    // The group each part belongs to (the `b` unit whose pair it joined).
    let mut group_of: FxMap<usize, usize> = FxMap::default();
    for (&i, parts) in extra.iter() {
        for &k in parts {
            group_of.insert(k, i);
        }
    }
    // What a pair's unit and its parts so far leave unexplained of its partner `i`.
    let leftover = |i: usize, a_to: &[usize], b_to: &[usize], extra: &FxMap<usize, Vec<usize>>| {
        let primary = b_to[i];
        if primary >= a.len() || a_to[primary] != i {
            return None;
        }
        Some(match extra.get(&i).filter(|parts| !parts.is_empty()) {
            None => minus(b[i].grams(), a[primary].grams()),
            Some(parts) => {
                let mut taken = a[primary].grams().to_vec();
                for &k in parts {
                    taken.extend_from_slice(a[k].grams());
                }
                sort_hashes(&mut taken);
                minus(b[i].grams(), &taken)
            }
        })
    };
    // In rounds while parts are found: each round finds the best pair of every unit that may
    // have one (all at first, then those next to a change) among its neighbours' (as their
    // partner or one of their parts), then takes them best first, each checked again against
    // what is left then. A run of parts grows from its pair in either direction, and of two
    // units that could explain the same text, the one that explains it best takes it. Parts
    // that explain all but a few characters go first, to the end, so that a unit's own line
    // is taken before a line like it from a neighbouring unit (two questions of one template)
    // can take its text.
    let mut lefts: FxMap<usize, Option<Vec<u32>>> = FxMap::default();
    // Units with a candidate pair at all, and units next to a change since: the ones the
    // second tier looks at first.
    let mut eligible = vec![false; a.len()];
    for threshold in [0.95, PART] {
        let mut visit = if threshold < 0.95 {
            std::mem::take(&mut eligible)
        } else {
            vec![true; a.len()]
        };
        for _ in 0..8 {
            let mut found: Vec<(f64, usize, usize)> = Vec::new();
            for j in 0..a.len() {
                if !visit[j] {
                    continue;
                }
                let current = a_to[j];
                if current == PART_OF || (a[j].count == 0) {
                    continue;
                }
                let current_sim = if current == NONE {
                    0.0
                } else {
                    similarity(current, j).0
                };
                // A part must explain the unit 0.15 better than its partner does: impossible
                // for a unit that is nearly identical to its partner already.
                if current_sim >= 0.85 {
                    continue;
                }
                let mut best: Option<(f64, usize)> = None;
                for nb in [j.wrapping_sub(1), j + 1, j.wrapping_sub(2), j + 2] {
                    if nb >= a.len() {
                        continue;
                    }
                    // The pair the neighbour belongs to, as its partner or one of its parts.
                    let i = match a_to[nb] {
                        NONE => continue,
                        PART_OF => match group_of.get(&nb) {
                            Some(&i) => i,
                            None => continue,
                        },
                        i => i,
                    };
                    if i == current {
                        continue;
                    }
                    // A part must be largely contained in the partner's text.
                    if containment(&a[j], &b[i], || similarity(i, j).1) < PART - 0.15 {
                        continue;
                    }
                    let left = lefts
                        .entry(i)
                        .or_insert_with(|| leftover(i, a_to, b_to, extra));
                    let Some(left) = left.as_deref() else {
                        continue;
                    };
                    let part = common(left, a[j].grams()) as f64 / a[j].count as f64;
                    if part >= PART && !eligible.is_empty() {
                        eligible[j] = true;
                    }
                    // The leftover must be substantial, not a few edited characters, and
                    // explain this unit clearly better than its current partner does.
                    if part >= threshold
                        && left.len() * 2 >= a[j].count
                        && part > current_sim + 0.15
                        && best.is_none_or(|(p, _)| part > p)
                    {
                        best = Some((part, i));
                    }
                }
                if let Some((part, i)) = best {
                    found.push((part, j, i));
                }
            }
            if found.is_empty() {
                break;
            }
            found.sort_by(|x, y| y.0.total_cmp(&x.0).then(x.1.cmp(&y.1)));
            visit.iter_mut().for_each(|v| *v = false);
            let mut changed = false;
            for (_, j, i) in found {
                let current = a_to[j];
                if current == PART_OF || b_to[i] >= a.len() || b_to[i] == j {
                    continue;
                }
                // Checked again: parts taken before it in this round may have explained its
                // text.
                let left = lefts
                    .entry(i)
                    .or_insert_with(|| leftover(i, a_to, b_to, extra));
                let Some(left) = left.as_deref() else {
                    continue;
                };
                let current_sim = if current == NONE {
                    0.0
                } else {
                    similarity(current, j).0
                };
                let part = common(left, a[j].grams()) as f64 / a[j].count as f64;
                if !(part >= threshold && left.len() * 2 >= a[j].count && part > current_sim + 0.15)
                {
                    continue;
                }
                // Units next to a change are looked at again in the next round.
                let mut touch = |k: usize| {
                    for v in visit.iter_mut().take(k + 3).skip(k.saturating_sub(2)) {
                        *v = true;
                    }
                    for v in eligible.iter_mut().take(k + 3).skip(k.saturating_sub(2)) {
                        *v = true;
                    }
                };
                touch(j);
                if current != NONE {
                    b_to[current] = NONE;
                    lefts.remove(&current);
                    // Parts that joined the released partner's pair are released with it.
                    for k in extra.remove(&current).into_iter().flatten() {
                        a_to[k] = NONE;
                        group_of.remove(&k);
                        touch(k);
                    }
                }
                extra.entry(i).or_default().push(j);
                lefts.remove(&i);
                group_of.insert(j, i);
                a_to[j] = PART_OF;
                changed = true;
            }
            if !changed {
                break;
            }
        }
    }
}

/// Step 4: the groups, in new order: each new unit with the old units paired with it (a split's
/// parts with its first part), or alone when added; each deleted old unit after the group
/// that holds its nearest earlier paired old unit, or first when it has none.
fn build_groups(
    o: &[Prepared],
    n: &[Prepared],
    st: &State,
    extra_new: &FxMap<usize, Vec<usize>>,
    extra_old: &FxMap<usize, Vec<usize>>,
    scores: &Scores,
) -> Alignment {
    let mut groups = Vec::new();
    let mut emitted_old = vec![false; o.len()];
    let deleted_after = deleted_by_anchor(st);
    push_deleted(None, &deleted_after, &mut groups, &mut emitted_old);
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
        let (old_ids, new_ids) = members(i, j, extra_new, extra_old);
        let similarity = group_similarity(o, n, (i, j), (&old_ids, &new_ids), scores);
        for &k in &old_ids {
            emitted_old[k] = true;
        }
        groups.push(Group {
            old: old_ids.clone(),
            new: new_ids,
            similarity,
        });
        for &k in &old_ids {
            push_deleted(Some(k), &deleted_after, &mut groups, &mut emitted_old);
        }
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

/// The deleted old units by anchor: the nearest earlier old unit that is paired, `None` for
/// those before every paired one; each list ascending.
fn deleted_by_anchor(st: &State) -> FxMap<Option<usize>, Vec<usize>> {
    let mut deleted_after: FxMap<Option<usize>, Vec<usize>> = FxMap::default();
    for i in 0..st.old_to.len() {
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
    deleted_after
}

/// Adds a group for each deleted old unit anchored `after` (see [`deleted_by_anchor`]) that
/// has none yet.
fn push_deleted(
    after: Option<usize>,
    deleted_after: &FxMap<Option<usize>, Vec<usize>>,
    groups: &mut Vec<Group>,
    emitted: &mut [bool],
) {
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
}

/// The old and the new units of the group of old unit `i` paired with new unit `j`: with
/// the old units merged into `j` and the new units split from `i`, each side ascending.
fn members(
    i: usize,
    j: usize,
    extra_new: &FxMap<usize, Vec<usize>>,
    extra_old: &FxMap<usize, Vec<usize>>,
) -> (Vec<usize>, Vec<usize>) {
    let mut old_ids = vec![i];
    old_ids.extend(extra_old.get(&j).into_iter().flatten().copied());
    old_ids.sort_unstable();
    let mut new_ids = vec![j];
    new_ids.extend(extra_new.get(&i).into_iter().flatten().copied());
    new_ids.sort_unstable();
    (old_ids, new_ids)
}

/// The similarity of a group: for one unit on each side, 1.0 when their formal texts are
/// equal, else the score computed while aligning (or computed now); for a split or a merge,
/// the Dice of the bigrams of each side's units together.
fn group_similarity(
    o: &[Prepared],
    n: &[Prepared],
    (i, j): (usize, usize),
    (old_ids, new_ids): (&[usize], &[usize]),
    scores: &Scores,
) -> f64 {
    if old_ids.len() == 1 && new_ids.len() == 1 {
        if o[i].norm == n[j].norm {
            1.0
        } else {
            scores
                .get(&(i as u32, j as u32))
                .map_or_else(|| similarity(&o[i], &n[j]).0, |s| s.0)
        }
    } else {
        let cat = |ids: &[usize], side: &[Prepared]| {
            let mut g: Vec<u32> = ids
                .iter()
                .flat_map(|&k| side[k].grams().iter().copied())
                .collect();
            g.sort_unstable();
            g
        };
        dice(&cat(old_ids, o), &cat(new_ids, n))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn p(s: &str) -> Prepared {
        prepared(normalize::normalize(s))
    }

    fn pairs(a: &Alignment) -> Vec<(Vec<usize>, Vec<usize>)> {
        a.groups
            .iter()
            .map(|g| (g.old.clone(), g.new.clone()))
            .collect()
    }

    /// A line prepared from its unit's hashes is the line prepared on its own: short and long
    /// units, one-character and empty lines, items and sub-items.
    #[test]
    fn lines_take_their_bigrams_from_the_unit() {
        let long = "国家机关、社会团体、企业事业单位和其他组织应当依照本法规定履行职责。".repeat(3);
        let text = format!(
            "# 测试法\n\n第一条 甲。\n乙\n（一）丙丁；\n1. 戊\n2. 己庚辛\n\n第二条 {long}\n子\n{long}\n\n第三条 一\n"
        );
        let statute = crate::parse_str(std::path::Path::new("t.md"), &text)
            .expect("parses")
            .statute;
        let mut lines = 0;
        for unit in statute.articles().iter().map(prepare) {
            for k in 0..unit.line_ends.len() {
                let (got, want) = (unit.line_prepared(k), prepared(unit.line(k).to_string()));
                assert_eq!(got.norm, want.norm);
                assert_eq!(got.count, want.count, "{:?}", want.norm);
                assert_eq!(got.sample(), want.sample(), "{:?}", want.norm);
                assert_eq!(got.grams(), want.grams(), "{:?}", want.norm);
                lines += 1;
            }
        }
        assert!(lines >= 9, "{lines} lines");
    }

    /// Galloping or merging, `common` counts the multiset intersection, duplicates and all.
    #[test]
    fn common_counts_the_multiset_intersection() {
        let mut seed = 0x2545_f491_4f6c_dd1du64;
        let mut next = move |m: u32| {
            seed ^= seed << 13;
            seed ^= seed >> 7;
            seed ^= seed << 17;
            (seed % m as u64) as u32
        };
        for round in 0..400 {
            let range = [4, 50, 1000, u32::MAX][round % 4];
            let (la, lb) = (next(300) as usize, next(300) as usize);
            let mut a: Vec<u32> = (0..la).map(|_| next(range)).collect();
            let mut b: Vec<u32> = (0..lb).map(|_| next(range)).collect();
            a.sort_unstable();
            b.sort_unstable();
            let mut counts = std::collections::HashMap::new();
            for &x in &a {
                counts.entry(x).or_insert((0, 0)).0 += 1;
            }
            for &x in &b {
                counts.entry(x).or_insert((0, 0)).1 += 1;
            }
            let want: usize = counts.values().map(|&(x, y)| x.min(y)).sum();
            assert_eq!(common(&a, &b), want, "{a:?} {b:?}");
            assert_eq!(common(&b, &a), want);
        }
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
