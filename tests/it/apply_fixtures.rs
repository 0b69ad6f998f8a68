//! `statute apply` on synthetic fixtures (`fixtures/apply/`): one act per behaviour in
//! `acts/`, applied to `base.md` (中华人民共和国示例法, 25 articles in 4 chapters). Every
//! expected article was worked out by hand from the act's words: an article of the base that
//! the act leaves alone is named by its number in the base (`Base(n)`), every other one is
//! spelled out. Then the binary: exit codes, what is written and when, the JSON report, the
//! check against an official text.

use std::path::{Path, PathBuf};

use statute::amend::{Applied, Status, apply, read_act};
use statute::model::{Date, EventKind, Node, Statute, UnitNum};
use statute::parse::{canonical, parse_file, parse_str};
use statute::render::apply_report::ApplyReport;

use crate::common::{arg, fixture, root, statute, stderr};

const APPLIED: Status = Status::Applied;
const NOT_FOUND: Status = Status::NotFound;
const CONFLICT: Status = Status::Conflict;
const UNRECOGNISED: Status = Status::Unrecognised;

fn base_path() -> PathBuf {
    fixture("apply/base.md")
}

/// An act of `fixtures/apply/acts/` by its stem, or any fixture by its path (`amend/…`).
fn act_path(name: &str) -> PathBuf {
    if name.contains('/') {
        fixture(name)
    } else {
        fixture(&format!("apply/acts/{name}.md"))
    }
}

fn base() -> Statute {
    match parse_file(&base_path()) {
        Ok(p) => p.statute,
        Err(e) => panic!("{e}"),
    }
}

/// The act's part for the base, applied to it.
fn run(act: &str) -> Applied {
    let base = base();
    let read = read_act(&act_path(act)).unwrap_or_else(|e| panic!("{act}: {e}"));
    let part = read
        .act
        .part_for(&base.meta.title)
        .unwrap_or_else(|named| panic!("{act}: amends {named:?}, not the base"));
    apply(&base, part, &read.info)
}

fn label(main: u32) -> String {
    UnitNum::Article { main, sub: 0 }.label()
}

/// Where an expected article's text comes from.
enum Src {
    /// The base's 第N条, word for word.
    Base(u32),
    /// Spelled out: 款 and 项 one per line.
    Text(&'static str),
}

type Expected = Vec<(String, Src)>;

/// The base's articles `from..=to` under their own numbers.
fn kept(from: u32, to: u32) -> Expected {
    (from..=to).map(|n| (label(n), Src::Base(n))).collect()
}

/// The base's articles `from..=to`, each numbered `by` higher (or lower).
fn shifted(from: u32, to: u32, by: i32) -> Expected {
    (from..=to)
        .map(|n| (label(n.wrapping_add_signed(by)), Src::Base(n)))
        .collect()
}

fn text(label: &str, t: &'static str) -> Expected {
    vec![(label.to_string(), Src::Text(t))]
}

fn cat(parts: Vec<Expected>) -> Expected {
    parts.into_iter().flatten().collect()
}

/// The articles of `s` in order: label and text (款 and 项 one per line).
fn articles(s: &Statute) -> Vec<(String, String)> {
    s.articles()
        .iter()
        .map(|a| (a.article.num.label(), a.article.text()))
        .collect()
}

fn base_text(n: u32) -> String {
    let want = label(n);
    articles(&base())
        .into_iter()
        .find(|(l, _)| *l == want)
        .map(|(_, t)| t)
        .unwrap_or_else(|| panic!("the base has no {want}"))
}

/// Every difference between `s`'s articles and the expectation, as lines.
fn differences(s: &Statute, expected: &Expected) -> Vec<String> {
    let got = articles(s);
    let mut out = Vec::new();
    let got_labels: Vec<&str> = got.iter().map(|(l, _)| l.as_str()).collect();
    let want_labels: Vec<&str> = expected.iter().map(|(l, _)| l.as_str()).collect();
    if got_labels != want_labels {
        out.push(format!(
            "articles: got {}\n            want {}",
            got_labels.join(" "),
            want_labels.join(" ")
        ));
    }
    for (l, src) in expected {
        let want = match src {
            Src::Base(n) => base_text(*n),
            Src::Text(t) => t.to_string(),
        };
        match got.iter().find(|(g, _)| g == l) {
            Some((_, t)) if *t == want => {}
            Some((_, t)) => out.push(format!("{l}:\n    got  {t:?}\n    want {want:?}")),
            None => out.push(format!("{l}: missing")),
        }
    }
    // Labels as written agree with the numbers.
    for a in s.articles() {
        if a.article.label != a.article.num.label() {
            out.push(format!(
                "{} written {:?}",
                a.article.num.label(),
                a.article.label
            ));
        }
    }
    out
}

/// The result and its canonical form read back (what `statute apply` writes) both hold
/// exactly the expected articles.
fn assert_articles(name: &str, applied: &Applied, expected: Expected) {
    let mut problems = differences(&applied.statute, &expected);
    let written = canonical::to_string(&applied.statute);
    match parse_str(Path::new("applied.md"), &written) {
        Ok(p) => {
            for d in differences(&p.statute, &expected) {
                problems.push(format!("(written and read back) {d}"));
            }
        }
        Err(e) => problems.push(format!("the written result does not parse: {e}")),
    }
    assert!(
        problems.is_empty(),
        "{name}: {} problem(s):\n{}\n--- written:\n{written}",
        problems.len(),
        problems.join("\n")
    );
}

fn assert_statuses(name: &str, applied: &Applied, want: &[Status]) {
    let got: Vec<Status> = applied.outcomes.iter().map(|o| o.status).collect();
    let shown: Vec<String> = applied
        .outcomes
        .iter()
        .map(|o| {
            format!(
                "{} {:?} {}",
                o.status.as_str(),
                o.detail,
                o.text.chars().take(40).collect::<String>()
            )
        })
        .collect();
    assert_eq!(got, want, "{name}:\n{}", shown.join("\n"));
    assert_eq!(
        applied.complete(),
        want.iter().all(|s| *s == APPLIED),
        "{name}: complete()"
    );
}

/// The headings of `s` (label and title) with the articles under each, outermost heading
/// of each article's path.
fn chapters(s: &Statute) -> Vec<(String, Vec<String>)> {
    let mut out: Vec<(String, Vec<String>)> = Vec::new();
    for n in &s.body.nodes {
        if let Node::Division(d) = n {
            out.push((d.heading(), Vec::new()));
        }
    }
    for a in s.articles() {
        let h = a.path.first().map(|d| d.heading()).unwrap_or_default();
        match out.iter_mut().find(|(x, _)| *x == h) {
            Some((_, v)) => v.push(a.article.num.label()),
            None => out.push((h, vec![a.article.num.label()])),
        }
    }
    out
}

fn chapters_of(spec: &[(&str, u32, u32)]) -> Vec<(String, Vec<String>)> {
    spec.iter()
        .map(|(h, a, b)| (h.to_string(), (*a..=*b).map(label).collect()))
        .collect()
}

const BASE_CHAPTERS: [(&str, u32, u32); 4] = [
    ("第一章 总则", 1, 7),
    ("第二章 示例管理", 8, 16),
    ("第三章 法律责任", 17, 22),
    ("第四章 附则", 23, 25),
];

/// The base's own text, checked once: the expectations below rest on it.
#[test]
fn the_base_is_what_the_expectations_assume() {
    let b = base();
    assert_eq!(b.meta.title, "中华人民共和国示例法");
    assert_eq!(b.article_count(), 25);
    assert_eq!(chapters(&b), chapters_of(&BASE_CHAPTERS));
    assert_eq!(
        base_text(16),
        "有下列情形之一的，不予登记：\n（一）申请材料虚假的；\n（二）申请人不具备条件的；\n（三）法律、行政法规规定的其他情形。"
    );
    assert!(
        matches!(&b.body.nodes[0], Node::Para(p) if p.text == "为了规范示例活动，保护示例的合法权益，制定本法。")
    );
}

// ---------------------------------------------------------------------------------------
// Replacing a place's text.

#[test]
fn replace_an_article() {
    let a = run("replace-article");
    assert_statuses("replace-article", &a, &[APPLIED]);
    assert_articles(
        "replace-article",
        &a,
        cat(vec![
            kept(1, 12),
            text(
                "第十三条",
                "示例单位应当按照国家有关规定报送示例统计资料。\n统计资料应当真实、准确、完整。",
            ),
            kept(14, 25),
        ]),
    );
    assert!(!a.renumbered);
}

#[test]
fn replace_a_paragraph() {
    let a = run("replace-paragraph");
    assert_statuses("replace-paragraph", &a, &[APPLIED]);
    assert_articles(
        "replace-paragraph",
        &a,
        cat(vec![
            kept(1, 13),
            text(
                "第十四条",
                "示例由县级人民政府登记。\n登记机关应当自受理申请之日起十日内作出决定。\n登记决定应当向社会公开。",
            ),
            kept(15, 25),
        ]),
    );
}

#[test]
fn replace_an_item() {
    let a = run("replace-item");
    assert_statuses("replace-item", &a, &[APPLIED]);
    assert_articles(
        "replace-item",
        &a,
        cat(vec![
            kept(1, 15),
            text(
                "第十六条",
                "有下列情形之一的，不予登记：\n（一）申请材料虚假的；\n（二）申请人不具备法定条件的；\n（三）法律、行政法规规定的其他情形。",
            ),
            kept(17, 25),
        ]),
    );
}

// ---------------------------------------------------------------------------------------
// Phrase edits.

/// 中的 changes every occurrence in the scope (three in 第十八条), none outside it (第十九条
/// also says 违法所得).
#[test]
fn a_phrase_changes_every_occurrence_in_its_article_only() {
    let a = run("phrase-every");
    assert_statuses("phrase-every", &a, &[APPLIED]);
    assert_articles(
        "phrase-every",
        &a,
        cat(vec![
            kept(1, 17),
            text(
                "第十八条",
                "违反本法第十二条规定，出租、出借示例登记证书的，由示例主管部门没收违法收益，并处违法收益一倍以上三倍以下的罚款；没有违法收益的，处一万元以下的罚款。",
            ),
            kept(19, 25),
        ]),
    );
}

/// 将第三条、第五条中的…: both articles (both 款 of 第五条), not 第十七条 which also says
/// 主管部门.
#[test]
fn a_phrase_in_several_articles() {
    let a = run("phrase-targets");
    assert_statuses("phrase-targets", &a, &[APPLIED]);
    assert_articles(
        "phrase-targets",
        &a,
        cat(vec![
            kept(1, 2),
            text(
                "第三条",
                "国务院示例主管机关负责全国的示例工作。国务院其他有关部门在各自职责范围内负责有关的示例工作。",
            ),
            kept(4, 4),
            text(
                "第五条",
                "示例主管机关应当建立示例登记制度，公开登记信息。\n县级示例主管机关负责本行政区域内的示例登记工作。",
            ),
            kept(6, 25),
        ]),
    );
}

/// 将本法中的…: every article that says it (第九条, 第十九条, a 项 of 第二十三条).
#[test]
fn a_phrase_in_the_whole_statute() {
    let a = run("phrase-whole");
    assert_statuses("phrase-whole", &a, &[APPLIED]);
    assert_articles(
        "phrase-whole",
        &a,
        cat(vec![
            kept(1, 8),
            text("第九条", "设立示例单位，应当向市场监督管理部门申请登记。"),
            kept(10, 18),
            text(
                "第十九条",
                "未经登记从事示例活动的，由市场监督管理部门责令停止违法行为，依照《中华人民共和国行政处罚法》第二十八条的规定没收违法所得。",
            ),
            kept(20, 22),
            text(
                "第二十三条",
                "本法下列用语的含义：\n（一）示例，是指依照本法第二条规定开展的活动；\n（二）示例单位，是指经市场监督管理部门登记从事示例活动的单位。",
            ),
            kept(24, 25),
        ]),
    );
}

/// 将本法中的…: the whole statute, the 引言 before 第一条 included, and a 项 (第七条).
#[test]
fn a_phrase_in_the_whole_statute_reaches_the_introduction() {
    let a = run("phrase-whole-intro");
    assert_statuses("phrase-whole-intro", &a, &[APPLIED]);
    assert_articles(
        "phrase-whole-intro",
        &a,
        cat(vec![
            kept(1, 6),
            text(
                "第七条",
                "从事示例活动，应当遵守下列规定：\n（一）遵守法律、法规和国家有关规定；\n（二）生产示例产品应当符合国家标准；\n（三）不得损害公共利益和他人正当权益。",
            ),
            kept(8, 25),
        ]),
    );
    assert!(
        matches!(&a.statute.body.nodes[0], Node::Para(p) if p.text == "为了规范示例活动，保护示例的正当权益，制定本法。"),
        "the 引言: {:?}",
        a.statute.body.nodes[0]
    );
}

// ---------------------------------------------------------------------------------------
// Deletions.

/// 删去第十条 with 对条文顺序作相应调整: 第十一条 on move up one, and the statute's own
/// references follow (本法第十二条 → 本法第十一条, a list, a range); a reference to another
/// statute's article (《行政处罚法》第二十八条) and to articles before the deletion stay.
#[test]
fn delete_an_article_and_renumber() {
    let a = run("delete-article");
    assert_statuses("delete-article", &a, &[APPLIED, APPLIED]);
    assert!(a.renumbered);
    assert_articles(
        "delete-article",
        &a,
        cat(vec![
            kept(1, 9),
            shifted(11, 17, -1),
            text(
                "第十七条",
                "违反本法第十一条规定，出租、出借示例登记证书的，由示例主管部门没收违法所得，并处违法所得一倍以上三倍以下的罚款；没有违法所得的，处一万元以下的罚款。",
            ),
            shifted(19, 20, -1),
            text(
                "第二十条",
                "违反本法第十三条、第十四条规定，提供虚假材料取得登记的，由登记机关撤销登记。",
            ),
            shifted(22, 23, -1),
            text(
                "第二十三条",
                "本法第十六条至第十八条规定的罚款，由作出处罚决定的机关依法收缴。",
            ),
            shifted(25, 25, -1),
        ]),
    );
    assert_eq!(
        chapters(&a.statute),
        chapters_of(&[
            ("第一章 总则", 1, 7),
            ("第二章 示例管理", 8, 15),
            ("第三章 法律责任", 16, 21),
            ("第四章 附则", 22, 24),
        ])
    );
}

/// 删去第九条至第十一条 without the renumbering note: the others keep their numbers.
#[test]
fn delete_a_range_without_renumbering() {
    let a = run("delete-range");
    assert_statuses("delete-range", &a, &[APPLIED]);
    assert!(!a.renumbered);
    assert_articles("delete-range", &a, cat(vec![kept(1, 8), kept(12, 25)]));
}

#[test]
fn delete_a_paragraph() {
    let a = run("delete-paragraph");
    assert_statuses("delete-paragraph", &a, &[APPLIED]);
    assert_articles(
        "delete-paragraph",
        &a,
        cat(vec![
            kept(1, 13),
            text(
                "第十四条",
                "示例由县级人民政府登记。\n登记决定应当向社会公开。",
            ),
            kept(15, 25),
        ]),
    );
}

/// 删去序言 (the drafter's words for an 引言 that is gone) with another deletion in the same
/// act: the text before 第一条 goes, the first chapter now opens the body, the articles stay.
#[test]
fn delete_the_introduction() {
    let a = run("delete-intro");
    assert_statuses("delete-intro", &a, &[APPLIED, APPLIED]);
    assert_articles(
        "delete-intro",
        &a,
        cat(vec![
            kept(1, 13),
            text(
                "第十四条",
                "示例由县级人民政府登记。\n登记决定应当向社会公开。",
            ),
            kept(15, 25),
        ]),
    );
    assert!(
        matches!(&a.statute.body.nodes[0], Node::Division(d) if d.label == "第一章"),
        "the body opens with {:?}",
        a.statute.body.nodes[0]
    );
    assert!(
        !a.statute.body_text().contains("为了规范示例活动"),
        "the 引言 is gone"
    );
}

/// Words added at the start (开始部分增加规定) or end (末尾增加) of a 款, which the act names
/// without anchor words; an article's opening words (条首部分) restated with its 项 kept, and
/// a 项 added in the same paragraph of the act (并增加一项作为第三项); 增加规定 adds a sentence,
/// its 。 printed after the quotation.
#[test]
fn words_at_the_edges_and_an_articles_opening_words() {
    let a = run("edges");
    assert_statuses("edges", &a, &[APPLIED, APPLIED, APPLIED, APPLIED, APPLIED]);
    assert_articles(
        "edges",
        &a,
        cat(vec![
            kept(1, 13),
            text(
                "第十四条",
                "示例由县级人民政府登记。\n登记不收取费用。登记机关应当自受理申请之日起二十日内作出决定。\n登记决定应当向社会公开，但涉及国家秘密的除外。",
            ),
            text(
                "第十五条",
                "申请示例登记，应当提交下列材料：\n（一）申请书；\n（二）身份证明；\n（三）场所证明。\n申请材料可以通过网络提交。申请材料不齐全的，登记机关应当一次告知申请人需要补正的全部内容。",
            ),
            text(
                "第十六条",
                "有下列情形之一的，登记机关不予登记：\n（一）申请材料虚假的；\n（二）申请人不具备条件的；\n（三）申请人被吊销登记未满三年的；\n（四）法律、行政法规规定的其他情形。",
            ),
            kept(17, 25),
        ]),
    );
}

/// A 修正案 names the statute before each place (将示例法第三条…, 在示例法第五条后…, 删去示例法
/// 第十四条…), as 刑法修正案 write 刑法第…: the name is read as the statute amended.
#[test]
fn places_after_the_statutes_short_name() {
    let a = run("short-name");
    assert_statuses("short-name", &a, &[APPLIED, APPLIED, APPLIED, APPLIED]);
    assert_articles(
        "short-name",
        &a,
        cat(vec![
            kept(1, 2),
            text(
                "第三条",
                "国务院示例行政部门负责全国的示例工作。国务院其他有关部门在各自职责范围内负责有关的示例工作。",
            ),
            kept(4, 5),
            text("第五条之一", "示例登记信息应当及时更新。"),
            kept(6, 13),
            text(
                "第十四条",
                "示例由县级人民政府登记。\n登记决定应当向社会公开。",
            ),
            kept(15, 25),
        ]),
    );
}

/// Two distant articles merged (第二条 of 第一章, 第十七条 opening 第三章) into 第十六条: the
/// number does not fit where the first stood, so the merged article stands where the second
/// did, at the head of 第三章, not at the end of 第二章 after 第十五条.
#[test]
fn a_distant_merge_stands_where_its_number_fits() {
    let a = run("merge-distant");
    assert_statuses("merge-distant", &a, &[APPLIED, APPLIED]);
    assert_eq!(
        chapters(&a.statute),
        chapters_of(&[
            ("第一章 总则", 1, 6),
            ("第二章 示例管理", 7, 15),
            ("第三章 法律责任", 16, 21),
            ("第四章 附则", 22, 24),
        ])
    );
}

/// The 题注 as official texts write it: a 修正案 cited as adopted (…会议通过的《…修正案》), and
/// the amendments counted once there are two (the first, written 修正, becomes 第一次修正).
#[test]
fn the_headnote_counts_the_amendments() {
    let once = run("delete-paragraph");
    let read = read_act(&act_path("short-name")).expect("act");
    let part = read.act.part_for(&once.statute.meta.title).expect("part");
    let twice = apply(&once.statute, part, &read.info);
    assert!(twice.complete(), "{:?}", twice.outcomes);
    let history: Vec<&str> = twice
        .statute
        .meta
        .history
        .iter()
        .map(|e| e.text.as_str())
        .collect();
    assert_eq!(history.len(), 3, "{history:?}");
    assert!(
        history[1].ends_with("》第一次修正") && history[1].contains("关于修改"),
        "{history:?}"
    );
    assert_eq!(
        history[2],
        "根据2024年6月28日第十四届全国人民代表大会常务委员会第十次会议通过的《中华人民共和国示例法修正案》第二次修正"
    );
    assert!(
        twice
            .statute
            .meta
            .history
            .iter()
            .skip(1)
            .all(|e| e.kind == EventKind::Amended)
    );
}

/// 删去第十六条第一款第三项: the 项 before it now ends the list, with 。.
#[test]
fn delete_the_last_item() {
    let a = run("delete-last-item");
    assert_statuses("delete-last-item", &a, &[APPLIED]);
    assert_articles(
        "delete-last-item",
        &a,
        cat(vec![
            kept(1, 15),
            text(
                "第十六条",
                "有下列情形之一的，不予登记：\n（一）申请材料虚假的；\n（二）申请人不具备条件的。",
            ),
            kept(17, 25),
        ]),
    );
}

/// 删去第十五条第一款第二项: the 项 after it is numbered （二）, as a consolidated text
/// numbers its 项 without gaps.
#[test]
fn delete_a_middle_item() {
    let a = run("delete-middle-item");
    assert_statuses("delete-middle-item", &a, &[APPLIED]);
    assert_articles(
        "delete-middle-item",
        &a,
        cat(vec![
            kept(1, 14),
            text(
                "第十五条",
                "申请示例登记，应当提交下列材料：\n（一）申请书；\n（二）场所证明。\n申请材料不齐全的，登记机关应当一次告知申请人需要补正的全部内容。",
            ),
            kept(16, 25),
        ]),
    );
}

// ---------------------------------------------------------------------------------------
// Insertions.

/// 增加一条，作为第十条 with the note: the new article is 第十条, between the base's 第九条
/// and 第十条 (now 第十一条); references to 第十条 on follow.
#[test]
fn insert_an_article_and_renumber() {
    let a = run("insert-article");
    assert_statuses("insert-article", &a, &[APPLIED, APPLIED]);
    assert!(a.renumbered);
    assert_articles(
        "insert-article",
        &a,
        cat(vec![
            kept(1, 9),
            text("第十条", "示例单位应当建立示例档案。"),
            shifted(10, 17, 1),
            text(
                "第十九条",
                "违反本法第十三条规定，出租、出借示例登记证书的，由示例主管部门没收违法所得，并处违法所得一倍以上三倍以下的罚款；没有违法所得的，处一万元以下的罚款。",
            ),
            shifted(19, 20, 1),
            text(
                "第二十二条",
                "违反本法第十五条、第十六条规定，提供虚假材料取得登记的，由登记机关撤销登记。",
            ),
            shifted(22, 23, 1),
            text(
                "第二十五条",
                "本法第十八条至第二十条规定的罚款，由作出处罚决定的机关依法收缴。",
            ),
            shifted(25, 25, 1),
        ]),
    );
    assert_eq!(
        chapters(&a.statute),
        chapters_of(&[
            ("第一章 总则", 1, 7),
            ("第二章 示例管理", 8, 17),
            ("第三章 法律责任", 18, 23),
            ("第四章 附则", 24, 26),
        ])
    );
}

/// 增加一条，作为第十条 without the renumbering note: the base's 第十条 keeps its number, so
/// the result would hold two 第十条. The instruction conflicts and is left out, as what cannot
/// be applied is (a text with two 第十条 is no consolidated text).
#[test]
fn an_insertion_whose_number_is_taken_conflicts() {
    let a = run("insert-without-renumbering");
    assert_statuses("insert-without-renumbering", &a, &[CONFLICT]);
    assert!(!a.renumbered);
    assert_articles("insert-without-renumbering", &a, kept(1, 25));
}

/// 在第十二条后增加一条，作为第十二条之一 (two 款): no article changes its number.
#[test]
fn insert_a_zhiyi_article() {
    let a = run("insert-zhiyi");
    assert_statuses("insert-zhiyi", &a, &[APPLIED]);
    let mut expected = kept(1, 12);
    expected.push((
        "第十二条之一".to_string(),
        Src::Text(
            "示例单位变更登记事项的，应当办理变更登记。\n变更登记的办法由国务院示例主管部门规定。",
        ),
    ));
    expected.extend(kept(13, 25));
    assert_articles("insert-zhiyi", &a, expected);
    let ch = chapters(&a.statute);
    assert!(
        ch[1].1.contains(&"第十二条之一".to_string()),
        "第十二条之一 stands in 第二章: {ch:?}"
    );
}

/// 在第十四条中增加一款，作为第二款: the base's 第二款 and 第三款 become the third and fourth.
#[test]
fn insert_a_paragraph() {
    let a = run("insert-paragraph");
    assert_statuses("insert-paragraph", &a, &[APPLIED]);
    assert_articles(
        "insert-paragraph",
        &a,
        cat(vec![
            kept(1, 13),
            text(
                "第十四条",
                "示例由县级人民政府登记。\n申请人应当如实提交申请材料。\n登记机关应当自受理申请之日起二十日内作出决定。\n登记决定应当向社会公开。",
            ),
            kept(15, 25),
        ]),
    );
}

/// 增加一项，作为第四项 at the end of the list: the new 项 ends it with 。, the 项 before it
/// no longer does (；), as 删去 a last 项 makes the one before it end with 。.
#[test]
fn insert_an_item_at_the_end() {
    let a = run("insert-item");
    assert_statuses("insert-item", &a, &[APPLIED]);
    assert_articles(
        "insert-item",
        &a,
        cat(vec![
            kept(1, 14),
            text(
                "第十五条",
                "申请示例登记，应当提交下列材料：\n（一）申请书；\n（二）身份证明；\n（三）场所证明；\n（四）其他证明材料。\n申请材料不齐全的，登记机关应当一次告知申请人需要补正的全部内容。",
            ),
            kept(16, 25),
        ]),
    );
}

/// 增加一项，作为第二项: the base's （二） and （三） are numbered （三） and （四）.
#[test]
fn insert_an_item_in_the_middle() {
    let a = run("insert-item-middle");
    assert_statuses("insert-item-middle", &a, &[APPLIED]);
    assert_articles(
        "insert-item-middle",
        &a,
        cat(vec![
            kept(1, 15),
            text(
                "第十六条",
                "有下列情形之一的，不予登记：\n（一）申请材料虚假的；\n（二）申请人被撤销登记未满三年的；\n（三）申请人不具备条件的；\n（四）法律、行政法规规定的其他情形。",
            ),
            kept(17, 25),
        ]),
    );
}

// ---------------------------------------------------------------------------------------
// Split, merge, move.

/// 将第十三条改为两条，作为第十三条、第十四条 with the note: the base's 第十四条 on move down
/// one, references to them follow (a list and a range).
#[test]
fn split_an_article() {
    let a = run("split");
    assert_statuses("split", &a, &[APPLIED, APPLIED]);
    assert_articles(
        "split",
        &a,
        cat(vec![
            kept(1, 12),
            text("第十三条", "示例单位应当按照规定报送示例统计资料。"),
            text("第十四条", "统计资料应当真实、准确。"),
            shifted(14, 20, 1),
            text(
                "第二十二条",
                "违反本法第十五条、第十六条规定，提供虚假材料取得登记的，由登记机关撤销登记。",
            ),
            shifted(22, 23, 1),
            text(
                "第二十五条",
                "本法第十八条至第二十条规定的罚款，由作出处罚决定的机关依法收缴。",
            ),
            shifted(25, 25, 1),
        ]),
    );
    assert_eq!(
        chapters(&a.statute),
        chapters_of(&[
            ("第一章 总则", 1, 7),
            ("第二章 示例管理", 8, 17),
            ("第三章 法律责任", 18, 23),
            ("第四章 附则", 24, 26),
        ])
    );
}

/// 将第十条、第十一条合并为一条，作为第十条 with the note: the base's 第十二条 on move up one.
#[test]
fn merge_two_articles() {
    let a = run("merge");
    assert_statuses("merge", &a, &[APPLIED, APPLIED]);
    assert_articles(
        "merge",
        &a,
        cat(vec![
            kept(1, 9),
            text(
                "第十条",
                "示例单位应当建立健全安全管理制度，对从业人员进行培训。",
            ),
            shifted(12, 17, -1),
            text(
                "第十七条",
                "违反本法第十一条规定，出租、出借示例登记证书的，由示例主管部门没收违法所得，并处违法所得一倍以上三倍以下的罚款；没有违法所得的，处一万元以下的罚款。",
            ),
            shifted(19, 20, -1),
            text(
                "第二十条",
                "违反本法第十三条、第十四条规定，提供虚假材料取得登记的，由登记机关撤销登记。",
            ),
            shifted(22, 23, -1),
            text(
                "第二十三条",
                "本法第十六条至第十八条规定的罚款，由作出处罚决定的机关依法收缴。",
            ),
            shifted(25, 25, -1),
        ]),
    );
    assert_eq!(
        chapters(&a.statute),
        chapters_of(&[
            ("第一章 总则", 1, 7),
            ("第二章 示例管理", 8, 15),
            ("第三章 法律责任", 16, 21),
            ("第四章 附则", 22, 24),
        ])
    );
}

/// 将第七条移至第二章，作为第十六条 with the note: 第一章 ends at 第六条, the base's 第八条 to
/// 第十六条 are 第七条 to 第十五条, the moved article (its 项 unchanged) closes 第二章;
/// references follow (本法第八条 → 本法第七条).
#[test]
fn move_an_article_to_another_chapter() {
    let a = run("move");
    assert_statuses("move", &a, &[APPLIED, APPLIED]);
    assert_articles(
        "move",
        &a,
        cat(vec![
            kept(1, 6),
            shifted(8, 16, -1),
            vec![(label(16), Src::Base(7))],
            text(
                "第十七条",
                "违反本法第七条规定，未进行安全评价的，由示例主管部门责令限期改正；逾期不改正的，处一万元以上五万元以下的罚款。",
            ),
            text(
                "第十八条",
                "违反本法第十一条规定，出租、出借示例登记证书的，由示例主管部门没收违法所得，并处违法所得一倍以上三倍以下的罚款；没有违法所得的，处一万元以下的罚款。",
            ),
            kept(19, 20),
            text(
                "第二十一条",
                "违反本法第十三条、第十四条规定，提供虚假材料取得登记的，由登记机关撤销登记。",
            ),
            kept(22, 25),
        ]),
    );
    assert_eq!(
        chapters(&a.statute),
        chapters_of(&[
            ("第一章 总则", 1, 6),
            ("第二章 示例管理", 7, 16),
            ("第三章 法律责任", 17, 22),
            ("第四章 附则", 23, 25),
        ])
    );
}

// ---------------------------------------------------------------------------------------
// Numbers: an act's places are the base's; renumbering comes after every instruction.

/// 删去第十条, then 将第十一条修改为: the base's 第十一条 (第十条 in the result); 删去第十四条
/// 第一款, then 将第十四条第三款修改为: the base's third 款 (the second in the result).
#[test]
fn the_act_numbers_places_as_the_base_does() {
    let a = run("numbers-of-the-base");
    assert_statuses(
        "numbers-of-the-base",
        &a,
        &[APPLIED, APPLIED, APPLIED, APPLIED, APPLIED],
    );
    assert_articles(
        "numbers-of-the-base",
        &a,
        cat(vec![
            kept(1, 9),
            text("第十条", "示例单位应当定期对从业人员进行培训。"),
            shifted(12, 13, -1),
            text(
                "第十三条",
                "登记机关应当自受理申请之日起二十日内作出决定。\n登记决定应当在登记机关网站公开。",
            ),
            shifted(15, 17, -1),
            text(
                "第十七条",
                "违反本法第十一条规定，出租、出借示例登记证书的，由示例主管部门没收违法所得，并处违法所得一倍以上三倍以下的罚款；没有违法所得的，处一万元以下的罚款。",
            ),
            shifted(19, 20, -1),
            text(
                "第二十条",
                "违反本法第十三条、第十四条规定，提供虚假材料取得登记的，由登记机关撤销登记。",
            ),
            shifted(22, 23, -1),
            text(
                "第二十三条",
                "本法第十六条至第十八条规定的罚款，由作出处罚决定的机关依法收缴。",
            ),
            shifted(25, 25, -1),
        ]),
    );
}

/// 将第二十四条改为第二十三条，修改为：“…” and 原第二十五条作为第二十四条: the numbers the
/// act states, and the text it gives, which cites the result's numbers already (本法第十六条
/// 至第十八条 is not renumbered a second time).
#[test]
fn explicit_renumbering_with_a_new_text() {
    let a = run("renumber-explicit");
    assert_statuses("renumber-explicit", &a, &[APPLIED; 4]);
    assert_articles(
        "renumber-explicit",
        &a,
        cat(vec![
            kept(1, 9),
            shifted(11, 17, -1),
            text(
                "第十七条",
                "违反本法第十一条规定，出租、出借示例登记证书的，由示例主管部门没收违法所得，并处违法所得一倍以上三倍以下的罚款；没有违法所得的，处一万元以下的罚款。",
            ),
            shifted(19, 20, -1),
            text(
                "第二十条",
                "违反本法第十三条、第十四条规定，提供虚假材料取得登记的，由登记机关撤销登记。",
            ),
            shifted(22, 23, -1),
            text(
                "第二十三条",
                "本法第十六条至第十八条规定的罚款和没收的违法所得，由作出处罚决定的机关依法收缴。",
            ),
            shifted(25, 25, -1),
        ]),
    );
}

// ---------------------------------------------------------------------------------------
// Headings.

#[test]
fn rename_a_chapter() {
    let a = run("chapter-rename");
    assert_statuses("chapter-rename", &a, &[APPLIED]);
    assert_articles("chapter-rename", &a, kept(1, 25));
    assert_eq!(
        chapters(&a.statute),
        chapters_of(&[
            ("第一章 总则", 1, 7),
            ("第二章 示例登记管理", 8, 16),
            ("第三章 法律责任", 17, 22),
            ("第四章 附则", 23, 25),
        ])
    );
}

/// 增加一章，作为第三章“示例登记”，包括第十四条至第十六条 with the note: the articles keep
/// their numbers, the chapters after it are numbered on.
#[test]
fn insert_a_chapter() {
    let a = run("chapter-insert");
    assert_statuses("chapter-insert", &a, &[APPLIED, APPLIED]);
    assert_articles("chapter-insert", &a, kept(1, 25));
    let want = chapters_of(&[
        ("第一章 总则", 1, 7),
        ("第二章 示例管理", 8, 13),
        ("第三章 示例登记", 14, 16),
        ("第四章 法律责任", 17, 22),
        ("第五章 附则", 23, 25),
    ]);
    assert_eq!(chapters(&a.statute), want);
    let written = canonical::to_string(&a.statute);
    let back = parse_str(Path::new("applied.md"), &written)
        .unwrap_or_else(|e| panic!("{e}"))
        .statute;
    assert_eq!(chapters(&back), want, "written and read back");
}

// ---------------------------------------------------------------------------------------
// An omnibus act: the base's part is the second; its closing lines are the base's too.

#[test]
fn the_part_of_an_omnibus_act_for_the_base() {
    let a = run("omnibus");
    assert_statuses("omnibus", &a, &[APPLIED, APPLIED, APPLIED, APPLIED]);
    assert!(a.renumbered);
    assert_articles(
        "omnibus",
        &a,
        cat(vec![
            kept(1, 5),
            text(
                "第六条",
                "县级以上人民政府发展改革部门、财政部门应当支持示例事业的发展。",
            ),
            kept(7, 10),
            shifted(12, 17, -1),
            text(
                "第十七条",
                "违反本法第十一条规定，出租、出借示例登记证书的，由示例主管部门没收违法所得，并处违法所得一倍以上三倍以下的罚款；没有违法所得的，处一万元以下的罚款。",
            ),
            shifted(19, 20, -1),
            text(
                "第二十条",
                "违反本法第十三条、第十四条规定，提供虚假材料取得登记的，由登记机关撤销登记。",
            ),
            shifted(22, 23, -1),
            text(
                "第二十三条",
                "本法第十六条至第十八条规定的罚款，由作出处罚决定的机关依法收缴。",
            ),
            shifted(25, 25, -1),
        ]),
    );
    let m = &a.statute.meta;
    assert_eq!(m.version_date, Date::new(2024, 6, 28));
    assert_eq!(m.effective, Date::new(2025, 1, 1));
    assert_eq!(a.effective, Date::new(2025, 1, 1));
    let last = m.history.last().expect("history");
    assert_eq!(last.kind, EventKind::Amended);
    assert_eq!(last.date, Date::new(2024, 6, 28));
    assert_eq!(m.history.len(), 2, "{:?}", m.history);
}

// ---------------------------------------------------------------------------------------
// The parser's own act fixtures (fixtures/amend/) where they fit the base.

/// amend/replace.md: an article, a 款 and the 引言 replaced; the closing notes applied.
#[test]
fn the_amend_replace_fixture() {
    let a = run("amend/replace.md");
    assert_statuses("amend/replace.md", &a, &[APPLIED; 5]);
    assert_articles(
        "amend/replace.md",
        &a,
        cat(vec![
            kept(1, 2),
            text(
                "第三条",
                "国家保护示例的合法权益。\n任何组织和个人不得侵害示例。",
            ),
            kept(4, 4),
            text(
                "第五条",
                "示例主管部门应当建立示例登记制度，公开登记信息。\n县级以上人民政府负责本行政区域内的示例工作。",
            ),
            kept(6, 25),
        ]),
    );
    let intro: Vec<&str> = a
        .statute
        .body
        .nodes
        .iter()
        .filter_map(|n| match n {
            Node::Para(p) => Some(p.text.as_str()),
            _ => None,
        })
        .collect();
    assert_eq!(intro, ["为了规范示例，制定本法。"]);
    assert_eq!(a.statute.meta.version_date, Date::new(2024, 6, 28));
    assert_eq!(a.statute.meta.effective, Date::new(2025, 1, 1));
}

/// amend/phrase.md: every phrase form, in articles, a 款, a 项, the whole statute.
#[test]
fn the_amend_phrase_fixture() {
    let a = run("amend/phrase.md");
    assert_statuses("amend/phrase.md", &a, &[APPLIED; 6]);
    assert_articles(
        "amend/phrase.md",
        &a,
        cat(vec![
            kept(1, 2),
            text(
                "第三条",
                "国务院示例主管机关负责全国的示例工作。国务院其他有关部门在各自职责范围内负责有关的示例工作。",
            ),
            text(
                "第四条",
                "县级以上人民政府应当加强对示例工作的领导，将示例事业纳入国民经济和社会发展规划。\n县级以上人民政府示例工作机构负责本行政区域内的示例工作。\n县级以上人民政府公安、网信、市场监管等部门在各自职责范围内负责示例的有关工作。",
            ),
            text(
                "第五条",
                "示例主管机关应当建立示例登记制度，公开登记信息。\n县级示例主管机关负责本行政区域内的示例登记工作。",
            ),
            text(
                "第六条",
                "县级以上人民政府发展改革部门应当支持示例事业的发展。",
            ),
            text(
                "第七条",
                "从事示例活动，应当遵守下列规定：\n（一）遵守法律、法规和国家有关规定；\n（二）依法生产示例产品应当符合国家标准；\n（三）不得损害公共利益和他人合法权益。",
            ),
            text(
                "第八条",
                "新建、改建、扩建示例设施，应当进行安全评价。\n示例设施应当执行同时设计、同时施工、同时投产制度。",
            ),
            text("第九条", "设立示例单位，应当向市场监督管理部门申请登记。"),
            kept(10, 18),
            text(
                "第十九条",
                "未经登记从事示例活动的，由市场监督管理部门责令停止违法行为，依照《中华人民共和国行政处罚法》第二十八条的规定没收违法所得。",
            ),
            kept(20, 22),
            text(
                "第二十三条",
                "本法下列用语的含义：\n（一）示例，是指依照本法第二条规定开展的活动；\n（二）示例单位，是指经市场监督管理部门登记从事示例活动的单位。",
            ),
            kept(24, 25),
        ]),
    );
}

/// amend/delete.md (no renumbering note): what is left keeps its numbers; references to
/// deleted articles stay as they were (the act does not touch them).
#[test]
fn the_amend_delete_fixture() {
    let a = run("amend/delete.md");
    assert_statuses("amend/delete.md", &a, &[APPLIED; 5]);
    assert_articles(
        "amend/delete.md",
        &a,
        cat(vec![
            kept(1, 7),
            kept(13, 13),
            text(
                "第十五条",
                "申请示例登记，应当提交下列材料：\n（一）申请书；\n（二）身份证明；\n（三）场所证明。",
            ),
            text(
                "第十六条",
                "有下列情形之一的，不予登记：\n（一）申请材料虚假的；\n（二）申请人不具备条件的。",
            ),
            kept(17, 25),
        ]),
    );
}

// ---------------------------------------------------------------------------------------
// What is not applied.

/// 将第三十条修改为: the base has 25 articles; the next instruction is applied all the same.
#[test]
fn an_article_that_does_not_exist_is_not_found() {
    let a = run("not-found-article");
    assert_statuses("not-found-article", &a, &[NOT_FOUND, APPLIED]);
    let detail = a.outcomes[0].detail.as_deref().unwrap_or("");
    assert!(detail.contains("第三十条"), "{detail}");
    assert_articles(
        "not-found-article",
        &a,
        cat(vec![
            kept(1, 24),
            text("第二十五条", "本法自2012年1月1日起施行。"),
        ]),
    );
}

/// A phrase the article does not hold: the instruction is not found and none of it is
/// applied (not its first edit, not its first target).
#[test]
fn a_phrase_not_in_the_article_is_not_found_and_nothing_of_it_applies() {
    let a = run("not-found-phrase");
    assert_statuses("not-found-phrase", &a, &[NOT_FOUND, NOT_FOUND]);
    let d0 = a.outcomes[0].detail.as_deref().unwrap_or("");
    assert!(d0.contains("全省"), "{d0}");
    let d1 = a.outcomes[1].detail.as_deref().unwrap_or("");
    assert!(d1.contains("第六条") && d1.contains("登记"), "{d1}");
    assert_articles("not-found-phrase", &a, kept(1, 25));
}

/// Two instructions changing 第五条第二款: the first is applied, the later ones conflict
/// and leave it as the first made it.
#[test]
fn two_instructions_changing_one_paragraph_conflict() {
    let a = run("conflict");
    assert_statuses("conflict", &a, &[APPLIED, CONFLICT, CONFLICT]);
    assert_articles(
        "conflict",
        &a,
        cat(vec![
            kept(1, 4),
            text(
                "第五条",
                "示例主管部门应当建立示例登记制度，公开登记信息。\n县级以上人民政府示例主管部门负责本行政区域内的示例登记工作。",
            ),
            kept(6, 25),
        ]),
    );
}

#[test]
fn an_unreadable_instruction_is_unrecognised_and_kept_with_its_words() {
    let a = run("unrecognised");
    assert_statuses("unrecognised", &a, &[APPLIED, UNRECOGNISED]);
    assert!(
        a.outcomes[1]
            .text
            .contains("第三条的表述调整为更加严谨的形式"),
        "{:?}",
        a.outcomes[1].text
    );
    assert_eq!(a.outcomes[1].number, Some(2));
    assert_articles(
        "unrecognised",
        &a,
        cat(vec![
            kept(1, 1),
            text("第二条", "示例活动应当遵循合法、公开、公平、诚信的原则。"),
            kept(3, 25),
        ]),
    );
}

/// An act for another statute has no part for the base.
#[test]
fn an_act_for_another_statute_has_no_part_for_the_base() {
    let read = read_act(&act_path("other-statute")).unwrap_or_else(|e| panic!("{e}"));
    let named = read
        .act
        .part_for(&base().meta.title)
        .expect_err("no part for the base");
    assert_eq!(named, ["中华人民共和国另一法"]);
}

/// One of each outcome.
#[test]
fn a_mixed_act() {
    let a = run("mixed");
    assert_statuses(
        "mixed",
        &a,
        &[
            APPLIED,
            NOT_FOUND,
            APPLIED,
            CONFLICT,
            UNRECOGNISED,
            APPLIED,
            APPLIED,
            APPLIED,
        ],
    );
    assert_articles(
        "mixed",
        &a,
        cat(vec![
            kept(1, 1),
            text("第二条", "示例活动应当遵循合法、公开、公平、诚信的原则。"),
            kept(3, 4),
            text(
                "第五条",
                "示例主管部门应当建立示例登记制度，公开登记信息。\n设区的市级示例主管部门负责本行政区域内的示例登记工作。",
            ),
            kept(6, 15),
            text(
                "第十六条",
                "有下列情形之一的，不予登记：\n（一）申请材料虚假的；\n（二）申请人不具备条件的。",
            ),
            kept(17, 25),
        ]),
    );
}

// ---------------------------------------------------------------------------------------
// The binary.

/// Exit 0, the consolidated text on stdout (canonical Markdown, the act in its 题注), the
/// summary on stderr.
#[test]
fn cli_complete_act_exits_0_and_writes_the_result() {
    let o = statute(&[
        "apply",
        arg(&base_path()),
        arg(&act_path("replace-article")),
    ]);
    let err = stderr(&o);
    assert_eq!(o.status.code(), Some(0), "{err}");
    assert!(err.contains("1 of 1 instructions applied"), "{err}");
    let out = String::from_utf8(o.stdout).expect("utf-8");
    let back = parse_str(Path::new("out.md"), &out)
        .unwrap_or_else(|e| panic!("{e}"))
        .statute;
    let problems = differences(
        &back,
        &cat(vec![
            kept(1, 12),
            text(
                "第十三条",
                "示例单位应当按照国家有关规定报送示例统计资料。\n统计资料应当真实、准确、完整。",
            ),
            kept(14, 25),
        ]),
    );
    assert!(problems.is_empty(), "{}", problems.join("\n"));
    assert_eq!(
        canonical::to_string(&back),
        out,
        "stdout is in canonical form"
    );
}

/// Exit 1 when some instruction is not applied: -o is not written (an existing file keeps
/// its content); with --partial it is, holding what was applied.
#[test]
fn cli_incomplete_act_exits_1_and_writes_only_with_partial() {
    let dir = tempfile::tempdir().expect("tempdir");
    let out = dir.path().join("out.md");
    let o = statute(&[
        "apply",
        arg(&base_path()),
        arg(&act_path("mixed")),
        "-o",
        arg(&out),
    ]);
    assert_eq!(o.status.code(), Some(1), "{}", stderr(&o));
    assert!(!out.exists(), "nothing written without --partial");
    assert!(o.stdout.is_empty(), "nothing on stdout either");
    assert!(stderr(&o).contains("nothing written"), "{}", stderr(&o));

    std::fs::write(&out, "previous\n").expect("write");
    let o = statute(&[
        "apply",
        arg(&base_path()),
        arg(&act_path("mixed")),
        "-o",
        arg(&out),
    ]);
    assert_eq!(o.status.code(), Some(1));
    assert_eq!(
        std::fs::read_to_string(&out).expect("read"),
        "previous\n",
        "an existing file is left as it was"
    );

    let o = statute(&[
        "apply",
        "--partial",
        arg(&base_path()),
        arg(&act_path("mixed")),
        "-o",
        arg(&out),
    ]);
    assert_eq!(o.status.code(), Some(1), "{}", stderr(&o));
    let got = parse_file(&out).unwrap_or_else(|e| panic!("{e}")).statute;
    let arts = articles(&got);
    assert_eq!(arts.len(), 25);
    assert_eq!(
        arts[1].1, "示例活动应当遵循合法、公开、公平、诚信的原则。",
        "instruction 一 applied"
    );
    assert_eq!(
        arts[4].1,
        "示例主管部门应当建立示例登记制度，公开登记信息。\n设区的市级示例主管部门负责本行政区域内的示例登记工作。",
        "三 applied, 四 (conflict) not"
    );
    assert_eq!(got.meta.version_date, Date::new(2024, 6, 28));
}

/// Exit 2 with one line naming the act file when it amends another statute; nothing on
/// stdout. A missing act is one line too.
#[test]
fn cli_errors_exit_2_with_one_line() {
    for (act, needle) in [
        ("other-statute", "中华人民共和国另一法"),
        ("does-not-exist", "does-not-exist.md"),
    ] {
        let path = act_path(act);
        let o = statute(&["apply", arg(&base_path()), arg(&path)]);
        let err = stderr(&o);
        assert_eq!(o.status.code(), Some(2), "{act}: {err}");
        assert!(
            err.contains(&format!("{act}.md")),
            "{act}: names the file: {err}"
        );
        assert!(err.contains(needle), "{act}: {err}");
        assert_eq!(err.trim_end().lines().count(), 1, "{act}: one line: {err}");
        assert!(o.stdout.is_empty(), "{act}: nothing on stdout");
    }
}

/// An -o that cannot be written: exit 2, one line naming the file asked for (not a temporary
/// file of the program's own).
#[test]
fn cli_unwritable_output_is_one_line_naming_it() {
    let dir = tempfile::tempdir().expect("tempdir");
    let out = dir.path().join("missing-dir").join("out.md");
    let o = statute(&[
        "apply",
        arg(&base_path()),
        arg(&act_path("replace-article")),
        "-o",
        arg(&out),
    ]);
    let err = stderr(&o);
    assert_eq!(o.status.code(), Some(2), "{err}");
    let last = err.trim_end().lines().last().unwrap_or("");
    assert!(last.starts_with("statute: "), "{err}");
    assert!(last.contains(arg(&out)), "names {}: {err}", out.display());
    assert!(!out.exists());
}

/// BASE and ACT swapped: the statute given as the act holds no amending instruction, which
/// is an error naming it (exit 2, one line), not an act of 42 unrecognised instructions.
#[test]
fn cli_a_statute_given_as_the_act_is_an_error() {
    let o = statute(&[
        "apply",
        arg(&act_path("replace-article")),
        arg(&base_path()),
    ]);
    let err = stderr(&o);
    assert_eq!(o.status.code(), Some(2), "{err}");
    assert!(err.contains("base.md"), "names the file: {err}");
    assert_eq!(err.trim_end().lines().count(), 1, "one line: {err}");
    assert!(o.stdout.is_empty());
}

/// --report json: one statute-apply/1 document on stderr, valid against the schema when it
/// is committed.
#[test]
fn cli_json_report() {
    let o = statute(&[
        "apply",
        "--partial",
        "--report",
        "json",
        arg(&base_path()),
        arg(&act_path("mixed")),
    ]);
    assert_eq!(o.status.code(), Some(1));
    let v: serde_json::Value = serde_json::from_slice(&o.stderr)
        .unwrap_or_else(|e| panic!("stderr is one JSON document: {e}\n{}", stderr(&o)));
    assert_eq!(v["schema"], "statute-apply/1");
    assert_eq!(v["complete"], false);
    assert_eq!(v["statute"]["title"], "中华人民共和国示例法");
    assert_eq!(v["statute"]["base"], "2010-06-25");
    assert_eq!(v["statute"]["version"], "2024-06-28");
    assert_eq!(v["statute"]["effective"], "2025-01-01");
    assert_eq!(v["act"]["date"], "2024-06-28");
    assert_eq!(v["counts"]["applied"], 5);
    assert_eq!(v["counts"]["not_found"], 1);
    assert_eq!(v["counts"]["conflict"], 1);
    assert_eq!(v["counts"]["unrecognised"], 1);
    let statuses: Vec<&str> = v["instructions"]
        .as_array()
        .expect("instructions")
        .iter()
        .map(|i| i["status"].as_str().unwrap_or(""))
        .collect();
    assert_eq!(
        statuses,
        [
            "applied",
            "not-found",
            "applied",
            "conflict",
            "unrecognised",
            "applied",
            "applied",
            "applied"
        ]
    );
    assert_eq!(v["instructions"][0]["articles"][0], "第二条");
    assert_eq!(v["instructions"][4]["number"], 5);
    assert!(v["check"].is_null());

    let schema = root().join("schema/statute-apply-1.json");
    if !schema.exists() {
        eprintln!(
            "note: {} is absent; the report was not validated against it",
            schema.display()
        );
        return;
    }
    let text = std::fs::read_to_string(&schema).expect("read schema");
    let schema: serde_json::Value = serde_json::from_str(&text).expect("schema json");
    let validator = jsonschema::validator_for(&schema).expect("valid schema");
    let errors: Vec<String> = validator.iter_errors(&v).map(|e| e.to_string()).collect();
    assert!(errors.is_empty(), "{}", errors.join("\n"));
}

/// --check against the official text: exit 0 when it is the result; with one editor's
/// change the act does not make (第二条), exit 1 and one difference attributed to no
/// instruction.
#[test]
fn cli_check_against_an_official_text() {
    let act = act_path("replace-article");
    let o = statute(&[
        "apply",
        arg(&base_path()),
        arg(&act),
        "--check",
        arg(&fixture("apply/official/replace-article.md")),
    ]);
    assert_eq!(o.status.code(), Some(0), "{}", stderr(&o));
    assert!(
        stderr(&o).contains("the result matches the official text"),
        "{}",
        stderr(&o)
    );

    let o = statute(&[
        "apply",
        "--report",
        "json",
        arg(&base_path()),
        arg(&act),
        "--check",
        arg(&fixture("apply/official/replace-article-edited.md")),
    ]);
    assert_eq!(o.status.code(), Some(1), "{}", stderr(&o));
    assert!(!o.stdout.is_empty(), "the act was applied whole: written");
    let v: serde_json::Value = serde_json::from_slice(&o.stderr).expect("JSON report");
    let check = v["check"].as_array().expect("check");
    assert_eq!(check.len(), 1, "{check:?}");
    assert_eq!(check[0]["kind"], "modified");
    assert_eq!(check[0]["applied"][0], "第二条");
    assert_eq!(check[0]["official"][0], "第二条");
    assert_eq!(check[0]["instructions"].as_array().map(Vec::len), Some(0));
    assert!(
        check[0]["excerpt"].as_str().unwrap_or("").contains("公平"),
        "{}",
        check[0]["excerpt"]
    );

    let o = statute(&[
        "apply",
        arg(&base_path()),
        arg(&act),
        "--check",
        arg(&fixture("apply/official/replace-article-edited.md")),
    ]);
    let err = stderr(&o);
    assert!(err.contains("1 difference from the official text"), "{err}");
    assert!(err.contains("no instruction"), "{err}");
}

/// --check when the official text differs in an article the act changed: the difference is
/// that instruction's.
#[test]
fn cli_check_names_the_instruction_behind_a_difference() {
    let official = std::fs::read_to_string(fixture("apply/official/replace-article.md"))
        .expect("read")
        .replace("真实、准确、完整。", "真实、准确、完整、及时。");
    let dir = tempfile::tempdir().expect("tempdir");
    let path = dir.path().join("official.md");
    std::fs::write(&path, official).expect("write");
    let o = statute(&[
        "apply",
        "--report",
        "json",
        arg(&base_path()),
        arg(&act_path("replace-article")),
        "--check",
        arg(&path),
    ]);
    assert_eq!(o.status.code(), Some(1), "{}", stderr(&o));
    let v: serde_json::Value = serde_json::from_slice(&o.stderr).expect("JSON report");
    let check = v["check"].as_array().expect("check");
    assert_eq!(check.len(), 1, "{check:?}");
    assert_eq!(check[0]["kind"], "modified");
    assert_eq!(check[0]["applied"][0], "第十三条");
    assert_eq!(check[0]["instructions"], serde_json::json!([0]));
}

/// --check when the official text names a chapter otherwise than the act that renamed it:
/// the heading's difference is that instruction's, not an unauthorised change.
#[test]
fn cli_check_names_the_instruction_behind_a_heading_difference() {
    let official = std::fs::read_to_string(base_path())
        .expect("read")
        .replace("## 第二章 示例管理\n", "## 第二章 示例登记与管理\n");
    let dir = tempfile::tempdir().expect("tempdir");
    let path = dir.path().join("official.md");
    std::fs::write(&path, official).expect("write");
    let o = statute(&[
        "apply",
        "--report",
        "json",
        arg(&base_path()),
        arg(&act_path("chapter-rename")),
        "--check",
        arg(&path),
    ]);
    assert_eq!(o.status.code(), Some(1), "{}", stderr(&o));
    let v: serde_json::Value = serde_json::from_slice(&o.stderr).expect("JSON report");
    let check = v["check"].as_array().expect("check");
    assert_eq!(check.len(), 1, "{check:?}");
    assert_eq!(check[0]["kind"], "heading");
    assert_eq!(check[0]["applied"][0], "第二章 示例登记管理");
    assert_eq!(check[0]["official"][0], "第二章 示例登记与管理");
    assert_eq!(
        check[0]["instructions"],
        serde_json::json!([0]),
        "the heading instruction 一 renamed it"
    );
}

/// The text report of the mixed act, as the binary prints it.
#[test]
fn cli_text_report_snapshot() {
    let o = statute(&["apply", arg(&base_path()), arg(&act_path("mixed"))]);
    assert_eq!(o.status.code(), Some(1));
    insta::assert_snapshot!("apply_mixed_text_report", stderr(&o));
}

/// The report's text of every instruction, applied or not, from the library.
#[test]
fn text_report_with_every_instruction() {
    let base = base();
    let read = read_act(&act_path("mixed")).unwrap_or_else(|e| panic!("{e}"));
    let part = read.act.part_for(&base.meta.title).expect("part");
    let applied = apply(&base, part, &read.info);
    let report = ApplyReport {
        base: &base,
        act: &read.info,
        applied: &applied,
        check: None,
    };
    let mut out = Vec::new();
    report.write_text(true, &mut out).expect("write");
    let text = String::from_utf8(out).expect("utf-8");
    // The summary line, and one line per instruction (two with a reason).
    assert!(
        text.starts_with("中华人民共和国示例法: 5 of 8 instructions applied"),
        "{text}"
    );
    assert!(
        text.contains("unrecognised  五、 第三条的表述调整为更加严谨的形式"),
        "the unreadable instruction is quoted: {text}"
    );
    assert_eq!(
        text.lines().filter(|l| l.starts_with("  applied")).count(),
        5,
        "{text}"
    );
}
