//! Fixtures: one behaviour each, checked against the facts in fixtures/README.md.

use statute::check::{FindingKind, check};
use statute::model::{DivisionKind, EventKind, Node, Statute, UnitNum};
use statute::parse::{Parsed, SourceFormat, parse_file};

use crate::common::fixture;

fn parse(name: &str) -> Parsed {
    match parse_file(&fixture(name)) {
        Ok(p) => p,
        Err(e) => panic!("{name}: {e}"),
    }
}

fn labels(s: &Statute) -> Vec<String> {
    s.articles().iter().map(|a| a.article.num.label()).collect()
}

fn headings(nodes: &[Node], depth: usize, out: &mut Vec<String>) {
    for n in nodes {
        if let Node::Division(d) = n {
            out.push(format!("{}{}", "  ".repeat(depth), d.heading()));
            headings(&d.children, depth + 1, out);
        }
    }
}

fn outline(s: &Statute) -> Vec<String> {
    let mut out = Vec::new();
    headings(&s.body.nodes, 0, &mut out);
    out
}

fn article<'a>(s: &'a Statute, label: &str) -> &'a statute::model::Article {
    s.articles()
        .into_iter()
        .map(|a| a.article)
        .find(|a| a.num.label() == label)
        .unwrap_or_else(|| panic!("no {label}"))
}

#[test]
fn corpus_format_chapters_sections_items() {
    let p = parse("corpus-format.md");
    assert_eq!(p.format, SourceFormat::Corpus);
    let s = &p.statute;
    assert_eq!(s.meta.title, "某某省城市绿化条例");
    let kinds: Vec<EventKind> = s.meta.history.iter().map(|e| e.kind).collect();
    assert_eq!(kinds, [EventKind::Adopted, EventKind::Amended]);
    assert_eq!(
        s.meta.version_date.map(|d| d.to_string()).as_deref(),
        Some("2022-03-01")
    );
    assert_eq!(labels(s).len(), 8);
    assert_eq!(
        outline(s),
        [
            "第一章 总则",
            "第二章 规划与建设",
            "  第一节 绿化规划",
            "  第二节 绿化建设",
            "第三章 附则"
        ]
    );
    let a5 = article(s, "第五条");
    assert_eq!(a5.paras[0].items.len(), 4);
    assert_eq!(a5.paras[0].items[1].subitems.len(), 3);
    assert_eq!(a5.paras[0].items[1].subitems[0].marker, "1.");
}

#[test]
fn crlf_and_bom_parse_like_lf() {
    let a = parse("corpus-format.md").statute;
    let b = parse("crlf-bom.md").statute;
    assert_eq!(a, b);
    assert!(!b.meta.title.starts_with('\u{feff}'));
}

#[test]
fn seed_format_front_matter_history_toc() {
    let p = parse("seed-format.md");
    assert_eq!(p.format, SourceFormat::Seed);
    let s = &p.statute;
    assert_eq!(s.meta.title, "某某市养犬管理条例");
    assert_eq!(
        s.meta.effective.map(|d| d.to_string()).as_deref(),
        Some("2021-09-01")
    );
    assert_eq!(s.meta.history.len(), 2, "{:?}", s.meta.history);
    assert_eq!(s.meta.history[1].kind, EventKind::Amended);
    assert_eq!(s.body.toc.len(), 3);
    assert_eq!(labels(s).len(), 7);
    let a5 = article(s, "第五条");
    assert_eq!(a5.paras.len(), 2);
    assert_eq!(a5.paras[0].items.len(), 3);
}

#[test]
fn plain_text_and_gb18030_agree() {
    let plain = parse("plain-text.txt");
    let gbk = parse("gbk.txt");
    assert_eq!(plain.format, SourceFormat::Plain);
    assert_eq!(gbk.encoding, "GB18030");
    assert!(gbk.warnings.iter().any(|w| w.message.contains("GB18030")));
    assert_eq!(plain.statute, gbk.statute);
    let s = &plain.statute;
    assert_eq!(s.meta.title, "某某市物业管理条例");
    assert_eq!(s.meta.history.len(), 1);
    assert_eq!(labels(s).len(), 6);
    assert_eq!(outline(s).len(), 3);
    assert_eq!(article(s, "第四条").paras[0].items.len(), 4);
}

#[test]
fn zhiyi_articles_number_as_main_and_sub() {
    let s = parse("zhiyi.md").statute;
    let nums: Vec<UnitNum> = s.articles().iter().map(|a| a.article.num).collect();
    assert!(nums.contains(&UnitNum::Article { main: 10, sub: 1 }));
    assert!(nums.contains(&UnitNum::Article { main: 10, sub: 2 }));
    assert!(nums.windows(2).all(|w| w[0] < w[1]), "in order: {nums:?}");
    assert_eq!(labels(&s)[10], "第十条之一");
    assert!(check(&s).is_empty());
}

#[test]
fn arabic_article_numbers() {
    let s = parse("arabic-numbers.md").statute;
    let nums: Vec<UnitNum> = s.articles().iter().map(|a| a.article.num).collect();
    let expected: Vec<UnitNum> = (1..=12)
        .map(|main| UnitNum::Article { main, sub: 0 })
        .collect();
    assert_eq!(nums, expected);
    assert_eq!(article(&s, "第一条").label, "第1条");
}

#[test]
fn parts_nest_by_word_not_by_hashes() {
    let s = parse("parts-preamble.md").statute;
    let Node::Division(pre) = &s.body.nodes[0] else {
        panic!("preamble first")
    };
    assert_eq!(pre.kind, DivisionKind::Preamble);
    assert_eq!(pre.children.len(), 2);
    let o = outline(&s);
    assert_eq!(o[1], "第一编 总则");
    assert_eq!(o[2], "  第一分编 通则");
    assert_eq!(o[3], "    第一章 一般规定");
    assert_eq!(o[4], "      第一节 基本原则");
    let articles: Vec<_> = s
        .articles()
        .into_iter()
        .filter(|a| a.annex.is_none())
        .collect();
    assert_eq!(articles.len(), 11);
    assert_eq!(s.body.annexes.len(), 1);
    assert!(s.body.annexes[0].title.starts_with("附件"));
    // The annex's three entries are its own units, not sub-items of 第十一条.
    assert_eq!(article(&s, "第十一条").paras[0].items.len(), 0);
    assert_eq!(
        s.articles().iter().filter(|a| a.annex == Some(0)).count(),
        3
    );
}

#[test]
fn decisions_without_articles_use_points() {
    let a = parse("no-articles-points.md").statute;
    let b = parse("no-articles-headings.md").statute;
    for s in [&a, &b] {
        assert_eq!(labels(s), ["一", "二", "三"]);
        assert_eq!(s.body.closing, ["本决定自公布之日起施行。"]);
        assert!(
            matches!(&s.body.nodes[0], Node::Para(_)),
            "intro stays a preamble paragraph"
        );
    }
    assert_eq!(article(&a, "二").paras[0].items.len(), 2);
}

#[test]
fn paragraphs_are_units_when_nothing_is_numbered() {
    let s = parse("no-articles-paragraphs.md").statute;
    assert_eq!(labels(&s), ["¶1", "¶2", "¶3"]);
}

#[test]
fn adhoc_headings_group_articles() {
    let s = parse("judicial-adhoc-headings.md").statute;
    assert_eq!(outline(&s), ["一、管辖", "二、回避", "三、附则"]);
    assert_eq!(labels(&s).len(), 7);
    assert_eq!(s.meta.history.len(), 3);
}

#[test]
fn footnotes_leave_the_last_article() {
    let s = parse("footnote.md").statute;
    assert_eq!(s.body.footnotes.len(), 1);
    assert_eq!(s.body.footnotes[0].marker, '①');
    assert_eq!(article(&s, "第五条").paras.len(), 1);
}

#[test]
fn check_reports_each_anomaly_with_its_line() {
    let s = parse("anomalies.md").statute;
    let f = check(&s);
    let kinds: Vec<(u32, FindingKind)> = f.iter().map(|f| (f.line, f.kind)).collect();
    assert_eq!(
        kinds,
        [
            (9, FindingKind::ItemOutsideArticle),
            (15, FindingKind::Gap),
            (17, FindingKind::Duplicate),
            (19, FindingKind::OutOfOrder),
        ]
    );
}

#[test]
fn bundled_versions_parse_cleanly() {
    let dir = crate::common::root().join("versions/天津市信息化促进条例");
    let old = parse_file(&dir.join("2007-09-12.md")).unwrap_or_else(|e| panic!("{e}"));
    let new = parse_file(&dir.join("2025-06-30.md")).unwrap_or_else(|e| panic!("{e}"));
    for p in [&old, &new] {
        assert!(p.warnings.is_empty(), "{:?}", p.warnings);
        assert_eq!(p.statute.articles().len(), 51);
        assert!(check(&p.statute).is_empty());
        assert_eq!(p.statute.body.toc.len(), 9);
    }
    assert_eq!(old.statute.meta.status.as_deref(), Some("有效"));
    assert!(
        new.statute
            .meta
            .status
            .as_deref()
            .is_some_and(|s| s.contains("虚构"))
    );
    assert_eq!(new.statute.meta.history.len(), 2);
}

/// An amended version's effective date comes from its own amending act, never from the
/// first enactment's 施行 line that every later 题注 repeats: four versions of one statute.
#[test]
fn effective_dates_come_from_the_versions_own_act() {
    use statute::model::Date;
    for (name, version, effective) in [
        // The first enactment: its 施行 line.
        (
            "effective-2000.md",
            Date::new(2000, 3, 15),
            Date::new(2000, 7, 1),
        ),
        // Amended, the amending act states no date: unknown (not 2000-07-01).
        ("effective-2015.md", Date::new(2015, 3, 15), None),
        // Amended, the act's own line: 该修正自2020年8月20日施行.
        (
            "effective-2020.md",
            Date::new(2020, 8, 18),
            Date::new(2020, 8, 20),
        ),
        // Revised and promulgated "自2022年3月1日起施行": the date stated, not the line's.
        (
            "effective-2022.md",
            Date::new(2021, 12, 24),
            Date::new(2022, 3, 1),
        ),
    ] {
        let p = parse(name);
        assert!(p.warnings.is_empty(), "{name}: {:?}", p.warnings);
        let m = &p.statute.meta;
        assert_eq!(m.version_date, version, "{name}: version date");
        assert_eq!(m.effective, effective, "{name}: effective date");
        // The canonical form carries it (or its absence) and reads back the same.
        let mut out = Vec::new();
        statute::parse::canonical::write(&p.statute, &mut out).expect("canonical");
        let again = statute::parse::parse_bytes(&fixture(name), &out).expect("canonical parses");
        assert_eq!(again.statute, p.statute, "{name}: canonical round trip");
    }
}
