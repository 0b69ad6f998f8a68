//! Differ speed: the largest amendment in the corpus (刑事诉讼法 interpretation 2012→2021,
//! ~550→650 articles) parsed, aligned and diffed in-process; each stage alone; and generated
//! statutes of 1k/5k/20k articles with a few percent amended, to show near-linear growth;
//! the draft decision of the largest pair, in-process and as a command, end to end.
//! Run with `cargo bench --bench diff`.

use std::path::Path;
use std::sync::OnceLock;

use statute::Statute;
// The deterministic generator of the generated statutes' text.
use statute_eval::rng::Rng;

// Measure with the allocator the binary uses.
#[global_allocator]
static ALLOCATOR: mimalloc::MiMalloc = mimalloc::MiMalloc;

fn main() {
    divan::main();
}

fn largest_pair() -> Option<&'static (Vec<u8>, Vec<u8>)> {
    static PAIR: OnceLock<Option<(Vec<u8>, Vec<u8>)>> = OnceLock::new();
    PAIR.get_or_init(|| {
        let corpus = statute_eval::corpus::dir();
        let dir =
            corpus.join("multi/司法解释/最高人民法院关于适用《中华人民共和国刑事诉讼法》的解释");
        match (
            std::fs::read(dir.join("2012-12-20.md")),
            std::fs::read(dir.join("2021-03-01.md")),
        ) {
            (Ok(a), Ok(b)) => Some((a, b)),
            _ => {
                eprintln!(
                    "corpus not found at {}: skipping the corpus pair",
                    corpus.display()
                );
                None
            }
        }
    })
    .as_ref()
}

fn parse(bytes: &[u8]) -> Statute {
    statute::parse_bytes(Path::new("bench"), bytes)
        .map(|p| p.statute)
        .unwrap_or_default()
}

#[divan::bench]
fn largest_pair_parse_align_diff(bencher: divan::Bencher) {
    let Some((a, b)) = largest_pair() else { return };
    // The results are returned so that divan frees them after timing: freeing is no part of
    // parsing, aligning and diffing (the command line never frees them at all).
    bencher.bench(|| {
        let (a, b) = (parse(a), parse(b));
        let cs = statute::diff::diff(&a, &b);
        (a, b, cs)
    });
}

#[divan::bench]
fn largest_pair_parse_only(bencher: divan::Bencher) {
    let Some((a, b)) = largest_pair() else { return };
    bencher.bench(|| parse(a).article_count() + parse(b).article_count());
}

#[divan::bench]
fn largest_pair_align_only(bencher: divan::Bencher) {
    let Some((a, b)) = largest_pair() else { return };
    let (a, b) = (parse(a), parse(b));
    bencher.bench(|| statute::align::align(&a, &b).groups.len());
}

#[divan::bench]
fn largest_pair_diff_only(bencher: divan::Bencher) {
    let Some((a, b)) = largest_pair() else { return };
    let (a, b) = (parse(a), parse(b));
    bencher.bench(|| statute::diff::diff(&a, &b));
}

#[divan::bench]
fn largest_pair_json(bencher: divan::Bencher) {
    let Some((a, b)) = largest_pair() else { return };
    let cs = statute::diff::diff(&parse(a), &parse(b));
    bencher.bench(|| {
        let mut out = Vec::with_capacity(1 << 20);
        statute::render::diff_json::write(&cs, false, &mut out).map(|_| out.len())
    });
}

/// The draft 修改决定 from the `ChangeSet`: phrases grown to whole words (the segmenter is
/// loaded by the first run) and proved by applying them.
#[divan::bench]
fn largest_pair_decision(bencher: divan::Bencher) {
    let Some((a, b)) = largest_pair() else { return };
    let cs = statute::diff::diff(&parse(a), &parse(b));
    let shown = statute::render::select::select(&cs, &Default::default());
    bencher.bench(|| {
        let mut out = Vec::with_capacity(1 << 20);
        statute::render::decision::write(&cs, &shown, &mut out).map(|_| out.len())
    });
}

/// `statute diff --format decision` on the largest pair, end to end: a process started,
/// both files read and parsed, the segmenter's lexicon loaded, the draft written (to a
/// pipe). The bound is 50 ms.
#[divan::bench(sample_count = 20, sample_size = 1)]
fn largest_pair_decision_end_to_end(bencher: divan::Bencher) {
    if largest_pair().is_none() {
        return;
    }
    let dir = statute_eval::corpus::dir()
        .join("multi/司法解释/最高人民法院关于适用《中华人民共和国刑事诉讼法》的解释");
    let (a, b) = (dir.join("2012-12-20.md"), dir.join("2021-03-01.md"));
    bencher.bench(|| {
        std::process::Command::new(env!("CARGO_BIN_EXE_statute"))
            .args(["diff", "--format", "decision"])
            .arg(&a)
            .arg(&b)
            .output()
            .map(|o| o.stdout.len())
    });
}

const WORDS: &[&str] = &[
    "人民政府",
    "有关部门",
    "应当",
    "依法",
    "管理",
    "监督",
    "单位",
    "个人",
    "规定",
    "批准",
    "登记",
    "申请",
    "县级以上",
    "主管部门",
    "责令改正",
    "罚款",
    "处",
    "以上",
    "以下",
    "建设",
    "保护",
    "公共",
    "安全",
    "信息",
    "服务",
    "组织",
    "实施",
    "制定",
    "标准",
    "规划",
    "环境",
    "资源",
    "利用",
    "许可",
    "审查",
    "公布",
    "information",
];

fn sentence(r: &mut Rng) -> String {
    let mut s = String::new();
    for _ in 0..(8 + r.below(20)) {
        s.push_str(WORDS[r.below(WORDS.len())]);
        if r.below(6) == 0 {
            s.push('，');
        }
    }
    s.push('。');
    s
}

/// Corpus-format text of a statute with `n` articles, and an amended version of it:
/// 2% of articles edited, 1% deleted, 1% inserted.
fn generated(n: usize) -> (String, String) {
    let mut r = Rng::new(n as u64);
    let arts: Vec<String> = (0..n)
        .map(|_| sentence(&mut r) + &sentence(&mut r))
        .collect();
    let mut amended: Vec<String> = Vec::with_capacity(n);
    for a in &arts {
        match r.below(100) {
            0 => {}
            1 => {
                amended.push(a.clone());
                amended.push(sentence(&mut r));
            }
            2 | 3 => amended.push(format!("{a}{}", sentence(&mut r))),
            _ => amended.push(a.clone()),
        }
    }
    let render = |arts: &[String]| {
        let mut s = String::from("# 某某条例\n\n<!-- INFO END -->\n\n");
        for (i, a) in arts.iter().enumerate() {
            if i % 20 == 0 {
                s.push_str(&format!(
                    "## 第{}章 规定\n\n",
                    statute::numerals::to_chinese(i as u32 / 20 + 1)
                ));
            }
            s.push_str(&format!(
                "第{}条 {a}\n\n",
                statute::numerals::to_chinese(i as u32 + 1)
            ));
        }
        s
    };
    (render(&arts), render(&amended))
}

#[divan::bench(args = [1_000, 5_000, 20_000], sample_count = 10)]
fn generated_parse_align_diff(bencher: divan::Bencher, n: usize) {
    let (a, b) = generated(n);
    bencher.bench(|| {
        let a = parse(a.as_bytes());
        let b = parse(b.as_bytes());
        statute::diff::diff(&a, &b).entries.len()
    });
}
