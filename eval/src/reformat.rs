//! Cross-source re-formatting: the same version as another source writes it. Continuation
//! paragraphs as Markdown list items, headings without markup, a 题注 line carried in the
//! body, editorial notes added: applied to a rendering in the corpus format, none of them is
//! an amendment. And point-numbered documents (决定, 修正案) written with their points as
//! plain paragraphs, or the reverse ([`act_pair`]).

use std::path::Path;

use statute::Statute;
use statute::model::{Item, Node, UnitNum};
use statute::parse::body::article_start;
use statute::parse::parse_str;

use crate::corpus::Corpus;
use crate::generate::GenerateError;
use crate::render::Format;
use crate::rng::Rng;
use crate::truth::{Pair, Truth};

/// One way a second source writes the same text.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord)]
pub enum Reformat {
    /// Every line of a unit after its first written as a Markdown list item (`- …`).
    ListMarkers,
    /// Chapter, section and point headings written without `#` markup.
    HeadingMarkup,
    /// A 题注 line of the old version carried at the top of the body.
    HeaderIntoBody,
    /// An editorial note after the last unit (① …), and one after another unit (编者注：…).
    Notes,
}

impl Reformat {
    pub const ALL: [Reformat; 4] = [
        Reformat::ListMarkers,
        Reformat::HeadingMarkup,
        Reformat::HeaderIntoBody,
        Reformat::Notes,
    ];

    pub fn name(self) -> &'static str {
        match self {
            Reformat::ListMarkers => "reformat:list-markers",
            Reformat::HeadingMarkup => "reformat:heading-markup",
            Reformat::HeaderIntoBody => "reformat:header-into-body",
            Reformat::Notes => "reformat:notes",
        }
    }
}

/// Editorial notes as publishers print them after a statute's last article (synthetic).
const END_NOTES: [&str; 3] = [
    "① 本条例、历次修正决定的施行日期，分别依据各决定所规定的施行日期确定。",
    "①　根据有关修正决定，本文本中有关部门的名称已作相应调整。",
    "① 本文本系根据历次修改决定整理，仅供参考。",
];

/// Editorial notes printed after an article (synthetic).
const ARTICLE_NOTES: [&str; 3] = [
    "编者注：本条所称“日”，是指工作日。",
    "【编者注】本条中有关部门的名称已按照机构改革后的名称调整。",
    "编者注：本条第二款的规定自公布之日起施行。",
];

/// The body lines of a corpus-format rendering: the index of the first line after
/// `<!-- INFO END -->`.
fn body_start(lines: &[String]) -> Option<usize> {
    lines
        .iter()
        .position(|l| l.trim() == "<!-- INFO END -->")
        .map(|k| k + 1)
}

fn unit_start(line: &str) -> bool {
    article_start(line).is_some()
}

fn heading(line: &str) -> bool {
    line.starts_with('#')
}

/// `text` (a corpus-format rendering of `old`'s new version) as another source writes it;
/// `None` when `r` finds nothing to change.
pub fn apply(r: Reformat, text: &str, old: &Statute, rng: &mut Rng) -> Option<String> {
    let mut lines: Vec<String> = text.lines().map(str::to_string).collect();
    let start = body_start(&lines)?;
    let changed = match r {
        Reformat::ListMarkers => {
            let mut in_unit = false;
            let mut changed = false;
            for l in &mut lines[start..] {
                if l.trim().is_empty() {
                    continue;
                }
                if unit_start(l) {
                    in_unit = true;
                } else if heading(l) {
                    in_unit = false;
                } else if in_unit {
                    l.insert_str(0, "- ");
                    changed = true;
                }
            }
            changed
        }
        Reformat::HeadingMarkup => {
            let mut changed = false;
            for l in &mut lines[start..] {
                let t = l.trim_start_matches('#').trim();
                if heading(l) && plain_heading(t) {
                    *l = t.to_string();
                    changed = true;
                }
            }
            changed
        }
        Reformat::HeaderIntoBody => {
            let event = rng.pick(&old.meta.history)?;
            lines.insert(start, String::new());
            lines.insert(start + 1, event.text.clone());
            true
        }
        Reformat::Notes => {
            let units: Vec<usize> = (start..lines.len())
                .filter(|&k| unit_start(&lines[k]))
                .collect();
            if units.len() < 2 {
                return None;
            }
            // After an article: right before the next one.
            let k = units[1 + rng.below(units.len() - 1)];
            let note = ARTICLE_NOTES[rng.below(ARTICLE_NOTES.len())];
            lines.splice(k..k, [note.to_string(), String::new()]);
            lines.push(String::new());
            lines.push(END_NOTES[rng.below(END_NOTES.len())].to_string());
            true
        }
    };
    changed.then(|| {
        let mut out = lines.join("\n");
        out.push('\n');
        out
    })
}

/// A heading that every source writes the same with or without markup: 第一章 总则, 第二节 …,
/// 第一编 …, or 一、一般规定 (short, without sentence punctuation).
fn plain_heading(t: &str) -> bool {
    let short = t.chars().count() <= 25 && !t.contains(['，', '。', '；', '：', ',', ';', ':']);
    let numbered = t.starts_with('第')
        && t.chars()
            .skip(1)
            .find(|c| !statute::numerals::is_numeral_char(*c))
            .is_some_and(|c| matches!(c, '编' | '章' | '节' | '分'));
    let point = t
        .chars()
        .take_while(|c| "一二三四五六七八九十".contains(*c))
        .count()
        > 0
        && t.chars()
            .find(|c| !"一二三四五六七八九十".contains(*c))
            .is_some_and(|c| c == '、');
    short && (numbered || point)
}

// ---------------------------------------------------------------------------------------------
// Point-numbered documents

/// Where a line of a point-numbered document stands.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Origin {
    /// Text outside the points (an introduction).
    Free,
    /// The `p`-th paragraph of point `k` (an index into `articles()`).
    Point(usize),
    /// A closing line (本决定自公布之日起施行).
    Closing,
}

/// The document written in the corpus format with its points as plain paragraphs: their
/// 一、 labels left out. Each line is returned with where it stands.
fn unnumbered(act: &Statute) -> (String, Vec<(Origin, String)>) {
    let mut out = format!("# {}\n\n", act.meta.title);
    for e in &act.meta.history {
        out.push_str(&e.text);
        out.push_str("\n\n");
    }
    out.push_str("<!-- INFO END -->\n\n");
    let mut lines: Vec<(Origin, String)> = Vec::new();
    let mut unit = 0usize;
    fn items(list: &[Item], out: &mut String) {
        for it in list {
            out.push_str(&format!("{}{}\n\n", it.marker, it.text));
            items(&it.subitems, out);
        }
    }
    fn walk(nodes: &[Node], unit: &mut usize, out: &mut String, lines: &mut Vec<(Origin, String)>) {
        for n in nodes {
            match n {
                Node::Division(d) => {
                    out.push_str(&format!("## {}\n\n", d.heading()));
                    walk(&d.children, unit, out, lines);
                }
                Node::Article(a) => {
                    for p in &a.paras {
                        out.push_str(&p.text);
                        out.push_str("\n\n");
                        items(&p.items, out);
                        lines.push((Origin::Point(*unit), p.text.clone()));
                    }
                    *unit += 1;
                }
                Node::Para(p) => {
                    out.push_str(&p.text);
                    out.push_str("\n\n");
                    items(&p.items, out);
                    lines.push((Origin::Free, p.text.clone()));
                }
            }
        }
    }
    walk(&act.body.nodes, &mut unit, &mut out, &mut lines);
    for c in &act.body.closing {
        out.push_str(c);
        out.push_str("\n\n");
        lines.push((Origin::Closing, c.clone()));
    }
    (out, lines)
}

/// The origin of each unit of `plain` (the unnumbered document parsed), found by walking the
/// lines in order; `None` when a unit does not start where a line does.
fn origins(plain: &Statute, lines: &[(Origin, String)]) -> Option<Vec<Origin>> {
    let mut out = Vec::new();
    let mut at = 0;
    for a in plain.articles() {
        let first = a.article.paras.first().map_or("", |p| p.text.as_str());
        let k = (at..lines.len()).find(|&k| lines[k].1 == first)?;
        // Lines passed over were taken as closing lines again.
        if lines[at..k].iter().any(|(o, _)| *o != Origin::Closing) {
            return None;
        }
        out.push(lines[k].0);
        // The unit's further paragraphs are lines too.
        at = k + a.article.paras.len();
    }
    Some(out)
}

/// A pair of a point-numbered document (`c.acts[act]`) and the same document with its points
/// as plain paragraphs, in either direction, perhaps with list markers and notes too: nothing
/// in it is an amendment.
pub fn act_pair(
    c: &Corpus,
    act: usize,
    index: usize,
    rng: &mut Rng,
) -> Result<Pair, GenerateError> {
    let src = &c.acts[act];
    let numbered = &src.statute;
    if !numbered
        .articles()
        .iter()
        .all(|a| matches!(a.article.num, UnitNum::Point(_)))
    {
        return Err(GenerateError::new(format!(
            "pair {index}: {} is not a document of numbered points",
            src.name
        )));
    }
    let (text, lines) = unnumbered(numbered);
    let plain = parse_str(Path::new("unnumbered"), &text)
        .map_err(|e| GenerateError::new(format!("pair {index}: {}: {e}", src.name)))?
        .statute;
    let origins = origins(&plain, &lines).ok_or_else(|| {
        GenerateError::new(format!(
            "pair {index}: {}: the unnumbered copy's units do not follow its lines",
            src.name
        ))
    })?;
    // Units of each point in the plain copy.
    let points = numbered.articles().len();
    let mut parts: Vec<Vec<usize>> = vec![Vec::new(); points];
    for (u, o) in origins.iter().enumerate() {
        if let Origin::Point(k) = o
            && let Some(list) = parts.get_mut(*k)
        {
            list.push(u);
        }
    }
    let remove = rng.chance(0.5);
    let mut log = vec![if remove {
        "reformat:points-unnumbered".to_string()
    } else {
        "reformat:points-numbered".to_string()
    }];
    let (old, new_text, truth, deleted) = if remove {
        // Numbered → plain: each point's paragraphs are its parts (one: the same unit).
        let truth: Vec<Truth> = origins
            .iter()
            .map(|o| match o {
                Origin::Point(k) if parts[*k].len() == 1 => Truth::Same(*k),
                Origin::Point(k) => Truth::SplitFrom(*k),
                Origin::Free | Origin::Closing => Truth::Added,
            })
            .collect();
        (None, text, truth, Vec::new())
    } else {
        // Plain → numbered: each point merges its paragraphs; free and closing lines leave
        // the units.
        let truth: Vec<Truth> = parts
            .iter()
            .map(|list| match list.as_slice() {
                [one] => Truth::Same(*one),
                _ => Truth::MergedFrom(list.clone()),
            })
            .collect();
        let deleted: Vec<usize> = origins
            .iter()
            .enumerate()
            .filter(|(_, o)| matches!(o, Origin::Free | Origin::Closing))
            .map(|(u, _)| u)
            .collect();
        let text = statute::parse::canonical::to_string(numbered);
        (
            Some(plain.clone()),
            corpus_of(numbered, &text),
            truth,
            deleted,
        )
    };
    let old_side = old.as_ref().unwrap_or(numbered);
    let mut new_text = new_text;
    for r in [Reformat::ListMarkers, Reformat::Notes] {
        if rng.chance(0.4)
            && let Some(t) = apply(r, &new_text, old_side, rng)
        {
            new_text = t;
            log.push(r.name().to_string());
        }
    }
    let new = parse_str(Path::new("reformatted"), &new_text)
        .map_err(|e| GenerateError::new(format!("pair {index}: {}: {e}", src.name)))?
        .statute;
    if new.articles().len() != truth.len() {
        return Err(GenerateError::new(format!(
            "pair {index} ({}, {log:?}): {} units parsed, truth for {}",
            src.name,
            new.articles().len(),
            truth.len()
        )));
    }
    Ok(Pair {
        index,
        source: act,
        act: true,
        old,
        format: Format::Corpus,
        log,
        text: new_text,
        refs: vec![false; truth.len()],
        new,
        truth,
        deleted,
        moved: Vec::new(),
        regenerated: 0,
    })
}

/// A numbered document in the corpus layout, from its canonical form: the front matter
/// replaced by the `# title`, 题注 lines and `<!-- INFO END -->` of the corpus format.
fn corpus_of(s: &Statute, canonical: &str) -> String {
    let body = canonical
        .split("\n---\n")
        .nth(1)
        .unwrap_or(canonical)
        .trim_start()
        .strip_prefix(&format!("# {}", s.meta.title))
        .unwrap_or("");
    let mut out = format!("# {}\n\n", s.meta.title);
    for e in &s.meta.history {
        out.push_str(&e.text);
        out.push_str("\n\n");
    }
    out.push_str("<!-- INFO END -->\n");
    out.push_str(body);
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    fn parse(text: &str) -> Statute {
        parse_str(Path::new("t.md"), text).expect("parses").statute
    }

    const ACT: &str = "# 关于修改某法的决定\n\n2020年1月1日 某会议通过\n\n<!-- INFO END -->\n\n某会议决定对《某法》作如下修改：\n\n一、将第十条修改为：“甲乙丙丁。\n\n“戊己庚辛。”\n\n二、删去第十二条。\n\n本决定自公布之日起施行。\n";

    #[test]
    fn unnumbered_units_follow_the_points() {
        let act = parse(ACT);
        assert_eq!(act.articles().len(), 2);
        let (text, lines) = unnumbered(&act);
        assert!(!text.contains("一、") && !text.contains("二、"), "{text}");
        let plain = parse(&text);
        let o = origins(&plain, &lines).expect("origins");
        assert_eq!(
            o,
            [
                Origin::Free,
                Origin::Point(0),
                Origin::Point(0),
                Origin::Point(1),
                Origin::Closing
            ]
        );
    }

    #[test]
    fn reformats_change_markup_only() {
        let s = parse(
            "# 某条例\n\n2020年1月1日 某会议通过\n\n<!-- INFO END -->\n\n## 第一章 总则\n\n第一条 甲。\n\n乙。\n\n第二条 丙。\n\n（一）丁；\n\n（二）戊。\n",
        );
        let text = crate::render::render(Format::Corpus, &s);
        let mut rng = Rng::new(1);
        let listed = apply(Reformat::ListMarkers, &text, &s, &mut rng).expect("changes");
        assert!(listed.contains("\n- 乙。\n") && listed.contains("\n- （一）丁；\n"));
        let bare = apply(Reformat::HeadingMarkup, &text, &s, &mut rng).expect("changes");
        assert!(bare.contains("\n第一章 总则\n"));
        let noted = apply(Reformat::Notes, &text, &s, &mut rng).expect("changes");
        assert!(noted.contains("编者注") && noted.contains('①'), "{noted}");
        for t in [&listed, &bare, &noted] {
            let again = parse(t);
            let texts = |s: &Statute| -> Vec<String> {
                s.articles().iter().map(|a| a.article.text()).collect()
            };
            assert_eq!(texts(&again), texts(&s), "{t}");
        }
        assert!(plain_heading("第三章 法律责任") && plain_heading("一、一般规定"));
        assert!(!plain_heading("第三条 甲。") && !plain_heading("一、将第十条修改为：甲"));
    }
}
