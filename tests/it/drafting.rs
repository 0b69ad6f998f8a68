//! The draft 修改决定 (issue 20): every phrase instruction of every draft, read back from the
//! draft's words, changes its scope from the old text to the new; the 立法法 2015→2023 draft
//! as a drafter reads it (snapshot).

use std::path::Path;

use statute::amend::PhraseEdit;
use statute::diff::{ChangeSet, EntryKind, LineChange, LineOp, LineRef, Op, diff};
use statute::numerals::to_chinese;
use statute::render::decision;
use statute::render::select::{Filter, select};

use statute_eval::corpus::STATUTES;
use statute_eval::{Corpus, DEFAULT_PAIRS, generate};

use crate::common::{corpus, load, md_files};

fn draft(cs: &ChangeSet) -> String {
    let mut out = Vec::new();
    decision::write(cs, &select(cs, &Filter::default()), &mut out).expect("write");
    String::from_utf8(out).expect("utf-8")
}

fn side(l: &LineChange, keep: Op) -> String {
    l.diff
        .iter()
        .filter(|s| s.op == Op::Equal || s.op == keep)
        .map(|s| s.text.as_str())
        .collect()
}

/// Where a line stands, as the draft cites it: 第二款, 第三项, 第一款第二项.
fn locator(r: &LineRef, several: bool) -> String {
    let mut s = String::new();
    if several || r.item.is_none() {
        s.push_str(&format!("第{}款", to_chinese(r.para as u32)));
    }
    if let Some(i) = r.item {
        s.push_str(&format!("第{}项", to_chinese(i as u32)));
    }
    if let Some(m) = r.subitem {
        s.push_str(&format!("第{}目", to_chinese(m as u32)));
    }
    s
}

/// The clauses of an instruction, split at the commas between quotations.
fn clauses(s: &str) -> Vec<String> {
    let mut out = vec![String::new()];
    let mut depth = 0;
    for c in s.chars() {
        match c {
            '“' => depth += 1,
            '”' => depth -= 1,
            '，' if depth == 0 => {
                out.push(String::new());
                continue;
            }
            _ => {}
        }
        if let Some(last) = out.last_mut() {
            last.push(c);
        }
    }
    out
}

/// Checks every phrase instruction of the draft of `cs`: read back from its words, applied in
/// order to the old line it names, it gives the new line. Returns (instructions checked,
/// problems).
pub(crate) fn check_phrases(cs: &ChangeSet, what: &str) -> (usize, Vec<String>) {
    let text = draft(cs);
    let mut checked = 0;
    let mut problems = Vec::new();
    for e in &cs.entries {
        if e.kind != EntryKind::Modified || !e.substantive || e.old.len() != 1 {
            continue;
        }
        let label = &e.old[0].label;
        let several = e
            .lines
            .iter()
            .filter_map(|l| l.old.map(|r| r.para))
            .max()
            .unwrap_or(1)
            > 1;
        for l in &e.lines {
            let (LineOp::Modified, Some(r)) = (l.op, l.old) else {
                continue;
            };
            let place = match (several, r.item) {
                (false, None) => label.clone(),
                _ => format!("{label}{}", locator(&r, several)),
            };
            // The instruction for this line, if the draft states it phrase by phrase.
            let Some(line) = text.lines().find_map(|t| {
                let t = t.split_once('、').map_or(t, |(n, rest)| {
                    if n.chars().all(statute::numerals::is_numeral_char) {
                        rest
                    } else {
                        t
                    }
                });
                ["将", "在", "删去"].iter().find_map(|verb| {
                    t.strip_prefix(&format!("{verb}{place}中的"))
                        .map(|rest| format!("{verb}{rest}"))
                })
            }) else {
                continue;
            };
            let (old, new) = (side(l, Op::Delete), side(l, Op::Insert));
            let mut scope = old.clone();
            for (k, c) in clauses(&line).iter().enumerate() {
                let c = c.trim_end_matches('。');
                let c = if k == 0 {
                    c.strip_prefix('将').unwrap_or(c).to_string()
                } else {
                    c.to_string()
                };
                let Some(edit) = PhraseEdit::parse(&c) else {
                    problems.push(format!("{what} {place}: cannot read “{c}” in {line}"));
                    break;
                };
                checked += 1;
                match edit.apply(&scope) {
                    Some(s) => scope = s,
                    None => {
                        problems.push(format!(
                            "{what} {place}: “{}” is not in the line: {line}\n  {old}",
                            edit.find()
                        ));
                        break;
                    }
                }
            }
            // A 项 renumbered because one before it was inserted or deleted is not stated: the
            // renumbering follows from that instruction.
            let unmarked = |t: &str| -> String {
                match statute::parse::body::item_start(t) {
                    Some((_, len, _)) => t[len..].to_string(),
                    None => t.to_string(),
                }
            };
            if unmarked(&scope) != unmarked(&new)
                && problems
                    .last()
                    .is_none_or(|p| !p.starts_with(&format!("{what} {place}")))
            {
                problems.push(format!(
                    "{what} {place}: {line}\n  gives {scope}\n  not    {new}"
                ));
            }
        }
    }
    (checked, problems)
}

/// Prints the counts of a phrase check over `pairs` drafts and fails on any wrong
/// instruction, or when fewer than `least` were checked.
fn report(what: &str, pairs: usize, checked: usize, problems: &[String], least: usize) {
    println!(
        "phrase instructions checked on {pairs} {what} drafts: {checked}, wrong: {}",
        problems.len()
    );
    assert!(checked > least, "only {checked} phrase instructions");
    assert!(
        problems.is_empty(),
        "{} wrong:\n{}",
        problems.len(),
        problems[..problems.len().min(10)].join("\n")
    );
}

#[test]
fn every_phrase_instruction_of_every_corpus_draft_is_right() {
    let Some(dir) = corpus() else { return };
    let files = md_files(&dir.join("multi"));
    let (mut checked, mut problems, mut pairs) = (0, Vec::new(), 0);
    for w in files.windows(2) {
        if w[0].parent() != w[1].parent() {
            continue;
        }
        pairs += 1;
        let cs = diff(&load(&w[0]), &load(&w[1]));
        let (n, p) = check_phrases(&cs, &w[1].display().to_string());
        checked += n;
        problems.extend(p);
    }
    report("corpus", pairs, checked, &problems, 1000);
}

#[test]
fn every_phrase_instruction_of_the_mutation_benchmark_is_right() {
    let Some(dir) = corpus() else { return };
    let c = Corpus::load(&dir, STATUTES);
    let (mut checked, mut problems, mut pairs) = (0, Vec::new(), 0);
    for i in 0..DEFAULT_PAIRS {
        let p = generate(&c, i).unwrap_or_else(|e| panic!("{e}"));
        let Some(old) = p.old(&c) else {
            panic!("pair {i}: no source")
        };
        pairs += 1;
        let (n, e) = check_phrases(&diff(old, &p.new), &format!("pair {i}"));
        checked += n;
        problems.extend(e);
    }
    report("benchmark", pairs, checked, &problems, 100);
}

/// The 立法法 2015→2023 draft, as a drafter reads it.
#[test]
fn lifafa_2015_2023_draft() {
    let Some(dir) = corpus() else { return };
    let d = dir.join("multi/宪法相关法/中华人民共和国立法法");
    let (a, b) = (d.join("2015-03-15.md"), d.join("2023-03-13.md"));
    if !a.is_file() || !b.is_file() {
        println!("skipped: {} not in the corpus", d.display());
        return;
    }
    let cs = diff(&load(&a), &load(&b));
    insta::assert_snapshot!(draft(&cs));
}

/// The draft between two one-chapter statutes made of `old` and `new` articles.
fn draft_between(old: &[&str], new: &[&str]) -> String {
    let text = |arts: &[&str]| {
        let mut s = String::from("# 示范法\n\n");
        for (k, a) in arts.iter().enumerate() {
            s.push_str(&format!("第{}条　{a}\n\n", to_chinese(k as u32 + 1)));
        }
        s
    };
    let parse = |t: String| match statute::parse::parse_str(Path::new("t.md"), &t) {
        Ok(p) => p.statute,
        Err(e) => panic!("{e}"),
    };
    draft(&diff(&parse(text(old)), &parse(text(new))))
}

#[test]
fn quotations_are_whole_words_and_name_their_places() {
    let filler = "本条所称机关依照本法规定履行职责。";
    let cases = [
        // A name is quoted whole, not from its second character.
        (
            "中央军事委员会各总部、军兵种、军区、中国人民武装警察部队，可以根据法律制定军事规章。",
            "中国人民解放军各战区、军兵种、军区、中国人民武装警察部队，可以根据法律制定军事规章。",
            "将第一条中的“中央军事委员会各总部”修改为“中国人民解放军各战区”。",
        ),
        // A citation is quoted whole.
        (
            "依照本法第七十二条第二款规定确定的事项，由常务委员会决定。",
            "依照本法第八十一条第一款规定确定的事项，由常务委员会决定。",
            "将第一条中的“第七十二条第二款”修改为“第八十一条第一款”。",
        ),
        // An insertion ending in 和 belongs to the word after it.
        (
            "法律草案由法律委员会统一审议。",
            "法律草案由宪法和法律委员会统一审议。",
            "将第一条中的“法律委员会”修改为“宪法和法律委员会”。",
        ),
        // An insertion after a whole word.
        (
            "全国人民代表大会和全国人民代表大会常务委员会行使国家立法权。",
            "全国人民代表大会和全国人民代表大会常务委员会根据宪法规定行使国家立法权。",
            "在第一条中的“全国人民代表大会常务委员会”后增加“根据宪法规定”。",
        ),
        // The anchor has two characters of text, not a word and a comma.
        (
            "地方性法规公布后，及时在本级人民代表大会常务委员会公报上刊载。",
            "地方性法规公布后，其文本应当及时在本级人民代表大会常务委员会公报上刊载。",
            "在第一条中的“公布后，”后增加“其文本应当”。",
        ),
    ];
    for (old, new, expected) in cases {
        let d = draft_between(&[old, filler], &[new, filler]);
        assert!(d.contains(expected), "expected {expected}\nin:\n{d}");
    }
}

#[test]
fn a_quotation_means_the_same_places_in_the_law_in_force() {
    // 保护 stands twice in the old text; after the first edit only once, but a reader of the
    // law in force would look for both: the anchor grows until it names one place.
    let d = draft_between(
        &["可以就城乡建设与管理、环境保护、历史文化保护等方面的事项制定规章。"],
        &["可以就城乡建设与管理、生态文明建设、历史文化保护、基层治理等方面的事项制定规章。"],
    );
    assert!(
        d.contains("将第一条中的“环境保护”修改为“生态文明建设”"),
        "{d}"
    );
    assert!(!d.contains("在“保护”后"), "{d}");
    assert!(d.contains("文化保护”后增加“、基层治理”"), "{d}");
}

#[test]
fn an_article_restated_with_a_new_paragraph_says_so_first() {
    let d = draft_between(
        &[
            "国务院、中央军事委员会、最高人民法院、最高人民检察院以及省、自治区、直辖市的人民代表大会常务委员会可以提出法律解释要求。",
        ],
        &[
            "国务院、中央军事委员会、国家监察委员会、最高人民法院、最高人民检察院、全国人民代表大会各专门委员会，可以提出法律解释要求或者提出相关法律案。\n\n省、自治区、直辖市的人民代表大会常务委员会可以提出法律解释要求。",
        ],
    );
    // The old paragraph reads closest to the new second one, so the first is the new one.
    assert!(
        d.contains("一、在第一条中增加一款，作为第一款，将该条修改为：\n“国务院、"),
        "{d}"
    );
}
