//! Editorial notes and footnotes, compared apart from the statute's text: a reader sees what
//! an editor added, removed or reworded, and none of it is ever an amendment.

use super::chars;
use super::{NoteChange, NoteRef};
use crate::model::Statute;
use crate::normalize;

/// The notes of one version: editorial notes, then footnotes.
fn notes(s: &Statute) -> Vec<NoteRef> {
    let arts = s.articles();
    let mut out: Vec<NoteRef> = s
        .body
        .notes
        .iter()
        .map(|n| NoteRef {
            text: format!("{}{}", n.marker, n.text),
            after: n.after.and_then(|k| arts.get(k)).map(|a| a.label(s)),
            footnote: false,
        })
        .collect();
    out.extend(s.body.footnotes.iter().map(|f| NoteRef {
        text: format!("{}{}", f.marker, f.text),
        after: None,
        footnote: true,
    }));
    out
}

/// Below this bigram similarity two notes are one removed and one added, not one reworded.
const REWORDED: f64 = 0.5;

/// The notes that differ, in the new version's order (removed notes last).
pub(crate) fn diff(old: &Statute, new: &Statute) -> Vec<NoteChange> {
    if old.body.notes.is_empty()
        && new.body.notes.is_empty()
        && old.body.footnotes.is_empty()
        && new.body.footnotes.is_empty()
    {
        return Vec::new();
    }
    let (on, nn) = (notes(old), notes(new));
    let words = |n: &NoteRef| normalize::wording(&n.text).collect::<String>();
    let (ow, nw): (Vec<String>, Vec<String>) = (
        on.iter().map(words).collect(),
        nn.iter().map(words).collect(),
    );
    let mut old_to: Vec<Option<usize>> = vec![None; on.len()];
    let mut new_to: Vec<Option<usize>> = vec![None; nn.len()];
    // The same wording first, in order; then the most similar of the rest.
    for (j, w) in nw.iter().enumerate() {
        if let Some(i) = (0..on.len()).find(|&i| old_to[i].is_none() && ow[i] == *w) {
            old_to[i] = Some(j);
            new_to[j] = Some(i);
        }
    }
    let prepared = |w: &String| crate::align::prepared(w.clone());
    let (op, np): (Vec<_>, Vec<_>) = (
        ow.iter().map(prepared).collect(),
        nw.iter().map(prepared).collect(),
    );
    let mut candidates: Vec<(f64, usize, usize)> = Vec::new();
    for (i, a) in op.iter().enumerate() {
        for (j, b) in np.iter().enumerate() {
            if old_to[i].is_none() && new_to[j].is_none() {
                let d = crate::align::similarity(a, b).0;
                if d >= REWORDED {
                    candidates.push((d, i, j));
                }
            }
        }
    }
    candidates.sort_by(|a, b| b.0.total_cmp(&a.0).then(a.1.cmp(&b.1)).then(a.2.cmp(&b.2)));
    for (_, i, j) in candidates {
        if old_to[i].is_none() && new_to[j].is_none() {
            old_to[i] = Some(j);
            new_to[j] = Some(i);
        }
    }
    let mut out = Vec::new();
    for (j, n) in nn.iter().enumerate() {
        match new_to[j] {
            Some(i) if ow[i] == nw[j] => {}
            Some(i) => out.push(NoteChange {
                diff: chars::diff(&on[i].text, &n.text),
                old: Some(on[i].clone()),
                new: Some(n.clone()),
            }),
            None => out.push(NoteChange {
                diff: chars::diff("", &n.text),
                old: None,
                new: Some(n.clone()),
            }),
        }
    }
    for (i, o) in on.iter().enumerate() {
        if old_to[i].is_none() {
            out.push(NoteChange {
                diff: chars::diff(&o.text, ""),
                old: Some(o.clone()),
                new: None,
            });
        }
    }
    out
}
