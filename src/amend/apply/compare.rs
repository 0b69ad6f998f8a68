//! An applied act against an official consolidated text: every substantive difference, with
//! the instructions behind it.

use super::*;

/// One difference between an applied act and an official consolidated text.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Discrepancy {
    /// What the official text has instead: modified, added, deleted, split, merged, or
    /// renumbered (same text, another number).
    pub kind: &'static str,
    /// The articles of the applied result.
    pub applied: Vec<String>,
    /// The articles of the official text.
    pub official: Vec<String>,
    /// The instructions (indices into [`Applied::outcomes`]) that changed these articles: the
    /// difference is theirs; none means an editor's change the act does not authorise.
    pub instructions: Vec<usize>,
    /// A short excerpt of the difference, deletions in [-…-] and insertions in {+…+}.
    pub excerpt: String,
}

/// The differences between `applied` and `official` (a consolidated text of the same date),
/// each with the instructions responsible (indices into [`Applied::outcomes`]). Formal
/// differences (width, punctuation, whitespace, markup) are none.
pub fn compare(applied: &Applied, official: &Statute) -> Vec<Discrepancy> {
    let by_article = |nums: &[UnitNum]| -> Vec<usize> {
        applied
            .outcomes
            .iter()
            .filter(|o| o.articles.iter().any(|a| nums.contains(a)))
            .map(|o| o.index)
            .collect()
    };
    let by_heading = |sides: &[&String]| -> Vec<usize> {
        applied
            .outcomes
            .iter()
            .filter(|o| {
                o.headings
                    .iter()
                    .any(|named| sides.iter().any(|s| s.starts_with(named.as_str())))
            })
            .map(|o| o.index)
            .collect()
    };
    compare_texts(&applied.statute, official, &by_article, &by_heading)
}

/// The substantive differences between `result` (a text made from an act) and `official`;
/// `by_article` names the instructions behind a difference in the result's articles,
/// `by_heading` behind one in a heading (given both sides' words).
pub fn compare_texts(
    result: &Statute,
    official: &Statute,
    by_article: &dyn Fn(&[UnitNum]) -> Vec<usize>,
    by_heading: &dyn Fn(&[&String]) -> Vec<usize>,
) -> Vec<Discrepancy> {
    use crate::diff::EntryKind;
    let cs = crate::diff::diff(result, official);
    let mut out = Vec::new();
    for e in &cs.entries {
        let kind = match e.kind {
            EntryKind::Modified if e.substantive => "modified",
            EntryKind::Added => "added",
            EntryKind::Deleted => "deleted",
            EntryKind::Split if !e.restructured => "split",
            EntryKind::Merged if !e.restructured => "merged",
            _ if e.renumbered || e.moved => "renumbered",
            _ => continue,
        };
        let nums: Vec<UnitNum> = e.old.iter().map(|u| u.num).collect();
        out.push(Discrepancy {
            kind,
            applied: e.old.iter().map(|u| u.label.clone()).collect(),
            official: e.new.iter().map(|u| u.label.clone()).collect(),
            instructions: by_article(&nums),
            excerpt: excerpt(&e.diff),
        });
    }
    for h in &cs.headings {
        let sides: Vec<&String> = h.old.iter().chain(h.new.iter()).collect();
        out.push(Discrepancy {
            kind: "heading",
            applied: h.old.iter().cloned().collect(),
            official: h.new.iter().cloned().collect(),
            instructions: by_heading(&sides),
            excerpt: String::new(),
        });
    }
    out
}

/// A difference in a few words: deletions [-…-], insertions {+…+}, the text around them cut
/// after a punctuation mark where one is near (else after 10 characters), at most about 200
/// characters in all; lines joined by ／.
fn excerpt(diff: &[crate::diff::Segment]) -> String {
    use crate::diff::Op as SegOp;
    let stop = |c: char| matches!(c, '，' | '。' | '；' | '：' | '、');
    let mut out = String::new();
    let mut changes = 0usize;
    for s in diff {
        match s.op {
            SegOp::Equal => {
                let chars: Vec<char> = s.text.chars().collect();
                if chars.len() <= 24 {
                    out.push_str(&s.text);
                } else {
                    // The end of the text before the next change: from after a punctuation
                    // mark among its last 16 characters.
                    let from = (chars.len() - 16..chars.len())
                        .find(|&k| k > 0 && stop(chars[k - 1]))
                        .unwrap_or(chars.len() - 10);
                    let tail: String = chars[from..].iter().collect();
                    if changes == 0 {
                        out.push('…');
                    } else {
                        // The start of the text after the last change: up to a punctuation
                        // mark among its first 16 characters.
                        let to = (1..=16).find(|&k| stop(chars[k - 1])).unwrap_or(10);
                        out.extend(&chars[..to]);
                        out.push('…');
                    }
                    out.push_str(&tail);
                }
            }
            SegOp::Delete => {
                changes += 1;
                out.push_str(&format!("[-{}-]", s.text));
            }
            SegOp::Insert => {
                changes += 1;
                out.push_str(&format!("{{+{}+}}", s.text));
            }
        }
        if out.chars().count() > 200 {
            out.push('…');
            break;
        }
    }
    out.replace('\n', "／")
}
