//! Citations: extraction measured against the hand-labelled truth (`fixtures/cites/truth.tsv`),
//! and the store's `refs` and `cites`.

use std::collections::HashMap;

use statute::cite::{self, Found, Name, Titles};

use crate::common;

/// One truth row, or one extracted citation, as compared: (line, statute, article).
type Row = (u32, String, String);

/// The statute as the truth writes it: SELF, or the title less a leading 中华人民共和国.
fn truth_name(found: &Found, name: &Name) -> String {
    if *name == Name::This {
        return "SELF".into();
    }
    let shown = match found {
        Found::One { name, .. }
        | Found::Parts { name, .. }
        | Found::Ambiguous { name, .. }
        | Found::Unknown { name } => name,
    };
    cite::title_key(shown)
}

/// Every title of the corpus (its statutes' folder names, `multi/` and `single/`), as a store
/// holding it would know them.
fn corpus_titles(corpus: &std::path::Path) -> Vec<String> {
    common::all_statute_dirs(corpus)
        .iter()
        .filter_map(|d| d.file_name().map(|n| n.to_string_lossy().into_owned()))
        .collect()
}

#[test]
fn extraction_matches_the_hand_labelled_sample() {
    measure("cites/truth.tsv");
}

/// A second sample, labelled after the extractor was written and measured before any change
/// made for it.
#[test]
fn extraction_matches_the_held_out_sample() {
    measure("cites/truth-heldout.tsv");
}

/// Precision and recall of the cited statute and article on one truth file: both ≥ 0.98.
fn measure(file: &str) {
    let Some(corpus) = common::corpus() else {
        return;
    };
    let truth = std::fs::read_to_string(common::fixture(file)).expect("truth");
    let mut docs: Vec<String> = Vec::new();
    let mut want: HashMap<String, Vec<Row>> = HashMap::new();
    for line in truth.lines() {
        if let Some(rest) = line.strip_prefix("# doc\t") {
            let path = rest.split('\t').next().expect("path").to_string();
            want.entry(path.clone()).or_default();
            docs.push(path);
            continue;
        }
        if line.starts_with('#') || line.trim().is_empty() {
            continue;
        }
        let f: Vec<&str> = line.split('\t').collect();
        assert_eq!(f.len(), 4, "truth row: {line}");
        let statute = if f[2] == "SELF" {
            "SELF".to_string()
        } else {
            cite::title_key(f[2])
        };
        want.entry(f[0].to_string()).or_default().push((
            f[1].parse().expect("line"),
            statute,
            f[3].to_string(),
        ));
    }
    let names = corpus_titles(&corpus);
    let titles = Titles::new(names.iter().map(|t| (t.as_str(), t.as_str())));
    let (mut tp, mut extracted, mut truth_total) = (0usize, 0usize, 0usize);
    let mut misses = Vec::new();
    for doc in &docs {
        let s = common::load(&corpus.join(doc));
        let mut got: Vec<Row> = cite::extract(&s)
            .iter()
            .map(|c| {
                let found = titles.find(&c.name, &s.meta.title);
                (c.line, truth_name(&found, &c.name), c.article.label())
            })
            .collect();
        let mut expected = want[doc].clone();
        truth_total += expected.len();
        extracted += got.len();
        got.sort();
        expected.sort();
        // Multiset intersection.
        let (mut i, mut j) = (0, 0);
        while i < got.len() && j < expected.len() {
            match got[i].cmp(&expected[j]) {
                std::cmp::Ordering::Equal => {
                    tp += 1;
                    i += 1;
                    j += 1;
                }
                std::cmp::Ordering::Less => {
                    misses.push(format!(
                        "extra   {doc}:{} {} {}",
                        got[i].0, got[i].1, got[i].2
                    ));
                    i += 1;
                }
                std::cmp::Ordering::Greater => {
                    misses.push(format!(
                        "missed  {doc}:{} {} {}",
                        expected[j].0, expected[j].1, expected[j].2
                    ));
                    j += 1;
                }
            }
        }
        for r in &got[i..] {
            misses.push(format!("extra   {doc}:{} {} {}", r.0, r.1, r.2));
        }
        for r in &expected[j..] {
            misses.push(format!("missed  {doc}:{} {} {}", r.0, r.1, r.2));
        }
    }
    let precision = tp as f64 / extracted.max(1) as f64;
    let recall = tp as f64 / truth_total.max(1) as f64;
    println!(
        "{file}: {} documents, {truth_total} labelled, {extracted} extracted, {tp} right: \
         precision {precision:.4}, recall {recall:.4}",
        docs.len()
    );
    for m in &misses {
        println!("{m}");
    }
    assert!(
        docs.len() >= 30 && truth_total >= 300,
        "the sample is too small"
    );
    assert!(
        precision >= 0.98 && recall >= 0.98,
        "precision {precision:.4}, recall {recall:.4}"
    );
}

// ---- The store: refs, cites, the index, the feed --------------------------------------------

use statute::store::cites::{Resolved, Status, stale_by};
use statute::store::import::{ImportOptions, Quiet};
use statute::store::{Store, read};

fn new_store() -> (tempfile::TempDir, Store) {
    let dir = tempfile::tempdir().expect("tempdir");
    let (store, _) = Store::init(&dir.path().join("store")).expect("init");
    (dir, store)
}

fn import(store: &Store, paths: &[std::path::PathBuf]) {
    let r = store
        .import(paths, &ImportOptions::default(), &Quiet)
        .expect("import");
    assert!(r.failed.is_empty(), "{:?}", r.failed);
}

/// `refs NAME[@VERSION]` as (citing unit, text, status, current labels, note).
fn refs(store: &Store, spec: &str) -> Vec<Resolved> {
    let (name, version) = read::split_spec(spec);
    let h = store
        .history(&store.resolve(name).expect("resolve"))
        .expect("history");
    let v = h.version(version, None).expect("version");
    store
        .cite_index()
        .expect("index")
        .refs(&h.id, v, None)
        .expect("refs")
}

fn brief(r: &Resolved) -> (String, Status, Vec<String>) {
    (r.row.text.clone(), r.status, r.current.clone())
}

fn fixture_store() -> (tempfile::TempDir, Store) {
    let (d, s) = new_store();
    import(&s, &[common::fixture("cites/store")]);
    (d, s)
}

#[test]
fn refs_follow_each_citation_to_the_cited_statutes_latest_version() {
    let (_d, s) = fixture_store();
    let got: Vec<_> = refs(&s, "乙规定").iter().map(brief).collect();
    let labels = |l: &[&str]| l.iter().map(|x| x.to_string()).collect::<Vec<_>>();
    assert_eq!(
        got,
        vec![
            (
                "《中华人民共和国甲法》第一条".into(),
                Status::Modified,
                labels(&["第一条"])
            ),
            ("甲法第二条".into(), Status::Renumbered, labels(&["第三条"])),
            (
                "甲法第四条第一款".into(),
                Status::Split,
                labels(&["第五条", "第六条"])
            ),
            ("甲法第五条".into(), Status::Deleted, vec![]),
            ("甲法第九条".into(), Status::Unresolved, vec![]),
            ("《丙法》第三条".into(), Status::Unresolved, vec![]),
            ("本规定第一条".into(), Status::Current, labels(&["第一条"])),
        ]
    );
    let all = refs(&s, "乙规定");
    // Never guessed: a statute not in the store, a number the cited version never had.
    assert_eq!(
        all[4].note.as_deref(),
        Some("中华人民共和国甲法 has no 第九条 in its version 2001-01-01")
    );
    assert_eq!(all[4].cited_version, None);
    assert_eq!(all[5].cited, None);
    assert!(
        all[5]
            .note
            .as_deref()
            .is_some_and(|n| n.contains("not in the store"))
    );
    // Point in time: a citation dated after the amendment means the amended text.
    let later = refs(&s, "丁办法");
    assert_eq!(later[0].cited_version.as_deref(), Some("2010-01-01"));
    assert_eq!(later[0].status, Status::Current);
    assert_eq!(all[1].cited_version.as_deref(), Some("2001-01-01"));
}

#[test]
fn cites_lists_an_articles_citations_through_its_past_numbers() {
    let (_d, s) = fixture_store();
    let mut index = s.cite_index().expect("index");
    let h = s
        .history(&s.resolve("甲法").expect("resolve"))
        .expect("history");
    // 第三条 of the latest version was 第二条 before: both citations are of it.
    let (label, lineage) = index.find_article(&h, None, "3").expect("article");
    assert_eq!(label, "第三条");
    let got: Vec<(String, String, Status)> = index
        .cites(&h.id, Some(&lineage), None)
        .expect("cites")
        .into_iter()
        .map(|r| (index.title(&r.citing).to_string(), r.row.text, r.status))
        .collect();
    assert_eq!(
        got,
        vec![
            ("丁办法".into(), "甲法第三条".into(), Status::Current),
            ("乙规定".into(), "甲法第二条".into(), Status::Renumbered),
        ]
    );
    // The whole statute: every citation by another statute (甲法第九条 too, unresolved: the
    // cited version has no such article), none of its own.
    let all = index.cites(&h.id, None, None).expect("cites");
    assert_eq!(all.len(), 6);
    assert!(all.iter().all(|r| r.citing != h.id));
    assert_eq!(
        all.iter()
            .filter(|r| r.status == Status::Unresolved)
            .map(|r| r.row.text.as_str())
            .collect::<Vec<_>>(),
        ["甲法第九条"]
    );
}

#[test]
fn an_amendment_lists_the_citations_it_made_stale() {
    let (_d, s) = fixture_store();
    let mut index = s.cite_index().expect("index");
    let id = s.resolve("甲法").expect("resolve");
    let got: Vec<(String, String, Vec<String>, Status)> = stale_by(&mut index, &id, 1)
        .expect("stale")
        .into_iter()
        .map(|r| (r.row.text, r.before, r.current, r.status))
        .collect();
    assert_eq!(
        got,
        vec![
            (
                "甲法第二条".into(),
                "第二条".into(),
                vec!["第三条".into()],
                Status::Renumbered
            ),
            (
                "甲法第四条第一款".into(),
                "第四条".into(),
                vec!["第五条".into(), "第六条".into()],
                Status::Split
            ),
            (
                "甲法第五条".into(),
                "第五条".into(),
                vec![],
                Status::Deleted
            ),
        ]
    );
    // The feed carries them on the amendment's event.
    let events = statute::feed::events(
        &s,
        &statute::feed::Options {
            statutes: vec![id.clone()],
            ..Default::default()
        },
    )
    .expect("feed");
    let amended = events
        .iter()
        .find(|e| e.version == "2010-01-01")
        .expect("event");
    let texts: Vec<&str> = amended
        .affected_citations
        .iter()
        .map(|a| a.text.as_str())
        .collect();
    assert_eq!(texts, ["甲法第二条", "甲法第四条第一款", "甲法第五条"]);
    assert!(events[0].affected_citations.is_empty());
    let mut atom = Vec::new();
    statute::feed::atom::write(&events, "statute", "feed", &mut atom).expect("atom");
    let atom = String::from_utf8(atom).expect("utf-8");
    assert!(atom.contains("<p>因本次修改失效的引用：3 处</p>"), "{atom}");
    assert!(
        atom.contains("<li>《乙规定》（2005-06-01）第三条：甲法第四条第一款（第四条，现为第五条、第六条）</li>"),
        "{atom}"
    );
}

#[test]
fn the_index_depends_only_on_the_versions() {
    // At once, one statute at a time in either order, and after a reindex: one main.
    let main = |s: &Store| s.repo().refname_to_id("refs/heads/main").expect("main");
    let (_a, a) = fixture_store();
    let (_b, b) = new_store();
    let dir = common::fixture("cites/store");
    let files = common::md_files(&dir);
    for f in &files {
        import(&b, std::slice::from_ref(f));
    }
    let (_c, c) = new_store();
    for f in files.iter().rev() {
        import(&c, std::slice::from_ref(f));
    }
    assert_eq!(main(&a), main(&b));
    assert_eq!(main(&a), main(&c));
    let before = main(&a);
    a.reindex(&Quiet).expect("reindex");
    assert_eq!(main(&a), before);
    let report = a.verify().expect("verify");
    assert!(
        report.problems.is_empty() && !report.is_stale(),
        "{report:?}"
    );
}

#[test]
fn verify_finds_a_damaged_index() {
    let (_d, s) = fixture_store();
    // Replace main by a commit whose index lacks the incoming citations.
    let repo = s.repo();
    let main = repo
        .find_reference("refs/heads/main")
        .expect("main")
        .peel_to_commit()
        .expect("commit");
    let tree = main.tree().expect("tree");
    let index = repo
        .find_tree(tree.get_name("index").expect("index").id())
        .expect("index tree");
    let mut ib = repo.treebuilder(Some(&index)).expect("builder");
    ib.remove("cites").expect("remove");
    let new_index = ib.write().expect("write");
    let mut rb = repo.treebuilder(Some(&tree)).expect("builder");
    rb.insert("index", new_index, 0o040_000).expect("insert");
    let new_tree = repo.find_tree(rb.write().expect("write")).expect("tree");
    let sig = main.author();
    let c = repo
        .commit(None, &sig, &sig, "damaged", &new_tree, &[])
        .expect("commit");
    repo.reference("refs/heads/main", c, true, "test")
        .expect("ref");
    let report = s.verify().expect("verify");
    assert!(
        report
            .problems
            .iter()
            .any(|p| p.contains("refs/heads/main")),
        "{report:?}"
    );
}

/// The example of the issue: 公司法规定（四） (2020) cites the 2018 company law; after the 2023
/// revision 第七十一条 is 第八十四条, 第一百五十一条 第一百八十九条, 第三十三条 第五十七条,
/// 第三十七条 第五十九条, and 第二十二条 was split into 第二十五条 and 第二十六条.
#[test]
fn the_company_law_interpretation_follows_the_2023_revision() {
    let Some(corpus) = common::corpus() else {
        return;
    };
    let (_d, s) = new_store();
    import(
        &s,
        &[
            corpus.join("multi/民法商法/中华人民共和国公司法"),
            corpus.join(
                "multi/司法解释/最高人民法院关于适用《中华人民共和国公司法》若干问题的规定（四）",
            ),
        ],
    );
    let h = s
        .history(&s.resolve("公司法》若干问题的规定（四）").expect("resolve"))
        .expect("history");
    // The version holding the whole text (the corpus's other copy of that date has 7 articles).
    let v = h
        .versions
        .iter()
        .max_by_key(|v| s.text(v).map(|t| t.len()).unwrap_or(0))
        .expect("version");
    let found = s
        .cite_index()
        .expect("index")
        .refs(&h.id, v, None)
        .expect("refs");
    let company = s.resolve("中华人民共和国公司法").expect("company law");
    let mut map: std::collections::BTreeMap<String, (Status, Vec<String>)> = Default::default();
    for r in found
        .iter()
        .filter(|r| r.cited.as_deref() == Some(company.as_str()))
    {
        assert_eq!(r.cited_version.as_deref(), Some("2018-10-26"), "{r:?}");
        map.insert(r.row.article.label(), (r.status, r.current.clone()));
    }
    let want = |s: Status, l: &[&str]| (s, l.iter().map(|x| x.to_string()).collect::<Vec<_>>());
    assert_eq!(map["第七十一条"], want(Status::Renumbered, &["第八十四条"]));
    assert_eq!(
        map["第一百五十一条"],
        want(Status::Renumbered, &["第一百八十九条"])
    );
    assert_eq!(map["第三十三条"], want(Status::Renumbered, &["第五十七条"]));
    assert_eq!(map["第三十七条"], want(Status::Renumbered, &["第五十九条"]));
    assert_eq!(
        map["第二十二条"],
        want(Status::Split, &["第二十五条", "第二十六条"])
    );
}

/// Every citation by another statute, of every stored statute: (total, stale, unresolved),
/// checking that each citation stale today was made stale by exactly one amendment of the
/// cited statute, the first after the version it means that moved its article.
fn corpus_totals(s: &Store) -> (usize, usize, usize, usize) {
    let mut index = s.cite_index().expect("index");
    let (mut total, mut stale, mut unresolved, mut by_amendments) = (0, 0, 0, 0);
    for id in s.ids().expect("ids") {
        let found = index.cites(&id, None, None).expect("cites");
        total += found.len();
        unresolved += found
            .iter()
            .filter(|r| r.status == Status::Unresolved)
            .count();
        let stale_today: Vec<&Resolved> = found.iter().filter(|r| r.status.stale()).collect();
        stale += stale_today.len();
        let versions = s.history(&id).expect("history").versions.len();
        let mut made: Vec<Resolved> = Vec::new();
        for k in 1..versions {
            let listed = stale_by(&mut index, &id, k).expect("stale_by");
            by_amendments += listed.len();
            made.extend(listed);
        }
        let key = |r: &Resolved| {
            (
                r.citing.clone(),
                r.citing_version.clone(),
                r.row.line,
                r.row.text.clone(),
                r.row.article,
            )
        };
        let mut made_keys: Vec<_> = made.iter().map(key).collect();
        made_keys.sort();
        for r in &stale_today {
            let k = key(r);
            assert!(
                made_keys.binary_search(&k).is_ok(),
                "{id}: {r:?} is stale but no amendment made it so"
            );
        }
    }
    (total, stale, unresolved, by_amendments)
}

/// The multi-version statutes and the judicial interpretations that cite them most: every
/// consecutive amendment lists the citations it made stale, and those explain every stale one.
#[test]
fn every_stale_citation_was_made_stale_by_an_amendment() {
    let Some(corpus) = common::corpus() else {
        return;
    };
    let (_d, s) = new_store();
    import(&s, &[corpus.join("multi"), corpus.join("single/司法解释")]);
    let (total, stale, unresolved, by_amendments) = corpus_totals(&s);
    println!(
        "multi/ + single/司法解释: {total} citations by other statutes, {stale} stale today, \
         {unresolved} unresolved; the amendments made {by_amendments} stale"
    );
    assert!(
        total > 1000 && stale > 0 && by_amendments >= stale,
        "{total} {stale} {by_amendments}"
    );
}

/// The same on the whole corpus: opt in with
/// `cargo test --release --test it full_corpus_citations -- --ignored --nocapture`.
#[test]
#[ignore = "imports the whole corpus; run with --ignored"]
fn full_corpus_citations() {
    let Some(corpus) = common::corpus() else {
        return;
    };
    let (_d, s) = new_store();
    import(&s, &[corpus.join("multi"), corpus.join("single")]);
    let (total, stale, unresolved, by_amendments) = corpus_totals(&s);
    println!(
        "whole corpus: {total} citations by other statutes, {stale} stale today, \
         {unresolved} unresolved; the amendments made {by_amendments} stale"
    );
    assert!(by_amendments >= stale);
}

#[test]
fn the_commands_write_statute_refs_json_and_exit_by_staleness() {
    let d = tempfile::tempdir().expect("tempdir");
    let store = d.path().join("store");
    let st = common::arg(&store);
    let fx = common::fixture("cites/store");
    assert_eq!(
        common::statute(&["--store", st, "init"]).status.code(),
        Some(0)
    );
    let o = common::statute(&["--store", st, "import", common::arg(&fx)]);
    assert_eq!(o.status.code(), Some(0), "{}", common::stderr(&o));
    // A version with stale citations: exit 1; JSON per statute-refs/1.
    let o = common::statute(&["--store", st, "refs", "乙规定", "--format", "json"]);
    assert_eq!(o.status.code(), Some(1), "{}", common::stderr(&o));
    let doc: serde_json::Value = serde_json::from_slice(&o.stdout).expect("json");
    assert_eq!(doc["schema"], "statute-refs/1");
    assert_eq!(doc["direction"], "refs");
    assert_eq!(doc["statute"]["version"], "2005-06-01");
    let cites = doc["citations"].as_array().expect("citations");
    assert_eq!(cites.len(), 7);
    let split = &cites[2];
    assert_eq!(split["text"], "甲法第四条第一款");
    assert_eq!(split["cited"]["article"], "第四条");
    assert_eq!(split["cited"]["paragraph"], 1);
    assert_eq!(split["cited"]["version"], "2001-01-01");
    assert_eq!(split["status"], "split");
    assert_eq!(split["current"], serde_json::json!(["第五条", "第六条"]));
    assert_eq!(cites[5]["cited"]["statute"], serde_json::Value::Null);
    assert_eq!(cites[6]["cited"]["self"], true);
    // --stale keeps only those; a version whose citations all hold exits 0.
    let o = common::statute(&["--store", st, "refs", "乙规定", "--stale"]);
    let text = String::from_utf8_lossy(&o.stdout).into_owned();
    assert_eq!(
        text.lines().filter(|l| l.starts_with("  ")).count(),
        3,
        "{text}"
    );
    assert_eq!(
        common::statute(&["--store", st, "refs", "丁办法"])
            .status
            .code(),
        Some(0)
    );
    // cites of one article through its old number.
    let o = common::statute(&[
        "--store",
        st,
        "cites",
        "甲法@2001-01-01",
        "第二条",
        "--format",
        "json",
    ]);
    assert_eq!(o.status.code(), Some(1));
    let doc: serde_json::Value = serde_json::from_slice(&o.stdout).expect("json");
    assert_eq!(doc["direction"], "cites");
    assert_eq!(doc["article"]["label"], "第二条");
    assert_eq!(doc["citations"].as_array().map(Vec::len), Some(2));
    // Bad input: one line, exit 2.
    for args in [
        vec!["refs", "不存在的法"],
        vec!["refs", "乙规定@1999-01-01"],
        vec!["cites", "甲法", "第九十九条"],
    ] {
        let mut full = vec!["--store", st];
        full.extend(args.iter().copied());
        let o = common::statute(&full);
        assert_eq!(o.status.code(), Some(2), "{args:?}");
        assert_eq!(
            common::stderr(&o).trim_end().lines().count(),
            1,
            "{}",
            common::stderr(&o)
        );
    }
}

/// An interpretation citing the criminal law by its short name (刑法第三条) resolves to the
/// stored 中华人民共和国刑法.
#[test]
fn a_short_name_resolves_to_the_stored_title() {
    let (_d, s) = fixture_store();
    let got = refs(&s, "戊类刑事案件");
    let criminal = s.resolve("中华人民共和国刑法").expect("criminal law");
    assert_eq!(got.len(), 3);
    for r in &got {
        assert_eq!(r.cited.as_deref(), Some(criminal.as_str()), "{r:?}");
        assert_eq!(r.cited_title, "刑法");
        assert_eq!(r.cited_version.as_deref(), Some("1997-03-14"));
        assert_eq!(r.status, Status::Current);
    }
    assert_eq!(got[0].row.text, "刑法第三条");
}

/// The text listings of `refs` and `cites`, as the command line prints them.
#[test]
fn refs_and_cites_text_listings() {
    let (_d, s) = fixture_store();
    let mut index = s.cite_index().expect("index");
    let h = s
        .history(&s.resolve("乙规定").expect("resolve"))
        .expect("history");
    let v = h.head().expect("version");
    let found = index.refs(&h.id, v, None).expect("refs");
    let title_of = |id: &str| index.title(id).to_string();
    let subject = statute::render::refs::Subject {
        id: &h.id,
        title: &v.meta.title,
        version: Some(&v.label),
        article: None,
        at: None,
    };
    let mut out = Vec::new();
    statute::render::refs::write_text(
        statute::render::refs::Direction::Outgoing,
        &subject,
        &found,
        &title_of,
        &mut out,
    )
    .expect("write");
    insta::assert_snapshot!("refs_text", String::from_utf8(out).expect("utf-8"));

    let j = s
        .history(&s.resolve("甲法").expect("resolve"))
        .expect("history");
    let found = index.cites(&j.id, None, None).expect("cites");
    let title_of = |id: &str| index.title(id).to_string();
    let title = j.head().expect("head").meta.title.clone();
    let subject = statute::render::refs::Subject {
        id: &j.id,
        title: &title,
        version: None,
        article: None,
        at: None,
    };
    let mut out = Vec::new();
    statute::render::refs::write_text(
        statute::render::refs::Direction::Incoming,
        &subject,
        &found,
        &title_of,
        &mut out,
    )
    .expect("write");
    insta::assert_snapshot!("cites_text", String::from_utf8(out).expect("utf-8"));
}
