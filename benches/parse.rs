//! Parser throughput: the whole shared corpus (about 82 MB) and its largest file, in memory,
//! single-threaded. Run with `cargo bench --bench parse`; without the corpus it measures the
//! bundled versions and fixtures instead.

use std::path::PathBuf;
use std::sync::OnceLock;

use divan::counter::BytesCount;
use statute_eval::corpus::md_files;

// Measure with the allocator the binary uses.
#[global_allocator]
static ALLOCATOR: mimalloc::MiMalloc = mimalloc::MiMalloc;

fn main() {
    divan::main();
}

/// (path, bytes) of every input, loaded once.
fn inputs() -> &'static [(PathBuf, Vec<u8>)] {
    static INPUTS: OnceLock<Vec<(PathBuf, Vec<u8>)>> = OnceLock::new();
    INPUTS.get_or_init(|| {
        let root = PathBuf::from(env!("CARGO_MANIFEST_DIR"));
        let corpus = statute_eval::corpus::dir();
        let mut files = if corpus.is_dir() {
            md_files(&corpus)
        } else {
            eprintln!(
                "corpus not found at {}: measuring bundled files only",
                corpus.display()
            );
            let mut files = md_files(&root.join("versions"));
            files.extend(md_files(&root.join("fixtures")));
            files
        };
        files.sort();
        files
            .into_iter()
            .filter_map(|p| std::fs::read(&p).ok().map(|b| (p, b)))
            .collect()
    })
}

#[divan::bench(sample_count = 10, sample_size = 1)]
fn whole_corpus(bencher: divan::Bencher) {
    let inputs = inputs();
    let total: usize = inputs.iter().map(|(_, b)| b.len()).sum();
    bencher.counter(BytesCount::new(total)).bench(|| {
        let mut articles = 0usize;
        for (path, bytes) in inputs {
            if let Ok(p) = statute::parse_bytes(path, divan::black_box(bytes)) {
                articles += p.statute.article_count();
            }
        }
        articles
    });
}

#[divan::bench]
fn largest_file(bencher: divan::Bencher) {
    let Some((path, bytes)) = inputs().iter().max_by_key(|(_, b)| b.len()) else {
        return;
    };
    bencher.counter(BytesCount::new(bytes.len())).bench(|| {
        statute::parse_bytes(path, divan::black_box(bytes)).map(|p| p.statute.article_count())
    });
}

/// A generated statute of 500 articles (two 款 each, the second with three items, 25
/// chapters) and its amendment (every tenth article reworded), as the redline the differ
/// writes: the new text with every change tracked.
fn docx_500() -> &'static [u8] {
    static DOCX: OnceLock<Vec<u8>> = OnceLock::new();
    DOCX.get_or_init(|| {
        let text = |amended: bool| {
            let mut s = String::from("# 某某市生成条例\n\n2020年1月1日 通过\n\n<!-- INFO END -->\n\n");
            for n in 1..=500u32 {
                if n % 20 == 1 {
                    let chapter = statute::numerals::to_chinese(n / 20 + 1);
                    s.push_str(&format!("## 第{chapter}章 第{chapter}部分\n\n"));
                }
                let word = if amended && n % 10 == 0 { "规范" } else { "加强" };
                s.push_str(&format!(
                    "第{}条 为了{word}第{n}项管理工作，保障有关单位和个人的合法权益，根据有关法律、行政法规，结合本市实际，制定本规定。\n\n有关部门应当遵守下列规定：\n\n（一）建立第{n}项管理制度；\n\n（二）配备专职人员；\n\n（三）定期报告工作情况。\n\n",
                    statute::numerals::to_chinese(n)
                ));
            }
            s
        };
        let parse = |s: String| match statute::parse_str(std::path::Path::new("g.md"), &s) {
            Ok(p) => p.statute,
            Err(e) => panic!("{e}"),
        };
        let (old, new) = (parse(text(false)), parse(text(true)));
        let cs = statute::diff::diff(&old, &new);
        let entries: Vec<&statute::diff::Entry> = cs.entries.iter().collect();
        let opts =
            statute::render::docx::Options::new(&cs, statute::render::docx::Layout::Redline);
        let mut out = Vec::new();
        if let Err(e) = statute::render::docx::write(&cs, &entries, &opts, &mut out) {
            panic!("{e}");
        }
        out
    })
}

/// Reading that .docx (unzip, WordprocessingML, tracked changes accepted) and parsing it.
/// Goal: under 50 ms.
#[divan::bench]
fn docx_500_articles(bencher: divan::Bencher) {
    let bytes = docx_500();
    let path = std::path::Path::new("generated.docx");
    bencher.counter(BytesCount::new(bytes.len())).bench(|| {
        let p = statute::parse_bytes(path, divan::black_box(bytes));
        p.map(|p| p.statute.article_count())
    });
}
