//! `statute check`: numbering anomalies (gaps, duplicates, out-of-order units, misnumbered
//! divisions) and items standing outside any article.

use std::collections::HashMap;
use std::fmt;

use crate::model::{Division, DivisionKind, Node, Statute, UnitNum};

/// What kind of anomaly a finding is.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum FindingKind {
    Gap,
    Duplicate,
    OutOfOrder,
    ItemOutsideArticle,
    DivisionNumbering,
}

impl FindingKind {
    pub fn as_str(self) -> &'static str {
        match self {
            FindingKind::Gap => "gap",
            FindingKind::Duplicate => "duplicate",
            FindingKind::OutOfOrder => "out-of-order",
            FindingKind::ItemOutsideArticle => "item-outside-article",
            FindingKind::DivisionNumbering => "division-numbering",
        }
    }
}

/// One anomaly, at a source line.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Finding {
    pub line: u32,
    pub kind: FindingKind,
    pub message: String,
}

impl fmt::Display for Finding {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{}: {}: {}", self.line, self.kind.as_str(), self.message)
    }
}

/// Checks a version. Numbering restarts in each annex.
pub fn check(s: &Statute) -> Vec<Finding> {
    let mut out = Vec::new();
    check_units(&s.body.nodes, "", &mut out);
    for a in &s.body.annexes {
        check_units(&a.children, &format!("{}: ", a.title), &mut out);
    }
    check_divisions(&s.body.nodes, &mut out);
    let articles_mode = s
        .articles()
        .iter()
        .any(|a| matches!(a.article.num, UnitNum::Article { .. }));
    if articles_mode {
        stray_items(&s.body.nodes, false, &mut out);
    }
    out.sort_by_key(|f| f.line);
    out
}

fn units(nodes: &[Node], out: &mut Vec<(UnitNum, u32)>) {
    for n in nodes {
        match n {
            Node::Article(a) => out.push((a.num, a.loc.0)),
            Node::Division(d) => units(&d.children, out),
            Node::Para(_) => {}
        }
    }
}

fn check_units(nodes: &[Node], scope: &str, out: &mut Vec<Finding>) {
    let mut list = Vec::new();
    units(nodes, &mut list);
    let mut seen: HashMap<UnitNum, u32> = HashMap::new();
    let mut prev: Option<UnitNum> = None;
    for (num, line) in list {
        if matches!(num, UnitNum::Position(_)) {
            continue;
        }
        if let Some(first) = seen.get(&num) {
            out.push(Finding {
                line,
                kind: FindingKind::Duplicate,
                message: format!(
                    "{scope}{} appears again (first at line {first})",
                    num.label()
                ),
            });
            continue;
        }
        seen.insert(num, line);
        let expected_next = |p: UnitNum| -> Vec<UnitNum> {
            match p {
                UnitNum::Article { main, sub } => vec![
                    UnitNum::Article {
                        main: main + 1,
                        sub: 0,
                    },
                    UnitNum::Article { main, sub: sub + 1 },
                ],
                UnitNum::Point(n) => vec![UnitNum::Point(n + 1)],
                UnitNum::Position(n) => vec![UnitNum::Position(n + 1)],
            }
        };
        match prev {
            None => {
                let first_ok = matches!(
                    num,
                    UnitNum::Article { main: 1, sub: 0 } | UnitNum::Point(1)
                );
                if !first_ok {
                    out.push(Finding {
                        line,
                        kind: FindingKind::Gap,
                        message: format!("{scope}numbering starts at {}", num.label()),
                    });
                }
            }
            Some(p) if num < p => out.push(Finding {
                line,
                kind: FindingKind::OutOfOrder,
                message: format!("{scope}{} comes after {}", num.label(), p.label()),
            }),
            Some(p) if !expected_next(p).contains(&num) => out.push(Finding {
                line,
                kind: FindingKind::Gap,
                message: format!("{scope}{} follows {}", num.label(), p.label()),
            }),
            Some(_) => {}
        }
        // Compare with the neighbour, not the maximum so far: one stray number (a wrapped
        // line that starts with 第五十二条) gives two findings, not one per later article.
        prev = Some(num);
    }
}

/// Sibling divisions of one kind should be numbered 1, 2, 3 …
fn check_divisions(nodes: &[Node], out: &mut Vec<Finding>) {
    let mut last: HashMap<DivisionKind, u32> = HashMap::new();
    for n in nodes {
        if let Node::Division(d) = n {
            if let (Some(num), Some(_)) = (d.num, d.kind.suffix()) {
                let prev = last.insert(d.kind, num);
                let expected = prev.map_or(num, |p| p + 1);
                // Chapters continue across parts in some codes, so only the first of a run
                // may start above one; after that numbers must step by one.
                if prev.is_some() && num != expected {
                    out.push(Finding {
                        line: d.loc.0,
                        kind: FindingKind::DivisionNumbering,
                        message: format!(
                            "{} follows 第{}{}",
                            d.heading(),
                            crate::numerals::to_chinese(prev.unwrap_or(0)),
                            d.kind.suffix().unwrap_or("")
                        ),
                    });
                }
            }
            check_divisions(&d.children, out);
        }
    }
}

fn stray_items(nodes: &[Node], in_preamble: bool, out: &mut Vec<Finding>) {
    for n in nodes {
        match n {
            Node::Para(p) if !in_preamble => {
                let starts_with_item = p.text.starts_with(['（', '('])
                    && p.items.is_empty()
                    && p.text
                        .chars()
                        .nth(1)
                        .is_some_and(crate::numerals::is_numeral_char);
                if starts_with_item {
                    out.push(Finding {
                        line: p.loc.0,
                        kind: FindingKind::ItemOutsideArticle,
                        message: format!("item “{}” stands outside any article", excerpt(&p.text)),
                    });
                }
                for i in &p.items {
                    out.push(Finding {
                        line: i.loc.0,
                        kind: FindingKind::ItemOutsideArticle,
                        message: format!(
                            "item “{}{}” stands outside any article",
                            i.marker,
                            excerpt(&i.text)
                        ),
                    });
                }
            }
            Node::Division(Division { kind, children, .. }) => stray_items(
                children,
                in_preamble || *kind == DivisionKind::Preamble,
                out,
            ),
            _ => {}
        }
    }
}

fn excerpt(s: &str) -> String {
    let mut e: String = s.chars().take(20).collect();
    if s.chars().count() > 20 {
        e.push('…');
    }
    e
}
