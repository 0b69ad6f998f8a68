//! Both versions as one sequence of paragraphs-level pieces, in reading order: what a document
//! showing every change in place (the Word redline) writes. Taking the pieces present in the
//! old version gives the old version's order, and those present in the new one the new
//! version's: an entry that moved stands twice (at its old place, old side only, and at its
//! new place, new side only); a heading or a line outside the units that only one version
//! has stands once, on that side.
//!
//! Each version is read as a sequence of parts — the 题注 (history) lines, the title printed
//! again, the document number, headings, units, loose paragraphs and their items, closing
//! lines, editorial notes, annex titles and footnotes — in the order the canonical form writes
//! them. Units are matched through the entries (the alignment), headings through the heading
//! changes (or as written, whitespace aside), other lines by their normalized text. The longest
//! common subsequence of the entries alone stands in place, then, between two of them, the
//! longest common subsequence of what stands there; what is matched stands once, everything
//! else on its side.

use rustc_hash::{FxHashMap as FxMap, FxHashSet as FxSet};

use super::chars::{self, Op, Segment};
use super::{Entry, HeadingChange, HeadingChangeKind};
use crate::model::{Item, Node, NotePlace, Statute};
use crate::normalize;

/// Which versions a piece of the layout belongs to.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Presence {
    Both,
    /// Only the old version (a deletion, or where a moved entry stood).
    Old,
    /// Only the new version (an insertion, or where a moved entry now stands).
    New,
}

/// One piece of the merged layout.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Piece {
    /// The entry at this index of [`super::ChangeSet::entries`]; with [`Presence::Both`] its
    /// whole diff, else only that side's text. `unit`: only that unit of the side (an index
    /// into the entry's `old` or `new`), for a split or merge whose units do not stand
    /// together in that version (so that each stands where it stood).
    Entry {
        entry: usize,
        presence: Presence,
        unit: Option<usize>,
    },
    /// A heading (编/章/节 …) at `depth` (0 outermost), as each version writes it (`None` on
    /// the side that lacks it); `diff` turns the old into the new.
    Heading {
        depth: usize,
        old: Option<String>,
        new: Option<String>,
        diff: Vec<Segment>,
    },
    /// A line outside the units (a 题注 line, preamble, closing line, note, annex title,
    /// footnote), as each version writes it; `diff` turns the old into the new.
    Text {
        old: Option<String>,
        new: Option<String>,
        diff: Vec<Segment>,
        /// A 题注 (history) line of the header under the title.
        header: bool,
    },
}

impl Piece {
    /// Whether the piece belongs to the old (`old == true`) or the new version.
    pub fn in_version(&self, entries: &[Entry], old: bool) -> bool {
        match self {
            Piece::Entry {
                entry, presence, ..
            } => match presence {
                Presence::Both => entries
                    .get(*entry)
                    .is_some_and(|e| !(if old { &e.old } else { &e.new }).is_empty()),
                Presence::Old => old,
                Presence::New => !old,
            },
            Piece::Heading { old: o, new: n, .. } | Piece::Text { old: o, new: n, .. } => {
                if old {
                    o.is_some()
                } else {
                    n.is_some()
                }
            }
        }
    }
}

/// One part of one version.
#[derive(Debug, Clone)]
enum Part {
    Unit(usize),
    /// Unit `.1` of entry `.0`'s side, standing alone.
    Lone(usize, usize),
    Heading(usize, String),
    Text(String),
    /// A 题注 (history) line.
    Header(String),
}

/// The parts of `s` in the canonical form's order.
fn parts(s: &Statute) -> Vec<Part> {
    let mut out: Vec<Part> = s
        .meta
        .history
        .iter()
        .map(|h| Part::Header(h.text.clone()))
        .collect();
    let b = &s.body;
    out.extend(b.title_line.iter().map(|t| Part::Text(t.clone())));
    out.extend(b.doc_number.iter().map(|t| Part::Text(t.clone())));
    // A 目录: its line as a heading, its entries as lines (the parser knows them by the 目录
    // line, and their end by the first heading or unit after them, else by a `---` line, as
    // the canonical form writes it).
    let mut toc_end = None;
    if !b.toc.is_empty() {
        out.push(Part::Heading(0, "目录".to_string()));
        out.extend(b.toc.iter().map(|t| Part::Text(t.clone())));
        toc_end = Some(out.len());
    }
    let places = b.notes_by_place();
    let mut w = Walk {
        places: &places,
        unit: 0,
        out,
    };
    w.notes(NotePlace::Start(None));
    w.nodes(&b.nodes, 0);
    w.out
        .extend(b.closing.iter().map(|c| Part::Text(c.clone())));
    w.notes(NotePlace::EndOfMain);
    for (i, a) in b.annexes.iter().enumerate() {
        w.out.push(Part::Text(a.title.clone()));
        w.notes(NotePlace::Start(Some(i)));
        w.nodes(&a.children, 0);
    }
    let mut out = w.out;
    out.extend(
        b.footnotes
            .iter()
            .map(|f| Part::Text(format!("{}{}", f.marker, f.text))),
    );
    if let Some(end) = toc_end
        && matches!(out.get(end), Some(Part::Text(_)))
    {
        out.insert(end, Part::Text("---".to_string()));
    }
    out
}

struct Walk<'a, 'n> {
    places: &'a std::collections::HashMap<NotePlace, Vec<&'n crate::model::Note>>,
    unit: usize,
    out: Vec<Part>,
}

impl Walk<'_, '_> {
    fn notes(&mut self, place: NotePlace) {
        for n in self.places.get(&place).into_iter().flatten() {
            self.out.push(Part::Text(format!("{}{}", n.marker, n.text)));
        }
    }

    fn nodes(&mut self, list: &[Node], depth: usize) {
        for n in list {
            match n {
                Node::Division(d) => {
                    self.out.push(Part::Heading(depth, d.heading()));
                    self.nodes(&d.children, depth + 1);
                }
                Node::Article(_) => {
                    self.out.push(Part::Unit(self.unit));
                    let place = NotePlace::AfterUnit(self.unit);
                    self.unit += 1;
                    self.notes(place);
                }
                Node::Para(p) => {
                    self.out.push(Part::Text(p.text.clone()));
                    for i in &p.items {
                        self.item(i);
                    }
                }
            }
        }
    }

    /// An item line as the canonical form writes it.
    fn item(&mut self, i: &Item) {
        let digit = |c: char| c.is_ascii_digit() || ('０'..='９').contains(&c);
        let apart = i.marker.ends_with(['.', '．', '、']) && i.text.starts_with(digit);
        let sep = if apart { " " } else { "" };
        self.out
            .push(Part::Text(format!("{}{sep}{}", i.marker, i.text)));
        for s in &i.subitems {
            self.item(s);
        }
    }
}

/// What a part is matched by across the versions.
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
enum Key {
    Entry(usize),
    /// A unit of an entry whose units stand apart: matched by nothing.
    Lone(bool, usize),
    Heading(String),
    Text(String),
    Header(String),
}

/// A part of one version, keyed, with what it is.
struct Keyed {
    key: Key,
    part: Part,
}

/// The keyed parts of one version: a unit becomes its entry (an entry of several units stands
/// at its first); a heading is named by what the new version calls it.
fn keyed(
    parts: Vec<Part>,
    unit_entry: &[Option<usize>],
    rename: &FxMap<String, String>,
    apart: &FxSet<usize>,
    side: Side<'_>,
) -> Vec<Keyed> {
    let mut seen = vec![false; unit_entry.len()];
    let mut out = Vec::with_capacity(parts.len());
    for part in parts {
        let key = match &part {
            Part::Unit(u) => {
                let Some(Some(e)) = unit_entry.get(*u) else {
                    continue;
                };
                if apart.contains(e) {
                    let k = side
                        .units(*e)
                        .iter()
                        .position(|x| x.index == *u)
                        .unwrap_or(0);
                    out.push(Keyed {
                        key: Key::Lone(side.old, *u),
                        part: Part::Lone(*e, k),
                    });
                    continue;
                }
                // Entries are at most a few per unit: a linear flag per entry index.
                if seen.len() <= *e {
                    seen.resize(e + 1, false);
                }
                if seen[*e] {
                    continue;
                }
                seen[*e] = true;
                out.push(Keyed {
                    key: Key::Entry(*e),
                    part: Part::Unit(*e),
                });
                continue;
            }
            Part::Heading(_, h) => Key::Heading(normalize::normalize(
                rename.get(h).map_or(h.as_str(), String::as_str),
            )),
            Part::Text(t) => Key::Text(normalize::normalize(t)),
            Part::Header(t) => Key::Header(normalize::normalize(t)),
            // Made here only, from units.
            Part::Lone(..) => continue,
        };
        out.push(Keyed { key, part });
    }
    out
}

/// The merged layout of `old` and `new`, whose units `entries` align and whose headings
/// `headings` pair.
pub(crate) fn build(
    old: &Statute,
    new: &Statute,
    entries: &[Entry],
    headings: &[HeadingChange],
) -> Vec<Piece> {
    let units = |new_side: bool, n: usize| {
        let mut map = vec![None; n];
        for (ei, e) in entries.iter().enumerate() {
            for u in if new_side { &e.new } else { &e.old } {
                if let Some(slot) = map.get_mut(u.index) {
                    *slot = Some(ei);
                }
            }
        }
        map
    };
    let (op, np) = (parts(old), parts(new));
    let count = |p: &[Part]| {
        p.iter()
            .filter_map(|p| match p {
                Part::Unit(u) => Some(u + 1),
                _ => None,
            })
            .max()
            .unwrap_or(0)
    };
    // Old headings renamed or renumbered are called what the new version calls them.
    let mut rename: FxMap<String, String> = FxMap::default();
    for h in headings {
        if matches!(
            h.kind,
            HeadingChangeKind::Renamed
                | HeadingChangeKind::Renumbered
                | HeadingChangeKind::RenumberedRenamed
        ) && let (Some(o), Some(n)) = (&h.old, &h.new)
        {
            rename.entry(o.clone()).or_insert_with(|| n.clone());
        }
    }
    let (om, nm) = (units(false, count(&op)), units(true, count(&np)));
    // Entries whose units on one side have something else between them.
    let mut apart: FxSet<usize> = FxSet::default();
    for (parts, map) in [(&op, &om), (&np, &nm)] {
        let mut last: FxMap<usize, usize> = FxMap::default();
        for (i, p) in parts.iter().enumerate() {
            if let Part::Unit(u) = p
                && let Some(Some(e)) = map.get(*u)
            {
                if last.get(e).is_some_and(|&l| l + 1 != i) {
                    apart.insert(*e);
                }
                last.insert(*e, i);
            }
        }
    }
    let old_side = Side { entries, old: true };
    let new_side = Side {
        entries,
        old: false,
    };
    let ok = keyed(op, &om, &rename, &apart, old_side);
    let nk = keyed(np, &nm, &FxMap::default(), &apart, new_side);
    merge(ok, nk)
}

/// One side of the entries.
#[derive(Clone, Copy)]
struct Side<'e> {
    entries: &'e [Entry],
    old: bool,
}

impl<'e> Side<'e> {
    fn units(&self, e: usize) -> &'e [super::UnitRef] {
        match self.entries.get(e) {
            Some(x) if self.old => &x.old,
            Some(x) => &x.new,
            None => &[],
        }
    }
}

/// Each key as one character, for the bit-parallel LCS (`None` past the characters there are).
fn intern<'k>(a: &[&'k Key], b: &[&'k Key]) -> Option<(Vec<char>, Vec<char>)> {
    let mut ids: FxMap<&'k Key, u32> = FxMap::default();
    let mut code = |k: &&'k Key| -> Option<char> {
        let next = u32::try_from(ids.len()).ok()?;
        let id = *ids.entry(*k).or_insert(next);
        // Skip the surrogates, which are no characters.
        let c = if id < 0xD800 { id } else { id + 0x800 };
        char::from_u32(c)
    };
    let ca: Option<Vec<char>> = a.iter().map(&mut code).collect();
    let cb: Option<Vec<char>> = b.iter().map(code).collect();
    Some((ca?, cb?))
}

/// The pairs (index in `a`, index in `b`) of a longest common subsequence of two key
/// sequences; none when there are more distinct keys than characters (which is still right:
/// everything then stands on its side).
fn common(a: &[&Key], b: &[&Key]) -> Vec<(usize, usize)> {
    let Some((ca, cb)) = intern(a, b) else {
        return Vec::new();
    };
    let mut pairs = Vec::new();
    let (mut i, mut j) = (0, 0);
    for run in super::lcs::diff(&ca, &cb) {
        match run.op {
            Op::Delete => i += run.len,
            Op::Insert => j += run.len,
            Op::Equal => {
                pairs.extend((0..run.len).map(|k| (i + k, j + k)));
                i += run.len;
                j += run.len;
            }
        }
    }
    pairs
}

/// The two versions' parts merged. The entries come first: the longest common subsequence of
/// the entries alone stands in place (as the differ's own `moved` flag counts them), so that
/// no heading or line outside the units puts an article out of place; between two such
/// entries, the longest common subsequence of what stands there.
fn merge(old: Vec<Keyed>, new: Vec<Keyed>) -> Vec<Piece> {
    let entries = |v: &[Keyed]| -> Vec<usize> {
        v.iter()
            .enumerate()
            .filter(|(_, k)| matches!(k.key, Key::Entry(_)))
            .map(|(i, _)| i)
            .collect()
    };
    let (oe, ne) = (entries(&old), entries(&new));
    let anchors = common(&keys_at(&old, &oe), &keys_at(&new, &ne));
    let mut out = Vec::with_capacity(old.len().max(new.len()) + 16);
    let (mut po, mut pn) = (0, 0);
    for (i, j) in anchors {
        let (ao, an) = (oe[i], ne[j]);
        merge_gap(&old[po..ao], &new[pn..an], &mut out);
        both(old[ao].part.clone(), new[an].part.clone(), &mut out);
        (po, pn) = (ao + 1, an + 1);
    }
    merge_gap(&old[po..], &new[pn..], &mut out);
    out
}

fn keys(v: &[Keyed]) -> Vec<&Key> {
    v.iter().map(|k| &k.key).collect()
}

fn keys_at<'k>(v: &'k [Keyed], at: &[usize]) -> Vec<&'k Key> {
    at.iter()
        .filter_map(|&i| v.get(i))
        .map(|k| &k.key)
        .collect()
}

/// The parts between two entries that stand in place, merged on their longest common
/// subsequence.
fn merge_gap(old: &[Keyed], new: &[Keyed], out: &mut Vec<Piece>) {
    let pairs = common(&keys(old), &keys(new));
    let (mut po, mut pn) = (0, 0);
    let part = |k: &Keyed| k.part.clone();
    for (i, j) in pairs {
        let mut gap_old: Vec<Part> = old[po..i].iter().map(part).collect();
        let mut gap_new: Vec<Part> = new[pn..j].iter().map(part).collect();
        flush(&mut gap_old, &mut gap_new, out);
        both(old[i].part.clone(), new[j].part.clone(), out);
        (po, pn) = (i + 1, j + 1);
    }
    let mut gap_old: Vec<Part> = old[po..].iter().map(part).collect();
    let mut gap_new: Vec<Part> = new[pn..].iter().map(part).collect();
    flush(&mut gap_old, &mut gap_new, out);
}

/// A part both versions have (their keys are equal, so their kinds are).
fn both(o: Part, n: Part, out: &mut Vec<Piece>) {
    let piece = match (o, n) {
        (Part::Heading(_, o), Part::Heading(depth, n)) => Piece::Heading {
            depth,
            diff: chars::diff(&o, &n),
            old: Some(o),
            new: Some(n),
        },
        (Part::Text(o), Part::Text(n)) => Piece::Text {
            diff: chars::diff(&o, &n),
            old: Some(o),
            new: Some(n),
            header: false,
        },
        (Part::Header(o), Part::Header(n)) => Piece::Text {
            diff: chars::diff(&o, &n),
            old: Some(o),
            new: Some(n),
            header: true,
        },
        // One entry (`keyed` turns a unit into its entry, keyed by it).
        (Part::Unit(e), Part::Unit(_)) => Piece::Entry {
            entry: e,
            presence: Presence::Both,
            unit: None,
        },
        // Equal keys are of one kind: were they not, both sides would stand apart.
        (o, n) => {
            out.push(one(o, true));
            one(n, false)
        }
    };
    out.push(piece);
}

/// The parts between two common runs: lines outside the units that the two versions word
/// differently are paired, one by one, when the gap holds nothing else; the rest stand
/// deleted, then inserted (each side keeps its order).
fn flush(old: &mut Vec<Part>, new: &mut Vec<Part>, out: &mut Vec<Piece>) {
    let all = |v: &[Part], header: bool| {
        v.iter().all(|p| match p {
            Part::Text(_) => !header,
            Part::Header(_) => header,
            _ => false,
        })
    };
    let lines = [false, true]
        .into_iter()
        .find(|&h| all(old, h) && all(new, h));
    if !old.is_empty()
        && !new.is_empty()
        && let Some(header) = lines
    {
        let n = old.len().min(new.len());
        let (mut o, mut w) = (old.drain(..), new.drain(..));
        for _ in 0..n {
            if let (Some(Part::Text(a) | Part::Header(a)), Some(Part::Text(b) | Part::Header(b))) =
                (o.next(), w.next())
            {
                out.push(Piece::Text {
                    diff: chars::diff(&a, &b),
                    old: Some(a),
                    new: Some(b),
                    header,
                });
            }
        }
        let rest_old: Vec<Part> = o.collect();
        let rest_new: Vec<Part> = w.collect();
        out.extend(rest_old.into_iter().map(|p| one(p, true)));
        out.extend(rest_new.into_iter().map(|p| one(p, false)));
        return;
    }
    out.extend(old.drain(..).map(|p| one(p, true)));
    out.extend(new.drain(..).map(|p| one(p, false)));
}

/// A part of one version only.
fn one(p: Part, old: bool) -> Piece {
    let header = matches!(p, Part::Header(_));
    let side = |s: String| {
        if old {
            (Some(s), None)
        } else {
            (None, Some(s))
        }
    };
    let op = if old { Op::Delete } else { Op::Insert };
    match p {
        Part::Unit(e) => Piece::Entry {
            entry: e,
            presence: if old { Presence::Old } else { Presence::New },
            unit: None,
        },
        Part::Lone(e, k) => Piece::Entry {
            entry: e,
            presence: if old { Presence::Old } else { Presence::New },
            unit: Some(k),
        },
        Part::Heading(depth, h) => {
            let diff = vec![Segment::new(op, h.as_str())];
            let (o, n) = side(h);
            Piece::Heading {
                depth,
                old: o,
                new: n,
                diff,
            }
        }
        Part::Text(t) | Part::Header(t) => {
            let diff = vec![Segment::new(op, t.as_str())];
            let (o, n) = side(t);
            Piece::Text {
                old: o,
                new: n,
                diff,
                header,
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn parse(text: &str) -> Statute {
        match crate::parse_str(std::path::Path::new("t.md"), text) {
            Ok(p) => p.statute,
            Err(e) => panic!("{e}"),
        }
    }

    /// What one version's pieces say, in order: headings and lines as written, entries by
    /// the labels of that side's units.
    fn side(cs: &super::super::ChangeSet, old: bool) -> Vec<String> {
        let mut out = Vec::new();
        for p in cs.layout.iter().filter(|p| p.in_version(&cs.entries, old)) {
            match p {
                Piece::Entry { entry, unit, .. } => {
                    let e = &cs.entries[*entry];
                    let units = if old { &e.old } else { &e.new };
                    for (k, u) in units.iter().enumerate() {
                        if unit.is_none_or(|only| only == k) {
                            out.push(u.label.clone());
                        }
                    }
                }
                Piece::Heading { old: o, new: n, .. } | Piece::Text { old: o, new: n, .. } => {
                    out.extend(if old { o.clone() } else { n.clone() })
                }
            }
        }
        out
    }

    /// Each version's parts, in its order: headings, units by label, other lines.
    fn parts_of(s: &Statute) -> Vec<String> {
        let arts = s.articles();
        parts(s)
            .into_iter()
            .map(|p| match p {
                Part::Unit(u) => arts[u].label(s),
                Part::Heading(_, t) | Part::Text(t) | Part::Header(t) => t,
                Part::Lone(..) => String::new(),
            })
            .collect()
    }

    const OLD: &str = "# 测试法\n\n2001年1月1日 某会议通过\n\n<!-- INFO END -->\n\n\
                       ## 第一章 总则\n\n第一条 甲。\n\n第二条 乙。\n\n\
                       ## 第二章 管理\n\n第三条 丙。\n\n第四条 丁。\n\n\
                       ## 第三章 附则\n\n第五条 本法自公布之日起施行。\n";
    /// 第二条 moved to the end of 第二章; 第二章 renamed; 第三章 dropped (its article now under
    /// 第二章); a 题注 line added.
    const NEW: &str = "# 测试法\n\n2001年1月1日 某会议通过\n\n2020年1月1日 某会议修正\n\n\
                       <!-- INFO END -->\n\n\
                       ## 第一章 总则\n\n第一条 甲。\n\n\
                       ## 第二章 监督管理\n\n第二条 丙。\n\n第三条 丁。\n\n第四条 乙。\n\n\
                       第五条 本法自公布之日起施行。\n";

    #[test]
    fn each_side_of_the_layout_is_that_version_in_order() {
        let (old, new) = (parse(OLD), parse(NEW));
        let cs = super::super::diff(&old, &new);
        assert_eq!(side(&cs, true), parts_of(&old));
        assert_eq!(side(&cs, false), parts_of(&new));
        // The moved article stands twice, once on each side; the dropped chapter once, old.
        let moved = cs
            .layout
            .iter()
            .filter(|p| matches!(p, Piece::Entry { presence, .. } if *presence != Presence::Both))
            .count();
        assert!(moved >= 2, "{:?}", cs.layout);
        assert!(cs.layout.iter().any(|p| matches!(
            p,
            Piece::Heading { old: Some(o), new: None, .. } if o.contains("第三章")
        )));
        assert!(cs.layout.iter().any(|p| matches!(
            p,
            Piece::Text { old: None, new: Some(n), header: true, .. } if n.contains("修正")
        )));
        // The same input, the same layout.
        assert_eq!(cs.layout, super::super::diff(&old, &new).layout);
    }

    #[test]
    fn a_merge_of_units_that_stand_apart_stands_unit_by_unit() {
        let old = parse(
            "# 测试法\n\n第一条 甲。\n\n第二条 乙乙乙乙乙乙乙乙乙乙。\n\n\
             第三条 丙。\n\n第四条 丁丁丁丁丁丁丁丁丁丁。\n",
        );
        let new = parse(
            "# 测试法\n\n第一条 甲。\n\n第二条 乙乙乙乙乙乙乙乙乙乙。丁丁丁丁丁丁丁丁丁丁。\n\n\
             第三条 丙。\n",
        );
        let cs = super::super::diff(&old, &new);
        assert!(
            cs.entries
                .iter()
                .any(|e| e.kind == super::super::EntryKind::Merged),
            "{:?}",
            cs.entries
        );
        assert!(
            cs.layout
                .iter()
                .any(|p| matches!(p, Piece::Entry { unit: Some(_), .. })),
            "{:?}",
            cs.layout
        );
        assert_eq!(side(&cs, true), parts_of(&old));
        assert_eq!(side(&cs, false), parts_of(&new));
    }
}
