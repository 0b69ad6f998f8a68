//! From an alignment to entries: kind, renumbered/moved/substantive flags, line and
//! character diffs, heading changes and the summary.

use super::chars::{self, Op, Segment};
use super::headings::Divisions;
use super::lines::{self, UnitLine};
use super::{ChangeSet, Entry, EntryKind, LineOp, Summary, UnitRef, VersionInfo};
use crate::align::{Alignment, Prepared};
use crate::model::{ArticleRef, Statute};

pub(crate) fn build(
    old: &Statute,
    new: &Statute,
    alignment: &Alignment,
    (op, np): (&[Prepared], &[Prepared]),
    threads: usize,
) -> ChangeSet {
    let oa = old.articles();
    let na = new.articles();
    let oids = super::headings::flatten(old);
    let nids = super::headings::flatten(new);
    let (headings, div_map) = super::headings::diff(&oids.flat, &nids.flat);
    // Heading texts, once per division.
    let oh: Vec<String> = oids.flat.iter().map(|f| f.div.heading()).collect();
    let nh: Vec<String> = nids.flat.iter().map(|f| f.div.heading()).collect();

    // Old → new numbers of units that survive as the same unit (for cross-references).
    let mut refs = crate::normalize::Renumbering::default();
    for g in &alignment.groups {
        // A split unit is cited by its first part; merged units by the merged one.
        if let Some(&j) = g.new.first() {
            for &i in &g.old {
                refs.insert(oa[i].article.num, na[j].article.num);
            }
        }
    }

    let in_sequence = longest_increasing(alignment);
    let ctx = Context {
        old,
        new,
        oa: &oa,
        na: &na,
        op,
        np,
        oids: &oids,
        nids: &nids,
        oh: &oh,
        nh: &nh,
        div_map: &div_map,
        refs: &refs,
        in_sequence: &in_sequence,
    };
    let groups = &alignment.groups;
    // Entries are independent: with several threads, each takes a contiguous share.
    let entries: Vec<Entry> = if threads > 1 && groups.len() >= 64 {
        let chunk = groups.len().div_ceil(threads);
        std::thread::scope(|s| {
            let handles: Vec<_> = groups
                .chunks(chunk)
                .enumerate()
                .map(|(c, part)| {
                    let ctx = &ctx;
                    s.spawn(move || {
                        part.iter()
                            .enumerate()
                            .map(|(k, g)| ctx.entry(c * chunk + k, g))
                            .collect::<Vec<Entry>>()
                    })
                })
                .collect();
            handles
                .into_iter()
                .flat_map(|h| match h.join() {
                    Ok(v) => v,
                    Err(panic) => std::panic::resume_unwind(panic),
                })
                .collect()
        })
    } else {
        groups
            .iter()
            .enumerate()
            .map(|(gi, g)| ctx.entry(gi, g))
            .collect()
    };

    let mut entries = entries;
    moved_out_of_units(old, new, (&oa, &na), &mut entries);
    let mut summary = Summary::default();
    for e in &entries {
        match e.kind {
            EntryKind::Unchanged => summary.unchanged += 1,
            EntryKind::Modified => summary.modified += 1,
            EntryKind::Added => summary.added += 1,
            EntryKind::Deleted => summary.deleted += 1,
            EntryKind::Split => summary.split += 1,
            EntryKind::Merged => summary.merged += 1,
        }
        summary.renumbered += e.renumbered as usize;
        summary.moved += e.moved as usize;
        summary.substantive += e.substantive as usize;
        summary.formal += (e.kind == EntryKind::Modified && !e.substantive) as usize;
        summary.restructured += e.restructured as usize;
    }
    ChangeSet {
        old: info(old, oa.len()),
        new: info(new, na.len()),
        entries,
        headings,
        texts: super::texts::diff(old, new, (op, np)),
        notes: super::notes::diff(old, new),
        summary,
    }
}

/// What every entry's classification reads.
struct Context<'a, 's> {
    old: &'s Statute,
    new: &'s Statute,
    oa: &'a [ArticleRef<'s>],
    na: &'a [ArticleRef<'s>],
    /// The units as the aligner prepared them: their formal text, line by line.
    op: &'a [Prepared],
    np: &'a [Prepared],
    oids: &'a Divisions<'s>,
    nids: &'a Divisions<'s>,
    oh: &'a [String],
    nh: &'a [String],
    div_map: &'a [Option<usize>],
    refs: &'a crate::normalize::Renumbering,
    in_sequence: &'a [bool],
}

impl<'a> Context<'a, '_> {
    /// The entry of group `gi`.
    fn entry(&self, gi: usize, g: &crate::align::Group) -> Entry {
        let old_refs: Vec<UnitRef> = g
            .old
            .iter()
            .map(|&i| unit_ref(self.old, &self.oa[i], i, self.oids, self.oh))
            .collect();
        let new_refs: Vec<UnitRef> = g
            .new
            .iter()
            .map(|&j| unit_ref(self.new, &self.na[j], j, self.nids, self.nh))
            .collect();
        let mut ol: Vec<UnitLine> = Vec::new();
        for (k, &i) in g.old.iter().enumerate() {
            lines::unit_lines(self.oa[i].article, k, &mut ol);
        }
        let mut nl: Vec<UnitLine> = Vec::new();
        for (k, &j) in g.new.iter().enumerate() {
            lines::unit_lines(self.na[j].article, k, &mut nl);
        }
        // The lines' formal forms, from the aligner's.
        let norms = |ids: &[usize], units: &'a [Prepared]| -> Vec<&'a str> {
            ids.iter()
                .flat_map(|&i| (0..units[i].line_ends.len()).map(move |k| units[i].line(k)))
                .collect()
        };
        // The aligner records a line for every item at any depth, the lines here go two
        // levels deep, as the parser does: a model built otherwise (through the library) is
        // normalised line by line instead.
        let own = |ls: &[UnitLine<'_>]| -> Vec<String> {
            ls.iter()
                .map(|l| crate::normalize::normalize(&l.text))
                .collect()
        };
        let (own_o, own_n): (Vec<String>, Vec<String>);
        let (mut on, mut nn) = (norms(&g.old, self.op), norms(&g.new, self.np));
        // Each line's unit and its index there, whose bigram hashes the line's are.
        let sources = |ids: &[usize], units: &'a [Prepared]| -> Vec<(&'a Prepared, usize)> {
            ids.iter()
                .flat_map(|&i| (0..units[i].line_ends.len()).map(move |k| (&units[i], k)))
                .collect()
        };
        let (old_own, new_own) = (on.len() != ol.len(), nn.len() != nl.len());
        if old_own {
            own_o = own(&ol);
            on = own_o.iter().map(String::as_str).collect();
        }
        if new_own {
            own_n = own(&nl);
            nn = own_n.iter().map(String::as_str).collect();
        }
        let kind = match (g.old.len(), g.new.len()) {
            (0, _) => EntryKind::Added,
            (_, 0) => EntryKind::Deleted,
            (1, 1) => {
                // Same paragraphs and items, compared in place (no joined copies).
                if self.oa[g.old[0]].article.paras == self.na[g.new[0]].article.paras {
                    EntryKind::Unchanged
                } else {
                    EntryKind::Modified
                }
            }
            (1, _) => EntryKind::Split,
            _ => EntryKind::Merged,
        };
        let line_changes = match kind {
            EntryKind::Unchanged => ol
                .iter()
                .zip(&nl)
                .map(|(o, n)| super::LineChange {
                    op: LineOp::Equal,
                    old: Some(o.at),
                    new: Some(n.at),
                    diff: chars::diff(&o.text, &n.text),
                    substantive: false,
                })
                .collect(),
            _ => {
                // Two one-line units: the aligner's similarity of the units is the lines'.
                let whole = (kind == EntryKind::Modified && ol.len() == 1 && nl.len() == 1)
                    .then_some(g.similarity);
                let os = if old_own {
                    Vec::new()
                } else {
                    sources(&g.old, self.op)
                };
                let ns = if new_own {
                    Vec::new()
                } else {
                    sources(&g.new, self.np)
                };
                lines::diff_lines(&ol, &nl, (&on, &nn), (&os, &ns), self.refs, whole)
            }
        };
        let substantive = match kind {
            EntryKind::Unchanged => false,
            EntryKind::Added | EntryKind::Deleted => true,
            // One line paired with one: its own formal test is the whole unit's.
            EntryKind::Modified if line_changes.len() == 1 && ol.len() == 1 && nl.len() == 1 => {
                line_changes[0].substantive
            }
            // Text that only moved across paragraph breaks is formal too.
            EntryKind::Modified => {
                line_changes.iter().any(|l| l.substantive)
                    && !lines::formal(&ol, &nl, (&on, &nn), self.refs)
            }
            EntryKind::Split | EntryKind::Merged => {
                !lines::formal(&ol, &nl, (&on, &nn), self.refs)
                    && !lines::same_sentences(&ol, &nl, self.refs)
            }
        };
        // Points numbered in one version and plain paragraphs in the other: the numbering
        // changed, not the number.
        let same_scheme = match (old_refs.first(), new_refs.first()) {
            (Some(o), Some(n)) => std::mem::discriminant(&o.num) == std::mem::discriminant(&n.num),
            _ => true,
        };
        let renumbered = match (old_refs.first(), new_refs.first()) {
            (Some(o), Some(n)) => same_scheme && o.num != n.num,
            _ => false,
        };
        let restructured = !substantive
            && match kind {
                EntryKind::Unchanged => !same_scheme,
                EntryKind::Split | EntryKind::Merged => true,
                EntryKind::Modified => !same_scheme || lines::regrouped(&line_changes, &ol, &nl),
                // Decided with the other version's header and closing lines (see `build`).
                EntryKind::Added | EntryKind::Deleted => false,
            };
        let moved = match (g.old.first(), g.new.first()) {
            (Some(&i), Some(&j)) => {
                let od = self.oids.of_unit[i];
                let nd = self.nids.of_unit[j];
                let div_moved = match (od, nd) {
                    (None, None) => false,
                    (Some(o), Some(n)) => self.div_map[o] != Some(n),
                    _ => true,
                };
                div_moved || !self.in_sequence[gi]
            }
            _ => false,
        };
        let diff = match kind {
            // Text redistributed over units reads best as one character diff of the joined
            // texts: a split shows where the break came, not a deleted and an added line.
            EntryKind::Split | EntryKind::Merged => {
                let join = |ls: &[UnitLine<'_>]| {
                    ls.iter()
                        .map(|l| l.text.as_ref())
                        .collect::<Vec<&str>>()
                        .join("\n")
                };
                chars::diff(&join(&ol), &join(&nl))
            }
            _ => entry_diff(&line_changes),
        };
        Entry {
            kind,
            old: old_refs,
            new: new_refs,
            renumbered,
            moved,
            substantive,
            restructured,
            similarity: g.similarity,
            lines: line_changes,
            diff,
        }
    }
}

/// Added and deleted units whose wording stands outside the units of the other version — in
/// its 题注 or header lines, its closing lines, or free text — moved in or out of the units
/// (one source carries 本修正案自公布之日起施行 as a header line, another as the last
/// point): restructured, not substantive.
fn moved_out_of_units(
    old: &Statute,
    new: &Statute,
    (oa, na): (&[ArticleRef<'_>], &[ArticleRef<'_>]),
    entries: &mut [Entry],
) {
    let lonely = |k: EntryKind| entries.iter().any(|e| e.kind == k);
    if !lonely(EntryKind::Added) && !lonely(EntryKind::Deleted) {
        return;
    }
    let (old_outside, new_outside) = (outside_wording(old), outside_wording(new));
    // No unit longer than the longest line outside the units can be one of them.
    let longest = |set: &std::collections::HashSet<String>| set.iter().map(String::len).max();
    let (old_max, new_max) = (longest(&old_outside), longest(&new_outside));
    for e in entries.iter_mut() {
        let (unit, other, max) = match e.kind {
            EntryKind::Added => (
                e.new.first().and_then(|u| na.get(u.index)),
                &old_outside,
                old_max,
            ),
            EntryKind::Deleted => (
                e.old.first().and_then(|u| oa.get(u.index)),
                &new_outside,
                new_max,
            ),
            _ => continue,
        };
        let (Some(unit), Some(max)) = (unit, max) else {
            continue;
        };
        let text = unit.article.text();
        if text.len() > 2 * max + 64 {
            continue;
        }
        let words: String = crate::normalize::wording(&text).collect();
        if !words.is_empty() && other.contains(&words) {
            e.substantive = false;
            e.restructured = true;
        }
    }
}

/// The wording of each line that stands outside the units: the 题注 entries, the title
/// printed again, free text, closing lines and annex titles.
fn outside_wording(s: &Statute) -> std::collections::HashSet<String> {
    let mut lines: Vec<&str> = s.meta.history.iter().map(|e| e.text.as_str()).collect();
    lines.extend(s.body.title_line.as_deref());
    lines.extend(s.body.closing.iter().map(String::as_str));
    lines.extend(s.body.annexes.iter().map(|a| a.title.as_str()));
    let mut paras = Vec::new();
    free_paras(&s.body.nodes, &mut paras);
    for a in &s.body.annexes {
        free_paras(&a.children, &mut paras);
    }
    lines.extend(paras.iter().map(|p| p.text.as_str()));
    lines
        .into_iter()
        .map(|l| crate::normalize::wording(l).collect::<String>())
        .filter(|w| !w.is_empty())
        .collect()
}

fn free_paras<'s>(nodes: &'s [crate::model::Node], out: &mut Vec<&'s crate::model::Para>) {
    for n in nodes {
        match n {
            crate::model::Node::Para(p) => out.push(p),
            crate::model::Node::Division(d) => free_paras(&d.children, out),
            crate::model::Node::Article(_) => {}
        }
    }
}

fn info(s: &Statute, units: usize) -> VersionInfo {
    VersionInfo {
        title: s.meta.title.clone(),
        version_date: s.meta.version_date,
        units,
    }
}

fn unit_ref(
    s: &Statute,
    a: &ArticleRef<'_>,
    index: usize,
    ids: &Divisions<'_>,
    headings: &[String],
) -> UnitRef {
    let mut path: Vec<String> = ids.enclosing(index).map(|k| headings[k].clone()).collect();
    path.reverse();
    debug_assert_eq!(path.len(), a.path.len());
    UnitRef {
        index,
        num: a.article.num,
        label: a.label(s),
        path,
        annex: a.annex,
    }
}

/// The whole-unit diff: line diffs joined by newlines.
fn entry_diff(lines: &[super::LineChange]) -> Vec<Segment> {
    let mut out: Vec<Segment> = Vec::new();
    let mut old_first = true;
    let mut new_first = true;
    for l in lines {
        // A newline belongs to a side when that side has a line before and this one.
        let in_old = l.old.is_some();
        let in_new = l.new.is_some();
        match (in_old && !old_first, in_new && !new_first) {
            (true, true) => chars::push(&mut out, Op::Equal, "\n"),
            (true, false) => chars::push(&mut out, Op::Delete, "\n"),
            (false, true) => chars::push(&mut out, Op::Insert, "\n"),
            (false, false) => {}
        }
        for s in &l.diff {
            chars::push(&mut out, s.op, &s.text);
        }
        old_first &= !in_old;
        new_first &= !in_new;
    }
    out
}

/// Whether each group's pairing keeps the order of the others (longest increasing
/// subsequence of old indices in new order); add/delete groups count as in sequence.
fn longest_increasing(a: &Alignment) -> Vec<bool> {
    let seq: Vec<(usize, usize)> = a
        .groups
        .iter()
        .enumerate()
        .filter_map(|(gi, g)| match (g.old.first(), g.new.is_empty()) {
            (Some(&i), false) => Some((gi, i)),
            _ => None,
        })
        .collect();
    // Patience-style LIS with predecessor links.
    let mut tails: Vec<usize> = Vec::new(); // indices into seq
    let mut prev: Vec<Option<usize>> = vec![None; seq.len()];
    for k in 0..seq.len() {
        let v = seq[k].1;
        let pos = tails.partition_point(|&t| seq[t].1 < v);
        if pos > 0 {
            prev[k] = Some(tails[pos - 1]);
        }
        if pos == tails.len() {
            tails.push(k);
        } else {
            tails[pos] = k;
        }
    }
    let mut keep = vec![true; a.groups.len()];
    for &(gi, _) in &seq {
        keep[gi] = false;
    }
    let mut cur = tails.last().copied();
    while let Some(k) = cur {
        keep[seq[k].0] = true;
        cur = prev[k];
    }
    keep
}
