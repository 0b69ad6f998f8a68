//! Text outside any unit — a preamble (序言), an introduction under a heading, closing lines
//! (落款), annex titles, footnotes — compared block by block, so that no amendment to it goes
//! unreported.

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
    let notes: Vec<String> = b
        .footnotes
        .iter()
        .map(|f| format!("{}{}", f.marker, f.text))
        .collect();
    push(&mut out, vec!["注释".into()], notes.join("\n"));
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
            substantive: !normalize::formally_equal(old_text, &n.text),
        });
    }
    for (i, o) in ob.iter().enumerate() {
        if !used[i] {
            out.push(TextChange {
                path: o.path.clone(),
                old: Some(o.text.clone()),
                new: None,
                diff: chars::diff(&o.text, ""),
                substantive: !normalize::normalize(&o.text).is_empty(),
            });
        }
    }
    out
}
