//! Mutation benchmark for the differ (the generator and scorer are the `statute-eval` crate):
//! real statutes from the shared corpus get random amendments whose effect is known, are
//! rendered and parsed back as a user would feed them, and the differ's `ChangeSet` is scored
//! against that ground truth.
//!
//! `cargo test --test it mutation -- --nocapture` prints the score table and the first wrong
//! pairs (old side: the corpus file named). `STATUTE_MUTATION_PAIRS` sets the number of
//! generated pairs; `STATUTE_MUTATION_SHOW` the number of wrong pairs printed (10);
//! `STATUTE_MUTATION_DUMP=dir` writes the new version of every wrong pair to
//! `dir/<pair>-new.md`. `statute-eval score` prints the same table.

use std::collections::BTreeSet;
use std::path::{Path, PathBuf};
use std::time::Instant;

use statute::check::check;
use statute::diff::diff;
use statute::parse::parse_str;
use statute_eval::corpus::STATUTES;
use statute_eval::generate::{MAX_DONOR_SIMILARITY, reflow};
use statute_eval::render::{render, same_units};
use statute_eval::text::{bigrams, dice, fold, fold_refs};
use statute_eval::{Corpus, DEFAULT_PAIRS, Format, Pair, Score, Timings, Truth, generate};

use crate::common::corpus;

fn pairs_wanted() -> usize {
    std::env::var("STATUTE_MUTATION_PAIRS")
        .ok()
        .and_then(|v| v.trim().parse().ok())
        .unwrap_or(DEFAULT_PAIRS)
}

fn pair(c: &Corpus, index: usize) -> Pair {
    generate(c, index).unwrap_or_else(|e| panic!("{e}"))
}

#[test]
fn differ_recovers_known_amendments() {
    let Some(dir) = corpus() else { return };
    let start = Instant::now();
    let c = Corpus::load(&dir, STATUTES);
    assert!(
        c.sources.len() >= 60,
        "only {} statutes qualify for the mutation benchmark",
        c.sources.len()
    );
    let loaded = start.elapsed();
    let pairs: Vec<Pair> = (0..pairs_wanted()).map(|i| pair(&c, i)).collect();
    let generated = start.elapsed();

    // Where to write the new versions of wrong pairs, to run `statute diff` on them.
    let dump = std::env::var_os("STATUTE_MUTATION_DUMP").map(PathBuf::from);
    if let Some(d) = &dump {
        std::fs::create_dir_all(d).expect("create STATUTE_MUTATION_DUMP directory");
    }
    let mut score = Score::new(dump);
    for p in &pairs {
        let (Some(source), Some(old)) = (p.source(&c), p.old(&c)) else {
            panic!("pair {}: no source", p.index)
        };
        let cs = diff(old, &p.new);
        score.add(source, p, &cs);
    }
    let diffed = start.elapsed();

    let timings = Timings {
        load: loaded,
        generate: generated - loaded,
        diff: diffed - generated,
    };
    let show = std::env::var("STATUTE_MUTATION_SHOW")
        .ok()
        .and_then(|v| v.trim().parse().ok())
        .unwrap_or(10);
    eprint!("{}", score.report(&c, &timings, show));

    let coverage_problems = score.coverage_problems();
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
    // link precision 0.999, link recall 0.998, added F1, deleted F1 and kind accuracy 0.99,
    // pairs entirely right 0.90 (`statute_eval::score::TARGETS`).
    let failed = score.metrics().below_target();
    assert!(failed.is_empty(), "below target: {}", failed.join(", "));
}

// ---------------------------------------------------------------------------------------------
// The generator's own sanity, without the differ

#[test]
fn mutation_generator_is_consistent() {
    let Some(dir) = corpus() else { return };
    let c = Corpus::load(&dir, STATUTES);
    assert!(
        c.sources.len() >= 60,
        "only {} statutes qualify",
        c.sources.len()
    );
    let (donor_articles, donor_paras, donor_items) = c.donor_counts();
    assert!(donor_articles > 1000 && donor_paras > 200 && donor_items > 200);

    // Flattening and the three renderings reproduce the originals.
    for src in c.sources.iter().take(25) {
        let s = &src.statute;
        assert_eq!(
            reflow(&s.body.nodes),
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

    // The cross-reference rewriter is checked by the unit tests of `statute_eval::refs`.

    // Generated pairs: truth accounts for every unit, texts agree with it.
    let mut ops_seen: BTreeSet<String> = BTreeSet::new();
    let mut formats_seen = BTreeSet::new();
    for i in 0..160 {
        let p = pair(&c, i);
        let (Some(source), Some(old)) = (p.source(&c), p.old(&c)) else {
            panic!("pair {i}: no source")
        };
        let old_arts = old.articles();
        let new_arts = p.new.articles();
        let ctx = format!("pair {i} ({}, {:?})", source.name, p.log);
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
                    // Splits make two or three articles; a numbered point written as plain
                    // paragraphs makes one unit of each.
                    assert!(pieces.len() >= 2 && (p.act || pieces.len() <= 3), "{ctx}");
                    assert_eq!(
                        fold_refs(&pieces.join("\n")),
                        fold_refs(&old_arts[*o].article.text()),
                        "{ctx}"
                    );
                }
                Truth::MergedFrom(v) => {
                    // In the old order, or (a distant merge placed at the later article) the
                    // later one first.
                    let mut joined: Vec<String> =
                        v.iter().map(|&o| old_arts[o].article.text()).collect();
                    let forward = fold_refs(&joined.join("\n"));
                    joined.reverse();
                    let backward = fold_refs(&joined.join("\n"));
                    let new = fold_refs(&new_text);
                    assert!(new == forward || new == backward, "{ctx}");
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
            assert_eq!(pair(&c, i).text, p.text, "{ctx}: not deterministic");
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
        "far-move-edit",
        "merge-distant",
        "regroup",
        "reformat:list-markers",
        "reformat:heading-markup",
        "reformat:header-into-body",
        "reformat:notes",
        "reformat:points-unnumbered",
        "reformat:points-numbered",
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
