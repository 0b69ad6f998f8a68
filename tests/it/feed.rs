//! The change feed: the committed schema files match the types; every event of a feed over
//! the corpus's `multi/` validates against them; lineage ids through a generated chain of five
//! versions (renumbering, a move, a split, a merge); the same bytes from stores built in
//! different orders; Atom that a feed parser reads; `--since` and the command line.

use std::collections::BTreeMap;
use std::path::{Path, PathBuf};
use std::process::Command;

use serde_json::Value;
use statute::feed::{self, Options, Since, wire::Event};
use statute::model::UnitNum;
use statute::store::Store;
use statute::store::import::{ImportOptions, Quiet};

use crate::common::{corpus, fixture, root};

fn new_store() -> (tempfile::TempDir, Store) {
    let dir = tempfile::tempdir().expect("tempdir");
    let (store, _) = Store::init(&dir.path().join("store")).expect("init");
    (dir, store)
}

fn import(store: &Store, paths: &[PathBuf]) {
    let r = store
        .import(paths, &ImportOptions::default(), &Quiet)
        .expect("import");
    assert!(r.failed.is_empty(), "{:?}", r.failed);
}

fn all_events(store: &Store) -> Vec<Event> {
    feed::events(store, &Options::default()).expect("feed")
}

fn jsonl(events: &[Event]) -> Vec<u8> {
    let mut buf = Vec::new();
    feed::write_jsonl(events, &mut buf).expect("jsonl");
    buf
}

fn atom(events: &[Event]) -> Vec<u8> {
    let mut buf = Vec::new();
    feed::atom::write(events, "t", "feed", &mut buf).expect("atom");
    buf
}

/// `feed::write`, which spills a batch at a time, gives the bytes the in-memory writers give
/// for `events` (the whole feed), in every format, whether the spill stays in memory or goes
/// to a temporary file after `spill` bytes.
fn assert_streamed_matches(store: &Store, events: &[Event], spill: usize) {
    let mut json = Vec::new();
    feed::write_json(events, &mut json).expect("json");
    let formats = [
        (feed::Format::Jsonl, jsonl(events)),
        (feed::Format::Json, json),
        (
            feed::Format::Atom {
                title: "t".into(),
                self_id: "feed".into(),
            },
            atom(events),
        ),
    ];
    for (format, want) in formats {
        for limit in [None, Some(spill)] {
            let opts = Options {
                spill_in_memory: limit,
                ..Options::default()
            };
            let mut got = Vec::new();
            let n = feed::write(store, &opts, &format, &mut got).expect("write");
            assert_eq!(n, events.len(), "{format:?}");
            assert!(
                got == want,
                "{format:?}, spilling after {limit:?} bytes: {} bytes against {}",
                got.len(),
                want.len()
            );
        }
    }
}

#[test]
fn committed_schemas_match_the_types() {
    let dir = root().join("schema");
    let bless = std::env::var_os("STATUTE_BLESS").is_some_and(|v| v == "1");
    for (name, generate) in feed::schema::FILES {
        let path = dir.join(name);
        let want = generate();
        if bless {
            std::fs::create_dir_all(&dir).expect("schema dir");
            std::fs::write(&path, &want).expect("write schema");
        }
        let have = std::fs::read_to_string(&path).unwrap_or_default();
        assert!(
            have == want,
            "{} differs from the types: regenerate with STATUTE_BLESS=1 cargo test --test it committed_schemas",
            path.display()
        );
        // Every property is documented.
        let v: Value = serde_json::from_str(&want).expect("schema json");
        let mut undocumented = Vec::new();
        undocumented_properties(&v, "", &mut undocumented);
        assert!(
            undocumented.is_empty(),
            "{name}: undocumented {undocumented:?}"
        );
    }
}

fn undocumented_properties(v: &Value, at: &str, out: &mut Vec<String>) {
    match v {
        Value::Object(m) => {
            if let Some(Value::Object(props)) = m.get("properties") {
                for (k, p) in props {
                    if p.get("description").is_none() {
                        out.push(format!("{at}.{k}"));
                    }
                }
            }
            for (k, x) in m {
                undocumented_properties(x, &format!("{at}/{k}"), out);
            }
        }
        Value::Array(a) => a.iter().for_each(|x| undocumented_properties(x, at, out)),
        _ => {}
    }
}

fn validator(name: &str) -> jsonschema::Validator {
    let text = std::fs::read_to_string(root().join("schema").join(name)).expect("schema file");
    let schema: Value = serde_json::from_str(&text).expect("schema json");
    jsonschema::validator_for(&schema).expect("valid schema")
}

#[test]
fn corpus_feed_validates_against_the_schema() {
    let Some(c) = corpus() else { return };
    let (_d, store) = new_store();
    import(&store, &[c.join("multi")]);
    let events = all_events(&store);
    let versions: usize = store
        .list(None)
        .expect("list")
        .iter()
        .map(|h| h.versions.len())
        .sum();
    assert_eq!(events.len(), versions, "one event per version");
    assert_streamed_matches(&store, &events, 64 << 10);
    let feed_schema = validator("statute-feed-1.json");
    let mut problems = Vec::new();
    for line in String::from_utf8(jsonl(&events)).expect("utf8").lines() {
        let v: Value = serde_json::from_str(line).expect("event json");
        for e in feed_schema.iter_errors(&v) {
            problems.push(format!("{}: {e} at {}", v["id"], e.instance_path()));
        }
    }
    assert!(
        problems.is_empty(),
        "{} schema violations:\n{}",
        problems.len(),
        problems[..problems.len().min(10)].join("\n")
    );
    // Cursors strictly increase; every article involved has a lineage id.
    for w in events.windows(2) {
        let (a, b) = (
            feed::Cursor::parse(&w[0].cursor).expect("cursor"),
            feed::Cursor::parse(&w[1].cursor).expect("cursor"),
        );
        assert!(a < b, "{} !< {}", w[0].cursor, w[1].cursor);
    }
    let mut kinds: BTreeMap<&str, usize> = BTreeMap::new();
    for e in &events {
        *kinds.entry(e.kind.as_str()).or_default() += 1;
        for c in &e.changes {
            assert_eq!(c.old_ids.len(), c.old.len());
            assert_eq!(c.new_ids.len(), c.new.len());
            assert!(c.old_ids.iter().chain(&c.new_ids).all(|i| !i.is_empty()));
        }
    }
    eprintln!("multi/: {} events {kinds:?}", events.len());
    assert_stored_events_match(&store, &events);
    assert!(kinds.get("enacted").copied().unwrap_or(0) > 100);
    assert!(kinds.get("amended").copied().unwrap_or(0) > 10);
    // A statute-diff/1 document validates against its schema too.
    let diff_schema = validator("statute-diff-1.json");
    let h = &store.list(None).expect("list")[0];
    let old = store.statute(&h.versions[0]).expect("old");
    let new = store.statute(&h.versions[1]).expect("new");
    let mut buf = Vec::new();
    statute::render::diff_json::write(&statute::diff::diff(&old, &new), false, &mut buf)
        .expect("diff json");
    let doc: Value = serde_json::from_slice(&buf).expect("diff json");
    let errors: Vec<String> = diff_schema
        .iter_errors(&doc)
        .map(|e| e.to_string())
        .collect();
    assert!(errors.is_empty(), "{errors:?}");

    // --since the last cursor: nothing; since a middle cursor: exactly the tail.
    let last = events.last().expect("events");
    let since = |s: &str| {
        feed::events(
            &store,
            &Options {
                since: Some(Since::parse(s).expect("since")),
                ..Options::default()
            },
        )
        .expect("feed since")
    };
    assert!(since(&last.cursor).is_empty());
    let mid = events.len() / 2;
    assert_eq!(since(&events[mid].cursor), events[mid + 1..]);
    // Atom over the whole feed reads as one entry per event.
    let parsed = feed_rs::parser::parse(atom(&events).as_slice()).expect("atom parses");
    assert_eq!(parsed.entries.len(), events.len());

    // A second store fed the newer versions first (2015 on), then the older ones, which
    // rebuilds histories from their start: the same feed, byte for byte.
    let files = crate::common::md_files(&c.join("multi"));
    let newer = |p: &PathBuf| {
        p.file_name()
            .is_some_and(|n| n.to_string_lossy().as_ref() >= "2015")
    };
    let (_d2, other) = new_store();
    import(
        &other,
        &files
            .iter()
            .filter(|p| newer(p))
            .cloned()
            .collect::<Vec<_>>(),
    );
    import(
        &other,
        &files
            .iter()
            .filter(|p| !newer(p))
            .cloned()
            .collect::<Vec<_>>(),
    );
    assert_eq!(jsonl(&all_events(&other)), jsonl(&events));
    // Histories rebuilt from their start record the same kinds as well.
    assert_stored_events_match(&other, &events);
}

/// Every version after a statute's first recorded, at import, the kind its feed event has.
fn assert_stored_events_match(store: &Store, events: &[Event]) {
    let feed: BTreeMap<&str, &str> = events
        .iter()
        .map(|e| (e.id.as_str(), e.kind.as_str()))
        .collect();
    let mut checked = 0;
    for h in store.list(None).expect("list") {
        for (k, v) in h.versions.iter().enumerate() {
            let stored = v.event.map(|e| e.as_str());
            let id = format!("{}/{}", h.id, v.label);
            if k == 0 {
                assert_eq!(stored, None, "{id}");
            } else {
                assert_eq!(stored, feed.get(id.as_str()).copied(), "{id}");
                checked += 1;
            }
        }
    }
    assert!(checked > 0);
}

// ---- a generated amendment chain -------------------------------------------------------

const A: [&str; 13] = [
    "为了规范城市绿化管理，改善生态环境和人居环境，促进经济社会可持续发展，根据有关法律法规，结合本市实际，制定本条例。",
    "本条例适用于本市行政区域内城市绿化的规划、建设、保护和管理活动，法律法规另有规定的从其规定。",
    "市园林绿化行政主管部门负责全市城市绿化工作的统一监督管理，区园林绿化部门负责本辖区的具体管理工作。",
    "城市绿地系统规划应当与国土空间总体规划相衔接，由市园林绿化行政主管部门会同规划部门组织编制并报批。",
    "新建居住区的绿地面积不得低于用地总面积的百分之三十，旧区改造项目的绿地面积不得低于百分之二十五。",
    "城市绿化工程的设计应当委托具有相应资质的单位承担，施工完成后由建设单位组织竣工验收并备案。",
    "砍伐城市树木应当向区园林绿化部门申请许可，并按照规定进行补植或者缴纳绿化补偿费用。",
    "古树名木实行统一普查、建档、挂牌和分级保护制度，严禁砍伐或者擅自迁移古树名木及其保护范围内的设施。",
    "公园绿地应当向公众免费开放，确需收费的应当依法办理价格审批手续并向社会公示收费标准和减免办法。公园管理单位应当保持园容整洁和游乐设施完好，定期开展安全检查并及时排除各类安全隐患。",
    "鼓励单位和个人通过认建认养、捐资捐物、志愿服务等方式参与城市绿化建设和养护管理，对成绩显著的给予表彰。",
    "违反本条例规定擅自占用城市绿地的，由主管部门责令限期退还、恢复原状，可以并处每平方米五百元以上一千元以下的罚款。",
    "违反本条例规定损坏城市绿化设施或者行道树的，由主管部门责令停止侵害，依法承担赔偿责任，构成犯罪的依法追究刑事责任。",
    "本条例自二〇〇一年五月一日起施行，本市以前发布的有关城市绿化管理的规定与本条例不一致的，以本条例为准。",
];
const NEW: &str =
    "区人民政府应当将城市绿化建设纳入本区国民经济和社会发展计划，保障绿化建设和养护资金的投入。";
const A7_AMENDED: &str = "砍伐城市树木应当向区园林绿化部门申请行政许可，许可结果应当向社会公开，并按照规定进行补植或者缴纳绿化补偿费用。";
const CHAPTERS: [&str; 5] = [
    "第一章 总则",
    "第二章 规划和建设",
    "第三章 保护和管理",
    "第四章 法律责任",
    "第五章 附则",
];
const TITLE: &str = "某市城市绿化条例";
const VERSIONS: [&str; 5] = [
    "2001-03-01",
    "2005-06-01",
    "2010-09-01",
    "2015-12-01",
    "2020-07-01",
];
const HISTORY: [&str; 5] = [
    "2001年3月1日某市第十一届人民代表大会常务委员会第二十次会议通过",
    "根据2005年6月1日某市第十二届人民代表大会常务委员会第十八次会议《关于修改〈某市城市绿化条例〉的决定》第一次修正",
    "根据2010年9月1日某市第十三届人民代表大会常务委员会第二十一次会议《关于修改〈某市城市绿化条例〉的决定》第二次修正",
    "2015年12月1日某市第十四届人民代表大会常务委员会第二十五次会议修订",
    "根据2020年7月1日某市第十五届人民代表大会常务委员会第二十二次会议《关于修改〈某市城市绿化条例〉的决定》第三次修正",
];

/// The chapters of version `k` (0-based), each a list of article texts.
fn chapters(k: usize) -> Vec<Vec<String>> {
    let a = |i: usize| A[i - 1].to_string();
    let mut ch: Vec<Vec<String>> = vec![
        vec![a(1), a(2), a(3)],
        vec![a(4), a(5), a(6)],
        vec![a(7), a(8), a(9), a(10)],
        vec![a(11), a(12)],
        vec![a(13)],
    ];
    if k >= 1 {
        // Insert an article after A2: everything after it is renumbered.
        ch[0].insert(2, NEW.to_string());
    }
    if k >= 2 {
        // Move A5 into chapter three, after A8; amend A7.
        let moved = ch[1].remove(1);
        ch[2].insert(2, moved);
        ch[2][0] = A7_AMENDED.to_string();
    }
    if k >= 3 {
        // Split A9 into its two sentences.
        let pos = ch[2].iter().position(|t| t == A[8]).expect("A9");
        let (p, q) = A[8].split_once("。").expect("two sentences");
        ch[2][pos] = format!("{p}。");
        ch[2].insert(pos + 1, q.to_string());
    }
    if k >= 4 {
        // Merge A11 and A12.
        ch[3] = vec![format!("{}{}", A[10], A[11])];
    }
    ch
}

fn version_text(k: usize) -> String {
    let mut s = format!("# {TITLE}\n\n");
    for h in &HISTORY[..=k] {
        s.push_str(h);
        s.push('\n');
    }
    s.push_str("\n<!-- INFO END -->\n\n");
    let mut n = 0;
    for (title, arts) in CHAPTERS.iter().zip(chapters(k)) {
        s.push_str(&format!("## {title}\n\n"));
        for t in arts {
            n += 1;
            let label = UnitNum::Article { main: n, sub: 0 }.label();
            s.push_str(&format!("{label} {t}\n\n"));
        }
    }
    s
}

/// Writes the five versions under `dir/<title>/<date>.md`; returns their paths.
fn write_chain(dir: &Path) -> Vec<PathBuf> {
    let d = dir.join(TITLE);
    std::fs::create_dir_all(&d).expect("dir");
    (0..5)
        .map(|k| {
            let p = d.join(format!("{}.md", VERSIONS[k]));
            std::fs::write(&p, version_text(k)).expect("write");
            p
        })
        .collect()
}

/// The index of the unit whose text starts like `text`.
fn unit_with(s: &statute::Statute, text: &str) -> Option<usize> {
    let head: String = text.chars().take(14).collect();
    s.articles()
        .iter()
        .position(|a| a.article.text().contains(&head))
}

#[test]
fn lineage_ids_survive_a_five_version_chain() {
    let inputs = tempfile::tempdir().expect("tempdir");
    let files = write_chain(inputs.path());
    let (_d, store) = new_store();
    import(&store, &files);
    let sid = store.resolve(TITLE).expect("resolve");
    let h = store.history(&sid).expect("history");
    assert_eq!(h.versions.len(), 5);
    // The ids `statute history` and `blame` use.
    let (statutes, lin) = store.lineage(&h).expect("lineage");
    let id_of = |k: usize, text: &str| -> String {
        let i = unit_with(&statutes[k], text).unwrap_or_else(|| panic!("v{k}: no {text}"));
        lin.versions[k].units[i].id.clone()
    };
    // Every surviving article keeps its id from the first version to the last, through
    // renumbering (v2), a move and an amendment (v3), a split (v4) and a merge (v5).
    let mut survivors = 0;
    for (i, text) in A.iter().enumerate() {
        if matches!(i + 1, 9 | 11 | 12) {
            continue;
        }
        let first = id_of(0, text);
        assert_eq!(
            first,
            format!(
                "{sid}/2001-03-01/{}",
                UnitNum::Article {
                    main: i as u32 + 1,
                    sub: 0
                }
                .label()
            )
        );
        for k in 1..5 {
            assert_eq!(id_of(k, text), first, "A{} in version {}", i + 1, k + 1);
        }
        survivors += 1;
    }
    assert_eq!(survivors, 10);
    let new_id = id_of(1, NEW);
    assert_eq!(new_id, format!("{sid}/2005-06-01/第三条"));
    assert!((2..5).all(|k| id_of(k, NEW) == new_id));

    // The feed carries the same ids.
    let events = all_events(&store);
    assert_eq!(events.len(), 5);
    let kinds: Vec<&str> = events.iter().map(|e| e.kind.as_str()).collect();
    assert_eq!(
        kinds,
        ["enacted", "amended", "amended", "revised", "amended"]
    );
    // The store recorded the same kinds at import (the `Event` trailers the browser shows).
    assert_stored_events_match(&store, &events);
    assert!(
        events[1]
            .act
            .as_ref()
            .and_then(|a| a.name.as_deref())
            .is_some_and(|n| n.contains("关于修改")),
        "{:?}",
        events[1].act
    );
    for e in &events[1..] {
        for c in &e.changes {
            if c.old.len() == 1 && c.new.len() == 1 {
                assert_eq!(c.old_ids, c.new_ids, "{}: {:?}", e.version, c.new);
            }
        }
    }
    let find = |k: usize, kind: &str| {
        events[k]
            .changes
            .iter()
            .find(|c| c.kind == kind)
            .unwrap_or_else(|| panic!("v{}: no {kind} change", k + 1))
            .clone()
    };
    let added = find(1, "added");
    assert_eq!(added.new_ids, std::slice::from_ref(&new_id));
    assert!(
        events[1]
            .changes
            .iter()
            .any(|c| c.renumbered && c.kind == "unchanged")
    );
    let moved = events[2]
        .changes
        .iter()
        .find(|c| c.old_ids == [id_of(0, A[4])])
        .expect("the moved article");
    assert!(moved.moved, "{moved:?}");
    let amended = events[2]
        .changes
        .iter()
        .find(|c| c.old_ids == [id_of(0, A[6])])
        .expect("the amended article");
    assert_eq!(amended.kind, "modified");
    let split = find(3, "split");
    assert_eq!(split.old_ids, [id_of(2, A[8])]);
    assert_eq!(split.new_ids.len(), 2);
    assert!(
        split
            .new_ids
            .iter()
            .all(|i| i.starts_with(&format!("{sid}/2015-12-01/")))
    );
    assert_eq!(split.textual_mods, [statute::feed::wire::TextualMod::Split]);
    // The parts record their parent in the lineage.
    for id in &split.new_ids {
        let u = lin.versions[3]
            .units
            .iter()
            .find(|u| &u.id == id)
            .expect("part");
        assert_eq!(u.parents, split.old_ids);
    }
    let merged = find(4, "merged");
    assert_eq!(merged.old_ids, [id_of(3, A[10]), id_of(3, A[11])]);
    assert_eq!(merged.old_ids[0], id_of(0, A[10]));
    assert_eq!(merged.textual_mods, [statute::feed::wire::TextualMod::Join]);
    let u = lin.versions[4]
        .units
        .iter()
        .find(|u| u.id == merged.new_ids[0])
        .expect("merged unit");
    assert_eq!(u.parents, merged.old_ids);
}

#[test]
fn stores_built_in_different_orders_give_the_same_feed() {
    let inputs = tempfile::tempdir().expect("tempdir");
    let files = write_chain(inputs.path());
    let (_a, a) = new_store();
    import(&a, &files);
    let (_b, b) = new_store();
    for k in [4, 2, 0, 3, 1] {
        import(&b, &files[k..=k]);
    }
    let (ea, eb) = (all_events(&a), all_events(&b));
    assert_eq!(ea.len(), 5);
    assert_streamed_matches(&a, &ea, 0);
    let (_e, empty) = new_store();
    assert_streamed_matches(&empty, &[], 0);
    assert_eq!(jsonl(&ea), jsonl(&eb));
    assert_eq!(atom(&ea), atom(&eb));
    // And the same on every run, with any number of threads.
    let one = feed::events(
        &a,
        &Options {
            threads: 1,
            ..Options::default()
        },
    )
    .expect("feed");
    assert_eq!(jsonl(&one), jsonl(&ea));
}

#[test]
fn atom_reads_in_a_feed_parser() {
    let inputs = tempfile::tempdir().expect("tempdir");
    let files = write_chain(inputs.path());
    let (_d, store) = new_store();
    import(&store, &files);
    let events = all_events(&store);
    let bytes = atom(&events);
    let f = feed_rs::parser::parse(bytes.as_slice()).expect("atom parses");
    assert_eq!(f.entries.len(), 5);
    // Newest first, ids from the event ids, dates from the version dates.
    let newest = &f.entries[0];
    assert_eq!(
        newest.id,
        format!("{}{}", feed::atom::TAG_PREFIX, events[4].id)
    );
    let updated = newest.updated.expect("updated");
    assert_eq!(updated.format("%Y-%m-%d").to_string(), "2020-07-01");
    let title = newest.title.as_ref().expect("title").content.clone();
    assert!(title.contains(TITLE) && title.contains("修正"), "{title}");
    let summary = newest.summary.as_ref().expect("summary").content.clone();
    assert!(summary.contains("合并 1 条"), "{summary}");
    let content = newest
        .content
        .as_ref()
        .and_then(|c| c.body.clone())
        .expect("content");
    assert!(content.contains("修改的条文"), "{content}");
    assert_eq!(
        f.updated.map(|d| d.format("%Y").to_string()).as_deref(),
        Some("2020")
    );
}

/// A deleted article reads the same in an Atom entry's line of amended articles and in its
/// list of changes: 原第十二条, never a bare 第十二条 that a new article may also be.
#[test]
fn atom_names_a_deleted_article_one_way() {
    let (_d, store) = new_store();
    let files = [fixture("park-2020.md"), fixture("park-2024.md")];
    import(&store, &files);
    let events = all_events(&store);
    let mut deletions = 0;
    for e in &events {
        let xml = String::from_utf8(atom(std::slice::from_ref(e))).expect("utf-8");
        let amended = feed::atom::amended_articles(e);
        for c in e.changes.iter().filter(|c| c.kind == "deleted") {
            for label in &c.old {
                deletions += 1;
                let named = format!("原{label}");
                assert!(amended.contains(&named), "{amended:?}");
                assert!(
                    xml.contains(&format!("<li>{named}（删除）</li>")),
                    "{named} in:\n{xml}"
                );
                assert!(!xml.contains(&format!("<li>{label}（删除）")), "{xml}");
            }
        }
    }
    assert!(deletions > 0);
}

#[test]
fn feed_command_pages_with_since_and_limit() {
    let inputs = tempfile::tempdir().expect("tempdir");
    let files = write_chain(inputs.path());
    let (d, store) = new_store();
    import(&store, &files);
    let run = |args: &[&str]| {
        Command::new(env!("CARGO_BIN_EXE_statute"))
            .arg("--store")
            .arg(d.path().join("store"))
            .arg("feed")
            .args(args)
            .env_remove("STATUTE_STORE")
            .output()
            .expect("run statute")
    };
    let all = run(&[]);
    assert_eq!(all.status.code(), Some(0));
    let lines: Vec<Value> = String::from_utf8_lossy(&all.stdout)
        .lines()
        .map(|l| serde_json::from_str(l).expect("json line"))
        .collect();
    assert_eq!(lines.len(), 5);
    // Page two at a time by cursor: the pages join up to the full feed.
    let mut seen = Vec::new();
    let mut since: Option<String> = None;
    loop {
        let mut args = vec!["--limit", "2"];
        if let Some(s) = &since {
            args.extend(["--since", s.as_str()]);
        } else {
            args.extend(["--since", "1900-01-01"]);
        }
        let out = run(&args);
        let page: Vec<Value> = String::from_utf8_lossy(&out.stdout)
            .lines()
            .map(|l| serde_json::from_str(l).expect("json line"))
            .collect();
        let Some(last) = page.last() else { break };
        since = last["cursor"].as_str().map(String::from);
        seen.extend(page);
    }
    assert_eq!(seen, lines);
    // A date: versions on or after it; --limit without --since: the latest.
    assert_eq!(
        String::from_utf8_lossy(&run(&["--since", "2015-12-01"]).stdout)
            .lines()
            .count(),
        2
    );
    let latest = run(&["--limit", "1"]);
    let v: Value = serde_json::from_slice(&latest.stdout).expect("one line");
    assert_eq!(v["version"], "2020-07-01");
    assert_eq!(v["statute"]["title"], TITLE);
    // json is one array of the same events; atom is XML.
    let arr: Value =
        serde_json::from_slice(&run(&["--format", "json", "--statute", "绿化"]).stdout)
            .expect("json array");
    assert_eq!(arr.as_array().map(Vec::len), Some(5));
    assert!(String::from_utf8_lossy(&run(&["--format", "atom"]).stdout).starts_with("<?xml"));
    // A bad --since is an error (exit 2) naming the value.
    let bad = run(&["--since", "yesterday"]);
    assert_eq!(bad.status.code(), Some(2));
    assert!(String::from_utf8_lossy(&bad.stderr).contains("yesterday"));
    // A cursor of the right shape naming no statute of the store (a mistyped hash, a title
    // instead of an id) says so, on one line, and prints no event.
    let cursor = lines[1]["cursor"].as_str().expect("cursor");
    let (date, rest) = cursor.split_once('/').expect("date/");
    let (id, n) = rest.rsplit_once('/').expect("/n");
    let (title, _hash) = id.rsplit_once('-').expect("title-hash");
    for unknown in [format!("{title}-00000000"), title.to_string()] {
        let c = format!("{date}/{unknown}/{n}");
        let o = run(&["--since", &c]);
        let err = String::from_utf8_lossy(&o.stderr);
        assert_eq!(o.status.code(), Some(2), "{c}: {err}");
        assert!(o.stdout.is_empty(), "{c}");
        assert!(
            err.contains(&format!("no statute {unknown:?} in the store"))
                && !err.contains("neither")
                && err.trim_end().lines().count() == 1,
            "{c}: {err}"
        );
    }
}
