//! The generator: mutation operations on a flattened statute (edits, 款 and 项 added or
//! removed, articles inserted, deleted, moved, split and merged, format-only noise, rewrites,
//! template copies…), renumbering with cross-references rewritten, and the truth of every new
//! unit; `generate` builds pair `index` deterministically.

use std::collections::{BTreeSet, HashMap, HashSet};
use std::fmt;
use std::path::Path;

use statute::Statute;
use statute::model::{Article, Body, Division, Item, Loc, Node, Para, UnitNum};
use statute::numerals::to_chinese;
use statute::parse::parse_str;

use crate::corpus::Corpus;
use crate::reformat::{self, Reformat};
use crate::refs::{retarget_ref, rewrite_refs};
use crate::render::{Format, render, same_units};
use crate::rng::Rng;
use crate::text::{bigrams, clauses, dice, distance_share, editable, paras_text, squash};
use crate::truth::{Pair, Truth};

/// Generated pairs of a benchmark run unless told otherwise.
pub const DEFAULT_PAIRS: usize = 400;
/// Base seed: every pair's generator is seeded from it and the pair's index.
pub const SEED: u64 = 0x5EED_0F57_A7C7_0001;
/// Donor articles at least this similar (bigram Dice) to an article of the target are not
/// inserted: they would make the truth ambiguous.
pub const MAX_DONOR_SIMILARITY: f64 = 0.3;
/// `rewrite` replaces this share of an article's characters (range, drawn uniformly)…
pub const REWRITE_SHARE: (f64, f64) = (0.30, 0.60);
/// …and keeps the result closer to its own old text than to any other old article by this
/// margin of bigram Dice, so that the pairing stays the one a drafter would make.
pub const REWRITE_MARGIN: f64 = 0.15;
/// …and at least this similar to its own old text.
pub const REWRITE_MIN_DICE: f64 = 0.35;
/// `rewrite` and `template-insert` only touch articles at least this long (characters).
pub const REWRITE_MIN_CHARS: usize = 30;
/// A `template-insert` copy differs from its model by at least this share of characters
/// (Levenshtein distance over the longer length): closer copies would be hard to tell apart
/// from the model even for a drafter. It stays a near-copy: at most `TEMPLATE_MAX_DISTANCE`.
pub const TEMPLATE_MIN_DISTANCE: f64 = 0.25;
pub const TEMPLATE_MAX_DISTANCE: f64 = 0.60;
/// Old articles at least this similar to a template copy are frozen (left unchanged, not
/// deleted or moved), so the copy cannot pass for one of them amended.
pub const TEMPLATE_FREEZE_SIMILARITY: f64 = 0.3;
/// `far-move-edit` moves articles of this many characters (at least, less than)…
pub const FAR_MOVE_MIN_CHARS: usize = 20;
pub const FAR_MOVE_MAX_CHARS: usize = 80;
/// …and edits them to this bigram Dice with their old text.
pub const FAR_MOVE_DICE: (f64, f64) = (0.5, 0.75);
/// `shuffle` moves an article this many articles away inside its own chapter.
pub const SHUFFLE_JUMP: (usize, usize) = (3, 10);

/// Pairs whose index is this modulo 10 re-format a point-numbered document.
pub const ACT_PAIR: usize = 7;

/// The seed of pair `index`'s generator (its first round).
fn pair_seed(index: usize) -> u64 {
    Rng::new(SEED ^ (index as u64).wrapping_mul(0xA24B_AED4_963E_E407)).next_u64()
}

#[derive(Debug, Clone, PartialEq, Eq)]
enum Origin {
    Old(usize),
    Added,
    SplitFrom(usize),
    MergedFrom(Vec<usize>),
}

/// An article while it is being mutated; numbers are assigned at the end.
#[derive(Debug, Clone)]
struct Unit {
    paras: Vec<Para>,
    origin: Origin,
    /// Numbered as 之N of the unit before it.
    sub: bool,
    /// Substantively edited.
    edited: bool,
    /// Moved, split or merged: left alone by later structural mutations.
    touched: bool,
    moved: bool,
    refs: bool,
    /// Heavily rewritten (`rewrite`).
    rewritten: bool,
}

impl Unit {
    fn new(paras: Vec<Para>, origin: Origin, sub: bool) -> Unit {
        Unit {
            paras,
            origin,
            sub,
            edited: false,
            touched: false,
            moved: false,
            refs: false,
            rewritten: false,
        }
    }

    fn text(&self) -> String {
        paras_text(&self.paras)
    }
}

/// The body flattened: inserting, removing and moving units are plain `Vec` operations.
#[derive(Debug, Clone)]
enum Tok {
    /// A division with its children removed; they follow until the matching `Close`.
    Open(Division),
    Close,
    Unit(Unit),
    Para(Para),
}

fn flatten(nodes: &[Node], next: &mut usize, out: &mut Vec<Tok>) {
    for n in nodes {
        match n {
            Node::Division(d) => {
                let mut head = d.clone();
                head.children.clear();
                out.push(Tok::Open(head));
                flatten(&d.children, next, out);
                out.push(Tok::Close);
            }
            Node::Article(a) => {
                let sub = matches!(a.num, UnitNum::Article { sub, .. } if sub > 0);
                out.push(Tok::Unit(Unit::new(
                    a.paras.clone(),
                    Origin::Old(*next),
                    sub,
                )));
                *next += 1;
            }
            Node::Para(p) => out.push(Tok::Para(p.clone())),
        }
    }
}

/// Numbers in document order: plain units count up, 之N units follow the one before.
fn number(subs: &[bool]) -> Vec<UnitNum> {
    let (mut main, mut sub) = (0, 0);
    subs.iter()
        .map(|&s| {
            if s && main > 0 {
                sub += 1;
            } else {
                main += 1;
                sub = 0;
            }
            UnitNum::Article { main, sub }
        })
        .collect()
}

fn unflatten(toks: &[Tok], nums: &[UnitNum]) -> Vec<Node> {
    let mut root = Vec::new();
    let mut stack: Vec<(Division, Vec<Node>)> = Vec::new();
    let mut k = 0;
    for t in toks {
        let node = match t {
            Tok::Open(d) => {
                stack.push((d.clone(), Vec::new()));
                continue;
            }
            Tok::Close => {
                let (mut d, children) = stack.pop().expect("balanced division tokens");
                d.children = children;
                Node::Division(d)
            }
            Tok::Unit(u) => {
                let num = nums[k];
                k += 1;
                Node::Article(Article {
                    num,
                    label: num.label(),
                    paras: u.paras.clone(),
                    loc: Loc(0),
                })
            }
            Tok::Para(p) => Node::Para(p.clone()),
        };
        match stack.last_mut() {
            Some((_, children)) => children.push(node),
            None => root.push(node),
        }
    }
    root
}

/// `nodes` flattened into the generator's tokens and built again with the generator's
/// numbering: equal to `nodes` when the generator models the statute's structure (checked
/// for the sources by the `mutation_generator_is_consistent` test).
pub fn reflow(nodes: &[Node]) -> Vec<Node> {
    let mut toks = Vec::new();
    flatten(nodes, &mut 0, &mut toks);
    let subs: Vec<bool> = toks
        .iter()
        .filter_map(|t| match t {
            Tok::Unit(u) => Some(u.sub),
            _ => None,
        })
        .collect();
    unflatten(&toks, &number(&subs))
}

/// Mutation kinds, with the weight each is drawn with.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord)]
enum Op {
    Phrase,
    Para,
    Item,
    Insert,
    ZhiYi,
    Delete,
    Move,
    Split,
    Merge,
    Noise,
    Rewrite,
    Template,
    Replace,
    Shuffle,
    Split3,
    Reorder,
    ZhiEr,
    FarMove,
    MergeFar,
    Regroup,
}

const OPS: [(Op, usize); 20] = [
    (Op::Phrase, 6),
    (Op::Para, 3),
    (Op::Item, 3),
    (Op::Insert, 3),
    (Op::ZhiYi, 2),
    (Op::Delete, 4),
    (Op::Move, 2),
    (Op::Split, 2),
    (Op::Merge, 2),
    (Op::Noise, 3),
    (Op::Rewrite, 4),
    (Op::Template, 3),
    (Op::Replace, 2),
    (Op::Shuffle, 2),
    (Op::Split3, 2),
    (Op::Reorder, 2),
    (Op::ZhiEr, 2),
    (Op::FarMove, 2),
    (Op::MergeFar, 2),
    (Op::Regroup, 2),
];

impl Op {
    fn name(self) -> &'static str {
        match self {
            Op::Phrase => "edit",
            Op::Para => "para",
            Op::Item => "item",
            Op::Insert => "insert",
            Op::ZhiYi => "insert-zhiyi",
            Op::Delete => "delete",
            Op::Move => "move",
            Op::Split => "split",
            Op::Merge => "merge",
            Op::Noise => "noise",
            Op::Rewrite => "rewrite",
            Op::Template => "template-insert",
            Op::Replace => "replace-in-place",
            Op::Shuffle => "shuffle",
            Op::Split3 => "split3",
            Op::Reorder => "para-reorder",
            Op::ZhiEr => "insert-zhier",
            Op::FarMove => "far-move-edit",
            Op::MergeFar => "merge-distant",
            Op::Regroup => "regroup",
        }
    }

    fn draw(rng: &mut Rng) -> Op {
        let total: usize = OPS.iter().map(|(_, w)| w).sum();
        let mut r = rng.below(total);
        for (op, w) in OPS {
            if r < w {
                return op;
            }
            r -= w;
        }
        Op::Phrase
    }
}

/// A snippet of 2–12 pool characters that differs from `not`.
fn snippet(rng: &mut Rng, pool: &[char]) -> String {
    let len = rng.range(2, 12).min(pool.len());
    let start = rng.below(pool.len() - len + 1);
    pool[start..start + len].iter().collect()
}

/// Replaces, inserts or deletes a short run of ideographs inside `text` (never its first
/// character, never punctuation, numerals or 第/条).
fn phrase_edit(text: &str, rng: &mut Rng, pool: &[char]) -> Option<String> {
    let cs: Vec<char> = text.chars().collect();
    let n = cs.len();
    if n < 8 {
        return None;
    }
    let max = (n / 4).clamp(2, 12);
    for _ in 0..20 {
        let op = rng.below(3);
        let out: String = if op == 1 {
            // Insert between two editable characters.
            let p = rng.range(1, n - 1);
            if !(editable(cs[p - 1]) && editable(cs[p])) {
                continue;
            }
            let ins = snippet(rng, pool);
            cs[..p]
                .iter()
                .copied()
                .chain(ins.chars())
                .chain(cs[p..].iter().copied())
                .collect()
        } else {
            let len = rng.range(2, max);
            if n < len + 2 {
                continue;
            }
            let s = rng.range(1, n - len);
            if !cs[s..s + len].iter().all(|&c| editable(c)) {
                continue;
            }
            let ins = if op == 0 {
                snippet(rng, pool)
            } else {
                String::new()
            };
            cs[..s]
                .iter()
                .copied()
                .chain(ins.chars())
                .chain(cs[s + len..].iter().copied())
                .collect()
        };
        if out != text {
            return Some(out);
        }
    }
    None
}

/// Item markers （一）（二）… (or half-width), numbered from one: items the mutations can
/// renumber.
fn plain_items(items: &[Item]) -> Option<(char, char)> {
    let first = items.first()?.marker.chars().next()?;
    let (open, close) = match first {
        '（' => ('（', '）'),
        '(' => ('(', ')'),
        _ => return None,
    };
    items
        .iter()
        .enumerate()
        .all(|(k, it)| {
            it.num == k as u32 + 1
                && it.marker == format!("{open}{}{close}", to_chinese(k as u32 + 1))
        })
        .then_some((open, close))
}

fn renumber_items(items: &mut [Item], open: char, close: char) {
    for (k, it) in items.iter_mut().enumerate() {
        it.num = k as u32 + 1;
        it.marker = format!("{open}{}{close}", to_chinese(it.num));
    }
}

/// Applies format-only noise to every text of a unit; false if nothing changed. Each try
/// draws some of eight kinds: full/half-width swaps of 0 ，, 1 ；, 2 ：, 3 （） (item markers
/// too); 4 《》 → 〈〉 or <>; 5 “” → ""; 6 spaces added after punctuation; 7 spaces removed.
fn add_noise(u: &mut Unit, rng: &mut Rng) -> bool {
    let before = u.text();
    for _ in 0..4 {
        let kinds: Vec<usize> = (0..8).filter(|_| rng.chance(0.35)).collect();
        let kinds = if kinds.is_empty() {
            vec![rng.below(8)]
        } else {
            kinds
        };
        let brackets = if rng.chance(0.5) {
            ('〈', '〉')
        } else {
            ('<', '>')
        };
        let space = if rng.chance(0.5) { ' ' } else { '\u{3000}' };
        let noise = |s: &str, rng: &mut Rng| -> String {
            let cs: Vec<char> = s.chars().collect();
            let mut out = String::with_capacity(s.len() + 8);
            for (k, &c) in cs.iter().enumerate() {
                let interior = k + 1 < cs.len();
                let swapped = kinds.iter().find_map(|&kind| {
                    Some(match (kind, c) {
                        (0, '，') => ',',
                        (0, ',') => '，',
                        (1, '；') => ';',
                        (1, ';') => '；',
                        (2, '：') => ':',
                        (2, ':') => '：',
                        (3, '（') => '(',
                        (3, '）') => ')',
                        (3, '(') => '（',
                        (3, ')') => '）',
                        (4, '《') => brackets.0,
                        (4, '》') => brackets.1,
                        (5, '“' | '”') => '"',
                        _ => return None,
                    })
                });
                if kinds.contains(&7) && c.is_whitespace() && k > 0 && interior {
                    continue;
                }
                let c = swapped.unwrap_or(c);
                out.push(c);
                if kinds.contains(&6)
                    && interior
                    && matches!(c, '，' | '；' | '：' | ',' | ';' | ':')
                    && rng.chance(0.5)
                {
                    out.push(space);
                }
            }
            out
        };
        for p in &mut u.paras {
            p.text = noise(&p.text, rng);
            for it in &mut p.items {
                it.text = noise(&it.text, rng);
                if kinds.contains(&3) {
                    it.marker = noise(&it.marker, rng);
                }
                for sub in &mut it.subitems {
                    sub.text = noise(&sub.text, rng);
                }
            }
        }
        if u.text() != before {
            return true;
        }
    }
    false
}

/// A place a unit can be moved to.
#[derive(Debug, Clone)]
struct Target {
    /// Token position to insert at (before the move).
    pos: usize,
    /// The innermost division there.
    container: Option<usize>,
    /// Index among the units of the insertion point: the unit goes before `units[ord]`.
    ord: usize,
    /// Units jumped over.
    jumped: usize,
    /// "before 第十条" / "after 第十条".
    dest: String,
}

/// Builds one pair.
struct Gen<'a> {
    c: &'a Corpus,
    src: usize,
    rng: Rng,
    toks: Vec<Tok>,
    old_texts: Vec<String>,
    old_nums: Vec<UnitNum>,
    old_labels: Vec<String>,
    /// Old units whose text occurs more than once: moving or deleting them is ambiguous.
    dup: HashSet<usize>,
    old_grams: Vec<HashSet<(char, char)>>,
    /// Old units that must stay as they are (a template copy's model, and old articles like
    /// the copy): no edits, deletions, moves, splits or merges; formal noise is allowed.
    frozen: HashSet<usize>,
    /// Old units a `shuffle` jumped over: not deleted, moved, split or merged later, so the
    /// jump stays long enough to tell which unit moved.
    pinned: HashSet<usize>,
    log: Vec<String>,
}

impl<'a> Gen<'a> {
    fn new(c: &'a Corpus, src: usize, seed: u64) -> Gen<'a> {
        let old = &c.sources[src].statute;
        let mut toks = Vec::new();
        flatten(&old.body.nodes, &mut 0, &mut toks);
        let arts = old.articles();
        let old_texts: Vec<String> = arts.iter().map(|a| a.article.text()).collect();
        let mut seen: HashMap<String, Vec<usize>> = HashMap::new();
        for (i, t) in old_texts.iter().enumerate() {
            seen.entry(squash(t)).or_default().push(i);
        }
        let dup = seen
            .into_values()
            .filter(|v| v.len() > 1)
            .flatten()
            .collect();
        Gen {
            c,
            src,
            rng: Rng::new(seed),
            toks,
            old_grams: old_texts.iter().map(|t| bigrams(t)).collect(),
            old_nums: arts.iter().map(|a| a.article.num).collect(),
            old_labels: arts.iter().map(|a| a.article.label.clone()).collect(),
            old_texts,
            dup,
            frozen: HashSet::new(),
            pinned: HashSet::new(),
            log: Vec::new(),
        }
    }

    /// Token positions of the units, in document order.
    fn units(&self) -> Vec<usize> {
        self.toks
            .iter()
            .enumerate()
            .filter_map(|(i, t)| matches!(t, Tok::Unit(_)).then_some(i))
            .collect()
    }

    fn unit(&self, pos: usize) -> &Unit {
        match &self.toks[pos] {
            Tok::Unit(u) => u,
            other => panic!("token {pos} is not a unit: {other:?}"),
        }
    }

    fn unit_mut(&mut self, pos: usize) -> &mut Unit {
        match &mut self.toks[pos] {
            Tok::Unit(u) => u,
            other => panic!("token {pos} is not a unit: {other:?}"),
        }
    }

    /// Per token, the position of the innermost enclosing `Open` (`None` at top level).
    fn containers(&self) -> Vec<Option<usize>> {
        let mut stack = Vec::new();
        let mut out = Vec::with_capacity(self.toks.len());
        for (i, t) in self.toks.iter().enumerate() {
            match t {
                Tok::Open(_) => {
                    out.push(stack.last().copied());
                    stack.push(i);
                }
                Tok::Close => {
                    stack.pop();
                    out.push(stack.last().copied());
                }
                _ => out.push(stack.last().copied()),
            }
        }
        out
    }

    fn describe(&self, pos: usize) -> String {
        match &self.unit(pos).origin {
            Origin::Old(i) => self.old_labels[*i].clone(),
            Origin::Added => "(added)".into(),
            Origin::SplitFrom(i) => format!("(piece of {})", self.old_labels[*i]),
            Origin::MergedFrom(v) => format!("(merge of {})", self.old_labels[v[0]]),
        }
    }

    fn old_index(&self, pos: usize) -> Option<usize> {
        match self.unit(pos).origin {
            Origin::Old(i) => Some(i),
            _ => None,
        }
    }

    /// The k-th unit may be deleted, moved, split or merged: an old, untouched, plain
    /// article with no 之N article after it and a text that occurs once.
    fn structural(&self, units: &[usize], k: usize) -> bool {
        let u = self.unit(units[k]);
        matches!(u.origin, Origin::Old(i)
            if !self.dup.contains(&i) && !self.frozen.contains(&i) && !self.pinned.contains(&i))
            && !u.touched
            && !u.sub
            && units.get(k + 1).is_none_or(|&q| !self.unit(q).sub)
    }

    /// A new unit may go right before the k-th unit (`k == units.len()`: after the last):
    /// not between an article and its 之N, nor between the pieces of a split.
    fn insertable_before(&self, units: &[usize], k: usize) -> bool {
        let Some(&q) = units.get(k) else { return true };
        let u = self.unit(q);
        let second_piece = k > 0
            && matches!(u.origin, Origin::SplitFrom(_))
            && self.unit(units[k - 1]).origin == u.origin;
        !u.sub && !second_piece
    }

    /// Units per container, by unit order.
    fn siblings(&self, units: &[usize]) -> Vec<usize> {
        let cont = self.containers();
        let mut count: HashMap<Option<usize>, usize> = HashMap::new();
        for &p in units {
            *count.entry(cont[p]).or_default() += 1;
        }
        units.iter().map(|&p| count[&cont[p]]).collect()
    }

    fn apply(&mut self, op: Op) -> Option<String> {
        match op {
            Op::Phrase => self.op_phrase(),
            Op::Para => self.op_para(),
            Op::Item => self.op_item(),
            Op::Insert => self.op_insert(false),
            Op::ZhiYi => self.op_insert(true),
            Op::Delete => self.op_delete(),
            Op::Move => self.op_move(),
            Op::Split => self.op_split(),
            Op::Merge => self.op_merge(),
            // Applied after renumbering; see `finish`.
            Op::Noise => Some(op.name().into()),
            Op::Rewrite => self.op_rewrite(),
            Op::Template => self.op_template(),
            Op::Replace => self.op_replace(),
            Op::Shuffle => self.op_shuffle(),
            Op::Split3 => self.op_split3(),
            Op::Reorder => self.op_reorder(),
            Op::ZhiEr => self.op_zhier(),
            Op::FarMove => self.op_far_move(),
            Op::MergeFar => self.op_merge_far(),
            Op::Regroup => self.op_regroup(),
        }
    }

    /// Old units that edits may change: not frozen, and not rewritten already (more edits
    /// could take a rewritten unit below the similarity that keeps its truth clear).
    fn old_units(&self) -> Vec<usize> {
        self.units()
            .into_iter()
            .filter(|&p| {
                self.old_index(p)
                    .is_some_and(|i| !self.frozen.contains(&i) && !self.unit(p).rewritten)
            })
            .collect()
    }

    fn op_phrase(&mut self) -> Option<String> {
        let p = *self.rng.pick(&self.old_units())?;
        let paras = self.unit(p).paras.clone();
        let (i, j) = *self.rng.pick(&editable_fields(&paras))?;
        let old = match j {
            None => &paras[i].text,
            Some(j) => &paras[i].items[j].text,
        };
        let c = self.c;
        let new = phrase_edit(old, &mut self.rng, &c.pool)?;
        let label = self.describe(p);
        let u = self.unit_mut(p);
        match j {
            None => u.paras[i].text = new,
            Some(j) => u.paras[i].items[j].text = new,
        }
        u.edited = true;
        Some(format!("edit {label}"))
    }

    fn donor_para(&mut self, max_chars: usize) -> Option<String> {
        let c = self.c;
        for _ in 0..20 {
            let (si, text) = self.rng.pick(&c.donor_paras)?;
            if *si != self.src && text.chars().count() <= max_chars {
                return Some(text.clone());
            }
        }
        None
    }

    fn op_para(&mut self) -> Option<String> {
        let p = *self.rng.pick(&self.old_units())?;
        let label = self.describe(p);
        let mut paras = self.unit(p).paras.clone();
        let len = paras_text(&paras).chars().count();
        let n = paras.len();
        if n >= 2 && self.rng.chance(0.5) {
            // Remove a paragraph, keeping at least half of the text.
            let i = self.rng.below(n);
            paras.remove(i);
            if paras_text(&paras).chars().count() * 2 < len {
                return None;
            }
            let u = self.unit_mut(p);
            u.paras = paras;
            u.edited = true;
            return Some(format!("para- {label} ¶{}", i + 1));
        }
        let text = self.donor_para(len)?;
        let i = self.rng.range(1, n);
        let u = self.unit_mut(p);
        u.paras.insert(i, Para::plain(text, Loc(0)));
        u.edited = true;
        Some(format!("para+ {label} ¶{}", i + 1))
    }

    fn op_item(&mut self) -> Option<String> {
        let mut slots = Vec::new();
        for p in self.old_units() {
            for (i, para) in self.unit(p).paras.iter().enumerate() {
                if plain_items(&para.items).is_some() {
                    slots.push((p, i));
                }
            }
        }
        let (p, i) = *self.rng.pick(&slots)?;
        let label = self.describe(p);
        let len = self.unit(p).text().chars().count();
        let mut items = self.unit(p).paras[i].items.clone();
        let (open, close) = plain_items(&items)?;
        let n = items.len();
        let c = self.c;
        let what = match self.rng.below(3) {
            0 => {
                let j = self.rng.below(n);
                items[j].text = phrase_edit(&items[j].text, &mut self.rng, &c.pool)?;
                format!("item~ {label} ({})", j + 1)
            }
            1 => {
                let (si, text) = self.rng.pick(&c.donor_items)?.clone();
                if si == self.src || text.chars().count() > len {
                    return None;
                }
                let j = self.rng.range(0, n);
                items.insert(
                    j,
                    Item {
                        marker: String::new(),
                        num: 0,
                        text,
                        subitems: Vec::new(),
                        loc: Loc(0),
                    },
                );
                format!("item+ {label} ({})", j + 1)
            }
            _ => {
                if n < 2 {
                    return None;
                }
                let j = self.rng.below(n);
                let removed = items.remove(j);
                let mut gone = String::new();
                removed.subitems.iter().for_each(|s| gone.push_str(&s.text));
                if (removed.text.chars().count() + gone.chars().count()) * 2 > len {
                    return None;
                }
                format!("item- {label} ({})", j + 1)
            }
        };
        renumber_items(&mut items, open, close);
        let u = self.unit_mut(p);
        u.paras[i].items = items;
        u.edited = true;
        Some(what)
    }

    /// An article of another statute, unlike every article of this one.
    fn donor_article(&mut self) -> Option<Vec<Para>> {
        let c = self.c;
        for _ in 0..30 {
            let (si, paras) = self.rng.pick(&c.donor_articles)?;
            if *si == self.src {
                continue;
            }
            let g = bigrams(&paras_text(paras));
            if self
                .old_grams
                .iter()
                .all(|o| dice(&g, o) < MAX_DONOR_SIMILARITY)
            {
                return Some(paras.clone());
            }
        }
        None
    }

    fn op_insert(&mut self, zhiyi: bool) -> Option<String> {
        let units = self.units();
        let n = units.len();
        let paras = self.donor_article()?;
        if zhiyi {
            // Right after a plain article that has no 之N yet.
            let cands: Vec<usize> = (0..n)
                .filter(|&k| !self.unit(units[k]).sub && self.insertable_before(&units, k + 1))
                .collect();
            let k = *self.rng.pick(&cands)?;
            let label = self.describe(units[k]);
            self.toks.insert(
                units[k] + 1,
                Tok::Unit(Unit::new(paras, Origin::Added, true)),
            );
            Some(format!("insert-zhiyi after {label}"))
        } else {
            let cands: Vec<usize> = (0..=n)
                .filter(|&k| self.insertable_before(&units, k))
                .collect();
            let k = *self.rng.pick(&cands)?;
            let (pos, what) = if k == n {
                (units[n - 1] + 1, "at the end".to_string())
            } else {
                (units[k], format!("before {}", self.describe(units[k])))
            };
            self.toks
                .insert(pos, Tok::Unit(Unit::new(paras, Origin::Added, false)));
            Some(format!("insert {what}"))
        }
    }

    fn op_delete(&mut self) -> Option<String> {
        let units = self.units();
        let sib = self.siblings(&units);
        let cands: Vec<usize> = (0..units.len())
            .filter(|&k| self.structural(&units, k) && !self.unit(units[k]).edited && sib[k] >= 2)
            .collect();
        let k = *self.rng.pick(&cands)?;
        let label = self.describe(units[k]);
        self.toks.remove(units[k]);
        Some(format!("delete {label}"))
    }

    fn op_move(&mut self) -> Option<String> {
        let units = self.units();
        let n = units.len();
        let sib = self.siblings(&units);
        let cands: Vec<usize> = (0..n)
            .filter(|&k| self.structural(&units, k) && sib[k] >= 2)
            .collect();
        let k = *self.rng.pick(&cands)?;
        let cont = self.containers();
        let divided = self.toks.iter().any(|t| matches!(t, Tok::Open(_)));
        let from = cont[units[k]];
        let mut targets = self.move_targets(&units, k);
        let far = if divided { 3 } else { (n / 4).max(5) };
        targets.retain(|t| t.jumped >= far && (!divided || t.container != from));
        let t = self.rng.pick(&targets)?.clone();
        Some(self.move_unit(&units, k, &t, "move"))
    }

    /// Where the k-th unit could go.
    fn move_targets(&self, units: &[usize], k: usize) -> Vec<Target> {
        let n = units.len();
        let cont = self.containers();
        let mut targets = Vec::new();
        let mut push = |pos: usize, container: Option<usize>, ord: usize, dest: String| {
            let jumped = if ord <= k { k - ord } else { ord - k - 1 };
            targets.push(Target {
                pos,
                container,
                ord,
                jumped,
                dest,
            });
        };
        for q in 0..n {
            if q == k {
                continue;
            }
            let c = cont[units[q]];
            if self.insertable_before(units, q) {
                push(
                    units[q],
                    c,
                    q,
                    format!("before {}", self.describe(units[q])),
                );
            }
            let last_in_container = units.get(q + 1).is_none_or(|&r| cont[r] != c);
            if last_in_container && self.insertable_before(units, q + 1) {
                push(
                    units[q] + 1,
                    c,
                    q + 1,
                    format!("after {}", self.describe(units[q])),
                );
            }
        }
        targets
    }

    /// Moves the k-th unit to `t`; returns the log line.
    fn move_unit(&mut self, units: &[usize], k: usize, t: &Target, what: &str) -> String {
        let label = self.describe(units[k]);
        let Tok::Unit(mut u) = self.toks.remove(units[k]) else {
            unreachable!("units() lists unit tokens")
        };
        u.moved = true;
        u.touched = true;
        let pos = if t.pos > units[k] { t.pos - 1 } else { t.pos };
        self.toks.insert(pos, Tok::Unit(u));
        format!("{what} {label} → {}", t.dest)
    }

    /// The indexes in `units` of the unedited units, free to restructure, with `paras` 款 or
    /// more: the candidates for a split.
    fn splittable(&self, units: &[usize], paras: usize) -> Vec<usize> {
        (0..units.len())
            .filter(|&k| {
                let u = self.unit(units[k]);
                self.structural(units, k) && !u.edited && u.paras.len() >= paras
            })
            .collect()
    }

    fn op_split(&mut self) -> Option<String> {
        let units = self.units();
        let cands = self.splittable(&units, 2);
        let k = *self.rng.pick(&cands)?;
        let pos = units[k];
        let i = self.old_index(pos)?;
        let n = self.unit(pos).paras.len();
        let m = self.rng.range(1, n - 1);
        let mut first = self.unit(pos).paras.clone();
        let second = first.split_off(m);
        if second[0].text.is_empty() {
            return None;
        }
        let mut a = Unit::new(first, Origin::SplitFrom(i), false);
        let mut b = Unit::new(second, Origin::SplitFrom(i), false);
        a.touched = true;
        b.touched = true;
        let label = self.describe(pos);
        self.toks[pos] = Tok::Unit(a);
        self.toks.insert(pos + 1, Tok::Unit(b));
        Some(format!("split {label} at ¶{}", m + 1))
    }

    fn op_merge(&mut self) -> Option<String> {
        let units = self.units();
        let ok = |k: usize| self.structural(&units, k) && !self.unit(units[k]).edited;
        let cands: Vec<usize> = (0..units.len().saturating_sub(1))
            .filter(|&k| {
                units[k + 1] == units[k] + 1
                    && ok(k)
                    && ok(k + 1)
                    && self
                        .unit(units[k + 1])
                        .paras
                        .first()
                        .is_some_and(|p| !p.text.is_empty())
            })
            .collect();
        let k = *self.rng.pick(&cands)?;
        let (pa, pb) = (units[k], units[k + 1]);
        let (i, j) = (self.old_index(pa)?, self.old_index(pb)?);
        let label = format!("{}+{}", self.describe(pa), self.describe(pb));
        let mut paras = self.unit(pa).paras.clone();
        paras.extend(self.unit(pb).paras.iter().cloned());
        let mut u = Unit::new(paras, Origin::MergedFrom(vec![i, j]), false);
        u.touched = true;
        self.toks.remove(pb);
        self.toks[pa] = Tok::Unit(u);
        Some(format!("merge {label}"))
    }

    /// A clause of another article of this statute (not `own`), of about `len` characters
    /// (two thirds to one and a half times), unlike `not`.
    fn phrase(&mut self, own: usize, len: usize, not: &[char]) -> Option<Vec<char>> {
        let c = self.c;
        let arts = &c.phrases[self.src];
        let (lo, hi) = ((len * 2 / 3).max(2), len * 3 / 2 + 1);
        for _ in 0..40 {
            let a = self.rng.below(arts.len());
            if a == own || arts[a].is_empty() {
                continue;
            }
            let clause = &arts[a][self.rng.below(arts[a].len())];
            if (lo..=hi).contains(&clause.len()) && clause[..] != *not {
                return Some(clause.clone());
            }
        }
        None
    }

    /// Replaces whole clauses of the 款 and 项 texts of `paras` with clauses of other articles
    /// of this statute, in random order, until at least `target` characters are replaced
    /// (never more than `cap`); returns the characters and the clauses replaced.
    fn substitute(
        &mut self,
        paras: &mut [Para],
        own: usize,
        target: usize,
        cap: usize,
    ) -> (usize, usize) {
        let mut fields: Vec<(usize, Option<usize>)> = Vec::new();
        for (i, p) in paras.iter().enumerate() {
            fields.push((i, None));
            fields.extend((0..p.items.len()).map(|j| (i, Some(j))));
        }
        let mut texts: Vec<Vec<char>> = fields
            .iter()
            .map(|&(i, j)| match j {
                None => paras[i].text.chars().collect(),
                Some(j) => paras[i].items[j].text.chars().collect(),
            })
            .collect();
        let mut slots: Vec<(usize, usize, usize)> = Vec::new();
        for (f, t) in texts.iter().enumerate() {
            slots.extend(clauses(t).into_iter().map(|(s, e)| (f, s, e)));
        }
        // A random order (Fisher–Yates).
        for k in (1..slots.len()).rev() {
            slots.swap(k, self.rng.below(k + 1));
        }
        let mut chosen: Vec<(usize, usize, usize, Vec<char>)> = Vec::new();
        let mut replaced = 0;
        for (f, s, e) in slots {
            if replaced >= target {
                break;
            }
            if replaced + (e - s) > cap {
                continue;
            }
            let old: Vec<char> = texts[f][s..e].to_vec();
            let Some(phrase) = self.phrase(own, e - s, &old) else {
                continue;
            };
            replaced += e - s;
            chosen.push((f, s, e, phrase));
        }
        // Right to left inside each text, so that earlier offsets stay valid.
        chosen.sort_by_key(|c| std::cmp::Reverse((c.0, c.1)));
        for (f, s, e, phrase) in &chosen {
            texts[*f].splice(*s..*e, phrase.iter().copied());
        }
        for (k, &(i, j)) in fields.iter().enumerate() {
            let t: String = texts[k].iter().collect();
            match j {
                None => paras[i].text = t,
                Some(j) => paras[i].items[j].text = t,
            }
        }
        (replaced, chosen.len())
    }

    /// The share of characters (whitespace aside) of `paras` to replace: `lo..hi`, uniform.
    fn share_target(&mut self, paras: &[Para], (lo, hi): (f64, f64)) -> (usize, usize) {
        let total = squash(&paras_text(paras)).chars().count();
        let share = lo + (hi - lo) * self.rng.float();
        (total, (total as f64 * share).round() as usize)
    }

    /// Heavy rewrite: 30–60 % of an article's characters replaced in several places by phrases
    /// of other articles of the statute; still closest to its own old text.
    fn op_rewrite(&mut self) -> Option<String> {
        let cands: Vec<usize> = self
            .old_units()
            .into_iter()
            .filter(|&p| {
                let u = self.unit(p);
                !u.touched && !u.edited && u.text().chars().count() >= REWRITE_MIN_CHARS
            })
            .collect();
        let p = *self.rng.pick(&cands)?;
        let i = self.old_index(p)?;
        let mut paras = self.unit(p).paras.clone();
        let (total, target) = self.share_target(&paras, REWRITE_SHARE);
        let cap = (total as f64 * REWRITE_SHARE.1).floor() as usize;
        let (replaced, places) = self.substitute(&mut paras, i, target, cap);
        let got = replaced as f64 / total as f64;
        if places < 2 || got < REWRITE_SHARE.0 {
            return None;
        }
        let g = bigrams(&paras_text(&paras));
        let own = dice(&g, &self.old_grams[i]);
        let rival = self
            .old_grams
            .iter()
            .enumerate()
            .filter(|&(k, _)| k != i)
            .map(|(_, o)| dice(&g, o))
            .fold(0.0, f64::max);
        if own < REWRITE_MIN_DICE || own < rival + REWRITE_MARGIN {
            return None;
        }
        let label = self.describe(p);
        let u = self.unit_mut(p);
        u.paras = paras;
        u.edited = true;
        u.touched = true;
        u.rewritten = true;
        Some(format!(
            "rewrite {label} ({:.0}% in {places} places, dice {own:.2})",
            got * 100.0
        ))
    }

    /// A new article modelled on an unchanged one: a copy with phrases replaced (and maybe a
    /// reference pointed elsewhere), inserted right after its model, plain or as 之一.
    fn op_template(&mut self) -> Option<String> {
        let units = self.units();
        let n = units.len();
        let cands: Vec<usize> = (0..n)
            .filter(|&k| {
                let u = self.unit(units[k]);
                matches!(u.origin, Origin::Old(i) if u.text() == self.old_texts[i])
                    && u.text().chars().count() >= REWRITE_MIN_CHARS
                    && self.insertable_before(&units, k + 1)
            })
            .collect();
        // Penalty articles (违反本条例第X条规定…) are the usual models.
        let penalties: Vec<usize> = cands
            .iter()
            .copied()
            .filter(|&k| self.unit(units[k]).text().contains("违反"))
            .collect();
        let k = if !penalties.is_empty() && self.rng.chance(0.5) {
            *self.rng.pick(&penalties)?
        } else {
            *self.rng.pick(&cands)?
        };
        let i = self.old_index(units[k])?;
        let model = self.unit(units[k]).paras.clone();
        let max_main = self
            .old_nums
            .iter()
            .filter_map(|n| match n {
                UnitNum::Article { main, .. } => Some(*main),
                _ => None,
            })
            .max()
            .unwrap_or(1);
        for _ in 0..4 {
            let mut paras = model.clone();
            let (total, target) = self.share_target(&paras, (TEMPLATE_MIN_DISTANCE, 0.45));
            let cap = (total as f64 * TEMPLATE_MAX_DISTANCE).floor() as usize;
            self.substitute(&mut paras, i, target, cap);
            if self.rng.chance(0.7) {
                let slots: Vec<usize> = (0..paras.len())
                    .filter(|&q| paras[q].text.contains('第'))
                    .collect();
                if let Some(&q) = self.rng.pick(&slots)
                    && let Some(t) = retarget_ref(&paras[q].text, &mut self.rng, max_main)
                {
                    paras[q].text = t;
                }
            }
            let text = paras_text(&paras);
            let d = distance_share(&text, &self.old_texts[i]);
            if !(TEMPLATE_MIN_DISTANCE..=TEMPLATE_MAX_DISTANCE).contains(&d) {
                continue;
            }
            // Old articles like the copy must be here unchanged, and stay so.
            let g = bigrams(&text);
            let like: Vec<usize> = (0..self.old_grams.len())
                .filter(|&o| dice(&g, &self.old_grams[o]) >= TEMPLATE_FREEZE_SIMILARITY)
                .collect();
            let unchanged: HashSet<usize> = units
                .iter()
                .filter_map(|&p| {
                    let u = self.unit(p);
                    match u.origin {
                        Origin::Old(o) if u.text() == self.old_texts[o] => Some(o),
                        _ => None,
                    }
                })
                .collect();
            if !like.iter().all(|o| unchanged.contains(o)) {
                return None;
            }
            self.frozen.extend(like);
            self.frozen.insert(i);
            let sub = !self.unit(units[k]).sub && self.rng.chance(0.4);
            let label = self.describe(units[k]);
            self.toks.insert(
                units[k] + 1,
                Tok::Unit(Unit::new(paras, Origin::Added, sub)),
            );
            let how = if sub { " as 之N" } else { "" };
            return Some(format!(
                "template-insert after {label}{how} ({:.0}% changed)",
                d * 100.0
            ));
        }
        None
    }

    /// An article deleted and an unrelated one (of another statute) put in its place.
    fn op_replace(&mut self) -> Option<String> {
        let units = self.units();
        let cands: Vec<usize> = (0..units.len())
            .filter(|&k| self.structural(&units, k) && !self.unit(units[k]).edited)
            .collect();
        let k = *self.rng.pick(&cands)?;
        let paras = self.donor_article()?;
        let label = self.describe(units[k]);
        self.toks[units[k]] = Tok::Unit(Unit::new(paras, Origin::Added, false));
        Some(format!("replace-in-place {label}"))
    }

    /// A move 3–10 articles away inside the same chapter (innermost division).
    fn op_shuffle(&mut self) -> Option<String> {
        let units = self.units();
        let cont = self.containers();
        let cands: Vec<usize> = (0..units.len())
            .filter(|&k| self.structural(&units, k))
            .collect();
        for _ in 0..10 {
            let k = *self.rng.pick(&cands)?;
            let from = cont[units[k]];
            let mut targets = self.move_targets(&units, k);
            targets.retain(|t| {
                let between = if t.ord <= k { t.ord..k } else { k + 1..t.ord };
                // Distinct old units jumped over: added units do not count, nor a second
                // piece of the same split; a moved unit would blur which one moved.
                let mut olds = HashSet::new();
                let mut clean = true;
                for q in between {
                    let u = self.unit(units[q]);
                    clean &= !u.moved;
                    match &u.origin {
                        Origin::Added => {}
                        Origin::Old(i) | Origin::SplitFrom(i) => {
                            olds.insert(*i);
                        }
                        Origin::MergedFrom(v) => {
                            olds.insert(v[0]);
                        }
                    }
                }
                t.container == from
                    && clean
                    && t.jumped <= SHUFFLE_JUMP.1
                    && olds.len() >= SHUFFLE_JUMP.0
            });
            let Some(t) = self.rng.pick(&targets).cloned() else {
                continue;
            };
            let between = if t.ord <= k { t.ord..k } else { k + 1..t.ord };
            for q in between {
                if let Some(i) = self.old_index(units[q]) {
                    self.pinned.insert(i);
                }
            }
            return Some(self.move_unit(&units, k, &t, "shuffle"));
        }
        None
    }

    /// A short article (under [`FAR_MOVE_MAX_CHARS`]) moved far — at least a third of the
    /// statute away, into another chapter — and lightly edited, to a bigram Dice of
    /// [`FAR_MOVE_DICE`] with its old text, closer to it than to any other old article by
    /// [`REWRITE_MARGIN`].
    fn op_far_move(&mut self) -> Option<String> {
        let units = self.units();
        let n = units.len();
        let sib = self.siblings(&units);
        let cands: Vec<usize> = (0..n)
            .filter(|&k| {
                let u = self.unit(units[k]);
                let len = u.text().chars().count();
                self.structural(&units, k)
                    && !u.edited
                    && sib[k] >= 2
                    && (FAR_MOVE_MIN_CHARS..FAR_MOVE_MAX_CHARS).contains(&len)
            })
            .collect();
        let k = *self.rng.pick(&cands)?;
        let cont = self.containers();
        let divided = self.toks.iter().any(|t| matches!(t, Tok::Open(_)));
        let from = cont[units[k]];
        let mut targets = self.move_targets(&units, k);
        let far = (n / 3).max(5);
        targets.retain(|t| t.jumped >= far && (!divided || t.container != from));
        let t = self.rng.pick(&targets)?.clone();
        let i = self.old_index(units[k])?;
        let c = self.c;
        let mut paras = self.unit(units[k]).paras.clone();
        let mut d = 1.0;
        for _ in 0..12 {
            if d <= FAR_MOVE_DICE.1 {
                break;
            }
            // Edit a random 款 or 项 long enough for a phrase edit.
            let (pi, j) = *self.rng.pick(&editable_fields(&paras))?;
            let field = match j {
                None => &mut paras[pi].text,
                Some(j) => &mut paras[pi].items[j].text,
            };
            *field = phrase_edit(field, &mut self.rng, &c.pool)?;
            d = dice(&bigrams(&paras_text(&paras)), &self.old_grams[i]);
        }
        if !(FAR_MOVE_DICE.0..=FAR_MOVE_DICE.1).contains(&d) {
            return None;
        }
        let g = bigrams(&paras_text(&paras));
        let clear = self
            .old_grams
            .iter()
            .enumerate()
            .all(|(o, og)| o == i || dice(&g, og) <= d - REWRITE_MARGIN);
        if !clear {
            return None;
        }
        let u = self.unit_mut(units[k]);
        u.paras = paras;
        u.edited = true;
        // More edits could take it below the similarity that keeps its truth clear.
        u.rewritten = true;
        let line = self.move_unit(&units, k, &t, "far-move-edit");
        Some(format!("{line} (dice {d:.2})"))
    }

    /// Two articles with at least two others between them merged into one, where the first
    /// stood (its text first) or where the second stood (the first's text last).
    fn op_merge_far(&mut self) -> Option<String> {
        let units = self.units();
        let n = units.len();
        let ok = |k: usize| {
            self.structural(&units, k)
                && !self.unit(units[k]).edited
                && self
                    .unit(units[k])
                    .paras
                    .first()
                    .is_some_and(|p| !p.text.is_empty())
        };
        let good: Vec<bool> = (0..n).map(ok).collect();
        let firsts: Vec<usize> = (0..n).filter(|&k| good[k]).collect();
        for _ in 0..10 {
            let k = *self.rng.pick(&firsts)?;
            let seconds: Vec<usize> = (k + 3..n).filter(|&m| good[m]).collect();
            let Some(&m) = self.rng.pick(&seconds) else {
                continue;
            };
            let (pa, pb) = (units[k], units[m]);
            let (i, j) = (self.old_index(pa)?, self.old_index(pb)?);
            let label = format!("{}+{}", self.describe(pa), self.describe(pb));
            let at_first = self.rng.chance(0.5);
            let mut paras = self.unit(if at_first { pa } else { pb }).paras.clone();
            paras.extend(
                self.unit(if at_first { pb } else { pa })
                    .paras
                    .iter()
                    .cloned(),
            );
            let mut u = Unit::new(paras, Origin::MergedFrom(vec![i, j]), false);
            u.touched = true;
            if at_first {
                self.toks.remove(pb);
                self.toks[pa] = Tok::Unit(u);
            } else {
                self.toks[pb] = Tok::Unit(u);
                self.toks.remove(pa);
            }
            let place = if at_first { "first" } else { "second" };
            return Some(format!("merge-distant {label} at the {place}"));
        }
        None
    }

    /// Another source's paragraphing of an article: two of its 款 written as one line, or
    /// one 款 written as two lines at a sentence end. The wording is the same: not an
    /// amendment.
    fn op_regroup(&mut self) -> Option<String> {
        let cands: Vec<usize> = self
            .old_units()
            .into_iter()
            .filter(|&p| !self.unit(p).touched)
            .collect();
        let p = *self.rng.pick(&cands)?;
        let label = self.describe(p);
        let mut paras = self.unit(p).paras.clone();
        let joinable: Vec<usize> = (0..paras.len().saturating_sub(1))
            .filter(|&k| {
                paras[k].items.is_empty()
                    && !paras[k].text.is_empty()
                    && !paras[k + 1].text.is_empty()
                    && paras[k].text.ends_with('。')
            })
            .collect();
        let what = if !joinable.is_empty() && self.rng.chance(0.5) {
            let k = *self.rng.pick(&joinable)?;
            let next = paras.remove(k + 1);
            paras[k].text.push_str(&next.text);
            paras[k].items = next.items;
            format!("regroup {label} ¶{}+¶{}", k + 1, k + 2)
        } else {
            // A 款 of two sentences or more, cut after one of its inner sentence ends.
            let cuttable: Vec<(usize, usize)> = paras
                .iter()
                .enumerate()
                .flat_map(|(k, para)| {
                    let t = &para.text;
                    t.match_indices('。')
                        .map(|(at, _)| at + '。'.len_utf8())
                        .filter(|&at| at < t.len() && sentence_start(&t[at..]))
                        .map(move |at| (k, at))
                        .collect::<Vec<_>>()
                })
                .collect();
            let (k, at) = *self.rng.pick(&cuttable)?;
            let rest = paras[k].text.split_off(at);
            let items = std::mem::take(&mut paras[k].items);
            paras.insert(
                k + 1,
                Para {
                    text: rest,
                    items,
                    loc: Loc(0),
                },
            );
            format!("regroup {label} ¶{} cut", k + 1)
        };
        self.unit_mut(p).paras = paras;
        Some(what)
    }

    /// An article of three or more 款 split into three articles.
    fn op_split3(&mut self) -> Option<String> {
        let units = self.units();
        let cands = self.splittable(&units, 3);
        let k = *self.rng.pick(&cands)?;
        let pos = units[k];
        let i = self.old_index(pos)?;
        let paras = self.unit(pos).paras.clone();
        let n = paras.len();
        let a = self.rng.range(1, n - 2);
        let b = self.rng.range(a + 1, n - 1);
        if paras[a].text.is_empty() || paras[b].text.is_empty() {
            return None;
        }
        let label = self.describe(pos);
        let pieces = [&paras[..a], &paras[a..b], &paras[b..]];
        self.toks.splice(
            pos..=pos,
            pieces.iter().map(|ps| {
                let mut u = Unit::new(ps.to_vec(), Origin::SplitFrom(i), false);
                u.touched = true;
                Tok::Unit(u)
            }),
        );
        Some(format!("split3 {label} at ¶{},¶{}", a + 1, b + 1))
    }

    /// The 款 of an article put in another order.
    fn op_reorder(&mut self) -> Option<String> {
        let cands: Vec<usize> = self
            .old_units()
            .into_iter()
            .filter(|&p| {
                let u = self.unit(p);
                u.paras.len() >= 2 && u.paras.iter().all(|q| !q.text.is_empty())
            })
            .collect();
        let p = *self.rng.pick(&cands)?;
        let mut paras = self.unit(p).paras.clone();
        let n = paras.len();
        let before = paras_text(&paras);
        let from = self.rng.below(n);
        let to = (from + self.rng.range(1, n - 1)) % n;
        let what = if n == 2 || self.rng.chance(0.5) {
            paras.swap(from, to);
            format!("¶{}↔¶{}", from + 1, to + 1)
        } else {
            let moved = paras.remove(from);
            paras.insert(to, moved);
            format!("¶{}→¶{}", from + 1, to + 1)
        };
        if paras_text(&paras) == before {
            return None;
        }
        let label = self.describe(p);
        let u = self.unit_mut(p);
        u.paras = paras;
        u.edited = true;
        Some(format!("para-reorder {label} {what}"))
    }

    /// 之一 and then 之二 after an article: either both inserted now, or one more after an
    /// article's existing 之N.
    fn op_zhier(&mut self) -> Option<String> {
        let units = self.units();
        let n = units.len();
        let ends: Vec<usize> = (0..n)
            .filter(|&k| self.insertable_before(&units, k + 1))
            .collect();
        let (with_sub, plain): (Vec<usize>, Vec<usize>) =
            ends.into_iter().partition(|&k| self.unit(units[k]).sub);
        let (k, count) = if !with_sub.is_empty() && self.rng.chance(0.5) {
            (*self.rng.pick(&with_sub)?, 1)
        } else {
            (*self.rng.pick(&plain)?, 2)
        };
        let mut new = Vec::new();
        for _ in 0..count {
            new.push(Tok::Unit(Unit::new(
                self.donor_article()?,
                Origin::Added,
                true,
            )));
        }
        let label = self.describe(units[k]);
        let pos = units[k] + 1;
        self.toks.splice(pos..pos, new);
        Some(format!("insert-zhier after {label} (×{count})"))
    }

    fn noise(&mut self) -> Option<String> {
        let cands: Vec<usize> = self
            .units()
            .into_iter()
            .filter(|&p| self.unit(p).origin != Origin::Added)
            .collect();
        let mut chosen: BTreeSet<usize> = BTreeSet::new();
        for _ in 0..self.rng.range(1, 3) {
            chosen.insert(*self.rng.pick(&cands)?);
        }
        let mut labels = Vec::new();
        for p in chosen {
            let label = self.describe(p);
            let Tok::Unit(u) = &mut self.toks[p] else {
                unreachable!("units() lists unit tokens")
            };
            if add_noise(u, &mut self.rng) {
                labels.push(label);
            }
        }
        (!labels.is_empty()).then(|| format!("noise {}", labels.join(",")))
    }

    /// Numbers the units, rewrites cross-references, adds the noise, and renders and parses
    /// the result; `Rejected::Ambiguous` when the truth would be ambiguous (an added unit like
    /// a deleted one, or a rewritten unit's old text closer to an added unit than to it).
    fn finish(mut self, noise_ops: usize, index: usize) -> Result<Pair, Rejected> {
        let units = self.units();
        let subs: Vec<bool> = units.iter().map(|&p| self.unit(p).sub).collect();
        let nums = number(&subs);

        // Where each old article's number went.
        let mut map: HashMap<UnitNum, UnitNum> = HashMap::new();
        for (k, &p) in units.iter().enumerate() {
            let olds = match &self.unit(p).origin {
                Origin::Old(i) | Origin::SplitFrom(i) => vec![*i],
                Origin::MergedFrom(v) => v.clone(),
                Origin::Added => Vec::new(),
            };
            for i in olds {
                map.entry(self.old_nums[i]).or_insert(nums[k]);
            }
        }
        let mut rewritten = 0;
        for &p in &units {
            let u = self.unit_mut(p);
            if u.origin == Origin::Added {
                continue;
            }
            let before = u.text();
            for para in &mut u.paras {
                para.text = rewrite_refs(&para.text, &map);
                for it in &mut para.items {
                    it.text = rewrite_refs(&it.text, &map);
                    for sub in &mut it.subitems {
                        sub.text = rewrite_refs(&sub.text, &map);
                    }
                }
            }
            if u.text() != before {
                u.refs = true;
                rewritten += 1;
            }
        }
        if rewritten > 0 {
            self.log.push(format!("refs ×{rewritten}"));
        }
        // The noise entries logged so far are placeholders.
        self.log.retain(|l| l != Op::Noise.name());
        for _ in 0..noise_ops {
            if let Some(l) = self.noise() {
                self.log.push(l);
            }
        }

        let mut truth = Vec::with_capacity(units.len());
        let mut moved = Vec::new();
        let mut refs = Vec::new();
        let mut kept = vec![false; self.old_texts.len()];
        for (k, &p) in units.iter().enumerate() {
            let u = self.unit(p);
            truth.push(match &u.origin {
                Origin::Old(i) if u.text() == self.old_texts[*i] => Truth::Same(*i),
                Origin::Old(i) => Truth::Modified {
                    old: *i,
                    substantive: u.edited,
                },
                Origin::Added => Truth::Added,
                Origin::SplitFrom(i) => Truth::SplitFrom(*i),
                Origin::MergedFrom(v) => Truth::MergedFrom(v.clone()),
            });
            for o in truth[k].olds() {
                kept[o] = true;
            }
            if u.moved {
                moved.push(k);
            }
            refs.push(u.refs);
        }
        let deleted: Vec<usize> = (0..kept.len()).filter(|&i| !kept[i]).collect();

        let added: Vec<HashSet<(char, char)>> = units
            .iter()
            .map(|&p| self.unit(p))
            .filter(|u| u.origin == Origin::Added)
            .map(|u| bigrams(&u.text()))
            .collect();
        for g in &added {
            if let Some(&d) = deleted
                .iter()
                .find(|&&d| dice(g, &self.old_grams[d]) >= MAX_DONOR_SIMILARITY)
            {
                return Err(Rejected::Ambiguous(format!(
                    "an added unit is like deleted {}",
                    self.old_labels[d]
                )));
            }
        }
        for &p in &units {
            let u = self.unit(p);
            if let (true, Origin::Old(i)) = (u.rewritten, &u.origin) {
                let own = dice(&bigrams(&u.text()), &self.old_grams[*i]);
                if added
                    .iter()
                    .any(|g| dice(g, &self.old_grams[*i]) > own - REWRITE_MARGIN)
                {
                    return Err(Rejected::Ambiguous(format!(
                        "rewritten {} is less like its old text than an added unit",
                        self.old_labels[*i]
                    )));
                }
            }
        }

        let old = &self.c.sources[self.src].statute;
        let model = Statute {
            meta: old.meta.clone(),
            body: Body {
                nodes: unflatten(&self.toks, &nums),
                ..old.body.clone()
            },
        };
        let format = Format::of_pair(index);
        let text = render(format, &model);
        let name = &self.c.sources[self.src].name;
        let parsed = match parse_str(Path::new("mutated"), &text) {
            Ok(p) => p.statute,
            Err(e) => {
                return Err(Rejected::Broken(GenerateError(format!(
                    "pair {index} ({name}, {:?}): rendering does not parse: {e}",
                    self.log
                ))));
            }
        };
        if let Err(e) = same_units(&model, &parsed) {
            return Err(Rejected::Broken(GenerateError(format!(
                "pair {index} ({name}, {}, {:?}): the rendered version parses differently: {e}",
                format.as_str(),
                self.log
            ))));
        }
        // Half the corpus-format pairs are written as another source writes them: nothing
        // of that is an amendment, so the truth stays.
        let (mut text, mut parsed) = (text, parsed);
        if format == Format::Corpus && self.rng.chance(0.5) {
            let mut kinds: Vec<Reformat> = Reformat::ALL
                .into_iter()
                .filter(|_| self.rng.chance(0.4))
                .collect();
            if kinds.is_empty() {
                kinds.push(Reformat::ALL[self.rng.below(Reformat::ALL.len())]);
            }
            for r in kinds {
                if let Some(t) = reformat::apply(r, &text, old, &mut self.rng) {
                    text = t;
                    self.log.push(r.name().to_string());
                }
            }
            parsed = match parse_str(Path::new("reformatted"), &text) {
                Ok(p) => p.statute,
                Err(e) => {
                    return Err(Rejected::Broken(GenerateError(format!(
                        "pair {index} ({name}, {:?}): the re-formatted version does not parse: {e}",
                        self.log
                    ))));
                }
            };
        }
        if parsed.articles().len() != truth.len() {
            return Err(Rejected::Broken(GenerateError(format!(
                "pair {index} ({name}, {:?}): {} units parsed, truth for {}",
                self.log,
                parsed.articles().len(),
                truth.len()
            ))));
        }
        Ok(Pair {
            index,
            source: self.src,
            act: false,
            old: None,
            format,
            log: self.log,
            text,
            new: parsed,
            truth,
            deleted,
            moved,
            refs,
            regenerated: 0,
        })
    }
}

/// Why `finish` gave no pair.
enum Rejected {
    /// The truth would be ambiguous: draw another set of mutations.
    Ambiguous(String),
    /// The generator or a renderer is wrong: give up.
    Broken(GenerateError),
}

/// A pair that could not be generated: its rendering did not parse back to the units it was
/// rendered from, or no unambiguous set of mutations was found (a bug of the generator or a
/// renderer, or a corpus without statutes).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct GenerateError(String);

impl GenerateError {
    pub(crate) fn new(message: String) -> GenerateError {
        GenerateError(message)
    }
}

impl fmt::Display for GenerateError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.0)
    }
}

impl std::error::Error for GenerateError {}

/// Generates pair `index` from statute `index % sources`; a set of mutations whose truth
/// would be ambiguous is dropped and another drawn. The same corpus and index always give
/// the same pair.
pub fn generate(c: &Corpus, index: usize) -> Result<Pair, GenerateError> {
    if c.sources.is_empty() {
        return Err(GenerateError(format!(
            "pair {index}: the corpus has no statute to mutate"
        )));
    }
    // One pair in ten re-formats a point-numbered document (a 决定, 修正案).
    if !c.acts.is_empty() && index % 10 == ACT_PAIR {
        let act = (index / 10) % c.acts.len();
        let mut rng = Rng::new(pair_seed(index));
        return reformat::act_pair(c, act, index, &mut rng);
    }
    let src = index % c.sources.len();
    if c.sources[src].statute.articles().is_empty() {
        return Err(GenerateError(format!(
            "pair {index}: {} has no article to mutate",
            c.sources[src].name
        )));
    }
    let mut dropped = Vec::new();
    for round in 0..20u64 {
        let mut g = Gen::new(
            c,
            src,
            pair_seed(index) ^ round.wrapping_mul(0xD6E8_FEB8_6659_FD93),
        );
        let wanted = g.rng.range(1, 6);
        let mut noise_ops = 0;
        let mut done = 0;
        let mut attempts = 0;
        while done < wanted && attempts < 60 {
            attempts += 1;
            let op = Op::draw(&mut g.rng);
            if let Some(l) = g.apply(op) {
                if op == Op::Noise {
                    noise_ops += 1;
                }
                g.log.push(l);
                done += 1;
            }
        }
        match g.finish(noise_ops, index) {
            Ok(mut p) => {
                p.regenerated = dropped.len();
                return Ok(p);
            }
            Err(Rejected::Ambiguous(e)) => dropped.push(e),
            Err(Rejected::Broken(e)) => return Err(e),
        }
    }
    Err(GenerateError(format!(
        "pair {index}: no unambiguous mutation set in 20 rounds: {dropped:?}"
    )))
}

/// The 款 (`None`) and 项 (`Some(item)`) of `paras` long enough for a phrase edit.
fn editable_fields(paras: &[Para]) -> Vec<(usize, Option<usize>)> {
    let mut slots = Vec::new();
    for (i, para) in paras.iter().enumerate() {
        if para.text.chars().count() >= 8 {
            slots.push((i, None));
        }
        for (j, it) in para.items.iter().enumerate() {
            if it.text.chars().count() >= 8 {
                slots.push((i, Some(j)));
            }
        }
    }
    slots
}

/// A line cut at `rest` starts a sentence a parser reads as text: not an article, item,
/// point or heading, and not a closing date.
fn sentence_start(rest: &str) -> bool {
    rest.chars().next().is_some_and(editable) && rest.chars().count() >= 6 && rest.contains('。')
}

#[cfg(test)]
mod tests {
    use std::path::PathBuf;

    use statute::check::check;

    use super::*;
    use crate::corpus::Source;
    use crate::text::fold;

    fn art(main: u32, sub: u32) -> UnitNum {
        UnitNum::Article { main, sub }
    }

    #[test]
    fn numbering_counts_main_articles_and_their_zhi_n() {
        assert_eq!(
            number(&[false, false, true, true, false, true]),
            [
                art(1, 0),
                art(2, 0),
                art(2, 1),
                art(2, 2),
                art(3, 0),
                art(3, 1)
            ]
        );
        // A 之N with nothing before it is numbered as a plain article.
        assert_eq!(number(&[true, true]), [art(1, 0), art(1, 1)]);
        assert!(number(&[]).is_empty());
    }

    /// Statute `k` of `n` articles in chapters of seven, from its own vocabulary, some with a
    /// second 款 and some with 项.
    fn synthetic(k: usize, n: usize) -> String {
        const WORDS: [&[&str]; 2] = [
            &[
                "人民政府",
                "有关部门",
                "依法",
                "管理",
                "监督",
                "单位",
                "登记",
                "申请",
                "县级以上",
                "主管部门",
                "责令改正",
                "罚款",
                "建设",
                "保护",
                "公共",
            ],
            &[
                "船舶", "港口", "航道", "海事", "引航", "锚地", "码头", "货物", "旅客", "水域",
                "救助", "打捞", "污染", "通航", "设施",
            ],
        ];
        let words = WORDS[k % 2];
        let mut r = Rng::new(k as u64 + 1);
        let sentence = |r: &mut Rng| {
            let mut s = String::new();
            for w in 0..(6 + r.below(8)) {
                s.push_str(words[r.below(words.len())]);
                if w == 3 {
                    s.push('，');
                }
            }
            s.push('。');
            s
        };
        let mut s = format!("# 测试条例{k}\n\n<!-- INFO END -->\n\n");
        for a in 0..n {
            if a % 7 == 0 {
                s.push_str(&format!("## 第{}章 规定\n\n", to_chinese(a as u32 / 7 + 1)));
            }
            let first = sentence(&mut r) + &sentence(&mut r);
            s.push_str(&format!("第{}条 {first}\n\n", to_chinese(a as u32 + 1)));
            match a % 4 {
                1 => s.push_str(&format!("{}\n\n", sentence(&mut r))),
                2 => {
                    s.push_str(&format!("{}\n\n", sentence(&mut r)));
                    s.push_str(&format!("{}\n\n", sentence(&mut r)));
                }
                3 => {
                    for i in 1..=3 {
                        let item = sentence(&mut r).replace('。', "；");
                        s.push_str(&format!("（{}）{item}\n\n", to_chinese(i)));
                    }
                }
                _ => {}
            }
        }
        s
    }

    fn corpus() -> Corpus {
        let sources = (0..2)
            .map(|k| {
                let text = synthetic(k, 30);
                let statute = parse_str(Path::new("synthetic.md"), &text)
                    .map(|p| p.statute)
                    .expect("synthetic statutes parse");
                assert!(check(&statute).is_empty(), "{:?}", check(&statute));
                assert_eq!(statute.articles().len(), 30);
                Source {
                    name: format!("synthetic/{k}.md"),
                    path: PathBuf::from(format!("synthetic/{k}.md")),
                    statute,
                }
            })
            .collect();
        Corpus::from_sources(sources)
    }

    #[test]
    fn reflow_rebuilds_divisions_articles_and_zhi_n() {
        let text = "# 某条例\n\n<!-- INFO END -->\n\n## 第一章 总则\n\n第一条 为了管理，制定本条例。\n\n\
            第一条之一 有关部门应当依法登记。\n\n## 第二章 附则\n\n第二条 本条例自公布之日起施行。\n";
        let s = parse_str(Path::new("a.md"), text)
            .expect("the sample parses")
            .statute;
        let labels: Vec<String> = s
            .articles()
            .iter()
            .map(|a| a.article.label.clone())
            .collect();
        assert_eq!(labels, ["第一条", "第一条之一", "第二条"]);
        assert_eq!(reflow(&s.body.nodes), s.body.nodes);
    }

    #[test]
    fn phrase_edits_change_only_editable_characters() {
        let text = "县级以上人民政府应当依照本法第十条规定，加强监督管理（一）。";
        let pool: Vec<char> = "有关部门依法登记批准".chars().collect();
        let keep = |s: &str| -> String { s.chars().filter(|&c| !editable(c)).collect() };
        let mut edited = 0;
        for seed in 0..200 {
            let Some(out) = phrase_edit(text, &mut Rng::new(seed), &pool) else {
                continue;
            };
            edited += 1;
            assert_ne!(out, text);
            assert!(out.starts_with('县'), "{out}");
            assert_eq!(keep(&out), keep(text), "{out}");
        }
        assert!(edited > 150, "only {edited} edits of 200");
        assert_eq!(phrase_edit("太短了", &mut Rng::new(1), &pool), None);
    }

    #[test]
    fn noise_is_formal_only() {
        let mut changed = 0;
        for seed in 0..100 {
            let mut u = Unit::new(
                vec![
                    Para::plain("依照《某某法》“登记”规定，应当：加强管理；", Loc(0)),
                    Para::plain("有关部门（机构），依法 批准。", Loc(0)),
                ],
                Origin::Old(0),
                false,
            );
            let before = u.text();
            if add_noise(&mut u, &mut Rng::new(seed)) {
                changed += 1;
                assert_ne!(u.text(), before);
            } else {
                assert_eq!(u.text(), before);
            }
            assert_eq!(fold(&u.text()), fold(&before), "{}", u.text());
        }
        assert!(changed > 90, "noise changed only {changed} of 100 units");
    }

    #[test]
    fn items_renumber_in_their_own_marker_style() {
        let item = |marker: &str, num| Item {
            marker: marker.into(),
            num,
            text: "甲；".into(),
            subitems: Vec::new(),
            loc: Loc(0),
        };
        let mut items = vec![item("(一)", 1), item("(二)", 2)];
        assert_eq!(plain_items(&items), Some(('(', ')')));
        items.insert(1, item("", 0));
        assert_eq!(plain_items(&items), None);
        renumber_items(&mut items, '(', ')');
        let markers: Vec<&str> = items.iter().map(|i| i.marker.as_str()).collect();
        assert_eq!(markers, ["(一)", "(二)", "(三)"]);
        assert_eq!(plain_items(&items), Some(('(', ')')));
        assert_eq!(plain_items(&[item("1.", 1)]), None);
    }

    #[test]
    fn ops_are_all_drawn_and_named_apart() {
        let names: BTreeSet<&str> = OPS.iter().map(|(op, _)| op.name()).collect();
        assert_eq!(names.len(), OPS.len());
        let mut rng = Rng::new(3);
        let drawn: BTreeSet<Op> = (0..2000).map(|_| Op::draw(&mut rng)).collect();
        assert_eq!(drawn.len(), OPS.len());
    }

    #[test]
    fn generated_pairs_account_for_every_old_unit_and_are_deterministic() {
        let c = corpus();
        let (articles, _, _) = c.donor_counts();
        assert_eq!(articles, 60);
        let mut ops = BTreeSet::new();
        for i in 0..40 {
            let p = generate(&c, i).unwrap_or_else(|e| panic!("{e}"));
            let old = &c.sources[p.source].statute;
            assert_eq!(p.source, i % 2);
            assert_eq!(p.format, Format::of_pair(i));
            assert_eq!(p.new.articles().len(), p.truth.len(), "{:?}", p.log);
            assert!(check(&p.new).is_empty(), "{:?}", p.log);
            let mut count = vec![0usize; old.articles().len()];
            let mut last_split = None;
            for t in &p.truth {
                if let Truth::SplitFrom(o) = t
                    && last_split.replace(*o) == Some(*o)
                {
                    continue;
                }
                for o in t.olds() {
                    count[o] += 1;
                }
            }
            for &d in &p.deleted {
                count[d] += 1;
            }
            assert!(count.iter().all(|&k| k == 1), "{:?}: {count:?}", p.log);
            ops.extend(
                p.log
                    .iter()
                    .filter_map(|l| l.split(' ').next().map(String::from)),
            );
            let again = generate(&c, i).unwrap_or_else(|e| panic!("{e}"));
            assert_eq!((again.text, again.log), (p.text, p.log));
        }
        // Not all: `refs` needs 本条例第N条 references, which these texts have not.
        assert!(ops.len() >= 15, "few mutation kinds applied: {ops:?}");
        let empty = Corpus::from_sources(Vec::new());
        assert!(generate(&empty, 0).is_err());
        let no_articles = Corpus::from_sources(vec![Source {
            name: "empty.md".into(),
            path: PathBuf::from("empty.md"),
            statute: Statute::default(),
        }]);
        let e = generate(&no_articles, 0).expect_err("nothing to mutate");
        assert_eq!(e.to_string(), "pair 0: empty.md has no article to mutate");
    }
}
