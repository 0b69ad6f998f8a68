//! The shared corpus: where it is (`$STATUTE_CORPUS`, else `../shared/corpus` beside the
//! workspace), its `*.md` version files, and the statutes the benchmark chooses from it with
//! the material mutations borrow.

use std::collections::{BTreeMap, HashSet};
use std::path::{Path, PathBuf};

use statute::Statute;
use statute::check::check;
use statute::model::{DivisionKind, Node, Para, UnitNum};
use statute::parse::parse_file;

use crate::text::{circled, clauses, editable, paras_text, sentence_like};

/// Statutes taken from the corpus; each gets several pairs.
pub const STATUTES: usize = 80;
/// Of those, statutes grouped under ad-hoc headings (一、一般规定 / （一）…), taken from the
/// 司法解释 folders, where such headings are common.
pub const ADHOC_STATUTES: usize = 8;

/// Where the corpus is looked for: `$STATUTE_CORPUS`, else `../shared/corpus` next to the
/// workspace root (the directory of the `statute` crate).
pub fn dir() -> PathBuf {
    std::env::var_os("STATUTE_CORPUS")
        .map(PathBuf::from)
        .unwrap_or_else(|| {
            let eval = Path::new(env!("CARGO_MANIFEST_DIR"));
            eval.parent().unwrap_or(eval).join("../shared/corpus")
        })
}

/// The corpus directory when it is there (it has a `multi/` folder); otherwise `Err` with the
/// place it was looked for, for the caller's message.
pub fn find() -> Result<PathBuf, PathBuf> {
    let dir = dir();
    if dir.join("multi").is_dir() {
        Ok(dir)
    } else {
        Err(dir)
    }
}

/// Every `*.md` version file below `dir` (README.md excluded), sorted; unreadable folders
/// are skipped.
pub fn md_files(dir: &Path) -> Vec<PathBuf> {
    let mut out = Vec::new();
    walk(dir, &mut out);
    out.sort();
    out
}

fn walk(dir: &Path, out: &mut Vec<PathBuf>) {
    let Ok(entries) = std::fs::read_dir(dir) else {
        return;
    };
    for e in entries.flatten() {
        let p = e.path();
        if p.is_dir() {
            walk(&p, out);
        } else if p.extension().is_some_and(|x| x == "md")
            && p.file_name().is_some_and(|n| n != "README.md")
        {
            out.push(p);
        }
    }
}

/// One statute the benchmark mutates.
#[derive(Debug)]
pub struct Source {
    /// Path relative to the corpus.
    pub name: String,
    /// The file it was read from.
    pub path: PathBuf,
    pub statute: Statute,
}

impl Source {
    /// Grouped under ad-hoc headings (一、…).
    pub fn adhoc(&self) -> bool {
        has_adhoc_heading(&self.statute.body.nodes)
    }
}

/// The chosen statutes and the material mutations borrow from them.
#[derive(Debug)]
pub struct Corpus {
    /// The statutes pairs are generated from: pair `i` mutates `sources[i % sources.len()]`.
    pub sources: Vec<Source>,
    /// Documents of numbered points (决定, 修正案), re-formatted by one pair in ten.
    pub acts: Vec<Source>,
    /// Whole articles to insert elsewhere: (source, paragraphs).
    pub(crate) donor_articles: Vec<(usize, Vec<Para>)>,
    /// Plain paragraphs (款) to add to articles.
    pub(crate) donor_paras: Vec<(usize, String)>,
    /// Item (项) texts without marker.
    pub(crate) donor_items: Vec<(usize, String)>,
    /// Running CJK text (no punctuation, no 第/条) to cut edit snippets from.
    pub(crate) pool: Vec<char>,
    /// Per source, per article: the clauses of its text (see `clauses`), the phrases
    /// `rewrite` and `template-insert` borrow from the same statute.
    pub(crate) phrases: Vec<Vec<Vec<Vec<char>>>>,
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

/// Documents of numbered points taken from the corpus.
pub const ACTS: usize = 40;

/// Up to `want` documents of three or more numbered points (一、二、…) and nothing else the
/// re-formatting does not model (annexes, footnotes, headings), in the order of `list`.
fn acts(dir: &Path, list: &[PathBuf], want: usize) -> Vec<Source> {
    let mut out = Vec::new();
    for f in list {
        if out.len() >= want {
            break;
        }
        // A cheap test before parsing: a line that opens with 一、.
        let Ok(text) = std::fs::read_to_string(f) else {
            continue;
        };
        if !text
            .lines()
            .any(|l| l.trim_start_matches(['#', ' ']).starts_with("一、"))
        {
            continue;
        }
        let Ok(parsed) = parse_file(f) else { continue };
        let s = parsed.statute;
        let arts = s.articles();
        let b = &s.body;
        let ok = arts.len() >= 3
            && arts
                .iter()
                .all(|a| matches!(a.article.num, UnitNum::Point(_)) && a.path.is_empty())
            && b.annexes.is_empty()
            && b.footnotes.is_empty()
            && b.notes.is_empty()
            && b.toc.is_empty()
            && b.title_line.is_none()
            && !s.body_text().chars().any(circled)
            && check(&s).is_empty();
        if ok {
            out.push(Source {
                name: f.strip_prefix(dir).unwrap_or(f).display().to_string(),
                path: f.clone(),
                statute: s,
            });
        }
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

impl Corpus {
    /// Picks statutes deterministically from the corpus at `dir`: one file per statute folder
    /// (its latest version), every k-th folder of the sorted `multi/` and `single/` lists,
    /// until `want` qualify; among them up to `ADHOC_STATUTES` with ad-hoc headings, every
    /// k-th of the 司法解释 that have them. Files that cannot be read or parsed are passed
    /// over; a missing corpus gives an empty one.
    pub fn load(dir: &Path, want: usize) -> Corpus {
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
            if want == 0 {
                return;
            }
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
                    sources.push(Source {
                        name,
                        path: f.clone(),
                        statute: s,
                    });
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
            if src.adhoc() {
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
        let mut c = Corpus::from_sources(sources);
        c.acts = acts(dir, &list, ACTS);
        c
    }

    /// A corpus of these statutes, with the donor material collected from them. `load` gives
    /// it statutes the mutations model (15–400 articles of clean numbering, no annexes or
    /// footnotes); `generate` refuses a statute without articles.
    pub fn from_sources(sources: Vec<Source>) -> Corpus {
        let mut c = Corpus {
            sources,
            acts: Vec::new(),
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
                    if pi > 0
                        && p.items.is_empty()
                        && (15..=200).contains(&n)
                        && p.text.contains('。')
                    {
                        c.donor_paras.push((si, p.text.clone()));
                    }
                    for it in &p.items {
                        let n = it.text.chars().count();
                        if it.subitems.is_empty()
                            && (6..=80).contains(&n)
                            && sentence_like(&it.text)
                        {
                            c.donor_items.push((si, it.text.clone()));
                        }
                    }
                }
            }
            c.phrases.push(phrases);
        }
        c
    }

    /// How much donor material was collected: (whole articles, 款, 项).
    pub fn donor_counts(&self) -> (usize, usize, usize) {
        (
            self.donor_articles.len(),
            self.donor_paras.len(),
            self.donor_items.len(),
        )
    }
}
