//! The version store on the whole shared corpus: a full import into an empty store, a no-op
//! re-import, and `log` / `show` in process (open the store, resolve a title, read). Run with
//! `cargo bench --bench store`; without the corpus it says so and measures nothing. For the
//! commands with process start, use `hyperfine -N` on the release binary (see docs/benchmarks.md).

#[path = "common/mod.rs"]
mod common;

use statute::store::Store;
use statute::store::import::{ImportOptions, Quiet};

// Measure with the allocator the binary uses.
#[global_allocator]
static ALLOCATOR: mimalloc::MiMalloc = mimalloc::MiMalloc;

fn main() {
    divan::main();
}

#[divan::bench(sample_count = 3, sample_size = 1)]
fn full_import(bencher: divan::Bencher) {
    let Some(inputs) = common::corpus_inputs() else {
        return;
    };
    bencher
        .with_inputs(|| {
            let dir = tempfile::tempdir().expect("tempdir");
            let (store, _) = Store::init(&dir.path().join("store")).expect("init");
            (dir, store)
        })
        .bench_values(|(dir, store)| {
            let r = store
                .import(inputs, &ImportOptions::default(), &Quiet)
                .expect("import");
            drop(dir);
            r.added
        });
}

#[divan::bench(sample_count = 5, sample_size = 1)]
fn noop_reimport(bencher: divan::Bencher) {
    let (Some(inputs), Some(path)) = (common::corpus_inputs(), common::full_store()) else {
        return;
    };
    let store = Store::open(path).expect("open");
    // A store handle is not Sync: one thread.
    bencher.bench_local(|| {
        let r = store
            .import(inputs, &ImportOptions::default(), &Quiet)
            .expect("import");
        assert_eq!(r.added, 0);
        r.unchanged
    });
}

#[divan::bench(sample_count = 50)]
fn log(bencher: divan::Bencher) {
    let Some(path) = common::full_store() else {
        return;
    };
    bencher.bench(|| {
        let store = Store::open(path).expect("open");
        let id = store.resolve("中华人民共和国立法法").expect("resolve");
        let h = store.history(&id).expect("history");
        let mut out = Vec::new();
        statute::render::store::write_log(&h, &mut out).expect("write");
        out.len()
    });
}

#[divan::bench(sample_count = 50)]
fn show(bencher: divan::Bencher) {
    let Some(path) = common::full_store() else {
        return;
    };
    bencher.bench(|| {
        let store = Store::open(path).expect("open");
        let id = store.resolve("中华人民共和国立法法").expect("resolve");
        let h = store.history(&id).expect("history");
        let head = h.head().expect("head");
        store.text(head).expect("text").len()
    });
}
