//! Text outside any unit — a preamble (序言), an introduction under a heading, closing lines
//! (落款), annex titles — compared block by block, so that no amendment to it goes unreported.
//! Footnotes and editorial notes are compared apart (`notes.rs`): they are no part of the
//! statute.

use std::collections::HashSet;

use super::TextChange;
use super::chars;
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
pub(crate) fn diff(old: &Statute, new: &Statute) -> Vec<TextChange> {
    let ob = blocks(old);
    let nb = blocks(new);
    let mut out = Vec::new();
    let mut used = vec![false; ob.len()];
    let mut moves = Moves::new(old, new, &ob, &nb);
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
    old: &'s Statute,
    new: &'s Statute,
    blocks: (Vec<String>, Vec<String>),
    /// The wording of every line outside the blocks, per version, computed when first needed.
    elsewhere: Option<(HashSet<String>, HashSet<String>)>,
}

impl<'s> Moves<'s> {
    fn new(old: &'s Statute, new: &'s Statute, ob: &[Block], nb: &[Block]) -> Moves<'s> {
        let lines = |bs: &[Block]| bs.iter().flat_map(|b| b.text.lines().map(words)).collect();
        Moves {
            old,
            new,
            blocks: (lines(ob), lines(nb)),
            elsewhere: None,
        }
    }

    fn substantive(&mut self, old_text: &str, new_text: &str) -> bool {
        if normalize::same_wording(old_text, new_text) {
            return false;
        }
        let mut gone: Vec<String> = old_text
            .lines()
            .map(words)
            .filter(|w| !w.is_empty())
            .collect();
        let mut came: Vec<String> = new_text
            .lines()
            .map(words)
            .filter(|w| !w.is_empty())
            .collect();
        // Lines on both sides (as a multiset) stayed.
        gone.retain(|w| match came.iter().position(|c| c == w) {
            Some(k) => {
                came.swap_remove(k);
                false
            }
            None => true,
        });
        let (old_else, new_else) = self.elsewhere.get_or_insert_with(|| {
            let side = |s: &Statute, blocks: &[String]| {
                let mut set: HashSet<String> = unit_lines(s);
                set.extend(s.meta.history.iter().map(|e| words(&e.text)));
                set.extend(blocks.iter().cloned());
                set.remove("");
                set
            };
            (
                side(self.old, &self.blocks.0),
                side(self.new, &self.blocks.1),
            )
        });
        gone.iter().any(|w| !new_else.contains(w)) || came.iter().any(|w| !old_else.contains(w))
    }
}

fn words(s: &str) -> String {
    normalize::wording(s).collect()
}

/// The wording of every unit of `s` and of every line of each.
fn unit_lines(s: &Statute) -> HashSet<String> {
    let mut set = HashSet::new();
    for a in s.articles() {
        let text = a.article.text();
        set.extend(text.lines().map(words));
        set.insert(words(&text));
    }
    set
}
