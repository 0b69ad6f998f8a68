//! Mutation benchmark for the differ: real statutes from the shared corpus get random amendments
//! whose effect is known (edited phrases, 款 and 项 added or removed, articles inserted, deleted,
//! moved, split and merged, format-only noise, cross-references rewritten after renumbering),
//! are rendered and parsed back as a user would feed them, and the differ's `ChangeSet` is
//! scored against that ground truth.
//!
//! The harder kinds: `rewrite` (30–60 % of an article's characters replaced, clause by clause,
//! with clauses of other articles of the same statute), `template-insert` (a new article copied
//! from an unchanged one with clauses replaced, right after it), `replace-in-place` (an article
//! deleted and an unrelated one put at its place), `shuffle` (a move 3–10 articles away in the
//! same chapter), `split3`, `para-reorder` (the 款 of an article reordered) and `insert-zhier`
//! (之一 and 之二 after an article). Each keeps its truth one a drafter would agree with; the
//! thresholds that ensure it are the constants below. Statutes with ad-hoc headings (一、…) are
//! among the sources; statutes with footnotes are not (none in the corpus qualifies).
//!
//! `cargo test --test it mutation -- --nocapture` prints the score table and the first wrong
//! pairs (old side: the corpus file named). `STATUTE_MUTATION_PAIRS` sets the number of
//! generated pairs; `STATUTE_MUTATION_SHOW` the number of wrong pairs printed (10);
//! `STATUTE_MUTATION_DUMP=dir` writes the new version of every wrong pair to
//! `dir/<pair>-new.md`.

use std::collections::{BTreeMap, BTreeSet, HashMap, HashSet};
use std::path::{Path, PathBuf};
use std::time::Instant;

use statute::Statute;
use statute::check::check;
use statute::diff::{ChangeSet, EntryKind, diff};
use statute::model::{Article, Body, Division, DivisionKind, Item, Loc, Node, Para, UnitNum};
use statute::numerals::{is_numeral_char, to_chinese};
use statute::parse::body::article_start;
use statute::parse::{parse_file, parse_str};
use statute::render::canonical;

use crate::common::{corpus, md_files};

/// Generated pairs unless `STATUTE_MUTATION_PAIRS` says otherwise.
const DEFAULT_PAIRS: usize = 400;
/// Statutes taken from the corpus; each gets several pairs.
const STATUTES: usize = 80;
/// Of those, statutes grouped under ad-hoc headings (一、一般规定 / （一）…), taken from the
/// 司法解释 folders, where such headings are common.
const ADHOC_STATUTES: usize = 8;
/// Base seed: every pair's generator is seeded from it and the pair's index.
const SEED: u64 = 0x5EED_0F57_A7C7_0001;
/// Donor articles at least this similar (bigram Dice) to an article of the target are not
/// inserted: they would make the truth ambiguous.
const MAX_DONOR_SIMILARITY: f64 = 0.3;
/// `rewrite` replaces this share of an article's characters (range, drawn uniformly)…
const REWRITE_SHARE: (f64, f64) = (0.30, 0.60);
/// …and keeps the result closer to its own old text than to any other old article by this
/// margin of bigram Dice, so that the pairing stays the one a drafter would make.
const REWRITE_MARGIN: f64 = 0.15;
/// …and at least this similar to its own old text.
const REWRITE_MIN_DICE: f64 = 0.35;
/// `rewrite` and `template-insert` only touch articles at least this long (characters).
const REWRITE_MIN_CHARS: usize = 30;
/// A `template-insert` copy differs from its model by at least this share of characters
/// (Levenshtein distance over the longer length): closer copies would be hard to tell apart
/// from the model even for a drafter. It stays a near-copy: at most `TEMPLATE_MAX_DISTANCE`.
const TEMPLATE_MIN_DISTANCE: f64 = 0.25;
const TEMPLATE_MAX_DISTANCE: f64 = 0.60;
/// Old articles at least this similar to a template copy are frozen (left unchanged, not
/// deleted or moved), so the copy cannot pass for one of them amended.
const TEMPLATE_FREEZE_SIMILARITY: f64 = 0.3;
/// `shuffle` moves an article this many articles away inside its own chapter.
const SHUFFLE_JUMP: (usize, usize) = (3, 10);
/// The history line given to rendered mutated versions.
const HISTORY: &str = "2024年6月28日测试会议修正";

// ---------------------------------------------------------------------------------------------
// Deterministic randomness

/// splitmix64: small, fast, and good enough for choosing mutations.
#[derive(Debug, Clone)]
struct Rng(u64);

impl Rng {
    fn new(seed: u64) -> Rng {
        Rng(seed)
    }

    fn next_u64(&mut self) -> u64 {
        self.0 = self.0.wrapping_add(0x9E37_79B9_7F4A_7C15);
        let mut z = self.0;
        z = (z ^ (z >> 30)).wrapping_mul(0xBF58_476D_1CE4_E5B9);
        z = (z ^ (z >> 27)).wrapping_mul(0x94D0_49BB_1331_11EB);
        z ^ (z >> 31)
    }

    /// Uniform in `0..n`; `n` must be positive.
    fn below(&mut self, n: usize) -> usize {
        assert!(n > 0, "Rng::below(0)");
        (self.next_u64() % n as u64) as usize
    }

    /// Uniform in `lo..=hi`.
    fn range(&mut self, lo: usize, hi: usize) -> usize {
        assert!(lo <= hi, "Rng::range({lo}, {hi})");
        lo + self.below(hi - lo + 1)
    }

    /// Uniform in `[0, 1)`.
    fn float(&mut self) -> f64 {
        (self.next_u64() >> 11) as f64 / (1u64 << 53) as f64
    }

    fn chance(&mut self, p: f64) -> bool {
        self.float() < p
    }

    fn pick<'a, T>(&mut self, xs: &'a [T]) -> Option<&'a T> {
        if xs.is_empty() {
            None
        } else {
            Some(&xs[self.below(xs.len())])
        }
    }
}

fn pair_seed(index: usize) -> u64 {
    Rng::new(SEED ^ (index as u64).wrapping_mul(0xA24B_AED4_963E_E407)).next_u64()
}

// ---------------------------------------------------------------------------------------------
// Corpus

/// One statute the benchmark mutates.
struct Source {
    /// Path relative to the corpus.
    name: String,
    statute: Statute,
}

/// The chosen statutes and the material mutations borrow from them.
struct Corpus {
    sources: Vec<Source>,
    /// Whole articles to insert elsewhere: (source, paragraphs).
    donor_articles: Vec<(usize, Vec<Para>)>,
    /// Plain paragraphs (款) to add to articles.
    donor_paras: Vec<(usize, String)>,
    /// Item (项) texts without marker.
    donor_items: Vec<(usize, String)>,
    /// Running CJK text (no punctuation, no 第/条) to cut edit snippets from.
    pool: Vec<char>,
    /// Per source, per article: the clauses of its text (see `clauses`), the phrases
    /// `rewrite` and `template-insert` borrow from the same statute.
    phrases: Vec<Vec<Vec<Vec<char>>>>,
}

fn circled(c: char) -> bool {
    ('①'..='⑳').contains(&c)
}

/// A CJK ideograph that can be edited freely: not a numeral and not part of a 第…条 reference.
fn editable(c: char) -> bool {
    ('\u{4E00}'..='\u{9FFF}').contains(&c) && c != '第' && c != '条' && !is_numeral_char(c)
}

/// Text the parser cannot mistake for a heading: it has sentence punctuation.
fn sentence_like(t: &str) -> bool {
    t.contains(['。', '；', '，', '：'])
}

fn has_adhoc_heading(nodes: &[Node]) -> bool {
    nodes.iter().any(|n| match n {
        Node::Division(d) => {
            matches!(d.kind, DivisionKind::Heading { .. }) || has_adhoc_heading(&d.children)
        }
        _ => false,
    })
}

/// Statutes of 条 articles with clean numbering and nothing the mutations do not model;
/// ad-hoc headings (一、…) only when `adhoc`. Footnotes stay out: no statute of the corpus that
/// qualifies otherwise has any, and a circled number inserted by a mutation would turn into one.
fn qualifies(s: &Statute, adhoc: bool) -> bool {
    let arts = s.articles();
    let b = &s.body;
    (15..=400).contains(&arts.len())
        && b.annexes.is_empty()
        && b.footnotes.is_empty()
        && b.toc.is_empty()
        && b.title_line.is_none()
        && arts.iter().all(|a| {
            matches!(a.article.num, UnitNum::Article { .. })
                && a.article.label == a.article.num.label()
                && !a.article.paras.is_empty()
        })
        && has_adhoc_heading(&b.nodes) == adhoc
        && !s.body_text().chars().any(circled)
        && check(s).is_empty()
}

fn paras_text(paras: &[Para]) -> String {
    let mut s = String::new();
    for (i, p) in paras.iter().enumerate() {
        if i > 0 {
            s.push('\n');
        }
        p.write_text(&mut s);
    }
    s
}

/// Clause punctuation: what `rewrite` and `template-insert` cut texts at.
fn clause_end(c: char) -> bool {
    matches!(
        c,
        '，' | '。' | '；' | '：' | '、' | '？' | '！' | ',' | ';' | ':' | '\n'
    )
}

/// The clauses of a text as character ranges: runs between clause punctuation of at least
/// two characters that start with an editable character (so that a clause put first in a line
/// cannot read as an article, item or annex start) and keep their brackets and quotes
/// balanced.
fn clauses(cs: &[char]) -> Vec<(usize, usize)> {
    let mut out = Vec::new();
    let mut s = 0;
    for e in 0..=cs.len() {
        if e < cs.len() && !clause_end(cs[e]) {
            continue;
        }
        let t = &cs[s..e];
        let count = |c: char| t.iter().filter(|&&x| x == c).count();
        let balanced = [
            ('（', '）'),
            ('(', ')'),
            ('《', '》'),
            ('“', '”'),
            ('〈', '〉'),
        ]
        .iter()
        .all(|&(o, c)| count(o) == count(c))
            && !t.iter().any(|&c| circled(c) || c == '"');
        if t.len() >= 2 && editable(t[0]) && t[0] != '附' && balanced {
            out.push((s, e));
        }
        s = e + 1;
    }
    out
}

/// A 司法解释 source that looks like it has 一、 headings (a cheap test before parsing).
fn adhoc_candidate(f: &Path) -> bool {
    f.components().any(|c| c.as_os_str() == "司法解释")
        && std::fs::read_to_string(f).is_ok_and(|t| {
            t.lines().any(|l| {
                let l = l.trim_start_matches(['#', ' ']);
                l.starts_with("一、") && l.chars().count() <= 25 && !sentence_like(l)
            })
        })
}

/// Picks statutes deterministically: one file per statute folder (its latest version), every
/// k-th folder of the sorted `multi/` and `single/` lists, until `want` qualify; among them
/// up to `ADHOC_STATUTES` with ad-hoc headings, every k-th of the 司法解释 that have them.
fn load_corpus(dir: &Path, want: usize) -> Corpus {
    let mut files = md_files(&dir.join("multi"));
    files.extend(md_files(&dir.join("single")));
    let mut folders: BTreeMap<PathBuf, PathBuf> = BTreeMap::new();
    for f in files {
        // Sorted by date within a folder: the last one stays.
        if let Some(parent) = f.parent().map(Path::to_path_buf) {
            folders.insert(parent, f);
        }
    }
    let list: Vec<PathBuf> = folders.into_values().collect();
    let mut sources: Vec<Source> = Vec::new();
    let mut titles = HashSet::new();
    let mut take = |list: &[PathBuf], want: usize, adhoc: bool, sources: &mut Vec<Source>| {
        let stride = (list.len() / (want * 2)).max(1);
        let mut got = 0;
        for offset in 0..stride {
            for f in list.iter().skip(offset).step_by(stride) {
                if got >= want {
                    return;
                }
                let Ok(parsed) = parse_file(f) else { continue };
                let s = parsed.statute;
                if !qualifies(&s, adhoc) || !titles.insert(s.meta.title.clone()) {
                    continue;
                }
                let name = f.strip_prefix(dir).unwrap_or(f).display().to_string();
                sources.push(Source { name, statute: s });
                got += 1;
            }
        }
    };
    let adhoc: Vec<PathBuf> = list
        .iter()
        .filter(|f| adhoc_candidate(f))
        .cloned()
        .collect();
    let adhoc_want = ADHOC_STATUTES.min(want / 4);
    take(&adhoc, adhoc_want, true, &mut sources);
    let plain_want = want - sources.len();
    take(&list, plain_want, false, &mut sources);
    // Interleave, so that the first pairs already meet ad-hoc headings.
    let mut adhoc_sources: Vec<Source> = Vec::new();
    let mut plain: Vec<Source> = Vec::new();
    for src in sources {
        if has_adhoc_heading(&src.statute.body.nodes) {
            adhoc_sources.push(src);
        } else {
            plain.push(src);
        }
    }
    let every = (plain.len() / adhoc_sources.len().max(1)).max(1);
    let mut sources = Vec::new();
    let mut adhoc_iter = adhoc_sources.into_iter();
    for (k, src) in plain.into_iter().enumerate() {
        if k % every == every / 2
            && let Some(a) = adhoc_iter.next()
        {
            sources.push(a);
        }
        sources.push(src);
    }
    sources.extend(adhoc_iter);

    let mut c = Corpus {
        sources,
        donor_articles: Vec::new(),
        donor_paras: Vec::new(),
        donor_items: Vec::new(),
        pool: Vec::new(),
        phrases: Vec::new(),
    };
    for (si, src) in c.sources.iter().enumerate() {
        let mut phrases = Vec::new();
        for a in src.statute.articles() {
            let paras = &a.article.paras;
            let text = paras_text(paras);
            let cs: Vec<char> = text.chars().collect();
            phrases.push(
                clauses(&cs)
                    .into_iter()
                    .map(|(s, e)| cs[s..e].to_vec())
                    .collect(),
            );
            c.pool.extend(text.chars().filter(|&ch| editable(ch)));
            let len = text.chars().count();
            let donor_ok = (30..=500).contains(&len)
                && paras.first().is_some_and(|p| !p.text.is_empty())
                && paras.iter().all(|p| sentence_like(&p.text));
            if donor_ok {
                c.donor_articles.push((si, paras.clone()));
            }
            for (pi, p) in paras.iter().enumerate() {
                let n = p.text.chars().count();
                if pi > 0 && p.items.is_empty() && (15..=200).contains(&n) && p.text.contains('。')
                {
                    c.donor_paras.push((si, p.text.clone()));
                }
                for it in &p.items {
                    let n = it.text.chars().count();
                    if it.subitems.is_empty() && (6..=80).contains(&n) && sentence_like(&it.text) {
                        c.donor_items.push((si, it.text.clone()));
                    }
                }
            }
        }
        c.phrases.push(phrases);
    }
    c
}

// ---------------------------------------------------------------------------------------------
// Ground truth

/// What became of the old units in one new unit.
#[derive(Debug, Clone, PartialEq, Eq)]
enum Truth {
    /// Identical text (possibly renumbered or moved).
    Same(usize),
    Modified {
        old: usize,
        substantive: bool,
    },
    Added,
    /// One of the pieces an old unit was split into.
    SplitFrom(usize),
    MergedFrom(Vec<usize>),
}

impl Truth {
    fn kind(&self) -> EntryKind {
        match self {
            Truth::Same(_) => EntryKind::Unchanged,
            Truth::Modified { .. } => EntryKind::Modified,
            Truth::Added => EntryKind::Added,
            Truth::SplitFrom(_) => EntryKind::Split,
            Truth::MergedFrom(_) => EntryKind::Merged,
        }
    }

    fn olds(&self) -> Vec<usize> {
        match self {
            Truth::Same(o) | Truth::Modified { old: o, .. } | Truth::SplitFrom(o) => vec![*o],
            Truth::MergedFrom(v) => v.clone(),
            Truth::Added => Vec::new(),
        }
    }
}

/// How a mutated version is written out before it is parsed again.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Format {
    Canonical,
    Corpus,
    Seed,
}

impl Format {
    fn of_pair(index: usize) -> Format {
        match index % 4 {
            1 => Format::Corpus,
            3 => Format::Seed,
            _ => Format::Canonical,
        }
    }

    fn as_str(self) -> &'static str {
        match self {
            Format::Canonical => "canonical",
            Format::Corpus => "corpus",
            Format::Seed => "seed",
        }
    }
}

/// One generated pair: the old side is `corpus.sources[source].statute`.
struct Pair {
    index: usize,
    source: usize,
    format: Format,
    /// Mutations applied, in order, e.g. "delete 第十条".
    log: Vec<String>,
    /// The rendered new version, as parsed.
    text: String,
    new: Statute,
    /// Per unit of `new.articles()`.
    truth: Vec<Truth>,
    /// Old units that are gone.
    deleted: Vec<usize>,
    /// New units moved by a `move` mutation.
    moved: Vec<usize>,
    /// New units whose cross-references were rewritten.
    refs: Vec<bool>,
    /// Mutation sets drawn and dropped before this one because their truth was ambiguous.
    regenerated: usize,
}

// ---------------------------------------------------------------------------------------------
// Generator

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
}

const OPS: [(Op, usize); 17] = [
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

/// Char bigrams of a text without whitespace.
fn bigrams(s: &str) -> HashSet<(char, char)> {
    let cs: Vec<char> = s.chars().filter(|c| !c.is_whitespace()).collect();
    cs.windows(2).map(|w| (w[0], w[1])).collect()
}

fn dice(a: &HashSet<(char, char)>, b: &HashSet<(char, char)>) -> f64 {
    if a.is_empty() && b.is_empty() {
        return 1.0;
    }
    2.0 * a.intersection(b).count() as f64 / (a.len() + b.len()) as f64
}

/// Levenshtein distance of two texts (whitespace aside) over the longer one's length.
fn distance_share(a: &str, b: &str) -> f64 {
    let a: Vec<char> = a.chars().filter(|c| !c.is_whitespace()).collect();
    let b: Vec<char> = b.chars().filter(|c| !c.is_whitespace()).collect();
    let longest = a.len().max(b.len());
    if longest == 0 {
        return 0.0;
    }
    let mut prev: Vec<usize> = (0..=b.len()).collect();
    let mut cur = vec![0; b.len() + 1];
    for (i, &x) in a.iter().enumerate() {
        cur[0] = i + 1;
        for (j, &y) in b.iter().enumerate() {
            cur[j + 1] = (prev[j] + usize::from(x != y))
                .min(prev[j + 1] + 1)
                .min(cur[j] + 1);
        }
        std::mem::swap(&mut prev, &mut cur);
    }
    prev[b.len()] as f64 / longest as f64
}

/// `text` with one of its `第N条` references pointed at another article (1..=`max`).
fn retarget_ref(text: &str, rng: &mut Rng, max: u32) -> Option<String> {
    let refs: Vec<(usize, usize, u32)> = text
        .char_indices()
        .filter(|&(_, c)| c == '第')
        .filter_map(|(b, _)| match article_ref(&text[b..]) {
            Some((len, UnitNum::Article { main, sub: 0 })) => Some((b, len, main)),
            _ => None,
        })
        .collect();
    let &(b, len, main) = rng.pick(&refs)?;
    if max < 2 {
        return None;
    }
    let mut to = rng.range(1, max as usize - 1) as u32;
    if to >= main {
        to += 1;
    }
    let num = UnitNum::Article { main: to, sub: 0 };
    Some(format!(
        "{}{}{}",
        &text[..b],
        cite(&text[b..b + len], num),
        &text[b + len..]
    ))
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

const SELF_PREFIXES: [&str; 6] = ["本法", "本条例", "本办法", "本规定", "本解释", "本细则"];
/// Longer words first (或者 before 或). A comma chains too: 本条例第十三条第一款，第十四条，
/// 第十五条 lists this statute's articles, and a drafter renumbers all of them.
const CHAIN_WORDS: [&str; 10] = [
    "、", "，", ",", "或者", "以及", "和", "及", "至", "或", "与",
];

/// `第N款` / `第N项` / `第（N）项` at the start of `s`: its byte length.
fn subdivision_ref(s: &str) -> Option<usize> {
    let rest = s.strip_prefix('第')?;
    let open = rest.chars().next().filter(|c| matches!(c, '（' | '('));
    let rest = &rest[open.map_or(0, char::len_utf8)..];
    let n: usize = rest
        .chars()
        .take_while(|&c| is_numeral_char(c))
        .map(char::len_utf8)
        .sum();
    let mut after = &rest[n..];
    let mut close = 0;
    if open.is_some() {
        let c = after.chars().next().filter(|c| matches!(c, '）' | ')'))?;
        close = c.len_utf8();
        after = &after[close..];
    }
    (n > 0 && (after.starts_with('款') || after.starts_with('项')))
        .then(|| '第'.len_utf8() + open.map_or(0, char::len_utf8) + n + close + '款'.len_utf8())
}

/// A reference `第…条(之…)` at the start of `s`: its byte length and number.
fn article_ref(s: &str) -> Option<(usize, UnitNum)> {
    match article_start(s) {
        Some((len, Some(num))) => Some((len, num)),
        _ => None,
    }
}

/// The new citation of a reference written as `old_text`, keeping Arabic digits if it used them.
fn cite(old_text: &str, num: UnitNum) -> String {
    let arabic = old_text.chars().any(|c| c.is_ascii_digit());
    match (num, arabic) {
        (UnitNum::Article { main, sub: 0 }, true) => format!("第{main}条"),
        (UnitNum::Article { main, sub }, true) => format!("第{main}条之{sub}"),
        _ => num.label(),
    }
}

/// Rewrites `本法第X条` (and references chained to it) to the articles' new numbers.
fn rewrite_refs(text: &str, map: &HashMap<UnitNum, UnitNum>) -> String {
    let mut out = String::with_capacity(text.len());
    let mut i = 0;
    while i < text.len() {
        let rest = &text[i..];
        if let Some(p) = SELF_PREFIXES.iter().find(|p| rest.starts_with(**p)) {
            out.push_str(p);
            i += p.len();
            while let Some((len, num)) = article_ref(&text[i..]) {
                let written = &text[i..i + len];
                match map.get(&num) {
                    Some(&new) if new != num => out.push_str(&cite(written, new)),
                    _ => out.push_str(written),
                }
                i += len;
                // 第二款 / 第一款、第三款 / 第一项至第四项: subdivisions of that article.
                loop {
                    if let Some(l) = subdivision_ref(&text[i..]) {
                        out.push_str(&text[i..i + l]);
                        i += l;
                        continue;
                    }
                    let r = &text[i..];
                    let Some(w) = CHAIN_WORDS.iter().find(|w| {
                        r.strip_prefix(**w)
                            .is_some_and(|t| subdivision_ref(t).is_some())
                    }) else {
                        break;
                    };
                    out.push_str(w);
                    i += w.len();
                }
                let r = &text[i..];
                let Some(w) = CHAIN_WORDS.iter().find(|w| {
                    r.strip_prefix(**w)
                        .is_some_and(|t| article_ref(t).is_some())
                }) else {
                    break;
                };
                out.push_str(w);
                i += w.len();
            }
            continue;
        }
        let Some(c) = rest.chars().next() else { break };
        out.push(c);
        i += c.len_utf8();
    }
    out
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
        let (i, j) = *self.rng.pick(&slots)?;
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

    fn op_split(&mut self) -> Option<String> {
        let units = self.units();
        let cands: Vec<usize> = (0..units.len())
            .filter(|&k| {
                let u = self.unit(units[k]);
                self.structural(&units, k) && !u.edited && u.paras.len() >= 2
            })
            .collect();
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

    /// An article of three or more 款 split into three articles.
    fn op_split3(&mut self) -> Option<String> {
        let units = self.units();
        let cands: Vec<usize> = (0..units.len())
            .filter(|&k| {
                let u = self.unit(units[k]);
                self.structural(&units, k) && !u.edited && u.paras.len() >= 3
            })
            .collect();
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
    /// the result; an error when the truth would be ambiguous (an added unit like a deleted
    /// one, or a rewritten unit's old text closer to an added unit than to it).
    fn finish(mut self, noise_ops: usize, index: usize) -> Result<Pair, String> {
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
                return Err(format!(
                    "an added unit is like deleted {}",
                    self.old_labels[d]
                ));
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
                    return Err(format!(
                        "rewritten {} is less like its old text than an added unit",
                        self.old_labels[*i]
                    ));
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
            Err(e) => panic!(
                "pair {index} ({name}, {:?}): rendering does not parse: {e}",
                self.log
            ),
        };
        if let Err(e) = same_units(&model, &parsed) {
            panic!(
                "pair {index} ({name}, {}, {:?}): the rendered version parses differently: {e}",
                format.as_str(),
                self.log
            );
        }
        assert_eq!(parsed.articles().len(), truth.len(), "truth per new unit");
        Ok(Pair {
            index,
            source: self.src,
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

/// Generates pair `index` from statute `index % sources`; a set of mutations whose truth
/// would be ambiguous is dropped and another drawn.
fn generate(c: &Corpus, index: usize) -> Pair {
    let src = index % c.sources.len();
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
                return p;
            }
            Err(e) => dropped.push(e),
        }
    }
    panic!("pair {index}: no unambiguous mutation set in 20 rounds: {dropped:?}");
}

fn squash(s: &str) -> String {
    s.chars().filter(|c| !c.is_whitespace()).collect()
}

/// Same units with the same labels, texts and heading paths, or the first difference.
fn same_units(a: &Statute, b: &Statute) -> Result<(), String> {
    let (x, y) = (a.articles(), b.articles());
    for (k, (p, q)) in x.iter().zip(&y).enumerate() {
        let (p_path, q_path): (Vec<String>, Vec<String>) = (
            p.path.iter().map(|d| d.heading()).collect(),
            q.path.iter().map(|d| d.heading()).collect(),
        );
        if p.article.label != q.article.label
            || p.article.text() != q.article.text()
            || p_path != q_path
        {
            return Err(format!(
                "unit {k}: {} {:?} {:?} became {} {:?} {:?}",
                p.article.label,
                p_path,
                p.article.text(),
                q.article.label,
                q_path,
                q.article.text()
            ));
        }
    }
    if x.len() != y.len() {
        return Err(format!("{} units rendered, {} parsed", x.len(), y.len()));
    }
    if a.body.closing != b.body.closing {
        return Err(format!(
            "closing {:?} became {:?}",
            a.body.closing, b.body.closing
        ));
    }
    Ok(())
}

// ---------------------------------------------------------------------------------------------
// Renderers for the corpus and seed formats (the canonical one is the crate's)

fn render(format: Format, s: &Statute) -> String {
    match format {
        Format::Canonical => canonical::to_string(s),
        Format::Corpus => render_corpus(s),
        Format::Seed => render_seed(s),
    }
}

fn block(out: &mut String, line: &str) {
    out.push_str(line);
    out.push_str("\n\n");
}

fn render_corpus(s: &Statute) -> String {
    let mut out = String::new();
    block(&mut out, &format!("# {}", s.meta.title));
    block(&mut out, HISTORY);
    block(&mut out, "<!-- INFO END -->");
    corpus_nodes(&s.body.nodes, 0, &mut out);
    for c in &s.body.closing {
        block(&mut out, c);
    }
    out
}

fn corpus_items(items: &[Item], out: &mut String) {
    for it in items {
        block(out, &format!("{}{}", it.marker, it.text));
        corpus_items(&it.subitems, out);
    }
}

fn corpus_nodes(nodes: &[Node], depth: usize, out: &mut String) {
    for n in nodes {
        match n {
            Node::Division(d) => {
                let hashes = "#".repeat((depth + 2).min(6));
                block(out, &format!("{hashes} {}", d.heading()));
                corpus_nodes(&d.children, depth + 1, out);
            }
            Node::Article(a) => {
                for (i, p) in a.paras.iter().enumerate() {
                    match (i, p.text.is_empty()) {
                        (0, true) => block(out, &a.label),
                        (0, false) => block(out, &format!("{} {}", a.label, p.text)),
                        _ => block(out, &p.text),
                    }
                    corpus_items(&p.items, out);
                }
                if a.paras.is_empty() {
                    block(out, &a.label);
                }
            }
            Node::Para(p) => {
                block(out, &p.text);
                corpus_items(&p.items, out);
            }
        }
    }
}

fn render_seed(s: &Statute) -> String {
    let mut out = String::new();
    out.push_str("---\n");
    out.push_str(&format!("title: {}\n", yaml_quote(&s.meta.title)));
    out.push_str("date: '2024-06-28'\nstatus: 有效\n---\n\n");
    block(&mut out, &format!("**{}**", s.meta.title));
    block(&mut out, &format!("> （{HISTORY}）"));
    seed_nodes(&s.body.nodes, 0, &mut out);
    for c in &s.body.closing {
        block(&mut out, c);
    }
    out
}

/// A YAML double-quoted scalar.
fn yaml_quote(s: &str) -> String {
    let mut q = String::from("\"");
    for c in s.chars() {
        match c {
            '"' => q.push_str("\\\""),
            '\\' => q.push_str("\\\\"),
            c => q.push(c),
        }
    }
    q.push('"');
    q
}

fn seed_items(items: &[Item], out: &mut String) {
    for it in items {
        block(out, &format!("  {}{}", it.marker, it.text));
        seed_items(&it.subitems, out);
    }
}

fn seed_nodes(nodes: &[Node], depth: usize, out: &mut String) {
    for n in nodes {
        match n {
            Node::Division(d) => {
                let hashes = "#".repeat((depth + 2).min(6));
                let heading = if d.label.is_empty() || d.title.is_empty() {
                    d.heading()
                } else {
                    format!("{}\u{3000}\u{3000}{}", d.label, d.title)
                };
                block(out, &format!("{hashes} {heading}"));
                seed_nodes(&d.children, depth + 1, out);
            }
            Node::Article(a) => {
                for (i, p) in a.paras.iter().enumerate() {
                    match (i, p.text.is_empty()) {
                        (0, true) => block(out, &format!("- **{}**", a.label)),
                        (0, false) => {
                            block(out, &format!("- **{}**\u{3000}\u{3000}{}", a.label, p.text))
                        }
                        _ => block(out, &format!("  {}", p.text)),
                    }
                    seed_items(&p.items, out);
                }
                if a.paras.is_empty() {
                    block(out, &format!("- **{}**", a.label));
                }
            }
            Node::Para(p) => {
                block(out, &p.text);
                seed_items(&p.items, out);
            }
        }
    }
}

// ---------------------------------------------------------------------------------------------
// Scoring

#[derive(Debug, Default)]
struct Score {
    pairs: usize,
    pairs_right: usize,
    truth_links: usize,
    pred_links: usize,
    hit_links: usize,
    added_truth: usize,
    added_pred: usize,
    added_hit: usize,
    deleted_truth: usize,
    deleted_pred: usize,
    deleted_hit: usize,
    kind_total: usize,
    kind_ok: usize,
    subst_total: usize,
    subst_ok: usize,
    moved_total: usize,
    moved_hit: usize,
    /// Entries flagged moved that hold no unit a `move` mutation moved.
    moved_other: usize,
    /// Modified links whose `substantive` flag disagrees with the truth.
    subst_wrong: Vec<String>,
}

fn ratio(hit: usize, total: usize) -> f64 {
    if total == 0 {
        1.0
    } else {
        hit as f64 / total as f64
    }
}

fn f1(hit: usize, truth: usize, pred: usize) -> f64 {
    if truth + pred == 0 {
        1.0
    } else {
        2.0 * hit as f64 / (truth + pred) as f64
    }
}

/// Every old unit in exactly one entry's `old`, every new unit in exactly one entry's `new`.
fn coverage(cs: &ChangeSet, n_old: usize, n_new: usize) -> Vec<String> {
    let mut problems = Vec::new();
    for (side, n, lists) in [
        (
            "old",
            n_old,
            cs.entries.iter().map(|e| &e.old).collect::<Vec<_>>(),
        ),
        ("new", n_new, cs.entries.iter().map(|e| &e.new).collect()),
    ] {
        let mut seen = vec![0usize; n];
        for r in lists.into_iter().flatten() {
            match seen.get_mut(r.index) {
                Some(c) => *c += 1,
                None => problems.push(format!("{side} index {} out of range", r.index)),
            }
        }
        for (i, c) in seen.iter().enumerate() {
            if *c != 1 {
                problems.push(format!("{side} unit {i} in {c} entries"));
            }
        }
    }
    problems
}

/// Scores one pair; returns what was wrong (empty when the pair is entirely right).
fn evaluate(old: &Statute, pair: &Pair, cs: &ChangeSet, s: &mut Score) -> Vec<String> {
    let old_labels: Vec<String> = old
        .articles()
        .iter()
        .map(|a| a.article.label.clone())
        .collect();
    let new_labels: Vec<String> = pair
        .new
        .articles()
        .iter()
        .map(|a| a.article.label.clone())
        .collect();
    let ol = |o: usize| old_labels.get(o).map_or("?", String::as_str).to_string();
    let nl = |n: usize| new_labels.get(n).map_or("?", String::as_str).to_string();

    let mut pred: BTreeSet<(usize, usize)> = BTreeSet::new();
    let mut entry_of_new: HashMap<usize, usize> = HashMap::new();
    let mut pred_added = BTreeSet::new();
    let mut pred_deleted = BTreeSet::new();
    for (ei, e) in cs.entries.iter().enumerate() {
        for n in &e.new {
            entry_of_new.insert(n.index, ei);
            if e.kind == EntryKind::Added {
                pred_added.insert(n.index);
            }
        }
        for o in &e.old {
            if e.kind == EntryKind::Deleted {
                pred_deleted.insert(o.index);
            }
            for n in &e.new {
                pred.insert((o.index, n.index));
            }
        }
    }
    let mut truth: BTreeSet<(usize, usize)> = BTreeSet::new();
    let mut truth_added = BTreeSet::new();
    for (n, t) in pair.truth.iter().enumerate() {
        if *t == Truth::Added {
            truth_added.insert(n);
        }
        for o in t.olds() {
            truth.insert((o, n));
        }
    }
    let truth_deleted: BTreeSet<usize> = pair.deleted.iter().copied().collect();

    let mut wrong = Vec::new();
    let hit = pred.intersection(&truth).count();
    s.truth_links += truth.len();
    s.pred_links += pred.len();
    s.hit_links += hit;
    let missed: Vec<String> = truth
        .difference(&pred)
        .map(|&(o, n)| format!("{}→{}", ol(o), nl(n)))
        .collect();
    let spurious: Vec<String> = pred
        .difference(&truth)
        .map(|&(o, n)| format!("{}→{}", ol(o), nl(n)))
        .collect();
    if !missed.is_empty() {
        wrong.push(format!("missed {}", missed.join(" ")));
    }
    // The texts of the first few wrong links, to judge them at a glance.
    let shown: Vec<(usize, usize)> = truth.symmetric_difference(&pred).copied().take(2).collect();
    let (old_arts, new_arts) = (old.articles(), pair.new.articles());
    for (o, n) in shown {
        let clip = |t: String| -> String {
            let t = t.replace('\n', "⏎");
            match t.char_indices().nth(160) {
                Some((b, _)) => format!("{}…", &t[..b]),
                None => t,
            }
        };
        if let (Some(a), Some(b)) = (old_arts.get(o), new_arts.get(n)) {
            wrong.push(format!(
                "  {} (old) {}\n      {} (new) {}",
                ol(o),
                clip(a.article.text()),
                nl(n),
                clip(b.article.text())
            ));
        }
    }
    if !spurious.is_empty() {
        wrong.push(format!("spurious {}", spurious.join(" ")));
    }

    s.added_truth += truth_added.len();
    s.added_pred += pred_added.len();
    s.added_hit += pred_added.intersection(&truth_added).count();
    s.deleted_truth += truth_deleted.len();
    s.deleted_pred += pred_deleted.len();
    s.deleted_hit += pred_deleted.intersection(&truth_deleted).count();
    let list = |xs: Vec<&usize>, f: &dyn Fn(usize) -> String| {
        xs.into_iter().map(|&x| f(x)).collect::<Vec<_>>().join(" ")
    };
    if truth_added != pred_added {
        wrong.push(format!(
            "added: missing [{}] extra [{}]",
            list(truth_added.difference(&pred_added).collect(), &nl),
            list(pred_added.difference(&truth_added).collect(), &nl)
        ));
    }
    if truth_deleted != pred_deleted {
        wrong.push(format!(
            "deleted: missing [{}] extra [{}]",
            list(truth_deleted.difference(&pred_deleted).collect(), &ol),
            list(pred_deleted.difference(&truth_deleted).collect(), &ol)
        ));
    }

    let mut bad_kinds = Vec::new();
    for (n, t) in pair.truth.iter().enumerate() {
        let entry = entry_of_new.get(&n).map(|&ei| &cs.entries[ei]);
        for o in t.olds() {
            s.kind_total += 1;
            let linked = entry.filter(|e| e.old.iter().any(|r| r.index == o));
            match linked {
                Some(e) if e.kind == t.kind() => s.kind_ok += 1,
                Some(e) => bad_kinds.push(format!(
                    "{}→{} {} not {}",
                    ol(o),
                    nl(n),
                    e.kind.as_str(),
                    t.kind().as_str()
                )),
                // Reported as a missed link.
                None => {}
            }
            if let (Truth::Modified { substantive, .. }, Some(e)) = (t, linked)
                && e.kind == EntryKind::Modified
            {
                s.subst_total += 1;
                if e.substantive == *substantive {
                    s.subst_ok += 1;
                } else {
                    let old_text = old.articles()[o].article.text();
                    let new_text = pair.new.articles()[n].article.text();
                    s.subst_wrong.push(format!(
                        "#{} {}→{} truth substantive={substantive} ({})\n      {old_text:?}\n      {new_text:?}",
                        pair.index,
                        ol(o),
                        nl(n),
                        pair.log.join("; ")
                    ));
                }
            }
        }
    }
    if !bad_kinds.is_empty() {
        wrong.push(format!("kind {}", bad_kinds.join(", ")));
    }

    for &n in &pair.moved {
        s.moved_total += 1;
        if entry_of_new.get(&n).is_some_and(|&ei| cs.entries[ei].moved) {
            s.moved_hit += 1;
        }
    }
    s.moved_other += cs
        .entries
        .iter()
        .filter(|e| e.moved && !e.new.iter().any(|r| pair.moved.contains(&r.index)))
        .count();
    s.pairs += 1;
    if wrong.is_empty() {
        s.pairs_right += 1;
    }
    wrong
}

fn pairs_wanted() -> usize {
    std::env::var("STATUTE_MUTATION_PAIRS")
        .ok()
        .and_then(|v| v.trim().parse().ok())
        .unwrap_or(DEFAULT_PAIRS)
}

/// The mutation names in a pair's log ("edit", "para+", "delete", …).
fn op_names(log: &[String]) -> BTreeSet<String> {
    log.iter()
        .filter_map(|l| l.split(' ').next())
        .map(String::from)
        .collect()
}

#[test]
fn differ_recovers_known_amendments() {
    let Some(dir) = corpus() else { return };
    let start = Instant::now();
    let c = load_corpus(&dir, STATUTES);
    assert!(
        c.sources.len() >= 60,
        "only {} statutes qualify for the mutation benchmark",
        c.sources.len()
    );
    let loaded = start.elapsed();
    let pairs: Vec<Pair> = (0..pairs_wanted()).map(|i| generate(&c, i)).collect();
    let generated = start.elapsed();

    let mut score = Score::default();
    let mut coverage_problems = Vec::new();
    let mut wrong_pairs = Vec::new();
    let mut per_op: BTreeMap<String, (usize, usize)> = BTreeMap::new();
    // Where to write the new versions of wrong pairs, to run `statute diff` on them.
    let dump = std::env::var_os("STATUTE_MUTATION_DUMP").map(PathBuf::from);
    if let Some(d) = &dump {
        std::fs::create_dir_all(d).expect("create STATUTE_MUTATION_DUMP directory");
    }
    for p in &pairs {
        let old = &c.sources[p.source].statute;
        let cs = diff(old, &p.new);
        let cov = coverage(&cs, old.articles().len(), p.new.articles().len());
        if !cov.is_empty() {
            coverage_problems.push(format!(
                "pair {} ({}): {}",
                p.index,
                c.sources[p.source].name,
                cov.iter().take(5).cloned().collect::<Vec<_>>().join("; ")
            ));
        }
        let wrong = evaluate(old, p, &cs, &mut score);
        for op in op_names(&p.log) {
            let e = per_op.entry(op).or_default();
            e.0 += 1;
            if wrong.is_empty() {
                e.1 += 1;
            }
        }
        if !wrong.is_empty() {
            let dumped = dump.as_ref().map_or(String::new(), |d| {
                let path = d.join(format!("{}-new.md", p.index));
                match std::fs::write(&path, &p.text) {
                    Ok(()) => format!("\n    new version: {}", path.display()),
                    Err(e) => format!("\n    cannot write {}: {e}", path.display()),
                }
            });
            wrong_pairs.push(format!(
                "#{} {} [{}] {}\n    {}{dumped}",
                p.index,
                c.sources[p.source].name,
                p.format.as_str(),
                p.log.join("; "),
                wrong.join("\n    ")
            ));
        }
    }
    let diffed = start.elapsed();

    let s = &score;
    let link_p = ratio(s.hit_links, s.pred_links);
    let link_r = ratio(s.hit_links, s.truth_links);
    let added = f1(s.added_hit, s.added_truth, s.added_pred);
    let deleted = f1(s.deleted_hit, s.deleted_truth, s.deleted_pred);
    let kind = ratio(s.kind_ok, s.kind_total);
    let subst = ratio(s.subst_ok, s.subst_total);
    let moved = ratio(s.moved_hit, s.moved_total);
    let right = ratio(s.pairs_right, s.pairs);
    let used = &c.sources[..c.sources.len().min(pairs.len())];
    eprintln!(
        "\nmutation benchmark: {} pairs from {} statutes ({} with ad-hoc headings); load {:.1?}, generate {:.1?}, diff {:.1?}",
        pairs.len(),
        used.len(),
        used.iter()
            .filter(|s| has_adhoc_heading(&s.statute.body.nodes))
            .count(),
        loaded,
        generated - loaded,
        diffed - generated
    );
    let regenerated: usize = pairs.iter().map(|p| p.regenerated).sum();
    if regenerated > 0 {
        eprintln!(
            "  {regenerated} mutation sets were redrawn because their truth would be ambiguous"
        );
    }
    eprintln!("  {:<24} {:>8} {:>8}  counts", "metric", "value", "target");
    let row = |name: &str, v: f64, target: &str, counts: String| {
        eprintln!("  {name:<24} {v:>8.4} {target:>8}  {counts}");
    };
    row(
        "link precision",
        link_p,
        "0.999",
        format!("{}/{}", s.hit_links, s.pred_links),
    );
    row(
        "link recall",
        link_r,
        "0.998",
        format!("{}/{}", s.hit_links, s.truth_links),
    );
    row(
        "added F1",
        added,
        "0.99",
        format!(
            "hit {} truth {} predicted {}",
            s.added_hit, s.added_truth, s.added_pred
        ),
    );
    row(
        "deleted F1",
        deleted,
        "0.99",
        format!(
            "hit {} truth {} predicted {}",
            s.deleted_hit, s.deleted_truth, s.deleted_pred
        ),
    );
    row(
        "kind accuracy",
        kind,
        "0.99",
        format!("{}/{}", s.kind_ok, s.kind_total),
    );
    row(
        "substantive accuracy",
        subst,
        "-",
        format!("{}/{} modified links", s.subst_ok, s.subst_total),
    );
    row(
        "moved recall",
        moved,
        "-",
        format!(
            "{}/{}; {} other entries flagged moved",
            s.moved_hit, s.moved_total, s.moved_other
        ),
    );
    row(
        "pairs entirely right",
        right,
        "0.90",
        format!("{}/{}", s.pairs_right, s.pairs),
    );
    if !s.subst_wrong.is_empty() {
        eprintln!("  first substantive-flag disagreements (report only):");
        for w in s.subst_wrong.iter().take(5) {
            eprintln!("    {w}");
        }
    }
    eprintln!("  pairs with each mutation (entirely right / total):");
    for (op, (total, ok)) in &per_op {
        eprintln!("    {op:<14} {ok:>4}/{total:<4} {:.3}", ratio(*ok, *total));
    }
    if !wrong_pairs.is_empty() {
        let show = std::env::var("STATUTE_MUTATION_SHOW")
            .ok()
            .and_then(|v| v.trim().parse().ok())
            .unwrap_or(10);
        eprintln!(
            "  first wrong pairs ({} of {}):",
            wrong_pairs.len().min(show),
            wrong_pairs.len()
        );
        for w in wrong_pairs.iter().take(show) {
            eprintln!("  {w}");
        }
    }

    assert!(
        coverage_problems.is_empty(),
        "coverage invariant broken in {} pairs:\n{}",
        coverage_problems.len(),
        coverage_problems
            .iter()
            .take(10)
            .cloned()
            .collect::<Vec<_>>()
            .join("\n")
    );
    let mut failed = Vec::new();
    for (name, v, target) in [
        ("link precision", link_p, 0.999),
        ("link recall", link_r, 0.998),
        ("added F1", added, 0.99),
        ("deleted F1", deleted, 0.99),
        ("kind accuracy", kind, 0.99),
        ("pairs entirely right", right, 0.90),
    ] {
        if v < target {
            failed.push(format!("{name} {v:.4} < {target}"));
        }
    }
    assert!(failed.is_empty(), "below target: {}", failed.join(", "));
}

// ---------------------------------------------------------------------------------------------
// The generator's own sanity, without the differ

/// Formal folding for the checks below: whitespace out, width and quote variants unified.
fn fold(s: &str) -> String {
    s.chars()
        .filter(|c| !c.is_whitespace())
        .map(|c| match c {
            '，' => ',',
            '；' => ';',
            '：' => ':',
            '（' => '(',
            '）' => ')',
            '〈' | '<' => '《',
            '〉' | '>' => '》',
            '“' | '”' => '"',
            c => c,
        })
        .collect()
}

/// `fold`, with the numbers of `第…条` references blanked out.
fn fold_refs(s: &str) -> String {
    let f = fold(s);
    let mut out = String::new();
    let mut i = 0;
    while i < f.len() {
        if let Some((len, _)) = article_ref(&f[i..]) {
            out.push_str("第#条");
            i += len;
            continue;
        }
        let Some(c) = f[i..].chars().next() else {
            break;
        };
        out.push(c);
        i += c.len_utf8();
    }
    out
}

#[test]
fn mutation_generator_is_consistent() {
    let Some(dir) = corpus() else { return };
    let c = load_corpus(&dir, STATUTES);
    assert!(
        c.sources.len() >= 60,
        "only {} statutes qualify",
        c.sources.len()
    );
    assert!(
        c.donor_articles.len() > 1000 && c.donor_paras.len() > 200 && c.donor_items.len() > 200
    );

    // Flattening and the three renderings reproduce the originals.
    for src in c.sources.iter().take(25) {
        let s = &src.statute;
        let mut toks = Vec::new();
        flatten(&s.body.nodes, &mut 0, &mut toks);
        let subs: Vec<bool> = toks
            .iter()
            .filter_map(|t| match t {
                Tok::Unit(u) => Some(u.sub),
                _ => None,
            })
            .collect();
        assert_eq!(
            unflatten(&toks, &number(&subs)),
            s.body.nodes,
            "{}: flatten/unflatten",
            src.name
        );
        for format in [Format::Canonical, Format::Corpus, Format::Seed] {
            let text = render(format, s);
            let parsed = parse_str(Path::new("rendered"), &text)
                .unwrap_or_else(|e| panic!("{} as {}: {e}", src.name, format.as_str()));
            if let Err(e) = same_units(s, &parsed.statute) {
                panic!("{} as {}: {e}", src.name, format.as_str());
            }
            assert_eq!(parsed.statute.meta.title, s.meta.title);
        }
    }

    // The cross-reference rewriter.
    let map: HashMap<UnitNum, UnitNum> = [(10, 11), (12, 14), (3, 3)]
        .into_iter()
        .map(|(a, b)| {
            (
                UnitNum::Article { main: a, sub: 0 },
                UnitNum::Article { main: b, sub: 0 },
            )
        })
        .collect();
    assert_eq!(
        rewrite_refs(
            "依照本法第十条第二款、第十二条和第三条规定，以及第十条",
            &map
        ),
        "依照本法第十一条第二款、第十四条和第三条规定，以及第十条"
    );
    assert_eq!(
        rewrite_refs("违反本条例第10条至第12条的", &map),
        "违反本条例第11条至第14条的"
    );
    assert_eq!(
        rewrite_refs("违反本法第十条第一款、第二款，第十二条第三项和第三条", &map),
        "违反本法第十一条第一款、第二款，第十四条第三项和第三条"
    );
    assert_eq!(
        rewrite_refs("涉及本解释第十条第一款第（二）项及第二款、第十二条的", &map),
        "涉及本解释第十一条第一款第（二）项及第二款、第十四条的"
    );

    // Generated pairs: truth accounts for every unit, texts agree with it.
    let mut ops_seen: BTreeSet<String> = BTreeSet::new();
    let mut formats_seen = BTreeSet::new();
    for i in 0..160 {
        let p = generate(&c, i);
        let old = &c.sources[p.source].statute;
        let old_arts = old.articles();
        let new_arts = p.new.articles();
        let ctx = format!("pair {i} ({}, {:?})", c.sources[p.source].name, p.log);
        assert_eq!(new_arts.len(), p.truth.len(), "{ctx}");
        assert!(check(&p.new).is_empty(), "{ctx}: {:?}", check(&p.new));
        let mut count = vec![0usize; old_arts.len()];
        for t in &p.truth {
            let olds: BTreeSet<usize> = t.olds().into_iter().collect();
            for o in olds {
                count[o] += 1;
            }
        }
        for (n, t) in p.truth.iter().enumerate() {
            if let Truth::SplitFrom(o) = t {
                // Both pieces name the old unit; count it once.
                if n > 0 && p.truth[n - 1] == *t {
                    count[*o] -= 1;
                }
            }
        }
        for &d in &p.deleted {
            count[d] += 1;
        }
        assert!(
            count.iter().all(|&k| k == 1),
            "{ctx}: old units not accounted for exactly once: {count:?}"
        );
        for (n, t) in p.truth.iter().enumerate() {
            let new_text = new_arts[n].article.text();
            match t {
                Truth::Same(o) => assert_eq!(old_arts[*o].article.text(), new_text, "{ctx}"),
                Truth::Modified {
                    old: o,
                    substantive,
                } => {
                    let old_text = old_arts[*o].article.text();
                    assert_ne!(old_text, new_text, "{ctx}");
                    let formal = if p.refs[n] {
                        fold_refs(&old_text) == fold_refs(&new_text)
                    } else {
                        fold(&old_text) == fold(&new_text)
                    };
                    assert_eq!(
                        formal, !substantive,
                        "{ctx}: unit {n} is substantive={substantive}:\n{old_text}\n{new_text}"
                    );
                }
                Truth::SplitFrom(o) => {
                    let pieces: Vec<String> = (0..new_arts.len())
                        .filter(|&k| p.truth[k] == *t)
                        .map(|k| new_arts[k].article.text())
                        .collect();
                    assert!((2..=3).contains(&pieces.len()), "{ctx}");
                    assert_eq!(
                        fold_refs(&pieces.join("\n")),
                        fold_refs(&old_arts[*o].article.text()),
                        "{ctx}"
                    );
                }
                Truth::MergedFrom(v) => {
                    let joined: Vec<String> =
                        v.iter().map(|&o| old_arts[o].article.text()).collect();
                    assert_eq!(fold_refs(&joined.join("\n")), fold_refs(&new_text), "{ctx}");
                }
                Truth::Added => {
                    // Unlike every deleted unit, so that it cannot pass for one amended.
                    let g = bigrams(&new_text);
                    for &d in &p.deleted {
                        let sim = dice(&g, &bigrams(&old_arts[d].article.text()));
                        assert!(sim < MAX_DONOR_SIMILARITY, "{ctx}: unit {n} is like {d}");
                    }
                }
            }
        }
        // Deterministic.
        if i < 5 {
            assert_eq!(generate(&c, i).text, p.text, "{ctx}: not deterministic");
        }
        ops_seen.extend(
            p.log
                .iter()
                .filter_map(|l| l.split(' ').next().map(String::from)),
        );
        formats_seen.insert(p.format.as_str());
    }
    for op in [
        "edit",
        "para+",
        "para-",
        "insert",
        "insert-zhiyi",
        "delete",
        "move",
        "split",
        "merge",
        "noise",
        "refs",
        "rewrite",
        "template-insert",
        "replace-in-place",
        "shuffle",
        "split3",
        "para-reorder",
        "insert-zhier",
    ] {
        assert!(
            ops_seen.contains(op),
            "mutation {op} never applied: {ops_seen:?}"
        );
    }
    assert!(
        ops_seen.iter().any(|o| o.starts_with("item")),
        "no item mutation: {ops_seen:?}"
    );
    assert_eq!(formats_seen.len(), 3);
}
