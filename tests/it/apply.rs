//! Applying amending acts (issue 22): the draft decision of every consecutive corpus pair and
//! of the mutation benchmark, read back and applied to the old version, gives the new one with
//! no substantive difference; fixtures for each instruction form give their expected text.

use statute::amend::{ActInfo, Status, apply, parse_act};
use statute::diff::{ChangeSet, diff};
use statute::model::Statute;
use statute::parse::{canonical, parse_str};
use statute::render::decision;
use statute::render::select::{Filter, select};

use statute_eval::corpus::STATUTES;
use statute_eval::{Corpus, generate};

use crate::common::{corpus, load, md_files, statute_dirs};

fn draft(cs: &ChangeSet) -> String {
    let mut out = Vec::new();
    decision::write(cs, &select(cs, &Filter::default()), &mut out).expect("write");
    String::from_utf8(out).expect("utf-8")
}

/// The old version with its draft applied, written in canonical form and read back (what
/// `statute apply` writes), or why not.
fn round_trip(old: &Statute, new: &Statute) -> Result<Trip, String> {
    let cs = diff(old, new);
    let text = draft(&cs);
    let act = parse_act(&text);
    let Some(part) = act.parts.first() else {
        return Err("the draft has no part".into());
    };
    let applied = apply(old, part, &ActInfo::default());
    let failed: Vec<String> = applied
        .outcomes
        .iter()
        .filter(|o| o.status != Status::Applied)
        .map(|o| {
            format!(
                "{} {}: {}",
                o.status.as_str(),
                o.detail.as_deref().unwrap_or(""),
                o.text.chars().take(60).collect::<String>()
            )
        })
        .collect();
    let written = canonical::to_string(&applied.statute);
    let result = parse_str(std::path::Path::new("applied.md"), &written)
        .map_err(|e| e.to_string())?
        .statute;
    let check = diff(&result, new);
    // A consolidated text must number its articles as the new version does: an article the
    // differ finds renumbered or moved between the two is a wrong result too.
    let misnumbered = check
        .entries
        .iter()
        .filter(|e| e.renumbered || e.moved)
        .count();
    if failed.is_empty() && !check.has_substantive_changes() && misnumbered == 0 {
        return Ok(Trip::Exact);
    }
    if failed.is_empty() && misnumbered == 0 && only_references_differ(&check) {
        return Ok(Trip::ReferencesFollow);
    }
    // STATUTE_APPLY_DUMP=DIR keeps the draft and the result of a pair that fails, to run
    // `statute diff` on.
    if let Some(d) = std::env::var_os("STATUTE_APPLY_DUMP") {
        let d = std::path::PathBuf::from(d);
        let name = format!(
            "{}-{}",
            new.meta.title,
            new.meta
                .version_date
                .map(|d| d.to_string())
                .unwrap_or_default()
        );
        let _ = std::fs::create_dir_all(&d);
        let _ = std::fs::write(d.join(format!("{name}.decision.txt")), &text);
        let _ = std::fs::write(d.join(format!("{name}.applied.md")), &written);
        let _ = std::fs::write(d.join(format!("{name}.new.md")), canonical::to_string(new));
        let _ = std::fs::write(d.join(format!("{name}.old.md")), canonical::to_string(old));
    }
    Err(format!(
        "{}; result vs new: {}",
        failed.join(" | "),
        check.summary_line()
    ))
}

/// How a round trip ended well.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Trip {
    /// No substantive difference from the new version.
    Exact,
    /// The only differences are the statute's own cross-references, which the result
    /// renumbers as the act's 对条文顺序作相应调整 requires and the new version left as
    /// they were (the mutation generator moves articles without renumbering references).
    ReferencesFollow,
}

/// The text with every reference to the statute's own articles replaced by one mark.
fn without_references(text: &str) -> String {
    let mut out = String::new();
    let mut at = 0;
    for r in statute::normalize::self_references(text) {
        out.push_str(&text[at..r.start]);
        out.push('§');
        at = r.end;
    }
    out.push_str(&text[at..]);
    out
}

/// True when every substantive difference is in the statute's own cross-references.
fn only_references_differ(cs: &ChangeSet) -> bool {
    use statute::diff::{EntryKind, Op};
    let side = |e: &statute::diff::Entry, keep: Op| -> String {
        e.diff
            .iter()
            .filter(|s| s.op == Op::Equal || s.op == keep)
            .map(|s| s.text.as_str())
            .collect()
    };
    cs.entries.iter().all(|e| {
        !e.substantive
            || (e.kind == EntryKind::Modified
                && without_references(&side(e, Op::Delete))
                    == without_references(&side(e, Op::Insert)))
    }) && !cs.texts.iter().any(|t| t.substantive)
        && cs
            .headings
            .iter()
            .all(|h| h.kind == statute::diff::HeadingChangeKind::Renumbered)
}

/// The share of corpus pairs (in percent) that must round-trip; see the test.
const CORPUS_FLOOR: usize = 99;

#[test]
fn drafts_of_corpus_pairs_apply_back() {
    let Some(dir) = corpus() else { return };
    let mut total = 0;
    let mut references = 0;
    let mut failures = Vec::new();
    for d in statute_dirs(&dir) {
        let files = md_files(&d);
        for w in files.windows(2) {
            total += 1;
            let (old, new) = (load(&w[0]), load(&w[1]));
            match round_trip(&old, &new) {
                Ok(Trip::Exact) => {}
                Ok(Trip::ReferencesFollow) => references += 1,
                Err(why) => failures.push(format!(
                    "{} {}: {why}",
                    d.file_name().unwrap_or_default().to_string_lossy(),
                    w[1].file_stem().unwrap_or_default().to_string_lossy()
                )),
            }
        }
    }
    let ok = total - failures.len();
    eprintln!(
        "apply(old, decision(old, new)) = new: {ok} of {total} corpus pairs ({:.1}%; {references} of them differ only in cross-references the result renumbered)",
        100.0 * ok as f64 / total.max(1) as f64
    );
    for f in &failures {
        eprintln!("  {f}");
    }
    // Issue 22 asks for 99%: measured 114 of 115 (99.1%) when this floor was set, counting a
    // result whose articles stand under other headings or carry other numbers as wrong. The
    // one failure is the 刑事诉讼法解释 2012 → 2021 revision (416 articles renumbered, 204
    // moved: some new 章 come out in each other's place).
    assert!(
        ok * 100 >= total * CORPUS_FLOOR,
        "{} of {total} pairs do not round-trip",
        failures.len()
    );
}

#[test]
fn drafts_of_mutation_pairs_apply_back() {
    let Some(dir) = corpus() else { return };
    let c = Corpus::load(&dir, STATUTES);
    let n: usize = std::env::var("STATUTE_APPLY_PAIRS")
        .ok()
        .and_then(|v| v.parse().ok())
        .unwrap_or(200);
    let mut failures = Vec::new();
    let mut references = 0;
    for i in 0..n {
        let p = generate(&c, i).unwrap_or_else(|e| panic!("{e}"));
        let Some(old) = p.old(&c) else { continue };
        match round_trip(old, &p.new) {
            Ok(Trip::Exact) => {}
            Ok(Trip::ReferencesFollow) => references += 1,
            Err(why) => failures.push(format!("pair {i} ({}): {why}", p.log.join(", "))),
        }
    }
    let ok = n - failures.len();
    eprintln!(
        "apply(old, decision(old, new)) = new: {ok} of {n} mutation pairs ({:.1}%; {references} of them differ only in cross-references the result renumbered and the generated version did not)",
        100.0 * ok as f64 / n.max(1) as f64
    );
    for f in failures.iter().take(40) {
        eprintln!("  {f}");
    }
    // Measured 199 of 200 (995 of 1,000) when this floor was set; see the corpus test.
    assert!(
        ok * 100 >= n * 99,
        "{} of {n} mutation pairs do not round-trip",
        failures.len()
    );
}

/// A title compared loosely: without 《》〈〉, 中华人民共和国 and spaces.
fn title_key(t: &str) -> String {
    let t: String = t
        .chars()
        .filter(|c| !c.is_whitespace() && !matches!(c, '《' | '》' | '〈' | '〉'))
        .collect();
    t.strip_prefix("中华人民共和国").unwrap_or(&t).to_string()
}

/// Every amending act of the corpus, applied to the statute it amends where the corpus has
/// that statute's version before the act: per act, instructions, recognised and applied; and
/// where the corpus has the next version too, the differences from it.
#[test]
fn corpus_acts_apply_to_their_statutes() {
    let Some(dir) = corpus() else { return };
    // Every statute folder of the corpus by its title.
    let mut folders = std::collections::HashMap::new();
    for d in crate::common::all_statute_dirs(&dir) {
        if let Some(name) = d.file_name() {
            // A title in both: multi/'s folder, as before.
            folders
                .entry(title_key(&name.to_string_lossy()))
                .or_insert_with(|| d.clone());
        }
    }
    let mut acts: Vec<_> = folders
        .iter()
        .filter(|(k, _)| (k.contains("关于修改") && k.ends_with("的决定")) || k.contains("修正案"))
        .map(|(_, p)| p.clone())
        .collect();
    acts.sort();
    let (mut total, mut recognised, mut applied_total, mut checked, mut exact) = (0, 0, 0, 0, 0);
    for act_dir in acts {
        for file in md_files(&act_dir) {
            let read = statute::amend::read_act(&file).expect("act");
            // The act's adoption date (its file is dated by when it took effect): the
            // version it amends is the one before, the version it makes is dated from it.
            let date = read.info.date.or_else(|| {
                file.file_stem()
                    .and_then(|s| s.to_str())
                    .and_then(statute::model::Date::parse_iso)
            });
            let n = read.act.instructions().count();
            let r = read.act.instructions().filter(|i| i.recognised()).count();
            total += n;
            recognised += r;
            let mut line = format!(
                "{}: {n} instructions, {r} recognised",
                act_dir.file_name().unwrap_or_default().to_string_lossy()
            );
            for part in &read.act.parts {
                let Some(title) = &part.title else { continue };
                let Some(folder) = folders.get(&title_key(title)) else {
                    continue;
                };
                let versions = md_files(folder);
                let dated: Vec<_> = versions
                    .iter()
                    .map(|p| {
                        (
                            p.file_stem()
                                .and_then(|s| s.to_str())
                                .and_then(statute::model::Date::parse_iso),
                            p,
                        )
                    })
                    .collect();
                let Some(d) = date else { continue };
                let Some(k) = dated.iter().rposition(|(v, _)| v.is_some_and(|v| v < d)) else {
                    continue;
                };
                let base = load(dated[k].1);
                let a = apply(&base, part, &read.info);
                let ok = a
                    .outcomes
                    .iter()
                    .filter(|o| o.status == Status::Applied)
                    .count();
                applied_total += ok;
                line.push_str(&format!(
                    "\n    《{title}》: {ok} of {} applied",
                    a.outcomes.len()
                ));
                for o in a.outcomes.iter().filter(|o| o.status != Status::Applied) {
                    line.push_str(&format!(
                        "\n      {} {}: {}",
                        o.status.as_str(),
                        o.detail.as_deref().unwrap_or(""),
                        o.text.chars().take(50).collect::<String>()
                    ));
                }
                if let Some((_, next)) = dated.get(k + 1) {
                    checked += 1;
                    let official = load(next);
                    let diffs = statute::amend::compare(&a, &official);
                    if diffs.is_empty() {
                        exact += 1;
                    }
                    line.push_str(&format!(
                        "; against {}: {} differences",
                        next.file_stem().unwrap_or_default().to_string_lossy(),
                        diffs.len()
                    ));
                    for d in diffs.iter().take(5) {
                        line.push_str(&format!(
                            "\n      {} {:?}→{:?} by {:?}: {}",
                            d.kind, d.applied, d.official, d.instructions, d.excerpt
                        ));
                    }
                }
            }
            eprintln!("{line}");
        }
    }
    eprintln!(
        "corpus acts: {total} instructions, {recognised} recognised, {applied_total} applied where the statute is in the corpus; {exact} of {checked} results equal the next version"
    );
    assert!(total > 0, "no amending act found in the corpus");
}

fn act_store() -> (tempfile::TempDir, statute::store::Store) {
    let dir = tempfile::tempdir().expect("tempdir");
    let (store, _) = statute::store::Store::init(&dir.path().join("store")).expect("init");
    let r = store
        .import(
            &[crate::common::fixture("act-import/示例法")],
            &Default::default(),
            &statute::store::import::Quiet,
        )
        .expect("import");
    assert_eq!(r.added, 1);
    (dir, store)
}

/// `import --act`: the act's result is stored as the version of its date, naming the act and,
/// per article, the instructions behind it; the feed says so; importing the act again changes
/// nothing; the store verifies.
#[test]
fn an_act_imported_into_the_store_makes_the_version_of_its_date() {
    use statute::store::import::Quiet;
    let (_d, store) = act_store();
    let act = crate::common::fixture("act-import/act.md");
    let r = store.import_act(&act, &Quiet).expect("import --act");
    assert!(r.stored);
    assert_eq!(r.report.added, 1);
    let id = store.resolve("示例法").expect("resolve");
    let h = store.history(&id).expect("history");
    let labels: Vec<&str> = h.versions.iter().map(|v| v.label.as_str()).collect();
    assert_eq!(labels, ["2020-01-01", "2024-06-28"]);
    let v = &h.versions[1];
    assert_eq!(v.meta.effective, statute::model::Date::new(2025, 1, 1));
    let rec = v.meta.act.as_ref().expect("the version names its act");
    let bytes = std::fs::read(&act).expect("read act");
    assert_eq!(
        rec.blob,
        git2::Oid::hash_object(git2::ObjectType::Blob, &bytes).expect("oid")
    );
    assert_eq!(
        rec.changes,
        vec![
            ("第一条之一".to_string(), vec![2]),
            ("第二条".to_string(), vec![1]),
            ("-第三条".to_string(), vec![3]),
        ]
    );
    let text = store.text(v).expect("text");
    assert!(text.contains("第一条之一 示例应当公开。"), "{text}");
    assert!(text.contains("第二条 示例由主管机关管理。"), "{text}");
    assert!(!text.contains("第三条"), "{text}");
    assert!(
        text.contains("根据2024年6月28日第十四届全国人民代表大会常务委员会第十次会议《全国人民代表大会常务委员会关于修改〈中华人民共和国示例法〉的决定》修正"),
        "{text}"
    );

    // The feed's event names the act, each change the instruction that made it.
    let events = statute::feed::events(&store, &statute::feed::Options::default()).expect("feed");
    let e = events.last().expect("an event");
    assert_eq!(
        e.act.as_ref().and_then(|a| a.blob.clone()),
        Some(rec.blob.to_string())
    );
    let by: Vec<(Vec<String>, Vec<String>, Vec<u32>)> = e
        .changes
        .iter()
        .map(|c| (c.old.clone(), c.new.clone(), c.instructions.clone()))
        .collect();
    assert!(
        by.contains(&(vec![], vec!["第一条之一".into()], vec![2])),
        "{by:?}"
    );
    assert!(
        by.contains(&(vec!["第二条".into()], vec!["第二条".into()], vec![1])),
        "{by:?}"
    );
    assert!(
        by.contains(&(vec!["第三条".into()], vec![], vec![3])),
        "{by:?}"
    );

    // Again: compared with the stored version of its date, nothing new.
    let again = store.import_act(&act, &Quiet).expect("again");
    assert_eq!(again.report.added, 0);
    let (_, diffs) = again.parts[0].official.as_ref().expect("compared");
    assert!(diffs.is_empty(), "{diffs:?}");
    assert_eq!(store.history(&id).expect("history").versions.len(), 2);
    let v = store.verify().expect("verify");
    assert!(v.problems.is_empty(), "{:?}", v.problems);
    // The act's trailers are the version's own data: a reindex keeps them, and the commits.
    let commits = |s: &statute::store::Store| -> Vec<git2::Oid> {
        s.history(&id)
            .expect("history")
            .versions
            .iter()
            .map(|v| v.commit)
            .collect()
    };
    let before = commits(&store);
    store.reindex(&Quiet).expect("reindex");
    assert_eq!(commits(&store), before);
}

/// An act that does not apply whole stores nothing; an act for a statute the store does not
/// hold is an error naming the act's file.
#[test]
fn an_act_that_does_not_apply_whole_stores_nothing() {
    use statute::store::import::Quiet;
    let (_d, store) = act_store();
    let refs = |s: &statute::store::Store| {
        let mut v: Vec<(String, git2::Oid)> = s
            .repo()
            .references()
            .expect("refs")
            .flatten()
            .filter_map(|r| Some((r.name().ok()?.to_string(), r.target()?)))
            .collect();
        v.sort();
        v
    };
    let before = refs(&store);
    let r = store
        .import_act(
            &crate::common::fixture("act-import/act-not-found.md"),
            &Quiet,
        )
        .expect("import --act");
    assert!(!r.stored);
    let statuses: Vec<Status> = r.parts[0]
        .applied
        .outcomes
        .iter()
        .map(|o| o.status)
        .collect();
    assert_eq!(statuses, [Status::Applied, Status::NotFound]);
    assert_eq!(refs(&store), before);

    let other = crate::common::fixture("act-import/act-other.md");
    let e = store
        .import_act(&other, &Quiet)
        .expect_err("another statute");
    let msg = e.to_string();
    assert!(
        msg.contains("act-other.md") && msg.contains("另一法"),
        "{msg}"
    );
    assert!(!msg.contains('\n'), "{msg}");
    assert_eq!(refs(&store), before);
}

/// A heading named by its whole words (一、买卖合同的成立及效力) and renamed whole keeps one
/// label: 一、买卖合同的成立, not 一、一、….
#[test]
fn a_point_heading_renamed_whole_keeps_one_label() {
    let base = load(&crate::common::fixture("apply/headings/points-base.md"));
    let read = statute::amend::read_act(&crate::common::fixture("apply/headings/points-rename.md"))
        .expect("act");
    let a = apply(&base, &read.act.parts[0], &read.info);
    assert!(a.complete(), "{:?}", a.outcomes);
    let text = canonical::to_string(&a.statute);
    assert!(text.contains("## 一、买卖合同的成立\n"), "{text}");
    assert!(!text.contains("一、一、"), "{text}");
}

/// 将第二部分标题修改为：“二、附则”: a 司法解释's second part is its heading labelled 二、.
#[test]
fn a_part_named_by_its_place_in_the_order_is_renamed() {
    let base = load(&crate::common::fixture("apply/headings/points-base.md"));
    let read = statute::amend::read_act(&crate::common::fixture(
        "apply/headings/points-part-title.md",
    ))
    .expect("act");
    let a = apply(&base, &read.act.parts[0], &read.info);
    assert!(a.complete(), "{:?}", a.outcomes);
    let text = canonical::to_string(&a.statute);
    assert!(text.contains("## 二、附则\n"), "{text}");
    assert!(text.contains("## 一、买卖合同的成立及效力\n"), "{text}");
}

/// 宪法第一章“国家机构”中增加一节，作为第二节“监察委员会”；增加两条，分别作为第二条至第三条。
/// 内容如下： with the 节 and its articles unquoted on the lines after and the note of what is
/// renumbered (第二节相应改为第三节，…): the 节 opens before the new articles, the old 第二节 is
/// 第三节 and its articles follow the new ones; the next instruction names the old numbers.
#[test]
fn a_section_added_with_its_articles_unquoted() {
    let base = load(&crate::common::fixture("apply/constitution/base.md"));
    let read = statute::amend::read_act(&crate::common::fixture("apply/constitution/section.md"))
        .expect("act");
    let ops: Vec<&str> = read
        .act
        .instructions()
        .map(|i| {
            use statute::amend::Op as A;
            match i.op {
                A::InsertHeading { .. } => "heading",
                A::InsertArticle { .. } => "articles",
                A::Renumber => "renumber",
                A::Phrase { .. } => "phrase",
                _ => "other",
            }
        })
        .collect();
    assert_eq!(ops, ["heading", "articles", "renumber", "phrase"]);
    let a = apply(&base, &read.act.parts[0], &read.info);
    assert!(a.complete(), "{:?}", a.outcomes);
    let text = canonical::to_string(&a.statute);
    let body = &text[text.find("## 第一章").expect("第一章")..];
    assert_eq!(
        body,
        "## 第一章 国家机构\n\n### 第一节 全国人民代表大会\n\n第一条 全国人民代表大会是最高国家权力机关。\n\n\
         ### 第二节 监察委员会\n\n第二条 中华人民共和国各级监察委员会是国家的监察机关。\n\n\
         第三条 监察委员会由下列人员组成：\n\n主任，\n\n委员若干人。\n\n\
         ### 第三节 人民法院和人民检察院\n\n第四条 人民法院是国家的审判机关。\n\n\
         第五条 人民检察院是国家的法律监督机关。\n\n\
         ## 第二章 国旗、国歌、国徽、首都\n\n第六条 中华人民共和国国旗是五星红旗，国歌是《义勇军进行曲》。\n\n"
    );
}

/// A 批复's paragraphs (将第二段修改为：“…”): counted after the addressee, the paragraph the new
/// text resembles is replaced; a 正文第一段 that no candidate resembles is `not-found`, and
/// nothing is written.
#[test]
fn a_replys_paragraph_is_found_by_its_number_and_its_new_text() {
    let base = load(&crate::common::fixture("apply/reply/base.md"));
    let read =
        statute::amend::read_act(&crate::common::fixture("apply/reply/act.md")).expect("act");
    let a = apply(&base, &read.act.parts[0], &read.info);
    assert!(a.complete(), "{:?}", a.outcomes);
    let text = canonical::to_string(&a.statute);
    assert!(
        text.contains("河北省高级人民法院：\n\n你院关于示例欠款条诉讼时效问题的请示收悉。")
            && text.contains("根据民法典第一百九十五条的规定，应认定诉讼时效中断。")
            && !text.contains("民法通则"),
        "{text}"
    );
    let read = statute::amend::read_act(&crate::common::fixture("apply/reply/act-unlike.md"))
        .expect("act");
    let a = apply(&base, &read.act.parts[0], &read.info);
    assert_eq!(a.outcomes[0].status, Status::NotFound, "{:?}", a.outcomes);
}

/// The command line: `apply` on a stored version (STATUTE@VERSION) and `import --act` with
/// its exit codes: 0 stored, 1 not applied (nothing stored), 2 another statute's act.
#[test]
fn apply_and_import_act_on_the_command_line() {
    use crate::common::{arg, fixture, statute, stderr};
    let dir = tempfile::tempdir().expect("tempdir");
    let store = dir.path().join("store");
    let s = arg(&store);
    assert!(statute(&["--store", s, "init"]).status.success());
    let versions = fixture("act-import/示例法");
    assert!(
        statute(&["--store", s, "import", arg(&versions)])
            .status
            .success()
    );
    let act = fixture("act-import/act.md");
    let o = statute(&["--store", s, "apply", "示例法@2020-01-01", arg(&act)]);
    assert_eq!(o.status.code(), Some(0), "{}", stderr(&o));
    let out = String::from_utf8_lossy(&o.stdout);
    assert!(out.contains("第一条之一 示例应当公开。"), "{out}");

    let bad = fixture("act-import/act-not-found.md");
    let o = statute(&["--store", s, "import", "--act", arg(&bad)]);
    assert_eq!(o.status.code(), Some(1), "{}", stderr(&o));
    assert!(stderr(&o).contains("没有第九条"), "{}", stderr(&o));
    let o = statute(&["--store", s, "log", "示例法"]);
    let log = String::from_utf8_lossy(&o.stdout).into_owned();
    assert!(
        log.contains("2020-01-01") && !log.contains("2024-06-28"),
        "{log}"
    );

    let o = statute(&["--store", s, "import", "--act", arg(&act)]);
    assert_eq!(o.status.code(), Some(0), "{}", stderr(&o));
    let o = statute(&["--store", s, "log", "示例法"]);
    assert!(String::from_utf8_lossy(&o.stdout).contains("2024-06-28"));

    let other = fixture("act-import/act-other.md");
    let o = statute(&["--store", s, "import", "--act", arg(&other)]);
    assert_eq!(o.status.code(), Some(2));
    let err = stderr(&o);
    assert_eq!(err.trim_end().lines().count(), 1, "{err}");
    assert!(err.contains("act-other.md"), "{err}");
}

/// A consolidated text imported for the date of a version made from an act is compared with
/// it: the difference the act does not make is reported, with no instruction behind it.
#[test]
fn an_official_text_imported_after_the_act_is_compared_with_it() {
    use statute::store::import::Quiet;
    let (_d, store) = act_store();
    let act = crate::common::fixture("act-import/act.md");
    assert!(store.import_act(&act, &Quiet).expect("import --act").stored);
    let official = crate::common::fixture("act-import/official/示例法");
    let r = store
        .import(&[official], &Default::default(), &Quiet)
        .expect("import");
    assert_eq!(r.act_checks.len(), 1, "{:?}", r.act_checks);
    let c = &r.act_checks[0];
    assert_eq!(c.label, "2024-06-28");
    let found: Vec<(&str, Vec<String>, Vec<u32>)> = c
        .differences
        .iter()
        .map(|(d, ns)| (d.kind, d.applied.clone(), ns.clone()))
        .collect();
    assert_eq!(found, [("modified", vec!["第一条".to_string()], vec![])]);
}
