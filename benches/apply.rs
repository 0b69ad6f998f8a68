//! Applying amending acts: a generated 50-instruction act (articles restated, phrases
//! replaced and deleted, articles deleted and inserted, renumbering with cross-references)
//! read and applied to a generated 500-article statute, the bound being 20 ms; the
//! same with the statute parsed and the result written too; and `import --act` of a generated
//! omnibus act amending ten statutes of a store holding the whole corpus (the bound: 1 s).
//! Run with `cargo bench --bench apply`; without the corpus the last says so and measures
//! nothing.

#[path = "common/mod.rs"]
mod common;

use std::path::{Path, PathBuf};
use std::sync::OnceLock;

use statute::Statute;
use statute::amend::{ActInfo, Status, apply, parse_act};
use statute::model::{Article, UnitNum};
use statute::store::Store;
use statute::store::import::Quiet;
use statute_eval::rng::Rng;

#[global_allocator]
static ALLOCATOR: mimalloc::MiMalloc = mimalloc::MiMalloc;

fn main() {
    divan::main();
}

const WORDS: [&str; 16] = [
    "国务院",
    "有关部门",
    "应当",
    "依法",
    "监督管理",
    "县级以上",
    "人民政府",
    "组织",
    "个人",
    "登记",
    "许可",
    "审查",
    "公布",
    "信息",
    "保护",
    "责任",
];

fn sentence(r: &mut Rng) -> String {
    let mut s = String::new();
    for _ in 0..(8 + r.below(16)) {
        s.push_str(WORDS[r.below(WORDS.len())]);
        if r.below(6) == 0 {
            s.push('，');
        }
    }
    s.push('。');
    s
}

fn cn(n: usize) -> String {
    statute::numerals::to_chinese(n as u32)
}

/// A statute of `n` articles in 20-article chapters, some citing others (依照本法第N条), and
/// an act of `m` instructions on it that ends with the renumbering.
fn generated(n: usize, m: usize) -> (String, String) {
    let mut r = Rng::new(n as u64);
    let mut statute = String::from("# 中华人民共和国示例法\n\n<!-- INFO END -->\n\n");
    let mut texts = Vec::with_capacity(n);
    for i in 1..=n {
        if i % 20 == 1 {
            statute.push_str(&format!("## 第{}章 规定\n\n", cn(i / 20 + 1)));
        }
        let mut t = sentence(&mut r);
        if i % 7 == 0 {
            t.push_str(&format!("依照本法第{}条规定处理。", cn(1 + r.below(n))));
        }
        t.push_str(&sentence(&mut r));
        statute.push_str(&format!("第{}条 {t}\n\n", cn(i)));
        texts.push(t);
    }
    let mut act = String::from(
        "# 全国人民代表大会常务委员会关于修改《中华人民共和国示例法》的决定\n\n<!-- INFO END -->\n\n",
    );
    let step = n / m;
    for k in 0..m {
        let a = k * step + 1;
        let text = &texts[a - 1];
        let head: String = text.chars().take(4).collect();
        let item = match k % 5 {
            0 => format!("将第{}条修改为：“{}”", cn(a), sentence(&mut r)),
            1 => format!("将第{}条中的“{head}”修改为“示例{head}”。", cn(a)),
            2 => format!("删去第{}条。", cn(a)),
            3 => format!(
                "在第{}条后增加一条，作为第{}条之一：“{}”",
                cn(a),
                cn(a),
                sentence(&mut r)
            ),
            _ => format!("删去第{}条中的“{head}”。", cn(a)),
        };
        act.push_str(&format!("{}、{item}\n\n", cn(k + 1)));
    }
    act.push_str("此外，对条文顺序作相应调整。\n\n本决定自2025年1月1日起施行。\n");
    (statute, act)
}

fn parse(text: &str) -> Statute {
    statute::parse_bytes(Path::new("bench"), text.as_bytes())
        .map(|p| p.statute)
        .unwrap_or_default()
}

/// The act read and applied to the parsed statute (the bound: 20 ms).
#[divan::bench]
fn act_50_instructions_on_500_articles(bencher: divan::Bencher) {
    let (statute, act) = generated(500, 50);
    let base = parse(&statute);
    bencher.bench(|| {
        let act = parse_act(&act);
        let applied = apply(&base, &act.parts[0], &ActInfo::default());
        assert!(applied.complete(), "the generated act applies whole");
        applied
    });
}

/// The same, the statute parsed and the result written in canonical form too (what
/// `statute apply` does, less process start and file reads).
#[divan::bench]
fn act_50_instructions_on_500_articles_end_to_end(bencher: divan::Bencher) {
    let (statute, act) = generated(500, 50);
    bencher.bench(|| {
        let base = parse(&statute);
        let act = parse_act(&act);
        let applied = apply(&base, &act.parts[0], &ActInfo::default());
        statute::parse::canonical::to_string(&applied.statute).len()
    });
}

/// Statutes the omnibus act amends.
const OMNIBUS_STATUTES: usize = 10;

/// The omnibus act's date: after every version of the corpus.
const OMNIBUS_DATE: &str = "2030-01-01";

/// The first run of four Chinese characters in the article's first 款 that occurs once in
/// the article: a phrase an instruction can name without ambiguity.
fn unique_phrase(a: &Article) -> Option<String> {
    let text = a.text();
    let first: Vec<char> = a.paras.first()?.text.chars().collect();
    first.windows(4).find_map(|w| {
        if !w.iter().all(|c| ('\u{4e00}'..='\u{9fff}').contains(c)) {
            return None;
        }
        let p: String = w.iter().collect();
        (text.matches(p.as_str()).count() == 1).then_some(p)
    })
}

/// The omnibus act: for each of the first [`OMNIBUS_STATUTES`] statutes of the store (by id)
/// with at least two versions whose latest version has 第一条 to 第四条 (and no 第二条之一),
/// whose title names it alone, and whose first and third articles hold a phrase found once,
/// a part of four instructions on that version: a phrase of 第一条 replaced, 第二条之一
/// inserted, a phrase of 第三条 deleted, 第四条 restated. Parts alternate between the two
/// heading forms (修改《X》 with 1. items, 对《X》作出修改 with （一） items).
fn omnibus_act(store: &Store) -> String {
    let mut r = Rng::new(22);
    let mut parts = Vec::new();
    for h in store.list(None).expect("list") {
        if parts.len() == OMNIBUS_STATUTES {
            break;
        }
        assert!(
            h.versions.iter().all(|v| v.label.as_str() < OMNIBUS_DATE),
            "{}: a version dated after the act",
            h.id
        );
        if h.versions.len() < 2 {
            continue;
        }
        let head = h.head().expect("a version");
        let text = store.text(head).expect("text");
        let statute = parse(&text);
        let title = statute.meta.title.clone();
        if title.is_empty()
            || title.contains(['《', '》', '“', '”'])
            || store.resolve(&title).ok().as_deref() != Some(h.id.as_str())
        {
            continue;
        }
        let articles = statute.articles();
        let find = |main: u32, sub: u32| {
            articles
                .iter()
                .find(|a| a.annex.is_none() && a.article.num == UnitNum::Article { main, sub })
                .map(|a| a.article)
        };
        if (1..=4).any(|n| find(n, 0).is_none()) || find(2, 1).is_some() {
            continue;
        }
        let (Some(first), Some(third)) = (
            find(1, 0).and_then(unique_phrase),
            find(3, 0).and_then(unique_phrase),
        ) else {
            continue;
        };
        parts.push((title, first, third));
    }
    assert_eq!(
        parts.len(),
        OMNIBUS_STATUTES,
        "the store holds too few statutes fit to amend"
    );
    let mut act = format!(
        "# 全国人民代表大会常务委员会关于修改《{}》等{}部法律的决定\n\n\
         （2030年1月1日第十四届全国人民代表大会常务委员会第十次会议通过）\n\n\
         <!-- INFO END -->\n\n\
         第十四届全国人民代表大会常务委员会第十次会议决定：\n\n",
        parts[0].0,
        cn(OMNIBUS_STATUTES)
    );
    for (k, (title, first, third)) in parts.iter().enumerate() {
        let items = [
            format!("将第一条中的“{first}”修改为“示例{first}”。"),
            format!("在第二条后增加一条，作为第二条之一：“{}”", sentence(&mut r)),
            format!("删去第三条中的“{third}”。"),
            format!("将第四条修改为：“{}”", sentence(&mut r)),
        ];
        if k % 2 == 0 {
            act.push_str(&format!("{}、修改《{title}》\n\n", cn(k + 1)));
            for (i, item) in items.iter().enumerate() {
                act.push_str(&format!("{}. {item}\n\n", i + 1));
            }
        } else {
            act.push_str(&format!("{}、对《{title}》作出修改\n\n", cn(k + 1)));
            for (i, item) in items.iter().enumerate() {
                act.push_str(&format!("（{}）{item}\n\n", cn(i + 1)));
            }
        }
    }
    act.push_str("本决定自2030年1月1日起施行。\n");
    act
}

/// The omnibus act's text, made once per process.
fn omnibus(store: &Path) -> &'static str {
    static ACT: OnceLock<String> = OnceLock::new();
    ACT.get_or_init(|| omnibus_act(&Store::open(store).expect("open")))
}

/// A copy of the store in a new temporary directory, opened, and the act written beside it.
fn fresh_store(from: &Path, act: &str) -> (tempfile::TempDir, Store, PathBuf) {
    let dir = tempfile::tempdir().expect("tempdir");
    let path = dir.path().join("store");
    common::copy_dir(from, &path).expect("copy the store");
    let store = Store::open(&path).expect("open");
    let act_path = dir.path().join("act.md");
    std::fs::write(&act_path, act).expect("write the act");
    (dir, store, act_path)
}

/// `import --act` of the omnibus act (ten statutes, four instructions each) into a copy of
/// the full-corpus store, each iteration on a fresh copy made outside the timing: reading
/// the act, the store's state, parsing the ten versions, applying, summarising and writing
/// the new versions, moving the refs (the bound: 1 s).
#[divan::bench(sample_count = 10, sample_size = 1)]
fn import_act_omnibus_into_the_corpus_store(bencher: divan::Bencher) {
    let Some(store_path) = common::full_store() else {
        return;
    };
    let act = omnibus(store_path);
    let n = OMNIBUS_STATUTES;
    // Once, untimed: the act applies whole and is stored, so that the bench measures that.
    {
        let (_dir, store, act) = fresh_store(store_path, act);
        let r = store.import_act(&act, &Quiet).expect("import --act");
        assert_eq!(r.parts.len(), n, "one part per statute");
        for p in &r.parts {
            assert!(
                p.applied.outcomes.len() >= 4,
                "{}: {:?}",
                p.id,
                p.applied.outcomes
            );
            for o in &p.applied.outcomes {
                assert_eq!(o.status, Status::Applied, "{}: {o:?}", p.id);
            }
        }
        assert!(r.stored, "the act is stored");
        assert_eq!(r.report.added, n, "a new version per statute");
    }
    bencher
        .with_inputs(|| fresh_store(store_path, act))
        .bench_values(|(dir, store, act)| {
            let r = store.import_act(&act, &Quiet).expect("import --act");
            // Dropped (the copy deleted) after the timing.
            (r, store, dir)
        });
}
