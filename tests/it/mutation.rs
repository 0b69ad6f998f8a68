//! Mutation benchmark for the differ: real statutes from the shared corpus get random amendments
//! whose effect is known (edited phrases, 款 and 项 added or removed, articles inserted, deleted,
//! moved, split and merged, format-only noise, cross-references rewritten after renumbering),
//! are rendered and parsed back as a user would feed them, and the differ's `ChangeSet` is
//! scored against that ground truth.
//!
//! `cargo test --test it mutation -- --nocapture` prints the score table and the first wrong
//! pairs (old side: the corpus file named). `STATUTE_MUTATION_PAIRS` sets the number of
//! generated pairs; `STATUTE_MUTATION_DUMP=dir` writes the new version of every wrong pair to
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
const DEFAULT_PAIRS: usize = 300;
/// Statutes taken from the corpus; each gets several pairs.
const STATUTES: usize = 80;
/// Base seed: every pair's generator is seeded from it and the pair's index.
const SEED: u64 = 0x5EED_0F57_A7C7_0001;
/// Donor articles at least this similar (bigram Dice) to an article of the target are not
/// inserted: they would make the truth ambiguous.
const MAX_DONOR_SIMILARITY: f64 = 0.3;
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

    fn chance(&mut self, p: f64) -> bool {
        ((self.next_u64() >> 11) as f64 / (1u64 << 53) as f64) < p
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

/// Statutes of 条 articles with clean numbering and nothing the mutations do not model.
fn qualifies(s: &Statute) -> bool {
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
        && !has_adhoc_heading(&b.nodes)
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

/// Picks statutes deterministically: one file per statute folder (its latest version), every
/// k-th folder of the sorted `multi/` and `single/` lists, until `want` qualify.
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
    let stride = (list.len() / (want * 2)).max(1);
    let mut sources: Vec<Source> = Vec::new();
    let mut titles = HashSet::new();
    'outer: for offset in 0..stride {
        for f in list.iter().skip(offset).step_by(stride) {
            if sources.len() >= want {
                break 'outer;
            }
            let Ok(parsed) = parse_file(f) else { continue };
            let s = parsed.statute;
            if !qualifies(&s) || !titles.insert(s.meta.title.clone()) {
                continue;
            }
            let name = f.strip_prefix(dir).unwrap_or(f).display().to_string();
            sources.push(Source { name, statute: s });
        }
    }

    let mut c = Corpus {
        sources,
        donor_articles: Vec::new(),
        donor_paras: Vec::new(),
        donor_items: Vec::new(),
        pool: Vec::new(),
    };
    for (si, src) in c.sources.iter().enumerate() {
        for a in src.statute.articles() {
            let paras = &a.article.paras;
            let text = paras_text(paras);
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
}

const OPS: [(Op, usize); 10] = [
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
/// Longer words first (或者 before 或).
const CHAIN_WORDS: [&str; 8] = ["、", "或者", "以及", "和", "及", "至", "或", "与"];

/// `第N款` / `第N项` at the start of `s`: its byte length.
fn subdivision_ref(s: &str) -> Option<usize> {
    let rest = s.strip_prefix('第')?;
    let n: usize = rest
        .chars()
        .take_while(|&c| is_numeral_char(c))
        .map(char::len_utf8)
        .sum();
    let after = &rest[n..];
    (n > 0 && (after.starts_with('款') || after.starts_with('项')))
        .then(|| '第'.len_utf8() + n + '款'.len_utf8())
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
                while let Some(l) = subdivision_ref(&text[i..]) {
                    out.push_str(&text[i..i + l]);
                    i += l;
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
        matches!(u.origin, Origin::Old(i) if !self.dup.contains(&i))
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
        }
    }

    fn old_units(&self) -> Vec<usize> {
        self.units()
            .into_iter()
            .filter(|&p| self.old_index(p).is_some())
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
        // Insertion points: (token position, container, order index of the insertion, the
        // unit it goes before or after).
        let mut targets = Vec::new();
        for q in 0..n {
            if q == k {
                continue;
            }
            let c = cont[units[q]];
            if self.insertable_before(&units, q) {
                targets.push((
                    units[q],
                    c,
                    q,
                    format!("before {}", self.describe(units[q])),
                ));
            }
            let last_in_container = units.get(q + 1).is_none_or(|&r| cont[r] != c);
            if last_in_container && self.insertable_before(&units, q + 1) {
                targets.push((
                    units[q] + 1,
                    c,
                    q + 1,
                    format!("after {}", self.describe(units[q])),
                ));
            }
        }
        let far = if divided { 3 } else { (n / 4).max(5) };
        targets.retain(|&(_, c, ord, _)| {
            let jumped = if ord <= k { k - ord } else { ord - k - 1 };
            jumped >= far && (!divided || c != from)
        });
        let (pos, _, _, dest) = self.rng.pick(&targets)?.clone();
        let label = self.describe(units[k]);
        let Tok::Unit(mut u) = self.toks.remove(units[k]) else {
            unreachable!("units() lists unit tokens")
        };
        u.moved = true;
        u.touched = true;
        let pos = if pos > units[k] { pos - 1 } else { pos };
        self.toks.insert(pos, Tok::Unit(u));
        Some(format!("move {label} → {dest}"))
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
    /// the result.
    fn finish(mut self, noise_ops: usize, index: usize) -> Pair {
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
        let deleted = (0..kept.len()).filter(|&i| !kept[i]).collect();

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
        Pair {
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
        }
    }
}

/// Generates pair `index` from statute `index % sources`.
fn generate(c: &Corpus, index: usize) -> Pair {
    let src = index % c.sources.len();
    let mut g = Gen::new(c, src, pair_seed(index));
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
    g.finish(noise_ops, index)
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
    eprintln!(
        "\nmutation benchmark: {} pairs from {} statutes; load {:.1?}, generate {:.1?}, diff {:.1?}",
        pairs.len(),
        c.sources.len().min(pairs.len()),
        loaded,
        generated - loaded,
        diffed - generated
    );
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
        eprintln!(
            "  first wrong pairs ({} of {}):",
            wrong_pairs.len().min(10),
            wrong_pairs.len()
        );
        for w in wrong_pairs.iter().take(10) {
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

    // Generated pairs: truth accounts for every unit, texts agree with it.
    let mut ops_seen: BTreeSet<String> = BTreeSet::new();
    let mut formats_seen = BTreeSet::new();
    for i in 0..80 {
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
                    assert_eq!(pieces.len(), 2, "{ctx}");
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
                Truth::Added => {}
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
