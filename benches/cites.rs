//! Citations: extracting every citation of the whole corpus (the bound: 2 s), from
//! versions already parsed and with the parsing on every core; and `refs` / `cites` on a store
//! holding the whole corpus, store opening and index reading included (the bound: 50 ms).
//! Run with `cargo bench --bench cites`; without the corpus each says so and measures nothing.

#[path = "common/mod.rs"]
mod common;

use std::sync::OnceLock;

use statute::Statute;
use statute::store::Store;

#[global_allocator]
static ALLOCATOR: mimalloc::MiMalloc = mimalloc::MiMalloc;

fn main() {
    divan::main();
}

/// Every version file of the corpus.
fn files() -> &'static [std::path::PathBuf] {
    static FILES: OnceLock<Vec<std::path::PathBuf>> = OnceLock::new();
    FILES.get_or_init(|| {
        common::corpus_inputs()
            .unwrap_or_default()
            .iter()
            .flat_map(|d| statute_eval::corpus::md_files(d))
            .collect()
    })
}

/// Every version of the corpus, parsed once.
fn parsed() -> &'static [Statute] {
    static PARSED: OnceLock<Vec<Statute>> = OnceLock::new();
    PARSED.get_or_init(|| {
        files()
            .iter()
            .filter_map(|p| statute::parse_file(p).ok().map(|p| p.statute))
            .collect()
    })
}

#[divan::bench(sample_count = 10, sample_size = 1)]
fn extract_whole_corpus() -> usize {
    parsed()
        .iter()
        .map(|s| statute::cite::extract(s).len())
        .sum()
}

#[divan::bench(sample_count = 5, sample_size = 1)]
fn read_parse_and_extract_whole_corpus() -> usize {
    let counts = statute::par::map(files(), statute::par::threads(0), |p| {
        statute::parse_file(p)
            .map(|p| statute::cite::extract(&p.statute).len())
            .unwrap_or(0)
    });
    counts.iter().sum()
}

fn with_store<T>(f: impl FnOnce(&Store) -> T) -> Option<T> {
    let path = common::full_store()?;
    let store = Store::open(path).expect("open");
    Some(f(&store))
}

#[divan::bench(sample_count = 30)]
fn refs_company_law_interpretation() -> usize {
    with_store(|s| {
        let h = s
            .history(&s.resolve("公司法》若干问题的规定（四）").expect("resolve"))
            .expect("history");
        let v = &h.versions[0];
        let mut index = s.cite_index().expect("index");
        index.refs(&h.id, v, None).expect("refs").len()
    })
    .unwrap_or(0)
}

#[divan::bench(sample_count = 30)]
fn cites_company_law() -> usize {
    with_store(|s| {
        let id = s.resolve("中华人民共和国公司法").expect("resolve");
        let mut index = s.cite_index().expect("index");
        index.cites(&id, None, None).expect("cites").len()
    })
    .unwrap_or(0)
}

#[divan::bench(sample_count = 30)]
fn cites_civil_procedure_law() -> usize {
    with_store(|s| {
        let id = s.resolve("中华人民共和国民事诉讼法").expect("resolve");
        let mut index = s.cite_index().expect("index");
        index.cites(&id, None, None).expect("cites").len()
    })
    .unwrap_or(0)
}

#[divan::bench(sample_count = 30)]
fn cites_one_article() -> usize {
    with_store(|s| {
        let h = s
            .history(&s.resolve("中华人民共和国公司法").expect("resolve"))
            .expect("history");
        let mut index = s.cite_index().expect("index");
        let (_, lineage) = index
            .find_article(&h, Some("2018-10-26"), "71")
            .expect("article");
        index
            .cites(&h.id, Some(&lineage), None)
            .expect("cites")
            .len()
    })
    .unwrap_or(0)
}
