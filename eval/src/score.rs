//! Scoring: a differ's `ChangeSet` for a generated pair against the pair's truth (links,
//! added and deleted units, entry kinds, the substantive flag, moves), summed over a run, and
//! the score table the benchmark prints.

use std::collections::{BTreeMap, BTreeSet, HashMap};
use std::fmt::{self, Write as _};
use std::path::PathBuf;
use std::time::Duration;

use statute::Statute;
use statute::diff::{ChangeSet, EntryKind, chars};

use crate::corpus::{Corpus, Source};
use crate::text::words;
use crate::truth::{Pair, Truth};

/// The benchmark's targets: a run passes when no metric is below its target.
pub const TARGETS: [(&str, f64); 8] = [
    ("link precision", 0.999),
    ("link recall", 0.998),
    ("added F1", 0.99),
    ("deleted F1", 0.99),
    ("kind accuracy", 0.99),
    ("pairs entirely right", 0.97),
    // A share of entries that are not false amendments: 1 means none is.
    ("no false amendment", 1.0),
    ("re-formatted copies unamended", 1.0),
];

/// The counts of a benchmark run, pair by pair (`Score::add`), and what went wrong.
#[derive(Debug, Default)]
pub struct Score {
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
    /// Per mutation name: (pairs with it, pairs entirely right).
    per_op: BTreeMap<String, (usize, usize)>,
    /// Pairs whose `ChangeSet` breaks the coverage invariant (see `coverage`).
    coverage_problems: Vec<String>,
    /// The wrong pairs, as the report lists them.
    wrong_pairs: Vec<String>,
    /// Mutation sets redrawn over all pairs.
    regenerated: usize,
    /// Where to write the new versions of wrong pairs.
    dump: Option<PathBuf>,
    /// Entries reported substantive with the same words on both sides (`false_amendments`).
    false_amendments: usize,
    /// Pairs whose mutations only re-format the text, and those of them reported with a
    /// substantive change.
    formal_pairs: usize,
    formal_pairs_wrong: usize,
}

/// The ratios of a run.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct Metrics {
    pub link_precision: f64,
    pub link_recall: f64,
    pub added_f1: f64,
    pub deleted_f1: f64,
    pub kind_accuracy: f64,
    pub substantive_accuracy: f64,
    pub moved_recall: f64,
    pub pairs_right: f64,
    /// 1 when no entry is a false amendment; below 1 otherwise (1 − count / entries scored).
    pub no_false_amendment: f64,
    /// Pairs that only re-format the text reported with no substantive change, over all such.
    pub formal_unamended: f64,
}

impl Metrics {
    /// The metrics below their `TARGETS`, e.g. "added F1 0.9812 < 0.99"; empty when the run
    /// passes.
    pub fn below_target(&self) -> Vec<String> {
        let values = [
            self.link_precision,
            self.link_recall,
            self.added_f1,
            self.deleted_f1,
            self.kind_accuracy,
            self.pairs_right,
            self.no_false_amendment,
            self.formal_unamended,
        ];
        TARGETS
            .iter()
            .zip(values)
            .filter(|&(&(_, target), v)| v < target)
            .map(|(&(name, target), v)| format!("{name} {v:.4} < {target}"))
            .collect()
    }
}

/// How long the stages of a run took, for the report's first line.
#[derive(Debug, Clone, Copy, Default)]
pub struct Timings {
    pub load: Duration,
    pub generate: Duration,
    pub diff: Duration,
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

/// The mutation names in a pair's log ("edit", "para+", "delete", …).
fn op_names(log: &[String]) -> BTreeSet<String> {
    log.iter()
        .filter_map(|l| l.split(' ').next())
        .map(String::from)
        .collect()
}

/// Entries reported substantive whose two sides have the same [`words`]: false amendments,
/// the one error users will not forgive. Added and deleted units are not counted (one side
/// is empty).
pub fn false_amendments(cs: &ChangeSet) -> Vec<String> {
    let labels = |v: &[statute::diff::UnitRef]| {
        v.iter()
            .map(|u| u.label.as_str())
            .collect::<Vec<_>>()
            .join("、")
    };
    cs.entries
        .iter()
        .filter(|e| e.substantive && !matches!(e.kind, EntryKind::Added | EntryKind::Deleted))
        .filter(|e| words(&chars::old_text(&e.diff)) == words(&chars::new_text(&e.diff)))
        .map(|e| format!("{}→{} {}", labels(&e.old), labels(&e.new), e.kind.as_str()))
        .collect()
}

/// Mutations that change how the text is written, not what it says: a pair of these alone
/// must be reported with no substantive change at all.
fn formal_op(name: &str) -> bool {
    matches!(name, "noise" | "regroup") || name.starts_with("reformat:")
}

/// Every old unit in exactly one entry's `old`, every new unit in exactly one entry's `new`.
pub fn coverage(cs: &ChangeSet, n_old: usize, n_new: usize) -> Vec<String> {
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

/// Scores one pair into the counts of `s`; returns what was wrong (empty when the pair is
/// entirely right).
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
                    let old_text = old_arts
                        .get(o)
                        .map(|a| a.article.text())
                        .unwrap_or_default();
                    let new_text = new_arts
                        .get(n)
                        .map(|a| a.article.text())
                        .unwrap_or_default();
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
    let false_amendments = false_amendments(cs);
    s.false_amendments += false_amendments.len();
    if !false_amendments.is_empty() {
        wrong.push(format!("false amendments: {}", false_amendments.join(", ")));
    }
    // Mutations that only re-format: nothing may be reported substantive, neither an entry
    // nor a heading nor text outside the units.
    if !pair.log.is_empty() && op_names(&pair.log).iter().all(|op| formal_op(op)) {
        s.formal_pairs += 1;
        if cs.has_substantive_changes() {
            s.formal_pairs_wrong += 1;
            let what: Vec<String> = cs
                .entries
                .iter()
                .filter(|e| e.substantive)
                .map(|e| {
                    format!(
                        "{:?}→{:?} {}",
                        e.old.iter().map(|u| &u.label).collect::<Vec<_>>(),
                        e.new.iter().map(|u| &u.label).collect::<Vec<_>>(),
                        e.kind.as_str()
                    )
                })
                .chain(
                    cs.texts
                        .iter()
                        .filter(|t| t.substantive)
                        .map(|t| format!("text {:?}", t.path)),
                )
                .chain(
                    cs.headings
                        .iter()
                        .map(|h| format!("heading {}", h.kind.as_str())),
                )
                .collect();
            wrong.push(format!(
                "a re-formatted copy reported as amended: {}",
                what.join(", ")
            ));
        }
    }
    s.pairs += 1;
    if wrong.is_empty() {
        s.pairs_right += 1;
    }
    wrong
}

impl Score {
    /// An empty score; with `dump`, `add` writes the new version of every wrong pair to
    /// `dump/<pair>-new.md` (the directory must exist) and the report names the file.
    pub fn new(dump: Option<PathBuf>) -> Score {
        Score {
            dump,
            ..Score::default()
        }
    }

    /// Scores one pair: `source` is the file it was made from (`pair.source(corpus)`), its old
    /// side unless `pair.old` holds another, and `cs` the
    /// differ's `ChangeSet` from it to `pair.new`. Returns what was wrong, empty when the pair
    /// is entirely right.
    pub fn add(&mut self, source: &Source, pair: &Pair, cs: &ChangeSet) -> Vec<String> {
        let old = pair.old.as_ref().unwrap_or(&source.statute);
        let cov = coverage(cs, old.articles().len(), pair.new.articles().len());
        if !cov.is_empty() {
            self.coverage_problems.push(format!(
                "pair {} ({}): {}",
                pair.index,
                source.name,
                cov.iter().take(5).cloned().collect::<Vec<_>>().join("; ")
            ));
        }
        let wrong = evaluate(old, pair, cs, self);
        for op in op_names(&pair.log) {
            let e = self.per_op.entry(op).or_default();
            e.0 += 1;
            if wrong.is_empty() {
                e.1 += 1;
            }
        }
        if !wrong.is_empty() {
            let dumped = self.dump.as_ref().map_or(String::new(), |d| {
                let path = d.join(format!("{}-new.md", pair.index));
                match std::fs::write(&path, &pair.text) {
                    Ok(()) => format!("\n    new version: {}", path.display()),
                    Err(e) => format!("\n    cannot write {}: {e}", path.display()),
                }
            });
            self.wrong_pairs.push(format!(
                "#{} {} [{}] {}\n    {}{dumped}",
                pair.index,
                source.name,
                pair.format.as_str(),
                pair.log.join("; "),
                wrong.join("\n    ")
            ));
        }
        self.regenerated += pair.regenerated;
        wrong
    }

    /// Pairs scored so far.
    pub fn pairs(&self) -> usize {
        self.pairs
    }

    /// Pairs entirely right so far.
    pub fn pairs_right(&self) -> usize {
        self.pairs_right
    }

    /// One line per pair whose `ChangeSet` broke the coverage invariant.
    pub fn coverage_problems(&self) -> &[String] {
        &self.coverage_problems
    }

    /// The wrong pairs, as the report lists them: index, source, format, mutation log, and
    /// what was wrong.
    pub fn wrong_pairs(&self) -> &[String] {
        &self.wrong_pairs
    }

    pub fn metrics(&self) -> Metrics {
        Metrics {
            link_precision: ratio(self.hit_links, self.pred_links),
            link_recall: ratio(self.hit_links, self.truth_links),
            added_f1: f1(self.added_hit, self.added_truth, self.added_pred),
            deleted_f1: f1(self.deleted_hit, self.deleted_truth, self.deleted_pred),
            kind_accuracy: ratio(self.kind_ok, self.kind_total),
            substantive_accuracy: ratio(self.subst_ok, self.subst_total),
            moved_recall: ratio(self.moved_hit, self.moved_total),
            pairs_right: ratio(self.pairs_right, self.pairs),
            no_false_amendment: 1.0
                - ratio(self.false_amendments, self.kind_total.max(1)).min(1.0)
                    * (self.false_amendments > 0) as usize as f64,
            formal_unamended: ratio(
                self.formal_pairs - self.formal_pairs_wrong,
                self.formal_pairs,
            ),
        }
    }

    /// The score table: a line on the run (pairs, statutes used from `corpus`, timings), the
    /// metrics with their targets and counts, the first substantive-flag disagreements, the
    /// share of entirely right pairs per mutation, and the first `show` wrong pairs.
    pub fn report(&self, corpus: &Corpus, timings: &Timings, show: usize) -> String {
        let mut out = String::new();
        // Writing to a String cannot fail.
        let _ = self.write_report(&mut out, corpus, timings, show);
        out
    }

    fn write_report(
        &self,
        out: &mut String,
        c: &Corpus,
        timings: &Timings,
        show: usize,
    ) -> fmt::Result {
        let s = self;
        let m = self.metrics();
        let used = &c.sources[..c.sources.len().min(s.pairs)];
        writeln!(
            out,
            "\nmutation benchmark: {} pairs from {} statutes ({} with ad-hoc headings); load {:.1?}, generate {:.1?}, diff {:.1?}",
            s.pairs,
            used.len(),
            used.iter().filter(|s| s.adhoc()).count(),
            timings.load,
            timings.generate,
            timings.diff
        )?;
        if s.regenerated > 0 {
            writeln!(
                out,
                "  {} mutation sets were redrawn because their truth would be ambiguous",
                s.regenerated
            )?;
        }
        writeln!(
            out,
            "  {:<24} {:>8} {:>8}  counts",
            "metric", "value", "target"
        )?;
        let mut row = |name: &str, v: f64, target: &str, counts: String| {
            writeln!(out, "  {name:<24} {v:>8.4} {target:>8}  {counts}")
        };
        row(
            "link precision",
            m.link_precision,
            "0.999",
            format!("{}/{}", s.hit_links, s.pred_links),
        )?;
        row(
            "link recall",
            m.link_recall,
            "0.998",
            format!("{}/{}", s.hit_links, s.truth_links),
        )?;
        row(
            "added F1",
            m.added_f1,
            "0.99",
            format!(
                "hit {} truth {} predicted {}",
                s.added_hit, s.added_truth, s.added_pred
            ),
        )?;
        row(
            "deleted F1",
            m.deleted_f1,
            "0.99",
            format!(
                "hit {} truth {} predicted {}",
                s.deleted_hit, s.deleted_truth, s.deleted_pred
            ),
        )?;
        row(
            "kind accuracy",
            m.kind_accuracy,
            "0.99",
            format!("{}/{}", s.kind_ok, s.kind_total),
        )?;
        row(
            "substantive accuracy",
            m.substantive_accuracy,
            "-",
            format!("{}/{} modified links", s.subst_ok, s.subst_total),
        )?;
        row(
            "moved recall",
            m.moved_recall,
            "-",
            format!(
                "{}/{}; {} other entries flagged moved",
                s.moved_hit, s.moved_total, s.moved_other
            ),
        )?;
        row(
            "pairs entirely right",
            m.pairs_right,
            "0.97",
            format!("{}/{}", s.pairs_right, s.pairs),
        )?;
        row(
            "no false amendment",
            m.no_false_amendment,
            "1",
            format!(
                "{} false amendments (substantive entries whose two sides have the same words)",
                s.false_amendments
            ),
        )?;
        row(
            "re-formatted unamended",
            m.formal_unamended,
            "1",
            format!(
                "{}/{} pairs that only re-format the text",
                s.formal_pairs - s.formal_pairs_wrong,
                s.formal_pairs
            ),
        )?;
        if !s.subst_wrong.is_empty() {
            writeln!(out, "  first substantive-flag disagreements (report only):")?;
            for w in s.subst_wrong.iter().take(5) {
                writeln!(out, "    {w}")?;
            }
        }
        writeln!(out, "  pairs with each mutation (entirely right / total):")?;
        for (op, (total, ok)) in &s.per_op {
            writeln!(
                out,
                "    {op:<14} {ok:>4}/{total:<4} {:.3}",
                ratio(*ok, *total)
            )?;
        }
        if !s.wrong_pairs.is_empty() {
            writeln!(
                out,
                "  first wrong pairs ({} of {}):",
                s.wrong_pairs.len().min(show),
                s.wrong_pairs.len()
            )?;
            for w in s.wrong_pairs.iter().take(show) {
                writeln!(out, "  {w}")?;
            }
        }
        Ok(())
    }
}
