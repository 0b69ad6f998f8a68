//! Character-level diff of Chinese text with `similar` (Patience), cleaned up so that edits
//! read as phrases: short equal runs stranded between edits are folded into them.

use similar::{Algorithm, ChangeTag, TextDiff};

/// What a segment does.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum Op {
    Equal,
    Insert,
    Delete,
}

impl Op {
    pub fn as_str(self) -> &'static str {
        match self {
            Op::Equal => "equal",
            Op::Insert => "insert",
            Op::Delete => "delete",
        }
    }
}

/// A run of text with one operation.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Segment {
    pub op: Op,
    pub text: String,
}

impl Segment {
    pub fn new(op: Op, text: impl Into<String>) -> Segment {
        Segment {
            op,
            text: text.into(),
        }
    }
}

/// Equal runs of at most this many characters between two edits are absorbed into them.
const STRANDED: usize = 2;

/// The cleaned-up character diff of `old` → `new`.
pub fn diff(old: &str, new: &str) -> Vec<Segment> {
    if old == new {
        return if old.is_empty() {
            Vec::new()
        } else {
            vec![Segment::new(Op::Equal, old)]
        };
    }
    let d = TextDiff::configure()
        .algorithm(Algorithm::Patience)
        .diff_chars(old, new);
    let mut raw: Vec<Segment> = Vec::new();
    for change in d.iter_all_changes() {
        let op = match change.tag() {
            ChangeTag::Equal => Op::Equal,
            ChangeTag::Insert => Op::Insert,
            ChangeTag::Delete => Op::Delete,
        };
        push(&mut raw, op, change.value());
    }
    cleanup(raw)
}

/// Appends text, merging with the last segment when the operation is the same.
pub fn push(segs: &mut Vec<Segment>, op: Op, text: &str) {
    if text.is_empty() {
        return;
    }
    match segs.last_mut() {
        Some(last) if last.op == op => last.text.push_str(text),
        _ => segs.push(Segment::new(op, text)),
    }
}

/// Folds short equal runs between edits into the edits, then regroups each edit region as
/// one deletion followed by one insertion.
fn cleanup(segs: Vec<Segment>) -> Vec<Segment> {
    let mut out: Vec<Segment> = Vec::new();
    let mut del = String::new();
    let mut ins = String::new();
    let n = segs.len();
    let flush = |out: &mut Vec<Segment>, del: &mut String, ins: &mut String| {
        push(out, Op::Delete, del);
        push(out, Op::Insert, ins);
        del.clear();
        ins.clear();
    };
    for (k, s) in segs.iter().enumerate() {
        match s.op {
            Op::Delete => del.push_str(&s.text),
            Op::Insert => ins.push_str(&s.text),
            Op::Equal => {
                let stranded = k > 0
                    && k + 1 < n
                    && (!del.is_empty() || !ins.is_empty())
                    && s.text.chars().count() <= STRANDED;
                if stranded {
                    del.push_str(&s.text);
                    ins.push_str(&s.text);
                } else {
                    flush(&mut out, &mut del, &mut ins);
                    push(&mut out, Op::Equal, &s.text);
                }
            }
        }
    }
    flush(&mut out, &mut del, &mut ins);
    out
}

/// The old side of a diff.
pub fn old_text(segs: &[Segment]) -> String {
    segs.iter()
        .filter(|s| s.op != Op::Insert)
        .map(|s| s.text.as_str())
        .collect()
}

/// The new side of a diff.
pub fn new_text(segs: &[Segment]) -> String {
    segs.iter()
        .filter(|s| s.op != Op::Delete)
        .map(|s| s.text.as_str())
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn sides_rebuild_exactly() {
        let a = "国务院部门规章和地方政府规章的制定、修改和废止，依照本法的有关规定执行。";
        let b = "国务院部门规章和地方政府规章的制定、修改、废止和解释，依照本法的相关规定执行。";
        let d = diff(a, b);
        assert_eq!(old_text(&d), a);
        assert_eq!(new_text(&d), b);
    }

    #[test]
    fn no_confetti_between_edits() {
        let d = diff("甲乙丙丁戊", "子乙丑丁寅");
        // One phrase replaced, not five alternating single characters.
        assert!(d.iter().all(|s| s.op != Op::Equal), "{d:?}");
        assert_eq!(d.len(), 2);
    }

    #[test]
    fn identical_is_one_equal_segment() {
        assert_eq!(diff("甲", "甲"), vec![Segment::new(Op::Equal, "甲")]);
        assert!(diff("", "").is_empty());
    }
}
