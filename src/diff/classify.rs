//! From an alignment to entries: kind, renumbered/moved/substantive flags, line and
//! character diffs, heading changes and the summary.

use super::chars::{self, Op, Segment};
use super::headings::Divisions;
use super::lines::{self, UnitLine};
use super::{ChangeSet, Entry, EntryKind, LineChange, LineOp, Summary, UnitRef, VersionInfo};
use crate::align::{Alignment, Group, Prepared};
use crate::model::{ArticleRef, Statute};
use crate::normalize::Renumbering;

/// The change set of `old` → `new`: `alignment` and the units as the aligner `prepared` them
/// (old, new) classified into entries, on up to `threads` threads, with the headings, the
/// text outside the units, the notes and the summary.
pub(crate) fn build(
    old: &Statute,
    new: &Statute,
    alignment: &Alignment,
    prepared: (&[Prepared], &[Prepared]),
    threads: usize,
) -> ChangeSet {
    let (old_side, new_side) = (Side::new(old, prepared.0), Side::new(new, prepared.1));
    let (headings, div_map) =
        super::headings::diff(&old_side.divisions.flat, &new_side.divisions.flat);
    let refs = renumbering(alignment, &old_side.units, &new_side.units);
    let in_sequence = longest_increasing(alignment);
    let ctx = Context {
        old: old_side,
        new: new_side,
        div_map: &div_map,
        refs: &refs,
        in_sequence: &in_sequence,
    };
    let groups = &alignment.groups;
    // Entries are independent: with several threads (and enough of them), shared out.
    let threads = if groups.len() >= 64 { threads } else { 1 };
    let order: Vec<usize> = (0..groups.len()).collect();
    let entries: Vec<Entry> = crate::par::map(&order, threads, |&gi| ctx.entry(gi, &groups[gi]));

    let mut entries = entries;
    moved_out_of_units(&ctx.old, &ctx.new, &mut entries);
    let summary = summarize(&entries);
    let layout = super::layout::build(old, new, &entries, &headings);
    ChangeSet {
        old: info(old, ctx.old.units.len()),
        new: info(new, ctx.new.units.len()),
        entries,
        headings,
        texts: super::texts::diff(old, new, prepared),
        notes: super::notes::diff(old, new),
        layout,
        summary,
    }
}

/// Old → new numbers of units that survive as the same unit (for cross-references).
fn renumbering(
    alignment: &Alignment,
    old: &[ArticleRef<'_>],
    new: &[ArticleRef<'_>],
) -> Renumbering {
    let mut refs = Renumbering::default();
    for g in &alignment.groups {
        // A split unit is cited by its first part; merged units by the merged one.
        if let Some(&j) = g.new.first() {
            for &i in &g.old {
                refs.insert(old[i].article.num, new[j].article.num);
            }
        }
    }
    refs
}

/// The counts of the summary.
fn summarize(entries: &[Entry]) -> Summary {
    let mut summary = Summary::default();
    for e in entries {
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
    summary
}

/// What every entry's classification reads.
struct Context<'a, 's> {
    old: Side<'a, 's>,
    new: Side<'a, 's>,
    /// Each old division's partner among the new ones (indices into their `flat` lists).
    div_map: &'a [Option<usize>],
    refs: &'a Renumbering,
    /// Whether each group keeps the order of the others (see [`longest_increasing`]).
    in_sequence: &'a [bool],
}

/// One version as the entries read it; `build` makes one for each side.
struct Side<'a, 's> {
    statute: &'s Statute,
    /// Its units in document order, as [`Statute::articles`] lists them; the alignment's
    /// indices point here.
    units: Vec<ArticleRef<'s>>,
    /// The units as the aligner prepared them: their formal text, line by line.
    prepared: &'a [Prepared],
    /// Its divisions, and the innermost one of each unit.
    divisions: Divisions<'s>,
    /// Each division's heading text, computed once.
    headings: Vec<String>,
}

/// The units of one side of an entry: their references and their lines.
struct Members<'s> {
    refs: Vec<UnitRef>,
    lines: Vec<UnitLine<'s>>,
    /// The lines' formal forms, normalised here when the aligner's lines are not these lines
    /// (see [`Side::members`]); `None` when the aligner's serve.
    own_norms: Option<Vec<String>>,
}

impl<'a, 's> Side<'a, 's> {
    fn new(statute: &'s Statute, prepared: &'a [Prepared]) -> Self {
        let divisions = super::headings::flatten(statute);
        let headings = divisions.flat.iter().map(|f| f.div.heading()).collect();
        Side {
            statute,
            units: statute.articles(),
            prepared,
            divisions,
            headings,
        }
    }

    /// The reference of unit `index`: its number, label, headings and annex.
    fn unit_ref(&self, index: usize) -> UnitRef {
        let a = &self.units[index];
        let mut path: Vec<String> = self
            .divisions
            .enclosing(index)
            .map(|k| self.headings[k].clone())
            .collect();
        path.reverse();
        debug_assert_eq!(path.len(), a.path.len());
        UnitRef {
            index,
            num: a.article.num,
            label: a.label(self.statute),
            path,
            annex: a.annex,
        }
    }

    /// Units `ids` (one side of a group): their references and lines.
    fn members(&self, ids: &[usize]) -> Members<'s> {
        let refs = ids.iter().map(|&i| self.unit_ref(i)).collect();
        let mut lines: Vec<UnitLine> = Vec::new();
        for (k, &i) in ids.iter().enumerate() {
            lines::unit_lines(self.units[i].article, k, &mut lines);
        }
        // The aligner records a line for every item at any depth, the lines here go two
        // levels deep, as the parser does: a model built otherwise (through the library) is
        // normalised line by line instead.
        let recorded: usize = ids.iter().map(|&i| self.prepared[i].line_ends.len()).sum();
        let own_norms = (recorded != lines.len()).then(|| {
            lines
                .iter()
                .map(|l| crate::normalize::normalize(&l.text))
                .collect()
        });
        Members {
            refs,
            lines,
            own_norms,
        }
    }

    /// The formal forms of the lines of `m`, units `ids`: the aligner's, else their own.
    fn norms<'m>(&'m self, ids: &[usize], m: &'m Members<'_>) -> Vec<&'m str> {
        match &m.own_norms {
            Some(own) => own.iter().map(String::as_str).collect(),
            None => ids
                .iter()
                .flat_map(|&i| {
                    let unit = &self.prepared[i];
                    (0..unit.line_ends.len()).map(move |k| unit.line(k))
                })
                .collect(),
        }
    }

    /// Each line of `m`, units `ids`, as its unit the aligner prepared and the line's index
    /// there, whose bigram hashes the line's are; empty when the lines have their own forms.
    fn sources(&self, ids: &[usize], m: &Members<'_>) -> Vec<(&'a Prepared, usize)> {
        if m.own_norms.is_some() {
            return Vec::new();
        }
        ids.iter()
            .flat_map(|&i| {
                let unit = &self.prepared[i];
                (0..unit.line_ends.len()).map(move |k| (unit, k))
            })
            .collect()
    }

    /// The innermost division of the first of units `ids`, if they have one.
    fn innermost(&self, ids: &[usize]) -> Option<usize> {
        ids.first().and_then(|&i| self.divisions.of_unit[i])
    }
}

impl Context<'_, '_> {
    /// The entry of group `gi`.
    fn entry(&self, gi: usize, g: &Group) -> Entry {
        let (old, new) = (self.old.members(&g.old), self.new.members(&g.new));
        let norms = (
            &self.old.norms(&g.old, &old)[..],
            &self.new.norms(&g.new, &new)[..],
        );
        let side_lines = (&old.lines[..], &new.lines[..]);
        let kind = self.kind(g);
        let line_changes = match kind {
            EntryKind::Unchanged => unchanged_lines(side_lines),
            _ => {
                // Two one-line units: the aligner's similarity of the units is the lines'.
                let whole = (kind == EntryKind::Modified
                    && side_lines.0.len() == 1
                    && side_lines.1.len() == 1)
                    .then_some(g.similarity);
                let sources = (
                    &self.old.sources(&g.old, &old)[..],
                    &self.new.sources(&g.new, &new)[..],
                );
                lines::diff_lines(side_lines.0, side_lines.1, norms, sources, self.refs, whole)
            }
        };
        let substantive = self.substantive(kind, &line_changes, side_lines, norms);
        let (same_scheme, renumbered) = numbering(&old.refs, &new.refs);
        let restructured =
            !substantive && restructured(kind, same_scheme, &line_changes, side_lines);
        let diff = match kind {
            // Text redistributed over units reads best as one character diff of the joined
            // texts: a split shows where the break came, not a deleted and an added line.
            EntryKind::Split | EntryKind::Merged => joined_diff(side_lines),
            _ => entry_diff(&line_changes),
        };
        Entry {
            kind,
            old: old.refs,
            new: new.refs,
            renumbered,
            moved: self.moved(gi, g),
            substantive,
            restructured,
            similarity: g.similarity,
            lines: line_changes,
            diff,
        }
    }

    /// What happened to group `g`, from its size and, for one unit on each side, its text.
    fn kind(&self, g: &Group) -> EntryKind {
        match (g.old.len(), g.new.len()) {
            (0, _) => EntryKind::Added,
            (_, 0) => EntryKind::Deleted,
            (1, 1) => {
                // Same paragraphs and items, compared in place (no joined copies).
                if self.old.units[g.old[0]].article.paras == self.new.units[g.new[0]].article.paras
                {
                    EntryKind::Unchanged
                } else {
                    EntryKind::Modified
                }
            }
            (1, _) => EntryKind::Split,
            _ => EntryKind::Merged,
        }
    }

    /// Whether an entry of `kind` with these line changes changed more than form.
    fn substantive(
        &self,
        kind: EntryKind,
        line_changes: &[LineChange],
        (old, new): (&[UnitLine<'_>], &[UnitLine<'_>]),
        norms: (&[&str], &[&str]),
    ) -> bool {
        match kind {
            EntryKind::Unchanged => false,
            EntryKind::Added | EntryKind::Deleted => true,
            // One line paired with one: its own formal test is the whole unit's.
            EntryKind::Modified if line_changes.len() == 1 && old.len() == 1 && new.len() == 1 => {
                line_changes[0].substantive
            }
            // Text that only moved across paragraph breaks is formal too.
            EntryKind::Modified => {
                line_changes.iter().any(|l| l.substantive)
                    && !lines::formal(old, new, norms, self.refs)
            }
            EntryKind::Split | EntryKind::Merged => {
                !lines::formal(old, new, norms, self.refs)
                    && !lines::same_sentences(old, new, self.refs)
            }
        }
    }

    /// Whether group `gi` left its place: its first unit now stands under a division that
    /// is not its old one's partner, or the pairing is out of sequence.
    fn moved(&self, gi: usize, g: &Group) -> bool {
        if g.old.is_empty() || g.new.is_empty() {
            return false;
        }
        let div_moved = match (self.old.innermost(&g.old), self.new.innermost(&g.new)) {
            (None, None) => false,
            (Some(o), Some(n)) => self.div_map[o] != Some(n),
            _ => true,
        };
        div_moved || !self.in_sequence[gi]
    }
}

/// Whether the units are numbered in the same scheme (points numbered in one version and
/// plain paragraphs in the other: the numbering changed, not the number), and whether their
/// number changed within it; from the first unit of each side.
fn numbering(old: &[UnitRef], new: &[UnitRef]) -> (bool, bool) {
    match (old.first(), new.first()) {
        (Some(o), Some(n)) => {
            let same_scheme = std::mem::discriminant(&o.num) == std::mem::discriminant(&n.num);
            (same_scheme, same_scheme && o.num != n.num)
        }
        _ => (true, false),
    }
}

/// Whether an entry of `kind` that changed nothing of substance has the same wording in
/// another structure.
fn restructured(
    kind: EntryKind,
    same_scheme: bool,
    line_changes: &[LineChange],
    (old, new): (&[UnitLine<'_>], &[UnitLine<'_>]),
) -> bool {
    match kind {
        EntryKind::Unchanged => !same_scheme,
        EntryKind::Split | EntryKind::Merged => true,
        EntryKind::Modified => !same_scheme || lines::regrouped(line_changes, old, new),
        // Decided with the other version's header and closing lines (see `build`).
        EntryKind::Added | EntryKind::Deleted => false,
    }
}

/// The lines of an unchanged entry, paired in order.
fn unchanged_lines((old, new): (&[UnitLine<'_>], &[UnitLine<'_>])) -> Vec<LineChange> {
    old.iter()
        .zip(new)
        .map(|(o, n)| LineChange {
            op: LineOp::Equal,
            old: Some(o.at),
            new: Some(n.at),
            diff: chars::diff(&o.text, &n.text),
            substantive: false,
        })
        .collect()
}

/// One character diff of each side's lines joined by newlines.
fn joined_diff((old, new): (&[UnitLine<'_>], &[UnitLine<'_>])) -> Vec<Segment> {
    let join = |ls: &[UnitLine<'_>]| {
        ls.iter()
            .map(|l| l.text.as_ref())
            .collect::<Vec<&str>>()
            .join("\n")
    };
    chars::diff(&join(old), &join(new))
}

/// Added and deleted units whose wording stands outside the units of the other version — in
/// its 题注 or header lines, its closing lines, or free text — moved in or out of the units
/// (one source carries 本修正案自公布之日起施行 as a header line, another as the last
/// point): restructured, not substantive.
fn moved_out_of_units(old: &Side<'_, '_>, new: &Side<'_, '_>, entries: &mut [Entry]) {
    let lonely = |k: EntryKind| entries.iter().any(|e| e.kind == k);
    if !lonely(EntryKind::Added) && !lonely(EntryKind::Deleted) {
        return;
    }
    let (old_outside, new_outside) = (outside_wording(old.statute), outside_wording(new.statute));
    // No unit longer than the longest line outside the units can be one of them.
    let longest = |set: &std::collections::HashSet<String>| set.iter().map(String::len).max();
    let (old_max, new_max) = (longest(&old_outside), longest(&new_outside));
    for e in entries.iter_mut() {
        let (unit, other, max) = match e.kind {
            EntryKind::Added => (
                e.new.first().and_then(|u| new.units.get(u.index)),
                &old_outside,
                old_max,
            ),
            EntryKind::Deleted => (
                e.old.first().and_then(|u| old.units.get(u.index)),
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
    lines.extend(s.body.doc_number.as_deref());
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
