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
