//! Applying amending acts: a generated 50-instruction act (articles restated, phrases
//! replaced and deleted, articles deleted and inserted, renumbering with cross-references)
//! read and applied to a generated 500-article statute, the bound being 20 ms; the
//! same with the statute parsed too; and the largest corpus pair's own draft decision read
//! back and applied. Run with `cargo bench --bench apply`.

use std::path::Path;

use statute::Statute;
use statute::amend::{ActInfo, apply, parse_act};
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
