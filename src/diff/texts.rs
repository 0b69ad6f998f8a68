//! Text outside any unit — a preamble (序言), an introduction under a heading, closing lines
//! (落款), annex titles — compared block by block, so that no amendment to it goes unreported.
//! Footnotes and editorial notes are compared apart (`notes.rs`): they are no part of the
//! statute.

use std::collections::HashSet;

use super::TextChange;
use super::chars;
use crate::align::Prepared;
use crate::model::{Node, Para, Statute};
use crate::normalize;

/// One block of free text and where it stands.
struct Block {
    path: Vec<String>,
    key: String,
    text: String,
}

fn blocks(s: &Statute) -> Vec<Block> {
    let mut out = Vec::new();
    walk(&s.body.nodes, &mut Vec::new(), &mut out);
    let b = &s.body;
    push(&mut out, vec!["落款".into()], b.closing.join("\n"));
    for a in &b.annexes {
        let mut path = vec![a.title.clone()];
        push(&mut out, vec!["附件".into()], a.title.clone());
        walk(&a.children, &mut path, &mut out);
    }
    out
}

fn push(out: &mut Vec<Block>, path: Vec<String>, text: String) {
    if text.is_empty() {
        return;
    }
    let key = path
        .iter()
        .map(|p| normalize::normalize(p))
        .collect::<Vec<_>>()
        .join("/");
    match out.iter_mut().find(|b| b.key == key) {
        Some(b) => {
            b.text.push('\n');
            b.text.push_str(&text);
        }
        None => out.push(Block { path, key, text }),
    }
}

fn walk(nodes: &[Node], path: &mut Vec<String>, out: &mut Vec<Block>) {
    let paras: Vec<&Para> = nodes
        .iter()
        .filter_map(|n| match n {
            Node::Para(p) => Some(p),
            _ => None,
        })
        .collect();
    if !paras.is_empty() {
        let mut text = String::new();
        for (i, p) in paras.iter().enumerate() {
            if i > 0 {
                text.push('\n');
            }
            p.write_text(&mut text);
        }
        push(out, path.clone(), text);
    }
    for n in nodes {
        if let Node::Division(d) = n {
            path.push(d.heading());
            walk(&d.children, path, out);
            path.pop();
        }
    }
}

/// The blocks that differ, in the new version's order (removed blocks last).
///
/// `units` are the units of each version as the aligner prepared them (their formal texts):
/// a changed line is looked for among them.
pub(crate) fn diff(
    old: &Statute,
    new: &Statute,
    units: (&[Prepared], &[Prepared]),
) -> Vec<TextChange> {
    let ob = blocks(old);
    let nb = blocks(new);
    let mut out = Vec::new();
    let mut used = vec![false; ob.len()];
    let mut moves = Moves {
        old: Side::new(old, units.0, &ob),
        new: Side::new(new, units.1, &nb),
    };
    for n in &nb {
        let o = ob.iter().position(|o| o.key == n.key);
        if let Some(i) = o {
            used[i] = true;
        }
        let old_text = o.map(|i| ob[i].text.as_str()).unwrap_or("");
        if old_text == n.text {
            continue;
        }
        out.push(TextChange {
            path: n.path.clone(),
            old: o.map(|i| ob[i].text.clone()),
            new: Some(n.text.clone()),
            diff: chars::diff(old_text, &n.text),
            substantive: moves.substantive(old_text, &n.text),
        });
    }
    for (i, o) in ob.iter().enumerate() {
        if !used[i] {
            out.push(TextChange {
                path: o.path.clone(),
                old: Some(o.text.clone()),
                new: None,
                diff: chars::diff(&o.text, ""),
                substantive: moves.substantive(&o.text, ""),
            });
        }
    }
    out
}

/// Decides whether a changed block is substantive: not when its wording is the same, nor when
/// the lines it lost or gained stand elsewhere in the other version — as a unit, a line of a
/// unit, a 题注 entry or a line of another block (a closing sentence that one source writes as
/// the last point, a header line that another writes in the body).
struct Moves<'s> {
    old: Side<'s>,
    new: Side<'s>,
}

/// One version, as [`Moves`] looks into it.
struct Side<'s> {
    statute: &'s Statute,
    /// Its units' formal texts.
    prepared: &'s [Prepared],
    /// The wording of every line of every block.
    blocks: HashSet<String>,
    /// The formal texts of all units, each after a NUL (which no text holds), and where each
    /// starts: built when first needed.
    units: Option<(String, Vec<usize>)>,
}

impl<'s> Side<'s> {
    fn new(statute: &'s Statute, prepared: &'s [Prepared], blocks: &[Block]) -> Side<'s> {
        Side {
            statute,
            prepared,
            blocks: blocks
                .iter()
                .flat_map(|b| b.text.lines().map(words))
                .collect(),
            units: None,
        }
    }

    /// True when a line of wording `w` (written `line`) stands here outside the block it
    /// left: as a line of a block, a 题注 entry, a unit or a line of a unit. Units are found
    /// through the line's longest run of ideographs, so that only those that hold it are
    /// compared.
    fn has(&mut self, w: &str, line: &str) -> bool {
        if self.blocks.contains(w)
            || self
                .statute
                .meta
                .history
                .iter()
                .any(|e| words(&e.text) == w)
        {
            return true;
        }
        let prepared = self.prepared;
        let (all, starts) = self.units.get_or_insert_with(|| {
            let mut all = String::with_capacity(prepared.iter().map(|u| u.norm.len() + 1).sum());
            let mut starts = Vec::with_capacity(prepared.len());
            for u in prepared {
                all.push('\0');
                starts.push(all.len());
                all.push_str(&u.norm);
            }
            (all, starts)
        });
        // Ideographs are their own formal form: the start of the line's longest run of them
        // (eight at most, so that a comma another source puts inside the run is unlikely
        // to split it) is in the formal text of every unit that holds the line.
        let run = longest_ideograph_run(line);
        let probe = run
            .char_indices()
            .nth(8)
            .map_or(run, |(end, _)| &run[..end]);
        let probe = if probe.is_empty() { "\0" } else { probe };
        let mut candidates: Vec<usize> = Vec::new();
        for at in memchr::memmem::find_iter(all.as_bytes(), probe.as_bytes()) {
            let k = starts.partition_point(|&s| s <= at).saturating_sub(1);
            if candidates.last() != Some(&k) {
                candidates.push(k);
            }
        }
        if candidates.is_empty() {
            return false;
        }
        let units = self.statute.articles();
        candidates.iter().filter_map(|&k| units.get(k)).any(|a| {
            let text = a.article.text();
            words(&text) == w || text.lines().any(|l| words(l) == w)
        })
    }
}

impl Moves<'_> {
    fn substantive(&mut self, old_text: &str, new_text: &str) -> bool {
        if normalize::same_wording(old_text, new_text) {
            return false;
        }
        let mut gone: Vec<(String, &str)> = old_text
            .lines()
            .map(|l| (words(l), l))
            .filter(|(w, _)| !w.is_empty())
            .collect();
        let mut came: Vec<(String, &str)> = new_text
            .lines()
            .map(|l| (words(l), l))
            .filter(|(w, _)| !w.is_empty())
            .collect();
        // Lines on both sides (as a multiset) stayed.
        gone.retain(|(w, _)| match came.iter().position(|(c, _)| c == w) {
            Some(k) => {
                came.swap_remove(k);
                false
            }
            None => true,
        });
        gone.iter().any(|(w, line)| !self.new.has(w, line))
            || came.iter().any(|(w, line)| !self.old.has(w, line))
    }
}

fn words(s: &str) -> String {
    normalize::wording(s).collect()
}

/// The longest run of CJK ideographs in `s` (empty when it has none).
fn longest_ideograph_run(s: &str) -> &str {
    let ideograph = |c: char| ('\u{4E00}'..='\u{9FFF}').contains(&c);
    let mut best = "";
    let mut start = None;
    for (k, c) in s.char_indices().chain([(s.len(), ' ')]) {
        match (ideograph(c), start) {
            (true, None) => start = Some(k),
            (false, Some(b)) => {
                if k - b > best.len() {
                    best = &s[b..k];
                }
                start = None;
            }
            _ => {}
        }
    }
    best
}
